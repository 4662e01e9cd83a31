/* dhis2.c - see dhis2.h.  The formats (periods, numbers, JSON, CSV and
 * ADX read and written) come first; the exchange with the store after. */
#include <csv.h>
#include <stdarg.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gplimits.h"
#include "base/utf8.h"
#include "domain/dhis2.h"
#include "domain/dhis2_keys.h"
#include "domain/records.h"
#include "domain/workflow.h"
#include "schema/record.h"
#include "text/text.h"

int
dhis2_format_by_name(const char *name, enum dhis2_format *out)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "dhis2-json") == 0)
		*out = DHIS2_JSON;
	else if (strcmp(name, "dhis2-csv") == 0)
		*out = DHIS2_CSV;
	else if (strcmp(name, "adx") == 0)
		*out = DHIS2_ADX;
	else
		return -1;
	return 0;
}

/* ---- periods ------------------------------------------------------------------ */

static void say(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* n digits at s (and no more when exact) */
static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A number of 1..max digits that is all of s, in [lo, hi]. */
static bool
small_number(const char *s, int lo, int hi)
{
	size_t n = strlen(s);
	int v;

	if (n == 0 || n > 2 || !digits(s, n))
		return false;
	v = atoi(s);
	return v >= lo && v <= hi;
}

int
dhis2_period_in(const char *pe, char *canon, size_t len, char *why, size_t whylen)
{
	static const struct { const char *infix; int lo, hi; const char *what; } other[] = {
		/* the period types of the table of §1.5 this system has no
		 * counterpart of: infix after the year, then a number */
		{ "W", 1, 53, "tuần" }, { "WedW", 1, 53, "tuần (bắt đầu thứ Tư)" },
		{ "ThuW", 1, 53, "tuần (bắt đầu thứ Năm)" },
		{ "SatW", 1, 53, "tuần (bắt đầu thứ Bảy)" },
		{ "SunW", 1, 53, "tuần (bắt đầu Chủ nhật)" },
		{ "BiW", 1, 27, "hai tuần" }, { "AprilS", 1, 2, "6 tháng bắt đầu tháng 4" },
	};
	static const char *const financial[] = { "April", "July", "Oct" };
	char year[5], buf[VI_PERIOD_CODE_MAX];
	struct vi_period vp;
	size_t n = pe != NULL ? strlen(pe) : 0, i;
	const char *rest;

	if (canon != NULL && len > 0)
		canon[0] = '\0';
	if (n < 4 || n > 16 || !digits(pe, 4) || pe[0] == '0') {
		say(why, whylen, "'%.40s' không phải kỳ DHIS2 (ví dụ 2023, 2023S1, 2023Q4, "
		    "202312)", pe ? pe : "");
		return -1;
	}
	memcpy(year, pe, 4);
	year[4] = '\0';
	rest = pe + 4;
	buf[0] = '\0';
	if (*rest == '\0')
		snprintf(buf, sizeof(buf), "%s", year);
	else if (rest[0] == 'Q' && small_number(rest + 1, 1, 4) && strlen(rest) == 2)
		snprintf(buf, sizeof(buf), "%s-Q%c", year, rest[1]);
	else if (rest[0] == 'S' && small_number(rest + 1, 1, 2) && strlen(rest) == 2)
		snprintf(buf, sizeof(buf), "%s-H%c", year, rest[1]);
	else if (strlen(rest) == 2 && small_number(rest, 1, 12))
		snprintf(buf, sizeof(buf), "%s-%s", year, rest);
	if (buf[0] != '\0') {
		if (vi_parse_period(buf, &vp) != 0 || strcmp(vp.code, buf) != 0) {
			say(why, whylen, "kỳ '%.40s' ngoài khoảng năm nhận được", pe);
			return -1;
		}
		if (canon != NULL)
			snprintf(canon, len, "%s", vp.code);
		return 0;
	}
	/* a DHIS2 period of another type: said so, not "no period" */
	if (strlen(rest) == 4 && digits(rest, 4)) {
		char d[11];
		snprintf(d, sizeof(d), "%.4s-%.2s-%.2s", pe, rest, rest + 2);
		if (vi_iso_date_valid(d)) {
			say(why, whylen, "kỳ DHIS2 '%.40s' là một ngày; hệ thống này không có kỳ "
			    "theo ngày", pe);
			return 1;
		}
	}
	if (strlen(rest) == 3 && rest[2] == 'B' && digits(rest, 2) &&
	    atoi(rest) >= 1 && atoi(rest) <= 12) {
		say(why, whylen, "kỳ DHIS2 '%.40s' là hai tháng; hệ thống này không có kỳ "
		    "hai tháng", pe);
		return 1;
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		size_t k = strlen(other[i].infix);
		if (strncmp(rest, other[i].infix, k) == 0 &&
		    small_number(rest + k, other[i].lo, other[i].hi)) {
			if (why != NULL && whylen > 0)
				snprintf(why, whylen, "kỳ DHIS2 '%.40s' là %s; hệ thống này không "
				    "có kỳ ấy", pe, other[i].what);
			return 1;
		}
	}
	for (i = 0; i < sizeof(financial) / sizeof(financial[0]); i++)
		if (strcmp(rest, financial[i]) == 0) {
			say(why, whylen, "kỳ DHIS2 '%.40s' là năm tài chính; hệ thống này chỉ "
			    "có năm dương lịch", pe);
			return 1;
		}
	say(why, whylen, "'%.40s' không phải kỳ DHIS2 (ví dụ 2023, 2023S1, 2023Q4, "
	    "202312)", pe);
	return -1;
}

int
dhis2_period_out(const char *canon, char *pe, size_t len)
{
	struct vi_period vp;
	int n;

	if (canon == NULL || vi_parse_period(canon, &vp) != 0 || strcmp(vp.code, canon) != 0)
		return -1;
	switch (vp.kind) {
	case VI_PERIOD_YEAR:
		n = snprintf(pe, len, "%04d", vp.year);
		break;
	case VI_PERIOD_HALF:
		n = snprintf(pe, len, "%04dS%d", vp.year, vp.index);
		break;
	case VI_PERIOD_QUARTER:
		n = snprintf(pe, len, "%04dQ%d", vp.year, vp.index);
		break;
	case VI_PERIOD_MONTH:
		n = snprintf(pe, len, "%04d%02d", vp.year, vp.index);
		break;
	default:
		return -1; /* "2024-9M", "2020-2025": no DHIS2 period */
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
adx_period_in(const char *adx, char *pe, size_t len, char *why, size_t whylen)
{
	char date[11];
	const char *dur;
	int y, m, d;

	if (pe != NULL && len > 0)
		pe[0] = '\0';
	if (adx == NULL || strlen(adx) < 12 || adx[10] != '/') {
		say(why, whylen, "'%.40s' không phải kỳ ADX (ngày đầu kỳ/độ dài, ví dụ "
		    "2023-10-01/P3M)", adx ? adx : "");
		return -1;
	}
	memcpy(date, adx, 10);
	date[10] = '\0';
	dur = adx + 11;
	if (!vi_iso_date_valid(date)) {
		say(why, whylen, "kỳ ADX '%.40s': ngày đầu kỳ không phải ngày YYYY-MM-DD", adx);
		return -1;
	}
	y = atoi(date);
	m = atoi(date + 5);
	d = atoi(date + 8);
	if (strcmp(dur, "P1D") == 0 || strcmp(dur, "P7D") == 0 || strcmp(dur, "P14D") == 0) {
		say(why, whylen, "kỳ ADX '%.40s' tính theo ngày hoặc tuần; hệ thống này "
		    "không có kỳ ấy", adx);
		return 1;
	}
	if (strcmp(dur, "P1M") != 0 && strcmp(dur, "P2M") != 0 && strcmp(dur, "P3M") != 0 &&
	    strcmp(dur, "P1Q") != 0 && strcmp(dur, "P6M") != 0 && strcmp(dur, "P1Y") != 0) {
		say(why, whylen, "kỳ ADX '%.40s': độ dài không nhận được (P1M, P3M, P6M, "
		    "P1Y)", adx);
		return -1;
	}
	/* each kind starts on the first day of a month */
	if (d != 1) {
		say(why, whylen, "kỳ ADX '%.40s' không bắt đầu ở ngày đầu của kỳ", adx);
		return -1;
	}
	if (strcmp(dur, "P1M") == 0)
		snprintf(pe, len, "%04d%02d", y, m);
	else if (strcmp(dur, "P2M") == 0) {
		say(why, whylen, "kỳ ADX '%.40s' là hai tháng; hệ thống này không có kỳ "
		    "hai tháng", adx);
		return 1;
	} else if (strcmp(dur, "P3M") == 0 || strcmp(dur, "P1Q") == 0) {
		/* P1Q: the quarter of DHIS2 servers of 2017 (§2.4) */
		if ((m - 1) % 3 != 0) {
			say(why, whylen, "kỳ ADX '%.40s' không bắt đầu ở ngày đầu một quý", adx);
			return -1;
		}
		snprintf(pe, len, "%04dQ%d", y, (m - 1) / 3 + 1);
	} else if (strcmp(dur, "P6M") == 0) {
		if (m == 1 || m == 7) {
			snprintf(pe, len, "%04dS%d", y, m == 1 ? 1 : 2);
		} else if (m == 4 || m == 10 || m == 11 || m == 5) {
			say(why, whylen, "kỳ ADX '%.40s' là 6 tháng không bắt đầu từ tháng 1 "
			    "hoặc 7; hệ thống này không có kỳ ấy", adx);
			return 1;
		} else {
			say(why, whylen, "kỳ ADX '%.40s' không bắt đầu ở ngày đầu một kỳ 6 "
			    "tháng", adx);
			return -1;
		}
	} else { /* P1Y */
		if (m == 1) {
			snprintf(pe, len, "%04d", y);
		} else if (m == 4 || m == 7 || m == 10 || m == 11) {
			say(why, whylen, "kỳ ADX '%.40s' là năm tài chính; hệ thống này chỉ "
			    "có năm dương lịch", adx);
			return 1;
		} else {
			say(why, whylen, "kỳ ADX '%.40s' không bắt đầu ở ngày đầu một năm", adx);
			return -1;
		}
	}
	return 0;
}

int
adx_period_out(const char *pe, char *adx, size_t len)
{
	char canon[VI_PERIOD_CODE_MAX];
	struct vi_period vp;
	const char *dur;
	int n;

	if (dhis2_period_in(pe, canon, sizeof(canon), NULL, 0) != 0 ||
	    vi_parse_period(canon, &vp) != 0)
		return -1;
	switch (vp.kind) {
	case VI_PERIOD_YEAR: dur = "P1Y"; break;
	case VI_PERIOD_HALF: dur = "P6M"; break;
	case VI_PERIOD_QUARTER: dur = "P3M"; break;
	case VI_PERIOD_MONTH: dur = "P1M"; break;
	default: return -1;
	}
	n = snprintf(adx, len, "%s/%s", vp.start, dur);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ---- numbers ------------------------------------------------------------------- */

void
dhis2_number(double v, char *buf, size_t len)
{
	char tmp[DHIS2_NUMBER_MAX];
	char *e, *end;
	int exp10, prec;

	if (len == 0)
		return;
	if (!isfinite(v)) {
		buf[0] = '\0';
		return;
	}
	if (v == 0)
		v = 0; /* no "-0" */
	if (v == floor(v) && fabs(v) < 1e17) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	/* the shortest form that reads back the same, without an exponent */
	snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	if ((e = strchr(tmp, 'e')) == NULL) {
		snprintf(buf, len, "%s", tmp);
		return;
	}
	exp10 = atoi(e + 1);
	if (exp10 >= 0) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	/* the mantissa's digits after its first, shifted right */
	prec = -exp10 - 1;
	for (end = tmp; end < e; end++)
		if (isdigit((unsigned char)*end))
			prec++;
	if (prec < 1)
		prec = 1;
	if (prec > 340)
		prec = 340;
	snprintf(tmp, sizeof(tmp), "%.*f", prec, v);
	end = tmp + strlen(tmp);
	while (end > tmp && end[-1] == '0')
		*--end = '\0';
	if (end > tmp && end[-1] == '.')
		*--end = '\0';
	snprintf(buf, len, "%s", tmp);
}

/* A value's text as a number: "12", "-3.5", "1e3"; for an indicator of
 * the yes/no kind also DHIS2's booleans (§1.2) as 1 or 0.  0, or -1. */
static __attribute__((unused)) int
value_number(const char *s, bool yesno, double *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "t", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "f", NULL };
	const char *p;
	char *end;
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	if (yesno) {
		for (i = 0; yes[i] != NULL; i++)
			if (strcmp(s, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
		for (i = 0; no[i] != NULL; i++)
			if (strcmp(s, no[i]) == 0) {
				*out = 0;
				return 0;
			}
	}
	/* strtod also reads hex, "inf", "nan" and leading blanks: not
	 * numbers as exchanged */
	for (p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out) || end == s)
		return -1;
	if (yesno && *out != 0 && *out != 1)
		return -1;
	return 0;
}

/* ---- reading: what every format shares ------------------------------------------ */

#define WHERE_MAX 96

static json_t *
value_new(size_t index, long line)
{
	return json_pack("{s:I, s:I}", DK_X_INDEX, (json_int_t)index, DK_X_LINE,
	    (json_int_t)line);
}

/* "dòng 12" or "giá trị thứ 3 (dataValues[2])": where a value is, for
 * messages. */
static void
where_of(const json_t *v, char *buf, size_t len)
{
	long line = (long)json_integer_value(json_object_get(v, DK_X_LINE));
	long index = (long)json_integer_value(json_object_get(v, DK_X_INDEX));

	if (line > 0)
		snprintf(buf, len, "dòng %ld", line);
	else
		snprintf(buf, len, "giá trị thứ %ld (%s[%ld])", index + 1, DK_DATA_VALUES,
		    index);
}

/* Copy the set's defaults into each value, and require what DHIS2
 * requires of every value (§1.2): its data element, period and org
 * unit. */
static int
complete_values(json_t *values, const json_t *set, struct err *e)
{
	static const char *const defaults[] = { DK_DATA_SET, DK_COMPLETE_DATE,
		DK_PERIOD, DK_ORG_UNIT, DK_AOC, NULL };
	static const char *const required[] = { DK_DATA_ELEMENT, DK_PERIOD, DK_ORG_UNIT,
		NULL };
	char where[WHERE_MAX];
	json_t *v, *d;
	size_t i, k;

	json_array_foreach(values, i, v) {
		for (k = 0; defaults[k] != NULL; k++)
			if (json_object_get(v, defaults[k]) == NULL &&
			    (d = json_object_get(set, defaults[k])) != NULL &&
			    json_object_set(v, defaults[k], d) != 0)
				return err_nomem(e);
		for (k = 0; required[k] != NULL; k++) {
			const char *s = json_string_value(json_object_get(v, required[k]));
			if (s == NULL || *s == '\0') {
				where_of(v, where, sizeof(where));
				return err_set(e, ERR_BAD_REQUEST, "%s: thiếu %s", where, required[k]);
			}
		}
	}
	return 0;
}

/* ---- reading JSON (§1.2) ------------------------------------------------------------ */

/* A string member of o (NULL when absent or null); -1 when it is some
 * other type. */
static int
json_text(const json_t *o, const char *key, const char **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

static int
parse_json(const char *data, size_t len, struct dhis2_input *in, struct err *e)
{
	static const char *const set_texts[] = { DK_DATA_SET, DK_COMPLETE_DATE, DK_PERIOD,
		DK_ORG_UNIT, DK_AOC, NULL };
	static const char *const set_options[] = { DK_ID_SCHEME, DK_DE_ID_SCHEME,
		DK_OU_ID_SCHEME, DK_STRATEGY, NULL };
	static const char *const value_texts[] = { DK_DATA_ELEMENT, DK_PERIOD, DK_ORG_UNIT,
		DK_COC, DK_AOC, DK_COMMENT, DK_STORED_BY, DK_CREATED, DK_LAST_UPDATED, NULL };
	json_t *root, *set = NULL, *list, *v, *out;
	const char *s;
	size_t i, k;
	int rc = -1;

	if ((root = err_json_loadb(data, len, 0, e)) == NULL)
		return -1;
	if (!json_is_object(root)) {
		err_set(e, ERR_BAD_REQUEST, "nội dung phải là một đối tượng JSON "
		    "(dataValueSet)");
		goto done;
	}
	if ((set = json_object()) == NULL)
		goto nomem;
	for (k = 0; set_texts[k] != NULL; k++) {
		if (json_text(root, set_texts[k], &s) != 0) {
			err_set(e, ERR_BAD_REQUEST, "%s phải là chuỗi", set_texts[k]);
			goto done;
		}
		if (s != NULL && *s != '\0' && json_object_set_new(set, set_texts[k],
		    json_string(s)) != 0)
			goto nomem;
	}
	for (k = 0; set_options[k] != NULL; k++) {
		if (json_text(root, set_options[k], &s) != 0) {
			err_set(e, ERR_BAD_REQUEST, "%s phải là chuỗi", set_options[k]);
			goto done;
		}
		if (s != NULL && json_object_set_new(in->options, set_options[k],
		    json_string(s)) != 0)
			goto nomem;
	}
	if ((v = json_object_get(root, DK_DRY_RUN)) != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v)) {
			err_set(e, ERR_BAD_REQUEST, "%s phải là true hoặc false", DK_DRY_RUN);
			goto done;
		}
		if (json_object_set(in->options, DK_DRY_RUN, v) != 0)
			goto nomem;
	}
	list = json_object_get(root, DK_DATA_VALUES);
	if (list != NULL && !json_is_null(list) && !json_is_array(list)) {
		err_set(e, ERR_BAD_REQUEST, "%s phải là một mảng", DK_DATA_VALUES);
		goto done;
	}
	json_array_foreach(list, i, v) {
		char where[WHERE_MAX];
		const json_t *x;
		snprintf(where, sizeof(where), "giá trị thứ %zu (%s[%zu])", i + 1,
		    DK_DATA_VALUES, i);
		if (!json_is_object(v)) {
			err_set(e, ERR_BAD_REQUEST, "%s: phải là một đối tượng", where);
			goto done;
		}
		if ((out = value_new(i, 0)) == NULL || json_array_append_new(in->values, out) != 0)
			goto nomem;
		for (k = 0; value_texts[k] != NULL; k++) {
			if (json_text(v, value_texts[k], &s) != 0) {
				err_set(e, ERR_BAD_REQUEST, "%s: %s phải là chuỗi", where,
				    value_texts[k]);
				goto done;
			}
			/* an empty identifier is no identifier; an empty comment
			 * is one (it clears the comment) */
			if (s != NULL && (*s != '\0' || strcmp(value_texts[k], DK_COMMENT) == 0) &&
			    json_object_set_new(out, value_texts[k], json_string(s)) != 0)
				goto nomem;
		}
		/* numbers travel as strings; a client that sends a number is
		 * read the same */
		x = json_object_get(v, DK_VALUE);
		if (json_is_string(x)) {
			if (json_object_set(out, DK_VALUE, (json_t *)x) != 0)
				goto nomem;
		} else if (json_is_number(x)) {
			char num[DHIS2_NUMBER_MAX];
			dhis2_number(json_number_value(x), num, sizeof(num));
			if (json_object_set_new(out, DK_VALUE, json_string(num)) != 0)
				goto nomem;
		} else if (x != NULL && !json_is_null(x)) {
			err_set(e, ERR_BAD_REQUEST, "%s: %s phải là chuỗi (số viết như \"12\")",
			    where, DK_VALUE);
			goto done;
		}
		for (k = 0; k < 2; k++) {
			const char *key = k == 0 ? DK_DELETED : DK_FOLLOWUP;
			x = json_object_get(v, key);
			if (x != NULL && !json_is_null(x) && !json_is_boolean(x)) {
				err_set(e, ERR_BAD_REQUEST, "%s: %s phải là true hoặc false", where,
				    key);
				goto done;
			}
		}
		if (json_is_true(json_object_get(v, DK_DELETED)) &&
		    json_object_set_new(out, DK_DELETED, json_true()) != 0)
			goto nomem;
	}
	rc = complete_values(in->values, set, e);
	goto done;
nomem:
	err_nomem(e);
done:
	json_decref(set);
	json_decref(root);
	return rc;
}

/* ---- reading CSV (§1.4) ------------------------------------------------------------- */

enum { C_DE, C_PE, C_OU, C_COC, C_AOC, C_VALUE, C_STORED_BY, C_LAST_UPDATED,
	C_COMMENT, C_FOLLOWUP, C_DELETED, C_COLUMNS };

struct csv_read {
	json_t *rows;         /* each row an array of its cells (strings)  */
	json_t *row;          /* the cells of the row being read          */
	bool too_big;
	bool nomem;
};

static void
csv_cell(void *cell, size_t len, void *data)
{
	struct csv_read *cr = data;

	if (cr->row == NULL && (cr->row = json_array()) == NULL) {
		cr->nomem = true;
		return;
	}
	if (len > IMPORT_FIELD_MAX) {
		cr->too_big = true;
		len = 0;
	}
	if (json_array_append_new(cr->row, json_stringn_nocheck(cell ? cell : "", len)) != 0)
		cr->nomem = true;
}

static void
csv_row_end(int c, void *data)
{
	struct csv_read *cr = data;

	(void)c;
	if (cr->row == NULL && (cr->row = json_array()) == NULL) {
		cr->nomem = true;
		return;
	}
	if ((long)json_array_size(cr->rows) >= IMPORT_ROWS_MAX) {
		cr->too_big = true;
		json_decref(cr->row);
	} else if (json_array_append_new(cr->rows, cr->row) != 0) {
		cr->nomem = true; /* the row went with the failed append */
	}
	cr->row = NULL;
}

/* The cells of one CSV row (strings) as a value. */
static int
csv_value(const json_t *cells, size_t index, long line, json_t *values,
    struct err *e)
{
	static const struct { int col; const char *key; } cols[] = {
		{ C_DE, DK_DATA_ELEMENT }, { C_PE, DK_PERIOD }, { C_OU, DK_ORG_UNIT },
		{ C_COC, DK_COC }, { C_AOC, DK_AOC }, { C_VALUE, DK_VALUE },
		{ C_COMMENT, DK_COMMENT },
	};
	size_t n = json_array_size(cells), k;
	const char *del;
	json_t *v;

	if ((v = value_new(index, line)) == NULL || json_array_append_new(values, v) != 0)
		return err_nomem(e);
	for (k = 0; k < n; k++) {
		const json_t *c = json_array_get(cells, k);
		if (!text_valid_utf8(json_string_value(c), json_string_length(c)) ||
		    strlen(json_string_value(c)) != json_string_length(c))
			return err_set(e, ERR_BAD_REQUEST, "dòng %ld, cột %zu: không phải văn "
			    "bản UTF-8", line, k + 1);
	}
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		const char *s = json_string_value(json_array_get(cells, (size_t)cols[k].col));
		if (s != NULL && *s != '\0' && json_object_set_new(v, cols[k].key,
		    json_string(s)) != 0)
			return err_nomem(e);
	}
	del = json_string_value(json_array_get(cells, C_DELETED));
	if (del != NULL && *del != '\0') {
		if (strcasecmp(del, DK_TRUE) == 0) {
			if (json_object_set_new(v, DK_DELETED, json_true()) != 0)
				return err_nomem(e);
		} else if (strcasecmp(del, DK_FALSE) != 0) {
			return err_set(e, ERR_BAD_REQUEST, "dòng %ld, cột %d (%s): phải là true "
			    "hoặc false, không phải '%.40s'", line, C_DELETED + 1, DK_DELETED, del);
		}
	}
	return 0;
}

/* Lines from data up to pos: the line a parse error is on. */
static long
line_at(const char *data, size_t pos)
{
	long line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

/* The line after the rows read (each row a line, and its cells' quoted
 * line breaks). */
static long
rows_end(const json_t *rows)
{
	const json_t *row, *cell;
	long line = 1;
	size_t i, k;

	json_array_foreach(rows, i, row) {
		line++;
		json_array_foreach(row, k, cell) {
			const char *c = json_string_value(cell);
			for (; (c = strchr(c, '\n')) != NULL; c++)
				line++;
		}
	}
	return line;
}

static int
parse_csv(const char *data, size_t len, bool header, struct dhis2_input *in,
    struct err *e)
{
	struct csv_read cr = { json_array(), NULL, false, false };
	struct csv_parser p;
	json_t *row, *cell;
	size_t done, i, k, index = 0;
	long line = 1;
	int rc = 0;

	if (cr.rows == NULL || csv_init(&p, CSV_APPEND_NULL | CSV_STRICT |
	    CSV_STRICT_FINI) != 0) {
		json_decref(cr.rows);
		return err_nomem(e);
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	done = csv_parse(&p, data, len, csv_cell, csv_row_end, &cr);
	if (done != len) {
		rc = csv_error(&p) == CSV_ENOMEM || cr.nomem ? err_nomem(e) :
		    err_set(e, ERR_BAD_REQUEST, "tệp CSV sai định dạng ở dòng %ld: %s",
		    line_at(data, done), csv_strerror(csv_error(&p)));
	} else if (csv_fini(&p, csv_cell, csv_row_end, &cr) != 0) {
		/* the text ended inside a quoted cell: the row that opened it */
		rc = csv_error(&p) == CSV_ENOMEM || cr.nomem ? err_nomem(e) :
		    err_set(e, ERR_BAD_REQUEST, "tệp CSV sai định dạng: dấu nháy mở ở dòng "
		    "%ld không đóng", rows_end(cr.rows));
	} else if (cr.nomem) {
		rc = err_nomem(e);
	} else if (cr.too_big) {
		rc = err_set(e, ERR_TOO_LARGE, "tệp CSV quá lớn (ô dài quá %d byte hoặc "
		    "quá %d dòng)", IMPORT_FIELD_MAX, IMPORT_ROWS_MAX);
	}
	csv_free(&p);
	json_decref(cr.row);
	json_array_foreach(cr.rows, i, row) {
		const char *first = json_string_value(json_array_get(row, 0));
		long here = line;
		/* the next row starts after this one's line breaks, quoted
		 * ones inside its cells too */
		line++;
		json_array_foreach(row, k, cell) {
			const char *c = json_string_value(cell);
			for (; (c = strchr(c, '\n')) != NULL; c++)
				line++;
		}
		if (rc != 0)
			break;
		if (i == 0 && header)
			continue;
		/* a blank line is no value */
		if (json_array_size(row) <= 1 && (first == NULL || *first == '\0'))
			continue;
		if (json_array_size(row) < 3) {
			rc = err_set(e, ERR_BAD_REQUEST, "dòng %ld: cần ít nhất 3 cột "
			    "(dataelement, period, orgunit), có %zu", here,
			    json_array_size(row));
			break;
		}
		rc = csv_value(row, index++, here, in->values, e);
	}
	json_decref(cr.rows);
	if (rc == 0)
		rc = complete_values(in->values, NULL, e);
	return rc;
}

/* ---- reading ADX (§2.2) ----------------------------------------------------------- *
 *
 * A small strict XML reader for the one shape ADX has: <adx> of <group>s
 * of <dataValue>s, each with an optional <annotation> (its content
 * skipped).  Attributes are read with the five predefined entities and
 * character references; a DOCTYPE (and so any other entity) is refused. */

struct xml {
	const char *p, *end;
	const char *line_pos;  /* line counted up to here          */
	long line;
	char prefix[64];       /* the ADX namespace's prefix, or "" */
	struct err *e;
};

struct xtag {
	const char *name;      /* qualified name, not NUL-terminated */
	size_t nlen;
	json_t *attrs;         /* qualified name -> decoded value    */
	bool empty;            /* <x ... />                          */
	bool close;            /* </x>                               */
	long line;
};

static long
xml_line(struct xml *x, const char *at)
{
	for (; x->line_pos < at; x->line_pos++)
		if (*x->line_pos == '\n')
			x->line++;
	return x->line;
}

static int xml_fail(struct xml *x, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
xml_fail(struct xml *x, const char *at, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (x->e != NULL && x->e->code == ERR_NO_MEMORY)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(x->e, ERR_BAD_REQUEST, "ADX, dòng %ld: %s", xml_line(x, at), msg);
}

static bool
name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

static bool
starts(const struct xml *x, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(x->end - x->p) >= n && memcmp(x->p, s, n) == 0;
}

static void
skip_ws(struct xml *x)
{
	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' ||
	    *x->p == '\r'))
		x->p++;
}

/* Past the next `until` (a comment's "-->", a PI's "?>"): 0, or -1. */
static int
skip_past(struct xml *x, const char *until, const char *what)
{
	const char *at = x->p;
	size_t n = strlen(until);

	for (; x->p + n <= x->end; x->p++)
		if (memcmp(x->p, until, n) == 0) {
			x->p += n;
			return 0;
		}
	return xml_fail(x, at, "%s không đóng", what);
}

/* Whitespace, comments and processing instructions between elements;
 * at the next '<' of an element, or the end.  Text there is refused. */
static int
skip_misc(struct xml *x)
{
	for (;;) {
		skip_ws(x);
		if (x->p >= x->end)
			return 0;
		if (starts(x, "<!--")) {
			if (skip_past(x, "-->", "chú thích <!--") != 0)
				return -1;
		} else if (starts(x, "<?")) {
			if (skip_past(x, "?>", "chỉ thị <?") != 0)
				return -1;
		} else if (starts(x, "<!")) {
			return xml_fail(x, x->p, "không nhận DOCTYPE, CDATA hay khai báo <! "
			    "ở đây");
		} else if (*x->p != '<') {
			return xml_fail(x, x->p, "có văn bản ngoài các thẻ: '%.20s'", x->p);
		} else {
			return 0;
		}
	}
}

/* Append the UTF-8 of code point c. */
static void
put_utf8(struct buf *b, unsigned long c)
{
	char u[4];

	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		buf_add(b, u, 4);
	}
}

/* An attribute value [s, s+n) with its references decoded into b. */
static int
xml_decode(struct xml *x, const char *s, size_t n, struct buf *b)
{
	static const struct { const char *ref; char c; } named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' },
		{ "apos;", '\'' },
	};
	const char *end = s + n, *semi;
	size_t i;

	while (s < end) {
		if (*s == '<')
			return xml_fail(x, s, "'<' trong giá trị thuộc tính");
		if (*s != '&') {
			/* XML normalises a line break or tab in a value to a space */
			buf_addc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
			s++;
			continue;
		}
		s++;
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			size_t k = strlen(named[i].ref);
			if ((size_t)(end - s) >= k && memcmp(s, named[i].ref, k) == 0) {
				buf_addc(b, named[i].c);
				s += k;
				break;
			}
		}
		if (i < sizeof(named) / sizeof(named[0]))
			continue;
		semi = memchr(s, ';', (size_t)(end - s));
		if (*s == '#' && semi != NULL && semi - s >= 2 && semi - s <= 9) {
			unsigned long c = 0;
			bool hex = s[1] == 'x';
			const char *d;
			for (d = s + 1 + hex; d < semi; d++) {
				int v = isdigit((unsigned char)*d) ? *d - '0' :
				    hex && isxdigit((unsigned char)*d) ? tolower((unsigned char)*d) - 'a' + 10
				    : -1;
				if (v < 0)
					break;
				c = c * (hex ? 16 : 10) + (unsigned long)v;
			}
			if (d == semi && d > s + 1 + hex && c != 0 && c <= 0x10FFFF &&
			    !(c >= 0xD800 && c <= 0xDFFF) && (c >= 0x20 || c == 9 ||
			    c == 10 || c == 13)) {
				put_utf8(b, c);
				s = semi + 1;
				continue;
			}
		}
		return xml_fail(x, s - 1, "tham chiếu '&%.10s' không nhận được", s);
	}
	return 0;
}

