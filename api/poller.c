/*
 * poller.c - the scheduler (pure: times come in as arguments), the token
 * bucket, the worker pool around them, and the one-shot poll (see
 * poller.h).
 */
#include "api/poller.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/http.h"
#include "api/log.h"

/* ---- the pure scheduler -------------------------------------------------- */

double poller_interval(const struct resource_desc *d, double scale)
{
	double v = d->base_interval_s * scale;
	return v < POLLER_INTERVAL_MIN_S ? POLLER_INTERVAL_MIN_S : v;
}

double poller_backoff(double interval_s, double scale, unsigned failures)
{
	if (failures == 0)
		return interval_s;
	if (failures <= POLLER_RETRY_MAX) {
		double w = POLLER_RETRY_BASE_S * scale * ldexp(1.0, (int)failures - 1);
		return w < interval_s ? w : interval_s;
	}
	double cap = interval_s > POLLER_BACKOFF_MAX_S ? interval_s : POLLER_BACKOFF_MAX_S;
	unsigned extra = failures - POLLER_RETRY_MAX;
	double w = ldexp(interval_s, extra > 30 ? 30 : (int)extra); /* 2^30 x: far past cap */
	return w < cap ? w : cap;
}

double poller_jitter(double wait, double r01)
{
	return wait * (1.0 + POLLER_JITTER * (2.0 * r01 - 1.0));
}

bool poller_error_transient(const struct api_error *e)
{
	if (e->status == API_ERR_TRANSPORT)
		return true;
	if (e->status != API_ERR_SERVICE)
		return false;
	return e->http_status >= 500 || e->http_status == 429 ||
	       strncasecmp(e->code, "Throttl", 7) == 0 ||
	       strcmp(e->code, "LimitExceededException") == 0;
}

bool poller_not_ready(struct store *st, const struct resource_desc *d, const char *ledger,
		      struct api_error *err)
{
	if (!d->needs_active || d->scope != RESOURCE_SCOPE_LEDGER || !st)
		return false;
	/* the newer word of DescribeLedger's and ListLedgers' (a tie: the
	 * ledger's own) */
	char state[QLDB_ENUM_MAX] = "";
	double when = -1;
	struct store_entry e;
	store_read(st, ledger, STORE_LEDGER, &e);
	const struct qldb_ledger *l = e.data;
	if (l && l->state[0]) {
		snprintf(state, sizeof state, "%s", l->state);
		when = e.fetched_mono;
	}
	store_entry_release(&e);
	store_read(st, "", STORE_LEDGER_LIST, &e);
	const struct resource_ledger_list *list = e.data;
	for (size_t i = 0; list && e.fetched_mono > when && i < list->n; i++)
		if (strcmp(list->items[i].name, ledger) == 0 && list->items[i].state[0]) {
			snprintf(state, sizeof state, "%s", list->items[i].state);
			break;
		}
	store_entry_release(&e);
	if (!state[0] || strcmp(state, "ACTIVE") == 0)
		return false;
	api_error_set(err, API_ERR_NOT_READY,
		      "%s: not called: ledger '%s' is %s (GetDigest answers only for an ACTIVE "
		      "ledger)",
		      d->operation, ledger, state);
	return true;
}

void poller_budget_init(struct poller_budget *b, double rate, double burst, double now)
{
	b->rate = rate;
	b->burst = burst < 1 ? 1 : burst;
	b->tokens = b->burst;
	b->last = now;
}

double poller_budget_take(struct poller_budget *b, double now)
{
	if (b->rate <= 0)
		return 0;
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last = now;
	}
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return 0;
	}
	return (1 - b->tokens) / b->rate;
}

int poller_sched_init(struct poller_sched *s, size_t cap, double scale)
{
	s->tasks = calloc(cap, sizeof *s->tasks);
	s->cap = s->tasks ? cap : 0;
	s->scale = scale;
	return s->tasks ? 0 : -1;
}

void poller_sched_free(struct poller_sched *s)
{
	free(s->tasks);
	memset(s, 0, sizeof *s);
}

