/*
 * s3.c - the endpoint's S3 API (see s3.h): where a request points (path
 * style /bucket/key, or virtual-host style Host: bucket.something), which
 * operation it is (one table: method, level, sub-resource), the
 * operations over s3_store.c, and S3's XML error shape. XML goes through
 * s3_xml.c, so every key and message is escaped.
 *
 * Layering: server.c checks the signature (S3's rules, sigv4.c) and calls
 * sim_s3_handle; the store knows nothing of HTTP; this file knows nothing
 * of disks.
 */
#include "sim/s3.h"

#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim/s3_store.h"
#include "sim/s3_xml.h"
#include "sim/sigv4.h"
#include "verify/buf.h"

#define S3_LIST_MAX 1000	      /* max-keys: S3 returns at most 1000 per page */
#define S3_DELETE_MAX 1000	      /* keys per DeleteObjects */
#define S3_OWNER_ID "qldbtop"	      /* ListBuckets' Owner */
#define S3_REQUEST_ID_LEN 16	      /* hex digits */
#define S3_TOKEN_MAX (2 * S3_KEY_MAX) /* a continuation token: the marker in hex */

struct sim_s3 {
	struct s3_store *store;
};

static atomic_uint_fast64_t s3_requests;

/* The Content-Type of a GetObject answer: sim_response wants a static
 * string, and the answer is sent on the thread that built it, before the
 * next request is handled there. */
static _Thread_local char object_content_type[S3_CTYPE_MAX];

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void request_id(char out[S3_REQUEST_ID_LEN + 1])
{
	uint64_t n = atomic_fetch_add(&s3_requests, 1) + 1;
	uint64_t z = n * 0x9e3779b97f4a7c15ull;
	snprintf(out, S3_REQUEST_ID_LEN + 1, "%016llX", (unsigned long long)(z ^ (z >> 29)));
}

/* ---- errors ---- */

/* An S3 error: status, code, and an optional member naming the resource
 * (<BucketName>, <Key>, <UploadId>). */
static void s3_fail(struct sim_response *res, unsigned status, const char *code, const char *msg,
		    const char *member, const char *value)
{
	struct buf b = { 0 };
	char rid[S3_REQUEST_ID_LEN + 1];
	char clean[SIM_MESSAGE_MAX];
	request_id(rid);
	snprintf(clean, sizeof clean, "%s", msg);
	sim_message_clean(clean);
	int rc = buf_append_str(&b, S3_XML_DECL "<Error>");
	rc = rc ? rc : s3_xml_elem(&b, "Code", code);
	rc = rc ? rc : s3_xml_elem(&b, "Message", clean);
	if (member && value)
		rc = rc ? rc : s3_xml_elem(&b, member, value);
	rc = rc ? rc : s3_xml_elem(&b, "RequestId", rid);
	rc = rc ? rc : buf_append_str(&b, "</Error>");
	sim_response_clear(res);
	res->status = status;
	res->error_code = code;
	res->content_type = "application/xml";
	if (!rc) {
		res->body = (char *)b.data;
		res->body_len = b.len;
	} else {
		buf_free(&b);
	}
	sim_response_header(res, "x-amz-request-id", "%s", rid);
}

/* The store's outcomes as S3 errors. */
static const struct {
	unsigned status;
	const char *code, *message, *member;
} STORE_ERRORS[S3_STATUS_COUNT] = {
	[S3_NO_BUCKET] = { 404, "NoSuchBucket", "The specified bucket does not exist",
			   "BucketName" },
	[S3_NO_KEY] = { 404, "NoSuchKey", "The specified key does not exist.", "Key" },
	[S3_BUCKET_EXISTS] = { 409, "BucketAlreadyOwnedByYou",
			       "Your previous request to create the named bucket succeeded and "
			       "you already own it.",
			       "BucketName" },
	[S3_BUCKET_NOT_EMPTY] = { 409, "BucketNotEmpty",
				  "The bucket you tried to delete is not empty", "BucketName" },
	[S3_BAD_BUCKET_NAME] = { 400, "InvalidBucketName",
				 "The specified bucket is not valid (3..63 of [a-z0-9.-], "
				 "starting and ending with a letter or digit)",
				 "BucketName" },
	[S3_BAD_KEY] = { 400, "KeyTooLongError", "Your key is too long (1..1024 bytes)", "Key" },
	[S3_NO_UPLOAD] = { 404, "NoSuchUpload",
			   "The specified upload does not exist. The upload ID may be invalid, "
			   "or the upload may have been aborted or completed.",
			   "UploadId" },
	[S3_INVALID_PART] = { 400, "InvalidPart",
			      "One or more of the specified parts could not be found, or its "
			      "ETag does not match.",
			      "UploadId" },
	[S3_INVALID_ORDER] = { 400, "InvalidPartOrder",
			       "The list of parts was not in ascending order.", "UploadId" },
	[S3_ENTITY_TOO_SMALL] = { 400, "EntityTooSmall",
				  "Your proposed upload is smaller than the minimum allowed "
				  "object size (every part but the last: 5 MiB).",
				  "UploadId" },
	[S3_TOO_LARGE] = { 400, "EntityTooLarge",
			   "Your proposed upload exceeds the maximum allowed object size of "
			   "this endpoint (1 GiB).",
			   "Key" },
	[S3_FULL] = { 400, "EntityTooLarge",
		      "The endpoint's in-memory S3 is full (1 GiB by default); serve with "
		      "--data-dir to keep objects on disk.",
		      "Key" },
	[S3_LIMIT] = { 400, "InvalidRequest",
		       "A limit of this endpoint was reached (1000 buckets, 1000000 objects per "
		       "bucket, 1000 uploads in flight, parts 1..10000).",
		       NULL },
	[S3_IO] = { 500, "InternalError", "We encountered an internal error (disk).", NULL },
	[S3_NOMEM] = { 500, "InternalError", "We encountered an internal error (memory).", NULL },
};

