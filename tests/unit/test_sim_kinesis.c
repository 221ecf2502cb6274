/*
 * test_sim_kinesis.c - the endpoint's Kinesis without a socket, on an
 * injected clock: streams CREATING then ACTIVE, DELETING then gone; shards
 * that split the 128-bit hash space evenly (checked by the properties of an
 * even split, and MD5 against a known digest); records written through the
 * API and through sim_kinesis_put read back byte for byte from every
 * iterator type; sequence numbers that increase and name their shard;
 * iterators that expire after 5 minutes and refuse editing; per-shard
 * caps trimming the oldest records; paging of ListStreams and ListShards;
 * the JSON 1.1 error shape and each validation code; 4 threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/http.h"
#include "sim/kinesis.h"
#include "sim/kinesis_store.h"
#include "tests/lib/testutil.h"
#include "verify/base64.h"

#define T0 1700000000000LL /* 2023-11-14T22:13:20Z */

struct fixture {
	struct sim_kinesis *k;
	int64_t now;
	struct sim_response res;
	cJSON *out; /* the last response, parsed */
};

static int64_t fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->now = T0;
	f->k = sim_kinesis_new(7, fake_now, f);
	assert_non_null(f->k);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_response_clear(&f->res);
	cJSON_Delete(f->out);
	sim_kinesis_free(f->k);
	free(f);
	return 0;
}

/* Call operation op with a printf'd JSON body; returns the HTTP status
 * and leaves the parsed answer in f->out. */
static unsigned call(struct fixture *f, const char *op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static unsigned call(struct fixture *f, const char *op, const char *fmt, ...)
{
	static char body[4 << 20];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	char target[96];
	snprintf(target, sizeof target, "Kinesis_20131202.%s", op);
	struct hdr h[] = { { "X-Amz-Target", target },
			   { "Content-Type", "application/x-amz-json-1.1" },
			   { NULL, NULL } };
	struct sim_request req = { .method = "POST",
				   .path = "/",
				   .body = body,
				   .body_len = strlen(body),
				   .region = "eu-west-1",
				   .header = hdr_lookup,
				   .header_ctx = h };
	sim_response_clear(&f->res);
	memset(&f->res, 0, sizeof f->res);
	cJSON_Delete(f->out);
	sim_kinesis_handle(f->k, &req, &f->res);
	assert_non_null(f->res.body);
	assert_string_equal(f->res.content_type, "application/x-amz-json-1.1");
	f->out = cJSON_ParseWithLength(f->res.body, f->res.body_len);
	assert_non_null(f->out);
	return f->res.status;
}

/* The error code of the last answer (its __type), after checking the
 * shape: status 400, a non-empty message. */
static const char *error_of(struct fixture *f)
{
	assert_int_equal(f->res.status, 400);
	const cJSON *msg = cJSON_GetObjectItem(f->out, "message");
	assert_true(cJSON_IsString(msg) && msg->valuestring[0]);
	const cJSON *t = cJSON_GetObjectItem(f->out, "__type");
	assert_true(cJSON_IsString(t));
	assert_string_equal(t->valuestring, f->res.error_code);
	return t->valuestring;
}

static const char *str_at(const cJSON *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	const cJSON *v = o;
	for (char *save = NULL, *p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save))
		v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, atoi(p)) : cJSON_GetObjectItem(v, p);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static double num_at(const cJSON *o, const char *path)
{
	const cJSON *v = o;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save))
		v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, atoi(p)) : cJSON_GetObjectItem(v, p);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const char *status_of(struct fixture *f, const char *name)
{
	assert_int_equal(call(f, "DescribeStreamSummary", "{\"StreamName\":\"%s\"}", name), 200);
	return str_at(f->out, "StreamDescriptionSummary.StreamStatus");
}

/* Create name with n shards and let it become ACTIVE. */
static void make_active(struct fixture *f, const char *name, int n)
{
	assert_int_equal(
		call(f, "CreateStream", "{\"StreamName\":\"%s\",\"ShardCount\":%d}", name, n), 200);
	f->now += 500;
	assert_string_equal(status_of(f, name), "ACTIVE");
}

static void put(struct fixture *f, const char *name, const char *key, const char *text,
		char seq[SIM_KINESIS_SEQ_LEN + 1], char shard[32])
{
	char b64[256];
	base64_encode((const uint8_t *)text, strlen(text), b64);
	assert_int_equal(call(f, "PutRecord",
			      "{\"StreamName\":\"%s\",\"PartitionKey\":\"%s\",\"Data\":\"%s\"}",
			      name, key, b64),
			 200);
	if (seq)
		snprintf(seq, SIM_KINESIS_SEQ_LEN + 1, "%s", str_at(f->out, "SequenceNumber"));
	if (shard)
		snprintf(shard, 32, "%s", str_at(f->out, "ShardId"));
}

/* A shard iterator of type (and extra members, "" or ",\"...\":..."). */
static char *iterator(struct fixture *f, const char *name, const char *shard, const char *type,
		      const char *extra)
{
	assert_int_equal(
		call(f, "GetShardIterator",
		     "{\"StreamName\":\"%s\",\"ShardId\":\"%s\",\"ShardIteratorType\":\"%s\"%s}",
		     name, shard, type, extra),
		200);
	return strdup(str_at(f->out, "ShardIterator"));
}

/* GetRecords; the records' data joined by '|' into out. */
static void read_data(struct fixture *f, const char *it, int limit, char *out, size_t cap)
{
	if (limit)
		assert_int_equal(
			call(f, "GetRecords", "{\"ShardIterator\":\"%s\",\"Limit\":%d}", it, limit),
			200);
	else
		assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it), 200);
	out[0] = '\0';
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(f->out, "Records"))
	{
		uint8_t data[256];
		const char *b64 = str_at(r, "Data");
		long n = base64_decode(b64, strlen(b64), data, sizeof data);
		assert_true(n >= 0);
		size_t at = strlen(out);
		snprintf(out + at, cap - at, "%s%.*s", at ? "|" : "", (int)n, (const char *)data);
	}
}

