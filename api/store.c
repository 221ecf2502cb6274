/*
 * store.c - slots of refcounted immutable values behind one mutex, and an
 * eventfd to wake the UI (see store.h for the contract).
 */
#include "api/store.h"

#include "api/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct store_value {
	atomic_uint refs;
	void *data;
	void (*free_fn)(void *);
};

struct store_slot {
	char key[STORE_KEY_MAX];
	enum store_kind kind;
	struct store_value *value;
	double fetched_at, fetched_mono, error_mono;
	unsigned failures;
	char error[API_ERROR_MSG_MAX];
	uint64_t generation;
	unsigned retry_max;
	double next_attempt_mono;
	int error_status;
	long error_http;
	char error_code[API_ERROR_CODE_MAX];
};

struct store {
	pthread_mutex_t lock;
	struct store_slot *slots; /* STORE_MAX_SLOTS, n used */
	size_t n;
	uint64_t generation;
	int wake_fd;
	struct store_audit_event audit[STORE_AUDIT_MAX]; /* ring: seq % MAX */
	uint64_t audit_seq;				 /* last assigned */
};

static const char *const STORE_KIND_NAMES[STORE_KIND_COUNT] = {
	[STORE_LEDGER_LIST] = "ledgers", [STORE_LEDGER] = "ledger",   [STORE_DIGEST] = "digest",
	[STORE_TAGS] = "tags",		 [STORE_STREAMS] = "streams", [STORE_EXPORTS] = "exports",
	[STORE_KINESIS] = "kinesis",	 [STORE_METRICS] = "metrics", [STORE_AUDIT] = "audit",
	[STORE_JOBS] = "jobs",
};

const char *store_kind_name(enum store_kind kind)
{
	return (unsigned)kind < STORE_KIND_COUNT ? STORE_KIND_NAMES[kind] : "?";
}

bool store_kind_is_polled(enum store_kind kind)
{
	return (unsigned)kind < STORE_KIND_COUNT && kind != STORE_JOBS;
}

const char *store_status_name(enum store_status st)
{
	static const char *const names[] = { "none", "ok", "retrying", "failed" };
	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

const char *store_audit_result_name(enum store_audit_result r)
{
	static const char *const names[] = { "VERIFIED", "FAILED", "UNVERIFIED" };
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

double store_now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void value_unref(struct store_value *v)
{
	if (v && atomic_fetch_sub(&v->refs, 1) == 1) {
		v->free_fn(v->data);
		free(v);
	}
}

struct store *store_new(void)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->slots = calloc(STORE_MAX_SLOTS, sizeof *s->slots);
	s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!s->slots || s->wake_fd < 0) {
		int e = errno;
		if (s->wake_fd >= 0)
			close(s->wake_fd);
		free(s->slots);
		free(s);
		errno = e;
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		value_unref(s->slots[i].value);
	close(s->wake_fd);
	pthread_mutex_destroy(&s->lock);
	free(s->slots);
	free(s);
}

/* Find or create a slot; lock held. NULL when the table is full. */
static struct store_slot *slot_get(struct store *s, const char *key, enum store_kind kind,
				   bool create)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->slots[i].kind == kind && strcmp(s->slots[i].key, key) == 0)
			return &s->slots[i];
	if (!create || s->n == STORE_MAX_SLOTS)
		return NULL;
	struct store_slot *sl = &s->slots[s->n++];
	memset(sl, 0, sizeof *sl);
	snprintf(sl->key, sizeof sl->key, "%s", key);
	sl->kind = kind;
	return sl;
}

/* Wake the UI; a full counter (never in practice) still leaves it readable. */
static void store_wake(struct store *s)
{
	uint64_t one = 1;
	ssize_t r = write(s->wake_fd, &one, sizeof one);
	(void)r;
}

int store_publish(struct store *s, const char *key, enum store_kind kind, void *data,
		  void (*free_fn)(void *))
{
	if (!free_fn)
		free_fn = free;
	struct store_value *v = malloc(sizeof *v);
	if (!v || strlen(key) >= STORE_KEY_MAX || (unsigned)kind >= STORE_KIND_COUNT) {
		free(v);
		free_fn(data);
		return -1;
	}
	atomic_init(&v->refs, 1);
	v->data = data;
	v->free_fn = free_fn;
	double wall = now_wall(), mono = store_now_mono();

	pthread_mutex_lock(&s->lock);
	struct store_slot *sl = slot_get(s, key, kind, true);
	struct store_value *old = NULL;
	if (sl) {
		old = sl->value;
		sl->value = v;
		sl->fetched_at = wall;
		sl->fetched_mono = mono;
		sl->failures = 0;
		sl->error[0] = '\0';
		sl->error_status = 0;
		sl->error_http = 0;
		sl->error_code[0] = '\0';
		sl->generation = ++s->generation;
	}
	pthread_mutex_unlock(&s->lock);

	if (!sl) {
		value_unref(v);
		return -1;
	}
	value_unref(old); /* outside the lock: freeing may take a while */
	store_wake(s);
	return 0;
}

int store_publish_error(struct store *s, const char *key, enum store_kind kind, const char *msg)
{
	struct api_error e = { .status = API_ERR_SERVICE };
	snprintf(e.msg, sizeof e.msg, "%s", msg ? msg : "");
	return store_publish_api_error(s, key, kind, &e);
}

