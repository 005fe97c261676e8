#pragma once
/// The statistical core of the district profile (namespace mindset::analytics): pure functions of
/// numbers, no I/O, no store, no plugins. Every number can be reproduced in R; docs/statistics.md
/// gives the calls, and tests/reference/*.R print the values the tests compare against.
///
///   Descriptive.h  Moments, summarize (n, mean, SD, SE, t interval), proportion / favorableShare
///                  (Wilson interval), distribution (answers per code)
///   Reliability.h  ItemMatrix, ItemCovariance, cronbachAlpha (raw, standardized, Feldt interval,
///                  r.drop, α if item dropped), feldtInterval
///   Comparison.h   compareGroups (difference, Welch SE/df/CI/t/p, Hedges' g with CI),
///                  benjaminiHochberg
///   Trends.h       buildTrends: changes since the previous school year, gap changes, one
///                  Benjamini-Hochberg adjustment over all of them
///
/// Choices that change numbers
/// ---------------------------
/// - Missing values are NaN in every double input (a skipped item, a respondent without a scale
///   score). Response codes use 0 for "not answered", as stored.
/// - Per statistic:
///   * summarize, favorableShare, compareGroups: each statistic uses every value that is present
///     (available-case); n is the number of non-missing values.
///   * cronbachAlpha: listwise. Only respondents who answered every item of the scale count, and
///     every α statistic (variances, correlations, r.drop, α if dropped, the Feldt interval's n)
///     comes from that one complete-case covariance matrix. α and the Feldt interval assume one
///     positive semi-definite covariance matrix from n people; pairwise covariances (psych::alpha's
///     default, use = "pairwise") mix different subsets of people, can give a matrix no sample could
///     produce, and leave the interval's n undefined (psych then uses every row, answered or not).
///     We match psych::alpha(na.omit(x)) exactly; with missing answers psych::alpha(x) differs
///     (bfi A1-A5, A1 reversed: raw α 0.70376, Feldt [0.68574, 0.72104] listwise on 2709 people;
///     psych's default 0.70302, [0.68526, 0.72006] with pairwise covariances and n = 2800).
///     droppedRespondents says how many were left out.
/// - Reverse keying happens before these functions, on the instrument's DECLARED range:
///   keyed = min + max - code (sdk::keyedCode). psych::alpha(keys = ...) reverses on the observed
///   min and max of the data instead; the two agree whenever both ends of the scale were used.
/// - SD is the sample SD, divisor n - 1 (R's sd). The mean's interval is Student's t with n - 1 df
///   (R's t.test(x)$conf.int). n = 0: no mean; n = 1: a mean but no SD, SE or interval.
/// - % favorable: score >= Scale::favorableAtLeast, among respondents with a score; 95% Wilson score
///   interval (R's prop.test(x, n, correct = FALSE)$conf.int), not the Wald p -+ z sqrt(p(1-p)/n),
///   which collapses to [0, 0] or [1, 1] in small groups and undercovers near 0% and 100%.
/// - Raw α: k/(k-1) (1 - sum s_i² / s_total²). Standardized α: k r̄ / (1 + (k-1) r̄), r̄ the mean
///   inter-item correlation. Interval: Feldt (1965), F with n - 1 and (n - 1)(k - 1) df. Corrected
///   item-total correlation: the item against the sum of the other items (psych's r.drop, not r.cor).
///   α if dropped: raw α of the other k - 1 items, only when k >= 3 (psych reports a different
///   quantity for k = 2).
/// - Group comparisons are group minus rest. Welch's standard error and Welch-Satterthwaite df
///   (R's t.test default, var.equal = FALSE), two-sided p. Hedges' g: Cohen's d with the pooled SD
///   (divisor n1 + n2 - 2), times J = 1 - 3/(4(n1 + n2) - 9) (Hedges' approximation, not the exact
///   gamma form); SE(g) = J sqrt((n1+n2)/(n1 n2) + d²/(2(n1+n2))) and interval g -+ 1.959964 SE
///   (Borenstein et al. 2009, eqs. 4.18-4.24).
/// - Multiple comparisons: Benjamini-Hochberg q-values (R's p.adjust(p, "BH")); missing p-values are
///   not counted among the tests.
/// - Trends (Trends.h, docs/statistics.md "Trends across school years"). Each year's figures are
///   copied from that year's protected profile. Change since the previous school year = later mean
///   - earlier mean, tested as two independent samples from the shown n, mean and SD
///   (compareGroups(later, earlier): Welch, Hedges' g as above). Staff answer anonymously, so the
///   same person's answers in two years cannot be paired; with people who answer alike in both
///   years the true SE is smaller, so treating the years as independent is conservative.
///   Gap change = gap_t - gap_(t-1) (each the profile's group-minus-rest difference), SE =
///   sqrt(SE_t² + SE_(t-1)²) from the two Welch SEs, normal 95% interval and two-sided p (R:
///   2 * pnorm(-abs(z))). Closing when |gap_t| < |gap_(t-1)|, widening when it grew on the same side
///   of zero, reversed when it grew on the other side; each only when real. One Benjamini-Hochberg
///   adjustment over every change and gap change the trends report (all scales, the district and all
///   groups); "real change" = q < 0.05, otherwise "within noise". A change that crosses instrument
///   versions is computed only where the comparability rule says the scale is comparable.
/// - Every interval is 95%, two-sided. Quantiles come from Boost.Math, which agrees with R's
///   qt/qf/qnorm to about 1e-15.

#include "analytics/Comparison.h"
#include "analytics/Descriptive.h"
#include "analytics/Reliability.h"
