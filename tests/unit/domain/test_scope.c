/*
 * test_scope.c - the scope of a review report (scope.h), on the demo data:
 * every written form parses to its kind and record, its canonical text
 * parses back to the same scope, and what is no scope or names no record
 * is refused with the right code.  Table-driven: a form is one line.
 */
#include "testutil.h"

#include "domain/achieve.h"
#include "domain/scope.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))


static int64_t
unit_id(const char *code)
{
	struct err e = { 0 };
	int64_t id = 0;

	if (store_unit_by_code(tu_db, code, NULL, &id, &e) != 0)
		fail_msg("unit %s: %s", code, e.msg);
	return id;
}

/* The forms of scope.h: text -> kind, id, at, canonical text.  A unit
 * named by code is the unit of that code today; "@CODE" likewise. */
static const struct {
	const char *text;
	enum report_scope_kind kind;
	int64_t id;          /* -1: the unit of `code` */
	int64_t at;          /* -1 would be ACH_NATION; -2: the unit of `code` */
	const char *code;
	const char *canonical; /* NULL: built from the ids ("unit:ID") */
} forms[] = {
	{ "nation", SCOPE_NATION, 0, 0, NULL, "nation" },
	{ "unit:VN", SCOPE_NATION, 0, 0, NULL, "nation" },
	{ "target_set:1", SCOPE_TARGET_SET, 1, 0, NULL, "target_set:1" },
	{ "target_set:1@nation", SCOPE_TARGET_SET, 1, ACH_NATION, NULL,
	  "target_set:1@nation" },
	{ "target_set:1@VN", SCOPE_TARGET_SET, 1, ACH_NATION, NULL, "target_set:1@nation" },
	{ "target_set:1@084", SCOPE_TARGET_SET, 1, -2, "084", NULL },
	{ "agreement:1", SCOPE_AGREEMENT, 1, 0, NULL, "agreement:1" },
	{ "agreement:63", SCOPE_AGREEMENT, 63, 0, NULL, "agreement:63" },
	{ "program:2", SCOPE_PROGRAM, 2, 0, NULL, "program:2" },
	{ "supervision:1", SCOPE_SUPERVISION, 1, 0, NULL, "supervision:1" },
	{ "unit:084", SCOPE_UNIT, -1, 0, "084", NULL },
	{ "unit:01024", SCOPE_UNIT, -1, 0, "01024", NULL },
};

static void
test_forms_parse_and_round_trip(void **state)
{
	struct report_scope sc, again;
	struct err e = { 0 };
	char text[REPORT_SCOPE_TEXT_MAX], want[REPORT_SCOPE_TEXT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(forms); i++) {
		int64_t id = forms[i].id == -1 ? unit_id(forms[i].code) : forms[i].id;
		int64_t at = forms[i].at == -2 ? unit_id(forms[i].code) : forms[i].at;
		if (report_scope_parse(tu_db, forms[i].text, &sc, &e) != 0)
			fail_msg("%s: %s", forms[i].text, e.msg);
		if (sc.kind != forms[i].kind || sc.id != id || sc.at != at)
			fail_msg("%s: kind %d id %lld at %lld, want %d %lld %lld", forms[i].text,
			    (int)sc.kind, (long long)sc.id, (long long)sc.at, (int)forms[i].kind,
			    (long long)id, (long long)at);
		assert_int_equal(report_scope_format(&sc, text, sizeof(text)), 0);
		if (forms[i].canonical != NULL)
			snprintf(want, sizeof(want), "%s", forms[i].canonical);
		else if (forms[i].kind == SCOPE_UNIT)
			snprintf(want, sizeof(want), "unit:%lld", (long long)id);
		else
			snprintf(want, sizeof(want), "target_set:%lld@%lld", (long long)id,
			    (long long)at);
		if (strcmp(text, want) != 0)
			fail_msg("%s: canonical \"%s\", want \"%s\"", forms[i].text, text, want);
		/* the canonical text is the same scope */
		if (report_scope_parse(tu_db, text, &again, &e) != 0)
			fail_msg("%s (from %s): %s", text, forms[i].text, e.msg);
		assert_int_equal(again.kind, sc.kind);
		assert_int_equal(again.id, sc.id);
		assert_int_equal(again.at, sc.at);
	}
}

/* Not a scope: 400; a scope of a record that is not there: 404. */
static const struct {
	const char *text;
	enum err_code code;
} refused[] = {
	{ NULL, ERR_BAD_REQUEST },
	{ "", ERR_BAD_REQUEST },
	{ "agreement", ERR_BAD_REQUEST },
	{ "planet:3", ERR_BAD_REQUEST },
	{ "agreement:0", ERR_BAD_REQUEST },
	{ "agreement:-4", ERR_BAD_REQUEST },
	{ "agreement:12abc", ERR_BAD_REQUEST },
	{ "agreement:", ERR_BAD_REQUEST },
	{ ":1", ERR_BAD_REQUEST },
	{ "nation:1", ERR_BAD_REQUEST },
	{ "agreement:999999", ERR_NOT_FOUND },
	{ "program:999999", ERR_NOT_FOUND },
	{ "supervision:999999", ERR_NOT_FOUND },
	{ "target_set:999999", ERR_NOT_FOUND },
	{ "target_set:999999@nation", ERR_NOT_FOUND },
	{ "unit:999999999", ERR_NOT_FOUND },
};

static void
test_refused(void **state)
{
	struct report_scope sc;
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(refused); i++) {
		if (report_scope_parse(tu_db, refused[i].text, &sc, &e) == 0)
			fail_msg("\"%s\" parsed", refused[i].text ? refused[i].text : "(null)");
		if (e.code != refused[i].code)
			fail_msg("\"%s\": code %s, want %s (%s)", refused[i].text ?
			    refused[i].text : "(null)", err_code_name(e.code),
			    err_code_name(refused[i].code), e.msg);
		assert_true(e.msg[0] != '\0');
		err_clear(&e);
	}
}

/* Every kind names the entity of its records; the scope of a record is
 * found from its entity. */
static void
test_kinds(void **state)
{
	static const struct { const char *entity; const char *kind; } of[] = {
		{ "target_set", "target_set" }, { "agreement", "agreement" },
		{ "program", "program" }, { "admin_unit", "unit" },
		{ "supervision", "supervision" }, { "person", NULL }, { NULL, NULL },
	};
	const struct report_scope_kind_def *k;
	struct report_scope sc = { SCOPE_AGREEMENT, 12, 0 };
	char small[8];
	size_t i;

	(void)state;
	assert_int_equal(SCOPE_KIND_COUNT, SCOPE_NATION + 1);
	for (i = 0; i < SCOPE_KIND_COUNT; i++)
		if (i != SCOPE_NATION)
			assert_non_null(registry_find(report_scope_kinds[i].entity));
	assert_null(report_scope_kinds[SCOPE_NATION].entity);
	for (i = 0; i < N_ELEM(of); i++) {
		k = report_scope_kind_of(of[i].entity);
		if (of[i].kind == NULL)
			assert_null(k);
		else
			assert_string_equal(k->name, of[i].kind);
	}
	/* a text that does not fit is refused, not cut */
	assert_int_equal(report_scope_format(&sc, small, sizeof(small)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_parse_and_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests_name("scope", tests, tu_setup_demo_db, tu_teardown_db);
}
