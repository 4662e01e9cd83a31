/*
 * error_page.c - an error as a page of its own (error_page.h), drawn in
 * the page frame by templates/error.tmpl.  Moved from pages_records.c,
 * unchanged.
 */
#include "web/error_page.h"
#include "web/error_tmpl.h"
#include "web/page.h"

void
view_error_page(struct request *r, int status, const char *msg)
{
	struct page pg;
	const char *title;

	switch (status) {
	case 403: title = "Không có quyền"; break;
	case 404: title = "Không tìm thấy"; break;
	case 409: title = "Không thực hiện được"; break;
	case 400: title = "Yêu cầu không hợp lệ"; break;
	default: title = "Có lỗi"; break;
	}
	page_init(r, &pg, title, NULL);
	error_page(&r->out, &pg, status, msg);
	page_done(r, status);
}

void
page_error(struct request *r, int status, const char *msg)
{
	view_error_page(r, status, msg);
}
