/*
 * credentials.c - the credential chain and its refresh (see
 * credentials.h). api_creds_provider_new picks the source in botocore's
 * order and fetches it once; api_creds_get hands out the cached keys and
 * refreshes temporary ones ahead of expiry. One mutex guards the cache;
 * a refresh runs outside it (a process may take seconds) with a flag so
 * only one runs, and while it runs other callers get the old keys if they
 * are still valid, else wait for it.
 */
#include "api/credentials.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "api/cred_profile.h"
#include "api/cred_source.h"

enum source_kind {
	SRC_NONE,      /* nothing configured; the error says what was tried */
	SRC_STATIC,    /* keys that never change */
	SRC_PROCESS,   /* credential_process */
	SRC_CONTAINER, /* container credentials */
	SRC_IMDS,      /* instance metadata */
};

struct api_creds_provider {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool refreshing;
	unsigned gen; /* counts finished refreshes */
	enum source_kind kind;
	struct api_creds cur; /* secret */
	bool have;
	double next_try; /* no refresh before this (after a failure) */
	char warning[API_ERROR_MSG_MAX];
	struct api_error last; /* why there are no keys (SRC_NONE, SRC_IMDS) */
	char tried[API_ERROR_MSG_MAX];
	char profile[API_PROFILE_MAX];
	char *process; /* the command (may hold secrets in arguments) */
	struct cred_container container;
	struct cred_imds imds;
	bool curl_init;
};

static const char *env_default(const char *name)
{
	return getenv(name);
}

