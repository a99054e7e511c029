/* postmortem.h: the postmortem document and the records around it: templates and sections,
 * the checklist and the status gates it sets, the cadence of what is due, decisions and
 * participants' feedback (docs/workflow.md). */
#ifndef APP_POSTMORTEM_H
#define APP_POSTMORTEM_H

#include "app/app.h"
#include "model/checklist.h"
#include "model/template.h"

/* Stores a template file (refused when it does not parse: FILE:LINE: reason). */
int app_template_add(struct app *a, const char *path, char **ret_name, struct err *e);
/* The template called name ("default" is built in). */
int app_template_get(struct app *a, const char *name, struct template *ret, struct err *e);
/* The names of every template, the built-in one first (a heap array of heap strings). */
int app_template_names(struct app *a, char ***ret_names, size_t *ret_n, struct err *e);
/* Chooses the template of an incident's postmortem. */
int app_postmortem_use(struct app *a, const char *key, const char *template_name,
                       struct err *e);

/* Writes one section (text, or the contents of file when not NULL). Audited with the old and
 * new text. */
int app_postmortem_edit(struct app *a, const char *key, const char *section, const char *text,
                        const char *file, struct err *e);

/* The document: the template and each section's text (NULL when not written yet). */
struct postmortem_doc {
    struct template tmpl;
    char **texts;      /* per template section */
    char **authors;
    int64_t *updated;  /* TIME_UNSET when not written */
};

int app_postmortem_get(struct app *a, const char *key, struct postmortem_doc *ret,
                       struct err *e);
void postmortem_doc_release(struct postmortem_doc *d);

/* The checklist: each stage, whether it is marked done, and what its condition misses. */
struct checklist_item {
    enum stage stage;
    bool done, holds;
    int64_t done_at;
    char *done_by;
    char *missing; /* "" when the condition holds */
};

int app_checklist(struct app *a, const char *key, struct checklist_item ret[STAGE__COUNT],
                  struct err *e);
void checklist_items_release(struct checklist_item items[STAGE__COUNT]);
/* Marks a stage done; refused, saying what is missing, while its condition does not hold. */
int app_checklist_done(struct app *a, const char *key, const char *stage, struct err *e);

/* The gates of the lifecycle: moving to review needs the required sections written; moving
 * to complete needs every checklist stage done. incident_id is the store row. */
int app_postmortem_gate(struct app *a, int64_t incident_id, const char *key, int to_status,
                        struct err *e);

/* What is due: postmortems not yet in review, and follow-up reviews whose checklist's last
 * stage is not done, that are overdue or due within `within_ms`. */
struct due_item {
    char key[32];
    char *title;
    const char *what; /* "postmortem" or "follow-up review" */
    int64_t due_at;
    bool overdue;
    char *owner;
};

int app_due(struct app *a, int64_t within_ms, struct due_item **ret_list, size_t *ret_n,
            struct err *e);
void due_items_free(struct due_item *list, size_t n);

int app_decide(struct app *a, const char *key, const char *text, int64_t *ret_id,
               struct err *e);
int app_feedback(struct app *a, const char *key, const char *clarity, const char *usefulness,
                 const char *time_efficiency, const char *comment, int64_t *ret_id,
                 struct err *e);

#endif
