/* similar.h: past incidents like this one, and failure modes whose verified fixes did not hold
 * (hindsight similar, docs/search.md).
 *
 * Reads only. An incident is compared with every incident that started before it on what
 * they share: failure-mode tags, other tags, services, segments (recorded, and localised by
 * the diagnosis's findings), the broken funnel step, the kind of change behind it, and the
 * words of their title, summary and postmortem (TF-IDF cosine). The weighted score is in
 * [0, 1]; analytics/similarity.h has the parts and their weights. */
#ifndef APP_SIMILAR_H
#define APP_SIMILAR_H

#include "app/app.h"
#include "core/strlist.h"

#define SIMILAR_LIMIT_DEFAULT 10
#define SIMILAR_LIMIT_MAX 1000
#define SIMILAR_PARTS 7

/* The names of the score's parts, in the order of similar_match.parts: failure_mode, tags,
 * services, segments, step, change, text. */
extern const char *const similar_part_names[SIMILAR_PARTS];

struct similar_match {
    int64_t seq;
    char *title;
    int64_t started_at;
    double score;                /* in [0, 1] */
    double parts[SIMILAR_PARTS]; /* each in [0, 1]; NAN when the incident compared has nothing
                                  * there (the part is left out of the score) */
    struct strlist shared;       /* "failure-mode:bad-deploy", "service payments",
                                  * "segment platform=android", "step a -> b",
                                  * "change kind deploy", "text: checkout, sdk" */
};

struct similar_fix_action {
    int64_t id; /* A-<id> */
    char *text;
    int64_t verified_at;
};

/* A past incident that shares a failure mode with the one compared, whose actions had been
 * verified before it started: the fix did not keep the failure away. */
struct similar_fix {
    int64_t seq;
    char *title;
    char *failure_mode;  /* the first shared failure-mode tag, "failure-mode:bad-deploy" */
    int64_t verified_at; /* the latest verification among the actions */
    struct similar_fix_action *actions; /* by verification time */
    size_t n_actions;
};

struct similar_report {
    int64_t seq;
    char *title;
    int64_t started_at;
    size_t n_past; /* incidents that started before it (all compared) */
    struct similar_match *matches; /* score > 0, best first, at most the limit */
    size_t n_matches;
    struct similar_fix *fixes; /* latest verification first */
    size_t n_fixes;
};

void similar_report_release(struct similar_report *r);

/* Compares the incident named key with the incidents that started before it. limit: 1 to
 * SIMILAR_LIMIT_MAX as text, NULL for the default. ERR_NOT_FOUND for an unknown incident,
 * ERR_INVALID for a bad key or limit. On success *ret (uninitialised before) owns everything. */
int app_similar(struct app *a, const char *key, const char *limit, struct similar_report *ret,
                struct err *e);

#endif
