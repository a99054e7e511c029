/* test_store.c: the SQLite store: opening safely, incidents, timeline, audit log, settings.
 *
 * Every test works in its own mkdtemp() directory, removed by the fixture. */
#define _POSIX_C_SOURCE 200809L
#include "../support/scratch.h"
#include "core/timefmt.h"
#include "store/store.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static char dir[64];
static char db_path[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/hindsight-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/h.db", dir);
}

static void teardown(void)
{
    scratch_remove(dir);
}

TestSuite(store, .init = setup, .fini = teardown);

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

static struct store *open_new(void)
{
    struct store *s = NULL;
    struct err e = ERR_INIT;
    bool created = false;
    int rc = store_open(db_path, STORE_OPEN_CREATE, &s, &created, &e);
    cr_assert_eq(rc, ERR_OK, "store_open: %s", e.msg);
    cr_assert_not_null(s);
    return s;
}

/* Number of entries in the test directory (excluding . and ..). */
static int dir_entries(void)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL)
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* Reads the whole file into a heap buffer; *ret_len is its size. */
static unsigned char *read_file(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    unsigned char *data = malloc(1 << 16);
    size_t n = fread(data, 1, 1 << 16, f);
    fclose(f);
    *ret_len = n;
    return data;
}

/* Runs SQL on path directly with SQLite, as another program would. */
static void raw_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "%s", msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

static void make_incident(struct incident *inc, const char *title, enum severity sev,
                          enum incident_status st, int64_t started)
{
    incident_init(inc);
    inc->title = strdup(title);
    inc->severity = sev;
    inc->status = st;
    inc->times[T_STARTED] = started;
    inc->created_at = inc->updated_at = started + MS_PER_DAY;
}

static void make_full(struct incident *inc)
{
    make_incident(inc, "Checkout errors", SEV2, ST_RESOLVED, T0);
    inc->summary = strdup("Payments failed.\nRolled back at 12:30.");
    inc->owner = strdup("alice");
    inc->times[T_DETECTED] = T0 + 5 * MS_PER_MINUTE;
    inc->times[T_ACKNOWLEDGED] = T0 + 7 * MS_PER_MINUTE + 125;
    inc->times[T_MITIGATED] = T0 + 30 * MS_PER_MINUTE;
    inc->times[T_RESOLVED] = T0 + 2 * MS_PER_HOUR;
    inc->reopen_count = 2;
    inc->affected_users = 1500;
    inc->revenue_lost = 1234.75;
    inc->support_tickets = 0;
    strlist_push(&inc->services, "payments");
    strlist_push(&inc->services, "checkout");
    strlist_push(&inc->segments, "platform=android");
    strlist_push(&inc->segments, "region=eu");
    strlist_push(&inc->tags, "team:payments");
    strlist_push(&inc->tags, "failure-mode:bad-deploy");
    incident_add_signal(inc, "checkout-errors", T0 + 2 * MS_PER_MINUTE);
    incident_add_signal(inc, "latency", T0 + MS_PER_MINUTE);
}

static void assert_same_incident(const struct incident *a, const struct incident *b)
{
    for (int f = 0; f < F__COUNT; f++) {
        char *x = incident_field_text(a, (enum incident_field)f);
        char *y = incident_field_text(b, (enum incident_field)f);
        cr_assert_str_eq(x, y, "field %s", incident_field_name((enum incident_field)f));
        free(x);
        free(y);
    }
    cr_assert_eq(a->id, b->id);
    cr_assert_eq(a->seq, b->seq);
    cr_assert_eq(a->created_at, b->created_at);
    cr_assert_eq(a->updated_at, b->updated_at);
    for (int t = 0; t < T__COUNT; t++)
        cr_assert_eq(a->times[t], b->times[t], "time %s", incident_time_name((enum incident_time)t));
    cr_assert_eq(a->n_signals, b->n_signals);
    for (size_t i = 0; i < a->n_signals; i++) {
        cr_assert_str_eq(a->signals[i].name, b->signals[i].name);
        cr_assert_eq(a->signals[i].at, b->signals[i].at);
    }
    if (isnan(a->revenue_lost))
        cr_assert(isnan(b->revenue_lost));
    else
        cr_assert_eq(a->revenue_lost, b->revenue_lost);
}

