/* trends.c: the incident trends across calendar periods (app/trends.h, docs/trends.md).
 *
 * Everything is read once into a history: every incident with its failure modes, the time its
 * postmortem reached review and whether it recurred; every action with its status moves from
 * the audit log; every incident's feedback. Each period is then computed from the history, so
 * the figures of one run share one reading of the store and one "now".
 *
 * Recurrence and fix efficacy look at the whole history, not only the --since/--until range:
 * an incident in January recurs because of one in December, and a fix verified last year still
 * counts as a fix this year. */
#include "app/trends.h"

#include "analytics/aggregate.h"
#include "core/xalloc.h"
#include "model/action_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODE_PREFIX "failure-mode:"

/* ======== periods ======== */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Year and month of a day count since 1970-01-01 (H. Hinnant's civil_from_days, exact for the
 * proleptic Gregorian calendar). */
static void civil_from_days(int64_t z, int64_t *ret_y, unsigned *ret_m)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *ret_y = yoe + era * 400 + (m <= 2);
    *ret_m = m;
}

void trend_period_of(int64_t t, enum trend_by by, int64_t *ret_from, int64_t *ret_to,
                     char label[16])
{
    int64_t y;
    unsigned m;
    civil_from_days(floor_div(t, MS_PER_DAY), &y, &m);
    unsigned first = by == TREND_QUARTER ? (m - 1) / 3 * 3 + 1 : m;
    unsigned next = first + (by == TREND_QUARTER ? 3 : 1);
    int64_t next_y = y + (next > 12);
    next = next > 12 ? next - 12 : next;
    *ret_from = time_days_from_civil(y, first, 1) * MS_PER_DAY;
    *ret_to = time_days_from_civil(next_y, next, 1) * MS_PER_DAY;
    char text[64]; /* years are 0000..9999 here; the room is for the compiler's proof */
    if (by == TREND_QUARTER)
        snprintf(text, sizeof(text), "%04lld-Q%u", (long long)y, (m - 1) / 3 + 1);
    else
        snprintf(text, sizeof(text), "%04lld-%02u", (long long)y, m);
    size_t len = strlen(text) < 15 ? strlen(text) : 15;
    memcpy(label, text, len);
    label[len] = '\0';
}

/* ======== the history ======== */

struct hact {
    struct action_history h; /* its status over time (model/action_history.h) */
    size_t inc;              /* index in history.incs; SIZE_MAX when the incident is gone */
};

struct hinc {
    struct strlist modes; /* failure-mode tag values, each once */
    int64_t review_at;    /* the move to review (or complete) after resolution, or TIME_UNSET */
    bool recurrent;
    long ratings[3];
    size_t n_feedback;
};

struct history {
    struct incident *incs;
    size_t n_incs;
    struct action *acts;
    size_t n_acts;
    struct hinc *hi;
    struct hact *ha;
};

static void history_release(struct history *h)
{
    for (size_t i = 0; h->hi && i < h->n_incs; i++)
        strlist_release(&h->hi[i].modes);
    for (size_t i = 0; h->ha && i < h->n_acts; i++)
        action_history_release(&h->ha[i].h);
    free(h->hi);
    free(h->ha);
    incidents_free(h->incs, h->n_incs);
    actions_free(h->acts, h->n_acts);
    memset(h, 0, sizeof(*h));
}

/* "INC-12": an incident's own record in its audit log. Any number is accepted: an imported
 * incident's log keeps the key the exporting store gave it. */
