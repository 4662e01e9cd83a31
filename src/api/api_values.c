/*
 * api_values.c - read endpoints over indicator values and units that a
 * national-scale office calls all day (issue 7); each is one or two
 * indexed SQL statements, and the big answers are written straight into
 * the response buffer instead of building a JSON tree first.
 *
 *   GET /api/v1/unit_by_code/CODE?date=            one unit record, nothing else
 *   GET /api/v1/indicator/ID/values?period=P[&unit=CODE&date=]
 *       target and actual of every unit (or of the units below CODE)
 *   GET /api/v1/indicator/ID/summary?period=P[&unit=CODE&date=]
 *       how many of them are in each achievement band, counted in SQL
 *
 * The answers of all three are kept (cache.h) until the store's data
 * version changes: an office asks the same few indicators and periods again
 * and again, and the rows change rarely, while computing the 3,321 units'
 * answer cost ~2 ms of CPU and 208 KB per request (a unit record: a query
 * and a JSON tree, half the CPU of a small request).  They depend on
 * nothing about the user beyond being allowed to read indicator values or
 * units (checked on every request, kept answer or not), so one answer
 * serves every user; the key holds every argument the answer depends on.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "domain/achieve.h"
#include "domain/auth.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/metrics.h"
#include "text/text.h"
#include "web/web.h"

#define DIRECTION_MAX 16 /* bytes of an indicator's direction code */
#define JSON_TYPE "application/json; charset=utf-8"

/* Two caches: the unit records (many small answers) must not push out the
 * few large ones of values and summaries.  NULL when out of memory at
 * start: nothing is kept. */
static struct cache *answers, *unit_answers;
static pthread_once_t answers_once = PTHREAD_ONCE_INIT;

static void
answers_init(void)
{
	answers = cache_new(VALUE_CACHE_ENTRIES, VALUE_CACHE_BYTES,
	    VALUE_CACHE_ENTRY_MAX);
	unit_answers = cache_new(UNIT_CACHE_ENTRIES, UNIT_CACHE_BYTES,
	    UNIT_CACHE_ENTRY_MAX);
	metrics_add_cache("values", answers);
	metrics_add_cache("units", unit_answers);
}

/* The kept answer of key at `version`, sent; false when there is none
 * (key "": the answer is not to be kept). */
static bool
answer_kept(struct request *r, struct cache **c, const char *key,
    uint64_t version)
{
	struct cache_entry *ce;

	pthread_once(&answers_once, answers_init);
	if (*c == NULL || key[0] == '\0' || (ce = cache_get(*c, key, version)) == NULL)
		return false;
	resp_cached(r, ce, JSON_TYPE);
	return true;
}

/* Keep a 200 answer just computed in r->out from data at `version` (read
 * before the queries) and send it from the cache; a gzip copy is made once
 * when the server would compress the answer. */
static void
answer_keep(struct request *r, struct cache **c, const char *key,
    uint64_t version)
{
	struct cache_entry *ce;

	pthread_once(&answers_once, answers_init);
	if (*c == NULL || key[0] == '\0' || r->status != 200 || buf_failed(&r->out))
		return;
	ce = cache_put(*c, key, version, r->out.data, r->out.len,
	    r->out.len >= HTTP_GZIP_MIN);
	if (ce != NULL)
		resp_cached(r, ce, JSON_TYPE);
}

/* A unit's record, as GET /api/v1/admin_unit/ID gives it (no children,
 * ancestors or lineage), kept as the values are: every user allowed to
 * read units gets the same answer. */
