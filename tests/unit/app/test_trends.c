/* test_trends.c: the trend figures (app/trends.h) and the process audit (app/process_audit.h) on
 * a small history built in a temporary store through the use cases, the clock moved by hand
 * between steps (app->now) so that audit entries, action times and feedback carry the times of
 * the story. Every expected figure is worked out in the comments.
 *
 * The history (all times UTC; d = detected, m = mitigated, r = resolved after started):
 *
 *   INC-1 SEV2 2025-10-05 00:00  d +10m  ack +15m  m +60m  r +120m  bad-deploy  payments
 *         postmortem 10-06, review 2025-10-07 00:00 (46 h after resolution); feedback 4/5/3
 *         and 2/3/1
 *   INC-2 SEV3 2025-10-20 00:00  d +30m            m +180m r +240m  capacity    payments, search
 *   INC-3 SEV2 2025-10-25 00:00  d +20m            m +60m  r +60m   (no mode)   search
 *   (November: nothing)
 *   INC-4 SEV1 2025-12-10 00:00  d +5m             m +30m  r +90m   bad-deploy  payments
 *         review 2025-12-12 01:30 (48 h after resolution)
 *   INC-5 SEV4 2025-12-20 00:00  d +15m            m +30m  r +60m   dns
 *   INC-6 SEV3 2026-01-19 00:00  d +10m                              capacity  (91 days after INC-2)
 *   INC-7 SEV2 2026-01-25 00:00  d +10m                              dns       (36 days after INC-5)
 *
 *   A-1 (INC-1) created 10-06, due 10-20, done 10-15 (on time), verified 10-16
 *   A-2 (INC-2) created 10-21, due 11-01, done 11-05 (late),    verified 11-06
 *   A-3 (INC-3) created 10-26, due 11-15, never done (overdue from 11-15 on)
 *
 * now = 2026-01-28 00:00. */
#define _POSIX_C_SOURCE 200809L
#include "../support/scratch.h"
#include "app/app.h"
#include "app/incidents.h"
#include "app/postmortem.h"
#include "app/process_audit.h"
#include "app/trends.h"
#include "app/workflow.h"
#include "core/clock.h"
#include "core/timefmt.h"
#include "render/incident_json.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char db_path[128];
static struct app *app;

static int64_t at(const char *text)
{
    int64_t ms = 0;
    struct err e = ERR_INIT;
    cr_assert_eq(time_parse_rfc3339(text, &ms, &e), ERR_OK, "%s: %s", text, e.msg);
    return ms;
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/hindsight-trends-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/h.db", dir);
    cr_assert_eq(setenv("HINDSIGHT_NOW", "2026-01-28T00:00:00Z", 1), 0);
    cr_assert_eq(setenv("HINDSIGHT_USER", "tester", 1), 0);
    struct err e = ERR_INIT;
    cr_assert_eq(clock_init(&e), ERR_OK, "%s", e.msg);
    app = NULL;
    cr_assert_eq(app_open(db_path, STORE_OPEN_CREATE, &app, NULL, &e), ERR_OK, "%s", e.msg);
}

static void teardown(void)
{
    app_close(app);
    app = NULL;
    scratch_remove(dir);
}

TestSuite(trends, .init = setup, .fini = teardown);
TestSuite(process_audit, .init = setup, .fini = teardown);

/* ======== building the history ======== */

/* "2025-10-05T00:00:00Z" plus minutes, as text. */
static const char *plus(const char *start, int minutes, char out[TIME_STR_MAX])
{
    return time_format_rfc3339(at(start) + minutes * MS_PER_MINUTE, out);
}

