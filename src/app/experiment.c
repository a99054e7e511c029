/* experiment.c: preventive experiments. The metric is evaluated twice over the same window,
 * once with the control condition and once with the treatment condition added to every
 * aggregate in it, as one bucket; a rate (count / count) gets a two-proportion z-test, an
 * average (avg(F)) Welch's t-test on its mean, standard deviation and count. */
#include "app/experiment.h"

#include "analytics/stats.h"
#include "app/incidents.h"
#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/ast.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks a condition on its own, so that an error points into it, not into the combined
 * expression built from it. */
static int check_condition(struct app *a, const char *option, const char *cond, int64_t from,
                           struct err *e)
{
    if (!cond)
        return err_set(e, ERR_INVALID, "%s 'CONDITION' is required (like \"platform = "
                       "'android'\")", option);
    /* Evaluated over one millisecond, so that unknown fields are refused like in a series. */
    const char *prefix = "count() where ";
    unsigned shift = (unsigned)strlen(prefix);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s%s", prefix, cond);
    struct series_request rq = {buf_str(&b), from, from + 1, 0, NULL, 0, true};
    struct series_result r = {0};
    int rc = query_series(a->store, &rq, &r, e);
    series_result_release(&r);
    buf_release(&b);
    if (rc < 0) {
        /* Point into the condition as the user wrote it, not into the combined text. */
        unsigned column;
        const char *rest = strchr(e->msg, ':');
        if (e->column > shift && sscanf(e->msg, "column %u:", &column) == 1 && rest) {
            char msg[ERR_MSG_MAX];
            snprintf(msg, sizeof(msg), "column %u%s", e->column - shift, rest);
            err_set(e, rc, "%s", msg);
            e->column -= shift;
        }
        return err_prefix(e, "%s: ", option);
    }
    return ERR_OK;
}

/* The value of "(part) where cond" over [from, to) as one bucket (counts of nothing are 0). */
static int value_of(struct app *a, const char *part, const char *cond, int64_t from, int64_t to,
                    double *ret, struct err *e)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "(%s) where %s", part, cond);
    struct series_request rq = {buf_str(&b), from, to, 0, NULL, 0, true};
    struct series_result r = {0};
    int rc = query_series(a->store, &rq, &r, e);
    buf_release(&b);
    if (rc == ERR_OK)
        *ret = r.n_groups && r.n_buckets ? series_value(&r, 0, 0) : NAN;
    series_result_release(&r);
    return rc;
}

enum shape { SHAPE_RATE, SHAPE_MEAN };

/* Recognises the metric's shape and writes the expressions each group needs: a rate's
 * numerator and denominator, or an average's mean, standard deviation and count. */
static int metric_parts(struct app *a, const char *metric, enum shape *ret_shape,
                        char *parts[3], struct err *e)
{
    struct qnode *n = query_expand_text(a->store, metric, e);
    if (!n)
        return err_prefix(e, "--metric: ");
    int rc = ERR_OK;
    if (n->kind == Q_BINARY && n->op == '/' && n->left->kind == Q_AGG &&
        n->left->fn == AGG_COUNT && n->right->kind == Q_AGG && n->right->fn == AGG_COUNT) {
        *ret_shape = SHAPE_RATE;
        parts[0] = query_to_text(n->left);
        parts[1] = query_to_text(n->right);
        parts[2] = NULL;
    } else if (n->kind == Q_AGG && n->fn == AGG_AVG && n->field) {
        *ret_shape = SHAPE_MEAN;
        parts[0] = query_to_text(n);
        n->fn = AGG_STDDEV;
        parts[1] = query_to_text(n);
        n->fn = AGG_COUNT; /* count(F): the events that have a value */
        parts[2] = query_to_text(n);
    } else {
        rc = err_set(e, ERR_INVALID, "--metric: an experiment compares a rate, (count() where "
                     "...) / (count() where ...), or an average, avg(F); not '%.80s'", metric);
    }
    query_free(n);
    return rc;
}

static json_t *group_json(enum shape shape, const double v[3])
{
    if (shape == SHAPE_RATE)
        return json_pack("{s:f, s:f, s:f}", "value", v[1] > 0 ? v[0] / v[1] : 0.0, "successes",
                         v[0], "trials", v[1]);
    return json_pack("{s:f, s:f, s:f}", "mean", v[0], "stddev", isnan(v[1]) ? 0.0 : v[1], "n",
                     v[2]);
}

