/* record_json_get.c: typed, path-naming getters for the export reader (record_json_impl.h). */
#include "format/record_json_impl.h"

#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/jsonl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t enter(struct rj *c, const char *fmt, const char *key, size_t i)
{
    size_t mark = c->len;
    int n = key ? snprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, key)
                : snprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, i);
    /* A path too deep for the buffer is cut; it still starts with the right prefix. */
    if (n > 0)
        c->len = strlen(c->path);
    return mark;
}

size_t rj_enter_key(struct rj *c, const char *key)
{
    return enter(c, c->len ? ".%s" : "%s", key, 0);
}

size_t rj_enter_index(struct rj *c, size_t i)
{
    return enter(c, "[%zu]", NULL, i);
}

void rj_leave(struct rj *c, size_t mark)
{
    c->len = mark;
    c->path[mark] = '\0';
}

int rj_fail(struct rj *c, const char *key, const char *fmt, ...)
{
    if (c->rc < 0)
        return c->rc;
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *dot = c->len && key ? "." : "";
    c->rc = err_set(c->e, ERR_INVALID, "%s%s%.64s%s%s", c->path, dot, key ? key : "",
                    c->len || key ? ": " : "", msg);
    return c->rc;
}

void rj_known_keys(struct rj *c, json_t *o, const char *const keys[])
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        bool known = false;
        for (size_t k = 0; keys[k] && !known; k++)
            known = strcmp(key, keys[k]) == 0;
        if (!known && c->rc == ERR_OK) {
            rj_fail(c, NULL, "unknown key '%.64s'", key);
            return;
        }
    }
}

/* The member, or NULL after recording why not: missing, or null where it may not be. *is_null
 * tells an accepted null. */
static json_t *member(struct rj *c, json_t *o, const char *key, bool nullable,
                      const char *expected, bool *is_null)
{
    *is_null = false;
    if (c->rc < 0)
        return NULL;
    json_t *v = json_object_get(o, key);
    if (!v) {
        rj_fail(c, NULL, "missing key '%s'", key);
        return NULL;
    }
    if (json_is_null(v)) {
        if (!nullable)
            rj_fail(c, key, "expected %s, got null", expected);
        else
            *is_null = true;
        return NULL;
    }
    return v;
}

void rj_str(struct rj *c, json_t *o, const char *key, bool nullable, char **ret)
{
    bool is_null;
    json_t *v = member(c, o, key, nullable, "a string", &is_null);
    if (!v)
        return;
    if (!json_is_string(v)) {
        rj_fail(c, key, "expected a string%s, got %s", nullable ? " or null" : "",
                jsonl_type_name(v));
        return;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        rj_fail(c, key, "a string with a NUL character");
        return;
    }
    *ret = xstrdup(json_string_value(v));
}

void rj_time(struct rj *c, json_t *o, const char *key, bool nullable, int64_t *ret)
{
    bool is_null;
    json_t *v = member(c, o, key, nullable, "an RFC 3339 time", &is_null);
    if (is_null)
        *ret = TIME_UNSET;
    if (!v)
        return;
    struct err why = ERR_INIT;
    int64_t ms;
    if (!json_is_string(v)) {
        rj_fail(c, key, "expected an RFC 3339 time, got %s", jsonl_type_name(v));
    } else if (time_parse_rfc3339(json_string_value(v), &ms, &why) < 0) {
        rj_fail(c, key, "%s", why.msg); /* "invalid time 'x': ..." says what was expected */
    } else {
        *ret = ms;
    }
}

void rj_int(struct rj *c, json_t *o, const char *key, int64_t min, int64_t max, bool nullable,
            int64_t *ret)
{
    bool is_null;
    json_t *v = member(c, o, key, nullable, "an integer", &is_null);
    if (is_null)
        *ret = -1;
    if (!v)
        return;
    if (!json_is_integer(v))
        rj_fail(c, key, "expected an integer, got %s", jsonl_type_name(v));
    else if (json_integer_value(v) < min || json_integer_value(v) > max)
        rj_fail(c, key, "%lld is out of range (%lld to %lld)", (long long)json_integer_value(v),
                (long long)min, (long long)max);
    else
        *ret = (int64_t)json_integer_value(v);
}

