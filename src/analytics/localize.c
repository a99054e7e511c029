/* localize.c: root-cause localisation by greedy likelihood ratio with generalisation.
 *
 * The model (localize.h, docs/localize.md). Leaf i has an expected value e_i and a real value
 * v_i. A segment S (its leaves not explained yet) with sums V and E is scored by how much
 * better a single factor k = V / E on its leaves explains them than no change:
 * D(V, E) = V ln(V / E) - V + E, the Poisson log-likelihood ratio of "S moved by k" against
 * "nothing moved" (half the deviance; z^2 / 2 for a move of z deviations), divided by the
 * dispersion phi + sigma^2 S2 / E (S2 the sum of e_i^2): an overdispersed count's noise plus
 * a relative error, both fitted on the cube. Adding leaves that did not move to S lowers D,
 * and so does leaving out leaves that moved as much: the best segment has the right
 * granularity when one cause acts alone.
 *
 * Search: the segment of highest score over every cuboid is taken, then generalised: an
 * attribute is dropped while the rest of the parent segment (the complement) moved the same
 * way, by at least MOVED_SHARE of the segment's own log-ratio and significantly, or holds
 * almost nothing (NEGLIGIBLE of the parent's values): causes are labelled at the coarsest
 * segment that moved as a whole, not uniformly. The segment's leaves are then explained, and
 * the search goes on with the others while the best score is at least MIN_SCORE and MIN_REL
 * of the first. The first needs FIRST_BASE + ln(segments searched) (is there a deviation at
 * all: the largest of N scores of pure noise grows like ln N, and this keeps the chance of a
 * false alarm under about 1 %), a further one MIN_SCORE (it has to stand out of the clustered
 * noise the first leaves behind).
 *
 * Noise: phi from the median leaf (half the leaves within the median of chi^2 for a count with
 * dispersion phi, at least 1; 1 with fewer than MIN_FIT_LEAVES leaves), sigma 0 in a first
 * search. Then, on the leaves outside that
 * answer, phi is refitted on those expected to hold at least a count (a leaf expected at 0.1
 * cannot show a count's dispersion) and sigma (where a relative error shows), and the search
 * runs again when either grew. When the first segment fixes one attribute and the rest of the
 * cube moved with it (the whole cube "explains" it), that attribute does not separate the
 * deviation (two causes on another attribute, mostly inside one of its values): the search
 * runs once more without it, and the set whose scores, less MIN_SCORE each, sum higher is
 * kept. Then the search starts again from the best segment of every other cuboid, and an
 * answer with a higher such sum replaces it when it has no more segments or blames less of
 * the cube (other_first_picks: the greedy's first pick can be the union of two causes). A
 * segment's share is its D over the sum of the leaves' D (the aggregate's is never larger:
 * the log-sum inequality). */
#include "analytics/localize.h"

#include "analytics/select.h"
#include "core/hash.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The one configuration (docs/localize.md explains each choice). */
#define CHI2_MEDIAN 0.45494     /* the median of chi^2 with 1 degree of freedom */
#define SIGMA_MAX 4.0           /* relative noise beyond any score */
#define MIN_SCORE 32.0          /* a further segment's score: (8 deviations)^2 / 2 ... */
#define MIN_REL 0.005           /* ... and this share of the first segment's */
#define FIRST_BASE 4.0          /* the first segment's: this + ln(segments searched) */
#define MIN_FIT_LEAVES 10       /* fewer leaves than this: the noise of a Poisson count */
#define MOVED_SHARE 0.3         /* the complement's log-ratio against the segment's */
#define NEGLIGIBLE 0.01         /* the complement's share of the parent's values */
#define PHI_MIN_EXPECTED 1.0    /* refitting phi: leaves expected to hold a count */
#define HALF_COUNT 0.5          /* added to both sides of a log-ratio */
#define TINY 1e-9               /* an expected value of 0, for log_lr */
#define MAX_CUBOIDS 256
#define MAX_GROUP_CELLS ((size_t)1 << 25) /* leaves x cuboids kept in memory ... */
#define MAX_SEGMENTS ((size_t)1 << 23)    /* ... and segments (88 bytes each) */
#define DEFAULT_MAX_CAUSES 16

