/* sha256.c - reused-context SHA-256 over OpenSSL's EVP interface. */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdlib.h>

struct sha256 {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

struct sha256 *sha256_new(void)
{
	struct sha256 *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	s->ctx = EVP_MD_CTX_new();
	if (!s->md || !s->ctx) {
		sha256_free(s);
		return NULL;
	}
	return s;
}

void sha256_free(struct sha256 *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->ctx);
	EVP_MD_free(s->md);
	free(s);
}

int sha256_begin(struct sha256 *s)
{
	return EVP_DigestInit_ex(s->ctx, s->md, NULL) == 1 ? 0 : -1;
}

int sha256_update(struct sha256 *s, const void *p, size_t n)
{
	return EVP_DigestUpdate(s->ctx, p, n) == 1 ? 0 : -1;
}

int sha256_end(struct sha256 *s, uint8_t out[SHA256_LEN])
{
	return EVP_DigestFinal_ex(s->ctx, out, NULL) == 1 ? 0 : -1;
}

int sha256_once(struct sha256 *s, const void *p, size_t n, uint8_t out[SHA256_LEN])
{
	if (sha256_begin(s) || sha256_update(s, p, n))
		return -1;
	return sha256_end(s, out);
}
