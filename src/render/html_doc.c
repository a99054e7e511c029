/* html_doc.c: a self-contained HTML page from Markdown via cmark-gfm (html_doc.h). */
#include "render/html_doc.h"

#include "core/buf.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* Kept short and plain: one column that reads on a phone, tables that scroll sideways instead
 * of squeezing, charts that shrink to the page, and a print layout without backgrounds. */
static const char page_css[] =
    ":root{color-scheme:light}"
    "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;"
    "background:#fff;margin:0 auto;max-width:62rem;padding:1rem 1.25rem 3rem}"
    "h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0 1rem}"
    "h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid #ccc}"
    "h3{font-size:1.1rem;margin:1.5rem 0 .4rem}"
    "table{border-collapse:collapse;display:block;overflow-x:auto;max-width:100%;"
    "margin:.5rem 0 1rem}"
    "th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f0f0f0;font-weight:600}"
    "code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f4f4f4;"
    "padding:.05rem .25rem}"
    "pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}pre code{padding:0}"
    "svg{max-width:100%;height:auto;display:block;margin:.5rem 0}"
    "a{color:#0645ad}em{color:#444}"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    "th{background:none}h2{break-after:avoid}svg,table,tr{break-inside:avoid}"
    "a{color:inherit}}";

void html_escape(struct sink *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sink_puts(out, "&amp;"); break;
        case '<': sink_puts(out, "&lt;"); break;
        case '>': sink_puts(out, "&gt;"); break;
        case '"': sink_puts(out, "&quot;"); break;
        case '\'': sink_puts(out, "&#39;"); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                sink_write(out, s, 1);
        }
    }
}

static char *markdown_to_html(const char *md)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!p)
        return NULL;
    if (table)
        cmark_parser_attach_syntax_extension(p, table);
    /* Control characters (the store refuses them, but a page must parse whatever comes) are
     * not allowed in XML and mean nothing on a page: they are left out. */
    struct buf clean = BUF_INIT;
    for (const char *c = md; *c; c++)
        if ((unsigned char)*c >= 0x20 || *c == '\n' || *c == '\t' || *c == '\r')
            buf_append(&clean, c, 1);
    cmark_parser_feed(p, clean.data ? clean.data : "", clean.len);
    buf_release(&clean);
    cmark_node *doc = cmark_parser_finish(p);
    char *html = doc ? cmark_render_html(doc, CMARK_OPT_DEFAULT,
                                         cmark_parser_get_syntax_extensions(p))
                     : NULL;
    if (doc)
        cmark_node_free(doc);
    cmark_parser_free(p);
    return html;
}

/* The figure whose image tag starts at s, or NULL. */
static const struct html_figure *figure_at(const char *s, const struct html_figure *figs,
                                           size_t n)
{
    static const char tag[] = "<img src=\"";
    if (strncmp(s, tag, sizeof(tag) - 1) != 0)
        return NULL;
    s += sizeof(tag) - 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(figs[i].src);
        if (!strncmp(s, figs[i].src, len) && s[len] == '"')
            return &figs[i];
    }
    return NULL;
}

/* The SVG without an XML declaration, which has no place inside HTML. */
static const char *svg_body(const char *svg)
{
    if (!strncmp(svg, "<?xml", 5)) {
        const char *end = strstr(svg, "?>");
        if (end)
            svg = end + 2;
        while (*svg == '\n' || *svg == '\r' || *svg == ' ')
            svg++;
    }
    return svg;
}

int html_doc_render(struct sink *out, const char *title, const char *md,
                    const struct html_figure *figs, size_t n_figs, struct err *e)
{
    char *body = markdown_to_html(md);
    if (!body)
        return err_set(e, ERR_INTERNAL, "cannot convert the report to HTML (out of memory)");
    /* Polyglot markup (void elements closed, only XML's five entities) so that the page parses
     * as XML too: the tests check it with an XML parser. */
    sink_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                   "<title>");
    html_escape(out, title);
    sink_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", page_css);
    for (const char *s = body; *s;) {
        const struct html_figure *f = figure_at(s, figs, n_figs);
        const char *end = f ? strstr(s, "/>") : NULL;
        if (f && end) {
            sink_puts(out, svg_body(f->svg));
            s = end + 2;
            continue;
        }
        const char *next = strchr(s + 1, '<');
        size_t len = next ? (size_t)(next - s) : strlen(s);
        sink_write(out, s, len);
        s += len;
    }
    sink_puts(out, "</main>\n</body>\n</html>\n");
    free(body);
    return ERR_OK;
}
