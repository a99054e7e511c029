/* base64.h: standard base64 (RFC 4648, with '=' padding), for binary content carried in text
 * formats (the file evidence of an exported incident). */
#ifndef CORE_BASE64_H
#define CORE_BASE64_H

#include "core/common.h"
#include "core/err.h"

/* The encoding of data[0..len) as a NUL-terminated heap string (the caller frees it). */
char *base64_encode(const void *data, size_t len);

/* Decodes text[0..len). Refuses (ERR_INVALID, the offset of the first bad byte in the message)
 * characters outside the alphabet (padding included where it does not belong), a length that
 * is not a multiple of 4 and non-zero bits after the last byte;
 * nothing is written then. On success *ret_data is a heap buffer of *ret_len bytes (NULL for
 * an empty text) owned by the caller. */
int base64_decode(const char *text, size_t len, unsigned char **ret_data, size_t *ret_len,
                  struct err *e);

#endif
