/* test_validate.c - validation driven by the registry, table-driven: each
 * case is an entity, an input and the fields expected to be refused (or
 * NULL when the input is valid). */
#include "testutil.h"

#include "validate.h"

struct vcase {
	const char *entity;
	const char *input;       /* JSON */
	unsigned flags;
	const char *bad_fields;  /* space-separated, or NULL = valid */
	const char *check_field; /* on success: a field and its typed JSON */
	const char *check_value;
};

static const struct vcase cases[] = {
	/* required fields, every one reported at once */
	{ "meeting", "{}", 0, "kind title held_on", NULL, NULL },
	{ "meeting", "{\"kind\":\"review_conference\",\"title\":\"Hội nghị\","
	  "\"held_on\":\"31/10/2023\"}", 0, NULL, "held_on", "\"2023-10-31\"" },
	{ "meeting", "{\"kind\":\"nope\",\"title\":\"x\",\"held_on\":\"2023-02-30\"}",
	  0, "kind held_on", NULL, NULL },
	/* unknown field, wrong types */
	{ "person", "{\"full_name\":\"Nông Thị Hà\",\"age\":3}", 0, "age", NULL, NULL },
	{ "person", "{\"full_name\":12}", 0, "full_name", NULL, NULL },
	{ "person", "{\"full_name\":\"   \"}", 0, "full_name", NULL, NULL },
	/* text is trimmed and normalised to NFC (decomposed input) */
	{ "person", "{\"full_name\":\"  Xi\\u0301n Ma\\u0302\\u0300n \"}", 0, NULL,
	  "full_name", "\"Xín Mần\"" },
	/* numbers written the Vietnamese way */
	{ "activity_quantity", "{\"activity_id\":1,\"measure\":\"length_km\","
	  "\"value\":\"184,5\"}", 0, "activity_id", NULL, NULL },
	{ "village", "{\"name\":\"Thôn A\",\"commune_id\":1,\"households\":\"4.932\"}",
	  0, NULL, "households", "4932" },
	{ "village", "{\"name\":\"Thôn A\",\"commune_id\":1,\"households\":-1}",
	  0, "households", NULL, NULL },
	{ "village", "{\"name\":\"Thôn A\",\"commune_id\":999999}", 0, "commune_id",
	  NULL, NULL },
	{ "village", "{\"name\":\"Thôn A\",\"commune_id\":\"abc\"}", 0, "commune_id",
	  NULL, NULL },
	/* enums and booleans */
	{ "agreement", "{\"kind\":\"twinning\",\"title\":\"Kết nghĩa\","
	  "\"status\":\"signed\",\"signed_on\":\"2016-12-01\"}", 0, NULL,
	  "status", "\"signed\"" },
	{ "agreement", "{\"kind\":\"twinning\",\"title\":\"K\",\"status\":\"done\"}",
	  0, "status", NULL, NULL },
	{ "meeting", "{\"kind\":\"review_conference\",\"title\":\"x\","
	  "\"held_on\":\"2017-12-05\",\"online\":\"có\"}", 0, NULL, "online", "true" },
	{ "meeting", "{\"kind\":\"review_conference\",\"title\":\"x\","
	  "\"held_on\":\"2017-12-05\",\"online\":\"maybe\"}", 0, "online", NULL, NULL },
	/* dates in order */
	{ "target_set", "{\"name\":\"NQ\",\"unit_id\":1,\"term_start\":2025,"
	  "\"term_end\":2020}", 0, "term_end", NULL, NULL },
	/* limits */
	{ "border_marker", "{\"number\":\"1234567890123456789012345678901234\"}",
	  0, "number", NULL, NULL },
	{ "border_marker", "{\"number\":\"M1\",\"latitude\":95}", 0, "latitude",
	  NULL, NULL },
	/* system fields need a trusted caller */
	{ "app_user", "{\"login\":\"a\",\"password_hash\":\"x\"}", 0, "password_hash",
	  NULL, NULL },
	{ "app_user", "{\"login\":\"a\",\"password_hash\":\"x\"}", V_SYSTEM, NULL,
	  "login", "\"a\"" },
	/* partial updates skip absent required fields, not emptied ones */
	{ "meeting", "{\"place\":\"Si Ma Cai\"}", V_PARTIAL, NULL, "place",
	  "\"Si Ma Cai\"" },
	{ "meeting", "{\"title\":\"\"}", V_PARTIAL, "title", NULL, NULL },
	/* computed-indicator formulas are checked when saved */
	{ "indicator", "{\"target_group_id\":999999,\"name\":\"x\",\"direction\":"
	  "\"higher\",\"value_kind\":\"number\",\"expression\":\"count(nope\"}", 0,
	  "target_group_id expression", NULL, NULL },
	/* illustrative marker on any entity */
	{ "person", "{\"full_name\":\"Cá nhân (minh họa) 1\",\"illustrative\":true}",
	  0, NULL, "illustrative", "true" },
};

static void
test_cases(void **state)
{
	struct store *s = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		struct err e = { 0 };
		json_error_t je;
		json_t *in = json_loads(c->input, 0, &je), *out;
		if (in == NULL)
			fail_msg("case %zu: bad JSON %s", i, je.text);
		out = validate_record(s, registry_find(c->entity), in, c->flags, &e);
		if (c->bad_fields == NULL) {
			if (out == NULL)
				fail_msg("case %zu (%s): refused: %s %s", i, c->input, e.msg,
				    e.fields ? json_dumps(e.fields, 0) : "");
			if (c->check_field != NULL) {
				json_t *want = json_loads(c->check_value, JSON_DECODE_ANY, &je);
				if (!json_equal(json_object_get(out, c->check_field), want))
					fail_msg("case %zu: %s is %s, want %s", i, c->check_field,
					    json_dumps(json_object_get(out, c->check_field),
					    JSON_ENCODE_ANY), c->check_value);
				json_decref(want);
			}
		} else {
			char names[200], *tok, *save = NULL;
			size_t want = 0;
			if (out != NULL)
				fail_msg("case %zu (%s): accepted, want refusal of %s", i,
				    c->input, c->bad_fields);
			assert_int_equal(e.code, ERR_INVALID);
			snprintf(names, sizeof(names), "%s", c->bad_fields);
			for (tok = strtok_r(names, " ", &save); tok != NULL;
			    tok = strtok_r(NULL, " ", &save)) {
				want++;
				if (json_object_get(e.fields, tok) == NULL)
					fail_msg("case %zu: no message for field %s (got %s)", i,
					    tok, json_dumps(e.fields, 0));
				/* messages are Vietnamese and say which field */
				assert_true(strlen(json_string_value(json_object_get(e.fields,
				    tok))) > 5);
			}
			assert_int_equal(json_object_size(e.fields), want);
		}
		json_decref(out);
		json_decref(in);
		err_clear(&e);
	}
}

static void
test_ref_to_existing_record(void **state)
{
	struct store *s = *state;
	struct err e = { 0 };
	int64_t id;
	json_t *in, *out;

	assert_int_equal(store_unit_by_code(s, "084", "2024-01-01", &id, &e), 0);
	in = json_pack("{s:s, s:I}", "name", "Thôn Sán Chải", "commune_id",
	    (json_int_t)id);
	out = validate_record(s, registry_find("village"), in, 0, &e);
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_object_get(out, "commune_id")), id);
	json_decref(in);
	json_decref(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_ref_to_existing_record),
	};
	return cmocka_run_group_tests_name("validate", tests, tu_setup_units, tu_teardown);
}
