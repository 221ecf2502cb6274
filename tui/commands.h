/*
 * commands.h - the subcommands of qldbtop, one file each (tui/cmd_*.c).
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status. Usage errors print one
 * line to stderr and return 2.
 */
#ifndef QLDBTOP_TUI_COMMANDS_H
#define QLDBTOP_TUI_COMMANDS_H

#define EXIT_USAGE 2

int cmd_dashboard(int argc, char **argv);     /* qldbtop [--demo] [options] */
int cmd_serve(int argc, char **argv);	      /* qldbtop serve */
int cmd_ionhash(int argc, char **argv);	      /* qldbtop ionhash [FILE|-] */
int cmd_verify_proof(int argc, char **argv);  /* qldbtop verify-proof R --digest D */
int cmd_verify_export(int argc, char **argv); /* qldbtop verify-export PATH... */

/* Print "qldbtop: <message>" and a hint to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
