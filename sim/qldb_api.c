/*
 * qldb_api.c - the QLDB route table (the one list of operations) and the
 * request readers the handlers share (see qldb_api.h, qldb_handlers.h).
 */
#include "sim/qldb_api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "sim/qldb_handlers.h"
#include "sim/qldb_token.h"

#define TIME_MAX_S 253402300799.0 /* 9999-12-31T23:59:59Z: beyond is not a date */

const struct sim_route SIM_QLDB_ROUTES[] = {
	{ "POST", "/ledgers", "CreateLedger", sim_qldb_create_ledger },
	{ "GET", "/ledgers", "ListLedgers", sim_qldb_list_ledgers },
	{ "GET", "/ledgers/{name}", "DescribeLedger", sim_qldb_describe_ledger },
	{ "PATCH", "/ledgers/{name}", "UpdateLedger", sim_qldb_update_ledger },
	{ "DELETE", "/ledgers/{name}", "DeleteLedger", sim_qldb_delete_ledger },
	{ "PATCH", "/ledgers/{name}/permissions-mode", "UpdateLedgerPermissionsMode",
	  sim_qldb_update_permissions_mode },
	{ "POST", "/tags/{resourceArn}", "TagResource", sim_qldb_tag_resource },
	{ "DELETE", "/tags/{resourceArn}", "UntagResource", sim_qldb_untag_resource },
	{ "GET", "/tags/{resourceArn}", "ListTagsForResource", sim_qldb_list_tags },
	{ "POST", "/ledgers/{name}/digest", "GetDigest", sim_qldb_get_digest },
	{ "POST", "/ledgers/{name}/block", "GetBlock", sim_qldb_get_block },
	{ "POST", "/ledgers/{name}/revision", "GetRevision", sim_qldb_get_revision },
	{ "POST", "/ledgers/{name}/journal-kinesis-streams", "StreamJournalToKinesis",
	  sim_qldb_stream_journal },
	{ "GET", "/ledgers/{name}/journal-kinesis-streams", "ListJournalKinesisStreamsForLedger",
	  sim_qldb_list_streams },
	{ "GET", "/ledgers/{name}/journal-kinesis-streams/{streamId}",
	  "DescribeJournalKinesisStream", sim_qldb_describe_stream },
	{ "DELETE", "/ledgers/{name}/journal-kinesis-streams/{streamId}",
	  "CancelJournalKinesisStream", sim_qldb_cancel_stream },
	{ "POST", "/ledgers/{name}/journal-s3-exports", "ExportJournalToS3",
	  sim_qldb_export_journal },
	{ "GET", "/ledgers/{name}/journal-s3-exports", "ListJournalS3ExportsForLedger",
	  sim_qldb_list_ledger_exports },
	{ "GET", "/ledgers/{name}/journal-s3-exports/{exportId}", "DescribeJournalS3Export",
	  sim_qldb_describe_export },
	{ "GET", "/journal-s3-exports", "ListJournalS3Exports", sim_qldb_list_exports },
};
const size_t SIM_QLDB_ROUTE_COUNT = sizeof SIM_QLDB_ROUTES / sizeof SIM_QLDB_ROUTES[0];

void sim_qldb_handle(struct sim_qldb *svc, const struct sim_request *req, struct sim_response *res)
{
	sim_route_dispatch(SIM_QLDB_ROUTES, SIM_QLDB_ROUTE_COUNT, svc, req, res);
}

const char *sim_qldb_operation(const struct sim_request *req)
{
	const struct sim_route *rt;
	struct sim_call call;
	char *scratch = malloc(SIM_PATH_MAX);
	const char *op = NULL;
	if (scratch && sim_route_match(SIM_QLDB_ROUTES, SIM_QLDB_ROUTE_COUNT, req, &rt, &call,
				       scratch) == SIM_ROUTE_FOUND)
		op = rt->operation;
	free(scratch);
	return op;
}

bool sim_qldb_knows(const char *op)
{
	for (size_t i = 0; i < SIM_QLDB_ROUTE_COUNT; i++)
		if (strcmp(SIM_QLDB_ROUTES[i].operation, op) == 0)
			return true;
	return false;
}

