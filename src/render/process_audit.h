/* process_audit.h: findings about the postmortem process itself (hindsight audit), gathered by
 * app/process_audit.c, rendered as text, Markdown and JSON. Each finding names the records
 * behind it (incident, action and source keys), so that it can be checked and acted on.
 * docs/trends.md states the rule behind each kind.
 *
 * Plain data: struct process_audit owns every pointer in it (process_audit_release). */
#ifndef RENDER_PROCESS_AUDIT_H
#define RENDER_PROCESS_AUDIT_H

#include "core/sink.h"
#include "core/strlist.h"

#include <jansson.h>

enum audit_kind {
    AUDIT_THIN_SECTION,       /* a template section often missing or short */
    AUDIT_NO_SUCCESS,         /* an action without a success criterion */
    AUDIT_NO_UPDATE,          /* an owner's open actions without an update for too long */
    AUDIT_POSTMORTEM_OVERDUE, /* a postmortem (or its follow-up review) past due */
    AUDIT_UNUSED_SOURCE,      /* an ingested source no incident or evidence covers */
    AUDIT_FEEDBACK,           /* a participant's comment */
    AUDIT__COUNT
};

/* "thin_section", "no_success_criterion", "no_update", "postmortem_overdue", "unused_source",
 * "feedback" */
const char *audit_kind_name(enum audit_kind k);

struct audit_finding {
    enum audit_kind kind;
    char *text;             /* one line */
    size_t count;           /* how many times it was seen (incidents, actions, ...) */
    struct strlist records; /* "INC-3", "A-7", "source 2" */
};

struct process_audit {
    struct audit_finding *findings; /* by kind in enum order, within a kind most first */
    size_t n, cap;
    size_t postmortems;  /* incidents whose postmortem was examined for thin sections */
    size_t thin_words;   /* a section with fewer words is thin */
    int64_t stalled_ms;  /* the stall interval of "no update" */
};

/* Appends a finding (text copied; records to be pushed by the caller). Returns it. */
struct audit_finding *process_audit_add(struct process_audit *p, enum audit_kind kind,
                                        const char *text, size_t count);
void process_audit_release(struct process_audit *p);

void render_process_audit_text(struct sink *out, const struct process_audit *p);
void render_process_audit_md(struct sink *out, const struct process_audit *p);
/* {"postmortems", "thin_words", "findings": [{"kind", "text", "count", "records"}]} */
json_t *process_audit_to_json(const struct process_audit *p);

#endif
