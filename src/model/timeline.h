/* timeline.h: timeline entries and audit-log entries of an incident.
 *
 * The timeline is what happened, curated by people (signal fired, detection, a change, a
 * response step, a communication, a note). The audit log is what was done to the record: every
 * write appends who changed which field of which record from what to what. */
#ifndef MODEL_TIMELINE_H
#define MODEL_TIMELINE_H

#include "core/common.h"
#include "core/err.h"

enum timeline_kind {
    TL_SIGNAL,
    TL_DETECTION,
    TL_CHANGE,
    TL_RESPONSE,
    TL_COMMUNICATION,
    TL_NOTE,
    TL__COUNT
};

const char *timeline_kind_name(enum timeline_kind k);
int timeline_kind_parse(const char *s, enum timeline_kind *ret, struct err *e);

struct timeline_entry {
    int64_t id;
    int64_t incident_id;
    int64_t at;
    enum timeline_kind kind;
    char *text;
    char *author;
    int64_t created_at;
};

void timeline_entry_release(struct timeline_entry *t);
void timeline_entries_free(struct timeline_entry *list, size_t n);

struct audit_entry {
    int64_t id;
    int64_t at;
    char *actor;
    char *record; /* "INC-3", "INC-3 timeline 7", "config" */
    char *action; /* "create", "update", "reopen", "add", "set" */
    char *field;  /* may be NULL for whole-record actions */
    char *old_value;
    char *new_value;
};

void audit_entry_release(struct audit_entry *a);
void audit_entries_free(struct audit_entry *list, size_t n);

#endif
