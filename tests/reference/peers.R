# Reference values for tests/unit/analytics/PeersTest.cpp: R's quantile(x, type = 7), the
# quantiles a peer comparison publishes (25th percentile, median, 75th percentile).
# Rscript tests/reference/peers.R   (R 4.2.2, Debian 12)
p <- function(name, x) cat(sprintf("%-34s %s\n", name, paste(sprintf("%.12g", x), collapse = " ")))
q <- function(label, x, probs = c(0.25, 0.5, 0.75)) p(label, quantile(x, probs, type = 7, names = FALSE))

cat("## quartiles (type 7)\n")
q("five district means", c(3.1, 3.45, 2.8, 3.9, 3.3))
q("five shares favorable", c(0.42, 0.55, 0.31, 0.72, 0.48))
q("six district means", c(3.1, 3.45, 2.8, 3.9, 3.3, 4.2))
q("six shares favorable", c(0.42, 0.55, 0.31, 0.72, 0.48, 0.8))
q("seven awkward values", c(3.71, 2.94, 4.12, 3.05, 3.38, 3.9, 2.61))
q("seven awkward values, 0 .1 .9 1", c(3.71, 2.94, 4.12, 3.05, 3.38, 3.9, 2.61), c(0, 0.1, 0.9, 1))
q("one value", c(3.7))
q("two values", c(3.2, 4.0))
q("ties", c(3, 3, 3, 4, 4, 5))
q("four means (network view)", c(3.45, 3.1, 2.8, 3.9))
q("five others of a hidden viewer", c(3.1, 2.8, 3.9, 3.3, 4.2))

cat("## what a district sees: quartiles rounded to 2 decimals (R >= 4.0.0's round)\n")
p("six district means, rounded", round(quantile(c(3.1, 3.45, 2.8, 3.9, 3.3, 4.2), c(0.25, 0.5, 0.75), type = 7, names = FALSE), 2))
p("six shares favorable, rounded", round(quantile(c(0.42, 0.55, 0.31, 0.72, 0.48, 0.8), c(0.25, 0.5, 0.75), type = 7, names = FALSE), 2))
p("round(x, 2) at halves", round(c(3.375, 3.7875, 0.435, 0.515, 0.6775, 3.025, 2.675, 0.125, -1.005, 4), 2))
