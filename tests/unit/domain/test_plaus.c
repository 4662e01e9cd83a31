/*
 * test_plaus.c - plausibility rules of indicator values (plaus.h): each
 * rule against values inside, on and beyond its bounds (a table: a case is
 * one line), the period before each kind of period, and the write path:
 * a breach saves as a draft with its warnings, is refused on submission
 * without a comment (422 on `comment`, naming the rule) through every
 * entry (records_create/update, workflow_create, bulk JSON and cells), is
 * submitted with one, and approved as it is; a history load is not asked.
 */
#include "testutil.h"

#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/plaus.h"
#include "domain/records.h"
#include "domain/workflow_move.h"
#include "text/text.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the rules, pure --------------------------------------------------------------- */

#define NONE    0
#define HAS_MIN 1
#define HAS_MAX 2

static const struct {
	const char *what;
	unsigned bounds;
	double min, max;
	bool non_negative, max_100, percent;
	double factor;
	const char *value; /* JSON of the value's figures */
	bool has_prev;
	double prev;
	const char *want;  /* "rule:field" of each warning, in order, ';' between */
} eval_cases[] = {
	{ "no rule", NONE, 0, 0, false, false, true, 0, "{\"actual\": -5}", false, 0, "" },
	{ "sign: -5", NONE, 0, 0, true, false, true, 0, "{\"actual\": -5}", false, 0,
	  "non_negative:actual" },
	{ "sign: 0 is fine", NONE, 0, 0, true, false, true, 0, "{\"actual\": 0}", false, 0, "" },
	{ "sign on the plan too", NONE, 0, 0, true, false, true, 0,
	  "{\"target\": -1, \"actual\": 3}", false, 0, "non_negative:target" },
	{ "share: 100 is fine", NONE, 0, 0, false, true, true, 0, "{\"actual\": 100}",
	  false, 0, "" },
	{ "share: 100.5", NONE, 0, 0, false, true, true, 0, "{\"actual\": 100.5}", false, 0,
	  "max_100:actual" },
	{ "share of a number indicator is its fraction only", NONE, 0, 0, false, true, false,
	  0, "{\"actual\": 150}", false, 0, "" },
	{ "share: numerator over denominator", NONE, 0, 0, false, true, false, 0,
	  "{\"actual\": 10, \"numerator\": 10, \"denominator\": 9}", false, 0,
	  "max_100:numerator" },
	{ "share: planned numerator over denominator", NONE, 0, 0, false, true, false, 0,
	  "{\"target_numerator\": 5, \"target_denominator\": 4}", false, 0,
	  "max_100:target_numerator" },
	{ "share: 4/9 is fine", NONE, 0, 0, false, true, false, 0,
	  "{\"actual\": 4, \"numerator\": 4, \"denominator\": 9}", false, 0, "" },
	{ "party building: -5 % breaks sign", NONE, 0, 0, true, true, true, 2,
	  "{\"actual\": -5}", false, 0, "non_negative:actual" },
	{ "range: inside", HAS_MIN | HAS_MAX, -10, 30, false, false, true, 0,
	  "{\"actual\": 10.5}", false, 0, "" },
	{ "range: on the bounds", HAS_MIN | HAS_MAX, -10, 30, false, false, true, 0,
	  "{\"target\": -10, \"actual\": 30}", false, 0, "" },
	{ "range: below", HAS_MIN | HAS_MAX, -10, 30, false, false, true, 0,
	  "{\"actual\": -10.5}", false, 0, "range:actual" },
	{ "range: above, min only given", HAS_MIN, 0, 0, false, false, true, 0,
	  "{\"actual\": -1}", false, 0, "range:actual" },
	{ "range: max only", HAS_MAX, 0, 20, false, false, true, 0,
	  "{\"target\": 21, \"actual\": 20}", false, 0, "range:target" },
	{ "change: within 2x", NONE, 0, 0, false, false, true, 2, "{\"actual\": 19}", true,
	  10, "" },
	{ "change: exactly 2x", NONE, 0, 0, false, false, true, 2, "{\"actual\": 20}", true,
	  10, "" },
	{ "change: above 2x", NONE, 0, 0, false, false, true, 2, "{\"actual\": 21}", true, 10,
	  "change:actual" },
	{ "change: below half", NONE, 0, 0, false, false, true, 2, "{\"actual\": 4.9}", true,
	  10, "change:actual" },
	{ "change: to zero", NONE, 0, 0, false, false, true, 2, "{\"actual\": 0}", true, 10,
	  "change:actual" },
	{ "change: sign flips", NONE, 0, 0, false, false, true, 3, "{\"actual\": -8}", true, 10,
	  "change:actual" },
	{ "change: no previous value", NONE, 0, 0, false, false, true, 2, "{\"actual\": 100}",
	  false, 0, "" },
	{ "change: previous zero gives no base", NONE, 0, 0, false, false, true, 2,
	  "{\"actual\": 100}", true, 0, "" },
	{ "change only on the actual", NONE, 0, 0, false, false, true, 2,
	  "{\"target\": 100, \"actual\": 10}", true, 10, "" },
	{ "several at once", HAS_MIN | HAS_MAX, 0, 100, true, true, true, 2,
	  "{\"actual\": -5}", true, 95, "non_negative:actual;range:actual;change:actual" },
};

