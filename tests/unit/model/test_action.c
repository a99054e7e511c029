/* test_action.c: success criteria, priority, overdue/stalled/escalation, kinds and keys. */
#include "core/timefmt.h"
#include "model/action.h"
#include "model/incident.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

/* An open action due at due, last touched at last_update. */
static struct action make_action(enum action_status status, int64_t due, int64_t last_update)
{
    struct action a;
    memset(&a, 0, sizeof(a));
    a.id = 1;
    a.incident_id = 1;
    a.status = status;
    a.due_at = due;
    a.last_update = last_update;
    a.done_at = TIME_UNSET;
    a.recurrence = a.severity = a.effort = 3;
    return a;
}

/* ---- success criteria ---- */

Test(model_action, success_parse_metric_with_filter)
{
    struct success s = {0};
    struct err e = ERR_INIT;
    cr_assert_eq(success_parse("metric('http_error_rate') where service = 'payments' < 0.01 "
                               "over 7d", &s, &e), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(s.expr, "metric('http_error_rate') where service = 'payments'");
    cr_assert_eq(s.op, CMP_LT);
    cr_assert_float_eq(s.value, 0.01, EPS);
    cr_assert_eq(s.window_ms, 7 * MS_PER_DAY);
    success_release(&s);
    cr_assert_null(s.expr);
}

Test(model_action, success_parse_splits_at_last_top_level_operator)
{
    struct success s = {0};
    struct err e = ERR_INIT;
    cr_assert_eq(success_parse("(count() where latency_ms > 100) / (count()) <= 0.05 over 24h",
                               &s, &e), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(s.expr, "(count() where latency_ms > 100) / (count())");
    cr_assert_eq(s.op, CMP_LE);
    cr_assert_float_eq(s.value, 0.05, EPS);
    cr_assert_eq(s.window_ms, 24 * MS_PER_HOUR);
    success_release(&s);

    /* The example of the header: comparisons inside both parenthesised filters. */
    cr_assert_eq(success_parse("(count() where event = 'purchase_completed') / (count() where "
                               "event = 'payment_submitted') >= 0.8 over 7d", &s, &e), ERR_OK,
                 "%s", e.msg);
    cr_assert_str_eq(s.expr, "(count() where event = 'purchase_completed') / (count() where "
                             "event = 'payment_submitted')");
    cr_assert_eq(s.op, CMP_GE);
    cr_assert_float_eq(s.value, 0.8, EPS);
    cr_assert_eq(s.window_ms, 7 * MS_PER_DAY);
    success_release(&s);

    /* Operators inside quotes are not comparisons. */
    cr_assert_eq(success_parse("count() where msg = 'a < b' > 3 over 1h", &s, &e), ERR_OK,
                 "%s", e.msg);
    cr_assert_str_eq(s.expr, "count() where msg = 'a < b'");
    cr_assert_eq(s.op, CMP_GT);
    cr_assert_float_eq(s.value, 3.0, EPS);
    cr_assert_eq(s.window_ms, MS_PER_HOUR);
    success_release(&s);
}

Test(model_action, success_parse_operator_forms)
{
    static const struct {
        const char *text;
        const char *expr;
        enum cmp_kind op;
        double value;
        int64_t window;
    } cases[] = {
        {"metric('x') < 1 over 1d", "metric('x')", CMP_LT, 1, MS_PER_DAY},
        {"metric('x') <= 1 over 1d", "metric('x')", CMP_LE, 1, MS_PER_DAY},
        {"metric('x') > 2.5 over 30m", "metric('x')", CMP_GT, 2.5, 30 * MS_PER_MINUTE},
        {"metric('x') >= 0.8 over 7d", "metric('x')", CMP_GE, 0.8, 7 * MS_PER_DAY},
        {"metric('x') != 0 over 12h", "metric('x')", CMP_NE, 0, 12 * MS_PER_HOUR},
        {"metric('x') == 3 over 2w", "metric('x')", CMP_EQ, 3, 14 * MS_PER_DAY},
        {"metric('x') = 3 over 90s", "metric('x')", CMP_EQ, 3, 90 * MS_PER_SECOND},
        {"metric('x')>=-1.5 over 1h", "metric('x')", CMP_GE, -1.5, MS_PER_HOUR},
        {"  count()   <   5   over   1d  ", "count()", CMP_LT, 5, MS_PER_DAY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct success s = {0};
        struct err e = ERR_INIT;
        cr_assert_eq(success_parse(cases[i].text, &s, &e), ERR_OK, "'%s': %s", cases[i].text,
                     e.msg);
        cr_assert_str_eq(s.expr, cases[i].expr, "'%s'", cases[i].text);
        cr_assert_eq(s.op, cases[i].op, "'%s'", cases[i].text);
        cr_assert_float_eq(s.value, cases[i].value, EPS, "'%s'", cases[i].text);
        cr_assert_eq(s.window_ms, cases[i].window, "'%s'", cases[i].text);
        success_release(&s);
    }
}

Test(model_action, success_parse_refusals)
{
    static const char *const bad[] = {
        "metric('x') < 1",                    /* no ' over ' */
        "metric('x') < 1 for 7d",             /* no ' over ' */
        "metric('x') < 1 over",               /* no ' over ' (nothing after) */
        "metric('x') < 1 over 7x",            /* bad window */
        "metric('x') < 1 over ",              /* empty window */
        "metric('x') < 1 over 0d",            /* zero window */
        "metric('x') 0.01 over 7d",           /* missing comparison */
        "(count() where a > 1) over 1d",      /* comparison only inside the expression */
        "count() where msg = 'x<1' over 1d",  /* the only top-level '=' leaves a bad value */
        "metric('x') < abc over 7d",          /* non-numeric value */
        "metric('x') < over 7d",              /* missing value */
        "metric('x') < 1 2 over 7d",          /* junk in the value */
        "metric('x') < nan over 7d",          /* not a finite number */
        "< 0.01 over 7d",                     /* empty expression */
        "   >= 1 over 1d",                    /* empty expression */
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct success s = {0};
        struct err e = ERR_INIT;
        cr_assert_eq(success_parse(bad[i], &s, &e), ERR_INVALID, "'%s' accepted", bad[i]);
        cr_assert_eq(e.code, ERR_INVALID, "'%s'", bad[i]);
        cr_assert_null(s.expr, "'%s' left an expression", bad[i]);
        assert_contains(e.msg, "invalid success criterion");
    }
}

Test(model_action, success_text_round_trip)
{
    static const struct {
        const char *text;
        const char *canonical;
    } cases[] = {
        {"metric('http_error_rate') where service = 'payments' < 0.01 over 7d",
         "metric('http_error_rate') where service = 'payments' < 0.01 over 7d"},
        {"(count() where latency_ms > 100) / (count()) <= 0.05 over 24h",
         "(count() where latency_ms > 100) / (count()) <= 0.05 over 1d"},
        {"metric('x') >= 0.8 over 36h", "metric('x') >= 0.8 over 36h"},
        {"metric('x') > 2.5 over 90m", "metric('x') > 2.5 over 90m"},
        {"metric('x') != 0 over 2w", "metric('x') != 0 over 14d"},
        {"metric('x') == 3 over 1d", "metric('x') = 3 over 1d"},
        {"metric('x') = 3 over 1d", "metric('x') = 3 over 1d"},
        {"  metric('x')<-1.5   over 45s ", "metric('x') < -1.5 over 45s"},
        {"count() > 1000000 over 1d", "count() > 1000000 over 1d"},
        {"metric('x') < 0.0000001 over 1d", "metric('x') < 1e-07 over 1d"},
        {"count() where msg = 'game over now' > 1 over 1d",
         "count() where msg = 'game over now' > 1 over 1d"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct success a = {0}, b = {0};
        struct err e = ERR_INIT;
        cr_assert_eq(success_parse(cases[i].text, &a, &e), ERR_OK, "'%s': %s", cases[i].text,
                     e.msg);
        char *text = success_text(&a);
        cr_assert_str_eq(text, cases[i].canonical);
        cr_assert_eq(success_parse(text, &b, &e), ERR_OK, "'%s': %s", text, e.msg);
        cr_assert_str_eq(b.expr, a.expr);
        cr_assert_eq(b.op, a.op);
        cr_assert_float_eq(b.value, a.value, EPS);
        cr_assert_eq(b.window_ms, a.window_ms);
        free(text);
        success_release(&a);
        success_release(&b);
    }

    struct success none = {0};
    char *empty = success_text(&none);
    cr_assert_str_eq(empty, "");
    free(empty);
}

Test(model_action, cmp_names_and_holds)
{
    cr_assert_str_eq(cmp_kind_name(CMP_LT), "<");
    cr_assert_str_eq(cmp_kind_name(CMP_LE), "<=");
    cr_assert_str_eq(cmp_kind_name(CMP_GT), ">");
    cr_assert_str_eq(cmp_kind_name(CMP_GE), ">=");
    cr_assert_str_eq(cmp_kind_name(CMP_EQ), "=");
    cr_assert_str_eq(cmp_kind_name(CMP_NE), "!=");
    cr_assert(cmp_holds(CMP_LT, 0.5, 1));
    cr_assert_not(cmp_holds(CMP_LT, 1, 1));
    cr_assert(cmp_holds(CMP_LE, 1, 1));
    cr_assert_not(cmp_holds(CMP_LE, 1.5, 1));
    cr_assert(cmp_holds(CMP_GT, 2, 1));
    cr_assert_not(cmp_holds(CMP_GT, 1, 1));
    cr_assert(cmp_holds(CMP_GE, 1, 1));
    cr_assert_not(cmp_holds(CMP_GE, 0.5, 1));
    cr_assert(cmp_holds(CMP_EQ, 1, 1));
    cr_assert_not(cmp_holds(CMP_EQ, 1, 2));
    cr_assert(cmp_holds(CMP_NE, 1, 2));
    cr_assert_not(cmp_holds(CMP_NE, 1, 1));
}

/* ---- priority ---- */

Test(model_action, priority_formula)
{
    static const struct {
        int recurrence, severity, effort;
        double priority;
        const char *label;
    } cases[] = {
        {5, 5, 1, 25, "P1"}, {5, 4, 2, 10, "P1"}, {3, 3, 1, 9, "P2"},  {5, 2, 2, 5, "P2"},
        {3, 3, 2, 4.5, "P3"}, {2, 1, 1, 2, "P3"}, {3, 2, 4, 1.5, "P4"}, {1, 1, 5, 0.2, "P4"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct action a = make_action(AS_TODO, T0, T0);
        a.recurrence = cases[i].recurrence;
        a.severity = cases[i].severity;
        a.effort = cases[i].effort;
        double p = action_priority(&a);
        cr_assert_float_eq(p, cases[i].priority, EPS, "%d*%d/%d", cases[i].recurrence,
                           cases[i].severity, cases[i].effort);
        cr_assert_str_eq(action_priority_label(p), cases[i].label, "%d*%d/%d",
                         cases[i].recurrence, cases[i].severity, cases[i].effort);
    }
    /* An unset effort counts as 3 (as in the dependency graph). */
    struct action a = make_action(AS_TODO, T0, T0);
    a.recurrence = 4;
    a.severity = 3;
    a.effort = 0;
    cr_assert_float_eq(action_priority(&a), 4.0, EPS);
}

Test(model_action, priority_label_boundaries)
{
    cr_assert_str_eq(action_priority_label(25), "P1");
    cr_assert_str_eq(action_priority_label(10), "P1");
    cr_assert_str_eq(action_priority_label(9.99), "P2");
    cr_assert_str_eq(action_priority_label(5), "P2");
    cr_assert_str_eq(action_priority_label(4.99), "P3");
    cr_assert_str_eq(action_priority_label(2), "P3");
    cr_assert_str_eq(action_priority_label(1.99), "P4");
    cr_assert_str_eq(action_priority_label(0.2), "P4");
}

/* ---- overdue, stalled, escalation ---- */

Test(model_action, policy_default)
{
    struct action_policy p;
    action_policy_default(&p);
    cr_assert_eq(p.stalled_after_ms, 14 * MS_PER_DAY);
    cr_assert_eq(p.escalate_after_ms, 7 * MS_PER_DAY);
    cr_assert_eq(p.escalate_again_ms, 21 * MS_PER_DAY);
}

Test(model_action, overdue_threshold)
{
    struct action a = make_action(AS_TODO, T0, T0);
    cr_assert_not(action_overdue(&a, T0 - 1));
    cr_assert_not(action_overdue(&a, T0));
    cr_assert(action_overdue(&a, T0 + 1));
    cr_assert(action_overdue(&a, T0 + 30 * MS_PER_DAY));
    a.status = AS_DOING;
    cr_assert(action_overdue(&a, T0 + 1));
    a.status = AS_BLOCKED;
    cr_assert(action_overdue(&a, T0 + 1));
}

Test(model_action, stalled_threshold)
{
    struct action_policy p;
    action_policy_default(&p);
    struct action a = make_action(AS_DOING, T0 + 60 * MS_PER_DAY, T0);
    cr_assert_not(action_stalled(&p, &a, T0));
    cr_assert_not(action_stalled(&p, &a, T0 + 14 * MS_PER_DAY));
    cr_assert(action_stalled(&p, &a, T0 + 14 * MS_PER_DAY + 1));
    a.last_update = T0 + MS_PER_DAY; /* something recorded: the clock restarts */
    cr_assert_not(action_stalled(&p, &a, T0 + 14 * MS_PER_DAY + 1));
    cr_assert(action_stalled(&p, &a, T0 + 15 * MS_PER_DAY + 1));
}

Test(model_action, escalation_levels)
{
    struct action_policy p;
    action_policy_default(&p);
    struct action a = make_action(AS_TODO, T0, T0);
    cr_assert_eq(action_escalation_level(&p, &a, T0 - MS_PER_DAY), 0);
    cr_assert_eq(action_escalation_level(&p, &a, T0), 0);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 1), 0);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 7 * MS_PER_DAY), 0);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 7 * MS_PER_DAY + 1), 1);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 21 * MS_PER_DAY), 1);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 21 * MS_PER_DAY + 1), 2);
    cr_assert_eq(action_escalation_level(&p, &a, T0 + 365 * MS_PER_DAY), 2);

    /* Another policy moves the thresholds. */
    struct action_policy q = {MS_PER_DAY, MS_PER_HOUR, 2 * MS_PER_HOUR};
    cr_assert_eq(action_escalation_level(&q, &a, T0 + MS_PER_HOUR), 0);
    cr_assert_eq(action_escalation_level(&q, &a, T0 + MS_PER_HOUR + 1), 1);
    cr_assert_eq(action_escalation_level(&q, &a, T0 + 2 * MS_PER_HOUR + 1), 2);
}

