/*
 * test_api_http.c - the transport (api/http.c) against a scripted local
 * server (libmicrohttpd on 127.0.0.1, one canned answer per request):
 * retries of throttling and 5xx within 3 attempts, no retry of
 * LimitExceededException or a non-idempotent request, the clock-skew
 * repair from the Date header, the one-line error for JSON, XML and
 * HTML/garbage bodies, the response size cap, the streaming sink (and its
 * abort), captured headers, S3 signing headers, the stop flag ending a
 * backoff early, and no credentials refused before anything is sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http.h"

/* answers are written as short positional initializers */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define SCRIPT_MAX 16

struct answer {
	unsigned status;
	const char *body;
	size_t body_len; /* 0: strlen(body) */
	const char *h1, *v1, *h2, *v2;
	bool date_ahead; /* a Date header an hour ahead of our clock */
};

/* What the server saw of one request. */
struct seen {
	char method[16], url[512], auth[512], amz_date[32], sha256[80], host[128], ctype[128];
	size_t body_len;
};

static struct {
	pthread_mutex_t lock;
	struct answer script[SCRIPT_MAX];
	size_t n, next;
	struct seen seen[SCRIPT_MAX];
	size_t nseen;
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct MHD_Daemon *daemon_;
static char endpoint[64];

static void script(const struct answer *a, size_t n)
{
	pthread_mutex_lock(&srv.lock);
	if (n)
		memcpy(srv.script, a, n * sizeof *a);
	srv.n = n;
	srv.next = srv.nseen = 0;
	pthread_mutex_unlock(&srv.lock);
}

static void copy_hdr(struct MHD_Connection *c, const char *name, char *dst, size_t cap)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	snprintf(dst, cap, "%s", v ? v : "");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version, (void)upload;
	size_t *got = *con_cls;
	if (!got) {
		got = calloc(1, sizeof *got);
		*con_cls = got;
		return MHD_YES;
	}
	if (*upload_size) {
		*got += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&srv.lock);
	struct seen *s = &srv.seen[srv.nseen < SCRIPT_MAX ? srv.nseen++ : SCRIPT_MAX - 1];
	memset(s, 0, sizeof *s);
	snprintf(s->method, sizeof s->method, "%s", method);
	snprintf(s->url, sizeof s->url, "%s", url);
	copy_hdr(c, "Authorization", s->auth, sizeof s->auth);
	copy_hdr(c, "X-Amz-Date", s->amz_date, sizeof s->amz_date);
	copy_hdr(c, "x-amz-content-sha256", s->sha256, sizeof s->sha256);
	copy_hdr(c, "Host", s->host, sizeof s->host);
	copy_hdr(c, "Content-Type", s->ctype, sizeof s->ctype);
	s->body_len = *got;
	struct answer a = srv.n ? srv.script[srv.next < srv.n ? srv.next++ : srv.n - 1]
				: (struct answer){ 200, "{}" };
	pthread_mutex_unlock(&srv.lock);
	size_t len = a.body_len ? a.body_len : strlen(a.body);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)a.body, MHD_RESPMEM_MUST_COPY);
	if (a.h1)
		MHD_add_response_header(r, a.h1, a.v1);
	if (a.h2)
		MHD_add_response_header(r, a.h2, a.v2);
	if (a.date_ahead) {
		char d[64];
		time_t t = time(NULL) + 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(d, sizeof d, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		MHD_add_response_header(r, "Date", d);
	}
	enum MHD_Result ok = MHD_queue_response(c, a.status, r);
	MHD_destroy_response(r);
	return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static int setup(void **state)
{
	(void)state;
	daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
				   NULL, handler, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed,
				   NULL, MHD_OPTION_END);
	if (!daemon_)
		return -1;
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%u", (unsigned)i->port);
	return http_global_init();
}

static int teardown(void **state)
{
	(void)state;
	MHD_stop_daemon(daemon_);
	http_global_cleanup();
	return 0;
}

static double zero_jitter(void *ctx)
{
	(void)ctx;
	return 0.0;
}

static double one_jitter(void *ctx)
{
	(void)ctx;
	return 0.999;
}

