/* metric_reader.c: metric points from the three forms monitoring data is exported in.
 *
 * An incident review compares what the graphs showed with what people did; the graphs come
 * as a Prometheus API answer, a long CSV (one point per row) or a Grafana wide CSV (one
 * series per column). This module turns each into the same stream of points with canonical
 * label strings, so that later layers never care which form a file had. Prometheus JSON is
 * parsed whole (it is one document) and walked series by series; the CSV forms stream
 * through format/csv.c. */
#define _POSIX_C_SOURCE 200809L
#include "format/metric_reader.h"

#include "core/num.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "format/jsonl.h"
#include "format/timestamp.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- labels ---- */

struct label {
    const char *key, *value;
};

static int label_cmp(const void *a, const void *b)
{
    return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

static bool key_ok(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++) {
        unsigned char c = (unsigned char)*k;
        if (c <= ' ' || c == 0x7f || c == '=' || c == ',' || c == '\\')
            return false;
    }
    return true;
}

static int bad_key(const char *k, struct err *e)
{
    return err_set(e, ERR_INVALID, "label name '%.64s' is empty or holds a space, a control "
                   "character, '=', ',' or a backslash", k);
}

static void put_escaped(struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == ',' || *v == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *v);
    }
}

/* Sorts pairs by key and writes the canonical string into out (emptied first). */
static int labels_build(struct buf *out, struct label *pairs, size_t n, struct err *e)
{
    buf_reset(out);
    if (n > 1)
        qsort(pairs, n, sizeof(*pairs), label_cmp);
    for (size_t i = 0; i < n; i++) {
        if (!key_ok(pairs[i].key))
            return bad_key(pairs[i].key, e);
        if (i > 0 && strcmp(pairs[i - 1].key, pairs[i].key) == 0)
            return err_set(e, ERR_INVALID, "label '%.64s' appears twice", pairs[i].key);
        if (!*pairs[i].value)
            continue;
        if (out->len)
            buf_putc(out, ',');
        buf_puts(out, pairs[i].key);
        buf_putc(out, '=');
        put_escaped(out, pairs[i].value);
    }
    if (buf_failed(out))
        return err_set(e, ERR_INVALID, "labels too long");
    return ERR_OK;
}

/* ---- Prometheus JSON ---- */

struct load_ctx {
    FILE *f;
    size_t total;
    bool too_big, io;
};

/* jansson's read callback: fread with the size cap. */
static size_t load_cb(void *buffer, size_t buflen, void *data)
{
    struct load_ctx *c = data;
    size_t n = fread(buffer, 1, buflen, c->f);
    if (n == 0 && ferror(c->f)) {
        c->io = true;
        return (size_t)-1;
    }
    c->total += n;
    if (c->total > METRIC_JSON_MAX) {
        c->too_big = true;
        return (size_t)-1;
    }
    return n;
}

