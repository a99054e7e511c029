/* cube_reader.c: reading the leaves of a cube (real and expected per attribute combination)
 * from a CSV file, either one row per leaf or a history of rows per leaf.
 *
 * Both layouts share the header handling (which column is which, the attribute columns are the
 * rest) and the leaf index: attribute values are interned per attribute (core/strdict.h), and
 * the tuple of codes, as bytes, is interned again to number the leaves, so a row finds its leaf
 * in one hash lookup. The history layout keeps, per leaf, only its last CUBE_HISTORY_WINDOW
 * instants before `at` (a small sorted array) and its sums at `at`, and keeps the file's last
 * CUBE_HISTORY_WINDOW instants, so memory is bounded by the leaves, not the rows. */
#include "format/cube_reader.h"

#include "core/num.h"
#include "core/xalloc.h"
#include "format/csv.h"
#include "format/timestamp.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define W CUBE_HISTORY_WINDOW

/* A point of a leaf's history (or an instant of the file, with the sums unused). */
struct point {
    int64_t t;
    double num, den;
};

struct window {
    struct point p[W]; /* ascending by t */
    unsigned n;
};

struct builder {
    const char *name;
    struct cube *c;
    size_t *attr_col;   /* per attribute: its column */
    size_t n_cols;
    struct strdict leaves;
    uint32_t *key;
    size_t cap, max_leaves;
    /* history layout */
    struct window *hist;  /* per leaf */
    double *at_num, *at_den;
    struct window times;  /* the file's last instants before at */
    bool seen_at;
};

void cube_release(struct cube *c)
{
    for (size_t a = 0; a < c->n_attrs; a++) {
        free(c->attrs[a]);
        strdict_release(&c->values[a]);
    }
    free(c->attrs);
    free(c->values);
    free(c->card);
    free(c->codes);
    free(c->real);
    free(c->expected);
    memset(c, 0, sizeof(*c));
}

const char *cube_value(const struct cube *c, size_t a, uint32_t code, size_t *ret_len)
{
    return strdict_str(&c->values[a], code + 1, ret_len);
}

