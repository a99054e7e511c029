/* test_localize.c: the localisation kernel on hand-made cubes with known answers (one cause in
 * one attribute, a two-attribute conjunction, an uneven cause named at its coarsest, a segment
 * whose rest is negligible, a rate rise among sparse counts, causes on one attribute whose union
 * sits mostly in a value of another (twice: found by the search without that attribute, and
 * by starting from another segment), two causes, a two-sided case, no deviation, zero
 * forecasts, malformed input), and the benchmark scorer (app/localize.h) on hand-made sets:
 * exact matching, canonical pairs and numbers, empty sets, malformed segments. */
#include "analytics/localize.h"
#include "app/localize.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXL 512

/* A full cube over attributes of the given cardinalities, every leaf expected at base * (1 +
 * (leaf % 7)) (so leaves differ) and real = expected. */
struct test_cube {
    size_t n, na;
    uint32_t card[4];
    uint32_t codes[MAXL * 4];
    double real[MAXL], expected[MAXL];
};

static void make(struct test_cube *t, size_t na, const uint32_t *card, double base)
{
    memset(t, 0, sizeof(*t));
    t->na = na;
    t->n = 1;
    for (size_t a = 0; a < na; a++) {
        t->card[a] = card[a];
        t->n *= card[a];
    }
    cr_assert(t->n <= MAXL);
    for (size_t i = 0; i < t->n; i++) {
        size_t rest = i;
        for (size_t a = na; a-- > 0;) {
            t->codes[i * na + a] = (uint32_t)(rest % card[a]);
            rest /= card[a];
        }
        t->expected[i] = t->real[i] = base * (double)(1 + i % 7);
    }
}

/* Multiplies real by r on the leaves whose attribute a is v (and b is w when b >= 0). */
static void scale(struct test_cube *t, size_t a, uint32_t v, int b, uint32_t w, double r)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->codes[i * t->na + a] == v && (b < 0 || t->codes[i * t->na + (size_t)b] == w))
            t->real[i] *= r;
}

static struct loc_result run(const struct test_cube *t)
{
    struct loc_cube c = {t->n, t->na, t->codes, t->card, t->real, t->expected};
    struct loc_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(localize(&c, NULL, &r, &e), ERR_OK, "%s", e.msg);
    return r;
}

/* True when the result holds the cause fixing attribute a to v (and b to w when b >= 0). */
static bool has(const struct loc_result *r, size_t na, size_t a, uint32_t v, int b, uint32_t w)
{
    for (size_t k = 0; k < r->n; k++) {
        bool ok = true;
        for (size_t x = 0; x < na; x++) {
            uint32_t want = x == a ? v : (b >= 0 && x == (size_t)b) ? w : LOC_ANY;
            ok &= r->causes[k].values[x] == want;
        }
        if (ok)
            return true;
    }
    return false;
}

static const uint32_t CARD3[] = {4, 5, 6};

Test(analytics_localize, one_cause_in_one_attribute)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    scale(&t, 1, 2, -1, 0, 0.3); /* b = 2 drops by 70 % */
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1);
    cr_assert(has(&r, 3, 1, 2, -1, 0));
    cr_assert_eq(r.causes[0].layer, 1);
    cr_assert_float_eq(r.causes[0].share, 1.0, 0.02);
    cr_assert_float_eq(r.causes[0].real / r.causes[0].expected, 0.3, 1e-9);
    loc_result_release(&r);
}

Test(analytics_localize, two_attribute_conjunction)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    scale(&t, 0, 1, 2, 4, 0.5); /* a = 1 and c = 4 halves */
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 0, 1, 2, 4));
    cr_assert_eq(r.causes[0].layer, 2);
    loc_result_release(&r);
}

Test(analytics_localize, uneven_cause_is_named_at_its_coarsest)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    scale(&t, 1, 2, 0, 0, 4.0); /* b = 2 rises, four-fold where a = 0 ... */
    for (size_t i = 0; i < t.n; i++) /* ... 1.8-fold elsewhere: uneven, but all of b = 2 */
        if (t.codes[i * 3 + 1] == 2 && t.codes[i * 3] != 0)
            t.real[i] *= 1.8;
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 1, 2, -1, 0), "not b = 2 (layer %u)", r.causes[0].layer);
    loc_result_release(&r);
}

