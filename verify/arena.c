/* arena.c - bump allocator for Ion value trees (see ion.h), with a budget:
 * the bytes of chunks taken since the last reset may not pass a limit
 * (ION_MAX_ARENA_BYTES by default), so one top-level value cannot take the
 * machine's memory (a 60 MB list of small ints would need about 3 GB of
 * tree). Over the budget, ion_arena_alloc returns NULL and
 * ion_arena_over_limit says why, so the reader can name the limit.
 * A reset frees every chunk but the oldest normal-size one, so memory does
 * not stay high after one big value. */
#include <stdlib.h>

#include "ion.h"

#define ARENA_CHUNK (64u * 1024) /* default chunk; big requests get their own */

struct chunk {
	struct chunk *next;
	size_t cap, used;
	_Alignas(16) unsigned char data[];
};

struct ion_arena {
	struct chunk *head;
	size_t taken; /* bytes of chunks taken since the last reset */
	size_t limit;
	bool over; /* an allocation was refused for the budget */
};

struct ion_arena *ion_arena_new(void)
{
	struct ion_arena *a = calloc(1, sizeof(struct ion_arena));
	if (a)
		a->limit = ION_MAX_ARENA_BYTES;
	return a;
}

void ion_arena_set_limit(struct ion_arena *a, size_t bytes)
{
	a->limit = bytes;
}

size_t ion_arena_limit(const struct ion_arena *a)
{
	return a->limit;
}

bool ion_arena_over_limit(const struct ion_arena *a)
{
	return a->over;
}

static struct chunk *chunk_new(size_t cap)
{
	struct chunk *c = malloc(sizeof *c + cap);
	if (!c)
		return NULL;
	c->next = NULL;
	c->cap = cap;
	c->used = 0;
	return c;
}

void *ion_arena_alloc(struct ion_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if (cap > a->limit || a->taken > a->limit - cap) {
			a->over = true;
			return NULL;
		}
		a->taken += cap;
		struct chunk *nc = chunk_new(cap);
		if (!nc)
			return NULL;
		nc->next = c;
		a->head = nc;
		c = nc;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

void ion_arena_reset(struct ion_arena *a)
{
	/* keep the oldest normal-size chunk: it sits lowest in the heap, so the
	 * allocator can give back the space of the newer ones it frees */
	struct chunk *keep = NULL;
	for (struct chunk *c = a->head; c; c = c->next)
		if (c->cap == ARENA_CHUNK)
			keep = c;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		if (c != keep)
			free(c);
		c = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->taken = keep ? keep->cap : 0;
	a->over = false;
}

void ion_arena_free(struct ion_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}
