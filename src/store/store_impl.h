/* store_impl.h: what the store's own files share. Not for use outside src/store/. */
#ifndef STORE_STORE_IMPL_H
#define STORE_STORE_IMPL_H

#include "store/store.h"

#include "core/strdict.h"

#include <sqlite3.h>

#define STORE_STMT_CACHE 24

struct store {
    sqlite3 *db;
    char *path;
    int schema_version;
    bool in_tx;
    /* Statements of the bulk paths (one insert per ingested row), prepared once per run. The
     * key is the address of the SQL text, which is a string literal at each call site. */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STORE_STMT_CACHE];
    size_t n_cache;
    /* Metric series ids by "name\0labels", so that a bulk import looks each series up once. */
    struct strdict series_keys;
    int64_t *series_ids;
    size_t cap_series_ids;
};

/* Fills e with "cannot <what> in store '<path>': <sqlite message>" and returns ERR_STORE (or
 * ERR_CONFLICT for constraint violations, which mean the request clashed with stored data). */
int store__fail(struct store *s, struct err *e, const char *what);

/* Prepares sql; on failure fills e. */
int store__prepare(struct store *s, const char *sql, sqlite3_stmt **ret_stmt, struct err *e);

/* A cached statement for sql (a string literal), reset and with its bindings cleared. Do not
 * finalize it. */
int store__cached(struct store *s, const char *sql, sqlite3_stmt **ret_stmt, struct err *e);

/* Binds an int64 that may be TIME_UNSET / -1 as NULL. */
void store__bind_time(sqlite3_stmt *st, int idx, int64_t v);
void store__bind_count(sqlite3_stmt *st, int idx, int64_t v);
void store__bind_text(sqlite3_stmt *st, int idx, const char *v); /* NULL binds NULL */
int64_t store__column_time(sqlite3_stmt *st, int idx);
int64_t store__column_count(sqlite3_stmt *st, int idx);
char *store__column_strdup(sqlite3_stmt *st, int idx); /* NULL for SQL NULL */

/* Runs the numbered migrations from the file's version up to the supported one, each in the
 * caller's transaction. */
int store__migrate(struct store *s, int from_version, struct err *e);

#define STORE_APPLICATION_ID 0x48534754 /* "HSGT" */

#endif