/* The tag at '<': name and attributes (a close tag has none). */
static int
xml_tag(struct xml *x, struct xtag *t)
{
	struct buf b;
	const char *n;

	memset(t, 0, sizeof(*t));
	t->line = xml_line(x, x->p);
	x->p++; /* '<' */
	if (x->p < x->end && *x->p == '/') {
		t->close = true;
		x->p++;
	}
	for (n = x->p; x->p < x->end && name_char((unsigned char)*x->p); x->p++)
		;
	if (x->p == n || isdigit((unsigned char)*n) || *n == '-' || *n == '.')
		return xml_fail(x, n, "tên thẻ không hợp lệ");
	t->name = n;
	t->nlen = (size_t)(x->p - n);
	if ((t->attrs = json_object()) == NULL)
		return err_nomem(x->e);
	buf_init(&b, IMPORT_FIELD_MAX);
	for (;;) {
		const char *an, *v;
		size_t alen;
		char name[128], q;
		skip_ws(x);
		if (x->p >= x->end) {
			buf_free(&b);
			return xml_fail(x, x->p, "thẻ <%.*s> không đóng", (int)t->nlen, t->name);
		}
		if (*x->p == '>') {
			x->p++;
			break;
		}
		if (!t->close && *x->p == '/' && x->p + 1 < x->end && x->p[1] == '>') {
			t->empty = true;
			x->p += 2;
			break;
		}
		if (t->close) {
			buf_free(&b);
			return xml_fail(x, x->p, "thẻ đóng </%.*s> có thêm nội dung",
			    (int)t->nlen, t->name);
		}
		for (an = x->p; x->p < x->end && name_char((unsigned char)*x->p); x->p++)
			;
		alen = (size_t)(x->p - an);
		if (alen == 0 || alen >= sizeof(name)) {
			buf_free(&b);
			return xml_fail(x, an, "thuộc tính không hợp lệ trong thẻ <%.*s>",
			    (int)t->nlen, t->name);
		}
		memcpy(name, an, alen);
		name[alen] = '\0';
		skip_ws(x);
		if (x->p >= x->end || *x->p != '=') {
			buf_free(&b);
			return xml_fail(x, x->p, "thuộc tính %s thiếu '='", name);
		}
		x->p++;
		skip_ws(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\'')) {
			buf_free(&b);
			return xml_fail(x, x->p, "giá trị của %s phải trong dấu nháy", name);
		}
		q = *x->p++;
		for (v = x->p; x->p < x->end && *x->p != q; x->p++)
			;
		if (x->p >= x->end) {
			buf_free(&b);
			return xml_fail(x, v, "giá trị của %s không đóng", name);
		}
		buf_reset(&b);
		if (xml_decode(x, v, (size_t)(x->p - v), &b) != 0) {
			buf_free(&b);
			return -1;
		}
		x->p++;
		if (buf_failed(&b)) {
			bool nomem = buf_nomem(&b);
			buf_free(&b);
			return nomem ? err_nomem(x->e) : xml_fail(x, v, "giá trị của %s quá dài",
			    name);
		}
		if (json_object_get(t->attrs, name) != NULL) {
			buf_free(&b);
			return xml_fail(x, an, "thuộc tính %s lặp lại", name);
		}
		if (json_object_set_new(t->attrs, name, json_string(buf_str(&b))) != 0) {
			buf_free(&b);
			return err_nomem(x->e);
		}
	}
	buf_free(&b);
	return 0;
}

