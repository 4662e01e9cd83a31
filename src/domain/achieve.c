/*
 * achieve.c - achievement of targets: ratios, bands, group rules,
 * aggregation over units (pure), and the target-set and roll-up views built
 * from the store.  See achieve.h for every rule.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/achieve.h"
#include "domain/expr.h"
#include "schema/record.h"
#include "schema/registry.h"
#include "text/text.h"

#define ACH_KEY_MAX 32   /* unit id as a JSON object key */

/* ---- codes ---------------------------------------------------------------- */

static const char *const direction_codes[] = {
	[DIR_HIGHER] = "higher", [DIR_LOWER] = "lower", [DIR_EXACT] = "exact",
	[DIR_YESNO] = "yesno",
};
static const char *const status_codes[] = {
	[ACH_OK] = "ok", [ACH_NO_TARGET] = "no_target",
	[ACH_NO_ACTUAL] = "no_actual", [ACH_ZERO_TARGET] = "zero_target",
	[ACH_NOT_COMPARABLE] = "not_comparable",
};
static const char *const band_codes[] = {
	[BAND_NONE] = "none", [BAND_LOW] = "low", [BAND_MID] = "mid",
	[BAND_HIGH] = "high",
};
static const char *const rule_codes[] = {
	[RULE_ALL] = "all", [RULE_MIN] = "min", [RULE_MEAN] = "mean",
	[RULE_WEIGHTED] = "weighted",
};
static const char *const agg_codes[] = {
	[AGG_SUM] = "sum", [AGG_MEAN] = "mean",
	[AGG_RATIO_OF_SUMS] = "ratio_of_sums", [AGG_MIN] = "min",
	[AGG_MAX] = "max", [AGG_LATEST] = "latest",
};

#define NCODES(a) (sizeof(a) / sizeof((a)[0]))

