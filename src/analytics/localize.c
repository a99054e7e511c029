/* localize.c: root-cause localisation by greedy explanation with pure segments.
 *
 * The model (localize.h, docs/localize.md). Leaf i has an expected value f_i, a real value v_i,
 * a deviation score d_i = 2 (f_i - v_i) / (f_i + v_i) and a noise deviation
 * sd_i = sqrt(sigma^2 f_i^2 + phi f_i) (a relative error on top of an overdispersed count's).
 * Its loss when predicted normal is its excess |v_i - f_i| - DEAD_ZONE sd_i (0 when negative);
 * the whole deviation L0 is the sum of the excesses. Under a segment of centre c (the median
 * score of its moved leaves, weighted by excess) a leaf that moved beyond the noise in the
 * segment's direction costs nothing, whatever the size of its move (real causes are not
 * uniform); any other leaf costs its misfit to f_i scaled by the ratio c stands for (capped at
 * MISFIT_CAP times its value), less its dead zone.
 *
 * Search: the segment that removes the most loss is added, among those that are pure (the
 * leaves that support it outweigh MIN_PURITY of the evidence for and against), significant
 * (|V - F| is MIN_Z noise deviations and it removes a share of L0 that grows with the noise)
 * and large enough (|centre| beyond the noise and MIN_EFFECT); its leaves are then explained
 * (RiskLoc's removal), and centres are recomputed over the leaves left. Segments whose removal
 * costs less than that share are dropped at the end (the smallest set).
 *
 * Noise: sigma is first fitted on all the leaves counted equally, phi = 1; once a first answer
 * is known, sigma is refitted on the big leaves outside it and phi on the small ones, and the
 * search runs again when either grew. The leaves of every cuboid are grouped once by hashing
 * their codes, so a search step is a few passes over the leaves per cuboid. */
#include "analytics/localize.h"

#include "core/hash.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The one configuration (docs/localize.md explains each choice). */
#define HALF_NORMAL_MEDIAN 0.67449 /* the median of |N(0, 1)| */
#define SIGMA_MAX 4.0           /* relative noise beyond the score's range */
#define PHI_MAX 1000.0          /* dispersion of counts: variance / mean */
#define REFIT_RATIO 1.5         /* search again when the refitted noise is this much larger */
#define DEAD_ZONE 3.0           /* noise deviations of a leaf that cost nothing */
#define MIN_CENTER 5.0          /* a segment's |centre| in relative noise units ... */
#define MAX_MIN_CENTER 1.0      /* ... but no more than this score (v = f / 3 or 3 f) */
#define MIN_Z 5.0               /* a segment's |V - F| in noise deviations */
#define MISFIT_CAP 2.0          /* a leaf's misfit under a segment, at most this x its value */
#define MIN_PURITY 0.8          /* evidence for a segment among that for and against it */
#define MIN_GAIN 0.001          /* share of the whole deviation a segment must remove, */
#define GAIN_PER_NOISE 0.1      /* plus this x sigma (noisier forecasts, larger shares), */
#define MAX_MIN_GAIN 0.05       /* up to this */
#define MIN_EFFECT 0.1          /* a segment's |centre| (about a 10 % change) ... */
#define MAJOR_GAIN 0.2          /* ... unless it removes this share of the deviation */
#define MAX_CUBOIDS 256
#define MAX_GROUP_CELLS ((size_t)1 << 25) /* leaves x cuboids kept in memory */
#define DEFAULT_MAX_CAUSES 16

struct cuboid {
    uint32_t mask;       /* attributes fixed */
    unsigned layer;
    uint32_t *gid;       /* per active leaf: its segment */
    size_t n_groups;
    uint32_t *rep;       /* per segment: an active leaf under it */
    double *center;      /* per segment: weighted median score */
    double *delta;       /* per segment: V - F */
    double *sum_f, *sum_f2; /* per segment: of the expected values and their squares */
};

struct pick {
    size_t cub;
    uint32_t group;
    double center;
};

