/*
 * test_log.c - redaction (registered secrets and the header and key
 * patterns), the log file's lines (timestamp, level, filtering), its
 * refusal of what is not a regular file, and whole lines from threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/log.h"

#define R LOG_REDACTED

static void expect_redacted(const char *in, const char *want)
{
	static const char *const secrets[] = { "wJalrXUtnFEMI/K7MDENG", "FQoGZXIvYXdzEJr" };
	char out[LOG_LINE_MAX];
	log_redact_with(in, out, sizeof out, secrets, 2);
	assert_string_equal(out, want);
}

static void test_a_registered_secret_is_redacted_anywhere_in_a_line(void **state)
{
	(void)state;
	expect_redacted("key wJalrXUtnFEMI/K7MDENG end", "key " R " end");
	expect_redacted("xxwJalrXUtnFEMI/K7MDENGyy", "xx" R "yy");
	expect_redacted("tok=FQoGZXIvYXdzEJr;", "tok=" R ";");
	expect_redacted("no secret here", "no secret here");
}

static void test_the_authorization_header_is_redacted_to_the_end_of_the_line(void **state)
{
	(void)state;
	expect_redacted("> Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/"
			"qldb/aws4_request, SignedHeaders=host, Signature=0123abcd",
			"> Authorization: " R);
	expect_redacted("authorization:   Bearer x", "authorization:   " R);
}

static void test_token_and_signature_values_are_redacted_in_headers_and_queries(void **state)
{
	(void)state;
	expect_redacted("x-amz-security-token: IQoJb3Jp", "x-amz-security-token: " R);
	expect_redacted("a?X-Amz-Security-Token=IQo%2Fx&b=1", "a?X-Amz-Security-Token=" R "&b=1");
	expect_redacted(
		"Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
		"Signature=" R);
	expect_redacted("&X-Amz-Signature=abc&", "&X-Amz-Signature=" R "&");
}

static void test_credential_file_and_json_keys_are_redacted(void **state)
{
	(void)state;
	expect_redacted("aws_secret_access_key = abcdEFGH1234", "aws_secret_access_key = " R);
	expect_redacted("AWS_SESSION_TOKEN=zzzz", "AWS_SESSION_TOKEN=" R);
	expect_redacted("{\"SecretAccessKey\": \"abcd\", \"x\": 1}",
			"{\"SecretAccessKey\": \"" R "\", \"x\": 1}");
	/* the bare word is not a key with a value */
	expect_redacted("set aws_secret_access_key in the file",
			"set aws_secret_access_key in the file");
}

static void test_the_longest_matching_secret_wins(void **state)
{
	(void)state;
	static const char *const secrets[] = { "abcd", "abcdefgh" };
	char out[64];
	log_redact_with("<abcdefgh>", out, sizeof out, secrets, 2);
	assert_string_equal(out, "<" R ">");
}

static void test_short_secrets_are_ignored_and_control_characters_become_spaces(void **state)
{
	(void)state;
	static const char *const secrets[] = { "ab", "" };
	char out[64];
	log_redact_with("ab\ncd\te", out, sizeof out, secrets, 2);
	assert_string_equal(out, "ab cd e");
}

