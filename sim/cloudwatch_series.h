/*
 * cloudwatch_series.h - the AWS/QLDB metrics of one ledger as CloudWatch
 * data points (sim/cloudwatch.h does the protocols): the metric table,
 * the statistics, a per-journal summary kept up to date incrementally,
 * and the series of a metric at a period and statistic.
 *
 * The model. Every metric is published as one-minute samples (QLDB sends
 * its metrics every minute; storage every 15 minutes, here every minute
 * too). A minute without a sample is absent, so a period whose minutes
 * have none yields no point (CloudWatch returns none: it does not invent
 * zeros). The statistic of a period is taken over its minutes' samples:
 * Sum, Average, Minimum, Maximum, SampleCount, pNN (nearest rank). Samples
 * of minute m, over the blocks whose time is in [m, m + 60 s) (cut at
 * EndTime):
 *   WriteIOs        revisions written (the blocks' revisions entries);
 *                   sampled when the minute has a block (genesis: 0)
 *   ReadIOs         journal reads answered (GetDigest, GetBlock,
 *                   GetRevision: sim/metrics.h); sampled when nonzero
 *   JournalStorage  bytes of Ion text of every block before the minute's
 *                   end, as first written; sampled each minute of the
 *                   ledger's life
 *   IndexedStorage  bytes of the Ion text of the current version of every
 *                   live document (a deleted one counts 0): what an index
 *                   over current state holds; sampled as JournalStorage
 *   CommandLatency  synthetic milliseconds: 4 + 1.5 x revisions per
 *                   transaction + 0.1 x (transactions + reads) of the
 *                   minute (a base, the work of a commit, the load);
 *                   sampled when the minute has a block or a read
 *   IsImpaired      1 when a journal stream of the ledger is IMPAIRED at
 *                   the time of the request, else 0 (stream health has no
 *                   history: every minute of the ledger's life reports the
 *                   present state)
 * Minutes before the ledger's creation, after the present, or older than
 * SIM_CW_RETENTION_MINUTES (CloudWatch keeps one-minute data 15 days) have
 * no sample.
 *
 * Ownership: sim_cw_journal_new allocates, _free releases; a summary is
 * not thread-safe (the caller serialises). sim_cw_series hands out a
 * malloc'd array the caller frees.
 */
#ifndef QLDBTOP_SIM_CLOUDWATCH_SERIES_H
#define QLDBTOP_SIM_CLOUDWATCH_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"

#define SIM_CW_RETENTION_MINUTES (15 * 1440)
#define SIM_CW_NAMESPACE "AWS/QLDB"
#define SIM_CW_DIMENSION "LedgerName"

enum sim_cw_metric {
	SIM_CW_WRITE_IOS,
	SIM_CW_READ_IOS,
	SIM_CW_JOURNAL_STORAGE,
	SIM_CW_INDEXED_STORAGE,
	SIM_CW_COMMAND_LATENCY,
	SIM_CW_IS_IMPAIRED,
	SIM_CW_METRIC_COUNT
};
/* The metric's name ("WriteIOs") and its CloudWatch unit ("Count"). */
const char *sim_cw_metric_name(enum sim_cw_metric m);
const char *sim_cw_metric_unit(enum sim_cw_metric m);
/* The metric called name, or -1. */
int sim_cw_metric_find(const char *name);

enum sim_cw_stat_kind {
	SIM_CW_SUM,
	SIM_CW_AVERAGE,
	SIM_CW_MINIMUM,
	SIM_CW_MAXIMUM,
	SIM_CW_SAMPLE_COUNT,
	SIM_CW_PERCENTILE
};
struct sim_cw_stat {
	enum sim_cw_stat_kind kind;
	double p; /* SIM_CW_PERCENTILE: 0..100 */
};
/* "Sum", "Average", "Minimum", "Maximum", "SampleCount" or "pNN[.NN]".
 * Returns 0, or -1 for anything else. */
int sim_cw_stat_parse(const char *s, struct sim_cw_stat *out);
/* The statistic of v[0..n), n > 0 (v is reordered for percentiles). */
double sim_cw_stat_apply(const struct sim_cw_stat *st, double *v, size_t n);

/* A journal's summary: block times and prefix sums of revisions, text
 * bytes and indexed bytes. */
struct sim_cw_journal;
struct sim_cw_journal *sim_cw_journal_new(void);
void sim_cw_journal_free(struct sim_cw_journal *c);
/* Bring c up to j's blocks: new blocks are read once; a journal that lost
 * or replaced blocks (a scenario's fork) is summarised again. Returns 0,
 * or -1 with err filled (out of memory, a block that cannot be read). */
int sim_cw_journal_sync(struct sim_cw_journal *c, struct sim_journal *j, char *err, size_t cap);
size_t sim_cw_journal_blocks(const struct sim_cw_journal *c);

/* What one ledger's series are computed from (borrowed). */
struct sim_cw_source {
	const struct sim_cw_journal *journal;
	const char *ledger; /* the read counters' name */
	int64_t created_ms; /* the ledger's creation */
	int64_t now_ms;
	bool impaired;
};

struct sim_cw_point {
	int64_t ms; /* the period's start */
	double value;
};

/* The points of metric m at period_ms (a positive multiple of 60000) and
 * stat over [start_ms, end_ms): periods start at start_ms rounded down to
 * the minute, the last one is cut at end_ms; oldest first; periods with
 * no sample are left out. *out is malloc'd (NULL when *n is 0). Returns 0
 * or -1 (out of memory). */
int sim_cw_series(const struct sim_cw_source *src, enum sim_cw_metric m, int64_t period_ms,
		  const struct sim_cw_stat *stat, int64_t start_ms, int64_t end_ms,
		  struct sim_cw_point **out, size_t *n);

#endif
