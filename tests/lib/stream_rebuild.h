/*
 * stream_rebuild.h - a reader of QLDB journal stream records, as
 * dmv-sample-java's StreamJournal reads them (shared/docs/
 * qldb-verification.md "Journal streams"): records (Ion, KPL-aggregated or
 * not) are collected; each BLOCK_SUMMARY, de-duplicated by sequence number
 * and sorted, is rebuilt into a block whose revisions are the
 * REVISION_DETAILS records matched by hash, else hash-only revisions. The
 * rebuilt text is then checked like any block.
 * Test code (tests/lib): written from the spec, independent of how
 * sim/stream_records.c writes. Ownership: _new allocates, _free releases;
 * added data is copied.
 */
#ifndef QLDBTOP_TESTS_STREAM_REBUILD_H
#define QLDBTOP_TESTS_STREAM_REBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "verify/buf.h"

struct stream_rebuild;
struct stream_rebuild *stream_rebuild_new(void);
void stream_rebuild_free(struct stream_rebuild *r);
/* One Kinesis record's data. Returns 0, or -1 when it is neither a valid
 * KPL aggregate nor an Ion record {qldbStreamArn, recordType, payload}. */
int stream_rebuild_add(struct stream_rebuild *r, const uint8_t *data, size_t len);
/* Records seen by type. */
size_t stream_rebuild_count(const struct stream_rebuild *r, const char *record_type);
/* Distinct blocks (BLOCK_SUMMARY sequence numbers). */
size_t stream_rebuild_blocks(struct stream_rebuild *r);
/* Block i (0-based, ascending sequence number) rebuilt as Ion text into
 * out (cleared first); *seq its sequence number. Returns 0 or -1. */
int stream_rebuild_block(struct stream_rebuild *r, size_t i, int64_t *seq, struct buf *out);

#endif
