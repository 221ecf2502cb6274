/*
 * cmd_dashboard.c - `qldbtop [options]` and `qldbtop --demo`: take the
 * parsed options (tui/cli.c, tui/options.c), resolve the dashboard's
 * settings (tui/dash_config: command line, environment, config file,
 * theme) before anything else, so that a bad config file or theme exits 2
 * with one line before the terminal is checked; resolve endpoint, region
 * and keys (api/config), start the embedded endpoint for --demo (sim/server.h),
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
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/config.h"
#include "api/http.h"
#include "api/jobs.h"
#include "api/log.h"
#include "api/poller.h"
#include "api/resource_audit.h"
#include "api/store.h"
#include "sim/scenario.h"
#include "sim/recipe.h"
#include "sim/server.h"
#include "tui/assets.h"
#include "tui/app.h"
#include "tui/commands.h"
#include "tui/dash_config.h"
#include "tui/options.h"

#define DASH_ERR_MAX DASH_CONFIG_ERR_MAX /* a config error names its path */
#define DASH_PATH_MAX 4096
#define DASH_WHERE_MAX (API_URL_MAX + 80)

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

/* The settings the UI runs with; dash_config_get() hands them to it. */
static struct dash_config dash_settings;

/* Resolve the dashboard's settings (see dash_config.h). 0, or -1 with err. */
static int dash_settings_resolve(const struct dash_options *opt, char *err, size_t cap)
{
	struct dash_cli dc = { .config_path = opt->config_path,
			       .theme = opt->theme,
			       .interval_s = opt->interval_s,
			       .interval_given = opt->interval_given,
			       .no_mouse = opt->no_mouse,
			       .readonly = opt->readonly,
			       .ascii = opt->ascii,
			       .no_color = opt->no_color };
	char themes[DASH_PATH_MAX];
	assets_dir("themes", themes, sizeof themes);
	/* the codeset of the user's locale decides ASCII frames; ncursesw
	 * needs the same setlocale before newterm */
	setlocale(LC_CTYPE, "");
	if (dash_config_resolve(&dc, NULL, nl_langinfo(CODESET), themes, &dash_settings, err, cap))
		return -1;
	if (dash_config_apply_keys(&dash_settings, err, cap))
		return -1;
	theme_select(&dash_settings.theme);
	dash_config_set(&dash_settings);
	return 0;
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

/* What polls for the UI: the resolved AWS configuration, the store and
 * the pollers (with the auditor), made again by :profile and :region. */
struct dash_session {
	struct api_config_overrides ov; /* as given at start (endpoint, keys) */
	struct api_config cfg;
	const char *ledger; /* --ledger or NULL */
	bool demo;
	struct store *store;
	struct poller *poller;
	struct jobs *jobs; /* the on-demand actions (api/jobs.h) */
	char where[DASH_WHERE_MAX];
	char ov_profile[API_PROFILE_MAX], ov_region[API_REGION_MAX]; /* after a switch */
};

/* Start the store, the auditor and the pollers for s->cfg. 0, or -1
 * with err (nothing left running). */
static int dash_session_start(struct dash_session *s, char *err, size_t cap)
{
	struct api_error aerr;
	s->store = store_new();
	if (!s->store) {
		snprintf(err, cap, "cannot create the snapshot store");
		return -1;
	}
	/* the auditor proves each new digest; the demo's endpoint is gone
	 * after the run, so its digests are not worth a vault file */
	if (resource_audit_setup(s->store, &s->cfg, !s->demo, NULL, &aerr)) {
		snprintf(err, cap, "%s", aerr.msg);
		store_free(s->store);
		s->store = NULL;
		return -1;
	}
	struct poller_config pc = { .api = s->cfg,
				    .interval_s = dash_settings.interval_s,
				    .store = s->store };
	if (s->ledger)
		snprintf(pc.ledger, sizeof pc.ledger, "%s", s->ledger);
	s->poller = poller_start(&pc, &aerr);
	api_config_wipe(&pc.api);
	if (!s->poller) {
		snprintf(err, cap, "%s", aerr.msg);
		resource_audit_teardown();
		store_free(s->store);
		s->store = NULL;
		return -1;
	}
	s->jobs = jobs_start(&s->cfg, s->store, &aerr);
	if (!s->jobs) {
		snprintf(err, cap, "%s", aerr.msg);
		poller_stop(s->poller);
		s->poller = NULL;
		resource_audit_teardown();
		store_free(s->store);
		s->store = NULL;
		return -1;
	}
	snprintf(s->where, sizeof s->where, "%s%s %s%s%s ", s->demo ? "demo " : "", s->cfg.endpoint,
		 s->cfg.region, s->cfg.profile[0] ? " profile " : "", s->cfg.profile);
	return 0;
}

static void dash_session_stop(struct dash_session *s)
{
	jobs_stop(s->jobs); /* before the store: it publishes its last word there */
	s->jobs = NULL;
	poller_stop(s->poller); /* aborts a transfer in flight */
	s->poller = NULL;
	resource_audit_teardown();
	store_free(s->store);
	s->store = NULL;
}

/* :profile NAME and :region NAME (ui.h: ui_reconfigure_fn). The new
 * configuration is resolved first, so a wrong name leaves everything
 * running as it was. */
static int dash_reconfigure(void *ctx, const char *profile, const char *region,
			    struct store **store, struct poller **poller, bool *readonly, char *err,
			    size_t cap)
{
	struct dash_session *s = ctx;
	if (profile && s->demo) {
		snprintf(err, cap,
			 "--demo uses the embedded endpoint's keys: :profile needs a "
			 "real account");
		return -1;
	}
	struct api_config_overrides ov = s->ov;
	char prof[sizeof s->cfg.profile], reg[sizeof s->cfg.region];
	snprintf(prof, sizeof prof, "%s", profile ? profile : s->cfg.profile);
	snprintf(reg, sizeof reg, "%s", region ? region : s->cfg.region);
	ov.profile = prof[0] ? prof : NULL;
	ov.region = reg[0] ? reg : NULL;
	struct api_config next;
	struct api_error aerr;
	if (api_config_resolve(&next, &ov, NULL, &aerr)) {
		snprintf(err, cap, "%s", aerr.msg);
		api_config_wipe(&next);
		return -1;
	}
	log_add_secret(next.secret_access_key);
	log_add_secret(next.session_token);
	struct api_config prev = s->cfg;
	dash_session_stop(s);
	s->cfg = next;
	if (dash_session_start(s, err, cap)) {
		api_config_wipe(&s->cfg);
		s->cfg = prev; /* back to what ran */
		char again[DASH_ERR_MAX];
		if (dash_session_start(s, again, sizeof again))
			return -1; /* nothing polls now; the UI says why */
		*store = s->store;
		*poller = s->poller;
		return -1;
	}
	api_config_wipe(&prev);
	snprintf(s->ov_profile, sizeof s->ov_profile, "%s", prof);
	snprintf(s->ov_region, sizeof s->ov_region, "%s", reg);
	s->ov.profile = s->ov_profile[0] ? s->ov_profile : NULL;
	s->ov.region = s->ov_region[0] ? s->ov_region : NULL;
	*store = s->store;
	*poller = s->poller;
	*readonly = dash_config_readonly(&dash_settings, s->cfg.profile);
	return 0;
}

/* The UI's actions go to the session's current runner (ui.h). */
static int dash_submit(void *ctx, const struct job_request *r, uint64_t *id, char *err, size_t cap)
{
	struct dash_session *s = ctx;
	struct api_error aerr;
	if (jobs_submit(s->jobs, r, id, &aerr)) {
		snprintf(err, cap, "%s", aerr.msg);
		return -1;
	}
	return 0;
}

int cmd_dashboard(const struct cli_parsed *p)
{
	/* the embedded endpoint and the pollers talk over sockets that the
	 * other side may close at any time (a transfer aborted on quit): that
	 * is an EPIPE on that socket, never a death by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	struct dash_options opt;
	char err[DASH_ERR_MAX];
	if (options_from_cli(p, &opt, err, sizeof err))
		return cli_usage_error(p->cmd, "%s", err);
	const char *scenario_arg = cli_value(p, DASH_OPT_SCENARIO);
	if (scenario_arg && !opt.demo)
		return cli_usage_error(p->cmd, "--scenario needs --demo (it scripts the embedded "
					       "endpoint)");
	if (dash_settings_resolve(&opt, err, sizeof err)) {
		fprintf(stderr, "qldbtop: %s\n", err);
		return CLI_EXIT_USAGE;
	}

	struct api_config_overrides ov = { .endpoint_url = opt.endpoint_url,
					   .region = opt.region,
					   .profile = opt.profile };
	if (http_global_init()) {
		fprintf(stderr, "qldbtop: cannot initialise libcurl\n");
		return CLI_EXIT_USAGE;
	}
	ui_signals_block(SIG_BLOCK); /* threads started from here inherit it */

	/* every failure before the UI runs is an environment error (2) */
	int status = CLI_EXIT_USAGE;
	struct sim_server *sim = NULL;
	static struct dash_session sess; /* the UI holds pointers into it */
	memset(&sess, 0, sizeof sess);
	err[0] = '\0';

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
					 .scenario = scenario,
					 /* the recipe's Kinesis stream, bucket and journal stream:
					  * the Streams pane has something to show */
					 .recipe = true };
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
	sess.ov = ov;
	sess.ledger = opt.ledger;
	sess.demo = opt.demo;
	if (api_config_resolve(&sess.cfg, &ov, NULL, &aerr)) {
		status = cli_usage_error(p->cmd, "%s", aerr.msg);
		goto out;
	}
	snprintf(dash_settings.profile, sizeof dash_settings.profile, "%s", sess.cfg.profile);
	/* --log: errors and retries of the pollers, never on the terminal */
	if (log_open(opt.log_path, getenv("QLDBTOP_LOG_LEVEL"), err, sizeof err))
		goto out;
	log_add_secret(sess.cfg.secret_access_key);
	log_add_secret(sess.cfg.session_token);
	if (dash_session_start(&sess, err, sizeof err))
		goto out;
	struct app_config ac = { .store = sess.store,
				 .poller = sess.poller,
				 .ledger = opt.ledger,
				 .interval_s = dash_settings.interval_s,
				 .no_color = dash_settings.no_color,
				 .ascii = dash_settings.ascii,
				 .readonly = dash_config_readonly(&dash_settings, sess.cfg.profile),
				 .bell_on_failure = dash_settings.bell,
				 .mouse = dash_settings.mouse,
				 .where = sess.where,
				 .reconfigure = dash_reconfigure,
				 .reconfigure_ctx = &sess,
				 .submit = dash_submit,
				 .submit_ctx = &sess,
				 /* the demo's first export goes where the recipe's would */
				 .export_bucket = opt.demo ? SIM_RECIPE_BUCKET : NULL,
				 .export_role = opt.demo ? SIM_RECIPE_EXPORT_ROLE : NULL };
	status = app_run(&ac, err, sizeof err);
out:
	if (sess.store)
		dash_session_stop(&sess);
	if (sim)
		sim_server_stop(sim);
	log_close();
	api_config_wipe(&sess.cfg);
	http_global_cleanup();
	ui_signals_block(SIG_UNBLOCK);
	if (err[0])
		fprintf(stderr, "qldbtop: %s\n", err);
	return status;
}
