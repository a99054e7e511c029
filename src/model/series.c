/* series.c: releasing a series result. */
#include "model/series.h"

#include <stdlib.h>
#include <string.h>

void series_result_release(struct series_result *r)
{
    for (size_t d = 0; d < r->n_by; d++)
        free(r->by[d]);
    free(r->by);
    for (size_t i = 0; i < r->n_groups * r->n_by; i++)
        free(r->group_keys[i]);
    free(r->group_keys);
    free(r->values);
    free(r->expr_text);
    memset(r, 0, sizeof(*r));
}
