/*
 * http.h - signed HTTP requests to AWS-style endpoints over libcurl.
 *
 * One struct http_client per worker thread: it owns one libcurl easy
 * handle (connections are reused) and resets every option before each
 * request, because a reused handle otherwise hashes a previous request's
 * POSTFIELDS into the SigV4 payload hash (docs/aws-api.md §9).
 * Signing is CURLOPT_AWS_SIGV4 "aws:amz:REGION:SERVICE" with all four
 * fields, since curl guesses wrongly from a 127.0.0.1 host; the session
 * token header is added by hand (curl never adds it, but signs it).
 *
 * Callers must build paths from [A-Za-z0-9-] segments and queries already
 * sorted and encoded: curl 7.88 signs both exactly as sent.
 *
 * Threads: http_global_init() once in main before any thread starts;
 * after that each client is used by one thread only.
 *
 * Ownership: http_client_new borrows cfg (it must outlive the client) and
 * the stop flag; http_client_free releases the handle. A response body is
 * malloc'd, NUL-terminated and freed with http_response_free.
 */
#ifndef QLDBTOP_API_HTTP_H
#define QLDBTOP_API_HTTP_H

#include <stdatomic.h>
#include <stddef.h>

#include "api/config.h"
#include "api/error.h"

#define HTTP_CONNECT_TIMEOUT_MS 3100L /* AWS "standard" defaults mode: 1.1 s x 2.8 */
#define HTTP_DEFAULT_TIMEOUT_MS 10000L
#define HTTP_STALL_SECONDS 30L		     /* below 1 byte/s for this long: give up */
#define HTTP_DEFAULT_MAX_RESPONSE (2u << 20) /* IonText is at most 1 MiB (model) */
#define HTTP_ERROR_TYPE_MAX 128

/* Must be called once, before any thread starts; returns 0 or -1. */
int http_global_init(void);
void http_global_cleanup(void);

struct http_client;
/* service is the SigV4 signing name ("qldb"). stop may be NULL; when it
 * becomes non-zero, a transfer in progress is aborted (API_ERR_STOPPED). */
struct http_client *http_client_new(const struct api_config *cfg, const char *service,
				    const atomic_int *stop, struct api_error *err);
void http_client_free(struct http_client *c);

struct http_request {
	const char *op;	    /* operation name for messages: "DescribeLedger" */
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* "/ledgers/x" (already encoded) */
	const char *query;  /* "max_results=5" (sorted, encoded) or NULL */
	const char *body;   /* NULL for none; POST with NULL sends an empty body */
	size_t body_len;
	const char *content_type; /* required when method is not GET/DELETE */
	size_t max_response;	  /* 0 = HTTP_DEFAULT_MAX_RESPONSE */
	long timeout_ms;	  /* 0 = HTTP_DEFAULT_TIMEOUT_MS */
};

struct http_response {
	long status;
	char *body; /* malloc'd, NUL-terminated (body[len] == 0); may be NULL */
	size_t len;
	char error_type[HTTP_ERROR_TYPE_MAX]; /* x-amzn-ErrorType, "" if absent */
};

/* Perform one request. Returns 0 for a 2xx answer (resp filled; the caller
 * frees it). Otherwise a negative api_status with err filled as one line:
 * "DescribeLedger: ResourceNotFoundException: not found (HTTP 404)" or
 * "GetDigest: connect failed: ..." (resp is freed already). */
int http_request_perform(struct http_client *c, const struct http_request *req,
			 struct http_response *resp, struct api_error *err);
void http_response_free(struct http_response *resp);

#endif
