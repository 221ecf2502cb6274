/*
 * cred_profile.c - a profile across the config and credentials files
 * (see cred_profile.h).
 */
#include "api/cred_profile.h"

#include <string.h>

/* The second word of a "profile NAME" / "services NAME" header, as
 * botocore: startswith(prefix), shlex.split, exactly two words. Copies it
 * into out; false when the header is not of that kind. */
static bool header_name(const char *header, const char *prefix, char *out, size_t cap)
{
	if (strncmp(header, prefix, strlen(prefix)) != 0)
		return false;
	char buf[512];
	char *words[4];
	size_t n;
	const char *why;
	if (ini_shell_split(header, buf, sizeof buf, words, 4, &n, &why) || n != 2)
		return false;
	size_t len = strlen(words[1]);
	if (len >= cap)
		return false;
	memcpy(out, words[1], len + 1);
	return true;
}

/* The config file section for profile name: the last of `[default]` and
 * `[profile X]` sections that map to it (later sections replace earlier
 * ones in botocore's dict). */
static const struct ini_section *config_section(const struct ini_file *f, const char *name)
{
	const struct ini_section *found = NULL;
	char got[512];
	for (size_t i = 0; i < f->n; i++) {
		const char *h = f->sections[i].name;
		if ((header_name(h, "profile", got, sizeof got) && strcmp(got, name) == 0) ||
		    (strcmp(h, "default") == 0 && strcmp(name, "default") == 0))
			found = &f->sections[i];
	}
	return found;
}

int cred_profile_load(struct cred_profile *p, const char *name, const char *config_path,
		      const char *creds_path, struct api_error *err)
{
	memset(p, 0, sizeof *p);
	p->name = name;
	if (ini_load(config_path, &p->config, err))
		return err->status;
	if (ini_load(creds_path, &p->creds, err)) {
		ini_free(&p->config);
		return err->status;
	}
	p->in_config = config_section(&p->config, name);
	p->in_creds = ini_section(&p->creds, name);
	return 0;
}

void cred_profile_free(struct cred_profile *p)
{
	ini_free(&p->config);
	ini_free(&p->creds);
	memset(p, 0, sizeof *p);
}

bool cred_profile_exists(const struct cred_profile *p)
{
	return p->in_config || p->in_creds;
}

const char *cred_profile_creds_value(const struct cred_profile *p, const char *key)
{
	return ini_value(&p->creds, p->in_creds, key);
}

const char *cred_profile_config_value(const struct cred_profile *p, const char *key)
{
	return ini_value(&p->config, p->in_config, key);
}

const char *cred_profile_value(const struct cred_profile *p, const char *key)
{
	const char *v = cred_profile_creds_value(p, key);
	return v ? v : cred_profile_config_value(p, key);
}

const struct ini_section *cred_profile_services(const struct cred_profile *p, const char *name)
{
	const struct ini_section *found = NULL;
	char got[512];
	for (size_t i = 0; i < p->config.n; i++)
		if (header_name(p->config.sections[i].name, "services", got, sizeof got) &&
		    strcmp(got, name) == 0)
			found = &p->config.sections[i];
	return found;
}
