/*
 * server.c - libmicrohttpd glue.  A request's life:
 *   1. first call: allocate struct request (no response yet - queueing one
 *      before the body is read makes libmicrohttpd close the connection);
 *   2. body chunks: appended to r->body up to HTTP_BODY_MAX (over it: 413 and
 *      the connection closes, the only case we let it);
 *   3. last call: find the route, sign the user in, check CSRF, call the
 *      handler, add security headers, compress, queue the response;
 *   4. completion callback: the access-log line, then everything is freed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <microhttpd.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <zlib.h>

#include "base/clock.h"
#include "domain/attach.h"
#include "domain/auth.h"
#include "domain/csvio.h"
#include "domain/webhook.h"
#include "http/cache.h"
#include "http/confine.h"
#include "http/daily.h"
#include "http/http.h"
#include "http/http_guard.h"
#include "http/metrics.h"
#include "http/replicas.h"
#include "http/server.h"
#include "text/html.h"
#include "text/text.h"

static const struct server_config *config;
/* requests between their first callback and completion: shutdown waits for
 * these, not for idle keep-alive connections */
static atomic_int in_flight;
/* the HTML error page of the web layer (http_set_error_page) */
static error_page_fn error_page;

/* ---- one store per worker thread ------------------------------------------ */

/* Each worker thread has its own connection to the primary database (and
 * with --db-read one to each standby: replicas.c). */
static _Thread_local struct store *thread_store;
static struct store *all_stores[HTTP_THREADS_MAX + 8];
static size_t nstores;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;

static struct store *
open_worker_store(struct store **slot, const char *url, struct err *e)
{
	if (*slot != NULL)
		return *slot;
	if (store_open(url, slot, e) != 0)
		return NULL;
	pthread_mutex_lock(&stores_lock);
	if (nstores < sizeof(all_stores) / sizeof(all_stores[0]))
		all_stores[nstores++] = *slot;
	pthread_mutex_unlock(&stores_lock);
	return *slot;
}

static struct store *
worker_store(struct err *e)
{
	return open_worker_store(&thread_store, config->db_url, e);
}

/* ---- request helpers (http.h) -------------------------------------------- */

/* Keep one argument in r->query; one that is not text is left out. */
static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	struct request *r = cls;
	json_t *v;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	if (value == NULL) {
		value = "";
		value_size = 0;
	}
	/* a NUL inside (%00) would cut the text where a handler reads it */
	if (strlen(key) != key_size || strlen(value) != value_size ||
	    !text_valid_utf8(key, key_size) || !text_valid_utf8(value, value_size)) {
		r->query_bad = true;
		return MHD_YES;
	}
	v = json_stringn(value, value_size);
	if (v == NULL || json_object_set_new(r->query, key, v) != 0)
		r->query_nomem = true; /* not the client's fault */
	return MHD_YES;
}

json_t *
req_args(struct request *r)
{
	if (r->query != NULL)
		return r->query;
	r->query = json_object();
	if (r->query == NULL)
		r->query_nomem = true;
	else if (r->conn != NULL)
		MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, r);
	return r->query;
}

const char *
req_query(struct request *r, const char *name)
{
	return json_string_value(json_object_get(req_args(r), name));
}

json_t *
req_query_all(struct request *r)
{
	/* shallow: the strings stay the request's */
	json_t *o = json_copy(req_args(r));

	return o != NULL ? o : json_object();
}

const char *
req_header(struct request *r, const char *name)
{
	return r->conn != NULL ?
	    MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *
req_cookie(struct request *r, const char *name)
{
	return r->conn != NULL ?
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

/* One copy of req_strdup, chained to the request. */
struct req_alloc {
	struct req_alloc *next;
	char data[];
};

char *
req_strdup(struct request *r, const char *s)
{
	struct req_alloc *a;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	a = malloc(sizeof(*a) + n + 1);
	if (a == NULL)
		return NULL;
	memcpy(a->data, s, n + 1);
	a->next = r->allocs;
	r->allocs = a;
	return a->data;
}

void
req_release(struct request *r)
{
	struct req_alloc *a, *next;
	size_t i;

	buf_free(&r->body);
	buf_free(&r->out);
	cache_entry_release(r->cached); /* not handed to a response */
	r->cached = NULL;
	json_decref(r->json);
	json_decref(r->form);
	json_decref(r->query);
	r->json = r->form = r->query = NULL;
	for (i = 0; i < r->nuploads; i++)
		buf_free(&r->uploads[i].data);
	r->nuploads = 0;
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i].value);
	r->nheaders = 0;
	for (a = r->allocs; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	r->allocs = NULL;
}

/* A bad argument: 400, naming it (fields) for a script, a page for a
 * browser. */
static void
bad_argument(struct request *r, const char *name, const char *msg)
{
	struct err e = { 0 };

	err_field(&e, name, "%s", msg);
	e.code = ERR_BAD_REQUEST;
	snprintf(e.msg, sizeof(e.msg), "%s", msg);
	text_fix_utf8(e.msg);
	if (r->html && error_page != NULL)
		error_page(r, 400, e.msg);
	else
		resp_error(r, &e);
	err_clear(&e);
}

static int
int_argument(struct request *r, const char *what, const char *name,
    const char *v, int64_t min, int64_t max, int64_t *out)
{
	char msg[ERR_MSG_MAX];
	int64_t n;

	if (v == NULL || *v == '\0')
		return 0;
	if (text_int64(v, &n) && n >= min && n <= max) {
		*out = n;
		return 1;
	}
	if (max == INT64_MAX)
		snprintf(msg, sizeof(msg), "%s '%s' phải là số nguyên từ %lld trở lên, "
		    "không phải '%.40s'", what, name, (long long)min, v);
	else
		snprintf(msg, sizeof(msg), "%s '%s' phải là số nguyên từ %lld đến %lld, "
		    "không phải '%.40s'", what, name, (long long)min, (long long)max, v);
	bad_argument(r, name, msg);
	return -1;
}

int
req_query_int(struct request *r, const char *name, int64_t min, int64_t max,
    int64_t *out)
{
	return int_argument(r, "tham số", name, req_query(r, name), min, max, out);
}

int
req_form_int(struct request *r, const char *name, int64_t min, int64_t max,
    int64_t *out)
{
	json_t *form = req_form(r);

	return int_argument(r, "trường", name,
	    json_string_value(json_object_get(form, name)), min, max, out);
}

int
req_form_version(struct request *r, const char *name, int64_t *out)
{
	json_t *form = req_form(r), *v = json_object_get(form, name);
	const char *s = json_string_value(v);
	char msg[ERR_MSG_MAX];

	if (v == NULL)
		return 0;
	if (s != NULL && *s != '\0')
		return int_argument(r, "trường ẩn", name, s, 1, INT64_MAX, out);
	/* empty: the form was not ours, or was changed; never "no check" */
	snprintf(msg, sizeof(msg), "trường ẩn '%s' phải là phiên bản của bản ghi "
	    "(số nguyên từ 1 trở lên); hãy tải lại trang rồi thử lại", name);
	bad_argument(r, name, msg);
	return -1;
}

static bool
content_type_is(struct request *r, const char *type)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen(type);

	return ct != NULL && strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

json_t *
req_json(struct request *r, struct err *e)
{
	if (r->json != NULL)
		return r->json;
	if (!content_type_is(r, "application/json")) {
		err_set(e, ERR_MEDIA_TYPE, "nội dung gửi lên phải là JSON "
		    "(Content-Type: application/json)");
		return NULL;
	}
	if (r->body.len > HTTP_JSON_BODY_MAX) {
		err_set(e, ERR_TOO_LARGE, "nội dung JSON quá %u byte", HTTP_JSON_BODY_MAX);
		return NULL;
	}
	/* an allocation that failed mid-parse is not the client's fault */
	r->json = err_json_loadb(buf_str(&r->body), r->body.len,
	    JSON_REJECT_DUPLICATES, e);
	return r->json;
}

/* Decode %XX and '+' of one urlencoded component, n bytes of src, into
 * dst (n + 1 bytes); returns the decoded length.  %00 decodes to a NUL,
 * which not_text then refuses, rather than being kept or cut silently. */
static size_t
url_decode(char *dst, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	const char *h1, *h2;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (src[i] == '+') {
			dst[o++] = ' ';
		} else if (src[i] == '%' && i + 2 < n &&
		    (h1 = memchr(hex, src[i + 1], 32)) != NULL &&
		    (h2 = memchr(hex, src[i + 2], 32)) != NULL) {
			dst[o++] = (char)((((h1 - hex) & 15) << 4) | ((h2 - hex) & 15));
			i += 2;
		} else {
			dst[o++] = src[i];
		}
	}
	dst[o] = '\0';
	return o;
}

