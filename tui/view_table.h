/*
 * view_table.h - the rows of a pane as a table, drawn by widgets/table
 * in the theme's roles: the panes build cells as text with a role each
 * and say their columns as fixed widths (or the one flexible column);
 * this maps them onto the widget and keeps the selection state every
 * list pane holds (the widget's table_state plus the sorted column).
 * Ownership: the caller's arrays; nothing kept.
 */
#ifndef QLDBTOP_TUI_VIEW_TABLE_H
#define QLDBTOP_TUI_VIEW_TABLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "tui/theme.h"
#include "widgets/table.h"

#define VIEW_CELL_MAX 160

struct view_column {
	const char *title;
	int width; /* cells; 0 = the rest (one such column) */
	bool right;
	bool middle; /* cut in the middle (ARNs keep their end) */
};

struct view_cell {
	char text[VIEW_CELL_MAX];
	enum theme_role role;
	double num; /* the sort key when has_num (an age sorts by seconds) */
	bool has_num;
};

/* The selection of a list: which row, which is on top, the sort, and
 * what the selected row shows in its first column (the name or ID of its
 * item), so that it follows its item when the rows reorder, as htop's
 * follows its process: an action (e, x, Enter) must not land on the row
 * that moved into the selected place since the last frame. */
struct view_sel {
	struct table_state st; /* selected row and first row shown */
	int sort;	       /* column index sorted by */
	bool sort_desc;	       /* descending */
	bool following;	       /* follow/follow_num are set (by a move) */
	char follow[VIEW_CELL_MAX];
	double follow_num; /* the first cell's num when it has one (the audit log's sequence) */
};

/* Keep the selection within n rows and visible in `height` rows. */
void view_sel_clamp(struct view_sel *s, size_t n, int height);
/* Apply a movement action (up/down/top/bottom/page) in a list of n rows
 * shown in `height` rows: true if it was one. */
bool view_sel_move(struct view_sel *s, int action, size_t n, int height);

/* Draw a header and rows (cells is rows x ncols; shown row i is cells row
 * order[i], or i when order is NULL) at (y, x) within width
 * and height (header included); the selected row highlighted and marked
 * when `focused`; the sorted column's title carries its arrow. */
void view_table_draw(WINDOW *w, int y, int x, int width, int height, const struct view_column *cols,
		     size_t ncols, const struct view_cell *cells, const size_t *order, size_t rows,
		     struct view_sel *s, bool focused, const char *empty, bool ascii);

#endif
