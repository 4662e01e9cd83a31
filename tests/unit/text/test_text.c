/*
 * test_text.c - table-driven unit tests for text.c.
 *
 * Every test walks an array of {input, expected} cases; adding a case is one
 * line in the relevant table.  Failures print the offending input so a
 * broken case is found without a debugger.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/clock.h"
#include "text/text.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- UTF-8 validity ------------------------------------------------------ */

struct utf8_case {
	const char *bytes;
	size_t len; /* 0 = use strlen */
	bool valid;
};

static const struct utf8_case utf8_cases[] = {
	{ "", 0, true },
	{ "Xín Mần", 0, true },
	{ "Đồn Biên phòng", 0, true },
	{ "\xF0\x9F\x98\x80", 0, true },          /* U+1F600, 4 bytes */
	{ "\xEF\xBF\xBD", 0, true },              /* U+FFFD */
	{ "\xC3\x28", 0, false },                 /* bad continuation */
	{ "\xC0\xAF", 0, false },                 /* overlong '/' */
	{ "\xE0\x80\xAF", 0, false },             /* overlong 3-byte */
	{ "\xF0\x80\x80\xAF", 0, false },         /* overlong 4-byte */
	{ "\xED\xA0\x80", 0, false },             /* surrogate U+D800 */
	{ "\xF4\x90\x80\x80", 0, false },         /* above U+10FFFF */
	{ "\xE1\xBB", 0, false },                 /* truncated sequence */
	{ "\x80", 0, false },                     /* stray continuation */
	{ "\xFF", 0, false },
	{ "ab\0cd", 5, true },                    /* NUL is valid UTF-8 */
	{ "\xE1\xBB\x91x", 2, false },            /* len cuts a character */
};

static void test_valid_utf8(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		size_t len = c->len ? c->len : strlen(c->bytes);
		if (text_valid_utf8(c->bytes, len) != c->valid)
			fail_msg("utf8 case %zu: expected %d", i, c->valid);
	}
	assert_true(text_valid_utf8(NULL, 0));
	assert_false(text_valid_utf8(NULL, 1));
}

/* ---- whole integers (query and form arguments) ----------------------------- */

static const struct int_case {
	const char *in;
	bool ok;
	int64_t want;
} int_cases[] = {
	{ "0", true, 0 }, { "12", true, 12 }, { "-3", true, -3 },
	{ "9223372036854775807", true, INT64_MAX },
	{ "-9223372036854775808", true, INT64_MIN },
	{ "9223372036854775808", false, 0 },               /* overflow */
	{ "-9223372036854775809", false, 0 },
	{ "99999999999999999999", false, 0 },
	{ "", false, 0 }, { "-", false, 0 }, { "abc", false, 0 },
	{ "12abc", false, 0 }, { "1e3", false, 0 }, { "1.0", false, 0 },
	{ " 7", false, 0 }, { "7 ", false, 0 }, { "+7", false, 0 },
	{ "4.932", false, 0 }, { "0x10", false, 0 }, { "--1", false, 0 },
};

static void test_int64(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(int_cases); i++) {
		int64_t v = 42;
		bool ok = text_int64(int_cases[i].in, &v);
		if (ok != int_cases[i].ok || (ok && v != int_cases[i].want))
			fail_msg("int case %zu '%s': ok %d, %lld", i, int_cases[i].in, ok,
			    (long long)v);
		if (!ok && v != 42)
			fail_msg("int case %zu: *out written on failure", i);
	}
	assert_false(text_int64(NULL, &(int64_t){ 0 }));
}

/* ---- the CSV formula guard (csvio.c export, report_text.c) ------------------ */

static const struct formula_case {
	const char *in;
	bool formula;
} formula_cases[] = {
	{ "=1+1", true }, { "+1", true }, { "@SUM(A1)", true }, { "-2+3", true },
	{ "=HYPERLINK(\"http://x\",\"y\")", true }, { "\tx", true }, { "\rx", true },
	{ "'=1+1", true },                                  /* the guard, guarded again */
	{ "''+1", true },
	{ "-", false }, { "- gạch đầu dòng", false }, { "", false },
	{ "Xín Mần", false }, { "'trích dẫn'", false }, { "a=b", false },
	{ " =1", false },                                   /* a cell starting with a space */
};

static void test_formula_like(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(formula_cases); i++)
		if (text_formula_like(formula_cases[i].in) != formula_cases[i].formula)
			fail_msg("formula case %zu '%s'", i, formula_cases[i].in);
	assert_false(text_formula_like(NULL));
}

/* ---- NFC ----------------------------------------------------------------- */

struct str_case {
	const char *in;
	const char *want; /* NULL = the call must fail */
};

static const struct str_case nfc_cases[] = {
	{ "", "" },
	{ "abc", "abc" },
	{ "Xi\xCC\x81n Ma\xCC\x82\xCC\x80n", "Xín Mần" }, /* decomposed */
	{ "Vie\xCC\xA3\xCC\x82t", "Việt" },               /* marks out of order */
	{ "Đồn", "Đồn" },                                 /* already NFC */
	{ "\xC3\x28", NULL },
	{ "\xED\xA0\x80", NULL },
};

static void test_nfc(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(nfc_cases); i++) {
		const struct str_case *c = &nfc_cases[i];
		char *out = (char *)1;
		int rc = text_nfc(c->in, strlen(c->in), &out);
		if (c->want == NULL) {
			if (rc != -1 || out != NULL)
				fail_msg("nfc case %zu should fail", i);
			continue;
		}
		if (rc != 0 || out == NULL || strcmp(out, c->want) != 0)
			fail_msg("nfc case %zu: got \"%s\"", i, out ? out : "(null)");
		free(out);
	}
}

/* Messages quoting input made text: a character cut at the end dropped,
 * other stray bytes '?' (issue 13: such a message made the answer's JSON
 * fail, a 503). */
static const struct str_case fix_cases[] = {
	{ "", "" },
	{ "Xín Mần", "Xín Mần" },
	{ "\xF0\x9F\x98\x80 ok", "\xF0\x9F\x98\x80 ok" },
	{ "m\xE1\xBB", "m" },                     /* cut after 2 of 3 bytes */
	{ "m\xE1", "m" },                          /* cut after the lead byte */
	{ "m\xF0\x9F\x98", "m" },                  /* cut 4-byte character */
	{ "a\xFF" "b", "a?b" },
	{ "a\xC3\x28", "a?(" },                    /* lead byte without its tail */
	{ "\xC0\xAFx", "??x" },                    /* overlong */
	{ "\xED\xA0\x80", "???" },                 /* surrogate */
	{ "\xF4\x90\x80\x80", "????" },            /* above U+10FFFF */
	{ "\x80\x80", "??" },                      /* stray continuations */
	{ "\x80\x80\xE1\xBB\x91", "??\xE1\xBB\x91" },    /* stray, then ố */
	{ "ng\xC3\xA0y '\xE1\xBB", "ng\xC3\xA0y '" },      /* "%.40s" cut a character */
	{ "\xE1\xBBx\xE1\xBB", "??x" },             /* cut inside, and at the end */
};

