/* The chart renderers, checked on the SVG they produce: every document is parsed with libxml2
 * (well-formed, an accessible name and description, no script, no external reference, never
 * "nan" or "inf"), then its geometry is compared with the layout the renderers promise
 * (render/chart.h): markers at chart_x_of(time), the incident window shaded where it is, lines
 * broken at missing values, the broken funnel step marked. */
#include "render/chart.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN 60000 /* one-minute buckets */
#define W 760.0
#define X0 64.0
#define X1 736.0

/* ======== parsing ======== */

struct svgdoc {
    xmlDocPtr doc;
    xmlXPathContextPtr xp;
};

static xmlXPathObjectPtr query(struct svgdoc *d, const char *xpath)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath, d->xp);
    cr_assert_not_null(r, "bad xpath %s", xpath);
    return r;
}

static size_t count(struct svgdoc *d, const char *xpath)
{
    xmlXPathObjectPtr r = query(d, xpath);
    size_t n = r->nodesetval ? (size_t)r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    return n;
}

static xmlNodePtr node(struct svgdoc *d, const char *xpath, size_t i)
{
    xmlXPathObjectPtr r = query(d, xpath);
    cr_assert(r->nodesetval && (size_t)r->nodesetval->nodeNr > i, "no node %zu at %s", i,
              xpath);
    xmlNodePtr n = r->nodesetval->nodeTab[i];
    xmlXPathFreeObject(r);
    return n;
}

static double num(struct svgdoc *d, const char *xpath, size_t i, const char *attr)
{
    xmlChar *v = xmlGetProp(node(d, xpath, i), (const xmlChar *)attr);
    cr_assert_not_null(v, "%s[%zu] has no %s", xpath, i, attr);
    char *end;
    double x = strtod((const char *)v, &end);
    cr_assert(*end == '\0' && end != (char *)v, "%s=\"%s\" is not a number", attr, v);
    xmlFree(v);
    return x;
}

/* The text of node i (owned by a static buffer until the next call). */
static const char *text(struct svgdoc *d, const char *xpath, size_t i)
{
    static char out[1024];
    xmlChar *v = xmlNodeGetContent(node(d, xpath, i));
    snprintf(out, sizeof(out), "%s", v ? (const char *)v : "");
    xmlFree(v);
    return out;
}

static bool has_text(struct svgdoc *d, const char *xpath, const char *want)
{
    size_t n = count(d, xpath);
    for (size_t i = 0; i < n; i++)
        if (strcmp(text(d, xpath, i), want) == 0)
            return true;
    return false;
}

/* The point count of each polyline at xpath, in document order. */
static size_t points(struct svgdoc *d, const char *xpath, size_t i)
{
    xmlChar *v = xmlGetProp(node(d, xpath, i), (const xmlChar *)"points");
    size_t n = 0;
    for (const char *p = (const char *)v; *p; p++)
        n += *p == ',';
    xmlFree(v);
    return n;
}

static void check_no_nan(const char *svg)
{
    size_t len = strlen(svg);
    char *low = xmalloc(len + 1);
    for (size_t i = 0; i <= len; i++)
        low[i] = (char)tolower((unsigned char)svg[i]);
    cr_assert_null(strstr(low, "nan"), "NaN written in:\n%s", svg);
    cr_assert_null(strstr(low, "inf"), "infinity written in:\n%s", svg);
    cr_assert_null(strstr(low, "<script"), "a script element in:\n%s", svg);
    cr_assert_null(strstr(low, "<style"), "a style element in:\n%s", svg);
    cr_assert_null(strstr(low, "href"), "a reference in:\n%s", svg);
    free(low);
}

/* The root is an accessible SVG image: role, aria-labelledby naming a non-empty <title> and
 * <desc>, a viewBox matching width and height, a generic font. */
