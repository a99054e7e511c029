/* rng.c: xoshiro256** seeded by splitmix64, and distributions over it.
 *
 * Reference: https://prng.di.unimi.it/ (both generators are public domain). The Poisson sampler
 * for large means is PTRS from W. Hormann, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12 (1993). */
#include "core/rng.h"

#include <math.h>

#define TWO_PI 6.283185307179586476925286766559

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    /* Mixing the stream through its own splitmix step keeps (seed, stream) pairs apart even
     * when seeds are small consecutive numbers. */
    uint64_t t = stream;
    uint64_t x = seed ^ splitmix64(&t);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) /* the one forbidden state */
        r->s[0] = 1;
    r->spare = 0;
    r->has_spare = false;
}

uint64_t rng_u64(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    /* Rejects the low values that would make x % n favour small results. */
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = rng_u64(r);
        if (x >= threshold)
            return x % n;
    }
}

double rng_uniform(struct rng *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

double rng_range(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_uniform(r);
}

bool rng_chance(struct rng *r, double p)
{
    return rng_uniform(r) < p;
}

double rng_normal(struct rng *r)
{
    if (r->has_spare) {
        r->has_spare = false;
        return r->spare;
    }
    double u1 = 1.0 - rng_uniform(r); /* (0, 1]: log(0) is avoided */
    double u2 = rng_uniform(r);
    double radius = sqrt(-2.0 * log(u1));
    r->spare = radius * sin(TWO_PI * u2);
    r->has_spare = true;
    return radius * cos(TWO_PI * u2);
}

double rng_lognormal(struct rng *r, double median, double sigma)
{
    return median * exp(sigma * rng_normal(r));
}

double rng_exponential(struct rng *r, double mean)
{
    return -mean * log(1.0 - rng_uniform(r));
}

static uint64_t poisson_small(struct rng *r, double mean)
{
    double limit = exp(-mean);
    double p = 1.0;
    uint64_t k = 0;
    for (;;) {
        p *= rng_uniform(r);
        if (p <= limit)
            return k;
        k++;
    }
}

static uint64_t poisson_ptrs(struct rng *r, double mean)
{
    double slam = sqrt(mean), loglam = log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = rng_uniform(r) - 0.5;
        double v = rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr)
            return (uint64_t)k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(inv_alpha) - log(a / (us * us) + b) <=
            -mean + k * loglam - lgamma(k + 1))
            return (uint64_t)k;
    }
}

uint64_t rng_poisson(struct rng *r, double mean)
{
    if (!(mean > 0))
        return 0;
    return mean < 12 ? poisson_small(r, mean) : poisson_ptrs(r, mean);
}

size_t rng_weighted(struct rng *r, const double *weights, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    double x = rng_uniform(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    /* Rounding can leave x just above the last weight: the last non-zero entry. */
    for (size_t i = n; i-- > 0;)
        if (weights[i] > 0)
            return i;
    return 0;
}
