/*
 * pages_ingest.c - the page "Nhập từ văn bản" (issue 9): paste or upload a
 * report, review the proposals grouped by kind with the sentence each came
 * from highlighted, edit them inline, accept or reject each, and write the
 * accepted ones (ingest_accept.h); the result lists the records created.
 *
 *   GET  /ingest              the form and the batches kept
 *   POST /ingest              read the text, keep it, propose -> /ingest/ID
 *   GET  /ingest/ID           review (pending) or result (decided)
 *   POST /ingest/ID/accept    decisions and edits -> records
 * Editors and above only: a viewer is refused, reading too (the proposals
 * are drafts of records, not records).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/auth.h"
#include "domain/records.h"
#include "ingest/ingest.h"
#include "ingest/ingest_accept.h"
#include "ingest/ingest_keys.h"
#include "pages/ingest_tmpl.h"
#include "pages/pages.h"
#include "report/report.h"
#include "schema/record.h"
#include "text/text.h"
#include "web/error_page.h"
#include "web/page.h"
#include "web/web.h"

#define SECTION         "Nhập từ văn bản"
#define BATCHES_SHOWN   50   /* batches listed on the start page             */
#define CONTEXT_BYTES   240  /* text shown around a quote, each side         */

/* ---- permissions, small helpers --------------------------------------------------- */

static bool
may_ingest(const struct user *u)
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
	if (may_ingest(&r->user))
		return false;
	page_error(r, 403, "chỉ người nhập liệu (biên tập) trở lên được nhập từ văn bản");
	return true;
}

static const char *
s_of(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *
state_label(const char *state)
{
	const struct field_def *f = field_of(FLD_INGEST_BATCH_STATE);
	static __thread char label[64];
	char code[32];
	size_t i;

	for (i = 0; f != NULL && i < enum_count(f); i++) {
		enum_choice(f, i, code, sizeof(code), label, sizeof(label));
		if (state != NULL && strcmp(code, state) == 0)
			return label;
	}
	return state ? state : "";
}

/* A number the Vietnamese way for an input: 184.5 -> "184,5". */
static json_t *
num_string(const json_t *v)
{
	char buf[64], *dot;

	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, sizeof(buf), "%.15g", json_real_value(v));
	else
		return json_string(json_string_value(v) ? json_string_value(v) : "");
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = ',';
	return json_string(buf);
}

/* ---- the text behind a batch ------------------------------------------------------ */