int store_publish_api_error(struct store *s, const char *key, enum store_kind kind,
			    const struct api_error *e)
{
	const char *msg = e->msg;
	if (strlen(key) >= STORE_KEY_MAX || (unsigned)kind >= STORE_KIND_COUNT)
		return -1;
	double mono = store_now_mono();
	char clean[API_ERROR_MSG_MAX];
	log_redact(msg && *msg ? msg : "unknown error", clean, sizeof clean);
	pthread_mutex_lock(&s->lock);
	struct store_slot *sl = slot_get(s, key, kind, true);
	if (sl) {
		memcpy(sl->error, clean, sizeof sl->error);
		sl->error_status = e->status ? e->status : API_ERR_SERVICE;
		sl->error_http = e->http_status;
		snprintf(sl->error_code, sizeof sl->error_code, "%s", e->code);
		sl->error_mono = mono;
		sl->failures++;
		sl->generation = ++s->generation;
	}
	pthread_mutex_unlock(&s->lock);
	if (!sl)
		return -1;
	store_wake(s);
	return 0;
}

bool store_read(struct store *s, const char *key, enum store_kind kind, struct store_entry *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->lock);
	struct store_slot *sl = slot_get(s, key, kind, false);
	out->kind = kind;
	if (sl) {
		out->present = true;
		out->ref = sl->value;
		if (out->ref) {
			atomic_fetch_add(&out->ref->refs, 1);
			out->data = out->ref->data;
		}
		out->fetched_at = sl->fetched_at;
		out->fetched_mono = sl->fetched_mono;
		out->error_mono = sl->error_mono;
		out->failures = sl->failures;
		memcpy(out->error, sl->error, sizeof out->error);
		out->generation = sl->generation;
		out->retry_max = sl->retry_max;
		out->error_status = sl->error_status;
		out->error_http = sl->error_http;
		memcpy(out->error_code, sl->error_code, sizeof out->error_code);
		out->next_attempt_mono = sl->next_attempt_mono;
		if (sl->failures == 0)
			out->status = sl->value ? STORE_STATUS_OK : STORE_STATUS_NONE;
		else
			out->status = sl->failures <= sl->retry_max ? STORE_STATUS_RETRYING
								    : STORE_STATUS_FAILED;
	}
	pthread_mutex_unlock(&s->lock);
	return out->present;
}

void store_entry_release(struct store_entry *e)
{
	if (!e)
		return;
	value_unref(e->ref);
	e->ref = NULL;
	e->data = NULL;
}

int store_schedule(struct store *s, const char *key, enum store_kind kind, double next_mono,
		   unsigned retry_max)
{
	if (strlen(key) >= STORE_KEY_MAX || (unsigned)kind >= STORE_KIND_COUNT)
		return -1;
	pthread_mutex_lock(&s->lock);
	struct store_slot *sl = slot_get(s, key, kind, true);
	if (sl) {
		sl->next_attempt_mono = next_mono;
		sl->retry_max = retry_max;
	}
	pthread_mutex_unlock(&s->lock);
	return sl ? 0 : -1;
}

int store_audit_append(struct store *s, const struct store_audit_event *ev)
{
	struct store_audit_event copy = *ev;
	/* every string ends inside its buffer, whatever the caller sent */
	copy.ledger[sizeof copy.ledger - 1] = '\0';
	copy.kind[sizeof copy.kind - 1] = '\0';
	copy.block_address[sizeof copy.block_address - 1] = '\0';
	copy.expected_b64[sizeof copy.expected_b64 - 1] = '\0';
	copy.computed_b64[sizeof copy.computed_b64 - 1] = '\0';
	copy.message[sizeof copy.message - 1] = '\0';
	char clean[API_ERROR_MSG_MAX];
	log_redact(copy.message, clean, sizeof clean);
	memcpy(copy.message, clean, sizeof copy.message);
	pthread_mutex_lock(&s->lock);
	copy.seq = ++s->audit_seq;
	s->audit[copy.seq % STORE_AUDIT_MAX] = copy;
	++s->generation;
	pthread_mutex_unlock(&s->lock);
	store_wake(s);
	return 0;
}

size_t store_audit_read(struct store *s, uint64_t *cursor, struct store_audit_event *out,
			size_t cap, uint64_t *missed)
{
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	uint64_t first = s->audit_seq > STORE_AUDIT_MAX ? s->audit_seq - STORE_AUDIT_MAX + 1 : 1;
	uint64_t from = *cursor + 1;
	if (missed)
		*missed = from < first ? first - from : 0;
	if (from < first)
		from = first;
	for (uint64_t q = from; q <= s->audit_seq && n < cap; q++)
		out[n++] = s->audit[q % STORE_AUDIT_MAX];
	if (n)
		*cursor = out[n - 1].seq;
	else if (*cursor < first - 1)
		*cursor = first - 1;
	pthread_mutex_unlock(&s->lock);
	return n;
}

uint64_t store_generation(struct store *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t g = s->generation;
	pthread_mutex_unlock(&s->lock);
	return g;
}

int store_wake_fd(const struct store *s)
{
	return s->wake_fd;
}

void store_wake_drain(struct store *s)
{
	uint64_t n;
	while (read(s->wake_fd, &n, sizeof n) == (ssize_t)sizeof n)
		;
}
