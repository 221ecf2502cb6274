/*
 * config.h - where and as whom api/ talks: the endpoint of each service,
 * the region, the profile and the static keys, resolved the way the AWS
 * CLI (botocore) does. The rest of the credential chain (shared files,
 * credential_process, container, instance metadata) is credentials.h,
 * which starts from the struct resolved here.
 *
 * Resolution order (first set wins):
 *   profile    --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, else "default".
 *              A profile named by any of them must exist in the config or
 *              credentials file.
 *   files      AWS_CONFIG_FILE (default ~/.aws/config) and
 *              AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials);
 *              $VAR and a leading ~ are expanded, as botocore does. A
 *              missing file is empty; a malformed one is an error naming
 *              file and line. Not read at all when the command line gives
 *              endpoint, region and keys (the demo).
 *   region     --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
 *              `region`, else us-east-1.
 *   endpoint   per service (api_config_endpoint): --endpoint-url (for every
 *              service), then unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or
 *              the profile's ignore_configured_endpoint_urls is "true":
 *              AWS_ENDPOINT_URL_<SERVICE> (QLDB, KINESIS, S3, CLOUDWATCH,
 *              STS), AWS_ENDPOINT_URL, the `endpoint_url` under the
 *              service's key in the profile's `services = NAME` section
 *              `[services NAME]` (which must exist), the profile's
 *              `endpoint_url` (botocore ConfiguredEndpointProvider); else
 *              https://<prefix>.REGION.amazonaws.com (prefixes qldb,
 *              kinesis, s3, monitoring, sts; .amazonaws.com.cn in cn-*).
 *   keys       the command line's explicit keys (the demo), else
 *              AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
 *              (or its old name AWS_SECURITY_TOKEN), except when --profile
 *              was given: then botocore drops the environment provider and
 *              the profile's keys are used (AWS_PROFILE alone does not).
 *
 * TLS verification is always on; nothing here turns it off.
 *
 * Secrets: secret_access_key and session_token are never printed; use
 * api_config_describe() for a loggable summary. api_config_wipe() zeroes
 * them before the struct goes away.
 *
 * Ownership: plain value type with fixed buffers; callers own it and may
 * copy it. The getenv function is a parameter so tests can resolve without
 * touching the process environment.
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
#define API_PATH_MAX 1024   /* the shared files' paths */
#define API_SOURCE_MAX 64   /* "AWS_ENDPOINT_URL_CLOUDWATCH", "profile region" */
#define API_DEFAULT_REGION "us-east-1"

/* The services qldbtop calls, by their SigV4 signing names. */
enum api_service {
	API_SVC_QLDB,	    /* "qldb" */
	API_SVC_KINESIS,    /* "kinesis" */
	API_SVC_S3,	    /* "s3" */
	API_SVC_CLOUDWATCH, /* "monitoring" (service id CloudWatch) */
	API_SVC_STS,	    /* "sts" */
	API_SVC_COUNT
};

/* Where the static keys in the struct came from. */
enum api_keys_origin {
	API_KEYS_NONE,	   /* none: credentials.h runs the rest of the chain */
	API_KEYS_EXPLICIT, /* the command line (the demo's pair) */
	API_KEYS_ENV,	   /* AWS_ACCESS_KEY_ID and friends */
};

struct api_config {
	char endpoint[API_URL_MAX]; /* QLDB's, no trailing '/' (= endpoints[API_SVC_QLDB]) */
	char region[API_REGION_MAX];
	char profile[API_PROFILE_MAX]; /* the profile in use; "default" when none named */
	char access_key_id[API_AKID_MAX];
	char secret_access_key[API_SECRET_MAX]; /* secret */
	char session_token[API_TOKEN_MAX];	/* secret, "" when none */
	bool have_credentials;			/* static keys above, which win */

	/* issue 11 */
	enum api_keys_origin keys_origin;
	bool profile_from_flag;		/* --profile: env keys are ignored */
	bool profile_named;		/* --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE */
	bool files_read;		/* the shared files were consulted */
	char config_file[API_PATH_MAX]; /* expanded paths, "" if unread */
	char credentials_file[API_PATH_MAX];
	char region_source[API_SOURCE_MAX];	    /* "--region", "AWS_REGION", ... */
	char endpoints[API_SVC_COUNT][API_URL_MAX]; /* no trailing '/' */
	char endpoint_sources[API_SVC_COUNT][API_SOURCE_MAX];
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
 * endpoint URL or region, an over-long value, a named profile that does
 * not exist or a malformed shared file is. Returns 0 or a negative
 * api_status with err filled. getenv_fn NULL means getenv. */
int api_config_resolve(struct api_config *cfg, const struct api_config_overrides *ov,
		       api_getenv_fn getenv_fn, struct api_error *err);

/* The endpoint for service ("qldb", "kinesis", "s3", "monitoring" or
 * "cloudwatch", "sts"; case-insensitive) into out (no trailing '/').
 * 0, or API_ERR_CONFIG for an unknown service, API_ERR_LIMIT when it does
 * not fit. */
int api_config_endpoint(const struct api_config *cfg, const char *service, char *out, size_t cap,
			struct api_error *err);

/* The service for a name as api_config_endpoint takes it, or -1. */
int api_config_service(const char *service);

/* The signing name of a service ("monitoring" for CloudWatch). */
const char *api_config_service_name(enum api_service s);

/* A one-line summary safe to show or log: endpoint, region, profile, the
 * first 4 characters of the key id, and whether a token is present. */
void api_config_describe(const struct api_config *cfg, char *buf, size_t cap);

/* Zero the secrets (explicit_bzero) before cfg is freed or reused. */
void api_config_wipe(struct api_config *cfg);

/* path with $VAR / ${VAR} and a leading ~ or ~/ expanded, as botocore's
 * os.path.expandvars + expanduser (unknown variables stay as written).
 * 0, or API_ERR_LIMIT when it does not fit. */
int api_config_expand_path(const char *path, api_getenv_fn getenv_fn, char *out, size_t cap,
			   struct api_error *err);

#endif