/* Is t the ADX element `local` (in the namespace's prefix)? */
static bool
is_el(const struct xml *x, const struct xtag *t, const char *local)
{
	size_t pl = strlen(x->prefix), ll = strlen(local);

	if (pl == 0)
		return t->nlen == ll && memcmp(t->name, local, ll) == 0;
	return t->nlen == pl + 1 + ll && memcmp(t->name, x->prefix, pl) == 0 &&
	    t->name[pl] == ':' && memcmp(t->name + pl + 1, local, ll) == 0;
}

/* Skip an element's content up to its close tag (an annotation's: any
 * text and elements). */
static int
skip_content(struct xml *x, const struct xtag *open)
{
	struct xtag t;
	int depth = 0;

	for (;;) {
		while (x->p < x->end && *x->p != '<')
			x->p++;
		if (x->p >= x->end)
			return xml_fail(x, x->p, "thẻ <%.*s> không đóng", (int)open->nlen,
			    open->name);
		if (starts(x, "<!--")) {
			if (skip_past(x, "-->", "chú thích <!--") != 0)
				return -1;
			continue;
		}
		if (starts(x, "<![CDATA[")) {
			if (skip_past(x, "]]>", "CDATA") != 0)
				return -1;
			continue;
		}
		if (starts(x, "<?")) {
			if (skip_past(x, "?>", "chỉ thị <?") != 0)
				return -1;
			continue;
		}
		if (starts(x, "<!"))
			return xml_fail(x, x->p, "không nhận DOCTYPE hay khai báo <!");
		if (xml_tag(x, &t) != 0) {
			json_decref(t.attrs);
			return -1;
		}
		json_decref(t.attrs);
		if (t.close && depth == 0) {
			if (t.nlen != open->nlen || memcmp(t.name, open->name, t.nlen) != 0)
				return xml_fail(x, x->p, "thẻ đóng </%.*s> không khớp <%.*s>",
				    (int)t.nlen, t.name, (int)open->nlen, open->name);
			return 0;
		}
		if (t.close)
			depth--;
		else if (!t.empty)
			depth++;
	}
}

