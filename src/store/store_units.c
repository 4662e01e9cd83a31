/*
 * store_units.c - administrative-unit queries: validity on a date, the tree,
 * and the 1 July 2025 lineage.  Recursive CTEs, portable to PostgreSQL.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "store/store_int.h"
#include "text/text.h"

#define VALID_ON "(valid_from IS NULL OR valid_from <= ?) AND " \
                 "(valid_to IS NULL OR valid_to >= ?)"

static const struct entity_def *
units(void)
{
	return entity_of(ENT_ADMIN_UNIT);
}

json_t *
store_unit_record_by_code(struct store *s, const char *code, const char *date,
    struct err *e)
{
	struct db_value p[3];
	char now[16];
	json_t *rows, *u;

	p[0] = dbv_text(code);
	if (date == NULL) {
		/* no date: the unit in force now, else the one that ended last */
		rows = store_select(s, units(), "WHERE code = ? ORDER BY "
		    "CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END DESC, "
		    "valid_to DESC LIMIT 1", p, 1, e);
		clock_today(now);
		date = now;
	} else {
		p[1] = dbv_text(date);
		p[2] = dbv_text(date);
		rows = store_select(s, units(), "WHERE code = ? AND " VALID_ON
		    " ORDER BY id LIMIT 1", p, 3, e);
	}
	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		err_set(e, ERR_NOT_FOUND, "không có đơn vị hành chính mã %s "
		    "còn hiệu lực ngày %s", code, date);
		return NULL;
	}
	u = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return u;
}

int
store_unit_by_code(struct store *s, const char *code, const char *date,
    int64_t *id, struct err *e)
{
	json_t *u = store_unit_record_by_code(s, code, date, e);

	if (u == NULL)
		return -1;
	*id = json_integer_value(json_object_get(u, "id"));
	json_decref(u);
	return 0;
}

json_t *
store_unit_children(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(), "WHERE parent_id = ? ORDER BY code", &p, 1, e);
}

json_t *
store_unit_ancestors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE up(uid, pid) AS ("
	    "  SELECT id, parent_id FROM admin_unit WHERE id = ?"
	    "  UNION ALL SELECT a.id, a.parent_id FROM admin_unit a"
	    "  JOIN up ON a.id = up.pid)"
	    " SELECT uid FROM up) ORDER BY level", &p, 1, e);
}

json_t *
store_units_on_date(struct store *s, const char *date, int level,
    int64_t parent_id, struct err *e)
{
	struct db_value p[4];
	char now[16];

	if (date == NULL) {
		clock_today(now);
		date = now;
	}
	p[0] = dbv_int(level);
	p[1] = dbv_text(date);
	p[2] = dbv_text(date);
	if (parent_id > 0) {
		p[3] = dbv_int(parent_id);
		return store_select(s, units(), "WHERE level = ? AND " VALID_ON
		    " AND parent_id = ? ORDER BY code", p, 4, e);
	}
	return store_select(s, units(), "WHERE level = ? AND " VALID_ON
	    " ORDER BY code", p, 3, e);
}

/* Old unit -> new units: its own lineage rows, or those of every unit below
 * it (a district or province went through its communes). */
json_t *
store_unit_successors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE down(uid) AS ("
	    "  SELECT ? UNION ALL SELECT a.id FROM admin_unit a"
	    "  JOIN down ON a.parent_id = down.uid)"
	    " SELECT l.new_unit_id FROM unit_lineage l JOIN down"
	    " ON l.old_unit_id = down.uid) ORDER BY level, code", &p, 1, e);
}

json_t *
store_unit_predecessors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE down(uid) AS ("
	    "  SELECT ? UNION ALL SELECT a.id FROM admin_unit a"
	    "  JOIN down ON a.parent_id = down.uid)"
	    " SELECT l.old_unit_id FROM unit_lineage l JOIN down"
	    " ON l.new_unit_id = down.uid) ORDER BY level, code", &p, 1, e);
}

json_t *
store_units_with_code(struct store *s, const char *code, struct err *e)
{
	struct db_value p = dbv_text(code);

	return store_select(s, units(), "WHERE code = ? ORDER BY "
	    "COALESCE(valid_from, ''), id", &p, 1, e);
}

int
store_lineage_cycle(struct store *s, int64_t id, bool *cycle, struct err *e)
{
	struct db_value p[2] = { dbv_int(id), dbv_int(id) };
	json_t *rows;

	*cycle = false;
	/* the successors, theirs in turn; UNION ends on a cycle too */
	rows = store_select(s, units(), "WHERE id = ? AND id IN (WITH RECURSIVE "
	    "fwd(id) AS (SELECT new_unit_id FROM unit_lineage WHERE old_unit_id = ? "
	    "UNION SELECT l.new_unit_id FROM unit_lineage l JOIN fwd "
	    "ON l.old_unit_id = fwd.id) SELECT id FROM fwd)", p, 2, e);
	if (rows == NULL)
		return -1;
	*cycle = json_array_size(rows) > 0;
	json_decref(rows);
	return 0;
}

