/* demo_internal.h: what the files of the demo generator share; not part of the app API.
 *
 * demo_data.c runs the whole job (options, the incident plan, the files and their renames);
 * demo_out.c is the buffered writer with its own number and time formatting (the generator
 * writes gigabytes, and printf would be most of the time); demo_users.c builds the population;
 * demo_events.c simulates sessions and writes events.jsonl and logs.jsonl in one time-ordered
 * pass; demo_logs.c holds the log templates; demo_metrics.c, demo_changes.c and demo_truth.c
 * write the other files. */
#ifndef APP_DEMO_INTERNAL_H
#define APP_DEMO_INTERNAL_H

#include "app/demo_data.h"
#include "core/rng.h"

#include <stdio.h>
#include <string.h>

/* One random stream per job, so that each file depends only on the seed and its own job. */
enum demo_stream {
    STREAM_USERS = 1,
    STREAM_SESSIONS,
    STREAM_LOGS,
    STREAM_METRICS,
    STREAM_CHANGES,
    STREAM_INCIDENT,
};

enum { PLAT_WEB, PLAT_IOS, PLAT_ANDROID, PLAT_COUNT };
/* App versions, one table for all platforms; a user's version belongs to its platform. */
enum { VER_WEB, VER_IOS_7_0, VER_IOS_7_1, VER_IOS_7_2, VER_AND_5_0, VER_AND_5_1, VER_AND_5_2,
       VER_COUNT };
enum { COUNTRY_COUNT = 6 };
enum { PLAN_FREE, PLAN_PRO, PLAN_COUNT };
/* The funnel, in order. */
enum { EV_VIEW, EV_CART, EV_CHECKOUT, EV_PAYMENT, EV_PURCHASE, EV_COUNT };
enum { SVC_CHECKOUT, SVC_PAYMENTS, SVC_SEARCH, SVC_CATALOG, SVC_COUNT };
enum { REGION_US_EAST, REGION_EU_WEST, REGION_COUNT };

extern const char *const demo_platform_name[PLAT_COUNT];
extern const char *const demo_version_name[VER_COUNT];
extern const char *const demo_country_name[COUNTRY_COUNT];
extern const char *const demo_plan_name[PLAN_COUNT];
extern const char *const demo_event_name[EV_COUNT];
extern const char *const demo_service_name[SVC_COUNT];
extern const char *const demo_region_name[REGION_COUNT];
/* Client latency multiplier of each country (slow networks), and its serving region. */
extern const double demo_country_latency[COUNTRY_COUNT];
extern const uint8_t demo_country_region[COUNTRY_COUNT];

/* The conversion of payment_submitted -> purchase_completed on android (the segment's
 * platform), normally and at full impact. */
#define DEMO_CONV_BASELINE 0.85
#define DEMO_CONV_DURING 0.20
/* The payments service's normal http_error_rate and latency_p99_ms. */
#define DEMO_PAYMENTS_ERROR_RATE 0.0045
#define DEMO_PAYMENTS_P99_MS 650.0
/* Ids in the files: user i is "u<1000 + i>", session n is "s<100000 + n>" and its order (in
 * the logs) is the same number. */
#define DEMO_USER_ID_BASE 1000
#define DEMO_SESSION_ID_BASE 100000

/* a / b rounded down (times before 1970 are negative). */
static inline int64_t demo_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- the buffered writer (demo_out.c) ---- */

struct demo_out {
    FILE *f;
    char *path; /* the temporary name */
    char *buf;
    size_t len;
    int error; /* errno of the first failed write, 0 when fine */
    int64_t minute;  /* the minute whose text is in prefix */
    char prefix[24]; /* "2026-03-04T12:00:" */
};

#define DEMO_OUT_CAP ((size_t)1 << 20)

int demo_out_open(struct demo_out *o, const char *path, struct err *e);
/* Flushes and closes; reports the first write error. The file stays (the caller renames or
 * removes it). Safe on an unopened (zeroed) writer. */
int demo_out_close(struct demo_out *o, struct err *e);
/* Flushes the buffer, then appends (or writes through when s alone exceeds the buffer). */
void demo_out_write_slow(struct demo_out *o, const char *s, size_t n);
/* Inline, so that short constant appends compile to a few moves. */
static inline void demo_out_write(struct demo_out *o, const char *s, size_t n)
{
    if (o->len + n <= DEMO_OUT_CAP) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    } else {
        demo_out_write_slow(o, s, n);
    }
}
#define OUT_LIT(o, s) demo_out_write((o), "" s, sizeof(s) - 1)
void demo_out_str(struct demo_out *o, const char *s);
void demo_out_u64(struct demo_out *o, uint64_t v);
/* v rounded to decimals (0..6) places; trailing zeros kept ("42.10"). */
void demo_out_fixed(struct demo_out *o, double v, unsigned decimals);
/* RFC 3339 UTC; with millis, always three digits ("...:01.250Z", "...:01.000Z"). */
void demo_out_time(struct demo_out *o, int64_t ms, bool millis);
/* 32 lowercase hex digits. */
void demo_out_trace_id(struct demo_out *o, struct rng *r);

/* ---- the population (demo_users.c) ---- */

struct demo_user {
    uint8_t platform, version, country, plan;
};

/* Users are picked with Vose's alias method: O(1) per pick, whatever the population, where a
 * binary search over running sums was a sixth of the run time at large scales. Slot i keeps
 * user i with probability keep / 2^32, else gives alias; both halves share a cache line. */
struct demo_slot {
    uint32_t keep, alias;
};

struct demo_population {
    struct demo_user *users;
    struct demo_slot *slots;
    uint32_t n;
};

