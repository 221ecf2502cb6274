/*
 * job_proof.h - one block of the digest's strand proven to a digest, for
 * the jobs that need it (api/job_proof.c: JOB_DIGEST_PROOF,
 * JOB_BLOCK_DETAIL; api/job_verify.c: the tip proof of an export that
 * ends before the digest's tip).
 *
 * job_block_prove reads GetBlock(strand:seq, DigestTipAddress = d's tip)
 * and checks the answer with verify/ (nothing in it is trusted): the
 * block's self-check, that the answer is the block asked for, and that its
 * proof folds from its blockHash to d's digest. Each check is job lines
 * (job_line) naming the block, expected and computed; the job's verdict
 * and message are left to the caller. No allocation survives the call.
 */
#ifndef QLDBTOP_API_JOB_PROOF_H
#define QLDBTOP_API_JOB_PROOF_H

#include <stdbool.h>
#include <stdint.h>

#include "api/jobs.h"

struct job_block_proof {
	int self;		     /* self-check: 1 recomputed, 0 not all proven, -1 failed */
	int proof;		     /* to the digest: 1 folds to it, 0 not proven, -1 failed */
	int hashes;		     /* the proof's length (proof != 0) */
	bool read;		     /* addr and block_hash come from the answer */
	struct qldb_address addr;    /* the answer's own address */
	struct qldb_hash block_hash; /* the answer's blockHash: the proof's leaf */
	bool have_root;		     /* the proof was folded: */
	struct qldb_hash root;	     /* what it folded to */
};

/* detail lists the block's fields and every passed check. 0 with *out
 * filled, or an api_status when the block could not be read (err says
 * why; *out is then all "not proven"). */
int job_block_prove(struct job_ctx *c, const struct qldb_digest *d, int64_t seq, bool detail,
		    struct job_block_proof *out, struct api_error *err);

#endif
