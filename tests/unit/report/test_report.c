/* test_report.c - the review reports of the five source situations, built
 * from the demo records: their figures come out as the reports give them,
 * in the model and in the DOCX/XLSX files; the number register. */
#include "testutil.h"

#include "base/clock.h"

#include <zip.h>

#include "domain/achieve.h"
#include "domain/duties.h"
#include "domain/records.h"
#include "report/report.h"


static int64_t
find(const char *entity, const char *search)
{
	struct list_query q;
	json_t *rows;
	int64_t id;

	memset(&q, 0, sizeof(q));
	q.search = search;
	q.see_confidential = true;
	assert_int_equal(store_list(tu_db, registry_find(entity), &q, &rows, NULL, NULL), 0);
	if (json_array_size(rows) == 0)
		fail_msg("no %s matches '%s'", entity, search);
	id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	return id;
}

static json_t *
build(enum report_scope_kind kind, int64_t id, const char *period)
{
	struct report_scope sc = { kind, id, 0 };
	struct err e = { 0 };
	json_t *doc = report_build(tu_db, &sc, period, 0, true, &e);

	if (doc == NULL)
		fail_msg("report: %s", e.msg);
	return doc;
}

/* All the text of a model: paragraphs, table cells (numbers as %.15g). */
static void
flatten(const json_t *v, struct buf *b)
{
	size_t i;
	const char *k;
	json_t *x;

	if (json_is_string(v)) {
		buf_adds(b, json_string_value(v));
		buf_addc(b, '\n');
	} else if (json_is_number(v)) {
		buf_addf(b, "%.15g\n", json_number_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			flatten(x, b);
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			flatten(x, b);
	}
}

static void
expect_text(const json_t *doc, const char *const *needles)
{
	struct buf b;

	buf_init(&b, 1 << 24);
	flatten(doc, &b);
	for (; *needles != NULL; needles++)
		if (strstr(buf_str(&b), *needles) == NULL)
			fail_msg("report lacks '%s'", *needles);
	buf_free(&b);
}

/* The text of one part of an OOXML file (zip). */
static char *
zip_part(const struct buf *file, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *f;
	zip_stat_t st;
	char *text = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(file->data, file->len, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	if (zip_stat(z, name, 0, &st) == 0 && (f = zip_fopen(z, name, 0)) != NULL) {
		text = calloc(1, st.size + 1);
		assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
		zip_fclose(f);
	}
	zip_close(z);
	zip_error_fini(&ze);
	return text;
}

static void
test_simacai_target_set(void **state)
{
	static const char *const want[] = {
		"13/22 nhóm mục tiêu đạt từ 100% trở lên",
		"9/22 nhóm đạt từ 70% trở lên", "HUYỆN ỦY SI MA CAI",
		"Tỷ lệ lao động qua đào tạo", NULL,
	};
	json_t *doc;

	(void)state;
	doc = build(SCOPE_TARGET_SET, find("target_set", "si ma cai"), NULL);
	expect_text(doc, want);
	json_decref(doc);
}

static void
test_hagiang_twinning(void **state)
{
	static const char *const want[] = { "33/34", "đạt 97%", "Bản Máy", NULL };
	json_t *doc;
	struct buf docx;
	struct err e = { 0 };
	char *xml;

	(void)state;
	doc = build(SCOPE_PROGRAM, find("program", "chuong trinh ket nghia xa"), NULL);
	expect_text(doc, want);
	buf_init(&docx, 1 << 26);
	assert_int_equal(report_render_docx(doc, &docx, &e), 0);
	xml = zip_part(&docx, "word/document.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "33/34"));
	assert_non_null(strstr(xml, "Bản Máy"));
	assert_non_null(strstr(xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	free(xml);
	buf_free(&docx);
	json_decref(doc);
}

static void
test_trungkhanh_supervision(void **state)
{
	/* "trên 23.000": a qualified total is written with its qualifier */
	static const char *const want[] = { "321", "trên 23.000", "638", "4932", "184.5",
		"TỈNH ỦY CAO BẰNG", "5/5 hộ thuộc diện đã ký cam kết", NULL };
	struct buf file;
	struct err e = { 0 };
	json_t *doc;
	char *xml;

	(void)state;
	doc = build(SCOPE_SUPERVISION, find("supervision", "trung khanh"), "2021-2023");
	expect_text(doc, want);
	/* Word shows them the Vietnamese way */
	buf_init(&file, 1 << 26);
	assert_int_equal(report_render_docx(doc, &file, &e), 0);
	xml = zip_part(&file, "word/document.xml");
	assert_non_null(strstr(xml, "23.000"));
	assert_non_null(strstr(xml, "184,5"));
	assert_non_null(strstr(xml, "4.932"));
	free(xml);
	/* Excel keeps them as numbers */
	buf_reset(&file);
	assert_int_equal(report_render_xlsx(doc, &file, &e), 0);
	xml = zip_part(&file, "xl/workbook.xml");
	assert_non_null(xml);
	free(xml);
	xml = zip_part(&file, "xl/worksheets/sheet2.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<v>321</v>"));
	free(xml);
	buf_free(&file);
	json_decref(doc);
}

static void
test_simacai_coordination_commendations(void **state)
{
	static const char *const want[] = { "3 tập thể và 6 cá nhân", "Giấy khen", NULL };
	json_t *doc;

	(void)state;
	doc = build(SCOPE_AGREEMENT, find("agreement", "quy che phoi hop xay dung khu vuc giap ranh"),
	    "2023");
	expect_text(doc, want);
	json_decref(doc);
}

static void
test_sonla_help_review(void **state)
{
	static const char *const want[] = { "22 tập thể", "Bằng khen",
		"chưa thực sự vào cuộc", NULL };
	json_t *doc;

	(void)state;
	doc = build(SCOPE_PROGRAM, find("program", "phan cong cac so"), "2013-2017");
	expect_text(doc, want);
	json_decref(doc);
}

/* ---- official documents: the five source situations, both layouts ---- */

/* What a clerk checks on page 1 and at the end: issuing body lines,
 * heading, number form, signature lines, numbering and closing. */
struct situation {
	const char *name;            /* file name of the sample            */
	enum report_scope_kind kind;
	const char *entity, *search, *period;
	const char *layout;
	const char *lines[4];        /* issuer block, top to bottom        */
	const char *heading[2];      /* top right: quốc hiệu or the Party's */
	const char *number;          /* the number as a draft shows it     */
	const char *sign[3];         /* signature block lines              */
	const char *addressee;       /* "Kính gửi: …." or NULL             */
	const char *title_start;     /* the summary an office writes       */
	const char *end;             /* the end of the closing sentence   */
	const char *words[4];        /* wording the model must have, NULL-ended */
};

static const struct situation situations[] = {
	{ "000_simacai_coordination", SCOPE_AGREEMENT, "agreement",
	  "quy che phoi hop xay dung khu vuc giap ranh", "2023", "state",
	  { "ỦY BAN NHÂN DÂN", "HUYỆN SI MA CAI" },
	  { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc" },
	  "Số:      /BC-UBND", { "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH" },
	  "Kính gửi: Ủy ban nhân dân tỉnh Lào Cai.",
	  "Sơ kết thực hiện Quy chế phối hợp", "năm 2023 của Ủy ban nhân dân huyện Si Ma Cai./.",
	  { "tỉnh Hà Giang năm 2023", "3 tập thể và 6 cá nhân" } },
	{ "001_simacai_targets", SCOPE_TARGET_SET, "target_set", "si ma cai", NULL,
	  "party", { "ĐẢNG BỘ TỈNH LÀO CAI", "HUYỆN ỦY SI MA CAI", "*" },
	  { "ĐẢNG CỘNG SẢN VIỆT NAM" }, "Số      -BC/HU",
	  { "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	  "Kính gửi: Ban Thường vụ Tỉnh ủy Lào Cai.",
	  "Kết quả thực hiện các mục tiêu, chỉ tiêu Nghị quyết Đại hội",
	  "của Huyện ủy Si Ma Cai.", { "trên 95", "chi ủy (minh họa)" } },
	{ "002_hagiang_twinning", SCOPE_PROGRAM, "program",
	  "chuong trinh ket nghia xa", NULL, "state",
	  { "ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG" },
	  { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc" },
	  "Số:      /BC-UBND", { "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH" }, NULL,
	  "Kết quả thực hiện Chương trình kết nghĩa", "của Ủy ban nhân dân tỉnh Hà Giang./.",
	  { "Đến hết tháng 12 năm 2016" } },
	{ "003_sonla_help", SCOPE_PROGRAM, "program", "phan cong cac so",
	  "2013-2017", "state", { "ỦY BAN NHÂN DÂN", "TỈNH SƠN LA" },
	  { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc" },
	  "Số:      /BC-UBND", { "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH" }, NULL,
	  "Kết quả thực hiện phân công các sở", "giai đoạn 2013-2017 của Ủy ban nhân dân tỉnh Sơn La./.",
	  { "giai đoạn 2013-2017", "Đã khen thưởng 22 tập thể có thành tích" } },
	{ "004_caobang_supervision", SCOPE_SUPERVISION, "supervision", "trung khanh",
	  "2021-2023", "party", { "TỈNH ỦY CAO BẰNG", "*" },
	  { "ĐẢNG CỘNG SẢN VIỆT NAM" }, "Số      -BC/TU",
	  { "T/M BAN THƯỜNG VỤ", "BÍ THƯ" }, NULL,
	  "Kết quả giám sát việc thực hiện Kết luận số 160",
	  "giai đoạn 2021-2023 của Tỉnh ủy Cao Bằng.",
	  { "trên 23.000", "trên 3,6", "ngày 23 tháng 8 năm 2021" } },
};

/* ">text<": a whole run of the DOCX (lines of a paragraph are runs) */
static void
expect_run(const char *xml, const char *what, const char *text)
{
	char needle[1200];

	snprintf(needle, sizeof(needle), ">%s<", text);
	if (strstr(xml, needle) == NULL)
		fail_msg("%s: the DOCX lacks the line '%s'", what, text);
}

/* The paragraph that holds text starts with it and ends with end. */
static void
expect_para(const char *xml, const char *what, const char *start, const char *end)
{
	const char *p = strstr(xml, start), *close;
	char needle[1200];

	if (p == NULL)
		fail_msg("%s: the DOCX lacks '%s'", what, start);
	close = strstr(p, "</w:t>");
	snprintf(needle, sizeof(needle), "%s</w:t>", end);
	if (close == NULL || strstr(p, needle) != close + strlen("</w:t>") - strlen(needle))
		fail_msg("%s: '%s…' does not end with '%s'", what, start, end);
}

/* Keeps a sample file in dir (GIAPRANH_SAMPLES_DIR), when one is given. */
static void
save_sample(const char *dir, const char *name, const char *ext, const struct buf *b)
{
	char path[PATH_MAX_GP];
	FILE *f;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	fclose(f);
}

static void
test_official_documents(void **state)
{
	const char *dir = getenv("GIAPRANH_SAMPLES_DIR");
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(situations) / sizeof(situations[0]); i++) {
		const struct situation *t = &situations[i];
		const char *other = strcmp(t->layout, "party") == 0 ?
		    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" : "ĐẢNG CỘNG SẢN VIỆT NAM";
		json_t *doc = build(t->kind, find(t->entity, t->search), t->period);
		struct buf docx;
		struct err e = { 0 };
		const char *sec;
		char *xml;

		assert_string_equal(json_string_value(json_object_get(doc, "layout")),
		    t->layout);
		assert_string_equal(json_string_value(json_object_get(doc, "number")),
		    t->number);
		assert_int_equal(strncmp(json_string_value(json_object_get(doc, "title")),
		    t->title_start, strlen(t->title_start)), 0);
		buf_init(&docx, 1 << 26);
		assert_int_equal(report_render_docx(doc, &docx, &e), 0);
		xml = zip_part(&docx, "word/document.xml");
		assert_non_null(xml);
		for (k = 0; k < 4 && t->lines[k] != NULL; k++)
			expect_run(xml, t->name, t->lines[k]);
		for (k = 0; k < 2 && t->heading[k] != NULL; k++)
			expect_run(xml, t->name, t->heading[k]);
		if (strstr(xml, other) != NULL)
			fail_msg("%s: the %s layout has '%s'", t->name, t->layout, other);
		expect_run(xml, t->name, t->number);
		/* the signature lines, one paragraph each, in order */
		sec = xml;
		for (k = 0; k < 3 && t->sign[k] != NULL; k++) {
			char needle[200];
			snprintf(needle, sizeof(needle), ">%s</w:t></w:r></w:p>", t->sign[k]);
			if ((sec = strstr(sec, needle)) == NULL)
				fail_msg("%s: signature line '%s' missing or out of order",
				    t->name, t->sign[k]);
		}
		if (t->addressee != NULL)
			expect_run(xml, t->name, t->addressee);
		else if (strstr(xml, "Kính gửi") != NULL)
			fail_msg("%s: a Kính gửi with no superior", t->name);
		/* numbering: sections I., II. …; items 1., 2. … */
		expect_para(xml, t->name, ">I. KẾT QUẢ ĐẠT ĐƯỢC", "KẾT QUẢ ĐẠT ĐƯỢC");
		if (strstr(xml, ">1. ") == NULL)
			fail_msg("%s: no item numbered '1.'", t->name);
		/* no empty section, no abbreviated issuer */
		if (strstr(xml, "Chưa nhập nội dung") != NULL)
			fail_msg("%s: an empty section is printed", t->name);
		if (strstr(xml, ">UBND ") != NULL)
			fail_msg("%s: the issuing body is abbreviated", t->name);
		/* opening and closing sentences */
		if (strstr(xml, " như sau:</w:t>") == NULL)
			fail_msg("%s: no opening sentence", t->name);
		expect_para(xml, t->name, ">Trên đây là báo cáo ", t->end);
		/* wording: what an office writes, and what it never does */
		expect_text(doc, t->words);
		{
			static const char *const never[] = { "(minh họa) (minh họa)",
				" và 0 cá nhân", "0 tập thể và", ", kỳ 20", "tháng 12.2016",
				"-Q1", "-H1", NULL };
			struct buf all;
			buf_init(&all, 1 << 24);
			flatten(doc, &all);
			for (k = 0; never[k] != NULL; k++)
				if (strstr(buf_str(&all), never[k]) != NULL)
					fail_msg("%s: the report writes '%s'", t->name, never[k]);
			buf_free(&all);
		}
		/* sheet names: at most 31 characters, cut between words, not
		 * on a word that leads into what was cut */
		{
			struct buf x;
			char *wb, *p;
			buf_init(&x, 1 << 26);
			assert_int_equal(report_render_xlsx(doc, &x, &e), 0);
			wb = zip_part(&x, "xl/workbook.xml");
			assert_non_null(wb);
			for (p = strstr(wb, "<sheet name=\""); p != NULL;
			    p = strstr(p, "<sheet name=\"")) {
				char name[200];
				size_t chars = 0, n;
				p += strlen("<sheet name=\"");
				n = strcspn(p, "\"");
				snprintf(name, sizeof(name), "%.*s", (int)n, p);
				for (k = 0; k < n; k++)
					chars += ((unsigned char)p[k] & 0xC0) != 0x80;
				if (chars > 31 || (n > 4 && (strcmp(name + n - 4, " các") == 0 ||
				    strcmp(name + n - 3, " và") == 0 ||
				    strcmp(name + n - 5, " theo") == 0)))
					fail_msg("%s: sheet name '%s'", t->name, name);
			}
			free(wb);
			buf_free(&x);
		}
		/* the PDF, when LibreOffice is installed: the pages a reviewer
		 * looks at (tools/report-samples.sh keeps them as PNG) */
		{
			struct buf pdf;
			struct err pe = { 0 };
			buf_init(&pdf, 1 << 26);
			if (report_render_pdf(doc, &pdf, &pe) == 0) {
				assert_memory_equal(pdf.data, "%PDF", 4);
				save_sample(dir, t->name, "pdf", &pdf);
			} else if (pe.code != ERR_UNAVAILABLE) {
				fail_msg("%s: pdf: %s", t->name, pe.msg);
			}
			err_clear(&pe);
			buf_free(&pdf);
		}
		save_sample(dir, t->name, "docx", &docx);
		free(xml);
		buf_free(&docx);
		json_decref(doc);
	}
}

/* ---- outlines -------------------------------------------------------------- */

static int64_t
create(const char *entity, json_t *in)
{
	const struct actor who = { .name = "test" };
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(tu_db, registry_find(entity), in, &who, 0, &out, &e) != 0)
		fail_msg("create %s: %s", entity, e.msg);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	json_decref(in);
	return id;
}

/* The table titles of a model without their numbers ("Bảng 3. X" -> "X"),
 * one per line. */
static void
table_titles(const json_t *doc, struct buf *b)
{
	const json_t *sec, *blk;
	size_t i, j;

	json_array_foreach(json_object_get(doc, "sections"), i, sec)
		json_array_foreach(json_object_get(sec, "blocks"), j, blk) {
			const char *t = json_string_value(json_object_get(blk, "title"));
			const char *dot = t ? strstr(t, ". ") : NULL;
			if (t == NULL)
				continue;
			buf_adds(b, dot ? dot + 2 : t);
			buf_addc(b, '\n');
		}
}

/* Every kind of content an outline section may draw draws what the
 * standard report draws: an outline of all of them, on each of the five
 * situations, has the same tables in the same order. */
static void
test_outline_draws_every_kind(void **state)
{
	const struct field_def *f = entity_field(registry_find("outline_section"),
	    "content");
	int64_t outline, org = find("organisation", "ubnd huyen si ma cai");
	char code[64], label[200];
	size_t i, k, n = enum_count(f), pos = 1;

	(void)state;
	outline = create("outline", json_pack("{s:s}", "name", "Mọi loại nội dung"));
	create("outline_section", json_pack("{s:I, s:i, s:i, s:s, s:s}", "outline_id",
	    (json_int_t)outline, "position", (int)pos++, "level", 1, "heading",
	    "Kết quả", "content", "text"));
	for (i = 0; i < n; i++) {
		enum_choice(f, i, code, sizeof(code), label, sizeof(label));
		if (strcmp(code, "text") == 0 || strcmp(code, "shortcomings") == 0 ||
		    strcmp(code, "directions") == 0 || strcmp(code, "proposals") == 0)
			continue;
		create("outline_section", json_pack("{s:I, s:i, s:i, s:s, s:s}",
		    "outline_id", (json_int_t)outline, "position", (int)pos++, "level", 2,
		    "heading", label, "content", code));
	}
	for (k = 0; k < sizeof(situations) / sizeof(situations[0]); k++) {
		const struct situation *t = &situations[k];
		int64_t scope_id = find(t->entity, t->search);
		struct report_scope sc = { t->kind, scope_id, 0 };
		struct err e = { 0 };
		char scope[64];
		int64_t rep;
		json_t *std, *out;
		struct buf a, b;

		snprintf(scope, sizeof(scope), "%s:%lld", t->entity, (long long)scope_id);
		rep = create("report", json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I}",
		    "title", "Theo đề cương", "kind", "interim", "scope", scope, "period",
		    t->period ? t->period : "2023", "issuer_org_id", (json_int_t)org,
		    "status", "draft", "outline_id", (json_int_t)outline));
		std = build(t->kind, scope_id, t->period);
		out = report_build(tu_db, &sc, t->period, rep, true, &e);
		if (out == NULL)
			fail_msg("%s: %s", t->name, e.msg);
		buf_init(&a, 1 << 20);
		buf_init(&b, 1 << 20);
		table_titles(std, &a);
		table_titles(out, &b);
		if (strcmp(buf_str(&a), buf_str(&b)) != 0)
			fail_msg("%s: standard tables\n%s\noutline tables\n%s", t->name,
			    buf_str(&a), buf_str(&b));
		buf_free(&a);
		buf_free(&b);
		json_decref(std);
		json_decref(out);
	}
}

/* A report built from an outline: its parts and items in the outline's
 * order (not the order they were entered), numbered, each with the data
 * it draws or the text the writer typed; an empty one left out.  Kính
 * gửi and the signer are the report's, and a later report of the same
 * body remembers them. */
static void
test_report_from_outline(void **state)
{
	int64_t outline, rep, rep2, org = find("organisation", "ubnd huyen si ma cai");
	int64_t ag = find("agreement", "quy che phoi hop xay dung khu vuc giap ranh");
	struct report_scope sc = { SCOPE_AGREEMENT, ag, 0 };
	struct err e = { 0 };
	char scope[64];
	json_t *doc, *secs, *b1;
	static const struct { int pos, level; const char *heading, *content; } rows[] = {
		/* entered out of order on purpose */
		{ 5, 1, "Tồn tại, hạn chế", "text" },
		{ 1, 1, "Đặc điểm tình hình", "situation" },
		{ 3, 2, "Công tác khen thưởng", "commendations" },
		{ 2, 1, "Kết quả thực hiện", "text" },
		{ 4, 2, "Phối hợp giải quyết vụ việc", "incidents" },
		{ 6, 1, "Bài học kinh nghiệm", "text" },
		{ 7, 1, "Phương hướng, nhiệm vụ", "directions" },
	};
	size_t i;

	(void)state;
	outline = create("outline", json_pack("{s:s, s:s}", "name",
	    "Sơ kết quy chế (thử)", "report_kind", "interim"));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		create("outline_section", json_pack("{s:I, s:i, s:i, s:s, s:s}",
		    "outline_id", (json_int_t)outline, "position", rows[i].pos, "level",
		    rows[i].level, "heading", rows[i].heading, "content", rows[i].content));
	snprintf(scope, sizeof(scope), "agreement:%lld", (long long)ag);
	rep = create("report", json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
	    "title", "Sơ kết 01 năm thực hiện Quy chế phối hợp", "kind", "interim", "scope",
	    scope, "period", "2023", "issuer_org_id", (json_int_t)org, "status", "draft",
	    "outline_id", (json_int_t)outline, "addressees",
	    "Ủy ban nhân dân tỉnh Lào Cai\nỦy ban nhân dân tỉnh Hà Giang",
	    "signer_authority", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
	    "signer_title", "PHÓ CHỦ TỊCH", "signer_name", "Nguyễn Văn A",
	    "directions", "Tiếp tục duy trì giao ban định kỳ."));
	create("report_section", json_pack("{s:I, s:s, s:s}", "report_id", (json_int_t)rep,
	    "heading", "Tồn tại, hạn chế", "body", "Việc trao đổi thông tin có lúc chưa kịp thời."));
	create("report_section", json_pack("{s:I, s:s, s:s}", "report_id", (json_int_t)rep,
	    "heading", "Kết quả thực hiện", "body", "Các bên đã thực hiện nghiêm túc quy chế."));

	doc = report_build(tu_db, &sc, "2023", rep, true, &e);
	if (doc == NULL)
		fail_msg("%s", e.msg);
	secs = json_object_get(doc, "sections");
	/* I. situation, II. results with items 1. commendations 2. incidents,
	 * III. shortcomings (typed), IV. directions; "Bài học" has no text */
	assert_int_equal(json_array_size(secs), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 0),
	    "heading")), "I. ĐẶC ĐIỂM TÌNH HÌNH");
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 1),
	    "heading")), "II. KẾT QUẢ THỰC HIỆN");
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 2),
	    "heading")), "III. TỒN TẠI, HẠN CHẾ");
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 3),
	    "heading")), "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ");
	b1 = json_object_get(json_array_get(secs, 1), "blocks");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b1, 0),
	    "text")), "Các bên đã thực hiện nghiêm túc quy chế.");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b1, 1),
	    "text")), "1. Công tác khen thưởng");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b1, 2),
	    "text")), "Đã khen thưởng 3 tập thể và 6 cá nhân có thành tích xuất sắc.");
	{
		static const char *const want[] = { "2. Phối hợp giải quyết vụ việc",
			"Việc trao đổi thông tin có lúc chưa kịp thời.",
			"Ủy ban nhân dân tỉnh Hà Giang", "KT. CHỦ TỊCH", "Nguyễn Văn A", NULL };
		expect_text(doc, want);
	}
	assert_int_equal(json_array_size(json_object_get(doc, "addressees")), 2);
	assert_int_equal(json_array_size(json_object_get(doc, "signature")), 3);
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc,
	    "signature"), 1)), "KT. CHỦ TỊCH");
	json_decref(doc);

	/* the next report of the body: addressed and signed as the last */
	rep2 = create("report", json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title",
	    "Báo cáo sau", "kind", "periodic", "scope", scope, "period", "2024",
	    "issuer_org_id", (json_int_t)org, "status", "draft"));
	doc = report_build(tu_db, &sc, "2024", rep2, true, &e);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "addressees")), 2);
	assert_string_equal(json_string_value(json_object_get(doc, "signer_name")),
	    "Nguyễn Văn A");
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc,
	    "signature"), 2)), "PHÓ CHỦ TỊCH");
	json_decref(doc);
}

