/*
 * view_digest.h - the Digest pane: the live digest (base64), its tip
 * address, how fresh it is, and what the auditor proved (api/auditor.h):
 * FAILED with the count when any check failed, VERIFIED with the proven
 * tip only when checks were proven and none failed, else UNVERIFIED
 * (DESIGN.md: a state is VERIFIED only for what was actually proven).
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
	const struct store_entry *audit; /* STORE_AUDIT of name (may be NULL) */
};

void view_digest_draw(WINDOW *w, const struct view_digest_model *m, const struct view_ctx *c);

#endif
