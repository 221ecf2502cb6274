/*
 * test_poller.c - the scheduler with times passed in (no sleeps, no
 * clock): intervals and their scale, jitter bounds, exponential backoff
 * and its caps, the shared token bucket, pick/done/refresh, ledgers coming
 * and going (also while a worker holds one), a full table; then the pool
 * with descriptors of its own (no network): every listed ledger is
 * polled, no fetch starts while paused (checked over three intervals:
 * a slow machine can only make it pass late, never fail), refresh
 * resumes, and the workers together keep to the request budget; and the
 * pool against no credentials: every failure is published with its
 * retry status and next attempt; a kind that needs an ACTIVE ledger is
 * not called for a ledger the store knows in another state (the newer word
 * of DescribeLedger and ListLedgers), and is called when the state is
 * ACTIVE or unknown. Expected numbers come from DESIGN.md's defaults (ledger 30 s,
 * digest 10 s) and the rules in poller.h, not from the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http.h"
#include "api/poller.h"

static const struct resource_desc D_LIST = { .name = "ledgers",
					     .scope = RESOURCE_SCOPE_ACCOUNT,
					     .base_interval_s = 30,
					     .kind = STORE_LEDGER_LIST };
static const struct resource_desc D_LEDGER = { .name = "ledger",
					       .scope = RESOURCE_SCOPE_LEDGER,
					       .base_interval_s = 30,
					       .kind = STORE_LEDGER };
static const struct resource_desc D_DIGEST = { .name = "digest",
					       .scope = RESOURCE_SCOPE_LEDGER,
					       .base_interval_s = 10,
					       .kind = STORE_DIGEST };
static const struct resource_desc *const TABLE[] = { &D_LIST, &D_LEDGER, &D_DIGEST };

static void test_the_default_interval_gives_the_design_defaults(void **state)
{
	(void)state;
	/* DESIGN/issue defaults: ledger 30 s, digest 10 s at --interval 5 */
	assert_true(poller_interval(&RESOURCE_LEDGER, 5.0 / POLLER_INTERVAL_UNIT_S) == 30);
	assert_true(poller_interval(&RESOURCE_DIGEST, 5.0 / POLLER_INTERVAL_UNIT_S) == 10);
	assert_true(poller_interval(&RESOURCE_LEDGERS, 1.0) == 30);
	/* --interval 1 makes everything 5 times faster */
	assert_true(poller_interval(&RESOURCE_DIGEST, 1.0 / 5) == 2);
	/* never below the floor, whatever the scale */
	assert_true(poller_interval(&D_DIGEST, 0.001) == POLLER_INTERVAL_MIN_S);
}

static void test_jitter_stays_within_ten_percent(void **state)
{
	(void)state;
	assert_true(poller_jitter(10, 0.5) == 10);
	assert_true(poller_jitter(10, 0.0) >= 9.0 - 1e-9);
	assert_true(poller_jitter(10, 0.0) <= 9.0 + 1e-9);
	assert_true(poller_jitter(10, 0.999999) < 11.0);
	assert_true(poller_jitter(10, 0.999999) > 10.99);
	for (int i = 0; i < 1000; i++) {
		double w = poller_jitter(30, i / 1000.0);
		assert_true(w >= 27.0 - 1e-9 && w < 33.0);
	}
}

static void test_backoff_doubles_from_the_retry_base_up_to_the_interval(void **state)
{
	(void)state;
	/* scale 1: 1, 2, 4, 8, 10 (the interval caps it) */
	assert_true(poller_backoff(10, 1, 1) == 1);
	assert_true(poller_backoff(10, 1, 2) == 2);
	assert_true(poller_backoff(10, 1, 3) == 4);
	assert_true(poller_backoff(10, 1, 4) == 8);
	assert_true(poller_backoff(10, 1, 5) == 10);
	/* scale 0.2 (--interval 1): 0.2, 0.4, ... */
	assert_true(poller_backoff(2, 0.2, 1) > 0.199 && poller_backoff(2, 0.2, 1) < 0.201);
	assert_true(poller_backoff(2, 0.2, 2) > 0.399 && poller_backoff(2, 0.2, 2) < 0.401);
	assert_true(poller_backoff(10, 1, 0) == 10); /* no failure: the interval */
}

