/*
 * qldb_api.c - QLDB control-plane handlers (see qldb_api.h). Response
 * members and their order follow the model's output shapes; timestamps are
 * epoch seconds with milliseconds; blobs are base64.
 */
#include "sim/qldb_api.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/base64.h"
#include "verify/qldb_proof.h"

#define NEXT_TOKEN_PREFIX "qldbtop-ledgers:" /* decoded form of our opaque tokens */
#define NEXT_TOKEN_MAX 1024		     /* API NextToken: 4..1024 chars */

/* The ledger named by the path, or an error response. Names that break the
 * LedgerName rule are InvalidParameterException, unknown ones 404. */
static const struct sim_ledger *ledger_of(struct sim_qldb *svc, const struct sim_call *call,
					  struct sim_response *res)
{
	const char *name = call->params[0];
	if (!sim_ledger_name_valid(name)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "Name",
				   "invalid ledger name '%.40s': 1..32 of [A-Za-z0-9-], not all "
				   "digits, no leading, trailing or double '-'",
				   name);
		return NULL;
	}
	const struct sim_ledger *l = sim_ledgers_find(svc->ledgers, name);
	if (!l)
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "LEDGER", name, NULL,
				   "Ledger '%s' does not exist", name);
	return l;
}

/* A POST body must be empty or a JSON object (GetDigest has no members). */
static int body_ok(const struct sim_call *call, struct sim_response *res)
{
	const struct sim_request *r = call->req;
	if (r->body_len == 0)
		return 1;
	cJSON *o = cJSON_ParseWithLength(r->body, r->body_len);
	int ok = o && cJSON_IsObject(o);
	cJSON_Delete(o);
	if (!ok)
		sim_response_error(res, SIM_ERR_SERIALIZATION, NULL, NULL, NULL,
				   "%s: the request body is not a JSON object", call->operation);
	return ok;
}

/* "qldbtop-ledgers:N" in base64, or -1 if the token is not one of ours. */
static long next_token_offset(const char *token, size_t n_ledgers)
{
	uint8_t dec[64];
	size_t len = strlen(token);
	if (len < 4 || len > NEXT_TOKEN_MAX)
		return -1;
	long dl = base64_decode(token, len, dec, sizeof dec - 1);
	if (dl < 0)
		return -1;
	dec[dl] = '\0';
	size_t plen = strlen(NEXT_TOKEN_PREFIX);
	if ((size_t)dl <= plen || memcmp(dec, NEXT_TOKEN_PREFIX, plen) != 0)
		return -1;
	char *end;
	long off = strtol((const char *)dec + plen, &end, 10);
	if (*end || off <= 0 || (size_t)off >= n_ledgers)
		return -1;
	return off;
}

static int parse_max_results(const char *s, long *out)
{
	if (!s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > SIM_LIST_MAX_RESULTS)
		return -1;
	*out = v;
	return 0;
}

static void handle_list_ledgers(void *vsvc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_qldb *svc = vsvc;
	const struct sim_ledgers *ls = svc->ledgers;
	long max = SIM_LIST_MAX_RESULTS, off = 0;
	if (parse_max_results(sim_request_query(call->req, "max_results"), &max) != 0) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "MaxResults",
				   "max_results must be an integer from 1 to %d",
				   SIM_LIST_MAX_RESULTS);
		return;
	}
	const char *token = sim_request_query(call->req, "next_token");
	if (token && (off = next_token_offset(token, ls->n)) < 0) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "NextToken",
				   "next_token is not a token this endpoint issued");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "Ledgers");
	size_t end = (size_t)off + (size_t)max < ls->n ? (size_t)off + (size_t)max : ls->n;
	for (size_t i = (size_t)off; list && i < end; i++) {
		const struct sim_ledger *l = &ls->v[i];
		cJSON *s = cJSON_CreateObject();
		cJSON_AddItemToArray(list, s);
		cJSON_AddStringToObject(s, "Name", l->name);
		cJSON_AddStringToObject(s, "State", l->state);
		cJSON_AddItemToObject(s, "CreationDateTime", sim_json_timestamp(l->created_ms));
	}
	if (end < ls->n) {
		char plain[64], enc[BASE64_ENCODED_SIZE(64)];
		int n = snprintf(plain, sizeof plain, NEXT_TOKEN_PREFIX "%zu", end);
		base64_encode((const uint8_t *)plain, (size_t)n, enc);
		cJSON_AddStringToObject(o, "NextToken", enc);
	}
	sim_response_json(res, o);
}

