# Reference values for tests/unit/analytics/BfiAgreeablenessTest.cpp, from psych's bfi data
# (2800 people, 25 personality items answered 1..6; Revelle, psych 2.2.9). Also writes the data the
# test reads: A1..A5 as answered (not keyed) and gender, NA as an empty field.
# Rscript tests/reference/bfi-agreeableness.R   (from the repository root; R 4.2.2, Debian 12)
suppressPackageStartupMessages(library(psych))
p <- function(name, x) cat(sprintf("%-34s %s\n", name, paste(sprintf("%.12g", x), collapse = " ")))
data(bfi)
d <- bfi[, c("A1", "A2", "A3", "A4", "A5", "gender")]
write.csv(d, "tests/unit/analytics/data/bfi-agreeableness.csv", row.names = FALSE, na = "")

cat("## psych::alpha on the complete rows (listwise, as Mindset), A1 reverse keyed\n")
a <- alpha(na.omit(bfi[1:5]), keys = c(-1, 1, 1, 1, 1))
p("nrow(na.omit)", nrow(na.omit(bfi[1:5])))
p("raw_alpha", a$total$raw_alpha); p("std.alpha", a$total$std.alpha); p("average_r", a$total$average_r)
p("r.drop A1..A5", a$item.stats$r.drop)
p("alpha.drop raw_alpha A1..A5", a$alpha.drop$raw_alpha)
p("feldt lower, upper", c(a$feldt$lower.ci, a$feldt$upper.ci))
cat("## psych::alpha's default on all 2800 rows (pairwise covariances): NOT what Mindset computes\n")
b <- alpha(bfi[1:5], keys = c(-1, 1, 1, 1, 1))
p("pairwise raw_alpha", b$total$raw_alpha); p("pairwise std.alpha", b$total$std.alpha)
p("pairwise feldt (n = 2800)", c(b$feldt$lower.ci, b$feldt$upper.ci))

cat("## distribution: table(A1, useNA = 'always'), codes 1..6 then NA\n")
p("A1", as.vector(table(bfi$A1, useNA = "always")))
p("A2", as.vector(table(bfi$A2, useNA = "always")))

cat("## scale score = mean of answered keyed items (sdk::meanOfAnsweredItems, minAnswered 1)\n")
keyed <- bfi[1:5]; keyed$A1 <- 1 + 6 - keyed$A1
score <- rowMeans(keyed, na.rm = TRUE)
score[is.nan(score)] <- NA
p("n with a score", sum(!is.na(score)))
p("mean, sd", c(mean(score, na.rm = TRUE), sd(score, na.rm = TRUE)))
p("t.test(score)$conf.int", t.test(score)$conf.int)
fav <- sum(score >= 4, na.rm = TRUE)
p("favorable (>= 4) count", fav)
p("prop.test conf.int", prop.test(fav, sum(!is.na(score)), correct = FALSE)$conf.int)

cat("## women (gender 2) against the rest (gender 1): t.test(x, y, var.equal = FALSE)\n")
x <- score[bfi$gender == 2 & !is.na(score)]; y <- score[bfi$gender == 1 & !is.na(score)]
tt <- t.test(x, y, var.equal = FALSE)
p("n1, n2", c(length(x), length(y)))
p("difference", mean(x) - mean(y)); p("stderr", tt$stderr); p("df", tt$parameter)
p("t", tt$statistic); p("p.value", tt$p.value); p("conf.int", tt$conf.int)
n1 <- length(x); n2 <- length(y)
sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / (n1 + n2 - 2))
dd <- (mean(x) - mean(y)) / sp
J <- 1 - 3 / (4 * (n1 + n2) - 9)
g <- J * dd
se <- J * sqrt((n1 + n2) / (n1 * n2) + dd^2 / (2 * (n1 + n2)))
p("cohen d, J, g", c(dd, J, g)); p("se(g)", se); p("g conf.int", g + c(-1, 1) * qnorm(0.975) * se)
