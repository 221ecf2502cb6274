/*
 * qldb_streams.c - journal streams and exports: the JSON member readers,
 * the four parsers and the calls with NextToken paging (see
 * qldb_streams.h). Shapes: docs/aws-api.md §2.3; enums §2.4.
 */
#include "api/qldb_streams.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "api/s3.h" /* s3_encode: RFC 3986, for NextToken in the query */

/* ---- JSON member readers ---------------------------------------------- */

cJSON *jfield_parse_object(const struct jfield *x, const char *json, size_t len)
{
	if (!json || json[len] != '\0') {
		api_error_set(x->err, API_ERR_PARSE, "%s: response buffer is not terminated",
			      x->op);
		return NULL;
	}
	char why[API_ERROR_MSG_MAX];
	cJSON *root = json_strict_parse(json, len, x->op, why, sizeof why);
	if (!root) {
		api_error_set(x->err, API_ERR_PARSE, "%s", why);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		api_error_set(x->err, API_ERR_PARSE, "%s: expected a JSON object, got %s", x->op,
			      json_type_name(root));
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static const cJSON *jfield_member(const struct jfield *x, const cJSON *obj, const char *path,
				  const char *key, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsNull(v))
		v = NULL;
	if (!v && required)
		api_error_set(x->err, API_ERR_PARSE, "%s: %s%s is missing", x->op, path, key);
	return v;
}

static int jfield_wrong(const struct jfield *x, const char *path, const char *key, const char *want,
			const cJSON *v)
{
	return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: expected %s, got %s", x->op, path,
			     key, want, json_type_name(v));
}

int jfield_string(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		  bool required, char *dst, size_t cap)
{
	dst[0] = '\0';
	const cJSON *v = jfield_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return jfield_wrong(x, path, key, "a string", v);
	size_t n = strlen(v->valuestring);
	if (n >= cap)
		return api_error_set(x->err, API_ERR_LIMIT, "%s: %s%s: longer than %zu bytes",
				     x->op, path, key, cap - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v->valuestring[i] < 0x20 || v->valuestring[i] == 0x7f)
			return api_error_set(x->err, API_ERR_PARSE,
					     "%s: %s%s: control character at offset %zu", x->op,
					     path, key, i);
	memcpy(dst, v->valuestring, n + 1);
	return 0;
}

int jfield_enum(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		bool required, const char *const *values, char *dst, size_t cap)
{
	int rc = jfield_string(x, obj, path, key, required, dst, cap);
	if (rc || !dst[0])
		return rc;
	for (const char *const *v = values; *v; v++)
		if (strcmp(*v, dst) == 0)
			return 0;
	rc = api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: unknown value \"%.40s\"", x->op, path,
			   key, dst);
	dst[0] = '\0';
	return rc;
}

int jfield_time(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		bool required, double *out, bool *has)
{
	*has = false;
	*out = 0;
	const cJSON *v = jfield_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsNumber(v))
		return jfield_wrong(x, path, key, "epoch seconds (a number)", v);
	if (!isfinite(v->valuedouble) || v->valuedouble < 0 || v->valuedouble > 32503680000.0)
		return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: not a valid time", x->op,
				     path, key);
	*out = v->valuedouble;
	*has = true;
	return 0;
}

int jfield_bool(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		bool required, bool *out, bool *has)
{
	*has = false;
	*out = false;
	const cJSON *v = jfield_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsBool(v))
		return jfield_wrong(x, path, key, "a boolean", v);
	*out = cJSON_IsTrue(v);
	*has = true;
	return 0;
}

int jfield_uint(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		bool required, uint64_t max, uint64_t *out, bool *has)
{
	*has = false;
	*out = 0;
	const cJSON *v = jfield_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsNumber(v))
		return jfield_wrong(x, path, key, "a number", v);
	double d = v->valuedouble;
	/* 2^53: beyond it a double no longer holds every integer */
	if (!isfinite(d) || d < 0 || d != floor(d) || d > 9007199254740992.0 || d > (double)max)
		return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: not an integer in 0..%llu",
				     x->op, path, key, (unsigned long long)max);
	*out = (uint64_t)d;
	*has = true;
	return 0;
}

