/* incident.h: the incident record and its pure rules (validation, derived figures).
 *
 * An incident is identified by its key "INC-<seq>". Times are UTC milliseconds, TIME_UNSET when
 * not set. Counts are -1 and money NAN when unknown, so that "0 users affected" and "not
 * measured" stay different. The struct owns all its strings (incident_release frees them). */
#ifndef MODEL_INCIDENT_H
#define MODEL_INCIDENT_H

#include "core/common.h"
#include "core/err.h"
#include "core/strlist.h"
#include "model/lifecycle.h"

enum severity { SEV_NONE = 0, SEV1 = 1, SEV2, SEV3, SEV4 };
#define SEV_MAX SEV4

/* The milestones of an incident, in the order they must occur. */
enum incident_time {
    T_STARTED,
    T_DETECTED,
    T_ACKNOWLEDGED,
    T_MITIGATED,
    T_RESOLVED,
    T__COUNT
};

struct signal {
    char *name;
    int64_t at;
};

struct incident {
    int64_t id;  /* the store's row id, 0 before insertion */
    int64_t seq; /* the number in INC-<seq>, 0 before insertion */
    char *title;
    char *summary; /* may be NULL */
    char *owner;   /* postmortem owner, may be NULL */
    enum severity severity;
    enum incident_status status;
    int64_t times[T__COUNT];
    int64_t reopen_count;
    int64_t affected_users;  /* -1 unknown */
    double revenue_lost;     /* NAN unknown */
    int64_t support_tickets; /* -1 unknown */
    struct strlist services;
    struct strlist segments; /* "key=value" */
    struct strlist tags;     /* "namespace:value" */
    struct signal *signals;
    size_t n_signals, cap_signals;
    int64_t created_at, updated_at;
};

#define INCIDENT_KEY_MAX 32
#define TITLE_MAX 200
#define TEXT_MAX 20000
#define NAME_MAX_LEN 120

void incident_init(struct incident *inc);
void incident_release(struct incident *inc);
/* Deep copy of src into dst (dst is released first). */
void incident_copy(struct incident *dst, const struct incident *src);

/* "INC-12" for seq 12. */
void incident_key(int64_t seq, char out[INCIDENT_KEY_MAX]);
/* Accepts "INC-12" (any case of "inc") or "12"; returns ERR_INVALID otherwise. */
int incident_key_parse(const char *key, int64_t *ret_seq, struct err *e);

const char *severity_name(enum severity s); /* "SEV1".."SEV4" */
/* Accepts "SEV1".."SEV4" in any case, or "1".."4". */
int severity_parse(const char *s, enum severity *ret, struct err *e);

/* The field name of a milestone as used in options and JSON: "started", "detected", ... */
const char *incident_time_name(enum incident_time t);

/* Checks that the set times are ordered started <= detected <= acknowledged <= mitigated <=
 * resolved, and that started is set. The error names the two fields and their values. */
int incident_check_times(const int64_t times[T__COUNT], struct err *e);

/* Checks every field: title present and short, no control characters in names, valid
 * severity, tags and segments well formed, numbers not negative, times ordered. */
int incident_validate(const struct incident *inc, struct err *e);

/* A one-line text: not empty, at most max bytes, no control characters (tabs and newlines
 * are allowed when multiline). what names the field in the error. */
int text_check(const char *what, const char *s, size_t max, bool multiline, struct err *e);

/* A tag is "namespace:value": namespace [a-z0-9][a-z0-9._-]*, value non-empty printable. */
int tag_check(const char *tag, struct err *e);
/* A segment is "key=value" with the same rules ("platform=android"). */
int segment_check(const char *segment, struct err *e);

/* Parses "NAME@TIME" (the last '@' splits) into a signal; the caller owns ret->name. */
int signal_parse(const char *s, struct signal *ret, struct err *e);
void incident_add_signal(struct incident *inc, const char *name, int64_t at);
/* Removes the signals named name; returns true when one was removed. */
bool incident_remove_signal(struct incident *inc, const char *name);

/* Durations between milestones, TIME_UNSET when either end is missing:
 * detect = detected - started, acknowledge = acknowledged - detected,
 * mitigate = mitigated - started, resolve = resolved - started. */
int64_t incident_time_to_detect(const struct incident *inc);
int64_t incident_time_to_acknowledge(const struct incident *inc);
int64_t incident_time_to_mitigate(const struct incident *inc);
int64_t incident_time_to_resolve(const struct incident *inc);

/* Where the incident's impact ends, for the analyses that compare "during" with "before": the
 * mitigation, else the resolution, else now; at least a minute after the start. */
int64_t incident_impact_end(const struct incident *inc, int64_t now);

/* The fields a person can change, in display order; used to diff two versions of a record
 * for the audit log and to name fields in messages. */
enum incident_field {
    F_TITLE,
    F_SUMMARY,
    F_SEVERITY,
    F_STATUS,
    F_STARTED,
    F_DETECTED,
    F_ACKNOWLEDGED,
    F_MITIGATED,
    F_RESOLVED,
    F_OWNER,
    F_SERVICES,
    F_SEGMENTS,
    F_TAGS,
    F_SIGNALS,
    F_AFFECTED_USERS,
    F_REVENUE_LOST,
    F_SUPPORT_TICKETS,
    F_REOPEN_COUNT,
    F__COUNT
};

const char *incident_field_name(enum incident_field f);
/* The field's value as text, as the audit log shows it: times RFC 3339, lists joined by
 * ", ", unknown values as "" . Returns a heap string. */
char *incident_field_text(const struct incident *inc, enum incident_field f);

#endif
