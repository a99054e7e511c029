/* localize.c: "which segments explain this deviation": the file is read into a cube
 * (format/cube_reader.h), the kernel picks the segments (analytics/localize.h), and each is
 * named in the benchmarks' notation with its pairs sorted by attribute. The same notation is
 * parsed back by the scorer, which counts exact matches the way the Squeeze and RiskLoc papers
 * do, after writing every segment canonically (pairs sorted, numbers like "2000.0" as
 * "2000"), so a truth written {'bitrate':2000} matches a prediction bitrate=2000. */
#include "app/localize.h"

#include "analytics/localize.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "format/cube_reader.h"
#include "format/line_reader.h"
#include "format/timestamp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---- */

static int read_cube(const struct localize_request *q, FILE *f, struct cube *c, struct err *e)
{
    if (!q->time_column) {
        if (q->at || q->ratio)
            return err_set(e, ERR_INVALID, "--at and --ratio need --time-column (a history)");
        return cube_read(f, q->path, c, e);
    }
    if (!q->at || !q->ratio)
        return err_set(e, ERR_INVALID, "a history needs --at TIME and --ratio NUM/DEN (or "
                       "--ratio COLUMN)");
    struct cube_history h = {q->time_column, 0, NULL, NULL};
    struct err te = ERR_INIT;
    if (ts_parse_any_utc(q->at, strlen(q->at), &h.at_ms, &te) < 0)
        return err_set(e, ERR_INVALID, "--at: %s", te.msg);
    char *num = xstrdup(q->ratio);
    char *slash = strchr(num, '/');
    if (slash)
        *slash = '\0';
    h.num = num;
    h.den = slash ? slash + 1 : NULL;
    int rc = ERR_OK;
    if (!*h.num || (h.den && !*h.den))
        rc = err_set(e, ERR_INVALID, "--ratio: expected NUM/DEN or COLUMN, got '%s'", q->ratio);
    else
        rc = cube_read_history(f, q->path, &h, c, e);
    free(num);
    return rc;
}

/* ---- naming ---- */

struct pair {
    const char *attr;
    const char *value;
    size_t value_len;
};

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->attr, ((const struct pair *)b)->attr);
}

/* "a=a1&b=b3" for a cause, pairs sorted by attribute. */
static char *segment_name(const struct cube *c, const uint32_t *values)
{
    struct pair *p = xmallocarray(c->n_attrs, sizeof(*p));
    size_t n = 0;
    for (size_t a = 0; a < c->n_attrs; a++) {
        if (values[a] == LOC_ANY)
            continue;
        p[n].attr = c->attrs[a];
        p[n].value = cube_value(c, a, values[a], &p[n].value_len);
        n++;
    }
    qsort(p, n, sizeof(*p), cmp_pair);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s=%.*s", i ? "&" : "", p[i].attr, (int)p[i].value_len, p[i].value);
    free(p);
    return buf_detach(&b);
}

static void fill_answer(const struct cube *c, const struct loc_result *r,
                        struct localize_answer *a)
{
    a->status = loc_status_name(r->status);
    a->n = r->n;
    a->segments = xcalloc(r->n ? r->n : 1, sizeof(*a->segments));
    for (size_t i = 0; i < r->n; i++) {
        const struct loc_cause *lc = &r->causes[i];
        a->segments[i] = (struct localize_segment){segment_name(c, lc->values), lc->share,
                                                   lc->real, lc->expected, lc->leaves};
    }
    a->real = r->real;
    a->expected = r->expected;
    a->explained = r->explained;
    a->noise = r->noise;
    a->leaves = c->n_leaves;
    a->rows = c->rows;
    a->attrs = c->n_attrs;
}

int app_localize(const struct localize_request *q, struct localize_answer *ret, struct err *e)
{
    FILE *f = fopen(q->path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "cannot open '%s': %s", q->path, strerror(errno));
    struct cube c = {0};
    struct loc_result r = {0};
    int rc = read_cube(q, f, &c, e);
    fclose(f);
    if (rc < 0)
        return rc;
    struct loc_cube lc = {c.n_leaves, c.n_attrs, c.codes, c.card, c.real, c.expected};
    if ((rc = localize(&lc, NULL, &r, e)) < 0) {
        err_prefix(e, "%s: ", q->path);
        goto done;
    }
    struct localize_answer a = {0};
    fill_answer(&c, &r, &a);
    *ret = a;
done:
    loc_result_release(&r);
    cube_release(&c);
    return rc;
}

void localize_answer_release(struct localize_answer *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->segments[i].name);
    free(a->segments);
    a->segments = NULL;
    a->n = 0;
}

char *localize_answer_set(const struct localize_answer *a)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < a->n; i++)
        buf_printf(&b, "%s%s", i ? ";" : "", a->segments[i].name);
    return buf_detach(&b);
}

/* ---- scoring ---- */

