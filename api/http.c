/*
 * http.c - libcurl transport with SigV4 signing (see http.h for the rules
 * and docs/aws-api.md §9 for why each option is set the way it is).
 */
#include "api/http.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTTP_URL_MAX 2048 /* endpoint + path + query */
#define HTTP_USERPWD_MAX (API_AKID_MAX + API_SECRET_MAX + 2)
#define HTTP_HEADER_MAX (API_TOKEN_MAX + 32)

struct http_client {
	CURL *h;
	const struct api_config *cfg;
	const atomic_int *stop;
	char sigv4[16 + API_REGION_MAX + 32]; /* "aws:amz:REGION:SERVICE" */
	char errbuf[CURL_ERROR_SIZE];
};

/* Collects one response; lives on the stack of http_request_perform. */
struct http_sink {
	char *buf;
	size_t len, cap, max;
	bool too_big;
	char error_type[HTTP_ERROR_TYPE_MAX];
};

int http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

struct http_client *http_client_new(const struct api_config *cfg, const char *service,
				    const atomic_int *stop, struct api_error *err)
{
	struct http_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "http client: out of memory");
		return NULL;
	}
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		api_error_set(err, API_ERR_NOMEM, "http client: curl_easy_init failed");
		return NULL;
	}
	c->cfg = cfg;
	c->stop = stop;
	snprintf(c->sigv4, sizeof c->sigv4, "aws:amz:%s:%s", cfg->region, service);
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

void http_response_free(struct http_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}

/* Append a chunk, refusing anything past the size cap. */
static size_t sink_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_sink *s = ud;
	size_t n = size * nmemb;
	if (n > s->max - s->len) {
		s->too_big = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *p = realloc(s->buf, cap);
		if (!p)
			return 0;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* Keep x-amzn-ErrorType; refuse early when Content-Length exceeds the cap. */
static size_t sink_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_sink *s = ud;
	size_t n = size * nmemb;
	static const char ET[] = "x-amzn-errortype:";
	static const char CL[] = "content-length:";
	if (n > sizeof ET - 1 && strncasecmp(data, ET, sizeof ET - 1) == 0) {
		size_t v = sizeof ET - 1, e = n;
		while (v < e && (data[v] == ' ' || data[v] == '\t'))
			v++;
		while (e > v && (data[e - 1] == '\r' || data[e - 1] == '\n' || data[e - 1] == ' '))
			e--;
		size_t len = e - v < sizeof s->error_type - 1 ? e - v : sizeof s->error_type - 1;
		memcpy(s->error_type, data + v, len);
		s->error_type[len] = '\0';
	} else if (n > sizeof CL - 1 && strncasecmp(data, CL, sizeof CL - 1) == 0) {
		char tmp[32];
		size_t len =
			n - (sizeof CL - 1) < sizeof tmp - 1 ? n - (sizeof CL - 1) : sizeof tmp - 1;
		memcpy(tmp, data + sizeof CL - 1, len);
		tmp[len] = '\0';
		if (strtoull(tmp, NULL, 10) > s->max) {
			s->too_big = true;
			return 0;
		}
	}
	return n;
}

/* Abort a transfer in flight when the owner asks the worker to stop. */
static int sink_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
	(void)dlt, (void)dln, (void)ult, (void)uln;
	const atomic_int *stop = ud;
	return stop && atomic_load(stop) ? 1 : 0;
}

/* Set every option for one request on a freshly reset handle. */
static int request_setup(struct http_client *c, const struct http_request *req,
			 struct http_sink *sink, struct curl_slist **headers, struct api_error *err)
{
	const struct api_config *cfg = c->cfg;
	CURL *h = c->h;
	char url[HTTP_URL_MAX];
	int n = snprintf(url, sizeof url, "%s%s%s%s", cfg->endpoint, req->path,
			 req->query ? "?" : "", req->query ? req->query : "");
	if (n < 0 || (size_t)n >= sizeof url)
		return api_error_set(err, API_ERR_LIMIT, "%s: request URL exceeds %d bytes",
				     req->op, HTTP_URL_MAX);

