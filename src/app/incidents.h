/* incidents.h: the incident use cases: create, change, read, list; timeline; audit log.
 *
 * Each writing call is one transaction that also appends the audit entries describing it; on
 * any error nothing is written. Values arrive as text (from options or, later, JSON) and are
 * parsed and validated here, so that every front end refuses the same input the same way. */
#ifndef APP_INCIDENTS_H
#define APP_INCIDENTS_H

#include "app/app.h"
#include "core/strlist.h"
#include "model/incident.h"
#include "model/timeline.h"

/* A requested change. NULL strings and empty lists mean "leave as it is". */
struct incident_change {
    const char *title, *summary, *owner, *severity, *status;
    const char *times[T__COUNT]; /* RFC 3339 or "now" */
    const char *affected_users, *revenue_lost, *support_tickets;
    struct strlist add_services, remove_services;
    struct strlist add_tags, remove_tags;
    struct strlist add_segments, remove_segments;
    struct strlist add_signals;    /* "NAME@TIME" */
    struct strlist remove_signals; /* names */
    struct strlist clear;          /* field names to unset: summary, owner, detected, ... */
};

void incident_change_init(struct incident_change *c);
void incident_change_release(struct incident_change *c);

/* Creates an incident from c (title, severity and started are required). *ret_seq is its
 * number. */
int app_incident_new(struct app *a, const struct incident_change *c, int64_t *ret_seq,
                     struct err *e);

/* Applies c to the incident named key. *ret_changed counts the fields that changed (0: the
 * record already looked like that, and nothing was written). */
int app_incident_update(struct app *a, const char *key, const struct incident_change *c,
                        size_t *ret_changed, struct err *e);

/* Loads the incident named key ("INC-3" or "3") into *ret (initialised by the caller). */
int app_incident_get(struct app *a, const char *key, struct incident *ret, struct err *e);

/* Lists incidents matching f; overdue_only keeps those whose postmortem is overdue now. */
int app_incident_list(struct app *a, const struct incident_filter *f, bool overdue_only,
                      struct incident **ret_list, size_t *ret_n, struct err *e);

/* Adds a timeline entry to the incident named key. */
int app_timeline_add(struct app *a, const char *key, const char *at, const char *kind,
                     const char *text, int64_t *ret_id, struct err *e);

#endif
