/*
 * cred_container.c - ECS/EKS container credentials (see cred_source.h):
 * GET the relative URI on 169.254.170.2, or the full URI when its host is
 * one botocore allows (any host over https, as the SDKs' shared rules
 * allow), with the Authorization header from the token file (re-read each
 * time, so a rotated token is picked up) or the token variable. Transport
 * errors and 5xx are retried as botocore does (3 attempts, 1 s apart); a
 * 4xx answer is final.
 */
#include "api/cred_source.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/ini.h"

static bool set(const char *s)
{
	return s && *s;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The host of url into out ("[v6]" without brackets); false if none. */
static bool url_host(const char *url, char *out, size_t cap, bool *https)
{
	const char *h;
	if (strncasecmp(url, "https://", 8) == 0) {
		h = url + 8;
		*https = true;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		h = url + 7;
		*https = false;
	} else {
		return false;
	}
	size_t n;
	if (*h == '[') {
		h++;
		n = strcspn(h, "]");
		if (h[n] != ']')
			return false;
	} else {
		n = strcspn(h, ":/?#");
	}
	if (n == 0 || n >= cap || memchr(h, '@', n))
		return false;
	memcpy(out, h, n);
	out[n] = '\0';
	return true;
}

/* botocore ContainerMetadataFetcher: a loopback address, or one of the
 * container hosts. Names other than "localhost" are not resolved. */
static bool host_allowed(const char *host)
{
	static const char *const ALLOWED[] = { "169.254.170.2", "localhost", "127.0.0.1",
					       "169.254.170.23", "fd00:ec2::23" };
	for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++)
		if (strcasecmp(host, ALLOWED[i]) == 0)
			return true;
	unsigned char a[16];
	if (inet_pton(AF_INET, host, a) == 1)
		return a[0] == 127;
	if (inet_pton(AF_INET6, host, a) == 1) {
		static const unsigned char LOOP6[16] = { [15] = 1 };
		return memcmp(a, LOOP6, 16) == 0;
	}
	return false;
}

int cred_container_setup(api_getenv_fn env, struct cred_container *c, bool *configured,
			 struct api_error *err)
{
	memset(c, 0, sizeof *c);
	*configured = false;
	const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (set(rel)) {
		if ((size_t)snprintf(c->url, sizeof c->url, "%s%s", CRED_CONTAINER_HOST, rel) >=
		    sizeof c->url)
			return api_error_set(err, API_ERR_LIMIT,
					     "container credentials: "
					     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is too long");
		if (!printable(rel))
			return api_error_set(
				err, API_ERR_CONFIG,
				"container credentials: "
				"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI holds blanks or "
				"control characters");
	} else if (set(full)) {
		char host[256];
		bool https;
		if (strlen(full) >= sizeof c->url || !printable(full) ||
		    !url_host(full, host, sizeof host, &https))
			return api_error_set(
				err, API_ERR_CONFIG,
				"container credentials: "
				"AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL "
				"with a host");
		if (!https && !host_allowed(host))
			return api_error_set(
				err, API_ERR_CONFIG,
				"container credentials: host '%.60s' is not allowed over "
				"http (loopback, 169.254.170.2, 169.254.170.23 or "
				"fd00:ec2::23; or use https)",
				host);
		strcpy(c->url, full);
	} else {
		return 0;
	}
	cred_http_shown(c->url, c->shown, sizeof c->shown);
	const char *tf = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	if (set(tf) &&
	    (size_t)snprintf(c->token_file, sizeof c->token_file, "%s", tf) >= sizeof c->token_file)
		return api_error_set(err, API_ERR_LIMIT,
				     "container credentials: the token file's path is too long");
	if (!set(tf) && set(tok)) {
		if (strlen(tok) >= sizeof c->token)
			return api_error_set(err, API_ERR_LIMIT,
					     "container credentials: "
					     "AWS_CONTAINER_AUTHORIZATION_TOKEN is too long");
		strcpy(c->token, tok);
	}
	c->attempts = CRED_CONTAINER_ATTEMPTS;
	c->timeout_ms = CRED_CONTAINER_TIMEOUT_MS;
	*configured = true;
	return 0;
}

/* The token, from the file (trailing blanks dropped) or the variable. */
static int read_token(const struct cred_container *c, char *out, size_t cap, struct api_error *err)
{
	out[0] = '\0';
	if (!c->token_file[0]) {
		snprintf(out, cap, "%s", c->token);
	} else {
		FILE *f = fopen(c->token_file, "re");
		if (!f)
			return api_error_set(err, API_ERR_CONFIG,
					     "container credentials: token file %.120s: cannot "
					     "read it",
					     c->token_file);
		size_t n = fread(out, 1, cap - 1, f);
		bool more = fgetc(f) != EOF;
		fclose(f);
		out[n] = '\0';
		if (more) {
			explicit_bzero(out, cap);
			return api_error_set(err, API_ERR_LIMIT,
					     "container credentials: token file %.120s is over %zu "
					     "bytes",
					     c->token_file, cap - 1);
		}
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
			out[--n] = '\0';
	}
	for (const char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			explicit_bzero(out, cap);
			return api_error_set(
				err, API_ERR_CONFIG,
				"container credentials: the authorization token is not "
				"a legal header value");
		}
	return 0;
}

int cred_container_fetch(const struct cred_container *c, struct api_creds *out,
			 struct api_error *err)
{
	static const char WHAT[] = "container credentials";
	char token[API_TOKEN_MAX], auth[API_TOKEN_MAX + 32];
	char *body = malloc(CRED_BODY_MAX + 1);
	if (!body)
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", WHAT);
	int rc = read_token(c, token, sizeof token, err);
	const char *headers[3] = { "Accept: application/json", NULL, NULL };
	if (!rc && token[0]) {
		snprintf(auth, sizeof auth, "Authorization: %s", token);
		headers[1] = auth;
	}
	for (int attempt = 1; !rc; attempt++) {
		long status;
		size_t len;
		rc = cred_http_call(WHAT, "GET", c->url, c->shown, headers, c->timeout_ms, &status,
				    body, &len, err);
		bool retry = rc == API_ERR_TRANSPORT || (!rc && status >= 500);
		if (!rc && status == 200) {
			rc = cred_json_take(body, len, WHAT, "Token", true, out, err);
			if (!rc)
				snprintf(out->source, sizeof out->source, "%s %.120s", WHAT,
					 c->shown);
			break;
		}
		if (!rc)
			rc = api_error_set(err, API_ERR_SERVICE, "%s: %s: HTTP %ld", WHAT, c->shown,
					   status);
		if (!retry || attempt >= c->attempts)
			break;
		rc = 0;
		nanosleep(&(struct timespec){ .tv_sec = 1 }, NULL);
	}
	explicit_bzero(token, sizeof token);
	explicit_bzero(auth, sizeof auth);
	explicit_bzero(body, CRED_BODY_MAX + 1);
	free(body);
	return rc;
}
