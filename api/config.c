/*
 * config.c - profile, shared files, region, per-service endpoints and
 * static keys (see config.h). Validation is strict because the region goes
 * into the SigV4 scope and the default host names, and the endpoints into
 * every request URL.
 */
#include "api/config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/cred_profile.h"

/* One row per service: how each configuration layer names it. */
static const struct service_row {
	const char *signing; /* SigV4 signing name, also what callers pass */
	const char *alias;   /* the service id, lower-case, when it differs */
	const char *env;     /* AWS_ENDPOINT_URL_<env>: service id upper-cased */
	const char *key;     /* key inside [services NAME]: snake-case service id */
	const char *host;    /* default host prefix (endpointPrefix) */
} SERVICES[API_SVC_COUNT] = {
	[API_SVC_QLDB] = { "qldb", NULL, "QLDB", "qldb", "qldb" },
	[API_SVC_KINESIS] = { "kinesis", NULL, "KINESIS", "kinesis", "kinesis" },
	[API_SVC_S3] = { "s3", NULL, "S3", "s3", "s3" },
	[API_SVC_CLOUDWATCH] = { "monitoring", "cloudwatch", "CLOUDWATCH", "cloudwatch",
				 "monitoring" },
	[API_SVC_STS] = { "sts", NULL, "STS", "sts", "sts" },
};

static const char *env_default(const char *name)
{
	return getenv(name);
}

static bool set(const char *s)
{
	return s && *s;
}

static bool is_true(const char *s)
{
	return s && strcasecmp(s, "true") == 0;
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

int api_config_expand_path(const char *path, api_getenv_fn getenv_fn, char *out, size_t cap,
			   struct api_error *err)
{
	if (!getenv_fn)
		getenv_fn = env_default;
	char tmp[API_PATH_MAX];
	size_t n = 0;
	const char *p = path;
	/* expandvars: $NAME and ${NAME}; an unknown one stays as written */
	while (*p) {
		const char *val = NULL, *next = p + 1;
		if (*p == '$') {
			bool brace = p[1] == '{';
			const char *b = p + 1 + brace, *e = b;
			while ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') ||
			       (*e >= '0' && *e <= '9') || *e == '_')
				e++;
			if (e > b && (!brace || *e == '}')) {
				char name[128];
				size_t len = (size_t)(e - b);
				if (len < sizeof name) {
					memcpy(name, b, len);
					name[len] = '\0';
					val = getenv_fn(name);
					next = e + brace;
				}
			}
		}
		size_t add = val ? strlen(val) : 1;
		if (n + add >= sizeof tmp)
			return api_error_set(err, API_ERR_LIMIT, "path '%.60s...' is too long",
					     path);
		memcpy(tmp + n, val ? val : p, add);
		n += add;
		p = val ? next : p + 1;
	}
	tmp[n] = '\0';
	/* expanduser: ~ and ~/... ($HOME, else the password database) */
	const char *rest = tmp, *home = "";
	if (tmp[0] == '~' && (tmp[1] == '/' || tmp[1] == '\0')) {
		home = getenv_fn("HOME");
		if (!set(home)) {
			struct passwd *pw = getpwuid(getuid());
			home = pw && pw->pw_dir ? pw->pw_dir : "~";
		}
		rest = tmp + 1;
	}
	if ((size_t)snprintf(out, cap, "%s%s", home, rest) >= cap)
		return api_error_set(err, API_ERR_LIMIT, "path '%.60s...' is too long", path);
	return 0;
}

int api_config_service(const char *service)
{
	for (int i = 0; i < API_SVC_COUNT && service; i++)
		if (strcasecmp(service, SERVICES[i].signing) == 0 ||
		    (SERVICES[i].alias && strcasecmp(service, SERVICES[i].alias) == 0))
			return i;
	return -1;
}

const char *api_config_service_name(enum api_service s)
{
	return (unsigned)s < API_SVC_COUNT ? SERVICES[s].signing : "?";
}

int api_config_endpoint(const struct api_config *cfg, const char *service, char *out, size_t cap,
			struct api_error *err)
{
	int s = api_config_service(service);
	if (s < 0)
		return api_error_set(err, API_ERR_CONFIG, "no endpoint for unknown service '%.40s'",
				     service ? service : "(null)");
	return copy_field(out, cap, cfg->endpoints[s], "endpoint URL", err);
}

/* The resolution state shared by the steps below. */
struct resolve {
	struct api_config *cfg;
	const struct api_config_overrides *ov;
	api_getenv_fn env;
	struct api_error *err;
	struct cred_profile prof;
	bool loaded;
};

