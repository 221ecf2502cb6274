/*
 * sigv4.h - AWS Signature Version 4, header mode, computed by us (OpenSSL
 * HMAC-SHA256), because libcurl 7.88.1's CURLOPT_AWS_SIGV4 mis-signs
 * unsorted queries, encoded ARNs and reused handles (docs/aws-api.md §9).
 * Pure: no I/O, no clock, no globals; the caller passes the time.
 *
 * The canonical request (the AWS spec, as the official suite in
 * shared/vectors/sigv4 checks it):
 *   - URI: req->path is the path as sent on the wire (segments already
 *     percent-encoded, sigv4_encode helps). Every service but S3 removes
 *     "." and ".." segments and empty segments (a trailing '/' stays),
 *     then encodes the wire path again ('%' becomes %25: "double
 *     encoding"). S3 (SIGV4_S3) keeps the path as is and encodes it once:
 *     valid %XX escapes are kept (hex upper-cased), any other byte outside
 *     RFC 3986's unreserved set and '/' is encoded.
 *   - query: req->query holds decoded names and values; each is encoded
 *     (unreserved kept, everything else %XX), the pairs sorted by encoded
 *     name then value; sigv4_query_build gives the same string for the URL.
 *   - headers: every header in req->headers is signed (the caller passes
 *     Host and the ones it wants signed; never User-Agent). Names are
 *     lower-cased, values trimmed and runs of spaces and tabs collapsed,
 *     repeated names joined with ',' in the order given, sorted by name.
 *     The signer adds x-amz-date, x-amz-security-token (when a token is
 *     given) and x-amz-content-sha256 (S3, or SIGV4_CONTENT_SHA256), and
 *     ignores those names, and Authorization, in req->headers.
 *   - payload hash: req->payload_hash when given, "UNSIGNED-PAYLOAD" with
 *     SIGV4_UNSIGNED_PAYLOAD, else SHA-256 of the body.
 *
 * Secrets: the secret key is only ever an HMAC key here; intermediate keys
 * are wiped. The trace (tests only) holds the token inside the canonical
 * request: never log it. Errors never name a key, a token or a value.
 *
 * Ownership: every pointer in struct sigv4_request is borrowed for the call;
 * struct sigv4_out is a caller-owned value (out->token borrows
 * req->session_token). A trace's strings are malloc'd; sigv4_trace_free.
 */
#ifndef QLDBTOP_API_SIGV4_H
#define QLDBTOP_API_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "api/error.h"

#define SIGV4_DATE_LEN 16    /* "20150830T123600Z" */
#define SIGV4_HASH_HEX 64    /* SHA-256 in lowercase hex */
#define SIGV4_AUTH_MAX 1024  /* Authorization: credential scope + signed headers + 64 hex */
#define SIGV4_HEADERS_MAX 64 /* headers one request signs */
#define SIGV4_QUERY_MAX 256  /* query parameters of one request */
#define SIGV4_CANONICAL_MAX (256u << 10) /* the canonical request, bounded */
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* A header or a query parameter. For a query parameter value NULL means a
 * name without '=' on the wire (canonical form "name="). */
struct sigv4_pair {
	const char *name;
	const char *value;
};

enum sigv4_flag {
	SIGV4_S3 = 1u << 0,		/* S3: single encoding, no normalisation, content hash */
	SIGV4_NO_NORMALIZE = 1u << 1,	/* keep ".", ".." and empty segments */
	SIGV4_CONTENT_SHA256 = 1u << 2, /* send and sign x-amz-content-sha256 */
	SIGV4_UNSIGNED_PAYLOAD_FLAG = 1u << 3, /* payload hash "UNSIGNED-PAYLOAD" */
	SIGV4_TOKEN_UNSIGNED = 1u << 4, /* send the token but leave it out of the signature */
};

struct sigv4_request {
	const char *method; /* "GET", upper-case letters */
	const char *path;   /* wire path, starts with '/' */
	const struct sigv4_pair *query;
	size_t n_query;
	const struct sigv4_pair *headers; /* at least Host */
	size_t n_headers;
	const void *body; /* hashed unless payload_hash or UNSIGNED_PAYLOAD */
	size_t body_len;
	const char *payload_hash; /* 64 lowercase hex, or NULL */
	const char *region;	  /* "us-east-1" */
	const char *service;	  /* signing name: "qldb", "s3", "monitoring" */
	time_t when;		  /* signing time, UTC seconds */
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL or "" when none */
	unsigned flags;		   /* enum sigv4_flag */
};

/* The headers to add to the request, as sent: X-Amz-Date, then
 * X-Amz-Security-Token when token is not NULL, then x-amz-content-sha256
 * when content_sha256[0], then Authorization. */
struct sigv4_out {
	char amz_date[SIGV4_DATE_LEN + 1];
	const char *token;			 /* borrowed; NULL when none */
	char content_sha256[SIGV4_HASH_HEX + 1]; /* "" when not sent */
	char authorization[SIGV4_AUTH_MAX];	 /* "AWS4-HMAC-SHA256 Credential=..." */
	char signed_headers[SIGV4_AUTH_MAX];	 /* "host;x-amz-date" */
};

/* The intermediate strings, for tests against the suite. */
struct sigv4_trace {
	char *canonical_request; /* holds the token: never log */
	char *string_to_sign;
};
void sigv4_trace_free(struct sigv4_trace *t);

/* Sign req into out (trace may be NULL). 0, or API_ERR_CONFIG (a bad
 * method, path, name, header value with CR/LF, missing key),
 * API_ERR_LIMIT (past a SIGV4_* limit) or API_ERR_NOMEM, err one line. */
int sigv4_sign(const struct sigv4_request *req, struct sigv4_out *out, struct sigv4_trace *trace,
	       struct api_error *err);

/* RFC 3986 percent-encoding of s[0..n) into dst (cap bytes, NUL-terminated):
 * unreserved bytes kept, '/' kept when keep_slash, all else %XX upper-case.
 * Returns the length, or -1 when dst is too small. */
long sigv4_encode(const char *s, size_t n, int keep_slash, char *dst, size_t cap);

/* The canonical query string of params (sorted, encoded), which is also
 * the string to put after '?' on the wire ("" for none). Returns the
 * length, or -1 when dst is too small or n > SIGV4_QUERY_MAX. */
long sigv4_query_build(const struct sigv4_pair *params, size_t n, char *dst, size_t cap);

/* Hex SHA-256 of data into hex (SIGV4_HASH_HEX + 1 bytes). */
void sigv4_sha256_hex(const void *data, size_t len, char *hex);

#endif
