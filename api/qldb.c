/*
 * qldb.c - ListLedgers, DescribeLedger and GetDigest: requests and
 * type-checked response parsing with cJSON (see qldb.h).
 *
 * cJSON rules we keep (docs/reliability-perf.md §3.4): parse with a length
 * on a NUL-terminated buffer and require the whole buffer to be one value
 * (plain cJSON_Parse accepts trailing garbage); look members up
 * case-sensitively; never read numbers through valueint.
 */
#include "api/qldb.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/base64.h"

/* The parse context: which operation, for messages. */
struct jctx {
	const char *op;
	struct api_error *err;
};

static const char *json_type_name(const cJSON *v)
{
	static const struct {
		int type;
		const char *name;
	} NAMES[] = {
		{ cJSON_False, "boolean" }, { cJSON_True, "boolean" },	{ cJSON_NULL, "null" },
		{ cJSON_Number, "number" }, { cJSON_String, "string" }, { cJSON_Array, "array" },
		{ cJSON_Object, "object" }, { cJSON_Raw, "raw" },
	};
	for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
		if ((v->type & 0xff) == NAMES[i].type)
			return NAMES[i].name;
	return "invalid";
}

/* Parse the whole buffer as one JSON object. */
static cJSON *json_parse_object(const struct jctx *x, const char *json, size_t len)
{
	if (!json || json[len] != '\0') {
		api_error_set(x->err, API_ERR_PARSE, "%s: response buffer is not terminated",
			      x->op);
		return NULL;
	}
	const char *end = NULL;
	/* len + 1 covers the NUL, which require_null_terminated wants to see */
	cJSON *root = cJSON_ParseWithLengthOpts(json, len + 1, &end, 1);
	if (!root) {
		size_t at = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
		api_error_set(x->err, API_ERR_PARSE, "%s: malformed JSON at byte %zu", x->op, at);
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

/* Look up key; report a missing required member. Returns NULL when absent
 * (err set only if required). JSON null counts as absent. */
static const cJSON *json_member(const struct jctx *x, const cJSON *obj, const char *path,
				const char *key, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsNull(v))
		v = NULL;
	if (!v && required)
		api_error_set(x->err, API_ERR_PARSE, "%s: %s%s is missing", x->op, path, key);
	return v;
}

static int json_wrong_type(const struct jctx *x, const char *path, const char *key,
			   const char *want, const cJSON *v)
{
	return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: expected %s, got %s", x->op, path,
			     key, want, json_type_name(v));
}

/* Copy a string member into dst; "" when absent and optional. Control
 * characters are refused: these strings end up on the screen. */
static int json_get_string(const struct jctx *x, const cJSON *obj, const char *path,
			   const char *key, bool required, char *dst, size_t cap)
{
	dst[0] = '\0';
	const cJSON *v = json_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return json_wrong_type(x, path, key, "a string", v);
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

/* Epoch-seconds timestamp (a finite number); *has false when absent. */
static int json_get_time(const struct jctx *x, const cJSON *obj, const char *path, const char *key,
			 double *out, bool *has)
{
	*has = false;
	*out = 0;
	const cJSON *v = json_member(x, obj, path, key, false);
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return json_wrong_type(x, path, key, "epoch seconds (a number)", v);
	if (!isfinite(v->valuedouble) || v->valuedouble < 0)
		return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s: not a valid time", x->op,
				     path, key);
	*out = v->valuedouble;
	*has = true;
	return 0;
}

static int json_get_bool(const struct jctx *x, const cJSON *obj, const char *path, const char *key,
			 bool *out, bool *has)
{
	*has = false;
	*out = false;
	const cJSON *v = json_member(x, obj, path, key, false);
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return json_wrong_type(x, path, key, "a boolean", v);
	*out = cJSON_IsTrue(v);
	*has = true;
	return 0;
}

bool qldb_name_is_valid(const char *name)
{
	size_t n = 0;
	for (; name[n]; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
		      (name[n] >= '0' && name[n] <= '9') || name[n] == '-'))
			return false;
	return n >= 1 && n <= QLDB_NAME_MAX;
}

