/*
 * stream_delivery.h - QLDB journal streams moving records into the
 * endpoint's Kinesis: one pass delivers, for every ACTIVE or IMPAIRED
 * stream, a CREATED control record once, then the records of each block
 * written since its last pass whose time lies in [InclusiveStartTime,
 * ExclusiveEndTime) (sim/stream_records.h; KPL-aggregated per block when
 * AggregationEnabled). A target Kinesis stream that is missing or not
 * ACTIVE makes the journal stream IMPAIRED with ErrorCause
 * KINESIS_STREAM_NOT_FOUND; delivery resumes where it stopped once the
 * target is back. Delivery is at least once: records may repeat (after a
 * restart a stream starts again from its first block), as QLDB's did.
 *
 * Thread-safe: takes the registry's lock, then Kinesis's (never the other
 * way round). The server calls it from its delivery thread.
 */
#ifndef QLDBTOP_SIM_STREAM_DELIVERY_H
#define QLDBTOP_SIM_STREAM_DELIVERY_H

#include <stddef.h>

#include "sim/kinesis.h"
#include "sim/ledger.h"

#define SIM_DELIVERY_BLOCKS_PER_PASS 256 /* per stream: a pass stays short */

/* One pass; returns the number of blocks delivered. */
size_t sim_streams_deliver(struct sim_ledgers *ls, struct sim_kinesis *k);

#endif
