/* incident_text.h: incidents, timelines and the audit log as text for a terminal. */
#ifndef RENDER_INCIDENT_TEXT_H
#define RENDER_INCIDENT_TEXT_H

#include "core/buf.h"
#include "core/sink.h"
#include "model/cadence.h"
#include "model/incident.h"
#include "model/timeline.h"

/* One line per incident under a header; "no incidents" when n is 0. */
void render_incident_list(struct sink *out, const struct incident *list, size_t n,
                          const struct cadence_policy *p, int64_t now_ms);
/* The whole record, then its timeline. */
void render_incident_show(struct sink *out, const struct incident *inc,
                          const struct timeline_entry *timeline, size_t n_timeline,
                          const struct cadence_policy *p, int64_t now_ms);
/* Appends "N users affected; X revenue lost; N support tickets", only the parts measured;
 * appends nothing when none is. */
void render_impact(struct buf *b, const struct incident *inc);
void render_timeline(struct sink *out, const struct timeline_entry *list, size_t n);
void render_audit(struct sink *out, const struct audit_entry *list, size_t n);

/* "due in 5h", "overdue by 2d 3h", "-": the postmortem's state relative to now. */
void render_postmortem_state(char *out, size_t size, const struct incident *inc,
                             const struct cadence_policy *p, int64_t now_ms);

#endif
