/*
 * job_verify.h - the tip proof of JOB_VERIFY_EXPORT (api/job_verify.c),
 * apart from the network so that its decisions can be tested.
 *
 * job_tip_apply takes the checked GetBlock answer p (api/job_proof.h) for
 * the last block of an export whose chain ch is otherwise proven
 * (export_chain_tip_gap holds) and decides the digest: proven only when
 * the answer is that block, its blockHash is the one ch computed, its
 * self-check did not fail and its proof folded to ch's own digest (the
 * root is compared here again: p.proof alone is not trusted). Another
 * address, hash or root is a digest failure in ch naming the block,
 * expected and computed; an answer that could not be checked leaves ch
 * UNVERIFIED and why (cap bytes) says so. Does nothing when the tip gap
 * does not hold. ch stays the caller's.
 */
#ifndef QLDBTOP_API_JOB_VERIFY_H
#define QLDBTOP_API_JOB_VERIFY_H

#include <stddef.h>

#include "api/job_proof.h"
#include "verify/export_chain.h"

void job_tip_apply(struct export_chain *ch, const struct job_block_proof *p, char *why, size_t cap);

#endif