/* The error of a store outcome; resource fills its member (bucket, key or
 * upload id, whichever the table names). */
static void store_fail(struct sim_response *res, enum s3_status s, const char *bucket,
		       const char *key, const char *upload)
{
	if ((unsigned)s >= S3_STATUS_COUNT || !STORE_ERRORS[s].code)
		s = S3_NOMEM;
	const char *member = STORE_ERRORS[s].member, *value = NULL;
	if (member && strcmp(member, "BucketName") == 0)
		value = bucket;
	else if (member && strcmp(member, "Key") == 0)
		value = key;
	else if (member)
		value = upload;
	char msg[SIM_MESSAGE_MAX];
	if (s == S3_IO)
		snprintf(msg, sizeof msg, "%s %s", STORE_ERRORS[s].message, s3_store_io_error());
	else
		snprintf(msg, sizeof msg, "%s", STORE_ERRORS[s].message);
	s3_fail(res, STORE_ERRORS[s].status, STORE_ERRORS[s].code, msg, value ? member : NULL,
		value);
}

/* Errors raised before dispatch (signature, size, scripted faults), in
 * S3's codes. A few sigv4 messages name a more precise S3 code. */
static const struct {
	enum sim_error e;
	const char *needle; /* NULL: any message */
	unsigned status;
	const char *code;
} PRE_ERRORS[] = {
	{ SIM_ERR_INVALID_PARAMETER, "does not match what was computed", 400,
	  "XAmzContentSHA256Mismatch" },
	{ SIM_ERR_INVALID_PARAMETER, "not accepted here", 501, "NotImplemented" },
	{ SIM_ERR_INVALID_PARAMETER, "aws-chunked", 400, "IncompleteBody" },
	{ SIM_ERR_INVALID_PARAMETER, "x-amz-content-sha256", 400, "InvalidRequest" },
	{ SIM_ERR_INVALID_PARAMETER, NULL, 400, "InvalidArgument" },
	{ SIM_ERR_RESOURCE_NOT_FOUND, NULL, 404, "NoSuchKey" },
	{ SIM_ERR_RESOURCE_PRECONDITION, NULL, 412, "PreconditionFailed" },
	{ SIM_ERR_UNKNOWN_OPERATION, NULL, 501, "NotImplemented" },
	{ SIM_ERR_UNRECOGNIZED_CLIENT, "not signed", 403, "AccessDenied" },
	{ SIM_ERR_UNRECOGNIZED_CLIENT, "access key id", 403, "InvalidAccessKeyId" },
	{ SIM_ERR_UNRECOGNIZED_CLIENT, "session token", 403, "InvalidToken" },
	{ SIM_ERR_UNRECOGNIZED_CLIENT, NULL, 403, "InvalidAccessKeyId" },
	{ SIM_ERR_INVALID_SIGNATURE, "expired", 403, "RequestTimeTooSkewed" },
	{ SIM_ERR_INVALID_SIGNATURE, "scoped", 400, "AuthorizationHeaderMalformed" },
	{ SIM_ERR_INVALID_SIGNATURE, NULL, 403, "SignatureDoesNotMatch" },
	{ SIM_ERR_INCOMPLETE_SIGNATURE, NULL, 400, "AuthorizationHeaderMalformed" },
	{ SIM_ERR_TOO_LARGE, NULL, 400, "EntityTooLarge" },
	{ SIM_ERR_SERIALIZATION, NULL, 400, "MalformedXML" },
	{ SIM_ERR_RESOURCE_EXISTS, NULL, 409, "BucketAlreadyOwnedByYou" },
	{ SIM_ERR_RESOURCE_IN_USE, NULL, 409, "OperationAborted" },
	{ SIM_ERR_LIMIT_EXCEEDED, NULL, 400, "InvalidRequest" },
	{ SIM_ERR_THROTTLING, NULL, 503, "SlowDown" },
	{ SIM_ERR_SERVICE_UNAVAILABLE, NULL, 503, "ServiceUnavailable" },
};

void sim_s3_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	msg = msg ? msg : "";
	for (size_t i = 0; i < sizeof PRE_ERRORS / sizeof PRE_ERRORS[0]; i++)
		if (PRE_ERRORS[i].e == e &&
		    (!PRE_ERRORS[i].needle || strstr(msg, PRE_ERRORS[i].needle))) {
			s3_fail(res, PRE_ERRORS[i].status, PRE_ERRORS[i].code, msg, NULL, NULL);
			return;
		}
	s3_fail(res, 500, "InternalError", msg, NULL, NULL);
}

/* ---- where a request points ---- */

struct s3_target {
	char bucket[SIM_PATH_MAX]; /* "" for the service (ListBuckets) */
	const char *key;	   /* into path_buf; "" for the bucket */
	char path_buf[SIM_PATH_MAX];
};

/* The bucket named by a virtual-host Host header (bucket.rest[:port]) into
 * out, or "" when the host is an address, a single label (localhost), or
 * an S3 service name (s3.amazonaws.com, s3-...). */
static void vhost_bucket(const char *host, char *out, size_t cap)
{
	out[0] = '\0';
	if (!host || host[0] == '[')
		return;
	size_t n = strcspn(host, ":");
	const char *dot = memchr(host, '.', n);
	if (!dot || strspn(host, "0123456789.") >= n)
		return;
	size_t bl = (size_t)(dot - host);
	if (bl >= cap || (bl >= 2 && strncmp(host, "s3", 2) == 0 && (bl == 2 || host[2] == '-')))
		return;
	memcpy(out, host, bl);
	out[bl] = '\0';
	if (!s3_bucket_name_ok(out))
		out[0] = '\0';
}