static void insert_ok(struct store *s, struct incident *inc)
{
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_insert(s, inc, &e), ERR_OK, "insert: %s", e.msg);
}

/* ---- opening ---- */

Test(store, create_initialises_schema)
{
    struct store *s = NULL;
    struct err e = ERR_INIT;
    bool created = false;
    cr_assert_eq(store_open(db_path, STORE_OPEN_CREATE, &s, &created, &e), ERR_OK, "%s", e.msg);
    cr_assert(created);
    cr_assert_geq(store_schema_version_supported(), 1);
    cr_assert_eq(store_schema_version(s), store_schema_version_supported());
    cr_assert_str_eq(store_path(s), db_path);
    store_close(s);

    struct stat st;
    cr_assert_eq(stat(db_path, &st), 0, "the file exists");

    /* opening it again: not created, same version */
    s = NULL;
    created = true;
    cr_assert_eq(store_open(db_path, STORE_OPEN_EXISTING, &s, &created, &e), ERR_OK, "%s", e.msg);
    cr_assert(!created);
    cr_assert_eq(store_schema_version(s), store_schema_version_supported());
    store_close(s);
    s = NULL;
    cr_assert_eq(store_open(db_path, STORE_OPEN_CREATE, &s, &created, &e), ERR_OK, "%s", e.msg);
    cr_assert(!created, "an existing store is not recreated");
    store_close(s);
}

Test(store, data_survives_reopen)
{
    struct store *s = open_new();
    struct incident inc, got;
    make_full(&inc);
    insert_ok(s, &inc);
    store_close(s);
    s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(db_path, STORE_OPEN_EXISTING, &s, NULL, &e), ERR_OK, "%s", e.msg);
    incident_init(&got);
    cr_assert_eq(store_incident_get(s, inc.seq, &got, &e), ERR_OK, "%s", e.msg);
    assert_same_incident(&inc, &got);
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, existing_mode_on_missing_path)
{
    struct store *s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(db_path, STORE_OPEN_EXISTING, &s, NULL, &e), ERR_STORE);
    cr_assert_eq(e.code, ERR_STORE);
    cr_assert_null(s);
    assert_contains(e.msg, "no store at");
    assert_contains(e.msg, db_path);
    cr_assert_eq(dir_entries(), 0, "nothing was created");
}

Test(store, create_in_missing_directory_fails)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/no/such/dir/h.db", dir);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(path, STORE_OPEN_CREATE, &s, NULL, &e), ERR_STORE);
    assert_contains(e.msg, "cannot create store");
    assert_contains(e.msg, path);
}

Test(store, directory_is_refused)
{
    struct store *s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(dir, STORE_OPEN_CREATE, &s, NULL, &e), ERR_STORE);
    assert_contains(e.msg, "it is a directory");
}

Test(store, random_bytes_are_refused_untouched)
{
    unsigned char junk[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    cr_assert_neq(memcmp(junk, "SQLite format 3", 15), 0);
    write_file(db_path, junk, sizeof(junk));

    static const enum store_open_mode modes[] = {STORE_OPEN_EXISTING, STORE_OPEN_CREATE};
    for (size_t m = 0; m < 2; m++) {
        struct store *s = NULL;
        struct err e = ERR_INIT;
        cr_assert_eq(store_open(db_path, modes[m], &s, NULL, &e), ERR_STORE);
        cr_assert_eq(e.code, ERR_STORE);
        cr_assert_null(s);
        assert_contains(e.msg, "not a hindsight store");
        assert_contains(e.msg, db_path);
    }
    size_t len;
    unsigned char *after = read_file(db_path, &len);
    cr_assert_eq(len, sizeof(junk));
    cr_assert_eq(memcmp(after, junk, len), 0, "the file's bytes are unchanged");
    free(after);
    cr_assert_eq(dir_entries(), 1, "no journal or WAL file left behind");
}

Test(store, foreign_sqlite_file_is_refused_untouched)
{
    raw_sql(db_path, "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hello');");
    size_t len_before, len_after;
    unsigned char *before = read_file(db_path, &len_before);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(db_path, STORE_OPEN_CREATE, &s, NULL, &e), ERR_STORE);
    assert_contains(e.msg, "is not a hindsight store (an SQLite database of another program)");
    unsigned char *after = read_file(db_path, &len_after);
    cr_assert_eq(len_before, len_after);
    cr_assert_eq(memcmp(before, after, len_before), 0);
    free(before);
    free(after);
}

