/*
 * test_sim_qldb_ops.c - the endpoint's 20 QLDB operations without a
 * socket, on a registry with an injected clock: the route table against
 * the model (shared/vectors/qldb/api/qldb-2019-01-02.service-2.json:
 * methods, paths, and every success answer's members in the order and
 * nesting of the model's output shape, required members present), the
 * ledger lifecycle (CREATING -> ACTIVE, DELETING -> gone), deletion
 * protection, name reuse, the ledger limit, tags and their limits, ARNs in
 * the request's region, streams, exports and their concurrency limit,
 * NextToken paging and forgery, deterministic ids, and each validation
 * error with its status, code and ParameterName.
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
#include "sim/journal.h"
#include "sim/ledger.h"
#include "sim/qldb_api.h"
#include "tests/lib/testutil.h"

#define T0 1700000000000LL /* the injected clock's start: 2023-11-14T22:13:20Z */
#define T0_S "1700000000"
#define DEMO_CREATED (T0 - 600000)
#define EXPORT_MS 5000
#define MODEL "vectors/qldb/api/qldb-2019-01-02.service-2.json"
#define ROLE "arn:aws:iam::123456789012:role/qldb-export"
#define KINESIS "arn:aws:kinesis:us-east-1:123456789012:stream/journal"
#define LEDGER_ARN(r, n) "arn:aws:qldb:" r ":123456789012:ledger/" n

struct fixture {
	struct sim_ledgers ls;
	struct sim_qldb svc;
	int64_t now;
	int changes;
	bool fail_changed;
	char gone[8][SIM_LEDGER_NAME_MAX + 1];
	int n_gone;
	cJSON *model;
};

static int64_t fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static int count_changes(void *ctx)
{
	struct fixture *f = ctx;
	f->changes++;
	return f->fail_changed ? -1 : 0;
}

static void record_gone(void *ctx, const char *name, struct sim_journal *j)
{
	struct fixture *f = ctx;
	assert_non_null(j);
	if (f->n_gone < 8)
		snprintf(f->gone[f->n_gone++], sizeof f->gone[0], "%s", name);
}

static struct sim_ledgers_config config(struct fixture *f, uint64_t seed)
{
	return (struct sim_ledgers_config){ .seed = seed,
					    .now_ms = fake_now,
					    .changed = count_changes,
					    .journal_gone = record_gone,
					    .ctx = f,
					    .create_delay_ms = 1000,
					    .delete_delay_ms = 2000,
					    .export_ms = EXPORT_MS };
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[SIM_ERR_MAX];
	f->now = T0;
	struct sim_ledgers_config cfg = config(f, 7);
	assert_int_equal(sim_ledgers_init(&f->ls, &cfg, err, sizeof err), 0);
	struct sim_journal *j = sim_journal_new(1, DEMO_CREATED, err, sizeof err);
	assert_non_null(j);
	assert_int_equal(
		sim_ledgers_add(&f->ls, "financial-ledger", DEMO_CREATED, j, err, sizeof err), 0);
	f->svc.ledgers = &f->ls;
	char *text = read_file(shared_path(MODEL), NULL);
	assert_non_null(text);
	f->model = cJSON_Parse(text);
	free(text);
	assert_non_null(f->model);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_ledgers_free(&f->ls);
	cJSON_Delete(f->model);
	free(f);
	return 0;
}

/* One request: method, path (with ?k=v&k=v, no encoding needed in these
 * tests; a /tags/ ARN is encoded here), body, region. Returns the parsed answer (caller deletes).
 */
static cJSON *req(struct fixture *f, const char *method, const char *target, const char *body,
		  const char *region, struct sim_response *res)
{
	char path[2048], qs[2048] = "";
	snprintf(path, sizeof path, "%s", target);
	char *q = strchr(path, '?');
	struct sim_param params[SIM_QUERY_MAX];
	size_t n = 0;
	if (q) {
		*q = '\0';
		snprintf(qs, sizeof qs, "%s", q + 1);
		for (char *save = NULL, *kv = strtok_r(qs, "&", &save); kv && n < SIM_QUERY_MAX;
		     kv = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(kv, '=');
			if (eq)
				*eq = '\0';
			params[n++] = (struct sim_param){ kv, eq ? eq + 1 : "" };
		}
	}
	/* a tag path's ARN goes on the wire percent-encoded, as the CLI sends it */
	char wire[4096];
	if (strncmp(path, "/tags/", 6) == 0) {
		size_t k = (size_t)snprintf(wire, sizeof wire, "/tags/");
		for (const char *p = path + 6; *p && k + 4 < sizeof wire; p++)
			k += (size_t)(*p == '/' || *p == ':'
					      ? snprintf(wire + k, sizeof wire - k, "%%%02X", *p)
					      : snprintf(wire + k, sizeof wire - k, "%c", *p));
	} else {
		snprintf(wire, sizeof wire, "%s", path);
	}
	struct sim_request r = { .method = method,
				 .path = wire,
				 .query = params,
				 .n_query = n,
				 .body = body,
				 .body_len = body ? strlen(body) : 0,
				 .region = region };
	memset(res, 0, sizeof *res);
	sim_qldb_handle(&f->svc, &r, res);
	assert_non_null(res->body);
	cJSON *o = cJSON_Parse(res->body);
	assert_non_null(o);
	return o;
}

/* A request that must succeed; returns the answer. */
static cJSON *ok(struct fixture *f, const char *method, const char *target, const char *body)
{
	struct sim_response res;
	cJSON *o = req(f, method, target, body, NULL, &res);
	if (res.status != 200)
		fail_msg("%s %s: %u %s", method, target, res.status, res.body);
	sim_response_clear(&res);
	return o;
}

/* A request that must fail with status, code and (when not NULL) the
 * ParameterName or ResourceType given. */
static void fails(struct fixture *f, const char *method, const char *target, const char *body,
		  unsigned status, const char *code, const char *param)
{
	struct sim_response res;
	cJSON *o = req(f, method, target, body, NULL, &res);
	if (res.status != status || !res.error_code || strcmp(res.error_code, code) != 0)
		fail_msg("%s %s %s: want %u %s, got %u %s", method, target, body ? body : "",
			 status, code, res.status, res.body);
	assert_non_null(cJSON_GetObjectItem(o, "Message"));
	if (param) {
		const cJSON *p = cJSON_GetObjectItem(o, "ParameterName");
		if (!p)
			p = cJSON_GetObjectItem(o, "ResourceType");
		if (!cJSON_IsString(p) || strcmp(p->valuestring, param) != 0)
			fail_msg("%s %s %s: want parameter %s, got %s", method, target,
				 body ? body : "", param, res.body);
	}
	cJSON_Delete(o);
	sim_response_clear(&res);
}

/* A timestamp member equals ms (epoch seconds with milliseconds). */
static void assert_time(const cJSON *o, const char *member, int64_t ms)
{
	const cJSON *v = cJSON_GetObjectItem(o, member);
	assert_true(cJSON_IsNumber(v));
	assert_int_equal((int64_t)(v->valuedouble * 1000.0 + 0.5), ms);
}

/* base (a JSON object) with the members of override replacing or added and
 * the member remove taken out; malloc'd text. */
