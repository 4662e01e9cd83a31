/* test_expr.c - computed-indicator formulas: what the checker accepts,
 * every error with its position, and evaluation over the tu_db data (Hà
 * Giang twinnings, Trùng Khánh propaganda, overdue tasks), scope through
 * the 2025 lineage, periods, and division by zero. */
#include "testutil.h"

#include <math.h>

#include "domain/expr.h"
#include "domain/records.h"

static const struct actor tester = { .name = "test" };


static int64_t
unit(const char *code, const char *date)
{
	struct err e = { 0 };
	int64_t id = 0;

	if (store_unit_by_code(tu_db, code, date, &id, &e) != 0)
		fail_msg("unit %s: %s", code, e.msg);
	return id;
}

static void
test_valid_formulas(void **state)
{
	static const char *const ok[] = {
		"1",
		"34",
		"0.5 * (2 + 3) - -1",
		"count(agreement)",
		"count(agreement, kind=twinning, status=signed|active)",
		"count(agreement, kind=twinning, status=signed|active) / 34",
		"count(agreement, kind=twinning, status=signed|active) / "
		    "sum(program.planned_count, name~kết nghĩa)",
		"sum(activity_quantity.value, measure=participant_visits, "
		    "activity.kind=propaganda)",
		"sum(activity_quantity.value, activity_id.kind=propaganda)",
		"overdue(task)",
		"overdue(task, assignee_unit_id=5)",
		"count(task, deadline<2024-06-30, completed_on=null)",
		"count(agreement, signed_on>=2016-01-01, signed_on<=2016-12-31)",
		"count(incident, cases>2, confidential=false)",
		"count(agreement, title~\"kết nghĩa, (minh họa)\")",
		"count(agreement, id!=1|2|3, illustrative=true)",
		"count(activity, program.name~biên giới)",
		"  count ( agreement , kind = twinning )  ",
	};
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (expr_check(ok[i], &e) != 0)
			fail_msg("'%s': %s", ok[i], e.msg);
}

static void
test_errors_with_positions(void **state)
{
	static const struct {
		const char *text;
		size_t n;          /* errors expected                 */
		size_t pos;        /* of the first, in characters      */
		const char *msg;   /* part of the first message        */
		size_t pos2;       /* of the second (0: not checked)    */
		const char *msg2;
	} cases[] = {
		{ "count(agrement, kind=twinning)", 1, 7,
		    "không có loại bản ghi 'agrement'", 0, NULL },
		{ "count(agreement, kynd=twinning, status=signd)", 2, 18,
		    "'agreement' không có trường 'kynd'", 33,
		    "'signd' không phải giá trị của trường 'status'" },
		{ "count(agreement, kind=twinning", 1, 31, "thiếu ')'", 0, NULL },
		{ "1 + ", 1, 5, "kết thúc quá sớm", 0, NULL },
		{ "2 * (3 + 4", 1, 11, "thiếu ')'", 0, NULL },
		{ "", 1, 1, "công thức trống", 0, NULL },
		{ "foo(agreement)", 1, 1, "không có hàm 'foo'", 0, NULL },
		{ "sum(agreement.title)", 1, 15, "sum() cần trường số", 0, NULL },
		{ "sum(agreement)", 1, 14, "thiếu '.'", 0, NULL },
		{ "count(app_user)", 1, 7, "bản ghi quản trị", 0, NULL },
		{ "count(task, deadline<hôm nay)", 1, 13, "không phải ngày", 0,
		    NULL },
		{ "count(agreement, status>signed)", 1, 18,
		    "phép '>' chỉ dùng cho số và ngày", 0, NULL },
		{ "count(activity_quantity, activity.kinds=propaganda)", 1, 35,
		    "'activity' không có trường 'kinds'", 0, NULL },
		{ "count(agreement, person.name=x)", 1, 18,
		    "'agreement' không tham chiếu tới 'person'", 0, NULL },
		{ "count(agreement, kind=twinning) 5", 1, 33, "thừa ký tự", 0,
		    NULL },
		{ "count(agreement, title~\"abc)", 1, 24, "thiếu dấu \"", 0, NULL },
		{ "count(agreement, kind=)", 1, 23, "thiếu giá trị", 0, NULL },
		{ "count(agreement, kind twinning)", 1, 23, "thiếu phép so sánh", 0,
		    NULL },
		{ "count(agreement, status=null|signed)", 1, 18,
		    "null không dùng chung", 0, NULL },
		{ "count(agreement, signed_on<2016-01-01|2017-01-01)", 1, 18,
		    "chỉ nhận một giá trị", 0, NULL },
		{ "overdue(agreement)", 1, 9, "chỉ dùng cho 'task'", 0, NULL },
		{ "1 / 2.", 1, 5, "không hợp lệ", 0, NULL },
		{ "3 $ 4", 1, 3, "thừa ký tự", 0, NULL },
		{ "2 * € 4", 1, 5, "không hiểu ký tự '€'", 0, NULL },
		/* positions count characters, not bytes: "ế" and "ĩ" before */
		{ "count(agreement, title~kết nghĩa, stạtus=signed)", 2, 35,
		    "'agreement' không có trường 'st'", 37, "thiếu phép so sánh" },
		/* a bad filter does not hide the next one */
		{ "count(agreement, kind twinning, statuss=signed)", 2, 23,
		    "thiếu phép so sánh", 33, "không có trường 'statuss'" },
	};
	struct expr_diag d[EXPR_DIAGS_MAX];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(d, 0, sizeof(d));
		n = expr_diagnose(cases[i].text, d, EXPR_DIAGS_MAX);
		if (n != cases[i].n || d[0].pos != cases[i].pos ||
		    strstr(d[0].msg, cases[i].msg) == NULL)
			fail_msg("'%s': %zu errors, first at %zu: %s", cases[i].text, n,
			    d[0].pos, d[0].msg);
		if (cases[i].msg2 != NULL && (d[1].pos != cases[i].pos2 ||
		    strstr(d[1].msg, cases[i].msg2) == NULL))
			fail_msg("'%s': second at %zu: %s", cases[i].text, d[1].pos,
			    d[1].msg);
	}
}

