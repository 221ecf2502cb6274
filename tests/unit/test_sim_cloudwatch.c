/*
 * test_sim_cloudwatch.c - the endpoint's CloudWatch without a socket, on a
 * registry with an injected clock and a journal whose blocks the tests
 * write at known times with known revisions: GetMetricData in the query
 * form (the Debian CLI's, shared/docs/aws-api.md §4.1) and JSON 1.0
 * (§4.2), each AWS/QLDB metric against numbers the test computes from
 * what it wrote, periods and statistics, newest-first order, periods
 * without data left out, strict form decoding, every validation error
 * with its code and status, the pre-dispatch error shape, XML escaping,
 * ListMetrics, and a forked journal summarised again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cloudwatch.h"
#include "sim/cloudwatch_request.h"
#include "sim/cloudwatch_series.h"
#include "sim/http.h"
#include "sim/journal.h"
#include "sim/ledger.h"
#include "sim/metrics.h"
#include "sim/qldb_api.h"
#include "tests/lib/testutil.h"
#include "verify/buf.h"

#define CREATED 1699999800000LL /* 2023-11-14T22:10:00Z, a minute boundary */
#define CREATED_ISO "2023-11-14T22%3A10%3A00Z"
#define LEDGER "financial-ledger"
#define TABLE_ID "5PLf9SXwndd63lPaSIa0O6"
#define DOC_A "8F0TPCmdNQ6JTRpiLj2TmW"
#define DOC_B "9sLqcBg7wgn3IjzbBmAjdR"
#define FORM "application/x-www-form-urlencoded; charset=utf-8"

struct fixture {
	struct sim_ledgers ls;
	struct sim_qldb qldb;
	struct sim_cloudwatch *cw;
	struct sim_journal *j;
	int64_t now;
};

static int64_t fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[SIM_ERR_MAX];
	f->now = CREATED + 200000;
	struct sim_ledgers_config cfg = { .seed = 3, .now_ms = fake_now, .ctx = f };
	assert_int_equal(sim_ledgers_init(&f->ls, &cfg, err, sizeof err), 0);
	f->j = sim_journal_new(1, CREATED, err, sizeof err);
	assert_non_null(f->j);
	assert_int_equal(sim_ledgers_add(&f->ls, LEDGER, CREATED, f->j, err, sizeof err), 0);
	f->qldb.ledgers = &f->ls;
	f->cw = sim_cloudwatch_new(&f->ls);
	assert_non_null(f->cw);
	sim_metrics_reset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_cloudwatch_free(f->cw);
	sim_ledgers_free(&f->ls);
	sim_metrics_reset();
	free(f);
	return 0;
}

/* Commit a block at ms writing n revisions: doc ids from docs[], data
 * from data[] (NULL: a deletion). */
static void commit(struct fixture *f, int64_t ms, size_t n, const char *const *docs,
		   const char *const *data, const int64_t *versions)
{
	static const char *const stmt[] = { "UPDATE t SET a = 1" };
	struct sim_doc_write w[8];
	for (size_t i = 0; i < n; i++)
		w[i] = (struct sim_doc_write){ .table_name = "t",
					       .table_id = TABLE_ID,
					       .doc_id = docs[i],
					       .version = versions ? versions[i] : 0,
					       .data_ion = data[i] };
	struct sim_txn t = {
		.commit_ms = ms, .statements = stmt, .n_statements = 1, .writes = w, .n_writes = n
	};
	char err[SIM_ERR_MAX];
	assert_true(sim_journal_commit(f->j, &t, err, sizeof err) > 0);
}

/* n revisions of distinct documents (the same two ids alternate). */
static void commit_n(struct fixture *f, int64_t ms, size_t n)
{
	const char *docs[8], *data[8];
	for (size_t i = 0; i < n; i++) {
		docs[i] = i % 2 ? DOC_B : DOC_A;
		data[i] = "{a:1}";
	}
	commit(f, ms, n, docs, data, NULL);
}

/* --- requests ------------------------------------------------------------ */

static struct sim_response call(struct fixture *f, const char *target, const char *body)
{
	struct hdr h[] = { { "Content-Type", target ? "application/x-amz-json-1.0" : FORM },
			   { target ? "X-Amz-Target" : NULL, target },
			   { NULL, NULL } };
	struct sim_request req = { .method = "POST",
				   .path = "/",
				   .body = body,
				   .body_len = strlen(body),
				   .header = hdr_lookup,
				   .header_ctx = h };
	struct sim_response res = { 0 };
	sim_cloudwatch_handle(f->cw, &req, &res);
	assert_non_null(res.body);
	return res;
}

