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
