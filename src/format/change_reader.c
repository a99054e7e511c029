/* change_reader.c: reading the changes made around an incident from JSON Lines or CSV.
 *
 * Most incidents follow a change; the postmortem timeline needs every deploy, flag flip and
 * config push with its time, service and scope. This module maps either file form onto one
 * record and validates it the same way (required fields, the kind vocabulary, segment
 * syntax), naming a JSON field as "field" and a CSV column as "column" in messages. */
#include "format/change_reader.h"

#include "format/timestamp.h"

#include <string.h>
#include <strings.h>

static const char *const COLUMN_NAMES[CC__COUNT] = {
    "id", "timestamp", "kind", "service", "version", "description", "segment",
};
static const bool COLUMN_REQUIRED[CC__COUNT] = {true, true, true, false, false, false, false};

static const char *const KINDS[] = {"deploy", "flag", "config", "incident-response"};

int change_segment_check(const char *what, const char *segment, struct err *e)
{
    const char *p = segment;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (!eq)
            return err_set(e, ERR_INVALID, "%s: '%.*s' in '%.64s' is not key=value", what,
                           (int)(len < 64 ? len : 64), p, segment);
        if (eq == p)
            return err_set(e, ERR_INVALID, "%s: empty key in '%.64s' (expected key=value, like "
                           "platform=android)", what, segment);
        for (const char *k = p; k < eq; k++)
            if ((unsigned char)*k <= ' ' || *k == 0x7f)
                return err_set(e, ERR_INVALID, "%s: key '%.*s' in '%.64s' holds a space or "
                               "control character", what, (int)(eq - p < 64 ? eq - p : 64), p,
                               segment);
        if (!p[len])
            return ERR_OK;
        p += len + 1;
    }
}

/* Checks the fields common to both forms; word is "field" or "column". */
static int validate(struct change_record *rec, const char *word, struct err *e)
{
    if (!*rec->id)
        return err_set(e, ERR_INVALID, "%s 'id': empty", word);
    const char *kind = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(KINDS); i++)
        if (strcasecmp(rec->kind, KINDS[i]) == 0)
            kind = KINDS[i];
    if (!kind)
        return err_set(e, ERR_INVALID, "%s 'kind': unknown kind '%.64s' (expected deploy, "
                       "flag, config or incident-response)", word, rec->kind);
    rec->kind = kind;
    if (rec->segment) {
        char what[32];
        snprintf(what, sizeof(what), "%s 'segment'", word);
        return change_segment_check(what, rec->segment, e);
    }
    return ERR_OK;
}

static int next_jsonl(struct change_reader *r, struct change_record *ret, struct err *e)
{
    json_t *obj;
    int rc = jsonl_next(&r->lines, &obj, e);
    if (rc <= 0)
        return rc;
    struct change_record rec = {NULL, NULL, NULL, NULL, NULL, NULL, 0};
    const char **out[CC__COUNT] = {
        &rec.id, NULL, &rec.kind, &rec.service, &rec.version, &rec.description, &rec.segment,
    };
    static const char *const time_names[] = {"timestamp", NULL};
    for (size_t i = 0; i < CC__COUNT; i++) {
        const char *names[] = {COLUMN_NAMES[i], NULL};
        if (i == CC_TIMESTAMP)
            rc = jsonl_time(obj, time_names, &rec.ts_ms, e);
        else
            rc = jsonl_string(obj, names, COLUMN_REQUIRED[i], out[i], e);
        if (rc < 0)
            goto done;
    }
    rc = validate(&rec, "field", e);
done:
    if (rc < 0) {
        if (e) {
            e->line = jsonl_line(&r->lines);
            e->column = 0;
        }
        return rc;
    }
    *ret = rec;
    return 1;
}

