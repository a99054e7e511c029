/* store.h: the one SQLite file that holds incidents, their timelines and the audit log.
 *
 * The store is an opaque handle. It is the only module that includes sqlite3.h. Every write
 * that belongs to one user command is wrapped by the caller in store_begin()/store_commit();
 * store_rollback() undoes it, so a failed command leaves the file as it was.
 *
 * Errors: functions return ERR_OK or a negative enum err_code with the reason in e. Opening
 * refuses, with ERR_STORE and a clear message, files that are not SQLite, SQLite files of other
 * programs, and stores written by a newer hindsight (schema version above STORE_SCHEMA_VERSION);
 * such files are never modified. */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include "core/common.h"
#include "core/err.h"
#include "core/strlist.h"
#include "model/action.h"
#include "model/evidence.h"
#include "model/hypothesis.h"
#include "model/incident.h"
#include "model/timeline.h"

struct store;

enum store_open_mode {
    STORE_OPEN_EXISTING, /* the file must already be a hindsight store */
    STORE_OPEN_CREATE,   /* create the file (or adopt an empty one) when needed */
};

/* The schema version this build writes; see store/migrations.c. */
int store_schema_version_supported(void);

/* Opens (and if needed migrates) the store at path. On success *ret_store owns the connection
 * (free with store_close). *ret_created, when not NULL, tells whether the file was initialised
 * by this call. */
int store_open(const char *path, enum store_open_mode mode, struct store **ret_store,
               bool *ret_created, struct err *e);
void store_close(struct store *s);
const char *store_path(const struct store *s);
/* The schema version recorded in the file. */
int store_schema_version(const struct store *s);

int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
/* Undoes the open transaction, if any. Cannot fail from the caller's point of view. */
void store_rollback(struct store *s);

/* ---- incidents ---- */

/* Inserts inc, assigning the next key: sets inc->id and inc->seq. */
int store_incident_insert(struct store *s, struct incident *inc, struct err *e);
/* Rewrites the stored record of inc->id with inc's fields (and its lists). */
int store_incident_save(struct store *s, const struct incident *inc, struct err *e);
/* Loads INC-<seq> into *ret (initialised by the caller, released and filled on success).
 * ERR_NOT_FOUND with "unknown incident 'INC-<seq>'" when there is none. */
int store_incident_get(struct store *s, int64_t seq, struct incident *ret, struct err *e);

/* Loads the incident with store row id (as referred to by hypotheses and actions). */
int store_incident_get_by_id(struct store *s, int64_t id, struct incident *ret, struct err *e);

struct incident_filter {
    int status;         /* an enum incident_status, or -1 for any */
    int severity;       /* an enum severity, or 0 for any */
    const char *tag;    /* exact "ns:value", or NULL */
    const char *service; /* exact service name, or NULL */
    int64_t since, until; /* started_at range, TIME_UNSET for open ends; until is exclusive */
    const char *search; /* case-insensitive substring of key, title or summary, or NULL */
};

#define INCIDENT_FILTER_INIT {-1, 0, NULL, NULL, INT64_MIN, INT64_MIN, NULL}

/* Lists the incidents matching f, newest start first. *ret_list is an array of *ret_n
 * incidents owned by the caller (free with incidents_free). */
int store_incident_list(struct store *s, const struct incident_filter *f,
                        struct incident **ret_list, size_t *ret_n, struct err *e);
void incidents_free(struct incident *list, size_t n);

/* ---- timeline ---- */

int store_timeline_add(struct store *s, const struct timeline_entry *t, int64_t *ret_id,
                       struct err *e);
/* The incident's entries ordered by time, then by insertion. */
int store_timeline_list(struct store *s, int64_t incident_id, struct timeline_entry **ret_list,
                        size_t *ret_n, struct err *e);

/* ---- audit log ---- */

/* Appends one entry; incident_id 0 for entries not tied to an incident. */
int store_audit_append(struct store *s, int64_t incident_id, const struct audit_entry *a,
                       struct err *e);
/* The incident's entries in the order they were written (incident_id 0: all entries). */
int store_audit_list(struct store *s, int64_t incident_id, struct audit_entry **ret_list,
                     size_t *ret_n, struct err *e);

/* ---- evidence: sources ---- */


/* Records a new source (rows 0) and returns its id. */
int store_source_add(struct store *s, const struct source_info *info, int64_t *ret_id,
                     struct err *e);
/* Sets a source's content hash, final counts and time range. */
int store_source_finish(struct store *s, int64_t id, const char *sha256, int64_t rows,
                        int64_t bad_rows, int64_t min_ts, int64_t max_ts, struct err *e);
