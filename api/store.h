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

#define STORE_MAX_SLOTS 512 /* 100 ledgers x a few kinds, with room */
#define STORE_KEY_MAX 64    /* ledger names are at most 32 chars */

enum store_kind {
	STORE_LEDGER_LIST, /* key "" ; struct qldb_ledger_list */
	STORE_LEDGER,	   /* key ledger name; struct qldb_ledger */
	STORE_DIGEST,	   /* key ledger name; struct qldb_digest */
	STORE_KIND_COUNT,
};

struct store_value; /* immutable, reference counted */

struct store_entry {
	struct store_value *ref;       /* NULL when no good value has arrived yet */
	const void *data;	       /* the value's data (borrowed from ref) */
	bool present;		       /* anything (value or error) was published */
	double fetched_at;	       /* wall clock (epoch s) of the last good value */
	double fetched_mono;	       /* CLOCK_MONOTONIC s of the last good value */
	double error_mono;	       /* CLOCK_MONOTONIC s of the last error */
	unsigned failures;	       /* consecutive failed attempts since the last good one */
	char error[API_ERROR_MSG_MAX]; /* last error if the last attempt failed, else "" */
	uint64_t generation;	       /* store generation of the slot's last publish */
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

/* Read a consistent snapshot of one slot into out (always initialised).
 * Returns true when something was ever published there. */
bool store_read(struct store *s, const char *key, enum store_kind kind, struct store_entry *out);
void store_entry_release(struct store_entry *e);

/* Global generation: bumps on every publish. */
uint64_t store_generation(struct store *s);

/* Readable after any publish; store_wake_drain() empties it. */
int store_wake_fd(const struct store *s);
void store_wake_drain(struct store *s);

/* CLOCK_MONOTONIC in seconds (the clock of fetched_mono). */
double store_now_mono(void);

#endif