void demo_population_build(struct demo_population *p, uint32_t n, uint64_t seed);
void demo_population_release(struct demo_population *p);
/* A user index, drawn in proportion to activity (a few users come back much more often). */
uint32_t demo_population_pick(const struct demo_population *p, struct rng *r);
/* ---- the injected incident's shape (demo_scenario.c) ---- */

struct demo_scenario {
    const char *name;
    int platform, version, country, plan; /* the segment: each -1 when any */
    int step;                        /* the event that fails to follow: EV_CART..EV_PURCHASE */
    int service;                     /* the service that breaks, SVC_* */
    const char *segment;             /* the segment as text, "platform=android,app_version=5.2" */
    const char *release;             /* the causing deploy's version */
    const char *release_line;        /* later deploys of the service: "<line>-build<n>" */
    unsigned next_build;             /* ... counting from this build */
    const char *error_log;           /* the new error template's fixed part */
    const char *error_key;           /* the id it ends with: "<key>=<n>" */
    const char *declared;            /* the incident-response notes */
    const char *mitigation;          /* the mitigating flag change ... */
    const char *mitigation_segment;  /* ... and its target */
    const char *resolved;
    double during;                   /* the step's conversion at full impact, or 0: ... */
    double during_factor;            /* ... its normal conversion times this */
};

#define DEMO_SCENARIO_COUNT 4
extern const struct demo_scenario demo_scenarios[DEMO_SCENARIO_COUNT];

/* Is u in the incident's segment? */
static inline bool demo_in_segment(const struct demo_scenario *sc, const struct demo_user *u)
{
    return (sc->platform < 0 || u->platform == sc->platform) &&
           (sc->version < 0 || u->version == sc->version) &&
           (sc->country < 0 || u->country == sc->country) &&
           (sc->plan < 0 || u->plan == sc->plan);
}

/* The normal conversion into event type (EV_CART..EV_PURCHASE) from the one before it on a
 * platform (demo_events.c). */
double demo_step_conversion(int platform, int type);
/* The normal http_error_rate and latency_p99_ms of each service (demo_metrics.c). */
extern const double demo_error_base[SVC_COUNT];
extern const double demo_p99_base[SVC_COUNT];

/* ---- the incident plan (demo_data.c) ---- */

struct demo_incident {
    int64_t deploy_at;   /* the causing deploy */
    int64_t start;       /* impact begins */
    int64_t declared_at; /* the incident-response change */
    int64_t end;         /* the mitigating flag change */
    int64_t recovered;   /* impact gone: it fades linearly from end to here */
    int64_t resolved_at; /* the closing incident-response change */
    double error_rate[REGION_COUNT]; /* the service's http_error_rate at full impact */
    double p99_factor;               /* its latency_p99_ms multiplier at full impact */
};

/* The impact at t in [0, 1]. */
double demo_impact(const struct demo_incident *inc, int64_t t);

/* ---- one run ---- */

/* Attempts of the broken step (its first event) and their completions seen in events.jsonl,
 * [in segment][inside start..end); "paid" and "bought" for the classic scenario. */
struct demo_observed {
    uint64_t paid[2][2];
    uint64_t bought[2][2];
};

struct demo_run {
    const struct demo_options *opt;
    const struct demo_scenario *sc;
    int64_t start, end; /* the period */
    size_t n_minutes;
    struct demo_population pop;
    struct demo_incident inc;
    /* Backend requests implied by the events, [minute][service][region]: metrics follow the
     * traffic that events.jsonl shows. */
    double *load;
    struct demo_observed seen;
    uint64_t rows[DEMO_FILE_COUNT];
    char cause_id[DEMO_CHANGE_ID_MAX];
    char mitigation_id[DEMO_CHANGE_ID_MAX];
    char declared_id[DEMO_CHANGE_ID_MAX];
    char resolved_id[DEMO_CHANGE_ID_MAX];
    char distractor_id[DEMO_CHANGE_ID_MAX]; /* "" when it fell outside the period */
};

static inline double *demo_load_at(const struct demo_run *run, size_t minute, int svc, int reg)
{
    return &run->load[(minute * SVC_COUNT + (size_t)svc) * REGION_COUNT + (size_t)reg];
}

/* Traffic relative to the daily mean at t: a skewed daily wave (trough 04:00 UTC, peak 19:00,
 * ratio 4:1) times 1.15 on weekends. */
double demo_traffic(int64_t t);

/* ---- the files ---- */

/* Simulates every session of the period; writes events.jsonl and logs.jsonl; fills run->load,
 * run->seen and the row counts. */
void demo_write_events(struct demo_run *run, struct demo_out *events, struct demo_out *logs);

/* One product event as the session simulation produces it. (ts, session) orders events
 * totally: a session's events are at least 1 ms apart. */
struct demo_event {
    int64_t ts;
    uint32_t session;
    uint32_t user;
    uint32_t cents;   /* revenue of a purchase */
    uint16_t latency; /* ms */
    uint8_t type;
    uint8_t flags;
};

enum {
    EVF_PROVIDER_ERROR = 1, /* a payment lost to the incident */
    EVF_PAID_INSIDE = 2,    /* a purchase whose payment was inside the incident window */
};

/* Maybe writes log lines for ev (about one event in 20; always for a provider error). */
void demo_log_event(struct demo_run *run, struct demo_out *logs, struct rng *r,
                    const struct demo_event *ev);

void demo_write_metrics(struct demo_run *run, struct demo_out *out);
/* Writes changes.jsonl and records the incident's change ids in run. */
void demo_write_changes(struct demo_run *run, struct demo_out *out);
void demo_write_truth(struct demo_run *run, struct demo_out *out);

#endif
