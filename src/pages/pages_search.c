/*
 * pages_search.c - the header's search box (issue 17): /search?q= finds any
 * record the user may see, whatever its kind - a name, a document number
 * ("2523/QĐ-UBND"), a place - without diacritics or case, grouped by kind.
 *
 * It is the lists' search (store_list's q: the folded search_key of every
 * record, LIKE on both engines) asked of every kind the user may read,
 * with the lists' rule for confidential records (only with clearance);
 * each group links to its full list.
 */
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "pages/pages_view.h"
#include "pages/search_tmpl.h"
#include "schema/registry.h"
#include "store/store.h"
#include "web/error_page.h"

/* Does ent have text to search (a search field), and is it a kind of
 * record people look for?  The system's logs and the catalogs are not. */
static bool
searchable(const struct entity_def *ent)
{
	size_t i;

	if ((ent->flags & E_READONLY) || ent->id == ENT_CATALOG_ITEM ||
	    ent->id == ENT_AUDIT_LOG)
		return false;
	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].flags & F_SEARCH)
			return true;
	return false;
}

void
page_search(struct request *r)
{
	/* q, or tim from the header's box (named apart from a list's q) */
	const char *q = req_query(r, "q") != NULL ? req_query(r, "q") : req_query(r, "tim");
	struct search_view sv;
	struct view v;
	struct page pg;
	struct err e = { 0 };
	size_t i;

	view_init(&v, r);
	memset(&sv, 0, sizeof(sv));
	sv.v = &v;
	sv.q = q != NULL ? q : "";
	sv.groups = json_array();
	for (i = 0; *sv.q != '\0' && i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		struct list_query lq;
		json_t *rows = NULL, *args;
		int64_t total = 0;
		if (!searchable(ent) || !auth_can_read_entity(&r->user, ent))
			continue;
		memset(&lq, 0, sizeof(lq));
		lq.search = sv.q;
		lq.limit = SEARCH_GROUP_ROWS;
		lq.see_confidential = auth_has_clearance(&r->user);
		if (store_list(r->store, ent, &lq, &rows, &total, &e) != 0) {
			/* a query too long or not text is the person's to fix */
			int status = err_http_status(e.code);
			json_decref(sv.groups);
			view_free(&v);
			page_error(r, status, e.msg);
			err_clear(&e);
			return;
		}
		if (total > 0) {
			args = json_pack("{s:s}", "q", sv.q);
			char path[96];
			snprintf(path, sizeof(path), "/e/%s", ent->name);
			json_array_append_new(sv.groups, json_pack("{s:s, s:o, s:I, s:s}",
			    "ent", ent->name, "rows", rows, "total", (json_int_t)total,
			    "all_href", view_url(&v, path, args)));
			json_decref(args);
			sv.total += total;
		} else {
			json_decref(rows);
		}
	}
	page_init(r, &pg, *sv.q ? "Kết quả tìm kiếm" : "Tìm kiếm", NULL);
	pg.search = sv.q;
	search_page(&r->out, &pg, &sv);
	page_done(r, 200);
	json_decref(sv.groups);
	view_free(&v);
}
