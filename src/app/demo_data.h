/* demo_data.h: a deterministic generator of a realistic evidence data set (an online shop's
 * product events, service metrics, logs and changes) with one injected incident and its
 * ground truth. See docs/demo-data.md for what the files hold.
 *
 * The same options give byte-identical files (on one build and platform: see core/rng.h). */
#ifndef APP_DEMO_DATA_H
#define APP_DEMO_DATA_H

#include "core/common.h"
#include "core/err.h"

#define DEMO_DAYS_MAX 90
#define DEMO_SCALE_MAX 200.0
#define DEMO_SCENARIOS 4
/* Users at scale 1; events grow linearly with the scale. */
#define DEMO_USERS_PER_SCALE 20000

struct demo_options {
    uint64_t seed;
    int days;     /* length of the period, 1..DEMO_DAYS_MAX */
    double scale; /* population multiplier, (0, DEMO_SCALE_MAX] */
    int64_t end;  /* end of the period (exclusive), ms, a whole minute */
    int history_months; /* months of incident records before the period (demo_history.h) */
    int scenario;       /* the injected incident's shape, 0..DEMO_SCENARIOS-1 (0: classic) */
};

/* The files, in the order they are written. */
enum demo_file {
    DEMO_EVENTS,
    DEMO_METRICS,
    DEMO_LOGS,
    DEMO_CHANGES,
    DEMO_TRUTH,
    DEMO_FILE_COUNT,
};

/* The change ids are "chg-<n>". */
#define DEMO_CHANGE_ID_MAX 32

struct demo_summary {
    uint64_t rows[DEMO_FILE_COUNT]; /* lines written (data rows for metrics.csv) */
    uint32_t users;
    int64_t period_start, period_end;
    int64_t deploy_at;      /* the causing deploy */
    int64_t incident_start; /* impact begins */
    int64_t incident_end;   /* the mitigation */
    int64_t recovered_at;   /* impact gone */
    char cause_id[DEMO_CHANGE_ID_MAX];
    char mitigation_id[DEMO_CHANGE_ID_MAX];
    size_t history; /* incident records written to history/ */
};

/* Scenario i's name ("android-payments"), the service it breaks ("payments") and its segment
 * ("platform=android,app_version=5.2"); NULL out of range. */
const char *demo_scenario_name(int i);
const char *demo_scenario_service(int i);
const char *demo_scenario_segment(int i);

/* The file name of f ("events.jsonl", ...). */
const char *demo_file_name(enum demo_file f);

/* Fills o with the defaults: seed 42, 7 days, scale 1, end 2026-03-09T00:00:00Z, 12 months of
 * history. */
void demo_options_default(struct demo_options *o);

/* Checks the ranges above; ERR_INVALID with a reason. */
int demo_options_check(const struct demo_options *o, struct err *e);

/* Writes the data set into dir, and the history of incident records before the period into
 * dir/history/ (demo_history.h) (created, with its parents, when missing). Every file is
 * written under a temporary name and renamed once all are complete, so a failure leaves no
 * partial file behind under a final name. */
int demo_generate(const struct demo_options *opt, const char *dir, struct demo_summary *ret,
                  struct err *e);

#endif
