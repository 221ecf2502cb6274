/*
 * test_widgets_misc.c - the small widgets drawn into pads and read back:
 * sparkline scaling and gaps, gauge clamping and what it drops when
 * narrow, badges that always show their word, and the wrapped banner.
 * Expected strings are written out by hand from the documented rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "tests/unit/test_widgets_common.h"
#include "widgets/badge.h"
#include "widgets/banner.h"
#include "widgets/gauge.h"
#include "widgets/sparkline.h"

/* ---- sparkline ---- */

static void test_sparkline_level_scales_and_clamps(void **state)
{
	(void)state;
	assert_int_equal(sparkline_level(0, 0, 7, 8), 0);
	assert_int_equal(sparkline_level(7, 0, 7, 8), 7);
	assert_int_equal(sparkline_level(3, 0, 7, 8), 3);
	assert_int_equal(sparkline_level(3.4, 0, 7, 8), 3);
	assert_int_equal(sparkline_level(3.6, 0, 7, 8), 4);
	assert_int_equal(sparkline_level(-50, 0, 7, 8), 0);
	assert_int_equal(sparkline_level(1e300, 0, 7, 8), 7);
	assert_int_equal(sparkline_level(NAN, 0, 7, 8), -1);
	assert_int_equal(sparkline_level(INFINITY, 0, 7, 8), -1);
	assert_int_equal(sparkline_level(5, 5, 5, 8), 7); /* flat and positive */
	assert_int_equal(sparkline_level(0, 0, 0, 8), 0); /* flat zero */
	assert_int_equal(sparkline_level(1, 0, 1, 0), -1);
}

static void test_sparkline_draws_the_ramp_scaled_to_min_and_max(void **state)
{
	(void)state;
	WINDOW *w = newpad(2, 12);
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	assert_int_equal(sparkline_draw(w, 0, 0, 8, v, 8, NAN, NAN, A_NORMAL, glyphs_get(false)),
			 8);
	assert_string_equal(tw_row(w, 0), "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
					  "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	sparkline_draw(w, 1, 0, 8, v, 8, NAN, NAN, A_BOLD, glyphs_get(true));
	assert_string_equal(tw_row(w, 1), "_.:-=+*#");
	assert_true(tw_attr(w, 1, 3) & A_BOLD);
	delwin(w);
}

static void test_sparkline_given_max_and_gaps_and_newest_at_right(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 12);
	const struct glyphs *g = glyphs_get(true);
	double v[] = { 0, 50, NAN, 100, 25 };
	/* scale 0..100: 0 -> _, 50 -> level 4 (3.5 rounds up) '=', gap, 100 -> #, 25 -> ':'
	 * (1.75->2) */
	sparkline_draw(w, 0, 0, 5, v, 5, 0, 100, A_NORMAL, g);
	assert_string_equal(tw_row_full(w, 0), "_= #:       ");
	/* more values than cells: the last three */
	sparkline_draw(w, 1, 0, 3, v, 5, 0, 100, A_NORMAL, g);
	assert_string_equal(tw_row(w, 1), " #:");
	/* fewer values than cells: right-aligned */
	sparkline_draw(w, 2, 0, 6, v + 3, 2, 0, 100, A_NORMAL, g);
	assert_string_equal(tw_row_full(w, 2), "    #:      ");
	assert_int_equal(sparkline_draw(w, 0, 0, 0, v, 5, 0, 100, A_NORMAL, g), 0);
	assert_int_equal(sparkline_draw(w, 0, 0, 4, NULL, 5, 0, 100, A_NORMAL, g), 4);
	delwin(w);
}

static void test_sparkline_of_all_missing_values_is_blank(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 6);
	double v[] = { NAN, NAN, -INFINITY };
	sparkline_draw(w, 0, 0, 3, v, 3, NAN, NAN, A_NORMAL, glyphs_get(false));
	assert_string_equal(tw_row(w, 0), "");
	delwin(w);
}

/* ---- gauge ---- */

