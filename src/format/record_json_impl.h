/* record_json_impl.h: the typed getters of the export reader (format/record_json.c). Not for
 * use outside src/format/record_json*.c.
 *
 * The getters share a sticky error: each does nothing once c->rc is an error, and on failure
 * records the first error with the JSON path of the value. A parser calls them in a row and
 * checks c->rc once, the way a renderer checks a buffer once at the end. Outputs are written
 * only on success; strings written are heap copies the record then owns. */
#ifndef FORMAT_RECORD_JSON_IMPL_H
#define FORMAT_RECORD_JSON_IMPL_H

#include "core/err.h"
#include "core/strlist.h"

#include <jansson.h>

#define RJ_PATH_MAX 192

struct rj {
    struct err *e;
    int rc;                  /* ERR_OK until the first failure */
    char path[RJ_PATH_MAX];  /* of the object being read: "actions[2]", "" at the top */
    size_t len;
    void *user;              /* the parser's own state, for the item callbacks */
};

/* Appends ".key" or "[i]" to the path; returns the mark to give back to rj_leave. */
size_t rj_enter_key(struct rj *c, const char *key);
size_t rj_enter_index(struct rj *c, size_t i);
void rj_leave(struct rj *c, size_t mark);

/* Records "<path>.<key>: <message>" (key may be NULL: "<path>: <message>"); returns c->rc. */
int rj_fail(struct rj *c, const char *key, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Refuses the first key of o that is not in keys (a NULL-terminated list). */
void rj_known_keys(struct rj *c, json_t *o, const char *const keys[]);

void rj_str(struct rj *c, json_t *o, const char *key, bool nullable, char **ret);
/* A time; null gives TIME_UNSET. */
void rj_time(struct rj *c, json_t *o, const char *key, bool nullable, int64_t *ret);
/* An integer in [min, max]; null gives -1. */
void rj_int(struct rj *c, json_t *o, const char *key, int64_t min, int64_t max, bool nullable,
            int64_t *ret);
/* A rating from 1 to 5. */
void rj_rating(struct rj *c, json_t *o, const char *key, int *ret);
/* A finite number, integer or not; null gives NAN. */
void rj_real(struct rj *c, json_t *o, const char *key, bool nullable, double *ret);
/* One of the n names name_of(0) .. name_of(n - 1), exactly; *ret is its index. */
void rj_enum(struct rj *c, json_t *o, const char *key, const char *(*name_of)(int), int n,
             int *ret);
/* An array of distinct strings, appended to ret. */
void rj_strlist(struct rj *c, json_t *o, const char *key, struct strlist *ret);

/* The member key of o, which must be an object (or null when nullable: then NULL is returned
 * with no error). NULL on failure. */
json_t *rj_object(struct rj *c, json_t *o, const char *key, bool nullable);

/* Reads the array o[key] of objects into a new zeroed array of elem-byte items: for element i,
 * the path gets "key[i]", the object's keys are checked against keys and fn fills item i.
 * Returns the array and its length even on failure (items not reached stay zeroed), so the
 * caller's release frees what was filled; NULL with *ret_n 0 when there is no array. */
typedef void (*rj_item_fn)(struct rj *c, json_t *o, void *item, size_t i);
void *rj_list(struct rj *c, json_t *o, const char *key, size_t elem, const char *const keys[],
              rj_item_fn fn, size_t *ret_n);

#endif
