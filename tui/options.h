/*
 * options.h - the dashboard's command-line options, as one table that
 * drives parsing, validation and the error messages (tests use the same
 * table). Global options of other subcommands (DESIGN.md) are accepted
 * here too so that `qldbtop --profile p` works before or after them.
 *
 * Ownership: string fields point into argv (borrowed for the life of
 * argv); nothing is allocated.
 */
#ifndef QLDBTOP_TUI_OPTIONS_H
#define QLDBTOP_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define OPTIONS_DEFAULT_INTERVAL_S 5
#define OPTIONS_DEMO_INTERVAL_S 2 /* the demo should look alive */
#define OPTIONS_INTERVAL_MIN_S 1
#define OPTIONS_INTERVAL_MAX_S 3600
#define OPTIONS_ERR_MAX 160

struct dash_options {
	const char *endpoint_url;
	const char *region;
	const char *ledger;
	const char *profile; /* stored; the credential chain comes later */
	const char *log_path;
	const char *theme;    /* stored; themes come later */
	const char *scenario; /* stored; demo scenarios come later */
	unsigned interval_s;  /* OPTIONS_DEFAULT_INTERVAL_S unless given */
	bool interval_given;
	bool no_color;
	bool ascii;
	bool demo;
};

/* Parse argv[1..argc-1]. Returns 0, or -1 with a one-line reason in err
 * ("unknown option '--x'", "--interval needs a value", "unknown command
 * 'x'", "--interval must be 1..3600 seconds, got '0'"). */
int options_parse(int argc, char **argv, struct dash_options *out, char *err, size_t errcap);

#endif
