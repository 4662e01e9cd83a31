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
#include "web/error_page.h"
#include "web/web.h"

/* ---- shared pieces ------------------------------------------------------------- */

/* The entity of the URL, readable by the user; NULL with a page written. */
static const struct entity_def *
page_entity(struct request *r, const char *name)
{
	const struct entity_def *ent = registry_find(name);
	char msg[ERR_MSG_MAX];

	if (ent == NULL) {
		snprintf(msg, sizeof(msg), "không có loại bản ghi “%s”", name ? name : "");
		view_error_page(r, 404, msg);
		return NULL;
	}
	if (!auth_can_read_entity(&r->user, ent)) {
		snprintf(msg, sizeof(msg), "chỉ quản trị viên được xem %s", ent->label);
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
	char msg[ERR_MSG_MAX];
	json_t *rec = NULL;
	int64_t id = 0;

	if (api_parse_id(idstr, &id))
		rec = store_get(r->store, ent, id, NULL);
	if (rec != NULL && !auth_can_read(r->store, &r->user, ent, rec)) {
		json_decref(rec);
		rec = NULL;
	}
	if (rec == NULL) {
		snprintf(msg, sizeof(msg), "không tìm thấy %s số %s", ent->label,
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
	/* the title column links to the record itself, even a reference */
	t = view_plain(v, f, rec);
	buf_addf(b, "<a href=\"/e/%s/%lld\">", ent->name, (long long)rec_id(rec));
	if (*t == '\0')
		buf_addf(b, "số %lld", (long long)rec_id(rec));
	else
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
			}
			json_decref(args);
			dv->nrel++;
		}
	}
}

