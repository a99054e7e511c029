/* evidence.c: freeing evidence descriptions. */
#include "model/evidence.h"

#include <stdlib.h>

void source_infos_free(struct source_info *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].kind);
        free(list[i].name);
        free(list[i].path);
        free(list[i].sha256);
        free(list[i].format);
        free(list[i].actor);
    }
    free(list);
}

void field_infos_free(struct field_info *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i].name);
    free(list);
}

void saved_metric_release(struct saved_metric *m)
{
    free(m->name);
    free(m->expr);
    free(m->unit);
    free(m->description);
    free(m->actor);
}

void saved_metrics_free(struct saved_metric *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        saved_metric_release(&list[i]);
    free(list);
}
