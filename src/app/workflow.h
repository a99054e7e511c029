/* workflow.h: the postmortem workflow's use cases: hypotheses and their evidence, corrective
 * actions with dependencies, progress and escalation, teams and people.
 *
 * As everywhere in app/, values arrive as text and are checked here; each writing call is one
 * transaction with its audit entries (record "H-3", "A-7", "team payments", ...). */
#ifndef APP_WORKFLOW_H
#define APP_WORKFLOW_H

#include "app/app.h"
#include "core/strlist.h"
#include "model/action.h"
#include "model/hypothesis.h"

/* ---- hypotheses ---- */

struct hypothesis_change {
    const char *text, *owner, *likelihood, *impact, *status;
    const char *note; /* recorded as a note of evidence (refuting when refuted) */
};

int app_hypothesis_add(struct app *a, const char *incident_key, const char *text,
                       const char *owner, const char *likelihood, const char *impact,
                       int64_t *ret_id, struct err *e);
/* Inserts h (incident, text, owner, ratings and explained share set by the caller; status and
 * times are set here) with its audit entries, in one transaction.
 * link_field and link_value, when not NULL, add one more entry with action "accept" (the
 * finding a hypothesis came from). Sets h->id. */
int app_hypothesis_create(struct app *a, struct hypothesis *h, const char *link_field,
                          const char *link_value, struct err *e);

int app_hypothesis_update(struct app *a, const char *hid, const struct hypothesis_change *c,
                          size_t *ret_changed, struct err *e);

struct evidence_input {
    const char *query, *from, *to, *bucket; /* a query evidence */
    const char *note;                       /* a note (or a comment on the others) */
    const char *file;                       /* a file to keep */
    bool supports, refutes;
};

int app_evidence_add(struct app *a, const char *hid, const struct evidence_input *in,
                     int64_t *ret_id, struct err *e);

/* The incident's hypotheses ranked by score (refuted last) and all their evidence. */
int app_hypothesis_list(struct app *a, const char *incident_key, struct hypothesis **ret_list,
                        size_t *ret_n, struct evidence **ret_evidence, size_t *ret_n_evidence,
                        struct err *e);

/* ---- actions ---- */

struct action_input {
    const char *text, *kind, *owner, *due, *mitigates, *success, *no_success;
    const char *recurrence, *severity, *effort;
    const struct strlist *depends_on;
};

struct action_change {
    const char *text, *kind, *owner, *due, *status, *note, *reason;
    const char *success, *no_success, *recurrence, *severity, *effort, *mitigates;
    const struct strlist *depends_on, *remove_depends_on;
};

int app_action_add(struct app *a, const char *incident_key, const struct action_input *in,
                   int64_t *ret_id, struct err *e);
int app_action_update(struct app *a, const char *aid, const struct action_change *c,
                      size_t *ret_changed, struct err *e);

/* Moves action id from done to verified inside the caller's transaction (for `verify --apply`,
 * which writes its figures in the same one), with the same rule and audit entry as a status
 * update: ERR_CONFLICT when it is not done. */
int app_action_mark_verified(struct app *a, int64_t id, struct err *e);

/* An action with what the rules say about it now. */
struct action_view {
    struct action action;
    char incident_key[32];
    double priority;
    bool blocked, overdue, stalled;
    int escalation_level;
    char *escalated_to; /* NULL when not escalated */
};

void action_views_free(struct action_view *list, size_t n);

struct action_filter {
    const char *incident_key; /* NULL: every incident */
    const char *owner;
    bool overdue_only, stalled_only, escalated_only;
};

/* Actions ordered by priority (highest first), then due date. */
int app_action_list(struct app *a, const struct action_filter *f, struct action_view **ret_list,
                    size_t *ret_n, struct err *e);

struct action_graph {
    struct action_view *actions;
    size_t n;
    int64_t *critical; /* ids, first to do first */
    size_t n_critical;
    int critical_effort;
};

int app_action_graph(struct app *a, const char *incident_key, struct action_graph *ret,
                     struct err *e);
void action_graph_release(struct action_graph *g);

/* ---- teams and people ---- */

int app_team_add(struct app *a, const char *name, const char *lead, const char *escalation,
                 struct err *e);
int app_person_add(struct app *a, const char *who, const char *team, struct err *e);

#endif
