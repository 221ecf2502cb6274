/*
 * poller.c - the QLDB polling worker (see poller.h).
 */
#include "api/poller.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http.h"

struct poller {
	struct poller_config cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	bool refresh;	     /* under lock */
	atomic_int stop;     /* read by curl's progress callback too */
	struct http_client *http;
	/* ledgers of the last good ListLedgers: still polled when the list
	 * call fails, so each pane shows its own error and age */
	char names[POLLER_MAX_LEDGERS][QLDB_NAME_MAX + 1];
	size_t n_names;
};

unsigned poller_backoff_s(unsigned interval_s, unsigned failures)
{
	unsigned wait = interval_s ? interval_s : 1;
	for (unsigned i = 0; i < failures && wait < POLLER_BACKOFF_MAX_S; i++)
		wait *= 2;
	if (wait > POLLER_BACKOFF_MAX_S && interval_s <= POLLER_BACKOFF_MAX_S)
		wait = POLLER_BACKOFF_MAX_S;
	return wait < interval_s ? interval_s : wait;
}

static void poller_log(struct poller *p, const char *key, const char *msg)
{
	if (p->cfg.log) {
		char line[API_ERROR_MSG_MAX + 64];
		snprintf(line, sizeof line, "%s%s%s", key, *key ? ": " : "", msg);
		p->cfg.log(p->cfg.log_ctx, line);
	}
}

/* Publish err on (key, kind) unless we were stopped; returns false. */
static bool poller_fail(struct poller *p, const char *key, enum store_kind kind,
			const struct api_error *err)
{
	if (err->status != API_ERR_STOPPED) {
		store_publish_error(p->cfg.store, key, kind, err->msg);
		poller_log(p, key, err->msg);
	}
	return false;
}

/* Describe one ledger and fetch its digest; false if either failed. */
static bool poll_ledger(struct poller *p, const char *name)
{
	struct api_error err;
	bool ok = true;
	struct qldb_ledger *led = malloc(sizeof *led);
	if (!led)
		return false;
	if (qldb_describe_ledger(p->http, name, led, &err) == 0)
		store_publish(p->cfg.store, name, STORE_LEDGER, led, free);
	else {
		free(led);
		ok = poller_fail(p, name, STORE_LEDGER, &err);
	}
	if (atomic_load(&p->stop))
		return false;
	struct qldb_digest *dig = malloc(sizeof *dig);
	if (!dig)
		return false;
	if (qldb_get_digest(p->http, name, dig, &err) == 0)
		store_publish(p->cfg.store, name, STORE_DIGEST, dig, free);
	else {
		free(dig);
		ok = poller_fail(p, name, STORE_DIGEST, &err);
	}
	return ok;
}

/* One cycle; true when every call succeeded. */
static bool poll_cycle(struct poller *p)
{
	if (p->cfg.ledger[0])
		return poll_ledger(p, p->cfg.ledger);
	struct api_error err;
	bool ok = true;
	struct qldb_ledger_list *list = malloc(sizeof *list);
	if (!list)
		return false;
	if (qldb_list_ledgers(p->http, list, &err) != 0) {
		free(list);
		ok = poller_fail(p, "", STORE_LEDGER_LIST, &err);
	} else {
		/* names copied out before the list is handed to the store */
		p->n_names = list->n < POLLER_MAX_LEDGERS ? list->n : POLLER_MAX_LEDGERS;
		for (size_t i = 0; i < p->n_names; i++)
			memcpy(p->names[i], list->items[i].name, sizeof p->names[i]);
		store_publish(p->cfg.store, "", STORE_LEDGER_LIST, list, free);
	}
	for (size_t i = 0; i < p->n_names && !atomic_load(&p->stop); i++)
		ok = poll_ledger(p, p->names[i]) && ok;
	return ok;
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	unsigned failures = 0;
	while (!atomic_load(&p->stop)) {
		bool ok = poll_cycle(p);
		failures = ok ? 0 : failures + 1;
		unsigned wait = poller_backoff_s(p->cfg.interval_s, failures);

		struct timespec deadline;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += wait;
		pthread_mutex_lock(&p->lock);
		while (!atomic_load(&p->stop) && !p->refresh)
			if (pthread_cond_timedwait(&p->cond, &p->lock, &deadline) == ETIMEDOUT)
				break;
		p->refresh = false;
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

struct poller *poller_start(const struct poller_config *cfg, struct api_error *err)
{
	api_error_clear(err);
	if (!cfg->store || cfg->interval_s < 1 || cfg->interval_s > POLLER_INTERVAL_MAX_S) {
		api_error_set(err, API_ERR_CONFIG, "poller: interval must be 1..%d seconds",
			      POLLER_INTERVAL_MAX_S);
		return NULL;
	}
	struct poller *p = calloc(1, sizeof *p);
	if (!p) {
		api_error_set(err, API_ERR_NOMEM, "poller: out of memory");
		return NULL;
	}
	p->cfg = *cfg;
	atomic_init(&p->stop, 0);
	p->http = http_client_new(&p->cfg.api, "qldb", &p->stop, err);
	if (!p->http) {
		api_config_wipe(&p->cfg.api);
		free(p);
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&p->lock, NULL);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POLLER_STACK_BYTES);
	int rc = pthread_create(&p->thread, &attr, poller_main, p);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		api_error_set(err, API_ERR_NOMEM, "poller: cannot start thread: %s", strerror(rc));
		http_client_free(p->http);
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		api_config_wipe(&p->cfg.api);
		free(p);
		return NULL;
	}
	return p;
}

void poller_refresh(struct poller *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->refresh = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void poller_stop(struct poller *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stop, 1);
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	http_client_free(p->http);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	api_config_wipe(&p->cfg.api);
	free(p);
}
