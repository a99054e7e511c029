/* exec_metrics.c: aggregates over ingested metric series.
 *
 * metric('name') selects every series of that name; a 'where' tests its labels and --by
 * groups by label values (a missing label is the empty value). Within a (group, bucket) cell
 * the points of all selected series are pooled: avg (the default), sum, min or max. */
#include "query/exec.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Finds label key in "k1=v1,k2=v2"; returns its value's (ptr, len) or "" when absent. */
static const char *label_value(const char *labels, const char *key, size_t *ret_len)
{
    size_t kl = strlen(key);
    for (const char *p = labels; p && *p;) {
        const char *eq = strchr(p, '=');
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        if (eq && eq < end && (size_t)(eq - p) == kl && memcmp(p, key, kl) == 0) {
            *ret_len = (size_t)(end - eq - 1);
            return eq + 1;
        }
        p = *end ? end + 1 : end;
    }
    *ret_len = 0;
    return "";
}

static bool labels_match(const struct qcond *c, const char *labels)
{
    if (!c)
        return true;
    switch (c->kind) {
    case C_AND: return labels_match(c->a, labels) && labels_match(c->b, labels);
    case C_OR: return labels_match(c->a, labels) || labels_match(c->b, labels);
    case C_NOT: return !labels_match(c->a, labels);
    case C_CMP:
    case C_IN: {
        size_t len;
        const char *v = label_value(labels, c->field, &len);
        return qcond_test_text(c, v, len);
    }
    }
    return false;
}

struct point_sink {
    struct exec *x;
    struct agg_cells *cells;
    size_t group;
};

static void add_point(void *ctx, int64_t ts, double value)
{
    struct point_sink *ps = ctx;
    size_t b = (size_t)((ts - ps->x->from) / ps->x->bucket_ms);
    agg_cells_add(ps->cells, ps->group, b, value, 0);
}

static size_t series_group(struct exec *x, const char *labels)
{
    if (x->n_by == 0)
        return 0;
    uint32_t codes[16];
    for (size_t d = 0; d < x->n_by && d < 16; d++) {
        size_t len;
        const char *v = label_value(labels, x->by[d], &len);
        codes[d] = strdict_intern(&x->groups.dim_values[d], v, len);
    }
    return groups_id(&x->groups, codes);
}

static int run_leaf(struct exec *x, struct leaf *lf, struct err *e)
{
    struct metric_series_ref *series = NULL;
    size_t n = 0;
    int rc = store_metric_series(x->store, lf->node->name, &series, &n, e);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        if (!labels_match(lf->node->where, series[i].labels))
            continue;
        size_t g = series_group(x, series[i].labels);
        agg_cells_ensure(&lf->cells, g);
        struct point_sink ps = {x, &lf->cells, g};
        rc = store_metric_points(x->store, series[i].id, x->from, x->to, add_point, &ps, e);
    }
    metric_series_free(series, n);
    return rc;
}

int exec_metrics(struct exec *x, struct err *e)
{
    int rc = ERR_OK;
    for (size_t l = 0; l < x->n_leaves && rc == ERR_OK; l++)
        if (x->leaves[l].node->kind == Q_METRIC)
            rc = run_leaf(x, &x->leaves[l], e);
    return rc;
}
