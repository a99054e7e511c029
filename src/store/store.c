/* store.c: opening the store safely, transactions, and shared SQLite helpers.
 *
 * Opening reads the file's identity (application_id) and schema version before anything is
 * written, so that foreign files and stores from a newer hindsight are refused untouched. */
#define _POSIX_C_SOURCE 200809L
#include "store/store_impl.h"

#include "core/timefmt.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int store__fail(struct store *s, struct err *e, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    int kind = ERR_STORE;
    const char *hint = "";
    switch (code & 0xff) {
    case SQLITE_CONSTRAINT: kind = ERR_CONFLICT; break;
    case SQLITE_READONLY: hint = " (the file or its folder is not writable)"; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: hint = " (another hindsight is writing; try again)"; break;
    case SQLITE_FULL: hint = " (the disk is full)"; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: hint = " (the file is damaged)"; break;
    default: break;
    }
    return err_set(e, kind, "cannot %s in store '%s': %s%s", what, s->path, msg, hint);
}

int store__prepare(struct store *s, const char *sql, sqlite3_stmt **ret_stmt, struct err *e)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, ret_stmt, NULL) != SQLITE_OK)
        return store__fail(s, e, "prepare a query");
    return ERR_OK;
}

int store__cached(struct store *s, const char *sql, sqlite3_stmt **ret_stmt, struct err *e)
{
    for (size_t i = 0; i < s->n_cache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            *ret_stmt = s->cache[i].st;
            return ERR_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, sql, &st, e);
    if (rc < 0)
        return rc;
    if (s->n_cache < STORE_STMT_CACHE) {
        s->cache[s->n_cache].sql = sql;
        s->cache[s->n_cache].st = st;
        s->n_cache++;
    } else {
        sqlite3_finalize(st); /* the cache is sized for every call site; this is a bug */
        return err_set(e, ERR_INTERNAL, "statement cache full");
    }
    *ret_stmt = st;
    return ERR_OK;
}

void store__bind_time(sqlite3_stmt *st, int idx, int64_t v)
{
    if (v == TIME_UNSET)
        sqlite3_bind_null(st, idx);
    else
        sqlite3_bind_int64(st, idx, v);
}

void store__bind_count(sqlite3_stmt *st, int idx, int64_t v)
{
    if (v < 0)
        sqlite3_bind_null(st, idx);
    else
        sqlite3_bind_int64(st, idx, v);
}

void store__bind_text(sqlite3_stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, idx);
}

int64_t store__column_time(sqlite3_stmt *st, int idx)
{
    return sqlite3_column_type(st, idx) == SQLITE_NULL ? TIME_UNSET
                                                       : sqlite3_column_int64(st, idx);
}

int64_t store__column_count(sqlite3_stmt *st, int idx)
{
    return sqlite3_column_type(st, idx) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, idx);
}

char *store__column_strdup(sqlite3_stmt *st, int idx)
{
    const unsigned char *t = sqlite3_column_text(st, idx);
    return t ? xstrdup((const char *)t) : NULL;
}

/* Runs a query returning one integer. */
static int query_int(struct store *s, const char *sql, int64_t *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, sql, &st, e);
    if (rc < 0)
        goto done;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store__fail(s, e, "read");
        goto done;
    }
    *ret = sqlite3_column_int64(st, 0);
done:
    sqlite3_finalize(st);
    return rc;
}

static int exec(struct store *s, const char *sql, const char *what, struct err *e)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store__fail(s, e, what);
    return ERR_OK;
}

