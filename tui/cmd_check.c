/*
 * cmd_check.c - `qldbtop check`: a monitoring plugin (Nagios, Icinga,
 * Sensu, Zabbix): one poll as snapshot does, then the rules of CHECK_RULES
 * over the store, then the status line "QLDB STATE - summary|perfdata"
 * first, one line per finding after it, and the exit status 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Never starts curses.
 *
 * A rule names the slot kind it reads and an evaluation; a rule whose
 * kind is not polled in this version has no evaluation and is printed as
 * "not checked", never as OK. Integrity is OK only when some block was
 * proven: an unchanged digest (continuity alone) proves no block intact.
 *
 * The worst finding wins, in the order CRITICAL > WARNING > UNKNOWN > OK
 * (a known failure outranks an unknown). With nothing to check (no
 * ledger, the endpoint unreachable, no credentials) the result is
 * UNKNOWN: a check that did not run is not OK.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auditor.h"
#include "api/poller.h"
#include "api/qldb_streams.h"
#include "api/resource.h"
#include "api/store.h"
#include "tui/commands.h"

#define CHECK_DEFAULT_MAX_DIGEST_AGE_S 300
#define CHECK_MSG_MAX 320
#define CHECK_FINDINGS_MAX 512 /* findings printed; more are counted */
#define CHECK_SUMMARY_MAX 600  /* the status line's text before '|' */
#define CHECK_PERF_MAX 4096    /* perfdata: a few labels per ledger */