/* A segment's sums over its leaves not explained yet, and its score. */
struct seg_sum {
    double v, e, e2;
    double score;        /* NAN: not computed since the sums changed; -1: not a candidate */
    uint32_t leaves;     /* 0: every leaf explained (the sums are then exactly 0) */
};

struct cuboid {
    uint32_t mask;       /* attributes fixed */
    unsigned layer;
    uint32_t *gid;       /* per active leaf: its segment */
    size_t n_groups;
    uint32_t *rep;       /* per segment: an active leaf under it */
    struct seg_sum *sum; /* per segment: its leaves not explained yet */
    struct seg_sum *all; /* per segment: all its leaves (what sum is reset to) */
};

struct pick {
    size_t cub;
    uint32_t group;
    double v, e;         /* over the leaves it explained when picked */
};

struct state {
    const struct loc_cube *c;
    size_t n;             /* active leaves (e + v > 0) */
    uint32_t *leaf;       /* active -> leaf of the cube */
    double *f, *v;
    double sigma, phi;
    bool *owned;          /* explained by a pick */
    struct cuboid *cub;
    size_t n_cub;
    struct pick *picks;
    size_t n_picks, max_picks;
    double total;         /* the picks' scores, less MIN_SCORE each */
    double min_first;     /* the first segment's least score */
    double top;           /* the best score with nothing explained (other_first_picks) */
    bool all_scored;      /* the segments' scores over all leaves are for all_phi, all_sigma */
    double all_phi, all_sigma;
    uint32_t spread;      /* the first pick's attribute when the whole cube moved with it */
};

/* The Poisson log-likelihood ratio of observing v where e was expected (half the deviance). */
static double log_lr(double v, double e)
{
    if (e < TINY)
        e = TINY;
    if (v <= 0)
        return e;
    return v * log(v / e) - v + e;
}

/* A segment's log-likelihood ratio in noise units: divided by its dispersion. */
static double score(const struct state *s, double v, double e, double e2)
{
    double disp = s->phi + (e > TINY ? s->sigma * s->sigma * e2 / e : 0);
    return log_lr(v, e) / disp;
}

static double log_ratio(double v, double e)
{
    return log((v + HALF_COUNT) / (e + HALF_COUNT));
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

static void load_leaves(struct state *s)
{
    const struct loc_cube *c = s->c;
    size_t cap = c->n_leaves ? c->n_leaves : 1;
    s->leaf = xmallocarray(cap, sizeof(*s->leaf));
    s->f = xmallocarray(cap, sizeof(double));
    s->v = xmallocarray(cap, sizeof(double));
    for (size_t i = 0; i < c->n_leaves; i++) {
        double f = c->expected[i], v = c->real[i];
        if (f + v <= 0)
            continue;
        s->leaf[s->n] = (uint32_t)i;
        s->f[s->n] = f;
        s->v[s->n] = v;
        s->n++;
    }
}

/* phi: the dispersion of a count that puts half the leaves outside skip (and expected at
 * min_e at least) within the median of chi^2; at least 1 (Poisson), and 1 with fewer than
 * MIN_FIT_LEAVES leaves. */
static double fit_phi(const struct state *s, const bool *skip, double min_e)
{
    double *r = xmallocarray(s->n, sizeof(double));
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double d = s->v[i] - s->f[i];
        if ((skip && skip[i]) || s->f[i] < min_e)
            continue;
        r[m++] = d * d / (s->f[i] > TINY ? s->f[i] : TINY);
    }
    if (m < MIN_FIT_LEAVES) {
        free(r);
        return 1;
    }
    select_kth(r, m, m / 2);
    double phi = r[m / 2] / CHI2_MEDIAN;
    free(r);
    return phi > 1 ? phi : 1;
}

/* The share of the leaves outside skip within the median of chi^2 for relative noise sigma on
 * top of a count's. */
static double share_within(const struct state *s, double sigma, const bool *skip)
{
    double in = 0, total = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (skip[i])
            continue;
        double d = s->v[i] - s->f[i];
        total++;
        if (d * d <= CHI2_MEDIAN * (s->phi * s->f[i] + sigma * sigma * s->f[i] * s->f[i]))
            in++;
    }
    return total >= MIN_FIT_LEAVES ? in / total : 1;
}

