/*
 * records.h - generic create / update / delete for every entity: validation,
 * the write, and its audit-log entry in one transaction.  Every write path
 * goes through here (docs/ARCHITECTURE.md, "Writes"): the API and the forms
 * call records_create/update/delete; the grid, ingest acceptance and the
 * workflow moves call them inside their own transaction (a savepoint each);
 * a bulk load (bulk.h) asks the same steps row by row -
 * records_may_write_entity once, records_check_create or records_admit per
 * row - and batches only the write and its audit entry (store_bulk).
 */
#ifndef GIAPRANH_RECORDS_H
#define GIAPRANH_RECORDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/actor.h" /* struct actor, R_SYSTEM */
#include "schema/registry.h"
#include "store/store.h"

/* The steps of a write, in order:
 *   records_may_write_entity   may the actor write records of ent at all
 *   validate_record            input -> typed record (validate.h)
 *   records_admit              the exact record: links, may_write, whole,
 *                              workflow (initial states, moves, locks)
 *   store_insert/update/delete and records_audit, in one transaction. */

/* May the actor write records of ent at all: not an entity only the
 * system writes (E_READONLY, unless R_SYSTEM), and who->may_write with no
 * record.  Asked first, before any input is judged, so that one who may
 * not gets 403 rather than a list of bad fields. */
bool records_may_write_entity(struct store *s, const struct entity_def *ent,
    const struct actor *who, unsigned flags, struct err *e);

/* May this record be written so: after (typed, as it will be stored; NULL
 * for a delete) from before (as stored; NULL for a create).  References
 * named in other fields (validate_links), the actor's right on the exact
 * record, the whole-record checks, then the workflow (workflow_admit) and
 * the plausibility of indicator values (plaus_admit: an implausible figure
 * is submitted only with a comment).
 * For a delete: the actor's right on before, then the workflow. */
int records_admit(struct store *s, const struct entity_def *ent,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e);

/* A create's checks without its write: input validated (a bad record
 * naming a scope outside the actor's grants is the actor's 403:
 * records_refuse_named_scope), then records_admit.  The typed record to
 * insert, or NULL with e set.  Inside the caller's transaction. */
json_t *records_check_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    struct err *e);

/* Several writes that stand or fall together - a grid of figures, an
 * accepted ingest batch, a bulk load: records_may_write_entity for ent
 * (when not NULL), then one transaction, in which each records_* call is a
 * savepoint of its own.  records_batch_end keeps (commits) or undoes
 * everything; a failed commit is undone by itself. */
int records_batch_begin(struct store *s, const struct entity_def *ent,
    const struct actor *who, unsigned flags, struct err *e);
int records_batch_end(struct store *s, bool keep, struct err *e);

/* Create; *out (may be NULL) receives the stored record. */
int records_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    json_t **out, struct err *e);

/* Partial update (the fields present in input); expected_version > 0
 * guards against overwriting someone else's change (ERR_STALE). */
int records_update(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *input, int64_t expected_version, const struct actor *who,
    unsigned flags, json_t **out, struct err *e);

int records_delete(struct store *s, const struct entity_def *ent, int64_t id,
    int64_t expected_version, const struct actor *who, struct err *e);

/* A string or integer field of a record (NULL / 0 when absent). */
static inline const char *
rec_str(const json_t *rec, const char *field)
{
	return json_string_value(json_object_get(rec, field));
}

static inline int64_t
rec_int(const json_t *rec, const char *field)
{
	return json_integer_value(json_object_get(rec, field));
}

/* The validation flags for input from this actor (V_HIDE_CONFIDENTIAL
 * for a user without clearance, V_SYSTEM with R_SYSTEM). */
unsigned records_vflags(const struct actor *who, unsigned rflags);

/* Input that did not validate (e holds ERR_INVALID) may still name a
 * unit, organisation or owner outside the actor's grants - the fields
 * the entity's write rule reads (write_rule_field), each valid by
 * itself: then e becomes the actor's 403, which comes before the list of
 * bad fields.  before: the record an update starts from (NULL for a
 * create).  Nothing happens for system actors or other errors. */
void records_refuse_named_scope(struct store *s, const struct entity_def *ent,
    const json_t *input, const json_t *before, const struct actor *who,
    struct err *e);

/* Append one audit entry (inside the caller's transaction). */
int records_audit(struct store *s, const struct actor *who, const char *action,
    const char *entity, int64_t id, const json_t *before, const json_t *after,
    struct err *e);

#endif