/* ---- units records are kept against (dashboards, report scopes) --------- */

json_t *
store_units_in_use(struct store *s, int max_level, struct err *e)
{
	struct db_value p = dbv_int(max_level);
	struct buf b;
	json_t *rows;
	size_t i, n = 0;

	buf_init(&b, SQL_MAX);
	buf_adds(&b, "WHERE level <= ? AND id IN (WITH RECURSIVE used(id) AS (");
	/* every entity's unit field (store_unit_field_of): where its records are */
	for (i = 0; i < registry_count; i++) {
		const struct field_def *f = store_unit_field_of(registry[i]);
		if (f == NULL)
			continue;
		buf_addf(&b, "%sSELECT %s FROM %s WHERE %s IS NOT NULL", n++ ? " UNION " : "",
		    f->name, registry[i]->name, f->name);
	}
	buf_adds(&b, "), up(id) AS (SELECT id FROM used UNION "
	    "SELECT a.parent_id FROM admin_unit a JOIN up ON a.id = up.id "
	    "WHERE a.parent_id IS NOT NULL) SELECT id FROM up) ORDER BY level, name ");
	if (s->ops->text_order != NULL)
		buf_adds(&b, s->ops->text_order);
	buf_adds(&b, ", id");
	if (n == 0 || buf_failed(&b)) {
		buf_free(&b);
		if (n == 0)
			return json_array();
		err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
		return NULL;
	}
	rows = store_select(s, units(), buf_str(&b), &p, 1, e);
	buf_free(&b);
	return rows;
}

/* ---- records within a unit: review reports and roll-ups (issue 7) -------- */

/* The units within a unit, as store_unit_within means it: the subtree
 * (parent_id) of the unit and of every unit its lineage goes back to
 * (store_int.h).  One parameter (the unit). */

static bool
has_field(const struct entity_def *ent, const char *name)
{
	return name != NULL && entity_field(ent, name) != NULL;
}

/* The units of w as a subquery: the set read once (store_unit_set_read)
 * or the engine's subtree (store_subtree_sql), one parameter either way. */
static void
units_in(struct store *s, struct buf *b, const struct store_within *w,
    struct db_value *p, size_t *np)
{
	if (w->units != NULL && w->units->unit == w->unit && w->units->ids != NULL) {
		buf_adds(b, w->units->in_sql);
		p[(*np)++] = dbv_text(w->units->ids);
		return;
	}
	buf_adds(b, store_subtree_sql(s));
	p[(*np)++] = dbv_int(w->unit);
}

/* " AND ..." for the unit, the period and confidentiality into w, the
 * parameters into p; -1 when a field is not the entity's or out of
 * memory. */
static int
within_where(struct store *s, const struct entity_def *ent,
    const struct store_within *w,
    struct buf *b, struct db_value *p, size_t *np, struct err *e)
{
	const struct entity_def *holder = w->via != NULL ? w->via : ent;
	bool via_join = w->via != NULL && w->unit > 0;

	if (!has_field(holder, w->unit_field) || (w->via != NULL &&
	    !has_field(ent, w->via_field)) || (w->date_field != NULL &&
	    !has_field(ent, w->date_field)))
		return err_set(e, ERR_INTERNAL, "trường không có trong %s", ent->name);
	/* Through the whole country nearly every `via` record qualifies:
	 * each candidate's is checked (EXISTS), rather than all of them
	 * listed first (100,000 meetings read for no recommendation). */
	if (w->via != NULL && w->unit <= 0)
		buf_addf(b, " AND EXISTS (SELECT 1 FROM %s WHERE id = %s.%s", w->via->name,
		    ent->name, w->via_field);
	/* Through a unit's meetings: a join from the units' meetings (their
	 * unit index) to the records (their via_field index), the period in
	 * it, lists the few ids of the records - not every meeting of the
	 * unit at any date first (5,022 for a province, set up again in each
	 * statement: 3-7 ms each on the national set, 0.5 ms so). */
	else if (w->via != NULL)
		buf_addf(b, " AND id IN (SELECT rpt_r.id FROM %s rpt_m CROSS JOIN %s rpt_r "
		    "WHERE rpt_r.%s = rpt_m.id", w->via->name, ent->name, w->via_field);
	if (w->unit > 0) {
		buf_addf(b, " AND %s%s IN ", w->via != NULL ? "rpt_m." : "",
		    w->unit_field);
		units_in(s, b, w, p, np);
	} else {
		buf_addf(b, " AND %s IS NOT NULL", w->unit_field);
	}
	if (w->via != NULL && w->unit <= 0)
		buf_adds(b, ")");
	/* the record's own date (in the join: its alias) */
	if (w->date_field != NULL && w->from != NULL) {
		buf_addf(b, " AND %s%s >= ?", via_join ? "rpt_r." : "", w->date_field);
		p[(*np)++] = dbv_text(w->from);
	}
	if (w->date_field != NULL && w->to != NULL) {
		buf_addf(b, " AND %s%s <= ?", via_join ? "rpt_r." : "", w->date_field);
		p[(*np)++] = dbv_text(w->to);
	}
	if (via_join)
		buf_adds(b, ")");
	if (!w->see_confidential)
		store_confidential_clauses(b, ent);
	/* the text is the store's, bounded: only an allocation can fail */
	return buf_failed(b) ? err_nomem(e) : 0;
}

