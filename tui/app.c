/*
 * app.c - the UI thread's loop (see app.h): the terminal, signals and
 * restore, the window layout, drawing what is dirty, and key dispatch to
 * the UI states, the global actions and the focused pane. It knows no
 * pane or state by name: panes come from PANE_TABLE (tui/pane.h), states
 * from whoever pushes them (tui/ui_state.h).
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

#include "api/poller.h"
#include "api/qldb.h"
#include "api/resource.h"
#include "tui/cli.h"
#include "tui/keymap.h"
#include "tui/pane.h"
#include "tui/theme.h"
#include "tui/ui.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "tui/view_verdict.h"
#include "widgets/kvtable.h"
#include "widgets/statusbar.h"

#define APP_HINTS_MAX 8
#define APP_IDLE_SPIN_MAX 100 /* "readable" stdin with no key this often: tty gone */
#define APP_STDERR_REPLAY_MAX (64u << 10)
#define APP_ESCDELAY_MS 25

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

/* --- layout and drawing ------------------------------------------------ */

enum app_win { WIN_HEADER, WIN_BANNER, WIN_TABS, WIN_BODY, WIN_FOOTER, WIN_COUNT };

#define APP_BANNER_WIDE 200 /* columns from which the banner takes two lines */

struct app {
	struct ui ui;
	WINDOW *win[WIN_COUNT];
	bool too_small, need_layout;
	int tab_x[UI_PANES_MAX + 1]; /* where each tab starts on its row; for clicks */
	int tabs_y;
};

static void app_windows_free(struct app *a)
{
	for (size_t i = 0; i < WIN_COUNT; i++)
		if (a->win[i]) {
			delwin(a->win[i]);
			a->win[i] = NULL;
		}
}

static int app_banner_lines(void)
{
	return COLS >= APP_BANNER_WIDE ? 2 : 4;
}

/* header, the banner while a failure is unacknowledged, the pane tabs,
 * the focused pane's body, the footer */
