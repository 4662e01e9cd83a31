/*
 * report_docx.c - a report model (report.h) as a DOCX file in the layout of
 * its issuing body (report_layouts[]: Decree 30/2020/NĐ-CP, Appendix I,
 * shared/docs/decree30-layout.md, or the Party's HD 36,
 * docs/party-layout.md):
 * A4 portrait, margins 20/20/30/15 mm, Times New Roman, the two-column
 * header (issuer and number left, national name, motto and place-date
 * right), type name and summary centred bold, a justified 14 pt body, page
 * numbers centred in the top margin from page 2, and the two-column footer
 * (recipients left, signer right).
 *
 * The OOXML parts are written by hand into bounded buffers (every text
 * through xml_text) and zipped in memory with libzip.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "report/report.h"
#include "report/report_int.h"
#include "text/html.h"
#include "text/text.h"

/* ---- limits and measures ------------------------------------------------- */

#define PART_MAX        ((size_t)32 << 20) /* bytes of one XML part          */
#define ZIP_MTIME       1577836800 /* 2020-01-01: same input, same bytes   */

/* Page (twips; 1 mm = 56.693 twips) - decree30-layout.md §1 and §6 */
#define PAGE_W          11906 /* A4 210 mm */
#define PAGE_H          16838 /* A4 297 mm */
#define MARGIN_TOP      1134  /* 20 mm */
#define MARGIN_BOTTOM   1134  /* 20 mm */
#define MARGIN_LEFT     1701  /* 30 mm */
#define MARGIN_RIGHT    850   /* 15 mm */
#define HEADER_DIST     567   /* 10 mm: the page number sits in the margin */
#define FOOTER_DIST     567
#define CONTENT_W       9355  /* 165 mm */
#define CELL_PAD        108   /* Word's default left/right cell margin */

/* Header block widths and its sizes are the layout's (report_layouts[]);
 * Footer block: recipients / signer */
#define FOOT_LEFT_W     4253  /* 75 mm */
#define FOOT_RIGHT_W    5102  /* 90 mm */

/* Sizes in half-points, from the Appendix's sample column (§2.2) */
#define SZ_DRAFT        26    /* 13 pt bold, in a box */
#define SZ_BODY         28    /* 14 pt */
#define SZ_TABLE        24    /* 12 pt inside tables */
#define SZ_TABLE_TITLE  26    /* 13 pt bold */
#define SZ_NOTE         24    /* 12 pt italic */
#define SZ_RECIP_LABEL  24    /* 12 pt bold italic: "Nơi nhận:" */
#define SZ_RECIP        22    /* 11 pt */
#define SZ_SIGNER       28    /* 14 pt bold */
#define SZ_PAGE_NO      28    /* 14 pt */
#define SZ_RULE         4     /* the empty paragraph that carries a rule */

/* Body paragraphs: 1.27 cm first line, 6 pt apart, 1.2 lines */
#define BODY_INDENT     720
#define BODY_BEFORE     120
#define BODY_LINE       288   /* 240 = single, 360 = 1.5 lines */
#define RULE_LINE       40    /* exact height of a rule paragraph */
#define CELL_SPACE      40    /* 2 pt above and below text in table cells */
#define SIGN_GAP        1700  /* 30 mm above the name, for signature and seal */
#define ADDR_INDENT     1701  /* several addressees: under "Kính gửi:" */

/* Rules under the issuer and the summary (§2.3; the heading's rule is the
 * layout's): 2/5 of the
 * text line, estimated from the character count (Times New Roman capitals
 * average 2.66 mm at 12 pt bold, summary text 3.1 mm at 14 pt bold). */
#define ISSUER_CHAR_W   151
#define TITLE_CHAR_W    176
#define RULE_MIN_W      567   /* never shorter than 1 cm */
#define RULE_SHARE_NUM  2
#define RULE_SHARE_DEN  5

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_OFFICE "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml"

/* ---- text measures (the model is read by report_model.c) ------------------ */

