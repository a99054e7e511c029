/* test_event_reader.c: product events from JSON Lines (PostHog and Segment shapes) and CSV:
 * identity precedence, timestamps, flattened properties, string escapes, every refusal of the
 * JSON scanner, line numbers and recovery after bad or overlong lines. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "format/event_reader.h"
#include "format/json_scan.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

/* ---- helpers ---- */

/* A reader on an empty stream, which owns the scratch space of event_parse_json_line. */
struct line_parser {
    char empty[1];
    FILE *f;
    struct event_reader r;
};

static void lp_open(struct line_parser *lp)
{
    lp->f = fmemopen(lp->empty, 0, "r");
    cr_assert_not_null(lp->f, "fmemopen of an empty buffer");
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&lp->r, lp->f, EF_JSONL, &e), ERR_OK, "%s", e.msg);
}

static void lp_close(struct line_parser *lp)
{
    event_reader_release(&lp->r);
    fclose(lp->f);
}

static int parse_n(struct line_parser *lp, const char *line, size_t len,
                   struct event_record *rec, struct err *e)
{
    return event_parse_json_line(&lp->r, line, len, rec, e);
}

/* Parses line (which must be accepted) into *rec. */
static void parse_ok(struct line_parser *lp, const char *line, struct event_record *rec)
{
    struct err e = ERR_INIT;
    int rc = parse_n(lp, line, strlen(line), rec, &e);
    cr_assert_eq(rc, ERR_OK, "line refused: %s\n  %s", e.msg, line);
}

/* Expects line (len bytes) to be refused with a message containing why. */
static void parse_bad_n(struct line_parser *lp, const char *line, size_t len, const char *why)
{
    struct err e = ERR_INIT;
    struct event_record rec;
    int rc = parse_n(lp, line, len, &rec, &e);
    cr_assert_eq(rc, ERR_INVALID, "expected a refusal ('%s') of: %.*s", why, (int)len, line);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert(e.msg[0] != '\0', "a refusal has a message");
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void parse_bad(struct line_parser *lp, const char *line, const char *why)
{
    parse_bad_n(lp, line, strlen(line), why);
}

static bool bytes_eq(const char *p, size_t len, const char *want)
{
    return p && len == strlen(want) && memcmp(p, want, len) == 0;
}

static void expect_bytes(const char *p, size_t len, const char *want, const char *what)
{
    cr_assert(bytes_eq(p, len, want), "%s: '%.*s', expected '%s'", what, (int)len,
              p ? p : "(null)", want);
}

static const struct event_prop *prop(const struct event_record *rec, const char *name)
{
    const struct event_prop *found = NULL;
    for (size_t i = 0; i < rec->n_props; i++) {
        if (bytes_eq(rec->props[i].name, rec->props[i].name_len, name)) {
            cr_assert_null(found, "property '%s' twice", name);
            found = &rec->props[i];
        }
    }
    return found;
}

static void expect_text_prop(const struct event_record *rec, const char *name, const char *want)
{
    const struct event_prop *p = prop(rec, name);
    cr_assert_not_null(p, "property '%s' missing", name);
    cr_assert_not(p->is_number, "property '%s' should be text", name);
    expect_bytes(p->str, p->str_len, want, name);
}

static void expect_num_prop(const struct event_record *rec, const char *name, double want,
                            const char *text)
{
    const struct event_prop *p = prop(rec, name);
    cr_assert_not_null(p, "property '%s' missing", name);
    cr_assert(p->is_number, "property '%s' should be a number", name);
    cr_assert_eq(p->number, want, "property '%s': %g, expected %g", name, p->number, want);
    expect_bytes(p->str, p->str_len, text, name);
}

static int64_t ts_of(struct line_parser *lp, const char *line)
{
    struct event_record rec;
    parse_ok(lp, line, &rec);
    return rec.ts_ms;
}

/* ---- JSON Lines: accepted shapes ---- */

Test(format_events, posthog_line_with_properties)
{
    struct line_parser lp;
    lp_open(&lp);
    struct event_record rec;
    parse_ok(&lp,
             "{\"event\": \"checkout_started\", \"distinct_id\": \"user-17\", "
             "\"timestamp\": \"2026-03-04T12:00:00Z\", \"uuid\": \"0190-aa\", "
             "\"properties\": {\"$browser\": \"Chrome\", \"latency_ms\": 182, "
             "\"price\": -42.5, \"big\": 1.5e3, \"plan\": \"42\", \"$session_id\": \"s-9\"}}",
             &rec);
    expect_bytes(rec.event, rec.event_len, "checkout_started", "event");
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "user-17", "distinct_id");
    cr_assert_eq(rec.ts_ms, T0);
    cr_assert_eq(rec.n_props, 6);
    expect_text_prop(&rec, "$browser", "Chrome");
    expect_num_prop(&rec, "latency_ms", 182, "182");
    expect_num_prop(&rec, "price", -42.5, "-42.5");
    expect_num_prop(&rec, "big", 1500, "1.5e3");
    expect_text_prop(&rec, "plan", "42"); /* a JSON string stays text */
    expect_text_prop(&rec, "$session_id", "s-9");
    cr_assert_null(prop(&rec, "uuid"), "top-level fields other than the known ones are dropped");
    /* The order of the members is kept. */
    expect_bytes(rec.props[0].name, rec.props[0].name_len, "$browser", "first property");
    expect_bytes(rec.props[5].name, rec.props[5].name_len, "$session_id", "last property");
    lp_close(&lp);
}

