/*
 * report_build.c - a review report's document model (report.h) from the
 * records of a scope and a period.  Every figure is counted here from the
 * records; nothing is typed in twice.
 *
 * Sections: I. Kết quả đạt được (targets, plan vs signed, activities,
 * meetings, incidents, recommendations, tasks, commendations, supervision
 * findings - each only when the scope has such records); II. Tồn tại, hạn
 * chế; III. Phương hướng, nhiệm vụ; IV. Kiến nghị, đề xuất (the narrative
 * of the report record when there is one, else drawn from the records).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/achieve.h"
#include "domain/coord.h"
#include "domain/records.h"
#include "domain/validate.h"
#include "report/report.h"
#include "schema/record.h"
#include "store/store_report.h"
#include "text/text.h"

#define REPORT_ROWS_MAX 200000 /* records one report reads per kind */
#define REPORT_LIST_MAX 200    /* rows listed in one table            */
#define REPORT_TITLE_MAX 4000  /* bytes of a report's summary line    */

struct ctx {
	struct store *s;
	struct report_scope scope;
	const char *from, *to;   /* period dates or NULL */
	const char *period;      /* canonical code or NULL */
	bool clearance;
	struct err *e;
	/* a read behind the report failed (e says why): a report without
	 * those records would be wrong, so it is not made */
	bool failed;
	json_t *meetings;        /* records in scope */
	json_t *labels;          /* catalog "cat:code" -> label, read at once */
	bool labels_read;
	json_t *orgs;            /* organisation id -> name, read at once */
	int tables;              /* running table number */
};

/* ---- small helpers ------------------------------------------------------------ */

/* Note a read that failed; e: its error. */
static void
read_failed(struct ctx *c, struct err *e)
{
	if (!c->failed && e != c->e)
		err_set(c->e, e->code, "%s", e->msg);
	c->failed = true;
}

static json_t *
get(struct ctx *c, enum entity_id entity, int64_t id)
{
	const struct entity_def *ent = entity_of(entity);
	struct err e = { 0 };
	json_t *rec;

	if (id <= 0 || ent == NULL)
		return NULL;
	rec = store_get(c->s, ent, id, &e);
	if (rec == NULL && e.code != ERR_NOT_FOUND)
		read_failed(c, &e);
	err_clear(&e);
	return rec;
}

/* title of a referenced record ("" when none) into buf */
static const char *
title_of(struct ctx *c, enum entity_id entity, int64_t id, char *buf, size_t len)
{
	const struct entity_def *ent = entity_of(entity);
	json_t *rec = get(c, entity, id);

	snprintf(buf, len, "%s", rec && ent ? (rec_str(rec, ent->title_field) ?: "") : "");
	json_decref(rec);
	return buf;
}

/* the fields whose catalogs a report writes labels of: the catalogs are
 * read in one statement */
static const enum field_id report_catalog_fields[] = { FLD_ACTIVITY_KIND,
	FLD_ACTIVITY_QUANTITY_MEASURE, FLD_MEETING_KIND, FLD_INCIDENT_KIND,
	FLD_COMMENDATION_FORM, FLD_SELF_MGMT_GROUP_KIND };
#define REPORT_CATALOGS \
	(sizeof(report_catalog_fields) / sizeof(report_catalog_fields[0]))

static int
label_cb(void *ctx, const char *catalog, const char *code, const char *label)
{
	char key[160];

	if (catalog == NULL || code == NULL)
		return 0;
	snprintf(key, sizeof(key), "%s:%s", catalog, code);
	/* the first item of a code (by id) gives its label */
	if (json_object_get(ctx, key) == NULL)
		json_object_set_new(ctx, key, json_string(label ? label : code));
	return 0;
}

static const char *
catalog_label(struct ctx *c, enum field_id field, const char *code)
{
	char key[160];
	json_t *hit;
	struct err le = { 0 };

	if (code == NULL)
		return "";
	if (!c->labels_read) {
		const char *catalogs[REPORT_CATALOGS];
		size_t i;

		c->labels_read = true;
		for (i = 0; i < REPORT_CATALOGS; i++)
			catalogs[i] = field_of(report_catalog_fields[i])->arg;
		if (store_report_labels(c->s, catalogs, REPORT_CATALOGS, label_cb,
		    c->labels, &le) != 0)
			read_failed(c, &le); /* the codes would stand for their labels */
		err_clear(&le);
	}
	snprintf(key, sizeof(key), "%s:%s", field_of(field)->arg, code);
	hit = json_object_get(c->labels, key);
	return hit != NULL ? json_string_value(hit) : code;
}

static int
title_cb(void *ctx, int64_t id, const char *title)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	json_object_set_new(ctx, key, json_string(title ? title : ""));
	return 0;
}

/* an organisation's name ("" when none): the names are read at once */
static const char *
org_name(struct ctx *c, int64_t id)
{
	char key[32];
	json_t *hit;
	struct err oe = { 0 };

	if (id <= 0)
		return "";
	if (c->orgs == NULL) {
		c->orgs = json_object();
		if (store_report_titles(c->s, entity_of(ENT_ORGANISATION), title_cb,
		    c->orgs, &oe) != 0)
			read_failed(c, &oe);
		err_clear(&oe);
	}
	snprintf(key, sizeof(key), "%lld", (long long)id);
	hit = json_object_get(c->orgs, key);
	return hit != NULL ? json_string_value(hit) : "";
}

static void
enum_label(enum field_id field, const char *code, char *buf, size_t len)
{
	const struct field_def *f = field_of(field);
	char cd[64];
	size_t i, n = f ? enum_count(f) : 0;

	for (i = 0; i < n; i++) {
		enum_choice(f, i, cd, sizeof(cd), buf, len);
		if (code != NULL && strcmp(cd, code) == 0)
			return;
	}
	snprintf(buf, len, "%s", code ? code : "");
}

/* dd/mm/yyyy from ISO */
static const char *
vi_date(const char *iso, char *buf, size_t len)
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
		snprintf(buf, len, "%s", iso ? iso : "");
	else
		snprintf(buf, len, "%02d/%02d/%04d", d, m, y);
	return buf;
}

/* records whose two fields have the given ids */
static json_t *
fetch2(struct ctx *c, enum entity_id entity, enum field_id f1, int64_t id1,
    enum field_id f2, int64_t id2)
{
	struct list_query q;
	json_t *v1 = json_integer(id1), *v2 = json_integer(id2), *rows;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(f1), OP_EQ, v1 };
	q.filters[1] = (struct list_filter){ field_name(f2), OP_EQ, v2 };
	q.nfilters = 2;
	q.see_confidential = c->clearance;
	rows = store_list_all(c->s, entity_of(entity), &q, REPORT_ROWS_MAX, c->e);
	json_decref(v1);
	json_decref(v2);
	if (rows == NULL)
		read_failed(c, c->e);
	return rows ? rows : json_array();
}

/* What store_within selects for this report: records of the unit's
 * subtree (and 2025 lineage), or of the whole country when unit is 0,
 * dated in the period when date_field is given. */
static struct store_within
within_of(struct ctx *c, enum field_id unit_field, int64_t unit,
    enum field_id date_field)
{
	struct store_within w;

	memset(&w, 0, sizeof(w));
	w.unit_field = field_name(unit_field);
	w.unit = unit;
	w.date_field = field_name(date_field);
	w.from = w.date_field ? c->from : NULL;
	w.to = w.date_field ? c->to : NULL;
	w.see_confidential = c->clearance;
	return w;
}

static json_t *
within_list(struct ctx *c, enum entity_id entity, const struct store_within *w)
{
	json_t *rows = store_within_list(c->s, entity_of(entity), w, 0, c->e);

	if (rows == NULL)
		read_failed(c, c->e);
	return rows ? rows : json_array();
}

/* ---- document blocks -------------------------------------------------------------- */

