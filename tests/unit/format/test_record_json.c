/* test_record_json.c: the export document reader (format/record_json.h) and writer
 * (render/export_json.h): what is read, that read -> write -> read is stable, and that every
 * refusal names the JSON path (or line and column) and leaves the output alone. */
#include "core/base64.h"
#include "core/buf.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/record_json.h"
#include "render/export_json.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A small but complete document: every part present, references between them. */
static const char *const DOC =
    "{\"format\": \"hindsight-incident\", \"version\": 1,"
    " \"exported_at\": \"2026-03-06T09:00:00Z\", \"exported_by\": \"tester\","
    " \"incident\": {\"key\": \"INC-7\", \"title\": \"Checkout <b>broken</b>\","
    "  \"summary\": \"two\\nlines\\tand a tab\", \"owner\": \"maria\", \"severity\": \"SEV2\","
    "  \"status\": \"resolved\", \"started_at\": \"2026-03-04T12:00:00Z\","
    "  \"detected_at\": \"2026-03-04T12:05:00.250Z\", \"acknowledged_at\": null,"
    "  \"mitigated_at\": \"2026-03-04T12:50:00Z\", \"resolved_at\": \"2026-03-04T13:00:00Z\","
    "  \"reopen_count\": 0, \"affected_users\": 120, \"revenue_lost\": null,"
    "  \"support_tickets\": null, \"services\": [\"payments\"],"
    "  \"segments\": [\"platform=android\"], \"tags\": [\"failure-mode:bad-deploy\"],"
    "  \"signals\": [{\"name\": \"errors\", \"at\": \"2026-03-04T12:03:00Z\"}],"
    "  \"template\": null, \"created_at\": \"2026-03-06T09:00:00Z\","
    "  \"updated_at\": \"2026-03-06T09:00:00Z\"},"
    " \"timeline\": [{\"at\": \"2026-03-04T12:03:00Z\", \"kind\": \"signal\", \"text\": \"a|b\","
    "  \"author\": null, \"created_at\": \"2026-03-06T09:00:00Z\"}],"
    " \"sections\": [{\"section\": \"summary\", \"text\": \"# x\", "
    "  \"updated_at\": \"2026-03-06T09:00:00Z\", \"actor\": \"tester\"}],"
    " \"findings\": [{\"kind\": \"change\", \"text\": \"chg-1\", \"score\": 0.1,"
    "  \"evidence\": \"{}\", \"created_at\": \"2026-03-06T09:00:00Z\"}],"
    " \"hypotheses\": [{\"ref\": \"H1\", \"text\": \"the release\", \"owner\": null,"
    "  \"likelihood\": 5, \"impact\": 4, \"status\": \"confirmed\", \"explained_share\": 0.75,"
    "  \"created_at\": \"2026-03-06T09:00:00Z\", \"updated_at\": \"2026-03-06T09:00:00Z\","
    "  \"evidence\": [{\"kind\": \"file\", \"stance\": \"supports\", \"note\": null,"
    "   \"query\": null, \"file\": {\"name\": \"a.txt\", \"sha256\": null, \"bytes\": 3,"
    "   \"data\": \"YWJj\"}, \"actor\": \"tester\", \"created_at\": \"2026-03-06T09:00:00Z\"}]}],"
    " \"actions\": [{\"ref\": \"A1\", \"text\": \"canary\", \"kind\": \"process\","
    "  \"owner\": \"tomas\", \"due_at\": \"2026-03-20T00:00:00Z\", \"status\": \"todo\","
    "  \"mitigates\": null, \"success\": null, \"no_success_reason\": \"a process\","
    "  \"wontfix_reason\": null, \"recurrence\": 3, \"severity\": 4, \"effort\": 3,"
    "  \"depends_on\": [], \"done_at\": null, \"last_update\": \"2026-03-06T09:00:00Z\","
    "  \"created_at\": \"2026-03-06T09:00:00Z\", \"updated_at\": \"2026-03-06T09:00:00Z\","
    "  \"notes\": []},"
    "  {\"ref\": \"A2\", \"text\": \"roll back\", \"kind\": \"architecture\","
    "  \"owner\": \"maria\", \"due_at\": \"2026-03-08T00:00:00Z\", \"status\": \"done\","
    "  \"mitigates\": \"H1\", \"success\": {\"expr\": \"count()\", \"op\": \">=\","
    "  \"value\": 0.8, \"window_ms\": 604800000}, \"no_success_reason\": null,"
    "  \"wontfix_reason\": null, \"recurrence\": 3, \"severity\": 4, \"effort\": 2,"
    "  \"depends_on\": [\"A1\"], \"done_at\": \"2026-03-06T09:00:00Z\","
    "  \"last_update\": \"2026-03-06T09:00:00Z\", \"created_at\": \"2026-03-06T09:00:00Z\","
    "  \"updated_at\": \"2026-03-06T09:00:00Z\","
    "  \"notes\": [{\"at\": \"2026-03-06T09:00:00Z\", \"actor\": \"tester\", \"text\": \"ok\"}]}],"
    " \"checklist\": [{\"stage\": \"data-access\", \"done_at\": \"2026-03-06T09:00:00Z\","
    "  \"actor\": \"tester\"}],"
    " \"decisions\": [{\"at\": \"2026-03-06T09:00:00Z\", \"actor\": \"tester\", \"text\": \"d\"}],"
    " \"feedback\": [{\"at\": \"2026-03-06T09:00:00Z\", \"actor\": \"tester\", \"clarity\": 4,"
    "  \"usefulness\": 5, \"time_efficiency\": 3, \"comment\": null}],"
    " \"experiments\": [],"
    " \"audit\": [{\"at\": \"2026-03-06T09:00:00Z\", \"actor\": \"tester\", \"record\": \"INC-7\","
    "  \"action\": \"create\", \"field\": \"title\", \"old_value\": null,"
    "  \"new_value\": \"Checkout\"}],"
    " \"people\": [{\"name\": \"maria\", \"team\": \"payments\"}],"
    " \"teams\": [{\"name\": \"payments\", \"lead\": \"lena\", \"escalation\": null}],"
    " \"templates\": []}";

