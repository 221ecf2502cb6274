/*
 * test_widgets_table.c - layout math (layout_split, table_layout: weights,
 * minimums, tiny and zero widths, no columns), the selection and scroll
 * invariants (selection always visible, clamped when rows shrink, empty
 * tables), and tables drawn into pads and read back cell by cell: header
 * and sort indicator, truncation at the end and the middle, alignment,
 * selection highlight and marker, attributes kept, ASCII output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "tests/unit/test_widgets_common.h"
#include "widgets/layout.h"
#include "widgets/table.h"

/* ---- layout_split / layout_rows ---- */

static void test_layout_split_shares_by_weight(void **state)
{
	(void)state;
	int s[3];
	struct layout_part two[] = { { .weight = 1 }, { .weight = 2 } };
	assert_int_equal(layout_split(30, two, 2, s), 30);
	assert_int_equal(s[0], 10);
	assert_int_equal(s[1], 20);
	struct layout_part three[] = { { .weight = 1 }, { .weight = 1 }, { .weight = 1 } };
	assert_int_equal(layout_split(10, three, 3, s), 10);
	assert_int_equal(s[0], 4); /* the leftover cell goes to the first */
	assert_int_equal(s[1], 3);
	assert_int_equal(s[2], 3);
	assert_int_equal(layout_split(2, three, 3, s), 2);
	assert_int_equal(s[0] + s[1] + s[2], 2);
	assert_int_equal(s[2], 0);
}

static void test_layout_split_serves_fixed_then_minimums(void **state)
{
	(void)state;
	int s[3];
	struct layout_part p[] = { { .fixed = 5 }, { .weight = 1 }, { .weight = 1 } };
	assert_int_equal(layout_split(20, p, 3, s), 20);
	assert_int_equal(s[0], 5);
	assert_int_equal(s[1], 8); /* 7.5 each: the earlier takes the odd cell */
	assert_int_equal(s[2], 7);
	struct layout_part q[] = { { .fixed = 10 }, { .weight = 3, .min = 5 } };
	assert_int_equal(layout_split(12, q, 2, s), 12);
	assert_int_equal(s[0], 10);
	assert_int_equal(s[1], 2); /* the minimum is cut by the total */
	struct layout_part r[] = { { .fixed = 4 }, { .fixed = 4 } };
	assert_int_equal(layout_split(20, r, 2, s), 8); /* no weight: the rest unused */
}

static void test_layout_split_zero_and_negative_totals_give_zeros(void **state)
{
	(void)state;
	int s[2] = { 99, 99 };
	struct layout_part p[] = { { .fixed = 5 }, { .weight = 1, .min = 3 } };
	assert_int_equal(layout_split(0, p, 2, s), 0);
	assert_int_equal(s[0], 0);
	assert_int_equal(s[1], 0);
	assert_int_equal(layout_split(-7, p, 2, s), 0);
	assert_int_equal(s[0] + s[1], 0);
	assert_int_equal(layout_split(10, p, 0, s), 0);
}

static void test_layout_split_never_exceeds_the_total(void **state)
{
	(void)state;
	struct layout_part p[] = { { .fixed = 3 },
				   { .weight = 7, .min = 2 },
				   { .weight = 1 },
				   { .fixed = 1 },
				   { .weight = 1000000, .min = 9 } };
	int s[5];
	for (int total = -3; total <= 300; total++) {
		int used = layout_split(total, p, 5, s), sum = 0;
		for (int i = 0; i < 5; i++) {
			assert_true(s[i] >= 0);
			sum += s[i];
		}
		assert_int_equal(sum, used);
		assert_int_equal(used, total > 0 ? total : 0); /* weights take the rest */
	}
}

