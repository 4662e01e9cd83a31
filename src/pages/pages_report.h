/*
 * pages_report.h - the report pages (builder form, saved reports,
 * reporting duties) and the data-entry grid of indicator values: the page
 * models their templates (templates/reports.tmpl) render.
 */
#ifndef GIAPRANH_PAGES_REPORT_H
#define GIAPRANH_PAGES_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "web/page.h"

struct reports_view {
	json_t *scopes;      /* [{label, items: [{scope, title}]}]          */
	const char *scope;   /* preselected scope                            */
	const char *scope_pick; /* the scope select's picker attributes
	                      * (view_scope_attrs: escaped)                 */
	const char *period;
	json_t *reports;     /* saved report records                         */
	json_t *duties;      /* duties_status of this year                    */
	long long year;
	bool may_create;
	bool pdf;            /* LibreOffice is installed                      */
};

struct grid_view {
	json_t *sets;        /* target sets to choose from                   */
	json_t *units;       /* units to choose from: the set's unit, those
	                      * below it, the unit shown                     */
	int64_t set_id;
	int64_t unit_id;     /* the unit shown, 0 none                        */
	const char *unit_code;
	const char *unit_name;
	const char *period;
	json_t *rows;        /* [{indicator_id, group, name, uom, target,
	                      *   actual, comment, status_label, error, pct,
	                      *   pct_note, band}]                           */
	const char *error;
	const char *flash;   /* what the last save did ("Đã lưu 5 số liệu…")  */
	bool locked;         /* every value approved                          */
	bool approver;
};

/* The confirmation of issuing a report (GET /reports/ID/issue). */
struct issue_view {
	int64_t id;
	json_t *rec;
	const char *title, *issuer, *period, *signer;
	const char *number;  /* when issued already                        */
	bool issued;         /* not a draft any more: nothing to confirm     */
};

#endif