/* Why n bytes of input are not text, or NULL: a NUL would silently cut
 * it where a C string ends, bytes that are not UTF-8 cannot be stored,
 * searched or answered as JSON. */
static const char *
not_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return "chứa ký tự NUL";
	if (!text_valid_utf8(s, n))
		return "không phải văn bản UTF-8 hợp lệ";
	return NULL;
}

/* The first field of the form that is not text (dispatch refuses it). */
static void
note_bad_field(struct request *r, const char *key, const char *why)
{
	if (r->bad_field[0] != '\0' || r->bad_why != NULL)
		return;
	snprintf(r->bad_field, sizeof(r->bad_field), "%s", key);
	text_fix_utf8(r->bad_field);
	r->bad_why = why;
}

/* libmicrohttpd's post processor walks a multipart body; text fields go
 * to the form, file parts to r->uploads (bounded by HTTP_BODY_MAX). */
static enum MHD_Result
on_part(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	struct request *r = cls;
	struct upload *u = NULL;
	size_t i;

	(void)kind;
	(void)transfer_encoding;
	if (key == NULL)
		return MHD_YES;
	if (not_text(key, strlen(key)) != NULL) {
		note_bad_field(r, key, "có tên không phải văn bản UTF-8 hợp lệ");
		return MHD_YES;
	}
	if (filename == NULL) {
		json_t *old = json_object_get(r->form, key);
		struct buf b;
		buf_init(&b, HTTP_JSON_BODY_MAX);
		if (old != NULL && off > 0)
			buf_add(&b, json_string_value(old), json_string_length(old));
		buf_add(&b, data, size);
		/* kept as bytes: a character may straddle two chunks, so the
		 * text is judged whole, in parse_multipart */
		json_object_set_new(r->form, key, json_stringn_nocheck(buf_str(&b), b.len));
		buf_free(&b);
		return MHD_YES;
	}
	if (not_text(filename, strlen(filename)) != NULL)
		note_bad_field(r, key, "có tên tệp không phải văn bản UTF-8 hợp lệ");
	for (i = 0; i < r->nuploads; i++)
		if (strcmp(r->uploads[i].field, key) == 0)
			u = &r->uploads[i];
	if (u == NULL) {
		if (r->nuploads >= REQ_UPLOADS_MAX)
			return MHD_NO;
		u = &r->uploads[r->nuploads++];
		snprintf(u->field, sizeof(u->field), "%s", key);
		snprintf(u->filename, sizeof(u->filename), "%s", filename);
		snprintf(u->content_type, sizeof(u->content_type), "%s",
		    content_type ? content_type : "application/octet-stream");
		buf_init(&u->data, HTTP_BODY_MAX);
	}
	buf_add(&u->data, data, size);
	return buf_failed(&u->data) ? MHD_NO : MHD_YES;
}

static json_t *
parse_multipart(struct request *r)
{
	struct MHD_PostProcessor *pp;
	const char *k, *why;
	json_t *v;

	r->form = json_object();
	pp = MHD_create_post_processor(r->conn, 65536, on_part, r);
	if (pp == NULL)
		return r->form;
	MHD_post_process(pp, buf_str(&r->body), r->body.len);
	MHD_destroy_post_processor(pp);
	json_object_foreach(r->form, k, v)
		if ((why = not_text(json_string_value(v), json_string_length(v))) != NULL) {
			note_bad_field(r, k, why);
			/* never handed on: a handler would read a cut text */
			json_object_set_new(r->form, k, json_string(""));
		}
	return r->form;
}

const struct upload *
req_upload(struct request *r, const char *field)
{
	size_t i;

	req_form(r);
	for (i = 0; i < r->nuploads; i++)
		if (strcmp(r->uploads[i].field, field) == 0)
			return &r->uploads[i];
	return NULL;
}

