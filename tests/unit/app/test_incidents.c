/* test_incidents.c: the incident use cases, with a pinned clock and a temporary store. */
#define _POSIX_C_SOURCE 200809L
#include "../support/scratch.h"
#include "app/app.h"
#include "app/config.h"
#include "app/incidents.h"
#include "app/postmortem.h"
#include "core/clock.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW_TEXT "2026-03-10T12:00:00Z"
#define NOW INT64_C(1773144000000)

static char dir[64];
static char db_path[128];
static struct app *app;

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/hindsight-app-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/h.db", dir);
    cr_assert_eq(setenv("HINDSIGHT_NOW", NOW_TEXT, 1), 0);
    cr_assert_eq(setenv("HINDSIGHT_USER", "tester", 1), 0);
    struct err e = ERR_INIT;
    cr_assert_eq(clock_init(&e), ERR_OK, "%s", e.msg);
    bool created = false;
    app = NULL;
    cr_assert_eq(app_open(db_path, STORE_OPEN_CREATE, &app, &created, &e), ERR_OK, "%s", e.msg);
    cr_assert(created);
}

static void teardown(void)
{
    app_close(app);
    app = NULL;
    scratch_remove(dir);
}

TestSuite(app, .init = setup, .fini = teardown);

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

/* Creates an incident with the given title, severity and start; returns its number. */
static int64_t create(const char *title, const char *severity, const char *started)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = title;
    c.severity = severity;
    c.times[T_STARTED] = started;
    int64_t seq = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);
    return seq;
}

/* Writes every required section of the default template, so that review is allowed. */
static void write_required_sections(const char *key)
{
    struct template t;
    template_default(&t);
    for (size_t i = 0; i < t.n; i++) {
        if (!t.sections[i].required)
            continue;
        struct err e = ERR_INIT;
        cr_assert_eq(app_postmortem_edit(app, key, t.sections[i].id, "written", NULL, &e),
                     ERR_OK, "%s", e.msg);
    }
    template_release(&t);
}

static void get(const char *key, struct incident *inc)
{
    struct err e = ERR_INIT;
    incident_init(inc);
    cr_assert_eq(app_incident_get(app, key, inc, &e), ERR_OK, "%s", e.msg);
}

static size_t update_ok(const char *key, const struct incident_change *c)
{
    struct err e = ERR_INIT;
    size_t changed = 999;
    cr_assert_eq(app_incident_update(app, key, c, &changed, &e), ERR_OK, "%s", e.msg);
    return changed;
}

/* Sets one time field of key (and nothing else). */
static size_t set_time(const char *key, enum incident_time t, const char *value)
{
    struct incident_change c;
    incident_change_init(&c);
    c.times[t] = value;
    size_t n = update_ok(key, &c);
    incident_change_release(&c);
    return n;
}

static size_t audit_count(int64_t incident_id)
{
    struct audit_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_list(app->store, incident_id, &list, &n, &e), ERR_OK, "%s", e.msg);
    audit_entries_free(list, n);
    return n;
}

/* The text of every field, to compare two versions of a record. */
static void snapshot(const struct incident *inc, char *out[F__COUNT])
{
    for (int f = 0; f < F__COUNT; f++)
        out[f] = incident_field_text(inc, (enum incident_field)f);
}

static void assert_snapshot_equal(char *a[F__COUNT], char *b[F__COUNT])
{
    for (int f = 0; f < F__COUNT; f++)
        cr_assert_str_eq(a[f], b[f], "field %s changed", incident_field_name((enum incident_field)f));
}

static void snapshot_free(char *s[F__COUNT])
{
    for (int f = 0; f < F__COUNT; f++)
        free(s[f]);
}

/* Asserts that the update fails with code and a message containing why, and that it wrote
 * nothing: the stored record and the audit log are as they were. */
static void assert_refused(const char *key, const struct incident_change *c, int code,
                           const char *why)
{
    struct incident before, after;
    get(key, &before);
    char *snap_before[F__COUNT], *snap_after[F__COUNT];
    snapshot(&before, snap_before);
    size_t audit_before = audit_count(0);

    struct err e = ERR_INIT;
    size_t changed = 12345;
    cr_assert_eq(app_incident_update(app, key, c, &changed, &e), code, "got: %s", e.msg);
    cr_assert_eq(e.code, code);
    cr_assert_eq(changed, 12345, "ret_changed is not written on failure");
    assert_contains(e.msg, why);

    get(key, &after);
    snapshot(&after, snap_after);
    assert_snapshot_equal(snap_before, snap_after);
    cr_assert_eq(after.updated_at, before.updated_at);
    cr_assert_eq(audit_count(0), audit_before, "no audit entry for a refused change");
    snapshot_free(snap_before);
    snapshot_free(snap_after);
    incident_release(&before);
    incident_release(&after);
}

