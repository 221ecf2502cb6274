/*
 * poller.h - the resource pollers: a small pool of worker threads that
 * walk the descriptor table (api/resource.h) for the account and every
 * ledger, and publish each value or error to its store slot.
 *
 * Schedule: one task per (descriptor, key): the account's ListLedgers,
 * and per ledger each RESOURCE_SCOPE_LEDGER descriptor. Ledgers come from every
 * ListLedgers page (tasks are added and dropped as the list changes), or
 * are just cfg->ledger when one was named. Tasks sit in a fixed array;
 * a worker takes the task with the earliest due time (a linear scan: a
 * few thousand tasks at most, each taken seconds apart) under one mutex,
 * sleeping on a CLOCK_MONOTONIC condition variable until it is due.
 *
 * Intervals: a descriptor's base interval times the scale
 * interval_s / POLLER_INTERVAL_UNIT_S (so the default --interval 5 gives
 * the base intervals: ledgers 30 s, digest 10 s; --interval 1 divides
 * them by 5), never below POLLER_INTERVAL_MIN_S, with +-10% jitter so
 * many ledgers do not poll in lockstep.
 * Failures: retry after POLLER_RETRY_BASE_S x scale, doubling per
 * consecutive failure, at most the interval (the slot reads RETRYING n of
 * POLLER_RETRY_MAX); after POLLER_RETRY_MAX failures the slot is FAILED
 * and the wait keeps doubling from the interval, capped at
 * POLLER_BACKOFF_MAX_S (or the interval, when longer).
 * Budget: all workers share one token bucket of budget_rps requests per
 * second (burst POLLER_BUDGET_BURST), so a big account cannot storm the
 * endpoint; a page of ListLedgers counts as one request.
 *
 * UI controls: poller_refresh (every task due now), poller_pause (no new
 * request starts; one in flight finishes). poller_stop aborts transfers
 * in flight (each worker's http_client watches the stop flag) and joins.
 *
 * The workers never touch curses; the UI learns of new data only through
 * the store's wake fd. Errors go to the log (api/log.h) at warn.
 *
 * Ownership: poller_start copies cfg (including the credentials, wiped on
 * stop) and borrows cfg->store, which must outlive the poller.
 * poller_stop joins the threads and frees everything.
 */
#ifndef QLDBTOP_API_POLLER_H
#define QLDBTOP_API_POLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "api/config.h"
#include "api/error.h"
#include "api/qldb.h"
#include "api/resource.h"
#include "api/store.h"

#define POLLER_STACK_BYTES (1u << 20) /* cJSON recursion + curl + TLS; >= 256 KiB */
#define POLLER_WORKERS 2	      /* threads, each with its own connection */
#define POLLER_INTERVAL_UNIT_S 5      /* --interval that gives the base intervals */
#define POLLER_INTERVAL_MAX_S 3600
#define POLLER_INTERVAL_MIN_S 0.5 /* no kind polls more often, whatever the scale */
#define POLLER_JITTER 0.10	  /* +-10% of each wait */
#define POLLER_RETRY_BASE_S 1.0	  /* first retry after a failure, at scale 1 */
#define POLLER_RETRY_MAX 5	  /* "retrying n of 5", then FAILED */
#define POLLER_BACKOFF_MAX_S 300  /* longest wait after repeated failures */
#define POLLER_BUDGET_RPS 10.0	  /* default request budget, all workers together */
#define POLLER_BUDGET_BURST 5.0	  /* requests that may go at once after a quiet time */
#define POLLER_ONCE_ATTEMPTS 3	  /* poller_poll_once: tries of a transient failure */
#define POLLER_ONCE_RETRY_S 0.25  /* its first retry; doubles */

struct poller_config {
	struct api_config api;
	char ledger[QLDB_NAME_MAX + 1]; /* "" = every ledger ListLedgers returns */
	unsigned interval_s;		/* 1..POLLER_INTERVAL_MAX_S: the scale */
	double budget_rps;		/* 0 = POLLER_BUDGET_RPS; < 0 = unlimited */
	struct store *store;
	/* The descriptors to poll; NULL means RESOURCE_TABLE (tests pass
	 * their own). Borrowed: must outlive the poller. */
	const struct resource_desc *const *table;
	size_t n_table;
};

