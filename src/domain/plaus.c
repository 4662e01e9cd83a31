/* plaus.c - see plaus.h */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/plaus.h"
#include "domain/workflow.h"
#include "schema/entities.h"
#include "schema/record.h"
#include "store/store.h"
#include "text/text.h"

#define PLAUS_MSG_MAX 400
#define PLAUS_NUM_MAX 40

void
plaus_rules_of(const json_t *ind, struct plaus_rules *r)
{
	const char *kind = jrec_str(ind, FLD_INDICATOR_VALUE_KIND);

	memset(r, 0, sizeof(*r));
	r->has_min = json_is_number(jrec_get(ind, FLD_INDICATOR_PLAUS_MIN));
	r->min = jrec_real(ind, FLD_INDICATOR_PLAUS_MIN);
	r->has_max = json_is_number(jrec_get(ind, FLD_INDICATOR_PLAUS_MAX));
	r->max = jrec_real(ind, FLD_INDICATOR_PLAUS_MAX);
	r->non_negative = jrec_bool(ind, FLD_INDICATOR_PLAUS_NON_NEGATIVE);
	r->max_100 = jrec_bool(ind, FLD_INDICATOR_PLAUS_MAX_100);
	if (json_is_number(jrec_get(ind, FLD_INDICATOR_PLAUS_CHANGE_FACTOR)))
		r->change_factor = jrec_real(ind, FLD_INDICATOR_PLAUS_CHANGE_FACTOR);
	/* the enum's code, spelt once in the description */
	r->percent = kind != NULL && strcmp(kind, "percent") == 0;
}

bool
plaus_has_rules(const struct plaus_rules *r)
{
	return r->has_min || r->has_max || r->non_negative || r->max_100 ||
	    r->change_factor > 0;
}

/* A number as Vietnamese write it: decimal comma ("10,5", "-5"). */
static void
vi_num(double v, char *buf, size_t len)
{
	char *c;

	snprintf(buf, len, "%.15g", v);
	for (c = buf; *c; c++)
		if (*c == '.')
			*c = ',';
}

static const char *
label_of(enum field_id f)
{
	return field_of(f)->label;
}

static int
warn(json_t *out, const char *rule, enum field_id f, const char *msg)
{
	json_t *w = json_pack("{s:s, s:s, s:s}", "rule", rule, "field", field_name(f),
	    "message", msg);

	return w == NULL || json_array_append_new(out, w) != 0 ? -1 : 1;
}

/* The range, sign and share rules on one figure (target or actual). */
static int
eval_figure(const struct plaus_rules *r, enum field_id f, double v, json_t *out)
{
	char msg[PLAUS_MSG_MAX], a[PLAUS_NUM_MAX], lo[PLAUS_NUM_MAX], hi[PLAUS_NUM_MAX];
	int n = 0;

	vi_num(v, a, sizeof(a));
	vi_num(r->min, lo, sizeof(lo));
	vi_num(r->max, hi, sizeof(hi));
	if (r->non_negative && v < 0) {
		snprintf(msg, sizeof(msg), "%s %s là số âm (quy tắc: không nhận giá trị âm)",
		    label_of(f), a);
		if (warn(out, PLAUS_SIGN, f, msg) < 0)
			return -1;
		n++;
	}
	if (r->percent && r->max_100 && v > 100) {
		snprintf(msg, sizeof(msg), "%s %s%% vượt quá 100%% (quy tắc: tỷ lệ không "
		    "vượt quá 100%%)", label_of(f), a);
		if (warn(out, PLAUS_MAX_100, f, msg) < 0)
			return -1;
		n++;
	}
	if ((r->has_min && v < r->min) || (r->has_max && v > r->max)) {
		char rule[120];
		if (r->has_min && r->has_max)
			snprintf(rule, sizeof(rule), "từ %s đến %s", lo, hi);
		else if (r->has_min)
			snprintf(rule, sizeof(rule), "không nhỏ hơn %s", lo);
		else
			snprintf(rule, sizeof(rule), "không lớn hơn %s", hi);
		snprintf(msg, sizeof(msg), "%s %s nằm ngoài khoảng hợp lý (quy tắc: giá trị "
		    "hợp lý %s)", label_of(f), a, rule);
		if (warn(out, PLAUS_RANGE, f, msg) < 0)
			return -1;
		n++;
	}
	return n;
}

