# Reference values for the hand-worked cases in tests/unit/analytics/ReliabilityTest.cpp.
# Rscript tests/reference/reliability.R   (R 4.2.2, psych 2.2.9, Debian 12)
suppressPackageStartupMessages(library(psych))
p <- function(name, x) cat(sprintf("%-30s %s\n", name, paste(sprintf("%.12g", x), collapse = " ")))

# Raw answers on 1..5; item c is reverse keyed; respondent 6 skipped b (listwise: left out).
raw <- data.frame(a = c(1, 2, 3, 4, 5, 3),
                  b = c(2, 2, 4, 4, 3, NA),
                  c = c(5, 4, 3, 1, 2, 2))
keyed <- raw
keyed$c <- 1 + 5 - raw$c          # keyed = min + max - code on the declared 1..5 range
complete <- na.omit(keyed)

cat("## psych::alpha on the keyed complete rows\n")
a <- alpha(complete, warnings = FALSE)
p("raw_alpha", a$total$raw_alpha); p("std.alpha", a$total$std.alpha); p("average_r", a$total$average_r)
p("r.drop", a$item.stats$r.drop); p("alpha.drop raw_alpha", a$alpha.drop$raw_alpha)
p("feldt lower, upper", c(a$feldt$lower.ci, a$feldt$upper.ci))
cat("## the same from the raw answers with psych's own keying (observed min 1, max 5 = declared)\n")
b <- alpha(na.omit(raw), keys = c(1, 1, -1), warnings = FALSE)
p("raw_alpha (keys)", b$total$raw_alpha); p("std.alpha (keys)", b$total$std.alpha)
p("r.drop (keys)", b$item.stats$r.drop); p("alpha.drop (keys)", b$alpha.drop$raw_alpha)
cat("## Feldt from the formula (Feldt 1965), n = 5, k = 3\n")
n <- 5; k <- 3; al <- a$total$raw_alpha
p("qf(.975,4,8), qf(.025,4,8)", c(qf(0.975, n - 1, (n - 1) * (k - 1)), qf(0.025, n - 1, (n - 1) * (k - 1))))
p("feldt formula", c(1 - (1 - al) * qf(0.975, n - 1, (n - 1) * (k - 1)), 1 - (1 - al) * qf(0.025, n - 1, (n - 1) * (k - 1))))
p("alpha.ci(0.8, 100, 10)", unlist(alpha.ci(0.8, 100, 10)[c("lower.ci", "upper.ci")]))

cat("## two items: r.drop is the inter-item correlation\n")
two <- data.frame(a = c(1, 2, 3, 4, 5), b = c(2, 1, 4, 3, 5))
p("alpha (2 items)", alpha(two, warnings = FALSE)$total$raw_alpha); p("cor", cor(two$a, two$b))

cat("## shifted location: the same answers + 1e6 give the same alpha\n")
p("raw_alpha (+1e6)", alpha(complete + 1e6, warnings = FALSE)$total$raw_alpha)
