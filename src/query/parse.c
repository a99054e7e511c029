/* parse.c: recursive descent over the tokens into a tree (grammar in docs/query.md).
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary ['where' cond]
 *   primary := NUMBER | '(' expr ')' | call | NAME
 *   call    := count() | uniq(F) | sum(F) | avg(F) | min(F) | max(F) | quantile(Q, F)
 *            | metric('name') | sum|avg|min|max(metric('name'))
 *   cond    := conj ('or' conj)* ; conj := neg ('and' neg)* ; neg := 'not' neg | '(' cond ')' | test
 *   test    := F op value | F ['not'] 'in' '(' value (',' value)* ')'
 *
 * A 'where' applies to everything in the primary before it: on a parenthesised expression
 * or a saved metric it filters every aggregate inside. */
#include "query/ast.h"

#include "core/num.h"
#include "core/xalloc.h"
#include "query/lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 64
#define MAX_NODES 2000 /* evaluation, printing and freeing recurse over the tree */

struct parser {
    struct lexer lx;
    struct token tok;
    struct err *e;
    bool failed;
    int depth;
    int nodes;
};

static bool fail(struct parser *p, const char *fmt, const char *arg);

/* Every token can make at most one node, so a cap on tokens bounds the tree's size. */
static void advance(struct parser *p)
{
    p->tok = lexer_next(&p->lx);
    if (++p->nodes > MAX_NODES && p->tok.kind != T_END)
        fail(p, "expression too long (at most %s tokens)", "2000");
}

static bool fail_at(struct parser *p, unsigned column, const char *fmt, const char *arg)
{
    if (p->tok.kind == T_ERROR && !p->failed) { /* a lexical error explains itself best */
        column = p->tok.column;
        fmt = "%s";
        arg = p->tok.error;
    }
    if (!p->failed) {
        char msg[256];
        snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
        err_set(p->e, ERR_INVALID, "column %u: %s", column, msg);
        p->e->column = column;
        p->failed = true;
    }
    return false;
}

static bool fail(struct parser *p, const char *fmt, const char *arg)
{
    return fail_at(p, p->tok.column, fmt, arg);
}

static bool expect(struct parser *p, enum tok_kind kind, const char *what)
{
    if (p->tok.kind != kind)
        return fail(p, "expected %s", what);
    advance(p);
    return true;
}

/* The text of a string literal with doubled quotes undone, or a `name`. Only the quote that
 * delimits the token is doubled inside it ("it''s" keeps both quotes, as the lexer does). */
static char *unquote(const struct token *t)
{
    char q = t->text[-1]; /* the opening quote, just before the text */
    char *out = xmalloc(t->len + 1);
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++) {
        out[n++] = t->text[i];
        if (i + 1 < t->len && t->text[i] == q && t->text[i + 1] == q)
            i++;
    }
    out[n] = '\0';
    return out;
}

static bool token_number(const struct token *t, double *ret)
{
    char tmp[64];
    if (t->len >= sizeof(tmp))
        return false;
    memcpy(tmp, t->text, t->len);
    tmp[t->len] = '\0';
    return num_parse_double(tmp, ret) == ERR_OK;
}

/* ---- conditions ---- */

static struct qcond *parse_cond(struct parser *p);

static bool parse_value(struct parser *p, struct qvalue *v)
{
    bool neg = false;
    unsigned column = p->tok.column;
    if (p->tok.kind == T_MINUS) {
        neg = true;
        advance(p);
    }
    if (p->tok.kind == T_STRING && !neg) {
        v->is_number = false;
        v->str = unquote(&p->tok);
        advance(p);
        return true;
    }
    if (p->tok.kind == T_NUMBER) {
        if (!token_number(&p->tok, &v->number))
            return fail(p, "invalid number", NULL);
        v->is_number = true;
        if (neg)
            v->number = -v->number;
        size_t len = p->tok.len + (neg ? 1 : 0);
        v->str = xmalloc(len + 1);
        snprintf(v->str, len + 1, "%s%.*s", neg ? "-" : "", (int)p->tok.len, p->tok.text);
        advance(p);
        return true;
    }
    return fail_at(p, column, "expected a value ('text' or a number)%s", NULL);
}

static struct qcond *new_cond(enum cond_kind kind, unsigned column)
{
    struct qcond *c = xcalloc(1, sizeof(*c));
    c->kind = kind;
    c->column = column;
    return c;
}