static void
test_eval(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < N_ELEM(eval_cases); i++) {
		struct plaus_rules r = { 0 };
		json_t *v = json_loads(eval_cases[i].value, 0, NULL), *out = json_array(), *w;
		char got[400] = "";
		size_t used = 0;
		int n;
		assert_non_null(v);
		r.has_min = eval_cases[i].bounds & HAS_MIN;
		r.has_max = eval_cases[i].bounds & HAS_MAX;
		r.min = eval_cases[i].min;
		r.max = eval_cases[i].max;
		r.non_negative = eval_cases[i].non_negative;
		r.max_100 = eval_cases[i].max_100;
		r.percent = eval_cases[i].percent;
		r.change_factor = eval_cases[i].factor;
		n = plaus_eval(&r, v, eval_cases[i].has_prev ? &eval_cases[i].prev : NULL,
		    "2023", out);
		assert_int_equal(n, (int)json_array_size(out));
		json_array_foreach(out, j, w) {
			const char *msg = json_string_value(json_object_get(w, "message"));
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s:%s",
			    j ? ";" : "", json_string_value(json_object_get(w, "rule")),
			    json_string_value(json_object_get(w, "field")));
			/* every message is Vietnamese and names its rule */
			assert_non_null(msg);
			assert_non_null(strstr(msg, "(quy tắc: "));
		}
		if (strcmp(got, eval_cases[i].want) != 0)
			fail_msg("%s: got '%s', want '%s'", eval_cases[i].what, got,
			    eval_cases[i].want);
		json_decref(v);
		json_decref(out);
	}
}

static void
test_messages(void **state)
{
	struct plaus_rules r = { .non_negative = true, .max_100 = true, .percent = true };
	json_t *v = json_pack("{s:f}", "actual", -5.5), *out = json_array();
	const char *m;

	(void)state;
	assert_int_equal(plaus_eval(&r, v, NULL, NULL, out), 1);
	m = json_string_value(json_object_get(json_array_get(out, 0), "message"));
	/* the figure as Vietnamese write it, its label and the rule by name */
	assert_string_equal(m, "Thực hiện -5,5 là số âm (quy tắc: không nhận giá trị âm)");
	json_decref(v);
	json_decref(out);
}

/* ---- the period before ------------------------------------------------------------- */

