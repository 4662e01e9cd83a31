/* pages.c - the overview, the administration page and the route table of
 * the HTML pages (the record pages are in pages_records.c, the unit browser
 * in pages_units.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/achieve.h"
#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/records.h"
#include "pages/admin_tmpl.h"
#include "pages/home_tmpl.h"
#include "pages/pages.h"
#include "pages/pages_view.h"
#include "schema/record.h"
#include "web/error_page.h"
#include "web/layout_tmpl.h"
#include "web/page.h"
#include "web/web.h"

#define HOME_CARD_ROWS 5 /* records per overview card */

/* Agreements by kind: signed (signed, active, ended) of all, and planned -
 * "33 / 34 kết nghĩa đã ký" of seed 002. */
static void
home_kinds(struct request *r, struct home_view *hv)
{
	const struct entity_def *ag = entity_of(ENT_AGREEMENT);
	json_t *kinds = view_catalog(hv->v, "agreement_kind"), *rows = NULL, *row;
	struct list_query q;
	size_t i, k;

	for (i = 0; i < json_array_size(kinds) && hv->nkinds < HOME_KINDS_MAX; i++) {
		hv->kinds[hv->nkinds].code = json_string_value(json_array_get(
		    json_array_get(kinds, i), 0));
		hv->kinds[hv->nkinds++].label = json_string_value(json_array_get(
		    json_array_get(kinds, i), 1));
	}
	memset(&q, 0, sizeof(q));
	q.limit = LIST_LIMIT_MAX;
	if (hv->unitv != NULL)
		q.filters[q.nfilters++] = (struct list_filter){
		    field_name(FLD_AGREEMENT_UNIT_ID), OP_WITHIN, hv->unitv };
	if (store_list(r->store, ag, &q, &rows, NULL, NULL) != 0)
		return;
	json_array_foreach(rows, i, row) {
		const char *kind = jrec_str(row, FLD_AGREEMENT_KIND);
		const char *st = jrec_str(row, FLD_AGREEMENT_STATUS);
		for (k = 0; kind != NULL && st != NULL && k < hv->nkinds; k++) {
			if (strcmp(hv->kinds[k].code, kind) != 0)
				continue;
			hv->kinds[k].total++;
			if (strcmp(st, "signed") == 0 || strcmp(st, "active") == 0 ||
			    strcmp(st, "ended") == 0)
				hv->kinds[k].signed_++;
			else if (strcmp(st, "planned") == 0)
				hv->kinds[k].planned++;
		}
	}
	json_decref(rows);
	/* kinds nobody uses only take room */
	for (i = k = 0; i < hv->nkinds; i++)
		if (hv->kinds[i].total > 0)
			hv->kinds[k++] = hv->kinds[i];
	hv->nkinds = k;
}

/* One card: the newest few records of a filtered list; on a unit's
 * dashboard, those whose `within` field is within the unit (OP_WITHIN),
 * its link to the whole list filtered alike. */
static void
home_card(struct request *r, struct home_view *hv, const char *title,
    enum entity_id entity, struct list_filter *filters, size_t nfilters,
    enum field_id sort, bool desc, const char *all_href, enum field_id date_field,
    enum field_id extra_field, const char *empty, enum field_id within)
{
	struct home_card *c;
	struct list_query q;
	size_t i;
	char href[256];

	if (hv->ncards >= sizeof(hv->cards) / sizeof(hv->cards[0]))
		return;
	c = &hv->cards[hv->ncards];
	memset(c, 0, sizeof(*c));
	c->ent = entity_of(entity);
	if (c->ent == NULL || !auth_can_read_entity(&r->user, c->ent))
		return;
	memset(&q, 0, sizeof(q));
	for (i = 0; i < nfilters; i++)
		q.filters[q.nfilters++] = filters[i];
	if (hv->unitv != NULL) {
		q.filters[q.nfilters++] = (struct list_filter){ field_name(within),
		    OP_WITHIN, hv->unitv };
		snprintf(href, sizeof(href), "%s%c%s__within=%lld", all_href,
		    strchr(all_href, '?') ? '&' : '?', field_name(within),
		    (long long)hv->unit_id);
		all_href = view_str(hv->v, href);
	}
	q.sort = field_name(sort);
	q.desc = desc;
	q.limit = HOME_CARD_ROWS;
	q.see_confidential = auth_has_clearance(&r->user);
	if (store_list(r->store, c->ent, &q, &c->rows, &c->total, NULL) != 0)
		return;
	c->title = title;
	c->all_href = all_href;
	c->date_field = field_name(date_field);
	c->extra_field = field_name(extra_field);
	c->empty = empty;
	hv->ncards++;
}