static int parse(const char *text, struct record *r, struct err *e)
{
    return record_json_parse(text, strlen(text), r, e);
}

/* DOC with the value at a path of object keys and array indexes replaced by value (stolen;
 * NULL deletes the member). Path: "actions", "1", "due_at", NULL. Returns a heap string. */
static char *doc_with(json_t *value, ...)
{
    json_t *root = json_loads(DOC, 0, NULL);
    cr_assert_not_null(root);
    va_list ap;
    va_start(ap, value);
    json_t *at = root;
    const char *key = va_arg(ap, const char *), *next;
    while ((next = va_arg(ap, const char *)) != NULL) {
        at = json_is_array(at) ? json_array_get(at, (size_t)atoi(key)) : json_object_get(at, key);
        cr_assert_not_null(at, "no '%s' in DOC", key);
        key = next;
    }
    va_end(ap);
    if (json_is_array(at))
        cr_assert_eq(json_array_set_new(at, (size_t)atoi(key), value), 0, "no [%s]", key);
    else if (value)
        json_object_set_new(at, key, value);
    else
        json_object_del(at, key);
    char *s = json_dumps(root, 0);
    json_decref(root);
    return s;
}

/* Parsing text fails with exactly message msg; the record given stays untouched. */
static void refused(char *text, const char *msg)
{
    struct record r;
    record_init(&r);
    r.exported_by = xstrdup("sentinel");
    struct err e = ERR_INIT;
    cr_assert_eq(parse(text, &r, &e), ERR_INVALID, "accepted; expected: %s", msg);
    cr_assert_str_eq(e.msg, msg);
    cr_assert_str_eq(r.exported_by, "sentinel", "the output was touched");
    record_release(&r);
    free(text);
}

/* The document of r as written by the CLI. Heap string. */
static char *write_doc(const struct record *r)
{
    char where[EXPORT_WHERE_MAX] = "";
    json_t *doc = record_to_json(r, where);
    cr_assert_not_null(doc, "not rendered: %s", where);
    struct buf b = BUF_INIT;
    struct sink out = sink_buf(&b);
    export_json_write(&out, doc);
    json_decref(doc);
    cr_assert_not(sink_failed(&out));
    return buf_detach(&b);
}