enum check_state { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };
static const char *const CHECK_STATE_NAMES[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
/* severity order: CRITICAL > WARNING > UNKNOWN > OK */
static const int CHECK_RANK[] = { 0, 2, 3, 1 };

struct check_ctx {
	struct store *store;
	double max_digest_age;
	double now_mono;
};

struct check_rule {
	const char *name; /* "state": the finding's label */
	enum store_kind kind;
	/* Evaluate one ledger's slot (e->data may be NULL after a failure).
	 * NULL: this version does not poll the kind; "not checked". */
	enum check_state (*eval)(const struct check_ctx *c, const char *ledger,
				 const struct store_entry *e, char *msg, size_t cap);
};

/* A slot without data: not found is CRITICAL; anything else UNKNOWN. */
static enum check_state check_no_data(const struct store_entry *e, char *msg, size_t cap)
{
	if (!e->present) {
		snprintf(msg, cap, "not fetched");
		return CHECK_UNKNOWN;
	}
	snprintf(msg, cap, "%s", e->error);
	return strcmp(e->error_code, "ResourceNotFoundException") == 0 ? CHECK_CRITICAL
								       : CHECK_UNKNOWN;
}

static enum check_state rule_state(const struct check_ctx *c, const char *ledger,
				   const struct store_entry *e, char *msg, size_t cap)
{
	(void)c;
	(void)ledger;
	const struct qldb_ledger *l = e->data;
	if (!l)
		return check_no_data(e, msg, cap);
	snprintf(msg, cap, "%s", l->state[0] ? l->state : "(no state)");
	/* CREATING passes by itself (QLDB makes a ledger in about a minute):
	 * a warning; DELETING and anything else will not come back */
	return strcmp(l->state, "ACTIVE") == 0	   ? CHECK_OK
	       : strcmp(l->state, "CREATING") == 0 ? CHECK_WARNING
						   : CHECK_CRITICAL;
}

static enum check_state rule_kms(const struct check_ctx *c, const char *ledger,
				 const struct store_entry *e, char *msg, size_t cap)
{
	(void)c;
	(void)ledger;
	const struct qldb_ledger *l = e->data;
	if (!l) {
		msg[0] = '\0'; /* the state rule reports the failed DescribeLedger */
		return CHECK_OK;
	}
	if (!l->has_encryption) {
		snprintf(msg, cap, "AWS owned key");
		return CHECK_OK;
	}
	snprintf(msg, cap, "%s", l->encryption_status);
	if (strcmp(l->encryption_status, "KMS_KEY_INACCESSIBLE") == 0) {
		snprintf(msg, cap, "KMS key inaccessible (%.200s)", l->kms_key_arn);
		return CHECK_CRITICAL;
	}
	return CHECK_OK;
}

static enum check_state rule_digest_age(const struct check_ctx *c, const char *ledger,
					const struct store_entry *e, char *msg, size_t cap)
{
	(void)ledger;
	if (!e->data) {
		char why[CHECK_MSG_MAX];
		enum check_state st = check_no_data(e, why, sizeof why);
		/* no digest at all is as stale as a digest gets */
		snprintf(msg, cap, "no digest: %s", why);
		return st == CHECK_CRITICAL ? CHECK_CRITICAL : CHECK_WARNING;
	}
	double age = c->now_mono - e->fetched_mono;
	snprintf(msg, cap, "digest %.3fs old (max %.0fs)", age, c->max_digest_age);
	return age > c->max_digest_age ? CHECK_WARNING : CHECK_OK;
}

/* The auditor's round (api/resource_audit.h): a FAILED check is
 * CRITICAL, naming the first failure and its block; what could not be
 * audited is UNKNOWN, never OK. */
static enum check_state rule_integrity(const struct check_ctx *c, const char *ledger,
				       const struct store_entry *e, char *msg, size_t cap)
{
	const struct audit_summary *a = e->data;
	if (!a) {
		check_no_data(e, msg, cap);
		return CHECK_UNKNOWN;
	}
	uint64_t failed = a->counts[AUDIT_FAILED];
	if (failed) {
		static struct store_audit_event ev[STORE_AUDIT_MAX];
		uint64_t cursor = 0;
		size_t n = store_audit_read(c->store, &cursor, ev, STORE_AUDIT_MAX, NULL);
		const struct store_audit_event *first = NULL;
		for (size_t i = 0; i < n && !first; i++)
			if (ev[i].result == STORE_AUDIT_FAILED && strcmp(ev[i].ledger, ledger) == 0)
				first = &ev[i];
		snprintf(msg, cap, "%llu FAILED: %.32s %.100s: %.140s", (unsigned long long)failed,
			 first ? first->kind : "?", first ? first->block_address : "",
			 first ? first->message : "(event dropped from the log)");
		return CHECK_CRITICAL;
	}
	if (!a->counts[AUDIT_VERIFIED]) { /* nothing proven is not OK */
		snprintf(msg, cap, "nothing proven: %llu checks UNVERIFIED",
			 (unsigned long long)a->counts[AUDIT_UNVERIFIED]);
		return CHECK_UNKNOWN;
	}
	/* A digest equal to the vault's proves the history did not change
	 * since then, not that a block is intact (a tampered block keeps its
	 * hashes): integrity is OK only when some block was proven too. */
	uint64_t blocks = a->kind_counts[AUDIT_BLOCK_SELF_CHECK][AUDIT_VERIFIED] +
			  a->kind_counts[AUDIT_CHAIN][AUDIT_VERIFIED] +
			  a->kind_counts[AUDIT_SAMPLE_PROOF][AUDIT_VERIFIED];
	if (!blocks) {
		snprintf(msg, cap,
			 "no block proven: %llu checks VERIFIED (continuity only), %llu "
			 "UNVERIFIED",
			 (unsigned long long)a->counts[AUDIT_VERIFIED],
			 (unsigned long long)a->counts[AUDIT_UNVERIFIED]);
		return CHECK_UNKNOWN;
	}
	snprintf(msg, cap, "%llu checks VERIFIED, %llu UNVERIFIED, proven tip %lld",
		 (unsigned long long)a->counts[AUDIT_VERIFIED],
		 (unsigned long long)a->counts[AUDIT_UNVERIFIED], (long long)a->tip_seq);
	return CHECK_OK;
}

/* Journal streams: IMPAIRED or FAILED is CRITICAL (the stream's records
 * stop reaching Kinesis), naming the stream and its ErrorCause. */
static enum check_state rule_streams(const struct check_ctx *c, const char *ledger,
				     const struct store_entry *e, char *msg, size_t cap)
{
	(void)c;
	(void)ledger;
	const struct qldb_stream_list *l = e->data;
	if (!l) {
		check_no_data(e, msg, cap);
		return CHECK_UNKNOWN;
	}
	size_t bad = 0, active = 0;
	const struct qldb_journal_stream *first = NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *st = l->items[i].status;
		if (strcmp(st, "IMPAIRED") == 0 || strcmp(st, "FAILED") == 0) {
			if (!bad++)
				first = &l->items[i];
		}
		active += strcmp(st, "ACTIVE") == 0;
	}
	if (first) {
		snprintf(msg, cap, "%zu stream%s not healthy: %.40s %.20s%s%.40s", bad,
			 bad == 1 ? "" : "s", first->stream_name, first->status,
			 first->error_cause[0] ? " " : "", first->error_cause);
		return CHECK_CRITICAL;
	}
	snprintf(msg, cap, "%zu stream%s, %zu ACTIVE", l->n, l->n == 1 ? "" : "s", active);
	return CHECK_OK;
}

