/* exec_events.c: one pass over the event chunks of a window for every event aggregate.
 *
 * For each chunk overlapping the window, the time column and the columns the expression names
 * are decoded once; conditions on string columns are decided once per dictionary entry (a
 * truth table indexed by code) rather than once per row; then every row in the window adds
 * to its leaf's cell (group, bucket). */
#include "query/exec.h"

#include "core/hash.h"
#include "core/num.h"
#include "core/xalloc.h"
#include "store/event_chunk.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 64

/* The undecoded columns of one chunk that the expression needs, fetched by the thread that
 * owns the store connection and handed to a scanning thread. */
struct job {
    int64_t chunk_id;
    struct {
        const char *name;
        void *blob; /* NULL: the chunk has no such column */
        size_t len;
    } raw[MAX_COLS];
    size_t n;
};

/* Columns of the chunk being scanned, decoded on first use. */
struct chunk_cols {
    const struct job *job;
    struct {
        const char *name;
        bool found;
        struct col_data data;
    } cols[MAX_COLS];
    size_t n;
    struct err *e;
    int rc;
};

static const struct col_data *get_col(struct chunk_cols *cc, const char *name)
{
    for (size_t i = 0; i < cc->n; i++)
        if (strcmp(cc->cols[i].name, name) == 0)
            return cc->cols[i].found ? &cc->cols[i].data : NULL;
    const struct job *j = cc->job;
    size_t k = 0;
    while (k < j->n && strcmp(j->raw[k].name, name) != 0)
        k++;
    if (k == j->n || cc->n == MAX_COLS) /* every name of the expression was fetched */
        return NULL;
    size_t i = cc->n++;
    cc->cols[i].name = name;
    cc->cols[i].found = false;
    if (!j->raw[k].blob)
        return NULL;
    int rc = event_col_decode(j->raw[k].blob, j->raw[k].len, &cc->cols[i].data, cc->e);
    if (rc < 0) {
        cc->rc = rc;
        return NULL;
    }
    cc->cols[i].found = true;
    return &cc->cols[i].data;
}

static void release_cols(struct chunk_cols *cc)
{
    for (size_t i = 0; i < cc->n; i++)
        if (cc->cols[i].found)
            col_data_release(&cc->cols[i].data);
    cc->n = 0;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        free(j->raw[i].blob);
    free(j);
}

/* ---- conditions ---- */

/* A string as a number, when the whole of it is one. */
static bool as_number(const char *s, size_t len, double *ret)
{
    char tmp[64];
    if (len == 0 || len >= sizeof(tmp))
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    return num_parse_double(tmp, ret) == ERR_OK;
}

static bool cmp_result(enum cmp_op op, int c)
{
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    }
    return false;
}

/* Compares a stored text value with a literal: numerically when both are numbers, else by
 * bytes. A missing value is the empty text. */
static bool test_text(enum cmp_op op, const char *s, size_t len, const struct qvalue *v)
{
    double x;
    if (v->is_number) {
        if (!as_number(s, len, &x))
            return op == OP_NE;
        return cmp_result(op, (x > v->number) - (x < v->number));
    }
    size_t vl = strlen(v->str);
    int c = memcmp(s, v->str, len < vl ? len : vl);
    if (c == 0)
        c = (len > vl) - (len < vl);
    return cmp_result(op, c);
}

static bool test_num(enum cmp_op op, double x, const struct qvalue *v)
{
    if (isnan(x))
        return test_text(op, "", 0, v);
    double y;
    if (v->is_number)
        y = v->number;
    else if (!as_number(v->str, strlen(v->str), &y)) {
        char tmp[40];
        int len = snprintf(tmp, sizeof(tmp), "%.15g", x);
        return test_text(op, tmp, (size_t)len, v);
    }
    return cmp_result(op, (x > y) - (x < y));
}