Test(record_json, reads_every_part)
{
    struct record r;
    record_init(&r);
    struct err e = ERR_INIT;
    cr_assert_eq(parse(DOC, &r, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(r.inc.seq, 7);
    cr_assert_str_eq(r.inc.title, "Checkout <b>broken</b>");
    cr_assert_str_eq(r.inc.summary, "two\nlines\tand a tab");
    cr_assert_eq(r.inc.severity, SEV2);
    cr_assert_eq(r.inc.times[T_DETECTED], INT64_C(1772625900250));
    cr_assert_eq(r.inc.times[T_ACKNOWLEDGED], TIME_UNSET);
    cr_assert_eq(r.inc.affected_users, 120);
    cr_assert_eq(r.inc.support_tickets, -1);
    cr_assert(isnan(r.inc.revenue_lost));
    cr_assert_eq(r.inc.n_signals, 1);
    cr_assert_eq(r.n_hypotheses, 1);
    cr_assert_eq(r.hypotheses[0].n_evidence, 1);
    cr_assert_eq(r.hypotheses[0].evidence[0].len, 3);
    cr_assert_eq(memcmp(r.hypotheses[0].evidence[0].data, "abc", 3), 0);
    cr_assert_eq(r.n_actions, 2);
    cr_assert_eq(r.actions[1].a.mitigates, 1, "mitigates H1 is hypothesis number 1");
    cr_assert_eq(r.actions[1].a.n_depends, 1);
    cr_assert_eq(r.actions[1].a.depends_on[0], 1);
    cr_assert_eq(r.actions[1].a.success.op, CMP_GE);
    cr_assert_eq(r.actions[1].n_notes, 1);
    cr_assert_eq(r.actions[0].a.done_at, TIME_UNSET);
    cr_assert_str_eq(r.checklist[0].stage, "data-access");
    cr_assert_eq(r.feedback[0].ratings[1], 5);
    cr_assert_null(r.feedback[0].comment);
    cr_assert_str_eq(r.people[0].team, "payments");
    record_release(&r);
}

Test(record_json, write_read_write_is_stable)
{
    struct record r, back;
    record_init(&r);
    record_init(&back);
    struct err e = ERR_INIT;
    cr_assert_eq(parse(DOC, &r, &e), ERR_OK, "%s", e.msg);
    char *first = write_doc(&r);
    cr_assert_eq(parse(first, &back, &e), ERR_OK, "%s", e.msg);
    char *second = write_doc(&back);
    cr_assert_str_eq(first, second);
    cr_assert(strstr(first, "\"value\": 0.8,") != NULL, "0.8 printed as: %s", first);
    free(first);
    free(second);
    record_release(&r);
    record_release(&back);
}

Test(record_json, numbers_keep_every_digit_they_need)
{
    struct record r;
    record_init(&r);
    struct err e = ERR_INIT;
    cr_assert_eq(parse(DOC, &r, &e), ERR_OK, "%s", e.msg);
    r.findings[0].score = 1.0 / 3.0;
    char *text = write_doc(&r);
    struct record back;
    record_init(&back);
    cr_assert_eq(parse(text, &back, &e), ERR_OK, "%s", e.msg);
    cr_assert(back.findings[0].score == 1.0 / 3.0, "score read back as %.17g",
              back.findings[0].score);
    free(text);
    record_release(&r);
    record_release(&back);
}

Test(record_json, another_version_is_refused_for_that_alone)
{
    /* Version 2 may look different in every other way: the version is the message. */
    refused(xstrdup("{\"format\": \"hindsight-incident\", \"version\": 2, \"what\": []}"),
            "export format version 2, this hindsight reads version 1");
    refused(doc_with(json_string("other"), "format", NULL),
            "not a hindsight incident export (\"format\" is not \"hindsight-incident\")");
    refused(doc_with(json_string("1"), "version", NULL),
            "version: expected an integer, got a string");
    refused(xstrdup("[1, 2]"), "expected an incident export (a JSON object), got an array");
}

Test(record_json, syntax_errors_give_line_and_column)
{
    struct record r;
    record_init(&r);
    struct err e = ERR_INIT;
    const char *text = "{\n  \"format\": \"hindsight-incident\",\n  \"version\": 1,\n  \"x\": [";
    cr_assert_eq(parse(text, &r, &e), ERR_INVALID);
    cr_assert_eq(e.line, 4);
    cr_assert_eq(e.column, 8);
    cr_assert(strncmp(e.msg, "invalid JSON: ", 14) == 0, "%s", e.msg);
    e = (struct err)ERR_INIT;
    cr_assert_eq(record_json_parse("{\"a\": 1, \"a\": 2}", 16, &r, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "duplicate") != NULL, "%s", e.msg);
    e = (struct err)ERR_INIT;
    cr_assert_eq(record_json_parse("{\"a\": \"x\\u0000y\"}", 17, &r, &e), ERR_INVALID);
    record_release(&r);
}

Test(record_json, wrong_values_name_their_path)
{
    refused(doc_with(json_integer(5), "actions", "1", "due_at", NULL),
            "actions[1].due_at: expected an RFC 3339 time, got a number");
    refused(doc_with(json_string("soon"), "actions", "1", "due_at", NULL),
            "actions[1].due_at: invalid time 'soon': date must look like YYYY-MM-DD (expected RFC "
            "3339, like 2026-03-04T12:00:00Z)");
    refused(doc_with(json_integer(9), "hypotheses", "0", "likelihood", NULL),
            "hypotheses[0].likelihood: 9 is out of range (1 to 5)");
    refused(doc_with(json_null(), "incident", "title", NULL),
            "incident.title: expected a string, got null");
    refused(doc_with(NULL, "incident", "title", NULL), "incident: missing key 'title'");
    refused(doc_with(json_string("red"), "timeline", "0", "colour", NULL),
            "timeline[0]: unknown key 'colour'");
    refused(doc_with(json_string("Open"), "incident", "status", NULL),
            "incident.status: unknown value 'Open' (expected open, mitigated, resolved, "
            "postmortem, review, complete)");
    refused(doc_with(json_integer(1), "incident", "services", "0", NULL),
            "incident.services[0]: expected a string, got a number");
}

Test(record_json, references_must_resolve_and_stay_acyclic)
{
    refused(doc_with(json_string("H9"), "actions", "1", "mitigates", NULL),
            "actions[1].mitigates: no hypothesis has the ref 'H9'");
    refused(doc_with(json_string("A1"), "actions", "1", "ref", NULL),
            "actions[1].ref: 'A1' is used twice");
    refused(doc_with(json_pack("[s]", "A2"), "actions", "0", "depends_on", NULL),
            "actions[0].depends_on[0]: A-1 cannot depend on A-2: that would close the cycle "
            "A-1 -> A-2 -> A-1");
    refused(doc_with(json_pack("[s, s]", "A1", "A1"), "actions", "1", "depends_on", NULL),
            "actions[1].depends_on[1]: 'A1' is listed twice");
    refused(doc_with(json_string("ops"), "people", "0", "team", NULL),
            "people[0].team: 'ops' is not among the teams");
}

Test(record_json, rules_of_the_store_are_checked_before_it)
{
    refused(doc_with(json_null(), "actions", "0", "no_success_reason", NULL),
            "actions[0].success: an action needs success criteria or a no_success_reason");
    refused(doc_with(json_string("YWJ"), "hypotheses", "0", "evidence", "0", "file", "data",
                     NULL),
            "hypotheses[0].evidence[0].file.data: base64 text of 3 characters (not a multiple "
            "of 4)");
    refused(doc_with(json_string("YWJjZA=="), "hypotheses", "0", "evidence", "0", "file", "data",
                     NULL),
            "hypotheses[0].evidence[0].file.data: 4 bytes, but \"bytes\" says 3");
    refused(doc_with(json_string("note"), "hypotheses", "0", "evidence", "0", "kind", NULL),
            "hypotheses[0].evidence[0].file: a file is required with kind file, and only with "
            "it");
    refused(doc_with(json_string("2026-03-04T11:00:00Z"), "incident", "detected_at", NULL),
            "incident: detected time 2026-03-04T11:00:00Z is before started time "
            "2026-03-04T12:00:00Z (times must be ordered started <= detected <= acknowledged "
            "<= mitigated <= resolved)");
    refused(doc_with(json_string("x"), "sections", "0", NULL),
            "sections[0]: expected an object, got a string");
}

Test(base64, round_trips_and_refuses_non_canonical_text)
{
    const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *s = base64_encode(plain[i], strlen(plain[i]));
        cr_assert_str_eq(s, coded[i]);
        unsigned char *data = NULL;
        size_t len = 99;
        struct err e = ERR_INIT;
        cr_assert_eq(base64_decode(s, strlen(s), &data, &len, &e), ERR_OK, "%s", e.msg);
        cr_assert_eq(len, strlen(plain[i]));
        cr_assert(len == 0 || memcmp(data, plain[i], len) == 0);
        free(data);
        free(s);
    }
    const char *const bad[] = {"Zg=", "Z===", "Zh==", "Zm9=", "Zg=a", "Zm 9", "=Zg="};
    for (size_t i = 0; i < 7; i++) {
        unsigned char *data = NULL;
        size_t len = 0;
        struct err e = ERR_INIT;
        cr_assert_eq(base64_decode(bad[i], strlen(bad[i]), &data, &len, &e), ERR_INVALID,
                     "accepted '%s'", bad[i]);
        cr_assert_null(data);
    }
}
