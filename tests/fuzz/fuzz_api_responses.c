/*
 * fuzz_api_responses.c - libFuzzer target for every pure response parser
 * of the AWS client layer: QLDB (api/qldb.c, api/qldb_streams.c), Kinesis
 * (api/kinesis.c, GetRecords with each record's data run through the
 * journal record scan, KPL de-aggregation included), CloudWatch
 * GetMetricData (api/cloudwatch.c), S3 ListObjectsV2 and error bodies
 * (api/s3.c), and the credential answers (api/cred_http.c's
 * cred_json_take for container and IMDS JSON, api/cred_process.c's
 * cred_process_parse_output for a credential_process's stdout).
 *
 * Input: the first byte chooses the parser ('a' + index into PARSERS,
 * modulo their number); the rest is the body, copied into a buffer with a
 * NUL after it (the parsers' contract). For s3_list the body starts with
 * two lines, the request's bucket and prefix.
 *
 * Besides crashes, leaks and UBSan reports it aborts when a parser breaks
 * its contract: a refusal without a negative api_status or without a
 * one-line non-empty message; an accepted CloudWatch page whose series
 * are not sorted after finishing; an accepted S3 page whose keys are not
 * strictly increasing or outside the prefix; Kinesis shard counts over
 * their cap. FUZZ_TRACE=1 in the environment prints each input's
 * verdict (check that every seed is accepted). Seeds: tests/fuzz/corpus/fuzz_api_responses/, real
 * answers of the endpoint in sim/ (and docs/aws-api.md's shapes), one per parser.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cloudwatch.h"
#include "api/cred_source.h"
#include "api/kinesis.h"
#include "api/qldb.h"
#include "api/qldb_streams.h"
#include "api/s3.h"

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_api_responses: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

/* rc is 0, or a negative api_status with err one printable line. */
static void fuzz_check_rc(int rc, const struct api_error *err, const char *where)
{
	if (rc == 0)
		return;
	if (rc > 0 || rc < API_ERR_STOPPED || err->status != rc)
		fuzz_fail("refusal without its api_status", where);
	size_t n = strnlen(err->msg, sizeof err->msg);
	if (n == 0 || n == sizeof err->msg)
		fuzz_fail("refusal without a message", where);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)err->msg[i] < 0x20 || err->msg[i] == 0x7f)
			fuzz_fail("message is not one printable line", err->msg);
}

static int p_list_ledgers(const char *b, size_t n, struct api_error *e)
{
	struct qldb_ledger_list *l = calloc(1, sizeof *l);
	int rc = l ? qldb_parse_list_ledgers(b, n, l, e) : 0;
	if (l && !rc && l->n > QLDB_LIST_MAX)
		fuzz_fail("more ledgers than the cap", NULL);
	free(l);
	return rc;
}

static int p_describe_ledger(const char *b, size_t n, struct api_error *e)
{
	struct qldb_ledger *l = calloc(1, sizeof *l);
	int rc = l ? qldb_parse_describe_ledger(b, n, l, e) : 0;
	free(l);
	return rc;
}

static int p_get_digest(const char *b, size_t n, struct api_error *e)
{
	struct qldb_digest d;
	return qldb_parse_get_digest(b, n, &d, e);
}

static int p_digest_file(const char *b, size_t n, struct api_error *e)
{
	struct qldb_digest d;
	return qldb_parse_digest_file(b, n, &d, e);
}

static int p_proof(const char *b, size_t n, struct api_error *e)
{
	struct qldb_proof_response r;
	memset(&r, 0, sizeof r);
	int rc = qldb_parse_proof_response(b, n, &r, e);
	if (!rc && r.block_text && strlen(r.block_text) != r.block_len)
		fuzz_fail("Block.IonText length differs from its C string", NULL);
	qldb_proof_response_free(&r);
	return rc;
}

static int p_block_address(const char *b, size_t n, struct api_error *e)
{
	(void)n;
	char strand[QLDB_STRAND_MAX + 1];
	uint64_t seq;
	return qldb_parse_block_address(b, strand, sizeof strand, &seq, e);
}

