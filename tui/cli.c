/*
 * cli.c - the command table and its parser and help printer (see cli.h).
 *
 * The table comes first: it is the whole command line of qldbtop, as data.
 * Below it, the parser (one pass over argv, first error wins), the help
 * printer and the dispatcher. Nothing else in tui/ holds an option name,
 * a synopsis or a usage string.
 */
#include "tui/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "tui/commands.h"
#include "api/export_run.h"
#include "tui/options.h"

#define CLI_HELP_COL 28	   /* column of the option help in --help */
#define CLI_HELP_WIDTH 80  /* --help lines stay within a classic terminal */
#define CLI_SUGGEST_LEN 64 /* longer words get no "did you mean" */
#define CLI_SUGGEST_DIST 2 /* edits allowed between a typo and a suggestion */

/* ---- the table ------------------------------------------------------- */

const struct cli_option CLI_GLOBALS[CLI_GLOBALS_N] = {
	[CLI_GLOBAL_REGION] = { .name = "--region",
				.metavar = "R",
				.help = "AWS region (else AWS_REGION, AWS_DEFAULT_REGION,\n"
					"us-east-1)" },
	[CLI_GLOBAL_ENDPOINT_URL] = { .name = "--endpoint-url",
				      .metavar = "URL",
				      .help = "QLDB endpoint (else AWS_ENDPOINT_URL_QLDB,\n"
					      "AWS_ENDPOINT_URL, "
					      "https://qldb.REGION.amazonaws.com)" },
	[CLI_GLOBAL_NO_COLOR] = { .name = "--no-color",
				  .help = "monochrome (as NO_COLOR in the environment)" },
	[CLI_GLOBAL_LOG] = { .name = "--log",
			     .metavar = "FILE",
			     .help = "append poll errors to FILE (created 0600);\n"
				     "QLDBTOP_LOG_LEVEL=error|warn|info|debug (default info)" },
	[CLI_GLOBAL_PROFILE] = { .name = "--profile",
				 .metavar = "NAME",
				 .help = "the AWS CLI profile for keys, region and endpoint\n"
					 "(else AWS_PROFILE, AWS_DEFAULT_PROFILE, default)" },
};

static const struct cli_option DASH_OPTIONS[DASH_OPT_N] = {
	[DASH_OPT_DEMO] = { .name = "--demo",
			    .help = "run on the embedded endpoint (as qldbtop serve,\n"
				    "on a free loopback port); polls every 2 s unless\n"
				    "--interval" },
	[DASH_OPT_LEDGER] = { .name = "--ledger",
			      .metavar = "NAME",
			      .help = "show only this ledger" },
	[DASH_OPT_INTERVAL] = { .name = "--interval",
				.metavar = "S",
				.help = "poll pace: each kind every base x S/5 s\n"
					"(else `interval` in the config file; default 5:\n"
					"ledger 30 s, digest 10 s)",
				.min = OPTIONS_INTERVAL_MIN_S,
				.max = OPTIONS_INTERVAL_MAX_S },
	[DASH_OPT_ASCII] = { .name = "--ascii",
			     .help = "draw frames with ASCII characters (automatic when\n"
				     "the locale is not UTF-8)" },
	[DASH_OPT_SCENARIO] = { .name = "--scenario",
				.metavar = "NAME|FILE",
				.help = "with --demo: the faults the embedded endpoint\n"
					"scripts (default demo; none for none; see serve)" },
	[DASH_OPT_NO_MOUSE] = { .name = "--no-mouse",
				.help = "ignore the mouse (off by default over SSH:\n"
					"SSH_CONNECTION set)" },
	[DASH_OPT_READONLY] = { .name = "--readonly",
				.help = "offer no action that changes a ledger, stream\n"
					"or export (also `readonly = true`, globally or\n"
					"in a [profile NAME] section of the config file)" },
	[DASH_OPT_THEME] = { .name = "--theme",
			     .metavar = "NAME",
			     .help = "colours: default, mono, high-contrast (else\n"
				     "QLDBTOP_THEME, `theme` in the config file)" },
	[DASH_OPT_CONFIG] = { .name = "--config",
			      .metavar = "FILE",
			      .help = "the config file (else QLDBTOP_CONFIG, else\n"
				      "$XDG_CONFIG_HOME/qldbtop/config, by default\n"
				      "~/.config/qldbtop/config)" },
};