static void app_layout(struct app *a)
{
	app_windows_free(a);
	a->need_layout = false;
	a->ui.dirty = UI_DIRTY_ALL & ~UI_DIRTY_LAYOUT;
	a->too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_LINES;
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (a->too_small)
		return;
	int banner = a->ui.banner.active ? app_banner_lines() : 0;
	int body_y = 2 + banner, body_h = LINES - body_y - 1;
	a->win[WIN_HEADER] = newwin(1, COLS, 0, 0);
	a->win[WIN_BANNER] = banner ? newwin(banner, COLS, 1, 0) : NULL;
	a->win[WIN_TABS] = newwin(1, COLS, 1 + banner, 0);
	a->win[WIN_BODY] = newwin(body_h, COLS, body_y, 0);
	a->win[WIN_FOOTER] = newwin(1, COLS, LINES - 1, 0);
	a->ui.body_lines = body_h;
	for (size_t i = 0; i < WIN_COUNT; i++)
		if (!a->win[i] && !(i == WIN_BANNER && !banner)) {
			app_windows_free(a);
			a->too_small = true;
			return;
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

static struct statusbar_style app_bar_style(void)
{
	return (struct statusbar_style){ theme_attr(THEME_BAR), theme_attr(THEME_BAR_KEY),
					 theme_attr(THEME_BAR) };
}

static void app_draw_header(struct app *a, WINDOW *w)
{
	struct ui *u = &a->ui;
	char left[160], verdict[VIEW_TEXT_MAX];
	enum theme_role role;
	enum view_verdict v = view_verdict(&u->data, verdict, sizeof verdict, &role);
	const struct qldb_ledger *l = u->data.kind[STORE_LEDGER].data;
	if (u->data.ledger[0])
		snprintf(left, sizeof left, " qldbtop  %s%s  %s  integrity %s", u->data.ledger,
			 u->data.ledger_count > 1 ? " (] [ switch)" : "",
			 l && l->state[0] ? l->state : "", view_verdict_word(v));
	else
		snprintf(left, sizeof left, " qldbtop %s  (no ledger yet)", QLDBTOP_VERSION);
	struct statusbar_style bar = app_bar_style();
	if (v == VERDICT_FAILED)
		bar.bar = theme_attr(THEME_BAD) | A_BOLD | A_REVERSE;
	statusbar_draw(w, 0, left, NULL, 0, u->paused ? "PAUSED " : NULL, &bar);
}

/* The integrity failure, across the top until acknowledged: the word
 * FAILED, ledger, check, block address, expected and computed hash, how
 * to dismiss. Four lines on a narrow screen (a hash is 44 characters),
 * two on a wide one. */
static void app_draw_banner(struct app *a, WINDOW *w)
{
	const struct store_audit_event *e = &a->ui.banner.ev;
	attr_t at = theme_attr(THEME_BAD) | A_BOLD | A_REVERSE;
	char part[4][512];
	snprintf(part[0], sizeof part[0],
		 " INTEGRITY FAILED  ledger %s  check %s  (%llu failure%s; a acknowledges)",
		 e->ledger, e->kind, (unsigned long long)a->ui.banner.failures,
		 a->ui.banner.failures == 1 ? "" : "s");
	snprintf(part[1], sizeof part[1], " block %s",
		 e->block_address[0] ? e->block_address : "(none named)");
	if (e->expected_b64[0] || e->computed_b64[0]) {
		snprintf(part[2], sizeof part[2], " expected %s",
			 e->expected_b64[0] ? e->expected_b64 : "-");
		snprintf(part[3], sizeof part[3], " computed %s",
			 e->computed_b64[0] ? e->computed_b64 : "-");
	} else {
		snprintf(part[2], sizeof part[2], " %s", e->message);
		part[3][0] = '\0';
	}
	werase(w);
	wattrset(w, at);
	int h = getmaxy(w), wd = getmaxx(w);
	for (int y = 0; y < h; y++)
		mvwhline(w, y, 0, ' ', wd);
	wattrset(w, A_NORMAL);
	if (h >= 4) {
		for (int i = 0; i < 4; i++)
			kvtable_put_clipped(w, i, 0, wd, part[i], at);
		return;
	}
	char line[1100];
	snprintf(line, sizeof line, "%s %s", part[0], part[1]);
	kvtable_put_clipped(w, 0, 0, wd, line, at);
	snprintf(line, sizeof line, "%s %s", part[2], part[3]);
	if (h > 1)
		kvtable_put_clipped(w, 1, 0, wd, line, at);
}

static void app_draw_tabs(struct app *a, WINDOW *w)
{
	struct ui *u = &a->ui;
	werase(w);
	int x = 0, wd = getmaxx(w);
	a->tabs_y = getbegy(w);
	for (size_t i = 0; i <= UI_PANES_MAX; i++)
		a->tab_x[i] = wd;
	for (size_t i = 0; i < u->panes_n && x < wd; i++) {
		a->tab_x[i] = x;
		char label[48];
		long n = u->panes[i]->count ? u->panes[i]->count(u) : -1;
		if (n >= 0)
			snprintf(label, sizeof label, " %zu %s (%ld) ", i + 1, u->panes[i]->title,
				 n);
		else
			snprintf(label, sizeof label, " %zu %s ", i + 1, u->panes[i]->title);
		attr_t at = i == u->pane ? theme_attr(THEME_BAR) | A_BOLD : theme_attr(THEME_DIM);
		kvtable_put_clipped(w, 0, x, wd - x, label, at);
		x += (int)strlen(label) + 1;
	}
	/* on the right, the most useful of: the filter, PAUSED, the pace */
	char right[128];
	struct view_ctx c = ui_view_ctx(u);
	double scale = (double)c.interval_s / POLLER_INTERVAL_UNIT_S;
	if (u->filter[0])
		snprintf(right, sizeof right, "filter: %s", u->filter);
	else if (u->paused)
		snprintf(right, sizeof right, "PAUSED");
	else
		snprintf(right, sizeof right, "digest every %gs",
			 poller_interval(&RESOURCE_DIGEST, scale));
	int rl = (int)strlen(right), room = wd - x - 1;
	if (room > 4) {
		if (rl > room)
			rl = room;
		kvtable_put_clipped(w, 0, wd - rl - 1, rl, right,
				    u->filter[0] || u->paused ? theme_attr(THEME_WARN) | A_BOLD
							      : theme_attr(THEME_NORMAL));
	}
}

static void app_draw_footer(struct app *a, WINDOW *w)
{
	struct ui *u = &a->ui;
	if (u->depth && u->states[u->depth - 1]->footer) {
		u->states[u->depth - 1]->footer(w, u, u->state_arg[u->depth - 1]);
		return;
	}
	struct statusbar_style bar = app_bar_style();
	if (u->message[0]) {
		bar.bar = bar.right =
			u->message_bad ? theme_attr(THEME_BAD) | A_BOLD : theme_attr(THEME_BAR);
		char msg[UI_MESSAGE_MAX + 2];
		snprintf(msg, sizeof msg, " %s", u->message);
		statusbar_draw(w, 0, msg, NULL, 0, NULL, &bar);
		return;
	}
	struct statusbar_hint hints[APP_HINTS_MAX];
	size_t n = keymap_hints(hints, APP_HINTS_MAX);
	char right[160];
	snprintf(right, sizeof right, "%s%s ", u->set.readonly ? "read-only  " : "",
		 u->set.where ? u->set.where : "");
	statusbar_draw(w, 0, " ", hints, n, right, &bar);
}

static void app_draw_body(struct app *a, WINDOW *w)
{
	struct ui *u = &a->ui;
	for (size_t i = u->depth; i-- > 0;)
		if (u->states[i]->draw) { /* the innermost state that draws */
			u->states[i]->draw(w, u, u->state_arg[i]);
			return;
		}
	u->panes[u->pane]->draw(w, u->pane_state[u->pane], u);
}

static void (*const WIN_DRAW[WIN_COUNT])(struct app *, WINDOW *) = {
	[WIN_HEADER] = app_draw_header, [WIN_BANNER] = app_draw_banner, [WIN_TABS] = app_draw_tabs,
	[WIN_BODY] = app_draw_body,	[WIN_FOOTER] = app_draw_footer,
};

static const unsigned WIN_DIRTY[WIN_COUNT] = {
	[WIN_HEADER] = UI_DIRTY_HEADER, [WIN_BANNER] = UI_DIRTY_BANNER, [WIN_TABS] = UI_DIRTY_TABS,
	[WIN_BODY] = UI_DIRTY_BODY,	[WIN_FOOTER] = UI_DIRTY_FOOTER,
};

static void app_draw(struct app *a)
{
	struct ui *u = &a->ui;
	if (u->dirty & UI_DIRTY_LAYOUT)
		app_layout(a);
	if (a->too_small) {
		if (u->dirty)
			app_draw_too_small();
		u->dirty = 0;
		doupdate();
		return;
	}
	for (size_t i = 0; i < WIN_COUNT; i++)
		if ((u->dirty & WIN_DIRTY[i]) && a->win[i]) {
			WIN_DRAW[i](a, a->win[i]);
			wnoutrefresh(a->win[i]);
		}
	u->dirty = 0;
	if (u->bell_pending) {
		u->bell_pending = false;
		beep();
	}
	doupdate();
}

/* --- keys --------------------------------------------------------------- */

/* The mouse: a click on a tab focuses its pane; the wheel moves the
 * selection as the arrow keys do (by their keys, so states get it too). */
static int app_mouse(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || a->too_small)
		return ERR;
	if (ev.bstate & BUTTON4_PRESSED)
		return KEY_UP;
	if (ev.bstate & BUTTON5_PRESSED)
		return KEY_DOWN;
	if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) && ev.y == a->tabs_y && !a->ui.depth)
		for (size_t i = 0; i < a->ui.panes_n; i++)
			if (ev.x >= a->tab_x[i] && ev.x < a->tab_x[i + 1])
				ui_focus(&a->ui, i);
	return ERR;
}

