/*
 * export_chain.h - merging the checked data objects of one or more exports,
 * in block order, into one verdict: manifest ranges contiguous (no gap, no
 * overlap), chain links between objects (the first previousBlockHash of each
 * object = the last blockHash of the one before), and the digest recomputed
 * as Merkle(blockHash[0..tip]) with the streaming accumulator when the
 * export starts at block 0 and reaches the digest tip.
 *
 * Pure and single-threaded: the caller's threads check objects, one thread
 * merges them here in key order, so the verdict does not depend on how many
 * threads ran. Ownership: export_chain_free releases the failure and
 * unproven lists; the sha context is borrowed.
 *
 * The verdict has three outcomes (DESIGN.md, exit contract):
 *   FAILED      an integrity failure was found (exit 1);
 *   UNVERIFIED  nothing failed, but something present or asked for was not
 *               proven: each such thing is one line in the unproven list
 *               (a JSON object, a revision whose content no known formula
 *               covers, a digest the export does not reach, blocks after the
 *               digest tip, a folder that could not be read) (exit 3);
 *   VERIFIED    everything present was proven and everything asked for was
 *               checked (exit 0).
 * Never optimistic: VERIFIED needs zero failures and zero unproven lines.
 */
#ifndef QLDBTOP_VERIFY_EXPORT_CHAIN_H
#define QLDBTOP_VERIFY_EXPORT_CHAIN_H

#include "export_object.h"

#define EXPORT_MAX_FAILURES 1000 /* kept in the verdict; the rest are counted */
#define EXPORT_FILE_MAX 512	 /* label of a data object in a failure */
#define EXPORT_WHY_MAX 300
#define EXPORT_MAX_UNPROVEN 64 /* unproven lines kept; the rest are counted */

struct export_failure {
	struct qldb_failure f;
	char file[EXPORT_FILE_MAX];
};

enum export_status {
	EXPORT_STATUS_VERIFIED,
	EXPORT_STATUS_FAILED,
	EXPORT_STATUS_UNVERIFIED,
};

enum export_digest_state {
	EXPORT_DIGEST_NONE,	  /* no digest given */
	EXPORT_DIGEST_UNVERIFIED, /* given but could not be checked: digest_why */
	EXPORT_DIGEST_VERIFIED,
	EXPORT_DIGEST_FAILED,
};

struct export_chain {
	struct sha256 *sha; /* borrowed */
	/* chain state */
	bool started;
	char strand[QLDB_STRAND_MAX + 1];
	int64_t first_key_seq, last_key_seq; /* ranges named by keys so far */
	int64_t last_block_seq;		     /* last block read, -1 none */
	int64_t max_block_seq;		     /* highest block read, -1 none */
	struct qldb_hash last_hash;
	bool have_last_hash;
	/* digest */
	bool want_digest;
	struct qldb_hash digest;
	struct qldb_address tip;
	struct qldb_merkle_acc acc;
	bool acc_ok;
	enum export_digest_state digest_state;
	char digest_why[EXPORT_WHY_MAX];
	/* the tip proof (export_chain_tip_gap, export_chain_tip_proven) */
	bool broken;	      /* a block not read, a gap, or a link not checked */
	bool digest_by_proof; /* VERIFIED by a proof of the last block */
	long digest_line;     /* index of the "digest: not checked" line, -1 none,
			       * -2 counted in more_unproven */
	/* formats: declared by a started manifest, found in the bytes */
	enum export_format first_format;       /* of the first object merged */
	uint64_t json_objects, json_revisions; /* JSON objects and their unproven revisions */
	/* totals */
	uint64_t objects, blocks, revisions, recomputed, hash_only, redacted, unproven_revisions;
	int64_t first_unproven_seq; /* block of the first unproven non-JSON revision, -1 */
	struct export_failure *failures;
	size_t n_failures, more_failures;
	char (*unproven)[EXPORT_WHY_MAX]; /* what was not proven, one line each */
	size_t n_unproven, more_unproven;
};

/* digest and tip may be NULL (no --digest). */
void export_chain_init(struct export_chain *ch, struct sha256 *sha, const struct qldb_hash *digest,
		       const struct qldb_address *tip);
/* Merge the next object in key order; file labels its failures. */
void export_chain_add(struct export_chain *ch, const struct export_object *o, const char *file);
/* Before export_chain_add of the same object: the format its bytes have
 * (found) and the one its started manifest names (declared, UNKNOWN when
 * there is none). A disagreement, or objects of different formats in one
 * export, is a failure: QLDB writes one format per export, so either the
 * manifest or the objects were changed. The content is verified by what it
 * is, whatever the manifest says. first_seq labels the failure. */
void export_chain_format(struct export_chain *ch, enum export_format found,
			 enum export_format declared, int64_t first_seq, const char *file);
/* A key whose data object does not exist. */
void export_chain_missing(struct export_chain *ch, const struct export_range *r, const char *file);
/* Record something that was not proven (one line, printf-style). */
void export_chain_unproven(struct export_chain *ch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* After the last object: decide the digest and list what is unproven. */
void export_chain_finish(struct export_chain *ch);
void export_chain_free(struct export_chain *ch);
/* Record a failure (also for callers' own findings). */
void export_chain_fail(struct export_chain *ch, const struct qldb_failure *f, const char *file);
size_t export_chain_failure_count(const struct export_chain *ch);
size_t export_chain_unproven_count(const struct export_chain *ch);
/*
 * The tip proof: an export that ends before the digest's tip is proven
 * when its last block is (GetBlock with the digest's tip as
 * DigestTipAddress): each blockHash covers the previousBlockHash, so the
 * last block's hash pins every earlier block of a continuous, checked
 * chain. export_chain_tip_gap (after export_chain_finish) says whether
 * that applies and gives the last block's address and the hash this chain
 * computed for it: a digest was given and not reached on its strand, the
 * chain is continuous from the export's first block to its last (no
 * missing object, gap, unreadable block or unchecked link) and nothing
 * failed. Otherwise false: the digest line says why.
 */
bool export_chain_tip_gap(const struct export_chain *ch, struct qldb_address *last,
			  struct qldb_hash *hash);
/* The caller checked that block addr, whose hash is hash, folds into this
 * chain's digest. When addr is the export's last block and hash the one
 * the chain computed, the digest is VERIFIED (digest_by_proof) and its
 * "not checked" line goes; another address or hash is a digest failure
 * naming the block, expected (the ledger's) and computed (the export's).
 * Ignored unless export_chain_tip_gap holds. */
void export_chain_tip_proven(struct export_chain *ch, const struct qldb_address *addr,
			     const struct qldb_hash *hash);
/* The verdict (valid after export_chain_finish) and its word. */
enum export_status export_chain_status(const struct export_chain *ch);
const char *export_status_name(enum export_status s);

#endif