/* The query form of one GetMetricData query over [start, end). */
static struct sim_response get_query(struct fixture *f, const char *metric, int period,
				     const char *stat, const char *start, const char *end)
{
	char body[1024];
	snprintf(body, sizeof body,
		 "Action=GetMetricData&Version=2010-08-01"
		 "&MetricDataQueries.member.1.Id=m1"
		 "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%%2FQLDB"
		 "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=%s"
		 "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=LedgerName"
		 "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=" LEDGER
		 "&MetricDataQueries.member.1.MetricStat.Period=%d"
		 "&MetricDataQueries.member.1.MetricStat.Stat=%s&StartTime=%s&EndTime=%s",
		 metric, period, stat, start, end);
	return call(f, NULL, body);
}

/* The text of every <member> inside <tag>...</tag> of xml, joined by ','
 * ("" when the list is empty or self-closed). */
static void xml_list(const char *xml, const char *tag, char *out, size_t cap)
{
	char open[64], close[64];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	out[0] = '\0';
	const char *a = strstr(xml, open), *b = a ? strstr(a, close) : NULL;
	if (!a || !b)
		return;
	size_t o = 0;
	for (const char *p = a; (p = strstr(p, "<member>")) && p < b;) {
		p += 8;
		const char *q = strstr(p, "</member>");
		o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? "," : "", (int)(q - p), p);
	}
}

static void assert_query_error(const struct sim_response *res, unsigned status, const char *code)
{
	char want[128];
	assert_int_equal(res->status, status);
	assert_string_equal(res->content_type, "text/xml");
	snprintf(want, sizeof want, "<Error><Type>Sender</Type><Code>%s</Code><Message>", code);
	assert_non_null(strstr(res->body, "<ErrorResponse"));
	if (!strstr(res->body, want))
		fail_msg("%s lacks %s", res->body, want);
	assert_null(strstr(res->body, "<Message></Message>"));
	assert_non_null(strstr(res->body, "</Error><RequestId>"));
	snprintf(want, sizeof want, "%s;Sender", code);
	bool header = false;
	for (size_t i = 0; i < res->n_headers; i++)
		header |= strcmp(res->headers[i].name, "x-amzn-query-error") == 0 &&
			  strcmp(res->headers[i].value, want) == 0;
	assert_true(header);
}

/* --- tests ------------------------------------------------------------------ */

static void test_write_ios_sum_per_minute_newest_first_without_empty_minutes(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 10000, 2);
	commit_n(f, CREATED + 20000, 3);
	commit_n(f, CREATED + 130000, 1); /* minute 2; minute 1 has no block */
	struct sim_response res =
		get_query(f, "WriteIOs", 60, "Sum", CREATED_ISO, "2023-11-14T22%3A15%3A00Z");
	char ts[512], vs[256];
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "text/xml");
	assert_non_null(strstr(res.body, "<GetMetricDataResponse xmlns=\"http://"
					 "monitoring.amazonaws.com/doc/2010-08-01/\">"
					 "<GetMetricDataResult><MetricDataResults><member><Id>m1</"
					 "Id><Label>WriteIOs</Label>"));
	xml_list(res.body, "Timestamps", ts, sizeof ts);
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(ts, "2023-11-14T22:12:00Z,2023-11-14T22:10:00Z");
	assert_string_equal(vs, "1.0,5.0"); /* genesis (0) + 2 + 3 */
	assert_non_null(strstr(res.body, "<StatusCode>Complete</StatusCode></member>"
					 "</MetricDataResults><Messages/></GetMetricDataResult>"
					 "<ResponseMetadata><RequestId>"));
	sim_response_clear(&res);

	/* one 5-minute period: samples are the two minutes with blocks */
	const char *stats[][2] = {
		{ "Sum", "6.0" },     { "SampleCount", "2.0" }, { "Average", "3.0" },
		{ "Minimum", "1.0" }, { "Maximum", "5.0" },	{ "p50", "1.0" },
	};
	for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) {
		res = get_query(f, "WriteIOs", 300, stats[i][0], CREATED_ISO,
				"2023-11-14T22%3A15%3A00Z");
		xml_list(res.body, "Values", vs, sizeof vs);
		assert_string_equal(vs, stats[i][1]);
		xml_list(res.body, "Timestamps", ts, sizeof ts);
		assert_string_equal(ts, "2023-11-14T22:10:00Z");
		sim_response_clear(&res);
	}

	/* a window with no blocks: no points, empty lists, still Complete */
	res = get_query(f, "WriteIOs", 60, "Sum", "2023-11-14T22%3A11%3A00Z",
			"2023-11-14T22%3A12%3A00Z");
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "<Timestamps/><Values/><StatusCode>Complete"));
	sim_response_clear(&res);
}