/* Creates an incident; a negative minute count leaves that milestone unset. */
static void incident(const char *sev, const char *start, int d, int ack, int m, int r,
                     const char *mode, const char *svc1, const char *svc2)
{
    char t[4][TIME_STR_MAX];
    struct incident_change c;
    incident_change_init(&c);
    c.title = "an incident";
    c.severity = sev;
    c.times[T_STARTED] = start;
    if (d >= 0)
        c.times[T_DETECTED] = plus(start, d, t[0]);
    if (ack >= 0)
        c.times[T_ACKNOWLEDGED] = plus(start, ack, t[1]);
    if (m >= 0)
        c.times[T_MITIGATED] = plus(start, m, t[2]);
    if (r >= 0)
        c.times[T_RESOLVED] = plus(start, r, t[3]);
    if (mode) {
        char tag[64];
        snprintf(tag, sizeof(tag), "failure-mode:%s", mode);
        strlist_push(&c.add_tags, tag);
    }
    if (svc1)
        strlist_push(&c.add_services, svc1);
    if (svc2)
        strlist_push(&c.add_services, svc2);
    int64_t seq;
    struct err e = ERR_INIT;
    app->now = at(start) + 6 * MS_PER_HOUR;
    cr_assert_eq(app_incident_new(app, &c, &seq, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);
}

static void move(const char *key, const char *status, const char *when)
{
    app->now = at(when);
    struct incident_change c;
    incident_change_init(&c);
    c.status = status;
    size_t changed;
    struct err e = ERR_INIT;
    cr_assert_eq(app_incident_update(app, key, &c, &changed, &e), ERR_OK, "%s", e.msg);
    incident_change_release(&c);
}

static void write_sections(const char *key, const char *text)
{
    struct template t;
    template_default(&t);
    for (size_t i = 0; i < t.n; i++) {
        if (!t.sections[i].required)
            continue;
        struct err e = ERR_INIT;
        cr_assert_eq(app_postmortem_edit(app, key, t.sections[i].id, text, NULL, &e), ERR_OK,
                     "%s", e.msg);
    }
    template_release(&t);
}

static void action(const char *key, const char *created, const char *due, const char *owner)
{
    app->now = at(created);
    struct action_input in = {0};
    in.text = "a corrective action";
    in.kind = "process";
    in.owner = owner;
    in.due = due;
    in.no_success = "a process change";
    int64_t id;
    struct err e = ERR_INIT;
    cr_assert_eq(app_action_add(app, key, &in, &id, &e), ERR_OK, "%s", e.msg);
}

static void action_status(const char *aid, const char *status, const char *when)
{
    app->now = at(when);
    struct action_change c = {0};
    c.status = status;
    size_t changed;
    struct err e = ERR_INIT;
    cr_assert_eq(app_action_update(app, aid, &c, &changed, &e), ERR_OK, "%s", e.msg);
}

static void feedback(const char *key, const char *c, const char *u, const char *t,
                     const char *comment, const char *when)
{
    app->now = at(when);
    int64_t id;
    struct err e = ERR_INIT;
    cr_assert_eq(app_feedback(app, key, c, u, t, comment, &id, &e), ERR_OK, "%s", e.msg);
}

static void history(void)
{
    incident("SEV2", "2025-10-05T00:00:00Z", 10, 15, 60, 120, "bad-deploy", "payments", NULL);
    action("INC-1", "2025-10-06T00:00:00Z", "2025-10-20T00:00:00Z", "alice");
    write_sections("INC-1", "written");
    move("INC-1", "postmortem", "2025-10-06T12:00:00Z");
    move("INC-1", "review", "2025-10-07T00:00:00Z");
    feedback("INC-1", "4", "5", "3", NULL, "2025-10-08T00:00:00Z");
    feedback("INC-1", "2", "3", "1", "too many meetings", "2025-10-08T01:00:00Z");
    incident("SEV3", "2025-10-20T00:00:00Z", 30, -1, 180, 240, "capacity", "payments", "search");
    action("INC-2", "2025-10-21T00:00:00Z", "2025-11-01T00:00:00Z", "bob");
    incident("SEV2", "2025-10-25T00:00:00Z", 20, -1, 60, 60, NULL, "search", NULL);
    action("INC-3", "2025-10-26T00:00:00Z", "2025-11-15T00:00:00Z", "carol");
    action_status("A-1", "done", "2025-10-15T00:00:00Z");
    action_status("A-1", "verified", "2025-10-16T00:00:00Z");
    action_status("A-2", "done", "2025-11-05T00:00:00Z");
    action_status("A-2", "verified", "2025-11-06T00:00:00Z");
    incident("SEV1", "2025-12-10T00:00:00Z", 5, -1, 30, 90, "bad-deploy", "payments", NULL);
    write_sections("INC-4", "written");
    move("INC-4", "postmortem", "2025-12-11T00:00:00Z");
    move("INC-4", "review", "2025-12-12T01:30:00Z");
    incident("SEV4", "2025-12-20T00:00:00Z", 15, -1, 30, 60, "dns", NULL, NULL);
    incident("SEV3", "2026-01-19T00:00:00Z", 10, -1, -1, -1, "capacity", NULL, NULL);
    incident("SEV2", "2026-01-25T00:00:00Z", 10, -1, -1, -1, "dns", NULL, NULL);
    app->now = at("2026-01-28T00:00:00Z");
}

static void trends_of(enum trend_by by, const char *since, const char *until, struct trends *t)
{
    struct trends_query q = {by, since ? at(since) : TIME_UNSET, until ? at(until) : TIME_UNSET};
    struct err e = ERR_INIT;
    cr_assert_eq(app_trends(app, &q, t, &e), ERR_OK, "%s", e.msg);
}

static size_t count_of(const struct trend_count *c, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0)
            return c[i].n;
    return 0;
}

