/*
 * cfn.c - the endpoint's CloudFormation (see cfn.h): the query form, the
 * stacks, and the resource types made through the other services.
 */
#include "sim/cfn.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "sim/cfn_template.h"
#include "sim/kinesis_store.h"
#include "sim/ledger.h"
#include "sim/query_xml.h"
#include "verify/buf.h"

#define CFN_XMLNS "http://cloudformation.amazonaws.com/doc/2010-05-15/"
#define CFN_FORM_MAX 512       /* form pairs per request */
#define CFN_STACKS_MAX 256     /* stacks kept (deleted ones included) */
#define CFN_TEMPLATE_MAX 51200 /* TemplateBody bytes, as AWS */
#define CFN_WAIT_MS 10000      /* a created ledger/stream becomes ACTIVE within this */
#define CFN_REGION "us-east-1"

struct cfn_res {
	char logical[128], type[64], physical[256], status[32];
	char ledger[64]; /* AWS::QLDB::Stream: its ledger */
	bool retain, adopted;
	int64_t ms;
};

struct cfn_stack {
	char name[129], id[256], status[40], reason[512], description[1024];
	int64_t created_ms, deleted_ms;
	cJSON *params;	     /* [{Key, Value}] */
	cJSON *outputs;	     /* [{Key, Value, Description, Export}] */
	cJSON *caps;	     /* [string] */
	cJSON *events;	     /* [{...}] oldest first */
	struct cfn_res *res; /* creation order */
	size_t n_res;
};

struct sim_cfn {
	pthread_mutex_t mu;
	struct sim_qldb *qldb;
	struct sim_kinesis *kinesis;
	struct sim_s3 *s3;
	struct cfn_stack *stacks[CFN_STACKS_MAX];
	size_t n;
	unsigned long serial;
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void iso_time(int64_t ms, char out[40])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 40 - n, ".%03dZ", (int)(ms % 1000));
}

struct sim_cfn *sim_cfn_new(struct sim_qldb *q, struct sim_kinesis *k, struct sim_s3 *s3)
{
	struct sim_cfn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->mu, NULL);
	c->qldb = q;
	c->kinesis = k;
	c->s3 = s3;
	return c;
}

static void stack_free(struct cfn_stack *s)
{
	if (!s)
		return;
	cJSON_Delete(s->params);
	cJSON_Delete(s->outputs);
	cJSON_Delete(s->caps);
	cJSON_Delete(s->events);
	free(s->res);
	free(s);
}

void sim_cfn_free(struct sim_cfn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		stack_free(c->stacks[i]);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* ---- XML ---- */

static const struct query_xml_service CFN = { CFN_XMLNS, "cf5a7c0d", "ValidationError" };

static void xml_el(struct buf *b, const char *tag, const char *text)
{
	query_xml_elem(b, tag, text); /* out of memory: query_xml_respond answers 500 */
}

static void error_xml(struct sim_response *res, unsigned status, const char *code, const char *msg)
{
	query_xml_error(res, &CFN, status, code, msg, NULL);
}

void sim_cfn_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	query_xml_pre_error(res, &CFN, e, msg);
}

static void validation(struct sim_response *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void validation(struct sim_response *res, const char *fmt, ...)
{
	char m[SIM_MESSAGE_MAX + 200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	error_xml(res, 400, "ValidationError", m);
}

static void ok_open(struct buf *b, const char *action)
{
	buf_printf(b, "<%sResponse xmlns=\"" CFN_XMLNS "\"><%sResult>", action, action);
}

static void ok_close(struct buf *b, const char *action, struct sim_response *res)
{
	char id[QUERY_XML_ID_MAX];
	query_xml_request_id(CFN.id_prefix, id);
	buf_printf(b,
		   "</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></"
		   "%sResponse>",
		   action, id, action);
	query_xml_respond(res, 200, b);
}

/* ---- the form ---- */

struct form {
	struct sim_param p[CFN_FORM_MAX];
	size_t n;
	char *store;
};

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Decode src[0..n) ('+' is a space) into dst; -1 on a bad escape or NUL. */
static long form_decode(const char *src, size_t n, char *dst)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (src[i] == '+')
			dst[o++] = ' ';
		else if (src[i] == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval((unsigned char)src[i + 1])) < 0 ||
			    (l = hexval((unsigned char)src[i + 2])) < 0 || (h == 0 && l == 0))
				return -1;
			dst[o++] = (char)(h * 16 + l);
			i += 2;
		} else
			dst[o++] = src[i];
	}
	dst[o] = 0;
	return (long)o;
}

static int form_parse(const struct sim_request *req, struct form *f, char *err, size_t cap)
{
	f->n = 0;
	f->store = malloc(req->body_len * 2 + 2);
	if (!f->store)
		return snprintf(err, cap, "out of memory"), -1;
	char *w = f->store;
	const char *p = req->body ? req->body : "", *end = p + req->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (e > p) {
			if (f->n == CFN_FORM_MAX)
				return snprintf(err, cap, "too many form parameters"), -1;
			if (!eq)
				eq = e;
			long kl = form_decode(p, (size_t)(eq - p), w);
			if (kl < 0)
				return snprintf(err, cap, "malformed form encoding"), -1;
			f->p[f->n].key = w;
			w += kl + 1;
			long vl = form_decode(eq < e ? eq + 1 : e,
					      eq < e ? (size_t)(e - eq - 1) : 0, w);
			if (vl < 0)
				return snprintf(err, cap, "malformed form encoding"), -1;
			f->p[f->n++].value = w;
			w += vl + 1;
		}
		p = e + 1;
	}
	return 0;
}

static const char *form_get(const struct form *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->p[i].key, key))
			return f->p[i].value;
	return NULL;
}

/* ---- calling the other services ---- */

static const char *header_of(void *ctx, const char *name)
{
	const char *const *h = ctx;
	for (; h && h[0]; h += 2)
		if (strcasecmp(h[0], name) == 0)
			return h[1];
	return NULL;
}

enum svc { SVC_QLDB, SVC_KINESIS, SVC_S3 };

/* One request to a service, with a decoded query (n pairs); res is the
 * caller's to clear. */
static void svc_call_query(struct sim_cfn *c, enum svc which, const char *method, const char *path,
			   const struct sim_param *query, size_t n, const char *target,
			   const char *body, struct sim_response *res)
{
	const char *kin[] = { "X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.1",
			      NULL };
	static const char *const S3H[] = { "x-amz-content-sha256", "UNSIGNED-PAYLOAD", NULL };
	static const char *const JSONH[] = { "Content-Type", "application/json", NULL };
	struct sim_request req = { .method = method,
				   .path = path,
				   .query = query,
				   .n_query = n,
				   .body = body,
				   .body_len = body ? strlen(body) : 0,
				   .region = CFN_REGION,
				   .header = header_of };
	memset(res, 0, sizeof *res);
	if (which == SVC_QLDB) {
		req.header_ctx = (void *)JSONH;
		sim_qldb_handle(c->qldb, &req, res);
	} else if (which == SVC_KINESIS) {
		req.header_ctx = (void *)kin;
		sim_kinesis_handle(c->kinesis, &req, res);
	} else {
		req.header_ctx = (void *)S3H;
		sim_s3_handle(c->s3, &req, res);
	}
}

static void svc_call(struct sim_cfn *c, enum svc which, const char *method, const char *path,
		     const char *target, const char *body, struct sim_response *res)
{
	svc_call_query(c, which, method, path, NULL, 0, target, body, res);
}

static bool svc_ok(const struct sim_response *res)
{
	return res->status >= 200 && res->status < 300;
}

