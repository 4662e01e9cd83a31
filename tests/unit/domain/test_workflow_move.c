/*
 * test_workflow_move.c - records entered further along than an initial
 * state (src/domain/workflow_move.h: the grid, accepted ingest proposals):
 * created in the nearest initial state and moved on, each move checked and
 * recorded, for every workflow entity x every state x each actor;
 * workflow_advance never moves back; ingest acceptance goes the same way.
 */
#include "workflow_cases.h"

#include "ingest/ingest_accept.h"

/* ---- creating further along: created initial, then moved (grid, ingest) ----------- */

static void
test_create_further_along_moves_and_records(void **state)
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
				/* users' moves are their role's; the system makes every one */
				const char *const *reach = a == EDITOR || a == EDITOR_HISTORY ?
				    c->editor : c->approver;
				bool want;
				int64_t total = count_where(c->entity, NULL, NULL);
				int64_t moves = count_where("status_change", NULL, NULL);
				json_t *rec = record_of(c, st), *out = NULL, *hist;
				struct err e = { 0 };
				int rc;
				want = in(reach, st);
				rc = workflow_create(w.s, ent, rec, &actors[a], 0, &out, &e);
				if ((rc == 0) != want)
					fail_msg("workflow_create %s in '%s' as %s: want %s, got %s (%s)",
					    c->entity, st, actors[a].name, want ? "written" : "refused",
					    rc == 0 ? "written" : "refused", e.msg);
				json_decref(rec);
				if (!want) {
					/* nothing written: neither the record nor a move */
					assert_int_equal(count_where(c->entity, NULL, NULL), total);
					assert_int_equal(count_where("status_change", NULL, NULL), moves);
					assert_true(e.code == ERR_FORBIDDEN || e.code == ERR_INVALID);
					err_clear(&e);
					continue;
				}
				assert_string_equal(rec_str(out, "status"), st);
				hist = history_of(c->entity, rec_int(out, "id"));
				if (in(c->initial, st)) {
					assert_int_equal(json_array_size(hist), 0);
				} else {
					/* every move recorded: from an initial state to st */
					size_t n = json_array_size(hist), j;
					assert_true(n > 0);
					assert_true(in(c->initial, rec_str(json_array_get(hist, 0),
					    "from_status")));
					for (j = 1; j < n; j++)
						assert_string_equal(rec_str(json_array_get(hist, j),
						    "from_status"), rec_str(json_array_get(hist, j - 1),
						    "to_status"));
					assert_string_equal(rec_str(json_array_get(hist, n - 1),
					    "to_status"), st);
				}
				json_decref(hist);
				json_decref(out);
			}
		}
	}
}

/* ---- workflow_advance goes forward only ----------------------------------------- */

static void
test_advance_is_at_least_as_far(void **state)
{
	const struct entity_def *values = registry_find("indicator_value");
	const struct entity_def *recs = registry_find("recommendation");
	json_t *out = NULL, *rec;
	struct err e = { 0 };
	int64_t id, moves;

	(void)state;
	rec = record_of(&cases[3], "submitted");
	assert_int_equal(workflow_create(w.s, values, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	/* a draft save of a submitted value leaves it submitted, moves nothing */
	moves = count_where("status_change", NULL, NULL);
	assert_int_equal(workflow_advance(w.s, values, id, "draft", &actors[APPROVER], 0,
	    &out, &e), 0);
	assert_string_equal(rec_str(out, "status"), "submitted");
	json_decref(out);
	assert_int_equal(count_where("status_change", NULL, NULL), moves);
	/* done is off declined's way: refused naming the moves allowed */
	rec = record_of(&cases[2], "done");
	assert_int_equal(workflow_create(w.s, recs, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	assert_int_equal(workflow_advance(w.s, recs, id, "declined", &actors[APPROVER],
	    0, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(json_object_get(e.fields, "status"));
	err_clear(&e);
}

/* ---- ingest acceptance: created in the initial state, then moved --------------- */

static const char ingest_text[] =
    "Ngày 31/10 hội nghị sơ kết tại huyện. Tỷ lệ hộ nghèo giảm đạt 85%.";

static void
test_ingest_accept_creates_initial_then_moves(void **state)
{
	json_t *set, *dec, *res = NULL, *c, *hist;
	json_error_t je;
	struct err e = { 0 };
	size_t i;
	int a, found;

	(void)state;
	for (a = 0; a < NWHO; a++) {
		set = json_loads("{\"source\": {\"name\": \"thu.txt\", \"title\": \"Văn bản "
		    "thử\", \"publication_date\": \"2023-10-31\", "
		    "\"publication_date_source\": \"option\"}, \"text_length\": 0, "
		    "\"proposals\": [{\"id\": \"e1\", \"kind\": \"event\", \"span\": [0, 10], "
		    "\"quote\": \"Ngày 31/10\", \"confidence\": 0.9, \"event_type\": "
		    "\"review_conference\", \"date\": \"2023-10-31\", \"date_text\": "
		    "\"Ngày 31/10\", \"place_text\": \"huyện Si Ma Cai\", \"place_unit\": "
		    "{\"code\": \"084\", \"vintage\": \"2024\"}, \"title\": \"Hội nghị thử\"}, "
		    "{\"id\": \"f1\", \"kind\": \"figure\", \"span\": [38, 70], \"quote\": "
		    "\"Tỷ lệ hộ nghèo giảm đạt 85%\", \"confidence\": 0.8, \"text\": \"85%\", "
		    "\"value\": 85, \"unit\": \"%\", \"qualifier\": \"đạt\", \"of\": null, "
		    "\"percent\": 85, \"subject\": \"Tỷ lệ hộ nghèo giảm\", \"proposed_as\": "
		    "\"indicator_value\", \"event\": \"e1\"}]}", 0, &je);
		if (set == NULL)
			fail_msg("set: %s", je.text);
		json_object_set_new(set, "text_length", json_integer((json_int_t)strlen(
		    ingest_text)));
		dec = ingest_decisions_from_list(set, "all");
		if (ingest_accept_set(w.s, set, dec, 0, &actors[a], &res, &e) != 0)
			fail_msg("accept as %s: %s", actors[a].name, e.msg);
		found = 0;
		json_array_foreach(json_object_get(res, "created"), i, c) {
			json_t *v;
			if (strcmp(rec_str(c, "entity"), "indicator_value") != 0)
				continue;
			found++;
			/* the report says submitted: draft first, then the move */
			v = store_get(w.s, registry_find("indicator_value"), rec_int(c, "id"), NULL);
			assert_string_equal(rec_str(v, "status"), "submitted");
			json_decref(v);
			hist = history_of("indicator_value", rec_int(c, "id"));
			assert_int_equal(json_array_size(hist), 1);
			assert_string_equal(rec_str(json_array_get(hist, 0), "from_status"), "draft");
			assert_string_equal(rec_str(json_array_get(hist, 0), "to_status"), "submitted");
			json_decref(hist);
		}
		assert_int_equal(found, 1);
		json_decref(res);
		json_decref(dec);
		json_decref(set);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_further_along_moves_and_records),
		cmocka_unit_test(test_advance_is_at_least_as_far),
		cmocka_unit_test(test_ingest_accept_creates_initial_then_moves),
	};
	return cmocka_run_group_tests_name("workflow_move", tests, setup, teardown);
}
