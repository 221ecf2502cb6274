/*
 * test_api_ini.c - the AWS shared-file format as botocore reads it
 * (Python's configparser.RawConfigParser, strict, then botocore's profile
 * map). Expected values are written by hand from configparser's documented
 * rules; the cases marked "python" were also checked once against
 * Python 3.11's configparser by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/cred_profile.h"
#include "api/ini.h"

static int parse(const char *text, struct ini_file *f, struct api_error *e)
{
	return ini_parse(text, strlen(text), "/x/config", f, e);
}

static const char *get(const struct ini_file *f, const char *section, const char *key)
{
	return ini_value(f, ini_section(f, section), key);
}

static void test_sections_keys_and_case_rules(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("[default]\n"
			       "  aws_access_key_id=AKID  \n"
			       "Region = eu-west-1\n"
			       "output: json\n"
			       "[Dev]\n"
			       "region=us-west-2\n",
			       &f, &e),
			 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(get(&f, "default", "region"), "eu-west-1"); /* keys lower-cased */
	assert_null(get(&f, "default", "Region"));
	assert_string_equal(get(&f, "default", "aws_access_key_id"), "AKID"); /* stripped */
	assert_string_equal(get(&f, "default", "output"), "json");	      /* ':' splits too */
	assert_non_null(ini_section(&f, "Dev")); /* names keep their case */
	assert_null(ini_section(&f, "dev"));
	ini_free(&f);
}

static void test_first_delimiter_splits_and_values_keep_the_rest(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("[p]\n"
			       "credential_process = /bin/helper --opt=a:b\n"
			       "endpoint_url = http://127.0.0.1:9000\n"
			       "k = v # not a comment\n"
			       "empty =\n",
			       &f, &e),
			 0);
	assert_string_equal(get(&f, "p", "credential_process"), "/bin/helper --opt=a:b");
	assert_string_equal(get(&f, "p", "endpoint_url"), "http://127.0.0.1:9000");
	assert_string_equal(get(&f, "p", "k"), "v # not a comment"); /* no inline comments */
	assert_string_equal(get(&f, "p", "empty"), "");
	ini_free(&f);
}

static void test_comments_blank_lines_and_line_endings(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("# top comment\r\n"
			       "; another\r\n"
			       "\r\n"
			       "[a]\r\n"
			       "   # indented comment\r\n"
			       "x = 1\r\n"
			       "[b]\ry = 2\r",
			       &f, &e),
			 0);
	assert_string_equal(get(&f, "a", "x"), "1");
	assert_string_equal(get(&f, "b", "y"), "2"); /* a lone CR ends a line */
	assert_null(get(&f, "a", "# indented comment"));
	ini_free(&f);
}

/* python: {'p': {'k': 'v\ns3 =\nmax = 1', 'n': '\na = 1\n\nb = 2'}} */
static void test_continuation_and_nested_settings(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("[p]\n"
			       "k = v\n"
			       "  ; comment inside\n"
			       " s3 =\n"
			       "  max = 1\n"
			       "n =\n"
			       "  a = 1\n"
			       "\n"
			       "  b = 2\n"
			       "s3 =\n"
			       "    addressing_style = path\n"
			       "    Max_Concurrent_Requests = 20\n"
			       "region = eu-west-1\n",
			       &f, &e),
			 0);
	assert_string_equal(get(&f, "p", "k"), "v\ns3 =\nmax = 1");
	assert_false(ini_is_nested(get(&f, "p", "k")));
	assert_string_equal(get(&f, "p", "n"), "\na = 1\n\nb = 2");
	assert_true(ini_is_nested(get(&f, "p", "n")));
	char v[64];
	assert_true(ini_nested_value(get(&f, "p", "n"), "b", v, sizeof v));
	assert_string_equal(v, "2");
	assert_true(ini_nested_value(get(&f, "p", "s3"), "addressing_style", v, sizeof v));
	assert_string_equal(v, "path");
	/* sub-keys are not lower-cased by botocore's _parse_nested */
	assert_false(ini_nested_value(get(&f, "p", "s3"), "max_concurrent_requests", v, sizeof v));
	assert_true(ini_nested_value(get(&f, "p", "s3"), "Max_Concurrent_Requests", v, sizeof v));
	assert_string_equal(get(&f, "p", "region"), "eu-west-1"); /* nesting ended */
	ini_free(&f);
	/* an indented key under a key is not a key: it continues the value */
	assert_int_equal(parse("[q]\nregion = eu\n  aws_access_key_id = X\n", &f, &e), 0);
	assert_string_equal(get(&f, "q", "region"), "eu\naws_access_key_id = X");
	assert_null(get(&f, "q", "aws_access_key_id"));
	ini_free(&f);
}

