/* test_records.c - the write path of one record, over every entity of the
 * description: create, update and delete each write the record and one
 * audit entry (before and after as stored) together; a refused write
 * (bad value, stale version, a record that is not there) writes neither;
 * the version moves by one per change. */
#include "testutil.h"
#include "testrec.h"

/* The audit entries of one record, oldest first. */
static json_t *
audits_of(struct store *s, const struct entity_def *ent, int64_t id)
{
	struct list_query q;
	json_t *ev = json_string(ent->name), *iv = json_integer(id), *rows = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ "entity", OP_EQ, ev };
	q.filters[1] = (struct list_filter){ "record_id", OP_EQ, iv };
	q.nfilters = 2;
	q.sort = "id";
	q.limit = 100;
	q.see_confidential = true;
	assert_int_equal(store_list(s, registry_find("audit_log"), &q, &rows, NULL,
	    NULL), 0);
	json_decref(ev);
	json_decref(iv);
	return rows;
}

/* The audit entry's JSON side (before_json or after_json) as an object. */
static json_t *
side(const json_t *entry, const char *which)
{
	const char *text = rec_str(entry, which);

	return text != NULL ? json_loads(text, 0, NULL) : NULL;
}

/* A text field a writer may change freely: optional, plain, no format. */
static const struct field_def *
free_text_field(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (f->type == FT_TEXT &&
		    !(f->flags & (F_SYSTEM | F_SECRET | F_UNIQUE | F_STRUCTURED |
		    F_EXPR | F_REQUIRED)))
			return f;
	}
	return NULL;
}

/* A required field and an input it refuses (a text emptied, a number
 * given as words), or NULL. */
static const struct field_def *
refusable_field(const struct entity_def *ent, json_t **bad)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!(f->flags & F_REQUIRED) || (f->flags & (F_SYSTEM | F_SECRET)))
			continue;
		if (f->type == FT_TEXT) {
			*bad = json_string("   ");
			return f;
		}
		if (f->type == FT_INTEGER || f->type == FT_DATE || f->type == FT_REF) {
			*bad = json_string("không phải số");
			return f;
		}
	}
	return NULL;
}

static void
assert_audit(const json_t *entry, const char *action, const json_t *before,
    const json_t *after)
{
	json_t *b = side(entry, "before_json"), *a = side(entry, "after_json");

	assert_string_equal(rec_str(entry, "action"), action);
	assert_int_equal(b != NULL, before != NULL);
	assert_int_equal(a != NULL, after != NULL);
	if (before != NULL)
		assert_int_equal(rec_int(b, "id"), rec_int(before, "id"));
	if (after != NULL)
		assert_int_equal(rec_int(a, "version"), rec_int(after, "version"));
	json_decref(b);
	json_decref(a);
}

/* One entity through create, update, a refused update, a stale update,
 * delete and a second delete; true when it has a free text field (the
 * update ran). */
static bool
round_trip(struct store *s, const struct entity_def *ent)
{
	const struct field_def *ft = free_text_field(ent), *fr;
	struct err e = { 0 };
	json_t *rec = sample_record(s, ent, 0), *made = NULL, *changed = NULL, *log,
	    *input, *bad = NULL, *now;
	int64_t id, v;

	if (records_create(s, ent, rec, &tester, 0, &made, &e) != 0)
		fail_msg("%s: sample refused: %s", ent->name, e.msg);
	id = rec_int(made, "id");
	v = rec_int(made, "version");
	log = audits_of(s, ent, id);
	assert_int_equal(json_array_size(log), 1);
	assert_audit(json_array_get(log, 0), "create", NULL, made);
	json_decref(log);

	if (ft != NULL) {
		input = json_pack("{s:s}", ft->name, "sửa");
		if (records_update(s, ent, id, input, v, &tester, 0, &changed, &e) != 0)
			fail_msg("%s.%s: update refused: %d %s %s", ent->name, ft->name, e.code,
			    e.msg, e.fields ? json_dumps(e.fields, 0) : "");
		assert_string_equal(rec_str(changed, ft->name), "sửa");
		assert_int_equal(rec_int(changed, "version"), v + 1);
		/* the same version again is stale now: nothing written */
		assert_int_equal(records_update(s, ent, id, input, v, &tester, 0, NULL,
		    &e), -1);
		assert_int_equal(e.code, ERR_STALE);
		err_clear(&e);
		json_decref(input);
		log = audits_of(s, ent, id);
		assert_int_equal(json_array_size(log), 2);
		assert_audit(json_array_get(log, 1), "update", made, changed);
		json_decref(log);
	}
	if ((fr = refusable_field(ent, &bad)) != NULL) {
		input = json_pack("{s:O}", fr->name, bad);
		assert_int_equal(records_update(s, ent, id, input, 0, &tester, 0, NULL, &e),
		    -1);
		if (e.code != ERR_INVALID || json_object_get(e.fields, fr->name) == NULL)
			fail_msg("%s.%s = %s: want a refusal naming it, got %d %s", ent->name,
			    fr->name, json_dumps(bad, JSON_ENCODE_ANY), e.code, e.msg);
		err_clear(&e);
		json_decref(input);
		json_decref(bad);
		now = store_get(s, ent, id, NULL);
		assert_int_equal(rec_int(now, "version"), v + (ft != NULL));
		json_decref(now);
	}
	log = audits_of(s, ent, id);
	assert_int_equal(json_array_size(log), 1 + (ft != NULL));
	json_decref(log);

	assert_int_equal(records_delete(s, ent, id, 0, &tester, &e), 0);
	assert_null(store_get(s, ent, id, NULL));
	assert_int_equal(records_delete(s, ent, id, 0, &tester, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
	log = audits_of(s, ent, id);
	assert_int_equal(json_array_size(log), 2 + (ft != NULL));
	assert_audit(json_array_get(log, json_array_size(log) - 1), "delete",
	    changed ? changed : made, NULL);
	json_decref(log);
	json_decref(rec);
	json_decref(made);
	json_decref(changed);
	return ft != NULL;
}

static void
test_every_entity(void **state)
{
	struct store *s = *state;
	size_t i, entities = 0, updated = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		if (ent->write == WR_SYSTEM || ent->write == WR_NONE ||
		    strcmp(ent->name, "attachment") == 0) /* a file: attach.c */
			continue;
		updated += round_trip(s, ent);
		entities++;
	}
	print_message("%zu entities written, %zu of them updated too\n", entities,
	    updated);
	assert_true(entities > 30);
	assert_true(updated > 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entity),
	};

	return cmocka_run_group_tests_name("records", tests, tu_setup_units, tu_teardown);
}
