/*
 * report_model.c - reading the report document model (report.h) for the
 * renderers: column types, table columns, cells as shown, numbers the
 * Vietnamese way, the output check and the private temporary directory
 * (report_int.h): what every renderer shares, below all of them.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_int.h"
#include "text/text.h"

static const char EN_DASH[] = "\xE2\x80\x93";       /* shown for null cells */
static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* invalid UTF-8 input   */

#define NUM_DECIMALS_MAX     6    /* report_format_number clamps to this    */
#define NUM_RAW_MAX          400  /* "%.*f" of DBL_MAX: 309 digits + 8      */
#define NUM_EXACT_MAX        9007199254740992.0 /* 2^53 */
#define NUM_TIE_ULPS         16   /* a fraction this close below .5 is a
                                     decimal tie stored a hair low */

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
	if (strcmp(s, DOC_COL_NUMBER) == 0)
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
	const char *title = report_jstr(table, DOC_TITLE);
	size_t i;

	*ncols = 0;
	if (json_array_size(arr) > REPORT_COLS_MAX)
		return err_set(e, ERR_INVALID, "bảng \"%s\" có quá %d cột",
		    title ? title : "", REPORT_COLS_MAX);
	json_array_foreach(arr, i, c) {
		cols[i].title = json_is_string(c) ? json_string_value(c) :
		    report_jstr(c, DOC_TITLE);
		cols[i].type = report_col_type(report_jstr(c, DOC_TYPE));
	}
	*ncols = json_array_size(arr);
	return 0;
}

int
report_chart_check(const json_t *chart, struct err *e)
{
	const char *title = report_jstr(chart, DOC_TITLE);

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

size_t
report_signature(const json_t *doc, const char **lines, size_t max)
{
	const json_t *sig = json_object_get(doc, "signature"), *v;
	size_t i, n = 0;

	if (json_is_array(sig)) {
		json_array_foreach(sig, i, v)
			if (json_is_string(v) && n < max)
				lines[n++] = json_string_value(v);
		return n;
	}
	if (report_jstr(doc, DOC_SIGNER_AUTHORITY) != NULL && n < max)
		lines[n++] = report_jstr(doc, DOC_SIGNER_AUTHORITY);
	if (report_jstr(doc, DOC_SIGNER_TITLE) != NULL && n < max)
		lines[n++] = report_jstr(doc, DOC_SIGNER_TITLE);
	return n;
}

/* ---- numbers ------------------------------------------------------------ */

/* "%.*f" of a non-negative v, but rounding half away from zero as people
 * do ("97,05" -> "97,1"), where printf rounds the binary value (97.05 is
 * stored as 97.0499999...) and ties to even.  Returns snprintf's count. */
static int
format_rounded(double v, int decimals, char *raw, size_t len)
{
	char digits[NUM_RAW_MAX];
	double scaled = v, r, below, tol;
	size_t dl;
	int i, n;

	for (i = 0; i < decimals; i++)
		scaled *= 10;
	if (!(scaled < NUM_EXACT_MAX)) /* past 2^53 there are no fractions */
		return snprintf(raw, len, "%.*f", decimals, v);
	r = round(scaled);
	below = 0.5 - (scaled - floor(scaled));
	tol = scaled * DBL_EPSILON * NUM_TIE_ULPS;
	if (tol < 0.25 && below > 0 && below <= tol) /* big values have no ties */
		r = floor(scaled) + 1;
	n = snprintf(digits, sizeof(digits), "%0*.0f", decimals + 1, r);
	if (n < 0 || (size_t)n >= sizeof(digits))
		return -1;
	dl = (size_t)n;
	if (decimals == 0)
		return snprintf(raw, len, "%s", digits);
	return snprintf(raw, len, "%.*s.%s", (int)(dl - (size_t)decimals), digits,
	    digits + dl - (size_t)decimals);
}

void
report_format_number(double v, int decimals, char *buf, size_t len)
{
	char raw[NUM_RAW_MAX], res[NUM_RAW_MAX + NUM_RAW_MAX / 3 + 2];
	const char *dot;
	size_t intlen, fraclen, i, o = 0;
	bool zero = true;
	int n;

	if (buf == NULL || len == 0)
		return;
	if (!isfinite(v)) {
		snprintf(buf, len, "%s", len > strlen(EN_DASH) ? EN_DASH : "");
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > NUM_DECIMALS_MAX)
		decimals = NUM_DECIMALS_MAX;
	n = format_rounded(fabs(v), decimals, raw, sizeof(raw));
	if (n < 0 || (size_t)n >= sizeof(raw)) {
		buf[0] = '\0';
		return;
	}
	dot = strchr(raw, '.');
	intlen = dot != NULL ? (size_t)(dot - raw) : strlen(raw);
	fraclen = dot != NULL ? strlen(dot + 1) : 0;
	while (fraclen > 0 && dot[fraclen] == '0')
		fraclen--;
	for (i = 0; i < intlen; i++)
		if (raw[i] != '0')
			zero = false;
	if (fraclen > 0)
		zero = false;
	/* -0.04 with one decimal rounds to 0: no sign on a zero */
	if (v < 0 && !zero)
		res[o++] = '-';
	for (i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			res[o++] = '.';
		res[o++] = raw[i];
	}
	if (fraclen > 0) {
		res[o++] = ',';
		memcpy(res + o, dot + 1, fraclen);
		o += fraclen;
	}
	res[o] = '\0';
	snprintf(buf, len, "%s", res); /* ASCII only: a cut is still valid */
}

/* ---- output and files ----------------------------------------------------- */

int
report_out_check(struct buf *out, struct err *e)
{
	if (buf_nomem(out))
		return err_nomem(e);
	if (buf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "báo cáo vượt quá kích thước cho phép");
	return 0;
}

int
report_tmpdir(const char *tag, char *dir, size_t len, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (tmp == NULL || *tmp != '/' || strlen(tmp) > PATH_MAX_GP / 2)
		tmp = "/tmp";
	n = snprintf(dir, len, "%s/giapranh-%s-XXXXXX", tmp, tag);
	if (n < 0 || (size_t)n >= len)
		return err_set(e, ERR_INTERNAL, "đường dẫn thư mục tạm quá dài");
	if (mkdtemp(dir) == NULL)
		return err_set(e, ERR_IO, "không tạo được thư mục tạm: %s",
		    strerror(errno));
	return 0;
}