static void
test_check_message(void **state)
{
	struct err e = { 0 };
	char big[EXPR_TEXT_MAX + 10];

	(void)state;
	assert_int_equal(expr_check("count(agreement, kynd=twinning, "
	    "status=signd)", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.msg, "công thức có 2 lỗi: vị trí 18: 'agreement' "
	    "không có trường 'kynd'; vị trí 33: 'signd' không phải giá trị của "
	    "trường 'status'");
	assert_string_equal(json_string_value(json_object_get(e.fields,
	    "expression")), e.msg);
	err_clear(&e);

	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(expr_check(big, &e), -1);
	assert_non_null(strstr(e.msg, "dài quá"));
	err_clear(&e);
	assert_int_equal(expr_check("count(agreement, title=\xff)", &e), -1);
	assert_non_null(strstr(e.msg, "UTF-8"));
	err_clear(&e);
	{
		/* filters and calls are bounded */
		char many[EXPR_TEXT_MAX];
		size_t i, n = 0;
		n += (size_t)snprintf(many, sizeof(many), "count(agreement");
		for (i = 0; i <= EXPR_FILTERS_MAX; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n, ", id>0");
		snprintf(many + n, sizeof(many) - n, ")");
		assert_int_equal(expr_check(many, &e), -1);
		assert_non_null(strstr(e.msg, "quá nhiều điều kiện lọc"));
		err_clear(&e);
		n = 0;
		for (i = 0; i <= EXPR_CALLS_MAX; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n, "%scount(task)",
			    i > 0 ? "+" : "");
		assert_int_equal(expr_check(many, &e), -1);
		assert_non_null(strstr(e.msg, "quá nhiều hàm"));
		err_clear(&e);
	}
	{
		/* nesting is bounded */
		char deep[EXPR_DEPTH_MAX * 2 + 8];
		size_t i;
		for (i = 0; i < EXPR_DEPTH_MAX + 2; i++)
			deep[i] = '(';
		deep[i++] = '1';
		deep[i] = '\0';
		assert_int_equal(expr_check(deep, &e), -1);
		assert_non_null(strstr(e.msg, "lồng quá sâu"));
		err_clear(&e);
	}
}

static void
test_eval_demo(void **state)
{
	const char *const twin = "count(agreement, kind=twinning, status=signed)";
	const char *const prop = "sum(activity_quantity.value, "
	    "measure=participant_visits, activity.kind=propaganda)";
	int64_t hagiang = unit("02", "2024-01-01");
	int64_t tuyenquang25 = unit("08", REORG_DATE);
	int64_t laocai = unit("10", "2024-01-01");
	int64_t trungkhanh = unit("047", "2024-01-01");
	int64_t caobang = unit("04", "2024-01-01");
	const struct {
		const char *text;
		int64_t scope;
		const char *period;
		double value;
	} cases[] = {
		{ twin, hagiang, NULL, 33 },
		{ "count(agreement, kind=twinning, status=signed|active)", hagiang,
		    NULL, 33 },
		{ "count(agreement, kind=twinning, status=planned)", hagiang, NULL, 1 },
		{ "count(agreement, kind=twinning, status!=planned)", hagiang, NULL,
		    33 },
		{ "count(agreement, kind=twinning)", hagiang, NULL, 34 },
		{ twin, tuyenquang25, NULL, 33 },   /* Hà Giang went into it */
		{ twin, laocai, NULL, 0 },
		{ twin, 0, NULL, 33 },              /* everywhere */
		{ twin, hagiang, "2016", 33 },      /* signed by the end of 2016 */
		{ twin, hagiang, "2015", 0 },
		{ twin, hagiang, "2016-H1", 14 },
		{ "count(agreement, kind=twinning, signed_on<2016-07-01)", hagiang,
		    NULL, 14 },
		{ "count(agreement, kind=twinning, status=signed) / "
		    "sum(program.planned_count, name~kết nghĩa)", hagiang, NULL,
		    33.0 / 34 },
		{ "count(agreement, kind=twinning, title~BẢN MÁY)", hagiang, NULL, 1 },
		{ prop, trungkhanh, "2021-2023", 23000 },
		{ prop, caobang, "2021-2023", 23000 },
		{ prop, trungkhanh, "2020", 0 },
		{ prop, laocai, "2021-2023", 0 },
		{ "sum(activity_quantity.value, measure=participant_visits)",
		    trungkhanh, "2021-2023", 23000 + 4932 },
		{ "sum(activity_quantity.value, measure=length_km)", trungkhanh,
		    NULL, 184.5 },
		{ "count(activity, kind=patrol|propaganda)", trungkhanh, NULL, 2 },
		{ "(1 + 2) * 3 - -4 / 2", 0, NULL, 11 },
		{ "100 * count(agreement, kind=twinning, status=signed) / 34",
		    hagiang, NULL, 3300.0 / 34 },
	};
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		if (expr_eval(tu_db, cases[i].text, cases[i].scope, cases[i].period,
		    &v, &e) != 0)
			fail_msg("'%s': %s", cases[i].text, e.msg);
		if (fabs(v - cases[i].value) > 1e-9)
			fail_msg("case %zu '%s': %g, want %g", i, cases[i].text, v,
			    cases[i].value);
	}
}

