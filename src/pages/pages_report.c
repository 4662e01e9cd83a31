/*
 * pages_report.c - /reports (build a review report, the saved ones with
 * their number register, reporting duties) and /grid (every indicator of a
 * target set for one unit and one period on one screen, saved in one
 * transaction through the value workflow of workflow.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "domain/achieve.h"
#include "domain/auth.h"
#include "domain/duties.h"
#include "domain/plaus.h"
#include "domain/records.h"
#include "domain/workflow.h"
#include "domain/workflow_move.h"
#include "pages/pages.h"
#include "pages/pages_report.h"
#include "pages/pages_view.h"
#include "pages/reports_tmpl.h"
#include "report/report.h"
#include "schema/record.h"
#include "text/html.h"
#include "text/text.h"
#include "web/error_page.h"
#include "web/web.h"

#define SCOPE_ITEMS_MAX 300 /* records offered per scope kind */

static json_t *
all_of(struct store *s, const struct entity_def *ent, const char *sort, size_t max)
{
	struct list_query q;

	memset(&q, 0, sizeof(q));
	q.sort = sort;
	return store_list_all(s, ent, &q, max, NULL);
}

static void
add_group(json_t *groups, struct store *s, const char *entity, const char *label)
{
	const struct entity_def *ent = registry_find(entity);
	const char *kind = report_scope_kind_of(entity)->name;
	json_t *rows = all_of(s, ent, "id", SCOPE_ITEMS_MAX), *items = json_array(), *r;
	char scope[64];
	size_t i;

	json_array_foreach(rows, i, r) {
		snprintf(scope, sizeof(scope), "%s:%lld", kind,
		    (long long)json_integer_value(json_object_get(r, "id")));
		json_array_append_new(items, json_pack("{s:s, s:O}", "scope", scope,
		    "title", json_object_get(r, ent->title_field)));
	}
	json_decref(rows);
	if (json_array_size(items) > 0)
		json_array_append_new(groups, json_pack("{s:s, s:o}", "label", label,
		    "items", items));
	else
		json_decref(items);
}

static bool
have_soffice(void)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX_GP], *copy, *dir, *save = NULL;
	bool found = false;

	if (path == NULL || (copy = strdup(path)) == NULL)
		return false;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/soffice", dir);
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

static void
get_reports(struct request *r)
{
	struct reports_view rv;
	struct page pg;
	size_t k;
	int page;

	memset(&rv, 0, sizeof(rv));
	rv.year = clock_year();
	rv.scopes = json_array();
	/* the groups of scope kinds the description puts on this page
	 * (schema/entities.txt: scope KIND ENTITY "Label" page=N), in order */
	for (page = 1; page <= SCOPE_KIND_COUNT; page++)
		for (k = 0; k < SCOPE_KIND_COUNT; k++)
			if (report_scope_kinds[k].page == page && report_scope_kinds[k].entity)
				add_group(rv.scopes, r->store, report_scope_kinds[k].entity,
				    report_scope_kinds[k].label);
	/* a province's or a district's review: "Tỉnh X", "Huyện Y", the
	 * units records are kept against (their own or their communes') */
	{
		json_t *units = store_units_in_use(r->store, 2, NULL), *u;
		json_t *prov = json_array(), *dist = json_array();
		const char *kind = report_scope_kind_of(entity_of(ENT_ADMIN_UNIT)->name)->name;
		char scope[64], title[300];
		size_t i;
		json_array_foreach(units, i, u) {
			snprintf(scope, sizeof(scope), "%s:%lld", kind, (long long)rec_int(u, "id"));
			snprintf(title, sizeof(title), "%s%s", jrec_str(u, FLD_ADMIN_UNIT_NAME),
			    jrec_str(u, FLD_ADMIN_UNIT_VALID_TO) ? " (trước 1/7/2025)" : "");
			json_array_append_new(jrec_int(u, FLD_ADMIN_UNIT_LEVEL) == 1 ? prov : dist,
			    json_pack("{s:s, s:s}", "scope", scope, "title", title));
		}
		json_decref(units);
		if (json_array_size(prov) > 0)
			json_array_append_new(rv.scopes, json_pack("{s:s, s:o}", "label",
			    "Tỉnh, thành phố", "items", prov));
		else
			json_decref(prov);
		if (json_array_size(dist) > 0)
			json_array_append_new(rv.scopes, json_pack("{s:s, s:o}", "label",
			    "Huyện, xã", "items", dist));
		else
			json_decref(dist);
	}
	/* every province's records, rolled up: the national review */
	json_array_append_new(rv.scopes, json_pack("{s:s, s:[{s:s, s:s}]}", "label",
	    "Toàn quốc", "items", "scope", "nation", "title", "Toàn quốc (mọi tỉnh)"));
	rv.scope = req_query(r, "scope");
	rv.period = req_query(r, "period");
	{
		/* the scope is chosen by kind and name too (picker.js): a unit,
		 * a province, anything of a kind beyond the groups listed */
		struct view v;
		struct buf pb;
		view_init(&v, r);
		buf_init(&pb, HTML_PAGE_MAX);
		view_scope_attrs(&pb, &v, rv.scope);
		rv.scope_pick = req_strdup(r, buf_failed(&pb) ? "" : buf_str(&pb));
		buf_free(&pb);
		view_free(&v);
	}
	{
		struct list_query q;
		memset(&q, 0, sizeof(q));
		q.sort = "id";
		q.desc = true;
		rv.reports = store_list_all(r->store, entity_of(ENT_REPORT), &q, 200, NULL);
	}
	if (rv.reports == NULL)
		rv.reports = json_array();
	rv.duties = duties_status(r->store, 0, (int)rv.year, NULL, NULL);
	if (rv.duties == NULL)
		rv.duties = json_array();
	rv.may_create = auth_can_read_entity(&r->user, entity_of(ENT_REPORT));
	rv.pdf = have_soffice();
	page_init(r, &pg, "Báo cáo", "Báo cáo");
	reports_page(&r->out, &pg, &rv);
	page_done(r, 200);
	json_decref(rv.scopes);
	json_decref(rv.reports);
	json_decref(rv.duties);
}

