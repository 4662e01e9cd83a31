/* test_store_stats.c - the grouped figures of the charts and the places of
 * the map (store_stats.h) over the demo data, with a few records added
 * (border markers, a gate, a confidential incident, an incident placed at
 * its marker):
 *  - one statement per call;
 *  - every tally equals a recount of the records, group by group: the
 *    signings of every program (agreements, and communes helped), the
 *    quantities of every agreement and of every unit that has activities
 *    (its ancestors and the 2025 provinces included: the lineage), the
 *    incidents of the whole country and of those units, the periods of
 *    every target set;
 *  - a reader without clearance never counts nor sees a confidential
 *    incident; with it, they are there;
 *  - every kind of place lists each record once (a twinning: each pair),
 *    with its unit, its own or its marker's coordinates; the cap holds. */
#include <math.h>

#include "testutil.h"

#include "domain/records.h"
#include "schema/record.h"
#include "store/store_report.h"
#include "store/store_stats.h"

#define CELLS_MAX 1024

static const char *const signed_statuses[] = { "signed", "active", "ended" };

/* ---- groups ------------------------------------------------------------- */

struct cell {
	char month[8], k1[80], k2[80];
	int64_t n;
	double sum;
	int from_sql; /* times the statement answered this group */
};

struct cells {
	struct cell c[CELLS_MAX];
	size_t n;
};

static struct cell *
cell_of(struct cells *cs, const char *month, const char *k1, const char *k2)
{
	char m[8];
	size_t i;

	/* a record's date counts by its month */
	snprintf(m, sizeof(m), "%.7s", month ? month : "");
	month = m;
	k1 = k1 ? k1 : "";
	k2 = k2 ? k2 : "";
	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].month, month) == 0 && strcmp(cs->c[i].k1, k1) == 0 &&
		    strcmp(cs->c[i].k2, k2) == 0)
			return &cs->c[i];
	assert_true(cs->n < CELLS_MAX);
	memset(&cs->c[cs->n], 0, sizeof(cs->c[0]));
	snprintf(cs->c[cs->n].month, sizeof(cs->c[0].month), "%.7s", month);
	snprintf(cs->c[cs->n].k1, sizeof(cs->c[0].k1), "%s", k1);
	snprintf(cs->c[cs->n].k2, sizeof(cs->c[0].k2), "%s", k2);
	return &cs->c[cs->n++];
}

static int
collect(void *ctx, const struct store_tally *t)
{
	struct cell *c = cell_of(ctx, t->month, t->k1, t->k2);

	c->from_sql++;
	c->n += t->n;
	c->sum += t->sum;
	return 0;
}

/* The same groups with the same figures; every group answered once. */
static void
assert_same(const struct cells *sql, const struct cells *recount, const char *what)
{
	size_t i, j;

	for (i = 0; i < sql->n; i++)
		if (sql->c[i].from_sql != 1)
			fail_msg("%s: group %s/%s/%s answered %d times", what, sql->c[i].month,
			    sql->c[i].k1, sql->c[i].k2, sql->c[i].from_sql);
	if (sql->n != recount->n)
		fail_msg("%s: %zu groups, the recount has %zu", what, sql->n, recount->n);
	for (i = 0; i < recount->n; i++) {
		const struct cell *r = &recount->c[i];
		for (j = 0; j < sql->n; j++)
			if (strcmp(sql->c[j].month, r->month) == 0 &&
			    strcmp(sql->c[j].k1, r->k1) == 0 && strcmp(sql->c[j].k2, r->k2) == 0)
				break;
		if (j == sql->n)
			fail_msg("%s: group %s/%s/%s missing", what, r->month, r->k1, r->k2);
		if (sql->c[j].n != r->n || fabs(sql->c[j].sum - r->sum) > 1e-9 * (1 + fabs(r->sum)))
			fail_msg("%s: group %s/%s/%s is %lld, %g; the recount %lld, %g", what,
			    r->month, r->k1, r->k2, (long long)sql->c[j].n, sql->c[j].sum,
			    (long long)r->n, r->sum);
	}
}

static int64_t
total_n(const struct cells *cs)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < cs->n; i++)
		n += cs->c[i].n;
	return n;
}

/* ---- records -------------------------------------------------------------- */

