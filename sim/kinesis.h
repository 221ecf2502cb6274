/*
 * kinesis.h - the endpoint's Kinesis Data Streams (JSON 1.1, signing name
 * "kinesis"): streams, shards, records and iterators, and the delivery
 * API that QLDB journal streams write through.
 *
 * Operations (AWS JSON 1.1, X-Amz-Target Kinesis_20131202.<Op>):
 * CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
 * ListStreams, ListShards, GetShardIterator, GetRecords, PutRecord,
 * PutRecords; the settings: Increase/DecreaseStreamRetentionPeriod (24..
 * 8760 hours), Start/StopStreamEncryption (KMS and a key of KMS's forms;
 * there is no KMS, so no data is encrypted), AddTagsToStream,
 * ListTagsForStream, RemoveTagsFromStream (50 a stream). A change applies
 * at once and the stream stays ACTIVE (AWS shows UPDATING a while). Errors are 400 with {"__type":
 * CODE, "message": "..."}. A stream is CREATING for a delay (500 ms unless set), then ACTIVE;
 * DeleteStream makes it DELETING for a delay, then it is gone. Shard
 * iterators and NextTokens are opaque: base64 of their position and the
 * time they were issued, with an HMAC made from the seed, so an edited
 * one is refused (InvalidArgumentException); iterators expire after 5
 * minutes (ExpiredIteratorException), ListShards tokens likewise
 * (ExpiredNextTokenException). Caps: sim/kinesis_store.h.
 *
 * Thread-safe (one mutex). Ownership: sim_kinesis_new allocates,
 * sim_kinesis_free releases; requests and data are borrowed.
 */
#ifndef QLDBTOP_SIM_KINESIS_H
#define QLDBTOP_SIM_KINESIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/http.h"

struct sim_kinesis;
/* now_ms: the clock (NULL: CLOCK_REALTIME); seed: sequence numbers and
 * ids are deterministic by it. NULL on out of memory. */
struct sim_kinesis *sim_kinesis_new(uint64_t seed, int64_t (*now_ms)(void *ctx), void *ctx);
void sim_kinesis_free(struct sim_kinesis *k);
/* Answer one request (POST / with X-Amz-Target: Kinesis_20131202.Op). */
void sim_kinesis_handle(struct sim_kinesis *k, const struct sim_request *req,
			struct sim_response *res);
/* The operation a request names (X-Amz-Target's suffix, a table string),
 * or NULL when it names none this endpoint serves. */
const char *sim_kinesis_operation(const struct sim_request *req);
/* Does this endpoint serve Kinesis operation op? */
bool sim_kinesis_knows(const char *op);
/* Pre-dispatch errors (signature, size) in Kinesis's error shape. */
void sim_kinesis_error(struct sim_response *res, enum sim_error e, const char *msg);
/* Delivery: put one record on the stream named by its ARN or name.
 * Returns 0; 1 when no such stream exists or it is not ACTIVE (CREATING,
 * DELETING: a journal stream becomes IMPAIRED with KINESIS_STREAM_NOT_FOUND);
 * -1 with err otherwise (partition key not 1..256 bytes, data + key over
 * 1 MiB, out of memory). err may be NULL. */
int sim_kinesis_put(struct sim_kinesis *k, const char *stream, const char *partition_key,
		    const void *data, size_t len, char *err, size_t cap);
/* Whether the stream named by ARN or name exists and is ACTIVE. */
bool sim_kinesis_stream_active(struct sim_kinesis *k, const char *stream);
/* How long a new stream stays CREATING and a deleted one DELETING (ms,
 * >= 0; defaults 500 and 500). */
void sim_kinesis_set_delays(struct sim_kinesis *k, int64_t create_ms, int64_t delete_ms);

#define SIM_KINESIS_ITERATOR_TTL_MS 300000    /* 5 minutes, as AWS */
#define SIM_KINESIS_TOKEN_TTL_MS 300000	      /* ListShards NextToken, as AWS */
#define SIM_KINESIS_GET_BYTES_MAX (10u << 20) /* GetRecords: 10 MiB of data, as AWS */

#endif
