/*
 * metrics.h - the endpoint's activity counters that the journal does not
 * already record: read requests per ledger per minute (CloudWatch's
 * ReadIOs, sim/cloudwatch.h). The journal reads (GetDigest, GetBlock,
 * GetRevision) count themselves here; the CloudWatch handler reads the
 * counts back.
 *
 * One process-wide table (the QLDB handlers and CloudWatch share nothing
 * else), thread-safe under its own mutex. Minutes are epoch minutes
 * (ms / 60000) of the registry's clock. Each ledger name keeps a ring of
 * SIM_METRICS_MINUTES minutes: older counts are forgotten, as CloudWatch
 * forgets one-minute data after 15 days. A ledger re-created under the
 * same name continues its counts. Bounded: SIM_METRICS_LEDGERS_MAX names;
 * reads of further ledgers are not counted.
 *
 * Ownership: the rings are malloc'd on a ledger's first read and live
 * until sim_metrics_reset (tests) or the process ends.
 */
#ifndef QLDBTOP_SIM_METRICS_H
#define QLDBTOP_SIM_METRICS_H

#include <stdint.h>

#include "sim/ledger.h"

#define SIM_METRICS_MINUTES (15 * 1440) /* 15 days of one-minute counts */
#define SIM_METRICS_LEDGERS_MAX SIM_LEDGERS_RETAINED_MAX

/* Count n reads of ledger at ms (epoch ms). */
void sim_metrics_add_reads(const char *ledger, int64_t ms, uint64_t n);
/* Count one read of ledger now, by the clock of the registry ls. */
void sim_metrics_count_read(struct sim_ledgers *ls, const char *ledger);
/* Reads of ledger in epoch minute m (0 when none or forgotten). */
uint64_t sim_metrics_reads(const char *ledger, int64_t minute);
/* Forget every count and release the rings. */
void sim_metrics_reset(void);

#endif
