/* incident.c: the incident record's value rules. No I/O. */
#include "model/incident.h"

#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void incident_init(struct incident *inc)
{
    memset(inc, 0, sizeof(*inc));
    inc->severity = SEV_NONE;
    inc->status = ST_OPEN;
    for (int i = 0; i < T__COUNT; i++)
        inc->times[i] = TIME_UNSET;
    inc->affected_users = -1;
    inc->revenue_lost = NAN;
    inc->support_tickets = -1;
}

void incident_release(struct incident *inc)
{
    free(inc->title);
    free(inc->summary);
    free(inc->owner);
    strlist_release(&inc->services);
    strlist_release(&inc->segments);
    strlist_release(&inc->tags);
    for (size_t i = 0; i < inc->n_signals; i++)
        free(inc->signals[i].name);
    free(inc->signals);
    incident_init(inc);
}

void incident_copy(struct incident *dst, const struct incident *src)
{
    incident_release(dst);
    *dst = *src;
    dst->title = xstrdup(src->title);
    dst->summary = xstrdup(src->summary);
    dst->owner = xstrdup(src->owner);
    memset(&dst->services, 0, sizeof(dst->services));
    memset(&dst->segments, 0, sizeof(dst->segments));
    memset(&dst->tags, 0, sizeof(dst->tags));
    strlist_copy(&dst->services, &src->services);
    strlist_copy(&dst->segments, &src->segments);
    strlist_copy(&dst->tags, &src->tags);
    dst->signals = NULL;
    dst->n_signals = dst->cap_signals = 0;
    for (size_t i = 0; i < src->n_signals; i++)
        incident_add_signal(dst, src->signals[i].name, src->signals[i].at);
}

void incident_key(int64_t seq, char out[INCIDENT_KEY_MAX])
{
    snprintf(out, INCIDENT_KEY_MAX, "INC-%lld", (long long)seq);
}

int incident_key_parse(const char *key, int64_t *ret_seq, struct err *e)
{
    const char *num = key;
    if (strncasecmp(key, "INC-", 4) == 0)
        num = key + 4;
    int64_t seq;
    if (num_parse_i64_range(num, 1, INT64_MAX / 2, &seq) < 0 || num[0] == '+' || num[0] == '-')
        return err_set(e, ERR_INVALID, "invalid incident key '%.64s' (expected INC-<number>)",
                       key);
    *ret_seq = seq;
    return ERR_OK;
}

const char *severity_name(enum severity s)
{
    static const char *const names[] = {"-", "SEV1", "SEV2", "SEV3", "SEV4"};
    return (unsigned)s <= SEV_MAX ? names[s] : "?";
}

int severity_parse(const char *s, enum severity *ret, struct err *e)
{
    const char *d = strncasecmp(s, "SEV", 3) == 0 ? s + 3 : s;
    if (d[0] >= '1' && d[0] <= '4' && d[1] == '\0') {
        *ret = (enum severity)(d[0] - '0');
        return ERR_OK;
    }
    return err_set(e, ERR_INVALID, "unknown severity '%.64s' (expected SEV1, SEV2, SEV3 or SEV4)",
                   s);
}

const char *incident_time_name(enum incident_time t)
{
    static const char *const names[T__COUNT] = {
        "started", "detected", "acknowledged", "mitigated", "resolved",
    };
    return (unsigned)t < T__COUNT ? names[t] : "?";
}

int incident_check_times(const int64_t times[T__COUNT], struct err *e)
{
    if (times[T_STARTED] == TIME_UNSET)
        return err_set(e, ERR_INVALID, "the started time is required");
    int last = T_STARTED;
    for (int t = T_STARTED + 1; t < T__COUNT; t++) {
        if (times[t] == TIME_UNSET)
            continue;
        if (times[t] < times[last]) {
            char a[TIME_STR_MAX], b[TIME_STR_MAX];
            return err_set(e, ERR_INVALID, "%s time %s is before %s time %s (times must be "
                           "ordered started <= detected <= acknowledged <= mitigated <= resolved)",
                           incident_time_name((enum incident_time)t),
                           time_format_rfc3339(times[t], a),
                           incident_time_name((enum incident_time)last),
                           time_format_rfc3339(times[last], b));
        }
        last = t;
    }
    return ERR_OK;
}