/* sigma: the smallest relative noise that puts half the leaves outside skip within the median
 * (bisection: the share grows with sigma); 0 when already there or with fewer than
 * MIN_FIT_LEAVES leaves. */
static double fit_sigma(const struct state *s, const bool *skip)
{
    double lo = 0, hi = SIGMA_MAX;
    if (share_within(s, 0, skip) >= 0.5)
        return 0;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        if (share_within(s, mid, skip) >= 0.5)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
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

/* Numbers the segments of cuboid k that hold active leaves (open addressing on the codes of
 * its attributes). */
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
    k->rep = xreallocarray(k->rep, k->n_groups ? k->n_groups : 1, sizeof(*k->rep));
    k->sum = xmallocarray(k->n_groups ? k->n_groups : 1, sizeof(*k->sum));
    k->all = xcalloc(k->n_groups ? k->n_groups : 1, sizeof(*k->all));
    for (size_t i = 0; i < s->n; i++) {
        struct seg_sum *g = &k->all[k->gid[i]];
        g->v += s->v[i];
        g->e += s->f[i];
        g->e2 += s->f[i] * s->f[i];
        g->leaves++;
    }
}

static void free_cuboid(struct cuboid *k)
{
    free(k->gid);
    free(k->rep);
    free(k->sum);
    free(k->all);
}

static void group_all(struct state *s)
{
    size_t t_size = 16;
    while (t_size < 2 * s->n)
        t_size <<= 1;
    uint32_t *table = xmallocarray(t_size, sizeof(*table));
    size_t segments = 0, layer_start = 0;
    for (size_t k = 0; k < s->n_cub; k++) {
        if (k > 0 && s->cub[k].layer != s->cub[k - 1].layer)
            layer_start = k;
        group_cuboid(s, &s->cub[k], table, t_size);
        segments += s->cub[k].n_groups;
        if (segments > MAX_SEGMENTS && layer_start > 0) { /* whole layers only */
            for (size_t j = layer_start; j <= k; j++)
                free_cuboid(&s->cub[j]);
            s->n_cub = layer_start;
            break;
        }
    }
    free(table);
}

/* ---- the greedy search ---- */

struct candidate {
    size_t cub;
    uint32_t group;
    double v, e, e2, score;
};

/* The score of a segment from its sums; -1 when it has nothing left to explain. */
static double seg_score(const struct state *s, const struct seg_sum *g)
{
    if (g->leaves == 0 || g->v + g->e <= 0)
        return -1;
    return score(s, g->v, g->e, g->e2);
}

/* Nothing explained: every segment's sums over all its leaves, scored for the current noise
 * (the scores of all segments are kept until phi or sigma change). A search then keeps the
 * sums up to date as leaves are explained (apply_pick) and rescores only the segments that
 * changed, instead of summing and scoring every cuboid again per step. */
static void reset_sums(struct state *s)
{
    memset(s->owned, 0, s->n * sizeof(bool));
    bool rescore = !s->all_scored || s->all_phi != s->phi || s->all_sigma != s->sigma;
    for (size_t k = 0; k < s->n_cub; k++) {
        struct cuboid *cb = &s->cub[k];
        if (rescore)
            for (size_t g = 0; g < cb->n_groups; g++)
                cb->all[g].score = seg_score(s, &cb->all[g]);
        memcpy(cb->sum, cb->all, cb->n_groups * sizeof(*cb->sum));
    }
    s->all_scored = true;
    s->all_phi = s->phi;
    s->all_sigma = s->sigma;
}

/* The sums of segment g of cuboid k over the leaves not explained yet. */
static void sum_one(const struct state *s, size_t k, uint32_t g, struct candidate *ret)
{
    const struct cuboid *cb = &s->cub[k];
    struct candidate c = {k, g, 0, 0, 0, 0};
    for (size_t i = 0; i < s->n; i++) {
        if (s->owned[i] || cb->gid[i] != g)
            continue;
        c.v += s->v[i];
        c.e += s->f[i];
        c.e2 += s->f[i] * s->f[i];
    }
    c.score = score(s, c.v, c.e, c.e2);
    *ret = c;
}

static size_t cuboid_of(const struct state *s, uint32_t mask)
{
    for (size_t k = 0; k < s->n_cub; k++)
        if (s->cub[k].mask == mask)
            return k;
    return SIZE_MAX;
}

