/* localize.h: multi-dimensional root-cause localisation over a cube of leaves.
 *
 * A cube has one leaf per combination of attribute values (a=a1, b=b3, c=c2), each with a real
 * value and an expected (forecast) value. localize() finds the smallest set of segments (a
 * segment fixes some attributes: a=a1&b=b3, the others are free) that explains the deviation
 * of the real values from the expected ones, searching every combination of attributes, not
 * one dimension at a time. The method (docs/localize.md) in short:
 *
 *  - a segment is scored by the Poisson log-likelihood ratio of its summed real value V against
 *    its summed expected value E ("it moved by V / E" against "it did not"), divided by a
 *    dispersion fitted on the cube: an overdispersed count's noise plus a relative error.
 *    Leaves that did not move lower a segment's score, and so do moved leaves it leaves out,
 *    so the best segment has the granularity of the cause;
 *  - the best segment of every cuboid is taken, then generalised: an attribute is dropped while
 *    the rest of the parent moved the same way (not necessarily by as much) or holds almost
 *    nothing; its leaves are then explained and the search goes on (RiskLoc's removal) while
 *    the best score is significant and not negligible against the first;
 *  - when the first segment fixes one attribute whose other values moved too, the search runs
 *    again without that attribute and the better-scoring answer is kept.
 *
 * Pure: arrays in, results out, no I/O. Memory is O(leaves x cuboids searched). */
#ifndef ANALYTICS_LOCALIZE_H
#define ANALYTICS_LOCALIZE_H

#include "core/common.h"
#include "core/err.h"

/* The value of a free attribute in a segment. */
#define LOC_ANY UINT32_MAX

/* At most this many attributes (a cube with more is refused). */
#define LOC_MAX_ATTRS 24

/* The cube, borrowed. Leaf i has the value codes codes[i * n_attrs + a] (0 .. card[a] - 1),
 * a real value real[i] and an expected value expected[i], both finite and >= 0. */
struct loc_cube {
    size_t n_leaves, n_attrs;
    const uint32_t *codes;
    const uint32_t *card;
    const double *real;
    const double *expected;
};

/* Knobs; zero fields take the defaults. One configuration serves every data set. */
struct loc_options {
    unsigned max_layer;  /* deepest segment, in attributes (default: all, within max_cuboids) */
    unsigned max_causes; /* at most this many segments (default 16) */
};

enum loc_status {
    LOC_FOUND,          /* a set of segments explains the deviation */
    LOC_NO_DEVIATION,   /* no leaf moves beyond the noise: nothing to explain */
    LOC_NO_EXPLANATION, /* leaves moved, but no small set of pure segments explains it */
};

/* A segment of the answer. */
struct loc_cause {
    uint32_t *values;   /* n_attrs codes, LOC_ANY for free attributes; owned */
    unsigned layer;     /* number of fixed attributes */
    double real;        /* summed over its leaves */
    double expected;
    double share;       /* its log-likelihood ratio (over the leaves it explains) over the sum
                           of the leaves': the part of the deviation it explains, 0..1 */
    size_t leaves;      /* leaves with a non-zero value under it */
};

struct loc_result {
    enum loc_status status;
    struct loc_cause *causes; /* sorted by share, largest first; owned */
    size_t n;
    double real, expected;    /* the cube's totals */
    double explained;         /* part of the deviation the set explains, 0..1 */
    double noise;             /* the fitted relative noise of a leaf (0: counts only) */
};

/* Localises the deviation of c. Returns ERR_OK with *ret filled (release it with
 * loc_result_release), or ERR_INVALID when the cube is malformed (a negative or non-finite
 * value, a code out of range, too many attributes). An empty cube gives LOC_NO_DEVIATION. */
int localize(const struct loc_cube *c, const struct loc_options *o, struct loc_result *ret,
             struct err *e);

void loc_result_release(struct loc_result *r);

/* The name of a status: "found", "no_deviation", "no_explanation". */
const char *loc_status_name(enum loc_status s);

#endif
