/*
 * test_api_credentials.c - the credential chain as botocore runs it: which
 * source wins (a table, expected sources written by hand from botocore's
 * create_credential_resolver order), credential_process (scripts written
 * here: good, exit 1, bad JSON, too slow, expired), container credentials
 * and IMDSv2 against tests/lib/metadata_server.py, refresh ahead of expiry,
 * and that no secret or token ever reaches a message. Every secret and
 * token used here contains "NEVER" (the metadata server's contain
 * "never"), so one case-insensitive search proves a message clean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/config.h"
#include "api/cred_source.h"
#include "api/credentials.h"
#include "tests/lib/fake_env.h"

extern char **environ;

#define ENV_MAX 24
#define SERVER "tests/lib/metadata_server.py"

static char dir[64];
static char cfg_path[128], creds_path[128], count_path[128];

/* Every case: the two file paths, HOME, and IMDS off unless the case says
 * otherwise (no test may reach 169.254.169.254). */
static const char *const ENV_DEFAULTS[] = { "AWS_CONFIG_FILE",
					    cfg_path,
					    "AWS_SHARED_CREDENTIALS_FILE",
					    creds_path,
					    "AWS_EC2_METADATA_DISABLED",
					    "true",
					    "HOME",
					    dir,
					    NULL };

static void write_file(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	if (!text)
		return;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* A no-secret check: every secret in these tests contains "never". */
static void assert_clean(const char *s)
{
	if (strcasestr(s, "never"))
		fail_msg("a secret leaked into: %s", s);
	assert_null(strchr(s, '\n'));
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_api_creds_XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cfg_path, sizeof cfg_path, "%s/config", dir);
	snprintf(creds_path, sizeof creds_path, "%s/credentials", dir);
	snprintf(count_path, sizeof count_path, "%s/count", dir);
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	curl_global_cleanup();
	return 0;
}

