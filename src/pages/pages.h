/*
 * pages.h - the HTML pages' route tables (NULL-handler terminated), handed
 * to the server at start-up in the order of cli/routes.c.  The page frame
 * the pages share is web/page.h.
 */
#ifndef GIAPRANH_PAGES_H
#define GIAPRANH_PAGES_H

#include "http/http.h"

extern const struct route page_routes[];        /* pages.c: overview, admin, records, units */
extern const struct route auth_routes[];        /* pages_auth.c: sign-in, sign-out */
extern const struct route report_page_routes[]; /* pages_report.c: /reports, /grid */
extern const struct route follow_routes[];      /* pages_follow.c: /todo, /follow, /timeline */
extern const struct route tools_routes[];       /* pages_tools.c: per-record tools */
extern const struct route ingest_routes[];      /* pages_ingest.c: /ingest */
extern const struct route reorg_page_routes[];  /* pages_reorg.c: /admin/units/reorganise */
extern const struct route charts_routes[];      /* pages_charts.c: /charts, /charts/data/NAME */
extern const struct route map_routes[];         /* pages_map.c: /map, /map/features */
extern const struct route import_routes[];      /* pages_import.c: /import */
extern const struct route notify_routes[];      /* pages_notify.c: /notifications */
extern const struct route guide_routes[];       /* pages_guide.c: /guide */

#endif
