/* report_md.c: the postmortem report as Markdown (see report_md.h). */
#include "render/report_md.h"

#include "core/buf.h"
#include "render/incident_text.h"
#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void md_inline(struct sink *out, const char *s)
{
    bool line_start = true;
    for (; s && *s; s++) {
        if (*s == '\\' || *s == '|' || (*s == '#' && line_start))
            sink_write(out, "\\", 1);
        if (*s == '\n' || *s == '\r') {
            sink_write(out, " ", 1);
            continue;
        }
        sink_write(out, s, 1);
        line_start = false;
    }
}

void md_block(struct sink *out, const char *s)
{
    bool line_start = true;
    size_t lead = 0; /* spaces at the start of the current line */
    char last = '\n';
    for (; s && *s; s++) {
        last = *s;
        if (*s == '\\' || (*s == '#' && line_start))
            sink_write(out, "\\", 1);
        sink_write(out, s, 1);
        if (*s == '\n') {
            line_start = true;
            lead = 0;
        } else if (*s == ' ' && line_start && lead < 3) {
            lead++;
        } else {
            line_start = false;
        }
    }
    if (last != '\n')
        sink_write(out, "\n", 1);
}

static void fact(struct sink *out, const char *name, const char *value)
{
    sink_printf(out, "| %s | ", name);
    md_inline(out, value && *value ? value : "-");
    sink_puts(out, " |\n");
}

static void time_fact(struct sink *out, const struct incident *inc, const char *name,
                      enum incident_time t, const char *span_name, int64_t span)
{
    char ts[TIME_STR_MAX], d[DURATION_STR_MAX], line[160];
    if (inc->times[t] == TIME_UNSET)
        snprintf(line, sizeof(line), "-");
    else if (span_name && span != TIME_UNSET)
        snprintf(line, sizeof(line), "%s (%s %s)", time_format_rfc3339(inc->times[t], ts),
                 span_name, time_format_duration(span, d));
    else
        snprintf(line, sizeof(line), "%s", time_format_rfc3339(inc->times[t], ts));
    fact(out, name, line);
}

static void list_fact(struct sink *out, const char *name, const struct strlist *l)
{
    char *s = strlist_join(l, ", ");
    fact(out, name, s);
    free(s);
}

static void facts(struct sink *out, const struct report *r)
{
    const struct incident *inc = &r->inc;
    char ts[TIME_STR_MAX], line[200];
    sink_puts(out, "| Fact | Value |\n| --- | --- |\n");
    fact(out, "Severity", severity_name(inc->severity));
    fact(out, "Status", status_name(inc->status));
    fact(out, "Owner", inc->owner);
    list_fact(out, "Services", &inc->services);
    time_fact(out, inc, "Started", T_STARTED, NULL, TIME_UNSET);
    time_fact(out, inc, "Detected", T_DETECTED, "time to detect", incident_time_to_detect(inc));
    time_fact(out, inc, "Acknowledged", T_ACKNOWLEDGED, "time to acknowledge",
              incident_time_to_acknowledge(inc));
    time_fact(out, inc, "Mitigated", T_MITIGATED, "time to mitigate",
              incident_time_to_mitigate(inc));
    time_fact(out, inc, "Resolved", T_RESOLVED, "time to resolve", incident_time_to_resolve(inc));
    if (r->postmortem_due == TIME_UNSET)
        snprintf(line, sizeof(line), "- (not resolved yet)");
    else
        snprintf(line, sizeof(line), "%s (%s)", time_format_rfc3339(r->postmortem_due, ts),
                 r->postmortem_state);
    fact(out, "Postmortem due", line);
    struct buf b = BUF_INIT;
    render_impact(&b, inc);
    fact(out, "Impact", b.len ? buf_str(&b) : "not measured");
    buf_release(&b);
    list_fact(out, "Segments", &inc->segments);
    struct buf sig = BUF_INIT;
    for (size_t i = 0; i < inc->n_signals; i++)
        buf_printf(&sig, "%s%s at %s", i ? ", " : "", inc->signals[i].name,
                   time_format_rfc3339(inc->signals[i].at, ts));
    fact(out, "Signals", sig.len ? buf_str(&sig) : NULL);
    buf_release(&sig);
}

static void sections(struct sink *out, const struct report *r)
{
    for (size_t i = 0; i < r->n_sections; i++) {
        const struct report_section *s = &r->sections[i];
        sink_puts(out, "\n## ");
        md_inline(out, s->title);
        sink_puts(out, "\n\n");
        if (s->text) {
            md_block(out, s->text);
        } else {
            sink_printf(out, "_Not written yet%s. ", s->required ? " (required)" : "");
            md_inline(out, s->prompt);
            sink_puts(out, "_\n");
        }
    }
}