Test(store, newer_schema_is_refused)
{
    struct store *s = open_new();
    store_close(s);
    raw_sql(db_path, "PRAGMA user_version = 999");
    s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(db_path, STORE_OPEN_EXISTING, &s, NULL, &e), ERR_STORE);
    assert_contains(e.msg, "has schema version 999, newer than this hindsight understands");
    cr_assert_null(s);
}

Test(store, empty_file)
{
    write_file(db_path, (const unsigned char *)"", 0);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_open(db_path, STORE_OPEN_EXISTING, &s, NULL, &e), ERR_STORE);
    assert_contains(e.msg, "it is empty");
    bool created = false;
    cr_assert_eq(store_open(db_path, STORE_OPEN_CREATE, &s, &created, &e), ERR_OK, "%s", e.msg);
    cr_assert(created, "an empty file is adopted");
    cr_assert_eq(store_schema_version(s), store_schema_version_supported());
    store_close(s);
}

/* ---- incidents ---- */

Test(store, insert_assigns_keys)
{
    struct store *s = open_new();
    struct incident a, b;
    make_incident(&a, "first", SEV1, ST_OPEN, T0);
    make_incident(&b, "second", SEV1, ST_OPEN, T0);
    insert_ok(s, &a);
    insert_ok(s, &b);
    cr_assert_eq(a.seq, 1);
    cr_assert_eq(b.seq, 2);
    cr_assert_gt(a.id, 0);
    cr_assert_gt(b.id, 0);
    cr_assert_neq(a.id, b.id);
    incident_release(&a);
    incident_release(&b);
    store_close(s);
}

Test(store, insert_get_round_trip_all_fields)
{
    struct store *s = open_new();
    struct incident inc, got;
    make_full(&inc);
    insert_ok(s, &inc);
    incident_init(&got);
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_get(s, inc.seq, &got, &e), ERR_OK, "%s", e.msg);
    assert_same_incident(&inc, &got);
    /* lists come back in their order, not sorted */
    cr_assert_str_eq(got.services.items[0], "payments");
    cr_assert_str_eq(got.tags.items[0], "team:payments");
    cr_assert_str_eq(got.signals[0].name, "checkout-errors");
    cr_assert_str_eq(got.summary, "Payments failed.\nRolled back at 12:30.");
    cr_assert_eq(got.support_tickets, 0, "zero is kept apart from unknown");
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, round_trip_of_unknowns)
{
    struct store *s = open_new();
    struct incident inc, got;
    make_incident(&inc, "bare", SEV4, ST_OPEN, T0);
    insert_ok(s, &inc);
    incident_init(&got);
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_get(s, inc.seq, &got, &e), ERR_OK, "%s", e.msg);
    assert_same_incident(&inc, &got);
    cr_assert_null(got.summary);
    cr_assert_null(got.owner);
    cr_assert_eq(got.affected_users, -1);
    cr_assert_eq(got.support_tickets, -1);
    cr_assert(isnan(got.revenue_lost));
    cr_assert_eq(got.times[T_RESOLVED], TIME_UNSET);
    cr_assert_eq(got.n_signals, 0);
    cr_assert_eq(got.services.n, 0);
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, get_unknown)
{
    struct store *s = open_new();
    struct incident got;
    incident_init(&got);
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_get(s, 9, &got, &e), ERR_NOT_FOUND);
    cr_assert_eq(e.code, ERR_NOT_FOUND);
    cr_assert_str_eq(e.msg, "unknown incident 'INC-9'");
    cr_assert_null(got.title);
    incident_release(&got);
    store_close(s);
}

