/* test_parse.c: the metric expression language: tokens, the trees of the documented forms
 * (docs/query.md), where-attachment, the printer's normal form and its round trip, and the
 * column and message of every refusal. */
#include "query/ast.h"
#include "query/lexer.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static struct qnode *parse_ok(const char *text)
{
    struct err e = ERR_INIT;
    struct qnode *n = query_parse(text, &e);
    cr_assert_not_null(n, "'%s' refused: %s", text, e.msg);
    return n;
}

/* Expects text to be refused at column with a message containing why. */
static void parse_bad(const char *text, unsigned column, const char *why)
{
    struct err e = ERR_INIT;
    struct qnode *n = query_parse(text, &e);
    cr_assert_null(n, "'%s' should be refused", text);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_eq(e.column, column, "'%s': column %u, expected %u (%s)", text, e.column, column,
                 e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "'%s': message '%s' should contain '%s'", text, e.msg,
              why);
}

static void expect_agg(const struct qnode *n, enum agg_fn fn, const char *field)
{
    cr_assert_not_null(n);
    cr_assert_eq(n->kind, Q_AGG, "kind %d, expected an aggregate", n->kind);
    cr_assert_eq(n->fn, fn, "fn %d, expected %d", n->fn, fn);
    if (field)
        cr_assert_str_eq(n->field, field);
    else
        cr_assert_null(n->field);
}

static void expect_cmp(const struct qcond *c, const char *field, enum cmp_op op, const char *str)
{
    cr_assert_not_null(c);
    cr_assert_eq(c->kind, C_CMP, "kind %d, expected a comparison", c->kind);
    cr_assert_str_eq(c->field, field);
    cr_assert_eq(c->op, op, "op %d, expected %d", c->op, op);
    cr_assert_eq(c->n_values, 1);
    cr_assert_not(c->values[0].is_number, "'%s' should be text", str);
    cr_assert_str_eq(c->values[0].str, str);
}

static void expect_cmp_num(const struct qcond *c, const char *field, enum cmp_op op, double v,
                           const char *literal)
{
    cr_assert_not_null(c);
    cr_assert_eq(c->kind, C_CMP);
    cr_assert_str_eq(c->field, field);
    cr_assert_eq(c->op, op);
    cr_assert_eq(c->n_values, 1);
    cr_assert(c->values[0].is_number);
    cr_assert_eq(c->values[0].number, v);
    cr_assert_str_eq(c->values[0].str, literal);
}

/* Prints n and checks the text. */
static void expect_text(const struct qnode *n, const char *want)
{
    char *got = query_to_text(n);
    cr_assert_str_eq(got, want);
    free(got);
}

/* Parses text and checks its normal form. */
static void normal_form(const char *text, const char *want)
{
    struct qnode *n = parse_ok(text);
    expect_text(n, want);
    query_free(n);
}

/* ---- the lexer ---- */

Test(query_parse, tokens)
{
    struct lexer lx;
    lexer_init(&lx, "count()  where `my f` >= -1.5e3 -- a comment\n <> 'it''s' Not");
    static const struct {
        enum tok_kind kind;
        unsigned column;
        const char *text;
    } want[] = {
        {T_IDENT, 1, "count"}, {T_LPAREN, 6, "("},   {T_RPAREN, 7, ")"},
        {T_IDENT, 10, "where"}, {T_IDENT, 16, "my f"}, {T_GE, 23, ">="},
        {T_MINUS, 26, "-"},    {T_NUMBER, 27, "1.5e3"}, {T_NE, 47, "<>"},
        {T_STRING, 50, "it''s"}, {T_IDENT, 58, "Not"}, {T_END, 61, ""},
    };
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        struct token t = lexer_next(&lx);
        cr_assert_eq(t.kind, want[i].kind, "token %zu: kind %d, expected %d", i, t.kind,
                     want[i].kind);
        cr_assert_eq(t.column, want[i].column, "token %zu: column %u, expected %u", i, t.column,
                     want[i].column);
        cr_assert(t.len == strlen(want[i].text) && memcmp(t.text, want[i].text, t.len) == 0,
                  "token %zu: '%.*s'", i, (int)t.len, t.text);
        if (i == 3)
            cr_assert(token_is_keyword(&t, "where"));
        if (i == 4)
            cr_assert(t.quoted_ident);
        if (i == 10)
            cr_assert(token_is_keyword(&t, "not"), "keywords are case-insensitive");
    }
    lexer_init(&lx, "`where` 1x # !a");
    struct token t = lexer_next(&lx);
    cr_assert_not(token_is_keyword(&t, "where"), "a quoted name is never a keyword");
    t = lexer_next(&lx);
    cr_assert_eq(t.kind, T_ERROR);
    cr_assert_str_eq(t.error, "unexpected character after a number");
}