static void timeline(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Timeline entries\n\n");
    if (r->n_timeline == 0) {
        sink_printf(out, "_No timeline entries yet (hindsight timeline %s add ...)._\n", r->key);
        return;
    }
    sink_puts(out, "| Time | Kind | What |\n| --- | --- | --- |\n");
    for (size_t i = 0; i < r->n_timeline; i++) {
        const struct timeline_entry *t = &r->timeline[i];
        char ts[TIME_STR_MAX];
        sink_printf(out, "| %s | %s | ", time_format_rfc3339(t->at, ts),
                    timeline_kind_name(t->kind));
        md_inline(out, t->text);
        sink_puts(out, " |\n");
    }
}

static void figures(struct sink *out, const struct report *r, const struct report_figures *f)
{
    if (!f) {
        sink_printf(out, "\n_Charts are drawn with hindsight report %s --out DIR, or --format "
                         "html._\n", r->key);
        return;
    }
    for (size_t i = 0; i < f->n; i++) {
        sink_puts(out, "\n### ");
        md_inline(out, f->figs[i].heading);
        sink_puts(out, "\n\n![");
        /* alt text: brackets would end it early */
        for (const char *s = f->figs[i].alt; *s; s++)
            sink_write(out, *s == '[' || *s == ']' ? " " : s, 1);
        sink_printf(out, "](%s)\n", f->figs[i].file);
    }
    if (f->n_notes)
        sink_puts(out, "\nNot drawn:\n\n");
    for (size_t i = 0; i < f->n_notes; i++) {
        sink_puts(out, "- ");
        md_inline(out, f->notes[i]);
        sink_puts(out, "\n");
    }
}

static void diagnosis(struct sink *out, const struct report *r, const struct report_figures *f)
{
    sink_puts(out, "\n## Diagnosis\n\n");
    if (r->n_findings == 0)
        sink_printf(out, "_No analysis yet (hindsight analyze %s)._\n", r->key);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct report_finding *fd = &r->findings[i];
        sink_printf(out, "%zu. **F-%zu** (%s, score %.2f): ", i + 1, i + 1, fd->kind, fd->score);
        md_inline(out, fd->text);
        sink_puts(out, "\n");
    }
    figures(out, r, f);
}

static void hypotheses(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Hypotheses\n\n");
    if (r->n_hypotheses == 0) {
        sink_printf(out, "_No hypotheses yet (hindsight hypothesis add %s TEXT)._\n", r->key);
        return;
    }
    for (size_t i = 0; i < r->n_hypotheses; i++) {
        const struct hypothesis *h = &r->hypotheses[i];
        struct hypo_score s = hypothesis_score(h, r->evidence, r->n_evidence);
        char key[32];
        hypothesis_key(h->id, key);
        sink_printf(out, "%s### %zu. %s: ", i ? "\n" : "", i + 1, key);
        md_inline(out, h->text);
        sink_printf(out, "\n\nStatus %s, score %.1f = 40 x prior %.2f (likelihood %d x impact "
                         "%d / 25) + 40 x evidence %.2f (%.2g for, %.2g against) + 20 x share "
                         "%.2f.",
                    hypo_status_name(h->status), s.total, s.prior, h->likelihood, h->impact,
                    (s.balance + 1) / 2, s.supporting, s.refuting, s.share);
        if (h->owner) {
            sink_puts(out, " Owner ");
            md_inline(out, h->owner);
            sink_puts(out, ".");
        }
        sink_puts(out, "\n");
        bool any = false;
        for (size_t k = 0; k < r->n_evidence; k++) {
            const struct evidence *e = &r->evidence[k];
            if (e->hypothesis_id != h->id)
                continue;
            if (!any)
                sink_puts(out, "\n");
            any = true;
            const char *what = e->kind == EV_QUERY ? e->query
                               : e->kind == EV_FILE ? e->file_name : e->note;
            sink_printf(out, "- E-%lld %s (%s): ", (long long)e->id,
                        e->supports ? "supports" : "refutes", evidence_kind_name(e->kind));
            md_inline(out, what);
            if (e->kind != EV_NOTE && e->note) {
                sink_puts(out, " - ");
                md_inline(out, e->note);
            }
            sink_puts(out, "\n");
        }
    }
}