static const struct cli_option SERVE_OPTIONS[SERVE_OPT_N] = {
	[SERVE_OPT_LISTEN] = { .name = "--listen",
			       .metavar = "HOST:PORT",
			       .help = "address to bind (default 127.0.0.1:4580, loopback\n"
				       "only; PORT 0: any free port; [::1]:PORT for IPv6)" },
	[SERVE_OPT_ACCESS_KEY_ID] = { .name = "--access-key-id",
				      .metavar = "ID",
				      .help = "the access key id the endpoint accepts, with\n"
					      "--secret-access-key: both or neither (without\n"
					      "them: the sources above, then the demo pair)" },
	[SERVE_OPT_SECRET_ACCESS_KEY] = { .name = "--secret-access-key",
					  .metavar = "KEY",
					  .help = "its secret (printed as <redacted>); a command\n"
						  "line is visible to other users in /proc: "
						  "prefer\n"
						  "--credentials-file or the environment",
					  .secret = true },
	[SERVE_OPT_CREDENTIALS_FILE] = { .name = "--credentials-file",
					 .metavar = "FILE",
					 .help = "read the key pair from FILE (mode 0600 or\n"
						 "stricter): aws_access_key_id and\n"
						 "aws_secret_access_key in [default], as in\n"
						 "~/.aws/credentials, or "
						 "QLDBTOP_SERVE_ACCESS_KEY_ID=\n"
						 "and QLDBTOP_SERVE_SECRET_ACCESS_KEY= lines" },
	[SERVE_OPT_SEED] = { .name = "--seed",
			     .metavar = "N",
			     .help = "journal seed, 0..2^64-1: the same seed gives the\n"
				     "same journal, strand ids and digests (block times\n"
				     "then follow a virtual clock from 2026-01-01);\n"
				     "without it, blocks carry the wall-clock time" },
	[SERVE_OPT_RATE] = { .name = "--rate",
			     .metavar = "R",
			     .help = "blocks per second the live workload commits, a\n"
				     "decimal 0..1000 (default 0.5; 0: the journal\n"
				     "does not grow)" },
	[SERVE_OPT_DATA_DIR] = { .name = "--data-dir",
				 .metavar = "DIR",
				 .help = "keep every ledger, block, stream and export in DIR\n"
					 "(created 0700 if absent): a restart continues the\n"
					 "journal (default: in memory only)" },
	[SERVE_OPT_BLOCKS] = { .name = "--blocks",
			       .metavar = "N",
			       .help = "blocks a new demo journal starts with (default 21;\n"
				       "benchmarks use 1000000)",
			       .min = 0,
			       .max = 1000000 },
	[SERVE_OPT_SCENARIO] = { .name = "--scenario",
				 .metavar = "NAME|FILE",
				 .help = "script faults and tampering: a file, or NAME\n"
					 "of assets/scenarios/ (demo); format in\n"
					 "assets/scenarios/README" },
	[SERVE_OPT_RECIPE] = { .name = "--recipe",
			       .help = "also make what the recipe's stack deploys: a\n"
				       "Kinesis stream, the ledger's journal stream into it\n"
				       "and an export bucket (names printed at start); for\n"
				       "assets/recipe/validate.sh" },
	[SERVE_OPT_EXPORT_SECONDS] = { .name = "--export-seconds",
				       .metavar = "N",
				       .help = "a journal export stays IN_PROGRESS for N seconds\n"
					       "before COMPLETED, 0..86400 (default 10; 0:\n"
					       "completed at once)",
				       .min = 0,
				       .max = 86400 },
	[SERVE_OPT_CREATE_SECONDS] = { .name = "--create-seconds",
				       .metavar = "N",
				       .help = "a new ledger stays CREATING for N seconds before\n"
					       "ACTIVE, 0..3600 (default 1; 0: ACTIVE at once)",
				       .min = 0,
				       .max = 3600 },
};

static const struct cli_option VEXPORT_OPTIONS[VEXPORT_OPT_N] = {
	[VEXPORT_OPT_DIGEST] = { .name = "--digest",
				 .metavar = "FILE",
				 .help = "what `aws qldb get-digest` printed: the digest is\n"
					 "recomputed over blocks 0 to its tip" },
	[VEXPORT_OPT_JOBS] = { .name = "--jobs",
			       .metavar = "N",
			       .help = "data objects verified in parallel (default: the\n"
				       "number of cores); the verdict does not depend on N",
			       .min = 1,
			       .max = EXPORT_MAX_JOBS },
	[VEXPORT_OPT_JSON] = { .name = "--json",
			       .help = "print one JSON object (ok, status, blocks,\n"
				       "revisions, digest, unproven, failures), not text" },
};

static const struct cli_option VPROOF_OPTIONS[VPROOF_OPT_N] = {
	[VPROOF_OPT_DIGEST] = { .name = "--digest",
				.metavar = "DIGEST.json",
				.help = "what `aws qldb get-digest` printed (required)",
				.required = true },
};

static const struct cli_option SNAP_OPTIONS[SNAP_OPT_N] = {
	[SNAP_OPT_JSON] = { .name = "--json",
			    .help = "print exactly one JSON object on stdout (the\n"
				    "contract is in the description above)" },
	[SNAP_OPT_LEDGER] = { .name = "--ledger",
			      .metavar = "NAME",
			      .help = "only this ledger (no ListLedgers)" },
};

