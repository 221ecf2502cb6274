/*
 * options.c - the dashboard's settings from its parsed command line (see
 * options.h); parsing itself is tui/cli.c, from the command table.
 */
#include "tui/options.h"

#include <stdio.h>
#include <string.h>

#include "api/qldb.h"

int options_from_cli(const struct cli_parsed *p, struct dash_options *out, char *err, size_t errcap)
{
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	out->endpoint_url = p->global[CLI_GLOBAL_ENDPOINT_URL];
	out->region = p->global[CLI_GLOBAL_REGION];
	out->log_path = p->global[CLI_GLOBAL_LOG];
	out->profile = p->global[CLI_GLOBAL_PROFILE];
	out->no_color = p->global[CLI_GLOBAL_NO_COLOR] != NULL;
	out->ledger = cli_value(p, DASH_OPT_LEDGER);
	out->ascii = cli_given(p, DASH_OPT_ASCII);
	out->demo = cli_given(p, DASH_OPT_DEMO);
	out->no_mouse = cli_given(p, DASH_OPT_NO_MOUSE);
	out->readonly = cli_given(p, DASH_OPT_READONLY);
	out->theme = cli_value(p, DASH_OPT_THEME);
	out->config_path = cli_value(p, DASH_OPT_CONFIG);
	out->interval_given = cli_given(p, DASH_OPT_INTERVAL);
	out->interval_s = out->interval_given ? (unsigned)cli_num(p, DASH_OPT_INTERVAL)
			  : out->demo	      ? OPTIONS_DEMO_INTERVAL_S
					      : OPTIONS_DEFAULT_INTERVAL_S;
	if (out->ledger && !qldb_name_is_valid(out->ledger)) {
		char echo[CLI_ECHO_MAX + 1];
		snprintf(echo, sizeof echo, "%s", out->ledger);
		snprintf(err, errcap, "--ledger '%s' is not a valid ledger name", echo);
		return -1;
	}
	if (out->demo && out->endpoint_url) {
		snprintf(err, errcap, "--demo and --endpoint-url cannot be used together");
		return -1;
	}
	return 0;
}
