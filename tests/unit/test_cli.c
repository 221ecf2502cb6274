/*
 * test_cli.c - the command-line parser on qldbtop's command table (and on
 * a small table of its own for what no command uses yet): both value
 * forms, missing values, flags given values, unknown options echoed
 * without their value, secret values never echoed, positional counts,
 * globals before and after the command, help, and the table's own
 * consistency (names, sizes, help width).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/cli.h"

#define ARGV_MAX 64
#define LINE_MAX_BYTES 1024
#define SECRET "TOPSECRET"

static struct cli_parsed p;
static char err[CLI_ERR_MAX];

/* Parse a space-separated command line, "qldbtop" prepended. */
static enum cli_action parse(const char *line)
{
	static char buf[LINE_MAX_BYTES];
	static char *argv[ARGV_MAX];
	int argc = 0;
	snprintf(buf, sizeof buf, "%s", line);
	argv[argc++] = "qldbtop";
	for (char *t = strtok(buf, " "); t && argc < ARGV_MAX; t = strtok(NULL, " "))
		argv[argc++] = t;
	return cli_parse_line(CLI_COMMANDS, CLI_COMMANDS_N, argc, argv, &p, err, sizeof err);
}

/* The line fails with exactly this message. */
static void expect_error(const char *line, const char *want)
{
	enum cli_action a = parse(line);
	if (a != CLI_ERROR || strcmp(err, want) != 0)
		fail_msg("'%s': action %d, error '%s', wanted '%s'", line, a, err, want);
	assert_null(strchr(err, '\n'));
}

static void test_both_value_forms_give_the_same_value(void **state)
{
	(void)state;
	assert_int_equal(parse("serve --listen 127.0.0.1:0"), CLI_RUN);
	assert_string_equal(cli_value(&p, SERVE_OPT_LISTEN), "127.0.0.1:0");
	assert_int_equal(parse("serve --listen=127.0.0.1:0"), CLI_RUN);
	assert_string_equal(cli_value(&p, SERVE_OPT_LISTEN), "127.0.0.1:0");
	assert_string_equal(cli_get(&p, "--listen"), "127.0.0.1:0");
	/* "=" in the value form: only the first '=' splits */
	assert_int_equal(parse("serve --access-key-id=a=b --secret-access-key k"), CLI_RUN);
	assert_string_equal(cli_value(&p, SERVE_OPT_ACCESS_KEY_ID), "a=b");
	assert_string_equal(cli_value(&p, SERVE_OPT_SECRET_ACCESS_KEY), "k");
	assert_int_equal(parse("verify-export d --jobs=3 --json"), CLI_RUN);
	assert_int_equal(cli_num(&p, VEXPORT_OPT_JOBS), 3);
	assert_true(cli_flag(&p, "--json"));
	assert_null(cli_get(&p, "--digest"));
}

static void test_a_value_starting_with_dashes_is_a_missing_value(void **state)
{
	(void)state;
	expect_error("serve --listen", "--listen needs a value (HOST:PORT)");
	expect_error("serve --listen --region r", "--listen needs a value (HOST:PORT)");
	expect_error("verify-proof r --digest --json", "--digest needs a value (DIGEST.json)");
	expect_error("serve --listen=", "--listen needs a non-empty value");
	/* one dash is a value ("-" is standard input for some options) */
	assert_int_equal(parse("verify-proof r --digest -"), CLI_RUN);
	assert_string_equal(cli_value(&p, VPROOF_OPT_DIGEST), "-");
}

static void test_a_flag_given_a_value_is_an_error(void **state)
{
	(void)state;
	expect_error("verify-export d --json=yes", "--json takes no value");
	expect_error("serve --no-color=" SECRET, "--no-color takes no value");
	expect_error("--no-color=1", "--no-color takes no value");
}

