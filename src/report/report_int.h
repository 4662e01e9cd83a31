/*
 * report_int.h - what the report renderers (report_docx.c, report_text.c,
 * report_xlsx.c, report_pdf.c) share: reading the document model of
 * report.h, and their temporary directory.  Only they include this.  Every renderer must read
 * a table the same way - the same column types, limits and cell wording -
 * or a DOCX and the HTML of one report would disagree; so the reading
 * lives once, in report_model.c.
 */
#ifndef GIAPRANH_REPORT_INT_H
#define GIAPRANH_REPORT_INT_H

#include <jansson.h>

#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"

/* ---- the model (report_model.c) ------------------------------------------ */

/* Limits the model is checked against: a renderer sizes its arrays by
 * them, so they hold for all formats alike. */
#define REPORT_COLS_MAX     64   /* columns of one table                  */
#define REPORT_SERIES_MAX   16   /* series of one chart                   */
#define REPORT_SHOWN_MAX    64   /* one formatted cell ("1.234.567,89%")  */

/* Decimals shown to a reader (DOCX, HTML); XLSX stores the figures. */
#define REPORT_DEC_NUMBER   2    /* "number" columns and chart values     */
#define REPORT_DEC_PERCENT  1    /* "percent" columns                     */

/* A column's "type"; anything unknown reads as text. */
enum col_type { COL_TEXT, COL_NUMBER, COL_PERCENT, COL_INTEGER };

struct col {
	const char *title; /* NULL when the model gives none */
	enum col_type type;
};

/* The string member key of o, or NULL (absent, not a string, o not an
 * object): the model is optional almost everywhere. */
const char *report_jstr(const json_t *o, const char *key);

/* "number", "percent", "integer"; NULL or anything else is COL_TEXT. */
enum col_type report_col_type(const char *s);

/* The columns of a table block into cols[REPORT_COLS_MAX] and *ncols; a
 * column is a title string or { "title", "type" }.  -1 with a message when
 * the table has too many. */
int report_table_cols(const json_t *table, struct col *cols, size_t *ncols,
    struct err *e);

/* 0, or -1 with a message when a chart block has more series than
 * REPORT_SERIES_MAX. */
int report_chart_check(const json_t *chart, struct err *e);

/* A cell as shown to a reader into out (REPORT_SHOWN_MAX is enough):
 * Vietnamese numbers by column type ("23.000", "184,5", "97,1%"),
 * "Có"/"Không", "–" for null.  A string is returned through *text
 * instead, out left empty: it still needs its format's escaping. */
void report_cell_shown(const json_t *v, enum col_type t, char *out,
    size_t len, const char **text);

/* s after NFC normalisation through esc (html_text, xml_text): the model
 * should already be NFC, but decomposed input renders badly in Word and
 * in some browsers.  NULL writes nothing; invalid UTF-8 writes U+FFFD. */
void report_put_nfc(struct buf *b, const char *s,
    void (*esc)(struct buf *, const char *));

/* The lines of the signature block above the signer's name (ô 7a):
 * "signature", else the older "signer_authority" and "signer_title";
 * at most max, into lines.  Returns how many. */
#define REPORT_SIGN_LINES_MAX 6
size_t report_signature(const json_t *doc, const char **lines, size_t max);

/* ---- output and files (report_model.c) -------------------------------------- */

/* 0 when out holds the whole output, else -1 with the message: out of
 * memory, or past its limit (ERR_TOO_LARGE). */
int report_out_check(struct buf *out, struct err *e);

/* Makes a private directory (mode 0700) "giapranh-<tag>-XXXXXX" in $TMPDIR
 * when that is an absolute path of sane length, else in /tmp, into
 * dir[len] (PATH_MAX_GP is enough): LibreOffice and libxlsxwriter work
 * through files, and another user must not read or replace them.  The
 * caller removes it. */
int report_tmpdir(const char *tag, char *dir, size_t len, struct err *e);

#endif
