/*
 * test_workflow.c - the workflow rules (src/domain/workflow.h) on every write path:
 * every workflow entity x every state of its status x every path that
 * creates, changes or deletes a record (records_create/update/delete, a
 * JSON bulk load as `_bulk` makes it, CSV and XLSX imports; workflow_create
 * and ingest acceptance in test_workflow_move.c) x an
 * editor, an approver, the system, and the system loading history.
 *
 * The workflows are written out here by hand, not read back from
 * workflow.c: a change to the table is a change to this one too.
 */
#include "workflow_cases.h"

#include "report/report.h"

/* ---- the table is complete --------------------------------------------------- */

static void
test_every_state_is_in_the_table(void **state)
{
	size_t i, k, n;
	char code[64], label[128];

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct entity_def *ent = registry_find(cases[i].entity);
		const struct field_def *f;
		assert_non_null(ent);
		assert_non_null(workflow_field(ent));
		f = entity_field(ent, workflow_field(ent));
		for (n = 0; cases[i].states[n] != NULL; n++)
			assert_true(enum_has(f, cases[i].states[n]));
		assert_int_equal(n, enum_count(f));
		for (k = 0; k < enum_count(f); k++) {
			enum_choice(f, k, code, sizeof(code), label, sizeof(label));
			assert_int_equal(workflow_initial(ent, code), in(cases[i].initial, code));
			json_t *rec = json_pack("{s:s}", "status", code);
			assert_int_equal(workflow_locked(ent, rec),
			    cases[i].locked != NULL && strcmp(cases[i].locked, code) == 0);
			json_decref(rec);
		}
	}
	/* every entity with a status workflow is a case here */
	for (i = 0, n = 0; i < registry_count; i++)
		if (workflow_field(registry[i]) != NULL)
			n++;
	assert_int_equal(n, NCASES);
	assert_string_equal(workflow_reopen_state(registry_find("indicator_value")), "draft");
	assert_null(workflow_reopen_state(registry_find("report")));
	assert_null(workflow_reopen_state(registry_find("agreement")));
}

/* ---- creating: initial states only, on every path ------------------------------- */

static void
test_create_in_each_state_on_every_path(void **state)
{
	size_t i, k;
	int p, a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		for (k = 0; c->states[k] != NULL; k++) {
			for (p = 0; p < NPATH; p++) {
				for (a = 0; a < NWHO; a++) {
					const char *st = c->states[k];
					bool want = in(c->initial, st) || a == HISTORY, on_status;
					int64_t total = count_where(c->entity, NULL, NULL);
					int64_t there = count_where(c->entity, "status", st);
					json_t *rec = record_of(c, st);
					struct err e = { 0 };
					int rc = create_by((enum path)p, ent, rec, &actors[a],
					    &on_status, &e);
					if ((rc == 0) != want)
						fail_msg("%s in '%s' by %s as %s: want %s, got %s (%s)",
						    c->entity, st, path_names[p], actors[a].name,
						    want ? "written" : "refused", rc == 0 ? "written" :
						    "refused", e.msg);
					if (!want) {
						/* refused for its status, in Vietnamese naming the
						 * initial states; nothing written */
						assert_true(on_status);
						assert_int_equal(e.code, ERR_INVALID);
						assert_int_equal(count_where(c->entity, NULL, NULL), total);
					} else {
						assert_int_equal(count_where(c->entity, NULL, NULL), total + 1);
						assert_int_equal(count_where(c->entity, "status", st), there + 1);
					}
					if (p == P_CREATE && !want) {
						const char *m = json_string_value(json_object_get(e.fields,
						    "status"));
						assert_non_null(strstr(m, "chỉ được tạo ở trạng thái"));
					}
					json_decref(rec);
					err_clear(&e);
				}
			}
		}
	}
}

/* ---- deleting: never in a lock state ---------------------------------------------- */