/* ---- context ---- */

Test(app, pinned_clock_and_actor)
{
    cr_assert_eq(clock_now_ms(), NOW);
    cr_assert_eq(app->now, NOW);
    cr_assert_str_eq(app->actor, "tester");
    cr_assert_eq(app->policies.cadence.postmortem_after_ms[SEV1], 24 * MS_PER_HOUR);
    int64_t ms = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_parse_time(app, "--at", "now", &ms, &e), ERR_OK);
    cr_assert_eq(ms, NOW);
    cr_assert_eq(app_parse_time(app, "--at", "2026-03-10T13:00:00+01:00", &ms, &e), ERR_OK);
    cr_assert_eq(ms, NOW);
    cr_assert_eq(app_parse_time(app, "--at", "yesterday", &ms, &e), ERR_INVALID);
    cr_assert_eq(strncmp(e.msg, "--at: invalid time 'yesterday'", 30), 0, "%s", e.msg);
}

Test(app, bad_pinned_clock_is_refused)
{
    cr_assert_eq(setenv("HINDSIGHT_NOW", "2026-03-10T12:00:00", 1), 0);
    struct err e = ERR_INIT;
    cr_assert_eq(clock_init(&e), ERR_INVALID);
    assert_contains(e.msg, "HINDSIGHT_NOW: invalid time");
    assert_contains(e.msg, "missing time zone offset");
    cr_assert_neq(clock_now_ms(), NOW, "falls back to the real clock");
}

/* ---- create ---- */

Test(app, create_and_get)
{
    int64_t seq = create("Checkout errors", "sev2", "2026-03-10T09:00:00Z");
    cr_assert_eq(seq, 1);
    cr_assert_eq(create("Second", "1", "now"), 2);

    struct incident inc;
    get("INC-1", &inc);
    cr_assert_str_eq(inc.title, "Checkout errors");
    cr_assert_eq(inc.severity, SEV2);
    cr_assert_eq(inc.status, ST_OPEN);
    cr_assert_eq(inc.times[T_STARTED], NOW - 3 * MS_PER_HOUR);
    cr_assert_eq(inc.times[T_MITIGATED], TIME_UNSET);
    cr_assert_eq(inc.created_at, NOW);
    cr_assert_eq(inc.updated_at, NOW);
    cr_assert_eq(inc.reopen_count, 0);
    incident_release(&inc);

    get("2", &inc);
    cr_assert_str_eq(inc.title, "Second");
    cr_assert_eq(inc.times[T_STARTED], NOW, "\"now\" is the pinned clock");
    incident_release(&inc);
}

Test(app, create_writes_audit_entries)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = "Login down";
    c.severity = "SEV1";
    c.times[T_STARTED] = "2026-03-10T10:00:00Z";
    c.owner = "dana";
    strlist_push(&c.add_tags, "team:identity");
    strlist_push(&c.add_tags, "cause:config");
    int64_t seq = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);

    struct incident inc;
    get("INC-1", &inc);
    cr_assert_str_eq(inc.owner, "dana");
    cr_assert_eq(inc.tags.n, 2);
    cr_assert_str_eq(inc.tags.items[1], "cause:config");

    struct audit_entry *list = NULL;
    size_t n = 0;
    cr_assert_eq(store_audit_list(app->store, inc.id, &list, &n, &e), ERR_OK);
    /* title, severity, started, owner, tags: the fields that differ from an empty record */
    cr_assert_eq(n, 5);
    static const char *const fields[] = {"title", "severity", "started", "owner", "tags"};
    static const char *const values[] = {"Login down", "SEV1", "2026-03-10T10:00:00Z", "dana",
                                         "team:identity, cause:config"};
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(list[i].field, fields[i]);
        cr_assert_str_eq(list[i].new_value, values[i]);
        cr_assert_null(list[i].old_value);
        cr_assert_str_eq(list[i].action, "create");
        cr_assert_str_eq(list[i].record, "INC-1");
        cr_assert_str_eq(list[i].actor, "tester");
        cr_assert_eq(list[i].at, NOW);
    }
    audit_entries_free(list, n);
    incident_release(&inc);
}

