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

/* The canonical URI by S3's rules: the path as the client meant it,
 * encoded exactly once and never normalised (a key may hold "//" or
 * ".."). The wire path is decoded byte by byte and encoded again, so a
 * raw '$' and a sent "%24" sign alike, while an encoded "%2F" stays
 * "%2F" (it is part of a segment, not a separator). An empty path is "/". */
static int append_s3_canonical_uri(struct buf *b, const char *raw)
{
	static const char HEX[] = "0123456789ABCDEF";
	int rc = raw[0] ? 0 : buf_append_byte(b, '/');
	for (const char *p = raw; !rc && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			char dec[2];
			if (!p[1] || !p[2] || sim_percent_decode(p, 3, dec, sizeof dec) != 1)
				return -1;
			c = (unsigned char)dec[0];
			p += 2;
			if (c == '/') {
				rc = buf_append(b, "%2F", 3);
				continue;
			}
		}
		if (c == '/')
			rc = buf_append_byte(b, '/');
		else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
			rc = buf_append_byte(b, c);
		else
			rc = buf_append(b, (char[3]){ '%', HEX[c >> 4], HEX[c & 15] }, 3);
	}
	return rc;
}

/* Canonical request into b (the S3 rules for the URI when s3, else the
 * non-S3 ones). -1 if a signed header is absent, the path or query does
 * not decode, or memory ran out. */