static void test_after_the_retries_the_wait_doubles_from_the_interval_and_is_capped(void **state)
{
	(void)state;
	assert_true(poller_backoff(30, 1, POLLER_RETRY_MAX + 1) == 60);
	assert_true(poller_backoff(30, 1, POLLER_RETRY_MAX + 2) == 120);
	assert_true(poller_backoff(30, 1, POLLER_RETRY_MAX + 4) == POLLER_BACKOFF_MAX_S);
	assert_true(poller_backoff(30, 1, 1000) == POLLER_BACKOFF_MAX_S); /* no overflow */
	/* an interval above the cap is never shortened by backoff */
	assert_true(poller_backoff(600, 1, POLLER_RETRY_MAX + 3) == 600);
	/* monotone */
	for (unsigned f = 1; f < 40; f++)
		assert_true(poller_backoff(30, 1, f + 1) >= poller_backoff(30, 1, f));
}

static void test_transient_errors_are_transport_throttling_and_5xx(void **state)
{
	(void)state;
	struct api_error e = { .status = API_ERR_TRANSPORT };
	assert_true(poller_error_transient(&e));
	e = (struct api_error){ .status = API_ERR_SERVICE, .http_status = 503 };
	assert_true(poller_error_transient(&e));
	e = (struct api_error){ .status = API_ERR_SERVICE,
				.http_status = 400,
				.code = "ThrottlingException" };
	assert_true(poller_error_transient(&e));
	e = (struct api_error){ .status = API_ERR_SERVICE,
				.http_status = 404,
				.code = "ResourceNotFoundException" };
	assert_false(poller_error_transient(&e));
	e = (struct api_error){ .status = API_ERR_SERVICE,
				.http_status = 403,
				.code = "InvalidSignatureException" };
	assert_false(poller_error_transient(&e));
	e = (struct api_error){ .status = API_ERR_CONFIG };
	assert_false(poller_error_transient(&e));
}

static void test_the_budget_allows_a_burst_then_the_rate(void **state)
{
	(void)state;
	struct poller_budget b;
	poller_budget_init(&b, 2.0, 3.0, 100.0);
	assert_true(poller_budget_take(&b, 100.0) == 0);
	assert_true(poller_budget_take(&b, 100.0) == 0);
	assert_true(poller_budget_take(&b, 100.0) == 0);
	double wait = poller_budget_take(&b, 100.0); /* burst spent: 1 token per 0.5 s */
	assert_true(wait > 0.499 && wait < 0.501);
	assert_true(poller_budget_take(&b, 100.25) > 0.249);
	assert_true(poller_budget_take(&b, 100.5) == 0);
	/* a long quiet time refills only up to the burst */
	int taken = 0;
	while (poller_budget_take(&b, 1000.0) == 0)
		taken++;
	assert_int_equal(taken, 3);
	/* unlimited */
	poller_budget_init(&b, 0, 1, 0);
	for (int i = 0; i < 1000; i++)
		assert_true(poller_budget_take(&b, 0) == 0);
}

static void
test_over_a_minute_the_budget_never_lets_more_than_rate_times_time_plus_burst(void **state)
{
	(void)state;
	struct poller_budget b;
	poller_budget_init(&b, 10.0, 5.0, 0);
	int taken = 0;
	for (double t = 0; t <= 60.0; t += 0.001)
		while (poller_budget_take(&b, t) == 0)
			taken++;
	assert_true(taken <= 10 * 60 + 5 && taken >= 10 * 60);
}