/* Split the request into bucket and key (decoded). -1: a malformed path. */
static int target_of(const struct sim_request *req, struct s3_target *t)
{
	long n = sim_percent_decode(req->path, strlen(req->path), t->path_buf, sizeof t->path_buf);
	if (n < 0 || t->path_buf[0] != '/')
		return -1;
	vhost_bucket(sim_request_header(req, "host"), t->bucket, sizeof t->bucket);
	if (t->bucket[0]) {
		t->key = t->path_buf + 1;
		return 0;
	}
	const char *p = t->path_buf + 1, *slash = strchr(p, '/');
	size_t bl = slash ? (size_t)(slash - p) : strlen(p);
	memcpy(t->bucket, p, bl);
	t->bucket[bl] = '\0';
	t->key = slash ? slash + 1 : "";
	return 0;
}

/* ---- helpers ---- */

static void respond_xml(struct sim_response *res, unsigned status, struct buf *b)
{
	res->status = status;
	res->content_type = "application/xml";
	res->body = (char *)b->data;
	res->body_len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
}

static void respond_empty(struct sim_response *res, unsigned status)
{
	res->status = status;
	res->content_type = "application/xml";
}

/* A decimal in 0..max, or -1. */
static long parse_uint(const char *s, long max)
{
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -1;
	long v = strtol(s, NULL, 10);
	return v <= max ? v : -1;
}