static struct api_config cfg_demo(void)
{
	struct api_config cfg = { .have_credentials = true };
	snprintf(cfg.endpoint, sizeof cfg.endpoint, "%s", endpoint);
	snprintf(cfg.region, sizeof cfg.region, "us-east-1");
	snprintf(cfg.access_key_id, sizeof cfg.access_key_id, "AKIDTEST");
	snprintf(cfg.secret_access_key, sizeof cfg.secret_access_key, "SECRET-never-shown");
	snprintf(cfg.session_token, sizeof cfg.session_token, "TOKEN-never-shown");
	return cfg;
}

static struct http_client *client(const struct api_config *cfg, const char *service,
				  const atomic_int *stop)
{
	struct http_client_options o = {
		.cfg = cfg, .service = service, .stop = stop, .rand01 = zero_jitter
	};
	struct api_error e;
	struct http_client *c = http_client_open(&o, &e);
	assert_non_null(c);
	return c;
}

static const struct http_request GET_LEDGERS = { .op = "ListLedgers",
						 .method = "GET",
						 .path = "/ledgers" };

static void assert_one_line_without_secrets(const struct api_error *e)
{
	assert_null(strchr(e->msg, '\n'));
	assert_null(strchr(e->msg, '\r'));
	assert_null(strstr(e->msg, "SECRET"));
	assert_null(strstr(e->msg, "TOKEN"));
	for (const char *p = e->msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void test_throttling_is_retried_until_success(void **state)
{
	(void)state;
	const struct answer a[] = {
		{ 400, "{\"__type\":\"ThrottlingException\",\"message\":\"slow\"}" },
		{ 429, "{}" },
		{ 200, "{\"Ledgers\":[]}" },
	};
	script(a, 3);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), 0);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"Ledgers\":[]}");
	assert_int_equal(srv.nseen, 3);
	/* two throttling retries cost 5 each; success refunds the last one */
	assert_int_equal(retry_quota_tokens(http_client_quota(c)), 500 - 5);
	http_response_free(&r);
	http_client_free(c);
}

static void test_5xx_forever_fails_after_three_attempts(void **state)
{
	(void)state;
	const struct answer a[] = { { 503, "{\"message\":\"busy\"}", 0, "x-amzn-ErrorType",
				      "ServiceUnavailableException:http://x" } };
	script(a, 1);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 3);
	assert_null(r.body);
	assert_string_equal(e.code, "ServiceUnavailableException");
	assert_int_equal(e.http_status, 503);
	assert_string_equal(
		e.msg,
		"ListLedgers: ServiceUnavailableException: busy (HTTP 503) after 3 attempts");
	/* not idempotent: a 503 may have acted, so it is not repeated */
	struct http_request post = { .op = "ExportJournalToS3",
				     .method = "POST",
				     .path = "/ledgers/l/journal-s3-exports",
				     .body = "{}",
				     .body_len = 2,
				     .not_idempotent = true };
	script(a, 1);
	assert_int_equal(http_request_perform(c, &post, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 1);
	http_client_free(c);
}

static void test_limit_exceeded_and_4xx_are_not_retried(void **state)
{
	(void)state;
	const struct answer a[] = {
		{ 400, "{\"__type\":\"LimitExceededException\",\"Message\":\"2 exports\"}" },
		{ 200, "{}" },
	};
	script(a, 2);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(e.msg, "ListLedgers: LimitExceededException: 2 exports (HTTP 400)");
	/* a signature error with a Date close to ours is a real bug: once */
	const struct answer b[] = { { 403, "{\"__type\":\"InvalidSignatureException\"}" },
				    { 200, "{}" } };
	script(b, 2);
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 1);
	/* expired token with a provider that has no other keys: once too */
	const struct answer x[] = { { 403, "{\"__type\":\"ExpiredTokenException\"}" },
				    { 200, "{}" } };
	script(x, 2);
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(e.code, "ExpiredTokenException");
	http_client_free(c);
}

