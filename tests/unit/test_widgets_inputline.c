/*
 * test_widgets_inputline.c - the one-line editor: editing sequences
 * (insert, cursor moves, backspace, delete, Ctrl-U, Ctrl-W), UTF-8 typed
 * byte by byte, hostile input (control bytes, invalid UTF-8, a full
 * buffer), the results the caller acts on, and drawing with horizontal
 * scrolling read back from a pad; plus the text view and its scrolling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>

#include "tests/unit/test_widgets_common.h"
#include "widgets/inputline.h"
#include "widgets/textview.h"

static void type(struct inputline *l, const char *s)
{
	for (; *s; s++)
		inputline_key(l, (unsigned char)*s);
}

static void test_inputline_inserts_and_moves(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, NULL);
	assert_string_equal(inputline_text(&l), "");
	assert_int_equal(inputline_key(&l, 'a'), INPUTLINE_CHANGED);
	type(&l, "ce");
	assert_int_equal(inputline_key(&l, KEY_LEFT), INPUTLINE_MOVED);
	inputline_key(&l, KEY_LEFT);
	inputline_key(&l, 'b');
	assert_string_equal(inputline_text(&l), "abce");
	assert_int_equal(l.cursor, 2);
	assert_int_equal(inputline_key(&l, KEY_END), INPUTLINE_MOVED);
	inputline_key(&l, 'f');
	assert_int_equal(inputline_key(&l, KEY_HOME), INPUTLINE_MOVED);
	assert_int_equal(inputline_key(&l, KEY_HOME), INPUTLINE_IGNORED);
	assert_int_equal(inputline_key(&l, KEY_LEFT), INPUTLINE_IGNORED);
	inputline_key(&l, '>');
	assert_string_equal(inputline_text(&l), ">abcef");
	inputline_key(&l, 5); /* Ctrl-E */
	assert_int_equal(inputline_key(&l, KEY_RIGHT), INPUTLINE_IGNORED);
	assert_int_equal(l.cursor, 6);
}

static void test_inputline_backspace_delete_and_clear(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, "ledger");
	assert_int_equal(l.cursor, 6);
	assert_int_equal(inputline_key(&l, KEY_BACKSPACE), INPUTLINE_CHANGED);
	assert_int_equal(inputline_key(&l, 127), INPUTLINE_CHANGED);
	assert_int_equal(inputline_key(&l, 8), INPUTLINE_CHANGED);
	assert_string_equal(inputline_text(&l), "led");
	inputline_key(&l, KEY_HOME);
	assert_int_equal(inputline_key(&l, KEY_BACKSPACE), INPUTLINE_IGNORED);
	assert_int_equal(inputline_key(&l, KEY_DC), INPUTLINE_CHANGED);
	assert_string_equal(inputline_text(&l), "ed");
	assert_int_equal(l.cursor, 0);
	inputline_key(&l, KEY_END);
	assert_int_equal(inputline_key(&l, KEY_DC), INPUTLINE_IGNORED);
	assert_int_equal(inputline_key(&l, 21), INPUTLINE_CHANGED); /* Ctrl-U */
	assert_string_equal(inputline_text(&l), "");
	assert_int_equal(l.cursor, 0);
	assert_int_equal(inputline_key(&l, 21), INPUTLINE_IGNORED);
}

static void test_inputline_ctrl_w_deletes_the_word_before_the_cursor(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, "ledger prod  ");
	assert_int_equal(inputline_key(&l, 23), INPUTLINE_CHANGED);
	assert_string_equal(inputline_text(&l), "ledger ");
	inputline_init(&l, "profile default");
	for (int i = 0; i < 3; i++)
		inputline_key(&l, KEY_LEFT);
	inputline_key(&l, 23); /* "defa" before the cursor goes */
	assert_string_equal(inputline_text(&l), "profile ult");
	assert_int_equal(l.cursor, 8);
	inputline_key(&l, 23);
	assert_string_equal(inputline_text(&l), "ult");
	assert_int_equal(inputline_key(&l, 23), INPUTLINE_IGNORED);
}

static void test_inputline_enter_accepts_and_esc_cancels(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, "x");
	assert_int_equal(inputline_key(&l, '\n'), INPUTLINE_ACCEPTED);
	assert_int_equal(inputline_key(&l, '\r'), INPUTLINE_ACCEPTED);
	assert_int_equal(inputline_key(&l, KEY_ENTER), INPUTLINE_ACCEPTED);
	assert_int_equal(inputline_key(&l, 27), INPUTLINE_CANCELLED);
	assert_string_equal(inputline_text(&l), "x"); /* the text stays for the caller */
}

