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
#include <stdint.h>

#include "api/config.h"
#include "api/error.h"

#define API_CREDS_SOURCE_MAX 160 /* "profile dev (~/.aws/credentials)" */

/* One set of keys, as a request is signed with them. */
struct api_creds {
	char access_key_id[API_AKID_MAX];
	char secret_access_key[API_SECRET_MAX]; /* secret */
	char session_token[API_TOKEN_MAX];	/* secret; "" when none */
	double expires;				/* epoch s; 0 = never */
	char source[API_CREDS_SOURCE_MAX];	/* where they came from (no secrets) */
};

struct api_creds_provider;

/* Resolve the chain for cfg (its profile, and static keys when
 * cfg->have_credentials: those win, as the CLI's explicit keys do).
 * getenv_fn NULL means getenv. Returns NULL with err filled (one line
 * naming the source that is broken: "profile dev: credential_process
 * exited 1") when no source can be set up; a chain with no source at all
 * is not an error here: api_creds_get then fails naming every source tried. */
struct api_creds_provider *api_creds_provider_new(const struct api_config *cfg,
						  api_getenv_fn getenv_fn, struct api_error *err);
void api_creds_provider_free(struct api_creds_provider *p);

/* Current keys into out (refreshed first when they expire within 5
 * minutes, or when force_refresh after the service refused them).
 * 0, or a negative api_status with err one line naming the source. */
int api_creds_get(struct api_creds_provider *p, bool force_refresh, struct api_creds *out,
		  struct api_error *err);

/* Zero the secrets in c (explicit_bzero). */
void api_creds_wipe(struct api_creds *c);

#endif