static void assert_near(double got, double want, const char *what)
{
    cr_assert(fabs(got - want) < 1e-9, "%s: %.12g, expected %.12g", what, got, want);
}

/* ======== periods ======== */

Test(trends, calendar_periods_and_their_labels)
{
    int64_t from, to;
    char label[16];
    trend_period_of(at("2025-12-31T23:59:59.999Z"), TREND_MONTH, &from, &to, label);
    cr_assert_str_eq(label, "2025-12");
    cr_assert_eq(from, at("2025-12-01T00:00:00Z"));
    cr_assert_eq(to, at("2026-01-01T00:00:00Z"));
    trend_period_of(at("2024-02-29T12:00:00Z"), TREND_MONTH, &from, &to, label);
    cr_assert_str_eq(label, "2024-02");
    cr_assert_eq(to, at("2024-03-01T00:00:00Z"));
    /* quarters: Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec */
    trend_period_of(at("2026-03-31T23:00:00Z"), TREND_QUARTER, &from, &to, label);
    cr_assert_str_eq(label, "2026-Q1");
    cr_assert_eq(from, at("2026-01-01T00:00:00Z"));
    cr_assert_eq(to, at("2026-04-01T00:00:00Z"));
    trend_period_of(at("2025-11-15T00:00:00Z"), TREND_QUARTER, &from, &to, label);
    cr_assert_str_eq(label, "2025-Q4");
    cr_assert_eq(from, at("2025-10-01T00:00:00Z"));
    cr_assert_eq(to, at("2026-01-01T00:00:00Z"));
    trend_period_of(at("1969-12-31T23:59:59Z"), TREND_MONTH, &from, &to, label);
    cr_assert_str_eq(label, "1969-12");
}

/* ======== the figures ======== */