/* A string member of obj, or NULL. */
static const char *member_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int prom_open(struct metric_reader *r, FILE *f, struct err *e)
{
    struct stat st;
    int fd = fileno(f);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > METRIC_JSON_MAX)
        return err_set(e, ERR_INVALID, "file too large: %lld bytes (JSON files are limited to "
                       "%zu MiB)", (long long)st.st_size, METRIC_JSON_MAX >> 20);
    struct load_ctx ctx = {f, 0, false, false};
    json_error_t jerr;
    r->root = json_load_callback(load_cb, &ctx, JSON_REJECT_DUPLICATES, &jerr);
    if (ctx.io)
        return err_set(e, ERR_IO, "cannot read the JSON file");
    if (ctx.too_big)
        return err_set(e, ERR_INVALID, "file too large: more than %zu MiB (the limit for JSON "
                       "files)", METRIC_JSON_MAX >> 20);
    if (!r->root) {
        err_set(e, ERR_INVALID, "invalid JSON: %s", jerr.text);
        if (e) {
            e->line = jerr.line > 0 ? (unsigned)jerr.line : 0;
            e->column = jerr.column > 0 ? (unsigned)jerr.column : 0;
        }
        return ERR_INVALID;
    }
    if (!json_is_object(r->root))
        return err_set(e, ERR_INVALID, "expected a Prometheus API answer (a JSON object), got "
                       "%s", jsonl_type_name(r->root));
    const char *status = member_str(r->root, "status");
    if (!status)
        return err_set(e, ERR_INVALID, "missing field 'status' (expected a Prometheus API "
                       "answer)");
    if (strcmp(status, "success") != 0) {
        const char *type = member_str(r->root, "errorType");
        const char *text = member_str(r->root, "error");
        return err_set(e, ERR_INVALID, "field 'status': the query failed with status '%.32s': "
                       "%.64s%s%.300s", status, type ? type : "", type ? ": " : "",
                       text ? text : "(no error text)");
    }
    json_t *data = json_object_get(r->root, "data");
    if (!json_is_object(data))
        return err_set(e, ERR_INVALID, data ? "field 'data': expected an object"
                                            : "missing field 'data'");
    const char *type = member_str(data, "resultType");
    if (!type)
        return err_set(e, ERR_INVALID, "missing field 'data.resultType'");
    if (strcmp(type, "vector") == 0)
        r->vector = true;
    else if (strcmp(type, "matrix") != 0)
        return err_set(e, ERR_INVALID, "field 'data.resultType': '%.32s' is not supported "
                       "(expected matrix or vector)", type);
    r->result = json_object_get(data, "result");
    if (!json_is_array(r->result))
        return err_set(e, ERR_INVALID, r->result ? "field 'data.result': expected an array"
                                                 : "missing field 'data.result'");
    return ERR_OK;
}

/* Reads the name and labels of series s into r->name and r->labels. */
static int prom_series(struct metric_reader *r, json_t *s, struct err *e)
{
    struct label *pairs = NULL;
    size_t n = 0;
    int rc = ERR_INVALID;
    const char *name = "value";
    if (!json_is_object(s)) {
        err_set(e, ERR_INVALID, "expected an object, got %s", jsonl_type_name(s));
        goto done;
    }
    json_t *metric = json_object_get(s, "metric");
    if (metric && !json_is_null(metric)) {
        if (!json_is_object(metric)) {
            err_set(e, ERR_INVALID, "field 'metric': expected an object, got %s",
                    jsonl_type_name(metric));
            goto done;
        }
        pairs = xmallocarray(json_object_size(metric) + 1, sizeof(*pairs));
        const char *key;
        json_t *v;
        json_object_foreach(metric, key, v) {
            if (!json_is_string(v)) {
                err_set(e, ERR_INVALID, "metric label '%.64s': expected a string, got %s", key,
                        jsonl_type_name(v));
                goto done;
            }
            if (strcmp(key, "__name__") == 0) {
                name = json_string_value(v);
                if (!*name) {
                    err_set(e, ERR_INVALID, "metric label '__name__': empty");
                    goto done;
                }
            } else {
                pairs[n].key = key;
                pairs[n++].value = json_string_value(v);
            }
        }
    }
    if (!r->vector) {
        json_t *values = json_object_get(s, "values");
        if (!json_is_array(values)) {
            err_set(e, ERR_INVALID, values ? "field 'values': expected an array"
                                           : "missing field 'values'");
            goto done;
        }
    }
    rc = labels_build(&r->labels, pairs, n, e);
    if (rc < 0) {
        err_prefix(e, "field 'metric': ");
        goto done;
    }
    buf_reset(&r->name);
    buf_puts(&r->name, name);
    rc = ERR_OK;
done:
    free(pairs);
    return rc;
}

