/*
 * pages_records.c - the generic record pages, one implementation for every
 * entity of the registry: list (/e/ENTITY), detail (/e/ENTITY/ID), forms
 * (new, edit), delete, and the <option> lists of reference pickers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/plaus.h"
#include "domain/workflow.h"
#include "pages/pages_tools.h"
#include "pages/pages_view.h"
#include "pages/records_tmpl.h"
#include "schema/record.h"
#include "text/html.h"
#include "text/text.h"
#include "web/error_page.h"
#include "web/web.h"

/* ---- shared pieces ------------------------------------------------------------- */

/* The entity of the URL, readable by the user; NULL with a page written. */
static const struct entity_def *
page_entity(struct request *r, const char *name)
{
	const struct entity_def *ent = registry_find(name);
	char msg[ERR_MSG_MAX], lc[256];

	if (ent == NULL) {
		snprintf(msg, sizeof(msg), "không có loại bản ghi “%s”", name ? name : "");
		view_error_page(r, 404, msg);
		return NULL;
	}
	if (!auth_can_read_entity(&r->user, ent)) {
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		snprintf(msg, sizeof(msg), "chỉ quản trị viên được xem %s", lc);
		view_error_page(r, 403, msg);
		return NULL;
	}
	return ent;
}

/* The record of the URL, if the user may see it; NULL with a page written
 * (a confidential record does not exist for a user without clearance). */
static json_t *
page_record(struct request *r, const struct entity_def *ent, const char *idstr)
{
	char msg[ERR_MSG_MAX], lc[256];
	json_t *rec = NULL;
	int64_t id = 0;

	if (api_parse_id(idstr, &id))
		rec = store_get(r->store, ent, id, NULL);
	if (rec != NULL && !auth_can_read(r->store, &r->user, ent, rec)) {
		json_decref(rec);
		rec = NULL;
	}
	if (rec == NULL) {
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		snprintf(msg, sizeof(msg), "không tìm thấy %s số %s", lc,
		    idstr ? idstr : "");
		view_error_page(r, 404, msg);
	}
	return rec;
}

static int64_t
rec_id(const json_t *rec)
{
	return json_integer_value(json_object_get(rec, "id"));
}

const char *
view_url(struct view *v, const char *path, const json_t *args)
{
	struct buf b;
	const char *k;
	json_t *val;
	bool first = true;

	buf_init(&b, 8192);
	buf_adds(&b, path);
	json_object_foreach((json_t *)args, k, val) {
		const char *s = json_string_value(val);
		if (s == NULL || *s == '\0')
			continue;
		buf_addc(&b, first ? '?' : '&');
		html_url(&b, k);
		buf_addc(&b, '=');
		html_url(&b, s);
		first = false;
	}
	return view_take(v, &b);
}

void
view_cell(struct buf *b, struct view *v, const struct entity_def *ent,
    const struct field_def *f, const json_t *rec)
{
	const char *t;

	if (strcmp(f->name, ent->title_field) != 0) {
		view_value(b, v, f, rec, true);
		return;
	}
	/* the title column links to the record itself, even a reference; an
	 * empty title is named as view_title names it (not "số 86") */
	t = view_plain(v, f, rec);
	if (*t == '\0')
		t = view_title(v, ent, rec);
	buf_addf(b, "<a href=\"/e/%s/%lld\">", ent->name, (long long)rec_id(rec));
	view_text_cut(b, t, VIEW_CELL_CHARS);
	buf_adds(b, "</a>");
	view_badges(b, ent, rec);
}

/* Columns of a table: the listed fields (but `skip`), at most `max`. */
static size_t
table_cols(const struct entity_def *ent, const struct field_def *skip,
    struct list_col *cols, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ent->nfields && n < max; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!(f->flags & F_LIST) || (f->flags & F_SECRET) || f == skip)
			continue;
		memset(&cols[n], 0, sizeof(cols[n]));
		cols[n++].f = f;
	}
	/* a table must link to its records: keep the title column */
	if (n > 0 && entity_field(ent, ent->title_field) != NULL) {
		const struct field_def *tf = entity_field(ent, ent->title_field);
		bool has = false;
		for (i = 0; i < n; i++)
			has = has || cols[i].f == tf;
		if (!has && tf != skip) {
			/* the title goes first; when all max columns are taken the
			 * last one drops out.  Moved one by one: gcc 12 with ASan at
			 * -O2 cannot bound a memmove of a computed length here
			 * (-Warray-bounds), this loop it can */
			for (i = n < max ? n : max - 1; i > 0; i--)
				cols[i] = cols[i - 1];
			memset(&cols[0], 0, sizeof(cols[0]));
			cols[0].f = tf;
			if (n < max)
				n++;
		}
	}
	return n;
}

/* ---- list ---------------------------------------------------------------------- */

static const char *
op_text(enum filter_op op)
{
	switch (op) {
	case OP_EQ: return ": ";
	case OP_NE: return " khác ";
	case OP_LT: return " < ";
	case OP_LE: return " ≤ ";
	case OP_GT: return " > ";
	case OP_GE: return " ≥ ";
	case OP_NULL: return ": trống";
	case OP_NOTNULL: return ": có giá trị";
	case OP_WITHIN: return " thuộc địa bàn ";
	}
	return ": ";
}

static const char *
op_suffix(enum filter_op op)
{
	switch (op) {
	case OP_EQ: return "";
	case OP_NE: return "__ne";
	case OP_LT: return "__lt";
	case OP_LE: return "__lte";
	case OP_GT: return "__gt";
	case OP_GE: return "__gte";
	case OP_NULL: case OP_NOTNULL: return "__null";
	case OP_WITHIN: return "__within";
	}
	return "";
}

static bool
filter_select_field(const struct field_def *f)
{
	return (f->flags & F_LIST) &&
	    (f->type == FT_ENUM || f->type == FT_CATALOG || f->type == FT_BOOLEAN);
}

