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
#define REPORT_NUM_TEXT_MAX 64 /* a figure written out ("1.234,5")    */
#define REPORT_LAST_READ 20    /* a body's last reports read for how it
                                  addresses and signs them              */
#define REPORT_QUALIFIED_DECIMALS 2

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
	/* the units within the report's unit, read once for its statements */
	struct store_unit_set units;
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
	/* one statement lists the units; the section's statements bind them */
	if (unit > 0 && c->units.unit != unit &&
	    store_unit_set_read(c->s, unit, &c->units, c->e) != 0)
		read_failed(c, c->e);
	w.units = &c->units;
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

/* A body paragraph; dates copied from records ("đến hết tháng 12.2016")
 * are written as a document writes them ("tháng 12 năm 2016"). */
static void
para(json_t *blocks, const char *fmt, ...)
{
	char text[2048], *w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if ((w = vi_dates_in_words(text)) == NULL)
		err_alloc_failed();
	json_array_append_new(blocks, json_pack("{s:s, s:s}", DOC_TYPE, "paragraph",
	    DOC_TEXT, w ? w : text));
	free(w);
}

/* "trên 95", "gần 3,6": a figure the record qualifies is shown with its
 * qualifier (a text cell; the bare number would claim more); else v. */
static json_t *
qualified(json_t *v, const char *qualifier)
{
	char num[REPORT_NUM_TEXT_MAX], out[REPORT_NUM_TEXT_MAX + 64];

	if (qualifier == NULL || *qualifier == '\0' || !json_is_number(v))
		return v;
	report_format_number(json_number_value(v), REPORT_QUALIFIED_DECIMALS, num,
	    sizeof(num));
	snprintf(out, sizeof(out), "%s %s", qualifier, num);
	json_decref(v);
	return json_string(out);
}

/* A record's name, marked "(minh họa)" once when it is a placeholder: a
 * name that says so already is not marked twice. */
static const char *
shown_name(const char *name, bool illustrative, char *buf, size_t len)
{
	static const char mark[] = "(minh họa)";

	snprintf(buf, len, "%s%s%s", name ? name : "",
	    illustrative && (name == NULL || strstr(name, mark) == NULL) ? " " : "",
	    illustrative && (name == NULL || strstr(name, mark) == NULL) ? mark : "");
	return buf;
}

