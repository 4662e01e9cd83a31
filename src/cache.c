/* cache.c - see cache.h */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cache.h"

#define GZIP_LEVEL   6  /* as server.c compresses other answers        */
#define GZIP_WINDOW  (15 + 16) /* 32 KiB window, gzip header and trailer */
#define GZIP_MEMLEVEL 8

struct cache_entry {
	atomic_int refs;       /* the table's reference and the callers'    */
	uint64_t version;
	uint64_t hash;         /* of key                                     */
	uint64_t used;         /* LRU clock                                  */
	size_t bytes;          /* counted against the cache's max_bytes      */
	char *key;
	char *body, *gz;
	size_t len, gzlen;
};

struct cache {
	pthread_mutex_t lock;
	struct cache_entry **slots;
	size_t max_entries, max_bytes, max_entry_bytes;
	size_t bytes;
	uint64_t clock;
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
	c->slots = calloc(max_entries > 0 ? max_entries : 1, sizeof(*c->slots));
	if (c->slots == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->slots);
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

/* Take slot i out of the table (lock held). */
static void
drop(struct cache *c, size_t i)
{
	struct cache_entry *ce = c->slots[i];

	c->slots[i] = NULL;
	c->bytes -= ce->bytes;
	c->stats.entries--;
	cache_entry_release(ce);
}

void
cache_free(struct cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->max_entries; i++)
		if (c->slots[i] != NULL)
			drop(c, i);
	pthread_mutex_destroy(&c->lock);
	free(c->slots);
	free(c);
}

/* The slot of key, or max_entries (lock held). */
static size_t
find(struct cache *c, const char *key, uint64_t h)
{
	size_t i;

	for (i = 0; i < c->max_entries; i++) {
		struct cache_entry *ce = c->slots[i];
		if (ce != NULL && ce->hash == h && strcmp(ce->key, key) == 0)
			return i;
	}
	return c->max_entries;
}

struct cache_entry *
cache_get(struct cache *c, const char *key, uint64_t version)
{
	struct cache_entry *ce = NULL;
	uint64_t h = key_hash(key);
	size_t i;

	pthread_mutex_lock(&c->lock);
	i = find(c, key, h);
	if (i < c->max_entries) {
		if (c->slots[i]->version == version) {
			ce = c->slots[i];
			ce->used = ++c->clock;
			atomic_fetch_add(&ce->refs, 1);
		} else if (c->slots[i]->version < version) {
			drop(c, i); /* no later lookup can want it */
		}
	}
	if (ce != NULL)
		c->stats.hits++;
	else
		c->stats.misses++;
	pthread_mutex_unlock(&c->lock);
	return ce;
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

/* A free slot, evicting the least recently used entries until `need`
 * more bytes fit (lock held). */
static size_t
make_room(struct cache *c, size_t need)
{
	size_t i, lru, free_slot;

	for (;;) {
		free_slot = lru = c->max_entries;
		for (i = 0; i < c->max_entries; i++) {
			if (c->slots[i] == NULL) {
				if (free_slot == c->max_entries)
					free_slot = i;
			} else if (lru == c->max_entries ||
			    c->slots[i]->used < c->slots[lru]->used) {
				lru = i;
			}
		}
		if (free_slot < c->max_entries && c->bytes + need <= c->max_bytes)
			return free_slot;
		if (lru == c->max_entries)
			return c->max_entries; /* empty and still too big */
		drop(c, lru);
		c->stats.evictions++;
	}
}

struct cache_entry *
cache_put(struct cache *c, const char *key, uint64_t version,
    const char *body, size_t len, bool gzip)
{
	struct cache_entry *ce;
	size_t i;

	/* copied and compressed outside the lock: readers of other keys go on */
	ce = entry_new(key, version, body, len, gzip);
	if (ce == NULL)
		return NULL;
	if (ce->bytes > c->max_entry_bytes || ce->bytes > c->max_bytes ||
	    c->max_entries == 0)
		return ce; /* answered, not kept */
	pthread_mutex_lock(&c->lock);
	i = find(c, key, ce->hash);
	if (i < c->max_entries) {
		if (c->slots[i]->version > version) {
			/* a later answer is there already */
			pthread_mutex_unlock(&c->lock);
			return ce;
		}
		drop(c, i);
	}
	i = make_room(c, ce->bytes);
	if (i < c->max_entries) {
		atomic_fetch_add(&ce->refs, 1); /* the table's */
		ce->used = ++c->clock;
		c->slots[i] = ce;
		c->bytes += ce->bytes;
		c->stats.entries++;
	}
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