static const struct cli_option CHECK_OPTIONS[CHECK_OPT_N] = {
	[CHECK_OPT_LEDGER] = { .name = "--ledger",
			       .metavar = "NAME",
			       .help = "check only this ledger (default: every ledger)" },
	[CHECK_OPT_MAX_DIGEST_AGE] = { .name = "--max-digest-age",
				       .metavar = "S",
				       .help = "WARNING when the newest digest held is older\n"
					       "than S seconds (default 300)",
				       .min = 0,
				       .max = 31536000 },
};

static int cli_help_run(const struct cli_parsed *p);

static const char VERIFY_EXIT[] =
	"0  everything present was proven and everything asked for was checked\n"
	"1  an integrity failure was found (and only then)\n"
	"2  usage, input or environment error: bad flag, unreadable or non-regular\n"
	"   file, out of memory (one line on stderr)\n"
	"3  nothing failed, but something was not proven (listed as UNVERIFIED)\n";

#define OPTS(a) .options = (a), .n_options = sizeof(a) / sizeof((a)[0])

const struct cli_command CLI_COMMANDS[] = {
	{
		.name = "dashboard",
		.is_default = true,
		.synopsis_args =
			"[--demo] [--ledger NAME] [--theme NAME] [--config FILE] [OPTION...]",
		.summary = "the terminal dashboard (the default: no command needed)",
		.description =
			"Ledgers and their digest, polled every --interval seconds from the\n"
			"endpoint with the AWS_* credentials, until q, F10 or Ctrl-C. Needs a\n"
			"terminal of at least 80x24 on stdin and stdout. Settings: command\n"
			"line, then environment, then the config file (theme, interval,\n"
			"bell, readonly, mouse, ascii, no_color, key.ACTION = KEY, and\n"
			"[profile NAME] readonly), then defaults.",
		.exit_status = "0  quit with q or F10\n"
			       "2  usage or environment error: bad flag, a bad config file or\n"
			       "   theme, no terminal, --log FILE not writable, the embedded\n"
			       "   endpoint cannot start\n"
			       "128+N  stopped by signal N (SIGINT, SIGTERM, SIGHUP)\n",
		OPTS(DASH_OPTIONS),
		.globals_used = CLI_USES(CLI_GLOBAL_REGION) | CLI_USES(CLI_GLOBAL_ENDPOINT_URL) |
				CLI_USES(CLI_GLOBAL_NO_COLOR) | CLI_USES(CLI_GLOBAL_LOG) |
				CLI_USES(CLI_GLOBAL_PROFILE),
		.run = cmd_dashboard,
	},
	{
		.name = "serve",
		.synopsis_args = "[--listen HOST:PORT] [--data-dir DIR] [--seed N] [--rate R]",
		.summary = "run the QLDB-compatible local endpoint",
		.description =
			"Serves the ledger financial-ledger with a real journal. Prints its\n"
			"endpoint URL and the key pair it accepts, then runs until SIGINT or\n"
			"SIGTERM. The AWS CLI works against it with --endpoint-url.\n"
			"The one key pair it accepts comes from the first of:\n"
			"--access-key-id with --secret-access-key; --credentials-file FILE;\n"
			"QLDBTOP_SERVE_ACCESS_KEY_ID with QLDBTOP_SERVE_SECRET_ACCESS_KEY in\n"
			"the environment; the documented demo pair. Both halves come from\n"
			"one source. A secret other than the demo one is never printed.",
		.exit_status = "0  stopped by SIGINT or SIGTERM\n"
			       "2  usage or environment error: bad flag, the address cannot be\n"
			       "   bound (port in use), a credentials file others can read,\n"
			       "   --data-dir not a writable folder or holding a damaged log\n"
			       "   (a torn tail is cut and reported; other damage refuses the\n"
			       "   start), out of memory (one line on stderr)\n",
		OPTS(SERVE_OPTIONS),
		.run = cmd_serve,
	},
	{
		.name = "verify-export",
		.synopsis_args = "PATH... [--digest FILE] [--jobs N] [--json]",
		.summary = "verify S3 journal export folders as one chain",
		.description =
			"Each PATH is an export folder as QLDB wrote it (manifests and data\n"
			"objects), or s3://BUCKET/PREFIX/ read straight from S3 (streamed,\n"
			"nothing written to disk; keys, region and endpoint as the AWS CLI\n"
			"finds them). Every block, revision and chain link is recomputed;\n"
			"with --digest, the digest too. What was not proven is listed,\n"
			"never passed.",
		.exit_status = VERIFY_EXIT,
		OPTS(VEXPORT_OPTIONS),
		.globals_used = CLI_USES(CLI_GLOBAL_REGION) | CLI_USES(CLI_GLOBAL_ENDPOINT_URL) |
				CLI_USES(CLI_GLOBAL_PROFILE),
		.min_args = 1,
		.max_args = CLI_ARGS_MAX,
		.run = cmd_verify_export,
	},
	{
		.name = "verify-proof",
		.synopsis_args = "RESPONSE.json --digest DIGEST.json",
		.summary = "verify a saved get-block or get-revision output against a digest",
		.description =
			"RESPONSE.json is what `aws qldb get-block` or `aws qldb get-revision`\n"
			"printed (with --digest-tip-address). Every proven step is printed;\n"
			"the last line is the verdict.",
		.exit_status = VERIFY_EXIT,
		OPTS(VPROOF_OPTIONS),
		.min_args = 1,
		.max_args = 1,
		.run = cmd_verify_proof,
	},
	{
		.name = "snapshot",
		.synopsis_args = "[--json] [--ledger NAME]",
		.summary = "poll everything once and print it (no terminal needed)",
		.description =
			"One poll of every resource kind for every ledger (ListLedgers, all\n"
			"pages; then DescribeLedger and GetDigest per ledger), printed as text\n"
			"or, with --json, as exactly one JSON object on stdout:\n"
			"  {\"endpoint\", \"region\", \"fetched_at\" (RFC 3339 UTC),\n"
			"   \"ledgers\": [{\"name\", \"state\", \"arn\", \"deletion_protection\",\n"
			"     \"permissions_mode\", \"created\", \"encryption\": {\"status\",\n"
			"     \"kms_key_arn\", \"inaccessible_since\"}, \"digest\": {\"digest\",\n"
			"     \"tip\", \"strand_id\", \"sequence_no\", \"fetched_at\"} or null,\n"
			"     \"streams\": [...], \"exports\": [...], \"kinesis\": [...],\n"
			"     \"metrics\": [...], \"tags\": [{\"key\", \"value\"}],\n"
			"     \"errors\": [{\"kind\", \"operation\", \"message\"}],\n"
			"     \"not_polled\": [the same, for calls the ledger's state rules\n"
			"       out: GetDigest and what builds on it while it is not ACTIVE]}],\n"
			"   \"ledgers_truncated\", \"errors\": [account-level errors],\n"
			"   \"audit\": [{\"time\", \"ledger\", \"kind\", \"result\",\n"
			"     \"block_address\", \"expected\", \"computed\", \"message\"}],\n"
			"   \"unavailable\": [kinds this version does not poll: none today]}\n"
			"A field that was not fetched is null, never a guess; kinds this\n"
			"version does not poll are listed in \"unavailable\" and their arrays\n"
			"stay empty. --log FILE records each call; QLDBTOP_LOG_LEVEL=error,\n"
			"warn, info (default) or debug sets how much. Secrets are redacted.",
		.exit_status = "0  every call made answered (calls under \"not_polled\" are\n"
			       "   not made, and are not failures)\n"
			       "2  usage error, no credentials, or a call failed (the output\n"
			       "   still lists what was fetched and the errors; one line on\n"
			       "   stderr)\n",
		OPTS(SNAP_OPTIONS),
		.globals_used = CLI_USES(CLI_GLOBAL_REGION) | CLI_USES(CLI_GLOBAL_ENDPOINT_URL) |
				CLI_USES(CLI_GLOBAL_LOG) | CLI_USES(CLI_GLOBAL_PROFILE),
		.run = cmd_snapshot,
	},
	{
		.name = "check",
		.synopsis_args = "[--ledger NAME] [--max-digest-age S]",
		.summary = "monitoring-plugin check: one status line and exit 0..3",
		.description =
			"Polls once (as snapshot) and prints, as Nagios/Icinga plugins do,\n"
			"one line \"QLDB STATE - summary|perfdata\" then one line per finding.\n"
			"CRITICAL: a ledger DELETING, DELETED or not found, its KMS key\n"
			"inaccessible (integrity failures, IMPAIRED or FAILED streams: when\n"
			"those are polled). WARNING: a ledger still CREATING; the newest\n"
			"digest held is older than --max-digest-age, or could not be fetched\n"
			"(cancelled exports: when polled). UNKNOWN: no credentials, the\n"
			"endpoint unreachable or refusing the keys, no ledger found. The\n"
			"digest's age is the time since GetDigest answered, so a digest just\n"
			"fetched is fresh unless S is 0. What this version does not poll is\n"
			"listed as not checked.",
		.exit_status = "0  OK\n"
			       "1  WARNING\n"
			       "2  CRITICAL; also a usage error (bad flag: one line on stderr)\n"
			       "3  UNKNOWN\n",
		OPTS(CHECK_OPTIONS),
		.globals_used = CLI_USES(CLI_GLOBAL_REGION) | CLI_USES(CLI_GLOBAL_ENDPOINT_URL) |
				CLI_USES(CLI_GLOBAL_LOG) | CLI_USES(CLI_GLOBAL_PROFILE),
		.run = cmd_check,
	},
	{
		.name = "ionhash",
		.synopsis_args = "[FILE|-]",
		.summary = "Ion Hash (SHA-256, hex) of each top-level value",
		.description =
			"Print the SHA-256 Ion Hash (lowercase hex) of every top-level value\n"
			"of an Ion text or binary FILE (or standard input), one per line.",
		.exit_status = "0  success\n"
			       "2  usage error, unreadable file or bad Ion (one line on stderr)\n",
		.max_args = 1,
		.run = cmd_ionhash,
	},
	{
		.name = "help",
		.synopsis_args = "[COMMAND]",
		.summary = "this overview, or the help of COMMAND",
		.exit_status = "0  help printed\n"
			       "2  unknown COMMAND\n",
		.max_args = 1,
		.run = cli_help_run,
	},
};
const size_t CLI_COMMANDS_N = sizeof CLI_COMMANDS / sizeof CLI_COMMANDS[0];

