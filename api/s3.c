/*
 * s3.c - ListObjectsV2 and ranged GetObject (see s3.h): URI and key
 * encoding, the XML parsers (over api/xml.h) and the requests.
 *
 * TRANSPORT NOTE (issue 11): api/http.c today cannot carry what S3 needs:
 * a Range header, the x-amz-content-sha256 header S3 requires, and the
 * S3 error body (XML; http.c reads JSON error shapes and frees the body).
 * Until struct http_request grows those (see s3_perform below: a `range`
 * field or extra headers, and the error body kept or an error parser
 * hook), s3_perform is a small private libcurl request signed with
 * CURLOPT_AWS_SIGV4 "aws:amz:REGION:s3", as http.c does today. It is the
 * only function here that knows libcurl; swap its body for
 * http_request_perform once http.c signs service "s3" itself.
 */
#include "api/s3.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/xml.h"

#define S3_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S3_URL_MAX (API_URL_MAX + 4 * S3_KEY_MAX + 4 * S3_TOKEN_MAX + 64)
#define S3_CONNECT_TIMEOUT_MS 3100L
#define S3_TIMEOUT_MS 60000L /* one range of S3_GET_CHUNK, or one page */
#define S3_STALL_SECONDS 30L

struct s3_client {
	CURL *h;
	const struct api_config *cfg;
	const atomic_int *stop;
	char errbuf[CURL_ERROR_SIZE];
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
	if (strcmp(xml_name(root), "Error") == 0 && c && !xml_has_children(c)) {
		/* only an identifier: a hostile body cannot put prose in the code */
		const char *s = xml_text(c, NULL);
		size_t k = 0;
		while (s[k] && k + 1 < code_cap &&
		       ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
			(s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == '_' || s[k] == '-'))
			k++;
		memcpy(code, s, k);
		code[k] = '\0';
		const struct xml_node *m = xml_child(root, "Message");
		if (m && !xml_has_children(m))
			copy_flat(msg, msg_cap, xml_text(m, NULL));
		rc = code[0] ? 0 : -1;
	}
	xml_free(d);
	return rc;
}

/* The caller's getenv, for s3_getenv (config resolution is single-threaded). */
static api_getenv_fn s3_env_fn;

static const char *s3_env_default(const char *name)
{
	return getenv(name);
}

/* AWS_ENDPOINT_URL_QLDB is QLDB's own: S3 reads AWS_ENDPOINT_URL_S3 where
 * api_config_resolve asks for it. */
static const char *s3_getenv(const char *name)
{
	if (strcmp(name, "AWS_ENDPOINT_URL_QLDB") == 0)
		name = "AWS_ENDPOINT_URL_S3";
	return s3_env_fn(name);
}

int s3_config_resolve(struct api_config *cfg, const struct api_config_overrides *ov,
		      api_getenv_fn getenv_fn, struct api_error *err)
{
	s3_env_fn = getenv_fn ? getenv_fn : s3_env_default;
	int rc = api_config_resolve(cfg, ov, s3_getenv, err);
	if (rc)
		return rc;
	const char *e1 = s3_env_fn("AWS_ENDPOINT_URL_S3"), *e2 = s3_env_fn("AWS_ENDPOINT_URL");
	bool given =
		(ov && ov->endpoint_url && ov->endpoint_url[0]) || (e1 && e1[0]) || (e2 && e2[0]);
	if (!given)
		snprintf(cfg->endpoint, sizeof cfg->endpoint, "https://s3.%s.amazonaws.com",
			 cfg->region);
	return 0;
}

/* ---- transport (temporary, see the note at the top) ------------------ */

struct s3_client *s3_client_new(const struct api_config *cfg, const atomic_int *stop,
				struct api_error *err)
{
	struct s3_client *c = calloc(1, sizeof *c);
	if (!c || !(c->h = curl_easy_init())) {
		free(c);
		api_error_set(err, API_ERR_NOMEM, "S3 client: out of memory");
		return NULL;
	}
	c->cfg = cfg;
	c->stop = stop;
	return c;
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

static size_t s3_on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct s3_body *b = ud;
	size_t n = size * nmemb;
	if (n > b->max - b->len) {
		b->too_big = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->buf, cap);
		if (!p)
			return 0;
		b->buf = p;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return n;
}

static size_t s3_on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct s3_body *b = ud;
	size_t n = size * nmemb;
	static const char CR[] = "content-range:";
	if (n > sizeof CR - 1 && strncasecmp(data, CR, sizeof CR - 1) == 0) {
		char tmp[96];
		size_t k =
			n - (sizeof CR - 1) < sizeof tmp - 1 ? n - (sizeof CR - 1) : sizeof tmp - 1;
		memcpy(tmp, data + sizeof CR - 1, k);
		tmp[k] = '\0';
		/* "bytes FIRST-LAST/TOTAL": all three kept, so a range that
		 * starts elsewhere than asked is caught by s3_get_range */
		unsigned long long first, last, t;
		int used = 0;
		if (sscanf(tmp, " bytes %llu-%llu/%llu%n", &first, &last, &t, &used) == 3 &&
		    used > 0 && strspn(tmp + used, " \r\n") == strlen(tmp + used) &&
		    first <= last && last < t) {
			b->first = first;
			b->last = last;
			b->total = t;
			b->have_total = true;
		}
	}
	return n;
}