/* Resolve config and provider as qldbtop does. */
static struct api_creds_provider *provider(const struct api_config_overrides *ov,
					   struct api_error *e)
{
	struct api_config cfg;
	if (api_config_resolve(&cfg, ov, fake_env_get, e))
		return NULL;
	struct api_creds_provider *p = api_creds_provider_new(&cfg, fake_env_get, e);
	api_config_wipe(&cfg);
	return p;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the chain ---- */

struct chain_case {
	const char *name;
	const char *env[ENV_MAX];
	struct api_config_overrides ov;
	const char *config, *credentials;
	const char *source; /* expected prefix of creds.source */
	const char *akid;
	bool token;
	const char *error;     /* from api_creds_provider_new (or config) */
	const char *get_error; /* from api_creds_get */
};

#define ENV_KEYS                                                                                   \
	"AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT", "AWS_SECRET_ACCESS_KEY", "env-NEVER-secret",   \
		"AWS_SESSION_TOKEN", "env-NEVER-token"
#define FILE_KEYS(id) "aws_access_key_id = " id "\naws_secret_access_key = file-NEVER-secret\n"
#define PROCESS(id)                                                                                \
	"credential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"" id "\", "              \
	"\"SecretAccessKey\": \"proc-NEVER-secret\", \"SessionToken\": \"proc-NEVER-tok\"}'\n"

static const struct chain_case CHAIN[] = {
	{ .name = "environment keys",
	  .env = { ENV_KEYS },
	  .credentials = "[default]\n" FILE_KEYS("AKIDFROMCREDSFILE"),
	  .source = "environment",
	  .akid = "AKIDFROMENVIRONMENT",
	  .token = true },
	{ .name = "environment keys win over AWS_PROFILE",
	  .env = { ENV_KEYS, "AWS_PROFILE", "dev" },
	  .credentials = "[dev]\n" FILE_KEYS("AKIDFROMCREDSFILE"),
	  .source = "environment",
	  .akid = "AKIDFROMENVIRONMENT",
	  .token = true },
	{ .name = "--profile drops the environment keys",
	  .env = { ENV_KEYS },
	  .ov = { .profile = "dev" },
	  .credentials = "[dev]\n" FILE_KEYS("AKIDFROMCREDSFILE"),
	  .source = "shared credentials file",
	  .akid = "AKIDFROMCREDSFILE",
	  .token = false },
	{ .name = "credentials file before credential_process before config file keys",
	  .config = "[default]\n" PROCESS("AKIDFROMPROCESS") FILE_KEYS("AKIDFROMCONFIGFILE"),
	  .credentials = "[default]\n" FILE_KEYS("AKIDFROMCREDSFILE"),
	  .source = "shared credentials file",
	  .akid = "AKIDFROMCREDSFILE" },
	{ .name = "credential_process before config file keys",
	  .config = "[default]\n" PROCESS("AKIDFROMPROCESS") FILE_KEYS("AKIDFROMCONFIGFILE"),
	  .source = "credential_process (profile default)",
	  .akid = "AKIDFROMPROCESS",
	  .token = true },
	{ .name = "credential_process in the credentials file counts too",
	  .env = { "AWS_PROFILE", "p" },
	  .credentials = "[p]\n" PROCESS("AKIDFROMPROCESS"),
	  .source = "credential_process (profile p)",
	  .akid = "AKIDFROMPROCESS",
	  .token = true },
	{ .name = "config file keys last among the profile's",
	  .env = { "AWS_PROFILE", "dev" },
	  .config =
		  "[profile dev]\n" FILE_KEYS("AKIDFROMCONFIGFILE") "aws_session_token = t-NEVER\n",
	  .source = "config file",
	  .akid = "AKIDFROMCONFIGFILE",
	  .token = true },
	{ .name = "the command line's keys win over everything",
	  .env = { ENV_KEYS },
	  .ov = { .access_key_id = "AKIDQLDBTOPDEMO00001",
		  .secret_access_key = "demo-NEVER",
		  .endpoint_url = "http://127.0.0.1:1",
		  .region = "us-east-1" },
	  .source = "command line",
	  .akid = "AKIDQLDBTOPDEMO00001" },
	{ .name = "a key id without a secret in the credentials file",
	  .credentials = "[default]\naws_access_key_id = AKIDPARTIAL\n",
	  .error = "partial credentials" },
	{ .name = "AWS_ACCESS_KEY_ID without AWS_SECRET_ACCESS_KEY",
	  .env = { "AWS_ACCESS_KEY_ID", "AKIDALONE" },
	  .error = "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" },
	{ .name = "a multi-line secret is refused without echoing it",
	  .credentials = "[default]\naws_access_key_id = AKIDX\naws_secret_access_key = a-NEVER\n"
			 "  b-NEVER\n",
	  .error = "the secret holds control characters" },
	{ .name = "assume role is refused with a pointer to credential_process",
	  .env = { "AWS_PROFILE", "r" },
	  .config = "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
	  .error = "profile r: role_arn (assume role) is not supported; use credential_process" },
	{ .name = "SSO is refused",
	  .config = "[default]\nsso_session = corp\n",
	  .error = "profile default: SSO is not supported" },
	{ .name = "web identity from the environment is refused",
	  .env = { "AWS_WEB_IDENTITY_TOKEN_FILE", "/x", "AWS_ROLE_ARN", "arn:aws:iam::1:role/x" },
	  .error = "web identity is not supported" },
	{ .name = "nothing at all: the error lists what was tried",
	  .get_error = "no credentials: tried environment, profile default (shared files), "
		       "container (not set), instance metadata (disabled)" },
	{ .name = "nothing for --profile: the environment was not tried",
	  .ov = { .profile = "dev" },
	  .config = "[profile dev]\nregion = eu-west-1\n",
	  .get_error = "no credentials: tried profile dev (shared files), container (not set)" },
};

static void test_chain_order_follows_botocore(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof CHAIN / sizeof CHAIN[0]; i++) {
		const struct chain_case *c = &CHAIN[i];
		print_message("case: %s\n", c->name);
		write_file(cfg_path, c->config, 0600);
		write_file(creds_path, c->credentials, 0600);
		fake_env_set(c->env, ENV_DEFAULTS);
		struct api_error e;
		struct api_creds_provider *p = provider(&c->ov, &e);
		if (c->error) {
			assert_null(p);
			if (!strstr(e.msg, c->error))
				fail_msg("%s: got '%s'", c->name, e.msg);
			assert_clean(e.msg);
			continue;
		}
		if (!p)
			fail_msg("%s: unexpected '%s'", c->name, e.msg);
		struct api_creds k;
		int rc = api_creds_get(p, false, &k, &e);
		char line[512];
		api_creds_describe(p, line, sizeof line);
		assert_clean(line);
		if (c->get_error) {
			assert_int_not_equal(rc, 0);
			if (!strstr(e.msg, c->get_error))
				fail_msg("%s: got '%s'", c->name, e.msg);
			assert_clean(e.msg);
		} else {
			assert_int_equal(rc, 0);
			if (strncmp(k.source, c->source, strlen(c->source)))
				fail_msg("%s: source '%s'", c->name, k.source);
			assert_string_equal(k.access_key_id, c->akid);
			assert_int_equal(k.session_token[0] != '\0', c->token);
			assert_clean(k.source);
		}
		api_creds_wipe(&k);
		api_creds_provider_free(p);
	}
}

