/*
 * kinesis.h - the Kinesis Data Streams calls behind the Streams pane
 * (JSON 1.1, X-Amz-Target Kinesis_20131202.OP, SigV4 service "kinesis";
 * docs/aws-api.md §3): DescribeStreamSummary and ListShards for the
 * target stream's health, and GetShardIterator/GetRecords to measure how
 * far the journal stream lags behind the ledger, in blocks.
 *
 * Lag: the records of a QLDB journal stream are Ion structs {qldbStreamArn,
 * recordType, payload} (KPL-aggregated or not, shared/docs/
 * qldb-verification.md "Journal streams"); a BLOCK_SUMMARY's payload has
 * blockAddress.sequenceNo. kinesis_journal_scan reads every shard from
 * TRIM_HORIZON (or AT_TIMESTAMP since) within a budget of GetRecords calls
 * and reports the highest block sequence number seen; the lag is the
 * ledger tip's sequence number minus that. When the budget ends before a
 * shard's end (MillisBehindLatest > 0) the result says so (complete ==
 * false): the lag shown is then an upper bound.
 *
 * Requests carry StreamName (never StreamARN: the ARN routes to another
 * host on AWS and kinesalite does not know it); kinesis_stream_name_from_arn
 * takes it from QLDB's KinesisConfiguration.StreamArn.
 *
 * Parsers are pure and strict (common/json_strict.h, every member
 * type-checked, the model's required members required, unknown members
 * allowed). Ownership: plain values; a shard list owns its items
 * (kinesis_shard_list_free). A kinesis_client borrows cfg and stop.
 */
#ifndef QLDBTOP_API_KINESIS_H
#define QLDBTOP_API_KINESIS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/config.h"
#include "api/error.h"

#define KINESIS_NAME_MAX 128		 /* StreamName: 1..128 [a-zA-Z0-9_.-] */
#define KINESIS_ARN_MAX 2048		 /* StreamARN: 1..2048 */
#define KINESIS_SHARD_ID_MAX 128	 /* ShardId: 1..128 */
#define KINESIS_HASH_MAX 40		 /* HashKey: decimal 0..2^128-1 (39 digits) */
#define KINESIS_SEQ_MAX 128		 /* SequenceNumber: decimal, 56 digits today */
#define KINESIS_ITERATOR_MAX 512	 /* ShardIterator: 1..512 */
#define KINESIS_TOKEN_MAX 1048576	 /* NextToken: 1..1048576 (model) */
#define KINESIS_SHARDS_MAX 10000	 /* shards kept from one listing */
#define KINESIS_RESPONSE_MAX (16u << 20) /* GetRecords: up to 10 MiB of data, base64 */
#define KINESIS_RECORD_MAX (1u << 20)	 /* one record's data: 1 MiB (model) */
#define KINESIS_RECORDS_LIMIT 1000	 /* records asked per GetRecords */

struct kinesis_stream_summary {
	char name[KINESIS_NAME_MAX + 1];
	char arn[KINESIS_ARN_MAX + 1];
	char status[16]; /* CREATING DELETING ACTIVE UPDATING */
	uint64_t retention_hours;
	double created; /* epoch s */
	uint64_t open_shards;
	char mode[16];	    /* PROVISIONED ON_DEMAND, "" when absent */
	char encryption[8]; /* NONE KMS, "" when absent */
	uint64_t consumers; /* ConsumerCount, when has_consumers */
	bool has_consumers;
	size_t enhanced_metrics; /* shard-level metrics enabled, all entries */
};

struct kinesis_shard {
	char id[KINESIS_SHARD_ID_MAX + 1];
	char parent[KINESIS_SHARD_ID_MAX + 1]; /* "" when absent */
	char start_hash[KINESIS_HASH_MAX + 1], end_hash[KINESIS_HASH_MAX + 1];
	char start_seq[KINESIS_SEQ_MAX + 1];
	char end_seq[KINESIS_SEQ_MAX + 1]; /* "" for an open shard */
	bool open;
};

