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
 *   "issuer_parent": "UBND TỈNH LÀO CAI",          optional, ô 2 upper line
 *   "issuer":        "UBND HUYỆN SI MA CAI",        ô 2, capitals
 *   "number":        "Số: 07/BC-UBND",              ô 3 ("Số:      /BC-UBND" for drafts)
 *   "place_date":    "Si Ma Cai, ngày 31 tháng 10 năm 2023",   ô 4
 *   "kind":          "BÁO CÁO",                      ô 5a type name
 *   "title":         "Sơ kết … năm 2023",            ô 5a summary
 *   "draft":         true|false,                     drafts are marked "DỰ THẢO"
 *   "sections": [                                    ô 6 body
 *     { "heading": "I. KẾT QUẢ ĐẠT ĐƯỢC",
 *       "blocks": [
 *         { "type": "heading",   "text": "1. Thực hiện chỉ tiêu" },
 *         { "type": "paragraph", "text": "…" },
 *         { "type": "table", "title": "Bảng 1. …",
 *           "columns": [ { "title": "Chỉ tiêu", "type": "text" },
 *                        { "title": "Kế hoạch", "type": "number" },
 *                        { "title": "Đạt (%)", "type": "percent" } ],
 *           "rows": [ [ "Tăng trưởng", 10, 105.0 ], … ],   null = no value
 *           "note": "optional line under the table" },
 *         { "type": "chart", "title": "…", "kind": "bar",
 *           "labels": ["…"], "series": [ { "name": "…", "values": [ … ] } ] }
 *       ] } ],
 *   "recipients": [ "Như trên;", "Lưu: VT." ],       ô 9b lines, without "- "
 *   "signer_authority": "TM. ỦY BAN NHÂN DÂN",       ô 7a first line (optional)
 *   "signer_title":     "CHỦ TỊCH",                 ô 7a
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

/* The keys above that are also field or entity names, and the column
 * types "number" and "text": one definition, written by the builder and
 * read by the renderers. */
extern const char DOC_AT[], DOC_KIND[], DOC_NAME[], DOC_NOTE[], DOC_NUMBER[],
    DOC_PERIOD[], DOC_RECIPIENTS[], DOC_SCOPE[], DOC_SIGNER_NAME[],
    DOC_SIGNER_TITLE[], DOC_TEXT[], DOC_TITLE[], DOC_TYPE[];
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
