/*
 * store_report.c - the records of a review report's sections, one statement
 * per section (docs/REPORT_QUERIES.md, issue 14 point 4).  The scope (an
 * agreement and its clusters, a program and its agreements, a supervision)
 * and the period are in the statement, and so is the order in which the
 * record-by-record gathering met the records: each path that reaches a
 * record gives it sort keys, a record reached twice keeps its first place
 * (ROW_NUMBER over the keys, then MIN per id), so the report's lists and
 * "in the order met" groups are what they were.  Bound parameters only;
 * the same text runs on SQLite and PostgreSQL.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/store_int.h"
#include "store/store_report.h"

#define RS_PARAMS_MAX 16 /* parameters of one section's statement */

struct rs_sql {
	struct buf b;
	struct db_value p[RS_PARAMS_MAX];
	size_t np;
	bool overflow;
};

static void
rs_param(struct rs_sql *q, struct db_value v)
{
	if (q->np >= RS_PARAMS_MAX) {
		q->overflow = true;
		return;
	}
	q->p[q->np++] = v;
}

/* " AND NOT (...)" for ent when the reader has no clearance */
static void
rs_conf(struct rs_sql *q, const struct store_report_scope *sc, enum entity_id id)
{
	const struct entity_def *ent = entity_of(id);

	if (!sc->see_confidential && ent != NULL)
		store_confidential_clauses(&q->b, ent);
}

/* " AND field >= ? AND field <= ?" for the period's given bounds */
static void
rs_period(struct rs_sql *q, const struct store_report_scope *sc, const char *field)
{
	if (sc->from != NULL) {
		buf_addf(&q->b, " AND %s >= ?", field);
		rs_param(q, dbv_text(sc->from));
	}
	if (sc->to != NULL) {
		buf_addf(&q->b, " AND %s <= ?", field);
		rs_param(q, dbv_text(sc->to));
	}
}

/* "(SELECT id FROM agreement WHERE program_id = ?...)": the program's
 * agreements the reader may see */
static void
rs_agreements(struct rs_sql *q, const struct store_report_scope *sc)
{
	buf_adds(&q->b, "(SELECT id FROM agreement WHERE program_id = ?");
	rs_param(q, dbv_int(sc->id));
	rs_conf(q, sc, ENT_AGREEMENT);
	buf_adds(&q->b, ")");
}

/* Records reached by the paths (id, k0, k1, k2, k3) kept once each, at
 * their first place: "(SELECT rpt_id, MIN(rpt_ord) ...)".  The paths are
 * written by `paths` into the statement. */
static void
rs_rank_open(struct rs_sql *q)
{
	buf_adds(&q->b, "(SELECT rpt_id, MIN(rpt_ord) AS rpt_ord FROM (SELECT "
	    "id AS rpt_id, ROW_NUMBER() OVER (ORDER BY k0, k1, k2, k3) AS rpt_ord "
	    "FROM (");
}

static void
rs_rank_close(struct rs_sql *q)
{
	buf_adds(&q->b, ") rpt_paths) rpt_ranked GROUP BY rpt_id)");
}

/* The scope's meetings at any date, ranked: agreement (its own, then its
 * clusters' by cluster), program (its agreements' by agreement, then its
 * own), supervision (its own). */
static void
rs_meetings(struct rs_sql *q, const struct store_report_scope *sc)
{
	rs_rank_open(q);
	switch (sc->kind) {
	case STORE_REPORT_AGREEMENT:
		buf_adds(&q->b, "SELECT id, 0 AS k0, 0 AS k1, id AS k2, 0 AS k3 FROM "
		    "meeting WHERE agreement_id = ?");
		rs_param(q, dbv_int(sc->id));
		rs_conf(q, sc, ENT_MEETING);
		buf_adds(&q->b, " UNION ALL SELECT id, 1, cluster_id, id, 0 FROM meeting "
		    "WHERE cluster_id IN (SELECT id FROM cluster WHERE agreement_id = ?");
		rs_param(q, dbv_int(sc->id));
		rs_conf(q, sc, ENT_CLUSTER);
		buf_adds(&q->b, ")");
		rs_conf(q, sc, ENT_MEETING);
		break;
	case STORE_REPORT_PROGRAM:
		buf_adds(&q->b, "SELECT id, 0 AS k0, agreement_id AS k1, id AS k2, 0 AS k3 "
		    "FROM meeting WHERE agreement_id IN ");
		rs_agreements(q, sc);
		rs_conf(q, sc, ENT_MEETING);
		buf_adds(&q->b, " UNION ALL SELECT id, 1, 0, id, 0 FROM meeting WHERE "
		    "program_id = ?");
		rs_param(q, dbv_int(sc->id));
		rs_conf(q, sc, ENT_MEETING);
		break;
	case STORE_REPORT_SUPERVISION:
		buf_adds(&q->b, "SELECT id, 0 AS k0, 0 AS k1, id AS k2, 0 AS k3 FROM "
		    "meeting WHERE supervision_id = ?");
		rs_param(q, dbv_int(sc->id));
		rs_conf(q, sc, ENT_MEETING);
		break;
	}
	rs_rank_close(q);
}

