/* test_coord.c - workflows and the coordination computations, on the demo
 * records of the five source reports. */
#include "testutil.h"

#include "domain/coord.h"
#include "domain/records.h"
#include "domain/workflow.h"

/* a signed-in user's actor: writes allowed, approver or not as a case says
 * (an actor without may_write is the system, which may do everything) */
static bool
allow_all(const struct actor *who, struct store *s, const struct entity_def *ent,
    const json_t *rec, struct err *e)
{
	(void)who; (void)s; (void)ent; (void)rec; (void)e;
	return true;
}

/* ---- task states at a fixed date ------------------------------------------- */

static const struct {
	const char *deadline, *completed, *as_of;
	enum task_state want;
} task_cases[] = {
	{ "2024-06-30", NULL, "2024-06-30", TASK_OPEN },          /* due today */
	{ "2024-06-30", NULL, "2024-07-01", TASK_OVERDUE },
	{ "2024-06-30", "2024-06-30", "2024-07-01", TASK_DONE_ON_TIME },
	{ "2024-06-30", "2024-07-02", "2024-07-03", TASK_DONE_LATE },
	{ "2024-06-30", "2024-07-02", "2024-07-01", TASK_OVERDUE },/* not yet done then */
	{ "2024-06-30", "2024-05-01", "2024-04-30", TASK_OPEN },
	{ NULL, NULL, "2030-01-01", TASK_OPEN },                   /* no deadline */
	{ NULL, "2024-01-01", "2024-01-02", TASK_DONE_ON_TIME },
};

static void
test_task_states(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(task_cases) / sizeof(task_cases[0]); i++) {
		json_t *t = json_pack("{s:s?, s:s?}", "deadline", task_cases[i].deadline,
		    "completed_on", task_cases[i].completed);
		if (coord_task_state(t, task_cases[i].as_of) != task_cases[i].want)
			fail_msg("case %zu: got %s", i,
			    coord_task_state_code(coord_task_state(t, task_cases[i].as_of)));
		json_decref(t);
	}
}

/* ---- transitions -------------------------------------------------------------- */

static int64_t
find_one(struct store *s, const char *entity, const char *field, const char *value)
{
	struct list_query q;
	json_t *rows, *v = json_string(value);
	int64_t id;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field, OP_EQ, v };
	q.nfilters = 1;
	q.see_confidential = true;
	assert_int_equal(store_list(s, registry_find(entity), &q, &rows, NULL, NULL), 0);
	assert_true(json_array_size(rows) > 0);
	id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	json_decref(v);
	return id;
}

static int
set_status(struct store *s, const char *entity, int64_t id, const char *to,
    const struct actor *who, struct err *e)
{
	json_t *in = json_pack("{s:s}", "status", to);
	int rc = records_update(s, registry_find(entity), id, in, 0, who, 0, NULL, e);

	json_decref(in);
	return rc;
}

static const struct {
	const char *entity, *from_field, *from_value; /* how to find the record */
	const char *to;
	bool approver;
	enum err_code want; /* ERR_NONE = allowed */
} moves[] = {
	/* Bản Máy's twinning is planned: it may be signed, not ended */
	{ "agreement", "status", "planned", "ended", false, ERR_INVALID },
	{ "agreement", "status", "planned", "signed", false, ERR_NONE },
	{ "agreement", "status", "signed", "planned", false, ERR_INVALID },
	{ "agreement", "status", "signed", "active", false, ERR_NONE },
	{ "recommendation", "status", "submitted", "answered", false, ERR_NONE },
	{ "recommendation", "status", "answered", "declined", false, ERR_INVALID },
	{ "incident", "status", "resolved", "reported", false, ERR_INVALID },
	/* approving needs an approver */
	{ "indicator_value", "status", "approved", "draft", false, ERR_FORBIDDEN },
	{ "indicator_value", "status", "approved", "draft", true, ERR_NONE },
};

static void
test_transitions_allowed_and_refused(void **state)
{
	struct store *s = *state;
	size_t i;

	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		struct actor who = { .name = "test", .may_write = allow_all };
		struct err e = { 0 };
		int64_t id = find_one(s, moves[i].entity, moves[i].from_field,
		    moves[i].from_value);
		int rc;
		who.approver = moves[i].approver;
		rc = set_status(s, moves[i].entity, id, moves[i].to, &who, &e);
		if (moves[i].want == ERR_NONE) {
			if (rc != 0)
				fail_msg("move %zu refused: %s", i, e.msg);
		} else {
			if (rc == 0 || e.code != moves[i].want)
				fail_msg("move %zu: want error %d, got rc %d code %d (%s)", i,
				    moves[i].want, rc, e.code, e.msg);
			/* the message says what is allowed, in Vietnamese */
			assert_true(strlen(e.msg) > 10 || e.fields != NULL);
		}
		err_clear(&e);
	}
}

