/*
 * test_sim_sigv4.c - the endpoint's SigV4 check against the AWS Signature
 * Version 4 test suite (docs.aws.amazon.com/general/latest/gr/
 * signature-v4-test-suite.html: key AKIDEXAMPLE, region us-east-1, service
 * "service", 20150830T123600Z): requests signed by AWS's own reference are
 * accepted; a wrong secret, a tampered body or query, an unknown key, a
 * missing header, a stale date or a session token are refused with the AWS
 * error codes. The real AWS CLI is the other oracle
 * (tests/integration/aws_cli_qldb.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sim/sigv4.h"
#include "tests/lib/testutil.h"

#define SUITE_KEY "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_NOW 1440938160 /* 2015-08-30T12:36:00Z */
#define SUITE_CRED                                                                                 \
	"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "

static char last_region[SIM_SIGV4_REGION_MAX + 1]; /* check's region output */

static int check(const char *method, const char *path, const struct sim_param *q, size_t nq,
		 struct hdr *h, const char *body, time_t now, const char *secret,
		 const char *service, enum sim_error *e, char *msg)
{
	struct sim_sigv4_request r = { .method = method,
				       .raw_path = path,
				       .raw_query = q,
				       .n_query = nq,
				       .header = hdr_lookup,
				       .header_ctx = h,
				       .body = body,
				       .body_len = body ? strlen(body) : 0,
				       .now = now,
				       .region_out = last_region,
				       .region_cap = sizeof last_region };
	last_region[0] = '\0';
	return sim_sigv4_check(&r, SUITE_KEY, secret, service, e, msg, SIM_MESSAGE_MAX);
}

#define VANILLA_AUTH                                                                               \
	SUITE_CRED "SignedHeaders=host;x-amz-date, "                                               \
		   "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

