/* test_log_reader.c: JSON Lines logs: field aliases, line numbers, skipping bad lines, the
 * 1 MiB line limit. */
#define _POSIX_C_SOURCE 200809L
#include "core/xalloc.h"
#include "format/log_reader.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

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

static void str_or_null(const char *got, const char *want, const char *what)
{
    if (!want)
        cr_assert_null(got, "%s: expected NULL, got '%s'", what, got);
    else {
        cr_assert_not_null(got, "%s: expected '%s', got NULL", what, want);
        cr_assert_str_eq(got, want, "%s", what);
    }
}

static void expect_log(struct log_reader *r, unsigned line, int64_t ts, const char *level,
                       const char *service, const char *message, const char *trace)
{
    struct err e = ERR_INIT;
    struct log_record l;
    int rc = log_reader_next(r, &l, &e);
    cr_assert_eq(rc, 1, "line %u: expected a record, got %d (%s)", line, rc, e.msg);
    cr_assert_eq(log_reader_line(r), line, "line %u, expected %u", log_reader_line(r), line);
    cr_assert_eq(l.ts_ms, ts, "line %u: ts %lld", line, (long long)l.ts_ms);
    str_or_null(l.level, level, "level");
    str_or_null(l.service, service, "service");
    str_or_null(l.message, message, "message");
    str_or_null(l.trace_id, trace, "trace_id");
}

