/*
 * test_api_qldb_streams.c - ListJournalKinesisStreamsForLedger,
 * DescribeJournalKinesisStream, ListJournalS3ExportsForLedger and
 * DescribeJournalS3Export answers in the shapes of the QLDB model
 * (docs/aws-api.md §2.3, §2.4), pages accumulating, and every way an
 * answer can be wrong: a wrong type, a missing required member, an enum
 * value the model does not have (CANCELLED for a stream, CANCELED for an
 * export), an id that is not 22 base62 characters, a duplicate key, data
 * after the object, a control character, a negative time, more items than
 * the cap. A refused page leaves the list as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/qldb_streams.h"

#define STREAM(id, status, extra)                                                                  \
	"{\"LedgerName\":\"financial-ledger\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\","   \
	"\"StreamId\":\"" id "\",\"Status\":\"" status "\",\"KinesisConfiguration\":"              \
	"{\"StreamArn\":\"arn:aws:kinesis:us-east-1:123456789012:stream/ks\","                     \
	"\"AggregationEnabled\":true},\"StreamName\":\"journal-1\","                               \
	"\"CreationTime\":1700000000.5,\"InclusiveStartTime\":1699999000" extra "}"

#define EXPORT(id, status, extra)                                                                  \
	"{\"LedgerName\":\"financial-ledger\",\"ExportId\":\"" id "\","                            \
	"\"ExportCreationTime\":1700000100,\"Status\":\"" status "\","                             \
	"\"InclusiveStartTime\":1672531200,\"ExclusiveEndTime\":1672617600,"                       \
	"\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"p/\","                         \
	"\"EncryptionConfiguration\":{\"ObjectEncryptionType\":\"SSE_KMS\",\"KmsKeyArn\":"         \
	"\"arn:aws:kms:us-east-1:123456789012:key/k\"}},"                                          \
	"\"RoleArn\":\"arn:aws:iam::123456789012:role/e\"" extra "}"

#define ID1 "kIUpB3EfnvIRu7kj0vjlDw"
#define ID2 "Q7iF4NzImzRyDIgznA4M9C"

static void test_list_streams_reads_every_member_and_pages_accumulate(void **state)
{
	(void)state;
	static const char P1[] =
		"{\"Streams\":[" STREAM(ID1, "IMPAIRED",
					",\"Arn\":\"arn:aws:qldb:us-east-1:123456789012:stream/"
					"financial-ledger/" ID1 "\",\"ErrorCause\":"
					"\"KINESIS_STREAM_NOT_FOUND\",\"ExclusiveEndTime\":"
					"1800000000") "],"
						      "\"NextToken\":\"dG9rZW4x+/"
						      "==\",\"Future\":{\"x\":1}}";
	static const char P2[] = "{\"Streams\":[" STREAM(ID2, "ACTIVE", "") "]}";
	struct qldb_stream_list l = { 0 };
	struct api_error e;
	assert_int_equal(qldb_parse_list_journal_streams(P1, strlen(P1), &l, &e), 0);
	assert_int_equal(l.n, 1);
	const struct qldb_journal_stream *s = &l.items[0];
	assert_string_equal(s->ledger, "financial-ledger");
	assert_string_equal(s->stream_id, ID1);
	assert_string_equal(s->status, "IMPAIRED");
	assert_string_equal(s->error_cause, "KINESIS_STREAM_NOT_FOUND");
	assert_string_equal(s->kinesis_arn, "arn:aws:kinesis:us-east-1:123456789012:stream/ks");
	assert_true(s->has_aggregation && s->aggregation);
	assert_string_equal(s->stream_name, "journal-1");
	assert_string_equal(s->role_arn, "arn:aws:iam::123456789012:role/r");
	assert_true(s->has_created && s->has_start && s->has_end);
	assert_float_equal(s->created, 1700000000.5, 1e-9);
	assert_float_equal(s->start, 1699999000, 1e-9);
	assert_float_equal(s->end, 1800000000, 1e-9);
	assert_string_equal(l.next_token, "dG9rZW4x+/==");
	assert_int_equal(qldb_parse_list_journal_streams(P2, strlen(P2), &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].stream_id, ID2);
	assert_string_equal(l.items[1].error_cause, "");
	assert_false(l.items[1].has_end);
	assert_string_equal(l.next_token, "");
	/* an empty answer and {"Streams":[]} are an empty page */
	assert_int_equal(qldb_parse_list_journal_streams("{}", 2, &l, &e), 0);
	assert_int_equal(l.n, 2);
	qldb_stream_list_free(&l);
}

