/* verify_controls.c: the control series of `hindsight verify` (docs/verify.md, "Controls"):
 * the criterion's expression for the part of the traffic the incident did not touch, kept
 * when it has data, differs from the target and did not move during the incident itself. */
#include "app/verify_internal.h"

#include "core/buf.h"

#include "core/xalloc.h"
#include "query/ast.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- controls ---- */

static bool field_in(const char *field, const struct strlist *keys)
{
    return field && strlist_contains(keys, field);
}

static bool cond_mentions(const struct qcond *c, const struct strlist *keys)
{
    if (!c)
        return false;
    if (c->kind == C_CMP || c->kind == C_IN)
        return field_in(c->field, keys);
    return cond_mentions(c->a, keys) || cond_mentions(c->b, keys);
}

/* Removes the tests on keys from the conjunctions of c (returns what is left, NULL when
 * nothing). A key tested under 'or' or 'not' cannot be removed cleanly: *blocked is set. */
static struct qcond *strip_keys(struct qcond *c, const struct strlist *keys, bool *blocked)
{
    if (!c)
        return NULL;
    if (c->kind == C_AND) {
        c->a = strip_keys(c->a, keys, blocked);
        c->b = strip_keys(c->b, keys, blocked);
        if (c->a && c->b)
            return c;
        struct qcond *rest = c->a ? c->a : c->b;
        c->a = c->b = NULL;
        qcond_free(c);
        return rest;
    }
    if ((c->kind == C_CMP || c->kind == C_IN) && field_in(c->field, keys)) {
        qcond_free(c);
        return NULL;
    }
    if (cond_mentions(c, keys))
        *blocked = true;
    return c;
}

static void strip_tree(struct qnode *n, const struct strlist *keys, bool *blocked)
{
    if (!n)
        return;
    if (n->kind == Q_BINARY) {
        strip_tree(n->left, keys, blocked);
        strip_tree(n->right, keys, blocked);
        return;
    }
    n->where = strip_keys(n->where, keys, blocked);
}

static bool plain_name(const char *s)
{
    static const char *const words[] = {"where", "and", "or", "not", "in"};
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        if (strcasecmp(s, words[i]) == 0)
            return false;
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '$' || *p == '.'))
            return false;
    return true;
}

/* "(stripped) where key != 'value'" with the name and the text quoted as the language wants. */
static char *control_text(const char *stripped, const char *key, const char *value)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "(%s) where ", stripped);
    if (plain_name(key)) {
        buf_puts(&b, key);
    } else {
        buf_putc(&b, '`');
        for (const char *p = key; *p; p++)
            if (*p != '`')
                buf_putc(&b, *p);
        buf_putc(&b, '`');
    }
    buf_puts(&b, " != '");
    for (const char *p = value; *p; p++) {
        if (*p == '\'')
            buf_putc(&b, '\'');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '\'');
    return buf_detach(&b);
}

/* The control expressions: the target without its filters on the incident's segment keys,
 * restricted to the traffic outside each segment key's value ("platform != 'android'"), one
 * per key. */
static void control_texts(struct verify_ctx *c, const struct incident *inc, const char *expr,
                          struct verify_result *r, struct strlist *ret)
{
    struct strlist keys = STRLIST_INIT, values = STRLIST_INIT;
    for (size_t i = 0; i < inc->segments.n; i++) {
        const char *seg = inc->segments.items[i], *eq = strchr(seg, '=');
        if (!eq)
            continue;
        char *key = xstrndup(seg, (size_t)(eq - seg));
        if (strlist_add_unique(&keys, key))
            strlist_push(&values, eq + 1);
        free(key);
    }
    if (!keys.n) {
        verify_note(r, "no control series: the incident names no segments (incident update --segment "
             "key=value)");
        goto done;
    }
    struct err e = ERR_INIT;
    struct qnode *tree = query_expand_text(c->a->store, expr, &e);
    bool blocked = false;
    if (tree)
        strip_tree(tree, &keys, &blocked);
    if (!tree || blocked) {
        verify_note(r, "no control series: the expression tests the incident's segment inside 'or' or "
             "'not', so the untouched traffic cannot be separated");
        query_free(tree);
        goto done;
    }
    char *stripped = query_to_text(tree);
    for (size_t k = 0; k < keys.n && ret->n < CF_MAX_CONTROLS; k++) {
        char *t = control_text(stripped, keys.items[k], values.items[k]);
        strlist_add_unique(ret, t);
        free(t);
    }
    free(stripped);
    query_free(tree);
done:
    strlist_release(&keys);
    strlist_release(&values);
}