/* Move back to the first byte of a UTF-8 sequence. */
static size_t
utf8_start(const char *t, size_t i)
{
	while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* The sentence around a span: before, the span itself, after. */
static void
context_of(json_t *item, const json_t *p, const char *text, size_t len)
{
	json_t *sp = json_object_get(p, "span");
	json_int_t s0 = json_integer_value(json_array_get(sp, 0));
	json_int_t s1 = json_integer_value(json_array_get(sp, 1));
	size_t a, z;

	if (text == NULL || s0 < 0 || s1 < s0 || (size_t)s1 > len) {
		json_object_set_new(item, "before", json_string(""));
		json_object_set_new(item, "quote", json_string(s_of(p, "quote") ?: ""));
		json_object_set_new(item, "after", json_string(""));
		return;
	}
	for (a = (size_t)s0; a > 0 && (size_t)s0 - a < CONTEXT_BYTES; a--)
		if (text[a - 1] == '\n' || (text[a - 1] == ' ' && a >= 2 &&
		    (text[a - 2] == '.' || text[a - 2] == ';')))
			break;
	a = utf8_start(text, a);
	for (z = (size_t)s1; z < len && z - (size_t)s1 < CONTEXT_BYTES; z++)
		if (text[z] == '\n' || text[z] == '.' || text[z] == ';')
			break;
	z = utf8_start(text, z);
	json_object_set_new(item, "before", json_stringn(text + a, (size_t)s0 - a));
	json_object_set_new(item, "quote", json_stringn(text + s0, (size_t)(s1 - s0)));
	json_object_set_new(item, "after", json_stringn(text + s1, z - (size_t)s1));
}

/* ---- proposals as a review form --------------------------------------------------------- */

struct field_spec {
	const char *kind, *name, *label;
	const char *type;     /* input type, NULL = text                   */
	const char *options;  /* "code=Nhãn|…" for a select, or NULL        */
	bool numeric, is_long;
};

static const struct field_spec specs[] = {
	{ "event", PK_TITLE, "Tên sự kiện", NULL, NULL, false, true },
	{ "event", "event_type", "Loại", NULL, "review_conference=Hội nghị sơ kết, tổng kết|"
	  "briefing=Giao ban|working_session=Buổi làm việc|bilateral_talks=Hội đàm|"
	  "signing=Lễ ký kết|supervision=Giám sát, kiểm tra|patrol=Tuần tra|"
	  "propaganda=Tuyên truyền|exchange=Giao lưu|meeting=Cuộc họp|other=Khác", false, false },
	{ "event", "date", "Ngày", "date", NULL, false, false },
	{ "event", "place_text", "Địa điểm", NULL, NULL, false, false },
	{ "person", "name", "Họ và tên", NULL, NULL, false, false },
	{ "person", PK_TITLE, "Chức vụ (như văn bản ghi)", NULL, NULL, false, true },
	{ "person", "role", "Vai trò", NULL, "chair=Chủ trì|co_chair=Đồng chủ trì|"
	  "directing=Dự, chỉ đạo|attending=Tham dự|signing=Ký kết|speaking=Phát biểu|"
	  "other=Khác", false, false },
	{ "organisation", PK_TEXT, "Tên cơ quan", NULL, NULL, false, false },
	{ "organisation", "org_kind", "Loại", NULL, "party_committee=Cấp ủy Đảng|"
	  "people_committee=Ủy ban nhân dân|council=Hội đồng nhân dân|"
	  "border_post=Đồn Biên phòng|police=Công an|military=Cơ quan quân sự|"
	  "department=Sở, ban, ngành|front=Mặt trận Tổ quốc|other=Khác", false, false },
	{ "legal_ref", "doc_kind", "Loại văn bản", NULL, NULL, false, false },
	{ "legal_ref", "number", "Số, ký hiệu", NULL, NULL, false, false },
	{ "legal_ref", "date", "Ngày ban hành", "date", NULL, false, false },
	{ "legal_ref", "issuer", "Cơ quan ban hành", NULL, NULL, false, false },
	{ "legal_ref", "subject", "Trích yếu", NULL, NULL, false, true },
	{ "figure", "value", "Giá trị", NULL, NULL, true, false },
	{ "figure", "of", "Trên tổng số", NULL, NULL, true, false },
	{ "figure", "unit", "Đơn vị tính", NULL, NULL, false, false },
	{ "figure", "qualifier", "Chữ ghi trước số", NULL, NULL, false, false },
	{ "figure", "subject", "Nội dung", NULL, NULL, false, true },
	{ "figure", "proposed_as", "Ghi thành", NULL, "activity_quantity=Số liệu hoạt động|"
	  "indicator_value=Số liệu chỉ tiêu|agreement_progress=Tiến độ ký kết thỏa thuận|"
	  "other=Chỉ ghi chú", false, false },
	{ "commendation", "form", "Hình thức", NULL, NULL, false, false },
	{ "commendation", "issuer", "Cấp khen", NULL, NULL, false, false },
	{ "commendation", "collectives", "Số tập thể", NULL, NULL, true, false },
	{ "commendation", "individuals", "Số cá nhân", NULL, NULL, true, false },
	{ "commendation", "date", "Ngày khen", "date", NULL, false, false },
	{ "recommendation", "from", "Cơ quan kiến nghị", NULL, NULL, false, false },
	{ "recommendation", "to", "Gửi đến", NULL, NULL, false, false },
	{ "recommendation", "content", "Nội dung", NULL, NULL, false, true },
	{ "task", "assignee", "Cơ quan thực hiện", NULL, NULL, false, false },
	{ "task", "content", "Nhiệm vụ", NULL, NULL, false, true },
	{ "task", "due", "Hạn", "date", NULL, false, false },
};

/* The value of a proposal field as the form shows it. */
static json_t *
field_value(const json_t *p, const struct field_spec *sp)
{
	const json_t *v = json_object_get(p, sp->name);

	if (v == NULL || json_is_null(v))
		return json_string("");
	return sp->numeric ? num_string(v) : json_string(json_string_value(v) ?: "");
}

static json_t *
options_of(const char *spec)
{
	json_t *out = json_array();
	char buf[1024], *item, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (item = strtok_r(buf, "|", &save); item != NULL; item = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(item, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		json_array_append_new(out, json_pack("[s, s]", item, eq + 1));
	}
	return out;
}

static json_t *
fields_of(const json_t *p)
{
	json_t *out = json_array(), *f;
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		if (strcmp(specs[i].kind, s_of(p, PK_KIND) ?: "") != 0)
			continue;
		f = json_pack("{s:s, s:s, s:o, s:b}", "name", specs[i].name, "label",
		    specs[i].label, "value", field_value(p, &specs[i]), "long", specs[i].is_long);
		if (specs[i].type != NULL)
			json_object_set_new(f, "type", json_string(specs[i].type));
		if (specs[i].options != NULL)
			json_object_set_new(f, "options", options_of(specs[i].options));
		json_array_append_new(out, f);
	}
	return out;
}

/* One line naming what the proposal is. */
static void
summary_of(const json_t *p, char *buf, size_t len)
{
	const char *k = s_of(p, PK_KIND) ?: "";

	if (strcmp(k, "event") == 0) {
		const char *d = s_of(p, "date");
		char vd[32];
		if (d != NULL && strlen(d) == 10)
			snprintf(vd, sizeof(vd), "%.2s/%.2s/%.4s", d + 8, d + 5, d);
		else
			snprintf(vd, sizeof(vd), "không rõ ngày");
		snprintf(buf, len, "%s · %s", s_of(p, PK_TITLE) ?: s_of(p, "event_type") ?: "", vd);
	}
	else if (strcmp(k, "person") == 0)
		snprintf(buf, len, "%s — %s", s_of(p, "name") ?: "", s_of(p, PK_TITLE) ?: "");
	else if (strcmp(k, "figure") == 0)
		snprintf(buf, len, "%s%s%s", s_of(p, PK_TEXT) ?: "", s_of(p, "subject") ? " · " : "",
		    s_of(p, "subject") ?: "");
	else if (strcmp(k, "legal_ref") == 0)
		snprintf(buf, len, "%s %s", s_of(p, "doc_kind") ?: "", s_of(p, "number") ?:
		    s_of(p, PK_TEXT) ?: "");
	else if (strcmp(k, "unit") == 0)
		snprintf(buf, len, "%s%s%s", s_of(p, PK_TEXT) ?: "", s_of(p, "code") ?
		    " · mã " : " · chưa xác định", s_of(p, "code") ?: "");
	else if (strcmp(k, "commendation") == 0)
		snprintf(buf, len, "%s · %s", s_of(p, "form") ?: "", s_of(p, "issuer") ?: "");
	else if (strcmp(k, "recommendation") == 0 || strcmp(k, "task") == 0)
		snprintf(buf, len, "%s", s_of(p, "content") ?: "");
	else
		snprintf(buf, len, "%s", s_of(p, PK_TEXT) ?: s_of(p, "name") ?: "");
}

static const char *const kind_order[] = { "event", "person", "organisation", "unit",
	"foreign_unit", "legal_ref", "date", "figure", "commendation", "recommendation",
	"task" };

static json_t *
groups_of(const json_t *set, const char *text, size_t len)
{
	json_t *groups = json_array(), *p;
	size_t k, i;

	for (k = 0; k < sizeof(kind_order) / sizeof(kind_order[0]); k++) {
		json_t *items = json_array();
		json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
			char summary[600], conf[16], *dot;
			json_t *item;
			if (strcmp(s_of(p, PK_KIND) ?: "", kind_order[k]) != 0)
				continue;
			summary_of(p, summary, sizeof(summary));
			snprintf(conf, sizeof(conf), "%.2f", json_number_value(json_object_get(p,
			    "confidence")));
			if ((dot = strchr(conf, '.')) != NULL)
				*dot = ',';
			item = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "id", s_of(p, "id") ?: "",
			    "summary", summary, "confidence", conf, "fields", fields_of(p),
			    "preselect", ingest_preselected(p), "chrome",
			    json_is_true(json_object_get(p, "page_chrome")));
			context_of(item, p, text, len);
			json_array_append_new(items, item);
		}
		if (json_array_size(items) > 0)
			json_array_append_new(groups, json_pack("{s:s, s:o}", "label",
			    ingest_kind_label(kind_order[k]), "items", items));
		else
			json_decref(items);
	}
	return groups;
}

