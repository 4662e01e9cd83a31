/*
 * test_reorg.c - reorganisations of administrative units (reorg.h) on the
 * shipped units: a merger of two 2025 communes of Lào Cai from 1 March 2026
 * is previewed (nothing written) then applied (units, lineage, audit), and
 * history follows it with no code change: the new commune covers the old
 * ones and the 2024 communes they came from (store_unit_within, the
 * roll-up), the old ones keep their own figures for the periods before.
 * Then a table of bad files, one line each: every one is refused with its
 * line and column named, and nothing is written.
 */
#include "testutil.h"

#include <math.h>

#include "domain/achieve.h"
#include "domain/records.h"
#include "domain/reorg.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct actor tester = { .name = "test", .history = true };
static struct store *db;

#define HEAD "record,code,name,type,level,parent_code,predecessor_code,kind," \
	"effective_on,legal_basis\n"
#define NQ "Nghị quyết số 1234/NQ-UBTVQH15"
/* Xã Bắc Hà (02839) and Xã Lùng Phình (02848), 2025 communes of Lào Cai
 * (15), merged into Xã Bắc Hà Mới (99001) from 1 March 2026. */
#define MERGER HEAD \
	"unit,99001,Xã Bắc Hà Mới,Xã,2,15,,,2026-03-01," NQ "\n" \
	"lineage,99001,,,,,02839,merge,2026-03-01," NQ "\n" \
	"lineage,99001,,,,,02848,merge,01/03/2026,\"" NQ "\"\n"

static int
setup(void **state)
{
	(void)state;
	db = tu_store(1, NULL, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(db);
	return 0;
}

static int64_t
unit(const char *code, const char *date)
{
	struct err e = { 0 };
	int64_t id = 0;

	if (store_unit_by_code(db, code, date, &id, &e) != 0)
		fail_msg("unit %s on %s: %s", code, date, e.msg);
	return id;
}

/* Rows of the tables a reorganisation writes, to see that nothing was. */
static int64_t
count(const char *entity)
{
	struct list_query q = { 0 };
	json_t *rows = NULL;
	int64_t n = -1;

	q.limit = 1;
	q.see_confidential = true;
	assert_int_equal(store_list(db, registry_find(entity), &q, &rows, &n, NULL), 0);
	json_decref(rows);
	return n;
}

struct counts {
	int64_t units, lineage, audit;
};

static struct counts
counts(void)
{
	return (struct counts){ count("admin_unit"), count("unit_lineage"),
		count("audit_log") };
}

static void
same_counts(struct counts a, struct counts b, const char *what)
{
	if (a.units != b.units || a.lineage != b.lineage || a.audit != b.audit)
		fail_msg("%s wrote: units %lld -> %lld, lineage %lld -> %lld, audit "
		    "%lld -> %lld", what, (long long)a.units, (long long)b.units,
		    (long long)a.lineage, (long long)b.lineage, (long long)a.audit,
		    (long long)b.audit);
}

static json_t *
create(const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;

	if (records_create(db, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("create %s: %s", entity, e.msg);
	json_decref(in);
	return out;
}

static int64_t
create_id(const char *entity, json_t *in)
{
	json_t *r = create(entity, in);
	int64_t id = json_integer_value(json_object_get(r, "id"));

	json_decref(r);
	return id;
}

static void
value(int64_t ind, int64_t u, const char *period, double actual)
{
	json_decref(create("indicator_value", json_pack("{s:I,s:I,s:s,s:s,s:f}",
	    "indicator_id", (json_int_t)ind, "unit_id", (json_int_t)u, "period",
	    period, "status", "approved", "actual", actual)));
}

static double
rolled(int64_t ind, int64_t at, const char *period, size_t *nunits)
{
	struct err e = { 0 };
	json_t *r = achieve_rollup(db, ind, at, period, &e);
	double v;

	if (r == NULL)
		fail_msg("roll-up at %lld for %s: %s", (long long)at, period, e.msg);
	v = json_number_value(json_object_get(r, "value"));
	if (nunits != NULL)
		*nunits = json_array_size(json_object_get(r, "units"));
	json_decref(r);
	return v;
}

static void
test_add_days(void **state)
{
	static const struct { const char *in; int days; const char *out; } cases[] = {
		{ "2026-03-01", -1, "2026-02-28" },
		{ "2024-03-01", -1, "2024-02-29" },
		{ "2025-07-01", -1, "2025-06-30" },
		{ "2026-01-01", -1, "2025-12-31" },
		{ "2025-12-31", 1, "2026-01-01" },
		{ "2000-02-28", 1, "2000-02-29" },
		{ "1900-02-28", 1, "1900-03-01" },
		{ "2026-02-30", -1, NULL },
		{ "ngày 1", -1, NULL },
	};
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(cases); i++) {
		int rc = reorg_add_days(cases[i].in, cases[i].days, out);
		if (cases[i].out == NULL) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i].out);
	}
	assert_string_equal(reorg_column_label("predecessor_code"), "Mã đơn vị cũ");
	assert_string_equal(reorg_column_label("nothing"), "nothing");
}

