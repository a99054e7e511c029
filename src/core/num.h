/* num.h: strict, locale-independent number parsing.
 *
 * The whole string must be the number: no leading or trailing spaces, no trailing junk, no
 * empty string. On failure the output is not written and ERR_INVALID is returned. These are
 * the only places allowed to call strtoll/strtod. */
#ifndef CORE_NUM_H
#define CORE_NUM_H

#include "core/common.h"

int num_parse_i64(const char *s, int64_t *ret_value);
/* Parses an integer and checks min <= value <= max. */
int num_parse_i64_range(const char *s, int64_t min, int64_t max, int64_t *ret_value);
/* Parses a finite decimal number (no NaN, no infinity, no hex). */
int num_parse_double(const char *s, double *ret_value);

#endif