static json_t *
all_of(enum entity_id entity, bool clearance)
{
	struct list_query q;
	struct err e = { 0 };
	json_t *rows;

	memset(&q, 0, sizeof(q));
	q.see_confidential = clearance;
	rows = store_list_all(tu_db, entity_of(entity), &q, 100000, &e);
	if (rows == NULL)
		fail_msg("list: %s", e.msg);
	return rows;
}

static int64_t
create(enum entity_id entity, json_t *in)
{
	const struct actor who = { .name = "test" };
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(tu_db, entity_of(entity), in, &who, 0, &out, &e) != 0)
		fail_msg("create %s: %s", entity_of(entity)->name, e.msg);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	json_decref(in);
	return id;
}

static int64_t
unit_id(const char *code, const char *date)
{
	struct err e = { 0 };
	int64_t id;

	if (store_unit_by_code(tu_db, code, date, &id, &e) != 0)
		fail_msg("unit %s: %s", code, e.msg);
	return id;
}

static const char *
month_of(const json_t *rec, enum field_id f)
{
	return jrec_str(rec, f);
}

/* Markers (one without coordinates), a gate, a confidential incident and
 * an incident placed by its marker. */
static int64_t marker_with_point, incident_secret, incident_at_marker;

static void
add_records(void)
{
	int64_t commune = unit_id("02812", "2024-01-01");
	int64_t district = unit_id("084", "2024-01-01");

	marker_with_point = create(ENT_BORDER_MARKER, json_pack("{s:s, s:I, s:s, s:f, s:f}",
	    field_name(FLD_BORDER_MARKER_NUMBER), "Mốc 150 (thử)",
	    field_name(FLD_BORDER_MARKER_COMMUNE_ID), (json_int_t)commune,
	    field_name(FLD_BORDER_MARKER_COUNTRY), "CN",
	    field_name(FLD_BORDER_MARKER_LATITUDE), 22.72,
	    field_name(FLD_BORDER_MARKER_LONGITUDE), 104.29));
	create(ENT_BORDER_MARKER, json_pack("{s:s, s:I}",
	    field_name(FLD_BORDER_MARKER_NUMBER), "Mốc 151 (thử)",
	    field_name(FLD_BORDER_MARKER_COMMUNE_ID), (json_int_t)commune));
	create(ENT_BORDER_GATE, json_pack("{s:s, s:I}",
	    field_name(FLD_BORDER_GATE_NAME), "Cửa khẩu thử",
	    field_name(FLD_BORDER_GATE_COMMUNE_ID), (json_int_t)commune));
	incident_secret = create(ENT_INCIDENT, json_pack("{s:s, s:s, s:s, s:I, s:s, s:b, s:i}",
	    field_name(FLD_INCIDENT_KIND), "smuggling",
	    field_name(FLD_INCIDENT_TITLE), "Vụ việc mật (thử)",
	    field_name(FLD_INCIDENT_OCCURRED_ON), "2023-03-14",
	    field_name(FLD_INCIDENT_UNIT_ID), (json_int_t)district,
	    field_name(FLD_INCIDENT_STATUS), "reported",
	    field_name(FLD_INCIDENT_CONFIDENTIAL), 1,
	    field_name(FLD_INCIDENT_CASES), 3));
	incident_at_marker = create(ENT_INCIDENT, json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:i}",
	    field_name(FLD_INCIDENT_KIND), "marker_damage",
	    field_name(FLD_INCIDENT_TITLE), "Xâm hại mốc (thử)",
	    field_name(FLD_INCIDENT_OCCURRED_ON), "2023-03-20",
	    field_name(FLD_INCIDENT_UNIT_ID), (json_int_t)commune,
	    field_name(FLD_INCIDENT_STATUS), "reported",
	    field_name(FLD_INCIDENT_BORDER_MARKER_ID), (json_int_t)marker_with_point,
	    field_name(FLD_INCIDENT_CASES), 1));
}

/* One statement for the call that just ran. */
static void
one_statement(const char *what)
{
	struct store_stats st;

	store_stats_get(tu_db, &st);
	if (st.statements != 1)
		fail_msg("%s: %llu statements", what, st.statements);
}

/* ---- signings ---------------------------------------------------------------- */

static bool
is_signed(const char *status)
{
	size_t i;

	for (i = 0; status != NULL && i < 3; i++)
		if (strcmp(status, signed_statuses[i]) == 0)
			return true;
	return false;
}

