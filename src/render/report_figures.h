/* report_figures.h: the charts of an incident's report drawn as SVG documents, each with the
 * file name it gets beside a Markdown report, its heading and its alt text (the chart's own
 * description), in the order the report shows them: the time panels, before/during/after, the
 * latency heatmap, the funnel, the segments. Charts with nothing to show are left out. */
#ifndef RENDER_REPORT_FIGURES_H
#define RENDER_REPORT_FIGURES_H

#include "model/chart.h"
#include "render/chart.h"

struct report_figure {
    char *file;    /* "INC-1-panels.svg" */
    char *heading; /* "Key metrics around the incident" */
    char *alt;     /* one sentence, plain text */
    char *svg;     /* the whole SVG document */
};

struct report_figures {
    struct report_figure *figs;
    size_t n;
    char *const *notes; /* what could not be drawn (borrowed from the chart set) */
    size_t n_notes;
};

/* Draws every chart of c for the incident named key. Notes are borrowed from c, which must
 * outlive the result. */
void report_figures_draw(const struct chart_set *c, const char *key,
                         const struct chart_style *st, struct report_figures *ret);
void report_figures_release(struct report_figures *f);

#endif
