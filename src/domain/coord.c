/* coord.c - see coord.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/records.h"
#include "schema/record.h"
#include "store/store_report.h"
#include "text/text.h"

#define COORD_ROWS_MAX 100000 /* records one computation walks */
#define TODO_HORIZON_DAYS 30

/* Every record matching simple equality filters (name, integer or string
 * value pairs), all pages. */
static json_t *
all_where(struct store *s, enum entity_id entity, struct err *e, size_t nf,
    const enum field_id *fields, json_t *const *values)
{
	const struct entity_def *ent = entity_of(entity);
	struct list_query q;
	size_t i;

	memset(&q, 0, sizeof(q));
	for (i = 0; i < nf && i < LIST_FILTERS_MAX; i++) {
		q.filters[i].field = field_name(fields[i]);
		q.filters[i].op = OP_EQ;
		q.filters[i].value = values[i];
	}
	q.nfilters = nf;
	q.see_confidential = true;
	return store_list_all(s, ent, &q, COORD_ROWS_MAX, e);
}

static json_t *
all_where1(struct store *s, enum entity_id entity, enum field_id field,
    json_t *v, struct err *e)
{
	json_t *rows = all_where(s, entity, e, v ? 1 : 0, &field, &v);

	json_decref(v);
	return rows;
}

/* Title of a referenced record, for display. */
static json_t *
ref_summary(struct store *s, enum entity_id entity, int64_t id)
{
	const struct entity_def *ent = entity_of(entity);
	json_t *rec;
	json_t *out;

	if (id <= 0 || ent == NULL || (rec = store_get(s, ent, id, NULL)) == NULL)
		return json_null();
	out = json_pack("{s:I, s:s?}", "id", (json_int_t)id, "title",
	    rec_str(rec, ent->title_field));
	json_decref(rec);
	return out;
}

/* ---- tasks ------------------------------------------------------------------- */

enum task_state
coord_task_state(const json_t *task, const char *as_of)
{
	const char *deadline = jrec_str(task, FLD_TASK_DEADLINE), *done = jrec_str(task, FLD_TASK_COMPLETED_ON);
	char today[16];

	if (as_of == NULL) {
		clock_today(today);
		as_of = today;
	}
	if (done != NULL && strcmp(done, as_of) <= 0)
		return deadline == NULL || strcmp(done, deadline) <= 0 ?
		    TASK_DONE_ON_TIME : TASK_DONE_LATE;
	if (deadline != NULL && strcmp(deadline, as_of) < 0)
		return TASK_OVERDUE;
	return TASK_OPEN;
}

const char *
coord_task_state_code(enum task_state st)
{
	static const char *const c[] = { "done_on_time", "done_late", "open", "overdue" };
	return c[st];
}

const char *
coord_task_state_label(enum task_state st)
{
	static const char *const l[] = { "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
		"Đang thực hiện, trong hạn", "Quá hạn, chưa hoàn thành" };
	return l[st];
}

json_t *
coord_tasks(struct store *s, const char *as_of, const char *filter_field,
    int64_t filter_id, struct err *e)
{
	json_t *tasks, *task, *counts, *items;
	char today[16];
	size_t i;

	if (as_of == NULL) {
		clock_today(today);
		as_of = today;
	}
	/* filter_field is the URL argument's word (api_coord.c) */
	tasks = all_where1(s, ENT_TASK, filter_field ? field_id_of(ENT_TASK,
	    filter_field) : FLD_NONE, filter_field ? json_integer(filter_id) : NULL,
	    e);
	if (tasks == NULL)
		return NULL;
	counts = json_pack("{s:i, s:i, s:i, s:i}", "done_on_time", 0, "done_late", 0,
	    "open", 0, "overdue", 0);
	items = json_array();
	json_array_foreach(tasks, i, task) {
		enum task_state st = coord_task_state(task, as_of);
		const char *code = coord_task_state_code(st);
		json_t *t = json_deep_copy(task);
		json_object_set_new(t, "state", json_string(code));
		json_object_set_new(t, "state_label", json_string(coord_task_state_label(st)));
		json_array_append_new(items, t);
		json_object_set_new(counts, code,
		    json_integer(json_integer_value(json_object_get(counts, code)) + 1));
	}
	json_decref(tasks);
	return json_pack("{s:s, s:o, s:o}", "as_of", as_of, "counts", counts,
	    "items", items);
}

