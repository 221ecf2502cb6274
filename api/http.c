/*
 * http.c - the libcurl transport: one attempt signs with api/sigv4.c and
 * sends with every option set afresh; http_request_perform wraps attempts
 * in the standard retry mode of api/retry.c (see http.h for the contract
 * and docs/aws-api.md §9 for why each curl option is set as it is).
 */
#include "api/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define HTTP_SLEEP_SLICE_NS 20000000L /* 20 ms: how fast a backoff sees stop */
#define HTTP_EXCERPT_MAX 60	      /* bytes of an unreadable error body in a message */

static atomic_long clock_offset; /* seconds; process-wide (retry.h) */

long http_clock_offset(void)
{
	return atomic_load(&clock_offset);
}

void http_clock_offset_set(long seconds)
{
	atomic_store(&clock_offset, seconds);
}

struct http_client {
	CURL *h;
	const struct api_config *cfg;
	const atomic_int *stop;
	char service[64];
	char origin[API_URL_MAX];    /* scheme://host[:port] */
	char base_path[API_URL_MAX]; /* a path the endpoint carries, "" usually */
	char host[API_URL_MAX];	     /* the Host header: host[:port] */
	struct api_creds_provider *creds;
	bool own_creds;
	const struct retry_policy *retry;
	struct retry_quota own_quota, *quota;
	int max_attempts;
	double (*rand01)(void *);
	void *rand_ctx;
	uint64_t prng;
	char errbuf[CURL_ERROR_SIZE];
};

/* What one attempt collects; lives on the stack of attempt_once. */
struct http_sink {
	const struct http_request *req;
	struct http_response *resp;
	long status; /* from the status line */
	char *buf;
	size_t len, cap;
	unsigned long long max; /* 2xx cap */
	bool too_big;		/* a 2xx beyond max */
	bool error_cut;		/* an error body beyond HTTP_ERROR_BODY_MAX: kept the start */
	int sink_rc;		/* the caller's sink aborted */
};

