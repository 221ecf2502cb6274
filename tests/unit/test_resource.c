/*
 * test_resource.c - the descriptor table (every kind filled at most once,
 * account scope first, DESIGN.md's default intervals, what is not polled
 * yet) and the ListLedgers pager's pure parts: the query of each page
 * (RFC 3986 encoding of the token, sorted keys), NextToken read strictly,
 * and the cap on ledgers kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/resource.h"

static void test_every_descriptor_is_complete_and_fills_its_own_kind(void **state)
{
	(void)state;
	assert_true(RESOURCE_TABLE_N >= 3);
	bool seen[STORE_KIND_COUNT] = { false };
	bool ledger_scope_seen = false;
	for (size_t i = 0; i < RESOURCE_TABLE_N; i++) {
		const struct resource_desc *d = RESOURCE_TABLE[i];
		assert_non_null(d->name);
		assert_non_null(d->operation);
		assert_non_null(d->fetch);
		assert_non_null(d->free_value);
		assert_true(d->base_interval_s > 0);
		assert_true((unsigned)d->kind < STORE_KIND_COUNT);
		assert_false(seen[d->kind]);
		seen[d->kind] = true;
		assert_ptr_equal(resource_for_kind(d->kind), d);
		/* the account's list comes first: it makes the ledger tasks */
		if (d->scope == RESOURCE_SCOPE_LEDGER)
			ledger_scope_seen = true;
		else
			assert_false(ledger_scope_seen);
	}
}

static void test_the_polled_kinds_and_their_intervals_are_the_designs(void **state)
{
	(void)state;
	/* issue 11: ledger 30 s, digest 10 s; the ledger list with the ledger */
	assert_string_equal(resource_for_kind(STORE_LEDGER)->operation, "DescribeLedger");
	assert_int_equal(resource_for_kind(STORE_LEDGER)->base_interval_s, 30);
	assert_string_equal(resource_for_kind(STORE_DIGEST)->operation, "GetDigest");
	assert_int_equal(resource_for_kind(STORE_DIGEST)->base_interval_s, 10);
	assert_string_equal(resource_for_kind(STORE_LEDGER_LIST)->operation, "ListLedgers");
	assert_int_equal(resource_for_kind(STORE_LEDGER_LIST)->scope, RESOURCE_SCOPE_ACCOUNT);
	/* issue 11: streams 30 s, exports 60 s */
	assert_string_equal(resource_for_kind(STORE_STREAMS)->operation,
			    "ListJournalKinesisStreamsForLedger");
	assert_int_equal(resource_for_kind(STORE_STREAMS)->base_interval_s, 30);
	assert_string_equal(resource_for_kind(STORE_EXPORTS)->operation,
			    "ListJournalS3ExportsForLedger");
	assert_int_equal(resource_for_kind(STORE_EXPORTS)->base_interval_s, 60);
	assert_int_equal(resource_for_kind(STORE_KINESIS)->base_interval_s, 30);
	assert_string_equal(resource_for_kind(STORE_METRICS)->operation, "GetMetricData");
	assert_int_equal(resource_for_kind(STORE_METRICS)->base_interval_s, 60);
	/* declared, filled later: snapshot says "not polled" */
	/* the auditor runs at the digest's pace (DESIGN: on each new digest) */
	assert_int_equal(resource_for_kind(STORE_AUDIT)->base_interval_s, 10);
	assert_int_equal(resource_for_kind(STORE_AUDIT)->scope, RESOURCE_SCOPE_LEDGER);
	assert_string_equal(store_kind_name(STORE_STREAMS), "streams");
}

static void test_the_first_page_asks_for_a_hundred(void **state)
{
	(void)state;
	char q[64];
	struct api_error err;
	assert_int_equal(resource_ledgers_query(NULL, q, sizeof q, &err), 0);
	assert_string_equal(q, "max_results=100");
}

static void test_a_token_is_percent_encoded_after_max_results(void **state)
{
	(void)state;
	char q[256];
	struct api_error err;
	assert_int_equal(resource_ledgers_query("aZ09-_.~ /+=%", q, sizeof q, &err), 0);
	assert_string_equal(q, "max_results=100&next_token=aZ09-_.~%20%2F%2B%3D%25");
	/* bytes above 0x7f too, upper-case hex */
	assert_int_equal(resource_ledgers_query("\xc3\xa9", q, sizeof q, &err), 0);
	assert_string_equal(q, "max_results=100&next_token=%C3%A9");
}