/* The failed answer's message into err (JSON "message" or XML <Message>),
 * then res cleared. Returns -1. */
static int svc_fail(struct sim_response *res, const char *what, char *err, size_t cap)
{
	char msg[400] = "";
	if (res->body && res->body_len) {
		char *t = strndup(res->body, res->body_len);
		cJSON *j = t ? cJSON_Parse(t) : NULL;
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
		char *x = t ? strstr(t, "<Message>") : NULL;
		if (cJSON_IsString(m))
			snprintf(msg, sizeof msg, "%s", m->valuestring);
		else if (x) {
			char *e = strstr(x, "</Message>");
			snprintf(msg, sizeof msg, "%.*s", e ? (int)(e - x - 9) : 200, x + 9);
		}
		cJSON_Delete(j);
		free(t);
	}
	snprintf(err, cap, "%s: %s (%u %s)", what, msg[0] ? msg : "failed", res->status,
		 res->error_code ? res->error_code : "");
	sim_response_clear(res);
	return -1;
}

static cJSON *svc_json(struct sim_response *res)
{
	char *t = res->body ? strndup(res->body, res->body_len) : NULL;
	cJSON *j = t ? cJSON_Parse(t) : NULL;
	free(t);
	return j;
}

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L },
		  NULL);
}

/* ---- resource types ---- */

struct rctx {
	struct sim_cfn *c;
	struct cfn_stack *s;
	struct cfn_eval *ev;
	struct cfn_res *r;
	const cJSON *props; /* resolved */
};

static const char *prop_str(const cJSON *props, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool prop_bool(const cJSON *props, const char *name, bool dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, name);
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsString(v))
		return !strcasecmp(v->valuestring, "true");
	return dflt;
}

static void set_attr(struct rctx *x, const char *name, const char *value)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(x->ev->attrs, x->r->logical);
	if (!a)
		a = cJSON_AddObjectToObject(x->ev->attrs, x->r->logical);
	if (a)
		cJSON_AddStringToObject(a, name, value);
}

/* A generated physical name: stack-Logical-SUFFIX, as CloudFormation
 * names what the template leaves unnamed (max chars). */
static void gen_name(struct rctx *x, char *out, size_t max, bool lower)
{
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char suffix[13];
	unsigned long long z = (unsigned long long)now_ms() * 2654435761ull + ++x->c->serial;
	for (int i = 0; i < 12; i++, z /= 36)
		suffix[i] = A[z % 36];
	suffix[12] = 0;
	snprintf(out, max, "%.40s-%.40s-%s", x->s->name, x->r->logical, suffix);
	for (char *p = out; lower && *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* QLDB tags: CloudFormation's [{Key, Value}] into {"k": "v"}. */
static cJSON *tag_map(const cJSON *tags)
{
	cJSON *m = cJSON_CreateObject();
	for (const cJSON *t = cJSON_IsArray(tags) ? tags->child : NULL; m && t; t = t->next) {
		const char *k = prop_str(t, "Key"), *v = prop_str(t, "Value");
		if (k && v)
			cJSON_AddStringToObject(m, k, v);
	}
	return m;
}

static int ledger_wait_active(struct sim_cfn *c, const char *name, char *err, size_t cap)
{
	char path[128];
	snprintf(path, sizeof path, "/ledgers/%s", name);
	for (int64_t end = now_ms() + CFN_WAIT_MS; now_ms() < end; sleep_ms(20)) {
		struct sim_response res;
		svc_call(c, SVC_QLDB, "GET", path, NULL, NULL, &res);
		if (!svc_ok(&res))
			return svc_fail(&res, "QLDB DescribeLedger", err, cap);
		cJSON *j = svc_json(&res);
		sim_response_clear(&res);
		const char *st = prop_str(j, "State");
		bool active = st && !strcmp(st, "ACTIVE");
		cJSON_Delete(j);
		if (active)
			return 0;
	}
	return snprintf(err, cap, "ledger %s did not become ACTIVE", name), -1;
}

/* The endpoint's demo ledger is adopted when no live stack has it. */
static bool demo_free(struct sim_cfn *c, const char *name)
{
	if (strcmp(name, SIM_DEMO_LEDGER))
		return false;
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; k < c->stacks[i]->n_res; k++) {
			const struct cfn_res *r = &c->stacks[i]->res[k];
			if (!strcmp(r->type, "AWS::QLDB::Ledger") && !strcmp(r->physical, name) &&
			    strcmp(r->status, "DELETE_COMPLETE") &&
			    strcmp(r->status, "CREATE_FAILED") &&
			    strcmp(r->status, "CREATE_IN_PROGRESS"))
				return false;
		}
	return true;
}

/* /tags/ARN for a ledger, the ARN's ':' and '/' escaped as the CLI sends
 * them (the route decodes each path segment). */
static void ledger_tags_path(const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "/tags/arn%%3Aaws%%3Aqldb%%3A%s%%3A%s%%3Aledger%%2F%.64s", CFN_REGION,
		 SIM_DEMO_ACCOUNT, name);
}

/* Give an adopted ledger the template's tags (want, {"k": "v"}). QLDB's
 * TagResource refuses a key the ledger already has, so a key whose value
 * differs is untagged first; the ledger's other tags are left as they
 * are (they are not the template's to manage). */
static int ledger_retag(struct sim_cfn *c, const char *name, const cJSON *want, char *err,
			size_t cap)
{
	char path[256];
	ledger_tags_path(name, path, sizeof path);
	struct sim_response res;
	svc_call(c, SVC_QLDB, "GET", path, NULL, NULL, &res);
	if (!svc_ok(&res))
		return svc_fail(&res, "QLDB ListTagsForResource", err, cap);
	cJSON *j = svc_json(&res);
	sim_response_clear(&res);
	const cJSON *have = cJSON_GetObjectItemCaseSensitive(j, "Tags");
	struct sim_param stale[SIM_TAGS_MAX];
	size_t n_stale = 0;
	cJSON *add = cJSON_CreateObject(), *b = cJSON_CreateObject();
	for (const cJSON *t = want->child; t; t = t->next) {
		const char *old = prop_str(have, t->string);
		if (old && !strcmp(old, t->valuestring))
			continue; /* already so */
		if (old && n_stale < SIM_TAGS_MAX)
			stale[n_stale++] = (struct sim_param){ "tagKeys", t->string };
		cJSON_AddStringToObject(add, t->string, t->valuestring);
	}
	int rc = 0;
	if (n_stale) {
		svc_call_query(c, SVC_QLDB, "DELETE", path, stale, n_stale, NULL, NULL, &res);
		rc = svc_ok(&res) ? 0 : svc_fail(&res, "QLDB UntagResource", err, cap);
		sim_response_clear(&res);
	}
	if (rc == 0 && add && add->child) {
		cJSON_AddItemReferenceToObject(b, "Tags", add);
		char *body = cJSON_PrintUnformatted(b);
		svc_call(c, SVC_QLDB, "POST", path, NULL, body ? body : "{}", &res);
		free(body);
		rc = svc_ok(&res) ? 0 : svc_fail(&res, "QLDB TagResource", err, cap);
		sim_response_clear(&res);
	}
	cJSON_Delete(b);
	cJSON_Delete(add);
	cJSON_Delete(j);
	return rc;
}