/* Values of several periods draw the trend of the term. */
static void
test_trend_chart(void **state)
{
	const struct actor who = { .name = "test" };
	static const char *const periods[] = { "2021", "2022", "2024" };
	int64_t set = find("target_set", "si ma cai");
	struct err e = { 0 };
	json_t *ts, *doc, *g, *b;
	int64_t unit, ind = find("indicator", "ty le lao dong qua dao tao");
	size_t i, j;
	bool found = false;

	(void)state;
	ts = store_get(tu_db, registry_find("target_set"), set, &e);
	unit = json_integer_value(json_object_get(ts, "unit_id"));
	json_decref(ts);
	for (i = 0; i < 3; i++) {
		json_t *in = json_pack("{s:I, s:I, s:s, s:f, s:f, s:s}", "indicator_id",
		    (json_int_t)ind, "unit_id", (json_int_t)unit, "period", periods[i],
		    "target", 50.0, "actual", 40.0 + 5.0 * (double)i, "status", "draft");
		assert_int_equal(records_create(tu_db, registry_find("indicator_value"), in,
		    &who, 0, NULL, &e), 0);
		json_decref(in);
	}
	doc = build(SCOPE_TARGET_SET, set, NULL);
	json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "sections"),
	    0), "blocks"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "type")), "chart") != 0 ||
		    strcmp(json_string_value(json_object_get(b, "kind")), "line") != 0)
			continue;
		found = true;
		g = json_object_get(b, "labels");
		assert_true(json_array_size(g) >= 3);
		json_array_foreach(json_object_get(b, "series"), j, g)
			assert_int_equal(json_array_size(json_object_get(g, "values")),
			    json_array_size(json_object_get(b, "labels")));
	}
	assert_true(found);
	json_decref(doc);
}

