/* test_store.c - migrations, generic records, lists and search, and the
 * administrative-unit queries on dates and the 2025 lineage. */
#include "testutil.h"

#include "domain/records.h"

static const struct actor tester = { .name = "test" };

static void
test_migrations_twice_change_nothing(void **state)
{
	char path[300], url[320];
	struct err e = { 0 };
	struct store *s = tu_store(0, path, sizeof(path));
	json_t *before, *after, *cols1, *cols2;
	int applied = -1;

	(void)state;
	before = store_migrations_applied(s, &e);
	cols1 = store_table_columns(s, "agreement", &e);
	store_close(s);
	tu_store_url(path, url, sizeof(url));
	assert_int_equal(store_open(url, &s, &e), 0);
	assert_int_equal(store_migrate(s, &applied, &e), 0);
	assert_int_equal(applied, 0);
	after = store_migrations_applied(s, &e);
	cols2 = store_table_columns(s, "agreement", &e);
	assert_true(json_array_size(before) >= 3);
	assert_true(json_equal(before, after));
	assert_true(json_equal(cols1, cols2));
	json_decref(before);
	json_decref(after);
	json_decref(cols1);
	json_decref(cols2);
	store_close(s);
}

static json_t *
create(struct store *s, const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;

	if (records_create(s, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("create %s: %s %s", entity, e.msg,
		    e.fields ? json_dumps(e.fields, 0) : "");
	json_decref(in);
	return out;
}

static void
test_crud_versions_and_audit(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	const struct entity_def *person = registry_find("person");
	struct err e = { 0 };
	json_t *p, *upd, *out = NULL;
	int64_t id, n0, n1;

	(void)state;
	assert_int_equal(store_count(s, registry_find("audit_log"), &n0, &e), 0);
	p = create(s, "person", json_pack("{s:s}", "full_name", "Nông Thị Hà"));
	id = json_integer_value(json_object_get(p, "id"));
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);

	upd = json_pack("{s:s}", "note", "Trưởng đoàn giám sát");
	assert_int_equal(records_update(s, person, id, upd, 1, &tester, 0, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(out, "full_name")),
	    "Nông Thị Hà");
	json_decref(out);

	/* a second office still holding version 1 is refused, nothing written */
	assert_int_equal(records_update(s, person, id, upd, 1, &tester, 0, &out, &e), -1);
	assert_int_equal(e.code, ERR_STALE);
	err_clear(&e);
	json_decref(upd);

	assert_int_equal(store_count(s, registry_find("audit_log"), &n1, &e), 0);
	assert_int_equal(n1, n0 + 2);

	assert_int_equal(records_delete(s, person, id, 0, &tester, &e), 0);
	assert_null(store_get(s, person, id, &e));
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
	json_decref(p);
	store_close(s);
}

static void
test_delete_referenced_is_conflict(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct err e = { 0 };
	json_t *org, *doc;
	int64_t oid;

	(void)state;
	org = create(s, "organisation", json_pack("{s:s, s:s}", "name",
	    "UBND tỉnh Sơn La", "kind", "peoples_committee"));
	oid = json_integer_value(json_object_get(org, "id"));
	doc = create(s, "document", json_pack("{s:s, s:s, s:I, s:s}", "kind", "QD",
	    "number_symbol", "2523/QĐ-UBND", "issuer_id", (json_int_t)oid,
	    "title", "Phân công giúp đỡ xã đặc biệt khó khăn"));
	assert_int_equal(records_delete(s, registry_find("organisation"), oid, 0,
	    &tester, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	err_clear(&e);
	assert_true(store_exists(s, registry_find("organisation"), oid));
	json_decref(org);
	json_decref(doc);
	store_close(s);
}

static int64_t
list_total(struct store *s, const char *entity, struct list_query *q)
{
	struct err e = { 0 };
	json_t *rows;
	int64_t total = -1;

	if (store_list(s, registry_find(entity), q, &rows, &total, &e) != 0)
		fail_msg("list: %s", e.msg);
	json_decref(rows);
	return total;
}

static void
test_search_ignores_diacritics_and_case(void **state)
{
	struct store *s = *state;
	struct list_query q;
	struct err e = { 0 };
	json_t *rows;
	static const struct { const char *q; int64_t min; } cases[] = {
		{ "xin man", 1 }, { "XÍN MẦN", 1 }, { "ban may", 1 },
		{ "dong van", 1 }, { "Đồng Văn", 1 }, { "zzzz", 0 },
		{ "100%", 0 }, { "_", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&q, 0, sizeof(q));
		q.search = cases[i].q;
		if (cases[i].min == 0)
			assert_int_equal(list_total(s, "admin_unit", &q), 0);
		else
			assert_true(list_total(s, "admin_unit", &q) >= cases[i].min);
	}
	memset(&q, 0, sizeof(q));
	q.search = "huyen xin man";
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &rows, NULL, &e), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "name")), "Huyện Xín Mần");
	json_decref(rows);
}