#define EXPIRING_DAYS 90 /* "sắp hết hiệu lực": within this many days */

static void
add_days_iso(const char *iso, int days, char out[CLOCK_DATE_LEN])
{
	struct tm tm;
	int y, m, d;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
		snprintf(out, CLOCK_DATE_LEN, "%s", iso);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12;
	mktime(&tm);
	strftime(out, CLOCK_DATE_LEN, "%Y-%m-%d", &tm);
}

/* The ids of the clusters within the dashboard's unit (their agreement's
 * unit), as an object "ID" -> true. */
static json_t *
clusters_within(struct request *r, struct home_view *hv)
{
	struct list_query q;
	json_t *rows, *row, *out = json_object();
	char key[24];
	size_t i;

	memset(&q, 0, sizeof(q));
	q.filters[q.nfilters++] = (struct list_filter){
	    field_name(FLD_CLUSTER_AGREEMENT_ID), OP_WITHIN, hv->unitv };
	rows = store_list_all(r->store, entity_of(ENT_CLUSTER), &q, 10000, NULL);
	json_array_foreach(rows, i, row) {
		snprintf(key, sizeof(key), "%lld", (long long)rec_int(row, "id"));
		json_object_set_new(out, key, json_true());
	}
	json_decref(rows);
	return out;
}

static bool
has_id(const json_t *set, int64_t id)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_object_get(set, key) != NULL;
}

/* Achievement of every target set, briefings overdue, the user's to-do. */
static void
home_follow(struct request *r, struct home_view *hv)
{
	struct list_query q;
	json_t *sets, *set, *clusters, *todo, *mine;
	size_t i;

	hv->achievements = json_array();
	memset(&q, 0, sizeof(q));
	if (hv->unitv != NULL)
		q.filters[q.nfilters++] = (struct list_filter){
		    field_name(FLD_TARGET_SET_UNIT_ID), OP_WITHIN, hv->unitv };
	sets = store_list_all(r->store, entity_of(ENT_TARGET_SET), &q, 50, NULL);
	json_array_foreach(sets, i, set) {
		json_t *a = achieve_target_set(r->store, rec_int(set, "id"), NULL, NULL);
		if (a != NULL && rec_str(a, "summary") != NULL)
			json_array_append_new(hv->achievements, json_pack("{s:I, s:s?, s:s}",
			    "id", (json_int_t)rec_int(set, "id"), field_name(FLD_TARGET_SET_NAME),
			    jrec_str(set, FLD_TARGET_SET_NAME),
			    "summary", rec_str(a, "summary")));
		json_decref(a);
	}
	json_decref(sets);
	clusters = coord_clusters_due(r->store, 0, hv->today, NULL);
	mine = hv->unitv != NULL ? clusters_within(r, hv) : NULL;
	json_array_foreach(clusters, i, set)
		if (json_is_true(json_object_get(set, "overdue")) && (mine == NULL ||
		    has_id(mine, jrec_int(set, FLD_MEETING_CLUSTER_ID))))
			hv->briefings_overdue++;
	json_decref(mine);
	json_decref(clusters);
	todo = coord_todo(r->store, &r->user, hv->today, NULL);
	hv->todo_overdue = (long long)json_array_size(json_object_get(todo, "tasks_overdue"));
	hv->todo_due = (long long)json_array_size(json_object_get(todo, "tasks_due"));
	hv->todo_waiting = (long long)json_array_size(json_object_get(todo,
	    "recommendations_waiting"));
	json_decref(todo);
}

/* Tổng quan: the whole country (unit 0), or the same panels for the
 * records within one unit - a province's or a district's dashboard. */
