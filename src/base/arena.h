/*
 * arena.h - a memory arena per request (after h2o's h2o_mem_pool_t and
 * Kore's pools): what a request allocates from it dies with it, in one
 * arena_free at the request's end, so an error return cannot leak.
 *
 * Memory comes in blocks chained from the arena; an allocation larger than
 * a block gets a block of its own.  A cap on the bytes held is given at
 * init (the request's, from gplimits.h); an allocation that would pass it,
 * or that malloc refuses, returns NULL and sets the sticky failure that
 * arena_nomem and arena_full tell apart - as buf.h does.  Every allocation
 * is zeroed and aligned for any type.  Not thread-safe: one arena belongs
 * to one request, which one thread serves.
 */
#ifndef GIAPRANH_ARENA_H
#define GIAPRANH_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* the block being filled, then older ones */
	size_t held;              /* bytes of every block (the cap's count) */
	size_t max;               /* cap on held                           */
	bool full;                /* an allocation would have passed max   */
	bool nomem;               /* malloc refused a block                */
};

/* An empty arena holding at most max bytes (its blocks' headers too);
 * nothing is allocated until the first arena_alloc. */
void arena_init(struct arena *a, size_t max);

/* n zeroed bytes aligned for any type, valid until arena_free; NULL when
 * n is 0, past the cap or out of memory (the arena then fails). */
void *arena_alloc(struct arena *a, size_t n);

/* nmemb * size bytes, NULL on overflow as on any failure. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);

/* A copy of s (NULL for NULL, or on failure). */
char *arena_strdup(struct arena *a, const char *s);

/* A copy of the first n bytes of s, NUL-terminated. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Has an allocation failed: past the cap, or out of memory? */
bool arena_failed(const struct arena *a);
bool arena_nomem(const struct arena *a); /* malloc refused (503)        */
bool arena_full(const struct arena *a);  /* the cap was reached (413)   */

/* Bytes held by the arena's blocks. */
size_t arena_held(const struct arena *a);

/* Free every block; the arena is empty (and without failure) again. */
void arena_free(struct arena *a);

#endif