/* Foreign units and organisations keep other spellings that search finds:
 * Sê Kông / Sekong / Xê Kông. */
static void
test_search_finds_alternative_spellings(void **state)
{
	struct store *s = *state;
	const struct actor who = { .name = "test" };
	struct list_query q;
	struct err e = { 0 };
	json_t *in, *rows;
	static const char *const queries[] = { "se kong", "sekong", "XÊ KÔNG" };
	size_t i;

	in = json_pack("{s:s, s:s, s:s, s:s}", "name_vi", "Tỉnh Sê Kông", "aliases",
	    "Sekong; Xê Kông", "country", "LA", "type", "khoueng");
	assert_int_equal(records_create(s, registry_find("foreign_unit"), in, &who, 0,
	    NULL, &e), 0);
	json_decref(in);
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		memset(&q, 0, sizeof(q));
		q.search = queries[i];
		assert_int_equal(store_list(s, registry_find("foreign_unit"), &q, &rows,
		    NULL, &e), 0);
		if (json_array_size(rows) != 1)
			fail_msg("'%s' found %zu", queries[i], json_array_size(rows));
		json_decref(rows);
	}
}

static void
test_list_filters_sort_paging(void **state)
{
	struct store *s = *state;
	struct list_query q;
	struct err e = { 0 };
	json_t *rows, *lvl = json_integer(1), *from = json_string("2025-07-01");
	int64_t total;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ "level", OP_EQ, lvl };
	q.filters[1] = (struct list_filter){ "valid_from", OP_EQ, from };
	q.nfilters = 2;
	q.sort = "code";
	q.desc = true;
	q.limit = 10;
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &rows, &total, &e), 0);
	assert_int_equal(total, 34);
	assert_int_equal(json_array_size(rows), 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "code")), "96");
	json_decref(rows);

	q.offset = 30;
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &rows, &total, &e), 0);
	assert_int_equal(json_array_size(rows), 4);
	json_decref(rows);

	/* sort keys and filter fields are checked against the registry */
	q.sort = "code; DROP TABLE admin_unit";
	assert_int_equal(store_list(s, registry_find("admin_unit"), &q, &rows, &total, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	q.sort = NULL;
	q.filters[0].field = "password_hash";
	assert_int_equal(store_list(s, registry_find("app_user"), &q, &rows, &total, &e), -1);
	err_clear(&e);
	json_decref(lvl);
	json_decref(from);
}

/* Text sorts the Vietnamese way on both engines: "Đ" after "D", "Ủy"
 * among the U's (not after "V"), tones after their bare vowel, case
 * aside; descending is the exact reverse. */
static void
test_sort_is_vietnamese(void **state)
{
	static const char *const sorted[] = { "ban Chỉ huy", "Bản Mế", "Dân quân",
		"Đảng ủy xã", "Uông Bí", "Ủy ban nhân dân", "Ưng Hòa", "Văn phòng",
		"Xín Mần" };
	const size_t n = sizeof(sorted) / sizeof(sorted[0]);
	const struct entity_def *people = registry_find("person");
	struct store *s = *state;
	struct list_query q;
	struct err e = { 0 };
	json_t *rows, *in;
	int64_t id;
	size_t i;

	/* inserted in an order that is neither the answer nor its reverse */
	for (i = 0; i < n; i++) {
		in = json_pack("{s:s}", "full_name", sorted[(i * 4) % n]);
		assert_int_equal(store_insert(s, people, in, &id, &e), 0);
		json_decref(in);
	}
	memset(&q, 0, sizeof(q));
	q.sort = "full_name";
	q.limit = 100;
	assert_int_equal(store_list(s, people, &q, &rows, NULL, &e), 0);
	assert_int_equal(json_array_size(rows), n);
	for (i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, i),
		    "full_name")), sorted[i]);
	json_decref(rows);
	q.desc = true;
	assert_int_equal(store_list(s, people, &q, &rows, NULL, &e), 0);
	for (i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, i),
		    "full_name")), sorted[n - 1 - i]);
	json_decref(rows);
}

