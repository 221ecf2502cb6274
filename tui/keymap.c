/*
 * keymap.c - the key table (see keymap.h). Keys follow
 * docs/tui-anchors.md §1.2 (htop, k9s, less): q/F10 quit, ? help, arrows
 * and j/k/g/G, Tab and 1-4 for panes, / filter, : command, Esc back.
 * Ctrl-C arrives as SIGINT and quits too (cbreak keeps it a signal).
 */
#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL_KEY(c) ((c)&0x1f)
#define KEYMAP_MAX 96 /* bindings, built-in and rebound */
#define KEY_ESC 27

static const struct keymap_info INFO[ACTION_COUNT] = {
	[ACTION_QUIT] = { "quit", "Quit", KEYMAP_GLOBAL, false },
	[ACTION_HELP] = { "help", "Help", KEYMAP_GLOBAL, false },
	[ACTION_REFRESH] = { "refresh", "Refresh now", KEYMAP_GLOBAL, false },
	[ACTION_PAUSE] = { "pause", "Pause polling", KEYMAP_GLOBAL, false },
	[ACTION_INTERVAL_UP] = { "interval-up", "Poll less often", KEYMAP_GLOBAL, false },
	[ACTION_INTERVAL_DOWN] = { "interval-down", "Poll more often", KEYMAP_GLOBAL, false },
	[ACTION_REDRAW] = { "redraw", "Repaint the screen", KEYMAP_GLOBAL, false },
	[ACTION_PANE_NEXT] = { "pane-next", "Next pane", KEYMAP_GLOBAL, false },
	[ACTION_PANE_PREV] = { "pane-prev", "Previous pane", KEYMAP_GLOBAL, false },
	[ACTION_PANE_1] = { "pane-1", "Ledgers pane", KEYMAP_GLOBAL, false },
	[ACTION_PANE_2] = { "pane-2", "Streams pane", KEYMAP_GLOBAL, false },
	[ACTION_PANE_3] = { "pane-3", "Exports pane", KEYMAP_GLOBAL, false },
	[ACTION_PANE_4] = { "pane-4", "Digests pane", KEYMAP_GLOBAL, false },
	[ACTION_FILTER] = { "filter", "Filter rows", KEYMAP_GLOBAL, false },
	[ACTION_COMMAND] = { "command", "Command line", KEYMAP_GLOBAL, false },
	[ACTION_ACK] = { "ack", "Acknowledge integrity banner", KEYMAP_GLOBAL, false },
	[ACTION_BACK] = { "back", "Back / close", KEYMAP_GLOBAL, false },
	[ACTION_LEDGER_NEXT] = { "ledger-next", "Next ledger", KEYMAP_GLOBAL, false },
	[ACTION_LEDGER_PREV] = { "ledger-prev", "Previous ledger", KEYMAP_GLOBAL, false },
	[ACTION_UP] = { "up", "Up", KEYMAP_PANE, false },
	[ACTION_DOWN] = { "down", "Down", KEYMAP_PANE, false },
	[ACTION_TOP] = { "top", "First row", KEYMAP_PANE, false },
	[ACTION_BOTTOM] = { "bottom", "Last row", KEYMAP_PANE, false },
	[ACTION_PAGE_UP] = { "page-up", "Page up", KEYMAP_PANE, false },
	[ACTION_PAGE_DOWN] = { "page-down", "Page down", KEYMAP_PANE, false },
	[ACTION_ENTER] = { "enter", "Open the selection", KEYMAP_PANE, false },
	[ACTION_FILTER_NEXT] = { "filter-next", "Next match", KEYMAP_PANE, false },
	[ACTION_FILTER_PREV] = { "filter-prev", "Previous match", KEYMAP_PANE, false },
	[ACTION_SORT_PREV] = { "sort-prev", "Sort by the column left", KEYMAP_PANE, false },
	[ACTION_SORT_NEXT] = { "sort-next", "Sort by the column right", KEYMAP_PANE, false },
	[ACTION_VERIFY] = { "verify", "Verify the selection", KEYMAP_PANE, false },
	[ACTION_EXPORT] = { "export", "Start a journal export", KEYMAP_PANE, true },
	[ACTION_STREAM] = { "stream", "Start or cancel a stream", KEYMAP_PANE, true },
};

struct keymap_entry {
	int key;
	enum keymap_action action;
	bool footer; /* shown in the footer hints */
};

static const struct keymap_entry BUILTIN[] = {
	{ 'q', ACTION_QUIT, true },
	{ KEY_F(10), ACTION_QUIT, false },
	{ '?', ACTION_HELP, true },
	{ KEY_F(1), ACTION_HELP, false },
	{ 'r', ACTION_REFRESH, true },
	{ 'p', ACTION_PAUSE, false },
	{ '+', ACTION_INTERVAL_UP, false },
	{ '-', ACTION_INTERVAL_DOWN, false },
	{ CTRL_KEY('l'), ACTION_REDRAW, false },
	{ '\t', ACTION_PANE_NEXT, true },
	{ KEY_BTAB, ACTION_PANE_PREV, false },
	{ '1', ACTION_PANE_1, false },
	{ '2', ACTION_PANE_2, false },
	{ '3', ACTION_PANE_3, false },
	{ '4', ACTION_PANE_4, false },
	{ '/', ACTION_FILTER, true },
	{ ':', ACTION_COMMAND, false },
	{ 'a', ACTION_ACK, false },
	{ KEY_ESC, ACTION_BACK, false },
	{ KEY_BACKSPACE, ACTION_BACK, false },
	{ ']', ACTION_LEDGER_NEXT, false },
	{ '[', ACTION_LEDGER_PREV, false },
	{ KEY_UP, ACTION_UP, false },
	{ 'k', ACTION_UP, false },
	{ KEY_DOWN, ACTION_DOWN, false },
	{ 'j', ACTION_DOWN, false },
	{ 'g', ACTION_TOP, false },
	{ KEY_HOME, ACTION_TOP, false },
	{ 'G', ACTION_BOTTOM, false },
	{ KEY_END, ACTION_BOTTOM, false },
	{ KEY_PPAGE, ACTION_PAGE_UP, false },
	{ KEY_NPAGE, ACTION_PAGE_DOWN, false },
	{ '\r', ACTION_ENTER, true },
	{ '\n', ACTION_ENTER, false },
	{ KEY_ENTER, ACTION_ENTER, false },
	{ 'n', ACTION_FILTER_NEXT, false },
	{ 'N', ACTION_FILTER_PREV, false },
	{ '<', ACTION_SORT_PREV, false },
	{ '>', ACTION_SORT_NEXT, false },
	{ 'v', ACTION_VERIFY, false },
	{ 'e', ACTION_EXPORT, false },
	{ 's', ACTION_STREAM, false },
};

