/* test_validate.c - validation driven by the registry, table-driven: each
 * case is an entity, an input and the fields expected to be refused (or
 * NULL when the input is valid). */
#include "testutil.h"
#include "testrec.h"

#include "domain/bulk.h"
#include "domain/records.h"
#include "domain/seed.h"
#include "domain/validate.h"

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

/* ---- structured text: every such field of every entity, every write path ---- */

/* A written form and the canonical text stored (NULL: refused).  In scope
 * forms {A}, {T} and {U} stand for the ids of an agreement, a target set
 * and the unit of code 084. */
struct form {
	const char *in, *want;
};

static const struct form period_forms[] = {
	{ "quý 4/2025", "2025-Q4" }, { "Q4/2025", "2025-Q4" },
	{ "Quý IV năm 2025", "2025-Q4" }, { "2025-Q4", "2025-Q4" },
	{ "6 tháng đầu năm 2024", "2024-H1" }, { "2024-H1", "2024-H1" },
	{ "năm 2023", "2023" }, { "2023", "2023" },
	{ "2020-2025", "2020-2025" }, { "2020\xE2\x80\x93" "2025", "2020-2025" },
	{ "giai đoạn 2020 - 2025", "2020-2025" },
	{ "tháng 3/2024", "2024-03" }, { "  9 tháng đầu năm 2024 ", "2024-9M" },
	{ "quý 5/2025", NULL }, { "Q5/2025", NULL }, { "2025-13", NULL },
	{ "2020-2019", NULL }, { "tháng 0", NULL }, { "tháng 13/2024", NULL },
	{ "zzz:999", NULL }, { "kỳ này", NULL },
};

static const struct form scope_forms[] = {
	{ "nation", "nation" }, { "unit:VN", "nation" },
	{ "agreement:{A}", "agreement:{A}" }, { "unit:084", "unit:{U}" },
	{ "unit:{U}", "unit:{U}" }, { "target_set:{T}", "target_set:{T}" },
	{ "target_set:{T}@084", "target_set:{T}@{U}" },
	{ "target_set:{T}@nation", "target_set:{T}@nation" },
	{ "zzz:999", NULL }, { "agreement:999999999", NULL }, { "agreement", NULL },
	{ "agreement:abc", NULL }, { "agreement:-1", NULL }, { "unit:0999999", NULL },
	{ "nation:1", NULL }, { "target_set:{T}@zzz", NULL },
};

static const struct form code_list_forms[] = {
	{ "economy; culture;economy", "economy;culture" }, { "society", "society" },
	{ "defence, economy", "defence;economy" },
	{ "zzz", NULL }, { "economy;zzz", NULL }, { ";", NULL },
};


struct sctx {
	struct store *s;
	int64_t agreement, target_set, unit;
};

#define FORM_TEXT_MAX 200

