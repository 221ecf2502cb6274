/*
 * test_api_cloudwatch.c - GetMetricData in the query protocol
 * (api/cloudwatch.h): the form body holds what docs/aws-api.md §4.1 shows
 * the Debian CLI sending; the documented XML reply parses into a series;
 * pages merge and sort oldest first; and bad replies are refused: counts
 * that differ, an Id not asked for or repeated, impossible dates, values
 * that are not finite decimals, an unknown StatusCode, an ErrorResponse,
 * a DOCTYPE, more points than the cap, two values at one time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cloudwatch.h"

/* The reply of docs/aws-api.md §4.1, which the Debian CLI parsed. */
static const char DOC_REPLY[] =
	"<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
	"<GetMetricDataResult><MetricDataResults><member><Id>m0</Id><Label>ReadIOs</Label>"
	"<Timestamps><member>2023-01-01T00:55:00Z</member></Timestamps><Values><member>12.0"
	"</member></Values><StatusCode>Complete</StatusCode></member></MetricDataResults>"
	"<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>r</RequestId>"
	"</ResponseMetadata></GetMetricDataResponse>";

static void test_query_body_is_the_documented_form(void **state)
{
	(void)state;
	char body[CW_BODY_MAX];
	/* 2023-01-01T00:00:00Z .. 01:00:00Z */
	int n = cloudwatch_query_body("x", 1672531200, 1672534800, 300, NULL, body, sizeof body);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(body));
	static const char *const want[] = {
		"Action=GetMetricData&Version=2010-08-01&",
		"&MetricDataQueries.member.1.Id=m0&",
		"&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FQLDB&",
		"&MetricDataQueries.member.1.MetricStat.Metric.MetricName=ReadIOs&",
		("&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name="
		 "LedgerName&"),
		"&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=x&",
		"&MetricDataQueries.member.1.MetricStat.Period=300&",
		"&MetricDataQueries.member.1.MetricStat.Stat=Sum&",
		"&MetricDataQueries.member.6.MetricStat.Metric.MetricName=IsImpaired&",
		"&StartTime=2023-01-01T00%3A00%3A00Z&EndTime=2023-01-01T01%3A00%3A00Z",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!strstr(body, want[i]))
			fail_msg("body lacks %s: %s", want[i], body);
	assert_null(strstr(body, "NextToken"));
	n = cloudwatch_query_body("x", 1672531200, 1672534800, 300, "a+b/c=", body, sizeof body);
	assert_true(n > 0);
	assert_non_null(strstr(body, "&NextToken=a%2Bb%2Fc%3D"));
	/* bad inputs: no body */
	assert_int_equal(cloudwatch_query_body("a/b", 0, 60, 60, NULL, body, sizeof body), -1);
	assert_int_equal(cloudwatch_query_body("x", 0, 60, 61, NULL, body, sizeof body), -1);
	assert_int_equal(cloudwatch_query_body("x", 60, 60, 60, NULL, body, sizeof body), -1);
	assert_int_equal(cloudwatch_query_body("x", 0, 60, 60, NULL, body, 100), -1);
}

static void test_documented_reply_parses_into_a_series(void **state)
{
	(void)state;
	struct cw_metrics *m = calloc(1, sizeof *m);
	struct api_error e;
	assert_int_equal(cloudwatch_parse_get_metric_data(DOC_REPLY, strlen(DOC_REPLY), m, &e), 0);
	assert_int_equal(cloudwatch_metrics_finish(m, &e), 0);
	const struct cw_series *s = &m->s[CW_READ_IOS];
	assert_true(s->present);
	assert_string_equal(s->label, "ReadIOs");
	assert_string_equal(s->status, "Complete");
	assert_int_equal(s->n, 1);
	assert_float_equal(s->t[0], 1672534500, 1e-9); /* 2023-01-01T00:55:00Z */
	assert_float_equal(s->v[0], 12.0, 1e-12);
	assert_false(m->s[CW_WRITE_IOS].present);
	assert_string_equal(m->next_token, "");
	free(m);
}