Test(app, create_requires_title_severity_started)
{
    struct incident_change c;
    incident_change_init(&c);
    struct err e = ERR_INIT;
    int64_t seq = -1;
    c.severity = "SEV1";
    c.times[T_STARTED] = "now";
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "--title is required");
    c.title = "t";
    c.severity = NULL;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    assert_contains(e.msg, "--severity is required");
    c.severity = "SEV9";
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    assert_contains(e.msg, "unknown severity 'SEV9'");
    c.severity = "SEV1";
    c.times[T_STARTED] = NULL;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    assert_contains(e.msg, "--started is required");
    c.times[T_STARTED] = "2026-03-10";
    c.times[T_DETECTED] = "2026-03-09T23:00:00Z";
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    assert_contains(e.msg, "detected time 2026-03-09T23:00:00Z is before started time "
                           "2026-03-10T00:00:00Z");
    c.times[T_DETECTED] = NULL;
    c.title = "bad\x07title";
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    assert_contains(e.msg, "title contains a control character");
    cr_assert_eq(seq, -1);
    incident_change_release(&c);

    /* nothing was stored */
    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *list = NULL;
    size_t n = 9;
    cr_assert_eq(app_incident_list(app, &f, false, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 0);
    incidents_free(list, n);
    cr_assert_eq(audit_count(0), 0);
}

/* ---- status moves ---- */

Test(app, mitigated_time_moves_status)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    size_t audit_before = audit_count(0);
    cr_assert_eq(set_time("INC-1", T_MITIGATED, "2026-03-10T10:00:00Z"), 2,
                 "the mitigated time and the status change");
    struct incident inc;
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_MITIGATED);
    cr_assert_eq(inc.times[T_MITIGATED], NOW - 2 * MS_PER_HOUR);
    cr_assert_eq(inc.updated_at, NOW);

    struct audit_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_list(app->store, inc.id, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, audit_before + 2);
    /* fields in display order: status before mitigated */
    struct audit_entry *st = &list[n - 2], *mt = &list[n - 1];
    cr_assert_str_eq(st->field, "status");
    cr_assert_str_eq(st->action, "status");
    cr_assert_str_eq(st->old_value, "open");
    cr_assert_str_eq(st->new_value, "mitigated");
    cr_assert_str_eq(mt->field, "mitigated");
    cr_assert_str_eq(mt->action, "update");
    cr_assert_null(mt->old_value);
    cr_assert_str_eq(mt->new_value, "2026-03-10T10:00:00Z");
    audit_entries_free(list, n);

    /* then a resolved time moves it to resolved */
    cr_assert_eq(set_time("INC-1", T_RESOLVED, "now"), 2);
    incident_release(&inc);
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_RESOLVED);
    cr_assert_eq(inc.times[T_RESOLVED], NOW);
    incident_release(&inc);
}

Test(app, resolved_without_mitigated_is_refused)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    struct incident_change c;
    incident_change_init(&c);
    c.times[T_RESOLVED] = "2026-03-10T11:00:00Z";
    assert_refused("INC-1", &c, ERR_CONFLICT, "cannot resolve INC-1 while it is open");
    incident_change_release(&c);

    /* with both times it goes through, open -> mitigated -> resolved */
    incident_change_init(&c);
    c.times[T_MITIGATED] = "2026-03-10T10:00:00Z";
    c.times[T_RESOLVED] = "2026-03-10T11:00:00Z";
    cr_assert_eq(update_ok("INC-1", &c), 3);
    incident_change_release(&c);
    struct incident inc;
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_RESOLVED);
    incident_release(&inc);
}

