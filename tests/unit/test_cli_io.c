/*
 * test_cli_io.c - the shared command-line pieces: cli_file_read gives the
 * whole file NUL-terminated, or one line naming the file (missing, not a
 * regular file, over the limit); cli_global_kind knows every global option
 * of DESIGN.md's command line and whether it takes a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/cli_global.h"
#include "tui/cli_io.h"

/* A temporary file holding text; its path is written into path. */
static void temp_file(char *path, size_t cap, const char *text)
{
	snprintf(path, cap, "/tmp/qldbtop-test-cli-io-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

static void test_file_read_returns_whole_file_nul_terminated(void **state)
{
	(void)state;
	char path[64], why[128] = "";
	temp_file(path, sizeof path, "{\"Digest\":1}");
	size_t len = 0;
	char *p = cli_file_read(path, 1024, "too large", &len, why, sizeof why);
	unlink(path);
	assert_non_null(p);
	assert_int_equal(len, 12);
	assert_string_equal(p, "{\"Digest\":1}");
	free(p);
}

static void test_file_read_names_the_file_in_one_line(void **state)
{
	(void)state;
	char why[256], want[256], path[64];
	size_t len = 0;
	assert_null(cli_file_read("/nonexistent/qldbtop.json", 1024, "too large", &len, why,
				  sizeof why));
	assert_string_equal(why, "/nonexistent/qldbtop.json: No such file or directory");
	assert_null(cli_file_read("/tmp", 1024, "too large", &len, why, sizeof why));
	assert_string_equal(why, "/tmp: not a regular file");
	temp_file(path, sizeof path, "12345");
	char *p = cli_file_read(path, 5, "too large", &len, why, sizeof why); /* at the limit */
	assert_non_null(p);
	free(p);
	p = cli_file_read(path, 4, "larger than 4 bytes", &len, why, sizeof why);
	unlink(path);
	assert_null(p);
	snprintf(want, sizeof want, "%s: larger than 4 bytes", path);
	assert_string_equal(why, want);
	assert_null(strchr(why, '\n'));
}

static void test_global_kind_knows_every_global_option(void **state)
{
	(void)state;
	static const char *const WITH_VALUE[] = { "--profile", "--region",   "--endpoint-url",
						  "--ledger",  "--interval", "--theme",
						  "--log",     "--scenario" };
	for (size_t i = 0; i < sizeof WITH_VALUE / sizeof WITH_VALUE[0]; i++)
		assert_int_equal(cli_global_kind(WITH_VALUE[i]), CLI_GLOBAL_WITH_VALUE);
	assert_int_equal(cli_global_kind("--no-color"), CLI_GLOBAL_FLAG);
	assert_int_equal(cli_global_kind("--ascii"), CLI_GLOBAL_FLAG);
	assert_int_equal(cli_global_kind("--digest"), CLI_GLOBAL_NONE);
	assert_int_equal(cli_global_kind("--region=eu-west-1"), CLI_GLOBAL_NONE);
	assert_int_equal(cli_global_kind("region"), CLI_GLOBAL_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_read_returns_whole_file_nul_terminated),
		cmocka_unit_test(test_file_read_names_the_file_in_one_line),
		cmocka_unit_test(test_global_kind_knows_every_global_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
