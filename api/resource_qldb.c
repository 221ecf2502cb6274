/*
 * resource_qldb.c - the QLDB control-plane descriptors: ListLedgers (every
 * page), DescribeLedger, GetDigest. The requests and parsers are api/qldb's;
 * only the pager is here, because qldb_list_ledgers reads one page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "api/resource.h"

#define RESOURCE_QUERY_MAX (32 + 3 * RESOURCE_TOKEN_MAX) /* every byte %XX at worst */

int resource_ledgers_query(const char *token, char *out, size_t cap, struct api_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	int n = snprintf(out, cap, "max_results=%d", QLDB_LIST_MAX);
	if (n < 0 || (size_t)n >= cap)
		return api_error_set(err, API_ERR_LIMIT, "ListLedgers: query buffer too small");
	if (!token)
		return 0;
	size_t len = strlen(token), o = (size_t)n;
	if (len == 0 || len > RESOURCE_TOKEN_MAX)
		return api_error_set(err, API_ERR_LIMIT,
				     "ListLedgers: NextToken of %zu characters (1..%d)", len,
				     RESOURCE_TOKEN_MAX);
	const char *key = "&next_token=";
	if (o + strlen(key) + 3 * len + 1 > cap)
		return api_error_set(err, API_ERR_LIMIT, "ListLedgers: query buffer too small");
	memcpy(out + o, key, strlen(key));
	o += strlen(key);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)token[i];
		/* RFC 3986 unreserved characters stay; SigV4 encodes the rest */
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return 0;
}

int resource_ledgers_next_token(const char *json, size_t len, char *token, size_t cap,
				struct api_error *err)
{
	char why[API_ERROR_MSG_MAX];
	token[0] = '\0';
	cJSON *root = json_strict_parse(json, len, "ListLedgers", why, sizeof why);
	if (!root)
		return api_error_set(err, API_ERR_PARSE, "%s", why);
	int rc = 0;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "NextToken");
	if (t && !cJSON_IsNull(t)) {
		size_t tl = cJSON_IsString(t) ? strlen(t->valuestring) : 0;
		if (!cJSON_IsString(t))
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListLedgers: NextToken: expected a string, got %s",
					   json_type_name(t));
		else if (tl == 0 || tl > RESOURCE_TOKEN_MAX || tl >= cap)
			rc = api_error_set(err, API_ERR_LIMIT,
					   "ListLedgers: NextToken of %zu characters (1..%d)", tl,
					   RESOURCE_TOKEN_MAX);
		else
			memcpy(token, t->valuestring, tl + 1);
	}
	cJSON_Delete(root);
	return rc;
}

bool resource_ledgers_append(struct resource_ledger_list *list, const struct qldb_ledger_list *page)
{
	for (size_t i = 0; i < page->n; i++) {
		if (list->n == RESOURCE_LEDGERS_MAX) {
			list->truncated = true;
			return false;
		}
		list->items[list->n++] = page->items[i];
	}
	return true;
}

/* ListLedgers, following NextToken until the last page, a repeated token
 * (a service loop) or the caps. */
static int fetch_ledgers(struct http_client *c, const char *ledger, void **value,
			 struct api_error *err)
{
	(void)ledger;
	*value = NULL;
	struct resource_ledger_list *list = calloc(1, sizeof *list);
	struct qldb_ledger_list *page = malloc(sizeof *page);
	char *token = calloc(2, RESOURCE_TOKEN_MAX + 1);
	char *query = malloc(RESOURCE_QUERY_MAX);
	int rc = 0;
	if (!list || !page || !token || !query) {
		rc = api_error_set(err, API_ERR_NOMEM, "ListLedgers: out of memory");
		goto out;
	}
	char *prev = token + RESOURCE_TOKEN_MAX + 1;
	for (int n = 0;; n++) {
		if (n == RESOURCE_PAGES_MAX) {
			list->truncated = true;
			break;
		}
		if ((rc = resource_ledgers_query(n ? token : NULL, query, RESOURCE_QUERY_MAX, err)))
			goto out;
		struct http_request req = { .op = "ListLedgers",
					    .method = "GET",
					    .path = "/ledgers",
					    .query = query,
					    .max_response = QLDB_RESPONSE_MAX };
		struct http_response resp;
		if ((rc = http_request_perform(c, &req, &resp, err)))
			goto out;
		if (!resp.body)
			rc = api_error_set(err, API_ERR_PARSE, "ListLedgers: empty response body");
		else if (!(rc = qldb_parse_list_ledgers(resp.body, resp.len, page, err))) {
			memcpy(prev, token, RESOURCE_TOKEN_MAX + 1);
			rc = resource_ledgers_next_token(resp.body, resp.len, token,
							 RESOURCE_TOKEN_MAX + 1, err);
		}
		http_response_free(&resp);
		if (rc)
			goto out;
		if (!resource_ledgers_append(list, page) || !token[0])
			break;
		if (strcmp(token, prev) == 0) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListLedgers: page %d repeats the previous NextToken",
					   n + 1);
			goto out;
		}
	}
	*value = list;
	list = NULL;
out:
	free(list);
	free(page);
	free(token);
	free(query);
	return rc;
}

static int fetch_ledger(struct http_client *c, const char *ledger, void **value,
			struct api_error *err)
{
	struct qldb_ledger *v = malloc(sizeof *v);
	*value = NULL;
	if (!v)
		return api_error_set(err, API_ERR_NOMEM, "DescribeLedger %s: out of memory",
				     ledger);
	int rc = qldb_describe_ledger(c, ledger, v, err);
	if (rc)
		free(v);
	else
		*value = v;
	return rc;
}

static int fetch_digest(struct http_client *c, const char *ledger, void **value,
			struct api_error *err)
{
	struct qldb_digest *v = malloc(sizeof *v);
	*value = NULL;
	if (!v)
		return api_error_set(err, API_ERR_NOMEM, "GetDigest %s: out of memory", ledger);
	int rc = qldb_get_digest(c, ledger, v, err);
	if (rc)
		free(v);
	else
		*value = v;
	return rc;
}

const struct resource_desc RESOURCE_LEDGERS = {
	.name = "ledgers",
	.operation = "ListLedgers",
	.scope = RESOURCE_SCOPE_ACCOUNT,
	.base_interval_s = 30,
	.kind = STORE_LEDGER_LIST,
	.fetch = fetch_ledgers,
	.free_value = free,
};

const struct resource_desc RESOURCE_LEDGER = {
	.name = "ledger",
	.operation = "DescribeLedger",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 30,
	.kind = STORE_LEDGER,
	.fetch = fetch_ledger,
	.free_value = free,
};

const struct resource_desc RESOURCE_DIGEST = {
	.name = "digest",
	.operation = "GetDigest",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 10,
	.kind = STORE_DIGEST,
	.needs_active = true,
	.fetch = fetch_digest,
	.free_value = free,
};
