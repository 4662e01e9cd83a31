/*
 * report.h - review reports (báo cáo sơ kết / tổng kết / định kỳ).
 *
 * A report is built in two steps:
 *   1. report_build (report_build.c) gathers the records of a scope and a
 *      period into a document model - a JSON object, described below - with
 *      every figure computed from the records;
 *   2. a renderer turns the model into DOCX (Decree 30/2020 layout), XLSX (a
 *      sheet per table, numbers as numbers), CSV, print-ready HTML, or PDF
 *      (DOCX through LibreOffice when it is installed).
 * Renderers know nothing about records; builders nothing about formats.
 *
 * The document model:
 * {
 *   "layout":        "state",                        report_layouts[] name:
 *                    state (Decree 30), party (HD 36), army (TT 92/2012)
 *   "issuer_parent": "UBND TỈNH SƠN LA",             optional, ô 2 upper line
 *   "issuer":        "ỦY BAN NHÂN DÂN\nHUYỆN SI MA CAI",  ô 2, capitals, lines
 *   "number":        "Số: 07/BC-UBND",              ô 3 ("Số:      /BC-UBND" for drafts;
 *                                                    Party "Số 125-BC/HU")
 *   "place_date":    "Si Ma Cai, ngày 31 tháng 10 năm 2023",   ô 4
 *   "kind":          "BÁO CÁO",                      ô 5a type name
 *   "title":         "Sơ kết … năm 2023",            ô 5a summary
 *   "draft":         true|false,                     drafts are marked "DỰ THẢO"
 *   "addressees":    [ "Ủy ban nhân dân tỉnh Lào Cai" ],  ô 9a "Kính gửi" (optional)
 *   "opening":       "Thực hiện …, … báo cáo … như sau:",  first body paragraph
 *   "closing":       "Trên đây là báo cáo …./.",   last body paragraph, ending
 *                    with the layout's end mark ("./." state, "." Party)
 *   "sections": [                                    ô 6 body, numbered by
 *                                                    report_number_sections
 *     { "heading": "I. KẾT QUẢ ĐẠT ĐƯỢC",
 *       "blocks": [
 *         { "type": "heading",   "text": "1. Thực hiện chỉ tiêu" },
 *         { "type": "paragraph", "text": "…" },
 *         { "type": "table", "title": "Bảng 1. …",
 *           "columns": [ { "title": "Chỉ tiêu", "type": "text" },
 *                        { "title": "Kế hoạch", "type": "number" },
 *                        { "title": "Đạt (%)", "type": "percent" } ],
 *           "rows": [ [ "Tăng trưởng", 10, 105.0 ], … ],   null = no value
 *           "note": "optional line under the table",
 *           "sheet": "3. Vụ việc theo tình trạng" },  optional XLSX sheet name
 *         { "type": "chart", "title": "…", "kind": "bar",
 *           "labels": ["…"], "series": [ { "name": "…", "values": [ … ] } ] }
 *       ] } ],
 *   "recipients": [ "Như trên;", "Lưu: VT." ],       ô 9b lines, without "- "
 *   "signature":     [ "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" ],
 *                    ô 7a, one line each (older models: "signer_authority"
 *                    and "signer_title")
 *   "signer_name":      "Hoàng Văn Dương"           ô 7b
 * }
 * Column types: "text" (string), "number" (JSON number; shown Vietnamese-style
 * 23.000 / 184,5), "percent" (JSON number 97.06 shown "97,1%"), "integer".
 */
#ifndef GIAPRANH_REPORT_H
#define GIAPRANH_REPORT_H

#include <jansson.h>

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "domain/records.h"
#include "domain/scope.h" /* struct report_scope, report_scope_parse */
#include "store/store.h"

/* ---- the model's keys (report_doc.c) ------------------------------------ */

/* The keys above that are also field or entity names, the block type
 * "heading" and the column types "number" and "text": one definition,
 * written by the builder and read by the renderers.  DOC_SIGNER_AUTHORITY
 * is the older models' key (see "signature"). */
extern const char DOC_ADDRESSEES[], DOC_AT[], DOC_HEADING[], DOC_KIND[],
    DOC_NAME[], DOC_NOTE[], DOC_NUMBER[], DOC_PERIOD[], DOC_RECIPIENTS[],
    DOC_SCOPE[], DOC_SIGNER_AUTHORITY[], DOC_SIGNER_NAME[],
    DOC_SIGNER_TITLE[], DOC_TEXT[], DOC_TITLE[], DOC_TYPE[];
extern const char DOC_BLOCK_HEADING[];
extern const char DOC_COL_NUMBER[], DOC_COL_TEXT[];

/* ---- building (report_build.c) ----------------------------------------- */

/* Build the document model of a scope and a period (a period code or as
 * written: "2023", "giai đoạn 2013-2016"; NULL = all time).  report_id > 0
 * takes the header, narrative sections, recipients and signer from that
 * report record; otherwise they are derived from the scope.  Confidential
 * incidents are counted only with clearance. */
json_t *report_build(struct store *s, const struct report_scope *scope,
    const char *period, int64_t report_id, bool clearance, struct err *e);

