/*
 * s3.c - ListObjectsV2 and ranged GetObject (see s3.h): URI and key
 * encoding, the XML parsers (over api/xml.h) and the requests.
 *
 * Requests go through api/http.c (its own SigV4 signer signs service
 * "s3" the S3 way; credentials from the provider; retries), with Range and
 * X-Amz-Target as extra signed headers: s3_shim_perform is the one request
 * function of this file and of api/kinesis.c.
 */
#include "api/s3.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/http.h"
#include "api/xml.h"

#define S3_TIMEOUT_MS 60000L /* one range of S3_GET_CHUNK, or one page */

struct s3_client {
	struct http_client *http;
};

/* ---- pure pieces ----------------------------------------------------- */

static bool bucket_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

int s3_uri_parse(const char *uri, char *bucket, size_t bucket_cap, char *prefix, size_t prefix_cap,
		 struct api_error *err)
{
	static const char SCHEME[] = "s3://";
	if (strncmp(uri, SCHEME, sizeof SCHEME - 1) != 0)
		return api_error_set(err, API_ERR_CONFIG, "%.60s: not an s3:// URI", uri);
	const char *b = uri + sizeof SCHEME - 1;
	const char *slash = strchr(b, '/');
	size_t bn = slash ? (size_t)(slash - b) : strlen(b);
	for (size_t i = 0; i < bn; i++)
		if (!bucket_char(b[i]))
			return api_error_set(err, API_ERR_CONFIG,
					     "%.60s: the bucket name has a character other than "
					     "letters, digits, '.', '-' and '_'",
					     uri);
	if (bn < 3 || bn > S3_BUCKET_MAX || bn >= bucket_cap)
		return api_error_set(err, API_ERR_CONFIG,
				     "%.60s: a bucket name is 3 to %d characters", uri,
				     S3_BUCKET_MAX);
	const char *p = slash ? slash + 1 : "";
	size_t pn = strlen(p);
	if (pn > S3_KEY_MAX || pn >= prefix_cap)
		return api_error_set(err, API_ERR_CONFIG, "%.60s: the prefix exceeds %d bytes", uri,
				     S3_KEY_MAX);
	for (size_t i = 0; i < pn; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return api_error_set(err, API_ERR_CONFIG,
					     "%.60s: a control character in the prefix", uri);
	memcpy(bucket, b, bn);
	bucket[bn] = '\0';
	memcpy(prefix, p, pn + 1);
	return 0;
}

int s3_encode(const char *s, bool keep_slash, char *dst, size_t cap)
{
	static const char HEX[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
			     c == '~' || (keep_slash && c == '/');
		if (o + (plain ? 1 : 3) >= cap)
			return -1;
		if (plain) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '%';
			dst[o++] = HEX[c >> 4];
			dst[o++] = HEX[c & 15];
		}
	}
	if (o >= cap)
		return -1;
	dst[o] = '\0';
	return (int)o;
}

void s3_listing_free(struct s3_listing *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].key);
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* A decimal of at most 2^63-1, digits only. */
static int parse_u63(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_C(0x7fffffffffffffff) - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* The text of a leaf child: absent -> NULL; an element with children is
 * an error (text expected). */
static int leaf_text(const struct xml_node *parent, const char *name, const char *what,
		     const char **out, size_t *len, struct api_error *err)
{
	*out = NULL;
	const struct xml_node *n = xml_child(parent, name);
	if (!n)
		return 0;
	if (xml_next(n, name))
		return api_error_set(err, API_ERR_PARSE, "%s: <%s> appears twice in <%s>", what,
				     name, xml_name(parent));
	if (xml_has_children(n))
		return api_error_set(err, API_ERR_PARSE, "%s: <%s> holds elements, not text", what,
				     name);
	*out = xml_text(n, len);
	return 0;
}

static int list_add(struct s3_listing *out, const char *key, size_t len, uint64_t size,
		    struct api_error *err)
{
	if (out->n >= S3_LIST_MAX_KEYS)
		return api_error_set(err, API_ERR_LIMIT,
				     "ListObjectsV2: more than %u keys under the prefix",
				     S3_LIST_MAX_KEYS);
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 256;
		struct s3_object *p = realloc(out->items, cap * sizeof *p);
		if (!p)
			return api_error_set(err, API_ERR_NOMEM, "ListObjectsV2: out of memory");
		out->items = p;
		out->cap = cap;
	}
	char *k = malloc(len + 1);
	if (!k)
		return api_error_set(err, API_ERR_NOMEM, "ListObjectsV2: out of memory");
	memcpy(k, key, len + 1);
	out->items[out->n].key = k;
	out->items[out->n].size = size;
	out->n++;
	return 0;
}

