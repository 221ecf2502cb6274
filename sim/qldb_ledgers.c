/*
 * qldb_ledgers.c - the ledger operations: CreateLedger, DescribeLedger,
 * UpdateLedger, UpdateLedgerPermissionsMode, DeleteLedger, ListLedgers
 * (qldb_api.h). Response members in the order of the model's output
 * shapes.
 */
#include <stdio.h>
#include <string.h>

#include "sim/qldb_handlers.h"

#define LIST_KIND "ListLedgers"

static const char *const PERMISSIONS_MODES[] = { "ALLOW_ALL", "STANDARD", NULL };

/* Name, Arn, State, CreationDateTime: the head every ledger answer has. */
static void add_head(cJSON *o, const struct sim_call *call, const struct sim_ledger *l, int64_t now)
{
	char arn[SIM_QLDB_ARN_BUF];
	sim_qldb_ledger_arn(call, l->name, arn);
	cJSON_AddStringToObject(o, "Name", l->name);
	cJSON_AddStringToObject(o, "Arn", arn);
	cJSON_AddStringToObject(o, "State", sim_ledger_state(l, now));
	cJSON_AddItemToObject(o, "CreationDateTime", sim_json_timestamp(l->created_ms));
}

/* LedgerEncryptionDescription: KmsKeyArn, EncryptionStatus. */
static void add_encryption(cJSON *o, const struct sim_call *call, const struct sim_ledger *l,
			   int64_t now)
{
	char kms[SIM_QLDB_ARN_BUF];
	sim_qldb_kms_key_arn(call, l->kms_key, kms);
	cJSON *enc = cJSON_AddObjectToObject(o, "EncryptionDescription");
	cJSON_AddStringToObject(enc, "KmsKeyArn", kms);
	cJSON_AddStringToObject(enc, "EncryptionStatus", sim_ledger_encryption_status(l, now));
	if (l->kms_inaccessible_ms)
		cJSON_AddItemToObject(enc, "InaccessibleKmsKeyDateTime",
				      sim_json_timestamp(l->kms_inaccessible_ms));
}

/* KmsKey member: 1 with *key, 0 absent, -1 after the error. */
static int kms_member(const cJSON *body, const char **key, struct sim_response *res)
{
	int rc = sim_qldb_str(body, "KmsKey", false, 1, SIM_ARN_MAX, key, res);
	if (rc == 1 && !sim_qldb_kms_key_valid(*key)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "KmsKey",
				   "KmsKey '%.80s' is not AWS_OWNED_KMS_KEY, a key id, a key or "
				   "alias ARN, or alias/NAME",
				   *key);
		return -1;
	}
	return rc;
}

/* Tag map members into t (replacing); 0 or -1 after a 500. */
static int tags_into(const cJSON *m, struct sim_tags *t, struct sim_response *res)
{
	const cJSON *kv;
	cJSON_ArrayForEach(kv, m)
	{
		if (sim_tags_set(t, kv->string, cJSON_IsString(kv) ? kv->valuestring : "") != 0) {
			sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
					   "out of memory");
			return -1;
		}
	}
	return 0;
}

