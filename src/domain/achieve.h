/*
 * achieve.h - achievement of targets: how far an indicator's actual value
 * reaches its target, the band it falls in ("đạt từ 100% trở lên", "đạt từ
 * 70% trở lên", "dưới 70%"), how a target group is judged from its
 * indicators, and how values recorded for several units roll up into one.
 *
 * The first half is pure arithmetic (no store, no allocation); the second
 * half reads target sets and indicator values from the store and returns
 * JSON for the API and the reports.
 *
 * Missing numbers.  A number that was not recorded is passed as
 * ACH_MISSING (NaN); any non-finite input counts as missing.  No function
 * here ever returns NaN or a ratio of 0 % for a missing or zero target: the
 * status says why there is no ratio, and *ratio is left untouched.
 */
#ifndef GIAPRANH_ACHIEVE_H
#define GIAPRANH_ACHIEVE_H

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "store/store.h"

#define ACH_MISSING ((double)NAN)

#define ACH_BAND_HIGH_DEFAULT 100.0 /* percent: "đạt từ 100% trở lên"       */
#define ACH_BAND_MID_DEFAULT  70.0  /* percent: "đạt từ 70% trở lên"        */
#define ACH_EPSILON           1e-9  /* equality of values and of thresholds */
#define ACH_GROUPS_MAX        1000  /* groups in one target set             */
#define ACH_INDICATORS_MAX    1000  /* indicators in one group              */
#define ACH_VALUES_MAX        100000/* values read for one roll-up          */
#define ACH_LABEL_MAX         128   /* a band or status label               */

/* ---- one indicator ------------------------------------------------------ */

enum ach_direction {
	DIR_HIGHER, /* higher is better: actual / target                   */
	DIR_LOWER,  /* lower is better: target / actual                    */
	DIR_EXACT,  /* must equal the target: 100 - |deviation| %          */
	DIR_YESNO   /* yes/no: 1 (>= 0.5) is yes, 0 is no                  */
};

enum ach_status {
	ACH_OK,             /* ratio computed                                */
	ACH_NO_TARGET,      /* no target recorded                            */
	ACH_NO_ACTUAL,      /* no actual value recorded                      */
	/* The ratio's divisor is zero: a zero target of a higher-is-better
	 * or exact indicator, or a zero actual of a lower-is-better one.  No
	 * ratio; the band still follows from whether the target was met. */
	ACH_ZERO_TARGET,
	/* A negative target (higher, lower) or a negative actual (lower):
	 * a ratio would mean nothing. */
	ACH_NOT_COMPARABLE
};

/* The direction and status codes used in records and JSON ("higher", …;
 * "ok", "no_target", …).  achieve_direction_parse returns 0 or -1. */
const char *achieve_direction_code(enum ach_direction d);
int achieve_direction_parse(const char *code, enum ach_direction *d);
const char *achieve_status_code(enum ach_status st);

/*
 * Achievement ratio in percent of actual against target.
 *   higher  actual / target * 100; target 0 -> ACH_ZERO_TARGET.
 *   lower   target / actual * 100; actual 0 with a target above 0 ->
 *           ACH_ZERO_TARGET, which counts as met ("vượt": nothing is
 *           better than zero); both 0 -> 100.  A target of 0 with a
 *           positive actual gives ratio 0 (target missed).
 *   exact   100 when equal within ACH_EPSILON (relative to the target),
 *           else 100 - |actual - target| / |target| * 100, never below 0;
 *           target 0 and actual not 0 -> ACH_ZERO_TARGET, not met.
 *   yesno   100 when the actual answer (>= 0.5 is yes) is the target's
 *           answer, else 0.
 * The target is checked first: with both missing the status is
 * ACH_NO_TARGET.  *ratio is written only with ACH_OK.
 */
enum ach_status achieve_ratio(enum ach_direction d, double target,
    double actual, double *ratio);

/* The same for ratio-kind values ("4/9 xã" against "5/9 xã"): the fractions
 * target_num/target_den and actual_num/actual_den are compared.  A missing
 * part or a zero denominator makes that side missing. */
enum ach_status achieve_ratio_fraction(enum ach_direction d,
    double target_num, double target_den, double actual_num,
    double actual_den, double *ratio);

/* Whether the actual meets the target in its direction (used for the band
 * of ACH_ZERO_TARGET, where there is no ratio).  False when either is
 * missing. */
bool achieve_met(enum ach_direction d, double target, double actual);

/* ---- bands ---------------------------------------------------------------- */

/* Ordered: a higher band is better.  BAND_NONE = no data. */
enum ach_band { BAND_NONE, BAND_LOW, BAND_MID, BAND_HIGH };