static double correlation(const double *a, const double *b, size_t from, size_t to)
{
    double sa = 0, sb = 0, n = 0;
    for (size_t i = from; i < to; i++)
        if (isfinite(a[i]) && isfinite(b[i]))
            sa += a[i], sb += b[i], n++;
    if (n < 3)
        return NAN;
    double ma = sa / n, mb = sb / n, cab = 0, caa = 0, cbb = 0;
    for (size_t i = from; i < to; i++)
        if (isfinite(a[i]) && isfinite(b[i])) {
            cab += (a[i] - ma) * (b[i] - mb);
            caa += (a[i] - ma) * (a[i] - ma);
            cbb += (b[i] - mb) * (b[i] - mb);
        }
    return caa > 0 && cbb > 0 ? cab / sqrt(caa * cbb) : NAN;
}

static bool same_on(const double *a, const double *b, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (isnan(a[i]) != isnan(b[i]))
            return false;
        if (!isnan(a[i]) && fabs(a[i] - b[i]) > 1e-12 * fmax(1.0, fabs(a[i])))
            return false;
    }
    return true;
}

/* The control's own effect during the incident, tested like the target's (two-sided p), or
 * NAN when it cannot be modelled. */
static double control_moved_p(const struct verify_ctx *c, const struct cf_input *target,
                              const double *x, const struct windows *w)
{
    if (w->i1 <= w->i0)
        return 1.0;
    struct cf_input in = *target;
    in.y = x;
    in.x = NULL;
    in.k = 0;
    struct cf_model m;
    if (cf_fit(&in, &m, NULL) < 0)
        return NAN;
    struct cf_params p = c->params;
    p.replicates = p.placebo_replicates;
    struct cf_effect f;
    double pv = NAN;
    if (cf_effect(&m, &in, &p, w->i0, w->i1, STREAM_INCIDENT, &f, NULL) == ERR_OK && f.m)
        pv = f.p_two_sided;
    cf_model_release(&m);
    return pv;
}

/* Keeps a control when it has data, differs from the target, and did not move during the
 * incident itself (which would make it part of the impact, not a comparison). */
static bool control_usable(const struct verify_ctx *c, const struct cf_input *target,
                           const struct series_data *x, const struct windows *w,
                           const char *text, struct verify_result *r)
{
    size_t lo = w->b0, hi = w->b1;
    if (w->i1 > hi)
        hi = w->i1;
    if (w->p1 > hi)
        hi = w->p1;
    if (x->n != target->n) {
        verify_note(r, "control '%s' left out: its buckets do not line up", text);
        return false;
    }
    if ((double)count_empty(x->y, lo, hi) > CONTROL_MAX_EMPTY * (double)(hi - lo)) {
        verify_note(r, "control '%s' left out: more than %.0f%% of its buckets are empty", text,
             100 * CONTROL_MAX_EMPTY);
        return false;
    }
    if (same_on(x->y, target->y, w->b0, w->b1)) {
        verify_note(r, "control '%s' left out: it equals the target on the baseline (the segment "
             "filter does not apply to it)", text);
        return false;
    }
    double p = control_moved_p(c, target, x->y, w);
    if (isnan(p) || p < CONTROL_MOVED_P) {
        if (isnan(p))
            verify_note(r, "control '%s' left out: it cannot be modelled on the baseline", text);
        else
            verify_note(r, "control '%s' left out: it moved during the incident itself (p %.3g)",
                 text, p);
        return false;
    }
    return true;
}



void controls_release(struct controls *cs)
{
    for (size_t j = 0; j < cs->k; j++)
        free(cs->x[j]);
    free(cs->x);
    memset(cs, 0, sizeof(*cs));
}

int read_controls(struct verify_ctx *c, const struct incident *inc, const char *expr,
                         const struct cf_input *target, const struct windows *w,
                         const struct series_data *y, struct controls *ret,
                         struct verify_result *r, struct err *e)
{
    struct strlist texts = STRLIST_INIT;
    control_texts(c, inc, expr, r, &texts);
    ret->x = xcalloc(texts.n ? texts.n : 1, sizeof(double *));
    r->controls = xcalloc(texts.n ? texts.n : 1, sizeof(*r->controls));
    int rc = ERR_OK;
    for (size_t j = 0; j < texts.n; j++) {
        struct series_data x = {0};
        struct err qe = ERR_INIT;
        if ((rc = fetch(c->a, texts.items[j], w->span_from, w->span_to, y->bucket, &x, &qe)) < 0) {
            if (rc == ERR_INVALID) {
                verify_note(r, "control '%s' left out: %s", texts.items[j], qe.msg);
                rc = ERR_OK;
                continue;
            }
            *e = qe;
            break;
        }
        if (control_usable(c, target, &x, w, texts.items[j], r)) {
            struct verify_control *vc = &r->controls[r->n_controls++];
            vc->expr = xstrdup(texts.items[j]);
            vc->correlation = correlation(y->y, x.y, w->b0, w->b1);
            ret->x[ret->k++] = x.y;
            x.y = NULL;
        }
        series_data_release(&x);
    }
    strlist_release(&texts);
    return rc;
}