static void check_root(struct svgdoc *d)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    cr_assert_str_eq((const char *)root->name, "svg");
    cr_assert_str_eq((const char *)root->ns->href, "http://www.w3.org/2000/svg");
    xmlChar *role = xmlGetProp(root, (const xmlChar *)"role");
    cr_assert_str_eq((const char *)role, "img");
    xmlFree(role);
    xmlChar *labelled = xmlGetProp(root, (const xmlChar *)"aria-labelledby");
    char ids[2][128];
    cr_assert_eq(sscanf((const char *)labelled, "%127s %127s", ids[0], ids[1]), 2);
    xmlFree(labelled);
    const char *kinds[2] = {"title", "desc"};
    for (int k = 0; k < 2; k++) {
        char xpath[256];
        snprintf(xpath, sizeof(xpath), "/s:svg/s:%s[@id='%s']", kinds[k], ids[k]);
        cr_assert_eq(count(d, xpath), 1, "no %s with id %s", kinds[k], ids[k]);
        cr_assert_gt(strlen(text(d, xpath, 0)), 3, "empty %s", kinds[k]);
    }
    xmlChar *vb = xmlGetProp(root, (const xmlChar *)"viewBox");
    double w, h;
    cr_assert_eq(sscanf((const char *)vb, "0 0 %lf %lf", &w, &h), 2);
    xmlFree(vb);
    cr_assert_eq(w, num(d, "/s:svg", 0, "width"));
    cr_assert_eq(h, num(d, "/s:svg", 0, "height"));
    xmlChar *font = xmlGetProp(root, (const xmlChar *)"font-family");
    cr_assert_str_eq((const char *)font, "sans-serif");
    xmlFree(font);
}

