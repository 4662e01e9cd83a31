/*
 * pages_charts.c - /charts: achievement by target group and period of a
 * target set, plan vs signed over time of a program, activity quantities
 * by month of an agreement and of a unit, incidents by kind and month; and
 * /charts/data/NAME, each chart's model as JSON (pages_charts.h), which
 * static/charts.js draws.  The page shows every model as a table: the
 * reading without JavaScript.
 *
 * The figures are grouped in the database (store_stats.h), one statement
 * per chart; achievement is achieve.c's judgement of each period.
 * Confidential incidents are counted only for a user with clearance.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/achieve.h"
#include "domain/auth.h"
#include "domain/coord.h"
#include "domain/seed.h"
#include "pages/charts_tmpl.h"
#include "pages/pages.h"
#include "pages/pages_charts.h"
#include "pages/pages_view.h"
#include "report/report.h"
#include "schema/record.h"
#include "store/store_stats.h"
#include "text/html.h"
#include "text/text.h"
#include "web/error_page.h"
#include "web/web.h"

#define CHART_CHOICES_MAX 1000 /* records offered in one selection list   */
#define UNDATED_LABEL "Không rõ ngày"

/* What the charts are drawn for: the page's (or data route's) arguments. */
struct chart_ctx {
	struct request *r;
	struct view *v;
	int64_t target_set, program, agreement;
	int64_t unit; /* 0: the whole country */
	bool clearance;
};

void
charts_cell(struct buf *b, const json_t *v, bool percent)
{
	char num[48];

	if (!json_is_number(v)) {
		buf_adds(b, "–");
		return;
	}
	report_format_number(json_number_value(v), 1, num, sizeof(num));
	html_text(b, num);
	if (percent)
		buf_adds(b, "%");
}

bool
charts_row_empty(const json_t *model, size_t i)
{
	const json_t *sets = json_object_get(model, "datasets"), *ds;
	size_t k;

	if (!json_is_true(json_object_get(model, "sparse_table")))
		return false;
	json_array_foreach(sets, k, ds) {
		const json_t *v = json_array_get(json_object_get(ds, "data"), i);
		if (json_is_number(v) && json_number_value(v) != 0)
			return false;
	}
	return true;
}

/* ---- the model ----------------------------------------------------------- */

static json_t *
model_new(const char *chart, const char *figure, const char *subject,
    const char *draw, const char *x_axis, const char *y_axis)
{
	return json_pack("{s:s, s:s, s:s?, s:s, s:b, s:b, s:s, s:s, s:[], s:[]}",
	    "chart", chart, "figure", figure, "subject", subject, "draw", draw,
	    "stacked", 0, "percent", 0, "x_axis", x_axis, "y_axis", y_axis,
	    "labels", "datasets");
}

static json_t *
dataset_add(json_t *model, const char *series, size_t n)
{
	json_t *data = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(data, json_integer(0));
	json_array_append_new(json_object_get(model, "datasets"),
	    json_pack("{s:s, s:o}", "series", series, "data", data));
	return data;
}

/* ---- months ------------------------------------------------------------- */

/* Rows of a tally kept as [month|null, k1|null, k2|null, n, sum]. */
static int
keep_row(void *ctx, const struct store_tally *t)
{
	json_array_append_new(ctx, json_pack("[s?, s?, s?, I, f]", t->month, t->k1,
	    t->k2, (json_int_t)t->n, t->sum));
	return 0;
}

static int
month_index(const char *m)
{
	int y, mo;

	if (m == NULL || sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 ||
	    y < 1900 || y > 2200)
		return -1;
	return y * 12 + mo - 1;
}

/* The months of a chart's axis: every month from the first to the last
 * (a month without records is a 0, not a gap) - or, past
 * CHART_MONTHS_MAX, the last months that have records - then the records
 * without a date. */
