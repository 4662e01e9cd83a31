/* test_achieve.c - achievement ratios by direction, bands at their
 * boundaries, missing and zero targets, group rules, aggregation over
 * units, period order, the Si Ma Cai demo target set (13/22 and 9/22) and
 * the roll-up across the 2025 lineage. */
#include "testutil.h"

#include <math.h>

#include "domain/achieve.h"
#include "domain/records.h"

#define NA ACH_MISSING
#define SENTINEL (-12345.0)

/* loads its fixtures as `giapranh import` does: a system actor that may
 * create records in any workflow state (workflow.h, "History loads") */
static const struct actor tester = { .name = "test", .history = true };
static struct store *demo; /* units + demo data, shared (read-only tests) */

static int
setup(void **state)
{
	(void)state;
	demo = tu_store_demo();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(demo);
	return 0;
}

/* ---- pure ------------------------------------------------------------- */

static void
test_direction_math(void **state)
{
	static const struct {
		enum ach_direction d;
		double target, actual;
		enum ach_status status;
		double ratio; /* with ACH_OK */
		bool met;
	} cases[] = {
		{ DIR_HIGHER, 10, 10.5, ACH_OK, 105, true },
		{ DIR_HIGHER, 50, 48, ACH_OK, 96, false },
		{ DIR_HIGHER, 50, 59, ACH_OK, 118, true },
		{ DIR_HIGHER, 10, -1.5, ACH_OK, -15, false },
		{ DIR_HIGHER, 0, 5, ACH_ZERO_TARGET, 0, true },
		{ DIR_HIGHER, 0, -1, ACH_ZERO_TARGET, 0, false },
		{ DIR_HIGHER, NA, 5, ACH_NO_TARGET, 0, false },
		{ DIR_HIGHER, 5, NA, ACH_NO_ACTUAL, 0, false },
		{ DIR_HIGHER, NA, NA, ACH_NO_TARGET, 0, false },
		{ DIR_HIGHER, INFINITY, 5, ACH_NO_TARGET, 0, false },
		{ DIR_HIGHER, -2, 5, ACH_NOT_COMPARABLE, 0, true },
		{ DIR_LOWER, 22, 21, ACH_OK, 2200.0 / 21, true },
		{ DIR_LOWER, 5, 6.5, ACH_OK, 500.0 / 6.5, false },
		{ DIR_LOWER, 5, 5, ACH_OK, 100, true },
		{ DIR_LOWER, 5, 0, ACH_ZERO_TARGET, 0, true },
		{ DIR_LOWER, 0, 0, ACH_OK, 100, true },
		{ DIR_LOWER, 0, 2, ACH_OK, 0, false },
		{ DIR_LOWER, 5, -1, ACH_NOT_COMPARABLE, 0, true },
		{ DIR_LOWER, NA, 0, ACH_NO_TARGET, 0, false },
		{ DIR_EXACT, 100, 100, ACH_OK, 100, true },
		{ DIR_EXACT, 100, 100 + 1e-12, ACH_OK, 100, true },
		{ DIR_EXACT, 100, 90, ACH_OK, 90, false },
		{ DIR_EXACT, 100, 110, ACH_OK, 90, false },
		{ DIR_EXACT, 100, 300, ACH_OK, 0, false },
		{ DIR_EXACT, 0, 0, ACH_OK, 100, true },
		{ DIR_EXACT, 0, 1, ACH_ZERO_TARGET, 0, false },
		{ DIR_YESNO, 1, 1, ACH_OK, 100, true },
		{ DIR_YESNO, 1, 0, ACH_OK, 0, false },
		{ DIR_YESNO, 1, 0.7, ACH_OK, 100, true },
		{ DIR_YESNO, 0, 0, ACH_OK, 100, true },
		{ DIR_YESNO, 0, 1, ACH_OK, 0, false },
		{ DIR_YESNO, NA, 1, ACH_NO_TARGET, 0, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double r = SENTINEL;
		enum ach_status st = achieve_ratio(cases[i].d, cases[i].target,
		    cases[i].actual, &r);
		if (st != cases[i].status)
			fail_msg("case %zu: status %s, want %s", i,
			    achieve_status_code(st), achieve_status_code(cases[i].status));
		if (st == ACH_OK)
			assert_float_equal(r, cases[i].ratio, 1e-9);
		else /* never a ratio for a missing or zero target */
			assert_float_equal(r, SENTINEL, 0);
		if (st == ACH_OK || st == ACH_ZERO_TARGET)
			assert_int_equal(achieve_met(cases[i].d, cases[i].target,
			    cases[i].actual), cases[i].met);
	}
}

static void
test_fractions(void **state)
{
	static const struct {
		double tn, td, an, ad;
		enum ach_status status;
		double ratio;
	} cases[] = {
		{ 5, 9, 4, 9, ACH_OK, 80 },             /* 4/9 communes of 5/9 */
		{ 35, 41, 30, 41, ACH_OK, 3000.0 / 35 },/* 30/41 schools of 35 */
		{ 1, 2, 3, 4, ACH_OK, 150 },
		{ 5, 0, 4, 9, ACH_NO_TARGET, 0 },
		{ 5, 9, 4, 0, ACH_NO_ACTUAL, 0 },
		{ NA, 9, 4, 9, ACH_NO_TARGET, 0 },
		{ 0, 9, 4, 9, ACH_ZERO_TARGET, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double r = SENTINEL;
		assert_int_equal(achieve_ratio_fraction(DIR_HIGHER, cases[i].tn,
		    cases[i].td, cases[i].an, cases[i].ad, &r), cases[i].status);
		assert_float_equal(r, cases[i].status == ACH_OK ? cases[i].ratio :
		    SENTINEL, 1e-9);
	}
}

static void
test_band_boundaries(void **state)
{
	static const struct {
		double ratio, high, mid;
		enum ach_band band;
	} cases[] = {
		{ 100, 100, 70, BAND_HIGH },
		{ 99.999, 100, 70, BAND_MID },
		{ 100.0000000000001, 100, 70, BAND_HIGH },
		{ 99.99999999999999, 100, 70, BAND_HIGH }, /* rounding of 100 */
		{ 70, 100, 70, BAND_MID },
		{ 35.0 / 50 * 100, 100, 70, BAND_MID },   /* 70 as computed */
		{ 69.99, 100, 70, BAND_LOW },
		{ 0, 100, 70, BAND_LOW },
		{ -15, 100, 70, BAND_LOW },
		{ 250, 100, 70, BAND_HIGH },
		{ NA, 100, 70, BAND_NONE },
		{ 90, 90, 50, BAND_HIGH },
		{ 89.9, 90, 50, BAND_MID },
		{ 50, 90, 50, BAND_MID },
		{ 49.9, 90, 50, BAND_LOW },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (achieve_band(cases[i].ratio, cases[i].high, cases[i].mid) !=
		    cases[i].band)
			fail_msg("case %zu: ratio %.15g", i, cases[i].ratio);
}

static void
test_thresholds_and_labels(void **state)
{
	static const struct {
		enum ach_band band;
		double high, mid;
		const char *label;
	} cases[] = {
		{ BAND_HIGH, NA, NA, "Đạt từ 100% trở lên" },
		{ BAND_MID, NA, NA, "Đạt từ 70% trở lên" },
		{ BAND_LOW, NA, NA, "Dưới 70%" },
		{ BAND_NONE, NA, NA, "Chưa có số liệu" },
		{ BAND_HIGH, 92.5, 60, "Đạt từ 92,5% trở lên" },
		{ BAND_LOW, 92.5, 60, "Dưới 60%" },
		{ BAND_MID, 60, 80, "Đạt từ 60% trở lên" }, /* mid lowered to high */
		{ BAND_HIGH, -1, 70, "Đạt từ 100% trở lên" },
	};
	char buf[ACH_LABEL_MAX];
	struct ach_thresholds th = achieve_thresholds(NA, NA);
	size_t i;

	(void)state;
	assert_float_equal(th.high, 100, 0);
	assert_float_equal(th.mid, 70, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th = achieve_thresholds(cases[i].high, cases[i].mid);
		assert_string_equal(achieve_band_label(cases[i].band, &th, buf,
		    sizeof(buf)), cases[i].label);
	}
	assert_string_equal(achieve_band_label(BAND_MID, NULL, buf, sizeof(buf)),
	    "Đạt từ 70% trở lên");
	/* status labels and the band of a zero divisor */
	assert_string_equal(achieve_status_label(ACH_ZERO_TARGET, DIR_LOWER, NA,
	    true, buf, sizeof(buf)), "Vượt kế hoạch (thực hiện bằng 0)");
	assert_string_equal(achieve_status_label(ACH_OK, DIR_HIGHER, 99.4,
	    false, buf, sizeof(buf)), "Đạt 99,4% kế hoạch");
	assert_string_equal(achieve_status_label(ACH_NO_TARGET, DIR_HIGHER, NA,
	    false, buf, sizeof(buf)), "Chưa có kế hoạch");
	assert_int_equal(achieve_status_band(ACH_ZERO_TARGET, NA, true, NULL),
	    BAND_HIGH);
	assert_int_equal(achieve_status_band(ACH_ZERO_TARGET, NA, false, NULL),
	    BAND_LOW);
	assert_int_equal(achieve_status_band(ACH_NO_ACTUAL, NA, false, NULL),
	    BAND_NONE);
}

#define IT(st, r, b, w) { st, r, b, w }
#define OKI(r, b)       IT(ACH_OK, r, b, NA)

static void
test_group_rules(void **state)
{
	static const struct {
		enum ach_rule rule;
		struct ach_item items[4];
		size_t n;
		bool has_ratio;
		double ratio;
		enum ach_band band;
		size_t missing;
	} cases[] = {
		/* 120 % and 80 % */
		{ RULE_ALL, { OKI(120, BAND_HIGH), OKI(80, BAND_MID) }, 2, true, 80,
		    BAND_MID, 0 },
		{ RULE_MIN, { OKI(120, BAND_HIGH), OKI(80, BAND_MID) }, 2, true, 80,
		    BAND_MID, 0 },
		{ RULE_MEAN, { OKI(120, BAND_HIGH), OKI(80, BAND_MID) }, 2, true, 100,
		    BAND_HIGH, 0 },
		{ RULE_WEIGHTED, { IT(ACH_OK, 120, BAND_HIGH, 1),
		    IT(ACH_OK, 80, BAND_MID, 3) }, 2, true, 90, BAND_MID, 0 },
		/* missing weights count 1 */
		{ RULE_WEIGHTED, { OKI(120, BAND_HIGH), OKI(80, BAND_MID) }, 2, true,
		    100, BAND_HIGH, 0 },
		/* all weights 0: equal weights */
		{ RULE_WEIGHTED, { IT(ACH_OK, 120, BAND_HIGH, 0),
		    IT(ACH_OK, 60, BAND_LOW, 0) }, 2, true, 90, BAND_MID, 0 },
		/* every indicator at 100 % */
		{ RULE_ALL, { OKI(100, BAND_HIGH), OKI(104, BAND_HIGH) }, 2, true,
		    100, BAND_HIGH, 0 },
		/* one without data: not judged, ratio of the others given */
		{ RULE_ALL, { OKI(120, BAND_HIGH), IT(ACH_NO_ACTUAL, NA, BAND_NONE,
		    NA) }, 2, true, 120, BAND_NONE, 1 },
		{ RULE_MEAN, { IT(ACH_NO_TARGET, NA, BAND_NONE, NA) }, 1, false, 0,
		    BAND_NONE, 1 },
		{ RULE_ALL, { { 0 } }, 0, false, 0, BAND_NONE, 0 },
		/* zero targets: by band in all/min, left out of means */
		{ RULE_ALL, { IT(ACH_ZERO_TARGET, NA, BAND_HIGH, NA) }, 1, false, 0,
		    BAND_HIGH, 0 },
		{ RULE_ALL, { OKI(120, BAND_HIGH), IT(ACH_ZERO_TARGET, NA, BAND_LOW,
		    NA) }, 2, true, 120, BAND_LOW, 0 },
		{ RULE_MIN, { OKI(120, BAND_HIGH), IT(ACH_ZERO_TARGET, NA, BAND_LOW,
		    NA) }, 2, true, 120, BAND_LOW, 0 },
		{ RULE_MEAN, { OKI(120, BAND_HIGH), IT(ACH_ZERO_TARGET, NA, BAND_LOW,
		    NA) }, 2, true, 120, BAND_HIGH, 0 },
		{ RULE_MEAN, { IT(ACH_ZERO_TARGET, NA, BAND_HIGH, NA) }, 1, false, 0,
		    BAND_HIGH, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ach_group_result r;
		achieve_group(cases[i].rule, cases[i].items, cases[i].n, NULL, &r);
		if (r.band != cases[i].band || r.has_ratio != cases[i].has_ratio ||
		    r.missing != cases[i].missing)
			fail_msg("case %zu: band %s ratio? %d missing %zu", i,
			    achieve_band_code(r.band), r.has_ratio, r.missing);
		if (r.has_ratio)
			assert_float_equal(r.ratio, cases[i].ratio, 1e-9);
	}
}

static void
test_aggregation(void **state)
{
	static const struct ach_point pts[] = {
		{ 10, 4, 9, "2023-12-31", 1 },
		{ 20, 5, 9, "2024-12-31", 2 },
		{ NA, NA, NA, "2025-12-31", 3 }, /* no data: skipped */
		{ 30, 1, 2, "2022-12-31", 4 },
		{ 5, NA, 9, "2024-12-31", 5 },   /* same period, later record */
	};
	static const struct {
		enum ach_agg kind;
		size_t n;
		enum ach_status status;
		double value;
		size_t used;
	} cases[] = {
		{ AGG_SUM, 5, ACH_OK, 65, 4 },
		{ AGG_MEAN, 5, ACH_OK, 16.25, 4 },
		{ AGG_MIN, 5, ACH_OK, 5, 4 },
		{ AGG_MAX, 5, ACH_OK, 30, 4 },
		{ AGG_LATEST, 5, ACH_OK, 5, 4 },
		{ AGG_LATEST, 2, ACH_OK, 20, 2 },
		{ AGG_RATIO_OF_SUMS, 2, ACH_OK, 9.0 / 18, 2 },
		{ AGG_RATIO_OF_SUMS, 5, ACH_OK, 10.0 / 20, 3 },
		{ AGG_SUM, 0, ACH_NO_ACTUAL, 0, 0 },
	};
	static const struct ach_point zero_den[] = {
		{ 1, 3, 0, "", 1 }, { 1, 2, 0, "", 2 },
	};
	size_t i, used;
	double v;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = SENTINEL;
		assert_int_equal(achieve_aggregate(cases[i].kind, pts, cases[i].n, &v,
		    &used), cases[i].status);
		assert_int_equal(used, cases[i].used);
		assert_float_equal(v, cases[i].status == ACH_OK ? cases[i].value :
		    SENTINEL, 1e-9);
	}
	v = SENTINEL;
	assert_int_equal(achieve_aggregate(AGG_RATIO_OF_SUMS, zero_den, 2, &v,
	    NULL), ACH_ZERO_TARGET);
	assert_float_equal(v, SENTINEL, 0);
	{
		enum ach_agg a;
		assert_int_equal(achieve_agg_parse("ratio_of_sums", &a), 0);
		assert_int_equal(a, AGG_RATIO_OF_SUMS);
		assert_int_equal(achieve_agg_parse("median", &a), -1);
	}
}

static void
test_period_order(void **state)
{
	static const struct {
		const char *period, *as_of, *key;
	} keys[] = {
		{ "2023", NULL, "2023-12-31" },
		{ "năm 2023", NULL, "2023-12-31" },
		{ "2020-2025", NULL, "2025-12-31" },
		{ "2020-2025", "2024-03-31", "2024-03-31" },
		{ "2024-H1", NULL, "2024-06-30" },
		{ "2023", "2030-01-01", "2023-12-31" }, /* as_of after the end */
		{ "sớm thôi", NULL, "" },
	};
	static const struct {
		const char *pa, *aa;
		int64_t sa;
		const char *pb, *ab;
		int64_t sb;
		int sign;
	} cmps[] = {
		{ "2020-2025", NULL, 1, "2023", NULL, 2, 1 },
		{ "2020-2025", "2024-03-31", 1, "2024", NULL, 2, -1 },
		{ "2025", NULL, 1, "2020-2025", NULL, 2, 1 }, /* narrower wins */
		{ "2023", NULL, 1, "2023", NULL, 2, -1 },     /* then the record */
		{ "2023", NULL, 1, NULL, NULL, 2, 1 },
	};
	char key[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		achieve_period_key(keys[i].period, keys[i].as_of, key);
		assert_string_equal(key, keys[i].key);
	}
	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		int c = achieve_period_cmp(cmps[i].pa, cmps[i].aa, cmps[i].sa,
		    cmps[i].pb, cmps[i].ab, cmps[i].sb);
		if ((c > 0) - (c < 0) != cmps[i].sign)
			fail_msg("compare %zu: %d", i, c);
	}
}

/* ---- with the demo data --------------------------------------------------- */

static int64_t
unit(struct store *s, const char *code, const char *date)
{
	struct err e = { 0 };
	int64_t id = 0;

	if (store_unit_by_code(s, code, date, &id, &e) != 0)
		fail_msg("unit %s: %s", code, e.msg);
	return id;
}

static int64_t
simacai_set(struct store *s)
{
	struct list_query q = { 0 };
	struct err e = { 0 };
	json_t *rows = NULL, *uid = json_integer(unit(s, "084", "2024-01-01"));
	int64_t id;

	q.filters[0] = (struct list_filter){ "unit_id", OP_EQ, uid };
	q.nfilters = 1;
	assert_int_equal(store_list(s, registry_find("target_set"), &q, &rows,
	    NULL, &e), 0);
	assert_int_equal(json_array_size(rows), 1);
	id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	json_decref(uid);
	return id;
}

static json_t *
group(json_t *set, int number)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(set, "groups"), i, g)
		if (json_integer_value(json_object_get(g, "number")) == number)
			return g;
	fail_msg("no group %d", number);
	return NULL;
}

