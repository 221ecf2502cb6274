/*
 * svc_probe.c - qldbtop's own service clients (api/kinesis.h,
 * api/cloudwatch.h, api/s3.h, api/qldb_streams.h) driven from the shell,
 * so integration tests can point them at real third-party peers
 * (kinesalite, s3rver) and at `qldbtop serve`, and compare with the AWS
 * CLI. Prints one "key: value" per line; exits 0, or 2 with one line on
 * stderr (the api_error message; never a secret).
 *
 *   svc_probe [--endpoint-url URL] [--region R] COMMAND ARGS...
 *     kinesis-summary STREAM       DescribeStreamSummary
 *     kinesis-shards STREAM        ListShards (all pages)
 *     kinesis-scan STREAM [CALLS [TIP]]  highest BLOCK_SUMMARY sequence
 *                                  number; with TIP, the lag in blocks
 *     kinesis-arn ARN              the stream name of an ARN
 *     cloudwatch LEDGER SECONDS    GetMetricData over the last SECONDS
 *     streams LEDGER               ListJournalKinesisStreamsForLedger
 *     stream LEDGER ID             DescribeJournalKinesisStream
 *     exports LEDGER               ListJournalS3ExportsForLedger
 *     export LEDGER ID             DescribeJournalS3Export
 *     s3-list s3://BUCKET/PREFIX   ListObjectsV2 (all pages): key and size
 *     s3-get s3://BUCKET/KEY       the object on stdout, by ranges
 * Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/cloudwatch.h"
#include "api/http.h"
#include "api/kinesis.h"
#include "api/qldb_streams.h"
#include "api/s3.h"

static int fail(const struct api_error *err)
{
	fprintf(stderr, "svc_probe: %s\n", err->msg);
	return 2;
}

static void print_stream(const struct qldb_journal_stream *s)
{
	printf("stream: %s name %s status %s kinesis %s aggregation %s error %s start %.0f "
	       "end %s\n",
	       s->stream_id, s->stream_name, s->status, s->kinesis_arn,
	       s->has_aggregation ? (s->aggregation ? "true" : "false") : "-",
	       s->error_cause[0] ? s->error_cause : "-", s->start, s->has_end ? "set" : "-");
}

static void print_export(const struct qldb_journal_export *e)
{
	printf("export: %s status %s bucket %s prefix \"%s\" encryption %s format %s start %.0f "
	       "end %.0f\n",
	       e->export_id, e->status, e->bucket, e->prefix, e->encryption,
	       e->output_format[0] ? e->output_format : "-", e->start, e->end);
}

static int run_kinesis(const struct api_config *cfg, const char *cmd, int argc, char **argv)
{
	struct api_error err;
	if (strcmp(cmd, "kinesis-arn") == 0) {
		char name[KINESIS_NAME_MAX + 1];
		if (kinesis_stream_name_from_arn(argv[0], name, sizeof name, &err))
			return fail(&err);
		printf("name: %s\n", name);
		return 0;
	}
	struct kinesis_client *c = kinesis_client_new(cfg, NULL, &err);
	if (!c)
		return fail(&err);
	int rc = 0;
	if (strcmp(cmd, "kinesis-summary") == 0) {
		struct kinesis_stream_summary s;
		rc = kinesis_describe_stream_summary(c, argv[0], &s, &err);
		if (!rc)
			printf("name: %s\narn: %s\nstatus: %s\nretention: %" PRIu64
			       "\nopen shards: %" PRIu64 "\nmode: %s\nencryption: %s\n",
			       s.name, s.arn, s.status, s.retention_hours, s.open_shards,
			       s.mode[0] ? s.mode : "-", s.encryption[0] ? s.encryption : "-");
	} else if (strcmp(cmd, "kinesis-shards") == 0) {
		struct kinesis_shard_list l = { 0 };
		rc = kinesis_list_shards(c, argv[0], &l, &err);
		if (!rc) {
			printf("shards: %zu\n", l.n);
			for (size_t i = 0; i < l.n; i++)
				printf("shard: %s %s %s..%s\n", l.items[i].id,
				       l.items[i].open ? "open" : "closed", l.items[i].start_hash,
				       l.items[i].end_hash);
		}
		kinesis_shard_list_free(&l);
	} else if (strcmp(cmd, "kinesis-scan") == 0) {
		struct kinesis_journal_scan s;
		unsigned calls = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
		rc = kinesis_journal_scan(c, argv[0], 0, calls, &s, &err);
		if (!rc)
			printf("max seq: %" PRId64 "\nrecords: %" PRIu64
			       "\ncalls: %u\ncomplete: %s\n",
			       s.max_seq, s.records, s.calls, s.complete ? "yes" : "no");
		if (!rc && argc > 2)
			printf("lag: %" PRId64 "\n",
			       kinesis_lag_blocks(strtoull(argv[2], NULL, 10), &s));
	} else {
		fprintf(stderr, "svc_probe: unknown command %s\n", cmd);
		kinesis_client_free(c);
		return 2;
	}
	kinesis_client_free(c);
	return rc ? fail(&err) : 0;
}

static int run_s3(const struct api_config *cfg, const char *cmd, const char *uri)
{
	struct api_error err;
	char bucket[S3_BUCKET_MAX + 1], key[S3_KEY_MAX + 1];
	if (s3_uri_parse(uri, bucket, sizeof bucket, key, sizeof key, &err))
		return fail(&err);
	struct s3_client *c = s3_client_new(cfg, NULL, &err);
	if (!c)
		return fail(&err);
	int rc = 0;
	if (strcmp(cmd, "s3-list") == 0) {
		struct s3_listing l = { 0 };
		rc = s3_list_objects(c, bucket, key, &l, &err);
		if (!rc) {
			printf("keys: %zu\n", l.n);
			for (size_t i = 0; i < l.n; i++)
				printf("key: %s %" PRIu64 "\n", l.items[i].key, l.items[i].size);
		}
		s3_listing_free(&l);
	} else {
		/* the listing gives the size; the reader checks it stays so */
		struct s3_listing l = { 0 };
		rc = s3_list_objects(c, bucket, key, &l, &err);
		const struct s3_object *o = NULL;
		for (size_t i = 0; !rc && i < l.n; i++)
			if (strcmp(l.items[i].key, key) == 0)
				o = &l.items[i];
		if (!rc && !o)
			rc = api_error_set(&err, API_ERR_SERVICE, "s3://%s/%s: no such key", bucket,
					   key);
		if (!rc) {
			struct s3_reader r;
			s3_reader_init(&r, c, bucket, key, o->size);
			uint8_t buf[65536];
			ssize_t n;
			while ((n = s3_reader_read(&r, buf, sizeof buf)) > 0)
				fwrite(buf, 1, (size_t)n, stdout);
			if (n < 0) {
				err = r.err;
				rc = err.status;
			}
			s3_reader_free(&r);
		}
		s3_listing_free(&l);
	}
	s3_client_free(c);
	return rc ? fail(&err) : 0;
}

