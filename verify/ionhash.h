/*
 * ionhash.h - Ion Hash 1.0 (amazon-ion/ion-hash docs/spec.md; notes in
 * shared/docs/ion.md §1) over the values of ion.h.
 *
 * A hasher is per thread (it owns OpenSSL contexts fetched once and scratch
 * buffers). Ownership: ionhash_new allocates, ionhash_free releases.
 * Algorithms: "sha256" (QLDB), "md5" (for the official vectors) and
 * "identity" (h(x) = x: the output is the serialized byte stream, used to
 * compare against the vectors byte by byte).
 */
#ifndef QLDBTOP_VERIFY_IONHASH_H
#define QLDBTOP_VERIFY_IONHASH_H

#include <stdint.h>

#include "buf.h"
#include "ion.h"

struct ionhash;
struct ionhash *ionhash_new(const char *algo); /* NULL if unknown or OOM */
void ionhash_free(struct ionhash *h);

/* SHA-256 Ion Hash of a top-level value (its own field name, if any, is not
 * hashed). The hasher must have been created with "sha256". Returns 0, or a
 * negative enum ion_status (ION_ERR_SYMBOL for symbols with unknown text
 * other than $0) with err filled. */
int ionhash_sha256(struct ionhash *h, const struct ion_value *v, uint8_t out[32],
		   struct ion_error *err);
/* Any algorithm: the digest is appended to out (32 bytes for sha256, 16 for
 * md5, the whole serialization for identity). */
int ionhash_value(struct ionhash *h, const struct ion_value *v, struct buf *out,
		  struct ion_error *err);

/* What a "sha256" hasher has fed to SHA-256 since it was made: messages
 * (one per struct field and per top-level value) and 64-byte blocks after
 * padding. For benchmarks: the hashing floor of a workload is the time
 * SHA-256 alone takes for that many messages and blocks. */
struct ionhash_stats {
	uint64_t messages, blocks;
};
void ionhash_get_stats(const struct ionhash *h, struct ionhash_stats *out);

#endif