int jfield_object(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		  bool required, const cJSON **out)
{
	*out = jfield_member(x, obj, path, key, required);
	if (!*out)
		return required ? x->err->status : 0;
	if (!cJSON_IsObject(*out)) {
		int rc = jfield_wrong(x, path, key, "an object", *out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int jfield_array(const struct jfield *x, const cJSON *obj, const char *path, const char *key,
		 bool required, const cJSON **out)
{
	*out = jfield_member(x, obj, path, key, required);
	if (!*out)
		return required ? x->err->status : 0;
	if (!cJSON_IsArray(*out)) {
		int rc = jfield_wrong(x, path, key, "an array", *out);
		*out = NULL;
		return rc;
	}
	return 0;
}

/* ---- shapes ------------------------------------------------------------ */

static const char *const STREAM_STATUS[] = { "ACTIVE", "COMPLETED", "CANCELED",
					     "FAILED", "IMPAIRED",  NULL };
static const char *const ERROR_CAUSE[] = { "KINESIS_STREAM_NOT_FOUND", "IAM_PERMISSION_REVOKED",
					   NULL };
static const char *const EXPORT_STATUS[] = { "IN_PROGRESS", "COMPLETED", "CANCELLED", NULL };
static const char *const OUTPUT_FORMAT[] = { "ION_BINARY", "ION_TEXT", "JSON", NULL };
static const char *const ENCRYPTION[] = { "SSE_KMS", "SSE_S3", "NO_ENCRYPTION", NULL };

bool qldb_id_is_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9')))
			return false;
	return n == QLDB_ID_LEN;
}

/* A member that must be a ledger name or an id. */
static int check_name(const struct jfield *x, const char *path, const char *key, const char *v,
		      bool id)
{
	if (id ? qldb_id_is_valid(v) : qldb_name_is_valid(v))
		return 0;
	return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s is not a valid %s", x->op, path, key,
			     id ? "id (22 base62 characters)" : "name");
}

/* JournalKinesisStreamDescription. */
static int stream_read(const struct jfield *x, const cJSON *o, const char *path,
		       struct qldb_journal_stream *s)
{
	memset(s, 0, sizeof *s);
	char kpath[64];
	snprintf(kpath, sizeof kpath, "%sKinesisConfiguration.", path);
	const cJSON *k;
	int rc;
	if ((rc = jfield_string(x, o, path, "LedgerName", true, s->ledger, sizeof s->ledger)) ||
	    (rc = check_name(x, path, "LedgerName", s->ledger, false)) ||
	    (rc = jfield_string(x, o, path, "RoleArn", true, s->role_arn, sizeof s->role_arn)) ||
	    (rc = jfield_string(x, o, path, "StreamId", true, s->stream_id, sizeof s->stream_id)) ||
	    (rc = check_name(x, path, "StreamId", s->stream_id, true)) ||
	    (rc = jfield_enum(x, o, path, "Status", true, STREAM_STATUS, s->status,
			      sizeof s->status)) ||
	    (rc = jfield_object(x, o, path, "KinesisConfiguration", true, &k)) ||
	    (rc = jfield_string(x, k, kpath, "StreamArn", true, s->kinesis_arn,
				sizeof s->kinesis_arn)) ||
	    (rc = jfield_bool(x, k, kpath, "AggregationEnabled", false, &s->aggregation,
			      &s->has_aggregation)) ||
	    (rc = jfield_string(x, o, path, "StreamName", true, s->stream_name,
				sizeof s->stream_name)) ||
	    (rc = check_name(x, path, "StreamName", s->stream_name, false)) ||
	    (rc = jfield_time(x, o, path, "CreationTime", false, &s->created, &s->has_created)) ||
	    (rc = jfield_time(x, o, path, "InclusiveStartTime", false, &s->start, &s->has_start)) ||
	    (rc = jfield_time(x, o, path, "ExclusiveEndTime", false, &s->end, &s->has_end)) ||
	    (rc = jfield_string(x, o, path, "Arn", false, s->arn, sizeof s->arn)) ||
	    (rc = jfield_enum(x, o, path, "ErrorCause", false, ERROR_CAUSE, s->error_cause,
			      sizeof s->error_cause)))
		return rc;
	return 0;
}

/* JournalS3ExportDescription. */
static int export_read(const struct jfield *x, const cJSON *o, const char *path,
		       struct qldb_journal_export *e)
{
	memset(e, 0, sizeof *e);
	char cpath[64], epath[96];
	snprintf(cpath, sizeof cpath, "%sS3ExportConfiguration.", path);
	snprintf(epath, sizeof epath, "%sEncryptionConfiguration.", cpath);
	const cJSON *cfg, *enc;
	bool has;
	int rc;
	if ((rc = jfield_string(x, o, path, "LedgerName", true, e->ledger, sizeof e->ledger)) ||
	    (rc = check_name(x, path, "LedgerName", e->ledger, false)) ||
	    (rc = jfield_string(x, o, path, "ExportId", true, e->export_id, sizeof e->export_id)) ||
	    (rc = check_name(x, path, "ExportId", e->export_id, true)) ||
	    (rc = jfield_time(x, o, path, "ExportCreationTime", true, &e->created, &has)) ||
	    (rc = jfield_enum(x, o, path, "Status", true, EXPORT_STATUS, e->status,
			      sizeof e->status)) ||
	    (rc = jfield_time(x, o, path, "InclusiveStartTime", true, &e->start, &has)) ||
	    (rc = jfield_time(x, o, path, "ExclusiveEndTime", true, &e->end, &has)) ||
	    (rc = jfield_object(x, o, path, "S3ExportConfiguration", true, &cfg)) ||
	    (rc = jfield_string(x, cfg, cpath, "Bucket", true, e->bucket, sizeof e->bucket)) ||
	    (rc = jfield_string(x, cfg, cpath, "Prefix", true, e->prefix, sizeof e->prefix)) ||
	    (rc = jfield_object(x, cfg, cpath, "EncryptionConfiguration", true, &enc)) ||
	    (rc = jfield_enum(x, enc, epath, "ObjectEncryptionType", true, ENCRYPTION,
			      e->encryption, sizeof e->encryption)) ||
	    (rc = jfield_string(x, enc, epath, "KmsKeyArn", false, e->kms_key_arn,
				sizeof e->kms_key_arn)) ||
	    (rc = jfield_string(x, o, path, "RoleArn", true, e->role_arn, sizeof e->role_arn)) ||
	    (rc = jfield_enum(x, o, path, "OutputFormat", false, OUTPUT_FORMAT, e->output_format,
			      sizeof e->output_format)))
		return rc;
	if (strlen(e->bucket) < 3)
		return api_error_set(x->err, API_ERR_PARSE,
				     "%s: %sBucket: shorter than 3 characters", x->op, cpath);
	return 0;
}

/* Grow an items array by one; NULL with err on failure. */
static void *list_slot(const struct jfield *x, void **items, size_t *n, size_t *cap, size_t size)
{
	if (*n >= QLDB_STREAMS_MAX_ITEMS) {
		api_error_set(x->err, API_ERR_LIMIT, "%s: more than %d items", x->op,
			      QLDB_STREAMS_MAX_ITEMS);
		return NULL;
	}
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*items, c * size);
		if (!p) {
			api_error_set(x->err, API_ERR_NOMEM, "%s: out of memory", x->op);
			return NULL;
		}
		*items = p;
		*cap = c;
	}
	return (char *)*items + (*n) * size;
}

