/*
 * ledger.h - the endpoint's ledger registry: every ledger's metadata (state,
 * permissions mode, deletion protection, KMS key, tags), its journal
 * streams and S3 exports, and its journal. Mutable and thread-safe: one
 * recursive mutex guards everything but the journals (each journal has its
 * own mutex).
 *
 * Lifecycle, computed lazily from the config's clock whenever the lock is
 * taken (no timer thread):
 *   CreateLedger -> CREATING for create_delay_ms -> ACTIVE
 *   DeleteLedger -> DELETING for delete_delay_ms -> gone: out of every
 *   lookup and list, journal_gone called, the snapshot no longer has it.
 * A gone ledger's object and journal are NOT freed before sim_ledgers_free
 * (a request thread may still be reading its journal), so every pointer
 * the registry hands out stays valid until then. Exports are IN_PROGRESS
 * for export_ms after their creation, then COMPLETED; streams are ACTIVE
 * until canceled (CANCELED) or past their ExclusiveEndTime (COMPLETED).
 *
 * Every ledger, stream and export has a sequence number from one counter,
 * in creation order: lists are ordered by it, and NextTokens carry the
 * last one returned, so paging is stable while items are added. Stream
 * and export ids come from the registry's own generator (sim/rng.h)
 * seeded by the config: the same seed and the same sequence of requests
 * give the same ids.
 *
 * Locking discipline for handlers: sim_ledgers_lock (returns the clock),
 * sim_ledgers_get and the field reads/writes, sim_ledgers_changed after a
 * mutation, sim_ledgers_unlock. sim_ledgers_find, sim_ledgers_add,
 * sim_ledgers_to_json and sim_ledgers_restore lock by themselves (the
 * mutex is recursive, so the changed hook may call sim_ledgers_to_json).
 *
 * Ownership: the registry owns its ledgers, their strings, streams,
 * exports and journals; sim_ledgers_free releases them. A zero-initialised
 * registry behaves as sim_ledgers_init with a NULL config, as long as its
 * first call (sim_ledgers_add or sim_ledgers_add_demo) happens before it
 * is shared between threads.
 */
#ifndef QLDBTOP_SIM_LEDGER_H
#define QLDBTOP_SIM_LEDGER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"
#include "sim/rng.h"

#define SIM_LEDGER_NAME_MAX 32	      /* API LedgerName / StreamName: 1..32 */
#define SIM_LEDGERS_MAX 10	      /* live ledgers (not gone): LimitExceeded beyond */
#define SIM_LEDGERS_RETAINED_MAX 256  /* ledger objects kept until free, gone ones too */
#define SIM_STREAMS_MAX 64	      /* journal streams per ledger, any status */
#define SIM_EXPORTS_MAX 256	      /* S3 exports per ledger, any status */
#define SIM_EXPORTS_IN_PROGRESS_MAX 2 /* QLDB: two concurrent exports per ledger */
#define SIM_TAGS_MAX 200	      /* API Tags: at most 200 per resource */
#define SIM_TAG_KEY_MAX 128	      /* characters */
#define SIM_TAG_VALUE_MAX 256	      /* characters */
#define SIM_ARN_MAX 1600	      /* API Arn and KmsKey: at most 1600 */
#define SIM_DEFAULT_CREATE_DELAY_MS 1000
#define SIM_DEFAULT_DELETE_DELAY_MS 10000 /* long enough to watch DELETING from a CLI */
#define SIM_DEFAULT_EXPORT_MS 10000	  /* IN_PROGRESS: room to meet the two-export limit */
#define SIM_KMS_UPDATE_MS 1000		  /* EncryptionStatus UPDATING after a key change */

/* The demo ledger (README): name, account, journal seed and size. */
#define SIM_DEMO_LEDGER "financial-ledger"
#define SIM_DEMO_ACCOUNT "123456789012" /* the account of every ARN we write */
#define SIM_DEMO_SEED 20190102u
#define SIM_DEMO_BLOCKS 21     /* workload blocks after genesis */
#define SIM_DEMO_STEP_MS 20000 /* about 20 s between blocks */
#define SIM_DEMO_AGE_MS 600123 /* the ledger was created ~10 min before start */
#define SIM_AWS_OWNED_KMS_KEY "AWS_OWNED_KMS_KEY"

/* The registry's hooks and timings. Every member may be zero/NULL. */
struct sim_ledgers_config {
	uint64_t seed; /* stream/export ids and the NextToken key */
	/* The clock in epoch ms; NULL: CLOCK_REALTIME. */
	int64_t (*now_ms)(void *ctx);
	/* The journal of a ledger being created (or restored): the world opens
	 * the durable one or makes a new one with its genesis at created_ms.
	 * NULL: sim_journal_new(seed ^ FNV-1a(name), created_ms). Returns NULL
	 * with err filled on failure. Called with the registry locked. */
	struct sim_journal *(*journal_open)(void *ctx, const char *name, int64_t created_ms,
					    char *err, size_t cap);
	/* A deleted ledger has finally disappeared (its files may go). The
	 * journal stays alive until sim_ledgers_free. Called locked; may be NULL. */
	void (*journal_gone)(void *ctx, const char *name, struct sim_journal *j);
	/* After every successful mutation, with the registry locked, before the
	 * client gets its answer (persist sim_ledgers_to_json). Nonzero: the
	 * request answers 500 InternalFailure (the change stays in memory).
	 * May be NULL. */
	int (*changed)(void *ctx);
	void *ctx;
	/* 0 picks the SIM_DEFAULT_* value; a negative value means immediate. */
	int64_t create_delay_ms, delete_delay_ms, export_ms;
	size_t max_ledgers; /* 0: SIM_LEDGERS_MAX */
};

