/* csv.c: the incremental RFC 4180 reader behind every CSV input (metrics, changes).
 *
 * Bytes come through a private read buffer so that a record can be looked at twice: while a
 * record is no longer than CSV_RECORD_MAX, the buffer keeps it from its first byte, and when
 * its quote turns out never to close, reading restarts at its second line. Fields are decoded
 * into a separate buffer, each followed by a NUL, and exposed as views. A state machine reads
 * one byte at a time; faults found mid-record either stop the record at once (stray quotes:
 * the rest of the line is skipped) or are remembered while the record is read to its end
 * (NUL bytes, excess length), so that quoted line ends still count. */
#include "format/csv.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)64 << 10)
#define CH_EOF 256
#define CH_ERR 257

void csv_reader_init(struct csv_reader *r, FILE *f)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->line = 1;
}

void csv_reader_release(struct csv_reader *r)
{
    free(r->in);
    free(r->data);
    free(r->spans);
    free(r->fields);
    memset(r, 0, sizeof(*r));
}

unsigned csv_row_line(const struct csv_reader *r)
{
    return r->row_line;
}

/* Reads more bytes. Drops the bytes before in_pos (or before row_start while retaining).
 * Returns 1 when bytes were added, 0 at the end of the file, ERR_IO on a read error. */
static int fill(struct csv_reader *r)
{
    if (r->eof)
        return 0;
    size_t keep = r->retain ? r->row_start : r->in_pos;
    if (keep > 0) {
        memmove(r->in, r->in + keep, r->in_len - keep);
        r->in_len -= keep;
        r->in_pos -= keep;
        r->row_start = r->retain ? 0 : r->in_pos;
    }
    xgrow((void **)&r->in, &r->in_alloc, r->in_len + CHUNK, 1);
    size_t n = fread(r->in + r->in_len, 1, CHUNK, r->f);
    r->in_len += n;
    if (n == 0) {
        if (ferror(r->f))
            return ERR_IO;
        r->eof = true;
        return 0;
    }
    return 1;
}

/* The byte k places ahead of in_pos, CH_EOF or CH_ERR. */
static int peek_at(struct csv_reader *r, size_t k)
{
    while (r->in_len - r->in_pos <= k) {
        int rc = fill(r);
        if (rc < 0)
            return CH_ERR;
        if (rc == 0)
            return CH_EOF;
    }
    return (unsigned char)r->in[r->in_pos + k];
}

static int peek(struct csv_reader *r)
{
    return peek_at(r, 0);
}

/* Consumes and returns the next byte (CH_EOF, CH_ERR consume nothing), counting lines and the
 * record's length. */
static int get(struct csv_reader *r)
{
    int c = peek(r);
    if (c < CH_EOF) {
        r->in_pos++;
        r->raw++;
        if (c == '\n')
            r->line++;
    }
    return c;
}

static void store(struct csv_reader *r, char c)
{
    if (r->data_len == r->data_alloc)
        xgrow((void **)&r->data, &r->data_alloc, r->data_len + 1, 1);
    r->data[r->data_len++] = c;
}

/* Ends the field that started at data offset start. */
static void end_field(struct csv_reader *r, size_t start)
{
    store(r, '\0');
    xgrow((void **)&r->spans, &r->spans_alloc, 2 * (r->n_fields + 1), sizeof(size_t));
    r->spans[2 * r->n_fields] = start;
    r->spans[2 * r->n_fields + 1] = r->data_len - 1 - start;
    r->n_fields++;
}

/* Consumes the rest of the physical line, its LF included. */
static int skip_line(struct csv_reader *r)
{
    r->retain = false;
    for (;;) {
        int c = get(r);
        if (c == CH_ERR)
            return ERR_IO;
        if (c == '\n' || c == CH_EOF)
            return ERR_OK;
    }
}

static int io_error(struct csv_reader *r, struct err *e)
{
    err_set(e, ERR_IO, "cannot read the CSV file at line %u", r->line);
    if (e) {
        e->line = r->line;
        e->column = 0;
    }
    return ERR_IO;
}

static int refuse(struct csv_reader *r, const struct err *bad, struct err *e)
{
    err_set(e, ERR_INVALID, "%s", bad->msg);
    if (e) {
        e->line = r->row_line;
        e->column = 0;
    }
    return ERR_INVALID;
}

/* Skips a byte order mark at the start of the file. */
static int skip_bom(struct csv_reader *r)
{
    r->started = true;
    if (peek_at(r, 2) == CH_ERR)
        return ERR_IO;
    if (r->in_len - r->in_pos >= 3 && memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0)
        r->in_pos += 3;
    return ERR_OK;
}

