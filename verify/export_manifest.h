/*
 * export_manifest.h - the S3 journal export layout (shared/docs/
 * qldb-verification.md §5): the started manifest (output format), the
 * completed manifest (ordered data-object keys) and the block range encoded
 * in a data-object key (…/<strandId>.<first>-<last>.ion).
 *
 * Pure: callers read the files and pass the bytes. Manifests are Ion (text
 * or binary) or, for JSON exports, JSON, which the Ion text reader reads.
 */
#ifndef QLDBTOP_VERIFY_EXPORT_MANIFEST_H
#define QLDBTOP_VERIFY_EXPORT_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "qldb_block.h"

#define EXPORT_KEY_MAX 1024		 /* S3 keys are at most 1024 bytes */
#define EXPORT_MAX_KEYS 10000000	 /* keys in one completed manifest */
#define EXPORT_MANIFEST_MAX (256u << 20) /* bytes of one manifest file */

enum export_format {
	EXPORT_FORMAT_UNKNOWN,
	EXPORT_FORMAT_ION_TEXT,
	EXPORT_FORMAT_ION_BINARY,
	EXPORT_FORMAT_JSON,
};
const char *export_format_name(enum export_format f);

/* The block range named by a data-object key: take the last path element,
 * drop its final extension, and split the token after the last remaining
 * '.' on '-' (ExportProcessor's blocksInRange). The strand is what comes
 * before that token: 1..QLDB_STRAND_MAX visible ASCII characters; first
 * and last at most 18 digits each. Returns 0 or -1. */
struct export_range {
	char strand[QLDB_STRAND_MAX + 1];
	int64_t first, last;
};
int export_key_parse(const char *key, size_t len, struct export_range *out);

/* Started manifest: returns 0 and the outputFormat (UNKNOWN when the field
 * is absent: it appears only when the request gave it), or -1 with why.
 * Both manifests are input errors (-1, why naming the field: "started
 * manifest: the field 'outputFormat' appears twice") when a top-level field
 * name repeats: a reader could take either of the two. */
int export_started_parse(const uint8_t *buf, size_t len, enum export_format *out, char *why,
			 size_t cap);

/* Completed manifest {keys:[…]}: calls fn(ctx, key, len) for each key in
 * order; fn returns 0 to go on or non-zero to stop (that value is
 * returned). A key must be a string (or symbol) of 1..EXPORT_KEY_MAX bytes
 * with no control character (keys label one-line messages). Returns 0, the
 * callback's value, or -1 with why. */
int export_completed_parse(const uint8_t *buf, size_t len,
			   int (*fn)(void *ctx, const char *key, size_t len), void *ctx, char *why,
			   size_t cap);

/* The format of a data object from its first bytes (its first block):
 * Ion binary if it starts with the version marker E0 01 00 EA; JSON if the
 * first non-whitespace byte is '{' and the next non-whitespace byte is '"'
 * (JSON quotes every field name; QLDB's Ion text never does, and carries
 * hashes as blobs {{...}} where JSON has base64 strings); else Ion text.
 * Ion text with a quoted first field name ({"a":1}) is valid JSON too and
 * is taken as JSON: that is safe, since a block read in the wrong mode
 * fails (a blob where JSON mode wants a string, or the reverse) and never
 * passes. A JSON array or a byte-order mark makes it Ion text, which then
 * fails the same way. */
enum export_format export_format_detect(const uint8_t *head, size_t n);

#endif
