/*
 * api_coord.c - JSON endpoints of the coordination computations (coord.h):
 *   GET /api/v1/program/ID/progress            plan vs signed, outstanding
 *   GET /api/v1/clusters/due?agreement_id=&as_of=
 *   GET /api/v1/help/evaluation?program_id=&from=&to=
 *   GET /api/v1/tasks/state?as_of=&meeting_id=|supervision_id=|assignee_org_id=
 *   GET /api/v1/todo?as_of=
 *   GET /api/v1/agreement/ID/exchange           incidents shared under it
 *   GET /api/v1/workflow/ENTITY/ID              allowed next states, history
 *   GET /api/v1/target_set/ID/achievement?period=   groups, bands, indicators
 *   GET /api/v1/indicator/ID/rollup?unit=CODE&period=&date=   over a unit subtree
 *   GET /api/v1/duties/status?year=&recipient_org_id=&as_of=   reporting duties
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/achieve.h"
#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/duties.h"
#include "domain/workflow.h"
#include "web/web.h"

static bool
date_arg(struct request *r, const char *name, const char **out)
{
	struct err e = { 0 };

	/* 31/12/2025 as well as 2025-12-31 */
	if (web_date_arg(r, name, req_query(r, name), out, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return false;
	}
	return true;
}

/* A record id of the query string (0 when absent); false when it is not
 * one (the 400 answer is written): a filter is never dropped silently. */
static bool
id_arg(struct request *r, const char *name, int64_t *id)
{
	*id = 0;
	return req_query_int(r, name, 1, INT64_MAX, id) >= 0;
}

static void
answer(struct request *r, json_t *out, struct err *e)
{
	if (out == NULL)
		resp_error(r, e);
	else
		resp_json(r, 200, out);
	err_clear(e);
}

static void
program_progress(struct request *r)
{
	struct err e = { 0 };
	int64_t id;

	if (!api_parse_id(r->route_args[0], &id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã chương trình không hợp lệ");
		return;
	}
	answer(r, coord_program_progress(r->store, id, &e), &e);
}

static void
clusters_due(struct request *r)
{
	struct err e = { 0 };
	const char *as_of;
	int64_t agreement;

	if (!date_arg(r, "as_of", &as_of) || !id_arg(r, "agreement_id", &agreement))
		return;
	answer(r, coord_clusters_due(r->store, agreement, as_of, &e), &e);
}

static void
help_evaluation(struct request *r)
{
	struct err e = { 0 };
	const char *from, *to;
	int64_t program;

	if (!date_arg(r, "from", &from) || !date_arg(r, "to", &to) ||
	    !id_arg(r, "program_id", &program))
		return;
	answer(r, coord_help_evaluation(r->store, program, from, to, &e), &e);
}

static void
tasks_state(struct request *r)
{
	/* the task's own fields, named so in the query string */
	static const enum field_id filters[] = { FLD_TASK_MEETING_ID,
		FLD_TASK_SUPERVISION_ID, FLD_TASK_ASSIGNEE_ORG_ID, FLD_TASK_DOCUMENT_ID };
	struct err e = { 0 };
	const char *as_of, *field = NULL;
	int64_t id = 0, v;
	size_t i;

	if (!date_arg(r, "as_of", &as_of))
		return;
	/* every filter read (and checked), the first one given applies */
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		if (!id_arg(r, field_name(filters[i]), &v))
			return;
		if (v > 0 && field == NULL) {
			field = field_name(filters[i]);
			id = v;
		}
	}
	answer(r, coord_tasks(r->store, as_of, field, id, &e), &e);
}

static void
todo(struct request *r)
{
	struct err e = { 0 };
	const char *as_of;

	if (!date_arg(r, "as_of", &as_of))
		return;
	answer(r, coord_todo(r->store, &r->user, as_of, &e), &e);
}