struct state {
    const struct loc_cube *c;
    size_t n;             /* active leaves (f + v > 0) */
    uint32_t *leaf;       /* active -> leaf of the cube */
    double *f, *v, *d;
    double sigma, phi, min_center, min_gain, l0;
    double *tau;          /* per active leaf: the dead zone, in value units */
    double *excess;       /* per active leaf: |v - f| beyond the dead zone */
    double *var;          /* per active leaf: the noise variance, in value units */
    double *cur;          /* residual under the picks so far */
    bool *owned;          /* under some pick */
    struct cuboid *cub;
    size_t n_cub;
    double *g_ratio, *g_agree, *g_against; /* per segment scratch */
    uint32_t *order;      /* active leaves by score */
    uint32_t *start, *slot; /* counting-sort scratch */
    double *mass, *step_center; /* per segment scratch */
    struct pick *picks;
    size_t n_picks, max_picks;
};

/* The loss of leaf i when predicted normal: its deviation beyond the dead zone. */
static double loss_normal(const struct state *s, size_t i)
{
    double a = fabs(s->v[i] - s->f[i]) - s->tau[i];
    return a > 0 ? a : 0.0;
}

/* The loss of leaf i when predicted by a segment of centre c. A leaf that moved beyond the
 * noise in the segment's direction is explained, whatever the size of its move (causes are
 * rarely uniform in real data); any other leaf costs its misfit to the expected value scaled
 * by the ratio the centre stands for, less its own dead zone. */
static double ratio_of(double c)
{
    return c > -2 + 1e-12 ? (2 - c) / (2 + c) : 1e12;
}

/* The misfit of leaf i to its expected value scaled by r, capped, less its dead zone. */
static inline double misfit(const struct state *s, size_t i, double r)
{
    double a = fabs(s->v[i] - r * s->f[i]);
    double cap = MISFIT_CAP * (s->f[i] > s->v[i] ? s->f[i] : s->v[i]);
    a = (a < cap ? a : cap) - s->tau[i];
    return a > 0 ? a : 0.0;
}

static double loss_under(const struct state *s, size_t i, double c)
{
    if (s->d[i] * c > 0 && s->excess[i] > 0)
        return 0;
    return misfit(s, i, ratio_of(c));
}

static int check_cube(const struct loc_cube *c, struct err *e)
{
    if (c->n_attrs == 0 || c->n_attrs > LOC_MAX_ATTRS)
        return err_set(e, ERR_INVALID, "a cube needs 1 to %d attributes, got %zu",
                       LOC_MAX_ATTRS, c->n_attrs);
    for (size_t i = 0; i < c->n_leaves; i++) {
        if (!isfinite(c->real[i]) || !isfinite(c->expected[i]) || c->real[i] < 0 ||
            c->expected[i] < 0)
            return err_set(e, ERR_INVALID, "leaf %zu: values must be finite and >= 0", i + 1);
        for (size_t a = 0; a < c->n_attrs; a++)
            if (c->codes[i * c->n_attrs + a] >= c->card[a])
                return err_set(e, ERR_INVALID, "leaf %zu: value code out of range", i + 1);
    }
    return ERR_OK;
}

/* ---- leaves and noise ---- */

struct keyed {
    double key;
    uint32_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->i > y->i) - (x->i < y->i);
}


static void load_leaves(struct state *s)
{
    const struct loc_cube *c = s->c;
    size_t cap = c->n_leaves ? c->n_leaves : 1;
    s->leaf = xmallocarray(cap, sizeof(*s->leaf));
    s->f = xmallocarray(cap, sizeof(double));
    s->v = xmallocarray(cap, sizeof(double));
    s->d = xmallocarray(cap, sizeof(double));
    for (size_t i = 0; i < c->n_leaves; i++) {
        double f = c->expected[i], v = c->real[i];
        if (f + v <= 0)
            continue;
        s->leaf[s->n] = (uint32_t)i;
        s->f[s->n] = f;
        s->v[s->n] = v;
        s->d[s->n] = 2 * (f - v) / (f + v);
        s->n++;
    }
}

/* The share of the leaves outside skip whose deviation lies within the half-normal median
 * under the noise model (sigma, phi). */
static double share_within(const struct state *s, double sigma, double phi, const bool *skip)
{
    double in = 0, total = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (skip[i])
            continue;
        total++;
        if (fabs(s->v[i] - s->f[i]) <=
            HALF_NORMAL_MEDIAN * sqrt(sigma * sigma * s->f[i] * s->f[i] + phi * s->f[i]))
            in++;
    }
    return total > 0 ? in / total : 1;
}

