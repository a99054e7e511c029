/* verify.h: "did the fix work?" (hindsight verify) as text a person reads and as JSON
 * (docs/verify.md).
 *
 * The result types live here, as the facts of render/workflow.h do: app/verify.c fills them
 * from the counterfactual kernel and the store, and renderers never include analytics/. */
#ifndef RENDER_VERIFY_H
#define RENDER_VERIFY_H

#include "core/sink.h"
#include "core/strlist.h"

#include <jansson.h>

/* One window's effect: observed minus the counterfactual, per bucket. NAN = unknown. */
struct verify_effect {
    bool valid;                    /* false: not computed (see the result's notes) */
    int64_t from, to;              /* the window asked for */
    size_t buckets;                /* buckets with a value */
    double actual, predicted;      /* means */
    double point, ci_low, ci_high; /* the average effect and its 1 - alpha interval */
    double tost_low, tost_high;    /* its 1 - 2 alpha interval */
    double cumulative, cum_low, cum_high;
    double relative, rel_low, rel_high;
    double p_value;     /* two-sided */
    double p_one_sided; /* CausalImpact's tail area */
    double mde;         /* the smallest average effect the window can detect */
};

/* The control series the model regressed on. */
struct verify_control {
    char *expr;
    double correlation; /* with the target over the baseline */
};

enum verify_met { MET_UNKNOWN = -1, MET_NO = 0, MET_YES = 1 };

struct verify_result {
    char id[32];           /* "A-1" */
    char *text;            /* the action */
    const char *status;    /* its status (after --apply) */
    char *criterion;       /* "EXPR <op> VALUE over WINDOW", NULL when the action has none */
    enum verify_met met;
    double criterion_value; /* over the criterion's window (so far, when it is not over) */
    int64_t crit_from, crit_to;
    char *criterion_reason;
    const char *verdict;   /* "recovered", "not_recovered", "inconclusive"; NULL: none */
    char *verdict_reason;
    char *error;           /* the query's refusal, when the criterion cannot be evaluated */
    struct verify_effect post, incident;
    int64_t bucket_ms;     /* 0: no model */
    int64_t base_from, base_to;
    size_t base_buckets;
    double r2, holdout_coverage;
    size_t placebos, placebo_hits;
    double placebo_rate;
    double delta;          /* the equivalence tolerance, per bucket */
    int degraded;          /* -1 lower is worse, +1 higher is worse, 0 either */
    double alpha;
    bool seasonal, trend;
    struct verify_control *controls;
    size_t n_controls;
    struct strlist notes;  /* what was left out and why */
    bool applied;
    char *apply_reason;    /* why --apply did not move it, NULL when not asked */
};

void verify_result_init(struct verify_result *r);
void verify_result_release(struct verify_result *r);
void verify_results_free(struct verify_result *list, size_t n);

/* One block per action: the criterion, the incident's impact, the residual after the fix
 * with its interval, p, the placebo rate, the verdict, and a short narrative. */
void render_verify(struct sink *out, const struct verify_result *list, size_t n);

/* {"actions": [...]} (docs/verify.md); numbers that are not finite are null. */
json_t *verify_to_json(const struct verify_result *list, size_t n);

#endif
