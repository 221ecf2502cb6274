/*
 * pane.h - a pane is a table entry: one file in tui/ (pane_ledgers.c,
 * pane_streams.c, pane_exports.c, pane_digests.c) exporting a const
 * struct pane_ops, listed in PANE_TABLE (pane_table.c). app.c iterates the
 * table (tabs, focus, dispatch) and knows no pane by name, as htop's Panel
 * classes are driven through their PanelClass.
 *
 * A pane draws the selected ledger's data from ui->data into the body
 * window it is given, honouring ui->filter, and handles the PANE-scope
 * actions of tui/keymap.h (selection, sort, Enter to drill down, verify,
 * export, stream) when it has focus.
 *
 * Ownership: the app allocates state_size zeroed bytes per pane and frees
 * them (after fini, when set); panes keep no pointers into ui->data across
 * calls (entries are replaced on every refresh).
 */
#ifndef QLDBTOP_TUI_PANE_H
#define QLDBTOP_TUI_PANE_H

#include <curses.h>
#include <stddef.h>

#include "api/store.h"
#include "tui/keymap.h"
#include "tui/ui.h"

#define PANE_KIND(k) (1u << (k))

struct pane_ops {
	const char *name;  /* "ledgers": :commands and messages */
	const char *title; /* "Ledgers": the tab */
	unsigned kinds;	   /* PANE_KIND bits of the slots it shows */
	size_t state_size;
	/* Draw into w (the whole body; frame included). */
	void (*draw)(WINDOW *w, void *state, struct ui *u);
	/* A PANE action while focused: UI_* flags (UI_IGNORED if unused). */
	unsigned (*action)(void *state, enum keymap_action a, struct ui *u);
	/* Optional: a count for the tab ("Streams 2"); -1 for none. */
	long (*count)(const struct ui *u);
	/* Optional: release what state holds. */
	void (*fini)(void *state);
};

extern const struct pane_ops PANE_LEDGERS;
extern const struct pane_ops PANE_STREAMS;
extern const struct pane_ops PANE_EXPORTS;
extern const struct pane_ops PANE_DIGESTS;

/* Every pane, in tab order (1-4). */
extern const struct pane_ops *const PANE_TABLE[];
extern const size_t PANE_TABLE_N;

#endif