/* The smallest x in [lo, hi] at which half the leaves outside skip lie within the
 * half-normal median, x being sigma (fit_phi false) or phi; lo when already there.
 * Bisection: the share grows with either. */
static double fit(const struct state *s, bool fit_phi, double other, double lo, double hi,
                  const bool *skip)
{
    double sigma = fit_phi ? other : lo, phi = fit_phi ? lo : other;
    if (share_within(s, sigma, phi, skip) >= 0.5)
        return lo;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        bool in = fit_phi ? share_within(s, sigma, mid, skip) >= 0.5
                          : share_within(s, mid, phi, skip) >= 0.5;
        if (in)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* Sets the noise of every leaf for (sigma, phi), and the whole deviation L0. */
static void set_noise(struct state *s, double sigma, double phi)
{
    s->sigma = sigma;
    s->phi = phi;
    s->min_center = fmin(MIN_CENTER * sigma, MAX_MIN_CENTER);
    s->min_gain = fmin(MIN_GAIN + GAIN_PER_NOISE * sigma, MAX_MIN_GAIN);
    s->l0 = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->var[i] = sigma * sigma * s->f[i] * s->f[i] + phi * s->f[i];
        s->tau[i] = DEAD_ZONE * sqrt(s->var[i]);
        s->excess[i] = loss_normal(s, i);
        s->l0 += s->excess[i];
    }
}

/* True when some leaf moves beyond the noise. */
static bool any_deviation(const struct state *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (fabs(s->d[i]) >= s->min_center && loss_normal(s, i) > 0 &&
            fabs(s->v[i] - s->f[i]) >= MIN_Z * sqrt(s->var[i]))
            return true;
    return false;
}

/* ---- cuboids and their segments ---- */

/* The next larger mask with the same number of bits (Gosper's hack); 0 past 32 bits. */
static uint32_t next_same_bits(uint32_t m)
{
    uint64_t c = m & (0u - m), r = (uint64_t)m + c;
    return r > UINT32_MAX ? 0 : (uint32_t)((((r ^ m) >> 2) / c) | r);
}

/* Lists the cuboids shallow first, whole layers only, within MAX_CUBOIDS and
 * MAX_GROUP_CELLS. */
static void list_cuboids(struct state *s, unsigned max_layer)
{
    size_t na = s->c->n_attrs;
    uint64_t limit = UINT64_C(1) << na;
    s->cub = xcalloc(MAX_CUBOIDS, sizeof(*s->cub));
    for (unsigned layer = 1; layer <= na && layer <= max_layer; layer++) {
        size_t start = s->n_cub;
        for (uint32_t m = (uint32_t)((UINT64_C(1) << layer) - 1); m && m < limit;
             m = next_same_bits(m)) {
            if (s->n_cub >= MAX_CUBOIDS || (s->n_cub + 1) * s->n > MAX_GROUP_CELLS) {
                s->n_cub = start; /* whole layers only */
                return;
            }
            s->cub[s->n_cub++] = (struct cuboid){.mask = m, .layer = layer};
        }
    }
}

static uint64_t key_hash(const uint32_t *codes, uint32_t mask)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15);
    for (unsigned a = 0; mask; a++, mask >>= 1)
        if (mask & 1)
            h = hash_mix64(h ^ ((uint64_t)codes[a] << 5 | a));
    return h;
}

static bool same_key(const uint32_t *x, const uint32_t *y, uint32_t mask)
{
    for (unsigned a = 0; mask; a++, mask >>= 1)
        if ((mask & 1) && x[a] != y[a])
            return false;
    return true;
}

static void alloc_groups(struct cuboid *k)
{
    size_t n = k->n_groups ? k->n_groups : 1;
    k->center = xmallocarray(n, sizeof(double));
    k->delta = xcalloc(n, sizeof(double));
    k->sum_f = xcalloc(n, sizeof(double));
    k->sum_f2 = xcalloc(n, sizeof(double));
}

/* Numbers the segments of cuboid k that hold active leaves (open addressing on the codes of
 * its attributes) and sums their values. */
