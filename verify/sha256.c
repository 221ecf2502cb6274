/*
 * sha256.c - SHA-256 for the hot paths (Ion Hash runs one SHA-256 per struct
 * field, so a block costs dozens of short hashes).
 *
 * Why the low-level SHA256_Init/Update/Final and not EVP: with OpenSSL 3.0
 * every EVP_DigestInit_ex allocates and frees a provider context, which
 * dominated Ion Hash time; the low-level functions work on a caller-owned
 * context with no allocation (measured 1.35-2x faster per QLDB block, and
 * 12.3 M vs 10.0 M 64-byte hashes/s in shared/docs/reliability-perf.md
 * §4.1). They are deprecated in 3.0 but present, and use the same SHA-NI
 * code. One context per thread; no globals.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sha256.h"

#include <openssl/sha.h>
#include <stdlib.h>

struct sha256 {
	SHA256_CTX ctx;
};

struct sha256 *sha256_new(void)
{
	return calloc(1, sizeof(struct sha256));
}

void sha256_free(struct sha256 *s)
{
	free(s);
}

int sha256_begin(struct sha256 *s)
{
	return SHA256_Init(&s->ctx) == 1 ? 0 : -1;
}

int sha256_update(struct sha256 *s, const void *p, size_t n)
{
	return SHA256_Update(&s->ctx, p, n) == 1 ? 0 : -1;
}

int sha256_end(struct sha256 *s, uint8_t out[SHA256_LEN])
{
	return SHA256_Final(out, &s->ctx) == 1 ? 0 : -1;
}

int sha256_once(struct sha256 *s, const void *p, size_t n, uint8_t out[SHA256_LEN])
{
	if (sha256_begin(s) || sha256_update(s, p, n))
		return -1;
	return sha256_end(s, out);
}