static void
test_bad_scope_and_period(void **state)
{
	struct report_scope sc;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(report_scope_parse(tu_db, "agreement", &sc, &e), -1);
	err_clear(&e);
	assert_int_equal(report_scope_parse(tu_db, "planet:3", &sc, &e), -1);
	err_clear(&e);
	assert_int_equal(report_scope_parse(tu_db, "agreement:999999", &sc, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
	assert_int_equal(report_scope_parse(tu_db, "unit:084", &sc, &e), 0);
	sc.kind = SCOPE_AGREEMENT;
	sc.id = find("agreement", "ban may");
	assert_null(report_build(tu_db, &sc, "mùa xuân", 0, true, &e));
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
}

/* Issued reports take the next number of their body's register; drafts
 * carry none; numbers below 10 have a leading zero. */
static void
test_number_register(void **state)
{
	const struct actor who = { .name = "test" };
	struct err e = { 0 };
	json_t *r1 = NULL, *r2 = NULL, *out = NULL, *in, *doc;
	int64_t org = find("organisation", "ubnd huyen si ma cai");
	struct report_scope sc = { SCOPE_TARGET_SET, find("target_set", "si ma cai"), 0 };

	(void)state;
	in = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title", "Báo cáo A", "kind",
	    "interim", "scope", "target_set:1", "period", "2023", "issuer_org_id",
	    (json_int_t)org, "status", "draft");
	assert_int_equal(records_create(tu_db, registry_find("report"), in, &who, 0, &r1, &e), 0);
	assert_int_equal(records_create(tu_db, registry_find("report"), in, &who, 0, &r2, &e), 0);
	json_decref(in);
	doc = report_build(tu_db, &sc, NULL, json_integer_value(json_object_get(r1, "id")),
	    true, &e);
	assert_non_null(strstr(json_string_value(json_object_get(doc, "number")), "Số:      /"));
	json_decref(doc);

	assert_int_equal(report_issue(tu_db, json_integer_value(json_object_get(r1, "id")),
	    &who, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "number")), 1);
	json_decref(out);
	assert_int_equal(report_issue(tu_db, json_integer_value(json_object_get(r2, "id")),
	    &who, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "number")), 2);
	json_decref(out);
	/* issuing twice is refused */
	assert_int_equal(report_issue(tu_db, json_integer_value(json_object_get(r2, "id")),
	    &who, &out, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	err_clear(&e);
	doc = report_build(tu_db, &sc, NULL, json_integer_value(json_object_get(r1, "id")),
	    true, &e);
	assert_string_equal(json_string_value(json_object_get(doc, "number")),
	    "Số: 01/BC-UBND");
	json_decref(doc);
	json_decref(r1);
	json_decref(r2);
}

/* An issued document names its signer: a report without one is refused
 * (422 naming signer_name) unless its body's latest report has one, which
 * it then keeps.  A Party committee numbers from 01 in each term when its
 * term's first day is recorded (party-layout.md §2.3); a state body, and
 * a committee without a recorded term, in each calendar year. */
static void
test_signer_and_register_series(void **state)
{
	const struct actor who = { .name = "test" };
	const struct entity_def *reports = registry_find("report");
	const struct entity_def *orgs = registry_find("organisation");
	struct err e = { 0 };
	json_t *in, *out = NULL, *old;
	char today[CLOCK_DATE_LEN], jan1[16];
	int64_t party, state_org, unit = find("admin_unit", "si ma cai"), id, oid;
	const char *names[2] = { "Huyện ủy Kiểm Thử Một", "Ủy ban nhân dân huyện Kiểm Thử" };
	const char *kinds[2] = { "party_committee", "peoples_committee" };
	int64_t org_ids[2];
	int k;

	(void)state;
	clock_today(today);
	snprintf(jan1, sizeof(jan1), "%.4s-01-01", today);
	for (k = 0; k < 2; k++) {
		in = json_pack("{s:s, s:s, s:I}", "name", names[k], "kind", kinds[k], "unit_id",
		    (json_int_t)unit);
		if (k == 0) /* the committee's term began today */
			json_object_set_new(in, "term_started_on", json_string(today));
		assert_int_equal(records_create(tu_db, orgs, in, &who, 0, &out, &e), 0);
		org_ids[k] = json_integer_value(json_object_get(out, "id"));
		json_decref(out);
		json_decref(in);
		/* an issued report of this calendar year, before the term */
		old = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:s}", "title",
		    "Báo cáo cũ", "kind", "periodic", "scope", "unit:084", "period", "2024",
		    "issuer_org_id", (json_int_t)org_ids[k], "status", "issued", "number",
		    (json_int_t)40, "symbol", "BC/HU", "issued_on", jan1, "signer_name",
		    "Người Ký Cũ");
		assert_int_equal(store_insert(tu_db, reports, old, &oid, &e), 0);
		json_decref(old);
	}
	party = org_ids[0];
	state_org = org_ids[1];
	for (k = 0; k < 2; k++) {
		in = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title", "Báo cáo mới", "kind",
		    "periodic", "scope", "unit:084", "period", "2025", "issuer_org_id",
		    (json_int_t)org_ids[k], "status", "draft");
		assert_int_equal(records_create(tu_db, reports, in, &who, 0, &out, &e), 0);
		id = json_integer_value(json_object_get(out, "id"));
		json_decref(out);
		json_decref(in);
		/* no name of its own: the body's latest report's */
		assert_int_equal(report_issue(tu_db, id, &who, &out, &e), 0);
		assert_string_equal(rec_str(out, "signer_name"), "Người Ký Cũ");
		assert_int_equal(rec_int(out, "number"), org_ids[k] == party ? 1 : 41);
		json_decref(out);
	}
	(void)state_org;

	/* a body with no report signed yet: refused, nothing numbered */
	in = json_pack("{s:s, s:s}", "name", "Đảng ủy xã Kiểm Thử Hai", "kind",
	    "party_committee");
	assert_int_equal(records_create(tu_db, orgs, in, &who, 0, &out, &e), 0);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title", "Báo cáo chưa ký", "kind",
	    "periodic", "scope", "unit:084", "period", "2025", "issuer_org_id",
	    (json_int_t)json_integer_value(json_object_get(out, "id")), "status", "draft");
	json_decref(out);
	assert_int_equal(records_create(tu_db, reports, in, &who, 0, &out, &e), 0);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	out = NULL;
	assert_int_equal(report_issue(tu_db, id, &who, &out, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(strstr(json_string_value(json_object_get(e.fields, "signer_name")),
	    "họ tên người ký"));
	err_clear(&e);
	out = store_get(tu_db, reports, id, &e);
	assert_string_equal(rec_str(out, "status"), "draft");
	assert_int_equal(rec_int(out, "number"), 0);
	json_decref(out);
}

static void
test_duty_timeliness(void **state)
{
	const struct actor who = { .name = "test" };
	struct err e = { 0 };
	json_t *in, *st, *periods;
	int64_t set = find("target_set", "si ma cai");

	(void)state;
	periods = duties_periods("quarterly", 2024);
	assert_int_equal(json_array_size(periods), 4);
	assert_string_equal(json_string_value(json_array_get(periods, 3)), "2024-Q4");
	json_decref(periods);
	in = json_pack("{s:I, s:I, s:I, s:s, s:i}", "target_set_id", (json_int_t)set,
	    "reporter_unit_id", (json_int_t)find("admin_unit", "huyen si ma cai"),
	    "recipient_org_id", (json_int_t)find("organisation", "tinh uy lao cai"),
	    "frequency", "yearly", "due_day", 15);
	assert_int_equal(records_create(tu_db, registry_find("reporting_duty"), in, &who, 0,
	    NULL, &e), 0);
	json_decref(in);
	/* the demo has values for 2023 for some indicators only: as of 2024 the
	 * 2023 report is missing (not every indicator reported), 2024 is not due */
	st = duties_status(tu_db, 0, 2023, "2024-06-30", &e);
	assert_non_null(st);
	assert_int_equal(json_array_size(st), 1);
	{
		json_t *p = json_array_get(json_object_get(json_array_get(st, 0), "periods"), 0);
		const char *state_s = json_string_value(json_object_get(p, "state"));
		assert_true(strcmp(state_s, "missing") == 0 || strcmp(state_s, "on_time") == 0 ||
		    strcmp(state_s, "late") == 0);
		assert_string_equal(json_string_value(json_object_get(p, "due_on")), "2024-01-15");
	}
	json_decref(st);
	st = duties_status(tu_db, 0, 2024, "2024-06-30", &e);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(st, 0), "periods"), 0), "state")), "not_due");
	json_decref(st);
}

