/*
 * fuzz_api_ini.c - libFuzzer target for the AWS shared config and
 * credentials files (api/ini.c) and the resolution built on them:
 * api/config.c (profile, region, endpoints), api/cred_profile.c (the
 * profile across both files) and api/credentials.c (the chain, up to the
 * point where a fetching source would run).
 *
 * Input: the config file's bytes, then after a line "%%credentials" the
 * credentials file's, then after a line "%%env" one NAME=VALUE per line:
 * the environment the resolution sees (a fake getenv: the process's own is
 * never read), where --profile=, --region=, --endpoint-url=,
 * --access-key-id= and --secret-access-key= are the command line's
 * overrides instead. AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and HOME
 * always name the harness's temporary files, rewritten for each input.
 *
 * No credential source ever runs: the link wraps cred_process_run,
 * cred_container_fetch and cred_imds_fetch (the __wrap_ functions below
 * refuse, as a source that failed), and cred_http_call aborts if reached.
 * So a credential_process line is resolved and chosen, never executed, and
 * nothing opens a socket.
 *
 * FUZZ_TRACE=1 in the environment prints what each input resolved to.
 *
 * Checks besides crashes, leaks and UBSan: a refusal has a negative
 * status and a non-empty one-line message; every parsed entry is
 * reachable through ini_section / ini_value; ini_shell_split's words fit
 * their buffer; a resolved endpoint has no trailing '/'.
 */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/config.h"
#include "api/cred_source.h"
#include "api/credentials.h"
#include "api/ini.h"

#define FUZZ_ENV_MAX 32

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_api_ini: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

/* ---- the sources that would fetch: never run here ---- */

int __wrap_cred_process_run(const char *command, const char *profile, int timeout_ms,
			    struct api_creds *out, struct api_error *err);
int __wrap_cred_process_run(const char *command, const char *profile, int timeout_ms,
			    struct api_creds *out, struct api_error *err)
{
	(void)command, (void)timeout_ms;
	memset(out, 0, sizeof *out);
	return api_error_set(err, API_ERR_CONFIG,
			     "credential_process for profile %.60s: not run by the fuzz harness",
			     profile);
}

int __wrap_cred_container_fetch(const struct cred_container *c, struct api_creds *out,
				struct api_error *err);
int __wrap_cred_container_fetch(const struct cred_container *c, struct api_creds *out,
				struct api_error *err)
{
	(void)c;
	memset(out, 0, sizeof *out);
	return api_error_set(err, API_ERR_TRANSPORT, "container credentials: not fetched here");
}

int __wrap_cred_imds_fetch(const struct cred_imds *c, struct api_creds *out, struct api_error *err);
int __wrap_cred_imds_fetch(const struct cred_imds *c, struct api_creds *out, struct api_error *err)
{
	(void)c;
	memset(out, 0, sizeof *out);
	return api_error_set(err, API_ERR_TRANSPORT, "instance metadata: not fetched here");
}

int __wrap_cred_http_call(const char *what, const char *method, const char *url, const char *shown,
			  const char *const *headers, long timeout_ms, long *status, char *body,
			  size_t *len, struct api_error *err);
int __wrap_cred_http_call(const char *what, const char *method, const char *url, const char *shown,
			  const char *const *headers, long timeout_ms, long *status, char *body,
			  size_t *len, struct api_error *err)
{
	(void)what, (void)method, (void)shown, (void)headers, (void)timeout_ms;
	(void)status, (void)body, (void)len, (void)err;
	fuzz_fail("a credential source made an HTTP call", url);
	return API_ERR_TRANSPORT;
}

/* ---- the fake environment ---- */

struct fuzz_var {
	const char *name, *value;
};
static struct fuzz_var fuzz_env[FUZZ_ENV_MAX];
static size_t fuzz_n_env;
static char fuzz_dir[64], fuzz_config[96], fuzz_creds[96];

static const char *fuzz_getenv(const char *name)
{
	if (strcmp(name, "AWS_CONFIG_FILE") == 0)
		return fuzz_config;
	if (strcmp(name, "AWS_SHARED_CREDENTIALS_FILE") == 0)
		return fuzz_creds;
	if (strcmp(name, "HOME") == 0)
		return fuzz_dir;
	for (size_t i = 0; i < fuzz_n_env; i++)
		if (strcmp(fuzz_env[i].name, name) == 0)
			return fuzz_env[i].value;
	return NULL;
}