static void test_end_time_cuts_the_last_period_to_the_millisecond(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 130000, 2);
	commit_n(f, CREATED + 150000, 4);
	/* EndTime 22:12:20 keeps the block at :10, drops the one at :30 */
	struct sim_response res = get_query(f, "WriteIOs", 60, "Sum", "2023-11-14T22%3A12%3A00Z",
					    "2023-11-14T22%3A12%3A20Z");
	char vs[64];
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "2.0");
	sim_response_clear(&res);
}

static void test_read_ios_count_the_journal_reads_answered(void **state)
{
	struct fixture *f = *state;
	struct sim_request digest = {
		.method = "POST", .path = "/ledgers/" LEDGER "/digest", .body = "", .body_len = 0
	};
	for (int i = 0; i < 3; i++) {
		struct sim_response r = { 0 };
		sim_qldb_handle(&f->qldb, &digest, &r);
		assert_int_equal(r.status, 200);
		sim_response_clear(&r);
	}
	/* a failed read (no such ledger) counts nothing */
	struct sim_request missing = {
		.method = "POST", .path = "/ledgers/nope/digest", .body = "", .body_len = 0
	};
	struct sim_response r = { 0 };
	sim_qldb_handle(&f->qldb, &missing, &r);
	assert_int_equal(r.status, 404);
	sim_response_clear(&r);
	f->now += 60000; /* the next minute */
	sim_qldb_handle(&f->qldb, &digest, &r);
	sim_response_clear(&r);

	struct sim_response res =
		get_query(f, "ReadIOs", 60, "Sum", CREATED_ISO, "2023-11-14T22%3A20%3A00Z");
	char ts[256], vs[64];
	xml_list(res.body, "Timestamps", ts, sizeof ts);
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(ts, "2023-11-14T22:14:00Z,2023-11-14T22:13:00Z");
	assert_string_equal(vs, "1.0,3.0");
	sim_response_clear(&res);
}

static void test_journal_storage_is_the_block_bytes_before_each_minute_end(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 70000, 3);
	size_t len0 = 0, len1 = 0;
	free(sim_journal_block_text(f->j, 0, &len0));
	free(sim_journal_block_text(f->j, 1, &len1));
	struct sim_response res = get_query(f, "JournalStorage", 60, "Maximum", CREATED_ISO,
					    "2023-11-14T22%3A13%3A00Z");
	char vs[128], want[128];
	xml_list(res.body, "Values", vs, sizeof vs);
	/* newest first: minutes 22:12, 22:11 (both blocks), 22:10 (genesis) */
	snprintf(want, sizeof want, "%zu.0,%zu.0,%zu.0", len0 + len1, len0 + len1, len0);
	assert_string_equal(vs, want);
	sim_response_clear(&res);
}

static void test_indexed_storage_holds_the_current_versions_only(void **state)
{
	struct fixture *f = *state;
	const char *docs[] = { DOC_A, DOC_B };
	const char *v0[] = { "{a:1}", "{b:\"xy\"}" }; /* 5 + 8 bytes */
	commit(f, CREATED + 10000, 2, docs, v0, NULL);
	const char *v1[] = { "{a:12345}" }; /* DOC_A now 9 bytes */
	const int64_t ver1[] = { 1 };
	commit(f, CREATED + 70000, 1, docs, v1, ver1);
	const char *gone[] = { NULL }; /* DOC_B deleted */
	const int64_t ver2[] = { 1 };
	commit(f, CREATED + 130000, 1, docs + 1, gone, ver2);
	struct sim_response res = get_query(f, "IndexedStorage", 60, "Maximum", CREATED_ISO,
					    "2023-11-14T22%3A13%3A00Z");
	char vs[128];
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "9.0,17.0,13.0");
	sim_response_clear(&res);
}