/* ---- the unit subtree in SQL (issue 7) ------------------------------------ */

static int64_t
id_at(const json_t *rows, size_t i)
{
	return json_integer_value(json_object_get(json_array_get(rows, i), "id"));
}

static void
add_unit(json_t *set, int64_t id)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	json_object_set_new(set, key, json_integer(id));
}

/* The units the demo records are kept against, every unit above them, and
 * the 2025 units their lineage leads to (with the provinces above those). */
static json_t *
units_to_check(void)
{
	static const char *const ents[] = { "activity", "incident", "meeting",
		"self_mgmt_group" };
	struct list_query q;
	struct err e = { 0 };
	json_t *set = json_object(), *rows, *r, *anc, *a, *succ, *sv, *v;
	const char *k;
	size_t i, j, l, m;

	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		rows = store_list_all(tu_db, registry_find(ents[i]), &q, 100000, &e);
		assert_non_null(rows);
		json_array_foreach(rows, j, r)
			if (rec_int(r, "unit_id") > 0)
				add_unit(set, rec_int(r, "unit_id"));
		json_decref(rows);
	}
	rows = json_array();
	json_object_foreach(set, k, v)
		json_array_append(rows, v);
	json_array_foreach(rows, i, v) {
		anc = store_unit_ancestors(tu_db, json_integer_value(v), &e);
		json_array_foreach(anc, j, a) {
			add_unit(set, rec_int(a, "id"));
			succ = store_unit_successors(tu_db, rec_int(a, "id"), &e);
			json_array_foreach(succ, l, sv) {
				json_t *up = store_unit_ancestors(tu_db, rec_int(sv, "id"), &e), *x;
				json_array_foreach(up, m, x)
					add_unit(set, rec_int(x, "id"));
				json_decref(up);
			}
			json_decref(succ);
		}
		json_decref(anc);
	}
	json_decref(rows);
	return set;
}