/* Reads one [time, "value"] pair. */
static int prom_point(json_t *pt, int64_t *ret_ms, double *ret_value, struct err *e)
{
    if (!json_is_array(pt) || json_array_size(pt) != 2)
        return err_set(e, ERR_INVALID, "expected a [time, \"value\"] pair, got %s",
                       json_is_array(pt) ? "an array of another length"
                       : pt ? jsonl_type_name(pt) : "nothing");
    json_t *t = json_array_get(pt, 0), *v = json_array_get(pt, 1);
    int64_t ms;
    int rc;
    if (json_is_integer(t))
        rc = ts_from_epoch_i64((int64_t)json_integer_value(t), &ms, e);
    else if (json_is_real(t))
        rc = ts_from_epoch_double(json_real_value(t), &ms, e);
    else if (json_is_string(t))
        rc = ts_parse_any(json_string_value(t), json_string_length(t), &ms, e);
    else
        return err_set(e, ERR_INVALID, "time: expected a number, got %s", jsonl_type_name(t));
    if (rc < 0)
        return err_prefix(e, "time: ");
    double value;
    if (json_is_number(v))
        value = json_number_value(v);
    else if (!json_is_string(v))
        return err_set(e, ERR_INVALID, "value: expected a string holding a number, got %s",
                       jsonl_type_name(v));
    else if (num_parse_double(json_string_value(v), &value) < 0)
        return err_set(e, ERR_INVALID, "value '%.64s' is not a finite number",
                       json_string_value(v));
    *ret_ms = ms;
    *ret_value = value;
    return ERR_OK;
}

static int prom_next(struct metric_reader *r, struct metric_point *ret, struct err *e)
{
    for (;;) {
        if (r->series >= json_array_size(r->result))
            return 0;
        size_t si = r->series;
        json_t *s = json_array_get(r->result, si);
        if (!r->series_ready) {
            int rc = prom_series(r, s, e);
            if (rc < 0) {
                r->series++;
                err_prefix(e, "data.result[%zu]: ", si);
                if (e)
                    e->line = e->column = 0;
                return rc;
            }
            r->series_ready = true;
            r->point = 0;
        }
        json_t *pt;
        if (r->vector) {
            pt = r->point == 0 ? json_object_get(s, "value") : NULL;
            if (r->point > 0) {
                r->series++, r->series_ready = false;
                continue;
            }
        } else {
            json_t *values = json_object_get(s, "values");
            if (r->point >= json_array_size(values)) {
                r->series++, r->series_ready = false;
                continue;
            }
            pt = json_array_get(values, r->point);
        }
        size_t pi = r->point++;
        int64_t ms = 0;
        double value = 0;
        int rc = prom_point(pt, &ms, &value, e);
        if (rc < 0) {
            if (r->vector)
                err_prefix(e, "data.result[%zu].value (series '%.64s{%.64s}'): ", si,
                           buf_str(&r->name), buf_str(&r->labels));
            else
                err_prefix(e, "data.result[%zu].values[%zu] (series '%.64s{%.64s}'): ", si, pi,
                           buf_str(&r->name), buf_str(&r->labels));
            if (e)
                e->line = e->column = 0;
            return rc;
        }
        ret->name = buf_str(&r->name);
        ret->labels = buf_str(&r->labels);
        ret->ts_ms = ms;
        ret->value = value;
        return 1;
    }
}

/* ---- CSV, shared ---- */

/* Reads the header row. */
static int read_header(struct metric_reader *r, struct csv_row *ret_row, const char *expected,
                       struct err *e)
{
    int rc = csv_next(&r->csv, ret_row, e);
    if (rc == 0) {
        err_set(e, ERR_INVALID, "empty file: expected a header row (%s)", expected);
        if (e)
            e->line = 1;
        return ERR_INVALID;
    }
    if (rc < 0)
        return err_prefix(e, "header: ");
    r->n_cols = ret_row->n;
    return ERR_OK;
}

static int row_error(struct metric_reader *r, struct err *e)
{
    if (e) {
        e->line = csv_row_line(&r->csv);
        e->column = 0;
    }
    return ERR_INVALID;
}

static int check_width(struct metric_reader *r, const struct csv_row *row, struct err *e)
{
    if (row->n == r->n_cols)
        return ERR_OK;
    err_set(e, ERR_INVALID, "expected %zu columns like the header, got %zu", r->n_cols, row->n);
    return row_error(r, e);
}

/* ---- long CSV ---- */

static int label_col_cmp(const void *a, const void *b)
{
    return strcmp(((const struct metric_label_column *)a)->key,
                  ((const struct metric_label_column *)b)->key);
}

