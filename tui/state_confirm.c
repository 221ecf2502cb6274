/*
 * state_confirm.c - "Start an export of financial-ledger? [y/N]": every
 * mutating action asks first. y runs it; anything else (n, Esc, Enter)
 * says so and does nothing: the safe answer is the default.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/kvtable.h"

static unsigned confirm_key(struct ui *u, void *arg, int ch)
{
	struct state_confirm_arg *c = arg;
	if (ch == 'y' || ch == 'Y') {
		void (*run)(struct ui *, void *) = c->run;
		void *ctx = c->ctx;
		c->ctx = NULL; /* run takes it */
		ui_pop(u);
		run(u, ctx);
		return UI_HANDLED;
	}
	ui_pop(u);
	ui_message(u, false, "cancelled; nothing was changed");
	return UI_HANDLED;
}

static void confirm_footer(WINDOW *w, struct ui *u, void *arg)
{
	(void)u;
	struct state_confirm_arg *c = arg;
	char line[UI_MESSAGE_MAX + 16];
	snprintf(line, sizeof line, "%s [y/N]", c->question);
	werase(w);
	wattrset(w, theme_attr(THEME_WARN) | A_BOLD);
	mvwhline(w, 0, 0, ' ', getmaxx(w));
	kvtable_put_clipped(w, 0, 0, getmaxx(w), line, theme_attr(THEME_WARN) | A_BOLD);
	wattrset(w, A_NORMAL);
}

static void confirm_leave(void *arg)
{
	struct state_confirm_arg *c = arg;
	if (c)
		free(c->ctx);
	free(c);
}

bool state_confirm_push(struct ui *u, const char *question, void (*run)(struct ui *, void *),
			void *ctx)
{
	struct state_confirm_arg *c = calloc(1, sizeof *c);
	if (!c) {
		free(ctx);
		return false;
	}
	snprintf(c->question, sizeof c->question, "%s", question);
	c->run = run;
	c->ctx = ctx;
	return ui_push(u, &STATE_CONFIRM, c);
}

const struct ui_state_ops STATE_CONFIRM = {
	.name = "confirm",
	.key = confirm_key,
	.footer = confirm_footer,
	.leave = confirm_leave,
};