/* Read the shared files and find the profile (once). */
static int files_load(struct resolve *r)
{
	if (r->loaded)
		return 0;
	struct api_config *cfg = r->cfg;
	const char *c = r->env("AWS_CONFIG_FILE"), *k = r->env("AWS_SHARED_CREDENTIALS_FILE");
	if (api_config_expand_path(set(c) ? c : "~/.aws/config", r->env, cfg->config_file,
				   sizeof cfg->config_file, r->err) ||
	    api_config_expand_path(set(k) ? k : "~/.aws/credentials", r->env, cfg->credentials_file,
				   sizeof cfg->credentials_file, r->err))
		return r->err->status;
	if (cred_profile_load(&r->prof, cfg->profile, cfg->config_file, cfg->credentials_file,
			      r->err))
		return r->err->status;
	r->loaded = true;
	cfg->files_read = true;
	/* botocore's get_scoped_config: a profile asked for by name must exist */
	if (cfg->profile_named && !cred_profile_exists(&r->prof))
		return api_error_set(r->err, API_ERR_CONFIG,
				     "profile %.60s: no such profile in %.80s or %.80s",
				     cfg->profile, cfg->config_file, cfg->credentials_file);
	return 0;
}

/* A value from the merged profile, loading the files on first use. */
static int profile_value(struct resolve *r, const char *key, const char **out)
{
	*out = NULL;
	if (files_load(r))
		return r->err->status;
	*out = cred_profile_value(&r->prof, key);
	return 0;
}

static int resolve_region(struct resolve *r)
{
	struct api_config *cfg = r->cfg;
	static const char *const ENV[] = { "AWS_REGION", "AWS_DEFAULT_REGION" };
	const char *region = NULL, *src = NULL;
	if (set(r->ov->region)) {
		region = r->ov->region;
		src = "--region";
	}
	for (size_t i = 0; !region && i < 2; i++)
		if (set(r->env(ENV[i]))) {
			region = r->env(ENV[i]);
			src = ENV[i];
		}
	if (!region) {
		if (profile_value(r, "region", &region))
			return r->err->status;
		src = set(region) ? "profile" : "default";
		if (!set(region))
			region = API_DEFAULT_REGION;
	}
	snprintf(cfg->region_source, sizeof cfg->region_source, "%s", src);
	if (copy_field(cfg->region, sizeof cfg->region, region, "region", r->err))
		return r->err->status;
	if (!region_is_valid(cfg->region)) {
		/* never echo a multi-line value: it may be a pasted secret */
		const char *nl = strpbrk(cfg->region, "\r\n");
		return api_error_set(r->err, API_ERR_CONFIG,
				     "region '%.*s%s' from %s%s%.60s is not valid (expected e.g. "
				     "us-east-1)",
				     nl ? (int)(nl - cfg->region) : 40, cfg->region,
				     nl ? "..." : "", src, strcmp(src, "profile") ? "" : " ",
				     strcmp(src, "profile") ? "" : cfg->profile);
	}
	return 0;
}

/* The `endpoint_url` under service's key in the profile's services
 * section, into buf; NULL when not configured there. */
static int services_endpoint(struct resolve *r, const struct service_row *s, char *buf, size_t cap,
			     const char **out)
{
	*out = NULL;
	const char *name;
	if (profile_value(r, "services", &name))
		return r->err->status;
	if (!set(name))
		return 0;
	const struct ini_section *sec = cred_profile_services(&r->prof, name);
	if (!sec) /* botocore: InvalidConfigError */
		return api_error_set(r->err, API_ERR_CONFIG,
				     "profile %.60s: services section '%.60s' does not exist in "
				     "%.100s",
				     r->cfg->profile, name, r->cfg->config_file);
	const char *v = ini_value(&r->prof.config, sec, s->key);
	if (v && ini_nested_value(v, "endpoint_url", buf, cap))
		*out = buf;
	return 0;
}

static int resolve_endpoint(struct resolve *r, enum api_service svc, bool ignore_configured)
{
	struct api_config *cfg = r->cfg;
	const struct service_row *s = &SERVICES[svc];
	char env_name[64], nested[API_URL_MAX];
	snprintf(env_name, sizeof env_name, "AWS_ENDPOINT_URL_%s", s->env);
	const char *ep = NULL, *src = NULL;
	if (set(r->ov->endpoint_url)) {
		ep = r->ov->endpoint_url;
		src = "--endpoint-url";
	} else if (!ignore_configured) {
		if (set(r->env(env_name))) {
			ep = r->env(env_name);
			src = env_name;
		} else if (set(r->env("AWS_ENDPOINT_URL"))) {
			ep = r->env("AWS_ENDPOINT_URL");
			src = "AWS_ENDPOINT_URL";
		} else {
			if (services_endpoint(r, s, nested, sizeof nested, &ep))
				return r->err->status;
			src = "profile services section";
		}
		if (!set(ep)) {
			if (profile_value(r, "endpoint_url", &ep))
				return r->err->status;
			src = "profile endpoint_url";
		}
	}
	char *out = cfg->endpoints[svc];
	if (set(ep)) {
		if (copy_field(out, API_URL_MAX, ep, "endpoint URL", r->err))
			return r->err->status;
		if (!endpoint_is_valid(out))
			return api_error_set(r->err, API_ERR_CONFIG,
					     "endpoint URL from %s is not valid: need "
					     "http(s)://HOST[:PORT] without user info or spaces",
					     src);
		size_t n = strlen(out);
		while (n > 0 && out[n - 1] == '/')
			out[--n] = '\0';
	} else {
		src = "default";
		snprintf(out, API_URL_MAX, "https://%s.%s.amazonaws.com%s", s->host, cfg->region,
			 strncmp(cfg->region, "cn-", 3) == 0 ? ".cn" : "");
	}
	snprintf(cfg->endpoint_sources[svc], API_SOURCE_MAX, "%s", src);
	return 0;
}

