/*
 * api.c - the JSON API: the same five endpoints for every entity of the
 * registry (docs/API.md), plus /me, /units/CODE and /session.  What the
 * pages share with it (the actor, list queries, loading a record) is
 * web/web.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/auth.h"
#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/plaus.h"
#include "domain/records.h"
#include "domain/validate.h"
#include "http/http.h"
#include "http/metrics.h"
#include "text/text.h"
#include "web/web.h"

static void
set_etag(struct request *r, const json_t *rec)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%lld\"",
	    (long long)json_integer_value(json_object_get(rec, "version")));
	resp_header(r, "ETag", etag);
}

/* A record's answer; an indicator value's with its plausibility
 * warnings (plaus.h), which approvers read before approving. */
static void
answer_record(struct request *r, const struct entity_def *ent, int status,
    json_t *rec)
{
	struct err e = { 0 };

	if (plaus_annotate(r->store, ent, rec, &e) != 0) {
		json_decref(rec);
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	resp_json(r, status, rec);
}

/* ---- handlers ------------------------------------------------------------------ */

static void
list_records(struct request *r)
{
	const struct entity_def *ent = api_entity(r, r->route_args[0], false);
	json_t *owned, *rows;
	struct list_query q;
	struct err e = { 0 };
	int64_t total;

	if (ent == NULL)
		return;
	owned = json_array();
	if (api_list_query(r, ent, req_args(r), &q, owned, &e) != 0 ||
	    store_list(r->store, ent, &q, &rows, &total, &e) != 0) {
		resp_error(r, &e);
	} else {
		resp_json(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "items", rows,
		    "total", (json_int_t)total,
		    "limit", (json_int_t)(q.limit > 0 ? (q.limit > LIST_LIMIT_MAX ?
		    LIST_LIMIT_MAX : q.limit) : LIST_LIMIT_DEFAULT),
		    "offset", (json_int_t)q.offset));
	}
	json_decref(owned);
	err_clear(&e);
}

/* A record's routes take no query argument: one is refused (400, named)
 * as a list refuses a filter on a field it does not have - never silently
 * ignored.  Checked after the record is found and allowed (403/404 first). */
static bool
no_args(struct request *r)
{
	const char *key;
	json_t *v;

	json_object_foreach(req_args(r), key, v) {
		resp_fail(r, ERR_BAD_REQUEST, "tham số '%.64s' không dùng cho một bản ghi "
		    "(chỉ danh sách mới lọc)", key);
		return false;
	}
	return true;
}

static void
get_record(struct request *r)
{
	const struct entity_def *ent = api_entity(r, r->route_args[0], false);
	json_t *rec;

	if (ent == NULL || (rec = api_load(r, ent, r->route_args[1])) == NULL)
		return;
	if (!no_args(r)) {
		json_decref(rec);
		return;
	}
	set_etag(r, rec);
	answer_record(r, ent, 200, rec);
}