static void test_inputline_assembles_utf8_and_moves_by_character(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, NULL);
	assert_int_equal(inputline_key(&l, 0xC3), INPUTLINE_IGNORED); /* half of é */
	assert_int_equal(inputline_key(&l, 0xA9), INPUTLINE_CHANGED);
	type(&l, "t\xe2\x82\xac"); /* t€ */
	assert_string_equal(inputline_text(&l), "\xc3\xa9t\xe2\x82\xac");
	inputline_key(&l, KEY_LEFT);
	assert_int_equal(l.cursor, 3); /* before €, not inside it */
	inputline_key(&l, KEY_BACKSPACE);
	inputline_key(&l, KEY_BACKSPACE);
	assert_string_equal(inputline_text(&l), "\xe2\x82\xac");
	inputline_key(&l, KEY_DC);
	assert_string_equal(inputline_text(&l), "");
}

static void test_inputline_refuses_controls_and_invalid_utf8(void **state)
{
	(void)state;
	struct inputline l;
	inputline_init(&l, NULL);
	int junk[] = { 0x07, 0x00, 0x0C, 0x80, 0xBF,	 0xC0,	     0xAF, 0xFF,  0xED,
		       0xA0, 0x80, 0xC2, 0x9B, KEY_F(1), KEY_RESIZE, -1,   0x1234 };
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		assert_int_equal(inputline_key(&l, junk[i]), INPUTLINE_IGNORED);
	assert_string_equal(inputline_text(&l), "");
	/* an unfinished character is dropped when an ASCII key follows */
	inputline_key(&l, 0xE2);
	inputline_key(&l, 'a');
	inputline_key(&l, 0x82);
	assert_string_equal(inputline_text(&l), "a");
	/* the same rule for the initial text */
	inputline_init(&l, "a\x1b[2J\xff\xe2\x80\xae"
			   "b\n");
	assert_string_equal(inputline_text(&l), "a[2Jb");
}

static void test_inputline_stops_at_its_capacity(void **state)
{
	(void)state;
	struct inputline l;
	char big[INPUTLINE_CAP * 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	inputline_init(&l, big);
	assert_int_equal(l.len, INPUTLINE_CAP - 1);
	assert_int_equal(strlen(inputline_text(&l)), INPUTLINE_CAP - 1);
	assert_int_equal(inputline_key(&l, 'y'), INPUTLINE_IGNORED);
	inputline_key(&l, KEY_BACKSPACE);
	/* one byte free: a two-byte character does not fit, whole or half */
	inputline_key(&l, 0xC3);
	assert_int_equal(inputline_key(&l, 0xA9), INPUTLINE_IGNORED);
	assert_int_equal(l.len, INPUTLINE_CAP - 2);
	assert_int_equal(inputline_key(&l, 'z'), INPUTLINE_CHANGED);
	assert_int_equal(l.buf[INPUTLINE_CAP - 1], '\0');
	/* a multibyte text is cut on a character boundary */
	char eacute[INPUTLINE_CAP * 2 + 1];
	for (size_t i = 0; i < INPUTLINE_CAP; i++)
		memcpy(eacute + 2 * i, "\xc3\xa9", 2);
	eacute[INPUTLINE_CAP * 2] = '\0';
	inputline_init(&l, eacute);
	assert_int_equal(l.len, INPUTLINE_CAP - 2);
}

static void test_inputline_draws_prompt_and_scrolls_to_the_cursor(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 20);
	struct inputline l;
	inputline_init(&l, "abc");
	assert_int_equal(inputline_draw(w, 0, 2, 10, "/", &l, A_NORMAL, false), 6);
	assert_string_equal(tw_row(w, 0), "  /abc");
	/* 9 cells of field: the cursor at the end of 12 characters */
	inputline_init(&l, "0123456789ab");
	assert_int_equal(inputline_draw(w, 0, 0, 10, ":", &l, A_BOLD, false), 9);
	assert_string_equal(tw_row(w, 0), ":456789ab");
	assert_true(tw_attr(w, 0, 5) & A_BOLD);
	inputline_key(&l, KEY_HOME);
	assert_int_equal(inputline_draw(w, 0, 0, 10, ":", &l, A_NORMAL, false), 1);
	assert_string_equal(tw_row(w, 0), ":012345678");
	inputline_key(&l, KEY_END);
	inputline_key(&l, 21); /* cleared: back to the start */
	assert_int_equal(inputline_draw(w, 0, 0, 10, ":", &l, A_NORMAL, false), 1);
	assert_string_equal(tw_row(w, 0), ":");
	assert_int_equal(inputline_draw(w, 0, 0, 1, ":", &l, A_NORMAL, false), -1);
	assert_int_equal(inputline_draw(w, 0, 0, 0, ":", &l, A_NORMAL, false), -1);
	delwin(w);
}