static int fail(struct err *e, const struct builder *b, unsigned line, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Sets "NAME:LINE: <message>" (or "NAME: <message>" when line is 0). */
static int fail(struct err *e, const struct builder *b, unsigned line, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (line)
        err_set(e, ERR_INVALID, "%s:%u: %s", b->name, line, msg);
    else
        err_set(e, ERR_INVALID, "%s: %s", b->name, msg);
    if (e)
        e->line = line;
    return ERR_INVALID;
}

/* Reads the next row; 0 at the end. A malformed record fails with its line. */
static int next_row(struct csv_reader *r, struct builder *b, struct csv_row *row, struct err *e)
{
    struct err ce = ERR_INIT;
    int rc = csv_next(r, row, &ce);
    if (rc == ERR_INVALID)
        return fail(e, b, ce.line, "%s", ce.msg);
    if (rc < 0)
        return err_set(e, rc, "%s: %s", b->name, ce.msg);
    if (rc == 1 && row->n != b->n_cols)
        return fail(e, b, csv_row_line(r), "expected %zu cells like the header, got %zu",
                    b->n_cols, row->n);
    return rc;
}

/* ---- the header ---- */

/* The column named by one of names (case-insensitive), or SIZE_MAX. */
static size_t find_col(const struct csv_row *h, const char *const *names, size_t n_names)
{
    for (size_t i = 0; i < h->n; i++)
        for (size_t k = 0; k < n_names; k++)
            if (strcasecmp(h->fields[i].ptr, names[k]) == 0)
                return i;
    return SIZE_MAX;
}

/* Makes every column that is not a measure an attribute. */
static int setup_attrs(struct builder *b, const struct csv_row *h, const size_t *measure,
                       size_t n_measure, struct err *e)
{
    struct cube *c = b->c;
    b->n_cols = h->n;
    for (size_t i = 0; i < h->n; i++)
        for (size_t k = i + 1; k < h->n; k++)
            if (strcmp(h->fields[i].ptr, h->fields[k].ptr) == 0)
                return fail(e, b, 1, "column '%s' appears twice", h->fields[i].ptr);
    c->attrs = xcalloc(h->n, sizeof(char *));
    b->attr_col = xcalloc(h->n, sizeof(size_t));
    for (size_t i = 0; i < h->n; i++) {
        bool is_measure = false;
        for (size_t k = 0; k < n_measure; k++)
            is_measure |= measure[k] == i;
        if (is_measure)
            continue;
        b->attr_col[c->n_attrs] = i;
        c->attrs[c->n_attrs++] = xstrdup(h->fields[i].ptr);
    }
    if (c->n_attrs == 0)
        return fail(e, b, 1, "no attribute columns (every other column is an attribute)");
    if (c->n_attrs > CUBE_MAX_ATTRS)
        return fail(e, b, 1, "%zu attribute columns, at most %d", c->n_attrs, CUBE_MAX_ATTRS);
    c->values = xcalloc(c->n_attrs, sizeof(*c->values));
    c->card = xcalloc(c->n_attrs, sizeof(uint32_t));
    b->key = xcalloc(c->n_attrs, sizeof(uint32_t));
    return ERR_OK;
}

static int read_header(struct csv_reader *r, struct builder *b, struct csv_row *h,
                       struct err *e)
{
    struct err ce = ERR_INIT;
    int rc = csv_next(r, h, &ce);
    if (rc == 0)
        return fail(e, b, 0, "empty file: expected a header row");
    if (rc == ERR_INVALID)
        return fail(e, b, ce.line, "%s", ce.msg);
    if (rc < 0)
        return err_set(e, rc, "%s: %s", b->name, ce.msg);
    return ERR_OK;
}

/* ---- leaves ---- */

/* Doubles the room for leaves. */
static void grow(struct builder *b)
{
    struct cube *c = b->c;
    size_t cap = b->cap ? 2 * b->cap : 1024;
    c->real = xreallocarray(c->real, cap, sizeof(double));
    c->expected = xreallocarray(c->expected, cap, sizeof(double));
    c->codes = xreallocarray(c->codes, cap, c->n_attrs * sizeof(uint32_t));
    if (b->hist) {
        b->hist = xreallocarray(b->hist, cap, sizeof(*b->hist));
        b->at_num = xreallocarray(b->at_num, cap, sizeof(double));
        b->at_den = xreallocarray(b->at_den, cap, sizeof(double));
    }
    b->cap = cap;
}

/* The leaf of row (created when new); SIZE_MAX with e set when there are too many. */
static size_t leaf_of(struct builder *b, const struct csv_row *row, unsigned line,
                      struct err *e)
{
    struct cube *c = b->c;
    for (size_t a = 0; a < c->n_attrs; a++) {
        const struct csv_field *fl = &row->fields[b->attr_col[a]];
        b->key[a] = strdict_intern(&c->values[a], fl->ptr, fl->len) - 1;
        c->card[a] = (uint32_t)c->values[a].n;
    }
    size_t before = b->leaves.n;
    size_t leaf = strdict_intern(&b->leaves, (const char *)b->key,
                                 c->n_attrs * sizeof(uint32_t)) - 1;
    if (b->leaves.n == before)
        return leaf;
    if (leaf >= b->max_leaves) {
        fail(e, b, line, "more than %zu leaves (attribute combinations)", b->max_leaves);
        return SIZE_MAX;
    }
    if (leaf >= b->cap)
        grow(b);
    memcpy(c->codes + leaf * c->n_attrs, b->key, c->n_attrs * sizeof(uint32_t));
    c->real[leaf] = c->expected[leaf] = 0;
    if (b->hist) {
        b->hist[leaf].n = 0;
        b->at_num[leaf] = b->at_den[leaf] = 0;
    }
    c->n_leaves = leaf + 1;
    return leaf;
}

static int cell_number(struct builder *b, const struct csv_row *row, size_t col,
                       const char *what, unsigned line, double *ret, struct err *e)
{
    double v;
    const char *s = row->fields[col].ptr;
    if (num_parse_double(s, &v) < 0 || v < 0)
        return fail(e, b, line, "column '%s': expected a number >= 0, got '%.40s'", what, s);
    *ret = v;
    return ERR_OK;
}

static void builder_release(struct builder *b)
{
    strdict_release(&b->leaves);
    free(b->attr_col);
    free(b->key);
    free(b->hist);
    free(b->at_num);
    free(b->at_den);
}

/* ---- the cube layout ---- */

static int cube_rows(struct csv_reader *r, struct builder *b, const size_t *cols,
                     const char *const *names, struct err *e)
{
    struct cube *c = b->c;
    struct csv_row row;
    int rc;
    while ((rc = next_row(r, b, &row, e)) == 1) {
        unsigned line = csv_row_line(r);
        double v = 0, f = 0;
        if (cell_number(b, &row, cols[0], names[0], line, &v, e) < 0 ||
            cell_number(b, &row, cols[1], names[1], line, &f, e) < 0)
            return ERR_INVALID;
        size_t leaf = leaf_of(b, &row, line, e);
        if (leaf == SIZE_MAX)
            return ERR_INVALID;
        c->real[leaf] += v;
        c->expected[leaf] += f;
        c->rows++;
    }
    return rc;
}

int cube_read(FILE *f, const char *name, struct cube *ret, struct err *e)
{
    static const char *const real_names[] = {"real"};
    static const char *const pred_names[] = {"predict", "expected", "forecast"};
    struct cube c = {0};
    struct builder b = {.name = name, .c = &c, .leaves = STRDICT_INIT,
                        .max_leaves = CUBE_MAX_LEAVES};
    struct csv_reader r;
    csv_reader_init(&r, f);
    struct csv_row h;
    int rc = read_header(&r, &b, &h, e);
    if (rc < 0)
        goto done;
    size_t cols[2] = {find_col(&h, real_names, 1), find_col(&h, pred_names, 3)};
    if (cols[0] == SIZE_MAX || cols[1] == SIZE_MAX) {
        rc = fail(e, &b, 1, "missing column '%s' (a cube has real, predict and one column "
                  "per attribute)", cols[0] == SIZE_MAX ? "real" : "predict");
        goto done;
    }
    char *names[2] = {xstrdup(h.fields[cols[0]].ptr), xstrdup(h.fields[cols[1]].ptr)};
    if ((rc = setup_attrs(&b, &h, cols, 2, e)) >= 0)
        rc = cube_rows(&r, &b, cols, (const char *const *)names, e);
    free(names[0]);
    free(names[1]);
    if (rc < 0)
        goto done;
    *ret = c;
    c = (struct cube){0};
    rc = ERR_OK;
done:
    csv_reader_release(&r);
    builder_release(&b);
    cube_release(&c);
    return rc;
}

/* ---- the history layout ---- */

/* Adds a point to a window of the last W instants: summed into an equal instant, inserted in
 * order, and the oldest dropped when full. */
static void window_add(struct window *w, int64_t t, double num, double den)
{
    unsigned i = 0;
    while (i < w->n && w->p[i].t < t)
        i++;
    if (i < w->n && w->p[i].t == t) {
        w->p[i].num += num;
        w->p[i].den += den;
        return;
    }
    if (w->n == W) {
        if (i == 0)
            return; /* older than everything kept */
        memmove(&w->p[0], &w->p[1], (i - 1) * sizeof(w->p[0]));
        i--;
    } else {
        memmove(&w->p[i + 1], &w->p[i], (w->n - i) * sizeof(w->p[0]));
        w->n++;
    }
    w->p[i] = (struct point){t, num, den};
}

struct hist_cols {
    size_t time, num, den; /* den SIZE_MAX: a plain sum */
};

static int history_row(struct builder *b, const struct csv_row *row, unsigned line,
                       const struct hist_cols *hc, const struct cube_history *h,
                       struct err *e)
{
    struct err te = ERR_INIT;
    int64_t t;
    const struct csv_field *tf = &row->fields[hc->time];
    if (ts_parse_any_utc(tf->ptr, tf->len, &t, &te) < 0)
        return fail(e, b, line, "column '%s': %s", h->time_column, te.msg);
    if (t > h->at_ms)
        return ERR_OK;
    double num = 0, den = 0;
    if (cell_number(b, row, hc->num, h->num, line, &num, e) < 0 ||
        (hc->den != SIZE_MAX && cell_number(b, row, hc->den, h->den, line, &den, e) < 0))
        return ERR_INVALID;
    size_t leaf = leaf_of(b, row, line, e);
    if (leaf == SIZE_MAX)
        return ERR_INVALID;
    b->c->rows++;
    if (t == h->at_ms) {
        b->at_num[leaf] += num;
        b->at_den[leaf] += den;
        b->seen_at = true;
        return ERR_OK;
    }
    window_add(&b->hist[leaf], t, num, den);
    window_add(&b->times, t, 0, 0);
    return ERR_OK;
}

struct rw {
    double r, w;
};

static int cmp_rw(const void *x, const void *y)
{
    double a = ((const struct rw *)x)->r, c = ((const struct rw *)y)->r;
    return (a > c) - (a < c);
}

/* The weighted median of v[0..n) (n > 0, total weight > 0). */
static double weighted_median(struct rw *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_rw);
    double total = 0, acc = 0;
    for (unsigned i = 0; i < n; i++)
        total += v[i].w;
    for (unsigned i = 0; i < n; i++) {
        acc += v[i].w;
        if (acc >= total / 2)
            return v[i].r;
    }
    return v[n - 1].r;
}