/* The contract every command shares, for `qldbtop --help`. */
static const char CLI_EXIT_CONTRACT[] =
	"0  success (verifiers: everything present was proven and everything\n"
	"   asked for was checked)\n"
	"1  an integrity failure was found (verify-export, verify-proof; only then)\n"
	"2  usage, input or environment error: bad flag, unreadable or non-regular\n"
	"   file, no terminal, port in use, out of memory (one line on stderr)\n"
	"3  nothing failed, but something was not proven (verify-export,\n"
	"   verify-proof)\n";

/* ---- parsing ----------------------------------------------------------- */

/* Copy at most CLI_ECHO_MAX characters of a user's word for an error
 * message, control characters as '?', "..." when cut. */
static const char *cli_echo(char *dst, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && i < CLI_ECHO_MAX && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (len > CLI_ECHO_MAX && n + 3 < cap) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
	return dst;
}

/* Edit distance (insert, delete, substitute, swap two neighbours) between
 * a and b, both at most CLI_SUGGEST_LEN long. */
static size_t cli_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[CLI_SUGGEST_LEN + 1][CLI_SUGGEST_LEN + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

struct cli_suggest {
	const char *best;
	size_t dist;
};

static void cli_suggest_try(struct cli_suggest *s, const char *word, size_t len,
			    const char *candidate)
{
	size_t lc = strlen(candidate);
	if (len > CLI_SUGGEST_LEN || lc > CLI_SUGGEST_LEN)
		return;
	size_t d = cli_distance(word, len, candidate, lc);
	if (d <= CLI_SUGGEST_DIST && d < lc / 2 && (!s->best || d < s->dist)) {
		s->best = candidate;
		s->dist = d;
	}
}

/* "; did you mean '--x'?" or "" */
static void cli_suggest_text(const struct cli_suggest *s, char *buf, size_t cap)
{
	if (s->best)
		snprintf(buf, cap, "; did you mean '%s'?", s->best);
	else
		buf[0] = '\0';
}

static bool cli_is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static const struct cli_command *cli_find(const struct cli_command *table, size_t n,
					  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

static const struct cli_command *cli_default(const struct cli_command *table, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].is_default)
			return &table[i];
	return NULL;
}