static void test_an_empty_or_overlong_token_or_small_buffer_is_a_limit_error(void **state)
{
	(void)state;
	char q[64], *big = malloc(RESOURCE_TOKEN_MAX + 2), *out = malloc(4096);
	struct api_error err;
	assert_int_equal(resource_ledgers_query("", q, sizeof q, &err), API_ERR_LIMIT);
	memset(big, 'a', RESOURCE_TOKEN_MAX + 1);
	big[RESOURCE_TOKEN_MAX + 1] = '\0';
	assert_int_equal(resource_ledgers_query(big, out, 4096, &err), API_ERR_LIMIT);
	big[RESOURCE_TOKEN_MAX] = '\0'; /* exactly the maximum fits */
	assert_int_equal(resource_ledgers_query(big, out, 4096, &err), 0);
	assert_int_equal(resource_ledgers_query("abcdefgh", q, 20, &err), API_ERR_LIMIT);
	free(big);
	free(out);
}

static int token_of(const char *json, char *tok, size_t cap)
{
	struct api_error err;
	return resource_ledgers_next_token(json, strlen(json), tok, cap, &err);
}

static void test_next_token_is_read_strictly(void **state)
{
	(void)state;
	char tok[RESOURCE_TOKEN_MAX + 1];
	assert_int_equal(token_of("{\"Ledgers\":[]}", tok, sizeof tok), 0);
	assert_string_equal(tok, "");
	assert_int_equal(token_of("{\"Ledgers\":[],\"NextToken\":null}", tok, sizeof tok), 0);
	assert_string_equal(tok, "");
	assert_int_equal(token_of("{\"Ledgers\":[],\"NextToken\":\"p2\"}", tok, sizeof tok), 0);
	assert_string_equal(tok, "p2");
	assert_int_equal(token_of("{\"NextToken\":5}", tok, sizeof tok), API_ERR_PARSE);
	assert_int_equal(token_of("{\"NextToken\":\"\"}", tok, sizeof tok), API_ERR_LIMIT);
	/* two tokens: which page is next? */
	assert_int_equal(token_of("{\"NextToken\":\"a\",\"NextToken\":\"b\"}", tok, sizeof tok),
			 API_ERR_PARSE);
	assert_int_equal(token_of("{\"NextToken\":\"a\"", tok, sizeof tok), API_ERR_PARSE);
}

static void test_pages_append_up_to_the_cap_and_say_truncated(void **state)
{
	(void)state;
	struct resource_ledger_list *l = calloc(1, sizeof *l);
	struct qldb_ledger_list *page = calloc(1, sizeof *page);
	page->n = QLDB_LIST_MAX;
	for (size_t i = 0; i < page->n; i++)
		snprintf(page->items[i].name, sizeof page->items[i].name, "l%zu", i);
	size_t pages = RESOURCE_LEDGERS_MAX / QLDB_LIST_MAX;
	for (size_t p = 0; p < pages; p++)
		assert_true(resource_ledgers_append(l, page));
	assert_int_equal(l->n, RESOURCE_LEDGERS_MAX);
	assert_false(l->truncated);
	assert_false(resource_ledgers_append(l, page));
	assert_true(l->truncated);
	assert_int_equal(l->n, RESOURCE_LEDGERS_MAX);
	assert_string_equal(l->items[RESOURCE_LEDGERS_MAX - 1].name, "l99");
	free(page);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_descriptor_is_complete_and_fills_its_own_kind),
		cmocka_unit_test(test_the_polled_kinds_and_their_intervals_are_the_designs),
		cmocka_unit_test(test_the_first_page_asks_for_a_hundred),
		cmocka_unit_test(test_a_token_is_percent_encoded_after_max_results),
		cmocka_unit_test(test_an_empty_or_overlong_token_or_small_buffer_is_a_limit_error),
		cmocka_unit_test(test_next_token_is_read_strictly),
		cmocka_unit_test(test_pages_append_up_to_the_cap_and_say_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
