/*
 * report_xlsx.c - a report model (report.h) as an XLSX workbook with
 * libxlsxwriter: a first sheet "Báo cáo" with the header fields and the
 * text, then one sheet per table (a bold header row, figures stored as
 * numbers so that they can be summed and charted) and one per chart (its
 * figures and a native chart).
 *
 * libxlsxwriter writes to a file, so the workbook goes to a private
 * temporary directory and is read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "report/report.h"
#include "report/report_int.h"
#include "text/text.h"

#define XLSX_FILE_MAX      ((size_t)64 << 20) /* bytes of the workbook       */
#define SHEETS_MAX         250   /* sheets in one workbook                   */
#define SHEET_NAME_CHARS   31    /* Excel's limit (characters, not bytes)    */
#define SHEET_NAME_BYTES   (SHEET_NAME_CHARS * 4 + 16) /* + " (k)" room */
#define CELL_CHARS_MAX     32767 /* Excel's limit for one cell               */
#define DECIMALS_MAX       2     /* decimals shown in "number" columns       */
#define FONT_NAME          "Times New Roman"
#define FONT_SIZE          12
#define TITLE_SIZE         13
#define SUMMARY_COL_W      110   /* characters: the text column of "Báo cáo" */
#define TEXT_COL_W         40
#define NUMBER_COL_W       14
#define HEADER_ROW         2     /* row of the column titles (title in 0)    */
#define PAPER_A4           9     /* worksheet_set_paper() code               */

static const char SUMMARY_SHEET[] = "Báo cáo";

struct formats {
	lxw_format *plain, *wrap, *bold, *title, *italic;
	lxw_format *th, *td, *blank, *integer, *percent;
	lxw_format *number[DECIMALS_MAX + 1];
};

struct ctx {
	lxw_workbook *wb;
	struct formats f;
	lxw_error lerr;          /* the first libxlsxwriter error */
	char *names[SHEETS_MAX]; /* folded names of the sheets, for uniqueness */
	size_t nsheets;
	int tables, charts;
	struct err *e;
};

static void
note_err(struct ctx *c, lxw_error le)
{
	if (le != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR)
		c->lerr = le;
}

/* Byte length of the first `max` UTF-8 characters of s. */
static size_t
utf8_prefix(const char *s, size_t max)
{
	size_t chars = 0, i;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			break;
	return i;
}

/* A string cell: NFC, cut to Excel's cell limit. */
static void
put_str(struct ctx *c, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col,
    const char *s, lxw_format *fmt)
{
	char *n = NULL;
	size_t len;

	if (s == NULL)
		return;
	if (text_nfc(s, strlen(s), &n) != 0) {
		note_err(c, LXW_ERROR_PARAMETER_VALIDATION);
		return;
	}
	len = utf8_prefix(n, CELL_CHARS_MAX);
	n[len] = '\0';
	note_err(c, worksheet_write_string(ws, r, col, n, fmt));
	free(n);
}

static lxw_format *
fmt_new(struct ctx *c, bool bold, int size)
{
	lxw_format *f = workbook_add_format(c->wb);

	format_set_font_name(f, FONT_NAME);
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	return f;
}

static lxw_format *
fmt_cell(struct ctx *c, const char *num_format)
{
	lxw_format *f = fmt_new(c, false, FONT_SIZE);

	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (num_format != NULL)
		format_set_num_format(f, num_format);
	else
		format_set_text_wrap(f);
	return f;
}

static void
formats_init(struct ctx *c)
{
	struct formats *f = &c->f;

	f->plain = fmt_new(c, false, FONT_SIZE);
	f->wrap = fmt_new(c, false, FONT_SIZE);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->bold = fmt_new(c, true, FONT_SIZE);
	format_set_text_wrap(f->bold);
	f->title = fmt_new(c, true, TITLE_SIZE);
	f->italic = fmt_new(c, false, FONT_SIZE);
	format_set_italic(f->italic);
	f->th = fmt_new(c, true, FONT_SIZE);
	format_set_border(f->th, LXW_BORDER_THIN);
	format_set_text_wrap(f->th);
	format_set_align(f->th, LXW_ALIGN_CENTER);
	format_set_align(f->th, LXW_ALIGN_VERTICAL_CENTER);
	f->td = fmt_cell(c, NULL);
	f->blank = fmt_cell(c, "@");
	f->integer = fmt_cell(c, "#,##0");
	f->percent = fmt_cell(c, "0.0");
	f->number[0] = fmt_cell(c, "#,##0");
	f->number[1] = fmt_cell(c, "#,##0.0");
	f->number[2] = fmt_cell(c, "#,##0.00");
}