static void group_cuboid(struct state *s, struct cuboid *k, uint32_t *table, size_t t_size)
{
    const struct loc_cube *c = s->c;
    size_t na = c->n_attrs;
    k->gid = xmallocarray(s->n, sizeof(*k->gid));
    k->rep = xmallocarray(s->n, sizeof(*k->rep));
    memset(table, 0, t_size * sizeof(*table));
    for (size_t i = 0; i < s->n; i++) {
        const uint32_t *codes = c->codes + (size_t)s->leaf[i] * na;
        size_t slot = key_hash(codes, k->mask) & (t_size - 1);
        uint32_t g;
        for (;;) {
            if (!table[slot]) {
                g = (uint32_t)k->n_groups++;
                k->rep[g] = (uint32_t)i;
                table[slot] = g + 1;
                break;
            }
            g = table[slot] - 1;
            if (same_key(c->codes + (size_t)s->leaf[k->rep[g]] * na, codes, k->mask))
                break;
            slot = (slot + 1) & (t_size - 1);
        }
        k->gid[i] = g;
    }
    alloc_groups(k);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t g = k->gid[i];
        k->delta[g] += s->v[i] - s->f[i];
        k->sum_f[g] += s->f[i];
        k->sum_f2[g] += s->f[i] * s->f[i];
    }
}

/* Active leaves ordered by score. */
static uint32_t *order_by_score(const struct state *s)
{
    struct keyed *v = xmallocarray(s->n, sizeof(*v));
    for (size_t i = 0; i < s->n; i++)
        v[i] = (struct keyed){s->d[i], (uint32_t)i};
    qsort(v, s->n, sizeof(*v), cmp_keyed);
    uint32_t *order = xmallocarray(s->n, sizeof(*order));
    for (size_t i = 0; i < s->n; i++)
        order[i] = v[i].i;
    free(v);
    return order;
}

/* Writes to center the median score of each segment of k over its leaves outside skip (when
 * given), each weighted by its deviation beyond the noise (s->excess): the typical move of the
 * leaves that did move. A segment where none moved gets 0. A counting sort of the
 * score-ordered leaves by segment keeps them ordered within each segment. */
static void median_centers(const struct state *s, const struct cuboid *k, const bool *skip,
                           double *center)
{
    uint32_t *start = s->start, *slot = s->slot;
    memset(start, 0, (k->n_groups + 1) * sizeof(*start));
    memset(s->mass, 0, k->n_groups * sizeof(double));
    for (size_t i = 0; i < s->n; i++)
        if ((!skip || !skip[i]) && s->excess[i] > 0) {
            start[k->gid[i] + 1]++;
            s->mass[k->gid[i]] += s->excess[i];
        }
    for (size_t g = 0; g < k->n_groups; g++)
        start[g + 1] += start[g];
    for (size_t j = 0; j < s->n; j++) {
        uint32_t i = s->order[j];
        if ((!skip || !skip[i]) && s->excess[i] > 0)
            slot[start[k->gid[i]]++] = i;
    }
    size_t at = 0; /* start[g] now holds the end of segment g */
    for (size_t g = 0; g < k->n_groups; g++) {
        double acc = 0;
        center[g] = 0;
        for (; at < start[g]; at++) {
            acc += s->excess[slot[at]];
            if (acc >= s->mass[g] / 2) {
                center[g] = s->d[slot[at]];
                at = start[g];
                break;
            }
        }
    }
}

static void group_all(struct state *s)
{
    size_t t_size = 16;
    while (t_size < 2 * s->n)
        t_size <<= 1;
    uint32_t *table = xmallocarray(t_size, sizeof(*table));
    for (size_t k = 0; k < s->n_cub; k++) {
        group_cuboid(s, &s->cub[k], table, t_size);
    }
    free(table);
}

/* ---- the greedy search ---- */

struct candidate {
    size_t cub;
    uint32_t group;
    double center, gain;
};

static bool admissible(const struct state *s, const struct cuboid *cb, uint32_t g, double center,
                       double gain)
{
    double sd = sqrt(s->sigma * s->sigma * cb->sum_f2[g] + s->phi * cb->sum_f[g]);
    double agree = s->g_agree[g], against = s->g_against[g];
    return gain >= s->min_gain * s->l0 && agree >= MIN_PURITY * (agree + against) &&
           fabs(center) >= s->min_center && fabs(cb->delta[g]) >= MIN_Z * sd &&
           (fabs(center) >= MIN_EFFECT || gain >= MAJOR_GAIN * s->l0);
}