/* ---- the grid ------------------------------------------------------------------ */

/* The records of entity e whose field `via` is id. */
static json_t *
children(struct store *s, enum entity_id e, enum field_id via, int64_t id,
    const char *sort)
{
	struct list_query q;
	json_t *v = json_integer(id), *rows;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(via), OP_EQ, v };
	q.nfilters = 1;
	q.sort = sort;
	rows = store_list_all(s, entity_of(e), &q, 10000, NULL);
	json_decref(v);
	return rows ? rows : json_array();
}

static json_t *
find_value(struct store *s, int64_t indicator, int64_t unit, const char *period)
{
	struct list_query q;
	json_t *a = json_integer(indicator), *b = json_integer(unit), *c = json_string(period);
	json_t *rows, *out;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
	    OP_EQ, a };
	q.filters[1] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_UNIT_ID), OP_EQ, b };
	q.filters[2] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_PERIOD), OP_EQ, c };
	q.nfilters = 3;
	q.limit = 1;
	out = NULL;
	if (store_list(s, entity_of(ENT_INDICATOR_VALUE), &q, &rows, NULL, NULL) == 0) {
		out = json_incref(json_array_get(rows, 0));
		json_decref(rows);
	}
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return out;
}

/* "4/9" for a ratio value, else the number the Vietnamese way */
static void
shown(const json_t *val, enum field_id num_k, enum field_id den_k, enum field_id plain_k,
    char *buf, size_t len)
{
	const json_t *n = jrec_get(val, num_k), *d = jrec_get(val, den_k);
	const json_t *p = jrec_get(val, plain_k);

	buf[0] = '\0';
	if (json_is_number(n) && json_is_number(d))
		snprintf(buf, len, "%.15g/%.15g", json_number_value(n), json_number_value(d));
	else if (json_is_number(p)) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "%.15g", json_number_value(p));
		/* a decimal comma, as people type it */
		for (char *c = tmp; *c; c++)
			if (*c == '.')
				*c = ',';
		snprintf(buf, len, "%s", tmp);
	}
}

/* The plausibility warnings of a stored value (plaus.h), for whoever
 * enters or approves it: an empty array when none or when they could not
 * be read (the figures are shown all the same). */
static json_t *
stored_warnings(struct store *s, const json_t *val)
{
	struct err e = { 0 };
	json_t *w = val != NULL ? plaus_check(s, val, &e) : NULL;

	err_clear(&e);
	return w != NULL ? w : json_array();
}

/* Build the rows of the grid; `form` (POST) keeps what the user typed.  A
 * row's cells are keyed by the field of the value they show (target,
 * actual, comment), its indicator by the value's indicator_id. */
/* A number of a record, ACH_MISSING when it holds none. */
static double
num_of(const json_t *rec, enum field_id f)
{
	const json_t *v = jrec_get(rec, f);

	return json_is_number(v) ? json_number_value(v) : ACH_MISSING;
}