Test(trends, counts_by_severity_service_and_failure_mode)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    /* From the first incident's month to now's: Oct, Nov (empty), Dec, Jan. */
    cr_assert_eq(t.n, 4);
    cr_assert_str_eq(t.periods[0].label, "2025-10");
    cr_assert_str_eq(t.periods[1].label, "2025-11");
    cr_assert_str_eq(t.periods[3].label, "2026-01");
    const struct trend_period *oct = &t.periods[0], *dec = &t.periods[2];
    cr_assert_eq(oct->incidents, 3);
    cr_assert_eq(oct->by_severity[SEV1], 0);
    cr_assert_eq(oct->by_severity[SEV2], 2); /* INC-1, INC-3 */
    cr_assert_eq(oct->by_severity[SEV3], 1);
    cr_assert_eq(oct->by_severity[SEV4], 0);
    cr_assert_eq(count_of(oct->services, oct->n_services, "payments"), 2); /* INC-1, INC-2 */
    cr_assert_eq(count_of(oct->services, oct->n_services, "search"), 2);   /* INC-2, INC-3 */
    cr_assert_eq(count_of(oct->modes, oct->n_modes, "bad-deploy"), 1);
    cr_assert_eq(count_of(oct->modes, oct->n_modes, "capacity"), 1);
    cr_assert_eq(oct->without_mode, 1); /* INC-3 */
    cr_assert_eq(dec->incidents, 2);
    cr_assert_eq(dec->by_severity[SEV1], 1);
    cr_assert_eq(dec->by_severity[SEV4], 1);
    trends_release(&t);
}

Test(trends, medians_and_p90_for_odd_and_even_counts)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    const struct trend_period *oct = &t.periods[0], *dec = &t.periods[2];
    /* October, three incidents (odd). Detect: 600, 1200, 1800 s -> median 1200; p90 by linear
     * interpolation between ranks (R type 7): h = 0.9 * (3 - 1) = 1.8, so
     * 1200 + 0.8 * (1800 - 1200) = 1680. */
    cr_assert_eq(oct->n_measured[TD_DETECT], 3);
    assert_near(oct->median_s[TD_DETECT], 1200, "Oct ttd median");
    assert_near(oct->p90_s[TD_DETECT], 1680, "Oct ttd p90");
    /* Resolve: 7200, 14400, 3600 -> sorted 3600, 7200, 14400: median 7200, p90 7200 + 0.8 * 7200
     * = 12960. */
    assert_near(oct->median_s[TD_RESOLVE], 7200, "Oct ttr median");
    assert_near(oct->p90_s[TD_RESOLVE], 12960, "Oct ttr p90");
    /* Acknowledge (acknowledged - detected): only INC-1 has both, 15m - 10m = 300 s. */
    cr_assert_eq(oct->n_measured[TD_ACKNOWLEDGE], 1);
    assert_near(oct->median_s[TD_ACKNOWLEDGE], 300, "Oct tta");
    /* Mitigate: 3600, 10800, 3600 -> median 3600. */
    assert_near(oct->median_s[TD_MITIGATE], 3600, "Oct ttm");
    /* Postmortem: INC-1 reached review 2025-10-07 00:00, resolved 10-05 02:00: 46 h. */
    cr_assert_eq(oct->n_measured[TD_POSTMORTEM], 1);
    assert_near(oct->median_s[TD_POSTMORTEM], 46 * 3600, "Oct ttp");
    /* December, two incidents (even). Detect: 300, 900 s -> median (300 + 900) / 2 = 600;
     * p90: h = 0.9, 300 + 0.9 * 600 = 840. */
    cr_assert_eq(dec->n_measured[TD_DETECT], 2);
    assert_near(dec->median_s[TD_DETECT], 600, "Dec ttd median");
    assert_near(dec->p90_s[TD_DETECT], 840, "Dec ttd p90");
    /* Resolve: 5400, 3600 -> median 4500, p90 3600 + 0.9 * 1800 = 5220. */
    assert_near(dec->median_s[TD_RESOLVE], 4500, "Dec ttr median");
    assert_near(dec->p90_s[TD_RESOLVE], 5220, "Dec ttr p90");
    /* INC-4: review 12-12 01:30, resolved 12-10 01:30: 48 h. */
    assert_near(dec->median_s[TD_POSTMORTEM], 48 * 3600, "Dec ttp");
    /* January: unresolved incidents give no time to resolve. */
    cr_assert_eq(t.periods[3].n_measured[TD_RESOLVE], 0);
    cr_assert(isnan(t.periods[3].median_s[TD_RESOLVE]));
    trends_release(&t);
}

