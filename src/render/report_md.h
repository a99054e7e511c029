/* report_md.h: the postmortem report as Markdown (hindsight report): the title, a key-facts
 * table, the template's sections, then the timeline, diagnosis, hypotheses, action items with
 * their critical path, checklist, decisions and experiments. User text is escaped where it
 * would break the structure: backslashes, pipes in table cells, a leading '#' in a line. */
#ifndef RENDER_REPORT_MD_H
#define RENDER_REPORT_MD_H

#include "core/sink.h"
#include "model/report.h"
#include "render/report_figures.h"

/* figs: the charts, shown in the diagnosis as images named by their file (beside the report);
 * NULL when the report goes without them (it then says how to get them). */
void render_report_md(struct sink *out, const struct report *r,
                      const struct report_figures *figs);

/* Writes s for inline use (a table cell or a list item): backslashes and pipes escaped, a
 * leading '#' escaped, line breaks turned into spaces. */
void md_inline(struct sink *out, const char *s);
/* Writes a block of text (a section): backslashes escaped and each line's leading '#'
 * escaped, so that user text cannot add headings; ends with a newline. */
void md_block(struct sink *out, const char *s);

#endif