Test(format_events, properties_optional_and_null)
{
    struct line_parser lp;
    lp_open(&lp);
    struct event_record rec;
    parse_ok(&lp, "{\"event\":\"a\",\"timestamp\":1772625600}", &rec);
    cr_assert_eq(rec.n_props, 0);
    cr_assert_null(rec.distinct_id, "no id: anonymous");
    parse_ok(&lp, "{\"event\":\"a\",\"timestamp\":1772625600,\"properties\":null}", &rec);
    cr_assert_eq(rec.n_props, 0);
    parse_ok(&lp, "{\"event\":\"a\",\"timestamp\":1772625600,\"properties\":{}}", &rec);
    cr_assert_eq(rec.n_props, 0);
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1772625600,\"properties\":[1]}",
              "field 'properties': expected an object");
    /* An empty object followed by more members (the scanner once lost track of the comma). */
    parse_ok(&lp, "{\"properties\":{},\"event\":\"a\",\"timestamp\":1772625600}", &rec);
    cr_assert_eq(rec.n_props, 0);
    parse_ok(&lp, "{\"event\":\"a\",\"properties\":{\"x\":{},\"y\":{\"z\":{}},\"w\":1},"
                  "\"timestamp\":1772625600}", &rec);
    cr_assert_eq(rec.n_props, 1);
    expect_num_prop(&rec, "w", 1, "1");
    parse_bad(&lp, "{\"event\":\"a\",\"properties\":{} \"timestamp\":1772625600}",
              "expected ',' between members");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"x\":{} \"y\":1}}",
              "expected ',' between members");
    lp_close(&lp);
}

Test(format_events, segment_identity_precedence)
{
    struct line_parser lp;
    lp_open(&lp);
    struct event_record rec;
    /* distinct_id > userId > anonymousId, whatever their order in the line. */
    parse_ok(&lp, "{\"anonymousId\":\"anon-1\",\"userId\":\"u-1\",\"distinct_id\":\"d-1\","
                  "\"event\":\"Order Completed\",\"timestamp\":\"2026-03-04T12:00:00Z\"}",
             &rec);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "d-1", "distinct_id wins");
    parse_ok(&lp, "{\"anonymousId\":\"anon-1\",\"userId\":\"u-1\","
                  "\"event\":\"Order Completed\",\"timestamp\":\"2026-03-04T12:00:00Z\"}",
             &rec);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "u-1", "userId over anonymousId");
    parse_ok(&lp, "{\"userId\":null,\"anonymousId\":\"anon-1\","
                  "\"event\":\"Order Completed\",\"timestamp\":\"2026-03-04T12:00:00Z\"}",
             &rec);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "anon-1", "null userId is absent");
    parse_ok(&lp, "{\"event\":\"Order Completed\",\"userId\":12345,"
                  "\"timestamp\":\"2026-03-04T12:00:00Z\"}",
             &rec);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "12345", "numeric ids as their text");
    parse_bad(&lp, "{\"event\":\"a\",\"userId\":{\"x\":1},\"timestamp\":1}",
              "field 'userId': expected a string");
    parse_bad(&lp, "{\"event\":\"a\",\"distinct_id\":true,\"timestamp\":1}",
              "field 'distinct_id': expected a string");
    lp_close(&lp);
}

