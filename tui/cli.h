/*
 * cli.h - qldbtop's command line as one const table (tmux's cmd_entry,
 * curl's option table): every command with its options, synopsis, help and
 * exit statuses, and the global options. The table alone drives dispatch,
 * parsing, `--help` and the error messages, so they cannot drift.
 *
 * Command line:  qldbtop [GLOBAL...] [COMMAND] [OPTION | GLOBAL | ARG]...
 * - No COMMAND (or the first thing after the globals is an option) is the
 *   default command, the dashboard; `qldbtop dashboard ...` names it.
 * - Global options (CLI_GLOBALS) are accepted before or after the command,
 *   as the AWS CLI accepts them; a command on which one has no effect
 *   accepts and ignores it, and its --help says so.
 * - `--opt value` and `--opt=value` alike; `--` ends the options; a value
 *   that starts with `--` in the separate form is a missing value; a flag
 *   given `=value`, an empty value, a non-repeatable option given twice, a
 *   number out of range and a wrong count of arguments are usage errors.
 * - `--help`/`-h` (and `qldbtop help [COMMAND]`) print help on stdout and
 *   exit 0; `--version` prints the version.
 *
 * Errors are one line, "qldbtop: CMD: what (see qldbtop CMD --help)", and
 * exit CLI_EXIT_USAGE. No message ever holds the value of a secret option,
 * nor the value of an unknown option (`--x=VALUE` is echoed as `--x`).
 *
 * How a command receives its options: `run(const struct cli_parsed *p)`.
 * p->cmd is its table entry; the value of option i of p->cmd->options is
 * cli_value(p, i) (NULL when not given; the last value for a repeatable
 * one; cli_nth for each), cli_given(p, i) for a flag, cli_num(p, i) for a
 * numeric option (table min..max, already checked); cli_get/cli_flag look
 * an option up by name instead ("--digest"). Positionals are p->args[0 ..
 * p->n_args-1] (count already checked against min_args..max_args), global
 * options p->global[CLI_GLOBAL_*] (NULL when not given). Required options
 * (table `required`) are present. A command still reports its own
 * semantic errors with cli_usage_error(p->cmd, ...).
 *
 * Ownership: every string in a cli_parsed borrows argv (main's argv lives
 * for the whole process); nothing is allocated. The tables are static.
 */
#ifndef QLDBTOP_TUI_CLI_H
#define QLDBTOP_TUI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses (DESIGN.md "Command line contract"). */
enum cli_exit {
	CLI_EXIT_OK = 0,       /* success; for verifiers: everything proven */
	CLI_EXIT_FAILED = 1,   /* an integrity failure (verifiers only) */
	CLI_EXIT_USAGE = 2,    /* usage, input or environment error, any command */
	CLI_EXIT_UNPROVEN = 3, /* nothing failed, something not proven (verifiers) */
};

#define CLI_OPTIONS_MAX 16 /* options of one command (a unit test checks the table) */
#define CLI_ARGS_MAX 1024  /* positional arguments of one command line */
#define CLI_VALUES_MAX 64  /* values of repeatable options, all together */
#define CLI_ERR_MAX 256	   /* one error line, without the prefix and hint */
#define CLI_ECHO_MAX 40	   /* characters of a user's word echoed in an error */

struct cli_option {
	const char *name;    /* "--digest" */
	const char *metavar; /* "FILE"; NULL for a flag (takes no value) */
	const char *help;    /* for --help; '\n' starts an indented line */
	bool secret;	     /* never echo its value */
	bool repeat;	     /* may be given more than once; every value kept */
	bool required;	     /* the command does not run without it */
	long min, max;	     /* max > min: an integer in min..max (cli_num) */
};

/* The global options, accepted before or after any command. */
enum cli_global_id {
	CLI_GLOBAL_REGION,
	CLI_GLOBAL_ENDPOINT_URL,
	CLI_GLOBAL_NO_COLOR,
	CLI_GLOBAL_LOG,
	CLI_GLOBAL_PROFILE,
	CLI_GLOBALS_N
};
#define CLI_USES(g) (1u << (g)) /* cli_command.globals_used */
extern const struct cli_option CLI_GLOBALS[CLI_GLOBALS_N];

struct cli_parsed;

