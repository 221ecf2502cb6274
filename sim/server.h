/*
 * server.h - the QLDB-compatible local endpoint (libmicrohttpd), started
 * in-process by `qldbtop --demo` and standalone by `qldbtop serve`.
 * Ownership: sim_server_start allocates and starts serving on its own
 * threads; sim_server_stop stops and frees. Strings in the config are
 * copied.
 */
#ifndef QLDBTOP_SIM_SERVER_H
#define QLDBTOP_SIM_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Documented demo defaults (README): the key pair the endpoint accepts. */
#define SIM_DEFAULT_ACCESS_KEY_ID "AKIDQLDBTOPDEMO00001"
#define SIM_DEFAULT_SECRET_ACCESS_KEY "qldbtop-demo-secret-key-not-for-production"
#define SIM_DEFAULT_REGION "us-east-1"
#define SIM_DEFAULT_RATE 0.5 /* demo workload blocks per second: one every 2 s */

struct sim_config {
	const char *host; /* listen address; default "127.0.0.1" */
	uint16_t port;	  /* 0 = an ephemeral port */
	const char *access_key_id;
	const char *secret_access_key;
	/* The world the endpoint serves (sim/world.h): the demo ledger's journal
	 * seed (seed_set false: SIM_DEMO_SEED), its workload rate in blocks per
	 * second (0: the journal does not grow), and the directory of the
	 * durable state (NULL: in memory, deterministic by seed). */
	uint64_t seed;
	bool seed_set;
	double rate;
	const char *data_dir;
	/* Workload blocks the demo journal starts with (a new one): default
	 * SIM_DEMO_BLOCKS unless demo_blocks_set (benchmarks use 1 M). */
	size_t demo_blocks;
	bool demo_blocks_set;
	/* Scripted faults and events (sim/scenario.h); taken by the server
	 * (freed by it, also when the start fails). NULL: none. */
	struct sim_scenario *scenario;
	/* --recipe: the recipe's Kinesis stream, export bucket and journal
	 * stream are made at start (sim/recipe.h) */
	bool recipe;
	/* How long a journal export is IN_PROGRESS, in ms: 0 picks
	 * SIM_DEFAULT_EXPORT_MS; a negative value completes it at once. */
	int64_t export_ms;
	/* How long a new ledger is CREATING, in ms: 0 picks
	 * SIM_DEFAULT_CREATE_DELAY_MS; a negative value makes it ACTIVE at once. */
	int64_t create_ms;
};

struct sim_server;
/* Returns NULL and writes a one-line reason to err on failure. */
struct sim_server *sim_server_start(const struct sim_config *cfg, char *err, size_t errcap);
/* "http://127.0.0.1:PORT" (borrowed, valid until sim_server_stop). */
const char *sim_server_url(const struct sim_server *s);
/* What start-up recovery of the durable state did ("" if nothing): lines
 * for the operator (a torn log tail removed). Borrowed. */
const char *sim_server_notes(const struct sim_server *s);
void sim_server_stop(struct sim_server *s);

#endif
