/* gen_cubes.c: root-cause localisation cases, to tune and test on without overfitting the
 * published data sets. Standalone (cc -O2 gen_cubes.c -lm); deterministic for a seed.
 *
 *   gen_cubes DIR SEED COUNT [riskloc|rates]
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
 *     the expected total, so that it is visible at all.
 *
 * The style `rates` is shaped like RS's video stalls instead (counts of failures among users,
 * per segment):
 *   - 3 to 5 attributes of 2 to 8 values; each attribute's traffic shares are skewed (one
 *     value often holds most of it, as p2p=1 does in RS), a leaf's users are the product of
 *     its shares times 5,000 to 100,000 (with a lognormal wobble), and its failure rate 1 to
 *     4 % (times a lognormal of its own);
 *   - predict is the leaf's expected failures (users x rate), real a draw of Poisson(mean x
 *     Gamma(k, 1 / k)), k 5 to 20 per case: overdispersed counts, bursts;
 *   - 1 to 3 causes that raise the rate x 2 to 10; with two or more, half the cases put them
 *     all on one attribute (bitrate=4500;bitrate=2500, RS's commonest multi-cause shape, where
 *     their union mostly lies in the dominant value of another attribute); the rise is uneven
 *     (each leaf gets 50 to 100 % of the cause's excess); a cause holds 1 to 50 % of the
 *     expected total. */
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
    int rates;            /* the `rates` style: predict is not an integer */
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

/* A Poisson draw: Knuth's product of uniforms for a small mean, the normal approximation for
 * a large one (the benchmark needs counts, not a perfect tail). */
static double poisson(double mean)
{
    if (mean > 50)
        return fmax(0, round(mean + sqrt(mean) * normal()));
    double limit = exp(-mean), p = uniform();
    int k = 0;
    while (p > limit) {
        p *= uniform();
        k++;
    }
    return k;
}

/* A Gamma(k, 1 / k) draw (mean 1) for k >= 1 (Marsaglia and Tsang). */
static double gamma_mean1(double k)
{
    double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = normal(), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = uniform();
        if (log(u + 1e-300) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v / k;
    }
}

/* The `rates` style's cube: c->v holds each leaf's mean failures until the causes are
 * applied, then a draw (draw_rates). */
static void make_rates_cube(struct cube *c)
{
    double share[MAX_ATTRS][8];
    c->rates = 1;
    c->n_attrs = 3 + below(3);
    c->n_leaves = 1;
    for (int a = 0; a < c->n_attrs; a++) {
        c->card[a] = 2 + below(7);
        c->n_leaves *= c->card[a];
        double sum = 0, skew = 0.5 + 2.5 * uniform();
        for (int j = 0; j < c->card[a]; j++)
            sum += share[a][j] = pow(uniform() + 0.02, skew * 2);
        for (int j = 0; j < c->card[a]; j++)
            share[a][j] /= sum;
    }
    c->f = calloc((size_t)c->n_leaves, sizeof(double));
    c->v = calloc((size_t)c->n_leaves, sizeof(double));
    double users = 5000 + 95000 * uniform(), rate = 0.01 + 0.03 * uniform();
    for (int i = 0; i < c->n_leaves; i++) {
        int codes[MAX_ATTRS];
        leaf_codes(c, i, codes);
        double u = users * exp(0.3 * normal());
        for (int a = 0; a < c->n_attrs; a++)
            u *= share[a][codes[a]];
        c->f[i] = u * rate * exp(0.3 * normal());
        c->v[i] = c->f[i];
    }
}

static void draw_rates(struct cube *c)
{
    double k = 5 + 15 * uniform();
    for (int i = 0; i < c->n_leaves; i++)
        c->v[i] = poisson(c->v[i] * gamma_mean1(k));
}

static double mass_under(const struct cube *c, const struct cause *k)
{
    double m = 0;
    for (int i = 0; i < c->n_leaves; i++)
        if (under(c, i, k))
            m += c->f[i];
    return m;
}

/* Draws a cause of 1 to max_layer attributes holding min_mass to 50 % of the expected total
 * that overlaps none of the n already drawn; 0 when it fails. */
