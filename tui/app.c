/*
 * app.c - the UI thread's loop (see app.h): layout, dirty panes, keys,
 * signals and terminal restore.
 */
#include "tui/app.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "api/qldb.h"
#include "api/poller.h"
#include "api/resource.h"
#include "tui/cli.h"
#include "tui/keymap.h"
#include "tui/theme.h"
#include "tui/view_common.h"
#include "tui/view_digest.h"
#include "tui/view_ledger.h"
#include "widgets/kvtable.h"
#include "widgets/statusbar.h"

#define APP_LEDGER_PANE_LINES 11 /* 9 rows of content + frame */
#define APP_HINTS_MAX 8
#define APP_IDLE_SPIN_MAX 100 /* "readable" stdin with no key this often: tty gone */
#define APP_STDERR_REPLAY_MAX (64u << 10)
#define APP_ESCDELAY_MS 25

enum app_pane { PANE_HEADER = 1, PANE_LEDGER = 2, PANE_DIGEST = 4, PANE_FOOTER = 8, PANE_ALL = 15 };

struct app {
	const struct app_config *cfg;
	WINDOW *header, *ledger, *digest, *footer;
	bool too_small, need_layout;
	unsigned dirty;
	size_t sel, count;
	char sel_name[QLDB_NAME_MAX + 1];
	struct store_entry list, led, dig, aud;
	uint64_t generation;
};

/* --- terminal restore on every path ----------------------------------- */

static volatile sig_atomic_t curses_active;
static volatile sig_atomic_t quit_signal;
static int sig_pipe[2] = { -1, -1 };

/* Idempotent; safe to call from atexit and (best effort) fatal handlers. */
static void app_terminal_restore(void)
{
	if (curses_active) {
		curses_active = 0;
		endwin();
	}
}

static void on_quit_signal(int sig)
{
	int e = errno;
	quit_signal = sig;
	if (sig_pipe[1] >= 0) {
		ssize_t r = write(sig_pipe[1], "x", 1);
		(void)r;
	}
	errno = e;
}