static void
para(json_t *blocks, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
para(json_t *blocks, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_array_append_new(blocks, json_pack("{s:s, s:s}", DOC_TYPE, "paragraph",
	    DOC_TEXT, text));
}

static void
heading(json_t *blocks, const char *text)
{
	json_array_append_new(blocks, json_pack("{s:s, s:s}", DOC_TYPE, "heading",
	    DOC_TEXT, text));
}

/* columns: "Title:type|Title:type" */
static json_t *
table(struct ctx *c, json_t *blocks, const char *title, const char *columns)
{
	json_t *cols = json_array(), *t;
	char buf[512], *p, *save = NULL, tt[300];

	snprintf(buf, sizeof(buf), "%s", columns);
	for (p = strtok_r(buf, "|", &save); p != NULL; p = strtok_r(NULL, "|", &save)) {
		char *colon = strrchr(p, ':');
		if (colon != NULL)
			*colon = '\0';
		json_array_append_new(cols, json_pack("{s:s, s:s}", DOC_TITLE, p,
		    DOC_TYPE, colon ? colon + 1 : DOC_COL_TEXT));
	}
	snprintf(tt, sizeof(tt), "Bảng %d. %s", ++c->tables, title);
	t = json_pack("{s:s, s:s, s:o, s:[]}", DOC_TYPE, "table", DOC_TITLE, tt,
	    "columns", cols, "rows");
	json_array_append_new(blocks, t);
	return json_object_get(t, "rows");
}

static json_t *
optnum(const json_t *rec, const char *k)
{
	const json_t *v = json_object_get(rec, k);

	return json_is_number(v) ? json_real(json_number_value(v)) : json_null();
}

#define FRACTION_DECIMALS 2 /* decimals of "30/41" (counts: none shown) */

/* "30/41" as the report writes a count of a total, else the number k */
static json_t *
fraction_or(const json_t *ind, enum field_id numf, enum field_id denf,
    enum field_id kf)
{
	const char *num = field_name(numf), *den = field_name(denf), *k = field_name(kf);
	char a[32], b[32], out[80];

	if (!json_is_number(json_object_get(ind, num)) ||
	    !json_is_number(json_object_get(ind, den)))
		return optnum(ind, k);
	report_format_number(json_number_value(json_object_get(ind, num)),
	    FRACTION_DECIMALS, a, sizeof(a));
	report_format_number(json_number_value(json_object_get(ind, den)),
	    FRACTION_DECIMALS, b, sizeof(b));
	snprintf(out, sizeof(out), "%s/%s", a, b);
	return json_string(out);
}

/* ---- I. results ------------------------------------------------------------------ */

#define TREND_SERIES_MAX 8 /* indicators drawn in the trend chart */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	    json_string_value(*(json_t *const *)b));
}

/* Indicators with values for two periods or more, as lines over the
 * periods: the trend of the term. */
static void
trend_chart(struct ctx *c, json_t *blocks, const json_t *achievement)
{
	int64_t unit = jrec_int(json_object_get(achievement,
	    entity_of(ENT_TARGET_SET)->name), FLD_TARGET_SET_UNIT_ID);
	json_t *periods = json_object(), *series = json_array(), *g, *ind;
	json_t *labels, **sorted;
	const char *k;
	json_t *v;
	size_t i, j, n;

	json_array_foreach(json_object_get(achievement, "groups"), i, g)
		json_array_foreach(json_object_get(g, "indicators"), j, ind) {
			json_t *vals = fetch2(c, ENT_INDICATOR_VALUE, FLD_INDICATOR_VALUE_INDICATOR_ID,
			    rec_int(ind, "id"), FLD_INDICATOR_VALUE_UNIT_ID, unit), *val,
			    *points = json_object();
			size_t l;
			json_array_foreach(vals, l, val)
				if (jrec_int(val, FLD_INDICATOR_VALUE_UNIT_ID) == unit &&
				    jrec_str(val, FLD_INDICATOR_VALUE_PERIOD) &&
				    json_is_number(json_object_get(val,
				    field_name(FLD_INDICATOR_VALUE_ACTUAL))))
					json_object_set(points, jrec_str(val, FLD_INDICATOR_VALUE_PERIOD),
					    json_object_get(val, field_name(FLD_INDICATOR_VALUE_ACTUAL)));
			json_decref(vals);
			if (json_object_size(points) >= 2 && json_array_size(series) < TREND_SERIES_MAX) {
				json_object_foreach(points, k, v)
					json_object_set_new(periods, k, json_true());
				json_array_append_new(series, json_pack("{s:s, s:o}", DOC_NAME,
				    jrec_str(ind, FLD_INDICATOR_NAME) ?: "", "points", points));
			} else {
				json_decref(points);
			}
		}
	if (json_array_size(series) == 0) {
		json_decref(periods);
		json_decref(series);
		return;
	}
	n = json_object_size(periods);
	sorted = calloc(n, sizeof(*sorted));
	i = 0;
	json_object_foreach(periods, k, v)
		sorted[i++] = json_string(k);
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	labels = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(labels, sorted[i]);
	free(sorted);
	json_array_foreach(series, i, v) {
		json_t *vals = json_array(), *pts = json_object_get(v, "points");
		json_array_foreach(labels, j, g) {
			json_t *x = json_object_get(pts, json_string_value(g));
			json_array_append(vals, x ? x : json_null());
		}
		json_object_set_new(v, "values", vals);
		json_object_del(v, "points");
	}
	json_array_append_new(blocks, json_pack("{s:s, s:s, s:s, s:o, s:o}", DOC_TYPE,
	    "chart", DOC_KIND, "line", DOC_TITLE, "Diễn biến các chỉ tiêu qua các kỳ",
	    "labels", labels, "series", series));
	json_decref(periods);
}

static void
section_targets(struct ctx *c, json_t *blocks)
{
	json_t *a = achieve_target_set_at(c->s, c->scope.id, c->period, c->scope.at,
	    c->e), *g, *ind;
	json_t *rows, *irows, *bands;
	size_t i, j;

	if (a == NULL) {
		read_failed(c, c->e);
		return;
	}
	heading(blocks, "Thực hiện các mục tiêu, chỉ tiêu");
	bands = json_object_get(a, "bands");
	para(blocks, "%s", rec_str(a, "summary") ? rec_str(a, "summary") : "");
	rows = table(c, blocks, "Kết quả thực hiện các nhóm mục tiêu",
	    "STT:integer|Nhóm mục tiêu:text|Tỷ lệ đạt (%):percent|Đánh giá:text");
	irows = NULL;
	json_array_foreach(json_object_get(a, "groups"), i, g) {
		json_array_append_new(rows, json_pack("[I, s, o, s]",
		    (json_int_t)jrec_int(g, FLD_TARGET_GROUP_NUMBER),
		    jrec_str(g, FLD_TARGET_GROUP_NAME) ?: "",
		    json_is_number(json_object_get(g, "ratio")) ?
		    json_real(json_number_value(json_object_get(g, "ratio"))) : json_null(),
		    rec_str(g, "band_label") ?: ""));
	}
	irows = table(c, blocks, "Các chỉ tiêu cụ thể",
	    "Chỉ tiêu:text|Đơn vị tính:text|Kế hoạch:number|Thực hiện:number|"
	    "Tỷ lệ (%):percent|Đánh giá:text");
	json_array_foreach(json_object_get(a, "groups"), i, g)
		json_array_foreach(json_object_get(g, "indicators"), j, ind) {
			char name[600];
			snprintf(name, sizeof(name), "%s%s", jrec_str(ind, FLD_INDICATOR_NAME) ?: "",
			    json_is_true(json_object_get(ind, "illustrative")) ?
			    " (minh họa)" : "");
			json_array_append_new(irows, json_pack("[s, s, o, o, o, s]", name,
			    jrec_str(ind, FLD_INDICATOR_UNIT_OF_MEASURE) ?: "",
			    fraction_or(ind, FLD_INDICATOR_VALUE_TARGET_NUMERATOR,
			    FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, FLD_INDICATOR_VALUE_TARGET),
			    fraction_or(ind, FLD_INDICATOR_VALUE_NUMERATOR,
			    FLD_INDICATOR_VALUE_DENOMINATOR, FLD_INDICATOR_VALUE_ACTUAL),
			    optnum(ind, "ratio"), rec_str(ind, "status_label") ?: ""));
		}
	/* the trend of the set's own values; a roll-up per period is not drawn */
	if (c->scope.at == 0)
		trend_chart(c, blocks, a);
	json_array_append_new(blocks, json_pack("{s:s, s:s, s:s, s:[s, s, s, s], "
	    "s:[{s:s, s:[I, I, I, I]}]}", DOC_TYPE, "chart", DOC_KIND, "bar", DOC_TITLE,
	    "Số nhóm mục tiêu theo mức đạt", "labels", "Từ 100% trở lên",
	    "Từ 70% đến dưới 100%", "Dưới 70%", "Chưa có số liệu", "series", DOC_NAME,
	    "Số nhóm", "values", (json_int_t)rec_int(bands, "high"),
	    (json_int_t)rec_int(bands, "mid"), (json_int_t)rec_int(bands, "low"),
	    (json_int_t)rec_int(bands, "none")));
	json_decref(a);
}