/* The per-record oracle asks the same two questions of the same pair of
 * units for every record kept against a unit: each pair is asked of the
 * store once (memo: "w:RECORD_UNIT:SCOPE" and "a:..." -> true/false). */
static bool
within_memo(json_t *memo, int64_t rec_unit, int64_t unit)
{
	char key[64];
	json_t *v;

	snprintf(key, sizeof(key), "w:%lld:%lld", (long long)rec_unit, (long long)unit);
	if ((v = json_object_get(memo, key)) == NULL) {
		v = json_boolean(store_unit_within(tu_db, rec_unit, unit));
		json_object_set_new(memo, key, v);
	}
	return json_is_true(v);
}

/* Is unit among rec_unit's ancestors (itself included)? */
static bool
is_ancestor_memo(json_t *memo, int64_t rec_unit, int64_t unit)
{
	char key[64];
	json_t *v;

	snprintf(key, sizeof(key), "a:%lld:%lld", (long long)rec_unit, (long long)unit);
	if ((v = json_object_get(memo, key)) == NULL) {
		struct err e = { 0 };
		json_t *anc = store_unit_ancestors(tu_db, rec_unit, &e), *a;
		size_t x;
		bool direct = false;
		assert_non_null(anc);
		json_array_foreach(anc, x, a)
			if (rec_int(a, "id") == unit)
				direct = true;
		json_decref(anc);
		v = json_boolean(direct);
		json_object_set_new(memo, key, v);
	}
	return json_is_true(v);
}