Test(model_action, closed_actions_are_never_overdue_stalled_or_escalated)
{
    struct action_policy p;
    action_policy_default(&p);
    static const enum action_status closed[] = {AS_DONE, AS_VERIFIED, AS_WONTFIX};
    for (size_t i = 0; i < sizeof(closed) / sizeof(closed[0]); i++) {
        struct action a = make_action(closed[i], T0, T0);
        int64_t late = T0 + 100 * MS_PER_DAY;
        cr_assert_not(action_overdue(&a, late), "%s", action_status_name(closed[i]));
        cr_assert_not(action_stalled(&p, &a, late), "%s", action_status_name(closed[i]));
        cr_assert_eq(action_escalation_level(&p, &a, late), 0, "%s",
                     action_status_name(closed[i]));
    }
}

Test(model_action, status_closed)
{
    cr_assert_not(action_status_closed(AS_TODO));
    cr_assert_not(action_status_closed(AS_DOING));
    cr_assert_not(action_status_closed(AS_BLOCKED));
    cr_assert(action_status_closed(AS_DONE));
    cr_assert(action_status_closed(AS_VERIFIED));
    cr_assert(action_status_closed(AS_WONTFIX));
}

/* ---- names, keys, severity ---- */

Test(model_action, kind_names_and_parse)
{
    static const char *const names[AK__COUNT] = {"process", "architecture", "monitoring",
                                                 "policy"};
    for (int i = 0; i < AK__COUNT; i++) {
        cr_assert_str_eq(action_kind_name((enum action_kind)i), names[i]);
        enum action_kind k = AK__COUNT;
        struct err e = ERR_INIT;
        cr_assert_eq(action_kind_parse(names[i], &k, &e), ERR_OK);
        cr_assert_eq(k, (enum action_kind)i);
    }
    enum action_kind k = AK_PROCESS;
    struct err e = ERR_INIT;
    cr_assert_eq(action_kind_parse("Monitoring", &k, &e), ERR_OK);
    cr_assert_eq(k, AK_MONITORING);

    k = AK_POLICY;
    cr_assert_eq(action_kind_parse("training", &k, &e), ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    assert_contains(e.msg, "training");
    cr_assert_eq(k, AK_POLICY);
    struct err e2 = ERR_INIT;
    cr_assert_eq(action_kind_parse("", &k, &e2), ERR_INVALID);
    cr_assert_str_eq(action_kind_name(AK__COUNT), "?");
}

Test(model_action, status_names_and_parse)
{
    static const char *const names[AS__COUNT] = {"todo", "doing", "blocked",
                                                 "done", "verified", "wontfix"};
    for (int i = 0; i < AS__COUNT; i++) {
        cr_assert_str_eq(action_status_name((enum action_status)i), names[i]);
        enum action_status s = AS__COUNT;
        struct err e = ERR_INIT;
        cr_assert_eq(action_status_parse(names[i], &s, &e), ERR_OK);
        cr_assert_eq(s, (enum action_status)i);
    }
    enum action_status s = AS_TODO;
    struct err e = ERR_INIT;
    cr_assert_eq(action_status_parse("WontFix", &s, &e), ERR_OK);
    cr_assert_eq(s, AS_WONTFIX);

    s = AS_DOING;
    cr_assert_eq(action_status_parse("closed", &s, &e), ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    assert_contains(e.msg, "closed");
    cr_assert_eq(s, AS_DOING);
    struct err e2 = ERR_INIT;
    cr_assert_eq(action_status_parse("", &s, &e2), ERR_INVALID);
    cr_assert_str_eq(action_status_name(AS__COUNT), "?");
}

Test(model_action, key_format_and_parse)
{
    char key[32];
    action_key(7, key);
    cr_assert_str_eq(key, "A-7");
    action_key(1234567, key);
    cr_assert_str_eq(key, "A-1234567");

    static const struct {
        const char *text;
        int64_t id;
    } ok[] = {{"A-7", 7}, {"a-7", 7}, {"7", 7}, {"A-12", 12}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t id = -1;
        struct err e = ERR_INIT;
        cr_assert_eq(action_key_parse(ok[i].text, &id, &e), ERR_OK, "'%s'", ok[i].text);
        cr_assert_eq(id, ok[i].id, "'%s'", ok[i].text);
    }
    static const char *const bad[] = {"A-0", "A-", "B-7", "A-7x", "", "0", "-7", "A-07",
                                      "H-7", "A 7"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t id = -1;
        struct err e = ERR_INIT;
        cr_assert_eq(action_key_parse(bad[i], &id, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(e.code, ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(id, -1, "'%s' wrote the id", bad[i]);
        assert_contains(e.msg, bad[i]);
    }
}

Test(model_action, severity_from_incident)
{
    cr_assert_eq(action_severity_from_incident(SEV1), 5);
    cr_assert_eq(action_severity_from_incident(SEV2), 4);
    cr_assert_eq(action_severity_from_incident(SEV3), 3);
    cr_assert_eq(action_severity_from_incident(SEV4), 2);
    /* Without a severity the rating stays on the 1-5 scale. */
    int none = action_severity_from_incident(SEV_NONE);
    cr_assert(none >= 1 && none <= 5, "got %d", none);
}