/* Exports: a CANCELLED one is a WARNING (the archive it was to make does
 * not exist); running and completed ones are fine. */
static enum check_state rule_exports(const struct check_ctx *c, const char *ledger,
				     const struct store_entry *e, char *msg, size_t cap)
{
	(void)c;
	(void)ledger;
	const struct qldb_export_list *l = e->data;
	if (!l) {
		check_no_data(e, msg, cap);
		return CHECK_UNKNOWN;
	}
	size_t cancelled = 0;
	const char *first = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].status, "CANCELLED") == 0 && !cancelled++)
			first = l->items[i].export_id;
	if (cancelled) {
		snprintf(msg, cap, "%zu export%s CANCELLED (first %s)", cancelled,
			 cancelled == 1 ? "" : "s", first);
		return CHECK_WARNING;
	}
	snprintf(msg, cap, "%zu export%s, none cancelled", l->n, l->n == 1 ? "" : "s");
	return CHECK_OK;
}

static const struct check_rule CHECK_RULES[] = {
	{ "state", STORE_LEDGER, rule_state },
	{ "kms", STORE_LEDGER, rule_kms },
	{ "digest-age", STORE_DIGEST, rule_digest_age },
	{ "streams", STORE_STREAMS, rule_streams },
	{ "exports", STORE_EXPORTS, rule_exports },
	{ "integrity", STORE_AUDIT, rule_integrity },
};
#define CHECK_RULES_N (sizeof CHECK_RULES / sizeof CHECK_RULES[0])

struct check_report {
	enum check_state worst;
	size_t n_lines, n_bad;
	char lines[CHECK_FINDINGS_MAX][CHECK_MSG_MAX];
	char summary[CHECK_SUMMARY_MAX];
	char perf[CHECK_PERF_MAX];
};

static void check_append(char *buf, size_t cap, const char *sep, const char *text)
{
	size_t n = strlen(buf);
	if (n + 1 < cap)
		snprintf(buf + n, cap - n, "%s%s", n ? sep : "", text);
}

static void check_add(struct check_report *r, enum check_state st, const char *ledger,
		      const char *rule, const char *msg)
{
	if (CHECK_RANK[st] > CHECK_RANK[r->worst])
		r->worst = st;
	char line[CHECK_MSG_MAX];
	snprintf(line, sizeof line, "%s%s%s: %s", ledger ? ledger : "", ledger ? " " : "", rule,
		 msg);
	if (r->n_lines < CHECK_FINDINGS_MAX)
		snprintf(r->lines[r->n_lines++], CHECK_MSG_MAX, "%s %.300s", CHECK_STATE_NAMES[st],
			 line);
	if (st != CHECK_OK) {
		r->n_bad++;
		check_append(r->summary, sizeof r->summary, "; ", line);
	}
}