/* store_within_list gives the records the old per-record check
 * (store_unit_within on every record) gave, for every unit the demo
 * records touch - including 2025 units that reach records kept against
 * pre-2025 units only through the lineage - and with a period. */
static void
test_within_same_as_per_record(void **state)
{
	static const char *const ents[] = { "activity", "incident", "meeting",
		"self_mgmt_group" };
	static const char *const dates[] = { "start_on", "occurred_on", "held_on", NULL };
	struct list_query q;
	struct err e = { 0 };
	json_t *units = units_to_check(), *v, *memo = json_object();
	const char *k;
	size_t i, j, compared = 0, by_lineage = 0;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		json_t *all = store_list_all(tu_db, registry_find(ents[i]), &q, 100000, &e);
		assert_non_null(all);
		json_object_foreach(units, k, v) {
			int64_t unit = json_integer_value(v);
			int pass;
			for (pass = 0; pass < 2; pass++) {
				struct store_within w = { .unit_field = "unit_id", .unit = unit,
					.see_confidential = true };
				json_t *got, *want, *r;
				bool lineage_only = false;
				if (pass == 1) {
					if (dates[i] == NULL)
						break;
					w.date_field = dates[i];
					w.from = "2023-01-01";
					w.to = "2023-12-31";
				}
				want = json_array();
				json_array_foreach(all, j, r) {
					const char *d = w.date_field ? rec_str(r, w.date_field) : NULL;
					if (rec_int(r, "unit_id") <= 0 ||
					    !within_memo(memo, rec_int(r, "unit_id"), unit))
						continue;
					if (pass == 1 && (d == NULL || strcmp(d, w.from) < 0 ||
					    strcmp(d, w.to) > 0))
						continue;
					json_array_append(want, r);
					/* reached only through the lineage: the record's
					 * unit has no ancestor equal to the scope */
					if (!is_ancestor_memo(memo, rec_int(r, "unit_id"), unit))
						lineage_only = true;
				}
				got = store_within_list(tu_db, registry_find(ents[i]), &w, 0, &e);
				assert_non_null(got);
				if (json_array_size(got) != json_array_size(want))
					fail_msg("%s within unit %lld: %zu records, per record %zu",
					    ents[i], (long long)unit, json_array_size(got),
					    json_array_size(want));
				for (j = 0; j < json_array_size(want); j++)
					assert_int_equal(id_at(got, j), id_at(want, j));
				if (lineage_only && json_array_size(want) > 0)
					by_lineage++;
				compared++;
				json_decref(got);
				json_decref(want);
			}
		}
		json_decref(all);
	}
	assert_true(compared > 100);
	assert_true(by_lineage > 0);
	json_decref(units);
	json_decref(memo);
}

static int
total_line(void *ctx, const struct store_activity_total *t)
{
	json_array_append_new(ctx, json_pack("[s?, s?, s?, s?, f, I]", t->kind,
	    t->measure, t->unit_of_measure, t->qualifier, t->sum, (json_int_t)t->n));
	return 0;
}