json_t *
req_form(struct request *r)
{
	const char *p, *end, *amp, *eq, *why;
	char *key, *val;
	size_t kl, vl;

	if (r->form != NULL)
		return r->form;
	if (content_type_is(r, "multipart/form-data"))
		return parse_multipart(r);
	if (!content_type_is(r, "application/x-www-form-urlencoded") ||
	    r->body.len > HTTP_JSON_BODY_MAX)
		return NULL;
	r->form = json_object();
	/* walked by length: a raw NUL byte in the body must not end it */
	for (p = r->body.data, end = p ? p + r->body.len : p; p != NULL && p < end;
	    p = amp + (amp < end)) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			continue;
		key = malloc((size_t)(eq - p) + 1);
		val = malloc((size_t)(amp - eq));
		if (key == NULL || val == NULL) {
			free(key);
			free(val);
			break; /* the field is missing: its handler says so */
		}
		kl = url_decode(key, p, (size_t)(eq - p));
		vl = url_decode(val, eq + 1, (size_t)(amp - eq - 1));
		if ((why = not_text(key, kl)) != NULL) {
			note_bad_field(r, key, "có tên không phải văn bản UTF-8 hợp lệ");
		} else if ((why = not_text(val, vl)) != NULL) {
			note_bad_field(r, key, why);
		} else if (json_object_get(r->form, key) != NULL && vl > 0) {
			/* a key may repeat (multi-selects): keep all, joined */
			const char *old = json_string_value(json_object_get(r->form, key));
			struct buf b;
			buf_init(&b, HTTP_JSON_BODY_MAX);
			buf_addf(&b, "%s;%s", old ? old : "", val);
			json_object_set_new(r->form, key, json_string(buf_str(&b)));
			buf_free(&b);
		} else {
			json_object_set_new(r->form, key, json_string(val));
		}
		free(key);
		free(val);
	}
	return r->form;
}

void
resp_header(struct request *r, const char *name, const char *value)
{
	if (r->nheaders >= RESP_HEADERS_MAX)
		return;
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = strdup(value);
	r->nheaders++;
}

void
resp_json(struct request *r, int status, json_t *body)
{
	char *s = body != NULL ?
	    json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;

	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
	if (s != NULL) {
		buf_adds(&r->out, s);
		buf_addc(&r->out, '\n');
	}
	/* no body (a constructor's NULL, json_dumps failed, or no room to
	 * copy it): a fixed answer instead, which needs no allocation */
	r->out_of_memory = s == NULL || buf_failed(&r->out);
	if (r->out_of_memory) {
		r->status = err_http_status(ERR_NO_MEMORY);
		buf_reset(&r->out);
	}
	free(s);
	json_decref(body);
}

void
resp_error(struct request *r, const struct err *e)
{
	json_t *err = json_pack("{s:s, s:s}", "code", err_code_name(e->code),
	    "message", e->msg[0] ? e->msg : "lỗi");

	metrics_error(e->code);
	if (e->fields != NULL)
		json_object_set(err, "fields", e->fields);
	resp_json(r, err_http_status(e->code), json_pack("{s:o}", "error", err));
}

void
resp_fail(struct request *r, enum err_code code, const char *fmt, ...)
{
	struct err e = { 0 };
	va_list ap;

	e.code = code;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	text_fix_utf8(e.msg); /* it may quote input */
	resp_error(r, &e);
}

