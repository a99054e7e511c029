/* process_audit.c: the process audit's findings as text, Markdown and JSON
 * (render/process_audit.h). */
#include "render/process_audit.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "render/report_md.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *heading;
} kinds[AUDIT__COUNT] = {
    {"thin_section", "Template sections most often left thin"},
    {"no_success_criterion", "Actions without a success criterion"},
    {"no_update", "Owners who left no update"},
    {"postmortem_overdue", "Postmortems past due"},
    {"unused_source", "Evidence sources never used"},
    {"feedback", "Participants' comments, lowest rated first"},
};

const char *audit_kind_name(enum audit_kind k)
{
    return k < AUDIT__COUNT ? kinds[k].name : "";
}

struct audit_finding *process_audit_add(struct process_audit *p, enum audit_kind kind,
                                        const char *text, size_t count)
{
    xgrow((void **)&p->findings, &p->cap, p->n + 1, sizeof(*p->findings));
    struct audit_finding *f = &p->findings[p->n++];
    *f = (struct audit_finding){kind, xstrdup(text), count, STRLIST_INIT};
    return f;
}

void process_audit_release(struct process_audit *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->findings[i].text);
        strlist_release(&p->findings[i].records);
    }
    free(p->findings);
    memset(p, 0, sizeof(*p));
}

static size_t count_of(const struct process_audit *p, enum audit_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->findings[i].kind == k;
    return n;
}

static void intro(struct sink *out, const struct process_audit *p, bool md)
{
    char d[DURATION_STR_MAX];
    sink_printf(out, "%s%zu finding%s. Thin: a section missing or under %zu words, in the %zu "
                "postmortem%s written so far; no update: open for %s without a note or change.\n",
                md ? "# Process audit\n\n" : "Process audit: ", p->n, p->n == 1 ? "" : "s",
                p->thin_words, p->postmortems, p->postmortems == 1 ? "" : "s",
                time_format_duration(p->stalled_ms, d));
}

void render_process_audit_text(struct sink *out, const struct process_audit *p)
{
    intro(out, p, false);
    for (int k = 0; k < AUDIT__COUNT; k++) {
        sink_printf(out, "\n%s (%zu)\n", kinds[k].heading, count_of(p, (enum audit_kind)k));
        for (size_t i = 0; i < p->n; i++) {
            const struct audit_finding *f = &p->findings[i];
            if (f->kind != (enum audit_kind)k)
                continue;
            char *records = strlist_join(&f->records, ", ");
            sink_printf(out, "  - %s\n    records: %s\n", f->text, *records ? records : "-");
            free(records);
        }
        if (count_of(p, (enum audit_kind)k) == 0)
            sink_puts(out, "  none\n");
    }
}

void render_process_audit_md(struct sink *out, const struct process_audit *p)
{
    intro(out, p, true);
    for (int k = 0; k < AUDIT__COUNT; k++) {
        sink_printf(out, "\n## %s\n\n", kinds[k].heading);
        if (count_of(p, (enum audit_kind)k) == 0) {
            sink_puts(out, "None.\n");
            continue;
        }
        sink_puts(out, "| finding | count | records |\n| --- | ---: | --- |\n");
        for (size_t i = 0; i < p->n; i++) {
            const struct audit_finding *f = &p->findings[i];
            if (f->kind != (enum audit_kind)k)
                continue;
            char *records = strlist_join(&f->records, ", ");
            sink_puts(out, "| ");
            md_inline(out, f->text);
            sink_printf(out, " | %zu | ", f->count);
            md_inline(out, records);
            sink_puts(out, " |\n");
            free(records);
        }
    }
}

json_t *process_audit_to_json(const struct process_audit *p)
{
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "postmortems", json_integer((json_int_t)p->postmortems));
    json_object_set_new(o, "thin_words", json_integer((json_int_t)p->thin_words));
    json_object_set_new(o, "stalled_after_s", json_integer((json_int_t)(p->stalled_ms / 1000)));
    for (size_t i = 0; i < p->n; i++) {
        const struct audit_finding *f = &p->findings[i];
        json_t *recs = json_array();
        for (size_t k = 0; k < f->records.n; k++)
            json_array_append_new(recs, json_string(f->records.items[k]));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:o}", "kind",
                                             audit_kind_name(f->kind), "text", f->text, "count",
                                             (json_int_t)f->count, "records", recs));
    }
    json_object_set_new(o, "findings", arr);
    return o;
}
