/*
 * sigv4.c - the SigV4 signer (see sigv4.h for the rules it follows).
 * Layering: libc and libcrypto only; the transport (http.c) calls it.
 * The canonical request is built in a growable buffer bounded by
 * SIGV4_CANONICAL_MAX, so a hostile or broken caller gets an error, never
 * an unbounded allocation.
 */
#include "api/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable string; oom or over is sticky, checked once at the end. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom, over;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom || b->over)
		return;
	if (b->len + n + 1 > SIGV4_CANONICAL_MAX) {
		b->over = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_chr(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

/* Wipe (it may hold a token) and free. */
static void sb_free(struct sbuf *b)
{
	if (b->p)
		explicit_bzero(b->p, b->cap);
	free(b->p);
	memset(b, 0, sizeof *b);
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static const char HEX_UP[] = "0123456789ABCDEF";

long sigv4_encode(const char *s, size_t n, int keep_slash, char *dst, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			if (o + 1 >= cap)
				return -1;
			dst[o++] = (char)c;
		} else {
			if (o + 3 >= cap)
				return -1;
			dst[o++] = '%';
			dst[o++] = HEX_UP[c >> 4];
			dst[o++] = HEX_UP[c & 15];
		}
	}
	if (o >= cap)
		return -1;
	dst[o] = '\0';
	return (long)o;
}

/* Encode into a buffer (no size limit other than the canonical one). */
static void sb_encode(struct sbuf *b, const char *s, size_t n, bool keep_slash)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			sb_chr(b, (char)c);
		} else {
			char e[3] = { '%', HEX_UP[c >> 4], HEX_UP[c & 15] };
			sb_add(b, e, 3);
		}
	}
}

/* S3's single encoding of a wire path: escapes kept (upper-cased),
 * anything else outside unreserved and '/' encoded. */
static void sb_encode_once(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n + 0 && is_hex((unsigned char)s[i + 1]) &&
		    is_hex((unsigned char)s[i + 2])) {
			char e[3] = { '%', HEX_UP[hex_val((unsigned char)s[i + 1])],
				      HEX_UP[hex_val((unsigned char)s[i + 2])] };
			sb_add(b, e, 3);
			i += 2;
		} else {
			sb_encode(b, s + i, 1, true);
		}
	}
}

/* The path with empty, "." and ".." segments resolved (RFC 3986 5.2.4
 * as AWS applies it): "//a/./b/../c/" -> "/a/c/". */
static void sb_normalized_path(struct sbuf *b, const char *path)
{
	const char *seg[256];
	size_t len[256], n = 0;
	bool overflow = false;
	const char *p = path;
	size_t plen = strlen(path);
	bool trailing = plen > 0 && path[plen - 1] == '/';
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 1 && p[0] == '.') {
			/* dropped */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (n)
				n--;
		} else if (n < sizeof seg / sizeof seg[0]) {
			seg[n] = p;
			len[n++] = l;
		} else {
			overflow = true;
		}
		p += l;
	}
	if (overflow) {
		b->over = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sb_chr(b, '/');
		sb_add(b, seg[i], len[i]);
	}
	if (n == 0 || trailing)
		sb_chr(b, '/');
}

void sigv4_sha256_hex(const void *data, size_t len, char *hex)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	static const char H[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = H[md[i] >> 4];
		hex[2 * i + 1] = H[md[i] & 15];
	}
	hex[64] = '\0';
}

/* One query pair, encoded, for sorting. */
struct qpair {
	char *name, *value;
	bool has_value;
};

static int qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

/* Encoded, sorted pairs joined with '&' into b; with_eq: always "name=". */
static void sb_query(struct sbuf *b, const struct sigv4_pair *params, size_t n, bool canonical)
{
	if (n == 0)
		return;
	if (n > SIGV4_QUERY_MAX) {
		b->over = true;
		return;
	}
	struct qpair *q = calloc(n, sizeof *q);
	if (!q) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct sbuf nb = { 0 }, vb = { 0 };
		sb_encode(&nb, params[i].name, strlen(params[i].name), false);
		sb_str(&nb, "");
		const char *v = params[i].value ? params[i].value : "";
		sb_encode(&vb, v, strlen(v), false);
		sb_str(&vb, "");
		if (nb.oom || vb.oom || nb.over || vb.over) {
			b->oom |= nb.oom || vb.oom;
			b->over |= nb.over || vb.over;
			free(nb.p);
			free(vb.p);
			n = i;
			break;
		}
		q[i] = (struct qpair){ nb.p, vb.p, params[i].value != NULL };
	}
	if (!b->oom && !b->over) {
		qsort(q, n, sizeof *q, qpair_cmp);
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_chr(b, '&');
			sb_str(b, q[i].name);
			if (canonical || q[i].has_value) {
				sb_chr(b, '=');
				sb_str(b, q[i].value);
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(q[i].name);
		free(q[i].value);
	}
	free(q);
}