void
page_list(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	struct list_view lv;
	struct list_query q;
	struct view v;
	struct page pg;
	struct err e = { 0 };
	json_t *args, *owned, *tmp;
	const char *sort, *ok;
	size_t i;

	if (ent == NULL)
		return;
	view_init(&v, r);
	memset(&lv, 0, sizeof(lv));
	lv.v = &v;
	lv.ent = ent;
	lv.audit = ent->id == ENT_AUDIT_LOG;
	args = req_query_all(r);
	ok = json_string_value(json_object_get(args, "ok"));
	ok = ok ? view_str(&v, ok) : NULL;
	json_object_del(args, "ok");
	json_object_del(args, "limit");
	/* the audit log reads newest first */
	if (lv.audit && json_object_get(args, "sort") == NULL)
		json_object_set_new(args, "sort", json_string("-id"));
	owned = json_array();
	lv.chips = json_array();
	lv.hidden = json_object();
	if (api_list_query(r, ent, args, &q, owned, &e) != 0) {
		view_error_page(r, 400, e.msg);
		goto out;
	}
	q.limit = LIST_LIMIT_DEFAULT;
	if (store_list(r->store, ent, &q, &lv.rows, &lv.total, &e) != 0) {
		view_error_page(r, err_http_status(e.code), e.msg);
		goto out;
	}
	lv.offset = q.offset;
	lv.limit = q.limit;
	lv.q = q.search ? q.search : "";
	sort = json_string_value(json_object_get(args, "sort"));

	/* columns, each header a link that sorts by it (again: the other way) */
	lv.ncols = table_cols(ent, NULL, lv.cols, VIEW_COLS_MAX);
	for (i = 0; i < lv.ncols; i++) {
		const char *name = lv.cols[i].f->name;
		char s[80];
		if (q.sort != NULL && strcmp(q.sort, name) == 0)
			lv.cols[i].sorted = q.desc ? -1 : 1;
		snprintf(s, sizeof(s), "%s%s", lv.cols[i].sorted == 1 ? "-" : "", name);
		tmp = json_deep_copy(args);
		json_object_set_new(tmp, "sort", json_string(s));
		json_object_del(tmp, "offset");
		lv.cols[i].sort_href = view_url(&v, r->path, tmp);
		json_decref(tmp);
	}

	/* selects for the listed enum, catalog and boolean fields */
	for (i = 0; i < ent->nfields && lv.nsels < VIEW_COLS_MAX; i++) {
		const struct field_def *f = &ent->fields[i];
		const char *val;
		if (!filter_select_field(f))
			continue;
		val = json_string_value(json_object_get(args, f->name));
		lv.sels[lv.nsels].f = f;
		lv.sels[lv.nsels++].value = val ? view_str(&v, val) : "";
	}

	/* the other filters: a chip each (a link without it), kept by the form */
	for (i = 0; i < q.nfilters; i++) {
		const struct list_filter *lf = &q.filters[i];
		const struct field_def *f = entity_field(ent, lf->field);
		char key[96];
		struct buf t;
		json_t *one;
		snprintf(key, sizeof(key), "%s%s", lf->field, op_suffix(lf->op));
		if (f != NULL && lf->op == OP_EQ && filter_select_field(f))
			continue;
		buf_init(&t, 4096);
		buf_adds(&t, f ? f->label : (strcmp(lf->field, "id") == 0 ? "Mã" : "Minh họa"));
		buf_adds(&t, op_text(lf->op));
		if (lf->op != OP_NULL && lf->op != OP_NOTNULL) {
			one = json_pack("{s:O}", lf->field, lf->value);
			if (lf->op == OP_WITHIN)
				/* the value is a unit, whatever the field refers to */
				buf_adds(&t, view_ref_title(&v, entity_of(ENT_ADMIN_UNIT)->name,
				    json_integer_value(lf->value)));
			else if (f != NULL)
				buf_adds(&t, view_plain(&v, f, one));
			else
				buf_adds(&t, json_is_true(lf->value) ? "Có" :
				    json_is_false(lf->value) ? "Không" : "");
			if (f == NULL && json_is_integer(lf->value))
				buf_addf(&t, "%lld", (long long)json_integer_value(lf->value));
			json_decref(one);
		}
		tmp = json_deep_copy(args);
		json_object_del(tmp, key);
		json_object_del(tmp, "offset");
		json_array_append_new(lv.chips, json_pack("[s, s]", view_take(&v, &t),
		    view_url(&v, r->path, tmp)));
		json_decref(tmp);
		if (json_object_get(args, key) != NULL)
			json_object_set(lv.hidden, key, json_object_get(args, key));
	}
	if (sort != NULL)
		json_object_set_new(lv.hidden, "sort", json_string(sort));

	/* paging */
	if (lv.offset > 0) {
		char off[32];
		tmp = json_deep_copy(args);
		snprintf(off, sizeof(off), "%lld", (long long)(lv.offset > lv.limit ?
		    lv.offset - lv.limit : 0));
		json_object_set_new(tmp, "offset", json_string(off));
		lv.prev_href = view_url(&v, r->path, tmp);
		json_decref(tmp);
	}
	if (lv.offset + lv.limit < lv.total) {
		char off[32];
		tmp = json_deep_copy(args);
		snprintf(off, sizeof(off), "%lld", (long long)(lv.offset + lv.limit));
		json_object_set_new(tmp, "offset", json_string(off));
		lv.next_href = view_url(&v, r->path, tmp);
		json_decref(tmp);
	}
	if (view_may_create(&r->user, ent)) {
		/* a list filtered on a reference adds records already pointing there */
		char path[128];
		tmp = json_object();
		for (i = 0; i < q.nfilters; i++) {
			const struct field_def *f = entity_field(ent, q.filters[i].field);
			if (f != NULL && q.filters[i].op == OP_EQ && f->type == FT_REF)
				json_object_set(tmp, f->name, json_object_get(args, f->name));
		}
		snprintf(path, sizeof(path), "/e/%s/new", ent->name);
		lv.new_href = view_url(&v, path, tmp);
		json_decref(tmp);
	}

	page_init(r, &pg, ent->label, ent->section);
	if (ok != NULL && strcmp(ok, "deleted") == 0)
		pg.flash = "Đã xóa.";
	list_page(&r->out, &pg, &lv);
	page_done(r, 200);
out:
	json_decref(lv.rows);
	json_decref(lv.chips);
	json_decref(lv.hidden);
	json_decref(args);
	json_decref(owned);
	err_clear(&e);
	view_free(&v);
}

/* ---- detail --------------------------------------------------------------------- */

static void
load_related(struct request *r, struct detail_view *dv, bool can_write)
{
	int64_t id = rec_id(dv->rec);
	size_t i, j;

	for (i = 0; i < registry_count && dv->nrel < VIEW_RELATED_MAX; i++) {
		const struct entity_def *other = registry[i];
		if (!auth_can_read_entity(&r->user, other))
			continue;
		for (j = 0; j < other->nfields && dv->nrel < VIEW_RELATED_MAX; j++) {
			const struct field_def *f = &other->fields[j];
			struct related *rl = &dv->rel[dv->nrel];
			struct list_query q;
			json_t *val, *args;
			char path[128], idtxt[32];

			if (f->type != FT_REF || strcmp(f->arg, dv->ent->name) != 0)
				continue;
			memset(&q, 0, sizeof(q));
			val = json_integer(id);
			q.filters[0].field = f->name;
			q.filters[0].op = OP_EQ;
			q.filters[0].value = val;
			q.nfilters = 1;
			q.limit = VIEW_RELATED_ROWS;
			q.see_confidential = auth_has_clearance(&r->user);
			memset(rl, 0, sizeof(*rl));
			if (store_list(r->store, other, &q, &rl->rows, &rl->total, NULL) != 0) {
				json_decref(val);
				continue;
			}
			json_decref(val);
			/* owned children always show (to add the first one); other
			 * references only when there are some */
			if (rl->total == 0 && !(f->flags & F_OWNER)) {
				json_decref(rl->rows);
				continue;
			}
			rl->ent = other;
			rl->via = f;
			{
				size_t k, nref = 0;
				for (k = 0; k < other->nfields; k++)
					nref += other->fields[k].type == FT_REF &&
					    strcmp(other->fields[k].arg, dv->ent->name) == 0;
				rl->show_via = nref > 1;
			}
			rl->ncols = table_cols(other, f, rl->cols, 6);
			snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
			args = json_pack("{s:s}", f->name, idtxt);
			snprintf(path, sizeof(path), "/e/%s", other->name);
			rl->all_href = view_url(dv->v, path, args);
			if (view_may_create(&r->user, other) &&
			    (!(f->flags & F_OWNER) || can_write)) {
				snprintf(path, sizeof(path), "/e/%s/new", other->name);
				rl->add_href = view_url(dv->v, path, args);
				rl->add_label = view_add_label(dv->v, other);
				/* its own children are added several at once too */
				if (f->flags & F_OWNER) {
					snprintf(path, sizeof(path), "/e/%s/%lld/several/%s",
					    dv->ent->name, (long long)id, other->name);
					rl->several_href = view_str(dv->v, path);
				}
			}
			json_decref(args);
			dv->nrel++;
		}
	}
}