static json_t *result_json(enum shape shape, const double c[3], const double t[3],
                           const struct test_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(shape == SHAPE_RATE ? "rate" : "mean"));
    json_object_set_new(o, "test", json_string(shape == SHAPE_RATE ? "two-proportion z-test"
                                                                   : "Welch's t-test"));
    json_object_set_new(o, "control", group_json(shape, c));
    json_object_set_new(o, "treatment", group_json(shape, t));
    json_object_set_new(o, "valid", json_boolean(r->valid));
    json_object_set_new(o, "effect", json_real(r->effect));
    json_object_set_new(o, "ci95", json_pack("[f, f]", r->ci_low, r->ci_high));
    json_object_set_new(o, "statistic", r->valid ? json_real(r->statistic) : json_null());
    json_object_set_new(o, "df", shape == SHAPE_MEAN && r->valid ? json_real(r->df) : json_null());
    json_object_set_new(o, "p_value", r->valid ? json_real(r->p_value) : json_null());
    json_object_set_new(o, "significant", json_boolean(r->valid && r->p_value < 0.05));
    return o;
}

static int measure(struct app *a, enum shape shape, char *const parts[3], const char *cond,
                   int64_t from, int64_t to, double v[3], struct err *e)
{
    int n = shape == SHAPE_RATE ? 2 : 3;
    for (int i = 0; i < n; i++) {
        int rc = value_of(a, parts[i], cond, from, to, &v[i], e);
        if (rc < 0)
            return rc;
    }
    return ERR_OK;
}

int app_experiment_add(struct app *a, const char *key, const struct experiment_input *in,
                       int64_t *ret_id, json_t **ret_result, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    char *parts[3] = {NULL, NULL, NULL};
    enum shape shape = SHAPE_RATE;
    int64_t from = 0, to = 0;
    double c[3] = {0, 0, 0}, t[3] = {0, 0, 0};
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = text_check("the experiment", in->text ? in->text : "", TEXT_MAX, true, e);
    if (rc == ERR_OK && !in->metric)
        rc = err_set(e, ERR_INVALID, "--metric EXPR is required");
    if (rc == ERR_OK && (!in->from || !in->to))
        rc = err_set(e, ERR_INVALID, "--from and --to are required");
    if (rc == ERR_OK && (rc = app_parse_time(a, "--from", in->from, &from, e)) == ERR_OK)
        rc = app_parse_time(a, "--to", in->to, &to, e);
    if (rc == ERR_OK && from >= to)
        rc = err_set(e, ERR_INVALID, "--from must be before --to");
    if (rc == ERR_OK)
        rc = check_condition(a, "--control", in->control, from, e);
    if (rc == ERR_OK)
        rc = check_condition(a, "--treatment", in->treatment, from, e);
    if (rc == ERR_OK)
        rc = metric_parts(a, in->metric, &shape, parts, e);
    if (rc == ERR_OK)
        rc = measure(a, shape, parts, in->control, from, to, c, e);
    if (rc == ERR_OK)
        rc = measure(a, shape, parts, in->treatment, from, to, t, e);
    if (rc < 0)
        goto done;
    struct test_result r = shape == SHAPE_RATE
                               ? two_proportion_test(c[0], c[1], t[0], t[1])
                               : welch_test(c[0], c[1], c[2], t[0], t[1], t[2]);
    json_t *result = result_json(shape, c, t, &r);
    char *text = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(12));
    struct experiment_row row = {in->text, in->metric, in->control, in->treatment, text, from,
                                 to};
    if ((rc = store_begin(a->store, e)) == ERR_OK) {
        char k[INCIDENT_KEY_MAX], what[160];
        incident_key(inc.seq, k);
        snprintf(what, sizeof(what), "effect %.4g, 95%% CI [%.4g, %.4g], p %.3g", r.effect,
                 r.ci_low, r.ci_high, r.p_value);
        rc = store_experiment_add(a->store, inc.id, &row, a->now, a->actor, ret_id, e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, k, "experiment", in->text, NULL, what, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    free(text);
    if (rc == ERR_OK)
        *ret_result = result;
    else
        json_decref(result);
done:
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    incident_release(&inc);
    return rc;
}

int app_experiment_list(struct app *a, const char *key, json_t **ret, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = store_experiments(a->store, inc.id, &rows, &n, e);
    if (rc == ERR_OK) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            char t[TIME_STR_MAX];
            json_t *result = json_loads(rows[i].text, 0, NULL);
            json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:s, s:s}", "id",
                                                 (json_int_t)rows[i].id, "text", rows[i].key,
                                                 "result", result ? result : json_null(), "at",
                                                 time_format_rfc3339(rows[i].at, t), "actor",
                                                 rows[i].actor));
        }
        *ret = arr;
    }
    pm_rows_free(rows, n);
    incident_release(&inc);
    return rc;
}