static int ledger_create(struct rctx *x, char *err, size_t cap)
{
	char name[64];
	const char *given = prop_str(x->props, "Name");
	if (given)
		snprintf(name, sizeof name, "%s", given);
	else
		gen_name(x, name, 33, false);
	bool protect = prop_bool(x->props, "DeletionProtection", true);
	const char *mode = prop_str(x->props, "PermissionsMode");
	if (!mode)
		return snprintf(err, cap,
				"Properties validation failed: required key "
				"[PermissionsMode] not found"),
		       -1;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "Name", name);
	cJSON_AddStringToObject(b, "PermissionsMode", mode);
	cJSON_AddBoolToObject(b, "DeletionProtection", protect);
	const cJSON *kms = cJSON_GetObjectItemCaseSensitive(x->props, "KmsKey");
	if (cJSON_IsString(kms))
		cJSON_AddStringToObject(b, "KmsKey", kms->valuestring);
	cJSON *tags = tag_map(cJSON_GetObjectItemCaseSensitive(x->props, "Tags"));
	if (!tags) {
		cJSON_Delete(b);
		return snprintf(err, cap, "out of memory"), -1;
	}
	if (tags->child)
		cJSON_AddItemReferenceToObject(b, "Tags", tags);
	char *body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	struct sim_response res;
	svc_call(x->c, SVC_QLDB, "POST", "/ledgers", NULL, body, &res);
	free(body);
	if (res.status == 409 && demo_free(x->c, name)) {
		/* adopt the demo ledger, with the template's protection */
		sim_response_clear(&res);
		char path[128], ub[64];
		snprintf(path, sizeof path, "/ledgers/%s", name);
		snprintf(ub, sizeof ub, "{\"DeletionProtection\":%s}", protect ? "true" : "false");
		svc_call(x->c, SVC_QLDB, "PATCH", path, NULL, ub, &res);
		x->r->adopted = true;
		if (svc_ok(&res) && tags->child) { /* and the template's tags */
			sim_response_clear(&res);
			if (ledger_retag(x->c, name, tags, err, cap) != 0) {
				cJSON_Delete(tags);
				return -1;
			}
			res.status = 200;
		}
	}
	cJSON_Delete(tags);
	if (!svc_ok(&res))
		return svc_fail(&res, "QLDB CreateLedger", err, cap);
	sim_response_clear(&res);
	snprintf(x->r->physical, sizeof x->r->physical, "%s", name);
	if (ledger_wait_active(x->c, name, err, cap) != 0)
		return -1;
	char arn[256];
	snprintf(arn, sizeof arn, "arn:aws:qldb:%s:%s:ledger/%s", CFN_REGION, SIM_DEMO_ACCOUNT,
		 name);
	set_attr(x, "Arn", arn);
	return 0;
}

static void ledger_unprotect(struct sim_cfn *c, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "/ledgers/%.100s", name);
	struct sim_response res;
	svc_call(c, SVC_QLDB, "PATCH", path, NULL, "{\"DeletionProtection\":false}", &res);
	sim_response_clear(&res);
}

static int ledger_delete(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap)
{
	char path[128];
	snprintf(path, sizeof path, "/ledgers/%.100s", r->physical);
	struct sim_response res;
	svc_call(c, SVC_QLDB, "DELETE", path, NULL, NULL, &res);
	if (res.status == 404) { /* gone already: deleted */
		sim_response_clear(&res);
		return 0;
	}
	if (!svc_ok(&res))
		return svc_fail(&res, "QLDB DeleteLedger", err, cap);
	sim_response_clear(&res);
	return 0;
}

/* IAM roles are recorded only: the endpoint has no IAM service and its
 * services take any well-formed role ARN. */
static int role_create(struct rctx *x, char *err, size_t cap)
{
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x->props, "AssumeRolePolicyDocument")))
		return snprintf(err, cap,
				"Properties validation failed: required key "
				"[AssumeRolePolicyDocument] not found"),
		       -1;
	char name[65], arn[256];
	const char *given = prop_str(x->props, "RoleName");
	if (given)
		snprintf(name, sizeof name, "%s", given);
	else
		gen_name(x, name, sizeof name, false);
	const char *path = prop_str(x->props, "Path");
	snprintf(arn, sizeof arn, "arn:aws:iam::%s:role%s%s", SIM_DEMO_ACCOUNT, path ? path : "/",
		 name);
	snprintf(x->r->physical, sizeof x->r->physical, "%s", name);
	set_attr(x, "Arn", arn);
	set_attr(x, "RoleId", "AROAQLDBTOPSIMROLE0001");
	return 0;
}

/* Deleting what was recorded only (roles, CDK metadata): nothing to do. */
static int recorded_delete(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap)
{
	(void)c, (void)r, (void)err, (void)cap;
	return 0;
}

/* One Kinesis operation on stream name with the members of b (consumed):
 * 0, or -1 with err naming the operation and Kinesis's message. */
static int kinesis_call(struct sim_cfn *c, const char *op, const char *name, cJSON *b, char *err,
			size_t cap)
{
	char target[96], what[96];
	snprintf(target, sizeof target, "Kinesis_20131202.%s", op);
	snprintf(what, sizeof what, "Kinesis %s", op);
	if (!b || !cJSON_AddStringToObject(b, "StreamName", name)) {
		cJSON_Delete(b);
		return snprintf(err, cap, "%s: out of memory", what), -1;
	}
	char *body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	struct sim_response res;
	svc_call(c, SVC_KINESIS, "POST", "/", target, body ? body : "{}", &res);
	free(body);
	if (!svc_ok(&res))
		return svc_fail(&res, what, err, cap);
	sim_response_clear(&res);
	return 0;
}

/* RetentionPeriodHours (a number, or a parameter's text): longer than the
 * default 24 by Increase-, else by DecreaseStreamRetentionPeriod (which
 * refuses less than 24 with Kinesis's own message). */
static int kinesis_retention(struct rctx *x, const char *name, char *err, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->props, "RetentionPeriodHours");
	char text[32] = "", *end = text;
	if (!v)
		return 0;
	long hours = cfn_scalar_text(v, text, sizeof text) == 0 ? strtol(text, &end, 10) : -1;
	if (end == text || *end || hours < 0 || hours > INT32_MAX)
		return snprintf(err, cap, "RetentionPeriodHours '%.20s' is not a whole number",
				text),
		       -1;
	if (hours == SIM_KINESIS_RETENTION_MIN)
		return 0;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddNumberToObject(b, "RetentionPeriodHours", (double)hours);
	return kinesis_call(x->c,
			    hours > SIM_KINESIS_RETENTION_MIN ? "IncreaseStreamRetentionPeriod"
							      : "DecreaseStreamRetentionPeriod",
			    name, b, err, cap);
}

/* StreamEncryption {EncryptionType, KeyId}: StartStreamEncryption, which
 * checks both. */
static int kinesis_encryption(struct rctx *x, const char *name, char *err, size_t cap)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(x->props, "StreamEncryption");
	if (!e)
		return 0;
	const char *type = prop_str(e, "EncryptionType"), *key = prop_str(e, "KeyId");
	if (!cJSON_IsObject(e) || !type || !key)
		return snprintf(err, cap,
				"Properties validation failed: StreamEncryption needs "
				"EncryptionType and KeyId"),
		       -1;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "EncryptionType", type);
	cJSON_AddStringToObject(b, "KeyId", key);
	return kinesis_call(x->c, "StartStreamEncryption", name, b, err, cap);
}

