/*
 * test_store.c - the snapshot store: publish/read, generations, errors
 * kept beside the last good value, the wake fd, and a publisher thread
 * racing a reader (every value read must be internally consistent and
 * generations must never go backwards).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/log.h"
#include "api/store.h"

/* A payload whose two halves must always agree. */
struct pair {
	uint64_t a, b; /* b == a * 3 */
};

static atomic_int freed;

static void pair_free(void *p)
{
	atomic_fetch_add(&freed, 1);
	free(p);
}

static struct pair *pair_new(uint64_t a)
{
	struct pair *p = malloc(sizeof *p);
	p->a = a;
	p->b = a * 3;
	return p;
}

static bool wake_readable(struct store *s)
{
	struct pollfd pfd = { .fd = store_wake_fd(s), .events = POLLIN };
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static void test_read_of_an_empty_slot_is_not_present(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct store_entry e;
	assert_false(store_read(s, "x", STORE_LEDGER, &e));
	assert_null(e.ref);
	assert_null(e.data);
	assert_int_equal(store_generation(s), 0);
	assert_false(wake_readable(s));
	store_free(s);
}

static void test_publish_then_read_returns_the_value_and_bumps_generation(void **state)
{
	(void)state;
	struct store *s = store_new();
	assert_int_equal(store_publish(s, "ledger-a", STORE_LEDGER, pair_new(7), pair_free), 0);
	assert_int_equal(store_generation(s), 1);
	struct store_entry e;
	assert_true(store_read(s, "ledger-a", STORE_LEDGER, &e));
	const struct pair *p = e.data;
	assert_non_null(p);
	assert_int_equal(p->a, 7);
	assert_int_equal(e.generation, 1);
	assert_string_equal(e.error, "");
	assert_true(e.fetched_at > 1.6e9); /* wall clock, after 2020 */
	assert_true(e.fetched_mono > 0);
	store_entry_release(&e);
	/* other kinds and keys are separate slots */
	assert_false(store_read(s, "ledger-a", STORE_DIGEST, &e));
	assert_false(store_read(s, "ledger-b", STORE_LEDGER, &e));
	store_free(s);
}

static void test_wake_fd_is_readable_after_publish_and_drains(void **state)
{
	(void)state;
	struct store *s = store_new();
	assert_false(wake_readable(s));
	store_publish(s, "k", STORE_DIGEST, pair_new(1), pair_free);
	assert_true(wake_readable(s));
	store_wake_drain(s);
	assert_false(wake_readable(s));
	store_publish_error(s, "k", STORE_DIGEST, "GetDigest: throttled");
	assert_true(wake_readable(s));
	store_free(s);
}

static void test_error_keeps_last_good_value_and_counts_failures(void **state)
{
	(void)state;
	struct store *s = store_new();
	store_publish(s, "k", STORE_LEDGER, pair_new(5), pair_free);
	store_publish_error(s, "k", STORE_LEDGER, "DescribeLedger: timeout");
	store_publish_error(s, "k", STORE_LEDGER, "DescribeLedger: timeout again");
	struct store_entry e;
	assert_true(store_read(s, "k", STORE_LEDGER, &e));
	assert_int_equal(((const struct pair *)e.data)->a, 5);
	assert_string_equal(e.error, "DescribeLedger: timeout again");
	assert_int_equal(e.failures, 2);
	assert_int_equal(e.generation, 3);
	store_entry_release(&e);
	/* a good value clears the error */
	store_publish(s, "k", STORE_LEDGER, pair_new(6), pair_free);
	assert_true(store_read(s, "k", STORE_LEDGER, &e));
	assert_string_equal(e.error, "");
	assert_int_equal(e.failures, 0);
	store_entry_release(&e);
	store_free(s);
}

static void test_error_before_any_value_is_present_without_data(void **state)
{
	(void)state;
	struct store *s = store_new();
	store_publish_error(s, "", STORE_LEDGER_LIST, "ListLedgers: no credentials");
	struct store_entry e;
	assert_true(store_read(s, "", STORE_LEDGER_LIST, &e));
	assert_null(e.data);
	assert_string_equal(e.error, "ListLedgers: no credentials");
	store_free(s);
}

static void test_reference_outlives_a_newer_publish(void **state)
{
	(void)state;
	atomic_store(&freed, 0);
	struct store *s = store_new();
	store_publish(s, "k", STORE_DIGEST, pair_new(1), pair_free);
	struct store_entry old;
	store_read(s, "k", STORE_DIGEST, &old);
	store_publish(s, "k", STORE_DIGEST, pair_new(2), pair_free);
	assert_int_equal(atomic_load(&freed), 0); /* the reader still holds #1 */
	assert_int_equal(((const struct pair *)old.data)->a, 1);
	store_entry_release(&old);
	assert_int_equal(atomic_load(&freed), 1);
	store_free(s);
	assert_int_equal(atomic_load(&freed), 2);
}

static void test_over_long_key_is_refused_and_data_freed(void **state)
{
	(void)state;
	atomic_store(&freed, 0);
	struct store *s = store_new();
	char key[STORE_KEY_MAX + 8];
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	assert_int_equal(store_publish(s, key, STORE_LEDGER, pair_new(1), pair_free), -1);
	assert_int_equal(atomic_load(&freed), 1);
	assert_int_equal(store_publish_error(s, key, STORE_LEDGER, "x"), -1);
	store_free(s);
}

#define RACE_PUBLISHES 20000

static void *publisher(void *arg)
{
	struct store *s = arg;
	for (uint64_t i = 1; i <= RACE_PUBLISHES; i++) {
		if (i % 7 == 0)
			store_publish_error(s, "race", STORE_DIGEST, "transient");
		else
			store_publish(s, "race", STORE_DIGEST, pair_new(i), pair_free);
	}
	return NULL;
}

static void test_concurrent_publisher_and_reader_see_consistent_values(void **state)
{
	(void)state;
	struct store *s = store_new();
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, publisher, s), 0);
	uint64_t last_gen = 0, last_a = 0;
	size_t reads = 0;
	for (;;) {
		struct store_entry e;
		if (store_read(s, "race", STORE_DIGEST, &e)) {
			assert_true(e.generation >= last_gen);
			last_gen = e.generation;
			const struct pair *p = e.data;
			if (p) {
				assert_int_equal(p->b, p->a * 3); /* never half-written */
				assert_true(p->a >= last_a);	  /* never older */
				last_a = p->a;
			}
			store_entry_release(&e);
			reads++;
		}
		/* the last publish (20000, not a multiple of 7) is a value */
		if (last_gen == RACE_PUBLISHES)
			break;
	}
	pthread_join(t, NULL);
	assert_int_equal(store_generation(s), RACE_PUBLISHES);
	assert_int_equal(last_a, RACE_PUBLISHES);
	assert_true(reads > 0);
	store_free(s);
}