struct axis {
	int idx[CHART_MONTHS_MAX];
	size_t n;
	bool undated;
	bool cut;      /* months left out (the first ones) */
};

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void
axis_build(struct axis *ax, json_t *rows, json_t *labels)
{
	int *seen, lo = 0, hi = -1;
	size_t n = 0, i, k;
	json_t *row;
	char lab[16];

	memset(ax, 0, sizeof(*ax));
	seen = calloc(json_array_size(rows) + 1, sizeof(*seen));
	if (seen == NULL)
		return;
	json_array_foreach(rows, i, row) {
		int m = month_index(json_string_value(json_array_get(row, 0)));
		if (m < 0) {
			ax->undated = ax->undated || json_array_get(row, 0) == NULL ||
			    json_is_null(json_array_get(row, 0));
			continue;
		}
		seen[n++] = m;
		if (hi < 0 || m < lo)
			lo = m;
		if (m > hi)
			hi = m;
	}
	if (n > 0 && hi - lo + 1 <= CHART_MONTHS_MAX) {
		for (i = 0; i < (size_t)(hi - lo + 1); i++)
			ax->idx[ax->n++] = lo + (int)i;
	} else if (n > 0) {
		/* the months that have records, the latest ones */
		qsort(seen, n, sizeof(*seen), cmp_int);
		for (i = k = 0; i < n; i++)
			if (k == 0 || seen[k - 1] != seen[i])
				seen[k++] = seen[i];
		ax->cut = k > CHART_MONTHS_MAX;
		for (i = k > CHART_MONTHS_MAX ? k - CHART_MONTHS_MAX : 0; i < k; i++)
			ax->idx[ax->n++] = seen[i];
	}
	free(seen);
	for (i = 0; i < ax->n; i++) {
		snprintf(lab, sizeof(lab), "%02d/%04d", ax->idx[i] % 12 + 1, ax->idx[i] / 12);
		json_array_append_new(labels, json_string(lab));
	}
	if (ax->undated)
		json_array_append_new(labels, json_string(UNDATED_LABEL));
}

/* The position of a row's month on the axis, or -1 (a month cut). */
static int
axis_pos(const struct axis *ax, const json_t *month)
{
	int m = month_index(json_string_value(month));
	size_t lo = 0, hi = ax->n;

	if (m < 0)
		return ax->undated && !json_is_string(month) ? (int)ax->n : -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ax->idx[mid] < m)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ax->n && ax->idx[lo] == m ? (int)lo : -1;
}

static size_t
axis_len(const struct axis *ax)
{
	return ax->n + (ax->undated ? 1 : 0);
}

static void
data_add(json_t *data, int pos, double v)
{
	json_t *cell = json_array_get(data, (size_t)pos);

	if (pos < 0 || cell == NULL)
		return;
	json_array_set_new(data, (size_t)pos, json_is_integer(cell) &&
	    v == floor(v) && fabs(v) < 9e15 ? json_integer(json_integer_value(cell) +
	    (json_int_t)v) : json_real(json_number_value(cell) + v));
}

/* Series of monthly rows by (k1, k2), k1 a code of `catalog`: in the
 * catalog's order, then by k2; value n or sum. */
