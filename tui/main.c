/*
 * main.c - entry point: dispatch to a subcommand (tui/cmd_*.c).
 * The command table feeds both dispatch and --help, so they cannot drift.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/cli_global.h"
#include "tui/commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct command COMMANDS[] = {
	{ "serve", cmd_serve,
	  "serve [--listen HOST:PORT] [--access-key-id ID --secret-access-key KEY]" },
	{ "verify-export", cmd_verify_export,
	  "verify-export PATH... [--digest FILE] [--jobs N] [--json]" },
	{ "verify-proof", cmd_verify_proof, "verify-proof RESPONSE.json --digest DIGEST.json" },
	{ "ionhash", cmd_ionhash, "ionhash [FILE|-]" },
};

static void print_help(FILE *f)
{
	fprintf(f, "qldbtop %s - operator's console for Amazon QLDB ledgers\n\n", QLDBTOP_VERSION);
	fprintf(f, "usage:\n"
		   "  qldbtop [--endpoint-url URL] [--region R] [--ledger NAME] [--interval S]\n"
		   "          [--no-color]                      dashboard\n"
		   "  qldbtop --demo                             dashboard on the embedded "
		   "endpoint\n");
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		fprintf(f, "  qldbtop %s\n", COMMANDS[i].synopsis);
	fprintf(f, "  qldbtop --help | --version\n\n"
		   "Exit status: 0 success, 1 integrity failure, 2 usage or input error.\n");
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("qldbtop: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(" (see qldbtop --help)\n", stderr);
	va_end(ap);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* The subcommand is the first argument that is not an option; global
	 * options may stand before it, as the AWS CLI allows. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_help(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("qldbtop %s\n", QLDBTOP_VERSION);
			return 0;
		}
		if (argv[i][0] == '-') {
			if (cli_global_kind(argv[i]) == CLI_GLOBAL_WITH_VALUE)
				i++; /* skip its value */
			continue;
		}
		for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++) {
			if (strcmp(argv[i], COMMANDS[c].name) != 0)
				continue;
			/* move the subcommand name to the front, keep the rest */
			char *name = argv[i];
			memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof *argv);
			argv[1] = name;
			return COMMANDS[c].run(argc - 1, argv + 1);
		}
		break; /* not a command: the dashboard reports it */
	}
	return cmd_dashboard(argc, argv);
}