/* Tags [{Key, Value}]: AddTagsToStream, 10 a call (its cap). */
static int kinesis_tags(struct rctx *x, const char *name, char *err, size_t cap)
{
	cJSON *all = tag_map(cJSON_GetObjectItemCaseSensitive(x->props, "Tags"));
	if (!all)
		return snprintf(err, cap, "out of memory"), -1;
	int rc = 0;
	for (const cJSON *t = all->child; t && rc == 0;) {
		cJSON *b = cJSON_CreateObject(), *m = cJSON_AddObjectToObject(b, "Tags");
		for (int n = 0; t && n < 10; n++, t = t->next)
			cJSON_AddStringToObject(m, t->string, t->valuestring);
		rc = kinesis_call(x->c, "AddTagsToStream", name, b, err, cap);
	}
	cJSON_Delete(all);
	return rc;
}

static int kinesis_create(struct rctx *x, char *err, size_t cap)
{
	char name[129], body[512];
	const char *given = prop_str(x->props, "Name");
	if (given)
		snprintf(name, sizeof name, "%s", given);
	else
		gen_name(x, name, sizeof name, false);
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(x->props, "ShardCount");
	char shards[32] = "1";
	if (sc && cfn_scalar_text(sc, shards, sizeof shards) != 0)
		return snprintf(err, cap, "ShardCount is not a number"), -1;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "StreamName", name);
	cJSON_AddNumberToObject(b, "ShardCount", strtod(shards, NULL));
	char *j = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	snprintf(body, sizeof body, "%s", j ? j : "{}");
	free(j);
	struct sim_response res;
	svc_call(x->c, SVC_KINESIS, "POST", "/", "Kinesis_20131202.CreateStream", body, &res);
	if (!svc_ok(&res))
		return svc_fail(&res, "Kinesis CreateStream", err, cap);
	sim_response_clear(&res);
	snprintf(x->r->physical, sizeof x->r->physical, "%s", name);
	for (int64_t end = now_ms() + CFN_WAIT_MS;
	     !sim_kinesis_stream_active(x->c->kinesis, name) && now_ms() < end;)
		sleep_ms(20);
	if (!sim_kinesis_stream_active(x->c->kinesis, name))
		return snprintf(err, cap, "Kinesis stream %s did not become ACTIVE", name), -1;
	if (kinesis_retention(x, name, err, cap) != 0 ||
	    kinesis_encryption(x, name, err, cap) != 0 || kinesis_tags(x, name, err, cap) != 0)
		return -1;
	char arn[300];
	snprintf(arn, sizeof arn, "arn:aws:kinesis:%s:%s:stream/%s", CFN_REGION, SIM_DEMO_ACCOUNT,
		 name);
	set_attr(x, "Arn", arn);
	return 0;
}

static int kinesis_delete(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap)
{
	char body[400];
	snprintf(body, sizeof body, "{\"StreamName\":\"%.200s\",\"EnforceConsumerDeletion\":true}",
		 r->physical);
	struct sim_response res;
	svc_call(c, SVC_KINESIS, "POST", "/", "Kinesis_20131202.DeleteStream", body, &res);
	if (res.status == 400 && res.error_code && strstr(res.error_code, "NotFound")) {
		sim_response_clear(&res);
		return 0;
	}
	if (!svc_ok(&res))
		return svc_fail(&res, "Kinesis DeleteStream", err, cap);
	sim_response_clear(&res);
	return 0;
}

static int bucket_create(struct rctx *x, char *err, size_t cap)
{
	char name[64], path[80];
	const char *given = prop_str(x->props, "BucketName");
	if (given)
		snprintf(name, sizeof name, "%s", given);
	else
		gen_name(x, name, sizeof name, true);
	snprintf(path, sizeof path, "/%s", name);
	struct sim_response res;
	svc_call(x->c, SVC_S3, "PUT", path, NULL, NULL, &res);
	if (!svc_ok(&res))
		return svc_fail(&res, "S3 CreateBucket", err, cap);
	sim_response_clear(&res);
	snprintf(x->r->physical, sizeof x->r->physical, "%s", name);
	char v[160];
	snprintf(v, sizeof v, "arn:aws:s3:::%s", name);
	set_attr(x, "Arn", v);
	snprintf(v, sizeof v, "%s.s3.amazonaws.com", name);
	set_attr(x, "DomainName", v);
	snprintf(v, sizeof v, "%s.s3.%s.amazonaws.com", name, CFN_REGION);
	set_attr(x, "RegionalDomainName", v);
	return 0;
}

static int bucket_delete(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap)
{
	char path[300];
	snprintf(path, sizeof path, "/%s", r->physical);
	struct sim_response res;
	svc_call(c, SVC_S3, "DELETE", path, NULL, NULL, &res);
	if (res.status == 404) {
		sim_response_clear(&res);
		return 0;
	}
	if (!svc_ok(&res))
		return svc_fail(&res, "S3 DeleteBucket", err, cap);
	sim_response_clear(&res);
	return 0;
}

/* ISO 8601 (2020-01-01T00:00:00Z) into epoch seconds; -1 when not. */
static long long iso_seconds(const char *s)
{
	struct tm tm = { 0 };
	const char *e = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!e || (*e && strcmp(e, "Z") && strcmp(e, ".000Z")))
		return -1;
	return (long long)timegm(&tm);
}

static int stream_create(struct rctx *x, char *err, size_t cap)
{
	const char *ledger = prop_str(x->props, "LedgerName");
	const char *name = prop_str(x->props, "StreamName");
	const char *role = prop_str(x->props, "RoleArn");
	const cJSON *kc = cJSON_GetObjectItemCaseSensitive(x->props, "KinesisConfiguration");
	const char *start = prop_str(x->props, "InclusiveStartTime");
	if (!ledger || !name || !role || !cJSON_IsObject(kc) || !start)
		return snprintf(err, cap,
				"Properties validation failed: LedgerName, StreamName, "
				"RoleArn, InclusiveStartTime and KinesisConfiguration "
				"are required"),
		       -1;
	long long t0 = iso_seconds(start);
	if (t0 < 0)
		return snprintf(err, cap, "InclusiveStartTime '%.40s' is not an ISO 8601 time",
				start),
		       -1;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "RoleArn", role);
	cJSON_AddNumberToObject(b, "InclusiveStartTime", (double)t0);
	const char *stop = prop_str(x->props, "ExclusiveEndTime");
	if (stop && iso_seconds(stop) >= 0)
		cJSON_AddNumberToObject(b, "ExclusiveEndTime", (double)iso_seconds(stop));
	cJSON_AddItemToObject(b, "KinesisConfiguration", cJSON_Duplicate(kc, 1));
	cJSON_AddStringToObject(b, "StreamName", name);
	char *body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	char path[128];
	snprintf(path, sizeof path, "/ledgers/%s/journal-kinesis-streams", ledger);
	struct sim_response res;
	svc_call(x->c, SVC_QLDB, "POST", path, NULL, body, &res);
	free(body);
	if (!svc_ok(&res))
		return svc_fail(&res, "QLDB StreamJournalToKinesis", err, cap);
	cJSON *j = svc_json(&res);
	sim_response_clear(&res);
	const char *id = prop_str(j, "StreamId");
	if (!id) {
		cJSON_Delete(j);
		return snprintf(err, cap, "QLDB StreamJournalToKinesis: no StreamId"), -1;
	}
	snprintf(x->r->physical, sizeof x->r->physical, "%s", id);
	snprintf(x->r->ledger, sizeof x->r->ledger, "%s", ledger);
	char arn[300];
	snprintf(arn, sizeof arn, "arn:aws:qldb:%s:%s:stream/%s/%s", CFN_REGION, SIM_DEMO_ACCOUNT,
		 ledger, id);
	set_attr(x, "Arn", arn);
	set_attr(x, "Id", id);
	cJSON_Delete(j);
	return 0;
}

