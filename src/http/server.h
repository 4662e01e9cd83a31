/*
 * server.h - the HTTP server: libmicrohttpd with its own thread pool and
 * epoll, one store connection per worker thread, routes from the modules'
 * tables (http.h), limits from gplimits.h, an access-log line per request,
 * and a clean shutdown on SIGINT/SIGTERM.
 */
#ifndef GIAPRANH_SERVER_H
#define GIAPRANH_SERVER_H

#include "http/server_config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Print the route tables as a JSON array of {methods, pattern, flags}
 * (`giapranh routes --json`, for the role x endpoint test); returns 0. */
int server_print_routes(FILE *f);

/* Print the files under --root that the server serves besides static/
 * (the front-end libraries from npm), one relative path per line
 * (`giapranh assets`, for tools/install.sh); returns 0. */
int server_print_assets(FILE *f);

struct request;
struct route;
/* The route tables, in the order they are matched (the first route whose
 * pattern and method match answers): the handler modules' tables (api/,
 * pages/), which are above the server, handed over at start-up
 * (cli/routes.c) before server_run, server_print_routes or
 * server_find_route.  The array must outlive the server. */
void server_set_routes(const struct route *const *tables, size_t n);
/* The route of r->path and r->method, its captures in r->route_args; NULL
 * when none (*allowed: the methods the path has).  The dispatcher's lookup,
 * for in-process drivers of the handlers (tests/fuzz/fuzz_pages.c). */
const struct route *server_find_route(struct request *r, unsigned *allowed);

/* What the pages need of the configuration: the directory of static/
 * and data/ (--root; "." before server_run), and the map's tile URL
 * (NULL when none). */
const char *server_root(void);
const char *server_tile_url(void);
/* The origin ("https://tiles.example.org") of a tile URL, which the
 * Content-Security-Policy lets images come from; false when the URL is
 * not http(s)://HOST[:PORT]/... with a plain host name. */
bool server_tile_origin(const char *url, char *out, size_t len);

/* Serve until SIGINT or SIGTERM; returns the exit status. */
int server_run(const struct server_config *cfg);

#endif