/* A list page: key names the array; each item through read. */
static int list_parse(const struct jfield *x, const char *json, size_t len, const char *key,
		      void **items, size_t *n, size_t *cap, size_t size, char *next_token,
		      int (*read)(const struct jfield *, const cJSON *, const char *, void *))
{
	api_error_clear(x->err);
	next_token[0] = '\0';
	cJSON *root = jfield_parse_object(x, json, len);
	if (!root)
		return x->err->status;
	size_t first = *n;
	const cJSON *arr, *item;
	int rc = jfield_array(x, root, "", key, false, &arr);
	size_t i = 0;
	if (!rc)
		cJSON_ArrayForEach(item, arr)
		{
			char path[64];
			snprintf(path, sizeof path, "%s[%zu].", key, i++);
			if (!cJSON_IsObject(item)) {
				rc = api_error_set(x->err, API_ERR_PARSE,
						   "%s: %s expected an object, got %s", x->op, path,
						   json_type_name(item));
				break;
			}
			void *slot = list_slot(x, items, n, cap, size);
			if (!slot || (rc = read(x, item, path, slot))) {
				rc = rc ? rc : x->err->status;
				break;
			}
			(*n)++;
		}
	if (!rc)
		rc = jfield_string(x, root, "", "NextToken", false, next_token, QLDB_TOKEN_MAX + 1);
	if (!rc && next_token[0] && strlen(next_token) < 4)
		rc = api_error_set(x->err, API_ERR_PARSE, "%s: NextToken shorter than 4 characters",
				   x->op);
	if (rc) {
		*n = first; /* a page is taken whole or not at all */
		next_token[0] = '\0';
	}
	cJSON_Delete(root);
	return rc;
}