/* A Content-Type worth storing: printable ASCII, else the default. */
static const char *content_type_of(const struct sim_request *req)
{
	const char *ct = sim_request_header(req, "content-type");
	if (!ct || strlen(ct) >= S3_CTYPE_MAX)
		return NULL;
	for (const char *p = ct; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return NULL;
	return ct;
}

/* Check Content-MD5 (base64 of the body's MD5) when sent. 0, or -1 with
 * the error answered. */
static int check_content_md5(const struct sim_request *req, struct sim_response *res)
{
	const char *b64 = sim_request_header(req, "content-md5");
	if (!b64)
		return 0;
	unsigned char given[32], want[EVP_MAX_MD_SIZE];
	unsigned wl = 0;
	if (strlen(b64) != 24 || b64[22] != '=' || b64[23] != '=' ||
	    EVP_DecodeBlock(given, (const unsigned char *)b64, 24) != 18) {
		s3_fail(res, 400, "InvalidDigest", "The Content-MD5 you specified was invalid.",
			NULL, NULL);
		return -1;
	}
	if (EVP_Digest(req->body ? req->body : "", req->body_len, want, &wl, EVP_md5(), NULL) !=
		    1 ||
	    memcmp(given, want, 16) != 0) {
		s3_fail(res, 400, "BadDigest",
			"The Content-MD5 you specified did not match what we received.", NULL,
			NULL);
		return -1;
	}
	return 0;
}

/* Element text, URL-encoded when the client asked for encoding-type=url
 * (botocore asks, and decodes Key, Prefix, Delimiter, StartAfter, Marker). */
static int elem_enc(struct buf *b, const char *name, const char *text, bool url)
{
	if (!url)
		return s3_xml_elem(b, name, text);
	struct buf e = { 0 };
	int rc = sim_sigv4_uri_encode(&e, text, strlen(text), 1);
	rc = rc ? rc : buf_append_byte(&e, '\0');
	rc = rc ? rc : s3_xml_elem(b, name, (const char *)e.data);
	buf_free(&e);
	return rc;
}

/* ---- operations ---- */

struct s3_ctx {
	struct sim_s3 *s3;
	const struct sim_request *req;
	const struct s3_target *t;
};

static void bucket_xml(void *ctx, const char *name, int64_t ms)
{
	struct buf *b = ctx;
	char when[S3_XML_TIME_MAX];
	s3_xml_time_iso(ms, when);
	buf_append_str(b, "<Bucket>");
	s3_xml_elem(b, "Name", name);
	s3_xml_elem(b, "CreationDate", when);
	buf_append_str(b, "</Bucket>");
}

static void op_list_buckets(const struct s3_ctx *c, struct sim_response *res)
{
	struct buf b = { 0 };
	buf_append_str(&b, S3_XML_DECL "<ListAllMyBucketsResult xmlns=\"" S3_XML_NS "\">"
				       "<Owner><ID>" S3_OWNER_ID "</ID><DisplayName>" S3_OWNER_ID
				       "</DisplayName></Owner><Buckets>");
	s3_store_buckets(c->s3->store, bucket_xml, &b);
	if (buf_append_str(&b, "</Buckets></ListAllMyBucketsResult>") != 0) {
		buf_free(&b);
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	respond_xml(res, 200, &b);
}

static void op_create_bucket(const struct s3_ctx *c, struct sim_response *res)
{
	enum s3_status s = s3_store_bucket_create(c->s3->store, c->t->bucket, now_ms());
	/* S3 in us-east-1 answers 200 to creating a bucket you already own
	 * (a legacy of the original region); elsewhere 409 */
	const char *region = c->req->region ? c->req->region : "us-east-1";
	if (s == S3_BUCKET_EXISTS && strcmp(region, "us-east-1") == 0)
		s = S3_OK;
	if (s) {
		store_fail(res, s, c->t->bucket, NULL, NULL);
		return;
	}
	respond_empty(res, 200);
	sim_response_header(res, "Location", "/%s", c->t->bucket);
}

static void op_head_bucket(const struct s3_ctx *c, struct sim_response *res)
{
	if (!s3_store_bucket_exists(c->s3->store, c->t->bucket)) {
		store_fail(res, S3_NO_BUCKET, c->t->bucket, NULL, NULL);
		return;
	}
	respond_empty(res, 200);
	sim_response_header(res, "x-amz-bucket-region", "%s",
			    c->req->region ? c->req->region : "us-east-1");
}

static void op_delete_bucket(const struct s3_ctx *c, struct sim_response *res)
{
	enum s3_status s = s3_store_bucket_delete(c->s3->store, c->t->bucket);
	if (s)
		store_fail(res, s, c->t->bucket, NULL, NULL);
	else
		respond_empty(res, 204);
}

static void op_bucket_location(const struct s3_ctx *c, struct sim_response *res)
{
	if (!s3_store_bucket_exists(c->s3->store, c->t->bucket)) {
		store_fail(res, S3_NO_BUCKET, c->t->bucket, NULL, NULL);
		return;
	}
	const char *region = c->req->region ? c->req->region : "us-east-1";
	struct buf b = { 0 };
	buf_append_str(&b, S3_XML_DECL "<LocationConstraint xmlns=\"" S3_XML_NS "\">");
	/* us-east-1 is the empty constraint, as S3 answers */
	if (strcmp(region, "us-east-1") != 0)
		s3_xml_escape(&b, region, strlen(region));
	if (buf_append_str(&b, "</LocationConstraint>") != 0) {
		buf_free(&b);
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	respond_xml(res, 200, &b);
}

/* ListObjects (v1) and ListObjectsV2: one walk, two vocabularies. */
static void list_objects(const struct s3_ctx *c, struct sim_response *res, bool v2)
{
	const struct sim_request *req = c->req;
	const char *prefix = sim_request_query(req, "prefix");
	const char *delim = sim_request_query(req, "delimiter");
	const char *max_s = sim_request_query(req, "max-keys");
	const char *enc = sim_request_query(req, "encoding-type");
	const char *token = v2 ? sim_request_query(req, "continuation-token") : NULL;
	const char *start = sim_request_query(req, v2 ? "start-after" : "marker");
	bool url = enc && strcmp(enc, "url") == 0;
	long max = max_s ? parse_uint(max_s, 2147483647) : S3_LIST_MAX;
	if (max < 0 || (enc && !url)) {
		s3_fail(res, 400, "InvalidArgument",
			max < 0 ? "max-keys must be an integer between 0 and 2147483647"
				: "Invalid Encoding Method specified in Request (only url)",
			NULL, NULL);
		return;
	}
	if (max > S3_LIST_MAX)
		max = S3_LIST_MAX;
	/* the continuation token is the last entry listed, in hex */
	char marker[S3_KEY_MAX + 1] = "";
	if (token) {
		size_t tl = strlen(token);
		bool ok = tl > 0 && tl % 2 == 0 && tl <= S3_TOKEN_MAX &&
			  strspn(token, "0123456789abcdef") == tl;
		for (size_t i = 0; ok && i < tl / 2; i++) {
			unsigned v;
			ok = sscanf(token + 2 * i, "%2x", &v) == 1 && v != 0;
			marker[i] = (char)v;
		}
		if (!ok) {
			s3_fail(res, 400, "InvalidArgument",
				"The continuation token provided is incorrect", NULL, NULL);
			return;
		}
		marker[tl / 2] = '\0';
	} else if (start) {
		snprintf(marker, sizeof marker, "%s", start);
	}
	struct s3_list_query q = {
		.prefix = prefix, .delimiter = delim, .marker = marker, .max = (size_t)max
	};
	struct s3_list l;
	enum s3_status s = s3_store_list(c->s3->store, c->t->bucket, &q, &l);
	if (s) {
		store_fail(res, s, c->t->bucket, NULL, NULL);
		return;
	}
	struct buf b = { 0 };
	int rc = buf_append_str(&b, S3_XML_DECL "<ListBucketResult xmlns=\"" S3_XML_NS "\">");
	rc = rc ? rc : s3_xml_elem(&b, "Name", c->t->bucket);
	rc = rc ? rc : elem_enc(&b, "Prefix", prefix ? prefix : "", url);
	if (delim && *delim)
		rc = rc ? rc : elem_enc(&b, "Delimiter", delim, url);
	rc = rc ? rc : s3_xml_elem_u64(&b, "MaxKeys", (uint64_t)max);
	rc = rc ? rc : s3_xml_elem(&b, "IsTruncated", l.truncated ? "true" : "false");
	if (url)
		rc = rc ? rc : s3_xml_elem(&b, "EncodingType", "url");
	const char *last = l.n ? l.v[l.n - 1].key : NULL;
	if (v2) {
		size_t keys = l.n;
		rc = rc ? rc : s3_xml_elem_u64(&b, "KeyCount", keys);
		if (token)
			rc = rc ? rc : s3_xml_elem(&b, "ContinuationToken", token);
		if (start)
			rc = rc ? rc : elem_enc(&b, "StartAfter", start, url);
		if (l.truncated && last) {
			struct buf t = { 0 };
			for (const char *p = last; !rc && *p; p++)
				rc = buf_printf(&t, "%02x", (unsigned char)*p);
			rc = rc ? rc : buf_append_byte(&t, '\0');
			rc = rc ? rc : s3_xml_elem(&b, "NextContinuationToken", (char *)t.data);
			buf_free(&t);
		}
	} else {
		rc = rc ? rc : elem_enc(&b, "Marker", start ? start : "", url);
		if (l.truncated && last)
			rc = rc ? rc : elem_enc(&b, "NextMarker", last, url);
	}
	for (size_t i = 0; !rc && i < l.n; i++) {
		const struct s3_list_entry *e = &l.v[i];
		if (e->is_prefix)
			continue;
		char when[S3_XML_TIME_MAX];
		s3_xml_time_iso(e->info.mtime_ms, when);
		rc = buf_append_str(&b, "<Contents>");
		rc = rc ? rc : elem_enc(&b, "Key", e->key, url);
		rc = rc ? rc : s3_xml_elem(&b, "LastModified", when);
		rc = rc ? rc : s3_xml_elem(&b, "ETag", e->info.etag);
		rc = rc ? rc : s3_xml_elem_u64(&b, "Size", e->info.size);
		rc = rc ? rc
			: buf_append_str(&b, "<StorageClass>STANDARD</StorageClass></Contents>");
	}
	for (size_t i = 0; !rc && i < l.n; i++) {
		if (!l.v[i].is_prefix)
			continue;
		rc = buf_append_str(&b, "<CommonPrefixes>");
		rc = rc ? rc : elem_enc(&b, "Prefix", l.v[i].key, url);
		rc = rc ? rc : buf_append_str(&b, "</CommonPrefixes>");
	}
	rc = rc ? rc : buf_append_str(&b, "</ListBucketResult>");
	s3_list_free(&l);
	if (rc) {
		buf_free(&b);
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	respond_xml(res, 200, &b);
}

static void op_list_objects_v2(const struct s3_ctx *c, struct sim_response *res)
{
	const char *lt = sim_request_query(c->req, "list-type");
	if (strcmp(lt, "2") != 0) {
		s3_fail(res, 400, "InvalidArgument", "list-type must be 2", NULL, NULL);
		return;
	}
	list_objects(c, res, true);
}

static void op_list_objects(const struct s3_ctx *c, struct sim_response *res)
{
	list_objects(c, res, false);
}

static void op_put_object(const struct s3_ctx *c, struct sim_response *res)
{
	if (sim_request_header(c->req, "x-amz-copy-source")) {
		s3_fail(res, 501, "NotImplemented", "CopyObject is not served by this endpoint",
			NULL, NULL);
		return;
	}
	if (check_content_md5(c->req, res) != 0)
		return;
	struct s3_object_info info;
	enum s3_status s = s3_store_put(c->s3->store, c->t->bucket, c->t->key, c->req->body,
					c->req->body_len, content_type_of(c->req), now_ms(), &info);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
		return;
	}
	respond_empty(res, 200);
	sim_response_header(res, "ETag", "%s", info.etag);
}

/* A single "bytes=a-b", "bytes=a-" or "bytes=-n" range of an object of
 * size bytes: 1 with [*off, *off+*len), 0 when there is none worth reading
 * (absent, or a syntax S3 ignores: several ranges), -1 when it cannot be
 * satisfied. */
static int parse_range(const char *h, uint64_t size, uint64_t *off, uint64_t *len)
{
	unsigned long long a = 0, b = 0;
	int n = 0;
	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	h += 6;
	if (h[0] == '-') {
		if (sscanf(h + 1, "%llu%n", &b, &n) != 1 || h[1 + n] != '\0' ||
		    !strchr("0123456789", h[1]))
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*len = b < size ? b : size;
		*off = size - *len;
		return 1;
	}
	if (!strchr("0123456789", h[0]) || sscanf(h, "%llu-%n", &a, &n) != 1 || n == 0 ||
	    h[n - 1] != '-')
		return 0;
	if (h[n] == '\0') {
		b = size ? size - 1 : 0;
	} else {
		int m = 0;
		if (!strchr("0123456789", h[n]) || sscanf(h + n, "%llu%n", &b, &m) != 1 ||
		    h[n + m] != '\0')
			return 0;
		if (b < a)
			return 0; /* S3 ignores an inverted range */
	}
	if (a >= size)
		return -1;
	if (b >= size)
		b = size - 1;
	*off = a;
	*len = b - a + 1;
	return 1;
}

static void object_headers(struct sim_response *res, const struct s3_object_info *info)
{
	char when[S3_XML_TIME_MAX];
	s3_xml_time_http(info->mtime_ms, when);
	sim_response_header(res, "ETag", "%s", info->etag);
	sim_response_header(res, "Last-Modified", "%s", when);
	sim_response_header(res, "Accept-Ranges", "bytes");
	snprintf(object_content_type, sizeof object_content_type, "%s", info->content_type);
	res->content_type = object_content_type;
}

static void op_get_object(const struct s3_ctx *c, struct sim_response *res)
{
	struct s3_object_info info;
	enum s3_status s =
		s3_store_get(c->s3->store, c->t->bucket, c->t->key, &info, 0, 0, NULL, NULL);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
		return;
	}
	uint64_t off = 0, len = info.size;
	int ranged = parse_range(sim_request_header(c->req, "range"), info.size, &off, &len);
	if (ranged < 0) {
		char msg[SIM_MESSAGE_MAX];
		snprintf(msg, sizeof msg,
			 "The requested range is not satisfiable (object size %llu)",
			 (unsigned long long)info.size);
		s3_fail(res, 416, "InvalidRange", msg, NULL, NULL);
		sim_response_header(res, "Content-Range", "bytes */%llu",
				    (unsigned long long)info.size);
		return;
	}
	char *data = NULL;
	size_t n = 0;
	s = s3_store_get(c->s3->store, c->t->bucket, c->t->key, &info, off, len, &data, &n);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
		return;
	}
	res->status = ranged ? 206 : 200;
	res->body = data;
	res->body_len = n;
	object_headers(res, &info);
	if (ranged)
		sim_response_header(res, "Content-Range", "bytes %llu-%llu/%llu",
				    (unsigned long long)off, (unsigned long long)(off + n - 1),
				    (unsigned long long)info.size);
}

static void op_head_object(const struct s3_ctx *c, struct sim_response *res)
{
	struct s3_object_info info;
	enum s3_status s =
		s3_store_get(c->s3->store, c->t->bucket, c->t->key, &info, 0, 0, NULL, NULL);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
		return;
	}
	/* MHD sends a HEAD answer's Content-Length from its body's size and
	 * never the body: a zeroed calloc of the object's size (pages are
	 * mapped lazily, so even a large one costs little) */
	res->body = calloc(1, info.size ? (size_t)info.size : 1);
	if (!res->body) {
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	res->body_len = (size_t)info.size;
	res->status = 200;
	object_headers(res, &info);
}

static void op_delete_object(const struct s3_ctx *c, struct sim_response *res)
{
	enum s3_status s = s3_store_delete(c->s3->store, c->t->bucket, c->t->key);
	if (s)
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
	else
		respond_empty(res, 204);
}

static void malformed_xml(struct sim_response *res, const char *what)
{
	char msg[SIM_MESSAGE_MAX];
	snprintf(msg, sizeof msg,
		 "The XML you provided was not well-formed or did not validate against our "
		 "published schema (%s)",
		 what);
	s3_fail(res, 400, "MalformedXML", msg, NULL, NULL);
}

static void op_delete_objects(const struct s3_ctx *c, struct sim_response *res)
{
	const char *doc = c->req->body ? c->req->body : "";
	size_t n = c->req->body_len, at = 0, count = 0, len;
	if (check_content_md5(c->req, res) != 0)
		return;
	if (!s3_store_bucket_exists(c->s3->store, c->t->bucket)) {
		store_fail(res, S3_NO_BUCKET, c->t->bucket, NULL, NULL);
		return;
	}
	size_t qat = 0, qlen;
	const char *quiet = s3_xml_next(doc, n, &qat, "Quiet", &qlen);
	bool is_quiet = quiet && qlen == 4 && strncmp(quiet, "true", 4) == 0;
	struct buf b = { 0 };
	int rc = buf_append_str(&b, S3_XML_DECL "<DeleteResult xmlns=\"" S3_XML_NS "\">");
	const char *obj;
	while (!rc && (obj = s3_xml_next(doc, n, &at, "Object", &len))) {
		size_t kat = 0, kl;
		const char *k = s3_xml_next(obj, len, &kat, "Key", &kl);
		char *key = k ? s3_xml_unescape(k, kl) : NULL;
		if (!key || ++count > S3_DELETE_MAX) {
			free(key);
			buf_free(&b);
			malformed_xml(res, !key ? "an Object without a valid Key"
						: "more than 1000 keys");
			return;
		}
		enum s3_status s = s3_store_delete(c->s3->store, c->t->bucket, key);
		if (s) {
			rc = buf_append_str(&b, "<Error>");
			rc = rc ? rc : s3_xml_elem(&b, "Key", key);
			rc = rc ? rc : s3_xml_elem(&b, "Code", STORE_ERRORS[s].code);
			rc = rc ? rc : s3_xml_elem(&b, "Message", STORE_ERRORS[s].message);
			rc = rc ? rc : buf_append_str(&b, "</Error>");
		} else if (!is_quiet) {
			rc = buf_append_str(&b, "<Deleted>");
			rc = rc ? rc : s3_xml_elem(&b, "Key", key);
			rc = rc ? rc : buf_append_str(&b, "</Deleted>");
		}
		free(key);
	}
	if (!rc && count == 0) {
		buf_free(&b);
		malformed_xml(res, "no Object to delete");
		return;
	}
	rc = rc ? rc : buf_append_str(&b, "</DeleteResult>");
	if (rc) {
		buf_free(&b);
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	respond_xml(res, 200, &b);
}

static void op_create_upload(const struct s3_ctx *c, struct sim_response *res)
{
	char id[S3_UPLOAD_ID_LEN + 1];
	enum s3_status s = s3_store_upload_create(c->s3->store, c->t->bucket, c->t->key,
						  content_type_of(c->req), id);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, NULL);
		return;
	}
	struct buf b = { 0 };
	int rc = buf_append_str(&b, S3_XML_DECL "<InitiateMultipartUploadResult xmlns=\"" S3_XML_NS
						"\">");
	rc = rc ? rc : s3_xml_elem(&b, "Bucket", c->t->bucket);
	rc = rc ? rc : s3_xml_elem(&b, "Key", c->t->key);
	rc = rc ? rc : s3_xml_elem(&b, "UploadId", id);
	rc = rc ? rc : buf_append_str(&b, "</InitiateMultipartUploadResult>");
	if (rc) {
		buf_free(&b);
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	respond_xml(res, 200, &b);
}

static void op_upload_part(const struct s3_ctx *c, struct sim_response *res)
{
	const char *id = sim_request_query(c->req, "uploadId");
	long part = parse_uint(sim_request_query(c->req, "partNumber"), S3_STORE_PARTS_MAX);
	if (part < 1) {
		s3_fail(res, 400, "InvalidArgument",
			"Part number must be an integer between 1 and 10000, inclusive", NULL,
			NULL);
		return;
	}
	if (check_content_md5(c->req, res) != 0)
		return;
	char etag[S3_ETAG_MAX];
	enum s3_status s =
		s3_store_upload_part(c->s3->store, c->t->bucket, c->t->key, id, (unsigned)part,
				     c->req->body, c->req->body_len, etag);
	if (s) {
		store_fail(res, s, c->t->bucket, c->t->key, id);
		return;
	}
	respond_empty(res, 200);
	sim_response_header(res, "ETag", "%s", etag);
}

static void op_complete_upload(const struct s3_ctx *c, struct sim_response *res)
{
	const char *id = sim_request_query(c->req, "uploadId");
	const char *doc = c->req->body ? c->req->body : "";
	size_t n = c->req->body_len, at = 0, len, count = 0;
	struct s3_part_ref *parts = NULL;
	char **etags = NULL;
	const char *why = NULL;
	const char *part;
	while (!why && (part = s3_xml_next(doc, n, &at, "Part", &len))) {
		if (count == S3_STORE_PARTS_MAX) {
			why = "more than 10000 parts";
			break;
		}
		struct s3_part_ref *pv = realloc(parts, (count + 1) * sizeof *pv);
		char **ev = pv ? realloc(etags, (count + 1) * sizeof *ev) : NULL;
		if (pv)
			parts = pv;
		if (ev)
			etags = ev;
		if (!pv || !ev) {
			why = "out of memory";
			break;
		}
		size_t pat = 0, eat = 0, pl, el;
		const char *num = s3_xml_next(part, len, &pat, "PartNumber", &pl);
		const char *et = s3_xml_next(part, len, &eat, "ETag", &el);
		char nbuf[8] = "";
		if (num && pl < sizeof nbuf) {
			memcpy(nbuf, num, pl);
			nbuf[pl] = '\0';
		}
		long pn = parse_uint(nbuf, S3_STORE_PARTS_MAX);
		etags[count] = et ? s3_xml_unescape(et, el) : NULL;
		parts[count].number = pn > 0 ? (unsigned)pn : 0;
		parts[count].etag = etags[count];
		count++;
		if (pn < 1 || !etags[count - 1])
			why = "a Part needs a PartNumber 1..10000 and an ETag";
	}
	if (!why && count == 0)
		why = "no Part";
	if (why) {
		malformed_xml(res, why);
	} else {
		struct s3_object_info info;
		enum s3_status s = s3_store_upload_complete(c->s3->store, c->t->bucket, c->t->key,
							    id, parts, count, now_ms(), &info);
		if (s) {
			store_fail(res, s, c->t->bucket, c->t->key, id);
		} else {
			const char *host = sim_request_header(c->req, "host");
			struct buf b = { 0 }, loc = { 0 };
			int rc = buf_printf(&loc, "http://%s/%s/", host ? host : "localhost",
					    c->t->bucket);
			rc = rc ? rc : sim_sigv4_uri_encode(&loc, c->t->key, strlen(c->t->key), 1);
			rc = rc ? rc : buf_append_byte(&loc, '\0');
			rc = rc ? rc
				: buf_append_str(&b, S3_XML_DECL
						 "<CompleteMultipartUploadResult xmlns=\"" S3_XML_NS
						 "\">");
			rc = rc ? rc : s3_xml_elem(&b, "Location", (char *)loc.data);
			rc = rc ? rc : s3_xml_elem(&b, "Bucket", c->t->bucket);
			rc = rc ? rc : s3_xml_elem(&b, "Key", c->t->key);
			rc = rc ? rc : s3_xml_elem(&b, "ETag", info.etag);
			rc = rc ? rc : buf_append_str(&b, "</CompleteMultipartUploadResult>");
			buf_free(&loc);
			if (rc) {
				buf_free(&b);
				store_fail(res, S3_NOMEM, NULL, NULL, NULL);
			} else {
				respond_xml(res, 200, &b);
			}
		}
	}
	for (size_t i = 0; i < count; i++)
		free(etags[i]);
	free(etags);
	free(parts);
}

static void op_abort_upload(const struct s3_ctx *c, struct sim_response *res)
{
	const char *id = sim_request_query(c->req, "uploadId");
	enum s3_status s = s3_store_upload_abort(c->s3->store, c->t->bucket, c->t->key, id);
	if (s)
		store_fail(res, s, c->t->bucket, c->t->key, id);
	else
		respond_empty(res, 204);
}

/* ---- dispatch ---- */

enum s3_level { LEVEL_SERVICE, LEVEL_BUCKET, LEVEL_OBJECT };

/* The operations: the first row whose method, level and sub-resource
 * (a query key that must be present; NULL: none of SUBRESOURCES) match. */
static const struct {
	const char *method;
	enum s3_level level;
	const char *subresource;
	const char *name;
	void (*fn)(const struct s3_ctx *c, struct sim_response *res);
} OPERATIONS[] = {
	{ "GET", LEVEL_SERVICE, NULL, "ListBuckets", op_list_buckets },
	{ "PUT", LEVEL_BUCKET, NULL, "CreateBucket", op_create_bucket },
	{ "HEAD", LEVEL_BUCKET, NULL, "HeadBucket", op_head_bucket },
	{ "DELETE", LEVEL_BUCKET, NULL, "DeleteBucket", op_delete_bucket },
	{ "GET", LEVEL_BUCKET, "location", "GetBucketLocation", op_bucket_location },
	{ "GET", LEVEL_BUCKET, "list-type", "ListObjectsV2", op_list_objects_v2 },
	{ "GET", LEVEL_BUCKET, NULL, "ListObjects", op_list_objects },
	{ "POST", LEVEL_BUCKET, "delete", "DeleteObjects", op_delete_objects },
	{ "PUT", LEVEL_OBJECT, "uploadId", "UploadPart", op_upload_part },
	{ "PUT", LEVEL_OBJECT, NULL, "PutObject", op_put_object },
	{ "GET", LEVEL_OBJECT, NULL, "GetObject", op_get_object },
	{ "HEAD", LEVEL_OBJECT, NULL, "HeadObject", op_head_object },
	{ "DELETE", LEVEL_OBJECT, "uploadId", "AbortMultipartUpload", op_abort_upload },
	{ "DELETE", LEVEL_OBJECT, NULL, "DeleteObject", op_delete_object },
	{ "POST", LEVEL_OBJECT, "uploads", "CreateMultipartUpload", op_create_upload },
	{ "POST", LEVEL_OBJECT, "uploadId", "CompleteMultipartUpload", op_complete_upload },
};

/* Query keys that name another S3 operation (acl, tagging, ...): a request
 * carrying one is not the plain operation of its method. */
static const char *const SUBRESOURCES[] = {
	"acl",
	"accelerate",
	"analytics",
	"cors",
	"delete",
	"encryption",
	"intelligent-tiering",
	"inventory",
	"legal-hold",
	"lifecycle",
	"location",
	"logging",
	"metrics",
	"notification",
	"object-lock",
	"ownershipControls",
	"policy",
	"policyStatus",
	"publicAccessBlock",
	"replication",
	"requestPayment",
	"restore",
	"retention",
	"select",
	"tagging",
	"torrent",
	"uploadId",
	"uploads",
	"versioning",
	"versions",
	"website",
	"attributes",
};

static bool has_subresource(const struct sim_request *req)
{
	for (size_t i = 0; i < sizeof SUBRESOURCES / sizeof SUBRESOURCES[0]; i++)
		if (sim_request_query(req, SUBRESOURCES[i]))
			return true;
	return false;
}

void sim_s3_handle(struct sim_s3 *s, const struct sim_request *req, struct sim_response *res)
{
	struct s3_target *t = malloc(sizeof *t);
	if (!t) {
		store_fail(res, S3_NOMEM, NULL, NULL, NULL);
		return;
	}
	if (target_of(req, t) != 0) {
		s3_fail(res, 400, "InvalidURI", "Couldn't parse the specified URI.", NULL, NULL);
		free(t);
		return;
	}
	enum s3_level level = !t->bucket[0] ? LEVEL_SERVICE
			      : !t->key[0]  ? LEVEL_BUCKET
					    : LEVEL_OBJECT;
	struct s3_ctx c = { .s3 = s, .req = req, .t = t };
	bool method_known = false;
	for (size_t i = 0; i < sizeof OPERATIONS / sizeof OPERATIONS[0]; i++) {
		if (OPERATIONS[i].level != level || strcmp(OPERATIONS[i].method, req->method) != 0)
			continue;
		method_known = true;
		if (OPERATIONS[i].subresource ? !sim_request_query(req, OPERATIONS[i].subresource)
					      : has_subresource(req))
			continue;
		if (level != LEVEL_SERVICE && strlen(t->bucket) > S3_BUCKET_MAX &&
		    strcmp(OPERATIONS[i].name, "CreateBucket") != 0)
			store_fail(res, S3_NO_BUCKET, t->bucket, NULL, NULL);
		else if (level == LEVEL_OBJECT && strlen(t->key) > S3_KEY_MAX)
			store_fail(res, S3_BAD_KEY, t->bucket, NULL, NULL);
		else
			OPERATIONS[i].fn(&c, res);
		free(t);
		return;
	}
	if (method_known)
		s3_fail(res, 501, "NotImplemented",
			"A header or query you provided implies functionality that is not "
			"implemented by this endpoint",
			NULL, NULL);
	else
		s3_fail(res, 405, "MethodNotAllowed",
			"The specified method is not allowed against this resource.", NULL, NULL);
	free(t);
}

/* ---- lifetime and the exports' API ---- */

struct sim_s3 *sim_s3_new_capped(const char *data_dir, uint64_t mem_cap, char *err, size_t cap)
{
	struct sim_s3 *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, cap, "s3: out of memory");
		return NULL;
	}
	s->store = s3_store_open(data_dir, mem_cap, err, cap);
	if (!s->store) {
		free(s);
		return NULL;
	}
	return s;
}

