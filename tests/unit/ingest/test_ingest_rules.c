/*
 * test_ingest_rules.c - the reader's rules of issue 15 (ingest_rules.c,
 * ingest.c, ingest_lex.c), one table per kind of proposal: each row is a
 * sentence written for the rule it names - in the style of border-area
 * news and reports, not copied from the corpus - and the proposal that must
 * (or must not) come out, with up to three of its fields.
 *
 * The extraction runs without a database (no gazetteer of units, people
 * or bodies): these rules read the language, not the stored data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "testutil.h"
#include "gazetteer_fixture.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* table rows leave unused wants and `absent` out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct want {
	const char *field, *value;
};

struct rule_case {
	const char *rule;         /* what the row tests, for the failure line */
	const char *text;
	const char *kind;
	struct want w[3];         /* w[0] picks the proposal; all must hold */
	bool absent;              /* no proposal of kind with w[0]          */
};

#define PUB "2024-05-10"

/* A field value as text: strings as they are, numbers with %g, null. */
static void
value_text(const json_t *v, char *buf, size_t len)
{
	if (v == NULL)
		snprintf(buf, len, "<absent>");
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_number(v))
		snprintf(buf, len, "%g", json_number_value(v));
	else if (json_is_null(v))
		snprintf(buf, len, "null");
	else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		snprintf(buf, len, "%s", s ? s : "?");
		free(s);
	}
}

static json_t *
find_prop(json_t *set, const char *kind, const struct want *w)
{
	json_t *p;
	size_t i;
	char buf[4096];

	json_array_foreach(json_object_get(set, "proposals"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "kind")), kind) != 0)
			continue;
		value_text(json_object_get(p, w->field), buf, sizeof buf);
		if (strcmp(buf, w->value) == 0)
			return p;
	}
	return NULL;
}

/* One row; prints what is wrong and returns false, so that a run lists
 * every failing row. */
static bool
run_case(struct store *st, const struct rule_case *c)
{
	struct ingest_options opt = { "case.txt", PUB, "2026-01-01",
		st != NULL ? units_gaz : NULL };
	struct err e = { 0 };
	json_t *set = NULL, *p;
	char buf[4096];
	bool ok = true;

	if (ingest_extract(st, c->text, strlen(c->text), &opt, &set, &e) != 0) {
		print_error("[%s] %s: %s\n", c->rule, c->text, e.msg);
		err_clear(&e);
		return false;
	}
	p = find_prop(set, c->kind, &c->w[0]);
	if (c->absent && p != NULL) {
		char *s = json_dumps(p, JSON_COMPACT);
		print_error("[%s] %s: unexpected %s %s\n", c->rule, c->text, c->kind, s);
		free(s);
		ok = false;
	} else if (!c->absent && p == NULL) {
		char *s = json_dumps(json_object_get(set, "proposals"), JSON_COMPACT);
		print_error("[%s] %s: no %s with %s = %s in %s\n", c->rule, c->text, c->kind,
		    c->w[0].field, c->w[0].value, s);
		free(s);
		ok = false;
	}
	for (size_t k = 1; ok && !c->absent && k < 3 && c->w[k].field != NULL; k++) {
		value_text(json_object_get(p, c->w[k].field), buf, sizeof buf);
		if (strcmp(buf, c->w[k].value) != 0) {
			print_error("[%s] %s: %s.%s = %s, want %s\n", c->rule, c->text, c->kind,
			    c->w[k].field, buf, c->w[k].value);
			ok = false;
		}
	}
	json_decref(set);
	return ok;
}

static size_t
run_table_in(struct store *st, const struct rule_case *cases, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += !run_case(st, &cases[i]);
	return bad;
}

static size_t
run_table(const struct rule_case *cases, size_t n)
{
	return run_table_in(NULL, cases, n);
}

/* ---- legal references ------------------------------------------------------ */

