/* verify.c: "did the fix work?" as text and JSON (verify.h). The narrative follows the shape
 * of CausalImpact's report (average, cumulative, after the fix, significance, chance) in our
 * own words, written from the same numbers the JSON carries. */
#include "render/verify.h"

#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- results ---- */

void verify_result_init(struct verify_result *r)
{
    memset(r, 0, sizeof(*r));
    r->met = MET_UNKNOWN;
    r->criterion_value = r->r2 = r->holdout_coverage = r->placebo_rate = r->delta = NAN;
    r->crit_from = r->crit_to = r->base_from = r->base_to = TIME_UNSET;
    r->post.from = r->post.to = r->incident.from = r->incident.to = TIME_UNSET;
}

void verify_result_release(struct verify_result *r)
{
    free(r->text);
    free(r->criterion);
    free(r->criterion_reason);
    free(r->verdict_reason);
    free(r->error);
    free(r->apply_reason);
    for (size_t i = 0; i < r->n_controls; i++)
        free(r->controls[i].expr);
    free(r->controls);
    strlist_release(&r->notes);
    verify_result_init(r);
}

void verify_results_free(struct verify_result *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        verify_result_release(&list[i]);
    free(list);
}

/* ---- JSON ---- */

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *time_json(int64_t ms)
{
    char t[TIME_STR_MAX];
    return ms == TIME_UNSET ? json_null() : json_string(time_format_rfc3339(ms, t));
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *effect_json(const struct verify_effect *f)
{
    if (!f->valid)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "point", num(f->point));
    json_object_set_new(o, "ci_low", num(f->ci_low));
    json_object_set_new(o, "ci_high", num(f->ci_high));
    json_object_set_new(o, "cumulative", num(f->cumulative));
    json_object_set_new(o, "cumulative_ci_low", num(f->cum_low));
    json_object_set_new(o, "cumulative_ci_high", num(f->cum_high));
    json_object_set_new(o, "relative", num(f->relative));
    json_object_set_new(o, "relative_ci_low", num(f->rel_low));
    json_object_set_new(o, "relative_ci_high", num(f->rel_high));
    json_object_set_new(o, "tost_ci_low", num(f->tost_low));
    json_object_set_new(o, "tost_ci_high", num(f->tost_high));
    json_object_set_new(o, "actual", num(f->actual));
    json_object_set_new(o, "predicted", num(f->predicted));
    json_object_set_new(o, "p_value", num(f->p_value));
    json_object_set_new(o, "p_one_sided", num(f->p_one_sided));
    json_object_set_new(o, "mde", num(f->mde));
    json_object_set_new(o, "buckets", json_integer((json_int_t)f->buckets));
    json_object_set_new(o, "from", time_json(f->from));
    json_object_set_new(o, "to", time_json(f->to));
    return o;
}

static json_t *window_json(int64_t from, int64_t to)
{
    if (from == TIME_UNSET)
        return json_null();
    return json_pack("{s:o, s:o}", "from", time_json(from), "to", time_json(to));
}

static json_t *met_json(enum verify_met m)
{
    return m == MET_UNKNOWN ? json_null() : json_boolean(m == MET_YES);
}

static json_t *model_json(const struct verify_result *r)
{
    json_t *controls = json_array();
    for (size_t i = 0; i < r->n_controls; i++)
        json_array_append_new(controls, json_pack("{s:s, s:o}", "expr", r->controls[i].expr,
                                                  "correlation",
                                                  num(r->controls[i].correlation)));
    return json_pack("{s:b, s:b, s:o, s:I}", "seasonal", r->seasonal, "trend", r->trend,
                     "controls", controls, "baseline_buckets", (json_int_t)r->base_buckets);
}

