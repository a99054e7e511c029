/* err.h: the project's error codes and the error detail that travels with a call.
 *
 * Fallible functions return int: ERR_OK (0) on success or a negative code below. The human
 * explanation goes into a caller-supplied struct err; only cli/ (and later web/) prints it.
 * Messages are lowercase, without a final period, say what failed first and quote the subject:
 * "unknown incident 'INC-9'". */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include "core/common.h"

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,   /* bad input from the user or a file */
    ERR_NOT_FOUND = -2, /* a named record does not exist */
    ERR_CONFLICT = -3,  /* the request contradicts the record's state (forbidden move, duplicate) */
    ERR_STORE = -4,     /* the store cannot be opened, read or written (environment, corruption) */
    ERR_IO = -5,        /* a file or stream could not be read or written */
    ERR_INTERNAL = -6,  /* a bug or an unexpected library failure */
};

#define ERR_MSG_MAX 512

struct err {
    int code;
    /* Position of a parse failure, 0 when not applicable. */
    unsigned line, column;
    char msg[ERR_MSG_MAX];
};

#define ERR_INIT {0, 0, 0, {0}}

/* Records code and a formatted message in e (which may be NULL); returns code so that callers
 * can write `return err_set(e, ERR_INVALID, "...")`. */
int err_set(struct err *e, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Prefixes the existing message of e with a formatted context ("INC-3: "). Returns e->code. */
int err_prefix(struct err *e, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* A short name of a code ("invalid", "not found", ...), for logs and JSON. */
const char *err_code_name(int code);

#endif
