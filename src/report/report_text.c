/*
 * report_text.c - the text renderers of a report model (see report.h):
 * CSV (one block per table) and a print-ready HTML page in the Decree 30
 * layout.  Numbers are formatted by report_model.c, PDF is report_pdf.c.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_int.h"
#include "text/html.h"
#include "text/text.h"

/* ---- limits ------------------------------------------------------------ */

#define CHART_LABELS_MAX     200  /* bar groups drawn in one SVG chart      */
#define CHART_COLOURS        6    /* the palette repeats after these        */
#define CHART_WIDTH          640  /* SVG user units (px at 100 %)          */
#define CHART_LABEL_W        220  /* left band for the category labels     */
#define CHART_VALUE_W        80   /* right band for the value of the max   */
#define CHART_BAR_H          14
#define CHART_BAR_GAP        2    /* between bars of one group              */
#define CHART_GROUP_GAP      10   /* between groups                         */
#define CHART_PAD            8
#define CHART_LEGEND_ROW     20
#define CHART_LABEL_CHARS    34   /* longer labels are cut with "…"        */

static const char BOM[] = "\xEF\xBB\xBF";
static const char EN_DASH[] = "\xE2\x80\x93";       /* shown for null cells */
static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* invalid UTF-8 input   */

/* The SVG palette: dark enough to print in grey scale. */
static const char *const CHART_FILLS[CHART_COLOURS] = {
	"#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#595959",
};

/* ---- lines and limits (the model is read by report_model.c) ------------- */

/* Calls fn for each non-empty line of s (NFC), so that a paragraph with
 * line breaks becomes several paragraphs. */
static void
each_line(const char *s, void (*fn)(void *, const char *), void *arg)
{
	char *n = NULL, *p, *nl;

	if (s == NULL || text_nfc(s, strlen(s), &n) != 0)
		return;
	for (p = n; p != NULL; p = nl) {
		size_t l;
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		l = strlen(p);
		if (l > 0 && p[l - 1] == '\r')
			p[--l] = '\0';
		if (l > 0)
			fn(arg, p);
	}
	free(n);
}

/* ---- CSV ----------------------------------------------------------------- */

/* One field, RFC 4180 quoting.  A text that starts like a formula gets a
 * leading apostrophe so that a spreadsheet shows it instead of running it
 * (text_formula_like: the same rule as every CSV we write, csvio.c). */
