/*
 * sigv4.c - SigV4 verification for the endpoint (see sigv4.h). The steps
 * are the AWS ones: canonical request, string to sign, signing key
 * HMAC chain (date, region, service, "aws4_request"), signature compared in
 * constant time.
 */
#include "sim/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verify/sha256.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_SECRET_MAX 256
#define SIGV4_DATE_LEN 16 /* YYYYMMDDTHHMMSSZ */

static int deny(enum sim_error *err, enum sim_error e, char *msg, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int deny(enum sim_error *err, enum sim_error e, char *msg, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	sim_message_clean(msg); /* the scope and dates echo request bytes */
	*err = e;
	return -1;
}

int sim_sigv4_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash)
{
	static const char HEX[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
			rc = buf_append_byte(out, c);
		} else {
			char esc[3] = { '%', HEX[c >> 4], HEX[c & 15] };
			rc = buf_append(out, esc, 3);
		}
	}
	return rc;
}

/* The parts of "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…". */
struct sigv4_auth {
	char credential[SIM_SIGV4_MAX_CREDENTIAL + 1];
	char signed_headers[SIM_SIGV4_MAX_SIGNED_HEADERS * (SIM_SIGV4_MAX_HEADER_NAME + 1)];
	char signature[65];
	/* credential split: key id, then scope (date/region/service/aws4_request) */
	const char *key_id, *scope, *date, *region, *service, *terminator;
	/* the scope is part of the credential, so it always fits: a shorter
	 * copy would sign a truncated scope and refuse a correct signature */
	char scope_copy[SIM_SIGV4_MAX_CREDENTIAL + 1];
};

/* Copy the value of "name=" from the comma-separated list into out. */
static int auth_part(const char *list, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			if (len - nl - 1 >= cap)
				return -1;
			memcpy(out, p + nl + 1, len - nl - 1);
			out[len - nl - 1] = '\0';
			return 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return -1;
}

static int split_credential(struct sigv4_auth *a)
{
	/* key id / date / region / service / aws4_request */
	char *parts[5];
	char *p = a->credential;
	for (int i = 0; i < 5; i++) {
		parts[i] = p;
		char *slash = strchr(p, '/');
		if (i < 4) {
			if (!slash)
				return -1;
			*slash = '\0';
			p = slash + 1;
		} else if (slash) {
			return -1;
		}
	}
	a->key_id = parts[0];
	a->date = parts[1];
	a->region = parts[2];
	a->service = parts[3];
	a->terminator = parts[4];
	snprintf(a->scope_copy, sizeof a->scope_copy, "%s/%s/%s/%s", a->date, a->region, a->service,
		 a->terminator);
	a->scope = a->scope_copy;
	return 0;
}

/* X-Amz-Date (YYYYMMDDTHHMMSSZ) to time_t; -1 if malformed or not a real
 * calendar time (timegm would quietly turn 20230231 into March 3rd, and
 * the credential date is compared as text, so both must name one day). */
static time_t parse_amz_date(const char *s)
{
	static const int MDAYS[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm tm = { 0 };
	if (strlen(s) != SIGV4_DATE_LEN || s[8] != 'T' || s[15] != 'Z')
		return -1;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mon = (s[4] - '0') * 10 + (s[5] - '0'), day = (s[6] - '0') * 10 + (s[7] - '0');
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	tm.tm_hour = (s[9] - '0') * 10 + (s[10] - '0');
	tm.tm_min = (s[11] - '0') * 10 + (s[12] - '0');
	tm.tm_sec = (s[13] - '0') * 10 + (s[14] - '0');
	if (mon < 1 || mon > 12 || day < 1 || day > MDAYS[mon - 1] ||
	    (mon == 2 && day == 29 && !leap) || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	return timegm(&tm);
}

/* Is s exactly 64 hex digits? */
static int is_hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') ||
		      (s[n] >= 'A' && s[n] <= 'F')))
			return 0;
	return n == 64;
}

/* Number of ';'-separated names in list, or -1 if one is empty. */
static int count_names(const char *list)
{
	int n = 1;
	if (!*list)
		return -1;
	for (const char *p = list; *p; p++)
		if (*p == ';') {
			if (p == list || p[1] == ';' || p[1] == '\0')
				return -1;
			n++;
		}
	return n;
}

