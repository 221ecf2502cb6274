/*
 * sim_qldb_tags.c - TagResource, UntagResource, ListTagsForResource on ledger
 * and journal stream ARNs (qldb_api.h). As the model documents for
 * TagResource, a key the resource already has makes the request fail
 * (InvalidParameterException) rather than overwrite; a resource holds at
 * most 200 tags.
 */
#include <stdio.h>
#include <string.h>

#include "sim/qldb_handlers.h"

/* The tags of the resource the path's ARN names, locked (*now set); NULL
 * after an error (the registry is then unlocked). mutate refuses a
 * ledger being deleted. */
static struct sim_tags *tags_of(struct sim_ledgers *ls, const struct sim_call *call, bool mutate,
				int64_t *now, struct sim_response *res)
{
	char ledger[SIM_LEDGER_NAME_MAX + 1], stream[SIM_ID_LEN + 1];
	const char *arn = call->params[0];
	if (sim_qldb_resource_arn(call, arn, ledger, stream, res) != 0)
		return NULL;
	*now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_ledgers_get(ls, ledger);
	struct sim_stream *s = l && stream[0] ? sim_ledger_stream_find(l, stream) : NULL;
	struct sim_tags *t = stream[0] ? (s ? &s->tags : NULL) : (l ? &l->tags : NULL);
	if (!t)
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, stream[0] ? "STREAM" : "LEDGER",
				   arn, NULL, "no resource %.200s", arn);
	else if (mutate && l->deleted_ms) {
		sim_response_error(res, SIM_ERR_RESOURCE_PRECONDITION, "LEDGER", ledger, NULL,
				   "%s: ledger '%s' is being deleted", call->operation, ledger);
		t = NULL;
	}
	if (!t)
		sim_ledgers_unlock(ls);
	return t;
}

void sim_qldb_tag_resource(void *svc, const struct sim_call *call, struct sim_response *res)
{
	cJSON *body = sim_qldb_body(call, res);
	const cJSON *m = NULL;
	if (!body || sim_qldb_tags(body, "Tags", true, &m, res) < 0) {
		cJSON_Delete(body);
		return;
	}
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now;
	struct sim_tags *t = tags_of(ls, call, true, &now, res);
	if (!t) {
		cJSON_Delete(body);
		return;
	}
	const cJSON *kv;
	size_t added = 0;
	int rc = 0;
	cJSON_ArrayForEach(kv, m)
	{
		added++;
		if (sim_tags_get(t, kv->string)) {
			sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "Tags",
					   "the resource already has a tag '%.128s'", kv->string);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && t->n + added > SIM_TAGS_MAX) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "Tags",
				   "a resource may hold at most %d tags (it has %zu, %zu more "
				   "asked)",
				   SIM_TAGS_MAX, t->n, added);
		rc = -1;
	}
	cJSON_ArrayForEach(kv, m)
	{
		if (rc == 0 &&
		    sim_tags_set(t, kv->string, cJSON_IsString(kv) ? kv->valuestring : "") != 0) {
			sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL,
					   "out of memory");
			rc = -1;
		}
	}
	if (rc == 0 && sim_qldb_changed(ls, res) == 0)
		sim_response_json(res, cJSON_CreateObject());
	sim_ledgers_unlock(ls);
	cJSON_Delete(body);
}

/* Characters of a query value (bytes that do not start a UTF-8 sequence
 * are continuation bytes and not counted; invalid text simply matches no
 * key). */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

void sim_qldb_untag_resource(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const struct sim_request *r = call->req;
	size_t n = 0;
	for (size_t i = 0; i < r->n_query; i++) {
		if (strcmp(r->query[i].key, "tagKeys") != 0)
			continue;
		size_t len = chars(r->query[i].value);
		if (len < 1 || len > SIM_TAG_KEY_MAX) {
			sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "TagKeys",
					   "TagKeys entries must be 1..%d characters",
					   SIM_TAG_KEY_MAX);
			return;
		}
		n++;
	}
	if (n == 0) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "TagKeys",
				   "TagKeys (query tagKeys) is required");
		return;
	}
	if (n > SIM_TAGS_MAX) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "TagKeys",
				   "TagKeys may list at most %d keys", SIM_TAGS_MAX);
		return;
	}
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now;
	struct sim_tags *t = tags_of(ls, call, true, &now, res);
	if (!t)
		return;
	for (size_t i = 0; i < r->n_query; i++)
		if (strcmp(r->query[i].key, "tagKeys") == 0)
			sim_tags_remove(t, r->query[i].value);
	if (sim_qldb_changed(ls, res) == 0)
		sim_response_json(res, cJSON_CreateObject());
	sim_ledgers_unlock(ls);
}

void sim_qldb_list_tags(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now;
	struct sim_tags *t = tags_of(ls, call, false, &now, res);
	if (!t)
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON *m = cJSON_AddObjectToObject(o, "Tags");
	for (size_t i = 0; i < t->n; i++)
		cJSON_AddStringToObject(m, t->v[i].key, t->v[i].value);
	sim_ledgers_unlock(ls);
	sim_response_json(res, o);
}