/* Issue a draft report: give it the next number of its issuing body's
 * register for the year of issue (never reused) and today's date.
 * Returns the updated record in *out. */
int report_issue(struct store *s, int64_t report_id, const struct actor *who,
    json_t **out, struct err *e);

/* ---- layouts (report_layout.c) ------------------------------------------ */

#define REPORT_LINE_MAX 400 /* bytes of one header or signature line */

/* What differs between the layouts a document can take; sizes in
 * half-points, widths in twips.  One row per layout, data only. */
struct report_layout {
	const char *name;         /* "state", "party", "army"                  */
	const char *heading;      /* top right, first line                     */
	const char *motto;        /* its second line; NULL none (Party)        */
	const char *issuer_mark;  /* under the issuer: NULL a short rule, "*"  */
	bool number_colon;        /* "Số:" (state) or "Số" (Party)             */
	char number_sep;          /* '/' in "07/BC-UBND", '-' in "125-BC/HU"   */
	char symbol_sep;          /* '-' in "BC-UBND", '/' in "BC/HU"          */
	const char *end_mark;     /* after the closing sentence: "./." or "."  */
	bool recipients_underlined; /* the "Nơi nhận" label                    */
	bool register_per_term;   /* numbers run from 01 in each term of the
	                           * committee (Party, party-layout.md §2.3),
	                           * else in each calendar year (D30)          */
	int head_left_w, head_right_w;
	int heading_rule_w;       /* the rule under the heading block: as long
	                           * as the motto, or the Party heading       */
	int sz_heading, sz_motto, sz_parent, sz_issuer, sz_number, sz_place,
	    sz_kind, sz_title;
};

extern const struct report_layout report_layouts[];

/* The layout of that name; the state layout for NULL or an unknown one. */
const struct report_layout *report_layout_find(const char *name);

/* A document's issuing body as its header and signature write it. */
struct report_issuer {
	const struct report_layout *layout;
	char parent[REPORT_LINE_MAX];    /* superior line, "" none            */
	char issuer[REPORT_LINE_MAX];    /* capitals; lines split by '\n'     */
	char abbr[64];                   /* "UBND", "HU", "UBKTTU"             */
	char authority[REPORT_LINE_MAX]; /* "TM. ỦY BAN NHÂN DÂN", "" none     */
	char title[REPORT_LINE_MAX];     /* "CHỦ TỊCH", "BÍ THƯ"               */
	char addressee[REPORT_LINE_MAX]; /* "Kính gửi" default, "" none        */
	char archive[REPORT_LINE_MAX];   /* the last Nơi nhận line             */
	bool place_province;             /* a Border Guard post: the province */
};

/* The layout, header lines, symbol abbreviation and default signature of
 * a body, from its organisation record and its superiors: chain[0] the
 * body, chain[1] its parent, chain[2] the parent's parent (each may be
 * NULL past n).  -1 when chain[0] has no name. */
int report_issuer_of(const json_t *const *chain, size_t n,
    struct report_issuer *out);

/* "BC-UBND" (state) or "BC/HU" (Party): a type abbreviation and the
 * issuer's. */
void report_symbol(const struct report_layout *l, const char *type,
    const struct report_issuer *is, char *buf, size_t len);

/* "Số: 07/BC-UBND", "Số 125-BC/HU"; number 0 leaves the number blank. */
void report_number_text(const struct report_layout *l, int64_t number,
    const char *symbol, char *buf, size_t len);

/* n as a Roman numeral (1..20, else decimal). */
void report_roman(size_t n, char *buf, size_t len);

/* Numbers the sections of a model as an office does (D30 §2.7): section
 * headings "I. KẾT QUẢ …" (capitals), "heading" blocks "1. …" within a
 * section, "subheading" blocks "a) …" within an item.  Headings are
 * written without numbers; sections left out leave no gap. */
void report_number_sections(json_t *doc);

/* ---- output formats ------------------------------------------------------ */
int report_render_docx(const json_t *doc, struct buf *out, struct err *e);
int report_render_xlsx(const json_t *doc, struct buf *out, struct err *e);
int report_render_csv(const json_t *doc, struct buf *out, struct err *e);
/* A whole print-ready HTML page (its own minimal CSS link /static/report.css). */
int report_render_html(const json_t *doc, struct buf *out, struct err *e);
/* DOCX converted by `soffice --headless --convert-to pdf` in a private
 * temporary directory; ERR_UNAVAILABLE when LibreOffice is not installed. */
int report_render_pdf(const json_t *doc, struct buf *out, struct err *e);

/* The renderer, content type and file extension of a format name (docx,
 * xlsx, csv, html, pdf); 0, or -1 for an unknown name. */
int report_format_find(const char *name, const char **type, const char **ext,
    int (**render)(const json_t *doc, struct buf *out, struct err *e));

/* Numbers the Vietnamese way: 23000 -> "23.000", 184.5 -> "184,5",
 * decimals at most `decimals` (trailing zeros dropped). */
void report_format_number(double v, int decimals, char *buf, size_t len);

#endif