struct poller;
struct poller *poller_start(const struct poller_config *cfg, struct api_error *err);
/* Every task due now (the 'r' key); also ends a pause. */
void poller_refresh(struct poller *p);
/* Pause (no request starts) or resume. */
void poller_pause(struct poller *p, bool paused);
bool poller_paused(struct poller *p);
/* Change the interval scale (the '+'/'-' keys): every kind's interval is
 * its base times scale (> 0); everything is polled once now, then on the
 * new schedule. poller_scale_now reads it (0 for NULL). */
void poller_set_scale(struct poller *p, double scale);
double poller_scale_now(struct poller *p);
/* Stop promptly, join, free. NULL is fine. */
void poller_stop(struct poller *p);

/* One full poll on the caller's thread, for `snapshot` and `check`: the
 * ledger list (unless cfg->ledger), then every ledger descriptor for each
 * ledger, each publishing to cfg->store. A transient failure (transport,
 * throttling, 5xx) is tried POLLER_ONCE_ATTEMPTS times. Returns 0 when it
 * ran (per-slot errors are in the store), or a negative api_status when it
 * could not start (err filled). */
int poller_poll_once(const struct poller_config *cfg, struct api_error *err);

/* ---- the pure scheduler (exported for tests; times are seconds on any
 * monotonic clock the caller chooses, r01 a random number in [0,1)) ---- */

/* A descriptor's interval at a scale (interval_s / POLLER_INTERVAL_UNIT_S). */
double poller_interval(const struct resource_desc *d, double scale);
/* Wait after `failures` consecutive failures (>= 1) of a task whose
 * interval is interval_s (see the rule above). */
double poller_backoff(double interval_s, double scale, unsigned failures);
/* wait x (1 + POLLER_JITTER x (2 r01 - 1)). */
double poller_jitter(double wait, double r01);
/* Whether an error is worth a quick retry (transport, 5xx, throttling). */
bool poller_error_transient(const struct api_error *e);
/* Whether d must not be called for ledger now: d needs an ACTIVE ledger
 * and the store knows the ledger in another state (the newer word of
 * DescribeLedger and ListLedgers; unknown means call). Then err says so, with status
 * API_ERR_NOT_READY, and the pollers publish it in place of the call. */
bool poller_not_ready(struct store *st, const struct resource_desc *d, const char *ledger,
		      struct api_error *err);

struct poller_budget {
	double rate, burst, tokens, last; /* rate <= 0: unlimited */
};
void poller_budget_init(struct poller_budget *b, double rate, double burst, double now);
/* Take a token: 0 when taken, else the seconds until one is free. */
double poller_budget_take(struct poller_budget *b, double now);

struct poller_task {
	const struct resource_desc *desc; /* NULL: a free entry */
	char key[STORE_KEY_MAX];
	double due;
	unsigned failures;
	bool busy; /* a worker holds it */
	bool gone; /* dropped while busy: freed when done */
};

struct poller_sched {
	struct poller_task *tasks; /* cap entries */
	size_t cap;
	double scale;
};
int poller_sched_init(struct poller_sched *s, size_t cap, double scale);
void poller_sched_free(struct poller_sched *s);
/* Add a task due at `due` (no-op when (desc, key) exists). -1 when full. */
int poller_sched_add(struct poller_sched *s, const struct resource_desc *desc, const char *key,
		     double due);
/* Number of live (not gone) tasks. */
size_t poller_sched_count(const struct poller_sched *s);
/* The earliest due task that is not busy: when due <= now it is marked
 * busy and its index returned; else -1 and *wait the seconds until it
 * (or -1 and *wait < 0 when there is none). */
long poller_sched_pick(struct poller_sched *s, double now, double *wait);
/* The task at idx finished: its next due time from now (interval on
 * success, backoff on failure, jittered with r01); returns the wait. */
double poller_sched_done(struct poller_sched *s, long idx, bool ok, double now, double r01);
/* Every idle task due at now (busy ones run again when done). */
void poller_sched_refresh(struct poller_sched *s, double now);
/* Make the ledger tasks follow the list: add each RESOURCE_SCOPE_LEDGER
 * descriptor of `table` for new names (due now), drop those of names no
 * longer listed. Returns -1 when tasks did not fit (the rest are kept). */
int poller_sched_sync(struct poller_sched *s, const struct resource_desc *const *table,
		      size_t n_table, const char *const *names, size_t n_names, double now);

#endif