Test(format_events, epoch_timestamps)
{
    struct line_parser lp;
    lp_open(&lp);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":1772625600}"), T0, "seconds");
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":1772625600250}"), T0 + 250, "ms");
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":1772625600.25}"), T0 + 250,
                 "fractional seconds");
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"1772625600\"}"), T0,
                 "seconds as a string");
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"1772625600250\"}"), T0 + 250,
                 "ms as a string");
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":0}"), 0);
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":true}", "field 'timestamp'");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":\"yesterday\"}", "field 'timestamp'");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":99999999999999999}", "out of range");
    lp_close(&lp);
}

Test(format_events, rfc3339_timestamps_with_offsets)
{
    struct line_parser lp;
    lp_open(&lp);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04T12:00:00Z\"}"), T0);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04T13:00:00+01:00\"}"), T0);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04T06:30:00-05:30\"}"), T0);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04T12:00:00.125Z\"}"),
                 T0 + 125);
    cr_assert_eq(ts_of(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04\"}"), T0 - 12 * 3600000);
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":\"2026-03-04T12:00:00\"}", "field 'timestamp'");
    lp_close(&lp);
}

Test(format_events, nested_properties_flattened)
{
    struct line_parser lp;
    lp_open(&lp);
    struct event_record rec;
    parse_ok(&lp,
             "{\"event\":\"app_open\",\"timestamp\":1772625600,\"properties\":{"
             "\"device\":{\"model\":\"Pixel 8\",\"os\":{\"name\":\"android\",\"version\":14}},"
             "\"tags\":[\"a\", \"b\",{\"c\":1}],\"empty\":[],\"ok\":true,\"bad\":false,"
             "\"gone\":null,\"device2\":{},\"after\":\"x\"}}",
             &rec);
    cr_assert_eq(rec.n_props, 8, "got %zu properties", rec.n_props);
    expect_text_prop(&rec, "device.model", "Pixel 8");
    expect_text_prop(&rec, "device.os.name", "android");
    expect_num_prop(&rec, "device.os.version", 14, "14");
    expect_text_prop(&rec, "tags", "[\"a\", \"b\",{\"c\":1}]");
    expect_text_prop(&rec, "empty", "[]");
    expect_text_prop(&rec, "ok", "true");
    expect_text_prop(&rec, "bad", "false");
    expect_text_prop(&rec, "after", "x");
    cr_assert_null(prop(&rec, "gone"), "null is absent");
    cr_assert_null(prop(&rec, "device"));
    cr_assert_null(prop(&rec, "device2"), "an empty object adds nothing");
    lp_close(&lp);
}

Test(format_events, string_escapes_decoded)
{
    struct line_parser lp;
    lp_open(&lp);
    struct event_record rec;
    parse_ok(&lp,
             "{\"event\":\"say \\\"hi\\\"\",\"timestamp\":1772625600,\"properties\":{"
             "\"nl\":\"a\\nb\",\"tab\":\"\\t\\/\\\\\",\"e\":\"caf\\u00e9\",\"raw\":\"caf\xc3\xa9\","
             "\"emoji\":\"\\ud83d\\ude00!\",\"euro\":\"\\u20AC\",\"k\\u00e9y\":\"v\"}}",
             &rec);
    expect_bytes(rec.event, rec.event_len, "say \"hi\"", "event");
    expect_text_prop(&rec, "nl", "a\nb");
    expect_text_prop(&rec, "tab", "\t/\\");
    expect_text_prop(&rec, "e", "caf\xc3\xa9");
    expect_text_prop(&rec, "raw", "caf\xc3\xa9");
    expect_text_prop(&rec, "emoji", "\xf0\x9f\x98\x80!");
    expect_text_prop(&rec, "euro", "\xe2\x82\xac");
    expect_text_prop(&rec, "k\xc3\xa9y", "v");
    lp_close(&lp);
}

