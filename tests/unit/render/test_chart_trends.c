/* The trend report's charts (render/chart_trends.h), checked on the SVG they produce: each
 * document is parsed with libxml2 (well-formed, an accessible name and description, no script,
 * no external reference, never "nan" or "inf"), then its geometry is compared with the layout
 * the renderers promise: period i at chart_period_x, values on a scale from zero, stacked
 * segments contiguous and proportional to their counts. */
#include "render/chart_trends.h"

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

/* ======== parsing (as tests/unit/render/test_chart.c) ======== */

struct svgdoc {
    xmlDocPtr doc;
    xmlXPathContextPtr xp;
};

static size_t count(struct svgdoc *d, const char *xpath)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath, d->xp);
    cr_assert_not_null(r, "bad xpath %s", xpath);
    size_t n = r->nodesetval ? (size_t)r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    return n;
}

static xmlNodePtr node(struct svgdoc *d, const char *xpath, size_t i)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath, d->xp);
    cr_assert(r && r->nodesetval && (size_t)r->nodesetval->nodeNr > i, "no node %zu at %s", i,
              xpath);
    xmlNodePtr n = r->nodesetval->nodeTab[i];
    xmlXPathFreeObject(r);
    return n;
}

static double num_of(xmlNodePtr n, const char *attr)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    cr_assert_not_null(v, "no attribute %s", attr);
    char *end;
    double x = strtod((const char *)v, &end);
    cr_assert(*end == '\0' && end != (char *)v, "%s=\"%s\" is not a number", attr, v);
    xmlFree(v);
    return x;
}

static double num(struct svgdoc *d, const char *xpath, size_t i, const char *attr)
{
    return num_of(node(d, xpath, i), attr);
}

static const char *text(struct svgdoc *d, const char *xpath, size_t i)
{
    static char out[4096];
    xmlChar *v = xmlNodeGetContent(node(d, xpath, i));
    snprintf(out, sizeof(out), "%s", v ? (const char *)v : "");
    xmlFree(v);
    return out;
}

static char *attr(struct svgdoc *d, const char *xpath, size_t i, const char *name)
{
    xmlChar *v = xmlGetProp(node(d, xpath, i), (const xmlChar *)name);
    cr_assert_not_null(v, "%s[%zu] has no %s", xpath, i, name);
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
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

/* role="img", aria-labelledby naming a non-empty <title> and <desc>, a generic font. */
static void check_root(struct svgdoc *d)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    cr_assert_str_eq((const char *)root->name, "svg");
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

static struct svgdoc trend_doc(const struct chart_trend *c, const struct chart_style *st)
{
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    render_chart_trend(&s, c, st);
    cr_assert_not(sink_failed(&s));
    struct svgdoc d = parse(buf_str(&b));
    buf_release(&b);
    return d;
}

static struct svgdoc stack_doc(const struct chart_stack *c, const struct chart_style *st)
{
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    render_chart_stack(&s, c, st);
    cr_assert_not(sink_failed(&s));
    struct svgdoc d = parse(buf_str(&b));
    buf_release(&b);
    return d;
}

static bool near(double a, double b)
{
    return fabs(a - b) < 0.021; /* coordinates are written with two decimals */
}

/* Drawn data, not the legend's swatches. */
#define DATA "[not(ancestor::s:g[@class='legend'])]"

/* ======== building the data ======== */

static char **labels(size_t n)
{
    char **l = xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        char s[16];
        snprintf(s, sizeof(s), "2026-%02zu", i % 12 + 1);
        l[i] = xstrdup(s);
    }
    return l;
}

static void trend_make(struct chart_trend *c, const char *unit, size_t n_periods,
                       size_t n_lines)
{
    memset(c, 0, sizeof(*c));
    c->title = xstrdup("Median times per month");
    c->unit = xstrdup(unit);
    c->axis = xstrdup("month");
    c->periods = labels(n_periods);
    c->n_periods = n_periods;
    c->lines = xcalloc(n_lines ? n_lines : 1, sizeof(*c->lines));
    c->n_lines = n_lines;
    for (size_t k = 0; k < n_lines; k++) {
        char name[32];
        snprintf(name, sizeof(name), "line %zu", k);
        c->lines[k].name = xstrdup(name);
        c->lines[k].values = xcalloc(n_periods ? n_periods : 1, sizeof(double));
    }
}

