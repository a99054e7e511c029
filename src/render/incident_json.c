/* incident_json.c: JSON renderings of the incident record. */
#include "render/incident_json.h"

#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *time_json(int64_t ms)
{
    char s[TIME_STR_MAX];
    return ms == TIME_UNSET ? json_null() : json_string(time_format_rfc3339(ms, s));
}

static json_t *seconds_json(int64_t ms)
{
    if (ms == TIME_UNSET)
        return json_null();
    /* Whole seconds print as integers; sub-second spans keep their milliseconds. */
    return ms % 1000 == 0 ? json_integer(ms / 1000) : json_real((double)ms / 1000.0);
}

static json_t *count_json(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *strlist_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

json_t *incident_to_json(const struct incident *inc, const struct cadence_policy *p,
                         int64_t now_ms)
{
    char key[INCIDENT_KEY_MAX];
    incident_key(inc->seq, key);
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "title", str_or_null(inc->title));
    json_object_set_new(o, "summary", str_or_null(inc->summary));
    json_object_set_new(o, "severity", json_string(severity_name(inc->severity)));
    json_object_set_new(o, "status", json_string(status_name(inc->status)));
    json_object_set_new(o, "owner", str_or_null(inc->owner));
    for (int t = 0; t < T__COUNT; t++) {
        char name[32];
        snprintf(name, sizeof(name), "%s_at", incident_time_name((enum incident_time)t));
        json_object_set_new(o, name, time_json(inc->times[t]));
    }
    json_object_set_new(o, "postmortem_due_at", time_json(cadence_postmortem_due(p, inc)));
    json_object_set_new(o, "review_due_at", time_json(cadence_review_due(p, inc)));
    json_object_set_new(o, "postmortem_overdue",
                        json_boolean(cadence_postmortem_overdue(p, inc, now_ms)));
    json_object_set_new(o, "time_to_detect_s", seconds_json(incident_time_to_detect(inc)));
    json_object_set_new(o, "time_to_acknowledge_s",
                        seconds_json(incident_time_to_acknowledge(inc)));
    json_object_set_new(o, "time_to_mitigate_s", seconds_json(incident_time_to_mitigate(inc)));
    json_object_set_new(o, "time_to_resolve_s", seconds_json(incident_time_to_resolve(inc)));
    json_object_set_new(o, "services", strlist_json(&inc->services));
    json_object_set_new(o, "tags", strlist_json(&inc->tags));
    json_t *impact = json_object();
    json_object_set_new(impact, "affected_users", count_json(inc->affected_users));
    json_object_set_new(impact, "affected_segments", strlist_json(&inc->segments));
    json_object_set_new(impact, "revenue_lost",
                        isnan(inc->revenue_lost) ? json_null() : json_real(inc->revenue_lost));
    json_object_set_new(impact, "support_tickets", count_json(inc->support_tickets));
    json_object_set_new(o, "impact", impact);
    json_t *signals = json_array();
    for (size_t i = 0; i < inc->n_signals; i++)
        json_array_append_new(signals, json_pack("{s:s, s:o}", "name", inc->signals[i].name,
                                                 "at", time_json(inc->signals[i].at)));
    json_object_set_new(o, "signals", signals);
    json_object_set_new(o, "reopen_count", json_integer(inc->reopen_count));
    json_object_set_new(o, "created_at", time_json(inc->created_at));
    json_object_set_new(o, "updated_at", time_json(inc->updated_at));
    return o;
}

json_t *timeline_to_json(const struct timeline_entry *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:s, s:o}", "id",
                                           (json_int_t)list[i].id, "at", time_json(list[i].at),
                                           "kind", timeline_kind_name(list[i].kind), "text",
                                           list[i].text, "author", str_or_null(list[i].author)));
    return a;
}

json_t *audit_to_json(const struct audit_entry *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
                                           (json_int_t)list[i].id, "at", time_json(list[i].at),
                                           "actor", list[i].actor, "record", list[i].record,
                                           "action", list[i].action, "field",
                                           str_or_null(list[i].field), "old",
                                           str_or_null(list[i].old_value), "new",
                                           str_or_null(list[i].new_value)));
    return a;
}

void json_write(struct sink *out, const json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    if (s) {
        sink_puts(out, s);
        sink_puts(out, "\n");
        free(s);
    }
}