/* tmpl with {A}, {T}, {U} replaced, into out. */
static const char *
subst(const struct sctx *c, const char *tmpl, char *out, size_t len)
{
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p != '\0' && n + 24 < len; p++) {
		if (p[0] == '{' && p[1] != '\0' && p[2] == '}' && strchr("ATU", p[1])) {
			n += (size_t)snprintf(out + n, len - n, "%lld", (long long)(p[1] == 'A' ?
			    c->agreement : p[1] == 'T' ? c->target_set : c->unit));
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

static const struct form *
forms_of(const struct field_def *f, size_t *n)
{
#define FORMS(a) (*n = sizeof(a) / sizeof(a[0]), a)
	if (f->flags & F_PERIOD)
		return FORMS(period_forms);
	if (f->flags & F_REPORT_SCOPE)
		return FORMS(scope_forms);
	if (f->flags & F_CODE_LIST)
		return FORMS(code_list_forms);
#undef FORMS
	fail_msg("field %s: structured, but no forms to test it with", f->name);
	return NULL;
}

/* A message for the field, in Vietnamese, starting with its label and
 * saying more than the label. */
static bool
names_field(const struct field_def *f, const char *m)
{
	return m != NULL && strncmp(m, f->label, strlen(f->label)) == 0 &&
	    strlen(m) > strlen(f->label) + 10;
}

/* A refusal that names the field (422). */
static void
assert_refused(const struct entity_def *ent, const struct field_def *f,
    const char *in, int rc, struct err *e)
{
	if (rc == 0 || e->code != ERR_INVALID ||
	    !names_field(f, json_string_value(json_object_get(e->fields, f->name))))
		fail_msg("%s.%s = '%s': want a refusal naming the field, got rc %d "
		    "code %d: %s %s", ent->name, f->name, in, rc, e->code, e->msg,
		    e->fields ? json_dumps(e->fields, 0) : "");
}

static void
assert_stored(const struct sctx *c, const struct entity_def *ent,
    const struct field_def *f, const char *in, const json_t *rec, const char *tmpl)
{
	char want[FORM_TEXT_MAX];

	subst(c, tmpl, want, sizeof(want));
	if (rec_str(rec, f->name) == NULL || strcmp(rec_str(rec, f->name), want) != 0)
		fail_msg("%s.%s = '%s': stored '%s', want '%s'", ent->name, f->name, in,
		    rec_str(rec, f->name) ? rec_str(rec, f->name) : "(null)", want);
}

/* records_create with each form, then records_update to another. */
static void
through_records(const struct sctx *c, const struct entity_def *ent,
    const struct field_def *f, const struct form *forms, size_t n)
{
	struct store *s = c->s;
	char in[FORM_TEXT_MAX], other[FORM_TEXT_MAX];
	size_t i, k;

	for (i = 0; i < n; i++) {
		struct err e = { 0 };
		json_t *rec = sample_record(s, ent, 0), *out = NULL, *up, *now;
		int64_t before = count_of(s, ent->name), audits = count_of(s, "audit_log");
		int rc;

		subst(c, forms[i].in, in, sizeof(in));
		json_object_set_new(rec, f->name, json_string(in));
		rc = records_create(s, ent, rec, &tester, 0, &out, &e);
		if (forms[i].want == NULL) {
			/* refused, nothing written */
			assert_refused(ent, f, in, rc, &e);
			assert_int_equal(count_of(s, ent->name), before);
			assert_int_equal(count_of(s, "audit_log"), audits);
			err_clear(&e);
			/* an update to it is refused too, the record unchanged */
			json_object_set_new(rec, f->name, json_string(subst(c, forms[0].in,
			    other, sizeof(other))));
			assert_int_equal(records_create(s, ent, rec, &tester, 0, &out, &e), 0);
			audits = count_of(s, "audit_log");
			up = json_pack("{s:s}", f->name, in);
			rc = records_update(s, ent, rec_int(out, "id"), up, 0, &tester, 0,
			    NULL, &e);
			assert_refused(ent, f, in, rc, &e);
			err_clear(&e);
			now = store_get(s, ent, rec_int(out, "id"), NULL);
			assert_true(json_equal(now, out));
			assert_int_equal(count_of(s, "audit_log"), audits);
			json_decref(now);
		} else {
			if (rc != 0)
				fail_msg("%s.%s = '%s': refused: %s %s", ent->name, f->name, in,
				    e.msg, e.fields ? json_dumps(e.fields, 0) : "");
			assert_stored(c, ent, f, in, out, forms[i].want);
			/* an update with the next valid form stores its canonical */
			for (k = (i + 1) % n; forms[k].want == NULL; k = (k + 1) % n)
				;
			up = json_pack("{s:s}", f->name, subst(c, forms[k].in, other,
			    sizeof(other)));
			now = NULL;
			if (records_update(s, ent, rec_int(out, "id"), up, 0, &tester, 0, &now,
			    &e) != 0)
				fail_msg("%s.%s update to '%s': %s", ent->name, f->name, other,
				    e.msg);
			assert_stored(c, ent, f, other, now, forms[k].want);
			json_decref(now);
		}
		json_decref(up);
		/* room for the next form under the entity's unique keys */
		assert_int_equal(records_delete(s, ent, rec_int(out, "id"), 0, &tester, &e), 0);
		json_decref(out);
		json_decref(rec);
	}
}

#define BULK_COLS_MAX 64

/* A load of one row with each form: as cells (CSV, XLSX) or as a JSON
 * object (POST _bulk). */
static void
through_bulk(const struct sctx *c, const struct entity_def *ent,
    const struct field_def *f, const struct form *forms, size_t n, bool cells)
{
	struct store *s = c->s;
	char in[FORM_TEXT_MAX], text[BULK_COLS_MAX][64];
	const char *names[BULK_COLS_MAX], *cellv[BULK_COLS_MAX];
	size_t i, k, ncols;

	for (i = 0; i < n; i++) {
		struct import_result res = { 0 };
		struct err e = { 0 };
		json_t *rec = sample_record(s, ent, 0), *v, *last, *er;
		int64_t before = count_of(s, ent->name), audits = count_of(s, "audit_log");
		const char *key;
		struct bulk *b;
		bool named = false;
		int rc;

		subst(c, forms[i].in, in, sizeof(in));
		json_object_set_new(rec, f->name, json_string(in));
		ncols = 0;
		json_object_foreach(rec, key, v) {
			assert_true(ncols < BULK_COLS_MAX);
			names[ncols] = key;
			if (json_is_string(v))
				cellv[ncols] = json_string_value(v);
			else {
				if (json_is_integer(v))
					snprintf(text[ncols], sizeof(text[0]), "%lld",
					    (long long)json_integer_value(v));
				else if (json_is_real(v))
					snprintf(text[ncols], sizeof(text[0]), "%.17g",
					    json_real_value(v));
				else
					snprintf(text[ncols], sizeof(text[0]), "%s",
					    json_is_true(v) ? "1" : "0");
				cellv[ncols] = text[ncols];
			}
			ncols++;
		}
		res.errors = json_array();
		b = bulk_open(s, ent, cells ? names : NULL, cells ? ncols : 0, &tester,
		    &res, &e);
		assert_non_null(b);
		rc = cells ? bulk_row_cells(b, 2, cellv, NULL, ncols, &e) :
		    bulk_row_json(b, 1, rec, &e);
		assert_int_equal(rc, 0);
		rc = bulk_finish(b, false, &e);
		if (forms[i].want != NULL) {
			if (rc != 0 || res.imported != 1)
				fail_msg("%s.%s = '%s' (%s): not loaded: %s %s", ent->name,
				    f->name, in, cells ? "cells" : "json", e.msg,
				    json_dumps(res.errors, 0));
			last = last_record(s, ent);
			assert_stored(c, ent, f, in, last, forms[i].want);
			assert_int_equal(records_delete(s, ent, rec_int(last, "id"), 0,
			    &tester, &e), 0);
			json_decref(last);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(e.code, ERR_INVALID);
			assert_int_equal(res.rejected, 1);
			json_array_foreach(res.errors, k, er)
				named = named || (rec_str(er, "field") != NULL &&
				    strcmp(rec_str(er, "field"), f->name) == 0 &&
				    names_field(f, rec_str(er, "message")));
			if (!named)
				fail_msg("%s.%s = '%s' (%s): no error naming the field: %s",
				    ent->name, f->name, in, cells ? "cells" : "json",
				    json_dumps(res.errors, 0));
			assert_int_equal(count_of(s, ent->name), before);
			assert_int_equal(count_of(s, "audit_log"), audits);
		}
		err_clear(&e);
		json_decref(res.errors);
		json_decref(rec);
	}
}

/* Empty: refused when the field is required, else stored as nothing. */
static void
empty_value(const struct sctx *c, const struct entity_def *ent,
    const struct field_def *f)
{
	static const char *const empties[] = { "", "   " };
	size_t i;

	for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
		struct err e = { 0 };
		json_t *rec = sample_record(c->s, ent, 0), *out = NULL;
		int rc;

		json_object_set_new(rec, f->name, json_string(empties[i]));
		rc = records_create(c->s, ent, rec, &tester, 0, &out, &e);
		if (f->flags & F_REQUIRED) {
			assert_refused(ent, f, empties[i], rc, &e);
		} else {
			assert_int_equal(rc, 0);
			assert_true(json_is_null(json_object_get(out, f->name)));
			assert_int_equal(records_delete(c->s, ent, rec_int(out, "id"), 0,
			    &tester, &e), 0);
		}
		err_clear(&e);
		json_decref(out);
		json_decref(rec);
	}
}

/* Every structured-text field of the registry (a new one is covered
 * without a line here), with every written form its kind accepts and
 * refuses, through records_create, records_update and both bulk paths. */
static void
test_structured_text(void **state)
{
	struct sctx c = { .s = *state };
	struct err e = { 0 };
	size_t i, j, n = 0, fields = 0, periods = 0;

	c.agreement = sample_id(c.s, registry_find("agreement"), 0);
	c.target_set = sample_id(c.s, registry_find("target_set"), 0);
	assert_int_equal(store_unit_by_code(c.s, "084", NULL, &c.unit, &e), 0);
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			const struct form *forms;
			if (!(f->flags & F_STRUCTURED))
				continue;
			assert_int_equal(f->type, FT_TEXT);
			forms = forms_of(f, &n);
			through_records(&c, ent, f, forms, n);
			through_bulk(&c, ent, f, forms, n, true);
			through_bulk(&c, ent, f, forms, n, false);
			empty_value(&c, ent, f);
			fields++;
			periods += (f->flags & F_PERIOD) != 0;
		}
	}
	/* indicator_value, activity, supervision_finding and report periods,
	 * report.scope, agreement.domains */
	assert_true(periods >= 4);
	assert_true(fields >= 6);
}

