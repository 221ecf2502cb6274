/*
 * testutil.h - helpers shared by unit tests: reading vector files from
 * ../shared (or $QLDBTOP_SHARED), base64 of hashes, hex, and the values of
 * the AWS CLI example vector that several tests share, request headers.
 * Ownership: read_file returns malloc'd memory (NUL-terminated), caller frees.
 */
#ifndef QLDBTOP_TESTS_TESTUTIL_H
#define QLDBTOP_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Path of a file under shared/ (static buffer, valid until the next call). */
const char *shared_path(const char *rel);
/* Whole file, NUL-terminated; NULL if unreadable. */
char *read_file(const char *path, size_t *len);
/* member.IonText of an AWS CLI output under shared/ (rel as for
 * shared_path), malloc'd; NULL if the file or the member is missing. */
char *vector_ion_text(const char *rel, const char *member);
/* Decode base64 of exactly 32 bytes into out; returns 0 or -1. */
int b64_32(const char *b64, uint8_t out[32]);
/* Every file below dir (recursively) whose name ends with one of the
 * suffixes (a NULL-terminated list), sorted by path. The list owns its
 * strings; file_list_free releases them. Returns the count, or -1 if dir
 * cannot be read. */
struct file_list {
	char **paths;
	size_t n, cap;
};
long file_list_collect(struct file_list *fl, const char *dir, const char *const *suffixes);
void file_list_free(struct file_list *fl);

/* The AWS CLI example vector (shared/vectors/qldb/aws-cli-examples), as
 * printed there: get-digest's Digest and get-block's Proof (leaf side
 * first). Several tests check against it. */
#define AWS_CLI_BLOCK_PROOF_LEN 7
extern const char *const AWS_CLI_DIGEST;
extern const char *const AWS_CLI_BLOCK_PROOF[AWS_CLI_BLOCK_PROOF_LEN];

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void to_hex(const uint8_t *p, size_t n, char *out);

/* Request headers for the endpoint's SigV4 tests: an array ended by a NULL
 * name, and the case-insensitive lookup sim_sigv4_request.header takes
 * (ctx is the array; NULL when absent). */
struct hdr {
	const char *name, *value;
};
const char *hdr_lookup(void *ctx, const char *name);

#endif
