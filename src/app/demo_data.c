/* demo_data.c: the demo generator's entry point: options, the incident plan, the files.
 *
 * The incident is planned before anything is written, from its own random stream, so every
 * file can consult it: the sessions (conversion and latency in the segment), the logs (error
 * lines), the metrics (payments error rate and p99) and the changes (deploy, mitigation). */
#define _POSIX_C_SOURCE 200809L
#include "app/demo_internal.h"
#include "app/demo_history.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_END INT64_C(1773014400000) /* 2026-03-09T00:00:00Z */
/* Room kept around the incident inside the period, for the distractor and the notes. */
#define PLAN_MARGIN MS_PER_HOUR
#define INCIDENT_TIME_OF_DAY (14 * MS_PER_HOUR + 5 * MS_PER_MINUTE)

static const char *const file_names[DEMO_FILE_COUNT] = {
    "events.jsonl", "metrics.csv", "logs.jsonl", "changes.jsonl", "ground_truth.json"};

const char *demo_file_name(enum demo_file f)
{
    return (unsigned)f < DEMO_FILE_COUNT ? file_names[f] : "?";
}

void demo_options_default(struct demo_options *o)
{
    o->seed = 42;
    o->days = 7;
    o->scale = 1.0;
    o->end = DEFAULT_END;
    o->history_months = DEMO_HISTORY_MONTHS_DEFAULT;
    o->scenario = 0;
}

int demo_options_check(const struct demo_options *o, struct err *e)
{
    if (o->days < 1 || o->days > DEMO_DAYS_MAX)
        return err_set(e, ERR_INVALID, "days must be from 1 to %d, not %d", DEMO_DAYS_MAX,
                       o->days);
    if (!(o->scale > 0 && o->scale <= DEMO_SCALE_MAX))
        return err_set(e, ERR_INVALID, "scale must be greater than 0 and at most %g, not %g",
                       DEMO_SCALE_MAX, o->scale);
    if (o->history_months < 0 || o->history_months > DEMO_HISTORY_MONTHS_MAX)
        return err_set(e, ERR_INVALID, "history must be from 0 to %d months, not %d",
                       DEMO_HISTORY_MONTHS_MAX, o->history_months);
    if (o->scenario < 0 || o->scenario >= DEMO_SCENARIOS)
        return err_set(e, ERR_INVALID, "scenario must be from 0 to %d, not %d",
                       DEMO_SCENARIOS - 1, o->scenario);
    if (o->end % MS_PER_MINUTE != 0)
        return err_set(e, ERR_INVALID, "the end of the period must be a whole minute");
    if (o->end > TIME_MAX_MS || o->end - o->days * MS_PER_DAY < TIME_MIN_MS)
        return err_set(e, ERR_INVALID, "the period must lie within years 0000..9999");
    return ERR_OK;
}

double demo_impact(const struct demo_incident *inc, int64_t t)
{
    if (t < inc->start || t >= inc->recovered)
        return 0;
    if (t < inc->end)
        return 1;
    return (double)(inc->recovered - t) / (double)(inc->recovered - inc->end);
}

/* 14:05 UTC on the day 60% into the period, or the day before or after when that leaves no
 * room for what comes before (lead) and after (tail) the start; else the 60% point itself. */
static int64_t place_incident(int64_t start, int64_t end, int64_t lead, int64_t tail)
{
    int64_t lo = start + lead + PLAN_MARGIN, hi = end - tail - PLAN_MARGIN;
    int64_t at60 = start + (end - start) / 10 * 6;
    int64_t day = demo_floor_div(at60, MS_PER_DAY) * MS_PER_DAY + INCIDENT_TIME_OF_DAY;
    static const int shift[] = {0, -1, 1};
    for (size_t i = 0; i < ARRAY_SIZE(shift); i++) {
        int64_t c = day + shift[i] * MS_PER_DAY;
        if (c >= lo && c <= hi)
            return c;
    }
    int64_t c = demo_floor_div(at60, MS_PER_MINUTE) * MS_PER_MINUTE;
    return c < lo ? lo : c > hi ? hi : c;
}

/* A whole number of seconds in [lo, hi] minutes, as ms. */
static int64_t minutes_between(struct rng *r, int lo, int hi)
{
    return (lo * INT64_C(60) + (int64_t)rng_below(r, (uint64_t)(hi - lo) * 60 + 1)) *
           MS_PER_SECOND;
}

static void plan_incident(const struct demo_options *o, int64_t start, int64_t end,
                          struct demo_incident *inc)
{
    struct rng r;
    rng_seed(&r, o->seed, STREAM_INCIDENT);
    int64_t lead = minutes_between(&r, 5, 10);    /* deploy before impact */
    int64_t length = minutes_between(&r, 45, 90); /* impact until the mitigation */
    int64_t fade = minutes_between(&r, 3, 6);     /* recovery after it */
    int64_t declare = minutes_between(&r, 6, 15);
    int64_t close = minutes_between(&r, 10, 25);
    inc->start = place_incident(start, end, lead, length + fade + close);
    inc->deploy_at = inc->start - lead;
    inc->declared_at = inc->start + declare;
    inc->end = inc->start + length;
    inc->recovered = inc->end + fade;
    inc->resolved_at = inc->recovered + close;
    for (int g = 0; g < REGION_COUNT; g++)
        inc->error_rate[g] = rng_range(&r, 0.04, 0.06);
    inc->p99_factor = rng_range(&r, 3.0, 4.5);
}

