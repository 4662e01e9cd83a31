/*
 * api_report.c - review reports over HTTP:
 *   GET  /reports/build?scope=KIND:ID&period=P&format=docx|xlsx|csv|html|pdf|json
 *        [&report_id=N]   the report of a scope, as a download (html inline)
 *   POST /api/v1/report/ID/issue    give a draft its number and date
 *   POST /reports/ID/issue          the same from the report's page (form)
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/auth.h"
#include "report/report.h"
#include "web/web.h"

static void
build_report(struct request *r)
{
	const char *fmt = req_query(r, "format"), *type, *ext;
	int (*render)(const json_t *, struct buf *, struct err *);
	struct report_scope scope;
	struct err e = { 0 };
	int64_t report_id = 0;
	json_t *doc;
	char disp[160];

	if (fmt == NULL || *fmt == '\0')
		fmt = "html";
	if (strcmp(fmt, "json") != 0 && report_format_find(fmt, &type, &ext, &render) != 0) {
		resp_fail(r, ERR_BAD_REQUEST, "định dạng phải là docx, xlsx, csv, html, pdf "
		    "hoặc json");
		return;
	}
	if (req_query_int(r, "report_id", 1, INT64_MAX, &report_id) < 0)
		return;
	if (report_scope_parse(r->store, req_query(r, "scope"), &scope, &e) != 0) {
		resp_error(r, &e);
		return;
	}
	doc = report_build(r->store, &scope, req_query(r, "period"), report_id,
	    auth_has_clearance(&r->user), &e);
	if (doc == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	if (strcmp(fmt, "json") == 0) {
		resp_json(r, 200, doc);
		return;
	}
	buf_reset(&r->out);
	r->out.max = JSON_RESPONSE_MAX;
	if (render(doc, &r->out, &e) != 0) {
		json_decref(doc);
		resp_error(r, &e);
		return;
	}
	json_decref(doc);
	r->status = 200;
	r->content_type = type;
	r->no_store = true;
	if (strcmp(fmt, "html") != 0) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"bao-cao-%lld.%s\"",
		    (long long)scope.id, ext);
		resp_header(r, "Content-Disposition", disp);
	}
}

static void
issue(struct request *r, bool page)
{
	struct actor who = api_actor(r);
	struct err e = { 0 };
	json_t *out = NULL, *rec;
	int64_t id;
	char loc[64];

	/* who may not write reports is told so first */
	if (!auth_can_write_entity(&r->user, entity_of(ENT_REPORT), &e)) {
		resp_error_for(r, page, e.code, "%s", e.msg);
		return;
	}
	if ((rec = api_load(r, entity_of(ENT_REPORT), r->route_args[0])) == NULL)
		return;
	id = json_integer_value(json_object_get(rec, "id"));
	/* issuing changes the report: the same permission as editing it */
	if (!auth_can_write(r->store, &r->user, entity_of(ENT_REPORT), rec, &e)) {
		json_decref(rec);
		resp_error(r, &e);
		return;
	}
	json_decref(rec);
	if (report_issue(r->store, id, &who, &out, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	if (page) {
		json_decref(out);
		snprintf(loc, sizeof(loc), "/e/report/%lld?ok=issued", (long long)id);
		resp_redirect(r, loc);
		return;
	}
	resp_json(r, 200, out);
}

static void
api_issue(struct request *r)
{
	issue(r, false);
}

static void
page_issue(struct request *r)
{
	issue(r, true);
}

const struct route report_routes[] = {
	{ M_GET | M_HEAD, "/reports/build", build_report, RT_HTML | RT_API },
	{ M_POST, "/api/v1/report/:/issue", api_issue, RT_API },
	{ M_POST, "/reports/:/issue", page_issue, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