static int p_list_streams(const char *b, size_t n, struct api_error *e)
{
	struct qldb_stream_list l;
	memset(&l, 0, sizeof l);
	int rc = qldb_parse_list_journal_streams(b, n, &l, e);
	for (size_t i = 0; !rc && i < l.n; i++)
		if (!qldb_id_is_valid(l.items[i].stream_id))
			fuzz_fail("accepted a StreamId that is not 22 base62", NULL);
	qldb_stream_list_free(&l);
	return rc;
}

static int p_describe_stream(const char *b, size_t n, struct api_error *e)
{
	struct qldb_journal_stream *s = calloc(1, sizeof *s);
	int rc = s ? qldb_parse_describe_journal_stream(b, n, s, e) : 0;
	free(s);
	return rc;
}

static int p_list_exports(const char *b, size_t n, struct api_error *e)
{
	struct qldb_export_list l;
	memset(&l, 0, sizeof l);
	int rc = qldb_parse_list_journal_exports(b, n, &l, e);
	qldb_export_list_free(&l);
	return rc;
}

static int p_describe_export(const char *b, size_t n, struct api_error *e)
{
	struct qldb_journal_export *x = calloc(1, sizeof *x);
	int rc = x ? qldb_parse_describe_journal_export(b, n, x, e) : 0;
	free(x);
	return rc;
}

static int p_stream_summary(const char *b, size_t n, struct api_error *e)
{
	struct kinesis_stream_summary *s = calloc(1, sizeof *s);
	int rc = s ? kinesis_parse_describe_stream_summary(b, n, s, e) : 0;
	free(s);
	return rc;
}

static int p_list_shards(const char *b, size_t n, struct api_error *e)
{
	struct kinesis_shard_list l;
	memset(&l, 0, sizeof l);
	int rc = kinesis_parse_list_shards(b, n, &l, e);
	if (!rc && l.n > KINESIS_SHARDS_MAX)
		fuzz_fail("more shards than the cap", NULL);
	/* a second page appends to the first */
	size_t first = l.n;
	if (!rc) {
		struct api_error e2;
		int rc2 = kinesis_parse_list_shards(b, n, &l, &e2);
		fuzz_check_rc(rc2, &e2, "ListShards second page");
		if (!rc2 && l.n != first * 2)
			fuzz_fail("a second page did not append", NULL);
	}
	kinesis_shard_list_free(&l);
	return rc;
}

static int p_shard_iterator(const char *b, size_t n, struct api_error *e)
{
	char it[KINESIS_ITERATOR_MAX + 1];
	return kinesis_parse_get_shard_iterator(b, n, it, sizeof it, e);
}

/* Each record's data through the journal scan, as kinesis_journal_scan
 * does; the scan's refusals are checked, never propagated. */
static int fuzz_record(void *ctx, const uint8_t *data, size_t n)
{
	size_t *seen = ctx;
	int64_t max_seq = -1;
	size_t count = 0;
	struct api_error e;
	int rc = kinesis_journal_record_scan(data, n, &max_seq, &count, &e);
	fuzz_check_rc(rc, &e, "journal record scan");
	if (!rc && max_seq < -1)
		fuzz_fail("a block sequence number below -1", NULL);
	(*seen)++;
	return 0;
}

static int p_get_records(const char *b, size_t n, struct api_error *e)
{
	size_t seen = 0, records = 0;
	char next[KINESIS_ITERATOR_MAX + 1];
	int64_t behind = 0;
	int rc = kinesis_parse_get_records(b, n, fuzz_record, &seen, &records, next, sizeof next,
					   &behind, e);
	if (!rc && seen != records)
		fuzz_fail("GetRecords counted another number of records than it handed out", NULL);
	return rc;
}

static int p_journal_record(const char *b, size_t n, struct api_error *e)
{
	int64_t max_seq = -1;
	size_t count = 0;
	return kinesis_journal_record_scan((const uint8_t *)b, n, &max_seq, &count, e);
}

static int p_stream_name(const char *b, size_t n, struct api_error *e)
{
	(void)n;
	char name[KINESIS_NAME_MAX + 1];
	int rc = kinesis_stream_name_from_arn(b, name, sizeof name, e);
	if (!rc && (!name[0] || strlen(name) > KINESIS_NAME_MAX))
		fuzz_fail("stream name out of its bounds", name);
	return rc;
}

