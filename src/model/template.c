/* template.c: the built-in postmortem template and the template file format. */
#include "model/template.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id, *title, *prompt;
    bool required;
} standard[] = {
    {"summary", "Summary", "What happened, in two or three plain sentences: what broke, who "
     "noticed, how it ended.", true},
    {"impact", "Impact", "Why it mattered: who was affected and how much (users, segments, "
     "revenue, support tickets), and for how long.", true},
    {"timeline", "Timeline", "The key moments in order: start, detection, response, mitigation, "
     "resolution.", true},
    {"root-causes", "Root causes", "Why it happened, and what data supported the conclusion: "
     "the confirmed hypotheses and their evidence.", true},
    {"trigger", "Trigger", "What set it off: a deploy, a flag, a config change, traffic.", false},
    {"detection", "Detection", "How and when it was detected; which signals warned, and which "
     "should have.", true},
    {"resolution", "Resolution", "What stopped the impact, and what fixed it.", true},
    {"went-well", "What went well", "What helped: tools, people, practices.", false},
    {"went-wrong", "What went wrong", "What made it worse or slower.", false},
    {"lucky", "Where we got lucky", "What could have made it worse and did not.", false},
    {"action-items", "Action items", "What will be done differently: the actions, their "
     "owners, due dates, and how their success is measured.", true},
    {"lessons-learned", "Lessons learned", "What the organisation learns from it.", true},
    {"supporting-data", "Supporting data", "Queries, charts and files behind the conclusions.",
     false},
};

static void add_section(struct template *t, const char *id, const char *title,
                        const char *prompt, bool required)
{
    t->sections = xreallocarray(t->sections, t->n + 1, sizeof(*t->sections));
    t->sections[t->n++] = (struct template_section){xstrdup(id), xstrdup(title),
                                                    xstrdup(prompt), required};
}

void template_default(struct template *ret)
{
    memset(ret, 0, sizeof(*ret));
    ret->name = xstrdup(TEMPLATE_DEFAULT_NAME);
    ret->description = xstrdup("The standard postmortem sections");
    for (size_t i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
        add_section(ret, standard[i].id, standard[i].title, standard[i].prompt,
                    standard[i].required);
}

void template_release(struct template *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->sections[i].id);
        free(t->sections[i].title);
        free(t->sections[i].prompt);
    }
    free(t->sections);
    free(t->name);
    free(t->description);
    memset(t, 0, sizeof(*t));
}

const struct template_section *template_section(const struct template *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->sections[i].id, id) == 0)
            return &t->sections[i];
    return NULL;
}

static bool id_ok(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_'))
            return false;
    return true;
}

static char *trim_copy(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return xstrndup(s, len);
}

/* "[id] Title (required)" into the template. */
static int section_line(struct template *t, const char *line, size_t len, struct err *e)
{
    const char *close = memchr(line, ']', len);
    if (!close || !id_ok(line + 1, (size_t)(close - line - 1)))
        return err_set(e, ERR_INVALID, "a section starts with [id] where id is a-z, 0-9, '-' "
                       "or '_'");
    char *id = xstrndup(line + 1, (size_t)(close - line - 1));
    char *title = trim_copy(close + 1, len - (size_t)(close + 1 - line));
    bool required = false;
    size_t tl = strlen(title);
    if (tl >= 10 && strcmp(title + tl - 10, "(required)") == 0) {
        required = true;
        title[tl - 10] = '\0';
        char *t2 = trim_copy(title, strlen(title));
        free(title);
        title = t2;
    }
    int rc = ERR_OK;
    if (template_section(t, id))
        rc = err_set(e, ERR_INVALID, "section '%s' is defined twice", id);
    else if (!*title)
        rc = err_set(e, ERR_INVALID, "section '%s' has no title", id);
    else
        add_section(t, id, title, "", required);
    free(id);
    free(title);
    return rc;
}

static int header_line(struct template *t, const char *line, size_t len, struct err *e)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return err_set(e, ERR_INVALID, "expected 'name: ...', 'description: ...' or a section "
                       "'[id] Title'");
    char *key = trim_copy(line, (size_t)(colon - line));
    char *value = trim_copy(colon + 1, len - (size_t)(colon + 1 - line));
    int rc = ERR_OK;
    if (strcmp(key, "name") == 0 && id_ok(value, strlen(value))) {
        free(t->name);
        t->name = value, value = NULL;
    } else if (strcmp(key, "name") == 0) {
        rc = err_set(e, ERR_INVALID, "the name may hold only a-z, 0-9, '-' and '_'");
    } else if (strcmp(key, "description") == 0) {
        free(t->description);
        t->description = value, value = NULL;
    } else {
        rc = err_set(e, ERR_INVALID, "unknown header '%.32s' (name or description)", key);
    }
    free(key);
    free(value);
    return rc;
}

static void append_prompt(struct template_section *s, const char *line, size_t len)
{
    char *text = trim_copy(line, len);
    struct buf b = BUF_INIT;
    buf_puts(&b, s->prompt);
    if (*s->prompt && *text)
        buf_putc(&b, '\n');
    buf_puts(&b, text);
    free(s->prompt);
    s->prompt = buf_detach(&b);
    free(text);
}

int template_parse(const char *text, struct template *ret, struct err *e)
{
    struct template t = {0};
    int rc = ERR_OK;
    unsigned line_no = 0;
    for (const char *p = text; *p && rc == ERR_OK;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line_no++;
        for (size_t i = 0; i < len && rc == ERR_OK; i++)
            if ((unsigned char)p[i] < 0x20 && p[i] != '\t' && p[i] != '\r')
                rc = err_set(e, ERR_INVALID, "control character");
        size_t skip = 0;
        while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
            skip++;
        if (rc == ERR_OK && skip < len && p[skip] != '#') {
            if (p[skip] == '[')
                rc = section_line(&t, p + skip, len - skip, e);
            else if (t.n == 0)
                rc = header_line(&t, p, len, e);
            else
                append_prompt(&t.sections[t.n - 1], p, len);
        }
        if (rc < 0)
            e->line = line_no;
        p = nl ? nl + 1 : p + len;
    }
    if (rc == ERR_OK && !t.name)
        rc = err_set(e, ERR_INVALID, "missing 'name: ...' before the sections");
    else if (rc == ERR_OK && t.n == 0)
        rc = err_set(e, ERR_INVALID, "no sections ('[id] Title' lines)");
    if (rc < 0) {
        template_release(&t);
        return rc;
    }
    if (!t.description)
        t.description = xstrdup("");
    *ret = t;
    return ERR_OK;
}

char *template_to_text(const struct template *t)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "name: %s\n", t->name);
    if (t->description && *t->description)
        buf_printf(&b, "description: %s\n", t->description);
    for (size_t i = 0; i < t->n; i++) {
        const struct template_section *s = &t->sections[i];
        buf_printf(&b, "\n[%s] %s%s\n", s->id, s->title, s->required ? " (required)" : "");
        if (*s->prompt)
            buf_printf(&b, "%s\n", s->prompt);
    }
    return buf_detach(&b);
}
