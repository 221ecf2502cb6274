/*
 * qldb_proofs.c - GetBlock and GetRevision requests (see qldb_proofs.h),
 * and the auditor's ops table over them and qldb_get_digest.
 *
 * The request body is built with cJSON so the Ion text (which holds
 * quotes) is escaped as JSON; the address is read by the one address
 * reader first, so a malformed one never leaves this process.
 */
#include "api/qldb_proofs.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auditor.h"
#include "api/qldb.h"

/* IonText of one GetBlock answer is at most 1 MiB (model); escaping in
 * JSON can double it, so the answer is bounded at twice that. */
#define QLDB_PROOFS_RESPONSE_MAX (2u << 20)

/* An address parameter: present, readable by the one address reader. */
static int address_check(const char *op, const char *member, const char *ion, struct api_error *err)
{
	char strand[QLDB_STRAND_MAX + 1];
	uint64_t seq;
	struct api_error aerr;
	api_error_clear(&aerr);
	if (!ion)
		return api_error_set(err, API_ERR_CONFIG, "%s: %s is required", op, member);
	if (strlen(ion) >= QLDB_TIP_MAX ||
	    qldb_parse_block_address(ion, strand, sizeof strand, &seq, &aerr))
		return api_error_set(err, API_ERR_CONFIG, "%s: %s: %s", op, member,
				     aerr.msg[0] ? aerr.msg : "too long");
	return 0;
}

/* body.member = {"IonText": ion} */
static int add_address(cJSON *body, const char *member, const char *ion)
{
	cJSON *o = cJSON_AddObjectToObject(body, member);
	return o && cJSON_AddStringToObject(o, "IonText", ion) ? 0 : -1;
}

/* POST body to /ledgers/NAME/suffix; the answer's body is handed over. */
static int proofs_call(struct http_client *c, const char *op, const char *ledger,
		       const char *suffix, cJSON *body, char **json, size_t *len,
		       struct api_error *err)
{
	*json = NULL;
	*len = 0;
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!text)
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", op);
	char path[24 + QLDB_NAME_MAX];
	snprintf(path, sizeof path, "/ledgers/%s/%s", ledger, suffix);
	struct http_request req = { .op = op,
				    .method = "POST",
				    .path = path,
				    .body = text,
				    .body_len = strlen(text),
				    .content_type = "application/json",
				    .max_response = QLDB_PROOFS_RESPONSE_MAX };
	struct http_response resp;
	int rc = http_request_perform(c, &req, &resp, err);
	free(text);
	if (rc)
		return rc;
	if (!resp.body) {
		http_response_free(&resp);
		return api_error_set(err, API_ERR_PARSE, "%s %s: empty response body", op, ledger);
	}
	*json = resp.body; /* taken: NUL-terminated at resp.len (http.h) */
	*len = resp.len;
	resp.body = NULL;
	return 0;
}

int qldb_get_block(struct http_client *c, const char *ledger, const char *block_ion,
		   const char *tip_ion, char **json, size_t *len, struct api_error *err)
{
	*json = NULL;
	*len = 0;
	api_error_clear(err);
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG,
				     "GetBlock: '%.40s' is not a valid ledger "
				     "name",
				     ledger);
	int rc;
	if ((rc = address_check("GetBlock", "BlockAddress", block_ion, err)) ||
	    (tip_ion && (rc = address_check("GetBlock", "DigestTipAddress", tip_ion, err))))
		return rc;
	cJSON *body = cJSON_CreateObject();
	if (body && (add_address(body, "BlockAddress", block_ion) ||
		     (tip_ion && add_address(body, "DigestTipAddress", tip_ion)))) {
		cJSON_Delete(body);
		body = NULL;
	}
	return proofs_call(c, "GetBlock", ledger, "block", body, json, len, err);
}

/* DocumentId: exactly 22 characters of base62, as QLDB's ids are. */
static bool document_id_is_valid(const char *id)
{
	size_t n = 0;
	for (; id[n]; n++)
		if (!((id[n] >= 'a' && id[n] <= 'z') || (id[n] >= 'A' && id[n] <= 'Z') ||
		      (id[n] >= '0' && id[n] <= '9')))
			return false;
	return n == QLDB_DOCUMENT_ID_LEN;
}

int qldb_get_revision(struct http_client *c, const char *ledger, const char *block_ion,
		      const char *document_id, const char *tip_ion, char **json, size_t *len,
		      struct api_error *err)
{
	*json = NULL;
	*len = 0;
	api_error_clear(err);
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG,
				     "GetRevision: '%.40s' is not a valid ledger name", ledger);
	if (!document_id || !document_id_is_valid(document_id))
		return api_error_set(err, API_ERR_CONFIG,
				     "GetRevision: DocumentId must be %d base62 characters",
				     QLDB_DOCUMENT_ID_LEN);
	int rc;
	if ((rc = address_check("GetRevision", "BlockAddress", block_ion, err)) ||
	    (rc = address_check("GetRevision", "DigestTipAddress", tip_ion, err)))
		return rc;
	cJSON *body = cJSON_CreateObject();
	if (body && (add_address(body, "BlockAddress", block_ion) ||
		     !cJSON_AddStringToObject(body, "DocumentId", document_id) ||
		     add_address(body, "DigestTipAddress", tip_ion))) {
		cJSON_Delete(body);
		body = NULL;
	}
	return proofs_call(c, "GetRevision", ledger, "revision", body, json, len, err);
}

static int ops_get_digest(void *ctx, const char *ledger, struct qldb_digest *out,
			  struct api_error *err)
{
	return qldb_get_digest(ctx, ledger, out, err);
}

static int ops_get_block(void *ctx, const char *ledger, const char *block_ion, const char *tip_ion,
			 char **json, size_t *len, struct api_error *err)
{
	return qldb_get_block(ctx, ledger, block_ion, tip_ion, json, len, err);
}

const struct audit_ops qldb_proofs_audit_ops = {
	.get_digest = ops_get_digest,
	.get_block = ops_get_block,
};
