/*
 * table.h - a table of rows and columns: a header row with the sort
 * indicator on the sorted column, a selected row drawn highlighted (and
 * marked with the selection glyph when the style asks, so the selection
 * does not rest on colour alone), scrolling that keeps the selection in
 * view, width-aware cuts per column (end with an ellipsis, or the middle
 * for ARNs), and a message when there are no rows.
 *
 *   ▶ NAME              STATE     BLOCKS▼
 *     financial-ledger  ACTIVE      1042
 *
 * The column widths (table_layout) and the selection and scrolling
 * (table_select_*, table_clamp) are pure functions; table_draw draws.
 * Ownership: the caller owns the columns, the cells (or the callback and
 * its context) and the table_state; the table borrows them for the call
 * and keeps nothing. The state persists between frames in the caller.
 */
#ifndef QLDBTOP_WIDGETS_TABLE_H
#define QLDBTOP_WIDGETS_TABLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "widgets/glyphs.h"
#include "widgets/layout.h"
#include "widgets/text.h"

/* Columns a table lays out; any beyond are not drawn. */
#define TABLE_MAX_COLUMNS 32
/* Cells between two columns. */
#define TABLE_GAP 1

enum table_align { TABLE_ALIGN_LEFT, TABLE_ALIGN_RIGHT, TABLE_ALIGN_CENTER };

struct table_column {
	const char *title;
	int min;    /* cells the column needs to be shown (at least 1) */
	int weight; /* share of the spare width; 0 = always min wide */
	enum table_align align;
	enum text_cut cut; /* TEXT_CUT_MIDDLE keeps the end of an ARN */
};

/* One cell: text (NULL = blank) and its attributes. */
struct table_cell {
	const char *text;
	attr_t attr;
};

/* Fills a cell on demand; the text must live until table_draw returns. */
typedef struct table_cell (*table_cell_fn)(const void *ctx, size_t row, size_t col);

struct table_style {
	attr_t header;	 /* the header row */
	attr_t selected; /* the selected row; a colour pair here replaces the
			  * cell's colour, other bits are added to the cell's */
	attr_t empty;	 /* the empty-table message */
	bool marker;	 /* a one-cell gutter with the selection glyph */
};

struct table {
	const struct table_column *cols;
	size_t ncols;
	size_t nrows;
	const struct table_cell *cells; /* nrows * ncols, row-major; or NULL ... */
	table_cell_fn cell;		/* ... then this fills each visible cell */
	const void *ctx;		/* passed to cell */
	int sort_col;			/* -1 = not sorted */
	bool sort_desc;
	bool show_selection; /* false: no highlight (an unfocused pane) */
	const char *empty;   /* shown under the header when nrows == 0 */
	const struct table_style *style;
	const struct glyphs *glyphs;
};

/* Caller-owned scroll state: the selected row and the first row shown. */
struct table_state {
	size_t selected;
	size_t top;
};

/*
 * Widths of the columns in `width` cells (gaps of TABLE_GAP between shown
 * columns): columns are shown left to right while their minimums fit; the
 * first is always shown, cut to the width. Spare cells go to weighted
 * columns by weight. widths[ncols]; columns not shown get 0. Returns the
 * columns shown (0 when width <= 0 or ncols == 0). Pure.
 */
size_t table_layout(const struct table_column *cols, size_t ncols, int width, int *widths);

/* Make st valid for nrows rows with `visible` rows shown: the selection
 * inside the rows and on screen, no empty space below the last row when
 * the rows fit. An empty table gives {0, 0}. Pure. */
void table_clamp(struct table_state *st, size_t nrows, int visible);
/* Move the selection and scroll so it stays visible. Pure. */
void table_select_next(struct table_state *st, size_t nrows, int visible);
void table_select_prev(struct table_state *st, size_t nrows, int visible);
void table_select_first(struct table_state *st, size_t nrows, int visible);
void table_select_last(struct table_state *st, size_t nrows, int visible);
void table_select_page_down(struct table_state *st, size_t nrows, int visible);
void table_select_page_up(struct table_state *st, size_t nrows, int visible);

/* Rows of data a table of height h shows (one goes to the header). */
int table_visible_rows(int h);

/* Draw t in r of w (header on r.y), after clamping st. */
void table_draw(WINDOW *w, struct layout_rect r, const struct table *t, struct table_state *st);

#endif
