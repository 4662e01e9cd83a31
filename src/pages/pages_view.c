/* pages_view.c - see pages_view.h */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/scope.h"
#include "pages/pages_view.h"
#include "schema/record.h"
#include "text/html.h"
#include "text/text.h"

#define VIEW_TITLE_DEPTH 3 /* a title naming a record naming a record... */

/* recursion guard of view_title; each worker thread renders one page */
static _Thread_local int title_depth;

void
view_init(struct view *v, struct request *r)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->titles = json_object();
	v->catalogs = NULL;
	v->strs = json_array();
}

void
view_free(struct view *v)
{
	json_decref(v->titles);
	json_decref(v->catalogs);
	json_decref(v->strs);
	memset(v, 0, sizeof(*v));
}

const char *
view_str(struct view *v, const char *s)
{
	json_t *j = json_string(s != NULL ? s : "");

	if (j == NULL) /* not UTF-8: never happens for stored text */
		j = json_string("");
	json_array_append_new(v->strs, j);
	return json_string_value(j);
}

const char *
view_take(struct view *v, struct buf *b)
{
	const char *s = view_str(v, buf_failed(b) ? "" : buf_str(b));

	buf_free(b);
	return s;
}

/* ---- catalogs ------------------------------------------------------------------ */

static void
load_catalogs(struct view *v)
{
	struct list_query q;
	json_t *rows = NULL, *row;
	size_t i;

	v->catalogs = json_object();
	memset(&q, 0, sizeof(q));
	q.sort = field_name(FLD_CATALOG_ITEM_SORT_ORDER);
	q.limit = VIEW_CATALOG_ROWS;
	if (store_list(v->r->store, entity_of(ENT_CATALOG_ITEM), &q, &rows,
	    NULL, NULL) != 0)
		return;
	json_array_foreach(rows, i, row) {
		const char *cat = jrec_str(row, FLD_CATALOG_ITEM_CATALOG);
		json_t *arr;
		if (cat == NULL)
			continue;
		if ((arr = json_object_get(v->catalogs, cat)) == NULL) {
			arr = json_array();
			json_object_set_new(v->catalogs, cat, arr);
		}
		json_array_append_new(arr, json_pack("[O, O, b]",
		    jrec_get(row, FLD_CATALOG_ITEM_CODE), jrec_get(row, FLD_CATALOG_ITEM_LABEL),
		    !json_is_false(jrec_get(row, FLD_CATALOG_ITEM_ACTIVE))));
	}
	json_decref(rows);
}

json_t *
view_catalog(struct view *v, const char *catalog)
{
	json_t *arr;

	if (v->catalogs == NULL)
		load_catalogs(v);
	arr = json_object_get(v->catalogs, catalog);
	if (arr == NULL) {
		arr = json_array();
		json_object_set_new(v->catalogs, catalog, arr);
	}
	return arr;
}

const char *
view_catalog_label(struct view *v, const char *catalog, const char *code)
{
	json_t *item;
	size_t i;

	json_array_foreach(view_catalog(v, catalog), i, item)
		if (strcmp(json_string_value(json_array_get(item, 0)), code) == 0)
			return json_string_value(json_array_get(item, 1));
	return code;
}

/* ---- values ------------------------------------------------------------------- */

/* A number written the Vietnamese way: '.' groups thousands (when asked),
 * ',' is the decimal mark.  The form shows no grouping, so that what it
 * sends back reads the same. */