Test(store, save_rewrites_fields_and_lists)
{
    struct store *s = open_new();
    struct incident inc, got;
    make_full(&inc);
    insert_ok(s, &inc);
    free(inc.title);
    inc.title = strdup("Renamed");
    free(inc.owner);
    inc.owner = NULL;
    inc.status = ST_POSTMORTEM;
    inc.times[T_DETECTED] = TIME_UNSET;
    inc.revenue_lost = NAN;
    inc.updated_at += 1000;
    strlist_remove(&inc.services, "payments");
    strlist_push(&inc.tags, "cause:config");
    incident_remove_signal(&inc, "latency");
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_save(s, &inc, &e), ERR_OK, "%s", e.msg);
    incident_init(&got);
    cr_assert_eq(store_incident_get(s, inc.seq, &got, &e), ERR_OK, "%s", e.msg);
    assert_same_incident(&inc, &got);
    cr_assert_eq(got.services.n, 1);
    cr_assert_eq(got.tags.n, 3);
    cr_assert_eq(got.n_signals, 1);
    cr_assert_null(got.owner);
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, save_of_missing_row)
{
    struct store *s = open_new();
    struct incident inc;
    make_incident(&inc, "ghost", SEV1, ST_OPEN, T0);
    inc.id = 77;
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_save(s, &inc, &e), ERR_NOT_FOUND);
    incident_release(&inc);
    store_close(s);
}