/* What issuing did: "Đã ban hành báo cáo số 7/BC-UBND ngày 05/06/2025." (the
 * number as the list of reports writes it) */
static const char *
issued_flash(struct view *v, const json_t *rec)
{
	struct buf b;

	buf_init(&b, 512);
	buf_addf(&b, "Đã ban hành báo cáo số %lld", (long long)jrec_int(rec, FLD_REPORT_NUMBER));
	if (jrec_str(rec, FLD_REPORT_SYMBOL) != NULL)
		buf_addf(&b, "/%s", jrec_str(rec, FLD_REPORT_SYMBOL));
	if (jrec_str(rec, FLD_REPORT_ISSUED_ON) != NULL) {
		buf_adds(&b, " ngày ");
		view_date(&b, jrec_str(rec, FLD_REPORT_ISSUED_ON));
	}
	buf_adds(&b, ".");
	return view_take(v, &b);
}

/* What a form of several records did: "Đã thêm 2 thành phần dự họp."
 * (?added=ENTITY&n=COUNT, the count read whole by the caller) */
static const char *
added_flash(struct view *v, const char *added, int64_t n)
{
	const struct entity_def *ent = registry_find(added);
	char msg[400], lc[256];

	if (ent == NULL || n <= 0)
		return "Đã lưu.";
	text_label_in_sentence(ent->label, lc, sizeof(lc));
	snprintf(msg, sizeof(msg), "Đã thêm %lld %s.", (long long)n, lc);
	return view_str(v, msg);
}

void
page_detail(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	struct detail_view dv;
	struct view v;
	struct page pg;
	size_t i;
	int64_t added = 0;

	/* how many a form of several records added: a count, or 400 */
	if (ent == NULL || req_query_int(r, "n", 1, FORM_ROWS_MAX, &added) < 0)
		return;
	memset(&dv, 0, sizeof(dv));
	if ((dv.rec = page_record(r, ent, r->route_args[1])) == NULL)
		return;
	view_init(&v, r);
	dv.v = &v;
	dv.ent = ent;
	dv.title = view_title(&v, ent, dv.rec);
	dv.can_write = !(ent->flags & E_READONLY) &&
	    auth_can_write(r->store, &r->user, ent, dv.rec, NULL);
	load_related(r, &dv, dv.can_write);
	/* what an approver weighs before approving (a failure only hides them) */
	if (ent->id == ENT_INDICATOR_VALUE) {
		struct err we = { 0 };
		dv.warnings = plaus_check(r->store, dv.rec, &we);
		err_clear(&we);
	}
	if (auth_is_admin(&r->user)) {
		struct list_query q;
		json_t *en = json_string(ent->name), *idv = json_integer(rec_id(dv.rec));
		memset(&q, 0, sizeof(q));
		q.filters[0] = (struct list_filter){ field_name(FLD_AUDIT_LOG_ENTITY), OP_EQ,
		    en };
		q.filters[1] = (struct list_filter){ field_name(FLD_AUDIT_LOG_RECORD_ID), OP_EQ,
		    idv };
		q.nfilters = 2;
		q.sort = "id";
		q.desc = true;
		q.limit = 20;
		q.see_confidential = auth_has_clearance(&r->user);
		if (store_list(r->store, entity_of(ENT_AUDIT_LOG), &q, &dv.audit,
		    NULL, NULL) != 0)
			dv.audit = NULL;
		json_decref(en);
		json_decref(idv);
	}
	{
		struct buf tb;
		buf_init(&tb, HTML_PAGE_MAX);
		tools_render(&tb, r, ent, dv.rec, dv.can_write);
		dv.tools = view_take(&v, &tb);
	}
	page_init(r, &pg, dv.title, ent->section);
	if (req_query(r, "ok") != NULL && strcmp(req_query(r, "ok"), "issued") == 0 &&
	    (entity_behaviour(ent)->tools & TOOL_ISSUE) &&
	    jrec_int(dv.rec, FLD_REPORT_NUMBER) > 0)
		pg.flash = issued_flash(&v, dv.rec);
	else if (req_query(r, "added") != NULL)
		pg.flash = added_flash(&v, req_query(r, "added"), added);
	else if (req_query(r, "ok") != NULL)
		pg.flash = "Đã lưu.";
	else if (req_query(r, "err") != NULL)
		pg.flash = req_query(r, "err");
	record_page(&r->out, &pg, &dv);
	page_done(r, 200);
	for (i = 0; i < dv.nrel; i++)
		json_decref(dv.rel[i].rows);
	json_decref(dv.audit);
	json_decref(dv.warnings);
	json_decref(dv.rec);
	view_free(&v);
}

/* ---- forms ---------------------------------------------------------------------- */

/* The name (and id) of a field's widget: the field's, with the form's
 * row suffix when it has rows ("person_id_2": several records at once). */
static const char *
wname(const struct form_view *fv, const struct field_def *f)
{
	char tmp[160];

	if (fv->suffix == NULL)
		return f->name;
	snprintf(tmp, sizeof(tmp), "%s%s", f->name, fv->suffix);
	return view_str(fv->v, tmp);
}

static void
field_head(struct buf *b, const struct form_view *fv, const struct field_def *f,
    const char *for_id)
{
	buf_adds(b, "<label for=\"");
	html_text(b, for_id);
	buf_adds(b, "\">");
	html_text(b, f->label);
	if (f->flags & F_REQUIRED)
		buf_adds(b, " <span class=\"req\" aria-hidden=\"true\">*</span>");
	buf_adds(b, "</label>\n");
}