/* ---- JSON Lines: refusals ---- */

Test(format_events, invalid_strings_refused)
{
    struct line_parser lp;
    lp_open(&lp);
    parse_bad(&lp, "{\"event\":\"a\xff\",\"timestamp\":1}", "invalid UTF-8");
    parse_bad(&lp, "{\"event\":\"a\xc3\",\"timestamp\":1}", "invalid UTF-8");   /* truncated */
    parse_bad(&lp, "{\"event\":\"\xc0\xaf\",\"timestamp\":1}", "invalid UTF-8"); /* overlong */
    parse_bad(&lp, "{\"event\":\"\xed\xa0\x80\",\"timestamp\":1}", "invalid UTF-8"); /* D800 */
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"k\":\"\xf5\x80\x80\x80\"}}",
              "invalid UTF-8");
    parse_bad(&lp, "{\"event\":\"\\ud83d\",\"timestamp\":1}", "unpaired surrogate");
    parse_bad(&lp, "{\"event\":\"\\ud83dx\",\"timestamp\":1}", "unpaired surrogate");
    parse_bad(&lp, "{\"event\":\"\\ud83d\\u0041\",\"timestamp\":1}", "unpaired surrogate");
    parse_bad(&lp, "{\"event\":\"\\ude00\",\"timestamp\":1}", "unpaired surrogate");
    parse_bad(&lp, "{\"event\":\"a\tb\",\"timestamp\":1}", "control character");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"k\":\"\x01\"}}",
              "control character");
    parse_bad(&lp, "{\"event\":\"\\x41\",\"timestamp\":1}", "invalid escape");
    parse_bad(&lp, "{\"event\":\"\\u12G4\",\"timestamp\":1}", "invalid \\u escape");
    parse_bad(&lp, "{\"event\":\"abc", "unterminated string");
    static const char nul[] = "{\"event\":\"a\0b\",\"timestamp\":1}";
    parse_bad_n(&lp, nul, sizeof(nul) - 1, "control character");
    lp_close(&lp);
}

Test(format_events, invalid_structure_refused)
{
    struct line_parser lp;
    lp_open(&lp);
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,}", "expected a member name");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"x\":1,}}",
              "expected a member name");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"x\":[1,2,]}}",
              "invalid number");
    parse_bad(&lp, "{\"event\":\"a\" \"timestamp\":1}", "expected ',' between members");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"x\":1 \"y\":2}}",
              "expected ',' between members");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"context\":{\"x\":1 \"y\":2}}",
              "expected ',' or '}'");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1} x", "unexpected text after the JSON object");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1}{}", "unexpected text after the JSON object");
    parse_bad(&lp, "{\"event\" \"a\",\"timestamp\":1}", "expected ':'");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":01}", "expected ',' between members");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1", "unexpected end of line");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":-}", "invalid number");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1.}", "invalid number");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":nul}", "unexpected character");
    parse_bad(&lp, "[1]", "expected a JSON object");
    parse_bad(&lp, "\"event\"", "expected a JSON object");
    parse_bad(&lp, "", "expected a JSON object");
    lp_close(&lp);
}

/* A line whose "properties" hold an array nested depth times. */
static char *deep_line(int depth)
{
    size_t cap = 128 + 2 * (size_t)depth;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    size_t n = (size_t)snprintf(s, cap, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"d\":");
    for (int i = 0; i < depth; i++)
        s[n++] = '[';
    for (int i = 0; i < depth; i++)
        s[n++] = ']';
    snprintf(s + n, cap - n, "}}");
    return s;
}

