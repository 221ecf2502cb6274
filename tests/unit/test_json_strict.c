/*
 * test_json_strict.c - the strict JSON reader every untrusted input goes
 * through (common/json_strict.h). Each refusal is something plain cJSON let
 * through or read differently from another reader: a second key of the
 * same name (at the top and three objects down, decoded before comparing),
 * \u0000 and raw NUL bytes, trailing values, invalid UTF-8, lone
 * surrogates, nesting past the limit, long numbers, empty input. Messages
 * are one line with the line and column, and no control bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "tests/lib/testutil.h"

#define WHY_MAX 256

/* Parse n bytes (a copy without a NUL after it, so a read past the end is
 * a sanitizer error); returns the tree or NULL with why. */
static cJSON *parse_n(const char *text, size_t n, char why[WHY_MAX])
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, text, n);
	why[0] = '\0';
	cJSON *root = json_strict_parse(copy, n, "T", why, WHY_MAX);
	free(copy);
	return root;
}

static cJSON *parse(const char *text, char why[WHY_MAX])
{
	return parse_n(text, strlen(text), why);
}

/* text is refused with exactly this message. */
static void refused(const char *text, size_t n, const char *want)
{
	char why[WHY_MAX];
	cJSON *root = parse_n(text, n, why);
	if (root || strcmp(why, want) != 0)
		print_error("input \"%s\": got \"%s\"\n", text, root ? "(accepted)" : why);
	assert_null(root);
	assert_string_equal(why, want);
	for (const char *p = why; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void accepted(const char *text)
{
	char why[WHY_MAX];
	cJSON *root = parse(text, why);
	if (!root)
		print_error("input \"%s\": %s\n", text, why);
	assert_non_null(root);
	cJSON_Delete(root);
}

static void test_duplicate_key_at_the_top_is_refused_at_its_second_occurrence(void **state)
{
	(void)state;
	const char *t = "{\"a\":1,\"b\":2,\"a\":3}";
	refused(t, strlen(t),
		"T: line 1 column 14: duplicate key \"a\" (a reader may take either)");
	/* the AWS CLI's layout: indented, one member a line */
	t = "{\n    \"Block\": {\"IonText\": \"{}\"},\n    \"Block\": {\"IonText\": \"[]\"}\n}\n";
	refused(t, strlen(t),
		"T: line 3 column 5: duplicate key \"Block\" (a reader may take either)");
}

static void test_duplicate_key_three_objects_down_is_refused(void **state)
{
	(void)state;
	const char *t = "{\"x\":{\"y\":[{\"z\":{\"k\":1,\n\"k\":2}}]}}";
	refused(t, strlen(t), "T: line 2 column 1: duplicate key \"k\" (a reader may take either)");
	/* the same name in different objects is not a repeat */
	accepted("{\"a\":{\"a\":1},\"b\":{\"a\":{\"a\":2}},\"c\":[{\"a\":1},{\"a\":1}]}");
}

static void test_duplicate_keys_are_compared_after_decoding(void **state)
{
	(void)state;
	const char *t = "{\"a\":1,\"\\u0061\":2}";
	refused(t, strlen(t), "T: line 1 column 8: duplicate key \"a\" (a reader may take either)");
	t = "{\"\\u00e9\":1,\"\xc3\xa9\":2}";
	refused(t, strlen(t),
		"T: line 1 column 13: duplicate key \"??\" (a reader may take either)");
}

static void test_duplicate_key_in_a_large_object_is_found_by_sorting(void **state)
{
	(void)state;
	/* 200 distinct keys (past the pairwise size), then k42 again */
	char t[4096];
	size_t n = 0;
	n += (size_t)snprintf(t + n, sizeof t - n, "{");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(t + n, sizeof t - n, "%s\"k%d\":%d", i ? "," : "", i, i);
	size_t at = n + 2; /* column of the repeated key's quote */
	t[n] = '}';
	t[n + 1] = '\0';
	accepted(t);
	n += (size_t)snprintf(t + n, sizeof t - n, ",\"k42\":0,\"k7\":0}");
	char want[128];
	snprintf(want, sizeof want,
		 "T: line 1 column %zu: duplicate key \"k42\" (a reader may take either)", at);
	refused(t, n, want);
}

static void test_nul_escape_is_refused_in_a_value_and_in_a_key(void **state)
{
	(void)state;
	const char *t = "{\"v\":\"a\\u0000b\"}";
	refused(t, strlen(t),
		"T: line 1 column 8: \\u0000 in a string: a NUL character is refused");
	t = "{\"a\\u0000b\":1}";
	refused(t, strlen(t), "T: line 1 column 4: \\u0000 in a key: a NUL character is refused");
	/* to strcmp these two keys would be the same "a" */
	t = "{\"a\\u0000b\":1,\"a\\u0000c\":2}";
	refused(t, strlen(t), "T: line 1 column 4: \\u0000 in a key: a NUL character is refused");
}

static void test_raw_nul_byte_is_refused_anywhere(void **state)
{
	(void)state;
	refused("{\"a\":\"x\0y\"}", 11, "T: line 1 column 8: NUL byte in a string");
	refused("{\"a\":1}\0", 8, "T: line 1 column 8: NUL byte after the value");
	refused("{\0\"a\":1}", 8, "T: line 1 column 2: NUL byte, expected a key string");
	refused("\0", 1, "T: line 1 column 1: NUL byte, expected a value");
}

static void test_trailing_data_after_the_value_is_refused(void **state)
{
	(void)state;
	refused("{\"a\":1}{}", 9, "T: line 1 column 8: trailing data after the value ('{')");
	refused("{\"a\":1}x", 8, "T: line 1 column 8: trailing data after the value ('x')");
	refused("{\"a\":1}\n{\"a\":2}", 15,
		"T: line 2 column 1: trailing data after the value ('{')");
	refused("{\"a\":1} 1", 9, "T: line 1 column 9: trailing data after the value ('1')");
	refused("{\"a\":1}\x01", 8,
		"T: line 1 column 8: trailing data after the value (byte 0x01)");
}

static void test_trailing_whitespace_is_fine(void **state)
{
	(void)state;
	accepted("{\"a\":1} \t\r\n\n");
	accepted(" \n[1, 2]");
	accepted("\"just a string\"");
	accepted("-0.5e+10");
}

static void test_invalid_utf8_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} CASES[] = {
		{ "[\"\xc0\x80\"]",
		  "T: line 1 column 3: invalid UTF-8: byte 0xc0 cannot start a character" },
		{ "[\"\xe0\x80\x80\"]", /* overlong 3-byte */
		  "T: line 1 column 4: invalid UTF-8: byte 0x80 after lead 0xe0" },
		{ "[\"\xed\xa0\x80\"]", /* an encoded surrogate, U+D800 */
		  "T: line 1 column 4: invalid UTF-8: byte 0xa0 after lead 0xed" },
		{ "[\"\xf4\x90\x80\x80\"]", /* above U+10FFFF */
		  "T: line 1 column 4: invalid UTF-8: byte 0x90 after lead 0xf4" },
		{ "[\"\x80\"]",
		  "T: line 1 column 3: invalid UTF-8: byte 0x80 cannot start a character" },
		{ "[\"\xe2\x82\"]",
		  "T: line 1 column 5: invalid UTF-8: byte 0x22 after lead 0xe2" },
		{ "[\"\xe2\x82", "T: line 1 column 3: invalid UTF-8: sequence cut at the end" },
		{ "{\"\xff\":1}",
		  "T: line 1 column 3: invalid UTF-8: byte 0xff cannot start a character" },
		{ "[\xc3\xa9]", "T: line 1 column 2: unexpected byte 0xc3, expected a value" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
		refused(CASES[i].text, strlen(CASES[i].text), CASES[i].want);
	accepted("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf\"]");
}

static void test_lone_surrogate_escapes_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} CASES[] = {
		{ "[\"\\uD800\"]", "T: line 1 column 3: lone surrogate \\uD800 in a string" },
		{ "[\"\\udc00\"]", "T: line 1 column 3: lone surrogate \\uDC00 in a string" },
		{ "[\"\\uD800\\u0041\"]",
		  "T: line 1 column 3: lone surrogate \\uD800 in a string" },
		{ "[\"\\uDBFFx\"]", "T: line 1 column 3: lone surrogate \\uDBFF in a string" },
		{ "[\"\\uDC00\\uD800\"]",
		  "T: line 1 column 3: lone surrogate \\uDC00 in a string" },
		{ "{\"\\uD800\":1}", "T: line 1 column 3: lone surrogate \\uD800 in a key" },
		{ "[\"\\u12\"]", "T: line 1 column 3: invalid \\u escape (needs four hex digits)" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
		refused(CASES[i].text, strlen(CASES[i].text), CASES[i].want);
	/* a pair is one character, decoded to UTF-8 */
	char why[WHY_MAX];
	cJSON *root = parse("[\"\\uD83D\\uDE00\"]", why);
	assert_non_null(root);
	assert_string_equal(cJSON_GetArrayItem(root, 0)->valuestring, "\xf0\x9f\x98\x80");
	cJSON_Delete(root);
}

/* depth arrays around a 1. */
static char *nested(int depth)
{
	char *t = malloc((size_t)depth * 2 + 2);
	assert_non_null(t);
	memset(t, '[', (size_t)depth);
	t[depth] = '1';
	memset(t + depth + 1, ']', (size_t)depth);
	t[2 * depth + 1] = '\0';
	return t;
}

static void test_nesting_is_bounded_by_json_strict_max_depth(void **state)
{
	(void)state;
	char *t = nested(JSON_STRICT_MAX_DEPTH);
	accepted(t);
	free(t);
	t = nested(JSON_STRICT_MAX_DEPTH + 1);
	char want[96];
	snprintf(want, sizeof want,
		 "T: line 1 column %d: nested deeper than %d (JSON_STRICT_MAX_DEPTH)",
		 JSON_STRICT_MAX_DEPTH + 1, JSON_STRICT_MAX_DEPTH);
	refused(t, strlen(t), want);
	free(t);
	/* objects count too */
	t = nested(JSON_STRICT_MAX_DEPTH - 1);
	char *o = malloc(strlen(t) + 16);
	assert_non_null(o);
	sprintf(o, "{\"a\":%s}", t);
	accepted(o);
	sprintf(o, "[{\"a\":%s}]", t);
	snprintf(want, sizeof want,
		 "T: line 1 column %d: nested deeper than %d (JSON_STRICT_MAX_DEPTH)",
		 JSON_STRICT_MAX_DEPTH + 5, JSON_STRICT_MAX_DEPTH);
	refused(o, strlen(o), want);
	free(o);
	free(t);
}

static void test_empty_input_is_refused(void **state)
{
	(void)state;
	refused("", 0, "T: empty input");
	refused(" \n\t", 3, "T: empty input");
	char why[WHY_MAX];
	assert_null(json_strict_parse(NULL, 0, NULL, why, sizeof why));
	assert_string_equal(why, "JSON: empty input");
}

static void test_what_cjson_alone_would_read_differently_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} CASES[] = {
		/* cJSON skips every byte <= 0x20 as whitespace */
		{ "{\"a\":\x01 1}", "T: line 1 column 6: unexpected byte 0x01, expected a value" },
		{ "[\"a\tb\"]",
		  "T: line 1 column 4: control byte 0x09 in a string (must be escaped)" },
		/* cJSON ignores a byte order mark */
		{ "\xef\xbb\xbf{}",
		  "T: line 1 column 1: byte order mark (U+FEFF) before the value" },
		/* numbers by the grammar, not by strtod */
		{ "[01]", "T: line 1 column 3: unexpected '1', expected ',' or ']'" },
		{ "[1.]", "T: line 1 column 4: unexpected ']', expected a digit after '.'" },
		{ "[.5]", "T: line 1 column 2: unexpected '.', expected a value" },
		{ "[+1]", "T: line 1 column 2: unexpected '+', expected a value" },
		{ "[-]", "T: line 1 column 3: unexpected ']', expected a digit" },
		{ "[1e]", "T: line 1 column 4: unexpected ']', expected a digit in the exponent" },
		{ "[0x10]", "T: line 1 column 3: unexpected 'x', expected ',' or ']'" },
		{ "{\"a\":1,}", "T: line 1 column 8: unexpected '}', expected a key string" },
		{ "[1,]", "T: line 1 column 4: unexpected ']', expected a value" },
		{ "['a']", "T: line 1 column 2: unexpected ''', expected a value" },
		{ "[tru]", "T: line 1 column 5: unexpected ']', expected 'true'" },
		{ "[\"\\x\"]", "T: line 1 column 3: invalid escape: backslash then 'x'" },
		{ "{\"a\" 1}", "T: line 1 column 6: unexpected '1', expected ':'" },
		{ "{\"a\":1", "T: line 1 column 7: unexpected end of input, expected ',' or '}'" },
		{ "[\"abc", "T: line 1 column 2: unterminated string" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
		refused(CASES[i].text, strlen(CASES[i].text), CASES[i].want);
}

static void test_numbers_longer_than_cjson_reads_are_refused(void **state)
{
	(void)state;
	/* cJSON 1.7 copies at most 63 characters of a number, so a longer one
	 * would be read as two tokens */
	char t[128];
	snprintf(t, sizeof t, "[1.%0*d]", JSON_STRICT_NUMBER_MAX - 2, 5);
	accepted(t);
	snprintf(t, sizeof t, "[1.%0*d]", JSON_STRICT_NUMBER_MAX - 1, 5);
	char want[96];
	snprintf(want, sizeof want, "T: line 1 column 2: number longer than %d characters",
		 JSON_STRICT_NUMBER_MAX);
	refused(t, strlen(t), want);
}

static void test_messages_show_keys_without_control_bytes(void **state)
{
	(void)state;
	/* an escape sequence for the terminal, as a repeated key */
	const char *t = "{\"\\u001b[2J\":1,\"\\u001b[2J\":2}";
	refused(t, strlen(t),
		"T: line 1 column 16: duplicate key \"?[2J\" (a reader may take either)");
	/* a long key is cut */
	char big[256];
	snprintf(big, sizeof big, "{\"%s\":1,\"%s\":2}",
		 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
		 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
	refused(big, strlen(big),
		"T: line 1 column 59: duplicate key "
		"\"abcdefghijklmnopqrstuvwxyzabcdefghijklmn...\" "
		"(a reader may take either)");
}

static void test_buffer_is_read_to_len_only(void **state)
{
	(void)state;
	/* parse_n hands over a copy with nothing after it (sanitizer builds
	 * catch a read past len); a shorter len ends the input early */
	accepted("{\"a\":[1,2,{\"b\":null}],\"c\":true}");
	char why[WHY_MAX];
	cJSON *root = parse_n("{\"a\":1}garbage", 7, why);
	assert_non_null(root);
	cJSON_Delete(root);
}

static void test_the_aws_cli_get_digest_output_parses(void **state)
{
	(void)state;
	size_t len;
	char *json = read_file(shared_path("vectors/qldb/aws-cli-examples/get-digest.output.json"),
			       &len);
	assert_non_null(json);
	char why[WHY_MAX];
	cJSON *root = json_strict_parse(json, len, "get-digest.output.json", why, sizeof why);
	assert_non_null(root);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "Digest");
	assert_true(cJSON_IsString(d));
	assert_string_equal(d->valuestring, AWS_CLI_DIGEST);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "DigestTipAddress"), "IonText");
	assert_true(cJSON_IsString(t));
	assert_string_equal(t->valuestring, "{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:123}");
	cJSON_Delete(root);
	free(json);
}