/* The achievement of one stored value (achieve.h: its ratio in the
 * indicator's direction, the band by the target set's thresholds) as the
 * grid's "Đạt" cell: "105%" and its band, or a dash with why. */
static void
grid_achievement(json_t *row, const json_t *ind, const json_t *val,
    const struct ach_thresholds *th)
{
	enum ach_direction dir = DIR_HIGHER;
	enum ach_status st;
	double ratio = 0, t, a;
	bool met;
	char pct[32], why[ACH_LABEL_MAX];
	const char *kind = jrec_str(ind, FLD_INDICATOR_VALUE_KIND);

	achieve_direction_parse(jrec_str(ind, FLD_INDICATOR_DIRECTION), &dir);
	t = num_of(val, FLD_INDICATOR_VALUE_TARGET);
	a = num_of(val, FLD_INDICATOR_VALUE_ACTUAL);
	/* a ratio ("4/9 xã") compares its fractions, as the reports do */
	if (kind != NULL && strcmp(kind, "ratio") == 0 &&
	    isfinite(num_of(val, FLD_INDICATOR_VALUE_NUMERATOR)) &&
	    isfinite(num_of(val, FLD_INDICATOR_VALUE_TARGET_NUMERATOR)))
		st = achieve_ratio_fraction(dir,
		    num_of(val, FLD_INDICATOR_VALUE_TARGET_NUMERATOR),
		    num_of(val, FLD_INDICATOR_VALUE_TARGET_DENOMINATOR),
		    num_of(val, FLD_INDICATOR_VALUE_NUMERATOR),
		    num_of(val, FLD_INDICATOR_VALUE_DENOMINATOR), &ratio);
	else
		st = achieve_ratio(dir, t, a, &ratio);
	met = achieve_met(dir, t, a);
	achieve_status_label(st, dir, ratio, met, why, sizeof(why));
	if (st == ACH_OK)
		snprintf(pct, sizeof(pct), "%.0f%%", ratio);
	else
		snprintf(pct, sizeof(pct), "–");
	json_object_set_new(row, "pct", json_string(pct));
	json_object_set_new(row, "pct_note", json_string(why));
	json_object_set_new(row, "band", json_string(achieve_band_code(
	    achieve_status_band(st, ratio, met, th))));
}

static json_t *
grid_rows(struct store *s, int64_t set_id, int64_t unit, const char *period,
    json_t *form, bool *locked)
{
	json_t *rows = json_array(), *groups = children(s, ENT_TARGET_GROUP,
	    FLD_TARGET_GROUP_TARGET_SET_ID, set_id, field_name(FLD_TARGET_GROUP_NUMBER)), *g, *ind;
	const struct entity_def *values = entity_of(ENT_INDICATOR_VALUE);
	const struct field_def *status = entity_field(values, workflow_field(values));
	size_t i, j, nvals = 0, napproved = 0, ntotal = 0;
	json_t *ts = store_get(s, entity_of(ENT_TARGET_SET), set_id, NULL);
	struct ach_thresholds th = achieve_thresholds(num_of(ts, FLD_TARGET_SET_BAND_HIGH),
	    num_of(ts, FLD_TARGET_SET_BAND_MID));

	json_decref(ts);

	json_array_foreach(groups, i, g) {
		json_t *inds = children(s, ENT_INDICATOR, FLD_INDICATOR_TARGET_GROUP_ID,
		    json_integer_value(json_object_get(g, "id")), "id");
		json_array_foreach(inds, j, ind) {
			int64_t iid = json_integer_value(json_object_get(ind, "id"));
			json_t *val = find_value(s, iid, unit, period);
			char tgt[64] = "", act[64] = "", key[32], label[100] = "Chưa nhập", code[32];
			const char *cm = val ? jrec_str(val, FLD_INDICATOR_VALUE_COMMENT) : NULL;
			size_t k;
			if (val != NULL) {
				nvals++;
				shown(val, FLD_INDICATOR_VALUE_TARGET_NUMERATOR,
				    FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, FLD_INDICATOR_VALUE_TARGET, tgt,
				    sizeof(tgt));
				shown(val, FLD_INDICATOR_VALUE_NUMERATOR, FLD_INDICATOR_VALUE_DENOMINATOR,
				    FLD_INDICATOR_VALUE_ACTUAL, act, sizeof(act));
				for (k = 0; k < enum_count(status); k++) {
					enum_choice(status, k, code, sizeof(code), label, sizeof(label));
					if (strcmp(code, json_string_value(json_object_get(val, status->name)) ?: "") == 0)
						break;
				}
				if (workflow_locked(values, val))
					napproved++;
			}
			if (form != NULL) {
				snprintf(key, sizeof(key), "t%lld", (long long)iid);
				snprintf(tgt, sizeof(tgt), "%s", json_string_value(json_object_get(form, key)) ?: "");
				snprintf(key, sizeof(key), "a%lld", (long long)iid);
				snprintf(act, sizeof(act), "%s", json_string_value(json_object_get(form, key)) ?: "");
				snprintf(key, sizeof(key), "c%lld", (long long)iid);
				cm = json_string_value(json_object_get(form, key));
			}
			json_array_append_new(rows, json_pack("{s:I, s:s?, s:s?, s:s?, s:s, s:s, "
			    "s:s?, s:s, s:O, s:b, s:o}", field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
			    (json_int_t)iid,
			    "group", jrec_str(g, FLD_TARGET_GROUP_NAME),
			    field_name(FLD_INDICATOR_NAME), jrec_str(ind, FLD_INDICATOR_NAME),
			    "uom", jrec_str(ind, FLD_INDICATOR_UNIT_OF_MEASURE),
			    field_name(FLD_INDICATOR_VALUE_TARGET), tgt,
			    field_name(FLD_INDICATOR_VALUE_ACTUAL), act,
			    field_name(FLD_INDICATOR_VALUE_COMMENT), cm, "status_label", label,
			    field_name(FLD_INDICATOR_VALUE_KIND), jrec_get(ind, FLD_INDICATOR_VALUE_KIND),
			    "locked", val != NULL && workflow_locked(values, val),
			    PLAUS_WARNINGS, stored_warnings(s, val)));
			if (val != NULL)
				grid_achievement(json_array_get(rows, json_array_size(rows) - 1), ind,
				    val, &th);
			json_decref(val);
			ntotal++;
		}
		json_decref(inds);
	}
	json_decref(groups);
	/* the whole grid is locked when every figure is approved; otherwise
	 * only the approved rows are */
	*locked = ntotal > 0 && napproved == ntotal;
	(void)nvals;
	return rows;
}