static const struct rule_case legal_cases[] = {
	{ "party-style number with issuer and date",
	  "Thực hiện Nghị quyết số 12-NQ/TU ngày 5/3/2021 của Ban Thường vụ Tỉnh ủy, huyện đã "
	  "triển khai.", "legal_ref", { { "number", "12-NQ/TU" }, { "date", "2021-03-05" },
	  { "issuer", "Ban Thường vụ Tỉnh ủy" } } },
	{ "number without 'số'", "Đồn đã xây dựng Kế hoạch 45/KH-BCH về tuần tra chung.",
	  "legal_ref", { { "number", "45/KH-BCH" }, { "doc_kind", "Kế hoạch" },
	  { "subject", "tuần tra chung" } } },
	{ "a spaced dash inside the symbol", "Thực hiện Nghị quyết số 12 - NQ/TU của Tỉnh ủy.",
	  "legal_ref", { { "number", "12 - NQ/TU" }, { "issuer", "Tỉnh ủy" } } },
	{ "unnumbered coordination regulation, capitalised",
	  "Sau 5 năm thực hiện Quy chế phối hợp, các đơn vị đã phối hợp chặt chẽ.",
	  "legal_ref", { { "doc_kind", "Quy chế" }, { "number", "null" } } },
	{ "the issuer ends at the verb of its sentence",
	  "Công văn số 215/UBND-NC ngày 3/4/2023 của UBND huyện yêu cầu các xã báo cáo.",
	  "legal_ref", { { "number", "215/UBND-NC" }, { "issuer", "UBND huyện" } } },
	{ "a ministry as issuer keeps its lower-case syllable",
	  "Thực hiện Quyết định số 12/QĐ-BNG của Bộ Ngoại giao về công tác biên giới.",
	  "legal_ref", { { "number", "12/QĐ-BNG" }, { "issuer", "Bộ Ngoại giao" },
	  { "subject", "công tác biên giới" } } },
	{ "a treaty's subject ends at a relative clause",
	  "Hai bên thực hiện tốt Hiệp định về quy chế quản lý biên giới mà hai nước đã ký kết "
	  "năm 2016.", "legal_ref", { { "doc_kind", "Hiệp định" },
	  { "subject", "quy chế quản lý biên giới" } } },
	{ "a treaty's subject goes on after a comma",
	  "Thực hiện Nghị định thư về phân giới, cắm mốc biên giới trên đất liền Việt Nam - "
	  "Campuchia.", "legal_ref", { { "doc_kind", "Nghị định thư" }, { "subject",
	  "phân giới, cắm mốc biên giới trên đất liền Việt Nam - Campuchia" } } },
	{ "minutes named by the meeting they record",
	  "Hai bên thống nhất ký Biên bản hội đàm năm 2024.", "legal_ref",
	  { { "doc_kind", "Biên bản" }, { "text", "Biên bản hội đàm năm 2024" } } },
	{ "a bare record is not a document", "Cần lập biên bản vi phạm hành chính.",
	  "legal_ref", { { "doc_kind", "Biên bản" } }, true },
	{ "an agreement made on a day, lower case",
	  "Hai bên đã ký kết thỏa thuận kết nghĩa vào ngày 12/3/2019.", "legal_ref",
	  { { "doc_kind", "Thỏa thuận" }, { "date", "2019-03-12" } } },
	{ "generic plurals are not documents", "Thực hiện tốt các Nghị quyết, chỉ thị của Đảng.",
	  "legal_ref", { { "doc_kind", "Nghị quyết" } }, true },
};

static void
test_legal_refs(void **state)
{
	(void)state;
	assert_int_equal(run_table(legal_cases, N_ELEM(legal_cases)), 0);
}

/* ---- organisations ------------------------------------------------------------ */