static int
code_index(const char *const *codes, size_t n, const char *code)
{
	size_t i;

	if (code == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return (int)i;
	return -1;
}

const char *
achieve_direction_code(enum ach_direction d)
{
	return (size_t)d < NCODES(direction_codes) ? direction_codes[d] : "?";
}

int
achieve_direction_parse(const char *code, enum ach_direction *d)
{
	int i = code_index(direction_codes, NCODES(direction_codes), code);

	if (i < 0)
		return -1;
	*d = (enum ach_direction)i;
	return 0;
}

const char *
achieve_status_code(enum ach_status st)
{
	return (size_t)st < NCODES(status_codes) ? status_codes[st] : "?";
}

const char *
achieve_band_code(enum ach_band b)
{
	return (size_t)b < NCODES(band_codes) ? band_codes[b] : "?";
}

const char *
achieve_rule_code(enum ach_rule r)
{
	return (size_t)r < NCODES(rule_codes) ? rule_codes[r] : "?";
}

int
achieve_rule_parse(const char *code, enum ach_rule *r)
{
	int i = code_index(rule_codes, NCODES(rule_codes), code);

	if (i < 0)
		return -1;
	*r = (enum ach_rule)i;
	return 0;
}

const char *
achieve_agg_code(enum ach_agg a)
{
	return (size_t)a < NCODES(agg_codes) ? agg_codes[a] : "?";
}

int
achieve_agg_parse(const char *code, enum ach_agg *a)
{
	int i = code_index(agg_codes, NCODES(agg_codes), code);

	if (i < 0)
		return -1;
	*a = (enum ach_agg)i;
	return 0;
}

/* ---- one indicator ------------------------------------------------------ */

static bool
missing(double x)
{
	return !isfinite(x);
}

static bool
same(double a, double b)
{
	return fabs(a - b) <= ACH_EPSILON * fmax(1.0, fabs(b));
}

static bool
yes(double x)
{
	return x >= 0.5;
}

enum ach_status
achieve_ratio(enum ach_direction d, double target, double actual, double *ratio)
{
	double r;

	if (missing(target))
		return ACH_NO_TARGET;
	if (missing(actual))
		return ACH_NO_ACTUAL;
	switch (d) {
	case DIR_HIGHER:
		if (target < 0)
			return ACH_NOT_COMPARABLE;
		if (target == 0)
			return ACH_ZERO_TARGET;
		r = actual / target * 100.0;
		break;
	case DIR_LOWER:
		if (target < 0 || actual < 0)
			return ACH_NOT_COMPARABLE;
		if (actual == 0 && target == 0) {
			r = 100.0; /* both zero: met exactly */
			break;
		}
		if (actual == 0)
			return ACH_ZERO_TARGET;
		r = target / actual * 100.0;
		break;
	case DIR_EXACT:
		if (same(actual, target))
			r = 100.0;
		else if (target == 0)
			return ACH_ZERO_TARGET;
		else
			r = fmax(0.0, 100.0 - fabs(actual - target) / fabs(target) *
			    100.0);
		break;
	case DIR_YESNO:
		r = yes(actual) == yes(target) ? 100.0 : 0.0;
		break;
	default:
		return ACH_NOT_COMPARABLE;
	}
	if (!isfinite(r))
		return ACH_NOT_COMPARABLE;
	*ratio = r;
	return ACH_OK;
}

enum ach_status
achieve_ratio_fraction(enum ach_direction d, double target_num,
    double target_den, double actual_num, double actual_den, double *ratio)
{
	double t = ACH_MISSING, a = ACH_MISSING;

	if (!missing(target_num) && !missing(target_den) && target_den != 0)
		t = target_num / target_den;
	if (!missing(actual_num) && !missing(actual_den) && actual_den != 0)
		a = actual_num / actual_den;
	return achieve_ratio(d, t, a, ratio);
}

bool
achieve_met(enum ach_direction d, double target, double actual)
{
	if (missing(target) || missing(actual))
		return false;
	switch (d) {
	case DIR_HIGHER:
		return actual >= target || same(actual, target);
	case DIR_LOWER:
		return actual <= target || same(actual, target);
	case DIR_EXACT:
		return same(actual, target);
	case DIR_YESNO:
		return yes(actual) == yes(target);
	}
	return false;
}

/* ---- bands ---------------------------------------------------------------- */

struct ach_thresholds
achieve_thresholds(double high, double mid)
{
	struct ach_thresholds t;

	t.high = missing(high) || high < 0 ? ACH_BAND_HIGH_DEFAULT : high;
	t.mid = missing(mid) || mid < 0 ? ACH_BAND_MID_DEFAULT : mid;
	if (t.mid > t.high)
		t.mid = t.high;
	return t;
}

enum ach_band
achieve_band(double ratio, double high, double mid)
{
	if (missing(ratio))
		return BAND_NONE;
	if (ratio >= high - ACH_EPSILON)
		return BAND_HIGH;
	if (ratio >= mid - ACH_EPSILON)
		return BAND_MID;
	return BAND_LOW;
}

enum ach_band
achieve_status_band(enum ach_status st, double ratio, bool met,
    const struct ach_thresholds *th)
{
	struct ach_thresholds def = achieve_thresholds(ACH_MISSING, ACH_MISSING);

	if (th == NULL)
		th = &def;
	if (st == ACH_OK)
		return achieve_band(ratio, th->high, th->mid);
	if (st == ACH_ZERO_TARGET)
		return met ? BAND_HIGH : BAND_LOW;
	return BAND_NONE;
}

/* A percentage the Vietnamese way: "100", "92,5", "99,38". */
static const char *
pct(double v, char *buf, size_t len)
{
	char *c;
	size_t n;

	if (fabs(v - round(v)) < 0.005) {
		snprintf(buf, len, "%.0f", round(v));
		return buf;
	}
	snprintf(buf, len, "%.2f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if ((c = strchr(buf, '.')) != NULL)
		*c = ',';
	return buf;
}

const char *
achieve_band_label(enum ach_band b, const struct ach_thresholds *th,
    char *buf, size_t len)
{
	struct ach_thresholds def = achieve_thresholds(ACH_MISSING, ACH_MISSING);
	char n[32];

	if (th == NULL)
		th = &def;
	switch (b) {
	case BAND_HIGH:
		snprintf(buf, len, "Đạt từ %s%% trở lên", pct(th->high, n, sizeof(n)));
		break;
	case BAND_MID:
		snprintf(buf, len, "Đạt từ %s%% trở lên", pct(th->mid, n, sizeof(n)));
		break;
	case BAND_LOW:
		snprintf(buf, len, "Dưới %s%%", pct(th->mid, n, sizeof(n)));
		break;
	default:
		snprintf(buf, len, "Chưa có số liệu");
		break;
	}
	return buf;
}

const char *
achieve_status_label(enum ach_status st, enum ach_direction d, double ratio,
    bool met, char *buf, size_t len)
{
	char n[32];

	switch (st) {
	case ACH_OK:
		if (d == DIR_YESNO)
			snprintf(buf, len, "%s", ratio >= 100.0 ? "Đã đạt" : "Chưa đạt");
		else
			snprintf(buf, len, "Đạt %s%% kế hoạch", pct(ratio, n, sizeof(n)));
		break;
	case ACH_ZERO_TARGET:
		if (d == DIR_LOWER)
			snprintf(buf, len, "Vượt kế hoạch (thực hiện bằng 0)");
		else if (met)
			snprintf(buf, len, "Kế hoạch bằng 0, đã đạt (không tính tỷ lệ)");
		else
			snprintf(buf, len, "Kế hoạch bằng 0, chưa đạt (không tính tỷ lệ)");
		break;
	case ACH_NO_TARGET:
		snprintf(buf, len, "Chưa có kế hoạch");
		break;
	case ACH_NO_ACTUAL:
		snprintf(buf, len, "Chưa có số liệu thực hiện");
		break;
	default:
		snprintf(buf, len, "Không so sánh được (số âm)");
		break;
	}
	return buf;
}

/* ---- groups ------------------------------------------------------------- */

void
achieve_group(enum ach_rule rule, const struct ach_item *items, size_t n,
    const struct ach_thresholds *th, struct ach_group_result *out)
{
	struct ach_thresholds def = achieve_thresholds(ACH_MISSING, ACH_MISSING);
	enum ach_band lowest = BAND_HIGH, zero_lowest = BAND_HIGH;
	double minr = INFINITY, sum = 0, wsum = 0, wtot = 0;
	size_t i, nratio = 0, nzero = 0;

	if (th == NULL)
		th = &def;
	memset(out, 0, sizeof(*out));
	out->band = BAND_NONE;
	for (i = 0; i < n; i++) {
		const struct ach_item *it = &items[i];
		double w;
		if (it->band == BAND_NONE) {
			out->missing++;
			continue;
		}
		out->judged++;
		if (it->band < lowest)
			lowest = it->band;
		if (it->status != ACH_OK || missing(it->ratio)) {
			nzero++;
			if (it->band < zero_lowest)
				zero_lowest = it->band;
			continue;
		}
		nratio++;
		minr = fmin(minr, it->ratio);
		sum += it->ratio;
		w = missing(it->weight) || it->weight < 0 ? 1.0 : it->weight;
		wsum += w * it->ratio;
		wtot += w;
	}
	if (nratio > 0) {
		out->has_ratio = true;
		switch (rule) {
		case RULE_ALL:
		case RULE_MIN:
			out->ratio = minr;
			break;
		case RULE_MEAN:
			out->ratio = sum / (double)nratio;
			break;
		case RULE_WEIGHTED:
			/* all weights zero: equal weights */
			out->ratio = wtot > 0 ? wsum / wtot : sum / (double)nratio;
			out->weight_sum = wtot;
			break;
		}
	}
	if (n == 0 || out->missing > 0 || out->judged == 0)
		return;
	switch (rule) {
	case RULE_ALL:
		out->band = lowest;
		break;
	case RULE_MIN:
	case RULE_MEAN:
	case RULE_WEIGHTED: {
		enum ach_band b = out->has_ratio ?
		    achieve_band(out->ratio, th->high, th->mid) : BAND_HIGH;
		/* zero-target indicators: in min by their band, in means only
		 * when nothing else is there */
		if (rule == RULE_MIN && nzero > 0 && zero_lowest < b)
			b = zero_lowest;
		if (!out->has_ratio)
			b = zero_lowest;
		out->band = b;
		break;
	}
	}
}

/* ---- aggregation ------------------------------------------------------- */

int
achieve_period_key(const char *period, const char *as_of, char key[11])
{
	struct vi_period p;

	key[0] = '\0';
	if (period == NULL || vi_parse_period(period, &p) != 0)
		return -1;
	memcpy(key, p.end, 11);
	if (as_of != NULL && vi_iso_date_valid(as_of) && strcmp(as_of, key) < 0)
		memcpy(key, as_of, 11);
	return 0;
}

int
achieve_period_cmp(const char *period_a, const char *as_of_a, int64_t seq_a,
    const char *period_b, const char *as_of_b, int64_t seq_b)
{
	struct vi_period pa, pb;
	char ka[11], kb[11];
	int c;

	achieve_period_key(period_a, as_of_a, ka);
	achieve_period_key(period_b, as_of_b, kb);
	c = strcmp(ka, kb);
	if (c != 0)
		return c;
	if (period_a != NULL && period_b != NULL &&
	    vi_parse_period(period_a, &pa) == 0 &&
	    vi_parse_period(period_b, &pb) == 0) {
		c = strcmp(pa.start, pb.start);
		if (c != 0)
			return c;
	}
	return seq_a < seq_b ? -1 : seq_a > seq_b ? 1 : 0;
}

enum ach_status
achieve_aggregate(enum ach_agg kind, const struct ach_point *p, size_t n,
    double *out, size_t *used)
{
	double acc = 0, sn = 0, sd = 0;
	size_t i, k = 0, best = 0;

	for (i = 0; i < n; i++) {
		if (kind == AGG_RATIO_OF_SUMS) {
			if (missing(p[i].num) || missing(p[i].den))
				continue;
			sn += p[i].num;
			sd += p[i].den;
			k++;
			continue;
		}
		if (missing(p[i].value))
			continue;
		switch (kind) {
		case AGG_SUM:
		case AGG_MEAN:
			acc += p[i].value;
			break;
		case AGG_MIN:
			acc = k == 0 ? p[i].value : fmin(acc, p[i].value);
			break;
		case AGG_MAX:
			acc = k == 0 ? p[i].value : fmax(acc, p[i].value);
			break;
		case AGG_LATEST: {
			int c = k == 0 ? 1 : strcmp(p[i].key, p[best].key);
			if (c > 0 || (c == 0 && p[i].seq > p[best].seq)) {
				best = i;
				acc = p[i].value;
			}
			break;
		}
		case AGG_RATIO_OF_SUMS:
			break;
		}
		k++;
	}
	if (used != NULL)
		*used = k;
	if (k == 0)
		return ACH_NO_ACTUAL;
	if (kind == AGG_RATIO_OF_SUMS) {
		if (sd == 0)
			return ACH_ZERO_TARGET;
		acc = sn / sd;
	} else if (kind == AGG_MEAN) {
		acc /= (double)k;
	}
	if (!isfinite(acc))
		return ACH_NOT_COMPARABLE;
	*out = acc;
	return ACH_OK;
}

/* ---- records ---------------------------------------------------------- */

static double
num(const json_t *rec, enum field_id f)
{
	json_t *v = json_object_get(rec, field_name(f));

	return json_is_number(v) ? json_number_value(v) : ACH_MISSING;
}

static const char *
str(const json_t *rec, enum field_id f)
{
	return jrec_str(rec, f);
}

static int64_t
id_of(const json_t *rec, enum field_id f)
{
	json_t *v = json_object_get(rec, field_name(f));

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The record's own id (a common column, not a field). */
static int64_t
row_id(const json_t *rec)
{
	json_t *v = json_object_get(rec, "id");

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* A number or null (never NaN in JSON). */
static json_t *
jnum(double v)
{
	return missing(v) ? json_null() : json_real(v);
}

/* Collect every row of a list into an array (borrowed rows are copied by
 * reference). */
static int
collect_row(void *ctx, json_t *row, struct err *e)
{
	(void)e;
	json_array_append(ctx, row);
	return 0;
}

static json_t *
list_by(struct store *s, enum entity_id entity, enum field_id field, int64_t id,
    enum field_id field2, int64_t id2, enum field_id sort, size_t max,
    struct err *e)
{
	const struct entity_def *ent = entity_of(entity);
	struct list_query q;
	json_t *rows = json_array(), *v1 = json_integer(id), *v2 = NULL;
	int rc;

	memset(&q, 0, sizeof(q));
	q.filters[0].field = field_name(field);
	q.filters[0].op = OP_EQ;
	q.filters[0].value = v1;
	q.nfilters = 1;
	if (field2 != FLD_NONE) {
		v2 = json_integer(id2);
		q.filters[1].field = field_name(field2);
		q.filters[1].op = OP_EQ;
		q.filters[1].value = v2;
		q.nfilters = 2;
	}
	q.sort = field_name(sort);
	rc = expr_list_each(s, ent, &q, max, collect_row, rows, e);
	json_decref(v1);
	json_decref(v2);
	if (rc != 0) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

/* Canonical code of a stored or given period; "" when unreadable (then
 * the text is compared as is). */
static const char *
canon(const char *period, char *buf, size_t len)
{
	struct vi_period p;

	if (period == NULL)
		return "";
	if (vi_parse_period(period, &p) == 0)
		snprintf(buf, len, "%s", p.code);
	else
		snprintf(buf, len, "%s", period);
	return buf;
}

static bool
period_is(const json_t *row, const char *code)
{
	char b[VI_PERIOD_CODE_MAX + 8];

	return strcmp(canon(str(row, FLD_INDICATOR_VALUE_PERIOD), b, sizeof(b)), code) == 0;
}

/* Is row later than best for "latest"? */
static bool
later(const json_t *row, const json_t *best)
{
	return best == NULL || achieve_period_cmp(str(row, FLD_INDICATOR_VALUE_PERIOD),
	    str(row, FLD_INDICATOR_VALUE_AS_OF), row_id(row), str(best, FLD_INDICATOR_VALUE_PERIOD),
	    str(best, FLD_INDICATOR_VALUE_AS_OF), row_id(best)) > 0;
}

/* What one indicator value says, evaluated. */
struct ivalue {
	double target, actual, ratio;
	enum ach_status status;
	enum ach_band band;
	bool met;
};

static void
evaluate(enum ach_direction d, bool fraction, double tn, double td, double an,
    double ad, double target, double actual, const struct ach_thresholds *th,
    struct ivalue *out)
{
	out->target = target;
	out->actual = actual;
	out->ratio = ACH_MISSING;
	if (fraction) {
		double t = td != 0 ? tn / td : ACH_MISSING;
		double a = ad != 0 ? an / ad : ACH_MISSING;
		out->status = achieve_ratio_fraction(d, tn, td, an, ad, &out->ratio);
		out->met = achieve_met(d, t, a);
	} else {
		out->status = achieve_ratio(d, target, actual, &out->ratio);
		out->met = achieve_met(d, target, actual);
	}
	if (out->status != ACH_OK)
		out->ratio = ACH_MISSING;
	out->band = achieve_status_band(out->status, out->ratio, out->met, th);
}

static void
set_labels(json_t *o, const struct ivalue *v, enum ach_direction d,
    const struct ach_thresholds *th)
{
	char b[ACH_LABEL_MAX];

	json_object_set_new(o, "ratio", jnum(v->ratio));
	json_object_set_new(o, "status", json_string(achieve_status_code(v->status)));
	json_object_set_new(o, "band", json_string(achieve_band_code(v->band)));
	json_object_set_new(o, "band_label",
	    json_string(achieve_band_label(v->band, th, b, sizeof(b))));
	json_object_set_new(o, "status_label", json_string(achieve_status_label(
	    v->status, d, v->ratio, v->met, b, sizeof(b))));
}

/* Copy a member to the output, as null when absent. */
static void
copy_member(json_t *dst, const char *key, const json_t *src, const char *member)
{
	json_t *v = src != NULL ? json_object_get(src, member) : NULL;

	json_object_set_new(dst, key, v != NULL ? json_incref(v) : json_null());
}

/* Copy field f of src to the output under key. */
static void
copy(json_t *dst, const char *key, const json_t *src, enum field_id f)
{
	copy_member(dst, key, src, field_name(f));
}

/* Copy field f of src to the output under its own name. */
static void
copy_f(json_t *dst, const json_t *src, enum field_id f)
{
	copy_member(dst, field_name(f), src, field_name(f));
}

/* Copy the record's id (a common column) to the output under key. */
static void
copy_id(json_t *dst, const char *key, const json_t *src)
{
	copy_member(dst, key, src, "id");
}

static bool
truthy(const json_t *rec, const char *field)
{
	return json_is_true(json_object_get(rec, field));
}
/* The indicator's part of an achievement row (the set's rows and a
 * roll-up's): id, code, name, unit, direction, value kind. */
static void
indicator_head(json_t *o, const json_t *ind, enum ach_direction d)
{
	copy_id(o, "id", ind);
	copy_f(o, ind, FLD_INDICATOR_CODE);
	copy_f(o, ind, FLD_INDICATOR_NAME);
	copy_f(o, ind, FLD_INDICATOR_UNIT_OF_MEASURE);
	json_object_set_new(o, field_name(FLD_INDICATOR_DIRECTION),
	    json_string(achieve_direction_code(d)));
	copy_f(o, ind, FLD_INDICATOR_VALUE_KIND);
}


/* One indicator of a target set: its value for unit and period. */
static json_t *
indicator_view(struct store *s, const json_t *ind, int64_t unit,
    const char *pcode, const char *term, const struct ach_thresholds *th,
    struct ach_item *item, struct err *e)
{
	enum ach_direction d = DIR_HIGHER;
	const char *kind = str(ind, FLD_INDICATOR_VALUE_KIND), *expr = str(ind, FLD_INDICATOR_EXPRESSION);
	json_t *vals, *row, *chosen = NULL, *o;
	struct ivalue v;
	double an, ad, tn, td, actual;
	bool fraction, computed = false;
	size_t i;

	achieve_direction_parse(str(ind, FLD_INDICATOR_DIRECTION), &d);
	vals = list_by(s, ENT_INDICATOR_VALUE, FLD_INDICATOR_VALUE_INDICATOR_ID,
	    row_id(ind), FLD_INDICATOR_VALUE_UNIT_ID, unit, FLD_NONE,
	    ACH_VALUES_MAX, e);
	if (vals == NULL)
		return NULL;
	json_array_foreach(vals, i, row) {
		if (pcode != NULL ? period_is(row, pcode) : later(row, chosen))
			chosen = row;
	}
	o = json_object();
	indicator_head(o, ind, d);
	copy_id(o, "value_id", chosen);
	copy_f(o, chosen, FLD_INDICATOR_VALUE_PERIOD);
	copy_f(o, chosen, FLD_INDICATOR_VALUE_AS_OF);
	copy_f(o, chosen, FLD_INDICATOR_VALUE_QUALIFIER);
	copy(o, "value_status", chosen, FLD_INDICATOR_VALUE_STATUS);

	actual = num(chosen, FLD_INDICATOR_VALUE_ACTUAL);
	if (expr != NULL && *expr != '\0' && missing(actual)) {
		const char *per = chosen != NULL ? str(chosen, FLD_INDICATOR_VALUE_PERIOD) :
		    pcode != NULL ? pcode : term;
		struct err ee = { 0 };
		double val;
		if (expr_eval(s, expr, unit, per, &val, &ee) == 0) {
			actual = val;
			computed = true;
		} else {
			json_object_set_new(o, "expression_error", json_string(ee.msg));
		}
		err_clear(&ee);
	}
	an = num(chosen, FLD_INDICATOR_VALUE_NUMERATOR);
	ad = num(chosen, FLD_INDICATOR_VALUE_DENOMINATOR);
	tn = num(chosen, FLD_INDICATOR_VALUE_TARGET_NUMERATOR);
	td = num(chosen, FLD_INDICATOR_VALUE_TARGET_DENOMINATOR);
	fraction = kind != NULL && strcmp(kind, "ratio") == 0 && !computed &&
	    !missing(an) && !missing(ad) && !missing(tn) && !missing(td);
	evaluate(d, fraction, tn, td, an, ad, num(chosen, FLD_INDICATOR_VALUE_TARGET), actual, th, &v);
	json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_TARGET), jnum(v.target));
	json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_ACTUAL), jnum(v.actual));
	/* "30/41 trường": the count and its total as the report wrote them,
	 * also when no target fraction is known */
	if (kind != NULL && strcmp(kind, "ratio") == 0 && !computed &&
	    !missing(an) && !missing(ad)) {
		json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_NUMERATOR),
		    jnum(an));
		json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_DENOMINATOR),
		    jnum(ad));
	}
	if (fraction) {
		json_object_set_new(o,
		    field_name(FLD_INDICATOR_VALUE_TARGET_NUMERATOR), jnum(tn));
		json_object_set_new(o,
		    field_name(FLD_INDICATOR_VALUE_TARGET_DENOMINATOR), jnum(td));
	}
	json_object_set_new(o, "computed", json_boolean(computed));
	set_labels(o, &v, d, th);
	json_object_set_new(o, "illustrative", json_boolean(truthy(ind,
	    "illustrative") || (chosen != NULL && truthy(chosen, "illustrative"))));
	item->status = v.status;
	item->ratio = v.ratio;
	item->band = v.band;
	item->weight = num(ind, FLD_INDICATOR_WEIGHT);
	json_decref(vals);
	return o;
}

