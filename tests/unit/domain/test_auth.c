/* test_auth.c - who may write what (issue 13): the write rule of every
 * entity of the registry, judged on sample records of every entity in two
 * districts of two provinces and on records that belong to no unit; the
 * table of docs/SECURITY.md against the registry; references to records
 * hidden from a writer without clearance answered as missing ones. */
#include "testutil.h"

#include <ctype.h>

#include "domain/auth.h"
#include "domain/records.h"
#include "domain/validate.h"
#include "web/web.h"

/* Si Ma Cai (Lào Cai) and Xín Mần (Hà Giang): pre-2025 district codes */
#define UNIT_A "084"
#define UNIT_B "033"

enum who { W_ADMIN, W_NATIONAL, W_A, W_B, W_VIEWER, W_COUNT };
static const char *const who_names[W_COUNT] = {
	"admin", "national editor", "editor of A", "editor of B", "viewer"
};

/* one sample record per entity and set: in A (made by the editor of A),
 * in B (by the editor of B), and in no unit (by the system) */
enum set { S_A, S_B, S_NONE, S_COUNT };

struct fixture {
	struct store *s;
	struct user users[W_COUNT];
	int64_t unit[2];
	int64_t sample[S_COUNT][64]; /* by registry index; 0 = none */
};

static size_t
index_of(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; i < registry_count; i++)
		if (registry[i] == ent)
			return i;
	fail_msg("%s is not in the registry", ent->name);
	return 0;
}

/* ---- the declarations ------------------------------------------------------- */

static bool
has_field(const struct entity_def *ent, unsigned flag)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].type == FT_REF && (ent->fields[i].flags & flag))
			return true;
	return false;
}

/* Every entity names a rule, and the rule fits the entity: a new entity
 * without one fails here. */
static void
test_every_entity_declares_a_write_rule(void **state)
{
	size_t i;

	(void)state;
	assert_true(registry_count <= 64);
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		if (ent->write == WR_NONE || write_rule_name(ent->write) == NULL)
			fail_msg("%s declares no write rule (schema.c, ENTITY)", ent->name);
		if (((ent->flags & E_READONLY) != 0) != (ent->write == WR_SYSTEM))
			fail_msg("%s: E_READONLY and WR_SYSTEM go together", ent->name);
		if (((ent->flags & E_REFERENCE) != 0) != (ent->write == WR_REFERENCE))
			fail_msg("%s: E_REFERENCE and WR_REFERENCE go together", ent->name);
		if ((ent->flags & E_ADMIN) && ent->write != WR_ADMIN &&
		    ent->write != WR_SYSTEM)
			fail_msg("%s: an admin-only entity is written by admins", ent->name);
		if (ent->write == WR_SCOPE && !has_field(ent, F_SCOPE))
			fail_msg("%s: WR_SCOPE without an F_SCOPE reference", ent->name);
		if (ent->write == WR_OWNER && !has_field(ent, F_OWNER) &&
		    entity_field(ent, "owner_entity") == NULL)
			fail_msg("%s: WR_OWNER without an owner", ent->name);
		if (ent->write == WR_ORG && (entity_field(ent, "unit_id") == NULL ||
		    entity_field(ent, "parent_id") == NULL))
			fail_msg("%s: WR_ORG needs unit_id and parent_id", ent->name);
	}
}

/* docs/SECURITY.md has one table row "| `entity` | rule | …" per entity,
 * with the rule of the registry: the documentation cannot drift. */
static void
test_security_md_lists_every_rule(void **state)
{
	char path[400], line[2048], name[128], rule[64];
	bool seen[64] = { false };
	FILE *f;
	size_t i, rows = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/SECURITY.md", tu_srcdir());
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const struct entity_def *ent;
		char *p = line, *q;
		if (strncmp(p, "| `", 3) != 0)
			continue;
		p += 3;
		if ((q = strchr(p, '`')) == NULL || (size_t)(q - p) >= sizeof(name))
			continue;
		memcpy(name, p, (size_t)(q - p));
		name[q - p] = '\0';
		if ((ent = registry_find(name)) == NULL)
			continue; /* another table of the page */
		p = q + 1;
		while (*p == ' ' || *p == '|')
			p++;
		for (i = 0; i + 1 < sizeof(rule) && (isalpha((unsigned char)p[i]) ||
		    p[i] == '_'); i++)
			rule[i] = p[i];
		rule[i] = '\0';
		if (seen[index_of(ent)])
			fail_msg("docs/SECURITY.md lists %s twice", name);
		seen[index_of(ent)] = true;
		if (strcmp(rule, write_rule_name(ent->write)) != 0)
			fail_msg("docs/SECURITY.md: %s is '%s', the registry says '%s'",
			    name, rule, write_rule_name(ent->write));
		rows++;
	}
	fclose(f);
	for (i = 0; i < registry_count; i++)
		if (!seen[i])
			fail_msg("docs/SECURITY.md does not list the write rule of %s",
			    registry[i]->name);
	assert_int_equal(rows, registry_count);
}