struct sim_ledgers *sim_qldb_registry(void *svc)
{
	return ((struct sim_qldb *)svc)->ledgers;
}

const char *sim_qldb_region(const struct sim_call *call)
{
	return call->req->region && call->req->region[0] ? call->req->region
							 : SIM_QLDB_DEFAULT_REGION;
}

const char *sim_qldb_path_name(const struct sim_call *call, const char *param,
			       struct sim_response *res)
{
	const char *name = call->params[0];
	if (sim_ledger_name_valid(name))
		return name;
	sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, param,
			   "invalid ledger name '%.40s': 1..32 of [A-Za-z0-9-], not all "
			   "digits, no leading, trailing or double '-'",
			   name);
	return NULL;
}

const char *sim_qldb_path_id(const struct sim_call *call, size_t i, const char *param,
			     struct sim_response *res)
{
	const char *id = call->params[i];
	if (sim_unique_id_valid(id))
		return id;
	sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, param,
			   "%s '%.40s' is not %d characters of [A-Za-z0-9-]", param, id,
			   SIM_ID_LEN);
	return NULL;
}

struct sim_ledger *sim_qldb_ledger_get(struct sim_ledgers *ls, const char *name,
				       struct sim_response *res)
{
	struct sim_ledger *l = sim_ledgers_get(ls, name);
	if (!l)
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "LEDGER", name, NULL,
				   "Ledger '%s' does not exist", name);
	return l;
}

int sim_qldb_ledger_active(const struct sim_ledger *l, int64_t now, const char *operation,
			   struct sim_response *res)
{
	const char *state = sim_ledger_state(l, now);
	if (strcmp(state, "ACTIVE") == 0)
		return 0;
	sim_response_error(res, SIM_ERR_RESOURCE_PRECONDITION, "LEDGER", l->name, NULL,
			   "%s: ledger '%s' is %s, not ACTIVE", operation, l->name, state);
	return -1;
}

int sim_qldb_changed(struct sim_ledgers *ls, struct sim_response *res)
{
	if (sim_ledgers_changed(ls) == 0)
		return 0;
	sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
			   "the endpoint could not save its state; the change may not survive "
			   "a restart");
	return -1;
}

cJSON *sim_qldb_body(const struct sim_call *call, struct sim_response *res)
{
	const struct sim_request *r = call->req;
	if (r->body_len == 0)
		return cJSON_CreateObject();
	char why[SIM_MESSAGE_MAX];
	cJSON *o = json_strict_parse(r->body, r->body_len, call->operation, why, sizeof why);
	if (o && cJSON_IsObject(o))
		return o;
	if (o)
		snprintf(why, sizeof why, "%s: the request body is not a JSON object",
			 call->operation);
	cJSON_Delete(o);
	sim_response_error(res, SIM_ERR_SERIALIZATION, NULL, NULL, NULL, "%s", why);
	return NULL;
}

/* --- member readers ----------------------------------------------------- */

/* The member of o named by param's last dotted part; NULL when absent. */
static const cJSON *member_of(const cJSON *o, const char *param)
{
	const char *dot = strrchr(param, '.');
	return cJSON_GetObjectItemCaseSensitive(o, dot ? dot + 1 : param);
}

/* InvalidParameterException "PARAM <fmt...>" naming param; returns -1. */
static int bad(struct sim_response *res, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct sim_response *res, const char *param, const char *fmt, ...)
{
	char msg[SIM_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, param, "%s %s", param, msg);
	return -1;
}

/* Read v (present) as a JSON type; 0, or -1 after the error. */
static int expect(const cJSON *v, int (*is)(const cJSON *), const char *what, const char *param,
		  struct sim_response *res)
{
	return is(v) ? 0 : bad(res, param, "must be %s", what);
}

static int is_string(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring;
}
static int is_bool(const cJSON *v)
{
	return cJSON_IsBool(v);
}
static int is_number(const cJSON *v)
{
	return cJSON_IsNumber(v);
}
static int is_object(const cJSON *v)
{
	return cJSON_IsObject(v);
}

