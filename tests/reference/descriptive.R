# Reference values for tests/unit/analytics/DescriptiveTest.cpp.
# Rscript tests/reference/descriptive.R   (R 4.2.2, Debian 12)
p <- function(name, x) cat(sprintf("%-36s %s\n", name, paste(sprintf("%.12g", x), collapse = " ")))

cat("## summarize: mean, sd, se, t.test(x)$conf.int\n")
x <- c(2, 4, 4, 4, 5, 5, 7, 9)
p("hand mean", mean(x)); p("hand sd", sd(x)); p("hand se", sd(x) / sqrt(length(x)))
p("hand qt(0.975, 7)", qt(0.975, 7)); p("hand t.test conf.int", t.test(x)$conf.int)
y <- c(3.5, NA, 4.25)  # a missing value is left out
p("missing mean", mean(y, na.rm = TRUE)); p("missing sd", sd(y, na.rm = TRUE))
p("missing t.test conf.int", t.test(y)$conf.int)  # t.test drops NA itself

cat("## proportion: prop.test(x, n, correct = FALSE)$conf.int is the Wilson score interval\n")
for (xn in list(c(7, 10), c(0, 10), c(10, 10), c(1, 1), c(412, 1000), c(3, 4)))
  p(sprintf("wilson %d/%d", xn[1], xn[2]), suppressWarnings(prop.test(xn[1], xn[2], correct = FALSE))$conf.int)

cat("## favorableShare: scores >= 4 among non-missing\n")
s <- c(4, 3.75, 5, NA, 4, 2.5, 4.333333333333333)
p("favorable count, n", c(sum(s >= 4, na.rm = TRUE), sum(!is.na(s))))
p("favorable wilson", suppressWarnings(prop.test(sum(s >= 4, na.rm = TRUE), sum(!is.na(s)), correct = FALSE))$conf.int)

cat("## benjaminiHochberg: p.adjust(p, 'BH')\n")
pv <- c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04, NA, 0.2, 1)
p("BH", p.adjust(pv, "BH"))
pv2 <- c(0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000)
p("BH (Benjamini & Hochberg 1995 table)", p.adjust(pv2, "BH"))
