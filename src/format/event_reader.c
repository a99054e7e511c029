/* event_reader.c: the event reader's file handling: JSON lines or CSV rows in, records out. */
#include "format/event_reader.h"

#include "core/num.h"
#include "core/xalloc.h"
#include "format/csv.h"
#include "format/timestamp.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool name_is(const char *s, size_t len, const char *a, const char *b)
{
    return (strlen(a) == len && strncasecmp(s, a, len) == 0) ||
           (b && strlen(b) == len && strncasecmp(s, b, len) == 0);
}

/* Reads the CSV header: which columns are the event, the time and the user; the others are
 * properties named by their header. */
static int read_csv_header(struct event_reader *r, struct err *e)
{
    struct csv_row row;
    int rc = csv_next(r->csv, &row, e);
    if (rc == 0)
        return err_set(e, ERR_INVALID, "no header row");
    if (rc < 0)
        return rc;
    e->line = csv_row_line(r->csv);
    r->n_cols = row.n;
    r->col_names = xcalloc(row.n, sizeof(*r->col_names));
    size_t *offs = xcalloc(row.n, sizeof(*offs));
    for (size_t i = 0; i < row.n; i++) {
        const struct csv_field *f = &row.fields[i];
        if (f->len == 0) {
            free(offs);
            return err_set(e, ERR_INVALID, "header column %zu has no name", i + 1);
        }
        offs[i] = r->header.len;
        buf_append(&r->header, f->ptr, f->len + 1); /* keep the NUL */
        if (name_is(f->ptr, f->len, "event", NULL))
            r->col_event = (int)i;
        else if (name_is(f->ptr, f->len, "timestamp", "time"))
            r->col_ts = (int)i;
        else if (name_is(f->ptr, f->len, "distinct_id", "user_id"))
            r->col_id = (int)i;
    }
    for (size_t i = 0; i < row.n; i++)
        r->col_names[i] = r->header.data + offs[i];
    free(offs);
    if (r->col_event < 0)
        return err_set(e, ERR_INVALID, "the header has no 'event' column");
    if (r->col_ts < 0)
        return err_set(e, ERR_INVALID, "the header has no 'timestamp' column");
    return ERR_OK;
}

int event_reader_open(struct event_reader *r, FILE *f, enum event_format format, struct err *e)
{
    memset(r, 0, sizeof(*r));
    r->format = format;
    r->col_event = r->col_ts = r->col_id = -1;
    r->limit = UINT64_MAX;
    line_reader_init(&r->lines, f);
    if (format == EF_CSV) {
        r->csv = xmalloc(sizeof(*r->csv));
        csv_reader_init(r->csv, f);
        return read_csv_header(r, e);
    }
    return ERR_OK;
}

void event_reader_release(struct event_reader *r)
{
    line_reader_release(&r->lines);
    if (r->csv)
        csv_reader_release(r->csv);
    free(r->csv);
    free(r->scratch);
    free(r->props);
    free(r->col_names);
    buf_release(&r->names);
    buf_release(&r->header);
    r->csv = NULL;
    r->scratch = NULL;
    r->props = NULL;
    r->col_names = NULL;
}

void event_reader_set_range(struct event_reader *r, uint64_t base, uint64_t limit)
{
    r->base = base;
    r->limit = limit;
}

uint64_t event_reader_bytes(const struct event_reader *r)
{
    if (r->csv) {
        long pos = ftell(r->lines.f);
        return pos > 0 ? (uint64_t)pos : 0;
    }
    return r->lines.bytes;
}

static bool blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

static int csv_record(struct event_reader *r, const struct csv_row *row,
                      struct event_record *ret, struct err *e)
{
    if (row->n != r->n_cols)
        return err_set(e, ERR_INVALID, "expected %zu fields as in the header, got %zu",
                       r->n_cols, row->n);
    struct event_record rec = {0};
    const struct csv_field *ev = &row->fields[r->col_event];
    if (ev->len == 0)
        return err_set(e, ERR_INVALID, "column 'event': empty");
    rec.event = ev->ptr;
    rec.event_len = ev->len;
    const struct csv_field *ts = &row->fields[r->col_ts];
    int rc = ts_parse_any(ts->ptr, ts->len, &rec.ts_ms, e);
    if (rc < 0)
        return err_prefix(e, "column 'timestamp': ");
    if (r->col_id >= 0 && row->fields[r->col_id].len) {
        rec.distinct_id = row->fields[r->col_id].ptr;
        rec.distinct_id_len = row->fields[r->col_id].len;
    }
    r->n_props = 0;
    for (size_t i = 0; i < row->n; i++) {
        if ((int)i == r->col_event || (int)i == r->col_ts || (int)i == r->col_id ||
            row->fields[i].len == 0)
            continue;
        xgrow((void **)&r->props, &r->cap_props, r->n_props + 1, sizeof(*r->props));
        struct event_prop *p = &r->props[r->n_props++];
        memset(p, 0, sizeof(*p));
        p->name = r->col_names[i];
        p->name_len = strlen(p->name);
        p->str = row->fields[i].ptr;
        p->str_len = row->fields[i].len;
        p->is_number = num_parse_double(row->fields[i].ptr, &p->number) == ERR_OK;
    }
    rec.props = r->props;
    rec.n_props = r->n_props;
    *ret = rec;
    return ERR_OK;
}

static int next_csv(struct event_reader *r, struct event_record *ret, struct err *e)
{
    struct csv_row row;
    int rc = csv_next(r->csv, &row, e);
    if (rc <= 0)
        return rc;
    e->line = csv_row_line(r->csv);
    rc = csv_record(r, &row, ret, e);
    e->line = csv_row_line(r->csv);
    return rc < 0 ? rc : 1;
}

int event_reader_next(struct event_reader *r, struct event_record *ret, struct err *e)
{
    if (r->format == EF_CSV)
        return next_csv(r, ret, e);
    for (;;) {
        const char *line;
        size_t len;
        if (r->base + r->lines.bytes >= r->limit)
            return 0;
        int rc = line_reader_next(&r->lines, &line, &len, e);
        if (rc < 0 || rc == LINE_EOF)
            return rc;
        e->line = (unsigned)r->lines.line_no;
        if (rc == LINE_TOO_LONG)
            return err_set(e, ERR_INVALID, "line longer than %zu bytes", LINE_MAX_BYTES);
        if (blank(line, len))
            continue;
        rc = event_parse_json_line(r, line, len, ret, e);
        e->line = (unsigned)r->lines.line_no;
        return rc < 0 ? rc : 1;
    }
}
