/* duties.c - see duties.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/duties.h"
#include "schema/record.h"
#include "text/text.h"

#define DUTY_ROWS_MAX 100000

json_t *
duties_periods(const char *frequency, int year)
{
	json_t *out = json_array();
	char code[16];
	int i;

	if (frequency == NULL)
		return out;
	if (strcmp(frequency, "monthly") == 0) {
		for (i = 1; i <= 12; i++) {
			snprintf(code, sizeof(code), "%04d-%02d", year, i);
			json_array_append_new(out, json_string(code));
		}
	} else if (strcmp(frequency, "quarterly") == 0) {
		for (i = 1; i <= 4; i++) {
			snprintf(code, sizeof(code), "%04d-Q%d", year, i);
			json_array_append_new(out, json_string(code));
		}
	} else if (strcmp(frequency, "half_yearly") == 0) {
		for (i = 1; i <= 2; i++) {
			snprintf(code, sizeof(code), "%04d-H%d", year, i);
			json_array_append_new(out, json_string(code));
		}
	} else {
		snprintf(code, sizeof(code), "%04d", year);
		json_array_append_new(out, json_string(code));
	}
	return out;
}

static void
add_days(const char *iso, int days, char *out, size_t len)
{
	struct tm tm;
	int y, m, d;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
		snprintf(out, len, "%s", iso);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12; /* away from DST edges */
	mktime(&tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

static json_t *
list_eq(struct store *s, enum entity_id entity, enum field_id f1, json_t *v1,
    enum field_id f2, json_t *v2, struct err *e)
{
	struct list_query q;
	json_t *rows;

	memset(&q, 0, sizeof(q));
	q.filters[q.nfilters++] = (struct list_filter){ field_name(f1), OP_EQ, v1 };
	if (f2 != FLD_NONE)
		q.filters[q.nfilters++] = (struct list_filter){ field_name(f2), OP_EQ,
		    v2 };
	q.see_confidential = true;
	rows = store_list_all(s, entity_of(entity), &q, DUTY_ROWS_MAX, e);
	json_decref(v1);
	json_decref(v2);
	return rows;
}

/* Day a value was submitted: its move to "submitted" in the history, else
 * (entered already approved, e.g. imported) the day it was created. */
static void
submitted_on(struct store *s, const json_t *value, char *out, size_t len)
{
	json_t *hist = list_eq(s, ENT_STATUS_CHANGE, FLD_STATUS_CHANGE_ENTITY,
	    json_string(entity_of(ENT_INDICATOR_VALUE)->name),
	    FLD_STATUS_CHANGE_RECORD_ID,
	    json_integer(json_integer_value(json_object_get(value, "id"))), NULL), *h;
	const char *created = json_string_value(json_object_get(value, "created_at"));
	size_t i;

	snprintf(out, len, "%.10s", created ? created : "");
	json_array_foreach(hist, i, h) {
		const char *to = jrec_str(h, FLD_STATUS_CHANGE_TO_STATUS);
		if (to != NULL && strcmp(to, "submitted") == 0) {
			snprintf(out, len, "%s", jrec_str(h, FLD_STATUS_CHANGE_CHANGED_ON));
			break;
		}
	}
	json_decref(hist);
}

static json_t *
ref_title(struct store *s, enum entity_id entity, int64_t id)
{
	const struct entity_def *ent = entity_of(entity);
	json_t *rec = id > 0 ? store_get(s, ent, id, NULL) : NULL, *out;

	if (rec == NULL)
		return json_null();
	out = json_pack("{s:I, s:O}", "id", (json_int_t)id, "title",
	    json_object_get(rec, ent->title_field));
	json_decref(rec);
	return out;
}

json_t *
duties_status(struct store *s, int64_t recipient_org_id, int year,
    const char *as_of, struct err *e)
{
	json_t *duties, *duty, *out, *groups, *g, *inds;
	char today[16];
	size_t i, j, k, l;

	if (as_of == NULL) {
		clock_today(today);
		as_of = today;
	}
	{
		struct list_query q;
		json_t *v = json_integer(recipient_org_id);
		memset(&q, 0, sizeof(q));
		if (recipient_org_id > 0) {
			q.filters[0] = (struct list_filter){
			    field_name(FLD_REPORTING_DUTY_RECIPIENT_ORG_ID), OP_EQ, v };
			q.nfilters = 1;
		}
		duties = store_list_all(s, entity_of(ENT_REPORTING_DUTY), &q, DUTY_ROWS_MAX, e);
		json_decref(v);
	}
	if (duties == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(duties, i, duty) {
		int64_t set = jrec_int(duty, FLD_REPORTING_DUTY_TARGET_SET_ID);
		int64_t unit = jrec_int(duty, FLD_REPORTING_DUTY_REPORTER_UNIT_ID);
		int due_day = (int)jrec_int(duty, FLD_REPORTING_DUTY_DUE_DAY);
		json_t *periods = duties_periods(jrec_str(duty,
		    FLD_REPORTING_DUTY_FREQUENCY), year), *pv, *plist = json_array();
		long on_time = 0, late = 0, missing = 0;

		/* the indicators a report must cover */
		inds = json_array();
		groups = list_eq(s, ENT_TARGET_GROUP, FLD_TARGET_GROUP_TARGET_SET_ID,
		    json_integer(set), FLD_NONE, NULL, e);
		json_array_foreach(groups, j, g) {
			json_t *gi = list_eq(s, ENT_INDICATOR, FLD_INDICATOR_TARGET_GROUP_ID,
			    json_integer(json_integer_value(json_object_get(g, "id"))),
			    FLD_NONE, NULL, e);
			json_array_extend(inds, gi);
			json_decref(gi);
		}
		json_decref(groups);
		json_array_foreach(periods, j, pv) {
			struct vi_period vp;
			char due[16], reported[16] = "", sub[16];
			const char *state;
			size_t have = 0;
			json_t *ind;
			if (vi_parse_period(json_string_value(pv), &vp) != 0)
				continue;
			add_days(vp.end, due_day, due, sizeof(due));
			json_array_foreach(inds, k, ind) {
				json_t *vals = list_eq(s, ENT_INDICATOR_VALUE,
				    FLD_INDICATOR_VALUE_INDICATOR_ID,
				    json_integer(json_integer_value(json_object_get(ind, "id"))),
				    FLD_INDICATOR_VALUE_UNIT_ID, json_integer(unit), e), *val;
				json_array_foreach(vals, l, val) {
					const char *per = jrec_str(val, FLD_INDICATOR_VALUE_PERIOD);
					const char *st = jrec_str(val, FLD_INDICATOR_VALUE_STATUS);
					if (per == NULL || strcmp(per, vp.code) != 0 || st == NULL ||
					    strcmp(st, "draft") == 0)
						continue;
					have++;
					submitted_on(s, val, sub, sizeof(sub));
					if (strcmp(sub, reported) > 0)
						snprintf(reported, sizeof(reported), "%s", sub);
					break;
				}
				json_decref(vals);
			}
			if (strcmp(vp.end, as_of) >= 0 && have < json_array_size(inds))
				state = "not_due";
			else if (json_array_size(inds) > 0 && have == json_array_size(inds))
				state = strcmp(reported, due) <= 0 ? "on_time" : "late";
			else if (strcmp(due, as_of) >= 0)
				state = "not_due";
			else
				state = "missing";
			if (strcmp(state, "on_time") == 0)
				on_time++;
			else if (strcmp(state, "late") == 0)
				late++;
			else if (strcmp(state, "missing") == 0)
				missing++;
			json_array_append_new(plist, json_pack("{s:s, s:s, s:s, s:s?, s:I, s:I}",
			    field_name(FLD_INDICATOR_VALUE_PERIOD), vp.code, "due_on", due,
			    "state", state,
			    "reported_on", reported[0] ? reported : NULL,
			    "values", (json_int_t)have, "indicators",
			    (json_int_t)json_array_size(inds)));
		}
		json_array_append_new(out, json_pack("{s:O, s:o, s:o, s:o, s:O, s:O, s:o, "
		    "s:{s:i, s:i, s:i}}", "duty_id", json_object_get(duty, "id"),
		    entity_of(ENT_TARGET_SET)->name, ref_title(s, ENT_TARGET_SET, set),
		    "reporter_unit", ref_title(s, ENT_ADMIN_UNIT, unit),
		    "recipient", ref_title(s, ENT_ORGANISATION,
		    jrec_int(duty, FLD_REPORTING_DUTY_RECIPIENT_ORG_ID)),
		    field_name(FLD_REPORTING_DUTY_FREQUENCY),
		    json_object_get(duty, field_name(FLD_REPORTING_DUTY_FREQUENCY)),
		    field_name(FLD_REPORTING_DUTY_DUE_DAY),
		    json_object_get(duty, field_name(FLD_REPORTING_DUTY_DUE_DAY)),
		    "periods", plist,
		    "counts", "on_time", (int)on_time, "late", (int)late, "missing", (int)missing));
		json_decref(periods);
		json_decref(inds);
	}
	json_decref(duties);
	return out;
}
