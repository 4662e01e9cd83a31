/*
 * test_record.c - the request arena (arena.h) and the typed record
 * (record.h): every field of every entity set and read by id, the JSON of
 * every stored demo record turned into a record and back byte for byte,
 * values of the wrong type refused naming the field, the cap of an arena
 * holding, and a field of another entity stopping a debug build.
 */
#include "testutil.h"

#include <signal.h>
#include <stdalign.h>
#include <stdint.h>
#include <sys/wait.h>

#include "base/arena.h"
#include "schema/record.h"

#define TEST_ARENA_MAX (64u << 20)

/* ---- arena ----------------------------------------------------------------- */

static void
test_arena_allocations_are_zeroed_aligned_and_freed(void **state)
{
	struct arena a;
	unsigned char *p[2000];
	size_t i, j;

	(void)state;
	arena_init(&a, TEST_ARENA_MAX);
	assert_int_equal(arena_held(&a), 0);
	/* sizes 1..2000 bytes: several blocks, each allocation its own bytes */
	for (i = 0; i < 2000; i++) {
		p[i] = arena_alloc(&a, i + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		for (j = 0; j <= i; j++)
			assert_int_equal(p[i][j], 0);
		memset(p[i], (int)(i & 0xff), i + 1);
	}
	for (i = 0; i < 2000; i++)
		for (j = 0; j <= i; j++)
			assert_int_equal(p[i][j], (unsigned char)(i & 0xff));
	/* one larger than any block, then small ones go on */
	assert_non_null(arena_alloc(&a, 1u << 20));
	assert_non_null(arena_alloc(&a, 8));
	assert_string_equal(arena_strdup(&a, "Xín Mần"), "Xín Mần");
	assert_string_equal(arena_strndup(&a, "quý 4/2025", 4), "quý"); /* bytes */
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_alloc(&a, 0));
	assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
	assert_false(arena_failed(&a));
	assert_true(arena_held(&a) > (1u << 20));
	arena_free(&a);
	assert_int_equal(arena_held(&a), 0);
	assert_non_null(arena_alloc(&a, 16)); /* usable again */
	arena_free(&a);
}

/* The cap holds, whatever the sizes: the bytes held never pass it, the
 * allocation that would is refused, and the failure sticks until freed. */
static void
test_arena_cap_holds(void **state)
{
	static const size_t sizes[] = { 1, 7, 100, 4000, 5000, 70000, 300000 };
	static const size_t caps[] = { 64, 4096, 10000, 100000, 1000000 };
	struct arena a;
	size_t i, c, n;

	(void)state;
	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			arena_init(&a, caps[c]);
			for (n = 0; n < 200000 && arena_alloc(&a, sizes[i]) != NULL; n++)
				assert_true(arena_held(&a) <= caps[c]);
			assert_true(arena_failed(&a));
			assert_true(arena_full(&a));
			assert_false(arena_nomem(&a));
			assert_true(arena_held(&a) <= caps[c]);
			assert_null(arena_alloc(&a, 1)); /* sticky */
			assert_null(arena_strdup(&a, "x"));
			arena_free(&a);
			assert_false(arena_failed(&a));
		}
	}
}

/* ---- records ----------------------------------------------------------------- */

static enum field_id
fid(size_t ent, size_t i)
{
	return (enum field_id)((unsigned)ent << FLD_ENTITY_SHIFT | i);
}

/* Every field of every entity: set by id, read by id, unset. */
static void
test_every_field_set_and_read_by_id(void **state)
{
	struct arena a;
	size_t e, i;
	char code[64];

	(void)state;
	arena_init(&a, TEST_ARENA_MAX);
	for (e = 0; e < ENT_COUNT; e++) {
		struct record *r = record_new(&a, (enum entity_id)e);
		assert_non_null(r);
		assert_ptr_equal(r->def, registry[e]);
		assert_int_equal(r->nvalues, registry[e]->nfields);
		for (i = 0; i < r->nvalues; i++) {
			const struct field_def *fd = &registry[e]->fields[i];
			enum field_id f = fid(e, i);
			assert_ptr_equal(field_of(f), fd);
			assert_int_equal(field_id_of((enum entity_id)e, fd->name), f);
			assert_false(record_has(r, f));
			assert_true(record_is_null(r, f));
			switch (fd->type) {
			case FT_INTEGER:
			case FT_REF:
				assert_int_equal(record_set_int(r, f, (int64_t)i + 1), 0);
				assert_int_equal(record_int(r, f), (int64_t)i + 1);
				break;
			case FT_DECIMAL:
				assert_int_equal(record_set_real(r, f, 1.5 + (double)i), 0);
				assert_true(record_real(r, f) == 1.5 + (double)i);
				break;
			case FT_BOOLEAN:
				assert_int_equal(record_set_bool(r, f, true), 0);
				assert_true(record_bool(r, f));
				break;
			case FT_ENUM:
				assert_int_equal(enum_choice(fd, 0, code, sizeof(code), NULL, 0), 0);
				assert_int_equal(record_set_str(r, f, code), 0);
				assert_string_equal(record_str(r, f), code);
				break;
			default:
				snprintf(code, sizeof(code), "%s %zu", fd->name, i);
				assert_int_equal(record_set_str(r, f, code), 0);
				assert_string_equal(record_str(r, f), code);
				assert_ptr_not_equal(record_str(r, f), code); /* copied */
				break;
			}
			assert_true(record_has(r, f));
			assert_false(record_is_null(r, f));
			assert_int_equal(record_set_null(r, f), 0);
			assert_true(record_has(r, f));
			assert_true(record_is_null(r, f));
			record_unset(r, f);
			assert_false(record_has(r, f));
		}
	}
	assert_int_equal(field_id_of(ENT_MEETING, "no_such_field"), FLD_NONE);
	assert_null(field_of(FLD_NONE));
	arena_free(&a);
}

