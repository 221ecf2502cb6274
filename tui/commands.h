/*
 * commands.h - the commands of qldbtop, one file each (tui/cmd_*.c). Their
 * names, options, usage and help are in the table of tui/cli.c; each
 * function gets the parsed command line (see tui/cli.h for how) and returns
 * the process exit status (enum cli_exit). Usage errors print one line to
 * stderr (cli_usage_error) and return CLI_EXIT_USAGE.
 */
#ifndef QLDBTOP_TUI_COMMANDS_H
#define QLDBTOP_TUI_COMMANDS_H

#include <stdbool.h>

#include "tui/cli.h"

int cmd_dashboard(const struct cli_parsed *p);	   /* qldbtop [dashboard] [options] */
int cmd_serve(const struct cli_parsed *p);	   /* qldbtop serve */
int cmd_ionhash(const struct cli_parsed *p);	   /* qldbtop ionhash [FILE|-] */
int cmd_verify_proof(const struct cli_parsed *p);  /* qldbtop verify-proof R --digest D */
int cmd_verify_export(const struct cli_parsed *p); /* qldbtop verify-export PATH... */
int cmd_snapshot(const struct cli_parsed *p);	   /* qldbtop snapshot [--json] */
int cmd_check(const struct cli_parsed *p);	   /* qldbtop check [--max-digest-age S] */

/* What snapshot and check share (cmd_snapshot.c): resolve endpoint,
 * region and keys from the globals, open --log (secrets registered for
 * redaction), poll every descriptor once into a new store. The caller
 * owns the result and releases it with headless_release. */
struct store;
struct api_config;
enum headless_status {
	HEADLESS_OK,	/* polled (per-call errors are in the store) */
	HEADLESS_USAGE, /* a usage error was printed (exit CLI_EXIT_USAGE) */
	HEADLESS_ENV,	/* err holds one line: libcurl, --log, memory */
};
struct headless {
	struct store *store;
	struct api_config *cfg; /* heap; wiped and freed by headless_release */
	const char *ledger;	/* --ledger or NULL */
	double fetched_at;	/* wall clock when the poll started */
	bool http_ready;	/* http_global_init succeeded */
	bool audit_ready;	/* resource_audit_setup succeeded */
};
enum headless_status headless_poll(const struct cli_parsed *p, const char *ledger,
				   struct headless *out, char *err, size_t cap);
void headless_release(struct headless *h);

#endif
