/*
 * test_duties.c - reporting duties (duties.h): the periods of a year for
 * each frequency, and, for one duty, each period's state as the receiving
 * office sees it on a day - on time, late (by the day the values were
 * submitted), missing once the due day has passed, not due before -
 * with the counts.  Table-driven: a period or a frequency is one line.
 */
#include "testutil.h"

#include "domain/duties.h"
#include "domain/records.h"
#include "text/text.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))


/* ---- periods ------------------------------------------------------------------ */

static const struct {
	const char *frequency;
	int year;
	size_t n;
	const char *first, *last;
} periods[] = {
	{ "monthly", 2024, 12, "2024-01", "2024-12" },
	{ "quarterly", 2024, 4, "2024-Q1", "2024-Q4" },
	{ "half_yearly", 2025, 2, "2025-H1", "2025-H2" },
	{ "yearly", 2023, 1, "2023", "2023" },
	{ NULL, 2024, 0, NULL, NULL },
};

static void
test_periods(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < N_ELEM(periods); i++) {
		json_t *p = duties_periods(periods[i].frequency, periods[i].year), *v;
		assert_non_null(p);
		if (json_array_size(p) != periods[i].n)
			fail_msg("%s: %zu periods", periods[i].frequency ?
			    periods[i].frequency : "(null)", json_array_size(p));
		if (periods[i].n > 0) {
			assert_string_equal(json_string_value(json_array_get(p, 0)),
			    periods[i].first);
			assert_string_equal(json_string_value(json_array_get(p,
			    periods[i].n - 1)), periods[i].last);
		}
		/* each is a canonical period code */
		json_array_foreach(p, j, v) {
			struct vi_period vp;
			assert_int_equal(vi_parse_period(json_string_value(v), &vp), 0);
			assert_string_equal(vp.code, json_string_value(v));
		}
		json_decref(p);
	}
}

/* ---- the states of one duty ------------------------------------------------------ */

static const struct actor history = { .name = "test", .history = true };

static int64_t
create(const char *entity, json_t *in, unsigned flags)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(tu_db, registry_find(entity), in, &history, flags, &out, &e) != 0)
		fail_msg("%s: %s", entity, e.msg);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* A value of the duty's one indicator for a period, in a state, submitted
 * on a day (NULL: never moved to submitted). */
static void
value(int64_t indicator, int64_t unit, const char *period, const char *status,
    const char *submitted_on)
{
	int64_t id = create("indicator_value", json_pack("{s:I, s:I, s:s, s:f, s:s}",
	    "indicator_id", (json_int_t)indicator, "unit_id", (json_int_t)unit,
	    "period", period, "actual", 1.0, "status", status), 0);

	if (submitted_on != NULL)
		create("status_change", json_pack("{s:s, s:I, s:s, s:s, s:s}",
		    "entity", "indicator_value", "record_id", (json_int_t)id,
		    "from_status", "draft", "to_status", "submitted",
		    "changed_on", submitted_on), R_SYSTEM);
}

/* quarterly, due 15 days after each quarter */
static const struct {
	const char *as_of;
	const char *period;
	const char *state;
	const char *due_on;
	const char *reported_on; /* NULL: none */
} states[] = {
	{ "2024-12-31", "2024-Q1", "on_time", "2024-04-15", "2024-04-10" },
	{ "2024-12-31", "2024-Q2", "late", "2024-07-15", "2024-07-20" },
	{ "2024-12-31", "2024-Q3", "missing", "2024-10-15", NULL }, /* a draft only */
	{ "2024-12-31", "2024-Q4", "not_due", "2025-01-15", NULL }, /* not ended */
	{ "2025-01-10", "2024-Q4", "not_due", "2025-01-15", NULL }, /* not due yet */
	{ "2025-02-01", "2024-Q4", "missing", "2025-01-15", NULL },
	{ "2024-04-12", "2024-Q1", "on_time", "2024-04-15", "2024-04-10" },
	{ "2024-04-12", "2024-Q3", "not_due", "2024-10-15", NULL },
};