/* ---- a target set rolled up at a unit or over the country ---------------- */

/* unit id -> value, open addressing (ids are > 0; 0 marks a free slot) */
struct umap {
	int64_t *k, *v;
	size_t cap, n;
};

static size_t
umap_slot(const struct umap *m, int64_t k)
{
	size_t i = (size_t)((uint64_t)k * UINT64_C(0x9E3779B97F4A7C15) >> 20) &
	    (m->cap - 1);

	while (m->k[i] != 0 && m->k[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
umap_put(struct umap *m, int64_t k, int64_t v)
{
	size_t i;

	if (k <= 0)
		return 0;
	if ((m->n + 1) * 2 > m->cap) {
		struct umap g = { NULL, NULL, m->cap ? m->cap * 2 : 1024, 0 };
		g.k = calloc(g.cap, sizeof(*g.k));
		g.v = calloc(g.cap, sizeof(*g.v));
		if (g.k == NULL || g.v == NULL) {
			free(g.k);
			free(g.v);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->k[i] != 0) {
				size_t j = umap_slot(&g, m->k[i]);
				g.k[j] = m->k[i];
				g.v[j] = m->v[i];
				g.n++;
			}
		free(m->k);
		free(m->v);
		*m = g;
	}
	i = umap_slot(m, k);
	if (m->k[i] == 0)
		m->n++;
	m->k[i] = k;
	m->v[i] = v;
	return 0;
}

static bool
umap_get(const struct umap *m, int64_t k, int64_t *v)
{
	size_t i;

	if (m->cap == 0 || k <= 0)
		return false;
	i = umap_slot(m, k);
	if (m->k[i] == 0)
		return false;
	if (v != NULL)
		*v = m->v[i];
	return true;
}

static void
umap_clear(struct umap *m)
{
	if (m->cap > 0) {
		memset(m->k, 0, m->cap * sizeof(*m->k));
		m->n = 0;
	}
}

static void
umap_free(struct umap *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* One value as the roll-up needs it. */
struct srow {
	int64_t id, unit;
	char period[VI_PERIOD_CODE_MAX + 8], as_of[11];
	double target, actual, num, den, tnum, tden;
};

/* What an indicator rolls up to, and the values read for it. */
struct sres {
	int64_t indicator_id;
	enum ach_agg agg;
	bool percent;
	double value, target;
	size_t used, rows;
	int64_t own_id;      /* the unit's own value, 0 = none */
	struct srow *vals, own;
	size_t n, cap;
	bool has_own;
};

struct scoped {
	int64_t scope;       /* the unit; 0 = the whole country */
	const char *pcode;
	struct umap parents; /* unit -> parent, for the units within */
	struct umap picked;  /* units with a value (of the indicator finished) */
	struct sres *res, *cur;
	size_t nres;
	struct ach_point *vpts, *tpts;
	size_t ptcap;
	bool oom;
};

static int
parent_pair(void *ctx, int64_t id, int64_t parent)
{
	struct scoped *sc = ctx;

	if (umap_put(&sc->parents, id, parent) != 0) {
		sc->oom = true;
		return 1;
	}
	return 0;
}

static bool
srow_later(const struct srow *a, const struct srow *b)
{
	return achieve_period_cmp(a->period, a->as_of[0] ? a->as_of : NULL, a->id,
	    b->period, b->as_of[0] ? b->as_of : NULL, b->id) > 0;
}

/* The roll-up of the values read for r (achieve_rollup's rules). */
static void
scoped_finish(struct scoped *sc, struct sres *r)
{
	size_t i, k = 0;

	umap_clear(&sc->picked);
	for (i = 0; i < r->n; i++)
		if (umap_put(&sc->picked, r->vals[i].unit, 1) != 0)
			sc->oom = true;
	if (r->n > sc->ptcap) {
		free(sc->vpts);
		free(sc->tpts);
		sc->ptcap = r->n;
		sc->vpts = calloc(sc->ptcap, sizeof(*sc->vpts));
		sc->tpts = calloc(sc->ptcap, sizeof(*sc->tpts));
		if (sc->vpts == NULL || sc->tpts == NULL) {
			sc->oom = true;
			sc->ptcap = 0;
			return;
		}
	}
	for (i = 0; i < r->n; i++) {
		const struct srow *w = &r->vals[i];
		int64_t up = w->unit, p;
		bool covered = false;
		/* a unit above with a figure of its own already counts it */
		while (!covered && umap_get(&sc->parents, up, &p) && p > 0 &&
		    p != up && p != sc->scope) {
			if (umap_get(&sc->picked, p, NULL))
				covered = true;
			up = p;
		}
		if (covered)
			continue;
		sc->vpts[k].value = missing(w->actual) ? w->num : w->actual;
		sc->vpts[k].num = w->num;
		sc->vpts[k].den = w->den;
		sc->tpts[k].value = w->target;
		sc->tpts[k].num = w->tnum;
		sc->tpts[k].den = w->tden;
		achieve_period_key(w->period, w->as_of[0] ? w->as_of : NULL,
		    sc->vpts[k].key);
		memcpy(sc->tpts[k].key, sc->vpts[k].key, sizeof(sc->tpts[k].key));
		sc->vpts[k].seq = sc->tpts[k].seq = w->id;
		k++;
	}
	r->rows = k;
	r->value = r->target = ACH_MISSING;
	if (achieve_aggregate(r->agg, sc->vpts, k, &r->value, &r->used) != ACH_OK)
		r->value = ACH_MISSING;
	else if (r->agg == AGG_RATIO_OF_SUMS && r->percent)
		r->value *= 100.0;
	if (r->used == 0)
		r->value = r->has_own ? r->own.actual : ACH_MISSING;
	r->target = r->has_own ? r->own.target : ACH_MISSING;
	if (missing(r->target) && k > 0) {
		if (achieve_aggregate(r->agg, sc->tpts, k, &r->target, NULL) != ACH_OK)
			r->target = ACH_MISSING;
		else if (r->agg == AGG_RATIO_OF_SUMS && r->percent)
			r->target *= 100.0;
	}
	r->own_id = r->has_own ? r->own.id : 0;
	free(r->vals);
	r->vals = NULL;
	r->n = r->cap = 0;
}

static void
srow_from(struct srow *w, const struct store_scoped_value *v)
{
	w->id = v->id;
	w->unit = v->unit_id;
	snprintf(w->period, sizeof(w->period), "%s", v->period ? v->period : "");
	snprintf(w->as_of, sizeof(w->as_of), "%s", v->as_of ? v->as_of : "");
	w->target = v->target;
	w->actual = v->actual;
	w->num = v->numerator;
	w->den = v->denominator;
	w->tnum = v->target_numerator;
	w->tden = v->target_denominator;
}

static int
scoped_value(void *ctx, const struct store_scoped_value *v)
{
	struct scoped *sc = ctx;
	struct sres *r = sc->cur;
	struct srow w;
	size_t i;

	/* values come indicator by indicator in practice: the last one
	 * found is tried first */
	if (r == NULL || r->indicator_id != v->indicator_id) {
		r = NULL;
		for (i = 0; i < sc->nres && r == NULL; i++)
			if (sc->res[i].indicator_id == v->indicator_id)
				r = &sc->res[i];
		if (r == NULL)
			return 0;
		sc->cur = r;
	}
	if (sc->pcode != NULL && (v->period == NULL || strcmp(v->period,
	    sc->pcode) != 0)) {
		char b[VI_PERIOD_CODE_MAX + 8];
		if (strcmp(canon(v->period, b, sizeof(b)), sc->pcode) != 0)
			return 0;
	}
	srow_from(&w, v);
	if (sc->scope > 0 && v->unit_id == sc->scope) {
		if (sc->pcode != NULL || !r->has_own || srow_later(&w, &r->own)) {
			r->own = w;
			r->has_own = true;
		}
		return 0;
	}
	/* no period: each unit's latest value (rows come by unit) */
	if (sc->pcode == NULL && r->n > 0 && r->vals[r->n - 1].unit == w.unit) {
		if (srow_later(&w, &r->vals[r->n - 1]))
			r->vals[r->n - 1] = w;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct srow *g = realloc(r->vals, cap * sizeof(*g));
		if (g == NULL) {
			sc->oom = true;
			return 1;
		}
		r->vals = g;
		r->cap = cap;
	}
	r->vals[r->n++] = w;
	return 0;
}

/* An indicator of a target set, rolled up (scoped_finish's result). */
static json_t *
scoped_view(const json_t *ind, const struct sres *r, const char *pcode,
    const struct ach_thresholds *th, struct ach_item *item)
{
	enum ach_direction d = DIR_HIGHER;
	struct ivalue v;
	json_t *o = json_object();

	achieve_direction_parse(str(ind, FLD_INDICATOR_DIRECTION), &d);
	evaluate(d, false, 0, 0, 0, 0, r ? r->target : ACH_MISSING,
	    r ? r->value : ACH_MISSING, th, &v);
	indicator_head(o, ind, d);
	json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_PERIOD),
	    pcode ? json_string(pcode) : json_null());
	json_object_set_new(o, field_name(FLD_INDICATOR_AGGREGATION),
	    json_string(achieve_agg_code(r ? r->agg : AGG_SUM)));
	json_object_set_new(o, "count", json_integer(r ? (json_int_t)r->used : 0));
	json_object_set_new(o, "own_value_id", r && r->own_id > 0 ?
	    json_integer(r->own_id) : json_null());
	json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_TARGET), jnum(v.target));
	json_object_set_new(o, field_name(FLD_INDICATOR_VALUE_ACTUAL), jnum(v.actual));
	json_object_set_new(o, "computed", json_false());
	set_labels(o, &v, d, th);
	json_object_set_new(o, "illustrative", json_boolean(truthy(ind,
	    "illustrative")));
	item->status = v.status;
	item->ratio = v.ratio;
	item->band = v.band;
	item->weight = num(ind, FLD_INDICATOR_WEIGHT);
	return o;
}

