/*
 * state_filter.c - `/`: type to filter the focused pane's rows (case-
 * insensitive substring, applied as you type, as htop's F4); Enter keeps
 * the filter, Esc restores the one before. n/N then step between
 * matches; Esc in the panes clears it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/state_input.h"
#include "tui/theme.h"
#include "tui/ui_state.h"

struct filter_arg {
	struct state_input in;
	char before[UI_FILTER_MAX];
};

bool state_filter_push(struct ui *u)
{
	struct filter_arg *f = calloc(1, sizeof *f);
	if (!f)
		return false;
	snprintf(f->before, sizeof f->before, "%s", u->filter);
	snprintf(f->in.text, sizeof f->in.text, "%s", u->filter);
	f->in.len = strlen(f->in.text);
	return ui_push(u, &STATE_FILTER, f);
}

static unsigned filter_key(struct ui *u, void *arg, int ch)
{
	struct filter_arg *f = arg;
	enum state_input_result r = state_input_key(&f->in, ch);
	if (r == INPUT_CANCEL)
		ui_set_filter(u, f->before);
	else
		ui_set_filter(u, f->in.text);
	if (r != INPUT_EDITING)
		ui_pop(u);
	u->dirty |= UI_DIRTY_FOOTER;
	return UI_HANDLED;
}

static void filter_footer(WINDOW *w, struct ui *u, void *arg)
{
	(void)u;
	struct filter_arg *f = arg;
	state_input_draw(w, "filter /", &f->in, theme_attr(THEME_BAR));
}

const struct ui_state_ops STATE_FILTER = {
	.name = "filter",
	.key = filter_key,
	.footer = filter_footer,
	.leave = free,
};
