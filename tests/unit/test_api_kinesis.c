/*
 * test_api_kinesis.c - the Kinesis parsers (api/kinesis.h) on the model's
 * shapes (as kinesalite and the endpoint answer), the stream name taken
 * from an ARN, and the journal record reader behind the lag: plain Ion
 * records and KPL aggregates built here byte by byte from the published
 * aggregation format (magic, protobuf, MD5 computed with OpenSSL), and
 * every way they can be wrong (a flipped MD5, a truncated protobuf, Ion
 * that is not a journal record, a BLOCK_SUMMARY without a sequence
 * number); and bad answers (wrong types, unknown enums, counts too large
 * or not integers, keys that are not decimal, bad base64).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/kinesis.h"
#include "verify/base64.h"

static void test_stream_name_comes_from_the_arn(void **state)
{
	(void)state;
	char name[KINESIS_NAME_MAX + 1];
	struct api_error e;
	assert_int_equal(kinesis_stream_name_from_arn(
				 "arn:aws:kinesis:us-east-1:123456789012:stream/ledger-stream.v_1",
				 name, sizeof name, &e),
			 0);
	assert_string_equal(name, "ledger-stream.v_1");
	assert_int_equal(kinesis_stream_name_from_arn("arn:aws-cn:kinesis:cn-north-1:1:stream/s",
						      name, sizeof name, &e),
			 0);
	assert_string_equal(name, "s");
	static const char *const bad[] = {
		"arn:aws:kinesis:us-east-1:123456789012:stream/",
		"arn:aws:sqs:us-east-1:123456789012:stream/x",
		"arn:aws:kinesis:us-east-1:123456789012:table/x",
		"arn:aws:kinesis:us-east-1:stream/x",
		"arn:aws:kinesis:us-east-1:123456789012:stream/a/b",
		"arn:aws:kinesis:us-east-1:123456789012:stream/a b",
		"ks",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (kinesis_stream_name_from_arn(bad[i], name, sizeof name, &e) != API_ERR_PARSE)
			fail_msg("%s was accepted", bad[i]);
		assert_string_equal(name, "");
	}
}

/* What kinesalite 3.3.3 answers (no StreamModeDetails), and the model's
 * newer members. */
static const char SUMMARY[] =
	"{\"StreamDescriptionSummary\":{\"StreamName\":\"js\",\"StreamARN\":"
	"\"arn:aws:kinesis:us-east-1:000000000000:stream/js\",\"StreamStatus\":\"ACTIVE\","
	"\"RetentionPeriodHours\":24,\"StreamCreationTimestamp\":1700000000.25,"
	"\"EnhancedMonitoring\":[{\"ShardLevelMetrics\":[\"IncomingBytes\",\"OutgoingBytes\"]}],"
	"\"EncryptionType\":\"NONE\",\"OpenShardCount\":2,\"ConsumerCount\":1%s}}";

static void test_describe_stream_summary_reads_the_shape(void **state)
{
	(void)state;
	char json[1024];
	snprintf(json, sizeof json, SUMMARY,
		 ",\"StreamModeDetails\":{\"StreamMode\":\"ON_DEMAND\"}");
	struct kinesis_stream_summary s;
	struct api_error e;
	assert_int_equal(kinesis_parse_describe_stream_summary(json, strlen(json), &s, &e), 0);
	assert_string_equal(s.name, "js");
	assert_string_equal(s.arn, "arn:aws:kinesis:us-east-1:000000000000:stream/js");
	assert_string_equal(s.status, "ACTIVE");
	assert_int_equal(s.retention_hours, 24);
	assert_float_equal(s.created, 1700000000.25, 1e-9);
	assert_int_equal(s.open_shards, 2);
	assert_string_equal(s.mode, "ON_DEMAND");
	assert_string_equal(s.encryption, "NONE");
	assert_true(s.has_consumers);
	assert_int_equal(s.consumers, 1);
	assert_int_equal(s.enhanced_metrics, 2);
	snprintf(json, sizeof json, SUMMARY, "");
	assert_int_equal(kinesis_parse_describe_stream_summary(json, strlen(json), &s, &e), 0);
	assert_string_equal(s.mode, "");
}