static const struct rule_case org_cases[] = {
	{ "a command of a post keeps the post's name",
	  "Ban chỉ huy Đồn Biên phòng Thông Thụ phối hợp với Công an xã tuần tra.",
	  "organisation", { { "text", "Ban chỉ huy Đồn Biên phòng Thông Thụ" } } },
	{ "a Party committee of a post keeps the post's name",
	  "Đảng ủy xã Pa Thơm và Đảng ủy Đồn Biên phòng Pa Thơm ký kết chương trình.",
	  "organisation", { { "text", "Đảng ủy Đồn Biên phòng Pa Thơm" },
	  { "org_kind", "party_committee" } } },
	{ "the command of a body is of its kind",
	  "Ban chỉ huy Công an huyện Sầm Tớ dự họp.", "organisation",
	  { { "text", "Ban chỉ huy Công an huyện Sầm Tớ" }, { "org_kind", "police" } } },
	{ "a numbered unit named by its force",
	  "Đồn Biên phòng Thông Thụ kết nghĩa với Đại đội Biên phòng 216 của Lào.",
	  "organisation", { { "text", "Đại đội Biên phòng 216" }, { "org_kind", "military" } } },
	{ "a numbered unit named by its task, capitalised",
	  "Ba đồn ký kết nghĩa với Đại đội Bảo vệ biên giới 311 (Bộ Chỉ huy Quân sự tỉnh "
	  "Khăm Muồn).", "organisation", { { "text", "Đại đội Bảo vệ biên giới 311" } } },
	{ "a level of a force is not a body",
	  "Các đơn vị tổ chức 49 đợt tuần tra cấp Đồn - Đại đội.", "organisation",
	  { { "text", "Đại đội" } }, true },
	{ "one body over another across a slash",
	  "Thực hiện thỏa thuận giữa Bộ Tư lệnh Bộ đội Biên phòng/Bộ Quốc phòng Việt Nam với "
	  "đối tác.", "organisation", { { "text", "Bộ Quốc phòng Việt Nam" } } },
	{ "a general staff with its national army",
	  "Bộ Tổng Tham mưu Quân đội nhân dân Lào cử đoàn sang làm việc.", "organisation",
	  { { "text", "Bộ Tổng Tham mưu Quân đội nhân dân Lào" } } },
	{ "'và' before another body ends a name",
	  "Tổng cục Chính trị và Tổng cục Hải quan phối hợp.", "organisation",
	  { { "text", "Tổng cục Chính trị" } } },
	{ "a border force across the border, named by its task and place",
	  "Chi đội Quản lý biên giới Hồng Hà tuần tra chung.", "organisation",
	  { { "text", "Chi đội Quản lý biên giới Hồng Hà" }, { "org_kind", "military" } } },
	{ "a post named after the words of its task",
	  "Trạm kiểm tra biên phòng xuất nhập cảnh Kim Thủy Hà (Trung Quốc) tuần tra.",
	  "organisation", { { "text", "Trạm kiểm tra biên phòng xuất nhập cảnh Kim Thủy Hà" },
	  { "org_kind", "border_post" } } },
	{ "posts listed under their head",
	  "Theo kế hoạch, 3 đồn biên phòng: Phú Gia, Hòa Hải, Hương Quang ký kết nghĩa.",
	  "organisation", { { "text", "Đồn biên phòng Hòa Hải" }, { "org_kind", "border_post" } } },
	{ "a gate's post in a list",
	  "Lễ kết nghĩa giữa các đồn biên phòng: Cửa khẩu quốc tế Tây Trang, Thanh Luông và Pa "
	  "Thơm đã diễn ra.", "organisation",
	  { { "text", "Đồn biên phòng Cửa khẩu quốc tế Tây Trang" } } },
	{ "a count of units after a force is not its number",
	  "Ban Chỉ huy Bộ đội Biên phòng (BĐBP) 3 tỉnh, thành phố gồm Huế, Đà Nẵng và Quảng Ngãi "
	  "đã hội đàm.", "organisation", { { "text", "Ban Chỉ huy Bộ đội Biên phòng (BĐBP) 3" } },
	  true },
	{ "a ministry as a body", "Đại diện Bộ Quốc phòng, Bộ Ngoại giao và Bộ Công an dự.",
	  "organisation", { { "text", "Bộ Ngoại giao" } } },
};

