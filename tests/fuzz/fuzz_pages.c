/* Every GET route's handler, in-process, with a fuzzed URL (issue 13): the
 * route is looked up as the server does (server_find_route), the query
 * string parsed as libmicrohttpd does it and given to the request the way
 * req_args keeps it, and the handler runs against a demo database as one of
 * the demo users (the first byte: admin, editor, viewer).  An answer of 500
 * or more (but the documented 503 of a PDF without LibreOffice) aborts, as
 * does anything ASan or UBSan sees.  Input: byte 0 the user, then
 * "/PATH?QUERY" as it would be sent.
 *
 * The demo database is made once per process (units and demo data, as
 * `giapranh init --demo`); GIAPRANH_SRCDIR names the repository (default:
 * the working directory) for data/. */
#include <stdio.h>
#include <unistd.h>

#include "cli/routes.h"
#include "domain/auth.h"
#include "domain/seed.h"
#include "fuzz.h"
#include "http/http.h"
#include "http/server.h"
#include "store/store.h"
#include "text/text.h"

static struct store *store;
static struct user users[3];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const logins[] = { "admin", "simacai", "xem" };
	const char *src = getenv("GIAPRANH_SRCDIR");
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	char url[64], dir[PATH_MAX_GP];
	size_t i;

	(void)argc;
	(void)argv;
	routes_install(); /* the server's routes and error page, as main.c */
	if (src == NULL)
		src = ".";
	snprintf(url, sizeof(url), "sqlite:/tmp/giapranh-fuzz-pages-%ld.db", (long)getpid());
	unlink(url + 7);
	if (store_open(url, &store, &e) != 0 || store_migrate(store, NULL, &e) != 0 ||
	    seed_reindex(store, &e) != 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s/data/admin-units", src);
	if (seed_admin_units(store, dir, &sum, &e) != 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s/data/demo", src);
	if (seed_demo(store, dir, &sum, &e) != 0 || seed_demo_users(store, &e) != 0)
		goto fail;
	for (i = 0; i < 3; i++)
		if (auth_user_by_login(store, logins[i], &users[i], &e) != 0)
			goto fail;
	/* the database stays with the process only */
	unlink(url + 7);
	return 0;
fail:
	fprintf(stderr, "fuzz_pages: %s\n", e.msg);
	abort();
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %XX (and '+' in the query) decoded in place, as libmicrohttpd does;
 * the decoded length (a %00 leaves a NUL inside). */
static size_t
unescape(char *s, int plus)
{
	char *o = s, *p;

	for (p = s; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else if (plus && *p == '+') {
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

/* The dispatcher answers 400 before any handler for what is not text. */
static bool
text(const char *s, size_t len)
{
	return strlen(s) == len && text_valid_utf8(s, len);
}

/* The query string into r->query as req_args makes it; false when the
 * dispatcher would have refused it. */
static bool
parse_query(struct request *r, char *qs)
{
	char *pair, *save = NULL, *eq;
	size_t kl, vl;

	r->query = json_object();
	if (r->query == NULL)
		return false;
	for (pair = strtok_r(qs, "&", &save); pair != NULL; pair = strtok_r(NULL, "&", &save)) {
		eq = strchr(pair, '=');
		if (eq != NULL)
			*eq = '\0';
		kl = unescape(pair, 1);
		vl = eq != NULL ? unescape(eq + 1, 1) : 0;
		if (!text(pair, kl) || (eq != NULL && !text(eq + 1, vl)))
			return false;
		json_object_set_new(r->query, pair, json_string(eq != NULL ? eq + 1 : ""));
	}
	return true;
}

/* The one 503 a GET may answer on purpose: a PDF without LibreOffice. */
static bool
documented(const struct request *r)
{
	return r->status == 503 && !r->out_of_memory &&
	    strncmp(r->path, "/reports/build", 14) == 0 &&
	    strstr(buf_str(&r->out), "LibreOffice") != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request r;
	const struct route *rt;
	unsigned allowed;
	char *url, *qs;
	size_t plen;

	if (size < 2 || size > FUZZ_INPUT_MAX)
		return 0;
	url = fuzz_cstr(data + 1, size - 1);
	memset(&r, 0, sizeof(r));
	r.method = M_GET;
	r.method_name = "GET";
	r.store = store;
	r.user = users[data[0] % 3];
	buf_init(&r.body, HTTP_BODY_MAX);
	buf_init(&r.out, JSON_RESPONSE_MAX);
	if ((qs = strchr(url, '?')) != NULL)
		*qs++ = '\0';
	plen = unescape(url, 0);
	if (url[0] != '/' || !text(url, plen) || (r.path = req_strdup(&r, url)) == NULL ||
	    !parse_query(&r, qs != NULL ? qs : url + plen))
		goto out;
	rt = server_find_route(&r, &allowed);
	if (rt == NULL || !(rt->methods & M_GET) ||
	    ((rt->flags & RT_ADMIN) && !auth_is_admin(&r.user)))
		goto out;
	store_request_start(store);
	rt->handler(&r);
	if (r.status >= 500 && !documented(&r)) {
		fprintf(stderr, "fuzz_pages: %d for %s as %s: %.400s\n", r.status, r.path,
		    r.user.login, buf_str(&r.out));
		abort();
	}
out:
	req_release(&r);
	free(url);
	return 0;
}
