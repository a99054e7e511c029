/* cmd_changepoints.c: hindsight changepoints FILE: where the regime of a series changes.
 *
 * Reads a series file (CSV or a TCPD JSON file), runs PELT or BOCPD (app/changepoints.h) and
 * prints the 0-based index of the first point of each new regime, one per line with its
 * direction, magnitude and confidence, or all of it as JSON. Needs no store. */
#include "cli/cli.h"

#include "app/changepoints.h"

#include <math.h>
#include <stdio.h>

static const struct opt_spec changepoints_spec[] = {
    {"format", OPT_VALUE, "FORMAT", "csv or tcpd (default: tcpd for *.json, else csv)"},
    {"method", OPT_VALUE, "METHOD", "bocpd (default) or pelt"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

static const char *direction_name(int direction)
{
    return direction > 0 ? "up" : direction < 0 ? "down" : "none";
}

/* A JSON number, rounded to 4 decimals when round4 (figures that mean nothing further), or
 * null when x is not finite (a series whose values overflow). */
static json_t *number(double x, bool round4)
{
    if (round4)
        x = round(x * 1e4) / 1e4;
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *point_json(const struct cp_point *p, size_t dims)
{
    json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o}", "index", (json_int_t)p->index,
                          "direction", direction_name(p->direction), "magnitude",
                          number(p->magnitude, false), "magnitude_sd",
                          number(p->magnitude_sd, true), "confidence",
                          number(p->confidence, true));
    if (dims > 1)
        json_object_set_new(o, "dimension", json_integer((json_int_t)p->dim));
    return o;
}

static json_t *answer_json(const struct changepoints_answer *a)
{
    json_t *cps = json_array(), *details = json_array();
    for (size_t i = 0; i < a->result.n_points; i++) {
        json_array_append_new(cps, json_integer((json_int_t)a->result.points[i].index));
        json_array_append_new(details, point_json(&a->result.points[i], a->dims));
    }
    json_t *o = json_pack("{s:o, s:s, s:s, s:I, s:I, s:I, s:o}", "change_points", cps,
                          "method", a->method, "status", a->status, "n_obs",
                          (json_int_t)a->result.n, "n_present", (json_int_t)a->result.n_present,
                          "dimensions", (json_int_t)a->dims, "details", details);
    if (a->reason)
        json_object_set_new(o, "reason", json_string(a->reason));
    return o;
}

static void answer_text(const struct changepoints_answer *a)
{
    for (size_t i = 0; i < a->result.n_points; i++) {
        const struct cp_point *p = &a->result.points[i];
        printf("%zu %s %.6g (%+.2f sd) confidence %.2f", p->index, direction_name(p->direction),
               p->magnitude, p->magnitude_sd, p->confidence);
        if (a->dims > 1)
            printf(" dimension %zu", p->dim);
        printf("\n");
    }
    if (a->reason)
        fprintf(stderr, "hindsight: no change points: %s\n", a->reason);
}

int cmd_changepoints(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "changepoints", "changepoints FILE [--format csv|tcpd] "
                       "[--method bocpd|pelt] [--json]",
                       "Finds where the regime of a series changes (docs/changepoints.md) and\n"
                       "prints the 0-based index of the first point of each new regime, with\n"
                       "the direction and size of the shift of the mean and a confidence in\n"
                       "[0, 1]. FILE is a CSV (time,value with a header, or one number per line;\n"
                       "empty, null or NaN cells are missing) or a TCPD JSON data file.",
                       changepoints_spec, ARRAY_SIZE(changepoints_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct changepoints_answer a = {0};
    if ((rc = cli_want_positional(&o, "changepoints", 1, "the series file")) >= 0)
        goto done;
    struct err e = ERR_INIT;
    struct changepoints_request q = {o.positional.items[0], opts_value(&o, "format"),
                                     opts_value(&o, "method")};
    if (app_changepoints(&q, &a, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json"))
        cli_print_json(answer_json(&a));
    else
        answer_text(&a);
    rc = EXIT_OK;
done:
    changepoints_answer_release(&a);
    opts_release(&o);
    return rc;
}
