/*
 * qldb.c - ListLedgers, DescribeLedger and GetDigest: requests and
 * type-checked response parsing (see qldb.h); also the one reader of
 * get-digest outputs and of get-block/get-revision outputs for the
 * verifiers, and the block-address wrapper over verify's reader.
 *
 * JSON is read with json_strict_parse (common/json_strict.h), never with plain
 * cJSON: it refuses duplicate keys, trailing data, NUL characters and bad
 * UTF-8 before cJSON builds the tree. Members are looked up
 * case-sensitively; numbers are never read through valueint.
 */
#include "api/qldb.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "api/sigv4.h" /* sigv4_encode: the ARN as one path segment */
#include "verify/base64.h"
#include "verify/qldb_proof.h"

#define QLDB_DIGEST_B64_LEN 44 /* canonical base64 of 32 bytes: 43 chars and one '=' */
_Static_assert(sizeof((struct qldb_digest *)0)->digest_b64 > QLDB_DIGEST_B64_LEN,
	       "digest_b64 holds the canonical spelling and its NUL");

/* The parse context: which operation, for messages. */
struct jctx {
	const char *op;
	struct api_error *err;
};

/* Parse the whole buffer strictly as one JSON object. */
static cJSON *json_parse_object(const struct jctx *x, const char *json, size_t len)
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

