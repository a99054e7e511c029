/* line_reader.c: block-buffered line splitting with a length cap. */
#include "format/line_reader.h"

#include "core/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)4 << 20)

void line_reader_init(struct line_reader *r, FILE *f)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->cap = BLOCK;
    r->buf = xmalloc(r->cap);
}

void line_reader_release(struct line_reader *r)
{
    free(r->buf);
    free(r->line);
    r->buf = r->line = NULL;
}

static bool refill(struct line_reader *r)
{
    if (r->eof)
        return false;
    r->len = fread(r->buf, 1, r->cap, r->f);
    r->pos = 0;
    if (r->len < r->cap) {
        r->eof = true;
        r->error = ferror(r->f) != 0;
    }
    return r->len > 0;
}

static void strip_cr(const char *line, size_t *len)
{
    if (*len && line[*len - 1] == '\r')
        (*len)--;
}

int line_reader_next(struct line_reader *r, const char **ret_line, size_t *ret_len,
                     struct err *e)
{
    size_t assembled = 0;
    bool too_long = false;
    for (;;) {
        if (r->pos >= r->len && !refill(r)) {
            if (r->error)
                return err_set(e, ERR_IO, "read error: %s", strerror(errno));
            if (assembled == 0 && !too_long)
                return LINE_EOF;
            r->line_no++; /* a last line without a newline */
            if (too_long)
                return LINE_TOO_LONG;
            *ret_line = r->line;
            *ret_len = assembled;
            strip_cr(r->line, ret_len);
            return LINE_OK;
        }
        const char *start = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        const char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        r->pos += take + (nl ? 1 : 0);
        r->bytes += take + (nl ? 1 : 0);
        if (!too_long && assembled + take > LINE_MAX_BYTES)
            too_long = true;
        if (nl && assembled == 0 && !too_long) {
            /* The common case: the whole line is inside the block; no copy. */
            r->line_no++;
            *ret_line = start;
            *ret_len = take;
            strip_cr(start, ret_len);
            return LINE_OK;
        }
        if (!too_long) {
            xgrow((void **)&r->line, &r->line_cap, assembled + take + 1, 1);
            memcpy(r->line + assembled, start, take);
            assembled += take;
        }
        if (nl) {
            r->line_no++;
            if (too_long)
                return LINE_TOO_LONG;
            *ret_line = r->line;
            *ret_len = assembled;
            strip_cr(r->line, ret_len);
            return LINE_OK;
        }
    }
}