static int stream_delete(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap)
{
	char path[400];
	snprintf(path, sizeof path, "/ledgers/%s/journal-kinesis-streams/%s", r->ledger,
		 r->physical);
	struct sim_response res;
	svc_call(c, SVC_QLDB, "DELETE", path, NULL, NULL, &res);
	if (res.status == 404 || res.status == 412) { /* ledger or stream gone, or ended */
		sim_response_clear(&res);
		return 0;
	}
	if (!svc_ok(&res))
		return svc_fail(&res, "QLDB CancelJournalKinesisStream", err, cap);
	sim_response_clear(&res);
	return 0;
}

/* AWS::CDK::Metadata: what a CDK app adds to its stacks (the CDK's
 * version and the constructs used, for AWS's usage statistics). It makes
 * nothing on AWS either: recorded, with a generated id. */
static int cdk_metadata_create(struct rctx *x, char *err, size_t cap)
{
	(void)err, (void)cap;
	gen_name(x, x->r->physical, sizeof x->r->physical, false);
	return 0;
}

static const struct rtype {
	const char *type;
	int (*create)(struct rctx *x, char *err, size_t cap);
	int (*del)(struct sim_cfn *c, struct cfn_res *r, char *err, size_t cap);
	const char *props; /* the properties it accepts, space separated */
} TYPES[] = {
	{ "AWS::QLDB::Ledger", ledger_create, ledger_delete,
	  " Name PermissionsMode DeletionProtection KmsKey Tags " },
	{ "AWS::QLDB::Stream", stream_create, stream_delete,
	  " LedgerName StreamName RoleArn InclusiveStartTime ExclusiveEndTime "
	  "KinesisConfiguration Tags " },
	{ "AWS::IAM::Role", role_create, recorded_delete,
	  " AssumeRolePolicyDocument Policies RoleName ManagedPolicyArns Path Description "
	  "MaxSessionDuration PermissionsBoundary Tags " },
	/* RetentionPeriodHours, StreamEncryption and the bucket's encryption,
	 * versioning and public-access settings are accepted and recorded by
	 * the template only: the endpoint's Kinesis and S3 keep data in the
	 * clear and have no such settings to apply */
	{ "AWS::Kinesis::Stream", kinesis_create, kinesis_delete,
	  " Name ShardCount RetentionPeriodHours StreamEncryption StreamModeDetails Tags " },
	{ "AWS::S3::Bucket", bucket_create, bucket_delete,
	  " BucketName BucketEncryption PublicAccessBlockConfiguration VersioningConfiguration "
	  "LifecycleConfiguration Tags " },
	{ "AWS::CDK::Metadata", cdk_metadata_create, recorded_delete, " Analytics Modules " },
};

static const struct rtype *type_of(const char *type)
{
	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
		if (!strcmp(TYPES[i].type, type))
			return &TYPES[i];
	return NULL;
}

/* ---- stacks ---- */

static void event(struct cfn_stack *s, const char *logical, const char *physical, const char *type,
		  const char *status, const char *reason)
{
	cJSON *e = cJSON_CreateObject();
	if (!e)
		return;
	char t[40], id[80];
	int64_t ms = now_ms();
	iso_time(ms, t);
	snprintf(id, sizeof id, "%s-%s-%d", logical, status, cJSON_GetArraySize(s->events) + 1);
	cJSON_AddStringToObject(e, "EventId", id);
	cJSON_AddStringToObject(e, "LogicalResourceId", logical);
	cJSON_AddStringToObject(e, "PhysicalResourceId", physical ? physical : "");
	cJSON_AddStringToObject(e, "ResourceType", type);
	cJSON_AddStringToObject(e, "Timestamp", t);
	cJSON_AddStringToObject(e, "ResourceStatus", status);
	if (reason)
		cJSON_AddStringToObject(e, "ResourceStatusReason", reason);
	cJSON_AddItemToArray(s->events, e);
}

static void stack_status(struct cfn_stack *s, const char *status, const char *reason)
{
	snprintf(s->status, sizeof s->status, "%s", status);
	snprintf(s->reason, sizeof s->reason, "%.500s", reason ? reason : "");
	event(s, s->name, s->id, "AWS::CloudFormation::Stack", status, reason);
}

static void res_status(struct cfn_stack *s, struct cfn_res *r, const char *status,
		       const char *reason)
{
	snprintf(r->status, sizeof r->status, "%s", status);
	r->ms = now_ms();
	event(s, r->logical, r->physical, r->type, status, reason);
}

/* Delete s's resources, newest first (those not yet deleted). Returns the
 * logical id list of failures (empty: all gone) in failed. */
static void delete_resources(struct sim_cfn *c, struct cfn_stack *s, char *failed, size_t cap)
{
	failed[0] = 0;
	for (size_t i = s->n_res; i-- > 0;) {
		struct cfn_res *r = &s->res[i];
		if (!strcmp(r->status, "DELETE_COMPLETE") || !strcmp(r->status, "DELETE_SKIPPED"))
			continue;
		if (!r->physical[0]) { /* never made */
			res_status(s, r, "DELETE_COMPLETE", NULL);
			continue;
		}
		if (r->retain) {
			res_status(s, r, "DELETE_SKIPPED", NULL);
			continue;
		}
		res_status(s, r, "DELETE_IN_PROGRESS", NULL);
		char err[CFN_ERR_MAX];
		const struct rtype *t = type_of(r->type);
		if (t && t->del(c, r, err, sizeof err) != 0) {
			res_status(s, r, "DELETE_FAILED", err);
			size_t n = strlen(failed);
			snprintf(failed + n, cap - n, "%s%s", n ? ", " : "", r->logical);
		} else
			res_status(s, r, "DELETE_COMPLETE", NULL);
	}
}

static struct cfn_stack *find_live(struct sim_cfn *c, const char *name_or_id)
{
	for (size_t i = c->n; i-- > 0;) {
		struct cfn_stack *s = c->stacks[i];
		if (!strcmp(s->id, name_or_id))
			return s;
		if (!strcmp(s->name, name_or_id) && strcmp(s->status, "DELETE_COMPLETE"))
			return s;
	}
	return NULL;
}

static bool name_valid(const char *n)
{
	if (!n || !isalpha((unsigned char)n[0]) || strlen(n) > 128)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '-')
			return false;
	return true;
}

/* Parameters.member.N.ParameterKey/ParameterValue into {key: value}. */
static cJSON *form_params(const struct form *f)
{
	cJSON *o = cJSON_CreateObject();
	for (int i = 1; o && i <= 200; i++) {
		char k[64], v[64];
		snprintf(k, sizeof k, "Parameters.member.%d.ParameterKey", i);
		snprintf(v, sizeof v, "Parameters.member.%d.ParameterValue", i);
		const char *key = form_get(f, k), *val = form_get(f, v);
		if (!key)
			break;
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		cJSON_AddStringToObject(o, key, val ? val : "");
	}
	return o;
}

static bool has_cap(const struct form *f, const char *cap)
{
	for (int i = 1; i <= 3; i++) {
		char k[48];
		snprintf(k, sizeof k, "Capabilities.member.%d", i);
		const char *v = form_get(f, k);
		if (v && !strcmp(v, cap))
			return true;
	}
	return false;
}

/* The capability the template's resources need (NULL: none). */
static const char *needed_cap(const cJSON *t)
{
	const char *need = NULL;
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(t, "Resources");
	for (const cJSON *r = rs ? rs->child : NULL; r; r = r->next) {
		const char *type = prop_str(r, "Type");
		if (type && !strncmp(type, "AWS::IAM::", 10)) {
			const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "Properties");
			if (cJSON_GetObjectItemCaseSensitive(p, "RoleName"))
				return "CAPABILITY_NAMED_IAM";
			need = "CAPABILITY_IAM";
		}
	}
	return need;
}