struct cli_command {
	const char *name;	   /* "serve" */
	const char *synopsis_args; /* what follows "qldbtop NAME" in the usage line */
	const char *summary;	   /* one line for `qldbtop --help` */
	const char *description;   /* a paragraph for `NAME --help` (or NULL) */
	const char *exit_status;   /* lines "N  meaning" for `NAME --help` */
	const struct cli_option *options;
	size_t n_options;
	int min_args, max_args; /* positionals; max_args <= CLI_ARGS_MAX */
	unsigned globals_used;	/* CLI_USES(g) for each global that acts here */
	bool is_default;	/* runs when no command is named (the dashboard) */
	int (*run)(const struct cli_parsed *p);
};

struct cli_parsed {
	const struct cli_command *cmd;	    /* NULL: top-level help or version */
	const char *value[CLI_OPTIONS_MAX]; /* last value of cmd->options[i] */
	unsigned count[CLI_OPTIONS_MAX];    /* times given (flags too) */
	long num[CLI_OPTIONS_MAX];	    /* numeric options, parsed */
	const char *global[CLI_GLOBALS_N];  /* value, or "" for a flag; NULL: not given */
	const char *args[CLI_ARGS_MAX];
	int n_args;
	/* values of repeatable options in command-line order */
	const char *rep_value[CLI_VALUES_MAX];
	unsigned char rep_opt[CLI_VALUES_MAX];
	size_t n_rep;
};

/* Option indexes in the commands' tables (designated initializers there). */
enum {
	DASH_OPT_DEMO,
	DASH_OPT_LEDGER,
	DASH_OPT_INTERVAL,
	DASH_OPT_ASCII,
	DASH_OPT_SCENARIO,
	DASH_OPT_NO_MOUSE,
	DASH_OPT_READONLY,
	DASH_OPT_THEME,
	DASH_OPT_CONFIG,
	DASH_OPT_N
};
enum {
	SERVE_OPT_LISTEN,
	SERVE_OPT_ACCESS_KEY_ID,
	SERVE_OPT_SECRET_ACCESS_KEY,
	SERVE_OPT_CREDENTIALS_FILE,
	SERVE_OPT_SEED,
	SERVE_OPT_RATE,
	SERVE_OPT_DATA_DIR,
	SERVE_OPT_BLOCKS,
	SERVE_OPT_SCENARIO,
	SERVE_OPT_RECIPE,
	SERVE_OPT_EXPORT_SECONDS,
	SERVE_OPT_CREATE_SECONDS,
	SERVE_OPT_N
};
enum { VEXPORT_OPT_DIGEST, VEXPORT_OPT_JOBS, VEXPORT_OPT_JSON, VEXPORT_OPT_N };
enum { VPROOF_OPT_DIGEST, VPROOF_OPT_N };
enum { SNAP_OPT_JSON, SNAP_OPT_LEDGER, SNAP_OPT_N };
enum { CHECK_OPT_LEDGER, CHECK_OPT_MAX_DIGEST_AGE, CHECK_OPT_N };

/* qldbtop's commands, the default (dashboard) first. */
extern const struct cli_command CLI_COMMANDS[];
extern const size_t CLI_COMMANDS_N;

enum cli_action {
	CLI_RUN,     /* p is filled: run p->cmd */
	CLI_HELP,    /* print help of p->cmd (NULL: the top-level help) */
	CLI_VERSION, /* print the version */
	CLI_ERROR,   /* err holds one line; p->cmd is the command, if known */
};

/* Parse a whole command line (argv[0] is the program) against a command
 * table with one is_default entry. Never prints. */
enum cli_action cli_parse_line(const struct cli_command *table, size_t n, int argc, char **argv,
			       struct cli_parsed *p, char *err, size_t errcap);

/* Parse argv[0..argc-1], the words after the command name, for cmd. */
enum cli_action cli_parse(const struct cli_command *cmd, int argc, char **argv,
			  struct cli_parsed *p, char *err, size_t errcap);

/* Accessors (i indexes cmd->options; the name must be in the table). */
bool cli_given(const struct cli_parsed *p, int i);
const char *cli_value(const struct cli_parsed *p, int i);
long cli_num(const struct cli_parsed *p, int i);
const char *cli_nth(const struct cli_parsed *p, int i, size_t n); /* n-th value or NULL */
const char *cli_get(const struct cli_parsed *p, const char *name);
bool cli_flag(const struct cli_parsed *p, const char *name);

/* Help of one command (cmd NULL: every command and the exit contract). */
void cli_help_print(FILE *f, const struct cli_command *table, size_t n,
		    const struct cli_command *cmd);

/* Print "qldbtop: CMD: message (see qldbtop CMD --help)" on stderr (cmd
 * NULL or the default: no CMD); returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse, print help or errors, run; returns the process exit status. */
int cli_main(int argc, char **argv);

#endif
