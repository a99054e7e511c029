/* lexer.h: tokens of the metric expression language. */
#ifndef QUERY_LEXER_H
#define QUERY_LEXER_H

#include "core/common.h"

enum tok_kind {
    T_END,
    T_NUMBER,
    T_STRING, /* '...' or "..." */
    T_IDENT,  /* names, keywords, `quoted names` */
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_ERROR,
};

struct token {
    enum tok_kind kind;
    unsigned column; /* 1-based */
    const char *text; /* into the expression (T_STRING: without quotes, escapes not yet undone) */
    size_t len;
    bool quoted_ident; /* `name`: never a keyword */
    const char *error; /* T_ERROR */
};

struct lexer {
    const char *src, *p;
};

void lexer_init(struct lexer *lx, const char *src);
struct token lexer_next(struct lexer *lx);
/* True when tok is the keyword kw (case-insensitive; quoted names never are). */
bool token_is_keyword(const struct token *tok, const char *kw);

#endif
