/* json_scan.c: the in-place JSON scanner behind the event importer. */
#include "format/json_scan.h"

#include <string.h>

void json_scan_init(struct json_scan *s, const char *line, size_t len, char *scratch)
{
    s->p = s->begin = line;
    s->end = line + len;
    s->scratch = scratch;
    s->error = NULL;
    s->error_offset = 0;
    s->first = false;
}

static bool fail(struct json_scan *s, const char *why)
{
    if (!s->error) {
        s->error = why;
        s->error_offset = (size_t)(s->p - s->begin);
    }
    return false;
}

static void skip_ws(struct json_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

bool json_scan_at_end(struct json_scan *s)
{
    skip_ws(s);
    return s->p == s->end;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(struct json_scan *s, unsigned *ret)
{
    if (s->end - s->p < 4)
        return fail(s, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex(s->p[i]);
        if (h < 0)
            return fail(s, "invalid \\u escape");
        v = v * 16 + (unsigned)h;
    }
    s->p += 4;
    *ret = v;
    return true;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Validates one UTF-8 sequence starting at p (first byte >= 0x80); returns its length or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, min = 0x10000;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    unsigned cp = c & (0x3f >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* Decodes the escape after a backslash into out; returns bytes written or 0 on error. */
static size_t decode_escape(struct json_scan *s, char *out)
{
    char c = *s->p++;
    switch (c) {
    case '"': *out = '"'; return 1;
    case '\\': *out = '\\'; return 1;
    case '/': *out = '/'; return 1;
    case 'b': *out = '\b'; return 1;
    case 'f': *out = '\f'; return 1;
    case 'n': *out = '\n'; return 1;
    case 'r': *out = '\r'; return 1;
    case 't': *out = '\t'; return 1;
    case 'u': {
        unsigned cp;
        if (!read_hex4(s, &cp))
            return 0;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned lo;
            if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                return fail(s, "unpaired surrogate in \\u escape"), 0;
            s->p += 2;
            if (!read_hex4(s, &lo) || lo < 0xdc00 || lo > 0xdfff)
                return fail(s, "unpaired surrogate in \\u escape"), 0;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return fail(s, "unpaired surrogate in \\u escape"), 0;
        }
        return put_utf8(out, cp);
    }
    default:
        s->p--;
        return fail(s, "invalid escape in string"), 0;
    }
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define HAS_ZERO_BYTE(v) (((v) - ONES) & ~(v) & HIGHS)

/* Marks the bytes of w that end or complicate a plain string: '"', '\\', control characters
 * and bytes >= 0x80. The zero-byte trick may also mark bytes above a marked one, but the
 * lowest mark is always exact, which is all the scan uses. */
static uint64_t special_bytes(uint64_t w)
{
    return (w & HIGHS) | HAS_ZERO_BYTE(w ^ (ONES * '"')) | HAS_ZERO_BYTE(w ^ (ONES * '\\')) |
           ((w - ONES * 0x20) & ~w & HIGHS);
}

/* Reads a string (s->p at the opening quote). */
static bool read_string(struct json_scan *s, const char **ret, size_t *ret_len)
{
    s->p++;
    const char *start = s->p;
    /* Fast path: plain ASCII without escapes is returned in place. */
    while (s->end - s->p >= 8) {
        uint64_t w;
        memcpy(&w, s->p, 8); /* little-endian: the first byte is the lowest */
        uint64_t m = special_bytes(w);
        if (m) {
            s->p += __builtin_ctzll(m) >> 3;
            break;
        }
        s->p += 8;
    }
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            *ret = start;
            *ret_len = (size_t)(s->p - start);
            s->p++;
            return true;
        }
        if (c == '\\' || c < 0x20 || c >= 0x80)
            break;
        s->p++;
    }
    /* Slow path: copy what was scanned, then decode escapes and check UTF-8. The decoded form
     * is never longer than the source, so it fits the scratch slot at the same offset. */
    char *out = s->scratch + (start - s->begin);
    size_t n = (size_t)(s->p - start);
    memmove(out, start, n);
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            *ret = out;
            *ret_len = n;
            s->p++;
            return true;
        }
        if (c < 0x20)
            return fail(s, "control character in string");
        if (c == '\\') {
            s->p++;
            if (s->p >= s->end)
                break;
            size_t k = decode_escape(s, out + n);
            if (!k)
                return false;
            n += k;
        } else if (c >= 0x80) {
            size_t k = utf8_seq((const unsigned char *)s->p, (const unsigned char *)s->end);
            if (!k)
                return fail(s, "invalid UTF-8 in string");
            memmove(out + n, s->p, k);
            n += k;
            s->p += k;
        } else {
            out[n++] = (char)c;
            s->p++;
        }
    }
    return fail(s, "unterminated string");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool read_number(struct json_scan *s, struct json_value *ret)
{
    const char *start = s->p;
    if (s->p < s->end && *s->p == '-')
        s->p++;
    if (s->p >= s->end || !is_digit(*s->p))
        return fail(s, "invalid number");
    if (*s->p == '0')
        s->p++;
    else
        while (s->p < s->end && is_digit(*s->p))
            s->p++;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (s->p >= s->end || !is_digit(*s->p))
            return fail(s, "invalid number");
        while (s->p < s->end && is_digit(*s->p))
            s->p++;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (s->p >= s->end || !is_digit(*s->p))
            return fail(s, "invalid number");
        while (s->p < s->end && is_digit(*s->p))
            s->p++;
    }
    ret->kind = JK_NUMBER;
    ret->text = start;
    ret->len = (size_t)(s->p - start);
    return true;
}

