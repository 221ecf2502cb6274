/*
 * resource_tags.c - the tags descriptor: ListTagsForResource on the
 * ledger's ARN (STORE_TAGS; struct qldb_tags), every 30 s like the ledger.
 *
 * The descriptor's fetch is given only the ledger's name, and a tag call
 * needs its ARN, which embeds the account id the client does not know: so
 * each poll asks DescribeLedger for the ARN first (two small calls per
 * 30 s) rather than guess an ARN that could name another account's ledger.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "api/resource.h"

static void tags_free(void *v)
{
	qldb_tags_free(v);
	free(v);
}

static int tags_fetch(struct http_client *c, const char *ledger, void **value,
		      struct api_error *err)
{
	*value = NULL;
	struct qldb_ledger *l = malloc(sizeof *l);
	struct qldb_tags *t = calloc(1, sizeof *t);
	int rc;
	if (!l || !t)
		rc = api_error_set(err, API_ERR_NOMEM, "tags %s: out of memory", ledger);
	else if (!(rc = qldb_describe_ledger(c, ledger, l, err)) &&
		 !(rc = qldb_list_tags(c, l->arn, t, err))) {
		*value = t;
		t = NULL;
	}
	free(l);
	if (t)
		tags_free(t);
	return rc;
}

/* snapshot --json: [{"key": K, "value": V}, ...] sorted by key (the
 * snapshot hands every kind an array; pairs keep the order stable). */
static void tags_json(const void *value, cJSON *arr)
{
	const struct qldb_tags *t = value;
	for (size_t i = 0; i < t->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "key", t->items[i].key);
		cJSON_AddStringToObject(o, "value", t->items[i].value);
		cJSON_AddItemToArray(arr, o);
	}
}

const struct resource_desc RESOURCE_TAGS = {
	.name = "tags",
	.operation = "ListTagsForResource",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 30,
	.kind = STORE_TAGS,
	.fetch = tags_fetch,
	.free_value = tags_free,
	.to_json = tags_json,
};
