/* cmd_localize.c: hindsight localize FILE: the smallest set of segments (attribute=value
 * combinations) that explains a deviation, from a cube or a history file; and
 * hindsight localize --score FILE, the exact-match scorer the benchmark uses. Needs no store. */
#include "cli/cli.h"

#include "app/localize.h"

#include <stdio.h>
#include <stdlib.h>

static const struct opt_spec localize_spec[] = {
    {"time-column", OPT_VALUE, "COLUMN", "the file is a history: its time column"},
    {"at", OPT_VALUE, "TIME", "the instant to explain (epoch or RFC 3339, as in the file)"},
    {"ratio", OPT_VALUE, "NUM/DEN", "the measure: the ratio of two summed columns (or one "
                                    "column)"},
    {"json", OPT_FLAG, NULL, "print JSON"},
    {"score", OPT_VALUE, "CASES", "score predictions instead: lines 'TRUE-SET<TAB>PREDICTED'"},
};

static const char usage[] =
    "localize FILE [--time-column C --at TIME --ratio NUM/DEN] [--json]\n"
    "       hindsight localize --score CASES [--json]";

static const char about[] =
    "Finds the smallest set of segments that explains the deviation of real values from\n"
    "expected ones, over every combination of attributes (docs/localize.md). FILE is a cube,\n"
    "one CSV row per leaf with real, predict and attribute columns, or with --time-column a\n"
    "history, each leaf's expected value at --at coming from its own earlier rows. The first\n"
    "line printed is the set, like a=a1&b=b3;c=c2, or (none).";

static json_t *answer_json(const struct localize_answer *a)
{
    json_t *names = json_array(), *shares = json_array(), *segs = json_array();
    for (size_t i = 0; i < a->n; i++) {
        const struct localize_segment *s = &a->segments[i];
        json_array_append_new(names, json_string(s->name));
        json_array_append_new(shares, json_real(s->share));
        json_array_append_new(segs, json_pack("{s:s, s:f, s:f, s:f, s:I}", "segment", s->name,
                                              "share", s->share, "real", s->real, "expected",
                                              s->expected, "leaves", (json_int_t)s->leaves));
    }
    return json_pack("{s:o, s:o, s:s, s:f, s:o, s:f, s:f, s:f, s:I, s:I}", "root_cause", names,
                     "explained_share", shares, "status", a->status, "explained", a->explained,
                     "segments", segs, "real", a->real, "expected", a->expected, "noise",
                     a->noise, "leaves", (json_int_t)a->leaves, "rows", (json_int_t)a->rows);
}

static const char *status_text(const char *status)
{
    if (status[0] == 'n' && status[3] == 'd')
        return "no leaf moved beyond the noise: nothing to explain";
    if (status[0] == 'n')
        return "leaves moved, but no small set of segments explains it";
    return "";
}

static void answer_text(const struct localize_answer *a)
{
    char *set = localize_answer_set(a);
    printf("%s\n", a->n ? set : "(none)");
    free(set);
    for (size_t i = 0; i < a->n; i++) {
        const struct localize_segment *s = &a->segments[i];
        printf("  %-40s %5.1f %%  real %.6g  expected %.6g  (%zu leaves)\n", s->name,
               100 * s->share, s->real, s->expected, s->leaves);
    }
    if (a->n)
        printf("%s: %zu segment%s explain%s %.1f %% of the deviation; %zu leaves, real %.6g, "
               "expected %.6g\n", a->status, a->n, a->n == 1 ? "" : "s", a->n == 1 ? "s" : "",
               100 * a->explained, a->leaves, a->real, a->expected);
    else
        printf("%s: %s; %zu leaves, real %.6g, expected %.6g\n", a->status,
               status_text(a->status), a->leaves, a->real, a->expected);
}

static int score(const char *path, bool json)
{
    struct err e = ERR_INIT;
    struct localize_score s;
    if (app_localize_score(path, &s, &e) < 0)
        return cli_fail(&e);
    double p, r, f1;
    localize_score_rates(&s, &p, &r, &f1);
    if (json)
        cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f}", "cases",
                                 (json_int_t)s.cases, "tp", (json_int_t)s.tp, "fp",
                                 (json_int_t)s.fp, "fn", (json_int_t)s.fn, "precision", p,
                                 "recall", r, "f1", f1));
    else
        printf("cases %zu  TP %zu  FP %zu  FN %zu  precision %.3f  recall %.3f  F1 %.3f\n",
               s.cases, s.tp, s.fp, s.fn, p, r, f1);
    return EXIT_OK;
}

int cmd_localize(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "localize", usage, about, localize_spec, ARRAY_SIZE(localize_spec),
                       argc, argv);
    if (rc >= 0)
        return rc;
    struct localize_answer a = {0};
    bool json = opts_flag(&o, "json");
    if (opts_value(&o, "score")) {
        if ((rc = cli_want_positional(&o, "localize", 0, "")) < 0)
            rc = score(opts_value(&o, "score"), json);
        goto done;
    }
    if ((rc = cli_want_positional(&o, "localize", 1, "the file")) >= 0)
        goto done;
    struct localize_request q = {o.positional.items[0], opts_value(&o, "time-column"),
                                 opts_value(&o, "at"), opts_value(&o, "ratio")};
    struct err e = ERR_INIT;
    if (app_localize(&q, &a, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (json)
        cli_print_json(answer_json(&a));
    else
        answer_text(&a);
    rc = EXIT_OK;
done:
    localize_answer_release(&a);
    opts_release(&o);
    return rc;
}