static void
test_overdue(void **state)
{
	/* Demo deadlines: four of Si Ma Cai's on 2024-06-30, one of Hà
	 * Giang's on 2018-03-31; none completed. */
	static const struct {
		const char *period;
		double value;
	} cases[] = {
		{ "2018", 1 },
		{ "2017", 0 },
		{ "2024-H1", 1 },   /* due on the last day: not yet overdue */
		{ "2024", 5 },
		{ NULL, 5 },        /* today */
	};
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		assert_int_equal(expr_eval(tu_db, "overdue(task)", 0, cases[i].period,
		    &v, &e), 0);
		if (v != cases[i].value)
			fail_msg("period %s: %g", cases[i].period, v);
	}
}

static void
test_eval_errors(void **state)
{
	static const struct {
		const char *text;
		const char *period;
		enum err_code code;
		const char *msg;
	} cases[] = {
		{ "count(agreement, kind=twinning) / (2 - 2)", NULL, ERR_INVALID,
		    "vị trí 33: chia cho 0" },
		{ "1 / count(agreement, kind=no_such_kind)", NULL, ERR_INVALID,
		    "vị trí 3: chia cho 0" },
		{ "count(agreement, kind=twinning) / 0", NULL, ERR_INVALID,
		    "chia cho 0" },
		{ "count(agreement", NULL, ERR_INVALID, "công thức có 1 lỗi" },
		{ "count(agreement)", "không phải kỳ", ERR_BAD_REQUEST,
		    "kỳ 'không phải kỳ' không hợp lệ" },
	};
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		assert_int_equal(expr_eval(tu_db, cases[i].text, 0, cases[i].period,
		    &v, &e), -1);
		assert_int_equal(e.code, cases[i].code);
		if (strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("'%s': %s", cases[i].text, e.msg);
		assert_float_equal(v, -1, 0); /* untouched */
		err_clear(&e);
	}
}