int
store_within_where(struct store *s, const struct entity_def *ent,
    const struct store_within *w, struct buf *where, struct db_value *p,
    size_t *np, struct err *e)
{
	return within_where(s, ent, w, where, p, np, e);
}

/* The set bound as one JSON text: the engine's table function lists it
 * (SQLite's JSON functions are built in; PostgreSQL's since 9.4). */
#define UNITS_IN_SQLITE "(SELECT value FROM json_each(?))"
#define UNITS_IN_PG "(SELECT CAST(value AS BIGINT) FROM " \
	"json_array_elements_text(CAST(? AS json)))"

static int
unit_set_row(void *ctx, int n, const struct db_value *c)
{
	struct buf *b = ctx;

	if (n < 1 || c[0].type != DB_INT)
		return 1;
	buf_addf(b, "%s%lld", b->len > 1 ? "," : "", (long long)c[0].i);
	return buf_failed(b) ? 1 : 0;
}

int
store_unit_set_read(struct store *s, int64_t unit, struct store_unit_set *set,
    struct err *e)
{
	struct db_value p[1] = { dbv_int(unit) };
	struct buf b;
	int rc;

	store_unit_set_free(set);
	if (unit <= 0)
		return 0;
	buf_init(&b, UNIT_SET_JSON_MAX);
	buf_adds(&b, "[");
	{
		struct buf q;
		buf_init(&q, SQL_MAX);
		/* DISTINCT: an engine's subtree may list a unit twice */
		buf_addf(&q, "SELECT DISTINCT id FROM %s rpt_u", store_subtree_sql(s));
		rc = buf_failed(&q) ? err_nomem(e) :
		    store_query(s, buf_str(&q), p, 1, unit_set_row, &b, e);
		buf_free(&q);
	}
	buf_adds(&b, "]");
	/* a subtree past the cap (the rows stopped) is computed in each
	 * statement, as before */
	if (rc == 0 && buf_nomem(&b))
		rc = err_nomem(e);
	else if (rc == 0 && !buf_failed(&b) && (set->ids = buf_take(&b)) == NULL)
		rc = err_nomem(e);
	buf_free(&b);
	if (rc == 0 && set->ids != NULL) {
		set->unit = unit;
		set->in_sql = strcmp(store_engine(s), "sqlite") == 0 ? UNITS_IN_SQLITE :
		    UNITS_IN_PG;
	}
	return rc;
}

void
store_unit_set_free(struct store_unit_set *set)
{
	free(set->ids);
	memset(set, 0, sizeof(*set));
}

/* ---- monthly sums (issue 19, docs/REPORT_QUERIES.md) ---------------------
 *
 * The activities, their quantities and the incidents counted per (unit,
 * month) by the triggers of migration 0010.  A selection of whole months -
 * from the first day of a month to the last day of a month, the unit and the
 * date the entity's own, no via - reads them instead of the records:
 * SUBTREE's units, months between the two. */

/* Which sums an entity has: its unit and date fields and its tables. */
struct sums_def {
	enum entity_id ent;
	enum field_id unit, date;
	const char *counts;    /* (unit_id, month) -> n, per group for incidents */
};

static const struct sums_def sums_defs[] = {
	{ ENT_ACTIVITY, FLD_ACTIVITY_UNIT_ID, FLD_ACTIVITY_START_ON, "sum_activity_month" },
	{ ENT_INCIDENT, FLD_INCIDENT_UNIT_ID, FLD_INCIDENT_OCCURRED_ON, "sum_incident_month" },
};

/* Each quantity's value counted exactly below this (the triggers' 2^53):
 * a group whose absolute values add up to more reads the records. */
#define SUMS_EXACT_MAX 9007199254740992.0

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM" of from and to when [from, to] is whole months: from the first
 * of a month to the last day of a month (or later). */
