/*
 * test_export_manifest.c - export layout parsing (verify/export_manifest.c)
 * against the key and manifest examples in shared/docs/qldb-verification.md
 * §5 (dmv-sample-nodejs keys, the docs' started manifest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "verify/export_manifest.h"

static void test_key_range_from_the_token_before_the_extension(void **state)
{
	(void)state;
	struct export_range r;
	const char *k = "2019/04/15/22/JdxjkR9bSYB5jMHWcI464T.5-10.ion";
	assert_int_equal(export_key_parse(k, strlen(k), &r), 0);
	assert_string_equal(r.strand, "JdxjkR9bSYB5jMHWcI464T");
	assert_int_equal(r.first, 5);
	assert_int_equal(r.last, 10);
	k = "journalExport/2019/04/15/22/JdxjkR9bSYB5jMHWcI464T.11-12.json";
	assert_int_equal(export_key_parse(k, strlen(k), &r), 0);
	assert_int_equal(r.first, 11);
	assert_int_equal(r.last, 12);
	static const char *const BAD[] = { "x/S.ion", "S.4-1.ion", "S.a-b.ion",
					   "S.1-2",   ".1-2.ion",  "S.1-.ion" };
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
		assert_int_equal(export_key_parse(BAD[i], strlen(BAD[i]), &r), -1);
}

static int count_keys(void *ctx, const char *key, size_t len)
{
	(void)key;
	(void)len;
	(*(int *)ctx)++;
	return 0;
}

static void test_manifests_in_ion_and_json(void **state)
{
	(void)state;
	char why[300];
	int n = 0;
	const char *ion = "{keys:[\"a/S.1-4.ion\",\"a/S.5-10.ion\"]}";
	assert_int_equal(export_completed_parse((const uint8_t *)ion, strlen(ion), count_keys, &n,
						why, sizeof why),
			 0);
	assert_int_equal(n, 2);
	const char *json = "{\"keys\": [\"a/S.1-4.json\"]}";
	n = 0;
	assert_int_equal(export_completed_parse((const uint8_t *)json, strlen(json), count_keys, &n,
						why, sizeof why),
			 0);
	assert_int_equal(n, 1);
	const char *bad = "{keys:[1]}";
	assert_int_equal(export_completed_parse((const uint8_t *)bad, strlen(bad), count_keys, &n,
						why, sizeof why),
			 -1);
	enum export_format f;
	const char *st = "{ledgerName:\"my-example-ledger\",exportId:\"8UyXulxccYLAsbN1aon7e4\","
			 "inclusiveStartTime:2019-04-15T00:00:00.000Z,outputFormat:\"ION_TEXT\"}";
	assert_int_equal(export_started_parse((const uint8_t *)st, strlen(st), &f, why, sizeof why),
			 0);
	assert_int_equal(f, EXPORT_FORMAT_ION_TEXT);
	const char *none = "{exportId:\"8UyXulxccYLAsbN1aon7e4\"}";
	assert_int_equal(
		export_started_parse((const uint8_t *)none, strlen(none), &f, why, sizeof why), 0);
	assert_int_equal(f, EXPORT_FORMAT_UNKNOWN);
}

static void test_repeated_manifest_fields_are_input_errors(void **state)
{
	(void)state;
	char why[300];
	int n = 0;
	/* a second keys list: the first is read, a reader may take the second */
	const char *two = "{keys:[\"a/S.1-4.ion\"],keys:[\"b/S.1-4.ion\"]}";
	assert_int_equal(export_completed_parse((const uint8_t *)two, strlen(two), count_keys, &n,
						why, sizeof why),
			 -1);
	assert_string_equal(why, "completed manifest: the field 'keys' appears twice");
	assert_int_equal(n, 0);
	enum export_format f;
	const char *st = "{outputFormat:\"ION_TEXT\",outputFormat:\"JSON\"}";
	assert_int_equal(export_started_parse((const uint8_t *)st, strlen(st), &f, why, sizeof why),
			 -1);
	assert_string_equal(why, "started manifest: the field 'outputFormat' appears twice");
}

static void test_format_detection(void **state)
{
	(void)state;
	assert_int_equal(export_format_detect((const uint8_t *)"\xE0\x01\x00\xEA", 4),
			 EXPORT_FORMAT_ION_BINARY);
	assert_int_equal(export_format_detect((const uint8_t *)"{\"blockAddress\":", 16),
			 EXPORT_FORMAT_JSON);
	assert_int_equal(export_format_detect((const uint8_t *)"{blockAddress:", 14),
			 EXPORT_FORMAT_ION_TEXT);
	/* whitespace around the brace is skipped */
	assert_int_equal(export_format_detect((const uint8_t *)" \n{ \t\"blockAddress\"", 20),
			 EXPORT_FORMAT_JSON);
	/* only a quoted first field name makes JSON: the binary marker must be
	 * exact, and anything else (a list, a BOM, an annotation) is Ion text */
	assert_int_equal(export_format_detect((const uint8_t *)"\xE0\x01\x00\xEB", 4),
			 EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(export_format_detect((const uint8_t *)"[{\"a\":1}]", 9),
			 EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(export_format_detect((const uint8_t *)"\xEF\xBB\xBF{\"a\"", 7),
			 EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(export_format_detect((const uint8_t *)"x::{\"a\":1}", 10),
			 EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(export_format_detect((const uint8_t *)"{", 1), EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(export_format_detect(NULL, 0), EXPORT_FORMAT_ION_TEXT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_range_from_the_token_before_the_extension),
		cmocka_unit_test(test_manifests_in_ion_and_json),
		cmocka_unit_test(test_repeated_manifest_fields_are_input_errors),
		cmocka_unit_test(test_format_detection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
