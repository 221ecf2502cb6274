/*
 * test_widgets_render.c - widgets drawn into off-screen curses windows
 * (a terminal opened with newterm on /dev/null, pads of a fixed size) and
 * read back cell by cell: frames and titles, key/value clipping and
 * wrapping, attributes kept per value, status bars that drop whole hints,
 * and UTF-8 aware clipping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "widgets/box.h"
#include "widgets/kvtable.h"
#include "widgets/statusbar.h"
#include "widgets/text.h"

#include "tests/unit/test_widgets_common.h"

static void test_box_draws_an_ascii_frame_with_its_title(void **state)
{
	(void)state;
	WINDOW *w = newpad(4, 20);
	struct box_style st = { A_NORMAL, A_BOLD, true };
	box_draw(w, "Ledger", &st);
	assert_string_equal(tw_row(w, 0), "+- Ledger ---------+");
	assert_string_equal(tw_row(w, 1), "|                  |");
	assert_string_equal(tw_row(w, 3), "+------------------+");
	assert_true(mvwinch(w, 0, 3) & A_BOLD); /* the title carries its attribute */
	assert_false(mvwinch(w, 0, 0) & A_BOLD);
	delwin(w);
}

static void test_box_clips_a_long_title_and_survives_tiny_windows(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 12);
	struct box_style st = { A_NORMAL, A_NORMAL, true };
	box_draw(w, "A very long title", &st);
	assert_string_equal(tw_row(w, 0), "+- A very -+");
	delwin(w);
	w = newpad(1, 1);
	box_draw(w, "x", &st); /* nothing to draw, no crash */
	delwin(w);
}

static void test_kvtable_pads_keys_and_clips_values_with_ellipsis(void **state)
{
	(void)state;
	WINDOW *w = newpad(4, 30);
	struct kv_row rows[] = {
		{ "Name", "financial-ledger", A_NORMAL, 1 },
		{ "ARN", "arn:aws:qldb:us-east-1:123456789012:ledger/x", A_NORMAL, 1 },
		{ "State", "ACTIVE", A_BOLD, 1 },
	};
	struct kvtable_area a = { .y = 0, .x = 0, .width = 30, .height = 4, .key_width = 0 };
	assert_int_equal(kvtable_draw(w, &a, rows, 3), 3);
	assert_string_equal(tw_row(w, 0), "Name  financial-ledger");
	assert_string_equal(tw_row(w, 1), "ARN   arn:aws:qldb:us-east-...");
	assert_string_equal(tw_row(w, 2), "State ACTIVE");
	assert_true(mvwinch(w, 2, 6) & A_BOLD);
	assert_false(mvwinch(w, 0, 6) & A_BOLD);
	delwin(w);
}

static void test_kvtable_wraps_at_spaces_and_stops_at_its_height(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 20);
	struct kv_row rows[] = {
		{ "Err", "stale 5s, last error: connection refused by peer", A_NORMAL, 5 },
		{ "Next", "never drawn", A_NORMAL, 1 },
	};
	struct kvtable_area a = { .y = 0, .x = 0, .width = 20, .height = 3, .key_width = 5 };
	assert_int_equal(kvtable_draw(w, &a, rows, 2), 3);
	assert_string_equal(tw_row(w, 0), "Err  stale 5s, last");
	assert_string_equal(tw_row(w, 1), "     error:");
	assert_string_equal(tw_row(w, 2), "     connection r...");
	delwin(w);
}

static void test_statusbar_keeps_right_text_and_drops_whole_hints(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 30);
	struct statusbar_hint hints[] = { { "q", "Quit" }, { "r", "Refresh" }, { "Tab", "Next" } };
	struct statusbar_style st = { A_NORMAL, A_BOLD, A_NORMAL };
	statusbar_draw(w, 0, NULL, hints, 3, "gen 42", &st);
	assert_string_equal(tw_row(w, 0), "q Quit  r Refresh       gen 42");
	assert_true(mvwinch(w, 0, 0) & A_BOLD);	 /* the key */
	assert_false(mvwinch(w, 0, 2) & A_BOLD); /* the label */
	delwin(w);
}

static void test_text_fit_counts_utf8_characters_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_cells("abc"), 3);
	assert_int_equal(text_cells("h\xc3\xa9llo"), 5);  /* é is 2 bytes, 1 cell */
	assert_int_equal(text_fit("h\xc3\xa9llo", 2), 3); /* never splits é */
	assert_int_equal(text_fit("abc", 0), 0);
	assert_int_equal(text_fit("abc", 10), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_box_draws_an_ascii_frame_with_its_title),
		cmocka_unit_test(test_box_clips_a_long_title_and_survives_tiny_windows),
		cmocka_unit_test(test_kvtable_pads_keys_and_clips_values_with_ellipsis),
		cmocka_unit_test(test_kvtable_wraps_at_spaces_and_stops_at_its_height),
		cmocka_unit_test(test_statusbar_keeps_right_text_and_drops_whole_hints),
		cmocka_unit_test(test_text_fit_counts_utf8_characters_not_bytes),
	};
	return cmocka_run_group_tests(tests, tw_setup, tw_teardown);
}
