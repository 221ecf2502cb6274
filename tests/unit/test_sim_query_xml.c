/*
 * test_sim_query_xml.c - the query protocol's answers that STS,
 * CloudFormation and CloudWatch share: element text escaped (markup as
 * entities, control bytes as '?', tab and newline kept), an absent member
 * written as nothing, the ErrorResponse document byte for byte with its
 * type (Sender below 500, Receiver from 500) and the x-amzn-query-error
 * header, a message made one printable line, the endpoint's errors before
 * dispatch in each service's codes (a bad parameter is the service's own
 * code), an unknown one a 500 InternalFailure, request ids distinct and
 * shaped as a UUID with the service's prefix, and a body replacing the one
 * a response held. Expected documents are written out here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/query_xml.h"

static const struct query_xml_service SVC = { "urn:test", "abcdef01", "ValidationError" };
static const struct query_xml_service OTHER = { "urn:other", "12345678", "InvalidParameterValue" };

static const char *header(const struct sim_response *res, const char *name)
{
	for (size_t i = 0; i < res->n_headers; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

static void test_text_and_elements(void **state)
{
	(void)state;
	struct buf b = { 0 };
	assert_int_equal(query_xml_text(&b, "a<b>&\"c'\td\ne\x01\x7f"), 0);
	assert_int_equal(query_xml_elem(&b, "Absent", NULL), 0);
	assert_int_equal(query_xml_elem(&b, "K", "</K><X>"), 0);
	assert_int_equal(buf_append_byte(&b, 0), 0);
	assert_string_equal((char *)b.data, "a&lt;b&gt;&amp;&quot;c&apos;\td\ne?\x7f"
					    "<K>&lt;/K&gt;&lt;X&gt;</K>");
	buf_free(&b);
}

static void test_error_document(void **state)
{
	(void)state;
	struct sim_response res = { 0 };
	query_xml_error(&res, &SVC, 400, "MissingAction", "no\naction <here>", "rid-1");
	assert_int_equal(res.status, 400);
	assert_string_equal(res.content_type, "text/xml");
	assert_string_equal(res.error_code, "MissingAction");
	assert_int_equal(strlen(res.body), res.body_len);
	assert_string_equal(res.body,
			    "<ErrorResponse xmlns=\"urn:test\"><Error><Type>Sender</Type>"
			    "<Code>MissingAction</Code><Message>no?action &lt;here&gt;</Message>"
			    "</Error><RequestId>rid-1</RequestId></ErrorResponse>");
	assert_string_equal(header(&res, "x-amzn-query-error"), "MissingAction;Sender");
	sim_response_clear(&res);
	query_xml_error(&res, &SVC, 503, "ServiceUnavailable", "busy", NULL);
	assert_non_null(strstr(res.body, "<Type>Receiver</Type>"));
	assert_non_null(strstr(res.body, "<RequestId>abcdef01-"));
	assert_string_equal(header(&res, "x-amzn-query-error"), "ServiceUnavailable;Receiver");
	sim_response_clear(&res);
}

static void test_pre_dispatch_codes(void **state)
{
	(void)state;
	static const struct {
		enum sim_error e;
		const struct query_xml_service *svc;
		unsigned status;
		const char *code;
	} CASES[] = {
		{ SIM_ERR_INVALID_SIGNATURE, &SVC, 403, "SignatureDoesNotMatch" },
		{ SIM_ERR_UNRECOGNIZED_CLIENT, &SVC, 403, "InvalidClientTokenId" },
		{ SIM_ERR_INCOMPLETE_SIGNATURE, &SVC, 403, "IncompleteSignature" },
		{ SIM_ERR_TOO_LARGE, &SVC, 413, "RequestEntityTooLarge" },
		{ SIM_ERR_THROTTLING, &SVC, 400, "Throttling" },
		{ SIM_ERR_SERVICE_UNAVAILABLE, &SVC, 503, "ServiceUnavailable" },
		{ SIM_ERR_INVALID_PARAMETER, &SVC, 400, "ValidationError" },
		{ SIM_ERR_INVALID_PARAMETER, &OTHER, 400, "InvalidParameterValue" },
		{ SIM_ERR_RESOURCE_NOT_FOUND, &SVC, 500, "InternalFailure" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct sim_response res = { 0 };
		query_xml_pre_error(&res, CASES[i].svc, CASES[i].e, "m");
		assert_int_equal(res.status, CASES[i].status);
		assert_string_equal(res.error_code, CASES[i].code);
		char want[96];
		snprintf(want, sizeof want, "<Code>%s</Code>", CASES[i].code);
		assert_non_null(strstr(res.body, want));
		snprintf(want, sizeof want, "<ErrorResponse xmlns=\"%s\">", CASES[i].svc->xmlns);
		assert_non_null(strstr(res.body, want));
		sim_response_clear(&res);
	}
}

static void test_request_ids_and_replaced_body(void **state)
{
	(void)state;
	char a[QUERY_XML_ID_MAX], b[QUERY_XML_ID_MAX];
	query_xml_request_id("abcdef01", a);
	query_xml_request_id("abcdef01", b);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 36); /* 8-4-4-4-12 */
	assert_memory_equal(a, "abcdef01-", 9);
	assert_memory_equal(a + 13, "-4000-8000-", 11);
	/* an answer replaced by an error: the first body is released (ASan
	 * would report it) and the new one is whole */
	struct sim_response res = { 0 };
	struct buf ok = { 0 };
	assert_int_equal(buf_printf(&ok, "<Ok/>"), 0);
	query_xml_respond(&res, 200, &ok);
	assert_null(ok.data);
	assert_string_equal(res.body, "<Ok/>");
	assert_int_equal(res.body_len, 5);
	query_xml_error(&res, &SVC, 400, "ValidationError", "bad", "r");
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.body, "<Message>bad</Message>"));
	sim_response_clear(&res);
	/* nothing written (out of memory): a 500 InternalFailure, not an empty 200 */
	struct buf none = { 0 };
	query_xml_respond(&res, 200, &none);
	assert_int_equal(res.status, 500);
	assert_string_equal(res.error_code, "InternalFailure");
	assert_non_null(strstr(res.body, "<Code>InternalFailure</Code>"));
	sim_response_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_elements),
		cmocka_unit_test(test_error_document),
		cmocka_unit_test(test_pre_dispatch_codes),
		cmocka_unit_test(test_request_ids_and_replaced_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