static int
rs_done(struct rs_sql *q, struct err *e)
{
	if (q->overflow)
		return err_set(e, ERR_INTERNAL, "quá nhiều tham số trong câu truy vấn báo cáo");
	if (buf_failed(&q->b))
		return err_nomem(e);
	return 0;
}

/* The records of ent (its date field in the period) ranked by the
 * statement q holds so far, as JSON records in report order. */
static json_t *
rs_select(struct store *s, struct rs_sql *q, const struct store_report_scope *sc,
    enum entity_id id, enum field_id date_field, struct err *e)
{
	const struct entity_def *ent = entity_of(id);
	json_t *rows = NULL;

	buf_adds(&q->b, " rpt_k ON rpt_k.rpt_id = id WHERE 1 = 1");
	rs_period(q, sc, field_name(date_field));
	buf_adds(&q->b, " ORDER BY rpt_k.rpt_ord");
	if (ent == NULL)
		err_set(e, ERR_INTERNAL, "không có thực thể số %d", (int)id);
	else if (rs_done(q, e) == 0)
		rows = store_select(s, ent, buf_str(&q->b), q->p, q->np, e);
	return rows;
}

json_t *
store_report_meetings(struct store *s, const struct store_report_scope *sc,
    struct err *e)
{
	struct rs_sql q = { .np = 0 };
	json_t *rows;

	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "JOIN ");
	rs_meetings(&q, sc);
	rows = rs_select(s, &q, sc, ENT_MEETING, FLD_MEETING_HELD_ON, e);
	buf_free(&q.b);
	return rows;
}

/* One path of records of ent reached through the scope's meetings by
 * field: keys (k0, the meeting's place, field_no, id). */
static void
rs_via_meetings(struct rs_sql *q, const struct store_report_scope *sc,
    enum entity_id id, enum field_id field, int k0, int field_no)
{
	const char *entity = entity_of(id)->name;

	buf_addf(&q->b, "SELECT r.id AS id, %d AS k0, rpt_m.rpt_ord AS k1, %d AS k2, "
	    "r.id AS k3 FROM (SELECT id, %s "
	    "AS rpt_via FROM %s WHERE 1 = 1", k0, field_no, field_name(field), entity);
	rs_conf(q, sc, id);
	buf_adds(&q->b, ") r JOIN ");
	rs_meetings(q, sc);
	buf_adds(&q->b, " rpt_m ON r.rpt_via = rpt_m.rpt_id");
}