static void test_inputline_scrolls_back_when_text_shrinks(void **state)
{
	(void)state;
	WINDOW *w = newpad(1, 20);
	struct inputline l;
	inputline_init(&l, "0123456789ab");
	inputline_draw(w, 0, 0, 6, "/", &l, A_NORMAL, true);
	assert_string_equal(tw_row(w, 0), "/89ab");
	for (int i = 0; i < 6; i++)
		inputline_key(&l, KEY_BACKSPACE);
	assert_int_equal(inputline_draw(w, 0, 0, 6, "/", &l, A_NORMAL, true), 5);
	assert_string_equal(tw_row(w, 0), "/2345"); /* no blank field left of hidden text */
	delwin(w);
}

/* ---- textview ---- */

static const char *const help_lines[] = {
	"?  help", "/  filter", "n  next match", "q  quit", "a  acknowledge\x1b[0m",
};

static void test_textview_draws_clipped_lines_from_top(void **state)
{
	(void)state;
	WINDOW *w = newpad(4, 20);
	struct textview_state st = { 0 };
	attr_t attrs[] = { A_BOLD, A_NORMAL, A_NORMAL, A_NORMAL, A_NORMAL };
	assert_int_equal(textview_draw(w, (struct layout_rect){ 0, 0, 3, 10 }, help_lines, 5, attrs,
				       A_NORMAL, &st, glyphs_get(true)),
			 3);
	assert_string_equal(tw_row(w, 0), "?  help");
	assert_string_equal(tw_row(w, 2), "n  next...");
	assert_true(tw_attr(w, 0, 0) & A_BOLD);
	assert_false(tw_attr(w, 1, 0) & A_BOLD);
	textview_end(&st, 5, 3);
	assert_int_equal(st.top, 2);
	textview_draw(w, (struct layout_rect){ 0, 0, 3, 20 }, help_lines, 5, NULL, A_NORMAL, &st,
		      glyphs_get(true));
	assert_string_equal(tw_row(w, 2), "a  acknowledge?[0m");
	assert_false(tw_has_non_ascii(w));
	delwin(w);
}

static void test_textview_scroll_stays_inside_the_text(void **state)
{
	(void)state;
	struct textview_state st = { 0 };
	textview_scroll(&st, 100, 10, 5);
	assert_int_equal(st.top, 5);
	textview_scroll(&st, 100, 10, -50);
	assert_int_equal(st.top, 0);
	textview_scroll(&st, 100, 10, 1000);
	assert_int_equal(st.top, 90);
	textview_page_up(&st, 100, 10);
	assert_int_equal(st.top, 80);
	textview_page_down(&st, 100, 10);
	assert_int_equal(st.top, 90);
	textview_clamp(&st, 3, 10); /* the text shrank below the height */
	assert_int_equal(st.top, 0);
	textview_scroll(&st, 0, 0, 3);
	assert_int_equal(st.top, 0);
	st.top = 7;
	textview_home(&st, 100, -2);
	assert_int_equal(st.top, 0);
	textview_end(&st, 100, -2); /* no height: one line */
	assert_int_equal(st.top, 99);
	textview_scroll(&st, 100, 10, LONG_MIN + 1);
	assert_int_equal(st.top, 0);
}

static void test_textview_survives_empty_and_tiny_areas(void **state)
{
	(void)state;
	WINDOW *w = newpad(2, 4);
	struct textview_state st = { 42 };
	assert_int_equal(textview_draw(w, (struct layout_rect){ 0, 0, 2, 4 }, NULL, 9, NULL,
				       A_NORMAL, &st, glyphs_get(false)),
			 0);
	assert_int_equal(st.top, 0);
	assert_int_equal(textview_draw(w, (struct layout_rect){ 0, 0, 0, 4 }, help_lines, 5, NULL,
				       A_NORMAL, &st, glyphs_get(false)),
			 0);
	assert_int_equal(textview_draw(w, (struct layout_rect){ 1, 3, 5, 9 }, help_lines, 5, NULL,
				       A_NORMAL, &st, glyphs_get(false)),
			 5);
	assert_string_equal(tw_row(w, 1), "   ?");
	delwin(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputline_inserts_and_moves),
		cmocka_unit_test(test_inputline_backspace_delete_and_clear),
		cmocka_unit_test(test_inputline_ctrl_w_deletes_the_word_before_the_cursor),
		cmocka_unit_test(test_inputline_enter_accepts_and_esc_cancels),
		cmocka_unit_test(test_inputline_assembles_utf8_and_moves_by_character),
		cmocka_unit_test(test_inputline_refuses_controls_and_invalid_utf8),
		cmocka_unit_test(test_inputline_stops_at_its_capacity),
		cmocka_unit_test(test_inputline_draws_prompt_and_scrolls_to_the_cursor),
		cmocka_unit_test(test_inputline_scrolls_back_when_text_shrinks),
		cmocka_unit_test(test_textview_draws_clipped_lines_from_top),
		cmocka_unit_test(test_textview_scroll_stays_inside_the_text),
		cmocka_unit_test(test_textview_survives_empty_and_tiny_areas),
	};
	return cmocka_run_group_tests(tests, tw_setup, tw_teardown);
}
