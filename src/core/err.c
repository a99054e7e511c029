/* err.c: filling struct err. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = code;
    return code;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    if (!e)
        return ERR_INTERNAL;
    char prefix[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    /* Build "<prefix><old>" in place: move the old text right, then copy the prefix in. */
    size_t plen = strlen(prefix), olen = strlen(e->msg);
    if (plen >= sizeof(e->msg))
        plen = sizeof(e->msg) - 1;
    if (olen > sizeof(e->msg) - 1 - plen)
        olen = sizeof(e->msg) - 1 - plen;
    memmove(e->msg + plen, e->msg, olen);
    memcpy(e->msg, prefix, plen);
    e->msg[plen + olen] = '\0';
    return e->code;
}

const char *err_code_name(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_INVALID: return "invalid";
    case ERR_NOT_FOUND: return "not found";
    case ERR_CONFLICT: return "conflict";
    case ERR_STORE: return "store";
    case ERR_IO: return "io";
    case ERR_INTERNAL: return "internal";
    default: return "unknown";
    }
}
