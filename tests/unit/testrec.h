/*
 * testrec.h - records made from the entity description for table-driven
 * unit tests: a valid sample of any entity (every required field filled
 * by its type, references to a record made on demand), counts, and the
 * record a load wrote last.  Shared by test_validate and test_bulk so that
 * both drive every entity the same way.
 */
#ifndef GIAPRANH_TESTREC_H
#define GIAPRANH_TESTREC_H

#include "testutil.h"

#include "domain/records.h"
#include "schema/registry.h"

static const struct actor tester = { .name = "kiểm thử" };

static int64_t sample_id(struct store *s, const struct entity_def *ent, int depth);

/* The first code of a catalog. */
static __attribute__((unused)) const char *
first_code(struct store *s, const char *catalog, char *buf, size_t len)
{
	struct list_query q;
	json_t *cv = json_string(catalog), *rows = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ "catalog", OP_EQ, cv };
	q.nfilters = 1;
	q.limit = 1;
	assert_int_equal(store_list(s, registry_find("catalog_item"), &q, &rows, NULL,
	    NULL), 0);
	if (json_array_size(rows) != 1)
		fail_msg("catalog %s is empty", catalog);
	snprintf(buf, len, "%s", rec_str(json_array_get(rows, 0), "code"));
	json_decref(rows);
	json_decref(cv);
	return buf;
}

/* A valid new record of ent, from the registry: every required field
 * filled by its type; references to a record of the target (made when
 * there is none). */
static __attribute__((unused)) json_t *
sample_record(struct store *s, const struct entity_def *ent, int depth)
{
	json_t *rec = json_object();
	char code[80], label[200];
	size_t i;

	if (depth > 8)
		fail_msg("references of %s too deep", ent->name);
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		json_t *v = NULL;
		if (!(f->flags & F_REQUIRED) || (f->flags & (F_SYSTEM | F_SECRET)))
			continue;
		switch (f->type) {
		case FT_TEXT:
			v = json_string(f->flags & F_PERIOD ? "2019" :
			    f->flags & F_REPORT_SCOPE ? "nation" :
			    f->flags & F_CODE_LIST ? first_code(s, f->arg, code, sizeof(code)) :
			    "Mẫu kiểm thử");
			break;
		case FT_INTEGER:
			v = json_integer(f->min < f->max ? (json_int_t)f->min : 1);
			break;
		case FT_DECIMAL:
			v = json_real(f->min < f->max ? f->min : 1);
			break;
		case FT_DATE:
			v = json_string("2024-01-01");
			break;
		case FT_ENUM:
			assert_int_equal(enum_choice(f, 0, code, sizeof(code), label,
			    sizeof(label)), 0);
			v = json_string(code);
			break;
		case FT_CATALOG:
			v = json_string(first_code(s, f->arg, code, sizeof(code)));
			break;
		case FT_BOOLEAN:
			v = json_false();
			break;
		case FT_REF:
			v = json_integer(sample_id(s, registry_find(f->arg), depth + 1));
			break;
		}
		json_object_set_new(rec, f->name, v);
	}
	return rec;
}

/* A record of ent: the first there is, or a sample made now. */
static __attribute__((unused)) int64_t
sample_id(struct store *s, const struct entity_def *ent, int depth)
{
	struct list_query q;
	struct err e = { 0 };
	json_t *rows = NULL, *rec, *out = NULL;
	int64_t id;

	memset(&q, 0, sizeof(q));
	q.limit = 1;
	q.see_confidential = true;
	assert_int_equal(store_list(s, ent, &q, &rows, NULL, NULL), 0);
	if (json_array_size(rows) == 1) {
		id = rec_int(json_array_get(rows, 0), "id");
		json_decref(rows);
		return id;
	}
	json_decref(rows);
	rec = sample_record(s, ent, depth);
	if (records_create(s, ent, rec, &tester, 0, &out, &e) != 0)
		fail_msg("sample %s %s: %s %s", ent->name, json_dumps(rec, 0), e.msg,
		    e.fields ? json_dumps(e.fields, 0) : "");
	id = rec_int(out, "id");
	json_decref(rec);
	json_decref(out);
	return id;
}

static __attribute__((unused)) int64_t
count_of(struct store *s, const char *entity)
{
	int64_t n = -1;

	assert_int_equal(store_count(s, registry_find(entity), &n, NULL), 0);
	return n;
}

/* The record with the highest id (the one a load just wrote). */
static __attribute__((unused)) json_t *
last_record(struct store *s, const struct entity_def *ent)
{
	struct list_query q;
	json_t *rows = NULL, *r;

	memset(&q, 0, sizeof(q));
	q.sort = "id";
	q.desc = true;
	q.limit = 1;
	q.see_confidential = true;
	assert_int_equal(store_list(s, ent, &q, &rows, NULL, NULL), 0);
	r = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return r;
}

#endif
