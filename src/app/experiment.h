/* experiment.h: preventive experiments: a metric compared between a control and a treatment
 * group of events over a window, with the effect, its 95% interval and a significance test
 * (docs/workflow.md). */
#ifndef APP_EXPERIMENT_H
#define APP_EXPERIMENT_H

#include "app/app.h"

#include <jansson.h>

struct experiment_input {
    const char *text, *metric, *control, *treatment, *from, *to;
};

/* Runs the experiment and records it with its result; *ret_result (a new reference) is the
 * result as JSON. The metric must be a rate (a ratio of two counts: a two-proportion z-test)
 * or an average (avg(F): Welch's t-test). */
int app_experiment_add(struct app *a, const char *key, const struct experiment_input *in,
                       int64_t *ret_id, json_t **ret_result, struct err *e);
/* The incident's experiments as a JSON array (a new reference). */
int app_experiment_list(struct app *a, const char *key, json_t **ret, struct err *e);

#endif
