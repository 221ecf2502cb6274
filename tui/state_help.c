/*
 * state_help.c - the `?` overlay: every action of the key table with its
 * keys, in two columns when they fit, scrolled with the movement keys.
 * Built from tui/keymap.c's table, so help cannot drift from dispatch.
 * Any other key closes it.
 */
#include <stdio.h>

#include "tui/keymap.h"
#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define HELP_KEYS_W 14
#define HELP_COL_W 40

static int help_top; /* first row shown; one overlay at a time */

static void help_draw(WINDOW *w, struct ui *u, void *arg)
{
	(void)arg;
	int h, wd;
	getmaxyx(w, h, wd);
	struct box_style bs = { theme_attr(THEME_BORDER), theme_attr(THEME_TITLE), u->set.ascii };
	box_draw(w, "Help: keys (any other key closes; j/k scroll)", &bs);
	int cols = wd - 2 >= 2 * HELP_COL_W ? 2 : 1, rows = h - 2;
	int n = ACTION_COUNT - 1, per_col = (n + cols - 1) / cols;
	if (help_top > per_col - rows)
		help_top = per_col - rows > 0 ? per_col - rows : 0;
	int colw = (wd - 2) / cols;
	for (int i = 0; i < n; i++) {
		int col = i / per_col, r = i % per_col - help_top;
		if (r < 0 || r >= rows)
			continue;
		enum keymap_action a = (enum keymap_action)(i + 1);
		const struct keymap_info *info = keymap_info(a);
		char keys[64], line[160];
		keymap_keys_text(a, keys, sizeof keys);
		int x = 1 + col * colw;
		kvtable_put_clipped(w, 1 + r, x + 1, HELP_KEYS_W - 1, keys[0] ? keys : "(unbound)",
				    theme_attr(THEME_KEY));
		snprintf(line, sizeof line, "%s%s%s", info->help,
			 info->mutating && u->set.readonly ? " (read-only: off)" : "",
			 info->mutating && !u->set.readonly ? " (asks first)" : "");
		kvtable_put_clipped(w, 1 + r, x + HELP_KEYS_W, colw - HELP_KEYS_W - 1, line,
				    theme_attr(THEME_NORMAL));
	}
}

static unsigned help_key(struct ui *u, void *arg, int ch)
{
	(void)arg;
	enum keymap_action a = keymap_lookup(ch);
	if (a == ACTION_DOWN || a == ACTION_PAGE_DOWN) {
		help_top += a == ACTION_DOWN ? 1 : 10;
		u->dirty |= UI_DIRTY_BODY;
		return UI_HANDLED;
	}
	if (a == ACTION_UP || a == ACTION_PAGE_UP) {
		help_top -= a == ACTION_UP ? 1 : 10;
		if (help_top < 0)
			help_top = 0;
		u->dirty |= UI_DIRTY_BODY;
		return UI_HANDLED;
	}
	if (a == ACTION_QUIT || a == ACTION_REDRAW)
		return UI_IGNORED; /* q still quits, ^L still repaints */
	help_top = 0;
	ui_pop(u);
	return UI_HANDLED;
}

bool state_help_push(struct ui *u)
{
	help_top = 0;
	return ui_push(u, &STATE_HELP, NULL);
}

const struct ui_state_ops STATE_HELP = {
	.name = "help",
	.key = help_key,
	.draw = help_draw,
};