long sigv4_query_build(const struct sigv4_pair *params, size_t n, char *dst, size_t cap)
{
	struct sbuf b = { 0 };
	sb_query(&b, params, n, false);
	long r = -1;
	if (!b.oom && !b.over && b.len < cap) {
		memcpy(dst, b.p ? b.p : "", b.len);
		dst[b.len] = '\0';
		r = (long)b.len;
	}
	free(b.p);
	return r;
}

/* One header in canonical form. */
struct hdr {
	char name[128];
	char *value; /* malloc'd, normalised */
	size_t order;
};

static int hdr_cmp(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Header names: RFC 9110 token characters. */
static bool is_tchar(unsigned char c)
{
	return is_unreserved(c) || (c && strchr("!#$%&'*+^`|", c) != NULL);
}

/* Trimmed, runs of spaces and tabs collapsed; NULL on CR/LF/NUL issues. */
static char *value_normalize(const char *v)
{
	size_t n = strlen(v);
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '\r' || c == '\n') {
			free(o);
			return NULL;
		}
		if (c == ' ' || c == '\t') {
			space = k > 0;
			continue;
		}
		if (space)
			o[k++] = ' ';
		space = false;
		o[k++] = c;
	}
	o[k] = '\0';
	return o;
}

/* Names the signer owns: a caller's copy is ignored. */
static bool name_is_signers(const char *lower)
{
	static const char *const OWN[] = { "x-amz-date", "x-amz-security-token",
					   "x-amz-content-sha256", "authorization" };
	for (size_t i = 0; i < sizeof OWN / sizeof OWN[0]; i++)
		if (strcmp(lower, OWN[i]) == 0)
			return true;
	return false;
}

static bool scope_part_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static void hmac(const void *key, size_t klen, const char *msg, size_t mlen, unsigned char out[32])
{
	unsigned int olen = 32;
	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &olen);
}

/* Check what the caller gave before building anything. */
static int request_check(const struct sigv4_request *r, struct api_error *err)
{
	if (!r->method || !*r->method || strlen(r->method) > 16)
		return api_error_set(err, API_ERR_CONFIG, "sigv4: missing or over-long method");
	for (const char *m = r->method; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: method is not upper-case");
	if (!r->path || r->path[0] != '/')
		return api_error_set(err, API_ERR_CONFIG, "sigv4: path must start with '/'");
	for (const char *p = r->path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '?' || *p == '#')
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: path holds a control character, '?' or '#'");
	if (!scope_part_ok(r->region) || !scope_part_ok(r->service))
		return api_error_set(err, API_ERR_CONFIG,
				     "sigv4: region and service must be 1..63 of [a-z0-9-]");
	if (!r->access_key_id || !*r->access_key_id || !r->secret_access_key ||
	    !*r->secret_access_key)
		return api_error_set(err, API_ERR_CONFIG, "sigv4: no access key");
	for (const char *a = r->access_key_id; *a; a++)
		if (!is_unreserved((unsigned char)*a))
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: access key id holds a character outside "
					     "[A-Za-z0-9._~-]");
	if (strlen(r->access_key_id) > 128 || strlen(r->secret_access_key) > 256)
		return api_error_set(err, API_ERR_LIMIT, "sigv4: key longer than its limit");
	if (r->n_headers > SIGV4_HEADERS_MAX || r->n_query > SIGV4_QUERY_MAX)
		return api_error_set(err, API_ERR_LIMIT,
				     "sigv4: more than %d headers or %d query parameters",
				     SIGV4_HEADERS_MAX, SIGV4_QUERY_MAX);
	for (size_t i = 0; i < r->n_query; i++)
		if (!r->query[i].name)
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: query parameter %zu has no name", i);
	if (r->payload_hash) {
		size_t n = strlen(r->payload_hash);
		bool ok =
			n == SIGV4_HASH_HEX || strcmp(r->payload_hash, SIGV4_UNSIGNED_PAYLOAD) == 0;
		for (size_t i = 0; ok && n == SIGV4_HASH_HEX && i < n; i++)
			ok = (r->payload_hash[i] >= '0' && r->payload_hash[i] <= '9') ||
			     (r->payload_hash[i] >= 'a' && r->payload_hash[i] <= 'f');
		if (!ok)
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: payload hash is not 64 lowercase hex");
	}
	const char *tok = r->session_token;
	if (tok)
		for (; *tok; tok++)
			if ((unsigned char)*tok < 0x20 || *tok == 0x7f)
				return api_error_set(
					err, API_ERR_CONFIG,
					"sigv4: session token holds a control character");
	return 0;
}

