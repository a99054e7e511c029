/* trends.h: incident trends across calendar periods (hindsight trends): the figures of each
 * month or quarter, gathered by app/trends.c, and their renderings as text, Markdown, JSON and
 * one self-contained HTML page with charts. docs/trends.md defines every figure.
 *
 * Plain data: struct trends owns every pointer in it (trends_release frees them). Durations are
 * seconds; NAN marks a figure that is undefined for a period (a median of no incident, a rate
 * of nothing) and is written as null in JSON, "-" in text, never as NaN. */
#ifndef RENDER_TRENDS_H
#define RENDER_TRENDS_H

#include "core/err.h"
#include "core/sink.h"
#include "model/incident.h"

#include <jansson.h>

enum trend_by { TREND_MONTH, TREND_QUARTER };

/* "month", "quarter" */
const char *trend_by_name(enum trend_by by);
/* Accepts "month" or "quarter"; the error names the option and the choices. */
int trend_by_parse(const char *s, enum trend_by *ret, struct err *e);

/* The intervals measured per incident (docs/trends.md): detect = detected - started,
 * acknowledge = acknowledged - detected, mitigate = mitigated - started, resolve = resolved -
 * started, postmortem = the move to review - resolved. */
enum trend_duration { TD_DETECT, TD_ACKNOWLEDGE, TD_MITIGATE, TD_RESOLVE, TD_POSTMORTEM,
                      TD__COUNT };

/* "ttd", "tta", "ttm", "ttr", "ttp" (the JSON prefixes) and "time to detect", ... */
const char *trend_duration_key(enum trend_duration d);
const char *trend_duration_name(enum trend_duration d);

struct trend_count {
    char *name;
    size_t n;
};

struct trend_period {
    char label[16];   /* "2026-01", "2026-Q1" */
    int64_t from, to; /* the calendar period [from, to), UTC ms */
    size_t incidents;
    size_t by_severity[SEV_MAX + 1]; /* [SEV1..SEV4]; [0] unused */
    struct trend_count *services, *modes; /* most first, then by name */
    size_t n_services, n_modes;
    size_t without_mode; /* incidents with no failure-mode tag */
    double median_s[TD__COUNT], p90_s[TD__COUNT]; /* NAN when no incident has both times */
    size_t n_measured[TD__COUNT];                  /* incidents each one is computed from */
    size_t actions_opened, actions_done, actions_on_time, actions_overdue;
    size_t recurrent;       /* incidents whose failure mode recurred within the lookback */
    double recurrence_rate; /* recurrent / incidents; NAN without incidents */
    size_t fixed_modes, held_modes; /* failure modes with a verified fix; of those, not recurred */
    double fix_efficacy;            /* held / fixed; NAN when no fix was verified */
    size_t feedback_count;
    double feedback[3]; /* means of clarity, usefulness, time efficiency; NAN when none */
};

struct trends {
    enum trend_by by;
    int64_t since, until; /* the --since / --until filter, TIME_UNSET when not given */
    int64_t now;
    struct trend_period *periods; /* in time order */
    size_t n;
};

void trends_release(struct trends *t);

/* A table per period. */
void render_trends_text(struct sink *out, const struct trends *t);
/* Tables; with figures, the charts are shown as images named trends-*.svg (which
 * render_trends_html puts inline). */
void render_trends_md(struct sink *out, const struct trends *t, bool figures);
/* {"by", "since", "until", "periods": [...]} (docs/trends.md). */
json_t *trends_to_json(const struct trends *t);
/* One self-contained page: the Markdown with its four charts inline. */
int render_trends_html(struct sink *out, const struct trends *t, struct err *e);

#endif
