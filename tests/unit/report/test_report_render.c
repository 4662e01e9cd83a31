/* test_report_render.c - the report renderers: DOCX in the Decree 30
 * layout, XLSX with numbers as numbers, CSV, HTML, PDF (or its absence),
 * and Vietnamese number formatting. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <zip.h>

#include "report/report.h"

#define OUT_MAX ((size_t)64 << 20)

/* A sample model: markup characters in text to prove escaping, a table
 * with text/number/percent/integer columns and null cells, a chart. */
static const char sample_json[] =
    "{"
    "\"issuer_parent\": \"UBND TỈNH LÀO CAI\","
    "\"issuer\": \"UBND HUYỆN SI MA CAI\","
    "\"number\": \"Số: 07/BC-UBND\","
    "\"place_date\": \"Si Ma Cai, ngày 31 tháng 10 năm 2023\","
    "\"kind\": \"BÁO CÁO\","
    "\"title\": \"Sơ kết thực hiện Quy chế phối hợp xây dựng khu vực giáp ranh năm 2023\","
    "\"draft\": false,"
    "\"sections\": ["
    " {\"heading\": \"I. KẾT QUẢ ĐẠT ĐƯỢC\", \"blocks\": ["
    "  {\"type\": \"heading\", \"text\": \"1. Thực hiện chỉ tiêu\"},"
    "  {\"type\": \"paragraph\", \"text\": \"Tuần tra <b>&\\\"' chung trên 23.000 lượt người.\\nĐoạn thứ hai.\"},"
    "  {\"type\": \"table\", \"title\": \"Bảng 1. Kết quả: tuần tra/kiểm soát [2023]\","
    "   \"columns\": [ {\"title\": \"Chỉ tiêu\", \"type\": \"text\"},"
    "                {\"title\": \"Kế hoạch\", \"type\": \"number\"},"
    "                {\"title\": \"Thực hiện\", \"type\": \"number\"},"
    "                {\"title\": \"Đạt\", \"type\": \"percent\"},"
    "                {\"title\": \"Số xã\", \"type\": \"integer\"} ],"
    "   \"rows\": [ [\"Lượt tuần tra\", 23000, 22324, 97.06, 4],"
    "              [\"Đường biên (km)\", 184.5, null, null, 3],"
    "              [\"=SUM(A1) \\\"x\\\", y\", -1234.5, 0, 100, null] ],"
    "   \"note\": \"Nguồn: số liệu của các xã\"},"
    "  {\"type\": \"chart\", \"title\": \"Biểu đồ 1. Lượt tuần tra\", \"kind\": \"bar\","
    "   \"labels\": [\"Si Ma Cai\", \"Xín Mần\", \"Mường Khương\"],"
    "   \"series\": [ {\"name\": \"2022\", \"values\": [120, 95.5, null]},"
    "                {\"name\": \"2023\", \"values\": [140, 101, 77]} ]}"
    " ]},"
    " {\"heading\": \"II. PHƯƠNG HƯỚNG\", \"blocks\": ["
    "  {\"type\": \"paragraph\", \"text\": \"Tiếp tục phối hợp.\"},"
    "  {\"type\": \"table\", \"title\": \"Bảng 1. Kết quả: tuần tra/kiểm soát [2023]\","
    "   \"columns\": [ {\"title\": \"Nội dung\", \"type\": \"text\"} ],"
    "   \"rows\": [ [\"Trùng tên bảng\"] ]}"
    " ]}"
    "],"
    "\"recipients\": [\"UBND tỉnh Lào Cai;\", \"Lưu: VT.\"],"
    "\"signer_authority\": \"TM. ỦY BAN NHÂN DÂN\","
    "\"signer_title\": \"CHỦ TỊCH\","
    "\"signer_name\": \"Hoàng Văn Dương\""
    "}";

static json_t *
sample(void)
{
	json_error_t je;
	json_t *doc = json_loads(sample_json, 0, &je);

	if (doc == NULL)
		fail_msg("sample: %s (line %d)", je.text, je.line);
	return doc;
}