static char *
dump(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

	assert_non_null(s);
	return s;
}

/* Every record of the demo data, of every entity, as the store answers
 * it: to a record and back is the same JSON, byte for byte - keys, order
 * and types (integers, decimals, booleans, nulls). */
static void
test_stored_records_round_trip(void **state)
{
	struct store *s = *state;
	struct arena a;
	struct list_query q;
	size_t e, i, seen = 0, entities = 0;
	json_t *rows, *row;

	arena_init(&a, TEST_ARENA_MAX);
	for (e = 0; e < ENT_COUNT; e++) {
		struct err err = { 0 };
		memset(&q, 0, sizeof(q));
		q.see_confidential = true;
		rows = store_list_all(s, registry[e], &q, 100000, &err);
		if (rows == NULL)
			fail_msg("%s: %s", registry[e]->name, err.msg);
		entities += json_array_size(rows) > 0;
		json_array_foreach(rows, i, row) {
			struct record *r = record_from_json(&a, (enum entity_id)e, row, &err);
			json_t *back;
			char *x, *y;
			if (r == NULL)
				fail_msg("%s #%zu: %s", registry[e]->name, i, err.msg);
			assert_int_equal(r->common & REC_HAS_ID, REC_HAS_ID);
			assert_int_equal(r->id, json_integer_value(json_object_get(row, "id")));
			back = record_to_json(r);
			assert_non_null(back);
			x = dump(row);
			y = dump(back);
			if (strcmp(x, y) != 0)
				fail_msg("%s:\n  stored %s\n  record %s", registry[e]->name, x, y);
			free(x);
			free(y);
			json_decref(back);
			seen++;
		}
		json_decref(rows);
		arena_free(&a);
	}
	/* the demo data has records of most entities; the test saw them */
	assert_true(entities >= ENT_COUNT / 2);
	assert_true(seen > 100);
}

/* A value of another type than its field's is refused, naming the field,
 * for every field of every entity; so is a key that is no field. */
static void
test_wrong_types_are_refused_naming_the_field(void **state)
{
	struct arena a;
	size_t e, i;

	(void)state;
	arena_init(&a, TEST_ARENA_MAX);
	for (e = 0; e < ENT_COUNT; e++) {
		for (i = 0; i < registry[e]->nfields; i++) {
			const struct field_def *fd = &registry[e]->fields[i];
			struct err err = { 0 };
			json_t *obj = json_object(), *bad;
			switch (fd->type) {
			case FT_INTEGER:
			case FT_REF:
				bad = json_real(1.5);
				break;
			case FT_DECIMAL:
			case FT_BOOLEAN:
				bad = json_string("1");
				break;
			default:
				bad = json_integer(1);
				break;
			}
			json_object_set_new(obj, fd->name, bad);
			assert_null(record_from_json(&a, (enum entity_id)e, obj, &err));
			assert_int_equal(err.code, ERR_INVALID);
			if (json_object_get(err.fields, fd->name) == NULL)
				fail_msg("%s.%s: no message for the field", registry[e]->name,
				    fd->name);
			err_clear(&err);
			json_decref(obj);
		}
		{
			struct err err = { 0 };
			json_t *obj = json_pack("{s:s}", "no_such_field", "x");
			assert_null(record_from_json(&a, (enum entity_id)e, obj, &err));
			assert_non_null(json_object_get(err.fields, "no_such_field"));
			err_clear(&err);
			json_decref(obj);
		}
	}
	{
		struct err err = { 0 };
		json_t *arr = json_array();
		assert_null(record_from_json(&a, ENT_MEETING, arr, &err));
		assert_int_equal(err.code, ERR_BAD_REQUEST);
		json_decref(arr);
	}
	arena_free(&a);
}

