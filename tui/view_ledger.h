/*
 * view_ledger.h - the Ledger pane: name, ARN, state, permissions mode,
 * deletion protection, encryption, created, and how fresh that is.
 * Draws into the pane's WINDOW from store entries; never blocks.
 * Ownership: borrows the model for the call only.
 */
#ifndef QLDBTOP_TUI_VIEW_LEDGER_H
#define QLDBTOP_TUI_VIEW_LEDGER_H

#include <curses.h>
#include <stddef.h>

#include "api/store.h"
#include "tui/view_common.h"

struct view_ledger_model {
	const char *name;		 /* selected ledger, NULL when none yet */
	size_t index, count;		 /* position among the listed ledgers */
	const struct store_entry *list;	 /* STORE_LEDGER_LIST (may be !present) */
	const struct store_entry *entry; /* STORE_LEDGER of name */
};

void view_ledger_draw(WINDOW *w, const struct view_ledger_model *m, const struct view_ctx *c);

#endif
