/* timeline.c: timeline kinds and entry lifetimes. */
#include "model/timeline.h"

#include <stdlib.h>
#include <strings.h>

static const char *const kind_names[TL__COUNT] = {
    "signal", "detection", "change", "response", "communication", "note",
};

const char *timeline_kind_name(enum timeline_kind k)
{
    return (unsigned)k < TL__COUNT ? kind_names[k] : "?";
}

int timeline_kind_parse(const char *s, enum timeline_kind *ret, struct err *e)
{
    for (int i = 0; i < TL__COUNT; i++) {
        if (strcasecmp(s, kind_names[i]) == 0) {
            *ret = (enum timeline_kind)i;
            return ERR_OK;
        }
    }
    return err_set(e, ERR_INVALID, "unknown timeline kind '%.64s' (expected signal, detection, "
                   "change, response, communication or note)", s);
}

void timeline_entry_release(struct timeline_entry *t)
{
    free(t->text);
    free(t->author);
    t->text = t->author = NULL;
}

void timeline_entries_free(struct timeline_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        timeline_entry_release(&list[i]);
    free(list);
}

void audit_entry_release(struct audit_entry *a)
{
    free(a->actor);
    free(a->record);
    free(a->action);
    free(a->field);
    free(a->old_value);
    free(a->new_value);
}

void audit_entries_free(struct audit_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        audit_entry_release(&list[i]);
    free(list);
}
