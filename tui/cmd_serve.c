/*
 * cmd_serve.c - `qldbtop serve`: run the QLDB-compatible local endpoint
 * (sim/) until SIGINT or SIGTERM, then stop cleanly and exit 0. Options
 * come parsed from the table in tui/cli.c; a bad value, a credentials file
 * that cannot be trusted, or an address that cannot be bound (port in use)
 * is one line on stderr and exit 2. Every option is checked before anything
 * is created or bound.
 *
 * Contract (DESIGN.md, tests rely on it): stdout gets, flushed at once,
 *   endpoint: http://HOST:PORT
 *   region: us-east-1
 *   ledger: financial-ledger
 *   access key id: ID
 *   secret access key: KEY          (the documented demo secret, or
 *                                    <redacted> for any other secret)
 *   key source: demo | flags | file FILE | environment
 *   example: AWS_ACCESS_KEY_ID=... aws qldb get-digest ... --endpoint-url URL
 * The default listen address is 127.0.0.1:4580 (loopback only); PORT 0
 * picks a free port, and the endpoint line names the real one.
 *
 * The key pair (one source gives both halves, else a usage error naming the
 * missing half), first of:
 *   1. --access-key-id and --secret-access-key (the secret is visible in
 *      /proc/PID/cmdline: its argv copy is overwritten once the server
 *      holds it, which narrows that window but cannot close it);
 *   2. --credentials-file FILE, a regular file of mode 0600 or stricter
 *      (refused otherwise, as ssh refuses a readable key) owned by us or
 *      root, holding either or both of these forms:
 *        [default]                          QLDBTOP_SERVE_ACCESS_KEY_ID=ID
 *        aws_access_key_id = ID             QLDBTOP_SERVE_SECRET_ACCESS_KEY=KEY
 *        aws_secret_access_key = KEY
 *      The AWS form is read from [default] only (other sections and keys are
 *      skipped, as a shared credentials file holds them); the KEY=VALUE
 *      form before any section. Blank lines and lines starting with # or ;
 *      are comments; values are trimmed, not unquoted. A half given twice
 *      (in either form) is an error;
 *   3. QLDBTOP_SERVE_ACCESS_KEY_ID and QLDBTOP_SERVE_SECRET_ACCESS_KEY in
 *      the environment (an empty variable counts as unset);
 *   4. the documented demo pair (SIM_DEFAULT_*).
 *
 * Signals are blocked before the server's threads start (they inherit the
 * mask) and the main thread waits in sigwait: no busy loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/ledger.h"
#include "sim/recipe.h"
#include "sim/scenario.h"
#include "sim/server.h"
#include "tui/assets.h"
#include "api/cli_io.h"
#include "tui/commands.h"

#define SERVE_DEFAULT_HOST "127.0.0.1"
#define SERVE_DEFAULT_PORT 4580 /* documented default; :0 for an ephemeral port */
#define SERVE_RATE_MAX 1000.0	/* blocks per second; beyond is a typo, not a workload */
#define SERVE_RATE_TEXT_MAX 32	/* characters of a --rate value */
#define SERVE_HOST_MAX 256
#define SERVE_ERR_MAX 256
#define SERVE_PATH_MAX 4096
#define SERVE_KEY_MAX 256	  /* one half of the key pair (as sim/server.c) */
#define SERVE_CRED_FILE_MAX 65536 /* a credentials file; more is not one */
#define SERVE_CRED_LINE_MAX 1024  /* one line of it */
#define SERVE_NOFILE_WANT 2048	  /* descriptors: sim/server.c's 1024 connections + room */
#define SERVE_ENV_KEY_ID "QLDBTOP_SERVE_ACCESS_KEY_ID"
#define SERVE_ENV_SECRET "QLDBTOP_SERVE_SECRET_ACCESS_KEY"

/* The key pair and where it came from; the secret is scrubbed at the end. */
struct serve_keys {
	char key_id[SERVE_KEY_MAX];
	char secret[SERVE_KEY_MAX];
	char source[SERVE_ERR_MAX]; /* "flags", "file F", "environment", "demo" */
};