static bool is_incident_record(const char *record)
{
    if (!record || strncmp(record, "INC-", 4) != 0 || !record[4])
        return false;
    for (const char *p = record + 4; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static bool is_status_entry(const struct audit_entry *en)
{
    return en->field && strcmp(en->field, "status") == 0 && en->new_value;
}

static int read_log(struct app *a, struct history *h, size_t i, struct err *e)
{
    const struct incident *inc = &h->incs[i];
    struct audit_entry *log = NULL;
    size_t n_log = 0;
    int rc = store_audit_list(a->store, inc->id, &log, &n_log, e);
    if (rc < 0)
        return rc;
    int64_t resolved = inc->times[T_RESOLVED];
    h->hi[i].review_at = TIME_UNSET;
    for (size_t k = 0; resolved != TIME_UNSET && k < n_log; k++) {
        const struct audit_entry *en = &log[k];
        if (is_incident_record(en->record) && is_status_entry(en) &&
            (!strcmp(en->new_value, "review") || !strcmp(en->new_value, "complete")) &&
            en->at >= resolved && (h->hi[i].review_at == TIME_UNSET || en->at < h->hi[i].review_at))
            h->hi[i].review_at = en->at;
    }
    struct action_history **mine = xcalloc(h->n_acts ? h->n_acts : 1, sizeof(*mine));
    size_t n = 0;
    for (size_t k = 0; k < h->n_acts; k++)
        if (h->ha[k].inc == i)
            mine[n++] = &h->ha[k].h;
    action_histories_read(log, n_log, mine, n);
    free(mine);
    audit_entries_free(log, n_log);
    return ERR_OK;
}

static int read_feedback(struct app *a, struct history *h, size_t i, struct err *e)
{
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = store_feedback(a->store, h->incs[i].id, &rows, &n, e);
    if (rc < 0)
        return rc;
    for (size_t k = 0; k < n; k++)
        for (int r = 0; r < 3; r++)
            h->hi[i].ratings[r] += rows[k].ratings[r];
    h->hi[i].n_feedback = n;
    pm_rows_free(rows, n);
    return ERR_OK;
}

static bool shares_mode(const struct hinc *x, const struct hinc *y)
{
    for (size_t k = 0; k < x->modes.n; k++)
        if (strlist_contains(&y->modes, x->modes.items[k]))
            return true;
    return false;
}

/* Recurrent: a failure mode of the incident was on another that started in the lookback before
 * it (at the same instant, the lower key counts as earlier). */
static void mark_recurrences(struct history *h)
{
    for (size_t i = 0; i < h->n_incs; i++) {
        int64_t start = h->incs[i].times[T_STARTED];
        for (size_t j = 0; j < h->n_incs && !h->hi[i].recurrent; j++) {
            int64_t other = h->incs[j].times[T_STARTED];
            bool earlier = other < start || (other == start && h->incs[j].seq < h->incs[i].seq);
            if (j != i && earlier && other >= start - TRENDS_RECURRENCE_MS &&
                shares_mode(&h->hi[i], &h->hi[j]))
                h->hi[i].recurrent = true;
        }
    }
}

static int load(struct app *a, struct history *h, struct err *e)
{
    struct incident_filter f = INCIDENT_FILTER_INIT;
    int rc = store_incident_list(a->store, &f, &h->incs, &h->n_incs, e);
    if (rc == ERR_OK)
        rc = store_action_list(a->store, 0, NULL, &h->acts, &h->n_acts, e);
    if (rc < 0)
        return rc;
    h->hi = xcalloc(h->n_incs ? h->n_incs : 1, sizeof(*h->hi));
    h->ha = xcalloc(h->n_acts ? h->n_acts : 1, sizeof(*h->ha));
    for (size_t k = 0; k < h->n_acts; k++) {
        h->ha[k].h.act = &h->acts[k];
        h->ha[k].inc = SIZE_MAX;
        for (size_t i = 0; i < h->n_incs; i++)
            if (h->incs[i].id == h->acts[k].incident_id)
                h->ha[k].inc = i;
    }
    for (size_t i = 0; i < h->n_incs; i++) {
        const struct strlist *tags = &h->incs[i].tags;
        for (size_t k = 0; k < tags->n; k++)
            if (!strncmp(tags->items[k], MODE_PREFIX, strlen(MODE_PREFIX)))
                strlist_add_unique(&h->hi[i].modes, tags->items[k] + strlen(MODE_PREFIX));
    }
    for (size_t i = 0; rc == ERR_OK && i < h->n_incs; i++)
        if ((rc = read_log(a, h, i, e)) == ERR_OK)
            rc = read_feedback(a, h, i, e);
    if (rc == ERR_OK)
        mark_recurrences(h);
    return rc;
}

/* ======== one period ======== */

static void count_add(struct trend_count **list, size_t *n, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].name, name) == 0) {
            (*list)[i].n++;
            return;
        }
    xgrow((void **)list, cap, *n + 1, sizeof(**list));
    (*list)[(*n)++] = (struct trend_count){xstrdup(name), 1};
}