static void
test_organisations(void **state)
{
	(void)state;
	assert_int_equal(run_table(org_cases, N_ELEM(org_cases)), 0);
}

/* ---- units across the border --------------------------------------------------- */

static const struct rule_case foreign_cases[] = {
	{ "a Chinese village in its chain",
	  "Thôn Lao Chải kết nghĩa với thôn Địa Tây Bắc, xã Ma Ngán Tý, huyện Kim Bình, tỉnh "
	  "Vân Nam, Trung Quốc.", "foreign_unit", { { "text", "thôn Địa Tây Bắc" },
	  { "country", "CN" }, { "level", "village" } } },
	{ "a Chinese township written 'trấn'",
	  "Đoàn đã thăm trấn Đông Trung của Trung Quốc.", "foreign_unit",
	  { { "text", "trấn Đông Trung" }, { "country", "CN" }, { "level", "township" } } },
	{ "'Trấn' with a capital",
	  "Thị trấn Si Ma Cai kết nghĩa với Trấn Seo Pả Chư (Vân Nam).", "foreign_unit",
	  { { "text", "Trấn Seo Pả Chư" }, { "country", "CN" }, { "level", "township" } } },
	{ "'khu' in a Chinese chain is a district",
	  "Cán bộ thôn Thán Sản, Trấn Na Lương, khu Phòng Thành, tỉnh Quảng Tây, Trung Quốc dự "
	  "lễ.", "foreign_unit", { { "text", "khu Phòng Thành" }, { "level", "district" } } },
	{ "a county-level city of China is foreign in its chain",
	  "Đoàn đã thăm thành phố Đông Hưng, tỉnh Quảng Tây, Trung Quốc.", "foreign_unit",
	  { { "text", "thành phố Đông Hưng" }, { "country", "CN" }, { "level", "district" } } },
	{ "a Chinese city-level prefecture 'châu'",
	  "Huyện Bát Xát làm việc với chính quyền thị xã Hà Khẩu, châu Hồng Hà, tỉnh Vân Nam.",
	  "foreign_unit", { { "text", "châu Hồng Hà" }, { "level", "prefecture" } } },
	{ "a Lao village cluster",
	  "Xã A Dơi ký kết với cụm bản Đen Vi Lay, huyện Xê Pôn, tỉnh Savannakhet (Lào).",
	  "foreign_unit", { { "text", "cụm bản Đen Vi Lay" }, { "country", "LA" },
	  { "level", "village_cluster" } } },
	{ "a Lao district written 'mường'",
	  "Bản Nà Mèo kết nghĩa với bản Sỏn Khoang, mường Sầm Tớ, tỉnh Hủa Phăn, nước CHDCND "
	  "Lào.", "foreign_unit", { { "text", "mường Sầm Tớ" }, { "country", "LA" },
	  { "level", "district" } } },
	{ "a Lao village in its chain",
	  "Bản Nà Mèo kết nghĩa với bản Sỏn Khoang, mường Sầm Tớ, tỉnh Hủa Phăn, nước CHDCND "
	  "Lào.", "foreign_unit", { { "text", "bản Sỏn Khoang" }, { "level", "village" } } },
	{ "Cambodian levels named with their country",
	  "Xã Thường Phước kết nghĩa với xã Pea Raing, huyện Kamchay Mear, tỉnh Prey Veng, "
	  "Vương quốc Campuchia.", "foreign_unit", { { "text", "huyện Kamchay Mear" },
	  { "country", "KH" }, { "level", "district" } } },
	{ "a Cambodian village 'Phum' opening a sentence",
	  "Phum Tà Ni, khum Kông Pông Trạch, srok Kiri Vong, tỉnh Takeo đã ký kết.",
	  "foreign_unit", { { "text", "Phum Tà Ni" }, { "country", "KH" },
	  { "level", "village" } } },
	{ "a Cambodian commune 'khum'",
	  "Phum Tà Ni, khum Kông Pông Trạch, srok Kiri Vong, tỉnh Takeo đã ký kết.",
	  "foreign_unit", { { "text", "khum Kông Pông Trạch" }, { "level", "township" } } },
};

