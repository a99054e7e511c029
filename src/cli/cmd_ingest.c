/* cmd_ingest.c: hindsight ingest events|metrics|logs|changes FILE... */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "app/ingest.h"
#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct opt_spec spec[] = {
    {"format", OPT_VALUE, "FMT", "events: jsonl|csv; metrics: prom|csv|wide-csv; changes: "
                                 "jsonl|csv (default: from the file)"},
    {"source", OPT_VALUE, "NAME", "name the source (default: the file's name)"},
    {"skip-bad", OPT_FLAG, NULL, "store the good lines and report each bad one"},
    {"force", OPT_FLAG, NULL, "ingest a file whose content was ingested before"},
    {"json", OPT_FLAG, NULL, "print the result of each file as JSON"},
};

struct progress {
    bool tty;
    bool shown;
    const char *path;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total, int64_t rows)
{
    struct progress *p = ctx;
    if (!p->tty || total == 0)
        return;
    int pct = (int)(done * 100 / total);
    int bar = pct / 4;
    fprintf(stderr, "\r%s [%-25.*s] %3d%% %lld rows", p->path, bar, "#########################",
            pct, (long long)rows);
    p->shown = true;
}

static void on_bad(void *ctx, const char *path, unsigned line, const char *reason)
{
    struct progress *p = ctx;
    if (p->shown) {
        fputc('\n', stderr);
        p->shown = false;
    }
    if (line)
        fprintf(stderr, "hindsight: skipped %s:%u: %s\n", path, line, reason);
    else
        fprintf(stderr, "hindsight: skipped %s: %s\n", path, reason);
}

static int ingest_one(struct app *a, enum ingest_kind kind, const struct opts *o,
                      const char *path, json_t *results)
{
    struct progress p = {isatty(STDERR_FILENO) && !getenv("CI"), false, path};
    struct ingest_options io = {kind, opts_value(o, "format"), opts_value(o, "source"),
                                opts_flag(o, "skip-bad"), opts_flag(o, "force"), on_progress,
                                on_bad, &p};
    struct ingest_result r;
    struct err e = ERR_INIT;
    int rc = app_ingest_file(a, path, &io, &r, &e);
    if (p.shown)
        fputs("\r\033[K", stderr);
    if (rc < 0)
        return cli_fail(&e);
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
    if (results) {
        json_array_append_new(results,
            json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I}", "source",
                      (json_int_t)r.source_id, "kind", ingest_kind_name(kind), "path", path,
                      "format", r.format, "rows", (json_int_t)r.rows, "bad_rows",
                      (json_int_t)r.bad_rows, "from", time_format_rfc3339(r.min_ts, t1), "to",
                      time_format_rfc3339(r.max_ts, t2), "sha256", r.sha256, "bytes",
                      (json_int_t)r.bytes));
    } else {
        printf("source %lld: %lld %s from %s (%s), %s .. %s", (long long)r.source_id,
               (long long)r.rows, ingest_kind_name(kind), path, r.format,
               time_format_rfc3339(r.min_ts, t1), time_format_rfc3339(r.max_ts, t2));
        if (r.bad_rows)
            printf(", %lld bad lines skipped", (long long)r.bad_rows);
        printf("\n");
    }
    return EXIT_OK;
}

int cmd_ingest(int argc, char **argv)
{
    static const char *const kinds[] = {"events", "metrics", "logs", "changes"};
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        FILE *out = argc < 1 ? stderr : stdout;
        fprintf(out, "usage: hindsight ingest events|metrics|logs|changes FILE... [options]\n"
                     "       (hindsight ingest events --help for the options)\n");
        return argc < 1 ? EXIT_FAIL : EXIT_OK;
    }
    int kind = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(argv[0], kinds[i]) == 0)
            kind = i;
    if (kind < 0) {
        fprintf(stderr, "hindsight: ingest: unknown kind '%s' (events, metrics, logs or "
                        "changes)\n", argv[0]);
        return EXIT_FAIL;
    }
    char cmd[32], usage[96];
    snprintf(cmd, sizeof(cmd), "ingest %s", kinds[kind]);
    snprintf(usage, sizeof(usage), "ingest %s FILE... [options]", kinds[kind]);
    struct opts o;
    int rc = cli_parse(&o, cmd, usage,
                       "Brings evidence into the store. Each file is one transaction: a bad "
                       "line stops it\n(FILE:LINE: reason) and nothing of that file is stored, "
                       "unless --skip-bad.\nThe same content is refused a second time unless "
                       "--force.",
                       spec, ARRAY_SIZE(spec), argc - 1, argv + 1);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    json_t *results = NULL;
    if (o.positional.n == 0) {
        rc = cli_want_positional(&o, cmd, 1, "a file to ingest");
        goto done;
    }
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    results = opts_flag(&o, "json") ? json_array() : NULL;
    rc = EXIT_OK;
    for (size_t i = 0; i < o.positional.n; i++) {
        int one = ingest_one(a, (enum ingest_kind)kind, &o, o.positional.items[i], results);
        if (one != EXIT_OK)
            rc = one; /* go on with the other files; each is its own transaction */
    }
    if (results) {
        cli_print_json(results);
        results = NULL;
    }
done:
    json_decref(results);
    app_close(a);
    opts_release(&o);
    return rc;
}