static int long_open(struct metric_reader *r, struct err *e)
{
    struct csv_row row;
    int rc = read_header(r, &row, "timestamp,metric,value,<labels>", e);
    if (rc < 0)
        return rc;
    static const char *const names[] = {"timestamp", "metric", "value"};
    size_t *cols[] = {&r->col_ts, &r->col_metric, &r->col_value};
    for (size_t i = 0; i < 3; i++)
        *cols[i] = SIZE_MAX;
    r->label_cols = xmallocarray(row.n, sizeof(*r->label_cols));
    for (size_t c = 0; c < row.n; c++) {
        const char *h = row.fields[c].ptr;
        size_t i = 0;
        while (i < 3 && strcasecmp(h, names[i]) != 0)
            i++;
        if (i < 3) {
            if (*cols[i] != SIZE_MAX) {
                err_set(e, ERR_INVALID, "header: column '%s' appears twice (columns %zu and "
                        "%zu)", names[i], *cols[i] + 1, c + 1);
                return row_error(r, e);
            }
            *cols[i] = c;
            continue;
        }
        if (!key_ok(h)) {
            bad_key(h, e);
            err_prefix(e, "header: column %zu: ", c + 1);
            return row_error(r, e);
        }
        r->label_cols[r->n_labels].key = xstrdup(h);
        r->label_cols[r->n_labels++].col = c;
    }
    for (size_t i = 0; i < 3; i++)
        if (*cols[i] == SIZE_MAX) {
            err_set(e, ERR_INVALID, "header: missing column '%s' (required: timestamp, metric, "
                    "value)", names[i]);
            return row_error(r, e);
        }
    if (r->n_labels > 1)
        qsort(r->label_cols, r->n_labels, sizeof(*r->label_cols), label_col_cmp);
    for (size_t i = 1; i < r->n_labels; i++)
        if (strcmp(r->label_cols[i - 1].key, r->label_cols[i].key) == 0) {
            err_set(e, ERR_INVALID, "header: column '%.64s' appears twice",
                    r->label_cols[i].key);
            return row_error(r, e);
        }
    return ERR_OK;
}

static int long_next(struct metric_reader *r, struct metric_point *ret, struct err *e)
{
    struct csv_row row;
    int rc = csv_next(&r->csv, &row, e);
    if (rc <= 0)
        return rc;
    if (check_width(r, &row, e) < 0)
        return ERR_INVALID;
    const struct csv_field *ts = &row.fields[r->col_ts];
    const struct csv_field *metric = &row.fields[r->col_metric];
    const struct csv_field *value = &row.fields[r->col_value];
    int64_t ms;
    double v;
    if (ts_parse_any(ts->ptr, ts->len, &ms, e) < 0) {
        err_prefix(e, "column 'timestamp': ");
        return row_error(r, e);
    }
    if (metric->len == 0) {
        err_set(e, ERR_INVALID, "column 'metric': empty");
        return row_error(r, e);
    }
    if (num_parse_double(value->ptr, &v) < 0) {
        err_set(e, ERR_INVALID, "column 'value': expected a number, got '%.64s'", value->ptr);
        return row_error(r, e);
    }
    buf_reset(&r->labels);
    for (size_t i = 0; i < r->n_labels; i++) {
        const struct csv_field *cell = &row.fields[r->label_cols[i].col];
        if (cell->len == 0)
            continue;
        if (r->labels.len)
            buf_putc(&r->labels, ',');
        buf_puts(&r->labels, r->label_cols[i].key);
        buf_putc(&r->labels, '=');
        put_escaped(&r->labels, cell->ptr);
    }
    ret->name = metric->ptr;
    ret->labels = buf_str(&r->labels);
    ret->ts_ms = ms;
    ret->value = v;
    return 1;
}

/* ---- wide CSV ---- */

static void skip_spaces(const char **p, const char *end)
{
    while (*p < end && **p == ' ')
        (*p)++;
}

/* Splits `name{k="v",...}` at the braces; returns false when h does not have that shape.
 * Appends the keys and the unescaped values to keys and vals; *ret_name_len is the length of
 * the name part without trailing spaces. */
