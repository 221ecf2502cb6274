/*
 * keymap.c - the key table (see keymap.h). Keys follow
 * docs/tui-anchors.md §1.2: q/F10 quit, r refresh, Tab/Shift-Tab move
 * between ledgers, Ctrl-L repaint. Ctrl-C arrives as SIGINT and quits too.
 */
#include "tui/keymap.h"

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>

#define CTRL_KEY(c) ((c)&0x1f)

struct keymap_entry {
	int key;
	const char *key_name; /* as shown in hints */
	enum keymap_action action;
	const char *help;
	bool footer; /* shown in the footer hints */
};

static const struct keymap_entry KEYMAP[] = {
	{ 'q', "q", ACTION_QUIT, "Quit", true },
	{ KEY_F(10), "F10", ACTION_QUIT, "Quit", false },
	{ 'r', "r", ACTION_REFRESH, "Refresh", true },
	{ '\t', "Tab", ACTION_NEXT_LEDGER, "Next ledger", true },
	{ KEY_BTAB, "S-Tab", ACTION_PREV_LEDGER, "Prev ledger", false },
	{ CTRL_KEY('l'), "^L", ACTION_REDRAW, "Redraw", true },
};

#define KEYMAP_N (sizeof KEYMAP / sizeof KEYMAP[0])

enum keymap_action keymap_lookup(int key)
{
	for (size_t i = 0; i < KEYMAP_N; i++)
		if (KEYMAP[i].key == key)
			return KEYMAP[i].action;
	return ACTION_NONE;
}

size_t keymap_hints(struct statusbar_hint *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < KEYMAP_N && n < cap; i++)
		if (KEYMAP[i].footer)
			out[n++] = (struct statusbar_hint){ KEYMAP[i].key_name, KEYMAP[i].help };
	return n;
}

int keymap_check(char *err, size_t cap)
{
	for (size_t i = 0; i < KEYMAP_N; i++)
		for (size_t j = i + 1; j < KEYMAP_N; j++)
			if (KEYMAP[i].key == KEYMAP[j].key) {
				snprintf(err, cap, "key %s is bound to both '%s' and '%s'",
					 KEYMAP[i].key_name, KEYMAP[i].help, KEYMAP[j].help);
				return -1;
			}
	return 0;
}