static void stack_make(struct chart_stack *c, size_t n_periods, const char *const *cats,
                       size_t n_cats, const double *counts)
{
    memset(c, 0, sizeof(*c));
    c->title = xstrdup("Incidents per month by severity");
    c->unit = xstrdup("incidents");
    c->axis = xstrdup("month");
    c->periods = labels(n_periods);
    c->n_periods = n_periods;
    c->categories = xcalloc(n_cats ? n_cats : 1, sizeof(char *));
    for (size_t k = 0; k < n_cats; k++)
        c->categories[k] = xstrdup(cats[k]);
    c->n_categories = n_cats;
    c->counts = xcalloc(n_periods * n_cats + 1, sizeof(double));
    if (counts)
        memcpy(c->counts, counts, n_periods * n_cats * sizeof(double));
}

/* ======== trend lines ======== */

Test(chart_trend, a_known_point_sits_at_its_period_and_value)
{
    struct chart_trend c;
    trend_make(&c, "hours", 4, 1);
    double v[4] = {0, 5, 10, NAN};
    memcpy(c.lines[0].values, v, sizeof(v));
    struct chart_style st = {760, 0, "t1"};
    struct svgdoc d = trend_doc(&c, &st);
    /* The scale runs 0..10 (nice ticks covering the data): 10 at the frame's top, 5 halfway, 0
     * at the bottom; x at the middle of each period's slot: 64 + (i + 0.5) * 672 / 4. */
    double top = num(&d, "//s:rect[@class='frame']", 0, "y");
    double h = num(&d, "//s:rect[@class='frame']", 0, "height");
    const char *pts = "//s:g[@class='series']/s:circle[@class='point']";
    cr_assert_eq(count(&d, pts), 3, "one marker per defined value, none for NAN");
    cr_assert(near(num(&d, pts, 2, "cx"), 64 + 2.5 * 672 / 4));
    cr_assert(near(num(&d, pts, 2, "cx"), chart_period_x(&st, 4, 2)));
    cr_assert(near(num(&d, pts, 2, "cy"), top), "10 at the top: %g vs %g",
              num(&d, pts, 2, "cy"), top);
    cr_assert(near(num(&d, pts, 1, "cy"), top + h / 2));
    cr_assert(near(num(&d, pts, 0, "cy"), top + h));
    cr_assert(near(num(&d, pts, 0, "cx"), 64 + 0.5 * 672 / 4));
    /* The line joins the three defined values; its tooltip names period and value. */
    char *points = attr(&d, "//s:polyline[@class='trend']", 0, "points");
    size_t commas = 0;
    for (const char *p = points; *p; p++)
        commas += *p == ',';
    cr_assert_eq(commas, 3);
    free(points);
    cr_assert_str_eq(text(&d, pts, 2), "line 0, 2026-03: 10 hours");
    cr_assert_not_null(strstr(text(&d, "/s:svg/s:desc", 0),
                              "line 0: lowest 0 hours (2026-01), highest 10 hours (2026-03), "
                              "latest 10 hours (2026-03)."));
    done(&d);
    chart_trend_release(&c);
}

Test(chart_trend, an_undefined_value_breaks_the_line)
{
    struct chart_trend c;
    trend_make(&c, "%", 5, 1);
    double v[5] = {10, 20, NAN, 40, 50};
    memcpy(c.lines[0].values, v, sizeof(v));
    struct svgdoc d = trend_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:polyline[@class='trend']" DATA), 2, "two runs around the gap");
    cr_assert_eq(count(&d, "//s:g[@class='series']/*[@class='point']"), 4);
    /* Percent ticks carry the unit. */
    cr_assert_gt(count(&d, "//s:text[@class='y-tick'][contains(., '%')]"), 1);
    done(&d);
    chart_trend_release(&c);
}

Test(chart_trend, lines_differ_in_dash_and_marker_and_have_a_legend)
{
    struct chart_trend c;
    trend_make(&c, "minutes", 3, 3);
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < 3; i++)
            c.lines[k].values[i] = (double)(k + 1) * (double)(i + 1);
    struct svgdoc d = trend_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:g[@class='legend']/s:text"), 3);
    cr_assert_eq(count(&d, "//s:polyline[@class='trend']" DATA), 3);
    /* solid, dashed, dotted: three different dash patterns (none for the first) */
    cr_assert_eq(count(&d, "//s:polyline[@class='trend'][not(@stroke-dasharray)]" DATA), 1);
    char *a = attr(&d, "//s:polyline[@class='trend'][@stroke-dasharray]" DATA, 0,
                   "stroke-dasharray");
    char *b = attr(&d, "//s:polyline[@class='trend'][@stroke-dasharray]" DATA, 1,
                   "stroke-dasharray");
    cr_assert_str_neq(a, b);
    free(a);
    free(b);
    /* circles, squares, triangles */
    cr_assert_eq(count(&d, "//s:g[@class='series']/s:circle"), 3);
    cr_assert_eq(count(&d, "//s:g[@class='series']/s:rect"), 3);
    cr_assert_eq(count(&d, "//s:g[@class='series']/s:polygon"), 3);
    /* units on the axes: the value caption and the period caption */
    cr_assert_str_eq(text(&d, "//s:text[@class='y-caption']", 0), "minutes");
    cr_assert_str_eq(text(&d, "//s:text[@class='x-caption']", 0), "month (UTC)");
    done(&d);
    chart_trend_release(&c);
}