static char *merged(const char *base, const char *override, const char *remove)
{
	cJSON *b = cJSON_Parse(base), *o = override ? cJSON_Parse(override) : NULL;
	assert_non_null(b);
	const cJSON *m;
	cJSON_ArrayForEach(m, o)
	{
		cJSON_DeleteItemFromObjectCaseSensitive(b, m->string);
		cJSON_AddItemToObject(b, m->string, cJSON_Duplicate(m, 1));
	}
	if (remove)
		cJSON_DeleteItemFromObjectCaseSensitive(b, remove);
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	cJSON_Delete(o);
	return text;
}

static const char *str(const cJSON *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	const cJSON *v = o;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = cJSON_GetObjectItemCaseSensitive(v, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- the model ------------------------------------------------------------ */

static const cJSON *shape(struct fixture *f, const char *name)
{
	const cJSON *s = cJSON_GetObjectItem(cJSON_GetObjectItem(f->model, "shapes"), name);
	assert_non_null(s);
	return s;
}

/* o follows the model's shape: every member is the shape's, in its order,
 * nested structures, lists and maps likewise, required members present. */
static void assert_shape(struct fixture *f, const char *shape_name, const cJSON *o)
{
	const cJSON *s = shape(f, shape_name);
	const char *type = cJSON_GetObjectItem(s, "type")->valuestring;
	if (strcmp(type, "structure") == 0) {
		assert_true(cJSON_IsObject(o));
		const cJSON *members = cJSON_GetObjectItem(s, "members");
		int last = -1;
		const cJSON *m;
		cJSON_ArrayForEach(m, o)
		{
			int idx = 0;
			const cJSON *mm = members->child;
			while (mm && strcmp(mm->string, m->string) != 0)
				mm = mm->next, idx++;
			if (!mm)
				fail_msg("%s: member %s is not in the model", shape_name,
					 m->string);
			if (idx <= last)
				fail_msg("%s: member %s is out of the model's order", shape_name,
					 m->string);
			last = idx;
			assert_shape(f, cJSON_GetObjectItem(mm, "shape")->valuestring, m);
		}
		const cJSON *r;
		cJSON_ArrayForEach(
			r,
			cJSON_GetObjectItem(
				s,
				"required")) if (!cJSON_GetObjectItemCaseSensitive(o,
										   r->valuestring))
			fail_msg("%s: required member %s missing", shape_name, r->valuestring);
	} else if (strcmp(type, "list") == 0) {
		assert_true(cJSON_IsArray(o));
		const char *item =
			cJSON_GetObjectItem(cJSON_GetObjectItem(s, "member"), "shape")->valuestring;
		const cJSON *e;
		cJSON_ArrayForEach(e, o) assert_shape(f, item, e);
	} else if (strcmp(type, "map") == 0) {
		assert_true(cJSON_IsObject(o));
	} else if (strcmp(type, "string") == 0) {
		assert_true(cJSON_IsString(o));
		const cJSON *en = cJSON_GetObjectItem(s, "enum");
		bool found = !en;
		const cJSON *v;
		cJSON_ArrayForEach(v, en) found =
			found || strcmp(v->valuestring, o->valuestring) == 0;
		if (!found)
			fail_msg("%s: %s is not one of the enum", shape_name, o->valuestring);
	} else if (strcmp(type, "boolean") == 0) {
		assert_true(cJSON_IsBool(o));
	} else if (strcmp(type, "timestamp") == 0 || strcmp(type, "integer") == 0) {
		assert_true(cJSON_IsNumber(o));
	}
}

/* The answer o of operation op follows its output shape (or is {}). */
static void assert_output(struct fixture *f, const char *op, const cJSON *o)
{
	const cJSON *def = cJSON_GetObjectItem(cJSON_GetObjectItem(f->model, "operations"), op);
	assert_non_null(def);
	const cJSON *out = cJSON_GetObjectItem(def, "output");
	if (!out) {
		assert_null(o->child);
		return;
	}
	assert_shape(f, cJSON_GetObjectItem(out, "shape")->valuestring, o);
}

static void test_route_table_is_the_models_twenty_operations(void **state)
{
	struct fixture *f = *state;
	const cJSON *ops = cJSON_GetObjectItem(f->model, "operations");
	assert_int_equal(cJSON_GetArraySize(ops), 20);
	assert_int_equal(SIM_QLDB_ROUTE_COUNT, 20);
	const cJSON *op;
	cJSON_ArrayForEach(op, ops)
	{
		const cJSON *http = cJSON_GetObjectItem(op, "http");
		const char *m = cJSON_GetObjectItem(http, "method")->valuestring;
		const char *uri = cJSON_GetObjectItem(http, "requestUri")->valuestring;
		size_t hits = 0;
		for (size_t i = 0; i < SIM_QLDB_ROUTE_COUNT; i++)
			if (strcmp(SIM_QLDB_ROUTES[i].operation, op->string) == 0) {
				hits++;
				assert_string_equal(SIM_QLDB_ROUTES[i].method, m);
				assert_string_equal(SIM_QLDB_ROUTES[i].pattern, uri);
			}
		if (hits != 1)
			fail_msg("operation %s has %zu routes", op->string, hits);
	}
}

/* --- ledgers -------------------------------------------------------------- */

static void test_create_ledger_is_creating_then_active(void **state)
{
	struct fixture *f = *state;
	int changes = f->changes;
	cJSON *o = ok(f, "POST", "/ledgers",
		      "{\"Name\":\"orders\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"team\":"
		      "\"ops\",\"empty\":null}}");
	assert_output(f, "CreateLedger", o);
	assert_string_equal(str(o, "Name"), "orders");
	assert_string_equal(str(o, "Arn"), LEDGER_ARN("us-east-1", "orders"));
	assert_string_equal(str(o, "State"), "CREATING");
	assert_string_equal(str(o, "KmsKeyArn"), "AWS_OWNED_KMS_KEY");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "DeletionProtection")));
	cJSON_Delete(o);
	assert_int_equal(f->changes, changes + 1); /* persisted before the answer */
	/* a CREATING ledger refuses journal reads, as QLDB did */
	fails(f, "POST", "/ledgers/orders/digest", NULL, 412, "ResourcePreconditionNotMetException",
	      "LEDGER");
	f->now += 999;
	o = ok(f, "GET", "/ledgers/orders", NULL);
	assert_string_equal(str(o, "State"), "CREATING");
	cJSON_Delete(o);
	f->now += 1;
	o = ok(f, "GET", "/ledgers/orders", NULL);
	assert_output(f, "DescribeLedger", o);
	assert_string_equal(str(o, "State"), "ACTIVE");
	assert_string_equal(str(o, "EncryptionDescription.EncryptionStatus"), "ENABLED");
	cJSON_Delete(o);
	o = ok(f, "POST", "/ledgers/orders/digest", NULL);
	assert_output(f, "GetDigest", o);
	cJSON_Delete(o);
	o = ok(f, "GET", "/tags/" LEDGER_ARN("us-east-1", "orders"), NULL);
	assert_output(f, "ListTagsForResource", o);
	assert_string_equal(str(o, "Tags.team"), "ops");
	assert_string_equal(str(o, "Tags.empty"), "");
	cJSON_Delete(o);
}