/* ---- programs ----------------------------------------------------------------- */

static bool
is_signed(const char *status)
{
	return status != NULL && (strcmp(status, "signed") == 0 ||
	    strcmp(status, "active") == 0 || strcmp(status, "ended") == 0);
}

struct progress_ctx {
	json_t *outstanding;
	int64_t total, signed_n;
	bool all_help;
};

static int
agreement_cb(void *ctx, const struct store_program_agreement *a)
{
	struct progress_ctx *pc = ctx;

	pc->total++;
	if (a->kind == NULL || strcmp(a->kind, "help_assignment") != 0)
		pc->all_help = false;
	if (is_signed(a->status))
		pc->signed_n++;
	else
		json_array_append_new(pc->outstanding, json_pack("{s:I, s:s?, s:s?, s:o}",
		    "id", (json_int_t)a->id, field_name(FLD_AGREEMENT_TITLE), a->title,
		    field_name(FLD_AGREEMENT_STATUS), a->status,
		    "unit", a->unit_id > 0 && a->unit_found ? json_pack("{s:I, s:s?}", "id",
		    (json_int_t)a->unit_id, "title", a->unit_title) :
		    json_null()));
	return 0;
}

json_t *
coord_program_progress(struct store *s, int64_t program_id, struct err *e)
{
	static const char *const signed_statuses[] = { "signed", "active", "ended" };
	struct progress_ctx pc = { NULL, 0, 0, true };
	json_t *program;
	int64_t planned, signed_n;

	program = store_get(s, entity_of(ENT_PROGRAM), program_id, e);
	if (program == NULL)
		return NULL;
	/* the agreements with their units' titles in one statement */
	pc.outstanding = json_array();
	if (store_program_agreements(s, program_id, agreement_cb, &pc, e) != 0) {
		json_decref(pc.outstanding);
		json_decref(program);
		return NULL;
	}
	signed_n = pc.signed_n;
	/* help assignments are planned per commune (Decision 2523: 106
	 * communes), not per agreement: count the communes that have a helper
	 * under a signed assignment */
	if (pc.all_help && pc.total > 0) {
		json_decref(pc.outstanding);
		pc.outstanding = json_array();
		if (store_program_helped(s, program_id, "helped", signed_statuses,
		    sizeof(signed_statuses) / sizeof(signed_statuses[0]), &signed_n, e) != 0) {
			json_decref(pc.outstanding);
			json_decref(program);
			return NULL;
		}
	}
	planned = jrec_int(program, FLD_PROGRAM_PLANNED_COUNT);
	if (planned <= 0)
		planned = pc.total;
	{
		json_t *out = json_pack("{s:I, s:s?, s:I, s:I, s:I, s:o, s:s}",
		    field_name(FLD_AGREEMENT_PROGRAM_ID), (json_int_t)program_id,
		    field_name(FLD_PROGRAM_NAME), jrec_str(program, FLD_PROGRAM_NAME),
		    "planned", (json_int_t)planned, "signed", (json_int_t)signed_n,
		    "recorded", (json_int_t)pc.total, "outstanding", pc.outstanding,
		    "counted", pc.all_help && pc.total > 0 ? "communes" : "agreements");
		/* a plan of 0 has no percentage, never a division error */
		json_object_set_new(out, "percent", planned > 0 ?
		    json_real((double)signed_n * 100.0 / (double)planned) : json_null());
		json_decref(program);
		return out;
	}
}

/* ---- clusters ------------------------------------------------------------------ */

