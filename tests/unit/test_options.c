/*
 * test_options.c - the dashboard's settings from its command line (the
 * "dashboard" entry of tui/cli.c's table, then tui/options.c): every
 * option in both "--name value" and "--name=value" forms, globals before
 * and after, defaults (5 s, 2 s for the demo), the options that were
 * removed until they work, and one-line errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tui/cli.h"
#include "tui/options.h"

#define ARGV_MAX 32

static struct cli_parsed parsed;

/* Parse a space-separated command line (no quoting needed here) as the
 * program does, then take the dashboard's settings. Returns 0, or -1 with
 * the one-line reason in err. */
static int parse_line(const char *line, struct dash_options *o, char *err, size_t cap)
{
	static char buf[512];
	char *argv[ARGV_MAX];
	int argc = 0;
	strncpy(buf, line, sizeof buf - 1);
	argv[argc++] = "qldbtop";
	for (char *t = strtok(buf, " "); t && argc < ARGV_MAX; t = strtok(NULL, " "))
		argv[argc++] = t;
	enum cli_action a =
		cli_parse_line(CLI_COMMANDS, CLI_COMMANDS_N, argc, argv, &parsed, err, cap);
	if (a != CLI_RUN)
		return -1;
	assert_true(parsed.cmd->is_default);
	return options_from_cli(&parsed, o, err, cap);
}

static void test_defaults_without_arguments(void **state)
{
	(void)state;
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("", &o, err, sizeof err), 0);
	assert_int_equal(o.interval_s, 5);
	assert_false(o.demo || o.ascii || o.no_color || o.interval_given);
	assert_null(o.endpoint_url);
	assert_null(o.region);
	assert_null(o.ledger);
	assert_null(o.log_path);
}

static void test_every_option_in_both_forms(void **state)
{
	(void)state;
	static const char *const LINES[] = {
		"--endpoint-url http://h:1 --region eu-west-1 --ledger L --interval 7 "
		"--log /tmp/x --no-color --ascii",
		"--endpoint-url=http://h:1 --region=eu-west-1 --ledger=L --interval=7 "
		"--log=/tmp/x --no-color --ascii",
		"dashboard --endpoint-url http://h:1 --region eu-west-1 --ledger L --interval 7 "
		"--log /tmp/x --no-color --ascii",
		/* globals before the dashboard's own options, and after */
		"--region eu-west-1 --no-color --ledger=L --interval 7 --log /tmp/x --ascii "
		"--endpoint-url http://h:1",
	};
	for (size_t i = 0; i < sizeof LINES / sizeof LINES[0]; i++) {
		struct dash_options o;
		char err[OPTIONS_ERR_MAX];
		assert_int_equal(parse_line(LINES[i], &o, err, sizeof err), 0);
		assert_string_equal(o.endpoint_url, "http://h:1");
		assert_string_equal(o.region, "eu-west-1");
		assert_string_equal(o.ledger, "L");
		assert_int_equal(o.interval_s, 7);
		assert_true(o.interval_given);
		assert_string_equal(o.log_path, "/tmp/x");
		assert_true(o.no_color && o.ascii);
		assert_false(o.demo);
	}
}

static void test_demo_polls_every_two_seconds_unless_told(void **state)
{
	(void)state;
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("--demo", &o, err, sizeof err), 0);
	assert_true(o.demo);
	assert_int_equal(o.interval_s, 2);
	assert_int_equal(parse_line("--demo --interval 9", &o, err, sizeof err), 0);
	assert_int_equal(o.interval_s, 9);
}

/* --profile works (the credential chain) and reaches the options; a
 * removed option stays unknown, like any other. */
static void test_options_that_did_nothing_are_unknown(void **state)
{
	(void)state;
	struct dash_options ok;
	char ok_err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("--demo --scenario demo", &ok, ok_err, sizeof ok_err), 0);
	assert_int_equal(parse_line("--profile p", &ok, ok_err, sizeof ok_err), 0);
	assert_non_null(ok.profile);
	assert_string_equal(ok.profile, "p");
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("--color=t", &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown option "));
	assert_non_null(strstr(err, "'--color'"));
}

/* The settings a config file may also give reach the options as the
 * command line said them (tui/dash_config resolves them); a flag given
 * a value is refused. */
static void test_terminal_and_config_options(void **state)
{
	(void)state;
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(
		parse_line("--theme mono --config=/x/c --readonly --no-mouse", &o, err, sizeof err),
		0);
	assert_string_equal(o.theme, "mono");
	assert_string_equal(o.config_path, "/x/c");
	assert_true(o.readonly);
	assert_true(o.no_mouse);
	assert_false(o.ascii);
	assert_int_equal(parse_line("", &o, err, sizeof err), 0);
	assert_null(o.theme);
	assert_null(o.config_path);
	assert_false(o.readonly);
	assert_false(o.no_mouse);
	assert_int_equal(parse_line("--readonly=yes", &o, err, sizeof err), -1);
	assert_int_equal(parse_line("--no-mouse=1", &o, err, sizeof err), -1);
	assert_int_equal(parse_line("--theme", &o, err, sizeof err), -1);
	assert_int_equal(parse_line("--config", &o, err, sizeof err), -1);
}

static void test_errors_are_one_line_naming_the_problem(void **state)
{
	(void)state;
	static const struct {
		const char *line, *want;
	} CASES[] = {
		{ "--bogus", "unknown option '--bogus'" },
		{ "--bogus=1", "unknown option '--bogus'" },
		{ "-x", "unknown option '-x'" },
		{ "--intervall=5", "unknown option '--intervall'; did you mean '--interval'?" },
		{ "extra", "unknown command 'extra'" },
		{ "--demo extra", "unknown command 'extra'" },
		{ "--region", "--region needs a value (R)" },
		{ "--region --ledger x", "--region needs a value (R)" },
		{ "--ledger --demo", "--ledger needs a value (NAME)" },
		{ "--region=", "--region needs a non-empty value" },
		{ "--interval 0", "--interval wants an integer 1..3600, got '0'" },
		{ "--interval 3601", "--interval wants an integer 1..3600, got '3601'" },
		{ "--interval -5", "--interval wants an integer 1..3600, got '-5'" },
		{ "--interval 5s", "--interval wants an integer 1..3600, got '5s'" },
		{ "--interval +5", "--interval wants an integer 1..3600, got '+5'" },
		{ "--no-color=yes", "--no-color takes no value" },
		{ "--demo --demo", "--demo given more than once" },
		{ "--ledger bad/name", "--ledger 'bad/name' is not a valid ledger name" },
		{ "--demo --endpoint-url http://h:1",
		  "--demo and --endpoint-url cannot be used together" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct dash_options o;
		char err[OPTIONS_ERR_MAX];
		assert_int_equal(parse_line(CASES[i].line, &o, err, sizeof err), -1);
		assert_string_equal(err, CASES[i].want);
		assert_null(strchr(err, '\n'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_without_arguments),
		cmocka_unit_test(test_every_option_in_both_forms),
		cmocka_unit_test(test_demo_polls_every_two_seconds_unless_told),
		cmocka_unit_test(test_options_that_did_nothing_are_unknown),
		cmocka_unit_test(test_terminal_and_config_options),
		cmocka_unit_test(test_errors_are_one_line_naming_the_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