static void test_default_section_is_seen_by_every_section(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("[DEFAULT]\nregion = eu-north-1\n[a]\n[b]\nregion = x\n", &f, &e),
			 0);
	assert_int_equal(f.n, 2); /* DEFAULT is not a section of its own */
	assert_string_equal(get(&f, "a", "region"), "eu-north-1");
	assert_string_equal(get(&f, "b", "region"), "x");
	ini_free(&f);
}

static void test_malformed_files_name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *where, *why;
	} BAD[] = {
		{ "region = x\n", "line 1", "before any [section]" },
		{ "# c\n[a]\nx = 1\njunk line\n", "line 4", "expected 'key = value'" },
		{ "[a]\n= v\n", "line 2", "without a key" },
		{ "[a]\nx = 1\ny = 2\nX = 3\n", "line 4",
		  "'x'" }, /* python: DuplicateOptionError */
		{ "[a]\n[b]\n[a]\n", "line 3", "section repeated" }, /* DuplicateSectionError */
		{ "[a]\ns3 =\n  no equals here\n", "line 3", "sub-setting" },
		{ "[a]\nx = 1\n  \ny = a\0b\n", "line 4", "NUL" },
		{ "[a]\n[]\n", "line 2", "expected" },	      /* python: ParsingError */
		{ "  [a]\n  x = 1\n   [b]\n", "line 3", "" }, /* deeper: continues x, fine */
	};
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		struct ini_file f;
		struct api_error e;
		size_t len = strlen(BAD[i].text);
		if (i == 6)
			len = 21; /* the NUL case: text holds a NUL */
		int rc = ini_parse(BAD[i].text, len, "/x/config", &f, &e);
		if (i == 8) {
			/* "   [b]" is indented deeper than "  x = 1": a continuation */
			assert_int_equal(rc, 0);
			assert_string_equal(get(&f, "a", "x"), "1\n[b]");
			ini_free(&f);
			continue;
		}
		assert_int_equal(rc, API_ERR_CONFIG);
		assert_non_null(strstr(e.msg, "/x/config"));
		assert_non_null(strstr(e.msg, BAD[i].where));
		assert_non_null(strstr(e.msg, BAD[i].why));
		assert_null(strchr(e.msg, '\n'));
		assert_int_equal(f.n, 0);
		ini_free(&f);
	}
}

/* A hostile 1 MB file must be refused or read quickly, never quadratic. */
static void test_big_hostile_files_stay_linear(void **state)
{
	(void)state;
	size_t cap = INI_FILE_MAX;
	char *t = malloc(cap + 1);
	assert_non_null(t);
	struct ini_file f;
	struct api_error e;
	clock_t c0 = clock();
	/* unique sections: [0] [1] ... */
	size_t n = 0;
	for (unsigned i = 0; n + 16 < cap; i++)
		n += (size_t)sprintf(t + n, "[%u]\n", i);
	assert_int_equal(ini_parse(t, n, "big", &f, &e), API_ERR_CONFIG);
	assert_non_null(strstr(e.msg, "more than 4096 sections"));
	ini_free(&f);
	/* unique keys in one section */
	n = (size_t)sprintf(t, "[a]\n");
	for (unsigned i = 0; n + 24 < cap; i++)
		n += (size_t)sprintf(t + n, "k%u = v\n", i);
	assert_int_equal(ini_parse(t, n, "big", &f, &e), API_ERR_CONFIG);
	assert_non_null(strstr(e.msg, "more than 1024 keys"));
	ini_free(&f);
	/* one key continued by half a million short lines */
	n = (size_t)sprintf(t, "[a]\nk = v\n");
	while (n + 3 < cap)
		n += (size_t)sprintf(t + n, " x\n");
	assert_int_equal(ini_parse(t, n, "big", &f, &e), API_ERR_CONFIG);
	assert_non_null(strstr(e.msg, "a value over 65536 bytes under 'k'"));
	ini_free(&f);
	/* just under the value limit: read whole */
	n = (size_t)sprintf(t, "[a]\nk = v\n");
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(t + n, " x\n");
	assert_int_equal(ini_parse(t, n, "big", &f, &e), 0);
	assert_int_equal(strlen(get(&f, "a", "k")), 1 + 20000 * 2);
	ini_free(&f);
	free(t);
	assert_true((double)(clock() - c0) / CLOCKS_PER_SEC < 2.0);
}

