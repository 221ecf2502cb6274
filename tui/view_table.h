/*
 * view_table.h - the rows of a pane as a table (columns, a header, the
 * selected row highlighted, scrolled to keep it visible), and the
 * selection state every list pane keeps. The panes build cells as text
 * with a role each; this draws them.
 * Ownership: the caller's arrays; nothing kept.
 */
#ifndef QLDBTOP_TUI_VIEW_TABLE_H
#define QLDBTOP_TUI_VIEW_TABLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "tui/theme.h"

#define VIEW_CELL_MAX 160

struct view_column {
	const char *title;
	int width; /* cells; 0 = the rest (one such column) */
	bool right;
};

struct view_cell {
	char text[VIEW_CELL_MAX];
	enum theme_role role;
	double num; /* the sort key when has_num (an age sorts by seconds) */
	bool has_num;
};

/* The selection of a list: which row, which is on top. */
struct view_sel {
	size_t sel, top;
	int sort;	/* column index sorted by */
	bool sort_desc; /* descending */
};

/* Keep sel within n rows and visible in `height` rows. */
void view_sel_clamp(struct view_sel *s, size_t n, int height);
/* Apply a movement action (up/down/top/bottom/page): true if it was one. */
bool view_sel_move(struct view_sel *s, int action, size_t n, int height);

/* Draw a header and rows (cells is rows x ncols) at (y, x) within width
 * and height (header included); the selected row in reverse when
 * `focused`. A sorted column's title carries ^ or v. */
void view_table_draw(WINDOW *w, int y, int x, int width, int height, const struct view_column *cols,
		     size_t ncols, const struct view_cell *cells, size_t rows, struct view_sel *s,
		     bool focused, const char *empty);

#endif