struct sim_tag {
	char *key, *value; /* malloc'd */
};
struct sim_tags {
	struct sim_tag *v; /* malloc'd array */
	size_t n;
};

enum sim_stream_status {
	SIM_STREAM_ACTIVE,
	SIM_STREAM_COMPLETED,
	SIM_STREAM_CANCELED,
	SIM_STREAM_IMPAIRED
};
enum sim_export_status { SIM_EXPORT_IN_PROGRESS, SIM_EXPORT_COMPLETED, SIM_EXPORT_CANCELLED };

/* A journal stream to Kinesis (StreamJournalToKinesis); sim/stream_delivery.h
 * moves its records. */
struct sim_stream {
	char id[SIM_ID_LEN + 1];
	char name[SIM_LEDGER_NAME_MAX + 1];
	uint64_t seq;
	char *role_arn, *kinesis_arn; /* malloc'd */
	bool aggregation;
	int64_t created_ms, start_ms;
	int64_t end_ms;	     /* ExclusiveEndTime; meaningful when has_end */
	int64_t canceled_ms; /* 0: not canceled */
	bool has_end;
	struct sim_tags tags;
	/* delivery (not in snapshots: after a restart the stream starts again
	 * from its first block, and records repeat, as QLDB's could) */
	int64_t next_seq;	  /* the next block to deliver */
	bool control_sent;	  /* the CREATED control record is out */
	const char *error_cause;  /* IMPAIRED: KINESIS_STREAM_NOT_FOUND, ...; NULL otherwise */
	const char *forced_cause; /* a scenario's impair-stream (static); NULL otherwise */
};

/* A journal export to S3 (ExportJournalToS3). No objects are written yet. */
struct sim_export {
	char id[SIM_ID_LEN + 1];
	uint64_t seq;
	int64_t created_ms, start_ms, end_ms;
	char *bucket, *prefix, *role_arn; /* malloc'd */
	const char *encryption;		  /* S3ObjectEncryptionType (static string) */
	char *kms_key_arn;		  /* malloc'd, NULL unless given */
	const char *format;		  /* OutputFormat (static string) */
	bool cancelled;			  /* the export could not be written (no such bucket) */
};

struct sim_ledger {
	char name[SIM_LEDGER_NAME_MAX + 1];
	uint64_t seq;
	int64_t created_ms;	      /* CreationDateTime */
	int64_t active_ms;	      /* CREATING before this time */
	int64_t deleted_ms;	      /* DeleteLedger time; 0: not deleted */
	bool gone;		      /* deletion finished: invisible, journal_gone called */
	const char *permissions_mode; /* ALLOW_ALL or STANDARD (static strings) */
	bool deletion_protection;
	/* The KMS key as given: AWS_OWNED_KMS_KEY, an ARN, "alias/NAME" or a
	 * key id (ARNs of the latter two are written at response time, in the
	 * request's region). malloc'd. */
	char *kms_key;
	int64_t kms_changed_ms; /* EncryptionStatus UPDATING until + SIM_KMS_UPDATE_MS */
	/* scenario events (sim/scenario.h; not in snapshots) */
	int64_t kms_inaccessible_ms; /* KMS_KEY_INACCESSIBLE since; 0: accessible */
	bool fail_next_export;	     /* the next export is CANCELLED */
	struct sim_journal *journal; /* owned */
	struct sim_tags tags;
	struct sim_stream **streams; /* in creation order */
	size_t n_streams;
	struct sim_export **exports; /* in creation order */
	size_t n_exports;
};

struct sim_ledgers {
	pthread_mutex_t mu; /* recursive */
	bool ready;	    /* sim_ledgers_init ran */
	struct sim_ledgers_config cfg;
	struct sim_rng rng;    /* stream and export ids */
	uint8_t token_key[32]; /* NextToken MAC key, from the seed */
	uint64_t next_seq;
	struct sim_ledger **v; /* every ledger object, gone ones included */
	size_t n, cap;
};

/* API LedgerName rule: 1..32 of [A-Za-z0-9-], not all digits, no leading,
 * trailing or double '-'. */
bool sim_ledger_name_valid(const char *name);
/* The seed of a ledger's journal: the registry's seed mixed with the name
 * (FNV-1a), so two ledgers never share a strand id. */