static void fuzz_check_err(int rc, const struct api_error *e, const char *where)
{
	if (rc == 0)
		return;
	if (rc > 0 || e->status != rc || !e->msg[0])
		fuzz_fail("a refusal without its status or message", where);
	for (const char *p = e->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fuzz_fail("a message that is not one line", e->msg);
}

static void fuzz_write(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		fuzz_fail("cannot write the temporary file", path);
}

/* ---- the parsed file ---- */

static void fuzz_walk_ini(const uint8_t *p, size_t n, const char *what)
{
	struct ini_file f;
	memset(&f, 0, sizeof f);
	struct api_error err;
	api_error_clear(&err);
	int rc = ini_parse((const char *)p, n, what, &f, &err);
	fuzz_check_err(rc, &err, what);
	for (size_t i = 0; !rc && i < f.n; i++) {
		const struct ini_section *s = &f.sections[i];
		if (ini_section(&f, s->name) != s)
			fuzz_fail("a section not found by its own name", s->name);
		for (size_t k = 0; k < s->n; k++) {
			const struct ini_entry *e = &s->entries[k];
			if (ini_value(&f, s, e->key) != e->value)
				fuzz_fail("an entry not found by its own key", e->key);
			for (const char *c = e->key; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					fuzz_fail("a key that is not lower-cased", e->key);
			if (ini_is_nested(e->value)) {
				char out[256];
				ini_nested_value(e->value, "endpoint_url", out, sizeof out);
				ini_nested_value(e->value, "", out, 1);
			}
			char buf[512], *words[INI_WORDS_MAX + 1];
			size_t nw = 0;
			const char *why = NULL;
			if (ini_shell_split(e->value, buf, sizeof buf, words, INI_WORDS_MAX, &nw,
					    &why) == 0) {
				if (nw > INI_WORDS_MAX || words[nw] != NULL)
					fuzz_fail("shell split: words not NULL-terminated", NULL);
				for (size_t w = 0; w < nw; w++)
					if (words[w] < buf || words[w] >= buf + sizeof buf)
						fuzz_fail("shell split: a word outside its buffer",
							  NULL);
			} else if (!why || !why[0]) {
				fuzz_fail("shell split refused without saying why", e->value);
			}
		}
	}
	ini_free(&f);
}

/* FUZZ_TRACE=1: say what each input resolved to (to check the seeds) */
static bool fuzz_trace(void)
{
	static int trace = -1;
	if (trace < 0)
		trace = getenv("FUZZ_TRACE") != NULL;
	return trace;
}

/* ---- one input ---- */

static bool fuzz_mkdir(const char *base)
{
	snprintf(fuzz_dir, sizeof fuzz_dir, "%.40s/fuzz_api_ini.XXXXXX", base);
	return mkdtemp(fuzz_dir) != NULL;
}

static void fuzz_cleanup(void)
{
	unlink(fuzz_config);
	unlink(fuzz_creds);
	rmdir(fuzz_dir);
}

static const uint8_t *fuzz_find(const uint8_t *p, size_t n, const char *marker)
{
	size_t m = strlen(marker);
	for (size_t i = 0; i + m <= n; i++)
		if ((i == 0 || p[i - 1] == '\n') && memcmp(p + i, marker, m) == 0 &&
		    (i + m == n || p[i + m] == '\n'))
			return p + i;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_dir[0]) {
		/* tmpfs when there is one: two small files are rewritten per input */
		const char *t = getenv("TMPDIR");
		if (!fuzz_mkdir("/dev/shm") && !fuzz_mkdir(t && *t ? t : "/tmp"))
			fuzz_fail("cannot make a temporary directory", fuzz_dir);
		snprintf(fuzz_config, sizeof fuzz_config, "%s/config", fuzz_dir);
		snprintf(fuzz_creds, sizeof fuzz_creds, "%s/credentials", fuzz_dir);
		atexit(fuzz_cleanup);
		/* held for the run: the provider's own init and cleanup then only
		 * count, instead of loading TLS each input */
		curl_global_init(CURL_GLOBAL_DEFAULT);
	}
	const uint8_t *end = data + size;
	const uint8_t *cm = fuzz_find(data, size, "%%credentials");
	const uint8_t *em = fuzz_find(data, size, "%%env");
	if (cm && em && em < cm)
		cm = NULL; /* env before credentials: no credentials file */
	const uint8_t *cfg_end = cm ? cm : em ? em : end;
	const uint8_t *creds = cm ? cm + strlen("%%credentials") : end;
	const uint8_t *creds_end = em && em > creds ? em : end;
	if (creds < creds_end && *creds == '\n')
		creds++;
	size_t cfg_len = (size_t)(cfg_end - data), creds_len = (size_t)(creds_end - creds);

	/* 1. the files as ini_parse reads them, from memory */
	fuzz_walk_ini(data, cfg_len, "config");
	fuzz_walk_ini(creds, creds_len, "credentials");

	/* 2. the same files through the resolution, from disk */
	fuzz_write(fuzz_config, data, cfg_len);
	fuzz_write(fuzz_creds, creds, creds_len);
	char *env = NULL;
	struct api_config_overrides ov = { 0 };
	fuzz_n_env = 0;
	if (em) {
		const uint8_t *e = em + strlen("%%env");
		env = strndup((const char *)e, (size_t)(end - e));
		for (char *line = env ? strtok(env, "\n") : NULL; line; line = strtok(NULL, "\n")) {
			char *eq = strchr(line, '=');
			if (!eq)
				continue;
			*eq = '\0';
			const char *v = eq + 1;
			if (strcmp(line, "--profile") == 0)
				ov.profile = v;
			else if (strcmp(line, "--region") == 0)
				ov.region = v;
			else if (strcmp(line, "--endpoint-url") == 0)
				ov.endpoint_url = v;
			else if (strcmp(line, "--access-key-id") == 0)
				ov.access_key_id = v;
			else if (strcmp(line, "--secret-access-key") == 0)
				ov.secret_access_key = v;
			else if (fuzz_n_env < FUZZ_ENV_MAX)
				fuzz_env[fuzz_n_env++] = (struct fuzz_var){ line, v };
		}
	}
	struct api_config *cfg = calloc(1, sizeof *cfg);
	struct api_error err;
	api_error_clear(&err);
	int rc = cfg ? api_config_resolve(cfg, &ov, fuzz_getenv, &err) : -1;
	if (cfg)
		fuzz_check_err(rc, &err, "api_config_resolve");
	if (cfg && rc && fuzz_trace())
		fprintf(stderr, "refused: %s\n", err.msg);
	if (cfg && rc == 0) {
		static const char *const SVC[] = { "qldb",	 "kinesis", "s3",  "monitoring",
						   "cloudwatch", "sts",	    "nope" };
		for (size_t i = 0; i < sizeof SVC / sizeof SVC[0]; i++) {
			char url[API_URL_MAX];
			struct api_error e2;
			int r2 = api_config_endpoint(cfg, SVC[i], url, sizeof url, &e2);
			fuzz_check_err(r2, &e2, "api_config_endpoint");
			size_t ul = r2 ? 0 : strlen(url);
			if (ul && url[ul - 1] == '/')
				fuzz_fail("an endpoint with a trailing '/'", url);
		}
		char line[512];
		api_config_describe(cfg, line, sizeof line);
		struct api_creds_provider *p = api_creds_provider_new(cfg, fuzz_getenv, &err);
		if (fuzz_trace())
			fprintf(stderr, "resolved: %s; provider: %s\n", line, p ? "made" : err.msg);
		if (!p) {
			fuzz_check_err(err.status ? err.status : -1, &err,
				       "api_creds_provider_new");
		} else {
			struct api_creds *c = calloc(1, sizeof *c);
			if (c) {
				struct api_error e3;
				int r3 = api_creds_get(p, false, c, &e3);
				fuzz_check_err(r3, &e3, "api_creds_get");
				if (r3 == 0 && !c->access_key_id[0])
					fuzz_fail("credentials handed out without a key id", NULL);
				r3 = api_creds_get(p, true, c, &e3);
				fuzz_check_err(r3, &e3, "api_creds_get (refresh)");
				api_creds_wipe(c);
				free(c);
			}
			api_creds_describe(p, line, sizeof line);
			if (fuzz_trace())
				fprintf(stderr, "credentials: %s\n", line);
			api_creds_provider_free(p);
		}
		api_config_wipe(cfg);
	}
	free(cfg);
	free(env);
	return 0;
}