/* Fatal signals: put the terminal back, then die as the signal says. */
static void on_fatal_signal(int sig)
{
	app_terminal_restore(); /* not async-signal-safe; htop does the same */
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int QUIT_SIGNALS[] = { SIGINT, SIGTERM, SIGHUP };
static const int FATAL_SIGNALS[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;
	for (size_t i = 0; i < sizeof QUIT_SIGNALS / sizeof QUIT_SIGNALS[0]; i++)
		sigaction(QUIT_SIGNALS[i], &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof FATAL_SIGNALS / sizeof FATAL_SIGNALS[0]; i++)
		sigaction(FATAL_SIGNALS[i], &sa, NULL);
	/* the caller blocked these while starting worker threads, so that
	 * only this thread receives them (and poll() sees EINTR) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	for (size_t i = 0; i < sizeof QUIT_SIGNALS / sizeof QUIT_SIGNALS[0]; i++)
		sigaddset(&set, QUIT_SIGNALS[i]);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static void signals_restore(void)
{
	for (size_t i = 0; i < sizeof QUIT_SIGNALS / sizeof QUIT_SIGNALS[0]; i++)
		signal(QUIT_SIGNALS[i], SIG_DFL);
	for (size_t i = 0; i < sizeof FATAL_SIGNALS / sizeof FATAL_SIGNALS[0]; i++)
		signal(FATAL_SIGNALS[i], SIG_DFL);
}

/* While curses owns the screen, stderr goes to a temporary file, replayed
 * after endwin (htop does this), so that a library's warning cannot
 * scribble over the panes. */
struct stderr_capture {
	int saved;
	FILE *tmp;
};

static void stderr_capture_begin(struct stderr_capture *c)
{
	c->saved = -1;
	c->tmp = tmpfile();
	if (!c->tmp)
		return;
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	if (c->saved < 0 || dup2(fileno(c->tmp), STDERR_FILENO) < 0) {
		fclose(c->tmp);
		c->tmp = NULL;
	}
}

static void stderr_capture_end(struct stderr_capture *c)
{
	if (!c->tmp)
		return;
	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	rewind(c->tmp);
	char buf[4096];
	size_t n, total = 0;
	while (total < APP_STDERR_REPLAY_MAX && (n = fread(buf, 1, sizeof buf, c->tmp)) > 0) {
		fwrite(buf, 1, n, stderr);
		total += n;
	}
	fclose(c->tmp);
	c->tmp = NULL;
}

/* --- data from the store ---------------------------------------------- */

static void app_entries_release(struct app *a)
{
	store_entry_release(&a->list);
	store_entry_release(&a->led);
	store_entry_release(&a->dig);
	store_entry_release(&a->aud);
}

/* Re-read what the panes show; mark panes whose slot generation moved. */
static void app_refresh(struct app *a)
{
	struct store *s = a->cfg->store;
	struct store_entry list, led, dig, aud;
	store_read(s, "", STORE_LEDGER_LIST, &list);

	const char *name = a->cfg->ledger;
	size_t count = 0;
	const struct resource_ledger_list *l = list.data;
	if (!name && l && l->n > 0) {
		count = l->n;
		if (a->sel >= count)
			a->sel = count - 1;
		/* stay on the same ledger when the list reorders */
		for (size_t i = 0; i < l->n; i++)
			if (strcmp(l->items[i].name, a->sel_name) == 0)
				a->sel = i;
		name = l->items[a->sel].name;
	} else if (name) {
		count = 1;
	}
	bool renamed = strcmp(a->sel_name, name ? name : "") != 0;
	snprintf(a->sel_name, sizeof a->sel_name, "%s", name ? name : "");
	a->count = count;
	store_read(s, a->sel_name, STORE_LEDGER, &led);
	store_read(s, a->sel_name, STORE_DIGEST, &dig);
	store_read(s, a->sel_name, STORE_AUDIT, &aud);

	if (renamed || list.generation != a->list.generation || led.generation != a->led.generation)
		a->dirty |= PANE_LEDGER | PANE_HEADER;
	if (renamed || dig.generation != a->dig.generation || aud.generation != a->aud.generation)
		a->dirty |= PANE_DIGEST;
	uint64_t g = store_generation(s);
	if (g != a->generation)
		a->dirty |= PANE_FOOTER;
	a->generation = g;
	app_entries_release(a);
	a->list = list;
	a->led = led;
	a->dig = dig;
	a->aud = aud;
}

/* --- layout and drawing ------------------------------------------------ */

static void app_windows_free(struct app *a)
{
	WINDOW **ws[] = { &a->header, &a->ledger, &a->digest, &a->footer };
	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

static void app_layout(struct app *a)
{
	app_windows_free(a);
	a->need_layout = false;
	a->dirty = PANE_ALL;
	a->too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_LINES;
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (a->too_small)
		return;
	a->header = newwin(1, COLS, 0, 0);
	a->ledger = newwin(APP_LEDGER_PANE_LINES, COLS, 1, 0);
	a->digest = newwin(LINES - 2 - APP_LEDGER_PANE_LINES, COLS, 1 + APP_LEDGER_PANE_LINES, 0);
	a->footer = newwin(1, COLS, LINES - 1, 0);
	if (!a->header || !a->ledger || !a->digest || !a->footer) {
		app_windows_free(a);
		a->too_small = true;
	}
}

/* Below the minimum: one short message that fits even a narrow screen. */
static void app_draw_too_small(void)
{
	char have[48];
	werase(stdscr);
	snprintf(have, sizeof have, "now %dx%d; q quits", COLS, LINES);
	if (COLS >= 31) {
		kvtable_put_clipped(stdscr, 0, 0, COLS, "terminal too small, need 80x24",
				    theme_attr(THEME_BAD));
		kvtable_put_clipped(stdscr, 1, 0, COLS, have, A_NORMAL);
	} else {
		kvtable_put_clipped(stdscr, 0, 0, COLS, "too small", theme_attr(THEME_BAD));
		kvtable_put_clipped(stdscr, 1, 0, COLS, "need 80x24", A_NORMAL);
		kvtable_put_clipped(stdscr, 2, 0, COLS, have, A_NORMAL);
	}
	wnoutrefresh(stdscr);
}

static void app_draw(struct app *a)
{
	if (a->too_small) {
		if (a->dirty)
			app_draw_too_small();
		a->dirty = 0;
		doupdate();
		return;
	}
	struct view_ctx ctx = { .now_mono = store_now_mono(),
				.interval_s = a->cfg->interval_s,
				.ascii = a->cfg->ascii };
	struct statusbar_style bar = { theme_attr(THEME_BAR), theme_attr(THEME_BAR_KEY),
				       theme_attr(THEME_BAR) };
	if (a->dirty & PANE_HEADER) {
		char left[96];
		snprintf(left, sizeof left, " qldbtop %s  %s", QLDBTOP_VERSION,
			 a->sel_name[0] ? a->sel_name : "(no ledger)");
		statusbar_draw(a->header, 0, left, NULL, 0, a->cfg->where, &bar);
		wnoutrefresh(a->header);
	}
	if (a->dirty & PANE_LEDGER) {
		struct view_ledger_model m = { .name = a->sel_name[0] ? a->sel_name : NULL,
					       .index = a->sel,
					       .count = a->count,
					       .list = &a->list,
					       .entry = &a->led };
		view_ledger_draw(a->ledger, &m, &ctx);
		wnoutrefresh(a->ledger);
	}
	if (a->dirty & PANE_DIGEST) {
		struct view_digest_model m = { .name = a->sel_name[0] ? a->sel_name : NULL,
					       .entry = &a->dig,
					       .audit = &a->aud };
		view_digest_draw(a->digest, &m, &ctx);
		wnoutrefresh(a->digest);
	}
	if (a->dirty & PANE_FOOTER) {
		struct statusbar_hint hints[APP_HINTS_MAX];
		size_t n = keymap_hints(hints, APP_HINTS_MAX);
		char right[64];
		/* the fastest kind's interval (api/poller.h scales each kind) */
		double digest_s = poller_interval(&RESOURCE_DIGEST, (double)a->cfg->interval_s /
									    POLLER_INTERVAL_UNIT_S);
		snprintf(right, sizeof right, "digest every %gs  gen %llu ", digest_s,
			 (unsigned long long)a->generation);
		statusbar_draw(a->footer, 0, " ", hints, n, right, &bar);
		wnoutrefresh(a->footer);
	}
	a->dirty = 0;
	doupdate();
}

/* --- keys --------------------------------------------------------------- */

enum app_flags { APP_HANDLED = 1, APP_QUIT = 2 };

static unsigned app_key(struct app *a, int ch)
{
	if (ch == KEY_RESIZE) {
		a->need_layout = true;
		return APP_HANDLED;
	}
	switch (keymap_lookup(ch)) {
	case ACTION_QUIT:
		return APP_QUIT;
	case ACTION_REFRESH:
		poller_refresh(a->cfg->poller);
		return APP_HANDLED;
	case ACTION_NEXT_LEDGER:
	case ACTION_PREV_LEDGER:
		if (a->count > 1) {
			bool next = keymap_lookup(ch) == ACTION_NEXT_LEDGER;
			a->sel =
				next ? (a->sel + 1) % a->count : (a->sel + a->count - 1) % a->count;
			const struct resource_ledger_list *l = a->list.data;
			if (l && a->sel < l->n)
				snprintf(a->sel_name, sizeof a->sel_name, "%s",
					 l->items[a->sel].name);
			app_refresh(a);
		}
		return APP_HANDLED;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		a->dirty = PANE_ALL;
		return APP_HANDLED;
	case ACTION_NONE:
		break;
	}
	return 0;
}

/* Milliseconds to the next whole second of the monotonic clock. */
static int ms_to_next_tick(double now)
{
	int ms = (int)ceil((floor(now) + 1.0 - now) * 1000.0);
	return ms < 1 ? 1 : ms > 1000 ? 1000 : ms;
}

static int app_loop(struct app *a)
{
	int spins = 0;
	long last_tick = (long)floor(store_now_mono());
	for (;;) {
		if (a->need_layout)
			app_layout(a);
		if (a->dirty)
			app_draw(a);
		struct pollfd fds[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = store_wake_fd(a->cfg->store), .events = POLLIN },
			{ .fd = sig_pipe[0], .events = POLLIN },
		};
		int rc = poll(fds, 3, ms_to_next_tick(store_now_mono()));
		if (rc < 0 && errno != EINTR)
			return CLI_EXIT_USAGE;
		if (quit_signal)
			return 128 + quit_signal;
		if (rc > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return 0; /* the terminal went away: leave, don't spin */
		int ch, keys = 0;
		while ((ch = getch()) != ERR) {
			keys++;
			if (app_key(a, ch) & APP_QUIT)
				return 0;
		}
		/* ncurses reads stdin itself; POLLIN with no key, many times in
		 * a row, means a dead tty (the classic 100% CPU bug) */
		spins = rc > 0 && (fds[0].revents & POLLIN) && keys == 0 ? spins + 1 : 0;
		if (spins > APP_IDLE_SPIN_MAX)
			return 0;
		if (rc > 0 && (fds[1].revents & POLLIN)) {
			store_wake_drain(a->cfg->store);
			app_refresh(a);
		}
		long tick = (long)floor(store_now_mono());
		if (tick != last_tick) {
			last_tick = tick;
			a->dirty |= PANE_LEDGER | PANE_DIGEST; /* ages moved */
		}
	}
}

int app_run(const struct app_config *cfg, char *err, size_t errcap)
{
	err[0] = '\0';
	if (keymap_check(err, errcap))
		return CLI_EXIT_USAGE;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errcap, "the dashboard needs a terminal (stdin and stdout)");
		return CLI_EXIT_USAGE;
	}
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, errcap, "cannot create a pipe: %s", strerror(errno));
		return CLI_EXIT_USAGE;
	}
	quit_signal = 0;
	signals_install();
	atexit(app_terminal_restore);
	if (!getenv("ESCDELAY"))
		set_escdelay(APP_ESCDELAY_MS);

	struct stderr_capture cap;
	stderr_capture_begin(&cap);
	setlocale(LC_CTYPE, ""); /* ncursesw needs it for UTF-8 frames */
	/* newterm, not initscr: initscr exits the process on a bad TERM */
	SCREEN *scr = newterm(NULL, stdout, stdin);
	int status = CLI_EXIT_USAGE; /* a terminal that cannot be used */
	if (!scr) {
		stderr_capture_end(&cap);
		const char *t = getenv("TERM");
		snprintf(err, errcap, "cannot use terminal type '%.40s'", t ? t : "(unset)");
		goto out;
	}
	curses_active = 1;
	const char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		app_terminal_restore();
		stderr_capture_end(&cap);
		snprintf(err, errcap, "terminal '%.40s' cannot address the cursor",
			 getenv("TERM") ? getenv("TERM") : "(unset)");
		delscreen(scr);
		goto out;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	theme_init(theme_wants_color(cfg->no_color));

	struct app a = { .cfg = cfg, .need_layout = true };
	app_refresh(&a);
	status = app_loop(&a);
	app_windows_free(&a);
	app_entries_release(&a);
	app_terminal_restore();
	stderr_capture_end(&cap);
	delscreen(scr);
	if (status == CLI_EXIT_USAGE && !err[0])
		snprintf(err, errcap, "terminal loop failed: %s", strerror(errno));
out:
	signals_restore();
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return status;
}
