/*
 * cli_global.h - the global options of DESIGN.md's command line as one
 * table: main() skips them (and their values) to find the subcommand, and
 * subcommands that do not use them accept them anywhere so that
 * `qldbtop verify-proof R --digest D --profile p` works as the AWS CLI does.
 * The dashboard parses the same options itself (tui/options.c).
 *
 * Ownership: pure; nothing is allocated.
 */
#ifndef QLDBTOP_TUI_CLI_GLOBAL_H
#define QLDBTOP_TUI_CLI_GLOBAL_H

enum cli_global {
	CLI_GLOBAL_NONE,       /* not a global option */
	CLI_GLOBAL_FLAG,       /* --no-color, --ascii */
	CLI_GLOBAL_WITH_VALUE, /* --profile P: the next argument is its value */
};

/* What arg is, by exact match ("--name=value" forms are not global here). */
enum cli_global cli_global_kind(const char *arg);

#endif
