/* trends.h: the incident trends across calendar periods (hindsight trends), read from the whole
 * store: incidents, their audit logs, actions and feedback. Reads only; docs/trends.md defines
 * every figure and the rules behind it. */
#ifndef APP_TRENDS_H
#define APP_TRENDS_H

#include "app/app.h"
#include "core/timefmt.h"
#include "render/trends.h"

/* An incident recurs when one of its failure modes was on an incident that started within
 * this long before it. */
#define TRENDS_RECURRENCE_MS (90 * MS_PER_DAY)
/* More periods than this (a century of months) are refused as a mistyped range. */
#define TRENDS_PERIODS_MAX 1200

struct trends_query {
    enum trend_by by;
    int64_t since, until; /* on started_at, until exclusive; TIME_UNSET for open ends */
};

#define TRENDS_QUERY_INIT {TREND_MONTH, TIME_UNSET, TIME_UNSET}

/* The figures of every period from the one holding --since (else the first incident's) to the
 * one holding --until (else now, or the latest incident when that is later). Refuses
 * since >= until and ranges of more than TRENDS_PERIODS_MAX periods. */
int app_trends(struct app *a, const struct trends_query *q, struct trends *ret, struct err *e);

/* The UTC calendar period holding instant t: [*ret_from, *ret_to) and its label ("2026-01",
 * "2026-Q1"). */
void trend_period_of(int64_t t, enum trend_by by, int64_t *ret_from, int64_t *ret_to,
                     char label[16]);

#endif