/* Every parser's start: out zeroed, err cleared, the body parsed. */
static cJSON *parse_start(const struct jctx *x, const char *json, size_t len, void *out,
			  size_t size)
{
	memset(out, 0, size);
	api_error_clear(x->err);
	return json_parse_object(x, json, len);
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

/* A string member, borrowed from the tree (NULL when absent and optional). */
static int json_get_text(const struct jctx *x, const cJSON *obj, const char *path, const char *key,
			 bool required, const char **out)
{
	*out = NULL;
	const cJSON *v = json_member(x, obj, path, key, required);
	if (!v)
		return required ? x->err->status : 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return json_wrong_type(x, path, key, "a string", v);
	*out = v->valuestring;
	return 0;
}

/* An object member (NULL when absent and optional). */
static int json_get_object(const struct jctx *x, const cJSON *obj, const char *path,
			   const char *key, bool required, const cJSON **out)
{
	*out = json_member(x, obj, path, key, required);
	if (!*out)
		return required ? x->err->status : 0;
	if (!cJSON_IsObject(*out)) {
		int rc = json_wrong_type(x, path, key, "an object", *out);
		*out = NULL;
		return rc;
	}
	return 0;
}

/* Copy a string member into dst; "" when absent and optional. Control
 * characters are refused: these strings end up on the screen. */
static int json_get_string(const struct jctx *x, const cJSON *obj, const char *path,
			   const char *key, bool required, char *dst, size_t cap)
{
	dst[0] = '\0';
	const char *v;
	int rc = json_get_text(x, obj, path, key, required, &v);
	if (rc || !v)
		return rc;
	size_t n = strlen(v);
	if (n >= cap)
		return api_error_set(x->err, API_ERR_LIMIT, "%s: %s%s: longer than %zu bytes",
				     x->op, path, key, cap - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return api_error_set(x->err, API_ERR_PARSE,
					     "%s: %s%s: control character at offset %zu", x->op,
					     path, key, i);
	memcpy(dst, v, n + 1);
	return 0;
}

/* A 32-byte hash in base64, strictly: canonical (what base64_encode gives
 * back), so no whitespace inside, exact padding and zero unused bits; one
 * hash has one spelling. */
static int json_b64_32(const struct jctx *x, const char *path, const char *key, const char *b64,
		       uint8_t out[QLDB_DIGEST_BYTES])
{
	size_t n = strlen(b64);
	uint8_t buf[3 * QLDB_DIGEST_B64_LEN / 2]; /* room to say how long a wrong one is */
	if (n > 2 * QLDB_DIGEST_B64_LEN)
		return api_error_set(x->err, API_ERR_PARSE,
				     "%s: %s%s: %zu characters, too long for %d bytes of base64",
				     x->op, path, key, n, QLDB_DIGEST_BYTES);
	long got = base64_decode(b64, n, buf, sizeof buf);
	if (got < 0)
		return api_error_set(x->err, API_ERR_PARSE, "%s: %s%s is not valid base64", x->op,
				     path, key);
	if (got != QLDB_DIGEST_BYTES)
		return api_error_set(x->err, API_ERR_PARSE,
				     "%s: %s%s decodes to %ld bytes, expected %d", x->op, path, key,
				     got, QLDB_DIGEST_BYTES);
	char again[BASE64_ENCODED_SIZE(QLDB_DIGEST_BYTES)];
	base64_encode(buf, QLDB_DIGEST_BYTES, again);
	if (strcmp(again, b64) != 0)
		return api_error_set(x->err, API_ERR_PARSE,
				     "%s: %s%s is not canonical base64 (whitespace, padding or "
				     "unused bits)",
				     x->op, path, key);
	memcpy(out, buf, QLDB_DIGEST_BYTES);
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
	cJSON *root = parse_start(&x, json, len, out, sizeof *out);
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
	cJSON *root = parse_start(&x, json, len, out, sizeof *out);
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
	if (!qldb_name_is_valid(out->name)) { /* as ListLedgers: it is shown and used as a key */
		rc = api_error_set(err, API_ERR_PARSE,
				   "DescribeLedger: Name is not a valid ledger name");
		goto out;
	}
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

int qldb_parse_block_address(const char *ion, char *strand, size_t strand_cap, uint64_t *seq,
			     struct api_error *err)
{
	/* one address reader for the dashboard and the verifiers: verify's */
	struct qldb_address a;
	char why[QLDB_MESSAGE_MAX];
	if (qldb_address_parse(ion, strlen(ion), &a, why, sizeof why))
		return api_error_set(err, API_ERR_PARSE, "block address: %s", why);
	size_t n = strlen(a.strand);
	if (n >= strand_cap)
		return api_error_set(err, API_ERR_LIMIT,
				     "block address: strandId longer than %zu bytes",
				     strand_cap ? strand_cap - 1 : 0);
	memcpy(strand, a.strand, n + 1);
	*seq = (uint64_t)a.seq; /* qldb_address_get: 0..QLDB_SEQUENCE_MAX */
	return 0;
}

/* A get-digest object; path prefixes field names ("" or "LedgerDigest."). */
static int digest_read(const struct jctx *x, const cJSON *obj, const char *path,
		       struct qldb_digest *out)
{
	const char *b64;
	const cJSON *tip;
	char tip_path[48];
	snprintf(tip_path, sizeof tip_path, "%sDigestTipAddress.", path);
	int rc;
	if ((rc = json_get_text(x, obj, path, "Digest", true, &b64)) ||
	    (rc = json_b64_32(x, path, "Digest", b64, out->digest)))
		return rc;
	memcpy(out->digest_b64, b64, QLDB_DIGEST_B64_LEN + 1); /* canonical: 44 chars */
	if ((rc = json_get_object(x, obj, path, "DigestTipAddress", true, &tip)) ||
	    (rc = json_get_string(x, tip, tip_path, "IonText", true, out->tip_ion,
				  sizeof out->tip_ion)))
		return rc;
	struct api_error aerr;
	api_error_clear(&aerr);
	if (qldb_parse_block_address(out->tip_ion, out->strand_id, sizeof out->strand_id,
				     &out->sequence_no, &aerr))
		return api_error_set(x->err, aerr.status, "%s: %sDigestTipAddress: %s", x->op, path,
				     aerr.msg);
	return 0;
}

int qldb_digest_from_json(const cJSON *obj, struct qldb_digest *out, struct api_error *err)
{
	struct jctx x = { "GetDigest", err };
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	if (!cJSON_IsObject(obj))
		return api_error_set(err, API_ERR_PARSE,
				     "GetDigest: expected a JSON object, got %s",
				     json_type_name(obj));
	int rc = digest_read(&x, obj, "", out);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

int qldb_parse_get_digest(const char *json, size_t len, struct qldb_digest *out,
			  struct api_error *err)
{
	struct jctx x = { "GetDigest", err };
	cJSON *root = parse_start(&x, json, len, out, sizeof *out);
	if (!root)
		return err->status;
	int rc = qldb_digest_from_json(root, out, err);
	cJSON_Delete(root);
	return rc;
}

int qldb_parse_digest_file(const char *json, size_t len, struct qldb_digest *out,
			   struct api_error *err)
{
	struct jctx x = { "GetDigest", err };
	cJSON *root = parse_start(&x, json, len, out, sizeof *out);
	if (!root)
		return err->status;
	const cJSON *ld;
	int rc = json_get_object(&x, root, "", "LedgerDigest", false, &ld);
	if (rc)
		goto out;
	if (!ld) {
		rc = digest_read(&x, root, "", out);
	} else if (json_member(&x, root, "", "Digest", false) ||
		   json_member(&x, root, "", "DigestTipAddress", false)) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "GetDigest: both LedgerDigest and a top-level %s: which digest "
				   "is meant?",
				   json_member(&x, root, "", "Digest", false) ? "Digest"
									      : "DigestTipAddress");
	} else {
		rc = digest_read(&x, ld, "LedgerDigest.", out);
	}
out:
	if (rc)
		memset(out, 0, sizeof *out);
	cJSON_Delete(root);
	return rc;
}

/* NAME.IonText of a proof response: absent NAME leaves *text NULL;
 * anything but an object with an IonText string is an error. */
static int proof_ion_text(const struct jctx *x, const cJSON *root, const char *name,
			  const char **text, size_t *len)
{
	const cJSON *o;
	char path[32];
	snprintf(path, sizeof path, "%s.", name);
	int rc = json_get_object(x, root, "", name, false, &o);
	if (rc || !o)
		return rc;
	if ((rc = json_get_text(x, o, path, "IonText", true, text)))
		return rc;
	*len = strlen(*text); /* the whole text: json_strict refused \u0000 */
	return 0;
}

int qldb_parse_proof_response(const char *json, size_t len, struct qldb_proof_response *out,
			      struct api_error *err)
{
	struct jctx x = { "proof response", err };
	if (!(out->root = parse_start(&x, json, len, out, sizeof *out)))
		return err->status;
	const char *rh;
	int rc;
	if ((rc = proof_ion_text(&x, out->root, "Block", &out->block_text, &out->block_len)) ||
	    (rc = proof_ion_text(&x, out->root, "Revision", &out->revision_text,
				 &out->revision_len)) ||
	    (rc = proof_ion_text(&x, out->root, "Proof", &out->proof_text, &out->proof_len)) ||
	    (rc = proof_ion_text(&x, out->root, "BlockAddress", &out->address_text,
				 &out->address_len)) ||
	    (rc = json_get_text(&x, out->root, "", "RevisionHash", false, &rh)))
		goto fail;
	if (rh) {
		if ((rc = json_b64_32(&x, "", "RevisionHash", rh, out->revision_hash.b)))
			goto fail;
		out->revision_hash.len = QLDB_DIGEST_BYTES;
		out->has_revision_hash = true;
	}
	const char *leaf = out->block_text ? "Block" : out->revision_text ? "Revision" : NULL;
	if (out->block_text && out->revision_text)
		rc = api_error_set(err, API_ERR_PARSE,
				   "proof response: both Block and Revision: give one output (a "
				   "reader may take either)");
	else if (leaf && out->has_revision_hash)
		rc = api_error_set(err, API_ERR_PARSE,
				   "proof response: RevisionHash beside %s: only %s would be "
				   "verified",
				   leaf, leaf);
	else if (leaf && out->address_text)
		rc = api_error_set(err, API_ERR_PARSE,
				   "proof response: BlockAddress beside %s: the address verified "
				   "is the one inside %s.IonText",
				   leaf, leaf);
	else if (!leaf && !out->has_revision_hash)
		rc = api_error_set(err, API_ERR_PARSE,
				   "proof response: not a get-block or get-revision output (no "
				   "Block, Revision or RevisionHash)");
	else if (!leaf && !out->address_text)
		rc = api_error_set(err, API_ERR_PARSE,
				   "proof response: RevisionHash without BlockAddress (the KVS "
				   "shape has both)");
	if (!rc)
		return 0;
fail:
	qldb_proof_response_free(out);
	return rc;
}

void qldb_proof_response_free(struct qldb_proof_response *r)
{
	if (!r)
		return;
	cJSON_Delete(r->root);
	memset(r, 0, sizeof *r);
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

/* --- ListTagsForResource ------------------------------------------------ */

/* UTF-8 code points in s (json_strict has already refused invalid UTF-8). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int tag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct qldb_tag *)a)->key, ((const struct qldb_tag *)b)->key);
}

void qldb_tags_free(struct qldb_tags *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].key);
		free(t->items[i].value);
	}
	free(t->items);
	t->items = NULL;
	t->n = 0;
}

int qldb_parse_list_tags(const char *json, size_t len, struct qldb_tags *out, struct api_error *err)
{
	struct jctx x = { "ListTagsForResource", err };
	cJSON *root = parse_start(&x, json, len, out, sizeof *out);
	if (!root)
		return API_ERR_PARSE;
	int rc = 0;
	const cJSON *tags = json_member(&x, root, "", "Tags", false), *kv;
	if (!tags)
		goto out;
	if (!cJSON_IsObject(tags)) {
		rc = json_wrong_type(&x, "", "Tags", "an object", tags);
		goto out;
	}
	size_t n = (size_t)cJSON_GetArraySize(tags);
	if (n > QLDB_TAGS_MAX) {
		rc = api_error_set(err, API_ERR_LIMIT, "ListTagsForResource: %zu tags (at most %d)",
				   n, QLDB_TAGS_MAX);
		goto out;
	}
	out->items = calloc(n ? n : 1, sizeof *out->items);
	if (!out->items) {
		rc = api_error_set(err, API_ERR_NOMEM, "ListTagsForResource: out of memory");
		goto out;
	}
	cJSON_ArrayForEach(kv, tags)
	{
		size_t kc = utf8_chars(kv->string);
		if (kc < 1 || kc > QLDB_TAG_KEY_CHARS) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListTagsForResource: a tag key of %zu characters "
					   "(1..%d)",
					   kc, QLDB_TAG_KEY_CHARS);
			break;
		}
		if (!cJSON_IsString(kv)) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListTagsForResource: Tags.%.128s: expected a string, "
					   "got %s",
					   kv->string, json_type_name(kv));
			break;
		}
		size_t vc = utf8_chars(kv->valuestring);
		if (vc > QLDB_TAG_VALUE_CHARS) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListTagsForResource: Tags.%.128s: a value of %zu "
					   "characters (0..%d)",
					   kv->string, vc, QLDB_TAG_VALUE_CHARS);
			break;
		}
		struct qldb_tag *t = &out->items[out->n];
		t->key = strdup(kv->string);
		t->value = strdup(kv->valuestring);
		out->n++;
		if (!t->key || !t->value) {
			rc = api_error_set(err, API_ERR_NOMEM,
					   "ListTagsForResource: out of memory");
			break;
		}
	}
	if (rc == 0)
		qsort(out->items, out->n, sizeof *out->items, tag_cmp);
out:
	cJSON_Delete(root);
	if (rc)
		qldb_tags_free(out);
	return rc;
}

static int parse_tags(const char *j, size_t n, void *o, struct api_error *e)
{
	return qldb_parse_list_tags(j, n, o, e);
}

int qldb_list_tags(struct http_client *c, const char *arn, struct qldb_tags *out,
		   struct api_error *err)
{
	memset(out, 0, sizeof *out);
	size_t al = strlen(arn);
	if (al == 0 || al > QLDB_ARN_MAX)
		return api_error_set(err, API_ERR_CONFIG,
				     "ListTagsForResource: an ARN of %zu characters (1..%d)", al,
				     QLDB_ARN_MAX);
	char path[8 + 3 * QLDB_ARN_MAX]; /* "/tags/" + every byte %XX at worst */
	memcpy(path, "/tags/", 6);
	if (sigv4_encode(arn, al, 0, path + 6, sizeof path - 6) < 0)
		return api_error_set(err, API_ERR_LIMIT, "ListTagsForResource: ARN too long");
	struct http_request req = { .op = "ListTagsForResource",
				    .method = "GET",
				    .path = path,
				    .max_response = QLDB_TAGS_RESPONSE_MAX };
	return qldb_call(c, &req, parse_tags, out, err);
}