static int s3_on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	const atomic_int *stop = ud;
	return stop && atomic_load(stop) ? 1 : 0;
}

/* The S3 error body, or the JSON error shapes of the other services. */
static void shim_error(const struct s3_shim_request *req, const struct s3_body *body,
		       struct api_error *err, char *msg, size_t cap)
{
	if (strcmp(req->service, "s3") == 0 || (body->len && body->buf && body->buf[0] == '<'))
		s3_parse_error(body->buf, body->len, err->code, sizeof err->code, msg, cap);
	else
		api_error_parse_aws(NULL, body->buf ? body->buf : "", body->buf ? body->len : 0,
				    err->code, sizeof err->code, msg, cap);
}

int s3_shim_perform(struct s3_client *c, const struct s3_shim_request *req, struct s3_body *body,
		    struct api_error *err)
{
	const struct api_config *cfg = c->cfg;
	const char *what = req->what;
	memset(body, 0, sizeof *body);
	body->max = req->max;
	api_error_clear(err);
	if (!cfg->have_credentials)
		return api_error_set(err, API_ERR_CONFIG,
				     "%s: no credentials (set AWS_ACCESS_KEY_ID and "
				     "AWS_SECRET_ACCESS_KEY)",
				     what);
	char url[S3_URL_MAX], sigv4[32 + API_REGION_MAX];
	int un = snprintf(url, sizeof url, "%s%s%s%s", cfg->endpoint, req->path,
			  req->query ? "?" : "", req->query ? req->query : "");
	if (un < 0 || (size_t)un >= sizeof url)
		return api_error_set(err, API_ERR_LIMIT, "%s: request URL too long", what);
	snprintf(sigv4, sizeof sigv4, "aws:amz:%s:%s", cfg->region, req->service);
	bool post = strcmp(req->method, "POST") == 0;
	CURL *h = c->h;
	curl_easy_reset(h); /* no stale POSTFIELDS in the next payload hash */
	c->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, S3_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, S3_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, S3_STALL_SECONDS);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "qldbtop/" QLDBTOP_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, s3_on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, s3_on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, body);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, s3_on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->stop);
	struct curl_slist *hdr = NULL;
	char line[API_TOKEN_MAX + 32];
	if (post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? req->body_len : 0));
		/* explicit, so it is signed (curl's default type is not) */
		snprintf(line, sizeof line, "Content-Type: %s",
			 req->content_type ? req->content_type : "application/json");
		hdr = curl_slist_append(hdr, line);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	if (req->target) {
		snprintf(line, sizeof line, "X-Amz-Target: %s", req->target);
		hdr = curl_slist_append(hdr, line);
	}
	if (strcmp(req->service, "s3") == 0) /* S3 requires it; GETs only here */
		hdr = curl_slist_append(hdr, "x-amz-content-sha256: " S3_EMPTY_SHA256);
	if (req->range)
		curl_easy_setopt(h, CURLOPT_RANGE, req->range); /* unsigned, as S3 allows */
	if (cfg->session_token[0]) {
		snprintf(line, sizeof line, "X-Amz-Security-Token: %s", cfg->session_token);
		hdr = curl_slist_append(hdr, line);
	}
	explicit_bzero(line, sizeof line);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	char userpwd[API_AKID_MAX + API_SECRET_MAX + 2];
	snprintf(userpwd, sizeof userpwd, "%s:%s", cfg->access_key_id, cfg->secret_access_key);
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4);
	curl_easy_setopt(h, CURLOPT_USERPWD, userpwd);
	explicit_bzero(userpwd, sizeof userpwd);
	CURLcode rc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_USERPWD, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	for (struct curl_slist *l = hdr; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		free(body->buf);
		body->buf = NULL;
		if (body->too_big)
			return api_error_set(err, API_ERR_LIMIT, "%s: answer exceeds %zu bytes",
					     what, req->max);
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return api_error_set(err, API_ERR_STOPPED, "%s: stopped", what);
		return api_error_set(err, API_ERR_TRANSPORT, "%s: %s", what,
				     c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	}
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	body->status = status;
	if (status >= 200 && status < 300)
		return 0;
	err->http_status = status;
	char msg[API_ERROR_MSG_MAX / 2];
	shim_error(req, body, err, msg, sizeof msg);
	free(body->buf);
	body->buf = NULL;
	if (err->code[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: %s%s%s (HTTP %ld)", what, err->code,
				     msg[0] ? ": " : "", msg, status);
	return api_error_set(err, API_ERR_SERVICE, "%s: HTTP %ld with no error code", what, status);
}

/* One signed S3 GET (see s3_shim_perform). */
static int s3_perform(struct s3_client *c, const char *what, const char *path, const char *query,
		      const char *range, size_t max, struct s3_body *body, struct api_error *err)
{
	struct s3_shim_request req = { .what = what,
				       .service = "s3",
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
