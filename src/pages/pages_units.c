/*
 * pages_units.c - the administrative-unit browser (/units): the units in
 * force on a date, from the province down to villages, each with its
 * 1 July 2025 lineage (merged into / formed from) and its flags.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/auth.h"
#include "pages/pages_view.h"
#include "pages/units_tmpl.h"
#include "schema/record.h"
#include "text/html.h"
#include "text/text.h"
#include "web/web.h"

#define UNITS_SEARCH_ROWS 50   /* search results shown                 */
#define UNITS_LINEAGE_MAX 200  /* children whose lineage is looked up  */

static bool
valid_on(const json_t *u, const char *date)
{
	const char *from = jrec_str(u, FLD_ADMIN_UNIT_VALID_FROM);
	const char *to = jrec_str(u, FLD_ADMIN_UNIT_VALID_TO);

	return (from == NULL || strcmp(from, date) <= 0) &&
	    (to == NULL || strcmp(to, date) >= 0);
}

/* "merged into" for units that ended, "formed from" for units that began
 * with the 2025 reorganisation: {id: {"succ": [...], "pred": [...]}} */
static void
add_lineage(struct request *r, json_t *lineage, const json_t *u)
{
	int64_t id = json_integer_value(json_object_get(u, "id"));
	json_t *entry = json_object(), *a;
	char key[32];

	if (json_is_string(jrec_get(u, FLD_ADMIN_UNIT_VALID_TO)) &&
	    (a = store_unit_successors(r->store, id, NULL)) != NULL)
		json_object_set_new(entry, "succ", a);
	if (json_is_string(jrec_get(u, FLD_ADMIN_UNIT_VALID_FROM)) &&
	    (a = store_unit_predecessors(r->store, id, NULL)) != NULL)
		json_object_set_new(entry, "pred", a);
	snprintf(key, sizeof(key), "%lld", (long long)id);
	json_object_set_new(lineage, key, entry);
}

const char *
units_href(struct units_view *uv, const json_t *u)
{
	const char *from = jrec_str(u, FLD_ADMIN_UNIT_VALID_FROM);
	const char *to = jrec_str(u, FLD_ADMIN_UNIT_VALID_TO);
	const char *date = uv->date;
	char tmp[160];

	/* a unit of the other side of 1/7/2025 opens on a day it was in force */
	if (!valid_on(u, date))
		date = from != NULL && strcmp(from, date) > 0 ? from : to;
	snprintf(tmp, sizeof(tmp), "/units?date=%s&unit=%lld", date ? date : uv->date,
	    (long long)json_integer_value(json_object_get(u, "id")));
	return view_str(uv->v, tmp);
}

json_t *
units_lineage(struct units_view *uv, const json_t *u, const char *kind)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld",
	    (long long)json_integer_value(json_object_get(u, "id")));
	return json_object_get(json_object_get(uv->lineage, key), kind);
}

void
units_flags(struct buf *b, const json_t *u)
{
	static const struct { enum field_id field; const char *label; } flags[] = {
		{ FLD_ADMIN_UNIT_IS_BORDER, "biên giới" },
		{ FLD_ADMIN_UNIT_IS_EXTREMELY_DIFFICULT, "đặc biệt khó khăn" },
		{ FLD_ADMIN_UNIT_IS_MERITORIOUS, "có công" },
		{ FLD_ADMIN_UNIT_IS_POOR_DISTRICT, "huyện nghèo" },
	};
	const char *note = jrec_str(u, FLD_ADMIN_UNIT_FLAGS_NOTE);
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!jrec_bool(u, flags[i].field))
			continue;
		buf_adds(b, " <span class=\"badge flag\"");
		if (note != NULL) {
			/* where the flag comes from, on hover and in print */
			buf_adds(b, " title=\"");
			html_text(b, note);
			buf_adds(b, "\"");
		}
		buf_adds(b, ">");
		html_text(b, flags[i].label);
		buf_adds(b, "</span>");
	}
}

