/* event_json.c: one JSON Lines event (PostHog/Segment shape) into an event_record.
 *
 * Hot path of `hindsight ingest events`: no allocation per line once the reader's buffers have
 * grown to the longest line; strings are views into the line or the scratch area. */
#include "format/event_reader.h"

#include "core/num.h"
#include "core/xalloc.h"
#include "format/json_scan.h"
#include "format/timestamp.h"

#include <math.h>
#include <string.h>

#define FLATTEN_DEPTH 8

static int line_error(struct err *e, const struct json_scan *s, const char *what)
{
    return err_set(e, ERR_INVALID, "%s (at byte %zu)", what, s->error_offset + 1);
}

/* Fast conversion of a JSON number: short integers exactly, the rest through strtod. */
static bool number_value(const char *text, size_t len, double *ret)
{
    if (len <= 15) {
        size_t i = text[0] == '-' ? 1 : 0;
        int64_t v = 0;
        size_t j = i;
        for (; j < len && text[j] >= '0' && text[j] <= '9'; j++)
            v = v * 10 + (text[j] - '0');
        if (j == len && j > i) {
            *ret = (double)(i ? -v : v);
            return true;
        }
    }
    char tmp[64];
    if (len >= sizeof(tmp))
        return false;
    memcpy(tmp, text, len);
    tmp[len] = '\0';
    return num_parse_double(tmp, ret) == ERR_OK;
}

static int parse_timestamp(const struct json_value *v, int64_t *ret_ms, struct err *e)
{
    int rc;
    if (v->kind == JK_NUMBER || v->kind == JK_STRING)
        rc = ts_parse_any(v->text, v->len, ret_ms, e);
    else
        rc = err_set(e, ERR_INVALID, "expected a string or a number");
    if (rc < 0)
        err_prefix(e, "field 'timestamp': ");
    return rc;
}

static struct event_prop *new_prop(struct event_reader *r)
{
    xgrow((void **)&r->props, &r->cap_props, r->n_props + 1, sizeof(*r->props));
    struct event_prop *p = &r->props[r->n_props++];
    memset(p, 0, sizeof(*p));
    return p;
}

/* Adds one property named key (nested_name renames it afterwards when it is nested). */
static void add_prop(struct event_reader *r, const char *key, size_t key_len,
                     const struct json_value *v)
{
    struct event_prop *p = new_prop(r);
    p->name = key;
    p->name_len = key_len;
    p->str = v->text;
    p->str_len = v->len;
    if (v->kind == JK_NUMBER)
        p->is_number = number_value(v->text, v->len, &p->number);
    else if (v->kind == JK_TRUE || v->kind == JK_FALSE)
        p->str = v->kind == JK_TRUE ? "true" : "false", p->str_len = v->kind == JK_TRUE ? 4 : 5;
}

static int read_properties(struct event_reader *r, struct json_scan *s, struct buf *prefix,
                           int depth, struct err *e);

/* Records the full name "<prefix><key>" of a nested property in r->names. The buffer may move
 * while it grows, so the name is kept as an offset (name == NULL) until fix_names. */
static void nested_name(struct event_reader *r, struct event_prop *p, const struct buf *prefix,
                        const char *key, size_t key_len)
{
    p->name = NULL;
    p->name_len = r->names.len; /* offset until fix-up */
    buf_append(&r->names, prefix->data, prefix->len);
    buf_append(&r->names, key, key_len);
    buf_putc(&r->names, '\0');
}

static int read_member_value(struct event_reader *r, struct json_scan *s, struct buf *prefix,
                             const char *key, size_t key_len, int depth, struct err *e)
{
    /* A property becomes a store column named by a C string: "" or a NUL inside cannot be. */
    if (key_len == 0)
        return err_set(e, ERR_INVALID, "property with an empty name");
    if (memchr(key, '\0', key_len))
        return err_set(e, ERR_INVALID, "property name '%.*s' contains a NUL byte", (int)key_len,
                       key);
    if (depth < FLATTEN_DEPTH && json_scan_peek_object(s)) {
        size_t keep = prefix->len;
        buf_append(prefix, key, key_len);
        buf_putc(prefix, '.');
        if (!json_scan_object_begin(s))
            return line_error(e, s, s->error);
        int rc = read_properties(r, s, prefix, depth + 1, e);
        prefix->len = keep;
        return rc;
    }
    struct json_value v;
    if (!json_scan_value(s, &v))
        return line_error(e, s, s->error);
    if (v.kind == JK_NULL)
        return ERR_OK;
    add_prop(r, key, key_len, &v);
    if (prefix->len)
        nested_name(r, &r->props[r->n_props - 1], prefix, key, key_len);
    return ERR_OK;
}