#define RESP(results, extra)                                                                       \
	"<GetMetricDataResponse><GetMetricDataResult><MetricDataResults>" results                  \
	"</MetricDataResults>" extra "</GetMetricDataResult></GetMetricDataResponse>"
#define RES(id, ts, vs, st)                                                                        \
	"<member><Id>" id "</Id><Label>L</Label><Timestamps>" ts "</Timestamps><Values>" vs        \
	"</Values><StatusCode>" st "</StatusCode></member>"
#define M(x) "<member>" x "</member>"

static void test_pages_merge_and_sort_oldest_first(void **state)
{
	(void)state;
	/* newest first, as CloudWatch answers by default, over two pages */
	static const char P1[] =
		RESP(RES("m1", M("2023-01-01T00:03:00Z") M("2023-01-01T00:02:00.500Z"),
			 M("3") M("2.5"), "PartialData"),
		     "<NextToken>tok-1</NextToken>");
	static const char P2[] =
		RESP(RES("m1", M("2023-01-01T00:01:00Z"), M("-1e3"), "Complete"), "");
	struct cw_metrics *m = calloc(1, sizeof *m);
	struct api_error e;
	assert_int_equal(cloudwatch_parse_get_metric_data(P1, strlen(P1), m, &e), 0);
	assert_string_equal(m->next_token, "tok-1");
	assert_int_equal(cloudwatch_parse_get_metric_data(P2, strlen(P2), m, &e), 0);
	assert_string_equal(m->next_token, "");
	assert_int_equal(cloudwatch_metrics_finish(m, &e), 0);
	const struct cw_series *s = &m->s[CW_WRITE_IOS];
	assert_int_equal(s->n, 3);
	assert_float_equal(s->t[0], 1672531260, 1e-9);
	assert_float_equal(s->v[0], -1000, 1e-9);
	assert_float_equal(s->t[1], 1672531320.5, 1e-9);
	assert_float_equal(s->v[1], 2.5, 1e-9);
	assert_float_equal(s->t[2], 1672531380, 1e-9);
	assert_string_equal(s->status, "Complete"); /* the last page's */
	/* the same time twice across pages: which value is meant? */
	assert_int_equal(cloudwatch_parse_get_metric_data(P2, strlen(P2), m, &e), 0);
	assert_int_equal(cloudwatch_metrics_finish(m, &e), API_ERR_PARSE);
	assert_non_null(strstr(e.msg, "WriteIOs has two values at one time"));
	free(m);
}

static void expect_bad(const char *xml, const char *needle)
{
	struct cw_metrics *m = calloc(1, sizeof *m);
	struct api_error e;
	assert_int_equal(cloudwatch_parse_get_metric_data(DOC_REPLY, strlen(DOC_REPLY), m, &e), 0);
	int rc = cloudwatch_parse_get_metric_data(xml, strlen(xml), m, &e);
	if (rc == 0 || !strstr(e.msg, needle))
		fail_msg("%s: rc %d \"%s\", want \"%s\"", xml, rc, e.msg, needle);
	/* the page before is kept as it was */
	assert_int_equal(m->s[CW_READ_IOS].n, 1);
	for (int k = 1; k < CW_METRICS_N; k++)
		assert_int_equal(m->s[k].n, 0);
	free(m);
}