/* Read every value of the set's indicators within the unit in one query
 * and roll each indicator up. */
static int
scoped_read(struct store *s, int64_t target_set_id, struct scoped *sc,
    struct err *e)
{
	size_t i;
	int rc;

	if (store_units_within(s, sc->scope, parent_pair, sc, e) != 0)
		return -1;
	rc = store_target_set_values(s, target_set_id, sc->scope, sc->pcode,
	    scoped_value, sc, e);
	for (i = 0; rc == 0 && i < sc->nres; i++)
		scoped_finish(sc, &sc->res[i]);
	if (rc == 0 && sc->oom)
		rc = err_set(e, ERR_INTERNAL, "không đủ bộ nhớ");
	return rc;
}

static void
scoped_free(struct scoped *sc)
{
	size_t i;

	umap_free(&sc->parents);
	umap_free(&sc->picked);
	for (i = 0; i < sc->nres; i++)
		free(sc->res[i].vals);
	free(sc->res);
	free(sc->vpts);
	free(sc->tpts);
}

/* The target set's achievement: at == 0 with the values of its own unit,
 * else rolled up at unit `at` or over the country (ACH_NATION). */
static json_t *
target_set_build(struct store *s, int64_t target_set_id, const char *period,
    int64_t at, struct err *e)
{
	const struct entity_def *ts_ent = entity_of(ENT_TARGET_SET);
	struct ach_item *items = NULL;
	struct ach_thresholds th;
	struct vi_period vp;
	enum ach_rule rule = RULE_ALL;
	json_t *ts, *groups = NULL, *out = NULL, *gout, *g;
	size_t counts[4] = { 0, 0, 0, 0 }, i;
	char term[VI_PERIOD_CODE_MAX + 8], label[ACH_LABEL_MAX * 2];
	const char *pcode = NULL;
	int64_t unit;
	struct scoped sc;
	json_t *group_inds = NULL;

	memset(&sc, 0, sizeof(sc));
	if (period != NULL) {
		if (vi_parse_period(period, &vp) != 0) {
			err_set(e, ERR_BAD_REQUEST, "kỳ '%s' không hợp lệ", period);
			return NULL;
		}
		pcode = vp.code;
	}
	ts = store_get(s, ts_ent, target_set_id, e);
	if (ts == NULL)
		return NULL;
	unit = id_of(ts, FLD_TARGET_SET_UNIT_ID);
	achieve_rule_parse(str(ts, FLD_TARGET_SET_GROUP_RULE), &rule);
	th = achieve_thresholds(num(ts, FLD_TARGET_SET_BAND_HIGH), num(ts, FLD_TARGET_SET_BAND_MID));
	snprintf(term, sizeof(term), "%lld-%lld",
	    (long long)id_of(ts, FLD_TARGET_SET_TERM_START), (long long)id_of(ts, FLD_TARGET_SET_TERM_END));
	groups = list_by(s, ENT_TARGET_GROUP, FLD_TARGET_GROUP_TARGET_SET_ID,
	    target_set_id, FLD_NONE, 0, FLD_TARGET_GROUP_NUMBER, ACH_GROUPS_MAX,
	    e);
	if (groups == NULL)
		goto fail;
	items = calloc(ACH_INDICATORS_MAX, sizeof(*items));
	if (items == NULL) {
		err_set(e, ERR_INTERNAL, "không đủ bộ nhớ");
		goto fail;
	}
	/* the indicators of each group, read once */
	group_inds = json_array();
	json_array_foreach(groups, i, g) {
		json_t *inds = list_by(s, ENT_INDICATOR, FLD_INDICATOR_TARGET_GROUP_ID,
		    row_id(g), FLD_NONE, 0, FLD_NONE, ACH_INDICATORS_MAX, e);
		if (inds == NULL)
			goto fail;
		json_array_append_new(group_inds, inds);
	}
	if (at != 0) {
		json_t *inds, *ind;
		size_t j, n = 0;
		json_array_foreach(group_inds, i, inds)
			n += json_array_size(inds);
		sc.scope = at > 0 ? at : 0;
		sc.pcode = pcode;
		sc.res = calloc(n > 0 ? n : 1, sizeof(*sc.res));
		if (sc.res == NULL) {
			err_set(e, ERR_INTERNAL, "không đủ bộ nhớ");
			goto fail;
		}
		json_array_foreach(group_inds, i, inds)
			json_array_foreach(inds, j, ind) {
				struct sres *r = &sc.res[sc.nres++];
				const char *kind = str(ind, FLD_INDICATOR_VALUE_KIND);
				r->indicator_id = row_id(ind);
				r->agg = AGG_SUM;
				achieve_agg_parse(str(ind, FLD_INDICATOR_AGGREGATION), &r->agg);
				r->percent = kind != NULL && strcmp(kind, "percent") == 0;
				r->value = r->target = ACH_MISSING;
			}
		if (scoped_read(s, target_set_id, &sc, e) != 0)
			goto fail;
		unit = at;
	}
	gout = json_array();
	out = json_object();
	{
		json_t *t = json_object();
		copy_id(t, "id", ts);
		copy_f(t, ts, FLD_TARGET_SET_NAME);
		copy_f(t, ts, FLD_TARGET_SET_UNIT_ID);
		copy_f(t, ts, FLD_TARGET_SET_TERM_START);
		copy_f(t, ts, FLD_TARGET_SET_TERM_END);
		json_object_set_new(out, ts_ent->name, t);
	}
	json_object_set_new(out, field_name(FLD_INDICATOR_VALUE_PERIOD),
	    pcode != NULL ? json_string(pcode) : json_null());
	json_object_set_new(out, "rule", json_string(achieve_rule_code(rule)));
	if (at != 0)
		json_object_set_new(out, "rolled_up_at", at > 0 ?
		    json_integer(at) : json_string("nation"));
	json_object_set_new(out, "thresholds", json_pack("{s:f,s:f}", "high",
	    th.high, "mid", th.mid));
	json_object_set_new(out, "groups", gout);
	json_array_foreach(groups, i, g) {
		struct ach_group_result r;
		json_t *inds, *ind, *go, *iout, *weights = NULL;
		size_t j, n = 0;
		inds = json_incref(json_array_get(group_inds, i));
		iout = json_array();
		if (rule == RULE_WEIGHTED)
			weights = json_array();
		json_array_foreach(inds, j, ind) {
			json_t *iv;
			if (at != 0) {
				const struct sres *sr = NULL;
				size_t x;
				for (x = 0; x < sc.nres; x++)
					if (sc.res[x].indicator_id == row_id(ind))
						sr = &sc.res[x];
				iv = scoped_view(ind, sr, pcode, &th, &items[n]);
			} else {
				iv = indicator_view(s, ind, unit, pcode, term, &th,
				    &items[n], e);
			}
			if (iv == NULL) {
				json_decref(inds);
				json_decref(iout);
				json_decref(weights);
				goto fail;
			}
			json_array_append_new(iout, iv);
			if (weights != NULL)
				json_array_append_new(weights, json_pack("{s:O,s:f}",
				    field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
				    json_object_get(ind, "id"),
				    field_name(FLD_INDICATOR_WEIGHT),
				    missing(items[n].weight) || items[n].weight < 0 ? 1.0 :
				    items[n].weight));
			n++;
		}
		json_decref(inds);
		achieve_group(rule, items, n, &th, &r);
		counts[r.band]++;
		go = json_object();
		copy_id(go, "id", g);
		copy_f(go, g, FLD_TARGET_GROUP_NUMBER);
		copy_f(go, g, FLD_TARGET_GROUP_NAME);
		json_object_set_new(go, "rule", json_string(achieve_rule_code(rule)));
		/* an unjudged group has no ratio; that of the indicators
		 * with data is given apart */
		json_object_set_new(go, "ratio", r.has_ratio && r.band != BAND_NONE ?
		    json_real(r.ratio) : json_null());
		if (r.has_ratio && r.band == BAND_NONE)
			json_object_set_new(go, "partial_ratio", json_real(r.ratio));
		json_object_set_new(go, "band", json_string(achieve_band_code(r.band)));
		if (r.band == BAND_NONE && n > 0)
			snprintf(label, sizeof(label), "Chưa đủ số liệu (%zu/%zu chỉ "
			    "tiêu chưa có)", r.missing, n);
		else
			achieve_band_label(r.band, &th, label, sizeof(label));
		json_object_set_new(go, "band_label", json_string(label));
		json_object_set_new(go, "complete", json_boolean(r.missing == 0 &&
		    n > 0));
		json_object_set_new(go, "missing", json_integer((json_int_t)r.missing));
		json_object_set_new(go, "illustrative", json_boolean(truthy(g,
		    "illustrative")));
		if (weights != NULL) {
			json_object_set_new(go, "weights", weights);
			json_object_set_new(go, "weight_sum", json_real(r.weight_sum));
		}
		json_object_set_new(go, "indicators", iout);
		json_array_append_new(gout, go);
	}
	{
		size_t total = json_array_size(groups);
		char hi[32], mid[32];
		struct buf b;
		json_object_set_new(out, "bands", json_pack("{s:I,s:I,s:I,s:I,s:I}",
		    "high", (json_int_t)counts[BAND_HIGH],
		    "mid", (json_int_t)counts[BAND_MID],
		    "low", (json_int_t)counts[BAND_LOW],
		    "none", (json_int_t)counts[BAND_NONE], "total", (json_int_t)total));
		pct(th.high, hi, sizeof(hi));
		pct(th.mid, mid, sizeof(mid));
		buf_init(&b, ACH_LABEL_MAX * 4);
		buf_addf(&b, "%zu/%zu nhóm mục tiêu đạt từ %s%% trở lên; %zu/%zu "
		    "nhóm đạt từ %s%% trở lên", counts[BAND_HIGH], total, hi,
		    counts[BAND_MID], total, mid);
		if (counts[BAND_LOW] > 0)
			buf_addf(&b, "; %zu/%zu nhóm dưới %s%%", counts[BAND_LOW], total,
			    mid);
		if (counts[BAND_NONE] > 0)
			buf_addf(&b, "; %zu/%zu nhóm chưa đủ số liệu", counts[BAND_NONE],
			    total);
		json_object_set_new(out, "summary", json_string(buf_str(&b)));
		buf_free(&b);
	}
	free(items);
	scoped_free(&sc);
	json_decref(group_inds);
	json_decref(groups);
	json_decref(ts);
	return out;
fail:
	free(items);
	scoped_free(&sc);
	json_decref(group_inds);
	json_decref(groups);
	json_decref(out);
	json_decref(ts);
	return NULL;
}