/* Attributes of an ADX element other than `known`, in no namespace: the
 * disaggregations DHIS2 reads exploded (§2.2), which this system has no
 * counterpart of.  Their names, comma-separated, into buf ("" if none). */
static void
extra_attrs(const json_t *attrs, const char *const *known, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t i, n = 0;

	buf[0] = '\0';
	json_object_foreach((json_t *)attrs, k, v) {
		if (strchr(k, ':') != NULL || strcmp(k, ADX_XMLNS) == 0)
			continue;
		for (i = 0; known[i] != NULL && strcmp(known[i], k) != 0; i++)
			;
		if (known[i] == NULL && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", k);
	}
}

static int
adx_group(struct xml *x, struct xtag *g, struct dhis2_input *in, struct err *e)
{
	static const char *const group_known[] = { DK_ORG_UNIT, DK_PERIOD, DK_DATA_SET,
		DK_COMPLETE_DATE, DK_AOC, NULL };
	static const char *const value_known[] = { DK_DATA_ELEMENT, DK_VALUE, DK_COC, NULL };
	char pe[DHIS2_PERIOD_MAX], why[DHIS2_WHY_MAX], gextra[200], vextra[200];
	const char *period, *key;
	json_t *v, *a;
	struct xtag t;
	int pk;
	size_t k;

	for (k = 0; k < 2; k++) {
		key = k == 0 ? DK_ORG_UNIT : DK_PERIOD;
		if (json_string_value(json_object_get(g->attrs, key)) == NULL ||
		    *json_string_value(json_object_get(g->attrs, key)) == '\0') {
			return err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: <%s> thiếu thuộc "
			    "tính %s", g->line, ADX_GROUP, key);
		}
	}
	period = json_string_value(json_object_get(g->attrs, DK_PERIOD));
	pk = adx_period_in(period, pe, sizeof(pe), why, sizeof(why));
	if (pk < 0)
		return err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: %s", g->line, why);
	extra_attrs(g->attrs, group_known, gextra, sizeof(gextra));
	while (!g->empty) {
		if (skip_misc(x) != 0)
			return -1;
		if (x->p >= x->end)
			return xml_fail(x, x->p, "thẻ <%s> không đóng", ADX_GROUP);
		if (xml_tag(x, &t) != 0) {
			json_decref(t.attrs);
			return -1;
		}
		if (t.close) {
			json_decref(t.attrs);
			if (!is_el(x, &t, ADX_GROUP))
				return xml_fail(x, x->p, "thẻ đóng </%.*s> không khớp <%s>",
				    (int)t.nlen, t.name, ADX_GROUP);
			break;
		}
		if (!is_el(x, &t, ADX_DATA_VALUE)) {
			json_decref(t.attrs);
			return err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: trong <%s> chỉ có "
			    "<%s>, không có <%.*s>", t.line, ADX_GROUP, ADX_DATA_VALUE,
			    (int)t.nlen, t.name);
		}
		for (k = 0; k < 2; k++) {
			const char *s;
			key = k == 0 ? DK_DATA_ELEMENT : DK_VALUE;
			s = json_string_value(json_object_get(t.attrs, key));
			if (s == NULL || (k == 0 && *s == '\0')) {
				long line = t.line;
				json_decref(t.attrs);
				return err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: <%s> thiếu thuộc "
				    "tính %s", line, ADX_DATA_VALUE, key);
			}
		}
		if ((v = value_new(json_array_size(in->values), t.line)) == NULL ||
		    json_array_append_new(in->values, v) != 0) {
			json_decref(t.attrs);
			return err_nomem(e);
		}
		/* the group's identifiers, then the value's own */
		for (k = 0; group_known[k] != NULL; k++)
			if ((a = json_object_get(g->attrs, group_known[k])) != NULL &&
			    json_object_set(v, group_known[k], a) != 0) {
				json_decref(t.attrs);
				return err_nomem(e);
			}
		for (k = 0; value_known[k] != NULL; k++)
			if ((a = json_object_get(t.attrs, value_known[k])) != NULL &&
			    json_object_set(v, value_known[k], a) != 0) {
				json_decref(t.attrs);
				return err_nomem(e);
			}
		extra_attrs(t.attrs, value_known, vextra, sizeof(vextra));
		/* the period as a DHIS2 id; one with no counterpart here stays as
		 * written, a conflict of the value */
		if (pk == 0 && json_object_set_new(v, DK_PERIOD, json_string(pe)) != 0) {
			json_decref(t.attrs);
			return err_nomem(e);
		}
		if (pk > 0 && (json_object_set_new(v, DK_X_PROBLEM, json_string(why)) != 0 ||
		    json_object_set_new(v, DK_X_PROPERTY, json_string(DK_PERIOD)) != 0)) {
			json_decref(t.attrs);
			return err_nomem(e);
		}
		if (pk == 0 && (gextra[0] != '\0' || vextra[0] != '\0') &&
		    json_object_get(v, DK_COC) == NULL) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "phân tổ theo thuộc tính %s%s%s: hệ thống này "
			    "chỉ nhận %s (bảng mã trao đổi)", gextra, gextra[0] && vextra[0] ?
			    ", " : "", vextra, DK_COC);
			if (json_object_set_new(v, DK_X_PROBLEM, json_string(msg)) != 0 ||
			    json_object_set_new(v, DK_X_PROPERTY, json_string(DK_COC)) != 0) {
				json_decref(t.attrs);
				return err_nomem(e);
			}
		}
		json_decref(t.attrs);
		if (!t.empty) {
			/* only annotations inside a value; their content skipped
			 * (DHIS2 puts a text value there: §2.2) */
			for (;;) {
				struct xtag c;
				if (skip_misc(x) != 0)
					return -1;
				if (x->p >= x->end)
					return xml_fail(x, x->p, "thẻ <%s> không đóng", ADX_DATA_VALUE);
				if (xml_tag(x, &c) != 0) {
					json_decref(c.attrs);
					return -1;
				}
				json_decref(c.attrs);
				if (c.close) {
					if (!is_el(x, &c, ADX_DATA_VALUE))
						return xml_fail(x, x->p, "thẻ đóng </%.*s> không khớp <%s>",
						    (int)c.nlen, c.name, ADX_DATA_VALUE);
					break;
				}
				if (!is_el(x, &c, ADX_ANNOTATION))
					return err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: trong <%s> "
					    "chỉ có <%s>", c.line, ADX_DATA_VALUE, ADX_ANNOTATION);
				if (!c.empty && skip_content(x, &c) != 0)
					return -1;
			}
		}
	}
	return 0;
}

static int
parse_adx(const char *data, size_t len, struct dhis2_input *in, struct err *e)
{
	struct xml x = { data, data + len, data, 1, "", e };
	struct xtag root, t;
	const char *colon, *ns;
	char nsattr[80];
	int rc = -1;

	memset(&root, 0, sizeof(root));
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		x.p += 3;
	if (skip_misc(&x) != 0)
		return -1;
	if (x.p >= x.end)
		return err_set(e, ERR_BAD_REQUEST, "ADX rỗng: cần phần tử gốc <%s>", ADX_ROOT);
	if (xml_tag(&x, &root) != 0)
		goto done;
	colon = memchr(root.name, ':', root.nlen);
	if (colon != NULL) {
		size_t pl = (size_t)(colon - root.name);
		if (pl >= sizeof(x.prefix))
			pl = sizeof(x.prefix) - 1;
		memcpy(x.prefix, root.name, pl);
		x.prefix[pl] = '\0';
	}
	snprintf(nsattr, sizeof(nsattr), "%s%s%s", ADX_XMLNS, x.prefix[0] ? ":" : "",
	    x.prefix);
	ns = json_string_value(json_object_get(root.attrs, nsattr));
	if (root.close || !is_el(&x, &root, ADX_ROOT) || ns == NULL ||
	    strcmp(ns, ADX_NAMESPACE) != 0) {
		err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: phần tử gốc phải là <%s "
		    "xmlns=\"%s\">", root.line, ADX_ROOT, ADX_NAMESPACE);
		goto done;
	}
	while (!root.empty) {
		if (skip_misc(&x) != 0)
			goto done;
		if (x.p >= x.end) {
			xml_fail(&x, x.p, "thẻ <%s> không đóng", ADX_ROOT);
			goto done;
		}
		if (xml_tag(&x, &t) != 0) {
			json_decref(t.attrs);
			goto done;
		}
		if (t.close) {
			json_decref(t.attrs);
			if (!is_el(&x, &t, ADX_ROOT)) {
				xml_fail(&x, x.p, "thẻ đóng </%.*s> không khớp <%s>", (int)t.nlen,
				    t.name, ADX_ROOT);
				goto done;
			}
			break;
		}
		if (!is_el(&x, &t, ADX_GROUP)) {
			err_set(e, ERR_BAD_REQUEST, "ADX, dòng %ld: trong <%s> chỉ có <%s>, "
			    "không có <%.*s>", t.line, ADX_ROOT, ADX_GROUP, (int)t.nlen, t.name);
			json_decref(t.attrs);
			goto done;
		}
		rc = adx_group(&x, &t, in, e);
		json_decref(t.attrs);
		if (rc != 0)
			goto done;
		rc = -1;
	}
	if (skip_misc(&x) != 0)
		goto done;
	if (x.p < x.end) {
		xml_fail(&x, x.p, "có nội dung sau </%s>", ADX_ROOT);
		goto done;
	}
	rc = complete_values(in->values, NULL, e);
done:
	json_decref(root.attrs);
	return rc;
}

int
dhis2_parse(enum dhis2_format f, const char *data, size_t len,
    bool first_row_is_header, struct dhis2_input *in, struct err *e)
{
	int rc;

	in->values = json_array();
	in->options = json_object();
	if (in->values == NULL || in->options == NULL) {
		dhis2_input_free(in);
		return err_nomem(e);
	}
	if (!text_valid_utf8(data, len) || memchr(data, '\0', len) != NULL) {
		dhis2_input_free(in);
		return err_set(e, ERR_BAD_REQUEST, "nội dung không phải văn bản UTF-8");
	}
	rc = f == DHIS2_JSON ? parse_json(data, len, in, e) :
	    f == DHIS2_CSV ? parse_csv(data, len, first_row_is_header, in, e) :
	    parse_adx(data, len, in, e);
	if (rc != 0)
		dhis2_input_free(in);
	return rc;
}

void
dhis2_input_free(struct dhis2_input *in)
{
	json_decref(in->values);
	json_decref(in->options);
	in->values = in->options = NULL;
}

/* ---- writing ----------------------------------------------------------------------- */

/* A JSON string (quoted, escaped as jansson escapes). */
static void
put_json_string(struct buf *b, const char *s)
{
	json_t *j = json_string(s);
	char *text = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	if (text == NULL) {
		/* out of memory: spoil the buffer, the caller checks it */
		buf_init(b, 0);
		buf_addc(b, 'x');
	} else {
		buf_adds(b, text);
	}
	free(text);
	json_decref(j);
}

/* The value every element of values has for key, or NULL when one has
 * none or another. */
static const char *
common(const json_t *values, const char *key)
{
	const char *first = NULL, *s;
	const json_t *v;
	size_t i;

	json_array_foreach(values, i, v) {
		s = json_string_value(json_object_get(v, key));
		if (s == NULL || (first != NULL && strcmp(s, first) != 0))
			return NULL;
		first = s;
	}
	return first;
}

