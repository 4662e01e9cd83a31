/*
 * api_dhis2.c - indicator values at DHIS2's own paths, so that its
 * clients work unchanged (docs/EXCHANGE.md; domain/dhis2.h):
 *
 *   GET  /api/v1/dataValueSets[.json|.csv|.adx]?dataSet=&period=&orgUnit=
 *        [&children=true][&idScheme=&dataElementIdScheme=&orgUnitIdScheme=
 *        &dataSetIdScheme=]
 *        the values the caller may read: JSON unless the suffix or Accept
 *        asks for CSV (application/csv) or ADX (application/adx+xml)
 *   POST /api/v1/dataValueSets[?dataSet=&dryRun=&importStrategy=&id schemes
 *        &firstRowIsHeader=]
 *        a data value set in the format its Content-Type names, written
 *        through the write path as the caller; answers DHIS2's import
 *        summary (200: what was imported, updated, ignored, deleted, and a
 *        conflict naming each value refused)
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "domain/dhis2.h"
#include "domain/dhis2_keys.h"
#include "http/http.h"
#include "web/web.h"

/* A media type as its first word (no parameters), case as sent. */
static bool
media_is(const char *header, const char *type)
{
	size_t n = strlen(type);

	if (header == NULL)
		return false;
	while (*header == ' ')
		header++;
	return strncasecmp(header, type, n) == 0 && (header[n] == '\0' ||
	    header[n] == ';' || header[n] == ' ' || header[n] == ',');
}

/* Does an Accept header list a media type? */
static bool
accepts(const char *accept, const char *type)
{
	const char *p;

	for (p = accept; p != NULL && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (media_is(p, type))
			return true;
	return false;
}

/* "true" or "false" (DHIS2's booleans), absent = dflt; -1 answered. */
static int
bool_arg(struct request *r, const char *name, bool dflt, bool *out)
{
	const char *v = req_query(r, name);

	*out = dflt;
	if (v == NULL || *v == '\0')
		return 0;
	if (strcasecmp(v, DK_TRUE) == 0)
		*out = true;
	else if (strcasecmp(v, DK_FALSE) == 0)
		*out = false;
	else {
		struct err e = { 0 };
		err_field(&e, name, "phải là true hoặc false");
		err_set(&e, ERR_BAD_REQUEST, "%s phải là true hoặc false, không phải '%.40s'",
		    name, v);
		resp_error(r, &e);
		err_clear(&e);
		return -1;
	}
	return 0;
}

static const char *
type_of(enum dhis2_format f)
{
	return f == DHIS2_CSV ? DK_TYPE_CSV "; charset=utf-8" :
	    f == DHIS2_ADX ? DK_TYPE_ADX "; charset=utf-8" :
	    DK_TYPE_JSON "; charset=utf-8";
}

static void
get_values(struct request *r, enum dhis2_format f)
{
	struct dhis2_query q;
	struct err e = { 0 };
	char now[CLOCK_TIMESTAMP_LEN];
	json_t *values;

	memset(&q, 0, sizeof(q));
	q.format = f;
	q.data_set = req_query(r, DK_DATA_SET);
	q.period = req_query(r, DK_PERIOD);
	q.org_unit = req_query(r, DK_ORG_UNIT);
	q.id_scheme = req_query(r, DK_ID_SCHEME);
	q.data_element_id_scheme = req_query(r, DK_DE_ID_SCHEME);
	q.org_unit_id_scheme = req_query(r, DK_OU_ID_SCHEME);
	q.data_set_id_scheme = req_query(r, DK_DS_ID_SCHEME);
	if (bool_arg(r, DK_CHILDREN, false, &q.children) != 0)
		return;
	if ((values = dhis2_export(r->store, &r->user, &q, &e)) == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	clock_timestamp(now);
	buf_reset(&r->out);
	r->out.max = JSON_RESPONSE_MAX;
	if (dhis2_write(f, values, now, &r->out, &e) != 0) {
		json_decref(values);
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	json_decref(values);
	r->status = 200;
	r->content_type = type_of(f);
	r->no_store = true;
}

/* The format of the answer: a suffix, else Accept, else JSON. */
static void
get_any(struct request *r)
{
	const char *accept = req_header(r, "Accept");

	get_values(r, accepts(accept, DK_TYPE_ADX) ? DHIS2_ADX :
	    accepts(accept, DK_TYPE_CSV) || accepts(accept, "text/csv") ? DHIS2_CSV :
	    DHIS2_JSON);
}

static void
get_json(struct request *r)
{
	get_values(r, DHIS2_JSON);
}

static void
get_csv(struct request *r)
{
	get_values(r, DHIS2_CSV);
}

static void
get_adx(struct request *r)
{
	get_values(r, DHIS2_ADX);
}

static void
post_values(struct request *r)
{
	const char *ct = req_header(r, "Content-Type");
	struct dhis2_import_opts o;
	struct actor who = api_actor(r);
	struct err e = { 0 };
	json_t *summary;

	memset(&o, 0, sizeof(o));
	if (media_is(ct, DK_TYPE_JSON))
		o.format = DHIS2_JSON;
	else if (media_is(ct, DK_TYPE_CSV) || media_is(ct, "text/csv"))
		o.format = DHIS2_CSV;
	else if (media_is(ct, DK_TYPE_ADX)) /* the ADX section's own examples (§1.1) */
		o.format = DHIS2_ADX;
	else {
		resp_fail(r, ERR_MEDIA_TYPE, "gửi %s, %s hoặc %s", DK_TYPE_JSON, DK_TYPE_CSV,
		    DK_TYPE_ADX);
		return;
	}
	o.data_set = req_query(r, DK_DATA_SET);
	o.id_scheme = req_query(r, DK_ID_SCHEME);
	o.data_element_id_scheme = req_query(r, DK_DE_ID_SCHEME);
	o.org_unit_id_scheme = req_query(r, DK_OU_ID_SCHEME);
	o.data_set_id_scheme = req_query(r, DK_DS_ID_SCHEME);
	o.strategy = req_query(r, DK_IMPORT_STRATEGY);
	if (bool_arg(r, DK_DRY_RUN, false, &o.dry_run) != 0 ||
	    bool_arg(r, DK_FIRST_ROW_IS_HEADER, true, &o.first_row_is_header) != 0)
		return;
	summary = dhis2_import(r->store, buf_str(&r->body), r->body.len, &o, &who, &e);
	if (summary == NULL) {
		resp_error(r, &e);
		err_clear(&e);
		return;
	}
	resp_json(r, 200, summary);
}

const struct route dhis2_routes[] = {
	{ M_GET | M_HEAD, "/api/v1/dataValueSets", get_any, RT_API },
	{ M_GET | M_HEAD, "/api/v1/dataValueSets.json", get_json, RT_API },
	{ M_GET | M_HEAD, "/api/v1/dataValueSets.csv", get_csv, RT_API },
	{ M_GET | M_HEAD, "/api/v1/dataValueSets.adx", get_adx, RT_API },
	{ M_POST, "/api/v1/dataValueSets", post_values, RT_API },
	{ 0, NULL, NULL, 0 },
};
