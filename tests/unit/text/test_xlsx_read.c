/*
 * test_xlsx_read.c - the first sheet of a spreadsheet as rows of strings
 * (xlsx_read.h), on workbooks written by libxlsxwriter: shared strings as
 * they were written (escaped characters, Vietnamese), numbers and formulas
 * as their digits, booleans as 1/0, gaps filled with empty cells, only the
 * first sheet; bytes that are no spreadsheet are refused.  Table-driven:
 * a cell is one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "text/xlsx_read.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

enum kind { K_STRING, K_NUMBER, K_BOOL, K_FORMULA };

struct cell_case {
	int row, col;
	enum kind kind;
	const char *text;   /* K_STRING, K_FORMULA */
	double number;      /* K_NUMBER, K_BOOL, a formula's cached value */
	const char *want;   /* what xlsx_read_rows gives */
};

static const struct cell_case cells[] = {
	{ 0, 0, K_STRING, "Mã", 0, "Mã" },
	{ 0, 1, K_STRING, "Tên đơn vị", 0, "Tên đơn vị" },
	{ 0, 2, K_STRING, "Ghi chú", 0, "Ghi chú" },
	{ 1, 0, K_STRING, "084", 0, "084" },            /* a code stays text */
	{ 1, 1, K_STRING, "Huyện Si Ma Cai", 0, "Huyện Si Ma Cai" },
	{ 1, 2, K_STRING, "a & <b> \"c\" 'd'", 0, "a & <b> \"c\" 'd'" },
	{ 2, 0, K_NUMBER, NULL, 184.5, "184.5" },
	{ 2, 1, K_NUMBER, NULL, 2024, "2024" },
	{ 2, 2, K_NUMBER, NULL, -0.25, "-0.25" },
	{ 3, 0, K_BOOL, NULL, 1, "1" },
	{ 3, 1, K_BOOL, NULL, 0, "0" },
	{ 3, 2, K_FORMULA, "=A3+B3", 2208.5, "2208.5" }, /* the cached value */
	{ 4, 2, K_STRING, "chỉ cột C", 0, "chỉ cột C" }, /* A and B empty */
	{ 5, 0, K_STRING, "Huyện Si Ma Cai", 0, "Huyện Si Ma Cai" }, /* shared again */
};
#define ROWS 6

static char *
workbook_bytes(size_t *len)
{
	char path[] = "/tmp/giapranh-test-xlsx-XXXXXX";
	lxw_workbook *wb;
	lxw_worksheet *ws, *second;
	char *data;
	FILE *f;
	long n;
	size_t i;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "Đơn vị");
	second = workbook_add_worksheet(wb, "Khác");
	worksheet_write_string(second, 0, 0, "not read: only the first sheet", NULL);
	for (i = 0; i < N_ELEM(cells); i++) {
		const struct cell_case *c = &cells[i];
		switch (c->kind) {
		case K_STRING:
			worksheet_write_string(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
			    c->text, NULL);
			break;
		case K_NUMBER:
			worksheet_write_number(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
			    c->number, NULL);
			break;
		case K_BOOL:
			worksheet_write_boolean(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
			    (int)c->number, NULL);
			break;
		case K_FORMULA:
			worksheet_write_formula_num(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
			    c->text, NULL, c->number);
			break;
		}
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	*len = (size_t)n;
	return data;
}

static void
test_cells_as_written(void **state)
{
	struct err e = { 0 };
	size_t len, i;
	char *data = workbook_bytes(&len);
	json_t *rows = xlsx_read_rows(data, len, &e);

	(void)state;
	if (rows == NULL)
		fail_msg("xlsx_read_rows: %s", e.msg);
	assert_int_equal(json_array_size(rows), ROWS);
	for (i = 0; i < N_ELEM(cells); i++) {
		const struct cell_case *c = &cells[i];
		json_t *v = json_array_get(json_array_get(rows, (size_t)c->row), (size_t)c->col);
		if (!json_is_string(v) || strcmp(json_string_value(v), c->want) != 0)
			fail_msg("cell %d,%d: got \"%s\", want \"%s\"", c->row, c->col,
			    json_is_string(v) ? json_string_value(v) : "(none)", c->want);
	}
	/* the cells before one that was written are there, empty */
	for (i = 0; i < 2; i++)
		assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 4),
		    i)), "");
	/* a row ends with its last written cell */
	assert_int_equal(json_array_size(json_array_get(rows, 5)), 1);
	json_decref(rows);
	free(data);
}

/* What is not a readable spreadsheet is a bad request, not an empty one. */
static void
test_not_a_spreadsheet(void **state)
{
	static const struct { const char *bytes; size_t len; } bad[] = {
		{ "", 0 },
		{ "full_name,gender\nA,male\n", 24 },
		{ "PK\3\4junk", 8 },
		{ "%PDF-1.4\n", 9 },
	};
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad); i++) {
		json_t *rows = xlsx_read_rows(bad[i].bytes, bad[i].len, &e);
		if (rows != NULL)
			fail_msg("case %zu read as a spreadsheet", i);
		assert_int_equal(e.code, ERR_BAD_REQUEST);
		assert_true(e.msg[0] != '\0');
		err_clear(&e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_as_written),
		cmocka_unit_test(test_not_a_spreadsheet),
	};
	return cmocka_run_group_tests_name("xlsx_read", tests, NULL, NULL);
}
