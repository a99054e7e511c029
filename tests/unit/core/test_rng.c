/* test_rng.c: the deterministic generator: reproducible streams, a pinned sequence (so that a
 * change to the generator, which would change every demo data set, is noticed), and the shape
 * of each distribution over many draws. */
#include "core/rng.h"

#include <criterion/criterion.h>
#include <math.h>

#define DRAWS 200000

Test(core_rng, same_seed_and_stream_repeat)
{
    struct rng a, b;
    rng_seed(&a, 42, 3);
    rng_seed(&b, 42, 3);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rng_u64(&a), rng_u64(&b));
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rng_normal(&a), rng_normal(&b));
}

Test(core_rng, seeds_and_streams_differ)
{
    struct rng a, b, c;
    rng_seed(&a, 42, 1);
    rng_seed(&b, 42, 2);
    rng_seed(&c, 43, 1);
    uint64_t x = rng_u64(&a);
    cr_assert_neq(x, rng_u64(&b));
    cr_assert_neq(x, rng_u64(&c));
}

Test(core_rng, generator_matches_the_reference)
{
    /* xoshiro256** from the state {1, 2, 3, 4}, as in the reference implementation's tests. */
    struct rng r = {{1, 2, 3, 4}, 0, false};
    static const uint64_t expected[] = {11520, 0, 1509978240, UINT64_C(1215971899390074240)};
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        cr_assert_eq(rng_u64(&r), expected[i], "output %zu", i);
}

Test(core_rng, seeded_sequence_is_pinned)
{
    /* These values define every data set `hindsight demo generate` has produced: change them
     * only on purpose. */
    struct rng r;
    rng_seed(&r, 42, 0);
    cr_assert_eq(rng_u64(&r), UINT64_C(0x1ff785474f113b15));
    cr_assert_eq(rng_u64(&r), UINT64_C(0x4b7867ceff5d8325));
    cr_assert_eq(rng_u64(&r), UINT64_C(0x90ca7a95a9909966));
}

Test(core_rng, zero_seed_is_usable)
{
    struct rng r;
    rng_seed(&r, 0, 0);
    uint64_t or_all = 0;
    for (int i = 0; i < 8; i++)
        or_all |= rng_u64(&r);
    cr_assert_neq(or_all, 0);
}

Test(core_rng, uniform_is_in_range_with_mean_one_half)
{
    struct rng r;
    rng_seed(&r, 1, 0);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
        double u = rng_uniform(&r);
        cr_assert(u >= 0 && u < 1);
        sum += u;
    }
    cr_assert_float_eq(sum / DRAWS, 0.5, 0.005);
    double x = rng_range(&r, 3, 5);
    cr_assert(x >= 3 && x < 5);
}

Test(core_rng, below_covers_the_range_evenly)
{
    struct rng r;
    rng_seed(&r, 2, 0);
    int count[7] = {0};
    for (int i = 0; i < DRAWS; i++) {
        uint64_t k = rng_below(&r, 7);
        cr_assert_lt(k, 7);
        count[k]++;
    }
    for (int k = 0; k < 7; k++)
        cr_assert_float_eq(count[k] / (double)DRAWS, 1 / 7.0, 0.005);
    cr_assert_eq(rng_below(&r, 1), 0);
}

Test(core_rng, chance_matches_probability)
{
    struct rng r;
    rng_seed(&r, 3, 0);
    int hits = 0;
    for (int i = 0; i < DRAWS; i++)
        hits += rng_chance(&r, 0.3);
    cr_assert_float_eq(hits / (double)DRAWS, 0.3, 0.005);
    cr_assert(!rng_chance(&r, 0));
    cr_assert(rng_chance(&r, 1));
}

Test(core_rng, normal_has_mean_zero_and_unit_deviation)
{
    struct rng r;
    rng_seed(&r, 4, 0);
    double sum = 0, sq = 0;
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_normal(&r);
        sum += x;
        sq += x * x;
    }
    double mean = sum / DRAWS;
    cr_assert_float_eq(mean, 0, 0.01);
    cr_assert_float_eq(sqrt(sq / DRAWS - mean * mean), 1, 0.01);
}

Test(core_rng, lognormal_has_the_given_median)
{
    struct rng r;
    rng_seed(&r, 5, 0);
    int below = 0;
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_lognormal(&r, 120, 0.5);
        cr_assert_gt(x, 0);
        below += x < 120;
    }
    cr_assert_float_eq(below / (double)DRAWS, 0.5, 0.005);
}

Test(core_rng, exponential_has_the_given_mean)
{
    struct rng r;
    rng_seed(&r, 6, 0);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_exponential(&r, 8);
        cr_assert_geq(x, 0);
        sum += x;
    }
    cr_assert_float_eq(sum / DRAWS, 8, 0.1);
}

static void check_poisson(uint64_t seed, double mean, double tolerance)
{
    struct rng r;
    rng_seed(&r, seed, 0);
    double sum = 0, sq = 0;
    for (int i = 0; i < DRAWS; i++) {
        double k = (double)rng_poisson(&r, mean);
        sum += k;
        sq += k * k;
    }
    double m = sum / DRAWS, var = sq / DRAWS - m * m;
    cr_assert_float_eq(m, mean, mean * tolerance, "mean %g for %g", m, mean);
    cr_assert_float_eq(var, mean, mean * 4 * tolerance, "variance %g for %g", var, mean);
}

Test(core_rng, poisson_mean_and_variance_match)
{
    check_poisson(7, 0.5, 0.02);
    check_poisson(8, 3, 0.01);
    check_poisson(9, 11.9, 0.01); /* the last mean of the product method */
    check_poisson(10, 12, 0.01);  /* the first of PTRS */
    check_poisson(11, 250, 0.005);
    check_poisson(12, 20000, 0.001);
}

Test(core_rng, poisson_of_nothing_is_zero)
{
    struct rng r;
    rng_seed(&r, 13, 0);
    cr_assert_eq(rng_poisson(&r, 0), 0);
    cr_assert_eq(rng_poisson(&r, -3), 0);
    cr_assert_eq(rng_poisson(&r, NAN), 0);
}

Test(core_rng, weighted_follows_weights_and_skips_zeros)
{
    struct rng r;
    rng_seed(&r, 14, 0);
    const double w[] = {0.5, 0, 0.25, 0.25, 0};
    int count[5] = {0};
    for (int i = 0; i < DRAWS; i++)
        count[rng_weighted(&r, w, 5)]++;
    cr_assert_eq(count[1], 0);
    cr_assert_eq(count[4], 0);
    cr_assert_float_eq(count[0] / (double)DRAWS, 0.5, 0.005);
    cr_assert_float_eq(count[2] / (double)DRAWS, 0.25, 0.005);
}
