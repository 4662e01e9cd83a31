/*
 * pages_auth.c - sign-in and sign-out pages (the routes that make a
 * session).  The page frame shared by all pages is web/page.c.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "pages/login_tmpl.h"
#include "pages/pages.h"
#include "web/page.h"
#include "web/web.h"

static const char *
safe_next(const char *next)
{
	return http_local_path(next) ? next : "/";
}

/* ---- the sign-in form's CSRF token -------------------------------------------
 *
 * Before sign-in there is no session to hold a CSRF token, yet a forged
 * sign-in is an attack too ("login CSRF": another site posts the form with
 * the attacker's password, and the victim then works, and types, in the
 * attacker's account).  GET /login gives the browser a random token twice:
 * in a cookie (HttpOnly, SameSite=Strict: never sent with another site's
 * request) and in the form's _csrf field; POST /login must bring both,
 * equal.  POST /api/v1/session is not a form: it takes only
 * application/json, which another site cannot send without CORS. */

#define LOGIN_COOKIE "gp_login"

static bool
login_token_well_formed(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != AUTH_TOKEN_LEN)
		return false;
	for (i = 0; i < AUTH_TOKEN_LEN; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_'))
			return false;
	return true;
}

/* The browser's sign-in token: its cookie's, or a new one (set). */
static const char *
login_token(struct request *r, bool fresh)
{
	const char *t = req_cookie(r, LOGIN_COOKIE);
	unsigned char raw[32];
	char token[AUTH_TOKEN_LEN + 1], cookie[160];

	if (!fresh && login_token_well_formed(t))
		return t;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/login; HttpOnly; "
	    "SameSite=Strict; Max-Age=%d%s", LOGIN_COOKIE, token, LOGIN_FORM_MAX_AGE_S,
	    r->tls ? "; Secure" : "");
	resp_header(r, "Set-Cookie", cookie);
	return req_strdup(r, token);
}

static void
login_form(struct request *r, int status, const char *login, const char *next,
    const char *error, bool fresh)
{
	struct page pg;
	const char *token = login_token(r, fresh);

	memset(&r->user, 0, sizeof(r->user));
	page_init(r, &pg, "Đăng nhập", NULL);
	pg.csrf = token ? token : "";
	login_page(&r->out, &pg, login, next, error);
	page_done(r, status);
}

static void
get_login(struct request *r)
{
	if (r->user.id != 0) {
		resp_redirect(r, safe_next(req_query(r, "next")));
		return;
	}
	login_form(r, 200, "", safe_next(req_query(r, "next")), NULL, false);
}

static void
post_login(struct request *r)
{
	json_t *form = req_form(r);
	const char *login = NULL, *password = NULL, *next = NULL, *sent = NULL;
	const char *cookie = req_cookie(r, LOGIN_COOKIE);
	char token[AUTH_TOKEN_LEN + 1];
	struct err e = { 0 };

	if (form != NULL) {
		login = json_string_value(json_object_get(form, "login"));
		password = json_string_value(json_object_get(form, "password"));
		next = json_string_value(json_object_get(form, "next"));
		sent = json_string_value(json_object_get(form, "_csrf"));
	}
	/* checked before the password: a forged form learns nothing and
	 * costs no throttle */
	if (!login_token_well_formed(cookie) || sent == NULL ||
	    !auth_secret_equal(sent, cookie)) {
		login_form(r, 403, login ? login : "", safe_next(next), "biểu mẫu đăng nhập "
		    "đã hết hạn hoặc không phải của trang này (thiếu mã chống giả mạo); "
		    "hãy nhập lại tên đăng nhập và mật khẩu", true);
		return;
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
	login_form(r, err_http_status(e.code), login ? login : "", safe_next(next), e.msg,
	    false);
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