static void
heading(json_t *blocks, const char *text)
{
	json_array_append_new(blocks, json_pack("{s:s, s:s}", DOC_TYPE,
	    DOC_BLOCK_HEADING, DOC_TEXT, text));
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

/* The sheet name of the table just added, when its title is too long
 * for Excel's 31 characters: a short form an office would write
 * ("3. Vụ việc theo tình trạng"), not the title cut off. */
static void
sheet_as(struct ctx *c, json_t *blocks, const char *name)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d. %s", c->tables, name);
	json_object_set_new(json_array_get(blocks, json_array_size(blocks) - 1),
	    "sheet", json_string(buf));
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
	sheet_as(c, blocks, "Kết quả theo nhóm mục tiêu");
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
			shown_name(jrec_str(ind, FLD_INDICATOR_NAME), json_is_true(json_object_get(ind,
			    "illustrative")), name, sizeof(name));
			json_array_append_new(irows, json_pack("[s, s, o, o, o, s]", name,
			    jrec_str(ind, FLD_INDICATOR_UNIT_OF_MEASURE) ?: "",
			    fraction_or(ind, FLD_INDICATOR_VALUE_TARGET_NUMERATOR,
			    FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, FLD_INDICATOR_VALUE_TARGET),
			    qualified(fraction_or(ind, FLD_INDICATOR_VALUE_NUMERATOR,
			    FLD_INDICATOR_VALUE_DENOMINATOR, FLD_INDICATOR_VALUE_ACTUAL),
			    jrec_str(ind, FLD_INDICATOR_VALUE_QUALIFIER)),
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
		/* "trên 23.000 lượt người": the qualifier stays with the figure
		 * (qualified), not with the measure's name, which made the cell
		 * read "Lượt người (trên)" */
		json_array_append_new(rows, json_pack("[s, s, o, s, I]",
		    catalog_label(c, FLD_ACTIVITY_KIND, jrec_str(t, FLD_ACTIVITY_KIND)),
		    catalog_label(c, FLD_ACTIVITY_QUANTITY_MEASURE, jrec_str(t,
		    FLD_ACTIVITY_QUANTITY_MEASURE)),
		    qualified(json_real(json_real_value(json_object_get(t, "sum"))),
		    jrec_str(t, FLD_ACTIVITY_QUANTITY_QUALIFIER)),
		    rec_str(t, "uom") ?: "", (json_int_t)rec_int(t, "n")));
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
	sheet_as(c, blocks, "Vụ việc theo tình trạng");
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
	/* a count of none is not written ("… và 0 cá nhân") */
	if (collectives > 0 && individuals > 0)
		para(blocks, "Đã khen thưởng %ld tập thể và %ld cá nhân có thành tích "
		    "xuất sắc.", collectives, individuals);
	else if (collectives > 0 || individuals > 0)
		para(blocks, "Đã khen thưởng %ld %s có thành tích xuất sắc.",
		    collectives > 0 ? collectives : individuals,
		    collectives > 0 ? "tập thể" : "cá nhân");
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
	sheet_as(c, blocks, "Kết quả giám sát");
	json_array_foreach(findings, i, f) {
		const char *kind = jrec_str(f, FLD_SUPERVISION_FINDING_KIND);
		const char *text = jrec_str(f, FLD_SUPERVISION_FINDING_TEXT);
		if (kind && strcmp(kind, "shortcoming") == 0) {
			json_array_append_new(shortfalls, json_string(text ?: ""));
			continue;
		}
		json_array_append_new(rows, json_pack("[s, o, s]", text ?: "",
		    qualified(optnum(f, field_name(FLD_SUPERVISION_FINDING_VALUE)),
		    jrec_str(f, FLD_SUPERVISION_FINDING_QUALIFIER)),
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
		sheet_as(sm->c, sm->blocks, "Hộ tham gia mô hình tự quản");
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
	if (store_report_groups(c->s, unit, &c->units, c->clearance, group_cb, &sm,
	    c->e) != 0)
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

/* The issuing body of a report when none is given: the body that set a
 * target set's resolution, else the People's Committee of the report's
 * place (a record when there is one).  NULL when neither is known. */
static json_t *
default_issuer(struct ctx *c, struct gathered *g)
{
	json_t *org = NULL, *u, *rows = NULL, *kv, *uv;
	struct list_query q;
	struct err le = { 0 };
	char name[400];

	if (c->scope.kind == SCOPE_TARGET_SET) {
		json_t *ts = get(c, ENT_TARGET_SET, c->scope.id);
		json_t *doc = ts ? get(c, ENT_DOCUMENT, jrec_int(ts, FLD_TARGET_SET_DOCUMENT_ID)) : NULL;
		org = doc ? get(c, ENT_ORGANISATION, jrec_int(doc, FLD_DOCUMENT_ISSUER_ID)) : NULL;
		json_decref(ts);
		json_decref(doc);
		if (org != NULL)
			return org;
	}
	if (g->unit_id <= 0 || (u = get(c, ENT_ADMIN_UNIT, g->unit_id)) == NULL)
		return NULL;
	memset(&q, 0, sizeof(q));
	kv = json_string("peoples_committee");
	uv = json_integer(g->unit_id);
	q.filters[0] = (struct list_filter){ field_name(FLD_ORGANISATION_KIND), OP_EQ, kv };
	q.filters[1] = (struct list_filter){ field_name(FLD_ORGANISATION_UNIT_ID), OP_EQ, uv };
	q.nfilters = 2;
	q.limit = 1;
	if (store_list(c->s, entity_of(ENT_ORGANISATION), &q, &rows, NULL, &le) == 0 &&
	    json_array_size(rows) > 0)
		org = json_incref(json_array_get(rows, 0));
	else if (le.code != ERR_NONE)
		read_failed(c, &le);
	err_clear(&le);
	json_decref(rows);
	json_decref(kv);
	json_decref(uv);
	if (org == NULL) {
		/* "Ủy ban nhân dân huyện Si Ma Cai", written in full (D30 §2.3) */
		char *low = text_first_case(jrec_str(u, FLD_ADMIN_UNIT_NAME) ?: "", false);
		if (low == NULL)
			err_alloc_failed();
		snprintf(name, sizeof(name), "Ủy ban nhân dân %s", low ? low : "");
		free(low);
		org = json_pack("{s:s, s:s}", field_name(FLD_ORGANISATION_NAME), name,
		    field_name(FLD_ORGANISATION_KIND), "peoples_committee");
	}
	json_decref(u);
	return org;
}

/* The issuer of a report and its superiors, as report_issuer_of reads
 * them; out->layout NULL when there is no issuer at all. */
static void
issuer_of(struct ctx *c, struct gathered *g, const json_t *report,
    struct report_issuer *out, json_t **org_out)
{
	int64_t org_id = report ? jrec_int(report, FLD_REPORT_ISSUER_ORG_ID) : g->issuer_org_id;
	json_t *chain[3] = { NULL, NULL, NULL };
	size_t i;

	chain[0] = org_id > 0 ? get(c, ENT_ORGANISATION, org_id) : NULL;
	if (chain[0] == NULL)
		chain[0] = default_issuer(c, g);
	for (i = 1; i < 3 && chain[i - 1] != NULL; i++)
		chain[i] = jrec_int(chain[i - 1], FLD_ORGANISATION_PARENT_ID) > 0 ?
		    get(c, ENT_ORGANISATION, jrec_int(chain[i - 1],
		    FLD_ORGANISATION_PARENT_ID)) : NULL;
	if (report_issuer_of((const json_t *const *)chain, 3, out) != 0)
		memset(out, 0, sizeof(*out));
	*org_out = chain[0];
	json_decref(chain[1]);
	json_decref(chain[2]);
}

/* The province of a unit (a Border Guard post writes it, [BQP92-d9]). */
static int64_t
province_of(struct ctx *c, int64_t unit)
{
	int depth;

	for (depth = 0; unit > 0 && depth < 4; depth++) {
		json_t *u = get(c, ENT_ADMIN_UNIT, unit);
		int64_t level = u ? jrec_int(u, FLD_ADMIN_UNIT_LEVEL) : 0;
		int64_t parent = u ? jrec_int(u, FLD_ADMIN_UNIT_PARENT_ID) : 0;
		json_decref(u);
		if (level <= 1 || parent <= 0)
			return unit;
		unit = parent;
	}
	return unit;
}

/* Does the name start with a document's type ("Chương trình …", "Quy chế
 * …")?  It is then quoted with its capital: a title is a proper name. */
static bool
names_a_document(const char *s)
{
	static const char *const kinds[] = { "chuong trinh", "ke hoach", "quy che",
		"nghi quyet", "ket luan", "de an", "quyet dinh", "chi thi", "quy dinh",
		"huong dan", "thoa thuan", "ban ghi nho" };
	char *f = text_fold(s ? s : "");
	bool yes = false;
	size_t i;

	if (f == NULL)
		err_alloc_failed();
	for (i = 0; f != NULL && i < sizeof(kinds) / sizeof(kinds[0]) && !yes; i++)
		yes = strncmp(f, kinds[i], strlen(kinds[i])) == 0;
	free(f);
	return yes;
}

static char *
first_lower(const char *s)
{
	char *low = text_first_case(s, false);

	if (low == NULL)
		err_alloc_failed(); /* valid UTF-8: out of memory */
	return low;
}

/* The summary an office writes (ô 5a): "Sơ kết thực hiện Quy chế … năm
 * 2023", "Kết quả giám sát việc thực hiện …", "Kết quả thực hiện các mục
 * tiêu, chỉ tiêu Nghị quyết …, giai đoạn 2021-2023". */
static void
summary_of(struct ctx *c, const char *scope_title, struct buf *out)
{
	char *low = NULL, label[VI_PERIOD_LABEL_MAX] = "";
	const char *t = scope_title;
	struct vi_period vp;

	if (c->period != NULL && vi_parse_period(c->period, &vp) == 0)
		vi_period_label(&vp, label, sizeof(label));
	switch (c->scope.kind) {
	case SCOPE_SUPERVISION: {
		char *f = text_fold(t);
		bool verb = f != NULL && strncmp(f, "giam sat ", 9) == 0;
		if (f == NULL)
			err_alloc_failed();
		free(f);
		low = text_first_case(t, false);
		if (low == NULL)
			err_alloc_failed();
		buf_addf(out, verb ? "Kết quả %s" : "Kết quả giám sát %s", low ? low : t);
		break;
	}
	case SCOPE_TARGET_SET:
		buf_addf(out, "Kết quả thực hiện các mục tiêu, chỉ tiêu %s", t);
		break;
	case SCOPE_AGREEMENT:
		low = names_a_document(t) ? NULL : first_lower(t);
		buf_addf(out, "%s %s", c->period != NULL ? "Sơ kết thực hiện" :
		    "Kết quả thực hiện", low ? low : t);
		break;
	default:
		low = names_a_document(t) ? NULL : first_lower(t);
		buf_addf(out, "Kết quả thực hiện %s", low ? low : t);
		break;
	}
	free(low);
	if (*label != '\0')
		buf_addf(out, "%s %s", c->scope.kind == SCOPE_TARGET_SET ||
		    c->scope.kind == SCOPE_SUPERVISION ? "," : "", label);
}

static void
header(struct ctx *c, json_t *doc, json_t *report, struct gathered *g,
    const char *scope_title, struct report_issuer *is, json_t **org)
{
	const struct report_layout *l;
	char buf[REPORT_TITLE_MAX], sym[64], today[CLOCK_DATE_LEN];
	struct buf title;
	const char *date;
	int64_t place;

	issuer_of(c, g, report, is, org);
	l = is->layout != NULL ? is->layout : report_layout_find(NULL);
	is->layout = l;
	json_object_set_new(doc, "layout", json_string(l->name));
	if (is->parent[0] != '\0')
		json_object_set_new(doc, "issuer_parent", json_string(is->parent));
	json_object_set_new(doc, "issuer", json_string(is->issuer));
	report_symbol(l, "BC", is, sym, sizeof(sym));
	if (report != NULL && jrec_int(report, FLD_REPORT_NUMBER) > 0) {
		report_number_text(l, jrec_int(report, FLD_REPORT_NUMBER),
		    jrec_str(report, FLD_REPORT_SYMBOL) ?: sym, buf, sizeof(buf));
		json_object_set_new(doc, "draft", json_false());
	} else {
		report_number_text(l, 0, sym, buf, sizeof(buf));
		json_object_set_new(doc, "draft", json_true());
	}
	json_object_set_new(doc, DOC_NUMBER, json_string(buf));
	clock_today(today);
	date = report && jrec_str(report, FLD_REPORT_ISSUED_ON) ?
	    jrec_str(report, FLD_REPORT_ISSUED_ON) :
	    (c->to != NULL && strcmp(c->to, today) < 0 ? c->to : today);
	/* the seat of the issuing body (D30 §2.5, [H36-mau]); the place the
	 * records are about when the body has none on record */
	place = *org != NULL && jrec_int(*org, FLD_ORGANISATION_UNIT_ID) > 0 ?
	    jrec_int(*org, FLD_ORGANISATION_UNIT_ID) : g->unit_id;
	place_date(c, is->place_province ? province_of(c, place) : place,
	    date, buf, sizeof(buf));
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
	else
		summary_of(c, scope_title, &title);
	if (buf_failed(&title)) /* bounded: out of memory */
		err_alloc_failed();
	json_object_set_new(doc, DOC_TITLE, json_string(buf_str(&title)));
	buf_free(&title);
}

/* doc[key] = text, its dates in words (vi_dates_in_words) */
static void
set_words(json_t *doc, const char *key, const char *text)
{
	char *w = vi_dates_in_words(text);

	if (w == NULL)
		err_alloc_failed();
	json_object_set_new(doc, key, json_string(w ? w : text));
	free(w);
}

/* The opening sentence and the close (D30 Appendix III templates end the
 * body with "./."; a Party text with "." [U2]). */
static void
frame(json_t *doc, const struct report_issuer *is, const json_t *org)
{
	const char *name = jrec_str(org, FLD_ORGANISATION_NAME);
	const char *title = json_string_value(json_object_get(doc, DOC_TITLE));
	char *low = text_first_case(title ? title : "", false);
	char line[REPORT_TITLE_MAX + 800];

	if (low == NULL)
		err_alloc_failed(); /* valid UTF-8: out of memory */
	if (name == NULL || low == NULL) {
		free(low);
		return;
	}
	/* "báo cáo" is the verb here: a summary that starts with it ("Báo
	 * cáo kết quả …") is not said twice */
	if (strncmp(low, "báo cáo ", strlen("báo cáo ")) == 0)
		memmove(low, low + strlen("báo cáo "), strlen(low + strlen("báo cáo ")) + 1);
	snprintf(line, sizeof(line), "%s báo cáo %s như sau:", name, low);
	set_words(doc, "opening", line);
	snprintf(line, sizeof(line), "Trên đây là báo cáo %s của %s%s", low, name,
	    is->layout->end_mark);
	set_words(doc, "closing", line);
	free(low);
}

/* ---- the whole report ---------------------------------------------------------------- */

static json_t *
lines_of(const char *text)
{
	json_t *out = json_array();
	char *copy, *line, *save = NULL;

	if (text == NULL)
		return out;
	if ((copy = strdup(text)) == NULL) {
		err_alloc_failed(); /* the document would lack these lines */
		return out;
	}
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
	/* an empty section is left out (report_build), not printed empty */
	return blocks;
}

static void
add_section(json_t *sections, const char *heading, json_t *blocks)
{
	if (json_array_size(blocks) == 0) {
		json_decref(blocks);
		return;
	}
	json_array_append_new(sections, json_pack("{s:s, s:o}", DOC_HEADING, heading,
	    "blocks", blocks));
}

/* Recipients one per line: a line holding several ("Như trên; Lưu: VT.")
 * is cut after each ';' (D30 §2.2, ô 9b: one per line, ending ';'). */
static json_t *
recipient_lines(const char *text)
{
	json_t *lines = lines_of(text), *out = json_array(), *v;
	size_t i;

	json_array_foreach(lines, i, v) {
		const char *p = json_string_value(v), *semi;
		while (p != NULL && *p != '\0') {
			size_t n;
			while (*p == ' ' || *p == '-')
				p++;
			semi = strchr(p, ';');
			n = semi != NULL ? (size_t)(semi - p) + 1 : strlen(p);
			if (n > 0 && !(n == 1 && *p == ';'))
				json_array_append_new(out, json_stringn(p, n));
			p = semi != NULL ? semi + 1 : NULL;
		}
	}
	json_decref(lines);
	return out;
}

/* The issuing body's last saved report that says how it is addressed
 * and signed (Kính gửi, Nơi nhận, the signer), other than report
 * not_id; NULL when none. */
static json_t *
last_report(struct ctx *c, int64_t org_id, int64_t not_id)
{
	struct list_query q;
	struct err le = { 0 };
	json_t *ov, *rows = NULL, *v, *hit = NULL;
	size_t i;

	if (org_id <= 0)
		return NULL;
	memset(&q, 0, sizeof(q));
	ov = json_integer(org_id);
	q.filters[0] = (struct list_filter){ field_name(FLD_REPORT_ISSUER_ORG_ID), OP_EQ,
	    ov };
	q.nfilters = 1;
	q.desc = true;
	q.limit = REPORT_LAST_READ;
	if (store_list(c->s, entity_of(ENT_REPORT), &q, &rows, NULL, &le) != 0)
		read_failed(c, &le);
	json_array_foreach(rows, i, v)
		if (rec_int(v, "id") != not_id && (jrec_str(v, FLD_REPORT_ADDRESSEES) ||
		    jrec_str(v, FLD_REPORT_RECIPIENTS) ||
		    jrec_str(v, FLD_REPORT_SIGNER_AUTHORITY) ||
		    jrec_str(v, FLD_REPORT_SIGNER_TITLE) ||
		    jrec_str(v, FLD_REPORT_SIGNER_NAME))) {
			hit = json_incref(v);
			break;
		}
	err_clear(&le);
	json_decref(rows);
	json_decref(ov);
	return hit;
}

/* A field of the report, else of the body's last report, else NULL. */
static const char *
remembered(const json_t *report, const json_t *last, enum field_id field)
{
	const char *v = report ? jrec_str(report, field) : NULL;

	if (v != NULL && *v != '\0')
		return v;
	v = last ? jrec_str(last, field) : NULL;
	return v != NULL && *v != '\0' ? v : NULL;
}

/* Kính gửi, Nơi nhận and the signature block: the saved report's, else
 * its issuing body's last report's (remembered per body), else the
 * body's kind's defaults (report_issuer_of). */
static void
addressing(struct ctx *c, json_t *doc, const json_t *report,
    const struct report_issuer *is, const json_t *org)
{
	json_t *last = last_report(c, org ? rec_int(org, "id") : 0,
	    report ? rec_int(report, "id") : 0);
	const char *rcp = remembered(report, last, FLD_REPORT_RECIPIENTS);
	const char *to_text = remembered(report, last, FLD_REPORT_ADDRESSEES);
	const char *auth = remembered(report, last, FLD_REPORT_SIGNER_AUTHORITY);
	const char *title = remembered(report, last, FLD_REPORT_SIGNER_TITLE);
	const char *name = remembered(report, last, FLD_REPORT_SIGNER_NAME);
	json_t *sig = json_array(), *to, *lines, *v;
	size_t i;

	if (to_text != NULL) {
		to = lines_of(to_text);
	} else {
		to = json_array();
		if (is->addressee[0] != '\0')
			json_array_append_new(to, json_string(is->addressee));
	}
	if (rcp != NULL) {
		json_object_set_new(doc, DOC_RECIPIENTS, recipient_lines(rcp));
	} else {
		json_t *r = json_array();
		if (json_array_size(to) > 0)
			json_array_append_new(r, json_string("Như trên;"));
		json_array_append_new(r, json_string(is->archive));
		json_object_set_new(doc, DOC_RECIPIENTS, r);
	}
	if (json_array_size(to) > 0)
		json_object_set_new(doc, DOC_ADDRESSEES, to);
	else
		json_decref(to);
	/* the authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), then
	 * the position, each on its own line (D30 §2.8) */
	if (auth != NULL) {
		lines = lines_of(auth);
		json_array_extend(sig, lines);
		json_decref(lines);
	} else if (is->authority[0] != '\0') {
		json_array_append_new(sig, json_string(is->authority));
	}
	if (title != NULL) {
		lines = lines_of(title);
		json_array_foreach(lines, i, v)
			json_array_append(sig, v);
		json_decref(lines);
	} else if (is->title[0] != '\0') {
		json_array_append_new(sig, json_string(is->title));
	}
	json_object_set_new(doc, "signature", sig);
	json_object_set_new(doc, DOC_SIGNER_NAME, json_string(name ? name : ""));
	json_decref(last);
}

/* ---- sections: what each kind of content draws ------------------------------ */

/* Draws one kind of record data (OUTLINE_CONTENTS, registry.h) into
 * blocks: its heading, text and tables, or nothing when the scope has no
 * such records.  Shortcomings the findings state go to shortfalls. */
static void
draw(struct ctx *c, struct gathered *g, const char *kind, json_t *blocks,
    json_t *shortfalls)
{
	enum report_scope_kind sk = c->scope.kind;

	if (strcmp(kind, "situation") == 0) {
		if (sk == SCOPE_AGREEMENT || sk == SCOPE_PROGRAM)
			scope_lead(c, blocks);
	} else if (strcmp(kind, "targets") == 0) {
		if (sk == SCOPE_TARGET_SET)
			section_targets(c, blocks);
	} else if (strcmp(kind, "plan_signed") == 0) {
		if (g->program_id > 0)
			progress_block(c, blocks, g->program_id);
	} else if (strcmp(kind, "findings") == 0) {
		section_findings(c, blocks, g->findings, shortfalls);
	} else if (strcmp(kind, "self_mgmt") == 0) {
		if (sk == SCOPE_UNIT || sk == SCOPE_SUPERVISION || sk == SCOPE_NATION)
			section_self_mgmt(c, blocks, g->unit_id);
	} else if (strcmp(kind, "activities") == 0) {
		/* a target set's report has none: its meetings' records only */
		if (g->counted)
			section_activities(c, blocks, (size_t)g->n_activities, g->act_totals);
	} else if (strcmp(kind, "meetings") == 0) {
		section_meetings(c, blocks);
	} else if (strcmp(kind, "incidents") == 0) {
		if (g->counted)
			section_incidents(c, blocks, (size_t)g->n_incidents, g->inc_counts);
	} else if (strcmp(kind, "recommendations") == 0) {
		section_recommendations(c, blocks, g->recs);
	} else if (strcmp(kind, "tasks") == 0) {
		section_tasks(c, blocks, g->tasks);
	} else if (strcmp(kind, "commendations") == 0) {
		section_commendations(c, blocks, g->comms);
	}
}

/* Part I of a report built without an outline, in this order. */
static const char *const standard_results[] = { "situation", "targets",
	"plan_signed", "findings", "self_mgmt", "activities", "meetings",
	"incidents", "recommendations", "tasks", "commendations" };

/* The narrative parts: the report's text, else what the records say. */
struct narratives {
	const json_t *report;
	json_t *shortfalls, *directions, *proposals;
};

/* The report's text fields of the narrative parts.  An outline section
 * whose content is one of them ("shortcomings", ...: the choices of
 * outline_section.content are named after these fields) takes its text. */
static const enum field_id narrative_fields[] = { FLD_REPORT_SHORTCOMINGS,
	FLD_REPORT_DIRECTIONS, FLD_REPORT_PROPOSALS };

/* The narrative field an outline section's content kind names, else
 * FLD_NONE (a kind the records draw). */
static enum field_id
narrative_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(narrative_fields) / sizeof(narrative_fields[0]); i++)
		if (strcmp(field_name(narrative_fields[i]), kind) == 0)
			return narrative_fields[i];
	return FLD_NONE;
}

/* The blocks of a narrative part: the report's text in field f, else
 * what the records say; NULL for a field that is no narrative. */
static json_t *
narrate(const struct narratives *n, enum field_id f)
{
	json_t *fallback = f == FLD_REPORT_SHORTCOMINGS ? n->shortfalls :
	    f == FLD_REPORT_DIRECTIONS ? n->directions :
	    f == FLD_REPORT_PROPOSALS ? n->proposals : NULL;

	if (fallback == NULL)
		return NULL;
	return narrative(n->report ? jrec_str(n->report, f) : NULL, fallback);
}

/* The writer's text of an outline section (report_section): the text
 * kept for that section by id, else (text typed before sections had ids)
 * the one under the same heading. */
static const char *
typed_text(const json_t *typed, const json_t *sec)
{
	const char *heading = jrec_str(sec, FLD_OUTLINE_SECTION_HEADING);
	const json_t *v;
	size_t i;

	json_array_foreach(typed, i, v)
		if (jrec_int(v, FLD_REPORT_SECTION_OUTLINE_SECTION_ID) == rec_int(sec, "id"))
			return jrec_str(v, FLD_REPORT_SECTION_BODY);
	json_array_foreach(typed, i, v)
		if (jrec_int(v, FLD_REPORT_SECTION_OUTLINE_SECTION_ID) <= 0 &&
		    jrec_str(v, FLD_REPORT_SECTION_HEADING) != NULL && heading != NULL &&
		    strcmp(jrec_str(v, FLD_REPORT_SECTION_HEADING), heading) == 0)
			return jrec_str(v, FLD_REPORT_SECTION_BODY);
	return NULL;
}

/* A section's content: the writer's text for it first, then what its
 * kind draws; the drawing's own heading goes, the outline names it. */
static json_t *
section_content(struct ctx *c, struct gathered *g, const struct narratives *n,
    const json_t *sec, const json_t *typed)
{
	const char *kind = jrec_str(sec, FLD_OUTLINE_SECTION_CONTENT) ?: "text";
	const char *text = typed_text(typed, sec);
	json_t *blocks = json_array(), *drawn, *first, *v;
	size_t i;

	if (text != NULL && *text != '\0') {
		json_t *ls = lines_of(text);
		json_array_foreach(ls, i, v)
			para(blocks, "%s", json_string_value(v));
		json_decref(ls);
	}
	if ((drawn = narrate(n, narrative_of(kind))) == NULL) {
		drawn = json_array();
		draw(c, g, kind, drawn, n->shortfalls);
	}
	first = json_array_get(drawn, 0);
	if (first != NULL && rec_str(first, DOC_TYPE) != NULL &&
	    strcmp(rec_str(first, DOC_TYPE), DOC_BLOCK_HEADING) == 0)
		json_array_remove(drawn, 0);
	json_array_extend(blocks, drawn);
	json_decref(drawn);
	return blocks;
}

/* The records of entity whose field is id: one statement (an outline's
 * sections, a report's typed sections), not one per record. */
static json_t *
fetch(struct ctx *c, enum entity_id entity, enum field_id field, int64_t id)
{
	struct list_query q;
	json_t *v = json_integer(id), *rows;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(field), OP_EQ, v };
	q.nfilters = 1;
	q.see_confidential = c->clearance;
	rows = store_list_all(c->s, entity_of(entity), &q, REPORT_ROWS_MAX, c->e);
	json_decref(v);
	if (rows == NULL)
		read_failed(c, c->e);
	return rows ? rows : json_array();
}

/* The sections of a report built from its outline, in the outline's
 * order: a level-1 section is a part (I., II.), a level-2 one an item
 * (1., 2.) of the part above it.  Empty parts and items are left out. */
static json_t *
outline_sections(struct ctx *c, struct gathered *g, const json_t *report,
    const struct narratives *n)
{
	json_t *secs = fetch(c, ENT_OUTLINE_SECTION, FLD_OUTLINE_SECTION_OUTLINE_ID,
	    jrec_int(report, FLD_REPORT_OUTLINE_ID));
	json_t *typed = fetch(c, ENT_REPORT_SECTION, FLD_REPORT_SECTION_REPORT_ID,
	    rec_int(report, "id"));
	json_t *out = json_array(), *part = NULL, *sec, *blocks;
	size_t i, j, n_secs = json_array_size(secs);
	const json_t **order;

	/* by position (store order is by id) */
	order = calloc(n_secs ? n_secs : 1, sizeof(*order));
	if (order == NULL)
		err_alloc_failed();
	for (i = 0; order != NULL && i < n_secs; i++) {
		const json_t *x = json_array_get(secs, i);
		for (j = i; j > 0 && jrec_int(order[j - 1], FLD_OUTLINE_SECTION_POSITION) >
		    jrec_int(x, FLD_OUTLINE_SECTION_POSITION); j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
	for (i = 0; order != NULL && i < n_secs; i++) {
		sec = (json_t *)order[i];
		blocks = section_content(c, g, n, sec, typed);
		if (jrec_int(sec, FLD_OUTLINE_SECTION_LEVEL) == 2 && part != NULL) {
			if (json_array_size(blocks) > 0) {
				json_array_append_new(json_object_get(part, "blocks"),
				    json_pack("{s:s, s:s}", DOC_TYPE, DOC_BLOCK_HEADING, DOC_TEXT,
				    jrec_str(sec, FLD_OUTLINE_SECTION_HEADING) ?: ""));
				json_array_extend(json_object_get(part, "blocks"), blocks);
			}
			json_decref(blocks);
			continue;
		}
		if (part != NULL && json_array_size(json_object_get(part, "blocks")) > 0)
			json_array_append(out, part);
		json_decref(part);
		part = json_pack("{s:s, s:o}", DOC_HEADING,
		    jrec_str(sec, FLD_OUTLINE_SECTION_HEADING) ?: "", "blocks", blocks);
	}
	if (part != NULL && json_array_size(json_object_get(part, "blocks")) > 0)
		json_array_append(out, part);
	json_decref(part);
	free(order);
	json_decref(secs);
	json_decref(typed);
	return out;
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
	json_t *doc = NULL, *report = NULL, *sections, *shortfalls, *v;
	json_t *directions, *proposals, *org = NULL, *results = NULL;
	struct narratives narr;
	struct report_issuer is;
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
	header(&c, doc, report, &g, scope_name(&c, sname, sizeof(sname)), &is, &org);
	shortfalls = json_array();
	if (report != NULL && jrec_int(report, FLD_REPORT_OUTLINE_ID) > 0) {
		/* the findings' shortcomings, whichever section draws them */
		json_array_foreach(g.findings, i, v)
			if (jrec_str(v, FLD_SUPERVISION_FINDING_KIND) &&
			    strcmp(jrec_str(v, FLD_SUPERVISION_FINDING_KIND), "shortcoming") == 0)
				json_array_append_new(shortfalls, json_string(jrec_str(v,
				    FLD_SUPERVISION_FINDING_TEXT) ?: ""));
	} else {
		results = json_array();
		for (i = 0; i < sizeof(standard_results) / sizeof(standard_results[0]); i++)
			draw(&c, &g, standard_results[i], results, shortfalls);
		if (json_array_size(results) == 0)
			para(results, "Trong kỳ chưa có bản ghi nào thuộc phạm vi báo cáo.");
	}

	/* the narratives default to what the records say when the report has
	 * no text */
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
	narr.report = report;
	narr.shortfalls = shortfalls;
	narr.directions = directions;
	narr.proposals = proposals;

	if (report != NULL && jrec_int(report, FLD_REPORT_OUTLINE_ID) > 0) {
		sections = outline_sections(&c, &g, report, &narr);
	} else {
		/* numbered by report_number_sections; an empty one is left out */
		sections = json_array();
		json_array_append_new(sections, json_pack("{s:s, s:o}", DOC_HEADING,
		    "KẾT QUẢ ĐẠT ĐƯỢC", "blocks", results));
		add_section(sections, "TỒN TẠI, HẠN CHẾ",
		    narrate(&narr, FLD_REPORT_SHORTCOMINGS));
		add_section(sections, "PHƯƠNG HƯỚNG, NHIỆM VỤ",
		    narrate(&narr, FLD_REPORT_DIRECTIONS));
		add_section(sections, "KIẾN NGHỊ, ĐỀ XUẤT",
		    narrate(&narr, FLD_REPORT_PROPOSALS));
	}
	json_decref(shortfalls);
	json_decref(directions);
	json_decref(proposals);
	json_object_set_new(doc, "sections", sections);
	report_number_sections(doc);
	frame(doc, &is, org);
	addressing(&c, doc, report, &is, org);
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
		/* a read that failed without saying why (achieve_target_set_at
		 * when jansson could not allocate) failed for want of memory */
		if (!c.failed || e->code == ERR_NONE)
			err_nomem(e);
	}
	json_decref(c.meetings);
	json_decref(c.labels);
	json_decref(c.orgs);
	store_unit_set_free(&c.units);
	json_decref(g.recs);
	json_decref(g.tasks);
	json_decref(g.comms);
	json_decref(g.findings);
	json_decref(g.act_totals);
	json_decref(g.inc_counts);
	json_decref(report);
	json_decref(org);
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

/* The signer's name a report is issued with: its own, else the one the
 * same body's latest report was signed with (remembered per body, as the
 * other signature lines are); NULL when neither - an issued document must
 * name its signer (D30 §2.8, [H36-ky]).  The caller frees it. */
static char *
issue_signer(struct store *s, const json_t *rep, struct err *e)
{
	const char *own = jrec_str(rep, FLD_REPORT_SIGNER_NAME);
	json_t *rows, *iv;
	struct list_query q;
	char *name = NULL;
	size_t i;

	if (own != NULL && *own != '\0') {
		if ((name = strdup(own)) == NULL)
			err_nomem(e);
		return name;
	}
	memset(&q, 0, sizeof(q));
	iv = json_integer(jrec_int(rep, FLD_REPORT_ISSUER_ORG_ID));
	q.filters[0] = (struct list_filter){ field_name(FLD_REPORT_ISSUER_ORG_ID), OP_EQ, iv };
	q.filters[1] = (struct list_filter){ field_name(FLD_REPORT_SIGNER_NAME), OP_NOTNULL,
	    NULL };
	q.nfilters = 2;
	q.sort = "id";
	q.desc = true;
	q.limit = 1;
	q.see_confidential = true;
	rows = NULL;
	if (store_list(s, entity_of(ENT_REPORT), &q, &rows, NULL, e) == 0)
		for (i = 0; i < json_array_size(rows) && name == NULL; i++) {
			const char *v = jrec_str(json_array_get(rows, i), FLD_REPORT_SIGNER_NAME);
			if (v != NULL && *v != '\0' && (name = strdup(v)) == NULL)
				err_nomem(e);
		}
	json_decref(rows);
	json_decref(iv);
	return name;
}

int
report_issue(struct store *s, int64_t report_id, const struct actor *who,
    json_t **out, struct err *e)
{
	const struct entity_def *reports = entity_of(ENT_REPORT);
	json_t *rep, *rows, *org, *in, *iv, *yv, *sv;
	struct list_query q;
	char today[CLOCK_DATE_LEN], from[CLOCK_DATE_LEN], symbol[64];
	char *signer = NULL;
	bool per_term = false;
	int64_t next = 1;
	size_t i;

	clock_today(today);
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
	if ((signer = issue_signer(s, rep, e)) == NULL) {
		if (e->code == ERR_NONE) {
			err_field(e, field_name(FLD_REPORT_SIGNER_NAME), "%s: cần nhập trước "
			    "khi ban hành (văn bản ban hành phải ghi họ tên người ký)",
			    field_of(FLD_REPORT_SIGNER_NAME)->label);
			snprintf(e->msg, sizeof(e->msg), "chưa ban hành được: báo cáo chưa có "
			    "họ tên người ký");
		}
		json_decref(rep);
		goto fail;
	}
	org = store_get(s, entity_of(ENT_ORGANISATION), jrec_int(rep,
	    FLD_REPORT_ISSUER_ORG_ID), e);
	if (org == NULL) {
		json_decref(rep);
		goto fail;
	}
	{
		const json_t *chain[3] = { org, NULL, NULL };
		json_t *p1 = jrec_int(org, FLD_ORGANISATION_PARENT_ID) > 0 ? store_get(s,
		    entity_of(ENT_ORGANISATION), jrec_int(org, FLD_ORGANISATION_PARENT_ID),
		    NULL) : NULL;
		json_t *p2 = p1 && jrec_int(p1, FLD_ORGANISATION_PARENT_ID) > 0 ? store_get(s,
		    entity_of(ENT_ORGANISATION), jrec_int(p1, FLD_ORGANISATION_PARENT_ID),
		    NULL) : NULL;
		struct report_issuer is;
		chain[1] = p1;
		chain[2] = p2;
		if (report_issuer_of(chain, 3, &is) == 0) {
			report_symbol(is.layout, "BC", &is, symbol, sizeof(symbol));
			per_term = is.layout->register_per_term;
		} else {
			snprintf(symbol, sizeof(symbol), "BC-UBND");
		}
		json_decref(p1);
		json_decref(p2);
	}
	/* the register's series: a Party committee's term, from its first day
	 * when the body records it (party-layout.md §2.3); else the calendar
	 * year (D30, and a committee whose term is not recorded) */
	if (per_term && jrec_str(org, FLD_ORGANISATION_TERM_STARTED_ON) != NULL &&
	    strcmp(jrec_str(org, FLD_ORGANISATION_TERM_STARTED_ON), today) <= 0)
		snprintf(from, sizeof(from), "%s", jrec_str(org, FLD_ORGANISATION_TERM_STARTED_ON));
	else
		snprintf(from, sizeof(from), "%.4s-01-01", today);
	json_decref(org);
	memset(&q, 0, sizeof(q));
	iv = json_integer(jrec_int(rep, FLD_REPORT_ISSUER_ORG_ID));
	yv = json_string(from);
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
	/* the name it was signed with is kept on the issued record */
	in = json_pack("{s:s, s:I, s:s, s:s, s:s}", field_name(FLD_REPORT_STATUS), "issued",
	    field_name(FLD_REPORT_NUMBER), (json_int_t)next, field_name(FLD_REPORT_SYMBOL),
	    symbol, field_name(FLD_REPORT_ISSUED_ON), today,
	    field_name(FLD_REPORT_SIGNER_NAME), signer);
	if (records_update(s, reports, report_id, in, 0, who, R_SYSTEM, out, e) != 0) {
		json_decref(in);
		json_decref(rep);
		goto fail;
	}
	json_decref(in);
	json_decref(rep);
	free(signer);
	return store_commit(s, e);
fail:
	free(signer);
	store_rollback(s);
	return -1;
}