static int run_http(const struct api_config *cfg, const char *cmd, int argc, char **argv)
{
	struct api_error err;
	bool cw = strcmp(cmd, "cloudwatch") == 0;
	struct http_client *c = http_client_new(cfg, cw ? "monitoring" : "qldb", NULL, &err);
	if (!c)
		return fail(&err);
	int rc = 0;
	if (cw) {
		struct cw_metrics *m = calloc(1, sizeof *m);
		double now = (double)time(NULL);
		double span = argc > 1 ? strtod(argv[1], NULL) : 3600;
		rc = m ? cloudwatch_get_metric_data(c, argv[0], now - span, now, 60, m, &err)
		       : api_error_set(&err, API_ERR_NOMEM, "out of memory");
		for (int k = 0; !rc && k < CW_METRICS_N; k++) {
			const struct cw_series *s = &m->s[k];
			printf("metric: %s status %s points %zu", CW_METRICS[k].name,
			       s->present ? s->status : "absent", s->n);
			if (s->n)
				printf(" last %.0f %g", s->t[s->n - 1], s->v[s->n - 1]);
			putchar('\n');
		}
		free(m);
	} else if (strcmp(cmd, "streams") == 0) {
		struct qldb_stream_list l = { 0 };
		rc = qldb_list_journal_streams(c, argv[0], &l, &err);
		if (!rc) {
			printf("streams: %zu\n", l.n);
			for (size_t i = 0; i < l.n; i++)
				print_stream(&l.items[i]);
		}
		qldb_stream_list_free(&l);
	} else if (strcmp(cmd, "exports") == 0) {
		struct qldb_export_list l = { 0 };
		rc = qldb_list_journal_exports(c, argv[0], &l, &err);
		if (!rc) {
			printf("exports: %zu\n", l.n);
			for (size_t i = 0; i < l.n; i++)
				print_export(&l.items[i]);
		}
		qldb_export_list_free(&l);
	} else if (strcmp(cmd, "stream") == 0 && argc > 1) {
		struct qldb_journal_stream s;
		if (!(rc = qldb_describe_journal_stream(c, argv[0], argv[1], &s, &err)))
			print_stream(&s);
	} else if (strcmp(cmd, "export") == 0 && argc > 1) {
		struct qldb_journal_export e;
		if (!(rc = qldb_describe_journal_export(c, argv[0], argv[1], &e, &err)))
			print_export(&e);
	} else {
		fprintf(stderr, "svc_probe: unknown command or missing argument: %s\n", cmd);
		http_client_free(c);
		return 2;
	}
	http_client_free(c);
	return rc ? fail(&err) : 0;
}

int main(int argc, char **argv)
{
	struct api_config_overrides ov = { 0 };
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--endpoint-url") == 0)
			ov.endpoint_url = argv[i + 1];
		else if (strcmp(argv[i], "--region") == 0)
			ov.region = argv[i + 1];
		else
			break;
	}
	if (argc - i < 2) {
		fprintf(stderr,
			"usage: svc_probe [--endpoint-url URL] [--region R] COMMAND ARG...\n");
		return 2;
	}
	const char *cmd = argv[i];
	struct api_config cfg;
	struct api_error err;
	bool s3 = strncmp(cmd, "s3-", 3) == 0;
	if (api_config_resolve(&cfg, &ov, NULL, &err))
		return fail(&err);
	if (http_global_init()) {
		fprintf(stderr, "svc_probe: cannot initialise libcurl\n");
		return 2;
	}
	int rc = s3 ? run_s3(&cfg, cmd, argv[i + 1])
		 : strncmp(cmd, "kinesis-", 8) == 0
			 ? run_kinesis(&cfg, cmd, argc - i - 1, argv + i + 1)
			 : run_http(&cfg, cmd, argc - i - 1, argv + i + 1);
	api_config_wipe(&cfg);
	http_global_cleanup();
	return rc;
}
