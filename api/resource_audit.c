/*
 * resource_audit.c - the audit descriptor and its auditors (see
 * resource_audit.h).
 */
#include "api/resource_audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auditor.h"
#include "api/qldb_proofs.h"
#include "api/resource.h"
#include "api/vault.h"

/* One ledger's auditor. client is the worker's, set for each round
 * (the auditor's ops context points at this struct). */
struct audit_slot {
	char ledger[QLDB_NAME_MAX + 1];
	pthread_mutex_t mu;
	struct auditor *auditor;
	struct vault *vault;
	struct http_client *client;
	char error[API_ERROR_MSG_MAX]; /* why it could not be made, "" if made */
};

static struct {
	pthread_mutex_t mu;
	bool ready;
	struct store *store;
	struct api_config *cfg;
	bool use_vault;
	char vault_root[API_PATH_MAX];
	bool has_root;
	size_t n;
	struct audit_slot *slots[RESOURCE_AUDIT_LEDGERS_MAX];
} R = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* The ops the auditor calls: the production ones on this round's client. */
static int slot_get_digest(void *ctx, const char *ledger, struct qldb_digest *out,
			   struct api_error *err)
{
	struct audit_slot *s = ctx;
	return qldb_proofs_audit_ops.get_digest(s->client, ledger, out, err);
}

static int slot_get_block(void *ctx, const char *ledger, const char *block_ion, const char *tip_ion,
			  char **json, size_t *len, struct api_error *err)
{
	struct audit_slot *s = ctx;
	return qldb_proofs_audit_ops.get_block(s->client, ledger, block_ion, tip_ion, json, len,
					       err);
}

static const struct audit_ops SLOT_OPS = { slot_get_digest, slot_get_block };

static const enum store_audit_result RESULT_MAP[AUDIT_RESULT_COUNT] = {
	[AUDIT_VERIFIED] = STORE_AUDIT_VERIFIED,
	[AUDIT_FAILED] = STORE_AUDIT_FAILED,
	[AUDIT_UNVERIFIED] = STORE_AUDIT_UNVERIFIED,
};

/* An auditor event into the store's ring, as a plain value. */
static void emit_to_store(void *ctx, const struct audit_event *e)
{
	(void)ctx;
	struct store_audit_event ev = { .time = e->time, .result = RESULT_MAP[e->result] };
	snprintf(ev.ledger, sizeof ev.ledger, "%s", e->ledger);
	snprintf(ev.kind, sizeof ev.kind, "%s", audit_kind_name(e->kind));
	if (e->strand[0] && e->seq >= 0)
		snprintf(ev.block_address, sizeof ev.block_address,
			 "{strandId:\"%s\",sequenceNo:%lld}", e->strand, (long long)e->seq);
	snprintf(ev.expected_b64, sizeof ev.expected_b64, "%s", e->expected);
	snprintf(ev.computed_b64, sizeof ev.computed_b64, "%s", e->computed);
	snprintf(ev.message, sizeof ev.message, "%.250s", e->message);
	if (R.store)
		store_audit_append(R.store, &ev);
}

int resource_audit_setup(struct store *store, const struct api_config *cfg, bool use_vault,
			 const char *vault_root, struct api_error *err)
{
	struct api_config *copy = malloc(sizeof *copy);
	if (!copy)
		return api_error_set(err, API_ERR_NOMEM, "audit: out of memory");
	*copy = *cfg;
	pthread_mutex_lock(&R.mu);
	R.store = store;
	R.cfg = copy;
	R.use_vault = use_vault;
	R.has_root = vault_root != NULL;
	snprintf(R.vault_root, sizeof R.vault_root, "%s", vault_root ? vault_root : "");
	R.n = 0;
	R.ready = true;
	pthread_mutex_unlock(&R.mu);
	return 0;
}

void resource_audit_teardown(void)
{
	pthread_mutex_lock(&R.mu);
	for (size_t i = 0; i < R.n; i++) {
		struct audit_slot *s = R.slots[i];
		auditor_free(s->auditor);
		vault_free(s->vault);
		pthread_mutex_destroy(&s->mu);
		free(s);
	}
	if (R.cfg) {
		api_config_wipe(R.cfg);
		free(R.cfg);
	}
	R.cfg = NULL;
	R.store = NULL;
	R.n = 0;
	R.ready = false;
	pthread_mutex_unlock(&R.mu);
}

/* The ledger's slot, made on first use (with its vault and auditor);
 * NULL with err when audit is not set up or the table is full. */
static struct audit_slot *slot_get(const char *ledger, struct api_error *err)
{
	struct audit_slot *s = NULL;
	pthread_mutex_lock(&R.mu);
	if (!R.ready) {
		pthread_mutex_unlock(&R.mu);
		api_error_set(err, API_ERR_CONFIG, "audit %s: the auditor is not running", ledger);
		return NULL;
	}
	for (size_t i = 0; i < R.n && !s; i++)
		if (strcmp(R.slots[i]->ledger, ledger) == 0)
			s = R.slots[i];
	if (!s && R.n < RESOURCE_AUDIT_LEDGERS_MAX && (s = calloc(1, sizeof *s)) != NULL) {
		snprintf(s->ledger, sizeof s->ledger, "%s", ledger);
		pthread_mutex_init(&s->mu, NULL);
		struct api_error e;
		api_error_clear(&e);
		if (R.use_vault)
			s->vault = vault_open(R.has_root ? R.vault_root : NULL, R.cfg->endpoint,
					      R.cfg->region, ledger, NULL, &e);
		struct audit_config ac = { .ledger = ledger,
					   .ops = &SLOT_OPS,
					   .ops_ctx = s,
					   .emit = emit_to_store,
					   .vault = s->vault };
		if (R.use_vault && !s->vault)
			snprintf(s->error, sizeof s->error, "vault: %.240s", e.msg);
		else if (!(s->auditor = auditor_new(&ac, &e)))
			snprintf(s->error, sizeof s->error, "%s", e.msg);
		R.slots[R.n++] = s;
	}
	pthread_mutex_unlock(&R.mu);
	if (!s)
		api_error_set(err, API_ERR_LIMIT, "audit %s: more than %d ledgers audited", ledger,
			      RESOURCE_AUDIT_LEDGERS_MAX);
	return s;
}

static int audit_fetch(struct http_client *c, const char *ledger, void **value,
		       struct api_error *err)
{
	*value = NULL;
	struct audit_slot *s = slot_get(ledger, err);
	if (!s)
		return err->status;
	pthread_mutex_lock(&s->mu);
	int rc;
	if (s->error[0]) {
		rc = api_error_set(err, API_ERR_CONFIG, "audit %s: %s", ledger, s->error);
	} else {
		s->client = c;
		rc = auditor_round(s->auditor);
		s->client = NULL;
		struct audit_summary *sum = rc ? NULL : malloc(sizeof *sum);
		if (sum)
			auditor_summary(s->auditor, sum);
		else if (!rc)
			rc = api_error_set(err, API_ERR_NOMEM, "audit %s: out of memory", ledger);
		else
			api_error_set(err, rc, "audit %s: no digest to audit (see the audit log)",
				      ledger);
		*value = sum;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

const struct resource_desc RESOURCE_AUDIT = {
	.name = "audit",
	.operation = "GetDigest+GetBlock",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 10,
	.kind = STORE_AUDIT,
	.needs_active = true,
	.fetch = audit_fetch,
	.free_value = free,
};