static bool
whole_months(const char *from, const char *to, char m1[8], char m2[8])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (from == NULL || to == NULL || !vi_iso_date_valid(from) ||
	    !vi_iso_date_valid(to) || strcmp(from + 8, "01") != 0 ||
	    sscanf(to, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d != mdays[m - 1] + (m == 2 && is_leap(y)) || strcmp(from, to) > 0)
		return false;
	memcpy(m1, from, 7);
	m1[7] = '\0';
	memcpy(m2, to, 7);
	m2[7] = '\0';
	return true;
}

/* The sums of ent that answer w, or NULL (the records are read): whole
 * months, the entity's own unit and date, no via, and what a reader
 * without clearance may not see told by the sums' hidden flag alone. */
static const struct sums_def *
sums_for(const struct entity_def *ent, const struct store_within *w,
    char m1[8], char m2[8], bool *only_visible)
{
	const struct sums_def *d = NULL;
	struct buf conf, want;
	size_t i;
	bool ok;

	for (i = 0; i < sizeof(sums_defs) / sizeof(sums_defs[0]); i++)
		if (ent == entity_of(sums_defs[i].ent))
			d = &sums_defs[i];
	if (d == NULL || w->via != NULL || w->unit_field == NULL ||
	    w->date_field == NULL || strcmp(w->unit_field, field_name(d->unit)) != 0 ||
	    strcmp(w->date_field, field_name(d->date)) != 0 ||
	    !whole_months(w->from, w->to, m1, m2))
		return NULL;
	*only_visible = false;
	if (w->see_confidential)
		return d;
	/* the clauses store_list would add: none, or the incident's flag
	 * alone, which the triggers keep as `hidden` */
	buf_init(&conf, SQL_MAX);
	buf_init(&want, SQL_MAX);
	store_confidential_clauses(&conf, ent);
	if (d->ent == ENT_INCIDENT)
		buf_addf(&want, " AND NOT (COALESCE(%s, 0) = 1)",
		    field_name(FLD_INCIDENT_CONFIDENTIAL));
	ok = !buf_failed(&conf) && !buf_failed(&want) &&
	    strcmp(buf_str(&conf), buf_str(&want)) == 0;
	*only_visible = d->ent == ENT_INCIDENT;
	buf_free(&conf);
	buf_free(&want);
	return ok ? d : NULL;
}

/* " WHERE month BETWEEN ... AND unit_id IN SUBTREE" of a sums table (or
 * unit_id 0: the sums of the whole country, kept as a unit of their own)
 * (prefix: its alias and a dot, or ""), parameters into p. */
static void
sums_where(struct store *s, struct buf *b, const char *prefix, const struct store_within *w,
    const char *m1, const char *m2, bool only_visible, struct db_value *p,
    size_t *np)
{
	buf_addf(b, " WHERE %smonth >= ? AND %smonth <= ?", prefix, prefix);
	p[(*np)++] = dbv_text(m1);
	p[(*np)++] = dbv_text(m2);
	if (w->unit > 0) {
		buf_addf(b, " AND %sunit_id IN ", prefix);
		units_in(s, b, w, p, np);
	} else {
		/* the whole country's rows (migration 0010: unit 0) */
		buf_addf(b, " AND %sunit_id = 0", prefix);
	}
	if (only_visible)
		buf_addf(b, " AND %shidden = 0", prefix);
}

json_t *
store_within_list(struct store *s, const struct entity_def *ent,
    const struct store_within *w, int64_t limit, struct err *e)
{
	struct db_value p[8];
	struct buf b;
	size_t np = 0;
	json_t *rows = NULL;

	buf_init(&b, SQL_MAX);
	buf_adds(&b, "WHERE 1 = 1");
	if (within_where(s, ent, w, &b, p, &np, e) == 0) {
		buf_adds(&b, " ORDER BY id");
		if (limit > 0)
			buf_addf(&b, " LIMIT %lld", (long long)limit);
		if (buf_failed(&b))
			err_nomem(e);
		else
			rows = store_select(s, ent, buf_str(&b), p, np, e);
	}
	buf_free(&b);
	return rows;
}

struct count_ctx {
	store_count_fn fn;
	void *ctx;
	int64_t n;
};

static int
count_row(void *ctx, int n, const struct db_value *c)
{
	struct count_ctx *cc = ctx;

	if (n < 1 || c[0].type != DB_INT)
		return 1;
	if (cc->fn == NULL) {
		cc->n = c[0].i;
		return 1;
	}
	return cc->fn(cc->ctx, n > 1 && c[1].type == DB_TEXT ? c[1].s : NULL,
	    n > 2 && c[2].type == DB_TEXT ? c[2].s : NULL, c[0].i);
}

