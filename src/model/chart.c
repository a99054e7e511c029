/* chart.c: freeing the chart data (model/chart.h). */
#include "model/chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void chart_series_release(struct chart_series *s)
{
    free(s->name);
    free(s->unit);
    free(s->values);
    free(s->baseline);
    memset(s, 0, sizeof(*s));
}

void chart_panels_release(struct chart_panels *p)
{
    for (size_t i = 0; i < p->n_series; i++)
        chart_series_release(&p->series[i]);
    for (size_t i = 0; i < p->n_markers; i++) {
        free(p->markers[i].label);
        free(p->markers[i].series);
    }
    free(p->series);
    free(p->markers);
    free(p->title);
    memset(p, 0, sizeof(*p));
}

void chart_periods_release(struct chart_periods *p)
{
    for (size_t i = 0; i < p->n_rows; i++) {
        free(p->rows[i].name);
        free(p->rows[i].unit);
    }
    free(p->rows);
    free(p->title);
    memset(p, 0, sizeof(*p));
}

void chart_heatmap_release(struct chart_heatmap *h)
{
    free(h->title);
    free(h->unit);
    free(h->bounds);
    free(h->counts);
    memset(h, 0, sizeof(*h));
}

void chart_funnel_release(struct chart_funnel *f)
{
    if (f->names)
        for (size_t i = 0; i <= f->n_steps; i++)
            free(f->names[i]);
    free(f->names);
    free(f->before);
    free(f->during);
    free(f->title);
    memset(f, 0, sizeof(*f));
}

void chart_segments_release(struct chart_segments *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->labels[i]);
    free(s->labels);
    free(s->shares);
    free(s->title);
    free(s->metric);
    memset(s, 0, sizeof(*s));
}

double chart_series_mean(const struct chart_series *s, int64_t from, int64_t to)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        int64_t at = s->from + (int64_t)i * s->bucket_ms;
        if (at >= from && at < to && !isnan(s->values[i])) {
            sum += s->values[i];
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

void chart_set_release(struct chart_set *c)
{
    chart_panels_release(&c->panels);
    chart_periods_release(&c->periods);
    chart_heatmap_release(&c->heatmap);
    chart_funnel_release(&c->funnel);
    chart_segments_release(&c->segments);
    for (size_t i = 0; i < c->n_notes; i++)
        free(c->notes[i]);
    free(c->notes);
    memset(c, 0, sizeof(*c));
}