json_t *
achieve_target_set(struct store *s, int64_t target_set_id, const char *period,
    struct err *e)
{
	return target_set_build(s, target_set_id, period, 0, e);
}

json_t *
achieve_target_set_at(struct store *s, int64_t target_set_id,
    const char *period, int64_t unit, struct err *e)
{
	if (unit == 0)
		return target_set_build(s, target_set_id, period, 0, e);
	if (unit > 0 && !store_exists(s, entity_of(ENT_ADMIN_UNIT), unit)) {
		err_set(e, ERR_NOT_FOUND, "không có đơn vị hành chính số %lld",
		    (long long)unit);
		return NULL;
	}
	return target_set_build(s, target_set_id, period, unit > 0 ? unit :
	    ACH_NATION, e);
}

/* ---- roll-up ------------------------------------------------------------- */

struct rollup {
	struct store *s;
	int64_t scope;
	const char *pcode;  /* canonical period or NULL */
	json_t *units;      /* "id" -> {within, lineage} */
	json_t *own;        /* the scope unit's own value (ref) */
	json_t *picked;     /* period: array of rows; else "unit" -> row */
	size_t seen;
};

/* Whether a unit counts for the scope, and whether only by the lineage.
 * The cache entry also keeps the unit's ancestors ("anc": ids). */