int
store_within_count(struct store *s, const struct entity_def *ent,
    const struct store_within *w, int64_t *n, struct err *e)
{
	struct db_value p[8];
	struct count_ctx cc = { NULL, NULL, 0 };
	struct buf b;
	size_t np = 0;
	int rc = -1;

	const struct sums_def *d;
	char m1[8], m2[8];
	bool visible;

	buf_init(&b, SQL_MAX);
	if ((d = sums_for(ent, w, m1, m2, &visible)) != NULL) {
		buf_addf(&b, "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM %s", d->counts);
		sums_where(s, &b, "", w, m1, m2, visible, p, &np);
		rc = buf_failed(&b) ? err_nomem(e) :
		    store_query(s, buf_str(&b), p, np, count_row, &cc, e);
	} else {
		buf_addf(&b, "SELECT COUNT(*) FROM %s WHERE 1 = 1", ent->name);
		if (within_where(s, ent, w, &b, p, &np, e) == 0)
			rc = store_query(s, buf_str(&b), p, np, count_row, &cc, e);
	}
	buf_free(&b);
	*n = cc.n;
	return rc;
}

int
store_within_counts(struct store *s, const struct entity_def *ent,
    const struct store_within *w, const char *by1, const char *by2,
    store_count_fn fn, void *ctx, struct err *e)
{
	struct db_value p[8];
	struct count_ctx cc = { fn, ctx, 0 };
	struct buf b;
	size_t np = 0;
	int rc = -1;

	const struct sums_def *d;
	char m1[8], m2[8];
	bool visible;

	if (!has_field(ent, by1) || !has_field(ent, by2))
		return err_set(e, ERR_INTERNAL, "trường không có trong %s", ent->name);
	buf_init(&b, SQL_MAX);
	/* the incidents' sums are kept by kind and status */
	if ((d = sums_for(ent, w, m1, m2, &visible)) != NULL && d->ent == ENT_INCIDENT &&
	    strcmp(by1, field_name(FLD_INCIDENT_KIND)) == 0 &&
	    strcmp(by2, field_name(FLD_INCIDENT_STATUS)) == 0) {
		buf_addf(&b, "SELECT CAST(SUM(n) AS BIGINT), %s, %s FROM %s", by1, by2,
		    d->counts);
		sums_where(s, &b, "", w, m1, m2, visible, p, &np);
		/* in the order the groups first occur, as below */
		buf_addf(&b, " GROUP BY %s, %s ORDER BY MIN(min_id)", by1, by2);
		rc = buf_failed(&b) ? err_nomem(e) :
		    store_query(s, buf_str(&b), p, np, count_row, &cc, e);
		buf_free(&b);
		return rc;
	}
	buf_addf(&b, "SELECT COUNT(*), %s, %s FROM %s WHERE 1 = 1", by1, by2,
	    ent->name);
	if (within_where(s, ent, w, &b, p, &np, e) == 0) {
		/* in the order the groups first occur */
		buf_addf(&b, " GROUP BY %s, %s ORDER BY MIN(id)", by1, by2);
		rc = buf_failed(&b) ? err_nomem(e) :
		    store_query(s, buf_str(&b), p, np, count_row, &cc, e);
	}
	buf_free(&b);
	return rc;
}

struct totals_ctx {
	store_activity_total_fn fn;
	void *ctx;
};

static int
totals_row(void *ctx, int n, const struct db_value *c)
{
	struct totals_ctx *tc = ctx;
	struct store_activity_total t;

	if (n < 6)
		return 1;
	t.kind = c[0].type == DB_TEXT ? c[0].s : NULL;
	t.measure = c[1].type == DB_TEXT ? c[1].s : NULL;
	t.unit_of_measure = c[2].type == DB_TEXT ? c[2].s : NULL;
	t.sum = c[3].type == DB_INT ? (double)c[3].i : c[3].type == DB_REAL ? c[3].d : 0;
	t.n = c[4].type == DB_INT ? c[4].i : 0;
	t.qualifier = c[5].type == DB_TEXT ? c[5].s : NULL;
	return tc->fn(tc->ctx, &t);
}

