/*
 * record.h - a typed record: one value per field of its entity, allocated
 * in the request's arena (arena.h), read and written by field id
 * (entities.h: FLD_MEETING_HELD_ON), so that a misspelt field is a compile
 * error and a field of another entity is caught at run time.
 *
 * It is what store, validation, records and reports hand each other; JSON
 * stays at the edges (API in and out, the audit log), through
 * record_from_json and record_to_json.  docs/ENTITIES.md has the plan.
 *
 * Values.  A field is absent (not given: a partial update leaves it as
 * stored), null, or a value of its type: FT_INTEGER and FT_REF an int64,
 * FT_DECIMAL a double, FT_BOOLEAN a bool, the others (text, date, enum,
 * catalog) a NUL-terminated UTF-8 string in the record's arena.  Reading a
 * field as another type, or a field of another entity, is a programming
 * error: debug builds abort with the field named, others read null.
 */
#ifndef GIAPRANH_RECORD_H
#define GIAPRANH_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "schema/entities.h"
#include "base/error.h"
#include "schema/registry.h"

enum value_type {
	VAL_ABSENT = 0, /* not given (zeroed memory is absent)   */
	VAL_NULL,
	VAL_INT,        /* FT_INTEGER, FT_REF                    */
	VAL_REAL,       /* FT_DECIMAL                            */
	VAL_TEXT,       /* FT_TEXT, FT_DATE, FT_ENUM, FT_CATALOG */
	VAL_BOOL        /* FT_BOOLEAN                            */
};

struct value {
	enum value_type type;
	union {
		int64_t i;
		double r;
		const char *s;
		bool b;
	} u;
};

/* The columns every table has (registry.h), present once stored. */
#define REC_HAS_ID           0x01u
#define REC_HAS_VERSION      0x02u
#define REC_HAS_CREATED_AT   0x04u
#define REC_HAS_UPDATED_AT   0x08u
#define REC_HAS_ILLUSTRATIVE 0x10u

struct record {
	enum entity_id entity;
	const struct entity_def *def;
	struct arena *arena;    /* where its strings live                    */
	unsigned common;        /* REC_HAS_*: which common columns it has    */
	int64_t id;
	int64_t version;
	const char *created_at;
	const char *updated_at;
	bool illustrative;
	size_t nvalues;         /* def->nfields                              */
	struct value v[];       /* one per field, in the entity's order      */
};

/* entity_of, field_of, field_name, field_id_of: registry.h */

/* A record of entity e with every field absent, in arena a; NULL when
 * the arena fails. */
struct record *record_new(struct arena *a, enum entity_id e);

/* A copy of r (its strings too) in arena a. */
struct record *record_copy(struct arena *a, const struct record *r);

/* ---- reading ------------------------------------------------------------ */

const struct value *record_value(const struct record *r, enum field_id f);
bool record_has(const struct record *r, enum field_id f);     /* not absent */
bool record_is_null(const struct record *r, enum field_id f); /* absent or null */
const char *record_str(const struct record *r, enum field_id f); /* NULL: null */
int64_t record_int(const struct record *r, enum field_id f);     /* 0: null    */
double record_real(const struct record *r, enum field_id f);     /* 0: null    */
bool record_bool(const struct record *r, enum field_id f);       /* false: null */

/* ---- writing (0, or -1 when the arena fails) ---------------------------- */

int record_set_str(struct record *r, enum field_id f, const char *s); /* copied */
int record_set_int(struct record *r, enum field_id f, int64_t i);
int record_set_real(struct record *r, enum field_id f, double d);
int record_set_bool(struct record *r, enum field_id f, bool b);
int record_set_null(struct record *r, enum field_id f);
void record_unset(struct record *r, enum field_id f);         /* absent again */

/* Do two values of field f hold the same (absent counts as null)? */
bool record_same(const struct record *a, const struct record *b,
    enum field_id f);

/* ---- the edges ------------------------------------------------------------ */

/*
 * A record of entity e from a JSON object as the store and the audit log
 * write it: common columns and fields, each of its field's JSON type
 * (a decimal may be a JSON integer); a key missing is an absent field,
 * null a null one.  Untrusted input is validate.c's to read (it accepts
 * "31/10/2023", numbers as text, ...); this refuses anything else - a key
 * that is no field, a value of another type - with ERR_INVALID naming the
 * field; ERR_TOO_LARGE when the arena reaches its cap, ERR_NO_MEMORY when
 * malloc fails.  NULL on error.
 */
struct record *record_from_json(struct arena *a, enum entity_id e,
    const json_t *obj, struct err *err);

/*
 * The JSON of a record as store_get answers it: the common columns it has
 * (id, version, created_at, updated_at, illustrative), then its present
 * fields in the entity's order, secret ones left out - the same keys,
 * order and types, so that an answer built from a record is the answer
 * built from the row.  NULL when out of memory.
 */
json_t *record_to_json(const struct record *r);

/* ---- typed accessors on JSON records -------------------------------------------- */

/* The first step for code that still holds JSON records: the field named
 * by id, so that a misspelt field is a compile error all the same. */
const char *jrec_str(const json_t *rec, enum field_id f);
int64_t jrec_int(const json_t *rec, enum field_id f);
double jrec_real(const json_t *rec, enum field_id f);
bool jrec_bool(const json_t *rec, enum field_id f);
bool jrec_is_null(const json_t *rec, enum field_id f);
/* The member itself (borrowed), NULL when missing: to copy a value as is. */
json_t *jrec_get(const json_t *rec, enum field_id f);
/* Set field f of a JSON record to v, whose reference it steals (as
 * json_object_set_new: v is released on failure too); 0, or -1. */
int jrec_set(json_t *rec, enum field_id f, json_t *v);

#endif
