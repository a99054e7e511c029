/* clock.c: real or pinned time. */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"

#include "core/timefmt.h"

#include <stdlib.h>
#include <time.h>

static bool pinned;
static int64_t pinned_ms;

int clock_init(struct err *e)
{
    pinned = false;
    const char *s = getenv("HINDSIGHT_NOW");
    if (!s || !*s)
        return ERR_OK;
    int64_t ms;
    int rc = time_parse_rfc3339(s, &ms, e);
    if (rc < 0)
        return err_prefix(e, "HINDSIGHT_NOW: ");
    pinned = true;
    pinned_ms = ms;
    return ERR_OK;
}

int64_t clock_now_ms(void)
{
    if (pinned)
        return pinned_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
