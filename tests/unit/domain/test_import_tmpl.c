/* test_import_tmpl.c - the import templates of every entity: their columns,
 * their help row (which the import skips, unchanged, and reads as data once
 * edited), their drop-down lists; a preview (IMPORT_DRY_RUN) writes
 * nothing and says what would be written. */
#include "testutil.h"

#include <zip.h>

#include "base/buf.h"
#include "domain/csvio.h"
#include "domain/import_tmpl.h"
#include "domain/workflow.h"
#include "text/xlsx_read.h"

static const struct actor tester = { .name = "test", .history = true };

static int64_t
count(struct store *s, const struct entity_def *ent)
{
	int64_t n = -1;

	assert_int_equal(store_count(s, ent, &n, NULL), 0);
	return n;
}

/* The columns a template must have: every field but the system's. */
static size_t
columns(const struct entity_def *ent)
{
	size_t i, n = 0;

	for (i = 0; i < ent->nfields; i++)
		n += import_tmpl_column(&ent->fields[i]);
	return n;
}

/* Row 0 names each column's field, row 1 is its help text. */
static void
check_rows(const struct entity_def *ent, json_t *rows)
{
	char help[600];
	size_t i, col = 0;

	assert_true(json_array_size(rows) >= 2);
	assert_int_equal(json_array_size(json_array_get(rows, 0)), columns(ent));
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!import_tmpl_column(f))
			continue;
		import_tmpl_help(f, help, sizeof(help));
		assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0),
		    col)), f->name);
		assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1),
		    col)), help);
		/* the label leads, required fields say so */
		assert_true(strncmp(help, f->label, strlen(f->label)) == 0);
		assert_int_equal(strstr(help, "bắt buộc") != NULL,
		    (f->flags & F_REQUIRED) != 0);
		col++;
	}
}

/* An unfilled template imports no row and names no error: the help row is
 * skipped, checked as a preview (nothing is written either way). */
static void
check_empty_import(struct store *s, const struct entity_def *ent,
    const void *data, size_t len)
{
	struct import_result res;
	struct err e = { 0 };
	int rc = import_buffer(s, ent, data, len, IMPORT_DRY_RUN, &tester, &res, &e);

	if (rc != 0)
		fail_msg("%s: %s (%s)", ent->name, e.msg,
		    json_dumps(res.errors, JSON_COMPACT));
	assert_int_equal(res.rows, 0);
	assert_int_equal(json_array_size(res.errors), 0);
	json_decref(res.errors);
}

static void
test_csv_template_of_every_entity(void **state)
{
	struct store *s = *state;
	size_t i;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		struct err e = { 0 };
		struct buf b;
		json_t *rows;
		if (!import_tmpl_importable(ent))
			continue;
		buf_init(&b, 1u << 20);
		import_tmpl_csv(ent, &b);
		assert_false(buf_failed(&b));
		assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
		rows = csv_parse_rows(b.data + 3, b.len - 3, &e);
		assert_non_null(rows);
		assert_int_equal(json_array_size(rows), 2);
		check_rows(ent, rows);
		check_empty_import(s, ent, b.data, b.len);
		json_decref(rows);
		buf_free(&b);
	}
}

