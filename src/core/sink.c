/* sink.c: FILE and buffer sinks. */
#include "core/sink.h"

#include <stdarg.h>
#include <string.h>

void sink_write(struct sink *s, const char *data, size_t len)
{
    if (s->file) {
        if (len && fwrite(data, 1, len, s->file) != len)
            s->failed = true;
    } else {
        buf_append(s->buf, data, len);
    }
}

void sink_puts(struct sink *s, const char *str)
{
    sink_write(s, str, strlen(str));
}

void sink_printf(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (s->file) {
        if (vfprintf(s->file, fmt, ap) < 0)
            s->failed = true;
    } else {
        buf_vprintf(s->buf, fmt, ap);
    }
    va_end(ap);
}

bool sink_failed(const struct sink *s)
{
    return s->failed || (s->buf && buf_failed(s->buf));
}