static void test_status_is_retrying_n_of_m_then_failed_then_ok_again(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct store_entry e;
	assert_int_equal(store_schedule(s, "L", STORE_DIGEST, 123.5, 3), 0);
	store_read(s, "L", STORE_DIGEST, &e);
	assert_int_equal(e.status, STORE_STATUS_NONE);
	assert_true(e.next_attempt_mono == 123.5);
	assert_int_equal(store_generation(s), 0); /* scheduling alone wakes nobody */
	store_publish(s, "L", STORE_DIGEST, pair_new(1), pair_free);
	for (unsigned n = 1; n <= 3; n++) {
		store_publish_error(s, "L", STORE_DIGEST, "GetDigest: throttled");
		store_read(s, "L", STORE_DIGEST, &e);
		assert_int_equal(e.status, STORE_STATUS_RETRYING);
		assert_int_equal(e.failures, n);
		assert_int_equal(e.retry_max, 3);
		assert_non_null(e.data); /* the last good value stays */
		store_entry_release(&e);
	}
	store_publish_error(s, "L", STORE_DIGEST, "GetDigest: throttled");
	store_read(s, "L", STORE_DIGEST, &e);
	assert_int_equal(e.status, STORE_STATUS_FAILED);
	assert_string_equal(store_status_name(e.status), "failed");
	store_entry_release(&e);
	store_publish(s, "L", STORE_DIGEST, pair_new(2), pair_free);
	store_read(s, "L", STORE_DIGEST, &e);
	assert_int_equal(e.status, STORE_STATUS_OK);
	assert_string_equal(e.error, "");
	assert_int_equal(e.error_status, 0);
	store_entry_release(&e);
	store_free(s);
}

