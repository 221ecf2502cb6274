/*
 * ui.h - the dashboard's model on the UI thread: what was copied from the
 * store this round, which ledger and pane are selected, the filter, the
 * integrity banner, the message line and the stack of UI states (help,
 * filter, command line, confirmation, drill-down).
 *
 * Panes (tui/pane.h) and states (tui/ui_state.h) read it and change it
 * only through the ui_* functions here, which also mark what must be
 * redrawn; app.c owns the terminal and the loop and knows no pane or
 * state by name.
 *
 * Ownership: struct ui is owned by app_run; entries in data are released
 * by ui_data_refresh/ui_free. Nothing here blocks or touches the network:
 * refresh-now, pause and the interval go to the poller, which only sets
 * flags its workers read.
 */
#ifndef QLDBTOP_TUI_UI_H
#define QLDBTOP_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/qldb.h"
#include "api/store.h"
#include "tui/keymap.h"
#include "tui/view_common.h"

#define UI_PANES_MAX 8
#define UI_STATES_MAX 4
#define UI_FILTER_MAX 64
#define UI_MESSAGE_MAX 160
#define UI_EVENTS_MAX 256 /* audit events kept for the digests pane */
#define UI_MESSAGE_SECONDS 5.0

/* What must be redrawn. */
enum ui_dirty {
	UI_DIRTY_HEADER = 1,
	UI_DIRTY_BANNER = 2,
	UI_DIRTY_TABS = 4,
	UI_DIRTY_BODY = 8,
	UI_DIRTY_FOOTER = 16,
	UI_DIRTY_LAYOUT = 32, /* the banner came or went: windows move */
	UI_DIRTY_ALL = 63,
};

/* What a key handler did (panes and states). */
enum ui_flags { UI_IGNORED = 0, UI_HANDLED = 1, UI_QUIT = 2 };

/* The selected ledger's slots, copied from the store. */
struct ui_data {
	struct store_entry list;		   /* STORE_LEDGER_LIST */
	struct store_entry kind[STORE_KIND_COUNT]; /* of ledger (list, jobs unused) */
	struct store_entry jobs;		   /* STORE_JOBS (key "") */
	uint64_t jobs_announced;		   /* the last finished job said in the footer */
	char ledger[QLDB_NAME_MAX + 1];		   /* "" when none yet */
	size_t ledger_index, ledger_count;
	uint64_t generation; /* the store's, at the last refresh */
	/* the audit log, oldest first (every ledger's) */
	struct store_audit_event events[UI_EVENTS_MAX];
	size_t events_n;
	uint64_t events_cursor;
};

/* An integrity failure that has not been acknowledged. */
struct ui_banner {
	bool active;
	struct store_audit_event ev; /* the newest failure */
	uint64_t failures;	     /* failures since the last acknowledgement */
};

struct ui_state_ops;
struct poller;
struct pane_ops;

/* Switch the AWS profile or region (either may be NULL): the dashboard's
 * owner (tui/cmd_dashboard.c) resolves the new configuration, stops the
 * old pollers and starts new ones on a new store, which it returns; the
 * old store is freed by it after ui_reconfigure released every entry.
 * 0, or -1 with a one-line message (the old ones keep running then). */
typedef int (*ui_reconfigure_fn)(void *ctx, const char *profile, const char *region,
				 struct store **store, struct poller **poller, bool *readonly,
				 char *err, size_t cap);

/* Queue an on-demand job (api/jobs.h) on the dashboard's runner: 0 and
 * *id, or -1 with a one-line message. Never blocks. */
struct job_request;
typedef int (*ui_submit_fn)(void *ctx, const struct job_request *r, uint64_t *id, char *err,
			    size_t cap);

