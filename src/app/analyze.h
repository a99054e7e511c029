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
#include "core/strdict.h"
#include "core/strlist.h"
#include "model/series.h"

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
    const char *history; /* days read for the baselines; NULL: 4d (weekly seasons from 14d) */
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
    int64_t at;         /* the start of the first bucket of the new regime */
    int64_t width;      /* the series' bucket: the move happened in [at, at + width) */
    int direction;
    double magnitude, confidence;
    const char *method; /* static: "pelt", "bocpd" or "both" (found by both, at PELT's time) */
};

/* A series against its baseline during the incident (means over the incident's buckets). */
struct an_baseline {
    char *series;
    double observed, expected;
    double z_max;   /* the largest deviation in robust standard deviations, NAN when unknown */
    int64_t at_max; /* where it is, TIME_UNSET when unknown */
    bool seasonal;  /* the baseline came from previous days (else a local fit) */
};

struct an_cause {
    char *metric;
    struct strlist keys, values;
    double share;
    int direction; /* metric causes: +1 the segment rose, -1 it fell; 0 for the broken step */
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

/* A log template that is new or spiking during the incident (analyze_logs.c). */
struct an_template {
    char *text, *service, *level; /* owned; service and level may be NULL */
    size_t before, during;        /* lines in [from, started) and [started, end) */
    double rate_ratio;            /* per-hour rate during / before; INFINITY when new */
    double p_value;               /* one-sided, of the exact conditional Poisson rate test */
    bool is_new;                  /* no line before the start (in the window) */
    int64_t first_seen;           /* its first line in the window */
    int64_t onset;                /* where its excess over the rate before begins */
    int cp;                       /* nearest change point (index in cps) to onset, -1 none */
};

/* One event of a replay; property keys[i] = values[i], a number when bit i of numeric is
 * set. */
struct an_replay_event {
    int64_t at;
    char *event;
    struct strlist keys, values;
    uint64_t numeric;
};

/* A user of the top cause's segment who reached the broken step's first event during the
 * incident but not the next one, and their events around it (analyze_replays.c). */
struct an_replay {
    char *user;
    int64_t failed_at; /* their broken step's first event */
    struct strlist seg_keys, seg_values;
    struct an_replay_event *events; /* in time order */
    size_t n_events;
};

struct analysis {
    size_t history_days; /* of the baselines (series_baseline.h); 0: the default */
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
    /* Where each ingested metric that strays from its baseline strays, over its labels
     * (analyze_metric_where.c); kept apart from the broken step's causes, which the changes
     * and replays are matched against. */
    struct an_cause *metric_causes;
    size_t n_metric_causes;
    struct an_change *changes; /* best first */
    size_t n_changes;
    struct an_finding *findings; /* best first: F-1, F-2, ... */
    size_t n_findings;
    struct strlist notes; /* what could not be analysed, and why */
    struct an_baseline *baselines; /* one per analysed series */
    size_t n_baselines;
    struct an_template *templates; /* new or spiking log templates, best first */
    size_t n_templates;
    size_t n_log_lines, n_log_templates; /* lines read in [from, end), templates mined */
    struct an_replay *replays;
    size_t n_replays;
    /* How the broken step was found: "overall" (its total conversion), "segment" (within
     * broken_dim=broken_value, analyze_segment_steps), NULL when none broke. */
    const char *broken_by;
    char broken_dim[128], broken_value[128];
    double broken_z, broken_z_crit; /* the segment test's z and threshold */
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

/* Adds fmt (one %s, filled with arg) to what could not be analysed. */
void analyze_note(struct analysis *an, const char *fmt, const char *arg);

int analyze_where(struct app *a, struct analysis *an, struct err *e);
/* Localises every ingested metric whose baseline deviation during the incident reaches
 * METRIC_Z_MIN over its labels (after analyze_changepoints, which measures the deviations). */
int analyze_metric_where(struct app *a, struct analysis *an, int64_t bucket, struct err *e);
/* Appends lr's segments as metric causes of name; dims and values (per dimension: text ->
 * code + 1) name the cube's attributes and their values. With cube (built over dims, its
 * values), each segment also gets the dimensions it implies among the active leaves
 * (an_cube_add_implied). */
struct loc_result;
struct strdict;
struct an_cube;
void analyze_add_metric_causes(struct analysis *an, const char *name, const struct loc_result *lr,
                               const struct strlist *dims, const struct strdict *values,
                               const struct an_cube *cube, const bool *active);
/* Localises every saved metric that strays as far over the event dimensions when it is
 * additive (counts and sums of events) or a ratio of two such (analyze_saved_where.c); others
 * get a note. */
int analyze_saved_where(struct app *a, struct analysis *an, struct err *e);
/* A cube of leaves built from series grouped by dimensions (analyze_cube.c): one leaf per
 * combination of the dimensions' values, with its value codes and up to AN_CUBE_MEASURES
 * measures (zero when the leaf appears). The broken step's "where" and the saved metrics'
 * share it. */
#define AN_CUBE_MEASURES 10
struct an_cube {
    struct strdict leaves;  /* the values joined by \x1f -> leaf + 1 */
    struct strdict *values; /* per dimension: value -> code + 1 */
    size_t n_dims;
    uint32_t *codes;        /* leaf-major: codes[leaf * n_dims + d] */
    double *m[AN_CUBE_MEASURES];
    size_t cap;
    char *key;              /* scratch for the joined values */
    size_t key_cap;
};
void an_cube_init(struct an_cube *c, size_t n_dims);
/* Frees c and zeroes it; a zeroed cube (never initialised) may be released too. */
void an_cube_release(struct an_cube *c);
/* The leaf of group g of r, whose by-dimensions are the cube's, in order; added when new. */
uint32_t an_cube_leaf(struct an_cube *c, const struct series_result *r, size_t g);
/* Adds to fixed (per dimension of the cube: a segment's code, LOC_ANY when free) every
 * dimension whose value is the same in all the active leaves under the segment: it is implied
 * (app_version=5.2 only ever comes from platform=android), and naming it says where the
 * segment lies. */
void an_cube_add_implied(const struct an_cube *c, const bool *active, uint32_t *fixed);
/* Appends the segment's dimension=value pairs (dims names the cube's dimensions), in the
 * dimensions' order. */
void an_cube_push_segment(const struct an_cube *c, const struct strlist *dims,
                          const uint32_t *fixed, struct strlist *keys, struct strlist *values);

/* The text properties with 2 .. ANALYZE_MAX_DIM_VALUES distinct values in the window (at most
 * ANALYZE_MAX_DIMS), the dimensions of "where". */
int analyze_pick_dims(struct app *a, const struct analysis *an, struct strlist *dims,
                      struct err *e);
/* When no step's overall conversion dropped significantly: the step whose conversion dropped
 * most significantly within one segment (dimension=value), against a Bonferroni-corrected
 * threshold, becomes the broken step (analyze_segstep.c). */
int analyze_segment_steps(struct app *a, struct analysis *an, struct err *e);
/* Baselines, change points (PELT and BOCPD) and what moved first (analyze_series.c). */
int analyze_changepoints(struct app *a, struct analysis *an, int64_t bucket, struct err *e);
int analyze_changes(struct app *a, struct analysis *an, struct err *e);
void analyze_findings(struct analysis *an);

/* ---- logs and replays (analyze_logs.c, analyze_replays.c; docs/diagnosis.md) ---- */

#define ANALYZE_MAX_TEMPLATES 10   /* templates reported */
#define ANALYZE_LOG_ALPHA 0.01     /* family-wise level of the rate test (Bonferroni) */
#define ANALYZE_LOG_MIN_RATIO 2.0  /* a spike at least doubles the rate */
#define ANALYZE_REPLAY_USERS 3
#define ANALYZE_REPLAY_SPAN_MS (30 * 60 * 1000LL) /* events this long before and after */
#define ANALYZE_REPLAY_EVENTS 20                  /* events per replay at most */

/* Mines the templates of the log lines of [from, end) and keeps the new or spiking ones,
 * aligned with the change points (an->cps). No logs is not an error: a note says why. */
int analyze_logs(struct app *a, struct analysis *an, struct err *e);
/* Replays of up to ANALYZE_REPLAY_USERS users of the top cause's segment who failed the
 * broken step during the incident (none, with a note, when nothing was localised). */
int analyze_replays(struct app *a, struct analysis *an, struct err *e);
void an_templates_free(struct an_template *list, size_t n);
void an_replays_free(struct an_replay *list, size_t n);

struct json_t;
/* Adds to a finding's evidence the supporting templates ("templates": the texts of at most 2,
 * of service when not NULL, else those aligned with a change point) and, when cause is the top
 * cause, the replayed users ("replays": their ids). */
void analyze_evidence_logs(const struct analysis *an, struct json_t *ev, const char *service,
                           const struct an_cause *cause);
/* The "log" finding: a new error-level template whose onset is within ANALYZE_HALF_LIFE_MS of
 * what moved first. False when there is none; else *ret_ev is new evidence (the caller's). */
bool analyze_log_finding(const struct analysis *an, double drop, char *text, size_t size,
                         double *ret_score, struct json_t **ret_ev);

#endif