/* Thresholds of a target set (fields band_high, band_mid).  A missing
 * (NaN) or negative threshold takes the default; a mid above high is
 * lowered to high. */
struct ach_thresholds {
	double high;
	double mid;
};
struct ach_thresholds achieve_thresholds(double high, double mid);

/* BAND_HIGH when ratio >= high, BAND_MID when >= mid, else BAND_LOW;
 * BAND_NONE for a missing ratio.  Thresholds are compared with a tolerance
 * of ACH_EPSILON so that 70 computed as 69.99999999999999 is still 70. */
enum ach_band achieve_band(double ratio, double high, double mid);

/* Band of an indicator from its status: the ratio's band with ACH_OK,
 * BAND_HIGH/BAND_LOW with ACH_ZERO_TARGET as `met` says, else BAND_NONE. */
enum ach_band achieve_status_band(enum ach_status st, double ratio, bool met,
    const struct ach_thresholds *th);

/* "high", "mid", "low", "none". */
const char *achieve_band_code(enum ach_band b);
/* Vietnamese label with the thresholds written in:
 *   "Đạt từ 100% trở lên", "Đạt từ 70% trở lên", "Dưới 70%",
 *   "Chưa có số liệu" (th NULL = defaults).  Returns buf. */
const char *achieve_band_label(enum ach_band b, const struct ach_thresholds *th,
    char *buf, size_t len);
/* Vietnamese explanation of an indicator's status:
 *   "Đạt 105% kế hoạch", "Vượt kế hoạch (thực hiện bằng 0)",
 *   "Kế hoạch bằng 0, không tính được tỷ lệ", "Chưa có kế hoạch",
 *   "Chưa có số liệu thực hiện", "Không so sánh được (số âm)".  Returns buf. */
const char *achieve_status_label(enum ach_status st, enum ach_direction d,
    double ratio, bool met, char *buf, size_t len);

/* ---- target groups ------------------------------------------------------ */

enum ach_rule {
	RULE_ALL,     /* band = the lowest band of the indicators; ratio = min */
	RULE_MIN,     /* ratio = the lowest ratio; band = its band             */
	RULE_MEAN,    /* ratio = mean of the ratios                            */
	RULE_WEIGHTED /* ratio = weighted mean (missing weight = 1)            */
};
const char *achieve_rule_code(enum ach_rule r);
int achieve_rule_parse(const char *code, enum ach_rule *r);

/* One indicator as the group sees it. */
struct ach_item {
	enum ach_status status;
	double ratio;      /* with ACH_OK                                    */
	enum ach_band band;/* achieve_status_band                            */
	double weight;     /* RULE_WEIGHTED; NaN or negative = 1             */
};

struct ach_group_result {
	bool has_ratio;
	double ratio;      /* with has_ratio                                 */
	enum ach_band band;
	size_t judged;     /* indicators with a band                         */
	size_t missing;    /* indicators without data (BAND_NONE)            */
	double weight_sum; /* RULE_WEIGHTED: sum of the weights used         */
};

/*
 * Judge a group.  Missing data: a group is judged only when every one of
 * its indicators has a band - with one indicator lacking data nobody can
 * say the group reached 100 % (rule all) nor what its mean is, so the
 * band is BAND_NONE ("chưa đủ số liệu") and `missing` says how many are
 * lacking; the ratio over the indicators that do have data is still given
 * (has_ratio) for information.  An empty group is BAND_NONE.
 * Zero-target indicators (no ratio, band by `met`) take part in rules all
 * and min through their band and are left out of the means; a group of
 * only such indicators has no ratio and the lowest of their bands.
 * Ratios are not capped: in a mean one indicator far above target can
 * make up for another below.
 */
void achieve_group(enum ach_rule rule, const struct ach_item *items, size_t n,
    const struct ach_thresholds *th, struct ach_group_result *out);

/* ---- aggregation over units ----------------------------------------------- */

enum ach_agg {
	AGG_SUM,           /* sum of the values                               */
	AGG_MEAN,          /* arithmetic mean                                 */
	AGG_RATIO_OF_SUMS, /* sum of numerators / sum of denominators * 100  */
	AGG_MIN,
	AGG_MAX,
	AGG_LATEST         /* the value of the latest point (see below)       */
};
const char *achieve_agg_code(enum ach_agg a);
int achieve_agg_parse(const char *code, enum ach_agg *a);

struct ach_point {
	double value;       /* actual (NaN = missing: the point is skipped)  */
	double num, den;    /* AGG_RATIO_OF_SUMS; NaN = missing: skipped      */
	/* AGG_LATEST order: effective date "YYYY-MM-DD" (achieve_period_key),
	 * then the sequence (record id), larger = later */
	char key[11];
	int64_t seq;
};

