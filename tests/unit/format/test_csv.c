/* test_csv.c: the incremental RFC 4180 reader: quoting, line ends, BOM, line numbers, the
 * 1 MiB limit and skipping malformed rows. */
#define _POSIX_C_SOURCE 200809L
#include "core/xalloc.h"
#include "format/csv.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* A temporary file holding len bytes of s, positioned at its start. */
static FILE *file_of(const char *s, size_t len)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(s, 1, len, f), len);
    rewind(f);
    return f;
}

static FILE *text(const char *s)
{
    return file_of(s, strlen(s));
}

/* Reads a row and checks its fields (a NULL-terminated list) and first line. */
static void expect_row(struct csv_reader *r, unsigned line, const char *const *want)
{
    struct err e = ERR_INIT;
    struct csv_row row;
    int rc = csv_next(r, &row, &e);
    cr_assert_eq(rc, 1, "expected a row at line %u, got %d (%s)", line, rc, e.msg);
    size_t n = 0;
    while (want[n])
        n++;
    cr_assert_eq(row.n, n, "line %u: %zu fields, expected %zu", line, row.n, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(row.fields[i].len, strlen(want[i]), "line %u field %zu: length %zu",
                     line, i + 1, row.fields[i].len);
        cr_assert_eq(memcmp(row.fields[i].ptr, want[i], row.fields[i].len), 0,
                     "line %u field %zu: '%s', expected '%s'", line, i + 1, row.fields[i].ptr,
                     want[i]);
        cr_assert_eq(row.fields[i].ptr[row.fields[i].len], '\0');
    }
    cr_assert_eq(csv_row_line(r), line);
}

#define ROW(r, line, ...) expect_row(r, line, (const char *const[]){__VA_ARGS__, NULL})