static int stream_read_v(const struct jfield *x, const cJSON *o, const char *path, void *out)
{
	return stream_read(x, o, path, out);
}
static int export_read_v(const struct jfield *x, const cJSON *o, const char *path, void *out)
{
	return export_read(x, o, path, out);
}

int qldb_parse_list_journal_streams(const char *json, size_t len, struct qldb_stream_list *out,
				    struct api_error *err)
{
	struct jfield x = { "ListJournalKinesisStreamsForLedger", err };
	return list_parse(&x, json, len, "Streams", (void **)&out->items, &out->n, &out->cap,
			  sizeof *out->items, out->next_token, stream_read_v);
}

int qldb_parse_list_journal_exports(const char *json, size_t len, struct qldb_export_list *out,
				    struct api_error *err)
{
	struct jfield x = { "ListJournalS3ExportsForLedger", err };
	return list_parse(&x, json, len, "JournalS3Exports", (void **)&out->items, &out->n,
			  &out->cap, sizeof *out->items, out->next_token, export_read_v);
}

/* A describe answer: {KEY: description}. */
static int describe_parse(const struct jfield *x, const char *json, size_t len, const char *key,
			  void *out, size_t size,
			  int (*read)(const struct jfield *, const cJSON *, const char *, void *))
{
	memset(out, 0, size);
	api_error_clear(x->err);
	cJSON *root = jfield_parse_object(x, json, len);
	if (!root)
		return x->err->status;
	const cJSON *o;
	char path[48];
	snprintf(path, sizeof path, "%s.", key);
	int rc = jfield_object(x, root, "", key, true, &o);
	if (!rc)
		rc = read(x, o, path, out);
	if (rc)
		memset(out, 0, size);
	cJSON_Delete(root);
	return rc;
}

int qldb_parse_describe_journal_stream(const char *json, size_t len,
				       struct qldb_journal_stream *out, struct api_error *err)
{
	struct jfield x = { "DescribeJournalKinesisStream", err };
	return describe_parse(&x, json, len, "Stream", out, sizeof *out, stream_read_v);
}

int qldb_parse_describe_journal_export(const char *json, size_t len,
				       struct qldb_journal_export *out, struct api_error *err)
{
	struct jfield x = { "DescribeJournalS3Export", err };
	return describe_parse(&x, json, len, "ExportDescription", out, sizeof *out, export_read_v);
}

void qldb_stream_list_free(struct qldb_stream_list *l)
{
	if (!l)
		return;
	free(l->items);
	memset(l, 0, sizeof *l);
}

void qldb_export_list_free(struct qldb_export_list *l)
{
	if (!l)
		return;
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* ---- calls ------------------------------------------------------------- */

/* GET path?query and hand the body to parse(out). */
static int get_parse(struct http_client *c, const char *op, const char *path, const char *query,
		     int (*parse)(const char *, size_t, void *, struct api_error *), void *out,
		     struct api_error *err)
{
	struct http_request req = { .op = op,
				    .method = "GET",
				    .path = path,
				    .query = query,
				    .max_response = QLDB_STREAMS_RESPONSE_MAX };
	struct http_response resp;
	int rc = http_request_perform(c, &req, &resp, err);
	if (rc)
		return rc;
	if (!resp.body) {
		http_response_free(&resp);
		return api_error_set(err, API_ERR_PARSE, "%s: empty response body", op);
	}
	rc = parse(resp.body, resp.len, out, err);
	http_response_free(&resp);
	return rc;
}

/* Follow NextToken: each page through parse, which appends and sets the
 * token at tok. Stops at the end, a repeated token, or the page cap. */
static int list_all(struct http_client *c, const char *op, const char *ledger, const char *what,
		    int (*parse)(const char *, size_t, void *, struct api_error *), void *out,
		    char *tok, struct api_error *err)
{
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid ledger name",
				     op, ledger);
	char path[48 + QLDB_NAME_MAX], query[64 + 3 * QLDB_TOKEN_MAX];
	char prev[QLDB_TOKEN_MAX + 1] = "", enc[3 * QLDB_TOKEN_MAX + 1];
	snprintf(path, sizeof path, "/ledgers/%s/%s", ledger, what);
	tok[0] = '\0';
	for (unsigned page = 0; page < QLDB_STREAMS_MAX_PAGES; page++) {
		/* sorted by name, encoded: what curl 7.88's signer needs */
		if (page == 0) {
			snprintf(query, sizeof query, "max_results=100");
		} else {
			if (s3_encode(tok, false, enc, sizeof enc) < 0)
				return api_error_set(err, API_ERR_LIMIT, "%s: NextToken too long",
						     op);
			snprintf(query, sizeof query, "max_results=100&next_token=%s", enc);
			snprintf(prev, sizeof prev, "%s", tok);
		}
		int rc = get_parse(c, op, path, query, parse, out, err);
		if (rc)
			return rc;
		if (!tok[0])
			return 0;
		if (strcmp(tok, prev) == 0)
			return api_error_set(err, API_ERR_PARSE,
					     "%s: the service gave the same NextToken twice", op);
	}
	return api_error_set(err, API_ERR_LIMIT, "%s: more than %d pages", op,
			     QLDB_STREAMS_MAX_PAGES);
}