static void handle_describe_ledger(void *vsvc, const struct sim_call *call,
				   struct sim_response *res)
{
	const struct sim_ledger *l = ledger_of(vsvc, call, res);
	if (!l)
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Name", l->name);
	cJSON_AddStringToObject(o, "Arn", l->arn);
	cJSON_AddStringToObject(o, "State", l->state);
	cJSON_AddItemToObject(o, "CreationDateTime", sim_json_timestamp(l->created_ms));
	cJSON_AddStringToObject(o, "PermissionsMode", l->permissions_mode);
	cJSON_AddBoolToObject(o, "DeletionProtection", l->deletion_protection);
	cJSON *enc = cJSON_AddObjectToObject(o, "EncryptionDescription");
	cJSON_AddStringToObject(enc, "KmsKeyArn", l->kms_key_arn);
	cJSON_AddStringToObject(enc, "EncryptionStatus", l->encryption_status);
	sim_response_json(res, o);
}

static void handle_get_digest(void *vsvc, const struct sim_call *call, struct sim_response *res)
{
	const struct sim_ledger *l = ledger_of(vsvc, call, res);
	if (!l || !body_ok(call, res))
		return;
	struct qldb_hash digest;
	int64_t tip;
	if (sim_journal_digest(l->journal, &digest, &tip) != 0 || digest.len != 32) {
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				   "GetDigest: the digest of ledger '%s' could not be computed",
				   l->name);
		return;
	}
	char b64[BASE64_ENCODED_SIZE(32)], tip_text[128];
	base64_encode(digest.b, 32, b64);
	snprintf(tip_text, sizeof tip_text, "{strandId:\"%s\",sequenceNo:%" PRId64 "}",
		 sim_journal_strand(l->journal), tip);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Digest", b64);
	cJSON *addr = cJSON_AddObjectToObject(o, "DigestTipAddress");
	cJSON_AddStringToObject(addr, "IonText", tip_text);
	sim_response_json(res, o);
}

/* body.member.IonText read as a block address of this ledger's strand;
 * 0, or -1 after an InvalidParameterException naming the member. */
static int address_member(const cJSON *body, const char *member, const struct sim_ledger *l,
			  struct qldb_address *a, struct sim_response *res)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(body, member), "IonText");
	char why[QLDB_MESSAGE_MAX];
	if (!cJSON_IsString(t)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, member,
				   "%s.IonText is required", member);
		return -1;
	}
	if (qldb_address_parse(t->valuestring, strlen(t->valuestring), a, why, sizeof why)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, member,
				   "%s is not a block address: %s", member, why);
		return -1;
	}
	if (strcmp(a->strand, sim_journal_strand(l->journal)) != 0 ||
	    (size_t)a->seq >= sim_journal_block_count(l->journal)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, member,
				   "%s {strandId:\"%s\",sequenceNo:%lld} is not a block of ledger "
				   "'%s'",
				   member, a->strand, (long long)a->seq, l->name);
		return -1;
	}
	return 0;
}

/* o.Proof.IonText = [{{b64}},...] of path[0..n) (n <= QLDB_PROOF_MAX). */
static void add_proof(cJSON *o, const struct qldb_hash *path, size_t n)
{
	char proof[QLDB_PROOF_MAX * (BASE64_ENCODED_SIZE(32) + 5) + 3];
	size_t k = 0;
	proof[k++] = '[';
	for (size_t i = 0; i < n; i++) {
		char b64[BASE64_ENCODED_SIZE(32)];
		base64_encode(path[i].b, 32, b64);
		k += (size_t)snprintf(proof + k, sizeof proof - k, "%s{{%s}}", i ? "," : "", b64);
	}
	snprintf(proof + k, sizeof proof - k, "]");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Proof"), "IonText", proof);
}

/* The request of GetBlock and GetRevision: the ledger, the body (the
 * caller deletes it), BlockAddress and DigestTipAddress (optional unless
 * tip_required; *has_tip says), with the tip at or after the block.
 * Returns 0, or -1 after an error response. */
struct addressed {
	const struct sim_ledger *l;
	cJSON *body;
	struct qldb_address at, tip;
	bool has_tip;
};