void
page_detail(struct request *r)
{
	const struct entity_def *ent = page_entity(r, r->route_args[0]);
	struct detail_view dv;
	struct view v;
	struct page pg;
	size_t i;

	if (ent == NULL)
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
	if (req_query(r, "ok") != NULL)
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
		buf_addf(b, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", f->name);
}

static void
field_error(struct buf *b, const struct form_view *fv, const struct field_def *f)
{
	const char *msg = json_string_value(json_object_get(fv->errors, f->name));

	if (msg == NULL)
		return;
	buf_addf(b, "<small class=\"field-error\" id=\"err-%s\">", f->name);
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

static void
ref_widget(struct buf *b, struct form_view *fv, const struct field_def *f,
    const char *val)
{
	const struct entity_def *target = registry_find(f->arg);
	struct view *v = fv->v;
	struct list_query q;
	json_t *rows = NULL, *row;
	int64_t n = 0, cur = 0;
	size_t i;
	bool found = false;

	api_parse_id(val, &cur);
	if (target == NULL)
		return;
	store_count(v->r->store, target, &n, NULL);
	memset(&q, 0, sizeof(q));
	q.see_confidential = auth_has_clearance(&v->r->user);
	if (n <= VIEW_PICKER_SELECT) {
		field_head(b, fv, f, view_str(v, f->name));
		q.sort = target->title_field;
		q.limit = VIEW_PICKER_SELECT;
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", f->name, f->name);
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
			option(b, val, view_plain(v, f, fv->vals), true);
		buf_adds(b, "</select>\n");
		json_decref(rows);
		return;
	}
	/* too many to list: search as you type (htmx fills the select); without
	 * JavaScript the number input carries the id */
	{
		char sid[80];
		snprintf(sid, sizeof(sid), "s-%s", f->name);
		field_head(b, fv, f, sid);
	}
	buf_addf(b, "<div class=\"picker\" data-picker>\n"
	    "<input type=\"search\" class=\"js-only\" id=\"s-%s\" name=\"q\" "
	    "autocomplete=\"off\" placeholder=\"Gõ tên để tìm, ví dụ: sán chải\" "
	    "hx-get=\"/e/%s/options?name=%s\" "
	    "hx-trigger=\"input changed delay:300ms, search\" "
	    "hx-target=\"#%s\" hx-include=\"#%s\" hx-swap=\"innerHTML\">\n",
	    f->name, target->name, f->name, f->name, f->name);
	buf_addf(b, "<select class=\"js-only\" id=\"%s\" name=\"%s\" disabled "
	    "aria-label=\"", f->name, f->name);
	html_text(b, f->label);
	buf_addc(b, '"');
	field_aria(b, fv, f);
	buf_adds(b, ">\n");
	option(b, "", "— gõ vào ô tìm để chọn —", cur == 0);
	if (cur > 0)
		option(b, val, view_plain(v, f, fv->vals), true);
	buf_adds(b, "</select>\n");
	buf_addf(b, "<input class=\"nojs\" type=\"number\" min=\"1\" id=\"n-%s\" "
	    "name=\"%s\" value=\"", f->name, f->name);
	html_text(b, cur > 0 ? val : "");
	buf_adds(b, "\" placeholder=\"mã số bản ghi\" aria-label=\"");
	html_text(b, f->label);
	buf_adds(b, " (mã số)\">\n</div>\n");
}

void
view_widget(struct buf *b, struct form_view *fv, const struct field_def *f)
{
	struct view *v = fv->v;
	const char *val = view_input(v, f, fv->vals);
	char code[128], label[256];
	size_t i;

	/* long texts and search pickers take the whole row of the grid */
	buf_addf(b, "<div class=\"field%s\">\n", (f->flags & F_LONG) ||
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
		    "value=\"1\"%s", f->name, f->name, f->name, f->name,
		    on ? " checked" : "");
		field_aria(b, fv, f);
		buf_adds(b, "> ");
		html_text(b, f->label);
		buf_adds(b, "</label>\n");
		break;
	}
	case FT_ENUM:
		field_head(b, fv, f, f->name);
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", f->name, f->name);
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
		field_head(b, fv, f, f->name);
		buf_addf(b, "<select id=\"%s\" name=\"%s\"", f->name, f->name);
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
		field_head(b, fv, f, f->name);
		/* typed as Vietnamese write dates, not the browser's locale widget:
		 * a stored date shows as 31/12/2025, what the person typed stays
		 * visible even when it is no date (validate.c reads both) */
		buf_addf(b, "<input type=\"text\" inputmode=\"numeric\" "
		    "placeholder=\"dd/mm/yyyy\" autocomplete=\"off\" id=\"%s\" "
		    "name=\"%s\" value=\"", f->name, f->name);
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
		field_head(b, fv, f, f->name);
		buf_addf(b, "<input type=\"text\" inputmode=\"%s\" id=\"%s\" name=\"%s\" "
		    "value=\"", f->type == FT_INTEGER ? "numeric" : "decimal",
		    f->name, f->name);
		html_text(b, val);
		buf_addc(b, '"');
		field_aria(b, fv, f);
		buf_adds(b, ">\n");
		break;
	case FT_TEXT:
		field_head(b, fv, f, f->name);
		if (f->flags & F_LONG) {
			buf_addf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"5\"", f->name,
			    f->name);
			field_aria(b, fv, f);
			buf_adds(b, ">");
			html_text(b, val);
			buf_adds(b, "</textarea>\n");
		} else {
			buf_addf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"",
			    f->name, f->name);
			html_text(b, val);
			buf_addc(b, '"');
			if (f->max > 0)
				buf_addf(b, " maxlength=\"%d\"", (int)f->max);
			/* structured text: the forms it is read in */
			if (f->flags & F_PERIOD)
				buf_adds(b, " placeholder=\"2025-Q4; quý 4/2025; năm 2023; "
				    "6 tháng đầu năm 2024; 2020-2025\"");
			else if (f->flags & F_REPORT_SCOPE)
				buf_adds(b, " placeholder=\"agreement:12; target_set:1; "
				    "unit:084; nation\"");
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
		snprintf(title, sizeof(title), "Sửa %s", ent->label);
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
	char msg[ERR_MSG_MAX];

	if (view_may_create(&r->user, ent))
		return true;
	snprintf(msg, sizeof(msg), "tài khoản của bạn không được thêm hoặc sửa %s",
	    ent->label);
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
		if (f->flags & (F_SYSTEM | F_SECRET) || s == NULL)
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
	snprintf(title, sizeof(title), "Xóa %s", ent->label);
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