static void test_describe_stream_and_export_read_the_model_shapes(void **state)
{
	(void)state;
	static const char DS[] = "{\"Stream\":" STREAM(ID1, "COMPLETED", "") "}";
	struct qldb_journal_stream s;
	struct api_error e;
	assert_int_equal(qldb_parse_describe_journal_stream(DS, strlen(DS), &s, &e), 0);
	assert_string_equal(s.status, "COMPLETED");
	assert_string_equal(s.arn, "");
	static const char DE[] = "{\"ExportDescription\":" EXPORT(
		ID2, "CANCELLED", ",\"OutputFormat\":\"ION_BINARY\"") "}";
	struct qldb_journal_export x;
	assert_int_equal(qldb_parse_describe_journal_export(DE, strlen(DE), &x, &e), 0);
	assert_string_equal(x.export_id, ID2);
	assert_string_equal(x.status, "CANCELLED");
	assert_string_equal(x.bucket, "bkt");
	assert_string_equal(x.prefix, "p/");
	assert_string_equal(x.encryption, "SSE_KMS");
	assert_string_equal(x.kms_key_arn, "arn:aws:kms:us-east-1:123456789012:key/k");
	assert_string_equal(x.output_format, "ION_BINARY");
	assert_float_equal(x.created, 1700000100, 1e-9);
	assert_float_equal(x.start, 1672531200, 1e-9);
	assert_float_equal(x.end, 1672617600, 1e-9);
	static const char LE[] =
		"{\"JournalS3Exports\":[" EXPORT(ID1, "IN_PROGRESS", "") "," EXPORT(
			ID2, "COMPLETED", ",\"OutputFormat\":\"JSON\"") "]}";
	struct qldb_export_list l = { 0 };
	assert_int_equal(qldb_parse_list_journal_exports(LE, strlen(LE), &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].output_format, ""); /* absent: not guessed */
	assert_string_equal(l.items[1].output_format, "JSON");
	qldb_export_list_free(&l);
}

static void expect_stream_error(const char *json, const char *needle)
{
	struct qldb_journal_stream s;
	struct api_error e;
	int rc = qldb_parse_describe_journal_stream(json, strlen(json), &s, &e);
	if (rc == 0 || !strstr(e.msg, needle))
		fail_msg("%s: rc %d \"%s\", want \"%s\"", json, rc, e.msg, needle);
	assert_null(strchr(e.msg, '\n'));
	assert_string_equal(s.stream_id, ""); /* nothing half-filled */
}

static void expect_export_error(const char *json, const char *needle)
{
	struct qldb_journal_export x;
	struct api_error e;
	int rc = qldb_parse_describe_journal_export(json, strlen(json), &x, &e);
	if (rc == 0 || !strstr(e.msg, needle))
		fail_msg("%s: rc %d \"%s\", want \"%s\"", json, rc, e.msg, needle);
	assert_string_equal(x.export_id, "");
}