static void
csv_text(struct buf *b, const char *s)
{
	char *n = NULL;
	const char *p;
	bool quote, guard;

	if (s == NULL || *s == '\0')
		return;
	if (text_nfc(s, strlen(s), &n) != 0) {
		buf_adds(b, REPLACEMENT);
		return;
	}
	guard = text_formula_like(n);
	quote = guard || strpbrk(n, ",\"\r\n;") != NULL || n[0] == ' ' ||
	    n[strlen(n) - 1] == ' ';
	if (quote)
		buf_addc(b, '"');
	if (guard)
		buf_addc(b, '\'');
	for (p = n; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	if (quote)
		buf_addc(b, '"');
	free(n);
}

/* Numbers for machines: '.' decimal, no grouping, the shortest form that
 * reads back to the same double. */
static void
csv_number(struct buf *b, double v, enum col_type t)
{
	char s[40];

	if (!isfinite(v))
		return;
	if (v == 0) {
		buf_addc(b, '0');
		return;
	}
	if (t == COL_INTEGER) {
		buf_addf(b, "%.0f", v);
		return;
	}
	snprintf(s, sizeof(s), "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof(s), "%.17g", v);
	buf_adds(b, s);
}

static void
csv_cell(struct buf *b, const json_t *v, enum col_type t)
{
	if (json_is_string(v))
		csv_text(b, json_string_value(v));
	else if (json_is_number(v))
		csv_number(b, json_number_value(v), t);
	else if (json_is_boolean(v))
		csv_text(b, json_is_true(v) ? "Có" : "Không");
}

static int
csv_table(struct buf *b, const json_t *blk, struct err *e)
{
	struct col cols[REPORT_COLS_MAX];
	size_t ncols, i, j;
	const json_t *row, *v;

	if (report_table_cols(blk, cols, &ncols, e) != 0)
		return -1;
	csv_text(b, report_jstr(blk, DOC_TITLE));
	buf_adds(b, "\r\n");
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			buf_addc(b, ',');
		csv_text(b, cols[i].title);
	}
	buf_adds(b, "\r\n");
	json_array_foreach(json_object_get(blk, "rows"), i, row) {
		for (j = 0; j < ncols; j++) {
			if (j > 0)
				buf_addc(b, ',');
			v = json_array_get(row, j);
			csv_cell(b, v, cols[j].type);
		}
		buf_adds(b, "\r\n");
	}
	if (report_jstr(blk, DOC_NOTE) != NULL) {
		csv_text(b, report_jstr(blk, DOC_NOTE));
		buf_adds(b, "\r\n");
	}
	return 0;
}

/* A chart's data as a table: its labels down, one column per series. */
static void
csv_chart(struct buf *b, const json_t *blk)
{
	const json_t *labels = json_object_get(blk, "labels");
	const json_t *series = json_object_get(blk, "series"), *s, *lab;
	size_t i, k;

	csv_text(b, report_jstr(blk, DOC_TITLE));
	buf_adds(b, "\r\n");
	csv_text(b, report_jstr(blk, "label_title"));
	json_array_foreach(series, k, s) {
		buf_addc(b, ',');
		csv_text(b, report_jstr(s, DOC_NAME));
	}
	buf_adds(b, "\r\n");
	json_array_foreach(labels, i, lab) {
		csv_text(b, json_string_value(lab));
		json_array_foreach(series, k, s) {
			buf_addc(b, ',');
			csv_cell(b, json_array_get(json_object_get(s, "values"), i),
			    COL_NUMBER);
		}
		buf_adds(b, "\r\n");
	}
}

int
report_render_csv(const json_t *doc, struct buf *out, struct err *e)
{
	const json_t *sec, *blk;
	size_t i, j, blocks = 0;

	if (!json_is_object(doc))
		return err_set(e, ERR_INTERNAL, "mô hình báo cáo không hợp lệ");
	buf_adds(out, BOM);
	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		json_array_foreach(json_object_get(sec, "blocks"), j, blk) {
			const char *type = report_jstr(blk, DOC_TYPE);
			if (type == NULL)
				continue;
			if (strcmp(type, "table") != 0 && strcmp(type, "chart") != 0)
				continue;
			if (blocks++ > 0)
				buf_adds(out, "\r\n"); /* a blank line between blocks */
			if (strcmp(type, "table") == 0) {
				if (csv_table(out, blk, e) != 0)
					return -1;
			} else {
				csv_chart(out, blk);
			}
		}
	}
	return report_out_check(out, e);
}

/* ---- HTML ---------------------------------------------------------------- */

static void
h(struct buf *b, const char *s)
{
	report_put_nfc(b, s, html_text);
}

static void
html_para_line(void *arg, const char *line)
{
	struct buf *b = arg;

	buf_adds(b, "<p>");
	html_text(b, line);
	buf_adds(b, "</p>\n");
}

/* Text with line breaks as <br>, for header cells. */
struct br_ctx {
	struct buf *b;
	bool first;
};

static void
html_br_line(void *arg, const char *line)
{
	struct br_ctx *c = arg;

	if (!c->first)
		buf_adds(c->b, "<br>");
	c->first = false;
	html_text(c->b, line);
}

static void
html_lines(struct buf *b, const char *s)
{
	struct br_ctx c = { b, true };

	each_line(s, html_br_line, &c);
}