static struct svgdoc parse(const char *svg)
{
    check_no_nan(svg);
    struct svgdoc d;
    d.doc = xmlReadMemory(svg, (int)strlen(svg), "chart.svg", "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert_not_null(d.doc, "not well-formed XML:\n%s", svg);
    d.xp = xmlXPathNewContext(d.doc);
    xmlXPathRegisterNs(d.xp, (const xmlChar *)"s", (const xmlChar *)"http://www.w3.org/2000/svg");
    check_root(&d);
    return d;
}

static void done(struct svgdoc *d)
{
    xmlXPathFreeContext(d->xp);
    xmlFreeDoc(d->doc);
}

#define DOC_OF(fn, type, render)                                                          \
    static struct svgdoc fn(const type *x, const struct chart_style *st)                  \
    {                                                                                     \
        struct buf b = BUF_INIT;                                                          \
        struct sink s = sink_buf(&b);                                                     \
        render(&s, x, st);                                                                \
        cr_assert_not(sink_failed(&s));                                                   \
        struct svgdoc d = parse(buf_str(&b));                                             \
        buf_release(&b);                                                                  \
        return d;                                                                         \
    }

DOC_OF(panels_doc, struct chart_panels, render_chart_panels)
DOC_OF(periods_doc, struct chart_periods, render_chart_periods)
DOC_OF(heatmap_doc, struct chart_heatmap, render_chart_heatmap)
DOC_OF(funnel_doc, struct chart_funnel, render_chart_funnel)
DOC_OF(segments_doc, struct chart_segments, render_chart_segments)

/* Drawn data, not the legend's swatches (which share the classes of what they stand for). */
#define DATA "[not(ancestor::s:g[@class='legend'])]"

static bool near(double a, double b)
{
    return fabs(a - b) < 0.011;
}

/* ======== building the data (owned, freed by the model's release functions) ======== */

static double *copy(const double *v, size_t n)
{
    if (!v || !n)
        return NULL;
    double *c = xmallocarray(n, sizeof(double));
    memcpy(c, v, n * sizeof(double));
    return c;
}

static void add_series(struct chart_panels *p, const char *name, const char *unit,
                       const double *v, const double *base, size_t n)
{
    p->series = xreallocarray(p->series, p->n_series + 1, sizeof(*p->series));
    p->series[p->n_series++] = (struct chart_series){
        xstrdup(name), xstrdup(unit), copy(v, n), copy(base, n), n, 0, MIN};
}

static void add_marker(struct chart_panels *p, enum chart_marker_kind kind, int64_t at,
                       const char *label, const char *series)
{
    p->markers = xreallocarray(p->markers, p->n_markers + 1, sizeof(*p->markers));
    p->markers[p->n_markers++] =
        (struct chart_marker){kind, at, xstrdup(label), xstrdup(series)};
}

/* Ten one-minute buckets from 0, the incident over minutes 4 and 5. */
static struct chart_panels panels_base(void)
{
    return (struct chart_panels){xstrdup("Checkout"), 0, 10 * MIN, 4 * MIN, 6 * MIN,
                                 NULL, 0, NULL, 0};
}

static const double ten[10] = {92, 93, 91, 92, 70, 61, 65, 88, 91, 92};
static const double expected[10] = {92, 92, 92, 92, 92, 92, 92, 92, 92, 92};
static const struct chart_style style = {760, 0, "t"};

/* ======== layout ======== */

Test(chart_layout, x_of_maps_the_time_axis_onto_the_plot)
{
    struct chart_time_scale ts = chart_time_scale_of(&style, 0, 10 * MIN);
    cr_assert_eq(ts.x0, X0);
    cr_assert_eq(ts.x1, X1);
    cr_assert(near(chart_x_of(&ts, 3 * MIN), 64 + 0.3 * 672));
    cr_assert(near(chart_x_of(&ts, 0), X0));
    cr_assert(near(chart_x_of(&ts, 10 * MIN), X1));
    struct chart_time_scale dflt = chart_time_scale_of(NULL, 0, 1);
    cr_assert_eq(dflt.x1, CHART_DEFAULT_WIDTH - CHART_MARGIN_RIGHT);
    struct chart_style narrow = {100, 0, NULL};
    cr_assert_eq(chart_time_scale_of(&narrow, 0, 1).x1, 320 - CHART_MARGIN_RIGHT);
    struct chart_time_scale flat = chart_time_scale_of(&style, 5, 5);
    cr_assert_eq(chart_x_of(&flat, 5), X0);
}

/* ======== panels ======== */

Test(chart_panels, markers_sit_at_their_time_and_cross_every_panel)
{
    struct chart_panels p = panels_base();
    add_series(&p, "conversion", "%", ten, expected, 10);
    add_series(&p, "latency_p99_ms", "ms", ten, NULL, 10);
    add_marker(&p, MARK_CHANGE, 3 * MIN, "chg-22 deploy", NULL);
    struct svgdoc d = panels_doc(&p, &style);
    const char *line = "//s:line[@class='change']" DATA;
    cr_assert_eq(count(&d, line), 1);
    cr_assert(near(num(&d, line, 0, "x1"), 265.6), "x %g", num(&d, line, 0, "x1"));
    cr_assert(near(num(&d, line, 0, "x2"), 265.6));
    const char *frame = "//s:rect[@class='frame']";
    cr_assert_eq(count(&d, frame), 2);
    cr_assert_lt(num(&d, line, 0, "y1"), num(&d, frame, 0, "y"));
    cr_assert(near(num(&d, line, 0, "y2"), num(&d, frame, 1, "y") + num(&d, frame, 1, "height")));
    cr_assert(has_text(&d, "//s:text[@class='change-label']", "chg-22 deploy"));
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, the_incident_window_is_shaded_in_every_panel_and_labelled_once)
{
    struct chart_panels p = panels_base();
    add_series(&p, "a", "", ten, NULL, 10);
    add_series(&p, "b", "", ten, NULL, 10);
    add_series(&p, "c", "", ten, NULL, 10);
    struct svgdoc d = panels_doc(&p, &style);
    const char *shade = "//s:rect[@class='incident']" DATA;
    cr_assert_eq(count(&d, shade), 3);
    for (size_t i = 0; i < 3; i++) {
        cr_assert(near(num(&d, shade, i, "x"), 64 + 0.4 * 672));
        cr_assert(near(num(&d, shade, i, "width"), 0.2 * 672));
        cr_assert(near(num(&d, shade, i, "y"), num(&d, "//s:rect[@class='frame']", i, "y")));
        cr_assert(near(num(&d, shade, i, "height"),
                       num(&d, "//s:rect[@class='frame']", i, "height")));
    }
    cr_assert_eq(count(&d, "//s:text[@class='incident-label']"), 1);
    cr_assert_str_eq(text(&d, "//s:text[@class='incident-label']", 0), "incident");
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, lines_break_at_missing_values)
{
    double v[10] = {1, 2, 3, 4, NAN, 6, 7, 8, 9, 10};
    struct chart_panels p = panels_base();
    add_series(&p, "x", "", v, NULL, 10);
    struct svgdoc d = panels_doc(&p, &style);
    const char *line = "//s:polyline[@class='actual']";
    cr_assert_eq(count(&d, line), 2);
    cr_assert_eq(points(&d, line, 0), 4);
    cr_assert_eq(points(&d, line, 1), 5);
    /* The first point sits at the middle of bucket 0: 0.5 min of 10. */
    xmlChar *pts = xmlGetProp(node(&d, line, 0), (const xmlChar *)"points");
    double x, y;
    cr_assert_eq(sscanf((const char *)pts, "%lf,%lf", &x, &y), 2);
    xmlFree(pts);
    cr_assert(near(x, 64 + 0.05 * 672), "x %g", x);
    double top = num(&d, "//s:rect[@class='frame']", 0, "y");
    cr_assert(y >= top && y <= top + num(&d, "//s:rect[@class='frame']", 0, "height"));
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, a_lone_point_between_gaps_is_a_dot)
{
    double v[5] = {NAN, 3, NAN, 4, 5};
    struct chart_panels p = panels_base();
    add_series(&p, "x", "", v, NULL, 5);
    struct svgdoc d = panels_doc(&p, &style);
    cr_assert_eq(count(&d, "//s:circle[@class='actual']"), 1);
    cr_assert_eq(count(&d, "//s:polyline[@class='actual']"), 1);
    cr_assert_eq(points(&d, "//s:polyline[@class='actual']", 0), 2);
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, the_baseline_is_drawn_only_when_given)
{
    struct chart_panels p = panels_base();
    add_series(&p, "with", "%", ten, expected, 10);
    add_series(&p, "without", "%", ten, NULL, 10);
    struct svgdoc d = panels_doc(&p, &style);
    cr_assert_eq(count(&d, "//s:polyline[@class='baseline']"), 1);
    cr_assert_eq(points(&d, "//s:polyline[@class='baseline']", 0), 10);
    cr_assert(has_text(&d, "//s:text[@class='legend']", "baseline (expected)"));
    xmlChar *dash = xmlGetProp(node(&d, "//s:polyline[@class='baseline']", 0),
                               (const xmlChar *)"stroke-dasharray");
    cr_assert_not_null(dash, "the baseline must differ by more than colour");
    xmlFree(dash);
    done(&d);
    chart_panels_release(&p);

    p = panels_base();
    add_series(&p, "without", "%", ten, NULL, 10);
    d = panels_doc(&p, &style);
    cr_assert_eq(count(&d, "//*[@class='baseline']" DATA), 0);
    cr_assert_not(has_text(&d, "//s:text[@class='legend']", "baseline (expected)"));
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, a_change_point_stays_in_its_series_panel)
{
    struct chart_panels p = panels_base();
    add_series(&p, "a", "", ten, NULL, 10);
    add_series(&p, "b", "", ten, NULL, 10);
    add_series(&p, "c", "", ten, NULL, 10);
    add_marker(&p, MARK_CHANGEPOINT, 5 * MIN, "change point", "b");
    struct svgdoc d = panels_doc(&p, &style);
    const char *cp = "//s:line[@class='changepoint']" DATA;
    const char *frame = "//s:rect[@class='frame']";
    cr_assert_eq(count(&d, cp), 1);
    cr_assert(near(num(&d, cp, 0, "x1"), 64 + 0.5 * 672));
    cr_assert(near(num(&d, cp, 0, "y1"), num(&d, frame, 1, "y")));
    cr_assert(near(num(&d, cp, 0, "y2"), num(&d, frame, 1, "y") + num(&d, frame, 1, "height")));
    xmlChar *dash = xmlGetProp(node(&d, cp, 0), (const xmlChar *)"stroke-dasharray");
    cr_assert_not_null(dash);
    xmlFree(dash);
    cr_assert_eq(count(&d, "//s:text[@class='changepoint-label']"), 1);
    done(&d);
    chart_panels_release(&p);

    /* No series, or one that is not drawn: across every panel, like a change. */
    p = panels_base();
    add_series(&p, "a", "", ten, NULL, 10);
    add_series(&p, "b", "", ten, NULL, 10);
    add_marker(&p, MARK_CHANGEPOINT, 5 * MIN, "cp", NULL);
    add_marker(&p, MARK_CHANGEPOINT, 7 * MIN, "cp2", "missing");
    d = panels_doc(&p, &style);
    cr_assert_eq(count(&d, cp), 2);
    for (size_t i = 0; i < 2; i++)
        cr_assert(near(num(&d, cp, i, "y2"), num(&d, frame, 1, "y") + num(&d, frame, 1, "height")));
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, close_marker_labels_are_staggered_far_ones_share_a_row)
{
    struct chart_panels p = panels_base();
    add_series(&p, "a", "", ten, NULL, 10);
    add_marker(&p, MARK_CHANGE, 3 * MIN, "chg-22 deploy payments", NULL);
    add_marker(&p, MARK_CHANGE, 3 * MIN + 6000, "flag checkout-v2 on", NULL);
    add_marker(&p, MARK_CHANGE, 9 * MIN, "late deploy of the search service", NULL);
    add_marker(&p, MARK_CHANGE, 20 * MIN, "outside the axis", NULL);
    struct svgdoc d = panels_doc(&p, &style);
    const char *label = "//s:text[@class='change-label']";
    cr_assert_eq(count(&d, label), 3);
    cr_assert_eq(count(&d, "//s:line[@class='change']" DATA), 3); /* not the one outside */
    double y0 = num(&d, label, 0, "y"), y1 = num(&d, label, 1, "y"), y2 = num(&d, label, 2, "y");
    cr_assert_neq(y0, y1, "two close labels on one row");
    cr_assert(y2 == y0 || y2 == y1);
    /* The label near the right edge is written leftwards, inside the chart. */
    xmlChar *anchor = xmlGetProp(node(&d, label, 2), (const xmlChar *)"text-anchor");
    cr_assert_str_eq((const char *)anchor, "end");
    xmlFree(anchor);
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, long_labels_are_cut_with_the_full_text_in_a_title)
{
    const char *longl = "chg-4711 deploy of payments-api 5.2.1 to every region at once";
    struct chart_panels p = panels_base();
    add_series(&p, "a", "", ten, NULL, 10);
    add_marker(&p, MARK_CHANGE, 2 * MIN, longl, NULL);
    struct svgdoc d = panels_doc(&p, &style);
    const char *shown = text(&d, "//s:text[@class='change-label']", 0);
    cr_assert_lt(strlen(shown), strlen(longl));
    cr_assert(strstr(shown, "\xE2\x80\xA6") != NULL, "no ellipsis in '%s'", shown);
    cr_assert(has_text(&d, "//s:g/s:title", longl));
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, markup_and_control_characters_in_names_are_escaped)
{
    const char *evil = "<script>alert(1)</script>&\"'\x01" "x";
    struct chart_panels p = panels_base();
    free(p.title);
    p.title = xstrdup(evil);
    add_series(&p, evil, "ms", ten, NULL, 10);
    add_marker(&p, MARK_CHANGE, 2 * MIN, evil, NULL);
    struct svgdoc d = panels_doc(&p, &style);
    const char *plain = "<script>alert(1)</script>&\"'x";
    cr_assert_eq(count(&d, "//s:script"), 0);
    cr_assert_str_eq(text(&d, "/s:svg/s:title", 0), plain);
    cr_assert(strstr(text(&d, "/s:svg/s:desc", 0), plain) != NULL);
    cr_assert_str_eq(text(&d, "//s:text[@class='chart-title']", 0), plain);
    cr_assert(has_text(&d, "//s:g/s:title", plain)); /* the marker label, cut, in full */
    char want[128];
    snprintf(want, sizeof(want), "%s (ms)", plain);
    cr_assert_str_eq(text(&d, "//s:text[@class='panel-title']", 0), want);
    done(&d);
    chart_panels_release(&p);
}

Test(chart_panels, degenerate_inputs_render_no_data_and_never_nan)
{
    double all_nan[4] = {NAN, NAN, NAN, NAN};
    double constant[4] = {5, 5, 5, 5};
    double one[1] = {42};
    double inf[3] = {INFINITY, 1, -INFINITY};
    struct chart_panels p = panels_base();
    add_series(&p, "all missing", "ms", all_nan, all_nan, 4);
    add_series(&p, "constant", "ms", constant, NULL, 4);
    add_series(&p, "one point", "", one, NULL, 1);
    add_series(&p, "empty", "", NULL, NULL, 0);
    add_series(&p, "with big values", "", inf, NULL, 3);
    add_marker(&p, MARK_CHANGE, 3 * MIN, NULL, NULL);
    struct svgdoc d = panels_doc(&p, &style);
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 2);
    cr_assert_eq(count(&d, "//s:rect[@class='frame']"), 5);
    /* The single point, and the 1 between two infinities. */
    cr_assert_eq(count(&d, "//s:circle[@class='actual']"), 2);
    done(&d);