int qldb_parse_list_ledgers(const char *json, size_t len, struct qldb_ledger_list *out,
			    struct api_error *err)
{
	struct jctx x = { "ListLedgers", err };
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	cJSON *root = json_parse_object(&x, json, len);
	if (!root)
		return err->status;
	int rc = 0;
	const cJSON *list = json_member(&x, root, "", "Ledgers", false);
	if (list && !cJSON_IsArray(list)) {
		rc = json_wrong_type(&x, "", "Ledgers", "an array", list);
		goto out;
	}
	const cJSON *item;
	size_t i = 0;
	cJSON_ArrayForEach(item, list)
	{
		char path[48];
		snprintf(path, sizeof path, "Ledgers[%zu].", i++);
		if (!cJSON_IsObject(item)) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListLedgers: %s expected an object, got %s", path,
					   json_type_name(item));
			goto out;
		}
		if (out->n == QLDB_LIST_MAX) {
			rc = api_error_set(err, API_ERR_LIMIT,
					   "ListLedgers: more than %d ledgers in one page",
					   QLDB_LIST_MAX);
			goto out;
		}
		struct qldb_ledger_summary *s = &out->items[out->n];
		if ((rc = json_get_string(&x, item, path, "Name", true, s->name, sizeof s->name)) ||
		    (rc = json_get_string(&x, item, path, "State", false, s->state,
					  sizeof s->state)) ||
		    (rc = json_get_time(&x, item, path, "CreationDateTime", &s->created,
					&s->has_created)))
			goto out;
		if (!qldb_name_is_valid(s->name)) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListLedgers: %sName is not a valid ledger name", path);
			goto out;
		}
		out->n++;
	}
	char token[1025]; /* NextToken: 4..1024 chars (model) */
	if ((rc = json_get_string(&x, root, "", "NextToken", false, token, sizeof token)))
		goto out;
	out->more = token[0] != '\0';
out:
	cJSON_Delete(root);
	return rc;
}

int qldb_parse_describe_ledger(const char *json, size_t len, struct qldb_ledger *out,
			       struct api_error *err)
{
	struct jctx x = { "DescribeLedger", err };
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	cJSON *root = json_parse_object(&x, json, len);
	if (!root)
		return err->status;
	int rc;
	if ((rc = json_get_string(&x, root, "", "Name", true, out->name, sizeof out->name)) ||
	    (rc = json_get_string(&x, root, "", "Arn", false, out->arn, sizeof out->arn)) ||
	    (rc = json_get_string(&x, root, "", "State", false, out->state, sizeof out->state)) ||
	    (rc = json_get_string(&x, root, "", "PermissionsMode", false, out->permissions_mode,
				  sizeof out->permissions_mode)) ||
	    (rc = json_get_bool(&x, root, "", "DeletionProtection", &out->deletion_protection,
				&out->has_deletion_protection)) ||
	    (rc = json_get_time(&x, root, "", "CreationDateTime", &out->created,
				&out->has_created)))
		goto out;
	const cJSON *enc = json_member(&x, root, "", "EncryptionDescription", false);
	if (enc) {
		if (!cJSON_IsObject(enc)) {
			rc = json_wrong_type(&x, "", "EncryptionDescription", "an object", enc);
			goto out;
		}
		const char *p = "EncryptionDescription.";
		if ((rc = json_get_string(&x, enc, p, "KmsKeyArn", true, out->kms_key_arn,
					  sizeof out->kms_key_arn)) ||
		    (rc = json_get_string(&x, enc, p, "EncryptionStatus", true,
					  out->encryption_status, sizeof out->encryption_status)) ||
		    (rc = json_get_time(&x, enc, p, "InaccessibleKmsKeyDateTime",
					&out->kms_inaccessible_since,
					&out->has_kms_inaccessible_since)))
			goto out;
		out->has_encryption = true;
	}
out:
	cJSON_Delete(root);
	return rc;
}

