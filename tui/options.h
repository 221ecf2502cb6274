/*
 * options.h - the dashboard's settings from its command line. The options
 * themselves (names, values, ranges, help) are the "dashboard" entry of
 * the command table in tui/cli.c; this turns a parsed line into a struct
 * dash_options and checks what the table cannot: the ledger name and
 * options that exclude each other. The settings that a config file and
 * the environment may also give (theme, interval, readonly, mouse, ascii,
 * no_color) are only what the command line said here; tui/dash_config.h
 * resolves them.
 *
 * Ownership: string fields borrow the parsed line (so argv), for the life
 * of argv; nothing is allocated.
 */
#ifndef QLDBTOP_TUI_OPTIONS_H
#define QLDBTOP_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/cli.h"

#define OPTIONS_DEFAULT_INTERVAL_S 5
#define OPTIONS_DEMO_INTERVAL_S 2 /* the demo should look alive */
#define OPTIONS_INTERVAL_MIN_S 1
#define OPTIONS_INTERVAL_MAX_S 3600
#define OPTIONS_ERR_MAX CLI_ERR_MAX

struct dash_options {
	const char *endpoint_url; /* --endpoint-url (global) */
	const char *region;	  /* --region (global) */
	const char *log_path;	  /* --log FILE (global) */
	const char *profile;	  /* --profile NAME (global) */
	const char *ledger;
	unsigned interval_s; /* OPTIONS_DEFAULT_INTERVAL_S unless given */
	bool interval_given;
	bool no_color; /* --no-color (global) */
	bool ascii;
	bool demo;
	bool no_mouse;		 /* --no-mouse */
	bool readonly;		 /* --readonly */
	const char *theme;	 /* --theme NAME (checked by tui/dash_config) */
	const char *config_path; /* --config FILE */
};

/* Fill out from p (the dashboard's parsed line). Returns 0, or -1 with a
 * one-line reason in err ("--ledger 'x y' is not a valid ledger name",
 * "--demo and --endpoint-url cannot be used together"). */
int options_from_cli(const struct cli_parsed *p, struct dash_options *out, char *err,
		     size_t errcap);

#endif
