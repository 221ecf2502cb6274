/*
 * ion_bigint.c - arbitrary-size unsigned magnitudes to and from digit strings
 * (see ion_bigint.h). Hex and binary digits pack straight into bytes (linear
 * time). Decimal works on little-endian 32-bit limbs, nine digits at a time,
 * which is quadratic: the named limits below keep the worst case in the tens
 * of milliseconds, so hostile input cannot stall a reader or writer.
 */
#include "ion_bigint.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ion.h"

/* Decimal digit strings longer than this are refused (about 41 KB of
 * magnitude; converting it costs roughly 20 ms). */
#define ION_BIGINT_MAX_DEC_DIGITS 100000u
/* Magnitudes longer than this are refused by ion_bigint_to_decimal (about
 * 158,000 digits). */
#define ION_BIGINT_MAX_DEC_BYTES 65536u

#define CHUNK_DIGITS 9	       /* 10^9 fits in a 32-bit limb */
#define CHUNK_BASE 1000000000u /* 10^CHUNK_DIGITS */

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return 99;
}

/* Pack base-2^bits digits (bits 1 or 4) into big-endian bytes. */
static int from_pow2(const char *d, size_t n, int bits, struct buf *out)
{
	size_t nbits = n * (size_t)bits;
	size_t nbytes = (nbits + 7) / 8;
	int rc = buf_reserve(out, nbytes);
	if (rc)
		return rc;
	uint8_t *o = out->data + out->len;
	memset(o, 0, nbytes);
	/* fill from the least significant end */
	size_t bit = 0;
	for (size_t i = n; i-- > 0;) {
		unsigned v = (unsigned)digit_value(d[i]);
		for (int k = 0; k < bits; k++, bit++)
			if (v >> k & 1)
				o[nbytes - 1 - bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	out->len += nbytes;
	return 0;
}

/* Append limbs[0..n) (little-endian base 2^32) as minimal big-endian bytes. */
static int append_limbs(const uint32_t *limbs, size_t n, struct buf *out)
{
	while (n > 0 && limbs[n - 1] == 0)
		n--;
	if (n == 0)
		return 0;
	int rc = buf_reserve(out, n * 4);
	if (rc)
		return rc;
	bool started = false;
	for (size_t i = n; i-- > 0;) {
		for (int s = 24; s >= 0; s -= 8) {
			uint8_t b = (uint8_t)(limbs[i] >> s);
			if (!started && b == 0)
				continue;
			started = true;
			out->data[out->len++] = b;
		}
	}
	return 0;
}

static int from_decimal(const char *d, size_t n, struct buf *out)
{
	if (n > ION_BIGINT_MAX_DEC_DIGITS)
		return ION_ERR_LIMIT;
	/* log2(10) < 3.33, so n digits need at most n/9.6 + 1 limbs */
	size_t cap = n / CHUNK_DIGITS + 2;
	uint32_t *limbs = calloc(cap, sizeof *limbs);
	if (!limbs)
		return ION_ERR_NOMEM;
	size_t used = 0;
	size_t i = 0;
	size_t first = n % CHUNK_DIGITS ? n % CHUNK_DIGITS : CHUNK_DIGITS;
	while (i < n) {
		size_t take = i == 0 ? first : CHUNK_DIGITS;
		uint32_t chunk = 0, mul = 1;
		for (size_t k = 0; k < take; k++) {
			chunk = chunk * 10 + (uint32_t)(d[i + k] - '0');
			mul *= 10;
		}
		i += take;
		uint64_t carry = chunk;
		for (size_t k = 0; k < used; k++) {
			uint64_t t = (uint64_t)limbs[k] * mul + carry;
			limbs[k] = (uint32_t)t;
			carry = t >> 32;
		}
		if (carry)
			limbs[used++] = (uint32_t)carry;
	}
	int rc = append_limbs(limbs, used, out);
	free(limbs);
	return rc;
}

int ion_bigint_from_digits(const char *digits, size_t n, int base, struct buf *out)
{
	if (base != 10 && base != 16 && base != 2)
		return ION_ERR_UNSUPPORTED;
	for (size_t i = 0; i < n; i++)
		if (digit_value(digits[i]) >= base)
			return ION_ERR_SYNTAX;
	while (n > 0 && digits[0] == '0') {
		digits++;
		n--;
	}
	if (n == 0)
		return 0;
	if (base == 10)
		return from_decimal(digits, n, out);
	return from_pow2(digits, n, base == 16 ? 4 : 1, out);
}

int ion_bigint_to_decimal(const uint8_t *mag, size_t len, struct buf *out)
{
	while (len > 0 && mag[0] == 0) {
		mag++;
		len--;
	}
	if (len == 0)
		return buf_append_byte(out, '0');
	if (len > ION_BIGINT_MAX_DEC_BYTES)
		return ION_ERR_LIMIT;
	size_t n = (len + 3) / 4;
	uint32_t *limbs = calloc(n, sizeof *limbs);
	/* base-10^9 groups, least significant first: len*8 bits need at most
	 * len*8/29.8 + 1 groups */
	size_t gcap = len * 8 / 29 + 2;
	uint32_t *groups = malloc(gcap * sizeof *groups);
	if (!limbs || !groups) {
		free(limbs);
		free(groups);
		return ION_ERR_NOMEM;
	}
	for (size_t i = 0; i < len; i++) {
		size_t bit = (len - 1 - i) * 8;
		limbs[bit / 32] |= (uint32_t)mag[i] << (bit % 32);
	}
	size_t ng = 0;
	while (n > 0) {
		uint64_t rem = 0;
		for (size_t k = n; k-- > 0;) {
			uint64_t cur = rem << 32 | limbs[k];
			limbs[k] = (uint32_t)(cur / CHUNK_BASE);
			rem = cur % CHUNK_BASE;
		}
		groups[ng++] = (uint32_t)rem;
		while (n > 0 && limbs[n - 1] == 0)
			n--;
	}
	int rc = buf_reserve(out, ng * CHUNK_DIGITS);
	if (rc == 0) {
		for (size_t g = ng; g-- > 0;) {
			char tmp[CHUNK_DIGITS];
			uint32_t v = groups[g];
			for (int k = CHUNK_DIGITS - 1; k >= 0; k--) {
				tmp[k] = (char)('0' + v % 10);
				v /= 10;
			}
			int skip = 0;
			if (g == ng - 1)
				while (skip < CHUNK_DIGITS - 1 && tmp[skip] == '0')
					skip++;
			memcpy(out->data + out->len, tmp + skip, (size_t)(CHUNK_DIGITS - skip));
			out->len += (size_t)(CHUNK_DIGITS - skip);
		}
	}
	free(limbs);
	free(groups);
	return rc;
}