/* What the reviewed agreement or program is: the first paragraph of its
 * description ("Ba huyện có 16 xã với 122 thôn giáp ranh…"); the rest
 * (notes on the data, the source) stays in the record. */
static void
scope_lead(struct ctx *c, json_t *blocks)
{
	bool agr = c->scope.kind == SCOPE_AGREEMENT;
	json_t *rec = get(c, agr ? ENT_AGREEMENT : ENT_PROGRAM, c->scope.id);
	const char *d = rec ? jrec_str(rec, agr ? FLD_AGREEMENT_DESCRIPTION :
	    FLD_PROGRAM_DESCRIPTION) : NULL, *nl;

	if (d != NULL && *d != '\0' && *d != '\n') {
		nl = strchr(d, '\n');
		para(blocks, "%.*s", nl ? (int)(nl - d) : (int)strlen(d), d);
	}
	json_decref(rec);
}

static void
progress_block(struct ctx *c, json_t *blocks, int64_t program_id)
{
	json_t *p = coord_program_progress(c->s, program_id, c->e), *o, *rows;
	char pct[32], unit[300];
	size_t i;

	if (p == NULL) {
		read_failed(c, c->e);
		return;
	}
	heading(blocks, "Tiến độ ký kết, thực hiện theo kế hoạch");
	if (json_is_number(json_object_get(p, "percent")))
		report_format_number(json_number_value(json_object_get(p, "percent")), 0,
		    pct, sizeof(pct));
	else
		snprintf(pct, sizeof(pct), "–");
	if (strcmp(rec_str(p, "counted") ?: "", "communes") == 0)
		para(blocks, "%s: đã phân công đơn vị giúp đỡ %lld/%lld xã theo kế hoạch, "
		    "đạt %s%%.", jrec_str(p, FLD_PROGRAM_NAME) ?: "", (long long)rec_int(p, "signed"),
		    (long long)rec_int(p, "planned"), pct);
	else
		para(blocks, "%s: đã ký kết %lld/%lld theo kế hoạch, đạt %s%%.",
		    jrec_str(p, FLD_PROGRAM_NAME) ?: "", (long long)rec_int(p, "signed"),
		    (long long)rec_int(p, "planned"), pct);
	if (json_array_size(json_object_get(p, "outstanding")) > 0) {
		rows = table(c, blocks, "Các thỏa thuận chưa ký kết",
		    "Thỏa thuận:text|Địa bàn:text|Trạng thái:text");
		json_array_foreach(json_object_get(p, "outstanding"), i, o) {
			char st[100];
			enum_label(FLD_AGREEMENT_STATUS, jrec_str(o, FLD_AGREEMENT_STATUS), st, sizeof(st));
			snprintf(unit, sizeof(unit), "%s", rec_str(json_object_get(o, "unit"),
			    "title") ?: "");
			json_array_append_new(rows, json_pack("[s, s, s]",
			    jrec_str(o, FLD_AGREEMENT_TITLE) ?: "", unit, st));
		}
	}
	json_decref(p);
}

/* activity totals by kind and measure: "kind\x1fmeasure\x1fuom" ->
 * {kind, measure, uom, sum, n, qualifier}, in the order met */
static void
add_total(json_t *totals, const char *kind, const char *measure, const char *uom,
    double sum, int64_t n, const char *qualifier)
{
	char key[200];
	json_t *t;

	snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", kind ?: "", measure ?: "", uom ?: "");
	t = json_object_get(totals, key);
	if (t == NULL) {
		t = json_pack("{s:s?, s:s?, s:s?, s:f, s:i, s:s}",
		    field_name(FLD_ACTIVITY_KIND), kind,
		    field_name(FLD_ACTIVITY_QUANTITY_MEASURE), measure, "uom", uom, "sum",
		    0.0, "n", 0, field_name(FLD_ACTIVITY_QUANTITY_QUALIFIER), "");
		json_object_set_new(totals, key, t);
	}
	json_object_set_new(t, "sum", json_real(json_real_value(
	    json_object_get(t, "sum")) + sum));
	json_object_set_new(t, "n", json_integer(rec_int(t, "n") + n));
	if (qualifier != NULL && *qualifier)
		json_object_set_new(t, field_name(FLD_ACTIVITY_QUANTITY_QUALIFIER),
		    json_string(qualifier));
}

static void
section_activities(struct ctx *c, json_t *blocks, size_t count, json_t *totals)
{
	json_t *rows, *t;
	const char *k;

	if (count == 0)
		return;
	heading(blocks, "Các hoạt động đã thực hiện");
	para(blocks, "Trong kỳ đã ghi nhận %zu hoạt động.", count);
	rows = table(c, blocks, "Tổng hợp số liệu hoạt động theo loại",
	    "Loại hoạt động:text|Chỉ số:text|Tổng:number|Đơn vị tính:text|Số bản ghi:integer");
	json_object_foreach(totals, k, t) {
		char measure[200];
		const char *q = jrec_str(t, FLD_ACTIVITY_QUANTITY_QUALIFIER);
		/* "trên 23.000 lượt người": the qualifier stays with the figure */
		snprintf(measure, sizeof(measure), "%s%s%s%s",
		    catalog_label(c, FLD_ACTIVITY_QUANTITY_MEASURE, jrec_str(t,
		    FLD_ACTIVITY_QUANTITY_MEASURE)),
		    *q ? " (" : "", *q ? q : "", *q ? ")" : "");
		json_array_append_new(rows, json_pack("[s, s, f, s, I]",
		    catalog_label(c, FLD_ACTIVITY_KIND, jrec_str(t, FLD_ACTIVITY_KIND)), measure,
		    json_real_value(json_object_get(t, "sum")), rec_str(t, "uom") ?: "",
		    (json_int_t)rec_int(t, "n")));
	}
}

static void
section_meetings(struct ctx *c, json_t *blocks)
{
	json_t *rows, *m;
	char d[16];
	size_t i;

	if (json_array_size(c->meetings) == 0)
		return;
	heading(blocks, "Hội nghị, giao ban, làm việc");
	para(blocks, "Đã tổ chức %zu hội nghị, cuộc họp, buổi làm việc.",
	    json_array_size(c->meetings));
	rows = table(c, blocks, "Các hội nghị, cuộc họp",
	    "Ngày:text|Loại:text|Nội dung:text|Địa điểm:text");
	json_array_foreach(c->meetings, i, m) {
		if (i >= REPORT_LIST_MAX)
			break;
		json_array_append_new(rows, json_pack("[s, s, s, s]",
		    vi_date(jrec_str(m, FLD_MEETING_HELD_ON), d, sizeof(d)),
		    catalog_label(c, FLD_MEETING_KIND, jrec_str(m, FLD_MEETING_KIND)),
		    jrec_str(m, FLD_MEETING_TITLE) ?: "", jrec_str(m, FLD_MEETING_PLACE) ?: ""));
	}
}