static void test_create_ledger_validation_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *body, *code, *param;
	} cases[] = {
		{ "{\"PermissionsMode\":\"STANDARD\"}", "InvalidParameterException", "Name" },
		{ "{\"Name\":\"a--b\",\"PermissionsMode\":\"STANDARD\"}",
		  "InvalidParameterException", "Name" },
		{ "{\"Name\":\"12345\",\"PermissionsMode\":\"STANDARD\"}",
		  "InvalidParameterException", "Name" },
		{ "{\"Name\":\"abcdefghijklmnopqrstuvwxyz0123456\",\"PermissionsMode\":"
		  "\"STANDARD\"}",
		  "InvalidParameterException", "Name" },
		{ "{\"Name\":7,\"PermissionsMode\":\"STANDARD\"}", "InvalidParameterException",
		  "Name" },
		{ "{\"Name\":\"x\"}", "InvalidParameterException", "PermissionsMode" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"OPEN\"}", "InvalidParameterException",
		  "PermissionsMode" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"DeletionProtection\":\"no\"}",
		  "InvalidParameterException", "DeletionProtection" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"KmsKey\":\"my-key\"}",
		  "InvalidParameterException", "KmsKey" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"KmsKey\":\"\"}",
		  "InvalidParameterException", "KmsKey" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"k\":1}}",
		  "InvalidParameterException", "Tags" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"\":\"v\"}}",
		  "InvalidParameterException", "Tags" },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":[]}",
		  "InvalidParameterException", "Tags" },
		{ "{\"Name\":\"x\",", "SerializationException", NULL },
		{ "[]", "SerializationException", NULL },
		{ "{\"Name\":\"x\",\"Name\":\"y\",\"PermissionsMode\":\"STANDARD\"}",
		  "SerializationException", NULL },
		{ "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\"} trailing",
		  "SerializationException", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		fails(f, "POST", "/ledgers", cases[i].body, 400, cases[i].code, cases[i].param);
	/* tag key of 129 characters, value of 257, and 201 tags */
	char body[16384];
	snprintf(body, sizeof body,
		 "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"%0129d\":\"v\"}}",
		 0);
	fails(f, "POST", "/ledgers", body, 400, "InvalidParameterException", "Tags");
	snprintf(body, sizeof body,
		 "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"k\":\"%0257d\"}}",
		 0);
	fails(f, "POST", "/ledgers", body, 400, "InvalidParameterException", "Tags");
	size_t k = (size_t)snprintf(body, sizeof body,
				    "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{");
	for (int i = 0; i < 201; i++)
		k += (size_t)snprintf(body + k, sizeof body - k, "%s\"k%d\":\"v\"", i ? "," : "",
				      i);
	snprintf(body + k, sizeof body - k, "}}");
	fails(f, "POST", "/ledgers", body, 400, "InvalidParameterException", "Tags");
	/* 128 characters (multi-byte ones count once) and 200 tags are fine */
	snprintf(body, sizeof body,
		 "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\",\"Tags\":{\"%"
		 "0126d\xc3\xa9\xc3\xa9"
		 "\":\"v\"}}",
		 0);
	cJSON_Delete(ok(f, "POST", "/ledgers", body));
	/* nothing was created by the refused requests */
	cJSON *o = ok(f, "GET", "/ledgers", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Ledgers")), 2);
	cJSON_Delete(o);
}

static void test_kms_keys_in_every_documented_form(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *key, *arn;
	} cases[] = {
		{ "AWS_OWNED_KMS_KEY", "AWS_OWNED_KMS_KEY" },
		{ "1234abcd-12ab-34cd-56ef-1234567890ab",
		  "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
		{ "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		  "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
		{ "alias/ExampleAlias", "arn:aws:kms:eu-west-1:123456789012:alias/ExampleAlias" },
		{ "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias",
		  "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[256];
		snprintf(body, sizeof body, "{\"KmsKey\":\"%s\"}", cases[i].key);
		struct sim_response res;
		cJSON *o = req(f, "PATCH", "/ledgers/financial-ledger", body, "eu-west-1", &res);
		assert_int_equal(res.status, 200);
		assert_output(f, "UpdateLedger", o);
		assert_string_equal(str(o, "EncryptionDescription.KmsKeyArn"), cases[i].arn);
		/* a change shows UPDATING for a moment */
		assert_string_equal(str(o, "EncryptionDescription.EncryptionStatus"),
				    i ? "UPDATING" : "ENABLED");
		cJSON_Delete(o);
		sim_response_clear(&res);
		f->now += SIM_KMS_UPDATE_MS;
		o = ok(f, "GET", "/ledgers/financial-ledger", NULL);
		assert_string_equal(str(o, "EncryptionDescription.EncryptionStatus"), "ENABLED");
		cJSON_Delete(o);
	}
	fails(f, "PATCH", "/ledgers/financial-ledger", "{\"KmsKey\":\"arn:aws:s3:::bucket/key\"}",
	      400, "InvalidParameterException", "KmsKey");
	fails(f, "PATCH", "/ledgers/financial-ledger", "{\"DeletionProtection\":1}", 400,
	      "InvalidParameterException", "DeletionProtection");
	fails(f, "PATCH", "/ledgers/no-such", "{}", 404, "ResourceNotFoundException", "LEDGER");
}

static void test_arns_name_the_region_of_the_request(void **state)
{
	struct fixture *f = *state;
	struct sim_response res;
	cJSON *o = req(f, "GET", "/ledgers/financial-ledger", NULL, "eu-west-1", &res);
	assert_string_equal(str(o, "Arn"), LEDGER_ARN("eu-west-1", "financial-ledger"));
	cJSON_Delete(o);
	sim_response_clear(&res);
	o = req(f, "PATCH", "/ledgers/financial-ledger/permissions-mode",
		"{\"PermissionsMode\":\"ALLOW_ALL\"}", "ap-south-2", &res);
	assert_int_equal(res.status, 200);
	assert_output(f, "UpdateLedgerPermissionsMode", o);
	assert_string_equal(str(o, "Arn"), LEDGER_ARN("ap-south-2", "financial-ledger"));
	assert_string_equal(str(o, "PermissionsMode"), "ALLOW_ALL");
	cJSON_Delete(o);
	sim_response_clear(&res);
	/* tags by ARN: only the request's region and our account hold it */
	o = req(f, "GET", "/tags/" LEDGER_ARN("eu-west-1", "financial-ledger"), NULL, "eu-west-1",
		&res);
	assert_int_equal(res.status, 200);
	cJSON_Delete(o);
	sim_response_clear(&res);
	o = req(f, "GET", "/tags/" LEDGER_ARN("eu-west-1", "financial-ledger"), NULL, "us-east-1",
		&res);
	assert_int_equal(res.status, 404);
	cJSON_Delete(o);
	sim_response_clear(&res);
	fails(f, "GET", "/tags/arn:aws:qldb:us-east-1:999999999999:ledger/financial-ledger", NULL,
	      404, "ResourceNotFoundException", NULL);
	fails(f, "GET", "/tags/arn:aws-cn:qldb:us-east-1:123456789012:ledger/financial-ledger",
	      NULL, 404, "ResourceNotFoundException", NULL);
	fails(f, "GET", "/tags/" LEDGER_ARN("us-east-1", "nope"), NULL, 404,
	      "ResourceNotFoundException", NULL);
	fails(f, "GET", "/tags/financial-ledger-is-not-an-arn", NULL, 400,
	      "InvalidParameterException", "ResourceArn");
	fails(f, "GET", "/tags/arn:aws:q", NULL, 400, "InvalidParameterException", "ResourceArn");
	fails(f, "PATCH", "/ledgers/financial-ledger/permissions-mode", "{}", 400,
	      "InvalidParameterException", "PermissionsMode");
	fails(f, "PATCH", "/ledgers/financial-ledger/permissions-mode",
	      "{\"PermissionsMode\":\"allow_all\"}", 400, "InvalidParameterException",
	      "PermissionsMode");
}

static void test_deletion_protection_then_delete_then_gone(void **state)
{
	struct fixture *f = *state;
	/* the demo ledger is protected, as AWS's default */
	fails(f, "DELETE", "/ledgers/financial-ledger", NULL, 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
	cJSON *o = ok(f, "PATCH", "/ledgers/financial-ledger", "{\"DeletionProtection\":false}");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(o, "DeletionProtection")));
	cJSON_Delete(o);
	struct sim_journal *j = sim_ledgers_find(&f->ls, "financial-ledger")->journal;
	o = ok(f, "DELETE", "/ledgers/financial-ledger", NULL);
	assert_output(f, "DeleteLedger", o);
	cJSON_Delete(o);
	o = ok(f, "GET", "/ledgers/financial-ledger", NULL);
	assert_string_equal(str(o, "State"), "DELETING");
	cJSON_Delete(o);
	o = ok(f, "GET", "/ledgers", NULL);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Ledgers"), 0), "State"),
			    "DELETING");
	cJSON_Delete(o);
	/* while DELETING: no second delete, no changes, no journal reads, no reuse */
	fails(f, "DELETE", "/ledgers/financial-ledger", NULL, 409, "ResourceInUseException",
	      "LEDGER");
	fails(f, "PATCH", "/ledgers/financial-ledger", "{\"DeletionProtection\":true}", 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
	fails(f, "POST", "/ledgers/financial-ledger/digest", NULL, 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
	fails(f, "POST", "/ledgers",
	      "{\"Name\":\"financial-ledger\",\"PermissionsMode\":\"ALLOW_ALL\"}", 409,
	      "ResourceInUseException", "LEDGER");
	assert_int_equal(f->n_gone, 0);
	f->now += 2000;
	fails(f, "GET", "/ledgers/financial-ledger", NULL, 404, "ResourceNotFoundException",
	      "LEDGER");
	assert_int_equal(f->n_gone, 1);
	assert_string_equal(f->gone[0], "financial-ledger");
	o = ok(f, "GET", "/ledgers", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Ledgers")), 0);
	cJSON_Delete(o);
	/* the journal is still readable by whoever held it */
	assert_true(sim_journal_block_count(j) >= 1);
	/* the name is free again: a new ledger, protected by default */
	o = ok(f, "POST", "/ledgers",
	       "{\"Name\":\"financial-ledger\",\"PermissionsMode\":\"ALLOW_ALL\"}");
	assert_string_equal(str(o, "State"), "CREATING");
	cJSON_Delete(o);
	/* a CREATING ledger cannot be deleted yet, and then is protected */
	fails(f, "DELETE", "/ledgers/financial-ledger", NULL, 409, "ResourceInUseException",
	      "LEDGER");
	f->now += 1000;
	fails(f, "DELETE", "/ledgers/financial-ledger", NULL, 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
	fails(f, "DELETE", "/ledgers/no-such-ledger", NULL, 404, "ResourceNotFoundException",
	      "LEDGER");
	fails(f, "DELETE", "/ledgers/-bad", NULL, 400, "InvalidParameterException", "Name");
}

static void test_existing_names_and_the_ledger_limit(void **state)
{
	struct fixture *f = *state;
	fails(f, "POST", "/ledgers",
	      "{\"Name\":\"financial-ledger\",\"PermissionsMode\":\"STANDARD\"}", 409,
	      "ResourceAlreadyExistsException", "LEDGER");
	for (int i = 1; i < SIM_LEDGERS_MAX; i++) {
		char body[128];
		snprintf(body, sizeof body,
			 "{\"Name\":\"l%d\",\"PermissionsMode\":\"STANDARD\","
			 "\"DeletionProtection\":false}",
			 i);
		cJSON_Delete(ok(f, "POST", "/ledgers", body));
	}
	fails(f, "POST", "/ledgers", "{\"Name\":\"one-more\",\"PermissionsMode\":\"STANDARD\"}",
	      400, "LimitExceededException", "LEDGER");
	/* a deleted ledger counts until it is gone */
	f->now += 1000;
	cJSON_Delete(ok(f, "DELETE", "/ledgers/l1", NULL));
	fails(f, "POST", "/ledgers", "{\"Name\":\"one-more\",\"PermissionsMode\":\"STANDARD\"}",
	      400, "LimitExceededException", "LEDGER");
	f->now += 2000;
	cJSON_Delete(ok(f, "POST", "/ledgers",
			"{\"Name\":\"one-more\",\"PermissionsMode\":\"STANDARD\"}"));
}

/* --- paging ------------------------------------------------------------------ */

static void test_list_ledgers_pages_stably_and_refuses_forged_tokens(void **state)
{
	struct fixture *f = *state;
	cJSON_Delete(
		ok(f, "POST", "/ledgers", "{\"Name\":\"b\",\"PermissionsMode\":\"STANDARD\"}"));
	cJSON *o = ok(f, "GET", "/ledgers?max_results=1", NULL);
	assert_output(f, "ListLedgers", o);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Ledgers"), 0), "Name"),
			    "financial-ledger");
	char token[300], target[400];
	snprintf(token, sizeof token, "%s", str(o, "NextToken"));
	cJSON_Delete(o);
	size_t tl = strlen(token);
	assert_true(tl >= 4 && tl <= 1024);
	assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789+/=-"),
			 tl);
	/* a ledger added between pages appears once, at the end */
	cJSON_Delete(
		ok(f, "POST", "/ledgers", "{\"Name\":\"a\",\"PermissionsMode\":\"STANDARD\"}"));
	snprintf(target, sizeof target, "/ledgers?max_results=1&next_token=%s", token);
	o = ok(f, "GET", target, NULL);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Ledgers"), 0), "Name"),
			    "b");
	snprintf(token, sizeof token, "%s", str(o, "NextToken"));
	cJSON_Delete(o);
	snprintf(target, sizeof target, "/ledgers?max_results=5&next_token=%s", token);
	o = ok(f, "GET", target, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Ledgers")), 1);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Ledgers"), 0), "Name"),
			    "a");
	assert_null(cJSON_GetObjectItem(o, "NextToken"));
	cJSON_Delete(o);
	/* forgeries: every single-character change, tokens of other lists */
	for (size_t i = 0; i < tl; i++) {
		char forged[300];
		snprintf(forged, sizeof forged, "%s", token);
		forged[i] = forged[i] == 'A' ? 'B' : 'A';
		snprintf(target, sizeof target, "/ledgers?next_token=%s", forged);
		struct sim_response res;
		cJSON *e = req(f, "GET", target, NULL, NULL, &res);
		assert_int_equal(res.status, 400);
		assert_string_equal(str(e, "ParameterName"), "NextToken");
		cJSON_Delete(e);
		sim_response_clear(&res);
	}
	static const char *const bad[] = {
		"/ledgers?next_token=abcd",
		"/ledgers?next_token=a",
		"/ledgers?next_token=cWxkYnRvcC1sZWRnZXJzOjk5", /* qldbtop-ledgers:99 */
		"/ledgers?next_token=cTF8TGlzdExlZGdlcnN8fDF8", /* q1|ListLedgers||1| */
		"/ledgers?max_results=0",
		"/ledgers?max_results=101",
		"/ledgers?max_results=5x",
		"/ledgers?max_results=",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		fails(f, "GET", bad[i], NULL, 400, "InvalidParameterException",
		      strstr(bad[i], "max") ? "MaxResults" : "NextToken");
	/* a token from another list is not one of ours for this list */
	snprintf(target, sizeof target, "/journal-s3-exports?next_token=%s", token);
	fails(f, "GET", target, NULL, 400, "InvalidParameterException", "NextToken");
}

