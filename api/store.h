/*
 * store.h - the snapshot store between api/ workers and the UI thread.
 *
 * One slot per (ledger, kind) holds the latest good value, when it was
 * fetched, and the last error. Workers build a value off-lock and publish
 * it whole; the swap happens under a short mutex and bumps a global
 * generation counter, then one byte goes to the wake fd (an eventfd) so
 * the UI's poll() returns. The UI never blocks on a worker for longer than
 * that swap.
 *
 * Sharing is by REFERENCE COUNT, not by copy: a published value is
 * immutable; store_read() hands the reader a counted reference, which
 * stays valid (even after newer publishes) until store_entry_release().
 * Whoever drops the last reference frees the value with the free function
 * given at publish time.
 *
 * Status: each slot also says how its polling goes (store_status):
 * OK after a good value; RETRYING n of m while the last n attempts failed
 * and n <= m (m the retry limit the poller set with store_schedule);
 * FAILED beyond that, or on any failure of a slot without a limit. The
 * last error is one line, redacted (api/log.h) when it is stored; the
 * poller records the next attempt's time with store_schedule.
 *
 * Audit log: a ring of STORE_AUDIT_MAX plain-value events (the auditor
 * appends, readers copy with a cursor); when full, the oldest go and the
 * reader is told how many it missed.
 *
 * Ownership:
 *   store_publish        takes data (also on failure: it is freed)
 *   store_read           fills a struct store_entry holding one reference
 *                        (and copies of the metadata); release it
 *   store_entry_release  drops that reference
 *   store_free           frees every slot; no thread may use the store then
 * Threads: every function is safe from any thread, except store_free.
 */
#ifndef QLDBTOP_API_STORE_H
#define QLDBTOP_API_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"

#define STORE_LEDGERS_MAX 500 /* ledgers of one account kept (QLDB's quota is 5) */
#define STORE_KEY_MAX 64      /* ledger names are at most 32 chars */

/* The slot kinds; api/resource.h says which descriptor fills each and
 * the type of its value. Kinds without a descriptor yet are declared so
 * the services that fill them plug in as table entries. */
enum store_kind {
	STORE_LEDGER_LIST, /* key "" ; struct resource_ledger_list */
	STORE_LEDGER,	   /* key ledger name; struct qldb_ledger */
	STORE_DIGEST,	   /* key ledger name; struct qldb_digest */
	STORE_TAGS,	   /* key ledger name; struct qldb_tags */
	STORE_STREAMS,	   /* key ledger name; struct qldb_stream_list */
	STORE_EXPORTS,	   /* key ledger name; struct qldb_export_list */
	STORE_KINESIS,	   /* key ledger name; struct kinesis_health_list */
	STORE_METRICS,	   /* key ledger name; struct cw_metrics */
	STORE_AUDIT,	   /* key ledger name; struct audit_summary */
	STORE_JOBS,	   /* key ""; struct job_list (api/jobs.h): on demand, not polled */
	STORE_KIND_COUNT,
};

/* every kind of every ledger, and the account's list */
#define STORE_MAX_SLOTS (1 + STORE_LEDGERS_MAX * STORE_KIND_COUNT)

/* "ledgers", "ledger", "digest", ... (for messages and JSON). */
const char *store_kind_name(enum store_kind kind);
/* Is the kind filled by polling (a resource descriptor, now or later)?
 * False for STORE_JOBS, whose values come from actions the user starts,
 * so "not polled in this version" lists never name it. */
bool store_kind_is_polled(enum store_kind kind);

enum store_status {
	STORE_STATUS_NONE,     /* nothing published yet */
	STORE_STATUS_OK,       /* the last attempt succeeded */
	STORE_STATUS_RETRYING, /* failures (n) <= retry_max (m) */
	STORE_STATUS_FAILED,   /* more failures than retries, or no retry limit */
};
const char *store_status_name(enum store_status st); /* "ok", "retrying", ... */

struct store_value; /* immutable, reference counted */

