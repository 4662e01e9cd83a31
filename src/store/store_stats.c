/*
 * store_stats.c - figures for the charts and places for the map
 * (store_stats.h): each one statement that groups in SQL.  The month of a
 * date is SUBSTR(date, 1, 7) of its ISO text, the same on both engines;
 * sums are cast to DOUBLE PRECISION so that both answer a real.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/store_int.h"
#include "store/store_stats.h"

#define TALLY_PARAMS_MAX 16 /* parameters of one statement here */

/* A statement being built: its text and parameters. */
struct tq {
	struct buf b;
	struct db_value p[TALLY_PARAMS_MAX];
	size_t np;
	bool overflow;
};

static void
tq_init(struct tq *q)
{
	memset(q, 0, sizeof(*q));
	buf_init(&q->b, SQL_MAX);
}

static void
tq_param(struct tq *q, struct db_value v)
{
	if (q->np >= TALLY_PARAMS_MAX) {
		q->overflow = true;
		return;
	}
	q->p[q->np++] = v;
}

/* The text is ours and bounded: a failure is an allocation's, or too many
 * parameters (a caller's list too long). */
static int
tq_run(struct store *s, struct tq *q, db_row_fn row, void *ctx, struct err *e)
{
	int rc;

	if (q->overflow)
		rc = err_set(e, ERR_BAD_REQUEST, "quá nhiều giá trị trong một truy vấn thống kê");
	else if (buf_failed(&q->b))
		rc = err_nomem(e);
	else
		rc = store_query(s, buf_str(&q->b), q->p, q->np, row, ctx, e);
	buf_free(&q->b);
	return rc;
}

/* Rows of (month, k1, k2, n, sum) handed to a tally callback. */
struct tally_ctx {
	store_tally_fn fn;
	void *ctx;
};

static const char *
text_or_null(const struct db_value *v)
{
	return v->type == DB_TEXT ? v->s : NULL;
}

static double
real_of(const struct db_value *v)
{
	return v->type == DB_INT ? (double)v->i : v->type == DB_REAL ? v->d : 0;
}

static int
tally_row(void *ctx, int n, const struct db_value *c)
{
	struct tally_ctx *tc = ctx;
	struct store_tally t;

	if (n < 5)
		return 1;
	t.month = text_or_null(&c[0]);
	t.k1 = text_or_null(&c[1]);
	t.k2 = text_or_null(&c[2]);
	t.n = c[3].type == DB_INT ? c[3].i : (int64_t)real_of(&c[3]);
	t.sum = real_of(&c[4]);
	return tc->fn(tc->ctx, &t);
}

/* Month order with the records without a date last, on both engines (a
 * NULL sorts first in SQLite, last in PostgreSQL); "YYYY-MM" sorts alike
 * in every collation. */
#define BY_MONTH " ORDER BY CASE WHEN m IS NULL THEN 1 ELSE 0 END, m"

int
store_tally_signed(struct store *s, int64_t program_id, const char *role,
    const char *const *statuses, size_t nstatuses, store_tally_fn fn, void *ctx,
    struct err *e)
{
	struct tally_ctx tc = { fn, ctx };
	struct tq q;
	size_t i;

	if (nstatuses == 0)
		return 0;
	tq_init(&q);
	if (role == NULL) {
		buf_adds(&q.b, "SELECT m, NULL, NULL, COUNT(*), 0 FROM (SELECT "
		    "SUBSTR(signed_on, 1, 7) AS m FROM agreement WHERE program_id = ?");
		tq_param(&q, dbv_int(program_id));
		buf_adds(&q.b, " AND status IN (");
	} else {
		/* each unit once, at its first signing: MIN ignores the
		 * agreements without a date, so a unit signed only undated ones
		 * falls in the group without a month */
		buf_adds(&q.b, "SELECT m, NULL, NULL, COUNT(*), 0 FROM (SELECT p.unit_id, "
		    "MIN(SUBSTR(a.signed_on, 1, 7)) AS m FROM agreement_party p JOIN "
		    "agreement a ON a.id = p.agreement_id WHERE a.program_id = ? AND "
		    "p.role = ? AND p.unit_id > 0");
		tq_param(&q, dbv_int(program_id));
		tq_param(&q, dbv_text(role));
		buf_adds(&q.b, " AND a.status IN (");
	}
	for (i = 0; i < nstatuses; i++) {
		buf_adds(&q.b, i > 0 ? ", ?" : "?");
		tq_param(&q, dbv_text(statuses[i]));
	}
	buf_adds(&q.b, role == NULL ? ")) t GROUP BY m" BY_MONTH :
	    ") GROUP BY p.unit_id) t GROUP BY m" BY_MONTH);
	return tq_run(s, &q, tally_row, &tc, e);
}