static void test_clock_skew_is_corrected_from_date_and_retried_once(void **state)
{
	(void)state;
	http_clock_offset_set(0);
	const struct answer a[] = {
		{ 403, "<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>",
		  0, "Content-Type", "application/xml", .date_ahead = true },
		{ 200, "{}" },
	};
	script(a, 2);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "s3", NULL);
	struct http_response r;
	struct api_error e;
	struct http_request req = { .op = "ListObjectsV2", .method = "GET", .path = "/b" };
	assert_int_equal(http_request_perform(c, &req, &r, &e), 0);
	assert_int_equal(r.attempts, 2);
	long off = http_clock_offset();
	assert_true(off > 3590 && off < 3610);
	/* the second request was signed an hour ahead */
	struct tm tm = { 0 };
	assert_non_null(strptime(srv.seen[1].amz_date, "%Y%m%dT%H%M%SZ", &tm));
	long ahead = (long)(timegm(&tm) - time(NULL));
	assert_true(ahead > 3590 && ahead < 3610);
	http_response_free(&r);
	/* skew that persists is not retried again */
	script(a, 1);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 2);
	assert_string_equal(e.code, "RequestTimeTooSkewed");
	http_clock_offset_set(0);
	http_client_free(c);
}

static void test_error_bodies_become_one_line(void **state)
{
	(void)state;
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "monitoring", NULL);
	struct http_request req = { .op = "GetMetricData", .method = "POST", .path = "/" };
	struct http_response r;
	struct api_error e;
	const struct answer q[] = {
		{ 400, "<ErrorResponse><Error><Type>Sender</Type><Code>"
		       "InvalidParameterValue</Code><Message>bad\nperiod</"
		       "Message></Error><RequestId>r</RequestId></ErrorResponse>" }
	};
	script(q, 1);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_string_equal(e.msg, "GetMetricData: InvalidParameterValue: bad period (HTTP 400)");
	/* JSON 1.0 with x-amzn-query-error: the query code wins (as the CLI) */
	const struct answer j[] = { { 400,
				      "{\"__type\":\"x#InvalidParameterValueException\","
				      "\"message\":\"m\"}",
				      0, "x-amzn-query-error", "InvalidParameterValue;Sender" } };
	script(j, 1);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_string_equal(e.code, "InvalidParameterValue");
	/* an HTML page from a proxy: status and a cleaned, capped excerpt */
	static char html[4096];
	snprintf(html, sizeof html,
		 "<html>\r\n<head><title>502 Bad\x1b[31m Gateway</title></head><body>%0*d</body>"
		 "SECRET-never-shown</html>",
		 3000, 7);
	const struct answer h[] = { { 502, html, 0, "Content-Type", "text/html" } };
	script(h, 1);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(e.http_status, 502);
	assert_string_equal(e.code, "");
	assert_non_null(strstr(e.msg, "GetMetricData: HTTP 502 with no AWS error code, text/html "
				      "body \"<html> <head><title>502 Bad?[31m Gateway"));
	assert_true(strlen(e.msg) < 200);
	assert_one_line_without_secrets(&e);
	/* garbage bytes and a billion-laughs DOCTYPE: never echoed raw, no code */
	const struct answer g[] = {
		{ 400, "\x01\x02\xff\xfe garbage\n\n\n", 0 },
		{ 400, "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]>"
		       "<Error><Code>&lol;</Code></Error>" },
	};
	script(g, 2);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_string_equal(e.msg,
			    "GetMetricData: HTTP 400 with no AWS error code, untyped body \"???? "
			    "garbage\"");
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_string_equal(e.code, "");
	assert_one_line_without_secrets(&e);
	http_client_free(c);
}

static void test_response_cap_is_a_limit_error(void **state)
{
	(void)state;
	static char big[5000];
	memset(big, 'x', sizeof big - 1);
	const struct answer a[] = { { 200, big } };
	script(a, 1);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_request req = GET_LEDGERS;
	req.max_response = 1000;
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_LIMIT);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(e.msg, "ListLedgers: response exceeds 1000 bytes");
	/* HEAD: a Content-Length beyond the cap describes the object, not a body */
	struct http_request head = req;
	head.method = "HEAD";
	head.op = "HeadObject";
	script(a, 1);
	assert_int_equal(http_request_perform(c, &head, &r, &e), 0);
	assert_int_equal(r.content_length, (long long)sizeof big - 1);
	assert_null(r.body);
	/* exactly at the cap is fine */
	req.max_response = sizeof big - 1;
	assert_int_equal(http_request_perform(c, &req, &r, &e), 0);
	assert_int_equal(r.len, sizeof big - 1);
	assert_int_equal(r.content_length, (long long)sizeof big - 1);
	http_response_free(&r);
	http_client_free(c);
}