Test(trends, an_empty_period_in_the_range_appears_with_zeros)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    const struct trend_period *nov = &t.periods[1];
    cr_assert_str_eq(nov->label, "2025-11");
    cr_assert_eq(nov->incidents, 0);
    for (int s = SEV1; s <= SEV_MAX; s++)
        cr_assert_eq(nov->by_severity[s], 0);
    cr_assert_eq(nov->n_services, 0);
    cr_assert_eq(nov->n_modes, 0);
    for (int k = 0; k < TD__COUNT; k++)
        cr_assert(isnan(nov->median_s[k]) && isnan(nov->p90_s[k]));
    cr_assert(isnan(nov->recurrence_rate));
    cr_assert_eq(nov->feedback_count, 0);
    /* Its JSON says null, never NaN. */
    json_t *j = trends_to_json(&t);
    json_t *p = json_array_get(json_object_get(j, "periods"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(p, "period")), "2025-11");
    cr_assert(json_is_null(json_object_get(p, "ttd_median_s")));
    cr_assert(json_is_null(json_object_get(p, "recurrence_rate")));
    cr_assert_eq(json_integer_value(json_object_get(p, "incidents")), 0);
    char *s = json_dumps(j, 0);
    cr_assert_null(strstr(s, "NaN"));
    cr_assert_null(strstr(s, "nan"));
    free(s);
    json_decref(j);
    trends_release(&t);
}

Test(trends, recurrence_within_90_days_counts_and_after_91_days_does_not)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    /* October: INC-1 and INC-2 are the first of their modes, INC-3 has none: 0 of 3. */
    cr_assert_eq(t.periods[0].recurrent, 0);
    assert_near(t.periods[0].recurrence_rate, 0, "Oct");
    /* December: INC-4 (bad-deploy) 66 days after INC-1 recurs; INC-5 (dns) is the first: 1/2. */
    cr_assert_eq(t.periods[2].recurrent, 1);
    assert_near(t.periods[2].recurrence_rate, 0.5, "Dec");
    /* January: INC-6 (capacity) is 91 days after INC-2, outside the window; INC-7 (dns) is 36
     * days after INC-5: 1 of 2. */
    cr_assert_eq(t.periods[3].recurrent, 1);
    assert_near(t.periods[3].recurrence_rate, 0.5, "Jan");
    trends_release(&t);
}

Test(trends, fix_efficacy_counts_failure_modes_whose_verified_fix_held)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    /* October's end: bad-deploy's fix verified 10-16, no bad-deploy since: 1 of 1. */
    cr_assert_eq(t.periods[0].fixed_modes, 1);
    assert_near(t.periods[0].fix_efficacy, 1, "Oct");
    /* November's end: capacity's fix too (verified 11-06), neither came back: 2 of 2. */
    cr_assert_eq(t.periods[1].fixed_modes, 2);
    assert_near(t.periods[1].fix_efficacy, 1, "Nov");
    /* December's end: bad-deploy came back on 12-10 (INC-4), capacity held: 1 of 2. */
    cr_assert_eq(t.periods[2].held_modes, 1);
    assert_near(t.periods[2].fix_efficacy, 0.5, "Dec");
    /* January's end: capacity came back on 01-19 (INC-6): 0 of 2. dns has no verified fix. */
    cr_assert_eq(t.periods[3].fixed_modes, 2);
    assert_near(t.periods[3].fix_efficacy, 0, "Jan");
    trends_release(&t);
}