static void test_a_small_buffer_is_cut_and_terminated(void **state)
{
	(void)state;
	char out[8];
	memset(out, 'Z', sizeof out);
	static const char *const secrets[] = { "SECRETVALUE" };
	log_redact_with("xx SECRETVALUE yy", out, sizeof out, secrets, 1);
	assert_int_equal(strlen(out), 7);
	assert_null(strstr(out, "SECR"));
	log_redact_with("Authorization: x", out, 1, NULL, 0);
	assert_string_equal(out, "");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void temp_path(char *buf, size_t cap)
{
	snprintf(buf, cap, "/tmp/test_log.XXXXXX");
	int fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static void test_lines_have_time_level_and_secrets_redacted(void **state)
{
	(void)state;
	char path[64], err[256];
	temp_path(path, sizeof path);
	assert_int_equal(log_open(path, "info", err, sizeof err), 0);
	log_add_secret("the-secret-key-0123");
	log_msg(LOG_WARN, "GetDigest: refused with the-secret-key-0123 in it");
	log_msg(LOG_DEBUG, "debug is below info");
	log_close();
	char *text = slurp(path);
	unlink(path);
	assert_null(strstr(text, "the-secret-key-0123"));
	assert_null(strstr(text, "debug is below"));
	/* 2026-12-05T17:30:00.123Z warn  GetDigest: refused with <redacted> in it */
	int y, mo, d, h, mi, s, ms;
	char lvl[8];
	assert_int_equal(sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ %7s", &y, &mo, &d, &h, &mi, &s,
				&ms, lvl),
			 8);
	assert_string_equal(lvl, "warn");
	assert_non_null(strstr(text, "refused with " R " in it\n"));
	assert_int_equal(strchr(text, '\n') - text + 1, (long)strlen(text)); /* one line */
}

static void test_the_level_comes_from_its_variable_and_a_bad_one_is_an_error(void **state)
{
	(void)state;
	char path[64], err[256];
	temp_path(path, sizeof path);
	assert_int_equal(log_open(path, "bogus", err, sizeof err), -1);
	assert_non_null(strstr(err, "QLDBTOP_LOG_LEVEL"));
	assert_int_equal(log_open(path, "DEBUG", err, sizeof err), 0);
	assert_true(log_enabled(LOG_DEBUG));
	log_close();
	assert_int_equal(log_open(path, "error", err, sizeof err), 0);
	assert_false(log_enabled(LOG_WARN));
	assert_true(log_enabled(LOG_ERROR));
	log_close();
	assert_false(log_enabled(LOG_ERROR)); /* closed: nothing is written */
	assert_int_equal(log_open(path, "info", err, sizeof err), 0);
	log_close();
	unlink(path);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("warning"), -1);
}

static void test_a_directory_or_fifo_is_refused(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(log_open("/tmp", NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "--log /tmp"));
	char fifo[] = "/tmp/test_log_fifo.XXXXXX";
	int fd = mkstemp(fifo);
	close(fd);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(log_open(fifo, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, fifo)); /* no reader: refused at once, not a hang */
	unlink(fifo);
}

#define LOG_THREADS 4
#define LOG_LINES 300

static void *writer(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < LOG_LINES; i++)
		log_msg(LOG_INFO, "thread %ld line %d %s", id, i,
			"padding-padding-padding-padding-padding-padding-padding-padding");
	return NULL;
}

static void test_lines_from_threads_are_never_interleaved(void **state)
{
	(void)state;
	char path[64], err[256];
	temp_path(path, sizeof path);
	assert_int_equal(log_open(path, NULL, err, sizeof err), 0);
	pthread_t t[LOG_THREADS];
	for (long i = 0; i < LOG_THREADS; i++)
		pthread_create(&t[i], NULL, writer, (void *)i);
	for (int i = 0; i < LOG_THREADS; i++)
		pthread_join(t[i], NULL);
	log_close();
	char *text = slurp(path);
	unlink(path);
	int lines = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		long id;
		int n;
		char tail[80];
		assert_int_equal(sscanf(strstr(line, " thread ") + 1, "thread %ld line %d %79s",
					&id, &n, tail),
				 3);
		assert_string_equal(tail, "padding-padding-padding-padding-padding-padding-padding-"
					  "padding");
		lines++;
	}
	assert_int_equal(lines, LOG_THREADS * LOG_LINES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_registered_secret_is_redacted_anywhere_in_a_line),
		cmocka_unit_test(test_the_authorization_header_is_redacted_to_the_end_of_the_line),
		cmocka_unit_test(
			test_token_and_signature_values_are_redacted_in_headers_and_queries),
		cmocka_unit_test(test_credential_file_and_json_keys_are_redacted),
		cmocka_unit_test(test_the_longest_matching_secret_wins),
		cmocka_unit_test(
			test_short_secrets_are_ignored_and_control_characters_become_spaces),
		cmocka_unit_test(test_a_small_buffer_is_cut_and_terminated),
		cmocka_unit_test(test_lines_have_time_level_and_secrets_redacted),
		cmocka_unit_test(test_the_level_comes_from_its_variable_and_a_bad_one_is_an_error),
		cmocka_unit_test(test_a_directory_or_fifo_is_refused),
		cmocka_unit_test(test_lines_from_threads_are_never_interleaved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
