/*
 * test_widgets_text.c - the one text rule of every widget: strings are
 * cut on character boundaries, unsafe characters (control bytes, invalid
 * UTF-8, bidi overrides, wide glyphs) are drawn as one '?' each and never
 * raw, and the glyph tables keep ASCII mode free of bytes >= 0x80.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "tests/unit/test_widgets_common.h"
#include "widgets/glyphs.h"
#include "widgets/kvtable.h"
#include "widgets/text.h"

static void test_text_next_decodes_strict_utf8(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(text_next("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_next("\xc3\xa9", &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_next("\xe2\x96\xb2", &cp), 3);
	assert_int_equal(cp, 0x25B2);
	assert_int_equal(text_next("\xf0\x9f\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(text_next("", &cp), 0);
	/* overlong '/', a surrogate, above U+10FFFF, a lone continuation,
	 * a truncated sequence at the end: one bad byte each */
	const char *bad[] = { "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xe2\x96" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(text_next(bad[i], &cp), 1);
		assert_true(cp == TEXT_BAD);
	}
}

static void test_text_cells_counts_each_bad_byte_as_one_cell(void **state)
{
	(void)state;
	assert_int_equal(text_cells("h\xc3\xa9llo"), 5);
	assert_int_equal(text_cells("a\x80\x80"
				    "b"),
			 4);
	assert_int_equal(text_cells("\xe2\x96"), 2); /* truncated: 2 bad bytes */
	assert_int_equal(text_cells(NULL), 0);
	assert_int_equal(text_fit("\xe2\x96\xb2\xe2\x96\xb2", 1), 3); /* never splits ▲ */
	assert_int_equal(text_fit("abc", -5), 0);
	assert_int_equal(text_tail("abcdef", 2), 4);
	assert_int_equal(text_tail("ab", 5), 0);
	assert_int_equal(text_tail("x\xc3\xa9", 1), 1);
}

static void test_text_cp_safe_refuses_controls_bidi_and_wide(void **state)
{
	(void)state;
	assert_true(text_cp_safe('a'));
	assert_true(text_cp_safe(0xE9));
	assert_true(text_cp_safe(0x2588));
	assert_false(text_cp_safe(0x1B));    /* ESC */
	assert_false(text_cp_safe(0x7F));    /* DEL */
	assert_false(text_cp_safe(0x9B));    /* C1 CSI */
	assert_false(text_cp_safe(0x202E));  /* right-to-left override */
	assert_false(text_cp_safe(0x0301));  /* combining acute */
	assert_false(text_cp_safe(0x4E2D));  /* CJK: two cells */
	assert_false(text_cp_safe(0x1F600)); /* emoji: two cells */
	assert_false(text_cp_safe(TEXT_BAD));
}

static void test_text_put_draws_controls_and_bad_bytes_as_question_marks(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 20);
	int n = text_put(w, 0, 0, 20,
			 "a\x1b[31mb\nc\x80\xc2\x9b"
			 "d",
			 13, A_NORMAL, false);
	assert_int_equal(n, 12);
	assert_string_equal(tw_row(w, 0), "a?[31mb?c??d");
	assert_false(tw_has_non_ascii(w));
	delwin(w);
}

static void test_text_put_never_wraps_past_the_right_edge(void **state)
{
	(void)state;
	WINDOW *w = newpad(2, 5);
	assert_int_equal(text_put(w, 0, 2, 100, "abcdefgh", 8, A_NORMAL, false), 3);
	assert_string_equal(tw_row(w, 0), "  abc");
	assert_string_equal(tw_row(w, 1), "");
	assert_int_equal(text_put(w, 0, 5, 3, "x", 1, A_NORMAL, false), 0);
	assert_int_equal(text_put(w, 3, 0, 3, "x", 1, A_NORMAL, false), 0);
	assert_int_equal(text_put(w, 0, -1, 3, "x", 1, A_NORMAL, false), 0);
	delwin(w);
}

static void test_text_put_in_ascii_mode_replaces_non_ascii(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 10);
	assert_int_equal(text_put(w, 0, 0, 10, "h\xc3\xa9llo", 6, A_NORMAL, true), 5);
	assert_string_equal(tw_row(w, 0), "h?llo");
	werase(w);
	text_put(w, 0, 0, 10, "h\xc3\xa9llo", 6, A_NORMAL, false);
	assert_string_equal(tw_row(w, 0), "h\xc3\xa9llo");
	delwin(w);
}

static void test_text_put_fit_cuts_at_the_end_or_the_middle(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 20);
	const char *arn = "arn:aws:qldb:us-east-1:123456789012:ledger/prod";
	assert_int_equal(text_put_fit(w, 0, 0, 12, arn, A_NORMAL, "\u2026", TEXT_CUT_END, false),
			 12);
	assert_string_equal(tw_row(w, 0), "arn:aws:qld\u2026");
	assert_int_equal(text_put_fit(w, 1, 0, 13, arn, A_BOLD, "...", TEXT_CUT_MIDDLE, false), 13);
	assert_string_equal(tw_row(w, 1), "arn:a.../prod");
	assert_true(tw_attr(w, 1, 0) & A_BOLD);
	/* room under the ellipsis: plain cut */
	assert_int_equal(text_put_fit(w, 2, 0, 2, arn, A_NORMAL, "...", TEXT_CUT_END, false), 2);
	assert_string_equal(tw_row(w, 2), "ar");
	delwin(w);
}

static void test_text_put_fit_never_splits_a_character(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 10);
	/* five é (two bytes each) in four cells with "." */
	text_put_fit(w, 0, 0, 4, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", A_NORMAL, ".",
		     TEXT_CUT_END, false);
	assert_string_equal(tw_row(w, 0), "\xc3\xa9\xc3\xa9\xc3\xa9.");
	delwin(w);
}