static void
test_merger_preview_then_apply(void **state)
{
	struct reorg_result res = { NULL };
	struct err e = { 0 };
	struct counts before = counts(), after;
	int64_t a = unit("02839", "2026-01-01"), b = unit("02848", "2026-01-01");
	int64_t c24 = unit("02851", "2024-01-01"); /* Tả Van Chư -> Lùng Phình */
	int64_t x, ts, grp, ind, laocai = unit("15", "2026-01-01");
	json_t *ended, *lin, *l;
	size_t i, n;

	(void)state;
	/* the preview shows what applying does, and writes nothing */
	if (reorg_run(db, MERGER, strlen(MERGER), false, &tester, &res, &e) != 0)
		fail_msg("preview: %s %s", e.msg, json_dumps(res.out, 0));
	assert_true(json_is_false(json_object_get(res.out, "applied")));
	assert_int_equal(json_array_size(json_object_get(res.out, "units")), 1);
	assert_int_equal(json_array_size(json_object_get(res.out, "ended")), 2);
	assert_int_equal(json_array_size(json_object_get(res.out, "lineage")), 2);
	assert_int_equal(json_array_size(json_object_get(res.out, "errors")), 0);
	reorg_result_free(&res);
	same_counts(before, counts(), "the preview");

	if (reorg_run(db, MERGER, strlen(MERGER), true, &tester, &res, &e) != 0)
		fail_msg("apply: %s", e.msg);
	assert_true(json_is_true(json_object_get(res.out, "applied")));
	ended = json_object_get(res.out, "ended");
	json_array_foreach(ended, i, l)
		assert_string_equal(json_string_value(json_object_get(l, "valid_to")),
		    "2026-02-28");
	reorg_result_free(&res);
	after = counts();
	assert_int_equal(after.units, before.units + 1);
	assert_int_equal(after.lineage, before.lineage + 2);
	/* an entry per record written (1 created, 2 ended, 2 links) and one
	 * for the file */
	assert_int_equal(after.audit, before.audit + 6);

	/* the code names the old commune before, the new one after */
	x = unit("99001", "2026-03-01");
	assert_int_equal(unit("02839", "2026-02-28"), a);
	{
		struct err ne = { 0 };
		int64_t none;
		assert_int_equal(store_unit_by_code(db, "02839", "2026-03-01", &none, &ne), -1);
		assert_int_equal(ne.code, ERR_NOT_FOUND);
		err_clear(&ne);
	}
	lin = store_unit_predecessors(db, x, &e);
	assert_int_equal(json_array_size(lin), 2);
	json_decref(lin);
	lin = store_unit_successors(db, a, &e);
	assert_int_equal(json_array_size(lin), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(lin, 0), "id")), x);
	json_decref(lin);

	/* who is within whom: down the lineage through both reorganisations,
	 * never up it */
	assert_true(store_unit_within(db, a, x));
	assert_true(store_unit_within(db, b, x));
	assert_true(store_unit_within(db, c24, x));
	assert_true(store_unit_within(db, x, laocai));
	assert_false(store_unit_within(db, x, a));
	assert_false(store_unit_within(db, a, b));

	/* figures kept on the old communes (and a 2024 one) roll up into the
	 * new commune, for periods before and after the date; the old ones
	 * still show their own */
	ts = create_id("target_set", json_pack("{s:s,s:I,s:i,s:i}", "name",
	    "Bộ chỉ tiêu sắp xếp", "unit_id", (json_int_t)laocai, "term_start", 2025,
	    "term_end", 2030));
	grp = create_id("target_group", json_pack("{s:I,s:i,s:s}", "target_set_id",
	    (json_int_t)ts, "number", 1, "name", "Nhóm thử"));
	ind = create_id("indicator", json_pack("{s:I,s:s,s:s,s:s,s:s}",
	    "target_group_id", (json_int_t)grp, "name", "Số hộ thoát nghèo",
	    "direction", "higher", "value_kind", "number", "aggregation", "sum"));
	value(ind, a, "2025-Q4", 10);
	value(ind, b, "2025-Q4", 5);
	value(ind, c24, "2025-Q2", 2);
	value(ind, a, "2026-Q2", 3);   /* entered late against the old unit */
	value(ind, x, "2026-Q2", 4);
	assert_float_equal(rolled(ind, x, "2025-Q4", &n), 15, 0);
	assert_int_equal(n, 2);
	assert_float_equal(rolled(ind, x, "2025-Q2", NULL), 2, 0);
	assert_float_equal(rolled(ind, a, "2025-Q4", &n), 10, 0);
	assert_int_equal(n, 0); /* its own figure, nothing below it */
	assert_float_equal(rolled(ind, b, "2025-Q4", NULL), 5, 0);
	assert_float_equal(rolled(ind, x, "2026-Q2", NULL), 3, 0);
	/* the province holds both vintages once each */
	assert_float_equal(rolled(ind, laocai, "2025-Q4", NULL), 15, 0);
	assert_float_equal(rolled(ind, laocai, "2026-Q2", NULL), 7, 0);
}

