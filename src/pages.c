/* pages.c - the HTML pages driven by the registry. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "home_tmpl.h"
#include "layout_tmpl.h"
#include "pages.h"
#include "pages_view.h"

static void
get_home(struct request *r)
{
	json_t *counts = json_object();
	struct page pg;
	size_t i;
	int64_t n;

	for (i = 0; i < registry_count; i++)
		if (store_count(r->store, registry[i], &n, NULL) == 0)
			json_object_set_new(counts, registry[i]->name, json_integer(n));
	page_init(r, &pg, "Tổng quan", "Tổng quan");
	home_page(&r->out, &pg, counts);
	page_done(r, 200);
	json_decref(counts);
}

const struct route page_routes[] = {
	{ M_GET | M_HEAD, "/", get_home, RT_HTML },
	{ M_GET | M_HEAD, "/units", page_units, RT_HTML },
	{ M_GET | M_HEAD, "/e/:", page_list, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/new", page_new, RT_HTML },
	{ M_GET | M_HEAD, "/e/:/options", page_options, RT_HTML },
	{ M_GET | M_HEAD, "/e/:/:", page_detail, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/:/edit", page_edit, RT_HTML },
	{ M_GET | M_HEAD | M_POST, "/e/:/:/delete", page_delete, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
