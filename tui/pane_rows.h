/*
 * pane_rows.h - what the list panes share: rows of cells built from the
 * store's data, narrowed by the filter (a row shows when any of its cells
 * matches), sorted by the chosen column (numbers as numbers), each row
 * remembering which item it came from; and the list actions (movement,
 * n/N between matches, < and > to change the sorted column).
 * Ownership: a pane_rows owns its arrays; pane_rows_free releases them.
 */
#ifndef QLDBTOP_TUI_PANE_ROWS_H
#define QLDBTOP_TUI_PANE_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/keymap.h"
#include "tui/ui.h"
#include "tui/view_common.h"
#include "tui/view_table.h"
#include "widgets/kvtable.h"

#define PANE_ROWS_COLS 12

struct pane_rows {
	size_t ncols;
	struct view_cell *cells; /* n x ncols */
	size_t *item;		 /* the source index of each row */
	size_t n, cap;
};

/* Start building (clears; keeps the memory). */
void pane_rows_begin(struct pane_rows *r, size_t ncols);
/* Add a row of ncols cells for item (copied); dropped when the filter
 * matches none of its cells. Out of memory drops the row too. */
void pane_rows_add(struct pane_rows *r, const struct ui *u, size_t item,
		   const struct view_cell *cells);
/* Sort by s->sort (clamped to the columns). */
void pane_rows_sort(struct pane_rows *r, struct view_sel *s);
void pane_rows_free(struct pane_rows *r);
/* The item of the selected row, or (size_t)-1 when there is none. */
size_t pane_rows_selected(const struct pane_rows *r, const struct view_sel *s);

/* Movement, n/N and sort actions on a list of r's rows shown in
 * `height` rows: true when a was one of them. */
bool pane_rows_action(struct pane_rows *r, struct view_sel *s, enum keymap_action a, int height);

/* A cell: text by format, in a role. */
void pane_cell(struct view_cell *c, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Detail lines as key/value rows (pane_kv_add) or drill-down lines
 * (pane_drill_add, ctx a struct state_drill_arg): the panes describe an
 * item once, through add(ctx, role, key, value), for both. */
struct pane_kv {
	struct kv_row *rows;
	char (*txt)[VIEW_TEXT_MAX];
	size_t n, cap;
};
void pane_kv_add(void *ctx, enum theme_role role, const char *key, const char *value);
void pane_drill_add(void *ctx, enum theme_role role, const char *key, const char *value);

#endif
