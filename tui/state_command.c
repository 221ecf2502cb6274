/*
 * state_command.c - `:` the command line, as k9s and vim have it:
 *   :ledger NAME    select a ledger        :pane NAME|N   focus a pane
 *   :profile NAME   switch AWS profile     :region NAME   switch region
 *   :filter TEXT    set the filter         :refresh  :pause  :help  :quit
 * Commands are a table; a wrong one is a one-line message in the footer
 * naming what was typed. Enter runs, Esc cancels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/pane.h"
#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/inputline.h"

struct command {
	const char *name;
	bool needs_arg;
	void (*run)(struct ui *u, const char *arg);
	const char *help;
};

static void cmd_ledger(struct ui *u, const char *arg)
{
	if (ui_select_ledger(u, arg))
		ui_message(u, false, "ledger %s", arg);
}

static void cmd_pane(struct ui *u, const char *arg)
{
	for (size_t i = 0; i < u->panes_n; i++) {
		char num[24];
		snprintf(num, sizeof num, "%zu", i + 1);
		if (strcmp(arg, u->panes[i]->name) == 0 || strcmp(arg, num) == 0) {
			ui_focus(u, i);
			return;
		}
	}
	ui_message(u, true, ":pane %.40s: no such pane (ledgers, streams, exports, digests)", arg);
}

static void cmd_switch(struct ui *u, const char *profile, const char *region)
{
	char err[UI_MESSAGE_MAX];
	if (!u->set.reconfigure) {
		ui_message(u, true, "switching %s is not available here",
			   profile ? "profile" : "region");
		return;
	}
	if (ui_reconfigure(u, profile, region, err, sizeof err))
		ui_message(u, true, "%s", err);
	else
		ui_message(u, false, "now on %s", profile ? profile : region);
}

static void cmd_profile(struct ui *u, const char *arg)
{
	cmd_switch(u, arg, NULL);
}

static void cmd_region(struct ui *u, const char *arg)
{
	cmd_switch(u, NULL, arg);
}

static void cmd_filter(struct ui *u, const char *arg)
{
	ui_set_filter(u, arg);
}

static void cmd_action(struct ui *u, enum keymap_action a)
{
	ui_global_action(u, a);
}

static void cmd_refresh(struct ui *u, const char *arg)
{
	(void)arg;
	cmd_action(u, ACTION_REFRESH);
}

static void cmd_pause(struct ui *u, const char *arg)
{
	(void)arg;
	cmd_action(u, ACTION_PAUSE);
}

static void cmd_help(struct ui *u, const char *arg)
{
	(void)arg;
	cmd_action(u, ACTION_HELP);
}

static void cmd_quit(struct ui *u, const char *arg)
{
	(void)arg;
	cmd_action(u, ACTION_QUIT);
}

static const struct command COMMANDS[] = {
	{ "ledger", true, cmd_ledger, "select a ledger" },
	{ "pane", true, cmd_pane, "focus a pane" },
	{ "profile", true, cmd_profile, "switch the AWS profile" },
	{ "region", true, cmd_region, "switch the region" },
	{ "filter", false, cmd_filter, "set or clear the filter" },
	{ "refresh", false, cmd_refresh, "refresh now" },
	{ "pause", false, cmd_pause, "pause or resume polling" },
	{ "help", false, cmd_help, "show the keys" },
	{ "quit", false, cmd_quit, "quit" },
	{ "q", false, cmd_quit, "quit" },
};

/* Run one command line ("ledger financial-ledger"). */
void state_command_run(struct ui *u, const char *line)
{
	char buf[INPUTLINE_CAP];
	snprintf(buf, sizeof buf, "%s", line);
	char *name = buf;
	while (*name == ' ')
		name++;
	char *arg = strchr(name, ' ');
	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
		size_t n = strlen(arg);
		while (n && arg[n - 1] == ' ')
			arg[--n] = '\0';
	} else {
		arg = name + strlen(name);
	}
	if (!name[0])
		return;
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) {
		if (strcmp(COMMANDS[i].name, name) != 0)
			continue;
		if (COMMANDS[i].needs_arg && !arg[0]) {
			ui_message(u, true, ":%s needs an argument (%s)", name, COMMANDS[i].help);
			return;
		}
		COMMANDS[i].run(u, arg);
		return;
	}
	ui_message(u, true,
		   ":%.40s: unknown command (ledger, pane, profile, region, filter, refresh, "
		   "pause, help, quit)",
		   name);
}

static unsigned command_key(struct ui *u, void *arg, int ch)
{
	struct inputline *in = arg;
	enum inputline_result r = inputline_key(in, ch);
	u->dirty |= UI_DIRTY_FOOTER;
	if (r != INPUTLINE_ACCEPTED && r != INPUTLINE_CANCELLED)
		return UI_HANDLED;
	char line[INPUTLINE_CAP];
	snprintf(line, sizeof line, "%s", inputline_text(in));
	ui_pop(u); /* frees in */
	if (r == INPUTLINE_ACCEPTED)
		state_command_run(u, line);
	return UI_HANDLED;
}

static void command_footer(WINDOW *w, struct ui *u, void *arg)
{
	werase(w);
	wattrset(w, theme_attr(THEME_BAR));
	mvwhline(w, 0, 0, ' ', getmaxx(w));
	wattrset(w, A_NORMAL);
	int cur =
		inputline_draw(w, 0, 0, getmaxx(w), ":", arg, theme_attr(THEME_BAR), u->set.ascii);
	if (cur >= 0) /* the cursor as a reverse cell: curs_set stays off */
		mvwchgat(w, 0, cur, 1, A_REVERSE, 0, NULL);
}

bool state_command_push(struct ui *u)
{
	struct inputline *in = calloc(1, sizeof *in);
	if (!in)
		return false;
	inputline_init(in, NULL);
	return ui_push(u, &STATE_COMMAND, in);
}

const struct ui_state_ops STATE_COMMAND = {
	.name = "command",
	.key = command_key,
	.footer = command_footer,
	.leave = free,
};