Test(app, explicit_status_follows_lifecycle)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    struct incident_change c;
    incident_change_init(&c);
    c.status = "resolved";
    assert_refused("INC-1", &c, ERR_CONFLICT,
                   "cannot move INC-1 from open to resolved (allowed: mitigated)");
    c.status = "review";
    assert_refused("INC-1", &c, ERR_CONFLICT, "allowed: mitigated");
    c.status = "done";
    assert_refused("INC-1", &c, ERR_INVALID, "unknown status 'done'");

    /* --status mitigated stamps the mitigated time with "now" */
    c.status = "mitigated";
    cr_assert_eq(update_ok("INC-1", &c), 2);
    struct incident inc;
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_MITIGATED);
    cr_assert_eq(inc.times[T_MITIGATED], NOW);
    incident_release(&inc);

    c.status = "resolved";
    cr_assert_eq(update_ok("INC-1", &c), 2);
    c.status = "postmortem";
    cr_assert_eq(update_ok("INC-1", &c), 1);
    c.status = "review";
    assert_refused("INC-1", &c, ERR_CONFLICT,
                   "cannot move INC-1 to review: required sections not written: summary, "
                   "impact, timeline, root-causes, detection, resolution, action-items, "
                   "lessons-learned");
    write_required_sections("INC-1");
    cr_assert_eq(update_ok("INC-1", &c), 1);
    c.status = "complete";
    assert_refused("INC-1", &c, ERR_CONFLICT,
                   "cannot complete INC-1: checklist stages not done: data-access, "
                   "hypothesis-validation, implementation, monitoring, "
                   "post-implementation-review");
    c.status = "postmortem";
    assert_refused("INC-1", &c, ERR_CONFLICT, "allowed: open (reopen), complete");
    c.status = "review";
    cr_assert_eq(update_ok("INC-1", &c), 0, "already there: no change");
    incident_change_release(&c);
}

Test(app, reopen_clears_times_and_counts)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    struct incident_change c;
    incident_change_init(&c);
    c.times[T_MITIGATED] = "2026-03-10T10:00:00Z";
    c.times[T_RESOLVED] = "2026-03-10T11:00:00Z";
    update_ok("INC-1", &c);
    incident_change_release(&c);

    incident_change_init(&c);
    c.status = "open";
    size_t audit_before = audit_count(0);
    cr_assert_eq(update_ok("INC-1", &c), 4, "status, mitigated, resolved, reopen_count");
    struct incident inc;
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_OPEN);
    cr_assert_eq(inc.times[T_MITIGATED], TIME_UNSET);
    cr_assert_eq(inc.times[T_RESOLVED], TIME_UNSET);
    cr_assert_eq(inc.times[T_STARTED], NOW - 3 * MS_PER_HOUR, "started is kept");
    cr_assert_eq(inc.reopen_count, 1);

    struct audit_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_list(app->store, inc.id, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, audit_before + 4);
    struct audit_entry *st = &list[audit_before];
    cr_assert_str_eq(st->field, "status");
    cr_assert_str_eq(st->action, "reopen");
    cr_assert_str_eq(st->old_value, "resolved");
    cr_assert_str_eq(st->new_value, "open");
    cr_assert_str_eq(list[audit_before + 1].field, "mitigated");
    cr_assert_str_eq(list[audit_before + 1].old_value, "2026-03-10T10:00:00Z");
    cr_assert_null(list[audit_before + 1].new_value);
    cr_assert_str_eq(list[audit_before + 2].field, "resolved");
    cr_assert_null(list[audit_before + 2].new_value);
    cr_assert_str_eq(list[audit_before + 3].field, "reopen_count");
    cr_assert_str_eq(list[audit_before + 3].old_value, "0");
    cr_assert_str_eq(list[audit_before + 3].new_value, "1");
    audit_entries_free(list, n);
    incident_release(&inc);

    /* "reopened" means the same, and the count keeps growing */
    incident_change_init(&c);
    c.times[T_MITIGATED] = "2026-03-10T11:30:00Z";
    update_ok("INC-1", &c);
    incident_change_release(&c);
    incident_change_init(&c);
    c.status = "reopened";
    update_ok("INC-1", &c);
    get("INC-1", &inc);
    cr_assert_eq(inc.status, ST_OPEN);
    cr_assert_eq(inc.reopen_count, 2);
    cr_assert_eq(inc.times[T_MITIGATED], TIME_UNSET);
    incident_release(&inc);

    /* reopening and setting a mitigated time at once is refused */
    c.status = "mitigated";
    update_ok("INC-1", &c);
    c.status = "open";
    c.times[T_MITIGATED] = "now";
    assert_refused("INC-1", &c, ERR_CONFLICT, "cannot reopen INC-1 and set its mitigated");
    incident_change_release(&c);
}

/* ---- failed updates write nothing ---- */