void rj_rating(struct rj *c, json_t *o, const char *key, int *ret)
{
    int64_t v = 0;
    rj_int(c, o, key, 1, 5, false, &v);
    if (c->rc == ERR_OK)
        *ret = (int)v;
}

void rj_real(struct rj *c, json_t *o, const char *key, bool nullable, double *ret)
{
    bool is_null;
    json_t *v = member(c, o, key, nullable, "a number", &is_null);
    if (is_null)
        *ret = NAN;
    if (!v)
        return;
    if (!json_is_number(v))
        rj_fail(c, key, "expected a number, got %s", jsonl_type_name(v));
    else if (!isfinite(json_number_value(v)))
        rj_fail(c, key, "expected a finite number");
    else
        *ret = json_number_value(v);
}

void rj_enum(struct rj *c, json_t *o, const char *key, const char *(*name_of)(int), int n,
             int *ret)
{
    char *s = NULL;
    rj_str(c, o, key, false, &s);
    if (!s)
        return;
    for (int k = 0; k < n; k++) {
        if (strcmp(s, name_of(k)) == 0) {
            *ret = k;
            free(s);
            return;
        }
    }
    char names[256] = "";
    for (int k = 0; k < n; k++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof(names) - used, "%s%s", k ? ", " : "", name_of(k));
    }
    rj_fail(c, key, "unknown value '%.64s' (expected %s)", s, names);
    free(s);
}

void rj_strlist(struct rj *c, json_t *o, const char *key, struct strlist *ret)
{
    bool is_null;
    json_t *a = member(c, o, key, false, "an array", &is_null);
    if (!a)
        return;
    if (!json_is_array(a)) {
        rj_fail(c, key, "expected an array of strings, got %s", jsonl_type_name(a));
        return;
    }
    size_t mark = rj_enter_key(c, key);
    for (size_t i = 0; i < json_array_size(a) && c->rc == ERR_OK; i++) {
        json_t *v = json_array_get(a, i);
        size_t at = rj_enter_index(c, i);
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
            rj_fail(c, NULL, "expected a string, got %s", jsonl_type_name(v));
        else if (!strlist_add_unique(ret, json_string_value(v)))
            rj_fail(c, NULL, "'%.64s' is listed twice", json_string_value(v));
        rj_leave(c, at);
    }
    rj_leave(c, mark);
}

json_t *rj_object(struct rj *c, json_t *o, const char *key, bool nullable)
{
    bool is_null;
    json_t *v = member(c, o, key, nullable, "an object", &is_null);
    if (v && !json_is_object(v)) {
        rj_fail(c, key, "expected an object%s, got %s", nullable ? " or null" : "",
                jsonl_type_name(v));
        return NULL;
    }
    return v;
}

void *rj_list(struct rj *c, json_t *o, const char *key, size_t elem, const char *const keys[],
              rj_item_fn fn, size_t *ret_n)
{
    *ret_n = 0;
    bool is_null;
    json_t *a = member(c, o, key, false, "an array", &is_null);
    if (!a)
        return NULL;
    if (!json_is_array(a)) {
        rj_fail(c, key, "expected an array, got %s", jsonl_type_name(a));
        return NULL;
    }
    size_t n = json_array_size(a);
    char *items = n ? xcalloc(n, elem) : NULL;
    *ret_n = n;
    size_t mark = rj_enter_key(c, key);
    for (size_t i = 0; i < n && c->rc == ERR_OK; i++) {
        size_t at = rj_enter_index(c, i);
        json_t *v = json_array_get(a, i);
        if (!json_is_object(v)) {
            rj_fail(c, NULL, "expected an object, got %s", jsonl_type_name(v));
        } else {
            rj_known_keys(c, v, keys);
            if (c->rc == ERR_OK)
                fn(c, v, items + i * elem, i);
        }
        rj_leave(c, at);
    }
    rj_leave(c, mark);
    return items;
}