static json_int_t
band_count(json_t *set, const char *band)
{
	return json_integer_value(json_object_get(json_object_get(set, "bands"),
	    band));
}

static void
test_simacai_target_set(void **state)
{
	struct err e = { 0 };
	int64_t id = simacai_set(demo);
	json_t *set = achieve_target_set(demo, id, NULL, &e), *g, *ind;
	char *dump;

	(void)state;
	if (set == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(band_count(set, "total"), 22);
	assert_int_equal(band_count(set, "high"), 13);
	assert_int_equal(band_count(set, "mid"), 9);
	assert_int_equal(band_count(set, "low"), 0);
	assert_int_equal(band_count(set, "none"), 0);
	assert_string_equal(json_string_value(json_object_get(set, "summary")),
	    "13/22 nhóm mục tiêu đạt từ 100% trở lên; "
	    "9/22 nhóm đạt từ 70% trở lên");
	assert_int_equal(json_array_size(json_object_get(set, "groups")), 22);

	/* growth 10.5 % against 10 %: the 2023 value is the latest */
	g = group(set, 1);
	assert_string_equal(json_string_value(json_object_get(g, "band")), "high");
	ind = json_array_get(json_object_get(g, "indicators"), 0);
	assert_string_equal(json_string_value(json_object_get(ind, "period")),
	    "2023");
	assert_float_equal(json_real_value(json_object_get(ind, "ratio")), 105,
	    1e-9);
	/* 4/9 communes new-rural against 5/9: the fractions */
	g = group(set, 3);
	assert_float_equal(json_real_value(json_object_get(g, "ratio")), 80, 1e-9);
	assert_string_equal(json_string_value(json_object_get(g, "band_label")),
	    "Đạt từ 70% trở lên");
	ind = json_array_get(json_object_get(g, "indicators"), 0);
	assert_float_equal(json_real_value(json_object_get(ind, "numerator")), 4, 0);
	assert_float_equal(json_real_value(json_object_get(ind, "denominator")), 9,
	    0);
	/* two indicators, rule all: both at 100 % */
	g = group(set, 8);
	assert_int_equal(json_array_size(json_object_get(g, "indicators")), 2);
	assert_string_equal(json_string_value(json_object_get(g, "band")), "high");
	/* lower is better: stunting 21 % against at most 22 % */
	g = group(set, 16);
	ind = json_array_get(json_object_get(g, "indicators"), 0);
	assert_string_equal(json_string_value(json_object_get(ind, "direction")),
	    "lower");
	assert_float_equal(json_real_value(json_object_get(ind, "ratio")),
	    2200.0 / 21, 1e-9);
	assert_true(json_is_true(json_object_get(ind, "illustrative")));
	/* trained labour 59 % against 50 % is a fact of the report */
	ind = json_array_get(json_object_get(group(set, 5), "indicators"), 0);
	assert_true(json_is_false(json_object_get(ind, "illustrative")));
	assert_string_equal(json_string_value(json_object_get(ind,
	    "status_label")), "Đạt 118% kế hoạch");

	dump = json_dumps(set, JSON_COMPACT);
	assert_null(strstr(dump, "nan"));
	free(dump);
	json_decref(set);
}

static void
test_target_set_periods(void **state)
{
	struct err e = { 0 };
	int64_t id = simacai_set(demo);
	json_t *set, *g;

	(void)state;
	/* term values only: growth has no 2020-2025 value, group 1 unjudged */
	set = achieve_target_set(demo, id, "nhiệm kỳ 2020 - 2025", &e);
	assert_non_null(set);
	assert_string_equal(json_string_value(json_object_get(set, "period")),
	    "2020-2025");
	assert_int_equal(band_count(set, "high"), 12);
	assert_int_equal(band_count(set, "none"), 1);
	g = group(set, 1);
	assert_string_equal(json_string_value(json_object_get(g, "band")), "none");
	assert_true(json_is_null(json_object_get(g, "ratio")));
	assert_true(json_is_false(json_object_get(g, "complete")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(g, "indicators"), 0), "status")), "no_target");
	assert_non_null(strstr(json_string_value(json_object_get(set, "summary")),
	    "1/22 nhóm chưa đủ số liệu"));
	json_decref(set);

	set = achieve_target_set(demo, id, "2023", &e);
	assert_non_null(set);
	assert_int_equal(band_count(set, "high"), 1);
	assert_int_equal(band_count(set, "none"), 21);
	json_decref(set);

	assert_null(achieve_target_set(demo, id, "mùa xuân", &e));
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	assert_null(achieve_target_set(demo, 999999, NULL, &e));
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
}

