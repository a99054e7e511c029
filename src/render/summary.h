/* summary.h: the stakeholder summary (hindsight summary): four short plain paragraphs (what
 * happened, who was affected and how much, what was done, what will prevent it) as Markdown.
 *
 * exec: for the people who run the business: severity, every impact figure, the root cause as
 * the team confirmed it, the corrective actions with owners and due dates.
 * customer: for the people who were affected: no internal identifiers at all (no incident key,
 * no change, action or hypothesis ids, no names of people, services or events); the cause is
 * told by its failure mode ("a faulty software update"), the affected segments by their values,
 * the prevention work by its count. docs/report.md has the rules. */
#ifndef RENDER_SUMMARY_H
#define RENDER_SUMMARY_H

#include "core/sink.h"
#include "model/report.h"

enum audience { AUD_EXEC, AUD_CUSTOMER };

int audience_parse(const char *s, enum audience *ret, struct err *e);
void render_summary_md(struct sink *out, const struct report *r, enum audience aud);

/* The sentence a customer reads for a failure-mode tag value ("bad-deploy"); NULL for none. */
const char *summary_failure_mode_phrase(const char *mode);

#endif
