/*
 * poller.h - the worker thread that polls QLDB and publishes to the store.
 *
 * Each cycle: ListLedgers (unless one ledger was named), then
 * DescribeLedger and GetDigest for each ledger (at most POLLER_MAX_LEDGERS),
 * publishing every value or error to its own store slot. Cycles run every
 * interval seconds; after a failed cycle the wait doubles, capped at
 * POLLER_BACKOFF_MAX_S. The thread sleeps on a condition variable with
 * CLOCK_MONOTONIC, so poller_refresh() and poller_stop() take effect at
 * once, and a transfer in flight is aborted on stop.
 *
 * The worker never touches curses; the UI learns of new data only through
 * the store's wake fd.
 *
 * Ownership: poller_start copies cfg (including the credentials, wiped on
 * stop) and borrows cfg->store, which must outlive the poller.
 * poller_stop joins the thread and frees everything.
 */
#ifndef QLDBTOP_API_POLLER_H
#define QLDBTOP_API_POLLER_H

#include "api/config.h"
#include "api/error.h"
#include "api/qldb.h"
#include "api/store.h"

#define POLLER_STACK_BYTES (1u << 20) /* cJSON recursion + curl + TLS; >= 256 KiB */
#define POLLER_MAX_LEDGERS 16	      /* ledgers described per cycle */
#define POLLER_BACKOFF_MAX_S 60	      /* longest wait after repeated failures */
#define POLLER_INTERVAL_MAX_S 3600

struct poller_config {
	struct api_config api;
	char ledger[QLDB_NAME_MAX + 1]; /* "" = every ledger ListLedgers returns */
	unsigned interval_s;		/* 1..POLLER_INTERVAL_MAX_S */
	struct store *store;
	/* Optional: called from the worker thread with one line (no secrets). */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
};

struct poller;
struct poller *poller_start(const struct poller_config *cfg, struct api_error *err);
/* Start the next cycle now (the 'r' key). */
void poller_refresh(struct poller *p);
/* Stop promptly, join, free. NULL is fine. */
void poller_stop(struct poller *p);

/* Wait before the next cycle after `failures` consecutive failed cycles:
 * interval, doubled per failure, capped. Pure (exported for tests). */
unsigned poller_backoff_s(unsigned interval_s, unsigned failures);

#endif
