/*
 * metrics.c - per-ledger read counters (see metrics.h): a table of ledger
 * names, each with a ring of minute slots; a slot remembers which minute
 * it holds, so a slot reused after SIM_METRICS_MINUTES starts from zero.
 */
#include "sim/metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct metrics_slot {
	int64_t minute;
	uint64_t reads;
};

struct metrics_ledger {
	char name[SIM_LEDGER_NAME_MAX + 1];
	struct metrics_slot *ring; /* SIM_METRICS_MINUTES slots */
};

static pthread_mutex_t metrics_mu = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_ledger metrics_table[SIM_METRICS_LEDGERS_MAX];
static size_t metrics_n;

/* The entry of name, created when create is set; NULL when absent or the
 * table is full. Called locked. */
static struct metrics_ledger *metrics_find(const char *name, int create)
{
	if (strlen(name) > SIM_LEDGER_NAME_MAX)
		return NULL;
	for (size_t i = 0; i < metrics_n; i++)
		if (strcmp(metrics_table[i].name, name) == 0)
			return &metrics_table[i];
	if (!create || metrics_n == SIM_METRICS_LEDGERS_MAX)
		return NULL;
	struct metrics_slot *ring = malloc(SIM_METRICS_MINUTES * sizeof *ring);
	if (!ring)
		return NULL;
	for (size_t i = 0; i < SIM_METRICS_MINUTES; i++)
		ring[i] = (struct metrics_slot){ .minute = INT64_MIN };
	struct metrics_ledger *m = &metrics_table[metrics_n++];
	strcpy(m->name, name);
	m->ring = ring;
	return m;
}

static size_t metrics_index(int64_t minute)
{
	int64_t r = minute % SIM_METRICS_MINUTES;
	return (size_t)(r < 0 ? r + SIM_METRICS_MINUTES : r);
}

/* Epoch minute of ms, rounded down (also before 1970). */
static int64_t metrics_minute(int64_t ms)
{
	return ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);
}

void sim_metrics_add_reads(const char *ledger, int64_t ms, uint64_t n)
{
	int64_t minute = metrics_minute(ms);
	pthread_mutex_lock(&metrics_mu);
	struct metrics_ledger *m = metrics_find(ledger, 1);
	if (m) {
		struct metrics_slot *s = &m->ring[metrics_index(minute)];
		if (s->minute != minute)
			*s = (struct metrics_slot){ .minute = minute };
		s->reads += n;
	}
	pthread_mutex_unlock(&metrics_mu);
}

void sim_metrics_count_read(struct sim_ledgers *ls, const char *ledger)
{
	int64_t now;
	/* cfg is copied at init and never changes: readable without the lock */
	if (ls && ls->cfg.now_ms) {
		now = ls->cfg.now_ms(ls->cfg.ctx);
	} else {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		now = (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
	}
	sim_metrics_add_reads(ledger, now, 1);
}

uint64_t sim_metrics_reads(const char *ledger, int64_t minute)
{
	uint64_t n = 0;
	pthread_mutex_lock(&metrics_mu);
	const struct metrics_ledger *m = metrics_find(ledger, 0);
	if (m && m->ring[metrics_index(minute)].minute == minute)
		n = m->ring[metrics_index(minute)].reads;
	pthread_mutex_unlock(&metrics_mu);
	return n;
}

void sim_metrics_reset(void)
{
	pthread_mutex_lock(&metrics_mu);
	for (size_t i = 0; i < metrics_n; i++)
		free(metrics_table[i].ring);
	memset(metrics_table, 0, sizeof metrics_table);
	metrics_n = 0;
	pthread_mutex_unlock(&metrics_mu);
}