static const struct { const char *in, *want; } prev_cases[] = {
	{ "2024", "2023" },
	{ "2024-H1", "2023-H2" },
	{ "2024-H2", "2024-H1" },
	{ "2024-Q1", "2023-Q4" },
	{ "2024-Q3", "2024-Q2" },
	{ "2024-01", "2023-12" },
	{ "2024-10", "2024-09" },
	{ "2024-9M", "2023-9M" },
	{ "2020-2025", "2015-2020" },
	{ "quý 1/2025", "2024-Q4" },
	{ "not a period", NULL },
	{ NULL, NULL },
};

static void
test_prev_period(void **state)
{
	size_t i;
	char out[VI_PERIOD_CODE_MAX];

	(void)state;
	for (i = 0; i < N_ELEM(prev_cases); i++) {
		int rc = plaus_prev_period(prev_cases[i].in, out, sizeof(out));
		if (prev_cases[i].want == NULL) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, prev_cases[i].want);
		/* it is itself a canonical period */
		{
			struct vi_period p;
			assert_int_equal(vi_parse_period(out, &p), 0);
			assert_string_equal(p.code, out);
		}
	}
	/* a buffer too small is no period written */
	assert_int_equal(plaus_prev_period("2020-2025", out, 5), -1);
}

/* ---- the write path ---------------------------------------------------------------- */

static struct store *db;
static const struct actor sys = { .name = "test" };
static const struct actor history = { .name = "test-history", .history = true };
static int64_t unit, indicator;

static int64_t
create(const char *entity, json_t *in, const struct actor *who)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(db, registry_find(entity), in, who, 0, &out, &e) != 0)
		fail_msg("%s: %s", entity, e.msg);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static int
setup(void **state)
{
	struct err e = { 0 };
	int64_t set, group;

	db = tu_store(1, NULL, 0);
	*state = db;
	assert_int_equal(store_unit_by_code(db, "084", NULL, &unit, &e), 0);
	set = create("target_set", json_pack("{s:s, s:I, s:i, s:i}", "name",
	    "Bộ chỉ tiêu kiểm thử quy tắc hợp lý", "unit_id", (json_int_t)unit,
	    "term_start", 2020, "term_end", 2025), &sys);
	group = create("target_group", json_pack("{s:I, s:i, s:s}", "target_set_id",
	    (json_int_t)set, "number", 1, "name", "Xây dựng Đảng"), &sys);
	indicator = create("indicator", json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:f}",
	    "target_group_id", (json_int_t)group, "name",
	    "Tỷ lệ thôn, tổ dân phố có chi bộ độc lập", "direction", "higher",
	    "value_kind", "percent", "plaus_non_negative", 1, "plaus_max_100", 1,
	    "plaus_change_factor", 2.0), &sys);
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

static json_t *
value_in(const char *period, double actual, const char *status, const char *comment)
{
	json_t *v = json_pack("{s:I, s:I, s:s, s:f, s:s}", "indicator_id",
	    (json_int_t)indicator, "unit_id", (json_int_t)unit, "period", period,
	    "actual", actual, "status", status);

	if (comment != NULL)
		json_object_set_new(v, "comment", json_string(comment));
	return v;
}

static int64_t
count_values(void)
{
	int64_t n = 0;

	assert_int_equal(store_count(db, registry_find("indicator_value"), &n, NULL), 0);
	return n;
}

/* A refusal of a submission: 422 on comment only, its message naming
 * the rule, nothing written. */
static void
assert_needs_comment(int rc, struct err *e, int64_t before, const char *rule_words)
{
	const char *m;

	assert_int_equal(rc, -1);
	assert_int_equal(e->code, ERR_INVALID);
	assert_int_equal(err_http_status(e->code), 422);
	assert_int_equal(json_object_size(e->fields), 1);
	m = json_string_value(json_object_get(e->fields, "comment"));
	assert_non_null(m);
	if (strstr(m, rule_words) == NULL)
		fail_msg("message '%s' does not name '%s'", m, rule_words);
	assert_non_null(strstr(e->msg, rule_words));
	assert_int_equal(count_values(), before);
	err_clear(e);
}

