/*
 * config.h - where and as whom api/ talks: endpoint URL, region and
 * credentials, resolved the way the AWS CLI does for the parts built so far.
 *
 * Resolution order (first set wins):
 *   endpoint   --endpoint-url, AWS_ENDPOINT_URL_QLDB, AWS_ENDPOINT_URL,
 *              else https://qldb.REGION.amazonaws.com
 *   region     --region, AWS_REGION, AWS_DEFAULT_REGION, else us-east-1
 *   keys       AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
 * The full credential chain (profiles, shared files, credential_process,
 * container and instance metadata) comes in a later issue; --profile is
 * accepted and kept but not yet used to find keys.
 *
 * Secrets: secret_access_key and session_token are never printed; use
 * api_config_describe() for a loggable summary. api_config_wipe() zeroes
 * them before the struct goes away.
 *
 * Ownership: plain value type with fixed buffers; callers own it. The
 * getenv function is a parameter so tests can resolve without touching
 * the process environment.
 */
#ifndef QLDBTOP_API_CONFIG_H
#define QLDBTOP_API_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

#define API_URL_MAX 512	    /* endpoint URL, scheme://host:port[/path] */
#define API_REGION_MAX 64   /* "us-east-1"; AWS regions are far shorter */
#define API_PROFILE_MAX 128 /* profile names in ~/.aws/config */
#define API_AKID_MAX 128    /* access key ids are 16..128 chars */
#define API_SECRET_MAX 256  /* secret keys are 40 chars today */
#define API_TOKEN_MAX 4096  /* session tokens run to ~2 KB; room for growth */
#define API_DEFAULT_REGION "us-east-1"

struct api_config {
	char endpoint[API_URL_MAX]; /* no trailing '/' */
	char region[API_REGION_MAX];
	char profile[API_PROFILE_MAX]; /* accepted, not yet used */
	char access_key_id[API_AKID_MAX];
	char secret_access_key[API_SECRET_MAX]; /* secret */
	char session_token[API_TOKEN_MAX];	/* secret, "" when none */
	bool have_credentials;
};

/* Values from the command line; NULL means "not given". */
struct api_config_overrides {
	const char *endpoint_url;
	const char *region;
	const char *profile;
	/* explicit keys (the demo's); when set, the environment is not read */
	const char *access_key_id;
	const char *secret_access_key;
};

typedef const char *(*api_getenv_fn)(const char *name);

/* Resolve into cfg. Missing credentials are not an error here (the
 * dashboard starts anyway and shows the problem in its panes); a bad
 * endpoint URL or region, or an over-long value, is. Returns 0 or a
 * negative api_status with err filled. getenv_fn NULL means getenv. */
int api_config_resolve(struct api_config *cfg, const struct api_config_overrides *ov,
		       api_getenv_fn getenv_fn, struct api_error *err);

/* A one-line summary safe to show or log: endpoint, region, the first 4
 * characters of the key id, and whether a token is present. */
void api_config_describe(const struct api_config *cfg, char *buf, size_t cap);

/* Zero the secrets (explicit_bzero) before cfg is freed or reused. */
void api_config_wipe(struct api_config *cfg);

#endif
