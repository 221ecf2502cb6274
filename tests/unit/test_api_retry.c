/*
 * test_api_retry.c - the standard retry mode (api/retry.c) against the
 * numbers of docs/reliability-perf.md §1.2-1.6: which errors are retried
 * (LimitExceededException is not), full-jitter backoff with its bases and
 * 20 s cap, the 500-token quota that stops a storm and refunds on success,
 * x-amz-retry-after clamped, the one free clock-skew and credentials
 * retries, idempotency, and the HTTP Date parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "api/retry.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_throttling_codes_and_429_are_throttling(void **state)
{
	(void)state;
	const char *codes[] = { "ThrottlingException",
				"Throttling",
				"TooManyRequestsException",
				"RequestLimitExceeded",
				"SlowDown",
				"ProvisionedThroughputExceededException",
				"RequestThrottled",
				"RequestThrottledException",
				"BandwidthLimitExceeded",
				"PriorRequestNotComplete" };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		assert_int_equal(retry_classify(RETRY_NET_OK, 400, codes[i]), RETRY_KIND_THROTTLE);
	assert_int_equal(retry_classify(RETRY_NET_OK, 429, ""), RETRY_KIND_THROTTLE);
	/* SlowDown arrives with 503: throttling wins over the 5xx rule */
	assert_int_equal(retry_classify(RETRY_NET_OK, 503, "SlowDown"), RETRY_KIND_THROTTLE);
	/* case matters: codes are identifiers */
	assert_int_equal(retry_classify(RETRY_NET_OK, 400, "throttlingexception"), RETRY_KIND_NONE);
}

static void test_limit_exceeded_and_client_errors_are_not_retried(void **state)
{
	(void)state;
	assert_int_equal(retry_classify(RETRY_NET_OK, 400, "LimitExceededException"),
			 RETRY_KIND_NONE);
	assert_false(retry_code_is_throttling("LimitExceededException"));
	const long statuses[] = { 400, 403, 404, 409, 412 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(
			retry_classify(RETRY_NET_OK, statuses[i], "ResourceNotFoundException"),
			RETRY_KIND_NONE);
	assert_int_equal(retry_classify(RETRY_NET_OK, 400, NULL), RETRY_KIND_NONE);
	assert_int_equal(retry_classify(RETRY_NET_OK, 200, "ThrottlingException"), RETRY_KIND_NONE);
	assert_int_equal(retry_classify(RETRY_NET_OK, 501, ""), RETRY_KIND_NONE);
	assert_int_equal(retry_classify(RETRY_NET_FATAL, 0, ""), RETRY_KIND_NONE);
}

static void test_5xx_and_connection_failures_are_transient(void **state)
{
	(void)state;
	const long statuses[] = { 500, 502, 503, 504 };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(retry_classify(RETRY_NET_OK, statuses[i], ""),
				 RETRY_KIND_TRANSIENT);
	assert_int_equal(retry_classify(RETRY_NET_OK, 400, "RequestTimeout"), RETRY_KIND_TRANSIENT);
	assert_int_equal(retry_classify(RETRY_NET_CONNECT, 0, ""), RETRY_KIND_TRANSIENT);
	assert_int_equal(retry_classify(RETRY_NET_IO, 0, ""), RETRY_KIND_TRANSIENT);
	assert_int_equal(retry_classify(RETRY_NET_TIMEOUT, 0, ""), RETRY_KIND_TIMEOUT);
	assert_int_equal(retry_classify(RETRY_NET_OK, 403, "RequestTimeTooSkewed"),
			 RETRY_KIND_SKEW);
	assert_int_equal(retry_classify(RETRY_NET_OK, 403, "InvalidSignatureException"),
			 RETRY_KIND_SKEW);
	assert_int_equal(retry_classify(RETRY_NET_OK, 403, "ExpiredTokenException"),
			 RETRY_KIND_CREDS);
}

static void test_backoff_is_full_jitter_with_bases_and_a_20s_cap(void **state)
{
	(void)state;
	const struct retry_policy *p = &RETRY_STANDARD;
	/* throttling base 1 s: retry n waits r * min(2^(n-1), 20) */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 1.0, -1), 1.0);
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 2, 1.0, -1), 2.0);
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 2, 0.25, -1), 0.5);
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 6, 1.0, -1), 20.0); /* 32 capped */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 200, 0.5, -1), 10.0);
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 0.0, -1), 0.0);
	/* other errors: 50 ms base */
	CLOSE(retry_backoff_s(p, RETRY_KIND_TRANSIENT, 1, 1.0, -1), 0.05);
	CLOSE(retry_backoff_s(p, RETRY_KIND_TIMEOUT, 2, 1.0, -1), 0.1);
	/* the older rules: 1 s for everything */
	CLOSE(retry_backoff_s(&RETRY_STANDARD_V2_0, RETRY_KIND_TRANSIENT, 2, 1.0, -1), 2.0);
	/* a broken random source cannot make the wait negative or huge */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, NAN, -1), 0.0);
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 7.0, -1), 1.0);
}