/* Skips blank lines; returns 1 when a record starts, 0 at the end of the file, ERR_IO. */
static int skip_blank_lines(struct csv_reader *r)
{
    for (;;) {
        int c = peek(r);
        if (c == CH_ERR)
            return ERR_IO;
        if (c == CH_EOF)
            return 0;
        if (c == '\r') {
            int d = peek_at(r, 1);
            if (d == CH_ERR)
                return ERR_IO;
            if (d != '\n')
                return 1;
            get(r);
        } else if (c != '\n') {
            return 1;
        }
        get(r);
    }
}

/* Restarts reading at the second physical line of the current record (kept in the buffer). */
static void rewind_to_second_line(struct csv_reader *r)
{
    const char *nl = memchr(r->in + r->row_start, '\n', r->in_len - r->row_start);
    if (!nl)
        return; /* a one-line record: nothing to read again */
    r->in_pos = (size_t)(nl - r->in) + 1;
    r->line = r->row_line + 1;
}

int csv_next(struct csv_reader *r, struct csv_row *ret_row, struct err *e)
{
    enum { S_START, S_UNQUOTED, S_QUOTED, S_AFTER_QUOTE } st = S_START;
    struct err bad = ERR_INIT; /* the first fault of this record, when deferred */
    bool deferred = false, overlong = false;
    size_t field = 1, start = 0;
    unsigned quote_line = 0;

    if (!r->started && skip_bom(r) < 0)
        return io_error(r, e);
    int rc = skip_blank_lines(r);
    if (rc <= 0)
        return rc < 0 ? io_error(r, e) : 0;

    r->row_line = r->line;
    r->row_start = r->in_pos;
    r->retain = true;
    r->raw = 0;
    r->data_len = 0;
    r->n_fields = 0;
    for (;;) {
        if (r->raw > CSV_RECORD_MAX && !overlong) {
            overlong = true;
            r->retain = false;
            if (!deferred)
                err_set(&bad, ERR_INVALID, "field %zu: record longer than %zu bytes", field,
                        CSV_RECORD_MAX);
            deferred = true;
        }
        int c = get(r);
        if (c == CH_ERR)
            return io_error(r, e);
        if (c == '\0' && st != S_AFTER_QUOTE) {
            if (!deferred)
                err_set(&bad, ERR_INVALID, "field %zu: NUL byte on line %u", field,
                        r->line);
            deferred = true;
            if (st == S_START)
                st = S_UNQUOTED;
            continue;
        }
        switch (st) {
        case S_START:
            start = r->data_len;
            if (c == '"') {
                st = S_QUOTED;
                quote_line = r->line;
                continue;
            }
            st = S_UNQUOTED;
            /* fall through */
        case S_UNQUOTED:
        case S_AFTER_QUOTE:
            if (c == ',') {
                end_field(r, start);
                field++;
                st = S_START;
                continue;
            }
            if (c == '\r' && peek(r) == '\n')
                c = get(r);
            if (c == '\n' || c == CH_EOF)
                goto done;
            if (st == S_AFTER_QUOTE || c == '"') {
                if (!deferred) {
                    if (c == '"')
                        err_set(&bad, ERR_INVALID, "field %zu: '\"' inside an unquoted field "
                                "(quote the whole field and write \"\" for a quote)", field);
                    else if (c >= 0x20 && c < 0x7f)
                        err_set(&bad, ERR_INVALID, "field %zu: unexpected '%c' after the "
                                "closing quote", field, c);
                    else
                        err_set(&bad, ERR_INVALID, "field %zu: unexpected byte 0x%02x after "
                                "the closing quote", field, (unsigned)c);
                }
                if (skip_line(r) < 0)
                    return io_error(r, e);
                return refuse(r, &bad, e);
            }
            if (!deferred)
                store(r, (char)c);
            continue;
        case S_QUOTED:
            if (c == CH_EOF) {
                if (!deferred)
                    err_set(&bad, ERR_INVALID, "field %zu: quoted field never closed (the '\"' "
                            "on line %u has no closing quote)", field, quote_line);
                if (r->retain)
                    rewind_to_second_line(r);
                return refuse(r, &bad, e);
            }
            if (c == '"') {
                if (peek(r) == '"')
                    get(r);
                else {
                    st = S_AFTER_QUOTE;
                    continue;
                }
            }
            if (!deferred)
                store(r, (char)c);
            continue;
        }
    }
done:
    r->retain = false;
    if (deferred)
        return refuse(r, &bad, e);
    end_field(r, start);
    xgrow((void **)&r->fields, &r->fields_alloc, r->n_fields, sizeof(*r->fields));
    for (size_t i = 0; i < r->n_fields; i++) {
        r->fields[i].ptr = r->data + r->spans[2 * i];
        r->fields[i].len = r->spans[2 * i + 1];
    }
    ret_row->fields = r->fields;
    ret_row->n = r->n_fields;
    return 1;
}