/* ---- sheet names ---------------------------------------------------------- */

static bool
name_taken(struct ctx *c, const char *name)
{
	char *k = text_fold(name);
	size_t i;
	bool taken = false;

	/* Excel compares sheet names without case; folding also drops the
	 * diacritics, which can only make us more careful */
	for (i = 0; k != NULL && i < c->nsheets; i++)
		if (strcmp(c->names[i], k) == 0)
			taken = true;
	free(k);
	return taken;
}

/* The last space in s[0..len), or NULL. */
static char *
memrchr_space(char *s, size_t len)
{
	while (len > 0)
		if (s[--len] == ' ')
			return s + len;
	return NULL;
}

#define TABLE_WORD "Bảng "

/* A name cut short does not end on a word that leads into what was cut
 * ("… theo loại và", "… các"): those are dropped. */
static size_t
drop_dangling(char *cand, size_t cut)
{
	static const char *const words[] = { "các", "và", "theo", "của", "qua",
		"với", "cho", "trong", "về", "tại", "đã", "chưa", "được", "những",
		"từ", "đến", "hoặc", "là" };
	bool again = true;
	size_t i;

	while (again && cut > 0) {
		char *sp = memrchr_space(cand, cut);
		const char *last = sp != NULL ? sp + 1 : cand;
		again = false;
		if (sp == NULL)
			break; /* keep one word at least */
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strcmp(last, words[i]) == 0) {
				cut = (size_t)(sp - cand);
				cand[cut] = '\0';
				again = true;
				break;
			}
	}
	return cut;
}

/* A valid, unique sheet name from a title: no []:*?/\, at most 31
 * characters, not blank, no apostrophe at either end; `fallback` ("Bảng 3")
 * when the title gives none or a taken one. */
static int
sheet_name(struct ctx *c, const char *title, const char *fallback, char *out,
    size_t len)
{
	char *n = NULL, cand[SHEET_NAME_BYTES];
	size_t o = 0, i, cut;
	int k;

	if (c->nsheets >= SHEETS_MAX)
		return err_set(c->e, ERR_INVALID, "báo cáo có quá %d bảng và biểu đồ",
		    SHEETS_MAX);
	if (title != NULL && text_nfc(title, strlen(title), &n) == 0) {
		/* a forbidden character becomes a space ("tuần tra/kiểm soát"
		 * keeps its two words), runs of spaces become one */
		for (i = 0; n[i] != '\0' && o + 1 < sizeof(cand); i++) {
			char ch = n[i];
			if (strchr("[]:*?/\\", ch) != NULL || (unsigned char)ch < 0x20)
				ch = ' ';
			if (ch == ' ' && (o == 0 || cand[o - 1] == ' '))
				continue;
			cand[o++] = ch;
		}
		free(n);
	}
	cand[o] = '\0';
	/* "Bảng 3. Vụ việc …" -> "3. Vụ việc …": the tab says it is a table
	 * already, and the 31 characters go to the words */
	if (strncmp(cand, TABLE_WORD, strlen(TABLE_WORD)) == 0 &&
	    cand[strlen(TABLE_WORD)] >= '0' && cand[strlen(TABLE_WORD)] <= '9' &&
	    strstr(cand, ". ") != NULL)
		memmove(cand, cand + strlen(TABLE_WORD), strlen(cand + strlen(TABLE_WORD)) + 1);
	cut = utf8_prefix(cand, SHEET_NAME_CHARS);
	if (cand[cut] != '\0' && cand[cut] != ' ') {
		/* cut between words, never inside one; a single word longer
		 * than the limit is the only one cut */
		char *sp = memrchr_space(cand, cut);
		if (sp != NULL)
			cut = (size_t)(sp - cand);
	}
	cand[cut] = '\0';
	while (cut > 0 && (cand[cut - 1] == ' ' || cand[cut - 1] == '\''))
		cand[--cut] = '\0';
	if (cand[cut == 0 ? 0 : cut] == '\0' && strlen(cand) < o)
		cut = drop_dangling(cand, cut);
	for (i = 0; cand[i] == ' ' || cand[i] == '\''; i++)
		;
	memmove(cand, cand + i, strlen(cand + i) + 1);
	if (cand[0] == '\0' || strcmp(cand, "History") == 0 || name_taken(c, cand))
		snprintf(cand, sizeof(cand), "%s", fallback);
	for (k = 2; name_taken(c, cand); k++) {
		char suffix[16];
		int sl = snprintf(suffix, sizeof(suffix), " (%d)", k);
		cut = utf8_prefix(fallback, SHEET_NAME_CHARS - (size_t)sl);
		snprintf(cand, sizeof(cand), "%.*s%s", (int)cut, fallback, suffix);
	}
	snprintf(out, len, "%s", cand);
	c->names[c->nsheets] = text_fold(cand);
	if (c->names[c->nsheets] == NULL)
		return err_set(c->e, ERR_INTERNAL, "tên trang tính không hợp lệ");
	c->nsheets++;
	return 0;
}