/* A registry with another seed signs tokens with another key. */
static void test_tokens_of_another_registry_are_refused(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { .now = T0 };
	char err[SIM_ERR_MAX];
	struct sim_ledgers_config cfg = config(&g, 8);
	assert_int_equal(sim_ledgers_init(&g.ls, &cfg, err, sizeof err), 0);
	g.svc.ledgers = &g.ls;
	for (int i = 0; i < 2; i++) {
		char body[96];
		snprintf(body, sizeof body, "{\"Name\":\"g%d\",\"PermissionsMode\":\"STANDARD\"}",
			 i);
		cJSON_Delete(ok(&g, "POST", "/ledgers", body));
	}
	cJSON *o = ok(&g, "GET", "/ledgers?max_results=1", NULL);
	char target[400];
	snprintf(target, sizeof target, "/ledgers?next_token=%s", str(o, "NextToken"));
	cJSON_Delete(o);
	cJSON_Delete(ok(&g, "GET", target, NULL));
	fails(f, "GET", target, NULL, 400, "InvalidParameterException", "NextToken");
	sim_ledgers_free(&g.ls);
}

/* --- tags ---------------------------------------------------------------- */

static void test_tag_untag_and_list_tags(void **state)
{
	struct fixture *f = *state;
	const char *tags = "/tags/" LEDGER_ARN("us-east-1", "financial-ledger");
	cJSON *o = ok(f, "POST", tags, "{\"Tags\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
	assert_output(f, "TagResource", o);
	cJSON_Delete(o);
	/* an existing key fails the request (the model says so) and changes nothing */
	fails(f, "POST", tags, "{\"Tags\":{\"a\":\"9\",\"d\":\"4\"}}", 400,
	      "InvalidParameterException", "Tags");
	fails(f, "POST", tags, "{}", 400, "InvalidParameterException", "Tags");
	fails(f, "POST", tags, "{\"Tags\":{\"a\":", 400, "SerializationException", NULL);
	char target[512];
	snprintf(target, sizeof target, "%s?tagKeys=a&tagKeys=c&tagKeys=absent", tags);
	o = ok(f, "DELETE", target, NULL);
	assert_output(f, "UntagResource", o);
	cJSON_Delete(o);
	o = ok(f, "GET", tags, NULL);
	assert_output(f, "ListTagsForResource", o);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Tags")), 1);
	assert_string_equal(str(o, "Tags.b"), "2");
	cJSON_Delete(o);
	fails(f, "DELETE", tags, NULL, 400, "InvalidParameterException", "TagKeys");
	snprintf(target, sizeof target, "%s?tagKeys=", tags);
	fails(f, "DELETE", target, NULL, 400, "InvalidParameterException", "TagKeys");
	snprintf(target, sizeof target, "/tags/%s?tagKeys=a", LEDGER_ARN("us-west-2", "x"));
	fails(f, "DELETE", target, NULL, 404, "ResourceNotFoundException", NULL);
	/* at most 200 tags on a resource: 1 + 199 fits, one more does not */
	char body[8192];
	size_t k = (size_t)snprintf(body, sizeof body, "{\"Tags\":{");
	for (int i = 0; i < 199; i++)
		k += (size_t)snprintf(body + k, sizeof body - k, "%s\"t%d\":\"\"", i ? "," : "", i);
	snprintf(body + k, sizeof body - k, "}}");
	cJSON_Delete(ok(f, "POST", tags, body));
	fails(f, "POST", tags, "{\"Tags\":{\"one-more\":\"x\"}}", 400, "InvalidParameterException",
	      "Tags");
}

/* --- streams --------------------------------------------------------------- */

#define STREAM_BODY(extra)                                                                         \
	"{\"RoleArn\":\"" ROLE "\",\"InclusiveStartTime\":1690000000,\"KinesisConfiguration\":"    \
	"{\"StreamArn\":\"" KINESIS "\"},\"StreamName\":\"to-kinesis\"" extra "}"
#define STREAM_BASE STREAM_BODY("")

static void test_streams_create_describe_list_cancel(void **state)
{
	struct fixture *f = *state;
	const char *base = "/ledgers/financial-ledger/journal-kinesis-streams";
	cJSON *o = ok(f, "POST", base, STREAM_BODY(",\"Tags\":{\"k\":\"v\"}"));
	assert_output(f, "StreamJournalToKinesis", o);
	char id[SIM_ID_LEN + 1], target[512];
	snprintf(id, sizeof id, "%s", str(o, "StreamId"));
	assert_int_equal(strlen(str(o, "StreamId")), SIM_ID_LEN);
	cJSON_Delete(o);
	snprintf(target, sizeof target, "%s/%s", base, id);
	struct sim_response res;
	o = req(f, "GET", target, NULL, "eu-west-1", &res);
	assert_int_equal(res.status, 200);
	sim_response_clear(&res);
	assert_output(f, "DescribeJournalKinesisStream", o);
	cJSON *s = cJSON_GetObjectItem(o, "Stream");
	assert_string_equal(str(s, "Status"), "ACTIVE");
	assert_string_equal(str(s, "LedgerName"), "financial-ledger");
	assert_string_equal(str(s, "StreamName"), "to-kinesis");
	assert_string_equal(str(s, "KinesisConfiguration.StreamArn"), KINESIS);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "KinesisConfiguration"),
						     "AggregationEnabled")));
	char arn[256];
	snprintf(arn, sizeof arn, "arn:aws:qldb:eu-west-1:123456789012:stream/financial-ledger/%s",
		 id);
	assert_string_equal(str(s, "Arn"), arn);
	/* a start before the ledger's creation means its creation */
	assert_time(s, "InclusiveStartTime", DEMO_CREATED);
	cJSON_Delete(o);
	/* the stream's tags, by its ARN */
	snprintf(target, sizeof target,
		 "/tags/arn:aws:qldb:us-east-1:123456789012:stream/"
		 "financial-ledger/%s",
		 id);
	o = ok(f, "GET", target, NULL);
	assert_string_equal(str(o, "Tags.k"), "v");
	cJSON_Delete(o);
	/* a second, ending soon; both listed, paged */
	char *body = merged(STREAM_BASE,
			    "{\"ExclusiveEndTime\":1700000001,\"KinesisConfiguration\":{"
			    "\"StreamArn\":\"" KINESIS "\",\"AggregationEnabled\":false}}",
			    NULL);
	o = ok(f, "POST", base, body);
	free(body);
	char id2[SIM_ID_LEN + 1];
	snprintf(id2, sizeof id2, "%s", str(o, "StreamId"));
	cJSON_Delete(o);
	assert_string_not_equal(id, id2);
	snprintf(target, sizeof target, "%s?max_results=1", base);
	o = ok(f, "GET", target, NULL);
	assert_output(f, "ListJournalKinesisStreamsForLedger", o);
	assert_string_equal(
		str(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Streams"), 0), "StreamId"), id);
	snprintf(target, sizeof target, "%s?next_token=%s", base, str(o, "NextToken"));
	cJSON_Delete(o);
	o = ok(f, "GET", target, NULL);
	cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Streams"), 0);
	assert_string_equal(str(second, "StreamId"), id2);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(second, "KinesisConfiguration"), "AggregationEnabled")));
	assert_null(cJSON_GetObjectItem(o, "NextToken"));
	cJSON_Delete(o);
	/* the second completes at its end; only ACTIVE streams cancel */
	f->now += 1000;
	snprintf(target, sizeof target, "%s/%s", base, id2);
	o = ok(f, "GET", target, NULL);
	assert_string_equal(str(o, "Stream.Status"), "COMPLETED");
	cJSON_Delete(o);
	fails(f, "DELETE", target, NULL, 412, "ResourcePreconditionNotMetException", "STREAM");
	snprintf(target, sizeof target, "%s/%s", base, id);
	o = ok(f, "DELETE", target, NULL);
	assert_output(f, "CancelJournalKinesisStream", o);
	assert_string_equal(str(o, "StreamId"), id);
	cJSON_Delete(o);
	o = ok(f, "GET", target, NULL);
	assert_string_equal(str(o, "Stream.Status"), "CANCELED");
	cJSON_Delete(o);
	fails(f, "DELETE", target, NULL, 412, "ResourcePreconditionNotMetException", "STREAM");
	/* path errors */
	snprintf(target, sizeof target, "%s/AAAAAAAAAAAAAAAAAAAAAA", base);
	fails(f, "GET", target, NULL, 404, "ResourceNotFoundException", "STREAM");
	snprintf(target, sizeof target, "%s/short", base);
	fails(f, "GET", target, NULL, 400, "InvalidParameterException", "StreamId");
	fails(f, "DELETE", target, NULL, 400, "InvalidParameterException", "StreamId");
	fails(f, "GET", "/ledgers/nope/journal-kinesis-streams", NULL, 404,
	      "ResourceNotFoundException", "LEDGER");
	fails(f, "GET", "/ledgers/a--b/journal-kinesis-streams", NULL, 400,
	      "InvalidParameterException", "LedgerName");
	/* a token for one ledger's streams is not one for another's */
	cJSON_Delete(
		ok(f, "POST", "/ledgers", "{\"Name\":\"other\",\"PermissionsMode\":\"STANDARD\"}"));
	snprintf(target, sizeof target, "%s?max_results=1", base);
	o = ok(f, "GET", target, NULL);
	snprintf(target, sizeof target, "/ledgers/other/journal-kinesis-streams?next_token=%s",
		 str(o, "NextToken"));
	cJSON_Delete(o);
	fails(f, "GET", target, NULL, 400, "InvalidParameterException", "NextToken");
}

