/*
 * text.c - Vietnamese text helpers: UTF-8 validation, NFC, search folding and
 * the parsers for numbers, quantities, dates, periods and document numbers.
 *
 * Design notes
 * - Every function is pure: no globals are written, no locale is consulted
 *   (strtod and ctype would depend on setlocale, so digits and decimals are
 *   parsed by hand).
 * - Keyword matching ("ngày", "quý", "triệu", ...) is done on the folded form
 *   of the text (text_fold), because reports are typed inconsistently: with or
 *   without diacritics, in any case, with en dashes instead of hyphens.
 * - Every write into a fixed buffer goes through a bounded helper; a value
 *   that does not fit makes the parse fail rather than being silently cut.
 */
#include "text/text.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- small ASCII helpers (locale independent on purpose) ---------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A byte that can continue a word: ASCII letters/digits and any byte of a
 * multi-byte UTF-8 sequence (all Vietnamese letters are non-ASCII). */
static bool is_word_byte(char c)
{
	return is_alpha(c) || is_digit(c) || (unsigned char)c >= 0x80;
}

static const char *skip_spaces(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Copy src[0..n) into dst (size dstlen) and terminate.  Returns false (and
 * leaves dst empty) when it does not fit, so callers can reject the input
 * instead of storing a truncated value. */
static bool copy_bounded(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (dstlen == 0)
		return false;
	if (n >= dstlen) {
		dst[0] = '\0';
		return false;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

/* Trim ASCII white space around [*b, *e). */
static void trim_range(const char **b, const char **e)
{
	while (*b < *e && is_space(**b))
		(*b)++;
	while (*e > *b && is_space((*e)[-1]))
		(*e)--;
}

bool text_int64(const char *s, int64_t *out)
{
	const char *p;
	uint64_t v = 0, lim;

	if (s == NULL)
		return false;
	p = s + (*s == '-');
	lim = *s == '-' ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (*p == '\0')
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (lim - (uint64_t)(*p - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	/* -(2^63) has no positive twin: negate in unsigned arithmetic */
	*out = *s == '-' ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

bool text_formula_like(const char *s)
{
	if (s == NULL)
		return false;
	/* an apostrophe before a formula is the guard itself: guarded again,
	 * so that taking one off on import gives back exactly what was
	 * written (csvio.c) */
	if (s[0] == '\'')
		return text_formula_like(s + 1);
	return s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r' || (s[0] == '-' && s[1] != ' ' && s[1] != '\0');
}

int text_nfc(const char *s, size_t len, char **out)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r;

	if (out == NULL)
		return -1;
	*out = NULL;
	if (!text_valid_utf8(s, len) || len > (size_t)PTRDIFF_MAX)
		return -1;
	if (len == 0) {
		/* utf8proc is not asked about the empty string: return "" directly */
		*out = calloc(1, 1);
		return *out ? 0 : -1;
	}
	r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
			 (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
	if (r < 0 || dst == NULL) {
		free(dst);
		return -1;
	}
	*out = (char *)dst;
	return 0;
}

char *text_fold(const char *s)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r;
	char *w, *rd;
	bool pending_space = false;

	if (s == NULL || !text_valid_utf8(s, strlen(s)))
		return NULL;
	/* COMPOSE implies canonical decomposition first, so STRIPMARK can drop
	 * the tone and vowel marks; LUMP folds typographic variants (en dash,
	 * no-break space, curly quotes) to ASCII so that "2013–2016" and
	 * "2013-2016" have the same key. */
	r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
			 (utf8proc_option_t)(UTF8PROC_NULLTERM | UTF8PROC_STABLE |
					     UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
					     UTF8PROC_CASEFOLD | UTF8PROC_LUMP));
	if (r < 0 || dst == NULL) {
		free(dst);
		return NULL;
	}
	/* In place: the output never grows (đ is 2 bytes, d is 1; runs of space
	 * shrink to one). */
	w = rd = (char *)dst;
	while (is_space(*rd))
		rd++;
	while (*rd) {
		if (is_space(*rd)) {
			pending_space = true;
			rd++;
			continue;
		}
		if (pending_space) {
			*w++ = ' ';
			pending_space = false;
		}
		/* U+0111 đ (C4 91) has no decomposition; CASEFOLD already turned
		 * U+0110 Đ into it, but map both to be safe. */
		if ((unsigned char)rd[0] == 0xC4 &&
		    ((unsigned char)rd[1] == 0x91 || (unsigned char)rd[1] == 0x90)) {
			*w++ = 'd';
			rd += 2;
			continue;
		}
		*w++ = *rd++;
	}
	*w = '\0';
	return (char *)dst;
}

/* Fold a short word into a caller buffer; false when invalid or too long. */
static bool fold_word(const char *w, size_t n, char *buf, size_t buflen)
{
	char tmp[64];
	char *f;
	bool ok;

	if (!copy_bounded(tmp, sizeof tmp, w, n))
		return false;
	f = text_fold(tmp);
	if (f == NULL)
		return false;
	ok = copy_bounded(buf, buflen, f, strlen(f));
	free(f);
	return ok;
}

/* If the folded text at p starts with the whole word `word` (not followed by
 * a letter or digit), return the position after it, else NULL. */
static const char *match_word(const char *p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(p, word, n) != 0)
		return NULL;
	if (is_word_byte(p[n]))
		return NULL;
	return p + n;
}

/* ---- numbers ------------------------------------------------------------- */

static double pow10_int(int e)
{
	double r = 1.0;

	/* Repeated multiplication is exact up to 1e22, more than any report
	 * needs; beyond that the usual rounding is acceptable. */
	while (e-- > 0)
		r *= 10.0;
	return r;
}

/* The parts of a decimal: value = mant / 10^frac.  Keeping the mantissa as an
 * integer lets a scale word ("18,9 tỷ") be applied exactly. */
struct dec_parts {
	double mant;
	int frac;
	bool neg;
};

#define DEC_MAX_DIGITS 30

/* Parse s[0..n) (no surrounding spaces) per the Vietnamese rules documented
 * in text.h.  Returns 0 or -1. */
static int parse_dec_parts(const char *s, size_t n, struct dec_parts *d)
{
	const char *p = s, *e = s + n, *digits;
	size_t lead = 0, ndots = 0, ndigits = 0;
	const char *comma = NULL;
	bool all_groups3 = true;

	memset(d, 0, sizeof *d);
	if (p < e && (*p == '-' || *p == '+')) {
		d->neg = *p == '-';
		p++;
	}
	digits = p;
	while (p < e && is_digit(*p)) {
		lead++;
		p++;
	}
	if (lead == 0)
		return -1;
	while (p < e && *p == '.') {
		size_t g = 0;

		p++;
		while (p < e && is_digit(*p)) {
			g++;
			p++;
		}
		if (g == 0)
			return -1;
		ndots++;
		if (g != 3)
			all_groups3 = false;
	}
	if (p < e && *p == ',') {
		comma = p++;
		if (p >= e || !is_digit(*p))
			return -1;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p != e)
		return -1;

	/* Decide what the dots mean.  A leading group "0" cannot start a grouped
	 * number, so "0.500" is read as a decimal point. */
	bool zero_lead = lead == 1 && *digits == '0';
	bool dots_are_groups;
	if (ndots == 0) {
		dots_are_groups = false;
	} else if (comma != NULL || ndots >= 2) {
		/* "1.234,5" and "1.234.567": only thousands grouping makes sense */
		if (!all_groups3 || lead > 3 || zero_lead)
			return -1;
		dots_are_groups = true;
	} else {
		/* A single dot: "23.000" groups thousands, "97.4" is a decimal
		 * point; "1234.567" cannot be a grouped number, so it is ISO. */
		dots_are_groups = all_groups3 && lead <= 3 && !zero_lead;
	}

	bool seen_point = false;
	for (p = digits; p < e; p++) {
		if (is_digit(*p)) {
			if (++ndigits > DEC_MAX_DIGITS)
				return -1;
			d->mant = d->mant * 10.0 + (*p - '0');
			if (seen_point)
				d->frac++;
		} else if (*p == ',' || (*p == '.' && !dots_are_groups)) {
			seen_point = true;
		}
	}
	return 0;
}

static double dec_value(const struct dec_parts *d, int scale_exp)
{
	double v;
	int e = scale_exp - d->frac;

	v = e >= 0 ? d->mant * pow10_int(e) : d->mant / pow10_int(-e);
	return d->neg ? -v : v;
}

int vi_parse_decimal(const char *s, double *out)
{
	const char *b, *e;
	struct dec_parts d;

	if (s == NULL || out == NULL)
		return -1;
	b = s;
	e = s + strlen(s);
	trim_range(&b, &e);
	if (parse_dec_parts(b, (size_t)(e - b), &d) != 0)
		return -1;
	*out = dec_value(&d, 0);
	return 0;
}

/* ---- quantities ---------------------------------------------------------- */

struct word_map { const char *folded; const char *canon; };

static const struct word_map qualifiers[] = {
	{ "tren", "trên" },     { "hon", "hơn" },   { "gan", "gần" },
	{ "khoang", "khoảng" }, { "duoi", "dưới" }, { "toi", "tới" },
};

/* Verbs/prepositions that may precede a number and carry no meaning for the
 * value: "đạt 97%", "từ 1 - 2 biên chế". */
static const char *const fillers[] = { "dat", "tu", "con", "la", "voi" };

struct scale_word { const char *folded; int exp; };

static const struct scale_word scales[] = {
	{ "nghin", 3 }, { "ngan", 3 }, { "trieu", 6 }, { "ty", 9 }, { "ti", 9 },
};

/* End of the word that starts at p: stops at white space, ASCII
 * punctuation or a digit, so "km/h" yields "km" and "tỷ" yields "tỷ". */
static const char *word_end(const char *p)
{
	while (*p && ((unsigned char)*p >= 0x80 || is_alpha(*p)))
		p++;
	return p;
}

/* Read one number token ("23.000", "184,5") and an optional scale word after
 * it.  On success returns the position after them and fills *d, *scale. */
static const char *read_number(const char *p, struct dec_parts *d, int *scale)
{
	const char *b = p, *q, *w, *we;
	char fw[16];

	*scale = 0;
	if (!is_digit(*p))
		return NULL;
	/* digits ([.,] digits)*: a trailing separator is not part of it */
	while (is_digit(*p))
		p++;
	while ((*p == '.' || *p == ',') && is_digit(p[1])) {
		p++;
		while (is_digit(*p))
			p++;
	}
	if (parse_dec_parts(b, (size_t)(p - b), d) != 0)
		return NULL;
	q = skip_spaces(p);
	w = q;
	we = word_end(w);
	if (we > w && fold_word(w, (size_t)(we - w), fw, sizeof fw)) {
		for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
			if (strcmp(fw, scales[i].folded) == 0) {
				*scale = scales[i].exp;
				return we;
			}
		}
	}
	return p;
}

/* Store a unit: trimmed, trailing sentence punctuation dropped, must start
 * with a letter (so "31/10/2023" is not read as 31/10 of unit "/2023") and
 * fit the buffer. */
static bool store_unit(const char *b, const char *e, char *dst, size_t dstlen)
{
	trim_range(&b, &e);
	while (e > b && (e[-1] == '.' || e[-1] == ',' || e[-1] == ';' ||
			 e[-1] == ':'))
		e--;
	trim_range(&b, &e);
	if (b == e) {
		dst[0] = '\0';
		return true;
	}
	if (!is_alpha(*b) && (unsigned char)*b < 0x80 && *b != '%')
		return false;
	return copy_bounded(dst, dstlen, b, (size_t)(e - b));
}

/* Is p a '-' or an en/em dash or the word "đến"/"tới" (folded check)? */
static const char *range_sep(const char *p)
{
	char fw[16];
	const char *we;

	if (*p == '-')
		return p + 1;
	/* U+2012..U+2014 figure/en/em dash: E2 80 92..94 */
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] >= 0x92 && (unsigned char)p[2] <= 0x94)
		return p + 3;
	we = word_end(p);
	if (we > p && fold_word(p, (size_t)(we - p), fw, sizeof fw) &&
	    (strcmp(fw, "den") == 0 || strcmp(fw, "toi") == 0))
		return we;
	return NULL;
}

