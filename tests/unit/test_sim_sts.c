/*
 * test_sim_sts.c - the endpoint's STS without a socket: GetCallerIdentity
 * from a form body and from a query string answers the XML AWS sends
 * (Arn, UserId, Account 123456789012, a RequestId); the UserId is stable
 * per access key and differs between keys; any other action is
 * InvalidAction, none MissingAction, a wrong Version InvalidAction naming
 * it; errors before dispatch are STS's <ErrorResponse> with the query
 * error header; markup in an action is escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/http.h"
#include "sim/sts.h"
#include "tests/lib/testutil.h"

static char body_text[4096];

/* POST / with form body; the answer's body (NUL-terminated) in body_text. */
static unsigned post(const char *key_id, const char *form, struct sim_response *res)
{
	struct hdr h[] = { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
			   { NULL, NULL } };
	struct sim_request req = { .method = "POST",
				   .path = "/",
				   .body = form,
				   .body_len = strlen(form),
				   .header = hdr_lookup,
				   .header_ctx = h };
	memset(res, 0, sizeof *res);
	sim_sts_handle(key_id, &req, res);
	snprintf(body_text, sizeof body_text, "%.*s", (int)res->body_len,
		 res->body ? res->body : "");
	return res->status;
}

/* The text of <tag> in body_text into out ("" when absent). */
static const char *elem(const char *tag, char out[256])
{
	char open[64], close[64];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	const char *a = strstr(body_text, open), *b = a ? strstr(a, close) : NULL;
	snprintf(out, 256, "%.*s", b ? (int)(b - a - strlen(open)) : 0, b ? a + strlen(open) : "");
	return out;
}

static void test_get_caller_identity_answers_the_demo_account(void **state)
{
	(void)state;
	struct sim_response res;
	char v[256];
	assert_int_equal(post("AKIDEXAMPLE", "Action=GetCallerIdentity&Version=2011-06-15", &res),
			 200);
	assert_null(res.error_code);
	assert_string_equal(res.content_type, "text/xml");
	assert_non_null(strstr(body_text, "<GetCallerIdentityResponse "
					  "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
					  "<GetCallerIdentityResult>"));
	assert_string_equal(elem("Account", v), "123456789012");
	assert_string_equal(elem("Arn", v), "arn:aws:iam::123456789012:user/" SIM_STS_USER);
	assert_int_equal(strlen(elem("UserId", v)), 21);
	assert_memory_equal(v, "AIDA", 4);
	assert_int_equal(strspn(v + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 17);
	assert_true(strlen(elem("RequestId", v)) > 0);
	assert_non_null(strstr(body_text, "</GetCallerIdentityResult><ResponseMetadata>"));
	sim_response_clear(&res);
}

static void test_user_id_is_stable_per_key_and_differs_between_keys(void **state)
{
	(void)state;
	struct sim_response res;
	char a[256], b[256], c[256];
	post("AKIDEXAMPLE", "Action=GetCallerIdentity", &res);
	elem("UserId", a);
	sim_response_clear(&res);
	post("AKIDEXAMPLE", "Version=2011-06-15&Action=GetCallerIdentity", &res);
	elem("UserId", b);
	sim_response_clear(&res);
	post("AKIDOTHER", "Action=GetCallerIdentity", &res);
	elem("UserId", c);
	sim_response_clear(&res);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	/* and the key itself is not in the answer */
	assert_null(strstr(body_text, "AKIDOTHER"));
}

static void test_a_query_string_works_as_the_form(void **state)
{
	(void)state;
	struct sim_param q[] = { { "Action", "GetCallerIdentity" }, { "Version", "2011-06-15" } };
	struct sim_request req = { .method = "GET", .path = "/", .query = q, .n_query = 2 };
	struct sim_response res = { 0 };
	sim_sts_handle("AKIDEXAMPLE", &req, &res);
	assert_int_equal(res.status, 200);
	sim_response_clear(&res);
}

/* An error answer: status, code, Type Sender, the header, a message. */
static void expect_error(const struct sim_response *res, unsigned status, const char *code)
{
	char v[256];
	assert_int_equal(res->status, status);
	assert_string_equal(res->error_code, code);
	assert_non_null(strstr(body_text, "<ErrorResponse "
					  "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
					  "<Error><Type>Sender</Type>"));
	assert_string_equal(elem("Code", v), code);
	assert_true(strlen(elem("Message", v)) > 0);
	assert_true(strlen(elem("RequestId", v)) > 0);
	bool header = false;
	for (size_t i = 0; i < res->n_headers; i++)
		header |= !strcmp(res->headers[i].name, "x-amzn-query-error") &&
			  !strncmp(res->headers[i].value, code, strlen(code));
	assert_true(header);
}

static void test_other_actions_are_invalid_action(void **state)
{
	(void)state;
	struct sim_response res;
	char v[256];
	post("K", "Action=AssumeRole&Version=2011-06-15&RoleArn=x", &res);
	expect_error(&res, 400, "InvalidAction");
	assert_string_equal(elem("Message", v),
			    "Could not find operation AssumeRole for version 2011-06-15");
	sim_response_clear(&res);
	post("K", "Action=GetCallerIdentity&Version=2099-01-01", &res);
	expect_error(&res, 400, "InvalidAction");
	assert_non_null(strstr(elem("Message", v), "2099-01-01"));
	sim_response_clear(&res);
	post("K", "Version=2011-06-15", &res);
	expect_error(&res, 400, "MissingAction");
	sim_response_clear(&res);
	post("K", "Action=%3Cx%3E%26", &res);
	expect_error(&res, 400, "InvalidAction");
	assert_non_null(strstr(body_text, "operation &lt;x&gt;&amp; for"));
	sim_response_clear(&res);
	post("K", "Action=%zz", &res);
	expect_error(&res, 400, "InvalidAction");
	sim_response_clear(&res);
}

static void test_errors_before_dispatch_have_the_sts_shape(void **state)
{
	(void)state;
	struct sim_response res = { 0 };
	sim_sts_error(&res, SIM_ERR_INVALID_SIGNATURE,
		      "The request signature we calculated does "
		      "not match");
	snprintf(body_text, sizeof body_text, "%.*s", (int)res.body_len, res.body);
	expect_error(&res, 403, "SignatureDoesNotMatch");
	sim_response_clear(&res);
	sim_sts_error(&res, SIM_ERR_UNRECOGNIZED_CLIENT, "unknown key");
	snprintf(body_text, sizeof body_text, "%.*s", (int)res.body_len, res.body);
	expect_error(&res, 403, "InvalidClientTokenId");
	sim_response_clear(&res);
	sim_sts_error(&res, SIM_ERR_TOO_LARGE, "too large");
	assert_int_equal(res.status, 413);
	sim_response_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_caller_identity_answers_the_demo_account),
		cmocka_unit_test(test_user_id_is_stable_per_key_and_differs_between_keys),
		cmocka_unit_test(test_a_query_string_works_as_the_form),
		cmocka_unit_test(test_other_actions_are_invalid_action),
		cmocka_unit_test(test_errors_before_dispatch_have_the_sts_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
