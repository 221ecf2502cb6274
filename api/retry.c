/*
 * retry.c - the standard retry mode's rules (see retry.h for the numbers
 * and docs/reliability-perf.md §1 for where they come from). Pure: the
 * caller supplies the random draw, the clock and the headers.
 */
#include "api/retry.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const struct retry_policy RETRY_STANDARD = {
	.name = "standard 2.1",
	.max_attempts = 3,
	.base_throttle_s = 1.0,
	.base_transient_s = 0.05,
	.max_backoff_s = 20.0,
	.quota_max = 500,
	.cost_throttle = 5,
	.cost_transient = 14,
	.cost_timeout = 14, /* 2.1: timeouts cost what other errors cost */
	.refund_no_retry = 1,
	.honour_retry_after = true,
};

const struct retry_policy RETRY_STANDARD_V2_0 = {
	.name = "standard 2.0",
	.max_attempts = 3,
	.base_throttle_s = 1.0,
	.base_transient_s = 1.0,
	.max_backoff_s = 20.0,
	.quota_max = 500,
	.cost_throttle = 5,
	.cost_transient = 5,
	.cost_timeout = 10,
	.refund_no_retry = 1,
	.honour_retry_after = false,
};

/* botocore ThrottledRetryableChecker and aws-sdk-js-v3 THROTTLING_ERROR_CODES,
 * without LimitExceededException (retry.h says why). */
static const char *const THROTTLING_CODES[] = {
	"Throttling",
	"ThrottlingException",
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	"RequestLimitExceeded",
	"BandwidthLimitExceeded",
	"RequestThrottled",
	"SlowDown",
	"PriorRequestNotComplete",
	"EC2ThrottledException",
};

static const char *const TRANSIENT_CODES[] = {
	"RequestTimeout",
	"RequestTimeoutException",
	"InternalFailure",
	"InternalError",
	"InternalServerError",
	"ServiceUnavailable",
	"ServiceUnavailableException",
};

/* aws-sdk-js-v3 CLOCK_SKEW_ERROR_CODES. */
static const char *const SKEW_CODES[] = {
	"AuthFailure",	      "InvalidSignatureException", "RequestExpired",
	"RequestInTheFuture", "RequestTimeTooSkewed",	   "SignatureDoesNotMatch",
};

/* Temporary keys that expired or were revoked: new keys may help. */
static const char *const CREDS_CODES[] = {
	"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired",
	"InvalidToken", "InvalidClientTokenId",	 "UnrecognizedClientException",
};

static bool code_in(const char *code, const char *const *list, size_t n)
{
	if (!code || !*code)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(code, list[i]) == 0)
			return true;
	return false;
}

#define IN(code, list) code_in(code, list, sizeof list / sizeof list[0])

bool retry_code_is_throttling(const char *code)
{
	return IN(code, THROTTLING_CODES);
}

enum retry_kind retry_classify(enum retry_net net, long http_status, const char *code)
{
	switch (net) {
	case RETRY_NET_CONNECT:
	case RETRY_NET_IO:
		return RETRY_KIND_TRANSIENT;
	case RETRY_NET_TIMEOUT:
		return RETRY_KIND_TIMEOUT;
	case RETRY_NET_FATAL:
		return RETRY_KIND_NONE;
	case RETRY_NET_OK:
		break;
	}
	if (http_status >= 200 && http_status < 300)
		return RETRY_KIND_NONE;
	if (IN(code, THROTTLING_CODES) || http_status == 429)
		return RETRY_KIND_THROTTLE;
	if (IN(code, SKEW_CODES))
		return RETRY_KIND_SKEW;
	if (IN(code, CREDS_CODES))
		return RETRY_KIND_CREDS;
	if (IN(code, TRANSIENT_CODES) || http_status == 500 || http_status == 502 ||
	    http_status == 503 || http_status == 504)
		return RETRY_KIND_TRANSIENT;
	return RETRY_KIND_NONE;
}

void retry_quota_init(struct retry_quota *q, const struct retry_policy *p)
{
	q->max = p->quota_max;
	atomic_init(&q->tokens, p->quota_max);
}

bool retry_quota_take(struct retry_quota *q, int cost)
{
	int cur = atomic_load(&q->tokens);
	while (cur >= cost)
		if (atomic_compare_exchange_weak(&q->tokens, &cur, cur - cost))
			return true;
	return false;
}

void retry_quota_refund(struct retry_quota *q, int n)
{
	int cur = atomic_load(&q->tokens);
	for (;;) {
		int next = cur + n > q->max ? q->max : cur + n;
		if (atomic_compare_exchange_weak(&q->tokens, &cur, next))
			return;
	}
}

int retry_quota_tokens(struct retry_quota *q)
{
	return atomic_load(&q->tokens);
}

