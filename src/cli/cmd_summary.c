/* cmd_summary.c: hindsight summary KEY [--audience exec|customer] [--format md|html|text]: the
 * stakeholder summary (render/summary.h). */
#include "cli/cli.h"

#include "app/report.h"
#include "core/buf.h"
#include "render/html_doc.h"
#include "render/summary.h"

#include <stdio.h>
#include <string.h>

static const struct opt_spec summary_spec[] = {
    {"audience", OPT_VALUE, "exec|customer", "exec (default): every figure, the root cause, the "
                                             "actions; customer: no internal identifiers"},
    {"format", OPT_VALUE, "md|html|text", "md (default), html (one page) or text"},
    {"out", OPT_VALUE, "FILE", "write to FILE (atomically) instead of stdout"},
};

/* Plain text from the summary's Markdown: headings lose their '#', escapes their backslash. */
static void md_to_text(struct sink *out, const char *md)
{
    bool line_start = true;
    for (const char *s = md; *s; s++) {
        if (line_start && *s == '#') {
            while (*s == '#')
                s++;
            if (*s == ' ')
                s++;
            if (!*s)
                break;
        }
        if (*s == '\\' && s[1])
            s++;
        sink_write(out, s, 1);
        line_start = *s == '\n';
    }
}

int cmd_summary(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "summary", "summary KEY [--audience exec|customer] "
                       "[--format md|html|text] [--out FILE]",
                       "Writes a short summary of an incident for stakeholders: what happened, "
                       "who was affected\nand how much, what was done, what will prevent it. "
                       "The customer audience gets no\ninternal identifiers.",
                       summary_spec, ARRAY_SIZE(summary_spec), argc, argv, 1,
                       "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    enum audience aud = AUD_EXEC;
    const char *format = opts_value(&o, "format") ? opts_value(&o, "format") : "md";
    const char *audience = opts_value(&o, "audience");
    if (audience && audience_parse(audience, &aud, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "text")) {
        err_set(&e, ERR_INVALID, "--format: '%.40s' is not one of md, html, text", format);
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct report r;
    if (app_report_gather(a, o.positional.items[0], &r, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    struct buf md = BUF_INIT, doc = BUF_INIT;
    struct sink mds = sink_buf(&md), out = sink_buf(&doc);
    render_summary_md(&mds, &r, aud);
    rc = ERR_OK;
    if (!strcmp(format, "md"))
        sink_puts(&out, md.data ? md.data : "");
    else if (!strcmp(format, "text"))
        md_to_text(&out, md.data ? md.data : "");
    else
        rc = html_doc_render(&out, aud == AUD_CUSTOMER ? "Incident summary" : r.key,
                             md.data ? md.data : "", NULL, 0, &e);
    report_release(&r);
    const char *path = opts_value(&o, "out");
    if (rc == ERR_OK && (sink_failed(&mds) || sink_failed(&out)))
        rc = err_set(&e, ERR_INTERNAL, "cannot render the summary (out of memory)");
    if (rc == ERR_OK)
        rc = cli_emit(path, &doc, "summary", &e);
    buf_release(&md);
    buf_release(&doc);
    return cli_finish(&o, a, rc < 0 ? cli_fail(&e) : EXIT_OK);
}
