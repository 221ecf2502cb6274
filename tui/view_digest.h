/*
 * view_digest.h - the Digest pane: the live digest (base64), its tip
 * address, how fresh it is, and its verification state. Nothing is proven
 * in this slice, so the state always reads UNVERIFIED (DESIGN.md: a state
 * is VERIFIED only for what was actually proven).
 * Ownership: borrows the model for the call only.
 */
#ifndef QLDBTOP_TUI_VIEW_DIGEST_H
#define QLDBTOP_TUI_VIEW_DIGEST_H

#include <curses.h>

#include "api/store.h"
#include "tui/view_common.h"

struct view_digest_model {
	const char *name;		 /* selected ledger, NULL when none */
	const struct store_entry *entry; /* STORE_DIGEST of name */
};

void view_digest_draw(WINDOW *w, const struct view_digest_model *m, const struct view_ctx *c);

#endif
