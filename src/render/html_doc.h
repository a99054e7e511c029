/* html_doc.h: one self-contained HTML page from a Markdown document (the report, the summary).
 *
 * The Markdown is turned into HTML by cmark-gfm (GitHub tables) in its safe mode: raw HTML
 * written by users is left out and links with dangerous schemes (javascript:, data: other than
 * images) are dropped, so user text cannot inject markup. Images whose source names one of the
 * given inline figures (an SVG chart drawn by hindsight) are replaced by the SVG itself, so the
 * page needs no other file and makes no request. The page carries its own CSS: readable on a
 * phone (viewport, wide tables scroll), printable (@media print), and status words are written
 * out, never shown by colour alone. */
#ifndef RENDER_HTML_DOC_H
#define RENDER_HTML_DOC_H

#include "core/err.h"
#include "core/sink.h"

struct html_figure {
    const char *src; /* the image source the Markdown names: "INC-1-panels.svg" */
    const char *svg; /* the SVG document to put in its place */
};

/* Writes the page: title (escaped) in <title>, md rendered as the body. */
int html_doc_render(struct sink *out, const char *title, const char *md,
                    const struct html_figure *figs, size_t n_figs, struct err *e);

/* Writes s with &, <, >, " and ' escaped (for text and attribute values). */
void html_escape(struct sink *out, const char *s);

#endif
