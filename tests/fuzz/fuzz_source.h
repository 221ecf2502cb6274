/*
 * fuzz_source.h - a reader source callback for the fuzz harnesses: hands
 * out the input a few bytes at a time, as fread hands out what it has, so
 * the streaming paths (window shifts, values cut at any byte) are fuzzed
 * too. Chunk sizes come from a fixed LCG seeded by the caller, so a run
 * is deterministic. The includer defines FUZZ_CHUNK_MAX (largest chunk).
 * Header-only (static): each harness is one translation unit.
 */
#ifndef QLDBTOP_TESTS_FUZZ_SOURCE_H
#define QLDBTOP_TESTS_FUZZ_SOURCE_H

#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#ifndef FUZZ_CHUNK_MAX
#error "define FUZZ_CHUNK_MAX before including fuzz_source.h"
#endif

/* Borrows p[0..len); pos is where the next chunk starts. */
struct fuzz_src {
	const uint8_t *p;
	size_t len, pos;
	uint32_t rng;
};

static ssize_t fuzz_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct fuzz_src *s = ctx;
	s->rng = s->rng * 1103515245u + 12345u;
	size_t n = 1 + (s->rng >> 16) % FUZZ_CHUNK_MAX;
	if (n > cap)
		n = cap;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

#endif