json_t *
store_report_linked(struct store *s, const struct store_report_scope *sc,
    enum entity_id entity, struct err *e)
{
	struct rs_sql q = { .np = 0 };
	const struct entity_def *ent = entity_of(entity);
	enum field_id date_field;
	json_t *rows = NULL;
	int k0 = 0;

	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "JOIN ");
	rs_rank_open(&q);
	if (entity == ENT_RECOMMENDATION || entity == ENT_TASK) {
		bool rec = entity == ENT_RECOMMENDATION;

		date_field = rec ? FLD_RECOMMENDATION_RAISED_ON : FLD_TASK_ASSIGNED_ON;
		/* a supervision's own first, then its meetings' */
		if (sc->kind == STORE_REPORT_SUPERVISION) {
			buf_addf(&q.b, "SELECT id, 0 AS k0, 0 AS k1, 0 AS k2, id AS k3 FROM %s "
			    "WHERE supervision_id = ?", ent->name);
			rs_param(&q, dbv_int(sc->id));
			rs_conf(&q, sc, entity);
			buf_adds(&q.b, " UNION ALL ");
			k0 = 1;
		}
		rs_via_meetings(&q, sc, entity, rec ? FLD_RECOMMENDATION_MEETING_ID :
		    FLD_TASK_MEETING_ID, k0, 0);
		if (rec) {
			buf_adds(&q.b, " UNION ALL ");
			rs_via_meetings(&q, sc, entity, FLD_RECOMMENDATION_RESPONSE_MEETING_ID,
			    k0, 1);
		}
	} else if (entity == ENT_COMMENDATION) {
		date_field = FLD_COMMENDATION_AWARDED_ON;
		if (sc->kind == STORE_REPORT_AGREEMENT) {
			buf_adds(&q.b, "SELECT id, 0 AS k0, 0 AS k1, 0 AS k2, id AS k3 FROM "
			    "commendation WHERE agreement_id = ?");
			rs_param(&q, dbv_int(sc->id));
			rs_conf(&q, sc, entity);
			buf_adds(&q.b, " UNION ALL ");
			k0 = 1;
		} else if (sc->kind == STORE_REPORT_PROGRAM) {
			buf_adds(&q.b, "SELECT id, 0 AS k0, agreement_id AS k1, 0 AS k2, id AS k3 "
			    "FROM commendation WHERE agreement_id IN ");
			rs_agreements(&q, sc);
			rs_conf(&q, sc, entity);
			buf_adds(&q.b, " UNION ALL SELECT id, 1, 0, 0, id FROM commendation "
			    "WHERE program_id = ?");
			rs_param(&q, dbv_int(sc->id));
			rs_conf(&q, sc, entity);
			buf_adds(&q.b, " UNION ALL ");
			k0 = 2;
		}
		rs_via_meetings(&q, sc, entity, FLD_COMMENDATION_MEETING_ID, k0, 0);
	} else {
		err_set(e, ERR_INTERNAL, "báo cáo không đọc %s theo hội nghị",
		    ent != NULL ? ent->name : "?");
		buf_free(&q.b);
		return NULL;
	}
	rs_rank_close(&q);
	rows = rs_select(s, &q, sc, entity, date_field, e);
	buf_free(&q.b);
	return rows;
}

json_t *
store_report_findings(struct store *s, const struct store_report_scope *sc,
    struct err *e)
{
	struct rs_sql q = { .np = 0 };
	json_t *rows = NULL;

	if (sc->kind != STORE_REPORT_SUPERVISION)
		return json_array();
	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "WHERE supervision_id = ?");
	rs_param(&q, dbv_int(sc->id));
	rs_conf(&q, sc, ENT_SUPERVISION_FINDING);
	buf_adds(&q.b, " ORDER BY id");
	if (rs_done(&q, e) == 0)
		rows = store_select(s, entity_of(ENT_SUPERVISION_FINDING), buf_str(&q.b),
		    q.p, q.np, e);
	buf_free(&q.b);
	return rows;
}

struct quantity_ctx {
	store_report_quantity_fn fn;
	void *ctx;
};

static const char *
text_or_null(const struct db_value *v)
{
	return v->type == DB_TEXT ? v->s : NULL;
}

static int
quantity_row(void *ctx, int n, const struct db_value *c)
{
	struct quantity_ctx *qc = ctx;
	struct store_report_quantity r;

	if (n < 7)
		return 1;
	r.activity_id = c[0].type == DB_INT ? c[0].i : 0;
	r.kind = text_or_null(&c[1]);
	r.has_quantity = c[2].type != DB_NULL;
	r.measure = text_or_null(&c[3]);
	r.unit_of_measure = text_or_null(&c[4]);
	r.value = c[5].type == DB_INT ? (double)c[5].i : c[5].type == DB_REAL ? c[5].d : 0;
	r.qualifier = text_or_null(&c[6]);
	return qc->fn(qc->ctx, &r);
}

