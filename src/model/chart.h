/* chart.h: the data behind the report's charts, gathered by app/charts.c and drawn as SVG by
 * render/chart_*.c. Plain data: each struct owns every pointer in it and its *_release
 * (model/chart.c) frees them. Times are epoch milliseconds UTC; NAN marks a missing value. */
#ifndef MODEL_CHART_H
#define MODEL_CHART_H

#include "core/common.h"

/* One metric over time, bucket by bucket. */
struct chart_series {
    char *name;      /* "payment_submitted -> purchase_completed", "latency_p99_ms" */
    char *unit;      /* "ms", "%", "events/min"; "" when none */
    double *values;  /* n values, NAN for an empty bucket */
    double *baseline; /* n expected values (NAN where unknown); NULL when there is none */
    size_t n;
    int64_t from, bucket_ms; /* value i covers [from + i * bucket_ms, from + (i+1) * bucket_ms) */
};

enum chart_marker_kind { MARK_CHANGEPOINT, MARK_CHANGE };

/* A vertical line on the time axis: a change point of one series or a change (deploy, flag). */
struct chart_marker {
    enum chart_marker_kind kind;
    int64_t at;
    char *label;  /* short: "chg-22 deploy", "change point" */
    char *series; /* MARK_CHANGEPOINT: the series it belongs to; NULL for MARK_CHANGE */
};

/* Time-aligned panels: one panel per series, all on one time axis [from, to), the incident
 * window [shade_from, shade_to) shaded, markers drawn across every panel. */
struct chart_panels {
    char *title;
    int64_t from, to, shade_from, shade_to;
    struct chart_series *series;
    size_t n_series;
    struct chart_marker *markers;
    size_t n_markers;
};

/* Before / during / after: one mean value per period for each metric. */
struct chart_period_row {
    char *name, *unit;
    double before, during, after; /* NAN when the period has no data */
};

struct chart_periods {
    char *title;
    struct chart_period_row *rows;
    size_t n_rows;
};

/* Latency heatmap: counts per time bucket (columns) and latency band (rows). Band j covers
 * [bounds[j], bounds[j+1]); there are n_bands bands and n_bands + 1 bounds. */
struct chart_heatmap {
    char *title, *unit; /* unit of the bands: "ms" */
    int64_t from, bucket_ms, shade_from, shade_to;
    size_t n_times, n_bands;
    double *bounds;
    double *counts; /* n_times * n_bands, counts[t * n_bands + j] */
};

/* The funnel: each step's conversion (0..1, NAN when undefined) before and during the incident;
 * step i goes from names[i] to names[i + 1]. */
struct chart_funnel {
    char *title;
    char **names; /* n_steps + 1 event names */
    double *before, *during;
    size_t n_steps;
    int broken; /* index of the broken step, -1 when none */
};

/* The segments that explain a deviation, each with its share of it (0..1). */
struct chart_segments {
    char *title, *metric;
    char **labels; /* "platform=android&app_version=5.2" */
    double *shares;
    size_t n;
};

/* Every chart of an incident's report. A part with nothing to show has n 0 (n_series,
 * n_rows, n_times, n_steps); notes say what could not be drawn and why. */
struct chart_set {
    struct chart_panels panels;
    struct chart_periods periods;
    struct chart_heatmap heatmap;
    struct chart_funnel funnel;
    struct chart_segments segments;
    char **notes;
    size_t n_notes;
};

/* The mean of the series' non-missing buckets that start in [from, to); NAN when none. */
double chart_series_mean(const struct chart_series *s, int64_t from, int64_t to);

void chart_set_release(struct chart_set *c);
void chart_series_release(struct chart_series *s);
void chart_panels_release(struct chart_panels *p);
void chart_periods_release(struct chart_periods *p);
void chart_heatmap_release(struct chart_heatmap *h);
void chart_funnel_release(struct chart_funnel *f);
void chart_segments_release(struct chart_segments *s);

#endif