/* Refuse resource types that are not AWS-shaped (as CloudFormation's
 * validation does); AWS types the endpoint lacks fail at creation. */
static int check_types(const cJSON *t, char *err, size_t cap)
{
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(t, "Resources");
	for (const cJSON *r = rs->child; r; r = r->next) {
		const char *type = prop_str(r, "Type");
		if (!type || (strncmp(type, "AWS::", 5) && strncmp(type, "Custom::", 8)) ||
		    !strstr(type + 5, "::"))
			return snprintf(err, cap,
					"Template format error: Unrecognized resource types: "
					"[%.80s]",
					type ? type : "(none)"),
			       -1;
	}
	return 0;
}

static int load_template(const struct form *f, cJSON **t, char *err, size_t cap)
{
	const char *body = form_get(f, "TemplateBody");
	if (!body) {
		if (form_get(f, "TemplateURL"))
			return snprintf(err, cap,
					"TemplateURL is not supported by this endpoint: "
					"pass --template-body"),
			       -1;
		return snprintf(err, cap,
				"Either Template URL or Template Body must be specified."),
		       -1;
	}
	if (strlen(body) > CFN_TEMPLATE_MAX)
		return snprintf(err, cap,
				"1 validation error detected: Value at 'templateBody' failed to "
				"satisfy constraint: Member must have length less than or equal "
				"to %d",
				CFN_TEMPLATE_MAX),
		       -1;
	*t = cfn_template_parse(body, strlen(body), err, cap);
	if (!*t)
		return -1;
	if (check_types(*t, err, cap) != 0) {
		cJSON_Delete(*t);
		*t = NULL;
		return -1;
	}
	return 0;
}

static void validate_template(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	(void)c;
	char err[CFN_ERR_MAX];
	cJSON *t = NULL;
	if (load_template(f, &t, err, sizeof err) != 0) {
		validation(res, "%s", err);
		return;
	}
	struct buf b = { 0 };
	ok_open(&b, "ValidateTemplate");
	buf_append_str(&b, "<Parameters>");
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(t, "Parameters");
	for (const cJSON *p = ps ? ps->child : NULL; p; p = p->next) {
		char d[1024];
		buf_append_str(&b, "<member>");
		xml_el(&b, "ParameterKey", p->string);
		if (cfn_scalar_text(cJSON_GetObjectItemCaseSensitive(p, "Default"), d, sizeof d) ==
		    0)
			xml_el(&b, "DefaultValue", d);
		xml_el(&b, "NoEcho", prop_bool(p, "NoEcho", false) ? "true" : "false");
		xml_el(&b, "Description", prop_str(p, "Description"));
		buf_append_str(&b, "</member>");
	}
	buf_append_str(&b, "</Parameters>");
	xml_el(&b, "Description", prop_str(t, "Description"));
	const char *need = needed_cap(t);
	if (need) {
		buf_printf(&b, "<Capabilities><member>%s</member></Capabilities>", need);
		xml_el(&b, "CapabilitiesReason",
		       "The following resource(s) require capabilities: [AWS::IAM::Role]");
	}
	ok_close(&b, "ValidateTemplate", res);
	cJSON_Delete(t);
}

/* Run the creation of s from t; on a failure roll back. Called locked. */
static void stack_run(struct sim_cfn *c, struct cfn_stack *s, const cJSON *t, struct cfn_eval *ev,
		      const char **ids, int n)
{
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(t, "Resources");
	s->res = calloc((size_t)n + 1, sizeof *s->res);
	char failed_id[128] = "";
	for (int i = 0; s->res && i < n; i++) {
		const cJSON *def = cJSON_GetObjectItemCaseSensitive(rs, ids[i]);
		struct cfn_res *r = &s->res[s->n_res++];
		snprintf(r->logical, sizeof r->logical, "%s", ids[i]);
		snprintf(r->type, sizeof r->type, "%s", prop_str(def, "Type"));
		const char *policy = prop_str(def, "DeletionPolicy");
		r->retain = policy && !strcmp(policy, "Retain");
		res_status(s, r, "CREATE_IN_PROGRESS", NULL);
		char err[CFN_ERR_MAX] = "";
		const struct rtype *ty = type_of(r->type);
		cJSON *props = NULL;
		const cJSON *raw = cJSON_GetObjectItemCaseSensitive(def, "Properties");
		int rc = -1;
		if (!ty)
			snprintf(err, sizeof err,
				 "Resource type %s is not supported by this endpoint", r->type);
		else if (raw && !cJSON_IsObject(raw))
			snprintf(err, sizeof err, "Properties must be an object");
		else if (!(props = raw ? cfn_eval_resolve(ev, raw, err, sizeof err)
				       : cJSON_CreateObject()))
			;
		else {
			rc = 0;
			for (const cJSON *p = props->child; p && rc == 0; p = p->next) {
				char needle[80];
				snprintf(needle, sizeof needle, " %s ", p->string);
				if (!strstr(ty->props, needle)) {
					snprintf(err, sizeof err,
						 "Encountered unsupported property %.60s",
						 p->string);
					rc = -1;
				}
			}
			struct rctx x = { c, s, ev, r, props };
			if (rc == 0)
				rc = ty->create(&x, err, sizeof err);
		}
		cJSON_Delete(props);
		if (rc != 0) {
			res_status(s, r, "CREATE_FAILED", err);
			snprintf(failed_id, sizeof failed_id, "%s", r->logical);
			break;
		}
		cJSON_AddStringToObject(ev->phys, r->logical, r->physical);
		res_status(s, r, "CREATE_COMPLETE", NULL);
	}
	/* outputs, once everything is there */
	const cJSON *os = cJSON_GetObjectItemCaseSensitive(t, "Outputs");
	char err[CFN_ERR_MAX] = "";
	for (const cJSON *o = os && !failed_id[0] ? os->child : NULL; o; o = o->next) {
		const cJSON *cond = cJSON_GetObjectItemCaseSensitive(o, "Condition");
		if (cJSON_IsString(cond) &&
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev->conds, cond->valuestring)))
			continue;
		cJSON *v = cfn_eval_resolve(ev, cJSON_GetObjectItemCaseSensitive(o, "Value"), err,
					    sizeof err);
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(o, "Export"), "Name");
		cJSON *en = exp ? cfn_eval_resolve(ev, exp, err, sizeof err) : NULL;
		char vs[2048], es[512] = "";
		if (!v || cfn_scalar_text(v, vs, sizeof vs) != 0 || (exp && !en) ||
		    (en && cfn_scalar_text(en, es, sizeof es) != 0)) {
			if (!err[0])
				snprintf(err, sizeof err, "Output %.60s is not a scalar",
					 o->string);
			cJSON_Delete(v);
			cJSON_Delete(en);
			snprintf(failed_id, sizeof failed_id, "%.127s", s->name);
			break;
		}
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "Key", o->string);
		cJSON_AddStringToObject(item, "Value", vs);
		if (prop_str(o, "Description"))
			cJSON_AddStringToObject(item, "Description", prop_str(o, "Description"));
		if (es[0])
			cJSON_AddStringToObject(item, "Export", es);
		cJSON_AddItemToArray(s->outputs, item);
		cJSON_Delete(v);
		cJSON_Delete(en);
	}
	if (!failed_id[0]) {
		stack_status(s, "CREATE_COMPLETE", NULL);
		return;
	}
	char reason[512];
	if (err[0] && !strcmp(failed_id, s->name))
		snprintf(reason, sizeof reason, "%.300s. Rollback requested by user.", err);
	else
		snprintf(reason, sizeof reason,
			 "The following resource(s) failed to create: [%s]. Rollback requested by "
			 "user.",
			 failed_id);
	stack_status(s, "ROLLBACK_IN_PROGRESS", reason);
	char failed[512];
	/* a rollback deletes what it made, retained or protected or not (a
	 * ledger this failed operation made moments ago has no data to
	 * protect, and a rollback must leave nothing behind), except an
	 * adopted demo ledger, which was there before */
	for (size_t i = 0; i < s->n_res; i++) {
		struct cfn_res *r = &s->res[i];
		r->retain = false;
		if (r->adopted)
			r->physical[0] = 0;
		else if (r->physical[0] && !strcmp(r->type, "AWS::QLDB::Ledger"))
			ledger_unprotect(c, r->physical);
	}
	delete_resources(c, s, failed, sizeof failed);
	cJSON_Delete(s->outputs);
	s->outputs = cJSON_CreateArray();
	if (failed[0]) {
		snprintf(reason, sizeof reason,
			 "The following resource(s) failed to delete: [%.400s]. ", failed);
		stack_status(s, "ROLLBACK_FAILED", reason);
	} else
		stack_status(s, "ROLLBACK_COMPLETE", NULL);
}