/* mkdir -p: creates dir and its missing parents. */
static int make_dirs(const char *dir, struct err *e)
{
    if (!*dir)
        return err_set(e, ERR_INVALID, "the output directory is empty");
    char *path = xstrdup(dir);
    int rc = ERR_OK;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            rc = err_set(e, ERR_IO, "cannot create directory '%s': %s", path, strerror(errno));
            break;
        }
        *p = saved;
        if (!saved)
            break;
    }
    struct stat st;
    if (rc == ERR_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = err_set(e, ERR_IO, "'%s' is not a directory", dir);
    free(path);
    return rc;
}

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s/%s%s%s", dir, prefix, name, suffix);
    return buf_detach(&b);
}

static void write_all(struct demo_run *run, struct demo_out *out)
{
    demo_write_events(run, &out[DEMO_EVENTS], &out[DEMO_LOGS]);
    demo_write_metrics(run, &out[DEMO_METRICS]);
    demo_write_changes(run, &out[DEMO_CHANGES]);
    demo_write_truth(run, &out[DEMO_TRUTH]);
}

/* Opens the temporary files, writes, closes, and renames them all; on failure removes them. */
static int write_files(struct demo_run *run, const char *dir, struct err *e)
{
    struct demo_out out[DEMO_FILE_COUNT];
    char *tmp[DEMO_FILE_COUNT] = {NULL}, *final[DEMO_FILE_COUNT] = {NULL};
    memset(out, 0, sizeof(out));
    int rc = ERR_OK;
    for (int f = 0; f < DEMO_FILE_COUNT && rc == ERR_OK; f++) {
        tmp[f] = join(dir, ".", file_names[f], ".tmp");
        final[f] = join(dir, "", file_names[f], "");
        rc = demo_out_open(&out[f], tmp[f], e);
    }
    if (rc == ERR_OK)
        write_all(run, out);
    for (int f = 0; f < DEMO_FILE_COUNT; f++) {
        int close_rc = demo_out_close(&out[f], rc == ERR_OK ? e : NULL);
        rc = rc == ERR_OK ? close_rc : rc;
    }
    for (int f = 0; f < DEMO_FILE_COUNT && rc == ERR_OK; f++)
        if (rename(tmp[f], final[f]) != 0)
            rc = err_set(e, ERR_IO, "cannot rename '%s' to '%s': %s", tmp[f], final[f],
                         strerror(errno));
    for (int f = 0; f < DEMO_FILE_COUNT; f++) {
        if (rc != ERR_OK && tmp[f])
            unlink(tmp[f]); /* after a rename the name is gone: nothing happens */
        free(tmp[f]);
        free(final[f]);
    }
    return rc;
}

static void fill_summary(const struct demo_run *run, struct demo_summary *ret)
{
    memset(ret, 0, sizeof(*ret));
    memcpy(ret->rows, run->rows, sizeof(ret->rows));
    ret->users = run->pop.n;
    ret->period_start = run->start;
    ret->period_end = run->end;
    ret->deploy_at = run->inc.deploy_at;
    ret->incident_start = run->inc.start;
    ret->incident_end = run->inc.end;
    ret->recovered_at = run->inc.recovered;
    memcpy(ret->cause_id, run->cause_id, sizeof(ret->cause_id));
    memcpy(ret->mitigation_id, run->mitigation_id, sizeof(ret->mitigation_id));
}

int demo_generate(const struct demo_options *opt, const char *dir, struct demo_summary *ret,
                  struct err *e)
{
    int rc = demo_options_check(opt, e);
    if (rc == ERR_OK)
        rc = make_dirs(dir, e);
    if (rc < 0)
        return rc;
    struct demo_run run;
    memset(&run, 0, sizeof(run));
    run.opt = opt;
    run.sc = &demo_scenarios[opt->scenario];
    run.end = opt->end;
    run.start = opt->end - opt->days * MS_PER_DAY;
    run.n_minutes = (size_t)opt->days * 24 * 60;
    plan_incident(opt, run.start, run.end, &run.inc);
    double users = round(opt->scale * DEMO_USERS_PER_SCALE);
    demo_population_build(&run.pop, users < 1 ? 1 : (uint32_t)users, opt->seed);
    run.load = xcalloc(run.n_minutes * SVC_COUNT * REGION_COUNT, sizeof(*run.load));
    rc = write_files(&run, dir, e);
    size_t history = 0;
    if (rc == ERR_OK)
        rc = demo_history_write(opt->seed, opt->history_months, run.start, dir, &history, e);
    if (rc == ERR_OK && ret) {
        fill_summary(&run, ret);
        ret->history = history;
    }
    free(run.load);
    demo_population_release(&run.pop);
    return rc;
}
