/*
 * qldb_journal.c - the journal reads: GetDigest, GetBlock, GetRevision
 * (qldb_api.h). The registry lock is held only to find the ledger and
 * check it is ACTIVE; the journal (which outlives any deletion, ledger.h)
 * is read after, under its own lock. Each read answered counts one
 * ReadIO of its ledger (sim/metrics.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/metrics.h"
#include "sim/qldb_handlers.h"
#include "verify/base64.h"
#include "verify/qldb_proof.h"

/* The journal of the ACTIVE ledger named by the path, with its name in
 * name; NULL after an error response. */
static struct sim_journal *journal_of(void *svc, const struct sim_call *call,
				      struct sim_response *res, char name[SIM_LEDGER_NAME_MAX + 1])
{
	const char *n = sim_qldb_path_name(call, "Name", res);
	if (!n)
		return NULL;
	snprintf(name, SIM_LEDGER_NAME_MAX + 1, "%s", n);
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_qldb_ledger_get(ls, n, res);
	struct sim_journal *j =
		l && sim_qldb_ledger_active(l, now, call->operation, res) == 0 ? l->journal : NULL;
	sim_ledgers_unlock(ls);
	return j;
}

void sim_qldb_get_digest(void *svc, const struct sim_call *call, struct sim_response *res)
{
	char name[SIM_LEDGER_NAME_MAX + 1];
	struct sim_journal *j = journal_of(svc, call, res, name);
	cJSON *body = j ? sim_qldb_body(call, res) : NULL;
	if (!body)
		return;
	cJSON_Delete(body);
	struct qldb_hash digest;
	int64_t tip;
	if (sim_journal_digest(j, &digest, &tip) != 0 || digest.len != 32) {
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				   "GetDigest: the digest of ledger '%s' could not be computed",
				   name);
		return;
	}
	char b64[BASE64_ENCODED_SIZE(32)], tip_text[128];
	base64_encode(digest.b, 32, b64);
	snprintf(tip_text, sizeof tip_text, "{strandId:\"%s\",sequenceNo:%" PRId64 "}",
		 sim_journal_strand(j), tip);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Digest", b64);
	cJSON *addr = cJSON_AddObjectToObject(o, "DigestTipAddress");
	cJSON_AddStringToObject(addr, "IonText", tip_text);
	if (sim_response_json(res, o) == 0)
		sim_metrics_count_read(sim_qldb_registry(svc), name);
}

/* body.member.IonText read as a block address of the journal's strand;
 * 0, or -1 after an InvalidParameterException naming the member. */
static int address_member(const cJSON *body, const char *member, struct sim_journal *j,
			  const char *name, struct qldb_address *a, struct sim_response *res)
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
	if (strcmp(a->strand, sim_journal_strand(j)) != 0 ||
	    (size_t)a->seq >= sim_journal_block_count(j)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, member,
				   "%s {strandId:\"%s\",sequenceNo:%lld} is not a block of ledger "
				   "'%s'",
				   member, a->strand, (long long)a->seq, name);
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

/* The request of GetBlock and GetRevision: the journal, the body (the
 * caller deletes it), BlockAddress and DigestTipAddress (optional unless
 * tip_required; has_tip says), with the tip at or after the block.
 * Returns 0, or -1 after an error response. */
struct addressed {
	struct sim_journal *j;
	char name[SIM_LEDGER_NAME_MAX + 1];
	cJSON *body;
	struct qldb_address at, tip;
	bool has_tip;
};

static int addressed_read(void *svc, const struct sim_call *call, struct sim_response *res,
			  bool tip_required, struct addressed *a)
{
	memset(a, 0, sizeof *a);
	a->j = journal_of(svc, call, res, a->name);
	if (!a->j || !(a->body = sim_qldb_body(call, res)))
		return -1;
	a->has_tip = tip_required || cJSON_GetObjectItemCaseSensitive(a->body, "DigestTipAddress");
	if (address_member(a->body, "BlockAddress", a->j, a->name, &a->at, res) ||
	    (a->has_tip &&
	     address_member(a->body, "DigestTipAddress", a->j, a->name, &a->tip, res)))
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
void sim_qldb_get_block(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct addressed a;
	int rc = addressed_read(svc, call, res, false, &a);
	cJSON_Delete(a.body);
	if (rc)
		return;
	size_t len = 0, n = 0;
	char *text = sim_journal_block_text(a.j, a.at.seq, &len);
	struct qldb_hash path[QLDB_PROOF_MAX];
	if (!text || (a.has_tip && sim_journal_block_proof(a.j, a.at.seq, a.tip.seq, path,
							   QLDB_PROOF_MAX, &n) != 0)) {
		free(text);
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				   "GetBlock: block %lld of ledger '%s' could not be read",
				   (long long)a.at.seq, a.name);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Block"), "IonText", text);
	free(text);
	if (a.has_tip)
		add_proof(o, path, n);
	if (sim_response_json(res, o) == 0)
		sim_metrics_count_read(sim_qldb_registry(svc), a.name);
}

/* GetRevision: a document's revision in a block, with its proof to the
 * digest at DigestTipAddress (required, as in the model). */
void sim_qldb_get_revision(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct addressed a;
	if (addressed_read(svc, call, res, true, &a)) {
		cJSON_Delete(a.body);
		return;
	}
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(a.body, "DocumentId");
	char doc[SIM_ID_LEN + 1] = "";
	if (cJSON_IsString(d) && sim_unique_id_valid(d->valuestring))
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
	int rc = sim_journal_revision(a.j, a.at.seq, a.tip.seq, doc, &text, path, QLDB_PROOF_MAX,
				      &n);
	if (rc == 1)
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "DocumentId",
				   "block %lld holds no revision of document %s",
				   (long long)a.at.seq, doc);
	if (rc != 0) {
		if (rc < 0)
			sim_response_error(
				res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				"GetRevision: block %lld of ledger '%s' could not be read",
				(long long)a.at.seq, a.name);
		free(text);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	add_proof(o, path, n);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Revision"), "IonText", text);
	free(text);
	if (sim_response_json(res, o) == 0)
		sim_metrics_count_read(sim_qldb_registry(svc), a.name);
}
