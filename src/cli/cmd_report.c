/* cmd_report.c: hindsight report KEY [--format md|html|json] [--out PATH] [--tz OFFSET]: the
 * postmortem report (docs/report.md). */
#include "cli/cli.h"

#include "app/charts.h"
#include "app/report.h"
#include "app/transfer.h"
#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "render/export_json.h"
#include "render/html_doc.h"
#include "render/report_md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec report_spec[] = {
    {"format", OPT_VALUE, "md|html|json", "md (default), html (one self-contained page) or json "
                                          "(the export document)"},
    {"out", OPT_VALUE, "PATH", "write to PATH (atomically); a folder (existing, or ending in /) "
                               "gets KEY.md with its charts as SVG files beside it, or KEY.html "
                               "/ KEY.json"},
    {"tz", OPT_VALUE, "OFFSET", "times on the charts' axes in UTC+OFFSET (+02:00, -0530); "
                                "default UTC"},
};

/* Everything one report needs, owned here. */
struct report_job {
    const char *format, *out, *key;
    bool to_dir;
    struct report r;
    struct chart_set charts;
    struct report_figures figs;
    bool have_r, have_charts;
    struct buf doc;
};

static void job_release(struct report_job *j)
{
    if (j->have_r)
        report_release(&j->r);
    report_figures_release(&j->figs);
    if (j->have_charts)
        chart_set_release(&j->charts);
    buf_release(&j->doc);
}

/* "DIR/KEY.ext" */
static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return p;
}

static int draw_charts(struct app *a, struct report_job *j, const struct chart_style *st,
                       struct err *e)
{
    if (app_charts_gather(a, j->key, NULL, 0, &j->charts, e) < 0)
        return e->code;
    j->have_charts = true;
    report_figures_draw(&j->charts, j->r.key, st, &j->figs);
    return ERR_OK;
}

static int render(struct app *a, struct report_job *j, struct err *e)
{
    struct sink out = sink_buf(&j->doc);
    if (!strcmp(j->format, "json")) {
        /* the export document: the whole record, as hindsight import reads it back */
        json_t *doc = NULL;
        if (app_export_json(a, j->key, &doc, e) < 0)
            return e->code;
        export_json_write(&out, doc);
        json_decref(doc);
    } else if (!strcmp(j->format, "md")) {
        render_report_md(&out, &j->r, j->to_dir ? &j->figs : NULL);
    } else {
        struct buf md = BUF_INIT;
        struct sink mds = sink_buf(&md);
        render_report_md(&mds, &j->r, &j->figs);
        struct html_figure *hf = xcalloc(j->figs.n ? j->figs.n : 1, sizeof(*hf));
        for (size_t i = 0; i < j->figs.n; i++)
            hf[i] = (struct html_figure){j->figs.figs[i].file, j->figs.figs[i].svg};
        char title[INCIDENT_KEY_MAX + 300];
        snprintf(title, sizeof(title), "%s: %.280s", j->r.key, j->r.inc.title);
        int rc = html_doc_render(&out, title, md.data ? md.data : "", hf, j->figs.n, e);
        free(hf);
        buf_release(&md);
        if (rc < 0)
            return rc;
    }
    if (sink_failed(&out))
        return err_set(e, ERR_INTERNAL, "cannot render the report (out of memory)");
    return ERR_OK;
}

/* Writes the document (and, for Markdown in a folder, the charts beside it). */
static int write_out(struct report_job *j, struct err *e)
{
    const char *data = j->doc.data ? j->doc.data : "";
    if (!j->to_dir)
        return cli_emit(j->out, &j->doc, "report", e);
    int rc = cli_make_dir(j->out, e);
    for (size_t i = 0; rc == ERR_OK && !strcmp(j->format, "md") && i < j->figs.n; i++) {
        char *p = path_in(j->out, j->figs.figs[i].file);
        rc = cli_write_atomic(p, j->figs.figs[i].svg, strlen(j->figs.figs[i].svg), e);
        free(p);
    }
    if (rc == ERR_OK) {
        char name[INCIDENT_KEY_MAX + 8];
        snprintf(name, sizeof(name), "%s.%s", j->r.key, j->format);
        char *p = path_in(j->out, name);
        rc = cli_write_atomic(p, data, j->doc.len, e);
        if (rc == ERR_OK)
            fprintf(stderr, "wrote %s\n", p);
        free(p);
    }
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "report", "report KEY [--format md|html|json] [--out PATH] [--tz OFFSET]",
                       "Writes the postmortem report of an incident: the key facts, the "
                       "postmortem's sections,\ntimeline, diagnosis with its charts, hypotheses, "
                       "action items, checklist, decisions and\nexperiments. HTML is one page "
                       "with the charts inline; Markdown gets its charts as SVG\nfiles when "
                       "--out names a folder.",
                       report_spec, ARRAY_SIZE(report_spec), argc, argv, 1, "the incident key",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct report_job j;
    memset(&j, 0, sizeof(j));
    j.format = opts_value(&o, "format") ? opts_value(&o, "format") : "md";
    j.out = opts_value(&o, "out");
    j.key = o.positional.items[0];
    j.to_dir = j.out && cli_out_is_dir(j.out);
    if (strcmp(j.format, "md") && strcmp(j.format, "html") && strcmp(j.format, "json")) {
        err_set(&e, ERR_INVALID, "--format: '%.40s' is not one of md, html, json", j.format);
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct chart_style st = CHART_STYLE_INIT;
    const char *tz = opts_value(&o, "tz");
    if (tz && time_parse_tz_offset(tz, &st.tz_offset_min, &e) < 0) {
        err_prefix(&e, "--tz: ");
        return cli_finish(&o, a, cli_fail(&e));
    }
    if (app_report_gather(a, j.key, &j.r, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    j.have_r = true;
    bool charts = !strcmp(j.format, "html") || j.to_dir;
    if ((charts && draw_charts(a, &j, &st, &e) < 0) || render(a, &j, &e) < 0 ||
        write_out(&j, &e) < 0)
        rc = cli_fail(&e);
    else
        rc = EXIT_OK;
    job_release(&j);
    return cli_finish(&o, a, rc);
}