/* Aggregate the points that have what the kind needs; *used receives how
 * many took part (may be NULL).  Returns ACH_OK with *out set, ACH_NO_ACTUAL
 * when no point had a value, ACH_ZERO_TARGET for a ratio of sums whose
 * denominators sum to 0. */
enum ach_status achieve_aggregate(enum ach_agg kind, const struct ach_point *p,
    size_t n, double *out, size_t *used);

/* Period order.  The effective date of a value: the end date of its period
 * code (vi_parse_period: "2023" -> 2023-12-31, "2020-2025" -> 2025-12-31),
 * or its as_of date when that is earlier (a term value counted "đến tháng
 * 3/2024" is as of 2024-03-31).  Writes "YYYY-MM-DD" to key[11]; returns 0,
 * or -1 when the period cannot be read (key = ""). */
int achieve_period_key(const char *period, const char *as_of, char key[11]);
/* Compare two values' periods for "latest": effective date, then the later
 * start (the narrower, more recent period), then seq.  <0, 0, >0. */
int achieve_period_cmp(const char *period_a, const char *as_of_a, int64_t seq_a,
    const char *period_b, const char *as_of_b, int64_t seq_b);

/* ---- with the store ------------------------------------------------------- */

/*
 * The achievement of a target set for a period (canonical code or as
 * written: "2023", "năm 2023", "2020-2025"); period NULL = for each
 * indicator the latest value recorded (achieve_period_cmp).  Values are
 * those recorded for the target set's own unit.  An indicator with an
 * expression (expr.h) is computed from the records when its value has no
 * actual.  Returns a new JSON object:
 *   { target_set: {id, name, unit_id, term_start, term_end},
 *     period, rule, thresholds: {high, mid},
 *     bands: {high, mid, low, none, total},
 *     summary: "13/22 nhóm mục tiêu đạt từ 100% trở lên; …",
 *     groups: [ {id, number, name, rule, ratio, band, band_label,
 *                complete, missing, partial_ratio? (ratio of the
 *                indicators with data when the group is not judged),
 *                illustrative, weights?: [{indicator_id,
 *                weight}], weight_sum?,
 *                indicators: [ {id, code, name, unit_of_measure, direction,
 *                  value_kind, period, target, actual, numerator?,
 *                  denominator?, target_numerator?, target_denominator?,
 *                  qualifier, as_of, value_id, value_status, computed,
 *                  ratio, status, band, band_label, status_label,
 *                  illustrative} ] } ] }
 * ratio is null whenever there is none (never NaN).  NULL with the error
 * (ERR_NOT_FOUND for an unknown set, ERR_BAD_REQUEST for a bad period).
 */
json_t *achieve_target_set(struct store *s, int64_t target_set_id,
    const char *period, struct err *e);

/* The whole country, for achieve_target_set_at. */
#define ACH_NATION ((int64_t)-1)

/*
 * The same target set judged at another level: each indicator's figure
 * is achieve_rollup's over `unit` (the unit's own value when it has one
 * for the target, else the aggregation of the values recorded below it,
 * its subtree and 2025 lineage) or, with unit ACH_NATION, over every unit
 * of the country; unit 0 is achieve_target_set.  All the values come from
 * one query (store_target_set_values).  Indicators carry aggregation,
 * count (values aggregated) and own_value_id instead of value_id; an
 * indicator's expression is not evaluated here.  The answer says
 * "rolled_up_at": the unit id or "nation".  A period written out in a
 * value starting with a digit ("6 tháng đầu năm 2024") is not matched:
 * store_target_set_values reads the code and the written forms starting
 * with a letter.
 */
json_t *achieve_target_set_at(struct store *s, int64_t target_set_id,
    const char *period, int64_t unit, struct err *e);

/*
 * Roll an indicator up over a unit: every value of the indicator recorded
 * against a unit within `unit_id` (store_unit_within: its subtree, and the
 * pre-2025 units the 2025 lineage maps into it), aggregated with the
 * indicator's aggregation (default sum).  The unit's own value is not
 * added to those below it (that would count twice): it is returned as
 * "own", its target is the roll-up's target when it has one, and its
 * actual is the value when nothing below was recorded.  Otherwise the
 * target is the aggregation of the targets below.  period NULL: for each
 * unit its latest value.  Returns
 *   { indicator_id, unit_id, period, aggregation, value, target, ratio,
 *     status, count, own, units: [ {value_id, unit_id, unit_code,
 *     unit_name, period, actual, target, numerator, denominator,
 *     lineage} ] }
 * where lineage is true for a unit reached only through the 2025 lineage.
 */
json_t *achieve_rollup(struct store *s, int64_t indicator_id, int64_t unit_id,
    const char *period, struct err *e);

#endif
