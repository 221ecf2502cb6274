/*
 * cred_process.c - `credential_process`: run the profile's command the way
 * botocore's ProcessProvider does (split as shlex.split, no shell) and read
 * the credentials JSON from its stdout. Unlike botocore we give it
 * /dev/null as stdin (a curses dashboard owns the terminal), a clean
 * signal mask and default dispositions (our threads block SIGINT and
 * friends), its own process group, and a deadline after which the whole
 * group is killed, so a stuck helper never hangs a poller.
 */
#include "api/cred_source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/ini.h"
#include "common/json_strict.h"

extern char **environ;

#define STDERR_KEEP 1024 /* the first line is all a message shows */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The first line of the helper's stderr, if it looks safe to show: short
 * printable text without credential words or a long key-like run. */
static void stderr_line(const char *s, char *out, size_t cap)
{
	size_t n = strcspn(s, "\r\n");
	if (n > 120)
		n = 120;
	char line[128];
	memcpy(line, s, n);
	line[n] = '\0';
	size_t run = 0, longest = 0;
	bool printable = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		printable &= c >= 0x20 && c < 0x7f;
		bool keyish = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			      (c >= '0' && c <= '9') || c == '/' || c == '+' || c == '=';
		run = keyish ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	bool wordy = strcasestr(line, "secret") || strcasestr(line, "token") ||
		     strcasestr(line, "accesskey") || strcasestr(line, "password");
	if (n == 0)
		snprintf(out, cap, "(nothing on stderr)");
	else if (!printable || wordy || longest >= 30)
		snprintf(out, cap, "(stderr not shown: it may hold a secret)");
	else
		snprintf(out, cap, "%s", line);
}

/* Kill the helper's group and reap it. */
static void kill_reap(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int spawn(char **argv, pid_t *pid, int *out_fd, int *err_fd, const char *profile,
		 struct api_error *err)
{
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC))
		return api_error_set(err, API_ERR_CONFIG,
				     "credential_process for profile %.60s: pipe: %s", profile,
				     strerror(errno));
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		return api_error_set(err, API_ERR_CONFIG,
				     "credential_process for profile %.60s: pipe: %s", profile,
				     strerror(errno));
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawnattr_init(&at);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL); /* their dispositions cannot be set */
	sigdelset(&all, SIGSTOP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(po[1]);
	close(pe[1]);
	if (rc) {
		close(po[0]);
		close(pe[0]);
		return api_error_set(err, API_ERR_CONFIG,
				     "credential_process for profile %.60s: cannot run '%.60s': %s",
				     profile, argv[0], strerror(rc));
	}
	*out_fd = po[0];
	*err_fd = pe[0];
	return 0;
}

/* Read both pipes until EOF and the child's exit, or the deadline. */
static int collect(pid_t pid, int *ofd, int *efd, long deadline, char *out, size_t *olen,
		   bool *over, char *errs, size_t *elen, int *wstatus)
{
	struct pollfd fds[2] = { { .fd = *ofd, .events = POLLIN },
				 { .fd = *efd, .events = POLLIN } };
	bool exited = false;
	for (;;) {
		if (!exited) {
			pid_t r = waitpid(pid, wstatus, WNOHANG);
			exited = r == pid;
			if (r < 0 && errno == ECHILD) { /* SIGCHLD ignored: reaped for us */
				exited = true;
				*wstatus = 0;
			}
		}
		if (exited && fds[0].fd < 0 && fds[1].fd < 0)
			return 0;
		long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		/* once the helper exited, what is left in the pipes comes at once;
		 * poll briefly so a background child holding them cannot stall us */
		int r = poll(fds, 2,
			     exited ? (int)(left < 50 ? left : 50)
				    : (int)(left < 100 ? left : 100));
		if (r < 0 && errno != EINTR)
			return -1;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char chunk[4096];
			ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				*(i == 0 ? ofd : efd) = -1; /* the caller closes the rest */
				continue;
			}
			if (i == 0) {
				size_t take = (size_t)n;
				if (*olen + take > CRED_BODY_MAX) {
					*over = true;
					take = CRED_BODY_MAX - *olen;
				}
				memcpy(out + *olen, chunk, take);
				*olen += take;
			} else {
				size_t take = (size_t)n;
				if (*elen + take > STDERR_KEEP)
					take = STDERR_KEEP - *elen;
				memcpy(errs + *elen, chunk, take);
				*elen += take;
			}
			explicit_bzero(chunk, sizeof chunk);
		}
		if (exited && r == 0) /* exited, and the pipes stay quiet: done */
			return 0;
	}
}

