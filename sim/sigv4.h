/*
 * sigv4.h - checking AWS Signature Version 4 on incoming requests, with
 * the non-S3 rules the AWS CLI signs by (shared/docs/aws-api.md §2.1, §7):
 * the canonical URI is the wire path with dot segments and empty segments
 * removed (as botocore normalises) and URI-encoded again (%3A -> %253A), the
 * canonical query is every parameter decoded, strictly re-encoded and
 * sorted, signed headers are trimmed with inner runs of spaces collapsed,
 * and the payload hash is SHA-256 of the body.
 *
 * Outcomes map to the AWS error codes: no Authorization header, another
 * scheme, or an access key id that is not ours -> UnrecognizedClient;
 * a header missing its parts, a Signature that is not 64 hex digits,
 * SignedHeaders with an empty name or more than SIM_SIGV4_MAX_SIGNED_HEADERS
 * names, or an X-Amz-Date that is not a real YYYYMMDDTHHMMSSZ time ->
 * IncompleteSignature; a wrong signature, wrong service scope, a signed
 * header that is absent, a query that does not decode or an X-Amz-Date
 * more than 15 minutes off -> InvalidSignature. A session token is refused
 * (the endpoint issues none); so is a correctly signed request whose scope
 * region is not 1..32 of [a-z0-9-] (InvalidSignature, checked after the
 * signature so the whole scope is always signed). The secret never appears in messages, and
 * messages are one printable line (sim_message_clean).
 *
 * S3 (service "s3") signs by its own rules (shared/docs/aws-api.md §6): the
 * canonical URI is the path encoded exactly once, never normalised; the
 * payload hash is the x-amz-content-sha256 header's value, which must be
 * present: a hex SHA-256 that the body must match (else 400, "does not
 * match what was computed"), UNSIGNED-PAYLOAD, or
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD: an aws-chunked body whose chunks are
 * each signed, chained from the header's (seed) signature; it is decoded
 * into r->decoded, and the handler must be given that body instead of the
 * wire bytes.
 *
 * Pure apart from OpenSSL HMAC; thread-safe. All inputs are borrowed.
 */
#ifndef QLDBTOP_SIM_SIGV4_H
#define QLDBTOP_SIM_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sim/http.h"
#include "verify/buf.h"

#define SIM_SIGV4_MAX_SKEW 900 /* seconds, as AWS allows */
#define SIM_SIGV4_MAX_SIGNED_HEADERS 32
#define SIM_SIGV4_MAX_HEADER_NAME 64
/* Credential=KEYID/DATE/REGION/SERVICE/aws4_request beyond this many bytes
 * is refused (UnrecognizedClient); within it, any region is signed whole. */
#define SIM_SIGV4_MAX_CREDENTIAL 383
/* A region the endpoint names in ARNs: 1..32 of [a-z0-9-]. A correctly
 * signed request scoped to anything else is refused (InvalidSignature). */
#define SIM_SIGV4_REGION_MAX 32

struct sim_sigv4_request {
	const char *method;
	const char *raw_path;		   /* as on the wire */
	const struct sim_param *raw_query; /* as on the wire: not decoded */
	size_t n_query;
	/* Header value by name, case-insensitive; NULL when absent. */
	const char *(*header)(void *ctx, const char *name);
	void *header_ctx;
	const void *body;
	size_t body_len;
	time_t now;
	/* Output: on success the credential scope's region is copied here
	 * (NUL-terminated) when region_out is not NULL; region_cap must be at
	 * least SIM_SIGV4_REGION_MAX + 1. */
	char *region_out;
	size_t region_cap;
	/* Output for S3 aws-chunked bodies; NULL refuses them. */
	struct sim_sigv4_decoded *decoded;
};

/* The decoded body of an aws-chunked S3 request. The caller zeroes it,
 * points sim_sigv4_request.decoded at it, and after the check hands the
 * handler body.data/body.len when used is true (the wire body otherwise);
 * it releases body with buf_free in every case. */
struct sim_sigv4_decoded {
	struct buf body;
	bool used;
};

/* Returns 0 when the request is signed by key_id/secret for service, or -1
 * with *err set and msg filled (one line). */
int sim_sigv4_check(const struct sim_sigv4_request *r, const char *key_id, const char *secret,
		    const char *service, enum sim_error *err, char *msg, size_t cap);

/* The service of an Authorization header's credential scope
 * (Credential=KEYID/DATE/REGION/SERVICE/aws4_request) into out: the
 * server picks the service to dispatch to by it (each AWS service signs
 * with its own name). Returns 0, or -1 when there is none (out ""); the
 * full check (sim_sigv4_check) still decides. */
int sim_sigv4_scope_service(const char *authorization, char *out, size_t cap);

/* URI-encode s[0..n) as SigV4 does: unreserved A-Z a-z 0-9 - _ . ~ kept,
 * '/' kept when keep_slash, everything else %XX (upper-case hex). */
int sim_sigv4_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash);

#endif