/* The totals from the records (any selection). */
static int
activity_totals_rows(struct store *s, const struct store_within *w,
    store_activity_total_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *act = entity_of(ENT_ACTIVITY);
	struct db_value p[8];
	struct totals_ctx tc = { fn, ctx };
	struct buf where, b;
	size_t np = 0;
	int rc = -1;

	buf_init(&where, SQL_MAX);
	buf_init(&b, SQL_MAX);
	if (act == NULL || within_where(s, act, w, &where, p, &np, e) != 0)
		goto out;
	/* One pass over the activities (issue 14 point 4): their ids first,
	 * sorted (LIMIT keeps the ORDER BY of the subquery, which SQLite drops
	 * otherwise), so that the activities and their quantities are read in
	 * id order - neighbouring pages, not a random read per activity as in
	 * date order - then the selection is used twice (so materialised):
	 * the totals by (kind, measure, unit of measure) in the order met,
	 * and the qualifiers written, in record order. */
	buf_addf(&b, "WITH rpt_sel AS (SELECT a.id AS aid, a.kind AS kind, q.id AS qid, "
	    "q.measure AS measure, q.unit_of_measure AS uom, q.value AS value, "
	    "q.qualifier AS qualifier FROM (SELECT id FROM activity WHERE 1 = 1%s "
	    "ORDER BY id LIMIT %lld) i CROSS JOIN activity a CROSS JOIN "
	    "activity_quantity q WHERE a.id = i.id AND q.activity_id = a.id) "
	    "SELECT kind, measure, uom, total, n, qualifier FROM ("
	    "SELECT 0 AS part, kind, measure, uom, CAST(SUM(value) AS DOUBLE PRECISION) "
	    "AS total, COUNT(*) AS n, NULL AS qualifier, MIN(aid) AS k1, MIN(qid) AS k2 "
	    "FROM rpt_sel GROUP BY kind, measure, uom UNION ALL "
	    "SELECT 1, kind, measure, uom, 0, 0, qualifier, aid, qid FROM rpt_sel "
	    "WHERE qualifier IS NOT NULL AND qualifier <> '') rpt_x "
	    "ORDER BY part, k1, k2", buf_str(&where), (long long)INT64_MAX);
	rc = buf_failed(&b) ? err_nomem(e) : store_query(s, buf_str(&b), p, np,
	    totals_row, &tc, e);
out:
	buf_free(&where);
	buf_free(&b);
	return rc;
}

/* The totals of whole months read from the sums, kept until every group is
 * known to be exact: a row per group and per qualifier, as totals_row reads
 * them, then nfrac and asum. */
struct sums_totals {
	json_t *rows;
	bool exact;
};

static int
sums_totals_row(void *ctx, int n, const struct db_value *c)
{
	struct sums_totals *st = ctx;
	json_t *r;
	int i;

	if (n < 8)
		return 1;
	if ((c[6].type == DB_INT && c[6].i != 0) ||
	    (c[7].type == DB_REAL && !(c[7].d < SUMS_EXACT_MAX)))
		st->exact = false;
	r = json_array();
	for (i = 0; i < 6; i++)
		json_array_append_new(r, c[i].type == DB_TEXT ? json_string(c[i].s) :
		    c[i].type == DB_INT ? json_integer(c[i].i) :
		    c[i].type == DB_REAL ? json_real(c[i].d) : json_null());
	json_array_append_new(st->rows, r);
	return 0;
}

/* A kept row given to fn as totals_row would give the statement's. */
static int
sums_totals_replay(const json_t *r, struct totals_ctx *tc)
{
	struct db_value c[6];
	const json_t *v;
	size_t i;

	for (i = 0; i < 6; i++) {
		v = json_array_get(r, i);
		c[i] = json_is_string(v) ? dbv_text(json_string_value(v)) :
		    json_is_integer(v) ? dbv_int(json_integer_value(v)) :
		    json_is_real(v) ? (struct db_value){ .type = DB_REAL,
		    .d = json_real_value(v) } : (struct db_value){ .type = DB_NULL };
	}
	return totals_row(tc, 6, c);
}