/* ---- trees ---- */

Test(query_parse, aggregates)
{
    struct qnode *n = parse_ok("count()");
    expect_agg(n, AGG_COUNT, NULL);
    cr_assert_null(n->where);
    cr_assert_eq(n->column, 1);
    query_free(n);

    n = parse_ok("  COUNT(*)");
    expect_agg(n, AGG_COUNT, NULL);
    cr_assert_eq(n->column, 3);
    query_free(n);

    static const struct {
        const char *text;
        enum agg_fn fn;
        const char *field;
    } cases[] = {
        {"uniq(distinct_id)", AGG_UNIQ, "distinct_id"}, {"uniq($session_id)", AGG_UNIQ, "$session_id"},
        {"sum(revenue)", AGG_SUM, "revenue"},           {"avg(latency_ms)", AGG_AVG, "latency_ms"},
        {"Min(x)", AGG_MIN, "x"},                       {"max( device.model )", AGG_MAX, "device.model"},
        {"sum(`my field`)", AGG_SUM, "my field"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        n = parse_ok(cases[i].text);
        expect_agg(n, cases[i].fn, cases[i].field);
        query_free(n);
    }

    n = parse_ok("quantile(0.99, latency_ms)");
    expect_agg(n, AGG_QUANTILE, "latency_ms");
    cr_assert_eq(n->q, 0.99);
    query_free(n);
    n = parse_ok("quantile(1, x)");
    cr_assert_eq(n->q, 1);
    query_free(n);
    n = parse_ok("quantile(0, x)");
    cr_assert_eq(n->q, 0);
    query_free(n);
}

Test(query_parse, conditions)
{
    struct qnode *n = parse_ok("count() where event = 'checkout_started'");
    expect_agg(n, AGG_COUNT, NULL);
    expect_cmp(n->where, "event", OP_EQ, "checkout_started");
    cr_assert_eq(n->where->column, 15);
    query_free(n);

    /* and binds tighter than or; both associate to the left. */
    n = parse_ok("count() where event = 'checkout_started' and platform != 'web' and "
                 "country in ('US','DE')");
    const struct qcond *w = n->where;
    cr_assert_eq(w->kind, C_AND);
    cr_assert_eq(w->a->kind, C_AND);
    expect_cmp(w->a->a, "event", OP_EQ, "checkout_started");
    expect_cmp(w->a->b, "platform", OP_NE, "web");
    cr_assert_eq(w->b->kind, C_IN);
    cr_assert_str_eq(w->b->field, "country");
    cr_assert_not(w->b->negated);
    cr_assert_eq(w->b->n_values, 2);
    cr_assert_str_eq(w->b->values[0].str, "US");
    cr_assert_str_eq(w->b->values[1].str, "DE");
    query_free(n);

    n = parse_ok("count() WHERE a = 1 OR b = 2 AND NOT c = 3");
    w = n->where;
    cr_assert_eq(w->kind, C_OR);
    expect_cmp_num(w->a, "a", OP_EQ, 1, "1");
    cr_assert_eq(w->b->kind, C_AND);
    expect_cmp_num(w->b->a, "b", OP_EQ, 2, "2");
    cr_assert_eq(w->b->b->kind, C_NOT);
    expect_cmp_num(w->b->b->a, "c", OP_EQ, 3, "3");
    query_free(n);

    n = parse_ok("count() where (a = 1 or b = 2) and x not in (1, -2.5, 'z', \"w\")");
    w = n->where;
    cr_assert_eq(w->kind, C_AND);
    cr_assert_eq(w->a->kind, C_OR);
    cr_assert_eq(w->b->kind, C_IN);
    cr_assert(w->b->negated);
    cr_assert_eq(w->b->n_values, 4);
    cr_assert(w->b->values[0].is_number);
    cr_assert(w->b->values[1].is_number);
    cr_assert_eq(w->b->values[1].number, -2.5);
    cr_assert_str_eq(w->b->values[1].str, "-2.5");
    cr_assert_not(w->b->values[2].is_number);
    cr_assert_str_eq(w->b->values[3].str, "w");
    query_free(n);

    static const struct {
        const char *text;
        enum cmp_op op;
    } ops[] = {{"=", OP_EQ},  {"==", OP_EQ}, {"!=", OP_NE}, {"<>", OP_NE},
               {"<", OP_LT},  {"<=", OP_LE}, {">", OP_GT},  {">=", OP_GE}};
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        char text[64];
        snprintf(text, sizeof(text), "sum(x) where latency_ms %s -150", ops[i].text);
        n = parse_ok(text);
        expect_cmp_num(n->where, "latency_ms", ops[i].op, -150, "-150");
        query_free(n);
    }
}

