/*
 * export_object.h - checking one export data object, block by block, as a
 * stream: the caller pulls top-level values from an Ion reader and feeds
 * them here. Each block gets its self-check (qldb_block.h); consecutive
 * blocks must have consecutive sequence numbers and be chained by
 * previousBlockHash; the first and last blocks must match the range in the
 * object's key. The result carries what the merge (export_chain.h) needs:
 * the first previousBlockHash, the last blockHash and every blockHash in
 * order (for the digest), and the failures found.
 *
 * Pure and single-threaded; one struct export_object per job. Ownership:
 * export_object_init takes a borrowed checker (per thread);
 * export_object_free releases the hash and failure arrays.
 */
#ifndef QLDBTOP_VERIFY_EXPORT_OBJECT_H
#define QLDBTOP_VERIFY_EXPORT_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export_manifest.h"
#include "qldb_block.h"

#define EXPORT_OBJECT_MAX_FAILURES 64	     /* kept per object; the rest are counted */
#define EXPORT_OBJECT_MAX_BLOCKS (64u << 20) /* blockHashes kept per object */
#define EXPORT_OBJECT_MAX_GAPS 8	     /* open gaps remembered (see below) */

/* Blocks reported missing that later blocks may still bring: blocks
 * first..last did not come where expected. A gap of up to 64 blocks is
 * filled in any order (filled: bit i for block first + i); a longer one in
 * order only (next: the block a fill must be). failure: the index of its
 * "missing" failure, rewritten in place at each fill. */
struct export_gap {
	int64_t first, last, next;
	uint64_t filled;
	size_t failure;
};

struct export_object {
	struct qldb_checker *checker; /* borrowed */
	enum qldb_mode mode;
	struct export_range range; /* from the key */
	/* results */
	size_t blocks, revisions, recomputed;
	size_t hash_only, redacted, unproven; /* revisions by kind (qldb_block.h) */
	int64_t first_unproven_seq;	      /* block of the first unproven revision, -1 */
	bool contiguous;		      /* blocks seen had consecutive sequence numbers */
	int64_t first_seq, last_seq;	      /* of the blocks seen; -1 before any */
	struct qldb_hash first_prev;	      /* previousBlockHash of the first block */
	struct qldb_hash last_hash;	      /* blockHash of the last block read */
	bool have_last_hash;
	struct qldb_hash *hashes; /* blockHash of each block seen, in order */
	size_t n_hashes, cap_hashes;
	struct qldb_failure *failures;
	size_t n_failures, more_failures; /* kept, and counted beyond the cap */
	bool truncated;
	/* gaps reported as missing, until later blocks fill them: the failure
	 * is then rewritten in place as "out of order" (blocks 3,5,4,6 are
	 * swapped, not missing); a gap never filled stays "missing" */
	struct export_gap gaps[EXPORT_OBJECT_MAX_GAPS];
	size_t n_gaps;
};

void export_object_init(struct export_object *o, struct qldb_checker *checker, enum qldb_mode mode,
			const struct export_range *range);
/* One top-level value from the object. */
void export_object_block(struct export_object *o, const struct ion_value *v);
/* The reader failed after at least one block (or at the first block in an
 * object that otherwise looked like Ion): the object is truncated or
 * corrupt at the next expected block. what: the reader's message. */
void export_object_truncated(struct export_object *o, const char *what);
/* End of the object: the last block must be the key's last. */
void export_object_finish(struct export_object *o);
void export_object_free(struct export_object *o);
/* Add a failure (also used by the merge for object-level findings). */
void export_object_fail(struct export_object *o, enum qldb_check kind, int64_t seq, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

#endif