int cred_process_parse_output(const char *body, size_t len, const char *profile,
			      struct api_creds *out, struct api_error *err)
{
	memset(out, 0, sizeof *out);
	char what[128];
	snprintf(what, sizeof what, "credential_process for profile %.60s", profile);
	/* Version must be the number 1, as botocore checks it first */
	char why[API_ERROR_MSG_MAX];
	cJSON *root = json_strict_parse(body, len, what, why, sizeof why);
	if (!root)
		return api_error_set(err, API_ERR_PARSE, "%s (the output is not shown)", why);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "Version");
	bool v1 = cJSON_IsNumber(v) && v->valuedouble == 1;
	bool has_v = v != NULL;
	for (cJSON *c = root->child; c; c = c->next)
		if (cJSON_IsString(c) && c->valuestring)
			explicit_bzero(c->valuestring, strlen(c->valuestring));
	cJSON_Delete(root);
	if (!v1)
		return api_error_set(err, API_ERR_PARSE, "%s: %s (supported: 1)", what,
				     has_v ? "unsupported Version" : "no Version in the output");
	int rc = cred_json_take(body, len, what, "SessionToken", false, out, err);
	if (!rc)
		snprintf(out->source, sizeof out->source, "credential_process (profile %.60s)",
			 profile);
	return rc;
}

int cred_process_run(const char *command, const char *profile, int timeout_ms,
		     struct api_creds *out, struct api_error *err)
{
	memset(out, 0, sizeof *out);
	char words[4096];
	char *argv[INI_WORDS_MAX + 1];
	size_t argc;
	const char *why;
	if (ini_shell_split(command, words, sizeof words, argv, INI_WORDS_MAX, &argc, &why))
		return api_error_set(err, API_ERR_CONFIG,
				     "credential_process for profile %.60s: cannot split the "
				     "command: %s",
				     profile, why);
	if (argc == 0)
		return api_error_set(err, API_ERR_CONFIG,
				     "credential_process for profile %.60s is empty", profile);
	pid_t pid;
	int ofd = -1, efd = -1;
	if (spawn(argv, &pid, &ofd, &efd, profile, err))
		return err->status;
	char *body = malloc(CRED_BODY_MAX + 1);
	char errs[STDERR_KEEP + 1];
	size_t olen = 0, elen = 0;
	bool over = false;
	int wstatus = 0, rc = 0;
	if (!body) {
		kill_reap(pid);
		close(ofd);
		close(efd);
		return api_error_set(err, API_ERR_NOMEM, "credential_process: out of memory");
	}
	int got = collect(pid, &ofd, &efd, now_ms() + timeout_ms, body, &olen, &over, errs, &elen,
			  &wstatus);
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	body[olen] = '\0';
	errs[elen] = '\0';
	if (got < 0) {
		kill_reap(pid);
		rc = api_error_set(err, API_ERR_TRANSPORT,
				   "credential_process for profile %.60s: no answer within %d s "
				   "(stopped it)",
				   profile, timeout_ms / 1000);
		goto out;
	}
	kill(-pid, SIGKILL); /* leftovers of the helper's group */
	char line[160];
	stderr_line(errs, line, sizeof line);
	if (WIFSIGNALED(wstatus)) {
		rc = api_error_set(err, API_ERR_CONFIG,
				   "credential_process for profile %.60s was killed by signal %d: "
				   "%s",
				   profile, WTERMSIG(wstatus), line);
		goto out;
	}
	if (WEXITSTATUS(wstatus) != 0) {
		rc = api_error_set(err, API_ERR_CONFIG,
				   "credential_process for profile %.60s exited %d: %s", profile,
				   WEXITSTATUS(wstatus), line);
		goto out;
	}
	if (over) {
		rc = api_error_set(err, API_ERR_LIMIT,
				   "credential_process for profile %.60s: output over %d bytes",
				   profile, CRED_BODY_MAX);
		goto out;
	}
	rc = cred_process_parse_output(body, olen, profile, out, err);
out:
	explicit_bzero(body, olen);
	explicit_bzero(errs, sizeof errs);
	free(body);
	return rc;
}
