/* cmd_transfer.c: hindsight export KEY [--out FILE] | hindsight import FILE [--new-key]
 * (docs/export.md). */
#include "cli/cli.h"

#include "app/transfer.h"
#include "core/buf.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/record_json.h"
#include "render/export_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec export_spec[] = {
    {"out", OPT_VALUE, "FILE", "write to FILE (atomically) instead of standard output"},
};

int cmd_export(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "export", "export KEY [--out FILE]",
                       "Writes an incident with everything that belongs to it (timeline, "
                       "sections, findings,\nhypotheses and evidence, actions, checklist, "
                       "decisions, feedback, experiments, audit\nlog, and the people, teams and "
                       "template it refers to) as one JSON document that\n'hindsight import' "
                       "reads into another store. The format is in docs/export.md.",
                       export_spec, ARRAY_SIZE(export_spec), argc, argv, 1, "the incident key",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    json_t *doc = NULL;
    struct buf text = BUF_INIT;
    struct sink out = sink_buf(&text);
    const char *path = opts_value(&o, "out");
    if (app_export_json(a, o.positional.items[0], &doc, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    export_json_write(&out, doc);
    if (sink_failed(&out))
        rc = cli_fail(&(struct err){ERR_INTERNAL, 0, 0, "cannot write the export"});
    else if (cli_emit(path, &text, "export", &e) < 0)
        rc = cli_fail(&e);
    rc = rc >= 0 ? rc : EXIT_OK;
done:
    json_decref(doc);
    buf_release(&text);
    return cli_finish(&o, a, rc);
}

/* Reads all of f, at most RECORD_JSON_MAX bytes, into text. name is for messages. */
static int read_all(FILE *f, const char *name, struct buf *text, struct err *e)
{
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (text->len + n > RECORD_JSON_MAX)
            return err_set(e, ERR_INVALID, "%s: larger than %zu MiB, the limit of an export",
                           name, RECORD_JSON_MAX >> 20);
        buf_append(text, chunk, n);
    }
    if (ferror(f))
        return err_set(e, ERR_IO, "cannot read '%s': %s", name, strerror(errno));
    return ERR_OK;
}

static int read_input(const char *path, struct buf *text, struct err *e)
{
    if (strcmp(path, "-") == 0)
        return read_all(stdin, "-", text, e);
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    int rc = read_all(f, path, text, e);
    fclose(f);
    return rc;
}

static const struct opt_spec import_spec[] = {
    {"new-key", OPT_FLAG, NULL, "give the incident the next free key instead of its own"},
};

int cmd_import(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "import", "import FILE... [--new-key]",
                       "Reads incidents written by 'hindsight export' (each FILE, or - for "
                       "standard input)\ninto this store, all in one transaction: every one or, "
                       "on any refusal, none.\nEach keeps its key unless --new-key. People, "
                       "teams and the template they refer\nto are created when missing and "
                       "must agree when present.",
                       import_spec, ARRAY_SIZE(import_spec), argc, argv, CLI_ONE_OR_MORE, "the export file",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    size_t n = o.positional.n;
    struct buf *texts = xcalloc(n, sizeof(*texts));
    const char **data = xcalloc(n, sizeof(*data));
    size_t *lens = xcalloc(n, sizeof(*lens));
    struct import_result *got = xcalloc(n, sizeof(*got));
    const char *const *paths = (const char *const *)o.positional.items;
    rc = ERR_OK;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = read_input(paths[i], &texts[i], &e);
        data[i] = texts[i].data ? texts[i].data : "";
        lens[i] = texts[i].len;
    }
    if (rc == ERR_OK)
        rc = app_import_many(a, n, paths, data, lens, opts_flag(&o, "new-key"), got, &e);
    if (rc < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char at[TIME_STR_MAX];
        printf("imported %s (from %s exported %s)\n", got[i].key, got[i].source_key,
               time_format_rfc3339(got[i].exported_at, at));
    }
    rc = EXIT_OK;
done:
    for (size_t i = 0; i < n; i++)
        buf_release(&texts[i]);
    free(texts);
    free(data);
    free(lens);
    free(got);
    return cli_finish(&o, a, rc);
}