/* A numerator above its denominator: a share over 100 %. */
static int
eval_fraction(const struct plaus_rules *r, const json_t *value, enum field_id fn,
    enum field_id fd, json_t *out)
{
	const json_t *num = jrec_get(value, fn), *den = jrec_get(value, fd);
	char msg[PLAUS_MSG_MAX], a[PLAUS_NUM_MAX], b[PLAUS_NUM_MAX];
	int n = 0;

	if (r->non_negative) {
		if (json_is_number(num) && json_number_value(num) < 0) {
			vi_num(json_number_value(num), a, sizeof(a));
			snprintf(msg, sizeof(msg), "%s %s là số âm (quy tắc: không nhận giá trị "
			    "âm)", label_of(fn), a);
			if (warn(out, PLAUS_SIGN, fn, msg) < 0)
				return -1;
			n++;
		}
		if (json_is_number(den) && json_number_value(den) < 0) {
			vi_num(json_number_value(den), a, sizeof(a));
			snprintf(msg, sizeof(msg), "%s %s là số âm (quy tắc: không nhận giá trị "
			    "âm)", label_of(fd), a);
			if (warn(out, PLAUS_SIGN, fd, msg) < 0)
				return -1;
			n++;
		}
	}
	if (r->max_100 && json_is_number(num) && json_is_number(den) &&
	    json_number_value(num) > json_number_value(den)) {
		vi_num(json_number_value(num), a, sizeof(a));
		vi_num(json_number_value(den), b, sizeof(b));
		snprintf(msg, sizeof(msg), "%s %s lớn hơn %s %s (quy tắc: tỷ lệ không vượt "
		    "quá 100%%)", label_of(fn), a, field_of(fd)->label, b);
		if (warn(out, PLAUS_MAX_100, fn, msg) < 0)
			return -1;
		n++;
	}
	return n;
}

/* The actual value against the previous period's: beyond the factor
 * either way, or of the other sign.  A previous value of 0 gives no base
 * to compare with. */
static int
eval_change(const struct plaus_rules *r, double v, double p, const char *prev_period,
    json_t *out)
{
	char msg[PLAUS_MSG_MAX], a[PLAUS_NUM_MAX], b[PLAUS_NUM_MAX], f[PLAUS_NUM_MAX];
	double lo, hi;
	bool beyond;

	if (r->change_factor <= 0 || p == 0)
		return 0;
	lo = fabs(p) / r->change_factor;
	hi = fabs(p) * r->change_factor;
	beyond = (v < 0) != (p < 0) || fabs(v) < lo || fabs(v) > hi;
	if (!beyond)
		return 0;
	vi_num(v, a, sizeof(a));
	vi_num(p, b, sizeof(b));
	vi_num(r->change_factor, f, sizeof(f));
	snprintf(msg, sizeof(msg), "%s %s thay đổi quá nhiều so với kỳ trước (%s: %s) "
	    "(quy tắc: thay đổi so với kỳ trước không quá %s lần)",
	    label_of(FLD_INDICATOR_VALUE_ACTUAL), a, prev_period ? prev_period : "kỳ trước",
	    b, f);
	return warn(out, PLAUS_CHANGE, FLD_INDICATOR_VALUE_ACTUAL, msg);
}

int
plaus_eval(const struct plaus_rules *r, const json_t *value, const double *prev,
    const char *prev_period, json_t *out)
{
	static const enum field_id figures[] = { FLD_INDICATOR_VALUE_TARGET,
		FLD_INDICATOR_VALUE_ACTUAL };
	const json_t *act = jrec_get(value, FLD_INDICATOR_VALUE_ACTUAL);
	int n = 0, k;
	size_t i;

	for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
		const json_t *v = jrec_get(value, figures[i]);
		if (!json_is_number(v))
			continue;
		if ((k = eval_figure(r, figures[i], json_number_value(v), out)) < 0)
			return -1;
		n += k;
	}
	if ((k = eval_fraction(r, value, FLD_INDICATOR_VALUE_NUMERATOR,
	    FLD_INDICATOR_VALUE_DENOMINATOR, out)) < 0)
		return -1;
	n += k;
	if ((k = eval_fraction(r, value, FLD_INDICATOR_VALUE_TARGET_NUMERATOR,
	    FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, out)) < 0)
		return -1;
	n += k;
	if (prev != NULL && json_is_number(act)) {
		if ((k = eval_change(r, json_number_value(act), *prev, prev_period, out)) < 0)
			return -1;
		n += k;
	}
	return n;
}