/* Decides, from what the file holds, whether it is ours, new, or to be refused. */
static int check_identity(struct store *s, enum store_open_mode mode, bool *ret_new,
                          struct err *e)
{
    int64_t app_id = 0, version = 0, objects = 0;
    if (query_int(s, "PRAGMA application_id", &app_id, e) < 0 ||
        query_int(s, "PRAGMA user_version", &version, e) < 0 ||
        query_int(s, "SELECT count(*) FROM sqlite_master", &objects, e) < 0) {
        int code = sqlite3_errcode(s->db) & 0xff;
        bool access = code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM;
        return err_set(e, ERR_STORE, "cannot read store '%s': %s (%s)", s->path,
                       sqlite3_errmsg(s->db), access ? "the file or its folder is not writable; "
                       "a store in WAL mode needs both" : "not a hindsight store, or damaged");
    }
    if (app_id != STORE_APPLICATION_ID) {
        if (app_id == 0 && version == 0 && objects == 0) {
            if (mode == STORE_OPEN_EXISTING)
                return err_set(e, ERR_STORE, "'%s' is not a hindsight store (it is empty; "
                               "create one with 'hindsight init')", s->path);
            *ret_new = true;
            return ERR_OK;
        }
        return err_set(e, ERR_STORE, "'%s' is not a hindsight store (an SQLite database of "
                       "another program); it was left untouched", s->path);
    }
    int supported = store_schema_version_supported();
    if (version > supported)
        return err_set(e, ERR_STORE, "store '%s' has schema version %lld, newer than this "
                       "hindsight understands (%d); use a newer hindsight (the store was left "
                       "untouched)", s->path, (long long)version, supported);
    s->schema_version = (int)version;
    *ret_new = false;
    return ERR_OK;
}

static int open_db(struct store *s, enum store_open_mode mode, struct err *e)
{
    struct stat st;
    if (stat(s->path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return err_set(e, ERR_STORE, "cannot open store '%s': it is a directory", s->path);
    } else if (mode == STORE_OPEN_EXISTING) {
        return err_set(e, ERR_STORE, "no store at '%s' (create one with 'hindsight init', or "
                       "choose another with --db or HINDSIGHT_DB)", s->path);
    }
    /* NOMUTEX: a connection is only ever used by the thread that opened it. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (mode == STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK) {
        int sys = s->db ? sqlite3_system_errno(s->db) : 0;
        err_set(e, ERR_STORE, "cannot %s store '%s': %s%s%s%s",
                mode == STORE_OPEN_CREATE ? "create" : "open", s->path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory", sys ? " (" : "",
                sys ? strerror(sys) : "", sys ? ")" : "");
        return ERR_STORE;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    return ERR_OK;
}

int store_open(const char *path, enum store_open_mode mode, struct store **ret_store,
               bool *ret_created, struct err *e)
{
    struct store *s = xcalloc(1, sizeof(*s));
    s->path = xstrdup(path);
    bool is_new = false;
    int rc = open_db(s, mode, e);
    if (rc < 0)
        goto fail;
    if ((rc = check_identity(s, mode, &is_new, e)) < 0)
        goto fail;
    /* WAL keeps readers and the writer apart and survives crashes; on a read-only file this
     * pragma may fail, which only matters once something is written (and is reported then). */
    sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if ((rc = exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", "configure", e)) < 0)
        goto fail;
    if (is_new || s->schema_version < store_schema_version_supported()) {
        if ((rc = store_begin(s, e)) < 0)
            goto fail;
        if (is_new) {
            char sql[64];
            snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", STORE_APPLICATION_ID);
            rc = exec(s, sql, "initialise", e);
        }
        if (rc == ERR_OK)
            rc = store__migrate(s, s->schema_version, e);
        if (rc == ERR_OK)
            rc = store_commit(s, e);
        if (rc < 0) {
            store_rollback(s);
            goto fail;
        }
    }
    if (ret_created)
        *ret_created = is_new;
    *ret_store = s;
    return ERR_OK;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        store_rollback(s);
    for (size_t i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    strdict_release(&s->series_keys);
    free(s->series_ids);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

const char *store_path(const struct store *s)
{
    return s->path;
}

int store_schema_version(const struct store *s)
{
    return s->schema_version;
}

int store_begin(struct store *s, struct err *e)
{
    /* IMMEDIATE takes the write lock now, so a read-only or locked store fails before any work
     * is done instead of at commit. */
    int rc = exec(s, "BEGIN IMMEDIATE", "start a transaction", e);
    if (rc == ERR_OK)
        s->in_tx = true;
    return rc;
}

int store_commit(struct store *s, struct err *e)
{
    int rc = exec(s, "COMMIT", "commit", e);
    if (rc == ERR_OK)
        s->in_tx = false;
    return rc;
}

void store_rollback(struct store *s)
{
    /* Series created inside the transaction disappear with it: forget the cached ids. */
    strdict_reset(&s->series_keys);
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}
