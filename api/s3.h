/*
 * s3.h - the S3 calls qldbtop makes (rest-xml, SigV4 service "s3",
 * path-style URLs; docs/aws-api.md §6): ListObjectsV2 over every page and
 * GetObject by byte range, plus the pure pieces they are built from (the
 * s3:// URI, key encoding, the ListObjectsV2 and error parsers) so tests
 * feed those the exact shapes of the service.
 *
 * Objects are read in ranges of S3_GET_CHUNK bytes (struct s3_reader), so
 * memory stays bounded however large an object is, and a pull reader (the
 * Ion reader's source callback) is fed without a thread.
 *
 * Paths and queries: the key is percent-encoded once per RFC 3986 with '/'
 * kept (S3's canonical URI), the query built already sorted and encoded
 * (what curl 7.88's signer needs, and what any signer accepts).
 *
 * Errors: one line naming the call and the object ("GetObject
 * s3://b/k: NoSuchKey: The specified key does not exist. (HTTP 404)"),
 * the S3 code in err->code; never a secret.
 *
 * Threads: one s3_client per thread (it owns one connection).
 * Ownership: s3_client_new borrows cfg (it must outlive the client) and
 * stop. A listing owns its keys (s3_listing_free). Bodies returned by
 * s3_get_range are malloc'd for the caller to free.
 */
#ifndef QLDBTOP_API_S3_H
#define QLDBTOP_API_S3_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "api/config.h"
#include "api/error.h"

#define S3_BUCKET_MAX 255		/* QLDB's S3ExportConfiguration.Bucket: 3..255 */
#define S3_KEY_MAX 1024			/* S3 keys are at most 1024 bytes of UTF-8 */
#define S3_TOKEN_MAX 4096		/* a continuation token; S3's are ~100-200 chars */
#define S3_LIST_MAX_KEYS 2000000u	/* keys kept from one listing */
#define S3_LIST_MAX_PAGES 100000u	/* pages followed (1000 keys each, or fewer) */
#define S3_LIST_RESPONSE_MAX (8u << 20) /* one page of 1000 keys is ~350 KiB */
#define S3_GET_CHUNK (4u << 20)		/* bytes per ranged GetObject */
#define S3_ERROR_RESPONSE_MAX (64u << 10)

struct s3_object {
	char *key; /* malloc'd, NUL-terminated, 1..S3_KEY_MAX bytes */
	uint64_t size;
};

struct s3_listing {
	struct s3_object *items; /* in the order the pages gave them (S3: by key) */
	size_t n, cap;
};
void s3_listing_free(struct s3_listing *l);

/* What one ListObjectsV2 page says about the next. */
struct s3_list_page {
	bool truncated;
	char next_token[S3_TOKEN_MAX + 1]; /* "" unless truncated */
	size_t contents;		   /* <Contents> in this page */
};

/* "s3://BUCKET/PREFIX" into bucket and prefix ("" for the bucket root).
 * The bucket is 3..S3_BUCKET_MAX of [A-Za-z0-9._-]; the prefix at most
 * S3_KEY_MAX bytes without control characters. 0 or API_ERR_CONFIG. */
int s3_uri_parse(const char *uri, char *bucket, size_t bucket_cap, char *prefix, size_t prefix_cap,
		 struct api_error *err);
/* RFC 3986 percent-encoding of s (unreserved kept; keep_slash: '/' too)
 * into dst. Returns the length, or -1 when dst is too small. */
int s3_encode(const char *s, bool keep_slash, char *dst, size_t cap);

/* One ListObjectsV2 answer (<ListBucketResult>): appends its keys to out
 * and fills page. bucket and prefix are the request's (no delimiter is
 * ever sent): a page naming another bucket or prefix, grouping keys
 * (Delimiter, CommonPrefixes), a key outside the prefix, or keys not in strictly
 * increasing order (after the last key already in out) is an error, so a
 * confused or hostile server cannot make the listing loop or wander.
 * Required: IsTruncated (true|false); per Contents, Key and Size (decimal,
 * at most 2^63-1); NextContinuationToken when truncated. KeyCount, when
 * present, must be the number of Contents and CommonPrefixes. 0, or
 * API_ERR_PARSE / API_ERR_LIMIT / API_ERR_NOMEM with err. */