static void test_gauge_draws_bar_percent_and_label(void **state)
{
	(void)state;
	WINDOW *w = newpad(2, 30);
	/* 25 cells: 2 brackets, 10 of bar, " 44%", " 12/27 MB" */
	assert_int_equal(gauge_draw(w, 0, 0, 25, 12.0 / 27.0, "12/27 MB", A_BOLD, A_NORMAL,
				    glyphs_get(true)),
			 25);
	assert_string_equal(tw_row(w, 0), "[####      ] 44% 12/27 MB");
	assert_true(tw_attr(w, 0, 1) & A_BOLD);
	assert_false(tw_attr(w, 0, 0) & A_BOLD);
	gauge_draw(w, 1, 0, 11, 1.0, NULL, A_NORMAL, A_NORMAL, glyphs_get(false));
	assert_string_equal(tw_row(w, 1),
			    "[\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88] 100%");
	delwin(w);
}

static void test_gauge_clamps_and_never_shows_100_before_done(void **state)
{
	(void)state;
	assert_int_equal(gauge_percent(0.999), 99);
	assert_int_equal(gauge_percent(1.0), 100);
	assert_int_equal(gauge_percent(7.5), 100);
	assert_int_equal(gauge_percent(-1), 0);
	assert_int_equal(gauge_percent(NAN), 0);
	assert_int_equal(gauge_fill_cells(0.999, 10), 9);
	assert_int_equal(gauge_fill_cells(2, 10), 10);
	assert_int_equal(gauge_fill_cells(0.5, -3), 0);
	assert_true(gauge_clamp(INFINITY) == 1);
}

static void test_gauge_drops_label_then_bar_when_narrow(void **state)
{
	(void)state;
	WINDOW *w = newpad(4, 20);
	const struct glyphs *g = glyphs_get(true);
	gauge_draw(w, 0, 0, 12, 0.5, "a long label", A_NORMAL, A_NORMAL, g);
	/* with the label the bar would be under 3 cells: the label goes */
	assert_string_equal(tw_row(w, 0), "[###   ] 50%");
	gauge_draw(w, 1, 0, 8, 0.5, NULL, A_NORMAL, A_NORMAL, g);
	assert_string_equal(tw_row(w, 1), "50%"); /* a 2-cell bar is no bar */
	gauge_draw(w, 2, 0, 2, 0.5, "x", A_NORMAL, A_NORMAL, g);
	assert_string_equal(tw_row(w, 2), "50");
	assert_int_equal(gauge_draw(w, 3, 0, 0, 0.5, "x", A_NORMAL, A_NORMAL, g), 0);
	assert_int_equal(gauge_draw(w, 3, 0, -4, 0.5, "x", A_NORMAL, A_NORMAL, g), 0);
	delwin(w);
}

/* ---- badge ---- */

static void test_badge_draws_the_word_in_brackets_or_reverse(void **state)
{
	(void)state;
	WINDOW *w = newpad(2, 20);
	assert_int_equal(badge_draw(w, 0, 0, 20, "FAILED", BADGE_BRACKETS, A_BOLD, false), 8);
	assert_string_equal(tw_row(w, 0), "[FAILED]");
	assert_true(tw_attr(w, 0, 1) & A_BOLD);
	assert_int_equal(badge_draw(w, 1, 2, 18, "VERIFIED", BADGE_REVERSE, A_NORMAL, false), 10);
	assert_string_equal(tw_row(w, 1), "   VERIFIED");
	assert_true(tw_attr(w, 1, 3) & A_REVERSE);
	assert_true(tw_attr(w, 1, 2) & A_REVERSE); /* the padding too */
	assert_int_equal(badge_width("FAILED", BADGE_BRACKETS), 8);
	delwin(w);
}

static void test_badge_keeps_the_word_when_short_of_room(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 20);
	badge_draw(w, 0, 0, 7, "FAILED", BADGE_BRACKETS, A_NORMAL, false);
	assert_string_equal(tw_row(w, 0), "FAILED");
	badge_draw(w, 1, 0, 4, "FAILED", BADGE_BRACKETS, A_NORMAL, false);
	assert_string_equal(tw_row(w, 1), "FAIL");
	badge_draw(w, 2, 0, 20, "BAD\x1b[0m", BADGE_BRACKETS, A_NORMAL, true);
	assert_string_equal(tw_row(w, 2), "[BAD?[0m]");
	assert_int_equal(badge_draw(w, 0, 0, 0, "FAILED", BADGE_BRACKETS, A_NORMAL, false), 0);
	assert_int_equal(badge_draw(w, 0, 0, 5, NULL, BADGE_BRACKETS, A_NORMAL, false), 0);
	delwin(w);
}