static int64_t
create(const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(tu_db, registry_find(entity), in, &tester, 0, &out,
	    &e) != 0)
		fail_msg("create %s: %s %s", entity, e.msg,
		    e.fields ? json_dumps(e.fields, 0) : "");
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static double
eval(const char *text, int64_t scope, const char *period)
{
	struct err e = { 0 };
	double v = -1;

	if (expr_eval(tu_db, text, scope, period, &v, &e) != 0)
		fail_msg("'%s': %s", text, e.msg);
	return v;
}

/* Runs last: adds records to the shared tu_db store. */
static void
test_confidential_and_task_scope(void **state)
{
	int64_t trungkhanh = unit("047", "2024-01-01");
	int64_t town = unit("01477", "2024-01-01"); /* Thị trấn Trùng Khánh */
	int64_t simacai = unit("084", "2024-01-01");
	int64_t open_id, secret, org;

	(void)state;
	open_id = create("incident", json_pack("{s:s,s:s,s:s,s:I,s:s,s:b}",
	    "kind", "illegal_labour", "title", "Lao động trái phép (thử)",
	    "occurred_on", "2023-05-02", "unit_id", (json_int_t)town, "status",
	    "reported", "confidential", 0));
	secret = create("incident", json_pack("{s:s,s:s,s:s,s:I,s:s,s:b}",
	    "kind", "illegal_labour", "title", "Vụ mật (thử)", "occurred_on",
	    "2023-05-03", "unit_id", (json_int_t)town, "status", "reported",
	    "confidential", 1));
	create("incident_share", json_pack("{s:I,s:s}", "incident_id",
	    (json_int_t)open_id, "shared_on", "2023-05-04"));
	create("incident_share", json_pack("{s:I,s:s}", "incident_id",
	    (json_int_t)secret, "shared_on", "2023-05-04"));
	assert_float_equal(eval("count(incident, kind=illegal_labour)",
	    trungkhanh, "2023"), 1, 0);
	assert_float_equal(eval("count(incident_share, incident.kind="
	    "illegal_labour)", 0, NULL), 1, 0);
	assert_float_equal(eval("count(incident_share, shared_on=2023-05-04)",
	    trungkhanh, NULL), 1, 0);
	assert_float_equal(eval("count(incident, kind=illegal_labour)",
	    trungkhanh, "2022"), 0, 0);

	/* a task without a unit is its assignee organisation's */
	org = create("organisation", json_pack("{s:s,s:s,s:I}", "name",
	    "UBND thị trấn Trùng Khánh (thử)", "kind", "peoples_committee",
	    "unit_id", (json_int_t)town));
	create("task", json_pack("{s:s,s:I,s:s,s:s}", "title", "Nhiệm vụ thử",
	    "assignee_org_id", (json_int_t)org, "assigned_on", "2023-01-10",
	    "deadline", "2023-02-10"));
	assert_float_equal(eval("overdue(task)", trungkhanh, "2023"), 1, 0);
	assert_float_equal(eval("overdue(task)", simacai, "2023"), 0, 0);
	assert_float_equal(eval("count(task, title~nhiệm vụ thử)", trungkhanh,
	    "2023"), 1, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_formulas),
		cmocka_unit_test(test_errors_with_positions),
		cmocka_unit_test(test_check_message),
		cmocka_unit_test(test_eval_demo),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_eval_errors),
		cmocka_unit_test(test_confidential_and_task_scope),
	};
	return cmocka_run_group_tests_name("expr", tests, tu_setup_demo_db, tu_teardown_db);
}