static json_t *
create(struct store *s, const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;

	if (records_create(s, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("create %s: %s %s", entity, e.msg,
		    e.fields ? json_dumps(e.fields, 0) : "");
	json_decref(in);
	return out;
}

static int64_t
create_id(struct store *s, const char *entity, json_t *in)
{
	json_t *r = create(s, entity, in);
	int64_t id = json_integer_value(json_object_get(r, "id"));

	json_decref(r);
	return id;
}

static void
value(struct store *s, int64_t ind, int64_t u, const char *period,
    double target, double actual)
{
	json_t *in = json_pack("{s:I,s:I,s:s,s:s}", "indicator_id",
	    (json_int_t)ind, "unit_id", (json_int_t)u, "period", period,
	    "status", "approved");

	if (isfinite(target))
		json_object_set_new(in, "target", json_real(target));
	if (isfinite(actual))
		json_object_set_new(in, "actual", json_real(actual));
	json_decref(create(s, "indicator_value", in));
}

static double
jreal(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static void
test_rollup_across_lineage(void **state)
{
	struct store *s = tu_store(1, NULL, 0);
	struct err e = { 0 };
	int64_t ts, grp, ind, smc_town, smc_other, district, laocai25, hagiang_c,
	    tuyenquang25, laocai24;
	json_t *r, *u;

	(void)state;
	smc_town = unit(s, "02809", "2024-01-01"); /* Thị trấn Si Ma Cai */
	district = unit(s, "084", "2024-01-01");   /* Huyện Si Ma Cai    */
	laocai24 = unit(s, "10", "2024-01-01");
	laocai25 = unit(s, "15", REORG_DATE);       /* Lào Cai after 7/2025 */
	tuyenquang25 = unit(s, "08", REORG_DATE);   /* took in Hà Giang    */
	hagiang_c = unit(s, "01024", "2024-01-01"); /* Bản Máy, Hà Giang   */
	{
		json_t *kids = store_unit_children(s, district, &e), *k;
		size_t i;
		smc_other = 0;
		json_array_foreach(kids, i, k)
			if (json_integer_value(json_object_get(k, "id")) != smc_town)
				smc_other = json_integer_value(json_object_get(k, "id"));
		json_decref(kids);
		assert_true(smc_other > 0);
	}
	ts = create_id(s, "target_set", json_pack("{s:s,s:I,s:i,s:i}", "name",
	    "Bộ chỉ tiêu thử", "unit_id", (json_int_t)district, "term_start", 2020,
	    "term_end", 2025));
	grp = create_id(s, "target_group", json_pack("{s:I,s:i,s:s}",
	    "target_set_id", (json_int_t)ts, "number", 1, "name", "Nhóm thử"));
	ind = create_id(s, "indicator", json_pack("{s:I,s:s,s:s,s:s,s:s}",
	    "target_group_id", (json_int_t)grp, "name", "Số hộ thoát nghèo",
	    "direction", "higher", "value_kind", "number", "aggregation", "sum"));
	value(s, ind, smc_town, "2024", 10, 7);
	value(s, ind, smc_other, "2024", 10, 5);
	value(s, ind, smc_other, "2023", 10, 4);
	value(s, ind, hagiang_c, "2024", 50, 100);

	/* the 2024 values on old communes count for the 2025 province */
	r = achieve_rollup(s, ind, laocai25, "2024", &e);
	if (r == NULL)
		fail_msg("%s", e.msg);
	assert_float_equal(jreal(r, "value"), 12, 0);
	assert_float_equal(jreal(r, "target"), 20, 0);
	assert_float_equal(jreal(r, "ratio"), 60, 1e-9);
	assert_string_equal(json_string_value(json_object_get(r, "band")), "low");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 2);
	u = json_array_get(json_object_get(r, "units"), 0);
	assert_true(json_is_true(json_object_get(u, "lineage")));
	json_decref(r);

	/* the old province holds them directly */
	r = achieve_rollup(s, ind, laocai24, "2024", &e);
	assert_float_equal(jreal(r, "value"), 12, 0);
	u = json_array_get(json_object_get(r, "units"), 0);
	assert_true(json_is_false(json_object_get(u, "lineage")));
	json_decref(r);

	/* Hà Giang's commune went into Tuyên Quang */
	r = achieve_rollup(s, ind, tuyenquang25, "2024", &e);
	assert_float_equal(jreal(r, "value"), 100, 0);
	json_decref(r);

	/* no period: each unit's latest (2024 for both) */
	r = achieve_rollup(s, ind, laocai25, NULL, &e);
	assert_float_equal(jreal(r, "value"), 12, 0);
	json_decref(r);
	r = achieve_rollup(s, ind, laocai25, "2023", &e);
	assert_float_equal(jreal(r, "value"), 4, 0);
	json_decref(r);

	/* the 2025 commune that took in Thị trấn Si Ma Cai */
	{
		json_t *succ = store_unit_successors(s, smc_town, &e);
		int64_t c25;
		assert_true(json_array_size(succ) >= 1);
		c25 = json_integer_value(json_object_get(json_array_get(succ, 0),
		    "id"));
		json_decref(succ);
		r = achieve_rollup(s, ind, c25, "2024", &e);
		assert_true(jreal(r, "value") >= 7);
		u = json_array_get(json_object_get(r, "units"), 0);
		assert_true(json_is_true(json_object_get(u, "lineage")));
		json_decref(r);
	}

	/* the district's own figure: the district's roll-up takes its target
	 * and sums the communes; above it, it stands for its communes (they
	 * are listed, not added twice) */
	value(s, ind, district, "2024", 15, 11);
	r = achieve_rollup(s, ind, district, "2024", &e);
	assert_float_equal(jreal(r, "value"), 12, 0);
	assert_float_equal(jreal(r, "target"), 15, 0);
	assert_float_equal(jreal(json_object_get(r, "own"), "actual"), 11, 0);
	json_decref(r);
	r = achieve_rollup(s, ind, laocai25, "2024", &e);
	assert_float_equal(jreal(r, "value"), 11, 0);
	assert_float_equal(jreal(r, "target"), 15, 0);
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "units")), 3);
	{
		size_t i, covered = 0;
		json_array_foreach(json_object_get(r, "units"), i, u)
			if (json_is_false(json_object_get(u, "counted"))) {
				covered++;
				assert_int_equal(json_integer_value(json_object_get(u,
				    "covered_by")), district);
			}
		assert_int_equal(covered, 2);
	}
	json_decref(r);

	/* nothing recorded: no value, no ratio, no NaN */
	r = achieve_rollup(s, ind, laocai25, "2019", &e);
	assert_true(json_is_null(json_object_get(r, "value")));
	assert_true(json_is_null(json_object_get(r, "ratio")));
	assert_string_equal(json_string_value(json_object_get(r, "status")),
	    "no_target");
	json_decref(r);

	assert_null(achieve_rollup(s, ind, laocai25, "không rõ", &e));
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	store_close(s);
}