static lxw_worksheet *
add_sheet(struct ctx *c, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(c->wb, name);

	if (ws == NULL) {
		note_err(c, LXW_ERROR_PARAMETER_VALIDATION);
		return NULL;
	}
	worksheet_set_paper(ws, PAPER_A4);
	return ws;
}

/* ---- tables ----------------------------------------------------------------- */

/* Decimals a figure needs (0..2) so that it does not look rounded. */
static int
num_decimals(const json_t *v)
{
	double scaled;
	int d;

	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return 0;
	scaled = json_number_value(v);
	for (d = 0; d < DECIMALS_MAX; d++, scaled *= 10)
		if (fabs(scaled - round(scaled)) < 1e-9 * (fabs(scaled) + 1))
			break;
	return d;
}

/* The decimals of a table column: the most any of its figures needs. */
static int
col_decimals(const json_t *rows, size_t j)
{
	const json_t *row;
	size_t i;
	int best = 0, d;

	json_array_foreach(rows, i, row)
		if ((d = num_decimals(json_array_get(row, j))) > best)
			best = d;
	return best;
}

/* The same for a chart series (a flat array of values). */
static int
series_decimals(const json_t *vals)
{
	const json_t *v;
	size_t i;
	int best = 0, d;

	json_array_foreach(vals, i, v)
		if ((d = num_decimals(v)) > best)
			best = d;
	return best;
}

static void
put_cell(struct ctx *c, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col,
    const json_t *v, enum col_type t, int decimals)
{
	lxw_format *f;

	if (json_is_string(v)) {
		put_str(c, ws, r, col, json_string_value(v), c->f.td);
		return;
	}
	if (json_is_boolean(v)) {
		put_str(c, ws, r, col, json_is_true(v) ? "Có" : "Không", c->f.td);
		return;
	}
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		note_err(c, worksheet_write_blank(ws, r, col, c->f.blank));
		return;
	}
	switch (t) {
	case COL_PERCENT: f = c->f.percent; break;
	case COL_INTEGER: f = c->f.integer; break;
	default: f = c->f.number[decimals]; break;
	}
	note_err(c, worksheet_write_number(ws, r, col, json_number_value(v), f));
}