/* --- streams ---------------------------------------------------------------- */

static void test_stream_is_creating_then_active_after_the_delay(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":2}"), 200);
	assert_string_equal(status_of(f, "s"), "CREATING");
	f->now += 499;
	assert_string_equal(status_of(f, "s"), "CREATING");
	f->now += 1;
	assert_string_equal(status_of(f, "s"), "ACTIVE");
	assert_string_equal(str_at(f->out, "StreamDescriptionSummary.StreamARN"),
			    "arn:aws:kinesis:eu-west-1:123456789012:stream/s");
	assert_int_equal(num_at(f->out, "StreamDescriptionSummary.OpenShardCount"), 2);
	assert_true(num_at(f->out, "StreamDescriptionSummary.StreamCreationTimestamp") ==
		    T0 / 1000.0);
	assert_string_equal(str_at(f->out, "StreamDescriptionSummary.StreamModeDetails.StreamMode"),
			    "PROVISIONED");
}

static void test_delays_are_configurable(void **state)
{
	struct fixture *f = *state;
	sim_kinesis_set_delays(f->k, 0, 0);
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":1}"), 200);
	assert_string_equal(status_of(f, "s"), "ACTIVE");
	assert_int_equal(call(f, "DeleteStream", "{\"StreamName\":\"s\"}"), 200);
	call(f, "DescribeStreamSummary", "{\"StreamName\":\"s\"}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
}

static void test_delete_is_deleting_then_gone_and_a_new_stream_of_the_name_is_another(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	put(f, "s", "k", "old", NULL, NULL);
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	assert_int_equal(call(f, "DeleteStream", "{\"StreamName\":\"s\"}"), 200);
	assert_string_equal(status_of(f, "s"), "DELETING");
	call(f, "DeleteStream", "{\"StreamName\":\"s\"}");
	assert_string_equal(error_of(f), "ResourceInUseException");
	call(f, "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":1}");
	assert_string_equal(error_of(f), "ResourceInUseException");
	f->now += 500;
	call(f, "DescribeStream", "{\"StreamName\":\"s\"}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
	assert_non_null(
		strstr(str_at(f->out, "message"), "Stream s under account 123456789012 not found"));
	make_active(f, "s", 1);
	call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it);
	assert_string_equal(error_of(f), "ResourceNotFoundException");
	free(it);
}

static void test_delete_of_a_creating_stream_is_resource_in_use(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":1}"), 200);
	call(f, "DeleteStream", "{\"StreamName\":\"s\"}");
	assert_string_equal(error_of(f), "ResourceInUseException");
	assert_non_null(strstr(str_at(f->out, "message"), "CREATING"));
}

static void test_on_demand_starts_with_four_shards(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(call(f, "CreateStream",
			      "{\"StreamName\":\"od\",\"StreamModeDetails\":{\"StreamMode\":"
			      "\"ON_DEMAND\"}}"),
			 200);
	f->now += 500;
	assert_int_equal(call(f, "DescribeStream", "{\"StreamName\":\"od\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 cJSON_GetObjectItem(f->out, "StreamDescription"), "Shards")),
			 4);
	assert_string_equal(str_at(f->out, "StreamDescription.StreamModeDetails.StreamMode"),
			    "ON_DEMAND");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(
		cJSON_GetObjectItem(f->out, "StreamDescription"), "HasMoreShards")));
}

static void test_stream_and_shard_caps_are_limit_exceeded(void **state)
{
	struct fixture *f = *state;
	call(f, "CreateStream", "{\"StreamName\":\"big\",\"ShardCount\":%d}",
	     SIM_KINESIS_SHARDS_MAX + 1);
	assert_string_equal(error_of(f), "LimitExceededException");
	for (int i = 0; i < SIM_KINESIS_STREAMS_MAX; i++)
		assert_int_equal(call(f, "CreateStream",
				      "{\"StreamName\":\"s%02d\",\"ShardCount\":%d}", i,
				      i < SIM_KINESIS_SHARDS_MAX / SIM_KINESIS_STREAMS_MAX ? 2 : 1),
				 200);
	call(f, "CreateStream", "{\"StreamName\":\"one-more\",\"ShardCount\":1}");
	assert_string_equal(error_of(f), "LimitExceededException");
}

static void test_list_streams_pages_by_token_and_by_name(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "c", "a", "b" };
	for (int i = 0; i < 3; i++)
		assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"%s\",\"ShardCount\":1}",
				      names[i]),
				 200);
	assert_int_equal(call(f, "ListStreams", "{\"Limit\":2}"), 200);
	assert_string_equal(str_at(f->out, "StreamNames.0"), "a");
	assert_string_equal(str_at(f->out, "StreamNames.1"), "b");
	assert_string_equal(str_at(f->out, "StreamSummaries.1.StreamARN"),
			    "arn:aws:kinesis:eu-west-1:123456789012:stream/b");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f->out, "HasMoreStreams")));
	char *token = strdup(str_at(f->out, "NextToken"));
	assert_int_equal(call(f, "ListStreams", "{\"NextToken\":\"%s\"}", token), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "StreamNames")), 1);
	assert_string_equal(str_at(f->out, "StreamNames.0"), "c");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(f->out, "HasMoreStreams")));
	assert_null(cJSON_GetObjectItem(f->out, "NextToken"));
	assert_int_equal(call(f, "ListStreams", "{\"ExclusiveStartStreamName\":\"a\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "StreamNames")), 2);
	token[3] = token[3] == 'A' ? 'B' : 'A';
	call(f, "ListStreams", "{\"NextToken\":\"%s\"}", token);
	assert_string_equal(error_of(f), "InvalidArgumentException");
	free(token);
}

static void test_list_shards_pages_and_its_token_expires(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 5);
	assert_int_equal(call(f, "ListShards", "{\"StreamName\":\"s\",\"MaxResults\":2}"), 200);
	assert_string_equal(str_at(f->out, "Shards.1.ShardId"), "shardId-000000000001");
	char *token = strdup(str_at(f->out, "NextToken"));
	/* botocore's paginator repeats StreamName: accepted when it agrees */
	assert_int_equal(
		call(f, "ListShards", "{\"StreamName\":\"s\",\"NextToken\":\"%s\"}", token), 200);
	assert_string_equal(str_at(f->out, "Shards.0.ShardId"), "shardId-000000000002");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Shards")), 3);
	assert_null(cJSON_GetObjectItem(f->out, "NextToken"));
	call(f, "ListShards", "{\"StreamName\":\"other\",\"NextToken\":\"%s\"}", token);
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_int_equal(call(f, "ListShards",
			      "{\"ExclusiveStartShardId\":\"shardId-000000000003\","
			      "\"StreamARN\":\"arn:aws:kinesis:eu-west-1:"
			      "123456789012:stream/s\"}"),
			 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Shards")), 1);
	f->now += SIM_KINESIS_TOKEN_TTL_MS + 1;
	call(f, "ListShards", "{\"NextToken\":\"%s\"}", token);
	assert_string_equal(error_of(f), "ExpiredNextTokenException");
	free(token);
}

static void test_list_shards_of_a_creating_stream_is_resource_in_use(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":1}"), 200);
	call(f, "ListShards", "{\"StreamName\":\"s\"}");
	assert_string_equal(error_of(f), "ResourceInUseException");
}

