/*
 * pages_auth.c - sign-in and sign-out pages (the routes that make a
 * session), and the page frame shared by all pages.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "login_tmpl.h"
#include "pages.h"

const struct nav_item nav_items[] = {
	{ "Tổng quan", "/" },
	{ "Đơn vị hành chính", "/units" },
	{ "Chương trình & thỏa thuận", "/e/agreement" },
	{ "Chỉ tiêu", "/e/target_set" },
	{ "Hội nghị", "/e/meeting" },
	{ "Hoạt động", "/e/activity" },
	{ "Vụ việc", "/e/incident" },
	{ "Kiến nghị & nhiệm vụ", "/e/recommendation" },
	{ "Giám sát", "/e/supervision" },
	{ "Khen thưởng", "/e/commendation" },
	{ "Nhập từ văn bản", "/ingest" },
	{ "Báo cáo", "/reports" },
	{ "Quản trị", "/admin" },
};
const size_t nav_count = sizeof(nav_items) / sizeof(nav_items[0]);

void
page_init(struct request *r, struct page *pg, const char *title,
    const char *section)
{
	memset(pg, 0, sizeof(*pg));
	pg->title = title;
	pg->section = section;
	pg->user = &r->user;
	pg->csrf = r->user.csrf;
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

static const char *
safe_next(const char *next)
{
	return http_local_path(next) ? next : "/";
}

static void
get_login(struct request *r)
{
	struct page pg;

	if (r->user.id != 0) {
		resp_redirect(r, safe_next(req_query(r, "next")));
		return;
	}
	page_init(r, &pg, "Đăng nhập", NULL);
	login_page(&r->out, &pg, "", safe_next(req_query(r, "next")), NULL);
	page_done(r, 200);
}

static void
post_login(struct request *r)
{
	json_t *form = req_form(r);
	const char *login = NULL, *password = NULL, *next = NULL;
	char token[AUTH_TOKEN_LEN + 1];
	struct err e = { 0 };
	struct page pg;

	if (form != NULL) {
		login = json_string_value(json_object_get(form, "login"));
		password = json_string_value(json_object_get(form, "password"));
		next = json_string_value(json_object_get(form, "next"));
	}
	if (login == NULL || password == NULL || *login == '\0') {
		err_set(&e, ERR_INVALID, "hãy nhập tên đăng nhập và mật khẩu");
	} else if (auth_sign_in(r->store, login, password, r->client_ip, token,
	    sizeof(token), &e) == 0) {
		/* a fresh session id at every sign-in (no fixation) */
		api_set_session_cookie(r, token);
		resp_redirect(r, safe_next(next));
		return;
	}
	memset(&r->user, 0, sizeof(r->user));
	page_init(r, &pg, "Đăng nhập", NULL);
	login_page(&r->out, &pg, login ? login : "", safe_next(next), e.msg);
	page_done(r, err_http_status(e.code));
}

static void
post_logout(struct request *r)
{
	auth_sign_out(r->store, req_cookie(r, SESSION_COOKIE));
	api_set_session_cookie(r, NULL);
	resp_redirect(r, "/login");
}

const struct route auth_routes[] = {
	{ M_GET | M_HEAD, "/login", get_login, RT_HTML | RT_PUBLIC },
	{ M_POST, "/login", post_login, RT_HTML | RT_PUBLIC },
	{ M_POST, "/logout", post_logout, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