struct store_entry {
	enum store_kind kind;	       /* the slot read */
	struct store_value *ref;       /* NULL when no good value has arrived yet */
	const void *data;	       /* the value's data (borrowed from ref) */
	bool present;		       /* anything (value or error) was published */
	double fetched_at;	       /* wall clock (epoch s) of the last good value */
	double fetched_mono;	       /* CLOCK_MONOTONIC s of the last good value */
	double error_mono;	       /* CLOCK_MONOTONIC s of the last error */
	unsigned failures;	       /* consecutive failed attempts since the last good one */
	char error[API_ERROR_MSG_MAX]; /* last error if the last attempt failed, else "" */
	uint64_t generation;	       /* store generation of the slot's last publish */
	int error_status;	       /* api_status of the last error (0 if none) */
	long error_http;	       /* its HTTP status (0: no answer) */
	char error_code[API_ERROR_CODE_MAX]; /* its AWS error code, "" if none */
	enum store_status status;
	unsigned retry_max;	  /* m of "retrying n of m" (0: no limit set) */
	double next_attempt_mono; /* CLOCK_MONOTONIC s; 0 when none is planned */
};

struct store;
/* Returns NULL (and errno set) when the wake fd cannot be created. */
struct store *store_new(void);
void store_free(struct store *s);

/* Publish a new good value (data is taken; free_fn releases it, NULL
 * means free()). Clears the slot's error. Returns 0, or -1 when the slot
 * table is full or the key too long (data is freed then). */
int store_publish(struct store *s, const char *key, enum store_kind kind, void *data,
		  void (*free_fn)(void *));
/* Record a failed attempt: keeps the last good value, sets the error. */
int store_publish_error(struct store *s, const char *key, enum store_kind kind, const char *msg);

/* The same from an api_error (keeps its status, HTTP status and code so
 * readers can tell "unreachable" from "refused"). */
int store_publish_api_error(struct store *s, const char *key, enum store_kind kind,
			    const struct api_error *e);

/* Record when the slot is next polled and its retry limit (creates the
 * slot; does not bump the generation, so an idle UI stays idle). */
int store_schedule(struct store *s, const char *key, enum store_kind kind, double next_mono,
		   unsigned retry_max);

/* Read a consistent snapshot of one slot into out (always initialised).
 * Returns true when something was ever published there. */
bool store_read(struct store *s, const char *key, enum store_kind kind, struct store_entry *out);
void store_entry_release(struct store_entry *e);

/* Global generation: bumps on every publish. */
uint64_t store_generation(struct store *s);

/* Readable after any publish; store_wake_drain() empties it. */
int store_wake_fd(const struct store *s);
void store_wake_drain(struct store *s);

/* ---- audit log ---- */
#define STORE_AUDIT_MAX 256	 /* events kept; older ones are dropped */
#define STORE_AUDIT_KIND_MAX 32	 /* "continuity", "block", "revision" */
#define STORE_AUDIT_ADDR_MAX 256 /* a block address in Ion text */
#define STORE_AUDIT_HASH_MAX 48	 /* base64 of 32 bytes is 44 characters */

enum store_audit_result { STORE_AUDIT_VERIFIED, STORE_AUDIT_FAILED, STORE_AUDIT_UNVERIFIED };
const char *store_audit_result_name(enum store_audit_result r); /* "VERIFIED", ... */

struct store_audit_event {
	double time; /* wall clock, epoch s */
	char ledger[STORE_KEY_MAX];
	char kind[STORE_AUDIT_KIND_MAX];
	enum store_audit_result result;
	char block_address[STORE_AUDIT_ADDR_MAX];
	char expected_b64[STORE_AUDIT_HASH_MAX];
	char computed_b64[STORE_AUDIT_HASH_MAX];
	char message[API_ERROR_MSG_MAX]; /* redacted when appended */
	uint64_t seq;			 /* set by the store: 1, 2, ... */
};

/* Append a copy of ev (its seq is assigned); bumps the generation and
 * wakes the UI. Returns 0 (never blocks on readers). */
int store_audit_append(struct store *s, const struct store_audit_event *ev);
/* Copy up to cap events with seq > *cursor, oldest first, into out and
 * advance *cursor; *missed (may be NULL) gets how many events after
 * *cursor were already dropped by the ring. Start with *cursor = 0.
 * Returns the number copied. */
size_t store_audit_read(struct store *s, uint64_t *cursor, struct store_audit_event *out,
			size_t cap, uint64_t *missed);

/* CLOCK_MONOTONIC in seconds (the clock of fetched_mono). */
double store_now_mono(void);

#endif