static bool literal(struct json_scan *s, const char *word, enum json_kind kind,
                    struct json_value *ret)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return fail(s, "unexpected character");
    ret->kind = kind;
    ret->text = s->p;
    ret->len = n;
    s->p += n;
    return true;
}

/* Skips a nested object or array, checking its syntax, up to JSON_MAX_DEPTH. */
static bool skip_container(struct json_scan *s, int depth);

static bool read_value(struct json_scan *s, struct json_value *ret, int depth)
{
    skip_ws(s);
    if (s->p >= s->end)
        return fail(s, "unexpected end of line, expected a value");
    const char *start = s->p;
    switch (*s->p) {
    case '"':
        ret->kind = JK_STRING;
        return read_string(s, &ret->text, &ret->len);
    case '{':
    case '[':
        ret->kind = *s->p == '{' ? JK_OBJECT : JK_ARRAY;
        if (!skip_container(s, depth + 1))
            return false;
        ret->text = start;
        ret->len = (size_t)(s->p - start);
        return true;
    case 't': return literal(s, "true", JK_TRUE, ret);
    case 'f': return literal(s, "false", JK_FALSE, ret);
    case 'n': return literal(s, "null", JK_NULL, ret);
    default: return read_number(s, ret);
    }
}

static bool skip_container(struct json_scan *s, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return fail(s, "nested too deeply");
    char close = *s->p == '{' ? '}' : ']';
    bool object = close == '}';
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    for (;;) {
        struct json_value v;
        if (object) {
            skip_ws(s);
            if (s->p >= s->end || *s->p != '"')
                return fail(s, "expected a member name");
            const char *k;
            size_t kl;
            if (!read_string(s, &k, &kl))
                return false;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':')
                return fail(s, "expected ':'");
            s->p++;
        }
        if (!read_value(s, &v, depth))
            return false;
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            return true;
        }
        return fail(s, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

bool json_scan_object_begin(struct json_scan *s)
{
    skip_ws(s);
    if (s->p >= s->end || *s->p != '{')
        return fail(s, "expected a JSON object");
    s->p++;
    s->first = true;
    return true;
}

bool json_scan_peek_object(struct json_scan *s)
{
    skip_ws(s);
    return s->p < s->end && *s->p == '{';
}

bool json_scan_member(struct json_scan *s, const char **ret_key, size_t *ret_key_len)
{
    skip_ws(s);
    if (s->p >= s->end)
        return fail(s, "unexpected end of line inside an object");
    if (*s->p == '}') {
        s->p++;
        s->first = false; /* back in the enclosing object, which has had a member */
        return false;
    }
    if (s->first) {
        s->first = false;
    } else {
        if (*s->p != ',')
            return fail(s, "expected ',' between members");
        s->p++;
        skip_ws(s);
    }
    if (s->p >= s->end || *s->p != '"')
        return fail(s, "expected a member name");
    if (!read_string(s, ret_key, ret_key_len))
        return false;
    skip_ws(s);
    if (s->p >= s->end || *s->p != ':')
        return fail(s, "expected ':' after a member name");
    s->p++;
    return true;
}

bool json_scan_value(struct json_scan *s, struct json_value *ret)
{
    return read_value(s, ret, 1);
}