int http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* xorshift64*: the default jitter draw (not for secrets). */
static double prng_next(void *ud)
{
	uint64_t *s = ud;
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

/* Split "scheme://host[:port][/base]" into origin, host and base path. */
static int endpoint_split(struct http_client *c, const char *ep, struct api_error *err)
{
	const char *s = strstr(ep, "://");
	if (!s || (strncmp(ep, "http://", 7) != 0 && strncmp(ep, "https://", 8) != 0))
		return api_error_set(err, API_ERR_CONFIG,
				     "http client: endpoint must start with http:// or https://");
	const char *h = s + 3;
	const char *slash = strchr(h, '/');
	size_t hl = slash ? (size_t)(slash - h) : strlen(h);
	if (hl == 0 || hl >= sizeof c->host || strlen(ep) >= sizeof c->origin)
		return api_error_set(err, API_ERR_CONFIG, "http client: bad endpoint host");
	for (size_t i = 0; i < hl; i++)
		if ((unsigned char)h[i] <= 0x20 || h[i] == '@' || h[i] == 0x7f)
			return api_error_set(err, API_ERR_CONFIG,
					     "http client: endpoint host holds a space, "
					     "control character or credentials");
	memcpy(c->host, h, hl);
	c->host[hl] = '\0';
	/* curl leaves the default port out of Host; the signature must match */
	size_t n = strlen(c->host);
	if (strncmp(ep, "http://", 7) == 0 && n > 3 && strcmp(c->host + n - 3, ":80") == 0)
		c->host[n - 3] = '\0';
	if (strncmp(ep, "https://", 8) == 0 && n > 4 && strcmp(c->host + n - 4, ":443") == 0)
		c->host[n - 4] = '\0';
	snprintf(c->origin, sizeof c->origin, "%.*s", (int)(h + hl - ep), ep);
	snprintf(c->base_path, sizeof c->base_path, "%s", slash ? slash : "");
	size_t bl = strlen(c->base_path);
	while (bl && c->base_path[bl - 1] == '/')
		c->base_path[--bl] = '\0';
	return 0;
}

struct http_client *http_client_open(const struct http_client_options *o, struct api_error *err)
{
	api_error_clear(err);
	if (!o || !o->cfg || !o->service || !*o->service || strlen(o->service) >= 64) {
		api_error_set(err, API_ERR_CONFIG,
			      "http client: a config and a service are needed");
		return NULL;
	}
	struct http_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "http client: out of memory");
		return NULL;
	}
	c->cfg = o->cfg;
	c->stop = o->stop;
	snprintf(c->service, sizeof c->service, "%s", o->service);
	/* the service's own endpoint (AWS_ENDPOINT_URL_KINESIS, ...) unless
	 * the caller names one */
	char ep[API_URL_MAX];
	if (!o->endpoint && api_config_service(o->service) >= 0 &&
	    o->cfg->endpoints[api_config_service(o->service)][0])
		snprintf(ep, sizeof ep, "%s", o->cfg->endpoints[api_config_service(o->service)]);
	else
		snprintf(ep, sizeof ep, "%s", o->endpoint ? o->endpoint : o->cfg->endpoint);
	if (endpoint_split(c, ep, err)) {
		free(c);
		return NULL;
	}
	c->retry = o->retry ? o->retry : &RETRY_STANDARD;
	retry_quota_init(&c->own_quota, c->retry);
	c->quota = o->quota ? o->quota : &c->own_quota;
	c->max_attempts = o->max_attempts;
	c->rand01 = o->rand01;
	c->rand_ctx = o->rand_ctx;
	if (!c->rand01) {
		if (getrandom(&c->prng, sizeof c->prng, GRND_NONBLOCK) != sizeof c->prng)
			c->prng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)c;
		c->prng |= 1;
		c->rand01 = prng_next;
		c->rand_ctx = &c->prng;
	}
	c->creds = o->creds;
	if (!c->creds) {
		c->creds = api_creds_provider_new(o->cfg, NULL, err);
		if (!c->creds) {
			free(c);
			return NULL;
		}
		c->own_creds = true;
	}
	c->h = curl_easy_init();
	if (!c->h) {
		if (c->own_creds)
			api_creds_provider_free(c->creds);
		free(c);
		api_error_set(err, API_ERR_NOMEM, "http client: curl_easy_init failed");
		return NULL;
	}
	return c;
}

struct http_client *http_client_new(const struct api_config *cfg, const char *service,
				    const atomic_int *stop, struct api_error *err)
{
	struct http_client_options o = { .cfg = cfg, .service = service, .stop = stop };
	return http_client_open(&o, err);
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	if (c->own_creds)
		api_creds_provider_free(c->creds);
	free(c);
}

struct http_client *http_client_beside(struct http_client *c, const char *service,
				       struct api_error *err)
{
	struct http_client_options o = { .cfg = c->cfg,
					 .service = service,
					 .creds = c->creds,
					 .stop = c->stop,
					 .retry = c->retry,
					 .quota = c->quota };
	return http_client_open(&o, err);
}

struct retry_quota *http_client_quota(struct http_client *c)
{
	return c->quota;
}

void http_response_free(struct http_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}

/* Append to the buffer (which always keeps a NUL after the data). */
static bool buf_add(struct http_sink *s, const char *data, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *p = realloc(s->buf, cap);
		if (!p)
			return false;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return true;
}

static bool status_ok(long st)
{
	return st >= 200 && st < 300;
}

/* Body bytes: to the caller's sink (2xx with a sink), else buffered under
 * the cap; returning short aborts the transfer (CURLE_WRITE_ERROR). */
