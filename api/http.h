/*
 * http.h - signed HTTP requests to AWS-style endpoints over libcurl, with
 * the AWS standard retry mode.
 *
 * One struct http_client per worker thread: it owns one libcurl easy
 * handle (connections are reused) and resets and sets every option before
 * each request (a reused handle otherwise keeps a previous request's body,
 * method and headers, docs/aws-api.md §9). Requests are signed by
 * api/sigv4.c, never by CURLOPT_AWS_SIGV4; the keys come from the
 * credential provider (api/credentials.h) before each attempt. Service
 * "s3" is signed the S3 way (path encoded once, x-amz-content-sha256 sent
 * and signed); every other service the usual way (path encoded twice).
 *
 * Paths: req->path is the wire path, each segment already percent-encoded
 * (sigv4_encode(seg, n, 0, ...) for a segment such as an ARN; S3 keys with
 * sigv4_encode(key, n, 1, ...), '/' kept). Queries: either req->params
 * (decoded names and values; http.c encodes and sorts them) or req->query
 * (a string already encoded; signed after decoding, sorting and
 * re-encoding, sent as given).
 *
 * Retries (api/retry.h): throttling, 5xx and connection failures, at most
 * 3 attempts with full-jitter backoff and the client's retry quota; one
 * free retry after a clock skew (the Date header sets the process-wide
 * offset used to sign) and one after refreshing expired keys. The waits
 * end early when *stop becomes non-zero (API_ERR_STOPPED).
 *
 * Errors: one line naming the operation, never a secret or a raw body:
 *   "DescribeLedger: ResourceNotFoundException: Ledger x not found (HTTP 404)"
 *   "GetDigest: ThrottlingException: Rate exceeded (HTTP 400) after 3 attempts"
 *   "GetObject: HTTP 502 with no AWS error code, text/html body \"<html>...\""
 *   "ListLedgers: transport: Failed to connect to 127.0.0.1 port 9: ..."
 * err->code holds the AWS code, err->http_status the last status.
 * Statuses: API_ERR_SERVICE (an error response), API_ERR_TRANSPORT
 * (connect, timeout, reset, cut short), API_ERR_LIMIT (response larger
 * than max_response, URL too long), API_ERR_CONFIG (no credentials, bad
 * request), API_ERR_STOPPED, API_ERR_NOMEM, or a sink's own status.
 *
 * Threads: http_global_init() once in main before any thread starts;
 * after that each client is used by one thread only. A retry quota may be
 * shared between clients (it is atomic); the clock offset is process-wide.
 *
 * Ownership: http_client_new/_open borrow cfg, stop, a given provider and
 * quota (each must outlive the client); a provider the client builds
 * itself is its own. http_client_free releases the handle. A response
 * body is malloc'd, NUL-terminated and freed with http_response_free.
 * Every pointer in struct http_request is borrowed for the call.
 */
#ifndef QLDBTOP_API_HTTP_H
#define QLDBTOP_API_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/config.h"
#include "api/credentials.h"
#include "api/error.h"
#include "api/retry.h"
#include "api/sigv4.h"

#define HTTP_CONNECT_TIMEOUT_MS 3100L /* AWS "standard" defaults mode: 1.1 s x 2.8 */
#define HTTP_DEFAULT_TIMEOUT_MS 10000L
#define HTTP_STALL_SECONDS 30L		     /* below 1 byte/s for this long: give up */
#define HTTP_DEFAULT_MAX_RESPONSE (2u << 20) /* IonText is at most 1 MiB (model) */
#define HTTP_DEFAULT_MAX_STREAM (1ull << 40) /* a streamed body: 1 TiB guard */
#define HTTP_ERROR_BODY_MAX (64u << 10)	     /* an error body kept for parsing */
#define HTTP_URL_MAX 4096		     /* endpoint + path + query */
#define HTTP_HEADERS_MAX 16		     /* extra request headers */
#define HTTP_ERROR_TYPE_MAX 128
#define HTTP_VALUE_MAX 256 /* a captured response header value */

/* Must be called once, before any thread starts; returns 0 or -1. */
int http_global_init(void);
void http_global_cleanup(void);

/* The process-wide clock correction (seconds added to our clock when
 * signing), learnt from a skew error's Date header. */
long http_clock_offset(void);
void http_clock_offset_set(long seconds);

struct http_client;