/* A partial record: absent fields stay out of its JSON, nulls stay in, a
 * decimal given as a JSON integer is a decimal, secret fields never leave. */
static void
test_partial_records_and_secrets(void **state)
{
	struct arena a;
	struct err err = { 0 };
	struct record *r;
	json_t *in, *out;
	char *s;

	(void)state;
	arena_init(&a, TEST_ARENA_MAX);
	in = json_pack("{s:s, s:n, s:i}", "title", "Hội nghị giao ban", "place",
	    "unit_id", 7);
	r = record_from_json(&a, ENT_MEETING, in, &err);
	assert_non_null(r);
	assert_int_equal(r->common, 0);
	assert_string_equal(record_str(r, FLD_MEETING_TITLE), "Hội nghị giao ban");
	assert_true(record_has(r, FLD_MEETING_PLACE));
	assert_true(record_is_null(r, FLD_MEETING_PLACE));
	assert_null(record_str(r, FLD_MEETING_PLACE));
	assert_false(record_has(r, FLD_MEETING_HELD_ON));
	assert_int_equal(record_int(r, FLD_MEETING_UNIT_ID), 7);
	out = record_to_json(r);
	s = dump(out);
	assert_string_equal(s, "{\"title\":\"Hội nghị giao ban\",\"place\":null,\"unit_id\":7}");
	free(s);
	json_decref(out);
	json_decref(in);

	in = json_pack("{s:i}", "value", 3);
	r = record_from_json(&a, ENT_ACTIVITY_QUANTITY, in, &err);
	assert_non_null(r);
	assert_true(record_real(r, FLD_ACTIVITY_QUANTITY_VALUE) == 3.0);
	out = record_to_json(r);
	assert_true(json_is_real(json_object_get(out, "value")));
	json_decref(out);
	json_decref(in);

	r = record_new(&a, ENT_APP_USER);
	assert_int_equal(record_set_str(r, FLD_APP_USER_LOGIN, "lan"), 0);
	assert_int_equal(record_set_str(r, FLD_APP_USER_PASSWORD_HASH, "$argon2id$x"), 0);
	out = record_to_json(r);
	assert_null(json_object_get(out, "password_hash"));
	assert_string_equal(json_string_value(json_object_get(out, "login")), "lan");
	json_decref(out);
	arena_free(&a);
}

/* A copy lives in its own arena: the first one freed, it reads the same. */
static void
test_copy_is_deep(void **state)
{
	struct arena a, b;
	struct err err = { 0 };
	struct record *r, *c;
	json_t *in;

	(void)state;
	arena_init(&a, TEST_ARENA_MAX);
	arena_init(&b, TEST_ARENA_MAX);
	in = json_pack("{s:I, s:i, s:s, s:s, s:b, s:s, s:s, s:b}", "id", (json_int_t)4,
	    "version", 2, "created_at", "2025-01-01T00:00:00Z", "updated_at",
	    "2025-01-02T00:00:00Z", "illustrative", 1, "title", "Vụ việc", "status",
	    "reported", "confidential", 1);
	r = record_from_json(&a, ENT_INCIDENT, in, &err);
	assert_non_null(r);
	c = record_copy(&b, r);
	assert_non_null(c);
	arena_free(&a);
	assert_int_equal(c->id, 4);
	assert_int_equal(c->version, 2);
	assert_true(c->illustrative);
	assert_string_equal(c->updated_at, "2025-01-02T00:00:00Z");
	assert_string_equal(record_str(c, FLD_INCIDENT_TITLE), "Vụ việc");
	assert_string_equal(record_str(c, FLD_INCIDENT_STATUS), "reported");
	assert_true(record_bool(c, FLD_INCIDENT_CONFIDENTIAL));
	assert_ptr_equal(c->arena, &b);
	json_decref(in);
	arena_free(&b);
}

/* A record whose arena reaches its cap is refused as too large, and one
 * whose strings would pass it too - never a record lacking a value. */
