/*
 * qldb_token.c - NextTokens signed with the registry's key (see
 * qldb_token.h).
 */
#include "sim/qldb_token.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "verify/base64.h"

#define TOKEN_VERSION "q1"
#define TOKEN_MAC_BYTES 16 /* 128 bits of HMAC-SHA256: no guessing */
#define TOKEN_PLAIN_MAX 160

/* "q1|KIND|SCOPE|SEQ" into plain; its length, or -1 if it does not fit. */
static int token_body(const char *kind, const char *scope, uint64_t after, char *plain, size_t cap)
{
	int n = snprintf(plain, cap, TOKEN_VERSION "|%.32s|%.32s|%" PRIu64, kind, scope, after);
	return n > 0 && (size_t)n < cap ? n : -1;
}

static void token_mac(const uint8_t key[32], const char *plain, size_t n,
		      char hex[2 * TOKEN_MAC_BYTES + 1])
{
	uint8_t mac[32];
	unsigned len = 0;
	HMAC(EVP_sha256(), key, 32, (const unsigned char *)plain, n, mac, &len);
	for (int i = 0; i < TOKEN_MAC_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
}

void sim_qldb_token_make(const uint8_t key[32], const char *kind, const char *scope, uint64_t after,
			 char out[SIM_QLDB_TOKEN_BUF])
{
	char plain[TOKEN_PLAIN_MAX], hex[2 * TOKEN_MAC_BYTES + 1];
	int n = token_body(kind, scope, after, plain, sizeof plain);
	if (n < 0) {
		out[0] = '\0';
		return;
	}
	token_mac(key, plain, (size_t)n, hex);
	n += snprintf(plain + n, sizeof plain - (size_t)n, "|%s", hex);
	base64_encode((const uint8_t *)plain, (size_t)n, out);
}

int sim_qldb_token_read(const uint8_t key[32], const char *kind, const char *scope,
			const char *token, uint64_t *after)
{
	size_t len = strlen(token);
	uint8_t dec[TOKEN_PLAIN_MAX + 8];
	if (len < SIM_QLDB_TOKEN_MIN || len > SIM_QLDB_TOKEN_MAX || len >= SIM_QLDB_TOKEN_BUF)
		return -1;
	long dl = base64_decode(token, len, dec, sizeof dec - 1);
	if (dl <= 2 * TOKEN_MAC_BYTES + 1)
		return -1;
	dec[dl] = '\0';
	if (memchr(dec, '\0', (size_t)dl))
		return -1;
	/* the MAC is the last field; recompute it over what precedes it */
	size_t body_len = (size_t)dl - 2 * TOKEN_MAC_BYTES - 1;
	if (dec[body_len] != '|')
		return -1;
	char hex[2 * TOKEN_MAC_BYTES + 1];
	token_mac(key, (const char *)dec, body_len, hex);
	if (CRYPTO_memcmp(hex, dec + body_len + 1, 2 * TOKEN_MAC_BYTES) != 0)
		return -1;
	/* authentic: now check it is for this list */
	dec[body_len] = '\0';
	char want[TOKEN_PLAIN_MAX];
	int wn = token_body(kind, scope, 0, want, sizeof want);
	if (wn < 1 || strncmp((const char *)dec, want, (size_t)wn - 1) != 0)
		return -1;
	const char *num = (const char *)dec + wn - 1;
	if (!*num || strspn(num, "0123456789") != strlen(num) || strlen(num) > 19)
		return -1;
	uint64_t v = 0;
	for (const char *p = num; *p; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	*after = v;
	return 0;
}