static int resolve_endpoints(struct resolve *r)
{
	bool ignore = false;
	if (!set(r->ov->endpoint_url)) {
		const char *v = r->env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
		if (!set(v) && profile_value(r, "ignore_configured_endpoint_urls", &v))
			return r->err->status;
		ignore = is_true(v);
	}
	for (int i = 0; i < API_SVC_COUNT; i++)
		if (resolve_endpoint(r, (enum api_service)i, ignore))
			return r->err->status;
	memcpy(r->cfg->endpoint, r->cfg->endpoints[API_SVC_QLDB], API_URL_MAX);
	return 0;
}

static int resolve_keys(struct resolve *r)
{
	struct api_config *cfg = r->cfg;
	const struct api_config_overrides *ov = r->ov;
	const char *akid = NULL, *secret = NULL, *token = NULL;
	if (ov->access_key_id && ov->secret_access_key) {
		akid = ov->access_key_id;
		secret = ov->secret_access_key;
		cfg->keys_origin = API_KEYS_EXPLICIT;
	} else if (!cfg->profile_from_flag) {
		akid = r->env("AWS_ACCESS_KEY_ID");
		secret = r->env("AWS_SECRET_ACCESS_KEY");
		token = r->env("AWS_SESSION_TOKEN");
		if (!set(token))
			token = r->env("AWS_SECURITY_TOKEN");
		cfg->keys_origin = API_KEYS_ENV;
	}
	if (!(set(akid) && set(secret))) {
		cfg->keys_origin = API_KEYS_NONE;
		return 0;
	}
	if (copy_field(cfg->access_key_id, sizeof cfg->access_key_id, akid, "access key id",
		       r->err) ||
	    copy_field(cfg->secret_access_key, sizeof cfg->secret_access_key, secret,
		       "secret access key", r->err) ||
	    (token && copy_field(cfg->session_token, sizeof cfg->session_token, token,
				 "session token", r->err))) {
		api_config_wipe(cfg);
		return r->err->status;
	}
	/* ':' would split CURLOPT_USERPWD wrongly; control bytes would
	 * corrupt headers. */
	if (strchr(cfg->access_key_id, ':')) {
		api_config_wipe(cfg);
		return api_error_set(r->err, API_ERR_CONFIG, "access key id must not contain ':'");
	}
	for (const char *p = cfg->session_token; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			api_config_wipe(cfg);
			return api_error_set(r->err, API_ERR_CONFIG,
					     "session token holds control characters");
		}
	cfg->have_credentials = true;
	return 0;
}

int api_config_resolve(struct api_config *cfg, const struct api_config_overrides *ov,
		       api_getenv_fn getenv_fn, struct api_error *err)
{
	static const struct api_config_overrides none = { 0 };
	memset(cfg, 0, sizeof *cfg);
	api_error_clear(err);
	struct resolve r = { .cfg = cfg, .ov = ov ? ov : &none, .env = getenv_fn, .err = err };
	if (!r.env)
		r.env = env_default;
	ov = r.ov;

	const char *profile = ov->profile;
	cfg->profile_from_flag = set(profile);
	if (!set(profile))
		profile = r.env("AWS_PROFILE");
	if (!set(profile)) /* the AWS CLI v2 reads this old name second */
		profile = r.env("AWS_DEFAULT_PROFILE");
	cfg->profile_named = set(profile);
	if (copy_field(cfg->profile, sizeof cfg->profile, set(profile) ? profile : "default",
		       "profile", err))
		return err->status;

	int rc = resolve_region(&r);
	if (!rc)
		rc = resolve_endpoints(&r);
	if (!rc)
		rc = resolve_keys(&r);
	/* the chain after static keys reads the files, so check them now */
	if (!rc && cfg->keys_origin != API_KEYS_EXPLICIT)
		rc = files_load(&r);
	if (r.loaded)
		cred_profile_free(&r.prof);
	if (rc)
		api_config_wipe(cfg);
	return rc;
}

void api_config_describe(const struct api_config *cfg, char *buf, size_t cap)
{
	char key[16];
	snprintf(key, sizeof key, "%.4s...", cfg->access_key_id);
	snprintf(buf, cap, "endpoint %s, region %s, %s%s%skey %s%s", cfg->endpoint, cfg->region,
		 cfg->profile_named ? "profile " : "", cfg->profile_named ? cfg->profile : "",
		 cfg->profile_named ? ", " : "", cfg->have_credentials ? key : "(none)",
		 cfg->session_token[0] ? ", session token" : "");
}

void api_config_wipe(struct api_config *cfg)
{
	explicit_bzero(cfg->secret_access_key, sizeof cfg->secret_access_key);
	explicit_bzero(cfg->session_token, sizeof cfg->session_token);
	cfg->have_credentials = false;
}
