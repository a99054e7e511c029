/* csv.h: an incremental RFC 4180 CSV reader over a FILE*.
 *
 * Reads one record (row) per call. Accepted: fields separated by ',', records ended by LF or
 * CRLF (a final record may lack its line end), quoted fields ("a,b") holding commas, line
 * ends and "" for a quote; a UTF-8 byte order mark at the start of the file is skipped. A
 * blank line (nothing between two line ends) is skipped rather than read as a row with one
 * empty field; a line `""` is such a row. A CR not followed by LF is an ordinary byte; inside
 * quotes line ends are kept as written (CRLF stays CRLF).
 *
 * Refused, as ERR_INVALID for that row only (see csv_next): an unterminated quoted field, a
 * '"' inside an unquoted field, anything but ',' or a line end after a closing quote, a NUL
 * byte, a record longer than CSV_RECORD_MAX bytes as written.
 *
 * Memory: the reader holds at most one record (as written, plus its decoded fields) and a
 * 64 KiB read buffer, whatever the size of the file. */
#ifndef FORMAT_CSV_H
#define FORMAT_CSV_H

#include "core/common.h"
#include "core/err.h"

#include <stdio.h>

#define CSV_RECORD_MAX ((size_t)1 << 20) /* 1 MiB */

/* A field of the current row: len bytes at ptr, followed by a NUL (ptr[len] == '\0'; since
 * NUL bytes are refused, ptr is also a C string). */
struct csv_field {
    const char *ptr;
    size_t len;
};

struct csv_row {
    const struct csv_field *fields;
    size_t n; /* >= 1 */
};

/* Caller-allocated; all fields private. */
struct csv_reader {
    FILE *f;              /* borrowed: the caller opens and closes it */
    char *in;             /* read buffer: bytes [0, in_len), next byte at in_pos */
    size_t in_len, in_pos, in_alloc;
    size_t row_start;     /* offset in `in` of the current record while `retain` */
    bool retain;          /* keep the bytes of the current record (for re-reading) */
    bool eof, started;
    unsigned line;        /* physical line of in_pos, from 1 */
    unsigned row_line;    /* first physical line of the last record */
    size_t raw;           /* bytes of the current record read so far */
    char *data;           /* the decoded fields, each followed by a NUL */
    size_t data_len, data_alloc;
    size_t *spans;        /* per field: start offset in data, then length */
    struct csv_field *fields;
    size_t n_fields, spans_alloc, fields_alloc;
};

/* Prepares r to read f from its current position. Allocates nothing yet. */
void csv_reader_init(struct csv_reader *r, FILE *f);
/* Frees the buffers (not f). r may be initialised again afterwards. */
void csv_reader_release(struct csv_reader *r);

/* Reads the next record. Returns 1 with *ret_row set (its views are valid until the next call
 * or csv_reader_release), 0 at the end of the file, ERR_INVALID for a malformed record (e->line
 * is the record's first physical line and the message names the field and the fault), or
 * ERR_IO when reading fails. After ERR_INVALID the reader is positioned after the bad record
 * and the caller may call again to skip it: after a stray quote or text after a closing quote,
 * at the line following the one where the fault is; after a NUL byte or a record too long,
 * after the end of that record (quotes still count); after a quote left open at the end of
 * the file, at the line after the record's first line (so that one stray quote does not
 * swallow the rest of the file). When a record has several faults the message names the
 * first. After ERR_IO, stop. */
int csv_next(struct csv_reader *r, struct csv_row *ret_row, struct err *e);

/* The first physical line (from 1) of the record last returned or refused; 0 before any. */
unsigned csv_row_line(const struct csv_reader *r);

#endif
