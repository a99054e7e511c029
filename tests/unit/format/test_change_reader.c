/* test_change_reader.c: changes from JSON Lines and CSV: required fields, the kind
 * vocabulary, segments, header mapping and skipping bad records. */
#define _POSIX_C_SOURCE 200809L
#include "format/change_reader.h"

#include <criterion/criterion.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static FILE *text(const char *s)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    size_t len = strlen(s);
    cr_assert_eq(fwrite(s, 1, len, f), len);
    rewind(f);
    return f;
}

static FILE *open_ok(struct change_reader *r, const char *s, enum change_format fmt)
{
    FILE *f = text(s);
    struct err e = ERR_INIT;
    cr_assert_eq(change_reader_open(r, f, fmt, &e), ERR_OK, "open failed: %s", e.msg);
    return f;
}

static void open_bad(const char *s, enum change_format fmt, unsigned line, const char *why)
{
    FILE *f = text(s);
    struct err e = ERR_INIT;
    struct change_reader r;
    cr_assert_eq(change_reader_open(&r, f, fmt, &e), ERR_INVALID, "open should fail");
    cr_assert_eq(e.line, line, "line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
    change_reader_release(&r);
    fclose(f);
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

/* Expects a change at line with these fields (NULL for absent). */
static void expect_change(struct change_reader *r, unsigned line, const char *id, int64_t ts,
                          const char *kind, const char *service, const char *version,
                          const char *description, const char *segment)
{
    struct err e = ERR_INIT;
    struct change_record c;
    int rc = change_reader_next(r, &c, &e);
    cr_assert_eq(rc, 1, "line %u: expected a change, got %d (%s)", line, rc, e.msg);
    cr_assert_eq(change_reader_line(r), line);
    str_or_null(c.id, id, "id");
    cr_assert_eq(c.ts_ms, ts);
    str_or_null(c.kind, kind, "kind");
    str_or_null(c.service, service, "service");
    str_or_null(c.version, version, "version");
    str_or_null(c.description, description, "description");
    str_or_null(c.segment, segment, "segment");
}

static void expect_bad(struct change_reader *r, unsigned line, const char *why)
{
    struct err e = ERR_INIT;
    struct change_record c;
    int rc = change_reader_next(r, &c, &e);
    cr_assert_eq(rc, ERR_INVALID, "line %u: expected a refusal ('%s'), got %d", line, why, rc);
    cr_assert_eq(e.line, line, "error at line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void expect_end(struct change_reader *r)
{
    struct err e = ERR_INIT;
    struct change_record c;
    cr_assert_eq(change_reader_next(r, &c, &e), 0, "expected the end (%s)", e.msg);
    cr_assert_eq(change_reader_next(r, &c, &e), 0);
}

Test(format_changes, jsonl_records)
{
    struct change_reader r;
    FILE *f = open_ok(&r,
        "{\"id\":\"d-1\",\"timestamp\":\"2026-03-04T12:00:00Z\",\"kind\":\"deploy\","
        "\"service\":\"payments\",\"version\":\"5.2.0\",\"description\":\"new retry policy\","
        "\"segment\":\"platform=android,app_version=5.2\"}\n"
        "\n"
        "{\"id\":\"f-7\",\"timestamp\":1772625660,\"kind\":\"FLAG\",\"service\":\"\","
        "\"version\":null,\"other\":1}\n"
        "{\"id\":\"c\",\"timestamp\":1772625600000,\"kind\":\"Incident-Response\","
        "\"segment\":\"a=\"}\n", CF_JSONL);
    expect_change(&r, 1, "d-1", T0, "deploy", "payments", "5.2.0", "new retry policy",
                  "platform=android,app_version=5.2");
    expect_change(&r, 3, "f-7", T0 + 60000, "flag", NULL, NULL, NULL, NULL);
    expect_change(&r, 4, "c", T0, "incident-response", NULL, NULL, NULL, "a=");
    expect_end(&r);
    change_reader_release(&r);
    fclose(f);
}

Test(format_changes, jsonl_bad_records)
{
    struct change_reader r;
    FILE *f = open_ok(&r,
        "{\"timestamp\":1772625600,\"kind\":\"deploy\"}\n"
        "{\"id\":\"\",\"timestamp\":1772625600,\"kind\":\"deploy\"}\n"
        "{\"id\":\"x\",\"kind\":\"deploy\"}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600,\"kind\":\"rollout\"}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600,\"kind\":\"deploy\",\"segment\":\"android\"}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600,\"kind\":\"deploy\",\"segment\":\"=a\"}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600,\"kind\":\"deploy\",\"segment\":\"a=b,\"}\n"
        "{\"id\":\"x\",\"timestamp\":1772625600,\"kind\":\"deploy\",\"segment\":\"a=b, c=d\"}\n"
        "{\"id\":7,\"timestamp\":1772625600,\"kind\":\"deploy\"}\n"
        "{\"id\":\"x\",\"timestamp\":\"soon\",\"kind\":\"deploy\"}\n"
        "{\"id\":\"ok\",\"timestamp\":1772625600,\"kind\":\"config\"}\n", CF_JSONL);
    expect_bad(&r, 1, "missing field 'id'");
    expect_bad(&r, 2, "field 'id': empty");
    expect_bad(&r, 3, "missing field 'timestamp'");
    expect_bad(&r, 4, "missing field 'kind'");
    expect_bad(&r, 5, "field 'kind': unknown kind 'rollout' (expected deploy, flag, config or "
               "incident-response)");
    expect_bad(&r, 6, "field 'segment': 'android' in 'android' is not key=value");
    expect_bad(&r, 7, "field 'segment': empty key in '=a'");
    expect_bad(&r, 8, "field 'segment': '' in 'a=b,' is not key=value");
    expect_bad(&r, 9, "field 'segment': key ' c' in 'a=b, c=d' holds a space");
    expect_bad(&r, 10, "field 'id': expected a string, got a number");
    expect_bad(&r, 11, "field 'timestamp': invalid time 'soon'");
    expect_change(&r, 12, "ok", T0, "config", NULL, NULL, NULL, NULL);
    expect_end(&r);
    change_reader_release(&r);
    fclose(f);
}

Test(format_changes, csv_records)
{
    struct change_reader r;
    FILE *f = open_ok(&r,
        "\xEF\xBB\xBFKind,ID,Timestamp,Service,Notes,Description,segment\r\n"
        "deploy,d-1,2026-03-04T12:00:00Z,payments,ignored,\"multi\r\nline, with comma\","
        "\"platform=android,app_version=5.2\"\r\n"
        "flag,f-1,1772625660,,,,\r\n", CF_CSV);
    expect_change(&r, 2, "d-1", T0, "deploy", "payments", NULL, "multi\r\nline, with comma",
                  "platform=android,app_version=5.2");
    expect_change(&r, 4, "f-1", T0 + 60000, "flag", NULL, NULL, NULL, NULL);
    expect_end(&r);
    change_reader_release(&r);
    fclose(f);
}

Test(format_changes, csv_bad_rows)
{
    struct change_reader r;
    FILE *f = open_ok(&r,
        "id,timestamp,kind,segment\n"
        ",1772625600,deploy,\n"
        "x,,deploy,\n"
        "x,2026-02-30,deploy,\n"
        "x,1772625600,Rollback,\n"
        "x,1772625600,deploy,k\n"
        "x,1772625600,deploy\n"
        "x,1772625600,\"deploy\n"
        "y,1772625600,deploy,\n", CF_CSV);
    expect_bad(&r, 2, "column 'id': empty");
    expect_bad(&r, 3, "column 'timestamp': empty");
    expect_bad(&r, 4, "column 'timestamp': invalid time '2026-02-30': day out of range");
    expect_bad(&r, 5, "column 'kind': unknown kind 'Rollback'");
    expect_bad(&r, 6, "column 'segment': 'k' in 'k' is not key=value");
    expect_bad(&r, 7, "expected 4 columns like the header, got 3");
    expect_bad(&r, 8, "field 3: quoted field never closed");
    expect_change(&r, 9, "y", T0, "deploy", NULL, NULL, NULL, NULL);
    expect_end(&r);
    change_reader_release(&r);
    fclose(f);
}

Test(format_changes, csv_bad_headers)
{
    open_bad("", CF_CSV, 1, "empty file: expected a header row");
    open_bad("id,timestamp\n", CF_CSV, 1, "header: missing column 'kind' (required: id, "
             "timestamp, kind)");
    open_bad("id,timestamp,kind,ID\n", CF_CSV, 1, "header: column 'id' appears twice (columns 1 "
             "and 4)");
    open_bad("\nid,\"time\"stamp,kind\n", CF_CSV, 2, "field 2: unexpected 's'");
}

Test(format_changes, segment_check)
{
    struct err e = ERR_INIT;
    cr_assert_eq(change_segment_check("segment", "a=b", &e), ERR_OK);
    cr_assert_eq(change_segment_check("segment", "a=b,c=d,e=", &e), ERR_OK);
    cr_assert_eq(change_segment_check("segment", "a=b=c", &e), ERR_OK);
    cr_assert_eq(change_segment_check("segment", "", &e), ERR_INVALID);
    cr_assert_eq(change_segment_check("segment", ",a=b", &e), ERR_INVALID);
    cr_assert_eq(change_segment_check("segment", "a\tb=c", &e), ERR_INVALID);
}

Test(format_changes, read_errors_are_err_io)
{
    FILE *f = fopen("/", "r"); /* a directory: reading fails with EISDIR */
    cr_assert_not_null(f);
    struct change_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(change_reader_open(&r, f, CF_CSV, &e), ERR_IO, "%s", e.msg);
    change_reader_release(&r);
    cr_assert_eq(change_reader_open(&r, f, CF_JSONL, &e), ERR_OK);
    struct change_record c;
    cr_assert_eq(change_reader_next(&r, &c, &e), ERR_IO, "%s", e.msg);
    change_reader_release(&r);
    fclose(f);
}