Test(app, failing_update_leaves_record_identical)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = "Full record";
    c.severity = "SEV3";
    c.times[T_STARTED] = "2026-03-10T09:00:00Z";
    c.times[T_DETECTED] = "2026-03-10T09:05:00Z";
    c.summary = "what happened";
    c.affected_users = "120";
    c.revenue_lost = "99.5";
    strlist_push(&c.add_services, "checkout");
    strlist_push(&c.add_segments, "platform=ios");
    strlist_push(&c.add_signals, "errors@2026-03-10T09:01:00Z");
    int64_t seq;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);

    /* detected before started; the other requested changes must not be applied either */
    incident_change_init(&c);
    c.title = "Renamed";
    strlist_push(&c.add_tags, "team:x");
    c.times[T_DETECTED] = "2026-03-10T08:00:00Z";
    assert_refused("INC-1", &c, ERR_INVALID, "detected time 2026-03-10T08:00:00Z is before "
                                             "started time 2026-03-10T09:00:00Z");
    incident_change_release(&c);

    incident_change_init(&c);
    c.times[T_STARTED] = "2026-03-10T09:10:00Z"; /* after detected */
    assert_refused("INC-1", &c, ERR_INVALID, "is before started time 2026-03-10T09:10:00Z");
    incident_change_release(&c);

    incident_change_init(&c);
    c.title = "Renamed";
    strlist_push(&c.add_tags, "Bad-Tag:x");
    assert_refused("INC-1", &c, ERR_INVALID, "invalid tag 'Bad-Tag:x'");
    incident_change_release(&c);

    incident_change_init(&c);
    strlist_push(&c.remove_services, "search");
    assert_refused("INC-1", &c, ERR_NOT_FOUND, "INC-1 has no service 'search'");
    incident_change_release(&c);

    incident_change_init(&c);
    c.affected_users = "-3";
    assert_refused("INC-1", &c, ERR_INVALID,
                   "--affected-users: expected a whole number >= 0, got '-3'");
    c.affected_users = NULL;
    c.revenue_lost = "1e999";
    assert_refused("INC-1", &c, ERR_INVALID, "--revenue-lost: expected an amount >= 0");
    c.revenue_lost = NULL;
    c.times[T_ACKNOWLEDGED] = "soon";
    assert_refused("INC-1", &c, ERR_INVALID, "--acknowledged: invalid time 'soon'");
    c.times[T_ACKNOWLEDGED] = NULL;
    strlist_push(&c.clear, "title");
    assert_refused("INC-1", &c, ERR_INVALID, "--clear: cannot clear 'title'");
    incident_change_release(&c);

    incident_change_init(&c);
    c.times[T_ACKNOWLEDGED] = "2026-03-10T12:06:00Z";
    assert_refused("INC-1", &c, ERR_INVALID, "--acknowledged: 2026-03-10T12:06:00Z is in the "
                                             "future (now is 2026-03-10T12:00:00Z)");
    incident_change_release(&c);

    incident_change_init(&c);
    strlist_push(&c.add_signals, "nosep");
    assert_refused("INC-1", &c, ERR_INVALID, "--signal: invalid signal 'nosep'");
    incident_change_release(&c);
}

Test(app, future_times_within_tolerance)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    /* a few minutes ahead of the clock are allowed (clock skew), more are refused */
    cr_assert_eq(set_time("INC-1", T_DETECTED, "2026-03-10T12:05:00Z"), 1);
    struct incident inc;
    get("INC-1", &inc);
    cr_assert_eq(inc.times[T_DETECTED], NOW + 5 * MS_PER_MINUTE);
    incident_release(&inc);
    struct incident_change c;
    incident_change_init(&c);
    c.times[T_MITIGATED] = "2026-03-10T12:05:01Z";
    assert_refused("INC-1", &c, ERR_INVALID, "--mitigated: 2026-03-10T12:05:01Z is in the future");
    incident_change_release(&c);

    incident_change_init(&c);
    c.title = "later";
    c.severity = "SEV1";
    c.times[T_STARTED] = "2026-03-11";
    int64_t seq = -1;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "--started: 2026-03-11T00:00:00Z is in the future (now is "
                            "2026-03-10T12:00:00Z)");
    cr_assert_eq(seq, -1);
    incident_change_release(&c);
}