static void
write_json(const json_t *values, struct buf *out)
{
	/* DHIS2's order of the set's fields and of a value's (its JSON
	 * writer), each written once on the set when every value has it */
	static const char *const set_keys[] = { DK_DATA_SET, DK_COMPLETE_DATE, DK_PERIOD,
		DK_ORG_UNIT, NULL };
	static const char *const value_keys[] = { DK_DATA_ELEMENT, DK_PERIOD, DK_ORG_UNIT,
		DK_COC, DK_AOC, DK_VALUE, DK_COMMENT, NULL };
	const char *hoisted[4] = { NULL, NULL, NULL, NULL };
	const json_t *v;
	size_t i, k, j;

	buf_adds(out, "{\n");
	for (k = 0; set_keys[k] != NULL; k++) {
		if ((hoisted[k] = common(values, set_keys[k])) == NULL)
			continue;
		buf_addf(out, "  \"%s\": ", set_keys[k]);
		put_json_string(out, hoisted[k]);
		buf_adds(out, ",\n");
	}
	buf_addf(out, "  \"%s\": [", DK_DATA_VALUES);
	json_array_foreach(values, i, v) {
		bool first = true;
		buf_adds(out, i == 0 ? "\n    { " : ",\n    { ");
		for (k = 0; value_keys[k] != NULL; k++) {
			const char *s = json_string_value(json_object_get(v, value_keys[k]));
			if (s == NULL)
				continue;
			for (j = 0; set_keys[j] != NULL; j++)
				if (hoisted[j] != NULL && strcmp(set_keys[j], value_keys[k]) == 0)
					break;
			if (set_keys[j] != NULL)
				continue; /* written on the set */
			buf_addf(out, "%s\"%s\": ", first ? "" : ", ", value_keys[k]);
			put_json_string(out, s);
			first = false;
		}
		if (json_is_true(json_object_get(v, DK_DELETED)))
			buf_addf(out, "%s\"%s\": true", first ? "" : ", ", DK_DELETED);
		buf_adds(out, " }");
	}
	buf_adds(out, json_array_size(values) > 0 ? "\n  ]\n}\n" : "]\n}\n");
}

static void
put_csv_cell(struct buf *b, const char *s, bool last)
{
	buf_addc(b, '"');
	for (; s != NULL && *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_adds(b, last ? "\"\n" : "\",");
}

static void
write_csv(const json_t *values, struct buf *out)
{
	const json_t *v;
	size_t i;

	buf_adds(out, DK_CSV_HEADER);
	json_array_foreach(values, i, v) {
		put_csv_cell(out, json_string_value(json_object_get(v, DK_DATA_ELEMENT)), false);
		put_csv_cell(out, json_string_value(json_object_get(v, DK_PERIOD)), false);
		put_csv_cell(out, json_string_value(json_object_get(v, DK_ORG_UNIT)), false);
		put_csv_cell(out, json_string_value(json_object_get(v, DK_COC)), false);
		put_csv_cell(out, json_string_value(json_object_get(v, DK_AOC)), false);
		put_csv_cell(out, json_string_value(json_object_get(v, DK_VALUE)), false);
		put_csv_cell(out, NULL, false); /* storedby */
		put_csv_cell(out, NULL, false); /* lastupdated */
		put_csv_cell(out, json_string_value(json_object_get(v, DK_COMMENT)), false);
		put_csv_cell(out, DK_FALSE, false); /* followup */
		put_csv_cell(out, json_is_true(json_object_get(v, DK_DELETED)) ? DK_TRUE :
		    DK_FALSE, true);
	}
}

/* An attribute: name="value", escaped (line breaks and tabs as character
 * references, so that they read back as written). */
static void
put_attr(struct buf *b, const char *name, const char *s)
{
	buf_addf(b, " %s=\"", name);
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\t': buf_adds(b, "&#9;"); break;
		case '\n': buf_adds(b, "&#10;"); break;
		case '\r': buf_adds(b, "&#13;"); break;
		default:
			if ((unsigned char)*s >= 0x20)
				buf_addc(b, *s);
		}
	}
	buf_addc(b, '"');
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
write_adx(const json_t *values, const char *exported, struct buf *out, struct err *e)
{
	static const char *const group_keys[] = { DK_ORG_UNIT, DK_PERIOD, DK_COMPLETE_DATE,
		DK_DATA_SET, NULL };
	const json_t *v, *prev = NULL;
	char period[DHIS2_PERIOD_MAX];
	size_t i, k;

	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" ADX_ROOT);
	put_attr(out, ADX_XMLNS, ADX_NAMESPACE);
	put_attr(out, ADX_EXPORTED, exported ? exported : "");
	buf_adds(out, ">\n");
	json_array_foreach(values, i, v) {
		bool same = prev != NULL;
		for (k = 0; same && group_keys[k] != NULL; k++)
			same = same_text(json_string_value(json_object_get(v, group_keys[k])),
			    json_string_value(json_object_get(prev, group_keys[k])));
		if (!same) {
			if (prev != NULL)
				buf_adds(out, "  </" ADX_GROUP ">\n");
			buf_adds(out, "  <" ADX_GROUP);
			for (k = 0; group_keys[k] != NULL; k++) {
				const char *s = json_string_value(json_object_get(v, group_keys[k]));
				if (s == NULL)
					continue;
				if (strcmp(group_keys[k], DK_PERIOD) == 0) {
					if (adx_period_out(s, period, sizeof(period)) != 0)
						return err_set(e, ERR_INTERNAL, "kỳ '%.40s' không viết được "
						    "thành kỳ ADX", s);
					s = period;
				}
				put_attr(out, group_keys[k], s);
			}
			buf_adds(out, ">\n");
		}
		buf_adds(out, "    <" ADX_DATA_VALUE);
		put_attr(out, DK_DATA_ELEMENT, json_string_value(json_object_get(v,
		    DK_DATA_ELEMENT)) ?: "");
		if (json_string_value(json_object_get(v, DK_COC)) != NULL)
			put_attr(out, DK_COC, json_string_value(json_object_get(v, DK_COC)));
		put_attr(out, DK_VALUE, json_string_value(json_object_get(v, DK_VALUE)) ?: "");
		buf_adds(out, "/>\n");
		prev = v;
	}
	if (prev != NULL)
		buf_adds(out, "  </" ADX_GROUP ">\n");
	buf_adds(out, "</" ADX_ROOT ">\n");
	return 0;
}

int
dhis2_write(enum dhis2_format f, const json_t *values, const char *exported,
    struct buf *out, struct err *e)
{
	if (f == DHIS2_JSON)
		write_json(values, out);
	else if (f == DHIS2_CSV)
		write_csv(values, out);
	else if (write_adx(values, exported, out, e) != 0)
		return -1;
	if (buf_failed(out))
		return buf_nomem(out) ? err_nomem(e) : err_set(e, ERR_TOO_LARGE,
		    "dữ liệu xuất quá lớn");
	return 0;
}

/* ==== the exchange ================================================================== */

enum scheme { SC_UID, SC_CODE };

/* An id scheme as written: uid (or id), code; DHIS2's others (name,
 * attribute:UID) this system has no counterpart of. */
static int
scheme_read(const char *s, const char *what, enum scheme *out, struct err *e)
{
	if (strcasecmp(s, DK_SCHEME_UID) == 0 || strcasecmp(s, DK_SCHEME_ID) == 0)
		*out = SC_UID;
	else if (strcasecmp(s, DK_SCHEME_CODE) == 0)
		*out = SC_CODE;
	else
		return err_set(e, ERR_BAD_REQUEST, "%s '%.40s' không được hỗ trợ: chỉ %s "
		    "hoặc %s", what, s, DK_SCHEME_UID, DK_SCHEME_CODE);
	return 0;
}

/* The scheme of one kind of identifier (§1.6): the payload's before the
 * query's, the specific one before idScheme, else the format's default
 * (code for ADX, uid for the others). */
static int
scheme_pick(const json_t *payload, const char *specific_key, const char *specific,
    const char *general, enum dhis2_format f, enum scheme *out, struct err *e)
{
	const char *cands[4], *names[4];
	size_t i;

	cands[0] = json_string_value(json_object_get(payload, specific_key));
	names[0] = specific_key;
	cands[1] = json_string_value(json_object_get(payload, DK_ID_SCHEME));
	names[1] = DK_ID_SCHEME;
	cands[2] = specific;
	names[2] = specific_key;
	cands[3] = general;
	names[3] = DK_ID_SCHEME;
	for (i = 0; i < 4; i++)
		if (cands[i] != NULL && *cands[i] != '\0')
			return scheme_read(cands[i], names[i], out, e);
	*out = f == DHIS2_ADX ? SC_CODE : SC_UID;
	return 0;
}

/* ---- the exchange codes ------------------------------------------------------------- */

struct xrow {
	int64_t ts, ind, unit;
	bool target;               /* the indicator's target figure       */
	const char *id[2];         /* by scheme: uid, code (NULL: none)    */
	const char *coc;           /* "" for the default                   */
};

struct xmap {
	json_t *rows;              /* the records: they own the strings    */
	struct xrow *r;
	size_t n;
	json_t *index;             /* key -> row, or -1 when ambiguous     */
};

#define XKEY_MAX 200

static void
xkey(char *buf, size_t len, char kind, enum scheme sc, int64_t ts, const char *id,
    const char *coc)
{
	if (ts > 0)
		snprintf(buf, len, "%c%d\x1f%lld\x1f%s\x1f%s", kind, (int)sc, (long long)ts,
		    id, coc);
	else
		snprintf(buf, len, "%c%d\x1f*\x1f%s\x1f%s", kind, (int)sc, id, coc);
}

/* Do rows a and b name the same thing of this system? */
static bool
same_thing(const struct xrow *a, const struct xrow *b, char kind)
{
	if (kind == 'S')
		return a->ts == b->ts;
	if (kind == 'O')
		return a->unit == b->unit;
	return a->ind == b->ind && a->target == b->target;
}

static int
xindex(struct xmap *m, char kind, enum scheme sc, int64_t ts, size_t row)
{
	char key[XKEY_MAX];
	const json_t *old;
	const struct xrow *r = &m->r[row];

	xkey(key, sizeof(key), kind, sc, ts, r->id[sc], r->coc);
	old = json_object_get(m->index, key);
	if (old != NULL) {
		json_int_t k = json_integer_value(old);
		/* two rows name one identifier for two things: neither is taken */
		if (k >= 0 && !same_thing(&m->r[k], r, kind))
			return json_object_set_new(m->index, key, json_integer(-1));
		return 0;
	}
	return json_object_set_new(m->index, key, json_integer((json_int_t)row));
}

static void
xmap_free(struct xmap *m)
{
	json_decref(m->rows);
	json_decref(m->index);
	free(m->r);
	memset(m, 0, sizeof(*m));
}

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static int
xmap_load(struct store *s, struct xmap *m, struct err *e)
{
	const struct entity_def *ent = entity_of(ENT_EXCHANGE_CODE);
	struct list_query q;
	const char *of;
	json_t *rec;
	size_t i;
	int sc;

	memset(m, 0, sizeof(*m));
	memset(&q, 0, sizeof(q));
	q.sort = "id";
	if ((m->rows = store_list_all(s, ent, &q, EXCHANGE_CODES_MAX, e)) == NULL)
		return -1;
	m->n = json_array_size(m->rows);
	m->r = calloc(m->n + 1, sizeof(*m->r));
	m->index = json_object();
	if (m->r == NULL || m->index == NULL) {
		xmap_free(m);
		return err_nomem(e);
	}
	json_array_foreach(m->rows, i, rec) {
		struct xrow *r = &m->r[i];
		r->ts = jrec_int(rec, FLD_EXCHANGE_CODE_TARGET_SET_ID);
		r->ind = jrec_int(rec, FLD_EXCHANGE_CODE_INDICATOR_ID);
		r->unit = jrec_int(rec, FLD_EXCHANGE_CODE_UNIT_ID);
		of = jrec_str(rec, FLD_EXCHANGE_CODE_VALUE_OF);
		r->target = of != NULL && strcmp(of, field_name(FLD_INDICATOR_VALUE_TARGET)) == 0;
		r->id[SC_UID] = nonempty(jrec_str(rec, FLD_EXCHANGE_CODE_UID));
		r->id[SC_CODE] = nonempty(jrec_str(rec, FLD_EXCHANGE_CODE_CODE));
		r->coc = jrec_str(rec, FLD_EXCHANGE_CODE_CATEGORY_OPTION_COMBO);
		if (r->coc == NULL)
			r->coc = "";
		for (sc = SC_UID; sc <= SC_CODE; sc++) {
			char kind = r->ind > 0 ? 'E' : r->unit > 0 ? 'O' : 'S';
			if (r->id[sc] == NULL)
				continue;
			if ((kind != 'S' && xindex(m, kind, (enum scheme)sc, r->ts, i) != 0) ||
			    xindex(m, kind, (enum scheme)sc, 0, i) != 0) {
				xmap_free(m);
				return err_nomem(e);
			}
		}
	}
	return 0;
}

/* The row naming `id` (in scheme sc, else the other) for kind within
 * target set ts (0: in any): its index; -1 none, -2 ambiguous. */
static long
xfind(const struct xmap *m, char kind, enum scheme sc, int64_t ts, const char *id,
    const char *coc)
{
	char key[XKEY_MAX];
	const json_t *k;
	int i;

	for (i = 0; i < 2; i++) {
		enum scheme which = i == 0 ? sc : (enum scheme)(1 - (int)sc);
		xkey(key, sizeof(key), kind, which, ts, id, coc ? coc : "");
		if ((k = json_object_get(m->index, key)) != NULL)
			return json_integer_value(k) < 0 ? -2 : (long)json_integer_value(k);
	}
	return -1;
}