/* The gain of every segment of cuboid k against the current residuals; keeps the best
 * admissible one in *best. */
static void scan_cuboid(struct state *s, size_t k, struct candidate *best)
{
    const struct cuboid *cb = &s->cub[k];
    const double *center = cb->center;
    if (s->n_picks > 0) { /* centres of the leaves not explained yet */
        median_centers(s, cb, s->owned, s->step_center);
        center = s->step_center;
    }
    for (size_t g = 0; g < cb->n_groups; g++)
        s->g_ratio[g] = ratio_of(center[g]);
    memset(s->g_agree, 0, cb->n_groups * sizeof(double));
    memset(s->g_against, 0, cb->n_groups * sizeof(double));
    for (size_t i = 0; i < s->n; i++) {
        if (s->owned[i])
            continue; /* explained by an earlier pick */
        uint32_t g = cb->gid[i];
        bool along = s->d[i] * center[g] > 0 && s->excess[i] > 0;
        double gain = s->cur[i] - (along ? 0 : misfit(s, i, s->g_ratio[g]));
        if (gain > 0)
            s->g_agree[g] += gain;
        else
            s->g_against[g] -= gain;
    }
    for (uint32_t g = 0; g < cb->n_groups; g++) {
        double gain = s->g_agree[g] - s->g_against[g];
        if (gain > best->gain && admissible(s, cb, g, center[g], gain))
            *best = (struct candidate){k, g, center[g], gain};
    }
}

static bool picked(const struct state *s, size_t k, uint32_t g)
{
    for (size_t p = 0; p < s->n_picks; p++)
        if (s->picks[p].cub == k && s->picks[p].group == g)
            return true;
    return false;
}

static void apply_pick(struct state *s, const struct candidate *b)
{
    const struct cuboid *cb = &s->cub[b->cub];
    double center = b->center;
    for (size_t i = 0; i < s->n; i++) {
        if (cb->gid[i] != b->group || s->owned[i])
            continue;
        s->cur[i] = loss_under(s, i, center);
        s->owned[i] = true;
    }
    s->picks[s->n_picks++] = (struct pick){b->cub, b->group, center};
}

static void greedy(struct state *s)
{
    s->n_picks = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->cur[i] = loss_normal(s, i);
        s->owned[i] = false;
    }
    while (s->n_picks < s->max_picks) {
        struct candidate best = {0, 0, 0, 0};
        for (size_t k = 0; k < s->n_cub; k++)
            scan_cuboid(s, k, &best);
        if (best.gain <= 0 || picked(s, best.cub, best.group))
            break;
        apply_pick(s, &best);
    }
}

/* ---- pruning ---- */

/* The residual of active leaf i under the picks, leaving out pick skip (SIZE_MAX: none);
 * *ret_by is the pick that explains it best (SIZE_MAX: none). */
static double residual(const struct state *s, size_t i, size_t skip, size_t *ret_by)
{
    double best = loss_normal(s, i);
    bool covered = false;
    size_t by = SIZE_MAX;
    for (size_t p = 0; p < s->n_picks; p++) {
        const struct pick *pk = &s->picks[p];
        if (p == skip || s->cub[pk->cub].gid[i] != pk->group)
            continue;
        double r = loss_under(s, i, pk->center);
        if (!covered || r < best) {
            best = r;
            by = p;
        }
        covered = true;
    }
    *ret_by = by;
    return best;
}

static double total_loss(const struct state *s, size_t skip)
{
    double sum = 0;
    size_t by;
    for (size_t i = 0; i < s->n; i++)
        sum += residual(s, i, skip, &by);
    return sum;
}

/* Drops the least useful pick while removing it costs less than MIN_GAIN of the deviation. */
static void prune(struct state *s)
{
    while (s->n_picks > 0) {
        double base = total_loss(s, SIZE_MAX), least = INFINITY;
        size_t worst = 0;
        for (size_t p = 0; p < s->n_picks; p++) {
            double cost = total_loss(s, p) - base;
            if (cost < least) {
                least = cost;
                worst = p;
            }
        }
        if (least >= s->min_gain * s->l0)
            return;
        memmove(&s->picks[worst], &s->picks[worst + 1],
                (s->n_picks - worst - 1) * sizeof(*s->picks));
        s->n_picks--;
    }
}

