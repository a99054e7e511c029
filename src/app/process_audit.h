/* process_audit.h: the audit of the postmortem process itself (hindsight audit): which template
 * sections are left thin, which actions have no success criterion, whose actions get no update,
 * which postmortems are past due, which ingested evidence no incident uses, and what the
 * participants said. Reads only; docs/trends.md states each rule. */
#ifndef APP_PROCESS_AUDIT_H
#define APP_PROCESS_AUDIT_H

#include "app/app.h"
#include "core/timefmt.h"
#include "render/process_audit.h"

/* A written section with fewer words than this is thin (a missing one is too). Twenty words are
 * about two plain sentences, the least that answers a section's prompt. */
#define AUDIT_THIN_WORDS 20
/* An incident's window for "unused source": from this long before it started to this long after
 * it was resolved (now while it is not), as the checklist's data-access stage has it. */
#define AUDIT_SOURCE_MARGIN_MS (24 * MS_PER_HOUR)

int app_process_audit(struct app *a, struct process_audit *ret, struct err *e);

/* The words of s: runs of characters that are not spaces, tabs or line breaks. */
size_t audit_word_count(const char *s);

#endif
