/* test_stats.c: the experiments' significance tests against values computed by hand. */
#include "analytics/stats.h"

#include <criterion/criterion.h>
#include <math.h>

#define NEAR(a, b, tol) cr_assert(fabs((a) - (b)) < (tol), "%.12g vs %.12g", (double)(a), (double)(b))

Test(analytics_stats, two_proportions)
{
    /* control 80/100, treatment 90/100: pooled p = 0.85 */
    struct test_result r = two_proportion_test(80, 100, 90, 100);
    cr_assert(r.valid);
    NEAR(r.effect, 0.10, 1e-12);
    NEAR(r.statistic, 1.9802950859533481, 1e-9);
    NEAR(r.p_value, 0.04767038065616136, 1e-9);
    NEAR(r.ci_low, 0.002001800772997289, 1e-9);
    NEAR(r.ci_high, 0.19799819922700268, 1e-9);
    cr_assert_eq(r.df, 0, "the z-test has no degrees of freedom");
}

Test(analytics_stats, two_proportions_degenerate)
{
    cr_assert(!two_proportion_test(0, 0, 5, 10).valid, "no control trials");
    cr_assert(!two_proportion_test(10, 10, 20, 20).valid, "pooled proportion 1: no variance");
    struct test_result same = two_proportion_test(30, 60, 30, 60);
    cr_assert(same.valid);
    NEAR(same.p_value, 1.0, 1e-12);
}

Test(analytics_stats, welch)
{
    /* mean 10 sd 2 n 30 vs mean 11 sd 3 n 25 */
    struct test_result r = welch_test(10, 2, 30, 11, 3, 25);
    cr_assert(r.valid);
    double vc = 4.0 / 30, vt = 9.0 / 25;
    double se = sqrt(vc + vt);
    double df = (vc + vt) * (vc + vt) / (vc * vc / 29 + vt * vt / 24);
    NEAR(r.effect, 1.0, 1e-12);
    NEAR(r.statistic, 1.0 / se, 1e-12);
    NEAR(r.df, df, 1e-9);
    cr_assert(r.p_value > 0.1 && r.p_value < 0.2, "p %g", r.p_value);
    cr_assert(r.ci_low < 0 && r.ci_high > 2, "interval [%g, %g]", r.ci_low, r.ci_high);
    NEAR((r.ci_low + r.ci_high) / 2, r.effect, 1e-12);
}

Test(analytics_stats, welch_known_tail)
{
    /* equal groups chosen so that t = 2 with df = 10 exactly: p = 0.07338803 (t tables) */
    double sd = sqrt(3.0); /* se = sqrt(3/6 + 3/6) = 1, df = 10 */
    struct test_result r = welch_test(0, sd, 6, 2, sd, 6);
    cr_assert(r.valid);
    NEAR(r.statistic, 2.0, 1e-12);
    NEAR(r.df, 10.0, 1e-9);
    NEAR(r.p_value, 0.0733880347, 1e-7);
    NEAR(r.ci_high - r.effect, 2.228138852, 1e-6); /* t(0.975, 10) x se 1 */
}

Test(analytics_stats, welch_degenerate)
{
    cr_assert(!welch_test(1, 1, 1, 2, 1, 10).valid, "a group of one");
    cr_assert(!welch_test(1, 0, 10, 2, 0, 10).valid, "no variance at all");
}
