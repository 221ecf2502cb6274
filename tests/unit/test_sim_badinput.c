/*
 * test_sim_badinput.c - the endpoint's request handling (sim/sigv4.c,
 * sim/http.c) on malformed and unusual input: one regression per bug the
 * fuzzer (tests/fuzz/fuzz_sim_request.c) found, plus hand-written bad
 * Authorization headers, dates, percent-encodings and NUL bytes.
 *
 * The accepted signatures come from an independent oracle: botocore 1.43.11's
 * SigV4Auth (the AWS CLI's signer), service "qldb", the demo key pair,
 * clock fixed at 2023-11-14T22:13:20Z, Host 127.0.0.1:8080. Refusals are
 * checked against the AWS error codes sigv4.h documents; every message
 * must be one printable line without the secret.
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

#include "sim/http.h"
#include "sim/server.h"
#include "sim/sigv4.h"
#include "tests/lib/testutil.h"

#define KEY SIM_DEFAULT_ACCESS_KEY_ID
#define SECRET SIM_DEFAULT_SECRET_ACCESS_KEY
#define NOW 1700000000 /* 2023-11-14T22:13:20Z */
#define DATE "20231114T221320Z"
#define HOST "127.0.0.1:8080"
#define CRED "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/us-east-1/qldb/aws4_request, "
#define SIG0 "0000000000000000000000000000000000000000000000000000000000000000"
#define SIG63 "000000000000000000000000000000000000000000000000000000000000000"

/* One printable line (no control bytes), without the secret. */
static void assert_one_clean_line(const char *msg)
{
	assert_true(msg[0] != '\0');
	for (const char *p = msg; *p; p++)
		assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
	assert_null(strstr(msg, SECRET));
}

struct req {
	const char *method, *path;
	const struct sim_param *q;
	size_t nq;
	const char *auth, *date, *ctype;
	const void *body;
	size_t body_len;
	time_t now;
};

/* The last run's message and region output (a canary of 'x' unless the
 * check succeeded). */
static char last_msg[SIM_MESSAGE_MAX];
static char last_region[SIM_SIGV4_REGION_MAX + 1];

/* Check r; returns 0 or the error (as -1 - e) and checks the message. */
static int run(const struct req *r)
{
	struct hdr h[5];
	size_t n = 0;
	h[n++] = (struct hdr){ "Host", HOST };
	if (r->date)
		h[n++] = (struct hdr){ "X-Amz-Date", r->date };
	if (r->ctype)
		h[n++] = (struct hdr){ "Content-Type", r->ctype };
	if (r->auth)
		h[n++] = (struct hdr){ "Authorization", r->auth };
	h[n] = (struct hdr){ NULL, NULL };
	struct sim_sigv4_request sr = { .method = r->method ? r->method : "GET",
					.raw_path = r->path ? r->path : "/ledgers",
					.raw_query = r->q,
					.n_query = r->nq,
					.header = hdr_lookup,
					.header_ctx = h,
					.body = r->body,
					.body_len = r->body_len,
					.now = r->now ? r->now : NOW };
	enum sim_error e = SIM_ERR_COUNT;
	char *msg = last_msg;
	memset(last_region, 'x', sizeof last_region - 1);
	last_region[sizeof last_region - 1] = '\0';
	sr.region_out = last_region;
	sr.region_cap = sizeof last_region;
	last_msg[0] = '\0';
	int rc = sim_sigv4_check(&sr, KEY, SECRET, "qldb", &e, msg, sizeof last_msg);
	if (rc == 0)
		return 0;
	assert_int_equal(rc, -1);
	assert_true(e < SIM_ERR_COUNT);
	assert_one_clean_line(msg);
	return -1 - (int)e;
}
#define REFUSED(e) (-1 - (int)(e))

/* ---- regressions: one per bug fixed ---- */

/* Bug: the credential scope was copied into 256 bytes, so a region of 300
 * characters (which fits the 383-byte credential) signed a truncated
 * scope and a correct signature was refused. Such a region is now refused
 * as no region at all, but only after its signature passed: the message
 * is about the region, not the signature. */