int
plaus_prev_period(const char *code, char *out, size_t len)
{
	struct vi_period p;
	int y, n;

	if (code == NULL || vi_parse_period(code, &p) != 0)
		return -1;
	y = p.year;
	switch (p.kind) {
	case VI_PERIOD_YEAR:
		n = snprintf(out, len, "%d", y - 1);
		break;
	case VI_PERIOD_HALF:
		n = p.index == 1 ? snprintf(out, len, "%d-H2", y - 1) :
		    snprintf(out, len, "%d-H1", y);
		break;
	case VI_PERIOD_QUARTER:
		n = p.index == 1 ? snprintf(out, len, "%d-Q4", y - 1) :
		    snprintf(out, len, "%d-Q%d", y, p.index - 1);
		break;
	case VI_PERIOD_MONTH:
		n = p.index == 1 ? snprintf(out, len, "%d-12", y - 1) :
		    snprintf(out, len, "%d-%02d", y, p.index - 1);
		break;
	case VI_PERIOD_FIRST_MONTHS:
		n = snprintf(out, len, "%d-%dM", y - 1, p.index);
		break;
	case VI_PERIOD_RANGE:
		/* the term before, of the same length: 2020-2025 -> 2015-2020 */
		n = snprintf(out, len, "%d-%d", y - (p.year_end - y), y);
		break;
	default:
		return -1;
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The stored value of (indicator, unit, period), or NULL (e set on a
 * failure). */
static json_t *
value_of(struct store *s, int64_t indicator, int64_t unit, const char *period,
    struct err *e)
{
	struct list_query q;
	json_t *a = json_integer(indicator), *b = json_integer(unit);
	json_t *c = json_string(period), *rows = NULL, *out = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_INDICATOR_ID),
	    OP_EQ, a };
	q.filters[1] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_UNIT_ID),
	    OP_EQ, b };
	q.filters[2] = (struct list_filter){ field_name(FLD_INDICATOR_VALUE_PERIOD),
	    OP_EQ, c };
	q.nfilters = 3;
	q.limit = 1;
	q.see_confidential = true;
	if (a == NULL || b == NULL || c == NULL)
		err_nomem(e);
	else if (store_list(s, entity_of(ENT_INDICATOR_VALUE), &q, &rows, NULL, e) == 0)
		out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return out;
}

json_t *
plaus_check(struct store *s, const json_t *value, struct err *e)
{
	int64_t iid = jrec_int(value, FLD_INDICATOR_VALUE_INDICATOR_ID);
	const char *period = jrec_str(value, FLD_INDICATOR_VALUE_PERIOD);
	struct plaus_rules r;
	char prev_code[VI_PERIOD_CODE_MAX];
	json_t *out = json_array(), *ind, *prev = NULL;
	struct err pe = { 0 };
	double pv;
	bool have_prev = false;

	if (out == NULL) {
		err_nomem(e);
		return NULL;
	}
	if (iid <= 0)
		return out;
	ind = store_get(s, entity_of(ENT_INDICATOR), iid, &pe);
	if (ind == NULL) {
		/* a value without its indicator is validate.c's to refuse */
		err_clear(&pe);
		return out;
	}
	plaus_rules_of(ind, &r);
	json_decref(ind);
	if (!plaus_has_rules(&r))
		return out;
	if (r.change_factor > 0 && plaus_prev_period(period, prev_code,
	    sizeof(prev_code)) == 0) {
		prev = value_of(s, iid, jrec_int(value, FLD_INDICATOR_VALUE_UNIT_ID),
		    prev_code, e);
		if (prev == NULL && e != NULL && e->code != ERR_NONE) {
			json_decref(out);
			return NULL;
		}
		if (json_is_number(jrec_get(prev, FLD_INDICATOR_VALUE_ACTUAL))) {
			pv = jrec_real(prev, FLD_INDICATOR_VALUE_ACTUAL);
			have_prev = true;
		}
		json_decref(prev);
	}
	if (plaus_eval(&r, value, have_prev ? &pv : NULL, prev_code, out) < 0) {
		json_decref(out);
		err_nomem(e);
		return NULL;
	}
	return out;
}

