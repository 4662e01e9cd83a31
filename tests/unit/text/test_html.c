/*
 * test_html.c - the escaping the compiled templates and the DOCX/XLSX
 * parts rely on (html.h): every character that could end a text, an
 * attribute or a URL component is escaped, and nothing else changes.
 * Table-driven: a case is one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "text/html.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

struct esc_case {
	const char *in;   /* NULL: the function is given NULL */
	const char *want;
};

/* text and attribute values: the five characters, nothing else */
static const struct esc_case text_cases[] = {
	{ NULL, "" },
	{ "", "" },
	{ "Xín Mần", "Xín Mần" },
	{ "a & b", "a &amp; b" },
	{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "\" onmouseover=\"x", "&quot; onmouseover=&quot;x" },
	{ "it's", "it&#39;s" },
	{ "&amp;", "&amp;amp;" },                 /* escaped again: no decoding */
	{ "tab\tline\nend", "tab\tline\nend" },   /* white space as it is */
	{ "100% / 50", "100% / 50" },
};

/* URL components: unreserved characters as they are, every other byte
 * percent-encoded (UTF-8 byte by byte, upper-case hex) */
static const struct esc_case url_cases[] = {
	{ NULL, "" },
	{ "", "" },
	{ "abcXYZ019-_.~", "abcXYZ019-_.~" },
	{ "a b", "a%20b" },
	{ "a&b=c?d#e/f", "a%26b%3Dc%3Fd%23e%2Ff" },
	{ "Mần", "M%E1%BA%A7n" },
	{ "\"'<>", "%22%27%3C%3E" },
	{ "100%", "100%25" },
	{ "\r\n", "%0D%0A" },
};

/* XML parts: the five characters as XML writes them, control characters
 * that XML 1.0 forbids dropped, tab and line breaks kept */
static const struct esc_case xml_cases[] = {
	{ NULL, "" },
	{ "Si Ma Cai", "Si Ma Cai" },
	{ "a & b < c > d", "a &amp; b &lt; c &gt; d" },
	{ "\"it's\"", "&quot;it&apos;s&quot;" },
	{ "a\x01" "b\x1f" "c\x0b" "d", "abcd" },
	{ "tab\tcr\rlf\n", "tab\tcr\rlf\n" },
	{ "Quân đội", "Quân đội" },
};

static void
run(const struct esc_case *cases, size_t n, void (*fn)(struct buf *, const char *),
    const char *name)
{
	struct buf b;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_init(&b, 1 << 16);
		fn(&b, cases[i].in);
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fail_msg("%s(\"%s\") = \"%s\", want \"%s\"", name,
			    cases[i].in ? cases[i].in : "(null)", buf_str(&b), cases[i].want);
		buf_free(&b);
	}
}

static void
test_html_text(void **state)
{
	(void)state;
	run(text_cases, N_ELEM(text_cases), html_text, "html_text");
}

static void
test_html_url(void **state)
{
	(void)state;
	run(url_cases, N_ELEM(url_cases), html_url, "html_url");
}

static void
test_xml_text(void **state)
{
	(void)state;
	run(xml_cases, N_ELEM(xml_cases), xml_text, "xml_text");
}

/* html_raw writes what it is given (the visible `| unsafe`); html_int the
 * digits of any long long */
static void
test_raw_and_int(void **state)
{
	static const struct { long long v; const char *want; } ints[] = {
		{ 0, "0" }, { -1, "-1" }, { 2025, "2025" },
		{ INT64_MAX, "9223372036854775807" }, { INT64_MIN, "-9223372036854775808" },
	};
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 1 << 10);
	html_raw(&b, "<b>đậm</b>");
	html_raw(&b, NULL);
	assert_string_equal(buf_str(&b), "<b>đậm</b>");
	buf_free(&b);
	for (i = 0; i < N_ELEM(ints); i++) {
		buf_init(&b, 64);
		html_int(&b, ints[i].v);
		assert_string_equal(buf_str(&b), ints[i].want);
		buf_free(&b);
	}
}

/* Escaping appends: what the buffer held stays in front. */
static void
test_appends(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 10);
	buf_adds(&b, "<p>");
	html_text(&b, "a<b");
	buf_adds(&b, "</p>");
	assert_string_equal(buf_str(&b), "<p>a&lt;b</p>");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_html_url),
		cmocka_unit_test(test_xml_text),
		cmocka_unit_test(test_raw_and_int),
		cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
