/*
 * kinesis_store.h - the endpoint's Kinesis data: streams, their shards
 * (hash key ranges splitting the 128-bit space evenly) and each shard's
 * records, with sequence numbers and the per-shard caps that stand in for
 * retention. No locking, no JSON, no clock of its own: kinesis.c holds the
 * mutex and passes "now"; everything here is a pure state transition
 * tested without a socket.
 *
 * Sequence numbers are 56 decimal digits, as the real service's are:
 *   "49" | creation time, s (10) | stream nonce (18) | shard (6) | index (20)
 * so within a shard they increase with the record's index (fixed width,
 * index last), and a number made for another stream, another incarnation
 * of the same name, or another shard is told apart by its prefix.
 *
 * Ownership: sim_kinesis_store_free releases every stream, shard and
 * record. Pointers returned into the store (streams, records) are
 * borrowed until the next call that changes it.
 */
#ifndef QLDBTOP_SIM_KINESIS_STORE_H
#define QLDBTOP_SIM_KINESIS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_KINESIS_STREAMS_MAX 32	     /* streams, DELETING ones included */
#define SIM_KINESIS_SHARDS_MAX 64	     /* open shards account-wide (AWS: 500-ish) */
#define SIM_KINESIS_SHARD_RECORDS_MAX 100000 /* newest records kept per shard */
/* Bytes (data + partition key) kept per shard: 64 shards x 8 MiB bounds the
 * store at 512 MiB; older records are trimmed as retention would. */
#define SIM_KINESIS_SHARD_BYTES_MAX (8u << 20)
#define SIM_KINESIS_NAME_MAX 128	/* StreamName: 1..128 of [a-zA-Z0-9_.-] */
#define SIM_KINESIS_KEY_MAX 256		/* PartitionKey: 1..256 characters */
#define SIM_KINESIS_DATA_MAX (1u << 20) /* a record's data + key: 1 MiB */
#define SIM_KINESIS_SEQ_LEN 56		/* digits of a sequence number */
#define SIM_KINESIS_ON_DEMAND_SHARDS 4	/* an ON_DEMAND stream starts with 4 */
#define SIM_KINESIS_RETENTION_MIN 24	/* RetentionPeriodHours: 24 (the default) .. */
#define SIM_KINESIS_RETENTION_MAX 8760	/* .. 8760 (365 days), as AWS */
#define SIM_KINESIS_TAGS_MAX 50		/* tags per stream, as AWS */
#define SIM_KINESIS_TAG_KEY_MAX 128
#define SIM_KINESIS_TAG_VALUE_MAX 256
#define SIM_KINESIS_KEY_ID_MAX 2048 /* StartStreamEncryption KeyId (model) */

enum sim_kinesis_status { SIM_KINESIS_CREATING, SIM_KINESIS_ACTIVE, SIM_KINESIS_DELETING };

struct sim_kinesis_record {
	int64_t arrival_ms; /* non-decreasing within a shard */
	uint32_t len;	    /* data bytes */
	uint16_t key_len;
	uint8_t *bytes; /* key then data, one malloc */
};

struct sim_kinesis_shard {
	unsigned __int128 start, end; /* hash key range, inclusive */
	struct sim_kinesis_record *ring;
	size_t cap, head, n; /* ring[head] is the oldest of n */
	uint64_t first;	     /* index of the oldest kept record (trim horizon) */
	uint64_t next;	     /* index the next record gets */
	size_t bytes;	     /* kept bytes, key + data */
};

struct sim_kinesis_tag {
	char key[SIM_KINESIS_TAG_KEY_MAX + 1];
	char value[SIM_KINESIS_TAG_VALUE_MAX + 1];
};

struct sim_kinesis_stream {
	char name[SIM_KINESIS_NAME_MAX + 1];
	uint64_t serial; /* unique per creation: a recreated name is another stream */
	uint64_t nonce;	 /* < 10^18, from the seed and serial */
	int64_t created_ms, deleted_ms; /* deleted_ms 0: not deleted */
	bool on_demand;
	int retention_hours;	      /* as described; records are still kept by the caps */
	char *key_id;		      /* owned; NULL: EncryptionType NONE, else KMS with it */
	struct sim_kinesis_tag *tags; /* owned, sorted by key, n_tags of them */
	size_t n_tags;
	size_t n_shards;
	struct sim_kinesis_shard *shards;
};

struct sim_kinesis_store {
	struct sim_kinesis_stream *streams[SIM_KINESIS_STREAMS_MAX]; /* sorted by name */
	size_t n;
	uint64_t seed, serials;
	int64_t create_delay_ms, delete_delay_ms;
};

