/*
 * test_ion_bigint.c - digit strings <-> big-endian magnitudes. Expected
 * values were computed independently (Python big ints: hex(10**40),
 * 2**512 - 1, hex(12345678901234567890123)) and are hard-coded here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "verify/ion.h"
#include "verify/ion_bigint.h"

static void hex_to_bytes(const char *hex, struct buf *out)
{
	size_t n = strlen(hex);
	for (size_t i = 0; i + 1 < n; i += 2) {
		char tmp[3] = { hex[i], hex[i + 1], 0 };
		assert_int_equal(buf_append_byte(out, (uint8_t)strtoul(tmp, NULL, 16)), 0);
	}
}

/* from_digits(digits, base) must give exactly the bytes of want_hex. */
static void expect_mag(const char *digits, int base, const char *want_hex)
{
	struct buf got = { 0 }, want = { 0 };
	assert_int_equal(ion_bigint_from_digits(digits, strlen(digits), base, &got), 0);
	hex_to_bytes(want_hex, &want);
	assert_int_equal(got.len, want.len);
	if (want.len)
		assert_memory_equal(got.data, want.data, want.len);
	buf_free(&got);
	buf_free(&want);
}

static void expect_decimal(const char *mag_hex, const char *want)
{
	struct buf mag = { 0 }, got = { 0 };
	hex_to_bytes(mag_hex, &mag);
	assert_int_equal(ion_bigint_to_decimal(mag.data, mag.len, &got), 0);
	assert_int_equal(got.len, strlen(want));
	assert_memory_equal(got.data, want, got.len);
	buf_free(&mag);
	buf_free(&got);
}

static const char TEN_40_HEX[] = "1d6329f1c35ca4bfabb9f5610000000000";
static const char TWO_512_MINUS_1[] =
	"1340780792994259709957402499820584612747936582059239337772356144372176403007354697680187"
	"4298166903427690031858186486050853753882811946569946433649006084095";

static void test_decimal_2_pow_64_is_nine_bytes(void **state)
{
	(void)state;
	expect_mag("18446744073709551616", 10, "010000000000000000");
	expect_mag("18446744073709551615", 10, "ffffffffffffffff");
}

static void test_decimal_10_pow_40(void **state)
{
	(void)state;
	expect_mag("10000000000000000000000000000000000000000", 10, TEN_40_HEX);
	expect_mag("12345678901234567890123", 10, "029d42b64e76714244cb");
}

static void test_zero_and_leading_zeros_are_minimal(void **state)
{
	(void)state;
	expect_mag("0", 10, "");
	expect_mag("0000", 16, "");
	expect_mag("", 2, "");
	expect_mag("000255", 10, "ff");
	expect_mag("00ff", 16, "ff");
	expect_mag("0000000100000000", 2, "0100");
}

static void test_hex_and_binary(void **state)
{
	(void)state;
	expect_mag("FACE", 16, "face");
	expect_mag("fAcE1", 16, "0face1");
	expect_mag("101", 2, "05");
	expect_mag("1111111111111111111111111111111111111111", 2, "ffffffffff");
	/* 512 bytes of 0xff from 1024 hex digits */
	char digits[1025];
	memset(digits, 'f', 1024);
	digits[1024] = 0;
	struct buf got = { 0 };
	assert_int_equal(ion_bigint_from_digits(digits, 1024, 16, &got), 0);
	assert_int_equal(got.len, 512);
	for (size_t i = 0; i < 512; i++)
		assert_int_equal(got.data[i], 0xff);
	buf_free(&got);
}

static void test_bad_digits_are_rejected(void **state)
{
	(void)state;
	struct buf b = { 0 };
	assert_true(ion_bigint_from_digits("12a", 3, 10, &b) < 0);
	assert_true(ion_bigint_from_digits("102", 3, 2, &b) < 0);
	assert_true(ion_bigint_from_digits("fg", 2, 16, &b) < 0);
	assert_true(ion_bigint_from_digits("1_0", 3, 10, &b) < 0);
	assert_true(ion_bigint_from_digits("10", 2, 8, &b) < 0);
	buf_free(&b);
}

static void test_to_decimal_known_values(void **state)
{
	(void)state;
	expect_decimal("", "0");
	expect_decimal("00", "0");
	expect_decimal("01", "1");
	expect_decimal("0001", "1");
	expect_decimal("3b9aca00", "1000000000"); /* 10^9: a whole limb group */
	expect_decimal("010000000000000000", "18446744073709551616");
	expect_decimal(TEN_40_HEX, "10000000000000000000000000000000000000000");
	char ff64[129];
	memset(ff64, 'f', 128);
	ff64[128] = 0;
	expect_decimal(ff64, TWO_512_MINUS_1);
}

static void test_to_decimal_appends(void **state)
{
	(void)state;
	struct buf b = { 0 };
	assert_int_equal(buf_append_str(&b, "x="), 0);
	const uint8_t v[] = { 0x30, 0x39 };
	assert_int_equal(ion_bigint_to_decimal(v, 2, &b), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "x=12345", 7);
	buf_free(&b);
}

static void test_round_trip_long_decimal(void **state)
{
	(void)state;
	/* 2000 digits with every digit value and internal zero runs */
	char digits[2001];
	for (int i = 0; i < 2000; i++)
		digits[i] = (char)('0' + (i * 7 + i / 13) % 10);
	digits[0] = '9';
	for (int i = 500; i < 540; i++)
		digits[i] = '0';
	digits[2000] = 0;
	struct buf mag = { 0 }, dec = { 0 };
	assert_int_equal(ion_bigint_from_digits(digits, 2000, 10, &mag), 0);
	assert_int_equal(ion_bigint_to_decimal(mag.data, mag.len, &dec), 0);
	assert_int_equal(dec.len, 2000);
	assert_memory_equal(dec.data, digits, 2000);
	buf_free(&mag);
	buf_free(&dec);
}

static void test_decimal_size_limit(void **state)
{
	(void)state;
	size_t n = 100001;
	char *digits = malloc(n);
	assert_non_null(digits);
	memset(digits, '7', n);
	struct buf b = { 0 };
	assert_int_equal(ion_bigint_from_digits(digits, n, 10, &b), ION_ERR_LIMIT);
	free(digits);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal_2_pow_64_is_nine_bytes),
		cmocka_unit_test(test_decimal_10_pow_40),
		cmocka_unit_test(test_zero_and_leading_zeros_are_minimal),
		cmocka_unit_test(test_hex_and_binary),
		cmocka_unit_test(test_bad_digits_are_rejected),
		cmocka_unit_test(test_to_decimal_known_values),
		cmocka_unit_test(test_to_decimal_appends),
		cmocka_unit_test(test_round_trip_long_decimal),
		cmocka_unit_test(test_decimal_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