/* --- shards and hash keys ------------------------------------------------------ */

/* floor(i * 2^128 / n) by schoolbook long division over 64-bit limbs: an
 * oracle computed another way than the store's q*i + rem*i/n. */
static unsigned __int128 split_point(uint64_t i, uint64_t n)
{
	uint64_t limbs[3] = { i, 0, 0 }, q[3];
	unsigned __int128 rem = 0;
	for (int l = 0; l < 3; l++) {
		unsigned __int128 cur = rem << 64 | limbs[l];
		q[l] = (uint64_t)(cur / n);
		rem = cur % n;
	}
	assert_true(q[0] == 0);
	return (unsigned __int128)q[1] << 64 | q[2];
}

static void test_shards_split_the_hash_space_evenly(void **state)
{
	(void)state;
	const unsigned __int128 max = ~(unsigned __int128)0;
	const size_t counts[] = { 1, 2, 3, 7, 10, 63, 64 };
	for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		struct sim_kinesis_store st;
		sim_kinesis_store_init(&st, 1);
		assert_int_equal(sim_kinesis_store_create(&st, "s", counts[c], false, T0),
				 SIM_KINESIS_OK);
		const struct sim_kinesis_stream *s = sim_kinesis_store_find(&st, "s");
		/* contiguous from 0 to 2^128-1, each start floor(2^128 i / n),
		 * sizes differing by at most one */
		assert_true(s->shards[s->n_shards - 1].end == max);
		unsigned __int128 small = s->shards[0].end - s->shards[0].start;
		for (size_t i = 0; i < s->n_shards; i++) {
			assert_true(s->shards[i].start == split_point(i, counts[c]));
			unsigned __int128 size = s->shards[i].end - s->shards[i].start;
			assert_true((size >= small ? size - small : small - size) <= 1);
			if (i + 1 < s->n_shards)
				assert_true(s->shards[i + 1].start == s->shards[i].end + 1);
		}
		sim_kinesis_store_free(&st);
	}
}

static void test_three_shards_have_the_hash_keys_aws_prints(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 3);
	assert_int_equal(call(f, "ListShards", "{\"StreamName\":\"s\"}"), 200);
	/* floor(2^128 * i / 3): the values a 3-shard stream shows in AWS */
	assert_string_equal(str_at(f->out, "Shards.0.HashKeyRange.StartingHashKey"), "0");
	assert_string_equal(str_at(f->out, "Shards.0.HashKeyRange.EndingHashKey"),
			    "113427455640312821154458202477256070484");
	assert_string_equal(str_at(f->out, "Shards.1.HashKeyRange.StartingHashKey"),
			    "113427455640312821154458202477256070485");
	assert_string_equal(str_at(f->out, "Shards.2.HashKeyRange.StartingHashKey"),
			    "226854911280625642308916404954512140970");
	assert_string_equal(str_at(f->out, "Shards.2.HashKeyRange.EndingHashKey"),
			    "340282366920938463463374607431768211455");
	assert_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(f->out, "Shards"), 0),
				    "SequenceNumberRange"),
		"EndingSequenceNumber"));
}

static void test_partition_keys_hash_by_md5(void **state)
{
	(void)state;
	char dec[40];
	/* MD5("") = d41d8cd98f00b204e9800998ecf8427e (RFC 1321) */
	sim_kinesis_u128_format(sim_kinesis_hash_key("", 0), dec);
	assert_string_equal(dec, "281949768489412648962353822266799178366");
	/* MD5("abc") = 900150983cd24fb0d6963f7d28e17f72 */
	sim_kinesis_u128_format(sim_kinesis_hash_key("abc", 3), dec);
	assert_string_equal(dec, "191415658344158766168031473277922803570");
}

