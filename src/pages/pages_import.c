/*
 * pages_import.c - the page "Nhập từ tệp" (issue 17): a CSV or XLSX file
 * of records of one kind uploaded, checked, shown, then imported - its
 * good rows, or none - by the user's choice.
 *
 *   GET  /import                     the form, and a template per kind
 *   GET  /import/template?entity=E&format=xlsx|csv   a template (import_tmpl.h)
 *   POST /import                     the file checked: the preview
 *   POST /import/confirm             token + action=good|none: the load
 *
 * The check is the load itself, undone (IMPORT_DRY_RUN: the same
 * validation, authorization and workflow as POST /api/v1/ENTITY/_bulk).
 * The file is then held here, in memory, for IMPORT_HELD_TTL_S, under a
 * random token of the user who sent it; the confirm (a cookie form: its
 * CSRF token is checked before this code runs) takes it back once and loads
 * it again from the start - the good rows of that load, not of the
 * preview, are written, in one transaction, each with its audit entry.
 * Kinds a user may write only; viewers are refused.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/auth.h"
#include "domain/csvio.h"
#include "domain/import_tmpl.h"
#include "domain/records.h"
#include "pages/import_tmpl.h"
#include "pages/pages.h"
#include "web/error_page.h"
#include "web/page.h"
#include "web/web.h"

#define SECTION       "Nhập từ tệp"
#define HELD_PER_USER 4   /* previews one user may have waiting          */
#define TOKEN_BYTES   32  /* random bytes of a preview's token            */
#define TOKEN_LEN     44  /* their base64url text, NUL included           */
#define XLSX_TYPE     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ---- who may import ------------------------------------------------------------- */

static bool
may_import(const struct user *u)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++)
		if (u->grants[i].role >= ROLE_EDITOR)
			return true;
	return false;
}

static bool
refuse_viewer(struct request *r)
{
	if (may_import(&r->user))
		return false;
	page_error(r, 403, "chỉ người nhập liệu (biên tập) trở lên được nhập từ tệp");
	return true;
}

/* Records of ent the user may import: kinds the user may write at all. */
static bool
may_import_kind(struct request *r, const struct entity_def *ent)
{
	struct actor who = api_actor(r);

	return import_tmpl_importable(ent) && auth_can_read_entity(&r->user, ent) &&
	    records_may_write_entity(r->store, ent, &who, 0, NULL);
}

/* The kind named by a form or query argument, when the user may import it;
 * else NULL with an error page written. */
static const struct entity_def *
kind_arg(struct request *r, const char *name)
{
	const struct entity_def *ent = name ? registry_find(name) : NULL;

	if (ent == NULL) {
		page_error(r, 400, "chọn loại bản ghi cần nhập");
		return NULL;
	}
	if (!may_import_kind(r, ent)) {
		page_error(r, 403, "anh/chị không được nhập loại bản ghi này");
		return NULL;
	}
	return ent;
}

/* ---- uploads held for their confirm -------------------------------------------- */

struct held {
	char token[TOKEN_LEN];
	int64_t user_id;
	const struct entity_def *ent;
	time_t expires;
	char *data;
	size_t len;
	char filename[sizeof(((struct upload *)0)->filename)]; /* as uploaded */
};

static struct held held[IMPORT_HELD_MAX];
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;

static void
held_drop(struct held *h)
{
	free(h->data);
	memset(h, 0, sizeof(*h));
}

/* Keep a copy of an upload; its token goes to token.  -1 when the server
 * holds as many as it may (the user is told to try again). */
