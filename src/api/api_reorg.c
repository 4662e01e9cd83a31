/*
 * api_reorg.c - POST /api/v1/units/reorganise (issue 18 part 4): a
 * reorganisation of administrative units as CSV (domain/reorg.h), for
 * scripts; admins only, as the page /admin/units/reorganise.  Without
 * ?apply=1 it is a preview: checked and written, then undone.  The answer
 * is reorg.h's {applied, rows, units, ended, lineage, errors}; a refused
 * file adds {"error": {code, message}} with its status (422), and lists
 * every bad cell by line and column in "errors".
 */
#include <string.h>

#include "api/api.h"
#include "domain/reorg.h"
#include "web/web.h"

static void
post_reorganise(struct request *r)
{
	const char *ct = req_header(r, "Content-Type"), *apply = req_query(r, "apply");
	struct actor who = api_actor(r);
	struct reorg_result res = { NULL };
	struct err e = { 0 };
	json_t *out;
	int rc;

	if (apply != NULL && strcmp(apply, "1") != 0 && strcmp(apply, "0") != 0) {
		resp_fail(r, ERR_BAD_REQUEST, "apply phải là 1 (áp dụng) hoặc 0 (xem trước)");
		return;
	}
	if (ct == NULL || (strncmp(ct, "text/csv", 8) != 0 &&
	    strncmp(ct, "application/csv", 15) != 0)) {
		resp_fail(r, ERR_MEDIA_TYPE, "gửi tệp sắp xếp dạng CSV (text/csv)");
		return;
	}
	rc = reorg_run(r->store, buf_str(&r->body), r->body.len,
	    apply != NULL && strcmp(apply, "1") == 0, &who, &res, &e);
	out = res.out;
	res.out = NULL;
	if (rc == 0) {
		resp_json(r, 200, out);
		return;
	}
	if (out == NULL) {
		resp_error(r, &e);
	} else {
		/* the listing, and why as the API's error */
		if (json_object_set_new(out, "error", json_pack("{s:s, s:s}", "code",
		    err_code_name(e.code), "message", e.msg[0] ? e.msg : "lỗi")) != 0) {
			json_decref(out);
			out = NULL;
		}
		resp_json(r, err_http_status(e.code), out);
	}
	err_clear(&e);
}

const struct route reorg_routes[] = {
	{ M_POST, "/api/v1/units/reorganise", post_reorganise, RT_API | RT_ADMIN },
	{ 0, NULL, NULL, 0 },
};