/* True when the complement (parent minus segment) moved the segment's way, by at least
 * MOVED_SHARE of its log-ratio and beyond the noise, or holds almost nothing. */
static bool parent_explains(const struct state *s, const struct candidate *seg,
                            const struct candidate *par)
{
    double cv = par->v - seg->v, ce = par->e - seg->e, ce2 = par->e2 - seg->e2;
    if (cv < 0)
        cv = 0;
    if (ce < 0)
        ce = 0;
    if (ce2 < 0)
        ce2 = 0;
    if (ce < NEGLIGIBLE * par->e && cv < NEGLIGIBLE * par->v)
        return true;
    double ks = log_ratio(seg->v, seg->e), kc = log_ratio(cv, ce);
    return kc * ks > 0 && fabs(kc) >= MOVED_SHARE * fabs(ks) && score(s, cv, ce, ce2) >= MIN_SCORE;
}

/* Drops attributes from *c while the parent segment explains as well (parent_explains). */
static void generalise(const struct state *s, struct candidate *c)
{
    bool changed = true;
    while (changed && s->cub[c->cub].layer > 1) {
        changed = false;
        const struct cuboid *cb = &s->cub[c->cub];
        uint32_t rep = cb->rep[c->group];
        for (unsigned a = 0; a < s->c->n_attrs && !changed; a++) {
            if (!((cb->mask >> a) & 1))
                continue;
            size_t pk = cuboid_of(s, cb->mask & ~(UINT32_C(1) << a));
            if (pk == SIZE_MAX)
                continue;
            struct candidate par;
            sum_one(s, pk, s->cub[pk].gid[rep], &par);
            if (parent_explains(s, c, &par)) {
                par.score = c->score; /* the evidence stays the segment's best */
                *c = par;
                changed = true;
            }
        }
    }
}

/* Explains the leaves of segment b: they leave every segment's sums. A segment whose last leaf
 * goes is set to exactly 0, so no rounding residue of the subtractions can score. */
static void apply_pick(struct state *s, const struct candidate *b)
{
    const struct cuboid *cb = &s->cub[b->cub];
    for (size_t i = 0; i < s->n; i++) {
        if (s->owned[i] || cb->gid[i] != b->group)
            continue;
        s->owned[i] = true;
        for (size_t k = 0; k < s->n_cub; k++) {
            struct seg_sum *g = &s->cub[k].sum[s->cub[k].gid[i]];
            if (--g->leaves == 0) {
                *g = (struct seg_sum){0, 0, 0, -1, 0};
                continue;
            }
            g->v -= s->v[i];
            g->e -= s->f[i];
            g->e2 -= s->f[i] * s->f[i];
            g->score = NAN;
        }
    }
    s->picks[s->n_picks++] = (struct pick){b->cub, b->group, b->v, b->e};
}

/* The segment of highest score of cuboid k (rescoring those whose sums changed); score -1
 * when there is none. */
static struct candidate best_of_cuboid(struct state *s, size_t k)
{
    const struct cuboid *cb = &s->cub[k];
    struct candidate best = {k, 0, 0, 0, 0, -1};
    for (uint32_t g = 0; g < cb->n_groups; g++) {
        struct seg_sum *sg = &cb->sum[g];
        if (isnan(sg->score))
            sg->score = seg_score(s, sg);
        if (sg->score > best.score)
            best = (struct candidate){k, g, sg->v, sg->e, sg->e2, sg->score};
    }
    return best;
}

/* The segment of highest score over the cuboids that fix none of the attributes in banned;
 * score -1 when there is none. */
static struct candidate best_segment(struct state *s, uint32_t banned)
{
    struct candidate best = {0, 0, 0, 0, 0, -1};
    for (size_t k = 0; k < s->n_cub; k++) {
        if (s->cub[k].mask & banned)
            continue;
        struct candidate c = best_of_cuboid(s, k);
        if (c.score > best.score)
            best = c;
    }
    return best;
}

/* True when a one-attribute segment is explained as well by the whole cube: the rest of the
 * cube moved the same way (parent_explains). */
static bool whole_explains(const struct state *s, const struct candidate *c)
{
    if (s->cub[c->cub].layer != 1)
        return false;
    struct candidate all = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < s->n; i++) {
        all.v += s->v[i];
        all.e += s->f[i];
        all.e2 += s->f[i] * s->f[i];
    }
    return parent_explains(s, c, &all);
}

