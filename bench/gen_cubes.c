/* gen_cubes.c: root-cause localisation cases in RiskLoc's style, to tune and test on without
 * overfitting the published data sets. Standalone (cc -O2 gen_cubes.c -lm); deterministic
 * for a seed.
 *
 *   gen_cubes DIR SEED COUNT
 *
 * writes DIR/<i>.csv (one cube per case, Squeeze's layout: real,predict,a,b,... one row per
 * leaf) and DIR/injection_info.csv (timestamp,set: the case's number and its true set in the
 * benchmarks' notation). Each case:
 *   - 4 to 6 attributes (a, b, ...) of 2 to 12 values each, at most about 20,000 leaves;
 *   - forecasts lognormal (a few big leaves, many small ones), 20 to 60 % of the leaves empty
 *     (forecast and real 0: sparse cubes);
 *   - real = forecast x (1 + N(0, s)), s drawn in 0 .. 5 % per case, rounded to integers so
 *     that small leaves carry a count's noise too;
 *   - 1 to 3 root causes, each fixing 1 to 3 attributes, none an ancestor or descendant of
 *     another and no two sharing a leaf; each moves down (x 0.1 .. 0.7) or up (x 1.5 .. 4),
 *     chosen per cause, so cases are often two-sided; a cause must hold at least 0.5 % of
 *     the expected total, so that it is visible at all. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ATTRS 6
#define MAX_CAUSES 3
#define MAX_LEAVES 20000

static uint64_t state;

static uint64_t next_u64(void)
{
    uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double uniform(void) { return (double)(next_u64() >> 11) / 9007199254740992.0; }
static int below(int n) { return (int)(next_u64() % (uint64_t)n); }
static double normal(void)
{
    double u = uniform(), v = uniform();
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

struct cube {
    int n_attrs, card[MAX_ATTRS];
    int n_leaves;
    double *f, *v;
};

struct cause {
    int value[MAX_ATTRS]; /* -1: free */
};

static void leaf_codes(const struct cube *c, int leaf, int *codes)
{
    for (int a = c->n_attrs - 1; a >= 0; a--) {
        codes[a] = leaf % c->card[a];
        leaf /= c->card[a];
    }
}

static int under(const struct cube *c, int leaf, const struct cause *k)
{
    int codes[MAX_ATTRS];
    leaf_codes(c, leaf, codes);
    for (int a = 0; a < c->n_attrs; a++)
        if (k->value[a] >= 0 && k->value[a] != codes[a])
            return 0;
    return 1;
}

/* Two causes overlap when no fixed attribute tells them apart. */
static int overlap(const struct cube *c, const struct cause *x, const struct cause *y)
{
    for (int a = 0; a < c->n_attrs; a++)
        if (x->value[a] >= 0 && y->value[a] >= 0 && x->value[a] != y->value[a])
            return 0;
    return 1;
}

static void make_cube(struct cube *c)
{
    do {
        c->n_attrs = 4 + below(3);
        c->n_leaves = 1;
        for (int a = 0; a < c->n_attrs; a++) {
            c->card[a] = 2 + below(11);
            c->n_leaves *= c->card[a];
        }
    } while (c->n_leaves > MAX_LEAVES || c->n_leaves < 200);
    c->f = calloc((size_t)c->n_leaves, sizeof(double));
    c->v = calloc((size_t)c->n_leaves, sizeof(double));
    double empty = 0.2 + 0.4 * uniform(), noise = 0.05 * uniform();
    for (int i = 0; i < c->n_leaves; i++) {
        if (uniform() < empty)
            continue;
        c->f[i] = round(exp(3 + 1.6 * normal()));
        c->v[i] = fmax(0, round(c->f[i] * (1 + noise * normal())));
    }
}

static double mass_under(const struct cube *c, const struct cause *k)
{
    double m = 0;
    for (int i = 0; i < c->n_leaves; i++)
        if (under(c, i, k))
            m += c->f[i];
    return m;
}

/* Draws a cause that overlaps none of the n already drawn; 0 when it fails. */
static int draw_cause(const struct cube *c, const struct cause *done, int n, double total,
                      struct cause *k)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        int layer = 1 + below(3), fixed = 0;
        for (int a = 0; a < c->n_attrs; a++)
            k->value[a] = -1;
        while (fixed < layer) {
            int a = below(c->n_attrs);
            if (k->value[a] < 0) {
                k->value[a] = below(c->card[a]);
                fixed++;
            }
        }
        int ok = mass_under(c, k) >= 0.005 * total && mass_under(c, k) <= 0.5 * total;
        for (int j = 0; j < n && ok; j++)
            ok = !overlap(c, k, &done[j]);
        if (ok)
            return 1;
    }
    return 0;
}

static void write_set(FILE *out, const struct cube *c, const struct cause *k, int n)
{
    for (int j = 0; j < n; j++) {
        int first = 1;
        fputs(j ? ";" : "", out);
        for (int a = 0; a < c->n_attrs; a++)
            if (k[j].value[a] >= 0) {
                fprintf(out, "%s%c=%c%d", first ? "" : "&", 'a' + a, 'a' + a, k[j].value[a] + 1);
                first = 0;
            }
    }
}

static int write_cube(const char *dir, int id, const struct cube *c)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%d.csv", dir, id);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("real,predict", f);
    for (int a = 0; a < c->n_attrs; a++)
        fprintf(f, ",%c", 'a' + a);
    fputc('\n', f);
    for (int i = 0; i < c->n_leaves; i++) {
        int codes[MAX_ATTRS];
        leaf_codes(c, i, codes);
        fprintf(f, "%.0f,%.0f", c->v[i], c->f[i]);
        for (int a = 0; a < c->n_attrs; a++)
            fprintf(f, ",%c%d", 'a' + a, codes[a] + 1);
        fputc('\n', f);
    }
    return fclose(f);
}

static int one_case(const char *dir, int id, FILE *info)
{
    struct cube c;
    struct cause k[MAX_CAUSES];
    int n;
    for (;;) {
        make_cube(&c);
        double total = 0;
        for (int i = 0; i < c.n_leaves; i++)
            total += c.f[i];
        int want = 1 + below(MAX_CAUSES);
        for (n = 0; n < want && draw_cause(&c, k, n, total, &k[n]); n++)
            ;
        if (n == want)
            break;
        free(c.f);
        free(c.v);
    }
    for (int j = 0; j < n; j++) {
        double r = uniform() < 0.5 ? 0.1 + 0.6 * uniform() : 1.5 + 2.5 * uniform();
        for (int i = 0; i < c.n_leaves; i++)
            if (under(&c, i, &k[j]))
                c.v[i] = round(c.v[i] * r);
    }
    fprintf(info, "%d,", id);
    write_set(info, &c, k, n);
    fputc('\n', info);
    int rc = write_cube(dir, id, &c);
    free(c.f);
    free(c.v);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_cubes DIR SEED COUNT\n");
        return 2;
    }
    const char *dir = argv[1];
    state = strtoull(argv[2], NULL, 10);
    int count = atoi(argv[3]);
    mkdir(dir, 0777);
    char path[4096];
    snprintf(path, sizeof(path), "%s/injection_info.csv", dir);
    FILE *info = fopen(path, "w");
    if (!info) {
        perror(path);
        return 1;
    }
    fputs("timestamp,set\n", info);
    for (int id = 1; id <= count; id++)
        if (one_case(dir, id, info) < 0) {
            perror(dir);
            return 1;
        }
    return fclose(info) ? 1 : 0;
}