static void
monthly_series(struct chart_ctx *c, json_t *model, json_t *rows,
    const char *catalog, bool with_k2, bool use_sum)
{
	json_t *items = view_catalog(c->v, catalog), *keys = json_array(), *row, *it;
	struct axis ax;
	size_t i, k, j;

	axis_build(&ax, rows, json_object_get(model, "labels"));
	/* a month without records is a 0 on the chart, no line of the table */
	json_object_set_new(model, "sparse_table", json_true());
	if (ax.cut)
		json_object_set_new(model, "remark", json_string("Chỉ hiện những tháng gần "
		    "nhất có số liệu."));
	/* the series: distinct (k1, k2), in catalog order */
	json_array_foreach(items, i, it) {
		const char *code = json_string_value(json_array_get(it, 0));
		json_array_foreach(rows, k, row) {
			const char *k1 = json_string_value(json_array_get(row, 1));
			const char *k2 = json_string_value(json_array_get(row, 2));
			bool dup = false;
			json_t *key;
			if (k1 == NULL || code == NULL || strcmp(k1, code) != 0)
				continue;
			json_array_foreach(keys, j, key)
				if (strcmp(json_string_value(json_array_get(key, 0)), k1) == 0 &&
				    (!with_k2 || strcmp(json_string_value(json_array_get(key, 1)) ?: "",
				    k2 ?: "") == 0))
					dup = true;
			if (!dup)
				json_array_append_new(keys, json_pack("[s, s]", k1,
				    with_k2 && k2 != NULL ? k2 : ""));
		}
	}
	/* codes no longer in the catalog, at the end */
	json_array_foreach(rows, k, row) {
		const char *k1 = json_string_value(json_array_get(row, 1)) ?: "";
		const char *k2 = with_k2 ? json_string_value(json_array_get(row, 2)) ?: "" : "";
		bool dup = false;
		json_t *key;
		json_array_foreach(keys, j, key)
			if (strcmp(json_string_value(json_array_get(key, 0)), k1) == 0 &&
			    strcmp(json_string_value(json_array_get(key, 1)), k2) == 0)
				dup = true;
		if (!dup)
			json_array_append_new(keys, json_pack("[s, s]", k1, k2));
	}
	json_array_foreach(keys, j, it) {
		const char *k1 = json_string_value(json_array_get(it, 0));
		const char *k2 = json_string_value(json_array_get(it, 1));
		const char *lab = view_catalog_label(c->v, catalog, k1);
		char series[400];
		json_t *data;
		if (k2[0] != '\0')
			snprintf(series, sizeof(series), "%s (%s)", lab && lab[0] ? lab : k1, k2);
		else
			snprintf(series, sizeof(series), "%s", lab && lab[0] ? lab :
			    k1[0] ? k1 : "Không rõ loại");
		data = dataset_add(model, series, axis_len(&ax));
		json_array_foreach(rows, k, row) {
			const char *r1 = json_string_value(json_array_get(row, 1)) ?: "";
			const char *r2 = with_k2 ? json_string_value(json_array_get(row, 2)) ?: "" : "";
			if (strcmp(r1, k1) != 0 || strcmp(r2, k2) != 0)
				continue;
			data_add(data, axis_pos(&ax, json_array_get(row, 0)), use_sum ?
			    json_real_value(json_array_get(row, 4)) :
			    (double)json_integer_value(json_array_get(row, 3)));
		}
	}
	json_decref(keys);
}

/* ---- the charts ---------------------------------------------------------- */

/* "Name" of a record for a chart's subject, kept by the view. */
static const char *
subject_of(struct chart_ctx *c, enum entity_id ent, int64_t id)
{
	return view_ref_title(c->v, entity_of(ent)->name, id);
}

/* A unit's name with its vintage: both have a "Tỉnh Lào Cai". */
static const char *
unit_subject(struct chart_ctx *c, int64_t unit)
{
	struct err e = { 0 };
	struct buf b;
	json_t *u;

	if (unit <= 0)
		return "Cả nước";
	u = store_get(c->r->store, entity_of(ENT_ADMIN_UNIT), unit, &e);
	err_clear(&e);
	if (u == NULL)
		return "";
	buf_init(&b, 512);
	buf_adds(&b, jrec_str(u, FLD_ADMIN_UNIT_NAME) ?: "");
	if (jrec_str(u, FLD_ADMIN_UNIT_VALID_TO) != NULL)
		buf_adds(&b, " (trước 1/7/2025)");
	json_decref(u);
	return view_take(c->v, &b);
}

static int
by_period_key(const void *a, const void *b)
{
	const char *x = json_string_value(json_array_get(*(json_t *const *)a, 0));
	const char *y = json_string_value(json_array_get(*(json_t *const *)b, 0));
	const char *cx = json_string_value(json_array_get(*(json_t *const *)a, 1));
	const char *cy = json_string_value(json_array_get(*(json_t *const *)b, 1));
	int d = strcmp(x, y);

	return d != 0 ? d : strcmp(cx, cy);
}

/* Achievement of each target group (its ratio, or that of its indicators
 * with data when it is not judged yet), one series per period the set's
 * values are recorded for. */