/* Split HOST:PORT (HOST may be empty or [v6]) into host and port. */
static int parse_listen(const char *arg, char *host, size_t cap, unsigned *port)
{
	const char *colon = strrchr(arg, ':');
	if (!colon || !colon[1])
		return -1;
	size_t hl = (size_t)(colon - arg);
	const char *h = arg;
	if (hl >= 2 && arg[0] == '[' && arg[hl - 1] == ']') {
		h++;
		hl -= 2;
	} else if (memchr(arg, ':', hl)) {
		return -1; /* a bare IPv6 address needs brackets */
	}
	if (hl >= cap)
		return -1;
	if (hl == 0) {
		snprintf(host, cap, "%s", SERVE_DEFAULT_HOST);
	} else {
		memcpy(host, h, hl);
		host[hl] = '\0';
	}
	char *end;
	errno = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end || errno || p > 65535 || colon[1] < '0' || colon[1] > '9')
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* A decimal uint64 (digits only: no sign, no space, no hex). */
static int parse_seed(const char *arg, uint64_t *seed)
{
	if (!*arg || strspn(arg, "0123456789") != strlen(arg))
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || *end)
		return -1;
	*seed = (uint64_t)v;
	return 0;
}

/* DIGITS[.DIGITS] (or .DIGITS) in 0..SERVE_RATE_MAX: no sign, exponent,
 * hex, inf or nan, which strtod alone would take. */
static int parse_rate(const char *arg, double *rate)
{
	size_t len = strlen(arg);
	size_t ip = strspn(arg, "0123456789");
	size_t fp = arg[ip] == '.' ? strspn(arg + ip + 1, "0123456789") : 0;
	size_t used = ip + (arg[ip] == '.' ? 1 + fp : 0);
	if (len == 0 || len > SERVE_RATE_TEXT_MAX || used != len || ip + fp == 0)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > SERVE_RATE_MAX)
		return -1;
	*rate = v;
	return 0;
}

/* Make sure dir is a folder we can write, creating it 0700 if absent.
 * Returns 0, or -1 with a one-line reason. */