/* The units the grid offers by name (no code to remember): the target
 * set's unit and the units below it in force, and the one shown; any
 * other is found by the picker's search. */
static json_t *
grid_units(struct store *s, int64_t set_id, int64_t shown)
{
	json_t *out = json_array(), *ts, *kids, *u;
	int64_t top = 0;
	size_t i;
	bool has = false;
	char until[CLOCK_DATE_LEN];

	clock_today(until);
	if (set_id > 0 && (ts = store_get(s, entity_of(ENT_TARGET_SET), set_id, NULL)) != NULL) {
		top = jrec_int(ts, FLD_TARGET_SET_UNIT_ID);
		json_decref(ts);
	}
	if (top > 0 && (u = store_get(s, entity_of(ENT_ADMIN_UNIT), top, NULL)) != NULL) {
		/* a set of a unit that has ended (a pre-2025 district) lists the
		 * units below it on its last day */
		if (jrec_str(u, FLD_ADMIN_UNIT_VALID_TO) != NULL)
			snprintf(until, sizeof(until), "%s", jrec_str(u, FLD_ADMIN_UNIT_VALID_TO));
		json_array_append_new(out, u);
	}
	kids = top > 0 ? store_unit_children(s, top, NULL) : NULL;
	json_array_foreach(kids, i, u) {
		const char *to = jrec_str(u, FLD_ADMIN_UNIT_VALID_TO);
		if (to == NULL || strcmp(to, until) >= 0)
			json_array_append(out, u);
	}
	json_decref(kids);
	json_array_foreach(out, i, u)
		has = has || json_integer_value(json_object_get(u, "id")) == shown;
	if (shown > 0 && !has && (u = store_get(s, entity_of(ENT_ADMIN_UNIT), shown, NULL)) != NULL)
		json_array_append_new(out, u);
	return out;
}

static void
grid_render(struct request *r, struct grid_view *gv, int status)
{
	struct page pg;

	gv->sets = all_of(r->store, entity_of(ENT_TARGET_SET), "id", 500);
	gv->units = grid_units(r->store, gv->set_id, gv->unit_id);
	gv->approver = auth_is_approver(&r->user);
	page_init(r, &pg, "Nhập số liệu chỉ tiêu", "Nhập số liệu");
	pg.flash = gv->flash;
	grid_page(&r->out, &pg, gv);
	page_done(r, status);
	json_decref(gv->sets);
	json_decref(gv->units);
	json_decref(gv->rows);
}