static json_t *result_json(const struct verify_result *r)
{
    char d[DURATION_STR_MAX];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "text", str_or_null(r->text));
    json_object_set_new(o, "status", str_or_null(r->status));
    json_object_set_new(o, "criterion", str_or_null(r->criterion));
    json_object_set_new(o, "criterion_met", met_json(r->met));
    json_object_set_new(o, "criterion_value", num(r->criterion_value));
    json_object_set_new(o, "criterion_reason", str_or_null(r->criterion_reason));
    json_object_set_new(o, "criterion_window", window_json(r->crit_from, r->crit_to));
    json_object_set_new(o, "verdict", str_or_null(r->verdict));
    json_object_set_new(o, "verdict_reason", str_or_null(r->verdict_reason));
    json_object_set_new(o, "error", str_or_null(r->error));
    json_object_set_new(o, "effect", effect_json(&r->post));
    json_object_set_new(o, "incident_effect", effect_json(&r->incident));
    json_object_set_new(o, "p_value", num(r->post.valid ? r->post.p_value : NAN));
    json_object_set_new(o, "p_one_sided", num(r->post.valid ? r->post.p_one_sided : NAN));
    json_object_set_new(o, "placebo_rate", num(r->placebo_rate));
    json_object_set_new(o, "placebo", json_pack("{s:I, s:I}", "runs", (json_int_t)r->placebos,
                                                 "hits", (json_int_t)r->placebo_hits));
    json_object_set_new(o, "r2", num(r->r2));
    json_object_set_new(o, "holdout_coverage", num(r->holdout_coverage));
    json_object_set_new(o, "delta", num(r->delta));
    json_object_set_new(o, "degraded", json_string(r->degraded < 0 ? "down" : r->degraded > 0
                                                                           ? "up" : "either"));
    json_object_set_new(o, "alpha", num(r->alpha));
    json_object_set_new(o, "bucket", r->bucket_ms ? json_string(time_format_duration_exact(
                                                        r->bucket_ms, d)) : json_null());
    json_object_set_new(o, "baseline", window_json(r->base_from, r->base_to));
    json_object_set_new(o, "incident", window_json(r->incident.from, r->incident.to));
    json_object_set_new(o, "post", window_json(r->post.from, r->post.to));
    json_object_set_new(o, "model", r->bucket_ms ? model_json(r) : json_null());
    json_t *notes = json_array();
    for (size_t i = 0; i < r->notes.n; i++)
        json_array_append_new(notes, json_string(r->notes.items[i]));
    json_object_set_new(o, "notes", notes);
    json_object_set_new(o, "applied", json_boolean(r->applied));
    json_object_set_new(o, "apply_reason", str_or_null(r->apply_reason));
    return o;
}

json_t *verify_to_json(const struct verify_result *list, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, result_json(&list[i]));
    return json_pack("{s:o}", "actions", arr);
}

/* ---- text ---- */

static void criterion_lines(struct sink *out, const struct verify_result *r)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
    if (!r->criterion) {
        sink_printf(out, "  criterion    none: %s\n", r->criterion_reason);
        return;
    }
    sink_printf(out, "  criterion    %s\n", r->criterion);
    if (r->crit_from != TIME_UNSET) {
        sink_printf(out, "               %s to %s: ", time_format_rfc3339(r->crit_from, t1),
                    time_format_rfc3339(r->crit_to, t2));
        if (isfinite(r->criterion_value))
            sink_printf(out, "%.4g%s", r->criterion_value, r->met == MET_UNKNOWN ? " so far"
                                                                                   : "");
        sink_printf(out, "%s%s\n", isfinite(r->criterion_value) ? " -> " : "",
                    r->met == MET_YES ? "met" : r->met == MET_NO ? "not met" : "unknown");
    }
    if (r->met == MET_UNKNOWN && r->criterion_reason)
        sink_printf(out, "               %s\n", r->criterion_reason);
}

static void effect_line(struct sink *out, const char *label, const struct verify_effect *f,
                        const char *bucket, double alpha)
{
    int pct = (int)lround(100 * (1 - alpha));
    sink_printf(out, "  %-12s %+.4g per %s bucket (%d%% CI %+.4g to %+.4g)", label, f->point,
                bucket, pct, f->ci_low, f->ci_high);
    if (isfinite(f->relative))
        sink_printf(out, ", %+.1f%%", 100 * f->relative);
    sink_printf(out, "; cumulative %+.4g over %zu buckets; p %.3g\n", f->cumulative, f->buckets,
                f->p_value);
}

static void model_lines(struct sink *out, const struct verify_result *r, const char *bucket)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
    if (r->placebos)
        sink_printf(out, "  placebo      %zu of %zu pseudo-interventions in the baseline found an "
                    "effect (%.0f%%)%s\n", r->placebo_hits, r->placebos, 100 * r->placebo_rate,
                    r->placebo_rate > 2 * r->alpha ? ": more than twice alpha, the intervals "
                                                     "are too narrow for this series" : "");
    sink_printf(out, "  model        baseline %s to %s, %zu buckets of %s with a value\n",
                time_format_rfc3339(r->base_from, t1), time_format_rfc3339(r->base_to, t2),
                r->base_buckets, bucket);
    if (!isfinite(r->r2))
        return;
    sink_printf(out, "               level%s%s", r->trend ? " + trend" : "",
                r->seasonal ? " + hour of day" : "");
    if (r->n_controls)
        sink_printf(out, " + %zu control%s", r->n_controls, r->n_controls > 1 ? "s" : "");
    sink_printf(out, "; R2 %.2f", r->r2);
    if (isfinite(r->holdout_coverage))
        sink_printf(out, "; holdout coverage %.0f%%", 100 * r->holdout_coverage);
    sink_printf(out, "\n");
    for (size_t i = 0; i < r->n_controls; i++)
        sink_printf(out, "               control %s (correlation %.2f)\n", r->controls[i].expr,
                    r->controls[i].correlation);
}