static void
exchange(struct request *r)
{
	struct err e = { 0 };
	int64_t id;

	if (!api_parse_id(r->route_args[0], &id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã thỏa thuận không hợp lệ");
		return;
	}
	answer(r, coord_exchange_log(r->store, id, auth_has_clearance(&r->user), &e), &e);
}

static void
workflow_state(struct request *r)
{
	const struct entity_def *ent = api_entity(r, r->route_args[0], false);
	const char *field;
	json_t *rec, *history, *idv, *namev, *rows;
	struct list_query q;
	struct err e = { 0 };

	if (ent == NULL)
		return;
	if ((field = workflow_field(ent)) == NULL) {
		resp_fail(r, ERR_NOT_FOUND, "%s không có quy trình trạng thái", ent->label);
		return;
	}
	if ((rec = api_load(r, ent, r->route_args[1])) == NULL)
		return;
	memset(&q, 0, sizeof(q));
	namev = json_string(ent->name);
	idv = json_integer(json_integer_value(json_object_get(rec, "id")));
	q.filters[0] = (struct list_filter){ field_name(FLD_STATUS_CHANGE_ENTITY), OP_EQ,
	    namev };
	q.filters[1] = (struct list_filter){ field_name(FLD_STATUS_CHANGE_RECORD_ID),
	    OP_EQ, idv };
	q.nfilters = 2;
	q.limit = LIST_LIMIT_MAX;
	q.see_confidential = auth_has_clearance(&r->user);
	if (store_list(r->store, entity_of(ENT_STATUS_CHANGE), &q, &rows, NULL, &e) != 0) {
		resp_error(r, &e);
		history = NULL;
	} else {
		history = rows;
		resp_json(r, 200, json_pack("{s:s, s:O, s:o, s:o}", "field", field,
		    "status", json_object_get(rec, field),
		    "next", workflow_next(ent, json_string_value(json_object_get(rec, field))),
		    "history", history));
	}
	json_decref(namev);
	json_decref(idv);
	json_decref(rec);
}

static void
duties(struct request *r)
{
	struct err e = { 0 };
	const char *as_of;
	int64_t year = 0, org;
	int rc;

	if (!date_arg(r, "as_of", &as_of) || !id_arg(r, "recipient_org_id", &org) ||
	    (rc = req_query_int(r, "year", 1945, 2100, &year)) < 0)
		return;
	if (rc == 0) {
		resp_fail(r, ERR_BAD_REQUEST, "year phải là năm, ví dụ 2024");
		return;
	}
	answer(r, duties_status(r->store, org, (int)year, as_of, &e), &e);
}

static void
target_set_achievement(struct request *r)
{
	struct err e = { 0 };
	const char *period = req_query(r, "period");
	int64_t id;

	if (!api_parse_id(r->route_args[0], &id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã bộ chỉ tiêu không hợp lệ");
		return;
	}
	answer(r, achieve_target_set(r->store, id, period && *period ? period : NULL,
	    &e), &e);
}

static void
indicator_rollup(struct request *r)
{
	struct err e = { 0 };
	const char *period = req_query(r, "period"), *code = req_query(r, "unit");
	int64_t id, unit = 0;

	if (!api_parse_id(r->route_args[0], &id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã chỉ tiêu không hợp lệ");
		return;
	}
	if (code == NULL || store_unit_by_code(r->store, code, req_query(r, "date"),
	    &unit, &e) != 0) {
		if (code == NULL)
			err_set(&e, ERR_BAD_REQUEST, "thiếu unit (mã đơn vị hành chính)");
		resp_error(r, &e);
		return;
	}
	answer(r, achieve_rollup(r->store, id, unit, period && *period ? period : NULL,
	    &e), &e);
}

const struct route coord_routes[] = {
	{ M_GET | M_HEAD, "/api/v1/target_set/:/achievement", target_set_achievement, RT_API },
	{ M_GET | M_HEAD, "/api/v1/indicator/:/rollup", indicator_rollup, RT_API },
	{ M_GET | M_HEAD, "/api/v1/duties/status", duties, RT_API },
	{ M_GET | M_HEAD, "/api/v1/program/:/progress", program_progress, RT_API },
	{ M_GET | M_HEAD, "/api/v1/clusters/due", clusters_due, RT_API },
	{ M_GET | M_HEAD, "/api/v1/help/evaluation", help_evaluation, RT_API },
	{ M_GET | M_HEAD, "/api/v1/tasks/state", tasks_state, RT_API },
	{ M_GET | M_HEAD, "/api/v1/todo", todo, RT_API },
	{ M_GET | M_HEAD, "/api/v1/agreement/:/exchange", exchange, RT_API },
	{ M_GET | M_HEAD, "/api/v1/workflow/:/:", workflow_state, RT_API },
	{ 0, NULL, NULL, 0 },
};