bool
http_local_path(const char *p)
{
	const unsigned char *c;

	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return false;
	for (c = (const unsigned char *)p; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	return true;
}

void
resp_error_for(struct request *r, bool html, enum err_code code, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	text_fix_utf8(msg);
	if (html && error_page != NULL) {
		metrics_error(code);
		error_page(r, err_http_status(code), msg);
	} else {
		resp_fail(r, code, "%s", msg);
	}
}

void
http_set_error_page(error_page_fn fn)
{
	error_page = fn;
}

void
resp_redirect(struct request *r, const char *location)
{
	/* only local paths: never an open redirect */
	if (!http_local_path(location))
		location = "/";
	r->status = 303;
	resp_header(r, "Location", location);
	buf_reset(&r->out);
}

/* ---- routing ----------------------------------------------------------------- */

/* The handler modules' tables, in the order they are matched: handed
 * over at start-up (server_set_routes); the server knows no handler. */
static const struct route *const *route_tables;
static size_t route_ntables;

void
server_set_routes(const struct route *const *tables, size_t n)
{
	route_tables = tables;
	route_ntables = n;
	metrics_set_routes(tables, n);
}

int
server_print_routes(FILE *f)
{
	static const struct { unsigned bit; const char *name; } methods[] = {
		{ M_GET, "GET" }, { M_HEAD, "HEAD" }, { M_POST, "POST" },
		{ M_PATCH, "PATCH" }, { M_PUT, "PUT" }, { M_DELETE, "DELETE" },
	}, flags[] = {
		{ RT_PUBLIC, "public" }, { RT_API, "api" }, { RT_HTML, "html" },
		{ RT_ADMIN, "admin" }, { RT_STATIC, "static" },
	};
	json_t *out = json_array(), *m, *fl;
	const struct route *rt;
	size_t t, i;

	for (t = 0; t < route_ntables; t++)
		for (rt = route_tables[t]; rt->handler != NULL; rt++) {
			m = json_array();
			fl = json_array();
			for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
				if (rt->methods & methods[i].bit)
					json_array_append_new(m, json_string(methods[i].name));
			for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
				if (rt->flags & flags[i].bit)
					json_array_append_new(fl, json_string(flags[i].name));
			json_array_append_new(out, json_pack("{s:o, s:s, s:o}", "methods", m,
			    "pattern", rt->pattern, "flags", fl));
		}
	json_dumpf(out, f, JSON_INDENT(1));
	fputc('\n', f);
	json_decref(out);
	return 0;
}

static enum http_method
method_of(const char *m)
{
	static const struct { const char *name; enum http_method m; } t[] = {
		{ "GET", M_GET }, { "HEAD", M_HEAD }, { "POST", M_POST },
		{ "PATCH", M_PATCH }, { "PUT", M_PUT }, { "DELETE", M_DELETE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(m, t[i].name) == 0)
			return t[i].m;
	return M_OTHER;
}

/* Match "/api/v1/:/:" against a path; captures go into args (pointing into
 * the request's own copy of the path). */
static bool
route_match(struct request *r, const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;
	size_t nargs = 0;
	char *copy;

	/* first pass: does it match at all */
	while (*p && *s) {
		if (*p == '*')
			return true;
		if (*p == ':') {
			if (*s == '/')
				return false;
			while (*s && *s != '/')
				s++;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p == '*') {
		;
	} else if (*p != '\0' || *s != '\0') {
		return false;
	}
	/* second pass: capture */
	copy = req_strdup(r, path);
	if (copy == NULL)
		return false;
	for (p = pattern, s = copy; *p && *s; ) {
		if (*p == '*') {
			if (nargs < 4)
				r->route_args[nargs++] = s;
			break;
		}
		if (*p == ':') {
			char *start = (char *)s;
			while (*s && *s != '/')
				s++;
			if (nargs < 4)
				r->route_args[nargs++] = start;
			if (*s == '/') {
				*(char *)s = '\0';
				s++;
				p++;
				if (*p == '/')
					p++;
				continue;
			}
			p++;
			continue;
		}
		p++;
		s++;
	}
	if (*p == '*' && nargs < 4 && *s == '\0')
		r->route_args[nargs++] = s;
	return true;
}

const struct route *
server_find_route(struct request *r, unsigned *allowed)
{
	size_t t;
	const struct route *rt;

	*allowed = 0;
	for (t = 0; t < route_ntables; t++)
		for (rt = route_tables[t]; rt->handler != NULL; rt++) {
			memset(r->route_args, 0, sizeof(r->route_args));
			if (!route_match(r, rt->pattern, r->path))
				continue;
			*allowed |= rt->methods;
			if (rt->methods & r->method)
				return rt;
		}
	return NULL;
}

static void
allow_header(struct request *r, unsigned allowed)
{
	static const struct { unsigned m; const char *name; } t[] = {
		{ M_GET, "GET" }, { M_HEAD, "HEAD" }, { M_POST, "POST" },
		{ M_PATCH, "PATCH" }, { M_PUT, "PUT" }, { M_DELETE, "DELETE" },
	};
	char buf[96] = "";
	size_t i, used = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (allowed & t[i].m)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
			    used ? ", " : "", t[i].name);
	resp_header(r, "Allow", buf);
}

/* ---- static files -------------------------------------------------------------- */

/* The shipped boundaries of the map (pages_map.c), served under
 * /static/geo/ from --root's data directory. */
static const char *const geo_files[] = {
	"provinces_2025_north.geojson",
	"provinces_2024_north.geojson",
	"districts_2024_north.geojson",
};
#define GEO_DIR "data/admin-units/boundaries"
/* The screenshots of the user guide (/guide, pages_guide.c), served under
 * /static/guide/ from --root's shipped docs: PNG files only. */
#define GUIDE_IMG_DIR "docs/guide/img"

const char *
server_root(void)
{
	return config != NULL && config->root != NULL ? config->root : ".";
}

const char *
server_tile_url(void)
{
	return config != NULL ? config->tile_url : NULL;
}

bool
server_tile_origin(const char *url, char *out, size_t len)
{
	const char *host, *c;
	size_t n;

	if (url == NULL)
		return false;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return false;
	/* the origin goes into a header: a host name, a port, nothing else */
	for (c = host; *c != '\0' && *c != '/'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == ':'))
			return false;
	n = (size_t)(c - url);
	if (c == host || *c != '/' || n + 1 > len)
		return false;
	memcpy(out, url, n);
	out[n] = '\0';
	return true;
}

/* Front-end libraries installed by npm, served under /static/vendor/. */
static const struct { const char *url; const char *file; } vendor_files[] = {
	{ "htmx.min.js", "node_modules/htmx.org/dist/htmx.min.js" },
	{ "pico.min.css", "node_modules/@picocss/pico/css/pico.min.css" },
	{ "chart.umd.js", "node_modules/chart.js/dist/chart.umd.js" },
	{ "leaflet.js", "node_modules/leaflet/dist/leaflet.js" },
	{ "leaflet.css", "node_modules/leaflet/dist/leaflet.css" },
	/* leaflet.css's own images: the folded layers control (phones) */
	{ "images/layers.png", "node_modules/leaflet/dist/images/layers.png" },
	{ "images/layers-2x.png", "node_modules/leaflet/dist/images/layers-2x.png" },
	{ "swagger-ui-bundle.js", "node_modules/swagger-ui-dist/swagger-ui-bundle.js" },
	{ "swagger-ui.css", "node_modules/swagger-ui-dist/swagger-ui.css" },
};

static const char *
mime_of(const char *path)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" },
		{ ".ico", "image/x-icon" }, { ".json", "application/json" },
		{ ".geojson", "application/geo+json" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(dot, t[i].ext) == 0)
			return t[i].type;
	return "application/octet-stream";
}

static bool
safe_static_path(const char *p)
{
	const char *c;

	if (*p == '\0' || *p == '/' || strstr(p, "..") != NULL)
		return false;
	for (c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
		    *c == '_' || *c == '/'))
			return false;
	return true;
}

int
server_print_assets(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(vendor_files) / sizeof(vendor_files[0]); i++)
		fprintf(f, "%s\n", vendor_files[i].file);
	return 0;
}

static void
serve_static(struct request *r)
{
	const char *rel = r->route_args[0], *file = NULL;
	char path[PATH_MAX_GP], etag[64];
	const char *inm;
	struct stat st;
	FILE *f;
	size_t i, n;
	char chunk[16384];

	if (rel == NULL || !safe_static_path(rel)) {
		resp_fail(r, ERR_NOT_FOUND, "không có tệp");
		return;
	}
	if (strncmp(rel, "vendor/", 7) == 0) {
		for (i = 0; i < sizeof(vendor_files) / sizeof(vendor_files[0]); i++)
			if (strcmp(rel + 7, vendor_files[i].url) == 0)
				file = vendor_files[i].file;
		if (file == NULL) {
			resp_fail(r, ERR_NOT_FOUND, "không có tệp");
			return;
		}
		snprintf(path, sizeof(path), "%s/%s", config->root, file);
	} else if (strncmp(rel, "geo/", 4) == 0) {
		for (i = 0; i < sizeof(geo_files) / sizeof(geo_files[0]); i++)
			if (strcmp(rel + 4, geo_files[i]) == 0)
				file = geo_files[i];
		if (file == NULL) {
			resp_fail(r, ERR_NOT_FOUND, "không có tệp");
			return;
		}
		snprintf(path, sizeof(path), "%s/" GEO_DIR "/%s", config->root, file);
	} else if (strncmp(rel, "guide/", 6) == 0) {
		const char *dot = strrchr(rel + 6, '.');
		if (dot == NULL || dot == rel + 6 || strchr(rel + 6, '/') != NULL ||
		    strcmp(dot, ".png") != 0) {
			resp_fail(r, ERR_NOT_FOUND, "không có tệp");
			return;
		}
		snprintf(path, sizeof(path), "%s/" GUIDE_IMG_DIR "/%s", config->root, rel + 6);
	} else {
		snprintf(path, sizeof(path), "%s/static/%s", config->root, rel);
	}
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > HTTP_STATIC_FILE_MAX) {
		resp_fail(r, ERR_NOT_FOUND, "không có tệp %s", rel);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%lx-%lx\"", (unsigned long)st.st_mtime,
	    (unsigned long)st.st_size);
	resp_header(r, "ETag", etag);
	resp_header(r, "Cache-Control", "public, max-age=86400");
	inm = req_header(r, "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		r->status = 304;
		return;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		resp_fail(r, ERR_NOT_FOUND, "không có tệp %s", rel);
		return;
	}
	buf_reset(&r->out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&r->out, chunk, n);
	fclose(f);
	r->status = 200;
	r->content_type = mime_of(path);
}