void sim_qldb_create_ledger(void *svc, const struct sim_call *call, struct sim_response *res)
{
	cJSON *body = sim_qldb_body(call, res);
	if (!body)
		return;
	const char *name = NULL, *mode = NULL, *kms = SIM_AWS_OWNED_KMS_KEY;
	const cJSON *tags = NULL;
	bool protect = true;
	if (sim_qldb_str(body, "Name", true, 1, SIM_LEDGER_NAME_MAX, &name, res) < 0 ||
	    sim_qldb_enum(body, "PermissionsMode", true, PERMISSIONS_MODES, &mode, res) < 0 ||
	    sim_qldb_tags(body, "Tags", false, &tags, res) < 0 ||
	    sim_qldb_bool(body, "DeletionProtection", false, &protect, res) < 0 ||
	    kms_member(body, &kms, res) < 0) {
		cJSON_Delete(body);
		return;
	}
	if (!sim_ledger_name_valid(name)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "Name",
				   "invalid ledger name '%.40s': 1..32 of [A-Za-z0-9-], not all "
				   "digits, no leading, trailing or double '-'",
				   name);
		cJSON_Delete(body);
		return;
	}
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *old = sim_ledgers_get(ls, name), *l = NULL;
	char err[SIM_ERR_MAX];
	if (old && old->deleted_ms)
		sim_response_error(res, SIM_ERR_RESOURCE_IN_USE, "LEDGER", name, NULL,
				   "Ledger '%s' is being deleted; its name is still in use", name);
	else if (old)
		sim_response_error(res, SIM_ERR_RESOURCE_EXISTS, "LEDGER", name, NULL,
				   "Ledger '%s' already exists", name);
	else if (sim_ledgers_live(ls) >= ls->cfg.max_ledgers || ls->n >= SIM_LEDGERS_RETAINED_MAX)
		sim_response_error(res, SIM_ERR_LIMIT_EXCEEDED, "LEDGER", NULL, NULL,
				   "the endpoint holds at most %zu ledgers (and %d ever created)",
				   ls->cfg.max_ledgers, SIM_LEDGERS_RETAINED_MAX);
	else if (!(l = sim_ledgers_create(ls, name, now, err, sizeof err)))
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
				   "CreateLedger: the journal of '%s' could not be made: %s", name,
				   err);
	if (l) {
		l->permissions_mode = mode;
		l->deletion_protection = protect;
		if (sim_ledger_set_kms_key(l, kms, 0) != 0 ||
		    (tags && tags_into(tags, &l->tags, res) != 0))
			sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
					   "out of memory");
		else if (sim_qldb_changed(ls, res) == 0) {
			char kms_arn[SIM_QLDB_ARN_BUF];
			sim_qldb_kms_key_arn(call, l->kms_key, kms_arn);
			cJSON *o = cJSON_CreateObject();
			add_head(o, call, l, now);
			cJSON_AddStringToObject(o, "PermissionsMode", l->permissions_mode);
			cJSON_AddBoolToObject(o, "DeletionProtection", l->deletion_protection);
			cJSON_AddStringToObject(o, "KmsKeyArn", kms_arn);
			sim_response_json(res, o);
		}
	}
	sim_ledgers_unlock(ls);
	cJSON_Delete(body);
}

void sim_qldb_describe_ledger(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "Name", res);
	if (!name)
		return;
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	const struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	if (l) {
		cJSON *o = cJSON_CreateObject();
		add_head(o, call, l, now);
		cJSON_AddStringToObject(o, "PermissionsMode", l->permissions_mode);
		cJSON_AddBoolToObject(o, "DeletionProtection", l->deletion_protection);
		add_encryption(o, call, l, now);
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
}

/* The path's ledger, locked, not being deleted; NULL after an error (the
 * registry is then unlocked). */
static struct sim_ledger *ledger_to_change(struct sim_ledgers *ls, const struct sim_call *call,
					   int64_t *now, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "Name", res);
	if (!name)
		return NULL;
	*now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	if (l && l->deleted_ms) {
		sim_response_error(res, SIM_ERR_RESOURCE_PRECONDITION, "LEDGER", name, NULL,
				   "%s: ledger '%s' is being deleted", call->operation, name);
		l = NULL;
	}
	if (!l)
		sim_ledgers_unlock(ls);
	return l;
}