static void test_pick_takes_the_earliest_due_task_once(void **state)
{
	(void)state;
	struct poller_sched s;
	assert_int_equal(poller_sched_init(&s, 8, 1.0), 0);
	poller_sched_add(&s, &D_DIGEST, "b", 5.0);
	poller_sched_add(&s, &D_DIGEST, "a", 3.0);
	poller_sched_add(&s, &D_DIGEST, "a", 1.0); /* a duplicate is not added */
	assert_int_equal(poller_sched_count(&s), 2);
	double wait;
	assert_int_equal(poller_sched_pick(&s, 2.0, &wait), -1);
	assert_true(wait == 1.0); /* "a" is due at 3 */
	long i = poller_sched_pick(&s, 3.0, &wait);
	assert_true(i >= 0);
	assert_string_equal(s.tasks[i].key, "a");
	/* held by a worker: the next pick is "b" even though "a" was earlier */
	assert_int_equal(poller_sched_pick(&s, 4.0, &wait), -1);
	assert_true(wait == 1.0);
	long j = poller_sched_pick(&s, 6.0, &wait);
	assert_string_equal(s.tasks[j].key, "b");
	/* both busy: nothing to pick and nothing to wait for */
	assert_int_equal(poller_sched_pick(&s, 7.0, &wait), -1);
	assert_true(wait < 0);
	poller_sched_free(&s);
}

static void test_done_schedules_the_interval_or_the_backoff_with_jitter(void **state)
{
	(void)state;
	struct poller_sched s;
	poller_sched_init(&s, 4, 1.0);
	poller_sched_add(&s, &D_DIGEST, "a", 0);
	double wait;
	long i = poller_sched_pick(&s, 0, &wait);
	assert_true(poller_sched_done(&s, i, true, 100.0, 0.5) == 10.0);
	assert_true(s.tasks[i].due == 110.0);
	/* three failures: 1 s, 2 s, 4 s (r01 0.5: no jitter) */
	double want[] = { 1, 2, 4 };
	for (int k = 0; k < 3; k++) {
		double now = 1000.0 + 100 * k; /* past every due time */
		i = poller_sched_pick(&s, now, &wait);
		assert_true(i >= 0);
		assert_true(poller_sched_done(&s, i, false, now, 0.5) == want[k]);
		assert_true(s.tasks[i].due == now + want[k]);
		assert_int_equal(s.tasks[i].failures, k + 1);
	}
	/* jitter at the edges: 10% either way of the interval */
	i = poller_sched_pick(&s, 2000.0, &wait);
	double lo = poller_sched_done(&s, i, true, 2000.0, 0.0);
	assert_true(lo > 8.999 && lo < 9.001);
	assert_int_equal(s.tasks[i].failures, 0); /* a success resets the count */
	poller_sched_free(&s);
}

static void test_refresh_makes_every_idle_task_due_now(void **state)
{
	(void)state;
	struct poller_sched s;
	poller_sched_init(&s, 4, 1.0);
	poller_sched_add(&s, &D_DIGEST, "a", 50.0);
	poller_sched_add(&s, &D_LEDGER, "a", 80.0);
	double wait;
	assert_int_equal(poller_sched_pick(&s, 10.0, &wait), -1);
	poller_sched_refresh(&s, 10.0);
	assert_true(poller_sched_pick(&s, 10.0, &wait) >= 0);
	assert_true(poller_sched_pick(&s, 10.0, &wait) >= 0);
	poller_sched_free(&s);
}

