/*
 * commands.h - the commands of qldbtop, one file each (tui/cmd_*.c). Their
 * names, options, usage and help are in the table of tui/cli.c; each
 * function gets the parsed command line (see tui/cli.h for how) and returns
 * the process exit status (enum cli_exit). Usage errors print one line to
 * stderr (cli_usage_error) and return CLI_EXIT_USAGE.
 */
#ifndef QLDBTOP_TUI_COMMANDS_H
#define QLDBTOP_TUI_COMMANDS_H

#include "tui/cli.h"

int cmd_dashboard(const struct cli_parsed *p);	   /* qldbtop [dashboard] [options] */
int cmd_serve(const struct cli_parsed *p);	   /* qldbtop serve */
int cmd_ionhash(const struct cli_parsed *p);	   /* qldbtop ionhash [FILE|-] */
int cmd_verify_proof(const struct cli_parsed *p);  /* qldbtop verify-proof R --digest D */
int cmd_verify_export(const struct cli_parsed *p); /* qldbtop verify-export PATH... */

#endif