/* The grid's target set, unit and period from the query or the form:
 * the unit chosen by name (unit_id, read whole by the caller), else one
 * given by its code (unit, as links and older forms name it), else the
 * target set's own. */
static bool
grid_args(struct request *r, json_t *args, int64_t unit_id, struct grid_view *gv,
    int64_t *unit)
{
	const char *set = json_string_value(json_object_get(args, "target_set"));
	struct vi_period vp;
	struct err e = { 0 };
	json_t *ts, *u;

	gv->unit_code = json_string_value(json_object_get(args, "unit"));
	gv->period = json_string_value(json_object_get(args, "period"));
	if (set == NULL || !api_parse_id(set, &gv->set_id))
		return false;
	ts = store_get(r->store, entity_of(ENT_TARGET_SET), gv->set_id, NULL);
	if (ts == NULL) {
		gv->error = "không có bộ chỉ tiêu này";
		return false;
	}
	*unit = jrec_int(ts, FLD_TARGET_SET_UNIT_ID);
	if (unit_id > 0) {
		*unit = unit_id;
	} else if (gv->unit_code != NULL && *gv->unit_code != '\0' &&
	    store_unit_by_code(r->store, gv->unit_code, NULL, unit, &e) != 0) {
		gv->error = req_strdup(r, e.msg);
		json_decref(ts);
		return false;
	}
	json_decref(ts);
	u = store_get(r->store, entity_of(ENT_ADMIN_UNIT), *unit, NULL);
	if (u == NULL) {
		gv->error = "không có đơn vị hành chính này";
		*unit = 0;
		return false;
	}
	gv->unit_id = *unit;
	gv->unit_code = req_strdup(r, jrec_str(u, FLD_ADMIN_UNIT_CODE));
	gv->unit_name = req_strdup(r, jrec_str(u, FLD_ADMIN_UNIT_NAME));
	json_decref(u);
	if (gv->period == NULL || *gv->period == '\0' || vi_parse_period(gv->period, &vp) != 0) {
		gv->error = "hãy nhập kỳ báo cáo (ví dụ 2023, 2024-Q1, 2020-2025)";
		gv->unit_name = NULL;
		return false;
	}
	gv->period = req_strdup(r, vp.code);
	return true;
}

/* What the last save did, from the redirect's arguments: "Đã lưu 5 số
 * liệu; 5 số liệu đã gửi duyệt." */
static const char *
grid_flash(struct request *r)
{
	const char *ok = req_query(r, "ok");
	int64_t saved = 0, moved = 0;
	char msg[256];

	if (ok == NULL)
		return NULL;
	/* counts that are not numbers are no counts (checked by the caller) */
	req_query_int(r, "saved", 0, INT64_MAX, &saved);
	req_query_int(r, "moved", 0, INT64_MAX, &moved);
	if (strcmp(ok, "reopen") == 0)
		snprintf(msg, sizeof(msg), "Đã mở lại %lld số liệu đã duyệt: sửa được rồi.",
		    (long long)moved);
	else if (saved == 0 && moved == 0)
		snprintf(msg, sizeof(msg), "Không có số liệu nào thay đổi.");
	else if (strcmp(ok, "submitted") == 0)
		snprintf(msg, sizeof(msg), "Đã lưu %lld số liệu; %lld số liệu đã gửi duyệt.",
		    (long long)saved, (long long)moved);
	else if (strcmp(ok, "approved") == 0)
		snprintf(msg, sizeof(msg), "Đã lưu %lld số liệu; đã duyệt %lld số liệu.",
		    (long long)saved, (long long)moved);
	else
		snprintf(msg, sizeof(msg), "Đã lưu nháp %lld số liệu.", (long long)saved);
	return req_strdup(r, msg);
}

static void
get_grid(struct request *r)
{
	struct grid_view gv;
	int64_t unit = 0, set, unit_id = 0, n;

	/* a set that is not a number is not "no set chosen"; nor is a unit
	 * or a count */
	if (req_query_int(r, "target_set", 1, INT64_MAX, &set) < 0 ||
	    req_query_int(r, "unit_id", 1, INT64_MAX, &unit_id) < 0 ||
	    req_query_int(r, "saved", 0, INT64_MAX, &n) < 0 ||
	    req_query_int(r, "moved", 0, INT64_MAX, &n) < 0)
		return;

	memset(&gv, 0, sizeof(gv));
	gv.flash = grid_flash(r);
	/* the arguments are the request's: what grid_args keeps of them stays
	 * valid while the page renders (it was freed before: issue 13) */
	if (grid_args(r, req_args(r), unit_id, &gv, &unit))
		gv.rows = grid_rows(r->store, gv.set_id, unit, gv.period, NULL, &gv.locked);
	else
		gv.rows = json_array();
	grid_render(r, &gv, 200);
}

