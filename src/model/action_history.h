/* action_history.h: an action's status over time, read from its incident's audit log.
 *
 * One rule for every command that asks what an action's status was at some instant (trends'
 * actions and fix efficacy, similar's fixes that did not hold; docs/trends.md):
 *  - the action's status moves are the audit entries of field "status" on its key, in time
 *    order. An imported incident's log names its actions by the exporting store's keys, so
 *    when the log creates exactly as many actions as the incident has, the k-th created one
 *    is the k-th action (both in creation order); otherwise the action's own key is used;
 *  - at instant t its status is the last move at or before t (todo from its creation until
 *    the first); before its creation it did not exist;
 *  - an action without any move in the log (a record made by hand or by an older version) is
 *    taken to hold its present status from when it reached it: done_at for done, its last
 *    update otherwise. */
#ifndef MODEL_ACTION_HISTORY_H
#define MODEL_ACTION_HISTORY_H

#include "core/timefmt.h"
#include "model/action.h"
#include "model/timeline.h"

struct action_move {
    int64_t at;
    enum action_status to;
};

struct action_history {
    const struct action *act;   /* borrowed */
    struct action_move *moves;  /* owned; in time order */
    size_t n_moves;
};

/* Reads the moves of the n actions of one incident (hs[k]->act set, any order; each history
 * empty) from that incident's audit log. */
void action_histories_read(const struct audit_entry *log, size_t n_log,
                           struct action_history *const *hs, size_t n);

/* The status at instant t and since when; AS__COUNT (and *ret_since untouched) before the
 * action was created. */
enum action_status action_status_at(const struct action_history *h, int64_t t,
                                    int64_t *ret_since);

void action_history_release(struct action_history *h);

#endif