static void test_sync_follows_the_ledger_list(void **state)
{
	(void)state;
	struct poller_sched s;
	poller_sched_init(&s, 16, 1.0);
	poller_sched_add(&s, &D_LIST, "", 0);
	const char *two[] = { "a", "b" };
	assert_int_equal(poller_sched_sync(&s, TABLE, 3, two, 2, 0), 0);
	assert_int_equal(poller_sched_count(&s), 1 + 2 * 2); /* list + 2 kinds x 2 ledgers */
	/* "b" held by a worker when it leaves the list */
	double wait;
	long held = -1;
	for (;;) {
		long i = poller_sched_pick(&s, 0, &wait);
		assert_true(i >= 0);
		if (strcmp(s.tasks[i].key, "b") == 0) {
			held = i;
			break;
		}
	}
	const char *one[] = { "a" };
	assert_int_equal(poller_sched_sync(&s, TABLE, 3, one, 1, 0), 0);
	assert_int_equal(poller_sched_count(&s), 1 + 2);
	assert_true(s.tasks[held].gone);
	poller_sched_done(&s, held, true, 0, 0.5);
	assert_null(s.tasks[held].desc); /* freed when its worker is done */
	/* the account task is never dropped by a sync */
	const char *none[] = { NULL };
	poller_sched_sync(&s, TABLE, 3, none, 0, 0);
	assert_int_equal(poller_sched_count(&s), 1);
	poller_sched_free(&s);
}

static void test_sync_into_a_full_table_says_so_and_keeps_what_fits(void **state)
{
	(void)state;
	struct poller_sched s;
	poller_sched_init(&s, 3, 1.0);
	const char *names[] = { "a", "b" };
	assert_int_equal(poller_sched_sync(&s, TABLE, 3, names, 2, 0), -1);
	assert_int_equal(poller_sched_count(&s), 3);
	poller_sched_free(&s);
}

/* ---- the pool, with no credentials (every call fails at once, offline) */

static bool slot_failed(struct store *st, unsigned min_failures)
{
	struct store_entry e;
	store_read(st, "", STORE_LEDGER_LIST, &e);
	bool ok = e.present && e.failures >= min_failures;
	store_entry_release(&e);
	return ok;
}