static void
test_delete_in_each_state(void **state)
{
	size_t i, k;
	int a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		for (k = 0; c->states[k] != NULL; k++) {
			for (a = 0; a < NWHO; a++) {
				const char *st = c->states[k];
				bool locked = c->locked != NULL && strcmp(c->locked, st) == 0;
				json_t *rec = record_of(c, st), *out = NULL;
				struct err e = { 0 };
				int64_t id;
				int rc;
				/* loaded as history: the state itself is what is tested */
				assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0,
				    &out, &e), 0);
				json_decref(rec);
				id = rec_int(out, "id");
				json_decref(out);
				rc = records_delete(w.s, ent, id, 0, &actors[a], &e);
				if ((rc == 0) == locked)
					fail_msg("delete %s in '%s' as %s: got rc %d (%s)", c->entity,
					    st, actors[a].name, rc, e.msg);
				if (locked) {
					assert_int_equal(e.code, ERR_CONFLICT);
					assert_true(store_exists(w.s, ent, id));
				} else {
					assert_false(store_exists(w.s, ent, id));
				}
				err_clear(&e);
			}
		}
	}
}

/* ---- changing a locked record; reopening ----------------------------------------- */

static void
test_locked_record_is_not_changed(void **state)
{
	size_t i;
	int a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		json_t *rec, *out = NULL, *in_, *now;
		struct err e = { 0 };
		int64_t id;
		if (c->locked == NULL)
			continue;
		rec = record_of(c, c->locked);
		assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0, &out, &e), 0);
		json_decref(rec);
		id = rec_int(out, "id");
		for (a = 0; a < NWHO; a++) {
			in_ = json_pack("{s:s}", c->other, "sửa khi đã khóa");
			assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[a], 0,
			    NULL, &e), -1);
			assert_int_equal(e.code, ERR_CONFLICT);
			err_clear(&e);
			json_decref(in_);
		}
		now = store_get(w.s, ent, id, NULL);
		assert_true(json_equal(now, out));
		json_decref(now);
		json_decref(out);
	}
}

static void
test_reopen_then_delete_a_value(void **state)
{
	const struct entity_def *ent = registry_find("indicator_value");
	json_t *rec = record_of(&cases[3], "approved"), *out = NULL, *in_;
	struct err e = { 0 };
	int64_t id;

	(void)state;
	assert_string_equal(cases[3].entity, "indicator_value");
	assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	in_ = json_pack("{s:s}", "status", "draft");
	/* an editor may not reopen; an approver may, and then it may go */
	assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[EDITOR], 0, NULL,
	    &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	err_clear(&e);
	assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[APPROVER], 0,
	    NULL, &e), 0);
	json_decref(in_);
	assert_int_equal(records_delete(w.s, ent, id, 0, &actors[EDITOR], &e), 0);
}

/* ---- a report is issued by report_issue, never by editing its status ------------ */

static void
test_report_is_issued_by_its_register_only(void **state)
{
	const struct entity_def *ent = registry_find("report");
	json_t *rec = record_of(&cases[4], "draft"), *out = NULL, *in_;
	struct err e = { 0 };
	int64_t id;
	int a;

	(void)state;
	assert_string_equal(cases[4].entity, "report");
	assert_int_equal(records_create(w.s, ent, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	in_ = json_pack("{s:s}", "status", "issued");
	for (a = 0; a < NWHO; a++) {
		assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[a], 0, NULL,
		    &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		assert_non_null(json_object_get(e.fields, "status"));
		err_clear(&e);
		assert_int_equal(workflow_advance(w.s, ent, id, "issued", &actors[a], 0,
		    NULL, &e), -1);
		err_clear(&e);
	}
	json_decref(in_);
	/* an issued document names its signer: refused without one */
	assert_int_equal(report_issue(w.s, id, &actors[EDITOR], &out, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(json_object_get(e.fields, "signer_name"));
	err_clear(&e);
	in_ = json_pack("{s:s}", "signer_name", "Giàng Seo Ký");
	assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[EDITOR], 0, NULL,
	    &e), 0);
	json_decref(in_);
	assert_int_equal(report_issue(w.s, id, &actors[EDITOR], &out, &e), 0);
	assert_string_equal(rec_str(out, "status"), "issued");
	assert_string_equal(rec_str(out, "signer_name"), "Giàng Seo Ký");
	assert_true(rec_int(out, "number") > 0);
	json_decref(out);
	/* issued: locked for good */
	assert_int_equal(records_delete(w.s, ent, id, 0, &actors[APPROVER], &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	err_clear(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state_is_in_the_table),
		cmocka_unit_test(test_create_in_each_state_on_every_path),
		cmocka_unit_test(test_delete_in_each_state),
		cmocka_unit_test(test_locked_record_is_not_changed),
		cmocka_unit_test(test_reopen_then_delete_a_value),
		cmocka_unit_test(test_report_is_issued_by_its_register_only),
	};
	return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