static json_t *
unit_info(struct rollup *r, int64_t u)
{
	char key[ACH_KEY_MAX];
	json_t *hit;

	snprintf(key, sizeof(key), "%lld", (long long)u);
	hit = json_object_get(r->units, key);
	if (hit == NULL) {
		bool within = store_unit_within(r->s, u, r->scope), direct = false;
		json_t *anc = json_array();
		if (within) {
			struct err ee = { 0 };
			json_t *rows = store_unit_ancestors(r->s, u, &ee), *a;
			size_t i;
			json_array_foreach(rows, i, a) {
				int64_t aid = row_id(a);
				if (aid == r->scope)
					direct = true;
				if (aid != u)
					json_array_append_new(anc, json_integer(aid));
			}
			json_decref(rows);
			err_clear(&ee);
		}
		hit = json_pack("{s:b,s:b,s:o}", "within", within, "lineage",
		    within && !direct, "anc", anc);
		json_object_set_new(r->units, key, hit);
	}
	return hit;
}

static bool
unit_within(struct rollup *r, int64_t u)
{
	return json_is_true(json_object_get(unit_info(r, u), "within"));
}

/* The id of a picked unit above u (u's figure is then part of it), or 0. */
static int64_t
covered_by(struct rollup *r, int64_t u, json_t *picked_units)
{
	json_t *anc = json_object_get(unit_info(r, u), "anc"), *a;
	size_t i;

	json_array_foreach(anc, i, a) {
		char key[ACH_KEY_MAX];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(a));
		if (json_object_get(picked_units, key) != NULL)
			return json_integer_value(a);
	}
	return 0;
}