/* The id of an earlier source of this kind with this content hash, or 0. */
int store_source_find_hash(struct store *s, const char *kind, const char *sha256,
                           int64_t *ret_id, struct err *e);
/* All sources, oldest first. */
int store_source_list(struct store *s, struct source_info **ret_list, size_t *ret_n,
                      struct err *e);
/* Deletes a source and every row that came from it. ERR_NOT_FOUND when there is none. */
int store_source_remove(struct store *s, int64_t id, struct err *e);

/* ---- evidence: rows ---- */

struct encoded_chunk;
int store_event_chunk_add(struct store *s, int64_t source_id, const struct encoded_chunk *c,
                          struct err *e);

int store_metric_point_add(struct store *s, int64_t source_id, const char *name,
                           const char *labels, int64_t ts, double value, struct err *e);
int store_log_add(struct store *s, int64_t source_id, int64_t ts, const char *level,
                  const char *service, const char *message, const char *trace_id,
                  struct err *e);
struct change_row {
    const char *id, *kind, *service, *version, *description, *segment;
    int64_t ts;
};
int store_change_add(struct store *s, int64_t source_id, const struct change_row *c,
                     struct err *e);

/* ---- evidence: reading events ---- */

struct chunk_ref {
    int64_t id, min_ts, max_ts, rows;
};

/* The chunks whose time range overlaps [from, to), in time order. */
int store_event_chunks(struct store *s, int64_t from, int64_t to, struct chunk_ref **ret_list,
                       size_t *ret_n, struct err *e);
struct col_data;
/* Copies one column's blob of a chunk, undecoded (*ret_blob is the caller's to free), so that
 * another thread can decode it. *ret_found is false when the chunk has no such column. */
int store_event_column_raw(struct store *s, int64_t chunk_id, const char *name, void **ret_blob,
                           size_t *ret_len, bool *ret_found, struct err *e);
/* Loads and decodes one column of a chunk. *ret_found is false (and ret untouched) when the
 * chunk has no such column. */
int store_event_column(struct store *s, int64_t chunk_id, const char *name,
                       struct col_data *ret, bool *ret_found, struct err *e);

/* Every column name of the event store, sorted. */
int store_event_fields(struct store *s, struct field_info **ret_list, size_t *ret_n,
                       struct err *e);

/* ---- evidence: reading metrics ---- */

struct metric_series_ref {
    int64_t id;
    char *name, *labels;
};
/* The series called name (all label sets), sorted by labels. */
int store_metric_series(struct store *s, const char *name, struct metric_series_ref **ret_list,
                        size_t *ret_n, struct err *e);
void metric_series_free(struct metric_series_ref *list, size_t n);
/* Calls fn for every point of series id with from <= ts < to, in time order. */
int store_metric_points(struct store *s, int64_t series_id, int64_t from, int64_t to,
                        void (*fn)(void *ctx, int64_t ts, double value), void *ctx,
                        struct err *e);

/* ---- saved metrics ---- */

/* Inserts or replaces a definition. */
int store_saved_metric_put(struct store *s, const struct saved_metric *m, struct err *e);
/* *ret_found false when there is no such metric. */
int store_saved_metric_get(struct store *s, const char *name, struct saved_metric *ret,
                           bool *ret_found, struct err *e);
int store_saved_metric_list(struct store *s, struct saved_metric **ret_list, size_t *ret_n,
                            struct err *e);

/* ---- workflow: hypotheses and evidence ---- */

/* Inserts h (id and times set by the caller except id, which is assigned). */
int store_hypothesis_insert(struct store *s, struct hypothesis *h, struct err *e);
int store_hypothesis_save(struct store *s, const struct hypothesis *h, struct err *e);
/* ERR_NOT_FOUND "unknown hypothesis 'H-7'" when there is none. */
int store_hypothesis_get(struct store *s, int64_t id, struct hypothesis *ret, struct err *e);
int store_hypothesis_list(struct store *s, int64_t incident_id, struct hypothesis **ret_list,
                          size_t *ret_n, struct err *e);
/* file_data (may be NULL) is stored with an EV_FILE piece. Sets ev->id. */
int store_evidence_insert(struct store *s, struct evidence *ev, const void *file_data,
                          size_t file_len, struct err *e);
/* The evidence of every hypothesis of an incident (hypothesis_id says whose). */
int store_evidence_list(struct store *s, int64_t incident_id, struct evidence **ret_list,
                        size_t *ret_n, struct err *e);

/* ---- workflow: actions ---- */

