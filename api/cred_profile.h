/*
 * cred_profile.h - one profile as botocore sees it across the two shared
 * files (botocore.configloader.build_profile_map and Session.full_config):
 *
 *   config file       `[profile NAME]` (the header split as shlex.split and
 *                     taken when it gives two words, the first starting with
 *                     "profile"), and `[default]`; when both `[default]` and
 *                     `[profile default]` exist, the one later in the file
 *                     wins whole. Other `[NAME]` sections are not profiles.
 *                     `[services NAME]` sections hold per-service settings.
 *   credentials file  `[NAME]` exactly.
 *   merged view       the credentials file's keys over the config file's.
 *
 * Ownership: cred_profile_load fills p (which owns both parsed files);
 * cred_profile_free wipes and releases. Returned strings borrow from p.
 */
#ifndef QLDBTOP_API_CRED_PROFILE_H
#define QLDBTOP_API_CRED_PROFILE_H

#include <stdbool.h>

#include "api/error.h"
#include "api/ini.h"

struct cred_profile {
	const char *name;
	struct ini_file config, creds;
	const struct ini_section *in_config; /* NULL when absent there */
	const struct ini_section *in_creds;
};

/* Parse both files and find name in them. A missing file is empty; a
 * malformed one is an error naming file and line. */
int cred_profile_load(struct cred_profile *p, const char *name, const char *config_path,
		      const char *creds_path, struct api_error *err);
void cred_profile_free(struct cred_profile *p);

bool cred_profile_exists(const struct cred_profile *p);

/* key in the merged view (credentials file first), or NULL. */
const char *cred_profile_value(const struct cred_profile *p, const char *key);
/* key in the credentials file's section only / the config file's only. */
const char *cred_profile_creds_value(const struct cred_profile *p, const char *key);
const char *cred_profile_config_value(const struct cred_profile *p, const char *key);

/* The config file's `[services NAME]` section, or NULL. */
const struct ini_section *cred_profile_services(const struct cred_profile *p, const char *name);

#endif