int s3_parse_list_objects_v2(const char *xml, size_t len, const char *bucket, const char *prefix,
			     struct s3_listing *out, struct s3_list_page *page,
			     struct api_error *err)
{
	static const char OP[] = "ListObjectsV2";
	memset(page, 0, sizeof *page);
	struct xml_doc *d = xml_parse(xml, len, OP, err);
	if (!d)
		return err->status;
	size_t first_new = out->n;
	int rc = 0;
	const struct xml_node *root = xml_root(d);
	const char *t, *key, *size_s;
	size_t tl, kl;
	if (strcmp(xml_name(root), "ListBucketResult") != 0) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "%s: the answer is <%.40s>, not <ListBucketResult>", OP,
				   xml_name(root));
		goto out;
	}
	if ((rc = leaf_text(root, "Name", OP, &t, &tl, err)))
		goto out;
	if (t && strcmp(t, bucket) != 0) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "%s: the answer names bucket \"%.60s\", not %s", OP, t, bucket);
		goto out;
	}
	/* the page must answer the request made: this prefix, no delimiter
	 * (keys grouped into CommonPrefixes would be objects never listed) */
	if ((rc = leaf_text(root, "Prefix", OP, &t, &tl, err)))
		goto out;
	if (t && strcmp(t, prefix) != 0) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "%s: the answer is for prefix \"%.60s\", not the one asked for",
				   OP, t);
		goto out;
	}
	if ((rc = leaf_text(root, "Delimiter", OP, &t, &tl, err)))
		goto out;
	if ((t && t[0]) || xml_child(root, "CommonPrefixes")) {
		rc = api_error_set(
			err, API_ERR_PARSE,
			"%s: the answer groups keys by a delimiter that was not asked for", OP);
		goto out;
	}
	if ((rc = leaf_text(root, "IsTruncated", OP, &t, &tl, err)))
		goto out;
	if (!t || (strcmp(t, "true") != 0 && strcmp(t, "false") != 0)) {
		rc = api_error_set(err, API_ERR_PARSE, "%s: <IsTruncated> is %s", OP,
				   t ? "neither true nor false" : "missing");
		goto out;
	}
	page->truncated = strcmp(t, "true") == 0;
	size_t plen = strlen(prefix);
	size_t i = 0;
	for (const struct xml_node *c = xml_child(root, "Contents"); c;
	     c = xml_next(c, "Contents"), i++) {
		if ((rc = leaf_text(c, "Key", OP, &key, &kl, err)) ||
		    (rc = leaf_text(c, "Size", OP, &size_s, &tl, err)))
			goto out;
		if (!key || kl == 0) {
			rc = api_error_set(err, API_ERR_PARSE, "%s: Contents[%zu] has no <Key>", OP,
					   i);
			goto out;
		}
		if (kl > S3_KEY_MAX) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "%s: Contents[%zu].Key is longer than %d bytes", OP, i,
					   S3_KEY_MAX);
			goto out;
		}
		for (size_t k = 0; k < kl; k++)
			if ((unsigned char)key[k] < 0x20 || key[k] == 0x7f) {
				rc = api_error_set(err, API_ERR_PARSE,
						   "%s: Contents[%zu].Key has a control character",
						   OP, i);
				goto out;
			}
		uint64_t size;
		if (!size_s || parse_u63(size_s, &size)) {
			rc = api_error_set(err, API_ERR_PARSE, "%s: Contents[%zu].Size is %s", OP,
					   i, size_s ? "not a byte count" : "missing");
			goto out;
		}
		if (strncmp(key, prefix, plen) != 0) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "%s: key \"%.100s\" is not under the prefix asked for",
					   OP, key);
			goto out;
		}
		if (out->n > 0 && strcmp(out->items[out->n - 1].key, key) >= 0) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "%s: key \"%.100s\" is not after \"%.100s\" (keys come "
					   "in order, once)",
					   OP, key, out->items[out->n - 1].key);
			goto out;
		}
		if ((rc = list_add(out, key, kl, size, err)))
			goto out;
		page->contents++;
	}
	if ((rc = leaf_text(root, "KeyCount", OP, &t, &tl, err)))
		goto out;
	if (t) {
		uint64_t kc;
		size_t have = page->contents + xml_count(root, "CommonPrefixes");
		if (parse_u63(t, &kc) || kc != have) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "%s: <KeyCount> %.30s does not match the %zu entries of "
					   "the page",
					   OP, t, have);
			goto out;
		}
	}
	if ((rc = leaf_text(root, "NextContinuationToken", OP, &t, &tl, err)))
		goto out;
	if (page->truncated) {
		if (!t || tl == 0) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "%s: truncated without a <NextContinuationToken>", OP);
			goto out;
		}
		if (tl > S3_TOKEN_MAX) {
			rc = api_error_set(err, API_ERR_LIMIT,
					   "%s: <NextContinuationToken> longer than %d bytes", OP,
					   S3_TOKEN_MAX);
			goto out;
		}
		memcpy(page->next_token, t, tl + 1);
	}
