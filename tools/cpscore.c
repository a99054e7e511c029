/* cpscore.c: hindsight-cpscore, TCPDBench's scorer for change point predictions.
 *
 *   hindsight-cpscore [--groups GROUPS.json] [--group NAME] ANNOTATIONS LABEL=PREDICTIONS...
 *       Scores predictions against the annotations: one row per annotated series with, for each
 *       predictions file, the number of change points after cleaning, F1 (margin 5) and
 *       covering; then the means over the series of group NAME (default "univariate") of
 *       GROUPS. A PREDICTIONS file is a JSON object {series: {"n_obs": N, "change_points":
 *       [...]}} (what `hindsight changepoints --json` prints, one per series). A series missing
 *       from it scores 0, as a failed detector does in TCPDBench.
 *
 *   hindsight-cpscore --reference RUNS.json [--groups ...] [--allow N] ANNOTATIONS
 *       Checks the scorer itself: rescores every successful run of reference_default_runs.json
 *       and compares with its published F1 and covering (equal within 1e-12). Prints, per
 *       method, the runs, the disagreements, and our and the published means over the group
 *       (a failed run counts 0); exits 1 when more than N (default 3) scores disagree.
 *
 * A development tool, not part of hindsight itself: it links the pure scoring kernel
 * (analytics/cpscore.h) and reads JSON with jansson. Exit status 2 for unusable input. */
#define _POSIX_C_SOURCE 200809L
#include "analytics/cpscore.h"
#include "core/num.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLERANCE 1e-12
#define MAX_FILES 16

struct annotated {
    const char *name;
    size_t k;
    struct cp_set *sets;
    int64_t *storage;
};

struct inputs {
    json_t *ann, *groups, *reference;
    const char *group;
    int64_t allow;
    const char *labels[MAX_FILES];
    json_t *preds[MAX_FILES];
    size_t n_files;
};

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "hindsight-cpscore: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(2);
}

static json_t *load(const char *path)
{
    json_error_t je;
    json_t *v = json_load_file(path, 0, &je);
    if (!v || !json_is_object(v)) {
        fprintf(stderr, "hindsight-cpscore: %s:%d: %s\n", path, je.line,
                v ? "expected a JSON object" : je.text);
        exit(2);
    }
    return v;
}

/* Reads a JSON array of integers into a new array; *ret_n gets its length. */
static int64_t *int_array(json_t *arr, size_t *ret_n, const char *what)
{
    if (!json_is_array(arr))
        die("%s: expected an array of indices", what);
    size_t n = json_array_size(arr), i;
    int64_t *v = xmallocarray(n + 1, sizeof(*v));
    json_t *x;
    json_array_foreach(arr, i, x) {
        if (!json_is_integer(x))
            die("%s: expected integer indices", what);
        v[i] = (int64_t)json_integer_value(x);
    }
    *ret_n = n;
    return v;
}

/* The annotators of one series, in the file's order. */
static void annotated_init(struct annotated *a, const char *name, json_t *by_annotator)
{
    a->name = name;
    a->k = json_object_size(by_annotator);
    a->sets = xcalloc(a->k + 1, sizeof(*a->sets));
    size_t total = 0, j = 0;
    const char *uid;
    json_t *lst;
    json_object_foreach(by_annotator, uid, lst)
        total += json_array_size(lst);
    a->storage = xmallocarray(total + 1, sizeof(*a->storage));
    size_t off = 0;
    json_object_foreach(by_annotator, uid, lst) {
        size_t n;
        int64_t *v = int_array(lst, &n, name);
        memcpy(a->storage + off, v, n * sizeof(*v));
        a->sets[j++] = (struct cp_set){a->storage + off, n};
        off += n;
        free(v);
    }
}

static void annotated_release(struct annotated *a)
{
    free(a->sets);
    free(a->storage);
}

/* Scores raw predictions (cleaned first) of a series of n_obs points. */
static void score(const struct annotated *a, json_t *raw, size_t n_obs, size_t *ret_n,
                  double *ret_f1, double *ret_cover)
{
    size_t n;
    int64_t *p = int_array(raw, &n, a->name);
    n = cp_clean(p, n, n_obs, p);
    *ret_n = n;
    *ret_f1 = cp_f1(a->sets, a->k, p, n, CPSCORE_MARGIN, NULL, NULL);
    *ret_cover = cp_cover(a->sets, a->k, p, n, n_obs);
    free(p);
}

