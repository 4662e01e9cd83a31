/* arena.c - see arena.h */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

#define ARENA_BLOCK_MIN 4096u  /* the first block                        */
#define ARENA_BLOCK_MAX 65536u /* blocks double up to this size          */

struct arena_block {
	struct arena_block *next;
	size_t size; /* bytes of data[]                                   */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

#define ALIGN_UP(n) (((n) + (alignof(max_align_t) - 1)) & \
	~(size_t)(alignof(max_align_t) - 1))

void
arena_init(struct arena *a, size_t max)
{
	memset(a, 0, sizeof(*a));
	a->max = max;
}

/* A new block with room for n bytes, in front of the chain (behind the
 * current block when that one still has room: a large allocation does not
 * end the block being filled); NULL, and the arena failed, past the cap or
 * when malloc refuses. */
static struct arena_block *
grow(struct arena *a, size_t n)
{
	const size_t hdr = sizeof(struct arena_block);
	size_t room = a->max > a->held ? a->max - a->held : 0;
	size_t size = a->head == NULL ? ARENA_BLOCK_MIN : a->head->size * 2;
	struct arena_block *b;

	if (size > ARENA_BLOCK_MAX)
		size = ARENA_BLOCK_MAX;
	if (size < n)
		size = n;
	if (room < hdr || size > room - hdr)
		size = n; /* near the cap: just what is asked */
	if (room < hdr || n > room - hdr) {
		a->full = true;
		return NULL;
	}
	if ((b = malloc(hdr + size)) == NULL) {
		a->nomem = true;
		return NULL;
	}
	b->size = size;
	b->used = 0;
	a->held += hdr + size;
	if (a->head != NULL && a->head->used < a->head->size && size == n) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	void *p;

	if (n == 0 || a->full || a->nomem || n > SIZE_MAX - alignof(max_align_t))
		return NULL;
	n = ALIGN_UP(n);
	if (b == NULL || b->size - b->used < n) {
		if ((b = grow(a, n)) == NULL)
			return NULL;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, nmemb * size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL || n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strndup(a, s, strlen(s)) : NULL;
}

bool
arena_failed(const struct arena *a)
{
	return a->full || a->nomem;
}

bool
arena_nomem(const struct arena *a)
{
	return a->nomem;
}

bool
arena_full(const struct arena *a)
{
	return a->full;
}

size_t
arena_held(const struct arena *a)
{
	return a->held;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->held = 0;
	a->full = a->nomem = false;
}