static void test_is_impaired_follows_the_streams(void **state)
{
	struct fixture *f = *state;
	struct sim_response res =
		get_query(f, "IsImpaired", 300, "Maximum", CREATED_ISO, "2023-11-14T22%3A15%3A00Z");
	char vs[64];
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "0.0");
	sim_response_clear(&res);
	sim_ledgers_lock(&f->ls);
	struct sim_stream *s = sim_ledger_stream_new(&f->ls, sim_ledgers_get(&f->ls, LEDGER));
	assert_non_null(s);
	s->forced_cause = "KINESIS_STREAM_NOT_FOUND";
	sim_ledgers_unlock(&f->ls);
	res = get_query(f, "IsImpaired", 300, "Maximum", CREATED_ISO, "2023-11-14T22%3A15%3A00Z");
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "1.0");
	sim_response_clear(&res);
}

static void test_command_latency_is_the_documented_formula(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 70000, 4); /* minute 22:11: 1 transaction of 4 revisions */
	struct sim_response res = get_query(f, "CommandLatency", 60, "Average",
					    "2023-11-14T22%3A11%3A00Z", "2023-11-14T22%3A12%3A00Z");
	char vs[64];
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "10.1"); /* 4 + 1.5 x 4 + 0.1 x 1 */
	sim_response_clear(&res);
}

static void test_unknown_metrics_ledgers_and_dimensions_have_no_data(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 10000, 1);
	const char *bodies[] = {
		/* another namespace */
		"Action=GetMetricData&MetricDataQueries.member.1.Id=a"
		"&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FEC2"
		"&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs"
		"&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=LedgerName"
		"&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=" LEDGER
		"&MetricDataQueries.member.1.MetricStat.Period=60"
		"&MetricDataQueries.member.1.MetricStat.Stat=Sum"
		"&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z",
		/* no dimension */
		"Action=GetMetricData&MetricDataQueries.member.1.Id=a"
		"&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FQLDB"
		"&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs"
		"&MetricDataQueries.member.1.MetricStat.Period=60"
		"&MetricDataQueries.member.1.MetricStat.Stat=Sum"
		"&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z",
		/* another ledger */
		"Action=GetMetricData&MetricDataQueries.member.1.Id=a"
		"&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FQLDB"
		"&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs"
		"&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=LedgerName"
		"&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=other"
		"&MetricDataQueries.member.1.MetricStat.Period=60"
		"&MetricDataQueries.member.1.MetricStat.Stat=Sum"
		"&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct sim_response res = call(f, NULL, bodies[i]);
		assert_int_equal(res.status, 200);
		assert_non_null(strstr(res.body, "<Timestamps/><Values/>"));
		sim_response_clear(&res);
	}
}

static void test_form_decoding_is_strict(void **state)
{
	struct fixture *f = *state;
	const struct {
		const char *body, *code;
	} cases[] = {
		{ "Action=GetMetricData&StartTime=%2G", "MalformedQueryString" },
		{ "Action=GetMetricData&Label=a%00b", "MalformedQueryString" },
		{ "Action=GetMetricData&", "MalformedQueryString" },
		{ "Action=GetMetricData&Action=ListMetrics", "MalformedQueryString" },
		{ "Action=GetMetricData&NoValue", "MalformedQueryString" },
		{ "Action=GetMetricData&Bogus=1", "InvalidParameterValue" },
		{ "Action=GetMetricData&MetricDataQueries.member.01.Id=a",
		  "InvalidParameterValue" },
		{ "Action=GetMetricData&MetricDataQueries.member.1.Nope=a",
		  "InvalidParameterValue" },
		{ "Version=2010-08-01", "MissingAction" },
		{ "Action=GetMetricStatistics", "InvalidAction" },
		{ "Action=GetMetricData&Version=2011-01-01", "InvalidAction" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sim_response res = call(f, NULL, cases[i].body);
		assert_query_error(&res, 400, cases[i].code);
		sim_response_clear(&res);
	}
	/* '+' is a space and escapes decode: the label comes back escaped */
	struct sim_response res =
		call(f, NULL,
		     "Action=GetMetricData&MetricDataQueries.member.1.Id=m1"
		     "&MetricDataQueries.member.1.Label=a+%3C%26%3E%22%27"
		     "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FQLDB"
		     "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs"
		     "&MetricDataQueries.member.1.MetricStat.Period=60"
		     "&MetricDataQueries.member.1.MetricStat.Stat=Sum"
		     "&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z");
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "<Label>a &lt;&amp;&gt;&quot;&apos;</Label>"));
	sim_response_clear(&res);
}