void retry_state_init(struct retry_state *s, const struct retry_policy *p,
		      struct retry_quota *quota, int max_attempts, bool idempotent)
{
	memset(s, 0, sizeof *s);
	s->p = p;
	s->quota = quota;
	s->max_attempts = max_attempts > 0 ? max_attempts : p->max_attempts;
	if (s->max_attempts > RETRY_MAX_ATTEMPTS_CAP)
		s->max_attempts = RETRY_MAX_ATTEMPTS_CAP;
	s->idempotent = idempotent;
}

void retry_state_attempt(struct retry_state *s)
{
	s->attempts++;
}

double retry_backoff_s(const struct retry_policy *p, enum retry_kind kind, int n, double r01,
		       double retry_after_s)
{
	double base = kind == RETRY_KIND_THROTTLE ? p->base_throttle_s : p->base_transient_s;
	if (n < 1)
		n = 1;
	double cap = base * ldexp(1.0, n > 60 ? 60 : n - 1);
	if (cap > p->max_backoff_s)
		cap = p->max_backoff_s;
	if (!(r01 >= 0.0))
		r01 = 0.0; /* NaN and negatives */
	if (r01 > 1.0)
		r01 = 1.0;
	double t = r01 * cap;
	if (p->honour_retry_after && retry_after_s >= 0.0 && isfinite(retry_after_s)) {
		if (retry_after_s < t)
			retry_after_s = t;
		if (retry_after_s > t + RETRY_AFTER_EXTRA_S)
			retry_after_s = t + RETRY_AFTER_EXTRA_S;
		t = retry_after_s;
	}
	return t;
}

enum retry_stop retry_decide(struct retry_state *s, enum retry_kind kind, enum retry_net net,
			     double r01, double retry_after_s, double *delay_s)
{
	*delay_s = 0.0;
	switch (kind) {
	case RETRY_KIND_NONE:
		return RETRY_STOP_DONE;
	case RETRY_KIND_SKEW:
		if (s->skew_done)
			return RETRY_STOP_DONE;
		s->skew_done = true;
		return RETRY_GO;
	case RETRY_KIND_CREDS:
		if (s->creds_done)
			return RETRY_STOP_DONE;
		s->creds_done = true;
		return RETRY_GO;
	case RETRY_KIND_THROTTLE:
	case RETRY_KIND_TRANSIENT:
	case RETRY_KIND_TIMEOUT:
		break;
	}
	/* After a timeout or a cut connection the service may have acted. */
	if (!s->idempotent && (net == RETRY_NET_TIMEOUT || net == RETRY_NET_IO ||
			       (net == RETRY_NET_OK && kind != RETRY_KIND_THROTTLE)))
		return RETRY_STOP_NOT_IDEMPOTENT;
	/* The free repairs do not use the budget. */
	int counted = s->attempts - (s->skew_done ? 1 : 0) - (s->creds_done ? 1 : 0);
	if (counted >= s->max_attempts)
		return RETRY_STOP_ATTEMPTS;
	int cost = kind == RETRY_KIND_THROTTLE	? s->p->cost_throttle
		   : kind == RETRY_KIND_TIMEOUT ? s->p->cost_timeout
						: s->p->cost_transient;
	if (s->quota && !retry_quota_take(s->quota, cost))
		return RETRY_STOP_QUOTA;
	s->last_cost = s->quota ? cost : 0;
	s->retries++;
	*delay_s = retry_backoff_s(s->p, kind, s->retries, r01, retry_after_s);
	return RETRY_GO;
}

void retry_state_success(struct retry_state *s)
{
	if (!s->quota)
		return;
	retry_quota_refund(s->quota, s->retries ? s->last_cost : s->p->refund_no_retry);
}

time_t retry_http_date(const char *s)
{
	static const char *const MON[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char wd[4], mon[4], zone[4];
	int d, y, hh, mm, ss, used = 0;
	if (!s || sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", wd, &d, mon, &y,
			 &hh, &mm, &ss, zone, &used) != 8)
		return (time_t)-1;
	if (strcmp(zone, "GMT") != 0 || strlen(wd) != 3 || s[used] != '\0')
		return (time_t)-1;
	int m = -1;
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, MON[i]) == 0)
			m = i;
	if (m < 0 || d < 1 || d > 31 || y < 1970 || y > 9999 || hh > 23 || mm > 59 || ss > 60 ||
	    hh < 0 || mm < 0 || ss < 0)
		return (time_t)-1;
	struct tm tm = { .tm_year = y - 1900,
			 .tm_mon = m,
			 .tm_mday = d,
			 .tm_hour = hh,
			 .tm_min = mm,
			 .tm_sec = ss };
	return timegm(&tm);
}

bool retry_skew_offset(const char *date_header, time_t local_now, long *offset)
{
	time_t server = retry_http_date(date_header);
	if (server == (time_t)-1)
		return false;
	long off = (long)(server - local_now);
	*offset = off;
	return off >= RETRY_SKEW_MIN_S || off <= -RETRY_SKEW_MIN_S;
}
