/*
 * test_api_vault.c - the digest vault (api/vault.h): where it lives, which
 * path components it refuses, file modes, the strict line reader (every
 * line that does not read is a problem naming file and line), appends
 * after a torn line, and the auditor's use of it at start-up.
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
#include <sys/wait.h>
#include <unistd.h>

#include "api/auditor.h"
#include "api/vault.h"

#define DIGEST_A "PC2cpgQlLPv0IWkn0VwgOxV5Utpo2b9C6Er6JPCSGxg="
#define DIGEST_B "L9mSFBBCR1dHGb1glQ1L7GvKTU9OjxmgOyi0pHELD7g="
#define STRAND "Mwj53rcv36Gm3ojI4VzOgY"
#define URL "http://127.0.0.1:4580"

static char root[256];

static const char *env_xdg(const char *n)
{
	return strcmp(n, "XDG_STATE_HOME") == 0 ? "/state"
	       : strcmp(n, "HOME") == 0		? "/home/u"
						: NULL;
}
static const char *env_home(const char *n)
{
	return strcmp(n, "HOME") == 0 ? "/home/u" : strcmp(n, "XDG_STATE_HOME") == 0 ? "rel" : NULL;
}
static const char *env_none(const char *n)
{
	(void)n;
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/test_api_vault.XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct qldb_digest digest(const char *b64, int seq)
{
	char j[256];
	snprintf(j, sizeof j,
		 "{\"Digest\":\"%s\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"" STRAND
		 "\\\",sequenceNo:%d}\"}}",
		 b64, seq);
	struct qldb_digest d;
	struct api_error err;
	assert_int_equal(qldb_parse_get_digest(j, strlen(j), &d, &err), 0);
	return d;
}

static void test_path_follows_xdg_state_home_then_home(void **state)
{
	(void)state;
	char p[VAULT_PATH_MAX];
	struct api_error err;
	assert_int_equal(
		vault_path(p, sizeof p, NULL, URL, "us-east-1", "financial-ledger", env_xdg, &err),
		0);
	assert_string_equal(p,
			    "/state/qldbtop/vault/127.0.0.1_4580/us-east-1/financial-ledger.jsonl");
	/* a relative XDG_STATE_HOME is invalid (XDG spec): the HOME default */
	assert_int_equal(
		vault_path(p, sizeof p, NULL, URL, "us-east-1", "financial-ledger", env_home, &err),
		0);
	assert_string_equal(p, "/home/u/.local/state/qldbtop/vault/127.0.0.1_4580/us-east-1/"
			       "financial-ledger.jsonl");
	assert_int_equal(
		vault_path(p, sizeof p, NULL, URL, "us-east-1", "financial-ledger", env_none, &err),
		API_ERR_CONFIG);
}

static void test_host_comes_from_the_url_without_port_userinfo_or_path(void **state)
{
	(void)state;
	static const struct {
		const char *url, *want;
	} cases[] = {
		{ "https://qldb.us-east-1.amazonaws.com", "qldb.us-east-1.amazonaws.com" },
		{ "https://QLDB.Example.COM/some/path?q=1", "qldb.example.com" },
		{ "http://user:pw@host:8080/x", "host_8080" },
		{ "http://[::1]:4580", "--1_4580" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char p[VAULT_PATH_MAX], want[VAULT_PATH_MAX];
		struct api_error err;
		assert_int_equal(
			vault_path(p, sizeof p, "/r", cases[i].url, "eu-west-1", "L", NULL, &err),
			0);
		snprintf(want, sizeof want, "/r/%s/eu-west-1/L.jsonl", cases[i].want);
		assert_string_equal(p, want);
	}
}

static void test_unsafe_components_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *url, *region, *ledger;
	} bad[] = {
		{ "http://../", "us-east-1", "L" },
		{ "http://..:80", "us-east-1", "L" },
		{ "http://a%2f..", "us-east-1", "L" },
		{ "127.0.0.1:4580", "us-east-1", "L" },
		{ "http://h:80x", "us-east-1", "L" },
		{ "http://", "us-east-1", "L" },
		{ "http://h", "..", "L" },
		{ "http://h", "us/east", "L" },
		{ "http://h", "", "L" },
		{ "http://h", "us-east-1", "../x" },
		{ "http://h", "us-east-1", "a/b" },
		{ "http://h", "us-east-1", ".." },
		{ "http://h", "us-east-1", "" },
		{ "http://[::1", "us-east-1", "L" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char p[VAULT_PATH_MAX];
		struct api_error err;
		int rc = vault_path(p, sizeof p, "/r", bad[i].url, bad[i].region, bad[i].ledger,
				    NULL, &err);
		if (rc == 0)
			fail_msg("case %zu (%s %s %s) accepted: %s", i, bad[i].url, bad[i].region,
				 bad[i].ledger, p);
		assert_non_null(strstr(err.msg, "vault"));
	}
}

