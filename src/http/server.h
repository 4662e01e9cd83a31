/*
 * server.h - the HTTP server: libmicrohttpd with its own thread pool and
 * epoll, one store connection per worker thread, routes from the modules'
 * tables (http.h), limits from gplimits.h, an access-log line per request,
 * and a clean shutdown on SIGINT/SIGTERM.
 */
#ifndef GIAPRANH_SERVER_H
#define GIAPRANH_SERVER_H

struct server_config {
	const char *listen;     /* "127.0.0.1:8080"                        */
	const char *db_url;     /* store URL                                */
	const char *db_read_url;/* read replica for GET requests, or NULL   */
	const char *root;       /* directory holding static/ and node_modules/ */
	const char *files_dir;  /* attachments (content-addressed)       */
	unsigned threads;       /* 0 = one per core                          */
	int quiet;              /* no access log                             */
	const char *tls_cert;   /* PEM certificate file: serve HTTPS (else HTTP) */
	const char *tls_key;    /* PEM private key file                      */
	const char *run_as;     /* started as root: the user to become after binding */
	int no_confine;         /* no Landlock confinement (confine.h)       */
	/* limits (gplimits.h); lower ones only in tests (main.c) */
	unsigned connections_max;        /* HTTP_CONNECTIONS_MAX             */
	unsigned connections_per_address;/* HTTP_CONNECTIONS_PER_ADDRESS; 0 = none */
	unsigned header_deadline_s;      /* HTTP_HEADER_DEADLINE_S           */
	unsigned request_deadline_s;     /* HTTP_REQUEST_DEADLINE_S          */
};

#include <stdio.h>

/* Print the route tables as a JSON array of {methods, pattern, flags}
 * (`giapranh routes --json`, for the role x endpoint test); returns 0. */
int server_print_routes(FILE *f);

struct request;
struct route;
/* The route of r->path and r->method, its captures in r->route_args; NULL
 * when none (*allowed: the methods the path has).  The dispatcher's lookup,
 * for in-process drivers of the handlers (tests/fuzz/fuzz_pages.c). */
const struct route *server_find_route(struct request *r, unsigned *allowed);

/* Serve until SIGINT or SIGTERM; returns the exit status. */
int server_run(const struct server_config *cfg);

#endif
