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
#include <stdint.h>

#include "tui/keymap.h"
#include "tui/ui.h"
#include "tui/view_common.h"
#include "tui/view_table.h"
#include "widgets/kvtable.h"

#define PANE_ROWS_COLS 12
#define PANE_ROWS_ID_MAX 72 /* a row's own identity (a stream id is 22) */

/* What a pane's rows were built from: the same key again means the rows
 * stand (a redraw for the clock costs no rebuild of 1,000 rows). */
struct pane_rows_key {
	uint64_t epoch;	 /* the store's (ui->epoch) */
	uint64_t gen[2]; /* store generations of the slots the rows come from */
	long tick;	 /* the second, for rows that show ages; 0 otherwise */
	char ledger[64]; /* the selected ledger */
	char filter[UI_FILTER_MAX];
	int sort;
	bool desc, valid;
};

struct pane_rows {
	struct pane_rows_key key;
	size_t ncols;
	struct view_cell *cells;       /* n x ncols, in the order added */
	size_t *item;		       /* the source index of each added row */
	char (*ids)[PANE_ROWS_ID_MAX]; /* each added row's identity, "" for its first cell */
	size_t *order;		       /* shown row -> added row (set by pane_rows_sort) */
	size_t n, cap;
};

/* Fill k from what the rows depend on (gens: up to two generations). */
void pane_rows_key_make(struct pane_rows_key *k, const struct ui *u, const struct view_sel *s,
			uint64_t gen0, uint64_t gen1, long tick);
/* True when the rows were built from k already (then skip the build);
 * else remembers k for the build that follows. */
bool pane_rows_cached(struct pane_rows *r, const struct pane_rows_key *k);
/* Start building (clears; keeps the memory). */
void pane_rows_begin(struct pane_rows *r, size_t ncols);
/* Add a row of ncols cells for item (copied); dropped when the filter
 * matches none of its cells. Out of memory drops the row too. */
void pane_rows_add(struct pane_rows *r, const struct ui *u, size_t item,
		   const struct view_cell *cells);
/* Give the row just added for item an identity of its own, for rows whose
 * first cell is not unique (two journal streams may share a name): the
 * selection follows it instead of the first cell. Nothing when that row
 * was dropped by the filter. */
void pane_rows_set_id(struct pane_rows *r, size_t item, const char *id);
/* Sort by s->sort (clamped to the columns): fills the order of the shown
 * rows (stable: equal rows keep the service's order); cells stay put, so
 * sorting 1,000 rows moves 1,000 indexes, not 1,000 rows of text. Once
 * the operator has moved the selection, it then moves to the row of the
 * item it follows (same identity: pane_rows_set_id's, else the first
 * cell), wherever the sort or the service put it; when that item is not
 * shown (gone, filtered out) it keeps its place and follows the row now
 * there. Until the first move it keeps its place (the top row of a
 * newest-first log stays the newest). */
void pane_rows_sort(struct pane_rows *r, struct view_sel *s);
/* The source item and the cells of shown row i (after pane_rows_sort). */
size_t pane_rows_item(const struct pane_rows *r, size_t i);
const struct view_cell *pane_rows_cell(const struct pane_rows *r, size_t i, size_t col);
void pane_rows_free(struct pane_rows *r);
/* Select shown row i and follow its item, as a move does (a pane whose
 * selection follows something else, the ledger chosen with ] and [). */
void pane_rows_select(const struct pane_rows *r, struct view_sel *s, size_t i);
/* The item of the selected row, or (size_t)-1 when there is none. */
size_t pane_rows_selected(const struct pane_rows *r, const struct view_sel *s);

/* Movement, n/N and sort actions on a list of r's rows shown in
 * `height` rows: true when a was one of them. A move makes the selection
 * follow the item of the row it lands on. */
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