Test(query_parse, string_literals_and_names)
{
    struct qnode *n = parse_ok("count() where a = 'it''s' and b = \"say \"\"hi\"\"\" and "
                               "`my ``odd`` field` = 'x'");
    const struct qcond *w = n->where;
    expect_cmp(w->a->a, "a", OP_EQ, "it's");
    expect_cmp(w->a->b, "b", OP_EQ, "say \"hi\"");
    expect_cmp(w->b, "my `odd` field", OP_EQ, "x");
    query_free(n);

    /* Only the quote that delimits a literal is doubled: other quotes are plain characters. */
    n = parse_ok("count() where a = \"it''s\" and b = 'x\"\"y' and `a''b` = 1");
    w = n->where;
    expect_cmp(w->a->a, "a", OP_EQ, "it''s");
    expect_cmp(w->a->b, "b", OP_EQ, "x\"\"y");
    expect_cmp_num(w->b, "a''b", OP_EQ, 1, "1");
    query_free(n);

    n = parse_ok("count() where a = '' -- empty text\n");
    expect_cmp(n->where, "a", OP_EQ, "");
    query_free(n);
}

Test(query_parse, arithmetic_and_precedence)
{
    struct qnode *n = parse_ok("1 + 2 * count() - 3 / 4");
    /* ((1 + (2 * count())) - (3 / 4)) */
    cr_assert_eq(n->kind, Q_BINARY);
    cr_assert_eq(n->op, '-');
    cr_assert_eq(n->left->kind, Q_BINARY);
    cr_assert_eq(n->left->op, '+');
    cr_assert_eq(n->left->left->kind, Q_NUMBER);
    cr_assert_eq(n->left->left->number, 1);
    cr_assert_eq(n->left->right->op, '*');
    expect_agg(n->left->right->right, AGG_COUNT, NULL);
    cr_assert_eq(n->right->op, '/');
    cr_assert_eq(n->right->right->number, 4);
    query_free(n);

    n = parse_ok("-count()");
    cr_assert_eq(n->kind, Q_BINARY);
    cr_assert_eq(n->op, '-');
    cr_assert_eq(n->left->kind, Q_NUMBER);
    cr_assert_eq(n->left->number, 0);
    expect_agg(n->right, AGG_COUNT, NULL);
    query_free(n);

    n = parse_ok("(count() where event = 'purchase_completed') / "
                 "(count() where event = 'product_viewed')");
    cr_assert_eq(n->op, '/');
    expect_agg(n->left, AGG_COUNT, NULL);
    expect_cmp(n->left->where, "event", OP_EQ, "purchase_completed");
    expect_agg(n->right, AGG_COUNT, NULL);
    expect_cmp(n->right->where, "event", OP_EQ, "product_viewed");
    query_free(n);

    /* Arithmetic after a where ends the condition. */
    n = parse_ok("count() where x = 1 / count()");
    cr_assert_eq(n->kind, Q_BINARY);
    cr_assert_eq(n->op, '/');
    expect_cmp_num(n->left->where, "x", OP_EQ, 1, "1");
    expect_agg(n->right, AGG_COUNT, NULL);
    cr_assert_null(n->right->where);
    query_free(n);
}

