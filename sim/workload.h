/*
 * workload.h - the sample financial workload that fills the demo ledger's
 * journal: it creates the tables Accounts and Transfers, opens accounts
 * and then posts transfers between them. Every transaction is committed
 * through sim_journal_commit, so each step adds one block.
 *
 * Revisions carry realistic Ion data: strings, decimals with two fraction
 * digits (balances, amounts such as 90.25), millisecond UTC timestamps and
 * ints; account documents gain a new version per transfer, as QLDB
 * versions documents (0 on insert, +1 per update); voided transfers are
 * deleted (a revision without data).
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
#define SIM_WORKLOAD_OPEN_PER_BLOCK 3 /* account inserts per block */
#define SIM_WORKLOAD_VOID_EVERY 8     /* every 8th transfer step voids the last one */
#define SIM_WORKLOAD_REDACT_EVERY 12  /* one step in 12 redacts a transfer */

struct sim_workload;
struct sim_workload *sim_workload_new(struct sim_journal *j, uint64_t seed, char *err, size_t cap);
/* A workload that continues the journal j: its state comes from the aux
 * of j's last workload block (a journal with only its genesis block starts
 * afresh). NULL with err filled if j has blocks but no valid state. */
struct sim_workload *sim_workload_resume(struct sim_journal *j, uint64_t seed, char *err,
					 size_t cap);
void sim_workload_free(struct sim_workload *w);
/* Commit the next transaction at commit_ms. Returns its block's sequence
 * number or -1 with err filled. */
int64_t sim_workload_step(struct sim_workload *w, int64_t commit_ms, char *err, size_t cap);

/* The virtual time of block seq: prev_ms + step_ms + a jitter below
 * step_ms / 4 that depends only on seed and seq, so a journal written on
 * this clock is the same on every run and after a restart. */
int64_t sim_workload_next_time(uint64_t seed, int64_t seq, int64_t prev_ms, int64_t step_ms);

/* The demo journal: genesis at genesis_ms, then n_blocks workload blocks
 * on the virtual clock above. NULL with err filled on failure. The caller
 * frees it with sim_journal_free. */
struct sim_journal *sim_workload_build(uint64_t seed, int64_t genesis_ms, size_t n_blocks,
				       int64_t step_ms, char *err, size_t cap);

#endif