/* ---- credential_process ---- */

/* A script in dir that prints JSON; $1 decides. Each run bumps the count
 * file, and the key id carries the count (AKIDRUN<n>). */
static const char HELPER[] =
	"#!/bin/sh\n"
	"n=$(cat \"%s\" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > \"%s\"\n"
	"exp() { date -u -d \"@$(( $(date +%%s) + $1 ))\" +%%Y-%%m-%%dT%%H:%%M:%%SZ; }\n"
	"case $1 in\n"
	"good) printf '{\"Version\":1,\"AccessKeyId\":\"AKIDRUN%%s\",\"SecretAccessKey\":"
	"\"s-NEVER\",\"SessionToken\":\"t-NEVER\",\"Expiration\":\"%%s\"}' $n \"$(exp $2)\" ;;\n"
	"nexp) printf '{\"Version\":1,\"AccessKeyId\":\"AKIDRUN%%s\",\"SecretAccessKey\":"
	"\"s-NEVER\"}' $n ;;\n"
	"once) [ $n -gt 1 ] && { echo 'helper: session ended' >&2; exit 1; }\n"
	"  printf '{\"Version\":1,\"AccessKeyId\":\"AKIDRUN%%s\",\"SecretAccessKey\":"
	"\"s-NEVER\",\"Expiration\":\"%%s\"}' $n \"$(exp $2)\" ;;\n"
	"fail) echo 'helper: not logged in; run login' >&2; exit 1 ;;\n"
	"leaky) echo 'bad key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY' >&2; exit 3 ;;\n"
	"badjson) echo '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"x-NEVER\"' ;;\n"
	"v2) echo '{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"x-NEVER\"}' ;;\n"
	"nosecret) echo '{\"Version\":1,\"AccessKeyId\":\"A\"}' ;;\n"
	"slow) sleep 30 & echo $! > \"%s.child\"; sleep 30 ;;\n"
	"big) head -c 70000 /dev/zero | tr '\\0' ' ' ;;\n"
	"esac\n";

static char helper_path[160];

static void helper_write(void)
{
	snprintf(helper_path, sizeof helper_path, "%s/my helper.sh", dir);
	char text[4096];
	snprintf(text, sizeof text, HELPER, count_path, count_path, count_path);
	write_file(helper_path, text, 0700);
	unlink(count_path);
}