/* "4/9" -> num 4, den 9; "184,5" -> 184.5.  0, or -1 when unreadable. */
static int
read_cell(const char *text, double *v, double *num, double *den, bool *ratio)
{
	struct vi_quantity q;

	*ratio = false;
	if (vi_parse_decimal(text, v) == 0)
		return 0;
	if (vi_parse_quantity(text, &q) == 0 && q.kind == VI_QTY_FRACTION) {
		*ratio = true;
		*num = q.value;
		*den = q.value2;
		*v = q.value;
		return 0;
	}
	if (vi_parse_quantity(text, &q) == 0 && (q.kind == VI_QTY_NUMBER ||
	    q.kind == VI_QTY_PERCENT)) {
		*v = q.value;
		return 0;
	}
	return -1;
}

/* Are a row's posted cells those the grid showed (a missing cell counts as
 * empty)? */
static bool
same_cells(const json_t *row, const char *tt, const char *at, const char *ct)
{
	const char *t = jrec_str(row, FLD_INDICATOR_VALUE_TARGET);
	const char *a = jrec_str(row, FLD_INDICATOR_VALUE_ACTUAL);
	const char *c = jrec_str(row, FLD_INDICATOR_VALUE_COMMENT);

	return strcmp(tt ? tt : "", t ? t : "") == 0 &&
	    strcmp(at ? at : "", a ? a : "") == 0 &&
	    strcmp(ct ? ct : "", c ? c : "") == 0;
}

