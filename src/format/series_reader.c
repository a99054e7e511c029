/* series_reader.c: a numeric series from CSV (one number per line, or time,value[,value...])
 * or from a TCPD JSON data file.
 *
 * CSV rows are collected row by row (row-major) and transposed to one block per dimension at
 * the end; the first row fixes the number of fields and, when one of its value cells is text,
 * is the header that names the columns in messages. TCPD files are parsed whole with jansson
 * (through a callback that stops at SERIES_JSON_MAX bytes) and each "series[d].raw" copied. */
#include "format/series_reader.h"

#include "core/num.h"
#include "core/xalloc.h"
#include "format/csv.h"
#include "format/jsonl.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CELL_MAX 128 /* a numeric cell longer than this is not a number */

void num_series_release(struct num_series *s)
{
    free(s->values);
    memset(s, 0, sizeof(*s));
}

int series_format_parse(const char *name, enum series_format *ret_format)
{
    if (strcmp(name, "csv") == 0)
        *ret_format = SERIES_CSV;
    else if (strcmp(name, "tcpd") == 0)
        *ret_format = SERIES_TCPD;
    else
        return ERR_INVALID;
    return ERR_OK;
}

enum series_format series_format_guess(const char *path)
{
    size_t len = strlen(path);
    return len >= 5 && strcasecmp(path + len - 5, ".json") == 0 ? SERIES_TCPD : SERIES_CSV;
}

/* Sets an ERR_INVALID message and the line at fault. */
static int line_err(struct err *e, unsigned line, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int line_err(struct err *e, unsigned line, const char *fmt, ...)
{
    if (!e)
        return ERR_INVALID;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = ERR_INVALID;
    e->line = line;
    return ERR_INVALID;
}

/* ---- CSV ---- */

enum cell_kind { CELL_NUMBER, CELL_MISSING, CELL_TEXT };

/* Classifies a cell (spaces and tabs around it ignored) and parses a number into *ret. */
static enum cell_kind parse_cell(const char *s, size_t len, double *ret)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || (len == 4 && strncasecmp(s, "null", 4) == 0) ||
        (len == 3 && strncasecmp(s, "nan", 3) == 0))
        return CELL_MISSING;
    char buf[CELL_MAX];
    if (len >= sizeof(buf))
        return CELL_TEXT;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return num_parse_double(buf, ret) == ERR_OK ? CELL_NUMBER : CELL_TEXT;
}

struct csv_acc {
    double *rows;    /* row-major: rows[i * dims + d] */
    size_t n, cap;   /* rows */
    size_t n_fields; /* of the first row */
    size_t first;    /* the first value column: 0 for one column, else 1 */
    size_t dims, missing;
    char **names;    /* header cells, or NULL */
};

static void acc_release(struct csv_acc *a)
{
    free(a->rows);
    if (a->names)
        for (size_t i = 0; i < a->n_fields; i++)
            free(a->names[i]);
    free(a->names);
}

/* Takes the shape from the first row; returns true when it is a header. */
static bool acc_shape(struct csv_acc *a, const struct csv_row *row)
{
    a->n_fields = row->n;
    a->first = row->n == 1 ? 0 : 1;
    a->dims = row->n - a->first;
    for (size_t c = a->first; c < row->n; c++) {
        double v;
        if (parse_cell(row->fields[c].ptr, row->fields[c].len, &v) == CELL_TEXT) {
            a->names = xcalloc(row->n, sizeof(*a->names));
            for (size_t k = 0; k < row->n; k++)
                a->names[k] = xstrndup(row->fields[k].ptr, row->fields[k].len);
            return true;
        }
    }
    return false;
}

/* Appends one data row. */
static int acc_row(struct csv_acc *a, const struct csv_row *row, unsigned line, struct err *e)
{
    if (row->n != a->n_fields)
        return line_err(e, line, "expected %zu field%s as in the first row, found %zu",
                        a->n_fields, a->n_fields == 1 ? "" : "s", row->n);
    if ((a->n + 1) * a->dims > SERIES_MAX_VALUES)
        return line_err(e, line, "too many values (the limit is %zu)", SERIES_MAX_VALUES);
    xgrow((void **)&a->rows, &a->cap, (a->n + 1) * a->dims, sizeof(*a->rows));
    for (size_t c = a->first; c < row->n; c++) {
        double v = NAN;
        enum cell_kind k = parse_cell(row->fields[c].ptr, row->fields[c].len, &v);
        if (k == CELL_TEXT) {
            if (a->names)
                return line_err(e, line, "column '%.40s': '%.40s' is not a number",
                                a->names[c], row->fields[c].ptr);
            return line_err(e, line, "column %zu: '%.40s' is not a number", c + 1,
                            row->fields[c].ptr);
        }
        a->missing += k == CELL_MISSING;
        a->rows[a->n * a->dims + (c - a->first)] = k == CELL_MISSING ? NAN : v;
    }
    a->n++;
    return ERR_OK;
}

/* Moves the rows into ret, one block per dimension. */
static void acc_finish(const struct csv_acc *a, struct num_series *ret)
{
    ret->n = a->n;
    ret->dims = a->dims;
    ret->missing = a->missing;
    ret->values = xmallocarray(a->n * a->dims, sizeof(double));
    for (size_t i = 0; i < a->n; i++)
        for (size_t d = 0; d < a->dims; d++)
            ret->values[d * a->n + i] = a->rows[i * a->dims + d];
}

