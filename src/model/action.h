/* action.h: corrective and preventive actions and their rules (docs/workflow.md).
 *
 * Priority (the rubric of the method: how likely the failure recurs, how severe it was, how
 * much the remedy costs):
 *
 *   priority = recurrence (1-5) * severity (1-5) / effort (1-5)        from 0.2 to 25
 *   P1 >= 10, P2 >= 5, P3 >= 2, else P4
 *
 * An action is overdue when it is past its due time and not closed (done, verified, wontfix);
 * stalled when it is open and nothing was recorded on it for the stall interval; escalated
 * one level when overdue by more than the first threshold (to the owner's team lead) and two
 * levels past the second (to the team's escalation contact, else the incident's owner). */
#ifndef MODEL_ACTION_H
#define MODEL_ACTION_H

#include "core/common.h"
#include "core/err.h"

enum action_kind { AK_PROCESS, AK_ARCHITECTURE, AK_MONITORING, AK_POLICY, AK__COUNT };
enum action_status {
    AS_TODO,
    AS_DOING,
    AS_BLOCKED,
    AS_DONE,
    AS_VERIFIED,
    AS_WONTFIX,
    AS__COUNT
};

const char *action_kind_name(enum action_kind k);
int action_kind_parse(const char *s, enum action_kind *ret, struct err *e);
const char *action_status_name(enum action_status s);
int action_status_parse(const char *s, enum action_status *ret, struct err *e);
/* done, verified and wontfix close an action. */
bool action_status_closed(enum action_status s);

/* A success criterion "EXPR <op> VALUE over WINDOW", like
 * "(count() where event = 'purchase_completed') / (count() where event = 'payment_submitted')
 *  >= 0.8 over 7d". */
enum cmp_kind { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

struct success {
    char *expr;
    enum cmp_kind op;
    double value;
    int64_t window_ms;
};

/* Splits text into its parts (the expression itself is checked by the caller). */
int success_parse(const char *text, struct success *ret, struct err *e);
void success_release(struct success *s);
/* Writes the criterion back as text (a heap string). */
char *success_text(const struct success *s);
const char *cmp_kind_name(enum cmp_kind k);
bool cmp_holds(enum cmp_kind k, double x, double value);

struct action {
    int64_t id;
    int64_t incident_id;
    char *text;
    enum action_kind kind;
    char *owner;
    int64_t due_at;
    enum action_status status;
    int64_t mitigates; /* hypothesis id, 0 when none */
    struct success success; /* expr NULL when none */
    char *no_success_reason;
    char *wontfix_reason;
    int recurrence, severity, effort; /* 1-5 */
    int64_t *depends_on;
    size_t n_depends;
    int64_t done_at;     /* TIME_UNSET until done */
    int64_t last_update; /* the last time anything was recorded on it */
    int64_t created_at, updated_at;
};

void action_release(struct action *a);
void actions_free(struct action *list, size_t n);

double action_priority(const struct action *a);
/* "P1".."P4" */
const char *action_priority_label(double priority);

struct action_policy {
    int64_t stalled_after_ms;   /* default 14 days */
    int64_t escalate_after_ms;  /* default 7 days overdue */
    int64_t escalate_again_ms;  /* default 21 days overdue */
};

void action_policy_default(struct action_policy *p);
bool action_overdue(const struct action *a, int64_t now);
bool action_stalled(const struct action_policy *p, const struct action *a, int64_t now);
/* 0 (none), 1 (the team lead) or 2 (the escalation contact). */
int action_escalation_level(const struct action_policy *p, const struct action *a, int64_t now);

/* "A-7" */
void action_key(int64_t id, char out[32]);
int action_key_parse(const char *s, int64_t *ret_id, struct err *e);

/* The severity rating (1-5) an incident severity suggests: SEV1 5, SEV2 4, SEV3 3, SEV4 2. */
int action_severity_from_incident(int incident_severity);

#endif