/* Is name one of the ';'-separated entries of list? */
static int list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ';' || p[n] == '\0'))
			return 1;
	return 0;
}

static int hex_sha256(struct sha256 *sha, const void *p, size_t n, char out[65])
{
	uint8_t d[SHA256_LEN];
	if (sha256_once(sha, p, n, d) != 0)
		return -1;
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* A canonical header value: trimmed, runs of spaces and tabs collapsed. */
static int append_header_value(struct buf *b, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	int space = 0, rc = 0;
	for (; !rc && *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = 1;
			continue;
		}
		if (space)
			rc = buf_append_byte(b, ' ');
		space = 0;
		rc = rc ? rc : buf_append_byte(b, (uint8_t)*v);
	}
	return rc;
}

struct query_pair {
	char *key, *value; /* encoded */
};

static int pair_cmp(const void *a, const void *b)
{
	const struct query_pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

/* Decode then strictly encode s into a malloc'd string; NULL on failure. */
static char *reencode(const char *s)
{
	size_t n = strlen(s);
	char *dec = malloc(n + 1);
	struct buf b = { 0 };
	if (!dec || sim_percent_decode(s, n, dec, n + 1) < 0 ||
	    sim_sigv4_uri_encode(&b, dec, strlen(dec), 0) || buf_append_byte(&b, '\0')) {
		free(dec);
		buf_free(&b);
		return NULL;
	}
	free(dec);
	return (char *)b.data;
}

static int append_canonical_query(struct buf *b, const struct sim_sigv4_request *r)
{
	struct query_pair pairs[SIM_QUERY_MAX];
	size_t n = 0;
	int rc = 0;
	if (r->n_query > SIM_QUERY_MAX)
		return -1;
	for (; n < r->n_query; n++) {
		pairs[n].key = reencode(r->raw_query[n].key);
		pairs[n].value = reencode(r->raw_query[n].value ? r->raw_query[n].value : "");
		if (!pairs[n].key || !pairs[n].value) {
			rc = -1;
			n++;
			break;
		}
	}
	if (!rc) {
		qsort(pairs, n, sizeof pairs[0], pair_cmp);
		for (size_t i = 0; !rc && i < n; i++)
			rc = buf_printf(b, "%s%s=%s", i ? "&" : "", pairs[i].key, pairs[i].value);
	}
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].key);
		free(pairs[i].value);
	}
	return rc;
}

/* The canonical URI (AWS non-S3 rules, as botocore's remove_dot_segments):
 * "." and empty segments dropped, ".." drops the one before, a trailing
 * '/' kept when anything is left, an empty result is "/"; then the wire
 * path is URI-encoded once more. Without this a request the CLI signs for
 * /ledgers/x/../y would be refused as a bad signature. */
static int append_canonical_uri(struct buf *b, const char *raw)
{
	size_t n = strlen(raw), o = 0;
	char *out = malloc(n + 2);
	if (!out)
		return -1;
	/* out holds "/seg/seg..." so ".." can cut back to the previous '/' */
	for (const char *p = raw; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
		} else if (len && !(len == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p = end ? end + 1 : p + len;
	}
	size_t start = raw[0] == '/' ? 0 : 1; /* a relative path keeps no lead '/' */
	if (o && n && raw[n - 1] == '/')
		out[o++] = '/';
	int rc = o > start ? sim_sigv4_uri_encode(b, out + start, o - start, 1)
			   : buf_append_byte(b, '/');
	free(out);
	return rc;
}

/* Canonical request into b (AWS non-S3 rules). -1 if a signed header is
 * absent or memory ran out. */
static int canonical_request(struct buf *b, const struct sim_sigv4_request *r,
			     const char *signed_headers, const char *payload_hex)
{
	int rc = buf_printf(b, "%s\n", r->method);
	rc = rc ? rc : append_canonical_uri(b, r->raw_path);
	rc = rc ? rc : buf_append_byte(b, '\n');
	rc = rc ? rc : append_canonical_query(b, r);
	rc = rc ? rc : buf_append_byte(b, '\n');
	for (const char *p = signed_headers; !rc && *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[SIM_SIGV4_MAX_HEADER_NAME + 1];
		if (len == 0 || len > SIM_SIGV4_MAX_HEADER_NAME)
			return -1;
		memcpy(name, p, len);
		name[len] = '\0';
		const char *v = r->header(r->header_ctx, name);
		if (!v)
			return -1;
		rc = buf_printf(b, "%s:", name);
		rc = rc ? rc : append_header_value(b, v);
		rc = rc ? rc : buf_append_byte(b, '\n');
		p = end ? end + 1 : p + len;
	}
	rc = rc ? rc : buf_printf(b, "\n%s\n%s", signed_headers, payload_hex);
	return rc;
}

static int hmac(const void *key, size_t klen, const char *msg, uint8_t out[32])
{
	unsigned int olen = 0;
	return HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out,
		    &olen) && olen == 32
		       ? 0
		       : -1;
}