/* A key: the innermost state first; what it leaves goes to the global
 * actions, then (with no state open) to the focused pane. */
static unsigned app_key(struct app *a, int ch)
{
	struct ui *u = &a->ui;
	if (ch == KEY_RESIZE) {
		a->need_layout = true; /* a burst of resizes lays out once */
		return UI_HANDLED;
	}
	if (ch == KEY_MOUSE && (ch = app_mouse(a)) == ERR)
		return UI_HANDLED;
	if (u->depth) {
		size_t top = u->depth - 1;
		unsigned f = u->states[top]->key(u, u->state_arg[top], ch);
		if (f != UI_IGNORED)
			return f;
	}
	enum keymap_action act = keymap_lookup(ch);
	const struct keymap_info *info = keymap_info(act);
	if (!info)
		return UI_IGNORED;
	if (info->scope == KEYMAP_GLOBAL)
		return ui_global_action(u, act);
	if (u->depth)
		return UI_IGNORED;
	if (info->mutating && !ui_may_mutate(u, info->help))
		return UI_HANDLED;
	unsigned f = u->panes[u->pane]->action(u->pane_state[u->pane], act, u);
	if (f == UI_IGNORED) /* say so rather than do nothing */
		ui_message(u, false, "%s: not available in the %s pane", info->help,
			   u->panes[u->pane]->name);
	return f;
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
		if (a->ui.dirty)
			app_draw(a);
		struct pollfd fds[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = store_wake_fd(a->ui.store), .events = POLLIN },
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
			if (app_key(a, ch) & UI_QUIT)
				return 0;
		}
		/* ncurses reads stdin itself; POLLIN with no key, many times in
		 * a row, means a dead tty (the classic 100% CPU bug) */
		spins = rc > 0 && (fds[0].revents & POLLIN) && keys == 0 ? spins + 1 : 0;
		if (spins > APP_IDLE_SPIN_MAX)
			return 0;
		if (rc > 0 && (fds[1].revents & POLLIN)) {
			store_wake_drain(a->ui.store);
			ui_data_refresh(&a->ui);
		}
		long tick = (long)floor(store_now_mono());
		if (tick != last_tick) {
			last_tick = tick;
			ui_tick(&a->ui); /* ages moved */
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
	if (cfg->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
			  NULL);
	theme_init(theme_wants_color(cfg->no_color));

	struct app a = { .need_layout = true };
	struct ui_settings set = { .readonly = cfg->readonly,
				   .bell_on_failure = cfg->bell_on_failure,
				   .ascii = cfg->ascii,
				   .interval_s = cfg->interval_s,
				   .fixed_ledger = cfg->ledger,
				   .where = cfg->where,
				   .reconfigure = cfg->reconfigure,
				   .reconfigure_ctx = cfg->reconfigure_ctx,
				   .submit = cfg->submit,
				   .submit_ctx = cfg->submit_ctx,
				   .export_bucket = cfg->export_bucket,
				   .export_role = cfg->export_role };
	if (ui_init(&a.ui, &set, cfg->store, cfg->poller, PANE_TABLE, PANE_TABLE_N)) {
		status = CLI_EXIT_USAGE;
		snprintf(err, errcap, "out of memory");
	} else {
		ui_data_refresh(&a.ui);
		status = app_loop(&a);
	}
	app_windows_free(&a);
	ui_free(&a.ui);
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
