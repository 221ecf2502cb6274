/*
 * cred_source.h - the fetching credential sources behind credentials.c:
 * credential_process (cred_process.c), container credentials
 * (cred_container.c), IMDSv2 (cred_imds.c), and what they share
 * (cred_http.c: a small unsigned libcurl call, the credentials JSON and
 * its RFC 3339 expiry). Internal to api/.
 *
 * Every function fills a struct api_creds (source label included) or an
 * api_error whose one line names the source and the problem, never a
 * secret, a token or the body of an answer.
 *
 * Ownership: all buffers are the caller's; nothing is kept between calls.
 */
#ifndef QLDBTOP_API_CRED_SOURCE_H
#define QLDBTOP_API_CRED_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "api/config.h"
#include "api/credentials.h"
#include "api/error.h"

#define CRED_BODY_MAX (64 * 1024)      /* credential endpoints answer < 2 KB */
#define CRED_PROCESS_TIMEOUT_MS 10000  /* a stuck helper never hangs us */
#define CRED_CONTAINER_TIMEOUT_MS 2000 /* botocore ContainerMetadataFetcher */
#define CRED_CONTAINER_ATTEMPTS 3      /* ditto, 1 s apart */
#define CRED_IMDS_TIMEOUT_MS 1000      /* metadata_service_timeout */
#define CRED_IMDS_ATTEMPTS 1	       /* metadata_service_num_attempts */
#define CRED_IMDS_TOKEN_TTL "21600"    /* seconds, what the SDKs ask for */
#define CRED_IMDS_DEFAULT "http://169.254.169.254"
#define CRED_CONTAINER_HOST "http://169.254.170.2"

/* ---- cred_http.c ---- */

/* One unsigned HTTP call: method to url with headers (NULL-terminated
 * "Name: value" lines, may be NULL), a total timeout, TLS verification on,
 * no redirects, at most CRED_BODY_MAX bytes of body into the caller's
 * body[CRED_BODY_MAX + 1] (NUL-terminated). what names the source in
 * messages ("container credentials"); shown is the URL as messages print
 * it. 0 with *status, or API_ERR_TRANSPORT / API_ERR_LIMIT. */
int cred_http_call(const char *what, const char *method, const char *url, const char *shown,
		   const char *const *headers, long timeout_ms, long *status, char *body,
		   size_t *len, struct api_error *err);

/* The URL as messages print it: scheme://host[:port]/path, without user
 * info, query or fragment. */
void cred_http_shown(const char *url, char *out, size_t cap);

/* Take keys from a credentials JSON object: AccessKeyId, SecretAccessKey,
 * token_key ("SessionToken" or "Token") and Expiration (RFC 3339). With
 * strict_aws true the token and Expiration are required (container, IMDS);
 * otherwise they may be absent or null (credential_process). Values are
 * checked (non-empty keys, no control bytes, no ':' in the key id) and
 * never echoed. 0 or API_ERR_PARSE / API_ERR_LIMIT naming what. */
int cred_json_take(const char *body, size_t len, const char *what, const char *token_key,
		   bool strict_aws, struct api_creds *out, struct api_error *err);

/* RFC 3339 / ISO 8601 time ("2026-12-05T18:00:00Z", fractions, +hh:mm)
 * to epoch seconds. 0 or -1. */
int cred_time_parse(const char *s, double *epoch);

/* The time as "2026-12-05T18:00:00Z" for messages. */
void cred_time_format(double epoch, char *out, size_t cap);

/* ---- cred_process.c ---- */

/* Run command (split as shlex.split, no shell; stdin /dev/null; stdout
 * and stderr captured; its own process group, killed after timeout_ms)
 * and read {Version:1, AccessKeyId, SecretAccessKey, SessionToken?,
 * Expiration?} from its stdout. Messages name the profile: "credential_
 * process for profile p exited 1: <first stderr line if it looks safe>". */
int cred_process_run(const char *command, const char *profile, int timeout_ms,
		     struct api_creds *out, struct api_error *err);

/* The helper's stdout (body[len] must be NUL) as cred_process_run reads
 * it: strict JSON, Version the number 1, then cred_json_take with
 * "SessionToken" and Expiration optional. Messages name the profile and
 * never show the output. Pure; what the fuzz harness calls. */
int cred_process_parse_output(const char *body, size_t len, const char *profile,
			      struct api_creds *out, struct api_error *err);

/* ---- cred_container.c ---- */

struct cred_container {
	char url[API_URL_MAX];
	char shown[API_URL_MAX];
	char token_file[API_PATH_MAX]; /* re-read on every fetch; wins over token */
	char token[API_TOKEN_MAX];     /* secret */
	int attempts;
	long timeout_ms;
};

/* From AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (http://169.254.170.2 +
 * it) or AWS_CONTAINER_CREDENTIALS_FULL_URI (host a loopback address or
 * one of 169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost, as
 * botocore allows), and the authorization token variables. *configured
 * false when neither URI variable is set. */
int cred_container_setup(api_getenv_fn env, struct cred_container *c, bool *configured,
			 struct api_error *err);
int cred_container_fetch(const struct cred_container *c, struct api_creds *out,
			 struct api_error *err);

/* ---- cred_imds.c ---- */

struct cred_imds {
	char endpoint[API_URL_MAX]; /* no trailing '/' */
	long timeout_ms;
	int attempts;
	bool v1_disabled; /* AWS_EC2_METADATA_V1_DISABLED: no IMDSv1 fallback */
};

/* AWS_EC2_METADATA_DISABLED=true gives *disabled; the endpoint comes from
 * AWS_EC2_METADATA_SERVICE_ENDPOINT, else profile_endpoint (the profile's
 * ec2_metadata_service_endpoint, may be NULL), else 169.254.169.254;
 * AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS as botocore. */
int cred_imds_setup(api_getenv_fn env, const char *profile_endpoint, struct cred_imds *c,
		    bool *disabled, struct api_error *err);
/* PUT /latest/api/token, GET .../security-credentials/ (the role), GET
 * .../ROLE, each with the token. */
int cred_imds_fetch(const struct cred_imds *c, struct api_creds *out, struct api_error *err);

#endif