static void test_u128_decimal_round_trips_and_refuses_2_to_the_128(void **state)
{
	(void)state;
	unsigned __int128 v;
	char dec[40];
	assert_int_equal(sim_kinesis_u128_parse("340282366920938463463374607431768211455", &v), 0);
	sim_kinesis_u128_format(v, dec);
	assert_string_equal(dec, "340282366920938463463374607431768211455");
	assert_int_equal(sim_kinesis_u128_parse("340282366920938463463374607431768211456", &v), -1);
	assert_int_equal(sim_kinesis_u128_parse("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(sim_kinesis_u128_parse("01", &v), -1);
	assert_int_equal(sim_kinesis_u128_parse("", &v), -1);
	assert_int_equal(sim_kinesis_u128_parse("12a", &v), -1);
}

static void test_explicit_hash_key_picks_the_shard(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 3);
	assert_int_equal(call(f, "PutRecord",
			      "{\"StreamName\":\"s\",\"PartitionKey\":\"k\",\"Data\":\"eA==\","
			      "\"ExplicitHashKey\":\"340282366920938463463374607431768211455\"}"),
			 200);
	assert_string_equal(str_at(f->out, "ShardId"), "shardId-000000000002");
	assert_int_equal(call(f, "PutRecord",
			      "{\"StreamName\":\"s\",\"PartitionKey\":\"k\",\"Data\":\"eA==\","
			      "\"ExplicitHashKey\":\"113427455640312821154458202477256070485\"}"),
			 200);
	assert_string_equal(str_at(f->out, "ShardId"), "shardId-000000000001");
	call(f, "PutRecord",
	     "{\"StreamName\":\"s\",\"PartitionKey\":\"k\",\"Data\":\"eA==\","
	     "\"ExplicitHashKey\":\"340282366920938463463374607431768211456\"}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
}

/* --- records and iterators ------------------------------------------------------- */

static void test_records_read_back_in_order_from_every_iterator_type(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	const char *sh = "shardId-000000000000";
	char seq[4][SIM_KINESIS_SEQ_LEN + 1], out[512];
	const char *words[] = { "one", "two", "three", "four" };
	for (int i = 0; i < 4; i++) {
		f->now += 1000;
		put(f, "s", "key", words[i], seq[i], NULL);
		assert_int_equal(strlen(seq[i]), SIM_KINESIS_SEQ_LEN);
		assert_true(i == 0 || strcmp(seq[i], seq[i - 1]) > 0); /* fixed width: as numbers */
	}
	char *it = iterator(f, "s", sh, "TRIM_HORIZON", "");
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "one|two|three|four");
	assert_string_equal(str_at(f->out, "Records.2.SequenceNumber"), seq[2]);
	assert_string_equal(str_at(f->out, "Records.2.PartitionKey"), "key");
	assert_true(num_at(f->out, "Records.0.ApproximateArrivalTimestamp") ==
		    (T0 + 500 + 1000) / 1000.0);
	free(it);

	char extra[128];
	snprintf(extra, sizeof extra, ",\"StartingSequenceNumber\":\"%s\"", seq[1]);
	it = iterator(f, "s", sh, "AT_SEQUENCE_NUMBER", extra);
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "two|three|four");
	free(it);
	it = iterator(f, "s", sh, "AFTER_SEQUENCE_NUMBER", extra);
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "three|four");
	free(it);
	/* arrivals at T0+1500, +2500, +3500, +4500: the third is the first at
	 * or after +3000 */
	snprintf(extra, sizeof extra, ",\"Timestamp\":%.3f", (T0 + 3500) / 1000.0);
	it = iterator(f, "s", sh, "AT_TIMESTAMP", extra);
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "three|four");
	free(it);
	it = iterator(f, "s", sh, "LATEST", "");
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "");
	put(f, "s", "key", "five", NULL, NULL);
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "five");
	free(it);
}

static void test_next_shard_iterator_continues_and_millis_behind_latest_counts(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	for (int i = 0; i < 3; i++) {
		char w[8];
		snprintf(w, sizeof w, "r%d", i);
		put(f, "s", "k", w, NULL, NULL);
		f->now += 100;
	}
	char out[256];
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	read_data(f, it, 1, out, sizeof out);
	assert_string_equal(out, "r0");
	/* the next unread record (r1) arrived 200 ms before now */
	assert_int_equal(num_at(f->out, "MillisBehindLatest"), 200);
	char *next = strdup(str_at(f->out, "NextShardIterator"));
	read_data(f, next, 0, out, sizeof out);
	assert_string_equal(out, "r1|r2");
	assert_int_equal(num_at(f->out, "MillisBehindLatest"), 0);
	free(it);
	free(next);
}

static void test_iterators_expire_after_five_minutes(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	f->now += SIM_KINESIS_ITERATOR_TTL_MS;
	assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it), 200);
	f->now += 1;
	call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it);
	assert_string_equal(error_of(f), "ExpiredIteratorException");
	free(it);
}

static void test_an_edited_iterator_is_invalid_argument(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 2);
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	/* move it to shard 1 by rewriting the plain text, keeping the MAC */
	uint8_t plain[512];
	long n = base64_decode(it, strlen(it), plain, sizeof plain);
	assert_true(n > 0);
	char *bar = memchr(plain + 3, '|', (size_t)n - 3); /* "i1|SERIAL|" */
	assert_non_null(bar);
	assert_int_equal(bar[1], '0');
	bar[1] = '1';
	char forged[700];
	base64_encode(plain, (size_t)n, forged);
	call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", forged);
	assert_string_equal(error_of(f), "InvalidArgumentException");
	call(f, "GetRecords", "{\"ShardIterator\":\"AAAA\"}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	/* the untouched one still works: the refusal is the edit's doing */
	assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it), 200);
	free(it);
}

static void test_sequence_numbers_of_another_shard_are_refused(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 2);
	char seq[SIM_KINESIS_SEQ_LEN + 1], shard[32], extra[128];
	put(f, "s", "k", "x", seq, shard);
	const char *other = strcmp(shard, "shardId-000000000000") == 0 ? "shardId-000000000001"
								       : "shardId-000000000000";
	snprintf(extra, sizeof extra, ",\"StartingSequenceNumber\":\"%s\"", seq);
	call(f, "GetShardIterator",
	     "{\"StreamName\":\"s\",\"ShardId\":\"%s\",\"ShardIteratorType\":\"AT_SEQUENCE_"
	     "NUMBER\"%s}",
	     other, extra);
	assert_string_equal(error_of(f), "InvalidArgumentException");
	call(f, "GetShardIterator",
	     "{\"StreamName\":\"s\",\"ShardId\":\"%s\",\"ShardIteratorType\":\"AT_SEQUENCE_"
	     "NUMBER\"}",
	     shard);
	assert_string_equal(error_of(f), "InvalidArgumentException");
	call(f, "GetShardIterator",
	     "{\"StreamName\":\"s\",\"ShardId\":\"shardId-000000000002\",\"ShardIteratorType\":"
	     "\"LATEST\"}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
	call(f, "GetShardIterator",
	     "{\"StreamName\":\"s\",\"ShardId\":\"%s\",\"ShardIteratorType\":\"SOMEWHERE\"}",
	     shard);
	assert_string_equal(error_of(f), "ValidationException");
}

