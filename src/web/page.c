/*
 * page.c - the frame of every HTML page (page.h): the navigation, a page
 * started and finished for a request.  Moved from pages_auth.c, unchanged.
 */
#include <string.h>

#include "base/clock.h"
#include "domain/auth.h"
#include "domain/remind.h"
#include "web/page.h"

const struct nav_item nav_items[] = {
	{ "Tổng quan", "/" },
	{ "Đơn vị hành chính", "/units" },
	{ "Chương trình & thỏa thuận", "/e/agreement" },
	{ "Chỉ tiêu", "/e/target_set" },
	{ "Nhập số liệu", "/grid" },
	{ "Hội nghị", "/e/meeting" },
	{ "Hoạt động", "/e/activity" },
	{ "Vụ việc", "/e/incident" },
	{ "Kiến nghị & nhiệm vụ", "/e/recommendation" },
	{ "Giám sát", "/e/supervision" },
	{ "Khen thưởng", "/e/commendation" },
	{ "Biểu đồ", "/charts" },
	{ "Bản đồ", "/map" },
	{ "Nhập từ văn bản", "/ingest" },
	{ "Nhập từ tệp", "/import" },
	{ "Báo cáo", "/reports" },
	{ "Quản trị", "/admin" },
};
const size_t nav_count = sizeof(nav_items) / sizeof(nav_items[0]);

bool
page_nav_shown(const struct user *u, const struct nav_item *it)
{
	size_t i;

	if (strcmp(it->href, "/admin") == 0)
		return auth_is_admin(u);
	if (strcmp(it->href, "/import") == 0) {
		for (i = 0; i < u->ngrants; i++)
			if (u->grants[i].role >= ROLE_EDITOR)
				return true;
		return false;
	}
	return true;
}

void
page_init(struct request *r, struct page *pg, const char *title,
    const char *section)
{
	memset(pg, 0, sizeof(*pg));
	pg->title = title;
	pg->section = section;
	pg->user = &r->user;
	pg->csrf = r->user.csrf;
	pg->notices = -1;
	if (r->user.id != 0 && r->store != NULL) {
		char today[CLOCK_DATE_LEN];
		clock_today(today);
		/* a failure leaves the bell without its number, not the page */
		pg->notices = remind_count(r->store, &r->user, today, REMIND_DAYS_DEFAULT,
		    NULL);
	}
	buf_reset(&r->out);
	r->out.max = HTML_PAGE_MAX;
}

void
page_done(struct request *r, int status)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->no_store = true;
}