int
store_activity_totals(struct store *s, const struct store_within *w,
    store_activity_total_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *act = entity_of(ENT_ACTIVITY);
	const struct sums_def *d;
	struct totals_ctx tc = { fn, ctx };
	struct sums_totals st = { NULL, true };
	struct db_value p[8];
	struct buf b;
	char m1[8], m2[8];
	bool visible;
	size_t np = 0, i;
	int rc;

	if (act == NULL || (d = sums_for(act, w, m1, m2, &visible)) == NULL)
		return activity_totals_rows(s, w, fn, ctx, e);
	/* The groups from the sums, in the order of their first record (the
	 * smallest activity id, then quantity id, of each group: kept by the
	 * sums); the qualifiers from the records, in record order, through
	 * the partial index of the qualified quantities (CROSS JOIN: SQLite
	 * starts from them, not from every activity of the unit). */
	buf_init(&b, SQL_MAX);
	buf_adds(&b, "SELECT kind, measure, uom, total, n, qualifier, nfrac, asum FROM ("
	    "SELECT 0 AS part, kind, measure, CASE WHEN uom_null = 1 THEN NULL ELSE "
	    "unit_of_measure END AS uom, CAST(SUM(isum) AS DOUBLE PRECISION) AS total, "
	    "CAST(SUM(n) AS BIGINT) AS n, NULL AS qualifier, CAST(SUM(nfrac) AS BIGINT) "
	    "AS nfrac, CAST(SUM(asum) AS DOUBLE PRECISION) AS asum, "
	    "MIN(min_activity_id) AS k1, MIN(min_quantity_id) AS k2 FROM sum_quantity_month");
	sums_where(s, &b, "", w, m1, m2, false, p, &np);
	buf_addf(&b, " GROUP BY kind, measure, unit_of_measure, uom_null UNION ALL "
	    "SELECT 1, a.%s, q.%s, q.%s, 0, 0, q.%s, 0, 0, a.id, q.id "
	    "FROM activity_quantity q CROSS JOIN activity a WHERE a.id = q.%s "
	    "AND q.%s IS NOT NULL AND q.%s <> ''",
	    field_name(FLD_ACTIVITY_KIND), field_name(FLD_ACTIVITY_QUANTITY_MEASURE),
	    field_name(FLD_ACTIVITY_QUANTITY_UNIT_OF_MEASURE),
	    field_name(FLD_ACTIVITY_QUANTITY_QUALIFIER),
	    field_name(FLD_ACTIVITY_QUANTITY_ACTIVITY_ID),
	    field_name(FLD_ACTIVITY_QUANTITY_QUALIFIER),
	    field_name(FLD_ACTIVITY_QUANTITY_QUALIFIER));
	{
		struct store_within aw = *w;
		struct buf where;
		buf_init(&where, SQL_MAX);
		aw.see_confidential = true; /* activities have no flag: sums_for */
		if (within_where(s, act, &aw, &where, p, &np, e) != 0) {
			buf_free(&where);
			buf_free(&b);
			return -1;
		}
		/* the activity's columns unqualified: the quantity has none of
		 * those names */
		buf_adds(&b, buf_str(&where));
		buf_free(&where);
	}
	buf_adds(&b, ") rpt_x ORDER BY part, k1, k2");
	st.rows = json_array();
	rc = buf_failed(&b) ? err_nomem(e) :
	    store_query(s, buf_str(&b), p, np, sums_totals_row, &st, e);
	buf_free(&b);
	if (rc == 0 && !st.exact) {
		/* a value the sums do not hold exactly: the records */
		json_decref(st.rows);
		return activity_totals_rows(s, w, fn, ctx, e);
	}
	for (i = 0; rc == 0 && i < json_array_size(st.rows); i++)
		rc = sums_totals_replay(json_array_get(st.rows, i), &tc);
	json_decref(st.rows);
	return rc;
}

static double
real_or_nan(const struct db_value *v)
{
	return v->type == DB_INT ? (double)v->i : v->type == DB_REAL ? v->d :
	    (double)NAN;
}

struct scoped_ctx {
	store_scoped_value_fn fn;
	void *ctx;
};

static int
scoped_row(void *ctx, int n, const struct db_value *c)
{
	struct scoped_ctx *sc = ctx;
	struct store_scoped_value v;

	if (n < 11)
		return 1;
	v.id = c[0].i;
	v.indicator_id = c[1].i;
	v.unit_id = c[2].i;
	v.period = c[3].type == DB_TEXT ? c[3].s : NULL;
	v.as_of = c[4].type == DB_TEXT ? c[4].s : NULL;
	v.target = real_or_nan(&c[5]);
	v.actual = real_or_nan(&c[6]);
	v.numerator = real_or_nan(&c[7]);
	v.denominator = real_or_nan(&c[8]);
	v.target_numerator = real_or_nan(&c[9]);
	v.target_denominator = real_or_nan(&c[10]);
	return sc->fn(sc->ctx, &v);
}

/* The indicators of a target set, of which aggregations ("simple":
 * those that use only target and actual; the others, ratio_of_sums and
 * latest, need numerators, denominators and as_of). */
#define SET_INDICATORS "(SELECT i.id FROM indicator i JOIN target_group g " \
	"ON i.target_group_id = g.id WHERE g.target_set_id = ?%s)"
#define SIMPLE_AGG " AND COALESCE(i.aggregation, '') NOT IN ('ratio_of_sums', 'latest')"
#define OTHER_AGG " AND i.aggregation IN ('ratio_of_sums', 'latest')"

