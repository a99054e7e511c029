/* action.c: action kinds, statuses, success criteria, priority and escalation. */
#include "model/action.h"

#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[AK__COUNT] = {"process", "architecture", "monitoring",
                                                  "policy"};
static const char *const status_names[AS__COUNT] = {"todo", "doing", "blocked",
                                                    "done", "verified", "wontfix"};

const char *action_kind_name(enum action_kind k)
{
    return (unsigned)k < AK__COUNT ? kind_names[k] : "?";
}

int action_kind_parse(const char *s, enum action_kind *ret, struct err *e)
{
    for (int i = 0; i < AK__COUNT; i++)
        if (strcasecmp(s, kind_names[i]) == 0) {
            *ret = (enum action_kind)i;
            return ERR_OK;
        }
    return err_set(e, ERR_INVALID, "unknown action kind '%.32s' (expected process, architecture, "
                   "monitoring or policy)", s);
}

const char *action_status_name(enum action_status s)
{
    return (unsigned)s < AS__COUNT ? status_names[s] : "?";
}

int action_status_parse(const char *s, enum action_status *ret, struct err *e)
{
    for (int i = 0; i < AS__COUNT; i++)
        if (strcasecmp(s, status_names[i]) == 0) {
            *ret = (enum action_status)i;
            return ERR_OK;
        }
    return err_set(e, ERR_INVALID, "unknown action status '%.32s' (expected todo, doing, "
                   "blocked, done, verified or wontfix)", s);
}

bool action_status_closed(enum action_status s)
{
    return s == AS_DONE || s == AS_VERIFIED || s == AS_WONTFIX;
}

static const struct {
    const char *text;
    enum cmp_kind kind;
} cmps[] = {
    {"<=", CMP_LE}, {">=", CMP_GE}, {"!=", CMP_NE}, {"==", CMP_EQ},
    {"<", CMP_LT},  {">", CMP_GT},  {"=", CMP_EQ},
};

const char *cmp_kind_name(enum cmp_kind k)
{
    static const char *const names[] = {"<", "<=", ">", ">=", "=", "!="};
    return (unsigned)k <= CMP_NE ? names[k] : "?";
}

bool cmp_holds(enum cmp_kind k, double x, double v)
{
    switch (k) {
    case CMP_LT: return x < v;
    case CMP_LE: return x <= v;
    case CMP_GT: return x > v;
    case CMP_GE: return x >= v;
    case CMP_EQ: return x == v;
    case CMP_NE: return x != v;
    }
    return false;
}

static int bad_success(struct err *e, const char *text, const char *why)
{
    return err_set(e, ERR_INVALID, "invalid success criterion '%.80s': %s (expected \"EXPR <op> "
                   "VALUE over WINDOW\", like \"metric('http_error_rate') < 0.01 over 7d\")",
                   text, why);
}

/* Finds the comparison that splits "EXPR <op> VALUE": the last operator outside quotes and
 * parentheses, so that comparisons inside the expression's filters are left alone. */
static const char *find_op(const char *s, const char *end, enum cmp_kind *ret_kind,
                           size_t *ret_len)
{
    const char *best = NULL;
    int depth = 0;
    char quote = 0;
    for (const char *p = s; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            continue;
        }
        if (*p == '\'' || *p == '"' || *p == '`') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (depth == 0) {
            for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
                size_t n = strlen(cmps[i].text);
                if ((size_t)(end - p) >= n && strncmp(p, cmps[i].text, n) == 0) {
                    best = p;
                    *ret_kind = cmps[i].kind;
                    *ret_len = n;
                    p += n - 1;
                    break;
                }
            }
        }
    }
    return best;
}

static char *trimmed(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return xstrndup(s, (size_t)(end - s));
}

int success_parse(const char *text, struct success *ret, struct err *e)
{
    const char *over = NULL;
    for (const char *p = strstr(text, " over "); p; p = strstr(p + 1, " over "))
        over = p;
    if (!over)
        return bad_success(e, text, "missing 'over WINDOW'");
    char *window = trimmed(over + 6, text + strlen(text));
    int64_t ms;
    int rc = time_parse_duration(window, &ms, e);
    free(window);
    if (rc < 0 || ms <= 0)
        return bad_success(e, text, "the window must be a duration like 7d or 24h");
    enum cmp_kind kind = CMP_EQ;
    size_t op_len = 0;
    const char *op = find_op(text, over, &kind, &op_len);
    if (!op)
        return bad_success(e, text, "missing a comparison (<, <=, >, >=, =, !=)");
    char *value = trimmed(op + op_len, over);
    double v;
    rc = num_parse_double(value, &v);
    free(value);
    if (rc < 0)
        return bad_success(e, text, "the value after the comparison must be a number");
    char *expr = trimmed(text, op);
    if (!*expr) {
        free(expr);
        return bad_success(e, text, "missing the expression");
    }
    ret->expr = expr;
    ret->op = kind;
    ret->value = v;
    ret->window_ms = ms;
    return ERR_OK;
}

void success_release(struct success *s)
{
    free(s->expr);
    s->expr = NULL;
}

char *success_text(const struct success *s)
{
    if (!s->expr)
        return xstrdup("");
    struct buf b = BUF_INIT;
    char d[DURATION_STR_MAX];
    buf_printf(&b, "%s %s %.15g over %s", s->expr, cmp_kind_name(s->op), s->value,
               time_format_duration_exact(s->window_ms, d));
    return buf_detach(&b);
}

void action_release(struct action *a)
{
    free(a->text);
    free(a->owner);
    free(a->no_success_reason);
    free(a->wontfix_reason);
    free(a->depends_on);
    success_release(&a->success);
    memset(a, 0, sizeof(*a));
}

void actions_free(struct action *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        action_release(&list[i]);
    free(list);
}

double action_priority(const struct action *a)
{
    int effort = a->effort > 0 ? a->effort : 3;
    return (double)a->recurrence * (double)a->severity / (double)effort;
}

const char *action_priority_label(double p)
{
    return p >= 10 ? "P1" : p >= 5 ? "P2" : p >= 2 ? "P3" : "P4";
}

void action_policy_default(struct action_policy *p)
{
    p->stalled_after_ms = 14 * MS_PER_DAY;
    p->escalate_after_ms = 7 * MS_PER_DAY;
    p->escalate_again_ms = 21 * MS_PER_DAY;
}

bool action_overdue(const struct action *a, int64_t now)
{
    return !action_status_closed(a->status) && now > a->due_at;
}

bool action_stalled(const struct action_policy *p, const struct action *a, int64_t now)
{
    return !action_status_closed(a->status) && now - a->last_update > p->stalled_after_ms;
}

int action_escalation_level(const struct action_policy *p, const struct action *a, int64_t now)
{
    if (!action_overdue(a, now))
        return 0;
    int64_t late = now - a->due_at;
    return late > p->escalate_again_ms ? 2 : late > p->escalate_after_ms ? 1 : 0;
}

void action_key(int64_t id, char out[32])
{
    snprintf(out, 32, "A-%lld", (long long)id);
}

int action_key_parse(const char *s, int64_t *ret_id, struct err *e)
{
    const char *num = strncasecmp(s, "A-", 2) == 0 ? s + 2 : s;
    if (num[0] < '1' || num[0] > '9' || num_parse_i64_range(num, 1, INT64_MAX / 2, ret_id) < 0)
        return err_set(e, ERR_INVALID, "invalid action id '%.32s' (expected A-<number>)", s);
    return ERR_OK;
}

int action_severity_from_incident(int sev)
{
    return sev >= 1 && sev <= 4 ? 6 - sev : 3;
}