/* Inserts a (id assigned) with its dependencies. */
int store_action_insert(struct store *s, struct action *a, struct err *e);
/* Rewrites a's fields and dependencies. */
int store_action_save(struct store *s, const struct action *a, struct err *e);
int store_action_get(struct store *s, int64_t id, struct action *ret, struct err *e);
/* Actions of one incident (incident_id > 0) or all; owner filters when not NULL. */
int store_action_list(struct store *s, int64_t incident_id, const char *owner,
                      struct action **ret_list, size_t *ret_n, struct err *e);
int store_action_note_add(struct store *s, int64_t action_id, int64_t at, const char *actor,
                          const char *text, struct err *e);

struct action_note {
    int64_t at;
    char *actor, *text;
};
int store_action_notes(struct store *s, int64_t action_id, struct action_note **ret_list,
                       size_t *ret_n, struct err *e);
void action_notes_free(struct action_note *list, size_t n);

/* ---- workflow: teams and people ---- */

struct team {
    char *name, *lead, *escalation; /* escalation may be NULL */
};
void teams_free(struct team *list, size_t n);
/* Adds or replaces a team. */
int store_team_put(struct store *s, const struct team *t, struct err *e);
int store_team_list(struct store *s, struct team **ret_list, size_t *ret_n, struct err *e);
/* Adds or moves a person; ERR_NOT_FOUND when the team does not exist. */
int store_person_put(struct store *s, const char *name, const char *team, struct err *e);
/* The team of a person, or NULL (a heap string). */
int store_person_team(struct store *s, const char *name, char **ret_team, struct err *e);

/* ---- the postmortem document, checklist, decisions, feedback, experiments ---- */

/* One row of the incident's postmortem records: a section (key = section id, text), a
 * checklist stage (key = stage), a decision (text), feedback (ratings, text = comment), an
 * experiment (key = its text, text = its JSON). */
struct pm_row {
    int64_t id;
    int64_t at;
    char *actor;
    char *key;
    char *text;
    int ratings[3];
};
void pm_rows_free(struct pm_row *list, size_t n);

int store_template_put(struct store *s, const char *name, const char *body, int64_t at,
                       const char *actor, struct err *e);
/* *ret_body NULL when there is no such template. */
int store_template_get(struct store *s, const char *name, char **ret_body, struct err *e);
/* key = name, text = body. */
int store_template_list(struct store *s, struct pm_row **ret_list, size_t *ret_n,
                        struct err *e);
/* The template an incident uses (NULL: the default). */
int store_incident_template(struct store *s, int64_t incident_id, char **ret_name,
                            struct err *e);
int store_incident_set_template(struct store *s, int64_t incident_id, const char *name,
                                struct err *e);

int store_section_put(struct store *s, int64_t incident_id, const char *section,
                      const char *text, int64_t at, const char *actor, struct err *e);
int store_sections(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                   size_t *ret_n, struct err *e);

int store_checklist_mark(struct store *s, int64_t incident_id, const char *stage, int64_t at,
                         const char *actor, struct err *e);
int store_checklist(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                    size_t *ret_n, struct err *e);

int store_decision_add(struct store *s, int64_t incident_id, int64_t at, const char *actor,
                       const char *text, int64_t *ret_id, struct err *e);
int store_decisions(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                    size_t *ret_n, struct err *e);

int store_feedback_add(struct store *s, int64_t incident_id, int64_t at, const char *actor,
                       const int ratings[3], const char *comment, int64_t *ret_id,
                       struct err *e);
/* incident_id 0: all feedback. */
int store_feedback(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                   size_t *ret_n, struct err *e);

struct experiment_row {
    const char *text, *metric, *control, *treatment, *result;
    int64_t from, to;
};
int store_experiment_add(struct store *s, int64_t incident_id, const struct experiment_row *x,
                         int64_t at, const char *actor, int64_t *ret_id, struct err *e);
/* key = text, text = result JSON. */
int store_experiments(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                      size_t *ret_n, struct err *e);

/* True when an ingested events or metrics source overlaps [from, to]. */
int store_evidence_overlaps(struct store *s, int64_t from, int64_t to, bool *ret, struct err *e);

/* ---- the automatic diagnosis: changes in a window, metric names, findings ---- */

struct change_info {
    char *id, *kind, *service, *version, *description, *segment; /* may be NULL but id, kind */
    int64_t ts;
};
void change_infos_free(struct change_info *list, size_t n);
/* The changes with from <= ts < to, in time order. */
int store_changes_between(struct store *s, int64_t from, int64_t to,
                          struct change_info **ret_list, size_t *ret_n, struct err *e);
/* The distinct names of the ingested metric series, sorted (a strlist the caller releases). */
int store_metric_names(struct store *s, struct strlist *ret, struct err *e);