Test(query_parse, metrics_and_saved_names)
{
    struct qnode *n = parse_ok("metric('http_error_rate') where service = 'payments'");
    cr_assert_eq(n->kind, Q_METRIC);
    cr_assert_eq(n->fn, AGG_AVG);
    cr_assert_str_eq(n->name, "http_error_rate");
    expect_cmp(n->where, "service", OP_EQ, "payments");
    query_free(n);

    static const struct {
        const char *text;
        enum agg_fn fn;
    } m[] = {{"sum(metric('m'))", AGG_SUM}, {"avg(metric('m'))", AGG_AVG},
             {"min(metric('m'))", AGG_MIN}, {"MAX( Metric ( \"m\" ) )", AGG_MAX}};
    for (size_t i = 0; i < ARRAY_SIZE(m); i++) {
        n = parse_ok(m[i].text);
        cr_assert_eq(n->kind, Q_METRIC, "%s", m[i].text);
        cr_assert_eq(n->fn, m[i].fn, "%s", m[i].text);
        cr_assert_str_eq(n->name, "m");
        cr_assert_eq(n->column, 1);
        query_free(n);
    }

    n = parse_ok("checkout_conversion where platform = 'android'");
    cr_assert_eq(n->kind, Q_NAMED);
    cr_assert_str_eq(n->name, "checkout_conversion");
    expect_cmp(n->where, "platform", OP_EQ, "android");
    query_free(n);

    n = parse_ok("`checkout conversion` * 100");
    cr_assert_eq(n->left->kind, Q_NAMED);
    cr_assert_str_eq(n->left->name, "checkout conversion");
    query_free(n);
}

Test(query_parse, where_attachment)
{
    /* After parentheses, the filter lands on every aggregate inside (and-ed with its own). */
    struct qnode *n = parse_ok("((count() where event = 'purchase_completed') / count()) "
                               "where platform = 'ios'");
    cr_assert_eq(n->kind, Q_BINARY);
    cr_assert_null(n->where, "a binary node keeps no filter");
    const struct qcond *l = n->left->where;
    cr_assert_eq(l->kind, C_AND);
    expect_cmp(l->a, "event", OP_EQ, "purchase_completed");
    expect_cmp(l->b, "platform", OP_EQ, "ios");
    expect_cmp(n->right->where, "platform", OP_EQ, "ios");
    query_free(n);

    /* Numbers get no filter; metrics and saved names do. */
    n = parse_ok("(2 * sum(x) + metric('m') - saved) where a = 'b'");
    cr_assert_eq(n->op, '-');
    const struct qnode *plus = n->left;
    cr_assert_null(plus->left->left->where);
    cr_assert_eq(plus->left->left->kind, Q_NUMBER);
    expect_cmp(plus->left->right->where, "a", OP_EQ, "b");
    cr_assert_eq(plus->right->kind, Q_METRIC);
    expect_cmp(plus->right->where, "a", OP_EQ, "b");
    cr_assert_eq(n->right->kind, Q_NAMED);
    expect_cmp(n->right->where, "a", OP_EQ, "b");
    query_free(n);

    /* A where after a saved name stays on the Q_NAMED node, to be applied at expansion. */
    n = parse_ok("(conv where x = 1) where y = 2");
    cr_assert_eq(n->kind, Q_NAMED);
    cr_assert_eq(n->where->kind, C_AND);
    expect_cmp_num(n->where->a, "x", OP_EQ, 1, "1");
    expect_cmp_num(n->where->b, "y", OP_EQ, 2, "2");
    query_free(n);

    /* A unary minus applies to the filtered aggregate. */
    n = parse_ok("-count() where a = 1");
    cr_assert_eq(n->kind, Q_BINARY);
    expect_cmp_num(n->right->where, "a", OP_EQ, 1, "1");
    query_free(n);
}

Test(query_parse, copy_is_deep)
{
    struct qnode *n = parse_ok("(count() where a in (1, 'x') or not b = 2) / quantile(0.5, y)");
    struct qnode *c = query_copy(n);
    char *t1 = query_to_text(n);
    query_free(n);
    char *t2 = query_to_text(c);
    cr_assert_str_eq(t1, t2);
    query_free(c);
    free(t1);
    free(t2);
}

/* ---- the printer ---- */