static void
serve_health(struct request *r)
{
	struct err e = { 0 };
	int64_t n;

	if (store_count(r->store, entity_of(ENT_CATALOG_ITEM), &n, &e) != 0) {
		resp_error(r, &e);
		return;
	}
	r->status = 200;
	r->content_type = "text/plain; charset=utf-8";
	buf_adds(&r->out, "ok\n");
}

/* ---- dispatch ------------------------------------------------------------------- */

static bool
state_changing(enum http_method m)
{
	return m == M_POST || m == M_PATCH || m == M_PUT || m == M_DELETE;
}

static void
not_signed_in(struct request *r, const struct route *rt)
{
	if (rt->flags & RT_HTML) {
		struct buf loc;
		buf_init(&loc, PATH_MAX_GP);
		buf_adds(&loc, "/login?next=");
		html_url(&loc, r->path);
		resp_redirect(r, buf_failed(&loc) ? "/login" : buf_str(&loc));
		buf_free(&loc);
	} else {
		resp_fail(r, ERR_UNAUTHORIZED, "cần đăng nhập (phiên đăng nhập hoặc "
		    "mã truy cập API)");
	}
}

struct bad_arg {
	char name[64];
	const char *why;
};

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	struct bad_arg *b = cls;
	const char *why;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	why = not_text(key, key_size) != NULL ? "có tên không phải văn bản UTF-8 hợp lệ" :
	    value != NULL ? not_text(value, value_size) : NULL;
	if (why == NULL)
		return MHD_YES;
	snprintf(b->name, sizeof(b->name), "%s", key);
	text_fix_utf8(b->name);
	b->why = why;
	return MHD_NO;
}

/* Every text a request brings - its path, query arguments and form
 * fields - is UTF-8 without NUL, or the request is refused here, naming
 * what is wrong, before any handler reads it (JSON bodies: jansson
 * refuses both, err_json_loadb says where; CSV and XLSX cells: bulk.c). */
static bool
input_is_text(struct request *r)
{
	struct bad_arg b = { "", NULL };
	char msg[ERR_MSG_MAX];

	if (!text_valid_utf8(r->path, strlen(r->path))) {
		resp_error_for(r, r->html, ERR_BAD_REQUEST, "đường dẫn không phải văn bản "
		    "UTF-8 hợp lệ");
		return false;
	}
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &b);
	if (b.why != NULL) {
		snprintf(msg, sizeof(msg), "tham số '%s' %s", b.name, b.why);
		bad_argument(r, b.name, msg);
		return false;
	}
	if ((content_type_is(r, "application/x-www-form-urlencoded") ||
	    content_type_is(r, "multipart/form-data")) && req_form(r) != NULL &&
	    r->bad_why != NULL) {
		snprintf(msg, sizeof(msg), "trường '%s' của biểu mẫu %s", r->bad_field,
		    r->bad_why);
		bad_argument(r, r->bad_field, msg);
		return false;
	}
	return true;
}

static void
dispatch(struct request *r)
{
	const struct route *rt;
	struct err e = { 0 };
	unsigned allowed;
	const char *auth, *csrf;
	bool html;
	int rc;

	if (strcmp(r->path, "/healthz") == 0 && (r->method & (M_GET | M_HEAD))) {
		r->metrics_slot = METRICS_ROUTE_HEALTH;
		serve_health(r);
		return;
	}
	if (strncmp(r->path, "/static/", 8) == 0 && (r->method & (M_GET | M_HEAD))) {
		r->route_args[0] = r->path + 8;
		r->metrics_slot = METRICS_ROUTE_STATIC;
		serve_static(r);
		return;
	}
	/* the path and the arguments are text: a handler may quote them in a
	 * message, a page or a JSON answer, none of which can hold other bytes */
	if (!text_valid_utf8(r->path, strlen(r->path))) {
		resp_error_for(r, strncmp(r->path, "/api/", 5) != 0, ERR_BAD_REQUEST,
		    "đường dẫn không phải văn bản UTF-8 hợp lệ");
		return;
	}
	rt = server_find_route(r, &allowed);
	r->metrics_slot = metrics_route_slot(rt);
	/* a browser gets pages, a script JSON: by the route, or by the path */
	html = rt != NULL ? (rt->flags & RT_HTML) && !(rt->flags & RT_API) :
	    strncmp(r->path, "/api/", 5) != 0;
	r->html = html;
	/* the request's own copy of its arguments (req_args): what a handler
	 * reads of them lives as long as the request; input_is_text below
	 * refuses an argument that is not text, naming it */
	req_args(r);
	if (r->query_nomem) {
		resp_error_for(r, html, ERR_NO_MEMORY, "%s", ERR_NO_MEMORY_MSG);
		return;
	}
	if (rt == NULL) {
		if (allowed != 0) {
			allow_header(r, allowed);
			resp_fail(r, ERR_METHOD, "phương thức %s không dùng được ở đây",
			    r->method_name);
		} else {
			resp_error_for(r, html, ERR_NOT_FOUND, "không có trang %s", r->path);
		}
		return;
	}
	if (r->body_too_large) {
		resp_fail(r, ERR_TOO_LARGE, "nội dung gửi lên quá %u byte", HTTP_BODY_MAX);
		return;
	}
	auth = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if ((rt->flags & RT_API) && auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
		rc = auth_from_bearer(r->store, auth + 7, &r->user, &e);
		if (rc == 0) {
			resp_fail(r, ERR_UNAUTHORIZED, "mã truy cập API không hợp lệ");
			return;
		}
	} else {
		rc = auth_from_cookie(r->store, req_cookie(r, SESSION_COOKIE), &r->user, &e);
	}
	if (rc < 0) {
		/* the database did not answer: not "anonymous", unavailable */
		resp_fail(r, ERR_UNAVAILABLE, "cơ sở dữ liệu tạm thời không trả lời "
		    "(%s); xin thử lại sau ít phút", e.msg);
		return;
	}
	/* reads go to a standby (replicas.h: one that is up, not lagging and
	 * has replayed this user's own last write, else the primary);
	 * sessions above were checked on the primary, where a sign-in a
	 * moment ago is sure to be */
	if (replicas_count() > 0 && (r->method & (M_GET | M_HEAD))) {
		struct store *rs = replicas_pick(r->user.id, r->store);
		if (rs != r->store) {
			store_request_start(rs);
			r->store = rs;
		}
	}
	if (!(rt->flags & RT_PUBLIC)) {
		if (r->user.id == 0) {
			not_signed_in(r, rt);
			return;
		}
		if ((rt->flags & RT_ADMIN) && !auth_is_admin(&r->user)) {
			resp_error_for(r, html, ERR_FORBIDDEN, "chỉ quản trị viên được dùng "
			    "chức năng này");
			return;
		}
	}
	/* CSRF: a cookie session proves nothing about who built the request */
	if (state_changing(r->method) && r->user.id != 0 && !r->user.via_token) {
		json_t *form = req_form(r);
		csrf = req_header(r, "X-CSRF-Token");
		if (csrf == NULL && form != NULL)
			csrf = json_string_value(json_object_get(form, "_csrf"));
		if (csrf == NULL || !auth_secret_equal(csrf, r->user.csrf)) {
			resp_error_for(r, html, ERR_FORBIDDEN, "thiếu hoặc sai mã chống giả mạo "
			    "(CSRF); hãy tải lại trang rồi thử lại");
			return;
		}
	}
	if (!input_is_text(r))
		return;
	rt->handler(r);
}