struct http_client_options {
	const struct api_config *cfg;	  /* region, endpoint, static keys (borrowed) */
	const char *service;		  /* SigV4 signing name: qldb, kinesis, s3, monitoring */
	const char *endpoint;		  /* NULL: cfg->endpoint (copied) */
	struct api_creds_provider *creds; /* NULL: built from cfg and owned */
	const atomic_int *stop;		  /* may be NULL */
	const struct retry_policy *retry; /* NULL: RETRY_STANDARD */
	struct retry_quota *quota;	  /* NULL: the client's own bucket */
	int max_attempts;		  /* 0: the policy's (3) */
	double (*rand01)(void *ctx);	  /* jitter draw in [0,1); NULL: seeded PRNG */
	void *rand_ctx;
};

/* NULL with err filled on a bad option or when the provider cannot be
 * built. */
struct http_client *http_client_open(const struct http_client_options *o, struct api_error *err);
/* The short form: cfg's endpoint, a provider built from cfg, defaults. */
struct http_client *http_client_new(const struct api_config *cfg, const char *service,
				    const atomic_int *stop, struct api_error *err);
void http_client_free(struct http_client *c);
/* The client's retry quota (its own or the shared one). */
struct retry_quota *http_client_quota(struct http_client *c);
/* A client for another service beside c: the same config, credential
 * provider (borrowed from c, which must outlive it), stop flag and retry
 * quota; its own handle and that service's endpoint. */
struct http_client *http_client_beside(struct http_client *c, const char *service,
				       struct api_error *err);

/* A streaming receiver of a 2xx body: return 0 to go on, non-zero to
 * abort the transfer (a negative api_status is then returned as is, any
 * other value as API_ERR_STOPPED). A request whose sink received bytes is
 * never retried. */
typedef int (*http_sink_fn)(void *ctx, const char *data, size_t len);

struct http_request {
	const char *op;	    /* operation name for messages: "DescribeLedger" */
	const char *method; /* "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" */
	const char *path;   /* wire path, segments encoded (see above) */
	const char *query;  /* encoded query string, or NULL (see params) */
	const char *body;   /* NULL for none; POST with NULL sends an empty body */
	size_t body_len;
	const char *content_type; /* sent and signed with a body; NULL: application/json */
	size_t max_response;	  /* 0 = HTTP_DEFAULT_MAX_RESPONSE (sink: _MAX_STREAM) */
	long timeout_ms;	  /* per attempt; 0 = HTTP_DEFAULT_TIMEOUT_MS */
	/* Added with the own signer: */
	const struct sigv4_pair *params; /* decoded query parameters (instead of query) */
	size_t n_params;
	const struct sigv4_pair *headers; /* extra headers, sent and signed (X-Amz-Target, Range) */
	size_t n_headers;
	const char *payload_hash; /* hex SHA-256 of the body if known, or NULL */
	bool unsigned_payload;	  /* S3: sign UNSIGNED-PAYLOAD */
	http_sink_fn sink;	  /* NULL: buffer the body in the response */
	void *sink_ctx;
	int max_attempts;    /* 0: the client's */
	bool not_idempotent; /* no retry once the service may have acted */
};

struct http_response {
	long status; /* the last attempt's HTTP status, 0 if none */
	char *body;  /* malloc'd, NUL-terminated (body[len] == 0); NULL with a sink */
	size_t len;
	char error_type[HTTP_ERROR_TYPE_MAX]; /* x-amzn-ErrorType, "" if absent */
	/* Added: captured response headers ("" when absent), and the story. */
	char request_id[HTTP_VALUE_MAX];    /* x-amzn-RequestId or x-amz-request-id */
	char content_type[HTTP_VALUE_MAX];  /* Content-Type */
	char date[HTTP_VALUE_MAX];	    /* Date */
	char etag[HTTP_VALUE_MAX];	    /* ETag */
	char content_range[HTTP_VALUE_MAX]; /* Content-Range */
	char last_modified[HTTP_VALUE_MAX]; /* Last-Modified */
	char query_error[HTTP_VALUE_MAX];   /* x-amzn-query-error */
	long long content_length;	    /* Content-Length, -1 if absent */
	long long retry_after_ms;	    /* x-amz-retry-after, -1 if absent */
	unsigned long long streamed;	    /* bytes handed to the sink */
	int attempts;			    /* requests sent, retries included */
	double slept_s;			    /* time spent in backoff */
};

/* Perform one request with retries. Returns 0 for a 2xx answer (resp
 * filled; the caller frees it). Otherwise a negative api_status with err
 * filled as one line; resp then has no body but keeps the status,
 * headers and attempts of the last attempt (http_response_free is
 * harmless). */
int http_request_perform(struct http_client *c, const struct http_request *req,
			 struct http_response *resp, struct api_error *err);
void http_response_free(struct http_response *resp);

#endif