static void test_long_region_scope_is_signed_whole(void **state)
{
	(void)state;
	char region[301], auth[600];
	memset(region, 'r', 300);
	region[300] = '\0';
	snprintf(auth, sizeof auth,
		 "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/%s/qldb/aws4_request, "
		 "SignedHeaders=host;x-amz-date, "
		 "Signature=4d0c9f3d2fbf35ac2b4db9eb06f84d9fac8254a4d8792b09059b1671c054168d",
		 region);
	assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }),
			 REFUSED(SIM_ERR_INVALID_SIGNATURE));
	assert_non_null(strstr(last_msg, "valid region"));
	/* the same scope with a wrong signature is a signature mismatch */
	auth[strlen(auth) - 1] = 'e';
	assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }),
			 REFUSED(SIM_ERR_INVALID_SIGNATURE));
	assert_null(strstr(last_msg, "valid region"));
	/* past the documented cap: refused as an unusable credential */
	char big[SIM_SIGV4_MAX_CREDENTIAL + 100], big_auth[sizeof big + 200];
	memset(big, 'r', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	snprintf(big_auth, sizeof big_auth,
		 "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/%s/qldb/aws4_request, "
		 "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		 big);
	assert_int_equal(run(&(struct req){ .auth = big_auth, .date = DATE }),
			 REFUSED(SIM_ERR_UNRECOGNIZED_CLIENT));
}

/* Bug: the canonical URI was the wire path encoded again without the
 * dot-segment and empty-segment removal the AWS SDKs apply, so the CLI's
 * signature for such a path was refused as InvalidSignature. */
static void test_dot_and_empty_segments_are_normalised_like_the_sdk(void **state)
{
	(void)state;
	assert_int_equal(
		run(&(struct req){ .path = "/ledgers/x/../y/./",
				   .date = DATE,
				   .auth = CRED
				   "SignedHeaders=host;x-amz-date, "
				   "Signature=a40581c2a7d17ec3276023a4ddf82c19487677702c603396"
				   "53f2c664bb5f949a" }),
		0);
	const char *auth2 =
		CRED "SignedHeaders=host;x-amz-date, "
		     "Signature=41a573885ae0cbe57cc94cc5283b06059911ffe0104162f8c1c05ea1e69ef395";
	assert_int_equal(
		run(&(struct req){ .path = "//ledgers//a%2Fb/..", .date = DATE, .auth = auth2 }),
		0);
	/* the signature covers the normalised path: another path is refused */
	assert_int_equal(run(&(struct req){ .path = "/ledgers/a", .date = DATE, .auth = auth2 }),
			 REFUSED(SIM_ERR_INVALID_SIGNATURE));
	/* %2E is not a dot segment */
	assert_int_equal(run(&(struct req){
				 .path = "//ledgers//a%2Fb/%2E%2E", .date = DATE, .auth = auth2 }),
			 REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* Bug: messages echoed request bytes (the raw path in UnknownOperation,
 * the credential scope in InvalidSignature) with control characters and
 * with UTF-8 cut in half by truncation. */
static void test_error_messages_are_one_printable_line(void **state)
{
	(void)state;
	static const struct sim_route none[] = { { "GET", "/ledgers", "ListLedgers", NULL } };
	char path[260];
	memset(path, 'a', sizeof path);
	memcpy(path, "/x\r\n\x01\x7f", 6);
	memcpy(path + 199, "\xc3\xa9\xc3\xa9", 4); /* é cut by the 200-byte limit */
	path[sizeof path - 1] = '\0';
	struct sim_request req = { .method = "GET", .path = path };
	struct sim_response res = { 0 };
	sim_route_dispatch(none, 1, NULL, &req, &res);
	assert_int_equal(res.status, 404);
	assert_string_equal(res.error_code, "UnknownOperationException");
	cJSON *o = cJSON_Parse(res.body);
	assert_non_null(o);
	const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "message"));
	assert_non_null(m);
	assert_one_clean_line(m);
	assert_non_null(strstr(m, "/x????aaa"));
	assert_null(strchr(m, '\xc3')); /* the cut sequence became '?' */
	cJSON_Delete(o);
	sim_response_clear(&res);

	/* valid UTF-8 is kept */
	char msg[64] = "ledger \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xed\xa0\x80 \xc0\xaf";
	sim_message_clean(msg);
	assert_string_equal(msg, "ledger \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 ??? ??");

	/* the credential scope is echoed in InvalidSignature */
	assert_int_equal(
		run(&(struct req){ .date = DATE,
				   .auth = "AWS4-HMAC-SHA256 Credential=" KEY
					   "/20231114/us\tea\x1bst/qldb\x01/aws4_request, "
					   "SignedHeaders=host;x-amz-date, Signature=" SIG0 }),
		REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* Bug: negative epoch milliseconds printed as "0.-01" (not JSON). */
static void test_json_timestamp_prints_negative_times(void **state)
{
	(void)state;
	static const struct {
		int64_t ms;
		const char *text;
	} cases[] = {
		{ 1700000000123LL, "1700000000.123" },
		{ 0, "0.000" },
		{ -1, "-0.001" },
		{ -1500, "-1.500" },
		{ INT64_MIN, "-9223372036854775.808" },
		{ INT64_MAX, "9223372036854775.807" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *t = sim_json_timestamp(cases[i].ms);
		assert_non_null(t);
		assert_string_equal(t->valuestring, cases[i].text);
		cJSON_Delete(t);
	}
}

/* Bug: X-Amz-Date with an impossible calendar value (Feb 31, month 13,
 * hour 24) was normalised by timegm and checked as another time. */
static void test_impossible_dates_are_incomplete_signature(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"20230231T000000Z",  "20231301T000000Z",
		"20230001T000000Z",  "20231100T000000Z",
		"20231114T240000Z",  "20231114T226000Z",
		"20231114T221360Z",  "20230229T000000Z",
		"2023111T221320Z",   "20231114T221320z",
		"20231114 221320Z",  "+0231114T221320Z",
		"20231114T221320ZZ", "",
	};
	char auth[300];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(auth, sizeof auth,
			 "AWS4-HMAC-SHA256 Credential=" KEY "/%.8s/us-east-1/qldb/aws4_request, "
			 "SignedHeaders=host;x-amz-date, Signature=" SIG0,
			 bad[i]);
		assert_int_equal(run(&(struct req){ .auth = auth, .date = bad[i] }),
				 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
	}
	/* a real leap day passes the date check (and fails on the signature) */
	assert_int_equal(
		run(&(struct req){ .auth = "AWS4-HMAC-SHA256 Credential=" KEY
					   "/20240229/us-east-1/qldb/aws4_request, "
					   "SignedHeaders=host;x-amz-date, Signature=" SIG0,
				   .date = "20240229T235959Z",
				   .now = 1709251199 }),
		REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* Bug: a 64-character Signature with non-hex digits was computed against
 * and refused as a mismatch instead of as a malformed header. */
static void test_non_hex_signature_is_incomplete(void **state)
{
	(void)state;
	static const char *const sigs[] = {
		"g000000000000000000000000000000000000000000000000000000000000000",
		"000000000000000000000000000000000000000000000000000000000000000 ",
		"0x00000000000000000000000000000000000000000000000000000000000000",
		"-000000000000000000000000000000000000000000000000000000000000000",
	};
	char auth[300];
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		snprintf(auth, sizeof auth, CRED "SignedHeaders=host;x-amz-date, Signature=%s",
			 sigs[i]);
		assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }),
				 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
	}
}

/* Bug: SignedHeaders was only bounded in bytes: 33+ short names or empty
 * names ("host;;x-amz-date") went on to the signature computation. */
static void test_signed_headers_count_and_empty_names(void **state)
{
	(void)state;
	char list[400] = "host;x-amz-date", auth[600];
	for (int i = 0; i < SIM_SIGV4_MAX_SIGNED_HEADERS - 1; i++)
		strcat(list, ";a");
	snprintf(auth, sizeof auth, CRED "SignedHeaders=%s, Signature=" SIG0, list);
	assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }),
			 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
	static const char *const empty[] = { "host;;x-amz-date", ";host", "host;", ";", "" };
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		snprintf(auth, sizeof auth, CRED "SignedHeaders=%s, Signature=" SIG0, empty[i]);
		assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }),
				 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
	}
}

