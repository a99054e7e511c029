/* fuzz_csv.c: libFuzzer target for the incremental CSV reader (format/csv.h).
 *
 * The input is the file, read through fmemopen. Every record is pulled until the end or an
 * I/O error, going on after ERR_INVALID (skip-bad mode).
 *
 * Properties checked (abort() on failure):
 *   - csv_next returns only 1, 0 or ERR_INVALID (fmemopen cannot fail to read);
 *   - every call makes progress: there are at most (input size + 1) calls before the end;
 *   - a row has at least one field; each field holds no NUL, is followed by one, and all
 *     fields of a row together are no longer than the input;
 *   - a refusal carries a message and a line between 1 and the number of lines in the input;
 *     row lines never go backwards;
 *   - round trip: the good rows, written back with every field quoted, read back as exactly
 *     the same rows with no refusal. */
#define _POSIX_C_SOURCE 200809L
#include "core/buf.h"
#include "format/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_csv: %s\n", what);
    abort();
}

static unsigned count_lines(const uint8_t *data, size_t size)
{
    unsigned n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

/* Writes row as a CSV record with every field quoted. */
static void encode(struct buf *out, const struct csv_row *row)
{
    for (size_t i = 0; i < row->n; i++) {
        if (i)
            buf_putc(out, ',');
        buf_putc(out, '"');
        for (size_t k = 0; k < row->fields[i].len; k++) {
            if (row->fields[i].ptr[k] == '"')
                buf_putc(out, '"');
            buf_putc(out, row->fields[i].ptr[k]);
        }
        buf_putc(out, '"');
    }
    buf_puts(out, "\r\n");
}

/* Reads the whole stream; appends the good rows, encoded, to out (when not NULL) or checks
 * them against the records of want (when not NULL). Returns the number of refusals. */
static size_t read_all(FILE *f, size_t size, unsigned lines, struct buf *out,
                       const struct buf *want)
{
    struct csv_reader r;
    csv_reader_init(&r, f);
    struct buf again = BUF_INIT;
    size_t calls = 0, refused = 0;
    unsigned last_line = 0;
    for (;;) {
        if (++calls > size + 2)
            fail("no progress: more calls than input bytes");
        struct err e = ERR_INIT;
        struct csv_row row;
        int rc = csv_next(&r, &row, &e);
        if (rc == 0)
            break;
        if (csv_row_line(&r) < last_line || csv_row_line(&r) < 1)
            fail("row lines went backwards");
        last_line = csv_row_line(&r);
        if (rc == ERR_INVALID) {
            if (!e.msg[0] || e.line < 1 || e.line > lines || e.line != csv_row_line(&r))
                fail("a refusal without a message or with a bad line");
            refused++;
            continue;
        }
        if (rc != 1)
            fail("unexpected return code");
        if (row.n < 1)
            fail("a row without fields");
        size_t total = 0;
        for (size_t i = 0; i < row.n; i++) {
            const struct csv_field *fl = &row.fields[i];
            if (memchr(fl->ptr, '\0', fl->len) || fl->ptr[fl->len] != '\0')
                fail("a field holds a NUL or is not NUL-terminated");
            total += fl->len;
        }
        if (total > size)
            fail("fields longer than the input");
        if (out)
            encode(out, &row);
        if (want)
            encode(&again, &row);
    }
    if (want && (again.len != want->len || memcmp(buf_str(&again), buf_str(want), want->len)))
        fail("round trip: the re-encoded rows read back differently");
    buf_release(&again);
    csv_reader_release(&r);
    return refused;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!f)
        return 0;
    struct buf encoded = BUF_INIT;
    read_all(f, size, count_lines(data, size), &encoded, NULL);
    fclose(f);

    /* Quotes may double a field: keep the copy within the record limit. */
    if (encoded.len > 0 && size <= CSV_RECORD_MAX / 4) {
        FILE *g = fmemopen(encoded.data, encoded.len, "r");
        if (!g)
            fail("fmemopen of the encoded rows");
        if (read_all(g, encoded.len, count_lines((const uint8_t *)encoded.data, encoded.len),
                     NULL, &encoded) != 0)
            fail("round trip: the re-encoded rows were refused");
        fclose(g);
    }
    buf_release(&encoded);
    return 0;
}
