/* test_search.c: the full-text index kept by triggers (writes through the use cases, a delete
 * and an upgrade from schema 5 through raw SQL), the query translation, hindsight search and
 * hindsight similar (with findings, failed fixes) on a temporary store with a pinned clock. */
#define _POSIX_C_SOURCE 200809L
#include "../support/scratch.h"
#include "app/app.h"
#include "app/incidents.h"
#include "app/postmortem.h"
#include "app/search.h"
#include "app/similar.h"
#include "app/workflow.h"
#include "core/clock.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW_TEXT "2026-03-10T12:00:00Z"

static char dir[64];
static char db_path[128];
static struct app *app;

static void open_app(void)
{
    struct err e = ERR_INIT;
    app = NULL;
    cr_assert_eq(app_open(db_path, STORE_OPEN_CREATE, &app, NULL, &e), ERR_OK, "%s", e.msg);
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/hindsight-search-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/h.db", dir);
    cr_assert_eq(setenv("HINDSIGHT_NOW", NOW_TEXT, 1), 0);
    cr_assert_eq(setenv("HINDSIGHT_USER", "tester", 1), 0);
    struct err e = ERR_INIT;
    cr_assert_eq(clock_init(&e), ERR_OK, "%s", e.msg);
    open_app();
}

static void teardown(void)
{
    app_close(app);
    app = NULL;
    scratch_remove(dir);
}

TestSuite(search, .init = setup, .fini = teardown);
TestSuite(similar, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static void create(const char *title, const char *started, const char *tags, const char *service,
                   const char *segment)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = title;
    c.severity = "SEV2";
    c.times[T_STARTED] = started;
    if (tags)
        strlist_push(&c.add_tags, tags);
    if (service)
        strlist_push(&c.add_services, service);
    if (segment)
        strlist_push(&c.add_segments, segment);
    int64_t seq = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);
}

static void set_title(const char *key, const char *title)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = title;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_update(app, key, &c, &n, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);
}

/* Runs a search that must succeed; returns the hits (caller frees). */
static struct search_hit *search(const char *query, const struct strlist *tags, size_t *ret_n)
{
    struct search_request rq = {query, tags, NULL};
    struct search_hit *hits = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(app_search(app, &rq, &hits, ret_n, &e), ERR_OK, "%s: %s", query, e.msg);
    return hits;
}

static size_t count(const char *query)
{
    size_t n = 0;
    struct search_hit *hits = search(query, NULL, &n);
    search_hits_free(hits, n);
    return n;
}

static void raw_sql(const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(db);
}