static bool in_group(const struct inputs *in, const char *name)
{
    if (!in->groups)
        return true;
    const char *g = json_string_value(json_object_get(in->groups, name));
    return g && strcmp(g, in->group) == 0;
}

/* ---- scoring predictions ---- */

/* Prints the row of one series; adds its scores to the sums when it is in the group. */
static void score_row(const struct inputs *in, const struct annotated *a, double *sum)
{
    printf("%-22s", a->name);
    for (size_t f = 0; f < in->n_files; f++) {
        json_t *entry = json_object_get(in->preds[f], a->name);
        json_t *n_obs = json_object_get(entry, "n_obs");
        size_t n = 0;
        double f1 = 0, cover = 0;
        if (json_is_integer(n_obs) && json_integer_value(n_obs) > 0) {
            score(a, json_object_get(entry, "change_points"), (size_t)json_integer_value(n_obs),
                  &n, &f1, &cover);
            printf("  %4zu %6.3f %6.3f", n, f1, cover);
        } else {
            printf("  %4s %6.3f %6.3f", "fail", f1, cover);
        }
        if (in_group(in, a->name)) {
            sum[2 * f] += f1;
            sum[2 * f + 1] += cover;
        }
    }
    printf("\n");
}

static int run_score(const struct inputs *in)
{
    printf("%-22s", "series");
    for (size_t f = 0; f < in->n_files; f++)
        printf("  %-18s", in->labels[f]);
    printf("\n%-22s", "");
    for (size_t f = 0; f < in->n_files; f++)
        printf("  %4s %6s %6s", "cps", "F1", "cover");
    printf("\n");
    double sum[2 * MAX_FILES] = {0};
    size_t in_grp = 0;
    const char *name;
    json_t *by;
    json_object_foreach(in->ann, name, by) {
        struct annotated a;
        annotated_init(&a, name, by);
        score_row(in, &a, sum);
        in_grp += in_group(in, name);
        annotated_release(&a);
    }
    printf("mean over %s (%zu):", in->groups ? in->group : "all", in_grp);
    for (size_t f = 0; f < in->n_files; f++)
        printf("  %s F1 %.3f cover %.3f", in->labels[f], in_grp ? sum[2 * f] / (double)in_grp : 0,
               in_grp ? sum[2 * f + 1] / (double)in_grp : 0);
    printf("\n");
    return 0;
}

/* ---- checking against the reference runs ---- */

struct method_tally {
    const char *name;
    size_t runs, bad;
    double f1, cover, pub_f1, pub_cover; /* sums over the group */
};

static struct method_tally *tally_of(struct method_tally *t, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    t[*n] = (struct method_tally){name, 0, 0, 0, 0, 0, 0};
    return &t[(*n)++];
}

static bool differs(double ours, json_t *published)
{
    return !json_is_number(published) || fabs(ours - json_number_value(published)) > TOLERANCE;
}

/* Rescores one run and tallies it; prints the disagreements. */
static void check_run(const struct inputs *in, const struct annotated *a, size_t n_obs,
                      const char *method, json_t *run, struct method_tally *t)
{
    json_t *pf = json_object_get(run, "published_f1");
    json_t *pc = json_object_get(run, "published_cover");
    bool grp = in_group(in, a->name);
    if (grp) {
        t->pub_f1 += json_is_number(pf) ? json_number_value(pf) : 0;
        t->pub_cover += json_is_number(pc) ? json_number_value(pc) : 0;
    }
    const char *status = json_string_value(json_object_get(run, "status"));
    if (!status || strcmp(status, "SUCCESS") != 0)
        return;
    size_t n;
    double f1, cover;
    score(a, json_object_get(run, "cplocations"), n_obs, &n, &f1, &cover);
    t->runs++;
    if (grp) {
        t->f1 += f1;
        t->cover += cover;
    }
    if (differs(f1, pf) || differs(cover, pc)) {
        t->bad += differs(f1, pf) + differs(cover, pc);
        printf("  differs: %s %s: F1 %.17g (published %.17g), cover %.17g (published %.17g)\n",
               a->name, method, f1, json_number_value(pf), cover, json_number_value(pc));
    }
}