    /* No series, an empty or reversed time range, unset shade times. */
    struct chart_panels none = panels_base();
    d = panels_doc(&none, &style);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
    p.to = p.from;
    d = panels_doc(&p, NULL);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
    p.to = 10 * MIN;
    p.shade_from = INT64_MIN;
    p.shade_to = INT64_MIN;
    d = panels_doc(&p, NULL);
    cr_assert_eq(count(&d, "//s:rect[@class='incident']" DATA), 0);
    done(&d);
    chart_panels_release(&none);
    chart_panels_release(&p);
}

Test(chart_panels, legend_alt_text_and_time_zone)
{
    struct chart_panels p = panels_base();
    add_series(&p, "payment conversion", "%", ten, expected, 10);
    add_marker(&p, MARK_CHANGE, 3 * MIN, "chg-22", NULL);
    add_marker(&p, MARK_CHANGEPOINT, 4 * MIN, "cp", "payment conversion");
    struct svgdoc d = panels_doc(&p, &style);
    const char *legend = "//s:text[@class='legend']";
    const char *want[] = {"actual", "baseline (expected)", "change", "change point",
                          "incident window"};
    cr_assert_eq(count(&d, legend), 5);
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(text(&d, legend, i), want[i]);
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert(strstr(desc, "payment conversion: 92% before, 65.5% during the incident") != NULL,
              "desc: %s", desc);
    cr_assert(strstr(desc, "change chg-22 at Jan 01 00:03") != NULL, "desc: %s", desc);
    cr_assert_str_eq(text(&d, "//s:text[@class='x-caption']", 0), "time (UTC)");
    cr_assert_str_eq(text(&d, "//s:text[@class='y-tick']", 0), "60%");
    done(&d);

    struct chart_style plus2 = {0, 120, "my chart!"};
    d = panels_doc(&p, &plus2);
    cr_assert_str_eq(text(&d, "//s:text[@class='x-caption']", 0), "time (UTC+02:00)");
    cr_assert_str_eq(text(&d, "//s:text[@class='x-tick']", 0), "02:00");
    cr_assert_eq(count(&d, "/s:svg/s:title[@id='my-chart--title']"), 1);
    cr_assert_eq(num(&d, "/s:svg", 0, "width"), CHART_DEFAULT_WIDTH);
    done(&d);
    chart_panels_release(&p);
}