static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_sink *s = ud;
	size_t n = size * nmemb;
	if (status_ok(s->status)) {
		if (n > s->max - (s->req->sink ? s->resp->streamed : s->len)) {
			s->too_big = true;
			return 0;
		}
		if (s->req->sink) {
			int rc = s->req->sink(s->req->sink_ctx, data, n);
			if (rc) {
				s->sink_rc = rc;
				return 0;
			}
			s->resp->streamed += n;
			return n;
		}
		return buf_add(s, data, n) ? n : 0;
	}
	/* an error body: its start is enough to read the error */
	size_t room = HTTP_ERROR_BODY_MAX - s->len;
	if (n > room) {
		if (room)
			buf_add(s, data, room);
		s->error_cut = true;
		return 0;
	}
	return buf_add(s, data, n) ? n : 0;
}

/* Copy a header's value (trimmed, control characters dropped) if its
 * name matches. */
static bool header_take(const char *line, size_t n, const char *name, char *dst, size_t cap)
{
	size_t nl = strlen(name);
	if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	size_t v = nl + 1, e = n;
	while (v < e && (line[v] == ' ' || line[v] == '\t'))
		v++;
	while (e > v && (line[e - 1] == '\r' || line[e - 1] == '\n' || line[e - 1] == ' ' ||
			 line[e - 1] == '\t'))
		e--;
	size_t k = 0;
	for (size_t i = v; i < e && k + 1 < cap; i++)
		if ((unsigned char)line[i] >= 0x20 && line[i] != 0x7f)
			dst[k++] = line[i];
	dst[k] = '\0';
	return true;
}

/* Status line and the headers we keep; a 2xx Content-Length beyond the
 * cap stops before the body. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_sink *s = ud;
	struct http_response *r = s->resp;
	size_t n = size * nmemb;
	if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the last one's headers */
		const char *sp = memchr(data, ' ', n);
		s->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		r->error_type[0] = r->request_id[0] = r->content_type[0] = r->date[0] = '\0';
		r->etag[0] = r->content_range[0] = r->last_modified[0] = r->query_error[0] = '\0';
		r->content_length = r->retry_after_ms = -1;
		return n;
	}
	char cl[32];
	if (header_take(data, n, "x-amzn-ErrorType", r->error_type, sizeof r->error_type) ||
	    header_take(data, n, "x-amzn-RequestId", r->request_id, sizeof r->request_id) ||
	    header_take(data, n, "x-amz-request-id", r->request_id, sizeof r->request_id) ||
	    header_take(data, n, "Content-Type", r->content_type, sizeof r->content_type) ||
	    header_take(data, n, "Date", r->date, sizeof r->date) ||
	    header_take(data, n, "ETag", r->etag, sizeof r->etag) ||
	    header_take(data, n, "Content-Range", r->content_range, sizeof r->content_range) ||
	    header_take(data, n, "Last-Modified", r->last_modified, sizeof r->last_modified) ||
	    header_take(data, n, "x-amzn-query-error", r->query_error, sizeof r->query_error))
		return n;
	if (header_take(data, n, "x-amz-retry-after", cl, sizeof cl)) {
		char *end;
		long long v = strtoll(cl, &end, 10);
		r->retry_after_ms = end != cl && *end == '\0' && v >= 0 ? v : -1;
		return n;
	}
	if (header_take(data, n, "Content-Length", cl, sizeof cl)) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(cl, &end, 10);
		if (errno == 0 && end != cl && *end == '\0') {
			r->content_length = v > (unsigned long long)INT64_MAX ? -1 : (long long)v;
			/* HEAD: the length is the object's, no body follows */
			if (status_ok(s->status) && v > s->max &&
			    strcmp(s->req->method, "HEAD") != 0) {
				s->too_big = true;
				return 0;
			}
		}
	}
	return n;
}

/* Abort a transfer in flight when the owner asks the worker to stop. */
static int on_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
	(void)dlt, (void)dln, (void)ult, (void)uln;
	const atomic_int *stop = ud;
	return stop && atomic_load(stop) ? 1 : 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode %XX in place. */