Test(chart_trend, empty_and_all_undefined_inputs_say_no_data)
{
    struct chart_trend c;
    trend_make(&c, "hours", 0, 2);
    struct svgdoc d = trend_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 1);
    done(&d);
    chart_trend_release(&c);

    trend_make(&c, "hours", 6, 2);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < 6; i++)
            c.lines[k].values[i] = NAN;
    d = trend_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 1);
    cr_assert_eq(count(&d, "//s:polyline"), 0);
    done(&d);
    chart_trend_release(&c);

    struct chart_trend zero = {0}; /* nothing at all, not even a title */
    d = trend_doc(&zero, NULL);
    done(&d);

    trend_make(&c, "", 1, 1); /* one period: a lone marker */
    c.lines[0].values[0] = 3;
    d = trend_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:g[@class='series']/*[@class='point']"), 1);
    cr_assert_eq(count(&d, "//s:polyline[@class='trend']" DATA), 0);
    done(&d);
    chart_trend_release(&c);
}

Test(chart_trend, many_periods_thin_out_their_labels)
{
    struct chart_trend c;
    trend_make(&c, "hours", 60, 1);
    for (size_t i = 0; i < 60; i++)
        c.lines[0].values[i] = (double)(i % 7);
    struct svgdoc d = trend_doc(&c, NULL);
    size_t n = count(&d, "//s:text[@class='x-tick']");
    cr_assert(n >= 2 && n < 60, "%zu labels", n);
    cr_assert_str_eq(text(&d, "//s:text[@class='x-tick']", 0), "2026-01");
    done(&d);
    chart_trend_release(&c);
}

/* ======== stacked bars ======== */

static const char *const sevs[] = {"SEV1", "SEV2", "SEV3", "SEV4"};

Test(chart_stack, segments_stack_up_to_the_total_in_proportion)
{
    struct chart_stack c;
    double counts[3 * 3] = {1, 2, 3, /* 2026-01: 6 */
                            0, 0, 0, /* 2026-02: none */
                            4, 0, 1}; /* 2026-03: 5 */
    stack_make(&c, 3, sevs, 3, counts);
    struct chart_style st = {760, 0, "s1"};
    struct svgdoc d = stack_doc(&c, &st);
    cr_assert_eq(count(&d, "//s:g[@class='bar']"), 3, "one bar per period, empty ones too");
    cr_assert_eq(count(&d, "//s:g[@class='bar'][1]/s:rect[@class='seg']"), 3);
    cr_assert_eq(count(&d, "//s:g[@class='bar'][2]/s:rect[@class='seg']"), 0);
    cr_assert_eq(count(&d, "//s:g[@class='bar'][3]/s:rect[@class='seg']"), 2);
    cr_assert_str_eq(text(&d, "//s:g[@class='bar'][1]/s:text[@class='total']", 0), "6");
    cr_assert_str_eq(text(&d, "//s:g[@class='bar'][2]/s:text[@class='total']", 0), "0");
    cr_assert_str_eq(text(&d, "//s:g[@class='bar'][3]/s:text[@class='total']", 0), "5");

    /* Bar 1: segments bottom up, each on top of the one before, heights 1 : 2 : 3. */
    const char *seg1 = "//s:g[@class='bar'][1]/s:rect[@class='seg']";
    double base = num(&d, seg1, 0, "y") + num(&d, seg1, 0, "height");
    double unit = num(&d, seg1, 0, "height");
    double sum1 = 0;
    for (size_t k = 0; k < 3; k++) {
        double y = num(&d, seg1, k, "y"), h = num(&d, seg1, k, "height");
        cr_assert(near(h, unit * (double)(k + 1)), "segment %zu: %g vs %g", k, h,
                  unit * (double)(k + 1));
        if (k > 0)
            cr_assert(near(y + h, num(&d, seg1, k - 1, "y")), "segment %zu is not on the last", k);
        sum1 += h;
    }
    /* Bar 3 stands on the same base, and the totals' heights are 6 : 5. */
    const char *seg3 = "//s:g[@class='bar'][3]/s:rect[@class='seg']";
    cr_assert(near(num(&d, seg3, 0, "y") + num(&d, seg3, 0, "height"), base));
    double sum3 = num(&d, seg3, 0, "height") + num(&d, seg3, 1, "height");
    cr_assert(fabs(sum1 / sum3 - 6.0 / 5.0) < 0.005, "%g / %g", sum1, sum3);
    cr_assert(near(sum1, unit * 6));
    /* The bar is centred on its period. */
    double x = num(&d, seg1, 0, "x"), w = num(&d, seg1, 0, "width");
    cr_assert(near(x + w / 2, chart_period_x(&st, 3, 0)));
    /* Its tooltip spells it out. */
    cr_assert_str_eq(text(&d, "//s:g[@class='bar'][1]/s:title", 0),
                     "2026-01: 6 incidents (SEV1 1, SEV2 2, SEV3 3)");
    done(&d);
    chart_stack_release(&c);
}