Test(query_parse, normal_form)
{
    normal_form("count()", "count()");
    normal_form("COUNT( * )", "count()");
    normal_form("quantile(0.99,latency_ms)", "quantile(0.99, latency_ms)");
    normal_form("count() where event = 'checkout_started' and platform != 'web' and "
                "country in ('US','DE')",
                "count() where event = 'checkout_started' and platform != 'web' and "
                "country in ('US', 'DE')");
    normal_form("avg(metric('x'))", "metric('x')");
    normal_form("sum(metric(\"it's\"))", "sum(metric('it''s'))");
    normal_form("count() where x <> 1 and y == \"a\"", "count() where x != 1 and y = 'a'");
    normal_form("-count()", "0 - count()");
    normal_form("(1 - 2) - count()", "1 - 2 - count()");
    normal_form("1 - (2 - count())", "1 - (2 - count())");
    normal_form("(1 + 2) * count()", "(1 + 2) * count()");
    normal_form("count() where x = 1 / count()", "(count() where x = 1) / count()");
    normal_form("((count() where e = 'p') / count()) where platform = 'ios'",
                "(count() where e = 'p' and platform = 'ios') / (count() where platform = 'ios')");
    normal_form("count() where not (a = 1 or b = 2)", "count() where not (a = 1 or b = 2)");
    normal_form("count() where (a = 1 or b = 2) and c = 3",
                "count() where (a = 1 or b = 2) and c = 3");
    normal_form("count() where a = 1 or (b = 2 and c = 3)", "count() where a = 1 or b = 2 and c = 3");
    normal_form("sum(`my field`) where `a b` = 'x'", "sum(`my field`) where `a b` = 'x'");
    normal_form("1.50 * 1e3", "1.5 * 1000");
    normal_form("count() where x in (1.50, -0)", "count() where x in (1.50, -0)");
}

static void round_trip(const char *text)
{
    struct qnode *a = parse_ok(text);
    char *t1 = query_to_text(a);
    struct err e = ERR_INIT;
    struct qnode *b = query_parse(t1, &e);
    cr_assert_not_null(b, "'%s' printed as '%s', which is refused: %s", text, t1, e.msg);
    char *t2 = query_to_text(b);
    cr_assert_str_eq(t1, t2, "'%s' printed as '%s', then as '%s'", text, t1, t2);
    query_free(a);
    query_free(b);
    free(t1);
    free(t2);
}

Test(query_parse, print_round_trip)
{
    static const char *const exprs[] = {
        "count()",
        "count(*) where event = 'checkout_started'",
        "uniq(distinct_id)",
        "uniq($session_id) where $browser = 'Chrome'",
        "sum(revenue) + avg(latency_ms) - min(x) * max(y)",
        "quantile(0.99, latency_ms)",
        "quantile(0.5, `latency ms`) where country in ('US','DE')",
        "count() where event = 'checkout_started' and platform != 'web' and country in ('US','DE')",
        "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')",
        "metric('http_error_rate') where service = 'payments'",
        "sum(metric('http_requests_total'))",
        "min(metric('a')) / max(metric('b')) where env = 'prod'",
        "checkout_conversion where platform = 'android'",
        "((count() where event = 'purchase_completed') / count()) where platform = 'ios'",
        "count() where x = 1 / count()",
        "-count()",
        "- - -count() where a = 1",
        "-(count() - 1) * -2",
        "1 / (2 / (3 / count()))",
        "count() where not not a = 1",
        "count() where not (a = 1 and b = 2) or c in (1, -2, 'x') and d not in ('y')",
        "count() where ((a = 1 or b = 2) and (c = 3 or d = 4))",
        "count() where a = 'it''s' and b = \"q\"\"q\"",
        "count() where `weird ``name`` here` = 'x'",
        "sum(`1abc`) + `2saved` + `.dot`",
        "count() where a = 1e300 and b = 0.000001 and c = 123456789012345678901234567890",
        "12345678901234567890 * 0.1 + 1e-320 * count()",
        "(saved where a = 1) where b = 2",
        "count() where `and` = 1 or `not` in (2) and `or` != 3",
        "sum(`metric`) + `where` + max(`in`) where `where` = 1",
        "avg(metric('x')) where `metric` = 'y'",
        "count() -- trailing comment",
        "count(latency_ms) where platform = 'ios'",
        "stddev(latency_ms) / avg(latency_ms)",
    };
    for (size_t i = 0; i < ARRAY_SIZE(exprs); i++)
        round_trip(exprs[i]);
}

