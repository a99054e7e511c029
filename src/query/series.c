/* series.c: from an expression and a window to a table of time series.
 *
 * Steps: parse; expand saved metrics (their filters and the caller's pushed down to every
 * aggregate); check that every field and metric exists; evaluate all event aggregates in one
 * scan and every metric aggregate from its points; combine them per (group, bucket) through
 * the arithmetic of the expression. */
#include "query/series.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/exec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BY 8
#define MAX_EXPANSION_DEPTH 8

/* ---- groups ---- */

void groups_init(struct groups *g, size_t n_dims)
{
    memset(g, 0, sizeof(*g));
    g->n_dims = n_dims;
    g->dim_values = n_dims ? xcalloc(n_dims, sizeof(*g->dim_values)) : NULL;
}

void groups_release(struct groups *g)
{
    for (size_t d = 0; d < g->n_dims; d++)
        strdict_release(&g->dim_values[d]);
    free(g->dim_values);
    strdict_release(&g->keys);
    free(g->one_dim);
}

size_t groups_id(struct groups *g, const uint32_t *codes)
{
    if (g->n_dims == 1) { /* the common --by: a direct table instead of hashing every row */
        uint32_t v = codes[0];
        if (v >= g->cap_one_dim) {
            size_t old = g->cap_one_dim;
            xgrow((void **)&g->one_dim, &g->cap_one_dim, (size_t)v + 1, sizeof(*g->one_dim));
            memset(g->one_dim + old, 0, (g->cap_one_dim - old) * sizeof(*g->one_dim));
        }
        if (!g->one_dim[v])
            g->one_dim[v] = strdict_intern(&g->keys, (const char *)codes, sizeof(*codes));
        return g->one_dim[v] - 1;
    }
    return strdict_intern(&g->keys, (const char *)codes, g->n_dims * sizeof(*codes)) - 1;
}

enum cell_fn leaf_cell_fn(enum agg_fn fn)
{
    switch (fn) {
    case AGG_COUNT: return CELL_COUNT;
    case AGG_UNIQ: return CELL_UNIQ;
    case AGG_SUM: return CELL_SUM;
    case AGG_AVG: return CELL_AVG;
    case AGG_MIN: return CELL_MIN;
    case AGG_MAX: return CELL_MAX;
    case AGG_QUANTILE: return CELL_QUANTILE;
    case AGG_STDDEV: return CELL_STDDEV;
    }
    return CELL_COUNT;
}

/* ---- saved metrics ---- */

static void push_where(struct qnode *n, const struct qcond *w)
{
    if (!n || !w || n->kind == Q_NUMBER)
        return;
    if (n->kind == Q_BINARY) {
        push_where(n->left, w);
        push_where(n->right, w);
        return;
    }
    struct qcond *copy = qcond_copy(w);
    if (n->where) {
        struct qcond *both = xcalloc(1, sizeof(*both));
        both->kind = C_AND;
        both->column = w->column;
        both->a = n->where;
        both->b = copy;
        n->where = both;
    } else {
        n->where = copy;
    }
}

/* Replaces every Q_NAMED node of *np by its saved expression. */
static int expand(struct store *s, struct qnode **np, int depth, struct err *e)
{
    struct qnode *n = *np;
    if (n->kind == Q_BINARY) {
        int rc = expand(s, &n->left, depth, e);
        return rc < 0 ? rc : expand(s, &n->right, depth, e);
    }
    if (n->kind != Q_NAMED)
        return ERR_OK;
    if (depth >= MAX_EXPANSION_DEPTH)
        return err_set(e, ERR_INVALID, "saved metric '%s' refers to itself (or nests more than "
                       "%d deep)", n->name, MAX_EXPANSION_DEPTH);
    struct saved_metric m = {0};
    bool found = false;
    int rc = store_saved_metric_get(s, n->name, &m, &found, e);
    if (rc < 0)
        return rc;
    if (!found) {
        e->column = n->column;
        return err_set(e, ERR_INVALID, "column %u: unknown metric '%s' (see 'hindsight metric "
                       "list', or use an aggregate like count())", n->column, n->name);
    }
    struct qnode *body = query_parse(m.expr, e);
    if (!body) {
        err_prefix(e, "saved metric '%s': ", n->name);
        saved_metric_release(&m);
        return ERR_INVALID;
    }
    saved_metric_release(&m);
    push_where(body, n->where);
    query_free(n);
    *np = body;
    return expand(s, np, depth + 1, e);
}