bool qcond_test_text(const struct qcond *c, const char *s, size_t len)
{
    if (c->kind == C_CMP)
        return test_text(c->op, s, len, &c->values[0]);
    for (size_t i = 0; i < c->n_values; i++)
        if (test_text(OP_EQ, s, len, &c->values[i]))
            return !c->negated;
    return c->negated;
}

static bool test_leaf_num(const struct qcond *c, double x)
{
    if (c->kind == C_CMP)
        return test_num(c->op, x, &c->values[0]);
    for (size_t i = 0; i < c->n_values; i++)
        if (test_num(OP_EQ, x, &c->values[i]))
            return !c->negated;
    return c->negated;
}

/* Evaluates c for rows [lo, hi) into out[0 .. hi-lo). */
static void eval_cond(const struct qcond *c, struct chunk_cols *cc, size_t lo, size_t hi,
                      uint8_t *out)
{
    size_t n = hi - lo;
    if (c->kind == C_AND || c->kind == C_OR) {
        uint8_t *tmp = xmalloc(n ? n : 1);
        eval_cond(c->a, cc, lo, hi, out);
        eval_cond(c->b, cc, lo, hi, tmp);
        for (size_t i = 0; i < n; i++)
            out[i] = c->kind == C_AND ? (out[i] & tmp[i]) : (out[i] | tmp[i]);
        free(tmp);
        return;
    }
    if (c->kind == C_NOT) {
        eval_cond(c->a, cc, lo, hi, out);
        for (size_t i = 0; i < n; i++)
            out[i] = !out[i];
        return;
    }
    const struct col_data *col = get_col(cc, c->field);
    if (!col) { /* absent from this chunk: every row has the empty value */
        memset(out, qcond_test_text(c, "", 0), n);
        return;
    }
    if (col->type == COL_STRING) {
        uint8_t *table = xmalloc((size_t)col->n_dict + 1);
        table[0] = qcond_test_text(c, "", 0);
        for (uint32_t k = 1; k <= col->n_dict; k++) {
            size_t len;
            const char *s = col_dict_str(col, k, &len);
            table[k] = qcond_test_text(c, s, len);
        }
        for (size_t i = 0; i < n; i++)
            out[i] = table[col->codes[lo + i]];
        free(table);
    } else if (col->type == COL_NUMBER) {
        for (size_t i = 0; i < n; i++)
            out[i] = test_leaf_num(c, col->nums[lo + i]);
    } else {
        memset(out, 0, n);
    }
}

/* ---- groups ---- */

/* Writes the group of each row [lo, hi) into gid. */
static void row_groups(struct exec *x, struct chunk_cols *cc, size_t lo, size_t hi,
                       uint32_t *gid)
{
    size_t n = hi - lo;
    if (x->n_by == 0) {
        memset(gid, 0, n * sizeof(*gid));
        return;
    }
    uint32_t *codes = xcalloc(n * x->n_by, sizeof(*codes)); /* row-major value codes */
    for (size_t d = 0; d < x->n_by; d++) {
        struct strdict *dv = &x->groups.dim_values[d];
        const struct col_data *col = get_col(cc, x->by[d]);
        if (!col || col->type == COL_TIME) {
            uint32_t empty = strdict_intern(dv, "", 0);
            for (size_t i = 0; i < n; i++)
                codes[i * x->n_by + d] = empty;
        } else if (col->type == COL_STRING) {
            uint32_t *map = xmallocarray((size_t)col->n_dict + 1, sizeof(*map));
            map[0] = strdict_intern(dv, "", 0);
            for (uint32_t k = 1; k <= col->n_dict; k++) {
                size_t len;
                const char *s = col_dict_str(col, k, &len);
                map[k] = strdict_intern(dv, s, len);
            }
            for (size_t i = 0; i < n; i++)
                codes[i * x->n_by + d] = map[col->codes[lo + i]];
            free(map);
        } else {
            double last = NAN;
            uint32_t last_code = strdict_intern(dv, "", 0);
            for (size_t i = 0; i < n; i++) {
                double v = col->nums[lo + i];
                if (!(v == last || (isnan(v) && isnan(last)))) {
                    char tmp[40];
                    int len = isnan(v) ? 0 : snprintf(tmp, sizeof(tmp), "%.15g", v);
                    last_code = strdict_intern(dv, tmp, (size_t)len);
                    last = v;
                }
                codes[i * x->n_by + d] = last_code;
            }
        }
    }
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *t = &codes[i * x->n_by];
        if (last != SIZE_MAX && memcmp(t, &codes[last * x->n_by], x->n_by * sizeof(*t)) == 0) {
            gid[i] = gid[last]; /* same tuple as the previous row */
            continue;
        }
        gid[i] = (uint32_t)groups_id(&x->groups, t);
        last = i;
    }
    free(codes);
}

