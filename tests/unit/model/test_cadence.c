/* test_cadence.c: postmortem and review due dates. */
#include "core/timefmt.h"
#include "model/cadence.h"

#include <criterion/criterion.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

/* A resolved incident of severity sev, resolved at T0 + 2 h. */
static void make_resolved(struct incident *inc, enum severity sev)
{
    incident_init(inc);
    inc->severity = sev;
    inc->status = ST_RESOLVED;
    inc->times[T_STARTED] = T0;
    inc->times[T_MITIGATED] = T0 + MS_PER_HOUR;
    inc->times[T_RESOLVED] = T0 + 2 * MS_PER_HOUR;
}

Test(cadence, default_policy)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    cr_assert_eq(p.postmortem_after_ms[SEV1], 24 * MS_PER_HOUR);
    cr_assert_eq(p.postmortem_after_ms[SEV2], 48 * MS_PER_HOUR);
    cr_assert_eq(p.postmortem_after_ms[SEV3], 72 * MS_PER_HOUR);
    cr_assert_eq(p.postmortem_after_ms[SEV4], 72 * MS_PER_HOUR);
    cr_assert_eq(p.review_after_ms, 30 * MS_PER_DAY);
}

Test(cadence, postmortem_due_by_severity)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    static const struct {
        enum severity sev;
        int64_t after;
    } cases[] = {
        {SEV1, 24 * MS_PER_HOUR},
        {SEV2, 48 * MS_PER_HOUR},
        {SEV3, 72 * MS_PER_HOUR},
        {SEV4, 72 * MS_PER_HOUR},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct incident inc;
        make_resolved(&inc, cases[i].sev);
        int64_t resolved = inc.times[T_RESOLVED];
        cr_assert_eq(cadence_postmortem_due(&p, &inc), resolved + cases[i].after, "SEV%d",
                     (int)cases[i].sev);
        cr_assert_eq(cadence_review_due(&p, &inc), resolved + cases[i].after + 30 * MS_PER_DAY);
        incident_release(&inc);
    }
}

Test(cadence, sev1_due_date_as_text)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    struct incident inc;
    make_resolved(&inc, SEV1);
    char out[TIME_STR_MAX];
    cr_assert_str_eq(time_format_rfc3339(cadence_postmortem_due(&p, &inc), out),
                     "2026-03-05T14:00:00Z");
    cr_assert_str_eq(time_format_rfc3339(cadence_review_due(&p, &inc), out),
                     "2026-04-04T14:00:00Z");
    incident_release(&inc);
}

Test(cadence, custom_policy_is_used)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    p.postmortem_after_ms[SEV2] = 5 * MS_PER_DAY;
    p.review_after_ms = 7 * MS_PER_DAY;
    struct incident inc;
    make_resolved(&inc, SEV2);
    cr_assert_eq(cadence_postmortem_due(&p, &inc), inc.times[T_RESOLVED] + 5 * MS_PER_DAY);
    cr_assert_eq(cadence_review_due(&p, &inc), inc.times[T_RESOLVED] + 12 * MS_PER_DAY);
    incident_release(&inc);
}

Test(cadence, unresolved_has_no_due_date)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    struct incident inc;
    incident_init(&inc);
    inc.severity = SEV1;
    inc.times[T_STARTED] = T0;
    cr_assert_eq(cadence_postmortem_due(&p, &inc), TIME_UNSET);
    cr_assert_eq(cadence_review_due(&p, &inc), TIME_UNSET);
    inc.status = ST_MITIGATED;
    inc.times[T_MITIGATED] = T0 + 1;
    cr_assert_eq(cadence_postmortem_due(&p, &inc), TIME_UNSET);
    /* a resolved time on a record that is open again (reopened) does not count */
    inc.status = ST_OPEN;
    inc.times[T_RESOLVED] = T0 + 2;
    cr_assert_eq(cadence_postmortem_due(&p, &inc), TIME_UNSET);
    cr_assert_eq(cadence_review_due(&p, &inc), TIME_UNSET);
    cr_assert(!cadence_postmortem_overdue(&p, &inc, T0 + 365 * MS_PER_DAY));
    /* a resolved status without a resolved time has no due date either */
    inc.status = ST_RESOLVED;
    inc.times[T_RESOLVED] = TIME_UNSET;
    cr_assert_eq(cadence_postmortem_due(&p, &inc), TIME_UNSET);
    cr_assert(!cadence_postmortem_overdue(&p, &inc, T0 + 365 * MS_PER_DAY));
    incident_release(&inc);
}

Test(cadence, overdue_only_after_due)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    struct incident inc;
    make_resolved(&inc, SEV1);
    int64_t due = cadence_postmortem_due(&p, &inc);
    cr_assert(!cadence_postmortem_overdue(&p, &inc, inc.times[T_RESOLVED]));
    cr_assert(!cadence_postmortem_overdue(&p, &inc, due - 1));
    cr_assert(!cadence_postmortem_overdue(&p, &inc, due), "due exactly now is not yet overdue");
    cr_assert(cadence_postmortem_overdue(&p, &inc, due + 1));
    cr_assert(cadence_postmortem_overdue(&p, &inc, due + 100 * MS_PER_DAY));
    incident_release(&inc);
}

Test(cadence, overdue_only_in_resolved_or_postmortem)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    struct incident inc;
    make_resolved(&inc, SEV3);
    int64_t late = cadence_postmortem_due(&p, &inc) + MS_PER_DAY;
    static const struct {
        enum incident_status st;
        bool overdue;
    } cases[] = {
        {ST_OPEN, false},       {ST_MITIGATED, false}, {ST_RESOLVED, true},
        {ST_POSTMORTEM, true},  {ST_REVIEW, false},    {ST_COMPLETE, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        inc.status = cases[i].st;
        cr_assert_eq(cadence_postmortem_overdue(&p, &inc, late), cases[i].overdue, "status %s",
                     status_name(cases[i].st));
    }
    incident_release(&inc);
}

Test(cadence, sev2_overdue_boundary)
{
    struct cadence_policy p;
    cadence_policy_default(&p);
    struct incident inc;
    make_resolved(&inc, SEV2);
    int64_t resolved = inc.times[T_RESOLVED];
    cr_assert(!cadence_postmortem_overdue(&p, &inc, resolved + 47 * MS_PER_HOUR));
    cr_assert(cadence_postmortem_overdue(&p, &inc, resolved + 49 * MS_PER_HOUR));
    inc.severity = SEV1;
    cr_assert(cadence_postmortem_overdue(&p, &inc, resolved + 25 * MS_PER_HOUR));
    incident_release(&inc);
}
