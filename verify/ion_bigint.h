/*
 * ion_bigint.h - arbitrary-size unsigned magnitudes as minimal big-endian
 * byte strings (the form struct ion_bigint uses), converted from and to
 * decimal, hex and binary digit strings. Pure; callers own all buffers.
 */
#ifndef QLDBTOP_VERIFY_ION_BIGINT_H
#define QLDBTOP_VERIFY_ION_BIGINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Digits (no sign, no prefix, no underscores) in base 10, 16 or 2 into a
 * minimal big-endian magnitude appended to out (nothing for zero). Returns
 * 0, or a negative enum ion_status on a bad digit or OOM. */
int ion_bigint_from_digits(const char *digits, size_t n, int base, struct buf *out);
/* Append the decimal digits of a magnitude ("0" for len 0) to out. */
int ion_bigint_to_decimal(const uint8_t *mag, size_t len, struct buf *out);

#endif