/* An option of cmd (cmd NULL: globals only) by its name (len bytes). */
static const struct cli_option *cli_option_find(const struct cli_command *cmd, const char *name,
						size_t len, int *idx, bool *global)
{
	for (size_t i = 0; cmd && i < cmd->n_options; i++)
		if (strlen(cmd->options[i].name) == len &&
		    strncmp(cmd->options[i].name, name, len) == 0) {
			*idx = (int)i;
			*global = false;
			return &cmd->options[i];
		}
	for (int g = 0; g < CLI_GLOBALS_N; g++)
		if (strlen(CLI_GLOBALS[g].name) == len &&
		    strncmp(CLI_GLOBALS[g].name, name, len) == 0) {
			*idx = g;
			*global = true;
			return &CLI_GLOBALS[g];
		}
	return NULL;
}

/* Integer in min..max, digits only (and a leading '-'). */
static bool cli_parse_long(const char *s, long min, long max, long *out)
{
	const char *d = s[0] == '-' ? s + 1 : s;
	if (*d < '0' || *d > '9')
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

enum cli_take { CLI_TAKEN, CLI_UNKNOWN, CLI_BAD };

/* Take the option at argv[*i] (and its value), advancing *i past its value.
 * cmd NULL: only globals are known. */
static enum cli_take cli_take_option(const struct cli_command *cmd, int argc, char **argv, int *i,
				     struct cli_parsed *p, char *err, size_t cap)
{
	const char *a = argv[*i];
	const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	int idx;
	bool global;
	const struct cli_option *o = cli_option_find(cmd, a, len, &idx, &global);
	if (!o)
		return CLI_UNKNOWN;
	const char *value = NULL;
	if (!o->metavar) {
		if (eq) {
			snprintf(err, cap, "%s takes no value", o->name);
			return CLI_BAD;
		}
	} else if (eq) {
		value = eq + 1;
	} else if (*i + 1 < argc && strncmp(argv[*i + 1], "--", 2) != 0) {
		value = argv[++*i];
	} else {
		/* "--digest --json": a value never starts with "--" */
		snprintf(err, cap, "%s needs a value (%s)", o->name, o->metavar);
		return CLI_BAD;
	}
	if (value && !*value) {
		snprintf(err, cap, "%s needs a non-empty value", o->name);
		return CLI_BAD;
	}
	bool given = global ? p->global[idx] != NULL : p->count[idx] > 0;
	if (given && !o->repeat) {
		snprintf(err, cap, "%s given more than once", o->name);
		return CLI_BAD;
	}
	long num = 0;
	if (value && o->max > o->min && !cli_parse_long(value, o->min, o->max, &num)) {
		char echo[CLI_ECHO_MAX + 4];
		if (o->secret)
			snprintf(err, cap, "%s wants an integer %ld..%ld", o->name, o->min, o->max);
		else
			snprintf(err, cap, "%s wants an integer %ld..%ld, got '%s'", o->name,
				 o->min, o->max, cli_echo(echo, sizeof echo, value, strlen(value)));
		return CLI_BAD;
	}
	if (global) {
		p->global[idx] = value ? value : "";
		return CLI_TAKEN;
	}
	p->count[idx]++;
	p->value[idx] = value;
	p->num[idx] = num;
	if (o->repeat) {
		if (p->n_rep == CLI_VALUES_MAX) {
			snprintf(err, cap, "more than %d values of repeated options",
				 CLI_VALUES_MAX);
			return CLI_BAD;
		}
		p->rep_value[p->n_rep] = value;
		p->rep_opt[p->n_rep++] = (unsigned char)idx;
	}
	return CLI_TAKEN;
}

/* "unknown option '--x'" (never its value), with a suggestion. */
static void cli_unknown_option(const struct cli_command *cmd, const char *a, char *err, size_t cap)
{
	const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	struct cli_suggest s = { 0 };
	for (size_t i = 0; cmd && i < cmd->n_options; i++)
		cli_suggest_try(&s, a, len, cmd->options[i].name);
	for (int g = 0; g < CLI_GLOBALS_N; g++)
		cli_suggest_try(&s, a, len, CLI_GLOBALS[g].name);
	cli_suggest_try(&s, a, len, "--help");
	cli_suggest_try(&s, a, len, "--version");
	char echo[CLI_ECHO_MAX + 4], hint[CLI_SUGGEST_LEN + 32];
	cli_suggest_text(&s, hint, sizeof hint);
	snprintf(err, cap, "unknown option '%s'%s", cli_echo(echo, sizeof echo, a, len), hint);
}

/* "unknown command 'x'", with a suggestion from the table. */
static void cli_unknown_command(const struct cli_command *table, size_t n, const char *a, char *err,
				size_t cap)
{
	struct cli_suggest s = { 0 };
	for (size_t i = 0; i < n; i++)
		cli_suggest_try(&s, a, strlen(a), table[i].name);
	char echo[CLI_ECHO_MAX + 4], hint[CLI_SUGGEST_LEN + 32];
	cli_suggest_text(&s, hint, sizeof hint);
	snprintf(err, cap, "unknown command '%s'%s", cli_echo(echo, sizeof echo, a, strlen(a)),
		 hint);
}

/* The words after the command name; p->global may hold globals already. */
static enum cli_action cli_parse_args(const struct cli_command *table, size_t n,
				      const struct cli_command *cmd, int argc, char **argv,
				      struct cli_parsed *p, char *err, size_t cap)
{
	p->cmd = cmd;
	bool options_end = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!options_end && strcmp(a, "--") == 0) {
			options_end = true;
			continue;
		}
		if (!options_end && cli_is_help(a))
			return CLI_HELP;
		if (!options_end && strcmp(a, "--version") == 0)
			return CLI_VERSION;
		if (!options_end && a[0] == '-' && a[1] != '\0') {
			enum cli_take t = cli_take_option(cmd, argc, argv, &i, p, err, cap);
			if (t == CLI_UNKNOWN)
				cli_unknown_option(cmd, a, err, cap);
			if (t != CLI_TAKEN)
				return CLI_ERROR;
			continue;
		}
		if (p->n_args < cmd->max_args && p->n_args < CLI_ARGS_MAX) {
			p->args[p->n_args++] = a;
			continue;
		}
		char echo[CLI_ECHO_MAX + 4];
		cli_echo(echo, sizeof echo, a, strlen(a));
		if (cmd->is_default && table && cli_find(table, n, a))
			snprintf(err, cap,
				 "command '%s' after the dashboard's options (only global options "
				 "may precede a command)",
				 echo);
		else if (cmd->is_default)
			cli_unknown_command(table, n, a, err, cap);
		else if (cmd->max_args == 0)
			snprintf(err, cap, "takes no arguments, got '%s'", echo);
		else
			snprintf(err, cap, "takes at most %d argument%s, got '%s' too",
				 cmd->max_args, cmd->max_args == 1 ? "" : "s", echo);
		return CLI_ERROR;
	}
	if (p->n_args < cmd->min_args) {
		snprintf(err, cap, "missing argument; usage: qldbtop %s %s", cmd->name,
			 cmd->synopsis_args);
		return CLI_ERROR;
	}
	for (size_t i = 0; i < cmd->n_options; i++)
		if (cmd->options[i].required && !p->count[i]) {
			snprintf(err, cap, "%s %s is required", cmd->options[i].name,
				 cmd->options[i].metavar ? cmd->options[i].metavar : "");
			return CLI_ERROR;
		}
	return CLI_RUN;
}