static void test_fix_utf8(void **state)
{
	char buf[64];

	(void)state;
	for (size_t i = 0; i < N_ELEM(fix_cases); i++) {
		snprintf(buf, sizeof(buf), "%s", fix_cases[i].in);
		text_fix_utf8(buf);
		if (strcmp(buf, fix_cases[i].want) != 0)
			fail_msg("fix case %zu: got '%s', want '%s'", i, buf, fix_cases[i].want);
		assert_true(text_valid_utf8(buf, strlen(buf)));
	}
	text_fix_utf8(NULL);
}

/* ---- folding ------------------------------------------------------------- */

static const struct str_case fold_cases[] = {
	{ "Xín Mần", "xin man" },
	{ "  Đồn   Biên\tphòng  ", "don bien phong" },
	{ "ĐẮK LẮK", "dak lak" },
	{ "Hà Giang", "ha giang" },
	{ "Ngày 17-6", "ngay 17-6" },
	{ "Xi\xCC\x81n Ma\xCC\x82\xCC\x80n", "xin man" }, /* decomposed input */
	{ "giai đoạn 2013\xE2\x80\x93" "2016", "giai doan 2013-2016" }, /* en dash */
	{ "Quý\xC2\xA0IV", "quy iv" },                    /* no-break space */
	{ "Trường, lớp học", "truong, lop hoc" },
	{ "", "" },
	{ "   ", "" },
	{ "\xC3\x28", NULL },
};

static void test_fold(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(fold_cases); i++) {
		const struct str_case *c = &fold_cases[i];
		char *out = text_fold(c->in);
		if (c->want == NULL) {
			if (out != NULL)
				fail_msg("fold case %zu should fail, got \"%s\"", i, out);
			continue;
		}
		if (out == NULL || strcmp(out, c->want) != 0)
			fail_msg("fold \"%s\": got \"%s\", want \"%s\"", c->in,
				 out ? out : "(null)", c->want);
		free(out);
	}
	assert_null(text_fold(NULL));
}

/* ---- decimals ------------------------------------------------------------ */

struct dec_case {
	const char *in;
	int rc;
	double want;
};

static const struct dec_case dec_cases[] = {
	{ "23.000", 0, 23000 },
	{ "184,5", 0, 184.5 },
	{ "1.234,5", 0, 1234.5 },
	{ "1.234.567", 0, 1234567 },
	{ "97.4", 0, 97.4 },
	{ "1.23", 0, 1.23 },
	{ "0.500", 0, 0.5 },
	{ "1234.567", 0, 1234.567 },
	{ " 42 ", 0, 42 },
	{ "0", 0, 0 },
	{ "-3,5", 0, -3.5 },
	{ "4.932", 0, 4932 },
	{ "", -1, 0 },
	{ "abc", -1, 0 },
	{ "1.2.3", -1, 0 },
	{ "1,2,3", -1, 0 },
	{ "1.23,4", -1, 0 },
	{ "12,", -1, 0 },
	{ ".5", -1, 0 },
	{ "5.", -1, 0 },
	{ "1 000", -1, 0 },
	{ "12a", -1, 0 },
	{ "1234.567.890", -1, 0 },
};

static void test_decimal(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(dec_cases); i++) {
		const struct dec_case *c = &dec_cases[i];
		double v = -12345;
		int rc = vi_parse_decimal(c->in, &v);
		if (rc != c->rc)
			fail_msg("decimal \"%s\": rc %d, want %d", c->in, rc, c->rc);
		if (rc == 0 && fabs(v - c->want) > 1e-9 * fmax(1.0, fabs(c->want)))
			fail_msg("decimal \"%s\": got %.10g, want %.10g", c->in, v, c->want);
	}
	assert_int_equal(vi_parse_decimal(NULL, NULL), -1);
}

/* ---- quantities ---------------------------------------------------------- */

struct qty_case {
	const char *in;
	int rc;
	enum vi_qty_kind kind;
	double v, v2;
	const char *qual, *unit, *unit2;
};