/* The query form with member 1's Period, Stat and Namespace as given
 * (NULL: left out) and the window. */
static struct sim_response get_with(struct fixture *f, const char *ns, const char *period,
				    const char *stat, const char *start, const char *end)
{
	char body[1024];
	int n = snprintf(body, sizeof body,
			 "Action=GetMetricData&Version=2010-08-01"
			 "&MetricDataQueries.member.1.Id=m1"
			 "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs");
	if (ns)
		n += snprintf(body + n, sizeof body - (size_t)n,
			      "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=%s", ns);
	if (period)
		n += snprintf(body + n, sizeof body - (size_t)n,
			      "&MetricDataQueries.member.1.MetricStat.Period=%s", period);
	if (stat)
		n += snprintf(body + n, sizeof body - (size_t)n,
			      "&MetricDataQueries.member.1.MetricStat.Stat=%s", stat);
	snprintf(body + n, sizeof body - (size_t)n, "&StartTime=%s&EndTime=%s", start, end);
	return call(f, NULL, body);
}

static void test_validation_errors_name_the_parameter(void **state)
{
	struct fixture *f = *state;
	const char *s = CREATED_ISO, *e = "2023-11-14T22%3A15%3A00Z";
	const struct {
		const char *ns, *period, *stat, *start, *end, *code, *names;
	} cases[] = {
		{ NULL, "60", "Sum", s, e, "MissingParameter", "Metric.Namespace" },
		{ "AWS%2FQLDB", NULL, "Sum", s, e, "MissingParameter", "MetricStat.Period" },
		{ "AWS%2FQLDB", "60", NULL, s, e, "MissingParameter", "MetricStat.Stat" },
		{ "AWS%2FQLDB", "90", "Sum", s, e, "InvalidParameterValue", "multiple of 60" },
		{ "AWS%2FQLDB", "0", "Sum", s, e, "InvalidParameterValue", "multiple of 60" },
		{ "AWS%2FQLDB", "-60", "Sum", s, e, "InvalidParameterValue", "multiple of 60" },
		{ "AWS%2FQLDB", "6x", "Sum", s, e, "InvalidParameterValue", "integer" },
		{ "AWS%2FQLDB", "60", "Median", s, e, "InvalidParameterValue", "Median" },
		{ "AWS%2FQLDB", "60", "p101", s, e, "InvalidParameterValue", "p101" },
		{ "AWS%2FQLDB", "60", "Sum", e, s, "InvalidParameterValue",
		  "StartTime must be less than" },
		{ "AWS%2FQLDB", "60", "Sum", s, s, "InvalidParameterValue",
		  "StartTime must be less than" },
		{ "AWS%2FQLDB", "60", "Sum", "yesterday", e, "InvalidParameterValue", "ISO 8601" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sim_response res = get_with(f, cases[i].ns, cases[i].period, cases[i].stat,
						   cases[i].start, cases[i].end);
		assert_query_error(&res, 400, cases[i].code);
		if (!strstr(res.body, cases[i].names))
			fail_msg("case %zu: %s lacks '%s'", i, res.body, cases[i].names);
		sim_response_clear(&res);
	}
}

static void test_query_list_limits_and_ids(void **state)
{
	struct fixture *f = *state;
	/* 501 queries: ValidationError; 500 are served */
	struct buf b = { 0 };
	for (int i = 1; i <= 501; i++)
		buf_printf(&b,
			   "MetricDataQueries.member.%d.Id=q%d"
			   "&MetricDataQueries.member.%d.MetricStat.Metric.Namespace=AWS%%2FQLDB"
			   "&MetricDataQueries.member.%d.MetricStat.Metric.MetricName=WriteIOs"
			   "&MetricDataQueries.member.%d.MetricStat.Period=60"
			   "&MetricDataQueries.member.%d.MetricStat.Stat=Sum&",
			   i, i, i, i, i, i);
	buf_append_str(&b, "Action=GetMetricData&StartTime=" CREATED_ISO
			   "&EndTime=2023-11-14T22%3A15%3A00Z");
	buf_append_byte(&b, 0);
	struct sim_response res = call(f, NULL, (const char *)b.data);
	assert_query_error(&res, 400, "ValidationError");
	assert_non_null(strstr(res.body, "500"));
	sim_response_clear(&res);
	buf_free(&b);

	const char *bad[][2] = {
		{ "Id=M1", "ValidationError" },	   /* must start lowercase */
		{ "Id=m-1", "ValidationError" },   /* letters, digits, _ */
		{ "Label=x", "MissingParameter" }, /* no Id */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char body[1024];
		snprintf(body, sizeof body,
			 "Action=GetMetricData&MetricDataQueries.member.1.%s"
			 "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%%2FQLDB"
			 "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs"
			 "&MetricDataQueries.member.1.MetricStat.Period=60"
			 "&MetricDataQueries.member.1.MetricStat.Stat=Sum"
			 "&StartTime=2023-11-14T22%%3A10%%3A00Z&EndTime=2023-11-14T22%%3A15%%3A00Z",
			 bad[i][0]);
		res = call(f, NULL, body);
		assert_query_error(&res, 400, bad[i][1]);
		sim_response_clear(&res);
	}
	/* a gap in the member numbers, and a duplicate Id */
	res = call(f, NULL,
		   "Action=GetMetricData&MetricDataQueries.member.2.Id=a"
		   "&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z");
	assert_query_error(&res, 400, "InvalidParameterValue");
	assert_non_null(strstr(res.body, "member.1 is missing"));
	sim_response_clear(&res);
	res = call(f, NULL,
		   "Action=GetMetricData&MetricDataQueries.member.1.Id=a"
		   "&MetricDataQueries.member.1.Expression=SUM(METRICS())"
		   "&MetricDataQueries.member.2.Id=a"
		   "&MetricDataQueries.member.2.Expression=SUM(METRICS())"
		   "&StartTime=" CREATED_ISO "&EndTime=2023-11-14T22%3A15%3A00Z");
	assert_query_error(&res, 400, "ValidationError");
	assert_non_null(strstr(res.body, "must be unique"));
	sim_response_clear(&res);
	res = call(f, NULL, "Action=GetMetricData&EndTime=2023-11-14T22%3A15%3A00Z");
	assert_query_error(&res, 400, "MissingParameter");
	assert_non_null(strstr(res.body, "MetricDataQueries"));
	sim_response_clear(&res);
}

static void test_json_protocol_serves_the_same_numbers(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 10000, 2);
	commit_n(f, CREATED + 130000, 1);
	struct sim_response res =
		call(f, "GraniteServiceVersion20100801.GetMetricData",
		     "{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{"
		     "\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"WriteIOs\",\"Dimensions\":[{"
		     "\"Name\":\"LedgerName\",\"Value\":\"" LEDGER "\"}]},\"Period\":60,"
		     "\"Stat\":\"Sum\"}},{\"Id\":\"hidden\",\"ReturnData\":false,\"MetricStat\":{"
		     "\"Metric\":{\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"ReadIOs\"},"
		     "\"Period\":60,\"Stat\":\"Sum\"}}],"
		     "\"StartTime\":1699999800,\"EndTime\":1700000100}");
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "application/x-amz-json-1.0");
	assert_string_equal(res.body,
			    "{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"WriteIOs\","
			    "\"Timestamps\":[1699999920,1699999800],\"Values\":[1,2],"
			    "\"StatusCode\":\"Complete\"}],\"Messages\":[]}");
	sim_response_clear(&res);

	/* ScanBy TimestampAscending and MaxDatapoints 1: the oldest, partial */
	res = call(f, "GraniteServiceVersion20100801.GetMetricData",
		   "{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{"
		   "\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"WriteIOs\",\"Dimensions\":[{"
		   "\"Name\":\"LedgerName\",\"Value\":\"" LEDGER "\"}]},\"Period\":60,"
		   "\"Stat\":\"Sum\"}}],\"ScanBy\":\"TimestampAscending\",\"MaxDatapoints\":1,"
		   "\"StartTime\":\"2023-11-14T22:10:00Z\",\"EndTime\":1700000100}");
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "\"Timestamps\":[1699999800],\"Values\":[2],"
					 "\"StatusCode\":\"PartialData\""));
	sim_response_clear(&res);

	/* errors: JSON shape, the query code in x-amzn-query-error */
	const struct {
		const char *target, *body, *type, *query;
	} errs[] = {
		{ "GraniteServiceVersion20100801.GetMetricData",
		  "{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{"
		  "\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"WriteIOs\"},\"Period\":30,"
		  "\"Stat\":\"Sum\"}}],\"StartTime\":1699999800,\"EndTime\":1700000100}",
		  "InvalidParameterValueException", "InvalidParameterValue;Sender" },
		{ "GraniteServiceVersion20100801.GetMetricData",
		  "{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{"
		  "\"MetricName\":\"WriteIOs\"},\"Period\":60,"
		  "\"Stat\":\"Sum\"}}],\"StartTime\":1699999800,\"EndTime\":1700000100}",
		  "MissingRequiredParameterException", "MissingParameter;Sender" },
		{ "GraniteServiceVersion20100801.GetMetricData", "{\"StartTime\":\"x\"",
		  "SerializationException", "SerializationException;Sender" },
		{ "GraniteServiceVersion20100801.PutMetricData", "{}", "UnknownOperationException",
		  "UnknownOperationException;Sender" },
		{ "Kinesis_20131202.ListStreams", "{}", "UnknownOperationException",
		  "UnknownOperationException;Sender" },
	};
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		res = call(f, errs[i].target, errs[i].body);
		assert_int_equal(res.status, 400);
		cJSON *o = cJSON_Parse(res.body);
		assert_non_null(o);
		char want[128];
		snprintf(want, sizeof want, "com.amazonaws.cloudwatch#%s", errs[i].type);
		assert_string_equal(cJSON_GetObjectItem(o, "__type")->valuestring, want);
		assert_true(strlen(cJSON_GetObjectItem(o, "message")->valuestring) > 10);
		cJSON_Delete(o);
		assert_string_equal(res.headers[0].name, "x-amzn-query-error");
		assert_string_equal(res.headers[0].value, errs[i].query);
		sim_response_clear(&res);
	}
}