/* incidents counted by "kind\x1fstatus", in the order met */
static void
add_count(json_t *by, const char *kind, const char *status, int64_t n)
{
	char key[160];

	snprintf(key, sizeof(key), "%s\x1f%s", kind ?: "", status ?: "");
	json_object_set_new(by, key, json_integer(rec_int(by, key) + n));
}

static int
count_cb(void *ctx, const char *kind, const char *status, int64_t n)
{
	add_count(ctx, kind, status, n);
	return 0;
}

static void
section_incidents(struct ctx *c, json_t *blocks, size_t count, json_t *by)
{
	json_t *v, *rows;
	const char *k;

	if (count == 0)
		return;
	heading(blocks, "Tình hình vụ việc, trao đổi thông tin");
	para(blocks, "Đã ghi nhận, trao đổi %zu vụ việc.", count);
	rows = table(c, blocks, "Vụ việc theo loại và tình trạng xử lý",
	    "Loại vụ việc:text|Tình trạng:text|Số vụ:integer");
	json_object_foreach(by, k, v) {
		char kind[64], st[100];
		const char *sep = strchr(k, '\x1f');
		snprintf(kind, sizeof(kind), "%.*s", (int)(sep - k), k);
		enum_label(FLD_INCIDENT_STATUS, sep + 1, st, sizeof(st));
		json_array_append_new(rows, json_pack("[s, s, I]",
		    catalog_label(c, FLD_INCIDENT_KIND, kind), st,
		    (json_int_t)json_integer_value(v)));
	}
}

static void
section_recommendations(struct ctx *c, json_t *blocks, json_t *recs)
{
	json_t *rows, *r;
	char from[300], st[100];
	size_t i;

	if (json_array_size(recs) == 0)
		return;
	heading(blocks, "Kiến nghị, đề xuất và việc trả lời");
	rows = table(c, blocks, "Kiến nghị và trả lời",
	    "Nội dung kiến nghị:text|Cơ quan kiến nghị:text|Tình trạng:text|Trả lời:text");
	json_array_foreach(recs, i, r) {
		enum_label(FLD_RECOMMENDATION_STATUS, jrec_str(r, FLD_RECOMMENDATION_STATUS), st,
		    sizeof(st));
		snprintf(from, sizeof(from), "%s", org_name(c,
		    jrec_int(r, FLD_RECOMMENDATION_FROM_ORG_ID)));
		json_array_append_new(rows, json_pack("[s, s, s, s]",
		    jrec_str(r, FLD_RECOMMENDATION_TITLE) ?: "", from,
		    st, jrec_str(r, FLD_RECOMMENDATION_RESPONSE) ?: ""));
	}
}

static void
section_tasks(struct ctx *c, json_t *blocks, json_t *tasks)
{
	json_t *rows, *t;
	long counts[4] = { 0 };
	char who[300], d[16];
	size_t i;

	if (json_array_size(tasks) == 0)
		return;
	json_array_foreach(tasks, i, t)
		counts[coord_task_state(t, c->to)]++;
	heading(blocks, "Thực hiện nhiệm vụ được giao");
	para(blocks, "Tổng số %zu nhiệm vụ: hoàn thành đúng hạn %ld, hoàn thành quá hạn "
	    "%ld, đang thực hiện trong hạn %ld, quá hạn chưa hoàn thành %ld.",
	    json_array_size(tasks), counts[TASK_DONE_ON_TIME], counts[TASK_DONE_LATE],
	    counts[TASK_OPEN], counts[TASK_OVERDUE]);
	rows = table(c, blocks, "Các nhiệm vụ",
	    "Nhiệm vụ:text|Cơ quan thực hiện:text|Hạn:text|Tình trạng:text");
	json_array_foreach(tasks, i, t) {
		if (i >= REPORT_LIST_MAX)
			break;
		snprintf(who, sizeof(who), "%s", org_name(c,
		    jrec_int(t, FLD_TASK_ASSIGNEE_ORG_ID)));
		json_array_append_new(rows, json_pack("[s, s, s, s]",
		    jrec_str(t, FLD_TASK_TITLE) ?: "", who,
		    vi_date(jrec_str(t, FLD_TASK_DEADLINE), d, sizeof(d)),
		    coord_task_state_label(coord_task_state(t, c->to))));
	}
}

static void
section_commendations(struct ctx *c, json_t *blocks, json_t *comms)
{
	json_t *rows, *v, *forms = json_object();
	long collectives = 0, individuals = 0;
	const char *k;
	size_t i;

	if (json_array_size(comms) == 0) {
		json_decref(forms);
		return;
	}
	json_array_foreach(comms, i, v) {
		const char *f = jrec_str(v, FLD_COMMENDATION_FORM);
		const char *rk = jrec_str(v, FLD_COMMENDATION_RECIPIENT_KIND);
		bool coll = rk && strcmp(rk, "collective") == 0;
		json_t *cnt;
		if (coll)
			collectives++;
		else
			individuals++;
		if (f == NULL)
			continue;
		cnt = json_object_get(forms, f);
		if (cnt == NULL) {
			cnt = json_pack("{s:i, s:i}", "c", 0, "i", 0);
			json_object_set_new(forms, f, cnt);
		}
		json_object_set_new(cnt, coll ? "c" : "i", json_integer(rec_int(cnt, coll ? "c" : "i") + 1));
	}
	heading(blocks, "Công tác khen thưởng");
	para(blocks, "Đã khen thưởng %ld tập thể và %ld cá nhân có thành tích xuất sắc.",
	    collectives, individuals);
	rows = table(c, blocks, "Khen thưởng theo hình thức",
	    "Hình thức:text|Tập thể:integer|Cá nhân:integer");
	json_object_foreach(forms, k, v)
		json_array_append_new(rows, json_pack("[s, I, I]",
		    catalog_label(c, FLD_COMMENDATION_FORM, k), (json_int_t)rec_int(v, "c"),
		    (json_int_t)rec_int(v, "i")));
	json_decref(forms);
}

static void
section_findings(struct ctx *c, json_t *blocks, json_t *findings, json_t *shortfalls)
{
	json_t *f, *rows;
	size_t i;

	if (json_array_size(findings) == 0)
		return;
	heading(blocks, "Kết quả giám sát");
	rows = table(c, blocks, "Kết quả thực hiện qua giám sát",
	    "Nội dung:text|Số liệu:number|Đơn vị tính:text");
	json_array_foreach(findings, i, f) {
		const char *kind = jrec_str(f, FLD_SUPERVISION_FINDING_KIND);
		const char *text = jrec_str(f, FLD_SUPERVISION_FINDING_TEXT);
		if (kind && strcmp(kind, "shortcoming") == 0) {
			json_array_append_new(shortfalls, json_string(text ?: ""));
			continue;
		}
		json_array_append_new(rows, json_pack("[s, o, s]", text ?: "",
		    optnum(f, field_name(FLD_SUPERVISION_FINDING_VALUE)),
		    jrec_str(f, FLD_SUPERVISION_FINDING_UNIT_OF_MEASURE) ?: ""));
	}
}

/* Self-management models within the unit: households that signed against
 * those that should ("100% hộ gia đình ... ký kết tham gia tự quản"). */
struct self_mgmt {
	struct ctx *c;
	json_t *blocks, *rows;
	long long signed_total, eligible_total;
};

static int
group_cb(void *ctx, const struct store_report_group *g)
{
	struct self_mgmt *sm = ctx;
	long long n = (long long)g->households, el = (long long)g->eligible;

	if (sm->rows == NULL) {
		heading(sm->blocks, "Mô hình tự quản đường biên, mốc quốc giới");
		sm->rows = table(sm->c, sm->blocks, "Hộ tham gia các mô hình tự quản",
		    "Mô hình:text|Loại:text|Hộ đã ký cam kết:integer|"
		    "Hộ thuộc diện:integer|Tỷ lệ (%):percent");
	}
	sm->signed_total += n;
	sm->eligible_total += el;
	json_array_append_new(sm->rows, json_pack("[s, s, I, o, o]", g->name ? g->name : "",
	    catalog_label(sm->c, FLD_SELF_MGMT_GROUP_KIND, g->kind), (json_int_t)n,
	    el > 0 ? json_integer(el) : json_null(),
	    el > 0 ? json_real((double)n * 100.0 / (double)el) : json_null()));
	return 0;
}

