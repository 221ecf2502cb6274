/*
 * test_api_tags.c - ListTagsForResource's reader (api/qldb.c) and the tags
 * descriptor (api/resource_tags.c): tags come out sorted by key whatever
 * the order on the wire; absent or null Tags is no tags; the model's
 * limits (200 tags, keys 1..128 and values 0..256 characters, counted as
 * characters, not bytes) hold; a wrong type is an error naming the
 * operation and the member; the descriptor polls STORE_TAGS every 30 s
 * and shows the pairs in JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/qldb.h"
#include "api/resource.h"

static int parse(const char *json, struct qldb_tags *t, struct api_error *err)
{
	return qldb_parse_list_tags(json, strlen(json), t, err);
}

static void test_tags_are_read_and_sorted_by_key(void **state)
{
	(void)state;
	struct qldb_tags t;
	struct api_error err;
	assert_int_equal(
		parse("{\"Tags\":{\"team\":\"ops\",\"env\":\"prod\",\"Owner\":\"\"}}", &t, &err),
		0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.items[0].key, "Owner"); /* byte order: 'O' < 'e' */
	assert_string_equal(t.items[0].value, "");
	assert_string_equal(t.items[1].key, "env");
	assert_string_equal(t.items[1].value, "prod");
	assert_string_equal(t.items[2].key, "team");
	assert_string_equal(t.items[2].value, "ops");
	qldb_tags_free(&t);
	assert_int_equal(t.n, 0);
	qldb_tags_free(&t); /* twice is safe */
}

static void test_absent_or_null_tags_are_no_tags(void **state)
{
	(void)state;
	struct qldb_tags t;
	struct api_error err;
	assert_int_equal(parse("{}", &t, &err), 0);
	assert_int_equal(t.n, 0);
	qldb_tags_free(&t);
	assert_int_equal(parse("{\"Tags\":null}", &t, &err), 0);
	assert_int_equal(t.n, 0);
	qldb_tags_free(&t);
	assert_int_equal(parse("{\"Tags\":{}}", &t, &err), 0);
	assert_int_equal(t.n, 0);
	qldb_tags_free(&t);
}

static void expect_error(const char *json, int status, const char *needle)
{
	struct qldb_tags t;
	struct api_error err;
	int rc = parse(json, &t, &err);
	if (rc != status)
		fail_msg("%.80s: rc %d, expected %d", json, rc, status);
	assert_non_null(strstr(err.msg, "ListTagsForResource"));
	if (!strstr(err.msg, needle))
		fail_msg("'%s' does not name '%s'", err.msg, needle);
	assert_null(t.items); /* released on error */
	assert_int_equal(t.n, 0);
}

static void test_wrong_types_and_shapes_are_errors_naming_the_member(void **state)
{
	(void)state;
	expect_error("{\"Tags\":[]}", API_ERR_PARSE, "Tags");
	expect_error("{\"Tags\":\"a=b\"}", API_ERR_PARSE, "Tags");
	expect_error("{\"Tags\":{\"env\":1}}", API_ERR_PARSE, "Tags.env");
	expect_error("{\"Tags\":{\"ok\":\"x\",\"env\":null}}", API_ERR_PARSE, "Tags.env");
	expect_error("{\"Tags\":{\"\":\"x\"}}", API_ERR_PARSE, "key of 0 characters");
	expect_error("{\"Tags\":{\"a\":\"x\",\"a\":\"y\"}}", API_ERR_PARSE, "");
	expect_error("[]", API_ERR_PARSE, "");
	expect_error("{\"Tags\":{}} x", API_ERR_PARSE, "");
}

static char *tags_json(size_t n, size_t key_chars, size_t value_chars, const char *unit)
{
	size_t ul = strlen(unit);
	char *s = malloc(64 + n * (16 + (key_chars + value_chars) * ul)), *p = s;
	p += sprintf(p, "{\"Tags\":{");
	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%s\"%03zu", i ? "," : "", i);
		for (size_t k = 3; k < key_chars; k++)
			p += sprintf(p, "%s", unit);
		p += sprintf(p, "\":\"");
		for (size_t k = 0; k < value_chars; k++)
			p += sprintf(p, "%s", unit);
		p += sprintf(p, "\"");
	}
	sprintf(p, "}}");
	return s;
}

static void test_the_models_limits_hold_in_characters(void **state)
{
	(void)state;
	struct qldb_tags t;
	struct api_error err;
	/* at the limits, with 2-byte characters: lengths are in characters */
	char *j = tags_json(200, 128, 256, "\xc3\xa9");
	assert_true(strlen(j) > QLDB_RESPONSE_MAX); /* the tags cap is its own */
	assert_int_equal(parse(j, &t, &err), 0);
	assert_int_equal(t.n, 200);
	assert_memory_equal(t.items[0].key, "000", 3);
	assert_memory_equal(t.items[199].key, "199", 3);
	qldb_tags_free(&t);
	free(j);
	j = tags_json(201, 4, 1, "a");
	expect_error(j, API_ERR_LIMIT, "201 tags");
	free(j);
	j = tags_json(1, 129, 1, "a");
	expect_error(j, API_ERR_PARSE, "key of 129 characters");
	free(j);
	j = tags_json(1, 4, 257, "\xc3\xa9");
	expect_error(j, API_ERR_PARSE, "value of 257 characters");
	free(j);
}

static void test_the_descriptor_polls_tags_every_30s_and_shows_pairs(void **state)
{
	(void)state;
	const struct resource_desc *d = resource_for_kind(STORE_TAGS);
	assert_non_null(d);
	assert_string_equal(d->name, "tags");
	assert_string_equal(d->operation, "ListTagsForResource");
	assert_int_equal(d->scope, RESOURCE_SCOPE_LEDGER);
	assert_int_equal(d->base_interval_s, 30);
	assert_non_null(d->to_json);
	struct qldb_tags *t = calloc(1, sizeof *t);
	struct api_error err;
	assert_int_equal(parse("{\"Tags\":{\"b\":\"2\",\"a\":\"1\"}}", t, &err), 0);
	cJSON *arr = cJSON_CreateArray();
	d->to_json(t, arr);
	char *txt = cJSON_PrintUnformatted(arr);
	assert_string_equal(txt,
			    "[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]");
	free(txt);
	cJSON_Delete(arr);
	d->free_value(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags_are_read_and_sorted_by_key),
		cmocka_unit_test(test_absent_or_null_tags_are_no_tags),
		cmocka_unit_test(test_wrong_types_and_shapes_are_errors_naming_the_member),
		cmocka_unit_test(test_the_models_limits_hold_in_characters),
		cmocka_unit_test(test_the_descriptor_polls_tags_every_30s_and_shows_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
