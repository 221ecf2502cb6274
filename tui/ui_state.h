/*
 * ui_state.h - a UI state is a mode that takes the keys while it is on
 * the stack (tui/ui.h): the help overlay (state_help.c), the filter input
 * (state_filter.c), the command line (state_command.c), a yes/no
 * confirmation (state_confirm.c) and a drill-down view (state_drill.c),
 * each in its own file, as ncdu keeps one file per state. With no state
 * on the stack the keymap dispatches to the app and the focused pane.
 *
 * Ownership: a state's argument (ui->state_arg) is created by whoever
 * pushes it and freed by the state's leave.
 */
#ifndef QLDBTOP_TUI_UI_STATE_H
#define QLDBTOP_TUI_UI_STATE_H

#include <curses.h>
#include <stddef.h>

#include "tui/ui.h"

struct ui_state_ops {
	const char *name;
	/* A key (curses code): UI_* flags; UI_IGNORED lets the global keys
	 * (quit, redraw) through. */
	unsigned (*key)(struct ui *u, void *arg, int ch);
	/* Draw over the body window (overlay or replacement). NULL: the
	 * state draws in the footer only (footer). */
	void (*draw)(WINDOW *body, struct ui *u, void *arg);
	/* Optional: the footer line while active (an input line). */
	void (*footer)(WINDOW *footer, struct ui *u, void *arg);
	/* Optional: free arg when popped. */
	void (*leave)(void *arg);
};

extern const struct ui_state_ops STATE_HELP;
extern const struct ui_state_ops STATE_FILTER;
extern const struct ui_state_ops STATE_COMMAND;
extern const struct ui_state_ops STATE_CONFIRM;
extern const struct ui_state_ops STATE_DRILL;
extern const struct ui_state_ops STATE_JOB;

/* Push the help overlay, the filter input (starting from the current
 * filter) or the command line; false when the stack is full or out of
 * memory. */
bool state_help_push(struct ui *u);
bool state_filter_push(struct ui *u);
bool state_command_push(struct ui *u);

/* Run one command line ("ledger financial-ledger"), as Enter after ':'
 * does; errors become the footer message. */
void state_command_run(struct ui *u, const char *line);

/* A confirmation: "Start an export of financial-ledger? y/n"; on yes,
 * run(u, ctx) is called. The arg pushed with STATE_CONFIRM. */
struct state_confirm_arg {
	char question[UI_MESSAGE_MAX];
	void (*run)(struct ui *u, void *ctx);
	void *ctx; /* freed with free() on leave (may be NULL) */
};
/* Push a confirmation (copies question; takes ctx). */
bool state_confirm_push(struct ui *u, const char *question, void (*run)(struct ui *, void *),
			void *ctx);

/* A drill-down: a title for the breadcrumb and lines of text, with the
 * role of each (failures in the failure role). */
struct drill_line {
	char *text;
	enum theme_role role;
};
struct state_drill_arg {
	char crumb[128]; /* "financial-ledger > streams > abc..." */
	struct drill_line *items;
	size_t n, cap;
	int top; /* first line shown */
};
/* A new, empty drill-down (NULL on out of memory); add lines, then push. */
struct state_drill_arg *drill_new(const char *crumb);
void drill_add(struct state_drill_arg *d, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Push d (taken, also when the stack is full). */
bool drill_push(struct ui *u, struct state_drill_arg *d);

/* Submit r and open its live view (state_job.c) with the breadcrumb and
 * up to 8 lines shown before the job's own (copied); false when it could
 * not be queued (the footer says why). */
struct job_request;
bool state_job_push(struct ui *u, const struct job_request *r, const char *crumb,
		    const struct drill_line *preface, size_t n_preface);

#endif