static void actions(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Action item tracker\n\n");
    if (r->n_actions == 0) {
        sink_printf(out, "_No action items yet (hindsight action add %s TEXT ...)._\n", r->key);
        return;
    }
    sink_puts(out, "| Id | Priority | Action | Kind | Owner | Due | Status | Success criterion "
                   "| Depends on |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < r->n_actions; i++) {
        const struct action *a = &r->actions[i].action;
        char key[32], ts[TIME_STR_MAX];
        action_key(a->id, key);
        sink_printf(out, "| %s | %s | ", key, action_priority_label(r->actions[i].priority));
        md_inline(out, a->text);
        sink_printf(out, " | %s | ", action_kind_name(a->kind));
        md_inline(out, a->owner ? a->owner : "-");
        sink_printf(out, " | %s%s | %s%s | ",
                    a->due_at == TIME_UNSET ? "-" : time_format_rfc3339(a->due_at, ts),
                    r->actions[i].overdue ? " (overdue)" : "", action_status_name(a->status),
                    r->actions[i].blocked ? " (blocked)" : "");
        if (a->success.expr) {
            char *st = success_text(&a->success);
            md_inline(out, st);
            free(st);
        } else if (a->no_success_reason) {
            sink_puts(out, "none: ");
            md_inline(out, a->no_success_reason);
        } else {
            sink_puts(out, "-");
        }
        sink_puts(out, " | ");
        for (size_t k = 0; k < a->n_depends; k++)
            sink_printf(out, "%sA-%lld", k ? ", " : "", (long long)a->depends_on[k]);
        sink_printf(out, "%s |\n", a->n_depends ? "" : "-");
    }
    if (r->n_critical == 0) {
        sink_puts(out, "\nCritical path: none (every action is closed).\n");
        return;
    }
    sink_puts(out, "\nCritical path:");
    for (size_t i = 0; i < r->n_critical; i++)
        sink_printf(out, "%s A-%lld", i ? " ->" : "", (long long)r->critical[i]);
    sink_printf(out, " (effort %d).\n", r->critical_effort);
}

static void checklist(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Checklist\n\n");
    for (int s = 0; s < STAGE__COUNT; s++) {
        const struct report_check *c = &r->checklist[s];
        char ts[TIME_STR_MAX];
        sink_printf(out, "- [%s] %s: ", c->done ? "x" : " ", stage_name(c->stage));
        if (c->done) {
            sink_printf(out, "done %s", time_format_rfc3339(c->done_at, ts));
            if (c->done_by) {
                sink_puts(out, " by ");
                md_inline(out, c->done_by);
            }
        } else if (c->holds) {
            sink_puts(out, "ready to be marked done");
        } else {
            sink_puts(out, "missing: ");
            md_inline(out, c->missing);
        }
        sink_puts(out, "\n");
    }
}

static void decisions(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Decisions\n\n");
    if (r->n_decisions == 0) {
        sink_printf(out, "_No decisions recorded yet (hindsight decide %s TEXT)._\n", r->key);
        return;
    }
    for (size_t i = 0; i < r->n_decisions; i++) {
        const struct report_decision *d = &r->decisions[i];
        char ts[TIME_STR_MAX];
        sink_printf(out, "- %s", time_format_rfc3339(d->at, ts));
        if (d->actor) {
            sink_puts(out, " (");
            md_inline(out, d->actor);
            sink_puts(out, ")");
        }
        sink_puts(out, ": ");
        md_inline(out, d->text);
        sink_puts(out, "\n");
    }
}

static void experiments(struct sink *out, const struct report *r)
{
    sink_puts(out, "\n## Experiments\n\n");
    if (r->n_experiments == 0) {
        sink_puts(out, "_No experiments yet (hindsight experiment add ...)._\n");
        return;
    }
    for (size_t i = 0; i < r->n_experiments; i++) {
        const struct report_experiment *x = &r->experiments[i];
        sink_printf(out, "- Experiment %lld: ", (long long)x->id);
        md_inline(out, x->text);
        sink_printf(out, ": effect %+.4g (95%% CI %+.4g to %+.4g); ", x->effect, x->ci_low,
                    x->ci_high);
        if (x->valid)
            sink_printf(out, "%s, p = %.4g, %s at 5%%\n", x->test ? x->test : "test", x->p_value,
                        x->significant ? "significant" : "not significant");
        else
            sink_printf(out, "%s: not enough data for a test\n", x->test ? x->test : "test");
    }
}

void render_report_md(struct sink *out, const struct report *r,
                      const struct report_figures *figs)
{
    sink_printf(out, "# %s: ", r->key);
    md_inline(out, r->inc.title);
    sink_puts(out, "\n\n");
    if (r->inc.summary) {
        md_block(out, r->inc.summary);
        sink_puts(out, "\n");
    }
    facts(out, r);
    sections(out, r);
    timeline(out, r);
    diagnosis(out, r, figs);
    hypotheses(out, r);
    actions(out, r);
    checklist(out, r);
    decisions(out, r);
    experiments(out, r);
}