/* ---- responses ------------------------------------------------------------------ */

static bool
compressible(const char *type)
{
	return type != NULL && (strncmp(type, "text/", 5) == 0 ||
	    strncmp(type, "application/json", 16) == 0 ||
	    strncmp(type, "application/geo+json", 20) == 0 ||
	    strncmp(type, "image/svg", 9) == 0);
}

static bool
accepts_gzip(struct request *r)
{
	const char *ae = req_header(r, MHD_HTTP_HEADER_ACCEPT_ENCODING);

	return ae != NULL && strstr(ae, "gzip") != NULL;
}

/* gzip the body; on any failure the body is sent as it is */
static bool
gzip_body(struct request *r)
{
	z_stream z;
	struct buf out;
	unsigned char chunk[16384];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	buf_init(&out, r->out.len + 1024);
	z.next_in = (unsigned char *)r->out.data;
	z.avail_in = (uInt)r->out.len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		buf_add(&out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	deflateEnd(&z);
	if (rc != Z_STREAM_END || buf_failed(&out) || out.len >= r->out.len) {
		buf_free(&out);
		return false;
	}
	buf_free(&r->out);
	r->out = out;
	return true;
}

#define CSP_HEAD "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:"
#define CSP_TAIL "; connect-src 'self'; object-src 'none'; " \
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
/* The policy with the map's tile origin among the image sources, when a
 * tile URL is set (server_run) */
static char csp_with_tiles[sizeof(CSP_HEAD CSP_TAIL) + 300];

static void
security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
	    csp_with_tiles[0] != '\0' ? csp_with_tiles : CSP_HEAD CSP_TAIL);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

void
resp_cached(struct request *r, struct cache_entry *ce, const char *content_type)
{
	cache_entry_release(r->cached);
	buf_reset(&r->out);
	r->cached = ce;
	r->status = 200;
	r->content_type = content_type;
}

static void
release_cached(void *cls)
{
	cache_entry_release(cls);
}

/* The response of a body kept in a cache: no copy (MHD holds the entry's
 * reference until it has sent it), no compression (done once, when the
 * entry was made). */
static struct MHD_Response *
cached_response(struct request *r)
{
	struct MHD_Response *resp;
	const char *body = NULL;
	size_t len = 0;

	if (accepts_gzip(r))
		body = cache_entry_body(r->cached, true, &len);
	if (body != NULL)
		resp_header(r, "Content-Encoding", "gzip");
	else
		body = cache_entry_body(r->cached, false, &len);
	/* MHD only reads the buffer */
	resp = MHD_create_response_from_buffer_with_free_callback_cls(len,
	    (void *)body, release_cached, r->cached);
	if (resp != NULL)
		r->cached = NULL; /* the response's now */
	r->out.len = len; /* for the access log */
	return resp;
}

/* Bytes of a request's line and headers, as libmicrohttpd keeps them. */
static enum MHD_Result
add_size(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	(void)kind;
	(void)key;
	*(size_t *)cls += key_size + value_size + 4;
	return MHD_YES;
}

static size_t
head_size(struct MHD_Connection *conn, const char *method, const char *url)
{
	size_t n = strlen(method) + strlen(url) + 16;

	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, add_size, &n);
	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, add_size, &n);
	MHD_get_connection_values_n(conn, MHD_COOKIE_KIND, add_size, &n);
	return n;
}

/* The answer to a request too large to answer otherwise: no header of
 * ours (they would not fit in what the request left of the connection's
 * memory), the connection closes. */
static const char head_too_large_body[] = "431 request header fields too large\n";

/* resp_json's answer when it could not allocate one */
static const char no_memory_body[] = "{\"error\":{\"code\":\"out_of_memory\","
    "\"message\":\"" ERR_NO_MEMORY_MSG "\"}}\n";

