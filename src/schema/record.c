/* record.c - see record.h */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/record.h"

static enum value_type
value_type_of(enum field_type t)
{
	switch (t) {
	case FT_INTEGER:
	case FT_REF:
		return VAL_INT;
	case FT_DECIMAL:
		return VAL_REAL;
	case FT_BOOLEAN:
		return VAL_BOOL;
	default:
		return VAL_TEXT;
	}
}

/*
 * The slot of field f in r, when f is a field of r's entity read or
 * written as `want` (VAL_ABSENT: any type).  Anything else is a
 * programming error: debug builds stop there, naming it; others get NULL
 * and read null, write nothing.
 */
static struct value *
slot(const struct record *r, enum field_id f, enum value_type want)
{
	const struct field_def *fd = field_of(f);

	if (r != NULL && fd != NULL && FLD_ENTITY(f) == r->entity &&
	    FLD_INDEX(f) < r->nvalues &&
	    (want == VAL_ABSENT || value_type_of(fd->type) == want))
		return (struct value *)&r->v[FLD_INDEX(f)];
#ifndef NDEBUG
	fprintf(stderr, "record: field %s (id %d) %s record of %s\n",
	    fd != NULL ? fd->name : "?", (int)f,
	    fd == NULL || r == NULL || FLD_ENTITY(f) != r->entity ?
	    "is not a field of this" : "read as another type in this",
	    r != NULL && r->def != NULL ? r->def->name : "(none)");
	abort();
#else
	return NULL;
#endif
}

struct record *
record_new(struct arena *a, enum entity_id e)
{
	const struct entity_def *ent = entity_of(e);
	struct record *r;

	if (ent == NULL)
		return NULL;
	r = arena_alloc(a, sizeof(*r) + ent->nfields * sizeof(r->v[0]));
	if (r == NULL)
		return NULL;
	r->entity = e;
	r->def = ent;
	r->arena = a;
	r->nvalues = ent->nfields;
	return r; /* zeroed: every field absent */
}

struct record *
record_copy(struct arena *a, const struct record *r)
{
	struct record *c = record_new(a, r->entity);
	size_t i;

	if (c == NULL)
		return NULL;
	memcpy(c, r, sizeof(*r) + r->nvalues * sizeof(r->v[0]));
	c->arena = a;
	c->created_at = arena_strdup(a, r->created_at);
	c->updated_at = arena_strdup(a, r->updated_at);
	if ((r->created_at && !c->created_at) || (r->updated_at && !c->updated_at))
		return NULL;
	for (i = 0; i < c->nvalues; i++)
		if (c->v[i].type == VAL_TEXT &&
		    (c->v[i].u.s = arena_strdup(a, r->v[i].u.s)) == NULL)
			return NULL;
	return c;
}

/* ---- reading ------------------------------------------------------------ */

const struct value *
record_value(const struct record *r, enum field_id f)
{
	return slot(r, f, VAL_ABSENT);
}

bool
record_has(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_ABSENT);

	return v != NULL && v->type != VAL_ABSENT;
}

bool
record_is_null(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_ABSENT);

	return v == NULL || v->type == VAL_ABSENT || v->type == VAL_NULL;
}

const char *
record_str(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_TEXT);

	return v != NULL && v->type == VAL_TEXT ? v->u.s : NULL;
}

int64_t
record_int(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_INT);

	return v != NULL && v->type == VAL_INT ? v->u.i : 0;
}

double
record_real(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_REAL);

	return v != NULL && v->type == VAL_REAL ? v->u.r : 0;
}

bool
record_bool(const struct record *r, enum field_id f)
{
	const struct value *v = slot(r, f, VAL_BOOL);

	return v != NULL && v->type == VAL_BOOL && v->u.b;
}

/* ---- writing -------------------------------------------------------------- */

int
record_set_str(struct record *r, enum field_id f, const char *s)
{
	struct value *v = slot(r, f, VAL_TEXT);
	const char *copy;

	if (v == NULL)
		return -1;
	if (s == NULL)
		return record_set_null(r, f);
	if ((copy = arena_strdup(r->arena, s)) == NULL)
		return -1;
	v->type = VAL_TEXT;
	v->u.s = copy;
	return 0;
}

int
record_set_int(struct record *r, enum field_id f, int64_t i)
{
	struct value *v = slot(r, f, VAL_INT);

	if (v == NULL)
		return -1;
	v->type = VAL_INT;
	v->u.i = i;
	return 0;
}

int
record_set_real(struct record *r, enum field_id f, double d)
{
	struct value *v = slot(r, f, VAL_REAL);

	if (v == NULL)
		return -1;
	v->type = VAL_REAL;
	v->u.r = d;
	return 0;
}