static int
frequency_months(const char *f)
{
	if (f == NULL)
		return 0;
	if (strcmp(f, "monthly") == 0)
		return 1;
	if (strcmp(f, "quarterly") == 0)
		return 3;
	if (strcmp(f, "half_yearly") == 0)
		return 6;
	if (strcmp(f, "yearly") == 0)
		return 12;
	return 0;
}

/* ISO date + months, clamped to the month's last day. */
static void
add_months(const char *iso, int months, char *out, size_t len)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, last;

	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
		snprintf(out, len, "%s", iso);
		return;
	}
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d > last)
		d = last;
	snprintf(out, len, "%04d-%02d-%02d", y, m, d);
}

json_t *
coord_clusters_due(struct store *s, int64_t agreement_id, const char *as_of,
    struct err *e)
{
	const struct entity_def *meetings = entity_of(ENT_MEETING);
	json_t *clusters, *c, *out;
	char today[16], due[16];
	size_t i;

	if (as_of == NULL) {
		clock_today(today);
		as_of = today;
	}
	clusters = all_where1(s, ENT_CLUSTER, agreement_id > 0 ?
	    FLD_CLUSTER_AGREEMENT_ID : FLD_NONE,
	    agreement_id > 0 ? json_integer(agreement_id) : NULL, e);
	if (clusters == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(clusters, i, c) {
		struct list_query q;
		json_t *rows, *idv = json_integer(rec_int(c, "id"));
		json_t *kind = json_string("periodic_briefing"), *upto = json_string(as_of);
		const char *last = NULL;
		int months = frequency_months(jrec_str(c, FLD_CLUSTER_BRIEFING_FREQUENCY));
		json_t *item;

		memset(&q, 0, sizeof(q));
		q.filters[0] = (struct list_filter){
		    field_name(FLD_MEETING_CLUSTER_ID), OP_EQ, idv };
		q.filters[1] = (struct list_filter){
		    field_name(FLD_MEETING_KIND), OP_EQ, kind };
		q.filters[2] = (struct list_filter){
		    field_name(FLD_MEETING_HELD_ON), OP_LE, upto };
		q.nfilters = 3;
		q.sort = field_name(FLD_MEETING_HELD_ON);
		q.desc = true;
		q.limit = 1;
		if (store_list(s, meetings, &q, &rows, NULL, e) != 0) {
			json_decref(idv);
			json_decref(kind);
			json_decref(upto);
			json_decref(clusters);
			json_decref(out);
			return NULL;
		}
		if (json_array_size(rows) > 0)
			last = jrec_str(json_array_get(rows, 0), FLD_MEETING_HELD_ON);
		item = json_pack("{s:I, s:s?, s:s?, s:s?}",
		    field_name(FLD_MEETING_CLUSTER_ID), (json_int_t)rec_int(c, "id"),
		    field_name(FLD_CLUSTER_NAME), jrec_str(c, FLD_CLUSTER_NAME),
		    field_name(FLD_CLUSTER_BRIEFING_FREQUENCY),
		    jrec_str(c, FLD_CLUSTER_BRIEFING_FREQUENCY),
		    field_name(FLD_CLUSTER_LAST_BRIEFING_ON), last);
		if (last != NULL && months > 0) {
			add_months(last, months, due, sizeof(due));
			json_object_set_new(item, "next_due_on", json_string(due));
			json_object_set_new(item, "overdue", json_boolean(strcmp(due, as_of) < 0));
		} else {
			/* never briefed: due now when a frequency is set */
			json_object_set_new(item, "next_due_on", json_null());
			json_object_set_new(item, "overdue", json_boolean(months > 0));
		}
		json_array_append_new(out, item);
		json_decref(rows);
		json_decref(idv);
		json_decref(kind);
		json_decref(upto);
	}
	json_decref(clusters);
	return out;
}

/* ---- help assignments ----------------------------------------------------------- */

static bool
date_in(const char *d, const char *from, const char *to)
{
	return d != NULL && (from == NULL || strcmp(d, from) >= 0) &&
	    (to == NULL || strcmp(d, to) <= 0);
}

json_t *
coord_help_evaluation(struct store *s, int64_t program_id, const char *from,
    const char *to, struct err *e)
{
	const enum field_id fields[2] = { FLD_AGREEMENT_KIND,
		FLD_AGREEMENT_PROGRAM_ID };
	json_t *vals[2] = { json_string("help_assignment"), json_integer(program_id) };
	json_t *agreements, *a, *helpers, *out;
	size_t i, j, k;

	agreements = all_where(s, ENT_AGREEMENT, e, program_id > 0 ? 2 : 1, fields, vals);
	json_decref(vals[0]);
	json_decref(vals[1]);
	if (agreements == NULL)
		return NULL;
	/* helper org id -> {organisation, communes: [ids], activities: n} */
	helpers = json_object();
	json_array_foreach(agreements, i, a) {
		json_t *parties = all_where1(s, ENT_AGREEMENT_PARTY,
		    FLD_AGREEMENT_PARTY_AGREEMENT_ID,
		    json_integer(rec_int(a, "id")), e), *p;
		json_t *communes = json_array(), *orgs = json_array();
		if (parties == NULL)
			goto fail;
		json_array_foreach(parties, j, p) {
			const char *role = jrec_str(p, FLD_AGREEMENT_PARTY_ROLE);
			if (role != NULL && strcmp(role, "helper") == 0 && jrec_int(p, FLD_AGREEMENT_PARTY_ORGANISATION_ID) > 0)
				json_array_append_new(orgs, json_integer(jrec_int(p, FLD_AGREEMENT_PARTY_ORGANISATION_ID)));
			else if (role != NULL && strcmp(role, "helped") == 0 && jrec_int(p, FLD_AGREEMENT_PARTY_UNIT_ID) > 0)
				json_array_append_new(communes, json_integer(jrec_int(p, FLD_AGREEMENT_PARTY_UNIT_ID)));
		}
		json_array_foreach(orgs, j, p) {
			char key[32];
			json_t *h;
			snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(p));
			h = json_object_get(helpers, key);
			if (h == NULL) {
				h = json_pack("{s:o, s:[], s:i}",
				    entity_of(ENT_ORGANISATION)->name,
				    ref_summary(s, ENT_ORGANISATION, json_integer_value(p)),
				    "communes", "activities", 0);
				json_object_set_new(helpers, key, h);
			}
			json_array_extend(json_object_get(h, "communes"), communes);
		}
		json_decref(communes);
		json_decref(orgs);
		json_decref(parties);
	}
	/* activities of each helper inside its communes and the period */
	out = json_array();
	{
		const char *key;
		json_t *h;
		json_object_foreach(helpers, key, h) {
			json_t *acts = all_where1(s, ENT_ACTIVITY, FLD_ACTIVITY_ORGANISATION_ID,
			    json_integer(strtoll(key, NULL, 10)), e), *act;
			json_t *communes = json_object_get(h, "communes");
			int64_t n = 0;
			if (acts == NULL) {
				json_decref(out);
				goto fail;
			}
			json_array_foreach(acts, j, act) {
				if (!date_in(jrec_str(act, FLD_ACTIVITY_START_ON), from, to))
					continue;
				for (k = 0; k < json_array_size(communes); k++) {
					int64_t c = json_integer_value(json_array_get(communes, k));
					if (jrec_int(act, FLD_ACTIVITY_UNIT_ID) == c ||
					    store_unit_within(s, jrec_int(act, FLD_ACTIVITY_UNIT_ID), c)) {
						n++;
						break;
					}
				}
			}
			json_decref(acts);
			json_object_set_new(h, "activities", json_integer(n));
			json_object_set_new(h, "communes_count",
			    json_integer((json_int_t)json_array_size(communes)));
			json_object_set_new(h, "inactive", json_boolean(n == 0));
			json_array_append(out, h);
		}
	}
	json_decref(helpers);
	json_decref(agreements);
	return out;
fail:
	json_decref(helpers);
	json_decref(agreements);
	return NULL;
}

