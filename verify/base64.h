/*
 * base64.h - standard base64 (RFC 4648, with padding), as AWS JSON blobs and
 * Ion blobs use. Pure functions; callers own all buffers.
 */
#ifndef QLDBTOP_VERIFY_BASE64_H
#define QLDBTOP_VERIFY_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Bytes needed to encode n bytes, including the NUL. */
#define BASE64_ENCODED_SIZE(n) ((((n) + 2) / 3) * 4 + 1)

/* Encode n bytes into out (NUL-terminated); returns the length written. */
size_t base64_encode(const uint8_t *in, size_t n, char *out);
/* Decode; whitespace is skipped. Returns the decoded length, or -1 on bad
 * characters, bad padding or when cap is too small. */
long base64_decode(const char *in, size_t n, uint8_t *out, size_t cap);

#endif