int
store_report_quantities(struct store *s, const struct store_report_scope *sc,
    store_report_quantity_fn fn, void *ctx, struct err *e)
{
	struct quantity_ctx qc = { fn, ctx };
	struct rs_sql q = { .np = 0 };
	int rc = -1;

	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "SELECT a.id, a.kind, rpt_q.id, rpt_q.measure, "
	    "rpt_q.unit_of_measure, rpt_q.value, rpt_q.qualifier FROM (SELECT id, kind, "
	    "start_on FROM activity) a JOIN ");
	rs_rank_open(&q);
	switch (sc->kind) {
	case STORE_REPORT_AGREEMENT:
		buf_adds(&q.b, "SELECT id, 0 AS k0, 0 AS k1, 0 AS k2, id AS k3 FROM "
		    "activity WHERE agreement_id = ?");
		rs_param(&q, dbv_int(sc->id));
		rs_conf(&q, sc, ENT_ACTIVITY);
		break;
	case STORE_REPORT_PROGRAM:
		buf_adds(&q.b, "SELECT id, 0 AS k0, agreement_id AS k1, 0 AS k2, id AS k3 "
		    "FROM activity WHERE agreement_id IN ");
		rs_agreements(&q, sc);
		rs_conf(&q, sc, ENT_ACTIVITY);
		buf_adds(&q.b, " UNION ALL SELECT id, 1, 0, 0, id FROM activity WHERE "
		    "program_id = ?");
		rs_param(&q, dbv_int(sc->id));
		rs_conf(&q, sc, ENT_ACTIVITY);
		break;
	case STORE_REPORT_SUPERVISION:
		/* the activities the findings count (read by id: a finding the
		 * reader sees shows its activity) */
		buf_adds(&q.b, "SELECT act.id, 0 AS k0, f.id AS k1, 0 AS k2, act.id AS k3 "
		    "FROM (SELECT id, activity_id FROM supervision_finding WHERE "
		    "supervision_id = ?");
		rs_param(&q, dbv_int(sc->id));
		rs_conf(&q, sc, ENT_SUPERVISION_FINDING);
		buf_adds(&q.b, ") f JOIN activity act ON act.id = f.activity_id");
		break;
	}
	rs_rank_close(&q);
	buf_adds(&q.b, " rpt_k ON rpt_k.rpt_id = a.id LEFT JOIN (SELECT id, activity_id, "
	    "measure, unit_of_measure, value, qualifier FROM activity_quantity "
	    "WHERE 1 = 1");
	rs_conf(&q, sc, ENT_ACTIVITY_QUANTITY);
	buf_adds(&q.b, ") rpt_q ON rpt_q.activity_id = a.id WHERE 1 = 1");
	rs_period(&q, sc, "a.start_on");
	buf_adds(&q.b, " ORDER BY rpt_k.rpt_ord, rpt_q.id");
	if (rs_done(&q, e) == 0)
		rc = store_query(s, buf_str(&q.b), q.p, q.np, quantity_row, &qc, e);
	buf_free(&q.b);
	return rc;
}

struct pair_ctx {
	store_count_fn fn;
	void *ctx;
};

static int
pair_text_row(void *ctx, int n, const struct db_value *c)
{
	struct pair_ctx *pc = ctx;

	if (n < 2)
		return 1;
	return pc->fn(pc->ctx, text_or_null(&c[0]), text_or_null(&c[1]), 1);
}

int
store_report_incidents(struct store *s, const struct store_report_scope *sc,
    store_count_fn fn, void *ctx, struct err *e)
{
	struct pair_ctx pc = { fn, ctx };
	struct rs_sql q = { .np = 0 };
	int rc = -1;

	if (sc->kind == STORE_REPORT_SUPERVISION)
		return 0; /* a supervision reviews no incidents */
	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "SELECT i.kind, i.status FROM (SELECT id, kind, status, "
	    "occurred_on FROM incident WHERE 1 = 1");
	/* a shared incident is read by its id: only its own flag hides it */
	if (!sc->see_confidential)
		buf_adds(&q.b, " AND NOT (COALESCE(confidential, 0) = 1)");
	buf_adds(&q.b, ") i JOIN ");
	rs_rank_open(&q);
	/* the incidents shared with the agreement(s), by share */
	buf_adds(&q.b, "SELECT incident_id AS id, 0 AS k0, agreement_id AS k1, "
	    "0 AS k2, id AS k3 FROM incident_share WHERE agreement_id ");
	if (sc->kind == STORE_REPORT_AGREEMENT) {
		buf_adds(&q.b, "= ?");
		rs_param(&q, dbv_int(sc->id));
	} else {
		buf_adds(&q.b, "IN ");
		rs_agreements(&q, sc);
	}
	rs_conf(&q, sc, ENT_INCIDENT_SHARE);
	rs_rank_close(&q);
	buf_adds(&q.b, " rpt_k ON rpt_k.rpt_id = i.id WHERE 1 = 1");
	rs_period(&q, sc, "i.occurred_on");
	buf_adds(&q.b, " ORDER BY rpt_k.rpt_ord");
	if (rs_done(&q, e) == 0)
		rc = store_query(s, buf_str(&q.b), q.p, q.np, pair_text_row, &pc, e);
	buf_free(&q.b);
	return rc;
}

