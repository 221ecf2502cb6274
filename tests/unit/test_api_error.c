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

/* api_error_parse_response over a body and headers. */
static void parse_resp(const char *hdr, const char *qerr, const char *body, char *code, char *msg)
{
	struct api_error_response r = { .http_status = 400,
					.error_type = hdr,
					.query_error = qerr,
					.body = body,
					.body_len = body ? strlen(body) : 0 };
	api_error_parse_response(&r, code, API_ERROR_CODE_MAX, msg, API_ERROR_MSG_MAX);
}

static void test_s3_and_query_xml_errors_are_read_with_a_parser(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse_resp(NULL, NULL,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
		   "<Message>The specified key does not exist.</Message><Key>a b</Key>"
		   "<RequestId>R</RequestId></Error>",
		   code, msg);
	assert_string_equal(code, "NoSuchKey");
	assert_string_equal(msg, "The specified key does not exist.");
	parse_resp(NULL, NULL,
		   "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
		   "<Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>a &amp; "
		   "b &lt;c&gt;</Message></Error><RequestId>r</RequestId></ErrorResponse>",
		   code, msg);
	assert_string_equal(code, "InvalidParameterValue");
	assert_string_equal(msg, "a & b <c>"); /* entities decoded by the parser */
	/* CDATA and a namespace prefix */
	parse_resp(NULL, NULL,
		   "<s3:Error xmlns:s3=\"u\"><s3:Code>SlowDown</s3:Code><s3:Message>"
		   "<![CDATA[wait]]></s3:Message></s3:Error>",
		   code, msg);
	assert_string_equal(code, "SlowDown");
	assert_string_equal(msg, "wait");
}

static void test_xml_that_is_not_an_error_shape_gives_nothing(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	const char *bad[] = {
		/* a Code at the wrong depth, or under another root */
		"<Error><Details><Code>Deep</Code></Details></Error>",
		"<ListBucketResult><Error><Code>X</Code></Error></ListBucketResult>",
		/* truncated, malformed, HTML */
		"<Error><Code>NoSuchKey</Code><Message>cut",
		"<Error><Code>A</Error>",
		"<html><body><h1>502 Bad Gateway</h1></body></html>",
		/* entity declarations are refused outright (no expansion attack) */
		("<!DOCTYPE Error [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
		 "<Error><Code>&b;</Code></Error>"),
		/* no Code */
		"<Error><Message>only</Message></Error>",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		parse_resp(NULL, NULL, bad[i], code, msg);
		if (code[0] || msg[0])
			fail_msg("case %zu gave code '%s' msg '%s'", i, code, msg);
	}
	/* the header still names the code when the body is unreadable XML */
	parse_resp("ServiceUnavailableException", NULL, "<html>busy</html>", code, msg);
	assert_string_equal(code, "ServiceUnavailableException");
	assert_string_equal(msg, "");
	/* a code with hostile bytes stops at the first non-identifier byte */
	parse_resp(NULL, NULL, "<Error><Code>Bad Code\nX</Code><Message>m</Message></Error>", code,
		   msg);
	assert_string_equal(code, "Bad");
}

static void test_query_error_header_names_the_code(void **state)
{
	(void)state;
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	parse_resp(NULL, "InvalidParameterValue;Sender",
		   "{\"__type\":\"x#InvalidParameterValueException\",\"message\":\"m\"}", code,
		   msg);
	assert_string_equal(code, "InvalidParameterValue");
	assert_string_equal(msg, "m");
	/* an empty or junk header changes nothing */
	parse_resp(NULL, ";Sender", "{\"__type\":\"T\"}", code, msg);
	assert_string_equal(code, "T");
}

static void test_excerpt_is_printable_collapsed_and_capped(void **state)
{
	(void)state;
	char out[32];
	const char body[] = "  <html>\r\n\t<b>\x1b[2J\xc3\xa9</b>  tail";
	api_error_excerpt(body, sizeof body - 1, 20, out, sizeof out);
	assert_string_equal(out, "<html> <b>?[2J?"
				 "?</b>");
	api_error_excerpt(body, sizeof body - 1, 100, out, 8);
	assert_int_equal(strlen(out), 7);
	api_error_excerpt(NULL, 0, 10, out, sizeof out);
	assert_string_equal(out, "");
	api_error_excerpt("\n\n \t", 4, 10, out, sizeof out);
	assert_string_equal(out, "");
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
		cmocka_unit_test(test_s3_and_query_xml_errors_are_read_with_a_parser),
		cmocka_unit_test(test_xml_that_is_not_an_error_shape_gives_nothing),
		cmocka_unit_test(test_query_error_header_names_the_code),
		cmocka_unit_test(test_excerpt_is_printable_collapsed_and_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
