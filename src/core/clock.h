/* clock.h: the program's idea of "now".
 *
 * Every time-dependent answer (overdue, due soon, age) asks clock_now_ms(). When the
 * environment variable HINDSIGHT_NOW holds an RFC 3339 time, that is "now", so that tests and
 * demos give the same answer every day. */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include "core/common.h"
#include "core/err.h"

/* Reads HINDSIGHT_NOW once. Returns ERR_INVALID (with the reason in e) when it is set but not
 * a valid time; the clock then falls back to the real time. */
int clock_init(struct err *e);

/* Milliseconds since the epoch, UTC: HINDSIGHT_NOW when set, else the real clock. */
int64_t clock_now_ms(void);

#endif
