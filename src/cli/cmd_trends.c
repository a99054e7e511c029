/* cmd_trends.c: hindsight trends (figures across incidents, per month or quarter) and
 * hindsight audit (findings about the postmortem process itself). Both only read the store;
 * docs/trends.md defines what they compute. */
#include "cli/cli.h"

#include "app/process_audit.h"
#include "app/trends.h"
#include "core/buf.h"
#include "render/incident_json.h"

#include <stdio.h>
#include <string.h>

/* ---- trends ---- */

static const struct opt_spec trends_spec[] = {
    {"since", OPT_VALUE, "TIME", "only incidents started at or after TIME (default: all)"},
    {"until", OPT_VALUE, "TIME", "only incidents started before TIME (default: all)"},
    {"by", OPT_VALUE, "month|quarter", "the period: UTC calendar month (default) or quarter"},
    {"format", OPT_VALUE, "text|md|html|json", "text (default), md, html (one page with charts) "
                                              "or json"},
    {"out", OPT_VALUE, "FILE", "write to FILE (atomically) instead of stdout"},
};

static bool one_of(const char *s, const char *const *choices, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, choices[i]) == 0)
            return true;
    return false;
}

static int trends_query_of(struct app *a, const struct opts *o, struct trends_query *q,
                           struct err *e)
{
    *q = (struct trends_query)TRENDS_QUERY_INIT;
    int rc = ERR_OK;
    if (opts_value(o, "by"))
        rc = trend_by_parse(opts_value(o, "by"), &q->by, e);
    if (rc == ERR_OK && opts_value(o, "since"))
        rc = app_parse_time(a, "--since", opts_value(o, "since"), &q->since, e);
    if (rc == ERR_OK && opts_value(o, "until"))
        rc = app_parse_time(a, "--until", opts_value(o, "until"), &q->until, e);
    return rc;
}

static int render_trends(const struct trends *t, const char *format, struct buf *doc,
                         struct err *e)
{
    struct sink out = sink_buf(doc);
    int rc = ERR_OK;
    if (!strcmp(format, "json")) {
        json_t *v = trends_to_json(t);
        json_write(&out, v);
        json_decref(v);
    } else if (!strcmp(format, "md")) {
        render_trends_md(&out, t, false);
    } else if (!strcmp(format, "html")) {
        rc = render_trends_html(&out, t, e);
    } else {
        render_trends_text(&out, t);
    }
    if (rc == ERR_OK && sink_failed(&out))
        rc = err_set(e, ERR_INTERNAL, "cannot render the trends (out of memory)");
    return rc;
}

int cmd_trends(int argc, char **argv)
{
    static const char *const formats[] = {"text", "md", "html", "json"};
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "trends", "trends [--since T] [--until T] [--by month|quarter] "
                       "[--format text|md|html|json] [--out FILE]",
                       "Figures across incidents per UTC calendar month or quarter: counts by "
                       "severity,\nservice and failure mode; median and p90 times to detect, "
                       "acknowledge, mitigate,\nresolve and write the postmortem; actions opened, "
                       "done, on time and overdue;\nrecurrence rate, fix efficacy and the "
                       "participants' feedback (docs/trends.md).",
                       trends_spec, ARRAY_SIZE(trends_spec), argc, argv, 0, "", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    const char *format = opts_value(&o, "format") ? opts_value(&o, "format") : "text";
    if (!one_of(format, formats, ARRAY_SIZE(formats))) {
        err_set(&e, ERR_INVALID, "--format: '%.40s' is not one of text, md, html, json", format);
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct trends_query q;
    struct trends t;
    if (trends_query_of(a, &o, &q, &e) < 0 || app_trends(a, &q, &t, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    struct buf doc = BUF_INIT;
    rc = render_trends(&t, format, &doc, &e);
    if (rc == ERR_OK)
        rc = cli_emit(opts_value(&o, "out"), &doc, "trends", &e);
    buf_release(&doc);
    trends_release(&t);
    return cli_finish(&o, a, rc < 0 ? cli_fail(&e) : EXIT_OK);
}

/* ---- audit ---- */

static const struct opt_spec audit_spec[] = {
    {"format", OPT_VALUE, "text|md|json", "text (default), md or json"},
    {"out", OPT_VALUE, "FILE", "write to FILE (atomically) instead of stdout"},
};

int cmd_audit(int argc, char **argv)
{
    static const char *const formats[] = {"text", "md", "json"};
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "audit", "audit [--format text|md|json] [--out FILE]",
                       "Findings about the postmortem process itself, each with the records "
                       "behind it:\ntemplate sections most often left thin, actions without a "
                       "success criterion,\nowners who left no update, postmortems past due, "
                       "ingested evidence no incident\nuses, and the participants' comments, "
                       "lowest rated first (docs/trends.md).",
                       audit_spec, ARRAY_SIZE(audit_spec), argc, argv, 0, "", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    const char *format = opts_value(&o, "format") ? opts_value(&o, "format") : "text";
    if (!one_of(format, formats, ARRAY_SIZE(formats))) {
        err_set(&e, ERR_INVALID, "--format: '%.40s' is not one of text, md, json", format);
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct process_audit p;
    if (app_process_audit(a, &p, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    struct buf doc = BUF_INIT;
    struct sink out = sink_buf(&doc);
    if (!strcmp(format, "json")) {
        json_t *v = process_audit_to_json(&p);
        json_write(&out, v);
        json_decref(v);
    } else if (!strcmp(format, "md")) {
        render_process_audit_md(&out, &p);
    } else {
        render_process_audit_text(&out, &p);
    }
    rc = sink_failed(&out) ? err_set(&e, ERR_INTERNAL, "cannot render the audit (out of memory)")
                           : cli_emit(opts_value(&o, "out"), &doc, "audit", &e);
    buf_release(&doc);
    process_audit_release(&p);
    return cli_finish(&o, a, rc < 0 ? cli_fail(&e) : EXIT_OK);
}
