/*
 * state_filter.c - `/`: type to filter the focused pane's rows (case-
 * insensitive substring, applied as you type, as htop's F4); Enter keeps
 * the filter, Esc restores the one before. n/N then step between
 * matches; Esc in the panes clears it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/inputline.h"

struct filter_arg {
	struct inputline in;
	char before[UI_FILTER_MAX];
};

bool state_filter_push(struct ui *u)
{
	struct filter_arg *f = calloc(1, sizeof *f);
	if (!f)
		return false;
	snprintf(f->before, sizeof f->before, "%s", u->filter);
	inputline_init(&f->in, u->filter);
	return ui_push(u, &STATE_FILTER, f);
}

static unsigned filter_key(struct ui *u, void *arg, int ch)
{
	struct filter_arg *f = arg;
	enum inputline_result r = inputline_key(&f->in, ch);
	if (r == INPUTLINE_CANCELLED)
		ui_set_filter(u, f->before);
	else
		ui_set_filter(u, inputline_text(&f->in));
	if (r == INPUTLINE_CANCELLED || r == INPUTLINE_ACCEPTED)
		ui_pop(u);
	u->dirty |= UI_DIRTY_FOOTER;
	return UI_HANDLED;
}

static void filter_footer(WINDOW *w, struct ui *u, void *arg)
{
	struct filter_arg *f = arg;
	werase(w);
	wattrset(w, theme_attr(THEME_BAR));
	mvwhline(w, 0, 0, ' ', getmaxx(w));
	wattrset(w, A_NORMAL);
	int cur = inputline_draw(w, 0, 0, getmaxx(w), "filter /", &f->in, theme_attr(THEME_BAR),
				 u->set.ascii);
	if (cur >= 0) /* the cursor as a reverse cell: curs_set stays off */
		mvwchgat(w, 0, cur, 1, A_REVERSE, 0, NULL);
}

const struct ui_state_ops STATE_FILTER = {
	.name = "filter",
	.key = filter_key,
	.footer = filter_footer,
	.leave = free,
};
