/*
 * job_stream.c - JOB_STREAM_START (StreamJournalToKinesis with the
 * request's name, role and Kinesis stream, or the ledger's newest
 * stream's when the request leaves them empty) and JOB_STREAM_CANCEL
 * (CancelJournalKinesisStream, then the stream's status as described).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/jobs.h"

static int newest_stream(struct job_ctx *c, const char *ledger, struct qldb_journal_stream *out,
			 struct api_error *err)
{
	struct qldb_stream_list l = { 0 };
	int rc = qldb_list_journal_streams(c->qldb, ledger, &l, err);
	if (rc == 0 && l.n == 0)
		rc = api_error_set(err, API_ERR_CONFIG,
				   "ledger %s has no stream to copy: give name, role and "
				   "Kinesis stream",
				   ledger);
	if (rc == 0) {
		size_t best = 0;
		for (size_t i = 1; i < l.n; i++)
			if (l.items[i].created > l.items[best].created)
				best = i;
		*out = l.items[best];
	}
	qldb_stream_list_free(&l);
	return rc;
}

static int stream_start_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	struct qldb_stream_request q;
	memset(&q, 0, sizeof q);
	q.start = (double)time(NULL);
	if (!r->stream_name[0] || !r->role_arn[0] || !r->kinesis_arn[0]) {
		struct qldb_journal_stream s;
		int rc = newest_stream(c, r->ledger, &s, err);
		if (rc)
			return rc;
		snprintf(q.stream_name, sizeof q.stream_name, "%s", s.stream_name);
		snprintf(q.role_arn, sizeof q.role_arn, "%s", s.role_arn);
		snprintf(q.kinesis_arn, sizeof q.kinesis_arn, "%s", s.kinesis_arn);
		q.aggregation = s.has_aggregation ? s.aggregation : true;
		if (s.has_start)
			q.start = s.start;
		job_line(c, JOB_LINE_NORMAL, "parameters of stream %s", s.stream_id);
	} else {
		q.aggregation = true; /* the service's default */
	}
	if (r->stream_name[0])
		snprintf(q.stream_name, sizeof q.stream_name, "%s", r->stream_name);
	if (r->role_arn[0])
		snprintf(q.role_arn, sizeof q.role_arn, "%s", r->role_arn);
	if (r->kinesis_arn[0])
		snprintf(q.kinesis_arn, sizeof q.kinesis_arn, "%s", r->kinesis_arn);
	job_line(c, JOB_LINE_NORMAL, "stream %s to %s", q.stream_name, q.kinesis_arn);
	job_publish(c, true);
	char id[QLDB_ID_LEN + 1];
	int rc = qldb_stream_journal_to_kinesis(c->qldb, r->ledger, &q, id, err);
	if (rc)
		return rc;
	snprintf(c->st->target, sizeof c->st->target, "stream %s", id);
	job_message(c, "stream %s started", id);
	job_line(c, JOB_LINE_GOOD, "stream %s started", id);
	return 0;
}

static int stream_cancel_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	snprintf(c->st->target, sizeof c->st->target, "stream %.22s", r->id);
	int rc = qldb_cancel_journal_stream(c->qldb, r->ledger, r->id, err);
	if (rc)
		return rc;
	job_message(c, "stream %s cancelled", r->id);
	struct qldb_journal_stream s;
	struct api_error e2;
	if (qldb_describe_journal_stream(c->qldb, r->ledger, r->id, &s, &e2) == 0)
		job_line(c, JOB_LINE_NORMAL, "stream %s status %s", r->id, s.status);
	else
		job_line(c, JOB_LINE_UNVERIFIED, "status not read: %s", e2.msg);
	return 0;
}

const struct job_type job_stream_start_type = {
	.kind = JOB_STREAM_START,
	.name = "stream-start",
	.run = stream_start_run,
};

const struct job_type job_stream_cancel_type = {
	.kind = JOB_STREAM_CANCEL,
	.name = "stream-cancel",
	.run = stream_cancel_run,
};
