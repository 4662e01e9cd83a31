/* test_seed.c - the shipped data: the demo set of the five reports loads
 * once (a second `init` adds nothing), every placeholder that makes up a
 * report's total is marked illustrative, and values stored before they
 * were checked are canonicalised (seed_canonicalise). */
#include "testutil.h"
#include "testrec.h"

#include "domain/seed.h"
#include "report/report.h"

/* Records of every entity, in registry order, into n[]. */
static void
counts(struct store *s, int64_t *n)
{
	size_t i;

	for (i = 0; i < registry_count; i++)
		assert_int_equal(store_count(s, registry[i], &n[i], NULL), 0);
}

/* The demo set again on a database that has it: nothing is added,
 * nothing changed (same counts of every entity, no audit entry). */
static void
test_demo_loads_once(void **state)
{
	struct store *s = tu_store(1, NULL, 0);
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	int64_t first[ENT_COUNT], again[ENT_COUNT];
	char dir[300];
	size_t i, kinds = 0;

	(void)state;
	assert_true(registry_count <= ENT_COUNT);
	snprintf(dir, sizeof(dir), "%s/data/demo", tu_srcdir());
	assert_int_equal(seed_demo(s, dir, &sum, &e), 0);
	assert_true(sum.demo_loaded_now);
	assert_true(sum.demo_records > 100);
	counts(s, first);
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(seed_demo(s, dir, &sum, &e), 0);
	assert_false(sum.demo_loaded_now);
	counts(s, again);
	for (i = 0; i < registry_count; i++) {
		if (first[i] != again[i])
			fail_msg("%s: %lld records after the first load, %lld after the "
			    "second", registry[i]->name, (long long)first[i],
			    (long long)again[i]);
		kinds += first[i] > 0;
	}
	/* the five reports touch most of the model */
	assert_true(kinds > 25);
	store_close(s);
}

/* A placeholder says so: a record named "(minh họa)" is marked
 * illustrative, in every entity (the UI and the reports show the mark). */
static void
test_placeholders_are_marked(void **state)
{
	struct store *s = *state;
	size_t i, j, k, named = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		struct list_query q;
		json_t *rows = NULL, *r;
		memset(&q, 0, sizeof(q));
		q.limit = 5000;
		q.see_confidential = true;
		if (ent->write == WR_SYSTEM || ent->write == WR_NONE)
			continue;
		assert_int_equal(store_list(s, ent, &q, &rows, NULL, NULL), 0);
		json_array_foreach(rows, j, r)
			for (k = 0; k < ent->nfields; k++) {
				const char *v = ent->fields[k].type == FT_TEXT &&
				    !(ent->fields[k].flags & F_LONG) ?
				    rec_str(r, ent->fields[k].name) : NULL;
				if (v == NULL || strstr(v, "(minh họa)") == NULL)
					continue;
				if (!json_is_true(json_object_get(r, "illustrative")))
					fail_msg("%s %lld: '%s' says it is a placeholder but is not "
					    "marked illustrative", ent->name,
					    (long long)rec_int(r, "id"), v);
				named++;
			}
		json_decref(rows);
	}
	assert_true(named > 0);
}

/* Values stored before they were checked (written straight into the
 * store here, as an older version did): seed_canonicalise rewrites what
 * parses, leaves and lists the rest, and is idempotent. */
