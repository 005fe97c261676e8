# Reference values for tests/unit/analytics/ComparisonTest.cpp.
# Rscript tests/reference/comparison.R   (R 4.2.2, Debian 12)
p <- function(name, x) cat(sprintf("%-30s %s\n", name, paste(sprintf("%.12g", x), collapse = " ")))

hedges <- function(x, y) {
  # Hedges' g as Mindset computes it: Cohen's d with the pooled SD, J = 1 - 3/(4(n1+n2) - 9),
  # SE from Borenstein et al. (2009) eqs. 4.20 and 4.24, normal-approximation interval.
  n1 <- length(x); n2 <- length(y)
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / (n1 + n2 - 2))
  d <- (mean(x) - mean(y)) / sp
  J <- 1 - 3 / (4 * (n1 + n2) - 9)
  se <- J * sqrt((n1 + n2) / (n1 * n2) + d^2 / (2 * (n1 + n2)))
  c(d = d, J = J, g = J * d, se = se, lower = J * d - qnorm(0.975) * se, upper = J * d + qnorm(0.975) * se)
}
welch <- function(label, x, y) {
  x <- x[!is.na(x)]; y <- y[!is.na(y)]  # as t.test does; Mindset skips NaN the same way
  tt <- t.test(x, y, var.equal = FALSE)
  cat("##", label, "\n")
  p("difference", mean(x) - mean(y)); p("stderr", tt$stderr); p("df", tt$parameter)
  p("t", tt$statistic); p("p.value", tt$p.value); p("conf.int", tt$conf.int)
  h <- hedges(x, y)
  p("d, J, g", h[c("d", "J", "g")]); p("se(g)", h["se"]); p("g conf.int", h[c("lower", "upper")])
}

welch("hand: group {4,5,6} vs rest {1,2,3,4,5}", c(4, 5, 6), c(1, 2, 3, 4, 5))
welch("school scores vs rest of district",
      c(3.2, 4.1, 3.8, 2.9, 4.4, 3.6, 3.0, 4.0, 3.3),
      c(3.9, 4.2, 4.6, 3.7, 4.8, 4.1, 3.5, 4.4, 4.0, 4.5, 3.8, 4.3, 4.7))
welch("a missing score (NA) is left out", c(2.5, 3, NA, 3.5, 4), c(3, 3.25, 4.5, 4, 5, NA))

cat("## exact J = gamma(df/2) / (sqrt(df/2) gamma((df-1)/2)) against the approximation\n")
for (n in c(8, 13, 20, 50, 100)) {
  df <- n - 2
  exact <- gamma(df / 2) / (sqrt(df / 2) * gamma((df - 1) / 2))
  p(sprintf("n1+n2 = %d: exact, approx", n), c(exact, 1 - 3 / (4 * n - 9), abs(exact - (1 - 3 / (4 * n - 9)))))
}
