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
run_case(const struct rule_case *c)
{
	struct ingest_options opt = { "case.txt", PUB, "2026-01-01" };
	struct err e = { 0 };
	json_t *set = NULL, *p;
	char buf[4096];
	bool ok = true;

	if (ingest_extract(NULL, c->text, strlen(c->text), &opt, &set, &e) != 0) {
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
run_table(const struct rule_case *cases, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += !run_case(&cases[i]);
	return bad;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legal_refs),
	};

	return cmocka_run_group_tests_name("ingest_rules", tests, NULL, NULL);
}
