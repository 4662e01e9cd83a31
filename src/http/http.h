/*
 * http.h - what a route handler sees: the request (method, path, typed
 * parameters, body, the signed-in user, this thread's store) and the
 * response it fills.  server.c owns the libmicrohttpd glue; handlers never
 * touch MHD directly.
 *
 * Memory: everything a handler hangs on the request (req_strdup, the
 * response body) is freed when libmicrohttpd reports the request complete.
 * The request's inputs are the request's too: the query arguments
 * (req_args, req_query), the form (req_form) and the JSON body (req_json)
 * are owned by the request, so a string read from them (json_string_value)
 * stays valid until the request ends - a handler never json_decref's them.
 * A string read from any other JSON (a record of the store) dies with that
 * JSON: keep a copy (req_strdup) to use it after json_decref.
 */
#ifndef GIAPRANH_HTTP_H
#define GIAPRANH_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "domain/auth.h" /* struct user */
#include "store/store.h"

enum http_method { M_GET = 1, M_HEAD = 2, M_POST = 4, M_PATCH = 8, M_PUT = 16,
	M_DELETE = 32, M_OTHER = 64 };

struct header {
	const char *name;
	char *value;
};

struct req_alloc; /* one copy of req_strdup (server.c) */

#define RESP_HEADERS_MAX 12
#define REQ_UPLOADS_MAX  4

/* A file part of a multipart/form-data body. */
struct upload {
	char field[64];
	char filename[256];
	char content_type[128];
	struct buf data;
};

struct request {
	enum http_method method;
	const char *method_name;
	const char *path;        /* decoded path, no query string         */
	const char *route_args[4]; /* captures of the route pattern          */
	struct store *store;     /* this worker thread's connection        */
	struct user user;
	const char *client_ip;
	bool tls;

	/* body */
	struct buf body;
	bool body_too_large;

	/* response */
	int status;
	const char *content_type;
	struct buf out;
	struct header headers[RESP_HEADERS_MAX];
	size_t nheaders;
	bool no_store;           /* Cache-Control: no-store (personal pages) */
	struct cache_entry *cached; /* body shared with a cache (resp_cached) */

	void *conn;              /* struct MHD_Connection *, for server.c   */
	bool out_of_memory;      /* resp_json could not make its body: a
	                          * fixed one is sent (send_response)       */
	bool head_too_large;     /* over HTTP_REQUEST_HEAD_MAX: the smallest
	                          * reply (send_response)                   */
	json_t *json;            /* parsed JSON body (req_json)             */
	json_t *form;            /* parsed form body (req_form)              */
	json_t *query;           /* query arguments (req_args)               */
	bool query_bad;          /* an argument was not UTF-8 text: left out */
	bool query_nomem;        /* an argument could not be kept (memory)   */
	struct upload uploads[REQ_UPLOADS_MAX];
	size_t nuploads;
	bool html;               /* the route answers errors as pages       */
	/* the first form field that is not text (not UTF-8, or holding a
	 * NUL): noted by req_form, refused by dispatch before any handler */
	char bad_field[64];
	const char *bad_why;
	struct req_alloc *allocs; /* req_strdup's copies, freed at the end   */
	int metrics_slot;        /* the route counted (metrics.h)           */
};

/* ---- reading the request ---------------------------------------------- */

/* Every query argument as a JSON object name -> string (a repeated name:
 * the last one), owned by the request: never json_decref it, copy it
 * (req_query_all) to change it.  Its strings live as long as the request.
 * An argument whose name or value is not UTF-8 text (or holds a NUL) is
 * left out and r->query_bad set (the dispatcher answers 400 before any
 * handler runs). */
json_t *req_args(struct request *r);
/* Query-string argument (req_args), or NULL; lives as long as the request. */
const char *req_query(struct request *r, const char *name);
/* A copy of req_args the caller owns and may change (json_decref it).  The
 * values are shared with the request's own object, so a string read from
 * one of them stays valid after the copy is released. */
json_t *req_query_all(struct request *r);
/* Request header, or NULL. */
const char *req_header(struct request *r, const char *name);
/* Cookie value, or NULL. */
const char *req_cookie(struct request *r, const char *name);
/* The body parsed as JSON (cached); NULL with ERR_BAD_REQUEST or
 * ERR_MEDIA_TYPE in e when it is not a JSON object/array. */