Test(format_events, nesting_limit)
{
    struct line_parser lp;
    lp_open(&lp);
    char *ok = deep_line(JSON_MAX_DEPTH - 2);
    struct event_record rec;
    parse_ok(&lp, ok, &rec);
    cr_assert_eq(rec.n_props, 1);
    cr_assert_eq(rec.props[0].str_len, 2 * (size_t)(JSON_MAX_DEPTH - 2), "kept as raw text");
    char *bad = deep_line(JSON_MAX_DEPTH + 1);
    parse_bad(&lp, bad, "nested too deeply");
    char *very = deep_line(100000); /* no stack overflow */
    parse_bad(&lp, very, "nested too deeply");
    /* Deep objects beyond the flattening depth are kept as their text, and are limited too. */
    parse_ok(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"a\":{\"b\":{\"c\":{\"d\":"
                  "{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":1}}}}}}}}}}}",
             &rec);
    cr_assert_eq(rec.n_props, 1);
    expect_text_prop(&rec, "a.b.c.d.e.f.g.h", "{\"i\":{\"j\":1}}");
    free(ok);
    free(bad);
    free(very);
    lp_close(&lp);
}

Test(format_events, missing_fields)
{
    struct line_parser lp;
    lp_open(&lp);
    parse_bad(&lp, "{\"timestamp\":1772625600}", "missing field 'event'");
    parse_bad(&lp, "{\"event\":\"a\"}", "missing field 'timestamp'");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":null}", "field 'timestamp'");
    parse_bad(&lp, "{}", "missing field 'event'");
    parse_bad(&lp, "{\"event\":\"\",\"timestamp\":1}", "field 'event': expected a non-empty string");
    parse_bad(&lp, "{\"event\":5,\"timestamp\":1}", "field 'event': expected a non-empty string");
    parse_bad(&lp, "{\"event\":null,\"timestamp\":1}", "field 'event'");
    lp_close(&lp);
}

Test(format_events, property_names_must_be_storable)
{
    struct line_parser lp;
    lp_open(&lp);
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"\":1}}", "empty name");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"event\\u0000\":1}}",
              "NUL");
    parse_bad(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"d\":{\"a\\u0000b\":1}}}",
              "NUL");
    /* A NUL inside a value is fine: values are (pointer, length). */
    struct event_record rec;
    parse_ok(&lp, "{\"event\":\"a\",\"timestamp\":1,\"properties\":{\"k\":\"x\\u0000y\"}}", &rec);
    const struct event_prop *p = prop(&rec, "k");
    cr_assert_not_null(p);
    cr_assert_eq(p->str_len, 3);
    cr_assert_eq(memcmp(p->str, "x\0y", 3), 0);
    lp_close(&lp);
}

/* ---- the reader over a file ---- */

static FILE *mem(const char *s, size_t len)
{
    FILE *f = fmemopen((void *)(uintptr_t)s, len, "r");
    cr_assert_not_null(f);
    return f;
}

static void next_ok(struct event_reader *r, unsigned line, const char *event,
                    struct event_record *rec)
{
    struct err e = ERR_INIT;
    int rc = event_reader_next(r, rec, &e);
    cr_assert_eq(rc, 1, "line %u: expected an event, got %d (%s)", line, rc, e.msg);
    cr_assert_eq(e.line, line, "line %u, expected %u", e.line, line);
    expect_bytes(rec->event, rec->event_len, event, "event");
}