static int cmp_count(const void *pa, const void *pb)
{
    const struct trend_count *x = pa, *y = pb;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int64_t duration_of(const struct history *h, size_t i, enum trend_duration d)
{
    const struct incident *inc = &h->incs[i];
    switch (d) {
    case TD_DETECT: return incident_time_to_detect(inc);
    case TD_ACKNOWLEDGE: return incident_time_to_acknowledge(inc);
    case TD_MITIGATE: return incident_time_to_mitigate(inc);
    case TD_RESOLVE: return incident_time_to_resolve(inc);
    case TD_POSTMORTEM:
        return h->hi[i].review_at == TIME_UNSET || inc->times[T_RESOLVED] == TIME_UNSET
                   ? TIME_UNSET
                   : h->hi[i].review_at - inc->times[T_RESOLVED];
    case TD__COUNT: break;
    }
    return TIME_UNSET;
}

/* Incidents of the window: counts, breakdowns, durations, recurrence, feedback. */
static void period_incidents(const struct history *h, struct trend_period *p, int64_t from,
                             int64_t to)
{
    double *d[TD__COUNT];
    for (int k = 0; k < TD__COUNT; k++)
        d[k] = xcalloc(h->n_incs ? h->n_incs : 1, sizeof(double));
    size_t cap_s = 0, cap_m = 0;
    long ratings[3] = {0, 0, 0};
    for (size_t i = 0; i < h->n_incs; i++) {
        const struct incident *inc = &h->incs[i];
        int64_t start = inc->times[T_STARTED];
        if (start < from || start >= to)
            continue;
        p->incidents++;
        if (inc->severity >= SEV1 && inc->severity <= SEV_MAX)
            p->by_severity[inc->severity]++;
        for (size_t k = 0; k < inc->services.n; k++)
            count_add(&p->services, &p->n_services, &cap_s, inc->services.items[k]);
        for (size_t k = 0; k < h->hi[i].modes.n; k++)
            count_add(&p->modes, &p->n_modes, &cap_m, h->hi[i].modes.items[k]);
        p->without_mode += h->hi[i].modes.n == 0;
        for (int k = 0; k < TD__COUNT; k++) {
            int64_t ms = duration_of(h, i, (enum trend_duration)k);
            if (ms != TIME_UNSET && ms >= 0)
                d[k][p->n_measured[k]++] = (double)ms / 1000.0;
        }
        p->recurrent += h->hi[i].recurrent;
        for (int r = 0; r < 3; r++)
            ratings[r] += h->hi[i].ratings[r];
        p->feedback_count += h->hi[i].n_feedback;
    }
    for (int k = 0; k < TD__COUNT; k++) {
        p->median_s[k] = quantile_linear(d[k], p->n_measured[k], 0.5);
        p->p90_s[k] = quantile_linear(d[k], p->n_measured[k], 0.9);
        free(d[k]);
    }
    if (p->n_services > 1)
        qsort(p->services, p->n_services, sizeof(*p->services), cmp_count);
    if (p->n_modes > 1)
        qsort(p->modes, p->n_modes, sizeof(*p->modes), cmp_count);
    p->recurrence_rate = p->incidents ? (double)p->recurrent / (double)p->incidents : NAN;
    for (int r = 0; r < 3; r++)
        p->feedback[r] = p->feedback_count ? (double)ratings[r] / (double)p->feedback_count : NAN;
}

/* Actions opened and done in [from, to), done on time, and overdue at instant at. */
static void period_actions(const struct history *h, struct trend_period *p, int64_t from,
                           int64_t to, int64_t at)
{
    for (size_t k = 0; k < h->n_acts; k++) {
        const struct action *act = h->ha[k].h.act;
        p->actions_opened += act->created_at >= from && act->created_at < to;
        if (act->done_at != TIME_UNSET && act->done_at >= from && act->done_at < to) {
            p->actions_done++;
            p->actions_on_time += act->done_at <= act->due_at;
        }
        int64_t since;
        enum action_status s = action_status_at(&h->ha[k].h, at, &since);
        p->actions_overdue += s != AS__COUNT && !action_status_closed(s) && at > act->due_at;
    }
}

/* Fix efficacy at the window's end: each failure mode's latest fix verified by then, and
 * whether an incident with that mode started after it. */
static void period_fixes(const struct history *h, struct trend_period *p, int64_t end)
{
    struct strlist modes = STRLIST_INIT;
    int64_t *verified = NULL;
    for (size_t k = 0; k < h->n_acts; k++) {
        int64_t since;
        if (h->ha[k].inc == SIZE_MAX || action_status_at(&h->ha[k].h, end - 1, &since) != AS_VERIFIED)
            continue;
        const struct strlist *m = &h->hi[h->ha[k].inc].modes;
        for (size_t j = 0; j < m->n; j++) {
            size_t at = 0;
            while (at < modes.n && strcmp(modes.items[at], m->items[j]) != 0)
                at++;
            if (at == modes.n) {
                strlist_push(&modes, m->items[j]);
                verified = xreallocarray(verified, modes.n, sizeof(*verified));
                verified[at] = since;
            } else if (since > verified[at]) {
                verified[at] = since;
            }
        }
    }
    for (size_t j = 0; j < modes.n; j++) {
        bool recurred = false;
        for (size_t i = 0; i < h->n_incs && !recurred; i++) {
            int64_t start = h->incs[i].times[T_STARTED];
            recurred = start > verified[j] && start < end &&
                       strlist_contains(&h->hi[i].modes, modes.items[j]);
        }
        p->fixed_modes++;
        p->held_modes += !recurred;
    }
    p->fix_efficacy = p->fixed_modes ? (double)p->held_modes / (double)p->fixed_modes : NAN;
    free(verified);
    strlist_release(&modes);
}

/* ======== the range ======== */

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static bool in_range(const struct trends_query *q, int64_t t)
{
    return (q->since == TIME_UNSET || t >= q->since) && (q->until == TIME_UNSET || t < q->until);
}

/* The first and last instants the periods must cover; *ret_none when there is no period. */
static void range_of(const struct app *a, const struct trends_query *q, const struct history *h,
                     int64_t *ret_first, int64_t *ret_last, bool *ret_none)
{
    int64_t earliest = TIME_UNSET, latest = TIME_UNSET;
    for (size_t i = 0; i < h->n_incs; i++) {
        int64_t t = h->incs[i].times[T_STARTED];
        if (!in_range(q, t))
            continue;
        earliest = earliest == TIME_UNSET ? t : min64(earliest, t);
        latest = latest == TIME_UNSET ? t : max64(latest, t);
    }
    /* Past now, a period has no incidents yet: the periods end with now's (or with a later
     * incident's, started within the tolerance for clocks that run ahead). */
    int64_t last = latest == TIME_UNSET ? a->now : max64(a->now, latest);
    if (q->until != TIME_UNSET)
        last = min64(last, q->until - 1);
    int64_t first = q->since != TIME_UNSET ? q->since : earliest;
    *ret_none = first == TIME_UNSET || first > last;
    *ret_first = first;
    *ret_last = last;
}

static int check_span(const struct trends_query *q, int64_t first, int64_t last,
                      size_t *ret_n, struct err *e)
{
    size_t n = 0;
    int64_t from, to;
    char label[16], first_label[16];
    trend_period_of(first, q->by, &from, &to, first_label);
    for (int64_t t = first; t <= last; t = to) {
        trend_period_of(t, q->by, &from, &to, label);
        if (++n > TRENDS_PERIODS_MAX) {
            trend_period_of(last, q->by, &from, &to, label);
            return err_set(e, ERR_INVALID, "the range %s to %s has more than %d %ss; narrow it "
                           "with --since and --until, or use --by quarter", first_label, label,
                           TRENDS_PERIODS_MAX, trend_by_name(q->by));
        }
    }
    *ret_n = n;
    return ERR_OK;
}

int app_trends(struct app *a, const struct trends_query *q, struct trends *ret, struct err *e)
{
    if (q->since != TIME_UNSET && q->until != TIME_UNSET && q->since >= q->until) {
        char s[TIME_STR_MAX], u[TIME_STR_MAX];
        return err_set(e, ERR_INVALID, "--since %s is not before --until %s",
                       time_format_rfc3339(q->since, s), time_format_rfc3339(q->until, u));
    }
    struct history h = {0};
    struct trends t = {q->by, q->since, q->until, a->now, NULL, 0};
    int64_t first, last;
    bool none;
    size_t n = 0;
    int rc = load(a, &h, e);
    if (rc == ERR_OK) {
        range_of(a, q, &h, &first, &last, &none);
        if (!none)
            rc = check_span(q, first, last, &n, e);
    }
    if (rc < 0) {
        history_release(&h);
        return rc;
    }
    t.periods = xcalloc(n ? n : 1, sizeof(*t.periods));
    int64_t cursor = first;
    for (size_t k = 0; k < n; k++) {
        struct trend_period *p = &t.periods[t.n++];
        trend_period_of(cursor, q->by, &p->from, &p->to, p->label);
        cursor = p->to;
        /* The window is the period cut to --since / --until. */
        int64_t from = q->since != TIME_UNSET ? max64(p->from, q->since) : p->from;
        int64_t to = q->until != TIME_UNSET ? min64(p->to, q->until) : p->to;
        period_incidents(&h, p, from, to);
        period_actions(&h, p, from, to, min64(to - 1, a->now));
        period_fixes(&h, p, to);
    }
    history_release(&h);
    *ret = t;
    return ERR_OK;
}
