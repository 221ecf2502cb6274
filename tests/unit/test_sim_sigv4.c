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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_service_is_read_from_the_credential),
		cmocka_unit_test(test_suite_requests_are_accepted),
		cmocka_unit_test(test_wrong_secret_or_tampering_is_invalid_signature),
		cmocka_unit_test(test_missing_or_foreign_credentials_are_unrecognized_client),
		cmocka_unit_test(test_incomplete_headers_are_incomplete_signature),
		cmocka_unit_test(test_canonical_uri_encodes_the_wire_path_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