static void create_stack(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	const char *name = form_get(f, "StackName");
	char err[CFN_ERR_MAX];
	if (!name_valid(name)) {
		validation(res,
			   "1 validation error detected: Value '%.60s' at 'stackName' failed to "
			   "satisfy constraint: Member must satisfy regular expression pattern: "
			   "[a-zA-Z][-a-zA-Z0-9]*",
			   name ? name : "");
		return;
	}
	if (find_live(c, name)) {
		char m[200];
		snprintf(m, sizeof m, "Stack [%s] already exists", name);
		error_xml(res, 400, "AlreadyExistsException", m);
		return;
	}
	cJSON *t = NULL;
	if (load_template(f, &t, err, sizeof err) != 0) {
		validation(res, "%s", err);
		return;
	}
	const char *need = needed_cap(t);
	if (need && !has_cap(f, need) && !has_cap(f, "CAPABILITY_NAMED_IAM")) {
		char m[120];
		snprintf(m, sizeof m, "Requires capabilities : [%s]", need);
		error_xml(res, 400, "InsufficientCapabilitiesException", m);
		cJSON_Delete(t);
		return;
	}
	if (c->n == CFN_STACKS_MAX) {
		error_xml(res, 400, "LimitExceededException", "too many stacks on this endpoint");
		cJSON_Delete(t);
		return;
	}
	struct cfn_stack *s = calloc(1, sizeof *s);
	cJSON *given = form_params(f);
	if (!s || !given) {
		free(s);
		cJSON_Delete(given);
		cJSON_Delete(t);
		error_xml(res, 500, "InternalFailure", "out of memory");
		return;
	}
	snprintf(s->name, sizeof s->name, "%s", name);
	unsigned long serial = ++c->serial;
	snprintf(s->id, sizeof s->id,
		 "arn:aws:cloudformation:%s:%s:stack/%s/%08lx-%04x-4%03x-8000-%012llx", CFN_REGION,
		 SIM_DEMO_ACCOUNT, name, serial, (unsigned)(now_ms() & 0xffff),
		 (unsigned)(serial & 0xfff), (unsigned long long)now_ms());
	struct cfn_eval ev;
	const char *ids[CFN_RESOURCES_MAX];
	int n = -1;
	if (cfn_eval_init(&ev, t, given, s->name, s->id, CFN_REGION, SIM_DEMO_ACCOUNT, err,
			  sizeof err) == 0)
		n = cfn_eval_order(&ev, ids, err, sizeof err);
	if (n < 0) {
		validation(res, "%s", err);
		cfn_eval_free(&ev);
		cJSON_Delete(given);
		cJSON_Delete(t);
		free(s);
		return;
	}
	s->created_ms = now_ms();
	snprintf(s->description, sizeof s->description, "%s",
		 prop_str(t, "Description") ? prop_str(t, "Description") : "");
	s->params = cJSON_CreateArray();
	s->outputs = cJSON_CreateArray();
	s->events = cJSON_CreateArray();
	s->caps = cJSON_CreateArray();
	for (const cJSON *p = ev.params->child; p; p = p->next) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "Key", p->string);
		cJSON_AddStringToObject(m, "Value", p->valuestring);
		cJSON_AddItemToArray(s->params, m);
	}
	for (int i = 1; i <= 3; i++) {
		char k[48];
		snprintf(k, sizeof k, "Capabilities.member.%d", i);
		if (form_get(f, k))
			cJSON_AddItemToArray(s->caps, cJSON_CreateString(form_get(f, k)));
	}
	c->stacks[c->n++] = s;
	stack_status(s, "CREATE_IN_PROGRESS", "User Initiated");
	stack_run(c, s, t, &ev, ids, n);
	cfn_eval_free(&ev);
	cJSON_Delete(given);
	cJSON_Delete(t);
	struct buf b = { 0 };
	ok_open(&b, "CreateStack");
	xml_el(&b, "StackId", s->id);
	ok_close(&b, "CreateStack", res);
}

static void stack_xml(struct buf *b, const struct cfn_stack *s)
{
	char t[40];
	buf_append_str(b, "<member>");
	xml_el(b, "StackName", s->name);
	xml_el(b, "StackId", s->id);
	if (s->description[0])
		xml_el(b, "Description", s->description);
	buf_append_str(b, "<Parameters>");
	for (const cJSON *p = s->params->child; p; p = p->next) {
		buf_append_str(b, "<member>");
		xml_el(b, "ParameterKey", prop_str(p, "Key"));
		xml_el(b, "ParameterValue", prop_str(p, "Value"));
		buf_append_str(b, "</member>");
	}
	buf_append_str(b, "</Parameters>");
	iso_time(s->created_ms, t);
	xml_el(b, "CreationTime", t);
	if (s->deleted_ms) {
		iso_time(s->deleted_ms, t);
		xml_el(b, "DeletionTime", t);
	}
	xml_el(b, "StackStatus", s->status);
	if (s->reason[0])
		xml_el(b, "StackStatusReason", s->reason);
	xml_el(b, "DisableRollback", "false");
	buf_append_str(b, "<Capabilities>");
	for (const cJSON *x = s->caps->child; x; x = x->next)
		xml_el(b, "member", x->valuestring);
	buf_append_str(b, "</Capabilities><Outputs>");
	for (const cJSON *o = s->outputs->child; o; o = o->next) {
		buf_append_str(b, "<member>");
		xml_el(b, "OutputKey", prop_str(o, "Key"));
		xml_el(b, "OutputValue", prop_str(o, "Value"));
		xml_el(b, "Description", prop_str(o, "Description"));
		xml_el(b, "ExportName", prop_str(o, "Export"));
		buf_append_str(b, "</member>");
	}
	buf_append_str(b, "</Outputs><Tags/>");
	buf_append_str(b, "</member>");
}

/* The stack StackName names, or a ValidationError answered (NULL). */
static struct cfn_stack *named(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	const char *name = form_get(f, "StackName");
	struct cfn_stack *s = name ? find_live(c, name) : NULL;
	if (!s)
		validation(res, "Stack with id %.130s does not exist", name ? name : "(none)");
	return s;
}