struct ui_settings {
	bool readonly;		       /* mutating actions refused */
	bool bell_on_failure;	       /* beep on a new integrity failure */
	bool ascii;		       /* ASCII glyphs */
	unsigned interval_s;	       /* --interval (the unit the poller scales) */
	const char *fixed_ledger;      /* --ledger, or NULL */
	const char *where;	       /* "demo 127.0.0.1:PORT us-east-1" (no secrets) */
	ui_reconfigure_fn reconfigure; /* NULL: :profile and :region say so */
	void *reconfigure_ctx;
	ui_submit_fn submit; /* NULL: actions say they are not available */
	void *submit_ctx;
	/* where `e` exports when the ledger has no export to copy (--demo:
	 * the recipe's bucket and role); NULL: it says so instead */
	const char *export_bucket, *export_role;
};

struct ui {
	struct ui_settings set;
	struct store *store;
	struct poller *poller; /* may be NULL (tests) */
	struct ui_data data;
	unsigned dirty;
	bool quit;
	/* panes */
	size_t pane, panes_n;
	const struct pane_ops *const *panes;
	void *pane_state[UI_PANES_MAX];
	int body_lines; /* rows of the body window, for page moves */
	/* states, innermost last; none means panes get the keys */
	const struct ui_state_ops *states[UI_STATES_MAX];
	void *state_arg[UI_STATES_MAX];
	size_t depth;
	char filter[UI_FILTER_MAX]; /* "" none; panes show matching rows */
	char message[UI_MESSAGE_MAX];
	bool message_bad;
	double message_until; /* monotonic */
	struct ui_banner banner;
	bool bell_pending;
	double interval_scale; /* multiplies --interval; +/- change it */
	uint64_t epoch;	       /* bumps when the store is replaced (:profile) */
	bool paused;
};

/* Set up u for panes (a NULL-terminated-free table of n). 0 or -1 (out of
 * memory). */
int ui_init(struct ui *u, const struct ui_settings *set, struct store *store, struct poller *poller,
	    const struct pane_ops *const *panes, size_t n);
void ui_free(struct ui *u);

/* Re-read the store: the ledger list, the selected ledger's slots, new
 * audit events (a new FAILED raises the banner). Marks what changed. */
void ui_data_refresh(struct ui *u);
/* The age tick: everything that shows an age. */
void ui_tick(struct ui *u);

/* Select a ledger by name (must be in the list unless fixed); false and a
 * message when there is none of that name. */
bool ui_select_ledger(struct ui *u, const char *name);
/* Step through the list (+1 / -1, wrapping). */
void ui_step_ledger(struct ui *u, int step);
/* Focus pane i (clamped); marks tabs and body. */
void ui_focus(struct ui *u, size_t i);
/* A one-line message in the footer for UI_MESSAGE_SECONDS (bad: in the
 * failure role). */
void ui_message(struct ui *u, bool bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Push a state with its argument (owned by the state: freed by its
 * leave); false when the stack is full. Pop the innermost. */
bool ui_push(struct ui *u, const struct ui_state_ops *st, void *arg);
void ui_pop(struct ui *u);
/* Set the filter ("" clears it). */
void ui_set_filter(struct ui *u, const char *text);
/* Does text match the filter (case-insensitive substring; "" matches)? */
bool ui_filter_match(const struct ui *u, const char *text);

/* :profile / :region through set.reconfigure; data starts over. */
int ui_reconfigure(struct ui *u, const char *profile, const char *region, char *err, size_t cap);

/* Submit a job; false (and the reason as the footer message) when it
 * cannot be queued. *id gets its id. */
bool ui_submit(struct ui *u, const struct job_request *r, uint64_t *id);
/* The newest job status of kind for target ledger/id (id "" for any),
 * NULL when none; borrowed from data.jobs until the next refresh. */
const struct job_status *ui_job_find(const struct ui *u, int kind, const char *ledger,
				     const char *id);

/* The one check for mutating actions: false (and a message) when
 * readonly. */
bool ui_may_mutate(struct ui *u, const char *what);

/* The view context of this moment (clock, interval, glyphs). */
struct view_ctx ui_view_ctx(const struct ui *u);

/* Global actions (quit, help, panes, refresh, ...): UI_* flags. */
unsigned ui_global_action(struct ui *u, enum keymap_action a);

#endif