static void
test_write_paths(void **state)
{
	const struct entity_def *values = registry_find("indicator_value");
	struct err e = { 0 };
	json_t *in, *out = NULL, *w;
	int64_t n, id;
	int rc;

	(void)state;
	/* the previous period: 95 % */
	create("indicator_value", value_in("2015-2020", 95, "approved", "theo báo cáo"),
	    &history);

	/* workflow_create: created draft and moved on (the grid's path) */
	n = count_values();
	in = value_in("2020-2025", -5, "submitted", "   ");
	rc = workflow_create(db, values, in, &sys, 0, NULL, &e);
	json_decref(in);
	assert_needs_comment(rc, &e, n, "không nhận giá trị âm");

	/* a draft saves, with its warnings: sign and change (95 -> -5) */
	in = value_in("2020-2025", -5, "draft", NULL);
	assert_int_equal(records_create(db, values, in, &sys, 0, &out, &e), 0);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	w = plaus_check(db, out, &e);
	assert_non_null(w);
	assert_int_equal(json_array_size(w), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "rule")),
	    PLAUS_SIGN);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 1), "rule")),
	    PLAUS_CHANGE);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(w, 1),
	    "message")), "2015-2020"));
	json_decref(w);
	/* plaus_annotate puts them on the answer */
	assert_int_equal(plaus_annotate(db, values, out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, PLAUS_WARNINGS)), 2);
	json_decref(out);

	/* records_update: submitting it without a comment is refused, and the
	 * record stays a draft */
	in = json_pack("{s:s}", "status", "submitted");
	rc = records_update(db, values, id, in, 0, &sys, 0, NULL, &e);
	json_decref(in);
	assert_needs_comment(rc, &e, n + 1, "thay đổi so với kỳ trước");
	out = store_get(db, values, id, NULL);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "draft");
	json_decref(out);

	/* workflow_advance the same */
	rc = workflow_advance(db, values, id, "submitted", &sys, 0, NULL, &e);
	assert_needs_comment(rc, &e, n + 1, "không nhận giá trị âm");

	/* with a comment it is submitted */
	in = json_pack("{s:s, s:s}", "status", "submitted", "comment",
	    "Số liệu sơ bộ, đang rà soát lại");
	assert_int_equal(records_update(db, values, id, in, 0, &sys, 0, NULL, &e), 0);
	json_decref(in);

	/* approved as it is: the approver saw the warnings */
	in = json_pack("{s:s}", "status", "approved");
	assert_int_equal(records_update(db, values, id, in, 0, &sys, 0, NULL, &e), 0);
	json_decref(in);

	/* a plausible value needs no comment */
	in = value_in("2020", 50, "submitted", NULL);
	assert_int_equal(workflow_create(db, values, in, &sys, 0, NULL, &e), 0);
	json_decref(in);

	/* a history load is not asked */
	in = value_in("2019", -1, "approved", NULL);
	assert_int_equal(records_create(db, values, in, &history, 0, NULL, &e), 0);
	json_decref(in);
}

static void
test_submitted_value_changed(void **state)
{
	const struct entity_def *values = registry_find("indicator_value");
	struct err e = { 0 };
	json_t *in, *out = NULL;
	int64_t id, n;
	int rc;

	(void)state;
	in = value_in("2021", 80, "submitted", NULL);
	assert_int_equal(workflow_create(db, values, in, &sys, 0, &out, &e), 0);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	/* changing a submitted figure to an implausible one needs a comment */
	n = count_values();
	in = json_pack("{s:f}", "actual", 120.0);
	rc = records_update(db, values, id, in, 0, &sys, 0, NULL, &e);
	json_decref(in);
	assert_needs_comment(rc, &e, n, "tỷ lệ không vượt quá 100%");
	in = json_pack("{s:f, s:s}", "actual", 120.0, "comment", "Tính cả thôn mới sáp nhập");
	assert_int_equal(records_update(db, values, id, in, 0, &sys, 0, NULL, &e), 0);
	json_decref(in);
}

