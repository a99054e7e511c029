/* cmd_evidence.c: hindsight sources, sources rm, series, metric define|list, fields. */
#include "cli/cli.h"

#include "app/evidence.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "render/series.h"

#include <stdio.h>
#include <string.h>

/* ---- sources ---- */

static const struct opt_spec sources_spec[] = {
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

static json_t *source_json(const struct source_info *s)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX], t3[TIME_STR_MAX];
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id",
                          (json_int_t)s->id, "kind", s->kind, "name", s->name, "path", s->path,
                          "sha256", s->sha256, "format", s->format, "bytes",
                          (json_int_t)s->bytes, "rows", (json_int_t)s->rows, "bad_rows",
                          (json_int_t)s->bad_rows);
    json_object_set_new(o, "from", s->min_ts == TIME_UNSET ? json_null()
                                   : json_string(time_format_rfc3339(s->min_ts, t1)));
    json_object_set_new(o, "to", s->max_ts == TIME_UNSET ? json_null()
                                 : json_string(time_format_rfc3339(s->max_ts, t2)));
    json_object_set_new(o, "ingested_at", json_string(time_format_rfc3339(s->ingested_at, t3)));
    json_object_set_new(o, "actor", json_string(s->actor));
    return o;
}

static void source_text(const struct source_info *s)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX], sz[32];
    if (s->bytes >= 1 << 20)
        snprintf(sz, sizeof(sz), "%.1f MB", (double)s->bytes / 1e6);
    else
        snprintf(sz, sizeof(sz), "%.1f kB", (double)s->bytes / 1e3);
    printf("%-4lld %-8s %-9s %10lld  %-24s  %-24s  %.12s  %9s  %s\n", (long long)s->id, s->kind,
           s->format, (long long)s->rows, time_format_rfc3339(s->min_ts, t1),
           time_format_rfc3339(s->max_ts, t2), s->sha256, sz, s->name);
}