static const char *
name_of(const json_t *rows, size_t i)
{
	return json_string_value(json_object_get(json_array_get(rows, i), "name"));
}

static bool
has_name(const json_t *rows, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(rows); i++)
		if (strcmp(name_of(rows, i), name) == 0)
			return true;
	return false;
}

static void
test_units_on_dates_and_lineage(void **state)
{
	struct store *s = *state;
	struct err e = { 0 };
	json_t *rows;
	int64_t id, id2;

	/* 63 provinces before the reorganisation, 34 after */
	rows = store_units_on_date(s, "2024-01-01", 1, 0, &e);
	assert_int_equal(json_array_size(rows), 63);
	json_decref(rows);
	rows = store_units_on_date(s, "2025-07-01", 1, 0, &e);
	assert_int_equal(json_array_size(rows), 34);
	json_decref(rows);

	/* code 15 is Yên Bái before and Lào Cai after */
	assert_int_equal(store_unit_by_code(s, "15", "2025-06-30", &id, &e), 0);
	rows = store_unit_ancestors(s, id, &e);
	assert_string_equal(name_of(rows, 0), "Tỉnh Yên Bái");
	json_decref(rows);
	assert_int_equal(store_unit_by_code(s, "15", "2025-07-01", &id2, &e), 0);
	assert_true(id != id2);
	rows = store_unit_ancestors(s, id2, &e);
	assert_string_equal(name_of(rows, 0), "Tỉnh Lào Cai");
	json_decref(rows);
	assert_int_equal(store_unit_by_code(s, "084", "2025-07-01", &id, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);

	/* Huyện Si Ma Cai's 10 communes went into 3 new communes */
	assert_int_equal(store_unit_by_code(s, "084", "2024-01-01", &id, &e), 0);
	rows = store_unit_children(s, id, &e);
	assert_int_equal(json_array_size(rows), 10);
	json_decref(rows);
	rows = store_unit_successors(s, id, &e);
	assert_int_equal(json_array_size(rows), 3);
	json_decref(rows);

	/* the new Bản Máy came from Bản Máy, Bản Phùng and Chiến Phố */
	assert_int_equal(store_unit_by_code(s, "01024", "2025-07-01", &id, &e), 0);
	rows = store_unit_predecessors(s, id, &e);
	assert_int_equal(json_array_size(rows), 3);
	assert_true(has_name(rows, "Xã Bản Máy"));
	assert_true(has_name(rows, "Xã Bản Phùng"));
	assert_true(has_name(rows, "Xã Chiến Phố"));
	json_decref(rows);
	rows = store_unit_ancestors(s, id, &e);
	assert_string_equal(name_of(rows, 0), "Tỉnh Tuyên Quang");
	json_decref(rows);

	/* the old Hà Giang province went into the new Tuyên Quang */
	assert_int_equal(store_unit_by_code(s, "02", "2024-01-01", &id, &e), 0);
	rows = store_unit_successors(s, id, &e);
	assert_true(has_name(rows, "Tỉnh Tuyên Quang"));
	json_decref(rows);
}

static void
test_transactions_nest_as_savepoints(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	const struct entity_def *person = registry_find("person");
	struct err e = { 0 };
	int64_t n;

	(void)state;
	assert_int_equal(store_begin(s, &e), 0);
	json_decref(create(s, "person", json_pack("{s:s}", "full_name", "A")));
	assert_int_equal(store_begin(s, &e), 0);
	json_decref(create(s, "person", json_pack("{s:s}", "full_name", "B")));
	store_rollback(s); /* undoes B only */
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(store_count(s, person, &n, &e), 0);
	assert_int_equal(n, 1);

	assert_int_equal(store_begin(s, &e), 0);
	json_decref(create(s, "person", json_pack("{s:s}", "full_name", "C")));
	store_rollback(s); /* the outer rollback undoes everything */
	assert_int_equal(store_count(s, person, &n, &e), 0);
	assert_int_equal(n, 1);
	store_close(s);
}

/* store_pg_url: our pool_mode parameter leaves the URL libpq sees, in any
 * place among the others; nothing else changes. */
static void
test_pg_url_drops_pool_mode(void **state)
{
	static const struct {
		const char *in, *out;
		bool pooled;
	} cases[] = {
		{ "postgresql:///db", "postgresql:///db", false },
		{ "postgresql:///db?host=/tmp/x&user=u", "postgresql:///db?host=/tmp/x&user=u", false },
		{ "postgresql:///db?pool_mode=transaction", "postgresql:///db", true },
		{ "postgresql:///db?host=/s&pool_mode=transaction&user=u",
		  "postgresql:///db?host=/s&user=u", true },
		{ "postgresql:///db?pool_mode=transaction&host=/s", "postgresql:///db?host=/s", true },
		{ "postgresql:///db?host=/s&pool_mode=session", "postgresql:///db?host=/s", false },
		{ "postgres://h:6432/db?sslmode=disable&pool_mode=transaction",
		  "postgres://h:6432/db?sslmode=disable", true },
		/* not ours: kept for libpq to judge */
		{ "postgresql:///db?pool_mode=statement", "postgresql:///db?pool_mode=statement", false },
		{ "postgresql:///db?xpool_mode=transaction", "postgresql:///db?xpool_mode=transaction", false },
	};
	char out[256], tiny[8];
	bool pooled;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(store_pg_url(cases[i].in, out, sizeof(out), &pooled), 0);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(pooled, cases[i].pooled);
	}
	assert_int_equal(store_pg_url("postgresql:///db", tiny, sizeof(tiny), &pooled), -1);
}