static void
test_arena_cap_refuses_records(void **state)
{
	struct arena a;
	struct err err = { 0 };
	char big[5000];
	json_t *in;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	in = json_pack("{s:s}", "title", big);
	arena_init(&a, 4096);
	assert_null(record_from_json(&a, ENT_MEETING, in, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
	err_clear(&err);
	arena_free(&a);
	arena_init(&a, 64);
	assert_null(record_from_json(&a, ENT_MEETING, in, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
	err_clear(&err);
	arena_free(&a);
	json_decref(in);
}

/* The same accessors on JSON records. */
static void
test_typed_accessors_on_json(void **state)
{
	json_t *rec = json_pack("{s:s, s:I, s:f, s:b, s:n}", "held_on", "2025-03-04",
	    "unit_id", (json_int_t)9, "latitude", 22.5, "confidential", 1, "place");

	(void)state;
	assert_string_equal(jrec_str(rec, FLD_MEETING_HELD_ON), "2025-03-04");
	assert_int_equal(jrec_int(rec, FLD_MEETING_UNIT_ID), 9);
	assert_true(jrec_real(rec, FLD_INCIDENT_LATITUDE) == 22.5);
	assert_true(jrec_bool(rec, FLD_INCIDENT_CONFIDENTIAL));
	assert_true(jrec_is_null(rec, FLD_MEETING_PLACE));
	assert_true(jrec_is_null(rec, FLD_MEETING_TITLE));
	assert_false(jrec_is_null(rec, FLD_MEETING_HELD_ON));
	json_decref(rec);
}

/* jrec_set writes every field of every entity under its name, in the
 * order set, and jrec_get reads back the very value. */
static void
test_jrec_set_and_get_every_field(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *rec = json_object();
		const char *key;
		json_t *v;

		assert_non_null(rec);
		for (k = 0; k < ent->nfields; k++) {
			enum field_id f = field_id_of(ent->id, ent->fields[k].name);
			assert_int_not_equal(f, FLD_NONE);
			assert_int_equal(jrec_set(rec, f, json_integer((json_int_t)k)), 0);
			assert_int_equal(json_integer_value(jrec_get(rec, f)), (json_int_t)k);
			assert_int_equal(jrec_int(rec, f), (int64_t)k);
		}
		k = 0;
		json_object_foreach(rec, key, v) {
			assert_string_equal(key, ent->fields[k].name);
			k++;
		}
		assert_int_equal(k, ent->nfields);
		if (ent->nfields > 0) {
			enum field_id f0 = field_id_of(ent->id, ent->fields[0].name);
			assert_int_equal(jrec_set(rec, f0, json_null()), 0);
			assert_true(jrec_is_null(rec, f0));
			assert_true(json_is_null(jrec_get(rec, f0)));
			assert_int_equal(json_object_size(rec), ent->nfields);
		}
		json_decref(rec);
	}
	{
		json_t *rec = json_object();
		assert_null(jrec_get(rec, FLD_MEETING_HELD_ON));
		json_decref(rec);
	}
}

/* Does fn(r) abort (with the field named on stderr)? */
static bool
aborts(void (*fn)(struct record *), struct record *r)
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		fn(r);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void
read_other_entity(struct record *r)
{
	(void)record_str(r, FLD_ACTIVITY_TITLE);
}

static void
read_as_other_type(struct record *r)
{
	(void)record_int(r, FLD_MEETING_TITLE);
}

static void
write_other_entity(struct record *r)
{
	(void)record_set_int(r, FLD_TASK_MEETING_ID, 1);
}

static void
read_right_field(struct record *r)
{
	(void)record_str(r, FLD_MEETING_TITLE);
}

/* A field of another entity, or read as another type: a programming
 * error a debug build stops at. */
static void
test_wrong_field_stops_a_debug_build(void **state)
{
	struct arena a;
	struct record *r;

	(void)state;
#ifdef NDEBUG
	skip();
#endif
	arena_init(&a, TEST_ARENA_MAX);
	r = record_new(&a, ENT_MEETING);
	assert_true(aborts(read_other_entity, r));
	assert_true(aborts(read_as_other_type, r));
	assert_true(aborts(write_other_entity, r));
	assert_false(aborts(read_right_field, r));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_allocations_are_zeroed_aligned_and_freed),
		cmocka_unit_test(test_arena_cap_holds),
		cmocka_unit_test(test_every_field_set_and_read_by_id),
		cmocka_unit_test(test_wrong_types_are_refused_naming_the_field),
		cmocka_unit_test(test_partial_records_and_secrets),
		cmocka_unit_test(test_copy_is_deep),
		cmocka_unit_test(test_arena_cap_refuses_records),
		cmocka_unit_test(test_typed_accessors_on_json),
		cmocka_unit_test(test_jrec_set_and_get_every_field),
		cmocka_unit_test(test_wrong_field_stops_a_debug_build),
		cmocka_unit_test_setup_teardown(test_stored_records_round_trip,
		    tu_setup_demo, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
