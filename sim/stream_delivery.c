/*
 * stream_delivery.c - journal streams into Kinesis (see
 * stream_delivery.h).
 */
#include "sim/stream_delivery.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stream_records.h"

#define DELIVERY_ARN_MAX 256

/* The journal stream's ARN, in the region of its Kinesis target (the
 * region the client named). */
static void stream_arn(const char *ledger, const struct sim_stream *s, char *out, size_t cap)
{
	char region[40] = "us-east-1";
	const char *p = s->kinesis_arn;
	/* arn:aws:kinesis:REGION:ACCOUNT:stream/NAME */
	for (int colon = 0; p && colon < 3; colon++)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	size_t n = p ? strcspn(p, ":") : 0;
	if (n > 0 && n < sizeof region) {
		memcpy(region, p, n);
		region[n] = '\0';
	}
	snprintf(out, cap, "arn:aws:qldb:%s:%s:stream/%s/%s", region, SIM_DEMO_ACCOUNT, ledger,
		 s->id);
}

/* Put recs[0..n) as the stream asks: one aggregated record, or each. */
static int put_records(struct sim_kinesis *k, const struct sim_stream *s, const char *key,
		       struct buf *recs, size_t n)
{
	char err[160];
	if (s->aggregation) {
		struct buf agg = { 0 };
		int rc = sim_kpl_aggregate(&agg, key, recs, n)
				 ? -1
				 : sim_kinesis_put(k, s->kinesis_arn, key, agg.data, agg.len, err,
						   sizeof err);
		buf_free(&agg);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = sim_kinesis_put(k, s->kinesis_arn, key, recs[i].data, recs[i].len, err,
					 sizeof err);
		if (rc)
			return rc;
	}
	return 0;
}

/* One block's records; 0 delivered, 1 the target is missing, -1 failed. */
static int deliver_block(struct sim_kinesis *k, struct sim_ledger *l, struct sim_stream *s,
			 const char *arn, int64_t seq)
{
	size_t len = 0, n = 0;
	char *text = sim_journal_block_text(l->journal, seq, &len);
	struct buf recs[SIM_STREAM_RECORDS_MAX];
	memset(recs, 0, sizeof recs);
	char err[160], key[32];
	snprintf(key, sizeof key, "%" PRId64, seq);
	int rc = text ? sim_stream_block_records(arn, text, len, recs, SIM_STREAM_RECORDS_MAX, &n,
						 err, sizeof err)
		      : -1;
	rc = rc ? rc : put_records(k, s, key, recs, n);
	for (size_t i = 0; i < SIM_STREAM_RECORDS_MAX; i++)
		buf_free(&recs[i]);
	free(text);
	return rc;
}

/* Deliver what is due on one stream; returns blocks delivered. */
static size_t deliver_stream(struct sim_kinesis *k, struct sim_ledger *l, struct sim_stream *s,
			     int64_t now)
{
	enum sim_stream_status st = sim_stream_status(s, now);
	if (st != SIM_STREAM_ACTIVE && st != SIM_STREAM_IMPAIRED)
		return 0;
	char arn[DELIVERY_ARN_MAX];
	stream_arn(l->name, s, arn, sizeof arn);
	if (!s->control_sent) {
		struct buf c = { 0 };
		char err[160];
		int rc = sim_stream_control_record(arn, "CREATED", &c)
				 ? -1
				 : sim_kinesis_put(k, s->kinesis_arn, "control", c.data, c.len, err,
						   sizeof err);
		buf_free(&c);
		s->error_cause = rc == 1 ? "KINESIS_STREAM_NOT_FOUND" : NULL;
		if (rc)
			return 0;
		s->control_sent = true;
	}
	size_t count = sim_journal_block_count(l->journal), done = 0;
	while ((size_t)s->next_seq < count && done < SIM_DELIVERY_BLOCKS_PER_PASS) {
		struct sim_block_info info;
		if (sim_journal_block_info(l->journal, s->next_seq, &info) != 0)
			break;
		bool in = info.time_ms >= s->start_ms && (!s->has_end || info.time_ms < s->end_ms);
		if (in) {
			int rc = deliver_block(k, l, s, arn, s->next_seq);
			if (rc == 1) {
				s->error_cause = "KINESIS_STREAM_NOT_FOUND";
				return done;
			}
			if (rc < 0)
				return done; /* try again next pass */
			done++;
		}
		s->error_cause = NULL;
		s->next_seq++;
	}
	return done;
}

size_t sim_streams_deliver(struct sim_ledgers *ls, struct sim_kinesis *k)
{
	size_t done = 0;
	int64_t now = sim_ledgers_lock(ls);
	for (size_t i = 0; i < ls->n; i++) {
		struct sim_ledger *l = ls->v[i];
		if (l->gone || l->deleted_ms)
			continue;
		for (size_t j = 0; j < l->n_streams; j++)
			done += deliver_stream(k, l, l->streams[j], now);
	}
	sim_ledgers_unlock(ls);
	return done;
}