static void
post_grid(struct request *r)
{
	const struct entity_def *values = entity_of(ENT_INDICATOR_VALUE);
	struct actor who = api_actor(r);
	struct grid_view gv;
	json_t *form = req_form(r), *rows, *row, *errors = json_object();
	const char *action;
	struct err e = { 0 };
	int64_t unit = 0, unit_id = 0;
	size_t i, bad = 0, saved = 0, moved = 0;
	char loc[PATH_MAX_GP];
	bool args_ok;

	memset(&gv, 0, sizeof(gv));
	/* who may not enter figures - or not for this unit - is told so
	 * before any cell is judged */
	if (!records_may_write_entity(r->store, values, &who, 0, &e)) {
		page_error(r, err_http_status(e.code), e.msg);
		err_clear(&e);
		json_decref(errors);
		return;
	}
	if (req_form_int(r, "target_set", 1, INT64_MAX, &unit) < 0 ||
	    req_form_int(r, "unit_id", 1, INT64_MAX, &unit_id) < 0) {
		json_decref(errors);
		return;
	}
	unit = 0;
	args_ok = form != NULL && grid_args(r, form, unit_id, &gv, &unit);
	if (unit > 0) {
		json_t *probe = json_pack("{s:I}", field_name(FLD_INDICATOR_VALUE_UNIT_ID),
		    (json_int_t)unit);
		bool ok = probe != NULL && auth_can_write(r->store, &r->user, values,
		    probe, &e);
		json_decref(probe);
		if (!ok) {
			if (e.code == ERR_NONE)
				err_nomem(&e);
			page_error(r, err_http_status(e.code), e.msg);
			err_clear(&e);
			json_decref(errors);
			return;
		}
	}
	if (!args_ok) {
		gv.rows = json_array();
		grid_render(r, &gv, 422);
		json_decref(errors);
		return;
	}
	action = json_string_value(json_object_get(form, "action"));
	/* no button named: saved where a figure starts (workflow.c) */
	if (action == NULL && (action = workflow_first_state(values)) == NULL)
		action = "";
	rows = grid_rows(r->store, gv.set_id, unit, gv.period, NULL, &gv.locked);
	/* the rows stand or fall together, each written as any other write
	 * (records_update, workflow_create, workflow_advance: workflow.c's
	 * moves and locks) */
	if (records_batch_begin(r->store, NULL, &who, 0, &e) != 0) {
		gv.error = req_strdup(r, e.msg);
		gv.rows = rows;
		grid_render(r, &gv, 503);
		json_decref(errors);
		return;
	}
	json_array_foreach(rows, i, row) {
		int64_t iid = jrec_int(row, FLD_INDICATOR_VALUE_INDICATOR_ID);
		char key[32], msg[ERR_MSG_MAX] = "";
		const char *tt, *at, *ct, *reopen = workflow_reopen_state(values);
		json_t *val = find_value(r->store, iid, unit, gv.period), *in;
		bool locked = val != NULL && workflow_locked(values, val);
		/* read_cell leaves them as they are when the text is no number */
		double tv = 0, an = 0, ad = 0, tn = 0, td = 0, av = 0;
		bool tr, ar;
		int rc = 0;

		snprintf(key, sizeof(key), "t%lld", (long long)iid);
		tt = json_string_value(json_object_get(form, key));
		snprintf(key, sizeof(key), "a%lld", (long long)iid);
		at = json_string_value(json_object_get(form, key));
		snprintf(key, sizeof(key), "c%lld", (long long)iid);
		ct = json_string_value(json_object_get(form, key));
		if (strcmp(action, "reopen") == 0) {
			if (locked && reopen != NULL) {
				in = json_pack("{s:s}", workflow_field(values), reopen);
				rc = records_update(r->store, values, json_integer_value(
				    json_object_get(val, "id")), in, 0, &who, 0, NULL, &e);
				json_decref(in);
				moved += rc == 0;
			}
		} else if (locked && same_cells(row, tt, at, ct)) {
			/* locked figures sent back as shown: nothing to save; changed
			 * ones go on to records_update, whose workflow check refuses
			 * them until an approver reopens the value */
		} else if (val != NULL || (tt && *tt) || (at && *at)) {
			/* what the confirmation counts: figures new or changed, and
			 * those that end in another state than they were in (a
			 * draft save of a submitted figure keeps it submitted) */
			const char *was = val ? json_string_value(json_object_get(val,
			    workflow_field(values))) : workflow_first_state(values);
			bool changed = val == NULL || !same_cells(row, tt, at, ct);
			json_t *after = NULL;
			in = json_object();
			if (tt && *tt) {
				if (read_cell(tt, &tv, &tn, &td, &tr) != 0)
					snprintf(msg, sizeof(msg), "kế hoạch '%s' không phải số", tt);
				jrec_set(in, FLD_INDICATOR_VALUE_TARGET, json_real(tv));
				if (tr) {
					jrec_set(in, FLD_INDICATOR_VALUE_TARGET_NUMERATOR, json_real(tn));
					jrec_set(in, FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, json_real(td));
				}
			} else {
				jrec_set(in, FLD_INDICATOR_VALUE_TARGET, json_null());
			}
			if (at && *at) {
				if (read_cell(at, &av, &an, &ad, &ar) != 0)
					snprintf(msg, sizeof(msg), "thực hiện '%s' không phải số", at);
				jrec_set(in, FLD_INDICATOR_VALUE_ACTUAL, json_real(av));
				if (ar) {
					jrec_set(in, FLD_INDICATOR_VALUE_NUMERATOR, json_real(an));
					jrec_set(in, FLD_INDICATOR_VALUE_DENOMINATOR, json_real(ad));
				}
			} else {
				jrec_set(in, FLD_INDICATOR_VALUE_ACTUAL, json_null());
			}
			jrec_set(in, FLD_INDICATOR_VALUE_COMMENT, json_string(ct ? ct : ""));
			if (msg[0] != '\0') {
				rc = -1;
			} else if (val == NULL) {
				jrec_set(in, FLD_INDICATOR_VALUE_INDICATOR_ID, json_integer(iid));
				jrec_set(in, FLD_INDICATOR_VALUE_UNIT_ID, json_integer(unit));
				jrec_set(in, FLD_INDICATOR_VALUE_PERIOD, json_string(gv.period));
				/* created in the initial state, then moved to the
				 * button's state, each move checked and recorded */
				json_object_set_new(in, workflow_field(values), json_string(action));
				rc = workflow_create(r->store, values, in, &who, 0, &after, &e);
			} else {
				int64_t vid = json_integer_value(json_object_get(val, "id"));
				rc = records_update(r->store, values, vid, in, 0, &who, 0, NULL, &e);
				if (rc == 0 && !locked)
					rc = workflow_advance(r->store, values, vid, action, &who, 0,
					    &after, &e);
			}
			json_decref(in);
			if (rc == 0) {
				const char *now = json_string_value(json_object_get(after,
				    workflow_field(values)));
				saved += changed;
				moved += now != NULL && strcmp(now, was ? was : "") != 0;
			}
			json_decref(after);
		}
		if (rc != 0) {
			bad++;
			snprintf(key, sizeof(key), "%lld", (long long)iid);
			if (msg[0] == '\0') {
				const char *k;
				json_t *m;
				snprintf(msg, sizeof(msg), "%s", e.msg);
				json_object_foreach(e.fields, k, m) {
					snprintf(msg, sizeof(msg), "%s", json_string_value(m));
					break;
				}
			}
			json_object_set_new(errors, key, json_string(msg));
			err_clear(&e);
		}
		json_decref(val);
	}
	json_decref(rows);
	if (bad > 0) {
		/* all or nothing: show the grid again with what was typed */
		records_batch_end(r->store, false, NULL);
		gv.rows = grid_rows(r->store, gv.set_id, unit, gv.period, form, &gv.locked);
		json_array_foreach(gv.rows, i, row) {
			char key[32];
			snprintf(key, sizeof(key), "%lld",
			    (long long)jrec_int(row, FLD_INDICATOR_VALUE_INDICATOR_ID));
			if (json_object_get(errors, key) != NULL)
				json_object_set(row, "error", json_object_get(errors, key));
		}
		gv.error = "có số liệu không lưu được; không dòng nào được lưu, hãy sửa các dòng báo lỗi";
		json_decref(errors);
		grid_render(r, &gv, 422);
		return;
	}
	json_decref(errors);
	if (records_batch_end(r->store, true, &e) != 0) {
		gv.error = req_strdup(r, e.msg);
		gv.rows = grid_rows(r->store, gv.set_id, unit, gv.period, form, &gv.locked);
		grid_render(r, &gv, 503);
		return;
	}
	{
		struct buf b;
		buf_init(&b, sizeof(loc));
		/* back to the grid, which says what was done */
		buf_addf(&b, "/grid?target_set=%lld&unit_id=%lld&period=", (long long)gv.set_id,
		    (long long)unit);
		html_url(&b, gv.period);
		buf_adds(&b, "&ok=");
		html_url(&b, action);
		buf_addf(&b, "&saved=%zu&moved=%zu", saved, moved);
		resp_redirect(r, buf_failed(&b) ? "/grid" : buf_str(&b));
		buf_free(&b);
	}
}