enum cli_action cli_parse(const struct cli_command *cmd, int argc, char **argv,
			  struct cli_parsed *p, char *err, size_t errcap)
{
	memset(p, 0, sizeof *p);
	err[0] = '\0';
	return cli_parse_args(NULL, 0, cmd, argc, argv, p, err, errcap);
}

enum cli_action cli_parse_line(const struct cli_command *table, size_t n, int argc, char **argv,
			       struct cli_parsed *p, char *err, size_t errcap)
{
	memset(p, 0, sizeof *p);
	err[0] = '\0';
	int i = 1;
	/* Globals may precede the command; the first other option starts the
	 * default command's options. */
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (cli_is_help(a))
			return CLI_HELP;
		if (strcmp(a, "--version") == 0)
			return CLI_VERSION;
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] == '-' && a[1] != '\0') {
			enum cli_take t = cli_take_option(NULL, argc, argv, &i, p, err, errcap);
			if (t == CLI_BAD)
				return CLI_ERROR;
			if (t == CLI_UNKNOWN)
				break;
			continue;
		}
		const struct cli_command *cmd = cli_find(table, n, a);
		if (!cmd) {
			cli_unknown_command(table, n, a, err, errcap);
			return CLI_ERROR;
		}
		return cli_parse_args(table, n, cmd, argc - i - 1, argv + i + 1, p, err, errcap);
	}
	const struct cli_command *def = cli_default(table, n);
	if (!def) {
		snprintf(err, errcap, "no command given");
		return CLI_ERROR;
	}
	return cli_parse_args(table, n, def, argc - i, argv + i, p, err, errcap);
}

