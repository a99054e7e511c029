/* lexer.c: splitting an expression into tokens. */
#include "query/lexer.h"

#include <string.h>
#include <strings.h>

void lexer_init(struct lexer *lx, const char *src)
{
    lx->src = lx->p = src;
}

static bool ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static bool ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static struct token make(struct lexer *lx, enum tok_kind kind, const char *start, size_t len)
{
    struct token t = {kind, (unsigned)(start - lx->src) + 1, start, len, false, NULL};
    return t;
}

static struct token error(struct lexer *lx, const char *at, const char *why)
{
    struct token t = make(lx, T_ERROR, at, 1);
    t.error = why;
    return t;
}

static struct token number(struct lexer *lx)
{
    const char *s = lx->p;
    while (digit(*lx->p))
        lx->p++;
    if (*lx->p == '.') {
        lx->p++;
        while (digit(*lx->p))
            lx->p++;
    }
    if (*lx->p == 'e' || *lx->p == 'E') {
        const char *q = lx->p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (digit(*q)) {
            lx->p = q;
            while (digit(*lx->p))
                lx->p++;
        }
    }
    if (ident_char(*lx->p))
        return error(lx, lx->p, "unexpected character after a number");
    return make(lx, T_NUMBER, s, (size_t)(lx->p - s));
}

static struct token quoted(struct lexer *lx, char q, enum tok_kind kind)
{
    const char *open = lx->p++;
    const char *s = lx->p;
    for (;;) {
        if (*lx->p == '\0')
            return error(lx, open, kind == T_STRING ? "unterminated string" : "unterminated `name`");
        if (*lx->p == q) {
            if (lx->p[1] == q) { /* a doubled quote stands for itself */
                lx->p += 2;
                continue;
            }
            break;
        }
        lx->p++;
    }
    struct token t = make(lx, kind, s, (size_t)(lx->p - s));
    t.column = (unsigned)(open - lx->src) + 1;
    t.quoted_ident = kind == T_IDENT;
    lx->p++;
    return t;
}

struct token lexer_next(struct lexer *lx)
{
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
        lx->p++;
    const char *s = lx->p;
    char c = *s;
    if (c == '\0')
        return make(lx, T_END, s, 0);
    if (digit(c) || (c == '.' && digit(s[1])))
        return number(lx);
    if (ident_start(c)) {
        while (ident_char(*lx->p))
            lx->p++;
        return make(lx, T_IDENT, s, (size_t)(lx->p - s));
    }
    if (c == '\'' || c == '"')
        return quoted(lx, c, T_STRING);
    if (c == '`')
        return quoted(lx, c, T_IDENT);
    lx->p++;
    switch (c) {
    case '(': return make(lx, T_LPAREN, s, 1);
    case ')': return make(lx, T_RPAREN, s, 1);
    case ',': return make(lx, T_COMMA, s, 1);
    case '+': return make(lx, T_PLUS, s, 1);
    case '-':
        if (*lx->p == '-') { /* a comment runs to the end of the line */
            while (*lx->p && *lx->p != '\n')
                lx->p++;
            return lexer_next(lx);
        }
        return make(lx, T_MINUS, s, 1);
    case '*': return make(lx, T_STAR, s, 1);
    case '/': return make(lx, T_SLASH, s, 1);
    case '=':
        if (*lx->p == '=')
            lx->p++;
        return make(lx, T_EQ, s, (size_t)(lx->p - s));
    case '!':
        if (*lx->p == '=') {
            lx->p++;
            return make(lx, T_NE, s, 2);
        }
        return error(lx, s, "unexpected '!' (did you mean '!='?)");
    case '<':
        if (*lx->p == '=' || *lx->p == '>') {
            enum tok_kind k = *lx->p == '=' ? T_LE : T_NE;
            lx->p++;
            return make(lx, k, s, 2);
        }
        return make(lx, T_LT, s, 1);
    case '>':
        if (*lx->p == '=') {
            lx->p++;
            return make(lx, T_GE, s, 2);
        }
        return make(lx, T_GT, s, 1);
    default:
        return error(lx, s, "unexpected character");
    }
}

bool token_is_keyword(const struct token *tok, const char *kw)
{
    return tok->kind == T_IDENT && !tok->quoted_ident && strlen(kw) == tok->len &&
           strncasecmp(tok->text, kw, tok->len) == 0;
}