static void describe_stacks(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	struct cfn_stack *one = NULL;
	if (form_get(f, "StackName") && !(one = named(c, f, res)))
		return;
	struct buf b = { 0 };
	ok_open(&b, "DescribeStacks");
	buf_append_str(&b, "<Stacks>");
	for (size_t i = c->n; i-- > 0;)
		if (one ? c->stacks[i] == one
			: strcmp(c->stacks[i]->status, "DELETE_COMPLETE") != 0)
			stack_xml(&b, c->stacks[i]);
	buf_append_str(&b, "</Stacks>");
	ok_close(&b, "DescribeStacks", res);
}

static void describe_events(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	struct cfn_stack *s = named(c, f, res);
	if (!s)
		return;
	struct buf b = { 0 };
	ok_open(&b, "DescribeStackEvents");
	buf_append_str(&b, "<StackEvents>");
	for (int i = cJSON_GetArraySize(s->events); i-- > 0;) { /* newest first */
		const cJSON *e = cJSON_GetArrayItem(s->events, i);
		buf_append_str(&b, "<member>");
		xml_el(&b, "StackId", s->id);
		xml_el(&b, "EventId", prop_str(e, "EventId"));
		xml_el(&b, "StackName", s->name);
		xml_el(&b, "LogicalResourceId", prop_str(e, "LogicalResourceId"));
		xml_el(&b, "PhysicalResourceId", prop_str(e, "PhysicalResourceId"));
		xml_el(&b, "ResourceType", prop_str(e, "ResourceType"));
		xml_el(&b, "Timestamp", prop_str(e, "Timestamp"));
		xml_el(&b, "ResourceStatus", prop_str(e, "ResourceStatus"));
		xml_el(&b, "ResourceStatusReason", prop_str(e, "ResourceStatusReason"));
		buf_append_str(&b, "</member>");
	}
	buf_append_str(&b, "</StackEvents>");
	ok_close(&b, "DescribeStackEvents", res);
}

static void describe_resources(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	struct cfn_stack *s = named(c, f, res);
	if (!s)
		return;
	const char *only = form_get(f, "LogicalResourceId");
	struct buf b = { 0 };
	ok_open(&b, "DescribeStackResources");
	buf_append_str(&b, "<StackResources>");
	for (size_t i = 0; i < s->n_res; i++) {
		const struct cfn_res *r = &s->res[i];
		char t[40];
		if (only && strcmp(only, r->logical))
			continue;
		iso_time(r->ms, t);
		buf_append_str(&b, "<member>");
		xml_el(&b, "StackName", s->name);
		xml_el(&b, "StackId", s->id);
		xml_el(&b, "LogicalResourceId", r->logical);
		if (r->physical[0])
			xml_el(&b, "PhysicalResourceId", r->physical);
		xml_el(&b, "ResourceType", r->type);
		xml_el(&b, "Timestamp", t);
		xml_el(&b, "ResourceStatus", r->status);
		buf_append_str(&b, "</member>");
	}
	buf_append_str(&b, "</StackResources>");
	ok_close(&b, "DescribeStackResources", res);
}

static void list_stacks(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	struct buf b = { 0 };
	ok_open(&b, "ListStacks");
	buf_append_str(&b, "<StackSummaries>");
	for (size_t i = c->n; i-- > 0;) {
		const struct cfn_stack *s = c->stacks[i];
		bool want = !form_get(f, "StackStatusFilter.member.1");
		for (int k = 1; k <= 30 && !want; k++) {
			char key[48];
			snprintf(key, sizeof key, "StackStatusFilter.member.%d", k);
			want = form_get(f, key) && !strcmp(form_get(f, key), s->status);
		}
		if (!want)
			continue;
		char t[40];
		buf_append_str(&b, "<member>");
		xml_el(&b, "StackId", s->id);
		xml_el(&b, "StackName", s->name);
		if (s->description[0])
			xml_el(&b, "TemplateDescription", s->description);
		iso_time(s->created_ms, t);
		xml_el(&b, "CreationTime", t);
		if (s->deleted_ms) {
			iso_time(s->deleted_ms, t);
			xml_el(&b, "DeletionTime", t);
		}
		xml_el(&b, "StackStatus", s->status);
		if (s->reason[0])
			xml_el(&b, "StackStatusReason", s->reason);
		buf_append_str(&b, "</member>");
	}
	buf_append_str(&b, "</StackSummaries>");
	ok_close(&b, "ListStacks", res);
}

static void delete_stack(struct sim_cfn *c, const struct form *f, struct sim_response *res)
{
	const char *name = form_get(f, "StackName");
	if (!name) {
		validation(res, "1 validation error detected: Value null at 'stackName' failed to "
				"satisfy constraint: Member must not be null");
		return;
	}
	struct cfn_stack *s = find_live(c, name);
	/* deleting a stack that is not there succeeds, as on AWS */
	if (s && strcmp(s->status, "DELETE_COMPLETE")) {
		char failed[512];
		stack_status(s, "DELETE_IN_PROGRESS", "User Initiated");
		delete_resources(c, s, failed, sizeof failed);
		if (failed[0]) {
			char reason[600];
			snprintf(reason, sizeof reason,
				 "The following resource(s) failed to delete: [%s]. ", failed);
			stack_status(s, "DELETE_FAILED", reason);
		} else {
			s->deleted_ms = now_ms();
			stack_status(s, "DELETE_COMPLETE", NULL);
		}
	}
	struct buf b = { 0 };
	buf_append_str(&b, "<DeleteStackResponse xmlns=\"" CFN_XMLNS "\">");
	char id[QUERY_XML_ID_MAX];
	query_xml_request_id(CFN.id_prefix, id);
	buf_printf(&b,
		   "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
		   "</DeleteStackResponse>",
		   id);
	query_xml_respond(res, 200, &b);
}

static const struct {
	const char *action;
	void (*fn)(struct sim_cfn *c, const struct form *f, struct sim_response *res);
} ACTIONS[] = {
	{ "ValidateTemplate", validate_template },
	{ "CreateStack", create_stack },
	{ "DescribeStacks", describe_stacks },
	{ "DescribeStackEvents", describe_events },
	{ "DescribeStackResources", describe_resources },
	{ "ListStacks", list_stacks },
	{ "DeleteStack", delete_stack },
};

void sim_cfn_handle(struct sim_cfn *c, const struct sim_request *req, struct sim_response *res)
{
	if (strcmp(req->method, "POST") != 0 || strcmp(req->path, "/") != 0) {
		error_xml(res, 400, "InvalidAction",
			  "CloudFormation takes POST / with a form body (Action=...)");
		return;
	}
	struct form f;
	char err[120];
	if (form_parse(req, &f, err, sizeof err) != 0) {
		free(f.store);
		error_xml(res, 400, "MalformedQueryString", err);
		return;
	}
	const char *action = form_get(&f, "Action");
	if (!action) {
		free(f.store);
		error_xml(res, 400, "MissingAction", "Missing Action");
		return;
	}
	for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
		if (!strcmp(ACTIONS[i].action, action)) {
			/* one stack operation at a time: creation calls the other
			 * services and must not interleave with a delete */
			pthread_mutex_lock(&c->mu);
			ACTIONS[i].fn(c, &f, res);
			pthread_mutex_unlock(&c->mu);
			free(f.store);
			return;
		}
	char m[120];
	snprintf(m, sizeof m, "Could not find operation %.60s for version 2010-05-15", action);
	free(f.store);
	error_xml(res, 400, "InvalidAction", m);
}