static void test_values_are_not_echoed_in_errors(void **state)
{
	(void)state;
	struct ini_file f;
	struct api_error e;
	assert_int_equal(parse("[a]\naws_secret_access_key = SuperSecretValue123\n"
			       "SuperSecretValue456\n",
			       &f, &e),
			 API_ERR_CONFIG);
	assert_null(strstr(e.msg, "SuperSecret"));
	ini_free(&f);
}

static void test_load_missing_directory_and_unreadable(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_api_ini_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	struct ini_file f;
	struct api_error e;
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(ini_load(path, &f, &e), 0);
	assert_false(f.found);
	assert_int_equal(f.n, 0);
	ini_free(&f);
	assert_int_equal(ini_load(dir, &f, &e), 0); /* a directory: not a file */
	assert_false(f.found);
	ini_free(&f);
	snprintf(path, sizeof path, "%s/config", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[default]\nregion = sa-east-1\n", fp);
	fclose(fp);
	assert_int_equal(ini_load(path, &f, &e), 0);
	assert_true(f.found);
	assert_string_equal(get(&f, "default", "region"), "sa-east-1");
	ini_free(&f);
	if (geteuid() != 0) { /* root reads anything */
		chmod(path, 0);
		assert_int_equal(ini_load(path, &f, &e), API_ERR_CONFIG);
		assert_non_null(strstr(e.msg, "cannot open"));
		ini_free(&f);
	}
	unlink(path);
	rmdir(dir);
}

static void test_shell_split_follows_shlex(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *words[6];
	} OK[] = {
		{ "a b  c", { "a", "b", "c" } },
		{ "  /bin/x \"two words\" 'it''s'", { "/bin/x", "two words", "its" } },
		{ "a\"b c\"d", { "ab cd" } },
		{ "'a\\b' \"c\\\"d\" \"e\\f\" g\\ h", { "a\\b", "c\"d", "e\\f", "g h" } },
		{ "x '' y", { "x", "", "y" } },
		{ "# not a comment", { "#", "not", "a", "comment" } },
		{ "", { NULL } },
	};
	for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++) {
		char buf[256];
		char *w[8];
		size_t n;
		const char *why = NULL;
		assert_int_equal(ini_shell_split(OK[i].in, buf, sizeof buf, w, 8, &n, &why), 0);
		size_t want = 0;
		while (want < 6 && OK[i].words[want])
			want++;
		assert_int_equal(n, want);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(w[k], OK[i].words[k]);
		assert_null(w[n]);
	}
	static const struct {
		const char *in, *why;
	} BAD[] = { { "a 'b", "no closing quotation" },
		    { "a \"b\\\"", "no closing quotation" },
		    { "a b\\", "no escaped character" } };
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		char buf[256];
		char *w[8];
		size_t n;
		const char *why = NULL;
		assert_int_equal(ini_shell_split(BAD[i].in, buf, sizeof buf, w, 8, &n, &why), -1);
		assert_string_equal(why, BAD[i].why);
	}
	char buf[256];
	char *w[3];
	size_t n;
	const char *why;
	assert_int_equal(ini_shell_split("a b c d", buf, sizeof buf, w, 3, &n, &why), -1);
	assert_int_equal(ini_shell_split("abcdef", buf, 4, w, 3, &n, &why), -1);
}

