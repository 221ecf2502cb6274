/*
 * qldb_token.h - the endpoint's opaque NextTokens. A token is base64 of
 * "q1|KIND|SCOPE|SEQ|MAC": KIND names the list (one per operation), SCOPE
 * its ledger ("" for account-wide lists), SEQ the sequence number of the
 * last item returned (sim/ledger.h: items never change their number, so
 * the next page starts right after it however many items were added), and
 * MAC the first 16 bytes of HMAC-SHA256(key, "q1|KIND|SCOPE|SEQ") in hex.
 * A token edited by hand, made for another list or ledger, or made with
 * another registry's key fails the check, and the request gets
 * InvalidParameterException: a client cannot forge one silently.
 *
 * Pure (OpenSSL HMAC); thread-safe. The key is borrowed.
 */
#ifndef QLDBTOP_SIM_QLDB_TOKEN_H
#define QLDBTOP_SIM_QLDB_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define SIM_QLDB_TOKEN_MIN 4 /* API NextToken: 4..1024 of [A-Za-z0-9+/=-] */
#define SIM_QLDB_TOKEN_MAX 1024
#define SIM_QLDB_TOKEN_BUF 256 /* what sim_qldb_token_make writes, NUL included */

/* Write the token for (kind, scope, after) into out (SIM_QLDB_TOKEN_BUF bytes).
 * kind is at most 32 characters, scope at most 32. */
void sim_qldb_token_make(const uint8_t key[32], const char *kind, const char *scope, uint64_t after,
			 char out[SIM_QLDB_TOKEN_BUF]);
/* 0 and *after when token is ours for (kind, scope), else -1. */
int sim_qldb_token_read(const uint8_t key[32], const char *kind, const char *scope,
			const char *token, uint64_t *after);

#endif