static void test_new_vault_has_private_modes_and_round_trips(void **state)
{
	(void)state;
	struct api_error err;
	struct vault *v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	assert_non_null(v);
	struct vault_entry e;
	assert_false(vault_last(v, &e));
	struct stat st;
	assert_int_equal(stat(vault_file(v), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char dir[VAULT_PATH_MAX];
	snprintf(dir, sizeof dir, "%s/127.0.0.1_4580/us-east-1", root);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(dir, sizeof dir, "%s/127.0.0.1_4580", root);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	struct qldb_digest a = digest(DIGEST_A, 5), b = digest(DIGEST_B, 9);
	assert_int_equal(vault_append(v, &a, 1700000000.5, &err), 0);
	assert_int_equal(vault_append(v, &b, 1700000001.25, &err), 0);
	vault_free(v);
	v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	assert_non_null(v);
	assert_true(vault_last(v, &e));
	assert_int_equal(e.line, 2);
	assert_string_equal(e.digest.digest_b64, DIGEST_B);
	assert_int_equal(e.digest.sequence_no, 9);
	assert_string_equal(e.digest.strand_id, STRAND);
	assert_true(e.fetched > 1700000001.2 && e.fetched < 1700000001.3);
	assert_int_equal(vault_entry_count(v), 2);
	assert_int_equal(vault_problem_count(v), 0);
	vault_free(v);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

#define LINE(d, s)                                                                                 \
	"{\"Digest\":\"" d "\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"" STRAND          \
	"\\\",sequenceNo:" #s "}\"},\"FetchedAt\":1}\n"

static void test_every_line_that_does_not_read_is_a_problem_naming_file_and_line(void **state)
{
	(void)state;
	struct api_error err;
	struct vault *v = vault_open(root, URL, "us-east-1", "L", NULL, &err);
	assert_non_null(v);
	char path[VAULT_PATH_MAX];
	snprintf(path, sizeof path, "%s", vault_file(v));
	vault_free(v);
	write_file(path, LINE(DIGEST_A, 3)	     /* 1 good */
		   "not json\n"			     /* 2 */
		   "\n"				     /* 3 empty */
		   "{\"Digest\":\"" DIGEST_A "\"}\n" /* 4 no tip */
		   LINE(DIGEST_B, 7)		     /* 5 good */
		   "{\"Digest\":1,\"Digest\":2}\n"   /* 6 duplicate key */
		   "{\"Digest\":\"AAAA\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"" STRAND
		   "\\\",sequenceNo:1}\"},\"FetchedAt\":1}\n" /* 7 short digest */
		   LINE(DIGEST_A, 8)			      /* 8 good, no FetchedAt below */
		   "{\"Digest\":\"" DIGEST_A
		   "\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"" STRAND
		   "\\\",sequenceNo:9}\"}}\n"	    /* 9 no FetchedAt */
		   "{\"Digest\":\"" DIGEST_B "\""); /* 10 torn */
	v = vault_open(root, URL, "us-east-1", "L", NULL, &err);
	assert_non_null(v);
	static const size_t bad[] = { 2, 3, 4, 6, 7, 9, 10 };
	assert_int_equal(vault_problem_count(v), 7);
	for (size_t i = 0; i < 7; i++) {
		const struct vault_problem *p = vault_problem_get(v, i);
		assert_non_null(p);
		assert_int_equal(p->line, bad[i]);
		char want[VAULT_PATH_MAX + 32];
		snprintf(want, sizeof want, "vault %s line %zu: ", path, bad[i]);
		assert_memory_equal(p->message, want, strlen(want));
		assert_null(strchr(p->message, '\n'));
	}
	assert_non_null(strstr(vault_problem_get(v, 6)->message, "truncated"));
	struct vault_entry e;
	assert_true(vault_last(v, &e));
	assert_int_equal(e.line, 8);
	assert_int_equal(e.digest.sequence_no, 8);
	assert_int_equal(vault_entry_count(v), 3);
	/* the torn line gets its newline first: it stays one bad line */
	struct qldb_digest d = digest(DIGEST_A, 11);
	assert_int_equal(vault_append(v, &d, 2, &err), 0);
	vault_free(v);
	char buf[4096];
	read_file(path, buf, sizeof buf);
	assert_non_null(strstr(buf, "{\"Digest\":\"" DIGEST_B "\"\n{\"Digest\""));
	v = vault_open(root, URL, "us-east-1", "L", NULL, &err);
	assert_int_equal(vault_problem_count(v), 7);
	assert_true(vault_last(v, &e));
	assert_int_equal(e.line, 11);
	assert_int_equal(e.digest.sequence_no, 11);
	vault_free(v);
}

static void test_more_problems_than_kept_are_all_counted(void **state)
{
	(void)state;
	struct api_error err;
	struct vault *v = vault_open(root, URL, "us-east-1", "L", NULL, &err);
	char path[VAULT_PATH_MAX];
	snprintf(path, sizeof path, "%s", vault_file(v));
	vault_free(v);
	char text[512] = "";
	for (int i = 0; i < VAULT_PROBLEMS_MAX + 3; i++)
		strcat(text, "x\n");
	write_file(path, text);
	v = vault_open(root, URL, "us-east-1", "L", NULL, &err);
	assert_int_equal(vault_problem_count(v), VAULT_PROBLEMS_MAX + 3);
	assert_null(vault_problem_get(v, VAULT_PROBLEMS_MAX));
	vault_free(v);
}

static void test_a_symlink_or_directory_in_place_of_the_file_is_refused(void **state)
{
	(void)state;
	struct api_error err;
	char dir[VAULT_PATH_MAX], path[VAULT_PATH_MAX];
	snprintf(dir, sizeof dir, "%s/h", root);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/h/r", root);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/h/r/L.jsonl", root);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_null(vault_open(root, "http://h", "r", "L", NULL, &err));
	assert_int_equal(err.status, API_ERR_CONFIG);
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(vault_open(root, "http://h", "r", "L", NULL, &err));
	assert_int_equal(err.status, API_ERR_CONFIG);
}

/* Two writers (two qldbtop processes) on one ledger file: every line
 * whole, none lost. */
static void test_two_processes_appending_never_interleave_lines(void **state)
{
	(void)state;
	enum { EACH = 100 };
	struct api_error err;
	struct vault *v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	assert_non_null(v);
	fflush(NULL);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct vault *cv =
			vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
		struct qldb_digest d = digest(DIGEST_B, 2);
		int bad = !cv;
		for (int i = 0; cv && i < EACH; i++)
			bad |= vault_append(cv, &d, i, &err) != 0;
		vault_free(cv);
		_exit(bad);
	}
	struct qldb_digest d = digest(DIGEST_A, 1);
	for (int i = 0; i < EACH; i++)
		assert_int_equal(vault_append(v, &d, i, &err), 0);
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	vault_free(v);
	v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	assert_int_equal(vault_problem_count(v), 0);
	assert_int_equal(vault_entry_count(v), 2 * EACH);
	vault_free(v);
}

/* The auditor's start: the vault's problems become events, and its last
 * tip is t1 of the first continuity check. */
static int no_block(void *ctx, const char *ledger, const char *block_ion, const char *tip_ion,
		    char **json, size_t *len, struct api_error *err)
{
	(void)ctx, (void)ledger, (void)block_ion, (void)tip_ion, (void)len;
	*json = NULL;
	return api_error_set(err, API_ERR_TRANSPORT, "GetBlock: connect failed");
}
static int no_digest(void *ctx, const char *ledger, struct qldb_digest *out, struct api_error *err)
{
	(void)ctx, (void)ledger, (void)out;
	return api_error_set(err, API_ERR_TRANSPORT, "GetDigest: connect failed");
}
static const struct audit_ops offline = { .get_digest = no_digest, .get_block = no_block };

struct seen {
	size_t n;
	struct audit_event ev[64];
};
static void keep(void *ctx, const struct audit_event *e)
{
	struct seen *s = ctx;
	if (s->n < 64)
		s->ev[s->n++] = *e;
}

static void test_auditor_reports_vault_problems_and_starts_from_its_last_tip(void **state)
{
	(void)state;
	struct api_error err;
	struct vault *v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	char path[VAULT_PATH_MAX];
	snprintf(path, sizeof path, "%s", vault_file(v));
	vault_free(v);
	write_file(path, LINE(DIGEST_A, 5) "garbage\n");
	v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	struct seen s = { 0 };
	struct audit_config cfg = { .ledger = "financial-ledger",
				    .ops = &offline,
				    .emit = keep,
				    .emit_ctx = &s,
				    .samples_off = true,
				    .vault = v };
	struct auditor *a = auditor_new(&cfg, &err);
	assert_non_null(a);
	/* same tip, same digest as line 1: proven, but line 2 is corrupt */
	struct qldb_digest same = digest(DIGEST_A, 5);
	auditor_round_digest(a, &same);
	assert_true(s.n >= 2);
	assert_int_equal(s.ev[0].kind, AUDIT_VAULT);
	assert_int_equal(s.ev[0].result, AUDIT_UNVERIFIED);
	assert_non_null(strstr(s.ev[0].message, "line 2"));
	assert_non_null(strstr(s.ev[0].message, path));
	assert_int_equal(s.ev[1].kind, AUDIT_CONTINUITY);
	assert_int_equal(s.ev[1].result, AUDIT_UNVERIFIED);
	assert_int_equal(s.ev[1].seq, 5);
	/* the same digest as line 1 is not written again */
	struct api_error e2;
	struct vault *v2 = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &e2);
	struct vault_entry last;
	assert_true(vault_last(v2, &last));
	assert_int_equal(last.line, 1);
	vault_free(v2);
	/* a vault tip ahead of the ledger's: FAILED (history went backwards) */
	auditor_free(a);
	vault_free(v);
	v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	cfg.vault = v;
	s.n = 0;
	a = auditor_new(&cfg, &err);
	struct qldb_digest behind = digest(DIGEST_B, 4);
	auditor_round_digest(a, &behind);
	bool failed = false;
	for (size_t i = 0; i < s.n; i++)
		if (s.ev[i].kind == AUDIT_CONTINUITY && s.ev[i].result == AUDIT_FAILED) {
			failed = true;
			assert_non_null(strstr(s.ev[i].message, "vault"));
			assert_non_null(strstr(s.ev[i].message, "backwards"));
		}
	assert_true(failed);
	/* a digest that failed is not kept: a restart proves from line 1 again */
	v2 = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &e2);
	assert_true(vault_last(v2, &last));
	assert_int_equal(last.line, 1);
	vault_free(v2);
	/* with the network gone, continuity from the vault is UNVERIFIED */
	auditor_free(a);
	vault_free(v);
	v = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &err);
	cfg.vault = v;
	s.n = 0;
	a = auditor_new(&cfg, &err);
	struct qldb_digest ahead = digest(DIGEST_B, 9);
	auditor_round_digest(a, &ahead);
	for (size_t i = 0; i < s.n; i++)
		assert_int_not_equal(s.ev[i].result, AUDIT_VERIFIED);
	auditor_free(a);
	vault_free(v);
	/* nor is one that could not be proven */
	v2 = vault_open(root, URL, "us-east-1", "financial-ledger", NULL, &e2);
	assert_true(vault_last(v2, &last));
	assert_int_equal(last.line, 1);
	vault_free(v2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_follows_xdg_state_home_then_home),
		cmocka_unit_test(test_host_comes_from_the_url_without_port_userinfo_or_path),
		cmocka_unit_test(test_unsafe_components_are_refused),
		cmocka_unit_test_setup_teardown(test_new_vault_has_private_modes_and_round_trips,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_every_line_that_does_not_read_is_a_problem_naming_file_and_line, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_more_problems_than_kept_are_all_counted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_a_symlink_or_directory_in_place_of_the_file_is_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_two_processes_appending_never_interleave_lines,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_auditor_reports_vault_problems_and_starts_from_its_last_tip, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