static void
test_canonicalise_stored(void **state)
{
	struct store *s = *state;
	const struct entity_def *iv = registry_find("indicator_value");
	const struct entity_def *rep = registry_find("report");
	static const struct { const char *period, *status; } values[] = {
		{ "quý 4/2025", "approved" },        /* rewritten, though locked */
		{ "2024-H1", "draft" },              /* canonical already */
		{ "6 tháng đầu năm 2024", "draft" }, /* 2024-H1 is taken: left */
		{ "quý 5/2025", "draft" },           /* does not parse: left */
	};
	struct seed_canon sc = { 0 };
	struct err e = { 0 };
	int64_t ids[4], r1, r2, unit;
	json_t *base, *rec, *out = NULL;
	char want[64];
	size_t i;

	assert_int_equal(store_unit_by_code(s, "084", NULL, &unit, &e), 0);
	base = sample_record(s, iv, 0);
	for (i = 0; i < 4; i++) {
		rec = json_deep_copy(base);
		json_object_set_new(rec, "period", json_string(values[i].period));
		json_object_set_new(rec, "status", json_string(values[i].status));
		assert_int_equal(store_insert(s, iv, rec, &ids[i], &e), 0);
		json_decref(rec);
	}
	json_decref(base);
	rec = sample_record(s, rep, 0);
	json_object_set_new(rec, "scope", json_string("unit:084"));
	json_object_set_new(rec, "period", json_string("năm 2023"));
	json_object_set_new(rec, "signer_name", json_string("Nguyễn Văn Ký"));
	assert_int_equal(store_insert(s, rep, rec, &r1, &e), 0);
	json_object_set_new(rec, "scope", json_string("zzz:999"));
	assert_int_equal(store_insert(s, rep, rec, &r2, &e), 0);
	json_decref(rec);

	assert_int_equal(seed_canonicalise(s, &sc, &e), 0);
	assert_int_equal(sc.changed, 4); /* iv 0, r1 scope and period, r2 period */
	assert_int_equal(sc.left, 3);
	assert_int_equal(json_array_size(sc.shown), 3);
	json_decref(sc.shown);
	rec = store_get(s, iv, ids[0], &e);
	assert_string_equal(rec_str(rec, "period"), "2025-Q4");
	assert_int_equal(rec_int(rec, "version"), 2);
	json_decref(rec);
	for (i = 1; i < 4; i++) {
		rec = store_get(s, iv, ids[i], &e);
		assert_string_equal(rec_str(rec, "period"), values[i].period);
		assert_int_equal(rec_int(rec, "version"), 1);
		json_decref(rec);
	}
	rec = store_get(s, rep, r1, &e);
	snprintf(want, sizeof(want), "unit:%lld", (long long)unit);
	assert_string_equal(rec_str(rec, "scope"), want);
	assert_string_equal(rec_str(rec, "period"), "2023");
	json_decref(rec);
	rec = store_get(s, rep, r2, &e);
	assert_string_equal(rec_str(rec, "scope"), "zzz:999");
	json_decref(rec);

	/* the written form is kept in the audit entry of the rewrite */
	{
		struct list_query q;
		json_t *ev = json_string("indicator_value"), *idv = json_integer(ids[0]);
		json_t *av = json_string("giapranh init (chuẩn hóa dữ liệu)"), *rows = NULL;
		/* (ids of the records deleted by the test above come back) */
		memset(&q, 0, sizeof(q));
		q.filters[0] = (struct list_filter){ "entity", OP_EQ, ev };
		q.filters[1] = (struct list_filter){ "record_id", OP_EQ, idv };
		q.filters[2] = (struct list_filter){ "actor", OP_EQ, av };
		q.nfilters = 3;
		assert_int_equal(store_list(s, registry_find("audit_log"), &q, &rows,
		    NULL, &e), 0);
		assert_int_equal(json_array_size(rows), 1);
		assert_non_null(strstr(rec_str(json_array_get(rows, 0), "before_json"),
		    "quý 4/2025"));
		assert_non_null(strstr(rec_str(json_array_get(rows, 0), "after_json"),
		    "2025-Q4"));
		json_decref(rows);
		json_decref(ev);
		json_decref(idv);
		json_decref(av);
	}

	/* run again: nothing more to do, the same rows left */
	assert_int_equal(seed_canonicalise(s, &sc, &e), 0);
	assert_int_equal(sc.changed, 0);
	assert_int_equal(sc.left, 3);
	json_decref(sc.shown);

	/* a report whose scope does not parse gets no number of the register;
	 * the canonicalised one does */
	assert_int_equal(report_issue(s, r2, &tester, &out, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(json_object_get(e.fields, "scope"));
	err_clear(&e);
	rec = store_get(s, rep, r2, &e);
	assert_string_equal(rec_str(rec, "status"), "draft");
	assert_int_equal(rec_int(rec, "number"), 0);
	json_decref(rec);
	assert_int_equal(report_issue(s, r1, &tester, &out, &e), 0);
	assert_string_equal(rec_str(out, "status"), "issued");
	json_decref(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_loads_once),
		cmocka_unit_test_setup_teardown(test_placeholders_are_marked, tu_setup_demo,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_canonicalise_stored, tu_setup_units,
		    tu_teardown),
	};
	return cmocka_run_group_tests_name("seed", tests, NULL, NULL);
}
