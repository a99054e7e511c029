/* transfer.h: moving a whole incident between stores: `hindsight export` and `hindsight import`
 * (docs/export.md).
 *
 * An export is the incident with everything that belongs to it (timeline, postmortem sections,
 * findings, hypotheses with their evidence and files, actions with notes and dependencies,
 * checklist, decisions, feedback, experiments, audit log) plus the people, teams and template
 * it refers to, in a versioned JSON document. Importing that document into another store gives
 * back the same record: exporting it there gives the same document, except for the fields
 * docs/export.md names (exported_at, exported_by, the key under --new-key, and one more audit
 * entry saying it was imported). */
#ifndef APP_TRANSFER_H
#define APP_TRANSFER_H

#include "app/app.h"
#include "model/record.h"

#include <jansson.h>

/* Gathers the incident named key ("INC-3" or "3") with everything that belongs to it into
 * *ret (initialised by the caller; released and filled on success), stamped with the run's
 * time and actor. ERR_NOT_FOUND for an unknown key. */
int app_export_gather(struct app *a, const char *key, struct record *ret, struct err *e);

/* The export document of the incident named key, a new reference owned by the caller (write
 * it with export_json_write, render/export_json.h, to keep every number exact).
 * ERR_NOT_FOUND for an unknown key; ERR_INVALID when a text of the record is not valid UTF-8
 * (the message names the part). */
int app_export_json(struct app *a, const char *key, json_t **ret, struct err *e);

/* What an import did: the key the incident got here, and where it came from. */
struct import_result {
    char key[INCIDENT_KEY_MAX];
    char source_key[INCIDENT_KEY_MAX]; /* its key in the exporting store */
    int64_t exported_at;
};

/* Imports the export document text[0..len) (path_for_messages names it in messages: "inc.json",
 * "-" for stdin) in one transaction, with one more audit entry saying who imported it, when,
 * and from which export. The incident keeps its key unless new_key, which gives it the next
 * free key instead. *ret says which key it got (written only on success).
 *
 * Refused (ERR_INVALID or ERR_CONFLICT), with nothing written: a document that is not valid
 * JSON ("inc.json:3:14: invalid JSON: ..."), of another version, or with a wrong value (the
 * message gives the JSON path); a key already used in this store (without new_key); a team,
 * person or template that this store has under the same name but different in what matters
 * (a team's lead or escalation contact, a person's team, a template's text); a file evidence
 * whose content does not match its SHA-256. */
int app_import_json(struct app *a, const char *path_for_messages, const char *text, size_t len,
                    bool new_key, struct import_result *ret, struct err *e);

/* Imports n documents (texts[i][0..lens[i]), named paths[i] in messages) in ONE transaction:
 * all of them or, on any refusal, none. ret[0..n) says which key each got. With new_key each
 * gets the next free key in turn. */
int app_import_many(struct app *a, size_t n, const char *const *paths, const char *const *texts,
                    const size_t *lens, bool new_key, struct import_result *ret, struct err *e);

#endif
