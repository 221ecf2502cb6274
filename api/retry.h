/*
 * retry.h - the AWS "standard" retry mode as pure logic, used by http.c:
 * which failures are retried, how long to wait, the retry quota, and the
 * two one-shot repairs (clock skew, refreshed credentials).
 * Source: docs/reliability-perf.md §1.2, §1.3 (the 2026 "2.1" rules its
 * recommendation picks for our client), §1.5 and §1.6.
 *
 *   attempts      3 in all (the first try counts)
 *   backoff       full jitter: r * min(base * 2^(n-1), 20 s), r in [0,1);
 *                 base 1 s after throttling, 50 ms after other errors
 *                 (RETRY_STANDARD); RETRY_STANDARD_V2_0 has the older
 *                 single 1 s base
 *   retry quota   a bucket of 500 tokens per client: a retry after
 *                 throttling costs 5, after another error 14 (V2_0: 5, and
 *                 10 after a timeout); an empty bucket means fail at once;
 *                 success refunds what the last retry took, or 1 token
 *   x-amz-retry-after (ms) is honoured, clamped to [t, t + 5 s]
 *   throttling    the codes of RETRY_THROTTLING_CODES, or HTTP 429;
 *                 NOT LimitExceededException: QLDB uses it for resource
 *                 counts (a 3rd export), where waiting changes nothing
 *   transient     HTTP 500/502/503/504, RequestTimeout(Exception), and
 *                 connection failures (refused, reset, empty reply, cut
 *                 short, timed out); after the request may have reached
 *                 the service only when the request is idempotent
 *   clock skew    a skew code (RequestTimeTooSkewed, InvalidSignature...)
 *                 whose Date header is RETRY_SKEW_MIN_S or more from our
 *                 clock: correct the offset and retry once, free
 *   credentials   an expired or invalid token code: refresh the keys and
 *                 retry once, free, when the refresh gave other keys
 * Everything else (4xx client errors) is returned at once.
 *
 * Threads: a struct retry_quota may be shared (atomic); a struct
 * retry_state belongs to one request. Ownership: plain values; policies
 * are static tables.
 */
#ifndef QLDBTOP_API_RETRY_H
#define QLDBTOP_API_RETRY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#define RETRY_SKEW_MIN_S 240	  /* 4 min: SigV4 allows 15, so a real skew is far above */
#define RETRY_AFTER_EXTRA_S 5.0	  /* x-amz-retry-after may add at most this to the backoff */
#define RETRY_MAX_ATTEMPTS_CAP 10 /* a caller asking for more gets this */

struct retry_policy {
	const char *name;
	int max_attempts;
	double base_throttle_s, base_transient_s, max_backoff_s;
	int quota_max, cost_throttle, cost_transient, cost_timeout;
	int refund_no_retry;
	bool honour_retry_after;
};
extern const struct retry_policy RETRY_STANDARD;      /* the 2.1 rules (default) */
extern const struct retry_policy RETRY_STANDARD_V2_0; /* botocore's standard mode */

/* What one attempt ended with, as the transport saw it. */
enum retry_net {
	RETRY_NET_OK,	   /* a response arrived (look at its status and code) */
	RETRY_NET_CONNECT, /* never reached the service: refused, DNS, connect timeout */
	RETRY_NET_TIMEOUT, /* the transfer timed out after the request went out */
	RETRY_NET_IO,	   /* reset, empty reply or a body cut short */
	RETRY_NET_FATAL,   /* TLS, bad URL, size limit, stopped: never retried */
};

enum retry_kind {
	RETRY_KIND_NONE,      /* success or not retryable */
	RETRY_KIND_THROTTLE,  /* throttled */
	RETRY_KIND_TRANSIENT, /* 5xx or a connection failure */
	RETRY_KIND_TIMEOUT,   /* timed out */
	RETRY_KIND_SKEW,      /* a clock-skew code (confirm with retry_skew_offset) */
	RETRY_KIND_CREDS,     /* expired or invalid token: refresh and retry once */
};

/* Classify one attempt. code is the AWS error code ("" or NULL for none);
 * http_status is 0 without a response. Pure. */
enum retry_kind retry_classify(enum retry_net net, long http_status, const char *code);
/* Is code one of the throttling codes? */
bool retry_code_is_throttling(const char *code);

/* The retry quota: a token bucket, shareable between threads. */
struct retry_quota {
	atomic_int tokens;
	int max;
};
void retry_quota_init(struct retry_quota *q, const struct retry_policy *p);
/* Take cost tokens; false (nothing taken) when fewer remain. */
bool retry_quota_take(struct retry_quota *q, int cost);
/* Give back n tokens (never above max). */
void retry_quota_refund(struct retry_quota *q, int n);
int retry_quota_tokens(struct retry_quota *q);

/* One request's retry state. */
struct retry_state {
	const struct retry_policy *p;
	struct retry_quota *quota; /* borrowed; NULL: no quota */
	int max_attempts;	   /* from p unless the caller set fewer */
	int attempts;		   /* made so far */
	int retries;		   /* backoff retries (quota-counted) so far */
	int last_cost;		   /* taken by the last retry, refunded on success */
	bool idempotent;
	bool skew_done, creds_done;
};

/* max_attempts 0 means p->max_attempts (capped at RETRY_MAX_ATTEMPTS_CAP). */
void retry_state_init(struct retry_state *s, const struct retry_policy *p,
		      struct retry_quota *quota, int max_attempts, bool idempotent);

/* Why a request is not retried again (for the final error message). */
enum retry_stop {
	RETRY_GO,		   /* retry: sleep *delay_s first */
	RETRY_STOP_DONE,	   /* not retryable (or success) */
	RETRY_STOP_ATTEMPTS,	   /* max attempts made */
	RETRY_STOP_QUOTA,	   /* the retry quota is empty */
	RETRY_STOP_NOT_IDEMPOTENT, /* the service may have acted: not repeated */
};

/* Decide after attempt s->attempts (count it with retry_state_attempt
 * before sending) ended as kind. net tells whether the request left us
 * (an idempotency matter). r01 is the jitter draw in [0,1);
 * retry_after_s the x-amz-retry-after value in seconds or < 0.
 * For RETRY_KIND_SKEW and RETRY_KIND_CREDS the caller has already checked
 * the repair applies (skew confirmed, other keys); they retry at once,
 * once each, without costing quota or an attempt of the budget. */
enum retry_stop retry_decide(struct retry_state *s, enum retry_kind kind, enum retry_net net,
			     double r01, double retry_after_s, double *delay_s);
/* Count an attempt about to be sent. */
void retry_state_attempt(struct retry_state *s);
/* The request succeeded: refund the quota. */
void retry_state_success(struct retry_state *s);

/* The full-jitter backoff before retry number n (1 for the first retry). */
double retry_backoff_s(const struct retry_policy *p, enum retry_kind kind, int n, double r01,
		       double retry_after_s);

/* From an HTTP Date header (RFC 7231 IMF-fixdate) and our clock: the
 * offset server - local in seconds into *offset. True when the date
 * parses and |offset| >= RETRY_SKEW_MIN_S. Pure. */
bool retry_skew_offset(const char *date_header, time_t local_now, long *offset);
/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); -1 if bad. */
time_t retry_http_date(const char *s);

#endif