uint64_t sim_ledger_journal_seed(uint64_t seed, const char *name);
/* API UniqueId: exactly 22 of [A-Za-z0-9-]. */
bool sim_unique_id_valid(const char *id);

/* Set up an empty registry with cfg (copied; NULL: all defaults).
 * Returns 0, or -1 with err filled. */
int sim_ledgers_init(struct sim_ledgers *ls, const struct sim_ledgers_config *cfg, char *err,
		     size_t cap);
/* Add an ACTIVE, STANDARD ledger with deletion protection and AWS-owned
 * encryption (the demo ledger); takes ownership of journal (also on
 * failure). Does not call the changed hook. Returns 0 or -1. */
int sim_ledgers_add(struct sim_ledgers *ls, const char *name, int64_t created_ms,
		    struct sim_journal *journal, char *err, size_t cap);
/* Add financial-ledger with the sample journal, created SIM_DEMO_AGE_MS
 * before now_ms (the pre-world server; region is unused). */
int sim_ledgers_add_demo(struct sim_ledgers *ls, const char *region, int64_t now_ms, char *err,
			 size_t cap);
/* The live (not gone) ledger called name, or NULL. Locks by itself; the
 * pointer is valid until sim_ledgers_free, but only name, seq, created_ms
 * and journal are immutable: read the rest under the lock. */
const struct sim_ledger *sim_ledgers_find(struct sim_ledgers *ls, const char *name);
void sim_ledgers_free(struct sim_ledgers *ls);

/* Take the lock, finish due deletions (journal_gone, then changed) and
 * return the clock. Every other call below needs the lock held. */
int64_t sim_ledgers_lock(struct sim_ledgers *ls);
void sim_ledgers_unlock(struct sim_ledgers *ls);
/* The live ledger called name, or NULL. */
struct sim_ledger *sim_ledgers_get(struct sim_ledgers *ls, const char *name);
/* Live ledgers (those sim_ledgers_get finds). */
size_t sim_ledgers_live(const struct sim_ledgers *ls);
/* Run the changed hook: 0, or its nonzero result. */
int sim_ledgers_changed(struct sim_ledgers *ls);
/* CreateLedger's record: CREATING until now + create delay, journal from
 * journal_open at now. NULL with err filled (journal failure, the
 * retained limit). The caller has checked the name and the live limit. */
struct sim_ledger *sim_ledgers_create(struct sim_ledgers *ls, const char *name, int64_t now,
				      char *err, size_t cap);
/* DeleteLedger: DELETING from now. */
void sim_ledgers_delete(struct sim_ledgers *ls, struct sim_ledger *l, int64_t now);
/* A new empty stream or export of l, with its id and seq (NULL: out of
 * memory or the per-ledger limit). */
struct sim_stream *sim_ledger_stream_new(struct sim_ledgers *ls, struct sim_ledger *l);
struct sim_export *sim_ledger_export_new(struct sim_ledgers *ls, struct sim_ledger *l);
struct sim_stream *sim_ledger_stream_find(const struct sim_ledger *l, const char *id);
struct sim_export *sim_ledger_export_find(const struct sim_ledger *l, const char *id);

/* States at now: "CREATING", "ACTIVE", "DELETING" (static strings). */
const char *sim_ledger_state(const struct sim_ledger *l, int64_t now);
/* "ENABLED", "UPDATING" just after a KMS key change, or
 * "KMS_KEY_INACCESSIBLE" (a scenario's kms-inaccessible). */
const char *sim_ledger_encryption_status(const struct sim_ledger *l, int64_t now);
enum sim_stream_status sim_stream_status(const struct sim_stream *s, int64_t now);
/* An IMPAIRED stream's ErrorCause (static), or NULL. */
const char *sim_stream_error_cause(const struct sim_stream *s);
enum sim_export_status sim_export_status(const struct sim_ledgers *ls, const struct sim_export *e,
					 int64_t now);
/* Replace l's KMS key (strdup); -1 when out of memory. */
int sim_ledger_set_kms_key(struct sim_ledger *l, const char *key, int64_t now);

/* Tags: the value of key or NULL; set (add or replace, copies) returns 0
 * or -1 (out of memory); remove returns whether key was there. */
const char *sim_tags_get(const struct sim_tags *t, const char *key);
int sim_tags_set(struct sim_tags *t, const char *key, const char *value);
bool sim_tags_remove(struct sim_tags *t, const char *key);
void sim_tags_free(struct sim_tags *t);

/* Snapshot: a cJSON * of every live ledger's metadata, streams, exports,
 * lifecycle times, and the generator state (the caller deletes it; NULL
 * when out of memory). Restore rebuilds an initialised, empty registry
 * from one (borrowed), calling journal_open for each ledger; a malformed
 * snapshot is -1 with err naming the member ("snapshot ledgers[1].name:
 * ..."). Neither calls the changed hook. */
void *sim_ledgers_to_json(struct sim_ledgers *ls);
int sim_ledgers_restore(struct sim_ledgers *ls, const void *cjson, char *err, size_t cap);

#endif