static int runs(void)
{
	FILE *f = fopen(count_path, "r");
	int n = 0;
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* credential_process = "DIR/my helper.sh" ARGS (quoted: the path has a
 * space, so shlex splitting is exercised on every run). */
static void profile_process(const char *args)
{
	char text[512];
	snprintf(text, sizeof text, "[default]\ncredential_process = \"%s\" %s\n", helper_path,
		 args);
	write_file(cfg_path, text, 0600);
	write_file(creds_path, NULL, 0600);
	fake_env_set(NULL, ENV_DEFAULTS);
	unlink(count_path);
}

static void test_process_good_and_refused_outputs(void **state)
{
	(void)state;
	helper_write();
	struct api_creds k;
	struct api_error e;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "'%s' good 3600", helper_path);
	assert_int_equal(cred_process_run(cmd, "p", 5000, &k, &e), 0);
	assert_string_equal(k.access_key_id, "AKIDRUN1");
	assert_string_equal(k.secret_access_key, "s-NEVER");
	assert_string_equal(k.session_token, "t-NEVER");
	assert_true(k.expires > time(NULL) + 3500 && k.expires < time(NULL) + 3700);
	assert_string_equal(k.source, "credential_process (profile p)");

	static const struct {
		const char *arg, *want;
	} BAD[] = {
		{ "fail", "credential_process for profile p exited 1: helper: not logged in; run "
			  "login" },
		{ "leaky", "exited 3: (stderr not shown: it may hold a secret)" },
		{ "badjson", "(the output is not shown)" },
		{ "v2", "unsupported Version (supported: 1)" },
		{ "nosecret", "the answer has no SecretAccessKey" },
		{ "big", "output over 65536 bytes" },
	};
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		snprintf(cmd, sizeof cmd, "'%s' %s", helper_path, BAD[i].arg);
		assert_int_not_equal(cred_process_run(cmd, "p", 5000, &k, &e), 0);
		if (!strstr(e.msg, BAD[i].want))
			fail_msg("%s: got '%s'", BAD[i].arg, e.msg);
		assert_clean(e.msg);
		assert_null(strstr(e.msg, "wJalr"));
		assert_string_equal(k.secret_access_key, "");
	}
	assert_int_not_equal(cred_process_run("/nonexistent/helper", "p", 5000, &k, &e), 0);
	assert_non_null(strstr(e.msg, "cannot run '/nonexistent/helper'"));
	assert_int_not_equal(cred_process_run("helper 'unterminated", "p", 5000, &k, &e), 0);
	assert_non_null(strstr(e.msg, "cannot split the command: no closing quotation"));
	assert_int_not_equal(cred_process_run("   ", "p", 5000, &k, &e), 0);
	assert_non_null(strstr(e.msg, "is empty"));
}

/* Running, not a zombie waiting for a PID 1 that may never reap it. */
static bool alive(int pid)
{
	char path[64], stat[256] = "";
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	const char *close = strrchr(stat, ')');
	return close && close[1] == ' ' && close[2] != 'Z' && close[2] != 'X';
}

static void test_process_that_hangs_is_stopped_with_its_children(void **state)
{
	(void)state;
	helper_write();
	struct api_creds k;
	struct api_error e;
	char cmd[256], child_path[200];
	snprintf(cmd, sizeof cmd, "'%s' slow", helper_path);
	double t0 = now_s();
	assert_int_equal(cred_process_run(cmd, "p", 700, &k, &e), API_ERR_TRANSPORT);
	double took = now_s() - t0;
	assert_true(took >= 0.6 && took < 5.0); /* not the 30 s it asked for */
	assert_non_null(strstr(e.msg, "credential_process for profile p: no answer within"));
	/* the background child held the pipe too: it must be gone */
	snprintf(child_path, sizeof child_path, "%s.child", count_path);
	FILE *f = fopen(child_path, "r");
	assert_non_null(f);
	int child = 0;
	assert_int_equal(fscanf(f, "%d", &child), 1);
	fclose(f);
	for (int i = 0; i < 50 && alive(child); i++)
		usleep(20000);
	assert_false(alive(child));
}