/* s[0..len) without surrounding spaces, as a heap string. */
static char *trimmed(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return xstrndup(s, len);
}

/* A value as compared: a number in its shortest form, anything else as written. */
static char *canonical_value(const char *s, size_t len)
{
    char *v = trimmed(s, len);
    double x;
    if (num_parse_double(v, &x) == ERR_OK) {
        char out[64];
        snprintf(out, sizeof(out), "%.15g", x == 0 ? 0.0 : x);
        free(v);
        return xstrdup(out);
    }
    return v;
}

/* Appends one canonical segment ("a=1&b=x", pairs sorted) made from s[0..len). */
static int canonical_segment(const char *s, size_t len, struct strlist *out, struct err *e)
{
    struct strlist pairs = STRLIST_INIT;
    int rc = ERR_OK;
    for (size_t i = 0; i < len;) {
        size_t n = 0;
        while (i + n < len && s[i + n] != '&')
            n++;
        const char *eq = memchr(s + i, '=', n);
        char *attr = eq ? trimmed(s + i, (size_t)(eq - (s + i))) : NULL;
        if (!eq || !*attr) {
            free(attr);
            rc = err_set(e, ERR_INVALID, "'%.*s' is not attribute=value", (int)n, s + i);
            goto done;
        }
        char *value = canonical_value(eq + 1, n - (size_t)(eq + 1 - (s + i)));
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s=%s", attr, value);
        for (size_t k = 0; k < pairs.n; k++)
            if (strncmp(pairs.items[k], attr, strlen(attr)) == 0 &&
                pairs.items[k][strlen(attr)] == '=')
                rc = err_set(e, ERR_INVALID, "attribute '%s' twice in one segment", attr);
        strlist_push(&pairs, buf_str(&b));
        buf_release(&b);
        free(attr);
        free(value);
        if (rc < 0)
            goto done;
        i += n + 1;
    }
    strlist_sort(&pairs);
    if (pairs.n) {
        char *joined = strlist_join(&pairs, "&");
        strlist_add_unique(out, joined);
        free(joined);
    }
done:
    strlist_release(&pairs);
    return rc;
}

/* The canonical segments of a set "x;y;z" (empty parts ignored). */
static int canonical_set(const char *set, struct strlist *out, struct err *e)
{
    const char *p = set;
    while (*p) {
        size_t n = strcspn(p, ";");
        if (canonical_segment(p, n, out, e) < 0)
            return ERR_INVALID;
        p += n;
        if (*p == ';')
            p++;
    }
    return ERR_OK;
}

int localize_score_case(const char *truth, const char *pred, struct localize_score *acc,
                        struct err *e)
{
    struct strlist t = STRLIST_INIT, p = STRLIST_INIT;
    int rc = canonical_set(truth, &t, e);
    if (rc < 0)
        err_prefix(e, "truth: ");
    else if ((rc = canonical_set(pred, &p, e)) < 0)
        err_prefix(e, "prediction: ");
    if (rc == ERR_OK) {
        size_t tp = 0;
        for (size_t i = 0; i < p.n; i++)
            tp += strlist_contains(&t, p.items[i]);
        acc->cases++;
        acc->tp += tp;
        acc->fp += p.n - tp;
        acc->fn += t.n - tp;
    }
    strlist_release(&t);
    strlist_release(&p);
    return rc;
}

int app_localize_score(const char *path, struct localize_score *ret, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    struct line_reader r;
    line_reader_init(&r, f);
    struct localize_score s = {0};
    const char *line;
    size_t len;
    int rc;
    while ((rc = line_reader_next(&r, &line, &len, e)) == LINE_OK) {
        if (len == 0 || line[0] == '#')
            continue;
        char *copy = xstrndup(line, len);
        char *tab = strchr(copy, '\t');
        if (tab)
            *tab = '\0';
        rc = localize_score_case(copy, tab ? tab + 1 : "", &s, e);
        free(copy);
        if (rc < 0) {
            err_prefix(e, "%s:%llu: ", path, (unsigned long long)r.line_no);
            break;
        }
    }
    if (rc == LINE_TOO_LONG)
        rc = err_set(e, ERR_INVALID, "%s:%llu: line too long", path,
                     (unsigned long long)r.line_no);
    line_reader_release(&r);
    fclose(f);
    if (rc < 0)
        return rc;
    *ret = s;
    return ERR_OK;
}

void localize_score_rates(const struct localize_score *s, double *ret_precision,
                          double *ret_recall, double *ret_f1)
{
    double tp = (double)s->tp;
    *ret_precision = s->tp + s->fp ? tp / (double)(s->tp + s->fp) : 0;
    *ret_recall = s->tp + s->fn ? tp / (double)(s->tp + s->fn) : 0;
    *ret_f1 = 2 * s->tp + s->fp + s->fn ? 2 * tp / (double)(2 * s->tp + s->fp + s->fn) : 0;
}