/* Position of a '/' that is followed (after spaces) by a digit, or NULL. */
static const char *find_slash_digit(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p == '/' && is_digit(*skip_spaces(p + 1)))
			return p;
	return NULL;
}

static int parse_quantity_nfc(const char *t, struct vi_quantity *q)
{
	const char *p = t, *end = t + strlen(t), *r;
	struct dec_parts d1, d2;
	int sc1, sc2;

	/* leading qualifier / filler words */
	for (int nwords = 0;; nwords++) {
		const char *we;
		char fw[16];
		bool known = false;

		p = skip_spaces(p);
		if (is_digit(*p))
			break;
		we = word_end(p);
		if (we == p || nwords >= 3 || !is_space(*we) ||
		    !fold_word(p, (size_t)(we - p), fw, sizeof fw))
			return -1;
		for (size_t i = 0; i < sizeof qualifiers / sizeof qualifiers[0]; i++) {
			if (strcmp(fw, qualifiers[i].folded) == 0 && q->qualifier[0] == '\0') {
				if (!copy_bounded(q->qualifier, sizeof q->qualifier,
						  qualifiers[i].canon,
						  strlen(qualifiers[i].canon)))
					return -1;
				known = true;
				break;
			}
		}
		for (size_t i = 0; !known && i < sizeof fillers / sizeof fillers[0]; i++)
			known = strcmp(fw, fillers[i]) == 0;
		if (!known)
			return -1;
		p = we;
	}

	p = read_number(p, &d1, &sc1);
	if (p == NULL)
		return -1;
	r = skip_spaces(p);

	if (*r == '%') {
		q->kind = VI_QTY_PERCENT;
		q->value = dec_value(&d1, sc1);
		return store_unit(r + 1, end, q->unit, sizeof q->unit) ? 0 : -1;
	}

	const char *after_sep = range_sep(r);
	if (after_sep != NULL) {
		const char *p2 = read_number(skip_spaces(after_sep), &d2, &sc2);
		if (p2 == NULL)
			return -1;
		/* "1,5-2 triệu": the scale written once applies to both ends */
		if (sc1 == 0)
			sc1 = sc2;
		q->kind = VI_QTY_RANGE;
		q->value = dec_value(&d1, sc1);
		q->value2 = dec_value(&d2, sc2);
		if (q->value2 < q->value)
			return -1;
		return store_unit(p2, end, q->unit, sizeof q->unit) ? 0 : -1;
	}

	if (*r == '/') {
		const char *p2 = read_number(skip_spaces(r + 1), &d2, &sc2);
		if (p2 == NULL)
			return -1;
		q->kind = VI_QTY_FRACTION;
		q->value = dec_value(&d1, sc1);
		q->value2 = dec_value(&d2, sc2);
		if (q->value2 == 0.0)
			return -1;
		return store_unit(p2, end, q->unit, sizeof q->unit) ? 0 : -1;
	}

	/* a unit, possibly followed by "/<number> <unit2>" (linked counts) */
	const char *slash = find_slash_digit(r, end);
	q->value = dec_value(&d1, sc1);
	if (slash == NULL) {
		q->kind = VI_QTY_NUMBER;
		return store_unit(r, end, q->unit, sizeof q->unit) ? 0 : -1;
	}
	if (!store_unit(r, slash, q->unit, sizeof q->unit) || q->unit[0] == '\0')
		return -1;
	const char *p2 = read_number(skip_spaces(slash + 1), &d2, &sc2);
	if (p2 == NULL || find_slash_digit(p2, end) != NULL)
		return -1;
	q->kind = VI_QTY_LINKED;
	q->value2 = dec_value(&d2, sc2);
	return store_unit(p2, end, q->unit2, sizeof q->unit2) ? 0 : -1;
}

