/*
 * cred_imds.c - EC2 instance metadata credentials, IMDSv2 (see
 * cred_source.h): PUT a session token, GET the role name, GET the role's
 * keys, each call within the metadata timeout (1 s) and one attempt by
 * default, as botocore's InstanceMetadataFetcher. On 403/404/405 to the
 * token PUT botocore falls back to IMDSv1 (no token) unless
 * AWS_EC2_METADATA_V1_DISABLED is true; so do we.
 */
#include "api/cred_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROLE_PATH "/latest/meta-data/iam/security-credentials/"
#define ROLE_MAX 128 /* IAM role names are at most 64 characters */

static bool set(const char *s)
{
	return s && *s;
}

int cred_imds_setup(api_getenv_fn env, const char *profile_endpoint, struct cred_imds *c,
		    bool *disabled, struct api_error *err)
{
	memset(c, 0, sizeof *c);
	const char *off = env("AWS_EC2_METADATA_DISABLED");
	*disabled = off && strcasecmp(off, "true") == 0;
	const char *ep = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	if (!set(ep))
		ep = set(profile_endpoint) ? profile_endpoint : CRED_IMDS_DEFAULT;
	if (strncmp(ep, "http://", 7) != 0 && strncmp(ep, "https://", 8) != 0)
		return api_error_set(err, API_ERR_CONFIG,
				     "instance metadata: the endpoint is not an http(s) URL");
	if (strlen(ep) >= sizeof c->endpoint)
		return api_error_set(err, API_ERR_LIMIT,
				     "instance metadata: the endpoint is too long");
	for (const char *p = ep; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return api_error_set(err, API_ERR_CONFIG,
					     "instance metadata: the endpoint holds blanks or "
					     "control characters");
	strcpy(c->endpoint, ep);
	size_t n = strlen(c->endpoint);
	while (n > 0 && c->endpoint[n - 1] == '/')
		c->endpoint[--n] = '\0';
	c->timeout_ms = CRED_IMDS_TIMEOUT_MS;
	c->attempts = CRED_IMDS_ATTEMPTS;
	const char *t = env("AWS_METADATA_SERVICE_TIMEOUT");
	const char *a = env("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	if (set(t)) {
		char *end;
		double s = strtod(t, &end);
		if (*end || !(s > 0 && s <= 60))
			return api_error_set(err, API_ERR_CONFIG,
					     "AWS_METADATA_SERVICE_TIMEOUT must be 0 < seconds <= "
					     "60");
		c->timeout_ms = (long)(s * 1000);
	}
	if (set(a)) {
		char *end;
		long v = strtol(a, &end, 10);
		if (*end || v < 1 || v > 10)
			return api_error_set(err, API_ERR_CONFIG,
					     "AWS_METADATA_SERVICE_NUM_ATTEMPTS must be 1..10");
		c->attempts = (int)v;
	}
	c->v1_disabled = false;
	const char *v1 = env("AWS_EC2_METADATA_V1_DISABLED");
	c->v1_disabled = v1 && strcasecmp(v1, "true") == 0;
	return 0;
}

/* One call with the attempts budget: transport errors and 5xx retry. */
static int call(const struct cred_imds *c, const char *method, const char *path,
		const char *const *headers, long *status, char *body, size_t *len,
		struct api_error *err)
{
	char url[API_URL_MAX + 256];
	snprintf(url, sizeof url, "%s%s", c->endpoint, path);
	int rc = 0;
	for (int attempt = 1; attempt <= c->attempts; attempt++) {
		rc = cred_http_call("instance metadata", method, url, c->endpoint, headers,
				    c->timeout_ms, status, body, len, err);
		if (!(rc == API_ERR_TRANSPORT || (!rc && *status >= 500)))
			break;
	}
	return rc;
}

static int fetch(const struct cred_imds *c, char *body, struct api_creds *out,
		 struct api_error *err)
{
	static const char WHAT[] = "instance metadata";
	long status;
	size_t len;
	char token[API_TOKEN_MAX], hdr[API_TOKEN_MAX + 40];
	const char *put_headers[] = { "X-aws-ec2-metadata-token-ttl-seconds: " CRED_IMDS_TOKEN_TTL,
				      NULL };
	const char *headers[] = { hdr, NULL };
	int rc = call(c, "PUT", "/latest/api/token", put_headers, &status, body, &len, err);
	if (rc)
		return rc;
	if (status == 200) {
		if (len == 0 || len >= sizeof token)
			return api_error_set(err, API_ERR_PARSE, "%s: %s: a token of %zu bytes",
					     WHAT, c->endpoint, len);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)body[i] <= 0x20 || body[i] == 0x7f)
				return api_error_set(err, API_ERR_PARSE,
						     "%s: %s: the token is not a header value",
						     WHAT, c->endpoint);
		memcpy(token, body, len + 1);
		snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token: %s", token);
		explicit_bzero(token, sizeof token);
	} else if ((status == 403 || status == 404 || status == 405) && !c->v1_disabled) {
		headers[0] = NULL; /* IMDSv1 */
	} else {
		return api_error_set(err, API_ERR_SERVICE, "%s: %s: token request: HTTP %ld", WHAT,
				     c->endpoint, status);
	}
	rc = call(c, "GET", ROLE_PATH, headers, &status, body, &len, err);
	if (rc)
		return rc;
	if (status != 200)
		return api_error_set(err, API_ERR_SERVICE, "%s: %s: role name: HTTP %ld%s", WHAT,
				     c->endpoint, status,
				     status == 404 ? " (no instance profile attached?)" : "");
	char role[ROLE_MAX];
	size_t rn = strcspn(body, "\r\n");
	if (rn == 0 || rn >= sizeof role)
		return api_error_set(err, API_ERR_PARSE, "%s: %s: no role name in the answer", WHAT,
				     c->endpoint);
	memcpy(role, body, rn);
	role[rn] = '\0';
	/* IAM role names: [\w+=,.@-]; anything else must not reach the path */
	for (size_t i = 0; i < rn; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-",
			    role[i]))
			return api_error_set(err, API_ERR_PARSE,
					     "%s: %s: the role name is not an IAM name", WHAT,
					     c->endpoint);
	char path[sizeof ROLE_PATH + ROLE_MAX];
	snprintf(path, sizeof path, "%s%s", ROLE_PATH, role);
	rc = call(c, "GET", path, headers, &status, body, &len, err);
	if (rc)
		return rc;
	if (status != 200)
		return api_error_set(err, API_ERR_SERVICE, "%s: %s: role %s: HTTP %ld", WHAT,
				     c->endpoint, role, status);
	char what[160];
	snprintf(what, sizeof what, "%s role %s", WHAT, role);
	rc = cred_json_take(body, len, what, "Token", true, out, err);
	if (!rc)
		snprintf(out->source, sizeof out->source, "%s (role %.64s, %.60s)", WHAT, role,
			 c->endpoint);
	return rc;
}

int cred_imds_fetch(const struct cred_imds *c, struct api_creds *out, struct api_error *err)
{
	char *body = malloc(CRED_BODY_MAX + 1);
	if (!body)
		return api_error_set(err, API_ERR_NOMEM, "instance metadata: out of memory");
	int rc = fetch(c, body, out, err);
	explicit_bzero(body, CRED_BODY_MAX + 1);
	free(body);
	return rc;
}