static int
rollup_row(void *ctx, json_t *row, struct err *e)
{
	struct rollup *r = ctx;
	int64_t u = id_of(row, FLD_INDICATOR_VALUE_UNIT_ID);
	char key[ACH_KEY_MAX];

	(void)e;
	if (r->pcode != NULL && !period_is(row, r->pcode))
		return 0;
	if (u == r->scope) {
		if (r->pcode != NULL || later(row, r->own)) {
			json_decref(r->own);
			r->own = json_incref(row);
		}
		return 0;
	}
	if (!unit_within(r, u))
		return 0;
	if (r->pcode != NULL) {
		json_array_append(r->picked, row);
		return 0;
	}
	snprintf(key, sizeof(key), "%lld", (long long)u);
	if (later(row, json_object_get(r->picked, key)))
		json_object_set(r->picked, key, row);
	return 0;
}

json_t *
achieve_rollup(struct store *s, int64_t indicator_id, int64_t unit_id,
    const char *period, struct err *e)
{
	const struct entity_def *units = entity_of(ENT_ADMIN_UNIT);
	struct rollup r;
	struct vi_period vp;
	struct list_query q;
	struct ach_point *vpts = NULL, *tpts = NULL;
	enum ach_agg agg = AGG_SUM;
	enum ach_direction d = DIR_HIGHER;
	json_t *ind, *rows, *row, *list, *out = NULL, *idv, *punits;
	const char *kind;
	double value = ACH_MISSING, target = ACH_MISSING;
	size_t i, k, n, used = 0;
	bool percent;
	struct ivalue v;

	memset(&r, 0, sizeof(r));
	if (period != NULL) {
		if (vi_parse_period(period, &vp) != 0) {
			err_set(e, ERR_BAD_REQUEST, "kỳ '%s' không hợp lệ", period);
			return NULL;
		}
		r.pcode = vp.code;
	}
	ind = store_get(s, entity_of(ENT_INDICATOR), indicator_id, e);
	if (ind == NULL)
		return NULL;
	if (!store_exists(s, units, unit_id)) {
		err_set(e, ERR_NOT_FOUND, "không có đơn vị hành chính số %lld",
		    (long long)unit_id);
		json_decref(ind);
		return NULL;
	}
	achieve_agg_parse(str(ind, FLD_INDICATOR_AGGREGATION), &agg);
	achieve_direction_parse(str(ind, FLD_INDICATOR_DIRECTION), &d);
	kind = str(ind, FLD_INDICATOR_VALUE_KIND);
	percent = kind != NULL && strcmp(kind, "percent") == 0;
	r.s = s;
	r.scope = unit_id;
	r.units = json_object();
	r.picked = r.pcode != NULL ? json_array() : json_object();
	memset(&q, 0, sizeof(q));
	idv = json_integer(indicator_id);
	q.filters[0].field = field_name(FLD_INDICATOR_VALUE_INDICATOR_ID);
	q.filters[0].op = OP_EQ;
	q.filters[0].value = idv;
	q.nfilters = 1;
	if (expr_list_each(s, entity_of(ENT_INDICATOR_VALUE), &q, ACH_VALUES_MAX,
	    rollup_row, &r, e) != 0) {
		json_decref(idv);
		goto done;
	}
	json_decref(idv);

	/* the rows below the unit, as an array */
	if (r.pcode != NULL) {
		rows = json_incref(r.picked);
	} else {
		const char *ukey;
		rows = json_array();
		json_object_foreach(r.picked, ukey, row)
			json_array_append(rows, row);
	}
	n = json_array_size(rows);
	vpts = calloc(n > 0 ? n : 1, sizeof(*vpts));
	tpts = calloc(n > 0 ? n : 1, sizeof(*tpts));
	if (vpts == NULL || tpts == NULL) {
		json_decref(rows);
		err_set(e, ERR_INTERNAL, "không đủ bộ nhớ");
		goto done;
	}
	/* units that have a figure of their own, to leave out those below */
	punits = json_object();
	json_array_foreach(rows, i, row) {
		char key[ACH_KEY_MAX];
		snprintf(key, sizeof(key), "%lld", (long long)id_of(row, FLD_INDICATOR_VALUE_UNIT_ID));
		json_object_set_new(punits, key, json_true());
	}
	list = json_array();
	k = 0;
	json_array_foreach(rows, i, row) {
		struct err ee = { 0 };
		int64_t uid = id_of(row, FLD_INDICATOR_VALUE_UNIT_ID);
		int64_t cover = covered_by(&r, uid, punits);
		json_t *u = store_get(s, units, uid, &ee), *o;
		err_clear(&ee);
		o = json_object();
		copy_id(o, "value_id", row);
		copy_f(o, row, FLD_INDICATOR_VALUE_UNIT_ID);
		copy(o, "unit_code", u, FLD_ADMIN_UNIT_CODE);
		copy(o, "unit_name", u, FLD_ADMIN_UNIT_NAME);
		copy_f(o, row, FLD_INDICATOR_VALUE_PERIOD);
		copy_f(o, row, FLD_INDICATOR_VALUE_ACTUAL);
		copy_f(o, row, FLD_INDICATOR_VALUE_TARGET);
		copy_f(o, row, FLD_INDICATOR_VALUE_NUMERATOR);
		copy_f(o, row, FLD_INDICATOR_VALUE_DENOMINATOR);
		json_object_set_new(o, "lineage", json_boolean(json_is_true(
		    json_object_get(unit_info(&r, uid), "lineage"))));
		json_object_set_new(o, "counted", json_boolean(cover == 0));
		json_object_set_new(o, "covered_by", cover != 0 ?
		    json_integer(cover) : json_null());
		json_array_append_new(list, o);
		json_decref(u);
		if (cover != 0)
			continue;
		vpts[k].value = num(row, FLD_INDICATOR_VALUE_ACTUAL);
		if (missing(vpts[k].value))
			vpts[k].value = num(row, FLD_INDICATOR_VALUE_NUMERATOR);
		vpts[k].num = num(row, FLD_INDICATOR_VALUE_NUMERATOR);
		vpts[k].den = num(row, FLD_INDICATOR_VALUE_DENOMINATOR);
		tpts[k].value = num(row, FLD_INDICATOR_VALUE_TARGET);
		tpts[k].num = num(row, FLD_INDICATOR_VALUE_TARGET_NUMERATOR);
		tpts[k].den = num(row, FLD_INDICATOR_VALUE_TARGET_DENOMINATOR);
		achieve_period_key(str(row, FLD_INDICATOR_VALUE_PERIOD), str(row, FLD_INDICATOR_VALUE_AS_OF), vpts[k].key);
		memcpy(tpts[k].key, vpts[k].key, sizeof(tpts[k].key));
		vpts[k].seq = tpts[k].seq = row_id(row);
		k++;
	}
	json_decref(punits);
	json_decref(rows);
	n = k;

	if (achieve_aggregate(agg, vpts, n, &value, &used) != ACH_OK)
		value = ACH_MISSING;
	else if (agg == AGG_RATIO_OF_SUMS && percent)
		value *= 100.0;
	if (used == 0)
		value = num(r.own, FLD_INDICATOR_VALUE_ACTUAL);
	target = num(r.own, FLD_INDICATOR_VALUE_TARGET);
	if (missing(target) && n > 0) {
		if (achieve_aggregate(agg, tpts, n, &target, NULL) != ACH_OK)
			target = ACH_MISSING;
		else if (agg == AGG_RATIO_OF_SUMS && percent)
			target *= 100.0;
	}
	evaluate(d, false, 0, 0, 0, 0, target, value, NULL, &v);
	out = json_object();
	json_object_set_new(out, field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
	    json_integer(indicator_id));
	json_object_set_new(out, field_name(FLD_INDICATOR_VALUE_UNIT_ID),
	    json_integer(unit_id));
	json_object_set_new(out, field_name(FLD_INDICATOR_VALUE_PERIOD),
	    r.pcode != NULL ? json_string(r.pcode) : json_null());
	json_object_set_new(out, field_name(FLD_INDICATOR_AGGREGATION),
	    json_string(achieve_agg_code(agg)));
	json_object_set_new(out, "value", jnum(value));
	json_object_set_new(out, field_name(FLD_INDICATOR_VALUE_TARGET),
	    jnum(target));
	json_object_set_new(out, "count", json_integer((json_int_t)used));
	set_labels(out, &v, d, NULL);
	if (r.own != NULL) {
		json_t *o = json_object();
		copy_id(o, "value_id", r.own);
		copy_f(o, r.own, FLD_INDICATOR_VALUE_PERIOD);
		copy_f(o, r.own, FLD_INDICATOR_VALUE_ACTUAL);
		copy_f(o, r.own, FLD_INDICATOR_VALUE_TARGET);
		json_object_set_new(out, "own", o);
	} else {
		json_object_set_new(out, "own", json_null());
	}
	json_object_set_new(out, "units", list);
done:
	free(vpts);
	free(tpts);
	json_decref(r.units);
	json_decref(r.picked);
	json_decref(r.own);
	json_decref(ind);
	return out;
}