/* ---- accessors ----------------------------------------------------------- */

/* The index of an option of p->cmd by name; a name not in the table is a
 * programming error. */
static int cli_index(const struct cli_parsed *p, const char *name)
{
	for (size_t i = 0; i < p->cmd->n_options; i++)
		if (strcmp(p->cmd->options[i].name, name) == 0)
			return (int)i;
	fprintf(stderr, "qldbtop: internal error: %s has no option %s\n", p->cmd->name, name);
	abort();
}

bool cli_given(const struct cli_parsed *p, int i)
{
	return p->count[i] > 0;
}

const char *cli_value(const struct cli_parsed *p, int i)
{
	return p->value[i];
}

long cli_num(const struct cli_parsed *p, int i)
{
	return p->num[i];
}

const char *cli_nth(const struct cli_parsed *p, int i, size_t n)
{
	if (!p->cmd->options[i].repeat)
		return n == 0 ? p->value[i] : NULL;
	for (size_t k = 0; k < p->n_rep; k++)
		if (p->rep_opt[k] == i && n-- == 0)
			return p->rep_value[k];
	return NULL;
}

const char *cli_get(const struct cli_parsed *p, const char *name)
{
	return cli_value(p, cli_index(p, name));
}

bool cli_flag(const struct cli_parsed *p, const char *name)
{
	return cli_given(p, cli_index(p, name));
}

/* ---- help ------------------------------------------------------------------ */

/* Print text with every line indented; '\n' ends lines. */
static void cli_print_indented(FILE *f, const char *text, int indent)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);
		fprintf(f, "%*s%.*s\n", indent, "", len, text);
		text += len + (nl != NULL);
	}
}

/* "  --name META      help" with continuation lines under the help; note
 * goes at the end of the last line, or on a line of its own if the line
 * would pass CLI_HELP_WIDTH. */
static void cli_print_option(FILE *f, const struct cli_option *o, const char *note)
{
	char head[64];
	snprintf(head, sizeof head, "%s%s%s", o->name, o->metavar ? " " : "",
		 o->metavar ? o->metavar : "");
	int col = fprintf(f, "  %s", head);
	if (col >= CLI_HELP_COL) {
		fputc('\n', f);
		col = 0;
	}
	const char *h = o->help;
	int indent = CLI_HELP_COL - col;
	for (;;) {
		const char *nl = strchr(h, '\n');
		int len = nl ? (int)(nl - h) : (int)strlen(h);
		if (nl) {
			fprintf(f, "%*s%.*s\n", indent, "", len, h);
		} else if (!*note || CLI_HELP_COL + len + (int)strlen(note) <= CLI_HELP_WIDTH) {
			fprintf(f, "%*s%.*s%s\n", indent, "", len, h, note);
		} else {
			fprintf(f, "%*s%.*s\n%*s%s\n", indent, "", len, h, CLI_HELP_COL, "",
				note + (note[0] == ' '));
		}
		if (!nl)
			break;
		h = nl + 1;
		indent = CLI_HELP_COL;
	}
}