int
store_tally_quantities(struct store *s, int64_t agreement_id,
    const struct store_within *w, store_tally_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *act = entity_of(ENT_ACTIVITY);
	struct tally_ctx tc = { fn, ctx };
	struct tq q;

	tq_init(&q);
	/* the activities selected (their month), then their quantities */
	buf_adds(&q.b, "SELECT a.m, q.measure, q.unit_of_measure, COUNT(*), "
	    "CAST(SUM(q.value) AS DOUBLE PRECISION) FROM (SELECT id, "
	    "SUBSTR(start_on, 1, 7) AS m FROM activity WHERE 1 = 1");
	if (agreement_id > 0) {
		buf_adds(&q.b, " AND agreement_id = ?");
		tq_param(&q, dbv_int(agreement_id));
	} else if (w == NULL || act == NULL) {
		buf_free(&q.b);
		return err_set(e, ERR_INTERNAL, "thống kê hoạt động không có phạm vi");
	} else {
		struct db_value wp[8];
		size_t nw = 0, i;
		if (store_within_where(s, act, w, &q.b, wp, &nw, e) != 0) {
			buf_free(&q.b);
			return -1;
		}
		for (i = 0; i < nw; i++)
			tq_param(&q, wp[i]);
	}
	buf_adds(&q.b, ") a JOIN activity_quantity q ON q.activity_id = a.id "
	    "GROUP BY a.m, q.measure, q.unit_of_measure ORDER BY "
	    "CASE WHEN a.m IS NULL THEN 1 ELSE 0 END, a.m");
	return tq_run(s, &q, tally_row, &tc, e);
}

int
store_tally_incidents(struct store *s, const struct store_within *w,
    store_tally_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *inc = entity_of(ENT_INCIDENT);
	struct tally_ctx tc = { fn, ctx };
	struct db_value wp[8];
	size_t nw = 0, i;
	struct tq q;

	if (inc == NULL || w == NULL)
		return err_set(e, ERR_INTERNAL, "thống kê vụ việc không có phạm vi");
	tq_init(&q);
	buf_adds(&q.b, "SELECT m, kind, NULL, COUNT(*), CAST(SUM(cases) AS DOUBLE "
	    "PRECISION) FROM (SELECT SUBSTR(occurred_on, 1, 7) AS m, kind, cases "
	    "FROM incident WHERE 1 = 1");
	/* the unit, the period and confidentiality (store_within) */
	if (store_within_where(s, inc, w, &q.b, wp, &nw, e) != 0) {
		buf_free(&q.b);
		return -1;
	}
	for (i = 0; i < nw; i++)
		tq_param(&q, wp[i]);
	buf_adds(&q.b, ") t GROUP BY m, kind" BY_MONTH);
	return tq_run(s, &q, tally_row, &tc, e);
}

int
store_tally_periods(struct store *s, int64_t target_set_id,
    store_tally_fn fn, void *ctx, struct err *e)
{
	struct tally_ctx tc = { fn, ctx };
	struct tq q;

	tq_init(&q);
	/* the set's own unit's values, as achieve_target_set reads them */
	buf_adds(&q.b, "SELECT NULL, v.period, NULL, COUNT(*), 0 FROM indicator_value v "
	    "JOIN indicator i ON i.id = v.indicator_id JOIN target_group g ON "
	    "g.id = i.target_group_id JOIN target_set t ON t.id = g.target_set_id "
	    "WHERE t.id = ? AND v.unit_id = t.unit_id GROUP BY v.period ORDER BY v.period");
	tq_param(&q, dbv_int(target_set_id));
	return tq_run(s, &q, tally_row, &tc, e);
}

/* ---- places ---------------------------------------------------------------- */

/* The unit columns every place statement ends with (alias u of the unit,
 * up to its grandparent), after the place's own 10 columns. */
#define UNIT_COLS ", u.id, u.code, u.name, u.valid_from, u.level, up.code, " \
	"ug.code, (SELECT MIN(od.code) FROM unit_lineage l JOIN admin_unit oc ON " \
	"oc.id = l.old_unit_id JOIN admin_unit od ON od.id = oc.parent_id WHERE " \
	"l.new_unit_id = u.id AND od.level = 2)"
#define UNIT_JOIN(col) " LEFT JOIN admin_unit u ON u.id = " col \
	" LEFT JOIN admin_unit up ON up.id = u.parent_id" \
	" LEFT JOIN admin_unit ug ON ug.id = up.parent_id"
#define PLACE_COLS 18

struct place_ctx {
	enum store_place_kind kind;
	store_place_fn fn;
	void *ctx;
	int64_t max, seen;
	bool more;
};

/* Columns: id, heading, code, date, other, lat, lon, marker lat, marker
 * lon, confidential, then UNIT_COLS. */