/* The replication positions: SQLite has none ("not applicable"); a
 * PostgreSQL primary is not a standby and its WAL position moves on with
 * a write. */
static void
test_replication_positions(void **state)
{
	struct store *s = tu_store(0, NULL, 0);
	struct store_replica_status st;
	struct err e = { 0 };
	uint64_t before, after;

	(void)state;
	if (strcmp(store_engine(s), "sqlite") == 0) {
		assert_int_equal(store_wal_position(s, &before, &e), 1);
		assert_true(before == 0);
		assert_int_equal(store_replica_status(s, &st, &e), 1);
	} else {
		assert_int_equal(store_wal_position(s, &before, &e), 0);
		assert_true(before > 0);
		json_decref(create(s, "person", json_pack("{s:s}", "full_name", "Vị trí")));
		assert_int_equal(store_wal_position(s, &after, &e), 0);
		assert_true(after > before);
		assert_int_equal(store_replica_status(s, &st, &e), 0);
		assert_false(st.standby);
		assert_true(st.lag_s == 0);
	}
	store_close(s);
}

/* A user's digest of a day is claimed once, whoever asks; given back, it
 * can be claimed again (store_digest_claim, domain/remind.h). */
static void
test_digest_claimed_once_per_user_and_day(void **state)
{
	struct store *s = *state;
	struct actor sys = { .name = "test" };
	const struct entity_def *users = registry_find("app_user");
	json_t *in = json_pack("{s:s}", "login", "digest_claims"), *out = NULL;
	struct err e = { 0 };
	int64_t id;

	assert_int_equal(records_create(s, users, in, &sys, R_SYSTEM, &out, &e), 0);
	id = json_integer_value(json_object_get(out, "id"));
	assert_int_equal(store_digest_claim(s, id, "2025-03-10", 4, &e), 1);
	assert_int_equal(store_digest_claim(s, id, "2025-03-10", 4, &e), 0);
	assert_int_equal(store_digest_claim(s, id, "2025-03-11", 4, &e), 1);
	assert_int_equal(store_digest_release(s, id, "2025-03-10", &e), 0);
	assert_int_equal(store_digest_claim(s, id, "2025-03-10", 2, &e), 1);
	assert_int_equal(store_digest_claim(s, id, "2025-03-10", 2, &e), 0);
	assert_int_equal(e.code, ERR_NONE);
	json_decref(in);
	json_decref(out);
}

/* OP_WITHIN: a reference within a unit's subtree - a unit field
 * directly, or through an organisation's unit - the 2025 lineage
 * included; and the units records are kept against (store_units_in_use). */
