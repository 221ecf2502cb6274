/*
 * qldb_block.h - the QLDB journal block self-check (shared/docs/
 * qldb-verification.md §2): revision hashes recomputed by Ion Hash, the
 * revisions root, IonHash(transactionInfo) and IonHash(redactionInfo) as
 * members of entriesHashList, entriesHash = Merkle(entriesHashList) and
 * blockHash = dot(entriesHash, previousBlockHash).
 *
 * Pure: no I/O, no threads, no globals. A struct qldb_checker holds the
 * per-thread state (SHA-256 and Ion Hash contexts, scratch arrays); use one
 * per thread. Ownership: qldb_checker_new allocates, qldb_checker_free
 * releases. Values passed in are borrowed for the duration of the call.
 *
 * Every failed check is reported through a callback with its kind, the block
 * sequence number and a one-line message naming what failed, the block
 * address and the expected and computed hashes in base64. Every check that
 * passed can be reported too (verify-proof prints them); nothing that was
 * not recomputed is ever reported as passed.
 */
#ifndef QLDBTOP_VERIFY_QLDB_BLOCK_H
#define QLDBTOP_VERIFY_QLDB_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ion.h"
#include "qldb_hash.h"

/* Limits (a QLDB transaction is at most 4 MB, so these are generous). */
#define QLDB_BLOCK_MAX_REVISIONS 65536
#define QLDB_BLOCK_MAX_ENTRIES 65536
#define QLDB_STRAND_MAX 64 /* strand ids are 22 characters of base62 */
/* Sequence numbers above this are rejected: no ledger comes near it, and it
 * keeps seq + 1 (the next expected block) from overflowing int64_t. Export
 * keys (at most 18 digits) stay below it too. */
#define QLDB_SEQUENCE_MAX ((int64_t)1 << 62)
#define QLDB_MESSAGE_MAX 400
#define QLDB_HASH_B64_LEN 45 /* base64 of 32 bytes + NUL */

/* What a failure (or a proven step) is about. Names in qldb_check_name(). */
enum qldb_check {
	QLDB_CHECK_FORMAT,	     /* the value is not a well-formed block/revision */
	QLDB_CHECK_REVISION_HASH,    /* dot(IonHash(metadata), IonHash(data)) != hash */
	QLDB_CHECK_REVISIONS_ROOT,   /* Merkle(revision hashes) not in entriesHashList */
	QLDB_CHECK_TRANSACTION_INFO, /* IonHash(transactionInfo) not in entriesHashList */
	QLDB_CHECK_REDACTION_INFO,   /* IonHash(redactionInfo) not in entriesHashList */
	QLDB_CHECK_ENTRIES_HASH,     /* Merkle(entriesHashList) != entriesHash */
	QLDB_CHECK_BLOCK_HASH,	     /* dot(entriesHash, previousBlockHash) != blockHash */
	QLDB_CHECK_CHAIN_LINK,	     /* previousBlockHash != the previous block's blockHash */
	QLDB_CHECK_SEQUENCE,	     /* a block is missing, repeated or out of order */
	QLDB_CHECK_RANGE,	     /* object/manifest ranges: gap, overlap, key mismatch */
	QLDB_CHECK_TRUNCATED,	     /* a data object ends inside a block or is corrupt */
	QLDB_CHECK_MISSING_OBJECT,   /* a manifest key names no data object */
	QLDB_CHECK_ADDRESS,	     /* strand or sequence number not covered by the digest */
	QLDB_CHECK_PROOF,	     /* a proof does not fold to the digest */
	QLDB_CHECK_DIGEST,	     /* Merkle(blockHash[0..tip]) != digest */
	QLDB_CHECK_MANIFEST,	     /* a manifest misnames its objects' format, or formats mix */
	QLDB_CHECK_CONTENT,	     /* content that no recomputed hash covers (soundness rule) */
	QLDB_CHECK_COUNT
};
const char *qldb_check_name(enum qldb_check kind);

struct qldb_failure {
	enum qldb_check kind;
	int64_t seq; /* block sequence number; -1 when unknown */
	char message[QLDB_MESSAGE_MAX];
};

/* Where results go. Any callback may be NULL. Called synchronously. */
struct qldb_report {
	void (*fail)(void *ctx, const struct qldb_failure *f);
	void (*pass)(void *ctx, enum qldb_check kind, const char *line); /* a proven step */
	void (*note)(void *ctx, const char *line); /* something NOT proven, and why */
	void *ctx;
};

/* Ion: hashes are blobs and Ion Hash can be recomputed. JSON (an export's
 * JSON Lines down-conversion): hashes are base64 strings and Ion Hash cannot
 * be trusted, so only the structural checks run (§5). */
enum qldb_mode { QLDB_MODE_ION, QLDB_MODE_JSON };

struct qldb_address {
	char strand[QLDB_STRAND_MAX + 1];
	int64_t seq;
};

struct qldb_block_result {
	struct qldb_address addr;
	struct qldb_hash block_hash;	/* as published */
	struct qldb_hash previous_hash; /* as published (may be empty at genesis) */
	/* Revisions by kind. revisions = recomputed + hash_only + unproven +
	 * those that failed a content check (uncovered-content, or metadata/data
	 * that cannot be Ion-hashed), which are in none of the three. */
	size_t revisions;  /* entries in revisions */
	size_t recomputed; /* hash recomputed from content (data, dataHash, or a
			      deleted document's metadata); a mismatch is a failure */
	size_t redacted;   /* of those, recomputed via dataHash */
	size_t hash_only;  /* {hash} or {hash, blockAddress}: internal revisions, no
			      content; the hash is a leaf as given, nothing unproven */
	size_t unproven;   /* content present but not recomputed (JSON mode, or a
			      deleted document's hash that is not IonHash(metadata));
			      each one reported through rep->note */
	size_t failures;   /* checks failed in this block */
};