static void expect_summary_error(const char *from, const char *to, const char *needle)
{
	char base[1024], json[1200];
	snprintf(base, sizeof base, SUMMARY, "");
	const char *at = strstr(base, from);
	assert_non_null(at);
	snprintf(json, sizeof json, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	struct kinesis_stream_summary s;
	struct api_error e;
	int rc = kinesis_parse_describe_stream_summary(json, strlen(json), &s, &e);
	if (rc == 0 || !strstr(e.msg, needle))
		fail_msg("%s: rc %d \"%s\", want \"%s\"", json, rc, e.msg, needle);
	assert_string_equal(s.name, "");
}

static void test_describe_stream_summary_refuses_bad_members(void **state)
{
	(void)state;
	expect_summary_error("\"ACTIVE\"", "\"BROKEN\"", "StreamStatus: unknown value");
	expect_summary_error("\"OpenShardCount\":2", "\"OpenShardCount\":\"2\"",
			     "OpenShardCount: expected a number");
	expect_summary_error("\"OpenShardCount\":2", "\"OpenShardCount\":2.5", "not an integer");
	expect_summary_error("\"OpenShardCount\":2", "\"OpenShardCount\":1e300", "not an integer");
	expect_summary_error("\"OpenShardCount\":2", "\"OpenShardCount\":-1", "not an integer");
	expect_summary_error("\"RetentionPeriodHours\":24,", "", "RetentionPeriodHours is missing");
	expect_summary_error("\"StreamName\":\"js\"", "\"StreamName\":\"j s\"",
			     "not a valid stream name");
	expect_summary_error("\"EncryptionType\":\"NONE\"", "\"EncryptionType\":\"AES\"",
			     "EncryptionType: unknown value");
	expect_summary_error("[{\"ShardLevelMetrics\"", "[7,{\"ShardLevelMetrics\"",
			     "EnhancedMonitoring[0]. expected an object");
	expect_summary_error("\"StreamCreationTimestamp\":1700000000.25",
			     "\"StreamCreationTimestamp\":\"2023-11-14\"", "epoch seconds");
	expect_summary_error("\"EncryptionType\":\"NONE\"",
			     "\"EncryptionType\":\"NONE\",\"EncryptionType\":\"KMS\"",
			     "duplicate key");
}

static void test_list_shards_reads_pages_and_open_shards(void **state)
{
	(void)state;
	static const char P1[] =
		"{\"Shards\":[{\"ShardId\":\"shardId-000000000000\",\"HashKeyRange\":"
		"{\"StartingHashKey\":\"0\",\"EndingHashKey\":"
		"\"170141183460469231731687303715884105727\"},\"SequenceNumberRange\":"
		"{\"StartingSequenceNumber\":"
		"\"49546986683135544286507457936321625675700192471156785154\","
		"\"EndingSequenceNumber\":"
		"\"49546986683135544286507457936321625675700192471156785999\"}}],"
		"\"NextToken\":\"AAAAAAAAAAGK9EEG0sJqVhCUS2JsgigQ5dcpB4q9PYswrH2oK44Skbjtm+WR0xA7/"
		"hrAFF\"}";
	static const char P2[] =
		"{\"Shards\":[{\"ShardId\":\"shardId-000000000001\",\"ParentShardId\":"
		"\"shardId-000000000000\",\"HashKeyRange\":{\"StartingHashKey\":"
		"\"170141183460469231731687303715884105728\",\"EndingHashKey\":"
		"\"340282366920938463463374607431768211455\"},\"SequenceNumberRange\":"
		"{\"StartingSequenceNumber\":\"1\"}}]}";
	struct kinesis_shard_list l = { 0 };
	struct api_error e;
	assert_int_equal(kinesis_parse_list_shards(P1, strlen(P1), &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.items[0].open);
	assert_non_null(l.next_token);
	assert_string_equal(l.next_token,
			    "AAAAAAAAAAGK9EEG0sJqVhCUS2JsgigQ5dcpB4q9PYswrH2oK44Skbjtm+"
			    "WR0xA7/hrAFF");
	assert_int_equal(kinesis_parse_list_shards(P2, strlen(P2), &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.items[1].open);
	assert_string_equal(l.items[1].parent, "shardId-000000000000");
	assert_string_equal(l.items[1].end_hash, "340282366920938463463374607431768211455");
	assert_null(l.next_token);
	/* bad pages leave the list as it was */
	static const char *const bad[] = {
		"{\"Shards\":[{\"ShardId\":\"s\",\"HashKeyRange\":{\"StartingHashKey\":\"-1\","
		"\"EndingHashKey\":\"5\"},\"SequenceNumberRange\":{\"StartingSequenceNumber\":"
		"\"1\"}}]}",
		"{\"Shards\":[{\"ShardId\":\"s\",\"HashKeyRange\":{\"StartingHashKey\":\"0\","
		"\"EndingHashKey\":\"3402823669209384634633746074317682114551\"},"
		"\"SequenceNumberRange\":{\"StartingSequenceNumber\":\"1\"}}]}",
		"{\"Shards\":[{\"ShardId\":\"s\",\"HashKeyRange\":{\"StartingHashKey\":\"0\","
		"\"EndingHashKey\":\"5\"},\"SequenceNumberRange\":{\"StartingSequenceNumber\":"
		"\"x\"}}]}",
		"{\"Shards\":[{\"ShardId\":\"s\",\"HashKeyRange\":{\"StartingHashKey\":\"0\","
		"\"EndingHashKey\":\"5\"}}]}",
		"{\"Shards\":[{\"ShardId\":\"\",\"HashKeyRange\":{\"StartingHashKey\":\"0\","
		"\"EndingHashKey\":\"5\"},\"SequenceNumberRange\":{\"StartingSequenceNumber\":"
		"\"1\"}}]}",
		"{\"Shards\":[],\"NextToken\":\"\"}",
		"{\"Shards\":[],\"NextToken\":5}",
		"{\"Shards\":{}}",
		"[]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (kinesis_parse_list_shards(bad[i], strlen(bad[i]), &l, &e) == 0)
			fail_msg("bad page %zu accepted", i);
		assert_int_equal(l.n, 2);
		assert_null(strchr(e.msg, '\n'));
	}
	kinesis_shard_list_free(&l);
}

/* ---- records and KPL ---------------------------------------------------- */

static const char REC_SUMMARY[] =
	"{qldbStreamArn:\"arn:aws:qldb:us-east-1:1:stream/l/x\",recordType:\"BLOCK_SUMMARY\","
	"payload:{blockAddress:{strandId:\"s71ZZmq5qENVhkKVqdR47A\",sequenceNo:%d},"
	"blockHash:{{3jJYIx1K3XucbhepqN+M0L248qRh5rcc04WwncqdMVo=}}}}";
static const char REC_DETAILS[] =
	"{qldbStreamArn:\"a\",recordType:REVISION_DETAILS,payload:{tableInfo:{tableName:\"T\"},"
	"revision:{blockAddress:{strandId:\"s\",sequenceNo:999}}}}";

struct bytes {
	uint8_t b[8192];
	size_t n;
};

static void put(struct bytes *o, const void *p, size_t n)
{
	assert_true(o->n + n <= sizeof o->b);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void varint(struct bytes *o, uint64_t v)
{
	do {
		uint8_t c = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			c |= 0x80;
		put(o, &c, 1);
	} while (v);
}

/* An aggregate of the given records: the format's magic, the protobuf
 * (partition key table entry 1, then each Record {1: pk index 0, 3:
 * data}), the MD5 of the protobuf. */
static void kpl(struct bytes *out, const char *const *recs, size_t n)
{
	struct bytes pb = { .n = 0 };
	varint(&pb, (1 << 3) | 2);
	varint(&pb, 2);
	put(&pb, "pk", 2);
	for (size_t i = 0; i < n; i++) {
		struct bytes r = { .n = 0 };
		varint(&r, (1 << 3) | 0);
		varint(&r, 0);
		varint(&r, (3 << 3) | 2);
		varint(&r, strlen(recs[i]));
		put(&r, recs[i], strlen(recs[i]));
		varint(&pb, (3 << 3) | 2);
		varint(&pb, r.n);
		put(&pb, r.b, r.n);
	}
	out->n = 0;
	put(out, "\xf3\x89\x9a\xc2", 4);
	put(out, pb.b, pb.n);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdn;
	assert_true(EVP_Digest(pb.b, pb.n, md, &mdn, EVP_md5(), NULL));
	put(out, md, 16);
}

static void test_journal_records_plain_and_aggregated(void **state)
{
	(void)state;
	char r1[512], r2[512], r3[512];
	snprintf(r1, sizeof r1, REC_SUMMARY, 41);
	snprintf(r2, sizeof r2, REC_SUMMARY, 57);
	snprintf(r3, sizeof r3, REC_SUMMARY, 49);
	int64_t seq;
	size_t count;
	struct api_error e;
	assert_int_equal(
		kinesis_journal_record_scan((const uint8_t *)r1, strlen(r1), &seq, &count, &e), 0);
	assert_int_equal(seq, 41);
	assert_int_equal(count, 1);
	/* REVISION_DETAILS carries a block address too, but is not a block */
	assert_int_equal(kinesis_journal_record_scan((const uint8_t *)REC_DETAILS,
						     strlen(REC_DETAILS), &seq, &count, &e),
			 0);
	assert_int_equal(seq, -1);
	assert_int_equal(count, 1);
	const char *const recs[] = { r1, REC_DETAILS, r2, r3 };
	struct bytes agg;
	kpl(&agg, recs, 4);
	assert_int_equal(kinesis_journal_record_scan(agg.b, agg.n, &seq, &count, &e), 0);
	assert_int_equal(seq, 57);
	assert_int_equal(count, 4);
	/* a flipped MD5 byte, a flipped payload byte, a cut aggregate */
	agg.b[agg.n - 1] ^= 1;
	assert_int_equal(kinesis_journal_record_scan(agg.b, agg.n, &seq, &count, &e),
			 API_ERR_PARSE);
	assert_non_null(strstr(e.msg, "KPL"));
	assert_int_equal(seq, -1);
	agg.b[agg.n - 1] ^= 1;
	agg.b[30] ^= 0x20;
	assert_int_equal(kinesis_journal_record_scan(agg.b, agg.n, &seq, &count, &e),
			 API_ERR_PARSE);
	agg.b[30] ^= 0x20;
	assert_int_equal(kinesis_journal_record_scan(agg.b, 19, &seq, &count, &e), API_ERR_PARSE);
	/* an aggregate whose MD5 is right but whose protobuf is cut inside a
	 * record: the length runs past the end */
	struct bytes cut = { .n = 0 };
	put(&cut, "\xf3\x89\x9a\xc2", 4);
	static const uint8_t PB[] = { 0x1a, 0x40, 0x08, 0x00 };
	put(&cut, PB, sizeof PB);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdn;
	EVP_Digest(PB, sizeof PB, md, &mdn, EVP_md5(), NULL);
	put(&cut, md, 16);
	assert_int_equal(kinesis_journal_record_scan(cut.b, cut.n, &seq, &count, &e),
			 API_ERR_PARSE);
	/* an aggregate of a record that is not a journal record */
	const char *const junk[] = { "{a:1}" };
	kpl(&agg, junk, 1);
	assert_int_equal(kinesis_journal_record_scan(agg.b, agg.n, &seq, &count, &e),
			 API_ERR_PARSE);
	assert_non_null(strstr(e.msg, "not a journal record"));
}

static void test_journal_records_that_are_wrong(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"not ion {",
		"[1,2]",
		"{recordType:\"BLOCK_SUMMARY\"}",
		"{recordType:\"BLOCK_SUMMARY\",payload:{blockAddress:{sequenceNo:\"5\"}}}",
		"{recordType:\"BLOCK_SUMMARY\",payload:{blockAddress:{sequenceNo:-5}}}",
		"{recordType:\"BLOCK_SUMMARY\",payload:{}}",
		"{recordType:5,payload:{}}",
		"{a:1} {b:2}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t seq = 7;
		size_t count = 7;
		struct api_error e;
		if (kinesis_journal_record_scan((const uint8_t *)bad[i], strlen(bad[i]), &seq,
						&count, &e) != API_ERR_PARSE)
			fail_msg("record %zu (%s) accepted", i, bad[i]);
		assert_int_equal(seq, -1);
		assert_int_equal(count, 0);
		assert_non_null(strstr(e.msg, "journal record"));
	}
}

struct seen {
	size_t n;
	size_t len[4];
	uint8_t first[64];
};

static int on_record(void *ctx, const uint8_t *data, size_t n)
{
	struct seen *s = ctx;
	if (s->n == 0)
		memcpy(s->first, data, n < sizeof s->first ? n : sizeof s->first);
	if (s->n < 4)
		s->len[s->n] = n;
	s->n++;
	return 0;
}

static void test_get_records_decodes_data_and_reports_position(void **state)
{
	(void)state;
	char b64[64];
	base64_encode((const uint8_t *)"hello\0world", 11, b64);
	char json[1024];
	snprintf(
		json, sizeof json,
		"{\"Records\":[{\"SequenceNumber\":\"49546986683135544286507457936321625675700192"
		"471156785154\",\"ApproximateArrivalTimestamp\":1700000000.1,\"Data\":\"%s\","
		"\"PartitionKey\":\"pk\"},{\"SequenceNumber\":\"2\",\"Data\":\"\",\"PartitionKey\":"
		"\"p\"}],\"NextShardIterator\":\"AAAA/it==\",\"MillisBehindLatest\":1500}",
		b64);
	struct seen s = { 0 };
	size_t got;
	char next[KINESIS_ITERATOR_MAX + 1];
	int64_t behind;
	struct api_error e;
	assert_int_equal(kinesis_parse_get_records(json, strlen(json), on_record, &s, &got, next,
						   sizeof next, &behind, &e),
			 0);
	assert_int_equal(got, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.len[0], 11);
	assert_memory_equal(s.first, "hello\0world", 11);
	assert_int_equal(s.len[1], 0);
	assert_string_equal(next, "AAAA/it==");
	assert_int_equal(behind, 1500);
	/* a closed shard read to its end: no NextShardIterator */
	static const char END[] = "{\"Records\":[],\"MillisBehindLatest\":0}";
	assert_int_equal(kinesis_parse_get_records(END, strlen(END), on_record, &s, &got, next,
						   sizeof next, &behind, &e),
			 0);
	assert_string_equal(next, "");
	assert_int_equal(behind, 0);
	static const char *const bad[] = {
		"{\"NextShardIterator\":\"x\"}",
		("{\"Records\":[{\"SequenceNumber\":\"1\",\"Data\":\"!!!\",\"PartitionKey\":\"p\"}]"
		 "}"),
		"{\"Records\":[{\"SequenceNumber\":\"1\",\"Data\":5,\"PartitionKey\":\"p\"}]}",
		"{\"Records\":[{\"SequenceNumber\":\"1x\",\"Data\":\"\",\"PartitionKey\":\"p\"}]}",
		"{\"Records\":[{\"Data\":\"\",\"PartitionKey\":\"p\"}]}",
		"{\"Records\":[],\"MillisBehindLatest\":-3}",
		"{\"Records\":[],\"MillisBehindLatest\":1.5}",
		"{\"Records\":[7]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (kinesis_parse_get_records(bad[i], strlen(bad[i]), on_record, &s, &got, next,
					      sizeof next, &behind, &e) == 0)
			fail_msg("bad answer %zu accepted", i);
	/* Data longer than one record may be: a limit, before decoding */
	size_t big = BASE64_ENCODED_SIZE(KINESIS_RECORD_MAX) + 8;
	char *huge = malloc(big + 128);
	assert_non_null(huge);
	int o = sprintf(huge, "{\"Records\":[{\"SequenceNumber\":\"1\",\"PartitionKey\":\"p\","
			      "\"Data\":\"");
	memset(huge + o, 'A', big);
	strcpy(huge + o + big, "\"}]}");
	assert_int_equal(kinesis_parse_get_records(huge, strlen(huge), on_record, &s, &got, next,
						   sizeof next, &behind, &e),
			 API_ERR_LIMIT);
	free(huge);
}

static void test_get_shard_iterator(void **state)
{
	(void)state;
	char it[KINESIS_ITERATOR_MAX + 1];
	struct api_error e;
	static const char OK[] = "{\"ShardIterator\":\"AAAAAAAAAAETYyAYzd665+8e0X7JTsASDM/Hr2rS\"}";
	assert_int_equal(kinesis_parse_get_shard_iterator(OK, strlen(OK), it, sizeof it, &e), 0);
	assert_string_equal(it, "AAAAAAAAAAETYyAYzd665+8e0X7JTsASDM/Hr2rS");
	static const char *const bad[] = { "{}", "{\"ShardIterator\":\"\"}",
					   "{\"ShardIterator\":null}", "{\"ShardIterator\":[1]}" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(
			kinesis_parse_get_shard_iterator(bad[i], strlen(bad[i]), it, sizeof it, &e),
			API_ERR_PARSE);
	char longer[KINESIS_ITERATOR_MAX + 64];
	int o = sprintf(longer, "{\"ShardIterator\":\"");
	memset(longer + o, 'A', KINESIS_ITERATOR_MAX + 1);
	strcpy(longer + o + KINESIS_ITERATOR_MAX + 1, "\"}");
	assert_int_equal(
		kinesis_parse_get_shard_iterator(longer, strlen(longer), it, sizeof it, &e),
		API_ERR_LIMIT);
}

static void test_lag_is_tip_minus_highest_block_seen(void **state)
{
	(void)state;
	struct kinesis_journal_scan s = { .max_seq = 87, .complete = true };
	assert_int_equal(kinesis_lag_blocks(98, &s), 11);
	assert_int_equal(kinesis_lag_blocks(87, &s), 0);
	assert_int_equal(kinesis_lag_blocks(80, &s), 0); /* digest older than the stream */
	s.max_seq = -1;					 /* nothing seen: unknown, not 0 */
	assert_int_equal(kinesis_lag_blocks(98, &s), -1);
	s.max_seq = 0;
	assert_int_equal(kinesis_lag_blocks(UINT64_C(1) << 40, &s), (int64_t)1 << 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_name_comes_from_the_arn),
		cmocka_unit_test(test_describe_stream_summary_reads_the_shape),
		cmocka_unit_test(test_describe_stream_summary_refuses_bad_members),
		cmocka_unit_test(test_list_shards_reads_pages_and_open_shards),
		cmocka_unit_test(test_journal_records_plain_and_aggregated),
		cmocka_unit_test(test_journal_records_that_are_wrong),
		cmocka_unit_test(test_get_records_decodes_data_and_reports_position),
		cmocka_unit_test(test_get_shard_iterator),
		cmocka_unit_test(test_lag_is_tip_minus_highest_block_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
