/*
 * audit_probe.c - run the auditor (api/auditor.h) against a real endpoint
 * for N rounds and print one line per audit event:
 *
 *   audit_probe --endpoint URL --ledger NAME --rounds N --interval-ms M
 *               [--vault-dir DIR] [--region R] [--budget N] [--samples N]
 *
 * Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (never
 * printed). A line reads
 *   RESULT kind STRAND:SEQ[ -> STRAND:SEQ][ expected X computed Y]: message
 * and, before each round, "round N at MS ms" (ms since the first round).
 * Exit 0 when no event FAILED, 1 when one did, 2 on a usage or set-up
 * error (one line on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auditor.h"
#include "api/config.h"
#include "api/http.h"
#include "api/qldb_proofs.h"
#include "api/vault.h"

#define PROBE_ROUNDS_MAX 100000
#define PROBE_INTERVAL_MAX 3600000 /* one hour, in ms */
#define PROBE_BUDGET_MAX 10000

struct probe {
	unsigned failed;
};

static void on_event(void *ctx, const struct audit_event *e)
{
	struct probe *p = ctx;
	if (e->result == AUDIT_FAILED)
		p->failed++;
	char where[160] = "";
	size_t k = 0;
	if (e->seq >= 0)
		k += (size_t)snprintf(where + k, sizeof where - k, " %s:%lld", e->strand,
				      (long long)e->seq);
	if (e->seq_to >= 0)
		snprintf(where + k, sizeof where - k, " -> %s:%lld", e->strand,
			 (long long)e->seq_to);
	char ev[160] = "";
	if (e->result == AUDIT_FAILED && (e->expected[0] || e->computed[0]))
		snprintf(ev, sizeof ev, " expected %s computed %s",
			 e->expected[0] ? e->expected : "-", e->computed[0] ? e->computed : "-");
	printf("%s %s%s%s: %s\n", audit_result_name(e->result), audit_kind_name(e->kind), where, ev,
	       e->message);
	fflush(stdout);
}

static int usage(const char *why)
{
	fprintf(stderr,
		"audit_probe: %s (usage: audit_probe --endpoint URL --ledger NAME "
		"--rounds N --interval-ms M [--vault-dir DIR] [--region R] [--budget N] "
		"[--samples N])\n",
		why);
	return 2;
}

static int number(const char *s, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *endpoint = NULL, *ledger = NULL, *vault_dir = NULL, *region = NULL;
	long rounds = -1, interval = -1, budget = 0, samples = -1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (i + 1 >= argc)
			return usage("an option is missing its value");
		const char *v = argv[++i];
		if (strcmp(o, "--endpoint") == 0)
			endpoint = v;
		else if (strcmp(o, "--ledger") == 0)
			ledger = v;
		else if (strcmp(o, "--vault-dir") == 0)
			vault_dir = v;
		else if (strcmp(o, "--region") == 0)
			region = v;
		else if (strcmp(o, "--rounds") == 0) {
			if (number(v, PROBE_ROUNDS_MAX, &rounds) || rounds < 1)
				return usage("--rounds wants 1..100000");
		} else if (strcmp(o, "--interval-ms") == 0) {
			if (number(v, PROBE_INTERVAL_MAX, &interval))
				return usage("--interval-ms wants 0..3600000");
		} else if (strcmp(o, "--budget") == 0) {
			if (number(v, PROBE_BUDGET_MAX, &budget) || budget < 1)
				return usage("--budget wants 1..10000");
		} else if (strcmp(o, "--samples") == 0) {
			if (number(v, PROBE_BUDGET_MAX, &samples))
				return usage("--samples wants 0..10000");
		} else
			return usage("unknown option");
	}
	if (!endpoint || !ledger || rounds < 0 || interval < 0)
		return usage("--endpoint, --ledger, --rounds and --interval-ms are required");

	struct api_config cfg;
	struct api_error err;
	struct api_config_overrides ov = { .endpoint_url = endpoint, .region = region };
	if (api_config_resolve(&cfg, &ov, NULL, &err)) {
		fprintf(stderr, "audit_probe: %s\n", err.msg);
		return 2;
	}
	if (!cfg.have_credentials) {
		fprintf(stderr, "audit_probe: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
				"required\n");
		return 2;
	}
	if (http_global_init()) {
		fprintf(stderr, "audit_probe: libcurl could not start\n");
		return 2;
	}
	int status = 2;
	struct vault *vault = NULL;
	struct auditor *a = NULL;
	struct http_client *c = http_client_new(&cfg, "qldb", NULL, &err);
	if (!c) {
		fprintf(stderr, "audit_probe: %s\n", err.msg);
		goto out;
	}
	if (vault_dir &&
	    !(vault = vault_open(vault_dir, cfg.endpoint, cfg.region, ledger, NULL, &err))) {
		fprintf(stderr, "audit_probe: %s\n", err.msg);
		goto out;
	}
	struct probe p = { 0 };
	struct audit_config ac = { .ledger = ledger,
				   .ops = &qldb_proofs_audit_ops,
				   .ops_ctx = c,
				   .emit = on_event,
				   .emit_ctx = &p,
				   .budget = (unsigned)budget,
				   .samples = samples > 0 ? (unsigned)samples : 0,
				   .samples_off = samples == 0,
				   .vault = vault };
	if (!(a = auditor_new(&ac, &err))) {
		fprintf(stderr, "audit_probe: %s\n", err.msg);
		goto out;
	}
	double t0 = mono_ms();
	for (long r = 0; r < rounds; r++) {
		if (r)
			sleep_ms(interval);
		/* the round marker lets a test say "within two rounds" */
		printf("round %ld at %.0f ms\n", r + 1, mono_ms() - t0);
		auditor_round(a);
	}
	struct audit_summary s;
	auditor_summary(a, &s);
	printf("summary %s: %llu rounds, %llu VERIFIED, %llu FAILED, %llu UNVERIFIED, last "
	       "proven tip %s:%lld\n",
	       s.ledger, (unsigned long long)s.rounds, (unsigned long long)s.counts[AUDIT_VERIFIED],
	       (unsigned long long)s.counts[AUDIT_FAILED],
	       (unsigned long long)s.counts[AUDIT_UNVERIFIED], s.has_tip ? s.tip_strand : "-",
	       s.has_tip ? (long long)s.tip_seq : -1LL);
	status = p.failed ? 1 : 0;
out:
	auditor_free(a);
	vault_free(vault);
	http_client_free(c);
	api_config_wipe(&cfg);
	http_global_cleanup();
	return status;
}
