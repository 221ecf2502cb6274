/*
 * creds_probe.c - resolve configuration and credentials exactly as qldbtop
 * does (api_config_resolve, then api_creds_provider_new and api_creds_get)
 * and print what was found, never a secret:
 *
 *   creds_probe [--profile P] [--region R] [--endpoint-url URL] [--gets N]
 *
 * Output, one "name: value" per line: source, region (and where it came
 * from), one "endpoint SERVICE" line per service, key id, "secret:" and
 * "token:" as the first 16 hex digits of their SHA-256 (so a test can
 * check which secret was picked without it being printed), expires,
 * describe (api_config_describe). With --gets N, api_creds_get runs N
 * times more, each printing "get I: KEYID token sha256:... source ...".
 * On any error: "creds_probe: <message>" on stderr, exit 1; bad usage
 * exits 2. The environment is read as it is.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/config.h"
#include "api/credentials.h"

static void digest(const char *s, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static int usage(void)
{
	fprintf(stderr, "usage: creds_probe [--profile P] [--region R] [--endpoint-url URL] "
			"[--gets N]\n");
	return 2;
}

static void print_keys(const char *label, const struct api_creds *c)
{
	char s[17], t[17];
	digest(c->secret_access_key, s);
	digest(c->session_token, t);
	if (label)
		printf("%s: %s token %s%s source %s\n", label, c->access_key_id,
		       c->session_token[0] ? "sha256:" : "none", c->session_token[0] ? t : "",
		       c->source);
	else
		printf("key id: %s\nsecret: sha256:%s\ntoken: %s%s\n", c->access_key_id, s,
		       c->session_token[0] ? "sha256:" : "none", c->session_token[0] ? t : "");
	if (c->warning[0])
		printf("warning: %s\n", c->warning);
}

int main(int argc, char **argv)
{
	struct api_config_overrides ov = { 0 };
	long gets = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			return usage();
		if (strcmp(a, "--profile") == 0)
			ov.profile = argv[++i];
		else if (strcmp(a, "--region") == 0)
			ov.region = argv[++i];
		else if (strcmp(a, "--endpoint-url") == 0)
			ov.endpoint_url = argv[++i];
		else if (strcmp(a, "--gets") == 0)
			gets = strtol(argv[++i], NULL, 10);
		else
			return usage();
	}
	struct api_config cfg;
	struct api_error err;
	if (api_config_resolve(&cfg, &ov, NULL, &err)) {
		fprintf(stderr, "creds_probe: %s\n", err.msg);
		return 1;
	}
	struct api_creds_provider *p = api_creds_provider_new(&cfg, NULL, &err);
	if (!p) {
		fprintf(stderr, "creds_probe: %s\n", err.msg);
		api_config_wipe(&cfg);
		return 1;
	}
	struct api_creds c;
	int rc = api_creds_get(p, false, &c, &err);
	if (rc) {
		fprintf(stderr, "creds_probe: %s\n", err.msg);
		api_creds_provider_free(p);
		api_config_wipe(&cfg);
		return 1;
	}
	printf("source: %s\n", c.source);
	printf("profile: %s\n", cfg.profile);
	printf("region: %s (%s)\n", cfg.region, cfg.region_source);
	for (int s = 0; s < API_SVC_COUNT; s++) {
		char url[API_URL_MAX];
		if (api_config_endpoint(&cfg, api_config_service_name((enum api_service)s), url,
					sizeof url, &err)) {
			fprintf(stderr, "creds_probe: %s\n", err.msg);
			return 1;
		}
		printf("endpoint %s: %s (%s)\n", api_config_service_name((enum api_service)s), url,
		       cfg.endpoint_sources[s]);
	}
	print_keys(NULL, &c);
	printf("expires: %s\n", c.expires ? "yes" : "never");
	char line[512];
	api_config_describe(&cfg, line, sizeof line);
	printf("describe: %s\n", line);
	api_creds_describe(p, line, sizeof line);
	printf("provider: %s\n", line);
	api_creds_wipe(&c);
	for (long i = 1; i <= gets; i++) {
		if (api_creds_get(p, false, &c, &err)) {
			fprintf(stderr, "creds_probe: get %ld: %s\n", i, err.msg);
			rc = 1;
			break;
		}
		char label[32];
		snprintf(label, sizeof label, "get %ld", i);
		print_keys(label, &c);
		api_creds_wipe(&c);
	}
	api_creds_provider_free(p);
	api_config_wipe(&cfg);
	return rc;
}