/* ---- sample records ------------------------------------------------------------ */

static json_t *
first_code(struct store *s, const char *catalog)
{
	struct list_query q;
	json_t *rows, *v = json_string(catalog), *code;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ "catalog", OP_EQ, v };
	q.nfilters = 1;
	q.limit = 1;
	assert_int_equal(store_list(s, registry_find("catalog_item"), &q, &rows,
	    NULL, NULL), 0);
	json_decref(v);
	if (json_array_size(rows) == 0)
		fail_msg("catalog %s is empty", catalog);
	code = json_incref(json_object_get(json_array_get(rows, 0), "code"));
	json_decref(rows);
	return code;
}

/* A valid value of any field; references to the samples of the same set. */
static json_t *
sample_value(struct fixture *fx, enum set set, const struct entity_def *ent,
    const struct field_def *f)
{
	char code[64], label[200];

	switch (f->type) {
	case FT_INTEGER:
		return json_integer(f->min < f->max ? (json_int_t)f->min : 1);
	case FT_DECIMAL:
		return json_real(f->min < f->max ? f->min : 1);
	case FT_DATE:
		return json_string("2024-01-01");
	case FT_ENUM:
		assert_int_equal(enum_choice(f, 0, code, sizeof(code), label,
		    sizeof(label)), 0);
		return json_string(code);
	case FT_CATALOG:
		return first_code(fx->s, f->arg);
	case FT_BOOLEAN:
		return json_false();
	case FT_REF:
		/* in no unit: no unit, and no creator */
		if (set == S_NONE && (strcmp(f->arg, "admin_unit") == 0 ||
		    strcmp(f->arg, "app_user") == 0) && write_rule_field(ent, f))
			return json_null();
		if (strcmp(f->arg, "admin_unit") == 0)
			return json_integer(fx->unit[set == S_B]);
		if (strcmp(f->arg, "app_user") == 0)
			return json_integer(fx->users[set == S_B ? W_B : W_A].id);
		if (fx->sample[set][index_of(registry_find(f->arg))] == 0)
			return json_null();
		return json_integer(fx->sample[set][index_of(registry_find(f->arg))]);
	default:
		if (f->flags & F_REPORT_SCOPE) {
			snprintf(code, sizeof(code), "unit:%lld",
			    (long long)fx->unit[set == S_B]);
			return json_string(code);
		}
		if (f->flags & F_CODE_LIST)
			return first_code(fx->s, f->arg);
		/* text, and any type added later that reads a year; one per set
		 * (unique keys) */
		return json_string(set == S_A ? "2024" : set == S_B ? "2025" : "2023");
	}
}

/* The fields a sample sets: the required ones and those its write rule
 * reads (an organisation's unit, a file's owner). */
static json_t *
sample_record(struct fixture *fx, enum set set, const struct entity_def *ent)
{
	json_t *rec = json_object();
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!(f->flags & F_REQUIRED) && !write_rule_field(ent, f) &&
		    !(f->type == FT_REF && (f->flags & (F_SCOPE | F_OWNER))))
			continue;
		if (strcmp(f->name, "owner_entity") == 0) {
			/* a file of the sample village (it precedes attachments) */
			if (set != S_NONE)
				json_object_set_new(rec, f->name, json_string("village"));
			continue;
		}
		if (strcmp(f->name, "owner_id") == 0) {
			if (set != S_NONE)
				json_object_set_new(rec, f->name, json_integer(
				    fx->sample[set][index_of(registry_find("village"))]));
			continue;
		}
		if (strcmp(f->name, "parent_id") == 0)
			continue; /* an organisation above: none */
		json_object_set_new(rec, f->name, sample_value(fx, set, ent, f));
	}
	return rec;
}