static void test_bad_answers_are_refused_naming_the_member(void **state)
{
	(void)state;
	expect_stream_error("{\"Stream\":" STREAM(ID1, "CANCELLED", "") "}",
			    "Stream.Status: unknown value \"CANCELLED\"");
	expect_stream_error("{\"Stream\":" STREAM("short", "ACTIVE", "") "}", "Stream.StreamId");
	expect_stream_error("{\"Stream\":" STREAM("kIUpB3EfnvIRu7kj0vjl/w", "ACTIVE", "") "}",
			    "StreamId");
	expect_stream_error("{\"Stream\":" STREAM(ID1, "ACTIVE", ",\"ErrorCause\":\"OOPS\"") "}",
			    "Stream.ErrorCause: unknown value");
	expect_stream_error("{\"Stream\":" STREAM(ID1, "ACTIVE", ",\"ExclusiveEndTime\":-1") "}",
			    "ExclusiveEndTime: not a valid time");
	expect_stream_error("{\"Stream\":" STREAM(ID1, "ACTIVE", ",\"ExclusiveEndTime\":\"x\"") "}",
			    "expected epoch seconds");
	expect_stream_error("{\"Stream\":" STREAM(ID1, "ACTIVE", ",\"Status\":\"ACTIVE\"") "}",
			    "duplicate key \"Status\""); /* json_strict */
	expect_stream_error("{\"Stream\":" STREAM(ID1, "ACTIVE", "") "} {}", "line 1");
	expect_stream_error("{\"Stream\":[]}", "Stream: expected an object, got array");
	expect_stream_error("{}", "Stream is missing");
	expect_stream_error("{\"Stream\":{\"LedgerName\":\"financial-ledger\"}}",
			    "Stream.RoleArn is missing");
	{
		/* json[len] must be the NUL: a length that cuts the text is refused */
		static const char T[] = "{\"Stream\":" STREAM(ID1, "ACTIVE", "") "}";
		struct qldb_journal_stream s;
		struct api_error e;
		assert_int_equal(qldb_parse_describe_journal_stream(T, strlen(T) - 1, &s, &e),
				 API_ERR_PARSE);
		assert_non_null(strstr(e.msg, "not terminated"));
	}
	static const char NOKC[] =
		"{\"Stream\":{\"LedgerName\":\"l\",\"RoleArn\":\"r\",\"StreamId\":\"" ID1
		"\",\"Status\":\"ACTIVE\",\"KinesisConfiguration\":{\"AggregationEnabled\":1},"
		"\"StreamName\":\"s\"}}";
	expect_stream_error(NOKC, "Stream.KinesisConfiguration.StreamArn is missing");
	static const char BADAGG[] =
		"{\"Stream\":{\"LedgerName\":\"l\",\"RoleArn\":\"r\",\"StreamId\":\"" ID1
		"\",\"Status\":\"ACTIVE\",\"KinesisConfiguration\":{\"StreamArn\":\"a\","
		"\"AggregationEnabled\":1},\"StreamName\":\"s\"}}";
	expect_stream_error(BADAGG, "AggregationEnabled: expected a boolean, got number");
	static const char CTRL[] =
		"{\"Stream\":{\"LedgerName\":\"l\",\"RoleArn\":\"r\\u001b[2J\",\"StreamId\":\"" ID1
		"\"}}";
	expect_stream_error(CTRL, "control character");
	static const char BADNAME[] =
		"{\"Stream\":{\"LedgerName\":\"../x\",\"RoleArn\":\"r\",\"StreamId\":\"" ID1 "\"}}";
	expect_stream_error(BADNAME, "LedgerName is not a valid name");

	expect_export_error("{\"ExportDescription\":" EXPORT(ID1, "CANCELED", "") "}",
			    "unknown value \"CANCELED\"");
	expect_export_error(
		"{\"ExportDescription\":" EXPORT(ID1, "COMPLETED", ",\"OutputFormat\":\"CSV\"") "}",
		"OutputFormat: unknown value");
	static const char NOEND[] =
		"{\"ExportDescription\":{\"LedgerName\":\"l\",\"ExportId\":\"" ID1
		"\",\"ExportCreationTime\":1,\"Status\":\"COMPLETED\",\"InclusiveStartTime\":1}}";
	expect_export_error(NOEND, "ExportDescription.ExclusiveEndTime is missing");
	static const char NOENC[] =
		"{\"ExportDescription\":{\"LedgerName\":\"l\",\"ExportId\":\"" ID1
		"\",\"ExportCreationTime\":1,\"Status\":\"COMPLETED\",\"InclusiveStartTime\":1,"
		"\"ExclusiveEndTime\":2,\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":"
		"\"\"}}}";
	expect_export_error(NOENC,
			    "ExportDescription.S3ExportConfiguration.EncryptionConfiguration is "
			    "missing");
	static const char LONGPFX[] =
		"{\"ExportDescription\":{\"LedgerName\":\"l\",\"ExportId\":\"" ID1
		"\",\"ExportCreationTime\":1,\"Status\":\"COMPLETED\",\"InclusiveStartTime\":1,"
		"\"ExclusiveEndTime\":2,\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":"
		"\"01234567890123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678\"}}}";
	expect_export_error(LONGPFX, "Prefix: longer than 128 bytes");
}

