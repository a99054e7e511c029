/* demo_history.h: a generated history of an organisation's incident records, one
 * `hindsight export` document per incident (docs/demo-data.md, "The history"). */
#ifndef APP_DEMO_HISTORY_H
#define APP_DEMO_HISTORY_H

#include "core/common.h"
#include "core/err.h"

#define DEMO_HISTORY_MONTHS_MAX 36
#define DEMO_HISTORY_MONTHS_DEFAULT 12

/* Writes the incidents of the months (30 days each) before end into dir/history/ as
 * incident-001.json, incident-002.json, ... in the order they started, replacing the documents
 * of an earlier run. Each file is written under a temporary name and renamed when complete.
 * months 0 writes none. *ret_count (may be NULL) gets the number written. */
int demo_history_write(uint64_t seed, int months, int64_t end, const char *dir,
                       size_t *ret_count, struct err *e);

#endif
