/*
 * job_export.c - JOB_EXPORT_START: ExportJournalToS3 of the last hour of
 * the ledger's journal (QLDB starts a range that begins before the
 * ledger's creation at its creation), with the bucket, prefix and role of
 * the request or, when the request leaves them empty, of the ledger's
 * newest export ("start another like the selected one").
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/jobs.h"

#define EXPORT_RANGE_SECONDS 3600.0 /* "the last hour" */
/* The end is a little in the past: the service refuses an end in the
 * future, and our clock may run ahead of its clock. */
#define EXPORT_END_MARGIN_SECONDS 2.0

/* The newest of the ledger's exports into *out; 0, or an api_status. */
static int newest_export(struct job_ctx *c, const char *ledger, struct qldb_journal_export *out,
			 struct api_error *err)
{
	struct qldb_export_list l = { 0 };
	int rc = qldb_list_journal_exports(c->qldb, ledger, &l, err);
	if (rc == 0 && l.n == 0)
		rc = api_error_set(err, API_ERR_CONFIG,
				   "ledger %s has no export to copy: give bucket, prefix and role",
				   ledger);
	if (rc == 0) {
		size_t best = 0;
		for (size_t i = 1; i < l.n; i++)
			if (l.items[i].created > l.items[best].created)
				best = i;
		*out = l.items[best];
	}
	qldb_export_list_free(&l);
	return rc;
}

static int export_start_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	struct qldb_export_request q;
	memset(&q, 0, sizeof q);
	if (!r->bucket[0] || !r->role_arn[0]) {
		struct qldb_journal_export e;
		int rc = newest_export(c, r->ledger, &e, err);
		if (rc)
			return rc;
		snprintf(q.bucket, sizeof q.bucket, "%s", e.bucket);
		snprintf(q.prefix, sizeof q.prefix, "%s", e.prefix);
		snprintf(q.role_arn, sizeof q.role_arn, "%s", e.role_arn);
		snprintf(q.encryption, sizeof q.encryption, "%s", e.encryption);
		snprintf(q.kms_key_arn, sizeof q.kms_key_arn, "%s", e.kms_key_arn);
		snprintf(q.output_format, sizeof q.output_format, "%s", e.output_format);
		job_line(c, JOB_LINE_NORMAL, "parameters of export %s", e.export_id);
	}
	/* what the request gives wins over the copied export's */
	if (r->bucket[0])
		snprintf(q.bucket, sizeof q.bucket, "%s", r->bucket);
	if (r->prefix[0])
		snprintf(q.prefix, sizeof q.prefix, "%s", r->prefix);
	if (r->role_arn[0])
		snprintf(q.role_arn, sizeof q.role_arn, "%s", r->role_arn);
	if (r->format[0])
		snprintf(q.output_format, sizeof q.output_format, "%s", r->format);
	q.end = (double)time(NULL) - EXPORT_END_MARGIN_SECONDS;
	q.start = q.end - EXPORT_RANGE_SECONDS;
	job_line(c, JOB_LINE_NORMAL, "bucket %s, prefix %s, format %s", q.bucket, q.prefix,
		 q.output_format[0] ? q.output_format : "ION_TEXT");
	job_publish(c, true);
	char id[QLDB_ID_LEN + 1];
	int rc = qldb_export_journal_to_s3(c->qldb, r->ledger, &q, id, err);
	if (rc)
		return rc;
	snprintf(c->st->target, sizeof c->st->target, "export %s", id);
	job_message(c, "export %s started", id);
	job_line(c, JOB_LINE_GOOD, "export %s started", id);
	return 0;
}

const struct job_type job_export_start_type = {
	.kind = JOB_EXPORT_START,
	.name = "export-start",
	.run = export_start_run,
};