static int
held_put(int64_t user_id, const struct entity_def *ent, const char *filename,
    const void *data, size_t len, char *token)
{
	unsigned char rnd[TOKEN_BYTES];
	struct held *slot = NULL, *oldest_own = NULL;
	time_t now = time(NULL);
	size_t i, own = 0;
	char *copy = malloc(len ? len : 1);

	if (copy == NULL)
		return -1;
	memcpy(copy, data, len);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(token, TOKEN_LEN, rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	pthread_mutex_lock(&held_lock);
	for (i = 0; i < IMPORT_HELD_MAX; i++) {
		struct held *h = &held[i];
		if (h->data != NULL && h->expires <= now)
			held_drop(h);
		if (h->data == NULL) {
			if (slot == NULL)
				slot = h;
			continue;
		}
		if (h->user_id == user_id) {
			own++;
			if (oldest_own == NULL || h->expires < oldest_own->expires)
				oldest_own = h;
		}
	}
	/* a user's newest previews are kept, not the server's room taken */
	if (oldest_own != NULL && (own >= HELD_PER_USER || slot == NULL)) {
		held_drop(oldest_own);
		slot = oldest_own;
	}
	if (slot == NULL) {
		pthread_mutex_unlock(&held_lock);
		free(copy);
		return -1;
	}
	snprintf(slot->token, sizeof(slot->token), "%s", token);
	slot->user_id = user_id;
	slot->ent = ent;
	slot->expires = now + IMPORT_HELD_TTL_S;
	slot->data = copy;
	slot->len = len;
	snprintf(slot->filename, sizeof(slot->filename), "%s", filename);
	pthread_mutex_unlock(&held_lock);
	return 0;
}

/* Take an upload back (once): the user's own, not expired.  0 with *out
 * filled (free out->data), -1 when there is none. */
static int
held_take(int64_t user_id, const char *token, struct held *out)
{
	time_t now = time(NULL);
	int rc = -1;
	size_t i;

	if (token == NULL || strlen(token) != TOKEN_LEN - 1)
		return -1;
	pthread_mutex_lock(&held_lock);
	for (i = 0; i < IMPORT_HELD_MAX; i++) {
		struct held *h = &held[i];
		if (h->data == NULL || !auth_secret_equal(h->token, token))
			continue;
		if (h->user_id == user_id && h->expires > now) {
			*out = *h;
			memset(h, 0, sizeof(*h)); /* the data is the caller's now */
			rc = 0;
		}
		break;
	}
	pthread_mutex_unlock(&held_lock);
	return rc;
}

/* ---- views ---------------------------------------------------------------------- */

static json_t *
kinds_of(struct request *r)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; i < registry_count; i++)
		if (may_import_kind(r, registry[i]))
			json_array_append_new(out, json_pack("{s:s, s:s}", "entity",
			    registry[i]->name, "label", registry[i]->label));
	return out;
}

static void
start_page(struct request *r, int status, const char *entity, const char *error,
    json_t *errors)
{
	struct page pg;
	json_t *v = json_pack("{s:o, s:s?, s:s?, s:I, s:I, s:O?}", "kinds", kinds_of(r),
	    "entity", entity, "error", error,
	    "max_mb", (json_int_t)(IMPORT_WEB_FILE_MAX >> 20),
	    "max_rows", (json_int_t)IMPORT_WEB_ROWS_MAX, "errors", errors);

	page_init(r, &pg, SECTION, SECTION);
	import_page(&r->out, &pg, v);
	page_done(r, status);
	json_decref(v);
}

static void
get_import(struct request *r)
{
	if (refuse_viewer(r))
		return;
	start_page(r, 200, req_query(r, "entity"), NULL, NULL);
}

static void
get_template(struct request *r)
{
	const char *fmt = req_query(r, "format");
	const struct entity_def *ent;
	struct err e = { 0 };
	char disp[160];
	bool xlsx;

	if (refuse_viewer(r) || (ent = kind_arg(r, req_query(r, "entity"))) == NULL)
		return;
	if (fmt == NULL || (strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "csv") != 0)) {
		page_error(r, 400, "định dạng mẫu phải là xlsx hoặc csv");
		return;
	}
	xlsx = strcmp(fmt, "xlsx") == 0;
	buf_reset(&r->out);
	r->out.max = IMPORT_TEMPLATE_FILE_MAX;
	if (xlsx && import_tmpl_xlsx(r->store, ent, &r->out, &e) != 0) {
		resp_error_for(r, true, e.code, "%s", e.msg);
		err_clear(&e);
		return;
	}
	if (!xlsx)
		import_tmpl_csv(ent, &r->out);
	r->status = 200;
	r->content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
	snprintf(disp, sizeof(disp), "attachment; filename=\"mau-nhap-%s.%s\"",
	    ent->name, fmt);
	resp_header(r, "Content-Disposition", disp);
}

/* At most how many cells a CSV file holds: every separator and line end
 * counted (quoted ones too), before anything is read into memory. */
static size_t
csv_cells_bound(const char *data, size_t len)
{
	size_t i, n = 1;

	for (i = 0; i < len; i++)
		n += data[i] == ',' || data[i] == '\n';
	return n;
}

/* The rows of the preview: the columns as labels, the good rows (those
 * the check named no error of) with their line numbers. */
