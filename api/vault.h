/*
 * vault.h - the digest vault: every digest the auditor fetched, appended
 * to a file outside the ledger, so that continuity can be proven across
 * restarts (DESIGN.md §Verification, item 4).
 *
 * Layout: ROOT/<host[_port]>/<region>/<ledger>.jsonl, ROOT being
 * $XDG_STATE_HOME/qldbtop/vault (XDG_STATE_HOME defaults to
 * ~/.local/state) unless the caller names one. Directories are made 0700,
 * the file 0600. Each line is one JSON object, the shape `aws qldb
 * get-digest` prints plus the fetch time, so a line can be handed to
 * verify-proof --digest as it is:
 *   {"Digest":"b64","DigestTipAddress":{"IonText":"{strandId:…}"},"FetchedAt":1733.5}
 * Lines are read strictly (api/qldb.c's one GetDigest reader, strict
 * JSON). A line that does not read (corrupt, truncated by a crash, too
 * long) is kept as a problem naming the file and the line, never skipped
 * silently; the caller reports it.
 *
 * Path components are checked, never trusted: the host comes from the
 * endpoint URL (lower-cased; an IPv6 literal's ':' become '-'), and a
 * component that is empty, "." or "..", or holds anything outside
 * [A-Za-z0-9._-], is refused. The ledger name must be a LedgerName.
 *
 * Durability and concurrency: an append is one write() of the whole line
 * under flock(LOCK_EX), then fsync of the file (and of its directory when
 * the file was created), so two qldbtop instances never interleave lines;
 * a torn last line (no newline) gets a newline first, so it stays one bad
 * line instead of gluing onto the next. Loading takes LOCK_SH.
 *
 * Ownership: vault_open allocates, vault_free releases (and closes the
 * file). Pointers returned by vault_file and vault_problem borrow from
 * the vault until vault_free. One thread uses a vault at a time.
 */
#ifndef QLDBTOP_API_VAULT_H
#define QLDBTOP_API_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "api/config.h" /* api_getenv_fn */
#include "api/error.h"
#include "api/qldb.h"

#define VAULT_PATH_MAX 1024	/* the whole file path */
#define VAULT_LINE_MAX 1024	/* a line is ~200 bytes; longer is corrupt */
#define VAULT_PROBLEMS_MAX 8	/* problems kept with their message; all are counted */
#define VAULT_COMPONENT_MAX 255 /* one path component (NAME_MAX) */

struct vault_entry {
	struct qldb_digest digest;
	double fetched; /* epoch seconds */
	size_t line;	/* 1-based line in the file */
};

struct vault_problem {
	size_t line;
	char message[API_ERROR_MSG_MAX]; /* "FILE line N: why" */
};

/* The vault file's path into out. root NULL: the XDG default (getenv_fn
 * NULL means getenv). 0 or API_ERR_CONFIG / API_ERR_LIMIT with err. */
int vault_path(char *out, size_t cap, const char *root, const char *endpoint_url,
	       const char *region, const char *ledger, api_getenv_fn getenv_fn,
	       struct api_error *err);

struct vault;
/* Make the directories and the file if needed and read it. NULL with err
 * filled (a bad component, a file that is not a regular file, I/O). */
struct vault *vault_open(const char *root, const char *endpoint_url, const char *region,
			 const char *ledger, api_getenv_fn getenv_fn, struct api_error *err);
void vault_free(struct vault *v);

const char *vault_file(const struct vault *v);
/* The last line that read, as loaded by vault_open (appends later do not
 * change it). False when the file held none. */
bool vault_last(const struct vault *v, struct vault_entry *out);
size_t vault_entry_count(const struct vault *v);
/* Lines that did not read: the count of all, and the first
 * VAULT_PROBLEMS_MAX with their messages (i < min(count, MAX)). */
size_t vault_problem_count(const struct vault *v);
const struct vault_problem *vault_problem_get(const struct vault *v, size_t i);

/* Append one digest. 0 or a negative api_status with err filled. */
int vault_append(struct vault *v, const struct qldb_digest *d, double fetched,
		 struct api_error *err);

#endif
