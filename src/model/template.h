/* template.h: postmortem templates: named lists of sections, each saying what it must answer.
 *
 * A template file (docs/workflow.md):
 *
 *   # comments start with '#'
 *   name: payments
 *   description: Postmortems of payment incidents
 *
 *   [summary] Summary (required)
 *   What happened, in two or three plain sentences.
 *
 *   [impact] Impact (required)
 *   Who was affected and how much.
 *
 * A section starts with "[id] Title", optionally ending in "(required)"; the lines after it,
 * up to the next section, are what the section must answer. */
#ifndef MODEL_TEMPLATE_H
#define MODEL_TEMPLATE_H

#include "core/common.h"
#include "core/err.h"

struct template_section {
    char *id, *title, *prompt;
    bool required;
};

struct template {
    char *name, *description;
    struct template_section *sections;
    size_t n;
};

#define TEMPLATE_DEFAULT_NAME "default"
#define TEMPLATE_MAX_BYTES ((size_t)256 << 10)

/* Parses text; on error ERR_INVALID with e->line and the reason. */
int template_parse(const char *text, struct template *ret, struct err *e);
/* The built-in template with the standard sections. */
void template_default(struct template *ret);
void template_release(struct template *t);
/* The template as a file (template_parse reads it back). A heap string. */
char *template_to_text(const struct template *t);
/* The section called id, or NULL. */
const struct template_section *template_section(const struct template *t, const char *id);

#endif
