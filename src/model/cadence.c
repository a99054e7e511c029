/* cadence.c: postmortem due dates. */
#include "model/cadence.h"

#include "core/timefmt.h"

void cadence_policy_default(struct cadence_policy *p)
{
    p->postmortem_after_ms[SEV_NONE] = 72 * MS_PER_HOUR;
    p->postmortem_after_ms[SEV1] = 24 * MS_PER_HOUR;
    p->postmortem_after_ms[SEV2] = 48 * MS_PER_HOUR;
    p->postmortem_after_ms[SEV3] = 72 * MS_PER_HOUR;
    p->postmortem_after_ms[SEV4] = 72 * MS_PER_HOUR;
    p->review_after_ms = 30 * MS_PER_DAY;
}

int64_t cadence_postmortem_due(const struct cadence_policy *p, const struct incident *inc)
{
    int64_t resolved = inc->times[T_RESOLVED];
    if (resolved == TIME_UNSET || inc->status == ST_OPEN || inc->status == ST_MITIGATED)
        return TIME_UNSET;
    unsigned sev = (unsigned)inc->severity <= SEV_MAX ? (unsigned)inc->severity : SEV_NONE;
    return resolved + p->postmortem_after_ms[sev];
}

int64_t cadence_review_due(const struct cadence_policy *p, const struct incident *inc)
{
    int64_t due = cadence_postmortem_due(p, inc);
    return due == TIME_UNSET ? TIME_UNSET : due + p->review_after_ms;
}

bool cadence_postmortem_overdue(const struct cadence_policy *p, const struct incident *inc,
                                int64_t now_ms)
{
    if (inc->status != ST_RESOLVED && inc->status != ST_POSTMORTEM)
        return false;
    int64_t due = cadence_postmortem_due(p, inc);
    return due != TIME_UNSET && now_ms > due;
}