static int read_properties(struct event_reader *r, struct json_scan *s, struct buf *prefix,
                           int depth, struct err *e)
{
    const char *key;
    size_t key_len;
    while (json_scan_member(s, &key, &key_len)) {
        int rc = read_member_value(r, s, prefix, key, key_len, depth, e);
        if (rc < 0)
            return rc;
    }
    return s->error ? line_error(e, s, s->error) : ERR_OK;
}

static bool key_is(const char *key, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(key, name, len) == 0;
}

/* An identifier may be a string or a number (some SDKs send numeric user ids). */
static int id_value(const struct json_value *v, const char *field, const char **ret,
                    size_t *ret_len, struct err *e)
{
    if (v->kind == JK_NULL)
        return ERR_OK;
    if (v->kind != JK_STRING && v->kind != JK_NUMBER)
        return err_set(e, ERR_INVALID, "field '%s': expected a string", field);
    *ret = v->text;
    *ret_len = v->len;
    return ERR_OK;
}

struct top_fields {
    bool have_event, have_ts;
    const char *user, *anon, *distinct;
    size_t user_len, anon_len, distinct_len;
};

static int top_member(struct event_reader *r, struct json_scan *s, const char *key,
                      size_t key_len, struct event_record *rec, struct top_fields *t,
                      struct buf *prefix, struct err *e)
{
    if (key_is(key, key_len, "properties")) {
        if (!json_scan_peek_object(s)) {
            struct json_value v;
            if (!json_scan_value(s, &v))
                return line_error(e, s, s->error);
            return v.kind == JK_NULL ? ERR_OK
                                     : err_set(e, ERR_INVALID, "field 'properties': expected an "
                                               "object");
        }
        json_scan_object_begin(s);
        return read_properties(r, s, prefix, 1, e);
    }
    struct json_value v;
    if (!json_scan_value(s, &v))
        return line_error(e, s, s->error);
    if (key_is(key, key_len, "event")) {
        if (v.kind != JK_STRING || v.len == 0)
            return err_set(e, ERR_INVALID, "field 'event': expected a non-empty string");
        rec->event = v.text;
        rec->event_len = v.len;
        t->have_event = true;
    } else if (key_is(key, key_len, "timestamp")) {
        int rc = parse_timestamp(&v, &rec->ts_ms, e);
        if (rc < 0)
            return rc;
        t->have_ts = true;
    } else if (key_is(key, key_len, "distinct_id")) {
        return id_value(&v, "distinct_id", &t->distinct, &t->distinct_len, e);
    } else if (key_is(key, key_len, "userId")) {
        return id_value(&v, "userId", &t->user, &t->user_len, e);
    } else if (key_is(key, key_len, "anonymousId")) {
        return id_value(&v, "anonymousId", &t->anon, &t->anon_len, e);
    }
    return ERR_OK; /* other top-level fields (uuid, type, context, ...) are not kept */
}

static void fix_names(struct event_reader *r)
{
    for (size_t i = 0; i < r->n_props; i++) {
        struct event_prop *p = &r->props[i];
        if (!p->name) {
            p->name = r->names.data + p->name_len;
            p->name_len = strlen(p->name);
        }
    }
}

int event_parse_json_line(struct event_reader *r, const char *line, size_t len,
                          struct event_record *ret, struct err *e)
{
    xgrow((void **)&r->scratch, &r->scratch_cap, len + 1, 1);
    buf_reset(&r->names);
    r->n_props = 0;
    struct json_scan s;
    json_scan_init(&s, line, len, r->scratch);
    struct event_record rec = {0};
    struct top_fields t = {0};
    struct buf prefix = BUF_INIT;
    int rc = ERR_OK;
    if (!json_scan_object_begin(&s)) {
        rc = err_set(e, ERR_INVALID, "expected a JSON object");
        goto done;
    }
    const char *key;
    size_t key_len;
    while (rc == ERR_OK && json_scan_member(&s, &key, &key_len))
        rc = top_member(r, &s, key, key_len, &rec, &t, &prefix, e);
    if (rc < 0)
        goto done;
    if (s.error) {
        rc = line_error(e, &s, s.error);
    } else if (!json_scan_at_end(&s)) {
        rc = err_set(e, ERR_INVALID, "unexpected text after the JSON object");
    } else if (!t.have_event) {
        rc = err_set(e, ERR_INVALID, "missing field 'event'");
    } else if (!t.have_ts) {
        rc = err_set(e, ERR_INVALID, "missing field 'timestamp'");
    }
    if (rc < 0)
        goto done;
    if (t.distinct) {
        rec.distinct_id = t.distinct, rec.distinct_id_len = t.distinct_len;
    } else if (t.user) {
        rec.distinct_id = t.user, rec.distinct_id_len = t.user_len;
    } else if (t.anon) {
        rec.distinct_id = t.anon, rec.distinct_id_len = t.anon_len;
    }
    fix_names(r);
    rec.props = r->props;
    rec.n_props = r->n_props;
    *ret = rec;
done:
    buf_release(&prefix);
    return rc;
}