static void check_series(const struct inputs *in, const char *name, json_t *entry,
                         struct method_tally *t, size_t *nt)
{
    json_t *by = json_object_get(in->ann, name);
    json_t *n_obs = json_object_get(entry, "n_obs");
    if (!by || !json_is_integer(n_obs))
        die("reference series '%s' has no annotations or no n_obs", name);
    struct annotated a;
    annotated_init(&a, name, by);
    const char *method;
    json_t *run;
    json_object_foreach(json_object_get(entry, "methods"), method, run) {
        if (*nt == 64)
            die("too many methods (at %s)", method);
        check_run(in, &a, (size_t)json_integer_value(n_obs), method, run,
                  tally_of(t, nt, method));
    }
    annotated_release(&a);
}

static int run_check(const struct inputs *in)
{
    json_t *results = json_object_get(in->reference, "results");
    if (!json_is_object(results))
        die("%s", "the reference has no 'results' object");
    struct method_tally t[64];
    size_t nt = 0, n_grp = 0, runs = 0, bad = 0;
    const char *name;
    json_t *entry;
    json_object_foreach(results, name, entry) {
        check_series(in, name, entry, t, &nt);
        n_grp += in_group(in, name);
    }
    printf("%-10s %5s %8s  %-17s  %-17s\n", "method", "runs", "differ", "F1 ours/published",
           "cover ours/published");
    for (size_t i = 0; i < nt; i++) {
        double d = n_grp ? (double)n_grp : 1;
        printf("%-10s %5zu %8zu  %.3f / %.3f      %.3f / %.3f\n", t[i].name, t[i].runs, t[i].bad,
               t[i].f1 / d, t[i].pub_f1 / d, t[i].cover / d, t[i].pub_cover / d);
        runs += t[i].runs;
        bad += t[i].bad;
    }
    printf("means over %s (%zu series); %zu runs rescored, %zu of %zu scores differ "
           "(allowed: %lld)\n", in->groups ? in->group : "all", n_grp, runs, bad, 2 * runs,
           (long long)in->allow);
    return bad > (size_t)in->allow ? 1 : 0;
}

/* ---- arguments ---- */

static const char *next_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        die("%s needs a value", argv[*i]);
    return argv[++*i];
}

static void add_predictions(struct inputs *in, char *arg)
{
    if (in->n_files == MAX_FILES)
        die("at most 16 predictions files (at %s)", arg);
    char *eq = strchr(arg, '=');
    const char *path = eq ? eq + 1 : arg;
    if (eq)
        *eq = '\0';
    in->labels[in->n_files] = arg;
    in->preds[in->n_files++] = load(path);
}

static void parse_args(struct inputs *in, int argc, char **argv)
{
    const char *ann = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--groups") == 0)
            in->groups = load(next_arg(argc, argv, &i));
        else if (strcmp(argv[i], "--group") == 0)
            in->group = next_arg(argc, argv, &i);
        else if (strcmp(argv[i], "--reference") == 0)
            in->reference = load(next_arg(argc, argv, &i));
        else if (strcmp(argv[i], "--allow") == 0 &&
                 num_parse_i64_range(next_arg(argc, argv, &i), 0, 1000000, &in->allow) < 0)
            die("%s", "--allow needs a whole number");
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            die("unknown option %s", argv[i]);
        else if (!ann)
            ann = argv[i];
        else
            add_predictions(in, argv[i]);
    }
    if (!ann || (!in->reference && in->n_files == 0) || (in->reference && in->n_files))
        die("%s", "usage: hindsight-cpscore [--groups G] [--group NAME] ANNOTATIONS "
            "LABEL=PREDICTIONS...\n       hindsight-cpscore --reference RUNS [--groups G] "
            "[--allow N] ANNOTATIONS");
    in->ann = load(ann);
}

int main(int argc, char **argv)
{
    struct inputs in = {0};
    in.group = "univariate";
    in.allow = 3;
    parse_args(&in, argc, argv);
    int rc = in.reference ? run_check(&in) : run_score(&in);
    json_decref(in.ann);
    json_decref(in.groups);
    json_decref(in.reference);
    for (size_t f = 0; f < in.n_files; f++)
        json_decref(in.preds[f]);
    return rc;
}