/* Characters (code points) of valid UTF-8 (json_strict has checked it). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

/* Absent: 0, or -1 after "is required". */
static int absent(bool required, const char *param, struct sim_response *res)
{
	return required ? bad(res, param, "is required") : 0;
}

int sim_qldb_str(const cJSON *o, const char *param, bool required, size_t min, size_t max,
		 const char **out, struct sim_response *res)
{
	const cJSON *v = member_of(o, param);
	if (!v)
		return absent(required, param, res);
	if (expect(v, is_string, "a string", param, res))
		return -1;
	size_t n = utf8_chars(v->valuestring);
	if (n < min || n > max) {
		return bad(res, param, "must be %zu..%zu characters long", min, max);
	}
	*out = v->valuestring;
	return 1;
}

int sim_qldb_bool(const cJSON *o, const char *param, bool required, bool *out,
		  struct sim_response *res)
{
	const cJSON *v = member_of(o, param);
	if (!v)
		return absent(required, param, res);
	if (expect(v, is_bool, "a boolean", param, res))
		return -1;
	*out = cJSON_IsTrue(v);
	return 1;
}

int sim_qldb_time(const cJSON *o, const char *param, bool required, int64_t *ms,
		  struct sim_response *res)
{
	const cJSON *v = member_of(o, param);
	if (!v)
		return absent(required, param, res);
	if (expect(v, is_number, "a timestamp (epoch seconds)", param, res))
		return -1;
	double d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d > TIME_MAX_S)
		return bad(res, param, "must be a time from 1970 to 9999");
	*ms = (int64_t)llround(d * 1000.0);
	return 1;
}

int sim_qldb_enum(const cJSON *o, const char *param, bool required, const char *const *values,
		  const char **out, struct sim_response *res)
{
	const cJSON *v = member_of(o, param);
	if (!v)
		return absent(required, param, res);
	if (expect(v, is_string, "a string", param, res))
		return -1;
	char list[160] = "";
	for (size_t i = 0; values[i]; i++) {
		if (strcmp(v->valuestring, values[i]) == 0) {
			*out = values[i];
			return 1;
		}
		size_t k = strlen(list);
		snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", values[i]);
	}
	return bad(res, param, "must be one of %s", list);
}

int sim_qldb_object(const cJSON *o, const char *param, bool required, const cJSON **out,
		    struct sim_response *res)
{
	const cJSON *v = member_of(o, param);
	if (!v)
		return absent(required, param, res);
	if (expect(v, is_object, "an object", param, res))
		return -1;
	*out = v;
	return 1;
}

int sim_qldb_tags(const cJSON *o, const char *param, bool required, const cJSON **out,
		  struct sim_response *res)
{
	const cJSON *m;
	int rc = sim_qldb_object(o, param, required, &m, res);
	if (rc <= 0)
		return rc;
	if (cJSON_GetArraySize(m) > SIM_TAGS_MAX)
		return bad(res, param, "may hold at most %d tags", SIM_TAGS_MAX);
	const cJSON *kv;
	cJSON_ArrayForEach(kv, m)
	{
		size_t kn = utf8_chars(kv->string);
		if (kn < 1 || kn > SIM_TAG_KEY_MAX)
			return bad(res, param, "keys must be 1..128 characters ('%.40s')",
				   kv->string);
		if (!cJSON_IsNull(kv) && !is_string(kv))
			return bad(res, param, "values must be strings ('%.40s')", kv->string);
		if (is_string(kv) && utf8_chars(kv->valuestring) > SIM_TAG_VALUE_MAX)
			return bad(res, param, "values must be 0..256 characters ('%.40s')",
				   kv->string);
	}
	*out = m;
	return 1;
}

/* --- ARNs ---------------------------------------------------------------- */

struct arn {
	char buf[SIM_QLDB_ARN_BUF];
	const char *partition, *service, *region, *account, *resource;
};

/* "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE" (RESOURCE may hold ':').
 * 0, or -1 when s is not shaped so. */
