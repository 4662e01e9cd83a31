/* cache.c - see cache.h */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/cache.h"

#define GZIP_LEVEL   6  /* as server.c compresses other answers        */
#define GZIP_WINDOW  (15 + 16) /* 32 KiB window, gzip header and trailer */
#define GZIP_MEMLEVEL 8

struct cache_entry {
	atomic_int refs;       /* the table's reference and the callers'    */
	uint64_t version;
	uint64_t hash;         /* of key                                     */
	size_t bytes;          /* counted against the cache's max_bytes      */
	char *key;
	char *body, *gz;
	size_t len, gzlen;
	struct cache_entry *chain;      /* next in the same bucket          */
	struct cache_entry *newer, *older; /* recency list (table only)     */
};

/* Entries are found through a hash table (a lookup costs the same with
 * thousands of entries) and kept in a list from most to least recently
 * used, whose tail goes first. */
struct cache {
	pthread_mutex_t lock;
	struct cache_entry **buckets;
	size_t nbuckets;       /* a power of two, at least 2 * max_entries */
	struct cache_entry *newest, *oldest;
	size_t count, max_entries, max_bytes, max_entry_bytes;
	size_t bytes;
	struct cache_stats stats;
};

static uint64_t
key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct cache *
cache_new(size_t max_entries, size_t max_bytes, size_t max_entry_bytes)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->nbuckets = 16;
	while (c->nbuckets < 2 * max_entries)
		c->nbuckets *= 2;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (c->buckets == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->buckets);
		free(c);
		return NULL;
	}
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	c->max_entry_bytes = max_entry_bytes;
	return c;
}

void
cache_entry_release(struct cache_entry *ce)
{
	if (ce == NULL || atomic_fetch_sub(&ce->refs, 1) != 1)
		return;
	free(ce->key);
	free(ce->body);
	free(ce->gz);
	free(ce);
}

static struct cache_entry **
bucket(struct cache *c, uint64_t h)
{
	return &c->buckets[h & (c->nbuckets - 1)];
}

/* Take ce out of the recency list (lock held). */
static void
unlist(struct cache *c, struct cache_entry *ce)
{
	if (ce->newer != NULL)
		ce->newer->older = ce->older;
	else
		c->newest = ce->older;
	if (ce->older != NULL)
		ce->older->newer = ce->newer;
	else
		c->oldest = ce->newer;
	ce->newer = ce->older = NULL;
}

/* Put ce at the head of the recency list (lock held). */
static void
list_first(struct cache *c, struct cache_entry *ce)
{
	ce->older = c->newest;
	ce->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = ce;
	c->newest = ce;
	if (c->oldest == NULL)
		c->oldest = ce;
}

/* Take ce out of the table and drop the table's reference (lock held). */
static void
drop(struct cache *c, struct cache_entry *ce)
{
	struct cache_entry **pp = bucket(c, ce->hash);

	while (*pp != ce)
		pp = &(*pp)->chain;
	*pp = ce->chain;
	unlist(c, ce);
	c->bytes -= ce->bytes;
	c->count--;
	c->stats.entries--;
	cache_entry_release(ce);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	while (c->oldest != NULL)
		drop(c, c->oldest);
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

/* The entry of key, or NULL (lock held). */
static struct cache_entry *
find(struct cache *c, const char *key, uint64_t h)
{
	struct cache_entry *ce;

	for (ce = *bucket(c, h); ce != NULL; ce = ce->chain)
		if (ce->hash == h && strcmp(ce->key, key) == 0)
			return ce;
	return NULL;
}

struct cache_entry *
cache_get(struct cache *c, const char *key, uint64_t version)
{
	struct cache_entry *ce, *hit = NULL;
	uint64_t h = key_hash(key);

	pthread_mutex_lock(&c->lock);
	ce = find(c, key, h);
	if (ce != NULL) {
		if (ce->version == version) {
			hit = ce;
			unlist(c, ce);
			list_first(c, ce);
			atomic_fetch_add(&ce->refs, 1);
		} else if (ce->version < version) {
			drop(c, ce); /* no later lookup can want it */
		}
	}
	if (hit != NULL)
		c->stats.hits++;
	else
		c->stats.misses++;
	pthread_mutex_unlock(&c->lock);
	return hit;
}

/* gzip of body into ce->gz when it is smaller; nothing on failure (the
 * plain body is always there). */
static void
compress_body(struct cache_entry *ce)
{
	z_stream z;
	uLong bound;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW, GZIP_MEMLEVEL,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	bound = deflateBound(&z, (uLong)ce->len);
	ce->gz = malloc(bound);
	if (ce->gz != NULL) {
		z.next_in = (unsigned char *)ce->body;
		z.avail_in = (uInt)ce->len;
		z.next_out = (unsigned char *)ce->gz;
		z.avail_out = (uInt)bound;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < ce->len) {
			ce->gzlen = z.total_out;
		} else {
			free(ce->gz);
			ce->gz = NULL;
		}
	}
	deflateEnd(&z);
}

static struct cache_entry *
entry_new(const char *key, uint64_t version, const char *body, size_t len,
    bool gzip)
{
	struct cache_entry *ce = calloc(1, sizeof(*ce));

	if (ce == NULL)
		return NULL;
	ce->key = strdup(key);
	ce->body = malloc(len + 1);
	if (ce->key == NULL || ce->body == NULL) {
		free(ce->key);
		free(ce->body);
		free(ce);
		return NULL;
	}
	memcpy(ce->body, body, len);
	ce->body[len] = '\0';
	ce->len = len;
	ce->version = version;
	ce->hash = key_hash(key);
	if (gzip && len <= UINT32_MAX)
		compress_body(ce);
	ce->bytes = len + ce->gzlen + strlen(key) + sizeof(*ce);
	atomic_init(&ce->refs, 1); /* the caller's */
	return ce;
}

struct cache_entry *
cache_put(struct cache *c, const char *key, uint64_t version,
    const char *body, size_t len, bool gzip)
{
	struct cache_entry *ce, *old;

	/* copied and compressed outside the lock: readers of other keys go on */
	ce = entry_new(key, version, body, len, gzip);
	if (ce == NULL)
		return NULL;
	if (ce->bytes > c->max_entry_bytes || ce->bytes > c->max_bytes ||
	    c->max_entries == 0)
		return ce; /* answered, not kept */
	pthread_mutex_lock(&c->lock);
	old = find(c, key, ce->hash);
	if (old != NULL) {
		if (old->version > version) {
			/* a later answer is there already */
			pthread_mutex_unlock(&c->lock);
			return ce;
		}
		drop(c, old);
	}
	/* the least recently used go until it fits */
	while (c->oldest != NULL && (c->count >= c->max_entries ||
	    c->bytes + ce->bytes > c->max_bytes)) {
		drop(c, c->oldest);
		c->stats.evictions++;
	}
	atomic_fetch_add(&ce->refs, 1); /* the table's */
	ce->chain = *bucket(c, ce->hash);
	*bucket(c, ce->hash) = ce;
	list_first(c, ce);
	c->count++;
	c->bytes += ce->bytes;
	c->stats.entries++;
	pthread_mutex_unlock(&c->lock);
	return ce;
}

const char *
cache_entry_body(const struct cache_entry *ce, bool gz, size_t *len)
{
	if (gz) {
		*len = ce->gzlen;
		return ce->gz;
	}
	*len = ce->len;
	return ce->body;
}

void
cache_stats(struct cache *c, struct cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	out->bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}