static void test_a_failure_without_a_retry_limit_is_failed_at_once(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct store_entry e;
	store_publish_error(s, "L", STORE_LEDGER, "DescribeLedger: down");
	store_read(s, "L", STORE_LEDGER, &e);
	assert_int_equal(e.status, STORE_STATUS_FAILED);
	assert_int_equal(e.kind, STORE_LEDGER);
	store_free(s);
}

static void test_an_api_error_keeps_its_status_http_and_code(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct api_error err;
	api_error_set(&err, API_ERR_SERVICE, "DescribeLedger x: ResourceNotFoundException: gone");
	err.http_status = 404;
	snprintf(err.code, sizeof err.code, "ResourceNotFoundException");
	store_publish_api_error(s, "x", STORE_LEDGER, &err);
	struct store_entry e;
	store_read(s, "x", STORE_LEDGER, &e);
	assert_int_equal(e.error_status, API_ERR_SERVICE);
	assert_int_equal(e.error_http, 404);
	assert_string_equal(e.error_code, "ResourceNotFoundException");
	store_free(s);
}

static void test_a_stored_error_never_holds_a_secret(void **state)
{
	(void)state;
	struct store *s = store_new();
	log_add_secret("store-secret-value-42");
	store_publish_error(s, "L", STORE_DIGEST,
			    "echo: store-secret-value-42 Authorization: AWS4-HMAC-SHA256 x");
	struct store_entry e;
	store_read(s, "L", STORE_DIGEST, &e);
	assert_null(strstr(e.error, "store-secret-value-42"));
	assert_null(strstr(e.error, "AWS4-HMAC"));
	assert_non_null(strstr(e.error, "echo: " LOG_REDACTED));
	log_close(); /* forgets the secret */
	store_free(s);
}

static struct store_audit_event audit_event(unsigned i)
{
	struct store_audit_event ev = { .time = 1000 + i, .result = STORE_AUDIT_VERIFIED };
	snprintf(ev.ledger, sizeof ev.ledger, "ledger-%u", i);
	snprintf(ev.kind, sizeof ev.kind, "block");
	return ev;
}

static void test_the_audit_ring_keeps_the_newest_and_counts_what_a_reader_missed(void **state)
{
	(void)state;
	struct store *s = store_new();
	const unsigned total = STORE_AUDIT_MAX + 44;
	for (unsigned i = 1; i <= total; i++) {
		struct store_audit_event ev = audit_event(i);
		assert_int_equal(store_audit_append(s, &ev), 0);
	}
	assert_true(wake_readable(s));
	static struct store_audit_event out[STORE_AUDIT_MAX + 10];
	uint64_t cursor = 0, missed = 99;
	size_t n = store_audit_read(s, &cursor, out, STORE_AUDIT_MAX + 10, &missed);
	assert_int_equal(n, STORE_AUDIT_MAX);
	assert_int_equal(missed, 44);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, "ledger-%zu", i + 45);
		assert_int_equal(out[i].seq, i + 45);
		assert_string_equal(out[i].ledger, want);
	}
	assert_int_equal(cursor, total);
	/* caught up: nothing new, nothing missed */
	assert_int_equal(store_audit_read(s, &cursor, out, 10, &missed), 0);
	assert_int_equal(missed, 0);
	struct store_audit_event ev = audit_event(7);
	ev.result = STORE_AUDIT_FAILED;
	store_audit_append(s, &ev);
	assert_int_equal(store_audit_read(s, &cursor, out, 10, &missed), 1);
	assert_int_equal(out[0].result, STORE_AUDIT_FAILED);
	assert_string_equal(store_audit_result_name(out[0].result), "FAILED");
	store_free(s);
}

static void test_an_audit_event_is_copied_terminated_and_redacted(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct store_audit_event ev;
	memset(&ev, 'A', sizeof ev); /* no string ends inside its buffer */
	ev.result = STORE_AUDIT_UNVERIFIED;
	snprintf(ev.message, sizeof ev.message, "proof sent with Signature=abcdef0123");
	store_audit_append(s, &ev);
	memset(&ev, 0, sizeof ev); /* the store holds its own copy */
	struct store_audit_event out;
	uint64_t cursor = 0;
	assert_int_equal(store_audit_read(s, &cursor, &out, 1, NULL), 1);
	assert_int_equal(strlen(out.ledger), STORE_KEY_MAX - 1);
	assert_int_equal(strlen(out.computed_b64), STORE_AUDIT_HASH_MAX - 1);
	assert_null(strstr(out.message, "abcdef0123"));
	store_free(s);
}