/* memmem is a GNU extension; the project builds with _DEFAULT_SOURCE. */
static const char *
find_bytes(const char *hay, size_t len, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; nlen <= len && i <= len - nlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

static bool
contains(const struct buf *b, const char *needle)
{
	return b->len > 0 && find_bytes(b->data, b->len, needle, strlen(needle)) != NULL;
}

/* One entry of a zip held in memory; false when absent. */
static bool
zip_entry(const struct buf *zipdata, const char *name, struct buf *out)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *zf;
	char chunk[8192];
	zip_int64_t n;

	zip_error_init(&ze);
	src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (za == NULL)
		fail_msg("not a zip: %s", zip_error_strerror(&ze));
	zf = zip_fopen(za, name, 0);
	if (zf == NULL) {
		zip_discard(za);
		zip_error_fini(&ze);
		return false;
	}
	buf_init(out, OUT_MAX);
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	assert_true(n == 0);
	zip_fclose(zf);
	zip_discard(za);
	zip_error_fini(&ze);
	return true;
}

static zip_int64_t
zip_count(const struct buf *zipdata, const char *prefix)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t i, n, hits = 0;

	zip_error_init(&ze);
	src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++)
		if (strncmp(zip_get_name(za, (zip_uint64_t)i, 0), prefix,
		    strlen(prefix)) == 0)
			hits++;
	zip_discard(za);
	zip_error_fini(&ze);
	return hits;
}

/* Well-formed XML: xmllint when installed, else tags balance. */
static void
assert_xml(const struct buf *x, const char *what)
{
	char path[400], cmd[600];
	FILE *f;

	if (access("/usr/bin/xmllint", X_OK) == 0) {
		snprintf(path, sizeof(path), "%s/part.xml", tu_tmpdir());
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(x->data, 1, x->len, f), x->len);
		assert_int_equal(fclose(f), 0);
		snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout '%s'", path);
		if (system(cmd) != 0)
			fail_msg("%s is not well-formed XML", what);
		return;
	}
	{
		long depth = 0;
		const char *p;
		for (p = x->data; (p = strchr(p, '<')) != NULL; p++) {
			const char *end = strchr(p, '>');
			assert_non_null(end);
			if (p[1] == '?' || p[1] == '!')
				continue;
			if (p[1] == '/')
				depth--;
			else if (end[-1] != '/')
				depth++;
			assert_true(depth >= 0);
		}
		assert_int_equal(depth, 0);
	}
}

/* ---- numbers ------------------------------------------------------------- */

static const struct {
	double v;
	int decimals;
	const char *want;
} number_cases[] = {
	{ 23000, 0, "23.000" },
	{ 184.5, 1, "184,5" },
	{ 97.06, 1, "97,1" },
	{ 97.04, 1, "97" },
	{ 0, 0, "0" },
	{ 0, 2, "0" },
	{ -0.04, 1, "0" },        /* rounds to zero: no sign */
	{ -1234.5, 1, "-1.234,5" },
	{ -23000, 0, "-23.000" },
	{ 999.999, 2, "1.000" },
	{ 12.30, 2, "12,3" },
	{ 1234567.891, 2, "1.234.567,89" },
	{ 100, 0, "100" },
	{ 1000, 0, "1.000" },
	{ 1e15, 0, "1.000.000.000.000.000" },
	{ 18.9e9, 0, "18.900.000.000" },
	{ 0.5, 0, "1" },           /* half away from zero, not to even */
	{ 2.5, -3, "3" },          /* negative decimals clamp to 0 */
	{ 97.05, 1, "97,1" },      /* stored as 97.04999...: still up */
	{ 1.005, 2, "1,01" },
	{ -2.5, 0, "-3" },
	{ 0.04, 1, "0" },
	{ 0.05, 1, "0,1" },
	{ 1e20, 2, "100.000.000.000.000.000.000" },
	{ 1.23456789, 99, "1,234568" }, /* clamp to 6 */
};

static void
test_format_number(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++) {
		report_format_number(number_cases[i].v, number_cases[i].decimals, out,
		    sizeof(out));
		if (strcmp(out, number_cases[i].want) != 0)
			fail_msg("case %zu: %g/%d gave \"%s\", want \"%s\"", i,
			    number_cases[i].v, number_cases[i].decimals, out,
			    number_cases[i].want);
	}
	report_format_number(23000, 0, out, 4); /* cut, still terminated */
	assert_string_equal(out, "23.");
	report_format_number(NAN, 1, out, sizeof(out));
	assert_string_equal(out, "\xE2\x80\x93");
	report_format_number(1.7976931348623157e308, 0, out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
}

/* ---- DOCX ------------------------------------------------------------------ */

