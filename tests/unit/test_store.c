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
#include <stdlib.h>
#include <string.h>

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
