/* print.c: an expression tree back to text, in a normal form (used to show saved metrics
 * and the expression a series was computed from). */
#include "query/ast.h"

#include "core/buf.h"

#include <stdbool.h>
#include <strings.h>

static void value_text(struct buf *b, const struct qvalue *v)
{
    if (v->is_number) {
        buf_puts(b, v->str);
        return;
    }
    buf_putc(b, '\'');
    for (const char *p = v->str; *p; p++) {
        if (*p == '\'')
            buf_putc(b, '\'');
        buf_putc(b, *p);
    }
    buf_putc(b, '\'');
}

/* The keywords a bare name would be read as (a field called `and` must stay quoted). */
static bool keyword(const char *s)
{
    static const char *const kw[] = {"and", "or", "not", "in", "where", "metric"};
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (strcasecmp(s, kw[i]) == 0)
            return true;
    return false;
}

static bool plain_name(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9') || *s == '.' || keyword(s))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '$' || *p == '.'))
            return false;
    return true;
}

static void name_text(struct buf *b, const char *s)
{
    if (plain_name(s)) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '`');
    for (const char *p = s; *p; p++) {
        if (*p == '`')
            buf_putc(b, '`');
        buf_putc(b, *p);
    }
    buf_putc(b, '`');
}

static void cond_text(struct buf *b, const struct qcond *c, int parent)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    switch (c->kind) {
    case C_CMP:
        name_text(b, c->field);
        buf_printf(b, " %s ", ops[c->op]);
        value_text(b, &c->values[0]);
        return;
    case C_IN:
        name_text(b, c->field);
        buf_puts(b, c->negated ? " not in (" : " in (");
        for (size_t i = 0; i < c->n_values; i++) {
            if (i)
                buf_puts(b, ", ");
            value_text(b, &c->values[i]);
        }
        buf_putc(b, ')');
        return;
    case C_NOT:
        buf_puts(b, "not ");
        cond_text(b, c->a, 3);
        return;
    case C_AND:
    case C_OR: {
        int prec = c->kind == C_AND ? 2 : 1;
        if (prec < parent)
            buf_putc(b, '(');
        cond_text(b, c->a, prec);
        buf_puts(b, c->kind == C_AND ? " and " : " or ");
        cond_text(b, c->b, prec + 1);
        if (prec < parent)
            buf_putc(b, ')');
        return;
    }
    }
}

static void node_text(struct buf *b, const struct qnode *n, int parent)
{
    bool wrap = n->where && parent > 0 && n->kind != Q_BINARY;
    if (wrap)
        buf_putc(b, '(');
    switch (n->kind) {
    case Q_NUMBER:
        buf_printf(b, "%.15g", n->number);
        break;
    case Q_AGG:
        if (n->fn == AGG_QUANTILE)
            buf_printf(b, "quantile(%.15g, ", n->q);
        else
            buf_printf(b, "%s(", agg_fn_name(n->fn));
        if (n->field)
            name_text(b, n->field);
        buf_putc(b, ')');
        break;
    case Q_METRIC:
        if (n->fn != AGG_AVG)
            buf_printf(b, "%s(", agg_fn_name(n->fn));
        buf_puts(b, "metric(");
        value_text(b, &(struct qvalue){false, 0, n->name});
        buf_putc(b, ')');
        if (n->fn != AGG_AVG)
            buf_putc(b, ')');
        break;
    case Q_NAMED:
        name_text(b, n->name);
        break;
    case Q_BINARY: {
        int prec = n->op == '+' || n->op == '-' ? 1 : 2;
        bool paren = prec < parent;
        if (paren)
            buf_putc(b, '(');
        node_text(b, n->left, prec);
        buf_printf(b, " %c ", n->op);
        node_text(b, n->right, prec + 1);
        if (paren)
            buf_putc(b, ')');
        return;
    }
    }
    if (n->where) {
        buf_puts(b, " where ");
        cond_text(b, n->where, 0);
    }
    if (wrap)
        buf_putc(b, ')');
}

char *query_to_text(const struct qnode *n)
{
    struct buf b = BUF_INIT;
    node_text(&b, n, 0); /* filtered operands of + - * / are parenthesised, for the reader */
    return buf_detach(&b);
}
