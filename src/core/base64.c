/* base64.c: RFC 4648 base64 with padding. Strict on input: no line breaks or spaces, no
 * missing padding, so that one byte string has exactly one accepted encoding. */
#include "core/base64.h"

#include "core/xalloc.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t len)
{
    const unsigned char *in = data;
    size_t groups = len / 3 + (len % 3 != 0);
    char *out = xmallocarray(groups + 1, 4); /* overflow-checked; one spare group for the NUL */
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* The 6-bit value of c, or -1. */
static int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int base64_decode(const char *text, size_t len, unsigned char **ret_data, size_t *ret_len,
                  struct err *e)
{
    if (len % 4 != 0)
        return err_set(e, ERR_INVALID, "base64 text of %zu characters (not a multiple of 4)",
                       len);
    size_t pad = len >= 4 ? (text[len - 1] == '=') + (text[len - 2] == '=') : 0;
    for (size_t i = 0; i < len - pad; i++)
        if (sextet(text[i]) < 0)
            return err_set(e, ERR_INVALID, "base64: unexpected character at offset %zu", i);
    /* The bits after the last byte must be zero, so that each byte string has one encoding. */
    if (pad && (sextet(text[len - pad - 1]) & (pad == 1 ? 3 : 15)) != 0)
        return err_set(e, ERR_INVALID, "base64: non-zero bits after the last byte");
    size_t n = len / 4 * 3 - pad;
    unsigned char *out = n ? xmalloc(n) : NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; k++)
            v = v << 6 | (uint32_t)(text[i + k] == '=' ? 0 : sextet(text[i + k]));
        out[o++] = (unsigned char)(v >> 16);
        if (o < n)
            out[o++] = (unsigned char)(v >> 8);
        if (o < n)
            out[o++] = (unsigned char)v;
    }
    *ret_data = out;
    *ret_len = n;
    return ERR_OK;
}