static bool split_header(const char *h, size_t *ret_name_len, struct strlist *keys,
                         struct strlist *vals)
{
    size_t len = strlen(h);
    const char *brace = strchr(h, '{');
    if (!brace || h[len - 1] != '}')
        return false;
    const char *p = brace + 1, *end = h + len - 1;
    struct buf v = BUF_INIT;
    char *key = NULL;
    bool ok = false;
    skip_spaces(&p, end);
    while (p < end) {
        const char *k = p;
        while (p < end && !strchr("= ,\"{}", *p))
            p++;
        if (p == k)
            goto done;
        free(key);
        key = xstrndup(k, (size_t)(p - k));
        skip_spaces(&p, end);
        if (p == end || *p++ != '=')
            goto done;
        skip_spaces(&p, end);
        if (p == end || *p++ != '"')
            goto done;
        buf_reset(&v);
        while (p < end && *p != '"') {
            char c = *p++;
            if (c == '\\') {
                if (p == end)
                    goto done;
                c = *p++;
                if (c == 'n')
                    c = '\n';
            }
            buf_putc(&v, c);
        }
        if (p == end)
            goto done; /* no closing quote */
        p++;
        strlist_push(keys, key);
        strlist_push(vals, buf_str(&v));
        skip_spaces(&p, end);
        if (p < end) {
            if (*p++ != ',')
                goto done;
            skip_spaces(&p, end);
        }
    }
    size_t n = (size_t)(brace - h);
    while (n > 0 && h[n - 1] == ' ')
        n--;
    *ret_name_len = n;
    ok = true;
done:
    free(key);
    buf_release(&v);
    return ok;
}

/* Fills s from header h (column col, from 1). */
static int wide_series(struct metric_series *s, const char *h, size_t col, struct buf *scratch,
                       struct err *e)
{
    struct strlist keys = STRLIST_INIT, vals = STRLIST_INIT;
    struct label *pairs = NULL;
    int rc = ERR_OK;
    size_t name_len;
    s->header = xstrdup(h);
    if (!split_header(h, &name_len, &keys, &vals)) {
        s->name = xstrdup(h);
        s->labels = xstrdup("");
        goto done;
    }
    s->name = name_len ? xstrndup(h, name_len) : xstrdup("value");
    pairs = xmallocarray(keys.n + 1, sizeof(*pairs));
    for (size_t i = 0; i < keys.n; i++) {
        pairs[i].key = keys.items[i];
        pairs[i].value = vals.items[i];
    }
    rc = labels_build(scratch, pairs, keys.n, e);
    if (rc < 0) {
        err_prefix(e, "header: column %zu '%.64s': ", col, h);
        goto done;
    }
    s->labels = xstrdup(buf_str(scratch));
done:
    free(pairs);
    strlist_release(&keys);
    strlist_release(&vals);
    return rc;
}

struct series_key {
    const struct metric_series *s;
    size_t col; /* from 1 */
};

static int series_cmp(const void *a, const void *b)
{
    const struct series_key *x = a, *y = b;
    int c = strcmp(x->s->name, y->s->name);
    if (c == 0)
        c = strcmp(x->s->labels, y->s->labels);
    if (c == 0)
        c = x->col < y->col ? -1 : 1;
    return c;
}

/* Refuses two columns naming the same series. */
static int check_duplicates(struct metric_reader *r, struct err *e)
{
    struct series_key *keys = xmallocarray(r->n_series, sizeof(*keys));
    int rc = ERR_OK;
    for (size_t i = 0; i < r->n_series; i++) {
        keys[i].s = &r->cols[i];
        keys[i].col = i + 2;
    }
    if (r->n_series > 1)
        qsort(keys, r->n_series, sizeof(*keys), series_cmp);
    for (size_t i = 1; i < r->n_series; i++) {
        const struct metric_series *x = keys[i - 1].s, *y = keys[i].s;
        if (strcmp(x->name, y->name) == 0 && strcmp(x->labels, y->labels) == 0) {
            rc = err_set(e, ERR_INVALID, "header: columns %zu and %zu are the same series "
                         "'%.64s'", keys[i - 1].col, keys[i].col, y->header);
            break;
        }
    }
    free(keys);
    return rc;
}

