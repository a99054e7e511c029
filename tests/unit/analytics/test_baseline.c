/* Baselines: seasonal medians resist an outlier day, the local fit covers short history, the
 * scale ignores the evaluated part. */
#include "analytics/baseline.h"

#include <criterion/criterion.h>
#include <math.h>

Test(baseline, seasonal_median_ignores_one_bad_day)
{
    /* period 4, four seasons of 1,2,3,4 except season 2 which is 100s; then the current one. */
    double v[20];
    for (size_t i = 0; i < 20; i++)
        v[i] = (double)(i % 4 + 1);
    for (size_t i = 8; i < 12; i++)
        v[i] = 100;
    double ex[20];
    struct baseline_params p = {4, 4, 3, 0, 0};
    baseline_expected(v, 20, &p, ex);
    for (size_t i = 16; i < 20; i++)
        cr_expect_float_eq(ex[i], (double)(i % 4 + 1), 1e-12, "bucket %zu: %g", i, ex[i]);
}

Test(baseline, local_fit_where_history_is_short)
{
    double v[6] = {5, 7, NAN, 6, 9, 100};
    double ex[6];
    struct baseline_params p = {1440, 4, 3, 0, 0};
    baseline_expected(v, 6, &p, ex);
    cr_expect(isnan(ex[0]), "nothing before the first bucket");
    cr_expect_float_eq(ex[1], 5, 1e-12);
    cr_expect_float_eq(ex[2], 6, 1e-12);
    cr_expect_float_eq(ex[3], 6, 1e-12); /* median of 5, 7 (NAN skipped) */
    cr_expect_float_eq(ex[5], 7.5, 1e-12); /* the last 3: NAN, 6, 9 */
}

Test(baseline, seasons_with_missing_values_fall_back)
{
    double v[9] = {1, 1, 1, NAN, NAN, NAN, 3, 3, 3};
    double ex[9];
    struct baseline_params p = {3, 2, 2, 0, 0};
    baseline_expected(v, 9, &p, ex);
    /* bucket 6: previous seasons are 3 (NAN) and 0 (1): one value, so the local fit (NAN, NAN)
     * has nothing, NAN; bucket 8: local fit of 3, 3. */
    cr_expect(isnan(ex[6]));
    cr_expect_float_eq(ex[8], 3, 1e-12);
}

Test(baseline, scale_uses_only_the_buckets_before_the_evaluation)
{
    double v[8] = {10, 11, 9, 10, 12, 8, 1000, 1000};
    double ex[8] = {10, 10, 10, 10, 10, 10, 10, 10};
    double s = baseline_scale(v, ex, 6);
    /* residuals 0,1,1,0,2,2 -> median 1 */
    cr_expect_float_eq(s, 1.4826, 1e-9);
    cr_expect(isnan(baseline_scale(v, ex, 2)), "fewer than 3 residuals");
}

Test(baseline, median_of_nothing_is_nan)
{
    double v[2] = {NAN, NAN};
    cr_expect(isnan(median_inplace(v, 2)));
    cr_expect(isnan(median_inplace(v, 0)));
}

/* A "week" of two "days" of 4 buckets: days alternate between 10s and 20s (a weekday and a
 * weekend). The daily median mixes both kinds of day; the weekly one, once two previous
 * weeks exist, takes the same day of the week. */
Test(baseline, weekly_seasons_come_first_when_two_weeks_exist)
{
    double v[40];
    for (size_t i = 0; i < 40; i++)
        v[i] = (i / 4) % 2 ? 20 : 10;
    double daily[40], weekly[40];
    struct baseline_params d = {4, 4, 3, 0, 0};
    struct baseline_params w = {4, 4, 3, 8, 4};
    baseline_expected(v, 40, &d, daily);
    baseline_expected(v, 40, &w, weekly);
    for (size_t i = 36; i < 40; i++) { /* a 20s day: previous days 10, 20, 10, 20 */
        cr_expect_float_eq(daily[i], 15, 1e-12, "daily %zu: %g", i, daily[i]);
        cr_expect_float_eq(weekly[i], 20, 1e-12, "weekly %zu: %g", i, weekly[i]);
    }
    /* before two previous weeks exist (buckets 8..15: one week back only), the daily median */
    for (size_t i = 12; i < 16; i++)
        cr_expect_float_eq(weekly[i], daily[i], 1e-12, "bucket %zu", i);
}