static int
sheet_table(struct ctx *c, const json_t *blk, char *name, size_t namelen)
{
	const json_t *rows = json_object_get(blk, "rows"), *row;
	struct col cols[REPORT_COLS_MAX];
	int decimals[REPORT_COLS_MAX];
	char fallback[32];
	lxw_worksheet *ws;
	lxw_row_t r;
	size_t ncols, i, j;

	if (report_table_cols(blk, cols, &ncols, c->e) != 0)
		return -1;
	snprintf(fallback, sizeof(fallback), "Bảng %d", ++c->tables);
	if (sheet_name(c, report_jstr(blk, "sheet") ? report_jstr(blk, "sheet") :
	    report_jstr(blk, DOC_TITLE), fallback, name, namelen) != 0)
		return -1;
	if ((ws = add_sheet(c, name)) == NULL)
		return 0;
	put_str(c, ws, 0, 0, report_jstr(blk, DOC_TITLE), c->f.title);
	for (j = 0; j < ncols; j++) {
		const char *title = cols[j].title;
		decimals[j] = col_decimals(rows, j);
		if (cols[j].type == COL_PERCENT && (title == NULL ||
		    strchr(title, '%') == NULL)) {
			/* the cell shows 97.1, so the title must say % */
			char t[512];
			snprintf(t, sizeof(t), "%s (%%)", title ? title : "Tỷ lệ");
			put_str(c, ws, HEADER_ROW, (lxw_col_t)j, t, c->f.th);
		} else {
			put_str(c, ws, HEADER_ROW, (lxw_col_t)j, title ? title : "",
			    c->f.th);
		}
		note_err(c, worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
		    cols[j].type == COL_TEXT ? TEXT_COL_W : NUMBER_COL_W, NULL));
	}
	r = HEADER_ROW + 1;
	json_array_foreach(rows, i, row) {
		for (j = 0; j < ncols; j++)
			put_cell(c, ws, r, (lxw_col_t)j, json_array_get(row, j),
			    cols[j].type, decimals[j]);
		r++;
	}
	if (report_jstr(blk, DOC_NOTE) != NULL)
		put_str(c, ws, r + 1, 0, report_jstr(blk, DOC_NOTE), c->f.italic);
	worksheet_freeze_panes(ws, HEADER_ROW + 1, 0);
	note_err(c, worksheet_repeat_rows(ws, HEADER_ROW, HEADER_ROW));
	return 0;
}

/* ---- charts ----------------------------------------------------------------- */

static uint8_t
chart_type(const char *kind)
{
	if (kind != NULL && strcmp(kind, "column") == 0)
		return LXW_CHART_COLUMN;
	if (kind != NULL && strcmp(kind, "line") == 0)
		return LXW_CHART_LINE;
	if (kind != NULL && strcmp(kind, "pie") == 0)
		return LXW_CHART_PIE;
	return LXW_CHART_BAR; /* horizontal: long Vietnamese labels fit */
}