struct counter {
	size_t bytes, calls, stop_after;
};

static int count(void *ctx, const char *data, size_t len)
{
	(void)data;
	struct counter *k = ctx;
	k->bytes += len;
	k->calls++;
	return k->stop_after && k->bytes >= k->stop_after ? API_ERR_PARSE : 0;
}

static void test_sink_streams_the_body_and_can_abort(void **state)
{
	(void)state;
	static char big[300000];
	memset(big, 'y', sizeof big - 1);
	const struct answer a[] = { { 200, big, 0, "ETag", "\"abc\"", "Content-Range",
				      "bytes 0-299998/299999" } };
	script(a, 1);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "s3", NULL);
	struct counter k = { 0 };
	struct http_request req = {
		.op = "GetObject", .method = "GET", .path = "/b/k", .sink = count, .sink_ctx = &k
	};
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &req, &r, &e), 0);
	assert_int_equal(k.bytes, sizeof big - 1);
	assert_int_equal(r.streamed, sizeof big - 1);
	assert_null(r.body);
	assert_string_equal(r.etag, "\"abc\"");
	assert_string_equal(r.content_range, "bytes 0-299998/299999");
	/* the receiver says stop: its status comes back, no retry */
	k = (struct counter){ .stop_after = 1000 };
	script(a, 1);
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_PARSE);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(e.msg, "GetObject: the receiver stopped the transfer"));
	/* an error answer is read as an error, not streamed */
	const struct answer n[] = { { 404, "<Error><Code>NoSuchKey</Code><Message>gone</Message>"
					   "</Error>" } };
	script(n, 1);
	k = (struct counter){ 0 };
	assert_int_equal(http_request_perform(c, &req, &r, &e), API_ERR_SERVICE);
	assert_int_equal(k.bytes, 0);
	assert_string_equal(e.msg, "GetObject: NoSuchKey: gone (HTTP 404)");
	http_client_free(c);
}

static void test_s3_requests_carry_the_content_hash_and_encoded_path(void **state)
{
	(void)state;
	const struct answer a[] = { { 200, "", 0, "x-amz-request-id", "RID1" } };
	script(a, 1);
	struct api_config cfg = cfg_demo();
	struct http_client *c = client(&cfg, "s3", NULL);
	struct http_request req = { .op = "PutObject",
				    .method = "PUT",
				    .path = "/b/a%20b/c%2Bd%3De",
				    .body = "hello",
				    .body_len = 5,
				    .content_type = "application/octet-stream" };
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &req, &r, &e), 0);
	assert_string_equal(r.request_id, "RID1");
	assert_string_equal(srv.seen[0].method, "PUT");
	assert_string_equal(srv.seen[0].sha256,
			    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	assert_int_equal(srv.seen[0].body_len, 5);
	assert_non_null(strstr(srv.seen[0].auth,
			       "/us-east-1/s3/aws4_request, SignedHeaders="
			       "content-type;host;x-amz-content-sha256;x-amz-date;"
			       "x-amz-security-token, Signature="));
	assert_non_null(strstr(srv.seen[0].auth, "Credential=AKIDTEST/"));
	http_response_free(&r);
	/* the next request on the same handle is a clean GET: no stale body */
	script(a, 1);
	struct http_request get = { .op = "GetObject", .method = "GET", .path = "/b/k" };
	assert_int_equal(http_request_perform(c, &get, &r, &e), 0);
	assert_string_equal(srv.seen[0].method, "GET");
	assert_int_equal(srv.seen[0].body_len, 0);
	assert_string_equal(srv.seen[0].sha256,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(srv.seen[0].ctype, "");
	http_response_free(&r);
	http_client_free(c);
	/* other services send no content hash header */
	c = client(&cfg, "qldb", NULL);
	script(a, 1);
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), 0);
	assert_string_equal(srv.seen[0].sha256, "");
	assert_string_equal(srv.seen[0].host, endpoint + 7);
	http_response_free(&r);
	http_client_free(c);
}