static bool set(const char *s)
{
	return s && *s;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fetch from the provider's source into out (no lock held). */
static int source_fetch(struct api_creds_provider *p, struct api_creds *out, struct api_error *err)
{
	switch (p->kind) {
	case SRC_PROCESS:
		return cred_process_run(p->process, p->profile, CRED_PROCESS_TIMEOUT_MS, out, err);
	case SRC_CONTAINER:
		return cred_container_fetch(&p->container, out, err);
	case SRC_IMDS:
		return cred_imds_fetch(&p->imds, out, err);
	default:
		return api_error_set(err, API_ERR_CONFIG, "credentials: nothing to refresh");
	}
}

/* Fetch and check: fresh keys must not already be expired (botocore:
 * "Credentials were refreshed, but the refreshed credentials are still
 * expired"). */
static int fetch_checked(struct api_creds_provider *p, struct api_creds *out, struct api_error *err)
{
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	int rc = source_fetch(p, out, err);
	if (!rc && out->expires != 0 && out->expires <= now_s()) {
		char when[40];
		cred_time_format(out->expires, when, sizeof when);
		rc = api_error_set(err, API_ERR_CONFIG,
				   "%.150s: the credentials it returned expired at %s", out->source,
				   when);
	}
	if (rc)
		api_creds_wipe(out);
	return rc;
}

/* "no credentials: tried ..., instance metadata (why)" from the IMDS
 * error (its "instance metadata: " prefix dropped). */
static void no_creds(struct api_creds_provider *p, const struct api_error *why)
{
	const char *m = why ? why->msg : "disabled";
	const char *prefix = "instance metadata: ";
	if (strncmp(m, prefix, strlen(prefix)) == 0)
		m += strlen(prefix);
	api_error_set(&p->last, API_ERR_CONFIG, "no credentials: tried %s, instance metadata (%s)",
		      p->tried, m);
}

static int static_keys(struct api_creds_provider *p, const char *akid, const char *secret,
		       const char *token, const char *source, struct api_error *err)
{
	if (!set(akid) || !set(secret))
		return api_error_set(err, API_ERR_CONFIG, "%s: partial credentials: %s is %s",
				     source, set(akid) ? "the secret access key" : "the key id",
				     "missing or empty");
	if (strlen(akid) >= sizeof p->cur.access_key_id ||
	    strlen(secret) >= sizeof p->cur.secret_access_key ||
	    (token && strlen(token) >= sizeof p->cur.session_token))
		return api_error_set(err, API_ERR_LIMIT, "%s: a key or token is too long", source);
	for (const char *s = akid; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f || *s == ':')
			return api_error_set(err, API_ERR_CONFIG,
					     "%s: the key id holds ':', blanks or control "
					     "characters",
					     source);
	for (const char *s = token ? token : ""; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return api_error_set(err, API_ERR_CONFIG,
					     "%s: the session token holds control characters "
					     "(a multi-line value?)",
					     source);
	for (const char *s = secret; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return api_error_set(
				err, API_ERR_CONFIG,
				"%s: the secret holds control characters (a multi-line "
				"value?)",
				source);
	strcpy(p->cur.access_key_id, akid);
	strcpy(p->cur.secret_access_key, secret);
	strcpy(p->cur.session_token, token ? token : "");
	snprintf(p->cur.source, sizeof p->cur.source, "%s", source);
	p->kind = SRC_STATIC;
	p->have = true;
	return 0;
}

/* Keys from one file's section, if its aws_access_key_id is there
 * (botocore: the key id present decides; a missing secret is an error). */
static int file_keys(struct api_creds_provider *p, const struct ini_file *f,
		     const struct ini_section *s, const char *kind, bool *found,
		     struct api_error *err)
{
	const char *akid = ini_value(f, s, "aws_access_key_id");
	*found = akid != NULL;
	if (!akid)
		return 0;
	const char *token = ini_value(f, s, "aws_session_token");
	if (!token)
		token = ini_value(f, s, "aws_security_token");
	char source[API_CREDS_SOURCE_MAX];
	snprintf(source, sizeof source, "%s %.90s (profile %.40s)", kind, f->path, p->profile);
	return static_keys(p, akid, ini_value(f, s, "aws_secret_access_key"), token, source, err);
}

/* The sources the profile names that we do not implement: refusing them
 * beats silently using other keys than the AWS CLI would. */
static int unsupported(const struct cred_profile *prof, api_getenv_fn env, bool env_off,
		       struct api_error *err)
{
	static const char HINT[] = "use credential_process = aws configure export-credentials "
				   "--format process";
	const char *what = NULL;
	if (cred_profile_value(prof, "role_arn"))
		what = "role_arn (assume role)";
	else if (cred_profile_value(prof, "web_identity_token_file") ||
		 (!env_off && set(env("AWS_WEB_IDENTITY_TOKEN_FILE")) && set(env("AWS_ROLE_ARN"))))
		what = "web identity";
	else if (cred_profile_value(prof, "sso_start_url") ||
		 cred_profile_value(prof, "sso_session"))
		what = "SSO";
	if (!what)
		return 0;
	return api_error_set(err, API_ERR_CONFIG, "profile %.40s: %s is not supported; %s",
			     prof->name, what, HINT);
}

/* The chain after static keys in cfg (see credentials.h). */
static int chain(struct api_creds_provider *p, const struct api_config *cfg, api_getenv_fn env,
		 struct api_error *err)
{
	if (!cfg->profile_from_flag && set(env("AWS_ACCESS_KEY_ID")) &&
	    !set(env("AWS_SECRET_ACCESS_KEY")))
		return api_error_set(err, API_ERR_CONFIG,
				     "environment: AWS_ACCESS_KEY_ID is set but "
				     "AWS_SECRET_ACCESS_KEY is not");
	char cpath[API_PATH_MAX], kpath[API_PATH_MAX];
	const char *c = env("AWS_CONFIG_FILE"), *k = env("AWS_SHARED_CREDENTIALS_FILE");
	if (cfg->files_read) {
		snprintf(cpath, sizeof cpath, "%s", cfg->config_file);
		snprintf(kpath, sizeof kpath, "%s", cfg->credentials_file);
	} else if (api_config_expand_path(set(c) ? c : "~/.aws/config", env, cpath, sizeof cpath,
					  err) ||
		   api_config_expand_path(set(k) ? k : "~/.aws/credentials", env, kpath,
					  sizeof kpath, err)) {
		return err->status;
	}
	struct cred_profile prof;
	if (cred_profile_load(&prof, p->profile, cpath, kpath, err))
		return err->status;
	int rc = 0;
	bool found = false;
	if (cfg->profile_named && !cred_profile_exists(&prof)) {
		rc = api_error_set(err, API_ERR_CONFIG,
				   "profile %.60s: no such profile in %.80s or %.80s", p->profile,
				   cpath, kpath);
		goto out;
	}
	if ((rc = unsupported(&prof, env, cfg->profile_from_flag, err)))
		goto out;
	if ((rc = file_keys(p, &prof.creds, prof.in_creds, "shared credentials file", &found,
			    err)) ||
	    found)
		goto out;
	const char *process = cred_profile_value(&prof, "credential_process");
	if (process) {
		p->process = strdup(process);
		if (!p->process) {
			rc = api_error_set(err, API_ERR_NOMEM, "credentials: out of memory");
			goto out;
		}
		p->kind = SRC_PROCESS;
		goto out;
	}
	if ((rc = file_keys(p, &prof.config, prof.in_config, "config file", &found, err)) || found)
		goto out;
	bool configured;
	if ((rc = cred_container_setup(env, &p->container, &configured, err)))
		goto out;
	if (configured) {
		p->kind = SRC_CONTAINER;
		goto out;
	}
	bool disabled;
	rc = cred_imds_setup(env, cred_profile_value(&prof, "ec2_metadata_service_endpoint"),
			     &p->imds, &disabled, err);
	if (rc)
		goto out;
	snprintf(p->tried, sizeof p->tried, "%sprofile %.40s (shared files), container (not set)",
		 cfg->profile_from_flag ? "" : "environment, ", p->profile);
	p->kind = disabled ? SRC_NONE : SRC_IMDS;
	if (disabled)
		no_creds(p, NULL);
out:
	cred_profile_free(&prof);
	return rc;
}

struct api_creds_provider *api_creds_provider_new(const struct api_config *cfg,
						  api_getenv_fn getenv_fn, struct api_error *err)
{
	api_error_clear(err);
	if (!getenv_fn)
		getenv_fn = env_default;
	struct api_creds_provider *p = calloc(1, sizeof *p);
	if (!p) {
		api_error_set(err, API_ERR_NOMEM, "credentials: out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	snprintf(p->profile, sizeof p->profile, "%s", cfg->profile[0] ? cfg->profile : "default");
	int rc;
	if (cfg->have_credentials)
		rc = static_keys(p, cfg->access_key_id, cfg->secret_access_key, cfg->session_token,
				 cfg->keys_origin == API_KEYS_EXPLICIT ? "command line"
								       : "environment",
				 err);
	else
		rc = chain(p, cfg, getenv_fn, err);
	if (!rc && (p->kind == SRC_PROCESS || p->kind == SRC_CONTAINER || p->kind == SRC_IMDS)) {
		p->curl_init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
		struct api_error e;
		rc = fetch_checked(p, &p->cur, &e);
		if (!rc) {
			p->have = true;
		} else if (p->kind == SRC_IMDS) {
			/* no keys at all is reported by api_creds_get */
			no_creds(p, &e);
			p->next_try = now_s() + API_CREDS_NONE_RETRY_S;
			rc = 0;
		} else {
			*err = e;
		}
	}
	if (rc) {
		api_creds_provider_free(p);
		return NULL;
	}
	return p;
}

void api_creds_provider_free(struct api_creds_provider *p)
{
	if (!p)
		return;
	api_creds_wipe(&p->cur);
	if (p->process) {
		explicit_bzero(p->process, strlen(p->process));
		free(p->process);
	}
	explicit_bzero(&p->container, sizeof p->container);
	if (p->curl_init)
		curl_global_cleanup();
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

static bool valid_at(const struct api_creds *c, double t)
{
	return c->expires == 0 || c->expires > t;
}

/* Copy the cached keys out with the current warning (lock held). */
static int hand_out(struct api_creds_provider *p, struct api_creds *out)
{
	*out = p->cur;
	snprintf(out->warning, sizeof out->warning, "%s", p->warning);
	return 0;
}

int api_creds_get(struct api_creds_provider *p, bool force_refresh, struct api_creds *out,
		  struct api_error *err)
{
	api_error_clear(err);
	pthread_mutex_lock(&p->mu);
	unsigned seen = p->gen;
	int rc;
	for (;;) {
		double t = now_s();
		if (p->kind == SRC_NONE) {
			*err = p->last;
			rc = err->status;
			break;
		}
		bool due = !p->have || force_refresh ||
			   (p->cur.expires != 0 && p->cur.expires - t < API_CREDS_REFRESH_AHEAD_S);
		/* forced, but someone refreshed meanwhile: take theirs */
		bool theirs = force_refresh && p->gen != seen && p->have;
		if (p->kind == SRC_STATIC || !due || theirs) {
			rc = hand_out(p, out);
			break;
		}
		if (p->refreshing) {
			/* someone else refreshes: old keys still valid will do */
			if (p->have && valid_at(&p->cur, t) && !force_refresh) {
				rc = hand_out(p, out);
				break;
			}
			pthread_cond_wait(&p->cv, &p->mu);
			if (p->gen != seen && p->have && valid_at(&p->cur, now_s())) {
				rc = hand_out(p, out);
				break;
			}
			continue;
		}
		if (t < p->next_try && !force_refresh) {
			/* a refresh failed a moment ago: no retry storm */
			if (p->have && valid_at(&p->cur, t)) {
				rc = hand_out(p, out);
				break;
			}
			*err = p->last;
			rc = err->status;
			break;
		}
		p->refreshing = true;
		pthread_mutex_unlock(&p->mu);
		struct api_creds fresh;
		struct api_error e;
		int frc = fetch_checked(p, &fresh, &e);
		pthread_mutex_lock(&p->mu);
		p->refreshing = false;
		p->gen++;
		seen = p->gen;
		pthread_cond_broadcast(&p->cv);
		t = now_s();
		if (!frc) {
			api_creds_wipe(&p->cur);
			p->cur = fresh;
			p->have = true;
			p->warning[0] = '\0';
			p->next_try = 0;
			api_creds_wipe(&fresh);
			rc = hand_out(p, out);
			break;
		}
		if (p->kind == SRC_IMDS && !p->have)
			no_creds(p, &e);
		else
			p->last = e;
		if (p->have && valid_at(&p->cur, t)) {
			char when[40];
			cred_time_format(p->cur.expires, when, sizeof when);
			p->next_try = t + API_CREDS_RETRY_S;
			snprintf(p->warning, sizeof p->warning,
				 "refresh failed (%.160s); using keys valid until %s", e.msg, when);
			rc = hand_out(p, out);
			break;
		}
		p->next_try = t + (p->have ? API_CREDS_RETRY_S : API_CREDS_NONE_RETRY_S);
		*err = p->last;
		rc = err->status;
		break;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void api_creds_describe(struct api_creds_provider *p, char *buf, size_t cap)
{
	pthread_mutex_lock(&p->mu);
	if (p->have)
		snprintf(buf, cap, "%s, key %.4s...%s%s", p->cur.source, p->cur.access_key_id,
			 p->cur.session_token[0] ? ", session token" : "",
			 p->cur.expires ? ", expiring" : "");
	else
		snprintf(buf, cap, "none: %s", p->last.msg);
	pthread_mutex_unlock(&p->mu);
}

void api_creds_wipe(struct api_creds *c)
{
	explicit_bzero(c, sizeof *c);
}
