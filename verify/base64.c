/* base64.c - RFC 4648 base64 with strict padding checks. */
#include "base64.h"

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = ALPHABET[v >> 18];
		out[o++] = ALPHABET[(v >> 12) & 63];
		out[o++] = ALPHABET[(v >> 6) & 63];
		out[o++] = ALPHABET[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = ALPHABET[v >> 18];
		out[o++] = ALPHABET[(v >> 12) & 63];
		out[o++] = i + 1 < n ? ALPHABET[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

static int decode_char(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

long base64_decode(const char *in, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0, quad = 0, pad = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (is_space(c))
			continue;
		if (c == '=') {
			pad++;
			quad++;
			continue;
		}
		if (pad)
			return -1; /* data after padding */
		int d = decode_char(c);
		if (d < 0)
			return -1;
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		quad++;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (quad % 4 != 0 || pad > 2)
		return -1;
	/* padding must match the leftover bits, and those bits must be zero */
	if ((pad == 1 && bits != 2) || (pad == 2 && bits != 4) || (pad == 0 && bits != 0))
		return -1;
	if (bits && (acc & ((1u << bits) - 1)))
		return -1;
	return (long)o;
}