json_t *req_json(struct request *r, struct err *e);
/* The body as a form (application/x-www-form-urlencoded or
 * multipart/form-data): JSON object name -> string (cached).  NULL when the
 * body is not a form.  File parts of a multipart body are kept apart. */
json_t *req_form(struct request *r);
/* The file sent in a multipart field, or NULL. */
const struct upload *req_upload(struct request *r, const char *field);
/* A copy of s that lives as long as the request (NULL for NULL, or when
 * out of memory). */
char *req_strdup(struct request *r, const char *s);
/* Free what the request holds (its inputs, its copies, its response body);
 * the server calls it when libmicrohttpd reports the request complete, and
 * an in-process driver (tests/fuzz) after calling a handler. */
void req_release(struct request *r);

/* Typed arguments, read whole (text_int64: "12abc", "1e3", " 7" are not
 * numbers) - never a default in place of what the client wrote.
 * req_query_int reads the query string, req_form_int the form body.
 * Returns 1 with *out set; 0 when the argument is absent or empty (*out
 * untouched); -1 when it is not a whole number in [min, max]: a 400
 * answer naming the argument was written (a page on the browser's pages,
 * else JSON), and the handler returns. */
int req_query_int(struct request *r, const char *name, int64_t min, int64_t max,
    int64_t *out);
int req_form_int(struct request *r, const char *name, int64_t min, int64_t max,
    int64_t *out);
/* An optimistic-locking field of a form (_version): absent = no check (as
 * an API request without If-Match); present, it must be a version (a
 * whole number >= 1), even empty: 1 with *out set, 0 absent, -1 answered
 * (400). */
int req_form_version(struct request *r, const char *name, int64_t *out);

/* ---- writing the response --------------------------------------------- */

void resp_header(struct request *r, const char *name, const char *value);
/* JSON body (steals the reference). */
void resp_json(struct request *r, int status, json_t *body);
struct cache_entry;
/* 200 with a body kept in a cache (cache.h; takes the reference): sent
 * without a copy, its gzip copy when the client accepts gzip. */
void resp_cached(struct request *r, struct cache_entry *ce,
    const char *content_type);
/* {"error":{"code","message","fields"}} from e, with its HTTP status. */
void resp_error(struct request *r, const struct err *e);
/* Shorthand: an error of a code with a message. */
void resp_fail(struct request *r, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A path on this site: starts with one '/', no "//" or "/\\" (another
 * host), no control characters (browsers drop tabs and newlines, which would
 * turn "/\t/evil" into "//evil"; CR/LF would split the header). */
bool http_local_path(const char *p);
/* An error answer in the form the client expects: an HTML page for the
 * browser's pages (the error page installed below), else the JSON error. */
void resp_error_for(struct request *r, bool html, enum err_code code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The HTML error page of the routes that answer errors as pages (RT_HTML),
 * for the errors the server itself answers (a bad argument) and
 * resp_error_for: drawn by the web layer (page_error, web/page.h), which is
 * above this one, so it is handed over at start-up (cli/routes.c); until
 * then the JSON error is sent. */
typedef void (*error_page_fn)(struct request *r, int status, const char *msg);
void http_set_error_page(error_page_fn fn);

/* 303 See Other to a local path (anything else goes to "/"). */
void resp_redirect(struct request *r, const char *location);

/* ---- routes --------------------------------------------------------------- */

typedef void (*handler_fn)(struct request *r);

/* route flags */
#define RT_PUBLIC 0x01u /* no sign-in needed                              */
#define RT_API    0x02u /* JSON errors; Bearer tokens accepted             */
#define RT_HTML   0x04u /* HTML errors; anonymous users go to /login        */
#define RT_ADMIN  0x08u /* admins only                                      */
#define RT_STATIC 0x10u /* static file: long cache, no session lookup       */

struct route {
	unsigned methods;     /* M_GET | M_POST ...                         */
	const char *pattern;  /* "/api/v1/:/:" - each ':' captures a segment, '*' the rest */
	handler_fn handler;
	unsigned flags;
};

#endif