/* ======== periods ======== */

static struct chart_periods periods_of(void)
{
    struct chart_periods p = {xstrdup("Before, during, after"), NULL, 2};
    p.rows = xmallocarray(2, sizeof(*p.rows));
    p.rows[0] = (struct chart_period_row){xstrdup("latency_p99_ms"), xstrdup("ms"), 120, 2400,
                                          130};
    p.rows[1] = (struct chart_period_row){xstrdup("conversion"), xstrdup("%"), 92, 61, NAN};
    return p;
}

Test(chart_periods, each_row_has_its_own_scale_and_missing_periods_say_no_data)
{
    struct chart_periods p = periods_of();
    struct svgdoc d = periods_doc(&p, &style);
    const double full = (W - 110) - 68;
    cr_assert_eq(count(&d, "//s:rect[@class='bar-during']"), 2);
    cr_assert(near(num(&d, "//s:rect[@class='bar-during']", 0, "width"), full));
    cr_assert(near(num(&d, "//s:rect[@class='bar-before']", 1, "width"), full));
    cr_assert(near(num(&d, "//s:rect[@class='bar-before']", 0, "width"), full * 120 / 2400));
    cr_assert_eq(count(&d, "//s:rect[@class='bar-after']"), 1);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    cr_assert(has_text(&d, "//s:text[@class='value']", "2400 ms"));
    cr_assert(has_text(&d, "//s:text[@class='value']", "61%"));
    cr_assert(has_text(&d, "//s:text[@class='bar-label']", "during"));
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert(strstr(desc, "conversion: 92% before, 61% during, no data after.") != NULL,
              "desc: %s", desc);
    done(&d);
    chart_periods_release(&p);
}