static struct qcond *parse_in(struct parser *p, struct qcond *c)
{
    c->kind = C_IN;
    if (!expect(p, T_LPAREN, "'(' after 'in'"))
        return c;
    size_t cap = 0;
    for (;;) {
        xgrow((void **)&c->values, &cap, c->n_values + 1, sizeof(*c->values));
        memset(&c->values[c->n_values], 0, sizeof(*c->values));
        if (!parse_value(p, &c->values[c->n_values]))
            return c;
        c->n_values++;
        if (p->tok.kind == T_COMMA) {
            advance(p);
            continue;
        }
        expect(p, T_RPAREN, "',' or ')' in the 'in' list");
        return c;
    }
}

static struct qcond *parse_test(struct parser *p)
{
    if (p->tok.kind != T_IDENT || token_is_keyword(&p->tok, "and") ||
        token_is_keyword(&p->tok, "or")) {
        fail(p, "expected a field name, like platform or $session_id%s", NULL);
        return NULL;
    }
    struct qcond *c = new_cond(C_CMP, p->tok.column);
    c->field = p->tok.quoted_ident ? unquote(&p->tok) : xstrndup(p->tok.text, p->tok.len);
    advance(p);
    if (token_is_keyword(&p->tok, "not")) {
        advance(p);
        if (!token_is_keyword(&p->tok, "in")) {
            fail(p, "expected 'in' after 'not'%s", NULL);
            return c;
        }
        c->negated = true;
    }
    if (token_is_keyword(&p->tok, "in")) {
        advance(p);
        return parse_in(p, c);
    }
    static const struct {
        enum tok_kind tok;
        enum cmp_op op;
    } ops[] = {{T_EQ, OP_EQ}, {T_NE, OP_NE}, {T_LT, OP_LT},
               {T_LE, OP_LE}, {T_GT, OP_GT}, {T_GE, OP_GE}};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (p->tok.kind == ops[i].tok) {
            c->op = ops[i].op;
            advance(p);
            c->values = xcalloc(1, sizeof(*c->values));
            if (parse_value(p, &c->values[0]))
                c->n_values = 1;
            return c;
        }
    }
    fail(p, "expected a comparison (=, !=, <, <=, >, >=) or 'in' after '%s'", c->field);
    return c;
}

static struct qcond *parse_neg(struct parser *p)
{
    if (++p->depth > MAX_DEPTH) {
        fail(p, "expression nested too deeply%s", NULL);
        return NULL;
    }
    struct qcond *c;
    if (token_is_keyword(&p->tok, "not")) {
        c = new_cond(C_NOT, p->tok.column);
        advance(p);
        c->a = parse_neg(p);
    } else if (p->tok.kind == T_LPAREN) {
        advance(p);
        c = parse_cond(p);
        if (!p->failed)
            expect(p, T_RPAREN, "')' to close the condition");
    } else {
        c = parse_test(p);
    }
    p->depth--;
    return c;
}

static struct qcond *parse_binary_cond(struct parser *p, const char *kw, enum cond_kind kind,
                                       struct qcond *(*sub)(struct parser *))
{
    struct qcond *left = sub(p);
    while (!p->failed && token_is_keyword(&p->tok, kw)) {
        struct qcond *c = new_cond(kind, p->tok.column);
        advance(p);
        c->a = left;
        c->b = sub(p);
        left = c;
    }
    return left;
}

static struct qcond *parse_conj(struct parser *p)
{
    return parse_binary_cond(p, "and", C_AND, parse_neg);
}

static struct qcond *parse_cond(struct parser *p)
{
    return parse_binary_cond(p, "or", C_OR, parse_conj);
}

/* ---- expressions ---- */

static struct qnode *parse_expr(struct parser *p);

static struct qnode *new_node(enum qnode_kind kind, unsigned column)
{
    struct qnode *n = xcalloc(1, sizeof(*n));
    n->kind = kind;
    n->column = column;
    return n;
}

static const struct {
    const char *name;
    enum agg_fn fn;
} aggs[] = {
    {"count", AGG_COUNT}, {"uniq", AGG_UNIQ}, {"sum", AGG_SUM},         {"avg", AGG_AVG},
    {"min", AGG_MIN},     {"max", AGG_MAX},   {"quantile", AGG_QUANTILE},
    {"stddev", AGG_STDDEV},
};

const char *agg_fn_name(enum agg_fn fn)
{
    for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
        if (aggs[i].fn == fn)
            return aggs[i].name;
    return "?";
}

