/*
 * pages_charts.h - the charts page (/charts, templates/charts.tmpl) and
 * the map page (/map, templates/map.tmpl): what their templates call.
 *
 * A chart is a JSON model, the same for the page's table (the reading
 * without JavaScript) and for static/charts.js, which fetches it from
 * /charts/data/NAME and draws it with Chart.js:
 *   { chart, figure, subject, draw ("bar" | "line"), stacked, percent,
 *     integer? (counts: no tenths on the axis),
 *     x_axis, y_axis, labels: [..], row_heads: [..] (the table's first
 *     column; the labels when absent), datasets: [ {series, data: [..],
 *     dashed? (a plan line)} ], sparse_table? (rows of zeros left out of
 *     the table),
 *     remark? (a line under the heading) }
 * data[i] belongs to labels[i]; null where there is no figure.
 */
#ifndef GIAPRANH_PAGES_CHARTS_H
#define GIAPRANH_PAGES_CHARTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "web/page.h"

/* A figure of a chart's table, the Vietnamese way ("1.234,5", "97,1%";
 * "–" for none), escaped. */
void charts_cell(struct buf *b, const json_t *v, bool percent);
/* Is row i of a table that leaves out empty rows ("sparse_table": months
 * without records) all zeros? */
bool charts_row_empty(const json_t *model, size_t i);

/* The map's tables (pages_map.c): "22,7200; 104,2900", escaped. */
void map_coord(struct buf *b, const json_t *lat, const json_t *lon);

#endif