/* ---- refusals ---- */

Test(query_parse, errors)
{
    parse_bad("count(", 7, "expected ')' after count(");
    parse_bad("count(1)", 7, "expected ')' after count(");
    parse_bad("count(where)", 7, "expected a field name");
    parse_bad("count() where", 14, "expected a field name");
    parse_bad("count() where x ==", 19, "expected a value");
    parse_bad("count() where x = 'a", 19, "unterminated string");
    parse_bad("median(x)", 1, "unknown function 'median'");
    parse_bad("quantile(2, x)", 10, "quantile level between 0 and 1");
    parse_bad("quantile(-0.5, x)", 10, "quantile level between 0 and 1");
    parse_bad("quantile(0.5 x)", 14, "expected ',' after the quantile level");
    parse_bad("count() count()", 9, "unexpected text after the expression");
    parse_bad("1 where x = 1", 3, "'where' must follow an aggregate");
    parse_bad("metric(x)", 8, "expected the metric's name in quotes");
    parse_bad("metric('x'", 11, "expected ')' after the metric's name");
    parse_bad("#", 1, "unexpected character");
    parse_bad("count() + #", 11, "unexpected character");
    parse_bad("count() where a ! 1", 17, "unexpected '!'");
    parse_bad("", 1, "unexpected end of the expression");
    parse_bad("count() +", 10, "unexpected end of the expression");
    parse_bad("(count()", 9, "expected ')' to close '('");
    parse_bad("count() where (a = 1", 21, "expected ')' to close the condition");
    parse_bad("count() where a in 1", 20, "expected '(' after 'in'");
    parse_bad("count() where a in (1 2)", 23, "expected ',' or ')' in the 'in' list");
    parse_bad("count() where a not = 1", 21, "expected 'in' after 'not'");
    parse_bad("count() where a = -'x'", 19, "expected a value");
    parse_bad("count() where a", 16, "expected a comparison");
    parse_bad("count() where x = 1 where y = 2", 21, "unexpected 'where'");
    parse_bad("sum()", 5, "expected a field name");
    parse_bad("sum(x", 6, "expected ')' after the field name");
    parse_bad("uniq(metric('m'))", 12, "expected ')' after the field name");
    parse_bad("`unterminated", 1, "unterminated `name`");
    parse_bad("count() where x = 1x", 20, "unexpected character after a number");
}

static char *repeat3(const char *head, size_t n, const char *mid, const char *tail, size_t m)
{
    size_t cap = strlen(head) * n + strlen(mid) + strlen(tail) * m + 1;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(s, head);
    strcat(s, mid);
    for (size_t i = 0; i < m; i++)
        strcat(s, tail);
    return s;
}

Test(query_parse, deep_nesting_refused)
{
    char *s = repeat3("(", 100, "count()", ")", 100);
    parse_bad(s, 65, "nested too deeply");
    free(s);
    s = repeat3("- ", 100, "count()", "", 0); /* "--" would start a comment */
    parse_bad(s, 2 * 65 - 1, "nested too deeply");
    free(s);
    s = repeat3("(", 100000, "count()", ")", 100000);
    parse_bad(s, 65, "nested too deeply");
    free(s);
    char *c = repeat3("(", 100, "a = 1", ")", 100);
    size_t len = strlen(c) + 32;
    s = malloc(len);
    cr_assert_not_null(s);
    snprintf(s, len, "count() where %s", c);
    parse_bad(s, 14 + 64, "nested too deeply"); /* the 64th '(' */
    free(s);
    free(c);
    s = repeat3("not ", 100, "a = 1", "", 0);
    len = strlen(s) + 32;
    c = malloc(len);
    cr_assert_not_null(c);
    snprintf(c, len, "count() where %s", s);
    parse_bad(c, 15 + 4 * 63, "nested too deeply"); /* the 64th not */
    free(s);
    free(c);

    /* Moderate nesting is fine and prints back without the redundant parentheses. */
    s = repeat3("(", 40, "count()", ")", 40);
    normal_form(s, "count()");
    free(s);
}