static void test_stream_validation_errors(void **state)
{
	struct fixture *f = *state;
	const char *base = "/ledgers/financial-ledger/journal-kinesis-streams";
	static const struct {
		const char *override, *remove, *param;
	} cases[] = {
		{ NULL, "RoleArn", "RoleArn" },
		{ "{\"RoleArn\":\"arn:aws:iam::123456789012:user/someone\"}", NULL, "RoleArn" },
		{ "{\"RoleArn\":\"arn:aws:iam::1234:role/r\"}", NULL, "RoleArn" },
		{ NULL, "InclusiveStartTime", "InclusiveStartTime" },
		{ "{\"InclusiveStartTime\":\"yesterday\"}", NULL, "InclusiveStartTime" },
		{ "{\"InclusiveStartTime\":-1}", NULL, "InclusiveStartTime" },
		{ "{\"InclusiveStartTime\":1800000000}", NULL, "InclusiveStartTime" },
		{ "{\"ExclusiveEndTime\":1690000000}", NULL, "ExclusiveEndTime" },
		{ NULL, "KinesisConfiguration", "KinesisConfiguration" },
		{ "{\"KinesisConfiguration\":[]}", NULL, "KinesisConfiguration" },
		{ "{\"KinesisConfiguration\":{}}", NULL, "KinesisConfiguration.StreamArn" },
		{ "{\"KinesisConfiguration\":{\"StreamArn\":\"arn:aws:sqs:us-east-1:123456789012:"
		  "queue\"}}",
		  NULL, "KinesisConfiguration.StreamArn" },
		{ "{\"KinesisConfiguration\":{\"StreamArn\":\"" KINESIS
		  "\",\"AggregationEnabled\":\"true\"}}",
		  NULL, "KinesisConfiguration.AggregationEnabled" },
		{ NULL, "StreamName", "StreamName" },
		{ "{\"StreamName\":\"-s\"}", NULL, "StreamName" },
		{ "{\"StreamName\":\"\"}", NULL, "StreamName" },
		{ "{\"Tags\":{\"k\":true}}", NULL, "Tags" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = merged(STREAM_BASE, cases[i].override, cases[i].remove);
		fails(f, "POST", base, body, 400, "InvalidParameterException", cases[i].param);
		free(body);
	}
	cJSON *o = ok(f, "GET", base, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Streams")), 0);
	cJSON_Delete(o);
	fails(f, "POST", "/ledgers/nope/journal-kinesis-streams", STREAM_BODY(""), 404,
	      "ResourceNotFoundException", "LEDGER");
	/* a CREATING ledger cannot stream yet */
	cJSON_Delete(
		ok(f, "POST", "/ledgers", "{\"Name\":\"new\",\"PermissionsMode\":\"STANDARD\"}"));
	fails(f, "POST", "/ledgers/new/journal-kinesis-streams", STREAM_BODY(""), 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
}

/* The same seed and the same requests give the same ids. */
static void test_ids_are_deterministic_by_seed(void **state)
{
	(void)state;
	char ids[3][2][SIM_ID_LEN + 1];
	for (int run = 0; run < 3; run++) {
		struct fixture g = { .now = T0 };
		char err[SIM_ERR_MAX];
		struct sim_ledgers_config cfg = config(&g, run < 2 ? 99 : 100);
		assert_int_equal(sim_ledgers_init(&g.ls, &cfg, err, sizeof err), 0);
		g.svc.ledgers = &g.ls;
		struct sim_journal *j = sim_journal_new(1, DEMO_CREATED, err, sizeof err);
		assert_int_equal(sim_ledgers_add(&g.ls, "financial-ledger", DEMO_CREATED, j, err,
						 sizeof err),
				 0);
		cJSON *o = ok(&g, "POST", "/ledgers/financial-ledger/journal-kinesis-streams",
			      STREAM_BODY(""));
		snprintf(ids[run][0], SIM_ID_LEN + 1, "%s", str(o, "StreamId"));
		cJSON_Delete(o);
		o = ok(&g, "POST", "/ledgers/financial-ledger/journal-s3-exports",
		       "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999999,"
		       "\"RoleArn\":\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\","
		       "\"Prefix\":\"\",\"EncryptionConfiguration\":{\"ObjectEncryptionType\":"
		       "\"NO_ENCRYPTION\"}}}");
		snprintf(ids[run][1], SIM_ID_LEN + 1, "%s", str(o, "ExportId"));
		cJSON_Delete(o);
		sim_ledgers_free(&g.ls);
	}
	assert_string_equal(ids[0][0], ids[1][0]);
	assert_string_equal(ids[0][1], ids[1][1]);
	assert_string_not_equal(ids[0][0], ids[2][0]);
	assert_string_not_equal(ids[0][0], ids[0][1]);
}

/* --- exports ------------------------------------------------------------- */

#define EXPORT_BODY(enc, extra)                                                                    \
	"{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":\"" ROLE   \
	"\",\"S3ExportConfiguration\":{\"Bucket\":\"my-bucket.1\",\"Prefix\":\"exports/\","        \
	"\"EncryptionConfiguration\":{" enc "}}" extra "}"
#define SSE_S3 "\"ObjectEncryptionType\":\"SSE_S3\""

static void test_exports_run_two_at_a_time_then_complete(void **state)
{
	struct fixture *f = *state;
	const char *base = "/ledgers/financial-ledger/journal-s3-exports";
	char ids[3][SIM_ID_LEN + 1], target[512];
	cJSON *o = ok(f, "POST", base, EXPORT_BODY(SSE_S3, ",\"OutputFormat\":\"JSON\""));
	assert_output(f, "ExportJournalToS3", o);
	snprintf(ids[0], sizeof ids[0], "%s", str(o, "ExportId"));
	cJSON_Delete(o);
	o = ok(f, "POST", base,
	       EXPORT_BODY("\"ObjectEncryptionType\":\"SSE_KMS\",\"KmsKeyArn\":\"arn:aws:kms:us-"
			   "east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"",
			   ""));
	snprintf(ids[1], sizeof ids[1], "%s", str(o, "ExportId"));
	cJSON_Delete(o);
	/* QLDB: at most two concurrent exports per ledger */
	fails(f, "POST", base, EXPORT_BODY(SSE_S3, ""), 400, "LimitExceededException", "EXPORT");
	snprintf(target, sizeof target, "%s/%s", base, ids[0]);
	o = ok(f, "GET", target, NULL);
	assert_output(f, "DescribeJournalS3Export", o);
	cJSON *d = cJSON_GetObjectItem(o, "ExportDescription");
	assert_string_equal(str(d, "Status"), "IN_PROGRESS");
	assert_string_equal(str(d, "OutputFormat"), "JSON");
	assert_string_equal(str(d, "S3ExportConfiguration.Bucket"), "my-bucket.1");
	assert_string_equal(str(d, "S3ExportConfiguration.EncryptionConfiguration."
				   "ObjectEncryptionType"),
			    "SSE_S3");
	assert_time(d, "InclusiveStartTime", DEMO_CREATED); /* clamped to the creation */
	assert_time(d, "ExclusiveEndTime", 1699999900000LL);
	assert_time(d, "ExportCreationTime", T0);
	cJSON_Delete(o);
	f->now += EXPORT_MS;
	o = ok(f, "GET", target, NULL);
	assert_string_equal(str(o, "ExportDescription.Status"), "COMPLETED");
	cJSON_Delete(o);
	o = ok(f, "POST", base, EXPORT_BODY(SSE_S3, ""));
	snprintf(ids[2], sizeof ids[2], "%s", str(o, "ExportId"));
	cJSON_Delete(o);
	o = ok(f, "GET", base, NULL);
	assert_output(f, "ListJournalS3ExportsForLedger", o);
	cJSON *list = cJSON_GetObjectItem(o, "JournalS3Exports");
	assert_int_equal(cJSON_GetArraySize(list), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(str(cJSON_GetArrayItem(list, i), "ExportId"), ids[i]);
	assert_string_equal(str(cJSON_GetArrayItem(list, 1),
				"S3ExportConfiguration.EncryptionConfiguration.KmsKeyArn"),
			    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-"
			    "1234567890ab");
	assert_string_equal(str(cJSON_GetArrayItem(list, 1), "OutputFormat"), "ION_TEXT");
	cJSON_Delete(o);
	/* the account-wide list: every ledger's exports in creation order, paged */
	f->now += 1000;
	cJSON_Delete(ok(f, "POST", "/ledgers",
			"{\"Name\":\"second\",\"PermissionsMode\":\"STANDARD\"}"));
	f->now += 1000;
	o = ok(f, "POST", "/ledgers/second/journal-s3-exports",
	       "{\"InclusiveStartTime\":1700000003,\"ExclusiveEndTime\":1700000007,\"RoleArn\":"
	       "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
	       "\"EncryptionConfiguration\":{\"ObjectEncryptionType\":\"NO_ENCRYPTION\"}}}");
	char last[SIM_ID_LEN + 1];
	snprintf(last, sizeof last, "%s", str(o, "ExportId"));
	cJSON_Delete(o);
	const char *want[] = { ids[0], ids[1], ids[2], last };
	snprintf(target, sizeof target, "/journal-s3-exports?max_results=3");
	o = ok(f, "GET", target, NULL);
	assert_output(f, "ListJournalS3Exports", o);
	list = cJSON_GetObjectItem(o, "JournalS3Exports");
	assert_int_equal(cJSON_GetArraySize(list), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(str(cJSON_GetArrayItem(list, i), "ExportId"), want[i]);
	snprintf(target, sizeof target, "/journal-s3-exports?next_token=%s", str(o, "NextToken"));
	cJSON_Delete(o);
	o = ok(f, "GET", target, NULL);
	list = cJSON_GetObjectItem(o, "JournalS3Exports");
	assert_int_equal(cJSON_GetArraySize(list), 1);
	assert_string_equal(str(cJSON_GetArrayItem(list, 0), "ExportId"), last);
	assert_string_equal(str(cJSON_GetArrayItem(list, 0), "LedgerName"), "second");
	assert_null(cJSON_GetObjectItem(o, "NextToken"));
	cJSON_Delete(o);
	snprintf(target, sizeof target, "%s/AAAAAAAAAAAAAAAAAAAAAA", base);
	fails(f, "GET", target, NULL, 404, "ResourceNotFoundException", "EXPORT");
	snprintf(target, sizeof target, "%s/not_an_id_of_22_chars!", base);
	fails(f, "GET", target, NULL, 400, "InvalidParameterException", "ExportId");
	fails(f, "GET", "/ledgers/nope/journal-s3-exports", NULL, 404, "ResourceNotFoundException",
	      "LEDGER");
}

static void test_export_validation_errors(void **state)
{
	struct fixture *f = *state;
	const char *base = "/ledgers/financial-ledger/journal-s3-exports";
	static const struct {
		const char *body, *param;
	} cases[] = {
		{ EXPORT_BODY("\"ObjectEncryptionType\":\"SSE_KMS\"", ""),
		  "S3ExportConfiguration.EncryptionConfiguration.KmsKeyArn" },
		{ EXPORT_BODY("\"ObjectEncryptionType\":\"SSE_C\"", ""),
		  "S3ExportConfiguration.EncryptionConfiguration.ObjectEncryptionType" },
		{ EXPORT_BODY("", ""),
		  "S3ExportConfiguration.EncryptionConfiguration.ObjectEncryptionType" },
		{ EXPORT_BODY(SSE_S3
			      ",\"KmsKeyArn\":\"arn:aws:kms:us-east-1:123456789012:bucket/x\"",
			      ""),
		  "S3ExportConfiguration.EncryptionConfiguration.KmsKeyArn" },
		{ EXPORT_BODY(SSE_S3, ",\"OutputFormat\":\"CSV\""), "OutputFormat" },
		{ "{\"InclusiveStartTime\":1690000000,\"RoleArn\":\"" ROLE
		  "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "ExclusiveEndTime" },
		{ "{\"InclusiveStartTime\":1699999900,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "ExclusiveEndTime" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1700000001,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "ExclusiveEndTime" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1690000500,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "ExclusiveEndTime" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"b!t\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "S3ExportConfiguration.Bucket" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bk\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "S3ExportConfiguration.Bucket" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "S3ExportConfiguration.Prefix" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"" ROLE "\"}",
		  "S3ExportConfiguration" },
		{ "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		  "\"role\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"\","
		  "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		  "RoleArn" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		fails(f, "POST", base, cases[i].body, 400, "InvalidParameterException",
		      cases[i].param);
	/* the prefix's limit is 128 characters */
	char body[1024], prefix[130];
	memset(prefix, 'p', 129);
	prefix[129] = '\0';
	snprintf(body, sizeof body,
		 "{\"InclusiveStartTime\":1690000000,\"ExclusiveEndTime\":1699999900,\"RoleArn\":"
		 "\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\",\"Prefix\":\"%s\","
		 "\"EncryptionConfiguration\":{" SSE_S3 "}}}",
		 prefix);
	fails(f, "POST", base, body, 400, "InvalidParameterException",
	      "S3ExportConfiguration.Prefix");
	fails(f, "POST", base, "{\"InclusiveStartTime\":", 400, "SerializationException", NULL);
	fails(f, "POST", "/ledgers/nope/journal-s3-exports", EXPORT_BODY(SSE_S3, ""), 404,
	      "ResourceNotFoundException", "LEDGER");
	cJSON_Delete(
		ok(f, "POST", "/ledgers", "{\"Name\":\"new\",\"PermissionsMode\":\"STANDARD\"}"));
	fails(f, "POST", "/ledgers/new/journal-s3-exports", EXPORT_BODY(SSE_S3, ""), 412,
	      "ResourcePreconditionNotMetException", "LEDGER");
	/* nothing was recorded */
	cJSON *o = ok(f, "GET", "/journal-s3-exports", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "JournalS3Exports")), 0);
	cJSON_Delete(o);
}

/* --- persistence hooks ------------------------------------------------------ */

static void test_a_failed_save_answers_internal_failure(void **state)
{
	struct fixture *f = *state;
	f->fail_changed = true;
	fails(f, "POST", "/ledgers", "{\"Name\":\"x\",\"PermissionsMode\":\"STANDARD\"}", 500,
	      "InternalFailure", NULL);
	fails(f, "PATCH", "/ledgers/financial-ledger", "{\"DeletionProtection\":false}", 500,
	      "InternalFailure", NULL);
	f->fail_changed = false;
	/* reads never save */
	int changes = f->changes;
	cJSON_Delete(ok(f, "GET", "/ledgers", NULL));
	cJSON_Delete(ok(f, "GET", "/ledgers/financial-ledger", NULL));
	assert_int_equal(f->changes, changes);
}

/* Every route, every odd body: an answer in JSON, never a 500 or a crash. */
static void test_every_route_survives_odd_bodies(void **state)
{
	struct fixture *f = *state;
	static const char *const bodies[] = {
		NULL,
		"",
		"{",
		"[]",
		"null",
		"1",
		"\"s\"",
		"\xff\xfe",
		"{\"k\":\"\\u0000\"}",
		"{\"Name\":{},\"PermissionsMode\":[]}",
		"{\"Tags\":{\"a\":{}}}",
		"{\"Tags\":null}",
		"{\"InclusiveStartTime\":1e400,\"ExclusiveEndTime\":-1e20}",
		"{\"InclusiveStartTime\":1e300}",
		"{\"KinesisConfiguration\":\"x\",\"StreamName\":\"s\"}",
		"{\"S3ExportConfiguration\":{\"EncryptionConfiguration\":[]}}",
		"{\"BlockAddress\":{\"IonText\":7},\"DigestTipAddress\":[]}",
		"{\"DeletionProtection\":null,\"KmsKey\":null}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]"
		"]]]]]]"
		"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	for (size_t r = 0; r < SIM_QLDB_ROUTE_COUNT; r++) {
		char path[256] = "";
		const char *p = SIM_QLDB_ROUTES[r].pattern;
		while (*p) {
			size_t k = strlen(path);
			if (strncmp(p, "{name}", 6) == 0) {
				snprintf(path + k, sizeof path - k, "financial-ledger");
				p += 6;
			} else if (strncmp(p, "{streamId}", 10) == 0 ||
				   strncmp(p, "{exportId}", 10) == 0) {
				snprintf(path + k, sizeof path - k, "AAAAAAAAAAAAAAAAAAAAAA");
				p += 10;
			} else if (strncmp(p, "{resourceArn}", 13) == 0) {
				snprintf(path + k, sizeof path - k,
					 LEDGER_ARN("us-east-1", "financial-ledger") "?tagKeys=a");
				p += 13;
			} else {
				path[k] = *p++;
				path[k + 1] = '\0';
			}
		}
		for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
			struct sim_response res;
			cJSON *o = req(f, SIM_QLDB_ROUTES[r].method, path, bodies[b], NULL, &res);
			if (res.status >= 500 || res.status < 200)
				fail_msg("%s %s with body %zu: %u %s", SIM_QLDB_ROUTES[r].method,
					 path, b, res.status, res.body);
			cJSON_Delete(o);
			sim_response_clear(&res);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_route_table_is_the_models_twenty_operations,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_ledger_is_creating_then_active, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_ledger_validation_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kms_keys_in_every_documented_form, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_arns_name_the_region_of_the_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deletion_protection_then_delete_then_gone,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_names_and_the_ledger_limit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_list_ledgers_pages_stably_and_refuses_forged_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_of_another_registry_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tag_untag_and_list_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_streams_create_describe_list_cancel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stream_validation_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_are_deterministic_by_seed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exports_run_two_at_a_time_then_complete, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_export_validation_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_failed_save_answers_internal_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_every_route_survives_odd_bodies, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
