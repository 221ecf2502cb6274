/*
 * config.c - endpoint, region and environment credentials (see config.h).
 * Validation is strict because the region goes into the SigV4 scope and
 * the default host name, and the endpoint into every request URL.
 */
#include "api/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_default(const char *name)
{
	return getenv(name);
}

/* First non-empty of the given strings, or NULL. */
static const char *first_set(const char *a, const char *b, const char *c)
{
	if (a && *a)
		return a;
	if (b && *b)
		return b;
	if (c && *c)
		return c;
	return NULL;
}

/* Region names: lowercase letters, digits and '-' ("eu-west-1"). */
static bool region_is_valid(const char *r)
{
	if (!*r)
		return false;
	for (; *r; r++)
		if (!((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9') || *r == '-'))
			return false;
	return true;
}

/* An endpoint must be http:// or https://, with a host, and hold no
 * whitespace, control characters or userinfo (credentials go in SigV4,
 * never in a URL that might be shown). */
static bool endpoint_is_valid(const char *u)
{
	const char *rest;
	if (strncmp(u, "https://", 8) == 0)
		rest = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		rest = u + 7;
	else
		return false;
	if (!*rest || *rest == '/')
		return false;
	const char *slash = strchr(rest, '/');
	const char *at = strchr(rest, '@');
	if (at && (!slash || at < slash))
		return false;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Copy src into dst or fail naming the field. */
static int copy_field(char *dst, size_t cap, const char *src, const char *what,
		      struct api_error *err)
{
	size_t n = strlen(src);
	if (n >= cap)
		return api_error_set(err, API_ERR_LIMIT, "%s is too long (%zu bytes, limit %zu)",
				     what, n, cap - 1);
	memcpy(dst, src, n + 1);
	return 0;
}

int api_config_resolve(struct api_config *cfg, const struct api_config_overrides *ov,
		       api_getenv_fn getenv_fn, struct api_error *err)
{
	static const struct api_config_overrides none = { 0 };
	if (!ov)
		ov = &none;
	if (!getenv_fn)
		getenv_fn = env_default;
	memset(cfg, 0, sizeof *cfg);
	api_error_clear(err);

	const char *region =
		first_set(ov->region, getenv_fn("AWS_REGION"), getenv_fn("AWS_DEFAULT_REGION"));
	if (!region)
		region = API_DEFAULT_REGION;
	if (copy_field(cfg->region, sizeof cfg->region, region, "region", err))
		return err->status;
	if (!region_is_valid(cfg->region))
		return api_error_set(err, API_ERR_CONFIG,
				     "region '%.40s' is not valid (expected e.g. us-east-1)",
				     cfg->region);

	const char *ep = first_set(ov->endpoint_url, getenv_fn("AWS_ENDPOINT_URL_QLDB"),
				   getenv_fn("AWS_ENDPOINT_URL"));
	if (ep) {
		if (copy_field(cfg->endpoint, sizeof cfg->endpoint, ep, "endpoint URL", err))
			return err->status;
		if (!endpoint_is_valid(cfg->endpoint))
			return api_error_set(
				err, API_ERR_CONFIG,
				"endpoint URL is not valid: need http(s)://HOST[:PORT] "
				"without user info or spaces");
		size_t n = strlen(cfg->endpoint);
		while (n > 0 && cfg->endpoint[n - 1] == '/')
			cfg->endpoint[--n] = '\0';
	} else {
		snprintf(cfg->endpoint, sizeof cfg->endpoint, "https://qldb.%s.amazonaws.com",
			 cfg->region);
	}

	if (ov->profile &&
	    copy_field(cfg->profile, sizeof cfg->profile, ov->profile, "profile", err))
		return err->status;

	/* Explicit keys (the demo) win; otherwise the environment. The rest of
	 * the AWS credential chain is a later issue. */
	const char *akid, *secret, *token;
	if (ov->access_key_id && ov->secret_access_key) {
		akid = ov->access_key_id;
		secret = ov->secret_access_key;
		token = NULL;
	} else {
		akid = getenv_fn("AWS_ACCESS_KEY_ID");
		secret = getenv_fn("AWS_SECRET_ACCESS_KEY");
		token = getenv_fn("AWS_SESSION_TOKEN");
	}
	if (akid && *akid && secret && *secret) {
		if (copy_field(cfg->access_key_id, sizeof cfg->access_key_id, akid, "access key id",
			       err) ||
		    copy_field(cfg->secret_access_key, sizeof cfg->secret_access_key, secret,
			       "secret access key", err) ||
		    (token && copy_field(cfg->session_token, sizeof cfg->session_token, token,
					 "session token", err))) {
			api_config_wipe(cfg);
			return err->status;
		}
		/* ':' would split CURLOPT_USERPWD wrongly; control bytes would
		 * corrupt headers. */
		if (strchr(cfg->access_key_id, ':')) {
			api_config_wipe(cfg);
			return api_error_set(err, API_ERR_CONFIG,
					     "access key id must not contain ':'");
		}
		for (const char *p = cfg->session_token; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				api_config_wipe(cfg);
				return api_error_set(err, API_ERR_CONFIG,
						     "session token holds control characters");
			}
		cfg->have_credentials = true;
	}
	return 0;
}

void api_config_describe(const struct api_config *cfg, char *buf, size_t cap)
{
	snprintf(buf, cap, "endpoint %s, region %s, key %.4s%s%s", cfg->endpoint, cfg->region,
		 cfg->have_credentials ? cfg->access_key_id : "(none)",
		 cfg->have_credentials ? "..." : "",
		 cfg->session_token[0] ? ", session token" : "");
}

void api_config_wipe(struct api_config *cfg)
{
	explicit_bzero(cfg->secret_access_key, sizeof cfg->secret_access_key);
	explicit_bzero(cfg->session_token, sizeof cfg->session_token);
	cfg->have_credentials = false;
}