static int
sheet_chart(struct ctx *c, const json_t *blk, char *name, size_t namelen)
{
	const json_t *labels = json_object_get(blk, "labels");
	const json_t *series = json_object_get(blk, "series"), *lab, *s;
	size_t nl = json_array_size(labels), ns = json_array_size(series), i, k;
	char fallback[32], *title = NULL;
	int decimals[REPORT_SERIES_MAX];
	lxw_worksheet *ws;
	lxw_chart *chart;
	uint8_t type = chart_type(report_jstr(blk, DOC_KIND));

	if (report_chart_check(blk, c->e) != 0)
		return -1;
	snprintf(fallback, sizeof(fallback), "Biểu đồ %d", ++c->charts);
	if (sheet_name(c, report_jstr(blk, "sheet") ? report_jstr(blk, "sheet") :
	    report_jstr(blk, DOC_TITLE), fallback, name, namelen) != 0)
		return -1;
	if ((ws = add_sheet(c, name)) == NULL)
		return 0;
	put_str(c, ws, 0, 0, report_jstr(blk, DOC_TITLE), c->f.title);
	put_str(c, ws, HEADER_ROW, 0, report_jstr(blk, "label_title") ?
	    report_jstr(blk, "label_title") : "", c->f.th);
	note_err(c, worksheet_set_column(ws, 0, 0, TEXT_COL_W, NULL));
	for (k = 0; k < ns; k++) {
		s = json_array_get(series, k);
		put_str(c, ws, HEADER_ROW, (lxw_col_t)(k + 1), report_jstr(s, DOC_NAME) ?
		    report_jstr(s, DOC_NAME) : "", c->f.th);
		note_err(c, worksheet_set_column(ws, (lxw_col_t)(k + 1),
		    (lxw_col_t)(k + 1), NUMBER_COL_W, NULL));
	}
	for (k = 0; k < ns; k++)
		decimals[k] = series_decimals(json_object_get(
		    json_array_get(series, k), "values"));
	json_array_foreach(labels, i, lab) {
		lxw_row_t r = (lxw_row_t)(HEADER_ROW + 1 + i);
		if (json_is_string(lab))
			put_str(c, ws, r, 0, json_string_value(lab), c->f.td);
		else
			note_err(c, worksheet_write_blank(ws, r, 0, c->f.blank));
		for (k = 0; k < ns; k++) {
			const json_t *vals = json_object_get(json_array_get(series, k),
			    "values");
			put_cell(c, ws, r, (lxw_col_t)(k + 1), json_array_get(vals, i),
			    COL_NUMBER, decimals[k]);
		}
	}
	if (nl == 0 || ns == 0)
		return 0;
	if ((chart = workbook_add_chart(c->wb, type)) == NULL) {
		note_err(c, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return 0;
	}
	for (k = 0; k < ns; k++) {
		lxw_chart_series *cs = chart_add_series(chart, NULL, NULL);
		if (cs == NULL)
			continue;
		chart_series_set_categories(cs, name, HEADER_ROW + 1, 0,
		    (lxw_row_t)(HEADER_ROW + nl), 0);
		chart_series_set_values(cs, name, HEADER_ROW + 1, (lxw_col_t)(k + 1),
		    (lxw_row_t)(HEADER_ROW + nl), (lxw_col_t)(k + 1));
		chart_series_set_name_range(cs, name, HEADER_ROW, (lxw_col_t)(k + 1));
	}
	if (report_jstr(blk, DOC_TITLE) != NULL &&
	    text_nfc(report_jstr(blk, DOC_TITLE), strlen(report_jstr(blk, DOC_TITLE)),
	    &title) == 0) {
		chart_title_set_name(chart, title);
		free(title);
	}
	if (type == LXW_CHART_BAR)
		chart_axis_set_reverse(chart->y_axis); /* first label on top */
	if (ns == 1)
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	else
		chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	note_err(c, worksheet_insert_chart(ws, HEADER_ROW, (lxw_col_t)(ns + 2),
	    chart));
	return 0;
}

/* ---- the summary sheet ---------------------------------------------------------- */

static int
sheet_summary(struct ctx *c, const json_t *doc)
{
	static const char *const head[] = { "issuer_parent", "issuer", DOC_NUMBER,
		"place_date" };
	char name[SHEET_NAME_BYTES], ref[SHEET_NAME_BYTES + 600];
	const json_t *sec, *blk, *r;
	lxw_worksheet *ws;
	lxw_row_t row = 0;
	size_t i, j;

	if (sheet_name(c, SUMMARY_SHEET, SUMMARY_SHEET, name, sizeof(name)) != 0)
		return -1;
	if ((ws = add_sheet(c, name)) == NULL)
		return 0;
	note_err(c, worksheet_set_column(ws, 0, 0, SUMMARY_COL_W, c->f.wrap));
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		if (report_jstr(doc, head[i]) != NULL)
			put_str(c, ws, row++, 0, report_jstr(doc, head[i]),
			    strcmp(head[i], "issuer") == 0 ? c->f.bold : c->f.wrap);
	if (json_is_true(json_object_get(doc, "draft")))
		put_str(c, ws, row++, 0, "DỰ THẢO", c->f.bold);
	row++;
	put_str(c, ws, row++, 0, report_jstr(doc, DOC_KIND), c->f.title);
	put_str(c, ws, row++, 0, report_jstr(doc, DOC_TITLE), c->f.title);
	row++;
	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		if (report_jstr(sec, DOC_HEADING) != NULL)
			put_str(c, ws, row++, 0, report_jstr(sec, DOC_HEADING), c->f.bold);
		json_array_foreach(json_object_get(sec, "blocks"), j, blk) {
			const char *type = report_jstr(blk, DOC_TYPE);
			if (type == NULL)
				continue;
			if (strcmp(type, DOC_BLOCK_HEADING) == 0) {
				put_str(c, ws, row++, 0, report_jstr(blk, DOC_TEXT), c->f.bold);
			} else if (strcmp(type, "paragraph") == 0) {
				put_str(c, ws, row++, 0, report_jstr(blk, DOC_TEXT), c->f.wrap);
			} else if (strcmp(type, "table") == 0 ||
			    strcmp(type, "chart") == 0) {
				int rc = strcmp(type, "table") == 0 ?
				    sheet_table(c, blk, name, sizeof(name)) :
				    sheet_chart(c, blk, name, sizeof(name));
				if (rc != 0)
					return -1;
				snprintf(ref, sizeof(ref), "%.500s (xem trang tính “%s”)",
				    report_jstr(blk, DOC_TITLE) ? report_jstr(blk, DOC_TITLE) :
				    (strcmp(type, "table") == 0 ? "Bảng" : "Biểu đồ"), name);
				put_str(c, ws, row++, 0, ref, c->f.italic);
			}
		}
	}
	row++;
	if (json_array_size(json_object_get(doc, DOC_RECIPIENTS)) > 0) {
		put_str(c, ws, row++, 0, "Nơi nhận:", c->f.bold);
		json_array_foreach(json_object_get(doc, DOC_RECIPIENTS), i, r) {
			snprintf(ref, sizeof(ref), "- %s", json_string_value(r) ?
			    json_string_value(r) : "");
			put_str(c, ws, row++, 0, ref, c->f.wrap);
		}
		row++;
	}
	{
		const char *sig[REPORT_SIGN_LINES_MAX];
		size_t n = report_signature(doc, sig, REPORT_SIGN_LINES_MAX), k;
		for (k = 0; k < n; k++)
			put_str(c, ws, row++, 0, sig[k], c->f.bold);
	}
	put_str(c, ws, row++, 0, report_jstr(doc, DOC_SIGNER_NAME), c->f.bold);
	return 0;
}