/* ---- issuing a report: asked first ------------------------------------------------ */

/* GET /reports/ID/issue: "Ban hành báo cáo …?" with what issuing does, and
 * the form that does it (POST /reports/ID/issue, api_report.c).  The
 * record page's button leads here; with JavaScript a dialog asks instead
 * (app.js).  Nothing is written by this page. */
static void
get_issue(struct request *r)
{
	const struct entity_def *ent = entity_of(ENT_REPORT);
	const struct entity_behaviour *bh = entity_behaviour(ent);
	struct issue_view iv;
	struct err e = { 0 };
	struct page pg;
	struct view v;
	json_t *rec = NULL;
	int64_t id = 0;
	const char *state;

	if (api_parse_id(r->route_args[0], &id))
		rec = store_get(r->store, ent, id, NULL);
	if (rec != NULL && !auth_can_read(r->store, &r->user, ent, rec)) {
		json_decref(rec);
		rec = NULL;
	}
	if (rec == NULL) {
		page_error(r, 404, "không tìm thấy báo cáo này");
		return;
	}
	/* issuing changes the report: the same permission as editing it */
	if (!auth_can_write(r->store, &r->user, ent, rec, &e)) {
		page_error(r, 403, e.msg[0] ? e.msg : "tài khoản của bạn không được ban hành "
		    "báo cáo này");
		err_clear(&e);
		json_decref(rec);
		return;
	}
	view_init(&v, r);
	memset(&iv, 0, sizeof(iv));
	iv.id = id;
	iv.rec = rec;
	iv.title = view_title(&v, ent, rec);
	iv.issuer = view_plain(&v, field_of(FLD_REPORT_ISSUER_ORG_ID), rec);
	iv.period = view_plain(&v, field_of(FLD_REPORT_PERIOD), rec);
	iv.signer = jrec_str(rec, FLD_REPORT_SIGNER_NAME);
	state = jrec_str(rec, FLD_REPORT_STATUS);
	iv.issued = state == NULL || strcmp(state, bh->issue_state) != 0;
	if (iv.issued)
		iv.number = view_plain(&v, field_of(FLD_REPORT_NUMBER), rec);
	page_init(r, &pg, "Ban hành báo cáo", ent->section);
	issue_confirm_page(&r->out, &pg, &iv);
	page_done(r, 200);
	view_free(&v);
	json_decref(rec);
}

const struct route report_page_routes[] = {
	{ M_GET | M_HEAD, "/reports/:/issue", get_issue, RT_HTML },
	{ M_GET | M_HEAD, "/reports", get_reports, RT_HTML },
	{ M_GET | M_HEAD, "/grid", get_grid, RT_HTML },
	{ M_POST, "/grid", post_grid, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