Test(store, rollback_after_insert_leaves_nothing)
{
    struct store *s = open_new();
    struct err e = ERR_INIT;
    struct incident inc;
    make_full(&inc);
    cr_assert_eq(store_begin(s, &e), ERR_OK, "%s", e.msg);
    insert_ok(s, &inc);
    cr_assert_eq(inc.seq, 1);
    store_rollback(s);

    struct incident got;
    incident_init(&got);
    cr_assert_eq(store_incident_get(s, 1, &got, &e), ERR_NOT_FOUND);
    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *list = NULL;
    size_t n = 99;
    cr_assert_eq(store_incident_list(s, &f, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 0);
    incidents_free(list, n);

    /* the store is usable after the rollback, and the key is reused */
    struct incident again;
    make_incident(&again, "again", SEV3, ST_OPEN, T0);
    insert_ok(s, &again);
    cr_assert_eq(again.seq, 1);
    incident_release(&again);
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, commit_keeps_writes)
{
    struct store *s = open_new();
    struct err e = ERR_INIT;
    struct incident inc, got;
    make_incident(&inc, "kept", SEV3, ST_OPEN, T0);
    cr_assert_eq(store_begin(s, &e), ERR_OK, "%s", e.msg);
    insert_ok(s, &inc);
    cr_assert_eq(store_commit(s, &e), ERR_OK, "%s", e.msg);
    store_rollback(s); /* nothing open: harmless */
    incident_init(&got);
    cr_assert_eq(store_incident_get(s, 1, &got, &e), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(got.title, "kept");
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

Test(store, close_rolls_back_open_transaction)
{
    struct store *s = open_new();
    struct err e = ERR_INIT;
    struct incident inc;
    make_incident(&inc, "lost", SEV3, ST_OPEN, T0);
    cr_assert_eq(store_begin(s, &e), ERR_OK, "%s", e.msg);
    insert_ok(s, &inc);
    store_close(s);
    s = open_new();
    struct incident got;
    incident_init(&got);
    cr_assert_eq(store_incident_get(s, 1, &got, &e), ERR_NOT_FOUND);
    incident_release(&inc);
    incident_release(&got);
    store_close(s);
}

/* Three incidents for the filter tests:
 *   INC-1 SEV1 open     started T0        tag team:payments, service checkout
 *   INC-2 SEV2 resolved started T0 + 1 d  tag team:search,   service search
 *   INC-3 SEV2 open     started T0 + 2 d  tag team:payments, summary mentions checkout */
static void fill(struct store *s)
{
    struct incident a, b, c;
    make_incident(&a, "Checkout down", SEV1, ST_OPEN, T0);
    strlist_push(&a.tags, "team:payments");
    strlist_push(&a.services, "checkout");
    make_incident(&b, "Search slow", SEV2, ST_RESOLVED, T0 + MS_PER_DAY);
    b.times[T_MITIGATED] = b.times[T_RESOLVED] = T0 + MS_PER_DAY + MS_PER_HOUR;
    strlist_push(&b.tags, "team:search");
    strlist_push(&b.services, "search");
    make_incident(&c, "Login errors", SEV2, ST_OPEN, T0 + 2 * MS_PER_DAY);
    c.summary = strdup("The OAuth redirect broke CHECKOUT too");
    strlist_push(&c.tags, "team:payments");
    insert_ok(s, &a);
    insert_ok(s, &b);
    insert_ok(s, &c);
    incident_release(&a);
    incident_release(&b);
    incident_release(&c);
}

/* Lists with f and asserts the result is exactly the keys in want, in that order ("3,1"). */
static void assert_list(struct store *s, const struct incident_filter *f, const char *want)
{
    struct incident *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_list(s, f, &list, &n, &e), ERR_OK, "%s", e.msg);
    char got[128] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(got);
        snprintf(got + len, sizeof(got) - len, "%s%lld", i ? "," : "", (long long)list[i].seq);
    }
    cr_assert_str_eq(got, want);
    incidents_free(list, n);
}

Test(store, list_all_newest_first)
{
    struct store *s = open_new();
    fill(s);
    struct incident_filter f = INCIDENT_FILTER_INIT;
    assert_list(s, &f, "3,2,1");
    /* the listed records are complete, lists included */
    struct incident *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_list(s, &f, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(list[2].title, "Checkout down");
    cr_assert_eq(list[2].services.n, 1);
    cr_assert_str_eq(list[2].services.items[0], "checkout");
    cr_assert_eq(list[1].status, ST_RESOLVED);
    cr_assert_eq(list[1].severity, SEV2);
    cr_assert_eq(list[1].tags.n, 1);
    cr_assert_str_eq(list[1].tags.items[0], "team:search");
    cr_assert_eq(list[0].services.n, 0);
    cr_assert_str_eq(list[0].summary, "The OAuth redirect broke CHECKOUT too");
    incidents_free(list, n);
    store_close(s);
}

Test(store, listed_records_equal_loaded_ones)
{
    /* listing attaches each child row (services, segments, tags, signals) to its own incident */
    struct store *s = open_new();
    struct incident full;
    make_full(&full);
    insert_ok(s, &full);
    fill(s);
    struct incident other;
    make_full(&other);
    free(other.title);
    other.title = strdup("Other full one");
    strlist_push(&other.services, "search");
    incident_remove_signal(&other, "checkout-errors");
    incident_add_signal(&other, "disk-full", T0 + 3 * MS_PER_MINUTE);
    insert_ok(s, &other);

    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_list(s, &f, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 5);
    for (size_t i = 0; i < n; i++) {
        struct incident got;
        incident_init(&got);
        cr_assert_eq(store_incident_get(s, list[i].seq, &got, &e), ERR_OK, "%s", e.msg);
        assert_same_incident(&list[i], &got);
        incident_release(&got);
    }
    incidents_free(list, n);
    incident_release(&full);
    incident_release(&other);
    store_close(s);
}

Test(store, list_filters)
{
    struct store *s = open_new();
    fill(s);
    struct incident_filter f = INCIDENT_FILTER_INIT;

    f.status = ST_OPEN;
    assert_list(s, &f, "3,1");
    f.status = ST_RESOLVED;
    assert_list(s, &f, "2");
    f.status = ST_COMPLETE;
    assert_list(s, &f, "");
    f.status = -1;

    f.severity = SEV2;
    assert_list(s, &f, "3,2");
    f.status = ST_OPEN;
    assert_list(s, &f, "3");
    f.status = -1;
    f.severity = SEV4;
    assert_list(s, &f, "");
    f.severity = 0;

    f.tag = "team:payments";
    assert_list(s, &f, "3,1");
    f.tag = "team:pay";
    assert_list(s, &f, ""); /* tags match exactly */
    f.tag = NULL;

    f.service = "checkout";
    assert_list(s, &f, "1");
    f.service = NULL;

    f.since = T0 + MS_PER_DAY;
    assert_list(s, &f, "3,2");
    f.until = T0 + 2 * MS_PER_DAY;
    assert_list(s, &f, "2"); /* until is exclusive */
    f.since = TIME_UNSET;
    assert_list(s, &f, "2,1");
    f.until = T0;
    assert_list(s, &f, "");
    f.until = TIME_UNSET;

    f.search = "checkout";
    assert_list(s, &f, "3,1"); /* title or summary, any case */
    f.search = "SEARCH";
    assert_list(s, &f, "2");
    f.search = "inc-2";
    assert_list(s, &f, "2"); /* the key is searched */
    f.search = "nothing like this";
    assert_list(s, &f, "");
    f.search = "checkout";
    f.severity = SEV1;
    f.tag = "team:payments";
    assert_list(s, &f, "1"); /* filters combine */
    store_close(s);
}

/* ---- timeline ---- */

static void add_entry(struct store *s, int64_t incident_id, int64_t at, enum timeline_kind kind,
                      const char *text, int64_t *ret_id)
{
    struct timeline_entry t = {0};
    t.incident_id = incident_id;
    t.at = at;
    t.kind = kind;
    t.text = (char *)text;
    t.author = (char *)"bob";
    t.created_at = T0 + MS_PER_DAY;
    struct err e = ERR_INIT;
    cr_assert_eq(store_timeline_add(s, &t, ret_id, &e), ERR_OK, "%s", e.msg);
}

Test(store, timeline_ordered_by_time_then_insertion)
{
    struct store *s = open_new();
    struct incident a, b;
    make_incident(&a, "a", SEV1, ST_OPEN, T0);
    make_incident(&b, "b", SEV1, ST_OPEN, T0);
    insert_ok(s, &a);
    insert_ok(s, &b);
    int64_t id1 = 0, id2 = 0, id3 = 0, id4 = 0;
    add_entry(s, a.id, T0 + 5000, TL_RESPONSE, "rolled back", &id1);
    add_entry(s, a.id, T0 + 1000, TL_SIGNAL, "alert fired", &id2);
    add_entry(s, b.id, T0, TL_NOTE, "other incident", &id3);
    add_entry(s, a.id, T0 + 5000, TL_COMMUNICATION, "status page", &id4);
    cr_assert(id1 > 0 && id2 > id1 && id3 > id2 && id4 > id3);

    struct timeline_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_timeline_list(s, a.id, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 3);
    cr_assert_eq(list[0].id, id2);
    cr_assert_eq(list[0].at, T0 + 1000);
    cr_assert_eq(list[0].kind, TL_SIGNAL);
    cr_assert_str_eq(list[0].text, "alert fired");
    cr_assert_str_eq(list[0].author, "bob");
    cr_assert_eq(list[0].incident_id, a.id);
    cr_assert_eq(list[0].created_at, T0 + MS_PER_DAY);
    cr_assert_eq(list[1].id, id1);
    cr_assert_eq(list[1].kind, TL_RESPONSE);
    cr_assert_eq(list[2].id, id4);
    cr_assert_eq(list[2].kind, TL_COMMUNICATION);
    cr_assert_str_eq(list[2].text, "status page");
    timeline_entries_free(list, n);

    list = NULL;
    cr_assert_eq(store_timeline_list(s, b.id, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(list[0].text, "other incident");
    timeline_entries_free(list, n);
    incident_release(&a);
    incident_release(&b);
    store_close(s);
}

Test(store, timeline_of_unknown_incident_is_refused)
{
    struct store *s = open_new();
    struct timeline_entry t = {0};
    t.incident_id = 42;
    t.at = T0;
    t.kind = TL_NOTE;
    t.text = (char *)"orphan";
    struct err e = ERR_INIT;
    int64_t id = -7;
    cr_assert_eq(store_timeline_add(s, &t, &id, &e), ERR_CONFLICT, "foreign keys are enforced");
    cr_assert_eq(id, -7);
    assert_contains(e.msg, "cannot add a timeline entry");
    store_close(s);
}

/* ---- audit log ---- */

static void append(struct store *s, int64_t incident_id, int64_t at, const char *record,
                   const char *action, const char *field, const char *old_value,
                   const char *new_value)
{
    struct audit_entry a = {0};
    a.at = at;
    a.actor = (char *)"carol";
    a.record = (char *)record;
    a.action = (char *)action;
    a.field = (char *)field;
    a.old_value = (char *)old_value;
    a.new_value = (char *)new_value;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_append(s, incident_id, &a, &e), ERR_OK, "%s", e.msg);
}

Test(store, audit_append_and_list)
{
    struct store *s = open_new();
    struct incident a, b;
    make_incident(&a, "a", SEV1, ST_OPEN, T0);
    make_incident(&b, "b", SEV1, ST_OPEN, T0);
    insert_ok(s, &a);
    insert_ok(s, &b);
    append(s, a.id, T0 + 2, "INC-1", "update", "title", "a", "A");
    append(s, 0, T0 + 1, "config", "set", "review.after", "30d", "7d");
    append(s, b.id, T0, "INC-2", "create", "title", NULL, "b");
    append(s, a.id, T0, "INC-1", "status", "status", "open", "mitigated");

    struct audit_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_list(s, a.id, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(list[0].field, "title", "written order, not time order");
    cr_assert_str_eq(list[0].old_value, "a");
    cr_assert_str_eq(list[0].new_value, "A");
    cr_assert_str_eq(list[0].actor, "carol");
    cr_assert_str_eq(list[0].record, "INC-1");
    cr_assert_str_eq(list[0].action, "update");
    cr_assert_eq(list[0].at, T0 + 2);
    cr_assert_str_eq(list[1].action, "status");
    cr_assert_str_eq(list[1].new_value, "mitigated");
    cr_assert_lt(list[0].id, list[1].id);
    audit_entries_free(list, n);

    list = NULL;
    cr_assert_eq(store_audit_list(s, 0, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 4, "incident 0 lists every entry");
    cr_assert_str_eq(list[1].record, "config");
    cr_assert_str_eq(list[1].field, "review.after");
    cr_assert_str_eq(list[2].record, "INC-2");
    cr_assert_null(list[2].old_value, "NULL values stay NULL");
    audit_entries_free(list, n);

    list = NULL;
    cr_assert_eq(store_audit_list(s, 999, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 0);
    audit_entries_free(list, n);
    incident_release(&a);
    incident_release(&b);
    store_close(s);
}

Test(store, audit_rolled_back_with_transaction)
{
    struct store *s = open_new();
    struct err e = ERR_INIT;
    cr_assert_eq(store_begin(s, &e), ERR_OK);
    append(s, 0, T0, "config", "set", "k", NULL, "v");
    store_rollback(s);
    struct audit_entry *list = NULL;
    size_t n = 9;
    cr_assert_eq(store_audit_list(s, 0, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 0);
    audit_entries_free(list, n);
    store_close(s);
}

/* ---- settings ---- */

Test(store, settings_get_set_unset)
{
    struct store *s = open_new();
    struct err e = ERR_INIT;
    char *v = (char *)"sentinel";
    cr_assert_eq(store_setting_get(s, "review.after", &v, &e), ERR_OK, "%s", e.msg);
    cr_assert_null(v, "an unset key reads as NULL");

    cr_assert_eq(store_setting_set(s, "review.after", "7d", &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(store_setting_get(s, "review.after", &v, &e), ERR_OK);
    cr_assert_str_eq(v, "7d");
    free(v);

    cr_assert_eq(store_setting_set(s, "review.after", "14d", &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(store_setting_set(s, "postmortem.due.sev1", "12h", &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(store_setting_get(s, "review.after", &v, &e), ERR_OK);
    cr_assert_str_eq(v, "14d", "set replaces");
    free(v);

    cr_assert_eq(store_setting_set(s, "review.after", NULL, &e), ERR_OK, "%s", e.msg);
    v = (char *)"sentinel";
    cr_assert_eq(store_setting_get(s, "review.after", &v, &e), ERR_OK);
    cr_assert_null(v, "unset removes the key");
    cr_assert_eq(store_setting_set(s, "review.after", NULL, &e), ERR_OK,
                 "unsetting a missing key is fine");

    cr_assert_eq(store_setting_get(s, "postmortem.due.sev1", &v, &e), ERR_OK);
    cr_assert_str_eq(v, "12h", "other keys are untouched");
    free(v);
    store_close(s);
}