/* One search for the noise (phi, sigma), over the cuboids that fix no attribute of banned;
 * its first segment is *forced when given (generalised already), the best one otherwise. */
static void search(struct state *s, double sigma, uint32_t banned,
                   const struct candidate *forced)
{
    s->sigma = sigma;
    s->n_picks = 0;
    s->total = 0;
    s->spread = 0;
    reset_sums(s);
    double first = 0;
    while (s->n_picks < s->max_picks) {
        struct candidate best = s->n_picks == 0 && forced ? *forced : best_segment(s, banned);
        if (s->n_picks == 0) /* a forced start is held to the best start's MIN_REL floor */
            first = forced ? s->top : best.score;
        if (best.score < (s->n_picks ? MIN_SCORE : s->min_first) || best.score < MIN_REL * first)
            break;
        if (s->n_picks == 0 && whole_explains(s, &best))
            s->spread = s->cub[best.cub].mask;
        generalise(s, &best);
        s->total += score(s, best.v, best.e, best.e2) - MIN_SCORE;
        apply_pick(s, &best);
    }
}

static int cmp_score(const void *a, const void *b)
{
    double x = ((const struct candidate *)a)->score, y = ((const struct candidate *)b)->score;
    return (x < y) - (x > y);
}

/* The picks of a search, kept while another runs. */
struct answer {
    struct pick *picks;
    size_t n;
    double total;
    double blamed;       /* the expected value of the leaves under its segments */
};

/* The expected value of the leaves the picks explain: how much of the cube they blame. */
static double blamed(const struct state *s)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        for (size_t p = 0; p < s->n_picks; p++)
            if (s->cub[s->picks[p].cub].gid[i] == s->picks[p].group) {
                sum += s->f[i];
                break;
            }
    return sum;
}

static void answer_save(const struct state *s, struct answer *a)
{
    memcpy(a->picks, s->picks, s->n_picks * sizeof(*a->picks));
    a->n = s->n_picks;
    a->total = s->total;
    a->blamed = blamed(s);
}

static void answer_restore(struct state *s, const struct answer *a)
{
    memcpy(s->picks, a->picks, a->n * sizeof(*a->picks));
    s->n_picks = a->n;
    s->total = a->total;
}

/* Other first segments. The greedy's first pick is the segment of highest score, and when two
 * causes on one attribute (bitrate=4500, bitrate=2500) lie mostly in one value of another
 * (p2p=1), that value outscores either and the answer is the union (then what it left, or
 * nothing). So the search also starts from the best segment of every other cuboid
 * (generalised; one start per distinct segment; later picks held to the same MIN_REL floor as
 * the greedy's), and an answer whose scores, less MIN_SCORE each, sum higher replaces the
 * current one when it is no larger: no more segments, or less of the cube blamed (a smaller
 * expected value under its segments: the union blames the leaves of p2p=1 that did not move).
 * A higher sum alone is not enough: splitting one uneven cause in two (device=C1, then the
 * rest of bitrate=2500) or adding a burst of noise raises it too, and both blame more. */
static void other_first_picks(struct state *s)
{
    if (s->n_picks == 0)
        return;
    reset_sums(s);
    struct candidate *start = xmallocarray(s->n_cub, sizeof(*start));
    for (size_t k = 0; k < s->n_cub; k++)
        start[k] = best_of_cuboid(s, k);
    qsort(start, s->n_cub, sizeof(*start), cmp_score);
    s->top = start[0].score;
    struct answer best = {xmallocarray(s->max_picks, sizeof(struct pick)), 0, 0, 0};
    answer_save(s, &best);
    struct pick first = s->picks[0];
    size_t n_tried = 0;
    for (size_t i = 0; i < s->n_cub && start[i].score >= s->min_first; i++) {
        memset(s->owned, 0, s->n * sizeof(bool)); /* generalise sums over leaves not owned */
        struct candidate c = start[i];
        generalise(s, &c);
        bool tried = c.cub == first.cub && c.group == first.group;
        for (size_t j = 0; j < n_tried && !tried; j++)
            tried = start[j].cub == c.cub && start[j].group == c.group;
        if (tried)
            continue;
        start[n_tried++] = c; /* i >= n_tried: the starts still to come are untouched */
        search(s, s->sigma, 0, &c);
        if (s->n_picks && s->total > best.total && (s->n_picks <= best.n ||
                                                    blamed(s) < best.blamed))
            answer_save(s, &best);
    }
    answer_restore(s, &best);
    free(best.picks);
    free(start);
}