static void test_kvtable_draws_a_hostile_value_without_control_bytes(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 30);
	kvtable_put_clipped(w, 0, 0, 30, "ok\x1b]0;pwned\x07\r\n", A_NORMAL);
	assert_string_equal(tw_row(w, 0), "ok?]0;pwned???");
	assert_false(tw_has_non_ascii(w));
	delwin(w);
}

static void test_ascii_glyphs_have_no_byte_above_0x7f(void **state)
{
	(void)state;
	const struct glyphs *g = glyphs_get(true);
	const char *all[] = { g->hline,	      g->vline,	       g->top_left, g->top_right,
			      g->bottom_left, g->bottom_right, g->tee_left, g->tee_right,
			      g->sort_up,     g->sort_down,    g->gap,	    g->gauge_fill,
			      g->gauge_empty, g->bullet,       g->ellipsis, g->select,
			      g->check,	      g->cross };
	assert_true(g->ascii);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_non_null(all[i]);
		assert_int_equal(text_cells(all[i]), i == 14 ? 3 : 1);
		for (const unsigned char *p = (const unsigned char *)all[i]; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
	}
	for (int i = 0; i < GLYPHS_SPARK_LEVELS; i++) {
		assert_int_equal(strlen(g->spark[i]), 1);
		assert_string_not_equal(g->spark[i], g->gap); /* a zero is not a gap */
	}
	assert_int_equal(g->ellipsis_cells, 3);
}

static void test_utf8_glyphs_are_one_safe_cell_each(void **state)
{
	(void)state;
	const struct glyphs *g = glyphs_get(false);
	assert_false(g->ascii);
	assert_string_equal(g->sort_up, "\xe2\x96\xb2");
	assert_string_equal(g->sort_down, "\xe2\x96\xbc");
	assert_string_equal(g->spark[0], "\xe2\x96\x81");
	assert_string_equal(g->spark[7], "\xe2\x96\x88");
	assert_string_equal(g->ellipsis, "\xe2\x80\xa6");
	const char *one[] = { g->hline,	   g->vline,  g->sort_up, g->gauge_fill, g->bullet,
			      g->ellipsis, g->select, g->check,	  g->cross };
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
		uint32_t cp;
		assert_int_equal(text_cells(one[i]), 1);
		text_next(one[i], &cp);
		assert_true(text_cp_safe(cp));
	}
}

static void test_locale_codeset_picks_the_table(void **state)
{
	(void)state;
	assert_true(glyphs_locale_is_utf8()); /* tw_setup chose C.UTF-8 */
	assert_non_null(setlocale(LC_CTYPE, "C"));
	assert_false(glyphs_locale_is_utf8());
	/* and text_put falls back to '?' for non-ASCII in that locale */
	WINDOW *w = newpad(1, 5);
	text_put(w, 0, 0, 5, "\xc3\xa9", 2, A_NORMAL, false);
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_string_equal(tw_row(w, 0), "?");
	delwin(w);
}

/* Every cell read back is a character text.h calls safe. */
static void assert_row_safe(WINDOW *w, int y)
{
	const char *r = tw_row_full(w, y);
	uint32_t cp;
	size_t k;
	while ((k = text_next(r, &cp)) > 0) {
		assert_true(text_cp_safe(cp));
		r += k;
	}
}

static void test_random_bytes_never_reach_the_screen_raw(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 40);
	unsigned seed = 7;
	char s[64];
	for (int round = 0; round < 3000; round++) {
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % (sizeof s - 1);
		for (; n < len; n++) {
			seed = seed * 1103515245u + 12345u;
			/* bias towards UTF-8 lead and continuation bytes */
			unsigned b = (seed >> 16) & 0xFF;
			s[n] = (char)(b == 0 ? 0x80 : b);
		}
		s[n] = '\0';
		int cols = (int)((seed >> 8) % 42) - 1;
		werase(w);
		int drawn = text_put_fit(w, 0, 0, cols, s, A_NORMAL, "\u2026",
					 (seed & 1) ? TEXT_CUT_MIDDLE : TEXT_CUT_END, false);
		int cells = text_cells(s);
		int want = cols <= 0 ? 0 : (cells < cols ? cells : cols);
		assert_int_equal(drawn, want);
		assert_row_safe(w, 0);
	}
	delwin(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_next_decodes_strict_utf8),
		cmocka_unit_test(test_text_cells_counts_each_bad_byte_as_one_cell),
		cmocka_unit_test(test_text_cp_safe_refuses_controls_bidi_and_wide),
		cmocka_unit_test(test_text_put_draws_controls_and_bad_bytes_as_question_marks),
		cmocka_unit_test(test_text_put_never_wraps_past_the_right_edge),
		cmocka_unit_test(test_text_put_in_ascii_mode_replaces_non_ascii),
		cmocka_unit_test(test_text_put_fit_cuts_at_the_end_or_the_middle),
		cmocka_unit_test(test_text_put_fit_never_splits_a_character),
		cmocka_unit_test(test_kvtable_draws_a_hostile_value_without_control_bytes),
		cmocka_unit_test(test_ascii_glyphs_have_no_byte_above_0x7f),
		cmocka_unit_test(test_utf8_glyphs_are_one_safe_cell_each),
		cmocka_unit_test(test_locale_codeset_picks_the_table),
		cmocka_unit_test(test_random_bytes_never_reach_the_screen_raw),
	};
	return cmocka_run_group_tests(tests, tw_setup, tw_teardown);
}