static void expect_bad(struct log_reader *r, unsigned line, const char *why)
{
    struct err e = ERR_INIT;
    struct log_record l;
    int rc = log_reader_next(r, &l, &e);
    cr_assert_eq(rc, ERR_INVALID, "line %u: expected a refusal ('%s'), got %d", line, why, rc);
    cr_assert_eq(e.line, line, "error at line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void expect_end(struct log_reader *r)
{
    struct err e = ERR_INIT;
    struct log_record l;
    cr_assert_eq(log_reader_next(r, &l, &e), 0, "expected the end (%s)", e.msg);
    cr_assert_eq(log_reader_next(r, &l, &e), 0);
}

Test(format_logs, fields_and_aliases)
{
    FILE *f = text(
        "{\"timestamp\":\"2026-03-04T12:00:00Z\",\"level\":\"ERROR\",\"service\":\"payments\","
        "\"message\":\"card declined\",\"trace_id\":\"abc\"}\n"
        "{\"time\":1772625601,\"severity\":\"Warn\",\"msg\":\"slow\",\"traceId\":\"t2\"}\n"
        "{\"ts\":1772625602500,\"msg\":\"\"}\n"
        "{\"@timestamp\":1772625603.25,\"message\":\"x\",\"level\":null,\"service\":\"\","
        "\"trace_id\":null,\"extra\":{\"a\":[1]}}\n"
        "{\"timestamp\":\"2026-03-04T12:00:04Z\",\"time\":\"bogus\",\"message\":\"m\","
        "\"msg\":\"ignored\"}\n");
    struct log_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(log_reader_open(&r, f, &e), ERR_OK);
    cr_assert_eq(log_reader_line(&r), 0);
    expect_log(&r, 1, T0, "error", "payments", "card declined", "abc");
    expect_log(&r, 2, T0 + 1000, "warn", NULL, "slow", "t2");
    expect_log(&r, 3, T0 + 2500, NULL, NULL, "", NULL);
    expect_log(&r, 4, T0 + 3250, NULL, NULL, "x", NULL);
    expect_log(&r, 5, T0 + 4000, NULL, NULL, "m", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, blank_lines_crlf_bom_and_last_line)
{
    FILE *f = text("\xEF\xBB\xBF{\"ts\":1772625600,\"msg\":\"a\"}\r\n"
                   "\r\n"
                   "   \t\n"
                   "\n"
                   "{\"ts\":1772625601,\"msg\":\"b\"}");
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_log(&r, 1, T0, NULL, NULL, "a", NULL);
    expect_log(&r, 5, T0 + 1000, NULL, NULL, "b", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, bad_lines_are_skipped)
{
    FILE *f = text("{\"ts\":1772625600}\n"
                   "{\"message\":\"no time\"}\n"
                   "{\"ts\":\"2026-13-01\",\"msg\":\"m\"}\n"
                   "{\"ts\":1772625600,\"msg\":5}\n"
                   "{\"ts\":1772625600,\"msg\":\"m\",\"level\":[]}\n"
                   "{\"ts\":{},\"msg\":\"m\"}\n"
                   "not json\n"
                   "[1,2]\n"
                   "{\"ts\":1772625600,\"msg\":\"m\",\"msg\":\"dup\"}\n"
                   "{\"ts\":1772625600,\"msg\":\"ok\"}\n"
                   "{\"ts\":1772625600,\"msg\":\"trailing\"} x\n");
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_bad(&r, 1, "missing field 'message' (or 'msg')");
    expect_bad(&r, 2, "missing field 'timestamp' (or 'time', 'ts', '@timestamp')");
    expect_bad(&r, 3, "field 'ts': invalid time '2026-13-01': month out of range");
    expect_bad(&r, 4, "field 'msg': expected a string, got a number");
    expect_bad(&r, 5, "field 'level': expected a string, got an array");
    expect_bad(&r, 6, "field 'ts': expected a time (a string or a number), got an object");
    expect_bad(&r, 7, "invalid JSON");
    expect_bad(&r, 8, "expected a JSON object, got an array");
    expect_bad(&r, 9, "invalid JSON: duplicate object key");
    expect_log(&r, 10, T0, NULL, NULL, "ok", NULL);
    expect_bad(&r, 11, "invalid JSON");
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, nul_byte_in_a_line_is_refused)
{
    static const char s[] = "{\"ts\":1772625600,\"msg\":\"a\0b\"}\n{\"ts\":1772625600,\"msg\":\"c\"}";
    FILE *f = file_of(s, sizeof(s) - 1);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_bad(&r, 1, "invalid JSON");
    expect_log(&r, 2, T0, NULL, NULL, "c", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

/* A file whose second line is a valid record padded with spaces to total bytes. */
static FILE *long_line(size_t total)
{
    static const char head[] = "{\"ts\":1772625600,\"msg\":\"first\"}\n";
    static const char rec[] = "{\"ts\":1772625601,\"msg\":\"long\"}";
    static const char tail[] = "\n{\"ts\":1772625602,\"msg\":\"after\"}\n";
    size_t len = sizeof(head) - 1 + total + sizeof(tail) - 1;
    char *s = xmalloc(len);
    char *p = s;
    memcpy(p, head, sizeof(head) - 1);
    p += sizeof(head) - 1;
    memcpy(p, rec, sizeof(rec) - 1);
    memset(p + sizeof(rec) - 1, ' ', total - (sizeof(rec) - 1));
    p += total;
    memcpy(p, tail, sizeof(tail) - 1);
    FILE *f = file_of(s, len);
    free(s);
    return f;
}

Test(format_logs, line_of_exactly_1_mib_is_read)
{
    FILE *f = long_line(JSONL_LINE_MAX);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_log(&r, 1, T0, NULL, NULL, "first", NULL);
    expect_log(&r, 2, T0 + 1000, NULL, NULL, "long", NULL);
    expect_log(&r, 3, T0 + 2000, NULL, NULL, "after", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, line_over_1_mib_is_refused_and_skipped)
{
    FILE *f = long_line(JSONL_LINE_MAX + 1);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_log(&r, 1, T0, NULL, NULL, "first", NULL);
    expect_bad(&r, 2, "line longer than 1048576 bytes");
    expect_log(&r, 3, T0 + 2000, NULL, NULL, "after", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, huge_line_is_not_kept)
{
    /* 8 MiB on one line: refused, and the reader's buffer stays at the limit. */
    FILE *f = long_line(8 * JSONL_LINE_MAX);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_log(&r, 1, T0, NULL, NULL, "first", NULL);
    expect_bad(&r, 2, "line longer than");
    cr_assert_leq(r.lines.alloc, 2 * JSONL_LINE_MAX);
    expect_log(&r, 3, T0 + 2000, NULL, NULL, "after", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, empty_file_and_memory_stream)
{
    static char data[] = "{\"ts\":1772625600,\"msg\":\"m\",\"level\":\"INFO\"}\n\n";
    FILE *f = fmemopen(data, strlen(data), "r");
    cr_assert_not_null(f);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    expect_log(&r, 1, T0, "info", NULL, "m", NULL);
    expect_end(&r);
    log_reader_release(&r);
    fclose(f);

    f = text("");
    log_reader_open(&r, f, NULL);
    expect_end(&r);
    log_reader_release(&r);
    log_reader_release(&r);
    fclose(f);
}

Test(format_logs, read_error_is_err_io)
{
    FILE *f = fopen("/", "r"); /* a directory: opening works, reading fails with EISDIR */
    cr_assert_not_null(f);
    struct log_reader r;
    log_reader_open(&r, f, NULL);
    struct err e = ERR_INIT;
    struct log_record l;
    cr_assert_eq(log_reader_next(&r, &l, &e), ERR_IO);
    cr_assert(strstr(e.msg, "cannot read") != NULL, "%s", e.msg);
    log_reader_release(&r);
    fclose(f);
}
