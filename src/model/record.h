/* record.h: one incident with everything that belongs to it, as plain data: what `hindsight
 * export` writes and `hindsight import` reads (docs/export.md).
 *
 * app/ gathers a record from the store (app_export_json) and inserts one (app_import_json);
 * render/export_json.c turns it into the versioned JSON document and format/record_json.c
 * reads that document back. The record carries no store row ids: references inside it are
 * local numbers, so that it means the same thing in any store.
 *
 *   - hypotheses[i] is hypothesis number i + 1 of the record ("H1" in the document); an
 *     action's mitigates is such a number (0: none), and its depends_on are action numbers
 *     (actions[i] is number i + 1, "A1");
 *   - the ids of the embedded model structs (incident.id, hypothesis.id, action.id,
 *     evidence.id and hypothesis_id, timeline and audit ids) are unused (0);
 *   - incident.seq is the key the record had where it was exported.
 *
 * Ownership: a record owns every pointer in it; record_release frees them all and leaves an
 * empty record. */
#ifndef MODEL_RECORD_H
#define MODEL_RECORD_H

#include "core/common.h"
#include "model/action.h"
#include "model/hypothesis.h"
#include "model/incident.h"
#include "model/timeline.h"

/* The document's format name and the one version this build reads and writes. */
#define RECORD_FORMAT "hindsight-incident"
#define RECORD_VERSION 1

struct record_evidence {
    struct evidence ev;  /* hypothesis_id unused: the evidence belongs to its hypothesis */
    unsigned char *data; /* a file evidence's content, NULL when none was stored */
    size_t len;
};

struct record_hypothesis {
    struct hypothesis h;
    struct record_evidence *evidence;
    size_t n_evidence;
};

struct record_note {
    int64_t at;
    char *actor, *text;
};

struct record_action {
    struct action a; /* mitigates and depends_on hold local numbers, see above */
    struct record_note *notes;
    size_t n_notes;
};

struct record_finding {
    char *kind, *text;
    char *evidence; /* JSON text, as stored */
    double score;
    int64_t created_at;
};

struct record_section {
    char *section, *text, *actor;
    int64_t updated_at;
};

struct record_check {
    char *stage, *actor; /* stage: a name of model/checklist.h */
    int64_t done_at;
};

struct record_decision {
    int64_t at;
    char *actor, *text;
};

struct record_feedback {
    int64_t at;
    char *actor;
    int ratings[3]; /* clarity, usefulness, time efficiency: 1-5 */
    char *comment;  /* may be NULL */
};

struct record_experiment {
    char *text, *metric, *control, *treatment;
    char *result; /* JSON text, as stored */
    int64_t from, to, created_at;
    char *actor;
};

struct record_person {
    char *name, *team;
};

struct record_team {
    char *name, *lead, *escalation; /* escalation may be NULL */
};

struct record_template {
    char *name, *body, *actor;
    int64_t created_at;
};

struct record {
    /* Where the record comes from: when and by whom it was exported. */
    int64_t exported_at;
    char *exported_by;
    struct incident inc;
    char *template_name; /* the postmortem template, NULL for the built-in one */
    struct timeline_entry *timeline;
    size_t n_timeline;
    struct record_section *sections;
    size_t n_sections;
    struct record_finding *findings;
    size_t n_findings;
    struct record_hypothesis *hypotheses;
    size_t n_hypotheses;
    struct record_action *actions;
    size_t n_actions;
    struct record_check *checklist;
    size_t n_checklist;
    struct record_decision *decisions;
    size_t n_decisions;
    struct record_feedback *feedback;
    size_t n_feedback;
    struct record_experiment *experiments;
    size_t n_experiments;
    struct audit_entry *audit;
    size_t n_audit;
    /* The people, teams and templates the record refers to, as the exporting store had them. */
    struct record_person *people;
    size_t n_people;
    struct record_team *teams;
    size_t n_teams;
    struct record_template *templates;
    size_t n_templates;
};

/* An empty record (no allocation). */
void record_init(struct record *r);
/* Frees everything r owns and leaves it empty (as record_init). Accepts a half-filled record. */
void record_release(struct record *r);

void record_evidence_release(struct record_evidence *x);
void record_hypothesis_release(struct record_hypothesis *x);
void record_action_release(struct record_action *x);

#endif
