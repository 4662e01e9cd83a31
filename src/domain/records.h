/*
 * records.h - generic create / update / delete for every entity: validation,
 * the write, and its audit-log entry in one transaction.  The API, the CLI
 * import and the demo loader all write through here.
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