/* metric('name') — the caller has consumed "metric". */
static struct qnode *parse_metric(struct parser *p, unsigned column, enum agg_fn fn)
{
    struct qnode *n = new_node(Q_METRIC, column);
    n->fn = fn;
    if (!expect(p, T_LPAREN, "'(' after metric"))
        return n;
    if (p->tok.kind != T_STRING) {
        fail(p, "expected the metric's name in quotes, like metric('http_error_rate')%s", NULL);
        return n;
    }
    n->name = unquote(&p->tok);
    advance(p);
    expect(p, T_RPAREN, "')' after the metric's name");
    return n;
}

static char *field_name(struct parser *p)
{
    static const char *const keywords[] = {"where", "and", "or", "not", "in"};
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (token_is_keyword(&p->tok, keywords[i])) {
            fail(p, "expected a field name, like latency_ms (write `%s` for a field of that "
                    "name)", keywords[i]);
            return NULL;
        }
    if (p->tok.kind != T_IDENT) {
        fail(p, "expected a field name, like latency_ms%s", NULL);
        return NULL;
    }
    char *f = p->tok.quoted_ident ? unquote(&p->tok) : xstrndup(p->tok.text, p->tok.len);
    advance(p);
    return f;
}

static struct qnode *parse_call(struct parser *p, enum agg_fn fn, const struct token *name)
{
    struct qnode *n = new_node(Q_AGG, name->column);
    n->fn = fn;
    advance(p); /* '(' */
    if (fn == AGG_COUNT) { /* count() or count(*): events; count(F): events that have F */
        if (p->tok.kind == T_STAR)
            advance(p);
        if (p->tok.kind == T_RPAREN) {
            advance(p);
            return n;
        }
        if (p->tok.kind != T_IDENT) {
            fail(p, "expected ')' after count(%s", NULL);
            return n;
        }
    }
    if (fn == AGG_QUANTILE) {
        double q;
        if (p->tok.kind != T_NUMBER || !token_number(&p->tok, &q) || q < 0 || q > 1) {
            fail(p, "expected the quantile level between 0 and 1, like quantile(0.99, "
                    "latency_ms)%s", NULL);
            return n;
        }
        n->q = q;
        advance(p);
        if (!expect(p, T_COMMA, "',' after the quantile level"))
            return n;
    }
    if (fn != AGG_UNIQ && fn != AGG_QUANTILE && fn != AGG_COUNT && fn != AGG_STDDEV &&
        token_is_keyword(&p->tok, "metric")) {
        unsigned column = p->tok.column;
        advance(p);
        free(n);
        n = parse_metric(p, column, fn);
        n->column = name->column;
        expect(p, T_RPAREN, "')' to close the aggregate");
        return n;
    }
    n->field = field_name(p);
    if (n->field)
        expect(p, T_RPAREN, "')' after the field name");
    return n;
}

static struct qnode *parse_primary(struct parser *p)
{
    struct token t = p->tok;
    if (t.kind == T_NUMBER) {
        struct qnode *n = new_node(Q_NUMBER, t.column);
        if (!token_number(&t, &n->number))
            fail(p, "invalid number%s", NULL);
        advance(p);
        return n;
    }
    if (t.kind == T_LPAREN) {
        advance(p);
        struct qnode *n = parse_expr(p);
        if (!p->failed)
            expect(p, T_RPAREN, "')' to close '('");
        return n;
    }
    if (t.kind != T_IDENT) {
        fail(p, t.kind == T_END ? "unexpected end of the expression%s"
                                : "expected a number, '(', an aggregate like count() or a "
                                  "metric name%s", NULL);
        return NULL;
    }
    advance(p);
    if (p->tok.kind == T_LPAREN && !t.quoted_ident) {
        if (t.len == 6 && strncasecmp(t.text, "metric", 6) == 0)
            return parse_metric(p, t.column, AGG_AVG);
        for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
            if (strlen(aggs[i].name) == t.len && strncasecmp(t.text, aggs[i].name, t.len) == 0)
                return parse_call(p, aggs[i].fn, &t);
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(t.len < 60 ? t.len : 60), t.text);
        fail_at(p, t.column, "unknown function '%s' (expected count, uniq, sum, avg, min, max, "
                "stddev, quantile or metric)", name);
        return NULL;
    }
    struct qnode *n = new_node(Q_NAMED, t.column);
    n->name = t.quoted_ident ? unquote(&t) : xstrndup(t.text, t.len);
    return n;
}

/* Attaches a filter to a node: aggregates and metrics keep it; a saved metric keeps it until
 * it is expanded; a binary node passes it down to both sides. */