static enum MHD_Result
send_response(struct request *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i, len;
	char *body;

	if (r->status == 0)
		r->status = 200;
	if (r->head_too_large) {
		resp = MHD_create_response_from_buffer(sizeof(head_too_large_body) - 1,
		    (void *)head_too_large_body, MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
		r->out.len = sizeof(head_too_large_body) - 1; /* for the access log */
		ret = MHD_queue_response(r->conn, 431, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (r->cached != NULL) {
		if ((resp = cached_response(r)) == NULL)
			return MHD_NO; /* the entry is released with the request */
		len = r->out.len;
	} else if (r->out_of_memory) {
		len = sizeof(no_memory_body) - 1;
		resp = MHD_create_response_from_buffer(len, (void *)no_memory_body,
		    MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
	} else {
		if (buf_failed(&r->out)) {
			buf_reset(&r->out);
			resp_fail(r, ERR_INTERNAL, "câu trả lời quá lớn");
		}
		if (r->status != 304 && r->out.len >= HTTP_GZIP_MIN &&
		    compressible(r->content_type) && accepts_gzip(r) && gzip_body(r))
			resp_header(r, "Content-Encoding", "gzip");
		len = r->out.len;
		body = buf_take(&r->out);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (resp == NULL) {
			free(body);
			return MHD_NO;
		}
	}
	if (r->content_type != NULL && r->status != 304)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (compressible(r->content_type))
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	security_headers(resp);
	if (r->no_store || r->path == NULL || strncmp(r->path, "/static/", 8) != 0)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	r->out.len = len; /* for the access log */
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- libmicrohttpd callbacks ------------------------------------------------------ */

static double
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

struct request_box {
	struct request r;
	struct timespec start;
	size_t sent;
};

static void
client_ip(struct request *r, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, len, "%s", "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    buf, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    buf, (socklen_t)len);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request_box *box = *con_cls;
	struct request *r;
	struct err e = { 0 };
	char ip[64];
	const char *cl;

	(void)cls;
	(void)version;
	if (box == NULL) {
		box = calloc(1, sizeof(*box));
		if (box == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &box->start);
		guard_headers_done(conn);
		atomic_fetch_add(&in_flight, 1);
		metrics_request_begin();
		r = &box->r;
		r->conn = conn;
		r->method = method_of(method);
		r->method_name = req_strdup(r, method);
		r->path = req_strdup(r, url);
		client_ip(r, ip, sizeof(ip));
		r->client_ip = req_strdup(r, ip);
		/* cookies get the Secure flag when the connection is HTTPS */
		r->tls = config->tls_cert != NULL;
		buf_init(&r->body, HTTP_BODY_MAX);
		buf_init(&r->out, JSON_RESPONSE_MAX);
		*con_cls = box;
		if (head_size(conn, method, url) > HTTP_REQUEST_HEAD_MAX) {
			r->head_too_large = true;
			r->status = 431;
			return send_response(r);
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > HTTP_BODY_MAX) {
			/* refuse before reading: the connection will close */
			r->body_too_large = true;
			resp_fail(r, ERR_TOO_LARGE, "nội dung gửi lên quá %u byte",
			    HTTP_BODY_MAX);
			return send_response(r);
		}
		return MHD_YES;
	}
	r = &box->r;
	if (*upload_data_size > 0) {
		if (!r->body_too_large) {
			buf_add(&r->body, upload_data, *upload_data_size);
			if (buf_failed(&r->body)) {
				r->body_too_large = true;
				buf_free(&r->body);
				resp_fail(r, ERR_TOO_LARGE, "nội dung gửi lên quá %u byte",
				    HTTP_BODY_MAX);
				*upload_data_size = 0;
				return send_response(r);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	guard_body_done(conn);
	if (r->status != 0)
		return MHD_YES; /* already answered (413) */
	if (r->path == NULL || r->method_name == NULL) {
		/* the first call could not copy them: nothing can be routed */
		resp_fail(r, ERR_NO_MEMORY, "%s", ERR_NO_MEMORY_MSG);
		return send_response(r);
	}
	r->store = worker_store(&e);
	if (r->store != NULL)
		store_request_start(r->store); /* one look at the data version */
	if (r->store == NULL) {
		resp_error(r, &e);
		e.code = ERR_UNAVAILABLE;
		resp_fail(r, ERR_UNAVAILABLE, "cơ sở dữ liệu tạm thời không dùng được: %s",
		    e.msg);
	} else {
		dispatch(r);
		/* the user's next reads must see what this request wrote
		 * (read-your-writes; on the primary, after the commit) */
		if (state_changing(r->method) && r->user.id != 0 &&
		    replicas_count() > 0)
			replicas_wrote(r->user.id, r->store);
	}
	return send_response(r);
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* One line per request on stderr: never the query string (it may carry
 * search text), a cookie or a token - method, path, status, bytes,
 * duration, user; as text, or as one JSON object (--log-format json) for
 * a log collector. */
static void
access_log(const struct request *r, double ms, bool aborted)
{
	char when[CLOCK_TIMESTAMP_LEN];

	clock_timestamp(when);
	if (config->log_json) {
		json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:s?, s:b}",
		    "time", when, "ip", r->client_ip ? r->client_ip : "-",
		    "method", r->method_name ? r->method_name : "-",
		    "path", r->path && text_valid_utf8(r->path, strlen(r->path)) ?
		    r->path : "-", "route", metrics_route_name(r->metrics_slot),
		    "status", r->status, "bytes", (json_int_t)r->out.len, "ms", ms,
		    "user", r->user.id ? r->user.login : NULL, "aborted", aborted);
		char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
		json_decref(line);
		if (text == NULL)
			return; /* out of memory: a log line is not worth more */
		pthread_mutex_lock(&log_lock);
		fprintf(stderr, "%s\n", text);
		pthread_mutex_unlock(&log_lock);
		free(text);
		return;
	}
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s %s %s %s %d %zu %.1fms %s%s\n", when,
	    r->client_ip ? r->client_ip : "-",
	    r->method_name ? r->method_name : "-", r->path ? r->path : "-",
	    r->status, r->out.len, ms, r->user.id ? r->user.login : "-",
	    aborted ? " (ngắt)" : "");
	pthread_mutex_unlock(&log_lock);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request_box *box = *con_cls;
	struct request *r;
	double ms;

	(void)cls;
	guard_request_done(conn);
	if (box == NULL)
		return;
	r = &box->r;
	ms = elapsed_ms(&box->start);
	metrics_request_done(r->metrics_slot, r->method, r->status, ms);
	if (!config->quiet)
		access_log(r, ms, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	req_release(r);
	free(box);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* ---- start and stop --------------------------------------------------------------- */

/* Started as root, give root up once the socket is bound: nothing after
 * this point - request parsing included - runs with every privilege.  glibc
 * applies setuid/setgid to every thread, so the workers already started by
 * libmicrohttpd drop too.  The database and files must belong to the user. */
static int
drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		if (user != NULL)
			fprintf(stderr, "giapranh: --user chỉ dùng khi chạy bằng root; bỏ qua\n");
		return 0;
	}
	if (user == NULL) {
		fprintf(stderr, "giapranh: cảnh báo: máy chủ đang chạy với quyền root; "
		    "hãy dùng --user TÊN để hạ quyền sau khi mở cổng\n");
		return 0;
	}
	pw = getpwnam(user);
	if (pw == NULL || pw->pw_uid == 0) {
		fprintf(stderr, "giapranh: không có người dùng hệ thống '%s' (không phải root) "
		    "để hạ quyền\n", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		fprintf(stderr, "giapranh: không hạ được quyền xuống '%s': %s\n", user,
		    strerror(errno));
		return -1;
	}
	/* make sure there is no way back */
	if (setuid(0) == 0) {
		fprintf(stderr, "giapranh: vẫn lấy lại được quyền root; dừng\n");
		return -1;
	}
	fprintf(stderr, "giapranh: đã hạ quyền xuống người dùng '%s' (uid %ld)\n", user,
	    (long)pw->pw_uid);
	return 0;
}

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	long port;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

int
server_run(const struct server_config *cfg)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	struct err e = { 0 };
	struct store *probe;
	sigset_t set;
	unsigned threads;
	int sig, waited;
	size_t i;
	const union MHD_DaemonInfo *info;
	char *tls_cert = NULL, *tls_key = NULL;

	config = cfg;
	if (cfg->files_dir != NULL)
		attach_set_dir(cfg->files_dir);
	if (cfg->tile_url != NULL) {
		char origin[256];
		if (!server_tile_origin(cfg->tile_url, origin, sizeof(origin))) {
			fprintf(stderr, "giapranh: --tile-url phải có dạng "
			    "https://MÁY-CHỦ/{z}/{x}/{y}.png, không phải '%s'\n", cfg->tile_url);
			return 2;
		}
		snprintf(csp_with_tiles, sizeof(csp_with_tiles), "%s %s%s", CSP_HEAD,
		    origin, CSP_TAIL);
	}
	if (parse_listen(cfg->listen, &sa) != 0) {
		fprintf(stderr, "giapranh: địa chỉ nghe không hợp lệ: %s (dạng "
		    "127.0.0.1:8080)\n", cfg->listen);
		return 2;
	}
	if (auth_init() != 0) {
		fprintf(stderr, "giapranh: không khởi động được libsodium\n");
		return 1;
	}
	/* fail early, before listening, when the database is not usable */
	if (store_open(cfg->db_url, &probe, &e) != 0 ||
	    store_migrate(probe, NULL, &e) != 0) {
		fprintf(stderr, "giapranh: %s\n", e.msg);
		store_close(probe);
		return 1;
	}
	store_close(probe);
	replicas_init(cfg->db_read_urls, cfg->ndb_read, cfg->replica_lag_max_ms);
	threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	if (threads > HTTP_THREADS_MAX)
		threads = HTTP_THREADS_MAX;
	/* workers inherit this mask: only the main thread takes the signals */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (cfg->tls_cert != NULL || cfg->tls_key != NULL) {
		struct err te = { 0 };
		size_t l1, l2;
		if (cfg->tls_cert == NULL || cfg->tls_key == NULL ||
		    (tls_cert = read_file(cfg->tls_cert, TLS_FILE_MAX, &l1, &te)) == NULL ||
		    (tls_key = read_file(cfg->tls_key, TLS_FILE_MAX, &l2, &te)) == NULL) {
			fprintf(stderr, "giapranh: cần cả --tls-cert và --tls-key đọc được "
			    "(%s)\n", te.msg);
			free(tls_cert);
			return 2;
		}
	}
	/* before libmicrohttpd starts its threads: Landlock restricts the
	 * calling thread and the threads it creates afterwards (the port is
	 * bound below, under a rule that allows that port only) */
	if (!cfg->no_confine && confine_server(cfg, ntohs(sa.sin_port), &e) < 0) {
		fprintf(stderr, "giapranh: %s (chạy với --no-confine để bỏ giới hạn)\n",
		    e.msg);
		if (tls_key != NULL)
			sodium_memzero(tls_key, strlen(tls_key));
		free(tls_key);
		free(tls_cert);
		return 1;
	}
	/* a configuration made without limits (zero) gets gplimits.h's
	 * (connections_per_address 0 is "no limit": --connections-per-address 0) */
	if (cfg->connections_max == 0 || cfg->header_deadline_s == 0 ||
	    cfg->request_deadline_s == 0) {
		static struct server_config filled;
		filled = *cfg;
		if (filled.connections_max == 0)
			filled.connections_max = HTTP_CONNECTIONS_MAX;
		if (filled.header_deadline_s == 0)
			filled.header_deadline_s = HTTP_HEADER_DEADLINE_S;
		if (filled.request_deadline_s == 0)
			filled.request_deadline_s = HTTP_REQUEST_DEADLINE_S;
		config = cfg = &filled;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | (tls_cert ? MHD_USE_TLS : 0), 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->connections_max,
	    /* one address cannot take every connection: /healthz and other
	     * clients are still served while it holds its share */
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->connections_per_address,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_HEADER_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, guard_notify, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
	    tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, tls_key,
	    MHD_OPTION_END);
	if (tls_key != NULL)
		sodium_memzero(tls_key, strlen(tls_key));
	free(tls_key);
	if (d == NULL) {
		fprintf(stderr, "giapranh: không mở được cổng %s (%s)\n", cfg->listen,
		    strerror(errno));
		return 1;
	}
	if (drop_privileges(cfg->run_as) != 0) {
		MHD_stop_daemon(d);
		free(tls_cert);
		return 1;
	}
	if (guard_start(cfg->header_deadline_s, cfg->request_deadline_s) != 0)
		fprintf(stderr, "giapranh: không chạy được luồng cắt kết nối chậm\n");
	/* the webhook sender, confined as the rest (created after Landlock) */
	if (webhook_worker_start(cfg->db_url, &e) != 0) {
		fprintf(stderr, "giapranh: %s\n", e.msg);
		err_clear(&e);
	}
	/* after the confinement, which the thread inherits */
	if (daily_start(cfg) != 0)
		fprintf(stderr, "giapranh: không chạy được luồng nhắc việc hằng ngày\n");
	printf("giapranh đang chạy tại %s://%s/\n", tls_cert ? "https" : "http",
	    cfg->listen);
	free(tls_cert);
	fflush(stdout);
	sigdelset(&set, SIGPIPE);
	sigwait(&set, &sig);
	fprintf(stderr, "giapranh: nhận tín hiệu %s, đang dừng…\n",
	    sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* stop accepting, let requests in flight finish, then stop */
	MHD_quiesce_daemon(d);
	for (waited = 0; waited < HTTP_SHUTDOWN_WAIT_S * 10; waited++) {
		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info == NULL || info->num_connections == 0 ||
		    atomic_load(&in_flight) == 0)
			break;
		usleep(100000);
	}
	MHD_stop_daemon(d);
	guard_stop();
	webhook_worker_stop();
	daily_stop();
	for (i = 0; i < nstores; i++)
		store_close(all_stores[i]);
	nstores = 0;
	replicas_close_all();
	fprintf(stderr, "giapranh: đã dừng.\n");
	return 0;
}
