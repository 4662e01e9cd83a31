/*
 * pages_reorg.c - "Sắp xếp đơn vị hành chính" (issue 18 part 4): an
 * administrator uploads or pastes a reorganisation (domain/reorg.h), sees
 * what it would change - or every bad cell by line and column, nothing
 * written - and applies it in one transaction.
 *
 *   GET  /admin/units/reorganise         the form, the columns, an example
 *   POST /admin/units/reorganise         check the file: the preview
 *   POST /admin/units/reorganise/apply   the same file, applied
 * The preview carries the file's text to the apply form; applying checks
 * it again from the start (nothing of the preview is trusted).
 */
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/reorg.h"
#include "pages/pages.h"
#include "pages/reorg_tmpl.h"
#include "schema/record.h"
#include "web/error_page.h"
#include "web/page.h"
#include "web/web.h"

#define SECTION "Quản trị"
#define TITLE   "Sắp xếp đơn vị hành chính"

/* The choices' labels beside their codes, for the tables. */
static void
kind_labels(json_t *lineage)
{
	const struct field_def *f = field_of(FLD_UNIT_LINEAGE_KIND);
	char code[32], label[128];
	json_t *l;
	size_t i, k;

	json_array_foreach(lineage, i, l) {
		const char *kind = jrec_str(l, FLD_UNIT_LINEAGE_KIND);
		for (k = 0; kind != NULL && k < enum_count(f); k++) {
			enum_choice(f, k, code, sizeof(code), label, sizeof(label));
			if (strcmp(code, kind) == 0)
				json_object_set_new(l, "kind_label", json_string(label));
		}
	}
}

static void
show(struct request *r, int status, json_t *v)
{
	struct page pg;

	kind_labels(json_object_get(v, "lineage"));
	page_init(r, &pg, TITLE, SECTION);
	reorg_page(&r->out, &pg, v);
	page_done(r, status);
}

static void
get_reorganise(struct request *r)
{
	json_t *v = json_object();

	show(r, 200, v);
	json_decref(v);
}

/* The file of the form: an uploaded one, else the pasted text (the
 * apply form's own field is "csv"). */
static const char *
form_file(struct request *r, const char *field, size_t *len)
{
	const struct upload *up = req_upload(r, "file");
	json_t *form = req_form(r);
	const char *t;

	if (up != NULL && up->data.len > 0) {
		*len = up->data.len;
		return up->data.data;
	}
	t = json_string_value(json_object_get(form, field));
	*len = t != NULL ? strlen(t) : 0;
	return t;
}

static void
run(struct request *r, const char *field, bool apply)
{
	struct actor who = api_actor(r);
	struct reorg_result res = { NULL };
	struct err e = { 0 };
	const char *data;
	json_t *v;
	size_t len;
	int rc;

	data = form_file(r, field, &len);
	if (data == NULL || len == 0) {
		v = json_pack("{s:s}", "flash", "Hãy chọn một tệp CSV hoặc dán nội dung.");
		show(r, 422, v);
		json_decref(v);
		return;
	}
	rc = reorg_run(r->store, data, len, apply, &who, &res, &e);
	if (res.out == NULL) {
		/* refused before the file was read (the actor), or no memory */
		page_error(r, err_http_status(e.code), e.msg);
		err_clear(&e);
		return;
	}
	v = res.out;
	res.out = NULL;
	/* the text goes back into the forms, when it is text */
	if (text_valid_utf8(data, len))
		json_object_set_new(v, "csv", json_stringn(data, len));
	json_object_set_new(v, rc == 0 && apply ? "done" : "checked", json_true());
	if (rc != 0)
		json_object_set_new(v, "flash", json_string(e.msg));
	else if (apply)
		json_object_set_new(v, "flash", json_string("Đã áp dụng sắp xếp đơn vị; "
		    "mọi thay đổi được ghi vào nhật ký thao tác."));
	show(r, rc == 0 ? 200 : err_http_status(e.code), v);
	json_decref(v);
	err_clear(&e);
}

static void
post_preview(struct request *r)
{
	run(r, "pasted", false);
}

static void
post_apply(struct request *r)
{
	run(r, "csv", true);
}

const struct route reorg_page_routes[] = {
	{ M_GET | M_HEAD, "/admin/units/reorganise", get_reorganise, RT_HTML | RT_ADMIN },
	{ M_POST, "/admin/units/reorganise", post_preview, RT_HTML | RT_ADMIN },
	{ M_POST, "/admin/units/reorganise/apply", post_apply, RT_HTML | RT_ADMIN },
	{ 0, NULL, NULL, 0 },
};