static void
home_render(struct request *r, int64_t unit)
{
	struct home_view hv;
	struct view v;
	struct page pg;
	char today[CLOCK_DATE_LEN], soon[CLOCK_DATE_LEN], href[160], title[300];
	json_t *submitted, *todayv, *soonv;
	size_t i;

	view_init(&v, r);
	memset(&hv, 0, sizeof(hv));
	hv.v = &v;
	if (unit > 0) {
		json_t *u = store_get(r->store, entity_of(ENT_ADMIN_UNIT), unit, NULL);
		if (u == NULL) {
			view_free(&v);
			page_error(r, 404, "không có đơn vị hành chính này");
			return;
		}
		hv.unit_id = unit;
		hv.unitv = json_integer(unit);
		hv.unit_name = view_str(&v, jrec_str(u, FLD_ADMIN_UNIT_NAME));
		hv.unit_code = view_str(&v, jrec_str(u, FLD_ADMIN_UNIT_CODE));
		if (jrec_int(u, FLD_ADMIN_UNIT_PARENT_ID) > 0) {
			hv.parent_id = jrec_int(u, FLD_ADMIN_UNIT_PARENT_ID);
			hv.parent_name = view_ref_title(&v, entity_of(ENT_ADMIN_UNIT)->name,
			    hv.parent_id);
		}
		json_decref(u);
	}
	clock_today(today);
	hv.today = today;
	home_kinds(r, &hv);

	home_card(r, &hv, "Hội nghị gần đây", ENT_MEETING, NULL, 0, FLD_MEETING_HELD_ON,
	    true, "/e/meeting?sort=-held_on", FLD_MEETING_HELD_ON, FLD_MEETING_UNIT_ID,
	    "Chưa có hội nghị nào.", FLD_MEETING_UNIT_ID);
	submitted = json_string("submitted");
	home_card(r, &hv, "Kiến nghị chờ trả lời", ENT_RECOMMENDATION,
	    &(struct list_filter){ field_name(FLD_RECOMMENDATION_STATUS), OP_EQ, submitted }, 1,
	    FLD_RECOMMENDATION_RAISED_ON, true,
	    "/e/recommendation?status=submitted&sort=-raised_on", FLD_RECOMMENDATION_RAISED_ON,
	    FLD_RECOMMENDATION_FROM_ORG_ID, "Không có kiến nghị nào đang chờ trả lời.",
	    FLD_RECOMMENDATION_FROM_ORG_ID);
	todayv = json_string(today);
	snprintf(href, sizeof(href), "/e/task?deadline__lt=%s&completed_on__null=1"
	    "&sort=deadline", today);
	home_card(r, &hv, "Nhiệm vụ quá hạn", ENT_TASK, (struct list_filter[]){
	    { field_name(FLD_TASK_DEADLINE), OP_LT, todayv },
	    { field_name(FLD_TASK_COMPLETED_ON), OP_NULL, NULL } }, 2,
	    FLD_TASK_DEADLINE, false, href, FLD_TASK_DEADLINE, FLD_TASK_ASSIGNEE_ORG_ID,
	    "Không có nhiệm vụ nào quá hạn.", FLD_TASK_ASSIGNEE_ORG_ID);
	/* agreements whose validity ends within EXPIRING_DAYS */
	add_days_iso(today, EXPIRING_DAYS, soon);
	soonv = json_string(soon);
	snprintf(href, sizeof(href), "/e/agreement?valid_to__gte=%s&valid_to__lte=%s"
	    "&sort=valid_to", today, soon);
	home_card(r, &hv, "Thỏa thuận sắp hết hiệu lực", ENT_AGREEMENT, (struct list_filter[]){
	    { field_name(FLD_AGREEMENT_VALID_TO), OP_GE, todayv },
	    { field_name(FLD_AGREEMENT_VALID_TO), OP_LE, soonv } }, 2,
	    FLD_AGREEMENT_VALID_TO, false, href, FLD_AGREEMENT_VALID_TO, FLD_AGREEMENT_UNIT_ID,
	    "Không có thỏa thuận nào hết hiệu lực trong 90 ngày tới.", FLD_AGREEMENT_UNIT_ID);
	home_card(r, &hv, "Vụ việc mới ghi nhận", ENT_INCIDENT, NULL, 0,
	    FLD_INCIDENT_OCCURRED_ON, true, "/e/incident?sort=-occurred_on",
	    FLD_INCIDENT_OCCURRED_ON, FLD_INCIDENT_UNIT_ID,
	    "Chưa có vụ việc nào.", FLD_INCIDENT_UNIT_ID);
	home_card(r, &hv, "Hoạt động gần đây", ENT_ACTIVITY, NULL, 0, FLD_ACTIVITY_START_ON,
	    true, "/e/activity?sort=-start_on", FLD_ACTIVITY_START_ON, FLD_ACTIVITY_UNIT_ID,
	    "Chưa có hoạt động nào.", FLD_ACTIVITY_UNIT_ID);

	/* counts as the user sees them: confidential rows only with clearance;
	 * on a unit's dashboard, of the entities that have a unit */
	hv.counts = json_object();
	for (i = 0; i < registry_count; i++) {
		const struct field_def *uf = store_unit_field_of(registry[i]);
		struct list_query q;
		json_t *rows = NULL;
		int64_t n = 0;
		if (!auth_can_read_entity(&r->user, registry[i]))
			continue;
		memset(&q, 0, sizeof(q));
		if (hv.unitv != NULL) {
			/* organisations are counted by where they are */
			if (uf == NULL || registry[i]->id == ENT_ORGANISATION)
				continue;
			q.filters[q.nfilters++] = (struct list_filter){ uf->name, OP_WITHIN,
			    hv.unitv };
		}
		q.limit = 1;
		q.see_confidential = auth_has_clearance(&r->user);
		if (store_list(r->store, registry[i], &q, &rows, &n, NULL) == 0)
			json_object_set_new(hv.counts, registry[i]->name, json_integer(n));
		json_decref(rows);
	}

	home_follow(r, &hv);
	/* the dashboards one can go to, by name (no code to remember) */
	hv.units = store_units_in_use(r->store, 2, NULL);
	if (hv.unit_name != NULL)
		snprintf(title, sizeof(title), "Tổng quan: %s", hv.unit_name);
	page_init(r, &pg, hv.unit_name != NULL ? view_str(&v, title) : "Tổng quan",
	    "Tổng quan");
	home_page(&r->out, &pg, &hv);
	page_done(r, 200);
	for (i = 0; i < hv.ncards; i++)
		json_decref(hv.cards[i].rows);
	json_decref(hv.counts);
	json_decref(submitted);
	json_decref(todayv);
	json_decref(soonv);
	json_decref(hv.achievements);
	json_decref(hv.unitv);
	json_decref(hv.units);
	view_free(&v);
}

