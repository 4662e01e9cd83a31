/*
 * cache.h - answers kept in memory until the data they were computed from
 * changes (issue 7: the achievement summary and the values of 3,321 units
 * are pure functions of rows that change rarely, and computing them per
 * request was the whole cost of those endpoints).
 *
 * A cache maps a key (a short string the caller builds from everything the
 * answer depends on) to a body, stamped with the data version it was
 * computed at (store_data_version: bumped by every write through the store
 * and when another process or connection committed).  An entry answers
 * only a lookup at the same version, so a write makes every older answer
 * unreachable at once; stale entries are dropped when met.
 *
 * Bounded: at most CACHE_ENTRIES_MAX entries and CACHE_BYTES_MAX bytes of
 * bodies (gzip copies included); bodies over CACHE_ENTRY_BYTES_MAX are not
 * kept; the least recently used entry goes first.  Thread-safe: one mutex
 * around the table; entries are reference counted, so a response still
 * being sent keeps its body alive after the entry was replaced or evicted
 * (no copy per request).
 *
 * Permissions are the caller's business: a cached answer must be one that
 * every user allowed to ask may see, or the key must name what differs.
 */
#ifndef GIAPRANH_CACHE_H
#define GIAPRANH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache;
struct cache_entry;

/* A new empty cache bounded by these limits; NULL when out of memory. */
struct cache *cache_new(size_t max_entries, size_t max_bytes,
    size_t max_entry_bytes);
/* Frees the table; entries still referenced live until released. */
void cache_free(struct cache *c);

/* A new reference to the entry of key computed at `version`, or NULL.  An
 * entry of an older version is dropped. */
struct cache_entry *cache_get(struct cache *c, const char *key,
    uint64_t version);

/* Keep a copy of body (len bytes) for key at `version`, with a gzip copy
 * when gzip is set and it is smaller; replaces an entry of the same key
 * unless that one is newer.  Returns a new reference to the entry (even
 * when it was too large to keep, so the caller can still send it), or
 * NULL when out of memory. */
struct cache_entry *cache_put(struct cache *c, const char *key,
    uint64_t version, const char *body, size_t len, bool gzip);

/* The body (gz false) or its gzip copy (gz true; NULL when there is none). */
const char *cache_entry_body(const struct cache_entry *ce, bool gz,
    size_t *len);
void cache_entry_release(struct cache_entry *ce);

struct cache_stats {
	size_t entries, bytes;
	uint64_t hits, misses, evictions;
};
void cache_stats(struct cache *c, struct cache_stats *out);

#endif