static void test_bad_replies_are_refused(void **state)
{
	(void)state;
	expect_bad(RESP(RES("m2", M("2023-01-01T00:01:00Z") M("2023-01-01T00:02:00Z"), M("1"),
			    "Complete"),
			""),
		   "2 timestamps but 1 values");
	expect_bad(RESP(RES("m9", "", "", "Complete"), ""), "was not asked for");
	expect_bad(RESP(RES("q1", "", "", "Complete"), ""), "was not asked for");
	expect_bad(RESP(RES("m2", "", "", "Complete") RES("m2", "", "", "Complete"), ""),
		   "appears twice");
	expect_bad(RESP(RES("m2", M("2023-02-31T00:00:00Z"), M("1"), "Complete"), ""), "ISO 8601");
	expect_bad(RESP(RES("m2", M("2023-01-01 00:00:00"), M("1"), "Complete"), ""), "ISO 8601");
	expect_bad(RESP(RES("m2", M("2023-01-01T00:00:00+01:00"), M("1"), "Complete"), ""),
		   "ISO 8601");
	expect_bad(RESP(RES("m2", M("2023-01-01T00:00:00Z"), M("nan"), "Complete"), ""),
		   "not a value");
	expect_bad(RESP(RES("m2", M("2023-01-01T00:00:00Z"), M("1e999"), "Complete"), ""),
		   "not a value");
	expect_bad(RESP(RES("m2", M("2023-01-01T00:00:00Z"), M("0x10"), "Complete"), ""),
		   "not a value");
	expect_bad(RESP(RES("m2", M("2023-01-01T00:00:00Z"), M(" 1"), "Complete"), ""),
		   "not a value");
	expect_bad(RESP(RES("m2", "", "", "Done"), ""), "StatusCode is not a known value");
	expect_bad(
		RESP("<member><Id>m2</Id><Values/><StatusCode>Complete</StatusCode></member>", ""),
		"Timestamps and Values");
	expect_bad(RESP("<member><Label>x</Label></member>", ""), "Id is missing");
	expect_bad(RESP("<item/>", ""), "<item> in MetricDataResults");
	expect_bad("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
		   "</Error></ErrorResponse>",
		   "not <GetMetricDataResponse>");
	expect_bad("<GetMetricDataResponse/>", "MetricDataResults missing");
	expect_bad("<!DOCTYPE x [<!ENTITY a \"b\">]>" RESP("", ""), "DOCTYPE");
	expect_bad(RESP("", "<NextToken><x/></NextToken>"), "NextToken");
	expect_bad("<GetMetricDataResponse><GetMetricDataResult>", "line 1");
}

static void test_more_points_than_the_cap_is_a_limit_error(void **state)
{
	(void)state;
	size_t n = CW_POINTS_MAX + 1;
	size_t cap = 512 + n * 80;
	char *xml = malloc(cap);
	assert_non_null(xml);
	size_t o = (size_t)sprintf(xml, "<GetMetricDataResponse><GetMetricDataResult>"
					"<MetricDataResults><member><Id>m3</Id><Timestamps>");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(xml + o, "<member>2023-01-%02zuT%02zu:%02zu:00Z</member>",
				     1 + i / 1440, (i / 60) % 24, i % 60);
	o += (size_t)sprintf(xml + o, "</Timestamps><Values>");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(xml + o, "<member>%zu</member>", i);
	sprintf(xml + o, "</Values><StatusCode>Complete</StatusCode></member></MetricDataResults>"
			 "</GetMetricDataResult></GetMetricDataResponse>");
	struct cw_metrics *m = calloc(1, sizeof *m);
	struct api_error e;
	assert_int_equal(cloudwatch_parse_get_metric_data(xml, strlen(xml), m, &e), API_ERR_LIMIT);
	assert_int_equal(m->s[CW_JOURNAL_STORAGE].n, 0);
	free(m);
	free(xml);
}

static void test_time_parser(void **state)
{
	(void)state;
	double t;
	assert_int_equal(cloudwatch_parse_time("1970-01-01T00:00:00Z", &t), 0);
	assert_float_equal(t, 0, 0);
	assert_int_equal(cloudwatch_parse_time("2024-02-29T23:59:59.999Z", &t), 0);
	assert_float_equal(t, 1709251199.999, 1e-6);
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z",	 "2023-01-01T24:00:00Z",
		"2023-01-01T00:00:00",	"2023-01-01T00:00:00.Z", "2023-01-01T00:00:00.1234567891Z",
		"1969-12-31T23:59:59Z", "2023-1-01T00:00:00Z"
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (cloudwatch_parse_time(bad[i], &t) == 0)
			fail_msg("%s accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_body_is_the_documented_form),
		cmocka_unit_test(test_documented_reply_parses_into_a_series),
		cmocka_unit_test(test_pages_merge_and_sort_oldest_first),
		cmocka_unit_test(test_bad_replies_are_refused),
		cmocka_unit_test(test_more_points_than_the_cap_is_a_limit_error),
		cmocka_unit_test(test_time_parser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
