/*
 * credentials.h - where the keys come from: the AWS CLI's credential chain
 * (env keys and token; shared `credentials` and `config` files with
 * --profile/AWS_PROFILE; `credential_process`; container credentials;
 * IMDSv2), resolved once into a provider that hands out current keys and
 * refreshes temporary ones before they expire.
 *
 * INTERFACE CONTRACT (issue 11): api/http.c calls api_creds_get before
 * signing each request; pollers, the auditor and the headless commands
 * share one provider. The implementation behind it is credentials.c.
 *
 * The chain, in botocore's order (create_credential_resolver); the first
 * source that is configured ends the search, and a configured source that
 * fails is an error naming it (botocore raises there too), except the
 * instance metadata, whose failure means "no credentials":
 *   1. static keys in cfg: the command line's, or the environment's
 *      (AWS_ACCESS_KEY_ID without AWS_SECRET_ACCESS_KEY is an error);
 *      skipped when --profile was given (config.h);
 *   2. refused with a one-line pointer to credential_process: assume role
 *      (role_arn), web identity (web_identity_token_file, or
 *      AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN), SSO (sso_start_url,
 *      sso_session);
 *   3. aws_access_key_id / aws_secret_access_key / aws_session_token in
 *      the profile's section of the credentials file;
 *   4. the profile's credential_process (either file);
 *   5. the same keys in the profile's section of the config file;
 *   6. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 *      _FULL_URI);
 *   7. IMDSv2, unless AWS_EC2_METADATA_DISABLED=true.
 * Temporary keys (4, 6, 7 with an Expiration) are refreshed when they
 * expire within API_CREDS_REFRESH_AHEAD_S; when a refresh fails while the
 * old keys are still valid, those are returned with a warning and the
 * refresh is retried after API_CREDS_RETRY_S.
 *
 * Threads: api_creds_get is safe from any thread (a mutex guards the
 * cached keys; a refresh runs in the calling thread, at most one at a
 * time). Secrets: struct api_creds is wiped with api_creds_wipe; no error
 * message ever contains a secret or a token.
 *
 * Ownership: api_creds_provider_new copies what it needs from cfg;
 * api_creds_provider_free wipes and frees. Out-structs are caller-owned.
 */
#ifndef QLDBTOP_API_CREDENTIALS_H
#define QLDBTOP_API_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/config.h"
#include "api/error.h"

#define API_CREDS_SOURCE_MAX 160      /* "profile dev (~/.aws/credentials)" */
#define API_CREDS_REFRESH_AHEAD_S 300 /* refresh 5 minutes before expiry */
#define API_CREDS_RETRY_S 10	      /* after a failed refresh, old keys valid */
#define API_CREDS_NONE_RETRY_S 60     /* no keys: instance metadata retried */

/* One set of keys, as a request is signed with them. */
struct api_creds {
	char access_key_id[API_AKID_MAX];
	char secret_access_key[API_SECRET_MAX]; /* secret */
	char session_token[API_TOKEN_MAX];	/* secret; "" when none */
	double expires;				/* epoch s; 0 = never */
	char source[API_CREDS_SOURCE_MAX];	/* where they came from (no secrets) */
	/* "" normally; else one line saying a refresh failed and these older,
	 * still valid keys are used (show it, keep going) */
	char warning[API_ERROR_MSG_MAX];
};

struct api_creds_provider;

/* Resolve the chain for cfg (its profile, and static keys when
 * cfg->have_credentials: those win, as the CLI's explicit keys do).
 * getenv_fn NULL means getenv. A fetching source (credential_process,
 * container, instance metadata) is fetched once here, so a broken one
 * shows at start-up: NULL with err one line naming it ("credential_process
 * for profile dev exited 1: ..."). A chain with no source at all is not an
 * error here: api_creds_get then fails naming every source tried ("no
 * credentials: tried environment, profile default (shared files), ...").
 * Blocks for at most the source's budget: 10 s for a process, 3 attempts
 * of 2 s 1 s apart for container credentials, 3 calls of 1 s for IMDS. */
struct api_creds_provider *api_creds_provider_new(const struct api_config *cfg,
						  api_getenv_fn getenv_fn, struct api_error *err);
void api_creds_provider_free(struct api_creds_provider *p);

/* Current keys into out (refreshed first when they expire within 5
 * minutes, or when force_refresh after the service refused them; static
 * keys ignore force_refresh). out->warning says when a refresh failed and
 * older keys, still valid, are handed out. 0, or a negative api_status
 * with err one line naming the source. */
int api_creds_get(struct api_creds_provider *p, bool force_refresh, struct api_creds *out,
		  struct api_error *err);

/* Zero the secrets in c (explicit_bzero). */
void api_creds_wipe(struct api_creds *c);

/* What the provider uses, one line without secrets ("credential_process
 * (profile dev)", "none: ..."), for logs and the probe. */
void api_creds_describe(struct api_creds_provider *p, char *buf, size_t cap);

#endif