/* ---- the decided batch: decisions and records ------------------------------------------ */

#define RECORD_TITLE_SHOWN 90 /* bytes of a created record's title on the result page */

/* Scope kinds a created record opens a review report for; an agreement only
 * when an event made it (the agreement the conference reviews), not the
 * placeholders a counted figure stands for. */
static const struct { enum entity_id entity; const char *label; } report_scopes[] = {
	{ ENT_AGREEMENT, "Thỏa thuận, quy chế" }, { ENT_PROGRAM, "Chương trình" },
	{ ENT_SUPERVISION, "Cuộc giám sát" }, { ENT_TARGET_SET, "Bộ chỉ tiêu" },
};

static int
kind_rank(const char *kind)
{
	size_t k;

	for (k = 0; k < sizeof(kind_order) / sizeof(kind_order[0]); k++)
		if (kind != NULL && strcmp(kind, kind_order[k]) == 0)
			return (int)k;
	return (int)k;
}

static int
cmp_decision(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d = (int)json_integer_value(json_object_get(x, "rank")) -
	    (int)json_integer_value(json_object_get(y, "rank"));

	if (d != 0)
		return d;
	return (int)(json_integer_value(json_object_get(x, "order")) -
	    json_integer_value(json_object_get(y, "order")));
}

/* A created record's name for the page: its title field, clipped. */
static void
record_title(struct request *r, const struct entity_def *ed, json_int_t id, char *buf,
    size_t len)
{
	json_t *rec = store_get(r->store, ed, id, NULL);
	const char *t = rec ? s_of(rec, ed->title_field) : NULL;
	size_t n;

	snprintf(buf, len, "%s", t ? t : "");
	if ((n = strlen(buf)) > RECORD_TITLE_SHOWN) {
		n = RECORD_TITLE_SHOWN;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		snprintf(buf + n, len - n, "…");
	}
	json_decref(rec);
}