/* Every date field of every entity (a new one is covered without a line
 * here) takes dates as Vietnamese type them as well as ISO, stores ISO, and
 * says what the calendar lacks - through validate_value and through
 * validate_record (the API, the forms, the bulk cells it falls back to). */
static const struct { const char *in, *iso, *says; } date_forms[] = {
	{ "2025-12-31", "2025-12-31", NULL },
	{ "31/12/2025", "2025-12-31", NULL },
	{ "1/2/2025", "2025-02-01", NULL },
	{ "01/02/2025", "2025-02-01", NULL },
	{ "29/02/2024", "2024-02-29", NULL },
	{ " 31/12/2025 ", "2025-12-31", NULL },
	{ "31-12-2025", "2025-12-31", NULL },
	{ "31.12.2025", "2025-12-31", NULL },
	{ "31/02/2025", NULL, "tháng 2 không có ngày 31" },
	{ "29/02/2025", NULL, "tháng 2 năm 2025 không có ngày 29" },
	{ "31/04/2025", NULL, "tháng 4 không có ngày 31" },
	{ "2025-02-30", NULL, "tháng 2 không có ngày 30" },
	{ "12/13/2025", NULL, "không có tháng 13" },
	{ "0/1/2025", NULL, "không có ngày 0" },
	{ "hôm qua", NULL, "dd/mm/yyyy" },
	{ "31/12", NULL, "dd/mm/yyyy" },
};