static void test_put_records_writes_each_entry(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	assert_int_equal(call(f, "PutRecords",
			      "{\"StreamName\":\"s\",\"Records\":[{\"PartitionKey\":\"a\",\"Data\":"
			      "\"YQ==\"},{\"PartitionKey\":\"b\",\"Data\":\"Yg==\"}]}"),
			 200);
	assert_int_equal(num_at(f->out, "FailedRecordCount"), 0);
	assert_string_equal(str_at(f->out, "Records.1.ShardId"), "shardId-000000000000");
	char out[64];
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "a|b");
	free(it);
	call(f, "PutRecords", "{\"StreamName\":\"s\",\"Records\":[]}");
	assert_string_equal(error_of(f), "ValidationException");
	call(f, "PutRecords", "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"YQ==\"}]}");
	assert_string_equal(error_of(f), "ValidationException");
	/* nothing of a refused request is written */
	call(f, "PutRecords",
	     "{\"StreamName\":\"s\",\"Records\":[{\"PartitionKey\":\"a\",\"Data\":\"YQ==\"},"
	     "{\"PartitionKey\":\"b\",\"Data\":\"!!\"}]}");
	assert_string_equal(error_of(f), "SerializationException");
	it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	read_data(f, it, 0, out, sizeof out);
	assert_string_equal(out, "a|b");
	free(it);
}

static void test_shard_caps_trim_the_oldest_records(void **state)
{
	(void)state;
	struct sim_kinesis_store st;
	sim_kinesis_store_init(&st, 1);
	assert_int_equal(sim_kinesis_store_create(&st, "s", 1, false, T0), SIM_KINESIS_OK);
	struct sim_kinesis_shard *sh = &sim_kinesis_store_find(&st, "s")->shards[0];
	uint64_t index = 0;
	for (uint64_t i = 0; i < SIM_KINESIS_SHARD_RECORDS_MAX + 5; i++) {
		char data[24];
		int n = snprintf(data, sizeof data, "%" PRIu64, i);
		assert_int_equal(sim_kinesis_shard_append(sh, "k", 1, data, (size_t)n, T0, &index),
				 SIM_KINESIS_OK);
		assert_true(index == i);
	}
	assert_true(sh->first == 5 && sh->n == SIM_KINESIS_SHARD_RECORDS_MAX);
	assert_null(sim_kinesis_shard_get(sh, 4));
	const struct sim_kinesis_record *r = sim_kinesis_shard_get(sh, 5);
	assert_non_null(r);
	assert_memory_equal(r->bytes + r->key_len, "5", 1);
	sim_kinesis_store_free(&st);

	/* bytes: 1 MiB records, at most 8 MiB kept */
	sim_kinesis_store_init(&st, 1);
	assert_int_equal(sim_kinesis_store_create(&st, "s", 1, false, T0), SIM_KINESIS_OK);
	sh = &sim_kinesis_store_find(&st, "s")->shards[0];
	size_t len = SIM_KINESIS_DATA_MAX - 1;
	uint8_t *big = calloc(1, len);
	for (int i = 0; i < 12; i++)
		assert_int_equal(sim_kinesis_shard_append(sh, "k", 1, big, len, T0, &index),
				 SIM_KINESIS_OK);
	assert_true(sh->bytes <= SIM_KINESIS_SHARD_BYTES_MAX);
	assert_true(sh->first == 4 && sh->next == 12);
	assert_int_equal(sim_kinesis_shard_append(sh, "k", 1, big, len + 1, T0, &index),
			 SIM_KINESIS_TOO_LARGE);
	free(big);
	sim_kinesis_store_free(&st);
}

static void test_trim_horizon_after_trimming_starts_at_the_oldest_kept(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 1);
	char *it = iterator(f, "s", "shardId-000000000000", "TRIM_HORIZON", "");
	for (int i = 0; i < SIM_KINESIS_SHARD_RECORDS_MAX + 2; i++)
		assert_int_equal(sim_kinesis_put(f->k, "s", "k", &i, sizeof i, NULL, 0), 0);
	/* the old iterator points at a trimmed record: reading goes on from
	 * the oldest kept, as past retention */
	assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\",\"Limit\":1}", it), 200);
	const char *seq = str_at(f->out, "Records.0.SequenceNumber");
	assert_string_equal(seq + strlen(seq) - 2, "02");
	free(it);
}

/* --- the delivery API --------------------------------------------------------------- */

static void test_put_delivers_only_to_an_active_stream(void **state)
{
	struct fixture *f = *state;
	char err[160];
	const char *arn = "arn:aws:kinesis:us-east-1:123456789012:stream/js";
	assert_int_equal(sim_kinesis_put(f->k, arn, "1", "x", 1, err, sizeof err), 1);
	assert_non_null(strstr(err, "not found"));
	assert_false(sim_kinesis_stream_active(f->k, arn));
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"js\",\"ShardCount\":1}"), 200);
	assert_int_equal(sim_kinesis_put(f->k, arn, "1", "x", 1, err, sizeof err), 1);
	assert_false(sim_kinesis_stream_active(f->k, "js"));
	f->now += 500;
	assert_true(sim_kinesis_stream_active(f->k, arn));
	assert_int_equal(sim_kinesis_put(f->k, arn, "7", "\0bin\xff", 5, err, sizeof err), 0);
	assert_int_equal(sim_kinesis_put(f->k, "js", "8", "", 0, err, sizeof err), 0);
	char *it = iterator(f, "js", "shardId-000000000000", "TRIM_HORIZON", "");
	assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it), 200);
	assert_string_equal(str_at(f->out, "Records.0.Data"), "AGJpbv8=");
	assert_string_equal(str_at(f->out, "Records.0.PartitionKey"), "7");
	assert_string_equal(str_at(f->out, "Records.1.Data"), "");
	free(it);
	assert_int_equal(sim_kinesis_put(f->k, arn, "", "x", 1, err, sizeof err), -1);
	assert_int_equal(call(f, "DeleteStream", "{\"StreamName\":\"js\"}"), 200);
	assert_int_equal(sim_kinesis_put(f->k, arn, "1", "x", 1, err, sizeof err), 1);
	assert_false(sim_kinesis_stream_active(f->k, arn));
}