/* One search for the noise model (sigma, phi); false when nothing moves beyond the noise. */
static bool search(struct state *s, double sigma, double phi)
{
    set_noise(s, sigma, phi);
    s->n_picks = 0;
    if (s->l0 <= 0 || !any_deviation(s))
        return false;
    for (size_t k = 0; k < s->n_cub; k++)
        median_centers(s, &s->cub[k], NULL, s->cub[k].center);
    greedy(s);
    prune(s);
    return true;
}

/* The leaves outside the picks, by expected value, smallest first; *ret_mass is their sum. */
static struct keyed *outside_by_size(const struct state *s, size_t *ret_n, double *ret_mass)
{
    struct keyed *v = xmallocarray(s->n ? s->n : 1, sizeof(*v));
    size_t n = 0;
    double mass = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool under = false;
        for (size_t p = 0; p < s->n_picks && !under; p++)
            under = s->cub[s->picks[p].cub].gid[i] == s->picks[p].group;
        if (!under) {
            v[n++] = (struct keyed){s->f[i], (uint32_t)i};
            mass += s->f[i];
        }
    }
    qsort(v, n, sizeof(*v), cmp_keyed);
    *ret_n = n;
    *ret_mass = mass;
    return v;
}

/* Leaves only the lower (small) or upper (big) half of the expected mass of v unmarked in
 * s->owned. */
static void keep_half(struct state *s, const struct keyed *v, size_t n, double mass, bool big)
{
    for (size_t i = 0; i < s->n; i++)
        s->owned[i] = true;
    double acc = 0;
    for (size_t j = 0; j < n && acc < mass / 2; j++) {
        const struct keyed *k = &v[big ? n - 1 - j : j];
        s->owned[k->i] = false;
        acc += k->key;
    }
}

/* Refits the noise outside the current picks: sigma on the big leaves (where a relative
 * error shows), then phi on the small ones (where a count's does). */
static void refit_noise(struct state *s, double *ret_sigma, double *ret_phi)
{
    size_t n;
    double mass;
    struct keyed *v = outside_by_size(s, &n, &mass);
    keep_half(s, v, n, mass, true);
    double sigma = fit(s, false, 1, 0, SIGMA_MAX, s->owned);
    keep_half(s, v, n, mass, false);
    *ret_phi = fit(s, true, sigma, 1, PHI_MAX, s->owned);
    *ret_sigma = sigma;
    free(v);
}

/* ---- the answer ---- */

static int cmp_cause(const void *a, const void *b)
{
    double x = ((const struct loc_cause *)a)->share, y = ((const struct loc_cause *)b)->share;
    return (x < y) - (x > y);
}

static void fill_cause(const struct state *s, size_t p, struct loc_cause *lc)
{
    const struct loc_cube *c = s->c;
    const struct cuboid *cb = &s->cub[s->picks[p].cub];
    const uint32_t *codes = c->codes + (size_t)s->leaf[cb->rep[s->picks[p].group]] * c->n_attrs;
    lc->values = xmallocarray(c->n_attrs, sizeof(uint32_t));
    for (size_t a = 0; a < c->n_attrs; a++)
        lc->values[a] = (cb->mask >> a) & 1 ? codes[a] : LOC_ANY;
    lc->layer = cb->layer;
}

static void fill_result(const struct state *s, struct loc_result *r)
{
    r->causes = xcalloc(s->n_picks ? s->n_picks : 1, sizeof(*r->causes));
    r->n = s->n_picks;
    for (size_t p = 0; p < s->n_picks; p++)
        fill_cause(s, p, &r->causes[p]);
    for (size_t i = 0; i < s->n; i++) {
        size_t by;
        double res = residual(s, i, SIZE_MAX, &by);
        for (size_t p = 0; p < s->n_picks; p++) {
            if (s->cub[s->picks[p].cub].gid[i] != s->picks[p].group)
                continue;
            r->causes[p].real += s->v[i];
            r->causes[p].expected += s->f[i];
            r->causes[p].leaves++;
        }
        if (by != SIZE_MAX && s->l0 > 0)
            r->causes[by].share += (loss_normal(s, i) - res) / s->l0;
    }
    for (size_t p = 0; p < r->n; p++) {
        if (r->causes[p].share < 0)
            r->causes[p].share = 0;
        r->explained += r->causes[p].share;
    }
    qsort(r->causes, r->n, sizeof(*r->causes), cmp_cause);
    r->noise = s->sigma;
}

