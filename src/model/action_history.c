/* action_history.c: an action's status over time (action_history.h). */
#include "model/action_history.h"

#include "core/strlist.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_status_entry(const struct audit_entry *en)
{
    return en->record && en->field && strcmp(en->field, "status") == 0 && en->new_value;
}

static bool is_action_create(const struct audit_entry *en)
{
    return en->record && !strncmp(en->record, "A-", 2) && en->action &&
           !strcmp(en->action, "create") && en->field && !strcmp(en->field, "action");
}

static int cmp_move(const void *pa, const void *pb)
{
    const struct action_move *x = pa, *y = pb;
    return (x->at > y->at) - (x->at < y->at);
}

static int cmp_by_id(const void *pa, const void *pb)
{
    const struct action *x = (*(struct action_history *const *)pa)->act;
    const struct action *y = (*(struct action_history *const *)pb)->act;
    return (x->id > y->id) - (x->id < y->id);
}

static void read_moves(const struct audit_entry *log, size_t n_log, struct action_history *h,
                       const char *key)
{
    for (size_t i = 0; i < n_log; i++) {
        enum action_status to;
        if (!is_status_entry(&log[i]) || strcmp(log[i].record, key) != 0 ||
            action_status_parse(log[i].new_value, &to, NULL) < 0)
            continue;
        h->moves = xreallocarray(h->moves, h->n_moves + 1, sizeof(*h->moves));
        h->moves[h->n_moves++] = (struct action_move){log[i].at, to};
    }
    if (h->n_moves > 1) /* entries are written in time order already; this makes it sure */
        qsort(h->moves, h->n_moves, sizeof(*h->moves), cmp_move);
}

void action_histories_read(const struct audit_entry *log, size_t n_log,
                           struct action_history *const *hs, size_t n)
{
    struct action_history **by_id = xcalloc(n ? n : 1, sizeof(*by_id));
    memcpy(by_id, hs, n * sizeof(*by_id));
    qsort(by_id, n, sizeof(*by_id), cmp_by_id);
    struct strlist created = STRLIST_INIT;
    for (size_t i = 0; i < n_log; i++)
        if (is_action_create(&log[i]))
            strlist_add_unique(&created, log[i].record);
    for (size_t k = 0; k < n; k++) {
        char key[32];
        if (created.n == n)
            snprintf(key, sizeof(key), "%s", created.items[k]);
        else
            action_key(by_id[k]->act->id, key);
        read_moves(log, n_log, by_id[k], key);
    }
    strlist_release(&created);
    free(by_id);
}

enum action_status action_status_at(const struct action_history *h, int64_t t,
                                    int64_t *ret_since)
{
    const struct action *a = h->act;
    if (a->created_at > t)
        return AS__COUNT;
    enum action_status s = AS_TODO;
    *ret_since = a->created_at;
    if (h->n_moves == 0 && a->status != AS_TODO) {
        int64_t when = a->status == AS_DONE && a->done_at != TIME_UNSET ? a->done_at
                                                                           : a->updated_at;
        if (when <= t)
            s = a->status, *ret_since = when;
    }
    for (size_t k = 0; k < h->n_moves && h->moves[k].at <= t; k++)
        s = h->moves[k].to, *ret_since = h->moves[k].at;
    return s;
}

void action_history_release(struct action_history *h)
{
    free(h->moves);
    h->moves = NULL;
    h->n_moves = 0;
}