out:
	if (rc) {
		/* the page is taken whole or not at all */
		for (size_t k = first_new; k < out->n; k++)
			free(out->items[k].key);
		out->n = first_new;
	}
	xml_free(d);
	return rc;
}

/* Copy with control characters flattened, truncated to cap. */
static void copy_flat(char *dst, size_t cap, const char *src)
{
	if (!cap)
		return;
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? ' ' : src[i];
	dst[n] = '\0';
}

int s3_parse_error(const char *xml, size_t len, char *code, size_t code_cap, char *msg,
		   size_t msg_cap)
{
	if (code_cap)
		code[0] = '\0';
	if (msg_cap)
		msg[0] = '\0';
	struct api_error e;
	if (!xml || len == 0 || len > S3_ERROR_RESPONSE_MAX)
		return -1;
	struct xml_doc *d = xml_parse(xml, len, "S3 error", &e);
	if (!d)
		return -1;
	const struct xml_node *root = xml_root(d);
	const struct xml_node *c = xml_child(root, "Code");
	int rc = -1;
	if (code_cap && strcmp(xml_name(root), "Error") == 0 && c && !xml_has_children(c)) {
		/* only an identifier: a hostile body cannot put prose in the code */
		const char *s = xml_text(c, NULL);
		size_t k = 0;
		while (s[k] && k + 1 < code_cap &&
		       ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
			(s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == '_' || s[k] == '-'))
			k++;
		memcpy(code, s, k);
		code[k] = '\0';
		/* no code, no message: a refused body leaves both "" (s3.h) */
		const struct xml_node *m = xml_child(root, "Message");
		if (code[0] && m && !xml_has_children(m))
			copy_flat(msg, msg_cap, xml_text(m, NULL));
		rc = code[0] ? 0 : -1;
	}
	xml_free(d);
	return rc;
}

/* ---- transport: api/http.c ----------------------------------------- */