int
record_set_bool(struct record *r, enum field_id f, bool b)
{
	struct value *v = slot(r, f, VAL_BOOL);

	if (v == NULL)
		return -1;
	v->type = VAL_BOOL;
	v->u.b = b;
	return 0;
}

int
record_set_null(struct record *r, enum field_id f)
{
	struct value *v = slot(r, f, VAL_ABSENT);

	if (v == NULL)
		return -1;
	memset(v, 0, sizeof(*v));
	v->type = VAL_NULL;
	return 0;
}

void
record_unset(struct record *r, enum field_id f)
{
	struct value *v = slot(r, f, VAL_ABSENT);

	if (v != NULL)
		memset(v, 0, sizeof(*v));
}

bool
record_same(const struct record *a, const struct record *b, enum field_id f)
{
	const struct value *x = slot(a, f, VAL_ABSENT), *y = slot(b, f, VAL_ABSENT);
	bool xn = x == NULL || x->type <= VAL_NULL, yn = y == NULL || y->type <= VAL_NULL;

	if (xn || yn)
		return xn && yn;
	if (x->type != y->type)
		return false;
	switch (x->type) {
	case VAL_INT:
		return x->u.i == y->u.i;
	case VAL_REAL:
		return x->u.r == y->u.r;
	case VAL_BOOL:
		return x->u.b == y->u.b;
	case VAL_TEXT:
		return strcmp(x->u.s, y->u.s) == 0;
	default:
		return true;
	}
}

/* ---- the edges ------------------------------------------------------------ */

/* The error of an arena that failed: its cap (the request holds too much)
 * or malloc; -1. */
static int
arena_err(const struct arena *a, struct err *e)
{
	if (arena_full(a))
		return err_set(e, ERR_TOO_LARGE, "dữ liệu của yêu cầu quá lớn");
	return err_nomem(e);
}

/* A field error naming the field; -1. */
static int
bad(struct err *e, const char *name, const char *label, const char *what)
{
	err_field(e, name, "%s: %s", label, what);
	return -1;
}

/* One common column of obj into r: 1 when key is one, 0 when it is not,
 * -1 on error. */
static int
common_from_json(struct record *r, const char *key, const json_t *v,
    struct err *e)
{
	struct arena *a = r->arena;
	const char **text = NULL;
	unsigned bit;

	if (strcmp(key, "id") == 0 || strcmp(key, "version") == 0) {
		bit = key[0] == 'i' ? REC_HAS_ID : REC_HAS_VERSION;
		if (!json_is_integer(v))
			return bad(e, key, key, "phải là số nguyên");
		*(bit == REC_HAS_ID ? &r->id : &r->version) = json_integer_value(v);
	} else if (strcmp(key, "created_at") == 0 || strcmp(key, "updated_at") == 0) {
		bit = key[0] == 'c' ? REC_HAS_CREATED_AT : REC_HAS_UPDATED_AT;
		text = bit == REC_HAS_CREATED_AT ? &r->created_at : &r->updated_at;
		if (!json_is_string(v) && !json_is_null(v))
			return bad(e, key, key, "phải là chuỗi");
		if (json_is_string(v) &&
		    (*text = arena_strdup(a, json_string_value(v))) == NULL)
			return arena_err(a, e);
	} else if (strcmp(key, COMMON_ILLUSTRATIVE) == 0) {
		bit = REC_HAS_ILLUSTRATIVE;
		if (!json_is_boolean(v) && !json_is_null(v))
			return bad(e, key, key, "phải là true hoặc false");
		r->illustrative = json_is_true(v);
	} else {
		return 0;
	}
	r->common |= bit;
	return 1;
}

/* The value of field i of r from JSON v; -1 on error. */
static int
field_from_json(struct record *r, size_t i, const json_t *v, struct err *e)
{
	const struct field_def *fd = &r->def->fields[i];
	struct value *val = &r->v[i];

	if (json_is_null(v)) {
		val->type = VAL_NULL;
		return 0;
	}
	switch (value_type_of(fd->type)) {
	case VAL_INT:
		if (!json_is_integer(v))
			return bad(e, fd->name, fd->label, "phải là số nguyên");
		val->u.i = json_integer_value(v);
		break;
	case VAL_REAL:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return bad(e, fd->name, fd->label, "phải là số");
		val->u.r = json_number_value(v);
		break;
	case VAL_BOOL:
		if (!json_is_boolean(v))
			return bad(e, fd->name, fd->label, "phải là true hoặc false");
		val->u.b = json_is_true(v);
		break;
	default:
		if (!json_is_string(v))
			return bad(e, fd->name, fd->label, "phải là chuỗi");
		val->u.s = arena_strndup(r->arena, json_string_value(v),
		    json_string_length(v));
		if (val->u.s == NULL)
			return arena_err(r->arena, e);
		break;
	}
	val->type = value_type_of(fd->type);
	return 0;
}