static void test_pre_dispatch_errors_take_the_query_shape(void **state)
{
	(void)state;
	const struct {
		enum sim_error e;
		unsigned status;
		const char *code;
	} cases[] = {
		{ SIM_ERR_INVALID_SIGNATURE, 403, "SignatureDoesNotMatch" },
		{ SIM_ERR_UNRECOGNIZED_CLIENT, 403, "InvalidClientTokenId" },
		{ SIM_ERR_TOO_LARGE, 413, "RequestEntityTooLarge" },
		{ SIM_ERR_THROTTLING, 400, "Throttling" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sim_response res = { 0 };
		sim_cloudwatch_error(&res, cases[i].e, "the signature <does> not match");
		assert_query_error(&res, cases[i].status, cases[i].code);
		assert_non_null(strstr(res.body, "<Message>the signature &lt;does&gt; not "
						 "match</Message>"));
		sim_response_clear(&res);
	}
	struct sim_response res = { 0 };
	sim_cloudwatch_error(&res, SIM_ERR_INTERNAL, "boom");
	assert_int_equal(res.status, 500);
	assert_non_null(strstr(res.body, "<Type>Receiver</Type>"));
	sim_response_clear(&res);
}

static void test_list_metrics_names_each_metric_of_each_ledger(void **state)
{
	struct fixture *f = *state;
	struct sim_response res = call(f, NULL,
				       "Action=ListMetrics&Version=2010-08-01"
				       "&Namespace=AWS%2FQLDB");
	assert_int_equal(res.status, 200);
	size_t n = 0;
	for (const char *p = res.body; (p = strstr(p, "<MetricName>")); p++)
		n++;
	assert_int_equal(n, SIM_CW_METRIC_COUNT);
	assert_non_null(strstr(res.body, "<Dimensions><member><Name>LedgerName</Name>"
					 "<Value>" LEDGER "</Value></member></Dimensions>"));
	sim_response_clear(&res);
	res = call(f, "GraniteServiceVersion20100801.ListMetrics",
		   "{\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"ReadIOs\",\"Dimensions\":[{"
		   "\"Name\":\"LedgerName\",\"Value\":\"" LEDGER "\"}]}");
	assert_string_equal(
		res.body, "{\"Metrics\":[{\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"ReadIOs\","
			  "\"Dimensions\":[{\"Name\":\"LedgerName\",\"Value\":\"" LEDGER "\"}]}]}");
	sim_response_clear(&res);
	res = call(f, NULL, "Action=ListMetrics&Namespace=AWS%2FEC2");
	assert_non_null(strstr(res.body, "<Metrics></Metrics>"));
	sim_response_clear(&res);
}

static void test_a_forked_journal_is_summarised_again(void **state)
{
	struct fixture *f = *state;
	commit_n(f, CREATED + 10000, 5);
	struct sim_response res =
		get_query(f, "WriteIOs", 60, "Sum", CREATED_ISO, "2023-11-14T22%3A15%3A00Z");
	char vs[64];
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "5.0");
	sim_response_clear(&res);
	char err[SIM_ERR_MAX];
	assert_int_equal(sim_journal_fork(f->j, 0, err, sizeof err), 0);
	commit_n(f, CREATED + 20000, 2); /* the same block count, other content */
	res = get_query(f, "WriteIOs", 60, "Sum", CREATED_ISO, "2023-11-14T22%3A15%3A00Z");
	xml_list(res.body, "Values", vs, sizeof vs);
	assert_string_equal(vs, "2.0");
	sim_response_clear(&res);
}