static void test_suite_requests_are_accepted(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX] = "";
	struct hdr get_vanilla[] = { { "Host", "example.amazonaws.com" },
				     { "X-Amz-Date", "20150830T123600Z" },
				     { "Authorization", VANILLA_AUTH },
				     { NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, get_vanilla, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 0);
	assert_string_equal(last_region, "us-east-1"); /* the scope's region, handed out */

	/* get-vanilla-query-order-key-case: the query is sorted before signing */
	struct sim_param q[] = { { "Param2", "value2" }, { "Param1", "value1" } };
	struct hdr get_query[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
		{ "Authorization", SUITE_CRED
		  "SignedHeaders=host;x-amz-date, "
		  "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
		{ NULL, NULL }
	};
	assert_int_equal(check("GET", "/", q, 2, get_query, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 0);

	struct hdr post_vanilla[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
		{ "Authorization", SUITE_CRED
		  "SignedHeaders=host;x-amz-date, "
		  "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
		{ NULL, NULL }
	};
	assert_int_equal(check("POST", "/", NULL, 0, post_vanilla, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 0);

	/* get-header-value-trim: values trimmed, inner runs of spaces collapsed */
	struct hdr trim[] = {
		{ "Host", "example.amazonaws.com" },
		{ "My-Header1", " value1" },
		{ "My-Header2", "\"a   b   c\"" },
		{ "X-Amz-Date", "20150830T123600Z" },
		{ "Authorization", SUITE_CRED
		  "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
		  "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
		{ NULL, NULL }
	};
	assert_int_equal(
		check("GET", "/", NULL, 0, trim, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		0);

	/* get-unreserved: unreserved characters are not encoded */
	struct hdr unreserved[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
		{ "Authorization", SUITE_CRED
		  "SignedHeaders=host;x-amz-date, "
		  "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
		{ NULL, NULL }
	};
	assert_int_equal(
		check("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
		      NULL, 0, unreserved, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		0);
}

static void test_wrong_secret_or_tampering_is_invalid_signature(void **state)
{
	(void)state;
	enum sim_error e = SIM_ERR_COUNT;
	char msg[SIM_MESSAGE_MAX];
	struct hdr h[] = { { "Host", "example.amazonaws.com" },
			   { "X-Amz-Date", "20150830T123600Z" },
			   { "Authorization", VANILLA_AUTH },
			   { NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, h, NULL, SUITE_NOW, "not-the-secret", "service",
			       &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	assert_null(strstr(msg, "not-the-secret")); /* secrets never in messages */
	assert_null(strstr(msg, SUITE_SECRET));
	/* body, path, query and host are all covered by the signature */
	assert_int_equal(
		check("GET", "/", NULL, 0, h, "x", SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		-1);
	assert_int_equal(
		check("GET", "/x", NULL, 0, h, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		-1);
	struct sim_param q = { "a", "b" };
	assert_int_equal(
		check("GET", "/", &q, 1, h, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg), -1);
	h[0].value = "evil.example.com";
	assert_int_equal(
		check("GET", "/", NULL, 0, h, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		-1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	h[0].value = "example.amazonaws.com";
	/* scoped to another service */
	assert_int_equal(
		check("GET", "/", NULL, 0, h, NULL, SUITE_NOW, SUITE_SECRET, "qldb", &e, msg), -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	/* more than 15 minutes of clock skew either way */
	assert_int_equal(check("GET", "/", NULL, 0, h, NULL, SUITE_NOW + 901, SUITE_SECRET,
			       "service", &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	assert_non_null(strstr(msg, "expired"));
	assert_int_equal(check("GET", "/", NULL, 0, h, NULL, SUITE_NOW - 901, SUITE_SECRET,
			       "service", &e, msg),
			 -1);
	assert_int_equal(check("GET", "/", NULL, 0, h, NULL, SUITE_NOW + 899, SUITE_SECRET,
			       "service", &e, msg),
			 0);
}

static void test_missing_or_foreign_credentials_are_unrecognized_client(void **state)
{
	(void)state;
	enum sim_error e = SIM_ERR_COUNT;
	char msg[SIM_MESSAGE_MAX];
	struct hdr none[] = { { "Host", "example.amazonaws.com" },
			      { "X-Amz-Date", "20150830T123600Z" },
			      { NULL, NULL } };
	assert_int_equal(
		check("GET", "/", NULL, 0, none, NULL, SUITE_NOW, SUITE_SECRET, "service", &e, msg),
		-1);
	assert_int_equal(e, SIM_ERR_UNRECOGNIZED_CLIENT);
	static const char *const foreign[] = {
		"AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/service/aws4_request, "
		"SignedHeaders=host;x-amz-date, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"Basic QUtJREVYQU1QTEU6eA==",
		"AWS4-HMAC-SHA256 SignedHeaders=host",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host",
	};
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		struct hdr h[] = { { "Host", "example.amazonaws.com" },
				   { "X-Amz-Date", "20150830T123600Z" },
				   { "Authorization", foreign[i] },
				   { NULL, NULL } };
		e = SIM_ERR_COUNT;
		assert_int_equal(check("GET", "/", NULL, 0, h, NULL, SUITE_NOW, SUITE_SECRET,
				       "service", &e, msg),
				 -1);
		assert_int_equal(e, SIM_ERR_UNRECOGNIZED_CLIENT);
	}
	struct hdr token[] = { { "Host", "example.amazonaws.com" },
			       { "X-Amz-Date", "20150830T123600Z" },
			       { "X-Amz-Security-Token", "tok" },
			       { "Authorization", VANILLA_AUTH },
			       { NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, token, NULL, SUITE_NOW, SUITE_SECRET, "service",
			       &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_UNRECOGNIZED_CLIENT);
}

static void test_incomplete_headers_are_incomplete_signature(void **state)
{
	(void)state;
	enum sim_error e = SIM_ERR_COUNT;
	char msg[SIM_MESSAGE_MAX];
	struct hdr no_sig[] = { { "Host", "example.amazonaws.com" },
				{ "X-Amz-Date", "20150830T123600Z" },
				{ "Authorization", SUITE_CRED "SignedHeaders=host;x-amz-date" },
				{ NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, no_sig, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INCOMPLETE_SIGNATURE);
	struct hdr no_date[] = { { "Host", "example.amazonaws.com" },
				 { "Authorization", VANILLA_AUTH },
				 { NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, no_date, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INCOMPLETE_SIGNATURE);
	struct hdr bad_date[] = { { "Host", "example.amazonaws.com" },
				  { "X-Amz-Date", "2015-08-30T12:36" },
				  { "Authorization", VANILLA_AUTH },
				  { NULL, NULL } };
	assert_int_equal(check("GET", "/", NULL, 0, bad_date, NULL, SUITE_NOW, SUITE_SECRET,
			       "service", &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INCOMPLETE_SIGNATURE);
}

static void test_canonical_uri_encodes_the_wire_path_again(void **state)
{
	(void)state;
	/* aws-api.md §7: the CLI sends %3A and signs %253A */
	struct buf b = { 0 };
	const char *wire = "/tags/arn%3Aaws%3Aqldb%2Fy ~-._";
	assert_int_equal(sim_sigv4_uri_encode(&b, wire, strlen(wire), 1), 0);
	assert_int_equal(buf_append_byte(&b, 0), 0);
	assert_string_equal((char *)b.data, "/tags/arn%253Aaws%253Aqldb%252Fy%20~-._");
	buf_clear(&b);
	assert_int_equal(sim_sigv4_uri_encode(&b, "a/b+c=", 6, 0), 0);
	assert_int_equal(buf_append_byte(&b, 0), 0);
	assert_string_equal((char *)b.data, "a%2Fb%2Bc%3D");
	buf_free(&b);
}

/* The server picks a service by the scope's service name: the fourth part
 * of Credential, whatever follows; anything malformed is "none". */
static void test_scope_service_is_read_from_the_credential(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(sim_sigv4_scope_service("AWS4-HMAC-SHA256 Credential=AKID/20231114/"
						 "us-east-1/kinesis/aws4_request, "
						 "SignedHeaders=host, Signature=00",
						 out, sizeof out),
			 0);
	assert_string_equal(out, "kinesis");
	assert_int_equal(
		sim_sigv4_scope_service("AWS4-HMAC-SHA256 Credential=A/2/r/s3/aws4_request", out,
					sizeof out),
		0);
	assert_string_equal(out, "s3");
	const char *bad[] = { NULL,
			      "",
			      "AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1",
			      "AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1//aws4_request",
			      "AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/"
			      "a-service-name-much-longer-than-32-bytes/aws4_request",
			      "Basic dXNlcjpwYXNz" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(sim_sigv4_scope_service(bad[i], out, sizeof out), -1);
		assert_string_equal(out, "");
	}
}

/* S3's rules, against the examples in the S3 API reference ("Signature
 * Calculations for the Authorization Header", key AKIAIOSFODNN7EXAMPLE,
 * 20130524T000000Z) and requests signed by the Debian CLI's own botocore
 * (S3SigV4Auth) as the second oracle. */
#define S3_KEY "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_NOW 1369353600 /* 2013-05-24T00:00:00Z */
#define S3_CRED "AWS4-HMAC-SHA256 Credential=" S3_KEY "/20130524/us-east-1/s3/aws4_request, "
#define S3_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int check_s3(const char *method, const char *path, const struct sim_param *q, size_t nq,
		    struct hdr *h, const void *body, size_t body_len,
		    struct sim_sigv4_decoded *decoded, enum sim_error *e, char *msg)
{
	struct sim_sigv4_request r = { .method = method,
				       .raw_path = path,
				       .raw_query = q,
				       .n_query = nq,
				       .header = hdr_lookup,
				       .header_ctx = h,
				       .body = body,
				       .body_len = body_len,
				       .now = S3_NOW,
				       .decoded = decoded };
	msg[0] = '\0';
	return sim_sigv4_check(&r, S3_KEY, S3_SECRET, "s3", e, msg, SIM_MESSAGE_MAX);
}

static void test_s3_documented_examples_are_accepted(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	struct hdr get_object[] = { { "Host", "examplebucket.s3.amazonaws.com" },
				    { "Range", "bytes=0-9" },
				    { "x-amz-content-sha256", S3_EMPTY },
				    { "x-amz-date", "20130524T000000Z" },
				    { "Authorization", S3_CRED
				      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
				      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd"
				      "91039c6036bdb41" },
				    { NULL, NULL } };
	assert_int_equal(check_s3("GET", "/test.txt", NULL, 0, get_object, NULL, 0, NULL, &e, msg),
			 0);

	/* PUT of a key with '$': the canonical URI says %24, sent raw or not */
	static const char body[] = "Welcome to Amazon S3.";
	struct hdr put_object[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Date", "Fri, 24 May 2013 00:00:00 GMT" },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
		{ "x-amz-content-sha256",
		  "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" },
		{ "Authorization", S3_CRED
		  "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
		  "x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380"
		  "cd77a1b5971af0ece108bd" },
		{ NULL, NULL }
	};
	assert_int_equal(check_s3("PUT", "/test$file.text", NULL, 0, put_object, body, strlen(body),
				  NULL, &e, msg),
			 0);
	assert_int_equal(check_s3("PUT", "/test%24file.text", NULL, 0, put_object, body,
				  strlen(body), NULL, &e, msg),
			 0);

	struct sim_param lifecycle_q[] = { { "lifecycle", "" } };
	struct hdr lifecycle[] = { { "Host", "examplebucket.s3.amazonaws.com" },
				   { "x-amz-date", "20130524T000000Z" },
				   { "x-amz-content-sha256", S3_EMPTY },
				   { "Authorization", S3_CRED
				     "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
				     "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7"
				     "a200a0136783543" },
				   { NULL, NULL } };
	assert_int_equal(check_s3("GET", "/", lifecycle_q, 1, lifecycle, NULL, 0, NULL, &e, msg),
			 0);

	struct sim_param list_q[] = { { "max-keys", "2" }, { "prefix", "J" } };
	struct hdr list[] = { { "Host", "examplebucket.s3.amazonaws.com" },
			      { "x-amz-date", "20130524T000000Z" },
			      { "x-amz-content-sha256", S3_EMPTY },
			      { "Authorization", S3_CRED
				"SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
				"Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670"
				"ed5711ef69dc6f7" },
			      { NULL, NULL } };
	assert_int_equal(check_s3("GET", "/", list_q, 2, list, NULL, 0, NULL, &e, msg), 0);
	/* the same signature under the non-S3 rules is not accepted for s3's
	 * twin: a wrong secret still fails */
	struct sim_sigv4_request r = { .method = "GET",
				       .raw_path = "/test.txt",
				       .header = hdr_lookup,
				       .header_ctx = get_object,
				       .now = S3_NOW };
	assert_int_equal(
		sim_sigv4_check(&r, S3_KEY, "not-the-secret", "s3", &e, msg, SIM_MESSAGE_MAX), -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
}

static void test_s3_path_is_encoded_once_and_not_normalised(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	/* botocore S3SigV4Auth: "..", "//" and %2F kept; %20 and %24 as sent */
	struct hdr h[] = { { "Host", "127.0.0.1:9000" },
			   { "X-Amz-Date", "20130524T000000Z" },
			   { "X-Amz-Content-SHA256", S3_EMPTY },
			   { "Authorization", S3_CRED
			     "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
			     "Signature=a6f5063f7d0ebc881ba792c0da8aa1ca49e3ca0309180216ad8ce3f3"
			     "6f95f000" },
			   { NULL, NULL } };
	assert_int_equal(
		check_s3("GET", "/bkt/a%20b/..//c%24d%2Fe.txt", NULL, 0, h, NULL, 0, NULL, &e, msg),
		0);
	/* normalising the dots away, or decoding %2F to '/', signs another
	 * path */
	assert_int_equal(check_s3("GET", "/bkt/c%24d%2Fe.txt", NULL, 0, h, NULL, 0, NULL, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	assert_int_equal(
		check_s3("GET", "/bkt/a%20b/..//c%24d/e.txt", NULL, 0, h, NULL, 0, NULL, &e, msg),
		-1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	/* a broken escape is refused, not read past the end */
	assert_int_equal(check_s3("GET", "/bkt/a%2", NULL, 0, h, NULL, 0, NULL, &e, msg), -1);
}

static void test_s3_unsigned_payload_is_accepted_with_any_body(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	struct hdr h[] = { { "Host", "127.0.0.1:9000" },
			   { "X-Amz-Date", "20130524T000000Z" },
			   { "X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD" },
			   { "Authorization", S3_CRED
			     "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
			     "Signature=11727d37500ce58f33a14566926604f8c439adb59fe4f558d4e5d8f0"
			     "0f33e09b" },
			   { NULL, NULL } };
	assert_int_equal(check_s3("PUT", "/bkt/k", NULL, 0, h, "hello", 5, NULL, &e, msg), 0);
	assert_int_equal(check_s3("PUT", "/bkt/k", NULL, 0, h, "other", 5, NULL, &e, msg), 0);
}

static void test_s3_payload_hash_is_required_and_must_match_the_body(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	struct hdr no_hash[] = { { "Host", "examplebucket.s3.amazonaws.com" },
				 { "x-amz-date", "20130524T000000Z" },
				 { "Authorization",
				   S3_CRED "SignedHeaders=host;x-amz-date, Signature=" S3_EMPTY },
				 { NULL, NULL } };
	assert_int_equal(check_s3("GET", "/test.txt", NULL, 0, no_hash, NULL, 0, NULL, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_PARAMETER);
	assert_non_null(strstr(msg, "x-amz-content-sha256"));

	/* the documented PUT, signed correctly, with another body */
	struct hdr put_object[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Date", "Fri, 24 May 2013 00:00:00 GMT" },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
		{ "x-amz-content-sha256",
		  "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" },
		{ "Authorization", S3_CRED
		  "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
		  "x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380"
		  "cd77a1b5971af0ece108bd" },
		{ NULL, NULL }
	};
	assert_int_equal(check_s3("PUT", "/test$file.text", NULL, 0, put_object,
				  "Welcome to Amazon S4.", 21, NULL, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_PARAMETER);
	assert_non_null(strstr(msg, "does not match what was computed"));
	/* a value that is no hash and no keyword */
	put_object[4].value = "sha256-please";
	assert_int_equal(check_s3("PUT", "/test$file.text", NULL, 0, put_object,
				  "Welcome to Amazon S3.", 21, NULL, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_PARAMETER);
}

/* The documented chunked upload: 66560 'a's as 64 KiB + 1 KiB + the final
 * empty chunk, each signed from the previous signature. */
#define CHUNK_SEED "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
#define CHUNK_SIG1 "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
#define CHUNK_SIG2 "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
#define CHUNK_SIG3 "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"

static size_t chunked_body(struct buf *b, int final)
{
	buf_clear(b);
	buf_printf(b, "10000;chunk-signature=" CHUNK_SIG1 "\r\n");
	for (int i = 0; i < 65536; i++)
		buf_append_byte(b, 'a');
	buf_printf(b, "\r\n400;chunk-signature=" CHUNK_SIG2 "\r\n");
	for (int i = 0; i < 1024; i++)
		buf_append_byte(b, 'a');
	buf_printf(b, "\r\n");
	if (final)
		buf_printf(b, "0;chunk-signature=" CHUNK_SIG3 "\r\n\r\n");
	return b->len;
}

static void test_s3_chunked_upload_is_checked_and_decoded(void **state)
{
	(void)state;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	struct hdr h[] = {
		{ "Host", "s3.amazonaws.com" },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
		{ "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" },
		{ "Content-Encoding", "aws-chunked" },
		{ "x-amz-decoded-content-length", "66560" },
		{ "Content-Length", "66824" },
		{ "Authorization",
		  S3_CRED "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
			  "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, "
			  "Signature=" CHUNK_SEED },
		{ NULL, NULL }
	};
	struct buf wire = { 0 };
	struct sim_sigv4_decoded dec = { 0 };
	size_t n = chunked_body(&wire, 1);
	assert_int_equal(n, 66824); /* the documented Content-Length */
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data, n,
				  &dec, &e, msg),
			 0);
	assert_true(dec.used);
	assert_int_equal(dec.body.len, 66560);
	for (size_t i = 0; i < dec.body.len; i++)
		if (dec.body.data[i] != 'a')
			fail_msg("decoded byte %zu is %d", i, dec.body.data[i]);

	/* without an output buffer the server refuses such bodies */
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data, n,
				  NULL, &e, msg),
			 -1);

	/* one changed byte in chunk 2: its signature no longer matches */
	dec.used = false;
	wire.data[65536 + 200] = 'b';
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data, n,
				  &dec, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	assert_non_null(strstr(msg, "chunk 2"));
	assert_false(dec.used);

	/* the final chunk cut off, then bytes after it */
	n = chunked_body(&wire, 0);
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data, n,
				  &dec, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_PARAMETER);
	n = chunked_body(&wire, 1);
	buf_append_str(&wire, "x");
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data,
				  n + 1, &dec, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_PARAMETER);

	/* a decoded length other than the one declared (a signed header, so
	 * the seed signature already refuses it) */
	h[5].value = "66561";
	assert_int_equal(check_s3("PUT", "/examplebucket/chunkObject.txt", NULL, 0, h, wire.data, n,
				  &dec, &e, msg),
			 -1);
	assert_int_equal(e, SIM_ERR_INVALID_SIGNATURE);
	assert_false(dec.used);
	buf_free(&wire);
	buf_free(&dec.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_service_is_read_from_the_credential),
		cmocka_unit_test(test_suite_requests_are_accepted),
		cmocka_unit_test(test_wrong_secret_or_tampering_is_invalid_signature),
		cmocka_unit_test(test_missing_or_foreign_credentials_are_unrecognized_client),
		cmocka_unit_test(test_incomplete_headers_are_incomplete_signature),
		cmocka_unit_test(test_canonical_uri_encodes_the_wire_path_again),
		cmocka_unit_test(test_s3_documented_examples_are_accepted),
		cmocka_unit_test(test_s3_path_is_encoded_once_and_not_normalised),
		cmocka_unit_test(test_s3_unsigned_payload_is_accepted_with_any_body),
		cmocka_unit_test(test_s3_payload_hash_is_required_and_must_match_the_body),
		cmocka_unit_test(test_s3_chunked_upload_is_checked_and_decoded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
