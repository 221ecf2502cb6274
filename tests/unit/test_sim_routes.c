/*
 * test_sim_routes.c - the endpoint's HTTP-independent layer: route
 * matching (method + pattern, per-segment percent-decoding), the AWS error
 * shapes (status, x-amzn-ErrorType code, message/Message body) and the
 * QLDB handlers' JSON against the model's shapes (shared/docs/aws-api.md
 * §2: ListLedgers paging, DescribeLedger members, GetDigest's 32-byte
 * base64 Digest and Ion DigestTipAddress).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "sim/http.h"
#include "sim/journal.h"
#include "sim/ledger.h"
#include "sim/qldb_api.h"
#include "verify/base64.h"
#include "verify/ion.h"

#define CREATED_MS 1700000000123LL

static void noop(void *svc, const struct sim_call *call, struct sim_response *res)
{
	(void)svc, (void)call, (void)res;
}

static const struct sim_route TABLE[] = {
	{ "GET", "/ledgers", "ListLedgers", noop },
	{ "GET", "/ledgers/{name}", "DescribeLedger", noop },
	{ "POST", "/ledgers/{name}/digest", "GetDigest", noop },
	{ "GET", "/tags/{resourceArn}", "ListTagsForResource", noop },
	{ "GET", "/ledgers/{name}/journal-kinesis-streams/{streamId}", "DescribeStream", noop },
};
#define NT (sizeof TABLE / sizeof TABLE[0])

static enum sim_route_status match(const char *method, const char *path, const char **op,
				   struct sim_call *call, char *scratch)
{
	struct sim_request req = { .method = method, .path = path };
	const struct sim_route *rt = NULL;
	enum sim_route_status st = sim_route_match(TABLE, NT, &req, &rt, call, scratch);
	*op = rt ? rt->operation : NULL;
	return st;
}

static void test_routes_match_method_and_capture_decoded_segments(void **state)
{
	(void)state;
	char scratch[SIM_PATH_MAX];
	struct sim_call call;
	const char *op;
	assert_int_equal(match("GET", "/ledgers", &op, &call, scratch), SIM_ROUTE_FOUND);
	assert_string_equal(op, "ListLedgers");
	assert_int_equal(call.n_params, 0);
	assert_int_equal(match("GET", "/ledgers/financial-ledger", &op, &call, scratch), 0);
	assert_string_equal(op, "DescribeLedger");
	assert_string_equal(call.params[0], "financial-ledger");
	assert_int_equal(match("POST", "/ledgers/x/digest", &op, &call, scratch), 0);
	assert_string_equal(op, "GetDigest");
	assert_string_equal(call.operation, "GetDigest");
	/* %2F stays inside its segment: an ARN is one path parameter */
	assert_int_equal(match("GET", "/tags/arn%3Aaws%3Aqldb%3Aus-east-1%3A1%3Aledger%2Fy", &op,
			       &call, scratch),
			 0);
	assert_string_equal(call.params[0], "arn:aws:qldb:us-east-1:1:ledger/y");
	assert_int_equal(match("GET", "/ledgers/a/journal-kinesis-streams/S1", &op, &call, scratch),
			 0);
	assert_int_equal(call.n_params, 2);
	assert_string_equal(call.params[1], "S1");
}