static void pct_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		int hi, lo;
		if (*s == '%' && (hi = hex_digit((unsigned char)s[1])) >= 0 &&
		    (lo = hex_digit((unsigned char)s[2])) >= 0) {
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* A legacy encoded query string into decoded pairs (in buf). */
static int query_split(const char *query, char *buf, size_t cap, struct sigv4_pair *pairs,
		       size_t *n, const char *op, struct api_error *err)
{
	*n = 0;
	if (!query || !*query)
		return 0;
	if (strlen(query) >= cap)
		return api_error_set(err, API_ERR_LIMIT, "%s: query exceeds %zu bytes", op, cap);
	snprintf(buf, cap, "%s", query);
	char *save = NULL;
	for (char *t = strtok_r(buf, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
		if (*n >= SIGV4_QUERY_MAX)
			return api_error_set(err, API_ERR_LIMIT,
					     "%s: more than %d query parameters", op,
					     SIGV4_QUERY_MAX);
		char *eq = strchr(t, '=');
		if (eq)
			*eq++ = '\0';
		pct_decode(t);
		if (eq)
			pct_decode(eq);
		pairs[(*n)++] = (struct sigv4_pair){ t, eq };
	}
	return 0;
}

static bool method_has_body(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "DELETE") != 0 && strcmp(m, "HEAD") != 0;
}

/* Add "Name: value" to the list; false when out of memory. */
static bool slist_add(struct curl_slist **l, const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *line = malloc(n);
	if (!line)
		return false;
	snprintf(line, n, "%s: %s", name, value);
	struct curl_slist *x = curl_slist_append(*l, line);
	explicit_bzero(line, n);
	free(line);
	if (!x)
		return false;
	*l = x;
	return true;
}

/* Free a header list that may hold the session token, wiping it first. */
static void slist_free(struct curl_slist *headers)
{
	for (struct curl_slist *l = headers; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(headers);
}

/* Map a curl failure to what the retry rules need. */
static enum retry_net net_kind(CURLcode rc, CURL *h)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return RETRY_NET_CONNECT;
	case CURLE_OPERATION_TIMEDOUT: {
		double ct = 0;
		curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &ct);
		return ct > 0 ? RETRY_NET_TIMEOUT : RETRY_NET_CONNECT;
	}
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return RETRY_NET_IO;
	default:
		return RETRY_NET_FATAL;
	}
}

