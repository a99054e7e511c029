/* fuzz_search.c: libFuzzer target for the search query compiler (store_search_match,
 * docs/search.md): whatever a person types must become either a clear refusal or an FTS5 MATCH
 * expression that SQLite accepts.
 *
 * The input (up to its first NUL) is the query. A store in a temporary file, created once,
 * holds one incident whose title and summary are indexed, so the MATCH runs against rows.
 *
 * Properties checked (abort() on failure):
 *   - store_search returns ERR_OK, or ERR_INVALID with a message (a syntax error of the
 *     compiled MATCH would come back as a store error: the compiler let through something FTS5
 *     does not parse);
 *   - every hit has a kind, a snippet and a finite score. */
#define _POSIX_C_SOURCE 200809L
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_search: %s: %s\n", what, detail);
    abort();
}

static char path[64];

static void remove_store(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char p[96];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static struct store *store(void)
{
    static struct store *s;
    if (s)
        return s;
    snprintf(path, sizeof(path), "/tmp/fuzz-search-%ld.db", (long)getpid());
    remove_store();
    struct err e = ERR_INIT;
    if (store_open(path, STORE_OPEN_CREATE, &s, NULL, &e) != ERR_OK)
        fail("cannot create the store", e.msg);
    atexit(remove_store);
    struct incident inc;
    incident_init(&inc);
    inc.title = strdup("Android checkout fails after payments SDK release");
    inc.summary = strdup("Provider timeouts (code=504) for platform=android \"5.2\" users");
    inc.severity = SEV2;
    inc.times[T_STARTED] = 1772805900000;
    inc.created_at = inc.updated_at = inc.times[T_STARTED];
    if (store_begin(s, &e) != ERR_OK || store_incident_insert(s, &inc, &e) != ERR_OK ||
        store_commit(s, &e) != ERR_OK)
        fail("cannot add the incident", e.msg);
    incident_release(&inc);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = strnlen((const char *)data, size);
    char *query = malloc(len + 1);
    memcpy(query, data, len);
    query[len] = '\0';
    struct err e = ERR_INIT;
    struct search_hit *hits = NULL;
    size_t n = 0;
    int rc = store_search(store(), query, NULL, 20, &hits, &n, &e);
    if (rc != ERR_OK && rc != ERR_INVALID)
        fail("a query the compiler passed was refused by the store", e.msg);
    if (rc == ERR_INVALID && !e.msg[0])
        fail("a refusal without a message", query);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (!hits[i].kind || !hits[i].snippet || !isfinite(hits[i].score))
            fail("a hit without kind, snippet or finite score", query);
    search_hits_free(hits, n);
    free(query);
    return 0;
}