/* Bad files, after the merger above: line and column of the first error
 * the file must be refused for. */
static const struct {
	const char *name, *csv;
	long line;
	const char *column, *says;
} bad_files[] = {
	{ "no header", "unit,1,2\n", 1, NULL, "không có trong mẫu" },
	{ "empty", "", 1, NULL, "tệp trống" },
	{ "header only", HEAD, 1, NULL, "không có dòng nào" },
	{ "row kind", HEAD "đơn vị,99002,X,Xã,2,15,,,2026-06-01,\n", 2, "record", "loại dòng" },
	{ "unknown predecessor", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,99999,rename,2026-06-01," NQ "\n", 3, "predecessor_code",
	  "không có đơn vị cũ mã 99999" },
	{ "predecessor ended", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02848,rename,2026-06-01," NQ "\n", 3, "predecessor_code",
	  "đã hết hiệu lực" },
	{ "date before the predecessor existed", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-01-01,\n"
	  "lineage,99002,,,,,99001,rename,2026-01-01," NQ "\n", 3, "effective_on",
	  "bắt đầu có hiệu lực" },
	{ "cycle", HEAD
	  "lineage,02680,,,,,99001,rename,2026-09-01," NQ "\n"
	  "lineage,99001,,,,,02680,rename,2026-09-01," NQ "\n", 2, "code", "chu trình" },
	{ "duplicate code in the file", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "unit,99002,Xã Mới Khác,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,rename,2026-06-01," NQ "\n", 3, "code", "trùng" },
	{ "duplicate code in force", HEAD
	  "unit,02683,Xã Bát Xát Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,02683,,,,,02680,rename,2026-06-01," NQ "\n", 2, "code",
	  "đang dùng mã này" },
	{ "duplicate link", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,merge,2026-06-01," NQ "\n"
	  "lineage,99002,,,,,02683,merge,2026-06-01," NQ "\n"
	  "lineage,99002,,,,,02680,merge,2026-06-01," NQ "\n", 5, "predecessor_code",
	  "đã được nối" },
	{ "merge of one", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,merge,2026-06-01," NQ "\n", 3, "kind", "ít nhất hai" },
	{ "split into one", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,split,2026-06-01," NQ "\n", 3, "kind", "ít nhất hai" },
	{ "kind", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,absorb,2026-06-01," NQ "\n", 3, "kind", NULL },
	{ "legal basis missing", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,rename,2026-06-01,\n", 3, "legal_basis", "bắt buộc" },
	{ "date", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-02-30,\n", 2, "effective_on", NULL },
	{ "level", HEAD "unit,99002,Xã Mới,Xã,9,15,,,2026-06-01,\n", 2, "level", NULL },
	{ "level not below the parent", HEAD
	  "unit,99002,Tỉnh Mới,Tỉnh,1,15,,,2026-06-01,\n", 2, "level", "không dưới" },
	{ "unknown parent", HEAD
	  "unit,99002,Xã Mới,Xã,2,77777,,,2026-06-01,\n", 2, "parent_code",
	  "không có đơn vị cấp trên" },
	{ "no parent", HEAD "unit,99002,Xã Mới,Xã,2,,,,2026-06-01,\n", 2, "parent_code",
	  "phải có đơn vị cấp trên" },
	{ "successor nowhere", HEAD
	  "lineage,88888,,,,,02680,rename,2026-06-01," NQ "\n", 2, "code",
	  "không có trong tệp" },
	{ "successor on another date", HEAD
	  "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
	  "lineage,99002,,,,,02680,rename,2026-07-01," NQ "\n", 3, "effective_on",
	  "khác ngày" },
	{ "a province whose communes go on", HEAD
	  "unit,98,Tỉnh Mới,Tỉnh,1,,,,2026-06-01,\n"
	  "lineage,98,,,,,15,rename,2026-06-01," NQ "\n", 3, "predecessor_code",
	  "đơn vị trực thuộc" },
	{ "unknown column", "record,code,population\n", 1, NULL, "population" },
};

static bool
has_error(const json_t *errors, long line, const char *column, const char *says)
{
	const json_t *o;
	size_t i;

	json_array_foreach(errors, i, o) {
		const char *col = json_string_value(json_object_get(o, "column"));
		const char *msg = json_string_value(json_object_get(o, "message"));
		if (json_integer_value(json_object_get(o, "line")) != line)
			continue;
		if ((column == NULL) != (col == NULL) ||
		    (column != NULL && strcmp(column, col) != 0))
			continue;
		if (says == NULL || (msg != NULL && strstr(msg, says) != NULL))
			return true;
	}
	return false;
}

static void
test_bad_files_refused_whole(void **state)
{
	struct counts before = counts();
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad_files); i++) {
		struct reorg_result res = { NULL };
		struct err e = { 0 };
		const char *csv = bad_files[i].csv;
		char *dump;
		if (reorg_run(db, csv, strlen(csv), true, &tester, &res, &e) == 0)
			fail_msg("%s: applied", bad_files[i].name);
		if (e.code != ERR_INVALID)
			fail_msg("%s: %s (%s)", bad_files[i].name, err_code_name(e.code), e.msg);
		if (!has_error(json_object_get(res.out, "errors"), bad_files[i].line,
		    bad_files[i].column, bad_files[i].says)) {
			dump = json_dumps(json_object_get(res.out, "errors"), JSON_INDENT(1));
			fail_msg("%s: no error on line %ld, column %s (\"%s\"): %s",
			    bad_files[i].name, bad_files[i].line,
			    bad_files[i].column ? bad_files[i].column : "-",
			    bad_files[i].says ? bad_files[i].says : "", dump);
		}
		assert_true(json_is_false(json_object_get(res.out, "applied")));
		err_clear(&e);
		reorg_result_free(&res);
		same_counts(before, counts(), bad_files[i].name);
	}
}

static bool
refuse(const struct actor *who, struct store *s, const struct entity_def *ent,
    const json_t *rec, struct err *e)
{
	(void)who;
	(void)s;
	(void)ent;
	(void)rec;
	err_set(e, ERR_FORBIDDEN, "chỉ quản trị viên");
	return false;
}

static void
test_only_who_may_write_units(void **state)
{
	struct actor viewer = { .user_id = 7, .name = "viewer", .may_write = refuse };
	struct reorg_result res = { NULL };
	struct err e = { 0 };
	struct counts before = counts();

	(void)state;
	assert_int_equal(reorg_run(db, MERGER, strlen(MERGER), true, &viewer, &res,
	    &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	err_clear(&e);
	reorg_result_free(&res);
	same_counts(before, counts(), "a refused actor");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_merger_preview_then_apply),
		cmocka_unit_test(test_bad_files_refused_whole),
		cmocka_unit_test(test_only_who_may_write_units),
	};
	return cmocka_run_group_tests_name("reorg", tests, setup, teardown);
}