/* The expected ratio of a leaf: its pooled ratio over the window (sum NUM / sum DEN), without
 * the minutes of highest and lowest ratio when there are enough (so that a first anomalous
 * minute just before `at` does not leak into the expectation), shrunk towards r_all. */
static double expected_ratio(const struct window *w, int64_t since, double r_all)
{
    struct rw v[W];
    unsigned n = 0;
    for (unsigned i = 0; i < w->n; i++)
        if (w->p[i].t >= since && w->p[i].den > 0)
            v[n++] = (struct rw){w->p[i].num / w->p[i].den, w->p[i].den};
    unsigned lo = 0, hi = n;
    if (n >= CUBE_TRIM_MIN) {
        qsort(v, n, sizeof(*v), cmp_rw);
        lo = 1;
        hi = n - 1;
    }
    double num = 0, den = 0;
    for (unsigned i = lo; i < hi; i++) {
        num += v[i].r * v[i].w;
        den += v[i].w;
    }
    return (num + CUBE_PRIOR_DEN * r_all) / (den + CUBE_PRIOR_DEN);
}

/* The median of a leaf's values over the file's last W instants, missing ones 0. */
static double expected_sum(const struct window *w, const struct window *times)
{
    struct rw v[W];
    unsigned n = 0;
    for (unsigned k = 0; k < times->n; k++) {
        double x = 0;
        for (unsigned i = 0; i < w->n; i++)
            if (w->p[i].t == times->p[k].t)
                x = w->p[i].num;
        v[n++] = (struct rw){x, 1};
    }
    return n ? weighted_median(v, n) : 0;
}

