/*
 * merkle.h - the ledger's Merkle tree over block hashes, stored so that a
 * digest at any published tip and any block's audit path to it cost
 * O(log n) hash operations (RFC 6962 shape, shared/docs/qldb-verification.md
 * §3: the tree over leaves [0, n) splits at the largest power of two below
 * n, and nodes combine with dot).
 *
 * What is stored: every complete, aligned subtree root. Level 0 holds the
 * leaves; level h holds the roots of leaves [i*2^h, (i+1)*2^h). Appending a
 * leaf adds at most one node per level, so memory is about two hashes per
 * leaf. Any range the RFC 6962 recursion visits either is one of these
 * stored subtrees or splits into one stored subtree and a smaller range,
 * so a root or path needs no leaf scan.
 *
 * Not thread-safe: the journal calls it under its own mutex.
 * Ownership: zero-initialise a struct sim_merkle, sim_merkle_free releases
 * what appends allocated. The caller passes its struct sha256.
 */
#ifndef QLDBTOP_SIM_MERKLE_H
#define QLDBTOP_SIM_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "verify/qldb_hash.h"

#define SIM_MERKLE_LEVELS 48 /* 2^47 leaves: far beyond any journal here */

struct sim_merkle {
	struct qldb_hash *level[SIM_MERKLE_LEVELS];
	size_t len[SIM_MERKLE_LEVELS], cap[SIM_MERKLE_LEVELS];
};

/* Append one leaf (32 bytes). Returns 0, or -1 out of memory (the tree is
 * unchanged). */
int sim_merkle_append(struct sha256 *s, struct sim_merkle *t, const struct qldb_hash *leaf);
size_t sim_merkle_size(const struct sim_merkle *t);
/* Root of leaves [0, n), n <= size. Returns 0 or -1. */
int sim_merkle_root(struct sha256 *s, const struct sim_merkle *t, size_t n, struct qldb_hash *out);
/* Audit path of leaf m in the tree over [0, n), siblings bottom-up (what
 * QLDB's GetBlock returns as Proof). At most max hashes; *count set.
 * Returns 0, or -1 when m >= n, n > size or max is too small. */
int sim_merkle_path(struct sha256 *s, const struct sim_merkle *t, size_t m, size_t n,
		    struct qldb_hash *path, size_t max, size_t *count);
/* Drop leaves from n on (n <= size): used when a commit fails after its
 * leaf was appended. */
void sim_merkle_truncate(struct sim_merkle *t, size_t n);
void sim_merkle_free(struct sim_merkle *t);

#endif
