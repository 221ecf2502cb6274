/*
 * test_ion_struct.c - repeated field names (verify/ion_struct.c), from Ion
 * text: none in a clean struct; the second of two is found, in small
 * structs (pairwise) and large ones (sorted), with names compared by text
 * (a quoted and a bare spelling are the same name) and unknown-text names
 * by symbol ID; and the printable form of a field name for messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/ion.h"
#include "verify/ion_struct.h"

static const struct ion_value *parse(const char *text, struct ion_arena **a)
{
	const struct ion_value *v = NULL;
	char why[300];
	assert_int_equal(ion_parse_one_alloc((const uint8_t *)text, strlen(text), "t", a, &v, why,
					     sizeof why),
			 0);
	return v;
}

static void test_clean_struct_has_no_duplicate(void **state)
{
	(void)state;
	struct ion_arena *a;
	const struct ion_value *v = parse("{a:1,b:2,c:{a:1}}", &a);
	assert_null(ion_struct_duplicate(v));
	assert_null(ion_struct_duplicate(v->u.c.first_child)); /* not a struct */
	ion_arena_free(a);
}

static void test_second_of_two_is_found_small_and_large(void **state)
{
	(void)state;
	struct ion_arena *a;
	const struct ion_value *v = parse("{data:1,'metadata':2,\"data\":3}", &a);
	const struct ion_value *d = ion_struct_duplicate(v);
	assert_non_null(d);
	assert_true(d->type == ION_TYPE_INT && d->u.i.len == 1 && d->u.i.mag[0] == 3);
	ion_arena_free(a);
	/* 40 fields: the sorted path; the earliest repeat in input order */
	char text[1024] = "{";
	for (int i = 0; i < 40; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "f%d:%d,", i, i);
	strcat(text, "f7:100,f3:101}");
	v = parse(text, &a);
	d = ion_struct_duplicate(v);
	assert_non_null(d);
	char nm[16];
	assert_string_equal(ion_field_name_print(&d->field_name, nm, sizeof nm), "f7");
	ion_arena_free(a);
}

static void test_names_of_unknown_text_compare_by_symbol_id(void **state)
{
	(void)state;
	struct ion_arena *a;
	/* $10..$14 come from a shared table the reader does not have: their
	 * text is unknown, so only their SIDs tell them apart */
	const char *imp = "$ion_symbol_table::{imports:[{name:\"x\",version:1,max_id:5}]} ";
	char text[1024];
	snprintf(text, sizeof text, "%s{$10:1,$11:2,$0:3,a:4}", imp);
	const struct ion_value *v = parse(text, &a);
	assert_null(v->u.c.first_child->field_name.text);
	assert_null(ion_struct_duplicate(v));
	ion_arena_free(a);
	snprintf(text, sizeof text, "%s{$10:1,$11:2,$10:3}", imp);
	v = parse(text, &a);
	const struct ion_value *d = ion_struct_duplicate(v);
	assert_non_null(d);
	assert_int_equal(d->u.i.mag[0], 3);
	char nm[16];
	assert_string_equal(ion_field_name_print(&d->field_name, nm, sizeof nm), "$10");
	ion_arena_free(a);
	/* $0 twice, in a struct large enough for the sorted path */
	int n = snprintf(text, sizeof text, "{");
	for (int i = 0; i < 20; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, "f%d:%d,", i, i);
	snprintf(text + n, sizeof text - (size_t)n, "$0:1,g:2,$0:3}");
	v = parse(text, &a);
	d = ion_struct_duplicate(v);
	assert_non_null(d);
	assert_int_equal(d->u.i.mag[0], 3);
	ion_arena_free(a);
}

static void test_field_name_print_is_one_safe_line(void **state)
{
	(void)state;
	struct ion_arena *a;
	const struct ion_value *v = parse("{'a\\nb\\x1b[2J':1}", &a);
	char nm[16];
	assert_string_equal(ion_field_name_print(&v->u.c.first_child->field_name, nm, sizeof nm),
			    "a?b?[2J");
	ion_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_struct_has_no_duplicate),
		cmocka_unit_test(test_second_of_two_is_found_small_and_large),
		cmocka_unit_test(test_names_of_unknown_text_compare_by_symbol_id),
		cmocka_unit_test(test_field_name_print_is_one_safe_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
