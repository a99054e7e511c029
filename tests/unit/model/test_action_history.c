/* test_action_history.c: an action's status over time from an audit log (the rule trends and
 * similar share): its own key, the k-th created action of an imported incident's log, a
 * reopen, an action without logged moves, before its creation. */
#include "model/action_history.h"

#include <criterion/criterion.h>
#include <string.h>

#define H (3600 * 1000LL) /* an hour in ms */

static struct audit_entry entry(int64_t at, const char *record, const char *action,
                                const char *field, const char *value)
{
    return (struct audit_entry){0, at, (char *)"tester", (char *)record, (char *)action,
                                (char *)field, NULL, (char *)value};
}

static struct action act(int64_t id, enum action_status s, int64_t created, int64_t updated,
                         int64_t done)
{
    struct action a;
    memset(&a, 0, sizeof(a));
    a.id = id;
    a.status = s;
    a.created_at = created;
    a.updated_at = updated;
    a.done_at = done;
    return a;
}

Test(action_history, moves_on_its_own_key_and_a_reopen)
{
    struct audit_entry log[] = {
        entry(0, "A-3", "create", "action", "x"),
        entry(2 * H, "A-3", "update", "status", "done"),
        entry(3 * H, "A-3", "update", "status", "verified"),
        entry(5 * H, "A-3", "update", "status", "todo"),
        entry(4 * H, "A-9", "update", "status", "wontfix"), /* another action's */
    };
    struct action a = act(3, AS_TODO, 0, 5 * H, TIME_UNSET);
    struct action_history h = {&a, NULL, 0}, *hs[] = {&h};
    action_histories_read(log, 5, hs, 1);
    cr_assert_eq(h.n_moves, 3);
    int64_t since = 0;
    cr_assert_eq(action_status_at(&h, 1 * H, &since), AS_TODO);
    cr_assert_eq(since, 0);
    cr_assert_eq(action_status_at(&h, 3 * H, &since), AS_VERIFIED); /* a move at t counts */
    cr_assert_eq(since, 3 * H);
    cr_assert_eq(action_status_at(&h, 5 * H - 1, &since), AS_VERIFIED);
    cr_assert_eq(action_status_at(&h, 6 * H, &since), AS_TODO); /* reopened */
    cr_assert_eq(since, 5 * H);
    action_history_release(&h);
}

Test(action_history, an_imported_log_names_the_exporting_stores_keys)
{
    /* This store numbered the two actions 7 and 8; the log calls them. */
    struct audit_entry log[] = {
        entry(0, "A-1", "create", "action", "first"),
        entry(1 * H, "A-2", "create", "action", "second"),
        entry(2 * H, "A-2", "update", "status", "verified"),
        entry(3 * H, "A-1", "update", "status", "done"),
    };
    struct action a7 = act(7, AS_DONE, 0, 9 * H, 3 * H), a8 = act(8, AS_VERIFIED, 1 * H, 9 * H,
                                                                    TIME_UNSET);
    struct action_history h7 = {&a7, NULL, 0}, h8 = {&a8, NULL, 0};
    struct action_history *hs[] = {&h8, &h7}; /* any order */
    action_histories_read(log, 4, hs, 2);
    int64_t since = 0;
    cr_assert_eq(action_status_at(&h8, 2 * H, &since), AS_VERIFIED);
    cr_assert_eq(since, 2 * H, "the move's time, not the last update's");
    cr_assert_eq(action_status_at(&h7, 2 * H, &since), AS_TODO);
    cr_assert_eq(action_status_at(&h7, 3 * H, &since), AS_DONE);
    action_history_release(&h7);
    action_history_release(&h8);
}

Test(action_history, without_logged_moves_the_present_status_holds_from_when_it_was_reached)
{
    struct action done = act(1, AS_DONE, 0, 6 * H, 4 * H), ver = act(2, AS_VERIFIED, 0, 5 * H,
                                                                       TIME_UNSET);
    struct action_history hd = {&done, NULL, 0}, hv = {&ver, NULL, 0}, *hs[] = {&hd, &hv};
    action_histories_read(NULL, 0, hs, 2);
    int64_t since = 0;
    cr_assert_eq(action_status_at(&hd, 4 * H - 1, &since), AS_TODO);
    cr_assert_eq(action_status_at(&hd, 4 * H, &since), AS_DONE); /* from done_at */
    cr_assert_eq(since, 4 * H);
    cr_assert_eq(action_status_at(&hv, 5 * H, &since), AS_VERIFIED); /* from updated_at */
    cr_assert_eq(since, 5 * H);
    since = 42;
    cr_assert_eq(action_status_at(&hv, -1, &since), AS__COUNT); /* before it existed */
    cr_assert_eq(since, 42);
}