void sim_qldb_update_ledger(void *svc, const struct sim_call *call, struct sim_response *res)
{
	cJSON *body = sim_qldb_path_name(call, "Name", res) ? sim_qldb_body(call, res) : NULL;
	const char *kms = NULL;
	bool protect = false;
	int has_protect =
		body ? sim_qldb_bool(body, "DeletionProtection", false, &protect, res) : -1;
	int has_kms = has_protect >= 0 ? kms_member(body, &kms, res) : -1;
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now;
	struct sim_ledger *l = has_kms >= 0 ? ledger_to_change(ls, call, &now, res) : NULL;
	if (!l) {
		cJSON_Delete(body);
		return;
	}
	if (has_protect)
		l->deletion_protection = protect;
	if (has_kms && sim_ledger_set_kms_key(l, kms, now) != 0)
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL, "out of memory");
	else if (sim_qldb_changed(ls, res) == 0) {
		cJSON *o = cJSON_CreateObject();
		add_head(o, call, l, now);
		cJSON_AddBoolToObject(o, "DeletionProtection", l->deletion_protection);
		add_encryption(o, call, l, now);
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
	cJSON_Delete(body);
}

void sim_qldb_update_permissions_mode(void *svc, const struct sim_call *call,
				      struct sim_response *res)
{
	cJSON *body = sim_qldb_path_name(call, "Name", res) ? sim_qldb_body(call, res) : NULL;
	const char *mode = NULL;
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now;
	struct sim_ledger *l = body && sim_qldb_enum(body, "PermissionsMode", true,
						     PERMISSIONS_MODES, &mode, res) > 0
				       ? ledger_to_change(ls, call, &now, res)
				       : NULL;
	cJSON_Delete(body);
	if (!l)
		return;
	l->permissions_mode = mode;
	if (sim_qldb_changed(ls, res) == 0) {
		char arn[SIM_QLDB_ARN_BUF];
		sim_qldb_ledger_arn(call, l->name, arn);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Name", l->name);
		cJSON_AddStringToObject(o, "Arn", arn);
		cJSON_AddStringToObject(o, "PermissionsMode", l->permissions_mode);
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
}

void sim_qldb_delete_ledger(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "Name", res);
	if (!name)
		return;
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	const char *state = l ? sim_ledger_state(l, now) : NULL;
	if (l && strcmp(state, "ACTIVE") != 0)
		sim_response_error(res, SIM_ERR_RESOURCE_IN_USE, "LEDGER", name, NULL,
				   "Ledger '%s' is %s and cannot be deleted now", name, state);
	else if (l && l->deletion_protection)
		sim_response_error(res, SIM_ERR_RESOURCE_PRECONDITION, "LEDGER", name, NULL,
				   "Ledger '%s' has deletion protection; turn it off with "
				   "UpdateLedger first",
				   name);
	else if (l) {
		sim_ledgers_delete(ls, l, now);
		if (sim_qldb_changed(ls, res) == 0)
			sim_response_json(res, cJSON_CreateObject());
	}
	sim_ledgers_unlock(ls);
}

void sim_qldb_list_ledgers(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	size_t max;
	uint64_t after;
	if (sim_qldb_page(ls, call, LIST_KIND, "", &max, &after, res) != 0)
		return;
	int64_t now = sim_ledgers_lock(ls);
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "Ledgers");
	size_t n = 0;
	uint64_t last = 0;
	bool more = false;
	for (size_t i = 0; i < ls->n; i++) {
		const struct sim_ledger *l = ls->v[i];
		if (l->gone || l->seq <= after)
			continue;
		if (n == max) {
			more = true;
			break;
		}
		cJSON *s = cJSON_CreateObject();
		cJSON_AddItemToArray(list, s);
		cJSON_AddStringToObject(s, "Name", l->name);
		cJSON_AddStringToObject(s, "State", sim_ledger_state(l, now));
		cJSON_AddItemToObject(s, "CreationDateTime", sim_json_timestamp(l->created_ms));
		last = l->seq;
		n++;
	}
	if (more)
		sim_qldb_page_token(ls, o, LIST_KIND, "", last);
	sim_ledgers_unlock(ls);
	sim_response_json(res, o);
}