struct writer {
	struct sim_kinesis *k;
	int id;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	for (int i = 0; i < 2000; i++) {
		char key[16];
		snprintf(key, sizeof key, "w%d-%d", w->id, i);
		if (sim_kinesis_put(w->k, "s", key, key, strlen(key), NULL, 0) != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_four_threads_put_at_once_and_nothing_is_lost(void **state)
{
	struct fixture *f = *state;
	make_active(f, "s", 4);
	pthread_t t[4];
	struct writer w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct writer){ f->k, i };
		assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		void *rc;
		pthread_join(t[i], &rc);
		assert_null(rc);
	}
	int total = 0;
	for (int s = 0; s < 4; s++) {
		char id[32];
		snprintf(id, sizeof id, "shardId-%012d", s);
		char *it = iterator(f, "s", id, "TRIM_HORIZON", "");
		assert_int_equal(call(f, "GetRecords", "{\"ShardIterator\":\"%s\"}", it), 200);
		total += cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Records"));
		free(it);
	}
	assert_int_equal(total, 8000);
}

/* --- protocol and validation ---------------------------------------------------------- */

static void test_errors_have_the_json_1_1_shape(void **state)
{
	struct fixture *f = *state;
	call(f, "DescribeStream", "{\"StreamName\":\"nope\"}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
	assert_string_equal(str_at(f->out, "message"),
			    "Stream nope under account 123456789012 not found.");
	call(f, "MergeShards", "{}");
	assert_string_equal(error_of(f), "UnknownOperationException");
	call(f, "ListStreams", "{\"Limit\":");
	assert_string_equal(error_of(f), "SerializationException");
	call(f, "ListStreams", "[]");
	assert_string_equal(error_of(f), "SerializationException");
	/* pre-dispatch errors keep their status, in the same shape */
	struct sim_response res = { 0 };
	sim_kinesis_error(&res, SIM_ERR_INVALID_SIGNATURE, "signature does not match");
	assert_int_equal(res.status, 403);
	assert_string_equal(res.content_type, "application/x-amz-json-1.1");
	assert_string_equal(res.body, "{\"__type\":\"InvalidSignatureException\",\"message\":"
				      "\"signature does not match\"}");
	sim_response_clear(&res);
}

static void test_a_request_without_target_is_unknown_operation(void **state)
{
	struct fixture *f = *state;
	struct hdr h[] = { { NULL, NULL } };
	struct sim_request req = { .method = "POST",
				   .path = "/",
				   .body = "{}",
				   .body_len = 2,
				   .header = hdr_lookup,
				   .header_ctx = h };
	sim_kinesis_handle(f->k, &req, &f->res);
	assert_int_equal(f->res.status, 400);
	assert_string_equal(f->res.error_code, "UnknownOperationException");
}

static void test_validation_codes_follow_the_service(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *op, *body, *code;
	} CASES[] = {
		{ "CreateStream", "{\"ShardCount\":1}", "ValidationException" },
		{ "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":0}",
		  "ValidationException" },
		{ "CreateStream", "{\"StreamName\":\"a/b\",\"ShardCount\":1}",
		  "ValidationException" },
		{ "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":\"1\"}",
		  "SerializationException" },
		{ "CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":1.5}",
		  "SerializationException" },
		{ "CreateStream", "{\"StreamName\":\"s\"}", "InvalidArgumentException" },
		{ "CreateStream",
		  "{\"StreamName\":\"s\",\"StreamModeDetails\":{\"StreamMode\":\"FAST\"}}",
		  "ValidationException" },
		{ "DescribeStream", "{}", "InvalidArgumentException" },
		{ "DescribeStream", "{\"StreamARN\":\"arn:aws:s3:::bucket\"}",
		  "ValidationException" },
		{ "DescribeStream",
		  "{\"StreamName\":\"a\",\"StreamARN\":\"arn:aws:kinesis:us-east-1:123456789012:"
		  "stream/b\"}",
		  "InvalidArgumentException" },
		{ "DescribeStream", "{\"StreamName\":\"a\",\"Limit\":0}", "ValidationException" },
		{ "ListStreams", "{\"Limit\":10001}", "ValidationException" },
		{ "ListStreams", "{\"NextToken\":\"x\",\"ExclusiveStartStreamName\":\"a\"}",
		  "InvalidArgumentException" },
		{ "ListShards", "{\"NextToken\":\"bm90IG91cnM=\"}", "InvalidArgumentException" },
		{ "ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":\"ALL\"}}",
		  "ValidationException" },
		{ "GetRecords", "{}", "ValidationException" },
		{ "GetRecords", "{\"ShardIterator\":\"x\",\"Limit\":10001}",
		  "ValidationException" },
		{ "PutRecord", "{\"StreamName\":\"s\",\"Data\":\"eA==\"}", "ValidationException" },
		{ "PutRecord", "{\"StreamName\":\"s\",\"PartitionKey\":\"k\"}",
		  "ValidationException" },
		{ "PutRecord", "{\"StreamName\":\"nope\",\"PartitionKey\":\"k\",\"Data\":\"eA==\"}",
		  "ResourceNotFoundException" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		call(f, CASES[i].op, "%s", CASES[i].body);
		if (f->res.status != 400 || strcmp(f->res.error_code, CASES[i].code) != 0)
			fail_msg("%s %s: %u %s, want %s", CASES[i].op, CASES[i].body, f->res.status,
				 f->res.body, CASES[i].code);
		error_of(f);
	}
}

