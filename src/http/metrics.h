/*
 * metrics.h - what the running server counts, for GET /metrics in the
 * Prometheus text exposition format (version 0.0.4): requests by route
 * pattern, method and status; latency histograms by route; requests in
 * flight; store errors by kind; the answer caches' hits, misses and
 * evictions; the process's resident memory and start time.
 *
 * Counting is lock-free (relaxed atomics in fixed tables sized at start
 * from the route tables): a request adds a few increments, never a lock
 * or an allocation.  A route is named by its pattern ("/api/v1/:/:"),
 * never by its path: a path holds record ids and search text, and the
 * label set must stay bounded.
 */
#ifndef GIAPRANH_METRICS_H
#define GIAPRANH_METRICS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"
#include "http/cache.h"
#include "http/http.h"

/* Pseudo-routes of what the dispatcher answers without a route table. */
enum {
	METRICS_ROUTE_NONE = 0, /* no route matched (404, 405, early errors) */
	METRICS_ROUTE_STATIC,   /* the static files                          */
	METRICS_ROUTE_HEALTH,   /* /healthz                                  */
	METRICS_ROUTE_FIRST     /* the route tables' routes from here on     */
};

/* Number the routes of the tables (server_set_routes calls it); routes
 * past METRICS_ROUTES_MAX share the last slot. */
void metrics_set_routes(const struct route *const *tables, size_t n);

/* The slot of a route of those tables (METRICS_ROUTE_NONE for NULL). */
int metrics_route_slot(const struct route *rt);

/* The pattern a slot counts: "/api/v1/:/:", "(none)", the static files. */
const char *metrics_route_name(int slot);

/* A request started / was answered (status, whole time in milliseconds). */
void metrics_request_begin(void);
void metrics_request_done(int slot, enum http_method method, int status, double ms);

/* An error answered to a client, by its kind: the store's failures
 * (ERR_DB, ERR_UNAVAILABLE, ERR_IO, ERR_NO_SPACE, ERR_NO_MEMORY) are
 * counted; a client's own mistakes are in the status counts. */
void metrics_error(enum err_code code);

/* An answer cache to report (name: a label, e.g. "values"). */
void metrics_add_cache(const char *name, struct cache *c);

/* Read replicas (replicas.h), numbered from 0 in --db-read order: how
 * many there are, a standby's lag as last measured (seconds; negative:
 * not known, e.g. down), whether it answered, a read it took, a standby
 * passed over for one read (reason "down" or "lag"), and a read that went
 * to the primary because no standby would do (reason "none" or "ryw": the
 * reader's own write was not replayed in time). */
enum metrics_skip { METRICS_SKIP_DOWN, METRICS_SKIP_LAG };
enum metrics_fallback { METRICS_FALLBACK_NONE, METRICS_FALLBACK_RYW };
void metrics_replicas(unsigned n);
void metrics_replica_lag(unsigned i, double seconds);
void metrics_replica_read(unsigned i);
void metrics_replica_skipped(unsigned i, enum metrics_skip why);
void metrics_replica_fallback(enum metrics_fallback why);

/* The whole exposition into out; 0, or -1 when out ran out of memory. */
int metrics_render(struct buf *out);

#endif