struct stopper {
	atomic_int *stop;
};

static void *stop_soon(void *ud)
{
	struct timespec d = { 0, 200000000L };
	nanosleep(&d, NULL);
	atomic_store(((struct stopper *)ud)->stop, 1);
	return NULL;
}

static void test_stop_ends_a_backoff_early(void **state)
{
	(void)state;
	const struct answer a[] = { { 400, "{\"__type\":\"ThrottlingException\"}" } };
	script(a, 1);
	struct api_config cfg = cfg_demo();
	atomic_int stop;
	atomic_init(&stop, 0);
	struct http_client_options o = {
		.cfg = &cfg, .service = "qldb", .stop = &stop, .rand01 = one_jitter
	};
	struct api_error e;
	struct http_client *c = http_client_open(&o, &e);
	assert_non_null(c);
	struct stopper st = { &stop };
	pthread_t t;
	pthread_create(&t, NULL, stop_soon, &st);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct http_response r;
	/* without stop: waits of ~1 s and ~2 s */
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_STOPPED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(took < 0.6);
	assert_string_equal(e.msg, "ListLedgers: stopped");
	http_client_free(c);
}

static void test_no_credentials_is_a_config_error_before_sending(void **state)
{
	(void)state;
	script(NULL, 0);
	struct api_config cfg = cfg_demo();
	cfg.have_credentials = false;
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_CONFIG);
	assert_int_equal(r.attempts, 0);
	assert_int_equal(srv.nseen, 0);
	assert_non_null(strstr(e.msg, "ListLedgers: no credentials"));
	/* a bad request is refused too */
	cfg.have_credentials = true;
	http_client_free(c);
	c = client(&cfg, "qldb", NULL);
	struct http_request bad = { .op = "X", .method = "GET", .path = "ledgers" };
	assert_int_equal(http_request_perform(c, &bad, &r, &e), API_ERR_CONFIG);
	http_client_free(c);
	/* an endpoint that is not http(s) cannot make a client */
	snprintf(cfg.endpoint, sizeof cfg.endpoint, "ftp://x");
	struct http_client_options o = { .cfg = &cfg, .service = "qldb" };
	assert_null(http_client_open(&o, &e));
	assert_int_equal(e.status, API_ERR_CONFIG);
}

static void test_refused_connection_is_a_quick_transport_error(void **state)
{
	(void)state;
	struct api_config cfg = cfg_demo();
	snprintf(cfg.endpoint, sizeof cfg.endpoint, "http://127.0.0.1:1");
	struct http_client *c = client(&cfg, "qldb", NULL);
	struct http_response r;
	struct api_error e;
	assert_int_equal(http_request_perform(c, &GET_LEDGERS, &r, &e), API_ERR_TRANSPORT);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(e.msg, "ListLedgers: transport: "));
	assert_non_null(strstr(e.msg, "after 3 attempts"));
	/* the quota paid 14 per retry (2.1: not a timeout, not throttling) */
	assert_int_equal(retry_quota_tokens(http_client_quota(c)), 500 - 28);
	http_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttling_is_retried_until_success),
		cmocka_unit_test(test_5xx_forever_fails_after_three_attempts),
		cmocka_unit_test(test_limit_exceeded_and_4xx_are_not_retried),
		cmocka_unit_test(test_clock_skew_is_corrected_from_date_and_retried_once),
		cmocka_unit_test(test_error_bodies_become_one_line),
		cmocka_unit_test(test_response_cap_is_a_limit_error),
		cmocka_unit_test(test_sink_streams_the_body_and_can_abort),
		cmocka_unit_test(test_s3_requests_carry_the_content_hash_and_encoded_path),
		cmocka_unit_test(test_stop_ends_a_backoff_early),
		cmocka_unit_test(test_no_credentials_is_a_config_error_before_sending),
		cmocka_unit_test(test_refused_connection_is_a_quick_transport_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