/* Self-management models within the unit: households that signed against
 * those that should ("100% hộ gia đình ... ký kết tham gia tự quản"); the
 * groups with their households counted in one statement. */
static void
section_self_mgmt(struct ctx *c, json_t *blocks, int64_t unit)
{
	struct self_mgmt sm = { c, blocks, NULL, 0, 0 };

	if (unit <= 0 && c->scope.kind != SCOPE_NATION)
		return;
	if (store_report_groups(c->s, unit, c->clearance, group_cb, &sm, c->e) != 0)
		read_failed(c, c->e);
	if (sm.eligible_total > 0)
		para(blocks, "%lld/%lld hộ thuộc diện đã ký cam kết tham gia tự quản (%.0f%%).",
		    sm.signed_total, sm.eligible_total,
		    (double)sm.signed_total * 100.0 / (double)sm.eligible_total);
}

/* ---- scope: which records ---------------------------------------------------------- */

struct gathered {
	json_t *recs, *tasks, *comms, *findings;
	/* activities and incidents counted in SQL (none for a target set) */
	bool counted;
	int64_t n_activities, n_incidents;
	json_t *act_totals, *inc_counts;
	int64_t program_id;      /* for the plan-vs-signed block */
	int64_t unit_id;         /* place of the report */
	int64_t issuer_org_id;   /* derived issuer */
};

static int
total_cb(void *ctx, const struct store_activity_total *t)
{
	add_total(ctx, t->kind, t->measure, t->unit_of_measure, t->sum, t->n,
	    t->qualifier);
	return 0;
}

/* Activities and incidents of the unit (0 = the country) in the period,
 * counted and summed in SQL: the report shows only their totals. */
static int
gather_counts_within(struct ctx *c, struct gathered *g, int64_t unit)
{
	struct store_within w = within_of(c, FLD_ACTIVITY_UNIT_ID, unit,
	    FLD_ACTIVITY_START_ON);

	g->counted = true;
	g->act_totals = json_object();
	g->inc_counts = json_object();
	if (store_within_count(c->s, entity_of(ENT_ACTIVITY), &w,
	    &g->n_activities, c->e) != 0 ||
	    store_activity_totals(c->s, &w, total_cb, g->act_totals, c->e) != 0)
		return -1;
	w = within_of(c, FLD_INCIDENT_UNIT_ID, unit, FLD_INCIDENT_OCCURRED_ON);
	if (store_within_count(c->s, entity_of(ENT_INCIDENT), &w,
	    &g->n_incidents, c->e) != 0 ||
	    store_within_counts(c->s, entity_of(ENT_INCIDENT), &w,
	    field_name(FLD_INCIDENT_KIND), field_name(FLD_INCIDENT_STATUS), count_cb,
	    g->inc_counts, c->e) != 0)
		return -1;
	return 0;
}

struct by_meeting {
	int64_t meeting, id;
	int field;
	json_t *rec;
};

static int
cmp_by_meeting(const void *a, const void *b)
{
	const struct by_meeting *x = a, *y = b;

	if (x->meeting != y->meeting)
		return x->meeting < y->meeting ? -1 : 1;
	if (x->field != y->field)
		return x->field - y->field;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Append the records of `rows` (rows[k] read by fields[k]) to dst in the
 * order the meetings give them - by meeting, then by field, then by id -
 * each record once. */
static void
append_by_meeting(json_t *dst, json_t *const *rows, const enum field_id *fields,
    size_t nf)
{
	struct by_meeting *all;
	json_t *seen = json_object(), *v;
	size_t k, i, n = 0, total = 0;

	for (k = 0; k < nf; k++)
		total += json_array_size(rows[k]);
	all = calloc(total > 0 ? total : 1, sizeof(*all));
	if (all == NULL) {
		err_alloc_failed(); /* the records would be missing: report_build fails */
		json_decref(seen);
		return;
	}
	for (k = 0; k < nf; k++)
		json_array_foreach(rows[k], i, v)
			all[n++] = (struct by_meeting){ jrec_int(v, fields[k]),
			    rec_int(v, "id"), (int)k, v };
	qsort(all, n, sizeof(*all), cmp_by_meeting);
	for (i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)all[i].id);
		if (json_object_get(seen, key) != NULL)
			continue;
		json_object_set_new(seen, key, json_true());
		json_array_append(dst, all[i].rec);
	}
	free(all);
	json_decref(seen);
}

/* Meetings of the unit (0 = the country) in the period, and the
 * recommendations, tasks and commendations of the unit's meetings (held
 * at any date) dated in the period: one query each, not one per meeting. */
static void
gather_meetings_within(struct ctx *c, struct gathered *g, int64_t unit)
{
	static const enum field_id recs[] = { FLD_RECOMMENDATION_MEETING_ID,
		FLD_RECOMMENDATION_RESPONSE_MEETING_ID };
	static const enum field_id tasks[] = { FLD_TASK_MEETING_ID };
	static const enum field_id comms[] = { FLD_COMMENDATION_MEETING_ID };
	struct store_within w = within_of(c, FLD_MEETING_UNIT_ID, unit,
	    FLD_MEETING_HELD_ON);
	json_t *rows[2];

	json_decref(c->meetings);
	c->meetings = within_list(c, ENT_MEETING, &w);
	/* the unit is the meeting's (via), the date the record's own */
	w = within_of(c, FLD_MEETING_UNIT_ID, unit, FLD_RECOMMENDATION_RAISED_ON);
	w.via = entity_of(ENT_MEETING);
	w.via_field = field_name(recs[0]);
	rows[0] = within_list(c, ENT_RECOMMENDATION, &w);
	w.via_field = field_name(recs[1]);
	rows[1] = within_list(c, ENT_RECOMMENDATION, &w);
	append_by_meeting(g->recs, rows, recs, 2);
	json_decref(rows[0]);
	json_decref(rows[1]);
	w = within_of(c, FLD_MEETING_UNIT_ID, unit, FLD_TASK_ASSIGNED_ON);
	w.via = entity_of(ENT_MEETING);
	w.via_field = field_name(tasks[0]);
	rows[0] = within_list(c, ENT_TASK, &w);
	append_by_meeting(g->tasks, rows, tasks, 1);
	json_decref(rows[0]);
	w = within_of(c, FLD_MEETING_UNIT_ID, unit, FLD_COMMENDATION_AWARDED_ON);
	w.via = entity_of(ENT_MEETING);
	w.via_field = field_name(comms[0]);
	rows[0] = within_list(c, ENT_COMMENDATION, &w);
	append_by_meeting(g->comms, rows, comms, 1);
	json_decref(rows[0]);
}

/* ---- agreement, program, supervision: one statement per section ---------- */

struct quantities {
	json_t *totals;
	int64_t activities, last;
};

static int
quantity_cb(void *ctx, const struct store_report_quantity *q)
{
	struct quantities *qs = ctx;

	/* rows come by activity: a new id is the next activity */
	if (q->activity_id != qs->last) {
		qs->activities++;
		qs->last = q->activity_id;
	}
	if (q->has_quantity)
		add_total(qs->totals, q->kind, q->measure, q->unit_of_measure, q->value, 1,
		    q->qualifier);
	return 0;
}

/* The records of an agreement (with its clusters' briefings), a program
 * (with its agreements) or a supervision (with the activities its findings
 * count), and those of their meetings, each section in one statement with
 * the period in it. */