/* A finding of the diagnosis; id is the N of F-N (the row id). */
struct finding {
    int64_t id, incident_id;
    char *kind, *text, *evidence; /* evidence: JSON text */
    double score;
    int64_t created_at;
};
void findings_free(struct finding *list, size_t n);
/* Deletes the incident's findings (*ret_deleted: how many). */
int store_findings_clear(struct store *s, int64_t incident_id, size_t *ret_deleted,
                         struct err *e);
/* Inserts f (sets f->id). */
int store_finding_insert(struct store *s, struct finding *f, struct err *e);
/* The incident's findings, best score first. */
int store_findings_list(struct store *s, int64_t incident_id, struct finding **ret_list,
                        size_t *ret_n, struct err *e);

/* ---- full-text search (store_search.c, docs/search.md) ---- */

/* How a snippet marks the matched words. */
#define SEARCH_MARK_OPEN "["
#define SEARCH_MARK_CLOSE "]"

/* One match of the index, owned by the list it is in (free with search_hits_free). */
struct search_hit {
    int64_t seq;        /* the incident's INC-<seq> */
    char *kind;         /* incident, section, timeline, hypothesis, evidence, action,
                         * action_note, decision */
    char *ref;          /* INC-3, H-2, E-4, A-7 (also for its notes), "timeline 5",
                         * "decision 2", or the section's id */
    char *title;        /* the incident's title */
    char *snippet;      /* the best part of the text, matched words between the marks */
    int64_t started_at; /* the incident's start */
    double score;       /* -bm25 with a title weighing 10 bodies: higher is better */
};
void search_hits_free(struct search_hit *list, size_t n);
/* Turns what a person typed into an FTS5 MATCH expression (*ret_match, a heap string): every
 * word and "phrase" quoted, so no character is FTS5 syntax; word* a prefix; -word (or NOT
 * word) excluded; OR between terms; AND implied. Words without any letter or digit are
 * dropped. ERR_INVALID, naming the query, when nothing is left to look for. */
int store_search_match(struct store *s, const char *query, char **ret_match, struct err *e);
/* The best limit matches of query (as typed, see store_search_match) among the incidents that
 * have every tag of tags (may be NULL), best first. *ret_list may be NULL when *ret_n is 0. */
int store_search(struct store *s, const char *query, const struct strlist *tags, size_t limit,
                 struct search_hit **ret_list, size_t *ret_n, struct err *e);

/* ---- settings ---- */

/* *ret_value is a heap string, or NULL when the key is not set (not an error). */
int store_setting_get(struct store *s, const char *key, char **ret_value, struct err *e);
/* Sets key to value; value NULL removes the key. */
int store_setting_set(struct store *s, const char *key, const char *value, struct err *e);

/* ---- moving a whole incident between stores (store_transfer.c; app/transfer.h) ---- */

/* An experiment row with every column, as an export carries it. */
struct experiment_record {
    char *text, *metric, *control, *treatment, *result, *actor;
    int64_t from, to, created_at;
};
void experiment_records_free(struct experiment_record *list, size_t n);
/* The incident's experiments in the order they were recorded. */
int store_experiment_records(struct store *s, int64_t incident_id,
                             struct experiment_record **ret_list, size_t *ret_n, struct err *e);
/* The content kept with a file evidence: *ret_data (the caller's to free) is NULL with
 * *ret_len 0 when none was kept. ERR_NOT_FOUND when there is no such evidence. */
int store_evidence_file_data(struct store *s, int64_t evidence_id, void **ret_data,
                             size_t *ret_len, struct err *e);
/* Gives the incident row the key INC-<seq>; ERR_CONFLICT when another incident has it. */
int store_incident_set_seq(struct store *s, int64_t incident_id, int64_t seq, struct err *e);

/* ---- evidence: reading logs back (store_logs_read.c) ---- */

struct log_row {
    int64_t ts;
    char *level, *service, *message; /* owned; level and service may be NULL */
};
void log_rows_free(struct log_row *list, size_t n);
/* The log lines with from <= ts < to, in time order (then as ingested), read through the
 * logs_ts index. At most max lines (0: no limit); *ret_more tells whether lines were left
 * out. *ret_list (free with log_rows_free) may be NULL when *ret_n is 0. */
int store_logs_between(struct store *s, int64_t from, int64_t to, size_t max,
                       struct log_row **ret_list, size_t *ret_n, bool *ret_more, struct err *e);
/* Whether the store holds any log line at all. */
int store_logs_any(struct store *s, bool *ret, struct err *e);

#endif