static int64_t
made(struct store *s, const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(s, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("%s: %s", entity, e.msg);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static bool
listed(struct store *s, const char *entity, const char *field, int64_t unit, int64_t id)
{
	struct list_query q;
	struct err e = { 0 };
	json_t *rows, *row, *u = json_integer(unit);
	size_t i;
	bool found = false;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field, OP_WITHIN, u };
	q.nfilters = 1;
	q.limit = LIST_LIMIT_MAX;
	if (store_list(s, registry_find(entity), &q, &rows, NULL, &e) != 0)
		fail_msg("%s within: %s", entity, e.msg);
	json_array_foreach(rows, i, row)
		found = found || json_integer_value(json_object_get(row, "id")) == id;
	json_decref(rows);
	json_decref(u);
	return found;
}

static void
test_within_a_units_subtree(void **state)
{
	struct store *s = *state;
	struct err e = { 0 };
	struct list_query q;
	json_t *rows, *u;
	int64_t smc, commune, xinman, old_laocai, new_laocai, m_in, m_out, org, rec;
	size_t i;

	assert_int_equal(store_unit_by_code(s, "084", NULL, &smc, &e), 0);
	assert_int_equal(store_unit_by_code(s, "02800", "2024-01-01", &commune, &e), 0);
	assert_int_equal(store_unit_by_code(s, "033", NULL, &xinman, &e), 0);
	assert_int_equal(store_unit_by_code(s, "10", "2024-01-01", &old_laocai, &e), 0);
	assert_int_equal(store_unit_by_code(s, "15", "2025-07-01", &new_laocai, &e), 0);
	m_in = made(s, "meeting", json_pack("{s:s, s:s, s:s, s:I}", "kind", "review_conference",
	    "title", "Hội nghị ở xã Nàn Sán", "held_on", "2024-05-01", "unit_id",
	    (json_int_t)commune));
	m_out = made(s, "meeting", json_pack("{s:s, s:s, s:s, s:I}", "kind", "review_conference",
	    "title", "Hội nghị ở Xín Mần", "held_on", "2024-05-02", "unit_id",
	    (json_int_t)xinman));
	/* the commune itself, its district, its old province, its new one */
	assert_true(listed(s, "meeting", "unit_id", commune, m_in));
	assert_true(listed(s, "meeting", "unit_id", smc, m_in));
	assert_true(listed(s, "meeting", "unit_id", old_laocai, m_in));
	assert_true(listed(s, "meeting", "unit_id", new_laocai, m_in));
	assert_false(listed(s, "meeting", "unit_id", smc, m_out));
	assert_false(listed(s, "meeting", "unit_id", new_laocai, m_out));
	/* through an organisation's unit */
	org = made(s, "organisation", json_pack("{s:s, s:s, s:I}", "name",
	    "Ủy ban nhân dân xã Nàn Sán", "kind", "peoples_committee", "unit_id",
	    (json_int_t)commune));
	rec = made(s, "recommendation", json_pack("{s:s, s:I, s:s, s:s}", "title",
	    "Kiến nghị thử", "from_org_id", (json_int_t)org, "raised_on", "2024-05-03",
	    "status", "submitted"));
	assert_true(listed(s, "recommendation", "from_org_id", smc, rec));
	assert_false(listed(s, "recommendation", "from_org_id", xinman, rec));
	/* a field with no unit behind it is refused, as is a value no id */
	memset(&q, 0, sizeof(q));
	u = json_integer(smc);
	q.filters[0] = (struct list_filter){ "kind", OP_WITHIN, u };
	q.nfilters = 1;
	assert_int_equal(store_list(s, registry_find("meeting"), &q, &rows, NULL, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	json_decref(u);

	/* the units in use: the commune and the units above it, provinces
	 * first, then by name; not Xín Mần's province's other districts */
	rows = store_units_in_use(s, 2, &e);
	assert_non_null(rows);
	{
		bool have_smc = false, have_prov = false, have_commune = false;
		int64_t last_level = 0;
		json_array_foreach(rows, i, u) {
			int64_t id = json_integer_value(json_object_get(u, "id"));
			int64_t level = json_integer_value(json_object_get(u, "level"));
			assert_true(level >= last_level && level <= 2);
			last_level = level;
			have_smc = have_smc || id == smc;
			have_prov = have_prov || id == old_laocai;
			have_commune = have_commune || id == commune;
		}
		assert_true(have_smc && have_prov && !have_commune);
	}
	json_decref(rows);
	(void)m_out;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_twice_change_nothing),
		cmocka_unit_test(test_crud_versions_and_audit),
		cmocka_unit_test(test_delete_referenced_is_conflict),
		cmocka_unit_test(test_search_ignores_diacritics_and_case),
		cmocka_unit_test(test_search_finds_alternative_spellings),
		cmocka_unit_test(test_list_filters_sort_paging),
		cmocka_unit_test(test_sort_is_vietnamese),
		cmocka_unit_test(test_units_on_dates_and_lineage),
		cmocka_unit_test(test_transactions_nest_as_savepoints),
		cmocka_unit_test(test_pg_url_drops_pool_mode),
		cmocka_unit_test(test_replication_positions),
		cmocka_unit_test(test_digest_claimed_once_per_user_and_day),
		cmocka_unit_test(test_within_a_units_subtree),
	};
	return cmocka_run_group_tests_name("store", tests, tu_setup_units, tu_teardown);
}
