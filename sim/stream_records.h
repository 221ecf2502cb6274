/*
 * stream_records.h - what a QLDB journal stream writes to Kinesis
 * (shared/docs/qldb-verification.md "Journal streams"): records
 * {qldbStreamArn, recordType, payload} in Ion binary, with recordType
 *   CONTROL           payload {controlRecordType: "CREATED" | "COMPLETED" | ...}
 *   BLOCK_SUMMARY     payload: the block's fields, with revisionSummaries
 *                     [{documentId, hash}] in place of revisions
 *   REVISION_DETAILS  payload {tableInfo: {tableName, tableId},
 *                     revision: {blockAddress, hash, data | dataHash, metadata}}
 * one REVISION_DETAILS per revision that has metadata. A reader rebuilds
 * each block from its summary and the details of its revisions, and every
 * hash recomputes (a hash-only summary stays a hash-only revision).
 * With aggregation (the default), a block's records travel as one KPL
 * aggregated record (magic F3 89 9A C2, protobuf AggregatedRecord, MD5).
 * Pure. Ownership: outputs are appended to caller buffers.
 */
#ifndef QLDBTOP_SIM_STREAM_RECORDS_H
#define QLDBTOP_SIM_STREAM_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "verify/buf.h"

#define SIM_STREAM_RECORDS_MAX 80 /* a block's records: 1 summary + its revisions */

/* The records of one block (its Ion text), each Ion binary, into
 * recs[0..*n). Returns 0 or -1 with err. The caller frees each buf. */
int sim_stream_block_records(const char *stream_arn, const char *block_text, size_t len,
			     struct buf *recs, size_t max, size_t *n, char *err, size_t cap);
/* A CONTROL record (Ion binary) into out. */
int sim_stream_control_record(const char *stream_arn, const char *control_type, struct buf *out);
/* KPL aggregation of recs[0..n) under one partition key into out. */
int sim_kpl_aggregate(struct buf *out, const char *partition_key, const struct buf *recs, size_t n);
/* The opposite, for readers and tests: if data is KPL-aggregated, call fn
 * for each inner record and return the count; if it is not, return 0
 * (the data is one plain record); -1 when it claims to be aggregated but
 * is malformed or its MD5 does not match. */
long sim_kpl_deaggregate(const uint8_t *data, size_t len,
			 int (*fn)(void *ctx, const uint8_t *rec, size_t n), void *ctx);

#endif