static int
setup(void **state)
{
	static const struct { const char *login, *role, *unit; } users[W_COUNT] = {
		[W_ADMIN] = { "t_admin", "admin", NULL },
		[W_NATIONAL] = { "t_national", "editor", NULL },
		[W_A] = { "t_a", "editor", UNIT_A },
		[W_B] = { "t_b", "editor", UNIT_B },
		[W_VIEWER] = { "t_viewer", "viewer", NULL },
	};
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct err e = { 0 };
	size_t i, k;

	assert_non_null(fx);
	assert_int_equal(auth_init(), 0);
	fx->s = tu_store(1, NULL, 0);
	assert_int_equal(store_unit_by_code(fx->s, UNIT_A, "2024-01-01", &fx->unit[0],
	    &e), 0);
	assert_int_equal(store_unit_by_code(fx->s, UNIT_B, "2024-01-01", &fx->unit[1],
	    &e), 0);
	for (i = 0; i < W_COUNT; i++) {
		if (auth_user_add(fx->s, users[i].login, users[i].login, "mat-khau-thu",
		    users[i].role, users[i].unit, 0, false, &e) != 0 ||
		    auth_user_by_login(fx->s, users[i].login, &fx->users[i], &e) != 0)
			fail_msg("user %s: %s", users[i].login, e.msg);
	}
	/* every entity in registry order, so that references find their target */
	for (k = 0; k < S_COUNT; k++) {
		const struct user *maker = k == S_A ? &fx->users[W_A] :
		    k == S_B ? &fx->users[W_B] : NULL;
		struct actor who = { maker ? maker->id : 0, maker ? maker->login : "test",
			NULL, NULL, true, true, true };
		for (i = 0; i < registry_count; i++) {
			const struct entity_def *ent = registry[i];
			json_t *rec = sample_record(fx, (enum set)k, ent), *out = NULL;
			if (records_create(fx->s, ent, rec, &who, R_SYSTEM, &out, &e) != 0) {
				/* a record that needs a unit has no sample in no unit */
				if (k != S_NONE)
					fail_msg("sample %s: %s (%s)", ent->name, e.msg,
					    e.fields ? json_dumps(e.fields, 0) : "");
				err_clear(&e);
			} else {
				fx->sample[k][i] = json_integer_value(json_object_get(out, "id"));
			}
			json_decref(rec);
			json_decref(out);
		}
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->s);
	free(fx);
	return 0;
}

/* ---- the rules -------------------------------------------------------------------- */

/* What the rule of ent allows user w on the sample of a set. */
static bool
expected(const struct entity_def *ent, enum who w, enum set set)
{
	switch (ent->write) {
	case WR_NONE:
	case WR_SYSTEM:
		return false;
	case WR_ADMIN:
	case WR_REFERENCE:
		return w == W_ADMIN;
	default:
		if (w == W_ADMIN || w == W_NATIONAL)
			return true;
		return (w == W_A && set == S_A) || (w == W_B && set == S_B);
	}
}

/* Every entity x {admin, national editor, editor of A, editor of B,
 * viewer} x {record of A, of B, of no unit}: the rule's answer, on the
 * record as it is (update, delete) and at the entity level (create). */
