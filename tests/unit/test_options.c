/*
 * test_options.c - the dashboard's option table: every option in both
 * "--name value" and "--name=value" forms, defaults (5 s, 2 s for the
 * demo), and one-line errors for unknown options, missing or bad values
 * and stray arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tui/options.h"

#define ARGV_MAX 32

/* Split a space-separated command line (no quoting needed here). */
static int parse_line(const char *line, struct dash_options *o, char *err, size_t cap)
{
	static char buf[512];
	char *argv[ARGV_MAX];
	int argc = 0;
	strncpy(buf, line, sizeof buf - 1);
	argv[argc++] = "qldbtop";
	for (char *t = strtok(buf, " "); t && argc < ARGV_MAX; t = strtok(NULL, " "))
		argv[argc++] = t;
	return options_parse(argc, argv, o, err, cap);
}

static void test_defaults_without_arguments(void **state)
{
	(void)state;
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("", &o, err, sizeof err), 0);
	assert_int_equal(o.interval_s, 5);
	assert_false(o.demo);
	assert_null(o.endpoint_url);
	assert_null(o.ledger);
}

static void test_every_option_in_both_forms(void **state)
{
	(void)state;
	static const char *const LINES[] = {
		"--endpoint-url http://h:1 --region eu-west-1 --ledger L --interval 7 --profile P "
		"--log /tmp/x --theme T --scenario S --no-color --ascii --demo",
		"--endpoint-url=http://h:1 --region=eu-west-1 --ledger=L --interval=7 --profile=P "
		"--log=/tmp/x --theme=T --scenario=S --no-color --ascii --demo",
	};
	for (size_t i = 0; i < 2; i++) {
		struct dash_options o;
		char err[OPTIONS_ERR_MAX];
		assert_int_equal(parse_line(LINES[i], &o, err, sizeof err), 0);
		assert_string_equal(o.endpoint_url, "http://h:1");
		assert_string_equal(o.region, "eu-west-1");
		assert_string_equal(o.ledger, "L");
		assert_int_equal(o.interval_s, 7);
		assert_string_equal(o.profile, "P");
		assert_string_equal(o.log_path, "/tmp/x");
		assert_string_equal(o.theme, "T");
		assert_string_equal(o.scenario, "S");
		assert_true(o.no_color && o.ascii && o.demo);
	}
}

static void test_demo_polls_every_two_seconds_unless_told(void **state)
{
	(void)state;
	struct dash_options o;
	char err[OPTIONS_ERR_MAX];
	assert_int_equal(parse_line("--demo", &o, err, sizeof err), 0);
	assert_int_equal(o.interval_s, 2);
	assert_int_equal(parse_line("--demo --interval 9", &o, err, sizeof err), 0);
	assert_int_equal(o.interval_s, 9);
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
		{ "extra", "unknown command 'extra'" },
		{ "--demo extra", "unknown command 'extra'" },
		{ "--region", "--region needs a value" },
		{ "--region --ledger x", "--region needs a value" },
		{ "--region=", "--region needs a non-empty value" },
		{ "--interval 0", "--interval must be 1..3600 seconds, got '0'" },
		{ "--interval 3601", "--interval must be 1..3600 seconds, got '3601'" },
		{ "--interval -5", "--interval must be 1..3600 seconds, got '-5'" },
		{ "--interval 5s", "--interval must be 1..3600 seconds, got '5s'" },
		{ "--no-color=yes", "--no-color takes no value" },
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
		cmocka_unit_test(test_errors_are_one_line_naming_the_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
