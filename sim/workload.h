/*
 * workload.h - the sample financial workload that fills the demo ledger's
 * journal: it creates the tables Accounts and Transfers, opens accounts
 * and then posts transfers between them. Every transaction is committed
 * through sim_journal_commit, so each step adds one block.
 *
 * Revisions carry realistic Ion data: strings, decimals with two fraction
 * digits (balances, amounts such as 90.25), millisecond UTC timestamps and
 * ints; account documents gain a new version per transfer, as QLDB
 * versions documents (0 on insert, +1 per update).
 *
 * Deterministic given the seed and the commit times. Not thread-safe: one
 * owner drives a workload (the journal it writes to is thread-safe).
 * Ownership: sim_workload_new allocates (the journal is borrowed and must
 * outlive the workload), sim_workload_free releases.
 */
#ifndef QLDBTOP_SIM_WORKLOAD_H
#define QLDBTOP_SIM_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"

#define SIM_WORKLOAD_ACCOUNTS 8	      /* accounts opened before transfers begin */
#define SIM_WORKLOAD_OPEN_PER_BLOCK 2 /* account inserts per block */

struct sim_workload;
struct sim_workload *sim_workload_new(struct sim_journal *j, uint64_t seed, char *err, size_t cap);
void sim_workload_free(struct sim_workload *w);
/* Commit the next transaction at commit_ms. Returns its block's sequence
 * number or -1 with err filled. */
int64_t sim_workload_step(struct sim_workload *w, int64_t commit_ms, char *err, size_t cap);

/* The demo journal: genesis at genesis_ms, then n_blocks workload blocks
 * about step_ms apart (with seeded jitter below step_ms / 4). NULL with err
 * filled on failure. The caller frees it with sim_journal_free. */
struct sim_journal *sim_workload_build(uint64_t seed, int64_t genesis_ms, size_t n_blocks,
				       int64_t step_ms, char *err, size_t cap);

#endif
