/*
 * ion_encode.h - the Ion 1.0 binary field encoders (VarUInt, VarInt, UInt)
 * and the timestamp fields built from them, shared by the binary writer
 * (ion_write_binary.c) and Ion Hash (ionhash.c, whose timestamp and decimal
 * representations are the binary encodings). Static inline so the hasher's
 * hot path keeps them inlined.
 *
 * Ownership: pure; every function writes into a caller-owned buffer p that
 * has room for the longest result (ION_ENCODE_VAR_MAX per VarUInt/VarInt,
 * ION_ENCODE_TS_FIELDS_MAX for the timestamp fields) and returns the number
 * of bytes written.
 */
#ifndef QLDBTOP_VERIFY_ION_ENCODE_H
#define QLDBTOP_VERIFY_ION_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ion.h"

#define ION_ENCODE_VAR_MAX 10 /* 7 bits a byte: 64 bits need 10 bytes */
/* offset (int16) 3 + year (uint16) 3 + five uint8 fields of at most 2 */
#define ION_ENCODE_TS_FIELDS_MAX 16

/* Minimal VarUInt (7 bits a byte, end bit on the last). */
static inline size_t ion_encode_varuint(uint64_t m, uint8_t *p)
{
	size_t n = 1;
	while (n < ION_ENCODE_VAR_MAX && (m >> (7 * n)) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((m >> (7 * (n - 1 - i))) & 0x7F);
	p[n - 1] |= 0x80;
	return n;
}

/* Minimal VarInt (sign in bit 6 of the first byte); neg with m == 0 gives
 * negative zero (0xC0), which timestamps use for an unknown offset. */
static inline size_t ion_encode_varint(bool neg, uint64_t m, uint8_t *p)
{
	size_t n = 1; /* the first byte holds 6 bits, the rest 7 each */
	while (n < ION_ENCODE_VAR_MAX && (m >> (6 + 7 * (n - 1))) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((m >> (7 * (n - 1 - i))) & 0x7F);
	p[0] = (uint8_t)((p[0] & 0x3F) | (neg ? 0x40 : 0));
	p[n - 1] |= 0x80;
	return n;
}

static inline size_t ion_encode_varint64(int64_t v, uint8_t *p)
{
	return ion_encode_varint(v < 0, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p);
}

/* Minimal UInt (big-endian, no bytes for 0). */
static inline size_t ion_encode_uint(uint64_t m, uint8_t *p)
{
	size_t n = 0;
	while (n < 8 && (m >> (8 * n)) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(m >> (8 * (n - 1 - i)));
	return n;
}

/* A timestamp's offset (negative zero when unknown or when the precision
 * has no time) and its fields up to its precision, seconds included; the
 * fraction is the caller's, as writer and hash treat a zero one apart. */
static inline size_t ion_encode_ts_fields(const struct ion_timestamp *t, uint8_t *p)
{
	size_t n = 0;
	bool has_time = t->precision >= ION_TS_MINUTE;
	if (has_time && t->offset_known)
		n += ion_encode_varint64(t->offset_min, p);
	else
		p[n++] = 0xC0; /* unknown offset: negative zero */
	n += ion_encode_varuint(t->year, p + n);
	if (t->precision >= ION_TS_MONTH)
		n += ion_encode_varuint(t->month, p + n);
	if (t->precision >= ION_TS_DAY)
		n += ion_encode_varuint(t->day, p + n);
	if (has_time) {
		n += ion_encode_varuint(t->hour, p + n);
		n += ion_encode_varuint(t->minute, p + n);
	}
	if (t->precision >= ION_TS_SECOND)
		n += ion_encode_varuint(t->second, p + n);
	return n;
}

#endif