/* The error line for a non-2xx answer. */
static int error_from_response(const struct http_request *req, struct http_sink *s,
			       struct api_error *err)
{
	struct http_response *r = s->resp;
	struct api_error_response er = {
		.http_status = s->status,
		.error_type = r->error_type[0] ? r->error_type : NULL,
		.query_error = r->query_error[0] ? r->query_error : NULL,
		.content_type = r->content_type,
		.body = s->buf,
		.body_len = s->len,
	};
	char code[API_ERROR_CODE_MAX], msg[API_ERROR_MSG_MAX];
	api_error_parse_response(&er, code, sizeof code, msg, sizeof msg);
	err->http_status = s->status;
	snprintf(err->code, sizeof err->code, "%s", code);
	if (code[0] && msg[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: %s: %s (HTTP %ld)", req->op, code,
				     msg, s->status);
	if (code[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: %s (HTTP %ld)", req->op, code,
				     s->status);
	char ex[HTTP_EXCERPT_MAX + 1];
	api_error_excerpt(s->buf, s->len, HTTP_EXCERPT_MAX, ex, sizeof ex);
	char ct[48];
	api_error_excerpt(r->content_type, strlen(r->content_type), 40, ct, sizeof ct);
	if (!ex[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: HTTP %ld with no AWS error code",
				     req->op, s->status);
	return api_error_set(err, API_ERR_SERVICE,
			     "%s: HTTP %ld with no AWS error code, %s body \"%s\"", req->op,
			     s->status, ct[0] ? ct : "untyped", ex);
}

/* Build, sign and send one attempt. 0 for a 2xx; else an api_status with
 * err filled and *net saying what happened. */
static int attempt_once(struct http_client *c, const struct http_request *req,
			const struct api_creds *keys, struct http_response *resp,
			enum retry_net *net, struct api_error *err)
{
	*net = RETRY_NET_FATAL;
	bool s3 = strcmp(c->service, "s3") == 0;
	bool body = method_has_body(req->method);

	/* the path and query as sent, and the pairs the signer needs */
	char path[HTTP_URL_MAX];
	int pn = snprintf(path, sizeof path, "%s%s", c->base_path, req->path);
	if (pn < 0 || (size_t)pn >= sizeof path)
		return api_error_set(err, API_ERR_LIMIT, "%s: path exceeds %d bytes", req->op,
				     HTTP_URL_MAX);
	char qwire[HTTP_URL_MAX], qbuf[HTTP_URL_MAX];
	struct sigv4_pair qpairs[SIGV4_QUERY_MAX];
	const struct sigv4_pair *params = req->params;
	size_t np = req->n_params;
	qwire[0] = '\0';
	if (req->params) {
		if (sigv4_query_build(req->params, req->n_params, qwire, sizeof qwire) < 0)
			return api_error_set(err, API_ERR_LIMIT,
					     "%s: query exceeds %d bytes or %d parameters", req->op,
					     HTTP_URL_MAX, SIGV4_QUERY_MAX);
	} else if (req->query && *req->query) {
		if (query_split(req->query, qbuf, sizeof qbuf, qpairs, &np, req->op, err))
			return err->status;
		params = qpairs;
		snprintf(qwire, sizeof qwire, "%s", req->query);
	}
	char url[HTTP_URL_MAX];
	int un = snprintf(url, sizeof url, "%s%s%s%s", c->origin, path, qwire[0] ? "?" : "", qwire);
	if (un < 0 || (size_t)un >= sizeof url)
		return api_error_set(err, API_ERR_LIMIT, "%s: request URL exceeds %d bytes",
				     req->op, HTTP_URL_MAX);

	/* the signed headers: Host, Content-Type, the caller's */
	if (req->n_headers > HTTP_HEADERS_MAX)
		return api_error_set(err, API_ERR_LIMIT, "%s: more than %d extra headers", req->op,
				     HTTP_HEADERS_MAX);
	struct sigv4_pair hs[HTTP_HEADERS_MAX + 2];
	size_t nh = 0;
	hs[nh++] = (struct sigv4_pair){ "Host", c->host };
	const char *ctype = req->content_type ? req->content_type : "application/json";
	if (body)
		hs[nh++] = (struct sigv4_pair){ "Content-Type", ctype };
	for (size_t i = 0; i < req->n_headers; i++)
		hs[nh++] = req->headers[i];
	struct sigv4_request sr = {
		.method = req->method,
		.path = path,
		.query = params,
		.n_query = np,
		.headers = hs,
		.n_headers = nh,
		.body = req->body,
		.body_len = req->body ? req->body_len : 0,
		.payload_hash = req->payload_hash,
		.region = c->cfg->region,
		.service = c->service,
		.when = time(NULL) + http_clock_offset(),
		.access_key_id = keys->access_key_id,
		.secret_access_key = keys->secret_access_key,
		.session_token = keys->session_token,
		.flags = (s3 ? SIGV4_S3 : 0u) |
			 (s3 && req->unsigned_payload ? SIGV4_UNSIGNED_PAYLOAD_FLAG : 0u),
	};
	struct sigv4_out so;
	struct api_error serr;
	if (sigv4_sign(&sr, &so, NULL, &serr))
		return api_error_set(err, serr.status, "%s: %s", req->op, serr.msg);

	struct curl_slist *hl = NULL;
	bool ok = true;
	for (size_t i = 0; i < nh; i++)
		ok = ok && slist_add(&hl, hs[i].name, hs[i].value);
	ok = ok && slist_add(&hl, "X-Amz-Date", so.amz_date);
	if (so.token)
		ok = ok && slist_add(&hl, "X-Amz-Security-Token", so.token);
	if (so.content_sha256[0])
		ok = ok && slist_add(&hl, "x-amz-content-sha256", so.content_sha256);
	ok = ok && slist_add(&hl, "Authorization", so.authorization);
	/* no "Expect: 100-continue" round trip; curl's removal entry is unsent */
	struct curl_slist *x = ok ? curl_slist_append(hl, "Expect:") : NULL;
	explicit_bzero(&so, sizeof so);
	if (!x) {
		slist_free(hl);
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", req->op);
	}
	hl = x;

	struct http_sink sink = { .req = req, .resp = resp };
	sink.max = req->max_response ? req->max_response
		   : req->sink	     ? HTTP_DEFAULT_MAX_STREAM
				     : HTTP_DEFAULT_MAX_RESPONSE;
	resp->content_length = resp->retry_after_ms = -1;
	CURL *h = c->h;
	curl_easy_reset(h); /* fresh state: no stale body, method or headers */
	c->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads + timeouts */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);  /* verbose output prints the token */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			 req->timeout_ms > 0 ? req->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, HTTP_STALL_SECONDS);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "qldbtop/" QLDBTOP_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->stop);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? req->body_len : 0));
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		if (strcmp(req->method, "GET") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	}

	CURLcode rc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	slist_free(hl);
	long status = sink.status;
	if (rc == CURLE_OK && !status)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	resp->status = status;

	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && sink.error_cut)) {
		free(sink.buf);
		if (sink.too_big)
			return api_error_set(err, API_ERR_LIMIT, "%s: response exceeds %llu bytes",
					     req->op, sink.max);
		if (sink.sink_rc) {
			int st = sink.sink_rc < 0 && sink.sink_rc >= API_ERR_STOPPED
					 ? sink.sink_rc
					 : API_ERR_STOPPED;
			return api_error_set(err, st,
					     "%s: the receiver stopped the transfer after "
					     "%llu bytes",
					     req->op, resp->streamed);
		}
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return api_error_set(err, API_ERR_STOPPED, "%s: stopped", req->op);
		if (rc == CURLE_WRITE_ERROR)
			return api_error_set(err, API_ERR_NOMEM,
					     "%s: out of memory for the response", req->op);
		*net = net_kind(rc, h);
		return api_error_set(err, API_ERR_TRANSPORT, "%s: transport: %s", req->op,
				     c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	}
	*net = RETRY_NET_OK;
	if (status_ok(status)) {
		resp->body = sink.buf;
		resp->len = sink.len;
		if (!req->sink && !resp->body && strcmp(req->method, "HEAD") != 0) {
			/* an empty body: still a NUL-terminated buffer */
			resp->body = calloc(1, 1);
			if (!resp->body)
				return api_error_set(err, API_ERR_NOMEM, "%s: out of memory",
						     req->op);
		}
		return 0;
	}
	int st = error_from_response(req, &sink, err);
	free(sink.buf);
	return st;
}

