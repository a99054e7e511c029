/* rng.h: a small deterministic pseudo-random generator and the distributions built on it.
 *
 * The generator is xoshiro256** (Blackman and Vigna, 2018): 256 bits of state, period
 * 2^256 - 1, fast and statistically strong, not cryptographic. A state is seeded from a 64-bit
 * seed and a stream number through splitmix64, so that independent jobs (users, sessions,
 * logs, ...) draw from their own streams and a change in one job does not shift the others.
 *
 * Determinism: the same seed and stream give the same integer sequence on every platform. The
 * floating-point helpers use libm (log, exp, sqrt, cos, lgamma); with one build on one
 * platform their results are identical run after run, but another libm may differ in the last
 * bit. There is no global state: everything lives in struct rng. */
#ifndef CORE_RNG_H
#define CORE_RNG_H

#include "core/common.h"

struct rng {
    uint64_t s[4];
    double spare;   /* the second normal of a Box-Muller pair */
    bool has_spare;
};

/* Seeds r for (seed, stream); distinct streams of one seed are independent sequences. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

uint64_t rng_u64(struct rng *r);
/* Uniform in [0, n), without modulo bias; n must be > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1), 53 random bits. */
double rng_uniform(struct rng *r);
/* Uniform in [lo, hi). */
double rng_range(struct rng *r, double lo, double hi);
/* True with probability p. */
bool rng_chance(struct rng *r, double p);
/* Standard normal (mean 0, deviation 1), Box-Muller. */
double rng_normal(struct rng *r);
/* Lognormal given by its median and the deviation of its log: median * exp(sigma * N). */
double rng_lognormal(struct rng *r, double median, double sigma);
/* Exponential with the given mean. */
double rng_exponential(struct rng *r, double mean);
/* Poisson with the given mean (0 for mean <= 0): Knuth's product method below 12, Hormann's
 * PTRS transformed rejection above, so the cost stays constant for large means. */
uint64_t rng_poisson(struct rng *r, double mean);
/* An index in [0, n) drawn with probability weights[i] / sum(weights); a linear scan, meant
 * for short tables. Weights must be >= 0 with a positive sum. */
size_t rng_weighted(struct rng *r, const double *weights, size_t n);

#endif