Test(analytics_localize, negligible_rest_of_a_segment_is_left_in)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    for (size_t i = 0; i < t.n; i++) /* a = 3 holds almost nothing outside c = 5 */
        if (t.codes[i * 3] == 3 && t.codes[i * 3 + 2] != 5)
            t.expected[i] = t.real[i] = 0.01;
    scale(&t, 0, 3, 2, 5, 3.0);
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 0, 3, -1, 0));
    loc_result_release(&r);
}

/* Poisson-like counts: a sum of 12 uniform draws approximates a normal deviate. */
static double wobble(uint64_t *x)
{
    double z = -6;
    for (int k = 0; k < 12; k++) {
        *x = *x * 6364136223846793005u + 1442695040888963407u;
        z += (double)(*x >> 40) / (double)(1u << 24);
    }
    return z;
}

Test(analytics_localize, rate_rise_among_sparse_counts)
{
    struct test_cube t;
    make(&t, 3, CARD3, 1.5); /* 1.5 to 10.5 events per leaf: counts, noisy */
    uint64_t x = 11;
    for (size_t i = 0; i < t.n; i++) {
        double mean = t.expected[i] * (t.codes[i * 3 + 2] == 1 ? 2.5 : 1);
        t.real[i] = fmax(0, round(mean + sqrt(mean) * wobble(&x)));
    }
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 2, 1, -1, 0));
    loc_result_release(&r);
}

Test(analytics_localize, causes_on_one_attribute_spread_over_another)
{
    static const uint32_t card[] = {2, 5, 8};
    struct test_cube t;
    make(&t, 3, card, 100);
    for (size_t i = 0; i < t.n; i++) { /* a = 0 holds most of the traffic ... */
        size_t c = t.codes[i * 3 + 2];
        if (t.codes[i * 3] == 0)
            t.expected[i] = t.real[i] = 5 * t.expected[i];
        if (c == 1 || c == 3 || c == 5) /* ... and c = 1, 3 and 5 rise most there */
            t.real[i] *= t.codes[i * 3] == 0 ? 3 : 1.8;
    }
    struct loc_result r = run(&t); /* a = 0 explains most, but a = 1 moved too */
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 3, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 2, 1, -1, 0));
    cr_assert(has(&r, 3, 2, 3, -1, 0));
    cr_assert(has(&r, 3, 2, 5, -1, 0));
    loc_result_release(&r);
}

/* Two causes on c (c = 0 and 1, 70 % of the traffic) rise in both values of a, most in a = 0,
 * which holds 85 % of it: a = 0 alone scores above either cause and is the greedy's first
 * pick, blaming its leaves that did not move; starting from c = 0 finds both causes, with a
 * higher sum and less of the cube blamed. Leaves wobble by up to 30 %. */
Test(analytics_localize, two_causes_not_their_union_in_a_dominant_value)
{
    static const uint32_t card[] = {2, 3, 5};
    static const double share_a[] = {0.85, 0.15}, share_b[] = {0.6, 0.25, 0.15},
                        share_c[] = {0.45, 0.25, 0.15, 0.1, 0.05};
    struct test_cube t;
    make(&t, 3, card, 1);
    for (size_t i = 0; i < t.n; i++) {
        const uint32_t *code = &t.codes[i * 3];
        double e = 50 * share_a[code[0]] * share_b[code[1]] * share_c[code[2]] *
                   (1 + 0.125 * (double)(i * 7 % 5));
        double rise = code[2] == 0 ? 8 : code[2] == 1 ? 10 : 1;
        if (code[0] == 1)
            rise = 1 + (rise - 1) * 0.5;
        double wobble = 1 + 0.1 * (double)((i + 1) * 13 % 7) - 0.3;
        t.expected[i] = e;
        t.real[i] = round(e * rise * wobble);
    }
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 2, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 2, 0, -1, 0));
    cr_assert(has(&r, 3, 2, 1, -1, 0));
    loc_result_release(&r);
}