static json_t *
chart_achievement(struct chart_ctx *c, struct err *e)
{
	json_t *model, *rows = json_array(), *periods = json_array(), *row;
	json_t **sorted = NULL;
	bool partial = false;
	size_t i, k, n;

	model = model_new("achievement", "Mức đạt theo nhóm mục tiêu và theo kỳ",
	    subject_of(c, ENT_TARGET_SET, c->target_set), "bar", "Nhóm mục tiêu",
	    "Tỷ lệ đạt (%)");
	json_object_set_new(model, "percent", json_true());
	if (store_tally_periods(c->r->store, c->target_set, keep_row, rows, e) != 0)
		goto fail;
	/* the periods in time order: by their effective date */
	json_array_foreach(rows, i, row) {
		const char *code = json_string_value(json_array_get(row, 1));
		char key[11];
		if (code == NULL || achieve_period_key(code, NULL, key) != 0)
			continue;
		json_array_append_new(periods, json_pack("[s, s]", key, code));
	}
	n = json_array_size(periods);
	sorted = calloc(n + 1, sizeof(*sorted));
	if (sorted == NULL) {
		err_nomem(e);
		goto fail;
	}
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(periods, i);
	qsort(sorted, n, sizeof(*sorted), by_period_key);
	if (n > CHART_PERIODS_MAX)
		json_object_set_new(model, "remark", json_string("Chỉ hiện các kỳ gần nhất."));
	for (i = n > CHART_PERIODS_MAX ? n - CHART_PERIODS_MAX : 0; i < n; i++) {
		const char *code = json_string_value(json_array_get(sorted[i], 1));
		struct vi_period vp;
		char label[VI_PERIOD_LABEL_MAX];
		json_t *a = achieve_target_set(c->r->store, c->target_set, code, e), *g, *data;
		if (a == NULL)
			goto fail;
		if (vi_parse_period(code, &vp) != 0 || vi_period_label(&vp, label,
		    sizeof(label)) != 0)
			snprintf(label, sizeof(label), "%s", code);
		/* a legend's entry starts with a capital: "Năm 2023" */
		if (label[0] >= 'a' && label[0] <= 'z')
			label[0] = (char)(label[0] - 'a' + 'A');
		data = json_array();
		json_array_foreach(json_object_get(a, "groups"), k, g) {
			json_t *ratio = json_object_get(g, "ratio");
			if (!json_is_number(ratio)) {
				ratio = json_object_get(g, "partial_ratio");
				partial = partial || json_is_number(ratio);
			}
			json_array_append_new(data, json_is_number(ratio) ?
			    json_real(round(json_number_value(ratio) * 10) / 10) : json_null());
			/* the axis: the groups, once */
			if (json_array_size(json_object_get(model, "labels")) < k + 1) {
				char lab[64], head[700];
				int64_t num = json_integer_value(json_object_get(g,
				    field_name(FLD_TARGET_GROUP_NUMBER)));
				snprintf(lab, sizeof(lab), "Nhóm %lld", (long long)num);
				snprintf(head, sizeof(head), "%lld. %s", (long long)num,
				    json_string_value(json_object_get(g,
				    field_name(FLD_TARGET_GROUP_NAME))) ?: "");
				json_array_append_new(json_object_get(model, "labels"),
				    json_string(lab));
				if (json_object_get(model, "row_heads") == NULL)
					json_object_set_new(model, "row_heads", json_array());
				json_array_append_new(json_object_get(model, "row_heads"),
				    json_string(head));
			}
		}
		json_array_append_new(json_object_get(model, "datasets"),
		    json_pack("{s:s, s:o}", "series", label, "data", data));
		json_decref(a);
	}
	if (partial)
		json_object_set_new(model, "remark", json_string("Nhóm chưa đủ số liệu: tỷ lệ "
		    "tính trên các chỉ tiêu đã có số liệu."));
	if (n == 0)
		json_object_set_new(model, "remark", json_string("Bộ chỉ tiêu chưa có số liệu."));
	free(sorted);
	json_decref(rows);
	json_decref(periods);
	return model;
fail:
	free(sorted);
	json_decref(rows);
	json_decref(periods);
	json_decref(model);
	return NULL;
}

/* Signed against the plan over time: the cumulative count by month of
 * signing (of agreements, or of the communes helped for a program of help
 * assignments, as the follow-up counts them) and the plan. */