static const struct qty_case qty_cases[] = {
	{ "trên 23.000 lượt người", 0, VI_QTY_NUMBER, 23000, 0, "trên", "lượt người", "" },
	{ "184,5km", 0, VI_QTY_NUMBER, 184.5, 0, "", "km", "" },
	{ "1,5 triệu", 0, VI_QTY_NUMBER, 1500000, 0, "", "", "" },
	{ "18,9 tỷ đồng", 0, VI_QTY_NUMBER, 18900000000.0, 0, "", "đồng", "" },
	{ "2 tỉ đồng", 0, VI_QTY_NUMBER, 2e9, 0, "", "đồng", "" },
	{ "15 nghìn người", 0, VI_QTY_NUMBER, 15000, 0, "", "người", "" },
	{ "3 ngàn hộ", 0, VI_QTY_NUMBER, 3000, 0, "", "hộ", "" },
	{ "321 cuộc", 0, VI_QTY_NUMBER, 321, 0, "", "cuộc", "" },
	{ "4.932 lượt người", 0, VI_QTY_NUMBER, 4932, 0, "", "lượt người", "" },
	{ "638 lần", 0, VI_QTY_NUMBER, 638, 0, "", "lần", "" },
	{ "5 tỉnh", 0, VI_QTY_NUMBER, 5, 0, "", "tỉnh", "" },
	{ "100 km/h", 0, VI_QTY_NUMBER, 100, 0, "", "km/h", "" },
	{ "Gần 1,5 triệu lượt", 0, VI_QTY_NUMBER, 1500000, 0, "gần", "lượt", "" },
	{ "khoang 200 ho", 0, VI_QTY_NUMBER, 200, 0, "khoảng", "ho", "" },
	{ "hơn 50 xã.", 0, VI_QTY_NUMBER, 50, 0, "hơn", "xã", "" },
	{ "dưới 10 người", 0, VI_QTY_NUMBER, 10, 0, "dưới", "người", "" },
	{ "tới 7 ngày", 0, VI_QTY_NUMBER, 7, 0, "tới", "ngày", "" },
	{ "42", 0, VI_QTY_NUMBER, 42, 0, "", "", "" },
	{ "97,4%", 0, VI_QTY_PERCENT, 97.4, 0, "", "", "" },
	{ "đạt 97 %", 0, VI_QTY_PERCENT, 97, 0, "", "", "" },
	{ "trên 95%", 0, VI_QTY_PERCENT, 95, 0, "trên", "", "" },
	{ "100%", 0, VI_QTY_PERCENT, 100, 0, "", "", "" },
	{ "2-7 hộ", 0, VI_QTY_RANGE, 2, 7, "", "hộ", "" },
	{ "từ 1 - 2 biên chế", 0, VI_QTY_RANGE, 1, 2, "", "biên chế", "" },
	{ "từ 3 đến 5 người", 0, VI_QTY_RANGE, 3, 5, "", "người", "" },
	{ "1,5\xE2\x80\x93" "2 triệu đồng", 0, VI_QTY_RANGE, 1.5e6, 2e6, "", "đồng", "" },
	{ "90-95%", 0, VI_QTY_RANGE, 90, 95, "", "%", "" },
	{ "33/34", 0, VI_QTY_FRACTION, 33, 34, "", "", "" },
	{ "33/34 xã", 0, VI_QTY_FRACTION, 33, 34, "", "xã", "" },
	{ "4/9 xã", 0, VI_QTY_FRACTION, 4, 9, "", "xã", "" },
	{ "3 vụ/13 đối tượng", 0, VI_QTY_LINKED, 3, 13, "", "vụ", "đối tượng" },
	{ "12 vụ / 20 đối tượng", 0, VI_QTY_LINKED, 12, 20, "", "vụ", "đối tượng" },
	{ "", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "xã biên giới", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "trên", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "31/10/2023", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "7-2 hộ", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "3/0", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "1 a/2 b/3 c", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "5 (năm)", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
	{ "5 đơn vị hành chính cấp xã thuộc các huyện biên giới", -1,
	  VI_QTY_NUMBER, 0, 0, "", "", "" }, /* unit longer than VI_UNIT_MAX */
	{ "\xC3\x28 5", -1, VI_QTY_NUMBER, 0, 0, "", "", "" },
};

static void test_quantity(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(qty_cases); i++) {
		const struct qty_case *c = &qty_cases[i];
		struct vi_quantity q;
		int rc = vi_parse_quantity(c->in, &q);
		if (rc != c->rc)
			fail_msg("quantity \"%s\": rc %d, want %d", c->in, rc, c->rc);
		if (rc != 0)
			continue;
		if (q.kind != c->kind)
			fail_msg("quantity \"%s\": kind %d, want %d", c->in, q.kind, c->kind);
		if (fabs(q.value - c->v) > 1e-6 * fmax(1.0, fabs(c->v)) ||
		    fabs(q.value2 - c->v2) > 1e-6 * fmax(1.0, fabs(c->v2)))
			fail_msg("quantity \"%s\": %.10g/%.10g, want %.10g/%.10g", c->in,
				 q.value, q.value2, c->v, c->v2);
		if (strcmp(q.qualifier, c->qual) != 0 || strcmp(q.unit, c->unit) != 0 ||
		    strcmp(q.unit2, c->unit2) != 0)
			fail_msg("quantity \"%s\": qual \"%s\" unit \"%s\" unit2 \"%s\"",
				 c->in, q.qualifier, q.unit, q.unit2);
	}
	/* the scale is applied exactly, not through 18.9 * 1e9 rounding */
	struct vi_quantity q;
	assert_int_equal(vi_parse_quantity("18,9 tỷ đồng", &q), 0);
	assert_true(q.value == 18900000000.0);
	assert_int_equal(vi_parse_quantity(NULL, &q), -1);
}

/* ---- dates --------------------------------------------------------------- */

struct date_case {
	const char *in;
	int default_year;
	int rc;
	int y, m, d;
};

static const struct date_case date_cases[] = {
	{ "31/10/2023", 0, 0, 2023, 10, 31 },
	{ "08/5/2017", 0, 0, 2017, 5, 8 },
	{ "2023-10-31", 0, 0, 2023, 10, 31 },
	{ "14.10.2015", 0, 0, 2015, 10, 14 },
	{ "12.7.2010", 0, 0, 2010, 7, 12 },
	{ "Ngày 17-6", 2024, 0, 2024, 6, 17 },
	{ "Ngày 17-6", 0, 0, 0, 6, 17 },
	{ "ngày 5.12", 2023, 0, 2023, 12, 5 },
	{ "Chiều 27.11", 2025, 0, 2025, 11, 27 },
	{ "SÁNG NGÀY 3/2", 2024, 0, 2024, 2, 3 },
	{ "Ngày 31/10", 2023, 0, 2023, 10, 31 },
	{ "ngày 31 tháng 10 năm 2023", 0, 0, 2023, 10, 31 },
	{ "ngay 5 thang 6", 2020, 0, 2020, 6, 5 },
	{ "ngày 31/10 năm 2023", 0, 0, 2023, 10, 31 },
	{ "  29/02/2024 ", 0, 0, 2024, 2, 29 },   /* leap year */
	{ "29/02", 0, 0, 0, 2, 29 },              /* unknown year: may exist */
	{ "31/10/2023", 1999, 0, 2023, 10, 31 },  /* explicit year wins */
	{ "31/02/2023", 0, -1, 0, 0, 0 },
	{ "29/02/2023", 0, -1, 0, 0, 0 },
	{ "29/02/1900", 0, -1, 0, 0, 0 },         /* century, not leap */
	{ "29/02", 2023, -1, 0, 0, 0 },
	{ "0/1/2020", 0, -1, 0, 0, 0 },
	{ "1/13/2020", 0, -1, 0, 0, 0 },
	{ "2023-13-01", 0, -1, 0, 0, 0 },
	{ "31/10/0000", 0, -1, 0, 0, 0 },
	{ "31/10-2023", 0, -1, 0, 0, 0 },         /* mixed separators */
	{ "31/10/23", 0, -1, 0, 0, 0 },           /* two-digit year */
	{ "31/10/2023 abc", 0, -1, 0, 0, 0 },
	{ "ngày", 0, -1, 0, 0, 0 },
	{ "", 0, -1, 0, 0, 0 },
};

static void test_date(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(date_cases); i++) {
		const struct date_case *c = &date_cases[i];
		struct vi_date d;
		int rc = vi_parse_date(c->in, c->default_year, &d);
		if (rc != c->rc)
			fail_msg("date \"%s\": rc %d, want %d", c->in, rc, c->rc);
		if (rc == 0 && (d.year != c->y || d.month != c->m || d.day != c->d))
			fail_msg("date \"%s\": %d-%d-%d, want %d-%d-%d", c->in, d.year,
				 d.month, d.day, c->y, c->m, c->d);
	}
}