/* ---- checking names ---- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

struct catalog {
    struct field_info *fields;
    size_t n;
};

static int unknown_field(const struct catalog *cat, const char *name, unsigned column,
                         struct err *e)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < cat->n; i++) {
        size_t d = edit_distance(name, cat->fields[i].name);
        if (d < best_d)
            best = cat->fields[i].name, best_d = d;
    }
    e->column = column;
    if (cat->n == 0)
        return err_set(e, ERR_INVALID, "no events have been ingested yet (hindsight ingest "
                       "events FILE)");
    if (column)
        return err_set(e, ERR_INVALID, "column %u: unknown property '%s'%s%s%s", column, name,
                       best ? " (did you mean '" : " (see 'hindsight fields')", best ? best : "",
                       best ? "'?)" : "");
    return err_set(e, ERR_INVALID, "unknown property '%s'%s%s%s", name,
                   best ? " (did you mean '" : " (see 'hindsight fields')", best ? best : "",
                   best ? "'?)" : "");
}

static bool known(const struct catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->fields[i].name, name) == 0)
            return true;
    return false;
}

static int check_cond(const struct catalog *cat, const struct qcond *c, struct err *e)
{
    if (!c)
        return ERR_OK;
    if (c->kind == C_CMP || c->kind == C_IN)
        return known(cat, c->field) ? ERR_OK : unknown_field(cat, c->field, c->column, e);
    int rc = check_cond(cat, c->a, e);
    return rc < 0 ? rc : check_cond(cat, c->b, e);
}

static int check_node(struct store *s, const struct catalog *cat, const struct qnode *n,
                      struct err *e)
{
    if (n->kind == Q_BINARY) {
        int rc = check_node(s, cat, n->left, e);
        return rc < 0 ? rc : check_node(s, cat, n->right, e);
    }
    if (n->kind == Q_AGG) {
        if (n->field && !known(cat, n->field))
            return unknown_field(cat, n->field, n->column, e);
        return check_cond(cat, n->where, e);
    }
    if (n->kind == Q_METRIC) {
        struct metric_series_ref *series = NULL;
        size_t count = 0;
        int rc = store_metric_series(s, n->name, &series, &count, e);
        metric_series_free(series, count);
        if (rc < 0)
            return rc;
        if (count == 0) {
            e->column = n->column;
            return err_set(e, ERR_INVALID, "column %u: unknown metric '%s' (no such series was "
                           "ingested; see 'hindsight sources')", n->column, n->name);
        }
    }
    return ERR_OK;
}

static bool has_kind(const struct qnode *n, enum qnode_kind kind)
{
    if (n->kind == Q_BINARY)
        return has_kind(n->left, kind) || has_kind(n->right, kind);
    return n->kind == kind;
}

/* ---- evaluation ---- */

static void collect_leaves(struct exec *x, const struct qnode *n, size_t *cap)
{
    if (n->kind == Q_BINARY) {
        collect_leaves(x, n->left, cap);
        collect_leaves(x, n->right, cap);
        return;
    }
    if (n->kind != Q_AGG && n->kind != Q_METRIC)
        return;
    xgrow((void **)&x->leaves, cap, x->n_leaves + 1, sizeof(*x->leaves));
    struct leaf *lf = &x->leaves[x->n_leaves++];
    lf->node = n;
    agg_cells_init(&lf->cells, leaf_cell_fn(n->fn), n->q, x->n_buckets);
}

static double eval(struct exec *x, const struct qnode *n, size_t g, size_t b)
{
    switch (n->kind) {
    case Q_NUMBER: return n->number;
    case Q_BINARY: {
        double l = eval(x, n->left, g, b), r = eval(x, n->right, g, b);
        switch (n->op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        default: return r == 0 ? NAN : l / r;
        }
    }
    default:
        for (size_t i = 0; i < x->n_leaves; i++)
            if (x->leaves[i].node == n)
                return agg_cells_value(&x->leaves[i].cells, g, b);
        return NAN;
    }
}

