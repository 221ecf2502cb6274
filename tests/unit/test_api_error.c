/*
 * test_api_error.c - reading AWS error shapes the way the AWS CLI does
 * (docs/aws-api.md §2.1): code from x-amzn-ErrorType before ':', else body
 * __type after '#'; message from "message" or "Message"; always one line.
 * Also the config resolution order and that secrets never reach the
 * printable summary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/config.h"
#include "api/error.h"

static void parse(const char *hdr, const char *body, char *code, char *msg)
{
	api_error_parse_aws(hdr, body, body ? strlen(body) : 0, code, API_ERROR_CODE_MAX, msg,
			    API_ERROR_MSG_MAX);
}

static void test_code_comes_from_the_header_before_the_colon(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.qldb/",
	      "{\"Message\":\"Ledger x not found\"}", code, msg);
	assert_string_equal(code, "ResourceNotFoundException");
	assert_string_equal(msg, "Ledger x not found");
}

static void test_code_falls_back_to_body_type_after_the_hash(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse(NULL,
	      "{\"__type\":\"com.amazonaws.qldb#ResourceNotFoundException\",\"message\":\"m\"}",
	      code, msg);
	assert_string_equal(code, "ResourceNotFoundException");
	assert_string_equal(msg, "m");
	parse(NULL, "{\"__type\":\"ThrottlingException\"}", code, msg);
	assert_string_equal(code, "ThrottlingException");
	assert_string_equal(msg, "");
}

static void test_header_wins_over_body_type(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse("InvalidParameterException", "{\"__type\":\"x#Other\",\"message\":\"bad\"}", code,
	      msg);
	assert_string_equal(code, "InvalidParameterException");
	assert_string_equal(msg, "bad");
}

static void test_non_json_body_and_hostile_text_stay_one_line(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse(NULL, "<html>502 Bad Gateway</html>", code, msg);
	assert_string_equal(code, "");
	assert_string_equal(msg, "");
	/* a code stops at the first non-identifier byte; messages lose newlines */
	parse("Bad\r\nSet-Cookie: x", "{\"message\":\"line1\\nline2\"}", code, msg);
	assert_string_equal(code, "Bad");
	assert_string_equal(msg, "line1 line2");
	struct api_error e;
	api_error_set(&e, API_ERR_SERVICE, "a\nb\tc");
	assert_string_equal(e.msg, "a b c");
	assert_int_equal(e.status, API_ERR_SERVICE);
}

/* A fake environment for config resolution. */
static const char *const *fake_env;
static const char *env_lookup(const char *name)
{
	for (size_t i = 0; fake_env[i]; i += 2)
		if (strcmp(fake_env[i], name) == 0)
			return fake_env[i + 1];
	return NULL;
}

static void test_config_resolution_order_follows_the_aws_cli(void **state)
{
	(void)state;
	static const char *const ENV[] = {
		"AWS_REGION",
		"eu-west-1",
		"AWS_DEFAULT_REGION",
		"us-west-2",
		"AWS_ENDPOINT_URL",
		"http://generic:1",
		"AWS_ENDPOINT_URL_QLDB",
		"http://qldb:2/",
		"AWS_ACCESS_KEY_ID",
		"AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY",
		"wJalrXUtnFEMI/SECRET",
		"AWS_SESSION_TOKEN",
		"TOKEN-SECRET",
		NULL,
	};
	fake_env = ENV;
	struct api_config c;
	struct api_error e;
	assert_int_equal(api_config_resolve(&c, NULL, env_lookup, &e), 0);
	assert_string_equal(c.region, "eu-west-1");
	assert_string_equal(c.endpoint, "http://qldb:2"); /* trailing '/' dropped */
	assert_true(c.have_credentials);
	assert_string_equal(c.session_token, "TOKEN-SECRET");

	struct api_config_overrides ov = { .region = "ap-south-1", .endpoint_url = "https://x" };
	assert_int_equal(api_config_resolve(&c, &ov, env_lookup, &e), 0);
	assert_string_equal(c.region, "ap-south-1");
	assert_string_equal(c.endpoint, "https://x");

	char line[512];
	api_config_describe(&c, line, sizeof line);
	assert_null(strstr(line, "SECRET"));
	assert_null(strstr(line, "AKIDEXAMPLE")); /* only the first 4 chars */
	assert_non_null(strstr(line, "AKID..."));
	api_config_wipe(&c);
	assert_string_equal(c.secret_access_key, "");
	assert_string_equal(c.session_token, "");
}

static void test_config_defaults_and_missing_credentials(void **state)
{
	(void)state;
	static const char *const ENV[] = { NULL };
	fake_env = ENV;
	struct api_config c;
	struct api_error e;
	assert_int_equal(api_config_resolve(&c, NULL, env_lookup, &e), 0);
	assert_string_equal(c.region, "us-east-1");
	assert_string_equal(c.endpoint, "https://qldb.us-east-1.amazonaws.com");
	assert_false(c.have_credentials); /* not an error: the panes say so */
}

static void test_config_rejects_bad_region_and_endpoint(void **state)
{
	(void)state;
	static const char *const ENV[] = { NULL };
	fake_env = ENV;
	static const struct {
		const char *region, *endpoint;
	} BAD[] = {
		{ "US_EAST", NULL }, { "us-east-1\n", NULL },	  { NULL, "ftp://x" },
		{ NULL, "http://" }, { NULL, "http://u:p@host" }, { NULL, "http://a b" },
	};
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		struct api_config_overrides ov = { .region = BAD[i].region,
						   .endpoint_url = BAD[i].endpoint };
		struct api_config c;
		struct api_error e;
		assert_int_equal(api_config_resolve(&c, &ov, env_lookup, &e), API_ERR_CONFIG);
		assert_null(strchr(e.msg, '\n'));
		assert_null(strstr(e.msg, "u:p")); /* no userinfo echoed back */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_comes_from_the_header_before_the_colon),
		cmocka_unit_test(test_code_falls_back_to_body_type_after_the_hash),
		cmocka_unit_test(test_header_wins_over_body_type),
		cmocka_unit_test(test_non_json_body_and_hostile_text_stay_one_line),
		cmocka_unit_test(test_config_resolution_order_follows_the_aws_cli),
		cmocka_unit_test(test_config_defaults_and_missing_credentials),
		cmocka_unit_test(test_config_rejects_bad_region_and_endpoint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