Test(analytics_localize, two_causes)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    scale(&t, 0, 3, -1, 0, 0.2);
    scale(&t, 1, 0, 2, 1, 0.4);
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 2, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 0, 3, -1, 0));
    cr_assert(has(&r, 3, 1, 0, 2, 1));
    cr_assert(r.causes[0].share >= r.causes[1].share);
    cr_assert_float_eq(r.explained, 1.0, 0.02);
    loc_result_release(&r);
}

Test(analytics_localize, two_sided)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    scale(&t, 0, 0, -1, 0, 3.0); /* a = 0 triples */
    scale(&t, 2, 5, -1, 0, 0.1); /* c = 5 nearly vanishes */
    /* the totals may barely move: the two causes cancel in part */
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 2, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 0, 0, -1, 0));
    cr_assert(has(&r, 3, 2, 5, -1, 0));
    loc_result_release(&r);
}

Test(analytics_localize, no_deviation_gives_an_empty_set)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_NO_DEVIATION);
    cr_assert_eq(r.n, 0);
    cr_assert_str_eq(loc_status_name(r.status), "no_deviation");
    loc_result_release(&r);
}

Test(analytics_localize, noise_alone_is_no_deviation)
{
    struct test_cube t;
    make(&t, 3, CARD3, 1000);
    uint64_t x = 7;
    for (size_t i = 0; i < t.n; i++) { /* +-1 % pseudo-random wobble */
        x = x * 6364136223846793005u + 1442695040888963407u;
        t.real[i] *= 1 + 0.01 * ((double)(x >> 40) / (double)(1u << 24) - 0.5);
    }
    struct loc_result r = run(&t);
    cr_assert_eq(r.n, 0, "invented %zu causes", r.n);
    cr_assert_neq(r.status, LOC_FOUND);
    loc_result_release(&r);
}

Test(analytics_localize, zero_forecasts)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    for (size_t i = 0; i < t.n; i++)
        if (t.codes[i * 3 + 1] == 4) { /* b = 4: a new segment, nothing expected */
            t.expected[i] = 0;
            t.real[i] = 80;
        }
    for (size_t i = 0; i < t.n; i += 5) /* and some empty leaves elsewhere */
        if (t.codes[i * 3 + 1] != 4)
            t.expected[i] = t.real[i] = 0;
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_FOUND);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert(has(&r, 3, 1, 4, -1, 0));
    cr_assert_float_eq(r.causes[0].expected, 0, 1e-12);
    loc_result_release(&r);
}

Test(analytics_localize, all_zero_and_empty_cubes)
{
    struct test_cube t;
    make(&t, 3, CARD3, 0);
    struct loc_result r = run(&t);
    cr_assert_eq(r.status, LOC_NO_DEVIATION);
    loc_result_release(&r);
    t.n = 0;
    r = run(&t);
    cr_assert_eq(r.status, LOC_NO_DEVIATION);
    loc_result_release(&r);
}

Test(analytics_localize, refuses_malformed_cubes)
{
    struct test_cube t;
    make(&t, 3, CARD3, 100);
    t.real[3] = -1;
    struct loc_cube c = {t.n, t.na, t.codes, t.card, t.real, t.expected};
    struct loc_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(localize(&c, NULL, &r, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "leaf 4"), "%s", e.msg);
    t.real[3] = 1;
    t.codes[5] = 99;
    cr_assert_eq(localize(&c, NULL, &r, &e), ERR_INVALID);
    c.n_attrs = 0;
    cr_assert_eq(localize(&c, NULL, &r, &e), ERR_INVALID);
}