struct iso_case {
	struct vi_date d;
	size_t buflen;
	int rc;
	const char *want;
};

static const struct iso_case iso_cases[] = {
	{ { 2023, 10, 31 }, 11, 0, "2023-10-31" },
	{ { 2017, 5, 8 }, 32, 0, "2017-05-08" },
	{ { 987, 1, 2 }, 11, 0, "0987-01-02" },
	{ { 2023, 10, 31 }, 10, -1, "" },  /* buffer too small */
	{ { 0, 10, 31 }, 11, -1, "" },     /* unknown year */
	{ { 2023, 2, 30 }, 11, -1, "" },
};

static void test_date_iso(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(iso_cases); i++) {
		const struct iso_case *c = &iso_cases[i];
		char buf[32];
		memset(buf, 'x', sizeof buf);
		int rc = vi_date_iso(&c->d, buf, c->buflen);
		if (rc != c->rc || strcmp(buf, c->want) != 0)
			fail_msg("iso case %zu: rc %d buf \"%s\"", i, rc, buf);
	}
}

struct iso_valid_case {
	const char *in;
	bool valid;
};

static const struct iso_valid_case iso_valid_cases[] = {
	{ "2023-10-31", true },  { "2024-02-29", true },  { "2000-02-29", true },
	{ "2023-02-29", false }, { "1900-02-29", false }, { "2023-04-31", false },
	{ "2023-00-10", false }, { "2023-10-00", false }, { "2023-1-31", false },
	{ "2023/10/31", false }, { "2023-10-31x", false }, { "", false },
	{ "0000-01-01", false }, { "abcd-ef-gh", false },
};

static void test_iso_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(iso_valid_cases); i++) {
		const struct iso_valid_case *c = &iso_valid_cases[i];
		if (vi_iso_date_valid(c->in) != c->valid)
			fail_msg("iso valid \"%s\": want %d", c->in, c->valid);
	}
	assert_false(vi_iso_date_valid(NULL));
}

/* ---- periods ------------------------------------------------------------- */

struct period_case {
	const char *in;
	int rc;
	enum vi_period_kind kind;
	int year, year_end, index;
	const char *start, *end, *code;
};