static long sched_find(const struct poller_sched *s, const struct resource_desc *desc,
		       const char *key)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->tasks[i].desc == desc && !s->tasks[i].gone &&
		    strcmp(s->tasks[i].key, key) == 0)
			return (long)i;
	return -1;
}

int poller_sched_add(struct poller_sched *s, const struct resource_desc *desc, const char *key,
		     double due)
{
	if (strlen(key) >= STORE_KEY_MAX)
		return -1;
	if (sched_find(s, desc, key) >= 0)
		return 0;
	for (size_t i = 0; i < s->cap; i++)
		if (!s->tasks[i].desc) {
			struct poller_task *t = &s->tasks[i];
			memset(t, 0, sizeof *t);
			t->desc = desc;
			snprintf(t->key, sizeof t->key, "%s", key);
			t->due = due;
			return 0;
		}
	return -1;
}

size_t poller_sched_count(const struct poller_sched *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->cap; i++)
		n += s->tasks[i].desc && !s->tasks[i].gone;
	return n;
}

long poller_sched_pick(struct poller_sched *s, double now, double *wait)
{
	long best = -1;
	for (size_t i = 0; i < s->cap; i++) {
		const struct poller_task *t = &s->tasks[i];
		if (t->desc && !t->busy && !t->gone && (best < 0 || t->due < s->tasks[best].due))
			best = (long)i;
	}
	if (best < 0) {
		*wait = -1;
		return -1;
	}
	if (s->tasks[best].due > now) {
		*wait = s->tasks[best].due - now;
		return -1;
	}
	*wait = 0;
	s->tasks[best].busy = true;
	return best;
}

double poller_sched_done(struct poller_sched *s, long idx, bool ok, double now, double r01)
{
	struct poller_task *t = &s->tasks[idx];
	t->busy = false;
	if (t->gone) {
		memset(t, 0, sizeof *t);
		return 0;
	}
	t->failures = ok ? 0 : t->failures + 1;
	double interval = poller_interval(t->desc, s->scale);
	double wait = poller_jitter(poller_backoff(interval, s->scale, t->failures), r01);
	t->due = now + wait;
	return wait;
}

void poller_sched_refresh(struct poller_sched *s, double now)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->tasks[i].desc && !s->tasks[i].busy)
			s->tasks[i].due = now;
}

int poller_sched_sync(struct poller_sched *s, const struct resource_desc *const *table,
		      size_t n_table, const char *const *names, size_t n_names, double now)
{
	for (size_t i = 0; i < s->cap; i++) {
		struct poller_task *t = &s->tasks[i];
		if (!t->desc || t->gone || t->desc->scope != RESOURCE_SCOPE_LEDGER)
			continue;
		bool listed = false;
		for (size_t k = 0; k < n_names && !listed; k++)
			listed = strcmp(names[k], t->key) == 0;
		if (listed)
			continue;
		if (t->busy)
			t->gone = true;
		else
			memset(t, 0, sizeof *t);
	}
	int rc = 0;
	for (size_t k = 0; k < n_names; k++)
		for (size_t d = 0; d < n_table; d++)
			if (table[d]->scope == RESOURCE_SCOPE_LEDGER &&
			    poller_sched_add(s, table[d], names[k], now) != 0)
				rc = -1;
	return rc;
}

/* ---- the worker pool ------------------------------------------------------ */

struct poller;

struct poller_worker {
	struct poller *p;
	pthread_t thread;
	struct http_client *http;
	bool started;
};

struct poller {
	struct poller_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	struct poller_sched sched;
	struct poller_budget budget;
	bool paused;	 /* under lock */
	uint64_t rng;	 /* xorshift64 state for jitter, under lock */
	atomic_int stop; /* read by curl's progress callback too */
	const struct resource_desc *const *table;
	size_t n_table;
	struct poller_worker workers[POLLER_WORKERS];
};