static void
test_signed_equals_recount(void **state)
{
	json_t *programs = all_of(ENT_PROGRAM, true);
	json_t *agreements = all_of(ENT_AGREEMENT, true);
	json_t *p, *a;
	size_t i, k;
	struct err e = { 0 };

	(void)state;
	assert_true(json_array_size(programs) >= 2);
	json_array_foreach(programs, i, p) {
		int64_t pid = json_integer_value(json_object_get(p, "id")), helped;
		static struct cells sql, rc;
		memset(&sql, 0, sizeof(sql));
		memset(&rc, 0, sizeof(rc));
		store_stats_reset(tu_db);
		assert_int_equal(store_tally_signed(tu_db, pid, NULL, signed_statuses, 3,
		    collect, &sql, &e), 0);
		one_statement("signed");
		json_array_foreach(agreements, k, a)
			if (jrec_int(a, FLD_AGREEMENT_PROGRAM_ID) == pid &&
			    is_signed(jrec_str(a, FLD_AGREEMENT_STATUS)))
				cell_of(&rc, month_of(a, FLD_AGREEMENT_SIGNED_ON), NULL, NULL)->n++;
		assert_same(&sql, &rc, "signed agreements");
		assert_true(total_n(&sql) > 0);
		/* the communes helped: the same total as the follow-up's count */
		memset(&sql, 0, sizeof(sql));
		store_stats_reset(tu_db);
		assert_int_equal(store_tally_signed(tu_db, pid, "helped", signed_statuses, 3,
		    collect, &sql, &e), 0);
		one_statement("helped");
		assert_int_equal(store_program_helped(tu_db, pid, "helped", signed_statuses, 3,
		    &helped, &e), 0);
		assert_int_equal(total_n(&sql), helped);
	}
	json_decref(programs);
	json_decref(agreements);
}

/* ---- quantities ------------------------------------------------------------- */

/* The recount: quantities of the activities `keep` says yes to. */
static void
recount_quantities(json_t *activities, json_t *quantities,
    bool (*keep)(const json_t *act, int64_t arg), int64_t arg, struct cells *rc)
{
	json_t *a, *q;
	size_t i, k;

	json_array_foreach(activities, i, a) {
		if (!keep(a, arg))
			continue;
		json_array_foreach(quantities, k, q) {
			struct cell *c;
			if (jrec_int(q, FLD_ACTIVITY_QUANTITY_ACTIVITY_ID) !=
			    json_integer_value(json_object_get(a, "id")))
				continue;
			c = cell_of(rc, month_of(a, FLD_ACTIVITY_START_ON),
			    jrec_str(q, FLD_ACTIVITY_QUANTITY_MEASURE),
			    jrec_str(q, FLD_ACTIVITY_QUANTITY_UNIT_OF_MEASURE));
			c->n++;
			c->sum += json_number_value(json_object_get(q,
			    field_name(FLD_ACTIVITY_QUANTITY_VALUE)));
		}
	}
}

static bool
of_agreement(const json_t *act, int64_t agreement)
{
	return jrec_int(act, FLD_ACTIVITY_AGREEMENT_ID) == agreement;
}

static bool
in_unit(const json_t *act, int64_t unit)
{
	int64_t u = jrec_int(act, FLD_ACTIVITY_UNIT_ID);

	return u > 0 && store_unit_within(tu_db, u, unit);
}

/* Units to count over: every activity's unit and the units above it, and
 * the 2025 provinces (reached through the lineage). */
static size_t
units_to_test(json_t *activities, int64_t *out, size_t max)
{
	struct err e = { 0 };
	json_t *a, *anc, *u, *prov;
	size_t i, k, n = 0, j;

	json_array_foreach(activities, i, a) {
		int64_t uid = jrec_int(a, FLD_ACTIVITY_UNIT_ID);
		anc = store_unit_ancestors(tu_db, uid, &e);
		assert_non_null(anc);
		json_array_append_new(anc, json_pack("{s:I}", "id", (json_int_t)uid));
		json_array_foreach(anc, k, u) {
			int64_t id = json_integer_value(json_object_get(u, "id"));
			for (j = 0; j < n && out[j] != id; j++)
				;
			if (j == n && n < max)
				out[n++] = id;
		}
		json_decref(anc);
	}
	prov = store_units_on_date(tu_db, "2025-08-01", 1, 0, &e);
	assert_non_null(prov);
	json_array_foreach(prov, k, u)
		if (n < max)
			out[n++] = json_integer_value(json_object_get(u, "id"));
	json_decref(prov);
	return n;
}