static void test_retry_after_is_clamped_to_backoff_plus_5s(void **state)
{
	(void)state;
	const struct retry_policy *p = &RETRY_STANDARD;
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 0.5, 2.0), 2.0);   /* inside */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 0.5, 0.1), 0.5);   /* below t */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 0.5, 100.0), 5.5); /* above t+5 */
	CLOSE(retry_backoff_s(p, RETRY_KIND_THROTTLE, 1, 0.5, INFINITY), 0.5);
	/* 2.0 ignores it */
	CLOSE(retry_backoff_s(&RETRY_STANDARD_V2_0, RETRY_KIND_THROTTLE, 1, 0.5, 3.0), 0.5);
}

/* Run the decide loop for a request that always fails with kind. */
static int attempts_until_stop(struct retry_state *s, enum retry_kind kind, enum retry_net net,
			       enum retry_stop *why)
{
	double d;
	for (;;) {
		retry_state_attempt(s);
		enum retry_stop st = retry_decide(s, kind, net, 0.5, -1, &d);
		if (st != RETRY_GO) {
			*why = st;
			return s->attempts;
		}
	}
}

static void test_three_attempts_then_stop(void **state)
{
	(void)state;
	struct retry_quota q;
	retry_quota_init(&q, &RETRY_STANDARD);
	struct retry_state s;
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	enum retry_stop why;
	assert_int_equal(attempts_until_stop(&s, RETRY_KIND_THROTTLE, RETRY_NET_OK, &why), 3);
	assert_int_equal(why, RETRY_STOP_ATTEMPTS);
	assert_int_equal(retry_quota_tokens(&q), 500 - 2 * 5);
	/* a non-retryable error stops after the first */
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	assert_int_equal(attempts_until_stop(&s, RETRY_KIND_NONE, RETRY_NET_OK, &why), 1);
	assert_int_equal(why, RETRY_STOP_DONE);
	/* the caller may ask for fewer or more, capped */
	retry_state_init(&s, &RETRY_STANDARD, NULL, 1, true);
	assert_int_equal(attempts_until_stop(&s, RETRY_KIND_TRANSIENT, RETRY_NET_OK, &why), 1);
	retry_state_init(&s, &RETRY_STANDARD, NULL, 1000, true);
	assert_int_equal(attempts_until_stop(&s, RETRY_KIND_TRANSIENT, RETRY_NET_OK, &why),
			 RETRY_MAX_ATTEMPTS_CAP);
}