static int
place_row(void *ctx, int n, const struct db_value *c)
{
	struct place_ctx *pc = ctx;
	struct store_place p;

	if (n < PLACE_COLS)
		return 1;
	if (++pc->seen > pc->max) {
		pc->more = true;
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.kind = pc->kind;
	p.id = c[0].type == DB_INT ? c[0].i : 0;
	p.heading = text_or_null(&c[1]);
	p.code = text_or_null(&c[2]);
	p.date = text_or_null(&c[3]);
	p.other = text_or_null(&c[4]);
	if (c[5].type != DB_NULL && c[6].type != DB_NULL) {
		p.has_point = true;
		p.lat = real_of(&c[5]);
		p.lon = real_of(&c[6]);
	} else if (c[7].type != DB_NULL && c[8].type != DB_NULL) {
		p.has_point = p.point_of_marker = true;
		p.lat = real_of(&c[7]);
		p.lon = real_of(&c[8]);
	}
	p.confidential = c[9].type == DB_INT && c[9].i != 0;
	p.unit.id = c[10].type == DB_INT ? c[10].i : 0;
	p.unit.code = text_or_null(&c[11]);
	p.unit.name = text_or_null(&c[12]);
	p.unit.valid_from = text_or_null(&c[13]);
	p.unit.level = c[14].type == DB_INT ? (int)c[14].i : 0;
	p.unit.parent_code = text_or_null(&c[15]);
	p.unit.grandparent_code = text_or_null(&c[16]);
	p.unit.old_district_code = text_or_null(&c[17]);
	return pc->fn(pc->ctx, &p);
}

int
store_places(struct store *s, enum store_place_kind kind,
    bool see_confidential, int64_t max, store_place_fn fn, void *ctx,
    bool *more, struct err *e)
{
	struct place_ctx pc = { kind, fn, ctx, max > 0 ? max : MAP_PLACES_MAX, 0, false };
	struct tq q;
	int rc;

	if (more != NULL)
		*more = false;
	tq_init(&q);
	switch (kind) {
	case PLACE_MARKER:
		buf_adds(&q.b, "SELECT r.id, r.number, r.country, NULL, r.section, "
		    "r.latitude, r.longitude, NULL, NULL, 0" UNIT_COLS
		    " FROM border_marker r" UNIT_JOIN("r.commune_id") " ORDER BY r.id");
		break;
	case PLACE_GATE:
		buf_adds(&q.b, "SELECT r.id, r.name, r.kind, NULL, f.name_vi, NULL, NULL, "
		    "NULL, NULL, 0" UNIT_COLS " FROM border_gate r LEFT JOIN foreign_unit f "
		    "ON f.id = r.counterpart_id" UNIT_JOIN("r.commune_id") " ORDER BY r.id");
		break;
	case PLACE_INCIDENT:
		/* confidentiality as store_list: the incidents a reader may see */
		buf_adds(&q.b, "SELECT r.id, r.title, r.kind, r.occurred_on, NULL, "
		    "r.latitude, r.longitude, mk.latitude, mk.longitude, r.confidential"
		    UNIT_COLS " FROM (SELECT * FROM incident WHERE 1 = 1");
		if (!see_confidential)
			store_confidential_clauses(&q.b, entity_of(ENT_INCIDENT));
		buf_adds(&q.b, ") r LEFT JOIN border_marker mk ON mk.id = r.border_marker_id"
		    UNIT_JOIN("r.unit_id") " ORDER BY r.id");
		break;
	case PLACE_ACTIVITY:
		buf_adds(&q.b, "SELECT r.id, r.title, r.kind, r.start_on, NULL, NULL, NULL, "
		    "mk.latitude, mk.longitude, 0" UNIT_COLS " FROM activity r LEFT JOIN "
		    "border_marker mk ON mk.id = r.marker_from_id" UNIT_JOIN("r.unit_id")
		    " ORDER BY r.id");
		break;
	case PLACE_TWINNING:
		/* a pair per party unit of ours and foreign party of each
		 * twinning (none yet: the pair without its counterpart) */
		buf_adds(&q.b, "SELECT r.id, r.title, r.status, r.signed_on, f.name_vi, "
		    "NULL, NULL, NULL, NULL, 0" UNIT_COLS " FROM agreement r JOIN "
		    "agreement_party po ON po.agreement_id = r.id AND po.unit_id > 0 "
		    "LEFT JOIN agreement_party pf ON pf.agreement_id = r.id AND "
		    "pf.foreign_unit_id > 0 LEFT JOIN foreign_unit f ON f.id = "
		    "pf.foreign_unit_id" UNIT_JOIN("po.unit_id") " WHERE r.kind = ? "
		    "ORDER BY r.id, po.id, pf.id");
		tq_param(&q, dbv_text("twinning"));
		break;
	default:
		buf_free(&q.b);
		return err_set(e, ERR_INTERNAL, "không có loại địa điểm %d", (int)kind);
	}
	/* one more than the cap tells that rows were left out */
	buf_addf(&q.b, " LIMIT %lld", (long long)pc.max + 1);
	rc = tq_run(s, &q, place_row, &pc, e);
	if (more != NULL)
		*more = pc.more;
	return rc;
}