Test(analytics_localize, large_cube_six_attributes)
{
    static uint32_t codes[4096 * 6];
    static double real[4096], expected[4096];
    uint32_t card[6] = {4, 4, 4, 4, 4, 4};
    for (size_t i = 0; i < 4096; i++) {
        for (size_t a = 0; a < 6; a++)
            codes[i * 6 + a] = (uint32_t)(i >> (2 * a)) & 3;
        expected[i] = real[i] = 50 + (double)(i % 13);
        if (codes[i * 6 + 1] == 2 && codes[i * 6 + 4] == 1 && codes[i * 6 + 5] == 3)
            real[i] *= 2.5;
    }
    struct loc_cube c = {4096, 6, codes, card, real, expected};
    struct loc_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(localize(&c, NULL, &r, &e), ERR_OK);
    cr_assert_eq(r.n, 1, "got %zu causes", r.n);
    cr_assert_eq(r.causes[0].layer, 3);
    cr_assert_eq(r.causes[0].values[1], 2);
    cr_assert_eq(r.causes[0].values[4], 1);
    cr_assert_eq(r.causes[0].values[5], 3);
    loc_result_release(&r);
}

/* ---- the scorer ---- */

static struct localize_score score(const char *truth, const char *pred)
{
    struct localize_score s = {0};
    struct err e = ERR_INIT;
    cr_assert_eq(localize_score_case(truth, pred, &s, &e), ERR_OK, "%s", e.msg);
    return s;
}

Test(analytics_localize_score, exact_match_counts)
{
    struct localize_score s = score("a=a1&b=b3;c=c2", "c=c2;a=a1");
    cr_assert_eq(s.tp, 1);
    cr_assert_eq(s.fp, 1); /* an ancestor of the truth is wrong ... */
    cr_assert_eq(s.fn, 1); /* ... and the truth is missed */
    cr_assert_eq(s.cases, 1);
}

Test(analytics_localize_score, pairs_sorted_and_numbers_canonical)
{
    struct localize_score s = score("bitrate=2000&p2p=1", "p2p=1.0&bitrate=2000");
    cr_assert_eq(s.tp, 1);
    cr_assert_eq(s.fp + s.fn, 0);
    s = score("cdn=5;isp=联通", " isp=联通 ; cdn=5.00");
    cr_assert_eq(s.tp, 2);
    s = score("a=01", "a=1"); /* numbers compare as numbers */
    cr_assert_eq(s.tp, 1);
    s = score("a=a1", "a=A1"); /* text compares exactly */
    cr_assert_eq(s.tp, 0);
}

Test(analytics_localize_score, empty_sets_and_repeats)
{
    struct localize_score s = score("", "");
    cr_assert_eq(s.tp + s.fp + s.fn, 0);
    s = score("a=1", "");
    cr_assert_eq(s.fn, 1);
    s = score("", "a=1;a=1");
    cr_assert_eq(s.fp, 1); /* a repeated segment counts once */
}

Test(analytics_localize_score, micro_f1_over_cases)
{
    struct localize_score s = {0};
    struct err e = ERR_INIT;
    cr_assert_eq(localize_score_case("a=1", "a=1", &s, &e), ERR_OK);
    cr_assert_eq(localize_score_case("a=2;b=1", "a=2;b=2", &s, &e), ERR_OK);
    double p, r, f1;
    localize_score_rates(&s, &p, &r, &f1);
    cr_assert_eq(s.tp, 2);
    cr_assert_eq(s.fp, 1);
    cr_assert_eq(s.fn, 1);
    cr_assert_float_eq(f1, 4.0 / 6.0, 1e-12);
    cr_assert_float_eq(p, 2.0 / 3.0, 1e-12);
    cr_assert_float_eq(r, 2.0 / 3.0, 1e-12);
}

Test(analytics_localize_score, refuses_malformed_segments)
{
    struct localize_score s = {0};
    struct err e = ERR_INIT;
    cr_assert_eq(localize_score_case("a", "", &s, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "truth"), "%s", e.msg);
    cr_assert_eq(localize_score_case("a=1", "a=1&a=2", &s, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "twice"), "%s", e.msg);
    cr_assert_eq(localize_score_case("a=1", "=3", &s, &e), ERR_INVALID);
    cr_assert_eq(s.cases, 0);
}
