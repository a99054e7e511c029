/* jsonl.c: reading JSON Lines files one bounded line at a time.
 *
 * Log and change exports are often large, and a corrupt one may hold a "line" of gigabytes;
 * this reader keeps memory to one line of at most JSONL_LINE_MAX bytes by reading with getc
 * into its own buffer and, past the limit, dropping bytes until the line ends. Each kept line
 * is parsed with jansson's json_loadb. */
#define _POSIX_C_SOURCE 200809L
#include "format/jsonl.h"

#include "core/buf.h"
#include "core/xalloc.h"
#include "format/timestamp.h"

#include <stdlib.h>
#include <string.h>

void jsonl_reader_init(struct jsonl_reader *r, FILE *f)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
}

void jsonl_reader_release(struct jsonl_reader *r)
{
    json_decref(r->obj);
    free(r->line);
    memset(r, 0, sizeof(*r));
}

unsigned jsonl_line(const struct jsonl_reader *r)
{
    return r->line_no;
}

const char *jsonl_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

/* Reads one physical line into r->line (without its LF). Returns 1 for a line, 0 at the end
 * of the file, ERR_IO; *ret_too_long is set when bytes past the limit were dropped. */
static int read_line(struct jsonl_reader *r, bool *ret_too_long)
{
    bool too_long = false;
    r->len = 0;
    if (r->eof)
        return 0;
    int c;
    bool any = false;
    while ((c = getc_unlocked(r->f)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (r->len >= JSONL_LINE_MAX) {
            too_long = true;
            continue;
        }
        xgrow((void **)&r->line, &r->alloc, r->len + 1, 1);
        r->line[r->len++] = (char)c;
    }
    if (c == EOF) {
        if (ferror(r->f))
            return ERR_IO;
        r->eof = true;
        if (!any)
            return 0;
    }
    r->line_no++;
    *ret_too_long = too_long;
    return 1;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static int refuse(struct jsonl_reader *r, struct err *e, const char *fmt, const char *detail)
{
    err_set(e, ERR_INVALID, fmt, detail);
    if (e) {
        e->line = r->line_no;
        e->column = 0;
    }
    return ERR_INVALID;
}

int jsonl_next(struct jsonl_reader *r, json_t **ret_obj, struct err *e)
{
    json_decref(r->obj);
    r->obj = NULL;
    for (;;) {
        bool too_long = false;
        int rc = read_line(r, &too_long);
        if (rc < 0) {
            err_set(e, ERR_IO, "cannot read the file after line %u", r->line_no);
            if (e)
                e->line = r->line_no;
            return ERR_IO;
        }
        if (rc == 0)
            return 0;
        const char *s = r->line;
        size_t len = r->len;
        if (!r->started) {
            r->started = true;
            if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
                s += 3, len -= 3;
        }
        if (too_long) {
            err_set(e, ERR_INVALID, "line longer than %zu bytes", JSONL_LINE_MAX);
            if (e)
                e->line = r->line_no;
            return ERR_INVALID;
        }
        if (blank(s, len))
            continue;
        json_error_t jerr;
        json_t *v = json_loadb(s, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
        if (!v) {
            rc = refuse(r, e, "invalid JSON: %s", jerr.text);
            if (e && jerr.column > 0)
                e->column = (unsigned)jerr.column;
            return rc;
        }
        if (!json_is_object(v)) {
            rc = refuse(r, e, "expected a JSON object, got %s", jsonl_type_name(v));
            json_decref(v);
            return rc;
        }
        r->obj = v;
        *ret_obj = v;
        return 1;
    }
}

/* The first of names present with a non-null value, or NULL; *ret_name is its name. */
static json_t *find(json_t *obj, const char *const names[], const char **ret_name)
{
    for (size_t i = 0; names[i]; i++) {
        json_t *v = json_object_get(obj, names[i]);
        if (v && !json_is_null(v)) {
            *ret_name = names[i];
            return v;
        }
    }
    return NULL;
}

static int missing(const char *const names[], struct err *e)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "missing field '%s'", names[0]);
    for (size_t i = 1; names[i]; i++)
        buf_printf(&b, "%s'%s'", i == 1 ? " (or " : ", ", names[i]);
    if (names[1])
        buf_putc(&b, ')');
    err_set(e, ERR_INVALID, "%s", buf_str(&b));
    buf_release(&b);
    return ERR_INVALID;
}

int jsonl_string(json_t *obj, const char *const names[], bool required, const char **ret_s,
                 struct err *e)
{
    const char *name = NULL;
    json_t *v = find(obj, names, &name);
    if (!v) {
        if (required)
            return missing(names, e);
        *ret_s = NULL;
        return ERR_OK;
    }
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, "field '%s': expected a string, got %s", name,
                       jsonl_type_name(v));
    const char *s = json_string_value(v);
    *ret_s = !required && !*s ? NULL : s;
    return ERR_OK;
}

int jsonl_time(json_t *obj, const char *const names[], int64_t *ret_ms, struct err *e)
{
    const char *name = NULL;
    json_t *v = find(obj, names, &name);
    if (!v)
        return missing(names, e);
    int rc;
    if (json_is_string(v))
        rc = ts_parse_any(json_string_value(v), json_string_length(v), ret_ms, e);
    else if (json_is_integer(v))
        rc = ts_from_epoch_i64((int64_t)json_integer_value(v), ret_ms, e);
    else if (json_is_real(v))
        rc = ts_from_epoch_double(json_real_value(v), ret_ms, e);
    else
        return err_set(e, ERR_INVALID, "field '%s': expected a time (a string or a number), "
                       "got %s", name, jsonl_type_name(v));
    if (rc < 0)
        err_prefix(e, "field '%s': ", name);
    return rc;
}