/* Skip Ion whitespace (spaces, tabs, newlines). */
static size_t ion_ws(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

int qldb_parse_block_address(const char *ion, char *strand, size_t strand_cap, uint64_t *seq,
			     struct api_error *err)
{
	/* A deliberately small reader for one shape. The full Ion reader
	 * (verify/ion.h) can replace it once it lands; until then anything
	 * outside this shape is an error, never a guess. */
	bool have_strand = false, have_seq = false;
	size_t i = ion_ws(ion, 0);
	if (ion[i] != '{')
		return api_error_set(err, API_ERR_PARSE, "block address: expected '{' at byte %zu",
				     i);
	i = ion_ws(ion, i + 1);
	while (ion[i] != '}') {
		/* field name: bare identifier, 'quoted' or "quoted" */
		char name[16];
		size_t n = 0;
		char q = ion[i] == '\'' || ion[i] == '"' ? ion[i] : 0;
		if (q)
			i++;
		while (ion[i] && (q ? ion[i] != q
				    : ((ion[i] >= 'a' && ion[i] <= 'z') ||
				       (ion[i] >= 'A' && ion[i] <= 'Z') || ion[i] == '_'))) {
			if (n + 1 >= sizeof name)
				return api_error_set(
					err, API_ERR_PARSE,
					"block address: field name too long at byte %zu", i);
			name[n++] = ion[i++];
		}
		name[n] = '\0';
		if (q) {
			if (ion[i] != q)
				return api_error_set(err, API_ERR_PARSE,
						     "block address: unterminated field name");
			i++;
		}
		i = ion_ws(ion, i);
		if (ion[i] != ':')
			return api_error_set(err, API_ERR_PARSE,
					     "block address: expected ':' at byte %zu", i);
		i = ion_ws(ion, i + 1);
		if (strcmp(name, "strandId") == 0 && !have_strand) {
			if (ion[i] != '"')
				return api_error_set(err, API_ERR_PARSE,
						     "block address: strandId must be a string");
			size_t k = 0;
			for (i++; ion[i] != '"'; i++) {
				char ch = ion[i];
				if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				      (ch >= '0' && ch <= '9')))
					return api_error_set(
						err, API_ERR_PARSE,
						"block address: strandId: unexpected byte at %zu",
						i);
				if (k + 1 >= strand_cap)
					return api_error_set(err, API_ERR_LIMIT,
							     "block address: strandId too long");
				strand[k++] = ch;
			}
			strand[k] = '\0';
			i++;
			have_strand = true;
		} else if (strcmp(name, "sequenceNo") == 0 && !have_seq) {
			if (ion[i] < '0' || ion[i] > '9')
				return api_error_set(
					err, API_ERR_PARSE,
					"block address: sequenceNo must be an unsigned int");
			if (ion[i] == '0' && ion[i + 1] >= '0' && ion[i + 1] <= '9')
				return api_error_set(
					err, API_ERR_PARSE,
					"block address: sequenceNo has a leading zero");
			uint64_t v = 0;
			for (; ion[i] >= '0' && ion[i] <= '9'; i++) {
				unsigned d = (unsigned)(ion[i] - '0');
				if (v > (UINT64_MAX - d) / 10)
					return api_error_set(
						err, API_ERR_LIMIT,
						"block address: sequenceNo overflows 64 bits");
				v = v * 10 + d;
			}
			*seq = v;
			have_seq = true;
		} else {
			return api_error_set(err, API_ERR_PARSE,
					     "block address: unexpected or repeated field '%s'",
					     name);
		}
		i = ion_ws(ion, i);
		if (ion[i] == ',')
			i = ion_ws(ion, i + 1);
		else if (ion[i] != '}')
			return api_error_set(err, API_ERR_PARSE,
					     "block address: expected ',' or '}' at byte %zu", i);
	}
	i = ion_ws(ion, i + 1);
	if (ion[i])
		return api_error_set(err, API_ERR_PARSE, "block address: trailing data at byte %zu",
				     i);
	if (!have_strand || !have_seq)
		return api_error_set(err, API_ERR_PARSE, "block address: %s is missing",
				     have_strand ? "sequenceNo" : "strandId");
	return 0;
}