/* A part of a zip file as a C string (free it). */
static char *
zip_part(const struct buf *b, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *zf;
	zip_stat_t st;
	char *out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(b->data, b->len, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	out = calloc(1, st.size + 1);
	zf = zip_fopen(z, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_close(z);
	zip_error_fini(&ze);
	return out;
}

static size_t
occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
test_xlsx_template_of_every_entity(void **state)
{
	struct store *s = *state;
	size_t i, k;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		struct err e = { 0 };
		size_t lists = 0;
		struct buf b;
		char *sheet;
		json_t *rows;
		if (!import_tmpl_importable(ent))
			continue;
		buf_init(&b, IMPORT_TEMPLATE_FILE_MAX);
		if (import_tmpl_xlsx(s, ent, &b, &e) != 0)
			fail_msg("%s: %s", ent->name, e.msg);
		rows = xlsx_read_rows(b.data, b.len, &e);
		assert_non_null(rows);
		check_rows(ent, rows);
		json_decref(rows);
		check_empty_import(s, ent, b.data, b.len);
		/* one drop-down per column with a list, over the lists sheet */
		for (k = 0; k < ent->nfields; k++) {
			json_t *ch;
			if (!import_tmpl_column(&ent->fields[k]))
				continue;
			ch = import_tmpl_choices(s, ent, &ent->fields[k], &e);
			assert_non_null(ch);
			lists += json_array_size(ch) > 0;
			/* list columns are the catalog, enum and yes/no ones */
			if (json_array_size(ch) > 0)
				assert_true(ent->fields[k].type == FT_CATALOG ||
				    ent->fields[k].type == FT_ENUM ||
				    ent->fields[k].type == FT_BOOLEAN);
			json_decref(ch);
		}
		sheet = zip_part(&b, "xl/worksheets/sheet1.xml");
		assert_int_equal(occurrences(sheet, "<dataValidation "), lists);
		assert_int_equal(occurrences(sheet, "type=\"list\""), lists);
		if (lists > 0)
			assert_non_null(strstr(sheet, "<formula1>'Danh mục'!$A$3"));
		free(sheet);
		buf_free(&b);
	}
}

/* The lists hold what validation accepts: catalog codes, a workflow's
 * initial states only, yes and no. */
static void
test_choices(void **state)
{
	struct store *s = *state;
	const struct entity_def *inc = entity_of(ENT_INCIDENT);
	struct err e = { 0 };
	json_t *ch;
	size_t i;

	ch = import_tmpl_choices(s, inc, field_of(FLD_INCIDENT_KIND), &e);
	assert_true(json_array_size(ch) > 0);
	for (i = 0; i < json_array_size(ch); i++)
		assert_true(store_catalog_has(s, field_of(FLD_INCIDENT_KIND)->arg,
		    json_string_value(json_array_get(json_array_get(ch, i), 0))));
	json_decref(ch);
	ch = import_tmpl_choices(s, inc, field_of(FLD_INCIDENT_STATUS), &e);
	assert_true(json_array_size(ch) > 0);
	assert_true(json_array_size(ch) < enum_count(field_of(FLD_INCIDENT_STATUS)));
	for (i = 0; i < json_array_size(ch); i++)
		assert_true(workflow_initial(inc, json_string_value(json_array_get(
		    json_array_get(ch, i), 0))));
	json_decref(ch);
	ch = import_tmpl_choices(s, inc, field_of(FLD_INCIDENT_CONFIDENTIAL), &e);
	assert_int_equal(json_array_size(ch), 2);
	json_decref(ch);
	ch = import_tmpl_choices(s, inc, field_of(FLD_INCIDENT_TITLE), &e);
	assert_int_equal(json_array_size(ch), 0);
	json_decref(ch);
}

/* A filled template imports its rows, the help row left out; an edited
 * help row is data (and here a bad row). */
static void
test_filled_template_imports(void **state)
{
	struct store *s = *state;
	const struct entity_def *person = entity_of(ENT_PERSON);
	struct import_result res;
	struct err e = { 0 };
	int64_t before = count(s, person);
	struct buf b;

	buf_init(&b, 1u << 20);
	import_tmpl_csv(person, &b);
	/* full_name, gender, note */
	buf_adds(&b, "Hoàng Văn Dương,male,mẫu điền\r\n");
	assert_int_equal(import_buffer(s, person, b.data, b.len, 0, &tester, &res, &e), 0);
	assert_int_equal(res.rows, 1);
	assert_int_equal(res.imported, 1);
	assert_int_equal(count(s, person), before + 1);
	json_decref(res.errors);
	buf_free(&b);

	buf_init(&b, 1u << 20);
	buf_adds(&b, "full_name,gender\nHọ và tên (bắt buộc; đã sửa),robot\n");
	assert_int_equal(import_buffer(s, person, b.data, b.len, 0, &tester, &res, &e), -1);
	assert_int_equal(res.rows, 1);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(count(s, person), before + 1);
	json_decref(res.errors);
	err_clear(&e);
	buf_free(&b);
}

/* A preview runs every check and writes nothing: the good rows counted,
 * each bad line and field listed - the same as the load would. */
static void
test_dry_run_writes_nothing(void **state)
{
	static const char csv[] =
	    "full_name,gender,note\n"
	    "Hoàng Văn Dương,male,\n"
	    "Đinh Văn Đăng,robot,\n"
	    ",female,không tên\n"
	    "Ngô Văn Tăng,male,\n";
	struct store *s = *state;
	const struct entity_def *person = entity_of(ENT_PERSON);
	const struct entity_def *audit = entity_of(ENT_AUDIT_LOG);
	int64_t before = count(s, person), audited = count(s, audit);
	static const unsigned flags[] = { IMPORT_DRY_RUN,
		IMPORT_DRY_RUN | IMPORT_SKIP_INVALID };
	struct import_result res;
	struct err e = { 0 };
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		int rc = import_buffer(s, person, csv, strlen(csv), flags[i], &tester,
		    &res, &e);
		assert_int_equal(rc, (flags[i] & IMPORT_SKIP_INVALID) ? 0 : -1);
		assert_int_equal(res.rows, 4);
		assert_int_equal(res.rejected, 2);
		assert_int_equal(res.imported, (flags[i] & IMPORT_SKIP_INVALID) ? 2 : 0);
		assert_int_equal(json_array_size(res.errors), 2);
		assert_int_equal(count(s, person), before);
		assert_int_equal(count(s, audit), audited);
		json_decref(res.errors);
		err_clear(&e);
	}
	/* the same file loaded: what the preview said */
	assert_int_equal(import_buffer(s, person, csv, strlen(csv), IMPORT_SKIP_INVALID,
	    &tester, &res, &e), 0);
	assert_int_equal(res.imported, 2);
	assert_int_equal(count(s, person), before + 2);
	json_decref(res.errors);
}

/* import_read_rows shows CSV and XLSX rows as the import reads them. */
static void
test_read_rows(void **state)
{
	struct store *s = *state;
	struct err e = { 0 };
	struct buf b;
	json_t *rows;

	rows = import_read_rows("a,b\n'=1+2,x\n", 12, &e);
	assert_non_null(rows);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 0)),
	    "=1+2");
	json_decref(rows);
	buf_init(&b, IMPORT_TEMPLATE_FILE_MAX);
	assert_int_equal(import_tmpl_xlsx(s, entity_of(ENT_PERSON), &b, &e), 0);
	assert_true(import_is_xlsx(b.data, b.len));
	rows = import_read_rows(b.data, b.len, &e);
	assert_non_null(rows);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 0)),
	    field_name(FLD_PERSON_FULL_NAME));
	json_decref(rows);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_template_of_every_entity),
		cmocka_unit_test(test_xlsx_template_of_every_entity),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_filled_template_imports),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_read_rows),
	};

	return cmocka_run_group_tests(tests, tu_setup_units, tu_teardown);
}