/* --- settings: retention, encryption, tags ----------------------------------- */

static void test_retention_increases_and_decreases_by_aws_rules(void **state)
{
	struct fixture *f = *state;
	make_active(f, "r", 1);
	assert_int_equal(call(f, "DescribeStream", "{\"StreamName\":\"r\"}"), 200);
	assert_int_equal(num_at(f->out, "StreamDescription.RetentionPeriodHours"), 24);
	assert_int_equal(call(f, "IncreaseStreamRetentionPeriod",
			      "{\"StreamName\":\"r\",\"RetentionPeriodHours\":168}"),
			 200);
	assert_int_equal(call(f, "DescribeStreamSummary", "{\"StreamName\":\"r\"}"), 200);
	assert_int_equal(num_at(f->out, "StreamDescriptionSummary.RetentionPeriodHours"), 168);
	assert_string_equal(str_at(f->out, "StreamDescriptionSummary.StreamStatus"), "ACTIVE");
	/* increasing to less than the current is refused, naming the other API */
	call(f, "IncreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"r\",\"RetentionPeriodHours\":48}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_non_null(strstr(str_at(f->out, "message"), "can not be shorter"));
	assert_non_null(strstr(str_at(f->out, "message"), "(168 hours)"));
	call(f, "DecreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"r\",\"RetentionPeriodHours\":200}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_non_null(strstr(str_at(f->out, "message"), "can not be longer"));
	/* the bounds: 24 .. 8760 */
	call(f, "DecreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"r\",\"RetentionPeriodHours\":23}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_non_null(strstr(str_at(f->out, "message"), "Minimum allowed retention period"));
	call(f, "IncreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"r\",\"RetentionPeriodHours\":8761}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_int_equal(call(f, "IncreaseStreamRetentionPeriod",
			      "{\"StreamName\":\"r\",\"RetentionPeriodHours\":8760}"),
			 200);
	assert_int_equal(call(f, "DecreaseStreamRetentionPeriod",
			      "{\"StreamName\":\"r\",\"RetentionPeriodHours\":24}"),
			 200);
	assert_int_equal(call(f, "DescribeStreamSummary", "{\"StreamName\":\"r\"}"), 200);
	assert_int_equal(num_at(f->out, "StreamDescriptionSummary.RetentionPeriodHours"), 24);
	/* required member, missing stream, a stream still CREATING */
	call(f, "IncreaseStreamRetentionPeriod", "{\"StreamName\":\"r\"}");
	assert_string_equal(error_of(f), "ValidationException");
	call(f, "IncreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"nope\",\"RetentionPeriodHours\":48}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
	assert_int_equal(call(f, "CreateStream", "{\"StreamName\":\"c\",\"ShardCount\":1}"), 200);
	call(f, "IncreaseStreamRetentionPeriod",
	     "{\"StreamName\":\"c\",\"RetentionPeriodHours\":48}");
	assert_string_equal(error_of(f), "ResourceInUseException");
}

static void test_encryption_starts_and_stops_and_shows_in_describe_and_puts(void **state)
{
	struct fixture *f = *state;
	make_active(f, "e", 1);
	assert_int_equal(call(f, "StartStreamEncryption",
			      "{\"StreamName\":\"e\",\"EncryptionType\":\"KMS\","
			      "\"KeyId\":\"alias/aws/kinesis\"}"),
			 200);
	assert_int_equal(call(f, "DescribeStream", "{\"StreamName\":\"e\"}"), 200);
	assert_string_equal(str_at(f->out, "StreamDescription.EncryptionType"), "KMS");
	assert_string_equal(str_at(f->out, "StreamDescription.KeyId"), "alias/aws/kinesis");
	assert_int_equal(call(f, "DescribeStreamSummary", "{\"StreamName\":\"e\"}"), 200);
	assert_string_equal(str_at(f->out, "StreamDescriptionSummary.EncryptionType"), "KMS");
	put(f, "e", "k", "hello", NULL, NULL);
	assert_string_equal(str_at(f->out, "EncryptionType"), "KMS");
	/* NONE is no type to start; an unknown type is a validation error;
	 * a key of no KMS form is not found */
	call(f, "StartStreamEncryption",
	     "{\"StreamName\":\"e\",\"EncryptionType\":\"NONE\",\"KeyId\":\"alias/x\"}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	call(f, "StartStreamEncryption",
	     "{\"StreamName\":\"e\",\"EncryptionType\":\"AES\",\"KeyId\":\"alias/x\"}");
	assert_string_equal(error_of(f), "ValidationException");
	call(f, "StartStreamEncryption",
	     "{\"StreamName\":\"e\",\"EncryptionType\":\"KMS\",\"KeyId\":\"not a key\"}");
	assert_string_equal(error_of(f), "KMSNotFoundException");
	call(f, "StartStreamEncryption", "{\"StreamName\":\"e\",\"EncryptionType\":\"KMS\"}");
	assert_string_equal(error_of(f), "ValidationException");
	assert_int_equal(call(f, "StopStreamEncryption",
			      "{\"StreamName\":\"e\",\"EncryptionType\":\"KMS\","
			      "\"KeyId\":\"alias/aws/kinesis\"}"),
			 200);
	assert_int_equal(call(f, "DescribeStream", "{\"StreamName\":\"e\"}"), 200);
	assert_string_equal(str_at(f->out, "StreamDescription.EncryptionType"), "NONE");
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(f->out, "StreamDescription"), "KeyId"));
}

static void test_tags_are_added_listed_in_order_paged_and_removed(void **state)
{
	struct fixture *f = *state;
	make_active(f, "t", 1);
	assert_int_equal(call(f, "ListTagsForStream", "{\"StreamName\":\"t\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Tags")), 0);
	assert_int_equal(call(f, "AddTagsToStream",
			      "{\"StreamName\":\"t\",\"Tags\":{\"Purpose\":\"journal\","
			      "\"Environment\":\"dev\"}}"),
			 200);
	/* an existing key's value is replaced */
	assert_int_equal(call(f, "AddTagsToStream",
			      "{\"StreamName\":\"t\",\"Tags\":{\"Environment\":\"production\"}}"),
			 200);
	assert_int_equal(call(f, "ListTagsForStream", "{\"StreamName\":\"t\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Tags")), 2);
	assert_string_equal(str_at(f->out, "Tags.0.Key"), "Environment");
	assert_string_equal(str_at(f->out, "Tags.0.Value"), "production");
	assert_string_equal(str_at(f->out, "Tags.1.Key"), "Purpose");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(f->out, "HasMoreTags")));
	assert_int_equal(call(f, "ListTagsForStream", "{\"StreamName\":\"t\",\"Limit\":1}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Tags")), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f->out, "HasMoreTags")));
	assert_int_equal(call(f, "ListTagsForStream",
			      "{\"StreamName\":\"t\",\"ExclusiveStartTagKey\":\"Environment\"}"),
			 200);
	assert_string_equal(str_at(f->out, "Tags.0.Key"), "Purpose");
	assert_int_equal(call(f, "RemoveTagsFromStream",
			      "{\"StreamName\":\"t\",\"TagKeys\":[\"Purpose\",\"absent\"]}"),
			 200);
	assert_int_equal(call(f, "ListTagsForStream", "{\"StreamName\":\"t\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Tags")), 1);
	assert_string_equal(str_at(f->out, "Tags.0.Key"), "Environment");
	/* bad input */
	call(f, "AddTagsToStream", "{\"StreamName\":\"t\",\"Tags\":{}}");
	assert_string_equal(error_of(f), "ValidationException");
	call(f, "AddTagsToStream", "{\"StreamName\":\"t\",\"Tags\":{\"a\":1}}");
	assert_string_equal(error_of(f), "SerializationException");
	call(f, "AddTagsToStream", "{\"StreamName\":\"t\",\"Tags\":{\"a<b\":\"x\"}}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	call(f, "RemoveTagsFromStream", "{\"StreamName\":\"t\"}");
	assert_string_equal(error_of(f), "ValidationException");
	call(f, "ListTagsForStream", "{\"StreamName\":\"nope\"}");
	assert_string_equal(error_of(f), "ResourceNotFoundException");
}