static int
html_table(struct buf *b, const json_t *blk, struct err *e)
{
	struct col cols[REPORT_COLS_MAX];
	char shown[REPORT_SHOWN_MAX];
	const char *text;
	size_t ncols, i, j;
	const json_t *row;

	if (report_table_cols(blk, cols, &ncols, e) != 0)
		return -1;
	buf_adds(b, "<figure class=\"report-table\">\n");
	if (report_jstr(blk, DOC_TITLE) != NULL) {
		buf_adds(b, "<figcaption>");
		h(b, report_jstr(blk, DOC_TITLE));
		buf_adds(b, "</figcaption>\n");
	}
	buf_adds(b, "<table class=\"data\">\n<thead><tr>");
	for (i = 0; i < ncols; i++) {
		buf_adds(b, "<th scope=\"col\">");
		h(b, cols[i].title);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(blk, "rows"), i, row) {
		buf_adds(b, "<tr>");
		for (j = 0; j < ncols; j++) {
			report_cell_shown(json_array_get(row, j), cols[j].type, shown,
			    sizeof(shown), &text);
			/* a figure column keeps its figures right-aligned, a
			 * qualified one ("trên 23.000") too */
			buf_adds(b, cols[j].type != COL_TEXT ?
			    "<td class=\"num\">" : "<td>");
			if (text != NULL)
				h(b, text);
			else
				buf_adds(b, shown);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody>\n</table>\n");
	if (report_jstr(blk, DOC_NOTE) != NULL) {
		buf_adds(b, "<p class=\"note\">");
		h(b, report_jstr(blk, DOC_NOTE));
		buf_adds(b, "</p>\n");
	}
	buf_adds(b, "</figure>\n");
	return 0;
}

/* Copies at most max UTF-8 characters of s into out, "…" when cut; a cut
 * never splits a character. */
static void
utf8_cut(const char *s, size_t max, char *out, size_t len)
{
	size_t chars = 0, keep;
	bool cut;

	for (keep = 0; s[keep] != '\0'; keep++)
		if (((unsigned char)s[keep] & 0xC0) != 0x80 && chars++ == max)
			break;
	cut = s[keep] != '\0';
	while (keep > 0 && keep + (cut ? strlen("…") : 0) + 1 > len) {
		keep--;
		while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
			keep--;
		cut = true;
	}
	snprintf(out, len, "%.*s%s", (int)keep, s, cut ? "…" : "");
}

static double
chart_value(const json_t *series, size_t k, size_t i, bool *ok)
{
	const json_t *v = json_array_get(json_object_get(
	    json_array_get(series, k), "values"), i);

	*ok = json_is_number(v) && isfinite(json_number_value(v));
	return *ok ? json_number_value(v) : 0;
}

/* A horizontal bar chart: long Vietnamese labels fit on the left, which
 * vertical bars would not allow.  Only presentation attributes and classes:
 * the Content-Security-Policy forbids style attributes. */
static int
html_chart(struct buf *b, const json_t *blk, struct err *e)
{
	const json_t *labels = json_object_get(blk, "labels");
	const json_t *series = json_object_get(blk, "series");
	const char *unit = report_jstr(blk, "unit");
	size_t nl = json_array_size(labels), ns = json_array_size(series), i, k;
	double lo = 0, hi = 0, span, scale, x0, v;
	int group_h, height, plot_w, y, legend_rows;
	char shown[REPORT_SHOWN_MAX], cut[CHART_LABEL_CHARS * 4 + 8];
	bool ok;

	if (report_chart_check(blk, e) != 0)
		return -1;
	if (nl > CHART_LABELS_MAX)
		nl = CHART_LABELS_MAX; /* said under the chart, see below */
	for (k = 0; k < ns; k++)
		for (i = 0; i < nl; i++) {
			v = chart_value(series, k, i, &ok);
			if (ok && v < lo)
				lo = v;
			if (ok && v > hi)
				hi = v;
		}
	span = hi - lo > 0 ? hi - lo : 1;
	plot_w = CHART_WIDTH - CHART_LABEL_W - CHART_VALUE_W;
	scale = plot_w / span;
	x0 = CHART_LABEL_W + (0 - lo) * scale;
	group_h = (int)ns * CHART_BAR_H + ((int)ns - 1) * CHART_BAR_GAP;
	if (ns == 0)
		group_h = CHART_BAR_H;
	legend_rows = ns > 1 || (ns == 1 &&
	    report_jstr(json_array_get(series, 0), DOC_NAME)) ? (int)ns : 0;
	height = CHART_PAD * 2 + (int)nl * (group_h + CHART_GROUP_GAP) +
	    legend_rows * CHART_LEGEND_ROW;

	buf_adds(b, "<figure class=\"report-chart\">\n");
	if (report_jstr(blk, DOC_TITLE) != NULL) {
		buf_adds(b, "<figcaption>");
		h(b, report_jstr(blk, DOC_TITLE));
		buf_adds(b, "</figcaption>\n");
	}
	buf_addf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"", CHART_WIDTH, height, CHART_WIDTH, height);
	h(b, report_jstr(blk, DOC_TITLE));
	buf_adds(b, "\" font-family=\"Times New Roman, Liberation Serif, serif\" "
	    "font-size=\"13\">\n");
	/* the zero axis */
	buf_addf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
	    "stroke=\"#000\" stroke-width=\"1\"/>\n", x0, CHART_PAD / 2, x0,
	    height - legend_rows * CHART_LEGEND_ROW - CHART_PAD / 2);
	for (i = 0; i < nl; i++) {
		const char *label = json_string_value(json_array_get(labels, i));
		char *nfc = NULL;
		int gy = CHART_PAD + (int)i * (group_h + CHART_GROUP_GAP);

		if (label != NULL && text_nfc(label, strlen(label), &nfc) == 0) {
			utf8_cut(nfc, CHART_LABEL_CHARS, cut, sizeof(cut));
			buf_addf(b, "<text class=\"label\" x=\"%d\" y=\"%d\" "
			    "text-anchor=\"end\" dominant-baseline=\"middle\"><title>",
			    CHART_LABEL_W - CHART_PAD, gy + group_h / 2);
			html_text(b, nfc);
			buf_adds(b, "</title>");
			html_text(b, cut);
			buf_adds(b, "</text>\n");
			free(nfc);
		}
		for (k = 0; k < ns; k++) {
			double xv, bx, bw;
			y = gy + (int)k * (CHART_BAR_H + CHART_BAR_GAP);
			v = chart_value(series, k, i, &ok);
			if (ok) {
				xv = x0 + v * scale;
				bx = xv < x0 ? xv : x0;
				bw = fabs(xv - x0);
				buf_addf(b, "<rect class=\"bar s%zu\" x=\"%.1f\" y=\"%d\" "
				    "width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
				    k, bx, y, bw, CHART_BAR_H, CHART_FILLS[k % CHART_COLOURS]);
				report_format_number(v, REPORT_DEC_NUMBER, shown, sizeof(shown));
			} else {
				xv = x0;
				snprintf(shown, sizeof(shown), "%s", EN_DASH);
			}
			buf_addf(b, "<text class=\"value\" x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"%s\" dominant-baseline=\"middle\">",
			    ok && v < 0 ? xv - 4 : xv + 4, y + CHART_BAR_H / 2,
			    ok && v < 0 ? "end" : "start");
			buf_adds(b, shown);
			if (ok && unit != NULL)
				h(b, unit);
			buf_adds(b, "</text>\n");
		}
	}
	y = height - legend_rows * CHART_LEGEND_ROW - CHART_PAD / 2;
	for (k = 0; k < (size_t)legend_rows; k++) {
		int ly = y + (int)k * CHART_LEGEND_ROW + CHART_PAD / 2;
		buf_addf(b, "<rect class=\"legend s%zu\" x=\"%d\" y=\"%d\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/><text class=\"legend\" x=\"%d\" y=\"%d\" "
		    "dominant-baseline=\"middle\">", k, CHART_LABEL_W, ly,
		    CHART_FILLS[k % CHART_COLOURS], CHART_LABEL_W + 18, ly + 6);
		h(b, report_jstr(json_array_get(series, k), DOC_NAME));
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
	if (nl < json_array_size(labels))
		buf_addf(b, "<p class=\"note\">Biểu đồ chỉ vẽ %zu trong %zu nhóm số liệu.</p>\n",
		    nl, json_array_size(labels));
	buf_adds(b, "</figure>\n");
	return 0;
}

static int
html_blocks(struct buf *b, const json_t *blocks, struct err *e)
{
	const json_t *blk;
	size_t i;

	json_array_foreach(blocks, i, blk) {
		const char *type = report_jstr(blk, DOC_TYPE);
		if (type == NULL)
			continue;
		if (strcmp(type, DOC_BLOCK_HEADING) == 0) {
			buf_adds(b, "<h3>");
			h(b, report_jstr(blk, DOC_TEXT));
			buf_adds(b, "</h3>\n");
		} else if (strcmp(type, "paragraph") == 0) {
			each_line(report_jstr(blk, DOC_TEXT), html_para_line, b);
		} else if (strcmp(type, "table") == 0) {
			if (html_table(b, blk, e) != 0)
				return -1;
		} else if (strcmp(type, "chart") == 0) {
			if (html_chart(b, blk, e) != 0)
				return -1;
		}
	}
	return 0;
}

static void
html_header(struct buf *b, const json_t *doc)
{
	const struct report_layout *l = report_layout_find(report_jstr(doc, "layout"));

	buf_addf(b, "<table class=\"nd30-head layout-%s\">\n<tr>\n<td class=\"issuer\">",
	    l->name);
	if (report_jstr(doc, "issuer_parent") != NULL) {
		buf_adds(b, "<p class=\"issuer-parent\">");
		html_lines(b, report_jstr(doc, "issuer_parent"));
		buf_adds(b, "</p>");
	}
	if (l->issuer_mark != NULL) {
		buf_adds(b, "<p class=\"issuer-name\">");
		html_lines(b, report_jstr(doc, "issuer"));
		buf_adds(b, "</p><p class=\"issuer-mark\">");
		h(b, l->issuer_mark);
		buf_adds(b, "</p>");
	} else {
		buf_adds(b, "<p class=\"issuer-name\"><span class=\"ruled-short\">");
		html_lines(b, report_jstr(doc, "issuer"));
		buf_adds(b, "</span></p>");
	}
	buf_adds(b, "</td>\n<td class=\"nation\">");
	if (l->motto != NULL) {
		buf_adds(b, "<p class=\"nation-name\">");
		h(b, l->heading);
		buf_adds(b, "</p><p class=\"motto\"><span class=\"ruled\">");
		h(b, l->motto);
		buf_adds(b, "</span></p>");
	} else {
		buf_adds(b, "<p class=\"nation-name party\"><span class=\"ruled\">");
		h(b, l->heading);
		buf_adds(b, "</span></p>");
	}
	buf_adds(b, "</td>\n</tr>\n<tr>\n<td class=\"number\">");
	h(b, report_jstr(doc, DOC_NUMBER));
	if (json_is_true(json_object_get(doc, "draft")))
		buf_adds(b, "<p class=\"draft-mark\">DỰ THẢO</p>");
	buf_adds(b, "</td>\n<td class=\"place-date\">");
	h(b, report_jstr(doc, "place_date"));
	buf_adds(b, "</td>\n</tr>\n</table>\n");
}

/* ô 9a, as report_docx.c writes it */
static void
html_addressees(struct buf *b, const json_t *doc)
{
	const json_t *to = json_object_get(doc, DOC_ADDRESSEES), *v;
	size_t i, n = json_array_size(to);

	if (n == 0)
		return;
	buf_adds(b, "<div class=\"addressees\">");
	if (n == 1) {
		buf_adds(b, "<p>Kính gửi: ");
		h(b, json_string_value(json_array_get(to, 0)));
		buf_adds(b, ".</p>");
	} else {
		buf_adds(b, "<p>Kính gửi:</p>\n<ul>\n");
		json_array_foreach(to, i, v) {
			buf_adds(b, "<li>- ");
			h(b, json_string_value(v));
			buf_adds(b, i + 1 < n ? ";</li>\n" : ".</li>\n");
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</div>\n");
}

static void
html_footer(struct buf *b, const json_t *doc)
{
	const struct report_layout *l = report_layout_find(report_jstr(doc, "layout"));
	const char *sig[REPORT_SIGN_LINES_MAX];
	size_t n = report_signature(doc, sig, REPORT_SIGN_LINES_MAX), k;
	const json_t *r;
	size_t i;

	buf_adds(b, "<table class=\"nd30-foot\">\n<tr>\n<td class=\"recipients\">");
	if (json_array_size(json_object_get(doc, DOC_RECIPIENTS)) > 0) {
		buf_addf(b, "<p class=\"label%s\">Nơi nhận:</p>\n<ul>\n",
		    l->recipients_underlined ? " underlined" : "");
		json_array_foreach(json_object_get(doc, DOC_RECIPIENTS), i, r) {
			buf_adds(b, "<li>- ");
			h(b, json_string_value(r));
			buf_adds(b, "</li>\n");
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</td>\n<td class=\"signer\">");
	for (k = 0; k < n; k++) {
		buf_addf(b, "<p class=\"%s\">", k + 1 < n ? "authority" : "position");
		h(b, sig[k]);
		buf_adds(b, "</p>");
	}
	buf_adds(b, "<p class=\"name\">");
	h(b, report_jstr(doc, DOC_SIGNER_NAME));
	buf_adds(b, "</p></td>\n</tr>\n</table>\n");
}

int
report_render_html(const json_t *doc, struct buf *out, struct err *e)
{
	const json_t *sec;
	size_t i;

	if (!json_is_object(doc))
		return err_set(e, ERR_INTERNAL, "mô hình báo cáo không hợp lệ");
	buf_adds(out, "<!doctype html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>");
	h(out, report_jstr(doc, DOC_KIND));
	if (report_jstr(doc, DOC_KIND) != NULL && report_jstr(doc, DOC_TITLE) != NULL)
		buf_adds(out, " – ");
	h(out, report_jstr(doc, DOC_TITLE));
	buf_adds(out, "</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/report.css\">\n"
	    "</head>\n<body class=\"report\">\n<main class=\"page\">\n");
	html_header(out, doc);
	buf_adds(out, "<header class=\"title\">\n<h1 class=\"kind\">");
	h(out, report_jstr(doc, DOC_KIND));
	buf_adds(out, "</h1>\n<p class=\"summary\"><span class=\"ruled-short\">");
	html_lines(out, report_jstr(doc, DOC_TITLE));
	buf_adds(out, "</span></p>\n</header>\n");
	html_addressees(out, doc);
	if (report_jstr(doc, "opening") != NULL)
		each_line(report_jstr(doc, "opening"), html_para_line, out);
	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		buf_adds(out, "<section>\n");
		if (report_jstr(sec, DOC_HEADING) != NULL) {
			buf_adds(out, "<h2>");
			h(out, report_jstr(sec, DOC_HEADING));
			buf_adds(out, "</h2>\n");
		}
		if (html_blocks(out, json_object_get(sec, "blocks"), e) != 0)
			return -1;
		buf_adds(out, "</section>\n");
	}
	if (report_jstr(doc, "closing") != NULL)
		each_line(report_jstr(doc, "closing"), html_para_line, out);
	html_footer(out, doc);
	buf_adds(out, "</main>\n</body>\n</html>\n");
	return report_out_check(out, e);
}
