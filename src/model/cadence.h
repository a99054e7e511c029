/* cadence.h: when a postmortem and its follow-up review are due.
 *
 * The postmortem is due a severity-dependent interval after resolution (defaults: SEV1 24 h,
 * SEV2 48 h, SEV3 and SEV4 72 h); the follow-up review is due a fixed interval (default 30
 * days) after the postmortem's due time. A postmortem is overdue while the incident is
 * resolved or in postmortem (written but not yet in review) and now is past its due time. */
#ifndef MODEL_CADENCE_H
#define MODEL_CADENCE_H

#include "model/incident.h"

struct cadence_policy {
    int64_t postmortem_after_ms[SEV_MAX + 1]; /* indexed by severity; [0] unused */
    int64_t review_after_ms;
};

void cadence_policy_default(struct cadence_policy *p);

/* TIME_UNSET when the incident is not resolved. */
int64_t cadence_postmortem_due(const struct cadence_policy *p, const struct incident *inc);
int64_t cadence_review_due(const struct cadence_policy *p, const struct incident *inc);
bool cadence_postmortem_overdue(const struct cadence_policy *p, const struct incident *inc,
                                int64_t now_ms);

#endif