/* aria attributes of a widget: invalid, described by its message */
static void
field_aria(struct buf *b, const struct form_view *fv, const struct field_def *f)
{
	if (f->flags & F_REQUIRED)
		buf_adds(b, " required");
	if (json_object_get(fv->errors, f->name) != NULL)
		buf_addf(b, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", wname(fv, f));
}

static void
field_error(struct buf *b, const struct form_view *fv, const struct field_def *f)
{
	const char *msg = json_string_value(json_object_get(fv->errors, f->name));

	if (msg == NULL)
		return;
	buf_addf(b, "<small class=\"field-error\" id=\"err-%s\">", wname(fv, f));
	html_text(b, msg);
	buf_adds(b, "</small>\n");
}

static void
option(struct buf *b, const char *value, const char *label, bool selected)
{
	buf_adds(b, "<option value=\"");
	html_text(b, value);
	buf_addc(b, '"');
	if (selected)
		buf_adds(b, " selected");
	buf_addc(b, '>');
	html_text(b, label);
	buf_adds(b, "</option>\n");
}

/* The field until which a record is in force, of the entities that have
 * one (every "valid_to" of schema/entities.txt), or FLD_NONE. */
static enum field_id
valid_until(const struct entity_def *ent)
{
	static const struct { enum entity_id ent; enum field_id until; } ends[] = {
		{ ENT_ADMIN_UNIT, FLD_ADMIN_UNIT_VALID_TO },
		{ ENT_AGREEMENT, FLD_AGREEMENT_VALID_TO },
		{ ENT_POSITION, FLD_POSITION_VALID_TO },
	};
	size_t i;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (ent->id == ends[i].ent)
			return ends[i].until;
	return FLD_NONE;
}

/* Name of a record in a picker: its title and where it belongs, and for
 * units that ended, until when (old and new communes share names). */
static const char *
picker_label(struct view *v, const struct entity_def *ent, const json_t *rec)
{
	const struct field_def *tf = entity_field(ent, ent->title_field);
	enum field_id vt = valid_until(ent);
	struct buf b;
	size_t i;

	buf_init(&b, 8192);
	buf_adds(&b, view_title(v, ent, rec));
	if (b.len > 300) {
		/* long agreement titles: cut on a character boundary */
		size_t n = 280;
		while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
			n--;
		b.len = n;
		b.data[n] = '\0';
		buf_adds(&b, "…");
	}
	if (tf != NULL && tf->type == FT_TEXT)
		for (i = 0; i < ent->nfields; i++) {
			const struct field_def *f = &ent->fields[i];
			const char *s;
			if (f->type != FT_REF || !(f->flags & F_LIST))
				continue;
			s = view_plain(v, f, rec);
			if (*s != '\0') {
				buf_adds(&b, " — ");
				buf_adds(&b, s);
				break;
			}
		}
	if (vt != FLD_NONE && json_is_string(jrec_get(rec, vt))) {
		buf_adds(&b, " (đến ");
		view_date(&b, jrec_str(rec, vt));
		buf_adds(&b, ")");
	}
	return view_take(v, &b);
}

/* The field a record of ent can be created from in a picker (its title),
 * when the title is the only thing it requires: a person from a name
 * typed in the attendees' picker.  NULL when it needs more. */
static const char *
pick_create_field(const struct entity_def *ent)
{
	const struct field_def *tf = entity_field(ent, ent->title_field);
	size_t i;

	if (tf == NULL || tf->type != FT_TEXT || (ent->flags & (E_READONLY | E_ADMIN |
	    E_REFERENCE)))
		return NULL;
	for (i = 0; i < ent->nfields; i++)
		if (&ent->fields[i] != tf && (ent->fields[i].flags & F_REQUIRED) &&
		    !(ent->fields[i].flags & F_SYSTEM))
			return NULL;
	return tf->name;
}

/* The attributes that make a field a search-as-you-type picker of target
 * (static/picker.js): where to search, the name of the value held, and
 * whether a new record may be made from the typed text (v NULL: never). */
void
view_pick_attrs(struct buf *b, struct view *v, const struct entity_def *target,
    const char *current_label)
{
	const char *create = pick_create_field(target);

	buf_adds(b, " data-pick=\"");
	html_text(b, target->name);
	buf_addc(b, '"');
	if (current_label != NULL && *current_label != '\0') {
		buf_adds(b, " data-pick-label=\"");
		html_text(b, current_label);
		buf_addc(b, '"');
	}
	if (create != NULL && v != NULL && view_may_create(&v->r->user, target)) {
		buf_adds(b, " data-pick-create=\"");
		html_text(b, create);
		buf_adds(b, "\" data-pick-create-label=\"");
		html_text(b, view_label_lc(v, target));
		buf_adds(b, " mới\"");
	}
}

static void
ref_widget(struct buf *b, struct form_view *fv, const struct field_def *f,
    const char *val)
{
	const struct entity_def *target = registry_find(f->arg);
	struct view *v = fv->v;
	const char *nm = wname(fv, f);
	struct list_query q;
	json_t *rows = NULL, *row;
	int64_t n = 0, cur = 0;
	size_t i;
	bool found = false;
	const char *shown;

	api_parse_id(val, &cur);
	if (target == NULL)
		return;
	shown = cur > 0 ? view_plain(v, f, fv->vals) : "";
	store_count(v->r->store, target, &n, NULL);
	memset(&q, 0, sizeof(q));
	q.see_confidential = auth_has_clearance(&v->r->user);
	field_head(b, fv, f, nm);
	/* few: a plain select; many: the id.  Either way picker.js puts a
	 * search box in its place (GET /e/TARGET/pick), and without
	 * JavaScript the field is what the form sends */
	if (n <= VIEW_PICKER_SELECT) {
		q.sort = target->title_field;
		q.limit = VIEW_PICKER_SELECT;
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", nm, nm);
		view_pick_attrs(b, v, target, shown);
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		option(b, "", "— chọn —", cur == 0);
		if (store_list(v->r->store, target, &q, &rows, NULL, NULL) == 0)
			json_array_foreach(rows, i, row) {
				char id[32];
				snprintf(id, sizeof(id), "%lld", (long long)rec_id(row));
				found = found || rec_id(row) == cur;
				option(b, id, picker_label(v, target, row), rec_id(row) == cur);
			}
		if (cur > 0 && !found)
			option(b, val, shown, true);
		buf_adds(b, "</select>\n");
		json_decref(rows);
		return;
	}
	buf_addf(b, "<input type=\"number\" min=\"1\" id=\"%s\" name=\"%s\" value=\"",
	    nm, nm);
	html_text(b, cur > 0 ? val : "");
	buf_adds(b, "\" placeholder=\"mã số bản ghi\"");
	view_pick_attrs(b, v, target, shown);
	field_aria(b, fv, f);
	buf_adds(b, ">\n");
	if (cur > 0) {
		/* without JavaScript the number alone says nothing */
		buf_adds(b, "<small class=\"pick-now\">");
		html_text(b, shown);
		buf_adds(b, "</small>\n");
	}
}

void
view_widget(struct buf *b, struct form_view *fv, const struct field_def *f)
{
	struct view *v = fv->v;
	const char *val = view_input(v, f, fv->vals);
	const char *nm = wname(fv, f);
	char code[128], label[256];
	size_t i;

	/* long texts and search pickers take the whole row of the grid */
	buf_addf(b, "<div class=\"field%s\">\n", (f->flags & (F_LONG | F_REPORT_SCOPE)) ||
	    f->type == FT_REF ? " wide" : "");
	switch (f->type) {
	case FT_REF:
		ref_widget(b, fv, f, val);
		break;
	case FT_BOOLEAN: {
		/* the hidden 0 goes first: an unchecked box sends nothing */
		const char *last = strrchr(val, ';');
		const char *bv = last ? last + 1 : val;
		bool on = strcmp(bv, "1") == 0 || strcmp(bv, "true") == 0 ||
		    strcmp(bv, "on") == 0;
		buf_addf(b, "<input type=\"hidden\" name=\"%s\" value=\"0\">\n"
		    "<label for=\"%s\"><input type=\"checkbox\" id=\"%s\" name=\"%s\" "
		    "value=\"1\"%s", nm, nm, nm, nm,
		    on ? " checked" : "");
		field_aria(b, fv, f);
		buf_adds(b, "> ");
		html_text(b, f->label);
		buf_adds(b, "</label>\n");
		break;
	}
	case FT_ENUM:
		field_head(b, fv, f, nm);
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", nm, nm);
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		option(b, "", "— chọn —", *val == '\0');
		for (i = 0; enum_choice(f, i, code, sizeof(code), label,
		    sizeof(label)) == 0; i++) {
			/* a new record starts in an initial state (workflow.h) */
			if (fv->id == 0 && workflow_field(fv->ent) != NULL &&
			    strcmp(f->name, workflow_field(fv->ent)) == 0 &&
			    !workflow_initial(fv->ent, code))
				continue;
			option(b, code, label, strcmp(code, val) == 0);
		}
		buf_adds(b, "</select>\n");
		break;
	case FT_CATALOG: {
		json_t *items = view_catalog(v, f->arg), *it;
		bool found = false;
		field_head(b, fv, f, nm);
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", nm, nm);
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		option(b, "", "— chọn —", *val == '\0');
		json_array_foreach(items, i, it) {
			const char *c = json_string_value(json_array_get(it, 0));
			bool sel = strcmp(c, val) == 0;
			/* retired items stay only where a record still uses them */
			if (!json_is_true(json_array_get(it, 2)) && !sel)
				continue;
			found = found || sel;
			option(b, c, json_string_value(json_array_get(it, 1)), sel);
		}
		if (*val != '\0' && !found)
			option(b, val, val, true);
		buf_adds(b, "</select>\n");
		break;
	}
	case FT_DATE:
		field_head(b, fv, f, nm);
		/* typed as Vietnamese write dates, not the browser's locale widget:
		 * a stored date shows as 31/12/2025, what the person typed stays
		 * visible even when it is no date (validate.c reads both) */
		buf_addf(b, "<input type=\"text\" inputmode=\"numeric\" "
		    "placeholder=\"dd/mm/yyyy\" autocomplete=\"off\" id=\"%s\" "
		    "name=\"%s\" value=\"", nm, nm);
		if (vi_iso_date_valid(val))
			view_date(b, val);
		else
			html_text(b, val);
		buf_addc(b, '"');
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		break;
	case FT_INTEGER:
	case FT_DECIMAL:
		field_head(b, fv, f, nm);
		buf_addf(b, "<input type=\"text\" inputmode=\"%s\" id=\"%s\" name=\"%s\" "
		    "value=\"", f->type == FT_INTEGER ? "numeric" : "decimal",
		    nm, nm);
		html_text(b, val);
		buf_addc(b, '"');
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		break;
	case FT_TEXT:
		field_head(b, fv, f, nm);
		if (f->flags & F_SECRET) {
			/* write-only: never filled in, empty keeps it */
			buf_addf(b, "<input type=\"password\" id=\"%s\" name=\"%s\" "
			    "value=\"\" autocomplete=\"new-password\" placeholder=\"%s\"",
			    nm, nm, fv->id > 0 ? "để trống: giữ nguyên khóa đã lưu" :
			    "");
			if (f->max > 0)
				buf_addf(b, " maxlength=\"%d\"", (int)f->max);
			field_aria(b, fv, f);
			buf_adds(b, ">\n");
		} else if (f->flags & F_LONG) {
			buf_addf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\"", nm,
			    nm, fv->suffix != NULL ? 2 : 5);
			field_aria(b, fv, f);
			buf_adds(b, ">");
			html_text(b, val);
			buf_adds(b, "</textarea>\n");
		} else {
			buf_addf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"",
			    nm, nm);
			html_text(b, val);
			buf_addc(b, '"');
			if (f->max > 0)
				buf_addf(b, " maxlength=\"%d\"", (int)f->max);
			/* structured text: the forms it is read in */
			if (f->flags & F_PERIOD)
				buf_adds(b, " placeholder=\"2025-Q4; quý 4/2025; năm 2023; "
				    "6 tháng đầu năm 2024; 2020-2025\"");
			else if (f->flags & F_REPORT_SCOPE) {
				/* typed without JavaScript; chosen by kind and name
				 * with it (picker.js) */
				buf_adds(b, " placeholder=\"agreement:12; target_set:1; "
				    "unit:084; nation\"");
				view_scope_attrs(b, v, val);
			}
			field_aria(b, fv, f);
			buf_adds(b, ">\n");
		}
		break;
	}
	field_error(b, fv, f);
	buf_adds(b, "</div>\n");
}