static void test_process_expired_credentials_are_an_error(void **state)
{
	(void)state;
	helper_write();
	profile_process("good -60");
	struct api_error e;
	assert_null(provider(NULL, &e));
	assert_non_null(strstr(e.msg, "credential_process (profile default): the credentials it "
				      "returned expired at"));
	assert_clean(e.msg);
}

/* ---- refresh ---- */

static void test_short_lived_keys_refresh_on_every_get(void **state)
{
	(void)state;
	helper_write();
	profile_process("good 120"); /* inside the 5-minute window */
	struct api_error e;
	struct api_creds k;
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(runs(), 1);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_string_equal(k.access_key_id, "AKIDRUN2");
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_string_equal(k.access_key_id, "AKIDRUN3");
	assert_string_equal(k.warning, "");
	api_creds_provider_free(p);
}

static void test_long_lived_keys_are_reused_until_forced(void **state)
{
	(void)state;
	helper_write();
	profile_process("good 3600");
	struct api_error e;
	struct api_creds k;
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_string_equal(k.access_key_id, "AKIDRUN1");
	assert_int_equal(runs(), 1);
	assert_int_equal(api_creds_get(p, true, &k, &e), 0); /* the service refused them */
	assert_string_equal(k.access_key_id, "AKIDRUN2");
	api_creds_provider_free(p);
	/* without an Expiration they never refresh by themselves */
	profile_process("nexp");
	p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_int_equal(k.expires, 0);
	assert_int_equal(runs(), 1);
	api_creds_provider_free(p);
}

static void test_failed_refresh_keeps_valid_keys_and_says_so(void **state)
{
	(void)state;
	helper_write();
	profile_process("once 120");
	struct api_error e;
	struct api_creds k;
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0); /* refresh fails: run 2 */
	assert_string_equal(k.access_key_id, "AKIDRUN1");
	assert_non_null(strstr(k.warning, "refresh failed"));
	assert_non_null(strstr(k.warning, "exited 1: helper: session ended"));
	assert_non_null(strstr(k.warning, "using keys valid until"));
	assert_clean(k.warning);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0); /* no retry storm */
	assert_int_equal(runs(), 2);
	assert_string_equal(k.access_key_id, "AKIDRUN1");
	api_creds_provider_free(p);
}

static void test_failed_refresh_after_expiry_is_an_error(void **state)
{
	(void)state;
	helper_write();
	profile_process("once 2");
	struct api_error e;
	struct api_creds k;
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	usleep(2200 * 1000);
	assert_int_not_equal(api_creds_get(p, false, &k, &e), 0);
	assert_non_null(strstr(e.msg, "exited 1"));
	assert_clean(e.msg);
	assert_string_equal(k.secret_access_key, "");
	api_creds_provider_free(p);
}

struct getter {
	struct api_creds_provider *p;
	int failures;
};

static void *get_many(void *arg)
{
	struct getter *g = arg;
	for (int i = 0; i < 5; i++) {
		struct api_creds k;
		struct api_error e;
		if (api_creds_get(g->p, false, &k, &e) || strncmp(k.access_key_id, "AKIDRUN", 7))
			g->failures++;
		api_creds_wipe(&k);
	}
	return NULL;
}