/* A row's identifier in scheme sc, else in the other. */
static const char *
xid(const struct xrow *r, enum scheme sc)
{
	return r->id[sc] != NULL ? r->id[sc] : r->id[1 - (int)sc];
}

/* ---- what the exchange looks up ------------------------------------------------------ */

struct look {
	struct store *s;
	json_t *indicators;   /* "ID" -> [target set, yes/no]  */
	json_t *units;        /* "ID" -> code                   */
};

/* The target set of an indicator (through its group) and whether it is
 * of the yes/no kind: 0, or -1 (e: no such indicator, the store). */
static int
indicator_of(struct look *lk, int64_t ind, int64_t *ts, bool *yesno, struct err *e)
{
	char key[32];
	json_t *c, *rec, *grp;
	const char *dir;

	snprintf(key, sizeof(key), "%lld", (long long)ind);
	if ((c = json_object_get(lk->indicators, key)) == NULL) {
		if ((rec = store_get(lk->s, entity_of(ENT_INDICATOR), ind, e)) == NULL)
			return -1;
		grp = store_get(lk->s, entity_of(ENT_TARGET_GROUP),
		    jrec_int(rec, FLD_INDICATOR_TARGET_GROUP_ID), e);
		dir = jrec_str(rec, FLD_INDICATOR_DIRECTION);
		c = json_pack("[I, b]", (json_int_t)(grp ? jrec_int(grp,
		    FLD_TARGET_GROUP_TARGET_SET_ID) : 0), dir != NULL && strcmp(dir,
		    "yesno") == 0);
		json_decref(grp);
		json_decref(rec);
		if (c == NULL || json_object_set_new(lk->indicators, key, c) != 0)
			return err_nomem(e);
	}
	*ts = json_integer_value(json_array_get(c, 0));
	*yesno = json_is_true(json_array_get(c, 1));
	return 0;
}

/* A unit's own administrative code (cached); NULL with e. */
static const char *
unit_code_of(struct look *lk, int64_t unit, struct err *e)
{
	char key[32];
	json_t *c, *rec;

	snprintf(key, sizeof(key), "%lld", (long long)unit);
	if ((c = json_object_get(lk->units, key)) == NULL) {
		if ((rec = store_get(lk->s, entity_of(ENT_ADMIN_UNIT), unit, e)) == NULL)
			return NULL;
		c = json_string(jrec_str(rec, FLD_ADMIN_UNIT_CODE) ?: "");
		json_decref(rec);
		if (c == NULL || json_object_set_new(lk->units, key, c) != 0) {
			err_nomem(e);
			return NULL;
		}
	}
	return json_string_value(c);
}

/* The unit an org unit identifier names: an exchange code of the target
 * set (or of any set), else a unit's own code in force during the period
 * (its last day, its first, then today's).  0 with *unit (0: none);
 * -1 on a store failure. */
static int
org_unit_of(struct look *lk, const struct xmap *m, enum scheme sc, int64_t ts,
    const char *id, const struct vi_period *vp, int64_t *unit, struct err *e)
{
	const char *dates[3] = { vp ? vp->end : NULL, vp ? vp->start : NULL, NULL };
	long k = xfind(m, 'O', sc, ts, id, "");
	size_t i;

	*unit = 0;
	if (k == -1 && ts > 0)
		k = xfind(m, 'O', sc, 0, id, "");
	if (k >= 0) {
		*unit = m->r[k].unit;
		return 0;
	}
	if (k == -2)
		return 0;
	for (i = 0; i < 3; i++) {
		struct err e2 = { 0 };
		if ((i < 2 && dates[i] == NULL))
			continue;
		if (store_unit_by_code(lk->s, id, dates[i], unit, &e2) == 0)
			return 0;
		if (e2.code != ERR_NOT_FOUND) {
			*e = e2;
			return -1;
		}
		err_clear(&e2);
	}
	*unit = 0;
	return 0;
}

/* The stored value of an indicator for a unit and a canonical period, or
 * NULL (none, or e set). */
static json_t *
stored_value(struct store *s, int64_t ind, int64_t unit, const char *period,
    struct err *e)
{
	struct list_query q;
	json_t *a = json_integer(ind), *b = json_integer(unit), *c = json_string(period);
	json_t *rows = NULL, *out = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
	    OP_EQ, a };
	q.filters[1] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_UNIT_ID), OP_EQ, b };
	q.filters[2] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_PERIOD), OP_EQ, c };
	q.nfilters = 3;
	q.limit = 1;
	q.see_confidential = true;
	if (a != NULL && b != NULL && c != NULL &&
	    store_list(s, entity_of(ENT_INDICATOR_VALUE), &q, &rows, NULL, e) == 0)
		out = json_incref(json_array_get(rows, 0));
	else if (a == NULL || b == NULL || c == NULL)
		err_nomem(e);
	json_decref(rows);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return out;
}

/* The completion of a target set for a unit and a canonical period. */
static json_t *
stored_completion(struct store *s, int64_t ts, int64_t unit, const char *period,
    struct err *e)
{
	struct list_query q;
	json_t *a = json_integer(ts), *b = json_integer(unit), *c = json_string(period);
	json_t *rows = NULL, *out = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_SET_COMPLETION_TARGET_SET_ID),
	    OP_EQ, a };
	q.filters[1] = (struct list_filter){ field_name(FLD_SET_COMPLETION_UNIT_ID), OP_EQ, b };
	q.filters[2] = (struct list_filter){ field_name(FLD_SET_COMPLETION_PERIOD), OP_EQ, c };
	q.nfilters = 3;
	q.limit = 1;
	if (a != NULL && b != NULL && c != NULL &&
	    store_list(s, entity_of(ENT_SET_COMPLETION), &q, &rows, NULL, e) == 0)
		out = json_incref(json_array_get(rows, 0));
	else if (a == NULL || b == NULL || c == NULL)
		err_nomem(e);
	json_decref(rows);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return out;
}

static bool
fatal(const struct err *e)
{
	return e->code == ERR_DB || e->code == ERR_UNAVAILABLE || e->code == ERR_NO_MEMORY ||
	    e->code == ERR_NO_SPACE || e->code == ERR_INTERNAL || e->code == ERR_IO;
}

/* ---- export --------------------------------------------------------------------------- */

struct unit_set {
	json_t *ids;          /* "ID" -> true */
};

static int
add_unit(void *ctx, int64_t id, int64_t parent_id)
{
	struct unit_set *us = ctx;
	char key[32];

	(void)parent_id;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_object_set_new(us->ids, key, json_true());
}

static bool
in_units(const struct unit_set *us, int64_t id)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_object_get(us->ids, key) != NULL;
}

struct out_value {
	json_t *v;
	const char *ou;       /* as written: the first order        */
	size_t order;         /* the data element's row: the second */
};

static int
out_cmp(const void *a, const void *b)
{
	const struct out_value *x = a, *y = b;
	int c = strcmp(x->ou, y->ou);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static const char *
required_arg(const char *v, const char *name, struct err *e)
{
	if (v == NULL || *v == '\0')
		err_set(e, ERR_BAD_REQUEST, "thiếu %s", name);
	return v != NULL && *v != '\0' ? v : NULL;
}

json_t *
dhis2_export(struct store *s, const struct user *u, const struct dhis2_query *q,
    struct err *e)
{
	const struct entity_def *values = entity_of(ENT_INDICATOR_VALUE);
	struct look lk = { s, json_object(), json_object() };
	struct unit_set us = { json_object() };
	struct xmap m = { 0 };
	struct out_value *outs = NULL;
	enum scheme de_sc, ou_sc, ds_sc;
	char canon[VI_PERIOD_CODE_MAX], pe[DHIS2_PERIOD_MAX], why[DHIS2_WHY_MAX];
	struct vi_period vp;
	json_t *result = NULL, *comps = json_object(), *ou_of = json_object();
	const char *ds_out;
	int64_t ts, unit;
	size_t i, nout = 0, cap = 0;
	long k;
	int rc;

	if (lk.indicators == NULL || lk.units == NULL || us.ids == NULL || comps == NULL ||
	    ou_of == NULL) {
		err_nomem(e);
		goto done;
	}
	if (u != NULL && !auth_can_read_entity(u, values)) {
		err_set(e, ERR_FORBIDDEN, "bạn không được xem số liệu chỉ tiêu");
		goto done;
	}
	if (required_arg(q->data_set, DK_DATA_SET, e) == NULL ||
	    required_arg(q->period, DK_PERIOD, e) == NULL ||
	    required_arg(q->org_unit, DK_ORG_UNIT, e) == NULL)
		goto done;
	if (scheme_pick(NULL, DK_DE_ID_SCHEME, q->data_element_id_scheme, q->id_scheme,
	    q->format, &de_sc, e) != 0 ||
	    scheme_pick(NULL, DK_OU_ID_SCHEME, q->org_unit_id_scheme, q->id_scheme,
	    q->format, &ou_sc, e) != 0 ||
	    scheme_pick(NULL, DK_DS_ID_SCHEME, q->data_set_id_scheme, q->id_scheme,
	    q->format, &ds_sc, e) != 0)
		goto done;
	rc = dhis2_period_in(q->period, canon, sizeof(canon), why, sizeof(why));
	if (rc != 0) {
		err_field(e, DK_PERIOD, "%s", why);
		err_set(e, ERR_BAD_REQUEST, "%s", why);
		goto done;
	}
	if (vi_parse_period(canon, &vp) != 0 || dhis2_period_out(canon, pe, sizeof(pe)) != 0) {
		err_set(e, ERR_INTERNAL, "kỳ '%s' không đọc lại được", canon);
		goto done;
	}
	if (xmap_load(s, &m, e) != 0)
		goto done;
	/* the data set: named by its UID or its code, whatever the scheme */
	k = xfind(&m, 'S', ds_sc, 0, q->data_set, "");
	if (k < 0) {
		err_set(e, ERR_NOT_FOUND, "không có bộ dữ liệu (dataSet) '%.60s' trong bảng "
		    "mã trao đổi%s", q->data_set, k == -2 ? " (mã trùng nhau)" : "");
		goto done;
	}
	ts = m.r[k].ts;
	ds_out = xid(&m.r[k], ds_sc);
	if (org_unit_of(&lk, &m, ou_sc, ts, q->org_unit, &vp, &unit, e) != 0)
		goto done;
	if (unit == 0) {
		err_set(e, ERR_NOT_FOUND, "không có đơn vị (orgUnit) '%.60s'", q->org_unit);
		goto done;
	}
	if (add_unit(&us, unit, 0) != 0 ||
	    (q->children && store_units_within(s, unit, add_unit, &us, e) != 0)) {
		if (e->code == ERR_NONE)
			err_nomem(e);
		goto done;
	}
	/* the completions of the set for the period, by unit */
	{
		struct list_query cq;
		json_t *a = json_integer(ts), *b = json_string(canon), *rows, *c;
		memset(&cq, 0, sizeof(cq));
		cq.filters[0] = (struct list_filter){
		    field_name(FLD_SET_COMPLETION_TARGET_SET_ID), OP_EQ, a };
		cq.filters[1] = (struct list_filter){
		    field_name(FLD_SET_COMPLETION_PERIOD), OP_EQ, b };
		cq.nfilters = 2;
		rows = a && b ? store_list_all(s, entity_of(ENT_SET_COMPLETION), &cq,
		    EXCHANGE_VALUES_MAX, e) : NULL;
		json_decref(a);
		json_decref(b);
		if (rows == NULL) {
			if (e->code == ERR_NONE)
				err_nomem(e);
			goto done;
		}
		json_array_foreach(rows, i, c) {
			char key[32];
			snprintf(key, sizeof(key), "%lld",
			    (long long)jrec_int(c, FLD_SET_COMPLETION_UNIT_ID));
			if ((u == NULL || auth_can_read(s, u, entity_of(ENT_SET_COMPLETION), c)) &&
			    json_object_set_new(comps, key, json_string(jrec_str(c,
			    FLD_SET_COMPLETION_COMPLETED_ON))) != 0) {
				json_decref(rows);
				err_nomem(e);
				goto done;
			}
		}
		json_decref(rows);
	}
	/* the set's org units by their exchange codes (the first row of a
	 * unit) */
	for (i = 0; i < m.n; i++) {
		char key[32];
		if (m.r[i].ts != ts || m.r[i].unit <= 0 || xid(&m.r[i], ou_sc) == NULL)
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)m.r[i].unit);
		if (json_object_get(ou_of, key) == NULL &&
		    json_object_set_new(ou_of, key, json_string(xid(&m.r[i], ou_sc))) != 0) {
			err_nomem(e);
			goto done;
		}
	}
	for (i = 0; i < m.n; i++) {
		const struct xrow *r = &m.r[i];
		struct list_query vq;
		json_t *fa, *fb, *fc, *rows, *rec;
		int64_t its;
		bool yesno;
		size_t j;

		if (r->ts != ts || r->ind <= 0 || xid(r, de_sc) == NULL)
			continue;
		/* an indicator of another target set is no data element of
		 * this one */
		if (indicator_of(&lk, r->ind, &its, &yesno, e) != 0) {
			if (e->code != ERR_NOT_FOUND)
				goto done;
			err_clear(e);
			continue;
		}
		if (its != ts)
			continue;
		memset(&vq, 0, sizeof(vq));
		fa = json_integer(r->ind);
		fb = json_string(canon);
		fc = json_integer(unit);
		vq.filters[0] = (struct list_filter){
		    field_name(FLD_INDICATOR_VALUE_INDICATOR_ID), OP_EQ, fa };
		vq.filters[1] = (struct list_filter){
		    field_name(FLD_INDICATOR_VALUE_PERIOD), OP_EQ, fb };
		vq.filters[2] = (struct list_filter){
		    field_name(FLD_INDICATOR_VALUE_UNIT_ID), OP_EQ, fc };
		vq.nfilters = q->children ? 2 : 3;
		vq.see_confidential = u == NULL || auth_has_clearance(u);
		rows = fa && fb && fc ? store_list_all(s, values, &vq, EXCHANGE_VALUES_MAX, e) :
		    NULL;
		json_decref(fa);
		json_decref(fb);
		json_decref(fc);
		if (rows == NULL) {
			if (e->code == ERR_NONE)
				err_nomem(e);
			goto done;
		}
		json_array_foreach(rows, j, rec) {
			const json_t *num = jrec_get(rec, r->target ? FLD_INDICATOR_VALUE_TARGET :
			    FLD_INDICATOR_VALUE_ACTUAL);
			int64_t vu = jrec_int(rec, FLD_INDICATOR_VALUE_UNIT_ID);
			const char *ou, *comment, *done_on;
			char text[DHIS2_NUMBER_MAX], key[32];
			json_t *v;
			if (!json_is_number(num) || !in_units(&us, vu) ||
			    (u != NULL && !auth_can_read(s, u, values, rec)))
				continue;
			/* the unit by its exchange code in this set, else its own */
			snprintf(key, sizeof(key), "%lld", (long long)vu);
			ou = json_string_value(json_object_get(ou_of, key));
			if (ou == NULL && (ou = unit_code_of(&lk, vu, e)) == NULL) {
				json_decref(rows);
				goto done;
			}
			dhis2_number(json_number_value(num), text, sizeof(text));
			done_on = json_string_value(json_object_get(comps, key));
			comment = nonempty(jrec_str(rec, FLD_INDICATOR_VALUE_COMMENT));
			v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}",
			    DK_DATA_SET, ds_out, DK_DATA_ELEMENT, xid(r, de_sc), DK_PERIOD, pe,
			    DK_ORG_UNIT, ou, DK_VALUE, text, DK_COC, nonempty(r->coc),
			    DK_COMMENT, comment, DK_COMPLETE_DATE, done_on);
			if (nout == cap) {
				struct out_value *grown;
				cap = cap ? cap * 2 : 64;
				grown = realloc(outs, cap * sizeof(*outs));
				if (grown == NULL) {
					json_decref(v);
					v = NULL;
				} else {
					outs = grown;
				}
			}
			if (v == NULL) {
				json_decref(rows);
				err_nomem(e);
				goto done;
			}
			outs[nout].v = v;
			outs[nout].ou = json_string_value(json_object_get(v, DK_ORG_UNIT));
			outs[nout].order = i;
			nout++;
		}
		json_decref(rows);
	}
	if (nout > 0)
		qsort(outs, nout, sizeof(*outs), out_cmp);
	if ((result = json_array()) == NULL) {
		err_nomem(e);
		goto done;
	}
	for (i = 0; i < nout; i++) {
		if (json_array_append(result, outs[i].v) != 0) {
			json_decref(result);
			result = NULL;
			err_nomem(e);
			goto done;
		}
	}