static void attach_where(struct qnode *n, const struct qcond *w)
{
    if (!n)
        return;
    if (n->kind == Q_BINARY) {
        attach_where(n->left, w);
        attach_where(n->right, w);
        return;
    }
    if (n->kind == Q_NUMBER)
        return;
    struct qcond *copy = qcond_copy(w);
    if (n->where) {
        struct qcond *both = new_cond(C_AND, w->column);
        both->a = n->where;
        both->b = copy;
        n->where = both;
    } else {
        n->where = copy;
    }
}

static bool has_aggregate(const struct qnode *n)
{
    if (!n)
        return false;
    if (n->kind == Q_BINARY)
        return has_aggregate(n->left) || has_aggregate(n->right);
    return n->kind != Q_NUMBER;
}

static struct qnode *parse_unary(struct parser *p)
{
    if (++p->depth > MAX_DEPTH) {
        fail(p, "expression nested too deeply%s", NULL);
        return NULL;
    }
    struct qnode *n;
    if (p->tok.kind == T_MINUS) {
        unsigned column = p->tok.column;
        advance(p);
        n = new_node(Q_BINARY, column);
        n->op = '-';
        n->left = new_node(Q_NUMBER, column);
        n->right = parse_unary(p);
    } else {
        n = parse_primary(p);
        if (!p->failed && token_is_keyword(&p->tok, "where")) {
            unsigned column = p->tok.column;
            if (!has_aggregate(n))
                fail(p, "'where' must follow an aggregate, like count() where ...%s", NULL);
            advance(p);
            struct qcond *w = p->failed ? NULL : parse_cond(p);
            if (!p->failed && w) {
                w->column = w->column ? w->column : column;
                attach_where(n, w);
            }
            qcond_free(w);
        }
    }
    p->depth--;
    return n;
}

static struct qnode *parse_binary(struct parser *p, struct qnode *(*sub)(struct parser *),
                                  enum tok_kind a, enum tok_kind b)
{
    struct qnode *left = sub(p);
    while (!p->failed && (p->tok.kind == a || p->tok.kind == b)) {
        struct qnode *n = new_node(Q_BINARY, p->tok.column);
        n->op = *p->tok.text;
        advance(p);
        n->left = left;
        n->right = sub(p);
        left = n;
    }
    return left;
}

static struct qnode *parse_term(struct parser *p)
{
    return parse_binary(p, parse_unary, T_STAR, T_SLASH);
}

static struct qnode *parse_expr(struct parser *p)
{
    return parse_binary(p, parse_term, T_PLUS, T_MINUS);
}

struct qnode *query_parse(const char *text, struct err *e)
{
    struct parser p = {0};
    p.e = e;
    lexer_init(&p.lx, text);
    advance(&p);
    struct qnode *n = parse_expr(&p);
    if (!p.failed && p.tok.kind != T_END)
        fail(&p, token_is_keyword(&p.tok, "where")
                     ? "unexpected 'where': put the filtered part in parentheses%s"
                     : "unexpected text after the expression%s", NULL);
    if (p.failed) {
        query_free(n);
        return NULL;
    }
    return n;
}

/* ---- ownership ---- */

void qcond_free(struct qcond *c)
{
    if (!c)
        return;
    free(c->field);
    for (size_t i = 0; i < c->n_values; i++)
        free(c->values[i].str);
    free(c->values);
    qcond_free(c->a);
    qcond_free(c->b);
    free(c);
}

void query_free(struct qnode *n)
{
    if (!n)
        return;
    free(n->field);
    free(n->name);
    qcond_free(n->where);
    query_free(n->left);
    query_free(n->right);
    free(n);
}

struct qcond *qcond_copy(const struct qcond *c)
{
    if (!c)
        return NULL;
    struct qcond *d = xmalloc(sizeof(*d));
    *d = *c;
    d->field = xstrdup(c->field);
    d->values = c->n_values ? xmallocarray(c->n_values, sizeof(*d->values)) : NULL;
    for (size_t i = 0; i < c->n_values; i++) {
        d->values[i] = c->values[i];
        d->values[i].str = xstrdup(c->values[i].str);
    }
    d->a = qcond_copy(c->a);
    d->b = qcond_copy(c->b);
    return d;
}

struct qnode *query_copy(const struct qnode *n)
{
    if (!n)
        return NULL;
    struct qnode *d = xmalloc(sizeof(*d));
    *d = *n;
    d->field = xstrdup(n->field);
    d->name = xstrdup(n->name);
    d->where = qcond_copy(n->where);
    d->left = query_copy(n->left);
    d->right = query_copy(n->right);
    return d;
}