/* ---- to-do ----------------------------------------------------------------------- */

static bool
user_covers(struct store *s, const struct user *u, int64_t org, int64_t unit)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++) {
		const struct grant *g = &u->grants[i];
		if (g->national)
			return true;
		if (org > 0 && g->org_id == org)
			return true;
		if (unit > 0 && g->unit_id > 0 && store_unit_within(s, unit, g->unit_id))
			return true;
	}
	return false;
}

json_t *
coord_todo(struct store *s, const struct user *u, const char *as_of, struct err *e)
{
	json_t *tasks, *t, *recs, *rec, *due = json_array(), *overdue = json_array();
	json_t *waiting = json_array();
	char today[16], horizon[16];
	size_t i;

	if (as_of == NULL) {
		clock_today(today);
		as_of = today;
	}
	add_months(as_of, 1, horizon, sizeof(horizon));
	tasks = all_where1(s, ENT_TASK, FLD_NONE, NULL, e);
	recs = all_where1(s, ENT_RECOMMENDATION, FLD_RECOMMENDATION_STATUS,
	    json_string("submitted"), e);
	if (tasks == NULL || recs == NULL) {
		json_decref(tasks);
		json_decref(recs);
		json_decref(due);
		json_decref(overdue);
		json_decref(waiting);
		return NULL;
	}
	json_array_foreach(tasks, i, t) {
		enum task_state st = coord_task_state(t, as_of);
		const char *dl = jrec_str(t, FLD_TASK_DEADLINE);
		if (st == TASK_DONE_ON_TIME || st == TASK_DONE_LATE)
			continue;
		if (!user_covers(s, u, jrec_int(t, FLD_TASK_ASSIGNEE_ORG_ID), jrec_int(t, FLD_TASK_ASSIGNEE_UNIT_ID)))
			continue;
		if (st == TASK_OVERDUE)
			json_array_append(overdue, t);
		else if (dl != NULL && strcmp(dl, horizon) <= 0)
			json_array_append(due, t);
	}
	json_array_foreach(recs, i, rec)
		if (user_covers(s, u, jrec_int(rec, FLD_RECOMMENDATION_TO_ORG_ID), 0))
			json_array_append(waiting, rec);
	json_decref(tasks);
	json_decref(recs);
	return json_pack("{s:s, s:o, s:o, s:o}", "as_of", as_of, "tasks_overdue",
	    overdue, "tasks_due", due, "recommendations_waiting", waiting);
}