done:
	for (i = 0; i < nout; i++)
		json_decref(outs[i].v);
	free(outs);
	xmap_free(&m);
	json_decref(comps);
	json_decref(ou_of);
	json_decref(us.ids);
	json_decref(lk.indicators);
	json_decref(lk.units);
	return result;
}

/* ---- import --------------------------------------------------------------------------- */

enum strategy { ST_CREATE, ST_UPDATE, ST_CREATE_AND_UPDATE, ST_DELETE };

struct import {
	struct store *s;
	const struct actor *who;
	struct look lk;
	struct xmap m;
	enum scheme de_sc, ou_sc, ds_sc;
	enum strategy strategy;
	long imported, updated, ignored, deleted;
	json_t *conflicts;
	json_t *rejected;      /* indexes of the values refused           */
	json_t *completions;   /* "ts unit period" -> [ts, unit, period, date, value] */
	long nconflicts;       /* listed or not                           */
	const char *complete;  /* the last completion registered          */
	bool dry_run;
};

/* A conflict naming a value (the first IMPORT_ERRORS_SHOWN are listed):
 * object (what it named that was refused), property, value (the message:
 * where the value is, its identifiers, why), indexes.  With `rejected`
 * the value itself was refused: counted as ignored, its index in
 * rejectedIndexes; without, something it carried (its set's completion). */
