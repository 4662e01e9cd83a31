/*
 * report_formats.c - the renderers by format name (report_format_find),
 * for every way out of a report (the API, the pages, the command line);
 * moved from api_report.c, unchanged: above every renderer.
 */
#include <string.h>

#include "report/report.h"

static const struct {
	const char *name;
	const char *type;
	const char *ext;
	int (*render)(const json_t *doc, struct buf *out, struct err *e);
} formats[] = {
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	  "docx", report_render_docx },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	  "xlsx", report_render_xlsx },
	{ "csv", "text/csv; charset=utf-8", "csv", report_render_csv },
	{ "html", "text/html; charset=utf-8", "html", report_render_html },
	{ "pdf", "application/pdf", "pdf", report_render_pdf },
};

int
report_format_find(const char *name, const char **type, const char **ext,
    int (**render)(const json_t *, struct buf *, struct err *))
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*type = formats[i].type;
			*ext = formats[i].ext;
			*render = formats[i].render;
			return 0;
		}
	return -1;
}