static void test_times_parse_in_both_forms(void **state)
{
	(void)state;
	int64_t ms;
	assert_int_equal(sim_cw_time_parse("2023-11-14T22:10:00Z", &ms), 0);
	assert_int_equal(ms, CREATED);
	assert_int_equal(sim_cw_time_parse("2023-11-14T22:10:00.250Z", &ms), 0);
	assert_int_equal(ms, CREATED + 250);
	assert_int_equal(sim_cw_time_parse("2023-11-15T00:10:00+02:00", &ms), 0);
	assert_int_equal(ms, CREATED);
	assert_int_equal(sim_cw_time_parse("1699999800.5", &ms), 0);
	assert_int_equal(ms, CREATED + 500);
	const char *bad[] = { "",
			      "2023-13-01T00:00:00Z",
			      "2023-11-14 22:10:00Z",
			      "2023-11-14T22:10:00Q",
			      "2023-11-14T22:10:00.Z",
			      "12abc" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sim_cw_time_parse(bad[i], &ms), -1);
	char out[SIM_CW_TIME_MAX];
	sim_cw_time_format(CREATED, out);
	assert_string_equal(out, "2023-11-14T22:10:00Z");
	sim_cw_time_format(951782400000LL, out); /* a leap day */
	assert_string_equal(out, "2000-02-29T00:00:00Z");
}

