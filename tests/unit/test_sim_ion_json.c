/*
 * test_sim_ion_json.c - QLDB's Ion to JSON down-conversion (sim/ion_json.c)
 * against hand-written expectations: each Ion type becomes what QLDB's JSON
 * exports hold (numbers, strings of timestamps, base64 blobs, null for
 * typed nulls and non-finite floats, no annotations), every output parses
 * as JSON, and strings are escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ion_json.h"
#include "verify/ion.h"

static void expect(const char *ion, const char *json)
{
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[200], err[200];
	struct buf out = { 0 };
	if (ion_parse_one_alloc((const uint8_t *)ion, strlen(ion), NULL, &a, &v, why, sizeof why))
		fail_msg("%s: %s", ion, why);
	assert_int_equal(sim_ion_to_json(&out, v, err, sizeof err), 0);
	buf_append_byte(&out, 0);
	if (strcmp((const char *)out.data, json) != 0)
		fail_msg("%s -> %s, want %s", ion, (const char *)out.data, json);
	cJSON *parsed = cJSON_Parse((const char *)out.data);
	assert_non_null(parsed); /* valid JSON */
	cJSON_Delete(parsed);
	buf_free(&out);
	ion_arena_free(a);
}

static void test_each_type_down_converts(void **state)
{
	(void)state;
	expect("null", "null");
	expect("null.int", "null");
	expect("true", "true");
	expect("42", "42");
	expect("-7", "-7");
	expect("90.25", "90.25");
	expect("5.", "5e0");
	expect("1.5d2", "15e1");
	expect("1.5e0", "1.5e0");
	expect("+inf", "null");
	expect("nan", "null");
	expect("2026-01-01T00:00:20.000Z", "\"2026-01-01T00:00:20.000Z\"");
	expect("'a symbol'", "\"a symbol\"");
	expect("\"quote \\\" and \\\\ and \\n\"", "\"quote \\\" and \\\\ and \\u000a\"");
	expect("{{aGVsbG8=}}", "\"aGVsbG8=\"");
	expect("[1, (a b), {c: d}]", "[1,[\"a\",\"b\"],{\"c\":\"d\"}]");
	expect("ann::{x: ann2::1}", "{\"x\":1}");
	expect("{blockAddress:{strandId:\"S\",sequenceNo:3},amount:12.50}",
	       "{\"blockAddress\":{\"strandId\":\"S\",\"sequenceNo\":3},\"amount\":12.50}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_type_down_converts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