static void test_quota_stops_a_storm_and_refunds_on_success(void **state)
{
	(void)state;
	struct retry_quota q;
	retry_quota_init(&q, &RETRY_STANDARD);
	assert_int_equal(retry_quota_tokens(&q), 500);
	/* a storm of 5xx: each request retries twice at 14 tokens each */
	int requests = 0, retries = 0;
	enum retry_stop why = RETRY_GO;
	while (why != RETRY_STOP_QUOTA && requests < 1000) {
		struct retry_state s;
		retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
		attempts_until_stop(&s, RETRY_KIND_TRANSIENT, RETRY_NET_OK, &why);
		retries += s.retries;
		requests++;
	}
	assert_int_equal(why, RETRY_STOP_QUOTA);
	assert_int_equal(retries, 500 / 14); /* 35 retries, then fail fast */
	assert_int_equal(retry_quota_tokens(&q), 500 % 14);
	/* while empty, a failing request makes one attempt only */
	struct retry_state s;
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	assert_int_equal(attempts_until_stop(&s, RETRY_KIND_TRANSIENT, RETRY_NET_OK, &why), 1);
	assert_int_equal(why, RETRY_STOP_QUOTA);
	/* throttling costs 5: 10 tokens left still allow it */
	assert_int_equal(retry_quota_tokens(&q), 10);
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	retry_state_attempt(&s);
	double d;
	assert_int_equal(retry_decide(&s, RETRY_KIND_THROTTLE, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_GO);
	assert_int_equal(retry_quota_tokens(&q), 5);
	/* success after a retry refunds what that retry took; without one, 1 */
	retry_state_success(&s);
	assert_int_equal(retry_quota_tokens(&q), 10);
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	retry_state_attempt(&s);
	retry_state_success(&s);
	assert_int_equal(retry_quota_tokens(&q), 11);
	/* never above the maximum */
	retry_quota_refund(&q, 10000);
	assert_int_equal(retry_quota_tokens(&q), 500);
}

static void test_v2_0_costs_5_and_10_after_a_timeout(void **state)
{
	(void)state;
	struct retry_quota q;
	retry_quota_init(&q, &RETRY_STANDARD_V2_0);
	struct retry_state s;
	retry_state_init(&s, &RETRY_STANDARD_V2_0, &q, 0, true);
	enum retry_stop why;
	attempts_until_stop(&s, RETRY_KIND_TIMEOUT, RETRY_NET_TIMEOUT, &why);
	assert_int_equal(retry_quota_tokens(&q), 500 - 20);
	retry_state_init(&s, &RETRY_STANDARD_V2_0, &q, 0, true);
	attempts_until_stop(&s, RETRY_KIND_TRANSIENT, RETRY_NET_OK, &why);
	assert_int_equal(retry_quota_tokens(&q), 480 - 10);
	/* and the 2.1 rules: 14 after a timeout */
	retry_quota_init(&q, &RETRY_STANDARD);
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	attempts_until_stop(&s, RETRY_KIND_TIMEOUT, RETRY_NET_TIMEOUT, &why);
	assert_int_equal(retry_quota_tokens(&q), 500 - 28);
}

static void test_skew_and_creds_repairs_are_once_and_free(void **state)
{
	(void)state;
	struct retry_quota q;
	retry_quota_init(&q, &RETRY_STANDARD);
	struct retry_state s;
	retry_state_init(&s, &RETRY_STANDARD, &q, 0, true);
	double d = -1;
	retry_state_attempt(&s);
	assert_int_equal(retry_decide(&s, RETRY_KIND_SKEW, RETRY_NET_OK, 0.5, -1, &d), RETRY_GO);
	CLOSE(d, 0.0);
	retry_state_attempt(&s);
	assert_int_equal(retry_decide(&s, RETRY_KIND_SKEW, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_STOP_DONE);
	retry_state_attempt(&s);
	assert_int_equal(retry_decide(&s, RETRY_KIND_CREDS, RETRY_NET_OK, 0.5, -1, &d), RETRY_GO);
	assert_int_equal(retry_decide(&s, RETRY_KIND_CREDS, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_STOP_DONE);
	assert_int_equal(retry_quota_tokens(&q), 500);
	/* the repairs do not eat the budget: two backoff retries remain */
	assert_int_equal(retry_decide(&s, RETRY_KIND_THROTTLE, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_GO);
	retry_state_attempt(&s);
	assert_int_equal(retry_decide(&s, RETRY_KIND_THROTTLE, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_GO);
	retry_state_attempt(&s);
	assert_int_equal(retry_decide(&s, RETRY_KIND_THROTTLE, RETRY_NET_OK, 0.5, -1, &d),
			 RETRY_STOP_ATTEMPTS);
}

static void test_non_idempotent_requests_are_not_repeated_once_sent(void **state)
{
	(void)state;
	struct retry_state s;
	double d;
	const struct {
		enum retry_kind kind;
		enum retry_net net;
		enum retry_stop want;
	} cases[] = {
		{ RETRY_KIND_TIMEOUT, RETRY_NET_TIMEOUT, RETRY_STOP_NOT_IDEMPOTENT },
		{ RETRY_KIND_TRANSIENT, RETRY_NET_IO, RETRY_STOP_NOT_IDEMPOTENT },
		{ RETRY_KIND_TRANSIENT, RETRY_NET_OK, RETRY_STOP_NOT_IDEMPOTENT }, /* a 503 */
		{ RETRY_KIND_TRANSIENT, RETRY_NET_CONNECT, RETRY_GO }, /* never reached it */
		{ RETRY_KIND_THROTTLE, RETRY_NET_OK, RETRY_GO },       /* refused, not done */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		retry_state_init(&s, &RETRY_STANDARD, NULL, 0, false);
		retry_state_attempt(&s);
		assert_int_equal(retry_decide(&s, cases[i].kind, cases[i].net, 0.5, -1, &d),
				 cases[i].want);
	}
}

static void test_http_date_and_skew(void **state)
{
	(void)state;
	assert_int_equal(retry_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	assert_int_equal(retry_http_date("Fri, 24 May 2013 00:00:00 GMT"), 1369353600);
	const char *bad[] = { "",
			      "Sun 06 Nov 1994 08:49:37 GMT",
			      "Sun, 06 Nov 1994 08:49:37 UTC",
			      "Sun, 06 Foo 1994 08:49:37 GMT",
			      "Sun, 06 Nov 1994 25:49:37 GMT",
			      "Sun, 06 Nov 1994 08:49:37 GMT trailing",
			      "Sunday, 06-Nov-94 08:49:37 GMT",
			      NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(retry_http_date(bad[i]), -1);
	long off = 0;
	time_t now = 1369353600;
	assert_true(retry_skew_offset("Fri, 24 May 2013 01:00:00 GMT", now, &off));
	assert_int_equal(off, 3600);
	assert_true(retry_skew_offset("Thu, 23 May 2013 23:55:00 GMT", now, &off));
	assert_int_equal(off, -300);
	/* within 4 minutes is no skew: a real signature bug is not retried */
	assert_false(retry_skew_offset("Fri, 24 May 2013 00:03:59 GMT", now, &off));
	assert_false(retry_skew_offset("garbage", now, &off));
	assert_false(retry_skew_offset(NULL, now, &off));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttling_codes_and_429_are_throttling),
		cmocka_unit_test(test_limit_exceeded_and_client_errors_are_not_retried),
		cmocka_unit_test(test_5xx_and_connection_failures_are_transient),
		cmocka_unit_test(test_backoff_is_full_jitter_with_bases_and_a_20s_cap),
		cmocka_unit_test(test_retry_after_is_clamped_to_backoff_plus_5s),
		cmocka_unit_test(test_three_attempts_then_stop),
		cmocka_unit_test(test_quota_stops_a_storm_and_refunds_on_success),
		cmocka_unit_test(test_v2_0_costs_5_and_10_after_a_timeout),
		cmocka_unit_test(test_skew_and_creds_repairs_are_once_and_free),
		cmocka_unit_test(test_non_idempotent_requests_are_not_repeated_once_sent),
		cmocka_unit_test(test_http_date_and_skew),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