/* The significance paragraph, chosen by the verdict. */
static void verdict_paragraph(struct sink *out, const struct verify_result *r)
{
    const struct verify_effect *p = &r->post;
    if (!strcmp(r->verdict, "recovered"))
        sink_printf(out, "  The residual is within the tolerance of +-%.4g with %.0f%% confidence "
                    "(two one-sided tests): the metric is back where the baseline says it "
                    "would be without the incident.", r->delta, 100 * (1 - 2 * r->alpha));
    else if (!strcmp(r->verdict, "not_recovered"))
        sink_printf(out, "  The residual is clear of zero on the side the incident pushed: the "
                    "metric has not come back. Before acting on it, check that the controls "
                    "and the baseline were not themselves unusual: an expectation set too high "
                    "makes a fix look worse than it is.");
    else
        sink_printf(out, "  The residual can neither be told apart from zero nor shown to be "
                    "small: %zu buckets after the fix detect an average effect of about %.3g. "
                    "The usual causes are a short window, a noisy metric or weak controls; "
                    "wait for more data.", p->buckets, p->mde);
    sink_printf(out, " The chance of a residual at least this large from noise alone is p = "
                "%.3g (two-sided; one-sided tail area %.3g).", p->p_value, p->p_one_sided);
    if (r->placebos)
        sink_printf(out, " In the placebo run the method found an effect where there was none "
                    "in %zu of %zu tries.", r->placebo_hits, r->placebos);
    sink_printf(out, "\n");
}

static void narrative(struct sink *out, const struct verify_result *r, const char *bucket)
{
    const struct verify_effect *i = &r->incident, *p = &r->post;
    int pct = (int)lround(100 * (1 - r->alpha));
    sink_printf(out, "\n");
    if (i->valid)
        sink_printf(out, "  During the incident the metric averaged %.4g per %s bucket where the "
                    "model expected %.4g without it: an effect of %+.4g (%d%% CI %+.4g to "
                    "%+.4g)%s. Summed over its %zu buckets that is %+.4g (%+.4g to %+.4g); a "
                    "sum means something only for counts, not for rates or averages.\n",
                    i->actual, bucket, i->predicted, i->point, pct, i->ci_low, i->ci_high,
                    i->ci_high < 0 || i->ci_low > 0 ? ", clear of zero" : ", not clear of zero",
                    i->buckets, i->cumulative, i->cum_low, i->cum_high);
    if (p->valid) {
        sink_printf(out, "  After the fix the metric averaged %.4g against an expected %.4g: a "
                    "residual of %+.4g (%d%% CI %+.4g to %+.4g)", p->actual, p->predicted,
                    p->point, pct, p->ci_low, p->ci_high);
        if (isfinite(p->relative))
            sink_printf(out, ", %+.1f%% of the expectation", 100 * p->relative);
        sink_printf(out, ".\n");
        verdict_paragraph(out, r);
    }
}

static void render_one(struct sink *out, const struct verify_result *r)
{
    char bucket[DURATION_STR_MAX] = "-";
    if (r->bucket_ms)
        time_format_duration_exact(r->bucket_ms, bucket);
    sink_printf(out, "%s  %s  [%s]\n", r->id, r->text ? r->text : "", r->status);
    criterion_lines(out, r);
    if (r->error)
        sink_printf(out, "  error        %s\n", r->error);
    if (r->incident.valid)
        effect_line(out, "incident", &r->incident, bucket, r->alpha);
    if (r->post.valid)
        effect_line(out, "after fix", &r->post, bucket, r->alpha);
    if (r->bucket_ms && r->base_from != TIME_UNSET)
        model_lines(out, r, bucket);
    sink_printf(out, "  verdict      %s", r->verdict ? r->verdict : "none");
    if (r->verdict_reason)
        sink_printf(out, ": %s", r->verdict_reason);
    sink_printf(out, "\n");
    for (size_t i = 0; i < r->notes.n; i++)
        sink_printf(out, "  note         %s\n", r->notes.items[i]);
    if (r->applied)
        sink_printf(out, "  applied      moved to verified\n");
    else if (r->apply_reason)
        sink_printf(out, "  not applied  %s\n", r->apply_reason);
    if (r->verdict)
        narrative(out, r, bucket);
}

void render_verify(struct sink *out, const struct verify_result *list, size_t n)
{
    if (!n)
        sink_printf(out, "no action with a success criterion to verify\n");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sink_printf(out, "\n");
        render_one(out, &list[i]);
    }
}