static void
test_states(void **state)
{
	struct err e = { 0 };
	struct list_query q;
	json_t *orgs, *st, *d, *p;
	int64_t unit = 0, org, set, group, indicator, duty;
	size_t i, j, k;

	(void)state;
	assert_int_equal(store_unit_by_code(tu_db, "084", NULL, &unit, &e), 0);
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	q.see_confidential = true;
	assert_int_equal(store_list(tu_db, registry_find("organisation"), &q, &orgs, NULL,
	    &e), 0);
	org = json_integer_value(json_object_get(json_array_get(orgs, 0), "id"));
	json_decref(orgs);
	assert_true(org > 0);
	set = create("target_set", json_pack("{s:s, s:I, s:i, s:i}", "name",
	    "Bộ chỉ tiêu kiểm thử chế độ báo cáo", "unit_id", (json_int_t)unit,
	    "term_start", 2020, "term_end", 2025), 0);
	group = create("target_group", json_pack("{s:I, s:i, s:s}", "target_set_id",
	    (json_int_t)set, "number", 1, "name", "Nhóm kiểm thử"), 0);
	indicator = create("indicator", json_pack("{s:I, s:s, s:s, s:s}",
	    "target_group_id", (json_int_t)group, "name", "Chỉ tiêu kiểm thử",
	    "direction", "higher", "value_kind", "number"), 0);
	duty = create("reporting_duty", json_pack("{s:I, s:I, s:I, s:s, s:i}",
	    "target_set_id", (json_int_t)set, "reporter_unit_id", (json_int_t)unit,
	    "recipient_org_id", (json_int_t)org, "frequency", "quarterly",
	    "due_day", 15), 0);
	value(indicator, unit, "2024-Q1", "submitted", "2024-04-10");
	value(indicator, unit, "2024-Q2", "approved", "2024-07-20");
	value(indicator, unit, "2024-Q3", "draft", NULL);

	for (i = 0; i < N_ELEM(states); i++) {
		st = duties_status(tu_db, org, 2024, states[i].as_of, &e);
		if (st == NULL)
			fail_msg("duties_status: %s", e.msg);
		p = NULL;
		json_array_foreach(st, j, d) {
			json_t *x;
			if (json_integer_value(json_object_get(d, "duty_id")) != duty)
				continue;
			assert_int_equal(json_array_size(json_object_get(d, "periods")), 4);
			json_array_foreach(json_object_get(d, "periods"), k, x)
				if (strcmp(json_string_value(json_object_get(x, "period")),
				    states[i].period) == 0)
					p = x;
			break;
		}
		if (p == NULL)
			fail_msg("as of %s: no period %s of the duty", states[i].as_of,
			    states[i].period);
		if (strcmp(json_string_value(json_object_get(p, "state")), states[i].state) != 0)
			fail_msg("as of %s, %s: %s, want %s", states[i].as_of, states[i].period,
			    json_string_value(json_object_get(p, "state")), states[i].state);
		assert_string_equal(json_string_value(json_object_get(p, "due_on")),
		    states[i].due_on);
		if (states[i].reported_on == NULL)
			assert_true(json_is_null(json_object_get(p, "reported_on")) ||
			    json_object_get(p, "reported_on") == NULL);
		else
			assert_string_equal(json_string_value(json_object_get(p, "reported_on")),
			    states[i].reported_on);
		json_decref(st);
	}

	/* the counts of a day: one on time, one late, one missing (Q4 not due) */
	st = duties_status(tu_db, org, 2024, "2024-12-31", &e);
	json_array_foreach(st, j, d) {
		json_t *c = json_object_get(d, "counts");
		if (json_integer_value(json_object_get(d, "duty_id")) != duty)
			continue;
		assert_int_equal(json_integer_value(json_object_get(c, "on_time")), 1);
		assert_int_equal(json_integer_value(json_object_get(c, "late")), 1);
		assert_int_equal(json_integer_value(json_object_get(c, "missing")), 1);
		assert_string_equal(json_string_value(json_object_get(json_object_get(d,
		    "target_set"), "title")), "Bộ chỉ tiêu kiểm thử chế độ báo cáo");
	}
	json_decref(st);
	/* another office receives nothing of it */
	st = duties_status(tu_db, org + 100000, 2024, "2024-12-31", &e);
	assert_non_null(st);
	assert_int_equal(json_array_size(st), 0);
	json_decref(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_states),
	};
	return cmocka_run_group_tests_name("duties", tests, tu_setup_demo_db, tu_teardown_db);
}