Test(chart_stack, categories_differ_in_pattern_and_are_named)
{
    struct chart_stack c;
    double counts[2 * 4] = {1, 1, 1, 1, 2, 0, 0, 1};
    stack_make(&c, 2, sevs, 4, counts);
    struct chart_style st = {760, 0, "sev"};
    struct svgdoc d = stack_doc(&c, &st);
    cr_assert_eq(count(&d, "//s:defs/s:pattern"), 4);
    cr_assert_eq(count(&d, "//s:pattern[@id='sev-pat-0']"), 1);
    cr_assert_eq(count(&d, "//s:pattern[@id='sev-pat-3']"), 1);
    /* a hatch or dots in every pattern but the first (solid) */
    cr_assert_eq(count(&d, "//s:pattern[@id='sev-pat-0']/*"), 1);
    for (int k = 1; k < 4; k++) {
        char xp[64];
        snprintf(xp, sizeof(xp), "//s:pattern[@id='sev-pat-%d']/*", k);
        cr_assert_eq(count(&d, xp), 2);
    }
    cr_assert_eq(count(&d, "//s:g[@class='legend']/s:rect"), 4);
    for (int k = 0; k < 4; k++)
        cr_assert_str_eq(text(&d, "//s:g[@class='legend']/s:text", (size_t)k), sevs[k]);
    char *fill0 = attr(&d, "//s:g[@class='bar'][1]/s:rect[@class='seg']", 0, "fill");
    char *fill1 = attr(&d, "//s:g[@class='bar'][1]/s:rect[@class='seg']", 1, "fill");
    cr_assert_str_eq(fill0, "url(#sev-pat-0)");
    cr_assert_str_eq(fill1, "url(#sev-pat-1)");
    free(fill0);
    free(fill1);
    const char *desc = text(&d, "/s:svg/s:desc", 0);
    cr_assert_not_null(strstr(desc, "7 incidents in all"), "%s", desc);
    cr_assert_not_null(strstr(desc, "SEV1 (3 in all)"), "%s", desc);
    cr_assert_str_eq(text(&d, "//s:text[@class='y-caption']", 0), "incidents");
    done(&d);
    chart_stack_release(&c);
}

Test(chart_stack, empty_zero_and_undefined_counts_render)
{
    struct chart_stack c;
    stack_make(&c, 0, sevs, 4, NULL);
    struct svgdoc d = stack_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:text[@class='no-data']"), 1);
    done(&d);
    chart_stack_release(&c);

    double counts[2 * 2] = {NAN, -3, 0, NAN};
    stack_make(&c, 2, sevs, 2, counts);
    d = stack_doc(&c, NULL);
    cr_assert_eq(count(&d, "//s:rect[@class='seg']"), 0);
    cr_assert_eq(count(&d, "//s:text[@class='total']"), 2);
    cr_assert_not_null(strstr(text(&d, "/s:svg/s:desc", 0), "None in 2026-01, 2026-02."));
    done(&d);
    chart_stack_release(&c);

    struct chart_stack zero = {0};
    d = stack_doc(&zero, NULL);
    done(&d);
}

Test(chart_stack, markup_in_names_is_escaped)
{
    struct chart_stack c;
    const char *const cats[] = {"<b>bad & \"worse\"</b>", "a\tb\x01"};
    double counts[2] = {2, 1};
    stack_make(&c, 1, cats, 2, counts);
    struct svgdoc d = stack_doc(&c, NULL);
    cr_assert_str_eq(text(&d, "//s:g[@class='legend']/s:text", 0), "<b>bad & \"worse\"</b>");
    cr_assert_str_eq(text(&d, "//s:g[@class='legend']/s:text", 1), "a b");
    done(&d);
    chart_stack_release(&c);
}
