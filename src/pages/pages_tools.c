/*
 * pages_tools.c - see pages_tools.h.  Also the two small POST routes the
 * tools use: a workflow move (/e/ENTITY/ID/status) and the answer to a
 * recommendation (/e/recommendation/ID/answer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/achieve.h"
#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/records.h"
#include "domain/workflow.h"
#include "pages/pages.h"
#include "pages/pages_tools.h"
#include "pages/pages_view.h"
#include "pages/tools_tmpl.h"
#include "report/report.h"
#include "schema/record.h"
#include "text/html.h"
#include "web/error_page.h"
#include "web/web.h"

#define FILES_SHOWN 100 /* attachments listed on a record page */

static json_t *
attachments_of(struct request *r, const struct entity_def *ent, int64_t id)
{
	struct list_query q;
	json_t *en = json_string(ent->name), *iv = json_integer(id), *rows = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_ATTACHMENT_OWNER_ENTITY), OP_EQ,
	    en };
	q.filters[1] = (struct list_filter){ field_name(FLD_ATTACHMENT_OWNER_ID), OP_EQ, iv };
	q.nfilters = 2;
	q.limit = FILES_SHOWN;
	q.see_confidential = auth_has_clearance(&r->user);
	if (store_list(r->store, entity_of(ENT_ATTACHMENT), &q, &rows, NULL, NULL) != 0)
		rows = json_array();
	json_decref(en);
	json_decref(iv);
	return rows;
}

static json_t *
next_states(const struct entity_def *ent, const char *field, const char *from)
{
	const struct field_def *f = entity_field(ent, field);
	json_t *codes = workflow_next(ent, from), *out = json_array(), *c;
	char code[64], label[128];
	size_t i, k;

	json_array_foreach(codes, i, c) {
		for (k = 0; k < enum_count(f); k++) {
			enum_choice(f, k, code, sizeof(code), label, sizeof(label));
			if (strcmp(code, json_string_value(c)) == 0)
				json_array_append_new(out, json_pack("[s, s]", code, label));
		}
	}
	json_decref(codes);
	return out;
}

void
tools_render(struct buf *b, struct request *r, const struct entity_def *ent,
    const json_t *rec, bool can_write)
{
	struct tools_view tv;
	struct buf tmp;
	const struct report_scope_kind_def *sk;
	const struct entity_behaviour *bh = entity_behaviour(ent);
	const char *state;
	char scope[REPORT_SCOPE_TEXT_MAX], href[160], summary[600];

	memset(&tv, 0, sizeof(tv));
	tv.ent = ent;
	tv.rec = rec;
	tv.id = rec_int(rec, "id");
	tv.can_write = can_write;
	tv.csrf = r->user.csrf;
	/* the entities a review report can be built for */
	if (bh->scope_kind >= 0) {
		sk = &report_scope_kinds[bh->scope_kind];
		snprintf(scope, sizeof(scope), "%s:%lld", sk->name, (long long)tv.id);
		tv.report_scope = scope;
	}
	/* what the record page offers is the entity's "tool" lines
	 * (schema/entities.txt), not a test of its name */
	if (bh->tools & TOOL_ACHIEVEMENT) {
		json_t *a = achieve_target_set(r->store, tv.id, NULL, NULL);
		if (a != NULL && rec_str(a, "summary") != NULL) {
			snprintf(summary, sizeof(summary), "%s", rec_str(a, "summary"));
			tv.summary = summary;
		}
		json_decref(a);
	}
	if (bh->tools & TOOL_GRID) {
		snprintf(href, sizeof(href), "/grid?%s=%lld", ent->name, (long long)tv.id);
		tv.grid_href = href;
	}
	if (bh->tools & TOOL_PROGRESS) {
		json_t *p = coord_program_progress(r->store, tv.id, NULL);
		if (p != NULL && json_is_number(json_object_get(p, "percent"))) {
			snprintf(summary, sizeof(summary), "%s %lld/%lld theo kế hoạch, đạt %.0f%%",
			    strcmp(rec_str(p, "counted") ?: "", "communes") == 0 ?
			    "Đã phân công giúp đỡ" : "Đã ký kết",
			    (long long)rec_int(p, "signed"), (long long)rec_int(p, "planned"),
			    json_number_value(json_object_get(p, "percent")));
			tv.summary = summary;
		}
		json_decref(p);
	}
	if (bh->tools & TOOL_TIMELINE) {
		snprintf(href, sizeof(href), "/timeline?%s=%lld", ent->name, (long long)tv.id);
		tv.timeline_href = href;
	}
	/* the tools below are the unit's and the report's (entities.txt) */
	if (bh->tools & TOOL_UNIT_TIMELINE) {
		buf_init(&tmp, sizeof(href));
		buf_adds(&tmp, "/timeline?unit=");
		html_url(&tmp, jrec_str(rec, FLD_ADMIN_UNIT_CODE));
		if (jrec_str(rec, FLD_ADMIN_UNIT_VALID_TO) != NULL) {
			buf_adds(&tmp, "&date=");
			html_url(&tmp, jrec_str(rec, FLD_ADMIN_UNIT_VALID_TO));
		}
		snprintf(href, sizeof(href), "%s", buf_str(&tmp));
		buf_free(&tmp);
		tv.timeline_href = href;
		/* the unit's own overview (pages.c: /units/CODE/dashboard) */
		buf_init(&tmp, sizeof(href));
		buf_adds(&tmp, "/units/");
		html_url(&tmp, jrec_str(rec, FLD_ADMIN_UNIT_CODE));
		buf_adds(&tmp, "/dashboard");
		if (jrec_str(rec, FLD_ADMIN_UNIT_VALID_TO) != NULL) {
			buf_adds(&tmp, "?date=");
			html_url(&tmp, jrec_str(rec, FLD_ADMIN_UNIT_VALID_TO));
		}
		tv.dashboard_href = req_strdup(r, buf_str(&tmp));
		buf_free(&tmp);
		/* and the unit among its parent and children (pages_units.c) */
		buf_init(&tmp, sizeof(href));
		buf_addf(&tmp, "/units?unit=%lld", (long long)tv.id);
		tv.tree_href = req_strdup(r, buf_str(&tmp));
		buf_free(&tmp);
	}
	if (bh->tools & TOOL_REPORT_LINKS) {
		buf_init(&tmp, 512);
		buf_adds(&tmp, "scope=");
		html_url(&tmp, jrec_str(rec, FLD_REPORT_SCOPE));
		buf_adds(&tmp, "&period=");
		html_url(&tmp, jrec_str(rec, FLD_REPORT_PERIOD));
		buf_addf(&tmp, "&report_id=%lld", (long long)tv.id);
		tv.report_links = req_strdup(r, buf_str(&tmp));
		buf_free(&tmp);
	}
	tv.status_field = workflow_field(ent);
	state = tv.status_field ? rec_str(rec, tv.status_field) : NULL;
	/* issued with its own button (the register gives the number): its
	 * workflow moves are not offered */
	if (bh->tools & TOOL_ISSUE) {
		tv.issue = can_write && state != NULL && strcmp(state, bh->issue_state) == 0;
		tv.status_field = NULL;
	}
	tv.next = tv.status_field ? next_states(ent, tv.status_field, state) :
	    json_array();
	tv.answer = (bh->tools & TOOL_ANSWER) && state != NULL &&
	    strcmp(state, bh->answer_state) == 0;
	tv.files = attachments_of(r, ent, tv.id);
	tools_html(b, &tv);
	json_decref(tv.next);
	json_decref(tv.files);
}