int vi_parse_quantity(const char *s, struct vi_quantity *q)
{
	char *t = NULL;
	int rc;

	if (q == NULL)
		return -1;
	memset(q, 0, sizeof *q);
	if (s == NULL || text_nfc(s, strlen(s), &t) != 0)
		return -1;
	rc = parse_quantity_nfc(t, q);
	free(t);
	if (rc != 0)
		memset(q, 0, sizeof *q);
	return rc;
}

/* ---- dates --------------------------------------------------------------- */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && (y == 0 || is_leap(y)))
		return 29; /* unknown year: 29 February may exist */
	return dm[m - 1];
}

static bool date_ok(int y, int m, int d)
{
	return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

int
vi_date_problem(const char *s, char *msg, size_t len)
{
	int a = 0, b = 0, c = 0, y, m, d, n;
	char sep1 = 0, sep2 = 0;

	while (*s == ' ')
		s++;
	/* dd/mm/yyyy (also - and .) or yyyy-mm-dd, digits only */
	if (sscanf(s, "%d%c%d%c%d%n", &a, &sep1, &b, &sep2, &c, &n) != 5 ||
	    sep1 != sep2 || strchr("/-.", sep1) == NULL)
		return 0;
	while (s[n] == ' ')
		n++;
	if (s[n] != '\0' || a < 0 || b < 0 || c < 0)
		return 0;
	if (a >= 1000) {
		y = a;
		m = b;
		d = c;
	} else if (c >= 1000) {
		d = a;
		m = b;
		y = c;
	} else {
		return 0;
	}
	if (m < 1 || m > 12) {
		snprintf(msg, len, "không có tháng %d (tháng từ 1 đến 12)", m);
		return 1;
	}
	if (d < 1) {
		snprintf(msg, len, "không có ngày %d", d);
		return 1;
	}
	if (d <= days_in_month(y, m))
		return 0;
	if (m == 2 && d == 29)
		snprintf(msg, len, "tháng 2 năm %d không có ngày 29 (năm %d không "
		    "nhuận)", y, y);
	else
		snprintf(msg, len, "tháng %d không có ngày %d (tháng %d có %d ngày)", m,
		    d, m, days_in_month(y, m));
	return 1;
}

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian;
 * H. Hinnant's algorithms): times are shifted without the C library's
 * time zone state, which is process-wide. */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
vi_time_local(const char *s, char *buf, size_t len)
{
	int y, mo, d, h, mi, sec = 0, n = 0, k;
	long days, mins;
	char sep;

	if (len > 0)
		buf[0] = '\0';
	if (s == NULL || len < VI_TIME_LOCAL_MAX ||
	    sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 ||
	    n != 16 || (sep != 'T' && sep != ' ') || !date_ok(y, mo, d) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	/* the rest: ":SS", fractions, "Z" or "+00:00" - UTC either way */
	if (s[n] == ':' && sscanf(s + n + 1, "%2d", &sec) == 1 && (sec < 0 || sec > 60))
		return -1;
	mins = h * 60L + mi + CLOCK_UTC_OFFSET_S / 60;
	days = days_from_civil(y, mo, d) + mins / (24 * 60);
	mins %= 24 * 60;
	civil_from_days(days, &y, &mo, &d);
	k = snprintf(buf, len, "%02d/%02d/%04d %02ld:%02ld", d, mo, y, mins / 60, mins % 60);
	if (k < 0 || (size_t)k >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* Read 1..maxd digits; returns the position after them or NULL. */
static const char *read_uint(const char *p, int maxd, int *val, int *ndig)
{
	int v = 0, n = 0;

	while (is_digit(*p)) {
		if (++n > maxd)
			return NULL;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n == 0)
		return NULL;
	*val = v;
	if (ndig)
		*ndig = n;
	return p;
}

/* Optional " năm YYYY" after a day/month; returns new position. */
static const char *opt_year_word(const char *p, int *year)
{
	const char *q = skip_spaces(p), *w;
	int nd;

	if ((w = match_word(q, "nam")) != NULL) {
		w = read_uint(skip_spaces(w), 4, year, &nd);
		if (w == NULL || nd != 4)
			return NULL;
		return w;
	}
	return p;
}

static int parse_date_folded(const char *f, int default_year, struct vi_date *out)
{
	static const char *const prefixes[] = { "ngay", "sang", "chieu", "toi",
						"trua", "dem", "vao", "hom" };
	const char *p = f, *w;
	int a, nd, y = -1, m = 0, d = 0; /* y == -1: no year written */

	/* "Chiều ngày 27/11", "Vào sáng ngày 5.12": skip time-of-day words */
	for (bool again = true; again;) {
		again = false;
		p = skip_spaces(p);
		for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
			if ((w = match_word(p, prefixes[i])) != NULL) {
				p = w;
				again = true;
				break;
			}
		}
	}
	p = read_uint(p, 4, &a, &nd);
	if (p == NULL)
		return -1;
	if (nd == 4) {
		/* ISO order: YYYY-MM-DD (also with '/' or '.') */
		char sep = *p;
		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		y = a;
		p = read_uint(p + 1, 2, &m, NULL);
		if (p == NULL || *p != sep)
			return -1;
		p = read_uint(p + 1, 2, &d, NULL);
		if (p == NULL)
			return -1;
	} else if (nd <= 2) {
		d = a;
		if (*p == '/' || *p == '-' || *p == '.') {
			char sep = *p;
			p = read_uint(p + 1, 2, &m, NULL);
			if (p == NULL)
				return -1;
			if (*p == sep) {
				p = read_uint(p + 1, 4, &y, &nd);
				if (p == NULL || nd != 4)
					return -1;
			} else {
				p = opt_year_word(p, &y);
			}
		} else if ((w = match_word(skip_spaces(p), "thang")) != NULL) {
			p = read_uint(skip_spaces(w), 2, &m, NULL);
			if (p == NULL)
				return -1;
			p = opt_year_word(p, &y);
		} else {
			return -1;
		}
		if (p == NULL)
			return -1;
	} else {
		return -1;
	}
	if (*skip_spaces(p) != '\0')
		return -1;
	if (y == -1)
		y = default_year > 0 ? default_year : 0;
	else if (y < 1)
		return -1; /* "31/10/0000" */
	if (!date_ok(y, m, d))
		return -1;
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
}

int vi_parse_date(const char *s, int default_year, struct vi_date *out)
{
	char *f;
	int rc;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof *out);
	if (s == NULL || (f = text_fold(s)) == NULL)
		return -1;
	rc = parse_date_folded(f, default_year, out);
	free(f);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int vi_date_iso(const struct vi_date *d, char *buf, size_t len)
{
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (d == NULL || len < 11 || d->year < 1 || !date_ok(d->year, d->month, d->day))
		return -1;
	n = snprintf(buf, len, "%04d-%02d-%02d", d->year, d->month, d->day);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
vi_date_input(const char *s, char *iso, char *msg, size_t msglen)
{
	struct vi_date d;
	char why[120];

	iso[0] = '\0';
	if (msglen > 0)
		msg[0] = '\0';
	if (s != NULL && vi_iso_date_valid(s)) {
		memcpy(iso, s, VI_DATE_ISO_MAX - 1);
		iso[VI_DATE_ISO_MAX - 1] = '\0';
		return 0;
	}
	if (s != NULL && vi_parse_date(s, 0, &d) == 0 && d.year > 0 &&
	    vi_date_iso(&d, iso, VI_DATE_ISO_MAX) == 0)
		return 0;
	iso[0] = '\0';
	if (s != NULL && vi_date_problem(s, why, sizeof(why)))
		snprintf(msg, msglen, "%s", why);
	else
		snprintf(msg, msglen, "không phải ngày (dùng %s)", VI_DATE_FORMS);
	return -1;
}

bool vi_iso_date_valid(const char *s)
{
	int y = 0, m = 0, d = 0;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (!is_digit(s[i]))
			return false;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return y >= 1 && date_ok(y, m, d);
}

/* ---- periods ------------------------------------------------------------- */

#define PERIOD_YEAR_MIN 1900
#define PERIOD_YEAR_MAX 2100

static bool year_ok(int y)
{
	return y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX;
}

/* Read a 4-digit year with a word boundary after it. */
static const char *read_year(const char *p, int *y)
{
	int nd;
	const char *q = read_uint(p, 4, y, &nd);

	if (q == NULL || nd != 4 || is_word_byte(*q) || !year_ok(*y))
		return NULL;
	return q;
}

/* Separator between a quarter/month and its year: "/", "-", "." or "năm",
 * with optional spaces around it. */
static const char *period_year_sep(const char *p)
{
	const char *q = skip_spaces(p), *w;

	if (*q == '/' || *q == '-' || *q == '.')
		return skip_spaces(q + 1);
	if ((w = match_word(q, "nam")) != NULL)
		return skip_spaces(w);
	return NULL;
}

/* Fill start/end/code from kind/year/year_end/index. */
static int period_finish(struct vi_period *o)
{
	int m1 = 1, m2 = 12, n1, n2, n3;

	switch (o->kind) {
	case VI_PERIOD_YEAR:
		n3 = snprintf(o->code, sizeof o->code, "%04d", o->year);
		break;
	case VI_PERIOD_HALF:
		m1 = o->index == 1 ? 1 : 7;
		m2 = m1 + 5;
		n3 = snprintf(o->code, sizeof o->code, "%04d-H%d", o->year, o->index);
		break;
	case VI_PERIOD_QUARTER:
		m2 = o->index * 3;
		m1 = m2 - 2;
		n3 = snprintf(o->code, sizeof o->code, "%04d-Q%d", o->year, o->index);
		break;
	case VI_PERIOD_MONTH:
		m1 = m2 = o->index;
		n3 = snprintf(o->code, sizeof o->code, "%04d-%02d", o->year, o->index);
		break;
	case VI_PERIOD_FIRST_MONTHS:
		m2 = o->index;
		n3 = snprintf(o->code, sizeof o->code, "%04d-%dM", o->year, o->index);
		break;
	case VI_PERIOD_RANGE:
		n3 = snprintf(o->code, sizeof o->code, "%04d-%04d", o->year, o->year_end);
		break;
	default:
		return -1;
	}
	if (o->kind != VI_PERIOD_RANGE)
		o->year_end = o->year;
	n1 = snprintf(o->start, sizeof o->start, "%04d-%02d-01", o->year, m1);
	n2 = snprintf(o->end, sizeof o->end, "%04d-%02d-%02d", o->year_end, m2,
		      days_in_month(o->year_end, m2));
	if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n1 >= sizeof o->start ||
	    (size_t)n2 >= sizeof o->end || (size_t)n3 >= sizeof o->code)
		return -1;
	return 0;
}

/* "N tháng [đầu|cuối] năm": the first n months of the year, or (last) the
 * final six.  6 months is a half, 12 the whole year. */
static int period_months(struct vi_period *o, int n, bool last)
{
	if (last) {
		if (n != 6)
			return -1;
		o->kind = VI_PERIOD_HALF;
		o->index = 2;
	} else if (n == 6) {
		o->kind = VI_PERIOD_HALF;
		o->index = 1;
	} else if (n == 12) {
		o->kind = VI_PERIOD_YEAR;
	} else if (n >= 1 && n <= 11) {
		o->kind = VI_PERIOD_FIRST_MONTHS;
		o->index = n;
	} else {
		return -1;
	}
	return 0;
}

static const char *read_quarter(const char *p, int *q)
{
	static const char *const roman[] = { "i", "ii", "iii", "iv" };
	const char *w;
	int nd;

	if (is_digit(*p)) {
		w = read_uint(p, 1, q, &nd);
		if (w == NULL || *q < 1 || *q > 4 || is_word_byte(*w))
			return NULL;
		return w;
	}
	/* longest first so that "iii" is not read as "i" */
	for (int i = 3; i >= 0; i--) {
		if ((w = match_word(p, roman[i])) != NULL) {
			*q = i + 1;
			return w;
		}
	}
	return NULL;
}

static int parse_period_folded(const char *f, struct vi_period *o)
{
	const char *p = skip_spaces(f), *w;
	int n, nd;

	if ((w = match_word(p, "giai doan")) != NULL ||
	    (w = match_word(p, "nhiem ky")) != NULL ||
	    (w = match_word(p, "thoi ky")) != NULL) {
		p = skip_spaces(w);
		if ((w = match_word(p, "tu")) != NULL) /* "giai đoạn từ 2013 đến 2016" */
			p = skip_spaces(w);
		if ((p = read_year(p, &o->year)) == NULL)
			return -1;
		p = skip_spaces(p);
		if (*p == '-')
			p = p + 1;
		else if ((w = match_word(p, "den")) != NULL)
			p = w;
		else
			return -1;
		if ((p = read_year(skip_spaces(p), &o->year_end)) == NULL)
			return -1;
		o->kind = VI_PERIOD_RANGE;
	} else if ((w = match_word(p, "quy")) != NULL) {
		if ((p = read_quarter(skip_spaces(w), &o->index)) == NULL ||
		    (p = period_year_sep(p)) == NULL ||
		    (p = read_year(p, &o->year)) == NULL)
			return -1;
		o->kind = VI_PERIOD_QUARTER;
	} else if ((w = match_word(p, "thang")) != NULL) {
		if ((p = read_uint(skip_spaces(w), 2, &o->index, NULL)) == NULL ||
		    o->index < 1 || o->index > 12 ||
		    (p = period_year_sep(p)) == NULL ||
		    (p = read_year(p, &o->year)) == NULL)
			return -1;
		o->kind = VI_PERIOD_MONTH;
	} else if ((w = match_word(p, "nam")) != NULL) {
		if ((p = read_year(skip_spaces(w), &o->year)) == NULL)
			return -1;
		o->kind = VI_PERIOD_YEAR;
	} else if ((w = match_word(p, "nua")) != NULL) {
		/* "nửa đầu năm 2024", "nửa cuối năm 2024" */
		p = skip_spaces(w);
		if ((w = match_word(p, "dau")) != NULL)
			o->index = 1;
		else if ((w = match_word(p, "cuoi")) != NULL)
			o->index = 2;
		else
			return -1;
		if ((w = match_word(skip_spaces(w), "nam")) == NULL ||
		    (p = read_year(skip_spaces(w), &o->year)) == NULL)
			return -1;
		o->kind = VI_PERIOD_HALF;
	} else if ((*p == 'q' && p[1] >= '1' && p[1] <= '4' && !is_word_byte(p[2])) ||
		   (*p == 'h' && (p[1] == '1' || p[1] == '2') && !is_word_byte(p[2]))) {
		/* "Q4/2025", "Q4 2025", "H1-2024": the code's letters in front,
		 * as spreadsheets write them */
		o->kind = *p == 'q' ? VI_PERIOD_QUARTER : VI_PERIOD_HALF;
		o->index = p[1] - '0';
		w = period_year_sep(p + 2);
		if ((p = read_year(w != NULL ? w : skip_spaces(p + 2), &o->year)) == NULL)
			return -1;
	} else if ((w = read_uint(p, 4, &n, &nd)) != NULL && nd == 4) {
		/* canonical codes and a bare year */
		o->year = n;
		if (!year_ok(n))
			return -1;
		p = skip_spaces(w);
		if (*p == '\0') {
			o->kind = VI_PERIOD_YEAR;
		} else if (*p == '-') {
			const char *q = skip_spaces(p + 1);
			if (*q == 'h' && (q[1] == '1' || q[1] == '2') && !is_word_byte(q[2])) {
				o->kind = VI_PERIOD_HALF;
				o->index = q[1] - '0';
				p = q + 2;
			} else if (*q == 'q' && q[1] >= '1' && q[1] <= '4' &&
				   !is_word_byte(q[2])) {
				o->kind = VI_PERIOD_QUARTER;
				o->index = q[1] - '0';
				p = q + 2;
			} else if ((w = read_uint(q, 4, &n, &nd)) != NULL) {
				if (nd == 4) {
					if (!year_ok(n))
						return -1;
					o->kind = VI_PERIOD_RANGE;
					o->year_end = n;
					p = w;
				} else if (nd <= 2 && *w == 'm' && !is_word_byte(w[1])) {
					if (period_months(o, n, false) != 0)
						return -1;
					p = w + 1;
				} else if (nd <= 2 && q == p + 1 && n >= 1 && n <= 12) {
					o->kind = VI_PERIOD_MONTH;
					o->index = n;
					p = w;
				} else {
					return -1;
				}
			} else {
				return -1;
			}
		} else {
			return -1;
		}
	} else if ((w = read_uint(p, 2, &n, NULL)) != NULL &&
		   (w = match_word(skip_spaces(w), "thang")) != NULL) {
		/* "6 tháng đầu năm 2024", "9 tháng năm 2024", "6 tháng cuối năm" */
		bool last = false;
		p = skip_spaces(w);
		if ((w = match_word(p, "dau")) != NULL) {
			p = skip_spaces(w);
		} else if ((w = match_word(p, "cuoi")) != NULL) {
			last = true;
			p = skip_spaces(w);
		}
		if ((w = match_word(p, "nam")) == NULL ||
		    (p = read_year(skip_spaces(w), &o->year)) == NULL ||
		    period_months(o, n, last) != 0)
			return -1;
	} else {
		return -1;
	}
	if (*skip_spaces(p) != '\0')
		return -1;
	if (o->kind == VI_PERIOD_RANGE && o->year_end <= o->year)
		return -1;
	return period_finish(o);
}

int vi_parse_period(const char *s, struct vi_period *out)
{
	char *f;
	int rc;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof *out);
	if (s == NULL)
		return -1;
	/* the fold of valid UTF-8 fails only when memory does */
	if ((f = text_fold(s)) == NULL)
		return text_valid_utf8(s, strlen(s)) ? VI_NOMEM : -1;
	rc = parse_period_folded(f, out);
	free(f);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int vi_period_label(const struct vi_period *p, char *buf, size_t len)
{
	static const char *const roman[] = { "I", "II", "III", "IV" };
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (p == NULL)
		return -1;
	switch (p->kind) {
	case VI_PERIOD_YEAR:
		n = snprintf(buf, len, "năm %04d", p->year);
		break;
	case VI_PERIOD_HALF:
		n = snprintf(buf, len, "6 tháng %s năm %04d",
			     p->index == 1 ? "đầu" : "cuối", p->year);
		break;
	case VI_PERIOD_QUARTER:
		if (p->index < 1 || p->index > 4)
			return -1;
		n = snprintf(buf, len, "quý %s năm %04d", roman[p->index - 1], p->year);
		break;
	case VI_PERIOD_MONTH:
		n = snprintf(buf, len, "tháng %d năm %04d", p->index, p->year);
		break;
	case VI_PERIOD_FIRST_MONTHS:
		n = snprintf(buf, len, "%d tháng đầu năm %04d", p->index, p->year);
		break;
	case VI_PERIOD_RANGE:
		n = snprintf(buf, len, "giai đoạn %04d-%04d", p->year, p->year_end);
		break;
	default:
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- dates in words ------------------------------------------------------- */

/* Reads 1..max digits at s into *v; the count, 0 when none or more. */
static size_t
read_digits(const char *s, size_t max, int *v)
{
	size_t n = 0;

	*v = 0;
	while (n <= max && s[n] >= '0' && s[n] <= '9')
		*v = *v * 10 + (s[n++] - '0');
	return n >= 1 && n <= max ? n : 0;
}

static bool
is_date_sep(char c)
{
	return c == '/' || c == '.' || c == '-';
}

/* "D/M/YYYY" (or with '.' or '-') at s: the bytes read, 0 if none. */
static size_t
read_dmy(const char *s, int *d, int *m, int *y)
{
	size_t a, b, c;

	if ((a = read_digits(s, 2, d)) == 0 || !is_date_sep(s[a]) ||
	    (b = read_digits(s + a + 1, 2, m)) == 0 || s[a + 1 + b] != s[a] ||
	    (c = read_digits(s + a + b + 2, 4, y)) != 4)
		return 0;
	if (*d < 1 || *d > 31 || *m < 1 || *m > 12)
		return 0;
	return a + b + c + 2;
}

/* "M/YYYY" at s (or '.', '-'): the bytes read, 0 if none. */
static size_t
read_my(const char *s, int *m, int *y)
{
	size_t a, c;

	if ((a = read_digits(s, 2, m)) == 0 || !is_date_sep(s[a]) ||
	    (c = read_digits(s + a + 1, 4, y)) != 4 || *m < 1 || *m > 12)
		return 0;
	return a + c + 1;
}

char *
vi_dates_in_words(const char *s)
{
	static const char day[] = "ngày ", month[] = "tháng ";
	size_t len = strlen(s), o = 0, i = 0, n;
	/* each date grows by at most 16 bytes and takes at least 8 */
	size_t cap = len * 3 + 1;
	char *out = malloc(cap);
	int d, m, y, k;

	if (out == NULL)
		return NULL;
	while (i < len) {
		bool word = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(';
		if (word && strncmp(s + i, day, sizeof(day) - 1) == 0 &&
		    (n = read_dmy(s + i + sizeof(day) - 1, &d, &m, &y)) > 0 &&
		    !(s[i + sizeof(day) - 1 + n] >= '0' && s[i + sizeof(day) - 1 + n] <= '9')) {
			k = m < 3 ? snprintf(out + o, cap - o, "ngày %02d tháng %02d năm %d",
			    d, m, y) : snprintf(out + o, cap - o, "ngày %02d tháng %d năm %d",
			    d, m, y);
			if (k < 0 || (size_t)k >= cap - o)
				break; /* cannot be: cap holds every date grown */
			o += (size_t)k;
			i += sizeof(day) - 1 + n;
			continue;
		}
		if (word && strncmp(s + i, month, sizeof(month) - 1) == 0 &&
		    (n = read_my(s + i + sizeof(month) - 1, &m, &y)) > 0 &&
		    !(s[i + sizeof(month) - 1 + n] >= '0' && s[i + sizeof(month) - 1 + n] <= '9')) {
			k = snprintf(out + o, cap - o, "tháng %d năm %d", m, y);
			if (k < 0 || (size_t)k >= cap - o)
				break;
			o += (size_t)k;
			i += sizeof(month) - 1 + n;
			continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return out;
}

/* ---- document numbers ---------------------------------------------------- */

const struct doc_kind_entry doc_kinds[] = {
	/* Decree 30/2020/NĐ-CP, Appendix III, and Party documents (HD 36) */
	{ "QĐ", "Quyết định" },     { "NQ", "Nghị quyết" },
	{ "KL", "Kết luận" },       { "CT", "Chỉ thị" },
	{ "KH", "Kế hoạch" },       { "QC", "Quy chế" },
	{ "QyĐ", "Quy định" },      { "QĐi", "Quy định" },
	{ "BC", "Báo cáo" },        { "NĐ", "Nghị định" },
	{ "TT", "Thông tư" },       { "TB", "Thông báo" },
	{ "TTr", "Tờ trình" },      { "HD", "Hướng dẫn" },
	{ "CTr", "Chương trình" },  { "ĐA", "Đề án" },
	{ "BB", "Biên bản" },       { "HĐ", "Hợp đồng" },
	{ "GM", "Giấy mời" },       { "CV", "Công văn" },
	{ "L", "Luật" },            { "PL", "Pháp lệnh" },
	{ "TC", "Thông cáo" },      { "PA", "Phương án" },
	{ "DA", "Dự án" },          { "CĐ", "Công điện" },
	{ "BGN", "Bản ghi nhớ" },   { "BTT", "Bản thỏa thuận" },
	{ "GUQ", "Giấy ủy quyền" }, { "GGT", "Giấy giới thiệu" },
	{ "GNP", "Giấy nghỉ phép" }, { "PG", "Phiếu gửi" },
	{ "PC", "Phiếu chuyển" },   { "PB", "Phiếu báo" },
	{ "TTLT", "Thông tư liên tịch" }, { "NQLT", "Nghị quyết liên tịch" },
};
const size_t doc_kinds_count = sizeof doc_kinds / sizeof doc_kinds[0];

/* Case- and diacritic-insensitive key of a kind abbreviation: ASCII letters
 * lower-cased and đ/Đ -> d.  Anything else makes it not an abbreviation. */
static bool kind_key(const char *s, size_t n, char *buf, size_t buflen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char k;

		if (c == 0xC4 && i + 1 < n &&
		    ((unsigned char)s[i + 1] == 0x90 || (unsigned char)s[i + 1] == 0x91)) {
			k = 'd';
			i++;
		} else if (is_alpha((char)c)) {
			k = (char)(c | 0x20);
		} else {
			return false;
		}
		if (o + 1 >= buflen)
			return false;
		buf[o++] = k;
	}
	if (o == 0)
		return false;
	buf[o] = '\0';
	return true;
}

/* Look a kind up: exact spelling first; otherwise the case/diacritic-less
 * key, accepted only when it designates a single entry ("QD" -> "QĐ", but
 * "hd" is ambiguous between HD Hướng dẫn and HĐ Hợp đồng). */
static const struct doc_kind_entry *kind_lookup(const char *s, size_t n)
{
	const struct doc_kind_entry *hit = NULL;
	char key[DOC_KIND_MAX], k2[DOC_KIND_MAX];

	for (size_t i = 0; i < doc_kinds_count; i++)
		if (strlen(doc_kinds[i].abbrev) == n &&
		    memcmp(doc_kinds[i].abbrev, s, n) == 0)
			return &doc_kinds[i];
	if (!kind_key(s, n, key, sizeof key))
		return NULL;
	for (size_t i = 0; i < doc_kinds_count; i++) {
		const char *a = doc_kinds[i].abbrev;
		if (kind_key(a, strlen(a), k2, sizeof k2) && strcmp(key, k2) == 0) {
			if (hit != NULL)
				return NULL;
			hit = &doc_kinds[i];
		}
	}
	return hit;
}

const char *doc_kind_name(const char *abbrev)
{
	const struct doc_kind_entry *e;

	if (abbrev == NULL)
		return NULL;
	e = kind_lookup(abbrev, strlen(abbrev));
	return e ? e->name : NULL;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0) {
		err[0] = '\0';
	} else if ((size_t)n >= errlen) {
		/* cut back to a character boundary so err stays valid UTF-8 */
		size_t k = errlen - 1;
		while (k > 0 && !text_valid_utf8(err, k))
			k--;
		err[k] = '\0';
	}
}

/* Longest prefix of s not above max bytes that ends on a character
 * boundary, for quoting user text in messages ("%.*s" counts bytes). */
static int utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

/* Build the compact symbol: white space around '/' and '-' is dropped
 * ("07 / BC - UBND"), typographic dashes become '-'.  White space anywhere
 * else means the text is not a single symbol.  Returns false on that. */
/* Length of a typographic dash at p (U+2010..U+2014), else 0. */
static size_t dash_len(const char *p)
{
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x94)
		return 3;
	return 0;
}

static bool compact_symbol(const char *s, char *buf, size_t buflen)
{
	size_t o = 0;
	const char *p = s;

	while (*p) {
		size_t dl;

		if (is_space(*p)) {
			const char *q = skip_spaces(p);
			char prev = o > 0 ? buf[o - 1] : '\0';
			if (*q == '\0')
				break;
			if (prev != '/' && prev != '-' && *q != '/' && *q != '-' &&
			    dash_len(q) == 0)
				return false;
			p = q;
			continue;
		}
		if (o + 1 >= buflen)
			return false;
		if ((dl = dash_len(p)) > 0) {
			buf[o++] = '-';
			p += dl;
		} else {
			buf[o++] = *p++;
		}
	}
	buf[o] = '\0';
	return true;
}

#define DOC_YEAR_MIN 1945
#define DOC_YEAR_MAX 2100

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* Parse an NFC symbol into out; on error writes a Vietnamese message. */
static int doc_parse(const char *t, struct doc_number *out, char *err, size_t errlen)
{
	char sym[256];
	const char *p = skip_spaces(t), *we, *slash, *dash, *delim;
	char fw[16];

	/* optional "Số:" / "số" / "So:" */
	we = word_end(p);
	if (we > p && fold_word(p, (size_t)(we - p), fw, sizeof fw) &&
	    strcmp(fw, "so") == 0) {
		p = skip_spaces(we);
		if (*p == ':')
			p = skip_spaces(p + 1);
	}
	if (*p == '\0') {
		set_err(err, errlen, "Thiếu số, ký hiệu văn bản");
		return -1;
	}
	if (!compact_symbol(p, sym, sizeof sym)) {
		set_err(err, errlen,
			"Số, ký hiệu văn bản chứa khoảng trắng hoặc quá dài: \"%.*s\"",
			utf8_prefix(p, 60), p);
		return -1;
	}

	slash = strchr(sym, '/');
	dash = strchr(sym, '-');
	delim = slash;
	if (dash != NULL && (slash == NULL || dash < slash))
		delim = dash;
	if (delim == NULL) {
		if (all_digits(sym, strlen(sym)))
			set_err(err, errlen, "Thiếu ký hiệu và cơ quan ban hành sau số văn bản");
		else
			set_err(err, errlen, "Thiếu số văn bản (dạng \"số/ký hiệu\")");
		return -1;
	}
	size_t numlen = (size_t)(delim - sym);
	if (numlen == 0) {
		set_err(err, errlen, "Thiếu số văn bản");
		return -1;
	}
	if (!all_digits(sym, numlen)) {
		sym[numlen] = '\0';
		set_err(err, errlen, "Số văn bản \"%.*s\" không phải là số",
			utf8_prefix(sym, 40), sym);
		return -1;
	}
	if (numlen > 9) {
		set_err(err, errlen, "Số văn bản quá lớn");
		return -1;
	}
	long num = 0;
	for (size_t i = 0; i < numlen; i++)
		num = num * 10 + (sym[i] - '0');
	if (num == 0) {
		set_err(err, errlen, "Số văn bản phải lớn hơn 0");
		return -1;
	}
	out->number = num;

	const char *rest = delim + 1;
	if (*delim == '-') {
		/* Party style: NUMBER-KIND/ISSUER */
		const char *sl = strchr(rest, '/');
		out->party_style = true;
		if (sl == NULL || sl[1] == '\0') {
			set_err(err, errlen, "Thiếu cơ quan ban hành (phần sau dấu \"/\")");
			return -1;
		}
		if (sl == rest) {
			set_err(err, errlen, "Thiếu loại văn bản (phần giữa \"-\" và \"/\")");
			return -1;
		}
		const struct doc_kind_entry *k = kind_lookup(rest, (size_t)(sl - rest));
		bool ok = k ? copy_bounded(out->kind, sizeof out->kind, k->abbrev,
					   strlen(k->abbrev))
			    : copy_bounded(out->kind, sizeof out->kind, rest,
					   (size_t)(sl - rest));
		if (!ok) {
			set_err(err, errlen, "Loại văn bản quá dài");
			return -1;
		}
		if (!copy_bounded(out->issuer, sizeof out->issuer, sl + 1, strlen(sl + 1))) {
			set_err(err, errlen, "Ký hiệu cơ quan ban hành quá dài");
			return -1;
		}
		return 0;
	}

	/* State style: NUMBER/[YEAR/]KIND-ISSUER */
	const char *sl2 = strchr(rest, '/');
	if (sl2 != NULL && all_digits(rest, (size_t)(sl2 - rest))) {
		size_t yl = (size_t)(sl2 - rest);
		int y = 0;
		for (size_t i = 0; i < yl && i < 6; i++)
			y = y * 10 + (rest[i] - '0');
		if (yl != 4 || y < DOC_YEAR_MIN || y > DOC_YEAR_MAX) {
			set_err(err, errlen, "Năm ban hành \"%.*s\" nằm ngoài khoảng %d–%d",
				(int)(yl > 8 ? 8 : yl), rest, DOC_YEAR_MIN, DOC_YEAR_MAX);
			return -1;
		}
		out->year = y;
		rest = sl2 + 1;
	} else if (all_digits(rest, strlen(rest))) {
		set_err(err, errlen, "Thiếu ký hiệu và cơ quan ban hành sau số văn bản");
		return -1;
	}
	if (*rest == '\0') {
		set_err(err, errlen, "Thiếu cơ quan ban hành (phần sau dấu \"/\")");
		return -1;
	}
	const char *d2 = strchr(rest, '-');
	const struct doc_kind_entry *k =
		kind_lookup(rest, d2 ? (size_t)(d2 - rest) : strlen(rest));
	if (k != NULL) {
		if (d2 == NULL || d2[1] == '\0') {
			set_err(err, errlen, "Thiếu cơ quan ban hành sau loại văn bản \"%s\"",
				k->abbrev);
			return -1;
		}
		if (!copy_bounded(out->kind, sizeof out->kind, k->abbrev, strlen(k->abbrev)))
			return -1;
		rest = d2 + 1;
	}
	/* no known kind: "915/CTK-CSCL" is a letter whose whole symbol is the
	 * issuing unit */
	if (*rest == '-' || *rest == '/') {
		set_err(err, errlen, "Thiếu cơ quan ban hành");
		return -1;
	}
	if (!copy_bounded(out->issuer, sizeof out->issuer, rest, strlen(rest))) {
		set_err(err, errlen, "Ký hiệu cơ quan ban hành quá dài");
		return -1;
	}
	return 0;
}

int doc_number_parse(const char *s, struct doc_number *out, char *err, size_t errlen)
{
	char *t = NULL;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL) {
		set_err(err, errlen, "Thiếu nơi nhận kết quả");
		return -1;
	}
	memset(out, 0, sizeof *out);
	if (s == NULL) {
		set_err(err, errlen, "Thiếu số, ký hiệu văn bản");
		return -1;
	}
	if (!text_valid_utf8(s, strlen(s)) || text_nfc(s, strlen(s), &t) != 0) {
		set_err(err, errlen, "Số, ký hiệu văn bản không phải UTF-8 hợp lệ");
		return -1;
	}
	rc = doc_parse(t, out, err, errlen);
	free(t);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int doc_number_format(const struct doc_number *d, char *buf, size_t len)
{
	int n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (d == NULL || d->number < 0 || d->issuer[0] == '\0')
		return -1;
	if (d->party_style)
		n = snprintf(buf, len, "%02ld-%s/%s", d->number, d->kind, d->issuer);
	else if (d->year > 0 && d->kind[0] != '\0')
		n = snprintf(buf, len, "%02ld/%d/%s-%s", d->number, d->year, d->kind,
			     d->issuer);
	else if (d->year > 0)
		n = snprintf(buf, len, "%02ld/%d/%s", d->number, d->year, d->issuer);
	else if (d->kind[0] != '\0')
		n = snprintf(buf, len, "%02ld/%s-%s", d->number, d->kind, d->issuer);
	else
		n = snprintf(buf, len, "%02ld/%s", d->number, d->issuer);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

char *
text_upper(const char *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), cap = len * 2 + 8, used = 0;
	char *out, *nfc = NULL;

	out = malloc(cap);
	if (out == NULL)
		return NULL;
	while (*p) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			free(out);
			return NULL;
		}
		if (used + 4 >= cap) {
			char *bigger = realloc(out, cap * 2);
			if (bigger == NULL) {
				free(out);
				return NULL;
			}
			out = bigger;
			cap *= 2;
		}
		used += (size_t)utf8proc_encode_char(utf8proc_toupper(cp),
		    (utf8proc_uint8_t *)out + used);
		p += n;
	}
	out[used] = '\0';
	if (text_nfc(out, used, &nfc) != 0) {
		free(out);
		return NULL;
	}
	free(out);
	return nfc;
}

char *
text_first_case(const char *s, bool upper)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	utf8proc_uint8_t first[4];
	size_t len = strlen(s), flen;
	char *out, *nfc = NULL;

	if (len == 0)
		return strdup("");
	n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
	if (n <= 0)
		return NULL;
	flen = (size_t)utf8proc_encode_char(upper ? utf8proc_toupper(cp) :
	    utf8proc_tolower(cp), first);
	if ((out = malloc(len - (size_t)n + flen + 1)) == NULL)
		return NULL;
	memcpy(out, first, flen);
	memcpy(out + flen, s + n, len - (size_t)n + 1);
	if (text_nfc(out, strlen(out), &nfc) != 0) {
		free(out);
		return NULL;
	}
	free(out);
	return nfc;
}

void
text_label_in_sentence(const char *label, char *buf, size_t len)
{
	utf8proc_int32_t first, second = 0;
	utf8proc_ssize_t n;
	char *low;

	if (len == 0)
		return;
	if (label == NULL || *label == '\0') {
		buf[0] = '\0';
		return;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)label, -1, &first);
	if (n > 0 && label[n] != '\0')
		utf8proc_iterate((const utf8proc_uint8_t *)label + n, -1, &second);
	/* an acronym keeps its capitals; an invalid text is left as it is */
	if (n <= 0 || (second > 0 && utf8proc_isupper(second)) ||
	    (low = text_first_case(label, false)) == NULL) {
		snprintf(buf, len, "%s", label);
		return;
	}
	if ((size_t)snprintf(buf, len, "%s", low) >= len) {
		/* cut on a character boundary: drop a last character whose
		 * bytes did not all fit */
		size_t k = len - 1, j = k;
		while (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0x80)
			j--;
		if (j > 0) {
			unsigned char lead = (unsigned char)buf[j - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
			if (j - 1 + need > k)
				buf[j - 1] = '\0';
		}
	}
	free(low);
}

void
text_unit_bare_name(const char *name, char *buf, size_t len)
{
	/* longest first: "Thành phố" before a bare "Thành" never occurs, but
	 * "Thị trấn" must win over "Thị xã"-like prefixes */
	static const char *const prefixes[] = {
		"Thành phố Trung ương ", "Thành phố ", "Thị trấn ", "Thị xã ",
		"Đặc khu ", "Phường ", "Huyện ", "Quận ", "Tỉnh ", "Xã ",
	};
	size_t i, n;

	if (name == NULL) {
		snprintf(buf, len, "%s", "");
		return;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) == 0 && name[n] != '\0') {
			snprintf(buf, len, "%s", name + n);
			return;
		}
	}
	snprintf(buf, len, "%s", name);
}