struct s3_client *s3_client_for(const struct api_config *cfg, const char *service,
				const atomic_int *stop, struct api_error *err)
{
	struct s3_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "%s client: out of memory", service);
		return NULL;
	}
	/* the service's own endpoint (--endpoint-url, AWS_ENDPOINT_URL_S3,
	 * ...), signed as that service (S3's single path encoding) */
	if (!(c->http = http_client_new(cfg, service, stop, err))) {
		free(c);
		return NULL;
	}
	return c;
}

struct s3_client *s3_client_beside(struct http_client *peer, const char *service,
				   struct api_error *err)
{
	struct s3_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "%s client: out of memory", service);
		return NULL;
	}
	if (!(c->http = http_client_beside(peer, service, err))) {
		free(c);
		return NULL;
	}
	return c;
}

struct s3_client *s3_client_new(const struct api_config *cfg, const atomic_int *stop,
				struct api_error *err)
{
	return s3_client_for(cfg, "s3", stop, err);
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	http_client_free(c->http);
	free(c);
}

/* "bytes FIRST-LAST/TOTAL" into b (have_total set only when it reads so,
 * FIRST <= LAST < TOTAL). */
static void content_range_parse(const char *v, struct s3_body *b)
{
	unsigned long long first, last, t;
	int used = 0;
	if (sscanf(v, " bytes %llu-%llu/%llu%n", &first, &last, &t, &used) == 3 && used > 0 &&
	    strspn(v + used, " \r\n") == strlen(v + used) && first <= last && last < t) {
		b->first = first;
		b->last = last;
		b->total = t;
		b->have_total = true;
	}
}

int s3_shim_perform(struct s3_client *c, const struct s3_shim_request *req, struct s3_body *body,
		    struct api_error *err)
{
	memset(body, 0, sizeof *body);
	body->max = req->max;
	api_error_clear(err);
	char range[80];
	struct sigv4_pair headers[2];
	size_t nh = 0;
	if (req->range) {
		snprintf(range, sizeof range, "bytes=%s", req->range);
		headers[nh++] = (struct sigv4_pair){ "Range", range };
	}
	if (req->target)
		headers[nh++] = (struct sigv4_pair){ "X-Amz-Target", req->target };
	struct http_request hr = { .op = req->what,
				   .method = req->method,
				   .path = req->path,
				   .query = req->query,
				   .body = req->body,
				   .body_len = req->body_len,
				   .content_type = req->content_type,
				   .max_response = req->max,
				   .timeout_ms = S3_TIMEOUT_MS,
				   .headers = nh ? headers : NULL,
				   .n_headers = nh,
				   /* every call here reads: retried safely */
				   .not_idempotent = false };
	struct http_response resp;
	int rc = http_request_perform(c->http, &hr, &resp, err);
	body->status = resp.status;
	if (rc) {
		http_response_free(&resp);
		return rc;
	}
	body->buf = resp.body;
	body->len = resp.len;
	body->cap = resp.len;
	if (resp.content_range[0])
		content_range_parse(resp.content_range, body);
	resp.body = NULL;
	http_response_free(&resp);
	return 0;
}

/* One signed S3 GET (see s3_shim_perform). */
static int s3_perform(struct s3_client *c, const char *what, const char *path, const char *query,
		      const char *range, size_t max, struct s3_body *body, struct api_error *err)
{
	struct s3_shim_request req = { .what = what,
				       .method = "GET",
				       .path = path,
				       .query = query,
				       .range = range,
				       .max = max };
	return s3_shim_perform(c, &req, body, err);
}

/* ---- calls ------------------------------------------------------------ */