static void test_threads_share_one_provider(void **state)
{
	(void)state;
	helper_write();
	profile_process("good 120");
	struct api_error e;
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	pthread_t t[4];
	struct getter g[4];
	for (int i = 0; i < 4; i++) {
		g[i] = (struct getter){ .p = p };
		assert_int_equal(pthread_create(&t[i], NULL, get_many, &g[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(g[i].failures, 0);
	}
	/* at most one refresh at a time, at least one per round of waiting */
	assert_true(runs() >= 2 && runs() <= 21);
	api_creds_provider_free(p);
}

/* ---- the metadata server ---- */

static pid_t server_pid;
static int server_port;

/* Start the server with args (NULL-terminated); false when python3 or the
 * script is missing (the test is then skipped, not passed). */
static bool server_start(const char *const *args)
{
	if (access(SERVER, R_OK) != 0)
		return false;
	const char *argv[16] = { "python3", SERVER };
	size_t n = 2;
	for (size_t i = 0; args && args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int fds[2];
	if (pipe(fds))
		return false;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int rc = posix_spawnp(&server_pid, "python3", &fa, NULL, (char **)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return false;
	}
	char buf[64] = "";
	size_t len = 0;
	struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
	while (len < sizeof buf - 1 && !strchr(buf, '\n') && poll(&pfd, 1, 10000) > 0) {
		ssize_t r = read(fds[0], buf + len, sizeof buf - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
	}
	close(fds[0]);
	if (sscanf(buf, "port: %d", &server_port) != 1) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
		return false;
	}
	return true;
}

static void server_stop(void)
{
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
	char *buf = ud;
	size_t have = strlen(buf), add = s * n;
	if (have + add < 512) {
		memcpy(buf + have, p, add);
		buf[have + add] = '\0';
	}
	return s * n;
}

/* GET /_stats and return the counter name; or POST /_control?query. */
static int server_call(const char *method, const char *path)
{
	char url[256], body[512] = "";
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", server_port, path);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	CURLcode rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	assert_int_equal(rc, CURLE_OK);
	return 0;
}

static int server_stat(const char *name)
{
	char url[256], body[512] = "", key[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/_stats", server_port);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	curl_easy_cleanup(h);
	snprintf(key, sizeof key, "\"%s\": ", name);
	const char *at = strstr(body, key);
	assert_non_null(at);
	return atoi(at + strlen(key));
}

static void test_container_credentials(void **state)
{
	(void)state;
	if (!server_start((const char *const[]){ "--container-token", "auth-NEVER-1", NULL }))
		skip();
	write_file(cfg_path, NULL, 0600);
	write_file(creds_path, NULL, 0600);
	char full[128], token_file[128];
	snprintf(full, sizeof full, "http://127.0.0.1:%d/container/creds?x=1", server_port);
	struct api_error e;
	struct api_creds k;

	fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_FULL_URI", full,
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-NEVER-1",
					    NULL },
		     ENV_DEFAULTS);
	struct api_creds_provider *p = provider(NULL, &e);
	if (!p)
		fail_msg("%s", e.msg);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_string_equal(k.access_key_id, "ASIAMETADATATEST0001");
	assert_string_equal(k.secret_access_key, "metadata-secret-never-printed");
	assert_string_equal(k.session_token, "metadata-token-never-printed");
	assert_true(k.expires > time(NULL) + 3000);
	char want[160];
	snprintf(want, sizeof want, "container credentials http://127.0.0.1:%d/container/creds",
		 server_port);
	assert_string_equal(k.source, want); /* the query is not shown */
	api_creds_provider_free(p);

	/* the token file wins and is read again on every fetch */
	snprintf(token_file, sizeof token_file, "%s/token", dir);
	write_file(token_file, "auth-NEVER-1\n", 0600);
	fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_FULL_URI", full,
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-NEVER",
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file,
					    NULL },
		     ENV_DEFAULTS);
	p = provider(NULL, &e);
	if (!p)
		fail_msg("%s", e.msg);
	write_file(token_file, "rotated-NEVER", 0600);
	/* a forced refresh sends the rotated token: refused, old keys kept */
	assert_int_equal(api_creds_get(p, true, &k, &e), 0);
	assert_non_null(strstr(k.warning, "HTTP 401"));
	assert_clean(k.warning);
	api_creds_provider_free(p);

	/* a wrong token: 401, final at once, named without the token */
	int before = server_stat("container");
	fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_FULL_URI", full,
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-NEVER",
					    NULL },
		     ENV_DEFAULTS);
	assert_null(provider(NULL, &e));
	assert_non_null(strstr(e.msg, "container credentials: http://127.0.0.1:"));
	assert_non_null(strstr(e.msg, "HTTP 401"));
	assert_clean(e.msg);
	assert_int_equal(server_stat("container"), before + 1);

	/* not JSON: named, not echoed */
	server_call("POST", "/_control?bad_json=1");
	fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_FULL_URI", full,
					    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-NEVER-1",
					    NULL },
		     ENV_DEFAULTS);
	assert_null(provider(NULL, &e));
	assert_non_null(strstr(e.msg, "container credentials"));
	assert_non_null(strstr(e.msg, "not shown"));
	assert_null(strstr(e.msg, "ASIAMETADATA"));
	server_call("POST", "/_control?bad_json=0");
	server_stop();

	/* the server gone: connection refused, after botocore's 3 attempts */
	double t0 = now_s();
	assert_null(provider(NULL, &e));
	assert_true(now_s() - t0 < 5);
	assert_non_null(strstr(e.msg, "container credentials: http://127.0.0.1:"));
	assert_non_null(strcasestr(e.msg, "refused"));
}