static void expect_bad(struct csv_reader *r, unsigned line, const char *why)
{
    struct err e = ERR_INIT;
    struct csv_row row;
    int rc = csv_next(r, &row, &e);
    cr_assert_eq(rc, ERR_INVALID, "expected a refused row at line %u, got %d", line, rc);
    cr_assert_eq(e.line, line, "error at line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert_eq(csv_row_line(r), line);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void expect_end(struct csv_reader *r)
{
    struct err e = ERR_INIT;
    struct csv_row row;
    cr_assert_eq(csv_next(r, &row, &e), 0, "expected the end, got more (%s)", e.msg);
    cr_assert_eq(csv_next(r, &row, &e), 0, "the end must stay the end");
}

/* Reads the whole of s, expecting only good rows; returns how many. */
static size_t count_rows(FILE *f)
{
    struct csv_reader r;
    csv_reader_init(&r, f);
    struct csv_row row;
    struct err e = ERR_INIT;
    size_t n = 0;
    int rc;
    while ((rc = csv_next(&r, &row, &e)) == 1)
        n++;
    cr_assert_eq(rc, 0, "%s", e.msg);
    csv_reader_release(&r);
    return n;
}

Test(format_csv, plain_rows_with_lf)
{
    FILE *f = text("a,b,c\n1,2,3\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    cr_assert_eq(csv_row_line(&r), 0);
    ROW(&r, 1, "a", "b", "c");
    ROW(&r, 2, "1", "2", "3");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, crlf_bom_and_last_line_without_newline)
{
    FILE *f = text("\xEF\xBB\xBFtime,value\r\n2026-03-04,1\r\n2026-03-05,2");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "time", "value");
    ROW(&r, 2, "2026-03-04", "1");
    ROW(&r, 3, "2026-03-05", "2");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, bom_only_at_the_start)
{
    FILE *f = text("a\n\xEF\xBB\xBF" "b\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a");
    ROW(&r, 2, "\xEF\xBB\xBF" "b");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, quoted_fields)
{
    FILE *f = text("id,text\n"
                   "1,\"a, b\"\n"
                   "2,\"she said \"\"hi\"\"\"\n"
                   "3,\"two\nlines\"\n"
                   "4,\"\"\n"
                   "5,\"crlf\r\ninside\"\r\n"
                   "6,after\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "id", "text");
    ROW(&r, 2, "1", "a, b");
    ROW(&r, 3, "2", "she said \"hi\"");
    ROW(&r, 4, "3", "two\nlines");
    ROW(&r, 6, "4", "");
    ROW(&r, 7, "5", "crlf\r\ninside");
    ROW(&r, 9, "6", "after");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, empty_fields_and_blank_lines)
{
    FILE *f = text("\n,\na,,b,\n\r\n\n\"\"\nlast,\n\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 2, "", "");
    ROW(&r, 3, "a", "", "b", "");
    ROW(&r, 6, "");
    ROW(&r, 7, "last", "");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, empty_file_and_only_blank_lines)
{
    FILE *f = text("");
    struct csv_reader r;
    csv_reader_init(&r, f);
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);

    f = text("\n\r\n\n");
    csv_reader_init(&r, f);
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);

    f = text("\xEF\xBB\xBF");
    csv_reader_init(&r, f);
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, lone_cr_is_data)
{
    FILE *f = text("a\rb,c\r");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a\rb", "c\r");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, stray_quote_skips_the_line)
{
    FILE *f = text("a,b\nx,y\"z,w\nc,d\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    expect_bad(&r, 2, "field 2: '\"' inside an unquoted field");
    ROW(&r, 3, "c", "d");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, text_after_closing_quote_skips_the_line)
{
    FILE *f = text("\"a\"b,c\n\"ok\",\"x\" \n1,2\n\"a\"\t\n3");
    struct csv_reader r;
    csv_reader_init(&r, f);
    expect_bad(&r, 1, "field 1: unexpected 'b' after the closing quote");
    expect_bad(&r, 2, "field 2: unexpected ' ' after the closing quote");
    ROW(&r, 3, "1", "2");
    expect_bad(&r, 4, "unexpected byte 0x09");
    ROW(&r, 5, "3");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, stray_quote_in_a_multiline_record_reports_its_first_line)
{
    FILE *f = text("1,\"two\nlines\"x,3\n4,5\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    expect_bad(&r, 1, "field 2: unexpected 'x'");
    ROW(&r, 3, "4", "5");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, unterminated_quote_restarts_at_the_next_line)
{
    FILE *f = text("a,b\n1,\"x\n2,y\n3,z");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    expect_bad(&r, 2, "field 2: quoted field never closed (the '\"' on line 2");
    ROW(&r, 3, "2", "y");
    ROW(&r, 4, "3", "z");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, unterminated_quote_on_the_last_line)
{
    FILE *f = text("a\n\"open");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a");
    expect_bad(&r, 2, "never closed");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, nul_byte_refuses_the_whole_record)
{
    static const char s[] = "a,b\nx,y\0z\n\"q\0\nstill q\",1\nc,d\n";
    FILE *f = file_of(s, sizeof(s) - 1);
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    expect_bad(&r, 2, "field 2: NUL byte on line 2");
    /* The quoted line end still counts: the record of lines 3-4 is skipped whole. */
    expect_bad(&r, 3, "field 1: NUL byte on line 3");
    ROW(&r, 5, "c", "d");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, first_fault_wins)
{
    static const char s[] = "x\0,\"y\"z\nok\n";
    FILE *f = file_of(s, sizeof(s) - 1);
    struct csv_reader r;
    csv_reader_init(&r, f);
    expect_bad(&r, 1, "field 1: NUL byte");
    ROW(&r, 2, "ok");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

/* A file: "a,b\n", a record of n bytes (a field of 'x's, quoted when quoted), "\nc,d\n". */
static FILE *big_record(size_t n, bool quoted, bool newlines)
{
    size_t len = 4 + n + 5;
    char *s = xmalloc(len);
    memcpy(s, "a,b\n", 4);
    memset(s + 4, 'x', n);
    if (quoted) {
        s[4] = '"';
        s[4 + n - 1] = '"';
    }
    if (newlines)
        for (size_t i = 4 + 1000; i < 4 + n - 2; i += 100000)
            s[i] = '\n';
    memcpy(s + 4 + n, "\nc,d\n", 5);
    FILE *f = file_of(s, len);
    free(s);
    return f;
}

Test(format_csv, record_of_exactly_1_mib_is_accepted)
{
    FILE *f = big_record(CSV_RECORD_MAX, false, false);
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    struct err e = ERR_INIT;
    struct csv_row row;
    cr_assert_eq(csv_next(&r, &row, &e), 1, "%s", e.msg);
    cr_assert_eq(row.n, 1);
    cr_assert_eq(row.fields[0].len, CSV_RECORD_MAX);
    ROW(&r, 3, "c", "d");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, record_over_1_mib_is_refused_and_skipped)
{
    FILE *f = big_record(CSV_RECORD_MAX + 1, false, false);
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    expect_bad(&r, 2, "field 1: record longer than 1048576 bytes");
    ROW(&r, 3, "c", "d");
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, quoted_record_over_1_mib_is_skipped_to_its_end)
{
    /* 3 MiB in one quoted field spanning many lines: skipped whole, then the next row. */
    FILE *f = big_record(3 * CSV_RECORD_MAX, true, true);
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a", "b");
    expect_bad(&r, 2, "record longer than");
    /* Memory stays bounded by the limit, not by the 3 MiB record. */
    cr_assert_leq(r.in_alloc, 2 * CSV_RECORD_MAX, "read buffer %zu", r.in_alloc);
    cr_assert_leq(r.data_alloc, 2 * CSV_RECORD_MAX, "field buffer %zu", r.data_alloc);
    struct err e = ERR_INIT;
    struct csv_row row;
    cr_assert_eq(csv_next(&r, &row, &e), 1, "%s", e.msg);
    cr_assert_eq(row.n, 2);
    cr_assert_str_eq(row.fields[0].ptr, "c");
    cr_assert_eq(csv_row_line(&r), 3 + 32); /* 32 newlines inside the quoted field */
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, records_cross_read_buffer_boundaries)
{
    /* Rows of varying length (quoted fields with "" and CRLF line ends) over ~1 MB, so that
     * every construct lands on a 64 KiB boundary somewhere; each row is checked. */
    struct csv_reader r;
    char *s = xmalloc(2 << 20);
    size_t len = 0;
    for (int i = 0; i < 20000; i++)
        len += (size_t)snprintf(s + len, 64, "%d,\"q\"\"%d\",\"l\r\n%d\"\r\n", i, i % 7, i);
    FILE *f = file_of(s, len);
    free(s);
    csv_reader_init(&r, f);
    for (int i = 0; i < 20000; i++) {
        char a[16], b[16], c[16];
        snprintf(a, sizeof(a), "%d", i);
        snprintf(b, sizeof(b), "q\"%d", i % 7);
        snprintf(c, sizeof(c), "l\r\n%d", i);
        ROW(&r, (unsigned)(2 * i + 1), a, b, c);
    }
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, unterminated_quote_restart_after_refills)
{
    /* The open quote is followed by 200 KB of lines: more than the read buffer holds at once,
     * so the record is re-read from the kept bytes. */
    struct csv_reader r;
    size_t n = 20000;
    char *s = xmalloc(16 * n + 16);
    size_t len = (size_t)snprintf(s, 16, "h\n\"open\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, 16, "%zu,x\n", i);
    FILE *f = file_of(s, len);
    free(s);
    csv_reader_init(&r, f);
    ROW(&r, 1, "h");
    expect_bad(&r, 2, "never closed");
    for (size_t i = 0; i < n; i++) {
        char a[24];
        snprintf(a, sizeof(a), "%zu", i);
        ROW(&r, (unsigned)(3 + i), a, "x");
    }
    expect_end(&r);
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, memory_stream_and_many_rows)
{
    static char data[] = "k,v\n1,2\n3,4\n";
    FILE *f = fmemopen(data, sizeof(data) - 1, "r");
    cr_assert_not_null(f);
    cr_assert_eq(count_rows(f), 3);
    fclose(f);

    FILE *g = tmpfile();
    for (int i = 0; i < 100000; i++)
        fprintf(g, "%d,value %d,\"q\"\n", i, i);
    rewind(g);
    cr_assert_eq(count_rows(g), 100000);
    fclose(g);
}

Test(format_csv, release_twice_and_reinit)
{
    FILE *f = text("a\n");
    struct csv_reader r;
    csv_reader_init(&r, f);
    ROW(&r, 1, "a");
    csv_reader_release(&r);
    csv_reader_release(&r);
    rewind(f);
    csv_reader_init(&r, f);
    ROW(&r, 1, "a");
    csv_reader_release(&r);
    fclose(f);
}

Test(format_csv, read_error_is_err_io)
{
    FILE *f = fopen("/", "r"); /* a directory: opening works, reading fails with EISDIR */
    cr_assert_not_null(f);
    struct csv_reader r;
    csv_reader_init(&r, f);
    struct err e = ERR_INIT;
    struct csv_row row;
    cr_assert_eq(csv_next(&r, &row, &e), ERR_IO);
    cr_assert(strstr(e.msg, "cannot read") != NULL, "%s", e.msg);
    csv_reader_release(&r);
    fclose(f);
}