int s3_list_objects(struct s3_client *c, const char *bucket, const char *prefix,
		    struct s3_listing *out, struct api_error *err)
{
	char path[8 + 3 * S3_BUCKET_MAX], what[96 + S3_BUCKET_MAX];
	char eprefix[3 * S3_KEY_MAX + 1], etoken[3 * S3_TOKEN_MAX + 1];
	char query[sizeof eprefix + sizeof etoken + 64];
	snprintf(what, sizeof what, "ListObjectsV2 s3://%s/%.60s", bucket, prefix);
	if (s3_encode(bucket, false, path + 1, sizeof path - 1) < 0 ||
	    s3_encode(prefix, false, eprefix, sizeof eprefix) < 0)
		return api_error_set(err, API_ERR_CONFIG, "%s: name too long", what);
	path[0] = '/';
	struct s3_list_page page = { 0 };
	for (unsigned pages = 0;; pages++) {
		if (pages >= S3_LIST_MAX_PAGES)
			return api_error_set(err, API_ERR_LIMIT, "%s: more than %u pages", what,
					     S3_LIST_MAX_PAGES);
		/* sorted by name: continuation-token < list-type < prefix */
		size_t q = 0;
		query[0] = '\0';
		if (pages > 0) {
			if (s3_encode(page.next_token, false, etoken, sizeof etoken) < 0)
				return api_error_set(err, API_ERR_LIMIT, "%s: token too long",
						     what);
			q += (size_t)snprintf(query + q, sizeof query - q, "continuation-token=%s&",
					      etoken);
		}
		q += (size_t)snprintf(query + q, sizeof query - q, "list-type=2");
		if (eprefix[0])
			snprintf(query + q, sizeof query - q, "&prefix=%s", eprefix);
		struct s3_body body;
		int rc = s3_perform(c, what, path, query, NULL, S3_LIST_RESPONSE_MAX, &body, err);
		if (rc)
			return rc;
		rc = s3_parse_list_objects_v2(body.buf ? body.buf : "", body.len, bucket, prefix,
					      out, &page, err);
		free(body.buf);
		if (rc) {
			char m[API_ERROR_MSG_MAX];
			snprintf(m, sizeof m, "%s", err->msg);
			return api_error_set(err, rc, "s3://%s/%.60s: %s", bucket, prefix, m);
		}
		if (!page.truncated)
			return 0;
	}
}

int s3_get_range(struct s3_client *c, const char *bucket, const char *key, uint64_t off, size_t len,
		 char **data, size_t *n, uint64_t *total, struct api_error *err)
{
	*data = NULL;
	*n = 0;
	char what[64 + S3_BUCKET_MAX + 120];
	snprintf(what, sizeof what, "GetObject s3://%s/%.120s", bucket, key);
	if (len == 0 || len > S3_GET_CHUNK * 4u)
		return api_error_set(err, API_ERR_LIMIT, "%s: a range of %zu bytes", what, len);
	char path[3 * S3_BUCKET_MAX + 3 * S3_KEY_MAX + 4];
	path[0] = '/';
	int bn = s3_encode(bucket, false, path + 1, sizeof path - 1);
	if (bn < 0 || (size_t)bn + 2 >= sizeof path ||
	    s3_encode(key, true, path + bn + 2, sizeof path - (size_t)bn - 2) < 0)
		return api_error_set(err, API_ERR_CONFIG, "%s: key too long", what);
	path[bn + 1] = '/';
	char range[64];
	snprintf(range, sizeof range, "%" PRIu64 "-%" PRIu64, off, off + len - 1);
	struct s3_body body;
	int rc = s3_perform(c, what, path, NULL, range, len, &body, err);
	if (rc == API_ERR_SERVICE && err->http_status == 416) {
		/* the range starts at or past the end: nothing more to read */
		api_error_clear(err);
		*data = calloc(1, 1);
		return *data ? 0 : api_error_set(err, API_ERR_NOMEM, "%s: out of memory", what);
	}
	if (rc)
		return rc;
	if (!body.buf && !(body.buf = calloc(1, 1)))
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", what);
	if (body.status == 200 && off > 0) {
		/* the server ignored Range and sent the whole object: refuse
		 * rather than take its first bytes for the ones asked for */
		free(body.buf);
		return api_error_set(err, API_ERR_PARSE, "%s: Range was not honoured (HTTP 200)",
				     what);
	}
	if (body.status == 206 &&
	    (!body.have_total || body.first != off || body.last - body.first + 1 != body.len)) {
		/* bytes from elsewhere in the object would be read as these */
		free(body.buf);
		return api_error_set(err, API_ERR_PARSE,
				     "%s: the answer to Range %s is not those bytes (Content-Range "
				     "missing or naming others)",
				     what, range);
	}
	if (total)
		*total = body.have_total ? body.total : (uint64_t)body.len;
	*data = body.buf;
	*n = body.len;
	return 0;
}