static void
create_record(struct request *r)
{
	const struct entity_def *ent = api_entity(r, r->route_args[0], true);
	struct actor who = api_actor(r);
	struct err e = { 0 };
	json_t *in, *out = NULL;
	char loc[128];

	if (ent == NULL)
		return;
	if ((in = req_json(r, &e)) == NULL) {
		resp_error(r, &e);
		err_clear(&e); /* a NUL's field is named (err_json_loadb) */
		return;
	}
	if (records_create(r->store, ent, in, &who, 0, &out, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	snprintf(loc, sizeof(loc), "/api/v1/%s/%lld", ent->name,
	    (long long)json_integer_value(json_object_get(out, "id")));
	resp_header(r, "Location", loc);
	set_etag(r, out);
	answer_record(r, ent, 201, out);
}

/* The record of an update or delete: its entity and id, and the version
 * of If-Match (0 when absent); false when an error answer was written. */
static bool
target_of(struct request *r, const struct entity_def **ent, int64_t *id,
    int64_t *version)
{
	struct err e = { 0 };
	json_t *cur;

	if ((*ent = api_entity(r, r->route_args[0], true)) == NULL)
		return false;
	/* a record the user may not see is 404 here too, before any write;
	 * one they may not change is 403 before the body is read */
	if ((cur = api_load(r, *ent, r->route_args[1])) == NULL)
		return false;
	if (!auth_can_write(r->store, &r->user, *ent, cur, &e)) {
		json_decref(cur);
		resp_error(r, &e);
		err_clear(&e);
		return false;
	}
	*id = json_integer_value(json_object_get(cur, "id"));
	json_decref(cur);
	if ((*version = api_if_match(r)) < 0) {
		resp_fail(r, ERR_BAD_REQUEST, "If-Match phải là phiên bản dạng \"3\"");
		return false;
	}
	return true;
}

static void
update_record(struct request *r)
{
	const struct entity_def *ent;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	json_t *in, *out = NULL;
	int64_t version, id;

	if (!target_of(r, &ent, &id, &version) || !no_args(r))
		return;
	if ((in = req_json(r, &e)) == NULL) {
		resp_error(r, &e);
		err_clear(&e); /* a NUL's field is named (err_json_loadb) */
		return;
	}
	if (records_update(r->store, ent, id, in, version, &who, 0, &out, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	set_etag(r, out);
	answer_record(r, ent, 200, out);
}

static void
delete_record(struct request *r)
{
	const struct entity_def *ent;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	int64_t version, id;

	if (!target_of(r, &ent, &id, &version) || !no_args(r))
		return;
	if (records_delete(r->store, ent, id, version, &who, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	r->status = 204;
}

/* POST /api/v1/ENTITY/_bulk: many records at once, all or nothing (with
 * ?skip_invalid=1 the good ones), through the bulk path of `giapranh
 * import` (bulk.h): the same validation, permission check per record and
 * audit entry per record as POST /api/v1/ENTITY.  The body is CSV
 * (Content-Type text/csv: a header row of field names) or a JSON array of
 * objects.  The answer lists every bad row: {"rows", "imported",
 * "rejected", "errors": [{"line", "field", "message"}]} - for JSON the
 * "line" is the item's number, from 1. */
static void
bulk_records(struct request *r)
{
	const struct entity_def *ent = api_entity(r, r->route_args[0], true);
	const char *ct = req_header(r, "Content-Type"), *skip = req_query(r, "skip_invalid");
	bool skip_invalid = skip != NULL && strcmp(skip, "1") == 0;
	struct actor who = api_actor(r);
	struct import_result res;
	struct err e = { 0 };
	json_t *body = NULL, *item, *out;
	int rc;

	if (ent == NULL)
		return;
	memset(&res, 0, sizeof(res));
	if (ct != NULL && (strncmp(ct, "text/csv", 8) == 0 ||
	    strncmp(ct, "application/csv", 15) == 0)) {
		rc = csv_import_buffer(r->store, ent, buf_str(&r->body), r->body.len,
		    skip_invalid, &who, &res, &e);
	} else if (ct != NULL && strncmp(ct, "application/json", 16) != 0) {
		resp_fail(r, ERR_MEDIA_TYPE, "gửi CSV (text/csv) hoặc một mảng JSON "
		    "(application/json)");
		return;
	} else if ((body = err_json_loadb(buf_str(&r->body), r->body.len, 0,
	    &e)) == NULL || !json_is_array(body)) {
		json_decref(body);
		/* out of memory, or what is wrong and where (err_json_loadb:
		 * a NUL names its item and field) */
		if (e.code != ERR_NONE)
			resp_error(r, &e);
		else
			resp_fail(r, ERR_BAD_REQUEST, "nội dung phải là một mảng JSON "
			    "các bản ghi");
		err_clear(&e);
		return;
	} else if (ent->flags & E_READONLY) {
		json_decref(body);
		resp_fail(r, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label);
		return;
	} else {
		struct bulk *b;
		size_t i;
		res.errors = json_array();
		rc = -1;
		b = bulk_open(r->store, ent, NULL, 0, &who, &res, &e);
		json_array_foreach(body, i, item) {
			if (b == NULL)
				break;
			if (!json_is_object(item)) {
				res.rows++;
				res.rejected++;
				bulk_error(&res, (long)i + 1, NULL,
				    "mỗi phần tử phải là một đối tượng JSON");
			} else if (bulk_row_json(b, (long)i + 1, item, &e) != 0) {
				bulk_abort(b);
				b = NULL;
			}
		}
		if (b != NULL)
			rc = bulk_finish(b, skip_invalid, &e);
		json_decref(body);
	}
	out = json_pack("{s:I, s:I, s:I, s:o, s:o}", "rows", (json_int_t)res.rows,
	    "imported", (json_int_t)res.imported, "rejected", (json_int_t)res.rejected,
	    "errors", res.errors ? res.errors : json_array(),
	    PLAUS_WARNINGS, res.warnings ? res.warnings : json_array());
	if (rc != 0) {
		/* an answer without its error would not say why (resp_json
		 * answers out_of_memory for NULL) */
		if (json_object_set_new(out, "error", json_pack("{s:s, s:s}", "code",
		    err_code_name(e.code), "message", e.msg[0] ? e.msg : "lỗi")) != 0) {
			json_decref(out);
			out = NULL;
		}
		resp_json(r, err_http_status(e.code), out);
	} else {
		resp_json(r, 200, out);
	}
	err_clear(&e);
}

static json_t *
user_json(const struct user *u)
{
	static const char *const roles[] = { "none", "viewer", "editor", "approver", "admin" };
	json_t *grants = json_array(), *g;
	size_t i;

	for (i = 0; i < u->ngrants; i++) {
		/* "I?" is no pack format (json_pack failed and every grant was
		 * lost): a scope that is 0 is null, built as an "o" */
		g = json_pack("{s:s, s:o, s:o, s:b, s:b}",
		    field_name(FLD_ROLE_GRANT_ROLE), roles[u->grants[i].role],
		    field_name(FLD_ROLE_GRANT_UNIT_ID), u->grants[i].unit_id ?
		    json_integer(u->grants[i].unit_id) : json_null(),
		    field_name(FLD_ROLE_GRANT_ORGANISATION_ID), u->grants[i].org_id ?
		    json_integer(u->grants[i].org_id) : json_null(),
		    "national", u->grants[i].national,
		    field_name(FLD_ROLE_GRANT_SECURITY_CLEARANCE), u->grants[i].clearance);
		/* a grant that could not be listed would misstate the rights */
		if (json_array_append_new(grants, g) != 0) {
			json_decref(grants);
			return NULL;
		}
	}
	return json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id,
	    field_name(FLD_APP_USER_LOGIN), u->login,
	    field_name(FLD_APP_USER_DISPLAY_NAME), u->display_name, "grants", grants,
	    "admin", auth_is_admin(u));
}

static void
get_me(struct request *r)
{
	resp_json(r, 200, user_json(&r->user));
}

static void
get_unit(struct request *r)
{
	const char *date = req_query(r, "date");
	struct err e = { 0 };
	json_t *u, *out;
	int64_t id;

	/* 31/12/2025 as well as 2025-12-31 */
	if (web_date_arg(r, "date", date, &date, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	if (store_unit_by_code(r->store, r->route_args[0], date, &id, &e) != 0 ||
	    (u = store_get(r->store, entity_of(ENT_ADMIN_UNIT), id, &e)) == NULL) {
		resp_error(r, &e);
		return;
	}
	out = json_pack("{s:o, s:o*, s:o*, s:o*, s:o*}", "unit", u,
	    "children", store_unit_children(r->store, id, NULL),
	    "ancestors", store_unit_ancestors(r->store, id, NULL),
	    "successors", store_unit_successors(r->store, id, NULL),
	    "predecessors", store_unit_predecessors(r->store, id, NULL));
	resp_json(r, 200, out);
}

/* ---- session over JSON (scripts and the SPA-less pages use forms) ------------ */

static void
post_session(struct request *r)
{
	struct err e = { 0 };
	char token[AUTH_TOKEN_LEN + 1];
	json_t *in = req_json(r, &e);
	const char *login, *password;
	struct user u;

	if (in == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	login = json_string_value(json_object_get(in, "login"));
	password = json_string_value(json_object_get(in, "password"));
	if (login == NULL || password == NULL) {
		resp_fail(r, ERR_INVALID, "cần login và password");
		return;
	}
	if (auth_sign_in(r->store, login, password, r->client_ip, token,
	    sizeof(token), &e) != 0) {
		resp_error(r, &e);
		return;
	}
	/* the session just made, read back (u is zeroed when it cannot be):
	 * an answer naming nobody would not be a sign-in */
	if (auth_from_cookie(r->store, token, &u, &e) != 1) {
		if (e.code == ERR_NONE)
			err_set(&e, ERR_UNAVAILABLE, "phiên đăng nhập vừa tạo chưa đọc lại "
			    "được; xin thử lại");
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	api_set_session_cookie(r, token);
	resp_json(r, 200, json_pack("{s:o, s:s}", "user", user_json(&u), "csrf", u.csrf));
}

static void
delete_session(struct request *r)
{
	auth_sign_out(r->store, req_cookie(r, SESSION_COOKIE));
	api_set_session_cookie(r, NULL);
	r->status = 204;
}

/* GET /metrics: the Prometheus exposition (metrics.h), for admins - a
 * scraper signs in with an admin's API token (Authorization: Bearer). */
static void
get_metrics(struct request *r)
{
	if (metrics_render(&r->out) != 0) {
		resp_fail(r, ERR_NO_MEMORY, "%s", ERR_NO_MEMORY_MSG);
		return;
	}
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->no_store = true;
}

const struct route api_routes[] = {
	{ M_GET | M_HEAD, "/metrics", get_metrics, RT_API | RT_ADMIN },
	{ M_GET | M_HEAD, "/api/v1/me", get_me, RT_API },
	{ M_GET | M_HEAD, "/api/v1/units/:", get_unit, RT_API },
	{ M_POST, "/api/v1/session", post_session, RT_API | RT_PUBLIC },
	{ M_DELETE, "/api/v1/session", delete_session, RT_API },
	{ M_GET | M_HEAD, "/api/v1/:", list_records, RT_API },
	{ M_POST, "/api/v1/:", create_record, RT_API },
	{ M_POST, "/api/v1/:/_bulk", bulk_records, RT_API },
	{ M_GET | M_HEAD, "/api/v1/:/:", get_record, RT_API },
	{ M_PATCH, "/api/v1/:/:", update_record, RT_API },
	{ M_DELETE, "/api/v1/:/:", delete_record, RT_API },
	{ 0, NULL, NULL, 0 },
};