static int64_t floor_to(int64_t t, int64_t step)
{
    int64_t q = t / step;
    if (t % step != 0 && t < 0)
        q--;
    return q * step;
}

static int check_window(const struct series_request *rq, int64_t *ret_from, int64_t *ret_to,
                        size_t *ret_n, struct err *e)
{
    if (rq->bucket_ms <= 0 && !rq->single_bucket)
        return err_set(e, ERR_INVALID, "the bucket must be longer than zero");
    if (rq->from >= rq->to)
        return err_set(e, ERR_INVALID, "--from must be before --to");
    if (rq->n_by > MAX_BY)
        return err_set(e, ERR_INVALID, "at most %d --by dimensions", MAX_BY);
    if (rq->single_bucket) {
        *ret_from = rq->from;
        *ret_to = rq->to;
        *ret_n = 1;
        return ERR_OK;
    }
    int64_t from = floor_to(rq->from, rq->bucket_ms);
    int64_t to = floor_to(rq->to - 1, rq->bucket_ms) + rq->bucket_ms;
    int64_t n = (to - from) / rq->bucket_ms;
    if (n > SERIES_MAX_BUCKETS) {
        char d[DURATION_STR_MAX];
        return err_set(e, ERR_INVALID, "the window holds %lld buckets of %s, more than %d: use a "
                       "larger --bucket", (long long)n, time_format_duration(rq->bucket_ms, d),
                       SERIES_MAX_BUCKETS);
    }
    *ret_from = from;
    *ret_to = to;
    *ret_n = (size_t)n;
    return ERR_OK;
}

/* Orders groups by their key strings, dimension by dimension. */
static const struct series_result *sort_result;

static int cmp_groups(const void *a, const void *b)
{
    size_t ga = *(const size_t *)a, gb = *(const size_t *)b;
    for (size_t d = 0; d < sort_result->n_by; d++) {
        int c = strcmp(sort_result->group_keys[ga * sort_result->n_by + d],
                       sort_result->group_keys[gb * sort_result->n_by + d]);
        if (c)
            return c;
    }
    return 0;
}

static void build_result(struct exec *x, const struct qnode *root, struct series_result *r)
{
    size_t ng = x->n_by ? x->groups.keys.n : 1;
    r->n_groups = ng;
    r->n_by = x->n_by;
    r->by = x->n_by ? xcalloc(x->n_by, sizeof(*r->by)) : NULL;
    for (size_t d = 0; d < x->n_by; d++)
        r->by[d] = xstrdup(x->by[d]);
    r->group_keys = (ng && x->n_by) ? xcalloc(ng * x->n_by, sizeof(*r->group_keys)) : NULL;
    for (size_t g = 0; g < ng && x->n_by; g++) {
        size_t len;
        const uint32_t *codes = (const uint32_t *)(const void *)strdict_str(&x->groups.keys,
                                                                            (uint32_t)g + 1, &len);
        for (size_t d = 0; d < x->n_by; d++) {
            uint32_t code;
            memcpy(&code, (const char *)codes + d * sizeof(code), sizeof(code));
            const char *s = strdict_str(&x->groups.dim_values[d], code, &len);
            r->group_keys[g * x->n_by + d] = xstrndup(s, len);
        }
    }
    /* Only groups that some aggregate saw a value for are shown: a value seen by a row that
     * every filter rejected does not make a group (platform = 'android' --by app_version lists
     * the Android versions only). */
    size_t *order = xmallocarray(ng ? ng : 1, sizeof(*order));
    bool *shown = xcalloc(ng ? ng : 1, sizeof(*shown));
    size_t kept = 0;
    for (size_t g = 0; g < ng; g++) {
        bool seen = x->n_by == 0;
        for (size_t l = 0; l < x->n_leaves && !seen; l++)
            seen = agg_cells_touched(&x->leaves[l].cells, g);
        if (seen) {
            order[kept++] = g;
            shown[g] = true;
        }
    }
    sort_result = r;
    if (x->n_by)
        qsort(order, kept, sizeof(*order), cmp_groups);
    sort_result = NULL;
    char **keys = r->group_keys;
    r->group_keys = (kept && x->n_by) ? xcalloc(kept * x->n_by, sizeof(*keys)) : NULL;
    r->values = xmallocarray((kept ? kept : 1) * (x->n_buckets ? x->n_buckets : 1),
                             sizeof(*r->values));
    for (size_t i = 0; i < kept; i++) {
        size_t g = order[i];
        for (size_t d = 0; d < x->n_by; d++)
            r->group_keys[i * x->n_by + d] = keys[g * x->n_by + d];
        for (size_t b = 0; b < x->n_buckets; b++)
            r->values[i * x->n_buckets + b] = eval(x, root, g, b);
    }
    for (size_t g = 0; g < ng && x->n_by; g++) /* the keys of groups not shown */
        if (!shown[g])
            for (size_t d = 0; d < x->n_by; d++)
                free(keys[g * x->n_by + d]);
    free(keys);
    free(order);
    free(shown);
    r->n_groups = kept;
}