int
store_target_set_values(struct store *s, int64_t target_set_id, int64_t unit,
    const char *period, store_scoped_value_fn fn, void *ctx, struct err *e)
{
	/* The period's condition as separate statements: with an OR of both,
	 * SQLite would not use the (indicator_id, period, ...) index past
	 * indicator_id.  The code, then a period written out: those start
	 * with a letter ("tháng 6/2023"), codes with the year. */
	static const char *const conds[] = { " AND v.period = ?",
		" AND v.period >= ':'" };
	struct db_value p[6];
	struct scoped_ctx sc = { fn, ctx };
	struct buf b;
	size_t k, pass;
	int rc = 0;

	buf_init(&b, SQL_MAX);
	if (period == NULL) {
		/* every period: each unit's values together, for "latest" */
		buf_addf(&b, "SELECT v.id, v.indicator_id, v.unit_id, v.period, "
		    "v.as_of, v.target, v.actual, v.numerator, v.denominator, "
		    "v.target_numerator, v.target_denominator FROM indicator_value v "
		    "WHERE v.indicator_id IN " SET_INDICATORS, "");
		p[0] = dbv_int(target_set_id);
		if (unit > 0) {
			buf_addf(&b, " AND v.unit_id IN %s", store_subtree_sql(s));
			p[1] = dbv_int(unit);
		}
		buf_adds(&b, " ORDER BY v.indicator_id, v.unit_id, v.id");
		rc = buf_failed(&b) ? err_set(e, ERR_INTERNAL, "câu truy vấn quá dài") :
		    store_query(s, buf_str(&b), p, unit > 0 ? 2 : 1, scoped_row, &sc, e);
		buf_free(&b);
		return rc;
	}
	for (k = 0; rc == 0 && k < sizeof(conds) / sizeof(conds[0]); k++)
		for (pass = 0; rc == 0 && pass < 2; pass++) {
			size_t np = 0;
			buf_reset(&b);
			if (pass == 0) {
				/* simple aggregations, values with an actual: the
				 * (indicator_id, period, unit_id, target, actual)
				 * index alone answers - no table rows (a month of
				 * the country is 332 k values, each on its own page
				 * of the table); as_of and the fraction parts come
				 * as not recorded */
				buf_addf(&b, "SELECT v.id, v.indicator_id, v.unit_id, "
				    "v.period, NULL, v.target, v.actual, NULL, NULL, NULL, "
				    "NULL FROM indicator_value v WHERE v.indicator_id IN "
				    SET_INDICATORS "%s AND v.actual IS NOT NULL", SIMPLE_AGG,
				    conds[k]);
				p[np++] = dbv_int(target_set_id);
			} else {
				/* the rest with every column */
				buf_addf(&b, "SELECT v.id, v.indicator_id, v.unit_id, "
				    "v.period, v.as_of, v.target, v.actual, v.numerator, "
				    "v.denominator, v.target_numerator, v.target_denominator "
				    "FROM indicator_value v WHERE v.indicator_id IN "
				    SET_INDICATORS "%s AND (v.actual IS NULL OR "
				    "v.indicator_id IN " SET_INDICATORS ")", "", conds[k],
				    OTHER_AGG);
				p[np++] = dbv_int(target_set_id);
			}
			if (k == 0)
				p[np++] = dbv_text(period);
			if (pass == 1)
				p[np++] = dbv_int(target_set_id);
			if (unit > 0) {
				/* "+": not through the unit_id index - the
				 * covering one is read in order instead */
				buf_addf(&b, " AND +v.unit_id IN %s",
				    store_subtree_sql(s));
				p[np++] = dbv_int(unit);
			}
			rc = buf_failed(&b) ? err_set(e, ERR_INTERNAL,
			    "câu truy vấn quá dài") : store_query(s, buf_str(&b), p, np,
			    scoped_row, &sc, e);
		}
	buf_free(&b);
	return rc;
}

struct pair_ctx {
	store_unit_pair_fn fn;
	void *ctx;
};

static int
pair_row(void *ctx, int n, const struct db_value *c)
{
	struct pair_ctx *pc = ctx;

	if (n < 2)
		return 1;
	return pc->fn(pc->ctx, c[0].i, c[1].type == DB_INT ? c[1].i : 0);
}

int
store_units_within(struct store *s, int64_t unit, store_unit_pair_fn fn,
    void *ctx, struct err *e)
{
	struct db_value p[1] = { dbv_int(unit) };
	struct pair_ctx pc = { fn, ctx };

	if (unit <= 0)
		return store_query(s, "SELECT id, parent_id FROM admin_unit", NULL, 0,
		    pair_row, &pc, e);
	{
		struct buf q;
		int rc;
		buf_init(&q, SQL_MAX);
		buf_addf(&q, "SELECT id, parent_id FROM admin_unit WHERE id IN %s",
		    store_subtree_sql(s));
		rc = buf_failed(&q) ? err_nomem(e) :
		    store_query(s, buf_str(&q), p, 1, pair_row, &pc, e);
		buf_free(&q);
		return rc;
	}
}