Test(trends, actions_opened_done_on_time_and_overdue)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    /* October: A-1..A-3 opened; A-1 done 10-15 before its due 10-20; at October's end nothing
     * is past due (A-2 is due 11-01 00:00, A-3 11-15). */
    cr_assert_eq(t.periods[0].actions_opened, 3);
    cr_assert_eq(t.periods[0].actions_done, 1);
    cr_assert_eq(t.periods[0].actions_on_time, 1);
    cr_assert_eq(t.periods[0].actions_overdue, 0);
    /* November: A-2 done 11-05, after its due 11-01: late; A-3 open past 11-15: overdue. */
    cr_assert_eq(t.periods[1].actions_opened, 0);
    cr_assert_eq(t.periods[1].actions_done, 1);
    cr_assert_eq(t.periods[1].actions_on_time, 0);
    cr_assert_eq(t.periods[1].actions_overdue, 1);
    /* January (the current period, measured now): A-3 still overdue. */
    cr_assert_eq(t.periods[3].actions_overdue, 1);
    trends_release(&t);
}

Test(trends, feedback_means_per_period)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    /* INC-1's two ratings: clarity (4 + 2) / 2 = 3, usefulness (5 + 3) / 2 = 4, time
     * efficiency (3 + 1) / 2 = 2. */
    cr_assert_eq(t.periods[0].feedback_count, 2);
    assert_near(t.periods[0].feedback[0], 3, "clarity");
    assert_near(t.periods[0].feedback[1], 4, "usefulness");
    assert_near(t.periods[0].feedback[2], 2, "time efficiency");
    cr_assert(isnan(t.periods[2].feedback[0]));
    trends_release(&t);
}

Test(trends, quarters_bucket_by_calendar_quarter)
{
    history();
    struct trends t;
    trends_of(TREND_QUARTER, NULL, NULL, &t);
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.periods[0].label, "2025-Q4");
    cr_assert_str_eq(t.periods[1].label, "2026-Q1");
    cr_assert_eq(t.periods[0].incidents, 5);
    cr_assert_eq(t.periods[0].by_severity[SEV1], 1);
    cr_assert_eq(t.periods[0].by_severity[SEV2], 2);
    cr_assert_eq(t.periods[0].by_severity[SEV3], 1);
    cr_assert_eq(t.periods[0].by_severity[SEV4], 1);
    cr_assert_eq(t.periods[1].incidents, 2);
    /* Q4 detect times: 300, 600, 900, 1200, 1800 -> median 900. */
    assert_near(t.periods[0].median_s[TD_DETECT], 900, "Q4 ttd");
    /* Q4: only INC-4 recurs: 1 of 5. */
    assert_near(t.periods[0].recurrence_rate, 0.2, "Q4 recurrence");
    trends_release(&t);
}

Test(trends, since_and_until_cut_the_range)
{
    history();
    struct trends t;
    trends_of(TREND_MONTH, "2025-11-01T00:00:00Z", "2026-01-01T00:00:00Z", &t);
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.periods[0].label, "2025-11");
    cr_assert_str_eq(t.periods[1].label, "2025-12");
    cr_assert_eq(t.periods[0].incidents, 0);
    cr_assert_eq(t.periods[1].incidents, 2);
    /* Recurrence still looks back before --since: INC-4 recurs because of INC-1. */
    cr_assert_eq(t.periods[1].recurrent, 1);
    trends_release(&t);
    /* A cut inside a month counts only the incidents in the cut. */
    trends_of(TREND_MONTH, "2025-10-15T00:00:00Z", "2025-10-22T00:00:00Z", &t);
    cr_assert_eq(t.n, 1);
    cr_assert_eq(t.periods[0].incidents, 1); /* INC-2 */
    trends_release(&t);
}