static int addressed_read(void *vsvc, const struct sim_call *call, struct sim_response *res,
			  bool tip_required, struct addressed *a)
{
	memset(a, 0, sizeof *a);
	a->l = ledger_of(vsvc, call, res);
	if (!a->l || !body_ok(call, res))
		return -1;
	a->body = cJSON_ParseWithLength(call->req->body, call->req->body_len);
	a->has_tip = tip_required || cJSON_GetObjectItemCaseSensitive(a->body, "DigestTipAddress");
	if (address_member(a->body, "BlockAddress", a->l, &a->at, res) ||
	    (a->has_tip && address_member(a->body, "DigestTipAddress", a->l, &a->tip, res)))
		return -1;
	if (a->has_tip && a->tip.seq < a->at.seq) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "DigestTipAddress",
				   "the digest tip %lld is before block %lld",
				   (long long)a->tip.seq, (long long)a->at.seq);
		return -1;
	}
	return 0;
}

/* GetBlock: the block's Ion text and, with DigestTipAddress, its proof. */
static void handle_get_block(void *vsvc, const struct sim_call *call, struct sim_response *res)
{
	struct addressed a;
	int rc = addressed_read(vsvc, call, res, false, &a);
	cJSON_Delete(a.body);
	if (rc)
		return;
	size_t len = 0, n = 0;
	char *text = sim_journal_block_text(a.l->journal, a.at.seq, &len);
	struct qldb_hash path[QLDB_PROOF_MAX];
	if (!text || (a.has_tip && sim_journal_block_proof(a.l->journal, a.at.seq, a.tip.seq, path,
							   QLDB_PROOF_MAX, &n) != 0)) {
		free(text);
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				   "GetBlock: block %lld of ledger '%s' could not be read",
				   (long long)a.at.seq, a.l->name);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Block"), "IonText", text);
	free(text);
	if (a.has_tip)
		add_proof(o, path, n);
	sim_response_json(res, o);
}

/* GetRevision: a document's revision in a block, with its proof to the
 * digest at DigestTipAddress (required, as in the model). */
static void handle_get_revision(void *vsvc, const struct sim_call *call, struct sim_response *res)
{
	struct addressed a;
	if (addressed_read(vsvc, call, res, true, &a)) {
		cJSON_Delete(a.body);
		return;
	}
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(a.body, "DocumentId");
	char doc[SIM_ID_LEN + 1] = "";
	if (cJSON_IsString(d) && strlen(d->valuestring) == SIM_ID_LEN)
		snprintf(doc, sizeof doc, "%s", d->valuestring);
	cJSON_Delete(a.body);
	if (!doc[0]) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "DocumentId",
				   "DocumentId must be a string of %d characters", SIM_ID_LEN);
		return;
	}
	char *text = NULL;
	struct qldb_hash path[QLDB_PROOF_MAX];
	size_t n = 0;
	int rc = sim_journal_revision(a.l->journal, a.at.seq, a.tip.seq, doc, &text, path,
				      QLDB_PROOF_MAX, &n);
	if (rc == 1)
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "DocumentId",
				   "block %lld holds no revision of document %s",
				   (long long)a.at.seq, doc);
	if (rc != 0) {
		if (rc < 0)
			sim_response_error(
				res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				"GetRevision: block %lld of ledger '%s' could not be read",
				(long long)a.at.seq, a.l->name);
		free(text);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	add_proof(o, path, n);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Revision"), "IonText", text);
	free(text);
	sim_response_json(res, o);
}

const struct sim_route SIM_QLDB_ROUTES[] = {
	{ "GET", "/ledgers", "ListLedgers", handle_list_ledgers },
	{ "GET", "/ledgers/{name}", "DescribeLedger", handle_describe_ledger },
	{ "POST", "/ledgers/{name}/digest", "GetDigest", handle_get_digest },
	{ "POST", "/ledgers/{name}/block", "GetBlock", handle_get_block },
	{ "POST", "/ledgers/{name}/revision", "GetRevision", handle_get_revision },
};
const size_t SIM_QLDB_ROUTE_COUNT = sizeof SIM_QLDB_ROUTES / sizeof SIM_QLDB_ROUTES[0];

void sim_qldb_handle(struct sim_qldb *svc, const struct sim_request *req, struct sim_response *res)
{
	sim_route_dispatch(SIM_QLDB_ROUTES, SIM_QLDB_ROUTE_COUNT, svc, req, res);
}