static int
count_line(void *ctx, const char *v1, const char *v2, int64_t n)
{
	json_array_append_new(ctx, json_pack("[s?, s?, I]", v1, v2, (json_int_t)n));
	return 0;
}

/* What each selection a unit review makes returns through w (records,
 * counts, counts by kind and status, activity totals), as JSON. */
static json_t *
within_answers(const struct store_within *w0)
{
	static const struct {
		const char *ent, *unit_field, *via, *via_field, *date;
	} sel[] = {
		{ "activity", "unit_id", NULL, NULL, "start_on" },
		{ "incident", "unit_id", NULL, NULL, "occurred_on" },
		{ "meeting", "unit_id", NULL, NULL, "held_on" },
		{ "self_mgmt_group", "unit_id", NULL, NULL, NULL },
		{ "recommendation", "unit_id", "meeting", "meeting_id", "raised_on" },
		{ "recommendation", "unit_id", "meeting", "response_meeting_id", "raised_on" },
		{ "task", "unit_id", "meeting", "meeting_id", "assigned_on" },
		{ "commendation", "unit_id", "meeting", "meeting_id", "awarded_on" },
	};
	struct err e = { 0 };
	json_t *out = json_array(), *rows;
	int64_t n;
	size_t i;

	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		struct store_within w = *w0;
		w.unit_field = sel[i].unit_field;
		w.via = sel[i].via ? registry_find(sel[i].via) : NULL;
		w.via_field = sel[i].via_field;
		w.date_field = w0->from ? sel[i].date : NULL;
		rows = store_within_list(tu_db, registry_find(sel[i].ent), &w, 0, &e);
		assert_non_null(rows);
		json_array_append_new(out, rows);
		assert_int_equal(store_within_count(tu_db, registry_find(sel[i].ent), &w, &n,
		    &e), 0);
		assert_int_equal(n, (int64_t)json_array_size(rows));
		json_array_append_new(out, json_integer(n));
		if (strcmp(sel[i].ent, "incident") == 0) {
			rows = json_array();
			assert_int_equal(store_within_counts(tu_db, registry_find("incident"), &w,
			    "kind", "status", count_line, rows, &e), 0);
			json_array_append_new(out, rows);
		}
		if (strcmp(sel[i].ent, "activity") == 0) {
			rows = json_array();
			assert_int_equal(store_activity_totals(tu_db, &w, total_line, rows, &e), 0);
			json_array_append_new(out, rows);
		}
	}
	return out;
}

/* The unit set read once (store_unit_set_read) and bound into a unit
 * review's statements selects what each statement's own recursive subtree
 * selects: every selection the review makes (each entity, through the
 * meetings too, counts, groups and totals), for every unit the demo
 * records touch, without a period, with whole months (the monthly sums)
 * and with a partial period (the records), with and without clearance.
 * The records reached through a unit's meetings are those whose meeting
 * is within the unit (store_unit_within), dated in the period. */
static void
test_within_unit_set_same(void **state)
{
	static const char *const via_ents[] = { "recommendation", "task", "commendation" };
	static const char *const via_dates[] = { "raised_on", "assigned_on", "awarded_on" };
	static const char *const periods[][2] = { { NULL, NULL },
		{ "2023-01-01", "2023-12-31" }, { "2023-01-02", "2023-12-30" } };
	struct list_query q;
	struct err e = { 0 };
	json_t *units = units_to_check(), *v, *meetings, *all[3], *memo = json_object();
	const char *k;
	size_t i, j, p, compared = 0, linked = 0;
	int conf;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	meetings = store_list_all(tu_db, registry_find("meeting"), &q, 100000, &e);
	assert_non_null(meetings);
	for (i = 0; i < 3; i++) {
		all[i] = store_list_all(tu_db, registry_find(via_ents[i]), &q, 100000, &e);
		assert_non_null(all[i]);
	}
	json_object_foreach(units, k, v) {
		struct store_unit_set set = { 0 };
		int64_t unit = json_integer_value(v);

		assert_int_equal(store_unit_set_read(tu_db, unit, &set, &e), 0);
		assert_non_null(set.ids);
		for (p = 0; p < 3; p++)
			for (conf = 0; conf < 2; conf++) {
				struct store_within w = { .unit = unit, .from = periods[p][0],
					.to = periods[p][1], .see_confidential = conf };
				json_t *each = within_answers(&w), *once;
				w.units = &set;
				once = within_answers(&w);
				if (!json_equal(each, once))
					fail_msg("unit %lld, period %s: the bound set differs",
					    (long long)unit, periods[p][0] ? periods[p][0] : "-");
				json_decref(each);
				json_decref(once);
				compared++;
			}
		/* the meeting-linked records, checked record by record */
		for (i = 0; i < 3; i++) {
			struct store_within w = { .unit_field = "unit_id", .unit = unit,
				.via = registry_find("meeting"), .via_field = "meeting_id",
				.date_field = via_dates[i], .from = "2023-01-01",
				.to = "2023-12-31", .see_confidential = true, .units = &set };
			json_t *got = store_within_list(tu_db, registry_find(via_ents[i]), &w, 0,
			    &e), *want = json_array(), *r, *m;
			size_t x;
			assert_non_null(got);
			json_array_foreach(all[i], j, r) {
				const char *d = rec_str(r, via_dates[i]);
				if (d == NULL || strcmp(d, w.from) < 0 || strcmp(d, w.to) > 0)
					continue;
				json_array_foreach(meetings, x, m)
					if (rec_int(m, "id") == rec_int(r, "meeting_id") &&
					    rec_int(m, "unit_id") > 0 &&
					    within_memo(memo, rec_int(m, "unit_id"), unit))
						json_array_append(want, r);
			}
			assert_int_equal(json_array_size(got), json_array_size(want));
			for (j = 0; j < json_array_size(want); j++)
				assert_int_equal(id_at(got, j), id_at(want, j));
			linked += json_array_size(want);
			json_decref(got);
			json_decref(want);
		}
		store_unit_set_free(&set);
	}
	assert_true(compared > 100);
	assert_true(linked > 0);
	for (i = 0; i < 3; i++)
		json_decref(all[i]);
	json_decref(meetings);
	json_decref(units);
	json_decref(memo);
}

/* The unit report counts in SQL what it counted from the records: the
 * activities and incidents of a 2025 province reached through the lineage. */
