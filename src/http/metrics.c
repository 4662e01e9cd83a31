/* metrics.c - see metrics.h */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/gplimits.h"
#include "http/metrics.h"

/* The methods a request is counted under (M_* bits, then "other"). */
static const struct { enum http_method m; const char *name; } methods[] = {
	{ M_GET, "GET" }, { M_HEAD, "HEAD" }, { M_POST, "POST" }, { M_PATCH, "PATCH" },
	{ M_PUT, "PUT" }, { M_DELETE, "DELETE" }, { M_OTHER, "OTHER" },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* The statuses the server answers (http.c, err_http_status); any other
 * is counted in the last slot as "other". */
static const int statuses[] = { 200, 201, 204, 206, 301, 302, 303, 304, 400,
	401, 403, 404, 405, 409, 412, 413, 415, 422, 429, 431, 500, 503, 507 };
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Upper bounds of the latency buckets, in milliseconds (+Inf after). */
static const double bucket_ms[] = { 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000,
	2500, 5000, 10000 };
#define NBUCKETS (sizeof(bucket_ms) / sizeof(bucket_ms[0]) + 1)

/* The store's failures worth an alert, by error kind. */
static const enum err_code store_errors[] = { ERR_DB, ERR_UNAVAILABLE, ERR_IO,
	ERR_NO_SPACE, ERR_NO_MEMORY };
#define NSTORE_ERRORS (sizeof(store_errors) / sizeof(store_errors[0]))

struct route_counts {
	atomic_ulong answered[NMETHODS][NSTATUSES];
	atomic_ulong buckets[NBUCKETS]; /* each request in its first bucket */
	atomic_ulong micros;            /* sum of durations                 */
};

static struct route_counts counts[METRICS_ROUTES_MAX];
static const char *slot_pattern[METRICS_ROUTES_MAX];
static const struct route *table_first[METRICS_TABLES_MAX];
static int table_base[METRICS_TABLES_MAX], table_len[METRICS_TABLES_MAX];
/* the slot of each route (in table order): routes of one pattern (GET
 * and POST of /login are two entries) share one, so that a series is
 * never printed twice */
static int route_slot[METRICS_ROUTES_MAX];
static int nroutes;
static size_t ntables;
static int nslots = METRICS_ROUTE_FIRST;
static atomic_long in_flight;
static atomic_ulong errors[NSTORE_ERRORS];
static struct { const char *name; struct cache *c; } caches[METRICS_CACHES_MAX];
static size_t ncaches;
/* caches are made on first use, by a worker, while /metrics may read */
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static time_t started;
/* read replicas: lag in microseconds (negative: unknown) */
static unsigned nreplicas;
static atomic_llong replica_lag_us[REPLICAS_MAX];
static atomic_ulong replica_reads[REPLICAS_MAX];
static atomic_ulong replica_skips[REPLICAS_MAX][2];
static atomic_ulong replica_fallbacks[2];

void
metrics_set_routes(const struct route *const *tables, size_t n)
{
	const struct route *rt;

	started = time(NULL);
	slot_pattern[METRICS_ROUTE_NONE] = "(none)";
	slot_pattern[METRICS_ROUTE_STATIC] = "/static/*";
	slot_pattern[METRICS_ROUTE_HEALTH] = "/healthz";
	nslots = METRICS_ROUTE_FIRST;
	nroutes = 0;
	for (ntables = 0; ntables < n && ntables < METRICS_TABLES_MAX; ntables++) {
		table_first[ntables] = tables[ntables];
		table_base[ntables] = nroutes;
		table_len[ntables] = 0;
		for (rt = tables[ntables]; rt->handler != NULL; rt++) {
			int slot;
			for (slot = METRICS_ROUTE_FIRST; slot < nslots &&
			    strcmp(slot_pattern[slot], rt->pattern) != 0; slot++)
				;
			if (slot == nslots && nslots < METRICS_ROUTES_MAX)
				slot_pattern[nslots++] = rt->pattern;
			else if (slot == nslots) /* full: the last slot takes the rest */
				slot = METRICS_ROUTES_MAX - 1;
			if (nroutes < METRICS_ROUTES_MAX)
				route_slot[nroutes++] = slot;
			table_len[ntables]++;
		}
	}
}

int
metrics_route_slot(const struct route *rt)
{
	size_t t;
	int slot;

	for (t = 0; rt != NULL && t < ntables; t++)
		if (rt >= table_first[t] && rt < table_first[t] + table_len[t]) {
			slot = table_base[t] + (int)(rt - table_first[t]);
			return slot < nroutes ? route_slot[slot] : METRICS_ROUTE_NONE;
		}
	return METRICS_ROUTE_NONE;
}

const char *
metrics_route_name(int slot)
{
	return slot >= 0 && slot < nslots && slot_pattern[slot] != NULL ?
	    slot_pattern[slot] : "(none)";
}

void
metrics_request_begin(void)
{
	atomic_fetch_add_explicit(&in_flight, 1, memory_order_relaxed);
}

void
metrics_request_done(int slot, enum http_method method, int status, double ms)
{
	struct route_counts *c;
	size_t m, s, b;

	atomic_fetch_sub_explicit(&in_flight, 1, memory_order_relaxed);
	if (slot < 0 || slot >= METRICS_ROUTES_MAX)
		slot = METRICS_ROUTE_NONE;
	c = &counts[slot];
	for (m = 0; m + 1 < NMETHODS && methods[m].m != method; m++)
		;
	for (s = 0; s + 1 < NSTATUSES && statuses[s] != status; s++)
		;
	for (b = 0; b + 1 < NBUCKETS && ms > bucket_ms[b]; b++)
		;
	atomic_fetch_add_explicit(&c->answered[m][s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->micros, ms > 0 ? (unsigned long)(ms * 1000) : 0,
	    memory_order_relaxed);
}

void
metrics_error(enum err_code code)
{
	size_t i;

	for (i = 0; i < NSTORE_ERRORS; i++)
		if (store_errors[i] == code)
			atomic_fetch_add_explicit(&errors[i], 1, memory_order_relaxed);
}

void
metrics_add_cache(const char *name, struct cache *c)
{
	pthread_mutex_lock(&caches_lock);
	if (c != NULL && ncaches < METRICS_CACHES_MAX) {
		caches[ncaches].name = name;
		caches[ncaches].c = c;
		ncaches++;
	}
	pthread_mutex_unlock(&caches_lock);
}

void
metrics_replicas(unsigned n)
{
	unsigned i;

	nreplicas = n < REPLICAS_MAX ? n : REPLICAS_MAX;
	for (i = 0; i < REPLICAS_MAX; i++)
		atomic_store(&replica_lag_us[i], -1);
}

void
metrics_replica_lag(unsigned i, double seconds)
{
	if (i < REPLICAS_MAX)
		atomic_store_explicit(&replica_lag_us[i], seconds < 0 ? -1 :
		    (long long)(seconds * 1e6), memory_order_relaxed);
}

void
metrics_replica_read(unsigned i)
{
	if (i < REPLICAS_MAX)
		atomic_fetch_add_explicit(&replica_reads[i], 1, memory_order_relaxed);
}

void
metrics_replica_skipped(unsigned i, enum metrics_skip why)
{
	if (i < REPLICAS_MAX)
		atomic_fetch_add_explicit(&replica_skips[i][why == METRICS_SKIP_LAG],
		    1, memory_order_relaxed);
}

void
metrics_replica_fallback(enum metrics_fallback why)
{
	atomic_fetch_add_explicit(&replica_fallbacks[why == METRICS_FALLBACK_RYW], 1,
	    memory_order_relaxed);
}

static unsigned long
load(atomic_ulong *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

/* A label value: patterns and names are ours, but escape as the format
 * asks (backslash, double quote, newline) all the same. */
static void
label(struct buf *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_addf(out, "\\%c", *v);
		else if (*v == '\n')
			buf_adds(out, "\\n");
		else
			buf_addf(out, "%c", *v);
	}
}

static void
head(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
render_requests(struct buf *out)
{
	int r;
	size_t m, s, b;

	head(out, "giapranh_http_requests_total", "counter",
	    "Requests answered, by route pattern, method and status.");
	for (r = 0; r < nslots; r++)
		for (m = 0; m < NMETHODS; m++)
			for (s = 0; s < NSTATUSES; s++) {
				unsigned long n = load(&counts[r].answered[m][s]);
				if (n == 0)
					continue;
				buf_adds(out, "giapranh_http_requests_total{route=\"");
				label(out, slot_pattern[r]);
				buf_addf(out, "\",method=\"%s\",status=\"", methods[m].name);
				if (s + 1 < NSTATUSES)
					buf_addf(out, "%d", statuses[s]);
				else
					buf_adds(out, "other");
				buf_addf(out, "\"} %lu\n", n);
			}
	head(out, "giapranh_http_request_duration_seconds", "histogram",
	    "Time from the first byte of a request to its last answered, by route.");
	for (r = 0; r < nslots; r++) {
		unsigned long cum = 0;
		for (b = 0; b < NBUCKETS; b++)
			cum += load(&counts[r].buckets[b]);
		if (cum == 0)
			continue;
		cum = 0;
		for (b = 0; b < NBUCKETS; b++) {
			cum += load(&counts[r].buckets[b]);
			buf_adds(out, "giapranh_http_request_duration_seconds_bucket{route=\"");
			label(out, slot_pattern[r]);
			if (b + 1 < NBUCKETS)
				buf_addf(out, "\",le=\"%g\"} %lu\n", bucket_ms[b] / 1000, cum);
			else
				buf_addf(out, "\",le=\"+Inf\"} %lu\n", cum);
		}
		buf_adds(out, "giapranh_http_request_duration_seconds_sum{route=\"");
		label(out, slot_pattern[r]);
		buf_addf(out, "\"} %.6f\n", (double)load(&counts[r].micros) / 1e6);
		buf_adds(out, "giapranh_http_request_duration_seconds_count{route=\"");
		label(out, slot_pattern[r]);
		buf_addf(out, "\"} %lu\n", cum);
	}
}

static void
render_caches(struct buf *out)
{
	static const struct { const char *name, *type, *help; } series[] = {
		{ "giapranh_cache_hits_total", "counter", "Answers served from a cache." },
		{ "giapranh_cache_misses_total", "counter", "Answers a cache did not hold." },
		{ "giapranh_cache_evictions_total", "counter", "Entries dropped for room." },
		{ "giapranh_cache_entries", "gauge", "Entries held." },
		{ "giapranh_cache_bytes", "gauge", "Bytes held." },
	};
	struct cache_stats st[METRICS_CACHES_MAX];
	const char *name[METRICS_CACHES_MAX];
	size_t i, k, n;

	pthread_mutex_lock(&caches_lock);
	for (n = 0; n < ncaches; n++) {
		cache_stats(caches[n].c, &st[n]);
		name[n] = caches[n].name;
	}
	pthread_mutex_unlock(&caches_lock);
	for (i = 0; i < sizeof(series) / sizeof(series[0]); i++) {
		head(out, series[i].name, series[i].type, series[i].help);
		for (k = 0; k < n; k++) {
			unsigned long long v = i == 0 ? st[k].hits : i == 1 ? st[k].misses :
			    i == 2 ? st[k].evictions : i == 3 ? st[k].entries : st[k].bytes;
			buf_addf(out, "%s{cache=\"", series[i].name);
			label(out, name[k]);
			buf_addf(out, "\"} %llu\n", v);
		}
	}
}

/* Only with --db-read: a server without standbys prints no such series. */
static void
render_replicas(struct buf *out)
{
	unsigned i;

	if (nreplicas == 0)
		return;
	head(out, "giapranh_replica_lag_seconds", "gauge",
	    "How far a read replica is behind its primary, as last measured "
	    "(NaN: not known, the replica did not answer).");
	for (i = 0; i < nreplicas; i++) {
		long long us = atomic_load_explicit(&replica_lag_us[i], memory_order_relaxed);
		if (us < 0)
			buf_addf(out, "giapranh_replica_lag_seconds{replica=\"%u\"} NaN\n", i);
		else
			buf_addf(out, "giapranh_replica_lag_seconds{replica=\"%u\"} %.6f\n",
			    i, (double)us / 1e6);
	}
	head(out, "giapranh_replica_reads_total", "counter",
	    "Read requests answered from a read replica.");
	for (i = 0; i < nreplicas; i++)
		buf_addf(out, "giapranh_replica_reads_total{replica=\"%u\"} %lu\n", i,
		    load(&replica_reads[i]));
	head(out, "giapranh_replica_skipped_total", "counter",
	    "Times a read replica was passed over for a read: down (back-off) "
	    "or lagging beyond the bound.");
	for (i = 0; i < nreplicas; i++) {
		buf_addf(out, "giapranh_replica_skipped_total{replica=\"%u\",reason=\"down\"} "
		    "%lu\n", i, load(&replica_skips[i][0]));
		buf_addf(out, "giapranh_replica_skipped_total{replica=\"%u\",reason=\"lag\"} "
		    "%lu\n", i, load(&replica_skips[i][1]));
	}
	head(out, "giapranh_replica_primary_reads_total", "counter",
	    "Reads sent to the primary though replicas are configured: none would "
	    "do, or the reader's own write was not replayed in time (ryw).");
	buf_addf(out, "giapranh_replica_primary_reads_total{reason=\"none\"} %lu\n",
	    load(&replica_fallbacks[0]));
	buf_addf(out, "giapranh_replica_primary_reads_total{reason=\"ryw\"} %lu\n",
	    load(&replica_fallbacks[1]));
}

/* Resident set size from /proc/self/statm (pages), 0 when unknown. */
static unsigned long long
resident_bytes(void)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (unsigned long long)sysconf(_SC_PAGESIZE);
}

int
metrics_render(struct buf *out)
{
	size_t i;

	render_requests(out);
	head(out, "giapranh_http_requests_in_flight", "gauge",
	    "Requests being read or answered now (this one included).");
	buf_addf(out, "giapranh_http_requests_in_flight %ld\n",
	    atomic_load_explicit(&in_flight, memory_order_relaxed));
	head(out, "giapranh_store_errors_total", "counter",
	    "Requests failed by the database or the disk, by kind.");
	for (i = 0; i < NSTORE_ERRORS; i++)
		buf_addf(out, "giapranh_store_errors_total{kind=\"%s\"} %lu\n",
		    err_code_name(store_errors[i]), load(&errors[i]));
	render_caches(out);
	render_replicas(out);
	head(out, "giapranh_process_resident_memory_bytes", "gauge",
	    "Resident memory of the server process.");
	buf_addf(out, "giapranh_process_resident_memory_bytes %llu\n", resident_bytes());
	head(out, "giapranh_process_start_time_seconds", "gauge",
	    "When the server started, in seconds since the Unix epoch.");
	buf_addf(out, "giapranh_process_start_time_seconds %lld\n", (long long)started);
	return buf_failed(out) ? -1 : 0;
}