static void test_routes_reject_wrong_method_shape_and_encoding(void **state)
{
	(void)state;
	char scratch[SIM_PATH_MAX];
	struct sim_call call;
	const char *op;
	assert_int_equal(match("GET", "/ledgers/x/digest", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("DELETE", "/ledgers/x", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("GET", "/ledgers/", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("GET", "/ledgers/x/", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("GET", "/", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("GET", "/ledgersx", &op, &call, scratch), SIM_ROUTE_NONE);
	assert_int_equal(match("GET", "/ledgers/x%zz", &op, &call, scratch), SIM_ROUTE_BAD_PATH);
	assert_int_equal(match("GET", "/ledgers/x%2", &op, &call, scratch), SIM_ROUTE_BAD_PATH);
	assert_int_equal(match("GET", "/ledgers/x%00", &op, &call, scratch), SIM_ROUTE_BAD_PATH);
	assert_int_equal(match("GET", "ledgers", &op, &call, scratch), SIM_ROUTE_BAD_PATH);
	char *long_path = malloc(SIM_PATH_MAX + 8);
	memset(long_path, '/', SIM_PATH_MAX + 7);
	long_path[SIM_PATH_MAX + 7] = '\0';
	assert_int_equal(match("GET", long_path, &op, &call, scratch), SIM_ROUTE_BAD_PATH);
	free(long_path);
}

static void test_error_shapes_have_model_status_codes(void **state)
{
	(void)state;
	static const struct {
		enum sim_error e;
		const char *code;
		unsigned status;
	} want[] = {
		{ SIM_ERR_INVALID_PARAMETER, "InvalidParameterException", 400 },
		{ SIM_ERR_RESOURCE_NOT_FOUND, "ResourceNotFoundException", 404 },
		{ SIM_ERR_RESOURCE_PRECONDITION, "ResourcePreconditionNotMetException", 412 },
		{ SIM_ERR_UNRECOGNIZED_CLIENT, "UnrecognizedClientException", 403 },
		{ SIM_ERR_INVALID_SIGNATURE, "InvalidSignatureException", 403 },
		{ SIM_ERR_TOO_LARGE, "RequestEntityTooLargeException", 413 },
		{ SIM_ERR_UNKNOWN_OPERATION, "UnknownOperationException", 404 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(sim_error_code(want[i].e), want[i].code);
		assert_int_equal(sim_error_status(want[i].e), want[i].status);
	}
	struct sim_response res = { 0 };
	sim_response_error(&res, SIM_ERR_RESOURCE_NOT_FOUND, "LEDGER", "x", NULL, "no %s", "x");
	assert_int_equal(res.status, 404);
	assert_string_equal(res.error_code, "ResourceNotFoundException");
	cJSON *o = cJSON_Parse(res.body);
	assert_string_equal(cJSON_GetObjectItem(o, "message")->valuestring, "no x");
	assert_string_equal(cJSON_GetObjectItem(o, "Message")->valuestring, "no x");
	assert_string_equal(cJSON_GetObjectItem(o, "ResourceType")->valuestring, "LEDGER");
	assert_string_equal(cJSON_GetObjectItem(o, "ResourceName")->valuestring, "x");
	assert_null(cJSON_GetObjectItem(o, "ParameterName"));
	cJSON_Delete(o);
	sim_response_clear(&res);
}

/* --- QLDB handlers over a registry of three small ledgers -------------- */

struct fixture {
	struct sim_ledgers ledgers;
	struct sim_qldb svc;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *names[] = { "financial-ledger", "ledger-b", "ledger-c" };
	char err[SIM_ERR_MAX];
	for (int i = 0; i < 3; i++) {
		struct sim_journal *j =
			sim_journal_new(100 + (uint64_t)i, CREATED_MS, err, sizeof err);
		if (!j ||
		    sim_ledgers_add(&f->ledgers, names[i], CREATED_MS, j, err, sizeof err) != 0)
			fail_msg("%s", err);
	}
	f->svc.ledgers = &f->ledgers;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_ledgers_free(&f->ledgers);
	free(f);
	return 0;
}

/* Run one request; returns the parsed body (caller deletes). */
static cJSON *call(struct fixture *f, const char *method, const char *path,
		   const struct sim_param *q, size_t nq, const char *body, struct sim_response *res)
{
	struct sim_request req = { .method = method,
				   .path = path,
				   .query = q,
				   .n_query = nq,
				   .body = body,
				   .body_len = body ? strlen(body) : 0 };
	memset(res, 0, sizeof *res);
	sim_qldb_handle(&f->svc, &req, res);
	assert_non_null(res->body);
	cJSON *o = cJSON_Parse(res->body);
	assert_non_null(o);
	return o;
}

static void test_list_ledgers_pages_with_next_token(void **state)
{
	struct fixture *f = *state;
	struct sim_response res;
	struct sim_param q[2] = { { "max_results", "2" } };
	cJSON *o = call(f, "GET", "/ledgers", q, 1, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_null(res.error_code);
	cJSON *list = cJSON_GetObjectItem(o, "Ledgers");
	assert_int_equal(cJSON_GetArraySize(list), 2);
	cJSON *first = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(first, "Name")->valuestring, "financial-ledger");
	assert_string_equal(cJSON_GetObjectItem(first, "State")->valuestring, "ACTIVE");
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(first, "CreationDateTime")));
	const char *token = cJSON_GetObjectItem(o, "NextToken")->valuestring;
	/* NextToken: 4..1024 of [A-Za-z0-9+/=-] */
	assert_true(strlen(token) >= 4 &&
		    strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				  "opqrstuvwxyz0123456789+/=-") == strlen(token));
	q[1] = (struct sim_param){ "next_token", token };
	struct sim_response res2;
	cJSON *o2 = call(f, "GET", "/ledgers", q, 2, NULL, &res2);
	assert_int_equal(res2.status, 200);
	list = cJSON_GetObjectItem(o2, "Ledgers");
	assert_int_equal(cJSON_GetArraySize(list), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "Name")->valuestring,
			    "ledger-c");
	assert_null(cJSON_GetObjectItem(o2, "NextToken"));
	cJSON_Delete(o);
	cJSON_Delete(o2);
	sim_response_clear(&res);
	sim_response_clear(&res2);
	/* no parameters: everything, no token */
	o = call(f, "GET", "/ledgers", NULL, 0, NULL, &res);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Ledgers")), 3);
	assert_null(cJSON_GetObjectItem(o, "NextToken"));
	cJSON_Delete(o);
	sim_response_clear(&res);
}

static void test_list_ledgers_rejects_bad_max_results_and_tokens(void **state)
{
	struct fixture *f = *state;
	static const struct sim_param bad[] = {
		{ "max_results", "0" },
		{ "max_results", "101" },
		{ "max_results", "5x" },
		{ "max_results", "" },
		{ "next_token", "abcd" },
		{ "next_token", "a" },
		{ "next_token", "cWxkYnRvcC1sZWRnZXJzOjk5" }, /* qldbtop-ledgers:99 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sim_response res;
		cJSON *o = call(f, "GET", "/ledgers", &bad[i], 1, NULL, &res);
		assert_int_equal(res.status, 400);
		assert_string_equal(res.error_code, "InvalidParameterException");
		assert_non_null(cJSON_GetObjectItem(o, "ParameterName"));
		cJSON_Delete(o);
		sim_response_clear(&res);
	}
}

static void test_describe_ledger_has_every_model_member(void **state)
{
	struct fixture *f = *state;
	struct sim_response res;
	cJSON *o = call(f, "GET", "/ledgers/financial-ledger", NULL, 0, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(cJSON_GetObjectItem(o, "Name")->valuestring, "financial-ledger");
	assert_string_equal(cJSON_GetObjectItem(o, "Arn")->valuestring,
			    "arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger");
	assert_string_equal(cJSON_GetObjectItem(o, "State")->valuestring, "ACTIVE");
	assert_string_equal(cJSON_GetObjectItem(o, "PermissionsMode")->valuestring, "STANDARD");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "DeletionProtection")));
	cJSON *enc = cJSON_GetObjectItem(o, "EncryptionDescription");
	assert_string_equal(cJSON_GetObjectItem(enc, "KmsKeyArn")->valuestring,
			    "AWS_OWNED_KMS_KEY");
	assert_string_equal(cJSON_GetObjectItem(enc, "EncryptionStatus")->valuestring, "ENABLED");
	/* epoch seconds with milliseconds, written exactly */
	assert_non_null(strstr(res.body, "\"CreationDateTime\":1700000000.123"));
	cJSON_Delete(o);
	sim_response_clear(&res);
}

static void test_missing_or_invalid_ledger_names_get_model_errors(void **state)
{
	struct fixture *f = *state;
	struct sim_response res;
	cJSON *o = call(f, "GET", "/ledgers/no-such-ledger", NULL, 0, NULL, &res);
	assert_int_equal(res.status, 404);
	assert_string_equal(res.error_code, "ResourceNotFoundException");
	assert_non_null(strstr(cJSON_GetObjectItem(o, "message")->valuestring, "no-such-ledger"));
	cJSON_Delete(o);
	sim_response_clear(&res);
	o = call(f, "POST", "/ledgers/no-such-ledger/digest", NULL, 0, NULL, &res);
	assert_int_equal(res.status, 404);
	cJSON_Delete(o);
	sim_response_clear(&res);
	static const char *const invalid[] = {
		"/ledgers/-x",	  "/ledgers/x-",  "/ledgers/a--b",
		"/ledgers/12345", "/ledgers/a_b", "/ledgers/abcdefghijklmnopqrstuvwxyz0123456"
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		o = call(f, "GET", invalid[i], NULL, 0, NULL, &res);
		assert_int_equal(res.status, 400);
		assert_string_equal(res.error_code, "InvalidParameterException");
		assert_string_equal(cJSON_GetObjectItem(o, "ParameterName")->valuestring, "Name");
		cJSON_Delete(o);
		sim_response_clear(&res);
	}
}

static void test_get_digest_returns_32_bytes_and_ion_tip_address(void **state)
{
	struct fixture *f = *state;
	const char *bodies[] = { NULL, "{}", "{\"Name\":\"financial-ledger\"}" };
	for (size_t i = 0; i < 3; i++) {
		struct sim_response res;
		cJSON *o = call(f, "POST", "/ledgers/financial-ledger/digest", NULL, 0, bodies[i],
				&res);
		assert_int_equal(res.status, 200);
		const char *b64 = cJSON_GetObjectItem(o, "Digest")->valuestring;
		uint8_t raw[64];
		assert_int_equal(base64_decode(b64, strlen(b64), raw, sizeof raw), 32);
		struct qldb_hash want;
		int64_t tip;
		assert_int_equal(sim_journal_digest(f->ledgers.v[0]->journal, &want, &tip), 0);
		assert_memory_equal(raw, want.b, 32);
		const char *ion =
			cJSON_GetObjectItem(cJSON_GetObjectItem(o, "DigestTipAddress"), "IonText")
				->valuestring;
		struct ion_arena *a = ion_arena_new();
		const struct ion_value *v;
		struct ion_error e;
		assert_int_equal(ion_parse_one((const uint8_t *)ion, strlen(ion), a, &v, &e), 0);
		const struct ion_value *strand = ion_struct_get(v, "strandId");
		const struct ion_value *seq = ion_struct_get(v, "sequenceNo");
		assert_int_equal(strand->u.bytes.len, 22);
		assert_memory_equal(strand->u.bytes.data,
				    sim_journal_strand(f->ledgers.v[0]->journal), 22);
		int64_t n;
		assert_int_equal(ion_int_to_i64(&seq->u.i, &n), 0);
		assert_int_equal(n, tip);
		ion_arena_free(a);
		cJSON_Delete(o);
		sim_response_clear(&res);
	}
	struct sim_response res;
	cJSON *o = call(f, "POST", "/ledgers/financial-ledger/digest", NULL, 0, "not json", &res);
	assert_int_equal(res.status, 400);
	assert_string_equal(res.error_code, "SerializationException");
	cJSON_Delete(o);
	sim_response_clear(&res);
}

static void test_unknown_operation_is_404_naming_method_and_path(void **state)
{
	struct fixture *f = *state;
	struct sim_response res;
	cJSON *o = call(f, "PUT", "/ledgers/financial-ledger", NULL, 0, NULL, &res);
	assert_int_equal(res.status, 404);
	assert_string_equal(res.error_code, "UnknownOperationException");
	assert_non_null(strstr(cJSON_GetObjectItem(o, "Message")->valuestring,
			       "PUT /ledgers/financial-ledger"));
	cJSON_Delete(o);
	sim_response_clear(&res);
	o = call(f, "GET", "/ledgers/x%4", NULL, 0, NULL, &res);
	assert_int_equal(res.status, 400);
	cJSON_Delete(o);
	sim_response_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_match_method_and_capture_decoded_segments),
		cmocka_unit_test(test_routes_reject_wrong_method_shape_and_encoding),
		cmocka_unit_test(test_error_shapes_have_model_status_codes),
		cmocka_unit_test(test_list_ledgers_pages_with_next_token),
		cmocka_unit_test(test_list_ledgers_rejects_bad_max_results_and_tokens),
		cmocka_unit_test(test_describe_ledger_has_every_model_member),
		cmocka_unit_test(test_missing_or_invalid_ledger_names_get_model_errors),
		cmocka_unit_test(test_get_digest_returns_32_bytes_and_ion_tip_address),
		cmocka_unit_test(test_unknown_operation_is_404_naming_method_and_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