/* Sleep seconds, waking early when stop is set; false when stopped. */
static bool backoff_sleep(const atomic_int *stop, double seconds)
{
	struct timespec now, end;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ns = (long long)(seconds * 1e9);
	end.tv_sec = now.tv_sec + (time_t)(ns / 1000000000LL);
	end.tv_nsec = now.tv_nsec + (long)(ns % 1000000000LL);
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		if (stop && atomic_load(stop))
			return false;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left = (long long)(end.tv_sec - now.tv_sec) * 1000000000LL +
				 (end.tv_nsec - now.tv_nsec);
		if (left <= 0)
			return true;
		struct timespec d = { 0, left < HTTP_SLEEP_SLICE_NS ? (long)left
								    : HTTP_SLEEP_SLICE_NS };
		nanosleep(&d, NULL);
	}
}

/* Append " after N attempts" (and why the retries ended) to err's line. */
static void note_attempts(struct api_error *err, int attempts, enum retry_stop why)
{
	if (attempts <= 1 && why != RETRY_STOP_QUOTA)
		return;
	size_t n = strlen(err->msg);
	const char *tail = why == RETRY_STOP_QUOTA	      ? " (retry quota empty)"
			   : why == RETRY_STOP_NOT_IDEMPOTENT ? " (not repeated: it may have acted)"
							      : "";
	snprintf(err->msg + n, sizeof err->msg - n, " after %d attempt%s%s", attempts,
		 attempts == 1 ? "" : "s", tail);
}

