/*
 * sha256.h - SHA-256 over OpenSSL with a caller-owned, reused context, no
 * allocation per hash (sha256.c says why; shared/docs/reliability-perf.md
 * §4.1 has the figures). One context per thread; no globals.
 * Ownership: sha256_new allocates, sha256_free releases.
 */
#ifndef QLDBTOP_VERIFY_SHA256_H
#define QLDBTOP_VERIFY_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256;
struct sha256 *sha256_new(void);
void sha256_free(struct sha256 *s);
/* out = SHA-256(p[0..n)). Returns 0, or -1 if OpenSSL failed. */
int sha256_once(struct sha256 *s, const void *p, size_t n, uint8_t out[SHA256_LEN]);
/* Incremental use of the same context. */
int sha256_begin(struct sha256 *s);
int sha256_update(struct sha256 *s, const void *p, size_t n);
int sha256_end(struct sha256 *s, uint8_t out[SHA256_LEN]);

#endif
