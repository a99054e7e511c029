/* store_impl.h: what the store's own files share. Not for use outside src/store/. */
#ifndef STORE_STORE_IMPL_H
#define STORE_STORE_IMPL_H

#include "store/store.h"

#include <sqlite3.h>

struct store {
    sqlite3 *db;
    char *path;
    int schema_version;
    bool in_tx;
};

/* Fills e with "cannot <what> in store '<path>': <sqlite message>" and returns ERR_STORE (or
 * ERR_CONFLICT for constraint violations, which mean the request clashed with stored data). */
int store__fail(struct store *s, struct err *e, const char *what);

/* Prepares sql; on failure fills e. */
int store__prepare(struct store *s, const char *sql, sqlite3_stmt **ret_stmt, struct err *e);

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