static void
test_computed_and_weighted_set(void **state)
{
	struct store *s = tu_store(1, NULL, 0);
	struct err e = { 0 };
	int64_t ts, g1, i1, i2, i3, hg;
	json_t *set, *g, *ind;

	(void)state;
	hg = unit(s, "02", "2024-01-01");
	ts = create_id(s, "target_set", json_pack("{s:s,s:I,s:i,s:i,s:s,s:f,s:f}",
	    "name", "Kết nghĩa Hà Giang (thử)", "unit_id", (json_int_t)hg,
	    "term_start", 2016, "term_end", 2020, "group_rule", "weighted",
	    "band_high", 95.0, "band_mid", 50.0));
	g1 = create_id(s, "target_group", json_pack("{s:I,s:i,s:s}",
	    "target_set_id", (json_int_t)ts, "number", 1, "name", "Đối ngoại"));
	i1 = create_id(s, "indicator", json_pack("{s:I,s:s,s:s,s:s,s:s,s:f}",
	    "target_group_id", (json_int_t)g1, "name", "Số xã kết nghĩa",
	    "direction", "higher", "value_kind", "number", "expression",
	    "count(agreement, kind=agreement_test)", "weight", 3.0));
	i2 = create_id(s, "indicator", json_pack("{s:I,s:s,s:s,s:s}",
	    "target_group_id", (json_int_t)g1, "name", "Có quy chế",
	    "direction", "yesno", "value_kind", "number"));
	i3 = create_id(s, "indicator", json_pack("{s:I,s:s,s:s,s:s}",
	    "target_group_id", (json_int_t)g1, "name", "Số vụ vi phạm",
	    "direction", "lower", "value_kind", "number"));
	value(s, i1, hg, "2016-2020", 4, NA);  /* actual from the formula */
	value(s, i2, hg, "2016-2020", 1, 1);
	value(s, i3, hg, "2016-2020", 3, 0);   /* zero: exceeded, no ratio */
	(void)i3;

	set = achieve_target_set(s, ts, NULL, &e);
	if (set == NULL)
		fail_msg("%s", e.msg);
	g = group(set, 1);
	ind = json_array_get(json_object_get(g, "indicators"), 0);
	/* no agreement of that kind: computed 0 of 4 */
	assert_true(json_is_true(json_object_get(ind, "computed")));
	assert_float_equal(jreal(ind, "actual"), 0, 0);
	assert_float_equal(jreal(ind, "ratio"), 0, 0);
	ind = json_array_get(json_object_get(g, "indicators"), 2);
	assert_string_equal(json_string_value(json_object_get(ind, "status")),
	    "zero_target");
	assert_string_equal(json_string_value(json_object_get(ind, "band")), "high");
	assert_true(json_is_null(json_object_get(ind, "ratio")));
	/* weighted (0 x 3 + 100 x 1) / 4 = 25 %, below the mid of 50 % */
	assert_float_equal(jreal(g, "ratio"), 25, 1e-9);
	assert_float_equal(jreal(g, "weight_sum"), 4, 0);
	assert_int_equal(json_array_size(json_object_get(g, "weights")), 3);
	assert_string_equal(json_string_value(json_object_get(g, "band_label")),
	    "Dưới 50%");
	assert_int_equal(band_count(set, "low"), 1);
	json_decref(set);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direction_math),
		cmocka_unit_test(test_fractions),
		cmocka_unit_test(test_band_boundaries),
		cmocka_unit_test(test_thresholds_and_labels),
		cmocka_unit_test(test_group_rules),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_period_order),
		cmocka_unit_test(test_simacai_target_set),
		cmocka_unit_test(test_target_set_periods),
		cmocka_unit_test(test_rollup_across_lineage),
		cmocka_unit_test(test_computed_and_weighted_set),
	};
	return cmocka_run_group_tests_name("achieve", tests, setup, teardown);
}
