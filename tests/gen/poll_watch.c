/*
 * poll_watch.c - the real resource pollers (api/poller.h) for a while,
 * printing what the store shows, for the integration tests:
 *
 *   poll_watch [--endpoint-url URL] [--region R] [--profile P]
 *              [--ledger NAME] [--kinds K,K...] [--interval N]
 *              [--seconds S] [--refresh-every S]
 *
 * Configuration is resolved as the CLI resolves it (api/config.h: the
 * flags, then AWS_ACCESS_KEY_ID and the rest of the environment, then the
 * shared files). --kinds names descriptors of RESOURCE_TABLE (default:
 * every one but "audit", whose auditors only the commands set up);
 * --interval is the CLI's --interval (1..3600, default 5: the base
 * intervals); --refresh-every presses the UI's refresh key every S
 * seconds (a user hammering 'r'); the pollers run --seconds S (default
 * 10), then stop.
 *
 * Prints one JSON object per line, flushed:
 *   on each change of a slot's status, failure count or error:
 *     {"t":S,"ledger":L,"kind":K,"status":"ok|retrying|failed",
 *      "failures":N,"retry_max":M,"error":E,"error_http":H,"error_code":C}
 *     (ledger "" for the account's ledger list; t seconds since start)
 *   at the end, once per slot seen, the same with "final":true;
 *   last {"end":true,"publishes":N} (store generation bumps seen).
 * A publish between two reads of a slot can be missed; "failures" at the
 * end is exact (consecutive failed polls). The secret key never appears:
 * errors are the store's redacted lines.
 * Exit 0 after the run, 2 on a usage or set-up error (one line).
 */
#include <cjson/cJSON.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/config.h"
#include "api/http.h"
#include "api/log.h"
#include "api/poller.h"
#include "api/resource.h"
#include "api/store.h"

#define WATCH_SLOTS_MAX 256

struct seen {
	char ledger[STORE_KEY_MAX];
	enum store_kind kind;
	enum store_status status;
	unsigned failures;
	char error[API_ERROR_MSG_MAX];
};

static struct seen SEEN[WATCH_SLOTS_MAX];
static size_t N_SEEN;
static double T0;

static double now_s(void)
{
	return store_now_mono();
}

static int usage(const char *why)
{
	fprintf(stderr, "poll_watch: %s\n", why);
	return 2;
}

static void print_entry(const char *ledger, const struct store_entry *e, bool final)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "t", now_s() - T0);
	cJSON_AddStringToObject(o, "ledger", ledger);
	cJSON_AddStringToObject(o, "kind", store_kind_name(e->kind));
	cJSON_AddStringToObject(o, "status", store_status_name(e->status));
	cJSON_AddNumberToObject(o, "failures", e->failures);
	cJSON_AddNumberToObject(o, "retry_max", e->retry_max);
	cJSON_AddStringToObject(o, "error", e->error);
	cJSON_AddNumberToObject(o, "error_http", (double)e->error_http);
	cJSON_AddStringToObject(o, "error_code", e->error_code);
	if (final)
		cJSON_AddBoolToObject(o, "final", true);
	char *txt = cJSON_PrintUnformatted(o);
	if (txt)
		printf("%s\n", txt);
	fflush(stdout);
	free(txt);
	cJSON_Delete(o);
}

static struct seen *seen_of(const char *ledger, enum store_kind kind)
{
	for (size_t i = 0; i < N_SEEN; i++)
		if (SEEN[i].kind == kind && strcmp(SEEN[i].ledger, ledger) == 0)
			return &SEEN[i];
	if (N_SEEN == WATCH_SLOTS_MAX)
		return NULL;
	struct seen *s = &SEEN[N_SEEN++];
	snprintf(s->ledger, sizeof s->ledger, "%s", ledger);
	s->kind = kind;
	s->status = STORE_STATUS_NONE;
	return s;
}

/* Read one slot; print it when its status, failures or error changed. */
static void watch_slot(struct store *st, const char *ledger, enum store_kind kind, bool final)
{
	struct store_entry e;
	if (!store_read(st, ledger, kind, &e) || e.status == STORE_STATUS_NONE) {
		store_entry_release(&e);
		return;
	}
	struct seen *s = seen_of(ledger, kind);
	if (s && (final || s->status != e.status || s->failures != e.failures ||
		  strcmp(s->error, e.error) != 0)) {
		s->status = e.status;
		s->failures = e.failures;
		snprintf(s->error, sizeof s->error, "%s", e.error);
		print_entry(ledger, &e, final);
	}
	store_entry_release(&e);
}

/* Every slot of the chosen kinds: the account's list, then each ledger
 * (the named one, or every one the list holds). */