Test(chart_periods, negative_and_empty_inputs)
{
    struct chart_periods p = periods_of();
    p.rows[0].before = -5, p.rows[0].during = 10, p.rows[0].after = NAN;
    p.rows[1].before = p.rows[1].during = p.rows[1].after = NAN;
    struct svgdoc d = periods_doc(&p, &style);
    double zero = num(&d, "//s:line[@class='zero']", 0, "x1");
    cr_assert(near(num(&d, "//s:rect[@class='bar-before']", 0, "x") +
                       num(&d, "//s:rect[@class='bar-before']", 0, "width"), zero));
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 4);
    done(&d);
    chart_periods_release(&p);

    struct chart_periods none = {NULL, NULL, 0};
    d = periods_doc(&none, NULL);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
}

/* ======== heatmap ======== */

static struct chart_heatmap heatmap_of(const double *counts)
{
    static const double bounds[4] = {0, 100, 500, INFINITY};
    struct chart_heatmap h = {xstrdup("Latency"), xstrdup("ms"), 0, MIN, MIN, 2 * MIN, 4, 3,
                              copy(bounds, 4), copy(counts, 12)};
    return h;
}

Test(chart_heatmap, cells_are_coloured_by_count_and_empty_cells_are_left_out)
{
    /* counts[t * 3 + band]: fast before, slow during minute 1 */
    double counts[12] = {900, 20, 0, 30, 40, 1, 880, NAN, 0, 0, 0, 0};
    struct chart_heatmap h = heatmap_of(counts);
    struct svgdoc d = heatmap_doc(&h, &style);
    const char *cell = "//s:rect[@class='cell']";
    cr_assert_eq(count(&d, cell), 6);
    xmlChar *darkest = xmlGetProp(node(&d, cell, 0), (const xmlChar *)"fill");
    cr_assert_str_eq((const char *)darkest, "#08306b");
    xmlFree(darkest);
    xmlChar *lightest = xmlGetProp(node(&d, cell, 4), (const xmlChar *)"fill"); /* count 1 */
    cr_assert_str_eq((const char *)lightest, "#c6dbef");
    xmlFree(lightest);
    /* Column 1 spans [1, 2) min of 4; band 0 is at the bottom of the plot. */
    cr_assert(near(num(&d, cell, 2, "x"), 64 + 0.25 * 672));
    cr_assert(near(num(&d, cell, 2, "width"), 0.25 * 672));
    cr_assert_gt(num(&d, cell, 2, "y"), num(&d, cell, 3, "y"));
    /* The incident window is outlined over the full height. */
    const char *inc = "//s:rect[@class='incident']";
    cr_assert_eq(count(&d, inc), 1);
    cr_assert(near(num(&d, inc, 0, "x"), 64 + 0.25 * 672));
    cr_assert(near(num(&d, inc, 0, "width"), 0.25 * 672));
    cr_assert(has_text(&d, "//s:text[@class='y-tick']", "100"));
    cr_assert(has_text(&d, "//s:text[@class='y-tick']", "\xE2\x88\x9E"));
    cr_assert_str_eq(text(&d, "//s:text[@class='y-unit']", 0), "ms");
    cr_assert_eq(count(&d, "//s:rect[@class='legend-step']"), 7);
    cr_assert_eq(count(&d, "//s:rect[@class='legend-empty']"), 1);
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert(strstr(desc, "most counts fell in the 100-500 ms band (before it: 0-100 ms)"),
              "desc: %s", desc);
    done(&d);
    chart_heatmap_release(&h);
}

