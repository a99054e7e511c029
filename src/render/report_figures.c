/* report_figures.c: drawing the report's charts (report_figures.h). */
#include "render/report_figures.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of the SVG's <desc>, with the XML escapes it carries turned back into characters. */
static char *desc_of(const char *svg)
{
    const char *start = strstr(svg, "<desc");
    const char *open_end = start ? strchr(start, '>') : NULL;
    const char *end = open_end ? strstr(open_end, "</desc>") : NULL;
    struct buf b = BUF_INIT;
    static const struct { const char *entity, *ch; } xml[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
        {"&#39;", "'"},
    };
    for (const char *s = open_end ? open_end + 1 : ""; end && s < end;) {
        size_t k = 0;
        while (k < ARRAY_SIZE(xml) && strncmp(s, xml[k].entity, strlen(xml[k].entity)) != 0)
            k++;
        if (k < ARRAY_SIZE(xml)) {
            buf_puts(&b, xml[k].ch);
            s += strlen(xml[k].entity);
        } else {
            buf_append(&b, s++, 1);
        }
    }
    char *text = xstrdup(b.data ? b.data : "");
    buf_release(&b);
    return text;
}

typedef void (*draw_fn)(struct sink *, const void *, const struct chart_style *);

static void add(struct report_figures *f, const char *key, const char *suffix,
                const char *heading, const struct chart_style *st, const void *chart,
                draw_fn draw)
{
    struct buf b = BUF_INIT;
    struct sink out = sink_buf(&b);
    char id[64];
    struct chart_style style = *st;
    snprintf(id, sizeof(id), "%s-%s", key, suffix);
    style.id = id;
    draw(&out, chart, &style);
    f->figs = xreallocarray(f->figs, f->n + 1, sizeof(*f->figs));
    struct report_figure *fig = &f->figs[f->n++];
    size_t n = strlen(id) + 8;
    fig->file = xmalloc(n);
    snprintf(fig->file, n, "%s.svg", id);
    fig->heading = xstrdup(heading);
    fig->svg = xstrdup(b.data ? b.data : "");
    fig->alt = desc_of(fig->svg);
    buf_release(&b);
}

/* Adapters: each renderer takes its own chart type. */
static void draw_panels(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_panels(o, c, st);
}
static void draw_periods(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_periods(o, c, st);
}
static void draw_heatmap(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_heatmap(o, c, st);
}
static void draw_funnel(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_funnel(o, c, st);
}
static void draw_segments(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_segments(o, c, st);
}

void report_figures_draw(const struct chart_set *c, const char *key,
                         const struct chart_style *st, struct report_figures *ret)
{
    struct report_figures f = {NULL, 0, c->notes, c->n_notes};
    struct chart_style def = CHART_STYLE_INIT;
    if (!st)
        st = &def;
    if (c->panels.n_series)
        add(&f, key, "panels", c->panels.title, st, &c->panels, draw_panels);
    if (c->periods.n_rows)
        add(&f, key, "periods", c->periods.title, st, &c->periods, draw_periods);
    if (c->heatmap.n_times && c->heatmap.n_bands)
        add(&f, key, "latency", c->heatmap.title, st, &c->heatmap, draw_heatmap);
    if (c->funnel.n_steps)
        add(&f, key, "funnel", c->funnel.title, st, &c->funnel, draw_funnel);
    if (c->segments.n)
        add(&f, key, "segments", c->segments.title, st, &c->segments, draw_segments);
    *ret = f;
}

void report_figures_release(struct report_figures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->figs[i].file);
        free(f->figs[i].heading);
        free(f->figs[i].alt);
        free(f->figs[i].svg);
    }
    free(f->figs);
    memset(f, 0, sizeof(*f));
}