static void
render_form(struct request *r, struct view *v, const struct entity_def *ent,
    int64_t id, int64_t version, json_t *vals, json_t *errors,
    const char *error, int status)
{
	struct form_view fv;
	struct page pg;
	char action[128], cancel[128], title[512];
	const char *k;
	json_t *msg;
	struct buf top;

	memset(&fv, 0, sizeof(fv));
	fv.v = v;
	fv.ent = ent;
	fv.vals = vals;
	fv.errors = errors;
	fv.id = id;
	fv.version = version;
	if (id > 0) {
		snprintf(action, sizeof(action), "/e/%s/%lld/edit", ent->name, (long long)id);
		snprintf(cancel, sizeof(cancel), "/e/%s/%lld", ent->name, (long long)id);
		snprintf(title, sizeof(title), "Sửa %s", view_label_lc(v, ent));
	} else {
		snprintf(action, sizeof(action), "/e/%s/new", ent->name);
		snprintf(cancel, sizeof(cancel), "/e/%s", ent->name);
		snprintf(title, sizeof(title), "%s", view_add_label(v, ent));
	}
	/* a new child goes back to its parent when cancelled */
	if (id == 0) {
		size_t i;
		int64_t pid;
		for (i = 0; i < ent->nfields; i++)
			if ((ent->fields[i].flags & F_OWNER) &&
			    api_parse_id(view_input(v, &ent->fields[i], vals), &pid)) {
				snprintf(cancel, sizeof(cancel), "/e/%s/%lld",
				    ent->fields[i].arg, (long long)pid);
				break;
			}
	}
	fv.action = action;
	fv.cancel_href = cancel;
	/* field messages without a widget of their own go to the top */
	buf_init(&top, ERR_MSG_MAX * 4);
	if (error != NULL)
		buf_adds(&top, error);
	json_object_foreach(errors, k, msg) {
		const struct field_def *f = entity_field(ent, k);
		if (f == NULL || (f->flags & (F_SYSTEM | F_SECRET))) {
			if (top.len > 0)
				buf_adds(&top, "; ");
			buf_adds(&top, json_string_value(msg));
		}
	}
	if (errors != NULL && top.len == 0)
		buf_adds(&top, "Chưa lưu được: hãy sửa các ô có thông báo lỗi bên dưới.");
	fv.error = top.len > 0 ? view_take(v, &top) : (buf_free(&top), NULL);
	page_init(r, &pg, title, ent->section);
	form_page(&r->out, &pg, &fv);
	page_done(r, status);
}