static const struct period_case period_cases[] = {
	{ "năm 2023", 0, VI_PERIOD_YEAR, 2023, 2023, 0, "2023-01-01", "2023-12-31", "2023" },
	{ "2023", 0, VI_PERIOD_YEAR, 2023, 2023, 0, "2023-01-01", "2023-12-31", "2023" },
	{ "Năm 2024", 0, VI_PERIOD_YEAR, 2024, 2024, 0, "2024-01-01", "2024-12-31", "2024" },
	{ "6 tháng đầu năm 2024", 0, VI_PERIOD_HALF, 2024, 2024, 1, "2024-01-01", "2024-06-30", "2024-H1" },
	{ "6 tháng cuối năm 2024", 0, VI_PERIOD_HALF, 2024, 2024, 2, "2024-07-01", "2024-12-31", "2024-H2" },
	{ "6 thang dau nam 2024", 0, VI_PERIOD_HALF, 2024, 2024, 1, "2024-01-01", "2024-06-30", "2024-H1" },
	{ "6 tháng năm 2024", 0, VI_PERIOD_HALF, 2024, 2024, 1, "2024-01-01", "2024-06-30", "2024-H1" },
	{ "nửa cuối năm 2023", 0, VI_PERIOD_HALF, 2023, 2023, 2, "2023-07-01", "2023-12-31", "2023-H2" },
	{ "2024-H1", 0, VI_PERIOD_HALF, 2024, 2024, 1, "2024-01-01", "2024-06-30", "2024-H1" },
	{ "quý 4/2025", 0, VI_PERIOD_QUARTER, 2025, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4" },
	{ "quý IV/2025", 0, VI_PERIOD_QUARTER, 2025, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4" },
	{ "Quý IV năm 2025", 0, VI_PERIOD_QUARTER, 2025, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4" },
	{ "quý I năm 2024", 0, VI_PERIOD_QUARTER, 2024, 2024, 1, "2024-01-01", "2024-03-31", "2024-Q1" },
	{ "Quý II/2024", 0, VI_PERIOD_QUARTER, 2024, 2024, 2, "2024-04-01", "2024-06-30", "2024-Q2" },
	{ "quy iii - 2023", 0, VI_PERIOD_QUARTER, 2023, 2023, 3, "2023-07-01", "2023-09-30", "2023-Q3" },
	{ "2025-Q4", 0, VI_PERIOD_QUARTER, 2025, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4" },
	{ "tháng 3/2024", 0, VI_PERIOD_MONTH, 2024, 2024, 3, "2024-03-01", "2024-03-31", "2024-03" },
	{ "tháng 2 năm 2024", 0, VI_PERIOD_MONTH, 2024, 2024, 2, "2024-02-01", "2024-02-29", "2024-02" },
	{ "Tháng 02/2023", 0, VI_PERIOD_MONTH, 2023, 2023, 2, "2023-02-01", "2023-02-28", "2023-02" },
	{ "2024-03", 0, VI_PERIOD_MONTH, 2024, 2024, 3, "2024-03-01", "2024-03-31", "2024-03" },
	{ "9 tháng đầu năm 2024", 0, VI_PERIOD_FIRST_MONTHS, 2024, 2024, 9, "2024-01-01", "2024-09-30", "2024-9M" },
	{ "9 tháng năm 2024", 0, VI_PERIOD_FIRST_MONTHS, 2024, 2024, 9, "2024-01-01", "2024-09-30", "2024-9M" },
	{ "2024-9M", 0, VI_PERIOD_FIRST_MONTHS, 2024, 2024, 9, "2024-01-01", "2024-09-30", "2024-9M" },
	{ "2 tháng đầu năm 2024", 0, VI_PERIOD_FIRST_MONTHS, 2024, 2024, 2, "2024-01-01", "2024-02-29", "2024-2M" },
	{ "giai đoạn 2013-2016", 0, VI_PERIOD_RANGE, 2013, 2016, 0, "2013-01-01", "2016-12-31", "2013-2016" },
	{ "nhiệm kỳ 2020 - 2025", 0, VI_PERIOD_RANGE, 2020, 2025, 0, "2020-01-01", "2025-12-31", "2020-2025" },
	{ "Giai đoạn 2021\xE2\x80\x93" "2025", 0, VI_PERIOD_RANGE, 2021, 2025, 0, "2021-01-01", "2025-12-31", "2021-2025" },
	{ "giai đoạn từ 2013 đến 2016", 0, VI_PERIOD_RANGE, 2013, 2016, 0, "2013-01-01", "2016-12-31", "2013-2016" },
	{ "2020-2025", 0, VI_PERIOD_RANGE, 2020, 2025, 0, "2020-01-01", "2025-12-31", "2020-2025" },
	/* the code's letters in front, as spreadsheets write them */
	{ "Q4/2025", 0, VI_PERIOD_QUARTER, 2025, 2025, 4, "2025-10-01", "2025-12-31", "2025-Q4" },
	{ "q1 2024", 0, VI_PERIOD_QUARTER, 2024, 2024, 1, "2024-01-01", "2024-03-31", "2024-Q1" },
	{ "Q2-2024", 0, VI_PERIOD_QUARTER, 2024, 2024, 2, "2024-04-01", "2024-06-30", "2024-Q2" },
	{ "H1/2024", 0, VI_PERIOD_HALF, 2024, 2024, 1, "2024-01-01", "2024-06-30", "2024-H1" },
	{ "h2 năm 2023", 0, VI_PERIOD_HALF, 2023, 2023, 2, "2023-07-01", "2023-12-31", "2023-H2" },
	{ "2020\xE2\x80\x93" "2025", 0, VI_PERIOD_RANGE, 2020, 2025, 0, "2020-01-01", "2025-12-31", "2020-2025" },
	{ "Q5/2025", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "Q0/2025", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "H3/2024", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "Q42025", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "Q4", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "2025-13", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "2025-00", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "2020-2019", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "2020-2020", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "tháng 0", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "tháng 0/2024", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "zzz:999", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "quý V/2025", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "quý 5/2025", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "tháng 13/2024", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "giai đoạn 2016-2013", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "năm 20233", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "3 tháng cuối năm 2024", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "6 tháng đầu năm", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "năm 2023 vừa qua", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
	{ "kế hoạch", -1, VI_PERIOD_YEAR, 0, 0, 0, "", "", "" },
};

static void test_period(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(period_cases); i++) {
		const struct period_case *c = &period_cases[i];
		struct vi_period p;
		int rc = vi_parse_period(c->in, &p);
		if (rc != c->rc)
			fail_msg("period \"%s\": rc %d, want %d", c->in, rc, c->rc);
		if (rc != 0)
			continue;
		if (p.kind != c->kind || p.year != c->year || p.year_end != c->year_end ||
		    p.index != c->index)
			fail_msg("period \"%s\": kind %d %d..%d idx %d", c->in, p.kind,
				 p.year, p.year_end, p.index);
		if (strcmp(p.start, c->start) != 0 || strcmp(p.end, c->end) != 0 ||
		    strcmp(p.code, c->code) != 0)
			fail_msg("period \"%s\": %s..%s code %s", c->in, p.start, p.end,
				 p.code);
		/* the canonical code parses back to the same period */
		struct vi_period back;
		if (vi_parse_period(p.code, &back) != 0 || strcmp(back.code, p.code) != 0 ||
		    strcmp(back.start, p.start) != 0 || strcmp(back.end, p.end) != 0)
			fail_msg("period code \"%s\" does not round-trip", p.code);
		/* and so do its words */
		char label[VI_PERIOD_LABEL_MAX];
		if (vi_period_label(&p, label, sizeof(label)) != 0 ||
		    vi_parse_period(label, &back) != 0 || strcmp(back.code, p.code) != 0)
			fail_msg("period label \"%s\" of %s does not parse back", label,
				 p.code);
	}
}

/* A period in words, for display. */
static void test_period_label(void **state)
{
	static const struct { const char *code, *label; } cases[] = {
		{ "2023", "năm 2023" },
		{ "2024-H1", "6 tháng đầu năm 2024" },
		{ "2024-H2", "6 tháng cuối năm 2024" },
		{ "2025-Q4", "quý IV năm 2025" },
		{ "2024-Q1", "quý I năm 2024" },
		{ "2024-03", "tháng 3 năm 2024" },
		{ "2024-9M", "9 tháng đầu năm 2024" },
		{ "2020-2025", "giai đoạn 2020-2025" },
	};
	char buf[VI_PERIOD_LABEL_MAX], small[8];
	struct vi_period p;

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		assert_int_equal(vi_parse_period(cases[i].code, &p), 0);
		assert_int_equal(vi_period_label(&p, buf, sizeof(buf)), 0);
		assert_string_equal(buf, cases[i].label);
	}
	/* too small a buffer: -1 and empty, never a cut label */
	assert_int_equal(vi_parse_period("2025-Q4", &p), 0);
	assert_int_equal(vi_period_label(&p, small, sizeof(small)), -1);
	assert_string_equal(small, "");
}

/* ---- document numbers ---------------------------------------------------- */

struct doc_case {
	const char *in;
	long number;
	int year;
	const char *kind, *issuer;
	bool party;
	const char *formatted;
};

static const struct doc_case doc_cases[] = {
	{ "2523/QĐ-UBND", 2523, 0, "QĐ", "UBND", false, "2523/QĐ-UBND" },
	{ "05-NQ/TU", 5, 0, "NQ", "TU", true, "05-NQ/TU" },
	{ "160-KL/TU", 160, 0, "KL", "TU", true, "160-KL/TU" },
	{ "22-NQ/TU", 22, 0, "NQ", "TU", true, "22-NQ/TU" },
	{ "49/2015/QĐ-TTg", 49, 2015, "QĐ", "TTg", false, "49/2015/QĐ-TTg" },
	{ "77/2010/NĐ-CP", 77, 2010, "NĐ", "CP", false, "77/2010/NĐ-CP" },
	{ "1654/NQ-UBTVQH15", 1654, 0, "NQ", "UBTVQH15", false, "1654/NQ-UBTVQH15" },
	{ "Số: 07/BC-UBND", 7, 0, "BC", "UBND", false, "07/BC-UBND" },
	{ "số 07/BC-UBND", 7, 0, "BC", "UBND", false, "07/BC-UBND" },
	{ "So:07/BC-UBND", 7, 0, "BC", "UBND", false, "07/BC-UBND" },
	{ "7/BC-UBND", 7, 0, "BC", "UBND", false, "07/BC-UBND" },
	{ "915/CTK-CSCL", 915, 0, "", "CTK-CSCL", false, "915/CTK-CSCL" },
	{ "123/UBND-VP", 123, 0, "", "UBND-VP", false, "123/UBND-VP" },
	{ "45/KH-BCH", 45, 0, "KH", "BCH", false, "45/KH-BCH" },
	{ "12/TTr-UBND", 12, 0, "TTr", "UBND", false, "12/TTr-UBND" },
	{ "08-QĐi/TW", 8, 0, "QĐi", "TW", true, "08-QĐi/TW" },
	{ "15-HD/BTGTU", 15, 0, "HD", "BTGTU", true, "15-HD/BTGTU" },
	{ "33/2018/TT-BQP", 33, 2018, "TT", "BQP", false, "33/2018/TT-BQP" },
	{ "2523/QD-UBND", 2523, 0, "QĐ", "UBND", false, "2523/QĐ-UBND" }, /* no diacritics */
	{ "2523 / QĐ - UBND", 2523, 0, "QĐ", "UBND", false, "2523/QĐ-UBND" },
	{ "2523/QĐ\xE2\x80\x93UBND", 2523, 0, "QĐ", "UBND", false, "2523/QĐ-UBND" },
	{ "  05-NQ/TU  ", 5, 0, "NQ", "TU", true, "05-NQ/TU" },
	{ "10/2023/L-QH15", 10, 2023, "L", "QH15", false, "10/2023/L-QH15" },
};

static void test_doc_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(doc_cases); i++) {
		const struct doc_case *c = &doc_cases[i];
		struct doc_number d;
		char err[128] = "", buf[64];
		if (doc_number_parse(c->in, &d, err, sizeof err) != 0)
			fail_msg("doc \"%s\": failed: %s", c->in, err);
		if (d.number != c->number || d.year != c->year ||
		    strcmp(d.kind, c->kind) != 0 || strcmp(d.issuer, c->issuer) != 0 ||
		    d.party_style != c->party)
			fail_msg("doc \"%s\": %ld %d \"%s\" \"%s\" %d", c->in, d.number,
				 d.year, d.kind, d.issuer, d.party_style);
		if (err[0] != '\0')
			fail_msg("doc \"%s\": err set on success: %s", c->in, err);
		if (doc_number_format(&d, buf, sizeof buf) != 0 ||
		    strcmp(buf, c->formatted) != 0)
			fail_msg("doc \"%s\": formatted \"%s\", want \"%s\"", c->in, buf,
				 c->formatted);
	}
}

struct doc_err_case {
	const char *in;
	const char *err_part; /* a word the message must contain */
};

static const struct doc_err_case doc_err_cases[] = {
	{ "", "Thiếu" },
	{ "   ", "Thiếu" },
	{ "Số:", "Thiếu" },
	{ "/QĐ-UBND", "Thiếu số" },
	{ "ABC/QĐ-UBND", "không phải là số" },
	{ "12a/QĐ-UBND", "không phải là số" },
	{ "2523/", "cơ quan ban hành" },
	{ "2523/QĐ", "cơ quan ban hành" },
	{ "2523/QĐ-", "cơ quan ban hành" },
	{ "05-NQ", "cơ quan ban hành" },
	{ "05-NQ/", "cơ quan ban hành" },
	{ "05-/TU", "loại văn bản" },
	{ "12/2015", "cơ quan ban hành" },
	{ "49/1900/QĐ-TTg", "1945" },
	{ "49/2101/QĐ-TTg", "2100" },
	{ "49/15/QĐ-TTg", "Năm ban hành" },
	{ "0/QĐ-UBND", "lớn hơn 0" },
	{ "1234567890/QĐ-UBND", "quá lớn" },
	{ "2523/QĐ-UBND ngày 5/6", "khoảng trắng" },
	{ "2523/QĐ-UBND-RẤT-DÀI-HƠN-BỐN-MƯƠI-BYTE-ABCDEFGH", "quá dài" },
	{ "\xC3\x28/QĐ-UBND", "UTF-8" },
	{ "UBND", "Thiếu số" },
	{ "2523", "Thiếu ký hiệu" },
};

static void test_doc_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(doc_err_cases); i++) {
		const struct doc_err_case *c = &doc_err_cases[i];
		struct doc_number d;
		char err[160] = "";
		memset(&d, 0x5A, sizeof d);
		if (doc_number_parse(c->in, &d, err, sizeof err) != -1)
			fail_msg("doc \"%s\" should fail", c->in);
		if (strstr(err, c->err_part) == NULL)
			fail_msg("doc \"%s\": message \"%s\" lacks \"%s\"", c->in, err,
				 c->err_part);
		if (!text_valid_utf8(err, strlen(err)))
			fail_msg("doc \"%s\": message is not UTF-8", c->in);
		if (d.number != 0 || d.kind[0] != '\0' || d.issuer[0] != '\0')
			fail_msg("doc \"%s\": output not cleared on failure", c->in);
	}
}