static int
gather_linked(struct ctx *c, struct gathered *g, enum store_report_kind kind)
{
	struct store_report_scope sc = { kind, c->scope.id, c->from, c->to, c->clearance };
	struct quantities qs = { NULL, 0, 0 };

	g->counted = true;
	g->act_totals = json_object();
	g->inc_counts = json_object();
	qs.totals = g->act_totals;
	json_decref(c->meetings);
	json_decref(g->recs);
	json_decref(g->tasks);
	json_decref(g->comms);
	json_decref(g->findings);
	g->findings = store_report_findings(c->s, &sc, c->e);
	c->meetings = store_report_meetings(c->s, &sc, c->e);
	g->recs = store_report_linked(c->s, &sc, ENT_RECOMMENDATION, c->e);
	g->tasks = store_report_linked(c->s, &sc, ENT_TASK, c->e);
	g->comms = store_report_linked(c->s, &sc, ENT_COMMENDATION, c->e);
	if (g->findings == NULL || c->meetings == NULL || g->recs == NULL || g->tasks == NULL ||
	    g->comms == NULL ||
	    store_report_quantities(c->s, &sc, quantity_cb, &qs, c->e) != 0 ||
	    store_report_incidents(c->s, &sc, count_cb, g->inc_counts, c->e) != 0)
		return -1;
	g->n_activities = qs.activities;
	{
		const char *k;
		json_t *v;
		json_object_foreach(g->inc_counts, k, v)
			g->n_incidents += json_integer_value(v);
	}
	return 0;
}

static int
gather(struct ctx *c, struct gathered *g)
{
	json_t *rec = NULL;

	switch (c->scope.kind) {
	case SCOPE_AGREEMENT:
		rec = get(c, ENT_AGREEMENT, c->scope.id);
		if (rec == NULL)
			break;
		g->unit_id = jrec_int(rec, FLD_AGREEMENT_UNIT_ID);
		g->program_id = jrec_int(rec, FLD_AGREEMENT_PROGRAM_ID);
		if (gather_linked(c, g, STORE_REPORT_AGREEMENT) != 0)
			goto failed;
		break;
	case SCOPE_PROGRAM:
		rec = get(c, ENT_PROGRAM, c->scope.id);
		if (rec == NULL)
			break;
		g->program_id = c->scope.id;
		g->unit_id = jrec_int(rec, FLD_PROGRAM_UNIT_ID);
		g->issuer_org_id = jrec_int(rec, FLD_PROGRAM_OWNER_ORG_ID);
		if (gather_linked(c, g, STORE_REPORT_PROGRAM) != 0)
			goto failed;
		break;
	case SCOPE_UNIT:
		rec = get(c, ENT_ADMIN_UNIT, c->scope.id);
		if (rec == NULL)
			break;
		g->unit_id = c->scope.id;
		if (gather_counts_within(c, g, c->scope.id) != 0)
			goto failed;
		gather_meetings_within(c, g, c->scope.id);
		break;
	case SCOPE_NATION:
		rec = json_object(); /* the country has no record */
		if (gather_counts_within(c, g, 0) != 0)
			goto failed;
		gather_meetings_within(c, g, 0);
		break;
	case SCOPE_TARGET_SET:
		rec = get(c, ENT_TARGET_SET, c->scope.id);
		if (rec == NULL)
			break;
		g->unit_id = c->scope.at > 0 ? c->scope.at : c->scope.at == 0 ?
		    jrec_int(rec, FLD_TARGET_SET_UNIT_ID) : 0;
		if (g->unit_id > 0 || c->scope.at < 0)
			gather_meetings_within(c, g, g->unit_id);
		break;
	case SCOPE_SUPERVISION:
		rec = get(c, ENT_SUPERVISION, c->scope.id);
		if (rec == NULL)
			break;
		g->unit_id = jrec_int(rec, FLD_SUPERVISION_SUPERVISED_UNIT_ID);
		g->issuer_org_id = jrec_int(rec, FLD_SUPERVISION_DELEGATION_ORG_ID);
		if (gather_linked(c, g, STORE_REPORT_SUPERVISION) != 0)
			goto failed;
		break;
	}
	if (rec == NULL && c->failed)
		return -1;
	if (rec == NULL)
		return err_set(c->e, ERR_NOT_FOUND, "không tìm thấy phạm vi báo cáo");
	json_decref(rec);
	return 0;
failed:
	json_decref(rec);
	return -1;
}

/* ---- header ------------------------------------------------------------------------ */

static void
upper_into(const char *s, char *buf, size_t len)
{
	char *u = text_upper(s ? s : "");

	if (u == NULL)
		err_alloc_failed(); /* valid UTF-8: out of memory */
	snprintf(buf, len, "%s", u ? u : "");
	free(u);
}

static void
place_date(struct ctx *c, int64_t unit_id, const char *date, char *buf, size_t len)
{
	json_t *u = get(c, ENT_ADMIN_UNIT, unit_id);
	char place[200];
	int y = 0, m = 0, d = 0;

	text_unit_bare_name(u ? jrec_str(u, FLD_ADMIN_UNIT_NAME) : NULL, place, sizeof(place));
	/* the country's report is written where the central bodies sit */
	if (u == NULL && c->scope.kind == SCOPE_NATION)
		snprintf(place, sizeof(place), "Hà Nội");
	json_decref(u);
	if (date == NULL || sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
		snprintf(buf, len, "%s, ngày     tháng     năm     ", place);
	else
		snprintf(buf, len, "%s, ngày %02d tháng %d năm %d", place, d, m, y);
	/* Decree 30: days 1-9 and months 1-2 get a leading zero */
	if (d > 0 && m > 0 && m < 3)
		snprintf(buf, len, "%s, ngày %02d tháng %02d năm %d", place, d, m, y);
}

/* "BC-UBND": the symbol of a report by the issuing body's short name */
static void
symbol_of(const json_t *org, char *buf, size_t len)
{
	const char *sn = jrec_str(org, FLD_ORGANISATION_SHORT_NAME);
	const char *kind = jrec_str(org, FLD_ORGANISATION_KIND);

	if (sn != NULL && *sn && strchr(sn, ' ') == NULL)
		snprintf(buf, len, "BC-%s", sn);
	else if (kind != NULL && strcmp(kind, "party_committee") == 0)
		snprintf(buf, len, "BC-HU");
	else
		snprintf(buf, len, "BC-UBND");
}

static void
header(struct ctx *c, json_t *doc, json_t *report, struct gathered *g,
    const char *scope_title)
{
	int64_t org_id = report ? jrec_int(report, FLD_REPORT_ISSUER_ORG_ID) :
	    g->issuer_org_id;
	json_t *org = get(c, ENT_ORGANISATION, org_id), *parent = NULL;
	char buf[600], sym[64], today[CLOCK_DATE_LEN];
	struct buf title;
	const char *date;

	if (org == NULL && g->unit_id > 0) {
		/* no issuer given: the People's Committee of the report's place */
		json_t *u = get(c, ENT_ADMIN_UNIT, g->unit_id);
		char up[300];
		snprintf(up, sizeof(up), "UBND %s", u ? jrec_str(u, FLD_ADMIN_UNIT_NAME) : "");
		json_decref(u);
		upper_into(up, buf, sizeof(buf));
		json_object_set_new(doc, "issuer", json_string(buf));
		snprintf(sym, sizeof(sym), "BC-UBND");
	} else {
		upper_into(org ? jrec_str(org, FLD_ORGANISATION_NAME) : "", buf, sizeof(buf));
		json_object_set_new(doc, "issuer", json_string(buf));
		parent = org ? get(c, ENT_ORGANISATION, jrec_int(org,
		    FLD_ORGANISATION_PARENT_ID)) : NULL;
		if (parent != NULL) {
			upper_into(jrec_str(parent, FLD_ORGANISATION_NAME), buf, sizeof(buf));
			json_object_set_new(doc, "issuer_parent", json_string(buf));
		}
		symbol_of(org, sym, sizeof(sym));
	}
	if (report != NULL && jrec_int(report, FLD_REPORT_NUMBER) > 0) {
		snprintf(buf, sizeof(buf), "Số: %02lld/%s",
		    (long long)jrec_int(report, FLD_REPORT_NUMBER),
		    jrec_str(report, FLD_REPORT_SYMBOL) ?: sym);
		json_object_set_new(doc, "draft", json_false());
	} else {
		snprintf(buf, sizeof(buf), "Số:      /%s", sym);
		json_object_set_new(doc, "draft", json_true());
	}
	json_object_set_new(doc, DOC_NUMBER, json_string(buf));
	clock_today(today);
	date = report && jrec_str(report, FLD_REPORT_ISSUED_ON) ?
	    jrec_str(report, FLD_REPORT_ISSUED_ON) :
	    (c->to != NULL && strcmp(c->to, today) < 0 ? c->to : today);
	place_date(c, g->unit_id, date, buf, sizeof(buf));
	if (report != NULL && jrec_str(report, FLD_REPORT_PLACE) &&
	    *jrec_str(report, FLD_REPORT_PLACE)) {
		char tail[200];
		const char *comma = strchr(buf, ',');
		snprintf(tail, sizeof(tail), "%s", comma ? comma : "");
		snprintf(buf, sizeof(buf), "%s%s", jrec_str(report, FLD_REPORT_PLACE), tail);
	}
	json_object_set_new(doc, "place_date", json_string(buf));
	json_object_set_new(doc, DOC_KIND, json_string("BÁO CÁO"));
	buf_init(&title, REPORT_TITLE_MAX);
	if (report != NULL)
		buf_adds(&title, jrec_str(report, FLD_REPORT_TITLE) ?: "");
	else if (c->period != NULL)
		buf_addf(&title, "Kết quả thực hiện %s, kỳ %s", scope_title, c->period);
	else
		buf_addf(&title, "Kết quả thực hiện %s", scope_title);
	if (buf_failed(&title)) /* bounded: out of memory */
		err_alloc_failed();
	json_object_set_new(doc, DOC_TITLE, json_string(buf_str(&title)));
	buf_free(&title);
	json_decref(org);
	json_decref(parent);
}

/* ---- the whole report ---------------------------------------------------------------- */

static json_t *
lines_of(const char *text)
{
	json_t *out = json_array();
	char *copy, *line, *save = NULL;

	if (text == NULL)
		return out;
	copy = strdup(text);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '-' || *line == '\t')
			line++;
		if (*line)
			json_array_append_new(out, json_string(line));
	}
	free(copy);
	return out;
}