static bool
writable_entity(struct request *r, const struct entity_def *ent)
{
	char msg[ERR_MSG_MAX], lc[256];

	if (view_may_create(&r->user, ent))
		return true;
	text_label_in_sentence(ent->label, lc, sizeof(lc));
	snprintf(msg, sizeof(msg), "tài khoản của bạn không được thêm hoặc sửa %s", lc);
	view_error_page(r, 403, msg);
	return false;
}

/* The form as record input: every widget's field, empty = no value. */
static json_t *
form_input(const struct entity_def *ent, json_t *form, bool create)
{
	json_t *in = json_object();
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const char *s = json_string_value(json_object_get(form, f->name));
		if (f->flags & F_SYSTEM || s == NULL)
			continue;
		/* a write-only secret left empty keeps the one stored */
		if ((f->flags & F_SECRET) && *s == '\0')
			continue;
		if (f->type == FT_BOOLEAN && strrchr(s, ';') != NULL)
			s = strrchr(s, ';') + 1; /* hidden 0, then the checked 1 */
		if (*s == '\0' && create && !(f->flags & F_REQUIRED))
			continue;
		json_object_set_new(in, f->name, *s ? json_string(s) : json_null());
	}
	return in;
}

static void
save_form(struct request *r, const struct entity_def *ent, int64_t id)
{
	json_t *form = req_form(r), *in, *out = NULL;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	struct view v;
	int64_t version = 0;
	char loc[128];
	int rc;

	if (form == NULL) {
		view_error_page(r, 400, "biểu mẫu gửi lên không đúng định dạng");
		return;
	}
	/* a version that is not one would skip the check silently */
	if (req_form_version(r, "_version", &version) < 0)
		return;
	in = form_input(ent, form, id == 0);
	if (id == 0)
		rc = records_create(r->store, ent, in, &who, 0, &out, &e);
	else
		rc = records_update(r->store, ent, id, in, version, &who, 0, &out, &e);
	if (rc == 0) {
		size_t i;
		snprintf(loc, sizeof(loc), "/e/%s/%lld?ok=1", ent->name,
		    (long long)rec_id(out));
		/* a new child (a quantity, a party) is seen where it belongs: on
		 * its parent's page, in its section */
		for (i = 0; id == 0 && i < ent->nfields; i++) {
			const struct field_def *f = &ent->fields[i];
			if ((f->flags & F_OWNER) &&
			    json_is_integer(json_object_get(out, f->name))) {
				snprintf(loc, sizeof(loc), "/e/%s/%lld?ok=1#rel-%s-%s",
				    f->arg, (long long)json_integer_value(
				    json_object_get(out, f->name)), ent->name, f->name);
				break;
			}
		}
		json_decref(out);
		json_decref(in);
		resp_redirect(r, loc);
		return;
	}
	view_init(&v, r);
	if (e.code == ERR_INVALID && e.fields != NULL)
		render_form(r, &v, ent, id, version, in, e.fields, NULL, 422);
	else
		render_form(r, &v, ent, id, version, in, NULL, e.msg,
		    err_http_status(e.code));
	json_decref(in);
	err_clear(&e);
	view_free(&v);
}

void
page_new(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	struct view v;

	if (ent == NULL || !writable_entity(r, ent))
		return;
	if (r->method == M_POST) {
		save_form(r, ent, 0);
		return;
	}
	/* ?agreement_id=1: the parent prefilled, from its "Thêm …" button */
	view_init(&v, r);
	render_form(r, &v, ent, 0, 0, req_args(r), NULL, NULL, 200);
	view_free(&v);
}

/* The record of the URL when the user may change it; NULL with the page
 * written (404, or 403 naming what is not allowed: "sửa", "xóa"). */
static json_t *
writable_record(struct request *r, const struct entity_def *ent, const char *verb)
{
	struct err e = { 0 };
	char msg[ERR_MSG_MAX];
	json_t *rec = page_record(r, ent, r->route_args[1]);

	if (rec == NULL)
		return NULL;
	if (!(ent->flags & E_READONLY) && auth_can_write(r->store, &r->user, ent, rec, &e))
		return rec;
	if (e.msg[0] == '\0')
		snprintf(msg, sizeof(msg), "tài khoản của bạn không được %s bản ghi này", verb);
	view_error_page(r, 403, e.msg[0] ? e.msg : msg);
	err_clear(&e);
	json_decref(rec);
	return NULL;
}

void
page_edit(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	json_t *rec;
	struct view v;

	if (ent == NULL || (rec = writable_record(r, ent, "sửa")) == NULL)
		return;
	if (r->method == M_POST) {
		save_form(r, ent, rec_id(rec));
	} else {
		view_init(&v, r);
		render_form(r, &v, ent, rec_id(rec),
		    json_integer_value(json_object_get(rec, "version")), rec, NULL,
		    NULL, 200);
		view_free(&v);
	}
	json_decref(rec);
}

/* ---- delete --------------------------------------------------------------------- */

void
page_delete(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	struct actor who = api_actor(r);
	struct err e = { 0 };
	struct page pg;
	struct view v;
	json_t *rec, *form;
	int64_t version = 0;
	char loc[128], title[512];
	int status = 200;

	if (ent == NULL || (rec = writable_record(r, ent, "xóa")) == NULL)
		return;
	if (r->method == M_POST) {
		form = req_form(r);
		if (form != NULL && req_form_version(r, "_version", &version) < 0) {
			json_decref(rec);
			return;
		}
		if (records_delete(r->store, ent, rec_id(rec), version, &who, &e) == 0) {
			snprintf(loc, sizeof(loc), "/e/%s?ok=deleted", ent->name);
			resp_redirect(r, loc);
			json_decref(rec);
			return;
		}
		status = err_http_status(e.code);
	}
	view_init(&v, r);
	snprintf(title, sizeof(title), "Xóa %s", view_label_lc(&v, ent));
	page_init(r, &pg, title, ent->section);
	delete_page(&r->out, &pg, ent, view_label_lc(&v, ent), rec,
	    view_title(&v, ent, rec),
	    e.code != ERR_NONE ? e.msg : NULL);
	page_done(r, status);
	view_free(&v);
	err_clear(&e);
	json_decref(rec);
}