static void
unit_by_code(struct request *r)
{
	const char *date = req_query(r, "date"), *code = r->route_args[0];
	char key[VALUE_CACHE_KEY_MAX], today[CLOCK_DATE_LEN];
	struct err e = { 0 };
	uint64_t version;
	json_t *u;
	int n;

	if (!auth_can_read_entity(&r->user, entity_of(ENT_ADMIN_UNIT))) {
		resp_fail(r, ERR_FORBIDDEN, "bạn không được xem đơn vị hành chính");
		return;
	}
	/* 31/12/2025 as well as 2025-12-31 */
	if (web_date_arg(r, "date", date, &date, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	/* without a date, the unit in force today */
	if (date == NULL)
		clock_today(today);
	n = snprintf(key, sizeof(key), "unit|%zu:%s|%s", strlen(code), code,
	    date != NULL ? date : today);
	if (n < 0 || (size_t)n >= sizeof(key))
		key[0] = '\0';
	version = store_data_version(r->store);
	if (answer_kept(r, &unit_answers, key, version))
		return;
	u = store_unit_record_by_code(r->store, code, date, &e);
	if (u == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	resp_json(r, 200, u);
	answer_keep(r, &unit_answers, key, version);
}

/* The arguments the value endpoints share: the indicator (its direction
 * and thresholds), the canonical period and the optional unit.  False
 * when an error answer was written. */
struct value_args {
	int64_t indicator_id;
	struct vi_period period;
	const char *unit_code;  /* NULL: every unit */
	const char *date;       /* NULL: today      */
	int64_t unit_id;        /* 0: every unit    */
	char direction[DIRECTION_MAX];
	struct ach_thresholds th;
	char key[VALUE_CACHE_KEY_MAX]; /* "" when the answer is not to be kept */
};

/* The arguments as given, checked without the database. */
static bool
value_args_parse(struct request *r, struct value_args *a)
{
	const char *period = req_query(r, "period"), *unit = req_query(r, "unit");
	const char *date = req_query(r, "date");

	memset(a, 0, sizeof(*a));
	if (!auth_can_read_entity(&r->user, entity_of(ENT_INDICATOR_VALUE))) {
		resp_fail(r, ERR_FORBIDDEN, "bạn không được xem giá trị chỉ tiêu");
		return false;
	}
	if (!api_parse_id(r->route_args[0], &a->indicator_id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã chỉ tiêu không hợp lệ");
		return false;
	}
	if (period == NULL || *period == '\0') {
		resp_fail(r, ERR_BAD_REQUEST, "thiếu period (kỳ: 2024, 2024-Q1, 2024-03…)");
		return false;
	}
	if (vi_parse_period(period, &a->period) != 0) {
		resp_fail(r, ERR_BAD_REQUEST, "kỳ không hợp lệ: '%.40s'", period);
		return false;
	}
	{
		struct err e = { 0 };
		/* 31/12/2025 as well as 2025-12-31 */
		if (web_date_arg(r, "date", date, &date, &e) != 0) {
			resp_error(r, &e);
			err_clear(&e);
			return false;
		}
	}
	if (unit != NULL && *unit != '\0') {
		a->unit_code = unit;
		a->date = date;
	}
	return true;
}

/* The cache key of an answer: every argument it depends on, strings with
 * their lengths (a code cannot pose as two fields).  Without a date the
 * unit is the one in force today, so today is part of the key. */
static void
value_key(struct value_args *a, const char *what)
{
	char today[CLOCK_DATE_LEN];
	const char *date = a->date;
	int n;

	if (a->unit_code != NULL && date == NULL) {
		clock_today(today);
		date = today;
	}
	n = snprintf(a->key, sizeof(a->key), "%s|%lld|%zu:%s|%zu:%s|%s", what,
	    (long long)a->indicator_id, strlen(a->period.code), a->period.code,
	    a->unit_code ? strlen(a->unit_code) : 0, a->unit_code ? a->unit_code : "",
	    a->unit_code ? date : "");
	if (n < 0 || (size_t)n >= sizeof(a->key))
		a->key[0] = '\0'; /* too long to keep: computed every time */
}

/* The rest of the arguments, from the database: the indicator's rule and
 * the unit's id. */
static bool
value_args_load(struct request *r, struct value_args *a)
{
	double high, mid;
	struct err e = { 0 };

	if (store_indicator_rule(r->store, a->indicator_id, a->direction,
	    sizeof(a->direction), &high, &mid, &e) != 0)
		goto fail;
	a->th = achieve_thresholds(high, mid);
	if (a->unit_code != NULL && store_unit_by_code(r->store, a->unit_code,
	    a->date, &a->unit_id, &e) != 0)
		goto fail;
	return true;
fail:
	resp_error(r, &e);
	err_clear(&e);
	return false;
}

/* A JSON string (the codes are short; escapes as RFC 8259 wants). */
static void
put_json_string(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20) {
			buf_addf(b, "\\u%04x", c);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

/* Below this, a whole number of tenths is printed without printf. */
#define FAST_REAL_MAX 1e14
#define TENTHS 10.0

/* A number as resp_json writes reals (15 digits, always with a point).
 * Most values are whole or have one decimal ("238.6"): those are written
 * digit by digit - the same text "%.15g" gives - because printf's float
 * conversion was the largest cost of a 3,321-unit answer (perf). */
static void
put_real(struct buf *b, bool has, double v)
{
	char n[40];

	if (!has || !isfinite(v)) {
		buf_adds(b, "null");
		return;
	}
	if (fabs(v) < FAST_REAL_MAX && round(v * TENTHS) / TENTHS == v) {
		long long t = llround(fabs(v) * TENTHS);
		char *p = n + sizeof(n);
		*--p = '\0';
		*--p = (char)('0' + t % 10);
		*--p = '.';
		t /= 10;
		do {
			*--p = (char)('0' + t % 10);
			t /= 10;
		} while (t > 0);
		if (signbit(v)) /* "-0.0" too, as printf */
			*--p = '-';
		buf_adds(b, p);
		return;
	}
	snprintf(n, sizeof(n), "%.15g", v);
	buf_adds(b, n);
	if (strpbrk(n, ".e") == NULL)
		buf_adds(b, ".0");
}

struct values_out {
	struct buf *b;
	long n;
};

static int
put_value(void *ctx, const struct store_value *v)
{
	struct values_out *o = ctx;

	buf_adds(o->b, o->n++ ? ",{\"unit_id\":" : "{\"unit_id\":");
	buf_addf(o->b, "%lld,\"code\":", (long long)v->unit_id);
	put_json_string(o->b, v->unit_code);
	buf_adds(o->b, ",\"target\":");
	put_real(o->b, v->has_target, v->target);
	buf_adds(o->b, ",\"actual\":");
	put_real(o->b, v->has_actual, v->actual);
	buf_addc(o->b, '}');
	return buf_failed(o->b);
}

/* {indicator_id, period, unit, direction, count, items: [{unit_id, code,
 * target, actual}]} */
static void
indicator_values(struct request *r)
{
	struct value_args a;
	struct values_out o = { &r->out, 0 };
	struct err e = { 0 };
	uint64_t version;

	if (!value_args_parse(r, &a))
		return;
	value_key(&a, "values");
	version = store_data_version(r->store);
	if (answer_kept(r, &answers, a.key, version) ||
	    !value_args_load(r, &a))
		return;
	buf_reset(&r->out);
	buf_addf(&r->out, "{\"indicator_id\":%lld,\"period\":",
	    (long long)a.indicator_id);
	put_json_string(&r->out, a.period.code);
	buf_adds(&r->out, ",\"unit\":");
	if (a.unit_code != NULL)
		put_json_string(&r->out, a.unit_code);
	else
		buf_adds(&r->out, "null");
	buf_adds(&r->out, ",\"direction\":");
	put_json_string(&r->out, a.direction);
	buf_adds(&r->out, ",\"items\":[");
	if (store_indicator_values(r->store, a.indicator_id, a.period.code,
	    a.unit_id, put_value, &o, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	buf_addf(&r->out, "],\"count\":%ld}\n", o.n);
	if (buf_failed(&r->out)) {
		resp_fail(r, ERR_TOO_LARGE, "kết quả quá lớn");
		return;
	}
	r->status = 200;
	r->content_type = JSON_TYPE;
	answer_keep(r, &answers, a.key, version);
}

/* {indicator_id, period, unit, direction, thresholds: {high, mid},
 *  bands: {high, mid, low, none, total}, summary} */
static void
indicator_summary(struct request *r)
{
	struct value_args a;
	struct store_value_bands b;
	struct err e = { 0 };
	char label[ACH_LABEL_MAX], summary[ACH_LABEL_MAX * 2];
	uint64_t version;

	if (!value_args_parse(r, &a))
		return;
	value_key(&a, "summary");
	version = store_data_version(r->store);
	if (answer_kept(r, &answers, a.key, version) ||
	    !value_args_load(r, &a))
		return;
	if (store_indicator_bands(r->store, a.indicator_id, a.period.code,
	    a.unit_id, a.direction, a.th.high, a.th.mid, ACH_EPSILON, &b, &e) != 0) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	achieve_band_label(BAND_HIGH, &a.th, label, sizeof(label));
	snprintf(summary, sizeof(summary), "%lld/%lld đơn vị: %s", (long long)b.high,
	    (long long)b.total, label);
	resp_json(r, 200, json_pack("{s:I, s:s, s:s?, s:s, s:{s:f, s:f}, "
	    "s:{s:I, s:I, s:I, s:I, s:I}, s:s}",
	    field_name(FLD_INDICATOR_VALUE_INDICATOR_ID), (json_int_t)a.indicator_id,
	    field_name(FLD_INDICATOR_VALUE_PERIOD), a.period.code,
	    "unit", a.unit_code, field_name(FLD_INDICATOR_DIRECTION), a.direction,
	    "thresholds", "high", a.th.high, "mid", a.th.mid,
	    "bands", "high", (json_int_t)b.high, "mid", (json_int_t)b.mid,
	    "low", (json_int_t)b.low, "none", (json_int_t)b.none,
	    "total", (json_int_t)b.total, "summary", summary));
	answer_keep(r, &answers, a.key, version);
}

const struct route values_routes[] = {
	{ M_GET | M_HEAD, "/api/v1/unit_by_code/:", unit_by_code, RT_API },
	{ M_GET | M_HEAD, "/api/v1/indicator/:/values", indicator_values, RT_API },
	{ M_GET | M_HEAD, "/api/v1/indicator/:/summary", indicator_summary, RT_API },
	{ 0, NULL, NULL, 0 },
};