#define REF_THREADS 4
#define REF_ROUNDS 5000

static void *ref_reader(void *arg)
{
	struct store *s = arg;
	struct store_entry held[8];
	size_t n = 0;
	for (int i = 0; i < REF_ROUNDS; i++) {
		store_read(s, "ref", STORE_DIGEST, &held[n]);
		if (held[n].data) {
			const struct pair *p = held[n].data;
			assert_int_equal(p->b, p->a * 3);
		}
		if (++n == 8) { /* hold several references across publishes */
			while (n)
				store_entry_release(&held[--n]);
		}
	}
	while (n)
		store_entry_release(&held[--n]);
	return NULL;
}

static void test_every_value_is_freed_once_after_readers_in_threads_release(void **state)
{
	(void)state;
	struct store *s = store_new();
	atomic_store(&freed, 0);
	pthread_t t[REF_THREADS];
	for (int i = 0; i < REF_THREADS; i++)
		pthread_create(&t[i], NULL, ref_reader, s);
	for (uint64_t i = 1; i <= REF_ROUNDS; i++)
		store_publish(s, "ref", STORE_DIGEST, pair_new(i), pair_free);
	for (int i = 0; i < REF_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&freed), REF_ROUNDS - 1); /* the slot holds the last */
	store_free(s);
	assert_int_equal(atomic_load(&freed), REF_ROUNDS);
}

static void test_every_kind_of_every_ledger_fits_and_one_more_slot_is_refused(void **state)
{
	(void)state;
	struct store *s = store_new();
	atomic_store(&freed, 0);
	assert_int_equal(store_publish(s, "", STORE_LEDGER_LIST, pair_new(0), pair_free), 0);
	for (unsigned i = 0; i < STORE_LEDGERS_MAX; i++) {
		char key[16];
		snprintf(key, sizeof key, "l%u", i);
		for (int k = 0; k < STORE_KIND_COUNT; k++)
			assert_int_equal(
				store_publish(s, key, (enum store_kind)k, pair_new(i), pair_free),
				0);
	}
	/* the table is full: a new slot is refused and its data freed */
	assert_int_equal(store_publish(s, "extra", STORE_DIGEST, pair_new(1), pair_free), -1);
	assert_int_equal(atomic_load(&freed), 1);
	assert_int_equal(store_publish_error(s, "extra", STORE_DIGEST, "x"), -1);
	/* an existing slot still takes new values */
	assert_int_equal(store_publish(s, "l0", STORE_DIGEST, pair_new(2), pair_free), 0);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_of_an_empty_slot_is_not_present),
		cmocka_unit_test(test_publish_then_read_returns_the_value_and_bumps_generation),
		cmocka_unit_test(test_wake_fd_is_readable_after_publish_and_drains),
		cmocka_unit_test(test_error_keeps_last_good_value_and_counts_failures),
		cmocka_unit_test(test_error_before_any_value_is_present_without_data),
		cmocka_unit_test(test_reference_outlives_a_newer_publish),
		cmocka_unit_test(test_over_long_key_is_refused_and_data_freed),
		cmocka_unit_test(test_concurrent_publisher_and_reader_see_consistent_values),
		cmocka_unit_test(test_status_is_retrying_n_of_m_then_failed_then_ok_again),
		cmocka_unit_test(test_a_failure_without_a_retry_limit_is_failed_at_once),
		cmocka_unit_test(test_an_api_error_keeps_its_status_http_and_code),
		cmocka_unit_test(test_a_stored_error_never_holds_a_secret),
		cmocka_unit_test(
			test_the_audit_ring_keeps_the_newest_and_counts_what_a_reader_missed),
		cmocka_unit_test(test_an_audit_event_is_copied_terminated_and_redacted),
		cmocka_unit_test(test_every_value_is_freed_once_after_readers_in_threads_release),
		cmocka_unit_test(test_every_kind_of_every_ledger_fits_and_one_more_slot_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