static void
preview_rows(const struct entity_def *ent, json_t *rows, const json_t *errors,
    long rejected, json_t *v)
{
	json_t *header = json_array_get(rows, 0), *cols = json_array(), *good = json_array();
	json_t *bad = json_object(), *er;
	long last_listed = 0;
	size_t i, j;
	bool cut = false;

	json_array_foreach(header, j, er) {
		const struct field_def *f = entity_field(ent, json_string_value(er));
		json_array_append_new(cols, json_pack("{s:s, s:s}", "name",
		    json_string_value(er), "label", f ? f->label : json_string_value(er)));
	}
	json_array_foreach(errors, i, er) {
		char key[32];
		long line = (long)json_integer_value(json_object_get(er, "line"));
		snprintf(key, sizeof(key), "%ld", line);
		json_object_set_new(bad, key, json_true());
		if (line > last_listed)
			last_listed = line;
	}
	/* past the errors listed, a row may be bad without being named */
	if ((long)json_object_size(bad) < rejected)
		cut = true;
	for (i = 1; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		char key[32];
		long line = (long)i + 1;
		snprintf(key, sizeof(key), "%ld", line);
		if (json_object_get(bad, key) != NULL || (cut && line > last_listed))
			continue;
		/* blank lines and the template's help row are no records */
		if (json_array_size(row) == 0 || (json_array_size(row) == 1 &&
		    json_string_length(json_array_get(row, 0)) == 0))
			continue;
		if (i == 1) {
			const char *names[SQL_PARAMS_MAX], *cells[SQL_PARAMS_MAX];
			size_t n = json_array_size(row) < json_array_size(header) ?
			    json_array_size(row) : json_array_size(header);
			if (n > SQL_PARAMS_MAX)
				n = SQL_PARAMS_MAX;
			for (j = 0; j < n; j++) {
				names[j] = json_string_value(json_array_get(header, j));
				cells[j] = json_string_value(json_array_get(row, j));
			}
			if (import_tmpl_help_row(ent, names, cells, NULL, n))
				continue;
		}
		if (json_array_size(good) >= IMPORT_PREVIEW_ROWS) {
			json_object_set_new(v, "rows_cut", json_true());
			break;
		}
		json_array_append_new(good, json_pack("{s:I, s:O}", "line",
		    (json_int_t)line, "cells", row));
	}
	json_object_set_new(v, "columns", cols);
	json_object_set_new(v, "good_rows", good);
	json_decref(bad);
}

static void
post_import(struct request *r)
{
	json_t *form = req_form(r), *rows, *v;
	const struct upload *up = req_upload(r, "file");
	const char *entity = form ? json_string_value(json_object_get(form, "entity")) : NULL;
	const struct entity_def *ent;
	struct actor who = api_actor(r);
	struct import_result res;
	struct err e = { 0 };
	char token[TOKEN_LEN];
	struct page pg;
	int rc;

	if (refuse_viewer(r) || (ent = kind_arg(r, entity)) == NULL)
		return;
	if (up == NULL || up->data.len == 0) {
		start_page(r, 422, ent->name, "chọn tệp CSV hoặc XLSX cần nhập", NULL);
		return;
	}
	if (up->data.len > IMPORT_WEB_FILE_MAX) {
		start_page(r, 413, ent->name, "tệp lớn hơn mức cho phép khi nhập trên trang "
		    "(dùng lệnh giapranh import cho tệp lớn)", NULL);
		return;
	}
	if (!import_is_xlsx(up->data.data, up->data.len) &&
	    csv_cells_bound(up->data.data, up->data.len) > IMPORT_WEB_CELLS_MAX) {
		start_page(r, 413, ent->name, "tệp có quá nhiều ô để nhập trên trang "
		    "(dùng lệnh giapranh import cho tệp lớn)", NULL);
		return;
	}
	if ((rows = import_read_rows(up->data.data, up->data.len, &e)) == NULL) {
		start_page(r, err_http_status(e.code), ent->name, e.msg, NULL);
		err_clear(&e);
		return;
	}
	if (json_array_size(rows) > IMPORT_WEB_ROWS_MAX + 2) {
		json_decref(rows);
		start_page(r, 413, ent->name, "tệp có quá nhiều dòng để nhập trên trang "
		    "(dùng lệnh giapranh import cho tệp lớn)", NULL);
		return;
	}
	rc = import_buffer(r->store, ent, up->data.data, up->data.len,
	    IMPORT_DRY_RUN | IMPORT_SKIP_INVALID, &who, &res, &e);
	if (rc != 0 && (res.rows == 0 || (e.code != ERR_FORBIDDEN &&
	    e.code != ERR_INVALID))) {
		/* not a bad row: a file that is no table, a bad header line, the
		 * database - nothing to preview */
		json_decref(rows);
		if (err_http_status(e.code) >= 500) {
			resp_error_for(r, true, e.code, "%s", e.msg);
		} else {
			start_page(r, err_http_status(e.code), ent->name, e.msg, res.errors);
		}
		json_decref(res.errors);
		json_decref(res.warnings);
		err_clear(&e);
		return;
	}
	if (held_put(r->user.id, ent, up->filename[0] ? up->filename : "tệp tải lên",
	    up->data.data, up->data.len, token) != 0) {
		json_decref(rows);
		json_decref(res.errors);
		json_decref(res.warnings);
		err_clear(&e);
		page_error(r, 503, "máy chủ đang giữ quá nhiều tệp chờ nhập; thử lại sau ít phút");
		return;
	}
	v = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:O?, s:b, s:b, s:s?, s:I}",
	    "entity", ent->name, "label", ent->label, "filename",
	    up->filename[0] ? up->filename : "tệp tải lên", "token", token,
	    "rows", (json_int_t)res.rows, "good", (json_int_t)(rc == 0 ? res.imported : 0),
	    "rejected", (json_int_t)res.rejected, "errors", res.errors,
	    "errors_cut", json_array_size(res.errors) >= IMPORT_ERRORS_SHOWN,
	    "may_import", rc == 0 && res.imported > 0,
	    "error", rc != 0 ? e.msg : NULL,
	    "ttl_minutes", (json_int_t)(IMPORT_HELD_TTL_S / 60));
	if (v != NULL)
		preview_rows(ent, rows, res.errors, res.rejected, v);
	page_init(r, &pg, "Kiểm tra tệp nhập", SECTION);
	if (v != NULL)
		import_preview_page(&r->out, &pg, v);
	page_done(r, v != NULL ? 200 : 503);
	json_decref(v);
	json_decref(rows);
	json_decref(res.errors);
	json_decref(res.warnings);
	err_clear(&e);
}