struct kinesis_shard_list {
	struct kinesis_shard *items;
	size_t n, cap;
	char *next_token; /* malloc'd, of the last page; NULL when none */
};
void kinesis_shard_list_free(struct kinesis_shard_list *l);

/* "arn:aws:kinesis:REGION:ACCOUNT:stream/NAME" -> NAME (checked as a
 * StreamName). 0 or API_ERR_PARSE. */
int kinesis_stream_name_from_arn(const char *arn, char *name, size_t cap, struct api_error *err);

int kinesis_parse_describe_stream_summary(const char *json, size_t len,
					  struct kinesis_stream_summary *out,
					  struct api_error *err);
/* One ListShards page, appended to out (next_token replaced). */
int kinesis_parse_list_shards(const char *json, size_t len, struct kinesis_shard_list *out,
			      struct api_error *err);
int kinesis_parse_get_shard_iterator(const char *json, size_t len, char *iterator, size_t cap,
				     struct api_error *err);
/* One GetRecords answer: fn(ctx, data, len) for each record's decoded
 * data, in order (non-zero stops: returned as API_ERR_PARSE); next gets
 * NextShardIterator ("" when the shard is closed and read to its end),
 * *behind MillisBehindLatest (-1 when absent). */
int kinesis_parse_get_records(const char *json, size_t len,
			      int (*fn)(void *ctx, const uint8_t *data, size_t n), void *ctx,
			      size_t *records, char *next, size_t next_cap, int64_t *behind,
			      struct api_error *err);

/* A journal stream record (one Kinesis record's data, KPL-aggregated or
 * not): *seq the block sequence number of each BLOCK_SUMMARY inside, the
 * highest of them (-1 when none). *count: Ion records seen. 0, or
 * API_ERR_PARSE when the data is neither a valid KPL aggregate (MD5
 * checked) nor Ion records of the journal's shape. */
int kinesis_journal_record_scan(const uint8_t *data, size_t len, int64_t *max_seq, size_t *count,
				struct api_error *err);

struct kinesis_client;
struct kinesis_client *kinesis_client_new(const struct api_config *cfg, const atomic_int *stop,
					  struct api_error *err);
/* Beside a worker's client (its config, keys, stop flag and quota; see
 * http_client_beside): what the pollers use, so no credential source is
 * resolved twice. */
struct http_client;
struct kinesis_client *kinesis_client_beside(struct http_client *peer, struct api_error *err);
void kinesis_client_free(struct kinesis_client *c);

int kinesis_describe_stream_summary(struct kinesis_client *c, const char *stream,
				    struct kinesis_stream_summary *out, struct api_error *err);
/* Every shard (all pages). */
int kinesis_list_shards(struct kinesis_client *c, const char *stream,
			struct kinesis_shard_list *out, struct api_error *err);

struct kinesis_journal_scan {
	int64_t max_seq;  /* highest BLOCK_SUMMARY sequence number, -1 none */
	uint64_t records; /* Ion records read */
	unsigned calls;	  /* GetRecords calls made */
	bool complete;	  /* every shard read to its latest record */
};
/* Read the journal stream's shards within max_calls GetRecords (since:
 * epoch s for AT_TIMESTAMP, 0 for TRIM_HORIZON). */
int kinesis_journal_scan(struct kinesis_client *c, const char *stream, double since,
			 unsigned max_calls, struct kinesis_journal_scan *out,
			 struct api_error *err);
/* The lag in blocks: tip_seq (the ledger's digest tip) minus the highest
 * block seen, 0 when the stream is ahead of that tip (a digest older than
 * the stream); -1 when no block was seen (unknown, not zero). Valid as
 * the lag when s->complete, an upper bound otherwise. */
int64_t kinesis_lag_blocks(uint64_t tip_seq, const struct kinesis_journal_scan *s);

#endif
