/*
 * export_run.h - the I/O side of `verify-export` and of the dashboard's
 * verify job (api/job_verify.c): finding the manifests and
 * data objects of one or more export folders (the plan), and checking the
 * objects on a small pthread pool while one thread merges the results in
 * key order into a struct export_chain (verify/export_chain.h), so the
 * verdict is the same for any number of jobs. Progress goes to a callback
 * (the CLI draws a bar on stderr, a dashboard job publishes it), and a stop
 * flag ends a run early (the dashboard's jobs_stop).
 *
 * Key resolution rule (documented in the README/--help): a manifest key may
 * carry the export prefix and the yyyy/mm/dd/hh date path. For each suffix
 * of the key at a '/' boundary, longest first, PATH/suffix and then
 * <folder of the manifest>/suffix are tried; the first that exists is the
 * object (so PATH may be the bucket root, the prefix folder or the folder
 * holding the objects, and an object may sit next to its manifest by its
 * basename). A key that resolves nowhere is a missing object (integrity
 * failure); one that resolves to something unreadable (a directory, a
 * dangling link, no permission, a FIFO) is an input error.
 *
 * Containment (the soundness rule: only what is in the folder is read): a
 * key that is absolute or has a "." or ".." segment is an input error
 * naming it, and so is a key whose match's real path (links resolved) is
 * outside the folder given. Objects are opened by that real path with
 * O_NOFOLLOW and O_NONBLOCK, and only regular files are read (fstat on the
 * descriptor), so a FIFO or device never blocks the command.
 *
 * A key that two different files match (say the object at its full key
 * and a copy by its basename) is an input error: which one the export holds
 * would be a guess. Files named like data objects (<strand>.<a>-<b>.<ext>)
 * that no key reaches are listed as not proven.
 *
 * The format of each object is found in its bytes (export_chain_format),
 * never taken from the started manifest: a manifest that misnames the
 * content is a failure, and the content is verified as what it is.
 *
 * Memory: each job holds one Ion reader (at most ION_MAX_ARENA_BYTES of
 * tree for the current top-level value and an input window of at most
 * ION_MAX_VALUE_BYTES), and at most EXPORT_WINDOW_PER_JOB checked objects
 * wait for the merge (each keeps 33 bytes per block and 64 failures). So
 * verify-export --jobs N stays under N * (ION_MAX_ARENA_BYTES +
 * 2 * ION_MAX_VALUE_BYTES) plus the block hashes of the waiting objects.
 * From S3 each job also holds one range of S3_GET_CHUNK bytes, and the
 * plan holds the listing's keys (at most S3_LIST_MAX_KEYS) while it is
 * built; manifests are read whole (at most EXPORT_MANIFEST_MAX), as from
 * folders.
 *
 * Ownership: export_plan_build fills a plan that export_plan_free releases.
 */
#ifndef QLDBTOP_API_EXPORT_RUN_H
#define QLDBTOP_API_EXPORT_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/config.h"
#include "verify/export_chain.h"
#include "verify/export_manifest.h"

#define EXPORT_WALK_MAX_DEPTH 16 /* folder levels searched for manifests */
#define EXPORT_MAX_JOBS 256
#define EXPORT_MAX_UNSEARCHED 64 /* unsearched folders named; the rest counted */
#define EXPORT_PATH_MAX 4096

struct export_job {
	char *path;  /* real path of the object inside the folder (an S3 plan: its key in
			plan->buckets[root]), NULL when missing */
	char *label; /* the manifest key (names the object in failures) */
	struct export_range range;
	enum export_format declared; /* by the started manifest; UNKNOWN if none */
	uint64_t size;
	unsigned root; /* an S3 plan: which of plan->buckets */
};

struct export_plan {
	struct export_job *jobs;
	size_t n, cap;
	size_t manifests;
	uint64_t total_bytes;
	/* folders the walk could not search ("PATH: why"): unproven */
	char *unsearched[EXPORT_MAX_UNSEARCHED];
	size_t n_unsearched, more_unsearched;
	/* files named like data objects that no key reaches: unproven */
	size_t unlisted;
	char unlisted_first[EXPORT_PATH_MAX];
	/* an S3 plan (export_plan_build_s3): the configuration the workers
	 * connect with (borrowed) and the bucket of each URI; NULL: folders */
	const struct api_config *s3_cfg;
	char **buckets;
	size_t n_buckets;
};

/* Returns 0, or -1 with a one-line input error in why. */
int export_plan_build(char *const *paths, int n, struct export_plan *plan, char *why, size_t cap);
void export_plan_free(struct export_plan *plan);

/* The same plan from s3://BUCKET/PREFIX URIs (export_run_s3_uri tells
 * them apart). The prefix names a folder: "p" is read as "p/". Every key
 * under it is listed once (ListObjectsV2); manifests are the keys ending
 * in .completed.manifest, read whole in key order with their started
 * manifest (<folder>/<exportId>.started.manifest) when it is listed;
 * manifest keys resolve by the rule above, with the prefix as PATH and the
 * manifest's folder as its folder, against the listing only (no object is
 * fetched to find out whether it exists). A key with "." or ".." segments
 * is an input error as for folders; there are no links in S3. Data objects
 * are then read by ranges (api/s3.h), never written to disk. Errors of the
 * service (no such bucket, access denied, a wrong key), of the network
 * and of the listing's shape are one-line input errors. cfg is borrowed
 * until export_plan_free. */
int export_plan_build_s3(char *const *uris, int n, const struct api_config *cfg,
			 struct export_plan *plan, char *why, size_t cap);
/* The plan of one export among several under uri's prefix: only the
 * completed manifests named <export_id>.<strand>.completed.manifest, and
 * no unlisted-object accounting (the other exports' objects share the
 * prefix). stop (may be NULL) aborts the listing and manifest reads. */
int export_plan_build_s3_export(const char *uri, const char *export_id, const atomic_int *stop,
				const struct api_config *cfg, struct export_plan *plan, char *why,
				size_t cap);
/* Is arg an s3:// URI (rather than a folder)? */
bool export_run_s3_uri(const char *arg);

/* Progress of a run: fn (may be NULL) is called from the thread that
 * called export_run about every EXPORT_PROGRESS_SECONDS while objects are
 * checked, and once more with final set after the last; bytes of
 * plan->total_bytes read so far, blocks checked, seconds since the start.
 * stop (may be NULL) is polled as often and by every worker between
 * blocks: once it reads true the run ends with -1 and why "stopped". */
#define EXPORT_PROGRESS_SECONDS 0.2
struct export_progress {
	void (*fn)(void *ctx, uint64_t bytes, uint64_t total_bytes, uint64_t blocks, double elapsed,
		   bool final);
	void *ctx;
	const atomic_int *stop; /* borrowed for the run; also stops S3 transfers */
};

/* Check every object with `jobs` threads and merge into ch. Returns 0, or
 * -1 with a one-line input error (the first in key order) in why.
 * progress may be NULL (no progress, no stop flag). */
int export_run(struct export_plan *plan, int jobs, const struct export_progress *progress,
	       struct export_chain *ch, char *why, size_t cap);

#endif
