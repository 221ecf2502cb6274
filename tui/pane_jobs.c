/* pane_jobs.c - the panes' on-demand actions (see pane_jobs.h). */
#include "tui/pane_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct job_request job_base(const struct ui *u, enum job_kind kind)
{
	struct job_request r;
	memset(&r, 0, sizeof r);
	r.kind = kind;
	snprintf(r.ledger, sizeof r.ledger, "%s", u->data.ledger);
	return r;
}

unsigned pane_jobs_digest_proof(struct ui *u)
{
	if (!u->data.ledger[0])
		return UI_HANDLED;
	struct job_request r = job_base(u, JOB_DIGEST_PROOF);
	char crumb[128];
	snprintf(crumb, sizeof crumb, "%s > digest > proof", u->data.ledger);
	state_job_push(u, &r, crumb, NULL, 0);
	return UI_HANDLED;
}

unsigned pane_jobs_block(struct ui *u, int64_t seq, const struct drill_line *preface,
			 size_t n_preface)
{
	struct job_request r = job_base(u, JOB_BLOCK_DETAIL);
	r.seq = seq;
	char crumb[128];
	snprintf(crumb, sizeof crumb, "%s > block %lld", u->data.ledger, (long long)seq);
	state_job_push(u, &r, crumb, preface, n_preface);
	return UI_HANDLED;
}

unsigned pane_jobs_verify_export(struct ui *u, const struct qldb_journal_export *x)
{
	struct job_request r = job_base(u, JOB_VERIFY_EXPORT);
	snprintf(r.id, sizeof r.id, "%s", x->export_id);
	char crumb[128];
	snprintf(crumb, sizeof crumb, "%s > exports > %s > verify", u->data.ledger, x->export_id);
	state_job_push(u, &r, crumb, NULL, 0);
	return UI_HANDLED;
}

/* After "y": queue the request the confirmation carried (taken). */
static void confirmed(struct ui *u, void *ctx)
{
	struct job_request *r = ctx;
	uint64_t id;
	ui_submit(u, r, &id);
	free(r);
}

static unsigned ask(struct ui *u, const struct job_request *r, const char *question)
{
	struct job_request *copy = malloc(sizeof *copy);
	if (!copy) {
		ui_message(u, true, "out of memory");
		return UI_HANDLED;
	}
	*copy = *r;
	state_confirm_push(u, question, confirmed, copy);
	return UI_HANDLED;
}

unsigned pane_jobs_export_like(struct ui *u, const struct qldb_journal_export *x)
{
	struct job_request r = job_base(u, JOB_EXPORT_START);
	if (x) {
		snprintf(r.bucket, sizeof r.bucket, "%s", x->bucket);
		snprintf(r.prefix, sizeof r.prefix, "%s", x->prefix);
		snprintf(r.role_arn, sizeof r.role_arn, "%s", x->role_arn);
		snprintf(r.format, sizeof r.format, "%.15s", x->output_format);
	} else if (u->set.export_bucket && u->set.export_role) {
		snprintf(r.bucket, sizeof r.bucket, "%s", u->set.export_bucket);
		snprintf(r.prefix, sizeof r.prefix, "%s/", r.ledger);
		snprintf(r.role_arn, sizeof r.role_arn, "%s", u->set.export_role);
	} else {
		ui_message(u, true,
			   "no export of %s to copy the bucket and role from; start the "
			   "first with the AWS CLI",
			   u->data.ledger[0] ? u->data.ledger : "this ledger");
		return UI_HANDLED;
	}
	char q[UI_MESSAGE_MAX];
	snprintf(q, sizeof q, "Export the last hour of %.32s to s3://%.40s/%.40s?", r.ledger,
		 r.bucket, r.prefix);
	return ask(u, &r, q);
}

unsigned pane_jobs_stream(struct ui *u, const struct qldb_journal_stream *s)
{
	if (!s) {
		ui_message(u, true,
			   "no journal stream of %s to copy; start the first with the "
			   "AWS CLI",
			   u->data.ledger[0] ? u->data.ledger : "this ledger");
		return UI_HANDLED;
	}
	char q[UI_MESSAGE_MAX];
	bool live = strcmp(s->status, "ACTIVE") == 0 || strcmp(s->status, "IMPAIRED") == 0;
	struct job_request r = job_base(u, live ? JOB_STREAM_CANCEL : JOB_STREAM_START);
	if (live) {
		snprintf(r.id, sizeof r.id, "%s", s->stream_id);
		snprintf(q, sizeof q, "Cancel journal stream %.40s of %.32s?", s->stream_name,
			 r.ledger);
	} else {
		snprintf(r.stream_name, sizeof r.stream_name, "%s", s->stream_name);
		snprintf(r.role_arn, sizeof r.role_arn, "%s", s->role_arn);
		snprintf(r.kinesis_arn, sizeof r.kinesis_arn, "%s", s->kinesis_arn);
		snprintf(q, sizeof q, "Start a journal stream of %.32s like %.40s (%s)?", r.ledger,
			 s->stream_name, s->status);
	}
	return ask(u, &r, q);
}
