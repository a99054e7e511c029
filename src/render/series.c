/* series.c: renderings of series results. */
#include "render/series.h"

#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void render_number(char *out, size_t size, double v)
{
    if (isnan(v))
        snprintf(out, size, "%s", "");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.10g", v);
}

static void csv_cell(struct sink *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sink_puts(out, s);
        return;
    }
    sink_puts(out, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            sink_puts(out, "\"");
        sink_write(out, p, 1);
    }
    sink_puts(out, "\"");
}

void render_series_csv(struct sink *out, const struct series_result *r)
{
    sink_puts(out, "time");
    for (size_t d = 0; d < r->n_by; d++) {
        sink_puts(out, ",");
        csv_cell(out, r->by[d]);
    }
    sink_puts(out, ",value\n");
    for (size_t b = 0; b < r->n_buckets; b++) {
        char t[TIME_STR_MAX], v[48];
        time_format_rfc3339(r->from + (int64_t)b * r->bucket_ms, t);
        for (size_t g = 0; g < r->n_groups; g++) {
            sink_puts(out, t);
            for (size_t d = 0; d < r->n_by; d++) {
                sink_puts(out, ",");
                csv_cell(out, r->group_keys[g * r->n_by + d]);
            }
            render_number(v, sizeof(v), series_value(r, g, b));
            sink_printf(out, ",%s\n", v);
        }
    }
}

void render_series_text(struct sink *out, const struct series_result *r)
{
    size_t width[8] = {0};
    for (size_t d = 0; d < r->n_by && d < 8; d++) {
        width[d] = strlen(r->by[d]);
        for (size_t g = 0; g < r->n_groups; g++) {
            size_t len = strlen(r->group_keys[g * r->n_by + d]);
            if (len > width[d])
                width[d] = len;
        }
    }
    sink_printf(out, "%-21s", "TIME");
    for (size_t d = 0; d < r->n_by && d < 8; d++)
        sink_printf(out, " %-*s", (int)width[d], r->by[d]);
    sink_puts(out, " VALUE\n");
    for (size_t b = 0; b < r->n_buckets; b++) {
        char t[TIME_STR_MAX], v[48];
        time_format_rfc3339(r->from + (int64_t)b * r->bucket_ms, t);
        for (size_t g = 0; g < r->n_groups; g++) {
            sink_printf(out, "%-21s", t);
            for (size_t d = 0; d < r->n_by && d < 8; d++)
                sink_printf(out, " %-*s", (int)width[d], r->group_keys[g * r->n_by + d]);
            render_number(v, sizeof(v), series_value(r, g, b));
            sink_printf(out, " %s\n", *v ? v : "-");
        }
    }
}

json_t *series_to_json(const struct series_result *r)
{
    char t[TIME_STR_MAX], d[DURATION_STR_MAX];
    json_t *o = json_object();
    json_object_set_new(o, "expr", json_string(r->expr_text ? r->expr_text : ""));
    json_object_set_new(o, "from", json_string(time_format_rfc3339(r->from, t)));
    json_object_set_new(o, "to", json_string(time_format_rfc3339(
                                     r->from + (int64_t)r->n_buckets * r->bucket_ms, t)));
    json_object_set_new(o, "bucket", json_string(time_format_duration_exact(r->bucket_ms, d)));
    json_t *by = json_array();
    for (size_t i = 0; i < r->n_by; i++)
        json_array_append_new(by, json_string(r->by[i]));
    json_object_set_new(o, "by", by);
    json_t *rows = json_array();
    for (size_t b = 0; b < r->n_buckets; b++) {
        time_format_rfc3339(r->from + (int64_t)b * r->bucket_ms, t);
        for (size_t g = 0; g < r->n_groups; g++) {
            json_t *row = json_object();
            json_object_set_new(row, "time", json_string(t));
            for (size_t i = 0; i < r->n_by; i++)
                json_object_set_new(row, r->by[i], json_string(r->group_keys[g * r->n_by + i]));
            double v = series_value(r, g, b);
            json_object_set_new(row, "value", isnan(v) ? json_null()
                                              : v == floor(v) && fabs(v) < 9e15
                                                  ? json_integer((json_int_t)v)
                                                  : json_real(v));
            json_array_append_new(rows, row);
        }
    }
    json_object_set_new(o, "rows", rows);
    return o;
}