struct sim_s3 *sim_s3_new(const char *data_dir, char *err, size_t cap)
{
	return sim_s3_new_capped(data_dir, 0, err, cap);
}

void sim_s3_free(struct sim_s3 *s)
{
	if (!s)
		return;
	s3_store_close(s->store);
	free(s);
}

bool sim_s3_bucket_exists(struct sim_s3 *s, const char *bucket)
{
	return s && bucket && s3_store_bucket_exists(s->store, bucket);
}

int sim_s3_create_bucket(struct sim_s3 *s, const char *bucket, char *err, size_t cap)
{
	enum s3_status st = s3_store_bucket_create(s->store, bucket, now_ms());
	if (st == S3_OK || st == S3_BUCKET_EXISTS)
		return 0;
	snprintf(err, cap, "s3: bucket '%.64s': %s", bucket, STORE_ERRORS[st].message);
	return -1;
}

int sim_s3_put(struct sim_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
	       char *err, size_t cap)
{
	enum s3_status st = s3_store_put(s->store, bucket, key, data, len, NULL, now_ms(), NULL);
	if (st == S3_OK)
		return 0;
	if (st == S3_NO_BUCKET)
		return 1;
	if ((unsigned)st >= S3_STATUS_COUNT || !STORE_ERRORS[st].code)
		st = S3_NOMEM;
	snprintf(err, cap, "s3: s3://%.64s/%.200s: %s %s", bucket, key, STORE_ERRORS[st].code,
		 st == S3_IO ? s3_store_io_error() : STORE_ERRORS[st].message);
	return -1;
}