static void
result_view(struct request *r, json_t *v, int64_t batch_id, const json_t *set)
{
	struct list_query q;
	json_t *rows = NULL, *d, *bid = json_integer(batch_id), *decs = json_array();
	json_t *scopes = json_array(), *seen = json_object(), *order = json_object(), *p;
	json_int_t accepted = 0, rejected = 0, nrec = 0, not_written = 0;
	json_t **sorted;
	size_t i, j, n;

	/* proposal id -> its place in the set and a line naming it */
	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		char summary[600];
		summary_of(p, summary, sizeof(summary));
		if (s_of(p, "id") != NULL)
			json_object_set_new(order, s_of(p, "id"), json_pack("{s:I, s:s}", "order",
			    (json_int_t)i, "summary", summary));
	}
	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_INGEST_DECISION_BATCH_ID), OP_EQ,
	    bid };
	q.nfilters = 1;
	rows = store_list_all(r->store, entity_of(ENT_INGEST_DECISION), &q,
	    INGEST_PLACEHOLDERS_MAX * 10, NULL);
	json_array_foreach(rows, i, d) {
		const char *dec = jrec_str(d, FLD_INGEST_DECISION_DECISION) ?: "";
		const char *kind = jrec_str(d, FLD_INGEST_DECISION_KIND);
		json_t *made = json_loads(jrec_str(d, FLD_INGEST_DECISION_RECORDS_JSON) ?: "[]", 0,
		    NULL), *recs = json_array(), *m;
		json_t *info = json_object_get(order, jrec_str(d, FLD_INGEST_DECISION_PROPOSAL_ID) ?:
		    "");
		const struct field_def *f = field_of(FLD_INGEST_DECISION_DECISION);
		char code[32], label[64] = "";
		size_t k;
		for (k = 0; k < enum_count(f); k++) {
			enum_choice(f, k, code, sizeof(code), label, sizeof(label));
			if (strcmp(code, dec) == 0)
				break;
		}
		if (strcmp(dec, "rejected") == 0)
			rejected++;
		else if (strcmp(dec, "not_written") == 0)
			not_written++;
		else
			accepted++;
		json_array_foreach(made, j, m) {
			const char *ent = json_string_value(json_array_get(m, 0));
			const struct entity_def *ed = registry_find(ent ?: "");
			json_int_t id = json_integer_value(json_array_get(m, 1));
			char title[RECORD_TITLE_SHOWN + 8], sc[64];
			if (ed == NULL)
				continue;
			nrec++;
			record_title(r, ed, id, title, sizeof(title));
			json_array_append_new(recs, json_pack("{s:s, s:I, s:s, s:s}", "entity", ent,
			    "id", id, "label", ed->label, "title", title));
			for (k = 0; k < sizeof(report_scopes) / sizeof(report_scopes[0]); k++) {
				if (ed->id != report_scopes[k].entity ||
				    (ed->id == ENT_AGREEMENT && strcmp(kind ?: "", "event") != 0))
					continue;
				snprintf(sc, sizeof(sc), "%s:%lld",
				    report_scope_kind_of(ent) ? report_scope_kind_of(ent)->name :
				    ent, (long long)id);
				if (json_object_get(seen, sc) != NULL)
					continue;
				json_object_set_new(seen, sc, json_true());
				json_array_append_new(scopes, json_pack("{s:s, s:s, s:s}", "scope", sc,
				    "label", report_scopes[k].label, "title", title));
			}
		}
		json_decref(made);
		json_array_append_new(decs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:i, s:I}",
		    field_name(FLD_INGEST_DECISION_PROPOSAL_ID),
		    jrec_str(d, FLD_INGEST_DECISION_PROPOSAL_ID) ?: "", "summary",
		    s_of(info, "summary") ?: "", "kind_label", ingest_kind_label(kind),
		    field_name(FLD_INGEST_DECISION_DECISION), dec, "decision_label", label,
		    field_name(FLD_INGEST_DECISION_NOTE), jrec_str(d, FLD_INGEST_DECISION_NOTE),
		    "records", recs,
		    "rank", kind_rank(kind), "order", json_integer_value(json_object_get(info,
		    "order"))));
	}
	json_decref(rows);
	json_decref(bid);
	json_decref(seen);
	json_decref(order);
	/* in the order of the review page: events first, by kind, then text order */
	n = json_array_size(decs);
	sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (sorted != NULL) {
		json_t *out = json_array();
		for (i = 0; i < n; i++)
			sorted[i] = json_array_get(decs, i);
		qsort(sorted, n, sizeof(*sorted), cmp_decision);
		for (i = 0; i < n; i++)
			json_array_append(out, sorted[i]);
		free(sorted);
		json_decref(decs);
		decs = out;
	}
	json_object_set_new(v, "decisions", decs);
	json_object_set_new(v, "accepted", json_integer(accepted));
	json_object_set_new(v, "rejected", json_integer(rejected));
	json_object_set_new(v, "not_written", json_integer(not_written));
	json_object_set_new(v, "record_count", json_integer(nrec));
	json_object_set_new(v, "scopes", scopes);
}