static void cli_print_usage_line(FILE *f, const struct cli_command *c, const char *lead)
{
	if (c->is_default)
		fprintf(f, "%sqldbtop [%s] %s\n", lead, c->name, c->synopsis_args);
	else
		fprintf(f, "%sqldbtop %s %s\n", lead, c->name, c->synopsis_args);
}

/* Names of the commands on which global g acts, "dashboard, ...". */
static void cli_global_users(const struct cli_command *table, size_t n, int g, char *buf,
			     size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++)
		if (table[i].globals_used & CLI_USES(g))
			used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
						 table[i].name);
}

static void cli_help_overview(FILE *f, const struct cli_command *table, size_t n)
{
	fprintf(f, "qldbtop %s - operator's console for Amazon QLDB ledgers\n\nusage:\n",
		QLDBTOP_VERSION);
	for (size_t i = 0; i < n; i++) {
		cli_print_usage_line(f, &table[i], "  ");
		fprintf(f, "      %s\n", table[i].summary);
	}
	fprintf(f, "  qldbtop --help | --version\n\n"
		   "global options, accepted before or after any command (a command they\n"
		   "do not act on accepts and ignores them):\n");
	for (int g = 0; g < CLI_GLOBALS_N; g++) {
		char users[128], note[160];
		cli_global_users(table, n, g, users, sizeof users);
		snprintf(note, sizeof note, " [%s]", users);
		cli_print_option(f, &CLI_GLOBALS[g], note);
	}
	fputs("\nexit status, for every command:\n", f);
	cli_print_indented(f, CLI_EXIT_CONTRACT, 2);
	fputs("\n`qldbtop COMMAND --help` or `qldbtop help COMMAND` describes one command.\n", f);
}

void cli_help_print(FILE *f, const struct cli_command *table, size_t n,
		    const struct cli_command *cmd)
{
	if (!cmd) {
		cli_help_overview(f, table, n);
		return;
	}
	cli_print_usage_line(f, cmd, "usage: ");
	fputc('\n', f);
	if (cmd->description)
		cli_print_indented(f, cmd->description, 0);
	else
		fprintf(f, "%c%s.\n", toupper((unsigned char)cmd->summary[0]), cmd->summary + 1);
	fputs("\noptions:\n", f);
	for (size_t i = 0; i < cmd->n_options; i++)
		cli_print_option(f, &cmd->options[i], "");
	cli_print_option(f, &(struct cli_option){ .name = "-h, --help", .help = "this help" }, "");
	fputs("\nglobal options (before or after the command):\n", f);
	char ignored[128];
	size_t k = 0;
	ignored[0] = '\0';
	for (int g = 0; g < CLI_GLOBALS_N; g++)
		if (cmd->globals_used & CLI_USES(g))
			cli_print_option(f, &CLI_GLOBALS[g], "");
		else if (k < sizeof ignored)
			k += (size_t)snprintf(ignored + k, sizeof ignored - k, "%s%s",
					      k ? ", " : "", CLI_GLOBALS[g].name);
	if (k)
		fprintf(f, "  %s: accepted, no effect here\n", ignored);
	fputs("\nexit status:\n", f);
	cli_print_indented(f, cmd->exit_status, 2);
}

/* qldbtop help [COMMAND] */
static int cli_help_run(const struct cli_parsed *p)
{
	const struct cli_command *c = NULL;
	if (p->n_args == 1) {
		c = cli_find(CLI_COMMANDS, CLI_COMMANDS_N, p->args[0]);
		if (!c) {
			char err[CLI_ERR_MAX];
			cli_unknown_command(CLI_COMMANDS, CLI_COMMANDS_N, p->args[0], err,
					    sizeof err);
			return cli_usage_error(p->cmd, "%s", err);
		}
	}
	cli_help_print(stdout, CLI_COMMANDS, CLI_COMMANDS_N, c);
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* ---- errors and dispatch ---------------------------------------------------- */

static void cli_vusage(const struct cli_command *cmd, const char *fmt, va_list ap)
{
	bool named = cmd && !cmd->is_default;
	fprintf(stderr, "qldbtop: %s%s", named ? cmd->name : "", named ? ": " : "");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see qldbtop %s%s--help)\n", cmd ? cmd->name : "", cmd ? " " : "");
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vusage(cmd, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

int cli_main(int argc, char **argv)
{
	static struct cli_parsed p; /* borrowed by the command until it returns */
	char err[CLI_ERR_MAX];
	switch (cli_parse_line(CLI_COMMANDS, CLI_COMMANDS_N, argc, argv, &p, err, sizeof err)) {
	case CLI_ERROR:
		return cli_usage_error(p.cmd, "%s", err);
	case CLI_HELP:
		cli_help_print(stdout, CLI_COMMANDS, CLI_COMMANDS_N, p.cmd);
		return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	case CLI_VERSION:
		printf("qldbtop %s\n", QLDBTOP_VERSION);
		return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	return p.cmd->run(&p);
}