static void test_a_stream_holds_at_most_fifty_tags_all_or_none(void **state)
{
	struct fixture *f = *state;
	make_active(f, "m", 1);
	for (int i = 0; i < 5; i++) {
		char body[512];
		int n = snprintf(body, sizeof body, "{\"StreamName\":\"m\",\"Tags\":{");
		for (int j = 0; j < 10; j++)
			n += snprintf(body + n, sizeof body - (size_t)n, "%s\"k%02d\":\"v\"",
				      j ? "," : "", i * 10 + j);
		snprintf(body + n, sizeof body - (size_t)n, "}}");
		assert_int_equal(call(f, "AddTagsToStream", "%s", body), 200);
	}
	/* a 51st key is refused and nothing of the request is applied */
	call(f, "AddTagsToStream", "{\"StreamName\":\"m\",\"Tags\":{\"k00\":\"new\",\"z\":\"v\"}}");
	assert_string_equal(error_of(f), "InvalidArgumentException");
	assert_non_null(strstr(str_at(f->out, "message"), "more than 50 tags"));
	assert_int_equal(call(f, "ListTagsForStream", "{\"StreamName\":\"m\"}"), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->out, "Tags")), 50);
	assert_string_equal(str_at(f->out, "Tags.0.Value"), "v");
	/* replacing an existing key stays within the cap */
	assert_int_equal(
		call(f, "AddTagsToStream", "{\"StreamName\":\"m\",\"Tags\":{\"k00\":\"w\"}}"), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_stream_is_creating_then_active_after_the_delay),
		T(test_delays_are_configurable),
		T(test_delete_is_deleting_then_gone_and_a_new_stream_of_the_name_is_another),
		T(test_delete_of_a_creating_stream_is_resource_in_use),
		T(test_on_demand_starts_with_four_shards),
		T(test_stream_and_shard_caps_are_limit_exceeded),
		T(test_list_streams_pages_by_token_and_by_name),
		T(test_list_shards_pages_and_its_token_expires),
		T(test_list_shards_of_a_creating_stream_is_resource_in_use),
		T(test_shards_split_the_hash_space_evenly),
		T(test_three_shards_have_the_hash_keys_aws_prints),
		T(test_partition_keys_hash_by_md5),
		T(test_u128_decimal_round_trips_and_refuses_2_to_the_128),
		T(test_explicit_hash_key_picks_the_shard),
		T(test_records_read_back_in_order_from_every_iterator_type),
		T(test_next_shard_iterator_continues_and_millis_behind_latest_counts),
		T(test_iterators_expire_after_five_minutes),
		T(test_an_edited_iterator_is_invalid_argument),
		T(test_sequence_numbers_of_another_shard_are_refused),
		T(test_put_records_writes_each_entry),
		T(test_shard_caps_trim_the_oldest_records),
		T(test_trim_horizon_after_trimming_starts_at_the_oldest_kept),
		T(test_put_delivers_only_to_an_active_stream),
		T(test_four_threads_put_at_once_and_nothing_is_lost),
		T(test_errors_have_the_json_1_1_shape),
		T(test_a_request_without_target_is_unknown_operation),
		T(test_validation_codes_follow_the_service),
		T(test_retention_increases_and_decreases_by_aws_rules),
		T(test_encryption_starts_and_stops_and_shows_in_describe_and_puts),
		T(test_tags_are_added_listed_in_order_paged_and_removed),
		T(test_a_stream_holds_at_most_fifty_tags_all_or_none),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