static void test_type_names_for_messages(void **state)
{
	(void)state;
	char why[WHY_MAX];
	cJSON *root = parse("[{},[],\"s\",1,true,false,null]", why);
	assert_non_null(root);
	static const char *const WANT[] = { "object",  "array",	  "string", "number",
					    "boolean", "boolean", "null" };
	for (int i = 0; i < 7; i++)
		assert_string_equal(json_type_name(cJSON_GetArrayItem(root, i)), WANT[i]);
	assert_string_equal(json_type_name(NULL), "nothing");
	cJSON_Delete(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicate_key_at_the_top_is_refused_at_its_second_occurrence),
		cmocka_unit_test(test_duplicate_key_three_objects_down_is_refused),
		cmocka_unit_test(test_duplicate_keys_are_compared_after_decoding),
		cmocka_unit_test(test_duplicate_key_in_a_large_object_is_found_by_sorting),
		cmocka_unit_test(test_nul_escape_is_refused_in_a_value_and_in_a_key),
		cmocka_unit_test(test_raw_nul_byte_is_refused_anywhere),
		cmocka_unit_test(test_trailing_data_after_the_value_is_refused),
		cmocka_unit_test(test_trailing_whitespace_is_fine),
		cmocka_unit_test(test_invalid_utf8_is_refused),
		cmocka_unit_test(test_lone_surrogate_escapes_are_refused),
		cmocka_unit_test(test_nesting_is_bounded_by_json_strict_max_depth),
		cmocka_unit_test(test_empty_input_is_refused),
		cmocka_unit_test(test_what_cjson_alone_would_read_differently_is_refused),
		cmocka_unit_test(test_numbers_longer_than_cjson_reads_are_refused),
		cmocka_unit_test(test_messages_show_keys_without_control_bytes),
		cmocka_unit_test(test_buffer_is_read_to_len_only),
		cmocka_unit_test(test_the_aws_cli_get_digest_output_parses),
		cmocka_unit_test(test_type_names_for_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