/* The unit of a dashboard's URL: a code (on `date`, else in force today,
 * else the one that ended last: store_unit_by_code), or an id; 0 for the
 * whole country; -1 when an error page was written. */
static int64_t
dashboard_unit(struct request *r, const char *code)
{
	const char *date = req_query(r, "date");
	struct err e = { 0 };
	int64_t id = 0;

	if (code == NULL || *code == '\0') {
		if (req_query_int(r, "unit_id", 1, INT64_MAX, &id) < 0)
			return -1;
		return id;
	}
	if (web_date_arg(r, "date", date, &date, &e) != 0 ||
	    store_unit_by_code(r->store, code, date, &id, &e) != 0) {
		page_error(r, e.code == ERR_NOT_FOUND ? 404 : err_http_status(e.code), e.msg);
		err_clear(&e);
		return -1;
	}
	return id;
}

static void
get_home(struct request *r)
{
	int64_t unit = dashboard_unit(r, req_query(r, "unit"));

	if (unit >= 0)
		home_render(r, unit);
}

/* /units/CODE/dashboard: the unit page's link */
static void
get_unit_dashboard(struct request *r)
{
	int64_t unit = dashboard_unit(r, r->route_args[0]);

	if (unit >= 0)
		home_render(r, unit);
}

static void
get_admin(struct request *r)
{
	struct page pg;

	page_init(r, &pg, "Quản trị", "Quản trị");
	admin_page(&r->out, &pg);
	page_done(r, 200);
}

const struct route page_routes[] = {
	{ M_GET | M_HEAD, "/", get_home, RT_HTML },
	{ M_GET | M_HEAD, "/admin", get_admin, RT_HTML | RT_ADMIN },
	{ M_GET | M_HEAD, "/units", page_units, RT_HTML },
	{ M_GET | M_HEAD, "/units/:/dashboard", get_unit_dashboard, RT_HTML },
	{ M_GET | M_HEAD, "/search", page_search, RT_HTML },
	{ M_GET | M_HEAD, "/e/:", page_list, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/new", page_new, RT_HTML },
	{ M_GET | M_HEAD, "/e/:/options", page_options, RT_HTML },
	{ M_GET | M_HEAD, "/e/:/pick", page_pick, RT_HTML },
	{ M_GET | M_HEAD, "/e/:/:", page_detail, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/:/edit", page_edit, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/:/delete", page_delete, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/:/several/:", page_several, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
