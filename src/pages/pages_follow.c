/*
 * pages_follow.c - /todo (the user's tasks due and overdue, and
 * recommendations waiting for an answer), /follow (plan vs signed of every
 * program, briefings due per cluster, help-assignment evaluation) and
 * /timeline?agreement=ID | unit=CODE (what happened, in date order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/records.h"
#include "pages/follow_tmpl.h"
#include "pages/pages.h"
#include "pages/pages_follow.h"
#include "report/report.h"
#include "schema/record.h"
#include "text/html.h"
#include "web/web.h"

#define TIMELINE_MAX 300 /* events on one timeline page */

void
follow_date(struct buf *b, const char *iso)
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
		buf_adds(b, "–");
		return;
	}
	buf_addf(b, "%02d/%02d/%04d", d, m, y);
}

void
follow_percent(struct buf *b, const json_t *v)
{
	char num[32];

	if (!json_is_number(v)) {
		buf_adds(b, "–");
		return;
	}
	report_format_number(json_number_value(v), 0, num, sizeof(num));
	buf_addf(b, "%s%%", num);
}

const char *
follow_frequency(const char *code)
{
	const struct field_def *f = field_of(FLD_CLUSTER_BRIEFING_FREQUENCY);
	static _Thread_local char label[64];
	char c[32];
	size_t i;

	for (i = 0; code != NULL && i < enum_count(f); i++) {
		enum_choice(f, i, c, sizeof(c), label, sizeof(label));
		if (strcmp(c, code) == 0)
			return label;
	}
	return "–";
}