/* ---- picker options (htmx) ------------------------------------------------------ */

void
page_options(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	const char *name = req_query(r, "name"), *qs = req_query(r, "q");
	struct list_query q;
	json_t *rows = NULL, *row, *cur = NULL;
	struct view v;
	int64_t total = 0, curid = 0;
	size_t i;
	char id[32];

	if (ent == NULL)
		return;
	/* the chosen record's id, as the picker sends it back */
	if (name != NULL && *name != '\0' &&
	    req_query_int(r, name, 1, INT64_MAX, &curid) < 0)
		return;
	view_init(&v, r);
	buf_reset(&r->out);
	memset(&q, 0, sizeof(q));
	q.search = qs;
	q.sort = ent->title_field;
	q.limit = VIEW_OPTIONS_MAX;
	q.see_confidential = auth_has_clearance(&r->user);
	/* what was chosen stays chosen while the person searches on */
	if (curid > 0 && (cur = store_get(r->store, ent, curid, NULL)) != NULL &&
	    auth_can_read(r->store, &r->user, ent, cur)) {
		snprintf(id, sizeof(id), "%lld", (long long)curid);
		option(&r->out, id, picker_label(&v, ent, cur), true);
	} else {
		curid = 0;
	}
	if (qs == NULL || *qs == '\0' ||
	    store_list(r->store, ent, &q, &rows, &total, NULL) != 0) {
		option(&r->out, "", "— gõ vào ô tìm để chọn —", curid == 0);
	} else {
		char head[128];
		if (total == 0)
			snprintf(head, sizeof(head), "— không tìm thấy —");
		else if (total > VIEW_OPTIONS_MAX)
			snprintf(head, sizeof(head), "— %d trong %lld kết quả, gõ thêm để lọc —",
			    VIEW_OPTIONS_MAX, (long long)total);
		else
			snprintf(head, sizeof(head), "— %lld kết quả, hãy chọn —",
			    (long long)total);
		option(&r->out, "", head, curid == 0);
		json_array_foreach(rows, i, row) {
			if (rec_id(row) == curid)
				continue;
			snprintf(id, sizeof(id), "%lld", (long long)rec_id(row));
			option(&r->out, id, picker_label(&v, ent, row), false);
		}
	}
	json_decref(rows);
	json_decref(cur);
	view_free(&v);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->no_store = true;
}

/* ---- picker search (static/picker.js) ------------------------------------------- */

/* GET /e/ENTITY/pick?q=TEXT (or ?id=N): the records of ENTITY the user may
 * see whose search key holds TEXT - folded as every list search is, so
 * that "dong van" finds "Đồng Văn" - as JSON
 *   {"items": [{"id": 12, "display": "Xã Sán Chải — Huyện Si Ma Cai"}],
 *    "total": 31, "more": true}
 * sorted by title, at most VIEW_OPTIONS_MAX.  With id, that one record (a
 * picker showing the name of the value a form holds).  An entity the user
 * may not read is 403, a confidential record is never there for a user
 * without clearance (the store's filter, then auth_can_read). */
void
page_pick(struct request *r)
{
	const struct entity_def *ent = registry_find(r->route_args[0]);
	const char *qs = req_query(r, "q");
	struct list_query q;
	struct err e = { 0 };
	struct view v;
	json_t *rows = NULL, *row, *items;
	int64_t id = 0, total = 0;
	size_t i;
	char lc[256];

	if (ent == NULL) {
		resp_fail(r, ERR_NOT_FOUND, "không có loại bản ghi “%s”",
		    r->route_args[0] ? r->route_args[0] : "");
		return;
	}
	if (!auth_can_read_entity(&r->user, ent)) {
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		resp_fail(r, ERR_FORBIDDEN, "chỉ quản trị viên được xem %s", lc);
		return;
	}
	if (req_query_int(r, "id", 1, INT64_MAX, &id) < 0)
		return;
	view_init(&v, r);
	items = json_array();
	if (id > 0) {
		json_t *rec = store_get(r->store, ent, id, NULL);
		if (rec != NULL && auth_can_read(r->store, &r->user, ent, rec)) {
			json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)id,
			    "display", picker_label(&v, ent, rec)));
			total = 1;
		}
		json_decref(rec);
	} else {
		memset(&q, 0, sizeof(q));
		q.search = qs != NULL && *qs != '\0' ? qs : NULL;
		q.sort = ent->title_field;
		q.limit = VIEW_OPTIONS_MAX;
		q.see_confidential = auth_has_clearance(&r->user);
		if (store_list(r->store, ent, &q, &rows, &total, &e) != 0) {
			json_decref(items);
			view_free(&v);
			resp_error(r, &e);
			err_clear(&e);
			return;
		}
		json_array_foreach(rows, i, row) {
			if (!auth_can_read(r->store, &r->user, ent, row))
				continue;
			json_array_append_new(items, json_pack("{s:I, s:s}", "id",
			    (json_int_t)rec_id(row), "display", picker_label(&v, ent, row)));
		}
		json_decref(rows);
	}
	resp_json(r, 200, json_pack("{s:o, s:I, s:b}", "items", items, "total",
	    (json_int_t)total, "more", total > (int64_t)json_array_size(items)));
	r->no_store = true;
	view_free(&v);
}

/* ---- several records at once (the attendees of a meeting) ---------------------------- */

/* Is f asked in a row of several new records? (the owner is the page's) */
static bool
several_field(const struct field_def *f, const struct field_def *owner)
{
	return f != owner && !(f->flags & (F_SYSTEM | F_SECRET | F_SOURCED));
}

void
several_row(struct buf *b, struct several_view *sv, size_t i)
{
	json_t *row = json_array_get(sv->rows, i);
	struct form_view fv;
	char suffix[16];
	const char *key;
	json_t *msg;
	size_t k;

	memset(&fv, 0, sizeof(fv));
	snprintf(suffix, sizeof(suffix), "_%zu", i + 1);
	fv.v = sv->v;
	fv.ent = sv->ent;
	fv.vals = json_object_get(row, "vals");
	fv.errors = json_object_get(row, "errors");
	fv.suffix = suffix;

	/* what is wrong with the row but no widget of it (its parent, the
	 * database): said above its fields */
	json_object_foreach(fv.errors, key, msg) {
		const struct field_def *f = entity_field(sv->ent, key);
		if (f != NULL && several_field(f, sv->owner))
			continue;
		buf_adds(b, "<p class=\"error\" role=\"alert\">");
		html_text(b, json_string_value(msg));
		buf_adds(b, "</p>\n");
	}
	for (k = 0; k < sv->ent->nfields; k++)
		if (several_field(&sv->ent->fields[k], sv->owner))
			view_widget(b, &fv, &sv->ent->fields[k]);
}

