/*
 * fuzz_ion_text.c - libFuzzer target for the Ion TEXT parser (and, through
 * the reader facade, encoding detection). fuzz_ion_binary.c includes this
 * file with FUZZ_ION_BINARY set to fuzz the binary parser the same way.
 *
 * For each input (copied into a malloc'd buffer of exactly its size, no
 * NUL, so ASan sees any over-read):
 *   1. the parser itself (ion_text_next / ion_binary_next of
 *      ion_internal.h) reads every value; the text target so takes the text
 *      path even when the input starts with the binary version marker, the
 *      binary target puts the marker in front when it is missing;
 *   2. every value is Ion-Hashed (SHA-256), written as text and as binary,
 *      and both forms are read back: when the value hashes (no symbol with
 *      unknown text), the re-read forms must hash the same;
 *   3. the reader facade reads the same bytes from a buffer and from a
 *      source callback that hands out a few bytes at a time: both must give
 *      the same values (hashes) and the same outcome.
 * Any crash, leak, UBSan report, hang, or a broken invariant (abort) is a
 * finding. Run through `make fuzz` / `make fuzz-smoke` (tests/fuzz/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/buf.h"
#include "verify/ion.h"
#include "verify/ion_internal.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"

#ifndef FUZZ_ION_BINARY
#define FUZZ_ION_BINARY 0
#endif
#define FUZZ_MAX_VALUES 4096	    /* per input: bounds the work of one run */
#define FUZZ_CHUNK_MAX 13	    /* source callback hands out 1..13 bytes */
#include "tests/fuzz/fuzz_source.h" /* after FUZZ_CHUNK_MAX */

static const uint8_t FUZZ_IVM[4] = { 0xe0, 0x01, 0x00, 0xea };

/* A broken invariant: say which, then abort so libFuzzer saves the input. */
static void fuzz_fail(const char *what, size_t index)
{
	fprintf(stderr, "fuzz_ion: value %zu: %s\n", index, what);
	abort();
}

/* Hash v into out; false when it cannot be hashed (unknown symbol text). */
static bool fuzz_hash(struct ionhash *h, const struct ion_value *v, uint8_t out[32])
{
	struct ion_error err = { 0 };
	return ionhash_sha256(h, v, out, &err) == 0;
}

/* Re-read one written form and check it hashes like the original. */
static void fuzz_reread(struct ionhash *h, const struct buf *form, const uint8_t want[32],
			bool hashable, size_t index, const char *what)
{
	struct ion_arena *a = ion_arena_new();
	const struct ion_value *v;
	struct ion_error err = { 0 };
	uint8_t got[32];
	if (!a)
		return;
	/* A value with unknown symbol text is written as $N and may not read
	 * back without its symbol table: only hashable values must. */
	int rc = ion_parse_one(form->data, form->len, a, &v, &err);
	if (hashable) {
		if (rc != 0) {
			fprintf(stderr, "fuzz_ion: %.*s\n",
				(int)(form->len < 200 ? form->len : 200), (const char *)form->data);
			fprintf(stderr, "fuzz_ion: %s\n", err.msg);
			fuzz_fail(what, index);
		}
		if (!fuzz_hash(h, v, got) || memcmp(got, want, 32) != 0)
			fuzz_fail(what, index);
	}
	ion_arena_free(a);
}

/* Step 2 for one value. */
static void fuzz_value(struct ionhash *h, const struct ion_value *v, size_t index)
{
	uint8_t want[32];
	bool hashable = fuzz_hash(h, v, want);
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	if (ion_write_text(&out, v, &err) == 0)
		fuzz_reread(h, &out, want, hashable, index, "text form reads back differently");
	else if (hashable)
		fuzz_fail("text writer fails on a hashable value", index);
	buf_clear(&out);
	struct ion_binary_writer *w = ion_binary_writer_new();
	if (w && ion_binary_writer_add(w, v, &err) == 0 &&
	    ion_binary_writer_finish(w, &out, &err) == 0)
		fuzz_reread(h, &out, want, hashable, index, "binary form reads back differently");
	else if (w && hashable)
		fuzz_fail("binary writer fails on a hashable value", index);
	ion_binary_writer_free(w);
	buf_free(&out);
}

/* Step 1: the parser directly. */
static void fuzz_parser(struct ionhash *h, const uint8_t *buf, size_t len)
{
	struct ion_arena *a = ion_arena_new();
	struct ion_symtab *st = ion_symtab_new();
	size_t pos = 0;
	for (size_t i = 0; a && st && i < FUZZ_MAX_VALUES; i++) {
		struct ion_value *v = NULL;
		struct ion_error err = { 0 };
		size_t before = pos;
		int rc = FUZZ_ION_BINARY ? ion_binary_next(buf, len, &pos, true, a, st, &v, &err)
					 : ion_text_next(buf, len, &pos, true, a, st, &v, &err);
		if (rc <= 0)
			break;
		if (!v || pos <= before || pos > len)
			fuzz_fail("parser returned a value without moving forward", i);
		fuzz_value(h, v, i);
		ion_arena_reset(a);
	}
	ion_symtab_free(st);
	ion_arena_free(a);
}

/* Step 3: hashes (or "unhashable") of every value read by a facade; the
 * outcome (0 end, < 0 error) in *status. Returns the number of values. */
static size_t fuzz_facade(struct ionhash *h, struct ion_reader *r, uint8_t (*hashes)[33],
			  int *status)
{
	size_t n = 0;
	*status = ION_ERR_NOMEM;
	while (r && n < FUZZ_MAX_VALUES) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		*status = rc;
		if (rc <= 0)
			break;
		hashes[n][32] = fuzz_hash(h, v, hashes[n]);
		if (!hashes[n][32])
			memset(hashes[n], 0, 32);
		n++;
	}
	ion_reader_free(r);
	return n;
}

static void fuzz_facades(struct ionhash *h, const uint8_t *buf, size_t len)
{
	static uint8_t a[FUZZ_MAX_VALUES][33], b[FUZZ_MAX_VALUES][33];
	struct fuzz_src src = { .p = buf, .len = len, .rng = 1 };
	int sa, sb;
	size_t na = fuzz_facade(h, ion_reader_open_buffer(buf, len), a, &sa);
	size_t nb = fuzz_facade(h, ion_reader_open_source(fuzz_read, &src), b, &sb);
	if (sa == ION_ERR_NOMEM || sb == ION_ERR_NOMEM || sa > 0 || sb > 0)
		return; /* out of memory or hit FUZZ_MAX_VALUES: nothing to compare */
	if (na != nb || memcmp(a, b, na * sizeof a[0]) != 0)
		fuzz_fail("buffer and source readers give different values", na < nb ? na : nb);
	if ((sa < 0) != (sb < 0))
		fuzz_fail("buffer and source readers end differently", na);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ionhash *h;
	if (!h && !(h = ionhash_new("sha256")))
		return 0;
	bool add_ivm = FUZZ_ION_BINARY && (size < 4 || memcmp(data, FUZZ_IVM, 4) != 0);
	size_t len = size + (add_ivm ? 4 : 0);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	if (add_ivm)
		memcpy(buf, FUZZ_IVM, 4);
	if (size)
		memcpy(buf + (add_ivm ? 4 : 0), data, size);
	fuzz_parser(h, buf, len);
	fuzz_facades(h, buf, len);
	free(buf);
	return 0;
}
