/* checklist.c: the conditions of the postmortem checklist's stages. */
#include "model/checklist.h"

#include <string.h>
#include <strings.h>

static const char *const names[STAGE__COUNT] = {
    "data-access", "hypothesis-validation", "implementation", "monitoring",
    "post-implementation-review",
};

const char *stage_name(enum stage s)
{
    return (unsigned)s < STAGE__COUNT ? names[s] : "?";
}

int stage_parse(const char *s, enum stage *ret, struct err *e)
{
    for (int i = 0; i < STAGE__COUNT; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *ret = (enum stage)i;
            return ERR_OK;
        }
    return err_set(e, ERR_INVALID, "unknown checklist stage '%.40s' (expected data-access, "
                   "hypothesis-validation, implementation, monitoring or "
                   "post-implementation-review)", s);
}

bool checklist_condition(enum stage s, const struct checklist_facts *f, struct buf *missing)
{
    buf_reset(missing);
    switch (s) {
    case STAGE_DATA_ACCESS:
        if (!f->evidence_in_window && !f->query_evidence)
            buf_puts(missing, "no evidence for the incident's window: ingest events or metrics "
                              "covering it, or attach a query evidence to a hypothesis");
        break;
    case STAGE_HYPOTHESIS_VALIDATION:
        if (!f->confirmed_with_support)
            buf_puts(missing, "no confirmed hypothesis with supporting evidence");
        break;
    case STAGE_IMPLEMENTATION:
        if (f->actions == 0)
            buf_puts(missing, "no corrective actions");
        else if (f->actions_closed < f->actions)
            buf_printf(missing, "actions not done: %s", buf_str(&f->open_actions));
        break;
    case STAGE_MONITORING:
        if (!f->measured_or_monitoring)
            buf_puts(missing, "no done action measures success or adds monitoring");
        break;
    case STAGE_REVIEW:
        if (f->success_actions == 0)
            buf_puts(missing, "no action with success criteria to review");
        else if (f->success_verified < f->success_actions)
            buf_printf(missing, "success not verified for: %s", buf_str(&f->unverified));
        break;
    case STAGE__COUNT:
        break;
    }
    return missing->len == 0;
}
