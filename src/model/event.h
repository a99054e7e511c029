/* event.h: one product event as the readers hand it to the store.
 *
 * A record is a view: every pointer refers to memory owned by the reader that produced it and
 * stays valid until that reader's next call. Strings are (ptr, len) and not NUL-terminated.
 * Properties are flattened: a nested object {"a": {"b": 1}} becomes the property "a.b". */
#ifndef MODEL_EVENT_H
#define MODEL_EVENT_H

#include "core/common.h"

struct event_prop {
    const char *name;
    size_t name_len;
    bool is_number;
    double number;   /* when is_number */
    const char *str; /* the text: a string's value, or a number's literal text */
    size_t str_len;
};

struct event_record {
    int64_t ts_ms;
    const char *event;
    size_t event_len;
    const char *distinct_id; /* may be NULL (anonymous) */
    size_t distinct_id_len;
    const struct event_prop *props;
    size_t n_props;
};

/* The built-in column names of the event store; properties with these names are stored as
 * "properties.<name>" so that they cannot shadow them. */
#define EVENT_COL_TIME "timestamp"
#define EVENT_COL_EVENT "event"
#define EVENT_COL_DISTINCT_ID "distinct_id"

#endif