/* ---- the workbook ------------------------------------------------------------- */

static int
read_back(const char *path, struct buf *out, struct err *e)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t total = 0;
	ssize_t n;

	if (fd < 0)
		return err_set(e, ERR_IO, "không đọc được tệp XLSX: %s", strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return err_set(e, ERR_IO, "không đọc được tệp XLSX: %s",
			    strerror(errno));
		}
		if ((total += (size_t)n) > XLSX_FILE_MAX)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	if (buf_nomem(out))
		return err_nomem(e);
	if (total > XLSX_FILE_MAX || buf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "tệp XLSX vượt quá kích thước cho phép");
	return 0;
}

int
report_render_xlsx(const json_t *doc, struct buf *out, struct err *e)
{
	char dir[PATH_MAX_GP], path[PATH_MAX_GP + 32];
	char *title = NULL, *author = NULL;
	lxw_workbook_options opt = { 0 };
	lxw_doc_properties props = { 0 };
	struct ctx c = { 0 };
	lxw_error le;
	size_t start = out->len, i;
	int rc = -1;

	if (!json_is_object(doc))
		return err_set(e, ERR_INTERNAL, "mô hình báo cáo không hợp lệ");
	if (report_tmpdir("xlsx", dir, sizeof(dir), e) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bao-cao.xlsx", dir);
	opt.tmpdir = dir;
	c.e = e;
	if ((c.wb = workbook_new_opt(path, &opt)) == NULL) {
		err_set(e, ERR_INTERNAL, "không tạo được tệp XLSX");
		goto cleanup;
	}
	if (report_jstr(doc, DOC_TITLE) != NULL)
		text_nfc(report_jstr(doc, DOC_TITLE), strlen(report_jstr(doc, DOC_TITLE)),
		    &title);
	if (report_jstr(doc, "issuer") != NULL)
		text_nfc(report_jstr(doc, "issuer"), strlen(report_jstr(doc, "issuer")),
		    &author);
	props.title = title;
	props.author = author;
	props.company = author;
	note_err(&c, workbook_set_properties(c.wb, &props));
	formats_init(&c);
	if (sheet_summary(&c, doc) != 0) {
		workbook_close(c.wb); /* frees it; the file is removed below */
		goto cleanup;
	}
	le = workbook_close(c.wb);
	note_err(&c, le);
	if (c.lerr != LXW_NO_ERROR) {
		err_set(e, ERR_INTERNAL, "không tạo được tệp XLSX (%s)",
		    lxw_strerror(c.lerr));
		goto cleanup;
	}
	rc = read_back(path, out, e);
cleanup:
	if (rc != 0 && !buf_failed(out) && out->len > start) {
		out->len = start;
		out->data[start] = '\0';
	}
	for (i = 0; i < c.nsheets; i++)
		free(c.names[i]);
	free(title);
	free(author);
	unlink(path);
	rmdir(dir);
	return rc;
}
