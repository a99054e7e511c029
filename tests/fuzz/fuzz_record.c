/* fuzz_record.c: libFuzzer target for the export reader (format/record_json.h) and writer
 * (render/export_json.h).
 *
 * A whole export is longer than the inputs the fuzz runs use (scripts/run-fuzz.sh: 256 bytes),
 * so the input is spliced into a valid document: the first byte picks a member of any object
 * of it (the incident, a hypothesis, its evidence, an action, ...) whose value the rest of the
 * input replaces (0: the input is the whole document), so that every part of the reader is
 * reached with short inputs.
 *
 * Properties checked (abort() on failure):
 *   - record_json_parse returns ERR_OK or ERR_INVALID only; a refusal has a message and a line
 *     within the document (0 when no line applies), and leaves the output record untouched;
 *   - an accepted document renders (every text read is valid UTF-8), and render -> read ->
 *     render gives the same bytes (the reader and the writer agree on everything). */
#include "core/buf.h"
#include "core/sink.h"
#include "format/record_json.h"
#include "render/export_json.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The base document: valid, with a hypothesis and two actions that refer to each other. */
static const char base_doc[] =
    "{\"format\":\"hindsight-incident\",\"version\":1,\"exported_at\":\"2026-03-06T09:00:00Z\","
    "\"exported_by\":\"t\",\"incident\":{\"key\":\"INC-1\",\"title\":\"x\",\"summary\":null,"
    "\"owner\":null,\"severity\":\"SEV2\",\"status\":\"open\",\"started_at\":\"2026-03-04T12:00:00Z\","
    "\"detected_at\":null,\"acknowledged_at\":null,\"mitigated_at\":null,\"resolved_at\":null,"
    "\"reopen_count\":0,\"affected_users\":null,\"revenue_lost\":null,\"support_tickets\":null,"
    "\"services\":[],\"segments\":[],\"tags\":[],\"signals\":[],\"template\":null,"
    "\"created_at\":\"2026-03-06T09:00:00Z\",\"updated_at\":\"2026-03-06T09:00:00Z\"},"
    "\"timeline\":[],\"sections\":[],\"findings\":[],"
    "\"hypotheses\":[{\"ref\":\"H1\",\"text\":\"h\",\"owner\":null,\"likelihood\":3,\"impact\":3,"
    "\"status\":\"proposed\",\"explained_share\":null,\"created_at\":\"2026-03-06T09:00:00Z\","
    "\"updated_at\":\"2026-03-06T09:00:00Z\",\"evidence\":[{\"kind\":\"note\",\"stance\":\"refutes\","
    "\"note\":\"n\",\"query\":null,\"file\":null,\"actor\":\"t\",\"created_at\":\"2026-03-06T09:00:00Z\"}]}],"
    "\"actions\":[{\"ref\":\"A1\",\"text\":\"a\",\"kind\":\"process\",\"owner\":\"o\","
    "\"due_at\":\"2026-03-20T00:00:00Z\",\"status\":\"todo\",\"mitigates\":\"H1\","
    "\"success\":null,\"no_success_reason\":\"r\",\"wontfix_reason\":null,\"recurrence\":3,"
    "\"severity\":3,\"effort\":3,\"depends_on\":[\"A2\"],\"done_at\":null,"
    "\"last_update\":\"2026-03-06T09:00:00Z\",\"created_at\":\"2026-03-06T09:00:00Z\","
    "\"updated_at\":\"2026-03-06T09:00:00Z\",\"notes\":[]},"
    "{\"ref\":\"A2\",\"text\":\"b\",\"kind\":\"policy\",\"owner\":\"o\","
    "\"due_at\":\"2026-03-20T00:00:00Z\",\"status\":\"done\",\"mitigates\":null,"
    "\"success\":{\"expr\":\"count()\",\"op\":\">=\",\"value\":0.8,\"window_ms\":0},"
    "\"no_success_reason\":null,\"wontfix_reason\":null,\"recurrence\":1,"
    "\"severity\":1,\"effort\":1,\"depends_on\":[],\"done_at\":\"2026-03-06T09:00:00Z\","
    "\"last_update\":\"2026-03-06T09:00:00Z\",\"created_at\":\"2026-03-06T09:00:00Z\","
    "\"updated_at\":\"2026-03-06T09:00:00Z\",\"notes\":[]}],"
    "\"checklist\":[],\"decisions\":[],\"feedback\":[],\"experiments\":[],\"audit\":[],"
    "\"people\":[{\"name\":\"o\",\"team\":\"ops\"}],"
    "\"teams\":[{\"name\":\"ops\",\"lead\":\"l\",\"escalation\":null}],\"templates\":[]}";