/* The canonical headers (with the signer's own) in order; n_out set. */
static int headers_collect(const struct sigv4_request *r, const struct sigv4_out *out,
			   bool token_signed, struct hdr *h, size_t *n_out, struct api_error *err)
{
	size_t n = 0;
	*n_out = 0;
	for (size_t i = 0; i < r->n_headers; i++, *n_out = n) {
		const char *name = r->headers[i].name;
		size_t nl = name ? strlen(name) : 0;
		if (nl == 0 || nl >= sizeof h[0].name)
			return api_error_set(err, API_ERR_CONFIG,
					     "sigv4: header %zu: bad name length", i);
		char lower[128];
		for (size_t k = 0; k <= nl; k++) {
			unsigned char c = (unsigned char)name[k];
			if (k < nl && !is_tchar(c))
				return api_error_set(err, API_ERR_CONFIG,
						     "sigv4: header %zu: name holds a character "
						     "outside RFC 9110 token",
						     i);
			lower[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if (name_is_signers(lower))
			continue;
		char *v = value_normalize(r->headers[i].value ? r->headers[i].value : "");
		if (!v)
			return api_error_set(
				err, API_ERR_CONFIG,
				"sigv4: header %s: value holds CR or LF (or no memory)", lower);
		memcpy(h[n].name, lower, nl + 1);
		h[n].value = v;
		h[n].order = n;
		n++;
	}
	const char *own_names[3] = { "x-amz-date", NULL, NULL };
	const char *own_values[3] = { out->amz_date, NULL, NULL };
	size_t k = 1;
	if (token_signed) {
		own_names[k] = "x-amz-security-token";
		own_values[k++] = out->token;
	}
	if (out->content_sha256[0]) {
		own_names[k] = "x-amz-content-sha256";
		own_values[k++] = out->content_sha256;
	}
	for (size_t i = 0; i < k; i++) {
		char *v = strdup(own_values[i]);
		if (!v)
			return api_error_set(err, API_ERR_NOMEM, "sigv4: out of memory");
		snprintf(h[n].name, sizeof h[n].name, "%s", own_names[i]);
		h[n].value = v;
		h[n].order = n;
		*n_out = ++n;
	}
	qsort(h, n, sizeof *h, hdr_cmp);
	*n_out = n;
	return 0;
}

static void headers_free(struct hdr *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		explicit_bzero(h[i].value, strlen(h[i].value));
		free(h[i].value);
	}
}

int sigv4_sign(const struct sigv4_request *r, struct sigv4_out *out, struct sigv4_trace *trace,
	       struct api_error *err)
{
	memset(out, 0, sizeof *out);
	if (trace)
		memset(trace, 0, sizeof *trace);
	int rc = request_check(r, err);
	if (rc)
		return rc;
	bool s3 = r->flags & SIGV4_S3;
	struct tm tm;
	if (!gmtime_r(&r->when, &tm) || tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 9999)
		return api_error_set(err, API_ERR_CONFIG, "sigv4: signing time out of range");
	strftime(out->amz_date, sizeof out->amz_date, "%Y%m%dT%H%M%SZ", &tm);
	char date[9];
	memcpy(date, out->amz_date, 8);
	date[8] = '\0';
	bool has_token = r->session_token && r->session_token[0];
	out->token = has_token ? r->session_token : NULL;
	bool token_signed = has_token && !(r->flags & SIGV4_TOKEN_UNSIGNED);

	char payload[SIGV4_HASH_HEX + 1];
	if (r->payload_hash)
		snprintf(payload, sizeof payload, "%s", r->payload_hash);
	else if (r->flags & SIGV4_UNSIGNED_PAYLOAD_FLAG)
		snprintf(payload, sizeof payload, "%s", SIGV4_UNSIGNED_PAYLOAD);
	else
		sigv4_sha256_hex(r->body ? r->body : "", r->body ? r->body_len : 0, payload);
	if (s3 || (r->flags & SIGV4_CONTENT_SHA256))
		snprintf(out->content_sha256, sizeof out->content_sha256, "%s", payload);

	struct hdr *h = calloc(r->n_headers + 3, sizeof *h);
	if (!h)
		return api_error_set(err, API_ERR_NOMEM, "sigv4: out of memory");
	size_t nh = 0;
	struct sbuf cr = { 0 }, sh = { 0 }, sts = { 0 };
	rc = headers_collect(r, out, token_signed, h, &nh, err);
	if (rc)
		goto done;

	/* Canonical request. */
	sb_str(&cr, r->method);
	sb_chr(&cr, '\n');
	if (s3) {
		sb_encode_once(&cr, r->path, strlen(r->path));
	} else {
		struct sbuf np = { 0 };
		if (r->flags & SIGV4_NO_NORMALIZE)
			sb_str(&np, r->path);
		else
			sb_normalized_path(&np, r->path);
		if (np.p)
			sb_encode(&cr, np.p, np.len, true);
		cr.oom |= np.oom;
		cr.over |= np.over;
		free(np.p);
	}
	sb_chr(&cr, '\n');
	sb_query(&cr, r->query, r->n_query, true);
	sb_chr(&cr, '\n');
	for (size_t i = 0; i < nh; i++) {
		/* repeated names: one line, values joined with ',' in order */
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
			sb_chr(&cr, ',');
		} else {
			if (i > 0)
				sb_chr(&cr, '\n');
			sb_str(&cr, h[i].name);
			sb_chr(&cr, ':');
			if (sh.len)
				sb_chr(&sh, ';');
			sb_str(&sh, h[i].name);
		}
		sb_str(&cr, h[i].value);
	}
	sb_str(&cr, "\n\n");
	sb_str(&cr, sh.p ? sh.p : "");
	sb_chr(&cr, '\n');
	sb_str(&cr, payload);
	if (cr.oom || sh.oom) {
		rc = api_error_set(err, API_ERR_NOMEM, "sigv4: out of memory");
		goto done;
	}
	if (cr.over || sh.over || sh.len >= sizeof out->signed_headers) {
		rc = api_error_set(err, API_ERR_LIMIT,
				   "sigv4: canonical request exceeds its limit (%u bytes)",
				   SIGV4_CANONICAL_MAX);
		goto done;
	}

	/* String to sign. */
	char scope[8 + 1 + 64 + 1 + 64 + 16];
	snprintf(scope, sizeof scope, "%s/%s/%s/aws4_request", date, r->region, r->service);
	char crhash[SIGV4_HASH_HEX + 1];
	sigv4_sha256_hex(cr.p, cr.len, crhash);
	sb_str(&sts, "AWS4-HMAC-SHA256\n");
	sb_str(&sts, out->amz_date);
	sb_chr(&sts, '\n');
	sb_str(&sts, scope);
	sb_chr(&sts, '\n');
	sb_str(&sts, crhash);
	if (sts.oom) {
		rc = api_error_set(err, API_ERR_NOMEM, "sigv4: out of memory");
		goto done;
	}

	/* Signing key: HMAC chain from "AWS4" + secret. */
	unsigned char k[32], ksecret[4 + 256];
	size_t sl = strlen(r->secret_access_key);
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, r->secret_access_key, sl);
	hmac(ksecret, 4 + sl, date, 8, k);
	hmac(k, 32, r->region, strlen(r->region), k);
	hmac(k, 32, r->service, strlen(r->service), k);
	hmac(k, 32, "aws4_request", 12, k);
	unsigned char sig[32];
	hmac(k, 32, sts.p, sts.len, sig);
	explicit_bzero(ksecret, sizeof ksecret);
	explicit_bzero(k, sizeof k);
	char sighex[65];
	static const char H[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		sighex[2 * i] = H[sig[i] >> 4];
		sighex[2 * i + 1] = H[sig[i] & 15];
	}
	sighex[64] = '\0';
	snprintf(out->signed_headers, sizeof out->signed_headers, "%s", sh.p);
	int n = snprintf(out->authorization, sizeof out->authorization,
			 "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
			 r->access_key_id, scope, sh.p, sighex);
	if (n < 0 || (size_t)n >= sizeof out->authorization) {
		rc = api_error_set(err, API_ERR_LIMIT, "sigv4: Authorization exceeds %d bytes",
				   SIGV4_AUTH_MAX);
		goto done;
	}
	if (trace) {
		trace->canonical_request = cr.p;
		trace->string_to_sign = sts.p;
		cr.p = sts.p = NULL;
	}
	rc = 0;
done:
	headers_free(h, nh);
	free(h);
	sb_free(&cr);
	sb_free(&sh);
	sb_free(&sts);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

void sigv4_trace_free(struct sigv4_trace *t)
{
	if (!t)
		return;
	if (t->canonical_request)
		explicit_bzero(t->canonical_request, strlen(t->canonical_request));
	free(t->canonical_request);
	free(t->string_to_sign);
	t->canonical_request = t->string_to_sign = NULL;
}