static int64_t raw_count(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A history with one record of every kind on INC-1. */
static void fill_history(void)
{
    struct err e = ERR_INIT;
    int64_t id;
    create("Checkout payments timeout", "2026-03-01T10:00:00Z", "failure-mode:bad-deploy",
           "payments", "platform=android");
    cr_assert_eq(app_timeline_add(app, "INC-1", "2026-03-01T10:05:00Z", "note",
                                  "rollback of the gateway started", &id, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(app_hypothesis_add(app, "INC-1", "stripe webhook regression", NULL, NULL, NULL,
                                    &id, &e), ERR_OK, "%s", e.msg);
    struct evidence_input ev = {.note = "latency graph spiked", .supports = true};
    cr_assert_eq(app_evidence_add(app, "H-1", &ev, &id, &e), ERR_OK, "%s", e.msg);
    struct action_input ai = {.text = "canary for webhook releases", .kind = "process",
                              .owner = "ana", .due = "2026-04-01T00:00:00Z",
                              .no_success = "a process change"};
    cr_assert_eq(app_action_add(app, "INC-1", &ai, &id, &e), ERR_OK, "%s", e.msg);
    struct action_change ac = {.note = "draft reviewed by platform"};
    size_t n;
    cr_assert_eq(app_action_update(app, "A-1", &ac, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(app_postmortem_edit(app, "INC-1", "summary", "the load balancer flapped",
                                     NULL, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(app_decide(app, "INC-1", "freeze deploys on fridays", &id, &e), ERR_OK, "%s",
                 e.msg);
    create("Search is slow", "2026-03-02T10:00:00Z", "failure-mode:capacity", "search", NULL);
}

static const struct search_hit *find_kind(const struct search_hit *hits, size_t n,
                                          const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(hits[i].kind, kind) == 0)
            return &hits[i];
    return NULL;
}

/* ---- the index follows the records ---- */

Test(search, every_kind_is_indexed_with_its_key)
{
    fill_history();
    struct {
        const char *query, *kind, *ref, *snippet;
    } want[] = {
        {"checkout", "incident", "INC-1", "[Checkout] payments timeout"},
        {"gateway", "timeline", "timeline 1", "rollback of the [gateway] started"},
        {"webhook regression", "hypothesis", "H-1", "stripe [webhook] [regression]"},
        {"spiked", "evidence", "E-1", "latency graph [spiked]"},
        {"canary", "action", "A-1", "[canary] for webhook releases"},
        {"reviewed", "action_note", "A-1", "draft [reviewed] by platform"},
        {"balancer", "section", "summary", "the load [balancer] flapped"},
        {"fridays", "decision", "decision 1", "freeze deploys on [fridays]"},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        size_t n = 0;
        struct search_hit *hits = search(want[i].query, NULL, &n);
        const struct search_hit *h = find_kind(hits, n, want[i].kind);
        cr_assert_not_null(h, "%s: no %s", want[i].query, want[i].kind);
        cr_assert_eq(h->seq, 1);
        cr_assert_str_eq(h->ref, want[i].ref);
        cr_assert_str_eq(h->snippet, want[i].snippet);
        cr_assert_str_eq(h->title, "Checkout payments timeout");
        search_hits_free(hits, n);
    }
}

Test(search, an_updated_title_is_found_by_its_new_word_only)
{
    fill_history();
    cr_assert_eq(count("checkout"), 1);
    set_title("INC-1", "Card gateway outage");
    cr_assert_eq(count("checkout"), 0);
    cr_assert_eq(count("outage"), 1);
    /* a section rewritten: the old words go, the new ones come, one row per section */
    struct err e = ERR_INIT;
    cr_assert_eq(app_postmortem_edit(app, "INC-1", "summary", "dns resolver expired", NULL, &e),
                 ERR_OK, "%s", e.msg);
    cr_assert_eq(count("balancer"), 0);
    cr_assert_eq(count("resolver"), 1);
    cr_assert_eq(raw_count("SELECT count(*) FROM search_index WHERE kind = 'section'"), 1);
    /* an action's text changed */
    struct action_change ac = {.text = "feature flag for webhook releases"};
    size_t n;
    cr_assert_eq(app_action_update(app, "A-1", &ac, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(count("canary"), 0);
    cr_assert_eq(count("flag"), 1);
}

Test(search, a_deleted_incident_leaves_no_rows)
{
    fill_history();
    int64_t before = raw_count("SELECT count(*) FROM search_index");
    cr_assert_eq(before, 9, "8 records of INC-1 and INC-2's own row, got %lld",
                 (long long)before);
    app_close(app);
    app = NULL;
    /* foreign keys on, as the store sets them: the children go by cascade */
    raw_sql("PRAGMA foreign_keys = ON; DELETE FROM audit WHERE incident_id = 1; "
            "DELETE FROM incidents WHERE seq = 1");
    cr_assert_eq(raw_count("SELECT count(*) FROM search_index WHERE incident_id = 1"), 0);
    cr_assert_eq(raw_count("SELECT count(*) FROM search_index"), 1);
    open_app();
    cr_assert_eq(count("checkout OR canary OR fridays OR balancer"), 0);
    cr_assert_eq(count("slow"), 1);
}

/* A store of schema 5: this one with migration 6's objects dropped and its version set back. */
Test(search, migration_from_schema_5_fills_the_index)
{
    fill_history();
    app_close(app);
    app = NULL;
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND name LIKE 'search%'", -1, &st, NULL), SQLITE_OK);
    char sql[4096] = "";
    size_t len = 0;
    int triggers = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, "DROP TRIGGER %s;",
                                (const char *)sqlite3_column_text(st, 0));
        triggers++;
    }
    sqlite3_finalize(st);
    cr_assert_eq(triggers, 24, "3 triggers on each of 8 tables, got %d", triggers);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "DROP TABLE search_index; PRAGMA user_version = 5", NULL, NULL,
                              NULL), SQLITE_OK);
    sqlite3_close(db);

    open_app();
    cr_assert_eq(store_schema_version(app->store), 6);
    const char *words[] = {"checkout", "gateway", "regression", "spiked", "canary", "reviewed",
                           "balancer", "fridays", "slow"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        cr_assert_eq(count(words[i]), 1, "'%s' not found after the upgrade", words[i]);
    /* and the triggers work after the upgrade */
    set_title("INC-2", "Search index rebuild");
    cr_assert_eq(count("slow"), 0);
    cr_assert_eq(count("rebuild"), 1);
    struct err e = ERR_INIT;
    cr_assert_eq(app_postmortem_edit(app, "INC-2", "impact", "nobody could search", NULL, &e),
                 ERR_OK, "%s", e.msg);
    cr_assert_eq(count("nobody"), 1);
    cr_assert_eq(count("balancer"), 1, "INC-1's section keeps its own row");
}

/* ---- the query ---- */

static void assert_match(const char *query, const char *want)
{
    char *got = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_search_match(app->store, query, &got, &e), ERR_OK, "%s: %s", query, e.msg);
    cr_assert_str_eq(got, want, "query %s", query);
    free(got);
}

static void assert_bad_query(const char *query, const char *part)
{
    char *got = NULL;
    struct err e = ERR_INIT;
    cr_assert_eq(store_search_match(app->store, query, &got, &e), ERR_INVALID, "%s", query);
    cr_assert_null(got);
    cr_assert(strstr(e.msg, part), "'%s' lacks '%s'", e.msg, part);
}

Test(search, query_words_are_quoted)
{
    assert_match("checkout sdk", "(\"checkout\" AND \"sdk\")");
    assert_match("  \"a phrase\"  pay*", "(\"a phrase\" AND \"pay\"*)");
    assert_match("a OR b c", "(\"a\") OR (\"b\" AND \"c\")");
    assert_match("a -b NOT c", "((\"a\")) NOT (\"b\" OR \"c\")");
    assert_match("foo AND (", "(\"foo\")");
    assert_match("NEAR(a b) col:x", "(\"NEAR(a\" AND \"b)\" AND \"col:x\")");
    assert_match("x\"y say \"hi", "(\"x\"\"y\" AND \"say\" AND \"hi\")");
    assert_match("OR a OR OR", "(\"a\")");
    assert_match("Zürich -", "(\"Zürich\")");
    assert_match("\"open the gate\"*", "(\"open the gate\"*)");
}

Test(search, meaningless_queries_are_refused)
{
    assert_bad_query("", "empty search query");
    assert_bad_query(" \t ", "empty search query");
    assert_bad_query("( ) : * OR", "has no word to look for (only punctuation or operators)");
    assert_bad_query("-webhook", "only excludes words");
    char *big = malloc(1100);
    memset(big, 'a', 1099);
    big[1099] = '\0';
    assert_bad_query(big, "longer than 1000 bytes");
    free(big);
    size_t n = 0;
    struct search_hit *hits = NULL;
    struct err e = ERR_INIT;
    struct search_request rq = {"x", NULL, "0"};
    cr_assert_eq(app_search(app, &rq, &hits, &n, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "--limit"), "%s", e.msg);
    struct strlist tags = STRLIST_INIT;
    strlist_push(&tags, "nocolon");
    struct search_request rq2 = {"x", &tags, NULL};
    cr_assert_eq(app_search(app, &rq2, &hits, &n, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "--tag: invalid tag 'nocolon'"), "%s", e.msg);
    strlist_release(&tags);
}

Test(search, ranks_title_above_body_and_filters_by_tags)
{
    fill_history();
    create("Webhook storm", "2026-03-03T10:00:00Z", "failure-mode:capacity", NULL, NULL);
    size_t n = 0;
    struct search_hit *hits = search("webhook", NULL, &n);
    cr_assert_geq(n, 3);
    cr_assert_eq(hits[0].seq, 3, "the title hit first");
    cr_assert_str_eq(hits[0].kind, "incident");
    cr_assert_gt(hits[0].score, hits[1].score);
    search_hits_free(hits, n);
    struct strlist tags = STRLIST_INIT;
    strlist_push(&tags, "failure-mode:bad-deploy");
    hits = search("webhook", &tags, &n);
    cr_assert_eq(n, 2);
    cr_assert(hits[0].seq == 1 && hits[1].seq == 1);
    search_hits_free(hits, n);
    strlist_push(&tags, "failure-mode:capacity"); /* both must hold: none has both */
    hits = search("webhook", &tags, &n);
    cr_assert_eq(n, 0);
    search_hits_free(hits, n);
    strlist_release(&tags);
}

/* ---- similar ---- */

static void add_finding(int64_t seq, const char *evidence)
{
    struct incident inc;
    incident_init(&inc);
    struct err e = ERR_INIT;
    cr_assert_eq(store_incident_get(app->store, seq, &inc, &e), ERR_OK, "%s", e.msg);
    struct finding f = {0, inc.id, (char *)"change", (char *)"a finding", (char *)evidence, 0.5,
                        0};
    cr_assert_eq(store_finding_insert(app->store, &f, &e), ERR_OK, "%s", e.msg);
    incident_release(&inc);
}

#define EVIDENCE                                                                               \
    "{\"series\":\"payment_submitted -> purchase_completed\",\"segment\":{\"platform\":"        \
    "\"android\",\"app_version\":\"5.2\"},\"change\":{\"kind\":\"deploy\",\"service\":"         \
    "\"payments\"}}"

static bool has(const struct strlist *l, const char *s)
{
    return strlist_contains(l, s);
}

Test(similar, a_repeat_ranks_first_and_names_what_is_shared)
{
    fill_history();
    create("Checkout payments timeout again", "2026-03-09T10:00:00Z", "failure-mode:bad-deploy",
           "payments", NULL);
    add_finding(1, EVIDENCE);
    add_finding(3, EVIDENCE);
    struct similar_report r;
    struct err e = ERR_INIT;
    cr_assert_eq(app_similar(app, "INC-3", NULL, &r, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(r.n_past, 2);
    cr_assert_eq(r.n_matches, 1, "INC-2 shares nothing");
    const struct similar_match *m = &r.matches[0];
    cr_assert_eq(m->seq, 1);
    cr_assert(has(&m->shared, "failure-mode:bad-deploy"));
    cr_assert(has(&m->shared, "service payments"));
    cr_assert(has(&m->shared, "segment platform=android"), "from the recorded and the finding");
    cr_assert(has(&m->shared, "segment app_version=5.2"));
    cr_assert(has(&m->shared, "step payment_submitted -> purchase_completed"));
    cr_assert(has(&m->shared, "change kind deploy"));
    cr_assert_str_eq(m->shared.items[m->shared.n - 1], "text: checkout, payments, timeout");
    /* parts: every one 1 but text; tags not available (INC-3 has no other tag) */
    cr_assert_float_eq(m->parts[0], 1.0, 1e-12);
    cr_assert(isnan(m->parts[1]));
    cr_assert_float_eq(m->parts[3], 1.0, 1e-12);
    cr_assert(m->parts[6] > 0 && m->parts[6] < 1);
    double want = (0.30 + 0.15 + 0.15 + 0.10 + 0.05 + 0.15 * m->parts[6]) / 0.90;
    cr_assert_float_eq(m->score, want, 1e-12);
    cr_assert_eq(r.n_fixes, 0, "nothing was verified");
    similar_report_release(&r);
}

Test(similar, a_failure_mode_back_after_a_verified_fix_is_reported)
{
    app->now = INT64_C(1772452800000); /* 2026-03-02T12:00:00Z: the action is created then */
    fill_history();
    struct err e = ERR_INIT;
    size_t n;
    struct action_change done = {.status = "done"}, verified = {.status = "verified"};
    app->now = INT64_C(1772528400000); /* 2026-03-03T09:00:00Z */
    cr_assert_eq(app_action_update(app, "A-1", &done, &n, &e), ERR_OK, "%s", e.msg);
    app->now = INT64_C(1772618400000); /* 2026-03-04T10:00:00Z */
    cr_assert_eq(app_action_update(app, "A-1", &verified, &n, &e), ERR_OK, "%s", e.msg);
    app->now = INT64_C(1773144000000);
    create("Bad deploy again", "2026-03-05T10:00:00Z", "failure-mode:bad-deploy", NULL, NULL);
    create("Bad deploy before the fix", "2026-03-03T10:00:00Z", "failure-mode:bad-deploy", NULL,
           NULL);
    struct similar_report r;
    cr_assert_eq(app_similar(app, "INC-3", NULL, &r, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(r.n_fixes, 1);
    cr_assert_eq(r.fixes[0].seq, 1);
    cr_assert_str_eq(r.fixes[0].failure_mode, "failure-mode:bad-deploy");
    cr_assert_eq(r.fixes[0].n_actions, 1);
    cr_assert_eq(r.fixes[0].actions[0].id, 1);
    cr_assert_eq(r.fixes[0].verified_at, INT64_C(1772618400000));
    similar_report_release(&r);
    /* INC-4 started before the verification: no failed fix for it */
    cr_assert_eq(app_similar(app, "INC-4", NULL, &r, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(r.n_fixes, 0);
    cr_assert_eq(r.n_matches, 1);
    similar_report_release(&r);
}

Test(similar, earliest_incident_and_bad_input)
{
    fill_history();
    struct similar_report r;
    struct err e = ERR_INIT;
    cr_assert_eq(app_similar(app, "INC-1", NULL, &r, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(r.n_past, 0);
    cr_assert_eq(r.n_matches, 0);
    similar_report_release(&r);
    cr_assert_eq(app_similar(app, "INC-9", NULL, &r, &e), ERR_NOT_FOUND);
    cr_assert_eq(app_similar(app, "INC-2", "many", &r, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "--limit"), "%s", e.msg);
}