static void
test_approved_value_is_locked_and_history_kept(void **state)
{
	struct store *s = *state;
	const struct entity_def *values = registry_find("indicator_value");
	struct actor who = { .name = "test", .may_write = allow_all, .approver = false };
	struct err e = { 0 };
	json_t *in, *rows, *namev, *idv;
	struct list_query q;
	int64_t id = find_one(s, "indicator_value", "status", "approved");
	int64_t before;

	/* an editor cannot change an approved figure */
	in = json_pack("{s:f}", "actual", 1.0);
	assert_int_equal(records_update(s, values, id, in, 0, &who, 0, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	err_clear(&e);
	/* nor approve or reopen */
	assert_int_equal(set_status(s, "indicator_value", id, "draft", &who, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	err_clear(&e);

	memset(&q, 0, sizeof(q));
	namev = json_string("indicator_value");
	idv = json_integer(id);
	q.filters[0] = (struct list_filter){ "entity", OP_EQ, namev };
	q.filters[1] = (struct list_filter){ "record_id", OP_EQ, idv };
	q.nfilters = 2;
	assert_int_equal(store_list(s, registry_find("status_change"), &q, &rows, &before, NULL), 0);
	json_decref(rows);

	/* an approver reopens it, then it can be corrected */
	who.approver = true;
	assert_int_equal(set_status(s, "indicator_value", id, "draft", &who, &e), 0);
	assert_int_equal(records_update(s, values, id, in, 0, &who, 0, NULL, &e), 0);
	json_decref(in);

	{
		int64_t after;
		assert_int_equal(store_list(s, registry_find("status_change"), &q, &rows,
		    &after, NULL), 0);
		assert_int_equal(after, before + 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows,
		    (size_t)after - 1), "from_status")), "approved");
		json_decref(rows);
	}
	json_decref(namev);
	json_decref(idv);
}

/* ---- plan vs done, help evaluation -------------------------------------------- */

static void
test_hagiang_twinning_progress(void **state)
{
	struct store *s = tu_store_demo();
	struct err e = { 0 };
	int64_t pid;
	json_t *p;

	(void)state;
	{
		/* find the twinning program by search rather than by number */
		struct list_query q;
		json_t *rows;
		memset(&q, 0, sizeof(q));
		q.search = "chuong trinh ket nghia xa";
		assert_int_equal(store_list(s, registry_find("program"), &q, &rows, NULL, &e), 0);
		assert_int_equal(json_array_size(rows), 1);
		pid = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		json_decref(rows);
	}
	p = coord_program_progress(s, pid, &e);
	assert_non_null(p);
	assert_int_equal(json_integer_value(json_object_get(p, "planned")), 34);
	assert_int_equal(json_integer_value(json_object_get(p, "signed")), 33);
	assert_int_equal((int)(json_real_value(json_object_get(p, "percent")) + 0.5), 97);
	assert_int_equal(json_array_size(json_object_get(p, "outstanding")), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(
	    json_object_get(p, "outstanding"), 0), "title")), "Bản Máy"));
	json_decref(p);
	store_close(s);
}

static void
test_sonla_helper_evaluation(void **state)
{
	struct store *s = tu_store_demo();
	struct err e = { 0 };
	json_t *ev, *h;
	size_t i, inactive = 0, communes = 0;

	(void)state;
	ev = coord_help_evaluation(s, 0, "2013-10-28", "2016-12-31", &e);
	assert_non_null(ev);
	assert_int_equal(json_array_size(ev), 28);
	json_array_foreach(ev, i, h) {
		if (json_is_true(json_object_get(h, "inactive")))
			inactive++;
		communes += (size_t)json_integer_value(json_object_get(h, "communes_count"));
		/* a helper is inactive exactly when it recorded nothing */
		assert_int_equal(json_is_true(json_object_get(h, "inactive")),
		    json_integer_value(json_object_get(h, "activities")) == 0);
	}
	assert_int_equal(inactive, 8);
	assert_true(communes >= 106);
	json_decref(ev);
	store_close(s);
}

static void
test_clusters_due_at_a_date(void **state)
{
	struct store *s = tu_store_demo();
	struct err e = { 0 };
	json_t *due, *c;
	size_t i;

	(void)state;
	due = coord_clusters_due(s, 0, "2023-10-01", &e);
	assert_non_null(due);
	assert_int_equal(json_array_size(due), 4);
	json_array_foreach(due, i, c) {
		const char *next = json_string_value(json_object_get(c, "next_due_on"));
		assert_non_null(next);
		/* quarterly briefings held in September are due in December */
		assert_false(json_is_true(json_object_get(c, "overdue")));
	}
	json_decref(due);
	due = coord_clusters_due(s, 0, "2024-06-30", &e);
	json_array_foreach(due, i, c)
		assert_true(json_is_true(json_object_get(c, "overdue")));
	json_decref(due);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_states),
		cmocka_unit_test(test_transitions_allowed_and_refused),
		cmocka_unit_test(test_approved_value_is_locked_and_history_kept),
		cmocka_unit_test(test_hagiang_twinning_progress),
		cmocka_unit_test(test_sonla_helper_evaluation),
		cmocka_unit_test(test_clusters_due_at_a_date),
	};
	return cmocka_run_group_tests_name("coord", tests, tu_setup_demo, tu_teardown);
}