static int draw_cause(const struct cube *c, const struct cause *done, int n, double total,
                      int max_layer, double min_mass, struct cause *k)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        int layer = 1 + below(max_layer), fixed = 0;
        for (int a = 0; a < c->n_attrs; a++)
            k->value[a] = -1;
        while (fixed < layer) {
            int a = below(c->n_attrs);
            if (k->value[a] < 0) {
                k->value[a] = below(c->card[a]);
                fixed++;
            }
        }
        double m = mass_under(c, k);
        int ok = m >= min_mass * total && m <= 0.5 * total;
        for (int j = 0; j < n && ok; j++)
            ok = !overlap(c, k, &done[j]);
        if (ok)
            return 1;
    }
    return 0;
}

/* Draws n causes on one attribute (a=a2;a=a5), each holding 1 to 50 % of the expected total;
 * 0 when it fails. */
static int draw_same_attribute(const struct cube *c, int n, double total, struct cause *k)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        int a = below(c->n_attrs), ok = c->card[a] > n;
        for (int j = 0; j < n && ok; j++) {
            for (int b = 0; b < c->n_attrs; b++)
                k[j].value[b] = -1;
            k[j].value[a] = below(c->card[a]);
            double m = mass_under(c, &k[j]);
            ok = m >= 0.01 * total && m <= 0.5 * total;
            for (int i = 0; i < j && ok; i++)
                ok = k[i].value[a] != k[j].value[a];
        }
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
        fprintf(f, c->rates ? "%.0f,%.4f" : "%.0f,%.0f", c->v[i], c->f[i]);
        for (int a = 0; a < c->n_attrs; a++)
            fprintf(f, ",%c%d", 'a' + a, codes[a] + 1);
        fputc('\n', f);
    }
    return fclose(f);
}

/* Draws the causes of a case; 0 when the cube cannot hold them. */
static int draw_causes(const struct cube *c, int want, struct cause *k)
{
    double total = 0;
    for (int i = 0; i < c->n_leaves; i++)
        total += c->f[i];
    if (c->rates && want > 1 && uniform() < 0.5)
        return draw_same_attribute(c, want, total, k);
    int n = 0;
    while (n < want && draw_cause(c, k, n, total, c->rates ? 2 : 3, c->rates ? 0.01 : 0.005,
                                  &k[n]))
        n++;
    return n == want;
}

static void apply_causes(struct cube *c, const struct cause *k, int n)
{
    for (int j = 0; j < n; j++) {
        if (c->rates) {
            double r = 2 + 8 * uniform();
            for (int i = 0; i < c->n_leaves; i++)
                if (under(c, i, &k[j]))
                    c->v[i] *= 1 + (r - 1) * (0.5 + 0.5 * uniform());
            continue;
        }
        double r = uniform() < 0.5 ? 0.1 + 0.6 * uniform() : 1.5 + 2.5 * uniform();
        for (int i = 0; i < c->n_leaves; i++)
            if (under(c, i, &k[j]))
                c->v[i] = round(c->v[i] * r);
    }
    if (c->rates)
        draw_rates(c);
}

static int one_case(const char *dir, int id, int rates, FILE *info)
{
    struct cube c = {0};
    struct cause k[MAX_CAUSES];
    int n;
    for (;;) {
        if (rates)
            make_rates_cube(&c);
        else
            make_cube(&c);
        n = 1 + below(MAX_CAUSES);
        if (draw_causes(&c, n, k))
            break;
        free(c.f);
        free(c.v);
    }
    apply_causes(&c, k, n);
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
    int rates = argc == 5 && strcmp(argv[4], "rates") == 0;
    if ((argc != 4 && argc != 5) || (argc == 5 && !rates && strcmp(argv[4], "riskloc") != 0)) {
        fprintf(stderr, "usage: gen_cubes DIR SEED COUNT [riskloc|rates]\n");
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
        if (one_case(dir, id, rates, info) < 0) {
            perror(dir);
            return 1;
        }
    return fclose(info) ? 1 : 0;
}