static void test_doc_err_buffers(void **state)
{
	struct doc_number d;
	char small[12];
	(void)state;
	/* a message cut by a small buffer stays valid UTF-8 */
	for (size_t len = 1; len <= sizeof small; len++) {
		memset(small, 'x', sizeof small);
		assert_int_equal(doc_number_parse("ABC/QĐ-UBND", &d, small, len), -1);
		assert_true(strlen(small) < len);
		assert_true(text_valid_utf8(small, strlen(small)));
	}
	/* a NULL err buffer is allowed */
	assert_int_equal(doc_number_parse("", &d, NULL, 0), -1);
	assert_int_equal(doc_number_parse(NULL, &d, NULL, 0), -1);
}

struct fmt_case {
	struct doc_number d;
	size_t buflen;
	int rc;
	const char *want;
};

static const struct fmt_case fmt_cases[] = {
	{ { 5, 0, "NQ", "TU", true }, 64, 0, "05-NQ/TU" },
	{ { 49, 2015, "QĐ", "TTg", false }, 64, 0, "49/2015/QĐ-TTg" },
	{ { 7, 0, "BC", "UBND", false }, 64, 0, "07/BC-UBND" },
	{ { 915, 0, "", "CTK-CSCL", false }, 64, 0, "915/CTK-CSCL" },
	{ { 7, 0, "BC", "UBND", false }, 11, 0, "07/BC-UBND" },   /* exact fit */
	{ { 7, 0, "BC", "UBND", false }, 10, -1, "" },            /* truncated */
	{ { 7, 0, "BC", "", false }, 64, -1, "" },                /* no issuer */
};

static void test_doc_format(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(fmt_cases); i++) {
		const struct fmt_case *c = &fmt_cases[i];
		char buf[64];
		memset(buf, 'x', sizeof buf);
		int rc = doc_number_format(&c->d, buf, c->buflen);
		if (rc != c->rc || strcmp(buf, c->want) != 0)
			fail_msg("format case %zu: rc %d \"%s\"", i, rc, buf);
	}
}