static int parse_streams_v(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_list_journal_streams(j, n, o, e);
}
static int parse_exports_v(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_list_journal_exports(j, n, o, e);
}
static int parse_stream_v(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_describe_journal_stream(j, n, o, e);
}
static int parse_export_v(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_describe_journal_export(j, n, o, e);
}

int qldb_list_journal_streams(struct http_client *c, const char *ledger,
			      struct qldb_stream_list *out, struct api_error *err)
{
	return list_all(c, "ListJournalKinesisStreamsForLedger", ledger, "journal-kinesis-streams",
			parse_streams_v, out, out->next_token, err);
}

int qldb_list_journal_exports(struct http_client *c, const char *ledger,
			      struct qldb_export_list *out, struct api_error *err)
{
	return list_all(c, "ListJournalS3ExportsForLedger", ledger, "journal-s3-exports",
			parse_exports_v, out, out->next_token, err);
}

static int describe_one(struct http_client *c, const char *op, const char *ledger, const char *what,
			const char *id,
			int (*parse)(const char *, size_t, void *, struct api_error *), void *out,
			struct api_error *err)
{
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid ledger name",
				     op, ledger);
	if (!qldb_id_is_valid(id))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid id", op, id);
	char path[64 + QLDB_NAME_MAX + QLDB_ID_LEN];
	snprintf(path, sizeof path, "/ledgers/%s/%s/%s", ledger, what, id);
	return get_parse(c, op, path, NULL, parse, out, err);
}

int qldb_describe_journal_stream(struct http_client *c, const char *ledger, const char *stream_id,
				 struct qldb_journal_stream *out, struct api_error *err)
{
	return describe_one(c, "DescribeJournalKinesisStream", ledger, "journal-kinesis-streams",
			    stream_id, parse_stream_v, out, err);
}

int qldb_describe_journal_export(struct http_client *c, const char *ledger, const char *export_id,
				 struct qldb_journal_export *out, struct api_error *err)
{
	return describe_one(c, "DescribeJournalS3Export", ledger, "journal-s3-exports", export_id,
			    parse_export_v, out, err);
}

/* ---- the mutating calls (the dashboard's jobs, api/jobs.h) ------------ */

/* Send body (taken) to path with method and read {key: "<22-char id>"}
 * into id. Never retried once sent (not_idempotent): a second export or
 * stream would be a second action. */
static int act_id(struct http_client *c, const char *op, const char *method, const char *path,
		  cJSON *body, const char *key, char id[QLDB_ID_LEN + 1], struct api_error *err)
{
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (body && !text)
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", op);
	struct http_request req = { .op = op,
				    .method = method,
				    .path = path,
				    .body = text,
				    .body_len = text ? strlen(text) : 0,
				    .max_response = QLDB_RESPONSE_MAX,
				    .not_idempotent = true };
	struct http_response resp;
	int rc = http_request_perform(c, &req, &resp, err);
	free(text);
	if (rc)
		return rc;
	struct jfield x = { .op = op, .err = err };
	cJSON *o = resp.body ? jfield_parse_object(&x, resp.body, resp.len) : NULL;
	if (!resp.body)
		rc = api_error_set(err, API_ERR_PARSE, "%s: empty response body", op);
	else if (!o)
		rc = err->status ? err->status : API_ERR_PARSE;
	else if ((rc = jfield_string(&x, o, "", key, true, id, QLDB_ID_LEN + 1)) == 0 &&
		 !qldb_id_is_valid(id))
		rc = api_error_set(err, API_ERR_PARSE, "%s: %s: not a 22-character id", op, key);
	cJSON_Delete(o);
	http_response_free(&resp);
	return rc;
}