static void state_init(struct state *s, unsigned max_layer, unsigned max_causes)
{
    size_t n = s->n ? s->n : 1;
    s->order = order_by_score(s);
    s->start = xmallocarray(n + 1, sizeof(uint32_t));
    s->slot = xmallocarray(n, sizeof(uint32_t));
    s->mass = xmallocarray(n, sizeof(double));
    s->step_center = xmallocarray(n, sizeof(double));
    list_cuboids(s, max_layer);
    group_all(s);
    s->tau = xmallocarray(n, sizeof(double));
    s->excess = xmallocarray(n, sizeof(double));
    s->var = xmallocarray(n, sizeof(double));
    s->cur = xmallocarray(n, sizeof(double));
    s->owned = xmallocarray(n, sizeof(bool));
    s->g_ratio = xmallocarray(n, sizeof(double));
    s->g_agree = xmallocarray(n, sizeof(double));
    s->g_against = xmallocarray(n, sizeof(double));
    s->max_picks = max_causes;
    s->picks = xmallocarray(max_causes, sizeof(*s->picks));
}

static void state_release(struct state *s)
{
    for (size_t k = 0; k < s->n_cub; k++) {
        free(s->cub[k].gid);
        free(s->cub[k].rep);
        free(s->cub[k].center);
        free(s->cub[k].delta);
        free(s->cub[k].sum_f);
        free(s->cub[k].sum_f2);
    }
    free(s->cub);
    free(s->leaf);
    free(s->f);
    free(s->v);
    free(s->d);
    free(s->tau);
    free(s->excess);
    free(s->var);
    free(s->cur);
    free(s->owned);
    free(s->g_ratio);
    free(s->g_agree);
    free(s->g_against);
    free(s->picks);
    free(s->order);
    free(s->start);
    free(s->slot);
    free(s->mass);
    free(s->step_center);
}

int localize(const struct loc_cube *c, const struct loc_options *o, struct loc_result *ret,
             struct err *e)
{
    int rc = check_cube(c, e);
    if (rc < 0)
        return rc;
    struct state s = {.c = c};
    struct loc_result r = {.status = LOC_NO_DEVIATION};
    for (size_t i = 0; i < c->n_leaves; i++) {
        r.real += c->real[i];
        r.expected += c->expected[i];
    }
    load_leaves(&s);
    if (s.n > 0) {
        state_init(&s, o && o->max_layer ? o->max_layer : LOC_MAX_ATTRS,
                   o && o->max_causes ? o->max_causes : DEFAULT_MAX_CAUSES);
        memset(s.owned, 0, s.n * sizeof(bool));
        double sigma = fit(&s, false, 1, 0, SIGMA_MAX, s.owned), phi = 1;
        bool moved = search(&s, sigma, phi);
        if (moved && s.n_picks > 0) {
            refit_noise(&s, &sigma, &phi);
            if (sigma > REFIT_RATIO * s.sigma || phi > REFIT_RATIO)
                moved = search(&s, sigma, phi);
        }
        r.noise = s.sigma;
        if (moved) {
            fill_result(&s, &r);
            r.status = r.n ? LOC_FOUND : LOC_NO_EXPLANATION;
        }
    }
    state_release(&s);
    *ret = r;
    return ERR_OK;
}

void loc_result_release(struct loc_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->causes[i].values);
    free(r->causes);
    r->causes = NULL;
    r->n = 0;
}

const char *loc_status_name(enum loc_status s)
{
    switch (s) {
    case LOC_FOUND:
        return "found";
    case LOC_NO_DEVIATION:
        return "no_deviation";
    case LOC_NO_EXPLANATION:
        return "no_explanation";
    }
    return "unknown";
}