/* ---- pages ------------------------------------------------------------------------------- */

static void
start_page(struct request *r, int status, const char *error, const char *text,
    const char *date)
{
	struct list_query q;
	json_t *rows = NULL, *v, *bt;
	struct page pg;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.sort = "id";
	q.desc = true;
	q.limit = BATCHES_SHOWN;
	if (store_list(r->store, entity_of(ENT_INGEST_BATCH), &q, &rows, NULL, NULL) != 0)
		rows = json_array();
	json_array_foreach(rows, i, bt) {
		json_object_set_new(bt, "state_label", json_string(state_label(
		    jrec_str(bt, FLD_INGEST_BATCH_STATE))));
		json_object_del(bt, field_name(FLD_INGEST_BATCH_PROPOSALS_JSON));
	}
	v = json_pack("{s:o, s:s?, s:s?, s:s?}", "batches", rows, "error", error, "text", text,
	    "publication_date", date);
	page_init(r, &pg, "Nhập từ văn bản", SECTION);
	ingest_start_page(&r->out, &pg, v);
	page_done(r, status);
	json_decref(v);
}

static void
get_ingest(struct request *r)
{
	if (refuse_viewer(r))
		return;
	start_page(r, 200, NULL, NULL, NULL);
}

static void
post_ingest(struct request *r)
{
	json_t *form = req_form(r), *set = NULL;
	const struct upload *up = req_upload(r, "file");
	const char *pasted = form ? s_of(form, "text") : NULL;
	const char *date = form ? s_of(form, "publication_date") : NULL;
	const char *name;
	const unsigned char *data;
	struct ingest_options opt = { 0 };
	struct actor who = api_actor(r);
	struct err e = { 0 };
	char *text = NULL, loc[64];
	size_t len, tlen = 0;
	int64_t batch = 0;

	if (refuse_viewer(r))
		return;
	/* 31/12/2025 as well as 2025-12-31 */
	const char *typed = date;
	if (web_date_arg(r, "publication_date", typed, &date, &e) != 0) {
		char msg[ERR_MSG_MAX + 32];
		snprintf(msg, sizeof(msg), "Ngày đăng: %.*s", ERR_MSG_MAX,
		    json_string_value(json_object_get(e.fields, "publication_date")) ?: e.msg);
		err_clear(&e);
		start_page(r, 422, req_strdup(r, msg), pasted, typed);
		return;
	}
	if (up != NULL && up->data.len > 0 && up->filename[0] != '\0') {
		name = up->filename;
		data = (const unsigned char *)up->data.data;
		len = up->data.len;
	} else if (pasted != NULL && *pasted != '\0') {
		name = "van-ban-dan.txt";
		data = (const unsigned char *)pasted;
		len = strlen(pasted);
	} else {
		start_page(r, 422, "Hãy chọn một tệp hoặc dán nội dung văn bản.", NULL, date);
		return;
	}
	opt.source_name = name;
	opt.publication_date = date;
	if (ingest_plain_text(name, data, len, &text, &tlen, &e) != 0 ||
	    ingest_extract(r->store, text, tlen, &opt, &set, &e) != 0 ||
	    ingest_batch_save(r->store, name, up != NULL && data != (const unsigned char *)pasted ?
	    data : NULL, len, text, tlen, set, &who, &batch, NULL, &e) != 0) {
		char msg[ERR_MSG_MAX + 64];
		snprintf(msg, sizeof(msg), "Không đọc được văn bản: %s", e.msg);
		start_page(r, err_http_status(e.code), msg, pasted, date);
		err_clear(&e);
		free(text);
		json_decref(set);
		return;
	}
	free(text);
	json_decref(set);
	snprintf(loc, sizeof(loc), "/ingest/%lld", (long long)batch);
	resp_redirect(r, loc);
}