/* ---- information exchange --------------------------------------------------------- */

json_t *
coord_exchange_log(struct store *s, int64_t agreement_id, bool clearance,
    struct err *e)
{
	const struct entity_def *incidents = entity_of(ENT_INCIDENT);
	json_t *shares, *sh, *out;
	size_t i;

	shares = all_where1(s, ENT_INCIDENT_SHARE, FLD_INCIDENT_SHARE_AGREEMENT_ID,
	    json_integer(agreement_id), e);
	if (shares == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(shares, i, sh) {
		json_t *inc = store_get(s, incidents, jrec_int(sh, FLD_INCIDENT_SHARE_INCIDENT_ID), NULL);
		if (inc == NULL)
			continue;
		/* a confidential incident is not in the log without clearance */
		if (jrec_bool(inc, FLD_INCIDENT_CONFIDENTIAL) && !clearance) {
			json_decref(inc);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s?, s:o, s:o, s:o}",
		    field_name(FLD_INCIDENT_SHARE_SHARED_ON),
		    jrec_str(sh, FLD_INCIDENT_SHARE_SHARED_ON), incidents->name, inc,
		    "to_organisation", ref_summary(s, ENT_ORGANISATION,
		    jrec_int(sh, FLD_INCIDENT_SHARE_ORGANISATION_ID)),
		    "to_unit", ref_summary(s, ENT_ADMIN_UNIT,
		    jrec_int(sh, FLD_INCIDENT_SHARE_UNIT_ID))));
	}
	json_decref(shares);
	return out;
}