/* cfg's table, or RESOURCE_TABLE. */
static void poller_table(const struct poller_config *cfg, const struct resource_desc *const **t,
			 size_t *n)
{
	*t = cfg->table ? cfg->table : RESOURCE_TABLE;
	*n = cfg->table ? cfg->n_table : RESOURCE_TABLE_N;
}

/* Uniform [0,1) from xorshift64 (jitter needs no more); lock held. */
static double poller_rand01(struct poller *p)
{
	uint64_t x = p->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	p->rng = x;
	return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

static double poller_scale(const struct poller_config *cfg)
{
	return (double)cfg->interval_s / POLLER_INTERVAL_UNIT_S;
}

static double poller_budget_rate(const struct poller_config *cfg)
{
	return cfg->budget_rps == 0 ? POLLER_BUDGET_RPS : cfg->budget_rps;
}

/* Publish one fetch result to the store and log it. */
static void poller_publish(struct store *st, const struct resource_desc *d, const char *key,
			   void *value, int rc, const struct api_error *err)
{
	if (rc == 0) {
		store_publish(st, key, d->kind, value, d->free_value);
		log_msg(LOG_DEBUG, "%s %s: ok", d->operation, *key ? key : "(account)");
	} else if (rc != API_ERR_STOPPED) {
		store_publish_api_error(st, key, d->kind, err);
		log_msg(LOG_WARN, "%s", err->msg);
	}
}

/* Copy the names of a ledger list (value not yet published) for sync. */
static const char **ledger_names(const struct resource_ledger_list *l)
{
	const char **names = malloc((l->n ? l->n : 1) * sizeof *names);
	for (size_t i = 0; names && i < l->n; i++)
		names[i] = l->items[i].name;
	return names;
}

/* Wait on the condition variable for up to `wait` seconds (< 0: until
 * signalled); lock held. */
static void poller_wait(struct poller *p, double wait)
{
	if (wait < 0) {
		pthread_cond_wait(&p->cond, &p->lock);
		return;
	}
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	double whole = floor(wait);
	dl.tv_sec += (time_t)whole;
	dl.tv_nsec += (long)((wait - whole) * 1e9);
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&p->cond, &p->lock, &dl);
}