/* Profiles across the two files, as botocore's build_profile_map and
 * full_config: [profile X] in config, [X] in credentials, credentials
 * file over config file. */
static void test_profiles_across_the_two_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_api_ini_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cpath[256], kpath[256];
	snprintf(cpath, sizeof cpath, "%s/config", dir);
	snprintf(kpath, sizeof kpath, "%s/credentials", dir);
	FILE *fp = fopen(cpath, "w");
	fputs("[default]\nregion = r-default-plain\n"
	      "[dev]\nregion = ignored-no-prefix\n"
	      "[profile dev]\nregion = r-dev\noutput = json\n"
	      "[profile \"my profile\"]\nregion = r-quoted\n"
	      "[profile default]\nregion = r-default-prefixed\n"
	      "[profile a b]\nregion = three-words-ignored\n"
	      "[services local]\nqldb =\n  endpoint_url = http://x\n",
	      fp);
	fclose(fp);
	fp = fopen(kpath, "w");
	fputs("[dev]\nregion = r-dev-from-credentials\naws_access_key_id = AKID\n"
	      "[profile dev]\nregion = not-dev\n"
	      "[onlycreds]\naws_access_key_id = AKID2\n",
	      fp);
	fclose(fp);
	struct cred_profile p;
	struct api_error e;
	assert_int_equal(cred_profile_load(&p, "dev", cpath, kpath, &e), 0);
	assert_true(cred_profile_exists(&p));
	assert_string_equal(cred_profile_config_value(&p, "region"), "r-dev");
	assert_string_equal(cred_profile_creds_value(&p, "region"), "r-dev-from-credentials");
	assert_string_equal(cred_profile_value(&p, "region"), "r-dev-from-credentials");
	assert_string_equal(cred_profile_value(&p, "output"), "json");
	assert_non_null(cred_profile_services(&p, "local"));
	assert_null(cred_profile_services(&p, "other"));
	cred_profile_free(&p);
	/* [default] then [profile default]: the later one wins whole */
	assert_int_equal(cred_profile_load(&p, "default", cpath, kpath, &e), 0);
	assert_string_equal(cred_profile_value(&p, "region"), "r-default-prefixed");
	cred_profile_free(&p);
	assert_int_equal(cred_profile_load(&p, "my profile", cpath, kpath, &e), 0);
	assert_string_equal(cred_profile_value(&p, "region"), "r-quoted");
	cred_profile_free(&p);
	assert_int_equal(cred_profile_load(&p, "onlycreds", cpath, kpath, &e), 0);
	assert_true(cred_profile_exists(&p));
	assert_null(p.in_config);
	cred_profile_free(&p);
	static const char *const ABSENT[] = { "b", "a b", "profile dev", "Dev" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(cred_profile_load(&p, ABSENT[i], cpath, kpath, &e), 0);
		/* "profile dev" is a credentials-file section name: it exists there */
		assert_int_equal(cred_profile_exists(&p), i == 2);
		cred_profile_free(&p);
	}
	unlink(cpath);
	unlink(kpath);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_keys_and_case_rules),
		cmocka_unit_test(test_first_delimiter_splits_and_values_keep_the_rest),
		cmocka_unit_test(test_comments_blank_lines_and_line_endings),
		cmocka_unit_test(test_continuation_and_nested_settings),
		cmocka_unit_test(test_default_section_is_seen_by_every_section),
		cmocka_unit_test(test_malformed_files_name_file_and_line),
		cmocka_unit_test(test_big_hostile_files_stay_linear),
		cmocka_unit_test(test_values_are_not_echoed_in_errors),
		cmocka_unit_test(test_load_missing_directory_and_unreadable),
		cmocka_unit_test(test_shell_split_follows_shlex),
		cmocka_unit_test(test_profiles_across_the_two_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