static void test_layout_rows_stacks_header_body_footer(void **state)
{
	(void)state;
	struct layout_part p[] = { { .fixed = 1 }, { .weight = 1 }, { .fixed = 1 } };
	struct layout_rect out[3];
	layout_rows((struct layout_rect){ 0, 0, 24, 80 }, p, 3, out);
	assert_int_equal(out[0].y, 0);
	assert_int_equal(out[0].h, 1);
	assert_int_equal(out[1].y, 1);
	assert_int_equal(out[1].h, 22);
	assert_int_equal(out[2].y, 23);
	assert_int_equal(out[2].h, 1);
	assert_int_equal(out[2].w, 80);
	struct layout_part c[] = { { .weight = 1 }, { .weight = 1 } };
	layout_cols((struct layout_rect){ 2, 10, 5, 31 }, c, 2, out);
	assert_int_equal(out[0].x, 10);
	assert_int_equal(out[0].w, 16);
	assert_int_equal(out[1].x, 26);
	assert_int_equal(out[1].w, 15);
	assert_int_equal(out[1].y, 2);
	layout_cols((struct layout_rect){ 0, 0, -4, -9 }, c, 2, out);
	assert_int_equal(out[0].w + out[1].w + out[0].h + out[1].h, 0);
}

/* ---- table_layout ---- */