static void test_statistics_and_percentiles(void **state)
{
	(void)state;
	struct sim_cw_stat st;
	double v[] = { 5, 1, 4, 2, 3 };
	assert_int_equal(sim_cw_stat_parse("p90", &st), 0);
	assert_true(sim_cw_stat_apply(&st, v, 5) == 5);
	assert_int_equal(sim_cw_stat_parse("p40", &st), 0);
	assert_true(sim_cw_stat_apply(&st, v, 5) == 2);
	assert_int_equal(sim_cw_stat_parse("p99.9", &st), 0);
	const char *bad[] = { "sum", "p", "p1000", "p50.", "p50.123", "P50", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sim_cw_stat_parse(bad[i], &st), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_write_ios_sum_per_minute_newest_first_without_empty_minutes),
		T(test_end_time_cuts_the_last_period_to_the_millisecond),
		T(test_read_ios_count_the_journal_reads_answered),
		T(test_journal_storage_is_the_block_bytes_before_each_minute_end),
		T(test_indexed_storage_holds_the_current_versions_only),
		T(test_is_impaired_follows_the_streams),
		T(test_command_latency_is_the_documented_formula),
		T(test_unknown_metrics_ledgers_and_dimensions_have_no_data),
		T(test_form_decoding_is_strict),
		T(test_validation_errors_name_the_parameter),
		T(test_query_list_limits_and_ids),
		T(test_json_protocol_serves_the_same_numbers),
		T(test_pre_dispatch_errors_take_the_query_shape),
		T(test_list_metrics_names_each_metric_of_each_ledger),
		T(test_a_forked_journal_is_summarised_again),
		T(test_times_parse_in_both_forms),
		T(test_statistics_and_percentiles),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