/* Number of UTF-8 characters in the longest line of s. */
static size_t
longest_line(const char *s)
{
	size_t best = 0, cur = 0;

	for (; s != NULL && *s; s++) {
		if (*s == '\n') {
			cur = 0;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > best)
			best = cur;
	}
	return best;
}

/* ---- WordprocessingML pieces ------------------------------------------------ */

struct pfmt {
	const char *style;   /* a style of styles.xml instead of the fields */
	const char *jc;      /* "left", "center", "both", "right" */
	int first;           /* first-line indent */
	int ind;             /* left and right indent */
	int before, after;   /* spacing, twips */
	int line;            /* auto line spacing in 240ths, 0 = single */
	int exact;           /* exact line height, twips (rules), 0 = auto */
	int size;            /* half-points */
	bool bold, italic, underline;
	bool keep_next;      /* keep with the next paragraph */
	bool rule;           /* a bottom border: the short solid line */
	bool box;            /* a border all round (the draft mark) */
};

static void
rpr(struct buf *b, const struct pfmt *f)
{
	if (f->style != NULL)
		return;
	buf_adds(b, "<w:rPr>");
	if (f->bold)
		buf_adds(b, "<w:b/><w:bCs/>");
	if (f->italic)
		buf_adds(b, "<w:i/><w:iCs/>");
	if (f->underline)
		buf_adds(b, "<w:u w:val=\"single\"/>");
	buf_addf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>",
	    f->size, f->size);
}