struct qnode *query_expand_text(struct store *s, const char *text, struct err *e)
{
    struct qnode *n = query_parse(text, e);
    if (n && expand(s, &n, 0, e) < 0) {
        query_free(n);
        return NULL;
    }
    return n;
}

int query_check(struct store *s, const char *text, struct err *e)
{
    struct qnode *n = query_parse(text, e);
    if (!n)
        return ERR_INVALID;
    int rc = expand(s, &n, 0, e);
    query_free(n);
    return rc;
}

int query_series(struct store *s, const struct series_request *rq, struct series_result *ret,
                 struct err *e)
{
    struct exec x = {0};
    struct catalog cat = {0};
    struct qnode *root = NULL;
    memset(ret, 0, sizeof(*ret));
    int rc = check_window(rq, &x.from, &x.to, &x.n_buckets, e);
    if (rc < 0)
        return rc;
    if (!(root = query_parse(rq->expr, e)))
        return ERR_INVALID;
    if ((rc = expand(s, &root, 0, e)) < 0)
        goto done;
    if (has_kind(root, Q_AGG) || rq->n_by) {
        if ((rc = store_event_fields(s, &cat.fields, &cat.n, e)) < 0)
            goto done;
    }
    if ((rc = check_node(s, &cat, root, e)) < 0)
        goto done;
    if (has_kind(root, Q_AGG))
        for (size_t d = 0; d < rq->n_by; d++)
            if (!known(&cat, rq->by[d]) && (rc = unknown_field(&cat, rq->by[d], 0, e)) < 0)
                goto done;
    x.store = s;
    x.bucket_ms = rq->single_bucket ? x.to - x.from : rq->bucket_ms;
    x.by = rq->by;
    x.n_by = rq->n_by;
    groups_init(&x.groups, rq->n_by);
    size_t cap = 0;
    collect_leaves(&x, root, &cap);
    if ((rc = exec_events(&x, e)) < 0 || (rc = exec_metrics(&x, e)) < 0)
        goto done;
    ret->from = x.from;
    ret->bucket_ms = x.bucket_ms;
    ret->n_buckets = x.n_buckets;
    ret->rows_scanned = x.rows_scanned;
    ret->expr_text = query_to_text(root);
    build_result(&x, root, ret);
done:
    for (size_t i = 0; i < x.n_leaves; i++)
        agg_cells_release(&x.leaves[i].cells);
    free(x.leaves);
    groups_release(&x.groups);
    field_infos_free(cat.fields, cat.n);
    query_free(root);
    return rc;
}

int query_value(struct store *s, const char *expr, int64_t from, int64_t to, double *ret,
                struct err *e)
{
    struct series_request rq = {expr, from, to, 0, NULL, 0, true};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    int rc = query_series(s, &rq, &r, e);
    if (rc == ERR_OK)
        *ret = r.n_groups && r.n_buckets ? series_value(&r, 0, 0) : NAN;
    series_result_release(&r);
    return rc;
}
