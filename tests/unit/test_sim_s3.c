/*
 * test_sim_s3.c - the endpoint's S3 without a socket: requests built as
 * server.c builds them and handed to sim_s3_handle, answers checked
 * against S3's wire shapes (rest-xml, the S3 API reference): bucket and
 * object operations, ETags (quoted MD5; multipart MD5-of-MD5s "-N"),
 * ranges (206, Content-Range, 416), ListObjectsV2 paging with prefixes,
 * delimiters and opaque tokens, virtual-host style, the XML error shape
 * with escaping, the memory cap, the disk layout (keys cannot leave it)
 * and the exports' API. The real AWS CLI is the other oracle
 * (tests/integration/aws_cli_s3.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/s3.h"
#include "sim/s3_xml.h"
#include "tests/lib/testutil.h"

#define PART_MIN (5u << 20)

struct call {
	struct sim_param q[8];
	size_t nq;
	struct hdr h[8];
	size_t nh;
	const char *region;
};

/* Answer method path with the call's query and headers; res owns its
 * body (the test clears it). */
static void run(struct sim_s3 *s, const char *method, const char *path, struct call *c,
		const void *body, size_t len, struct sim_response *res)
{
	struct call none = { 0 };
	c = c ? c : &none;
	c->h[c->nh].name = NULL;
	struct sim_request req = { .method = method,
				   .path = path,
				   .query = c->q,
				   .n_query = c->nq,
				   .body = body,
				   .body_len = len,
				   .region = c->region,
				   .header = hdr_lookup,
				   .header_ctx = c->h };
	sim_response_clear(res);
	sim_s3_handle(s, &req, res);
}

static unsigned status_of(struct sim_s3 *s, const char *method, const char *path, struct call *c,
			  const char *body)
{
	struct sim_response res = { 0 };
	run(s, method, path, c, body, body ? strlen(body) : 0, &res);
	unsigned st = res.status;
	sim_response_clear(&res);
	return st;
}