static void test_a_bad_page_leaves_the_list_as_it_was(void **state)
{
	(void)state;
	static const char OK[] =
		"{\"Streams\":[" STREAM(ID1, "ACTIVE", "") "],\"NextToken\":\"abcd\"}";
	static const char BAD[] = "{\"Streams\":[" STREAM(ID2, "ACTIVE", "") ",7]}";
	struct qldb_stream_list l = { 0 };
	struct api_error e;
	assert_int_equal(qldb_parse_list_journal_streams(OK, strlen(OK), &l, &e), 0);
	assert_int_equal(qldb_parse_list_journal_streams(BAD, strlen(BAD), &l, &e), API_ERR_PARSE);
	assert_non_null(strstr(e.msg, "Streams[1]. expected an object, got number"));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.next_token, "");
	static const char NOT_ARRAY[] = "{\"Streams\":{}}";
	assert_int_equal(qldb_parse_list_journal_streams(NOT_ARRAY, strlen(NOT_ARRAY), &l, &e),
			 API_ERR_PARSE);
	static const char SHORT_TOKEN[] = "{\"Streams\":[],\"NextToken\":\"ab\"}";
	assert_int_equal(qldb_parse_list_journal_streams(SHORT_TOKEN, strlen(SHORT_TOKEN), &l, &e),
			 API_ERR_PARSE);
	static const char NUM_TOKEN[] = "{\"Streams\":[],\"NextToken\":12345}";
	assert_int_equal(qldb_parse_list_journal_streams(NUM_TOKEN, strlen(NUM_TOKEN), &l, &e),
			 API_ERR_PARSE);
	assert_int_equal(l.n, 1);
	qldb_stream_list_free(&l);
}

static void test_more_items_than_the_cap_is_a_limit_error(void **state)
{
	(void)state;
	static const char ONE[] = STREAM(ID1, "ACTIVE", "");
	size_t n = QLDB_STREAMS_MAX_ITEMS + 1;
	size_t cap = 32 + n * (sizeof ONE + 1);
	char *json = malloc(cap);
	assert_non_null(json);
	size_t o = (size_t)sprintf(json, "{\"Streams\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(json + o, "%s%s", i ? "," : "", ONE);
	strcpy(json + o, "]}");
	struct qldb_stream_list l = { 0 };
	struct api_error e;
	assert_int_equal(qldb_parse_list_journal_streams(json, strlen(json), &l, &e),
			 API_ERR_LIMIT);
	assert_non_null(strstr(e.msg, "more than 10000 items"));
	assert_int_equal(l.n, 0);
	qldb_stream_list_free(&l);
	free(json);
}

static void test_id_rule(void **state)
{
	(void)state;
	assert_true(qldb_id_is_valid(ID1));
	assert_false(qldb_id_is_valid("kIUpB3EfnvIRu7kj0vjlD"));   /* 21 */
	assert_false(qldb_id_is_valid("kIUpB3EfnvIRu7kj0vjlDwx")); /* 23 */
	assert_false(qldb_id_is_valid("kIUpB3EfnvIRu7kj0vjl-w"));
	assert_false(qldb_id_is_valid(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_streams_reads_every_member_and_pages_accumulate),
		cmocka_unit_test(test_describe_stream_and_export_read_the_model_shapes),
		cmocka_unit_test(test_bad_answers_are_refused_naming_the_member),
		cmocka_unit_test(test_a_bad_page_leaves_the_list_as_it_was),
		cmocka_unit_test(test_more_items_than_the_cap_is_a_limit_error),
		cmocka_unit_test(test_id_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
