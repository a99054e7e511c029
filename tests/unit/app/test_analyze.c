/* test_analyze.c: the diagnosis' pure scoring functions (docs/diagnosis.md). */
#include "app/analyze.h"
#include "app/series_baseline.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <math.h>

#define NEAR(a, b) cr_assert(fabs((a) - (b)) < 1e-9, "%.12g vs %.12g", (double)(a), (double)(b))

Test(app_analyze, step_drop)
{
    struct an_step s = {"payment_submitted", "purchase_completed", 100, 85, 40, 10, 0, 0, 0, 0};
    analyze_step_drop(&s);
    NEAR(s.before, 0.85);
    NEAR(s.during, 0.25);
    NEAR(s.drop, (0.85 - 0.25) / 0.85);
    double p = 95.0 / 140.0;
    NEAR(s.z, 0.6 / sqrt(p * (1 - p) * (1.0 / 100 + 1.0 / 40)));
    cr_assert(s.z > 3, "a clear drop is significant");
}

Test(app_analyze, step_drop_undefined)
{
    struct an_step s = {"a", "b", 0, 0, 10, 5, 0, 0, 0, 0};
    analyze_step_drop(&s);
    cr_assert(isnan(s.before));
    cr_assert(isnan(s.drop));
    cr_assert_eq(s.z, 0);
    struct an_step same = {"a", "b", 50, 25, 50, 25, 0, 0, 0, 0};
    analyze_step_drop(&same);
    NEAR(same.drop, 0);
    NEAR(same.z, 0);
}

Test(app_analyze, nearness_halves_every_half_life)
{
    int64_t hl = 15 * 60 * 1000;
    NEAR(analyze_nearness(0, 0, hl), 1.0);
    NEAR(analyze_nearness(0, hl, hl), 0.5);
    NEAR(analyze_nearness(2 * hl, 0, hl), 0.25);
}

static struct an_cause cause(const char *k1, const char *v1, const char *k2, const char *v2)
{
    struct an_cause c = {0};
    strlist_push(&c.keys, k1);
    strlist_push(&c.values, v1);
    if (k2) {
        strlist_push(&c.keys, k2);
        strlist_push(&c.values, v2);
    }
    c.share = 1;
    return c;
}

Test(app_analyze, overlap)
{
    struct an_cause c[1] = {cause("platform", "android", "app_version", "5.2")};
    NEAR(analyze_overlap("platform=android,app_version=5.2", c, 1), 1.0);
    NEAR(analyze_overlap("platform=android", c, 1), 1.0);
    NEAR(analyze_overlap("platform=android,app_version=5.1", c, 1), 0.5);
    NEAR(analyze_overlap("platform=ios", c, 1), 0.1);
    NEAR(analyze_overlap(NULL, c, 1), 0.2);
    NEAR(analyze_overlap("", c, 1), 0.2);
    NEAR(analyze_overlap("platform=android", c, 0), 0.2);
    strlist_release(&c[0].keys);
    strlist_release(&c[0].values);
}

Test(app_analyze, likelihood)
{
    cr_assert_eq(analyze_likelihood(0), 1);
    cr_assert_eq(analyze_likelihood(NAN), 1);
    cr_assert_eq(analyze_likelihood(0.1), 1);
    cr_assert_eq(analyze_likelihood(0.5), 3);
    cr_assert_eq(analyze_likelihood(1), 5);
    cr_assert_eq(analyze_likelihood(7), 5);
}

/* The diagnosis and the charts take the same local fit: the buckets of the hour before. */
Test(app_analyze, the_local_baseline_spans_an_hour_whatever_the_bucket)
{
    cr_assert_eq(series_baseline_local(MS_PER_MINUTE), 60);
    cr_assert_eq(series_baseline_local(10 * MS_PER_MINUTE), 6);
    cr_assert_eq(series_baseline_local(7 * MS_PER_MINUTE), 9); /* 8.6 rounded up */
    cr_assert_eq(series_baseline_local(MS_PER_HOUR), 3);      /* at least three */
    cr_assert_eq(series_baseline_local(MS_PER_DAY), 3);
}

/* The history read decides the seasons: days only by default, weeks first from 14 days. */
Test(app_analyze, weekly_seasons_need_fourteen_days_of_history)
{
    struct baseline_params p;
    series_baseline_params(MS_PER_MINUTE, 0, &p);
    cr_assert_eq(p.period, 1440);
    cr_assert_eq(p.seasons, SERIES_BASELINE_DAYS);
    cr_assert_eq(p.week_period, 0);
    series_baseline_params(MS_PER_MINUTE, 13, &p);
    cr_assert_eq(p.week_period, 0);
    series_baseline_params(MS_PER_MINUTE, 14, &p);
    cr_assert_eq(p.week_period, 7 * 1440);
    cr_assert_eq(p.weeks, 2);
    series_baseline_params(10 * MS_PER_MINUTE, 35, &p);
    cr_assert_eq(p.week_period, 7 * 144);
    cr_assert_eq(p.weeks, 4);
    series_baseline_params(7 * MS_PER_MINUTE, 28, &p); /* does not divide a day */
    cr_assert_eq(p.period, 0);
    cr_assert_eq(p.week_period, 0);
}