static void next_bad(struct event_reader *r, unsigned line, const char *why)
{
    struct err e = ERR_INIT;
    struct event_record rec;
    int rc = event_reader_next(r, &rec, &e);
    cr_assert_eq(rc, ERR_INVALID, "line %u: expected a refusal ('%s'), got %d", line, why, rc);
    cr_assert_eq(e.line, line, "error at line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void next_end(struct event_reader *r)
{
    struct err e = ERR_INIT;
    struct event_record rec;
    cr_assert_eq(event_reader_next(r, &rec, &e), 0, "expected the end (%s)", e.msg);
    cr_assert_eq(event_reader_next(r, &rec, &e), 0, "the end stays the end");
}

Test(format_events, jsonl_file_line_numbers_and_recovery)
{
    static const char text[] =
        "{\"event\":\"one\",\"timestamp\":1772625600}\n"
        "\n"
        "   \t \n"
        "{\"event\":\"two\",\"timestamp\":1772625601,\"properties\":{\"n\":1}}\r\n"
        "{\"event\":\"bad\"\n"
        "not json at all\n"
        "{\"event\":\"three\",\"timestamp\":\"2026-03-04T12:00:02Z\"}\n"
        "{\"timestamp\":1}\n"
        "{\"event\":\"four\",\"timestamp\":1772625603}";
    FILE *f = mem(text, sizeof(text) - 1);
    struct event_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&r, f, EF_JSONL, &e), ERR_OK);
    struct event_record rec;
    next_ok(&r, 1, "one", &rec);
    cr_assert_eq(rec.ts_ms, T0);
    next_ok(&r, 4, "two", &rec);
    cr_assert_eq(rec.ts_ms, T0 + 1000);
    expect_num_prop(&rec, "n", 1, "1");
    next_bad(&r, 5, "unexpected end of line");
    next_bad(&r, 6, "expected a JSON object");
    next_ok(&r, 7, "three", &rec);
    cr_assert_eq(rec.ts_ms, T0 + 2000);
    next_bad(&r, 8, "missing field 'event'");
    next_ok(&r, 9, "four", &rec);
    cr_assert_eq(rec.ts_ms, T0 + 3000);
    next_end(&r);
    cr_assert_eq(event_reader_bytes(&r), sizeof(text) - 1);
    event_reader_release(&r);
    fclose(f);
}

Test(format_events, overlong_line_refused_next_line_read)
{
    const char *first = "{\"event\":\"first\",\"timestamp\":1772625600}\n";
    const char *head = "{\"event\":\"huge\",\"timestamp\":1772625600,\"properties\":{\"pad\":\"";
    const char *tail = "\"}}\n";
    const char *last = "{\"event\":\"last\",\"timestamp\":1772625601}\n";
    size_t pad = LINE_MAX_BYTES + 100;
    size_t len = strlen(first) + strlen(head) + pad + strlen(tail) + strlen(last);
    char *text = malloc(len + 1);
    cr_assert_not_null(text);
    char *p = text;
    p = stpcpy(p, first);
    p = stpcpy(p, head);
    memset(p, 'x', pad);
    p += pad;
    p = stpcpy(p, tail);
    p = stpcpy(p, last);
    cr_assert_eq((size_t)(p - text), len);

    FILE *f = mem(text, len);
    struct event_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&r, f, EF_JSONL, &e), ERR_OK);
    struct event_record rec;
    next_ok(&r, 1, "first", &rec);
    next_bad(&r, 2, "line longer than");
    next_ok(&r, 3, "last", &rec);
    next_end(&r);
    event_reader_release(&r);
    fclose(f);
    free(text);
}

Test(format_events, line_of_exactly_the_limit_is_read)
{
    const char *head = "{\"event\":\"big\",\"timestamp\":1772625600,\"properties\":{\"pad\":\"";
    const char *tail = "\"}}";
    size_t pad = LINE_MAX_BYTES - strlen(head) - strlen(tail);
    size_t len = LINE_MAX_BYTES + 1;
    char *text = malloc(len + 1);
    cr_assert_not_null(text);
    char *p = stpcpy(text, head);
    memset(p, 'y', pad);
    p += pad;
    p = stpcpy(p, tail);
    *p++ = '\n';
    cr_assert_eq((size_t)(p - text), len);
    FILE *f = mem(text, len);
    struct event_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&r, f, EF_JSONL, &e), ERR_OK);
    struct event_record rec;
    next_ok(&r, 1, "big", &rec);
    cr_assert_eq(prop(&rec, "pad")->str_len, pad);
    next_end(&r);
    event_reader_release(&r);
    fclose(f);
    free(text);
}

/* ---- CSV ---- */