/* Results of the store's changes. */
enum sim_kinesis_rc {
	SIM_KINESIS_OK = 0,
	SIM_KINESIS_EXISTS = -1, /* a stream of that name (any state) */
	SIM_KINESIS_LIMIT = -2,	 /* streams or shards cap */
	SIM_KINESIS_NOMEM = -3,
	SIM_KINESIS_NOT_FOUND = -4, /* no such stream, or gone */
	SIM_KINESIS_NOT_ACTIVE = -5,
	SIM_KINESIS_TOO_LARGE = -6, /* data + key over SIM_KINESIS_DATA_MAX */
};

void sim_kinesis_store_init(struct sim_kinesis_store *st, uint64_t seed);
void sim_kinesis_store_free(struct sim_kinesis_store *st);
/* Forget streams whose deletion has run its delay. */
void sim_kinesis_store_sweep(struct sim_kinesis_store *st, int64_t now);
/* A new stream of n_shards (1..SIM_KINESIS_SHARDS_MAX), CREATING. */
enum sim_kinesis_rc sim_kinesis_store_create(struct sim_kinesis_store *st, const char *name,
					     size_t n_shards, bool on_demand, int64_t now);
/* The stream named name, or by an ARN's "...:stream/NAME"; NULL when none. */
struct sim_kinesis_stream *sim_kinesis_store_find(struct sim_kinesis_store *st, const char *name);
/* Mark a stream DELETING. */
void sim_kinesis_store_delete(struct sim_kinesis_store *st, struct sim_kinesis_stream *s,
			      int64_t now);
enum sim_kinesis_status sim_kinesis_store_status(const struct sim_kinesis_store *st,
						 const struct sim_kinesis_stream *s, int64_t now);
const char *sim_kinesis_status_name(enum sim_kinesis_status status);
/* Open shards across all streams. */
size_t sim_kinesis_store_open_shards(const struct sim_kinesis_store *st);

/* Encrypt s with KMS key key_id (copied), or stop (key_id NULL). */
enum sim_kinesis_rc sim_kinesis_stream_encrypt(struct sim_kinesis_stream *s, const char *key_id);
/* The tag of key on s, or NULL. */
const struct sim_kinesis_tag *sim_kinesis_stream_tag_find(const struct sim_kinesis_stream *s,
							  const char *key);
/* Set tag key (1..128 bytes) to value (0..256 bytes), replacing its old
 * value; SIM_KINESIS_LIMIT when s has SIM_KINESIS_TAGS_MAX others. */
enum sim_kinesis_rc sim_kinesis_stream_tag(struct sim_kinesis_stream *s, const char *key,
					   const char *value);
/* Remove tag key from s (no tag of that key: nothing happens). */
void sim_kinesis_stream_untag(struct sim_kinesis_stream *s, const char *key);

/* The shard whose range holds hash. */
size_t sim_kinesis_shard_of(const struct sim_kinesis_stream *s, unsigned __int128 hash);
/* MD5 of the partition key as a 128-bit big-endian number (AWS's mapping). */
unsigned __int128 sim_kinesis_hash_key(const char *key, size_t len);
/* Decimal digits (no sign, no leading zero but "0") below 2^128 into *out;
 * 0 or -1. */
int sim_kinesis_u128_parse(const char *s, unsigned __int128 *out);
/* Decimal text of v into out (40 bytes suffice). */
void sim_kinesis_u128_format(unsigned __int128 v, char out[40]);

/* Append a record to shard; sets *index. Trims the oldest past the caps. */
enum sim_kinesis_rc sim_kinesis_shard_append(struct sim_kinesis_shard *sh, const char *key,
					     size_t key_len, const void *data, size_t len,
					     int64_t now, uint64_t *index);
/* The record of index (first <= index < next), else NULL. */
const struct sim_kinesis_record *sim_kinesis_shard_get(const struct sim_kinesis_shard *sh,
						       uint64_t index);
/* The index of the first kept record that arrived at or after at_ms
 * (next when none). */
uint64_t sim_kinesis_shard_seek_time(const struct sim_kinesis_shard *sh, int64_t at_ms);

/* The sequence number of record index of shard i of s. */
void sim_kinesis_seq_format(const struct sim_kinesis_stream *s, size_t shard, uint64_t index,
			    char out[SIM_KINESIS_SEQ_LEN + 1]);
/* The index a sequence number names on shard i of s; 0, or -1 when it is
 * not one of that shard's. */
int sim_kinesis_seq_parse(const struct sim_kinesis_stream *s, size_t shard, const char *seq,
			  uint64_t *index);

#endif