static const char *header_of(const struct sim_response *res, const char *name)
{
	for (size_t i = 0; i < res->n_headers; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

/* The body as a NUL-terminated string (static, for assertions). */
static const char *body_of(const struct sim_response *res)
{
	static char text[1 << 16];
	size_t n = res->body_len < sizeof text - 1 ? res->body_len : sizeof text - 1;
	memcpy(text, res->body ? res->body : "", n);
	text[n] = '\0';
	return text;
}

static void add_q(struct call *c, const char *k, const char *v)
{
	c->q[c->nq++] = (struct sim_param){ k, v };
}

static void add_h(struct call *c, const char *k, const char *v)
{
	c->h[c->nh++] = (struct hdr){ k, v };
}

static struct sim_s3 *fresh(void)
{
	char err[256];
	struct sim_s3 *s = sim_s3_new(NULL, err, sizeof err);
	assert_non_null(s);
	return s;
}

static void test_buckets_are_created_listed_and_deleted_with_s3_statuses(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/exports", NULL, NULL), 200);
	/* with a CreateBucketConfiguration body too */
	struct call eu = { .region = "eu-west-1" };
	assert_int_equal(status_of(s, "PUT", "/eu-bucket", &eu,
				   "<CreateBucketConfiguration xmlns=\"" S3_XML_NS "\">"
				   "<LocationConstraint>eu-west-1</LocationConstraint>"
				   "</CreateBucketConfiguration>"),
			 200);
	/* again: us-east-1 answers 200 (S3's legacy), other regions 409 */
	assert_int_equal(status_of(s, "PUT", "/exports", NULL, NULL), 200);
	run(s, "PUT", "/eu-bucket", &eu, NULL, 0, &res);
	assert_int_equal(res.status, 409);
	assert_non_null(strstr(body_of(&res), "<Code>BucketAlreadyOwnedByYou</Code>"));
	assert_int_equal(status_of(s, "PUT", "/Bad_Name", NULL, NULL), 400);
	assert_int_equal(status_of(s, "PUT", "/192.168.1.1", NULL, NULL), 400);

	run(s, "GET", "/", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "application/xml");
	const char *xml = body_of(&res);
	assert_non_null(strstr(xml, "<ListAllMyBucketsResult"));
	const char *a = strstr(xml, "<Name>eu-bucket</Name>"),
		   *b = strstr(xml, "<Name>exports</Name>");
	assert_true(a && b && a < b); /* sorted by name */
	assert_non_null(strstr(xml, "<CreationDate>20"));

	assert_int_equal(status_of(s, "HEAD", "/exports", NULL, NULL), 200);
	assert_int_equal(status_of(s, "HEAD", "/missing-bucket", NULL, NULL), 404);
	assert_int_equal(status_of(s, "PUT", "/exports/k", NULL, "x"), 200);
	run(s, "DELETE", "/exports", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 409);
	assert_non_null(strstr(body_of(&res), "<Code>BucketNotEmpty</Code>"));
	assert_int_equal(status_of(s, "DELETE", "/exports/k", NULL, NULL), 204);
	assert_int_equal(status_of(s, "DELETE", "/exports", NULL, NULL), 204);
	run(s, "DELETE", "/exports", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Code>NoSuchBucket</Code>"));
	assert_non_null(strstr(body_of(&res), "<BucketName>exports</BucketName>"));
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_objects_round_trip_with_quoted_md5_etag(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/b1b", NULL, NULL), 200);
	struct call put = { 0 };
	add_h(&put, "Content-Type", "text/plain");
	run(s, "PUT", "/b1b/dir/hello%20world.txt", &put, "hello", 5, &res);
	assert_int_equal(res.status, 200);
	/* MD5("hello") */
	assert_string_equal(header_of(&res, "ETag"), "\"5d41402abc4b2a76b9719d911017c592\"");

	run(s, "GET", "/b1b/dir/hello world.txt", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, 5);
	assert_memory_equal(res.body, "hello", 5);
	assert_string_equal(res.content_type, "text/plain");
	assert_string_equal(header_of(&res, "ETag"), "\"5d41402abc4b2a76b9719d911017c592\"");
	assert_non_null(strstr(header_of(&res, "Last-Modified"), " GMT"));

	/* HEAD: the length without the bytes' content */
	run(s, "HEAD", "/b1b/dir/hello%20world.txt", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, 5);

	run(s, "GET", "/b1b/dir/nope", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Code>NoSuchKey</Code>"));
	assert_non_null(strstr(body_of(&res), "<Key>dir/nope</Key>"));
	run(s, "PUT", "/nob/k", NULL, "x", 1, &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Code>NoSuchBucket</Code>"));

	/* an empty object, and a replaced one */
	assert_int_equal(status_of(s, "PUT", "/b1b/empty", NULL, NULL), 200);
	run(s, "GET", "/b1b/empty", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, 0);
	assert_string_equal(header_of(&res, "ETag"), "\"d41d8cd98f00b204e9800998ecf8427e\"");
	assert_int_equal(status_of(s, "PUT", "/b1b/empty", NULL, "now full"), 200);
	run(s, "GET", "/b1b/empty", NULL, NULL, 0, &res);
	assert_int_equal(res.body_len, 8);

	/* Content-MD5 is checked when sent */
	struct call md5 = { 0 };
	add_h(&md5, "Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==");
	assert_int_equal(status_of(s, "PUT", "/b1b/m", &md5, "hello"), 200);
	run(s, "PUT", "/b1b/m", &md5, "hellO", 5, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body_of(&res), "<Code>BadDigest</Code>"));
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_ranges_answer_206_with_content_range_or_416(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/rng", NULL, NULL), 200);
	assert_int_equal(status_of(s, "PUT", "/rng/k", NULL, "0123456789"), 200);
	static const struct {
		const char *range;
		unsigned status;
		const char *bytes, *content_range;
	} CASES[] = {
		{ "bytes=2-5", 206, "2345", "bytes 2-5/10" },
		{ "bytes=7-", 206, "789", "bytes 7-9/10" },
		{ "bytes=-3", 206, "789", "bytes 7-9/10" },
		{ "bytes=8-100", 206, "89", "bytes 8-9/10" },
		{ "bytes=-100", 206, "0123456789", "bytes 0-9/10" },
		{ "bytes=10-12", 416, NULL, "bytes */10" },
		{ "bytes=-0", 416, NULL, "bytes */10" },
		{ "bytes=5-2", 200, "0123456789", NULL },     /* inverted: ignored */
		{ "bytes=0-1,4-5", 200, "0123456789", NULL }, /* several: ignored */
		{ "pages=1-2", 200, "0123456789", NULL },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct call c = { 0 };
		add_h(&c, "Range", CASES[i].range);
		run(s, "GET", "/rng/k", &c, NULL, 0, &res);
		if (res.status != CASES[i].status)
			fail_msg("%s: status %u", CASES[i].range, res.status);
		if (CASES[i].bytes) {
			assert_int_equal(res.body_len, strlen(CASES[i].bytes));
			assert_memory_equal(res.body, CASES[i].bytes, res.body_len);
		} else {
			assert_non_null(strstr(body_of(&res), "<Code>InvalidRange</Code>"));
		}
		const char *cr = header_of(&res, "Content-Range");
		if (CASES[i].content_range)
			assert_string_equal(cr, CASES[i].content_range);
		else
			assert_null(cr);
	}
	sim_response_clear(&res);
	sim_s3_free(s);
}

/* Every key of a ListObjectsV2 walk with max-keys 1..n, following the
 * tokens: the same entries in the same order as one big page. */
static void list_all(struct sim_s3 *s, const char *prefix, const char *delim, const char *max,
		     char *out, size_t cap)
{
	struct sim_response res = { 0 };
	char token[4096] = "";
	out[0] = '\0';
	for (int page = 0; page < 100; page++) {
		struct call c = { 0 };
		add_q(&c, "list-type", "2");
		if (prefix)
			add_q(&c, "prefix", prefix);
		if (delim)
			add_q(&c, "delimiter", delim);
		add_q(&c, "max-keys", max);
		if (token[0])
			add_q(&c, "continuation-token", token);
		run(s, "GET", "/lst", &c, NULL, 0, &res);
		assert_int_equal(res.status, 200);
		const char *xml = body_of(&res);
		size_t at = 0, len, n = strlen(xml);
		const char *v;
		/* Contents keys then CommonPrefixes, as S3 writes them */
		while ((v = s3_xml_next(xml, n, &at, "Key", &len)))
			snprintf(out + strlen(out), cap - strlen(out), "%.*s,", (int)len, v);
		at = 0;
		size_t cpl;
		const char *cp;
		while ((cp = s3_xml_next(xml, n, &at, "CommonPrefixes", &cpl))) {
			size_t pat = 0;
			v = s3_xml_next(cp, cpl, &pat, "Prefix", &len);
			snprintf(out + strlen(out), cap - strlen(out), "[%.*s],", (int)len, v);
		}
		at = 0;
		v = s3_xml_next(xml, n, &at, "NextContinuationToken", &len);
		bool truncated = strstr(xml, "<IsTruncated>true</IsTruncated>") != NULL;
		assert_int_equal(truncated, v != NULL);
		if (!v)
			break;
		snprintf(token, sizeof token, "%.*s", (int)len, v);
	}
	sim_response_clear(&res);
}

static void test_list_v2_pages_prefixes_and_delimiters(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/lst", NULL, NULL), 200);
	static const char *const KEYS[] = { "a/1", "a/2", "a/x/3", "b/1", "c", "d/1", "d/2" };
	for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
		char path[64];
		snprintf(path, sizeof path, "/lst/%s", KEYS[i]);
		assert_int_equal(status_of(s, "PUT", path, NULL, "x"), 200);
	}
	char all[1024], paged[1024];
	list_all(s, NULL, NULL, "1000", all, sizeof all);
	assert_string_equal(all, "a/1,a/2,a/x/3,b/1,c,d/1,d/2,");
	list_all(s, NULL, NULL, "1", paged, sizeof paged);
	assert_string_equal(paged, all);
	list_all(s, "a/", NULL, "2", paged, sizeof paged);
	assert_string_equal(paged, "a/1,a/2,a/x/3,");
	/* rolled up at '/': a page boundary inside a common prefix never
	 * repeats it */
	list_all(s, NULL, "/", "1000", all, sizeof all);
	assert_string_equal(all, "c,[a/],[b/],[d/],");
	list_all(s, NULL, "/", "1", paged, sizeof paged);
	assert_string_equal(paged, "[a/],[b/],c,[d/],");
	list_all(s, "a/", "/", "1", paged, sizeof paged);
	assert_string_equal(paged, "a/1,a/2,[a/x/],");

	/* KeyCount, MaxKeys, start-after */
	struct call c = { 0 };
	add_q(&c, "list-type", "2");
	add_q(&c, "max-keys", "2");
	add_q(&c, "start-after", "b/1");
	run(s, "GET", "/lst", &c, NULL, 0, &res);
	const char *xml = body_of(&res);
	assert_non_null(strstr(xml, "<KeyCount>2</KeyCount>"));
	assert_non_null(strstr(xml, "<MaxKeys>2</MaxKeys>"));
	assert_non_null(strstr(xml, "<Key>c</Key><LastModified>"));
	assert_non_null(strstr(xml, "<Key>d/1</Key>"));
	assert_null(strstr(xml, "<Key>b/1</Key>"));
	assert_non_null(strstr(xml, "<IsTruncated>true</IsTruncated>"));

	/* a token that is not ours, a bad max-keys, a missing bucket */
	struct call bad = { 0 };
	add_q(&bad, "list-type", "2");
	add_q(&bad, "continuation-token", "not-a-token");
	run(s, "GET", "/lst", &bad, NULL, 0, &res);
	assert_int_equal(res.status, 400);
	bad.nq = 1;
	add_q(&bad, "max-keys", "-1");
	assert_int_equal(status_of(s, "GET", "/lst", &bad, NULL), 400);
	bad.nq = 1;
	run(s, "GET", "/no-such-bucket", &bad, NULL, 0, &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Code>NoSuchBucket</Code>"));

	/* v1 (no list-type): Marker and NextMarker */
	struct call v1 = { 0 };
	add_q(&v1, "max-keys", "1");
	add_q(&v1, "marker", "a/2");
	run(s, "GET", "/lst", &v1, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_of(&res), "<Key>a/x/3</Key>"));
	assert_non_null(strstr(body_of(&res), "<NextMarker>a/x/3</NextMarker>"));
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_keys_are_escaped_in_xml_and_url_encoded_on_request(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/esc", NULL, NULL), 200);
	/* the key is  <a&b> "q"+1 \r */
	assert_int_equal(status_of(s, "PUT", "/esc/%3Ca%26b%3E%20%22q%22+1%0D", NULL, "x"), 200);
	struct call c = { 0 };
	add_q(&c, "list-type", "2");
	run(s, "GET", "/esc", &c, NULL, 0, &res);
	assert_non_null(strstr(body_of(&res), "<Key>&lt;a&amp;b&gt; &quot;q&quot;+1&#xD;</Key>"));
	add_q(&c, "encoding-type", "url");
	run(s, "GET", "/esc", &c, NULL, 0, &res);
	assert_non_null(strstr(body_of(&res), "<Key>%3Ca%26b%3E%20%22q%22%2B1%0D</Key>"));
	assert_non_null(strstr(body_of(&res), "<EncodingType>url</EncodingType>"));
	/* an error naming the key escapes it too */
	run(s, "GET", "/esc/%3C/Key%3E", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Key>&lt;/Key&gt;</Key>"));
	assert_non_null(strstr(body_of(&res), "<RequestId>"));
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_pre_dispatch_errors_use_s3_codes(void **state)
{
	(void)state;
	static const struct {
		enum sim_error e;
		const char *msg;
		unsigned status;
		const char *code;
	} CASES[] = {
		{ SIM_ERR_INVALID_SIGNATURE, "The request signature we calculated does not match",
		  403, "SignatureDoesNotMatch" },
		{ SIM_ERR_UNRECOGNIZED_CLIENT,
		  "The security token included in the request is "
		  "invalid (unknown access key id)",
		  403, "InvalidAccessKeyId" },
		{ SIM_ERR_INVALID_PARAMETER,
		  "The provided 'x-amz-content-sha256' header does not match what was computed.",
		  400, "XAmzContentSHA256Mismatch" },
		{ SIM_ERR_TOO_LARGE, "request body too large", 400, "EntityTooLarge" },
		{ SIM_ERR_THROTTLING, "Rate exceeded", 503, "SlowDown" },
		{ SIM_ERR_INCOMPLETE_SIGNATURE, "x", 400, "AuthorizationHeaderMalformed" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct sim_response res = { 0 };
		sim_s3_error(&res, CASES[i].e, CASES[i].msg);
		assert_int_equal(res.status, CASES[i].status);
		assert_string_equal(res.error_code, CASES[i].code);
		assert_string_equal(res.content_type, "application/xml");
		char want[128];
		snprintf(want, sizeof want, "<Error><Code>%s</Code><Message>", CASES[i].code);
		assert_non_null(strstr(body_of(&res), want));
		sim_response_clear(&res);
	}
	struct sim_response res = { 0 };
	sim_s3_error(&res, SIM_ERR_INVALID_SIGNATURE, "a <b> & \"c\"");
	assert_non_null(
		strstr(body_of(&res), "<Message>a &lt;b&gt; &amp; &quot;c&quot;</Message>"));
	sim_response_clear(&res);
}

static void test_virtual_host_style_takes_the_bucket_from_host(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	struct call vh = { 0 };
	add_h(&vh, "Host", "vhost-bucket.localhost:4566");
	assert_int_equal(status_of(s, "PUT", "/", &vh, NULL), 200);
	assert_int_equal(status_of(s, "PUT", "/k/1", &vh, "via host"), 200);
	/* the same object path style, on an address */
	struct call ps = { 0 };
	add_h(&ps, "Host", "127.0.0.1:4566");
	run(s, "GET", "/vhost-bucket/k/1", &ps, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_memory_equal(res.body, "via host", 8);
	/* single-label hosts and S3's own names are path style */
	struct call lh = { 0 };
	add_h(&lh, "Host", "localhost:4566");
	assert_int_equal(status_of(s, "GET", "/vhost-bucket/k/1", &lh, NULL), 200);
	struct call aws = { 0 };
	add_h(&aws, "Host", "s3.us-east-1.amazonaws.com");
	assert_int_equal(status_of(s, "GET", "/vhost-bucket/k/1", &aws, NULL), 200);
	struct call vget = { 0 };
	add_h(&vget, "Host", "vhost-bucket.s3.us-east-1.amazonaws.com");
	assert_int_equal(status_of(s, "GET", "/k/1", &vget, NULL), 200);
	sim_response_clear(&res);
	sim_s3_free(s);
}

/* The upload id of an InitiateMultipartUploadResult. */
static void upload_id(const struct sim_response *res, char *out, size_t cap)
{
	const char *xml = body_of(res);
	size_t at = 0, len;
	const char *v = s3_xml_next(xml, strlen(xml), &at, "UploadId", &len);
	assert_non_null(v);
	snprintf(out, cap, "%.*s", (int)len, v);
}

static void test_multipart_joins_parts_with_md5_of_md5s_etag(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/mpu", NULL, NULL), 200);
	struct call up = { 0 };
	add_q(&up, "uploads", "");
	run(s, "POST", "/mpu/big.bin", &up, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	char id[64], etag1[64], etag2[64];
	upload_id(&res, id, sizeof id);
	char *p1 = malloc(PART_MIN);
	assert_non_null(p1);
	memset(p1, 'a', PART_MIN);
	struct call part = { 0 };
	add_q(&part, "partNumber", "1");
	add_q(&part, "uploadId", id);
	run(s, "PUT", "/mpu/big.bin", &part, p1, PART_MIN, &res);
	assert_int_equal(res.status, 200);
	snprintf(etag1, sizeof etag1, "%s", header_of(&res, "ETag"));
	part.q[0].value = "2";
	run(s, "PUT", "/mpu/big.bin", &part, "tail", 4, &res);
	snprintf(etag2, sizeof etag2, "%s", header_of(&res, "ETag"));

	char body[512];
	struct call done = { 0 };
	add_q(&done, "uploadId", id);
	/* out of order, then a wrong ETag */
	snprintf(body, sizeof body,
		 "<CompleteMultipartUpload><Part><ETag>%s</ETag><PartNumber>2</PartNumber></Part>"
		 "<Part><ETag>%s</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
		 etag2, etag1);
	run(s, "POST", "/mpu/big.bin", &done, body, strlen(body), &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body_of(&res), "<Code>InvalidPartOrder</Code>"));
	snprintf(body, sizeof body,
		 "<CompleteMultipartUpload><Part><ETag>\"00\"</ETag><PartNumber>1</PartNumber>"
		 "</Part></CompleteMultipartUpload>");
	run(s, "POST", "/mpu/big.bin", &done, body, strlen(body), &res);
	assert_non_null(strstr(body_of(&res), "<Code>InvalidPart</Code>"));
	/* the ETags as botocore sends them: quotes escaped */
	snprintf(body, sizeof body,
		 "<CompleteMultipartUpload xmlns=\"" S3_XML_NS "\"><Part><ETag>&quot;%.32s&quot;"
		 "</ETag><PartNumber>1</PartNumber></Part><Part><ETag>%s</ETag>"
		 "<PartNumber>2</PartNumber></Part></CompleteMultipartUpload>",
		 etag1 + 1, etag2);
	run(s, "POST", "/mpu/big.bin", &done, body, strlen(body), &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_of(&res), "<CompleteMultipartUploadResult"));
	assert_non_null(strstr(body_of(&res), "-2&quot;</ETag>"));

	run(s, "GET", "/mpu/big.bin", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, PART_MIN + 4);
	assert_memory_equal(res.body, p1, PART_MIN);
	assert_memory_equal(res.body + PART_MIN, "tail", 4);
	assert_non_null(strstr(header_of(&res, "ETag"), "-2\""));
	/* the upload is over */
	run(s, "POST", "/mpu/big.bin", &done, body, strlen(body), &res);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_of(&res), "<Code>NoSuchUpload</Code>"));

	/* a small part that is not the last: EntityTooSmall; abort ends it */
	run(s, "POST", "/mpu/small", &up, NULL, 0, &res);
	upload_id(&res, id, sizeof id);
	part.q[0].value = "1";
	part.q[1].value = id;
	run(s, "PUT", "/mpu/small", &part, "a", 1, &res);
	snprintf(etag1, sizeof etag1, "%s", header_of(&res, "ETag"));
	part.q[0].value = "2";
	run(s, "PUT", "/mpu/small", &part, "b", 1, &res);
	snprintf(etag2, sizeof etag2, "%s", header_of(&res, "ETag"));
	done.q[0].value = id;
	snprintf(body, sizeof body,
		 "<CompleteMultipartUpload><Part><ETag>%s</ETag><PartNumber>1</PartNumber></Part>"
		 "<Part><ETag>%s</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>",
		 etag1, etag2);
	run(s, "POST", "/mpu/small", &done, body, strlen(body), &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body_of(&res), "<Code>EntityTooSmall</Code>"));
	part.q[0].value = "0";
	assert_int_equal(status_of(s, "PUT", "/mpu/small", &part, "c"), 400);
	assert_int_equal(status_of(s, "DELETE", "/mpu/small", &done, NULL), 204);
	assert_int_equal(status_of(s, "DELETE", "/mpu/small", &done, NULL), 404);
	assert_int_equal(status_of(s, "POST", "/mpu/small", &done, body), 404);
	assert_int_equal(status_of(s, "POST", "/mpu/small", &done, "<nothing/>"), 400);
	free(p1);
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_delete_objects_answers_each_key(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	struct sim_response res = { 0 };
	assert_int_equal(status_of(s, "PUT", "/del", NULL, NULL), 200);
	assert_int_equal(status_of(s, "PUT", "/del/a%26b", NULL, "1"), 200);
	assert_int_equal(status_of(s, "PUT", "/del/c", NULL, "2"), 200);
	struct call c = { 0 };
	add_q(&c, "delete", "");
	const char *body = "<Delete xmlns=\"" S3_XML_NS "\"><Object><Key>a&amp;b</Key></Object>"
			   "<Object><Key>c</Key></Object><Object><Key>never</Key></Object>"
			   "</Delete>";
	run(s, "POST", "/del", &c, body, strlen(body), &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_of(&res), "<Deleted><Key>a&amp;b</Key></Deleted>"));
	assert_non_null(strstr(body_of(&res), "<Deleted><Key>never</Key></Deleted>"));
	struct call l = { 0 };
	add_q(&l, "list-type", "2");
	run(s, "GET", "/del", &l, NULL, 0, &res);
	assert_non_null(strstr(body_of(&res), "<KeyCount>0</KeyCount>"));
	run(s, "POST", "/del", &c, "<Delete></Delete>", 17, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body_of(&res), "<Code>MalformedXML</Code>"));
	/* an operation this endpoint does not serve */
	struct call acl = { 0 };
	add_q(&acl, "acl", "");
	assert_int_equal(status_of(s, "GET", "/del", &acl, NULL), 501);
	assert_int_equal(status_of(s, "PATCH", "/del", NULL, NULL), 405);
	sim_response_clear(&res);
	sim_s3_free(s);
}

static void test_memory_cap_refuses_instead_of_growing(void **state)
{
	(void)state;
	char err[256];
	struct sim_s3 *s = sim_s3_new_capped(NULL, 10, err, sizeof err);
	struct sim_response res = { 0 };
	assert_non_null(s);
	assert_int_equal(status_of(s, "PUT", "/cap", NULL, NULL), 200);
	assert_int_equal(status_of(s, "PUT", "/cap/a", NULL, "123456"), 200);
	run(s, "PUT", "/cap/b", NULL, "123456", 6, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(body_of(&res), "<Code>EntityTooLarge</Code>"));
	/* replacing counts the old size out; deleting frees it */
	assert_int_equal(status_of(s, "PUT", "/cap/a", NULL, "1234567890"), 200);
	assert_int_equal(status_of(s, "DELETE", "/cap/a", NULL, NULL), 204);
	assert_int_equal(status_of(s, "PUT", "/cap/b", NULL, "123456"), 200);
	assert_int_equal(sim_s3_put(s, "cap", "c", "12345", 5, err, sizeof err), -1);
	assert_non_null(strstr(err, "EntityTooLarge"));
	sim_response_clear(&res);
	sim_s3_free(s);
}

/* Every file under dir (recursively) is below dir/s3/BUCKET. */
static int count_files(const char *dir, int depth, int *escaped)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			n += count_files(path, depth + 1, escaped);
		else if (depth != 2)
			(*escaped)++;
		else
			n++;
	}
	closedir(d);
	return n;
}

static void test_disk_store_keeps_objects_and_keys_inside_it(void **state)
{
	(void)state;
	char dir[] = "/tmp/qldbtop-s3-XXXXXX", err[256];
	assert_non_null(mkdtemp(dir));
	struct sim_s3 *s = sim_s3_new(dir, err, sizeof err);
	struct sim_response res = { 0 };
	assert_non_null(s);
	assert_int_equal(status_of(s, "PUT", "/disk", NULL, NULL), 200);
	assert_int_equal(status_of(s, "PUT", "/disk/..%2F..%2F..%2Fescape", NULL, "evil"), 200);
	assert_int_equal(status_of(s, "PUT", "/disk/a/../../b", NULL, "dots"), 200);
	assert_int_equal(sim_s3_put(s, "disk", "exports/x.ion", "ion", 3, err, sizeof err), 0);
	sim_s3_free(s);
	int escaped = 0;
	assert_int_equal(count_files(dir, 0, &escaped), 2 * 3 + 1); /* .obj+.meta each, .bucket */
	assert_int_equal(escaped, 0);

	s = sim_s3_new(dir, err, sizeof err);
	assert_non_null(s);
	assert_true(sim_s3_bucket_exists(s, "disk"));
	run(s, "GET", "/disk/..%2F..%2F..%2Fescape", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_memory_equal(res.body, "evil", 4);
	struct call c = { 0 };
	add_h(&c, "Range", "bytes=1-2");
	run(s, "GET", "/disk/exports/x.ion", &c, NULL, 0, &res);
	assert_int_equal(res.status, 206);
	assert_memory_equal(res.body, "on", 2);
	assert_int_equal(status_of(s, "DELETE", "/disk/a/../../b", NULL, NULL), 204);
	assert_int_equal(status_of(s, "DELETE", "/disk/..%2F..%2F..%2Fescape", NULL, NULL), 204);
	assert_int_equal(status_of(s, "DELETE", "/disk/exports/x.ion", NULL, NULL), 204);
	assert_int_equal(status_of(s, "DELETE", "/disk", NULL, NULL), 204);
	sim_response_clear(&res);
	sim_s3_free(s);
	s = sim_s3_new(dir, err, sizeof err);
	assert_false(sim_s3_bucket_exists(s, "disk"));
	sim_s3_free(s);
	char s3dir[512];
	snprintf(s3dir, sizeof s3dir, "%s/s3", dir);
	assert_int_equal(rmdir(s3dir), 0); /* nothing left behind */
	assert_int_equal(rmdir(dir), 0);
}

static void test_exports_api_puts_into_existing_buckets_only(void **state)
{
	(void)state;
	struct sim_s3 *s = fresh();
	char err[256] = "";
	struct sim_response res = { 0 };
	assert_false(sim_s3_bucket_exists(s, "exp"));
	assert_int_equal(sim_s3_put(s, "exp", "k", "v", 1, err, sizeof err), 1);
	assert_int_equal(sim_s3_create_bucket(s, "exp", err, sizeof err), 0);
	assert_int_equal(sim_s3_create_bucket(s, "exp", err, sizeof err), 0);
	assert_int_equal(sim_s3_create_bucket(s, "No", err, sizeof err), -1);
	assert_true(sim_s3_bucket_exists(s, "exp"));
	assert_int_equal(
		sim_s3_put(s, "exp", "ledger/2024/completed.manifest", "{}", 2, err, sizeof err),
		0);
	run(s, "GET", "/exp/ledger/2024/completed.manifest", NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	assert_memory_equal(res.body, "{}", 2);
	assert_int_equal(sim_s3_put(s, "exp", "", "v", 1, err, sizeof err), -1);
	sim_response_clear(&res);
	sim_s3_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets_are_created_listed_and_deleted_with_s3_statuses),
		cmocka_unit_test(test_objects_round_trip_with_quoted_md5_etag),
		cmocka_unit_test(test_ranges_answer_206_with_content_range_or_416),
		cmocka_unit_test(test_list_v2_pages_prefixes_and_delimiters),
		cmocka_unit_test(test_keys_are_escaped_in_xml_and_url_encoded_on_request),
		cmocka_unit_test(test_pre_dispatch_errors_use_s3_codes),
		cmocka_unit_test(test_virtual_host_style_takes_the_bucket_from_host),
		cmocka_unit_test(test_multipart_joins_parts_with_md5_of_md5s_etag),
		cmocka_unit_test(test_delete_objects_answers_each_key),
		cmocka_unit_test(test_memory_cap_refuses_instead_of_growing),
		cmocka_unit_test(test_disk_store_keeps_objects_and_keys_inside_it),
		cmocka_unit_test(test_exports_api_puts_into_existing_buckets_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