struct qldb_checker;
struct qldb_checker *qldb_checker_new(void); /* NULL on OOM or OpenSSL failure */
void qldb_checker_free(struct qldb_checker *c);
struct sha256 *qldb_checker_sha(struct qldb_checker *c); /* borrowed */

/* Base64 of a hash into out (QLDB_HASH_B64_LEN bytes); "(empty)" if len 0. */
const char *qldb_hash_b64(const struct qldb_hash *h, char out[QLDB_HASH_B64_LEN]);

/* Read exactly {strandId, sequenceNo} (no other or repeated field, no
 * annotations): strandId a string of 1..QLDB_STRAND_MAX base62 characters
 * (QLDB's are 22; it is printed in one-line messages), sequenceNo an int
 * in 0..QLDB_SEQUENCE_MAX. This and qldb_address_parse (qldb_proof.h) are
 * the one block-address reader. Returns 0 or -1 with why filled. */
int qldb_address_get(const struct ion_value *v, struct qldb_address *out, char *why, size_t cap);
/* A hash field: a blob of 0 or 32 bytes (Ion mode), a base64 string (JSON
 * mode: JSON has no blobs, so a blob there means the object is not JSON).
 * allow_empty admits the 0-byte form. Returns 0 or -1. */
int qldb_hash_get(const struct ion_value *v, enum qldb_mode mode, bool allow_empty,
		  struct qldb_hash *out);

/* What qldb_revision_hash found (>= 0), or why it could not (< 0). */
enum qldb_rev_kind {
	QLDB_REV_RECOMPUTED = 0,   /* dot(IonHash(metadata), IonHash(data)) */
	QLDB_REV_REDACTED,	   /* dot(IonHash(metadata), dataHash) */
	QLDB_REV_DELETED,	   /* metadata alone, hash = IonHash(metadata): recomputed */
	QLDB_REV_HASH_ONLY,	   /* {hash} (and blockAddress): no content, leaf as given */
	QLDB_REV_UNPROVEN,	   /* content present that cannot be recomputed: JSON mode,
				      or metadata alone whose hash is not IonHash(metadata) */
	QLDB_REV_ERR_FORMAT = -1,  /* not a struct, or no 32-byte hash */
	QLDB_REV_ERR_CONTENT = -2, /* content no recomputed hash covers: data or dataHash
				      without metadata, data with dataHash, an unknown or
				      repeated field, annotations on the revision */
	QLDB_REV_ERR_HASH = -3,	   /* metadata or data cannot be Ion-hashed */
};

/* Revision hash. Sets *published (the revision's `hash`, whenever it is
 * readable, also on errors -2 and -3) and *computed (= *published when
 * nothing was recomputed). Returns a kind above; why says what on < 0 and
 * for QLDB_REV_UNPROVEN. Allowed fields: blockAddress, hash, metadata, data,
 * dataHash (the caller checks blockAddress against the block's). A deleted
 * document's revision (metadata alone) has no public formula (§2.3): when
 * its hash is IonHash(metadata) (dot with the empty hash) that is a proof;
 * otherwise it is UNPROVEN, never a failure, since exit 1 must mean an
 * integrity failure that was shown. */
int qldb_revision_hash(struct qldb_checker *c, const struct ion_value *rev, enum qldb_mode mode,
		       struct qldb_hash *published, struct qldb_hash *computed, char *why,
		       size_t cap);

/* Self-check one block. Returns 0 when the block could be read (out filled;
 * out->failures counts failed checks, each reported), or -1 when it is not a
 * block at all (not a struct, or blockAddress/blockHash/entriesHash/
 * previousBlockHash missing or ill-typed): one QLDB_CHECK_FORMAT failure is
 * reported and out->addr.seq is -1 if unknown.
 *
 * Soundness (QLDB_CHECK_CONTENT failures): the block's fields are blockAddress,
 * transactionId, blockTimestamp, blockHash, entriesHash, previousBlockHash,
 * entriesHashList, transactionInfo, revisions and redactionInfo; any other
 * field, a repeated one (also at the top of transactionInfo, redactionInfo
 * and metadata) or annotations on the block are failures. A revision's
 * blockAddress must be the block's; the block's transactionId must equal
 * every revision's metadata.txId (which the revision hash covers). Only
 * blockTimestamp is left unhashed and unchecked, as QLDB's format has it
 * (no hash covers it and nothing hashed repeats it).
 * rep->note is called exactly for the revisions counted in out->unproven
 * ("block S:N revision i: ... UNVERIFIED"); hash-only revisions go to
 * rep->pass. Every message is one line with no control bytes. */
int qldb_block_check(struct qldb_checker *c, const struct ion_value *block, enum qldb_mode mode,
		     const struct qldb_report *rep, struct qldb_block_result *out);

/* Report helper shared by the QLDB modules: printf into a failure. */
void qldb_report_fail(const struct qldb_report *rep, enum qldb_check kind, int64_t seq,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void qldb_report_pass(const struct qldb_report *rep, enum qldb_check kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void qldb_report_note(const struct qldb_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
