/* cpscore.h: the scores of TCPDBench (van den Burg and Williams, "An Evaluation of Change Point
 * Detection Algorithms", arXiv:2003.06222): the F1 measure with a margin and the segmentation
 * covering, against the change points of several human annotators.
 *
 * Reproduces analysis/scripts/metrics.py of TCPDBench, with one documented difference: the
 * reference walks an annotator's points in CPython set order, these functions walk them in
 * ascending order (on the 32 series of the TCPD data here it changes 1 of the 862 published
 * default F1 and cover values). Every floating-point operation is done in the reference's
 * order, so the other scores agree to the last bit.
 *
 * Change points are 0-based indices of the first point of a new regime. Pure: arrays in,
 * numbers out; no allocation escapes a call. */
#ifndef ANALYTICS_CPSCORE_H
#define ANALYTICS_CPSCORE_H

#include "core/common.h"

/* TCPDBench's margin: a prediction within 5 points of an annotation is a hit. */
#define CPSCORE_MARGIN 5

/* One annotator's change points (any order, duplicates allowed). */
struct cp_set {
    const int64_t *v;
    size_t n;
};

/* Cleans a detector's raw output as TCPDBench does before scoring: removes duplicates, keeps
 * 1 <= x <= n_obs - 2, sorts ascending. Writes into out (room for n values; it may be raw
 * itself) and returns how many were kept. */
size_t cp_clean(const int64_t *raw, size_t n, size_t n_obs, int64_t *out);

/* The F1 measure of predictions pred[0..n_pred) against k annotators: 0 is added to every
 * annotator's set and to the predictions; precision = hits of the union of all annotations /
 * |predictions|, recall = the mean over annotators of hits / |annotator's set|, where a hit
 * pairs each annotation (ascending) with the closest unused prediction within margin (ties:
 * the smaller index). F1 = P R / (R / 2 + P / 2). ret_precision and ret_recall may be NULL.
 * Returns NAN when k is 0. */
double cp_f1(const struct cp_set *annotators, size_t k, const int64_t *pred, size_t n_pred,
             int64_t margin, double *ret_precision, double *ret_recall);

/* The covering of each annotator's partition of [0, n_obs) by the partition of pred, averaged
 * over the annotators: (1 / n_obs) sum over annotated segments A of |A| * max over predicted
 * segments A' of |A n A'| / |A u A'|. Points outside 1 .. n_obs - 1 start no segment. Returns
 * NAN when k or n_obs is 0. */
double cp_cover(const struct cp_set *annotators, size_t k, const int64_t *pred, size_t n_pred,
                size_t n_obs);

#endif