static int canonical_request(struct buf *b, const struct sim_sigv4_request *r, int s3,
			     const char *signed_headers, const char *payload_hex)
{
	int rc = buf_printf(b, "%s\n", r->method);
	rc = rc	  ? rc
	     : s3 ? append_s3_canonical_uri(b, r->raw_path)
		  : append_canonical_uri(b, r->raw_path);
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

/* The signing key of secret and the scope parts (HMAC chain). */
static int signing_key(const char *secret, const struct sigv4_auth *a, uint8_t key[32])
{
	char ksecret[SIGV4_SECRET_MAX + 5];
	uint8_t k[32];
	int n = snprintf(ksecret, sizeof ksecret, "AWS4%s", secret);
	int rc = (n < 0 || (size_t)n >= sizeof ksecret) ? -1 : 0;
	rc = rc ? rc : hmac(ksecret, (size_t)n, a->date, key);
	rc = rc ? rc : hmac(key, 32, a->region, k);
	rc = rc ? rc : hmac(k, 32, a->service, key);
	rc = rc ? rc : hmac(key, 32, a->terminator, k);
	memcpy(key, k, 32);
	OPENSSL_cleanse(ksecret, sizeof ksecret);
	OPENSSL_cleanse(k, sizeof k);
	return rc;
}

/* Hex HMAC of a string to sign under the signing key. */
static int sign_hex(const uint8_t key[32], const char *sts, char out[65])
{
	uint8_t k[32];
	int rc = hmac(key, 32, sts, k);
	for (int i = 0; !rc && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", k[i]);
	OPENSSL_cleanse(k, sizeof k);
	return rc;
}

#define S3_UNSIGNED "UNSIGNED-PAYLOAD"
#define S3_STREAMING "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
#define S3_HASH_MISMATCH                                                                           \
	"The provided 'x-amz-content-sha256' header does not match what was computed."
#define CHUNK_SIZE_DIGITS 16 /* hex digits of one aws-chunked size: 64 bits */

/* What an S3 request's x-amz-content-sha256 says the payload is. */
enum payload_kind {
	PAYLOAD_BODY,	   /* not S3: the body's hash is signed */
	PAYLOAD_HEX,	   /* a hex SHA-256 that the body must match */
	PAYLOAD_UNSIGNED,  /* UNSIGNED-PAYLOAD */
	PAYLOAD_STREAMING, /* aws-chunked, each chunk signed */
	PAYLOAD_BAD,	   /* missing or none of these */
};

static enum payload_kind payload_kind_of(const char *v)
{
	if (!v)
		return PAYLOAD_BAD;
	if (strcmp(v, S3_UNSIGNED) == 0)
		return PAYLOAD_UNSIGNED;
	if (strcmp(v, S3_STREAMING) == 0)
		return PAYLOAD_STREAMING;
	return is_hex64(v) ? PAYLOAD_HEX : PAYLOAD_BAD;
}

/* The state of an aws-chunked decode: each chunk's signature chains from
 * the previous one, the first from the seed (the header's) signature. */
struct chunk_ctx {
	const uint8_t *key;
	const char *amz_date, *scope;
	char prev[65];
	struct sha256 *sha;
};

/* The hex chunk size at the start of p[0..n): its value and digit count. */
static int parse_chunk_size(const uint8_t *p, size_t n, uint64_t *size, size_t *used)
{
	size_t i = 0;
	uint64_t v = 0;
	for (; i < n && i < CHUNK_SIZE_DIGITS; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			break;
		v = v * 16 + (uint64_t)d;
	}
	if (i == 0)
		return -1;
	*size = v;
	*used = i;
	return 0;
}

/*
 * Decode an aws-chunked body ("SIZE;chunk-signature=SIG\r\nDATA\r\n"
 * repeated, ending with a 0-size chunk) into r->decoded, checking each
 * chunk's signature: HMAC(key, "AWS4-HMAC-SHA256-PAYLOAD\n" date "\n" scope
 * "\n" previous signature "\n" SHA-256("") "\n" SHA-256(DATA)). A missing
 * final chunk, bytes after it, or a length other than
 * x-amz-decoded-content-length is refused.
 */
static int decode_chunks(const struct sim_sigv4_request *r, struct chunk_ctx *cc,
			 enum sim_error *err, char *msg, size_t cap)
{
	static const char SIG[] = ";chunk-signature=";
	static const char EMPTY_SHA256[] =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	const uint8_t *p = r->body;
	size_t n = r->body ? r->body_len : 0, at = 0;
	struct buf *out = &r->decoded->body;
	buf_clear(out);
	for (unsigned chunk = 1;; chunk++) {
		uint64_t size;
		size_t used;
		if (parse_chunk_size(p + at, n - at, &size, &used) != 0 ||
		    n - at - used < sizeof SIG - 1 + 64 + 2 ||
		    memcmp(p + at + used, SIG, sizeof SIG - 1) != 0)
			return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
				    "malformed aws-chunked body: chunk %u header at byte %zu",
				    chunk, at);
		const char *sig = (const char *)p + at + used + sizeof SIG - 1;
		size_t data_at = at + used + sizeof SIG - 1 + 64 + 2;
		char given[65], data_hex[65], want[65];
		memcpy(given, sig, 64);
		given[64] = '\0';
		if (!is_hex64(given) || memcmp(sig + 64, "\r\n", 2) != 0 || size > n - data_at ||
		    n - data_at - size < 2 || memcmp(p + data_at + size, "\r\n", 2) != 0)
			return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
				    "malformed aws-chunked body: chunk %u at byte %zu is cut short "
				    "or not framed by CRLF",
				    chunk, at);
		for (char *q = given; *q; q++)
			if (*q >= 'A' && *q <= 'F')
				*q = (char)(*q - 'A' + 'a');
		struct buf sts = { 0 };
		int rc = hex_sha256(cc->sha, p + data_at, (size_t)size, data_hex);
		rc = rc ? rc
			: buf_printf(&sts, SIGV4_ALGORITHM "-PAYLOAD\n%s\n%s\n%s\n%s\n%s",
				     cc->amz_date, cc->scope, cc->prev, EMPTY_SHA256, data_hex);
		rc = rc ? rc : buf_append_byte(&sts, '\0');
		rc = rc ? rc : sign_hex(cc->key, (const char *)sts.data, want);
		buf_free(&sts);
		if (rc)
			return deny(err, SIM_ERR_INTERNAL, msg, cap, "chunk signature failed");
		if (CRYPTO_memcmp(want, given, 64) != 0)
			return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
				    "The request signature we calculated does not match the "
				    "signature you provided (aws-chunked chunk %u)",
				    chunk);
		memcpy(cc->prev, given, sizeof cc->prev);
		if (size && buf_append(out, p + data_at, (size_t)size) != 0)
			return deny(err, SIM_ERR_INTERNAL, msg, cap, "out of memory");
		at = data_at + (size_t)size + 2;
		if (size == 0)
			break;
	}
	if (at != n)
		return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
			    "malformed aws-chunked body: %zu bytes after the final chunk", n - at);
	const char *dl = r->header(r->header_ctx, "x-amz-decoded-content-length");
	if (dl && (strspn(dl, "0123456789") != strlen(dl) || strtoull(dl, NULL, 10) != out->len))
		return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
			    "aws-chunked body decodes to %zu bytes, not "
			    "x-amz-decoded-content-length %.24s",
			    out->len, dl);
	r->decoded->used = true;
	return 0;
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

	/* S3 signs the x-amz-content-sha256 header's value, which the client
	 * must send; the other services sign the body's hash. */
	int s3 = strcmp(service, "s3") == 0;
	enum payload_kind kind = PAYLOAD_BODY;
	const char *claimed = s3 ? r->header(r->header_ctx, "x-amz-content-sha256") : NULL;
	if (s3 && (kind = payload_kind_of(claimed)) == PAYLOAD_BAD)
		return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
			    claimed ? "x-amz-content-sha256 must be a hex SHA-256, " S3_UNSIGNED
				      " or " S3_STREAMING
				    : "Missing required header for this request: "
				      "x-amz-content-sha256");
	if (kind == PAYLOAD_STREAMING && !r->decoded)
		return deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
			    "aws-chunked bodies (" S3_STREAMING ") are not accepted here");

	struct sha256 *sha = sha256_new();
	struct buf creq = { 0 }, sts = { 0 };
	char payload[65], creq_hex[65], want[65];
	uint8_t key[32];
	int rc = sha ? 0 : -1;
	if (s3) {
		snprintf(payload, sizeof payload, "%s", claimed);
		if (kind == PAYLOAD_HEX)
			for (char *p = payload; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
	} else {
		rc = rc ? rc : hex_sha256(sha, r->body ? r->body : "", r->body_len, payload);
	}
	if (!rc && canonical_request(&creq, r, s3, a.signed_headers, s3 ? claimed : payload) != 0) {
		sha256_free(sha);
		buf_free(&creq);
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "a signed header is missing from the request, or the path or query "
			    "is malformed");
	}
	rc = rc ? rc : hex_sha256(sha, creq.data, creq.len, creq_hex);
	rc = rc ? rc
		: buf_printf(&sts, SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, a.scope, creq_hex);
	rc = rc ? rc : buf_append_byte(&sts, '\0');
	rc = rc ? rc : signing_key(secret, &a, key);
	rc = rc ? rc : sign_hex(key, (const char *)sts.data, want);
	buf_free(&creq);
	buf_free(&sts);
	if (rc) {
		sha256_free(sha);
		OPENSSL_cleanse(key, sizeof key);
		return deny(err, SIM_ERR_INTERNAL, msg, cap, "signature computation failed");
	}
	for (char *p = a.signature; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	if (CRYPTO_memcmp(want, a.signature, 64) != 0) {
		sha256_free(sha);
		OPENSSL_cleanse(key, sizeof key);
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "The request signature we calculated does not match the signature "
			    "you provided. Check your AWS Secret Access Key and signing method.");
	}
	size_t rl = strlen(a.region);
	if (rl < 1 || rl > SIM_SIGV4_REGION_MAX ||
	    strspn(a.region, "abcdefghijklmnopqrstuvwxyz0123456789-") != rl) {
		sha256_free(sha);
		OPENSSL_cleanse(key, sizeof key);
		return deny(err, SIM_ERR_INVALID_SIGNATURE, msg, cap,
			    "Credential should be scoped to a valid region (1..%d of [a-z0-9-]), "
			    "not '%.40s'",
			    SIM_SIGV4_REGION_MAX, a.region);
	}
	/* The signature covers the claimed hash; now the body must match it. */
	if (kind == PAYLOAD_HEX) {
		char actual[65];
		rc = hex_sha256(sha, r->body ? r->body : "", r->body_len, actual);
		if (!rc && strcmp(actual, payload) != 0)
			rc = deny(err, SIM_ERR_INVALID_PARAMETER, msg, cap,
				  S3_HASH_MISMATCH " (computed %s)", actual);
		else if (rc)
			rc = deny(err, SIM_ERR_INTERNAL, msg, cap, "payload hash failed");
	} else if (kind == PAYLOAD_STREAMING) {
		struct chunk_ctx cc = {
			.key = key, .amz_date = amz_date, .scope = a.scope, .sha = sha
		};
		memcpy(cc.prev, a.signature, sizeof cc.prev);
		rc = decode_chunks(r, &cc, err, msg, cap);
	}
	sha256_free(sha);
	OPENSSL_cleanse(key, sizeof key);
	if (rc)
		return rc;
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
