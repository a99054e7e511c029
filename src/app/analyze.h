/* analyze.h: the automatic diagnosis of an incident (hindsight analyze; docs/diagnosis.md).
 *
 * Over the incident's window it measures the funnel's step conversions before and during the
 * incident and names the step that broke; finds change points in the broken step's conversion,
 * in every ingested metric and every saved metric, and what moved first; localises the broken
 * step's drop over the events' low-cardinality text properties; ranks the changes made shortly
 * before by nearness in time and overlap with the localised segments; and stores ranked
 * hypotheses as the incident's findings (F-1 is the best), replacing the previous ones. */
#ifndef APP_ANALYZE_H
#define APP_ANALYZE_H

#include "app/app.h"
#include "core/strlist.h"

/* The funnel, in order; analyze uses the steps whose event occurs in the window. */
extern const char *const analyze_funnel[];
#define ANALYZE_FUNNEL_LEN 5

#define ANALYZE_CONV_BUCKET_MS (10 * 60 * 1000LL) /* conversion series: 10 minute buckets */
#define ANALYZE_LEAD_MS (30 * 60 * 1000LL)        /* "what moved first" looks this far back */
#define ANALYZE_LOOKBACK_MS (2 * 3600 * 1000LL)   /* changes considered before the first move */
#define ANALYZE_HALF_LIFE_MS (15 * 60 * 1000LL)   /* nearness halves every 15 minutes */
#define ANALYZE_MAX_DIM_VALUES 50                 /* a dimension has at most this many values */
#define ANALYZE_MAX_DIMS 6
#define ANALYZE_MIN_Z 3.0 /* a step is broken only when its drop has z >= 3 */

struct analyze_request {
    const char *key;
    const char *window_before, *window_after, *bucket; /* durations; NULL: 24h, 24h, 1m */
    bool dry_run; /* compute only: the stored findings stay as they are (for reports, charts) */
};

struct an_step {
    const char *from, *to; /* static names */
    double prev_before, next_before, prev_during, next_during;
    double before, during; /* conversions, NAN when undefined */
    double drop;           /* relative drop (before - during) / before, NAN when undefined */
    double z;              /* two-proportion z of the drop */
};

struct an_cp {
    char *series;
    int64_t at;
    int direction;
    double magnitude, confidence;
};

struct an_cause {
    char *metric;
    struct strlist keys, values;
    double share;
};

struct an_change {
    char *id, *kind, *service, *description, *segment; /* owned; may be NULL but id, kind */
    int64_t at;
    double nearness, overlap, score;
};

struct an_finding {
    char *kind, *text, *evidence; /* evidence: JSON text */
    double score, share;
};

struct analysis {
    int64_t incident_id;
    char key[32];
    int64_t from, to, started, end; /* window; the incident's [started, end) */
    struct an_step steps[ANALYZE_FUNNEL_LEN - 1];
    size_t n_steps;
    int broken; /* index in steps, -1 none */
    struct an_cp *cps;
    size_t n_cps;
    int first; /* index in cps, -1 none */
    struct an_cause *causes;
    size_t n_causes;
    struct an_change *changes; /* best first */
    size_t n_changes;
    struct an_finding *findings; /* best first: F-1, F-2, ... */
    size_t n_findings;
    struct strlist notes; /* what could not be analysed, and why */
};

void analysis_release(struct analysis *an);

/* Runs the diagnosis and replaces the incident's findings (one audited transaction) unless
 * rq->dry_run. An
 * incident without evidence is not an error: the sections are empty and notes say why. */
int app_analyze(struct app *a, const struct analyze_request *rq, struct analysis *ret,
                struct err *e);

/* Turns finding F-N of the incident into a hypothesis (audited, with the link). */
int app_finding_accept(struct app *a, const char *key, const char *finding_id, int64_t *ret_hid,
                       struct err *e);

/* The incident's stored findings of its last analysis, best first (F-1 is list[0]); n 0 when it
 * was never analysed. Free with findings_free. */
int app_findings_list(struct app *a, const char *key, struct finding **ret_list, size_t *ret_n,
                      struct err *e);

/* ---- pure scoring (unit-tested) ---- */

/* Conversion before and during, the relative drop and its two-proportion z. */
void analyze_step_drop(struct an_step *s);
/* exp(-ln 2 * |ref - at| / half_life). */
double analyze_nearness(int64_t at, int64_t ref, int64_t half_life);
/* How well a change's target segment ("k=v,k2=v2", NULL or "" for none) matches the causes: 1
 * when every pair matches one cause's values, 0.5 when some do, 0.1 when none do, 0.2 for a
 * change without segment (or when there is no cause). */
double analyze_overlap(const char *segment, const struct an_cause *causes, size_t n);
/* likelihood 1-5 from a finding's score in [0, 1]. */
int analyze_likelihood(double score);

/* ---- parts (analyze_where.c, analyze_changes.c) ---- */

int analyze_where(struct app *a, struct analysis *an, struct err *e);
int analyze_changes(struct app *a, struct analysis *an, struct err *e);
void analyze_findings(struct analysis *an);

#endif