static void
post_confirm(struct request *r)
{
	json_t *form = req_form(r), *v;
	const char *token = form ? json_string_value(json_object_get(form, "token")) : NULL;
	const char *action = form ? json_string_value(json_object_get(form, "action")) : NULL;
	struct actor who = api_actor(r);
	struct import_result res;
	struct err e = { 0 };
	struct held h;
	struct page pg;
	char msg[ERR_MSG_MAX];
	int rc, status = 200;

	if (refuse_viewer(r))
		return;
	if (action == NULL || (strcmp(action, "good") != 0 && strcmp(action, "none") != 0)) {
		page_error(r, 400, "chọn nhập các dòng hợp lệ hoặc không nhập dòng nào");
		return;
	}
	if (held_take(r->user.id, token, &h) != 0) {
		page_error(r, 410, "bản xem trước này đã dùng hoặc đã hết hạn; hãy tải tệp "
		    "lên lại");
		return;
	}
	memset(&res, 0, sizeof(res));
	if (strcmp(action, "none") == 0) {
		snprintf(msg, sizeof(msg), "Không nhập dòng nào từ tệp %s.", h.filename);
		rc = 0;
	} else {
		/* loaded again from the start: what is written is judged now */
		rc = import_buffer(r->store, h.ent, h.data, h.len, IMPORT_SKIP_INVALID,
		    &who, &res, &e);
		snprintf(msg, sizeof(msg), "Đã nhập %ld dòng vào %s từ tệp %s%s.",
		    res.imported, h.ent->label, h.filename,
		    res.rejected > 0 ? "; các dòng lỗi dưới đây không được nhập" : "");
		if (rc != 0)
			status = err_http_status(e.code);
	}
	v = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:b}", "entity", h.ent->name,
	    "label", h.ent->label, "message", msg, "error", rc != 0 ? e.msg : NULL,
	    "errors", res.errors ? res.errors : json_array(),
	    "errors_cut", json_array_size(res.errors) >= IMPORT_ERRORS_SHOWN);
	free(h.data);
	/* the warnings are shown on the records themselves (plaus.h) */
	json_decref(res.warnings);
	err_clear(&e);
	if (v == NULL) {
		page_error(r, 503, "hết bộ nhớ");
		return;
	}
	page_init(r, &pg, "Kết quả nhập", SECTION);
	import_result_page(&r->out, &pg, v);
	page_done(r, status);
	json_decref(v);
}

const struct route import_routes[] = {
	{ M_GET | M_HEAD, "/import", get_import, RT_HTML },
	{ M_POST, "/import", post_import, RT_HTML },
	{ M_GET | M_HEAD, "/import/template", get_template, RT_HTML },
	{ M_POST, "/import/confirm", post_confirm, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