Test(chart_heatmap, no_counts_or_no_buckets_say_no_data)
{
    double zeros[12] = {0};
    struct chart_heatmap h = heatmap_of(zeros);
    struct svgdoc d = heatmap_doc(&h, &style);
    cr_assert_eq(count(&d, "//s:rect[@class='cell']"), 0);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
    h.n_times = 0;
    d = heatmap_doc(&h, &style);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
    h.n_times = 4;
    h.bucket_ms = INT64_MAX / 2; /* the axis would overflow */
    d = heatmap_doc(&h, &style);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
    chart_heatmap_release(&h);
}

/* ======== funnel ======== */

static struct chart_funnel funnel_of(int broken)
{
    const char *names[4] = {"checkout_started", "payment_submitted", "purchase_completed",
                            "receipt_viewed"};
    double before[3] = {0.5, 0.92, NAN}, during[3] = {0.48, 0.61, 0.9};
    struct chart_funnel f = {xstrdup("Funnel"), xmallocarray(4, sizeof(char *)), copy(before, 3),
                             copy(during, 3), 3, broken};
    for (size_t i = 0; i < 4; i++)
        f.names[i] = xstrdup(names[i]);
    return f;
}

Test(chart_funnel, the_broken_step_is_boxed_and_named)
{
    struct chart_funnel f = funnel_of(1);
    struct svgdoc d = funnel_doc(&f, &style);
    cr_assert_eq(count(&d, "//s:rect[@class='broken']"), 1);
    cr_assert_eq(count(&d, "//s:text[@class='broken-mark']"), 1);
    cr_assert(strstr(text(&d, "//s:text[@class='broken-mark']", 0), "broken") != NULL);
    /* The box surrounds the second step's title. */
    double box_y = num(&d, "//s:rect[@class='broken']", 0, "y");
    double title_y = num(&d, "//s:text[@class='step-title']", 1, "y");
    cr_assert(title_y > box_y && title_y < box_y + num(&d, "//s:rect[@class='broken']", 0,
                                                       "height"));
    cr_assert_str_eq(text(&d, "//s:text[@class='step-title']", 1),
                     "payment_submitted \xE2\x86\x92 purchase_completed");
    const double full = (W - 64) - 68;
    cr_assert(near(num(&d, "//s:rect[@class='bar-before']", 0, "width"), 0.5 * full));
    cr_assert(has_text(&d, "//s:text[@class='value']", "92.0%"));
    cr_assert(has_text(&d, "//s:text[@class='value']", "61.0%"));
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "n/a"));
    cr_assert_eq(count(&d, "//s:rect[@class='bar-before']"), 2);
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert(strstr(desc, "The broken step payment_submitted to purchase_completed: 92.0% "
                           "before, 61.0% during the incident.") != NULL, "desc: %s", desc);
    done(&d);
    chart_funnel_release(&f);
}

