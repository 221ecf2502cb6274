/*
 * cmd_serve.c - `qldbtop serve [--listen HOST:PORT] [--access-key-id ID
 * --secret-access-key KEY]`: run the QLDB-compatible local endpoint
 * (sim/) until SIGINT or SIGTERM, then stop cleanly and exit 0. Options
 * come parsed from the table in tui/cli.c; a bad value, or an address that
 * cannot be bound (port in use), is one line on stderr and exit 2.
 *
 * Contract (DESIGN.md, tests rely on it): stdout gets, flushed at once,
 *   endpoint: http://HOST:PORT
 *   region: us-east-1
 *   access key id: ID
 *   secret access key: KEY          (the documented demo secret, or
 *                                    <redacted> when the user gave one)
 *   example: AWS_ACCESS_KEY_ID=... aws qldb get-digest ... --endpoint-url URL
 * The default listen address is 127.0.0.1:4580 (loopback only); PORT 0
 * picks a free port, and the endpoint line names the real one.
 * Signals are blocked before the server's threads start (they inherit the
 * mask) and the main thread waits in sigwait: no busy loop.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ledger.h"
#include "sim/server.h"
#include "tui/commands.h"

#define SERVE_DEFAULT_HOST "127.0.0.1"
#define SERVE_DEFAULT_PORT 4580 /* documented default; :0 for an ephemeral port */
#define SERVE_HOST_MAX 256
#define SERVE_ERR_MAX 256

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

int cmd_serve(const struct cli_parsed *p)
{
	char host[SERVE_HOST_MAX];
	unsigned port = SERVE_DEFAULT_PORT;
	const char *addr = cli_value(p, SERVE_OPT_LISTEN);
	const char *key_id = cli_value(p, SERVE_OPT_ACCESS_KEY_ID);
	const char *secret = cli_value(p, SERVE_OPT_SECRET_ACCESS_KEY);
	snprintf(host, sizeof host, "%s", SERVE_DEFAULT_HOST);
	if (addr && parse_listen(addr, host, sizeof host, &port) != 0)
		return cli_usage_error(
			p->cmd, "--listen wants HOST:PORT with PORT 0..65535, got '%.60s'", addr);
	if ((key_id == NULL) != (secret == NULL))
		return cli_usage_error(p->cmd,
				       "give --access-key-id and --secret-access-key together");
	bool user_secret = secret != NULL;
	if (!key_id) {
		key_id = SIM_DEFAULT_ACCESS_KEY_ID;
		secret = SIM_DEFAULT_SECRET_ACCESS_KEY;
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

	struct sim_config cfg = { .host = host,
				  .port = (uint16_t)port,
				  .access_key_id = key_id,
				  .secret_access_key = secret };
	char err[SERVE_ERR_MAX];
	struct sim_server *s = sim_server_start(&cfg, err, sizeof err);
	if (!s) {
		/* port in use, address not local: an environment error */
		fprintf(stderr, "qldbtop: serve: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	const char *url = sim_server_url(s);
	printf("endpoint: %s\n", url);
	printf("region: %s\n", SIM_DEFAULT_REGION);
	printf("ledger: %s\n", SIM_DEMO_LEDGER);
	printf("access key id: %s\n", key_id);
	printf("secret access key: %s\n", user_secret ? "<redacted>" : secret);
	printf("example: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s "
	       "aws qldb get-digest --name %s --endpoint-url %s\n",
	       key_id, user_secret ? "'<your secret>'" : secret, SIM_DEFAULT_REGION,
	       SIM_DEMO_LEDGER, url);
	printf("stop with Ctrl-C (SIGINT) or SIGTERM\n");
	fflush(stdout);

	int sig = 0;
	if (sigwait(&stop, &sig) != 0) /* fails only for a bad set: stop anyway */
		sig = 0;
	sim_server_stop(s);
	printf("stopped on signal %d\n", sig);
	fflush(stdout);
	return 0;
}