static void
test_docx(void **state)
{
	static const char *const parts[] = { "[Content_Types].xml", "_rels/.rels",
		"word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
		"word/settings.xml", "word/header1.xml", "word/header2.xml",
		"docProps/core.xml", "docProps/app.xml" };
	static const char *const want[] = {
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 07/BC-UBND", "Si Ma Cai, ngày 31 tháng 10 năm 2023",
		"UBND TỈNH LÀO CAI", "UBND HUYỆN SI MA CAI", "BÁO CÁO",
		"Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "Hoàng Văn Dương",
		"&lt;b&gt;&amp;&quot;&apos;", "23.000", "184,5", "97,1%", "-1.234,5",
		"\xE2\x80\x93", "Đoạn thứ hai.",
		"w:w=\"11906\" w:h=\"16838\"",
		"w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\"",
		"<w:titlePg/>", "w:firstLine=\"720\"", "<w:jc w:val=\"both\"/>",
		"<w:headerReference w:type=\"first\"",
	};
	json_t *doc = sample();
	struct buf out, x;
	struct err e = { 0 };
	size_t i;

	(void)state;
	buf_init(&out, OUT_MAX);
	if (report_render_docx(doc, &out, &e) != 0)
		fail_msg("docx: %s", e.msg);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!zip_entry(&out, parts[i], &x))
			fail_msg("no %s", parts[i]);
		assert_xml(&x, parts[i]);
		buf_free(&x);
	}
	assert_true(zip_entry(&out, "word/document.xml", &x));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!contains(&x, want[i]))
			fail_msg("document.xml lacks %s", want[i]);
	assert_false(contains(&x, "<b>&"));
	assert_false(contains(&x, "DỰ THẢO"));
	/* "Nơi nhận:" 12 pt bold italic, its list 11 pt */
	assert_true(contains(&x, "<w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val=\"24\"/>"
	    "<w:szCs w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">Nơi nhận:"));
	assert_true(contains(&x, "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr>"
	    "<w:t xml:space=\"preserve\">- UBND tỉnh Lào Cai;"));
	buf_free(&x);
	/* page number on page 2 on: default header has PAGE, first has none */
	assert_true(zip_entry(&out, "word/header1.xml", &x));
	assert_true(contains(&x, " PAGE "));
	buf_free(&x);
	assert_true(zip_entry(&out, "word/header2.xml", &x));
	assert_false(contains(&x, "PAGE"));
	buf_free(&x);
	assert_true(zip_entry(&out, "word/styles.xml", &x));
	assert_true(contains(&x, "w:ascii=\"Times New Roman\""));
	buf_free(&x);
	buf_free(&out);
	json_decref(doc);
}

static void
test_docx_draft_and_nfc(void **state)
{
	/* "Hoà" decomposed (a + U+0300) must come out precomposed */
	json_t *doc = json_pack("{s:s, s:b, s:s, s:[{s:s, s:[{s:s, s:s}]}]}",
	    "issuer", "UBND X", "draft", 1, "title", "Ho\x61\xCC\x80 b\xC3\xACnh",
	    "sections", "heading", "I. A", "blocks", "type", "paragraph",
	    "text", "x\x01y");
	struct buf out, x;
	struct err e = { 0 };

	(void)state;
	assert_non_null(doc);
	buf_init(&out, OUT_MAX);
	assert_int_equal(report_render_docx(doc, &out, &e), 0);
	assert_true(zip_entry(&out, "word/document.xml", &x));
	assert_true(contains(&x, "DỰ THẢO"));
	assert_true(contains(&x, "Ho\xC3\xA0 b\xC3\xACnh"));
	assert_true(contains(&x, ">xy<")); /* a control character is dropped */
	assert_xml(&x, "draft document.xml");
	buf_free(&x);
	buf_free(&out);
	json_decref(doc);
}

/* ---- XLSX ------------------------------------------------------------------ */

/* A <c> holding <v>value</v> that is a number, not a shared string. */
static bool
numeric_cell(const struct buf *sheet, const char *value)
{
	char v[64];
	const char *hit, *c;

	snprintf(v, sizeof(v), "<v>%s</v>", value);
	hit = find_bytes(sheet->data, sheet->len, v, strlen(v));
	if (hit == NULL)
		return false;
	for (c = hit; c > sheet->data && strncmp(c, "<c ", 3) != 0; c--)
		;
	return find_bytes(c, (size_t)(hit - c), "t=\"s\"", 5) == NULL &&
	    find_bytes(c, (size_t)(hit - c), "t=\"str\"", 7) == NULL;
}

static void
test_xlsx(void **state)
{
	json_t *doc = sample();
	struct buf out, x;
	struct err e = { 0 };

	(void)state;
	buf_init(&out, OUT_MAX);
	if (report_render_xlsx(doc, &out, &e) != 0)
		fail_msg("xlsx: %s", e.msg);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	assert_true(zip_entry(&out, "xl/workbook.xml", &x));
	assert_xml(&x, "workbook.xml");
	/* the summary first, then two tables and the chart ("Bảng " dropped:
	 * the tab is a table; cut between words); the second table
	 * has a taken title, so it gets "Bảng 2"; []:/ are not allowed */
	assert_true(contains(&x, "name=\"Báo cáo\" sheetId=\"1\""));
	assert_true(contains(&x, "name=\"1. Kết quả tuần tra kiểm soát\""));
	assert_true(contains(&x, "name=\"Biểu đồ 1. Lượt tuần tra\""));
	assert_true(contains(&x, "name=\"Bảng 2\""));
	buf_free(&x);
	assert_int_equal(zip_count(&out, "xl/worksheets/sheet"), 4);
	assert_int_equal(zip_count(&out, "xl/charts/chart"), 1);

	assert_true(zip_entry(&out, "xl/worksheets/sheet2.xml", &x));
	assert_xml(&x, "sheet2.xml");
	assert_true(numeric_cell(&x, "23000"));
	assert_true(numeric_cell(&x, "184.5"));
	assert_true(numeric_cell(&x, "97.06"));
	assert_true(numeric_cell(&x, "-1234.5"));
	buf_free(&x);
	assert_true(zip_entry(&out, "xl/sharedStrings.xml", &x));
	assert_xml(&x, "sharedStrings.xml");
	assert_true(contains(&x, "Đạt (%)"));  /* percent title says % */
	assert_true(contains(&x, "Tuần tra &lt;b&gt;&amp;"));
	assert_true(contains(&x, "Nơi nhận:"));
	assert_true(contains(&x, "CHỦ TỊCH"));
	buf_free(&x);
	assert_true(zip_entry(&out, "xl/styles.xml", &x));
	assert_true(contains(&x, "formatCode=\"0.0\""));
	buf_free(&x);
	buf_free(&out);
	json_decref(doc);
}

/* ---- CSV -------------------------------------------------------------------- */

static void
test_csv(void **state)
{
	json_t *doc = sample();
	struct buf out;
	struct err e = { 0 };

	(void)state;
	buf_init(&out, OUT_MAX);
	assert_int_equal(report_render_csv(doc, &out, &e), 0);
	assert_memory_equal(out.data, "\xEF\xBB\xBF", 3);
	assert_true(contains(&out, "\xEF\xBB\xBF" "Bảng 1. Kết quả: tuần tra/kiểm soát "
	    "[2023]\r\nChỉ tiêu,Kế hoạch,Thực hiện,Đạt,Số xã\r\n"));
	assert_true(contains(&out, "\r\nLượt tuần tra,23000,22324,97.06,4\r\n"));
	assert_true(contains(&out, "\r\nĐường biên (km),184.5,,,3\r\n"));
	/* quotes doubled; a formula-like text is defused */
	assert_true(contains(&out, "\r\n\"'=SUM(A1) \"\"x\"\", y\",-1234.5,0,100,\r\n"));
	assert_true(contains(&out, "\r\nBiểu đồ 1. Lượt tuần tra\r\n,2022,2023\r\n"
	    "Si Ma Cai,120,140\r\nXín Mần,95.5,101\r\nMường Khương,,77\r\n"));
	assert_true(contains(&out, "\r\n\r\nBảng 1. Kết quả: tuần tra/kiểm soát "
	    "[2023]\r\nNội dung\r\nTrùng tên bảng\r\n"));
	assert_false(contains(&out, "KẾT QUẢ ĐẠT ĐƯỢC")); /* tables only */
	buf_free(&out);
	json_decref(doc);
}

/* ---- HTML ------------------------------------------------------------------- */

static void
test_html(void **state)
{
	static const char *const want[] = {
		"<link rel=\"stylesheet\" href=\"/static/report.css\">",
		"<html lang=\"vi\">",
		"<table class=\"nd30-head layout-state\">",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 07/BC-UBND", "Si Ma Cai, ngày 31 tháng 10 năm 2023",
		"<h1 class=\"kind\">BÁO CÁO</h1>",
		"Tuần tra &lt;b&gt;&amp;&quot;&#39; chung",
		"<td class=\"num\">23.000</td>", "<td class=\"num\">184,5</td>",
		"<td class=\"num\">97,1%</td>", "<td class=\"num\">\xE2\x80\x93</td>",
		"<td>=SUM(A1) &quot;x&quot;, y</td>",
		"<svg class=\"chart\"", "<rect class=\"bar s1\"",
		"<p class=\"label\">Nơi nhận:</p>", "<li>- Lưu: VT.</li>",
		"<p class=\"name\">Hoàng Văn Dương</p>",
	};
	json_t *doc = sample();
	struct buf out;
	struct err e = { 0 };
	size_t i;

	(void)state;
	buf_init(&out, OUT_MAX);
	assert_int_equal(report_render_html(doc, &out, &e), 0);
	assert_int_equal(strncmp(out.data, "<!doctype html>", 15), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!contains(&out, want[i]))
			fail_msg("html lacks %s", want[i]);
	assert_false(contains(&out, "<b>&"));
	assert_false(contains(&out, " style="));  /* CSP: no inline styles */
	assert_false(contains(&out, "<script"));
	assert_false(contains(&out, "DỰ THẢO"));
	buf_free(&out);
	json_decref(doc);
}

/* ---- PDF -------------------------------------------------------------------- */

static bool
have_soffice(void)
{
	const char *path = getenv("PATH");
	char dirs[4096], file[4200], *p, *colon;

	snprintf(dirs, sizeof(dirs), "%s", path ? path : "");
	for (p = dirs; p != NULL && *p; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		if (colon != NULL)
			*colon = '\0';
		snprintf(file, sizeof(file), "%s/soffice", p);
		if (*p == '/' && access(file, X_OK) == 0)
			return true;
	}
	return false;
}

static void
test_pdf_real_or_unavailable(void **state)
{
	json_t *doc = sample();
	struct buf out;
	struct err e = { 0 };

	(void)state;
	buf_init(&out, OUT_MAX);
	if (have_soffice()) {
		if (report_render_pdf(doc, &out, &e) != 0)
			fail_msg("pdf: %s", e.msg);
		assert_memory_equal(out.data, "%PDF", 4);
	} else {
		assert_int_equal(report_render_pdf(doc, &out, &e), -1);
		assert_int_equal(e.code, ERR_UNAVAILABLE);
		assert_non_null(strstr(e.msg, "LibreOffice"));
		assert_int_equal(out.len, 0);
	}
	buf_free(&out);
	json_decref(doc);
}

static int
entries_named(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* A stand-in soffice proves the plumbing: arguments, a private HOME,
 * reading the PDF back, the exit status, and removal of the temp dir. */
static void
test_pdf_with_fake_soffice(void **state)
{
	static const char ok_script[] =
	    "#!/bin/sh\n"
	    "out=''; last=''\n"
	    "while [ $# -gt 0 ]; do\n"
	    "  case \"$1\" in --outdir) out=\"$2\"; shift;; esac\n"
	    "  last=\"$1\"; shift\n"
	    "done\n"
	    "[ -f \"$last\" ] || exit 2\n"
	    "mkdir -p \"$HOME/.config/libreoffice\"\n"
	    "printf '%%PDF-1.4\\nHOME=%s\\n' \"$HOME\" > \"$out/$(basename \"$last\" .docx).pdf\"\n";
	static const char bad_script[] = "#!/bin/sh\nexit 3\n";
	char bin[400], file[450], tmp[400], path[5000], *old_path, *old_tmp;
	const char *p;
	json_t *doc = sample();
	struct buf out;
	struct err e = { 0 };
	FILE *f;

	(void)state;
	snprintf(bin, sizeof(bin), "%s/fakebin", tu_tmpdir());
	snprintf(tmp, sizeof(tmp), "%s/pdftmp", tu_tmpdir());
	assert_int_equal(mkdir(bin, 0700), 0);
	assert_int_equal(mkdir(tmp, 0700), 0);
	snprintf(file, sizeof(file), "%s/soffice", bin);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(ok_script, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(file, 0700), 0);

	p = getenv("PATH");
	old_path = strdup(p ? p : "/usr/bin:/bin");
	p = getenv("TMPDIR");
	old_tmp = p ? strdup(p) : NULL;
	snprintf(path, sizeof(path), "%s:%s", bin, old_path);
	setenv("PATH", path, 1);
	setenv("TMPDIR", tmp, 1);

	buf_init(&out, OUT_MAX);
	if (report_render_pdf(doc, &out, &e) != 0)
		fail_msg("fake pdf: %s", e.msg);
	assert_memory_equal(out.data, "%PDF-1.4\nHOME=", 14);
	assert_true(contains(&out, tmp));            /* HOME was the private dir */
	assert_true(contains(&out, "/giapranh-pdf-"));
	assert_int_equal(entries_named(tmp, "giapranh-pdf-"), 0); /* removed */

	f = fopen(file, "w");
	assert_non_null(f);
	fputs(bad_script, f);
	assert_int_equal(fclose(f), 0);
	buf_reset(&out);
	assert_int_equal(report_render_pdf(doc, &out, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_int_equal(out.len, 0);
	assert_int_equal(entries_named(tmp, "giapranh-pdf-"), 0);

	setenv("PATH", old_path, 1);
	if (old_tmp != NULL)
		setenv("TMPDIR", old_tmp, 1);
	else
		unsetenv("TMPDIR");
	free(old_path);
	free(old_tmp);
	buf_free(&out);
	json_decref(doc);
}

/* ---- odd models -------------------------------------------------------------- */

typedef int (*render_fn)(const json_t *, struct buf *, struct err *);

static const struct {
	const char *name;
	render_fn fn;
} renderers[] = {
	{ "docx", report_render_docx },
	{ "xlsx", report_render_xlsx },
	{ "csv", report_render_csv },
	{ "html", report_render_html },
};

static void
test_empty_and_bad_models(void **state)
{
	json_t *empty = json_object(), *arr = json_array();
	json_t *wide = json_pack("{s:[{s:[{s:s, s:s, s:[], s:[]}]}]}", "sections",
	    "blocks", "type", "table", "title", "rộng", "columns", "rows");
	struct buf out;
	struct err e = { 0 };
	size_t i;
	int k;

	(void)state;
	for (k = 0; k < 65; k++)
		json_array_append_new(json_object_get(json_array_get(json_object_get(
		    json_array_get(json_object_get(wide, "sections"), 0), "blocks"),
		    0), "columns"), json_pack("{s:s}", "title", "c"));
	for (i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++) {
		buf_init(&out, OUT_MAX);
		if (renderers[i].fn(empty, &out, &e) != 0)
			fail_msg("%s of {}: %s", renderers[i].name, e.msg);
		assert_true(out.len > 0);
		buf_reset(&out);
		assert_int_equal(renderers[i].fn(arr, &out, &e), -1);
		assert_int_equal(e.code, ERR_INTERNAL);
		buf_reset(&out);
		assert_int_equal(renderers[i].fn(wide, &out, &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		buf_free(&out);
		err_clear(&e);
	}
	/* a chart with more series than any renderer draws is refused */
	{
		json_t *many = json_pack("{s:[{s:[{s:s, s:s, s:[s], s:[]}]}]}",
		    "sections", "blocks", "type", "chart", "title", "nhiều",
		    "labels", "a", "series");
		json_t *series = json_object_get(json_array_get(json_object_get(
		    json_array_get(json_object_get(many, "sections"), 0), "blocks"),
		    0), "series");
		for (k = 0; k < 17; k++)
			json_array_append_new(series, json_pack("{s:s, s:[i]}", "name",
			    "d", "values", k));
		for (i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++) {
			int rc;
			buf_init(&out, OUT_MAX);
			rc = renderers[i].fn(many, &out, &e);
			if (renderers[i].fn == report_render_csv) {
				assert_int_equal(rc, 0); /* CSV has no limit to hit */
			} else {
				assert_int_equal(rc, -1);
				assert_int_equal(e.code, ERR_INVALID);
			}
			buf_free(&out);
			err_clear(&e);
		}
		json_decref(many);
	}
	/* an output cap is honoured */
	buf_init(&out, 100);
	assert_int_equal(report_render_html(empty, &out, &e), -1);
	assert_int_equal(e.code, ERR_TOO_LARGE);
	buf_free(&out);
	json_decref(empty);
	json_decref(arr);
	json_decref(wide);
}

/* ---- layouts: every kind of issuing body -------------------------------- */

/* One row per org_kind (and per Party body the name tells apart): the
 * layout, header lines, symbol and signature report_issuer_of gives. */
static void
test_issuer_layouts(void **state)
{
	static const struct {
		const char *kind, *name, *pkind, *pname, *gname;
		const char *layout, *parent, *issuer, *abbr, *authority, *title;
		const char *addressee;
	} cases[] = {
		{ "peoples_committee", "Ủy ban nhân dân huyện Si Ma Cai",
		  "peoples_committee", "Ủy ban nhân dân tỉnh Lào Cai", NULL, "state", "",
		  "ỦY BAN NHÂN DÂN\nHUYỆN SI MA CAI", "UBND", "TM. ỦY BAN NHÂN DÂN",
		  "CHỦ TỊCH", "Ủy ban nhân dân tỉnh Lào Cai" },
		{ "peoples_council", "Hội đồng nhân dân tỉnh Lào Cai", NULL, NULL, NULL,
		  "state", "", "HỘI ĐỒNG NHÂN DÂN\nTỈNH LÀO CAI", "HĐND",
		  "TM. THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "" },
		{ "department", "Sở Lao động - Thương binh và Xã hội tỉnh Sơn La",
		  "peoples_committee", "Ủy ban nhân dân tỉnh Sơn La", NULL, "state",
		  "ỦY BAN NHÂN DÂN TỈNH SƠN LA",
		  "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "SLĐTBVXH", "", "GIÁM ĐỐC",
		  "Ủy ban nhân dân tỉnh Sơn La" },
		{ "front", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Sơn La", NULL, NULL,
		  NULL, "state", "", "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nTỈNH SƠN LA",
		  "MTTQ", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "" },
		{ "mass_org", "Hội Nông dân tỉnh Sơn La", NULL, NULL, NULL, "state", "",
		  "HỘI NÔNG DÂN\nTỈNH SƠN LA", "HND", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "" },
		{ "border_guard", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lào Cai", NULL,
		  NULL, NULL, "army", "BỘ TƯ LỆNH BỘ ĐỘI BIÊN PHÒNG",
		  "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG\nTỈNH LÀO CAI", "BCH", "",
		  "CHỈ HUY TRƯỞNG", "" },
		{ "border_post", "Đồn Biên phòng Si Ma Cai", "border_guard",
		  "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lào Cai", NULL, "army",
		  "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH LÀO CAI", "ĐỒN BIÊN PHÒNG SI MA CAI",
		  "ĐBP", "", "ĐỒN TRƯỞNG", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lào Cai" },
		{ "military", "Bộ Chỉ huy Quân sự tỉnh Sơn La", NULL, NULL, NULL, "army",
		  "", "BỘ CHỈ HUY QUÂN SỰ\nTỈNH SƠN LA", "BCH", "", "CHỈ HUY TRƯỞNG", "" },
		{ "police", "Công an tỉnh Sơn La", NULL, NULL, NULL, "state", "",
		  "CÔNG AN\nTỈNH SƠN LA", "CA", "", "THỦ TRƯỞNG", "" },
		{ "party_committee", "Huyện ủy Si Ma Cai", "party_committee",
		  "Tỉnh ủy Lào Cai", NULL, "party", "ĐẢNG BỘ TỈNH LÀO CAI",
		  "HUYỆN ỦY SI MA CAI", "HU", "T/M BAN THƯỜNG VỤ", "BÍ THƯ",
		  "Ban Thường vụ Tỉnh ủy Lào Cai" },
		{ "party_committee", "Tỉnh ủy Cao Bằng", NULL, NULL, NULL, "party", "",
		  "TỈNH ỦY CAO BẰNG", "TU", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "" },
		{ "party_committee", "Ban Thường vụ Huyện ủy Si Ma Cai",
		  "party_committee", "Huyện ủy Si Ma Cai", "Tỉnh ủy Lào Cai", "party",
		  "ĐẢNG BỘ TỈNH LÀO CAI", "HUYỆN ỦY SI MA CAI", "HU",
		  "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Ban Thường vụ Tỉnh ủy Lào Cai" },
		{ "party_committee", "Đảng ủy xã Bản Mế", "party_committee",
		  "Huyện ủy Si Ma Cai", NULL, "party", "ĐẢNG BỘ HUYỆN SI MA CAI",
		  "ĐẢNG ỦY XÃ BẢN MẾ", "ĐU", "T/M ĐẢNG ỦY", "BÍ THƯ",
		  "Ban Thường vụ Huyện ủy Si Ma Cai" },
		{ "party_board", "Ủy ban Kiểm tra Tỉnh ủy Lào Cai", "party_committee",
		  "Tỉnh ủy Lào Cai", NULL, "party", "TỈNH ỦY LÀO CAI", "ỦY BAN KIỂM TRA",
		  "UBKTTU", "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM",
		  "Ban Thường vụ Tỉnh ủy Lào Cai" },
		{ "party_board", "Ban Tổ chức Tỉnh ủy Lào Cai", "party_committee",
		  "Tỉnh ủy Lào Cai", NULL, "party", "TỈNH ỦY LÀO CAI", "BAN TỔ CHỨC",
		  "BTCTU", "", "TRƯỞNG BAN", "Ban Thường vụ Tỉnh ủy Lào Cai" },
		{ "company", "Công ty Cổ phần Sông Đà", NULL, NULL, NULL, "state", "",
		  "CÔNG TY CỔ PHẦN SÔNG ĐÀ", "CTCPSĐ", "", "THỦ TRƯỞNG", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *org = json_pack("{s:s, s:s}", "kind", cases[i].kind, "name",
		    cases[i].name);
		json_t *par = cases[i].pname ? json_pack("{s:s, s:s}", "kind",
		    cases[i].pkind, "name", cases[i].pname) : NULL;
		json_t *grand = cases[i].gname ? json_pack("{s:s, s:s}", "kind",
		    "party_committee", "name", cases[i].gname) : NULL;
		const json_t *chain[3] = { org, par, grand };
		struct report_issuer is;
		char sym[64], num[80];

		assert_int_equal(report_issuer_of(chain, 3, &is), 0);
		if (strcmp(is.layout->name, cases[i].layout) != 0 ||
		    strcmp(is.parent, cases[i].parent) != 0 ||
		    strcmp(is.issuer, cases[i].issuer) != 0 ||
		    strcmp(is.abbr, cases[i].abbr) != 0 ||
		    strcmp(is.authority, cases[i].authority) != 0 ||
		    strcmp(is.title, cases[i].title) != 0 ||
		    strcmp(is.addressee, cases[i].addressee) != 0)
			fail_msg("%s: got %s | %s | %s | %s | %s | %s | %s", cases[i].name,
			    is.layout->name, is.parent, is.issuer, is.abbr, is.authority,
			    is.title, is.addressee);
		/* the number forms of the two families */
		report_symbol(is.layout, "BC", &is, sym, sizeof(sym));
		report_number_text(is.layout, 7, sym, num, sizeof(num));
		if (strcmp(is.layout->name, "party") == 0) {
			assert_int_equal(strncmp(num, "Số 07-BC/", 9), 0);
			assert_non_null(is.layout->issuer_mark);
		} else {
			assert_int_equal(strncmp(num, "Số: 07/BC-", 12), 0);
			assert_null(is.layout->issuer_mark);
		}
		json_decref(org);
		json_decref(par);
		json_decref(grand);
	}
}

/* Numbering as an office does: sections I., II. in capitals, items 1.,
 * points a) ... with no f, j, w, z; empty sections leave no gap. */
static void
test_numbering(void **state)
{
	json_t *doc = json_pack("{s:[{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]},"
	    "{s:s, s:[]}]}", "sections",
	    "heading", "Kết quả", "blocks",
	    "type", "heading", "text", "Hoạt động",
	    "type", "subheading", "text", "Tuần tra",
	    "type", "subheading", "text", "Tuyên truyền",
	    "type", "heading", "text", "Hội nghị",
	    "heading", "Tồn tại, hạn chế", "blocks");
	json_t *secs;
	char r[16];

	(void)state;
	report_number_sections(doc);
	secs = json_object_get(doc, "sections");
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 0),
	    "heading")), "I. KẾT QUẢ");
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 1),
	    "heading")), "II. TỒN TẠI, HẠN CHẾ");
#define BLK(n) json_string_value(json_object_get(json_array_get(json_object_get( \
	json_array_get(secs, 0), "blocks"), n), "text"))
	assert_string_equal(BLK(0), "1. Hoạt động");
	assert_string_equal(BLK(1), "a) Tuần tra");
	assert_string_equal(BLK(2), "b) Tuyên truyền");
	assert_string_equal(BLK(3), "2. Hội nghị");
#undef BLK
	report_roman(4, r, sizeof(r));
	assert_string_equal(r, "IV");
	report_roman(19, r, sizeof(r));
	assert_string_equal(r, "XIX");
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_number),
		cmocka_unit_test(test_issuer_layouts),
		cmocka_unit_test(test_numbering),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_docx_draft_and_nfc),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_pdf_real_or_unavailable),
		cmocka_unit_test(test_pdf_with_fake_soffice),
		cmocka_unit_test(test_empty_and_bad_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
