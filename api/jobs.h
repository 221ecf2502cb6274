/*
 * jobs.h - on-demand actions of the dashboard (start an export or a
 * stream, cancel a stream, verify an export, prove the digest, check one
 * block), run off the UI thread: one worker thread takes jobs from a
 * bounded queue (JOBS_QUEUE_MAX waiting) and runs them one at a time; the
 * UI reads their state from the store slot STORE_JOBS, key "".
 *
 * Every change (queued, running, progress, a detail line, done) publishes
 * a new struct job_list whole: the worker copies the last list, updates
 * the copy and store_publish'es it, so a value a reader holds never
 * changes. Progress publishes at most every JOBS_PROGRESS_SECONDS.
 *
 * Each job kind is a table entry (struct job_type: kind, name, run) in its
 * own file (api/job_export.c, job_stream.c, job_verify.c, job_proof.c);
 * jobs.c knows none of them by what they do.
 *
 * Messages and lines are one line each and pass through log_redact (no
 * secret in any of them). A verdict of 1 (VERIFIED) is set only by a job
 * that proved its whole claim.
 *
 * Ownership: jobs_start borrows cfg and store until jobs_stop, which
 * stops the running job promptly (stop flag checked by every transfer),
 * joins the worker and frees everything; the running job ends FAILED
 * with its "...: stopped" error, and queued jobs are dropped and published
 * FAILED "stopped" (so the store must outlive jobs_stop). A published
 * struct job_list is owned by the store (free()).
 * Threads: jobs_submit from any thread; it never blocks on the network.
 */
#ifndef QLDBTOP_API_JOBS_H
#define QLDBTOP_API_JOBS_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/config.h"
#include "api/error.h"
#include "api/http.h"
#include "api/qldb.h"
#include "api/qldb_streams.h"
#include "api/store.h"

enum job_kind {
	JOB_EXPORT_START,
	JOB_STREAM_START,
	JOB_STREAM_CANCEL,
	JOB_VERIFY_EXPORT,
	JOB_DIGEST_PROOF,
	JOB_BLOCK_DETAIL,
	JOB_KIND_COUNT
};
enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED };
enum job_line_role {
	JOB_LINE_NORMAL,
	JOB_LINE_GOOD,
	JOB_LINE_BAD,
	JOB_LINE_UNVERIFIED,
	JOB_LINE_TITLE
};

struct job_request {
	enum job_kind kind;
	char ledger[QLDB_NAME_MAX + 1];
	char id[QLDB_ID_LEN + 1]; /* stream id (cancel) or export id (verify) */
	int64_t seq;		  /* block sequence number (JOB_BLOCK_DETAIL); the strand
				     comes from the digest */
	/* export start: bucket, prefix, role ARN, format, KMS; stream start:
	 * name, role ARN, Kinesis stream ARN, aggregation. When empty, taken
	 * from the most recent export / stream of the ledger ("start another
	 * like the selected one"). */
	char bucket[QLDB_BUCKET_MAX + 1], prefix[QLDB_PREFIX_MAX + 1], role_arn[QLDB_ARN_MAX + 1];
	char format[16], kinesis_arn[QLDB_ARN_MAX + 1], stream_name[QLDB_NAME_MAX + 1];
};

#define JOB_LINES_MAX 96
#define JOB_LINE_MAX 256
struct job_line {
	enum job_line_role role;
	char text[JOB_LINE_MAX];
};

struct job_status {
	uint64_t id;
	enum job_kind kind;
	enum job_state state;
	char ledger[QLDB_NAME_MAX + 1];
	char target[64];		 /* "export 7Zd...", "block 12" */
	uint64_t done, total;		 /* progress (bytes or blocks); total 0 = unknown */
	char message[API_ERROR_MSG_MAX]; /* one line: the outcome or the error (redacted) */
	int verdict; /* verify/proof jobs: 1 VERIFIED, 0 UNVERIFIED, -1 FAILED; never 1
			unless proven */
	size_t n_lines;
	struct job_line lines[JOB_LINES_MAX]; /* drill-down detail */
};

#define JOBS_KEPT 16
/* newest last; the value of STORE_JOBS, key "" */
struct job_list {
	size_t n;
	struct job_status items[JOBS_KEPT];
};

#define JOBS_QUEUE_MAX 4	   /* jobs waiting (the running one not counted) */
#define JOBS_PROGRESS_SECONDS 0.25 /* at most ~4 progress publishes a second */

struct jobs;
/* Start the worker thread. NULL with err on failure. */
struct jobs *jobs_start(const struct api_config *cfg, struct store *store, struct api_error *err);
/* Queue a job; never blocks; 0 and *id, or API_ERR_LIMIT when
 * JOBS_QUEUE_MAX are queued already, API_ERR_CONFIG for a bad kind. */
int jobs_submit(struct jobs *j, const struct job_request *r, uint64_t *id, struct api_error *err);
/* Aborts transfers promptly (stop flag), joins, frees; NULL ok. */
void jobs_stop(struct jobs *j);
/* "export-start", "stream-start", ... ("?" when out of range). */
const char *job_kind_name(enum job_kind k);

/* ---- for the job files (api/job_*.c) ---------------------------------- */

/* What a running job may touch: its own working status (published by the
 * helpers below), a QLDB client of the worker thread, the configuration
 * and the stop flag. */
struct job_ctx {
	struct jobs *jobs;
	struct job_status *st;	  /* the worker's copy; publish with job_publish */
	struct http_client *qldb; /* the worker's client (borrowed) */
	const struct api_config *cfg;
	const atomic_int *stop;
	double last_publish; /* CLOCK_MONOTONIC s */
};

/* A job kind: run returns 0 (DONE) or a negative api_status with err
 * (FAILED; err's message becomes the status message). run sets
 * st->target, st->message and st->verdict as it learns them. */
struct job_type {
	enum job_kind kind;
	const char *name;
	int (*run)(struct job_ctx *c, const struct job_request *r, struct api_error *err);
};
extern const struct job_type job_export_start_type, job_stream_start_type, job_stream_cancel_type,
	job_verify_export_type, job_digest_proof_type, job_block_detail_type;

/* Publish the working status now (force) or when JOBS_PROGRESS_SECONDS
 * have passed since the last publish. */
void job_publish(struct job_ctx *c, bool force);
/* Append a redacted detail line (dropped past JOB_LINES_MAX, and the last
 * line then says how many were dropped). */
void job_line(struct job_ctx *c, enum job_line_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set the one-line message (redacted). */
void job_message(struct job_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Pure parts, for tests: the list after queueing st (drops the oldest
 * finished job when JOBS_KEPT are kept; active ones are never dropped,
 * and at most JOBS_QUEUE_MAX + 1 are active), and after replacing the
 * item with st->id. Return 0, or -1 when st does not fit / is not there. */
int job_list_add(struct job_list *l, const struct job_status *st);
int job_list_update(struct job_list *l, const struct job_status *st);

#endif