static void
test_every_date_field(void **state)
{
	struct store *s = *state;
	size_t i, j, k, fields = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			if (f->type != FT_DATE)
				continue;
			fields++;
			for (k = 0; k < sizeof(date_forms) / sizeof(date_forms[0]); k++) {
				char msg[ERR_MSG_MAX] = "";
				struct err e = { 0 };
				json_t *in = json_string(date_forms[k].in), *out, *obj, *rec;
				out = validate_value(s, f, in, msg, sizeof(msg), &e);
				if (date_forms[k].iso != NULL) {
					if (out == NULL || strcmp(json_string_value(out),
					    date_forms[k].iso) != 0)
						fail_msg("%s.%s '%s': want %s, got %s", ent->name, f->name,
						    date_forms[k].in, date_forms[k].iso, msg);
				} else if (out != NULL || strstr(msg, date_forms[k].says) == NULL) {
					fail_msg("%s.%s '%s': want '%s' said, got '%s'", ent->name,
					    f->name, date_forms[k].in, date_forms[k].says, msg);
				}
				json_decref(out);
				/* the whole record's validation names the field alike */
				obj = json_object();
				json_object_set_new(obj, f->name, in);
				rec = validate_record(s, ent, obj, V_PARTIAL | V_SYSTEM, &e);
				if (date_forms[k].iso != NULL) {
					const json_t *got = json_object_get(rec, f->name);
					if (rec == NULL || strcmp(json_string_value(got) ?: "",
					    date_forms[k].iso) != 0)
						fail_msg("%s: record '%s': %s", ent->name, date_forms[k].in,
						    e.msg);
				} else {
					const char *m = json_string_value(json_object_get(e.fields,
					    f->name));
					if (rec != NULL || m == NULL || strstr(m, date_forms[k].says) == NULL)
						fail_msg("%s.%s: record '%s': %s", ent->name, f->name,
						    date_forms[k].in, m ? m : e.msg);
				}
				json_decref(rec);
				json_decref(obj);
				err_clear(&e);
			}
		}
	}
	/* meetings, agreements, tasks, units, ...: dozens of them */
	assert_true(fields >= 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_ref_to_existing_record),
		cmocka_unit_test(test_structured_text),
		cmocka_unit_test(test_every_date_field),
	};
	return cmocka_run_group_tests_name("validate", tests, tu_setup_units, tu_teardown);
}