static int vconflict(struct import *im, const json_t *v, bool rejected,
    const char *property, const char *object, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static int
vconflict(struct import *im, const json_t *v, bool rejected, const char *property,
    const char *object, const char *fmt, va_list ap)
{
	char why[ERR_MSG_MAX], where[WHERE_MAX], msg[ERR_MSG_MAX * 2];
	json_int_t index = json_integer_value(json_object_get(v, DK_X_INDEX));

	vsnprintf(why, sizeof(why), fmt, ap);
	im->nconflicts++;
	if (rejected) {
		im->ignored++;
		if (json_array_append_new(im->rejected, json_integer(index)) != 0)
			return -1;
	}
	if ((long)json_array_size(im->conflicts) >= IMPORT_ERRORS_SHOWN)
		return 0;
	where_of(v, where, sizeof(where));
	snprintf(msg, sizeof(msg), "%s (%s %s, %s %s, %s %s): %s", where, DK_DATA_ELEMENT,
	    json_string_value(json_object_get(v, DK_DATA_ELEMENT)) ?: "", DK_PERIOD,
	    json_string_value(json_object_get(v, DK_PERIOD)) ?: "", DK_ORG_UNIT,
	    json_string_value(json_object_get(v, DK_ORG_UNIT)) ?: "", why);
	text_fix_utf8(msg);
	return json_array_append_new(im->conflicts, json_pack("{s:s, s:s, s:s, s:[I]}",
	    DK_OBJECT, object ? object : "", DK_PROPERTY, property, DK_VALUE, msg,
	    DK_INDEXES, index));
}

/* The value refused. */
static int conflict(struct import *im, const json_t *v, const char *property,
    const char *object, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
conflict(struct import *im, const json_t *v, const char *property, const char *object,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vconflict(im, v, true, property, object, fmt, ap);
	va_end(ap);
	return rc;
}

/* What the value carried refused, the value kept. */
static int carried(struct import *im, const json_t *v, const char *property,
    const char *object, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
carried(struct import *im, const json_t *v, const char *property, const char *object,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vconflict(im, v, false, property, object, fmt, ap);
	va_end(ap);
	return rc;
}

/* A refusal of the write path as a conflict: its message and, for bad
 * fields, the first field's. */
static int
refused(struct import *im, const json_t *v, bool rejected, const char *property,
    const char *object, struct err *we)
{
	const char *k, *why = we->msg;
	json_t *fm;
	int rc;

	json_object_foreach(we->fields, k, fm) {
		why = json_string_value(fm);
		break;
	}
	rc = rejected ? conflict(im, v, property, object, "%s", why ? why : we->msg) :
	    carried(im, v, property, object, "%s", why ? why : we->msg);
	err_clear(we);
	return rc;
}

static int
strategy_read(const char *s, enum strategy *out, struct err *e)
{
	if (s == NULL || *s == '\0' || strcasecmp(s, DK_CREATE_AND_UPDATE) == 0)
		*out = ST_CREATE_AND_UPDATE;
	else if (strcasecmp(s, DK_CREATE) == 0)
		*out = ST_CREATE;
	else if (strcasecmp(s, DK_UPDATE) == 0)
		*out = ST_UPDATE;
	else if (strcasecmp(s, DK_DELETE) == 0)
		*out = ST_DELETE;
	else
		return err_set(e, ERR_BAD_REQUEST, "%s '%.40s' không nhận được: %s, %s, %s "
		    "hoặc %s", DK_IMPORT_STRATEGY, s, DK_CREATE, DK_UPDATE, DK_CREATE_AND_UPDATE,
		    DK_DELETE);
	return 0;
}

/* Same figure and (when the value gives one) same comment? */
static bool
unchanged(const json_t *rec, enum field_id f, double num, const json_t *v)
{
	const json_t *have = jrec_get(rec, f);
	const json_t *c = json_object_get(v, DK_COMMENT);
	const char *old = jrec_str(rec, FLD_INDICATOR_VALUE_COMMENT);

	if (!json_is_number(have) || json_number_value(have) != num)
		return false;
	return c == NULL || strcmp(json_string_value(c), old ? old : "") == 0;
}

/* One value through the write path; -1 only when the import cannot go on
 * (the store: e set). */
static int
import_value(struct import *im, const json_t *v, const char *query_ds, struct err *e)
{
	const struct entity_def *values = entity_of(ENT_INDICATOR_VALUE);
	const char *de = json_string_value(json_object_get(v, DK_DATA_ELEMENT));
	const char *pe = json_string_value(json_object_get(v, DK_PERIOD));
	const char *ou = json_string_value(json_object_get(v, DK_ORG_UNIT));
	const char *coc = json_string_value(json_object_get(v, DK_COC));
	const char *ds = json_string_value(json_object_get(v, DK_DATA_SET));
	const char *text = json_string_value(json_object_get(v, DK_VALUE));
	const char *done_on = json_string_value(json_object_get(v, DK_COMPLETE_DATE));
	char canon[VI_PERIOD_CODE_MAX], why[DHIS2_WHY_MAX];
	struct vi_period vp;
	struct err we = { 0 };
	const struct xrow *r;
	json_t *rec = NULL, *in = NULL;
	enum field_id field, other;
	bool deleting, yesno;
	int64_t ts = 0, its, unit;
	double num = 0;
	long k;
	int rc = 0;

	if (json_object_get(v, DK_X_PROBLEM) != NULL) {
		const char *prop = json_string_value(json_object_get(v, DK_X_PROPERTY));
		return conflict(im, v, prop, json_string_value(json_object_get(v, prop)), "%s",
		    json_string_value(json_object_get(v, DK_X_PROBLEM)));
	}
	if (ds == NULL)
		ds = query_ds;
	if (ds != NULL && *ds != '\0') {
		k = xfind(&im->m, 'S', im->ds_sc, 0, ds, "");
		if (k < 0)
			return conflict(im, v, DK_DATA_SET, ds, "không có bộ dữ liệu (dataSet) "
			    "'%.60s' trong bảng mã trao đổi%s", ds, k == -2 ? " (mã trùng nhau)" : "");
		ts = im->m.r[k].ts;
	}
	k = xfind(&im->m, 'E', im->de_sc, ts, de, coc);
	if (k < 0)
		return conflict(im, v, DK_DATA_ELEMENT, de, "không có phần tử dữ liệu "
		    "(dataElement) '%.60s'%s%s%s trong bảng mã trao đổi%s%s", de,
		    coc ? " với categoryOptionCombo '" : "", coc ? coc : "", coc ? "'" : "",
		    ts > 0 ? " của bộ dữ liệu" : "", k == -2 ? " (mã trùng nhau: hãy gửi "
		    "dataSet)" : "");
	r = &im->m.r[k];
	if (indicator_of(&im->lk, r->ind, &its, &yesno, &we) != 0) {
		if (fatal(&we)) {
			*e = we;
			return -1;
		}
		return refused(im, v, true, DK_DATA_ELEMENT, de, &we);
	}
	if (ts > 0 && its != ts)
		return conflict(im, v, DK_DATA_ELEMENT, de, "chỉ tiêu của phần tử dữ liệu "
		    "không thuộc bộ chỉ tiêu của bộ dữ liệu '%.60s'", ds);
	ts = its;
	if (dhis2_period_in(pe, canon, sizeof(canon), why, sizeof(why)) != 0)
		return conflict(im, v, DK_PERIOD, pe, "%s", why);
	if (vi_parse_period(canon, &vp) != 0)
		return conflict(im, v, DK_PERIOD, pe, "kỳ không đọc được");
	if (org_unit_of(&im->lk, &im->m, im->ou_sc, ts, ou, &vp, &unit, e) != 0)
		return -1;
	if (unit == 0)
		return conflict(im, v, DK_ORG_UNIT, ou, "không có đơn vị (orgUnit) '%.60s' "
		    "trong bảng mã trao đổi hay trong các đơn vị hành chính", ou);
	field = r->target ? FLD_INDICATOR_VALUE_TARGET : FLD_INDICATOR_VALUE_ACTUAL;
	other = r->target ? FLD_INDICATOR_VALUE_ACTUAL : FLD_INDICATOR_VALUE_TARGET;
	deleting = im->strategy == ST_DELETE || json_is_true(json_object_get(v, DK_DELETED));
	if (!deleting) {
		if (text == NULL || *text == '\0')
			return conflict(im, v, DK_VALUE, "", "thiếu %s", DK_VALUE);
		if (value_number(text, yesno, &num) != 0)
			return conflict(im, v, DK_VALUE, text, "'%.40s' không phải số%s", text,
			    yesno ? " (chỉ tiêu có/không: 1, 0, true, false)" : "");
	}
	rec = stored_value(im->s, r->ind, unit, canon, &we);
	if (rec == NULL && we.code != ERR_NONE) {
		*e = we;
		return -1;
	}
	if (deleting) {
		if (rec == NULL || !json_is_number(jrec_get(rec, field))) {
			im->ignored++; /* nothing to delete */
		} else if (!json_is_number(jrec_get(rec, other))) {
			rc = records_delete(im->s, values, rec_int(rec, "id"), 0, im->who, &we);
		} else {
			in = json_object();
			if (in == NULL || jrec_set(in, field, json_null()) != 0) {
				rc = err_nomem(&we);
			} else {
				rc = records_update(im->s, values, rec_int(rec, "id"), in, 0,
				    im->who, 0, NULL, &we);
			}
		}
		if (rc == 0 && rec != NULL && json_is_number(jrec_get(rec, field)))
			im->deleted++;
	} else if (rec != NULL && unchanged(rec, field, num, v)) {
		im->ignored++; /* as DHIS2 counts a value sent again */
	} else if (rec != NULL && im->strategy == ST_CREATE) {
		json_decref(rec);
		return conflict(im, v, DK_VALUE, text, "đã có số liệu; %s %s chỉ thêm mới",
		    DK_IMPORT_STRATEGY, DK_CREATE);
	} else if (rec == NULL && im->strategy == ST_UPDATE) {
		return conflict(im, v, DK_VALUE, text, "chưa có số liệu; %s %s chỉ sửa",
		    DK_IMPORT_STRATEGY, DK_UPDATE);
	} else {
		in = json_object();
		if (in == NULL || jrec_set(in, field, json_real(num)) != 0 ||
		    (json_object_get(v, DK_COMMENT) != NULL && jrec_set(in,
		    FLD_INDICATOR_VALUE_COMMENT, json_string(json_string_value(json_object_get(v,
		    DK_COMMENT)))) != 0)) {
			rc = err_nomem(&we);
		} else if (rec != NULL) {
			rc = records_update(im->s, values, rec_int(rec, "id"), in, 0, im->who,
			    0, NULL, &we);
			if (rc == 0)
				im->updated++;
		} else if (jrec_set(in, FLD_INDICATOR_VALUE_INDICATOR_ID,
		    json_integer(r->ind)) != 0 ||
		    jrec_set(in, FLD_INDICATOR_VALUE_UNIT_ID, json_integer(unit)) != 0 ||
		    jrec_set(in, FLD_INDICATOR_VALUE_PERIOD, json_string(canon)) != 0 ||
		    json_object_set_new(in, workflow_field(values),
		    json_string(workflow_first_state(values))) != 0) {
			rc = err_nomem(&we);
		} else {
			rc = records_create(im->s, values, in, im->who, 0, NULL, &we);
			if (rc == 0)
				im->imported++;
		}
	}
	json_decref(in);
	json_decref(rec);
	if (rc != 0 && we.code != ERR_NONE) {
		if (fatal(&we)) {
			*e = we;
			return -1;
		}
		/* refused by the write path: the unit's grant, the lock, a
		 * bad field */
		return refused(im, v, true, we.code == ERR_FORBIDDEN ? DK_ORG_UNIT : DK_VALUE,
		    we.code == ERR_FORBIDDEN ? ou : text, &we);
	}
	if (rc != 0)
		return rc;
	/* the set's completion, registered once per unit and period below */
	if (!deleting && done_on != NULL && *done_on != '\0') {
		char key[XKEY_MAX];
		snprintf(key, sizeof(key), "%lld %lld %s", (long long)ts, (long long)unit, canon);
		if (json_object_get(im->completions, key) == NULL &&
		    json_object_set_new(im->completions, key, json_pack("[I, I, s, s, O]",
		    (json_int_t)ts, (json_int_t)unit, canon, done_on, v)) != 0)
			return err_nomem(e);
	}
	return 0;
}

/* Register the completions the values carried (completeDate): through
 * the write path too.  -1 only for the store. */
static int
import_completions(struct import *im, struct err *e)
{
	const struct entity_def *ent = entity_of(ENT_SET_COMPLETION);
	const char *key, *date, *period;
	json_t *c, *rec, *in;
	struct err we = { 0 };
	int64_t ts, unit;
	int rc;

	json_object_foreach(im->completions, key, c) {
		const json_t *v = json_array_get(c, 4);
		ts = json_integer_value(json_array_get(c, 0));
		unit = json_integer_value(json_array_get(c, 1));
		period = json_string_value(json_array_get(c, 2));
		date = json_string_value(json_array_get(c, 3));
		if (!vi_iso_date_valid(date)) {
			if (carried(im, v, DK_COMPLETE_DATE, date, "%s '%.40s' không phải ngày "
			    "YYYY-MM-DD", DK_COMPLETE_DATE, date) != 0)
				return err_nomem(e);
			continue;
		}
		rec = stored_completion(im->s, ts, unit, period, &we);
		if (rec == NULL && we.code != ERR_NONE) {
			*e = we;
			return -1;
		}
		rc = 0;
		if (rec != NULL && strcmp(jrec_str(rec, FLD_SET_COMPLETION_COMPLETED_ON) ?: "",
		    date) == 0) {
			/* registered already on that day */
		} else if ((in = json_object()) == NULL ||
		    jrec_set(in, FLD_SET_COMPLETION_COMPLETED_ON, json_string(date)) != 0) {
			json_decref(in);
			json_decref(rec);
			return err_nomem(e);
		} else {
			if (rec != NULL) {
				rc = records_update(im->s, ent, rec_int(rec, "id"), in, 0, im->who,
				    0, NULL, &we);
			} else if (jrec_set(in, FLD_SET_COMPLETION_TARGET_SET_ID,
			    json_integer(ts)) != 0 || jrec_set(in, FLD_SET_COMPLETION_UNIT_ID,
			    json_integer(unit)) != 0 || jrec_set(in, FLD_SET_COMPLETION_PERIOD,
			    json_string(period)) != 0) {
				rc = err_nomem(&we);
			} else {
				rc = records_create(im->s, ent, in, im->who, 0, NULL, &we);
			}
			json_decref(in);
		}
		json_decref(rec);
		if (rc != 0) {
			if (fatal(&we)) {
				*e = we;
				return -1;
			}
			if (refused(im, v, false, DK_COMPLETE_DATE, date, &we) != 0)
				return err_nomem(e);
			continue;
		}
		im->complete = date;
	}
	return 0;
}

json_t *
dhis2_import(struct store *s, const char *data, size_t len,
    const struct dhis2_import_opts *o, const struct actor *who, struct err *e)
{
	const struct entity_def *values = entity_of(ENT_INDICATOR_VALUE);
	struct dhis2_input in = { NULL, NULL };
	struct import im;
	const json_t *v, *dry;
	json_t *summary = NULL;
	const char *status;
	char desc[200];
	bool began = false;
	size_t i;

	memset(&im, 0, sizeof(im));
	im.s = s;
	im.who = who;
	im.lk.s = s;
	/* one who may not write values at all is told so before the input
	 * is read */
	if (!records_may_write_entity(s, values, who, 0, e))
		return NULL;
	if (dhis2_parse(o->format, data, len, o->first_row_is_header, &in, e) != 0)
		return NULL;
	im.lk.indicators = json_object();
	im.lk.units = json_object();
	im.conflicts = json_array();
	im.rejected = json_array();
	im.completions = json_object();
	if (im.lk.indicators == NULL || im.lk.units == NULL || im.conflicts == NULL ||
	    im.rejected == NULL || im.completions == NULL) {
		err_nomem(e);
		goto done;
	}
	if (scheme_pick(in.options, DK_DE_ID_SCHEME, o->data_element_id_scheme, o->id_scheme,
	    o->format, &im.de_sc, e) != 0 ||
	    scheme_pick(in.options, DK_OU_ID_SCHEME, o->org_unit_id_scheme, o->id_scheme,
	    o->format, &im.ou_sc, e) != 0 ||
	    scheme_pick(in.options, DK_DS_ID_SCHEME, o->data_set_id_scheme, o->id_scheme,
	    o->format, &im.ds_sc, e) != 0 ||
	    strategy_read(json_string_value(json_object_get(in.options, DK_STRATEGY)) ?:
	    o->strategy, &im.strategy, e) != 0)
		goto done;
	dry = json_object_get(in.options, DK_DRY_RUN);
	im.dry_run = dry != NULL ? json_is_true(dry) : o->dry_run;
	if (xmap_load(s, &im.m, e) != 0)
		goto done;
	if (records_batch_begin(s, NULL, who, 0, e) != 0)
		goto done;
	began = true;
	json_array_foreach(in.values, i, v)
		if (import_value(&im, v, o->data_set, e) != 0)
			goto done;
	if (import_completions(&im, e) != 0)
		goto done;
	began = false;
	/* a dry run answers what the import would do, and keeps nothing */
	if (records_batch_end(s, !im.dry_run, e) != 0)
		goto done;
	{
		int level = im.nconflicts == 0 ? 0 :
		    im.imported + im.updated + im.deleted > 0 ? 1 : 2;
		status = level == 0 ? DK_SUCCESS : level == 1 ? DK_WARNING : DK_ERROR;
		snprintf(desc, sizeof(desc), "%s%s", im.dry_run ? "chạy thử (dryRun), không "
		    "ghi gì: " : "", level == 0 ? "đã nhập xong" : level == 1 ?
		    "đã nhập, có giá trị bị từ chối (conflicts)" :
		    "không nhập được giá trị nào (conflicts)");
	}
	summary = json_pack("{s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:O, s:O, s:s}",
	    DK_RESPONSE_TYPE, DK_IMPORT_SUMMARY, DK_STATUS, status, DK_DESCRIPTION, desc,
	    DK_IMPORT_COUNT, DK_IMPORTED, (json_int_t)im.imported, DK_UPDATED,
	    (json_int_t)im.updated, DK_IGNORED, (json_int_t)im.ignored, DK_DELETED_COUNT,
	    (json_int_t)im.deleted, DK_CONFLICTS, im.conflicts, DK_REJECTED_INDEXES,
	    im.rejected, DK_DATA_SET_COMPLETE, im.complete ? im.complete : DK_FALSE);
	if (summary == NULL)
		err_nomem(e);
done:
	if (began)
		records_batch_end(s, false, NULL);
	xmap_free(&im.m);
	json_decref(im.lk.indicators);
	json_decref(im.lk.units);
	json_decref(im.conflicts);
	json_decref(im.rejected);
	json_decref(im.completions);
	dhis2_input_free(&in);
	return summary;
}