static void check_ledger(const struct check_ctx *c, const char *name, struct check_report *r)
{
	for (size_t i = 0; i < CHECK_RULES_N; i++) {
		const struct check_rule *rule = &CHECK_RULES[i];
		if (!rule->eval)
			continue;
		struct store_entry e;
		store_read(c->store, name, rule->kind, &e);
		char msg[CHECK_MSG_MAX];
		enum check_state st = rule->eval(c, name, &e, msg, sizeof msg);
		if (msg[0])
			check_add(r, st, name, rule->name, msg);
		if (rule->kind == STORE_DIGEST && e.data) {
			const struct qldb_digest *d = e.data;
			char perf[160];
			snprintf(perf, sizeof perf, "%s_digest_age=%.3fs;%.0f;;0 %s_tip=%llu", name,
				 c->now_mono - e.fetched_mono, c->max_digest_age, name,
				 (unsigned long long)d->sequence_no);
			check_append(r->perf, sizeof r->perf, " ", perf);
		}
		store_entry_release(&e);
	}
}

static int check_exit(enum check_state st)
{
	return (int)st; /* the plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN */
}

/* Print an UNKNOWN with one reason (setup failures). */
static int check_unknown(const char *why)
{
	printf("QLDB UNKNOWN - %s\n", why);
	return check_exit(CHECK_UNKNOWN);
}

int cmd_check(const struct cli_parsed *p)
{
	char err[CHECK_MSG_MAX] = "";
	struct headless h;
	enum headless_status hs =
		headless_poll(p, cli_value(p, CHECK_OPT_LEDGER), &h, err, sizeof err);
	if (hs == HEADLESS_USAGE) {
		headless_release(&h);
		return CLI_EXIT_USAGE;
	}
	if (hs == HEADLESS_ENV) {
		headless_release(&h);
		return check_unknown(err);
	}
	struct check_ctx c = { .store = h.store,
			       .max_digest_age =
				       cli_given(p, CHECK_OPT_MAX_DIGEST_AGE)
					       ? (double)cli_num(p, CHECK_OPT_MAX_DIGEST_AGE)
					       : CHECK_DEFAULT_MAX_DIGEST_AGE_S,
			       .now_mono = store_now_mono() };
	struct check_report *r = calloc(1, sizeof *r);
	if (!r) {
		headless_release(&h);
		return check_unknown("out of memory");
	}
	size_t n_ledgers = 0;
	struct store_entry list = { 0 };
	if (h.ledger) {
		n_ledgers = 1;
		check_ledger(&c, h.ledger, r);
	} else {
		store_read(h.store, "", STORE_LEDGER_LIST, &list);
		const struct resource_ledger_list *l = list.data;
		if (!l) {
			check_add(r, CHECK_UNKNOWN, NULL, "ledgers",
				  list.error[0] ? list.error : "not fetched");
		} else if (l->n == 0) {
			check_add(r, CHECK_UNKNOWN, NULL, "ledgers", "no ledger found");
		} else {
			n_ledgers = l->n;
			for (size_t i = 0; i < l->n; i++)
				check_ledger(&c, l->items[i].name, r);
			if (l->truncated)
				check_add(r, CHECK_WARNING, NULL, "ledgers",
					  "more ledgers than are polled; not all were checked");
		}
	}
	store_entry_release(&list);

	char perf_head[64];
	snprintf(perf_head, sizeof perf_head, "ledgers=%zu", n_ledgers);
	if (r->worst == CHECK_OK)
		snprintf(r->summary, sizeof r->summary,
			 "%zu ledger%s ACTIVE, key accessible, "
			 "digest fresh",
			 n_ledgers, n_ledgers == 1 ? "" : "s");
	printf("QLDB %s - %s|%s%s%s\n", CHECK_STATE_NAMES[r->worst], r->summary, perf_head,
	       r->perf[0] ? " " : "", r->perf);
	for (size_t i = 0; i < r->n_lines; i++)
		printf("%s\n", r->lines[i]);
	char not_checked[256] = "";
	for (size_t i = 0; i < CHECK_RULES_N; i++)
		if (!CHECK_RULES[i].eval)
			check_append(not_checked, sizeof not_checked, ", ", CHECK_RULES[i].name);
	if (not_checked[0])
		printf("not checked in this version: %s\n", not_checked);
	int status = check_exit(r->worst);
	free(r);
	fflush(stdout);
	headless_release(&h);
	return status;
}