static json_t *
load_batch(struct request *r)
{
	int64_t id;
	json_t *batch;

	if (!api_parse_id(r->route_args[0], &id) ||
	    (batch = store_get(r->store, entity_of(ENT_INGEST_BATCH), id, NULL)) == NULL) {
		page_error(r, 404, "không có lô nhập này");
		return NULL;
	}
	return batch;
}

static void
batch_page(struct request *r, json_t *batch, int status, const char *error)
{
	json_t *set = NULL, *v, *src;
	struct page pg;
	char *text;
	size_t len;
	bool decided = strcmp(jrec_str(batch, FLD_INGEST_BATCH_STATE) ?: "", "pending") != 0;

	set = json_loads(jrec_str(batch, FLD_INGEST_BATCH_PROPOSALS_JSON) ?: "{}", 0, NULL);
	if (set == NULL)
		set = json_object();
	src = json_object_get(set, "source");
	json_object_del(batch, field_name(FLD_INGEST_BATCH_PROPOSALS_JSON));
	v = json_pack("{s:O, s:s, s:s, s:b, s:b, s:s?}", "batch", batch, "title",
	    s_of(src, PSRC_TITLE) ?: jrec_str(batch, FLD_INGEST_BATCH_SOURCE_NAME) ?: "",
	    "state_label", state_label(jrec_str(batch, FLD_INGEST_BATCH_STATE)), "decided",
	    decided, "may_write",
	    may_ingest(&r->user), "error", error);
	if (decided) {
		result_view(r, v, json_integer_value(json_object_get(batch, "id")), set);
	} else {
		text = ingest_document_text(r->store, jrec_int(batch, FLD_INGEST_BATCH_DOCUMENT_ID),
		    &len);
		json_object_set_new(v, "groups", groups_of(set, text, len));
		free(text);
	}
	page_init(r, &pg, "Nhập từ văn bản", SECTION);
	ingest_batch_page(&r->out, &pg, v);
	page_done(r, status);
	json_decref(v);
	json_decref(set);
}

