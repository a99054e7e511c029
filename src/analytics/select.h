/* select.h: the k-th smallest of an array without sorting it. */
#ifndef ANALYTICS_SELECT_H
#define ANALYTICS_SELECT_H

#include "core/common.h"

/* Moves the k-th smallest (0-based, k < n) of v[0..n) to v[k], smaller ones before it and
 * larger ones after it (Hoare's quickselect with a median-of-three pivot): O(n) on average,
 * where a sort is O(n log n). The values must not be NaN. */
void select_kth(double *v, size_t n, size_t k);

#endif