static void watch_all(struct store *st, const struct resource_desc *const *table, size_t n,
		      const char *ledger, bool final)
{
	for (size_t i = 0; i < n; i++)
		if (table[i]->scope == RESOURCE_SCOPE_ACCOUNT)
			watch_slot(st, "", table[i]->kind, final);
	struct store_entry le;
	const struct resource_ledger_list *l = NULL;
	if (!ledger[0] && store_read(st, "", STORE_LEDGER_LIST, &le))
		l = le.data;
	size_t names = ledger[0] ? 1 : l ? l->n : 0;
	for (size_t k = 0; k < names; k++)
		for (size_t i = 0; i < n; i++)
			if (table[i]->scope == RESOURCE_SCOPE_LEDGER)
				watch_slot(st, ledger[0] ? ledger : l->items[k].name,
					   table[i]->kind, final);
	if (!ledger[0])
		store_entry_release(&le);
}

static bool kind_listed(const char *kinds, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = kinds; *p;) {
		size_t len = strcspn(p, ",");
		if (len == nl && strncmp(p, name, nl) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static double number(const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);
	return *s && !*end && v >= lo && v <= hi ? v : -1;
}

int main(int argc, char **argv)
{
	struct api_config_overrides ov = { 0 };
	const char *ledger = "", *kinds = NULL;
	double seconds = 10, refresh = 0, interval = 5;
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage("every option takes a value");
		if (strcmp(a, "--endpoint-url") == 0)
			ov.endpoint_url = v;
		else if (strcmp(a, "--region") == 0)
			ov.region = v;
		else if (strcmp(a, "--profile") == 0)
			ov.profile = v;
		else if (strcmp(a, "--ledger") == 0)
			ledger = v;
		else if (strcmp(a, "--kinds") == 0)
			kinds = v;
		else if (strcmp(a, "--interval") == 0)
			interval = number(v, 1, POLLER_INTERVAL_MAX_S);
		else if (strcmp(a, "--seconds") == 0)
			seconds = number(v, 0.1, 3600);
		else if (strcmp(a, "--refresh-every") == 0)
			refresh = number(v, 0.01, 3600);
		else
			return usage("unknown option (see the comment at the top of poll_watch.c)");
	}
	if (interval < 0 || interval != (unsigned)interval)
		return usage("--interval: a whole number of seconds, 1..3600");
	if (seconds < 0 || refresh < 0)
		return usage("--seconds / --refresh-every: a number of seconds");
	if (ledger[0] && !qldb_name_is_valid(ledger))
		return usage("--ledger: not a ledger name");

	static const struct resource_desc *table[32];
	size_t n = 0;
	for (size_t i = 0; i < RESOURCE_TABLE_N && n < 32; i++) {
		const struct resource_desc *d = RESOURCE_TABLE[i];
		if (kinds ? kind_listed(kinds, d->name) : strcmp(d->name, "audit") != 0)
			table[n++] = d;
	}
	if (!n)
		return usage("--kinds names no descriptor");

	static struct poller_config cfg;
	struct api_error err;
	if (api_config_resolve(&cfg.api, &ov, NULL, &err))
		return usage(err.msg);
	char why[256];
	if (log_open(NULL, getenv("QLDBTOP_LOG_LEVEL"), why, sizeof why))
		return usage(why);
	log_add_secret(cfg.api.secret_access_key);
	log_add_secret(cfg.api.session_token);
	if (http_global_init())
		return usage("cannot initialise libcurl");
	cfg.store = store_new();
	if (!cfg.store)
		return usage("cannot create the store");
	snprintf(cfg.ledger, sizeof cfg.ledger, "%s", ledger);
	cfg.interval_s = (unsigned)interval;
	cfg.table = table;
	cfg.n_table = n;

	T0 = now_s();
	struct poller *p = poller_start(&cfg, &err);
	if (!p) {
		store_free(cfg.store);
		return usage(err.msg);
	}
	uint64_t gen0 = store_generation(cfg.store);
	double next_refresh = T0 + refresh;
	for (;;) {
		double now = now_s(), left = T0 + seconds - now;
		if (left <= 0)
			break;
		if (refresh > 0 && now >= next_refresh) {
			poller_refresh(p);
			next_refresh += refresh;
		}
		double wait = refresh > 0 && next_refresh - now < left ? next_refresh - now : left;
		struct pollfd pfd = { .fd = store_wake_fd(cfg.store), .events = POLLIN };
		poll(&pfd, 1, (int)(wait * 1000) + 1);
		store_wake_drain(cfg.store);
		watch_all(cfg.store, table, n, ledger, false);
	}
	poller_stop(p);
	watch_all(cfg.store, table, n, ledger, true);
	printf("{\"end\":true,\"publishes\":%llu}\n",
	       (unsigned long long)(store_generation(cfg.store) - gen0));
	store_free(cfg.store);
	http_global_cleanup();
	return 0;
}
