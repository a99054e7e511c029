/* test_lifecycle.c: incident statuses and the moves between them. */
#include "model/lifecycle.h"

#include <criterion/criterion.h>
#include <string.h>

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

Test(status, names)
{
    cr_assert_str_eq(status_name(ST_OPEN), "open");
    cr_assert_str_eq(status_name(ST_MITIGATED), "mitigated");
    cr_assert_str_eq(status_name(ST_RESOLVED), "resolved");
    cr_assert_str_eq(status_name(ST_POSTMORTEM), "postmortem");
    cr_assert_str_eq(status_name(ST_REVIEW), "review");
    cr_assert_str_eq(status_name(ST_COMPLETE), "complete");
    cr_assert_str_eq(status_name(ST__COUNT), "?");
}

Test(status, parse_round_trips_every_name)
{
    for (int s = 0; s < ST__COUNT; s++) {
        enum incident_status got = ST__COUNT;
        struct err e = ERR_INIT;
        cr_assert_eq(status_parse(status_name((enum incident_status)s), &got, &e), ERR_OK);
        cr_assert_eq(got, (enum incident_status)s);
    }
}

Test(status, parse_is_case_insensitive_and_knows_reopened)
{
    enum incident_status got = ST_COMPLETE;
    struct err e = ERR_INIT;
    cr_assert_eq(status_parse("Resolved", &got, &e), ERR_OK);
    cr_assert_eq(got, ST_RESOLVED);
    got = ST_COMPLETE;
    cr_assert_eq(status_parse("reopened", &got, &e), ERR_OK);
    cr_assert_eq(got, ST_OPEN);
    got = ST_COMPLETE;
    cr_assert_eq(status_parse("REOPENED", &got, &e), ERR_OK);
    cr_assert_eq(got, ST_OPEN);
}

Test(status, parse_refuses_unknown)
{
    static const char *const bad[] = {"", "closed", "opened", "resolve", " open", "open "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum incident_status got = ST_REVIEW;
        struct err e = ERR_INIT;
        cr_assert_eq(status_parse(bad[i], &got, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(e.code, ERR_INVALID);
        cr_assert_eq(got, ST_REVIEW, "output untouched for '%s'", bad[i]);
    }
    struct err e = ERR_INIT;
    enum incident_status got;
    status_parse("closed", &got, &e);
    cr_assert_str_eq(e.msg, "unknown status 'closed' (expected open, mitigated, resolved, "
                            "postmortem, review, complete or reopened)");
}

Test(lifecycle, forward_moves_are_allowed)
{
    struct err e = ERR_INIT;
    for (int s = ST_OPEN; s < ST_COMPLETE; s++) {
        enum incident_status from = (enum incident_status)s, to = (enum incident_status)(s + 1);
        cr_assert(lifecycle_can_move(from, to), "%s -> %s", status_name(from), status_name(to));
        cr_assert(!lifecycle_is_reopen(from, to));
        cr_assert_eq(lifecycle_check_move("INC-1", from, to, &e), ERR_OK);
    }
    cr_assert_eq(e.code, ERR_OK);
    cr_assert_str_eq(e.msg, "");
}

Test(lifecycle, reopen_from_every_later_status)
{
    for (int s = ST_MITIGATED; s < ST__COUNT; s++) {
        enum incident_status from = (enum incident_status)s;
        struct err e = ERR_INIT;
        cr_assert(lifecycle_can_move(from, ST_OPEN), "%s -> open", status_name(from));
        cr_assert(lifecycle_is_reopen(from, ST_OPEN));
        cr_assert_eq(lifecycle_check_move(NULL, from, ST_OPEN, &e), ERR_OK);
    }
    cr_assert(!lifecycle_is_reopen(ST_OPEN, ST_OPEN));
    cr_assert(!lifecycle_is_reopen(ST_RESOLVED, ST_MITIGATED));
}

Test(lifecycle, exactly_the_documented_moves)
{
    int allowed = 0;
    for (int f = 0; f < ST__COUNT; f++)
        for (int t = 0; t < ST__COUNT; t++) {
            bool want = t == f + 1 || (t == ST_OPEN && f != ST_OPEN);
            cr_assert_eq(lifecycle_can_move((enum incident_status)f, (enum incident_status)t),
                         want, "%s -> %s", status_name((enum incident_status)f),
                         status_name((enum incident_status)t));
            allowed += want;
        }
    cr_assert_eq(allowed, 5 + 5);
    cr_assert(!lifecycle_can_move(ST__COUNT, ST_OPEN));
    cr_assert(!lifecycle_can_move(ST_COMPLETE, ST__COUNT));
}

Test(lifecycle, allowed_lists)
{
    enum incident_status out[ST__COUNT];
    cr_assert_eq(lifecycle_allowed(ST_OPEN, out), 1);
    cr_assert_eq(out[0], ST_MITIGATED);
    cr_assert_eq(lifecycle_allowed(ST_RESOLVED, out), 2);
    cr_assert_eq(out[0], ST_OPEN);
    cr_assert_eq(out[1], ST_POSTMORTEM);
    cr_assert_eq(lifecycle_allowed(ST_COMPLETE, out), 1);
    cr_assert_eq(out[0], ST_OPEN);
}

Test(lifecycle, forbidden_skip_ahead)
{
    struct err e = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-3", ST_OPEN, ST_RESOLVED, &e), ERR_CONFLICT);
    cr_assert_eq(e.code, ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "cannot move INC-3 from open to resolved (allowed: mitigated)");

    struct err e2 = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-3", ST_OPEN, ST_REVIEW, &e2), ERR_CONFLICT);
    assert_contains(e2.msg, "from open to review");
    assert_contains(e2.msg, "allowed: mitigated");

    struct err e3 = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-3", ST_MITIGATED, ST_COMPLETE, &e3), ERR_CONFLICT);
    assert_contains(e3.msg, "allowed: open (reopen), resolved");
}

Test(lifecycle, forbidden_backwards)
{
    struct err e = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-9", ST_COMPLETE, ST_REVIEW, &e), ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "cannot move INC-9 from complete to review (allowed: open (reopen))");
    struct err e2 = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-9", ST_RESOLVED, ST_MITIGATED, &e2), ERR_CONFLICT);
    assert_contains(e2.msg, "from resolved to mitigated");
    assert_contains(e2.msg, "allowed: open (reopen), postmortem");
}

Test(lifecycle, same_status_is_not_a_move)
{
    cr_assert(!lifecycle_can_move(ST_RESOLVED, ST_RESOLVED));
    struct err e = ERR_INIT;
    cr_assert_eq(lifecycle_check_move("INC-2", ST_RESOLVED, ST_RESOLVED, &e), ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "INC-2 is already resolved (allowed: open (reopen), postmortem)");
}

Test(lifecycle, message_without_key)
{
    struct err e = ERR_INIT;
    cr_assert_eq(lifecycle_check_move(NULL, ST_OPEN, ST_COMPLETE, &e), ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "cannot move from open to complete (allowed: mitigated)");
    cr_assert_eq(lifecycle_check_move(NULL, ST_OPEN, ST_COMPLETE, NULL), ERR_CONFLICT);
}

Test(status, active)
{
    cr_assert(status_is_active(ST_OPEN));
    cr_assert(status_is_active(ST_MITIGATED));
    cr_assert(!status_is_active(ST_RESOLVED));
    cr_assert(!status_is_active(ST_POSTMORTEM));
    cr_assert(!status_is_active(ST_REVIEW));
    cr_assert(!status_is_active(ST_COMPLETE));
}
