/*
 * cmd_dashboard.c - `qldbtop [options]` and `qldbtop --demo`: take the
 * parsed options (tui/cli.c, tui/options.c), resolve endpoint, region and
 * keys (api/config), start the embedded endpoint for --demo (sim/server.h),
 * start the poller thread, and run the UI loop (tui/app.c) until quit.
 *
 * Exit status: app_run's (0 after q, 128+N on signal N), else 2 for every
 * failure (no terminal, --log not writable, an endpoint or thread that
 * cannot start): the dashboard never exits 1, which means an integrity
 * failure (DESIGN.md).
 *
 * Without an endpoint or credentials the dashboard still starts and shows
 * the problem in its panes, as k9s does; it never hangs on the network
 * because only the poller thread talks to it.
 *
 * Order matters: libcurl's global init runs before any thread, and the
 * signals the UI handles are blocked while worker threads start, so that
 * those threads inherit the block and only the UI thread sees SIGINT,
 * SIGTERM, SIGHUP and SIGWINCH.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/config.h"
#include "api/http.h"
#include "api/poller.h"
#include "api/store.h"
#include "sim/scenario.h"
#include "sim/server.h"
#include "tui/assets.h"
#include "tui/app.h"
#include "tui/commands.h"
#include "tui/options.h"

#define DASH_ERR_MAX 256
#define DASH_PATH_MAX 4096
#define DASH_WHERE_MAX (API_URL_MAX + 80)

/* --log FILE: append-only, created 0600, one line per poll error. The
 * poller calls this from its thread; stdio locks each call. */
struct dash_log {
	FILE *f;
};

static void dash_log_line(void *ctx, const char *line)
{
	struct dash_log *l = ctx;
	if (!l->f)
		return;
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(l->f, "%s %s\n", ts, line);
	fflush(l->f);
}

/* Open --log FILE: a regular file only (non-blocking open, so a FIFO
 * without a reader fails at once instead of hanging the start). */
static int dash_log_open(struct dash_log *l, const char *path, char *err, size_t cap)
{
	l->f = NULL;
	if (!path)
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		      0600);
	struct stat st;
	const char *why = NULL;
	if (fd < 0)
		why = strerror(errno);
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (fcntl(fd, F_SETFL, O_APPEND) != 0 || !(l->f = fdopen(fd, "a")))
		why = strerror(errno);
	if (why) {
		snprintf(err, cap, "--log %.200s: cannot open for appending: %s", path, why);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

/* The embedded endpoint's scenario: NAME|FILE as given (an error is a
 * usage error), "none", or by default the demo one when it can be found
 * (an installed program without its assets runs without). */
static int dash_scenario(const char *arg, struct sim_scenario **out, char *err, size_t cap)
{
	char dir[DASH_PATH_MAX];
	*out = NULL;
	if (arg && strcmp(arg, "none") == 0)
		return 0;
	assets_dir("scenarios", dir, sizeof dir);
	*out = sim_scenario_load(arg ? arg : "demo", dir, err, cap);
	return *out || !arg ? 0 : -1;
}

/* Block (or unblock) the signals only the UI thread may take. */
static void ui_signals_block(int how)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	pthread_sigmask(how, &set, NULL);
}

int cmd_dashboard(const struct cli_parsed *p)
{
	struct dash_options opt;
	char err[DASH_ERR_MAX];
	if (options_from_cli(p, &opt, err, sizeof err))
		return cli_usage_error(p->cmd, "%s", err);

	struct api_config_overrides ov = { .endpoint_url = opt.endpoint_url, .region = opt.region };
	if (http_global_init()) {
		fprintf(stderr, "qldbtop: cannot initialise libcurl\n");
		return CLI_EXIT_USAGE;
	}
	ui_signals_block(SIG_BLOCK); /* threads started from here inherit it */

	/* every failure before the UI runs is an environment error (2) */
	int status = CLI_EXIT_USAGE;
	struct sim_server *sim = NULL;
	struct store *store = NULL;
	struct poller *poller = NULL;
	struct dash_log log = { 0 };
	struct api_config cfg;
	memset(&cfg, 0, sizeof cfg);
	err[0] = '\0';

	const char *scenario_arg = cli_value(p, DASH_OPT_SCENARIO);
	if (scenario_arg && !opt.demo)
		return cli_usage_error(p->cmd, "--scenario needs --demo (it scripts the embedded "
					       "endpoint)");
	struct sim_scenario *scenario = NULL;
	if (opt.demo && dash_scenario(scenario_arg, &scenario, err, sizeof err) != 0)
		return cli_usage_error(p->cmd, "%s", err);

	if (opt.demo) {
		struct sim_config sc = { .host = "127.0.0.1",
					 .port = 0,
					 .access_key_id = SIM_DEFAULT_ACCESS_KEY_ID,
					 .secret_access_key = SIM_DEFAULT_SECRET_ACCESS_KEY,
					 /* the demo ledger moves, and meets the demo's faults */
					 .rate = SIM_DEFAULT_RATE,
					 .scenario = scenario };
		char serr[DASH_ERR_MAX];
		sim = sim_server_start(&sc, serr, sizeof serr);
		if (!sim) {
			snprintf(err, sizeof err, "cannot start the embedded endpoint: %.200s",
				 serr);
			goto out;
		}
		ov.endpoint_url = sim_server_url(sim);
		ov.region = opt.region ? opt.region : SIM_DEFAULT_REGION;
		ov.access_key_id = SIM_DEFAULT_ACCESS_KEY_ID;
		ov.secret_access_key = SIM_DEFAULT_SECRET_ACCESS_KEY;
	}
	struct api_error aerr;
	if (api_config_resolve(&cfg, &ov, NULL, &aerr)) {
		status = cli_usage_error(p->cmd, "%s", aerr.msg);
		goto out;
	}
	if (dash_log_open(&log, opt.log_path, err, sizeof err))
		goto out;
	store = store_new();
	if (!store) {
		snprintf(err, sizeof err, "cannot create the snapshot store");
		goto out;
	}
	struct poller_config pc = { .api = cfg,
				    .interval_s = opt.interval_s,
				    .store = store,
				    .log = log.f ? dash_log_line : NULL,
				    .log_ctx = &log };
	if (opt.ledger)
		snprintf(pc.ledger, sizeof pc.ledger, "%s", opt.ledger);
	poller = poller_start(&pc, &aerr);
	api_config_wipe(&pc.api);
	if (!poller) {
		snprintf(err, sizeof err, "%s", aerr.msg);
		goto out;
	}
	char where[DASH_WHERE_MAX];
	snprintf(where, sizeof where, "%s%s %s ", opt.demo ? "demo " : "", cfg.endpoint,
		 cfg.region);
	struct app_config ac = { .store = store,
				 .poller = poller,
				 .ledger = opt.ledger,
				 .interval_s = opt.interval_s,
				 .no_color = opt.no_color,
				 .ascii = opt.ascii,
				 .where = where };
	status = app_run(&ac, err, sizeof err);
out:
	poller_stop(poller); /* aborts a transfer in flight */
	if (sim)
		sim_server_stop(sim);
	store_free(store);
	if (log.f)
		fclose(log.f);
	api_config_wipe(&cfg);
	http_global_cleanup();
	ui_signals_block(SIG_UNBLOCK);
	if (err[0])
		fprintf(stderr, "qldbtop: %s\n", err);
	return status;
}