static json_t *
chart_signed(struct chart_ctx *c, struct err *e)
{
	static const char *const signed_statuses[] = { "signed", "active", "ended" };
	json_t *model, *rows = json_array(), *progress, *prog, *row, *done, *plan;
	struct axis ax;
	bool communes;
	int64_t planned, acc = 0;
	size_t i, len;
	const char *from, *to;

	progress = coord_program_progress(c->r->store, c->program, e);
	if (progress == NULL) {
		json_decref(rows);
		return NULL;
	}
	communes = strcmp(json_string_value(json_object_get(progress, "counted")) ?: "",
	    "communes") == 0;
	planned = json_integer_value(json_object_get(progress, "planned"));
	model = model_new("signed", "Tiến độ ký kết so với kế hoạch",
	    subject_of(c, ENT_PROGRAM, c->program), "line", "Tháng",
	    communes ? "Số xã" : "Số thỏa thuận");
	json_object_set_new(model, "integer", json_true());
	if (store_tally_signed(c->r->store, c->program, communes ? "helped" : NULL,
	    signed_statuses, 3, keep_row, rows, e) != 0)
		goto fail;
	/* the axis spans the program's own dates too */
	prog = store_get(c->r->store, entity_of(ENT_PROGRAM), c->program, NULL);
	from = prog ? jrec_str(prog, FLD_PROGRAM_START_ON) : NULL;
	to = prog ? jrec_str(prog, FLD_PROGRAM_END_ON) : NULL;
	if (from != NULL)
		json_array_append_new(rows, json_pack("[s, n, n, i, f]", from, 0, 0.0));
	if (to != NULL)
		json_array_append_new(rows, json_pack("[s, n, n, i, f]", to, 0, 0.0));
	json_decref(prog);
	axis_build(&ax, rows, json_object_get(model, "labels"));
	len = axis_len(&ax);
	done = dataset_add(model, communes ? "Số xã đã có đơn vị giúp đỡ (lũy kế)" :
	    "Đã ký kết (lũy kế)", len);
	plan = dataset_add(model, "Kế hoạch", len);
	json_object_set_new(json_array_get(json_object_get(model, "datasets"), 1), "dashed",
	    json_true());
	json_array_foreach(rows, i, row)
		data_add(done, axis_pos(&ax, json_array_get(row, 0)),
		    (double)json_integer_value(json_array_get(row, 3)));
	/* months before the first shown (cut) count in the first */
	json_array_foreach(rows, i, row)
		if (axis_pos(&ax, json_array_get(row, 0)) < 0)
			acc += json_integer_value(json_array_get(row, 3));
	for (i = 0; i < len; i++) {
		acc += json_integer_value(json_array_get(done, i));
		json_array_set_new(done, i, json_integer(acc));
		json_array_set_new(plan, i, json_integer(planned));
	}
	json_object_set_new(model, "remark", json_string(len == 0 ?
	    "Chương trình chưa có thỏa thuận nào được ký và chưa có ngày bắt đầu." :
	    communes ? "Kế hoạch: số xã được giao (văn bản của chương trình)." :
	    "Kế hoạch: số thỏa thuận theo chương trình."));
	json_decref(progress);
	json_decref(rows);
	return model;
fail:
	json_decref(progress);
	json_decref(rows);
	json_decref(model);
	return NULL;
}

static json_t *
chart_quantities(struct chart_ctx *c, bool of_agreement, struct err *e)
{
	struct store_within w = { 0 };
	json_t *model, *rows = json_array();

	model = model_new(of_agreement ? "quantities_agreement" : "quantities_unit",
	    "Số liệu hoạt động theo tháng", of_agreement ? subject_of(c, ENT_AGREEMENT,
	    c->agreement) : unit_subject(c, c->unit), "bar", "Tháng", "Giá trị");
	w.unit_field = field_name(FLD_ACTIVITY_UNIT_ID);
	w.unit = c->unit;
	w.see_confidential = c->clearance;
	if (store_tally_quantities(c->r->store, of_agreement ? c->agreement : 0,
	    of_agreement ? NULL : &w, keep_row, rows, e) != 0) {
		json_decref(rows);
		json_decref(model);
		return NULL;
	}
	monthly_series(c, model, rows, field_of(FLD_ACTIVITY_QUANTITY_MEASURE)->arg, true,
	    true);
	if (json_array_size(rows) == 0)
		json_object_set_new(model, "remark", json_string("Chưa có hoạt động nào có số liệu."));
	json_decref(rows);
	return model;
}

static json_t *
chart_incidents(struct chart_ctx *c, struct err *e)
{
	struct store_within w = { 0 };
	json_t *model, *rows = json_array();

	model = model_new("incidents", "Vụ việc theo loại và tháng",
	    unit_subject(c, c->unit), "bar", "Tháng", "Số vụ việc");
	json_object_set_new(model, "stacked", json_true());
	json_object_set_new(model, "integer", json_true());
	w.unit_field = field_name(FLD_INCIDENT_UNIT_ID);
	w.unit = c->unit;
	/* without clearance a confidential incident is not counted */
	w.see_confidential = c->clearance;
	if (store_tally_incidents(c->r->store, &w, keep_row, rows, e) != 0) {
		json_decref(rows);
		json_decref(model);
		return NULL;
	}
	monthly_series(c, model, rows, field_of(FLD_INCIDENT_KIND)->arg, false, false);
	if (json_array_size(rows) == 0)
		json_object_set_new(model, "remark", json_string("Chưa có vụ việc nào."));
	json_decref(rows);
	return model;
}