static bool request_valid(const struct http_request *req)
{
	return req && req->op && req->method && req->path && req->path[0] == '/';
}

int http_request_perform(struct http_client *c, const struct http_request *req,
			 struct http_response *resp, struct api_error *err)
{
	memset(resp, 0, sizeof *resp);
	resp->content_length = resp->retry_after_ms = -1;
	api_error_clear(err);
	if (!request_valid(req))
		return api_error_set(err, API_ERR_CONFIG,
				     "http: a request needs op, method and a path starting '/'");
	struct retry_state rs;
	retry_state_init(&rs, c->retry, c->quota,
			 req->max_attempts ? req->max_attempts : c->max_attempts,
			 !req->not_idempotent);
	for (;;) {
		if (c->stop && atomic_load(c->stop))
			return api_error_set(err, API_ERR_STOPPED, "%s: stopped", req->op);
		struct api_creds keys;
		struct api_error cerr;
		api_error_clear(&cerr);
		/* after a refresh below, the provider hands out the new keys */
		if (api_creds_get(c->creds, false, &keys, &cerr)) {
			api_creds_wipe(&keys);
			return api_error_set(err, cerr.status ? cerr.status : API_ERR_CONFIG,
					     "%s: %s", req->op, cerr.msg);
		}
		retry_state_attempt(&rs);
		resp->attempts = rs.attempts;
		enum retry_net net;
		api_error_clear(err);
		int rc = attempt_once(c, req, &keys, resp, &net, err);
		if (rc == 0) {
			api_creds_wipe(&keys);
			retry_state_success(&rs);
			return 0;
		}
		enum retry_kind kind = retry_classify(net, resp->status, err->code);
		if (kind == RETRY_KIND_SKEW) {
			long off;
			if (retry_skew_offset(resp->date, time(NULL), &off))
				http_clock_offset_set(off);
			else
				kind = RETRY_KIND_NONE; /* a real signature problem */
		} else if (kind == RETRY_KIND_CREDS) {
			/* only worth it when the refresh yields other keys */
			struct api_creds fresh;
			if (api_creds_get(c->creds, true, &fresh, &cerr) != 0 ||
			    (strcmp(fresh.access_key_id, keys.access_key_id) == 0 &&
			     strcmp(fresh.session_token, keys.session_token) == 0 &&
			     strcmp(fresh.secret_access_key, keys.secret_access_key) == 0))
				kind = RETRY_KIND_NONE;
			api_creds_wipe(&fresh);
		}
		api_creds_wipe(&keys);
		if (resp->streamed)
			kind = RETRY_KIND_NONE; /* bytes already went to the sink */
		double delay = 0;
		double after =
			resp->retry_after_ms >= 0 ? (double)resp->retry_after_ms / 1000.0 : -1;
		enum retry_stop why =
			retry_decide(&rs, kind, net, c->rand01(c->rand_ctx), after, &delay);
		if (why != RETRY_GO) {
			note_attempts(err, rs.attempts, why);
			return rc;
		}
		if (delay > 0) {
			if (!backoff_sleep(c->stop, delay))
				return api_error_set(err, API_ERR_STOPPED, "%s: stopped", req->op);
			resp->slept_s += delay;
		}
	}
}