static void
test_quantities_equal_recount(void **state)
{
	json_t *agreements = all_of(ENT_AGREEMENT, true);
	json_t *activities = all_of(ENT_ACTIVITY, true);
	json_t *quantities = all_of(ENT_ACTIVITY_QUANTITY, true);
	static struct cells sql, rc;
	struct err e = { 0 };
	int64_t units[256];
	size_t i, n, nonzero = 0;
	json_t *a;

	(void)state;
	json_array_foreach(agreements, i, a) {
		int64_t aid = json_integer_value(json_object_get(a, "id"));
		memset(&sql, 0, sizeof(sql));
		memset(&rc, 0, sizeof(rc));
		store_stats_reset(tu_db);
		assert_int_equal(store_tally_quantities(tu_db, aid, NULL, collect, &sql, &e), 0);
		one_statement("quantities of an agreement");
		recount_quantities(activities, quantities, of_agreement, aid, &rc);
		assert_same(&sql, &rc, "quantities of an agreement");
		nonzero += sql.n > 0;
	}
	assert_true(nonzero >= 2);
	n = units_to_test(activities, units, 256);
	assert_true(n > 10);
	nonzero = 0;
	for (i = 0; i < n; i++) {
		struct store_within w = { 0 };
		w.unit_field = field_name(FLD_ACTIVITY_UNIT_ID);
		w.unit = units[i];
		memset(&sql, 0, sizeof(sql));
		memset(&rc, 0, sizeof(rc));
		store_stats_reset(tu_db);
		assert_int_equal(store_tally_quantities(tu_db, 0, &w, collect, &sql, &e), 0);
		one_statement("quantities of a unit");
		recount_quantities(activities, quantities, in_unit, units[i], &rc);
		assert_same(&sql, &rc, "quantities of a unit");
		nonzero += sql.n > 0;
	}
	/* the 2025 provinces of Lào Cai and Sơn La have the demo's activities */
	assert_true(nonzero >= 6);
	json_decref(agreements);
	json_decref(activities);
	json_decref(quantities);
}

/* ---- incidents ------------------------------------------------------------------- */

static void
incidents_case(int64_t unit, bool clearance, json_t *incidents)
{
	static struct cells sql, rc;
	struct store_within w = { 0 };
	struct err e = { 0 };
	json_t *r;
	size_t i;

	w.unit_field = field_name(FLD_INCIDENT_UNIT_ID);
	w.unit = unit;
	w.see_confidential = clearance;
	memset(&sql, 0, sizeof(sql));
	memset(&rc, 0, sizeof(rc));
	store_stats_reset(tu_db);
	assert_int_equal(store_tally_incidents(tu_db, &w, collect, &sql, &e), 0);
	one_statement("incidents");
	json_array_foreach(incidents, i, r) {
		struct cell *c;
		int64_t u = jrec_int(r, FLD_INCIDENT_UNIT_ID);
		if (!clearance && json_is_true(json_object_get(r,
		    field_name(FLD_INCIDENT_CONFIDENTIAL))))
			continue;
		if (u <= 0 || (unit > 0 && !store_unit_within(tu_db, u, unit)))
			continue;
		c = cell_of(&rc, month_of(r, FLD_INCIDENT_OCCURRED_ON),
		    jrec_str(r, FLD_INCIDENT_KIND), NULL);
		c->n++;
		c->sum += (double)jrec_int(r, FLD_INCIDENT_CASES);
	}
	assert_same(&sql, &rc, clearance ? "incidents (clearance)" : "incidents");
	/* the confidential smuggling case of March 2023 is counted only with
	 * clearance */
	if (unit == 0 || store_unit_within(tu_db, unit_id("084", "2024-01-01"), unit)) {
		size_t k;
		bool seen = false;
		for (k = 0; k < sql.n; k++)
			if (strcmp(sql.c[k].month, "2023-03") == 0 &&
			    strcmp(sql.c[k].k1, "smuggling") == 0)
				seen = true;
		if (seen != clearance)
			fail_msg("the confidential incident %s counted", clearance ? "not" : "");
	}
}

