/*
 * credentials.c - the credential chain (see credentials.h). This first
 * version serves the static keys of the resolved config only; the chain
 * (files, credential_process, container, IMDSv2) replaces it.
 */
#include "api/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_creds_provider {
	struct api_creds keys;
	bool have;
};

struct api_creds_provider *api_creds_provider_new(const struct api_config *cfg,
						  api_getenv_fn getenv_fn, struct api_error *err)
{
	(void)getenv_fn;
	struct api_creds_provider *p = calloc(1, sizeof *p);
	if (!p) {
		api_error_set(err, API_ERR_NOMEM, "credentials: out of memory");
		return NULL;
	}
	if (cfg->have_credentials) {
		snprintf(p->keys.access_key_id, sizeof p->keys.access_key_id, "%s",
			 cfg->access_key_id);
		snprintf(p->keys.secret_access_key, sizeof p->keys.secret_access_key, "%s",
			 cfg->secret_access_key);
		snprintf(p->keys.session_token, sizeof p->keys.session_token, "%s",
			 cfg->session_token);
		snprintf(p->keys.source, sizeof p->keys.source, "environment");
		p->have = true;
	}
	return p;
}

void api_creds_provider_free(struct api_creds_provider *p)
{
	if (!p)
		return;
	api_creds_wipe(&p->keys);
	free(p);
}

int api_creds_get(struct api_creds_provider *p, bool force_refresh, struct api_creds *out,
		  struct api_error *err)
{
	(void)force_refresh;
	if (!p->have)
		return api_error_set(
			err, API_ERR_CONFIG,
			"no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
	*out = p->keys;
	return 0;
}

void api_creds_wipe(struct api_creds *c)
{
	explicit_bzero(c, sizeof *c);
}