static void
vi_number(double d, bool group, char *out, size_t len)
{
	char tmp[64], *dot, *p;
	size_t n, i, intlen, o = 0;
	bool neg = d < 0;

	if (!isfinite(d)) {
		snprintf(out, len, "%g", d);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.6f", neg ? -d : d);
	/* drop trailing zeros of the fraction */
	n = strlen(tmp);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	dot = strchr(tmp, '.');
	intlen = dot != NULL ? (size_t)(dot - tmp) : n;
	if (neg && o + 1 < len)
		out[o++] = '-';
	for (i = 0; i < intlen && o + 2 < len; i++) {
		if (group && i > 0 && (intlen - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = tmp[i];
	}
	if (dot != NULL && o + 1 < len) {
		out[o++] = ',';
		for (p = dot + 1; *p && o + 1 < len; p++)
			out[o++] = *p;
	}
	out[o < len ? o : len - 1] = '\0';
}

void
view_date(struct buf *b, const char *iso)
{
	if (iso == NULL)
		return;
	if (strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-')
		buf_addf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		html_text(b, iso);
}

void
view_stamp(struct buf *b, const char *iso)
{
	char local[VI_TIME_LOCAL_MAX];

	/* "2026-11-23T17:41:12Z" -> "24/11/2026 00:41", Vietnam's time; the
	 * stored UTC instant stays in the markup for machines */
	if (iso != NULL && vi_time_local(iso, local, sizeof(local)) == 0) {
		buf_adds(b, "<time datetime=\"");
		html_text(b, iso);
		buf_addf(b, "\" title=\"giờ Việt Nam (UTC+7)\">%s</time>", local);
	} else {
		html_text(b, iso);
	}
}

void
view_action(struct buf *b, const char *action)
{
	static const struct { const char *code, *label; } t[] = {
		{ "create", "Thêm" }, { "update", "Sửa" }, { "delete", "Xóa" },
	};
	size_t i;

	for (i = 0; action != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(action, t[i].code) == 0) {
			buf_adds(b, t[i].label);
			return;
		}
	html_text(b, action);
}

const char *
view_ref_title(struct view *v, const char *entity, int64_t id)
{
	const struct entity_def *target = registry_find(entity);
	char key[96];
	json_t *cached, *rec;
	const char *t = NULL;

	snprintf(key, sizeof(key), "%s/%lld", entity, (long long)id);
	if ((cached = json_object_get(v->titles, key)) != NULL)
		return json_string_value(cached);
	if (target != NULL && auth_can_read_entity(&v->r->user, target) &&
	    title_depth < VIEW_TITLE_DEPTH &&
	    (rec = store_get(v->r->store, target, id, NULL)) != NULL) {
		/* a confidential record stays invisible, even by name */
		if (auth_can_read(v->r->store, &v->r->user, target, rec)) {
			title_depth++;
			/* a copy: a text title points into rec */
			t = view_str(v, view_title(v, target, rec));
			title_depth--;
		}
		json_decref(rec);
	}
	json_object_set_new(v->titles, key, t ? json_string(t) : json_null());
	return json_string_value(json_object_get(v->titles, key));
}

const char *
view_plain(struct view *v, const struct field_def *f, const json_t *rec)
{
	const json_t *val = json_object_get(rec, f->name);
	char tmp[128], code[128], label[256];
	struct buf b;
	size_t i;

	if (val == NULL || json_is_null(val))
		return "";
	switch (f->type) {
	case FT_TEXT: {
		/* a period in words ("quý IV năm 2025"); forms keep the code */
		struct vi_period vp;
		if ((f->flags & F_PERIOD) && json_is_string(val) &&
		    vi_parse_period(json_string_value(val), &vp) == 0 &&
		    vi_period_label(&vp, tmp, sizeof(tmp)) == 0)
			return view_str(v, tmp);
		return json_is_string(val) ? json_string_value(val) : "";
	}
	case FT_INTEGER:
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(val));
		return view_str(v, tmp);
	case FT_DECIMAL:
		vi_number(json_number_value(val), true, tmp, sizeof(tmp));
		return view_str(v, tmp);
	case FT_DATE:
		buf_init(&b, 64);
		view_date(&b, json_string_value(val));
		return view_take(v, &b);
	case FT_ENUM:
		for (i = 0; enum_choice(f, i, code, sizeof(code), label,
		    sizeof(label)) == 0; i++)
			if (json_is_string(val) && strcmp(code, json_string_value(val)) == 0)
				return view_str(v, label);
		return json_string_value(val) ? json_string_value(val) : "";
	case FT_CATALOG:
		return json_is_string(val) ? view_catalog_label(v, f->arg,
		    json_string_value(val)) : "";
	case FT_BOOLEAN:
		return json_is_true(val) ? "Có" : "Không";
	case FT_REF: {
		int64_t id = json_integer_value(val);
		const char *t = view_ref_title(v, f->arg, id);
		if (t != NULL)
			return t;
		snprintf(tmp, sizeof(tmp), "số %lld", (long long)id);
		return view_str(v, tmp);
	}
	}
	return "";
}

const char *
view_title(struct view *v, const struct entity_def *ent, const json_t *rec)
{
	const struct field_def *tf = entity_field(ent, ent->title_field);
	const char *t = tf ? view_plain(v, tf, rec) : "";
	char tmp[300];
	size_t i;

	/* a code or a date alone names nothing: add the next listed value
	 * ("Ký kết — Huyện Si Ma Cai", "Số cuộc — 5") */
	if (tf != NULL && tf->type != FT_TEXT) {
		for (i = 0; i < ent->nfields; i++) {
			const struct field_def *f = &ent->fields[i];
			const char *s;
			if (f == tf || !(f->flags & F_LIST) || (f->flags & F_OWNER))
				continue;
			s = view_plain(v, f, rec);
			if (*s != '\0') {
				struct buf b;
				buf_init(&b, 4096);
				buf_addf(&b, "%s — %s", t, s);
				return view_take(v, &b);
			}
		}
	}
	/* an empty title ("Chức vụ" of an attendee nobody wrote down) names
	 * the record by what else it holds: the person or body it points to
	 * first, then another listed value; its number only when it holds
	 * nothing (an attendee read "số 86") */
	for (int pass = 0; *t == '\0' && pass < 2; pass++)
		for (i = 0; i < ent->nfields && *t == '\0'; i++) {
			const struct field_def *f = &ent->fields[i];
			if (f == tf || !(f->flags & F_LIST) || (f->flags & F_OWNER) ||
			    f->type == FT_BOOLEAN || (pass == 0) != (f->type == FT_REF))
				continue;
			t = view_plain(v, f, rec);
		}
	if (*t == '\0') {
		snprintf(tmp, sizeof(tmp), "%s số %lld", ent->label,
		    (long long)json_integer_value(json_object_get(rec, "id")));
		return view_str(v, tmp);
	}
	return t;
}

const char *
view_href(struct view *v, const char *entity, int64_t id)
{
	char tmp[128];

	snprintf(tmp, sizeof(tmp), "/e/%s/%lld", entity, (long long)id);
	return view_str(v, tmp);
}

/* Up to max characters of UTF-8 text, with "…" when cut. */
void
view_text_cut(struct buf *b, const char *s, size_t max)
{
	size_t chars = 0;
	const char *p;

	for (p = s; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == max)
			break;
	if (*p == '\0') {
		html_text(b, s);
		return;
	}
	{
		char *copy = strndup(s, (size_t)(p - s));
		html_text(b, copy);
		free(copy);
		buf_adds(b, "…");
	}
}

void
view_value(struct buf *b, struct view *v, const struct field_def *f,
    const json_t *rec, bool cell)
{
	const json_t *val = json_object_get(rec, f->name);
	const char *s;

	if (val == NULL || json_is_null(val)) {
		if (!cell)
			buf_adds(b, "<span class=\"empty\">—</span>");
		return;
	}
	if (f->type == FT_REF) {
		int64_t id = json_integer_value(val);
		const char *t = view_ref_title(v, f->arg, id);
		if (t == NULL) {
			buf_addf(b, "số %lld", (long long)id);
			return;
		}
		buf_addf(b, "<a href=\"/e/%s/%lld\">", f->arg, (long long)id);
		if (cell)
			view_text_cut(b, t, VIEW_CELL_CHARS);
		else
			html_text(b, t);
		buf_adds(b, "</a>");
		return;
	}
	s = view_plain(v, f, rec);
	if (f->type == FT_TEXT && cell)
		view_text_cut(b, s, VIEW_CELL_CHARS);
	else if (f->type == FT_TEXT && (f->flags & F_LONG))
		buf_adds(b, "<span class=\"long\">"), html_text(b, s),
		    buf_adds(b, "</span>");
	else
		html_text(b, s);
}

const char *
view_input(struct view *v, const struct field_def *f, const json_t *vals)
{
	const json_t *val = json_object_get(vals, f->name);
	char tmp[64];

	if (val == NULL || json_is_null(val))
		return "";
	if (json_is_string(val))
		return json_string_value(val);
	if (json_is_boolean(val))
		return json_is_true(val) ? "1" : "0";
	if (json_is_integer(val)) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(val));
		return view_str(v, tmp);
	}
	if (json_is_real(val)) {
		vi_number(json_real_value(val), false, tmp, sizeof(tmp));
		return view_str(v, tmp);
	}
	return "";
}

void
view_badges(struct buf *b, const struct entity_def *ent, const json_t *rec)
{
	const struct entity_behaviour *eb = entity_behaviour(ent);
	enum field_id conf = eb != NULL ? eb->confidential : FLD_NONE;

	if (json_is_true(json_object_get(rec, COMMON_ILLUSTRATIVE)))
		buf_adds(b, " <span class=\"badge illustrative\" title=\"Dữ liệu "
		    "minh họa: nguồn chỉ nêu số tổng\">minh họa</span>");
	if (conf != FLD_NONE && jrec_bool(rec, conf))
		buf_adds(b, " <span class=\"badge confidential\">mật</span>");
}

bool
view_may_create(const struct user *u, const struct entity_def *ent)
{
	return auth_can_write_entity(u, ent, NULL);
}

const char *
view_label_lc(struct view *v, const struct entity_def *ent)
{
	char tmp[512];

	/* "Số liệu hoạt động" -> "số liệu hoạt động", "Đơn vị hành chính" ->
	 * "đơn vị hành chính" (only ASCII initials were lowered) */
	text_label_in_sentence(ent->label, tmp, sizeof(tmp));
	return view_str(v, tmp);
}

const char *
view_add_label(struct view *v, const struct entity_def *ent)
{
	struct buf b;

	buf_init(&b, 512);
	buf_adds(&b, "Thêm ");
	buf_adds(&b, view_label_lc(v, ent));
	return view_take(v, &b);
}

/* ---- report scope pickers ---------------------------------------------------------- */

void
view_scope_attrs(struct buf *b, struct view *v, const char *value)
{
	json_t *kinds = json_array();
	const char *colon = value != NULL ? strchr(value, ':') : NULL;
	const char *shown = NULL;
	char *text;
	int page;
	size_t k;

	/* the kinds of the page /reports in their order, then the others
	 * (a unit, the whole country): [name, entity or null, label] */
	for (page = 0; page <= SCOPE_KIND_COUNT; page++)
		for (k = 0; k < SCOPE_KIND_COUNT; k++) {
			const struct report_scope_kind_def *sk = &report_scope_kinds[k];
			const struct entity_def *ent = sk->entity ? registry_find(sk->entity) : NULL;
			if ((page == 0) != (sk->page == 0) || (page > 0 && sk->page != page))
				continue;
			if (sk->entity != NULL && (ent == NULL ||
			    !auth_can_read_entity(&v->r->user, ent)))
				continue;
			json_array_append_new(kinds, json_pack("[s, s?, s]", sk->name, sk->entity,
			    sk->label ? sk->label : ent ? ent->label : "Toàn quốc"));
		}
	/* the name of the record the value names ("agreement:12", "unit:084"),
	 * read by the one parser of scopes */
	if (colon != NULL) {
		struct report_scope sc;
		struct err e = { 0 };
		if (report_scope_parse(v->r->store, value, &sc, &e) == 0 &&
		    report_scope_kinds[sc.kind].entity != NULL)
			shown = view_ref_title(v, report_scope_kinds[sc.kind].entity, sc.id);
		err_clear(&e);
	}
	text = json_dumps(kinds, JSON_COMPACT);
	buf_adds(b, " data-pick-scope=\"");
	html_text(b, text ? text : "[]");
	buf_addc(b, '"');
	if (shown != NULL && *shown != '\0') {
		buf_adds(b, " data-pick-label=\"");
		html_text(b, shown);
		buf_addc(b, '"');
	}
	free(text);
	json_decref(kinds);
}

/* ---- the audit log, readable ------------------------------------------------------- */

/* One side of a change: the value as the record pages show it, or a dash. */
static void
audit_value(struct buf *b, struct view *v, const struct field_def *f, const json_t *rec,
    const char *cls)
{
	const char *s = rec != NULL ? view_plain(v, f, rec) : "";

	buf_addf(b, "<span class=\"%s\">", cls);
	if (*s == '\0')
		buf_adds(b, "—");
	else
		view_text_cut(b, s, VIEW_CELL_CHARS);
	buf_adds(b, "</span>");
}

void
view_audit_diff(struct buf *b, struct view *v, const json_t *row)
{
	const struct entity_def *ent = registry_find(jrec_str(row, FLD_AUDIT_LOG_ENTITY));
	const char *bj = jrec_str(row, FLD_AUDIT_LOG_BEFORE_JSON);
	const char *aj = jrec_str(row, FLD_AUDIT_LOG_AFTER_JSON);
	json_t *before = bj ? json_loads(bj, 0, NULL) : NULL;
	json_t *after = aj ? json_loads(aj, 0, NULL) : NULL;
	size_t i, shown = 0;

	/* field label: old -> new, in the entity's order, for the fields that
	 * changed (all those given, for a record added or deleted); secret
	 * fields never, and references named as the reader may see them
	 * (view_ref_title: a confidential record stays a number) */
	if (ent != NULL && (before != NULL || after != NULL)) {
		for (i = 0; i < ent->nfields; i++) {
			const struct field_def *f = &ent->fields[i];
			const json_t *o = before ? json_object_get(before, f->name) : NULL;
			const json_t *n = after ? json_object_get(after, f->name) : NULL;
			bool had = o != NULL && !json_is_null(o), has = n != NULL && !json_is_null(n);
			if (f->flags & F_SECRET)
				continue;
			/* a box never ticked and one unticked say the same: "Không" */
			if (f->type == FT_BOOLEAN) {
				had = had && !json_is_false(o);
				has = has && !json_is_false(n);
			}
			if (before != NULL && after != NULL ? (n == NULL || (o != NULL && json_equal(o, n)) ||
			    (!had && !has) || (f->type == FT_BOOLEAN && had == has)) : !(had || has))
				continue;
			if (shown++ == 0)
				buf_adds(b, "<table class=\"audit-diff\"><tbody>\n");
			buf_adds(b, "<tr><th scope=\"row\">");
			html_text(b, f->label);
			buf_adds(b, "</th><td>");
			if (before != NULL && after != NULL) {
				audit_value(b, v, f, before, "audit-old");
				buf_adds(b, " → ");
				audit_value(b, v, f, after, "audit-new");
			} else {
				audit_value(b, v, f, after ? after : before, after ? "audit-new" : "audit-old");
			}
			buf_adds(b, "</td></tr>\n");
		}
	}
	if (shown > 0)
		buf_adds(b, "</tbody></table>\n");
	else
		buf_adds(b, "<span class=\"empty\">không có trường nào đổi</span>");
	json_decref(before);
	json_decref(after);
}
