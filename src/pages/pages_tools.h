/*
 * pages_tools.h - what a record's page offers beyond its fields, by what
 * the record is (templates/tools.tmpl): the achievement of a target set,
 * plan vs done of a program, "Lập báo cáo" on every report scope, the
 * data-entry grid, the timeline, workflow moves (allowed next states only),
 * answering a recommendation, issuing a report, and the attached files
 * with an upload form.
 */
#ifndef GIAPRANH_PAGES_TOOLS_H
#define GIAPRANH_PAGES_TOOLS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "http/http.h"
#include "schema/registry.h"

struct tools_view {
	const struct entity_def *ent;
	const json_t *rec;
	int64_t id;
	bool can_write;
	const char *csrf;
	const char *report_scope;  /* "target_set:3" when the record is a scope */
	const char *summary;       /* achievement or progress line, or NULL     */
	const char *grid_href;     /* data entry for a target set               */
	const char *timeline_href;
	const char *dashboard_href; /* a unit's own overview                 */
	const char *tree_href;     /* a unit in the tree of units               */
	const char *status_field;  /* workflow field, or NULL                   */
	json_t *next;              /* [[code, label]] allowed next states        */
	json_t *files;             /* attachment records                         */
	bool answer;               /* a recommendation waiting for an answer     */
	bool issue;                /* a draft report that may be issued          */
	const char *report_links;  /* query string of a saved report's downloads */
	const char *flash;
};

/* Render the tools of a record page into b (escaped). */
void tools_render(struct buf *b, struct request *r, const struct entity_def *ent,
    const json_t *rec, bool can_write);

#endif
