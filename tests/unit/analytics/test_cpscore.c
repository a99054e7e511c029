/* test_cpscore.c: TCPDBench's F1 and covering against the checks of the data README and of
 * TCPDBench's metrics.py (exact values), the cleaning of predictions, the margin, the
 * tie-break of the matching, and degenerate inputs. */
#include "analytics/cpscore.h"

#include <criterion/criterion.h>
#include <math.h>

#define SET(...) \
    {(const int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)}
#define EMPTY {NULL, 0}

static double f1(const struct cp_set *a, size_t k, const int64_t *p, size_t n)
{
    return cp_f1(a, k, p, n, CPSCORE_MARGIN, NULL, NULL);
}

Test(analytics_cp_score, f1_readme_checks)
{
    struct cp_set a1[] = {SET(10, 20), SET(11, 20), SET(10), SET(0, 5)};
    int64_t p1[] = {10, 20};
    cr_assert_eq(f1(a1, 4, p1, 2), 1.0);
    struct cp_set a2[] = {EMPTY, SET(10), SET(50)};
    int64_t p2[] = {10};
    cr_assert_eq(f1(a2, 3, p2, 1), 0.9090909090909091);
    cr_assert_eq(f1(a2, 3, NULL, 0), 0.8);
}

Test(analytics_cp_score, cover_readme_checks)
{
    struct cp_set a1[] = {SET(10, 20), SET(10), SET(0, 5)};
    int64_t p1[] = {10, 20};
    cr_assert_eq(cp_cover(a1, 3, p1, 2, 45), 0.7962962962962963);
    struct cp_set a2[] = {EMPTY, SET(10), SET(40)};
    int64_t p2[] = {10};
    cr_assert_eq(cp_cover(a2, 3, p2, 1, 45), 0.7954144620811286);
    cr_assert_eq(cp_cover(a2, 3, NULL, 0, 45), 0.8189300411522634);
}

Test(analytics_cp_score, precision_and_recall)
{
    /* Annotators {0}, {0, 10}, {0, 50}; predictions {0, 10}: P = 2/2, R = (1 + 1 + 1/2) / 3. */
    struct cp_set a[] = {EMPTY, SET(10), SET(50)};
    int64_t p[] = {10};
    double prec, rec;
    cp_f1(a, 3, p, 1, CPSCORE_MARGIN, &prec, &rec);
    cr_assert_eq(prec, 1.0);
    cr_assert_float_eq(rec, 2.5 / 3, 1e-15);
}

Test(analytics_cp_score, margin_is_inclusive)
{
    struct cp_set a[] = {SET(50)};
    int64_t at5[] = {55}, at6[] = {56};
    double p5, p6;
    cp_f1(a, 1, at5, 1, CPSCORE_MARGIN, &p5, NULL);
    cp_f1(a, 1, at6, 1, CPSCORE_MARGIN, &p6, NULL);
    cr_assert_eq(p5, 1.0);
    cr_assert_eq(p6, 0.5); /* only the added 0 matches */
}

Test(analytics_cp_score, ties_take_the_smaller_index)
{
    /* 10 is 2 from both 8 and 12 and takes 8, which leaves 12 for 14: 3 hits with 0. Taking 12
     * would leave 14 without a match. */
    struct cp_set a[] = {SET(10, 14)};
    int64_t p[] = {8, 12};
    double prec, rec;
    cp_f1(a, 1, p, 2, CPSCORE_MARGIN, &prec, &rec);
    cr_assert_eq(rec, 1.0);
    cr_assert_eq(prec, 1.0);
}

Test(analytics_cp_score, a_prediction_counts_once)
{
    /* Two annotations near one prediction: one hit (plus 0). */
    struct cp_set a[] = {SET(20, 22)};
    int64_t p[] = {21};
    double rec;
    cp_f1(a, 1, p, 1, CPSCORE_MARGIN, NULL, &rec);
    cr_assert_float_eq(rec, 2.0 / 3, 1e-15);
}

Test(analytics_cp_score, duplicates_do_not_count_twice)
{
    struct cp_set a[] = {SET(30, 30)};
    int64_t p[] = {30, 30, 30};
    cr_assert_eq(f1(a, 1, p, 3), 1.0);
}

Test(analytics_cp_score, clean_dedupes_filters_and_sorts)
{
    int64_t raw[] = {5, -1, 0, 3, 5, 99, 98, 97, 1};
    size_t n = cp_clean(raw, 9, 100, raw);
    int64_t want[] = {1, 3, 5, 97, 98};
    cr_assert_eq(n, 5);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(raw[i], want[i], "at %zu: %lld", i, (long long)raw[i]);
    int64_t tiny[] = {0, 1};
    cr_assert_eq(cp_clean(tiny, 2, 2, tiny), 0);
    cr_assert_eq(cp_clean(tiny, 2, 0, tiny), 0);
}

Test(analytics_cp_score, cover_of_identical_partitions_is_one)
{
    struct cp_set a[] = {SET(10, 30), SET(30, 10)};
    int64_t p[] = {30, 10, 10};
    cr_assert_eq(cp_cover(a, 2, p, 3, 60), 1.0);
    /* A point at 0 or past the end starts no segment. */
    int64_t q[] = {0, 10, 30, 60, 75};
    cr_assert_eq(cp_cover(a, 2, q, 5, 60), 1.0);
}

Test(analytics_cp_score, cover_by_hand)
{
    /* [0, 10) [10, 20) against the prediction [0, 20): each annotated segment overlaps 10/20. */
    struct cp_set a[] = {SET(10)};
    cr_assert_eq(cp_cover(a, 1, NULL, 0, 20), 0.5);
}

Test(analytics_cp_score, no_annotators_is_nan)
{
    int64_t p[] = {3};
    cr_assert(isnan(f1(NULL, 0, p, 1)));
    cr_assert(isnan(cp_cover(NULL, 0, p, 1, 10)));
    struct cp_set a[] = {SET(3)};
    cr_assert(isnan(cp_cover(a, 1, p, 1, 0)));
}