/* ---- POST routes ------------------------------------------------------------------ */

static void
back_to(struct request *r, const struct entity_def *ent, int64_t id, const char *flag)
{
	char loc[160];

	snprintf(loc, sizeof(loc), "/e/%s/%lld?%s=1", ent->name, (long long)id, flag);
	resp_redirect(r, loc);
}

static void
update_from_form(struct request *r, const struct entity_def *ent, json_t *in)
{
	struct actor who = api_actor(r);
	json_t *form = req_form(r), *rec;
	struct err e = { 0 };
	int64_t version = 0, id;

	/* one who may not write these records is told so first */
	if (!auth_can_write_entity(&r->user, ent, &e)) {
		page_error(r, err_http_status(e.code), e.msg);
		return;
	}
	if ((rec = api_load(r, ent, r->route_args[0])) == NULL) {
		/* api_load wrote JSON; a browser wants the page */
		page_error(r, 404, "không tìm thấy bản ghi");
		return;
	}
	id = rec_int(rec, "id");
	json_decref(rec);
	/* a version that is not one would skip the check silently */
	if (form != NULL && req_form_version(r, "_version", &version) < 0)
		return;
	if (records_update(r->store, ent, id, in, version, &who, 0, NULL, &e) != 0) {
		const char *k;
		json_t *m;
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", e.msg);
		json_object_foreach(e.fields, k, m) {
			snprintf(msg, sizeof(msg), "%s", json_string_value(m));
			break;
		}
		page_error(r, err_http_status(e.code), msg);
		err_clear(&e);
		return;
	}
	back_to(r, ent, id, "ok");
}

static void
post_status(struct request *r)
{
	const struct entity_def *ent = registry_find(r->route_args[0]);
	json_t *form = req_form(r), *in;
	const char *field = ent ? workflow_field(ent) : NULL;

	if (ent == NULL || field == NULL || !auth_can_read_entity(&r->user, ent)) {
		page_error(r, 404, "không có quy trình trạng thái cho loại bản ghi này");
		return;
	}
	r->route_args[0] = r->route_args[1];
	in = json_pack("{s:s?}", field, form ? rec_str(form, "status") : NULL);
	update_from_form(r, ent, in);
	json_decref(in);
}

static void
post_answer(struct request *r)
{
	json_t *form = req_form(r), *in;
	char today[CLOCK_DATE_LEN];
	/* the form's inputs are named as the fields they fill (tools.tmpl) */
	const char *on = form ? jrec_str(form, FLD_RECOMMENDATION_RESPONDED_ON) : NULL;

	clock_today(today);
	in = json_pack("{s:s, s:s?, s:s}", field_name(FLD_RECOMMENDATION_STATUS), "answered",
	    field_name(FLD_RECOMMENDATION_RESPONSE),
	    form ? jrec_str(form, FLD_RECOMMENDATION_RESPONSE) : NULL,
	    field_name(FLD_RECOMMENDATION_RESPONDED_ON), on != NULL && *on ? on : today);
	update_from_form(r, entity_of(ENT_RECOMMENDATION), in);
	json_decref(in);
}

const struct route tools_routes[] = {
	{ M_POST, "/e/recommendation/:/answer", post_answer, RT_HTML },
	{ M_POST, "/e/:/:/status", post_status, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