static bool
blank(const char *t)
{
	if (t == NULL)
		return true;
	for (; *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
			return false;
	return true;
}

static bool
same(const json_t *a, const json_t *b)
{
	if (a == NULL || json_is_null(a))
		return b == NULL || json_is_null(b);
	return b != NULL && json_equal(a, b);
}

/* Do the figures or the comment differ between before and after? */
static bool
figures_changed(const json_t *before, const json_t *after)
{
	static const enum field_id figs[] = { FLD_INDICATOR_VALUE_TARGET,
		FLD_INDICATOR_VALUE_ACTUAL, FLD_INDICATOR_VALUE_NUMERATOR,
		FLD_INDICATOR_VALUE_DENOMINATOR, FLD_INDICATOR_VALUE_TARGET_NUMERATOR,
		FLD_INDICATOR_VALUE_TARGET_DENOMINATOR, FLD_INDICATOR_VALUE_COMMENT };
	size_t i;

	for (i = 0; i < sizeof(figs) / sizeof(figs[0]); i++)
		if (!same(jrec_get(before, figs[i]), jrec_get(after, figs[i])))
			return true;
	return false;
}

static int
admit_indicator(const json_t *after, struct err *e)
{
	const json_t *lo = jrec_get(after, FLD_INDICATOR_PLAUS_MIN);
	const json_t *hi = jrec_get(after, FLD_INDICATOR_PLAUS_MAX);

	if (json_is_number(lo) && json_is_number(hi) &&
	    json_number_value(hi) < json_number_value(lo)) {
		const struct field_def *fl = field_of(FLD_INDICATOR_PLAUS_MIN);
		const struct field_def *fh = field_of(FLD_INDICATOR_PLAUS_MAX);
		err_field(e, fh->name, "%s phải lớn hơn hoặc bằng %s", fh->label, fl->label);
		return -1;
	}
	return 0;
}

int
plaus_admit(struct store *s, const struct entity_def *ent, const json_t *before,
    const json_t *after, const struct actor *who, struct err *e)
{
	const struct field_def *cf = field_of(FLD_INDICATOR_VALUE_COMMENT);
	const char *wf, *st, *was;
	char msg[ERR_MSG_MAX];
	json_t *warnings, *w;
	size_t i, used;

	if (after == NULL)
		return 0;
	if (ent->id == ENT_INDICATOR)
		return admit_indicator(after, e);
	if (ent->id != ENT_INDICATOR_VALUE)
		return 0;
	/* figures loaded as they were approved then (workflow.h) */
	if (who != NULL && who->may_write == NULL && who->history)
		return 0;
	wf = workflow_field(ent);
	st = wf != NULL ? json_string_value(json_object_get(after, wf)) : NULL;
	if (st == NULL || workflow_initial(ent, st) ||
	    !blank(jrec_str(after, FLD_INDICATOR_VALUE_COMMENT)))
		return 0;
	was = before != NULL ? json_string_value(json_object_get(before, wf)) : NULL;
	/* past the initial state already, unchanged: approved as it is */
	if (was != NULL && !workflow_initial(ent, was) && !figures_changed(before, after))
		return 0;
	if ((warnings = plaus_check(s, after, e)) == NULL)
		return -1;
	if (json_array_size(warnings) == 0) {
		json_decref(warnings);
		return 0;
	}
	used = (size_t)snprintf(msg, sizeof(msg), "số liệu vi phạm quy tắc hợp lý nên "
	    "phải có %s giải thích trước khi gửi:", cf->label);
	json_array_foreach(warnings, i, w) {
		if (used >= sizeof(msg))
			break;
		used += (size_t)snprintf(msg + used, sizeof(msg) - used, "%s %s",
		    i > 0 ? ";" : "", json_string_value(json_object_get(w, "message")));
	}
	json_decref(warnings);
	err_field(e, cf->name, "%s", msg);
	/* the answer's message says it too, not only the field's */
	if (e != NULL && e->code == ERR_INVALID)
		snprintf(e->msg, sizeof(e->msg), "%s", json_string_value(
		    json_object_get(e->fields, cf->name)));
	return -1;
}

int
plaus_annotate(struct store *s, const struct entity_def *ent, json_t *rec,
    struct err *e)
{
	json_t *w;

	if (ent->id != ENT_INDICATOR_VALUE || rec == NULL)
		return 0;
	if ((w = plaus_check(s, rec, e)) == NULL)
		return -1;
	if (json_object_set_new(rec, PLAUS_WARNINGS, w) != 0)
		return err_nomem(e);
	return 0;
}
