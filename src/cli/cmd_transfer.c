/* cmd_transfer.c: hindsight export KEY [--out FILE] | hindsight import FILE [--new-key]
 * (docs/export.md). */
#include "cli/cli.h"

#include "app/transfer.h"
#include "core/buf.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "format/record_json.h"
#include "render/export_json.h"

#include <errno.h>
#include <stdio.h>
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
    int rc = cli_start(&o, "import", "import FILE [--new-key]",
                       "Reads an incident written by 'hindsight export' (FILE, or - for standard "
                       "input) into\nthis store, in one transaction, keeping its key unless "
                       "--new-key. People, teams\nand the template it refers to are created "
                       "when missing and must agree when present.",
                       import_spec, ARRAY_SIZE(import_spec), argc, argv, 1, "the export file",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct buf text = BUF_INIT;
    const char *path = o.positional.items[0];
    struct import_result got;
    if (read_input(path, &text, &e) < 0 ||
        app_import_json(a, path, text.data ? text.data : "", text.len,
                        opts_flag(&o, "new-key"), &got, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    char at[TIME_STR_MAX];
    printf("imported %s (from %s exported %s)\n", got.key, got.source_key,
           time_format_rfc3339(got.exported_at, at));
    rc = EXIT_OK;
done:
    buf_release(&text);
    return cli_finish(&o, a, rc);
}
