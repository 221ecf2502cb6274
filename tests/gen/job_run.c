/*
 * job_run.c - drive one api/jobs.h job against an endpoint, for
 * tests/integration/api_jobs.sh: submit it, wait for DONE or FAILED, and
 * print the job's status as JSON lines (the status, then one line per
 * detail line). Keys come from the AWS_* environment.
 *
 *   job_run --endpoint-url URL KIND LEDGER [--id ID] [--seq N] [--bucket B]
 *           [--prefix P] [--role ARN] [--format F] [--kinesis-arn ARN]
 *           [--stream-name N] [--stop-after SECONDS]
 *   job_run --endpoint-url URL export-status LEDGER ID
 *   job_run --endpoint-url URL stream-status LEDGER ID
 *
 * KIND is a job_kind_name. --stop-after calls jobs_stop that long after
 * the submit and prints {"stopped":true,"seconds":S} (how long jobs_stop
 * took). Exit 0 DONE, 1 FAILED, 2 usage or setup error.
 */
#include <cjson/cJSON.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/jobs.h"

#define WAIT_SECONDS 120 /* a job that takes longer is a hang */

static int usage(const char *why)
{
	fprintf(stderr, "job_run: %s\n", why);
	return 2;
}

static void print_status(const struct job_status *st)
{
	static const char *const STATES[] = { "QUEUED", "RUNNING", "DONE", "FAILED" };
	static const char *const ROLES[] = { "normal", "good", "bad", "unverified", "title" };
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)st->id);
	cJSON_AddStringToObject(o, "kind", job_kind_name(st->kind));
	cJSON_AddStringToObject(o, "state", STATES[st->state]);
	cJSON_AddStringToObject(o, "ledger", st->ledger);
	cJSON_AddStringToObject(o, "target", st->target);
	cJSON_AddNumberToObject(o, "done", (double)st->done);
	cJSON_AddNumberToObject(o, "total", (double)st->total);
	cJSON_AddStringToObject(o, "message", st->message);
	cJSON_AddNumberToObject(o, "verdict", st->verdict);
	cJSON_AddNumberToObject(o, "lines", (double)st->n_lines);
	char *s = cJSON_PrintUnformatted(o);
	puts(s);
	free(s);
	cJSON_Delete(o);
	for (size_t i = 0; i < st->n_lines; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role", ROLES[st->lines[i].role]);
		cJSON_AddStringToObject(o, "text", st->lines[i].text);
		s = cJSON_PrintUnformatted(o);
		puts(s);
		free(s);
		cJSON_Delete(o);
	}
}

/* The status of an export or stream, through the existing describe calls. */
static int describe(const struct api_config *cfg, const char *what, const char *ledger,
		    const char *id)
{
	struct api_error err;
	struct http_client *c = http_client_new(cfg, "qldb", NULL, &err);
	if (!c)
		return usage(err.msg);
	int rc;
	if (strcmp(what, "export-status") == 0) {
		struct qldb_journal_export e;
		rc = qldb_describe_journal_export(c, ledger, id, &e, &err);
		if (!rc)
			puts(e.status);
	} else {
		struct qldb_journal_stream s;
		rc = qldb_describe_journal_stream(c, ledger, id, &s, &err);
		if (!rc)
			puts(s.status);
	}
	http_client_free(c);
	if (rc)
		fprintf(stderr, "job_run: %s\n", err.msg);
	return rc ? 1 : 0;
}

static bool opt(char **argv, int i, const char *name, char *dst, size_t cap)
{
	if (strcmp(argv[i], name) != 0)
		return false;
	snprintf(dst, cap, "%s", argv[i + 1]);
	return true;
}

int main(int argc, char **argv)
{
	struct api_config_overrides ov = { 0 };
	if (argc < 5 || strcmp(argv[1], "--endpoint-url") != 0)
		return usage("usage: job_run --endpoint-url URL KIND LEDGER [options]");
	ov.endpoint_url = argv[2];
	const char *kind = argv[3];
	struct job_request r;
	memset(&r, 0, sizeof r);
	snprintf(r.ledger, sizeof r.ledger, "%s", argv[4]);
	double stop_after = -1;
	char num[32];
	bool status_of = strcmp(kind, "export-status") == 0 || strcmp(kind, "stream-status") == 0;
	for (int i = status_of ? argc : 5; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage("an option without its value");
		if (opt(argv, i, "--id", r.id, sizeof r.id) ||
		    opt(argv, i, "--bucket", r.bucket, sizeof r.bucket) ||
		    opt(argv, i, "--prefix", r.prefix, sizeof r.prefix) ||
		    opt(argv, i, "--role", r.role_arn, sizeof r.role_arn) ||
		    opt(argv, i, "--format", r.format, sizeof r.format) ||
		    opt(argv, i, "--kinesis-arn", r.kinesis_arn, sizeof r.kinesis_arn) ||
		    opt(argv, i, "--stream-name", r.stream_name, sizeof r.stream_name))
			continue;
		if (opt(argv, i, "--seq", num, sizeof num))
			r.seq = strtoll(num, NULL, 10);
		else if (opt(argv, i, "--stop-after", num, sizeof num))
			stop_after = strtod(num, NULL);
		else
			return usage("unknown option");
	}
	struct api_config cfg;
	struct api_error err;
	if (api_config_resolve(&cfg, &ov, NULL, &err))
		return usage(err.msg);
	if (http_global_init())
		return usage("cannot initialise libcurl");
	if (status_of)
		return argc == 6 ? describe(&cfg, kind, r.ledger, argv[5])
				 : usage("give LEDGER ID");
	r.kind = JOB_KIND_COUNT;
	for (int k = 0; k < JOB_KIND_COUNT; k++)
		if (strcmp(kind, job_kind_name((enum job_kind)k)) == 0)
			r.kind = (enum job_kind)k;
	if (r.kind == JOB_KIND_COUNT)
		return usage("unknown job kind");
	struct store *st = store_new();
	struct jobs *j = st ? jobs_start(&cfg, st, &err) : NULL;
	if (!j)
		return usage(st ? err.msg : "cannot create the store");
	uint64_t id;
	if (jobs_submit(j, &r, &id, &err))
		return usage(err.msg);
	double t0 = store_now_mono();
	int status = 2;
	while (store_now_mono() - t0 < WAIT_SECONDS) {
		if (stop_after >= 0 && store_now_mono() - t0 >= stop_after) {
			double s0 = store_now_mono();
			jobs_stop(j);
			j = NULL;
			printf("{\"stopped\":true,\"seconds\":%.3f}\n", store_now_mono() - s0);
			status = 0;
			break;
		}
		struct pollfd p = { .fd = store_wake_fd(st), .events = POLLIN };
		poll(&p, 1, 100);
		store_wake_drain(st);
		struct store_entry e;
		store_read(st, "", STORE_JOBS, &e);
		const struct job_list *l = e.data;
		for (size_t i = 0; l && i < l->n; i++)
			if (l->items[i].id == id &&
			    (l->items[i].state == JOB_DONE || l->items[i].state == JOB_FAILED)) {
				print_status(&l->items[i]);
				status = l->items[i].state == JOB_DONE ? 0 : 1;
			}
		store_entry_release(&e);
		if (status != 2)
			break;
	}
	if (status == 2)
		fprintf(stderr, "job_run: the job did not finish within %d s\n", WAIT_SECONDS);
	jobs_stop(j);
	store_free(st);
	api_config_wipe(&cfg);
	return status;
}