int text_check(const char *what, const char *s, size_t max, bool multiline, struct err *e)
{
    size_t len = strlen(s);
    if (len == 0)
        return err_set(e, ERR_INVALID, "%s must not be empty", what);
    if (len > max)
        return err_set(e, ERR_INVALID, "%s is too long (%zu bytes, at most %zu)", what, len, max);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return err_set(e, ERR_INVALID, "%s contains a control character (byte 0x%02x at "
                           "offset %zu)", what, c, i);
    }
    return ERR_OK;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Checks "<name><sep><value>" for tags and segments. */
static int pair_check(const char *what, const char *example, const char *s, char sep,
                      struct err *e)
{
    const char *cut = strchr(s, sep);
    if (!cut || cut == s || !cut[1])
        return err_set(e, ERR_INVALID, "invalid %s '%.64s' (expected %s)", what, s, example);
    if (!(s[0] >= 'a' && s[0] <= 'z') && !(s[0] >= '0' && s[0] <= '9'))
        return err_set(e, ERR_INVALID, "invalid %s '%.64s': the name must start with a lowercase "
                       "letter or digit (expected %s)", what, s, example);
    for (const char *p = s; p < cut; p++)
        if (!name_char(*p))
            return err_set(e, ERR_INVALID, "invalid %s '%.64s': the name may hold only a-z, 0-9, "
                           "'.', '_' and '-' (expected %s)", what, s, example);
    char label[64];
    snprintf(label, sizeof(label), "%s '%.20s'", what, s);
    return text_check(label, cut + 1, NAME_MAX_LEN, false, e);
}

int tag_check(const char *tag, struct err *e)
{
    return pair_check("tag", "namespace:value, like service:checkout", tag, ':', e);
}

int segment_check(const char *segment, struct err *e)
{
    return pair_check("segment", "key=value, like platform=android", segment, '=', e);
}

int signal_parse(const char *s, struct signal *ret, struct err *e)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || !at[1])
        return err_set(e, ERR_INVALID, "invalid signal '%.64s' (expected NAME@TIME, like "
                       "checkout-errors@2026-03-04T14:07:00Z)", s);
    char *name = xstrndup(s, (size_t)(at - s));
    int64_t t;
    int rc = text_check("signal name", name, NAME_MAX_LEN, false, e);
    if (rc == ERR_OK)
        rc = time_parse_rfc3339(at + 1, &t, e);
    if (rc < 0) {
        free(name);
        return rc;
    }
    ret->name = name;
    ret->at = t;
    return ERR_OK;
}

void incident_add_signal(struct incident *inc, const char *name, int64_t at)
{
    xgrow((void **)&inc->signals, &inc->cap_signals, inc->n_signals + 1, sizeof(*inc->signals));
    inc->signals[inc->n_signals].name = xstrdup(name);
    inc->signals[inc->n_signals].at = at;
    inc->n_signals++;
}

bool incident_remove_signal(struct incident *inc, const char *name)
{
    size_t out = 0;
    for (size_t i = 0; i < inc->n_signals; i++) {
        if (strcmp(inc->signals[i].name, name) == 0)
            free(inc->signals[i].name);
        else
            inc->signals[out++] = inc->signals[i];
    }
    bool removed = out != inc->n_signals;
    inc->n_signals = out;
    return removed;
}

int incident_validate(const struct incident *inc, struct err *e)
{
    int rc;
    if (!inc->title)
        return err_set(e, ERR_INVALID, "a title is required");
    if ((rc = text_check("title", inc->title, TITLE_MAX, false, e)) < 0)
        return rc;
    if (inc->summary && (rc = text_check("summary", inc->summary, TEXT_MAX, true, e)) < 0)
        return rc;
    if (inc->owner && (rc = text_check("owner", inc->owner, NAME_MAX_LEN, false, e)) < 0)
        return rc;
    if (inc->severity < SEV1 || inc->severity > SEV_MAX)
        return err_set(e, ERR_INVALID, "a severity is required (SEV1, SEV2, SEV3 or SEV4)");
    for (size_t i = 0; i < inc->services.n; i++)
        if ((rc = text_check("service", inc->services.items[i], NAME_MAX_LEN, false, e)) < 0)
            return rc;
    for (size_t i = 0; i < inc->tags.n; i++)
        if ((rc = tag_check(inc->tags.items[i], e)) < 0)
            return rc;
    for (size_t i = 0; i < inc->segments.n; i++)
        if ((rc = segment_check(inc->segments.items[i], e)) < 0)
            return rc;
    for (size_t i = 0; i < inc->n_signals; i++)
        if ((rc = text_check("signal name", inc->signals[i].name, NAME_MAX_LEN, false, e)) < 0)
            return rc;
    if (inc->affected_users < -1 || inc->support_tickets < -1)
        return err_set(e, ERR_INVALID, "counts must not be negative");
    if (!isnan(inc->revenue_lost) && (inc->revenue_lost < 0 || !isfinite(inc->revenue_lost)))
        return err_set(e, ERR_INVALID, "revenue lost must be a number >= 0");
    return incident_check_times(inc->times, e);
}