/* ---- names and labels the report writes -------------------------------------- */

struct title_ctx {
	store_report_title_fn fn;
	void *ctx;
};

static int
title_row(void *ctx, int n, const struct db_value *c)
{
	struct title_ctx *tc = ctx;

	if (n < 2 || c[0].type != DB_INT)
		return 1;
	return tc->fn(tc->ctx, c[0].i, text_or_null(&c[1]));
}

int
store_report_titles(struct store *s, const struct entity_def *ent,
    store_report_title_fn fn, void *ctx, struct err *e)
{
	char sql[256];
	struct title_ctx tc = { fn, ctx };

	if (ent == NULL || ent->title_field == NULL ||
	    entity_field(ent, ent->title_field) == NULL)
		return err_set(e, ERR_INTERNAL, "thực thể không có trường tên");
	snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s ORDER BY id", ent->title_field,
	    ent->name);
	return store_query(s, sql, NULL, 0, title_row, &tc, e);
}

struct label_ctx {
	store_report_label_fn fn;
	void *ctx;
};

static int
label_row(void *ctx, int n, const struct db_value *c)
{
	struct label_ctx *lc = ctx;

	if (n < 3)
		return 1;
	return lc->fn(lc->ctx, text_or_null(&c[0]), text_or_null(&c[1]),
	    text_or_null(&c[2]));
}

int
store_report_labels(struct store *s, const char *const *catalogs, size_t n,
    store_report_label_fn fn, void *ctx, struct err *e)
{
	struct rs_sql q = { .np = 0 };
	struct label_ctx lc = { fn, ctx };
	size_t i;
	int rc = -1;

	if (n == 0)
		return 0;
	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "SELECT catalog, code, label FROM catalog_item WHERE catalog IN (");
	for (i = 0; i < n; i++) {
		buf_adds(&q.b, i > 0 ? ", ?" : "?");
		rs_param(&q, dbv_text(catalogs[i]));
	}
	buf_adds(&q.b, ") ORDER BY id");
	if (rs_done(&q, e) == 0)
		rc = store_query(s, buf_str(&q.b), q.p, q.np, label_row, &lc, e);
	buf_free(&q.b);
	return rc;
}

/* ---- self-management groups ---------------------------------------------------- */

struct group_ctx {
	store_report_group_fn fn;
	void *ctx;
};

static int
group_row(void *ctx, int n, const struct db_value *c)
{
	struct group_ctx *gc = ctx;
	struct store_report_group g;

	if (n < 4)
		return 1;
	g.name = text_or_null(&c[0]);
	g.kind = text_or_null(&c[1]);
	g.eligible = c[2].type == DB_INT ? c[2].i : c[2].type == DB_REAL ?
	    (int64_t)c[2].d : 0;
	g.households = c[3].type == DB_INT ? c[3].i : 0;
	return gc->fn(gc->ctx, &g);
}

/* The selection of store_within_list for self_mgmt_group (unit 0: every
 * group with a unit), by id, each with its households counted. */
