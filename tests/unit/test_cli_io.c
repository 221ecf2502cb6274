/*
 * test_cli_io.c - the shared command-line pieces: cli_file_read gives the
 * whole file NUL-terminated, or one line naming the file (missing, not a
 * regular file, over the limit); a FIFO is refused at once, never waited
 * on; O_NOFOLLOW refuses a link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/cli_io.h"

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
	assert_string_equal(why, "/tmp: is a folder, not a file");
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

static void test_fifo_is_refused_at_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/qldbtop-test-fifo-XXXXXX", path[64], why[256], want[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/object.ion", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	size_t len = 0;
	/* no writer: a blocking open would wait for ever */
	char *p = cli_file_read(path, 1024, "too large", &len, why, sizeof why);
	int fd = cli_file_open(path, 0, NULL, why, sizeof why);
	unlink(path);
	rmdir(dir);
	assert_null(p);
	assert_int_equal(fd, -1);
	snprintf(want, sizeof want, "%s: not a regular file", path);
	assert_string_equal(why, want);
}

static void test_open_nofollow_refuses_a_link(void **state)
{
	(void)state;
	char path[64], link[80], why[256];
	temp_file(path, sizeof path, "x");
	snprintf(link, sizeof link, "%s.link", path);
	assert_int_equal(symlink(path, link), 0);
	uint64_t size = 0;
	int fd = cli_file_open(link, O_NOFOLLOW, &size, why, sizeof why);
	int fd2 = cli_file_open(path, O_NOFOLLOW, &size, why, sizeof why);
	unlink(link);
	unlink(path);
	assert_int_equal(fd, -1);
	assert_true(fd2 >= 0);
	assert_int_equal(size, 1);
	close(fd2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_read_returns_whole_file_nul_terminated),
		cmocka_unit_test(test_file_read_names_the_file_in_one_line),
		cmocka_unit_test(test_fifo_is_refused_at_once),
		cmocka_unit_test(test_open_nofollow_refuses_a_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