/* ---- banner ---- */

static const char *integrity_msg =
	"INTEGRITY FAILED ledger X block {strandId:..,sequenceNo:5}: expected ab12.. "
	"computed cd34..  press a to acknowledge";

static void test_banner_wraps_at_spaces_across_the_full_width(void **state)
{
	(void)state;
	WINDOW *w = newpad(5, 40);
	assert_int_equal(banner_rows(integrity_msg, 40, 3), 3);
	assert_int_equal(banner_draw(w, 0, 3, integrity_msg, A_BOLD, glyphs_get(true)), 3);
	assert_string_equal(tw_row(w, 0), "INTEGRITY FAILED ledger X block");
	assert_string_equal(tw_row(w, 1), "{strandId:..,sequenceNo:5}: expected");
	/* the last row uses its full width for the rest, cut with "..." */
	assert_string_equal(tw_row(w, 2), "ab12.. computed cd34..  press a to ac...");
	assert_string_equal(tw_row(w, 3), "");
	assert_true(tw_attr(w, 0, 39) & A_BOLD); /* filled edge to edge */
	assert_true(tw_attr(w, 2, 39) & A_BOLD);
	assert_false(tw_attr(w, 3, 0) & A_BOLD);
	delwin(w);
}

static void test_banner_ends_with_an_ellipsis_when_cut(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 40);
	assert_int_equal(banner_draw(w, 0, 2, integrity_msg, A_NORMAL, glyphs_get(false)), 2);
	assert_string_equal(tw_row(w, 0), "INTEGRITY FAILED ledger X block");
	assert_string_equal(tw_row(w, 1), "{strandId:..,sequenceNo:5}: expected ab\xe2\x80\xa6");
	assert_int_equal(banner_rows(integrity_msg, 200, 3), 1);
	assert_int_equal(banner_rows("", 40, 3), 0);
	assert_int_equal(banner_rows(integrity_msg, 0, 3), 0);
	assert_int_equal(banner_rows(integrity_msg, 40, 0), 0);
	/* the window has fewer rows than asked */
	assert_int_equal(banner_draw(w, 2, 5, integrity_msg, A_NORMAL, glyphs_get(false)), 1);
	assert_int_equal(banner_draw(w, 3, 5, integrity_msg, A_NORMAL, glyphs_get(false)), 0);
	assert_int_equal(banner_draw(w, -1, 5, integrity_msg, A_NORMAL, glyphs_get(false)), 0);
	delwin(w);
}

static void test_banner_cuts_a_word_longer_than_the_row(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 10);
	assert_int_equal(
		banner_draw(w, 0, 3, "hash:0123456789abcdef\n", A_REVERSE, glyphs_get(true)), 3);
	assert_string_equal(tw_row(w, 0), "hash:01234");
	assert_string_equal(tw_row(w, 1), "56789abcde");
	assert_string_equal(tw_row(w, 2), "f?");
	assert_false(tw_has_non_ascii(w));
	delwin(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparkline_level_scales_and_clamps),
		cmocka_unit_test(test_sparkline_draws_the_ramp_scaled_to_min_and_max),
		cmocka_unit_test(test_sparkline_given_max_and_gaps_and_newest_at_right),
		cmocka_unit_test(test_sparkline_of_all_missing_values_is_blank),
		cmocka_unit_test(test_gauge_draws_bar_percent_and_label),
		cmocka_unit_test(test_gauge_clamps_and_never_shows_100_before_done),
		cmocka_unit_test(test_gauge_drops_label_then_bar_when_narrow),
		cmocka_unit_test(test_badge_draws_the_word_in_brackets_or_reverse),
		cmocka_unit_test(test_badge_keeps_the_word_when_short_of_room),
		cmocka_unit_test(test_banner_wraps_at_spaces_across_the_full_width),
		cmocka_unit_test(test_banner_ends_with_an_ellipsis_when_cut),
		cmocka_unit_test(test_banner_cuts_a_word_longer_than_the_row),
	};
	return cmocka_run_group_tests(tests, tw_setup, tw_teardown);
}