static int next_csv(struct change_reader *r, struct change_record *ret, struct err *e)
{
    struct csv_row row;
    int rc = csv_next(&r->csv, &row, e);
    if (rc <= 0)
        return rc;
    struct change_record rec = {NULL, NULL, NULL, NULL, NULL, NULL, 0};
    const char **out[CC__COUNT] = {
        &rec.id, NULL, &rec.kind, &rec.service, &rec.version, &rec.description, &rec.segment,
    };
    if (row.n != r->n_cols) {
        rc = err_set(e, ERR_INVALID, "expected %zu columns like the header, got %zu", r->n_cols,
                     row.n);
        goto done;
    }
    for (size_t i = 0; i < CC__COUNT; i++) {
        if (r->col[i] == SIZE_MAX)
            continue;
        const struct csv_field *cell = &row.fields[r->col[i]];
        if (cell->len == 0) {
            if (COLUMN_REQUIRED[i]) {
                rc = err_set(e, ERR_INVALID, "column '%s': empty", COLUMN_NAMES[i]);
                goto done;
            }
            continue;
        }
        if (i == CC_TIMESTAMP) {
            rc = ts_parse_any(cell->ptr, cell->len, &rec.ts_ms, e);
            if (rc < 0) {
                err_prefix(e, "column 'timestamp': ");
                goto done;
            }
        } else {
            *out[i] = cell->ptr;
        }
    }
    rc = validate(&rec, "column", e);
done:
    if (rc < 0) {
        if (e) {
            e->line = csv_row_line(&r->csv);
            e->column = 0;
        }
        return rc;
    }
    *ret = rec;
    return 1;
}

/* Reads the header row and maps the columns. */
static int read_header(struct change_reader *r, struct err *e)
{
    struct csv_row row;
    int rc = csv_next(&r->csv, &row, e);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        err_set(e, ERR_INVALID, "empty file: expected a header row (id,timestamp,kind,...)");
        if (e)
            e->line = 1;
        return ERR_INVALID;
    }
    for (size_t i = 0; i < CC__COUNT; i++)
        r->col[i] = SIZE_MAX;
    r->n_cols = row.n;
    for (size_t c = 0; c < row.n; c++)
        for (size_t i = 0; i < CC__COUNT; i++) {
            if (strcasecmp(row.fields[c].ptr, COLUMN_NAMES[i]) != 0)
                continue;
            if (r->col[i] != SIZE_MAX) {
                err_set(e, ERR_INVALID, "header: column '%s' appears twice (columns %zu and "
                        "%zu)", COLUMN_NAMES[i], r->col[i] + 1, c + 1);
                goto fail;
            }
            r->col[i] = c;
        }
    for (size_t i = 0; i < CC__COUNT; i++)
        if (COLUMN_REQUIRED[i] && r->col[i] == SIZE_MAX) {
            err_set(e, ERR_INVALID, "header: missing column '%s' (required: id, timestamp, "
                    "kind)", COLUMN_NAMES[i]);
            goto fail;
        }
    return ERR_OK;
fail:
    if (e) {
        e->line = csv_row_line(&r->csv);
        e->column = 0;
    }
    return ERR_INVALID;
}

int change_reader_open(struct change_reader *r, FILE *f, enum change_format fmt,
                       struct err *e)
{
    memset(r, 0, sizeof(*r));
    r->fmt = fmt;
    if (fmt == CF_JSONL) {
        jsonl_reader_init(&r->lines, f);
        return ERR_OK;
    }
    csv_reader_init(&r->csv, f);
    int rc = read_header(r, e);
    if (rc < 0)
        change_reader_release(r);
    return rc;
}

int change_reader_next(struct change_reader *r, struct change_record *ret, struct err *e)
{
    return r->fmt == CF_JSONL ? next_jsonl(r, ret, e) : next_csv(r, ret, e);
}

unsigned change_reader_line(const struct change_reader *r)
{
    return r->fmt == CF_JSONL ? jsonl_line(&r->lines) : csv_row_line(&r->csv);
}

void change_reader_release(struct change_reader *r)
{
    if (r->fmt == CF_JSONL)
        jsonl_reader_release(&r->lines);
    else
        csv_reader_release(&r->csv);
    memset(r, 0, sizeof(*r));
}