static int wide_open(struct metric_reader *r, struct err *e)
{
    struct csv_row row;
    int rc = read_header(r, &row, "Time,<series>,...", e);
    if (rc < 0)
        return rc;
    const char *first = row.fields[0].ptr;
    if (strcasecmp(first, "time") != 0 && strcasecmp(first, "timestamp") != 0) {
        err_set(e, ERR_INVALID, "header: column 1 must be the time, named 'Time' (got "
                "'%.64s')", first);
        return row_error(r, e);
    }
    if (row.n < 2) {
        err_set(e, ERR_INVALID, "header: no series columns after '%.64s'", first);
        return row_error(r, e);
    }
    r->time_header = xstrdup(first);
    r->cols = xcalloc(row.n - 1, sizeof(*r->cols));
    struct buf scratch = BUF_INIT;
    for (size_t c = 1; c < row.n && rc == ERR_OK; c++) {
        if (row.fields[c].len == 0) {
            rc = err_set(e, ERR_INVALID, "header: column %zu has no name", c + 1);
            break;
        }
        rc = wide_series(&r->cols[c - 1], row.fields[c].ptr, c + 1, &scratch, e);
        r->n_series++;
    }
    buf_release(&scratch);
    if (rc == ERR_OK)
        rc = check_duplicates(r, e);
    return rc < 0 ? row_error(r, e) : ERR_OK;
}

static int wide_next(struct metric_reader *r, struct metric_point *ret, struct err *e)
{
    for (;;) {
        if (r->next_col == 0) {
            int rc = csv_next(&r->csv, &r->row, e);
            if (rc <= 0)
                return rc;
            if (check_width(r, &r->row, e) < 0)
                return ERR_INVALID;
            const struct csv_field *t = &r->row.fields[0];
            if (ts_parse_any_utc(t->ptr, t->len, &r->row_ts, e) < 0) {
                err_prefix(e, "column '%.64s': ", r->time_header);
                return row_error(r, e);
            }
            r->next_col = 1;
        }
        while (r->next_col < r->row.n) {
            size_t c = r->next_col++;
            const struct csv_field *cell = &r->row.fields[c];
            if (cell->len == 0)
                continue;
            const struct metric_series *s = &r->cols[c - 1];
            double v;
            if (num_parse_double(cell->ptr, &v) < 0) {
                err_set(e, ERR_INVALID, "column '%.64s': expected a number, got '%.64s'",
                        s->header, cell->ptr);
                return row_error(r, e);
            }
            ret->name = s->name;
            ret->labels = s->labels;
            ret->ts_ms = r->row_ts;
            ret->value = v;
            return 1;
        }
        r->next_col = 0;
    }
}

/* ---- the API ---- */

int metric_reader_open(struct metric_reader *r, FILE *f, enum metric_format fmt,
                       struct err *e)
{
    memset(r, 0, sizeof(*r));
    r->fmt = fmt;
    int rc;
    if (fmt == MF_PROM) {
        rc = prom_open(r, f, e);
    } else {
        csv_reader_init(&r->csv, f);
        rc = fmt == MF_LONG_CSV ? long_open(r, e) : wide_open(r, e);
    }
    if (rc < 0)
        metric_reader_release(r);
    return rc;
}

int metric_reader_next(struct metric_reader *r, struct metric_point *ret, struct err *e)
{
    switch (r->fmt) {
    case MF_PROM: return prom_next(r, ret, e);
    case MF_LONG_CSV: return long_next(r, ret, e);
    case MF_WIDE_CSV: return wide_next(r, ret, e);
    }
    return err_set(e, ERR_INTERNAL, "unknown metric format %d", (int)r->fmt);
}

unsigned metric_reader_line(const struct metric_reader *r)
{
    return r->fmt == MF_PROM ? 0 : csv_row_line(&r->csv);
}

void metric_reader_release(struct metric_reader *r)
{
    json_decref(r->root);
    csv_reader_release(&r->csv);
    buf_release(&r->name);
    buf_release(&r->labels);
    for (size_t i = 0; i < r->n_labels; i++)
        free(r->label_cols[i].key);
    free(r->label_cols);
    for (size_t i = 0; i < r->n_series; i++) {
        free(r->cols[i].header);
        free(r->cols[i].name);
        free(r->cols[i].labels);
    }
    free(r->cols);
    free(r->time_header);
    memset(r, 0, sizeof(*r));
}