Test(chart_funnel, without_a_broken_step_the_largest_drop_is_described)
{
    struct chart_funnel f = funnel_of(-1);
    struct svgdoc d = funnel_doc(&f, &style);
    cr_assert_eq(count(&d, "//s:rect[@class='broken']"), 0);
    cr_assert(strstr(text(&d, "/s:svg/s:desc", 0), "largest drop") != NULL);
    done(&d);
    f.broken = 7; /* out of range: nothing marked */
    d = funnel_doc(&f, &style);
    cr_assert_eq(count(&d, "//s:rect[@class='broken']"), 0);
    done(&d);
    chart_funnel_release(&f);

    struct chart_funnel none = {NULL, NULL, NULL, NULL, 0, -1};
    d = funnel_doc(&none, NULL);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
}

/* ======== segments ======== */

static struct chart_segments segments_of(void)
{
    const char *labels[3] = {"platform=android&app_version=5.2", "region=eu-west",
                             "a very long segment label that cannot fit in the label column at "
                             "all, not even close, and goes on"};
    double shares[3] = {0.78, 0.12, -0.05};
    struct chart_segments s = {xstrdup("Where"), xstrdup("conversion"),
                               xmallocarray(3, sizeof(char *)), copy(shares, 3), 3};
    for (size_t i = 0; i < 3; i++)
        s.labels[i] = xstrdup(labels[i]);
    return s;
}

Test(chart_segments, bars_keep_the_order_and_show_percentages)
{
    struct chart_segments s = segments_of();
    struct svgdoc d = segments_doc(&s, &style);
    const char *label = "//s:text[@class='bar-label']";
    cr_assert_eq(count(&d, label), 3);
    cr_assert_str_eq(text(&d, label, 0), "platform=android&app_version=5.2");
    cr_assert_str_eq(text(&d, label, 1), "region=eu-west");
    cr_assert(strstr(text(&d, label, 2), "\xE2\x80\xA6") != NULL);
    cr_assert(has_text(&d, "//s:g/s:title", s.labels[2]));
    cr_assert_str_eq(text(&d, "//s:text[@class='value']", 0), "78.0%");
    cr_assert_str_eq(text(&d, "//s:text[@class='value']", 2), "-5.0%");
    const char *bar = "//s:rect[@class='bar-share']";
    double zero = num(&d, "//s:line[@class='zero']", 0, "x1");
    cr_assert(near(num(&d, bar, 0, "x"), zero));
    cr_assert_gt(num(&d, bar, 0, "width"), num(&d, bar, 1, "width") * 6);
    cr_assert(near(num(&d, bar, 2, "x") + num(&d, bar, 2, "width"), zero)); /* left of zero */
    cr_assert_gt(num(&d, bar, 1, "y"), num(&d, bar, 0, "y"));
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert(strstr(desc, "deviation in conversion") && strstr(desc, "region=eu-west 12.0%"),
              "desc: %s", desc);
    done(&d);
    chart_segments_release(&s);

    struct chart_segments none = {NULL, NULL, NULL, NULL, 0};
    d = segments_doc(&none, NULL);
    cr_assert(has_text(&d, "//s:text[@class='no-data']", "no data"));
    done(&d);
}

Test(chart_segments, missing_shares_say_n_a)
{
    struct chart_segments s = segments_of();
    s.shares[0] = NAN;
    s.shares[1] = NAN;
    s.shares[2] = NAN;
    struct svgdoc d = segments_doc(&s, &style);
    cr_assert_eq(count(&d, "//s:rect[@class='bar-share']"), 0);
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 3);
    done(&d);
    chart_segments_release(&s);
}