static int check_ledger(const char *op, const char *ledger, struct api_error *err)
{
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid ledger name",
				     op, ledger);
	return 0;
}

int qldb_export_journal_to_s3(struct http_client *c, const char *ledger,
			      const struct qldb_export_request *r, char export_id[QLDB_ID_LEN + 1],
			      struct api_error *err)
{
	const char *op = "ExportJournalToS3";
	int rc = check_ledger(op, ledger, err);
	if (rc)
		return rc;
	if (!(r->end > r->start))
		return api_error_set(err, API_ERR_CONFIG, "%s: the time range is empty", op);
	cJSON *b = cJSON_CreateObject();
	cJSON *s3 = cJSON_AddObjectToObject(b, "S3ExportConfiguration");
	cJSON *enc = s3 ? cJSON_AddObjectToObject(s3, "EncryptionConfiguration") : NULL;
	if (!enc) {
		cJSON_Delete(b);
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", op);
	}
	cJSON_AddNumberToObject(b, "InclusiveStartTime", r->start);
	cJSON_AddNumberToObject(b, "ExclusiveEndTime", r->end);
	cJSON_AddStringToObject(s3, "Bucket", r->bucket);
	cJSON_AddStringToObject(s3, "Prefix", r->prefix);
	cJSON_AddStringToObject(enc, "ObjectEncryptionType",
				r->encryption[0] ? r->encryption : "SSE_S3");
	if (r->kms_key_arn[0])
		cJSON_AddStringToObject(enc, "KmsKeyArn", r->kms_key_arn);
	cJSON_AddStringToObject(b, "RoleArn", r->role_arn);
	if (r->output_format[0])
		cJSON_AddStringToObject(b, "OutputFormat", r->output_format);
	char path[32 + QLDB_NAME_MAX];
	snprintf(path, sizeof path, "/ledgers/%s/journal-s3-exports", ledger);
	return act_id(c, op, "POST", path, b, "ExportId", export_id, err);
}

int qldb_stream_journal_to_kinesis(struct http_client *c, const char *ledger,
				   const struct qldb_stream_request *r,
				   char stream_id[QLDB_ID_LEN + 1], struct api_error *err)
{
	const char *op = "StreamJournalToKinesis";
	int rc = check_ledger(op, ledger, err);
	if (rc)
		return rc;
	if (!qldb_name_is_valid(r->stream_name))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid stream name",
				     op, r->stream_name);
	cJSON *b = cJSON_CreateObject();
	cJSON *k = b ? cJSON_AddObjectToObject(b, "KinesisConfiguration") : NULL;
	if (!k) {
		cJSON_Delete(b);
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", op);
	}
	cJSON_AddStringToObject(b, "RoleArn", r->role_arn);
	cJSON_AddNumberToObject(b, "InclusiveStartTime", r->start);
	cJSON_AddStringToObject(k, "StreamArn", r->kinesis_arn);
	cJSON_AddBoolToObject(k, "AggregationEnabled", r->aggregation);
	cJSON_AddStringToObject(b, "StreamName", r->stream_name);
	char path[40 + QLDB_NAME_MAX];
	snprintf(path, sizeof path, "/ledgers/%s/journal-kinesis-streams", ledger);
	return act_id(c, op, "POST", path, b, "StreamId", stream_id, err);
}

int qldb_cancel_journal_stream(struct http_client *c, const char *ledger, const char *stream_id,
			       struct api_error *err)
{
	const char *op = "CancelJournalKinesisStream";
	int rc = check_ledger(op, ledger, err);
	if (rc)
		return rc;
	if (!qldb_id_is_valid(stream_id))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid id", op,
				     stream_id);
	char path[48 + QLDB_NAME_MAX + QLDB_ID_LEN];
	snprintf(path, sizeof path, "/ledgers/%s/journal-kinesis-streams/%s", ledger, stream_id);
	char id[QLDB_ID_LEN + 1];
	return act_id(c, op, "DELETE", path, NULL, "StreamId", id, err);
}