static void *poller_worker_main(void *arg)
{
	struct poller_worker *w = arg;
	struct poller *p = w->p;
	pthread_mutex_lock(&p->lock);
	while (!atomic_load(&p->stop)) {
		if (p->paused) {
			poller_wait(p, -1);
			continue;
		}
		double now = store_now_mono(), wait;
		long idx = poller_sched_pick(&p->sched, now, &wait);
		if (idx < 0) {
			poller_wait(p, wait);
			continue;
		}
		double later = poller_budget_take(&p->budget, now);
		if (later > 0) { /* over budget: put it back, wait for a token */
			p->sched.tasks[idx].busy = false;
			poller_wait(p, later);
			continue;
		}
		struct poller_task task = p->sched.tasks[idx];
		pthread_mutex_unlock(&p->lock);

		void *value = NULL;
		struct api_error err;
		api_error_clear(&err);
		int rc = poller_not_ready(p->cfg.store, task.desc, task.key, &err)
				 ? API_ERR_NOT_READY
				 : task.desc->fetch(w->http, task.key, &value, &err);
		bool answered = rc == 0 || rc == API_ERR_NOT_READY; /* the usual pace */
		const char **names = NULL;
		if (rc == 0 && task.desc->scope == RESOURCE_SCOPE_ACCOUNT &&
		    task.desc->kind == STORE_LEDGER_LIST)
			names = ledger_names(value);

		pthread_mutex_lock(&p->lock);
		now = store_now_mono();
		if (names) {
			const struct resource_ledger_list *l = value;
			if (poller_sched_sync(&p->sched, p->table, p->n_table, names, l->n, now) !=
			    0)
				log_msg(LOG_WARN, "poller: too many ledgers to poll them all");
			free(names);
			pthread_cond_broadcast(&p->cond); /* new tasks are due */
		}
		double next = poller_sched_done(&p->sched, idx, answered, now, poller_rand01(p));
		pthread_cond_signal(&p->cond); /* an idle worker re-reads the schedule */
		pthread_mutex_unlock(&p->lock);

		if (rc == API_ERR_STOPPED) {
			task.desc->free_value(value);
			pthread_mutex_lock(&p->lock);
			break;
		}
		/* retrying cannot mend a wrong key or a missing ledger: such an
		 * error is failed at once (it is still polled, on backoff) */
		store_schedule(p->cfg.store, task.key, task.desc->kind, now + next,
			       answered || poller_error_transient(&err) ? POLLER_RETRY_MAX : 0);
		poller_publish(p->cfg.store, task.desc, task.key, value, rc, &err);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void poller_free(struct poller *p)
{
	for (int i = 0; i < POLLER_WORKERS; i++)
		http_client_free(p->workers[i].http);
	poller_sched_free(&p->sched);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	api_config_wipe(&p->cfg.api);
	free(p);
}

struct poller *poller_start(const struct poller_config *cfg, struct api_error *err)
{
	api_error_clear(err);
	if (!cfg->store || cfg->interval_s < 1 || cfg->interval_s > POLLER_INTERVAL_MAX_S)
		return api_error_set(err, API_ERR_CONFIG, "poller: interval must be 1..%d seconds",
				     POLLER_INTERVAL_MAX_S),
		       NULL;
	struct poller *p = calloc(1, sizeof *p);
	if (!p)
		return api_error_set(err, API_ERR_NOMEM, "poller: out of memory"), NULL;
	p->cfg = *cfg;
	poller_table(cfg, &p->table, &p->n_table);
	atomic_init(&p->stop, 0);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&p->lock, NULL);
	double now = store_now_mono();
	p->rng = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(now * 1e9) ^ 1;
	poller_budget_init(&p->budget, poller_budget_rate(cfg), POLLER_BUDGET_BURST, now);

	size_t cap = 1 + (size_t)RESOURCE_LEDGERS_MAX * p->n_table;
	if (poller_sched_init(&p->sched, cap, poller_scale(cfg)) != 0) {
		api_error_set(err, API_ERR_NOMEM, "poller: out of memory");
		poller_free(p);
		return NULL;
	}
	if (p->cfg.ledger[0]) {
		const char *one[] = { p->cfg.ledger };
		poller_sched_sync(&p->sched, p->table, p->n_table, one, 1, now);
	} else {
		for (size_t d = 0; d < p->n_table; d++)
			if (p->table[d]->scope == RESOURCE_SCOPE_ACCOUNT)
				poller_sched_add(&p->sched, p->table[d], "", now);
	}
	for (int i = 0; i < POLLER_WORKERS; i++) {
		p->workers[i].p = p;
		p->workers[i].http = http_client_new(&p->cfg.api, "qldb", &p->stop, err);
		if (!p->workers[i].http) {
			poller_free(p);
			return NULL;
		}
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POLLER_STACK_BYTES);
	for (int i = 0; i < POLLER_WORKERS; i++) {
		int rc = pthread_create(&p->workers[i].thread, &attr, poller_worker_main,
					&p->workers[i]);
		if (rc != 0) {
			api_error_set(err, API_ERR_NOMEM, "poller: cannot start thread: %s",
				      strerror(rc));
			pthread_attr_destroy(&attr);
			poller_stop(p);
			return NULL;
		}
		p->workers[i].started = true;
	}
	pthread_attr_destroy(&attr);
	return p;
}

void poller_refresh(struct poller *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	poller_sched_refresh(&p->sched, store_now_mono());
	p->paused = false;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void poller_pause(struct poller *p, bool paused)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->paused = paused;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void poller_set_scale(struct poller *p, double scale)
{
	if (!p || !(scale > 0))
		return;
	pthread_mutex_lock(&p->lock);
	p->sched.scale = scale;
	/* a task waiting out the old interval is due at once under the new
	 * one's schedule: the next pick re-plans it */
	poller_sched_refresh(&p->sched, store_now_mono());
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

double poller_scale_now(struct poller *p)
{
	if (!p)
		return 0;
	pthread_mutex_lock(&p->lock);
	double s = p->sched.scale;
	pthread_mutex_unlock(&p->lock);
	return s;
}

bool poller_paused(struct poller *p)
{
	if (!p)
		return false;
	pthread_mutex_lock(&p->lock);
	bool v = p->paused;
	pthread_mutex_unlock(&p->lock);
	return v;
}

void poller_stop(struct poller *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stop, 1);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < POLLER_WORKERS; i++)
		if (p->workers[i].started)
			pthread_join(p->workers[i].thread, NULL);
	poller_free(p);
}

/* ---- one full poll ---------------------------------------------------------- */

static void sleep_s(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - floor(s)) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Fetch with the budget and quick retries of transient failures. */
static int once_fetch(struct http_client *c, struct store *st, struct poller_budget *b,
		      const struct resource_desc *d, const char *key, void **value,
		      struct api_error *err)
{
	int rc = 0;
	if (poller_not_ready(st, d, key, err))
		return API_ERR_NOT_READY;
	for (unsigned attempt = 1; attempt <= POLLER_ONCE_ATTEMPTS; attempt++) {
		double later;
		while ((later = poller_budget_take(b, store_now_mono())) > 0)
			sleep_s(later);
		rc = d->fetch(c, key, value, err);
		if (rc == 0 || !poller_error_transient(err) || attempt == POLLER_ONCE_ATTEMPTS)
			break;
		log_msg(LOG_INFO, "%s (attempt %u of %d)", err->msg, attempt, POLLER_ONCE_ATTEMPTS);
		sleep_s(POLLER_ONCE_RETRY_S * ldexp(1.0, (int)attempt - 1));
	}
	return rc;
}

int poller_poll_once(const struct poller_config *cfg, struct api_error *err)
{
	api_error_clear(err);
	if (!cfg->store)
		return api_error_set(err, API_ERR_CONFIG, "poller: no store");
	struct poller_budget budget;
	poller_budget_init(&budget, poller_budget_rate(cfg), POLLER_BUDGET_BURST, store_now_mono());
	struct http_client *c = http_client_new(&cfg->api, "qldb", NULL, err);
	if (!c)
		return err->status ? err->status : API_ERR_CONFIG;
	const struct resource_desc *const *table;
	size_t n_table;
	poller_table(cfg, &table, &n_table);

	const char *one[1] = { cfg->ledger };
	const char **names = one;
	size_t n_names = 1;
	void *list_value = NULL;
	if (!cfg->ledger[0]) {
		names = NULL;
		n_names = 0;
		for (size_t d = 0; d < n_table; d++) {
			const struct resource_desc *desc = table[d];
			if (desc->scope != RESOURCE_SCOPE_ACCOUNT)
				continue;
			void *value = NULL;
			struct api_error e;
			api_error_clear(&e);
			int rc = once_fetch(c, cfg->store, &budget, desc, "", &value, &e);
			if (rc == 0 && desc->kind == STORE_LEDGER_LIST) {
				/* a counted reference keeps the names valid after publish */
				list_value = value;
			}
			poller_publish(cfg->store, desc, "", value, rc, &e);
		}
	}
	struct store_entry list_entry = { 0 };
	if (list_value) {
		store_read(cfg->store, "", STORE_LEDGER_LIST, &list_entry);
		const struct resource_ledger_list *l = list_entry.data;
		if (l && (names = ledger_names(l)))
			n_names = l->n;
	}
	for (size_t k = 0; k < n_names; k++)
		for (size_t d = 0; d < n_table; d++) {
			const struct resource_desc *desc = table[d];
			if (desc->scope != RESOURCE_SCOPE_LEDGER)
				continue;
			void *value = NULL;
			struct api_error e;
			api_error_clear(&e);
			int rc = once_fetch(c, cfg->store, &budget, desc, names[k], &value, &e);
			poller_publish(cfg->store, desc, names[k], value, rc, &e);
		}
	if (names != one)
		free(names);
	store_entry_release(&list_entry);
	http_client_free(c);
	return 0;
}