static bool wait_slot(struct store *st, unsigned min_failures, double secs)
{
	double end = store_now_mono() + secs;
	while (store_now_mono() < end) {
		if (slot_failed(st, min_failures))
			return true;
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	return false;
}

/* A pool against the discard port (nothing listens: connection refused),
 * with keys (a transport error: retried) or without (no retry mends it). */
static struct poller *start_offline_keys(struct store *st, bool keys)
{
	struct poller_config cfg = { .interval_s = 1, .store = st };
	snprintf(cfg.api.endpoint, sizeof cfg.api.endpoint, "http://127.0.0.1:9");
	snprintf(cfg.api.region, sizeof cfg.api.region, "us-east-1");
	cfg.api.have_credentials = keys;
	if (keys) {
		snprintf(cfg.api.access_key_id, sizeof cfg.api.access_key_id, "AKIDTEST");
		snprintf(cfg.api.secret_access_key, sizeof cfg.api.secret_access_key, "s");
	}
	struct api_error err;
	struct poller *p = poller_start(&cfg, &err);
	assert_non_null(p);
	return p;
}

static struct poller *start_offline(struct store *st)
{
	return start_offline_keys(st, false);
}

static void test_the_pool_publishes_failures_with_retry_status_and_next_attempt(void **state)
{
	(void)state;
	struct store *st = store_new();
	/* refused connections are transient: retrying n of POLLER_RETRY_MAX */
	struct poller *p = start_offline_keys(st, true);
	assert_true(wait_slot(st, 1, 10));
	struct store_entry e;
	store_read(st, "", STORE_LEDGER_LIST, &e);
	assert_int_equal(e.retry_max, POLLER_RETRY_MAX);
	assert_true(e.failures >= 1);
	assert_int_equal(e.status, e.failures <= POLLER_RETRY_MAX ? STORE_STATUS_RETRYING
								  : STORE_STATUS_FAILED);
	assert_non_null(strstr(e.error, "ListLedgers"));
	assert_true(e.next_attempt_mono > e.error_mono - 1e-6);
	store_entry_release(&e);
	poller_stop(p);
	store_free(st);
	/* no credentials: no retry mends that, so failed from the first */
	st = store_new();
	p = start_offline(st);
	assert_true(wait_slot(st, 1, 10));
	store_read(st, "", STORE_LEDGER_LIST, &e);
	assert_int_equal(e.retry_max, 0);
	assert_int_equal(e.status, STORE_STATUS_FAILED);
	assert_non_null(strstr(e.error, "no credentials"));
	assert_true(e.next_attempt_mono > e.error_mono - 1e-6);
	store_entry_release(&e);
	poller_stop(p);
	store_free(st);
}

static void test_pause_is_reported_and_refresh_ends_it_and_polls_again(void **state)
{
	(void)state;
	struct store *st = store_new();
	struct poller *p = start_offline(st);
	assert_true(wait_slot(st, 1, 10));
	poller_pause(p, true);
	assert_true(poller_paused(p));
	/* a request that had started may finish; after that the count stays */
	struct store_entry e;
	store_read(st, "", STORE_LEDGER_LIST, &e);
	unsigned before = e.failures;
	poller_refresh(p); /* ends the pause, everything due now */
	assert_false(poller_paused(p));
	assert_true(wait_slot(st, before + 1, 10));
	poller_pause(p, true);
	poller_stop(p); /* stops while paused */
	store_free(st);
}

/* ---- the pool with descriptors of the test's own (no network) ------ */

static atomic_int fake_started, fake_finished, fake_list_calls;

static int fake_list_fetch(struct http_client *c, const char *ledger, void **value,
			   struct api_error *err)
{
	(void)c;
	(void)ledger;
	(void)err;
	atomic_fetch_add(&fake_list_calls, 1);
	struct resource_ledger_list *l = calloc(1, sizeof *l);
	const char *names[] = { "a", "b", "c" };
	for (size_t i = 0; i < 3; i++)
		snprintf(l->items[l->n++].name, sizeof l->items[0].name, "%s", names[i]);
	*value = l;
	return 0;
}

static int fake_digest_fetch(struct http_client *c, const char *ledger, void **value,
			     struct api_error *err)
{
	(void)c;
	(void)err;
	atomic_fetch_add(&fake_started, 1);
	char *v = strdup(ledger);
	*value = v;
	atomic_fetch_add(&fake_finished, 1);
	return 0;
}

static const struct resource_desc F_LIST = { .name = "ledgers",
					     .operation = "FakeList",
					     .scope = RESOURCE_SCOPE_ACCOUNT,
					     .base_interval_s = 30,
					     .kind = STORE_LEDGER_LIST,
					     .fetch = fake_list_fetch,
					     .free_value = free };
static const struct resource_desc F_DIGEST = { .name = "digest",
					       .operation = "FakeDigest",
					       .scope = RESOURCE_SCOPE_LEDGER,
					       .base_interval_s =
						       1, /* at scale 0.2: the 0.5 s floor */
					       .kind = STORE_DIGEST,
					       .fetch = fake_digest_fetch,
					       .free_value = free };
static const struct resource_desc *const FAKE_TABLE[] = { &F_LIST, &F_DIGEST };

static struct poller *start_fake(struct store *st, double budget)
{
	atomic_store(&fake_started, 0);
	atomic_store(&fake_finished, 0);
	atomic_store(&fake_list_calls, 0);
	struct poller_config cfg = { .interval_s = 1,
				     .store = st,
				     .budget_rps = budget,
				     .table = FAKE_TABLE,
				     .n_table = 2 };
	snprintf(cfg.api.endpoint, sizeof cfg.api.endpoint, "http://127.0.0.1:9");
	snprintf(cfg.api.region, sizeof cfg.api.region, "us-east-1");
	struct api_error err;
	struct poller *p = poller_start(&cfg, &err);
	assert_non_null(p);
	return p;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static bool digest_of(struct store *st, const char *ledger)
{
	struct store_entry e;
	store_read(st, ledger, STORE_DIGEST, &e);
	bool ok = e.data && strcmp(e.data, ledger) == 0;
	store_entry_release(&e);
	return ok;
}

static void test_every_ledger_of_the_list_gets_its_own_tasks(void **state)
{
	(void)state;
	struct store *st = store_new();
	struct poller *p = start_fake(st, -1);
	double end = store_now_mono() + 10;
	while (!(digest_of(st, "a") && digest_of(st, "b") && digest_of(st, "c")) &&
	       store_now_mono() < end)
		sleep_ms(10);
	assert_true(digest_of(st, "a") && digest_of(st, "b") && digest_of(st, "c"));
	assert_false(digest_of(st, "d"));
	poller_stop(p);
	store_free(st);
}

static void test_no_fetch_starts_while_paused_and_refresh_resumes(void **state)
{
	(void)state;
	struct store *st = store_new();
	struct poller *p = start_fake(st, -1);
	double end = store_now_mono() + 10;
	while (atomic_load(&fake_started) < 3 && store_now_mono() < end)
		sleep_ms(10);
	poller_pause(p, true);
	/* a fetch already started may finish */
	while (atomic_load(&fake_started) != atomic_load(&fake_finished))
		sleep_ms(1);
	sleep_ms(50);
	int before = atomic_load(&fake_started);
	/* three digest intervals (0.5 s each, all three ledgers due): none runs */
	sleep_ms(1500);
	assert_int_equal(atomic_load(&fake_started), before);
	poller_refresh(p);
	end = store_now_mono() + 10;
	while (atomic_load(&fake_started) <= before && store_now_mono() < end)
		sleep_ms(10);
	assert_true(atomic_load(&fake_started) > before);
	poller_stop(p);
	store_free(st);
}

static void test_the_workers_together_keep_to_the_request_budget(void **state)
{
	(void)state;
	struct store *st = store_new();
	/* demand: 3 ledgers every 0.5 s = 6/s; budget 2/s, burst 5 */
	double t0 = store_now_mono();
	struct poller *p = start_fake(st, 2.0);
	sleep_ms(3000);
	poller_stop(p);
	double elapsed = store_now_mono() - t0;
	int calls = atomic_load(&fake_started) + atomic_load(&fake_list_calls);
	assert_true(calls <= 2.0 * elapsed + POLLER_BUDGET_BURST + 0.5);
	assert_true(calls >= 3); /* it did run */
	store_free(st);
}

static void test_a_kind_needing_active_is_not_called_for_a_ledger_in_another_state(void **state)
{
	(void)state;
	static const struct resource_desc NEEDS = { .name = "digest",
						    .operation = "GetDigest",
						    .scope = RESOURCE_SCOPE_LEDGER,
						    .kind = STORE_DIGEST,
						    .needs_active = true };
	struct store *st = store_new();
	assert_non_null(st);
	struct api_error err;
	api_error_clear(&err);
	/* nothing known: call it (QLDB will say) */
	assert_false(poller_not_ready(st, &NEEDS, "alpha", &err));
	/* ListLedgers says CREATING */
	struct resource_ledger_list *l = calloc(1, sizeof *l);
	assert_non_null(l);
	l->n = 2;
	snprintf(l->items[0].name, sizeof l->items[0].name, "alpha");
	snprintf(l->items[0].state, sizeof l->items[0].state, "CREATING");
	snprintf(l->items[1].name, sizeof l->items[1].name, "beta");
	snprintf(l->items[1].state, sizeof l->items[1].state, "ACTIVE");
	assert_int_equal(store_publish(st, "", STORE_LEDGER_LIST, l, free), 0);
	assert_true(poller_not_ready(st, &NEEDS, "alpha", &err));
	assert_int_equal(err.status, API_ERR_NOT_READY);
	assert_string_equal(err.msg, "GetDigest: not called: ledger 'alpha' is CREATING "
				     "(GetDigest answers only for an ACTIVE ledger)");
	assert_false(poller_not_ready(st, &NEEDS, "beta", &err));
	assert_false(poller_not_ready(st, &NEEDS, "gamma", &err)); /* not listed */
	/* a kind that does not need it is always called */
	assert_false(poller_not_ready(st, &D_DIGEST, "alpha", &err));
	/* DescribeLedger's newer word wins over the list's: ACTIVE now */
	struct qldb_ledger *d = calloc(1, sizeof *d);
	assert_non_null(d);
	snprintf(d->name, sizeof d->name, "alpha");
	snprintf(d->state, sizeof d->state, "ACTIVE");
	assert_int_equal(store_publish(st, "alpha", STORE_LEDGER, d, free), 0);
	assert_false(poller_not_ready(st, &NEEDS, "alpha", &err));
	/* and DELETING from DescribeLedger over the list's older ACTIVE */
	d = calloc(1, sizeof *d);
	assert_non_null(d);
	snprintf(d->state, sizeof d->state, "DELETING");
	assert_int_equal(store_publish(st, "beta", STORE_LEDGER, d, free), 0);
	assert_true(poller_not_ready(st, &NEEDS, "beta", &err));
	assert_non_null(strstr(err.msg, "is DELETING"));
	/* a newer list saying ACTIVE beats an older DescribeLedger's CREATING */
	d = calloc(1, sizeof *d);
	assert_non_null(d);
	snprintf(d->state, sizeof d->state, "CREATING");
	assert_int_equal(store_publish(st, "gamma", STORE_LEDGER, d, free), 0);
	assert_true(poller_not_ready(st, &NEEDS, "gamma", &err));
	struct timespec pause = { 0, 2000000 }; /* 2 ms: the list is strictly newer */
	nanosleep(&pause, NULL);
	l = calloc(1, sizeof *l);
	assert_non_null(l);
	l->n = 1;
	snprintf(l->items[0].name, sizeof l->items[0].name, "gamma");
	snprintf(l->items[0].state, sizeof l->items[0].state, "ACTIVE");
	assert_int_equal(store_publish(st, "", STORE_LEDGER_LIST, l, free), 0);
	assert_false(poller_not_ready(st, &NEEDS, "gamma", &err));
	store_free(st);
}

int main(void)
{
	if (http_global_init())
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_default_interval_gives_the_design_defaults),
		cmocka_unit_test(test_jitter_stays_within_ten_percent),
		cmocka_unit_test(test_backoff_doubles_from_the_retry_base_up_to_the_interval),
		cmocka_unit_test(
			test_after_the_retries_the_wait_doubles_from_the_interval_and_is_capped),
		cmocka_unit_test(test_transient_errors_are_transport_throttling_and_5xx),
		cmocka_unit_test(test_the_budget_allows_a_burst_then_the_rate),
		cmocka_unit_test(
			test_over_a_minute_the_budget_never_lets_more_than_rate_times_time_plus_burst),
		cmocka_unit_test(test_pick_takes_the_earliest_due_task_once),
		cmocka_unit_test(test_done_schedules_the_interval_or_the_backoff_with_jitter),
		cmocka_unit_test(test_refresh_makes_every_idle_task_due_now),
		cmocka_unit_test(test_sync_follows_the_ledger_list),
		cmocka_unit_test(test_sync_into_a_full_table_says_so_and_keeps_what_fits),
		cmocka_unit_test(
			test_the_pool_publishes_failures_with_retry_status_and_next_attempt),
		cmocka_unit_test(test_every_ledger_of_the_list_gets_its_own_tasks),
		cmocka_unit_test(test_no_fetch_starts_while_paused_and_refresh_resumes),
		cmocka_unit_test(test_the_workers_together_keep_to_the_request_budget),
		cmocka_unit_test(test_pause_is_reported_and_refresh_ends_it_and_polls_again),
		cmocka_unit_test(
			test_a_kind_needing_active_is_not_called_for_a_ledger_in_another_state),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	http_global_cleanup();
	return rc;
}