static void
get_batch(struct request *r)
{
	json_t *batch;

	if (refuse_viewer(r) || (batch = load_batch(r)) == NULL)
		return;
	batch_page(r, batch, 200, NULL);
	json_decref(batch);
}

/* The decisions of the review form: d.ID = accept|reject, f.ID.FIELD = the
 * value shown (an edit when it differs from the proposal's), all=1 accepts
 * every proposal. */
static json_t *
decisions_of(const json_t *form, const json_t *set)
{
	json_t *out = json_object(), *p;
	bool all = s_of(form, "all") != NULL && strcmp(s_of(form, "all"), "1") == 0;
	size_t i, k;

	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		const char *id = s_of(p, "id"), *d;
		char key[128];
		json_t *edit = json_object(), *dec;
		if (id == NULL)
			continue;
		snprintf(key, sizeof(key), "d.%s", id);
		d = s_of(form, key);
		for (k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
			const char *sent;
			json_t *shown;
			if (strcmp(specs[k].kind, s_of(p, PK_KIND) ?: "") != 0)
				continue;
			snprintf(key, sizeof(key), "f.%s.%s", id, specs[k].name);
			if ((sent = s_of(form, key)) == NULL)
				continue;
			shown = field_value(p, &specs[k]);
			if (strcmp(sent, json_string_value(shown)) != 0)
				json_object_set_new(edit, specs[k].name, json_string(sent));
			json_decref(shown);
		}
		/* "accept all" = every pre-selected one (not the page's "related
		 * articles"); a proposal ticked by hand is accepted either way */
		dec = json_pack("{s:s}", "decision", (all && ingest_preselected(p)) ||
		    (d != NULL && strcmp(d, "accept") == 0) ? "accept" : "reject");
		if (json_object_size(edit) > 0)
			json_object_set(dec, "edit", edit);
		json_decref(edit);
		json_object_set_new(out, id, dec);
	}
	return out;
}

static void
post_accept(struct request *r)
{
	json_t *batch, *set, *dec, *res = NULL, *form = req_form(r), *empty = NULL;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	char loc[64];
	int64_t id;

	if (refuse_viewer(r) || (batch = load_batch(r)) == NULL)
		return;
	id = json_integer_value(json_object_get(batch, "id"));
	set = json_loads(jrec_str(batch, FLD_INGEST_BATCH_PROPOSALS_JSON) ?: "{}", 0, NULL);
	if (form == NULL)
		form = empty = json_object();
	dec = decisions_of(form, set);
	json_decref(empty);
	if (ingest_batch_accept(r->store, id, dec, &who, &res, &e) != 0) {
		char msg[ERR_MSG_MAX * 2];
		const char *k;
		json_t *m;
		snprintf(msg, sizeof(msg), "Chưa ghi gì: %s", e.msg);
		json_object_foreach(e.fields, k, m) {
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " (trường %s: %s)",
			    k, json_string_value(m));
			break;
		}
		/* the batch as it is now (another official may have decided it) */
		json_decref(batch);
		batch = store_get(r->store, entity_of(ENT_INGEST_BATCH), id, NULL);
		if (batch != NULL)
			batch_page(r, batch, err_http_status(e.code), msg);
		else
			page_error(r, 404, "không có lô nhập này");
		err_clear(&e);
	} else {
		snprintf(loc, sizeof(loc), "/ingest/%lld", (long long)id);
		resp_redirect(r, loc);
	}
	json_decref(res);
	json_decref(dec);
	json_decref(set);
	json_decref(batch);
}

const struct route ingest_routes[] = {
	{ M_GET | M_HEAD, "/ingest", get_ingest, RT_HTML },
	{ M_POST, "/ingest", post_ingest, RT_HTML },
	{ M_POST, "/ingest/:/accept", post_accept, RT_HTML },
	{ M_GET | M_HEAD, "/ingest/:", get_batch, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