Test(app, unknown_incident)
{
    struct incident_change c;
    incident_change_init(&c);
    c.title = "x";
    size_t changed = 5;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_update(app, "INC-9", &c, &changed, &e), ERR_NOT_FOUND);
    cr_assert_str_eq(e.msg, "unknown incident 'INC-9'");
    cr_assert_eq(app_incident_update(app, "INC-x", &c, &changed, &e), ERR_INVALID);
    assert_contains(e.msg, "invalid incident key 'INC-x'");
    cr_assert_eq(changed, 5);
    incident_change_release(&c);
}

/* ---- the audit trail of updates ---- */

Test(app, audit_records_field_old_and_new)
{
    create("Old title", "SEV3", "2026-03-10T09:00:00Z");
    struct incident_change c;
    incident_change_init(&c);
    c.title = "New title";
    c.severity = "SEV1";
    strlist_push(&c.add_services, "api");
    size_t before = audit_count(0);
    cr_assert_eq(update_ok("INC-1", &c), 3);
    incident_change_release(&c);

    struct audit_entry *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(store_audit_list(app->store, 0, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, before + 3);
    struct audit_entry *a = &list[before];
    cr_assert_str_eq(a[0].field, "title");
    cr_assert_str_eq(a[0].old_value, "Old title");
    cr_assert_str_eq(a[0].new_value, "New title");
    cr_assert_str_eq(a[0].action, "update");
    cr_assert_str_eq(a[0].record, "INC-1");
    cr_assert_str_eq(a[0].actor, "tester");
    cr_assert_eq(a[0].at, NOW);
    cr_assert_str_eq(a[1].field, "severity");
    cr_assert_str_eq(a[1].old_value, "SEV3");
    cr_assert_str_eq(a[1].new_value, "SEV1");
    cr_assert_str_eq(a[2].field, "services");
    cr_assert_null(a[2].old_value);
    cr_assert_str_eq(a[2].new_value, "api");
    audit_entries_free(list, n);

    /* the same change again changes nothing and writes nothing */
    incident_change_init(&c);
    c.title = "New title";
    strlist_push(&c.add_services, "api");
    cr_assert_eq(update_ok("inc-1", &c), 0);
    cr_assert_eq(audit_count(0), before + 3);
    incident_change_release(&c);

    /* clearing writes the old value and no new one */
    incident_change_init(&c);
    c.owner = "erin";
    update_ok("1", &c);
    incident_change_release(&c);
    incident_change_init(&c);
    strlist_push(&c.clear, "owner");
    cr_assert_eq(update_ok("1", &c), 1);
    incident_change_release(&c);
    list = NULL;
    cr_assert_eq(store_audit_list(app->store, 0, &list, &n, &e), ERR_OK);
    cr_assert_str_eq(list[n - 1].field, "owner");
    cr_assert_str_eq(list[n - 1].old_value, "erin");
    cr_assert_null(list[n - 1].new_value);
    audit_entries_free(list, n);
}

/* ---- listing ---- */

static int64_t create_resolved(const char *title, const char *severity, const char *started,
                               const char *mitigated, const char *resolved)
{
    int64_t seq = create(title, severity, started);
    char key[INCIDENT_KEY_MAX];
    incident_key(seq, key);
    struct incident_change c;
    incident_change_init(&c);
    c.times[T_MITIGATED] = mitigated;
    c.times[T_RESOLVED] = resolved;
    update_ok(key, &c);
    incident_change_release(&c);
    return seq;
}

Test(app, list_overdue_only)
{
    /* now is 2026-03-10T12:00:00Z */
    int64_t old_sev1 = create_resolved("old sev1", "SEV1", "2026-03-01T00:00:00Z",
                                       "2026-03-01T01:00:00Z", "2026-03-01T02:00:00Z");
    /* SEV3 resolved 2026-03-08T00:00Z: due 2026-03-11T00:00Z, not yet overdue */
    create_resolved("recent sev3", "SEV3", "2026-03-07T00:00:00Z", "2026-03-07T12:00:00Z",
                    "2026-03-08T00:00:00Z");
    /* SEV2 resolved 2026-03-08T11:00Z: due 2026-03-10T11:00Z, overdue by one hour */
    int64_t sev2 = create_resolved("sev2", "SEV2", "2026-03-08T00:00:00Z",
                                   "2026-03-08T10:00:00Z", "2026-03-08T11:00:00Z");
    create("still open", "SEV1", "2026-03-01T00:00:00Z");
    /* an old one whose postmortem is already in review is not overdue */
    int64_t reviewed = create_resolved("reviewed", "SEV1", "2026-02-01T00:00:00Z",
                                       "2026-02-01T01:00:00Z", "2026-02-01T02:00:00Z");
    char key[INCIDENT_KEY_MAX];
    incident_key(reviewed, key);
    struct incident_change c;
    incident_change_init(&c);
    c.status = "postmortem";
    update_ok(key, &c);
    write_required_sections(key);
    c.status = "review";
    update_ok(key, &c);
    incident_change_release(&c);

    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_list(app, &f, false, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 5);
    incidents_free(list, n);

    list = NULL;
    cr_assert_eq(app_incident_list(app, &f, true, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 2);
    cr_assert_eq(list[0].seq, sev2, "newest start first");
    cr_assert_eq(list[1].seq, old_sev1);
    cr_assert_str_eq(list[1].title, "old sev1");
    incidents_free(list, n);

    /* overdue combines with store filters */
    f.severity = SEV1;
    list = NULL;
    cr_assert_eq(app_incident_list(app, &f, true, &list, &n, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(n, 1);
    cr_assert_eq(list[0].seq, old_sev1);
    incidents_free(list, n);
}

Test(app, overdue_follows_configured_cadence)
{
    create_resolved("sev3", "SEV3", "2026-03-07T00:00:00Z", "2026-03-07T12:00:00Z",
                    "2026-03-08T00:00:00Z");
    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *list = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_list(app, &f, true, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 0);
    incidents_free(list, n);

    cr_assert_eq(config_set(app, "postmortem.due.sev3", "24h", &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(app->policies.cadence.postmortem_after_ms[SEV3], 24 * MS_PER_HOUR);
    list = NULL;
    cr_assert_eq(app_incident_list(app, &f, true, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 1);
    incidents_free(list, n);
}

/* ---- timeline ---- */

Test(app, timeline_add_is_audited)
{
    create("x", "SEV2", "2026-03-10T09:00:00Z");
    int64_t id = 0;
    struct err e = ERR_INIT;
    size_t before = audit_count(0);
    cr_assert_eq(app_timeline_add(app, "INC-1", "2026-03-10T09:03:00Z", "signal",
                                  "error rate alert", &id, &e), ERR_OK, "%s", e.msg);
    cr_assert_gt(id, 0);
    struct incident inc;
    get("INC-1", &inc);
    struct timeline_entry *list = NULL;
    size_t n = 0;
    cr_assert_eq(store_timeline_list(app->store, inc.id, &list, &n, &e), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(list[0].kind, TL_SIGNAL);
    cr_assert_str_eq(list[0].text, "error rate alert");
    cr_assert_str_eq(list[0].author, "tester");
    cr_assert_eq(list[0].at, NOW - 3 * MS_PER_HOUR + 3 * MS_PER_MINUTE);
    timeline_entries_free(list, n);

    struct audit_entry *log = NULL;
    cr_assert_eq(store_audit_list(app->store, inc.id, &log, &n, &e), ERR_OK);
    cr_assert_eq(n, before + 1);
    char record[64];
    snprintf(record, sizeof(record), "INC-1 timeline %lld", (long long)id);
    cr_assert_str_eq(log[n - 1].record, record);
    cr_assert_str_eq(log[n - 1].action, "add");
    cr_assert_str_eq(log[n - 1].new_value, "2026-03-10T09:03:00Z signal error rate alert");
    audit_entries_free(log, n);
    incident_release(&inc);

    cr_assert_eq(app_timeline_add(app, "INC-1", "now", "gossip", "x", &id, &e), ERR_INVALID);
    assert_contains(e.msg, "unknown timeline kind 'gossip'");
    cr_assert_eq(app_timeline_add(app, "INC-1", NULL, "note", "x", &id, &e), ERR_INVALID);
    assert_contains(e.msg, "--at is required");
    cr_assert_eq(app_timeline_add(app, "INC-1", "now", "note", "", &id, &e), ERR_INVALID);
    assert_contains(e.msg, "must not be empty");
    cr_assert_eq(app_timeline_add(app, "INC-4", "now", "note", "x", &id, &e), ERR_NOT_FOUND);
    cr_assert_eq(audit_count(0), before + 1, "refused entries write nothing");
}