int s3_get_object(struct s3_client *c, const char *bucket, const char *key, size_t max, char **data,
		  size_t *n, struct api_error *err)
{
	*data = NULL;
	*n = 0;
	char *acc = NULL;
	size_t len = 0;
	for (;;) {
		char *part;
		size_t got;
		uint64_t total = 0;
		int rc = s3_get_range(c, bucket, key, len, S3_GET_CHUNK, &part, &got, &total, err);
		if (rc) {
			free(acc);
			return rc;
		}
		if (got > max - len || total > max) {
			free(part);
			free(acc);
			return api_error_set(err, API_ERR_LIMIT,
					     "GetObject s3://%s/%.120s: larger than %zu bytes",
					     bucket, key, max);
		}
		char *p = realloc(acc, len + got + 1);
		if (!p) {
			free(part);
			free(acc);
			return api_error_set(err, API_ERR_NOMEM, "GetObject: out of memory");
		}
		acc = p;
		memcpy(acc + len, part, got);
		len += got;
		acc[len] = '\0';
		free(part);
		if (got < S3_GET_CHUNK || len >= total)
			break;
	}
	*data = acc;
	*n = len;
	return 0;
}

/* ---- streaming reader ------------------------------------------------- */

void s3_reader_init(struct s3_reader *r, struct s3_client *c, const char *bucket, const char *key,
		    uint64_t size)
{
	memset(r, 0, sizeof *r);
	r->c = c;
	r->bucket = bucket;
	r->key = key;
	r->size = size;
}

ssize_t s3_reader_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct s3_reader *r = ctx;
	if (r->pos == r->len) {
		free(r->buf);
		r->buf = NULL;
		r->len = r->pos = 0;
		if (r->off >= r->size)
			return 0;
		/* STREAMING NOTE: when http.c offers a sink, one GET of the
		 * whole object could feed a ring here instead of ranges */
		uint64_t left = r->size - r->off;
		size_t want = left < S3_GET_CHUNK ? (size_t)left : S3_GET_CHUNK;
		uint64_t total = 0;
		if (s3_get_range(r->c, r->bucket, r->key, r->off, want, &r->buf, &r->len, &total,
				 &r->err))
			return -1;
		if (total != r->size) {
			api_error_set(&r->err, API_ERR_PARSE,
				      "GetObject s3://%s/%.120s: the object is %" PRIu64
				      " bytes now, %" PRIu64 " when listed (it changed)",
				      r->bucket, r->key, total, r->size);
			return -1;
		}
		if (r->len != want) {
			api_error_set(&r->err, API_ERR_PARSE,
				      "GetObject s3://%s/%.120s: %zu bytes at offset %" PRIu64
				      ", %zu asked for (a short answer)",
				      r->bucket, r->key, r->len, r->off, want);
			return -1;
		}
		r->off += r->len;
	}
	size_t n = r->len - r->pos < cap ? r->len - r->pos : cap;
	memcpy(buf, r->buf + r->pos, n);
	r->pos += n;
	r->bytes += n;
	return (ssize_t)n;
}

void s3_reader_free(struct s3_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->pos = 0;
}