static const struct table_column three_cols[] = {
	{ "NAME", 4, 1, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	{ "STATE", 6, 0, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	{ "ARN", 5, 2, TABLE_ALIGN_LEFT, TEXT_CUT_MIDDLE },
};

static void test_table_layout_gives_spare_width_by_weight(void **state)
{
	(void)state;
	int w[3];
	assert_int_equal(table_layout(three_cols, 3, 30, w), 3);
	/* 28 cells without the gaps: 6 fixed, minimums 4 and 5, the 13
	 * spare cells 1:2 -> 4 and 8, the odd one to the larger remainder */
	assert_int_equal(w[0], 8);
	assert_int_equal(w[1], 6);
	assert_int_equal(w[2], 14);
}

static void test_table_layout_drops_columns_that_do_not_fit(void **state)
{
	(void)state;
	int w[3];
	assert_int_equal(table_layout(three_cols, 3, 12, w), 2);
	assert_int_equal(w[0], 5);
	assert_int_equal(w[1], 6);
	assert_int_equal(w[2], 0);
	assert_int_equal(table_layout(three_cols, 3, 3, w), 1);
	assert_int_equal(w[0], 3); /* the first column, cut */
	assert_int_equal(w[1] + w[2], 0);
	assert_int_equal(table_layout(three_cols, 3, 0, w), 0);
	assert_int_equal(w[0] + w[1] + w[2], 0);
	assert_int_equal(table_layout(three_cols, 3, -5, w), 0);
	assert_int_equal(table_layout(three_cols, 0, 80, w), 0);
}

static void test_table_layout_caps_the_column_count(void **state)
{
	(void)state;
	struct table_column many[40];
	int w[40];
	for (int i = 0; i < 40; i++)
		many[i] = (struct table_column){ "c", 1, 1, TABLE_ALIGN_LEFT, TEXT_CUT_END };
	assert_int_equal(table_layout(many, 40, 1000, w), TABLE_MAX_COLUMNS);
	assert_int_equal(w[TABLE_MAX_COLUMNS], 0);
	int sum = 0;
	for (int i = 0; i < 40; i++)
		sum += w[i];
	assert_int_equal(sum + (TABLE_MAX_COLUMNS - 1) * TABLE_GAP, 1000);
}

/* ---- selection and scrolling ---- */

static void check_state(const struct table_state *st, size_t nrows, int visible)
{
	if (nrows == 0) {
		assert_int_equal(st->selected, 0);
		assert_int_equal(st->top, 0);
		return;
	}
	size_t vis = visible > 0 ? (size_t)visible : 1;
	assert_true(st->selected < nrows);
	assert_true(st->top <= st->selected);
	assert_true(st->selected < st->top + vis);
	assert_true(st->top + vis <= nrows || st->top == 0);
}

static void test_selection_stays_visible_after_every_move(void **state)
{
	(void)state;
	void (*moves[])(struct table_state *, size_t, int) = {
		table_select_next, table_select_prev,	   table_select_first,
		table_select_last, table_select_page_down, table_select_page_up,
	};
	unsigned seed = 12345;
	for (size_t nrows = 0; nrows < 30; nrows++)
		for (int visible = -1; visible < 12; visible++) {
			struct table_state st = { 0, 0 };
			for (int k = 0; k < 60; k++) {
				seed = seed * 1103515245u + 12345u;
				moves[(seed >> 16) % 6](&st, nrows, visible);
				check_state(&st, nrows, visible);
			}
		}
}

static void test_selection_is_clamped_when_rows_shrink(void **state)
{
	(void)state;
	struct table_state st = { 50, 45 };
	table_clamp(&st, 10, 5);
	assert_int_equal(st.selected, 9);
	assert_int_equal(st.top, 5);
	st = (struct table_state){ 3, 2 };
	table_clamp(&st, 4, 10); /* every row fits: start at the top */
	assert_int_equal(st.top, 0);
	assert_int_equal(st.selected, 3);
	st = (struct table_state){ 7, 7 };
	table_clamp(&st, 0, 5);
	assert_int_equal(st.selected, 0);
	assert_int_equal(st.top, 0);
}

static void test_paging_moves_by_the_visible_rows(void **state)
{
	(void)state;
	struct table_state st = { 0, 0 };
	table_select_page_down(&st, 100, 10);
	assert_int_equal(st.selected, 10);
	assert_int_equal(st.top, 1);
	table_select_last(&st, 100, 10);
	assert_int_equal(st.selected, 99);
	assert_int_equal(st.top, 90);
	table_select_page_up(&st, 100, 10);
	assert_int_equal(st.selected, 89);
	assert_int_equal(st.top, 89);
	table_select_first(&st, 100, 10);
	assert_int_equal(st.selected, 0);
	assert_int_equal(st.top, 0);
	table_select_prev(&st, 100, 10);
	assert_int_equal(st.selected, 0);
	table_select_next(&st, 1, 10);
	assert_int_equal(st.selected, 0);
	assert_int_equal(table_visible_rows(5), 4);
	assert_int_equal(table_visible_rows(1), 0);
	assert_int_equal(table_visible_rows(-3), 0);
}

/* ---- drawing ---- */

static const struct table_column ledger_cols[] = {
	{ "NAME", 6, 1, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	{ "STATE", 8, 0, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	{ "BLK", 6, 0, TABLE_ALIGN_RIGHT, TEXT_CUT_END },
};

static const struct table_cell ledger_cells[] = {
	{ "financial-ledger", A_NORMAL },
	{ "ACTIVE", A_BOLD },
	{ "1042", A_NORMAL },
	{ "audit", A_NORMAL },
	{ "DELETING", A_BOLD },
	{ "7", A_NORMAL },
	{ "x", A_NORMAL },
	{ "ACTIVE", A_NORMAL },
	{ "12", A_NORMAL },
};

static const struct table_style style_marked = { A_BOLD, A_REVERSE, A_DIM, true };

static void test_table_draws_header_sort_glyph_cut_and_alignment(void **state)
{
	(void)state;
	WINDOW *w = newpad(5, 30);
	struct table t = { .cols = ledger_cols,
			   .ncols = 3,
			   .nrows = 3,
			   .cells = ledger_cells,
			   .sort_col = 2,
			   .sort_desc = true,
			   .show_selection = true,
			   .style = &style_marked,
			   .glyphs = glyphs_get(false) };
	struct table_state st = { 1, 0 };
	table_draw(w, (struct layout_rect){ 0, 0, 5, 30 }, &t, &st);
	/* marker 1 + NAME 13 + gap + STATE 8 + gap + BLK 6 = 30 */
	assert_string_equal(tw_row(w, 0), " NAME          STATE     BLK \xe2\x96\xbc");
	assert_string_equal(tw_row(w, 1), " financial-le\xe2\x80\xa6 ACTIVE     1042");
	assert_string_equal(tw_row(w, 2), "\xe2\x96\xb6"
					  "audit         DELETING      7");
	assert_string_equal(tw_row(w, 3), " x             ACTIVE       12");
	assert_string_equal(tw_row(w, 4), "");
	assert_true(tw_attr(w, 0, 1) & A_BOLD);	   /* header */
	assert_true(tw_attr(w, 2, 0) & A_REVERSE); /* the whole selected row */
	assert_true(tw_attr(w, 2, 29) & A_REVERSE);
	assert_true(tw_attr(w, 2, 10) & A_REVERSE); /* padding included */
	assert_false(tw_attr(w, 1, 0) & A_REVERSE);
	assert_false(tw_attr(w, 3, 29) & A_REVERSE);
	assert_true(tw_attr(w, 1, 15) & A_BOLD); /* the cell's own attribute */
	assert_false(tw_attr(w, 1, 1) & A_BOLD);
	assert_true(tw_attr(w, 2, 15) & A_BOLD); /* kept under the selection */
	assert_true(tw_attr(w, 2, 15) & A_REVERSE);
	delwin(w);
}

static void test_table_sort_glyph_shows_even_in_a_narrow_column(void **state)
{
	(void)state;
	static const struct table_column cols[] = {
		{ "SEQUENCE", 3, 0, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	};
	WINDOW *w = newpad(2, 10);
	struct table_style st0 = { A_NORMAL, A_REVERSE, A_NORMAL, false };
	struct table t = {
		.cols = cols, .ncols = 1, .sort_col = 0, .style = &st0, .glyphs = glyphs_get(true)
	};
	struct table_state st = { 0, 0 };
	table_draw(w, (struct layout_rect){ 0, 0, 2, 3 }, &t, &st);
	assert_string_equal(tw_row(w, 0), "S ^"); /* title cut, arrow kept */
	werase(w);				  /* the table draws only inside its rectangle */
	table_draw(w, (struct layout_rect){ 0, 0, 2, 1 }, &t, &st);
	assert_string_equal(tw_row(w, 0), "^");
	delwin(w);
}

static void test_table_in_ascii_mode_writes_only_ascii(void **state)
{
	(void)state;
	static const struct table_column cols[] = {
		{ "ARN", 10, 1, TABLE_ALIGN_LEFT, TEXT_CUT_MIDDLE },
		{ "NOTE", 6, 0, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	};
	static const struct table_cell cells[] = {
		{ "arn:aws:qldb:us-east-1:123456789012:ledger/caf\xc3\xa9", A_NORMAL },
		{ "\xe2\x96\xb2\x1b[2Jok", A_NORMAL },
	};
	WINDOW *w = newpad(3, 24);
	struct table t = { .cols = cols,
			   .ncols = 2,
			   .nrows = 1,
			   .cells = cells,
			   .sort_col = 1,
			   .show_selection = true,
			   .style = &style_marked,
			   .glyphs = glyphs_get(true) };
	struct table_state st = { 0, 0 };
	table_draw(w, (struct layout_rect){ 0, 0, 3, 24 }, &t, &st);
	assert_false(tw_has_non_ascii(w));
	assert_string_equal(tw_row(w, 0), " ARN              NOTE ^");
	/* 16 cells: 7 of the start, "...", 6 of the end; 6 cells: "??[..." */
	assert_string_equal(tw_row(w, 1), ">arn:aws...r/caf? ??[...");
	delwin(w);
}

static void test_table_shows_the_empty_message_under_the_header(void **state)
{
	(void)state;
	WINDOW *w = newpad(4, 30);
	struct table t = { .cols = ledger_cols,
			   .ncols = 3,
			   .nrows = 0,
			   .sort_col = -1,
			   .show_selection = true,
			   .empty = "no ledgers in us-east-1",
			   .style = &style_marked,
			   .glyphs = glyphs_get(false) };
	struct table_state st = { 4, 2 };
	table_draw(w, (struct layout_rect){ 0, 0, 4, 30 }, &t, &st);
	assert_string_equal(tw_row(w, 0), " NAME          STATE       BLK");
	assert_string_equal(tw_row(w, 1), " no ledgers in us-east-1");
	assert_true(tw_attr(w, 1, 1) & A_DIM);
	assert_false(tw_attr(w, 1, 1) & A_REVERSE);
	assert_int_equal(st.selected, 0);
	assert_int_equal(st.top, 0);
	delwin(w);
}

static char row_text[1000][16];

static struct table_cell row_cell(const void *ctx, size_t row, size_t col)
{
	(void)ctx;
	(void)col;
	snprintf(row_text[row], sizeof row_text[row], "row %zu", row);
	return (struct table_cell){ row_text[row], A_NORMAL };
}

static void test_table_scrolls_to_keep_the_selection_visible(void **state)
{
	(void)state;
	static const struct table_column cols[] = {
		{ "ROW", 3, 1, TABLE_ALIGN_LEFT, TEXT_CUT_END },
	};
	WINDOW *w = newpad(5, 12);
	struct table t = { .cols = cols,
			   .ncols = 1,
			   .nrows = 1000,
			   .cell = row_cell,
			   .sort_col = -1,
			   .show_selection = true,
			   .style = &style_marked,
			   .glyphs = glyphs_get(true) };
	struct table_state st = { 0, 0 };
	struct layout_rect r = { 0, 0, 5, 12 };
	table_select_last(&st, t.nrows, table_visible_rows(r.h));
	table_draw(w, r, &t, &st);
	assert_string_equal(tw_row(w, 1), " row 996");
	assert_string_equal(tw_row(w, 4), ">row 999");
	t.nrows = 2; /* the rows shrank under the selection */
	werase(w);
	table_draw(w, r, &t, &st);
	assert_int_equal(st.selected, 1);
	assert_string_equal(tw_row(w, 1), " row 0");
	assert_string_equal(tw_row(w, 2), ">row 1");
	assert_string_equal(tw_row(w, 3), "");
	t.show_selection = false; /* an unfocused pane: no highlight */
	table_draw(w, r, &t, &st);
	assert_string_equal(tw_row(w, 2), " row 1");
	assert_false(tw_attr(w, 2, 3) & A_REVERSE);
	delwin(w);
}

static void test_table_survives_tiny_and_negative_areas(void **state)
{
	(void)state;
	WINDOW *w = newpad(3, 3);
	struct table t = { .cols = ledger_cols,
			   .ncols = 3,
			   .nrows = 3,
			   .cells = ledger_cells,
			   .sort_col = 0,
			   .show_selection = true,
			   .style = &style_marked,
			   .glyphs = glyphs_get(false) };
	struct table_state st = { 0, 0 };
	int sizes[][4] = { { 0, 0, 1, 1 }, { 0, 0, 3, 2 }, { 0, 0, 0, 3 }, { 0, 0, -1, -1 },
			   { 0, 0, 3, 3 }, { 2, 2, 9, 9 }, { 5, 5, 2, 2 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct layout_rect r = { sizes[i][0], sizes[i][1], sizes[i][2], sizes[i][3] };
		table_draw(w, r, &t, &st);
	}
	werase(w);
	table_draw(w, (struct layout_rect){ 0, 0, 3, 3 }, &t, &st);
	assert_string_equal(tw_row(w, 1), "\xe2\x96\xb6"
					  "f\xe2\x80\xa6");
	delwin(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_split_shares_by_weight),
		cmocka_unit_test(test_layout_split_serves_fixed_then_minimums),
		cmocka_unit_test(test_layout_split_zero_and_negative_totals_give_zeros),
		cmocka_unit_test(test_layout_split_never_exceeds_the_total),
		cmocka_unit_test(test_layout_rows_stacks_header_body_footer),
		cmocka_unit_test(test_table_layout_gives_spare_width_by_weight),
		cmocka_unit_test(test_table_layout_drops_columns_that_do_not_fit),
		cmocka_unit_test(test_table_layout_caps_the_column_count),
		cmocka_unit_test(test_selection_stays_visible_after_every_move),
		cmocka_unit_test(test_selection_is_clamped_when_rows_shrink),
		cmocka_unit_test(test_paging_moves_by_the_visible_rows),
		cmocka_unit_test(test_table_draws_header_sort_glyph_cut_and_alignment),
		cmocka_unit_test(test_table_sort_glyph_shows_even_in_a_narrow_column),
		cmocka_unit_test(test_table_in_ascii_mode_writes_only_ascii),
		cmocka_unit_test(test_table_shows_the_empty_message_under_the_header),
		cmocka_unit_test(test_table_scrolls_to_keep_the_selection_visible),
		cmocka_unit_test(test_table_survives_tiny_and_negative_areas),
	};
	return cmocka_run_group_tests(tests, tw_setup, tw_teardown);
}