static void
test_unit_report_counts(void **state)
{
	struct report_scope sc;
	struct err e = { 0 };
	struct store_within w = { .unit_field = "unit_id", .see_confidential = true };
	json_t *units = units_to_check(), *v;
	const char *k;
	size_t checked = 0;

	(void)state;
	json_object_foreach(units, k, v) {
		int64_t acts, incs;
		char want[160];
		json_t *doc;
		struct buf b;
		w.unit = json_integer_value(v);
		w.date_field = "start_on";
		assert_int_equal(store_within_count(tu_db, registry_find("activity"), &w,
		    &acts, &e), 0);
		w.date_field = "occurred_on";
		assert_int_equal(store_within_count(tu_db, registry_find("incident"), &w,
		    &incs, &e), 0);
		w.date_field = NULL;
		if (acts == 0 || incs == 0)
			continue;
		sc = (struct report_scope){ SCOPE_UNIT, w.unit, 0 };
		doc = report_build(tu_db, &sc, NULL, 0, true, &e);
		assert_non_null(doc);
		buf_init(&b, 1 << 24);
		flatten(doc, &b);
		snprintf(want, sizeof(want), "Trong kỳ đã ghi nhận %lld hoạt động.",
		    (long long)acts);
		assert_non_null(strstr(buf_str(&b), want));
		snprintf(want, sizeof(want), "Đã ghi nhận, trao đổi %lld vụ việc.",
		    (long long)incs);
		assert_non_null(strstr(buf_str(&b), want));
		buf_free(&b);
		json_decref(doc);
		checked++;
	}
	assert_true(checked > 0);
	json_decref(units);
}

static int64_t
count_with_unit(const char *entity)
{
	struct list_query q;
	struct err e = { 0 };
	json_t *rows;
	int64_t n = 0;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	rows = store_list_all(tu_db, registry_find(entity), &q, 100000, &e);
	assert_non_null(rows);
	for (i = 0; i < json_array_size(rows); i++)
		if (rec_int(json_array_get(rows, i), "unit_id") > 0)
			n++;
	json_decref(rows);
	return n;
}

/* "nation": every record kept against a unit; "target_set:N@nation" and
 * "@CODE": the set's indicators rolled up. */
static void
test_nation_scope(void **state)
{
	struct report_scope sc;
	struct err e = { 0 };
	char want[160];
	json_t *doc;
	struct buf b;
	int64_t ts = find("target_set", "si ma cai");

	(void)state;
	assert_int_equal(report_scope_parse(tu_db, "nation", &sc, &e), 0);
	assert_int_equal(sc.kind, SCOPE_NATION);
	assert_int_equal(report_scope_parse(tu_db, "unit:VN", &sc, &e), 0);
	assert_int_equal(sc.kind, SCOPE_NATION);
	doc = report_build(tu_db, &sc, NULL, 0, true, &e);
	assert_non_null(doc);
	buf_init(&b, 1 << 24);
	flatten(doc, &b);
	assert_non_null(strstr(buf_str(&b), "phạm vi toàn quốc"));
	snprintf(want, sizeof(want), "Trong kỳ đã ghi nhận %lld hoạt động.",
	    (long long)count_with_unit("activity"));
	assert_non_null(strstr(buf_str(&b), want));
	snprintf(want, sizeof(want), "Đã ghi nhận, trao đổi %lld vụ việc.",
	    (long long)count_with_unit("incident"));
	assert_non_null(strstr(buf_str(&b), want));
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc,
	    "scope"), "kind")), "nation");
	buf_free(&b);
	json_decref(doc);

	snprintf(want, sizeof(want), "target_set:%lld@nation", (long long)ts);
	assert_int_equal(report_scope_parse(tu_db, want, &sc, &e), 0);
	assert_int_equal(sc.kind, SCOPE_TARGET_SET);
	assert_int_equal(sc.at, ACH_NATION);
	doc = report_build(tu_db, &sc, "2023", 0, true, &e);
	assert_non_null(doc);
	assert_non_null(strstr(json_string_value(json_object_get(doc, "title")),
	    "(tổng hợp toàn quốc)"));
	json_decref(doc);
	assert_int_equal(report_scope_parse(tu_db, "target_set:1@nowhere", &sc, &e), -1);
	err_clear(&e);
}

/* achieve_target_set_at's one query gives, indicator by indicator, what
 * achieve_rollup gives (values below, own value, lineage, "latest"). */
static void
test_rollup_at_same_as_rollup(void **state)
{
	static const char *const periods[] = { NULL, "2023", "2024", "2021" };
	struct list_query q;
	struct err e = { 0 };
	json_t *sets, *set, *units = units_to_check(), *v;
	const char *k;
	size_t i, p, compared = 0, with_values = 0;

	(void)state;
	memset(&q, 0, sizeof(q));
	sets = store_list_all(tu_db, registry_find("target_set"), &q, 1000, &e);
	assert_non_null(sets);
	json_array_foreach(sets, i, set) {
		add_unit(units, rec_int(set, "unit_id"));
		json_object_foreach(units, k, v)
		for (p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
			json_t *a = achieve_target_set_at(tu_db, rec_int(set, "id"), periods[p],
			    json_integer_value(v), &e), *g, *ind;
			size_t j, l;
			assert_non_null(a);
			json_array_foreach(json_object_get(a, "groups"), j, g)
				json_array_foreach(json_object_get(g, "indicators"), l, ind) {
					json_t *r = achieve_rollup(tu_db, rec_int(ind, "id"),
					    json_integer_value(v), periods[p], &e);
					assert_non_null(r);
					if (!json_equal(json_object_get(r, "value"),
					    json_object_get(ind, "actual")) ||
					    !json_equal(json_object_get(r, "target"),
					    json_object_get(ind, "target")) ||
					    !json_equal(json_object_get(r, "count"),
					    json_object_get(ind, "count")))
						fail_msg("indicator %lld at unit %s, period %s: "
						    "roll-up %g/%g (%lld), set %g/%g (%lld)",
						    (long long)rec_int(ind, "id"), k,
						    periods[p] ? periods[p] : "-",
						    json_number_value(json_object_get(r, "value")),
						    json_number_value(json_object_get(r, "target")),
						    (long long)rec_int(r, "count"),
						    json_number_value(json_object_get(ind, "actual")),
						    json_number_value(json_object_get(ind, "target")),
						    (long long)rec_int(ind, "count"));
					if (json_is_number(json_object_get(ind, "actual")))
						with_values++;
					compared++;
					json_decref(r);
				}
			json_decref(a);
		}
	}
	assert_true(compared > 0);
	assert_true(with_values > 0);
	json_decref(sets);
	json_decref(units);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_documents),
		cmocka_unit_test(test_simacai_target_set),
		cmocka_unit_test(test_outline_draws_every_kind),
		cmocka_unit_test(test_report_from_outline),
		cmocka_unit_test(test_hagiang_twinning),
		cmocka_unit_test(test_trungkhanh_supervision),
		cmocka_unit_test(test_simacai_coordination_commendations),
		cmocka_unit_test(test_sonla_help_review),
		cmocka_unit_test(test_trend_chart),
		cmocka_unit_test(test_bad_scope_and_period),
		cmocka_unit_test(test_number_register),
		cmocka_unit_test(test_signer_and_register_series),
		cmocka_unit_test(test_duty_timeliness),
		cmocka_unit_test(test_within_same_as_per_record),
		cmocka_unit_test(test_within_unit_set_same),
		cmocka_unit_test(test_unit_report_counts),
		cmocka_unit_test(test_nation_scope),
		cmocka_unit_test(test_rollup_at_same_as_rollup),
	};
	return cmocka_run_group_tests_name("report", tests, tu_setup_demo_db, tu_teardown_db);
}
