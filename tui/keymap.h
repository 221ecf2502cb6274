/*
 * keymap.h - keys to actions, as one table that feeds key dispatch, the
 * footer hints and (later) the help overlay, so they cannot drift.
 * Pure lookups; no curses calls beyond the key constants.
 * Ownership: static table; returned strings live forever.
 */
#ifndef QLDBTOP_TUI_KEYMAP_H
#define QLDBTOP_TUI_KEYMAP_H

#include <stddef.h>

#include "widgets/statusbar.h"

enum keymap_action {
	ACTION_NONE,
	ACTION_QUIT,
	ACTION_REFRESH,
	ACTION_NEXT_LEDGER,
	ACTION_PREV_LEDGER,
	ACTION_REDRAW,
};

/* The action bound to a curses key code; ACTION_NONE if unbound. */
enum keymap_action keymap_lookup(int key);
/* Fill up to cap footer hints (one per action marked for the footer). */
size_t keymap_hints(struct statusbar_hint *out, size_t cap);
/* 0 when no key is bound twice; else -1 and a one-line message naming
 * both actions. Checked once at start-up. */
int keymap_check(char *err, size_t cap);

#endif