/* Row n of the form (fields named FIELD_n) as record input, NULL when the
 * row is empty: what a person left blank is no record. */
static json_t *
several_input(const struct entity_def *ent, const struct field_def *owner,
    json_t *form, size_t n, json_t **shown)
{
	json_t *in = json_object(), *vals = json_object();
	bool any = false;
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		char key[160];
		const char *s;
		if (!several_field(f, owner))
			continue;
		snprintf(key, sizeof(key), "%s_%zu", f->name, n);
		if ((s = json_string_value(json_object_get(form, key))) == NULL)
			continue;
		if (f->type == FT_BOOLEAN && strrchr(s, ';') != NULL)
			s = strrchr(s, ';') + 1; /* hidden 0, then the checked 1 */
		json_object_set_new(vals, f->name, json_string(s));
		if (*s == '\0' || (f->type == FT_BOOLEAN && strcmp(s, "0") == 0))
			continue;
		any = true;
		json_object_set_new(in, f->name, json_string(s));
	}
	if (!any) {
		json_decref(in);
		json_decref(vals);
		return NULL;
	}
	*shown = vals;
	return in;
}

/* GET/POST /e/PARENT/ID/several/CHILD: rows of CHILD records added to one
 * PARENT record at once, in one transaction (all or none), each written
 * by records_create as a single one is (gate, validation, the parent's
 * write rule, audit).  JavaScript adds rows; without it the form has
 * FORM_ROWS_SHOWN, and a save with errors gives them back. */
void
page_several(struct request *r)
{
	const struct entity_def *parent = page_entity(r, r->route_args[0]), *ent;
	const struct field_def *owner = NULL;
	struct several_view sv;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	struct page pg;
	struct view v;
	json_t *prec, *form, *ins;
	char action[200], cancel[200], title[600], loc[300], lc[256];
	size_t i, n, bad = 0;
	int status = 200;

	if (parent == NULL || (ent = page_entity(r, r->route_args[2])) == NULL)
		return;
	for (i = 0; i < ent->nfields; i++)
		if ((ent->fields[i].flags & F_OWNER) && ent->fields[i].type == FT_REF &&
		    strcmp(ent->fields[i].arg, parent->name) == 0)
			owner = &ent->fields[i];
	if (owner == NULL) {
		text_label_in_sentence(parent->label, lc, sizeof(lc));
		snprintf(title, sizeof(title), "không thêm %s vào %s được", ent->label, lc);
		view_error_page(r, 404, title);
		return;
	}
	if ((prec = page_record(r, parent, r->route_args[1])) == NULL)
		return;
	/* who may not add these records is told so before any row is read:
	 * their rule is their parent's (write rule "owner") */
	if (!writable_entity(r, ent)) {
		json_decref(prec);
		return;
	}
	if (!auth_can_write(r->store, &r->user, parent, prec, &e)) {
		view_error_page(r, 403, e.msg[0] ? e.msg : "tài khoản của bạn không được "
		    "thêm vào bản ghi này");
		err_clear(&e);
		json_decref(prec);
		return;
	}
	view_init(&v, r);
	memset(&sv, 0, sizeof(sv));
	sv.v = &v;
	sv.ent = ent;
	sv.parent = parent;
	sv.owner = owner;
	sv.parent_id = rec_id(prec);
	sv.parent_title = view_title(&v, parent, prec);
	sv.rows = json_array();
	snprintf(action, sizeof(action), "/e/%s/%lld/several/%s", parent->name,
	    (long long)sv.parent_id, ent->name);
	snprintf(cancel, sizeof(cancel), "/e/%s/%lld", parent->name, (long long)sv.parent_id);
	sv.action = action;
	sv.cancel_href = cancel;
	if (r->method == M_POST) {
		form = req_form(r);
		ins = json_array();
		for (n = 1; form != NULL && n <= FORM_ROWS_MAX; n++) {
			json_t *shown = NULL, *in = several_input(ent, owner, form, n, &shown);
			if (in == NULL)
				continue;
			json_object_set_new(in, owner->name, json_integer(sv.parent_id));
			json_array_append_new(ins, in);
			json_array_append_new(sv.rows, json_pack("{s:o}", "vals", shown));
		}
		if (json_array_size(ins) == 0) {
			sv.error = "Chưa nhập dòng nào: hãy chọn ít nhất một người (hoặc điền một dòng).";
			status = 422;
		} else if (records_batch_begin(r->store, NULL, &who, 0, &e) != 0) {
			sv.error = view_str(&v, e.msg);
			status = err_http_status(e.code);
		} else {
			json_t *in;
			json_array_foreach(ins, i, in) {
				if (records_create(r->store, ent, in, &who, 0, NULL, &e) == 0)
					continue;
				bad++;
				json_object_set_new(json_array_get(sv.rows, i), "errors",
				    e.code == ERR_INVALID && e.fields != NULL ? json_incref(e.fields) :
				    json_pack("{s:s}", "_", e.msg));
				if (status == 200 || status == 422)
					status = e.code == ERR_INVALID ? 422 : err_http_status(e.code);
				err_clear(&e);
			}
			if (bad == 0 && records_batch_end(r->store, true, &e) == 0) {
				snprintf(loc, sizeof(loc), "/e/%s/%lld?added=%s&n=%zu#rel-%s-%s",
				    parent->name, (long long)sv.parent_id, ent->name,
				    json_array_size(ins), ent->name, owner->name);
				resp_redirect(r, loc);
				json_decref(ins);
				goto out;
			}
			if (bad == 0) {
				sv.error = view_str(&v, e.msg);
				status = err_http_status(e.code);
			} else {
				records_batch_end(r->store, false, NULL);
				snprintf(title, sizeof(title), "Chưa lưu dòng nào: %zu dòng có lỗi, "
				    "hãy sửa các ô có thông báo bên dưới.", bad);
				sv.error = view_str(&v, title);
			}
		}
		json_decref(ins);
	}
	/* rows to fill: those given back, then empty ones */
	while (json_array_size(sv.rows) < FORM_ROWS_SHOWN)
		json_array_append_new(sv.rows, json_pack("{s:{}}", "vals"));
	text_label_in_sentence(ent->label, lc, sizeof(lc));
	snprintf(title, sizeof(title), "Thêm nhiều %s", lc);
	page_init(r, &pg, title, parent->section);
	several_page(&r->out, &pg, &sv);
	page_done(r, status);
out:
	err_clear(&e);
	json_decref(sv.rows);
	json_decref(prec);
	view_free(&v);
}
