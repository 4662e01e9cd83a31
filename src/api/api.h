/*
 * api.h - the JSON API's route tables (NULL-handler terminated), handed to
 * the server at start-up in the order of cli/routes.c.  What the API shares
 * with the pages is web/web.h.
 */
#ifndef GIAPRANH_API_H
#define GIAPRANH_API_H

#include "http/http.h"

extern const struct route api_routes[];     /* api.c: every entity, /me, /units, /session */
extern const struct route attach_routes[];  /* api_attach.c: upload, download */
extern const struct route coord_routes[];   /* api_coord.c: follow-up, achievement */
extern const struct route report_routes[];  /* api_report.c: build, issue */
extern const struct route values_routes[];
extern const struct route openapi_routes[]; /* api_openapi.c: the OpenAPI document, /api/docs */
extern const struct route dhis2_routes[];   /* api_dhis2.c: DHIS2 dataValueSets, ADX */
extern const struct route reorg_routes[];   /* api_reorg.c: units reorganised from CSV */

/* The API as an OpenAPI 3.1 document, made from the registry and the route
 * tables above (api_openapi.c); NULL when out of memory. */
json_t *openapi_document(void);  /* api_values.c: indicator values, units by code */

#endif
