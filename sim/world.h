/*
 * world.h - everything the endpoint serves, behind its HTTP side: the
 * ledger registry (sim/ledger.h), the demo ledger financial-ledger with
 * its live workload, and, with a data directory, the durable state.
 *
 * The demo journal: demo_blocks workload blocks at start, then one
 * more every 1/rate seconds on the world's own thread. With seed_set the
 * block times follow a virtual clock (genesis at SIM_WORLD_EPOCH_MS, then
 * about SIM_DEMO_STEP_MS apart, sim_workload_next_time), so the same seed
 * gives the same journal, strand ids, hashes and digests on every run;
 * without it, blocks carry the wall-clock time (the dashboard's ages are
 * then real) and the default seed.
 *
 * Durable state (data_dir): DIR/ledgers.log holds snapshots of the
 * registry's metadata (the last one wins), DIR/ledger-NAME.log each
 * ledger's journal (sim/journal.h). A restart replays them: the same
 * strand ids, the journal continues, and new digests prove old tips.
 * Damage that is not a torn tail refuses the start.
 *
 * Ownership: sim_world_open allocates and starts the workload thread;
 * sim_world_close stops the thread and frees everything. The registry
 * pointer is borrowed until then. Thread-safe as the registry and
 * journals are.
 */
#ifndef QLDBTOP_SIM_WORLD_H
#define QLDBTOP_SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/ledger.h"

#define SIM_WORLD_EPOCH_MS 1767225600000LL /* 2026-01-01T00:00:00Z: the virtual clock */
#define SIM_WORLD_RATE_MAX 1000.0	   /* workload blocks per second */
#define SIM_WORLD_NOTES_MAX 1024

struct sim_world_config {
	uint64_t seed;
	bool seed_set;	      /* deterministic: the virtual clock */
	double rate;	      /* demo workload blocks per second; 0: none */
	const char *data_dir; /* NULL: in memory */
	int64_t now_ms;	      /* the wall clock at start */
	size_t demo_blocks;   /* workload blocks a new demo journal starts with */
	int64_t export_ms;    /* sim_ledgers_config.export_ms */
	int64_t create_ms;    /* sim_ledgers_config.create_delay_ms */
};

struct sim_world;
/* NULL with err filled (one line naming the file) on failure. */
struct sim_world *sim_world_open(const struct sim_world_config *cfg, char *err, size_t cap);
struct sim_ledgers *sim_world_ledgers(struct sim_world *w);
/* What start-up recovery did ("" if nothing): lines for the operator. */
const char *sim_world_notes(const struct sim_world *w);
/* Blocks the workload has committed since start (for tests and benches). */
uint64_t sim_world_workload_blocks(struct sim_world *w);
void sim_world_close(struct sim_world *w);

#endif
