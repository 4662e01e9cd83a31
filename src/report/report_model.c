/*
 * report_model.c - reading the report document model (report.h) for the
 * renderers: column types, table columns, cells as shown (report_int.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_int.h"
#include "text/text.h"

static const char EN_DASH[] = "\xE2\x80\x93";       /* shown for null cells */
static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* invalid UTF-8 input   */

const char *
report_jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

enum col_type
report_col_type(const char *s)
{
	if (s == NULL)
		return COL_TEXT;
	if (strcmp(s, "number") == 0)
		return COL_NUMBER;
	if (strcmp(s, "percent") == 0)
		return COL_PERCENT;
	if (strcmp(s, "integer") == 0)
		return COL_INTEGER;
	return COL_TEXT;
}

int
report_table_cols(const json_t *table, struct col *cols, size_t *ncols,
    struct err *e)
{
	const json_t *arr = json_object_get(table, "columns"), *c;
	const char *title = report_jstr(table, "title");
	size_t i;

	*ncols = 0;
	if (json_array_size(arr) > REPORT_COLS_MAX)
		return err_set(e, ERR_INVALID, "bảng \"%s\" có quá %d cột",
		    title ? title : "", REPORT_COLS_MAX);
	json_array_foreach(arr, i, c) {
		cols[i].title = json_is_string(c) ? json_string_value(c) :
		    report_jstr(c, "title");
		cols[i].type = report_col_type(report_jstr(c, "type"));
	}
	*ncols = json_array_size(arr);
	return 0;
}

int
report_chart_check(const json_t *chart, struct err *e)
{
	const char *title = report_jstr(chart, "title");

	if (json_array_size(json_object_get(chart, "series")) > REPORT_SERIES_MAX)
		return err_set(e, ERR_INVALID, "biểu đồ \"%s\" có quá %d dãy số liệu",
		    title ? title : "", REPORT_SERIES_MAX);
	return 0;
}

void
report_cell_shown(const json_t *v, enum col_type t, char *out, size_t len,
    const char **text)
{
	char num[REPORT_SHOWN_MAX - 2]; /* room for the "%" */
	double d;

	*text = NULL;
	out[0] = '\0';
	if (json_is_string(v)) {
		*text = json_string_value(v);
		return;
	}
	if (json_is_boolean(v)) {
		snprintf(out, len, "%s", json_is_true(v) ? "Có" : "Không");
		return;
	}
	if (!json_is_number(v)) {
		snprintf(out, len, "%s", EN_DASH);
		return;
	}
	d = json_number_value(v);
	switch (t) {
	case COL_PERCENT:
		report_format_number(d, REPORT_DEC_PERCENT, num, sizeof(num));
		if (isfinite(d))
			snprintf(out, len, "%s%%", num);
		else
			snprintf(out, len, "%s", num);
		break;
	case COL_INTEGER:
		report_format_number(d, 0, out, len);
		break;
	default:
		report_format_number(d, json_is_integer(v) ? 0 : REPORT_DEC_NUMBER,
		    out, len);
		break;
	}
}

void
report_put_nfc(struct buf *b, const char *s,
    void (*esc)(struct buf *, const char *))
{
	char *n = NULL;

	if (s == NULL)
		return;
	if (text_nfc(s, strlen(s), &n) != 0) {
		/* valid UTF-8 that could not be normalised (out of memory) is
		 * written as it is: stored text is NFC already */
		esc(b, text_valid_utf8(s, strlen(s)) ? s : REPLACEMENT);
		return;
	}
	esc(b, n);
	free(n);
}