static void test_container_hosts_and_relative_uri(void **state)
{
	(void)state;
	struct cred_container c;
	struct api_error e;
	bool on;
	fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
					    "/v2/creds/abc", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
					    "http://ignored", NULL },
		     ENV_DEFAULTS);
	assert_int_equal(cred_container_setup(fake_env_get, &c, &on, &e), 0);
	assert_true(on);
	assert_string_equal(c.url, "http://169.254.170.2/v2/creds/abc");
	static const struct {
		const char *url;
		bool ok;
	} HOSTS[] = {
		{ "http://127.0.0.1:80/x", true },	 { "http://127.1.2.3/x", true },
		{ "http://localhost:9/x", true },	 { "http://[::1]:9/x", true },
		{ "http://169.254.170.23/x", true },	 { "http://[fd00:ec2::23]/x", true },
		{ "https://example.com/creds", true },	 { "http://example.com/creds", false },
		{ "http://10.0.0.1/x", false },		 { "http://localhost.evil.com/", false },
		{ "http://127.0.0.1@evil.com/", false }, { "ftp://127.0.0.1/", false },
		{ "http://169.254.169.254/", false },
	};
	for (size_t i = 0; i < sizeof HOSTS / sizeof HOSTS[0]; i++) {
		fake_env_set((const char *const[]){ "AWS_CONTAINER_CREDENTIALS_FULL_URI",
						    HOSTS[i].url, NULL },
			     ENV_DEFAULTS);
		int rc = cred_container_setup(fake_env_get, &c, &on, &e);
		if ((rc == 0) != HOSTS[i].ok)
			fail_msg("%s: rc %d (%s)", HOSTS[i].url, rc, e.msg);
	}
	fake_env_set(NULL, ENV_DEFAULTS);
	assert_int_equal(cred_container_setup(fake_env_get, &c, &on, &e), 0);
	assert_false(on);
}

