/*
 * qldb_proof.h - proving a GetBlock or GetRevision result against a GetDigest
 * result (shared/docs/qldb-verification.md §3): parse the Proof IonText (an
 * Ion list of 32-byte blobs) and the addresses, self-check the block or
 * recompute the revision hash, check that the digest covers the address
 * (same strand, sequenceNo <= tip) and fold the proof to the digest.
 *
 * Pure: the caller reads the files and extracts the IonText strings (the
 * outer JSON is the AWS CLI's, not Ion). Strings are borrowed for the call.
 */
#ifndef QLDBTOP_VERIFY_QLDB_PROOF_H
#define QLDBTOP_VERIFY_QLDB_PROOF_H

#include <stddef.h>

#include "qldb_block.h"

#define QLDB_PROOF_MAX 128 /* a ledger of 2^64 blocks needs 64 + in-block levels */

/* Parse a Proof IonText. Returns the number of hashes (>= 0) written to out,
 * or -1 with why filled (not a list, an element not a 32-byte blob, more
 * than max). */
int qldb_proof_parse(const char *text, size_t len, struct qldb_hash *out, size_t max, char *why,
		     size_t cap);
/* Parse an address IonText {strandId:"…",sequenceNo:N}. 0 or -1. */
int qldb_address_parse(const char *text, size_t len, struct qldb_address *out, char *why,
		       size_t cap);

struct qldb_proof_input {
	const char *block_text; /* Block.IonText (get-block), or NULL */
	size_t block_len;
	const char *revision_text; /* Revision.IonText (get-revision), or NULL */
	size_t revision_len;
	/* a bare revision hash with its BlockAddress IonText (the KVS sample
	 * shape), used when neither text above is given; it cannot be
	 * recomputed, so it is never reported as proven by itself */
	const struct qldb_hash *revision_hash;
	const char *address_text;
	size_t address_len;
	const char *proof_text; /* Proof.IonText */
	size_t proof_len;
	struct qldb_hash digest;
	const char *tip_text; /* DigestTipAddress.IonText */
	size_t tip_len;
};

/* Returns 0 when every check that ran passed, 1 when an integrity check
 * failed (each failure reported), or -1 on an input error (why: one line
 * naming the field). Proven steps go to rep->pass. Something that could not
 * be proven goes to rep->note, and a return of 0 then does NOT mean proven:
 * callers learn "not everything was proven" from rep->note having been
 * called (verify-proof maps that to exit 3, UNVERIFIED). Notes are made for
 * a bare revision hash (no Revision text), a deleted document's revision
 * whose hash is not IonHash(metadata), and any revision or block content
 * that is not recomputed. Content no hash covers (a revision's data without
 * metadata, a repeated or unknown field, annotations) is a failure
 * (uncovered-content, 1), never a note. */
int qldb_proof_verify(struct qldb_checker *c, const struct qldb_proof_input *in,
		      const struct qldb_report *rep, char *why, size_t cap);

#endif