Test(trends, bad_ranges_are_refused_and_an_empty_store_has_no_periods)
{
    struct trends t;
    trends_of(TREND_MONTH, NULL, NULL, &t);
    cr_assert_eq(t.n, 0);
    trends_release(&t);
    struct trends_query q = {TREND_MONTH, at("2026-01-01T00:00:00Z"), at("2025-01-01T00:00:00Z")};
    struct err e = ERR_INIT;
    cr_assert_eq(app_trends(app, &q, &t, &e), ERR_INVALID);
    cr_assert_not_null(strstr(e.msg, "--since 2026-01-01T00:00:00Z is not before --until"),
                       "%s", e.msg);
    q = (struct trends_query){TREND_MONTH, at("1800-01-01T00:00:00Z"), TIME_UNSET};
    cr_assert_eq(app_trends(app, &q, &t, &e), ERR_INVALID);
    cr_assert_not_null(strstr(e.msg, "more than 1200 months"), "%s", e.msg);
    q.by = TREND_QUARTER; /* 905 quarters fit */
    cr_assert_eq(app_trends(app, &q, &t, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(t.n, (2026 - 1800) * 4 + 1);
    trends_release(&t);
}

/* ======== the process audit ======== */

Test(process_audit, words_are_runs_of_non_space)
{
    cr_assert_eq(audit_word_count(NULL), 0);
    cr_assert_eq(audit_word_count(""), 0);
    cr_assert_eq(audit_word_count("  \n\t "), 0);
    cr_assert_eq(audit_word_count("one"), 1);
    cr_assert_eq(audit_word_count(" two  words\n"), 2);
    cr_assert_eq(audit_word_count("a\tb\nc d-e"), 4);
}

static const struct audit_finding *find(const struct process_audit *p, enum audit_kind k,
                                        const char *text_part)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->findings[i].kind == k && strstr(p->findings[i].text, text_part))
            return &p->findings[i];
    return NULL;
}

Test(process_audit, findings_name_their_records)
{
    history();
    /* INC-1 and INC-4 are in review; their required sections say one word each ("written"),
     * so every section is thin in both: 2 postmortems. */
    struct process_audit p;
    struct err e = ERR_INIT;
    cr_assert_eq(app_process_audit(app, &p, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(p.postmortems, 2);
    const struct audit_finding *f = find(&p, AUDIT_THIN_SECTION, "'summary'");
    cr_assert_not_null(f);
    cr_assert_eq(f->count, 2);
    cr_assert(strlist_contains(&f->records, "INC-1") && strlist_contains(&f->records, "INC-4"));
    cr_assert_not_null(strstr(f->text, "0 missing, 2 under 20 words"), "%s", f->text);
    /* Every action was added with --no-success. */
    f = find(&p, AUDIT_NO_SUCCESS, "A-3 (INC-3, owner carol, todo)");
    cr_assert_not_null(f);
    cr_assert_not_null(strstr(f->text, "a process change"));
    cr_assert(strlist_contains(&f->records, "A-3"));
    /* A-3 (carol) has had nothing recorded since 2025-10-26: stalled. are closed. */
    f = find(&p, AUDIT_NO_UPDATE, "carol");
    cr_assert_not_null(f);
    cr_assert_eq(f->count, 1);
    cr_assert_str_eq(f->records.items[0], "A-3");
    cr_assert_null(find(&p, AUDIT_NO_UPDATE, "alice"));
    /* INC-2, INC-3 and INC-5 are resolved without a postmortem in review, long past due. */
    cr_assert_not_null(find(&p, AUDIT_POSTMORTEM_OVERDUE, "INC-2: postmortem overdue"));
    cr_assert_not_null(find(&p, AUDIT_POSTMORTEM_OVERDUE, "INC-5: postmortem overdue"));
    cr_assert_null(find(&p, AUDIT_POSTMORTEM_OVERDUE, "INC-1: postmortem"));
    /* The one comment, with its ratings. */
    f = find(&p, AUDIT_FEEDBACK, "too many meetings");
    cr_assert_not_null(f);
    cr_assert_not_null(strstr(f->text, "INC-1, clarity 2, usefulness 3, time efficiency 1"));
    /* Findings come grouped by kind, in the enum's order. */
    for (size_t i = 1; i < p.n; i++)
        cr_assert_leq(p.findings[i - 1].kind, p.findings[i].kind);
    process_audit_release(&p);
}
