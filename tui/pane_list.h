/*
 * pane_list.h - the layout the list panes share (Streams, Exports): a
 * frame titled "<what> of <ledger>", the table of rows (at most
 * PANE_LIST_SHOWN at a time), then the selected item's details and how
 * fresh the slot is; and Enter's drill-down with the same details. A pane
 * says its items once, through a describe function that feeds either.
 * Ownership: borrows everything for the call.
 */
#ifndef QLDBTOP_TUI_PANE_LIST_H
#define QLDBTOP_TUI_PANE_LIST_H

#include <curses.h>
#include <stddef.h>

#include "tui/pane_rows.h"
#include "tui/ui.h"

#define PANE_LIST_SHOWN 8

/* add(ctx, role, key, value) for each detail line of item (an index into
 * the slot's list; the describer checks it is in range). */
typedef void (*pane_list_add_fn)(void *ctx, enum theme_role role, const char *key,
				 const char *value);
typedef void (*pane_list_describe_fn)(const struct ui *u, size_t item, pane_list_add_fn add,
				      void *ctx);

struct pane_list {
	const char *what;     /* "Journal streams": the title; lower-cased when empty */
	const char *noun;     /* "stream": "no stream matches the filter" */
	const char *crumb;    /* "streams": the breadcrumb's middle */
	enum store_kind kind; /* the slot the rows come from */
	const struct view_column *cols;
	size_t ncols;
	pane_list_describe_fn describe;
};

/* Draw the frame, rows and the selected item's details into w; returns
 * the table's height (header included) for page moves. */
int pane_list_draw(WINDOW *w, struct ui *u, const struct pane_list *p, struct pane_rows *rows,
		   struct view_sel *sel);
/* Enter: item's details as a drill-down, its breadcrumb ending in id. */
unsigned pane_list_drill(struct ui *u, const struct pane_list *p, size_t item, const char *id);

#endif