static void finish_history(struct builder *b, bool ratio)
{
    struct cube *c = b->c;
    int64_t since = b->times.n ? b->times.p[0].t : INT64_MAX;
    double num = 0, den = 0;
    for (size_t i = 0; i < c->n_leaves; i++)
        for (unsigned k = 0; k < b->hist[i].n; k++)
            if (b->hist[i].p[k].t >= since) {
                num += b->hist[i].p[k].num;
                den += b->hist[i].p[k].den;
            }
    double r_all = den > 0 ? num / den : 0;
    for (size_t i = 0; i < c->n_leaves; i++) {
        c->real[i] = b->at_num[i];
        c->expected[i] = ratio ? b->at_den[i] * expected_ratio(&b->hist[i], since, r_all)
                               : expected_sum(&b->hist[i], &b->times);
    }
}

static int history_columns(struct builder *b, const struct csv_row *h,
                           const struct cube_history *hist, struct hist_cols *hc,
                           struct err *e)
{
    const char *names[3] = {hist->time_column, hist->num, hist->den};
    size_t cols[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    for (size_t k = 0; k < 3; k++) {
        if (!names[k])
            continue;
        for (size_t i = 0; i < h->n && cols[k] == SIZE_MAX; i++)
            if (strcmp(h->fields[i].ptr, names[k]) == 0)
                cols[k] = i;
        if (cols[k] == SIZE_MAX)
            return fail(e, b, 1, "missing column '%s' (the header has %zu columns)", names[k],
                        h->n);
    }
    *hc = (struct hist_cols){cols[0], cols[1], cols[2]};
    return setup_attrs(b, h, cols, hist->den ? 3 : 2, e);
}

int cube_read_history(FILE *f, const char *name, const struct cube_history *h,
                      struct cube *ret, struct err *e)
{
    struct cube c = {0};
    struct builder b = {.name = name, .c = &c, .leaves = STRDICT_INIT,
                        .max_leaves = CUBE_MAX_HISTORY_LEAVES};
    b.hist = xmalloc(sizeof(*b.hist)); /* marks the layout; grown with the leaves */
    struct csv_reader r;
    csv_reader_init(&r, f);
    struct csv_row row;
    struct hist_cols hc = {0, 0, SIZE_MAX};
    int rc = read_header(&r, &b, &row, e);
    if (rc < 0 || (rc = history_columns(&b, &row, h, &hc, e)) < 0)
        goto done;
    while ((rc = next_row(&r, &b, &row, e)) == 1)
        if ((rc = history_row(&b, &row, csv_row_line(&r), &hc, h, e)) < 0)
            goto done;
    if (rc < 0)
        goto done;
    if (!b.seen_at) {
        rc = fail(e, &b, 0, "no row at the instant asked for (--at) in column '%s'",
                  h->time_column);
        goto done;
    }
    finish_history(&b, h->den != NULL);
    *ret = c;
    c = (struct cube){0};
    rc = ERR_OK;
done:
    csv_reader_release(&r);
    builder_release(&b);
    cube_release(&c);
    return rc;
}