/* ---- hand-written malformed Authorization headers ---- */

static void test_malformed_authorization_headers(void **state)
{
	(void)state;
	/* a SignedHeaders list longer than SIM_SIGV4_MAX_SIGNED_HEADERS full
	 * names can take */
	char huge[4000] = CRED "SignedHeaders=host";
	size_t list_bytes = SIM_SIGV4_MAX_SIGNED_HEADERS * (SIM_SIGV4_MAX_HEADER_NAME + 1);
	while (strlen(huge) < list_bytes + 200)
		strcat(huge, ";x-amz-date");
	strcat(huge, ", Signature=" SIG0);
	static const struct {
		const char *auth;
		enum sim_error want;
	} cases[] = {
		{ "AWS4-HMAC-SHA256", SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 ", SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "aws4-hmac-sha256 Credential=" KEY "/20231114/us-east-1/qldb/aws4_request",
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 Credential=", SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/us-east-1/qldb",
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/us-east-1/qldb/aws4_request/x",
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 Credential=/20231114/us-east-1/qldb/aws4_request",
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		{ "AWS4-HMAC-SHA256 Credentials=" KEY "/20231114/us-east-1/qldb/aws4_request",
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		/* duplicate Credential: the first one counts */
		{ "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20231114/us-east-1/qldb/aws4_request, "
		  "Credential=" KEY "/20231114/us-east-1/qldb/aws4_request, "
		  "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		  SIM_ERR_UNRECOGNIZED_CLIENT },
		{ CRED "Credential=AKIDOTHER/20231114/us-east-1/qldb/aws4_request, "
		       "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		  SIM_ERR_INVALID_SIGNATURE },
		{ CRED "Signature=" SIG0, SIM_ERR_INCOMPLETE_SIGNATURE },
		{ CRED "SignedHeaders=host;x-amz-date", SIM_ERR_INCOMPLETE_SIGNATURE },
		{ CRED "SignedHeaders=host;x-amz-date, Signature=", SIM_ERR_INCOMPLETE_SIGNATURE },
		{ CRED "SignedHeaders=host;x-amz-date, Signature=" SIG0 "0",
		  SIM_ERR_INCOMPLETE_SIGNATURE },
		{ CRED "SignedHeaders=host;x-amz-date, Signature=" SIG63,
		  SIM_ERR_INCOMPLETE_SIGNATURE },
		{ CRED "SignedHeaders=x-amz-date, Signature=" SIG0, SIM_ERR_INVALID_SIGNATURE },
		{ CRED "SignedHeaders=host;x-amz-date;x-missing, Signature=" SIG0,
		  SIM_ERR_INVALID_SIGNATURE },
		{ "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/us-east-1/s3/aws4_request, "
		  "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		  SIM_ERR_INVALID_SIGNATURE },
		{ "AWS4-HMAC-SHA256 Credential=" KEY "/20231113/us-east-1/qldb/aws4_request, "
		  "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		  SIM_ERR_INVALID_SIGNATURE },
		{ "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/us-east-1/qldb/aws4_requesT, "
		  "SignedHeaders=host;x-amz-date, Signature=" SIG0,
		  SIM_ERR_INVALID_SIGNATURE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = run(&(struct req){ .auth = cases[i].auth, .date = DATE });
		if (got != REFUSED(cases[i].want))
			print_error("case %zu: %s\n", i, cases[i].auth);
		assert_int_equal(got, REFUSED(cases[i].want));
	}
	assert_int_equal(run(&(struct req){ .auth = huge, .date = DATE }),
			 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
}

/* ---- percent-encoding edges in path and query ---- */

static void test_percent_encoding_edges(void **state)
{
	(void)state;
	static const char *const bad[] = { "%", "%4", "a%", "%zz", "%g1", "%00", "a%00b", "%%41" };
	char out[16];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sim_percent_decode(bad[i], strlen(bad[i]), out, sizeof out), -1);
	assert_int_equal(sim_percent_decode("%2f%2F+%41", 10, out, sizeof out), 4);
	assert_string_equal(out, "//+A");
	assert_int_equal(sim_percent_decode("abc", 3, out, 4), 3);
	assert_int_equal(sim_percent_decode("abc", 3, out, 3), -1); /* no room for the NUL */
	assert_int_equal(sim_percent_decode("", 0, out, 0), -1);

	static const struct sim_route t[] = {
		{ "GET", "/ledgers/{name}", "DescribeLedger", NULL },
	};
	char scratch[SIM_PATH_MAX];
	const struct sim_route *rt;
	struct sim_call call;
	static const struct {
		const char *path;
		enum sim_route_status want;
		const char *capture;
	} paths[] = {
		{ "/ledgers/a%2Fb", SIM_ROUTE_FOUND, "a/b" },
		{ "/ledgers/%41%7e", SIM_ROUTE_FOUND, "A~" },
		{ "/ledgers/%00", SIM_ROUTE_BAD_PATH, NULL },
		{ "/ledgers/%", SIM_ROUTE_BAD_PATH, NULL },
		{ "/ledgers/%2", SIM_ROUTE_BAD_PATH, NULL },
		{ "/ledgers/", SIM_ROUTE_NONE, NULL },
		{ "/ledgers//", SIM_ROUTE_NONE, NULL },
		{ "//ledgers/x", SIM_ROUTE_NONE, NULL },
		{ "ledgers/x", SIM_ROUTE_BAD_PATH, NULL },
		{ "", SIM_ROUTE_BAD_PATH, NULL },
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct sim_request req = { .method = "GET", .path = paths[i].path };
		rt = NULL;
		assert_int_equal(sim_route_match(t, 1, &req, &rt, &call, scratch), paths[i].want);
		if (paths[i].capture)
			assert_string_equal(call.params[0], paths[i].capture);
	}
	/* over SIM_PATH_MAX bytes, or as many segments as bytes */
	char *long_path = malloc(SIM_PATH_MAX + 1);
	assert_non_null(long_path);
	memset(long_path, '/', SIM_PATH_MAX);
	long_path[SIM_PATH_MAX] = '\0';
	struct sim_request lreq = { .method = "GET", .path = long_path };
	assert_int_equal(sim_route_match(t, 1, &lreq, &rt, &call, scratch), SIM_ROUTE_BAD_PATH);
	long_path[SIM_PATH_MAX - 1] = '\0';
	assert_int_equal(sim_route_match(t, 1, &lreq, &rt, &call, scratch), SIM_ROUTE_BAD_PATH);
	memset(long_path, 'a', SIM_PATH_MAX - 1);
	long_path[0] = '/';
	assert_int_equal(sim_route_match(t, 1, &lreq, &rt, &call, scratch), SIM_ROUTE_NONE);
	free(long_path);

	/* the query as the CLI sends it (strictly encoded, sorted) passes;
	 * sent in another order it still passes (the server sorts) */
	const char *qauth =
		CRED "SignedHeaders=host;x-amz-date, "
		     "Signature=40a49b6c9a738f52077b4483dcf4765cae7aaa66567effda851ed68e9b363f3b";
	struct sim_param q[] = { { "z", "~" },
				 { "next_token", "a%2Bb%2F%3D" },
				 { "max_results", "5" } };
	assert_int_equal(run(&(struct req){ .q = q, .nq = 3, .auth = qauth, .date = DATE }), 0);
	/* the same characters sent differently encoded decode to the same */
	struct sim_param q2[] = { { "max_results", "%35" },
				  { "next_token", "a%2bb%2f%3d" },
				  { "z", "%7E" } };
	assert_int_equal(run(&(struct req){ .q = q2, .nq = 3, .auth = qauth, .date = DATE }), 0);
	/* a raw '+' stays a plus sign (rest-json sends spaces as %20), so it
	 * signs like %2B */
	struct sim_param q3[] = { { "max_results", "5" },
				  { "next_token", "a+b%2F%3D" },
				  { "z", "~" } };
	assert_int_equal(run(&(struct req){ .q = q3, .nq = 3, .auth = qauth, .date = DATE }), 0);
	struct sim_param bad_q[][1] = { { { "a", "%00" } }, { { "%", "" } }, { { "a", "%e" } } };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(
			run(&(struct req){ .q = bad_q[i], .nq = 1, .auth = qauth, .date = DATE }),
			REFUSED(SIM_ERR_INVALID_SIGNATURE));
	struct sim_param many[SIM_QUERY_MAX + 1];
	for (size_t i = 0; i < SIM_QUERY_MAX + 1; i++)
		many[i] = (struct sim_param){ "k", "v" };
	assert_int_equal(run(&(struct req){
				 .q = many, .nq = SIM_QUERY_MAX + 1, .auth = qauth, .date = DATE }),
			 REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* ---- NUL bytes ---- */

static void test_nul_bytes(void **state)
{
	(void)state;
	/* a body with a NUL is hashed whole (botocore signed b"a\0b") */
	const char *auth =
		CRED "SignedHeaders=content-type;host;x-amz-date, "
		     "Signature=98b6aacdd687237a54a30761ec9161f80aadee4fb5af34e9e7d8dfb5f92f63b4";
	struct req r = { .method = "POST",
			 .path = "/ledgers/x/digest",
			 .auth = auth,
			 .date = DATE,
			 .ctype = "application/json",
			 .body = "a\0b",
			 .body_len = 3 };
	assert_int_equal(run(&r), 0);
	r.body_len = 1; /* cut at the NUL: another body */
	assert_int_equal(run(&r), REFUSED(SIM_ERR_INVALID_SIGNATURE));
	/* a header value ends at a NUL (as a C string): the signature is over
	 * what remains, so the rest cannot smuggle anything past the check */
	assert_int_equal(run(&(struct req){ .auth = "AWS4-HMAC-SHA256\0 Credential=" KEY
						    "/20231114/us-east-1/qldb/aws4_request",
					    .date = DATE }),
			 REFUSED(SIM_ERR_UNRECOGNIZED_CLIENT));
	assert_int_equal(run(&(struct req){ .auth = CRED "SignedHeaders=host;x-amz-date, "
							 "Signature=\0" SIG0,
					    .date = DATE }),
			 REFUSED(SIM_ERR_INCOMPLETE_SIGNATURE));
	/* %00 (an encoded NUL) is refused in paths and queries */
	char out[8];
	assert_int_equal(sim_percent_decode("%00", 3, out, sizeof out), -1);
	/* a POST with the botocore body signature but an empty body */
	r.body_len = 0;
	r.body = NULL;
	assert_int_equal(run(&r), REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* The botocore-signed POST with a JSON body passes: the oracle agrees with
 * the endpoint on content-type signing and the payload hash. */
static void test_botocore_post_is_accepted(void **state)
{
	(void)state;
	struct req r = {
		.method = "POST",
		.path = "/ledgers/x/digest",
		.date = DATE,
		.ctype = "application/json",
		.body = "{}",
		.body_len = 2,
		.auth = CRED
		"SignedHeaders=content-type;host;x-amz-date, "
		"Signature=abc933fe7973eca90894a33d504673a981c42af669a7cc4acb500309a6011df9",
	};
	assert_int_equal(run(&r), 0);
	r.method = "PUT";
	assert_int_equal(run(&r), REFUSED(SIM_ERR_INVALID_SIGNATURE));
}

/* The scope's region is handed out on success (ARNs name it); a correctly
 * signed scope with a region that is not 1..32 of [a-z0-9-] is refused
 * and leaves the output alone. Signatures from botocore (the CLI's
 * signer), as the file comment says. */
static void test_scope_region_is_reported_and_checked(void **state)
{
	(void)state;
	static const struct {
		const char *region, *sig;
		int want;
	} cases[] = {
		{ "eu-west-1", "f0aae39a263d51aabc153219aa41d6da8eaad9f5f32758939f4abea56274f65b",
		  0 },
		{ "EU-WEST-1", "4b2a726018016bfcbda1eb0ef420ddcd4204cb75796cc59643ff3eafdec071cb",
		  REFUSED(SIM_ERR_INVALID_SIGNATURE) },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "1959c4ead759c7caeb74bf0be37132f0ae01475d8dcf905705a5796dad6567ba",
		  REFUSED(SIM_ERR_INVALID_SIGNATURE) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char auth[400];
		snprintf(auth, sizeof auth,
			 "AWS4-HMAC-SHA256 Credential=" KEY "/20231114/%s/qldb/aws4_request, "
			 "SignedHeaders=host;x-amz-date, Signature=%s",
			 cases[i].region, cases[i].sig);
		assert_int_equal(run(&(struct req){ .auth = auth, .date = DATE }), cases[i].want);
		if (cases[i].want == 0) {
			assert_string_equal(last_region, cases[i].region);
		} else {
			assert_non_null(strstr(last_msg, "valid region"));
			assert_int_equal(strspn(last_region, "x"), SIM_SIGV4_REGION_MAX);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_region_scope_is_signed_whole),
		cmocka_unit_test(test_scope_region_is_reported_and_checked),
		cmocka_unit_test(test_dot_and_empty_segments_are_normalised_like_the_sdk),
		cmocka_unit_test(test_error_messages_are_one_printable_line),
		cmocka_unit_test(test_json_timestamp_prints_negative_times),
		cmocka_unit_test(test_impossible_dates_are_incomplete_signature),
		cmocka_unit_test(test_non_hex_signature_is_incomplete),
		cmocka_unit_test(test_signed_headers_count_and_empty_names),
		cmocka_unit_test(test_malformed_authorization_headers),
		cmocka_unit_test(test_percent_encoding_edges),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_botocore_post_is_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