static int data_dir_prepare(const char *dir, char *why, size_t cap)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(why, cap, "--data-dir %.80s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(dir, &st) != 0) {
		snprintf(why, cap, "--data-dir %.80s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, cap, "--data-dir %.80s: not a folder", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(why, cap, "--data-dir %.80s: not writable: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Copy one half of the key pair (1..SERVE_KEY_MAX-1 printable characters,
 * no space inside). Returns 0 or -1. */
static int key_copy(char *dst, const char *src, size_t len)
{
	if (len == 0 || len >= SERVE_KEY_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)src[i] <= ' ' || (unsigned char)src[i] == 0x7f)
			return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* Trim spaces and tabs (and a CR, for files written on Windows) both ends. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Which half of the pair a credentials-file key names, in its section. */
static int cred_half(const char *key, bool top, bool in_default)
{
	if (top && strcmp(key, SERVE_ENV_KEY_ID) == 0)
		return 0;
	if (top && strcmp(key, SERVE_ENV_SECRET) == 0)
		return 1;
	if (in_default && strcmp(key, "aws_access_key_id") == 0)
		return 0;
	if (in_default && strcmp(key, "aws_secret_access_key") == 0)
		return 1;
	return -1; /* not ours: skipped */
}

/* Parse the lines of a credentials file (see the file comment) into k.
 * Returns 0, or -1 with "--credentials-file PATH line N: what" (never a
 * value) in why. */
static int cred_parse(FILE *f, const char *path, struct serve_keys *k, char *why, size_t cap)
{
	char line[SERVE_CRED_LINE_MAX + 2];
	bool top = true, in_default = false, have[2] = { false, false };
	int ok = 0;
	for (unsigned n = 1; fgets(line, sizeof line, f); n++) {
		size_t len = strlen(line);
		if (len > SERVE_CRED_LINE_MAX && line[len - 1] != '\n') {
			snprintf(why, cap, "--credentials-file %.80s line %u: longer than %d bytes",
				 path, n, SERVE_CRED_LINE_MAX);
			ok = -1;
			break;
		}
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		char *s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || *trim(close + 1)) {
				snprintf(why, cap,
					 "--credentials-file %.80s line %u: malformed [section]",
					 path, n);
				ok = -1;
				break;
			}
			*close = '\0';
			top = false;
			in_default = strcmp(trim(s + 1), "default") == 0;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(why, cap, "--credentials-file %.80s line %u: expected KEY = VALUE",
				 path, n);
			ok = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		int h = cred_half(key, top, in_default);
		if (h < 0)
			continue;
		const char *name = h ? "the secret access key" : "the access key id";
		if (have[h]) {
			snprintf(why, cap, "--credentials-file %.80s line %u: %s given twice", path,
				 n, name);
			ok = -1;
			break;
		}
		if (key_copy(h ? k->secret : k->key_id, val, strlen(val)) != 0) {
			snprintf(why, cap,
				 "--credentials-file %.80s line %u: %s must be 1..%d characters "
				 "without spaces",
				 path, n, name, SERVE_KEY_MAX - 1);
			ok = -1;
			break;
		}
		have[h] = true;
	}
	explicit_bzero(line, sizeof line);
	if (ok == 0 && ferror(f)) {
		snprintf(why, cap, "--credentials-file %.80s: cannot read", path);
		ok = -1;
	}
	if (ok == 0 && (!have[0] || !have[1])) {
		snprintf(why, cap,
			 "--credentials-file %.80s: no %s (give aws_access_key_id and "
			 "aws_secret_access_key in "
			 "[default], or both QLDBTOP_SERVE_* lines)",
			 path, have[0] ? "secret access key" : "access key id");
		ok = -1;
	}
	return ok;
}

/* Read the key pair from a credentials file we can trust: a regular file
 * (opened without blocking, so a FIFO is refused at once), owned by us or
 * root, that no one else may read or write. */
static int cred_file_read(const char *path, struct serve_keys *k, char *why, size_t cap)
{
	char open_why[SERVE_ERR_MAX];
	uint64_t size;
	int fd = cli_file_open(path, 0, &size, open_why, sizeof open_why);
	if (fd < 0) {
		snprintf(why, cap, "--credentials-file %.160s", open_why);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(why, cap, "--credentials-file %.80s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(why, cap,
			 "--credentials-file %.80s: mode %04o lets others read or write it; "
			 "chmod 600 it",
			 path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(why, cap, "--credentials-file %.80s: owned by another user (uid %u)", path,
			 (unsigned)st.st_uid);
		close(fd);
		return -1;
	}
	if (size > SERVE_CRED_FILE_MAX) {
		snprintf(why, cap, "--credentials-file %.80s: larger than %d bytes", path,
			 SERVE_CRED_FILE_MAX);
		close(fd);
		return -1;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		snprintf(why, cap, "out of memory");
		return -1;
	}
	int rc = cred_parse(f, path, k, why, cap);
	fclose(f);
	if (rc == 0)
		snprintf(k->source, sizeof k->source, "file %.200s", path);
	return rc;
}

/* The key pair from the first source that gives one (file comment).
 * Returns 0, or -1 with a one-line reason that holds no secret. */
static int keys_resolve(const struct cli_parsed *p, struct serve_keys *k, char *why, size_t cap)
{
	const char *id = cli_value(p, SERVE_OPT_ACCESS_KEY_ID);
	const char *sec = cli_value(p, SERVE_OPT_SECRET_ACCESS_KEY);
	const char *file = cli_value(p, SERVE_OPT_CREDENTIALS_FILE);
	const char *src = "flags";
	if (!id && !sec && file)
		return cred_file_read(file, k, why, cap);
	if (id || sec) {
		if (!id || !sec) {
			snprintf(why, cap, "%s without %s: give both halves of the key pair",
				 id ? "--access-key-id" : "--secret-access-key",
				 id ? "--secret-access-key" : "--access-key-id");
			return -1;
		}
	} else {
		id = getenv(SERVE_ENV_KEY_ID);
		sec = getenv(SERVE_ENV_SECRET);
		id = id && *id ? id : NULL;
		sec = sec && *sec ? sec : NULL;
		if (!id && !sec) {
			id = SIM_DEFAULT_ACCESS_KEY_ID;
			sec = SIM_DEFAULT_SECRET_ACCESS_KEY;
			src = "demo";
		} else if (!id || !sec) {
			snprintf(why, cap,
				 "%s is set but %s is not: give both halves of the key pair",
				 id ? SERVE_ENV_KEY_ID : SERVE_ENV_SECRET,
				 id ? SERVE_ENV_SECRET : SERVE_ENV_KEY_ID);
			return -1;
		} else {
			src = "environment";
		}
	}
	if (key_copy(k->key_id, id, strlen(id)) != 0) {
		snprintf(why, cap, "the access key id (%s) must be 1..%d characters without spaces",
			 src, SERVE_KEY_MAX - 1);
		return -1;
	}
	if (key_copy(k->secret, sec, strlen(sec)) != 0) {
		snprintf(why, cap,
			 "the secret access key (%s) must be 1..%d characters without spaces", src,
			 SERVE_KEY_MAX - 1);
		return -1;
	}
	snprintf(k->source, sizeof k->source, "%s", src);
	return 0;
}

/* Overwrite a secret given on the command line, so /proc/PID/cmdline stops
 * showing it (argv's strings are ours to change; see the file comment). */
static void argv_scrub(const char *value)
{
	if (value)
		memset((char *)value, 'x', strlen(value));
}

/* Allow the descriptors the endpoint may hold (one per connection) where
 * the soft limit is lower; failing to is not fatal: the server then stops
 * accepting at the lower limit. */
static void nofile_raise(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= SERVE_NOFILE_WANT)
		return;
	rl.rlim_cur = rl.rlim_max < SERVE_NOFILE_WANT ? rl.rlim_max : SERVE_NOFILE_WANT;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int cmd_serve(const struct cli_parsed *p)
{
	/* a client that hangs up mid-answer is an EPIPE for that connection,
	 * never the end of the endpoint */
	signal(SIGPIPE, SIG_IGN);
	char host[SERVE_HOST_MAX];
	unsigned port = SERVE_DEFAULT_PORT;
	const char *addr = cli_value(p, SERVE_OPT_LISTEN);
	const char *seed_arg = cli_value(p, SERVE_OPT_SEED);
	const char *rate_arg = cli_value(p, SERVE_OPT_RATE);
	const char *data_dir = cli_value(p, SERVE_OPT_DATA_DIR);
	uint64_t seed = 0;
	double rate = SIM_DEFAULT_RATE;
	snprintf(host, sizeof host, "%s", SERVE_DEFAULT_HOST);
	if (addr && parse_listen(addr, host, sizeof host, &port) != 0)
		return cli_usage_error(
			p->cmd, "--listen wants HOST:PORT with PORT 0..65535, got '%.60s'", addr);
	if (seed_arg && parse_seed(seed_arg, &seed) != 0)
		return cli_usage_error(p->cmd, "--seed wants an integer 0..%llu, got '%.40s'",
				       (unsigned long long)UINT64_MAX, seed_arg);
	if (rate_arg && parse_rate(rate_arg, &rate) != 0)
		return cli_usage_error(p->cmd,
				       "--rate wants blocks per second, a decimal 0..%g, got "
				       "'%.40s'",
				       SERVE_RATE_MAX, rate_arg);
	struct serve_keys *k = calloc(1, sizeof *k);
	if (!k) {
		fprintf(stderr, "qldbtop: serve: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	char why[SERVE_ERR_MAX];
	if (keys_resolve(p, k, why, sizeof why) != 0 ||
	    (data_dir && data_dir_prepare(data_dir, why, sizeof why) != 0)) {
		explicit_bzero(k, sizeof *k);
		free(k);
		return cli_usage_error(p->cmd, "%s", why);
	}
	bool demo_secret = strcmp(k->secret, SIM_DEFAULT_SECRET_ACCESS_KEY) == 0;
	struct sim_scenario *scenario = NULL;
	const char *scenario_arg = cli_value(p, SERVE_OPT_SCENARIO);
	if (scenario_arg) {
		char dir[SERVE_PATH_MAX];
		assets_dir("scenarios", dir, sizeof dir);
		scenario = sim_scenario_load(scenario_arg, dir, why, sizeof why);
		if (!scenario) {
			explicit_bzero(k, sizeof *k);
			free(k);
			return cli_usage_error(p->cmd, "%s", why);
		}
	}

	/* Block the stop signals first: the server threads inherit the mask,
	 * so only sigwait below ever sees them. */
	sigset_t stop;
	/* a shell starts background jobs with SIGINT ignored: undo that */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	nofile_raise();

	/* 0 s: completed at once, which the registry spells as negative */
	int64_t export_ms = 0;
	if (cli_given(p, SERVE_OPT_EXPORT_SECONDS))
		export_ms = cli_num(p, SERVE_OPT_EXPORT_SECONDS) > 0
				    ? (int64_t)cli_num(p, SERVE_OPT_EXPORT_SECONDS) * 1000
				    : -1;
	int64_t create_ms = 0; /* the same rule */
	if (cli_given(p, SERVE_OPT_CREATE_SECONDS))
		create_ms = cli_num(p, SERVE_OPT_CREATE_SECONDS) > 0
				    ? (int64_t)cli_num(p, SERVE_OPT_CREATE_SECONDS) * 1000
				    : -1;
	struct sim_config cfg = { .host = host,
				  .port = (uint16_t)port,
				  .access_key_id = k->key_id,
				  .secret_access_key = k->secret,
				  .seed = seed,
				  .seed_set = seed_arg != NULL,
				  .rate = rate,
				  .data_dir = data_dir,
				  .demo_blocks = cli_given(p, SERVE_OPT_BLOCKS)
							 ? (size_t)cli_num(p, SERVE_OPT_BLOCKS)
							 : 0,
				  .demo_blocks_set = cli_given(p, SERVE_OPT_BLOCKS),
				  .scenario = scenario,
				  .recipe = cli_given(p, SERVE_OPT_RECIPE),
				  .export_ms = export_ms,
				  .create_ms = create_ms };
	char err[SERVE_ERR_MAX];
	struct sim_server *s = sim_server_start(&cfg, err, sizeof err);
	/* the server holds its own copy now */
	explicit_bzero(k->secret, sizeof k->secret);
	argv_scrub(cli_value(p, SERVE_OPT_SECRET_ACCESS_KEY));
	if (!s) {
		free(k);
		/* port in use, address not local: an environment error */
		fprintf(stderr, "qldbtop: serve: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	/* what recovery did (a torn log tail removed): the operator must know */
	const char *notes = sim_server_notes(s);
	if (notes[0]) {
		fprintf(stderr, "%s", notes);
		fflush(stderr);
	}
	const char *url = sim_server_url(s);
	printf("endpoint: %s\n", url);
	printf("region: %s\n", SIM_DEFAULT_REGION);
	printf("ledger: %s\n", SIM_DEMO_LEDGER);
	printf("access key id: %s\n", k->key_id);
	printf("secret access key: %s\n",
	       demo_secret ? SIM_DEFAULT_SECRET_ACCESS_KEY : "<redacted>");
	printf("key source: %s\n", k->source);
	if (cfg.recipe)
		printf("recipe: kinesis stream %s, journal stream %s, export bucket %s, stream "
		       "role "
		       "%s, export role %s\n",
		       SIM_RECIPE_KINESIS_STREAM, SIM_RECIPE_JOURNAL_STREAM, SIM_RECIPE_BUCKET,
		       SIM_RECIPE_STREAM_ROLE, SIM_RECIPE_EXPORT_ROLE);
	printf("example: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s "
	       "aws qldb get-digest --name %s --endpoint-url %s\n",
	       k->key_id, demo_secret ? SIM_DEFAULT_SECRET_ACCESS_KEY : "'<your secret>'",
	       SIM_DEFAULT_REGION, SIM_DEMO_LEDGER, url);
	printf("stop with Ctrl-C (SIGINT) or SIGTERM\n");
	fflush(stdout);
	free(k);

	int sig = 0;
	if (sigwait(&stop, &sig) != 0) /* fails only for a bad set: stop anyway */
		sig = 0;
	sim_server_stop(s);
	printf("stopped on signal %d\n", sig);
	fflush(stdout);
	return 0;
}
