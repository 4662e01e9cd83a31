/*
 * validate.h - check input against the entity table and turn it into a
 * typed record (the boundary: nothing untyped goes further in).
 *
 * Input values may be JSON-typed (API) or strings (CSV, forms): "23.000" is
 * read as 23000 for a number field, "31/10/2023" as 2023-10-31 for a date.
 * Every bad field is reported, each with a Vietnamese message, in
 * e->fields; the result is NULL then.
 */
#ifndef GIAPRANH_VALIDATE_H
#define GIAPRANH_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>

#include "base/error.h"
#include "schema/registry.h"
#include "store/store.h"

#define V_PARTIAL 0x01u /* PATCH: absent fields are not errors            */
#define V_SYSTEM  0x02u /* trusted caller: F_SYSTEM fields allowed         */
/* a writer without clearance: a reference to a record hidden from it
 * (confidential, or owned by such a record) is answered exactly as one
 * to a record that does not exist - no way to learn that it exists */
#define V_HIDE_CONFIDENTIAL 0x04u

/* Returns a new object holding only the fields present in input (and
 * "illustrative"), typed; NULL on any error.  With V_PARTIAL, required
 * fields may be absent but not set to null/empty. */
json_t *validate_record(struct store *s, const struct entity_def *ent,
    const json_t *input, unsigned flags, struct err *e);

/* Checks that need the whole record (dates in order, at least one party
 * named): run on the merged record before an update is written. */
int validate_whole(const struct entity_def *ent, const json_t *rec, struct err *e);

/* Whether validate_whole has anything to check on records of ent (bulk
 * loads skip building the record for it otherwise). */
bool validate_whole_applies(const struct entity_def *ent);

/* Parse one field value from text as a CSV cell or a query parameter
 * would give it.  Returns a new JSON value, or NULL with a message in msg
 * (the value is bad), or NULL with msg empty and e set when the value
 * could not be checked (out of memory, the database: not the input's
 * fault). */
json_t *validate_value(struct store *s, const struct field_def *f,
    const json_t *in, char *msg, size_t msglen, struct err *e);
/* The same with validate_record's flags (V_HIDE_CONFIDENTIAL). */
json_t *validate_value_flags(struct store *s, const struct field_def *f,
    const json_t *in, unsigned flags, char *msg, size_t msglen, struct err *e);

/* Whether a text field's value (trimmed, NFC: as it is stored) is within
 * the field's length, counted in characters - the one limit check of
 * validate_value and of a bulk load's cells typed directly (bulk.c). */
bool validate_text_fits(const struct field_def *f, const char *text);

/* References that name their entity in another field - a file's
 * owner_entity and owner_id: the record must exist (and, with
 * V_HIDE_CONFIDENTIAL, be visible), with the message of a missing
 * reference.  Run on the whole record (a create's, an update's merged). */
int validate_links(struct store *s, const struct entity_def *ent,
    const json_t *rec, unsigned flags, struct err *e);

#endif
