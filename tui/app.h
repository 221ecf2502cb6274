/*
 * app.h - the dashboard's main loop on the UI thread: the only code that
 * touches the terminal.
 *
 * It sleeps in one poll() over stdin, the store's wake fd and a signal
 * self-pipe, with a timeout to the next one-second tick (ages on screen
 * change once a second; nothing else needs the clock). On a wake it
 * re-reads the store and marks only the panes whose data changed; it then
 * draws only dirty panes (wnoutrefresh each) and flushes once (doupdate).
 * The terminal is restored on every exit path: normal quit, SIGINT,
 * SIGTERM, SIGHUP, a lost terminal, and fatal signals (best effort).
 *
 * Ownership: app_run borrows the config (store, poller) for its duration.
 */
#ifndef QLDBTOP_TUI_APP_H
#define QLDBTOP_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "api/poller.h"
#include "api/store.h"

#define APP_MIN_COLS 80
#define APP_MIN_LINES 24

#include "tui/ui.h"

struct app_config {
	struct store *store;
	struct poller *poller; /* for 'r'; may be NULL */
	const char *ledger;    /* fixed ledger (--ledger) or NULL: from the list */
	unsigned interval_s;
	bool no_color, ascii, readonly, bell_on_failure;
	bool mouse;	   /* clicks on the tabs focus a pane; the wheel moves the selection */
	const char *where; /* header text: "demo 127.0.0.1:PORT us-east-1" (no secrets) */
	ui_reconfigure_fn reconfigure; /* :profile/:region; NULL: not offered */
	void *reconfigure_ctx;
	ui_submit_fn submit; /* the panes' actions (api/jobs.h); NULL: not offered */
	void *submit_ctx;
	const char *export_bucket, *export_role; /* the first export's target, or NULL */
};

/* Run until quit. Returns the exit status: 0 after 'q', 128+signal after
 * SIGINT/SIGTERM/SIGHUP, 2 with err filled when the terminal cannot be
 * used (err is printed by the caller, after the terminal is restored). */
int app_run(const struct app_config *cfg, char *err, size_t errcap);

#endif