static int arn_split(const char *s, struct arn *a)
{
	if (strlen(s) >= sizeof a->buf || strncmp(s, "arn:", 4) != 0)
		return -1;
	memcpy(a->buf, s, strlen(s) + 1);
	const char **parts[5] = { &a->partition, &a->service, &a->region, &a->account,
				  &a->resource };
	char *p = a->buf + 4;
	for (int i = 0; i < 5; i++) {
		*parts[i] = p;
		if (i == 4)
			break;
		char *c = strchr(p, ':');
		if (!c)
			return -1;
		*c = '\0';
		p = c + 1;
	}
	return strncmp(a->partition, "aws", 3) == 0 && a->service[0] && a->resource[0] ? 0 : -1;
}

static bool all_of(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS "0123456789"
#define LOWER_ALNUM "abcdefghijklmnopqrstuvwxyz0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static bool account_ok(const char *s)
{
	return all_of(s, DIGITS, 12, 12);
}

static bool region_ok(const char *s)
{
	return all_of(s, LOWER_ALNUM "-", 1, 32);
}

int sim_qldb_role_arn(const cJSON *o, const char *param, const char **out, struct sim_response *res)
{
	const char *s;
	int rc = sim_qldb_str(o, param, true, 20, SIM_ARN_MAX, &s, res);
	if (rc <= 0)
		return rc;
	struct arn a;
	if (arn_split(s, &a) != 0 || strcmp(a.service, "iam") != 0 || a.region[0] ||
	    !account_ok(a.account) || strncmp(a.resource, "role/", 5) != 0 ||
	    !all_of(a.resource + 5, ALNUM "_+=,.@/-", 1, SIM_ARN_MAX))
		return bad(res, param, "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
	*out = s;
	return 1;
}

bool sim_qldb_kinesis_arn_valid(const char *s)
{
	struct arn a;
	return arn_split(s, &a) == 0 && strcmp(a.service, "kinesis") == 0 && region_ok(a.region) &&
	       account_ok(a.account) && strncmp(a.resource, "stream/", 7) == 0 &&
	       all_of(a.resource + 7, ALNUM "_.-", 1, 128);
}

/* A KMS key or alias ARN. */
static bool kms_arn_valid(const char *s)
{
	struct arn a;
	if (arn_split(s, &a) != 0 || strcmp(a.service, "kms") != 0 || !region_ok(a.region) ||
	    !account_ok(a.account))
		return false;
	if (strncmp(a.resource, "key/", 4) == 0)
		return all_of(a.resource + 4, ALNUM "-", 1, 128);
	return strncmp(a.resource, "alias/", 6) == 0 && all_of(a.resource + 6, ALNUM "/_-", 1, 256);
}

bool sim_qldb_s3_kms_arn_valid(const char *s)
{
	return kms_arn_valid(s);
}

/* 1234abcd-12ab-34cd-56ef-1234567890ab, or mrk- and 32 hex digits. */
static bool kms_key_id_valid(const char *s)
{
	static const char HEX[] = "0123456789abcdefABCDEF";
	if (strncmp(s, "mrk-", 4) == 0)
		return all_of(s + 4, HEX, 32, 32);
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !strchr(HEX, s[i]))
			return false;
	}
	return true;
}

bool sim_qldb_kms_key_valid(const char *key)
{
	if (strcmp(key, SIM_AWS_OWNED_KMS_KEY) == 0 || kms_key_id_valid(key))
		return true;
	if (strncmp(key, "alias/", 6) == 0)
		return all_of(key + 6, ALNUM "/_-", 1, 256);
	return strlen(key) <= SIM_ARN_MAX && kms_arn_valid(key);
}

void sim_qldb_kms_key_arn(const struct sim_call *call, const char *key, char out[SIM_QLDB_ARN_BUF])
{
	if (strcmp(key, SIM_AWS_OWNED_KMS_KEY) == 0 || strncmp(key, "arn:", 4) == 0)
		snprintf(out, SIM_QLDB_ARN_BUF, "%s", key);
	else
		snprintf(out, SIM_QLDB_ARN_BUF, "arn:aws:kms:%s:%s:%s%s", sim_qldb_region(call),
			 SIM_DEMO_ACCOUNT, strncmp(key, "alias/", 6) == 0 ? "" : "key/", key);
}

