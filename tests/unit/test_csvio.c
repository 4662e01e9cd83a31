/* test_csvio.c - CSV import is all or nothing and names each bad line and
 * field; export and import round-trip. */
#include "testutil.h"

#include "csvio.h"

#include <xlsxwriter.h>

static const struct actor tester = { .name = "test" };

static int64_t
count(struct store *s, const char *entity)
{
	int64_t n = -1;

	assert_int_equal(store_count(s, registry_find(entity), &n, NULL), 0);
	return n;
}

static bool
has_error(const json_t *errors, long line, const char *field)
{
	size_t i;
	json_t *er;

	json_array_foreach(errors, i, er) {
		const char *f = json_string_value(json_object_get(er, "field"));
		if (json_integer_value(json_object_get(er, "line")) == line &&
		    ((field == NULL && f == NULL) || (field && f && strcmp(f, field) == 0)))
			return true;
	}
	return false;
}

static const char bad_csv[] =
    "full_name,gender,note\n"
    "Hoàng Văn Dương,male,Chủ tịch UBND huyện Si Ma Cai\n"
    "Đinh Văn Đăng,robot,\n"          /* line 3: gender not in catalog */
    ",female,không tên\n"             /* line 4: name required */
    "Ngô Văn Tăng,male,\"Phó chủ tịch, Xín Mần\"\n";

static void
test_bad_row_imports_nothing(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct import_result res;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(csv_import_buffer(s, registry_find("person"), bad_csv,
	    strlen(bad_csv), false, &tester, &res, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.rejected, 2);
	assert_int_equal(res.imported, 0);
	assert_true(has_error(res.errors, 3, "gender"));
	assert_true(has_error(res.errors, 4, "full_name"));
	assert_int_equal(count(s, "person"), 0);
	assert_int_equal(count(s, "audit_log"), 0);
	json_decref(res.errors);
	err_clear(&e);
	store_close(s);
}

static void
test_skip_invalid_imports_good_rows(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct import_result res;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(csv_import_buffer(s, registry_find("person"), bad_csv,
	    strlen(bad_csv), true, &tester, &res, &e), 0);
	assert_int_equal(res.imported, 2);
	assert_int_equal(res.rejected, 2);
	assert_int_equal(count(s, "person"), 2);
	json_decref(res.errors);
	store_close(s);
}

static const struct {
	const char *csv;
	long line;
	const char *field; /* NULL: the row as a whole */
} header_cases[] = {
	{ "full_name,shoe_size\nA,42\n", 1, "shoe_size" },
	{ "full_name,gender\nA\n", 2, NULL },
	{ "full_name\n\"unterminated\n", 0, NULL },
};

static void
test_malformed_files(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct import_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		struct err e = { 0 };
		assert_int_equal(csv_import_buffer(s, registry_find("person"),
		    header_cases[i].csv, strlen(header_cases[i].csv), false, &tester,
		    &res, &e), -1);
		if (header_cases[i].line > 0)
			assert_true(has_error(res.errors, header_cases[i].line,
			    header_cases[i].field));
		else
			assert_int_equal(e.code, ERR_BAD_REQUEST);
		json_decref(res.errors);
		err_clear(&e);
	}
	assert_int_equal(count(s, "person"), 0);
	store_close(s);
}

static void
test_export_import_round_trip(void **state)
{
	struct store *a = tu_store(0, NULL, 0), *b = tu_store(0, NULL, 0);
	const char good[] = "full_name,note\n\"Lý Xuân Thành\",\"a \"\"quoted\"\", note\"\n"
	    "Nông Thị Hà,\n";
	struct import_result res;
	struct err e = { 0 };
	char *buf1 = NULL, *buf2 = NULL;
	size_t len1 = 0, len2 = 0;
	FILE *f;

	(void)state;
	assert_int_equal(csv_import_buffer(a, registry_find("person"), good,
	    strlen(good), false, &tester, &res, &e), 0);
	json_decref(res.errors);
	f = open_memstream(&buf1, &len1);
	assert_int_equal(csv_export(a, registry_find("person"), f, &e), 0);
	fclose(f);
	assert_int_equal(csv_import_buffer(b, registry_find("person"), buf1, len1,
	    false, &tester, &res, &e), 0);
	assert_int_equal(res.imported, 2);
	json_decref(res.errors);
	f = open_memstream(&buf2, &len2);
	assert_int_equal(csv_export(b, registry_find("person"), f, &e), 0);
	fclose(f);
	assert_string_equal(buf1, buf2);
	assert_non_null(strstr(buf1, "\"a \"\"quoted\"\", note\""));
	free(buf1);
	free(buf2);
	store_close(a);
	store_close(b);
}

/* A spreadsheet made by libxlsxwriter imports like a CSV file: shared
 * strings, numbers, trailing empty cells, and a bad row refuses them all. */
static void
test_xlsx_import(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct import_result res;
	struct err e = { 0 };
	char path[300];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	size_t len;
	char *data;

	(void)state;
	snprintf(path, sizeof(path), "%s/people.xlsx", tu_tmpdir());
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "full_name", NULL);
	worksheet_write_string(ws, 0, 1, "gender", NULL);
	worksheet_write_string(ws, 0, 2, "note", NULL);
	worksheet_write_string(ws, 1, 0, "Nông Thị Hà", NULL);
	worksheet_write_string(ws, 1, 1, "female", NULL);
	worksheet_write_number(ws, 1, 2, 184.5, NULL);
	worksheet_write_string(ws, 2, 0, "Cầm Ngọc Minh & <Sơn La>", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = read_file(path, 1 << 20, &len, &e);
	assert_non_null(data);
	assert_int_equal(xlsx_import_buffer(s, registry_find("person"), data, len,
	    false, &tester, &res, &e), 0);
	assert_int_equal(res.imported, 2);
	json_decref(res.errors);
	free(data);
	{
		struct list_query q;
		json_t *rows;
		memset(&q, 0, sizeof(q));
		q.search = "cam ngoc minh";
		assert_int_equal(store_list(s, registry_find("person"), &q, &rows, NULL, &e), 0);
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
		    "full_name")), "Cầm Ngọc Minh & <Sơn La>");
		json_decref(rows);
	}

	/* a bad row: nothing */
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "full_name", NULL);
	worksheet_write_string(ws, 0, 1, "gender", NULL);
	worksheet_write_string(ws, 1, 0, "A", NULL);
	worksheet_write_string(ws, 2, 0, "B", NULL);
	worksheet_write_string(ws, 2, 1, "robot", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = read_file(path, 1 << 20, &len, &e);
	assert_int_equal(xlsx_import_buffer(s, registry_find("person"), data, len,
	    false, &tester, &res, &e), -1);
	assert_true(has_error(res.errors, 3, "gender"));
	assert_int_equal(count(s, "person"), 2);
	json_decref(res.errors);
	err_clear(&e);
	free(data);

	/* not a spreadsheet at all */
	assert_int_equal(xlsx_import_buffer(s, registry_find("person"), "PK\3\4junk", 8,
	    false, &tester, &res, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	json_decref(res.errors);
	err_clear(&e);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_row_imports_nothing),
		cmocka_unit_test(test_skip_invalid_imports_good_rows),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_export_import_round_trip),
		cmocka_unit_test(test_xlsx_import),
	};
	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