static void
test_write_rules_over_every_entity(void **state)
{
	struct fixture *fx = *state;
	size_t i, w, k, checked = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		for (w = 0; w < W_COUNT; w++) {
			const struct user *u = &fx->users[w];
			bool level = auth_can_write_entity(u, ent, NULL);
			bool want_level = w == W_VIEWER ? false :
			    ent->write == WR_SYSTEM || ent->write == WR_NONE ? false :
			    ent->write == WR_ADMIN || ent->write == WR_REFERENCE ?
			    w == W_ADMIN : true;
			if (level != want_level)
				fail_msg("%s, %s: entity level %d, want %d", ent->name,
				    who_names[w], level, want_level);
			for (k = 0; k < S_COUNT; k++) {
				struct err e = { 0 };
				json_t *rec;
				bool got, want;
				if (fx->sample[k][i] == 0)
					continue;
				rec = store_get(fx->s, ent, fx->sample[k][i], NULL);
				assert_non_null(rec);
				got = auth_can_write(fx->s, u, ent, rec, &e);
				want = expected(ent, (enum who)w, (enum set)k);
				if (got != want)
					fail_msg("%s (%s) of %s, %s: %s, want %s (%s)", ent->name,
					    write_rule_name(ent->write), k == S_A ? "A" :
					    k == S_B ? "B" : "no unit", who_names[w],
					    got ? "allowed" : "refused", want ? "allowed" :
					    "refused", e.msg);
				if (!got && e.code != ERR_FORBIDDEN)
					fail_msg("%s: a refusal is 403, got %d", ent->name, e.code);
				err_clear(&e);
				json_decref(rec);
				checked++;
			}
		}
	}
	assert_true(checked >= registry_count * W_COUNT * 2);
}

/* The record's scope fields (those its rule reads) as in set `set`. */
static json_t *
scope_of(struct fixture *fx, const struct entity_def *ent, enum set set)
{
	json_t *in = json_object();
	size_t j;

	for (j = 0; j < ent->nfields; j++)
		if (ent->fields[j].type == FT_REF && write_rule_field(ent, &ent->fields[j]))
			json_object_set_new(in, ent->fields[j].name,
			    sample_value(fx, set, ent, &ent->fields[j]));
	return in;
}

/* Moving a record: the editor of A may not move its record into B, nor B's
 * into A (records_update asks about the record before and after). */
static void
test_moving_a_record_is_refused_both_ways(void **state)
{
	struct fixture *fx = *state;
	struct actor a = { fx->users[W_A].id, "t_a", api_may_write, &fx->users[W_A],
		false, false, false };
	struct err e = { 0 };
	size_t i, n = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *in;
		if (ent->write != WR_SCOPE && ent->write != WR_ORG && ent->write != WR_OWNER)
			continue;
		in = scope_of(fx, ent, S_B);
		if (json_object_size(in) == 0) {
			json_decref(in);
			continue;
		}
		if (records_update(fx->s, ent, fx->sample[S_A][i], in, 0, &a, 0, NULL,
		    &e) == 0 || e.code != ERR_FORBIDDEN)
			fail_msg("%s: A moved its record into B (%s)", ent->name, e.msg);
		err_clear(&e);
		json_decref(in);
		in = scope_of(fx, ent, S_A);
		if (records_update(fx->s, ent, fx->sample[S_B][i], in, 0, &a, 0, NULL,
		    &e) == 0 || e.code != ERR_FORBIDDEN)
			fail_msg("%s: A moved B's record into A (%s)", ent->name, e.msg);
		err_clear(&e);
		json_decref(in);
		n++;
	}
	assert_true(n >= 20);
}

/* A writer who may not write an entity hears 403 before its input is
 * judged; an editor naming another unit in a bad body hears 403 too. */
static void
test_authorization_comes_before_validation(void **state)
{
	struct fixture *fx = *state;
	struct actor viewer = { fx->users[W_VIEWER].id, "t_viewer", api_may_write,
		&fx->users[W_VIEWER], false, false, false };
	struct actor a = { fx->users[W_A].id, "t_a", api_may_write, &fx->users[W_A],
		false, false, false };
	json_t *garbage = json_pack("{s:s}", "no_such_field", "x");
	struct err e = { 0 };
	size_t i;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		assert_int_not_equal(records_create(fx->s, ent, garbage, &viewer, 0, NULL,
		    &e), 0);
		if (e.code != ERR_FORBIDDEN)
			fail_msg("%s: a viewer's bad body got %d (%s)", ent->name, e.code,
			    e.msg);
		err_clear(&e);
	}
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *in;
		size_t j;
		bool named = false;
		if (ent->write != WR_SCOPE && ent->write != WR_OWNER)
			continue;
		/* the record of B's scope fields, and a field that is bad */
		in = json_pack("{s:s}", "no_such_field", "x");
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			if (write_rule_field(ent, f) && f->type == FT_REF) {
				json_t *v = sample_value(fx, S_B, ent, f);
				named = named || !json_is_null(v);
				json_object_set_new(in, f->name, v);
			}
		}
		if (named) {
			assert_int_not_equal(records_create(fx->s, ent, in, &a, 0, NULL, &e), 0);
			if (e.code != ERR_FORBIDDEN)
				fail_msg("%s: a bad body for B got %d (%s)", ent->name, e.code,
				    e.msg);
			err_clear(&e);
		}
		json_decref(in);
	}
	json_decref(garbage);
}