static int64_t span(const struct incident *inc, enum incident_time from, enum incident_time to)
{
    if (inc->times[from] == TIME_UNSET || inc->times[to] == TIME_UNSET)
        return TIME_UNSET;
    return inc->times[to] - inc->times[from];
}

int64_t incident_time_to_detect(const struct incident *inc)
{
    return span(inc, T_STARTED, T_DETECTED);
}

int64_t incident_time_to_acknowledge(const struct incident *inc)
{
    return span(inc, T_DETECTED, T_ACKNOWLEDGED);
}

int64_t incident_time_to_mitigate(const struct incident *inc)
{
    return span(inc, T_STARTED, T_MITIGATED);
}

int64_t incident_time_to_resolve(const struct incident *inc)
{
    return span(inc, T_STARTED, T_RESOLVED);
}

int64_t incident_impact_end(const struct incident *inc, int64_t now)
{
    int64_t end = inc->times[T_MITIGATED] != TIME_UNSET  ? inc->times[T_MITIGATED]
                  : inc->times[T_RESOLVED] != TIME_UNSET ? inc->times[T_RESOLVED]
                                                         : now;
    return end > inc->times[T_STARTED] ? end : inc->times[T_STARTED] + MS_PER_MINUTE;
}

const char *incident_field_name(enum incident_field f)
{
    static const char *const names[F__COUNT] = {
        "title",    "summary",  "severity", "status",         "started",      "detected",
        "acknowledged", "mitigated", "resolved", "owner",      "services",     "segments",
        "tags",     "signals",  "affected_users", "revenue_lost", "support_tickets",
        "reopen_count",
    };
    return (unsigned)f < F__COUNT ? names[f] : "?";
}

static char *signals_text(const struct incident *inc)
{
    struct buf b = BUF_INIT;
    char t[TIME_STR_MAX];
    for (size_t i = 0; i < inc->n_signals; i++)
        buf_printf(&b, "%s%s@%s", i ? ", " : "", inc->signals[i].name,
                   time_format_rfc3339(inc->signals[i].at, t));
    return buf_detach(&b);
}

static char *count_text(int64_t v)
{
    char s[32] = "";
    if (v >= 0)
        snprintf(s, sizeof(s), "%lld", (long long)v);
    return xstrdup(s);
}

char *incident_field_text(const struct incident *inc, enum incident_field f)
{
    char t[TIME_STR_MAX];
    char s[64];
    switch (f) {
    case F_TITLE: return xstrdup(inc->title ? inc->title : "");
    case F_SUMMARY: return xstrdup(inc->summary ? inc->summary : "");
    case F_OWNER: return xstrdup(inc->owner ? inc->owner : "");
    case F_SEVERITY: return xstrdup(inc->severity ? severity_name(inc->severity) : "");
    case F_STATUS: return xstrdup(status_name(inc->status));
    case F_STARTED:
    case F_DETECTED:
    case F_ACKNOWLEDGED:
    case F_MITIGATED:
    case F_RESOLVED: {
        int64_t v = inc->times[T_STARTED + (f - F_STARTED)];
        return xstrdup(v == TIME_UNSET ? "" : time_format_rfc3339(v, t));
    }
    case F_SERVICES: return strlist_join(&inc->services, ", ");
    case F_SEGMENTS: return strlist_join(&inc->segments, ", ");
    case F_TAGS: return strlist_join(&inc->tags, ", ");
    case F_SIGNALS: return signals_text(inc);
    case F_AFFECTED_USERS: return count_text(inc->affected_users);
    case F_SUPPORT_TICKETS: return count_text(inc->support_tickets);
    case F_REOPEN_COUNT: return count_text(inc->reopen_count);
    case F_REVENUE_LOST:
        s[0] = '\0';
        if (!isnan(inc->revenue_lost))
            snprintf(s, sizeof(s), "%.2f", inc->revenue_lost);
        return xstrdup(s);
    case F__COUNT: break;
    }
    return xstrdup("");
}
