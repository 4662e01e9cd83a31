/*
 * api_attach.c - attachments over HTTP (domain/attach.h stores them):
 *   POST /api/v1/attachment/upload   the body is the file (API)
 *   POST /files                      a multipart form (pages)
 *   GET  /files/ID                   the file, as a download
 * Moved from attach.c, unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/attach.h"
#include "domain/auth.h"
#include "http/http.h"
#include "schema/record.h"
#include "text/html.h"
#include "web/web.h"

/* API: the body is the file; ?owner_entity=&owner_id=&filename=&caption= */
static void
api_upload(struct request *r)
{
	struct actor who = api_actor(r);
	struct err e = { 0 };
	int64_t id = 0;
	json_t *out = NULL;
	int rc;

	/* one who may not add files hears so before the request is judged */
	if (!auth_can_write_entity(&r->user, entity_of(ENT_ATTACHMENT), &e)) {
		resp_error(r, &e);
		return;
	}
	rc = req_query_int(r, field_name(FLD_ATTACHMENT_OWNER_ID), 1, INT64_MAX, &id);
	if (rc < 0)
		return;
	if (rc == 0) {
		resp_fail(r, ERR_INVALID, "thiếu owner_id");
		return;
	}
	if (attach_save(r->store, req_query(r, field_name(FLD_ATTACHMENT_FILENAME)),
	    req_header(r, "Content-Type"), r->body.data, r->body.len,
	    req_query(r, field_name(FLD_ATTACHMENT_OWNER_ENTITY)), id, req_query(r, field_name(FLD_ATTACHMENT_CAPTION)), &who, &out,
	    &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	resp_json(r, 201, out);
}

/* Pages: multipart form with file, owner_entity, owner_id, caption. */
static void
form_upload(struct request *r)
{
	struct actor who = api_actor(r);
	const struct upload *u = req_upload(r, "file");
	json_t *form = req_form(r);
	const char *owner = jrec_str(form, FLD_ATTACHMENT_OWNER_ENTITY);
	struct err e = { 0 };
	char loc[160];
	int64_t id = 0;
	int rc;

	if (!auth_can_write_entity(&r->user, entity_of(ENT_ATTACHMENT), &e)) {
		resp_error_for(r, true, e.code, "%s", e.msg);
		return;
	}
	rc = req_form_int(r, field_name(FLD_ATTACHMENT_OWNER_ID), 1, INT64_MAX, &id);
	if (rc < 0)
		return;
	if (u == NULL || owner == NULL || rc == 0) {
		resp_fail(r, ERR_INVALID, "hãy chọn tệp để tải lên");
		return;
	}
	if (attach_save(r->store, u->filename, u->content_type, u->data.data,
	    u->data.len, owner, id, jrec_str(form, FLD_ATTACHMENT_CAPTION),
	    &who, NULL, &e) != 0) {
		struct buf b;
		/* refused, or no such record: no page to go back to */
		if (e.code == ERR_FORBIDDEN || e.code == ERR_NOT_FOUND ||
		    e.code == ERR_UNAUTHORIZED) {
			resp_error_for(r, true, e.code, "%s", e.msg);
			err_clear(&e);
			return;
		}
		buf_init(&b, sizeof(loc) + ERR_MSG_MAX * 3);
		/* the message goes back as a query argument, shown escaped */
		buf_addf(&b, "/e/%s/%lld?err=", owner, (long long)id);
		html_url(&b, e.msg);
		resp_redirect(r, buf_str(&b));
		buf_free(&b);
		err_clear(&e);
		return;
	}
	snprintf(loc, sizeof(loc), "/e/%s/%lld?ok=file", owner, (long long)id);
	resp_redirect(r, loc);
}

static void
download(struct request *r)
{
	const struct entity_def *ent = entity_of(ENT_ATTACHMENT);
	char path[PATH_MAX_GP], disp[600];
	const char *sha, *name;
	json_t *rec;
	FILE *f;
	char chunk[16384];
	size_t n;

	if ((rec = api_load(r, ent, r->route_args[0])) == NULL)
		return;
	sha = jrec_str(rec, FLD_ATTACHMENT_SHA256);
	name = jrec_str(rec, FLD_ATTACHMENT_FILENAME);
	if (sha == NULL || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64 ||
	    attach_path(sha, path, sizeof(path)) != 0 || (f = fopen(path, "rb")) == NULL) {
		json_decref(rec);
		resp_fail(r, ERR_NOT_FOUND, "tệp không còn trong kho lưu trữ");
		return;
	}
	buf_reset(&r->out);
	r->out.max = ATTACH_MAX_BYTES + 1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&r->out, chunk, n);
	fclose(f);
	r->status = 200;
	r->content_type = req_strdup(r, jrec_str(rec,
	    FLD_ATTACHMENT_CONTENT_TYPE));
	{
		struct buf b;
		buf_init(&b, sizeof(disp));
		/* RFC 6266: an ASCII fallback, the real name in UTF-8 */
		buf_adds(&b, "attachment; filename=\"download\"; filename*=UTF-8''");
		html_url(&b, name);
		resp_header(r, "Content-Disposition", buf_str(&b));
		buf_free(&b);
	}
	resp_header(r, "ETag", sha);
	json_decref(rec);
}

const struct route attach_routes[] = {
	{ M_POST, "/api/v1/attachment/upload", api_upload, RT_API },
	{ M_POST, "/files", form_upload, RT_HTML },
	{ M_GET | M_HEAD, "/files/:", download, RT_HTML | RT_API },
	{ 0, NULL, NULL, 0 },
};