void
units_validity(struct buf *b, const json_t *u)
{
	const char *from = jrec_str(u, FLD_ADMIN_UNIT_VALID_FROM);
	const char *to = jrec_str(u, FLD_ADMIN_UNIT_VALID_TO);

	if (from == NULL && to == NULL)
		return;
	buf_adds(b, " <small class=\"lineage\">(");
	if (from != NULL) {
		buf_adds(b, "từ ");
		view_date(b, from);
	}
	if (to != NULL) {
		buf_adds(b, from ? " đến " : "đến ");
		view_date(b, to);
	}
	buf_adds(b, ")</small>");
}

void
page_units(struct request *r)
{
	const char *date = req_query(r, "date"), *q = req_query(r, "q");
	const struct entity_def *au = entity_of(ENT_ADMIN_UNIT);
	struct units_view uv;
	struct view v;
	struct page pg;
	char today[CLOCK_DATE_LEN];
	int64_t id = 0;
	size_t i;
	json_t *u;

	/* a unit that is not an id is not "the whole country" */
	if (req_query_int(r, "unit", 1, INT64_MAX, &id) < 0)
		return;
	clock_today(today); /* Vietnam's day (clock.h) */
	{
		/* 31/12/2025 as well as 2025-12-31; a date that is none shows today */
		struct err de = { 0 };
		if (web_date_arg(r, "date", date, &date, &de) != 0 || date == NULL)
			date = today;
		err_clear(&de);
	}
	view_init(&v, r);
	memset(&uv, 0, sizeof(uv));
	uv.v = &v;
	uv.date = view_str(&v, date);
	uv.q = q ? view_str(&v, q) : "";
	uv.lineage = json_object();

	if (q != NULL && *q != '\0') {
		struct list_query lq;
		memset(&lq, 0, sizeof(lq));
		lq.search = q;
		lq.sort = field_name(FLD_ADMIN_UNIT_LEVEL);
		lq.limit = UNITS_SEARCH_ROWS;
		store_list(r->store, au, &lq, &uv.results, &uv.nresults, NULL);
	}
	if (id > 0 && (uv.unit = store_get(r->store, au, id, NULL)) != NULL) {
		uv.path = store_unit_ancestors(r->store, id, NULL);
		uv.unit_valid = valid_on(uv.unit, date);
		add_lineage(r, uv.lineage, uv.unit);
		uv.children = json_array();
		u = store_unit_children(r->store, id, NULL);
		/* an old unit seen on a later date still shows what it held */
		for (i = 0; i < json_array_size(u); i++) {
			json_t *c = json_array_get(u, i);
			if (!uv.unit_valid || valid_on(c, date))
				json_array_append(uv.children, c);
		}
		json_decref(u);
		{
			struct list_query lq;
			json_t *idv = json_integer(id);
			memset(&lq, 0, sizeof(lq));
			lq.filters[0] = (struct list_filter){ field_name(FLD_VILLAGE_COMMUNE_ID), OP_EQ,
			    idv };
			lq.nfilters = 1;
			lq.sort = field_name(FLD_VILLAGE_NAME);
			lq.limit = LIST_LIMIT_MAX;
			store_list(r->store, entity_of(ENT_VILLAGE), &lq,
			    &uv.villages, NULL, NULL);
			json_decref(idv);
		}
	} else {
		uv.children = store_units_on_date(r->store, date, 1, 0, NULL);
	}
	for (i = 0; i < json_array_size(uv.children) && i < UNITS_LINEAGE_MAX; i++)
		add_lineage(r, uv.lineage, json_array_get(uv.children, i));

	page_init(r, &pg, uv.unit ? jrec_str(uv.unit,
	    FLD_ADMIN_UNIT_NAME) : "Đơn vị hành chính", "Đơn vị hành chính");
	units_page(&r->out, &pg, &uv);
	page_done(r, 200);
	json_decref(uv.unit);
	json_decref(uv.path);
	json_decref(uv.children);
	json_decref(uv.villages);
	json_decref(uv.results);
	json_decref(uv.lineage);
	view_free(&v);
}