static int read_csv(FILE *f, struct num_series *ret, struct err *e)
{
    struct csv_reader r;
    struct csv_acc a = {0};
    csv_reader_init(&r, f);
    struct csv_row row;
    int rc;
    bool first = true;
    while ((rc = csv_next(&r, &row, e)) == 1) {
        if (first) {
            first = false;
            if (acc_shape(&a, &row))
                continue;
        }
        if ((rc = acc_row(&a, &row, csv_row_line(&r), e)) < 0)
            goto done;
    }
    if (rc < 0)
        goto done;
    if (a.n == 0) {
        rc = line_err(e, 0, "no values (an empty series)");
        goto done;
    }
    acc_finish(&a, ret);
    rc = ERR_OK;
done:
    acc_release(&a);
    csv_reader_release(&r);
    return rc;
}

/* ---- TCPD JSON ---- */

struct load_ctx {
    FILE *f;
    size_t total;
    bool io, too_big;
};

static size_t load_cb(void *buffer, size_t buflen, void *data)
{
    struct load_ctx *c = data;
    size_t n = fread(buffer, 1, buflen, c->f);
    if (n == 0 && ferror(c->f)) {
        c->io = true;
        return (size_t)-1;
    }
    c->total += n;
    if (c->total > SERIES_JSON_MAX) {
        c->too_big = true;
        return (size_t)-1;
    }
    return n;
}

static int load_json(FILE *f, json_t **ret_root, struct err *e)
{
    struct load_ctx ctx = {f, 0, false, false};
    json_error_t jerr;
    json_t *root = json_load_callback(load_cb, &ctx, JSON_REJECT_DUPLICATES, &jerr);
    if (ctx.io)
        return err_set(e, ERR_IO, "cannot read the file: %s", strerror(errno));
    if (ctx.too_big)
        return line_err(e, 0, "file too large (JSON files are limited to %zu MiB)",
                        SERIES_JSON_MAX >> 20);
    if (!root)
        return line_err(e, jerr.line > 0 ? (unsigned)jerr.line : 0, "invalid JSON: %s",
                        jerr.text);
    *ret_root = root;
    return ERR_OK;
}

/* Checks the shape of a TCPD file: "series" is a non-empty array of objects with "raw" arrays
 * of one length, equal to "n_obs" when given. */
static int tcpd_shape(json_t *root, size_t *ret_n, size_t *ret_dims, struct err *e)
{
    if (!json_is_object(root))
        return line_err(e, 0, "expected a TCPD data file (a JSON object), got %s",
                        jsonl_type_name(root));
    json_t *series = json_object_get(root, "series");
    if (!json_is_array(series) || json_array_size(series) == 0)
        return line_err(e, 0, "field 'series': expected a non-empty array of dimensions");
    size_t dims = json_array_size(series), n = 0;
    for (size_t d = 0; d < dims; d++) {
        json_t *raw = json_object_get(json_array_get(series, d), "raw");
        if (!json_is_array(raw))
            return line_err(e, 0, "field 'series[%zu].raw': expected an array", d);
        if (d > 0 && json_array_size(raw) != n)
            return line_err(e, 0, "field 'series[%zu].raw' holds %zu values, series[0] %zu", d,
                            json_array_size(raw), n);
        n = json_array_size(raw);
    }
    json_t *n_obs = json_object_get(root, "n_obs");
    if (n_obs && (!json_is_integer(n_obs) || json_integer_value(n_obs) != (json_int_t)n))
        return line_err(e, 0, "field 'n_obs' does not match the %zu values of 'series[0].raw'",
                        n);
    if (n == 0)
        return line_err(e, 0, "no values (an empty series)");
    if (n > SERIES_MAX_VALUES / dims)
        return line_err(e, 0, "too many values (the limit is %zu)", SERIES_MAX_VALUES);
    *ret_n = n;
    *ret_dims = dims;
    return ERR_OK;
}

static int tcpd_values(json_t *root, size_t n, size_t dims, struct num_series *ret,
                       struct err *e)
{
    json_t *series = json_object_get(root, "series");
    double *v = xmallocarray(n * dims, sizeof(*v));
    size_t missing = 0;
    for (size_t d = 0; d < dims; d++) {
        json_t *raw = json_object_get(json_array_get(series, d), "raw");
        for (size_t i = 0; i < n; i++) {
            json_t *x = json_array_get(raw, i);
            if (json_is_null(x)) {
                v[d * n + i] = NAN;
                missing++;
            } else if (json_is_number(x)) {
                v[d * n + i] = json_number_value(x);
            } else {
                free(v);
                return line_err(e, 0, "field 'series[%zu].raw[%zu]': expected a number or "
                                "null, got %s", d, i, jsonl_type_name(x));
            }
        }
    }
    *ret = (struct num_series){v, n, dims, missing};
    return ERR_OK;
}

static int read_tcpd(FILE *f, struct num_series *ret, struct err *e)
{
    json_t *root = NULL;
    size_t n = 0, dims = 0;
    int rc = load_json(f, &root, e);
    if (rc == ERR_OK && (rc = tcpd_shape(root, &n, &dims, e)) == ERR_OK)
        rc = tcpd_values(root, n, dims, ret, e);
    json_decref(root);
    return rc;
}

/* ---- entry points ---- */

int series_read(FILE *f, enum series_format format, struct num_series *ret, struct err *e)
{
    if (e)
        e->line = 0;
    return format == SERIES_TCPD ? read_tcpd(f, ret, e) : read_csv(f, ret, e);
}

int series_read_file(const char *path, enum series_format format, struct num_series *ret,
                     struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    int rc = series_read(f, format, ret, e);
    fclose(f);
    if (rc < 0 && e) {
        if (e->line)
            err_prefix(e, "%s:%u: ", path, e->line);
        else
            err_prefix(e, "%s: ", path);
    }
    return rc;
}
