/* exec.h: what the series evaluator's files share (not for use outside src/query/). */
#ifndef QUERY_EXEC_H
#define QUERY_EXEC_H

#include "analytics/aggregate.h"
#include "core/strdict.h"
#include "query/ast.h"
#include "query/series.h"

/* The groups of one evaluation: a group is a tuple of dimension values, each value interned
 * per dimension; the tuple of value codes is interned in keys to give the group number. */
struct groups {
    size_t n_dims;
    struct strdict *dim_values; /* per dimension */
    struct strdict keys;        /* tuple of u32 value codes -> group code (1-based) */
    uint32_t *one_dim;          /* with one dimension: value code -> group + 1 (0: not yet) */
    size_t cap_one_dim;
};

void groups_init(struct groups *g, size_t n_dims);
void groups_release(struct groups *g);
/* The group number (0-based) of a tuple of per-dimension value codes. */
size_t groups_id(struct groups *g, const uint32_t *codes);

/* One aggregate of the expression with its cells. */
struct leaf {
    const struct qnode *node;
    struct agg_cells cells;
};

struct exec {
    struct store *store;
    int64_t from, to, bucket_ms;
    size_t n_buckets;
    const char *const *by;
    size_t n_by;
    struct groups groups;
    struct leaf *leaves;
    size_t n_leaves;
    int64_t rows_scanned;
};

enum cell_fn leaf_cell_fn(enum agg_fn fn);

/* Tests a comparison or 'in' condition against one text value (a missing value is ""):
 * numerically when both sides are numbers, else by bytes. */
bool qcond_test_text(const struct qcond *c, const char *s, size_t len);

/* Fills the cells of every Q_AGG leaf in one pass over the event chunks of the window. */
int exec_events(struct exec *x, struct err *e);
/* Fills the cells of every Q_METRIC leaf from the metric points of the window. */
int exec_metrics(struct exec *x, struct err *e);

#endif
