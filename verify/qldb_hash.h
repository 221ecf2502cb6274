/*
 * qldb_hash.h - the QLDB hash algebra (shared/docs/qldb-verification.md §1,
 * §2.4, §3): dot, Merkle roots in RFC 6962 shape, proof folding and audit
 * paths. Pure; the caller passes a per-thread struct sha256.
 */
#ifndef QLDBTOP_VERIFY_QLDB_HASH_H
#define QLDBTOP_VERIFY_QLDB_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

/* A QLDB hash: 32 bytes, or empty (len 0) for the empty-list Merkle root. */
struct qldb_hash {
	uint8_t len; /* 0 or 32 */
	uint8_t b[32];
};

/* Compare as signed bytes from index 31 down to 0 (F1). <0, 0, >0. */
int qldb_hash_compare(const uint8_t a[32], const uint8_t b[32]);
bool qldb_hash_equal(const struct qldb_hash *a, const struct qldb_hash *b);
/* out = dot(a, b): the empty rule, else SHA-256(smaller || larger).
 * out may alias a or b. Returns 0, or -1 if a length is not 0 or 32 or
 * hashing failed. */
int qldb_dot(struct sha256 *s, const struct qldb_hash *a, const struct qldb_hash *b,
	     struct qldb_hash *out);
/* Merkle root of leaves[0..n) (F8): empty list gives the empty hash. */
int qldb_merkle_root(struct sha256 *s, const struct qldb_hash *leaves, size_t n,
		     struct qldb_hash *out);
/* Audit path (siblings bottom-up) of leaf m in the tree over leaves[0..n).
 * Writes at most max hashes to path and sets *count. Returns 0 or -1. */
int qldb_merkle_path(struct sha256 *s, const struct qldb_hash *leaves, size_t n, size_t m,
		     struct qldb_hash *path, size_t max, size_t *count);
/* Fold a proof: acc = start; acc = dot(acc, proof[i]) for each i. If steps
 * is non-NULL it receives every intermediate (n entries). */
int qldb_proof_fold(struct sha256 *s, const struct qldb_hash *start, const struct qldb_hash *proof,
		    size_t n, struct qldb_hash *steps, struct qldb_hash *out);

/* Streaming Merkle root over a sequence of leaves in O(log n) memory, for
 * digests over millions of block hashes. Zero-initialise, push, then root. */
#define QLDB_MERKLE_MAX_HEIGHT 64
struct qldb_merkle_acc {
	uint64_t count;
	size_t depth;					/* entries in stack */
	struct qldb_hash stack[QLDB_MERKLE_MAX_HEIGHT]; /* complete subtrees, largest first */
	uint8_t height[QLDB_MERKLE_MAX_HEIGHT];
};
int qldb_merkle_acc_push(struct sha256 *s, struct qldb_merkle_acc *acc,
			 const struct qldb_hash *leaf);
/* Root of everything pushed so far (acc is unchanged). */
int qldb_merkle_acc_root(struct sha256 *s, const struct qldb_merkle_acc *acc,
			 struct qldb_hash *out);

#endif