static void
test_incidents_equal_recount(void **state)
{
	json_t *incidents = all_of(ENT_INCIDENT, true);
	int64_t units[] = { 0, unit_id("084", "2024-01-01"), unit_id("10", "2024-01-01"),
	    unit_id("15", "2025-08-01"), unit_id("02812", "2024-01-01"),
	    unit_id("20", "2024-01-01") };
	size_t i;

	(void)state;
	assert_true(json_array_size(incidents) >= 10);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		incidents_case(units[i], false, incidents);
		incidents_case(units[i], true, incidents);
	}
	json_decref(incidents);
}

/* ---- periods ------------------------------------------------------------------- */

static void
test_periods_equal_recount(void **state)
{
	json_t *sets = all_of(ENT_TARGET_SET, true), *groups = all_of(ENT_TARGET_GROUP, true);
	json_t *inds = all_of(ENT_INDICATOR, true), *vals = all_of(ENT_INDICATOR_VALUE, true);
	static struct cells sql, rc;
	struct err e = { 0 };
	json_t *ts, *v;
	size_t i, k;

	(void)state;
	assert_true(json_array_size(sets) >= 1);
	json_array_foreach(sets, i, ts) {
		int64_t tid = json_integer_value(json_object_get(ts, "id"));
		memset(&sql, 0, sizeof(sql));
		memset(&rc, 0, sizeof(rc));
		store_stats_reset(tu_db);
		assert_int_equal(store_tally_periods(tu_db, tid, collect, &sql, &e), 0);
		one_statement("periods");
		json_array_foreach(vals, k, v) {
			json_t *ind = NULL, *g = NULL, *x;
			size_t j;
			if (jrec_int(v, FLD_INDICATOR_VALUE_UNIT_ID) != jrec_int(ts, FLD_TARGET_SET_UNIT_ID))
				continue;
			json_array_foreach(inds, j, x)
				if (json_integer_value(json_object_get(x, "id")) ==
				    jrec_int(v, FLD_INDICATOR_VALUE_INDICATOR_ID))
					ind = x;
			json_array_foreach(groups, j, x)
				if (ind != NULL && json_integer_value(json_object_get(x, "id")) ==
				    jrec_int(ind, FLD_INDICATOR_TARGET_GROUP_ID))
					g = x;
			if (g != NULL && jrec_int(g, FLD_TARGET_GROUP_TARGET_SET_ID) == tid)
				cell_of(&rc, NULL, jrec_str(v, FLD_INDICATOR_VALUE_PERIOD), NULL)->n++;
		}
		assert_same(&sql, &rc, "periods");
		assert_true(sql.n >= 2); /* the demo set: 2023 and 2020-2025 */
	}
	json_decref(sets);
	json_decref(groups);
	json_decref(inds);
	json_decref(vals);
}

/* ---- places -------------------------------------------------------------------- */

#define SEEN_MAX 4096

struct seen {
	int64_t ids[SEEN_MAX];
	int64_t unit[SEEN_MAX];
	char code[SEEN_MAX][16];
	int level[SEEN_MAX];
	size_t n;
	size_t with_point, by_marker, confidential, without_unit;
	bool unit_codes_right;
};

static int
place_seen(void *ctx, const struct store_place *p)
{
	struct seen *s = ctx;

	assert_true(s->n < SEEN_MAX);
	s->unit[s->n] = p->unit.id;
	snprintf(s->code[s->n], sizeof(s->code[0]), "%s", p->unit.code ? p->unit.code : "");
	s->level[s->n] = p->unit.level;
	s->ids[s->n++] = p->id;
	s->with_point += p->has_point;
	s->by_marker += p->point_of_marker;
	s->confidential += p->confidential;
	s->without_unit += p->unit.id == 0;
	return 0;
}

/* The unit columns are the unit's. */
static void
units_right(struct seen *s)
{
	struct err e = { 0 };
	json_t *u;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->unit[i] == 0)
			continue;
		u = store_get(tu_db, entity_of(ENT_ADMIN_UNIT), s->unit[i], &e);
		if (u == NULL || strcmp(jrec_str(u, FLD_ADMIN_UNIT_CODE), s->code[i]) != 0 ||
		    jrec_int(u, FLD_ADMIN_UNIT_LEVEL) != s->level[i])
			s->unit_codes_right = false;
		json_decref(u);
	}
}