static int sources_rm(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "sources rm", "sources rm ID",
                       "Removes one ingested source and every row that came from it.", NULL, 0,
                       argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "sources rm", 1, "the source id")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (app_source_remove(a, o.positional.items[0], &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    printf("removed source %s\n", o.positional.items[0]);
    rc = EXIT_OK;
done:
    app_close(a);
    opts_release(&o);
    return rc;
}

int cmd_sources(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "rm") == 0)
        return sources_rm(argc - 1, argv + 1);
    struct opts o;
    int rc = cli_parse(&o, "sources", "sources [--json] | sources rm ID",
                       "Lists what was ingested: kind, format, rows, time range, content hash, "
                       "size, name.", sources_spec, ARRAY_SIZE(sources_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct source_info *list = NULL;
    size_t n = 0;
    if ((rc = cli_want_positional(&o, "sources", 0, "")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (app_sources(a, &list, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, source_json(&list[i]));
        cli_print_json(arr);
    } else if (n == 0) {
        printf("no sources (hindsight ingest events|metrics|logs|changes FILE)\n");
    } else {
        printf("%-4s %-8s %-9s %10s  %-24s  %-24s  %-12s  %9s  %s\n", "ID", "KIND", "FORMAT",
               "ROWS", "FROM", "TO", "SHA256", "SIZE", "NAME");
        for (size_t i = 0; i < n; i++)
            source_text(&list[i]);
    }
    rc = EXIT_OK;
done:
    source_infos_free(list, n);
    app_close(a);
    opts_release(&o);
    return rc;
}

/* ---- series ---- */

static const struct opt_spec series_spec[] = {
    {"from", OPT_VALUE, "TIME", "start of the window (RFC 3339, a date, or now)"},
    {"to", OPT_VALUE, "TIME", "end of the window (exclusive)"},
    {"bucket", OPT_VALUE, "DURATION", "bucket size: 1m, 5m, 1h, 1d, ... (default 1m)"},
    {"by", OPT_LIST, "DIM", "break down by an event property (or a metric label)"},
    {"csv", OPT_FLAG, NULL, "print CSV: time,<dims>,value"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

/* Shows where in the expression an error is: the expression, then a caret under the column. */
static void point_at(const char *expr, unsigned column)
{
    if (!column || strchr(expr, '\n') || strlen(expr) > 200)
        return;
    fprintf(stderr, "  %s\n  %*s^\n", expr, (int)column - 1, "");
}

int cmd_series(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "series", "series EXPR --from TIME --to TIME [--bucket D] [--by DIM]... "
                       "[--csv|--json]",
                       "Computes a metric expression per time bucket (docs/query.md), e.g.\n"
                       "  hindsight series \"count() where event = 'purchase_completed'\" "
                       "--from 2026-03-04 --to 2026-03-05 --bucket 1h --by platform",
                       series_spec, ARRAY_SIZE(series_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct series_result r = {0};
    if ((rc = cli_want_positional(&o, "series", 1, "the expression")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    const struct strlist *by = opts_list(&o, "by");
    struct series_query q = {o.positional.items[0], opts_value(&o, "from"), opts_value(&o, "to"),
                             opts_value(&o, "bucket"), (const char *const *)by->items, by->n};
    if (app_series(a, &q, &r, &e) < 0) {
        rc = cli_fail(&e);
        point_at(q.expr, e.column);
        goto done;
    }
    struct sink out = sink_file(stdout);
    if (opts_flag(&o, "json"))
        cli_print_json(series_to_json(&r));
    else if (opts_flag(&o, "csv"))
        render_series_csv(&out, &r);
    else
        render_series_text(&out, &r);
    rc = EXIT_OK;
done:
    series_result_release(&r);
    app_close(a);
    opts_release(&o);
    return rc;
}

/* ---- metric define | list ---- */

static const struct opt_spec define_spec[] = {
    {"unit", OPT_VALUE, "UNIT", "the unit, like ms or %"},
    {"description", OPT_VALUE, "TEXT", "what it measures"},
};

static int metric_define(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "metric define", "metric define NAME EXPR [--unit U] [--description D]",
                       "Saves an expression under a name, usable in other expressions.",
                       define_spec, ARRAY_SIZE(define_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "metric define", 2, "the name and the expression")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    bool replaced = false;
    const char *name = o.positional.items[0], *expr = o.positional.items[1];
    if (app_metric_define(a, name, expr, opts_value(&o, "unit"), opts_value(&o, "description"),
                          &replaced, &e) < 0) {
        rc = cli_fail(&e);
        point_at(expr, e.column);
        goto done;
    }
    printf("%s metric %s\n", replaced ? "replaced" : "saved", name);
    rc = EXIT_OK;
done:
    app_close(a);
    opts_release(&o);
    return rc;
}

static const struct opt_spec list_spec[] = {
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

static int metric_list(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "metric list", "metric list [--json]", "Lists the saved metrics.",
                       list_spec, ARRAY_SIZE(list_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct saved_metric *list = NULL;
    size_t n = 0;
    if ((rc = cli_want_positional(&o, "metric list", 0, "")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (app_metric_list(a, &list, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "name",
                                                 list[i].name, "expr", list[i].expr, "unit",
                                                 list[i].unit, "description",
                                                 list[i].description, "actor", list[i].actor));
        cli_print_json(arr);
    } else if (n == 0) {
        printf("no saved metrics (hindsight metric define NAME EXPR)\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("%s%s%s%s\n  %s\n", list[i].name, list[i].unit ? " [" : "",
                   list[i].unit ? list[i].unit : "", list[i].unit ? "]" : "", list[i].expr);
            if (list[i].description)
                printf("  %s\n", list[i].description);
        }
    }
    rc = EXIT_OK;
done:
    saved_metrics_free(list, n);
    app_close(a);
    opts_release(&o);
    return rc;
}

static const struct cmd metric_cmds[] = {
    {"define", metric_define, "save an expression under a name"},
    {"list", metric_list, "list the saved metrics"},
};

int cmd_metric(int argc, char **argv)
{
    return cli_dispatch("metric", metric_cmds, ARRAY_SIZE(metric_cmds), argc, argv);
}

/* ---- fields ---- */

int cmd_fields(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "fields", "fields [--json]",
                       "Lists the fields of the ingested events (usable in expressions and "
                       "--by).", list_spec, ARRAY_SIZE(list_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct field_info *list = NULL;
    size_t n = 0;
    if ((rc = cli_want_positional(&o, "fields", 0, "")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (app_fields(a, &list, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    static const char *const types[] = {"time", "text", "number"};
    json_t *arr = opts_flag(&o, "json") ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *type = list[i].type >= 0 && list[i].type <= 2 ? types[list[i].type] : "mixed";
        if (arr)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "name", list[i].name,
                                                 "type", type, "chunks",
                                                 (json_int_t)list[i].chunks));
        else
            printf("%-32s %s\n", list[i].name, type);
    }
    if (arr)
        cli_print_json(arr);
    else if (n == 0)
        printf("no events ingested yet\n");
    rc = EXIT_OK;
done:
    field_infos_free(list, n);
    app_close(a);
    opts_release(&o);
    return rc;
}