static void
test_foreign_units(void **state)
{
	(void)state;
	assert_int_equal(run_table(foreign_cases, N_ELEM(foreign_cases)), 0);
}

/* Tasks: the items of a list after its head ("các nội dung như:",
 * "3 giải pháp:") are the tasks, the head is not one. */
#define LIST_OF_TASKS "Ngày 10/5/2024, hai bên thống nhất các nội dung hợp tác như: " \
	"tăng cường tuần tra song phương; trao đổi thông tin về tình hình biên giới."
static const struct rule_case task_cases[] = {
	{ "the first item after a list's head is a task", LIST_OF_TASKS, "task",
	  { { "content", "tăng cường tuần tra song phương" } } },
	{ "... and so is the next one", LIST_OF_TASKS, "task",
	  { { "content", "trao đổi thông tin về tình hình biên giới" } } },
	{ "... the head itself is no task", LIST_OF_TASKS, "task",
	  { { "content", "thống nhất các nội dung hợp tác như" } }, true },
	{ "a numbered head of solutions",
	  "Huyện đề ra 3 giải pháp: rà soát hộ nghèo; xây dựng đường tuần tra; hỗ trợ nhà ở.",
	  "task", { { "content", "xây dựng đường tuần tra" } } },
};

static void
test_tasks(void **state)
{
	(void)state;
	assert_int_equal(run_table(task_cases, N_ELEM(task_cases)), 0);
}

/* With the units: names Vietnam also has are read across the border by
 * their chain, and only there. */
static const struct rule_case unit_cases[] = {
	{ "a Chinese county-level city sharing a Vietnamese district's name",
	  "Đoàn đã thăm thành phố Đông Hưng, tỉnh Quảng Tây, Trung Quốc.", "foreign_unit",
	  { { "text", "thành phố Đông Hưng" }, { "country", "CN" } } },
	{ "... not then a Vietnamese unit",
	  "Đoàn đã thăm thành phố Đông Hưng, tỉnh Quảng Tây, Trung Quốc.", "unit",
	  { { "text", "thành phố Đông Hưng" } }, true },
	{ "a Vietnamese city in a chain naming Vietnam stays Vietnamese",
	  "Đoàn đến thành phố Lào Cai, tỉnh Lào Cai (Việt Nam) và thành phố Hà Khẩu (Trung "
	  "Quốc).", "unit", { { "text", "thành phố Lào Cai" }, { "code", "080" } } },
	{ "... and the city across the river is Chinese",
	  "Đoàn đến thành phố Lào Cai, tỉnh Lào Cai (Việt Nam) và thành phố Hà Khẩu (Trung "
	  "Quốc).", "foreign_unit", { { "text", "thành phố Hà Khẩu" }, { "country", "CN" } } },
};

static void
test_units_across_the_border(void **state)
{
	assert_int_equal(run_table_in(*state, unit_cases, N_ELEM(unit_cases)), 0);
}

int
main(void)
{
	const struct CMUnitTest with_units[] = {
		cmocka_unit_test(test_units_across_the_border),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legal_refs),
		cmocka_unit_test(test_organisations),
		cmocka_unit_test(test_foreign_units),
		cmocka_unit_test(test_tasks),
	};

	int rc = cmocka_run_group_tests_name("ingest_rules", tests, NULL, NULL);

	rc |= cmocka_run_group_tests_name("ingest_rules_units", with_units, setup_units_gaz,
	    teardown_units_gaz);
	return rc;
}
