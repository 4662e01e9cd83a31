/* routes.c - see routes.h */
#include "api/api.h"
#include "cli/routes.h"
#include "http/http.h"
#include "http/server.h"
#include "pages/pages.h"
#include "web/error_page.h"

/* The order matters: the first route whose pattern and method match
 * answers. */
static const struct route *const route_tables[] = {
	openapi_routes, /* before api_routes' /api/v1/: (openapi.json) */
	values_routes, /* before api_routes' /api/v1/:/: (unit_by_code/CODE) */
	dhis2_routes, /* before api_routes' /api/v1/: (dataValueSets) */
	auth_routes, attach_routes, coord_routes, report_routes,
	report_page_routes, follow_routes, tools_routes, ingest_routes, import_routes, notify_routes, charts_routes,
	map_routes,
	reorg_routes, /* before api_routes' /api/v1/units/: */
	reorg_page_routes, guide_routes, api_routes, page_routes,
};

void
routes_install(void)
{
	server_set_routes(route_tables, sizeof(route_tables) / sizeof(route_tables[0]));
	http_set_error_page(page_error);
}