void sim_qldb_ledger_arn(const struct sim_call *call, const char *name, char out[SIM_QLDB_ARN_BUF])
{
	snprintf(out, SIM_QLDB_ARN_BUF, "arn:aws:qldb:%s:%s:ledger/%s", sim_qldb_region(call),
		 SIM_DEMO_ACCOUNT, name);
}

void sim_qldb_stream_arn(const struct sim_call *call, const char *ledger, const char *id,
			 char out[SIM_QLDB_ARN_BUF])
{
	snprintf(out, SIM_QLDB_ARN_BUF, "arn:aws:qldb:%s:%s:stream/%s/%s", sim_qldb_region(call),
		 SIM_DEMO_ACCOUNT, ledger, id);
}

int sim_qldb_resource_arn(const struct sim_call *call, const char *s,
			  char ledger[SIM_LEDGER_NAME_MAX + 1], char stream[SIM_ID_LEN + 1],
			  struct sim_response *res)
{
	struct arn a;
	size_t n = strlen(s);
	if (n < 20 || n > SIM_ARN_MAX || arn_split(s, &a) != 0) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "ResourceArn",
				   "ResourceArn '%.80s' is not an ARN of 20..1600 characters", s);
		return -1;
	}
	ledger[0] = stream[0] = '\0';
	const char *r = a.resource;
	bool ours = strcmp(a.partition, "aws") == 0 && strcmp(a.service, "qldb") == 0 &&
		    strcmp(a.region, sim_qldb_region(call)) == 0 &&
		    strcmp(a.account, SIM_DEMO_ACCOUNT) == 0;
	if (ours && strncmp(r, "ledger/", 7) == 0 && sim_ledger_name_valid(r + 7)) {
		snprintf(ledger, SIM_LEDGER_NAME_MAX + 1, "%s", r + 7);
		return 0;
	}
	const char *slash = strncmp(r, "stream/", 7) == 0 ? strchr(r + 7, '/') : NULL;
	if (ours && slash && (size_t)(slash - (r + 7)) <= SIM_LEDGER_NAME_MAX &&
	    sim_unique_id_valid(slash + 1)) {
		snprintf(ledger, SIM_LEDGER_NAME_MAX + 1, "%.*s", (int)(slash - (r + 7)), r + 7);
		snprintf(stream, SIM_ID_LEN + 1, "%s", slash + 1);
		if (sim_ledger_name_valid(ledger))
			return 0;
	}
	sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "RESOURCE", s, NULL,
			   "no resource %.200s in region %s of account %s", s,
			   sim_qldb_region(call), SIM_DEMO_ACCOUNT);
	return -1;
}

/* --- paging --------------------------------------------------------------- */

int sim_qldb_page(const struct sim_ledgers *ls, const struct sim_call *call, const char *kind,
		  const char *scope, size_t *max, uint64_t *after, struct sim_response *res)
{
	*max = SIM_LIST_MAX_RESULTS;
	*after = 0;
	const char *m = sim_request_query(call->req, "max_results");
	if (m) {
		char *end;
		long v = strtol(m, &end, 10);
		if (!*m || *end || v < 1 || v > SIM_LIST_MAX_RESULTS) {
			sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "MaxResults",
					   "max_results must be an integer from 1 to %d",
					   SIM_LIST_MAX_RESULTS);
			return -1;
		}
		*max = (size_t)v;
	}
	const char *t = sim_request_query(call->req, "next_token");
	if (t && sim_qldb_token_read(ls->token_key, kind, scope, t, after) != 0) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "NextToken",
				   "next_token is not a token this endpoint issued for %s",
				   call->operation);
		return -1;
	}
	return 0;
}

void sim_qldb_page_token(const struct sim_ledgers *ls, cJSON *o, const char *kind,
			 const char *scope, uint64_t last)
{
	char tok[SIM_QLDB_TOKEN_BUF];
	sim_qldb_token_make(ls->token_key, kind, scope, last, tok);
	cJSON_AddStringToObject(o, "NextToken", tok);
}