struct record *
record_from_json(struct arena *a, enum entity_id e, const json_t *obj,
    struct err *err)
{
	struct record *r;
	const char *key;
	json_t *v;
	int rc = 0;

	if (!json_is_object(obj)) {
		err_set(err, ERR_BAD_REQUEST, "bản ghi phải là một đối tượng JSON");
		return NULL;
	}
	if (entity_of(e) == NULL) {
		err_set(err, ERR_INTERNAL, "không có loại bản ghi số %d", (int)e);
		return NULL;
	}
	if ((r = record_new(a, e)) == NULL) {
		arena_err(a, err);
		return NULL;
	}
	json_object_foreach((json_t *)obj, key, v) {
		enum field_id f;
		int c = common_from_json(r, key, v, err);
		if (c < 0) {
			rc = -1;
			if (arena_failed(a))
				break;
			continue;
		}
		if (c > 0)
			continue;
		if ((f = field_id_of(e, key)) == FLD_NONE) {
			err_field(err, key, "%s không có trường '%.64s'", r->def->label, key);
			rc = -1;
		} else if (field_from_json(r, FLD_INDEX(f), v, err) != 0) {
			rc = -1;
			if (arena_failed(a))
				break;
		}
	}
	return rc == 0 ? r : NULL;
}

static json_t *
value_to_json(const struct value *v)
{
	switch (v->type) {
	case VAL_INT:
		return json_integer(v->u.i);
	case VAL_REAL:
		return json_real(v->u.r);
	case VAL_BOOL:
		return json_boolean(v->u.b);
	case VAL_TEXT:
		return json_string(v->u.s);
	default:
		return json_null();
	}
}

/* Set key of obj to v (taken); false when out of memory. */
static bool
put(json_t *obj, const char *key, json_t *v)
{
	return v != NULL && json_object_set_new(obj, key, v) == 0;
}

json_t *
record_to_json(const struct record *r)
{
	json_t *obj = json_object();
	bool ok = obj != NULL;
	size_t i;

	if (ok && (r->common & REC_HAS_ID))
		ok = put(obj, "id", json_integer(r->id));
	if (ok && (r->common & REC_HAS_VERSION))
		ok = put(obj, "version", json_integer(r->version));
	if (ok && (r->common & REC_HAS_CREATED_AT))
		ok = put(obj, "created_at", r->created_at ? json_string(r->created_at) :
		    json_null());
	if (ok && (r->common & REC_HAS_UPDATED_AT))
		ok = put(obj, "updated_at", r->updated_at ? json_string(r->updated_at) :
		    json_null());
	if (ok && (r->common & REC_HAS_ILLUSTRATIVE))
		ok = put(obj, COMMON_ILLUSTRATIVE, json_boolean(r->illustrative));
	for (i = 0; ok && i < r->nvalues; i++) {
		const struct field_def *fd = &r->def->fields[i];
		if (r->v[i].type == VAL_ABSENT || (fd->flags & F_SECRET))
			continue;
		ok = put(obj, fd->name, value_to_json(&r->v[i]));
	}
	if (!ok) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* ---- typed accessors on JSON records ---------------------------------------------- */

/* The member of rec for field f; a field id that names no field is a
 * programming error (debug builds stop). */
static const json_t *
member(const json_t *rec, enum field_id f)
{
	const char *name = field_name(f);

#ifndef NDEBUG
	if (name == NULL) {
		fprintf(stderr, "record: %d is not a field id\n", (int)f);
		abort();
	}
#endif
	return name != NULL ? json_object_get(rec, name) : NULL;
}

const char *
jrec_str(const json_t *rec, enum field_id f)
{
	return json_string_value(member(rec, f));
}

int64_t
jrec_int(const json_t *rec, enum field_id f)
{
	return json_integer_value(member(rec, f));
}

double
jrec_real(const json_t *rec, enum field_id f)
{
	return json_number_value(member(rec, f));
}

bool
jrec_bool(const json_t *rec, enum field_id f)
{
	return json_is_true(member(rec, f));
}

bool
jrec_is_null(const json_t *rec, enum field_id f)
{
	const json_t *v = member(rec, f);

	return v == NULL || json_is_null(v);
}

json_t *
jrec_get(const json_t *rec, enum field_id f)
{
	return (json_t *)member(rec, f);
}

int
jrec_set(json_t *rec, enum field_id f, json_t *v)
{
	const char *name = field_name(f);

#ifndef NDEBUG
	if (name == NULL) {
		fprintf(stderr, "record: %d is not a field id\n", (int)f);
		abort();
	}
#endif
	if (name == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(rec, name, v);
}