enum chart_kind { CH_ACHIEVEMENT, CH_SIGNED, CH_QTY_AGREEMENT, CH_QTY_UNIT,
	CH_INCIDENTS, CH_KINDS };

static const char *const chart_names[CH_KINDS] = { "achievement", "signed",
	"quantities_agreement", "quantities_unit", "incidents" };

/* The chart's model, or NULL: e says why, or nothing was chosen for it
 * (no target set, program or agreement yet: *none). */
static json_t *
chart_build(struct chart_ctx *c, enum chart_kind k, bool *none, struct err *e)
{
	*none = false;
	switch (k) {
	case CH_ACHIEVEMENT:
		if ((*none = c->target_set <= 0))
			return NULL;
		return chart_achievement(c, e);
	case CH_SIGNED:
		if ((*none = c->program <= 0))
			return NULL;
		return chart_signed(c, e);
	case CH_QTY_AGREEMENT:
		if ((*none = c->agreement <= 0))
			return NULL;
		return chart_quantities(c, true, e);
	case CH_QTY_UNIT:
		return chart_quantities(c, false, e);
	case CH_INCIDENTS:
		return chart_incidents(c, e);
	default:
		err_set(e, ERR_NOT_FOUND, "không có biểu đồ này");
		return NULL;
	}
}

/* ---- arguments ------------------------------------------------------------ */

/* An id argument naming a record of ent: 1 with *id, 0 when absent, -1
 * when answered (not a number: 400; no such record: 404). */
static int
id_arg(struct request *r, const char *name, const struct entity_def *ent,
    int64_t *id)
{
	int rc = req_query_int(r, name, 1, INT64_MAX, id);
	struct err e = { 0 };
	int found;

	if (rc <= 0)
		return rc;
	found = store_exists_checked(r->store, ent, *id, &e);
	if (found < 0) {
		resp_error(r, &e);
		err_clear(&e);
		return -1;
	}
	if (found == 0) {
		resp_error_for(r, r->html, ERR_NOT_FOUND, "không có %s số %lld",
		    ent->label, (long long)*id);
		return -1;
	}
	return 1;
}

/* The first record of a list (the default choice), 0 when none. */
static int64_t
first_id(json_t *rows)
{
	return json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
}

static json_t *
choices(struct request *r, enum entity_id ent, enum field_id sort)
{
	struct list_query q;
	json_t *rows;

	memset(&q, 0, sizeof(q));
	q.sort = field_name(sort);
	rows = store_list_all(r->store, entity_of(ent), &q, CHART_CHOICES_MAX, NULL);
	return rows != NULL ? rows : json_array();
}

/* The provinces of both vintages and the districts before 2025 of the
 * provinces whose boundaries are shipped, for the unit choice: ids, not
 * codes (a code names two units across 2025). */
static const char *const north_2024[] = { "02", "04", "08", "10", "11", "12", "14",
	"15", "20" };