static json_t *
narrative(const char *text, json_t *fallback)
{
	json_t *blocks = json_array(), *v;
	size_t i;

	if (text != NULL && *text) {
		json_t *ls = lines_of(text);
		json_array_foreach(ls, i, v)
			para(blocks, "%s", json_string_value(v));
		json_decref(ls);
	} else {
		json_array_foreach(fallback, i, v)
			para(blocks, "%s", json_string_value(v));
	}
	if (json_array_size(blocks) == 0)
		para(blocks, "(Chưa nhập nội dung.)");
	return blocks;
}

static const char *
scope_name(struct ctx *c, char *buf, size_t len)
{
	int ent = report_scope_kinds[c->scope.kind].entity_id;
	char t[800], at[400];

	title_of(c, ent >= 0 ? (enum entity_id)ent : ENT_ADMIN_UNIT, c->scope.id, t,
	    sizeof(t));
	switch (c->scope.kind) {
	case SCOPE_NATION:
		snprintf(buf, len, "các chương trình trên phạm vi toàn quốc");
		break;
	case SCOPE_TARGET_SET:
		if (c->scope.at > 0)
			snprintf(buf, len, "%s (tổng hợp trên địa bàn %s)", t,
			    title_of(c, ENT_ADMIN_UNIT, c->scope.at, at, sizeof(at)));
		else if (c->scope.at < 0)
			snprintf(buf, len, "%s (tổng hợp toàn quốc)", t);
		else
			snprintf(buf, len, "%s", t);
		break;
	case SCOPE_UNIT:
		snprintf(buf, len, "các chương trình trên địa bàn %s", t);
		break;
	case SCOPE_SUPERVISION:
		snprintf(buf, len, "%s", t);
		break;
	default:
		snprintf(buf, len, "%s", t);
		break;
	}
	return buf;
}

json_t *
report_build(struct store *s, const struct report_scope *scope,
    const char *period, int64_t report_id, bool clearance, struct err *e)
{
	struct ctx c = { 0 };
	struct gathered g = { 0 };
	unsigned long json_failed = err_alloc_failures();
	struct vi_period vp;
	json_t *doc = NULL, *report = NULL, *results, *sections, *shortfalls, *v;
	json_t *directions, *proposals;
	char sname[1200];
	size_t i;

	c.s = s;
	c.scope = *scope;
	c.clearance = clearance;
	c.e = e;
	if (period != NULL && *period != '\0') {
		if (vi_parse_period(period, &vp) != 0) {
			err_set(e, ERR_BAD_REQUEST, "không đọc được kỳ báo cáo '%s' (ví dụ: "
			    "2023, 6 tháng đầu năm 2024, quý 4/2025, 2020-2025)", period);
			return NULL;
		}
		c.from = vp.start;
		c.to = vp.end;
		c.period = vp.code;
	}
	if (report_id > 0 && (report = get(&c, ENT_REPORT, report_id)) == NULL) {
		if (!c.failed)
			err_set(e, ERR_NOT_FOUND, "không có báo cáo số %lld",
			    (long long)report_id);
		return NULL;
	}
	c.meetings = json_array();
	c.labels = json_object();
	g.recs = json_array();
	g.tasks = json_array();
	g.comms = json_array();
	g.findings = json_array();
	if (gather(&c, &g) != 0)
		goto out;

	if ((doc = json_object()) == NULL) {
		err_nomem(e);
		goto out;
	}
	header(&c, doc, report, &g, scope_name(&c, sname, sizeof(sname)));
	results = json_array();
	shortfalls = json_array();
	if (scope->kind == SCOPE_AGREEMENT || scope->kind == SCOPE_PROGRAM)
		scope_lead(&c, results);
	if (scope->kind == SCOPE_TARGET_SET)
		section_targets(&c, results);
	if (g.program_id > 0)
		progress_block(&c, results, g.program_id);
	section_findings(&c, results, g.findings, shortfalls);
	if (scope->kind == SCOPE_UNIT || scope->kind == SCOPE_SUPERVISION ||
	    scope->kind == SCOPE_NATION)
		section_self_mgmt(&c, results, g.unit_id);
	/* a target set's report has none: its meetings' records only */
	if (g.counted)
		section_activities(&c, results, (size_t)g.n_activities, g.act_totals);
	section_meetings(&c, results);
	if (g.counted)
		section_incidents(&c, results, (size_t)g.n_incidents, g.inc_counts);
	section_recommendations(&c, results, g.recs);
	section_tasks(&c, results, g.tasks);
	section_commendations(&c, results, g.comms);
	if (json_array_size(results) == 0)
		para(results, "Trong kỳ chưa có bản ghi nào thuộc phạm vi báo cáo.");

	/* II-IV default to what the records say when the report has no text */
	json_array_foreach(c.meetings, i, v)
		if (jrec_str(v, FLD_MEETING_SHORTCOMINGS) != NULL) {
			json_t *ls = lines_of(jrec_str(v, FLD_MEETING_SHORTCOMINGS));
			json_array_extend(shortfalls, ls);
			json_decref(ls);
		}
	directions = json_array();
	json_array_foreach(g.tasks, i, v)
		if (coord_task_state(v, c.to) == TASK_OPEN || coord_task_state(v, c.to) == TASK_OVERDUE)
			json_array_append_new(directions, json_string(jrec_str(v,
			    FLD_TASK_TITLE) ?: ""));
	proposals = json_array();
	json_array_foreach(g.recs, i, v)
		if (jrec_str(v, FLD_RECOMMENDATION_STATUS) &&
		    strcmp(jrec_str(v, FLD_RECOMMENDATION_STATUS), "submitted") == 0)
			json_array_append_new(proposals, json_string(jrec_str(v,
			    FLD_RECOMMENDATION_TITLE) ?: ""));

	sections = json_pack("[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}, {s:s, s:o}]",
	    "heading", "I. KẾT QUẢ ĐẠT ĐƯỢC", "blocks", results,
	    "heading", "II. TỒN TẠI, HẠN CHẾ", "blocks",
	    narrative(report ? jrec_str(report, FLD_REPORT_SHORTCOMINGS) : NULL, shortfalls),
	    "heading", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ", "blocks",
	    narrative(report ? jrec_str(report, FLD_REPORT_DIRECTIONS) : NULL, directions),
	    "heading", "IV. KIẾN NGHỊ, ĐỀ XUẤT", "blocks",
	    narrative(report ? jrec_str(report, FLD_REPORT_PROPOSALS) : NULL, proposals));
	json_decref(shortfalls);
	json_decref(directions);
	json_decref(proposals);
	json_object_set_new(doc, "sections", sections);
	json_object_set_new(doc, DOC_RECIPIENTS, report && jrec_str(report, FLD_REPORT_RECIPIENTS) ?
	    lines_of(jrec_str(report, FLD_REPORT_RECIPIENTS)) : json_pack("[s, s]", "Như trên;",
	    "Lưu: VT."));
	json_object_set_new(doc, DOC_SIGNER_TITLE, json_string(report &&
	    jrec_str(report, FLD_REPORT_SIGNER_TITLE) ?
	    jrec_str(report, FLD_REPORT_SIGNER_TITLE) : "CHỦ TỊCH"));
	json_object_set_new(doc, DOC_SIGNER_NAME, json_string(report &&
	    jrec_str(report, FLD_REPORT_SIGNER_NAME) ?
	    jrec_str(report, FLD_REPORT_SIGNER_NAME) : ""));
	json_object_set_new(doc, DOC_SCOPE, json_pack("{s:s, s:I}", DOC_KIND,
	    report_scope_kinds[scope->kind].name, "id", (json_int_t)scope->id));
	if (scope->at != 0)
		json_object_set_new(json_object_get(doc, DOC_SCOPE), DOC_AT, scope->at > 0 ?
		    json_integer(scope->at) : json_string("nation"));
	if (c.period != NULL)
		json_object_set_new(doc, DOC_PERIOD, json_string(c.period));
out:
	/* a read that failed, or a part jansson could not allocate (the
	 * document would silently lack it) */
	if (doc != NULL && (c.failed || err_alloc_failures() != json_failed)) {
		json_decref(doc);
		doc = NULL;
		if (!c.failed)
			err_nomem(e);
	}
	json_decref(c.meetings);
	json_decref(c.labels);
	json_decref(c.orgs);
	json_decref(g.recs);
	json_decref(g.tasks);
	json_decref(g.comms);
	json_decref(g.findings);
	json_decref(g.act_totals);
	json_decref(g.inc_counts);
	json_decref(report);
	return doc;
}