int s3_parse_list_objects_v2(const char *xml, size_t len, const char *bucket, const char *prefix,
			     struct s3_listing *out, struct s3_list_page *page,
			     struct api_error *err);
/* An S3 <Error><Code/><Message/></Error> body: code and message (each
 * truncated to its cap, control characters replaced). Returns 0, or -1
 * when the body is not that shape (then both are ""). */
int s3_parse_error(const char *xml, size_t len, char *code, size_t code_cap, char *msg,
		   size_t msg_cap);

struct s3_client;
struct s3_client *s3_client_new(const struct api_config *cfg, const atomic_int *stop,
				struct api_error *err);
void s3_client_free(struct s3_client *c);

/* Every key under prefix in bucket (all pages), appended to out. */
int s3_list_objects(struct s3_client *c, const char *bucket, const char *prefix,
		    struct s3_listing *out, struct api_error *err);
/* Bytes off..off+len-1 of an object (Range). *data is malloc'd (NUL
 * after the last byte), *n its length (less than len only at the end);
 * *total the object's size from Content-Range (may be NULL). An offset at
 * or past the end gives *n == 0. */
int s3_get_range(struct s3_client *c, const char *bucket, const char *key, uint64_t off, size_t len,
		 char **data, size_t *n, uint64_t *total, struct api_error *err);
/* A whole object of at most max bytes (manifests), read by ranges. */
int s3_get_object(struct s3_client *c, const char *bucket, const char *key, size_t max, char **data,
		  size_t *n, struct api_error *err);

/* A pull source over one object: ranges of S3_GET_CHUNK, one at a time.
 * size: the object's size from the listing; an object that comes back
 * shorter or longer than that is a read error (it changed under us).
 * s3_reader_read has the shape of verify/'s ion_reader_open_source
 * callback: bytes read, 0 at the end, -1 on error (then err says why). */
struct s3_reader {
	struct s3_client *c; /* borrowed */
	const char *bucket, *key;
	uint64_t size, off;
	char *buf;
	size_t len, pos;
	struct api_error err;
	uint64_t bytes; /* delivered so far */
};
void s3_reader_init(struct s3_reader *r, struct s3_client *c, const char *bucket, const char *key,
		    uint64_t size);
ssize_t s3_reader_read(void *ctx, uint8_t *buf, size_t cap);
void s3_reader_free(struct s3_reader *r);

/* ---- the request function (shared with api/kinesis.c) -----------------
 * One request through api/http.c for service (an s3_client is then just a
 * connection to that service's endpoint: --endpoint-url, or
 * AWS_ENDPOINT_URL_<SERVICE>, ...); Range and X-Amz-Target are sent as
 * signed headers. */
struct s3_client *s3_client_for(const struct api_config *cfg, const char *service,
				const atomic_int *stop, struct api_error *err);
/* The same, beside a worker's client (http_client_beside: its keys,
 * config, stop flag and quota are shared). */
struct http_client;
struct s3_client *s3_client_beside(struct http_client *peer, const char *service,
				   struct api_error *err);
struct s3_shim_request {
	const char *what;	  /* "GetObject s3://b/k": the start of messages */
	const char *method;	  /* "GET" or "POST" */
	const char *path, *query; /* encoded; the query sorted */
	const char *range;	  /* "a-b" or NULL */
	const char *body;	  /* POST */
	size_t body_len;
	const char *content_type; /* POST; default application/json */
	const char *target;	  /* X-Amz-Target or NULL */
	size_t max;		  /* response cap */
};
struct s3_body {
	char *buf; /* malloc'd, NUL-terminated; the caller frees */
	size_t len, cap, max;
	bool too_big;
	uint64_t first, last, total; /* from Content-Range: bytes FIRST-LAST/TOTAL */
	bool have_total;
	long status;
};
/* 0 on a 2xx answer (body filled), else a negative api_status with err
 * one line (http.h's: "WHAT: Code: message (HTTP n)") and no body. */
int s3_shim_perform(struct s3_client *c, const struct s3_shim_request *req, struct s3_body *body,
		    struct api_error *err);

#endif
