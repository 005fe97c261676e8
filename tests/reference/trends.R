# Reference values for tests/unit/analytics/TrendsTest.cpp.
# Rscript tests/reference/trends.R   (R 4.2.2, Debian 12)
#
# Three school years of one scale in a made-up district with four racial/ethnic groups. The raw
# scores are generated here; the test gets only what a profile publishes (each year's n, mean and
# SD of the district, of each group and of the rest of the district), builds the trends from
# them, and must reproduce what R computes from the raw scores:
#   change since last year: t.test(later, earlier) (Welch) and Hedges' g by formula;
#   a group's gap: t.test(group, rest) each year; gap change = gap_t - gap_(t-1) with
#   SE = sqrt(se_t^2 + se_(t-1)^2), z, normal 95% interval, 2 * pnorm(-|z|);
#   p.adjust(p, "BH") over every change and gap change.
# The asian group has 3 people in 2025-2026: hidden that year (minimum 5), so none of its changes
# or gap changes touching that year is computed, and none enters the adjustment.
set.seed(20270)
years <- c("2024-2025", "2025-2026", "2026-2027")
groups <- c("black", "white", "hispanic", "asian")
sizes <- rbind(black = c(90, 95, 110), white = c(160, 150, 155), hispanic = c(120, 130, 135), asian = c(12, 3, 12))
# Latent means by group and year: the black and hispanic groups start lower and catch up.
means <- rbind(black = c(3.20, 3.45, 3.70), white = c(3.90, 3.92, 3.88), hispanic = c(3.40, 3.42, 3.75),
               asian = c(3.60, 3.60, 3.65))
score <- function(n, m) pmin(5, pmax(1, round(rnorm(n, m, 0.7) * 5) / 5))  # a 5-item mean: steps of 0.2
data <- list()
for (y in 1:3) for (g in groups) data[[paste(g, y)]] <- score(sizes[g, y], means[g, y])
scores <- function(y, g = groups) unlist(lapply(g, function(k) data[[paste(k, y)]]), use.names = FALSE)

num <- function(x) sprintf("%.17g", x)
summ <- function(x) sprintf("{%d, %s, %s}", length(x), num(mean(x)), num(sd(x)))
cat("// summaries: {n, mean, sd} per year\n")
for (y in 1:3) {
  cat(sprintf("// %s\n{%s, {", years[y], summ(scores(y))))
  cat(paste(sapply(groups, function(g) sprintf("{\"%s\", %s, %s}", g, summ(data[[paste(g, y)]]), summ(scores(y, setdiff(groups, g))))),
            collapse = ", "))
  cat("}},\n")
}

hedges <- function(x, y) {
  n1 <- length(x); n2 <- length(y)
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / (n1 + n2 - 2))
  d <- (mean(x) - mean(y)) / sp
  J <- 1 - 3 / (4 * (n1 + n2) - 9)
  se <- J * sqrt((n1 + n2) / (n1 * n2) + d^2 / (2 * (n1 + n2)))
  c(J * d, J * d - qnorm(0.975) * se, J * d + qnorm(0.975) * se)
}
shown <- function(g, y) g == "district" || sizes[g, y] >= 5
x <- function(g, y) if (g == "district") scores(y) else data[[paste(g, y)]]

tests <- list()
cat("\n// changes: {series, from year index, difference, se, df, t, p, ci lower, ci upper, g, g lower, g upper}\n")
for (g in c("district", groups)) for (y in 2:3) {
  if (!shown(g, y - 1) || !shown(g, y)) next
  tt <- t.test(x(g, y), x(g, y - 1), var.equal = FALSE)
  h <- hedges(x(g, y), x(g, y - 1))
  tests[[length(tests) + 1]] <- list(kind = "change", g = g, y = y, p = tt$p.value)
  cat(sprintf("{\"%s\", %d, %s},\n", g, y - 2,
              paste(num(c(mean(x(g, y)) - mean(x(g, y - 1)), tt$stderr, tt$parameter, tt$statistic, tt$p.value, tt$conf.int, h)),
                    collapse = ", ")))
}
gap <- function(g, y) {
  tt <- t.test(data[[paste(g, y)]], scores(y, setdiff(groups, g)), var.equal = FALSE)
  c(diff = unname(tt$estimate[1] - tt$estimate[2]), se = tt$stderr)
}
cat("\n// gap changes: {group, from year index, change, se, z, p, ci lower, ci upper}\n")
for (g in groups) for (y in 2:3) {
  if (!shown(g, y - 1) || !shown(g, y)) next
  a <- gap(g, y - 1); b <- gap(g, y)
  change <- b[["diff"]] - a[["diff"]]; se <- sqrt(a[["se"]]^2 + b[["se"]]^2); z <- change / se; p <- 2 * pnorm(-abs(z))
  tests[[length(tests) + 1]] <- list(kind = "gap", g = g, y = y, p = p, a = a[["diff"]], b = b[["diff"]])
  cat(sprintf("{\"%s\", %d, %s},\n", g, y - 2,
              paste(num(c(change, se, z, p, change - qnorm(0.975) * se, change + qnorm(0.975) * se)), collapse = ", ")))
}
q <- p.adjust(sapply(tests, function(t) t$p), method = "BH")
direction <- function(a, b, real) {
  if (!real) return("within-noise")
  if (abs(b) < abs(a)) return("closing")
  if (a == 0 || (a < 0) == (b < 0)) "widening" else "reversed"
}
cat(sprintf("\n// Benjamini-Hochberg over all %d tests: {kind, series, from year index, q, gap direction}\n", length(tests)))
for (i in seq_along(tests)) {
  t <- tests[[i]]
  cat(sprintf("{\"%s\", \"%s\", %d, %s, \"%s\"},\n", t$kind, t$g, t$y - 2, num(q[i]),
              if (t$kind == "gap") direction(t$a, t$b, q[i] < 0.05) else ""))
}
