/*
 * export_run.h - the I/O side of `verify-export`: finding the manifests and
 * data objects of one or more export folders (the plan), and checking the
 * objects on a small pthread pool while one thread merges the results in
 * key order into a struct export_chain (verify/export_chain.h), so the
 * verdict is the same for any number of jobs. Optional progress bar on
 * stderr.
 *
 * Key resolution rule (documented in the README/--help): a manifest key may
 * carry the export prefix and the yyyy/mm/dd/hh date path. For each suffix
 * of the key at a '/' boundary, longest first, PATH/suffix and then
 * <folder of the manifest>/suffix are tried; the first that exists is the
 * object (so PATH may be the bucket root, the prefix folder or the folder
 * holding the objects, and an object may sit next to its manifest by its
 * basename). A key that resolves nowhere is a missing object (integrity
 * failure); one that resolves to something unreadable (a directory, a
 * dangling link, no permission) is an input error.
 *
 * Ownership: export_plan_build fills a plan that export_plan_free releases.
 */
#ifndef QLDBTOP_TUI_EXPORT_RUN_H
#define QLDBTOP_TUI_EXPORT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "verify/export_chain.h"
#include "verify/export_manifest.h"

#define EXPORT_WALK_MAX_DEPTH 16 /* folder levels searched for manifests */
#define EXPORT_MAX_JOBS 256

struct export_job {
	char *path;  /* resolved file, NULL when missing */
	char *label; /* the manifest key (names the object in failures) */
	struct export_range range;
	enum export_format format;
	uint64_t size;
};

struct export_plan {
	struct export_job *jobs;
	size_t n, cap;
	size_t manifests;
	uint64_t total_bytes;
	bool any_json;
	enum export_format format; /* of the first object; UNKNOWN if mixed */
};

/* Returns 0, or -1 with a one-line input error in why. */
int export_plan_build(char *const *paths, int n, struct export_plan *plan, char *why, size_t cap);
void export_plan_free(struct export_plan *plan);

/* Check every object with `jobs` threads and merge into ch. Returns 0, or
 * -1 with a one-line input error (the first in key order) in why. */
int export_run(struct export_plan *plan, int jobs, bool progress, struct export_chain *ch,
	       char *why, size_t cap);

#endif