static void test_unknown_options_are_echoed_without_their_value(void **state)
{
	(void)state;
	expect_error("serve --secret-acces-key=" SECRET,
		     "unknown option '--secret-acces-key'; did you mean '--secret-access-key'?");
	expect_error("serve --secret-acces-key " SECRET,
		     "unknown option '--secret-acces-key'; did you mean '--secret-access-key'?");
	expect_error("serve --frobnicate=" SECRET, "unknown option '--frobnicate'");
	expect_error("ionhash -q", "unknown option '-q'");
	/* a long name is cut */
	expect_error("serve --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
		     "unknown option '--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

/* Every way a secret option can go wrong: its value is in no message. */
static void test_a_secret_value_is_never_in_an_error(void **state)
{
	(void)state;
	static const char *const LINES[] = {
		"serve --secret-access-key=" SECRET " --secret-access-key=" SECRET,
		"serve --secret-access-key " SECRET " --secret-access-key " SECRET,
		"serve --secret-access-key=" SECRET " --bogus",
		"serve --secret-access-key=" SECRET " --listen",
		"serve --secret-access-key=" SECRET " --no-color=x",
		"serve --secret-acces-key=" SECRET,
		"serve --secret-access-keyy=" SECRET,
		"--secret-access-key=" SECRET " serve",
		"serve --secret-access-key=" SECRET " -- x",
	};
	for (size_t i = 0; i < sizeof LINES / sizeof LINES[0]; i++) {
		if (parse(LINES[i]) != CLI_ERROR)
			fail_msg("'%s' parsed", LINES[i]);
		if (strstr(err, SECRET))
			fail_msg("'%s': error '%s' holds the secret", LINES[i], err);
	}
}

/* serve's world and key options reach the command as given (their values
 * are checked by cmd_serve: tests/integration/serve_hardening.sh). */
static void test_serve_takes_seed_rate_data_dir_and_credentials_file(void **state)
{
	(void)state;
	assert_int_equal(parse("serve --seed 18446744073709551615 --rate=0.5 --data-dir d "
			       "--credentials-file=c"),
			 CLI_RUN);
	assert_string_equal(cli_value(&p, SERVE_OPT_SEED), "18446744073709551615");
	assert_string_equal(cli_value(&p, SERVE_OPT_RATE), "0.5");
	assert_string_equal(cli_value(&p, SERVE_OPT_DATA_DIR), "d");
	assert_string_equal(cli_value(&p, SERVE_OPT_CREDENTIALS_FILE), "c");
	assert_null(cli_value(&p, SERVE_OPT_ACCESS_KEY_ID));
	expect_error("serve --seed", "--seed needs a value (N)");
	expect_error("serve --rate=", "--rate needs a non-empty value");
	expect_error("serve --data-dir --seed 1", "--data-dir needs a value (DIR)");
	expect_error("serve --credentials-file", "--credentials-file needs a value (FILE)");
	expect_error("serve --seed 1 --seed 2", "--seed given more than once");
	expect_error("serve --credentials-file a --credentials-file b",
		     "--credentials-file given more than once");
}

/* The secret's help sends users to the file and the environment, and the
 * only secret option of serve is the secret. */
static void test_serve_secret_help_points_away_from_the_command_line(void **state)
{
	(void)state;
	const struct cli_command *serve = NULL;
	for (size_t i = 0; i < CLI_COMMANDS_N; i++)
		if (strcmp(CLI_COMMANDS[i].name, "serve") == 0)
			serve = &CLI_COMMANDS[i];
	assert_non_null(serve);
	const struct cli_option *o = &serve->options[SERVE_OPT_SECRET_ACCESS_KEY];
	assert_string_equal(o->name, "--secret-access-key");
	assert_non_null(strstr(o->help, "/proc"));
	assert_non_null(strstr(o->help, "--credentials-file"));
	for (size_t i = 0; i < serve->n_options; i++)
		assert_int_equal(serve->options[i].secret, i == SERVE_OPT_SECRET_ACCESS_KEY);
	assert_non_null(strstr(serve->description, "QLDBTOP_SERVE_ACCESS_KEY_ID"));
	assert_non_null(strstr(serve->description, "QLDBTOP_SERVE_SECRET_ACCESS_KEY"));
}

static void test_positional_counts_are_checked(void **state)
{
	(void)state;
	assert_int_equal(parse("ionhash"), CLI_RUN);
	assert_int_equal(p.n_args, 0);
	assert_int_equal(parse("ionhash f"), CLI_RUN);
	assert_string_equal(p.args[0], "f");
	expect_error("ionhash a b", "takes at most 1 argument, got 'b' too");
	expect_error("serve extra", "takes no arguments, got 'extra'");
	expect_error("verify-proof --digest d",
		     "missing argument; usage: qldbtop verify-proof RESPONSE.json --digest "
		     "DIGEST.json");
	expect_error("verify-proof r", "--digest DIGEST.json is required");
	expect_error("verify-proof a b --digest d", "takes at most 1 argument, got 'b' too");
	expect_error("verify-export", "missing argument; usage: qldbtop verify-export PATH... "
				      "[--digest FILE] [--jobs N] [--json]");
	assert_int_equal(parse("verify-export a --json b c"), CLI_RUN);
	assert_int_equal(p.n_args, 3);
	assert_string_equal(p.args[2], "c");
	expect_error("extra", "unknown command 'extra'");
	expect_error("--demo extra", "unknown command 'extra'");
	expect_error("--demo serve", "command 'serve' after the dashboard's options (only "
				     "global options may precede a command)");
}

static void test_verify_export_takes_up_to_the_argument_limit(void **state)
{
	(void)state;
	static char *argv[CLI_ARGS_MAX + 3];
	argv[0] = "qldbtop";
	argv[1] = "verify-export";
	for (int i = 0; i <= CLI_ARGS_MAX; i++)
		argv[2 + i] = "d";
	assert_int_equal(cli_parse_line(CLI_COMMANDS, CLI_COMMANDS_N, CLI_ARGS_MAX + 2, argv, &p,
					err, sizeof err),
			 CLI_RUN);
	assert_int_equal(p.n_args, CLI_ARGS_MAX);
	assert_int_equal(cli_parse_line(CLI_COMMANDS, CLI_COMMANDS_N, CLI_ARGS_MAX + 3, argv, &p,
					err, sizeof err),
			 CLI_ERROR);
}

static void test_double_dash_ends_the_options(void **state)
{
	(void)state;
	assert_int_equal(parse("ionhash -- --help"), CLI_RUN);
	assert_string_equal(p.args[0], "--help");
	assert_int_equal(parse("ionhash -"), CLI_RUN);
	assert_string_equal(p.args[0], "-");
	expect_error("ionhash -- a b", "takes at most 1 argument, got 'b' too");
}

static void test_globals_before_and_after_the_command(void **state)
{
	(void)state;
	assert_int_equal(parse("--region us-east-1 serve --help"), CLI_HELP);
	assert_string_equal(p.cmd->name, "serve");
	assert_int_equal(parse("serve --region us-east-1 --help"), CLI_HELP);
	assert_string_equal(p.cmd->name, "serve");
	assert_int_equal(parse("--region=r1 --no-color serve --listen :0"), CLI_RUN);
	assert_string_equal(p.global[CLI_GLOBAL_REGION], "r1");
	assert_non_null(p.global[CLI_GLOBAL_NO_COLOR]);
	assert_null(p.global[CLI_GLOBAL_ENDPOINT_URL]);
	assert_int_equal(parse("verify-proof r --digest d --endpoint-url=http://h --log l"),
			 CLI_RUN);
	assert_string_equal(p.global[CLI_GLOBAL_ENDPOINT_URL], "http://h");
	assert_string_equal(p.global[CLI_GLOBAL_LOG], "l");
	assert_int_equal(parse("--region r --demo"), CLI_RUN);
	assert_true(p.cmd->is_default);
	assert_string_equal(p.global[CLI_GLOBAL_REGION], "r");
	expect_error("--region a serve --region b", "--region given more than once");
	expect_error("--region", "--region needs a value (R)");
	assert_null(p.cmd); /* before any command */
}

static void test_help_version_and_unknown_commands(void **state)
{
	(void)state;
	assert_int_equal(parse("--help"), CLI_HELP);
	assert_null(p.cmd);
	assert_int_equal(parse("-h"), CLI_HELP);
	assert_int_equal(parse("--version"), CLI_VERSION);
	for (size_t i = 0; i < CLI_COMMANDS_N; i++) {
		char line[64];
		snprintf(line, sizeof line, "%s --help", CLI_COMMANDS[i].name);
		assert_int_equal(parse(line), CLI_HELP);
		assert_ptr_equal(p.cmd, &CLI_COMMANDS[i]);
		snprintf(line, sizeof line, "%s -h", CLI_COMMANDS[i].name);
		assert_int_equal(parse(line), CLI_HELP);
	}
	assert_int_equal(parse("--demo --help"), CLI_HELP);
	assert_true(p.cmd->is_default);
	assert_int_equal(parse("help serve"), CLI_RUN);
	assert_string_equal(p.args[0], "serve");
	expect_error("verify-exprot d", "unknown command 'verify-exprot'; did you mean "
					"'verify-export'?");
	expect_error("frobnicate", "unknown command 'frobnicate'");
}

/* A table of its own for what no qldbtop command uses yet. */
static const struct cli_option T_OPTIONS[] = {
	{ .name = "--tag", .metavar = "T", .help = "a tag", .repeat = true },
	{ .name = "--pin", .metavar = "N", .help = "a pin", .secret = true, .min = 0, .max = 99 },
	{ .name = "--neg", .metavar = "N", .help = "negative", .min = -5, .max = -1 },
};
static const struct cli_command T_CMD = {
	.name = "t",
	.synopsis_args = "[--tag T]...",
	.summary = "test",
	.exit_status = "0  ok\n",
	.options = T_OPTIONS,
	.n_options = 3,
};

static enum cli_action parse_t(int argc, char **argv)
{
	return cli_parse(&T_CMD, argc, argv, &p, err, sizeof err);
}

static void test_repeatable_and_numeric_options(void **state)
{
	(void)state;
	char *a1[] = { "--tag", "x", "--tag=y", "--neg", "-3", "--tag", "z" };
	assert_int_equal(parse_t(7, a1), CLI_RUN);
	assert_int_equal(p.count[0], 3);
	assert_string_equal(cli_value(&p, 0), "z");
	assert_string_equal(cli_nth(&p, 0, 0), "x");
	assert_string_equal(cli_nth(&p, 0, 1), "y");
	assert_string_equal(cli_nth(&p, 0, 2), "z");
	assert_null(cli_nth(&p, 0, 3));
	assert_int_equal(cli_num(&p, 2), -3);
	/* a secret number out of range: the value is not echoed */
	char *a2[] = { "--pin=1234" };
	assert_int_equal(parse_t(1, a2), CLI_ERROR);
	assert_string_equal(err, "--pin wants an integer 0..99");
	char *a3[] = { "--neg", "-0" };
	assert_int_equal(parse_t(2, a3), CLI_ERROR);
	assert_string_equal(err, "--neg wants an integer -5..-1, got '-0'");
	char *a4[] = { "x" };
	assert_int_equal(parse_t(1, a4), CLI_ERROR);
	assert_string_equal(err, "takes no arguments, got 'x'");
}

/* Write help into a string (caller frees). */
static char *help_text(const struct cli_command *cmd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	cli_help_print(f, CLI_COMMANDS, CLI_COMMANDS_N, cmd);
	fclose(f);
	return buf;
}

static void test_help_comes_from_the_table(void **state)
{
	(void)state;
	char *all = help_text(NULL);
	for (size_t i = 0; i < CLI_COMMANDS_N; i++) {
		assert_non_null(strstr(all, CLI_COMMANDS[i].synopsis_args));
		assert_non_null(strstr(all, CLI_COMMANDS[i].summary));
	}
	for (int g = 0; g < CLI_GLOBALS_N; g++)
		assert_non_null(strstr(all, CLI_GLOBALS[g].name));
	static const char *const EXITS[] = { "\n  0  ", "\n  1  ", "\n  2  ", "\n  3  " };
	for (size_t i = 0; i < 4; i++)
		assert_non_null(strstr(all, EXITS[i]));
	free(all);
	for (size_t i = 0; i < CLI_COMMANDS_N; i++) {
		const struct cli_command *c = &CLI_COMMANDS[i];
		char *h = help_text(c);
		assert_non_null(strstr(h, c->name));
		assert_non_null(strstr(h, "exit status:"));
		assert_non_null(strstr(h, "\n  2  "));
		for (size_t k = 0; k < c->n_options; k++)
			assert_non_null(strstr(h, c->options[k].name));
		free(h);
	}
}

/* The table itself: sizes within the parser's limits, one default, names
 * unique (a command's option never shadows a global), and every help line
 * fits beside the option column. */
static void test_the_table_is_consistent(void **state)
{
	(void)state;
	int defaults = 0;
	for (size_t i = 0; i < CLI_COMMANDS_N; i++) {
		const struct cli_command *c = &CLI_COMMANDS[i];
		defaults += c->is_default;
		assert_true(c->n_options <= CLI_OPTIONS_MAX);
		assert_true(c->min_args <= c->max_args && c->max_args <= CLI_ARGS_MAX);
		assert_non_null(c->run);
		assert_non_null(c->synopsis_args);
		assert_non_null(c->summary);
		assert_non_null(c->exit_status);
		for (size_t j = i + 1; j < CLI_COMMANDS_N; j++)
			assert_string_not_equal(c->name, CLI_COMMANDS[j].name);
		for (size_t k = 0; k < c->n_options; k++) {
			const struct cli_option *o = &c->options[k];
			assert_int_equal(strncmp(o->name, "--", 2), 0);
			assert_null(strchr(o->name, '='));
			for (size_t m = k + 1; m < c->n_options; m++)
				assert_string_not_equal(o->name, c->options[m].name);
			for (int g = 0; g < CLI_GLOBALS_N; g++)
				assert_string_not_equal(o->name, CLI_GLOBALS[g].name);
			assert_true(!o->repeat || k < 256);
			for (const char *l = o->help; *l;) {
				const char *nl = strchr(l, '\n');
				size_t len = nl ? (size_t)(nl - l) : strlen(l);
				if (len > 52)
					fail_msg("%s %s: help line of %zu chars", c->name, o->name,
						 len);
				l += len + (nl != NULL);
			}
		}
	}
	assert_int_equal(defaults, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_value_forms_give_the_same_value),
		cmocka_unit_test(test_a_value_starting_with_dashes_is_a_missing_value),
		cmocka_unit_test(test_a_flag_given_a_value_is_an_error),
		cmocka_unit_test(test_unknown_options_are_echoed_without_their_value),
		cmocka_unit_test(test_a_secret_value_is_never_in_an_error),
		cmocka_unit_test(test_serve_takes_seed_rate_data_dir_and_credentials_file),
		cmocka_unit_test(test_serve_secret_help_points_away_from_the_command_line),
		cmocka_unit_test(test_positional_counts_are_checked),
		cmocka_unit_test(test_verify_export_takes_up_to_the_argument_limit),
		cmocka_unit_test(test_double_dash_ends_the_options),
		cmocka_unit_test(test_globals_before_and_after_the_command),
		cmocka_unit_test(test_help_version_and_unknown_commands),
		cmocka_unit_test(test_repeatable_and_numeric_options),
		cmocka_unit_test(test_help_comes_from_the_table),
		cmocka_unit_test(test_the_table_is_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