int qldb_parse_get_digest(const char *json, size_t len, struct qldb_digest *out,
			  struct api_error *err)
{
	struct jctx x = { "GetDigest", err };
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	cJSON *root = json_parse_object(&x, json, len);
	if (!root)
		return err->status;
	int rc;
	if ((rc = json_get_string(&x, root, "", "Digest", true, out->digest_b64,
				  sizeof out->digest_b64)))
		goto out;
	uint8_t buf[QLDB_DIGEST_BYTES + 3];
	long n = base64_decode(out->digest_b64, strlen(out->digest_b64), buf, sizeof buf);
	if (n < 0) {
		rc = api_error_set(err, API_ERR_PARSE, "GetDigest: Digest is not valid base64");
		goto out;
	}
	if (n != QLDB_DIGEST_BYTES) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "GetDigest: Digest decodes to %ld bytes, expected %d", n,
				   QLDB_DIGEST_BYTES);
		goto out;
	}
	memcpy(out->digest, buf, QLDB_DIGEST_BYTES);
	const cJSON *tip = json_member(&x, root, "", "DigestTipAddress", true);
	if (!tip) {
		rc = err->status;
		goto out;
	}
	if (!cJSON_IsObject(tip)) {
		rc = json_wrong_type(&x, "", "DigestTipAddress", "an object", tip);
		goto out;
	}
	if ((rc = json_get_string(&x, tip, "DigestTipAddress.", "IonText", true, out->tip_ion,
				  sizeof out->tip_ion)))
		goto out;
	struct api_error aerr;
	api_error_clear(&aerr);
	if (qldb_parse_block_address(out->tip_ion, out->strand_id, sizeof out->strand_id,
				     &out->sequence_no, &aerr)) {
		rc = api_error_set(err, aerr.status, "GetDigest: DigestTipAddress: %s", aerr.msg);
		goto out;
	}
out:
	cJSON_Delete(root);
	return rc;
}

/* Perform a request and hand the body to a parser. */
static int qldb_call(struct http_client *c, const struct http_request *req,
		     int (*parse)(const char *, size_t, void *, struct api_error *), void *out,
		     struct api_error *err)
{
	struct http_response resp;
	int rc = http_request_perform(c, req, &resp, err);
	if (rc)
		return rc;
	if (!resp.body) {
		http_response_free(&resp);
		return api_error_set(err, API_ERR_PARSE, "%s: empty response body", req->op);
	}
	rc = parse(resp.body, resp.len, out, err);
	http_response_free(&resp);
	return rc;
}

/* Adapters with a common signature for qldb_call. */
static int parse_list(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_list_ledgers(j, n, o, e);
}
static int parse_describe(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_describe_ledger(j, n, o, e);
}
static int parse_digest(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_get_digest(j, n, o, e);
}

int qldb_list_ledgers(struct http_client *c, struct qldb_ledger_list *out, struct api_error *err)
{
	/* One page of up to 100 (the model's maximum); "more" records a
	 * NextToken. Following pages is for the ledger-picker issue. */
	struct http_request req = { .op = "ListLedgers",
				    .method = "GET",
				    .path = "/ledgers",
				    .query = "max_results=100",
				    .max_response = QLDB_RESPONSE_MAX };
	return qldb_call(c, &req, parse_list, out, err);
}

/* A call on one ledger: the name is checked (it goes into the path), the
 * path is /ledgers/NAME then suffix, and req supplies the rest. */
static int qldb_call_ledger(struct http_client *c, struct http_request *req, const char *name,
			    const char *suffix,
			    int (*parse)(const char *, size_t, void *, struct api_error *),
			    void *out, struct api_error *err)
{
	if (!qldb_name_is_valid(name))
		return api_error_set(err, API_ERR_CONFIG, "%s: '%.40s' is not a valid ledger name",
				     req->op, name);
	char path[24 + QLDB_NAME_MAX]; /* "/ledgers/" + name + "/digest" */
	snprintf(path, sizeof path, "/ledgers/%s%s", name, suffix);
	req->path = path;
	return qldb_call(c, req, parse, out, err);
}

int qldb_describe_ledger(struct http_client *c, const char *name, struct qldb_ledger *out,
			 struct api_error *err)
{
	struct http_request req = { .op = "DescribeLedger",
				    .method = "GET",
				    .max_response = QLDB_RESPONSE_MAX };
	return qldb_call_ledger(c, &req, name, "", parse_describe, out, err);
}

int qldb_get_digest(struct http_client *c, const char *name, struct qldb_digest *out,
		    struct api_error *err)
{
	/* empty body, explicit JSON content type (it is signed) */
	struct http_request req = { .op = "GetDigest",
				    .method = "POST",
				    .body = NULL,
				    .content_type = "application/json",
				    .max_response = QLDB_RESPONSE_MAX };
	return qldb_call_ledger(c, &req, name, "/digest", parse_digest, out, err);
}