static int p_metric_data(const char *b, size_t n, struct api_error *e)
{
	struct cw_metrics *m = calloc(1, sizeof *m);
	if (!m)
		return 0;
	int rc = cloudwatch_parse_get_metric_data(b, n, m, e);
	if (!rc) {
		struct api_error e2;
		int rc2 = cloudwatch_metrics_finish(m, &e2);
		fuzz_check_rc(rc2, &e2, "cloudwatch_metrics_finish");
		for (int s = 0; !rc2 && s < CW_METRICS_N; s++) {
			const struct cw_series *c = &m->s[s];
			if (c->n > CW_POINTS_MAX)
				fuzz_fail("more points than the cap", NULL);
			for (size_t i = 0; i < c->n; i++) {
				if (!isfinite(c->v[i]) || !isfinite(c->t[i]))
					fuzz_fail("a value or time that is not finite", NULL);
				if (i && !(c->t[i - 1] < c->t[i]))
					fuzz_fail("a series not strictly ascending", c->label);
			}
		}
	}
	free(m);
	return rc;
}

static int p_cw_time(const char *b, size_t n, struct api_error *e)
{
	(void)n;
	(void)e;
	double t;
	if (cloudwatch_parse_time(b, &t) == 0 && !isfinite(t))
		fuzz_fail("a time that is not finite", b);
	return 0;
}

static int p_s3_list(const char *b, size_t n, struct api_error *e)
{
	/* two lines first: the bucket and the prefix of the request */
	const char *nl1 = memchr(b, '\n', n);
	const char *nl2 = nl1 ? memchr(nl1 + 1, '\n', n - (size_t)(nl1 + 1 - b)) : NULL;
	if (!nl2)
		return 0;
	char *bucket = strndup(b, (size_t)(nl1 - b));
	char *prefix = strndup(nl1 + 1, (size_t)(nl2 - nl1 - 1));
	const char *xml = nl2 + 1;
	size_t len = n - (size_t)(xml - b);
	struct s3_listing l;
	memset(&l, 0, sizeof l);
	struct s3_list_page *page = calloc(1, sizeof *page);
	int rc = 0;
	if (bucket && prefix && page) {
		rc = s3_parse_list_objects_v2(xml, len, bucket, prefix, &l, page, e);
		for (size_t i = 0; !rc && i < l.n; i++) {
			size_t kl = strlen(l.items[i].key);
			if (!kl || kl > S3_KEY_MAX)
				fuzz_fail("a key out of its bounds", NULL);
			if (strncmp(l.items[i].key, prefix, strlen(prefix)) != 0)
				fuzz_fail("a key outside the prefix", l.items[i].key);
			if (i && strcmp(l.items[i - 1].key, l.items[i].key) >= 0)
				fuzz_fail("keys not strictly increasing", l.items[i].key);
		}
		if (!rc && page->truncated && !page->next_token[0])
			fuzz_fail("truncated without a continuation token", NULL);
		/* the same page again: its keys are not after the last one kept */
		if (!rc && l.n) {
			struct api_error e2;
			int rc2 = s3_parse_list_objects_v2(xml, len, bucket, prefix, &l, page, &e2);
			fuzz_check_rc(rc2, &e2, "ListObjectsV2 repeated page");
			if (rc2 == 0)
				fuzz_fail("a repeated page was accepted", NULL);
		}
	}
	s3_listing_free(&l);
	free(page);
	free(bucket);
	free(prefix);
	return rc;
}

static int p_s3_error(const char *b, size_t n, struct api_error *e)
{
	(void)e;
	/* exact-size buffers; a trailing blank (after the root element, where
	 * XML allows it) picks small caps, 0 included */
	size_t code_cap = API_ERROR_CODE_MAX, msg_cap = API_ERROR_MSG_MAX;
	if (n && b[n - 1] == ' ') {
		code_cap = n % 5;
		msg_cap = n % 7;
	}
	/* malloc(0) too: under ASan any write to it is a report */
	char *code = malloc(code_cap), *msg = malloc(msg_cap);
	if ((code || !code_cap) && (msg || !msg_cap)) {
		int rc = s3_parse_error(b, n, code, code_cap, msg, msg_cap);
		if (rc == 0 && (!code_cap || !code[0]))
			fuzz_fail("an S3 error without a code", NULL);
		if (rc != 0 && ((code_cap && code[0]) || (msg_cap && msg[0])))
			fuzz_fail("a refused S3 error body left a code or message", NULL);
	}
	free(code);
	free(msg);
	return 0;
}