static void
get_todo(struct request *r)
{
	struct err e = { 0 };
	struct page pg;
	json_t *todo = coord_todo(r->store, &r->user, req_query(r, "as_of"), &e);

	if (todo == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	page_init(r, &pg, "Việc cần làm", "Tổng quan");
	todo_page(&r->out, &pg, todo);
	page_done(r, 200);
	json_decref(todo);
}

static void
get_follow(struct request *r)
{
	struct list_query q;
	json_t *programs, *progress = json_array(), *clusters, *help, *p;
	struct page pg;
	size_t i;

	memset(&q, 0, sizeof(q));
	programs = store_list_all(r->store, entity_of(ENT_PROGRAM), &q, 500, NULL);
	json_array_foreach(programs, i, p) {
		json_t *pr = coord_program_progress(r->store, rec_int(p, "id"), NULL);
		if (pr != NULL)
			json_array_append_new(progress, pr);
	}
	json_decref(programs);
	clusters = coord_clusters_due(r->store, 0, req_query(r, "as_of"), NULL);
	help = coord_help_evaluation(r->store, 0, NULL, NULL, NULL);
	if (clusters == NULL)
		clusters = json_array();
	if (help == NULL)
		help = json_array();
	page_init(r, &pg, "Theo dõi thực hiện", "Chương trình & thỏa thuận");
	follow_page(&r->out, &pg, progress, clusters, help);
	page_done(r, 200);
	json_decref(progress);
	json_decref(clusters);
	json_decref(help);
}

/* ---- timeline ------------------------------------------------------------------- */

struct source {
	enum entity_id entity;
	enum field_id date_field;
	enum field_id agreement;  /* its reference to an agreement, or FLD_NONE */
	const char *label;
};

static const struct source sources[] = {
	{ ENT_MEETING, FLD_MEETING_HELD_ON, FLD_MEETING_AGREEMENT_ID, "Hội nghị, cuộc họp" },
	{ ENT_ACTIVITY, FLD_ACTIVITY_START_ON, FLD_ACTIVITY_AGREEMENT_ID, "Hoạt động" },
	{ ENT_INCIDENT, FLD_INCIDENT_OCCURRED_ON, FLD_NONE, "Vụ việc" },
	{ ENT_COMMENDATION, FLD_COMMENDATION_AWARDED_ON, FLD_COMMENDATION_AGREEMENT_ID,
	  "Khen thưởng" },
	{ ENT_RECOMMENDATION, FLD_RECOMMENDATION_RAISED_ON, FLD_NONE, "Kiến nghị" },
	{ ENT_TASK, FLD_TASK_ASSIGNED_ON, FLD_NONE, "Nhiệm vụ" },
	{ ENT_SUPERVISION, FLD_SUPERVISION_STARTED_ON, FLD_NONE, "Giám sát" },
};

static int
by_date_desc(const void *a, const void *b)
{
	const char *x = rec_str(*(json_t *const *)a, "date");
	const char *y = rec_str(*(json_t *const *)b, "date");

	return strcmp(y ? y : "", x ? x : "");
}

/* Events of the records that name the agreement or lie within the unit. */
static json_t *
events(struct request *r, int64_t agreement, int64_t unit)
{
	json_t *out = json_array(), *rows, *rec;
	json_t **sorted;
	struct list_query q;
	size_t s, i, n;
	char href[96];

	for (s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
		const struct entity_def *ent = entity_of(sources[s].entity);
		const char *unit_field = NULL;
		json_t *v = NULL;
		memset(&q, 0, sizeof(q));
		q.see_confidential = auth_has_clearance(&r->user);
		if (agreement > 0) {
			if (sources[s].agreement == FLD_NONE)
				continue;
			v = json_integer(agreement);
			q.filters[0] = (struct list_filter){ field_name(sources[s].agreement),
			    OP_EQ, v };
			q.nfilters = 1;
		} else {
			size_t k;
			for (k = 0; k < ent->nfields && unit_field == NULL; k++)
				if ((ent->fields[k].flags & F_SCOPE) && ent->fields[k].type == FT_REF &&
				    strcmp(ent->fields[k].arg, entity_of(ENT_ADMIN_UNIT)->name) == 0)
					unit_field = ent->fields[k].name;
			if (unit_field == NULL)
				continue;
		}
		q.sort = field_name(sources[s].date_field);
		q.desc = true;
		rows = store_list_all(r->store, ent, &q, TIMELINE_MAX * 20, NULL);
		json_decref(v);
		json_array_foreach(rows, i, rec) {
			if (unit_field != NULL && (rec_int(rec, unit_field) <= 0 ||
			    !store_unit_within(r->store, rec_int(rec, unit_field), unit)))
				continue;
			snprintf(href, sizeof(href), "/e/%s/%lld", ent->name,
			    (long long)rec_int(rec, "id"));
			json_array_append_new(out, json_pack("{s:s?, s:s, s:s?, s:s}",
			    "date", jrec_str(rec, sources[s].date_field), "kind", sources[s].label,
			    "title", rec_str(rec, ent->title_field), "href", href));
		}
		json_decref(rows);
	}
	/* newest first, at most TIMELINE_MAX */
	n = json_array_size(out);
	sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (sorted == NULL) {
		err_alloc_failed();
		return out; /* unsorted rather than nothing */
	}
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(out, i);
	qsort(sorted, n, sizeof(*sorted), by_date_desc);
	rows = json_array();
	for (i = 0; i < n && i < TIMELINE_MAX; i++)
		json_array_append(rows, sorted[i]);
	free(sorted);
	json_decref(out);
	return rows;
}

static void
get_timeline(struct request *r)
{
	const char *a = req_query(r, "agreement"), *u = req_query(r, "unit");
	struct err e = { 0 };
	struct page pg;
	int64_t agreement = 0, unit = 0;
	char subject[1200];
	json_t *rec = NULL, *evs;

	/* an agreement that is not an id is refused, not read as "none" */
	if (req_query_int(r, "agreement", 1, INT64_MAX, &agreement) < 0)
		return;
	if (agreement > 0) {
		rec = api_load(r, entity_of(ENT_AGREEMENT), a);
		if (rec == NULL)
			return;
		snprintf(subject, sizeof(subject), "Thỏa thuận: %s", jrec_str(rec, FLD_AGREEMENT_TITLE) ?: "");
	} else if (u != NULL && store_unit_by_code(r->store, u, req_query(r, "date"),
	    &unit, &e) == 0) {
		rec = store_get(r->store, entity_of(ENT_ADMIN_UNIT), unit, &e);
		snprintf(subject, sizeof(subject), "Địa bàn: %s",
		    rec != NULL && jrec_str(rec, FLD_ADMIN_UNIT_NAME) != NULL ?
		    jrec_str(rec, FLD_ADMIN_UNIT_NAME) : u);
		err_clear(&e);
	} else {
		resp_fail(r, ERR_BAD_REQUEST, "hãy chọn một thỏa thuận (?agreement=MÃ) hoặc "
		    "một đơn vị (?unit=MÃ ĐƠN VỊ)");
		return;
	}
	json_decref(rec);
	evs = events(r, agreement, unit);
	page_init(r, &pg, "Dòng thời gian", agreement ? "Chương trình & thỏa thuận" :
	    "Đơn vị hành chính");
	timeline_page(&r->out, &pg, subject, evs);
	page_done(r, 200);
	json_decref(evs);
}

const struct route follow_routes[] = {
	{ M_GET | M_HEAD, "/todo", get_todo, RT_HTML },
	{ M_GET | M_HEAD, "/follow", get_follow, RT_HTML },
	{ M_GET | M_HEAD, "/timeline", get_timeline, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