static const struct str_case kind_cases[] = {
	{ "QĐ", "Quyết định" },  { "NQ", "Nghị quyết" },   { "KL", "Kết luận" },
	{ "CT", "Chỉ thị" },     { "KH", "Kế hoạch" },     { "QC", "Quy chế" },
	{ "QyĐ", "Quy định" },   { "QĐi", "Quy định" },    { "BC", "Báo cáo" },
	{ "NĐ", "Nghị định" },   { "TT", "Thông tư" },     { "TB", "Thông báo" },
	{ "TTr", "Tờ trình" },   { "HD", "Hướng dẫn" },    { "CTr", "Chương trình" },
	{ "ĐA", "Đề án" },       { "BB", "Biên bản" },     { "HĐ", "Hợp đồng" },
	{ "GM", "Giấy mời" },    { "CV", "Công văn" },     { "L", "Luật" },
	{ "PL", "Pháp lệnh" },   { "qd", "Quyết định" },   { "ND", "Nghị định" },
	{ "hd", NULL },          /* ambiguous: HD or HĐ */
	{ "XYZ", NULL },         { "", NULL },
};

static void test_doc_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(kind_cases); i++) {
		const struct str_case *c = &kind_cases[i];
		const char *name = doc_kind_name(c->in);
		if ((c->want == NULL) != (name == NULL) ||
		    (name != NULL && strcmp(name, c->want) != 0))
			fail_msg("kind \"%s\": got \"%s\"", c->in, name ? name : "(null)");
	}
	assert_null(doc_kind_name(NULL));
	/* table sanity: unique abbreviations that fit, names in NFC */
	assert_true(doc_kinds_count >= 22);
	for (size_t i = 0; i < doc_kinds_count; i++) {
		char *nfc = NULL;
		assert_non_null(doc_kinds[i].abbrev);
		assert_non_null(doc_kinds[i].name);
		assert_true(strlen(doc_kinds[i].abbrev) < DOC_KIND_MAX);
		assert_int_equal(text_nfc(doc_kinds[i].name, strlen(doc_kinds[i].name), &nfc), 0);
		assert_string_equal(nfc, doc_kinds[i].name);
		free(nfc);
		for (size_t j = i + 1; j < doc_kinds_count; j++)
			assert_string_not_equal(doc_kinds[i].abbrev, doc_kinds[j].abbrev);
	}
}

/* Dates of running text in words; what is no date stays as it is. */
static void
test_dates_in_words(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Đến hết tháng 12.2016, đã ký", "Đến hết tháng 12 năm 2016, đã ký" },
		{ "đến tháng 3/2024", "đến tháng 3 năm 2024" },
		{ "Kết luận số 160 ngày 23/8/2021 của", "Kết luận số 160 ngày 23 tháng 8 năm 2021 của" },
		{ "ngày 5.12.2016", "ngày 05 tháng 12 năm 2016" },
		{ "ngày 1-2-2024.", "ngày 01 tháng 02 năm 2024." },
		{ "(ngày 4/7/2016)", "(ngày 04 tháng 7 năm 2016)" },
		/* not dates, or not of running text */
		{ "tỷ lệ 12.2016%", "tỷ lệ 12.2016%" },
		{ "tháng 13.2016", "tháng 13.2016" },
		{ "ngày 32/1/2016", "ngày 32/1/2016" },
		{ "ngày 5/12/20167", "ngày 5/12/20167" },
		{ "ngày 5/12.2016", "ngày 5/12.2016" },
		{ "Số 07/BC-UBND", "Số 07/BC-UBND" },
		{ "hàng tháng 2.500 lượt", "hàng tháng 2.500 lượt" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *w = vi_dates_in_words(cases[i].in);
		assert_non_null(w);
		if (strcmp(w, cases[i].out) != 0)
			fail_msg("'%s' -> '%s', want '%s'", cases[i].in, w, cases[i].out);
		free(w);
	}
}

/* The first letter's case, the rest untouched. */
static void
test_first_case(void **state)
{
	static const struct { const char *in, *out; bool upper; } cases[] = {
		{ "Ủy ban nhân dân huyện X", "ủy ban nhân dân huyện X", false },
		{ "Giám sát việc thực hiện", "giám sát việc thực hiện", false },
		{ "đảng bộ", "Đảng bộ", true },
		{ "", "", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *w = text_first_case(cases[i].in, cases[i].upper);
		assert_non_null(w);
		assert_string_equal(w, cases[i].out);
		free(w);
	}
	assert_null(text_first_case("\xC3(", false));
}

/* Every entity's label reads in a sentence ("Sửa số liệu chỉ tiêu"):
 * lower case whatever the first letter, acronyms as they are. */
static void
test_label_in_sentence(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Số liệu chỉ tiêu", "số liệu chỉ tiêu" },
		{ "Đơn vị hành chính", "đơn vị hành chính" },
		{ "Ủy ban nhân dân", "ủy ban nhân dân" },
		{ "UBND huyện", "UBND huyện" },
		{ "Đ", "đ" },
		{ "", "" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text_label_in_sentence(cases[i].in, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
	text_label_in_sentence("\xC3(", buf, sizeof(buf));
	assert_string_equal(buf, "\xC3(");
	text_label_in_sentence("Số liệu", buf, 5);
	assert_string_equal(buf, "số");
	text_label_in_sentence("Số liệu", buf, 4);
	assert_string_equal(buf, "s");
}

/* A date in numbers that is not in the calendar says what is wrong; a
 * real date, or text that is not a date in numbers, says nothing. */
static void
test_date_problem(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "31/02/2024", "tháng 2 không có ngày 31 (tháng 2 có 29 ngày)" },
		{ "31/2/2023", "tháng 2 không có ngày 31 (tháng 2 có 28 ngày)" },
		{ "29/02/2023", "tháng 2 năm 2023 không có ngày 29 (năm 2023 không nhuận)" },
		{ "2023-02-29", "tháng 2 năm 2023 không có ngày 29 (năm 2023 không nhuận)" },
		{ "31.04.2024", "tháng 4 không có ngày 31 (tháng 4 có 30 ngày)" },
		{ "15/13/2024", "không có tháng 13 (tháng từ 1 đến 12)" },
		{ "2024-00-10", "không có tháng 0 (tháng từ 1 đến 12)" },
		{ "00/01/2024", "không có ngày 0" },
		{ "29/02/2024", NULL }, { "31/12/2023", NULL }, { "2024-04-30", NULL },
		{ "31/02", NULL }, { "hôm qua", NULL }, { "31/02/24", NULL },
		{ "31/02-2024", NULL }, { "", NULL },
	};
	char msg[200];
	size_t i;
	int got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msg[0] = '\0';
		got = vi_date_problem(cases[i].in, msg, sizeof(msg));
		if (cases[i].want == NULL) {
			if (got != 0)
				fail_msg("'%s': want nothing said, got '%s'", cases[i].in, msg);
		} else if (got != 1 || strcmp(msg, cases[i].want) != 0) {
			fail_msg("'%s': want '%s', got %d '%s'", cases[i].in, cases[i].want,
			    got, msg);
		}
	}
}