/* Every member of every object of the base document: the places an input can go. */
struct slot {
    json_t *obj;
    const char *key;
};
static json_t *base;
static struct slot slots[256];
static size_t n_slots;

static void find_slots(json_t *v)
{
    const char *key;
    json_t *item;
    if (json_is_array(v))
        for (size_t i = 0; i < json_array_size(v); i++)
            find_slots(json_array_get(v, i));
    if (!json_is_object(v))
        return;
    json_object_foreach(v, key, item) {
        if (n_slots < sizeof(slots) / sizeof(slots[0]))
            slots[n_slots++] = (struct slot){v, key};
        find_slots(item);
    }
}

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_record: %s\n", what);
    abort();
}

#define MARK "\"\\u0001slot\\u0001\"" /* how jansson writes the placeholder string */

/* The document for this input, in b: the input itself (first byte 0), or the base document
 * with the value of one member replaced by the input's text, valid JSON or not. */
static void splice(const uint8_t *data, size_t size, struct buf *b)
{
    if (!base) {
        base = json_loads(base_doc, 0, NULL);
        if (!base)
            fail("the base document does not parse");
        find_slots(base);
    }
    size_t slot = data[0] % (n_slots + 1);
    if (slot == 0) {
        buf_append(b, data + 1, size - 1);
        return;
    }
    struct slot *s = &slots[slot - 1];
    json_t *saved = json_incref(json_object_get(s->obj, s->key));
    json_object_set_new(s->obj, s->key, json_string("\001slot\001"));
    char *text = json_dumps(base, JSON_COMPACT);
    json_object_set_new(s->obj, s->key, saved);
    const char *at = strstr(text, MARK);
    if (!at)
        fail("the placeholder is not in the document");
    buf_append(b, text, (size_t)(at - text));
    buf_append(b, data + 1, size - 1);
    buf_puts(b, at + strlen(MARK));
    free(text);
}

static char *render(const struct record *r)
{
    char where[EXPORT_WHERE_MAX];
    json_t *doc = record_to_json(r, where);
    if (!doc)
        fail("an accepted record does not render");
    struct buf b = BUF_INIT;
    struct sink out = sink_buf(&b);
    export_json_write(&out, doc);
    json_decref(doc);
    return buf_detach(&b);
}

static unsigned count_lines(const char *s, size_t len)
{
    unsigned n = 1;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct buf doc = BUF_INIT;
    splice(data, size, &doc);
    const char *text = doc.data ? doc.data : "";
    struct record r;
    record_init(&r);
    struct err e = ERR_INIT;
    int rc = record_json_parse(text, doc.len, &r, &e);
    if (rc == ERR_INVALID) {
        if (!e.msg[0] || e.line > count_lines(text, doc.len) || r.exported_by || r.inc.title)
            fail("a refusal without a message, past the input, or with output");
    } else if (rc != ERR_OK) {
        fail("unexpected return code");
    } else {
        char *first = render(&r);
        struct record back;
        record_init(&back);
        if (record_json_parse(first, strlen(first), &back, &e) != ERR_OK)
            fail("the writer's output is refused by the reader");
        char *second = render(&back);
        if (strcmp(first, second) != 0)
            fail("render -> read -> render changed the document");
        free(first);
        free(second);
        record_release(&back);
    }
    record_release(&r);
    buf_release(&doc);
    return 0;
}