static json_t *
unit_choices(struct request *r, int64_t chosen)
{
	json_t *out = json_array(), *rows, *u, *g;
	struct err e = { 0 };
	size_t i, k;
	bool listed = chosen == 0;

	rows = store_units_on_date(r->store, REORG_DATE, 1, 0, &e);
	if (rows != NULL)
		json_array_append_new(out, json_pack("{s:s, s:o}", "group",
		    "Tỉnh (từ 1/7/2025)", "units", rows));
	err_clear(&e);
	rows = store_units_on_date(r->store, REORG_LAST_DATE, 1, 0, &e);
	if (rows != NULL)
		json_array_append_new(out, json_pack("{s:s, s:o}", "group",
		    "Tỉnh (trước 1/7/2025)", "units", rows));
	err_clear(&e);
	for (i = 0; i < sizeof(north_2024) / sizeof(north_2024[0]); i++) {
		int64_t pid;
		json_t *prov;
		if (store_unit_by_code(r->store, north_2024[i], REORG_LAST_DATE, &pid, &e) != 0) {
			err_clear(&e);
			continue;
		}
		prov = store_get(r->store, entity_of(ENT_ADMIN_UNIT), pid, NULL);
		rows = store_units_on_date(r->store, REORG_LAST_DATE, 2, pid, &e);
		err_clear(&e);
		if (rows != NULL && prov != NULL) {
			char group[300];
			snprintf(group, sizeof(group), "Huyện của %s (trước 1/7/2025)",
			    jrec_str(prov, FLD_ADMIN_UNIT_NAME) ?: "");
			json_array_append_new(out, json_pack("{s:s, s:O}", "group", group,
			    "units", rows));
		}
		json_decref(rows);
		json_decref(prov);
	}
	/* the unit chosen (a grant's commune, a district elsewhere) is
	 * offered too, or the form would choose another */
	json_array_foreach(out, i, g)
		json_array_foreach(json_object_get(g, "units"), k, u)
			listed = listed || json_integer_value(json_object_get(u, "id")) == chosen;
	if (!listed && (u = store_get(r->store, entity_of(ENT_ADMIN_UNIT), chosen,
	    NULL)) != NULL)
		json_array_insert_new(out, 0, json_pack("{s:s, s:[o]}", "group",
		    "Đơn vị đang chọn", "units", u));
	return out;
}

/* The arguments of /charts and /charts/data: 0, or -1 when answered. */
static int
chart_args(struct request *r, struct chart_ctx *c, bool defaults)
{
	size_t i;

	c->clearance = auth_has_clearance(&r->user);
	if (id_arg(r, entity_of(ENT_TARGET_SET)->name, entity_of(ENT_TARGET_SET),
	    &c->target_set) < 0 ||
	    id_arg(r, entity_of(ENT_PROGRAM)->name, entity_of(ENT_PROGRAM), &c->program) < 0 ||
	    id_arg(r, entity_of(ENT_AGREEMENT)->name, entity_of(ENT_AGREEMENT),
	    &c->agreement) < 0 ||
	    id_arg(r, "unit", entity_of(ENT_ADMIN_UNIT), &c->unit) < 0)
		return -1;
	/* no unit asked: the first unit of the user's grants, else the
	 * whole country; "unit=" (empty) asks for the whole country */
	if (defaults && req_query(r, "unit") == NULL)
		for (i = 0; i < r->user.ngrants && c->unit == 0; i++)
			c->unit = r->user.grants[i].unit_id;
	return 0;
}

/* The data route of a chart, with the one argument it reads. */
static void
chart_src(const struct chart_ctx *c, enum chart_kind k, char *url, size_t len)
{
	const char *arg = k == CH_ACHIEVEMENT ? entity_of(ENT_TARGET_SET)->name :
	    k == CH_SIGNED ? entity_of(ENT_PROGRAM)->name :
	    k == CH_QTY_AGREEMENT ? entity_of(ENT_AGREEMENT)->name : "unit";
	int64_t id = k == CH_ACHIEVEMENT ? c->target_set : k == CH_SIGNED ? c->program :
	    k == CH_QTY_AGREEMENT ? c->agreement : c->unit;

	/* the whole country: an empty unit */
	if (id == 0)
		snprintf(url, len, "/charts/data/%s?%s=", chart_names[k], arg);
	else
		snprintf(url, len, "/charts/data/%s?%s=%lld", chart_names[k], arg,
		    (long long)id);
}

/* The default agreement: the first that has activities (its chart is not
 * empty), else the first of the list. */
static int64_t
agreement_with_activities(struct request *r, json_t *agreements)
{
	struct list_query q;
	json_t *rows = NULL;
	int64_t id = 0;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_ACTIVITY_AGREEMENT_ID),
	    OP_NOTNULL, NULL };
	q.nfilters = 1;
	q.limit = 1;
	if (store_list(r->store, entity_of(ENT_ACTIVITY), &q, &rows, NULL, NULL) == 0)
		id = jrec_int(json_array_get(rows, 0), FLD_ACTIVITY_AGREEMENT_ID);
	json_decref(rows);
	return id > 0 ? id : first_id(agreements);
}

/* ---- routes ---------------------------------------------------------------- */