static void
ppr(struct buf *b, const struct pfmt *f)
{
	if (f->style != NULL) {
		/* table cells: a style keeps big tables small */
		buf_addf(b, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", f->style);
		return;
	}
	buf_adds(b, "<w:pPr>");
	if (f->keep_next)
		buf_adds(b, "<w:keepNext/>");
	if (f->rule)
		buf_adds(b, "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" "
		    "w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
	if (f->box)
		buf_adds(b, "<w:pBdr>"
		    "<w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/>"
		    "<w:left w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"000000\"/>"
		    "<w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/>"
		    "<w:right w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"000000\"/>"
		    "</w:pBdr>");
	buf_addf(b, "<w:spacing w:before=\"%d\" w:after=\"%d\"", f->before, f->after);
	if (f->exact > 0)
		buf_addf(b, " w:line=\"%d\" w:lineRule=\"exact\"", f->exact);
	else
		buf_addf(b, " w:line=\"%d\" w:lineRule=\"auto\"",
		    f->line > 0 ? f->line : 240);
	buf_adds(b, "/>");
	if (f->first != 0 || f->ind != 0)
		buf_addf(b, "<w:ind w:left=\"%d\" w:right=\"%d\" w:firstLine=\"%d\"/>",
		    f->ind, f->ind, f->first);
	buf_addf(b, "<w:jc w:val=\"%s\"/>", f->jc != NULL ? f->jc : "left");
	rpr(b, f);
	buf_adds(b, "</w:pPr>");
}

/* A run of text (already NFC); tabs become <w:tab/>. */
static void
run(struct buf *b, const struct pfmt *f, const char *text)
{
	buf_adds(b, "<w:r>");
	rpr(b, f);
	buf_adds(b, "<w:t xml:space=\"preserve\">");
	xml_text(b, text);
	buf_adds(b, "</w:t></w:r>");
}

/* One paragraph; line breaks in text become <w:br/>. */
static void
para(struct buf *b, const struct pfmt *f, const char *text)
{
	char *n = NULL, *p, *nl;

	buf_adds(b, "<w:p>");
	ppr(b, f);
	if (text != NULL && *text != '\0') {
		if (text_nfc(text, strlen(text), &n) != 0) {
			run(b, f, REPLACEMENT);
		} else {
			for (p = n; p != NULL; p = nl) {
				nl = strchr(p, '\n');
				if (nl != NULL)
					*nl++ = '\0';
				if (p != n)
					buf_adds(b, "<w:r><w:br/></w:r>");
				if (*p != '\0')
					run(b, f, p);
			}
			free(n);
		}
	}
	buf_adds(b, "</w:p>");
}

/* Paragraphs, one per line of text (body text with line breaks). */
static void
paras(struct buf *b, const struct pfmt *f, const char *text)
{
	const char *p, *nl;
	char *line;

	for (p = text; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		size_t len;
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		line = strndup(p, len);
		if (line == NULL) {
			b->failed = true;
			return;
		}
		para(b, f, line);
		free(line);
	}
}

/* An empty paragraph whose bottom border is a centred line `len` long in
 * a space `width` wide. */
static void
rule(struct buf *b, int width, int len)
{
	struct pfmt f = { .jc = "center", .exact = RULE_LINE, .size = SZ_RULE,
		.rule = true };

	if (len > width)
		len = width;
	f.ind = (width - len) / 2;
	para(b, &f, NULL);
}

static int
rule_len(const char *text, int char_w, int width)
{
	long len = (long)longest_line(text) * char_w;

	if (len > width)
		len = width;
	len = len * RULE_SHARE_NUM / RULE_SHARE_DEN;
	return len < RULE_MIN_W ? RULE_MIN_W : (int)len;
}

static void
tbl_open(struct buf *b, const int *widths, size_t n, bool borders)
{
	static const char *const sides[] = { "top", "left", "bottom", "right",
		"insideH", "insideV" };
	int total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += widths[i];
	buf_addf(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>", total);
	if (borders)
		buf_adds(b, "<w:jc w:val=\"center\"/>");
	buf_adds(b, "<w:tblBorders>");
	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
		buf_addf(b, borders ?
		    "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" :
		    "<w:%s w:val=\"nil\"/>", sides[i]);
	buf_adds(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
	    "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" "
	    "w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>"
	    "</w:tblPr><w:tblGrid>");
	for (i = 0; i < n; i++)
		buf_addf(b, "<w:gridCol w:w=\"%d\"/>", widths[i]);
	buf_adds(b, "</w:tblGrid>");
}

static void
tc_open(struct buf *b, int width, bool vcenter)
{
	buf_addf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s</w:tcPr>",
	    width, vcenter ? "<w:vAlign w:val=\"center\"/>" : "");
}

/* ---- document.xml ----------------------------------------------------------- */

static void
doc_header(struct buf *b, const json_t *doc)
{
	const struct report_layout *l = report_layout_find(report_jstr(doc, "layout"));
	const int widths[] = { l->head_left_w, l->head_right_w };
	const int lw = l->head_left_w - 2 * CELL_PAD, rw = l->head_right_w - 2 * CELL_PAD;
	const char *issuer = report_jstr(doc, "issuer");
	struct pfmt parent = { .jc = "center", .size = l->sz_parent };
	struct pfmt iss = { .jc = "center", .size = l->sz_issuer, .bold = true };
	struct pfmt mark = { .jc = "center", .size = l->sz_issuer };
	struct pfmt nation = { .jc = "center", .size = l->sz_heading, .bold = true };
	struct pfmt motto = { .jc = "center", .size = l->sz_motto, .bold = true };
	struct pfmt number = { .jc = "center", .size = l->sz_number, .before = 80 };
	struct pfmt place = { .jc = "center", .size = l->sz_place, .italic = true,
		.before = 80 };
	struct pfmt draft = { .jc = "center", .size = SZ_DRAFT, .bold = true,
		.before = 120, .ind = 700, .box = true };

	tbl_open(b, widths, 2, false);
	/* row 1: ô 2 | ô 1 */
	buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	tc_open(b, l->head_left_w, false);
	if (report_jstr(doc, "issuer_parent") != NULL)
		para(b, &parent, report_jstr(doc, "issuer_parent"));
	para(b, &iss, issuer);
	if (l->issuer_mark != NULL) /* the Party's "*" [H36-ten] */
		para(b, &mark, l->issuer_mark);
	else
		rule(b, lw, rule_len(issuer, ISSUER_CHAR_W, lw));
	buf_adds(b, "</w:tc>");
	tc_open(b, l->head_right_w, false);
	para(b, &nation, l->heading);
	if (l->motto != NULL)
		para(b, &motto, l->motto);
	rule(b, rw, l->heading_rule_w);
	buf_adds(b, "</w:tc></w:tr>");
	/* row 2: ô 3 and ô 4 on one line */
	buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	tc_open(b, l->head_left_w, false);
	para(b, &number, report_jstr(doc, DOC_NUMBER));
	if (json_is_true(json_object_get(doc, "draft")))
		para(b, &draft, "DỰ THẢO"); /* where ô 10 marks go (§2.6) */
	buf_adds(b, "</w:tc>");
	tc_open(b, l->head_right_w, false);
	para(b, &place, report_jstr(doc, "place_date"));
	buf_adds(b, "</w:tc></w:tr></w:tbl>");
}

static void
doc_title(struct buf *b, const json_t *doc)
{
	const struct report_layout *l = report_layout_find(report_jstr(doc, "layout"));
	struct pfmt kind = { .jc = "center", .size = l->sz_kind, .bold = true,
		.before = 360, .keep_next = true };
	struct pfmt title = { .jc = "center", .size = l->sz_title, .bold = true,
		.keep_next = true };

	para(b, &kind, report_jstr(doc, DOC_KIND));
	para(b, &title, report_jstr(doc, DOC_TITLE));
	rule(b, CONTENT_W, rule_len(report_jstr(doc, DOC_TITLE), TITLE_CHAR_W,
	    CONTENT_W));
}

/* ô 9a: "Kính gửi: X." on one line; several, one per line under it,
 * "- X;" and "." after the last (D30 §2.2). */
static void
doc_addressees(struct buf *b, const json_t *doc)
{
	const json_t *to = json_object_get(doc, DOC_ADDRESSEES), *v;
	struct pfmt one = { .jc = "center", .size = SZ_BODY, .before = 240 };
	struct pfmt each = { .jc = "left", .size = SZ_BODY, .ind = ADDR_INDENT };
	struct buf line;
	size_t i, n = json_array_size(to);

	if (n == 0)
		return;
	buf_init(&line, PART_MAX);
	if (n == 1) {
		buf_addf(&line, "Kính gửi: %s.", json_string_value(json_array_get(to, 0)) ?: "");
		para(b, &one, buf_str(&line));
	} else {
		para(b, &one, "Kính gửi:");
		json_array_foreach(to, i, v) {
			buf_reset(&line);
			buf_addf(&line, "- %s%s", json_string_value(v) ?: "",
			    i + 1 < n ? ";" : ".");
			para(b, &each, buf_str(&line));
		}
	}
	buf_free(&line);
}

/* Column widths: text columns weigh 5, figures 2 (they are short). */
static void
col_widths(const struct col *cols, size_t n, int *w)
{
	int total = 0, used = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += cols[i].type == COL_TEXT ? 5 : 2;
	for (i = 0; i < n; i++) {
		w[i] = (int)((long)CONTENT_W * (cols[i].type == COL_TEXT ? 5 : 2) / total);
		used += w[i];
	}
	if (n > 0)
		w[n - 1] += CONTENT_W - used;
}

static void
table_grid(struct buf *b, const struct col *cols, size_t ncols,
    const json_t *rows, const json_t *series)
{
	int w[REPORT_COLS_MAX] = { 0 };
	char shown[REPORT_SHOWN_MAX];
	const char *text;
	struct pfmt th = { .style = "TableHead" };
	struct pfmt td = { .style = "TableText" };
	struct pfmt tn = { .style = "TableNumber" };
	const json_t *row, *v;
	size_t i, j;

	col_widths(cols, ncols, w);
	tbl_open(b, w, ncols, true);
	buf_adds(b, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
	for (j = 0; j < ncols; j++) {
		tc_open(b, w[j], true);
		para(b, &th, cols[j].title);
		buf_adds(b, "</w:tc>");
	}
	buf_adds(b, "</w:tr>");
	/* a table's rows, or a chart's labels with one value per series */
	json_array_foreach(rows, i, row) {
		buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (j = 0; j < ncols; j++) {
			if (series != NULL)
				v = j == 0 ? row : json_array_get(json_object_get(
				    json_array_get(series, j - 1), "values"), i);
			else
				v = json_array_get(row, j);
			tc_open(b, w[j], true);
			if (json_is_string(v)) {
				/* "trên 23.000" in a figure column: aligned as figures */
				para(b, cols[j].type == COL_TEXT ? &td : &tn, json_string_value(v));
			} else {
				report_cell_shown(v, cols[j].type, shown, sizeof(shown),
				    &text);
				para(b, cols[j].type == COL_TEXT && !json_is_number(v) ?
				    &td : &tn, shown);
			}
			buf_adds(b, "</w:tc>");
		}
		buf_adds(b, "</w:tr>");
	}
	buf_adds(b, "</w:tbl>");
}

static const struct pfmt caption = { .jc = "center", .size = SZ_TABLE_TITLE,
	.bold = true, .before = 240, .after = 120, .keep_next = true };
static const struct pfmt note = { .jc = "left", .size = SZ_NOTE, .italic = true,
	.before = 60 };

static int
doc_table(struct buf *b, const json_t *blk, struct err *e)
{
	struct col cols[REPORT_COLS_MAX];
	size_t ncols;

	if (report_table_cols(blk, cols, &ncols, e) != 0)
		return -1;
	if (report_jstr(blk, DOC_TITLE) != NULL)
		para(b, &caption, report_jstr(blk, DOC_TITLE));
	if (ncols > 0)
		table_grid(b, cols, ncols, json_object_get(blk, "rows"), NULL);
	if (report_jstr(blk, DOC_NOTE) != NULL)
		para(b, &note, report_jstr(blk, DOC_NOTE));
	return 0;
}

/* A chart as the table of its figures: DOCX charts need a DrawingML part
 * and an embedded workbook, and the figures are what a reader checks. */
static int
doc_chart(struct buf *b, const json_t *blk, struct err *e)
{
	struct col cols[REPORT_SERIES_MAX + 1];
	const json_t *series = json_object_get(blk, "series"), *s;
	size_t i, n = 1;

	if (report_chart_check(blk, e) != 0)
		return -1;
	cols[0].title = report_jstr(blk, "label_title") ?
	    report_jstr(blk, "label_title") : "";
	cols[0].type = COL_TEXT;
	json_array_foreach(series, i, s) {
		cols[n].title = report_jstr(s, DOC_NAME) ? report_jstr(s, DOC_NAME) : "";
		cols[n++].type = COL_NUMBER;
	}
	if (report_jstr(blk, DOC_TITLE) != NULL)
		para(b, &caption, report_jstr(blk, DOC_TITLE));
	table_grid(b, cols, n, json_object_get(blk, "labels"), series);
	return 0;
}

static int
doc_body(struct buf *b, const json_t *doc, struct err *e)
{
	struct pfmt sec_h = { .jc = "both", .first = BODY_INDENT, .size = SZ_BODY,
		.bold = true, .before = BODY_BEFORE, .line = BODY_LINE,
		.keep_next = true };
	struct pfmt body = { .jc = "both", .first = BODY_INDENT, .size = SZ_BODY,
		.before = BODY_BEFORE, .line = BODY_LINE };
	const json_t *sec, *blk;
	size_t i, j;

	if (report_jstr(doc, "opening") != NULL)
		paras(b, &body, report_jstr(doc, "opening"));
	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		if (report_jstr(sec, DOC_HEADING) != NULL)
			para(b, &sec_h, report_jstr(sec, DOC_HEADING));
		json_array_foreach(json_object_get(sec, "blocks"), j, blk) {
			const char *type = report_jstr(blk, DOC_TYPE);
			if (type == NULL)
				continue;
			if (strcmp(type, DOC_BLOCK_HEADING) == 0)
				para(b, &sec_h, report_jstr(blk, DOC_TEXT));
			else if (strcmp(type, "paragraph") == 0)
				paras(b, &body, report_jstr(blk, DOC_TEXT));
			else if (strcmp(type, "table") == 0) {
				if (doc_table(b, blk, e) != 0)
					return -1;
			} else if (strcmp(type, "chart") == 0) {
				if (doc_chart(b, blk, e) != 0)
					return -1;
			}
		}
	}
	if (report_jstr(doc, "closing") != NULL)
		paras(b, &body, report_jstr(doc, "closing"));
	return 0;
}

static void
doc_footer(struct buf *b, const json_t *doc)
{
	static const int widths[] = { FOOT_LEFT_W, FOOT_RIGHT_W };
	const struct report_layout *l = report_layout_find(report_jstr(doc, "layout"));
	struct pfmt label = { .jc = "left", .size = SZ_RECIP_LABEL, .bold = true,
		.italic = true, .underline = l->recipients_underlined };
	const char *sig[REPORT_SIGN_LINES_MAX];
	size_t nsig = report_signature(doc, sig, REPORT_SIGN_LINES_MAX), k;
	struct pfmt recip = { .jc = "left", .size = SZ_RECIP };
	struct pfmt sign = { .jc = "center", .size = SZ_SIGNER, .bold = true };
	struct pfmt name = { .jc = "center", .size = SZ_SIGNER, .bold = true,
		.before = SIGN_GAP };
	struct pfmt gap = { .size = SZ_BODY, .before = BODY_BEFORE };
	struct pfmt end = { .size = SZ_RULE, .exact = RULE_LINE };
	const json_t *recips = json_object_get(doc, DOC_RECIPIENTS), *r;
	struct buf line;
	size_t i;

	para(b, &gap, NULL);
	tbl_open(b, widths, 2, false);
	buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	tc_open(b, FOOT_LEFT_W, false);
	if (json_array_size(recips) > 0) {
		para(b, &label, "Nơi nhận:");
		buf_init(&line, PART_MAX);
		json_array_foreach(recips, i, r) {
			buf_reset(&line);
			buf_adds(&line, "- ");
			buf_adds(&line, json_string_value(r) ? json_string_value(r) : "");
			para(b, &recip, buf_str(&line));
		}
		buf_free(&line);
	} else {
		para(b, &recip, NULL); /* a cell needs a paragraph */
	}
	buf_adds(b, "</w:tc>");
	tc_open(b, FOOT_RIGHT_W, false);
	for (k = 0; k < nsig; k++) /* one line each (D30 §2.8) */
		para(b, &sign, sig[k]);
	if (nsig == 0)
		para(b, &sign, NULL);
	para(b, &name, report_jstr(doc, DOC_SIGNER_NAME));
	buf_adds(b, "</w:tc></w:tr></w:tbl>");
	/* Word wants a paragraph, not a table, to end the body; a tiny one
	 * cannot push an empty page */
	para(b, &end, NULL);
}

static int
part_document(struct buf *b, const json_t *doc, struct err *e)
{
	buf_adds(b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
	    "<w:body>");
	doc_header(b, doc);
	doc_title(b, doc);
	doc_addressees(b, doc);
	if (doc_body(b, doc, e) != 0)
		return -1;
	doc_footer(b, doc);
	buf_addf(b, "<w:sectPr>"
	    "<w:headerReference w:type=\"default\" r:id=\"rId3\"/>"
	    "<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"
	    "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
	    "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
	    "w:header=\"%d\" w:footer=\"%d\" w:gutter=\"0\"/>"
	    "<w:cols w:space=\"720\"/><w:titlePg/>"
	    "<w:docGrid w:linePitch=\"360\"/></w:sectPr></w:body></w:document>",
	    PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT,
	    HEADER_DIST, FOOTER_DIST);
	return 0;
}

/* ---- the other parts --------------------------------------------------------- */

static void
part_content_types(struct buf *b)
{
	buf_adds(b, XML_DECL
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML ".document.main+xml\"/>"
	    "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML ".styles+xml\"/>"
	    "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML ".settings+xml\"/>"
	    "<Override PartName=\"/word/header1.xml\" ContentType=\"" CT_WML ".header+xml\"/>"
	    "<Override PartName=\"/word/header2.xml\" ContentType=\"" CT_WML ".header+xml\"/>"
	    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	    "</Types>");
}

static void
part_rels(struct buf *b)
{
	buf_adds(b, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL_OFFICE "/officeDocument\" Target=\"word/document.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL_OFFICE "/extended-properties\" Target=\"docProps/app.xml\"/>"
	    "</Relationships>");
}

static void
part_document_rels(struct buf *b)
{
	buf_adds(b, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL_OFFICE "/styles\" Target=\"styles.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" REL_OFFICE "/settings\" Target=\"settings.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL_OFFICE "/header\" Target=\"header1.xml\"/>"
	    "<Relationship Id=\"rId4\" Type=\"" REL_OFFICE "/header\" Target=\"header2.xml\"/>"
	    "</Relationships>");
}

static void
part_styles(struct buf *b)
{
	buf_addf(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\">"
	    "<w:docDefaults><w:rPrDefault><w:rPr>"
	    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
	    "w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
	    "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
	    "<w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>"
	    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
	    "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
	    "</w:pPr></w:pPrDefault></w:docDefaults>"
	    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	    "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
	    "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
	    "<w:semiHidden/></w:style>"
	    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	    "<w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr>"
	    "<w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
	    "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"%d\" w:type=\"dxa\"/>"
	    "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"%d\" w:type=\"dxa\"/>"
	    "</w:tblCellMar></w:tblPr></w:style>"
	    "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/>"
	    "<w:basedOn w:val=\"Normal\"/></w:style>",
	    SZ_BODY, SZ_BODY, CELL_PAD, CELL_PAD);
	/* table cells: 12 pt, a little air above and below */
	buf_addf(b,
	    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\">"
	    "<w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr>"
	    "<w:spacing w:before=\"%d\" w:after=\"%d\"/><w:jc w:val=\"left\"/></w:pPr>"
	    "<w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>"
	    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableNumber\">"
	    "<w:name w:val=\"Table Number\"/><w:basedOn w:val=\"TableText\"/><w:pPr>"
	    "<w:jc w:val=\"right\"/></w:pPr></w:style>"
	    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableHead\">"
	    "<w:name w:val=\"Table Head\"/><w:basedOn w:val=\"TableText\"/><w:pPr>"
	    "<w:keepNext/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr>"
	    "</w:style></w:styles>", CELL_SPACE, CELL_SPACE, SZ_TABLE, SZ_TABLE);
}

static void
part_settings(struct buf *b)
{
	buf_adds(b, XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
	    "<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
	    "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
	    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	    "<w:themeFontLang w:val=\"vi-VN\"/>"
	    "</w:settings>");
}

/* The default header holds the centred page number; the first page's
 * header (titlePg) is empty: no number on page 1. */
static void
part_header(struct buf *b, bool page_number)
{
	buf_adds(b, XML_DECL "<w:hdr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
	    "<w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"center\"/></w:pPr>");
	if (page_number)
		buf_addf(b,
		    "<w:r><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "<w:fldChar w:fldCharType=\"begin\"/></w:r>"
		    "<w:r><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
		    "<w:r><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "<w:fldChar w:fldCharType=\"separate\"/></w:r>"
		    "<w:r><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "<w:t>2</w:t></w:r>"
		    "<w:r><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "<w:fldChar w:fldCharType=\"end\"/></w:r>",
		    SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO,
		    SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO, SZ_PAGE_NO);
	buf_adds(b, "</w:p></w:hdr>");
}

static void
part_core(struct buf *b, const json_t *doc)
{
	buf_adds(b, XML_DECL "<cp:coreProperties "
	    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	report_put_nfc(b, report_jstr(doc, DOC_KIND), xml_text);
	if (report_jstr(doc, DOC_KIND) != NULL && report_jstr(doc, DOC_TITLE) != NULL)
		buf_adds(b, " ");
	report_put_nfc(b, report_jstr(doc, DOC_TITLE), xml_text);
	buf_adds(b, "</dc:title><dc:creator>");
	report_put_nfc(b, report_jstr(doc, "issuer"), xml_text);
	buf_adds(b, "</dc:creator><dc:language>vi-VN</dc:language>"
	    "</cp:coreProperties>");
}

static void
part_app(struct buf *b)
{
	buf_adds(b, XML_DECL "<Properties "
	    "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
	    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
	    "<Application>giapranh</Application></Properties>");
}

/* ---- the package ------------------------------------------------------------- */

enum { P_TYPES, P_RELS, P_DOC, P_DOC_RELS, P_STYLES, P_SETTINGS, P_HDR1,
	P_HDR2, P_CORE, P_APP, P_COUNT };

static const char *const part_names[P_COUNT] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml",
	"word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
	"word/header1.xml", "word/header2.xml", "docProps/core.xml",
	"docProps/app.xml",
};

static int
zip_err(struct err *e, zip_error_t *ze, const char *what)
{
	err_set(e, ERR_INTERNAL, "không tạo được tệp DOCX (%s: %s)", what,
	    zip_error_strerror(ze));
	zip_error_fini(ze);
	return -1;
}

/* Zips the parts in memory (libzip's in-memory source) and appends the
 * archive to out. */
static int
zip_parts(struct buf *parts, struct buf *out, struct err *e)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	char chunk[65536];
	zip_int64_t idx, n;
	size_t i;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		return zip_err(e, &ze, "bộ đệm");
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(src);
		return zip_err(e, &ze, "mở");
	}
	zip_source_keep(src); /* read it back after zip_close */
	for (i = 0; i < P_COUNT; i++) {
		s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
		if (s == NULL || (idx = zip_file_add(za, part_names[i], s,
		    ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(s);
			zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
			zip_discard(za);
			zip_source_free(src);
			return zip_err(e, &ze, part_names[i]);
		}
		zip_file_set_mtime(za, (zip_uint64_t)idx, ZIP_MTIME, 0);
	}
	if (zip_close(za) < 0) {
		zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
		zip_discard(za);
		zip_source_free(src);
		return zip_err(e, &ze, "đóng");
	}
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
		zip_error_set(&ze, ZIP_ER_READ, 0);
		zip_source_free(src);
		return zip_err(e, &ze, "đọc lại");
	}
	while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	if (n < 0)
		return err_set(e, ERR_INTERNAL, "không đọc lại được tệp DOCX");
	if (buf_nomem(out))
		return err_nomem(e);
	if (buf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "tệp DOCX vượt quá kích thước cho phép");
	return 0;
}

int
report_render_docx(const json_t *doc, struct buf *out, struct err *e)
{
	struct buf parts[P_COUNT];
	int rc = -1;
	size_t i;

	if (!json_is_object(doc))
		return err_set(e, ERR_INTERNAL, "mô hình báo cáo không hợp lệ");
	for (i = 0; i < P_COUNT; i++)
		buf_init(&parts[i], PART_MAX);
	part_content_types(&parts[P_TYPES]);
	part_rels(&parts[P_RELS]);
	if (part_document(&parts[P_DOC], doc, e) != 0)
		goto done;
	part_document_rels(&parts[P_DOC_RELS]);
	part_styles(&parts[P_STYLES]);
	part_settings(&parts[P_SETTINGS]);
	part_header(&parts[P_HDR1], true);
	part_header(&parts[P_HDR2], false);
	part_core(&parts[P_CORE], doc);
	part_app(&parts[P_APP]);
	for (i = 0; i < P_COUNT; i++)
		if (buf_failed(&parts[i])) {
			if (buf_nomem(&parts[i]))
				err_nomem(e);
			else
				err_set(e, ERR_TOO_LARGE, "báo cáo vượt quá kích thước "
				    "cho phép");
			goto done;
		}
	rc = zip_parts(parts, out, e);
done:
	for (i = 0; i < P_COUNT; i++)
		buf_free(&parts[i]);
	return rc;
}
