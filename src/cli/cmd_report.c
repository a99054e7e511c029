/* cmd_report.c: hindsight report KEY [--format md] [--out PATH]: the postmortem report. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "app/report.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "render/report_md.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct opt_spec report_spec[] = {
    {"format", OPT_VALUE, "md", "the format: md (Markdown, the only one available yet)"},
    {"out", OPT_VALUE, "PATH", "write the report to PATH (atomically) instead of stdout"},
};

/* Writes data to path through a temporary file in the same folder, then renames it. */
static int write_atomic(const char *path, const char *data, size_t len, struct err *e)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    FILE *f = NULL;
    int rc = ERR_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = err_set(e, ERR_IO, "--out %s: cannot create a temporary file: %s", path,
                     strerror(errno));
        goto done;
    }
    if (!(f = fdopen(fd, "w"))) {
        rc = err_set(e, ERR_IO, "--out %s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        goto done;
    }
    bool ok = fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        rc = err_set(e, ERR_IO, "--out %s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        goto done;
    }
done:
    free(tmp);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "report", "report KEY [--format md] [--out PATH]",
                       "Writes the postmortem report of an incident as Markdown: the key facts, "
                       "the postmortem's\nsections, timeline, diagnosis, hypotheses, action "
                       "items, checklist, decisions and\nexperiments. Only --format md is "
                       "available yet (HTML and JSON come later).",
                       report_spec, ARRAY_SIZE(report_spec), argc, argv, 1, "the incident key",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    const char *format = opts_value(&o, "format");
    if (format && strcmp(format, "md") != 0) {
        err_set(&e, ERR_INVALID, "--format %.40s is not available yet (only md)", format);
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct report r;
    if (app_report_gather(a, o.positional.items[0], &r, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    struct buf b = BUF_INIT;
    struct sink out = sink_buf(&b);
    render_report_md(&out, &r);
    report_release(&r);
    const char *path = opts_value(&o, "out");
    if (sink_failed(&out)) {
        err_set(&e, ERR_INTERNAL, "cannot render the report (out of memory)");
        rc = cli_fail(&e);
    } else if (path) {
        rc = write_atomic(path, b.data ? b.data : "", b.len, &e) < 0 ? cli_fail(&e) : EXIT_OK;
    } else {
        rc = fwrite(b.data ? b.data : "", 1, b.len, stdout) == b.len ? EXIT_OK : EXIT_FAIL;
    }
    buf_release(&b);
    return cli_finish(&o, a, rc);
}