static void test_imds_v2(void **state)
{
	(void)state;
	if (!server_start(NULL))
		skip();
	write_file(cfg_path, NULL, 0600);
	write_file(creds_path, NULL, 0600);
	char ep[64];
	snprintf(ep, sizeof ep, "http://127.0.0.1:%d/", server_port);
	struct api_error e;
	struct api_creds k;

	/* good: token, role, keys */
	fake_env_set((const char *const[]){ "AWS_EC2_METADATA_DISABLED", "false",
					    "AWS_EC2_METADATA_SERVICE_ENDPOINT", ep, NULL },
		     ENV_DEFAULTS);
	struct api_creds_provider *p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_string_equal(k.access_key_id, "ASIAMETADATATEST0001");
	assert_string_equal(k.session_token, "metadata-token-never-printed");
	assert_non_null(strstr(k.source, "instance metadata (role qldbtop-test-role"));
	assert_int_equal(server_stat("token"), 1);
	assert_int_equal(server_stat("refused"), 0);
	api_creds_provider_free(p);

	/* short-lived: the second get refreshes with a new token */
	server_call("POST", "/_control?expire_in=120");
	p = provider(NULL, &e);
	assert_non_null(p);
	assert_int_equal(api_creds_get(p, false, &k, &e), 0);
	assert_int_equal(server_stat("token"), 3);
	api_creds_provider_free(p);
	server_call("POST", "/_control?expire_in=3600");

	/* the token refused (403): IMDSv1 fallback, which this server refuses */
	server_call("POST", "/_control?fail=token%3D403");
	p = provider(NULL, &e);
	assert_non_null(p); /* no keys is not a set-up error */
	assert_int_not_equal(api_creds_get(p, false, &k, &e), 0);
	assert_non_null(strstr(e.msg, "no credentials: tried environment"));
	assert_non_null(strstr(e.msg, "role name: HTTP 401"));
	assert_clean(e.msg);
	api_creds_provider_free(p);
	/* ... and with IMDSv1 off, the 403 is the answer */
	fake_env_set((const char *const[]){ "AWS_EC2_METADATA_DISABLED", "false",
					    "AWS_EC2_METADATA_SERVICE_ENDPOINT", ep,
					    "AWS_EC2_METADATA_V1_DISABLED", "true", NULL },
		     ENV_DEFAULTS);
	p = provider(NULL, &e);
	assert_int_not_equal(api_creds_get(p, false, &k, &e), 0);
	assert_non_null(strstr(e.msg, "token request: HTTP 403"));
	api_creds_provider_free(p);
	server_call("POST", "/_control?fail=token%3D0");

	/* too slow: one attempt, 1 s, then "no credentials" */
	server_call("POST", "/_control?slow=3");
	double t0 = now_s();
	p = provider(NULL, &e);
	double took = now_s() - t0;
	assert_non_null(p);
	assert_true(took >= 0.9 && took < 3.0); /* one attempt of 1 s */
	assert_int_not_equal(api_creds_get(p, false, &k, &e), 0);
	assert_non_null(strstr(e.msg, "no answer within 1000 ms"));
	api_creds_provider_free(p);
	server_call("POST", "/_control?slow=0");

	/* disabled: not a single request */
	int before = server_stat("token");
	fake_env_set((const char *const[]){ "AWS_EC2_METADATA_DISABLED", "TRUE",
					    "AWS_EC2_METADATA_SERVICE_ENDPOINT", ep, NULL },
		     ENV_DEFAULTS);
	p = provider(NULL, &e);
	assert_int_not_equal(api_creds_get(p, false, &k, &e), 0);
	assert_non_null(strstr(e.msg, "instance metadata (disabled)"));
	assert_int_equal(server_stat("token"), before);
	api_creds_provider_free(p);
	server_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_order_follows_botocore),
		cmocka_unit_test(test_process_good_and_refused_outputs),
		cmocka_unit_test(test_process_that_hangs_is_stopped_with_its_children),
		cmocka_unit_test(test_process_expired_credentials_are_an_error),
		cmocka_unit_test(test_short_lived_keys_refresh_on_every_get),
		cmocka_unit_test(test_long_lived_keys_are_reused_until_forced),
		cmocka_unit_test(test_failed_refresh_keeps_valid_keys_and_says_so),
		cmocka_unit_test(test_failed_refresh_after_expiry_is_an_error),
		cmocka_unit_test(test_threads_share_one_provider),
		cmocka_unit_test(test_container_credentials),
		cmocka_unit_test(test_container_hosts_and_relative_uri),
		cmocka_unit_test(test_imds_v2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
