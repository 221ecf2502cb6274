/*
 * keymap.h - keys to actions, as one table that feeds key dispatch, the
 * footer hints, the `?` help overlay and duplicate detection, so they
 * cannot drift. Actions have names ("refresh", "pane-next") so the config
 * file can rebind them (`key.refresh = R`); a rebinding replaces every key
 * of that action, and a key bound twice is refused at start-up.
 *
 * Scope: a GLOBAL action is handled by the app whatever pane has focus
 * (quit, refresh, panes, help, ...); a PANE action goes to the focused
 * pane (moving the selection, sort, drill-down, verify, export, stream).
 * MUTATING actions change the account (start an export, a stream); they
 * pass through one check (readonly) and a confirmation.
 *
 * Ownership: a process-wide table, changed only by keymap_bind before the
 * UI starts; returned strings live forever.
 */
#ifndef QLDBTOP_TUI_KEYMAP_H
#define QLDBTOP_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/statusbar.h"

enum keymap_action {
	ACTION_NONE,
	/* global */
	ACTION_QUIT,
	ACTION_HELP,
	ACTION_REFRESH,
	ACTION_PAUSE,
	ACTION_INTERVAL_UP,
	ACTION_INTERVAL_DOWN,
	ACTION_REDRAW,
	ACTION_PANE_NEXT,
	ACTION_PANE_PREV,
	ACTION_PANE_1,
	ACTION_PANE_2,
	ACTION_PANE_3,
	ACTION_PANE_4,
	ACTION_FILTER,
	ACTION_COMMAND,
	ACTION_ACK,
	ACTION_BACK,
	ACTION_LEDGER_NEXT,
	ACTION_LEDGER_PREV,
	/* pane */
	ACTION_UP,
	ACTION_DOWN,
	ACTION_TOP,
	ACTION_BOTTOM,
	ACTION_PAGE_UP,
	ACTION_PAGE_DOWN,
	ACTION_ENTER,
	ACTION_FILTER_NEXT,
	ACTION_FILTER_PREV,
	ACTION_SORT_PREV,
	ACTION_SORT_NEXT,
	ACTION_VERIFY,
	ACTION_EXPORT,
	ACTION_STREAM,
	ACTION_COUNT,
};

enum keymap_scope { KEYMAP_GLOBAL, KEYMAP_PANE };

struct keymap_info {
	const char *name; /* "refresh": the config file's name for it */
	const char *help; /* "Refresh now" */
	enum keymap_scope scope;
	bool mutating;
};

/* The action bound to a curses key code; ACTION_NONE if unbound. */
enum keymap_action keymap_lookup(int key);
/* What an action is; NULL for ACTION_NONE or out of range. */
const struct keymap_info *keymap_info(enum keymap_action a);
/* The action called name, ACTION_NONE if there is none. */
enum keymap_action keymap_by_name(const char *name);
/* The keys of a as text for help and hints ("j Down"), into buf. */
void keymap_keys_text(enum keymap_action a, char *buf, size_t cap);
/* A curses key code as shown to users: "q", "^L", "F10", "Enter". */
void keymap_key_name(int key, char *buf, size_t cap);

/* Fill up to cap footer hints (one per action marked for the footer). */
size_t keymap_hints(struct statusbar_hint *out, size_t cap);
/* Replace the keys of the action called name with key. 0, or -1 with a
 * one-line message (unknown action, table full). */
int keymap_bind(const char *name, int key, char *err, size_t cap);
/* Back to the built-in table (tests). */
void keymap_reset(void);
/* 0 when no key is bound twice; else -1 and a one-line message naming
 * the key and both actions. Checked once at start-up. */
int keymap_check(char *err, size_t cap);

#endif