/* ---- aggregation ---- */

static uint64_t number_hash(double v)
{
    if (v == 0)
        v = 0; /* -0.0 and 0.0 are one value */
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    return hash_mix64(bits ^ UINT64_C(0x9e3779b97f4a7c15));
}

/* Per-dictionary-entry numbers and hashes of a string column. A text that is a number hashes
 * like that number, so that uniq() agrees across chunks that stored a field differently. */
static void string_values(const struct col_data *col, double *num, uint64_t *hash)
{
    num[0] = NAN;
    hash[0] = 0;
    for (uint32_t k = 1; k <= col->n_dict; k++) {
        size_t len;
        const char *s = col_dict_str(col, k, &len);
        double v;
        if (as_number(s, len, &v)) {
            num[k] = v;
            hash[k] = number_hash(v);
        } else {
            num[k] = NAN;
            hash[k] = hash_bytes(s, len) | 1; /* never 0, which marks "absent" here */
        }
    }
}

static void add_rows(struct exec *x, const struct qnode *node, struct agg_cells *cells,
                     struct chunk_cols *cc, const int64_t *ts, size_t lo, size_t hi,
                     const uint32_t *gid, const uint8_t *mask)
{
    const struct col_data *col = node->field ? get_col(cc, node->field) : NULL;
    if (node->field && !col)
        return; /* the field is absent from this chunk: no values */
    size_t nd = col && col->type == COL_STRING ? (size_t)col->n_dict + 1 : 1;
    double *snum = NULL;
    uint64_t *shash = NULL;
    if (col && col->type == COL_STRING) {
        snum = xmallocarray(nd, sizeof(*snum));
        shash = xmallocarray(nd, sizeof(*shash));
        string_values(col, snum, shash);
    }
    bool uniq = cells->fn == CELL_UNIQ;
    for (size_t i = lo; i < hi; i++) {
        if (mask && !mask[i - lo])
            continue;
        size_t b = (size_t)((ts[i] - x->from) / x->bucket_ms);
        double v = 0;
        uint64_t h = 0;
        if (col) {
            if (col->type == COL_STRING) {
                uint32_t code = col->codes[i];
                if (!code || (!uniq && isnan(snum[code])))
                    continue;
                v = snum[code];
                h = shash[code];
            } else if (col->type == COL_NUMBER) {
                v = col->nums[i];
                if (isnan(v))
                    continue;
                h = number_hash(v);
            } else {
                continue;
            }
        }
        agg_cells_add(cells, gid[i - lo], b, v, h);
    }
    free(snum);
    free(shash);
}