/* Hex signature of string_to_sign under secret and the scope parts. */
static int signature_hex(const char *secret, const struct sigv4_auth *a, const char *sts,
			 char out[65])
{
	char ksecret[SIGV4_SECRET_MAX + 5];
	uint8_t k[32], k2[32];
	int n = snprintf(ksecret, sizeof ksecret, "AWS4%s", secret);
	int rc = (n < 0 || (size_t)n >= sizeof ksecret) ? -1 : 0;
	rc = rc ? rc : hmac(ksecret, (size_t)n, a->date, k);
	rc = rc ? rc : hmac(k, 32, a->region, k2);
	rc = rc ? rc : hmac(k2, 32, a->service, k);
	rc = rc ? rc : hmac(k, 32, a->terminator, k2);
	rc = rc ? rc : hmac(k2, 32, sts, k);
	OPENSSL_cleanse(ksecret, sizeof ksecret);
	OPENSSL_cleanse(k2, sizeof k2);
	for (int i = 0; !rc && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", k[i]);
	OPENSSL_cleanse(k, sizeof k);
	return rc;
}

int sim_sigv4_check(const struct sim_sigv4_request *r, const char *key_id, const char *secret,
		    const char *service, enum sim_error *err, char *msg, size_t cap)
{
	const char *auth = r->header(r->header_ctx, "authorization");
	size_t alg_len = strlen(SIGV4_ALGORITHM);
	if (!auth)
		return deny(err, SIM_ERR_UNRECOGNIZED_CLIENT, msg, cap,
			    "The request is not signed: no Authorization header (sign it with "
			    "SigV4 and this endpoint's access key)");
	if (strncmp(auth, SIGV4_ALGORITHM, alg_len) != 0 || auth[alg_len] != ' ')
		return deny(err, SIM_ERR_UNRECOGNIZED_CLIENT, msg, cap,
			    "Authorization header is not " SIGV4_ALGORITHM);
	struct sigv4_auth a;
	memset(&a, 0, sizeof a);
	const char *list = auth + alg_len + 1;
	if (auth_part(list, "Credential", a.credential, sizeof a.credential) != 0 ||
	    split_credential(&a) != 0)
		return deny(err, SIM_ERR_UNRECOGNIZED_CLIENT, msg, cap,
			    "Authorization header has no valid Credential=KEYID/DATE/REGION/"
			    "SERVICE/aws4_request");
	if (strcmp(a.key_id, key_id) != 0)
		return deny(err, SIM_ERR_UNRECOGNIZED_CLIENT, msg, cap,
			    "The security token included in the request is invalid (unknown "
			    "access key id)");
	if (r->header(r->header_ctx, "x-amz-security-token"))
		return deny(err, SIM_ERR_UNRECOGNIZED_CLIENT, msg, cap,
			    "The security token included in the request is invalid (this "
			    "endpoint issues no session tokens)");
	if (auth_part(list, "SignedHeaders", a.signed_headers, sizeof a.signed_headers) != 0 ||
	    auth_part(list, "Signature", a.signature, sizeof a.signature) != 0 ||
	    !is_hex64(a.signature))
		return deny(err, SIM_ERR_INCOMPLETE_SIGNATURE, msg, cap,
			    "Authorization header requires Credential, SignedHeaders and a "
			    "64-hex-digit Signature");
	int n_signed = count_names(a.signed_headers);
	if (n_signed < 0 || n_signed > SIM_SIGV4_MAX_SIGNED_HEADERS)
		return deny(err, SIM_ERR_INCOMPLETE_SIGNATURE, msg, cap,
			    "SignedHeaders must list 1..%d header names separated by ';'",
			    SIM_SIGV4_MAX_SIGNED_HEADERS);
	const char *amz_date = r->header(r->header_ctx, "x-amz-date");
	time_t t = amz_date ? parse_amz_date(amz_date) : -1;
	if (t == (time_t)-1)
		return deny(err, SIM_ERR_INCOMPLETE_SIGNATURE, msg, cap,
			    "X-Amz-Date header missing or not YYYYMMDDTHHMMSSZ");
	if (strncmp(a.date, amz_date, 8) != 0 || strlen(a.date) != 8 ||
	    strcmp(a.terminator, "aws4_request") != 0 || strcmp(a.service, service) != 0)
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "Credential should be scoped to the request date and service '%s' "
			    "(got %.60s)",
			    service, a.scope);
	if (t > r->now + SIM_SIGV4_MAX_SKEW || t < r->now - SIM_SIGV4_MAX_SKEW)
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "Signature expired: X-Amz-Date %s is more than %d s from the "
			    "server's clock",
			    amz_date, SIM_SIGV4_MAX_SKEW);
	if (!list_has(a.signed_headers, "host"))
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "SignedHeaders must include host");
	if (strlen(secret) > SIGV4_SECRET_MAX)
		return deny(err, SIM_ERR_INTERNAL, msg, cap, "configured secret is too long");

	struct sha256 *sha = sha256_new();
	struct buf creq = { 0 }, sts = { 0 };
	char payload[65], creq_hex[65], want[65];
	int rc = sha ? 0 : -1;
	rc = rc ? rc : hex_sha256(sha, r->body ? r->body : "", r->body_len, payload);
	if (!rc && canonical_request(&creq, r, a.signed_headers, payload) != 0) {
		sha256_free(sha);
		buf_free(&creq);
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "a signed header is missing from the request, or the query is "
			    "malformed");
	}
	rc = rc ? rc : hex_sha256(sha, creq.data, creq.len, creq_hex);
	rc = rc ? rc
		: buf_printf(&sts, SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, a.scope, creq_hex);
	rc = rc ? rc : buf_append_byte(&sts, '\0');
	rc = rc ? rc : signature_hex(secret, &a, (const char *)sts.data, want);
	sha256_free(sha);
	buf_free(&creq);
	buf_free(&sts);
	if (rc)
		return deny(err, SIM_ERR_INTERNAL, msg, cap, "signature computation failed");
	for (char *p = a.signature; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	if (CRYPTO_memcmp(want, a.signature, 64) != 0)
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "The request signature we calculated does not match the signature "
			    "you provided. Check your AWS Secret Access Key and signing method.");
	size_t rl = strlen(a.region);
	if (rl < 1 || rl > SIM_SIGV4_REGION_MAX ||
	    strspn(a.region, "abcdefghijklmnopqrstuvwxyz0123456789-") != rl)
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "Credential should be scoped to a valid region (1..%d of [a-z0-9-]), "
			    "not '%.40s'",
			    SIM_SIGV4_REGION_MAX, a.region);
	if (r->region_out && r->region_cap > rl)
		memcpy(r->region_out, a.region, rl + 1);
	return 0;
}

int sim_sigv4_scope_service(const char *authorization, char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	const char *c = authorization ? strstr(authorization, "Credential=") : NULL;
	if (!c)
		return -1;
	c += strlen("Credential=");
	size_t n = strcspn(c, ", ");
	/* the fourth '/'-separated part */
	const char *p = c, *end = c + n;
	for (int slash = 0; slash < 3; slash++) {
		p = memchr(p, '/', (size_t)(end - p));
		if (!p)
			return -1;
		p++;
	}
	const char *q = memchr(p, '/', (size_t)(end - p));
	size_t len = (size_t)((q ? q : end) - p);
	if (!q || len == 0 || len >= cap)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}