static void
get_charts(struct request *r)
{
	json_t *model, *charts = json_array(), *sets, *programs, *agreements, *units;
	struct chart_ctx c = { .r = r };
	struct view v;
	struct page pg;
	size_t k;

	view_init(&v, r);
	c.v = &v;
	if (chart_args(r, &c, true) != 0) {
		view_free(&v);
		json_decref(charts);
		return;
	}
	sets = choices(r, ENT_TARGET_SET, FLD_TARGET_SET_NAME);
	programs = choices(r, ENT_PROGRAM, FLD_PROGRAM_NAME);
	agreements = choices(r, ENT_AGREEMENT, FLD_AGREEMENT_TITLE);
	units = unit_choices(r, c.unit);
	if (c.target_set == 0)
		c.target_set = first_id(sets);
	if (c.program == 0)
		c.program = first_id(programs);
	if (c.agreement == 0)
		c.agreement = agreement_with_activities(r, agreements);
	for (k = 0; k < CH_KINDS; k++) {
		struct err e = { 0 };
		bool none;
		json_t *m = chart_build(&c, (enum chart_kind)k, &none, &e);
		char url[256];
		if (m == NULL) {
			/* one chart that fails does not take the page down */
			m = model_new(chart_names[k], "Biểu đồ", NULL, "bar", "", "");
			json_object_set_new(m, "remark", json_string(none ? "Chưa có bản ghi để "
			    "lập biểu đồ." : e.msg[0] ? e.msg : "không lập được biểu đồ"));
			json_object_set_new(m, "failed", json_true());
		}
		err_clear(&e);
		chart_src(&c, (enum chart_kind)k, url, sizeof(url));
		json_object_set_new(m, "src", json_string(url));
		json_array_append_new(charts, m);
	}
	model = json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}",
	    "charts", charts, "target_sets", sets, "programs", programs,
	    "agreements", agreements, "units", units,
	    "chosen_target_set", (json_int_t)c.target_set, "chosen_program", (json_int_t)c.program,
	    "chosen_agreement", (json_int_t)c.agreement, "chosen_unit", (json_int_t)c.unit);
	page_init(r, &pg, "Biểu đồ", "Biểu đồ");
	charts_page(&r->out, &pg, &v, model);
	page_done(r, 200);
	json_decref(model);
	view_free(&v);
}

static void
get_chart_data(struct request *r)
{
	const char *name = strrchr(r->path, '/') + 1;
	struct chart_ctx c = { .r = r };
	struct err e = { 0 };
	struct view v;
	json_t *m;
	size_t k;
	bool none;

	/* a data route: its errors are JSON too */
	r->html = false;
	for (k = 0; k < CH_KINDS; k++)
		if (name != NULL && strcmp(name, chart_names[k]) == 0)
			break;
	if (k == CH_KINDS) {
		resp_error_for(r, r->html, ERR_NOT_FOUND, "không có biểu đồ '%s'",
		    name ? name : "");
		return;
	}
	view_init(&v, r);
	c.v = &v;
	if (chart_args(r, &c, false) != 0) {
		view_free(&v);
		return;
	}
	m = chart_build(&c, (enum chart_kind)k, &none, &e);
	if (m == NULL && none)
		resp_error_for(r, r->html, ERR_BAD_REQUEST, "hãy chọn %s cho biểu đồ này",
		    k == CH_ACHIEVEMENT ? "một bộ chỉ tiêu (target_set)" : k == CH_SIGNED ?
		    "một chương trình (program)" : "một thỏa thuận (agreement)");
	else if (m == NULL)
		resp_error(r, &e);
	else
		resp_json(r, 200, m);
	r->no_store = true;
	err_clear(&e);
	view_free(&v);
}

const struct route charts_routes[] = {
	{ M_GET | M_HEAD, "/charts", get_charts, RT_HTML },
	/* one route per chart (and its own counts in /metrics) */
	{ M_GET | M_HEAD, "/charts/data/achievement", get_chart_data, RT_HTML },
	{ M_GET | M_HEAD, "/charts/data/signed", get_chart_data, RT_HTML },
	{ M_GET | M_HEAD, "/charts/data/quantities_agreement", get_chart_data, RT_HTML },
	{ M_GET | M_HEAD, "/charts/data/quantities_unit", get_chart_data, RT_HTML },
	{ M_GET | M_HEAD, "/charts/data/incidents", get_chart_data, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
