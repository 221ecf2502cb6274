/*
 * recipe.c - the recipe's resources (see recipe.h), each made by a request
 * to the service that owns it.
 */
#include "sim/recipe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim/fail.h"
#include "sim/ledger.h"

/* Headers of a synthetic request: a NULL-terminated name/value list. */
static const char *header_of(void *ctx, const char *name)
{
	const char *const *h = ctx;
	for (; h && h[0]; h += 2)
		if (strcasecmp(h[0], name) == 0)
			return h[1];
	return NULL;
}

typedef void (*handle_fn)(void *svc, const struct sim_request *req, struct sim_response *res);

static int call(handle_fn fn, void *svc, const char *method, const char *path,
		const char *const *headers, const char *body, const char *region, const char *step,
		char *err, size_t cap)
{
	struct sim_request req = { .method = method,
				   .path = path,
				   .body = body,
				   .body_len = body ? strlen(body) : 0,
				   .region = region,
				   .header = header_of,
				   .header_ctx = (void *)headers };
	struct sim_response res = { 0 };
	fn(svc, &req, &res);
	int ok = res.status >= 200 && res.status < 300;
	if (!ok)
		sim_fail(err, cap, "--recipe: %s: %u %.*s", step, res.status,
			 (int)(res.body_len > 160 ? 160 : res.body_len), res.body ? res.body : "");
	sim_response_clear(&res);
	return ok ? 0 : -1;
}

static void qldb_fn(void *svc, const struct sim_request *req, struct sim_response *res)
{
	sim_qldb_handle(svc, req, res);
}

static void kinesis_fn(void *svc, const struct sim_request *req, struct sim_response *res)
{
	sim_kinesis_handle(svc, req, res);
}

static void s3_fn(void *svc, const struct sim_request *req, struct sim_response *res)
{
	sim_s3_handle(svc, req, res);
}

int sim_recipe_setup(struct sim_qldb *q, struct sim_kinesis *k, struct sim_s3 *s3,
		     const char *region, char *err, size_t cap)
{
	static const char *const KINESIS[] = { "X-Amz-Target", "Kinesis_20131202.CreateStream",
					       "Content-Type", "application/x-amz-json-1.1", NULL };
	static const char *const S3[] = { "x-amz-content-sha256", "UNSIGNED-PAYLOAD", NULL };
	static const char *const JSON[] = { "Content-Type", "application/json", NULL };
	char body[1024];
	if (call(kinesis_fn, k, "POST", "/", KINESIS,
		 "{\"StreamName\":\"" SIM_RECIPE_KINESIS_STREAM "\",\"ShardCount\":1}", region,
		 "Kinesis CreateStream", err, cap) ||
	    call(s3_fn, s3, "PUT", "/" SIM_RECIPE_BUCKET, S3, NULL, region, "S3 CreateBucket", err,
		 cap))
		return -1;
	/* as the stack's DependsOn does: the journal stream is made once its
	 * target is ACTIVE, so it never starts IMPAIRED (KINESIS_STREAM_NOT_FOUND) */
	for (int i = 0; i < 250 && !sim_kinesis_stream_active(k, SIM_RECIPE_KINESIS_STREAM); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000000L }, NULL);
	snprintf(body, sizeof body,
		 "{\"RoleArn\":\"" SIM_RECIPE_STREAM_ROLE "\",\"InclusiveStartTime\":0,"
		 "\"KinesisConfiguration\":{\"StreamArn\":\"arn:aws:kinesis:%s:" SIM_DEMO_ACCOUNT
		 ":stream/" SIM_RECIPE_KINESIS_STREAM "\",\"AggregationEnabled\":true},"
		 "\"StreamName\":\"" SIM_RECIPE_JOURNAL_STREAM "\"}",
		 region);
	return call(qldb_fn, q, "POST", "/ledgers/" SIM_DEMO_LEDGER "/journal-kinesis-streams",
		    JSON, body, region, "QLDB StreamJournalToKinesis", err, cap);
}