	curl_easy_reset(h); /* fresh state: no stale POSTFIELDS, method or headers */
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
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, sink_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, sink);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, sink_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->stop);

	if (cfg->have_credentials) {
		char userpwd[HTTP_USERPWD_MAX];
		snprintf(userpwd, sizeof userpwd, "%s:%s", cfg->access_key_id,
			 cfg->secret_access_key);
		curl_easy_setopt(h, CURLOPT_AWS_SIGV4, c->sigv4);
		curl_easy_setopt(h, CURLOPT_USERPWD, userpwd); /* curl keeps a copy */
		explicit_bzero(userpwd, sizeof userpwd);
		if (cfg->session_token[0]) {
			char hdr[HTTP_HEADER_MAX];
			snprintf(hdr, sizeof hdr, "X-Amz-Security-Token: %s", cfg->session_token);
			*headers = curl_slist_append(*headers, hdr);
			explicit_bzero(hdr, sizeof hdr);
		}
	}

	bool has_body = strcmp(req->method, "GET") != 0 && strcmp(req->method, "DELETE") != 0;
	if (has_body) {
		/* Without an explicit type curl sends an unsigned
		 * application/x-www-form-urlencoded. */
		char hdr[128];
		snprintf(hdr, sizeof hdr, "Content-Type: %s",
			 req->content_type ? req->content_type : "application/json");
		*headers = curl_slist_append(*headers, hdr);
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
	if (*headers)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
	return 0;
}

/* Free a header list that may hold the session token, wiping it first. */
static void headers_free(struct curl_slist *headers)
{
	for (struct curl_slist *l = headers; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(headers);
}

int http_request_perform(struct http_client *c, const struct http_request *req,
			 struct http_response *resp, struct api_error *err)
{
	memset(resp, 0, sizeof *resp);
	api_error_clear(err);
	if (!c->cfg->have_credentials)
		return api_error_set(err, API_ERR_CONFIG,
				     "%s: no credentials (set AWS_ACCESS_KEY_ID and "
				     "AWS_SECRET_ACCESS_KEY)",
				     req->op);
	struct http_sink sink = { .max = req->max_response ? req->max_response
							   : HTTP_DEFAULT_MAX_RESPONSE };
	struct curl_slist *headers = NULL;
	if (request_setup(c, req, &sink, &headers, err)) {
		headers_free(headers);
		return err->status;
	}
	CURLcode rc = curl_easy_perform(c->h);
	/* Drop the copy of the credentials curl keeps on the handle. */
	curl_easy_setopt(c->h, CURLOPT_USERPWD, NULL);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	headers_free(headers);

	if (rc != CURLE_OK) {
		free(sink.buf);
		if (sink.too_big)
			return api_error_set(err, API_ERR_LIMIT, "%s: response exceeds %zu bytes",
					     req->op, sink.max);
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			return api_error_set(err, API_ERR_STOPPED, "%s: stopped", req->op);
		return api_error_set(err, API_ERR_TRANSPORT, "%s: %s", req->op,
				     c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	}
	long status = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	resp->status = status;
	resp->body = sink.buf;
	resp->len = sink.len;
	memcpy(resp->error_type, sink.error_type, sizeof resp->error_type);
	if (status >= 200 && status < 300)
		return 0;

	err->http_status = status;
	char msg[API_ERROR_MSG_MAX];
	api_error_parse_aws(sink.error_type[0] ? sink.error_type : NULL, resp->body, resp->len,
			    err->code, sizeof err->code, msg, sizeof msg);
	http_response_free(resp);
	if (err->code[0] && msg[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: %s: %s (HTTP %ld)", req->op,
				     err->code, msg, status);
	if (err->code[0])
		return api_error_set(err, API_ERR_SERVICE, "%s: %s (HTTP %ld)", req->op, err->code,
				     status);
	return api_error_set(err, API_ERR_SERVICE, "%s: HTTP %ld with no AWS error code", req->op,
			     status);
}
