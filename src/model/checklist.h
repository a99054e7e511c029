/* checklist.h: the postmortem checklist, from discovery to verification.
 *
 * Five stages. A person marks a stage done (`hindsight checklist KEY done STAGE`), which is
 * allowed only while its condition holds:
 *
 *   data-access                evidence was ingested for the incident's window, or a query
 *                              evidence is attached to a hypothesis
 *   hypothesis-validation      a confirmed hypothesis has supporting evidence
 *   implementation             the incident has actions and every one is closed
 *                              (done, verified or wontfix)
 *   monitoring                 a done or verified action measures success (has a success
 *                              criterion) or is a monitoring action
 *   post-implementation-review every action with a success criterion is verified
 *
 * The incident can only be completed when every stage is done. */
#ifndef MODEL_CHECKLIST_H
#define MODEL_CHECKLIST_H

#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"

enum stage {
    STAGE_DATA_ACCESS,
    STAGE_HYPOTHESIS_VALIDATION,
    STAGE_IMPLEMENTATION,
    STAGE_MONITORING,
    STAGE_REVIEW,
    STAGE__COUNT
};

const char *stage_name(enum stage s);
int stage_parse(const char *s, enum stage *ret, struct err *e);

/* What the conditions look at, gathered by the caller. */
struct checklist_facts {
    bool evidence_in_window;       /* an ingested source overlaps the incident's window */
    bool query_evidence;           /* a hypothesis has a query evidence */
    bool confirmed_with_support;   /* a confirmed hypothesis with supporting evidence */
    size_t actions, actions_closed;
    struct buf open_actions;       /* "A-2 (doing), A-3 (todo)" */
    bool measured_or_monitoring;   /* a done/verified action with success criteria or of kind
                                      monitoring */
    size_t success_actions, success_verified;
    struct buf unverified;         /* "A-1 (done)" */
};

/* Writes into missing what stops stage s (empty when its condition holds); returns whether it
 * holds. */
bool checklist_condition(enum stage s, const struct checklist_facts *f, struct buf *missing);

#endif