int
store_report_groups(struct store *s, int64_t unit,
    const struct store_unit_set *units, bool see_confidential,
    store_report_group_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *hh = entity_of(ENT_SELF_MGMT_HOUSEHOLD);
	const struct entity_def *groups = entity_of(ENT_SELF_MGMT_GROUP);
	struct group_ctx gc = { fn, ctx };
	struct store_within w;
	struct rs_sql q = { .np = 0 };
	int rc = -1;

	if (hh == NULL || groups == NULL)
		return err_set(e, ERR_INTERNAL, "không có thực thể mô hình tự quản");
	memset(&w, 0, sizeof(w));
	w.unit_field = field_name(FLD_SELF_MGMT_GROUP_UNIT_ID);
	w.unit = unit;
	w.units = units;
	w.see_confidential = see_confidential;
	buf_init(&q.b, SQL_MAX);
	/* the household count is correlated by the group's id: the
	 * household's own columns are unqualified (its confidentiality
	 * clauses are written so) */
	buf_adds(&q.b, "SELECT g.name, g.kind, g.eligible_households, (SELECT COUNT(*) "
	    "FROM self_mgmt_household WHERE group_id = g.rpt_gid");
	if (!see_confidential)
		store_confidential_clauses(&q.b, hh);
	buf_adds(&q.b, ") FROM (SELECT id AS rpt_gid, name, kind, eligible_households "
	    "FROM self_mgmt_group WHERE 1 = 1");
	if (store_within_where(s, groups, &w, &q.b, q.p, &q.np, e) != 0)
		goto out;
	buf_adds(&q.b, ") g ORDER BY g.rpt_gid");
	if (rs_done(&q, e) == 0)
		rc = store_query(s, buf_str(&q.b), q.p, q.np, group_row, &gc, e);
out:
	buf_free(&q.b);
	return rc;
}

/* ---- a program's agreements (plan vs signed) ----------------------------------- */

struct agreement_ctx {
	store_program_agreement_fn fn;
	void *ctx;
};

static int
agreement_row(void *ctx, int n, const struct db_value *c)
{
	struct agreement_ctx *ac = ctx;
	struct store_program_agreement a;

	if (n < 6 || c[0].type != DB_INT)
		return 1;
	a.id = c[0].i;
	a.title = text_or_null(&c[1]);
	a.status = text_or_null(&c[2]);
	a.kind = text_or_null(&c[3]);
	a.unit_id = c[4].type == DB_INT ? c[4].i : 0;
	a.unit_found = c[5].type == DB_INT;
	a.unit_title = n > 6 ? text_or_null(&c[6]) : NULL;
	return ac->fn(ac->ctx, &a);
}

int
store_program_agreements(struct store *s, int64_t program_id,
    store_program_agreement_fn fn, void *ctx, struct err *e)
{
	const struct entity_def *agr = entity_of(ENT_AGREEMENT);
	const struct entity_def *units = entity_of(ENT_ADMIN_UNIT);
	struct agreement_ctx ac = { fn, ctx };
	struct db_value p = dbv_int(program_id);
	char sql[SQL_MAX];

	if (agr == NULL || units == NULL || agr->title_field == NULL ||
	    units->title_field == NULL)
		return err_set(e, ERR_INTERNAL, "không có thực thể thỏa thuận");
	/* the unit's title joined: one statement, not one read per agreement */
	snprintf(sql, sizeof(sql), "SELECT a.id, a.%s, a.status, a.kind, a.unit_id, "
	    "u.id, u.%s FROM agreement a LEFT JOIN admin_unit u ON u.id = a.unit_id "
	    "WHERE a.program_id = ? ORDER BY a.id", agr->title_field, units->title_field);
	return store_query(s, sql, &p, 1, agreement_row, &ac, e);
}

static int
one_int(void *ctx, int n, const struct db_value *c)
{
	if (n >= 1 && c[0].type == DB_INT)
		*(int64_t *)ctx = c[0].i;
	return 1;
}

int
store_program_helped(struct store *s, int64_t program_id, const char *role,
    const char *const *statuses, size_t nstatuses, int64_t *n, struct err *e)
{
	struct rs_sql q = { .np = 0 };
	size_t i;
	int rc = -1;

	*n = 0;
	buf_init(&q.b, SQL_MAX);
	buf_adds(&q.b, "SELECT COUNT(DISTINCT p.unit_id) FROM agreement_party p JOIN "
	    "agreement a ON a.id = p.agreement_id WHERE a.program_id = ? AND "
	    "p.role = ? AND p.unit_id > 0 AND a.status IN (");
	rs_param(&q, dbv_int(program_id));
	rs_param(&q, dbv_text(role));
	for (i = 0; i < nstatuses; i++) {
		buf_adds(&q.b, i > 0 ? ", ?" : "?");
		rs_param(&q, dbv_text(statuses[i]));
	}
	buf_adds(&q.b, ")");
	if (nstatuses == 0)
		rc = 0;
	else if (rs_done(&q, e) == 0)
		rc = store_query(s, buf_str(&q.b), q.p, q.np, one_int, n, e);
	buf_free(&q.b);
	return rc;
}