/* The first row at or after t in sorted ts[0..n). */
static size_t lower_bound(const int64_t *ts, size_t n, int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- scanning, on one or two threads ---- */

struct scan {
    struct exec *x;
    pthread_mutex_t groups_mu; /* x->groups is shared by the scanning threads */
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct job *queue[4];
    size_t head, n;
    bool done;   /* no more jobs will come */
    bool failed; /* a scanner failed: the producer stops */
};

struct scanner {
    struct scan *sc;
    struct agg_cells *cells; /* one per leaf (only event leaves are used) */
    int64_t rows;
    int rc;
    struct err e;
    pthread_t thread;
    bool started;
};

static int scan_chunk(struct scanner *w, const struct job *job)
{
    struct exec *x = w->sc->x;
    struct chunk_cols cc = {0};
    cc.job = job;
    cc.e = &w->e;
    const struct col_data *tcol = get_col(&cc, "timestamp");
    if (cc.rc < 0 || !tcol || tcol->type != COL_TIME) {
        release_cols(&cc);
        return cc.rc < 0 ? cc.rc : err_set(&w->e, ERR_STORE, "event chunk %lld has no time "
                                           "column", (long long)job->chunk_id);
    }
    size_t lo = lower_bound(tcol->ts, tcol->n, x->from);
    size_t hi = lower_bound(tcol->ts, tcol->n, x->to);
    if (lo < hi) {
        uint32_t *gid = xmallocarray(hi - lo, sizeof(*gid));
        uint8_t *mask = xmalloc(hi - lo);
        pthread_mutex_lock(&w->sc->groups_mu);
        row_groups(x, &cc, lo, hi, gid);
        size_t groups = x->groups.keys.n ? x->groups.keys.n : 1;
        pthread_mutex_unlock(&w->sc->groups_mu);
        for (size_t l = 0; l < x->n_leaves && cc.rc == ERR_OK; l++) {
            const struct qnode *node = x->leaves[l].node;
            if (node->kind != Q_AGG)
                continue;
            agg_cells_ensure(&w->cells[l], groups - 1);
            if (node->where)
                eval_cond(node->where, &cc, lo, hi, mask);
            add_rows(x, node, &w->cells[l], &cc, tcol->ts, lo, hi, gid,
                     node->where ? mask : NULL);
        }
        free(gid);
        free(mask);
        w->rows += (int64_t)(hi - lo);
    }
    int rc = cc.rc;
    release_cols(&cc);
    return rc;
}

static struct job *take(struct scan *sc)
{
    pthread_mutex_lock(&sc->mu);
    while (sc->n == 0 && !sc->done)
        pthread_cond_wait(&sc->changed, &sc->mu);
    struct job *j = NULL;
    if (sc->n) {
        j = sc->queue[sc->head];
        sc->head = (sc->head + 1) % 4;
        sc->n--;
        pthread_cond_broadcast(&sc->changed);
    }
    pthread_mutex_unlock(&sc->mu);
    return j;
}

static void *scanner_run(void *arg)
{
    struct scanner *w = arg;
    struct job *j;
    while ((j = take(w->sc)) != NULL) {
        if (w->rc == ERR_OK && (w->rc = scan_chunk(w, j)) < 0) {
            pthread_mutex_lock(&w->sc->mu);
            w->sc->failed = true;
            pthread_cond_broadcast(&w->sc->changed);
            pthread_mutex_unlock(&w->sc->mu);
        }
        job_free(j);
    }
    return NULL;
}

/* Queues a job; false when a scanner failed (the job is freed). */
static bool give(struct scan *sc, struct job *j)
{
    pthread_mutex_lock(&sc->mu);
    while (sc->n == 4 && !sc->failed)
        pthread_cond_wait(&sc->changed, &sc->mu);
    bool ok = !sc->failed;
    if (ok) {
        sc->queue[(sc->head + sc->n) % 4] = j;
        sc->n++;
        pthread_cond_broadcast(&sc->changed);
    }
    pthread_mutex_unlock(&sc->mu);
    if (!ok)
        job_free(j);
    return ok;
}

static void add_name(const char **names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return;
    if (*n < MAX_COLS)
        names[(*n)++] = name;
}

static void cond_names(const struct qcond *c, const char **names, size_t *n)
{
    if (!c)
        return;
    if (c->field)
        add_name(names, n, c->field);
    cond_names(c->a, names, n);
    cond_names(c->b, names, n);
}

/* Every column the expression reads: time, the --by dimensions, fields and filters. */
static size_t needed_columns(const struct exec *x, const char **names)
{
    size_t n = 0;
    add_name(names, &n, "timestamp");
    for (size_t d = 0; d < x->n_by; d++)
        add_name(names, &n, x->by[d]);
    for (size_t l = 0; l < x->n_leaves; l++) {
        const struct qnode *node = x->leaves[l].node;
        if (node->kind != Q_AGG)
            continue;
        if (node->field)
            add_name(names, &n, node->field);
        cond_names(node->where, names, &n);
    }
    return n;
}

static int fetch(struct exec *x, int64_t chunk_id, const char **names, size_t n_names,
                 struct job **ret, struct err *e)
{
    struct job *j = xcalloc(1, sizeof(*j));
    j->chunk_id = chunk_id;
    for (size_t i = 0; i < n_names; i++) {
        bool found = false;
        j->raw[i].name = names[i];
        int rc = store_event_column_raw(x->store, chunk_id, names[i], &j->raw[i].blob,
                                        &j->raw[i].len, &found, e);
        if (rc < 0) {
            j->n = i;
            job_free(j);
            return rc;
        }
        if (!found)
            j->raw[i].blob = NULL;
        j->n = i + 1;
    }
    *ret = j;
    return ERR_OK;
}

#define SCANNERS 2

int exec_events(struct exec *x, struct err *e)
{
    bool any = false;
    for (size_t l = 0; l < x->n_leaves; l++)
        any |= x->leaves[l].node->kind == Q_AGG;
    if (!any)
        return ERR_OK;
    struct chunk_ref *chunks = NULL;
    size_t n = 0;
    int rc = store_event_chunks(x->store, x->from, x->to, &chunks, &n, e);
    if (rc < 0)
        return rc;
    const char *names[MAX_COLS];
    size_t n_names = needed_columns(x, names);
    struct scan sc = {0};
    sc.x = x;
    pthread_mutex_init(&sc.groups_mu, NULL);
    pthread_mutex_init(&sc.mu, NULL);
    pthread_cond_init(&sc.changed, NULL);
    /* Two scanners when there is more than one chunk; the calling thread fetches. */
    int n_workers = n > 1 ? SCANNERS : 1;
    struct scanner w[SCANNERS];
    memset(w, 0, sizeof(w));
    for (int i = 0; i < n_workers; i++) {
        w[i].sc = &sc;
        w[i].cells = xcalloc(x->n_leaves ? x->n_leaves : 1, sizeof(*w[i].cells));
        for (size_t l = 0; l < x->n_leaves; l++)
            agg_cells_init(&w[i].cells[l], x->leaves[l].cells.fn, x->leaves[l].cells.q,
                           x->n_buckets);
        if (n_workers > 1)
            w[i].started = pthread_create(&w[i].thread, NULL, scanner_run, &w[i]) == 0;
    }
    bool threaded = n_workers > 1 && w[0].started;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct job *j = NULL;
        if ((rc = fetch(x, chunks[i].id, names, n_names, &j, e)) < 0)
            break;
        if (threaded) {
            if (!give(&sc, j))
                break;
        } else {
            if (w[0].rc == ERR_OK)
                w[0].rc = scan_chunk(&w[0], j);
            job_free(j);
        }
    }
    pthread_mutex_lock(&sc.mu);
    sc.done = true;
    pthread_cond_broadcast(&sc.changed);
    pthread_mutex_unlock(&sc.mu);
    for (int i = 0; i < n_workers; i++)
        if (w[i].started)
            pthread_join(w[i].thread, NULL);
    for (int i = 0; i < n_workers; i++) {
        if (rc == ERR_OK && w[i].rc < 0) {
            rc = w[i].rc;
            *e = w[i].e;
        }
        x->rows_scanned += w[i].rows;
        for (size_t l = 0; l < x->n_leaves; l++)
            agg_cells_merge(&x->leaves[l].cells, &w[i].cells[l]);
        free(w[i].cells);
    }
    pthread_mutex_destroy(&sc.groups_mu);
    pthread_mutex_destroy(&sc.mu);
    pthread_cond_destroy(&sc.changed);
    free(chunks);
    return rc;
}
