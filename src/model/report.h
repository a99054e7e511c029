/* report.h: everything the postmortem report shows, gathered by app/ (app_report_gather) and
 * rendered by render/report_md.c. Plain data: the struct owns every pointer in it and
 * report_release (app/report.h) frees them. */
#ifndef MODEL_REPORT_H
#define MODEL_REPORT_H

#include "model/action.h"
#include "model/checklist.h"
#include "model/hypothesis.h"
#include "model/incident.h"
#include "model/timeline.h"

struct report_section {
    char *id, *title, *prompt;
    char *text; /* NULL when not written yet */
    bool required;
};

struct report_finding {
    char *kind, *text;
    double score;
};

struct report_action {
    struct action action;
    double priority;
    bool blocked, overdue;
};

struct report_check {
    enum stage stage;
    bool done, holds;
    int64_t done_at;
    char *done_by; /* may be NULL */
    char *missing; /* "" when the condition holds */
};

struct report_decision {
    int64_t id, at;
    char *actor, *text;
};

struct report_experiment {
    int64_t id;
    char *text, *test; /* test may be NULL */
    double effect, ci_low, ci_high, p_value;
    bool valid, significant;
};

struct report {
    char key[INCIDENT_KEY_MAX];
    struct incident inc;
    int64_t postmortem_due; /* TIME_UNSET when not resolved */
    char postmortem_state[64];
    char *template_name;
    struct report_section *sections;
    size_t n_sections;
    struct timeline_entry *timeline;
    size_t n_timeline;
    struct report_finding *findings; /* best first: F-1, F-2, ... */
    size_t n_findings;
    struct hypothesis *hypotheses; /* ranked */
    size_t n_hypotheses;
    struct evidence *evidence;
    size_t n_evidence;
    struct report_action *actions;
    size_t n_actions;
    int64_t *critical; /* action ids, first to do first */
    size_t n_critical;
    int critical_effort;
    struct report_check checklist[STAGE__COUNT];
    struct report_decision *decisions;
    size_t n_decisions;
    struct report_experiment *experiments;
    size_t n_experiments;
};

#endif