/* ---- a date as typed into a field ------------------------------------------------ */

static void
test_date_input(void **state)
{
	static const struct { const char *in, *iso, *says; } cases[] = {
		{ "2025-12-31", "2025-12-31", NULL },
		{ "31/12/2025", "2025-12-31", NULL },
		{ "1/2/2025", "2025-02-01", NULL },
		{ "ngày 5 tháng 12 năm 2016", "2016-12-05", NULL },
		{ "31/02/2025", NULL, "tháng 2 không có ngày 31 (tháng 2 có 28 ngày)" },
		{ "29/02/2023", NULL, "tháng 2 năm 2023 không có ngày 29 (năm 2023 không nhuận)" },
		{ "15/13/2025", NULL, "không có tháng 13 (tháng từ 1 đến 12)" },
		{ "31/12", NULL, "không phải ngày (dùng " VI_DATE_FORMS ")" },
		{ "", NULL, "không phải ngày (dùng " VI_DATE_FORMS ")" },
		{ NULL, NULL, "không phải ngày (dùng " VI_DATE_FORMS ")" },
	};
	char iso[VI_DATE_ISO_MAX], msg[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = vi_date_input(cases[i].in, iso, msg, sizeof(msg));
		if (cases[i].iso != NULL) {
			if (rc != 0 || strcmp(iso, cases[i].iso) != 0)
				fail_msg("'%s': want %s, got %d '%s' (%s)", cases[i].in, cases[i].iso,
				    rc, iso, msg);
		} else if (rc != -1 || iso[0] != '\0' || strcmp(msg, cases[i].says) != 0) {
			fail_msg("'%s': want '%s', got %d '%s'", cases[i].in ? cases[i].in : "(null)",
			    cases[i].says, rc, msg);
		}
	}
}

/* ---- times: Vietnam's clock, UTC+07:00 -------------------------------------------- */

static void
test_time_local(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "2026-11-23T13:41:12Z", "23/11/2026 20:41" },
		{ "2026-11-23T16:59:59Z", "23/11/2026 23:59" },
		/* the day, month and year turn over at 17:00 UTC */
		{ "2026-11-23T17:00:00Z", "24/11/2026 00:00" },
		{ "2026-11-30T18:30:00Z", "01/12/2026 01:30" },
		{ "2025-12-31T20:15:00Z", "01/01/2026 03:15" },
		{ "2024-02-28T17:00:00Z", "29/02/2024 00:00" }, /* leap year */
		{ "2025-02-28T17:00:00Z", "01/03/2025 00:00" },
		/* no daylight saving: the same offset in June and in January */
		{ "2025-06-15T00:00:00Z", "15/06/2025 07:00" },
		{ "2025-01-15T00:00:00Z", "15/01/2025 07:00" },
		/* SQL's forms of a UTC time */
		{ "2026-11-23 13:41:12", "23/11/2026 20:41" },
		{ "2026-11-23T13:41:12.123Z", "23/11/2026 20:41" },
		{ "2026-11-23T13:41", "23/11/2026 20:41" },
		/* no timestamp */
		{ "2026-11-23", NULL },
		{ "2026-02-30T10:00:00Z", NULL },
		{ "2026-11-23T24:00:00Z", NULL },
		{ "2026-11-23X10:00:00Z", NULL },
		{ "hôm nay", NULL },
		{ "", NULL },
	};
	char buf[VI_TIME_LOCAL_MAX];
	size_t i;

	(void)state;
	/* one named zone, one offset */
	assert_string_equal(CLOCK_TIME_ZONE, "Asia/Ho_Chi_Minh");
	assert_int_equal(CLOCK_UTC_OFFSET_S, 7 * 3600);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = vi_time_local(cases[i].in, buf, sizeof(buf));
		if (cases[i].want == NULL) {
			if (rc != -1 || buf[0] != '\0')
				fail_msg("'%s': want no time, got %d '%s'", cases[i].in, rc, buf);
		} else if (rc != 0 || strcmp(buf, cases[i].want) != 0) {
			fail_msg("'%s': want '%s', got %d '%s'", cases[i].in, cases[i].want, rc,
			    buf);
		}
	}
	assert_int_equal(vi_time_local(NULL, buf, sizeof(buf)), -1);
	/* a buffer too small writes nothing */
	assert_int_equal(vi_time_local("2026-11-23T13:41:12Z", buf, 10), -1);
	assert_string_equal(buf, "");
}

/* clock_today is the date of Vietnam's clock: the date part of now, as
 * vi_time_local shows it (asked again when the second turned between) */
static void
test_today_is_vietnams(void **state)
{
	char ts[CLOCK_TIMESTAMP_LEN], ts2[CLOCK_TIMESTAMP_LEN], today[CLOCK_DATE_LEN];
	char local[VI_TIME_LOCAL_MAX], want[CLOCK_DATE_LEN];
	int tries;

	(void)state;
	for (tries = 0; tries < 100; tries++) {
		clock_timestamp(ts);
		clock_today(today);
		clock_timestamp(ts2);
		if (strcmp(ts, ts2) == 0)
			break;
	}
	assert_int_equal(vi_time_local(ts, local, sizeof(local)), 0);
	snprintf(want, sizeof(want), "%.4s-%.2s-%.2s", local + 6, local + 3, local);
	assert_string_equal(today, want);
	assert_int_equal(clock_year(), atoi(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_fix_utf8),
		cmocka_unit_test(test_int64),
		cmocka_unit_test(test_formula_like),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_quantity),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_date_iso),
		cmocka_unit_test(test_iso_valid),
		cmocka_unit_test(test_date_problem),
		cmocka_unit_test(test_date_input),
		cmocka_unit_test(test_time_local),
		cmocka_unit_test(test_today_is_vietnams),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_period_label),
		cmocka_unit_test(test_doc_parse),
		cmocka_unit_test(test_doc_errors),
		cmocka_unit_test(test_doc_err_buffers),
		cmocka_unit_test(test_doc_format),
		cmocka_unit_test(test_doc_kinds),
		cmocka_unit_test(test_dates_in_words),
		cmocka_unit_test(test_first_case),
		cmocka_unit_test(test_label_in_sentence),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