#define BUILTIN_N (sizeof BUILTIN / sizeof BUILTIN[0])

static struct keymap_entry table[KEYMAP_MAX];
static size_t table_n;

static void table_ensure(void)
{
	if (table_n == 0)
		keymap_reset();
}

void keymap_reset(void)
{
	memcpy(table, BUILTIN, sizeof BUILTIN);
	table_n = BUILTIN_N;
}

enum keymap_action keymap_lookup(int key)
{
	table_ensure();
	for (size_t i = 0; i < table_n; i++)
		if (table[i].key == key)
			return table[i].action;
	return ACTION_NONE;
}

const struct keymap_info *keymap_info(enum keymap_action a)
{
	if (a <= ACTION_NONE || a >= ACTION_COUNT)
		return NULL;
	return &INFO[a];
}

enum keymap_action keymap_by_name(const char *name)
{
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		if (strcmp(INFO[a].name, name) == 0)
			return (enum keymap_action)a;
	return ACTION_NONE;
}

/* Names for the keys that are not one printable character. */
static const struct {
	int key;
	const char *name;
} KEY_NAMES[] = {
	{ '\t', "Tab" },	 { KEY_BTAB, "S-Tab" },	  { '\r', "Enter" },
	{ '\n', "^J" },		 { KEY_ENTER, "KEnter" }, { KEY_ESC, "Esc" },
	{ KEY_BACKSPACE, "BS" }, { KEY_UP, "Up" },	  { KEY_DOWN, "Down" },
	{ KEY_LEFT, "Left" },	 { KEY_RIGHT, "Right" },  { KEY_HOME, "Home" },
	{ KEY_END, "End" },	 { KEY_PPAGE, "PgUp" },	  { KEY_NPAGE, "PgDn" },
	{ KEY_DC, "Del" },	 { KEY_IC, "Ins" },	  { ' ', "Space" },
};

void keymap_key_name(int key, char *buf, size_t cap)
{
	for (size_t i = 0; i < sizeof KEY_NAMES / sizeof KEY_NAMES[0]; i++)
		if (KEY_NAMES[i].key == key) {
			snprintf(buf, cap, "%s", KEY_NAMES[i].name);
			return;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, cap, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, cap, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, cap, "%c", key);
	else
		snprintf(buf, cap, "key %d", key);
}

void keymap_keys_text(enum keymap_action a, char *buf, size_t cap)
{
	table_ensure();
	size_t len = 0, shown = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < table_n && len + 1 < cap && shown < 2; i++) {
		if (table[i].action != a)
			continue;
		shown++; /* two keys are enough to learn an action */
		char name[16];
		keymap_key_name(table[i].key, name, sizeof name);
		int w = snprintf(buf + len, cap - len, "%s%s", len ? " " : "", name);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
}

size_t keymap_hints(struct statusbar_hint *out, size_t cap)
{
	static char names[KEYMAP_MAX][16];
	table_ensure();
	size_t n = 0;
	for (size_t i = 0; i < table_n && n < cap; i++)
		if (table[i].footer) {
			keymap_key_name(table[i].key, names[i], sizeof names[i]);
			out[n++] = (struct statusbar_hint){ names[i], INFO[table[i].action].help };
		}
	return n;
}

int keymap_bind(const char *name, int key, char *err, size_t cap)
{
	table_ensure();
	enum keymap_action a = keymap_by_name(name);
	if (a == ACTION_NONE) {
		snprintf(err, cap, "no action called '%.40s' (see the help screen, ?)", name);
		return -1;
	}
	bool footer = false;
	size_t j = 0;
	for (size_t i = 0; i < table_n; i++) { /* drop the action's old keys */
		if (table[i].action == a) {
			footer = footer || table[i].footer;
			continue;
		}
		table[j++] = table[i];
	}
	table_n = j;
	if (table_n >= KEYMAP_MAX) {
		snprintf(err, cap, "too many key bindings (at most %d)", KEYMAP_MAX);
		return -1;
	}
	table[table_n++] = (struct keymap_entry){ key, a, footer };
	return 0;
}

int keymap_check(char *err, size_t cap)
{
	table_ensure();
	for (size_t i = 0; i < table_n; i++)
		for (size_t j = i + 1; j < table_n; j++)
			if (table[i].key == table[j].key) {
				char name[16];
				keymap_key_name(table[i].key, name, sizeof name);
				snprintf(err, cap, "key %s is bound to both '%s' and '%s'", name,
					 INFO[table[i].action].name, INFO[table[j].action].name);
				return -1;
			}
	return 0;
}