/* ---- the number register ------------------------------------------------------------ */

/* A report is given a number of the register only when it can be built:
 * its scope and period (stored before they were checked on write, or
 * edited by hand in the database) must parse, with validate.c's rules and
 * messages (422 naming the field). */
static int
buildable(struct store *s, const struct entity_def *reports, const json_t *rep,
    struct err *e)
{
	struct err be = { 0 };
	char msg[ERR_MSG_MAX];
	size_t i;

	for (i = 0; i < reports->nfields && be.code != ERR_NO_MEMORY; i++) {
		const struct field_def *f = &reports->fields[i];
		const json_t *v = json_object_get(rep, f->name);
		json_t *tv;
		if (!(f->flags & F_STRUCTURED))
			continue;
		if (v == NULL || json_is_null(v)) {
			if (f->flags & F_REQUIRED)
				err_field(&be, f->name, "%s: bắt buộc nhập", f->label);
			continue;
		}
		tv = validate_value(s, f, v, msg, sizeof(msg), &be);
		if (tv == NULL && msg[0] == '\0')
			break; /* could not check: be says why */
		if (tv == NULL)
			err_field(&be, f->name, "%s: %s", f->label, msg);
		json_decref(tv);
	}
	if (be.code == ERR_NONE)
		return 0;
	if (be.code == ERR_INVALID)
		snprintf(be.msg, sizeof(be.msg), "chưa ban hành được: báo cáo không lập "
		    "được với phạm vi và kỳ đã lưu; hãy sửa báo cáo");
	if (e != NULL) {
		err_clear(e);
		*e = be;
	} else {
		err_clear(&be);
	}
	return -1;
}

int
report_issue(struct store *s, int64_t report_id, const struct actor *who,
    json_t **out, struct err *e)
{
	const struct entity_def *reports = entity_of(ENT_REPORT);
	json_t *rep, *rows, *org, *in, *iv, *yv, *sv;
	struct list_query q;
	char today[CLOCK_DATE_LEN], year_from[16], symbol[64];
	int64_t next = 1;
	size_t i;

	clock_today(today);
	snprintf(year_from, sizeof(year_from), "%.4s-01-01", today);
	/* the register is read and written in one write transaction, so two
	 * offices issuing at once get different numbers */
	if (store_begin(s, e) != 0)
		return -1;
	rep = store_get(s, reports, report_id, e);
	if (rep == NULL)
		goto fail;
	if (jrec_str(rep, FLD_REPORT_STATUS) &&
	    strcmp(jrec_str(rep, FLD_REPORT_STATUS), "issued") == 0) {
		err_set(e, ERR_CONFLICT, "báo cáo đã ban hành với số %lld",
		    (long long)jrec_int(rep, FLD_REPORT_NUMBER));
		json_decref(rep);
		goto fail;
	}
	if (buildable(s, reports, rep, e) != 0) {
		json_decref(rep);
		goto fail;
	}
	org = store_get(s, entity_of(ENT_ORGANISATION), jrec_int(rep,
	    FLD_REPORT_ISSUER_ORG_ID), e);
	if (org == NULL) {
		json_decref(rep);
		goto fail;
	}
	symbol_of(org, symbol, sizeof(symbol));
	json_decref(org);
	memset(&q, 0, sizeof(q));
	iv = json_integer(jrec_int(rep, FLD_REPORT_ISSUER_ORG_ID));
	yv = json_string(year_from);
	sv = json_string("issued");
	q.filters[0] = (struct list_filter){ field_name(FLD_REPORT_ISSUER_ORG_ID), OP_EQ, iv };
	q.filters[1] = (struct list_filter){ field_name(FLD_REPORT_ISSUED_ON), OP_GE, yv };
	q.filters[2] = (struct list_filter){ field_name(FLD_REPORT_STATUS), OP_EQ, sv };
	q.nfilters = 3;
	rows = store_list_all(s, reports, &q, REPORT_ROWS_MAX, e);
	json_decref(iv);
	json_decref(yv);
	json_decref(sv);
	if (rows == NULL) {
		json_decref(rep);
		goto fail;
	}
	for (i = 0; i < json_array_size(rows); i++)
		if (jrec_int(json_array_get(rows, i), FLD_REPORT_NUMBER) >= next)
			next = jrec_int(json_array_get(rows, i), FLD_REPORT_NUMBER) + 1;
	json_decref(rows);
	in = json_pack("{s:s, s:I, s:s, s:s}", field_name(FLD_REPORT_STATUS), "issued",
	    field_name(FLD_REPORT_NUMBER), (json_int_t)next, field_name(FLD_REPORT_SYMBOL),
	    symbol, field_name(FLD_REPORT_ISSUED_ON), today);
	if (records_update(s, reports, report_id, in, 0, who, R_SYSTEM, out, e) != 0) {
		json_decref(in);
		json_decref(rep);
		goto fail;
	}
	json_decref(in);
	json_decref(rep);
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}