static int p_s3_uri(const char *b, size_t n, struct api_error *e)
{
	(void)n;
	char bucket[S3_BUCKET_MAX + 1], prefix[S3_KEY_MAX + 1];
	return s3_uri_parse(b, bucket, sizeof bucket, prefix, sizeof prefix, e);
}

/* Keys taken from a credentials answer must be clean: what is kept can
 * go into an Authorization header. */
static void fuzz_check_creds(const struct api_creds *c)
{
	if (!c->access_key_id[0] || !c->secret_access_key[0])
		fuzz_fail("accepted credentials without a key", NULL);
	for (const char *p = c->access_key_id; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == ':')
			fuzz_fail("an access key id with a control byte or ':'", NULL);
}

static int p_cred_container(const char *b, size_t n, struct api_error *e)
{
	struct api_creds *c = calloc(1, sizeof *c);
	int rc = c ? cred_json_take(b, n, "container credentials", "Token", true, c, e) : 0;
	if (c && !rc)
		fuzz_check_creds(c);
	free(c);
	return rc;
}

static int p_cred_process(const char *b, size_t n, struct api_error *e)
{
	struct api_creds *c = calloc(1, sizeof *c);
	int rc = c ? cred_process_parse_output(b, n, "fuzz", c, e) : 0;
	if (c && !rc)
		fuzz_check_creds(c);
	free(c);
	return rc;
}

static int p_cred_time(const char *b, size_t n, struct api_error *e)
{
	(void)n;
	(void)e;
	double t;
	if (cred_time_parse(b, &t) == 0) {
		if (!isfinite(t))
			fuzz_fail("a credential expiry that is not finite", b);
		char out[64];
		cred_time_format(t, out, sizeof out);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(const char *body, size_t len, struct api_error *err);
} PARSERS[] = {
	{ "qldb_list_ledgers", p_list_ledgers },	/* a */
	{ "qldb_describe_ledger", p_describe_ledger },	/* b */
	{ "qldb_get_digest", p_get_digest },		/* c */
	{ "qldb_digest_file", p_digest_file },		/* d */
	{ "qldb_proof_response", p_proof },		/* e */
	{ "qldb_block_address", p_block_address },	/* f */
	{ "qldb_list_streams", p_list_streams },	/* g */
	{ "qldb_describe_stream", p_describe_stream },	/* h */
	{ "qldb_list_exports", p_list_exports },	/* i */
	{ "qldb_describe_export", p_describe_export },	/* j */
	{ "kinesis_stream_summary", p_stream_summary }, /* k */
	{ "kinesis_list_shards", p_list_shards },	/* l */
	{ "kinesis_shard_iterator", p_shard_iterator }, /* m */
	{ "kinesis_get_records", p_get_records },	/* n */
	{ "kinesis_journal_record", p_journal_record }, /* o */
	{ "kinesis_stream_name", p_stream_name },	/* p */
	{ "cloudwatch_metric_data", p_metric_data },	/* q */
	{ "cloudwatch_time", p_cw_time },		/* r */
	{ "s3_list", p_s3_list },			/* s */
	{ "s3_error", p_s3_error },			/* t */
	{ "s3_uri", p_s3_uri },				/* u */
	{ "cred_container_imds", p_cred_container },	/* v */
	{ "cred_process", p_cred_process },		/* w */
	{ "cred_time", p_cred_time },			/* x */
};
#define FUZZ_PARSERS (sizeof PARSERS / sizeof PARSERS[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t which = (data[0] >= 'a' ? data[0] - 'a' : data[0]) % FUZZ_PARSERS;
	size_t n = size - 1;
	char *body = malloc(n + 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, n);
	body[n] = '\0';
	struct api_error err;
	api_error_clear(&err);
	int rc = PARSERS[which].fn(body, n, &err);
	fuzz_check_rc(rc, &err, PARSERS[which].name);
	/* FUZZ_TRACE=1: say what each input did (to check that seeds pass) */
	static int trace = -1;
	if (trace < 0)
		trace = getenv("FUZZ_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "%s: %s\n", PARSERS[which].name, rc ? err.msg : "accepted");
	free(body);
	return 0;
}