Test(format_events, csv_events)
{
    static const char text[] =
        "event,timestamp,distinct_id,plan,latency_ms,country\n"
        "checkout_started,2026-03-04T12:00:00Z,u1,pro,182,US\n"
        "purchase_completed,1772625601,,free,12.5,\n"
        "app_open,1772625602000,u2,,n/a,DE\n"
        "too,few\n"
        "\"quoted, event\",2026-03-04T12:00:03Z,u3,\"a,b\",-7,\n"
        ",2026-03-04T12:00:04Z,u4,x,1,FR\n"
        "late,not-a-time,u5,x,1,FR\n";
    FILE *f = mem(text, sizeof(text) - 1);
    struct event_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&r, f, EF_CSV, &e), ERR_OK, "%s", e.msg);
    struct event_record rec;

    next_ok(&r, 2, "checkout_started", &rec);
    cr_assert_eq(rec.ts_ms, T0);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "u1", "distinct_id");
    cr_assert_eq(rec.n_props, 3);
    expect_text_prop(&rec, "plan", "pro");
    expect_num_prop(&rec, "latency_ms", 182, "182");
    expect_text_prop(&rec, "country", "US");
    cr_assert_null(prop(&rec, "event"));
    cr_assert_null(prop(&rec, "timestamp"));
    cr_assert_null(prop(&rec, "distinct_id"));

    next_ok(&r, 3, "purchase_completed", &rec);
    cr_assert_eq(rec.ts_ms, T0 + 1000);
    cr_assert_null(rec.distinct_id, "an empty id cell is anonymous");
    cr_assert_eq(rec.n_props, 2);
    expect_text_prop(&rec, "plan", "free");
    expect_num_prop(&rec, "latency_ms", 12.5, "12.5");
    cr_assert_null(prop(&rec, "country"), "an empty cell is absent");

    next_ok(&r, 4, "app_open", &rec);
    cr_assert_eq(rec.ts_ms, T0 + 2000);
    cr_assert_null(prop(&rec, "plan"));
    expect_text_prop(&rec, "latency_ms", "n/a");

    next_bad(&r, 5, "expected 6 fields as in the header, got 2");

    next_ok(&r, 6, "quoted, event", &rec);
    expect_text_prop(&rec, "plan", "a,b");
    expect_num_prop(&rec, "latency_ms", -7, "-7");

    next_bad(&r, 7, "column 'event': empty");
    next_bad(&r, 8, "column 'timestamp'");
    next_end(&r);
    event_reader_release(&r);
    fclose(f);
}

Test(format_events, csv_user_id_alias_and_column_order)
{
    static const char text[] = "Time,value,User_ID,Event\n"
                               "2026-03-04T12:00:00Z,3,u9,signup\n";
    FILE *f = mem(text, sizeof(text) - 1);
    struct event_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(event_reader_open(&r, f, EF_CSV, &e), ERR_OK, "%s", e.msg);
    struct event_record rec;
    next_ok(&r, 2, "signup", &rec);
    cr_assert_eq(rec.ts_ms, T0);
    expect_bytes(rec.distinct_id, rec.distinct_id_len, "u9", "user_id");
    cr_assert_eq(rec.n_props, 1);
    expect_num_prop(&rec, "value", 3, "3");
    next_end(&r);
    event_reader_release(&r);
    fclose(f);
}

static void csv_open_bad(const char *text, const char *why)
{
    FILE *f = mem(text, strlen(text));
    struct event_reader r;
    struct err e = ERR_INIT;
    int rc = event_reader_open(&r, f, EF_CSV, &e);
    cr_assert_eq(rc, ERR_INVALID, "open of '%s' should fail", text);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
    event_reader_release(&r);
    fclose(f);
}

Test(format_events, csv_header_refusals)
{
    csv_open_bad("timestamp,distinct_id,plan\n2026-03-04T12:00:00Z,u1,pro\n",
                 "the header has no 'event' column");
    csv_open_bad("event,distinct_id\nx,u1\n", "the header has no 'timestamp' column");
    csv_open_bad("", "no header row");
}
