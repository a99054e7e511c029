/* log_reader.c: turning JSON Lines logs into log records.
 *
 * Application logs are the narrative of an incident: what each service said and when. Their
 * field names vary by logging library, so each field accepts the usual aliases; everything
 * else about a line (length, blank lines, JSON syntax) is format/jsonl.c's business. */
#include "format/log_reader.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const TIME_NAMES[] = {"timestamp", "time", "ts", "@timestamp", NULL};
static const char *const MESSAGE_NAMES[] = {"message", "msg", NULL};
static const char *const LEVEL_NAMES[] = {"level", "severity", NULL};
static const char *const SERVICE_NAMES[] = {"service", NULL};
static const char *const TRACE_NAMES[] = {"trace_id", "traceId", NULL};

int log_reader_open(struct log_reader *r, FILE *f, struct err *e)
{
    (void)e;
    memset(r, 0, sizeof(*r));
    jsonl_reader_init(&r->lines, f);
    return ERR_OK;
}

void log_reader_release(struct log_reader *r)
{
    jsonl_reader_release(&r->lines);
    free(r->level);
    memset(r, 0, sizeof(*r));
}

unsigned log_reader_line(const struct log_reader *r)
{
    return jsonl_line(&r->lines);
}

/* A lowercase copy of s in the reader's level buffer. */
static const char *lower_level(struct log_reader *r, const char *s)
{
    size_t len = strlen(s);
    xgrow((void **)&r->level, &r->level_alloc, len + 1, 1);
    for (size_t i = 0; i < len; i++)
        r->level[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    r->level[len] = '\0';
    return r->level;
}

int log_reader_next(struct log_reader *r, struct log_record *ret, struct err *e)
{
    json_t *obj;
    int rc = jsonl_next(&r->lines, &obj, e);
    if (rc <= 0)
        return rc;
    struct log_record rec = {0, NULL, NULL, NULL, NULL};
    const char *level;
    if ((rc = jsonl_time(obj, TIME_NAMES, &rec.ts_ms, e)) < 0 ||
        (rc = jsonl_string(obj, MESSAGE_NAMES, true, &rec.message, e)) < 0 ||
        (rc = jsonl_string(obj, LEVEL_NAMES, false, &level, e)) < 0 ||
        (rc = jsonl_string(obj, SERVICE_NAMES, false, &rec.service, e)) < 0 ||
        (rc = jsonl_string(obj, TRACE_NAMES, false, &rec.trace_id, e)) < 0) {
        if (e) {
            e->line = jsonl_line(&r->lines);
            e->column = 0;
        }
        return rc;
    }
    rec.level = level ? lower_level(r, level) : NULL;
    *ret = rec;
    return 1;
}