static void
places(enum store_place_kind kind, bool clearance, int64_t max, struct seen *s,
    bool *more)
{
	struct err e = { 0 };

	memset(s, 0, sizeof(*s));
	s->unit_codes_right = true;
	store_stats_reset(tu_db);
	if (store_places(tu_db, kind, clearance, max, place_seen, s, more, &e) != 0)
		fail_msg("places %d: %s", (int)kind, e.msg);
	one_statement("places");
	units_right(s);
	assert_true(s->unit_codes_right);
}

/* Each id of rows once (a kind whose places are its records). */
static void
same_ids(const struct seen *s, json_t *rows)
{
	json_t *r;
	size_t i, k, found;

	assert_int_equal(s->n, json_array_size(rows));
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		for (k = found = 0; k < s->n; k++)
			found += s->ids[k] == id;
		assert_int_equal(found, 1);
	}
}

static void
test_places(void **state)
{
	static const enum entity_id plain[] = { ENT_BORDER_MARKER, ENT_BORDER_GATE,
	    ENT_ACTIVITY };
	static const enum store_place_kind plain_kind[] = { PLACE_MARKER, PLACE_GATE,
	    PLACE_ACTIVITY };
	static struct seen s;
	json_t *rows, *parties, *agreements, *a, *p;
	size_t i, k, pairs = 0;
	bool more;

	(void)state;
	for (i = 0; i < 3; i++) {
		rows = all_of(plain[i], true);
		places(plain_kind[i], false, 0, &s, &more);
		same_ids(&s, rows);
		assert_false(more);
		assert_int_equal(s.without_unit, 0);
		json_decref(rows);
	}
	/* markers: the one with coordinates has them */
	places(PLACE_MARKER, false, 0, &s, NULL);
	assert_int_equal(s.with_point, 1);
	/* incidents: without clearance, never the confidential one */
	rows = all_of(ENT_INCIDENT, false);
	places(PLACE_INCIDENT, false, 0, &s, NULL);
	same_ids(&s, rows);
	assert_int_equal(s.confidential, 0);
	for (i = 0; i < s.n; i++)
		assert_true(s.ids[i] != incident_secret);
	assert_int_equal(s.by_marker, 1); /* placed at its marker */
	json_decref(rows);
	rows = all_of(ENT_INCIDENT, true);
	places(PLACE_INCIDENT, true, 0, &s, NULL);
	same_ids(&s, rows);
	assert_int_equal(s.confidential, 1);
	json_decref(rows);
	/* twinnings: a row per (unit party, foreign party or none) */
	agreements = all_of(ENT_AGREEMENT, true);
	parties = all_of(ENT_AGREEMENT_PARTY, true);
	json_array_foreach(agreements, i, a) {
		size_t ours = 0, theirs = 0;
		const char *kind = jrec_str(a, FLD_AGREEMENT_KIND);
		if (kind == NULL || strcmp(kind, "twinning") != 0)
			continue;
		json_array_foreach(parties, k, p) {
			if (jrec_int(p, FLD_AGREEMENT_PARTY_AGREEMENT_ID) !=
			    json_integer_value(json_object_get(a, "id")))
				continue;
			ours += jrec_int(p, FLD_AGREEMENT_PARTY_UNIT_ID) > 0;
			theirs += jrec_int(p, FLD_AGREEMENT_PARTY_FOREIGN_UNIT_ID) > 0;
		}
		pairs += ours * (theirs > 0 ? theirs : 1);
	}
	places(PLACE_TWINNING, false, 0, &s, NULL);
	assert_int_equal(s.n, pairs);
	assert_int_equal(pairs, 34); /* the demo's 34 twinnings of Hà Giang */
	json_decref(agreements);
	json_decref(parties);
	/* the cap */
	places(PLACE_ACTIVITY, false, 2, &s, &more);
	assert_int_equal(s.n, 2);
	assert_true(more);
}

static int
setup(void **state)
{
	tu_setup_demo_db(state);
	add_records();
	(void)incident_at_marker;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_equals_recount),
		cmocka_unit_test(test_quantities_equal_recount),
		cmocka_unit_test(test_incidents_equal_recount),
		cmocka_unit_test(test_periods_equal_recount),
		cmocka_unit_test(test_places),
	};

	return cmocka_run_group_tests_name("store_stats", tests, setup, tu_teardown_db);
}