/* ---- confidential records as references ------------------------------------------------ */

/* The message with every run of digits replaced by '#'. */
static void
without_numbers(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++) {
		if (isdigit((unsigned char)*in)) {
			if (n == 0 || out[n - 1] != '#')
				out[n++] = '#';
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

static void
test_hidden_reference_is_answered_as_missing(void **state)
{
	struct fixture *fx = *state;
	const struct entity_def *inc = registry_find("incident");
	const struct entity_def *share = registry_find("incident_share");
	struct err e1 = { 0 }, e2 = { 0 };
	json_t *rec, *out = NULL, *in;
	char m1[ERR_MSG_MAX], m2[ERR_MSG_MAX];
	int64_t secret;

	rec = store_get(fx->s, inc, fx->sample[S_A][index_of(inc)], NULL);
	json_object_del(rec, "id");
	json_object_del(rec, "version");
	json_object_del(rec, "created_at");
	json_object_del(rec, "updated_at");
	json_object_set_new(rec, "confidential", json_true());
	assert_int_equal(records_create(fx->s, inc, rec, NULL, 0, &out, &e1), 0);
	secret = json_integer_value(json_object_get(out, "id"));
	json_decref(rec);
	json_decref(out);

	in = json_pack("{s:I, s:s}", "incident_id", (json_int_t)secret, "shared_on",
	    "2024-01-02");
	assert_null(validate_record(fx->s, share, in, V_HIDE_CONFIDENTIAL, &e1));
	json_decref(in);
	in = json_pack("{s:I, s:s}", "incident_id", (json_int_t)(secret + 1000),
	    "shared_on", "2024-01-02");
	assert_null(validate_record(fx->s, share, in, V_HIDE_CONFIDENTIAL, &e2));
	json_decref(in);
	assert_int_equal(e1.code, e2.code);
	assert_non_null(e1.fields);
	assert_non_null(e2.fields);
	without_numbers(json_string_value(json_object_get(e1.fields, "incident_id")),
	    m1, sizeof(m1));
	without_numbers(json_string_value(json_object_get(e2.fields, "incident_id")),
	    m2, sizeof(m2));
	assert_string_equal(m1, m2);
	err_clear(&e1);
	err_clear(&e2);

	/* with clearance it is there */
	in = json_pack("{s:I, s:s}", "incident_id", (json_int_t)secret, "shared_on",
	    "2024-01-02");
	rec = validate_record(fx->s, share, in, 0, &e1);
	assert_non_null(rec);
	json_decref(rec);
	json_decref(in);

	/* a file re-pointed at it: as at a record that does not exist */
	in = json_pack("{s:s, s:I}", "owner_entity", "incident", "owner_id",
	    (json_int_t)secret);
	assert_int_equal(validate_links(fx->s, registry_find("attachment"), in,
	    V_HIDE_CONFIDENTIAL, &e1), -1);
	json_decref(in);
	in = json_pack("{s:s, s:I}", "owner_entity", "incident", "owner_id",
	    (json_int_t)(secret + 1000));
	assert_int_equal(validate_links(fx->s, registry_find("attachment"), in,
	    V_HIDE_CONFIDENTIAL, &e2), -1);
	json_decref(in);
	without_numbers(json_string_value(json_object_get(e1.fields, "owner_id")),
	    m1, sizeof(m1));
	without_numbers(json_string_value(json_object_get(e2.fields, "owner_id")),
	    m2, sizeof(m2));
	assert_string_equal(m1, m2);
	err_clear(&e1);
	err_clear(&e2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entity_declares_a_write_rule),
		cmocka_unit_test(test_security_md_lists_every_rule),
		cmocka_unit_test(test_write_rules_over_every_entity),
		cmocka_unit_test(test_moving_a_record_is_refused_both_ways),
		cmocka_unit_test(test_authorization_comes_before_validation),
		cmocka_unit_test(test_hidden_reference_is_answered_as_missing),
	};
	return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
