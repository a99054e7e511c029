/* out_file.c: writing a command's output to a file (--out) so that a reader never sees half of
 * it: a temporary file in the same folder, flushed to disk, renamed over the target. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_write_atomic(const char *path, const char *data, size_t len, struct err *e)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    FILE *f = NULL;
    int rc = ERR_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = err_set(e, ERR_IO, "%s: cannot create a temporary file: %s", path,
                     strerror(errno));
        goto done;
    }
    /* mkstemp makes the file private; a report is as readable as any file the user creates */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "w"))) {
        rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        goto done;
    }
    bool ok = fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        rc = err_set(e, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        goto done;
    }
done:
    free(tmp);
    return rc;
}

int cli_emit(const char *path, const struct buf *doc, const char *what, struct err *e)
{
    const char *data = doc->data ? doc->data : "";
    if (path)
        return cli_write_atomic(path, data, doc->len, e);
    if (fwrite(data, 1, doc->len, stdout) != doc->len || fflush(stdout) != 0)
        return err_set(e, ERR_IO, "cannot write the %s to stdout: %s", what, strerror(errno));
    return ERR_OK;
}

bool cli_out_is_dir(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    return (n && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

int cli_make_dir(const char *path, struct err *e)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "%s: cannot create the folder: %s", path, strerror(errno));
    return ERR_OK;
}
