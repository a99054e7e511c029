/* ast.h: the metric expression language's syntax tree (docs/query.md is the manual).
 *
 *   count() where event = 'checkout_started' and platform != 'web'
 *   (uniq(distinct_id) where event = 'purchase_completed') / (uniq(distinct_id))
 *   quantile(0.99, latency_ms) where country in ('US', 'DE')
 *   avg(metric('http_error_rate')) where service = 'payments'
 *   checkout_conversion where platform = 'android'        -- a saved metric, filtered
 *
 * A tree owns all its nodes and strings; query_free releases it. */
#ifndef QUERY_AST_H
#define QUERY_AST_H

#include "core/common.h"
#include "core/err.h"

enum agg_fn { AGG_COUNT, AGG_UNIQ, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_QUANTILE, AGG_STDDEV };

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct qvalue {
    bool is_number;
    double number;
    char *str; /* the literal's text (for numbers too) */
};

enum cond_kind { C_CMP, C_IN, C_AND, C_OR, C_NOT };

struct qcond {
    enum cond_kind kind;
    unsigned column; /* 1-based position in the expression, for messages */
    /* C_CMP, C_IN */
    char *field;
    enum cmp_op op;       /* C_CMP */
    bool negated;         /* C_IN: "not in" */
    struct qvalue *values; /* C_CMP: one; C_IN: n_values */
    size_t n_values;
    /* C_AND, C_OR: a and b; C_NOT: a */
    struct qcond *a, *b;
};

enum qnode_kind {
    Q_NUMBER, /* a constant */
    Q_AGG,    /* an aggregate over events */
    Q_METRIC, /* an aggregate over an ingested metric's points */
    Q_NAMED,  /* a saved metric, expanded before execution */
    Q_BINARY, /* left op right */
};

struct qnode {
    enum qnode_kind kind;
    unsigned column;
    double number;        /* Q_NUMBER */
    enum agg_fn fn;       /* Q_AGG, Q_METRIC */
    double q;             /* AGG_QUANTILE: the level, 0..1 */
    char *field;          /* Q_AGG: the aggregated field (NULL for count(); count(F) counts
                           * the events that have F) */
    char *name;           /* Q_METRIC: metric name; Q_NAMED: saved metric name */
    struct qcond *where;  /* Q_AGG, Q_METRIC, Q_NAMED: filter, may be NULL */
    char op;              /* Q_BINARY: + - * / */
    struct qnode *left, *right;
};

/* Parses text. On error returns NULL with ERR_INVALID, e->column (1-based) and a message
 * like "expected ')' to close 'count('". */
struct qnode *query_parse(const char *text, struct err *e);
void query_free(struct qnode *n);
void qcond_free(struct qcond *c);

/* Deep copies (for expanding saved metrics). */
struct qnode *query_copy(const struct qnode *n);
struct qcond *qcond_copy(const struct qcond *c);

/* Writes the expression back as text (normalised spacing), into a heap string. */
char *query_to_text(const struct qnode *n);

const char *agg_fn_name(enum agg_fn fn);

#endif