/* True when some leaf alone moved beyond the noise. */
static bool any_deviation(const struct state *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (score(s, s->v[i], s->f[i], s->f[i] * s->f[i]) >= s->min_first)
            return true;
    return false;
}

/* ---- the answer ---- */

static int cmp_cause(const void *a, const void *b)
{
    double x = ((const struct loc_cause *)a)->share, y = ((const struct loc_cause *)b)->share;
    return (x < y) - (x > y);
}

static void fill_result(const struct state *s, struct loc_result *r)
{
    const struct loc_cube *c = s->c;
    double total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += log_lr(s->v[i], s->f[i]);
    r->causes = xcalloc(s->n_picks ? s->n_picks : 1, sizeof(*r->causes));
    r->n = s->n_picks;
    for (size_t p = 0; p < s->n_picks; p++) {
        const struct pick *pk = &s->picks[p];
        const struct cuboid *cb = &s->cub[pk->cub];
        const uint32_t *codes = c->codes + (size_t)s->leaf[cb->rep[pk->group]] * c->n_attrs;
        struct loc_cause *lc = &r->causes[p];
        lc->values = xmallocarray(c->n_attrs, sizeof(uint32_t));
        for (size_t a = 0; a < c->n_attrs; a++)
            lc->values[a] = (cb->mask >> a) & 1 ? codes[a] : LOC_ANY;
        lc->layer = cb->layer;
        for (size_t i = 0; i < s->n; i++) {
            if (cb->gid[i] != pk->group)
                continue;
            lc->real += s->v[i];
            lc->expected += s->f[i];
            lc->leaves++;
        }
        lc->share = total > 0 ? log_lr(pk->v, pk->e) / total : 0;
        if (lc->share > 1)
            lc->share = 1;
        r->explained += lc->share;
    }
    if (r->explained > 1)
        r->explained = 1;
    qsort(r->causes, r->n, sizeof(*r->causes), cmp_cause);
    r->noise = s->sigma;
}

static void state_init(struct state *s, unsigned max_layer, unsigned max_causes)
{
    size_t n = s->n ? s->n : 1;
    list_cuboids(s, max_layer);
    group_all(s);
    double segments = 0;
    for (size_t k = 0; k < s->n_cub; k++)
        segments += (double)s->cub[k].n_groups;
    s->min_first = fmin(FIRST_BASE + log(segments > 1 ? segments : 1), MIN_SCORE);
    s->owned = xmallocarray(n, sizeof(bool));
    s->max_picks = max_causes;
    s->picks = xmallocarray(max_causes, sizeof(*s->picks));
}

static void state_release(struct state *s)
{
    for (size_t k = 0; k < s->n_cub; k++)
        free_cuboid(&s->cub[k]);
    free(s->cub);
    free(s->leaf);
    free(s->f);
    free(s->v);
    free(s->owned);
    free(s->picks);
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
        s.phi = fit_phi(&s, NULL, 0);
        search(&s, 0, 0, NULL);
        double phi0 = s.phi;
        s.phi = fmax(phi0, fit_phi(&s, s.owned, PHI_MIN_EXPECTED)); /* outside that answer */
        double sigma = fit_sigma(&s, s.owned); /* on the leaves outside the first answer */
        if (sigma > 0 || s.phi > phi0)
            search(&s, sigma, 0, NULL);
        if (s.spread) { /* its attribute does not separate the deviation: try without it */
            struct answer kept = {xmallocarray(s.max_picks, sizeof(struct pick)), 0, 0, 0};
            answer_save(&s, &kept);
            search(&s, s.sigma, s.spread, NULL);
            if (s.n_picks == 0 || s.total <= kept.total)
                answer_restore(&s, &kept);
            free(kept.picks);
        }
        other_first_picks(&s);
        fill_result(&s, &r);
        if (r.n)
            r.status = LOC_FOUND;
        else if (any_deviation(&s))
            r.status = LOC_NO_EXPLANATION;
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