static void
test_indicator_range(void **state)
{
	const struct entity_def *inds = registry_find("indicator");
	struct err e = { 0 };
	json_t *in;

	(void)state;
	in = json_pack("{s:f, s:f}", "plaus_min", 10.0, "plaus_max", 5.0);
	assert_int_equal(records_update(db, inds, indicator, in, 0, &sys, 0, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(json_object_get(e.fields, "plaus_max"));
	err_clear(&e);
	json_decref(in);
	/* a factor below 1 is no factor */
	in = json_pack("{s:f}", "plaus_change_factor", 0.5);
	assert_int_equal(records_update(db, inds, indicator, in, 0, &sys, 0, NULL, &e), -1);
	assert_non_null(json_object_get(e.fields, "plaus_change_factor"));
	err_clear(&e);
	json_decref(in);
}

/* _bulk and import: rows are written with their warnings listed; drafts
 * only (the initial state), so never refused for want of a comment. */
static void
test_bulk_warnings(void **state)
{
	const struct entity_def *values = registry_find("indicator_value");
	struct import_result res;
	struct err e = { 0 };
	struct bulk *b;
	json_t *row, *w;
	char csv[512];

	(void)state;
	memset(&res, 0, sizeof(res));
	res.errors = json_array();
	b = bulk_open(db, values, NULL, 0, &sys, &res, &e);
	assert_non_null(b);
	/* (a row's previous period is not in the same load: rows reach the
	 * database in batches on PostgreSQL, plaus.h) */
	row = value_in("2023", -3, "draft", NULL);
	assert_int_equal(bulk_row_json(b, 1, row, &e), 0);
	json_decref(row);
	row = value_in("2022", 100, "draft", NULL);
	assert_int_equal(bulk_row_json(b, 2, row, &e), 0);
	json_decref(row);
	assert_int_equal(bulk_finish(b, false, &e), 0);
	assert_int_equal(res.imported, 2);
	/* line 1 only: negative (2022 was empty when it was read); line 2's
	 * 100 is near 2021's 120 */
	assert_int_equal(json_array_size(res.warnings), 1);
	w = json_array_get(res.warnings, 0);
	assert_int_equal(json_integer_value(json_object_get(w, "line")), 1);
	assert_string_equal(json_string_value(json_object_get(w, "rule")), PLAUS_SIGN);
	assert_string_equal(json_string_value(json_object_get(w, "field")), "actual");
	json_decref(res.errors);
	json_decref(res.warnings);

	/* the cells of a CSV (import, _bulk text/csv): dates dd/mm/yyyy too */
	snprintf(csv, sizeof(csv), "indicator_id,unit_id,period,actual,as_of,status\n"
	    "%lld,%lld,2024,250,31/12/2024,draft\n", (long long)indicator, (long long)unit);
	assert_int_equal(csv_import_buffer(db, values, csv, strlen(csv), false, &sys, &res,
	    &e), 0);
	assert_int_equal(res.imported, 1);
	/* 250 % is over 100 % and more than twice 2023's -3 (another sign) */
	assert_int_equal(json_array_size(res.warnings), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(res.warnings, 0),
	    "line")), 2);
	json_decref(res.errors);
	json_decref(res.warnings);
}

int
main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_prev_period),
	};
	const struct CMUnitTest writes[] = {
		cmocka_unit_test(test_write_paths),
		cmocka_unit_test(test_submitted_value_changed),
		cmocka_unit_test(test_indicator_range),
		cmocka_unit_test(test_bulk_warnings),
	};
	int rc = cmocka_run_group_tests_name("plaus", pure, NULL, NULL);

	return rc + cmocka_run_group_tests_name("plaus_writes", writes, setup, teardown);
}
