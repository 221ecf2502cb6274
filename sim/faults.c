/*
 * faults.c - a running scenario (see faults.h).
 */
#include "sim/faults.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

struct sim_faults {
	pthread_mutex_t mu;
	struct sim_scenario *s;
	int64_t start_ms;
	uint64_t requests;
	struct sim_rng rng;
	int64_t began[SIM_SCENARIO_EVENTS_MAX]; /* when each event began (-1: not yet) */
	bool given[SIM_SCENARIO_EVENTS_MAX], ended[SIM_SCENARIO_EVENTS_MAX];
};

struct sim_faults *sim_faults_new(struct sim_scenario *s, int64_t now_ms)
{
	struct sim_faults *f = calloc(1, sizeof *f);
	if (!f) {
		sim_scenario_free(s);
		return NULL;
	}
	pthread_mutex_init(&f->mu, NULL);
	f->s = s;
	f->start_ms = now_ms;
	sim_rng_seed(&f->rng, s->seed);
	for (size_t i = 0; i < SIM_SCENARIO_EVENTS_MAX; i++)
		f->began[i] = -1;
	return f;
}

void sim_faults_free(struct sim_faults *f)
{
	if (!f)
		return;
	sim_scenario_free(f->s);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* Has event i begun (by time or by count)? Records when. Locked. */
static bool begun(struct sim_faults *f, size_t i, int64_t now)
{
	const struct sim_scenario_event *e = &f->s->v[i];
	if (f->began[i] < 0 && ((e->at_ms >= 0 && now - f->start_ms >= e->at_ms) ||
				(e->at_ms < 0 && f->requests >= e->after_requests)))
		f->began[i] = now;
	return f->began[i] >= 0;
}

static bool active(struct sim_faults *f, size_t i, int64_t now)
{
	const struct sim_scenario_event *e = &f->s->v[i];
	return begun(f, i, now) && (e->for_ms == 0 || now < f->began[i] + e->for_ms);
}

static bool chance(struct sim_faults *f, double share)
{
	return share >= 1 || (double)(sim_rng_next(&f->rng) >> 11) * 0x1p-53 < share;
}

/* Does event e's target (service, maybe one operation) take this request? */
static bool targets(const struct sim_scenario_event *e, const char *service, const char *operation)
{
	if (strcmp(e->service, "all") == 0)
		return true;
	if (strcmp(e->service, service) != 0)
		return false;
	return !e->operation[0] || (operation && strcmp(e->operation, operation) == 0);
}

void sim_faults_decide(struct sim_faults *f, const char *service, const char *operation,
		       int64_t now_ms, struct sim_fault_decision *d)
{
	memset(d, 0, sizeof *d);
	pthread_mutex_lock(&f->mu);
	f->requests++;
	for (size_t i = 0; i < f->s->n; i++) {
		const struct sim_scenario_event *e = &f->s->v[i];
		/* active() first: it records when an event began, whatever the
		 * request's target, so `for` runs from the trigger. */
		if (e->kind >= SIM_EVENT_IMPAIR_STREAM || !active(f, i, now_ms) ||
		    !targets(e, service, operation))
			continue;
		switch (e->kind) {
		case SIM_FAULT_LATENCY:
			d->latency_ms += e->ms;
			break;
		case SIM_FAULT_THROTTLE:
			d->throttle |= chance(f, e->share);
			break;
		case SIM_FAULT_ERROR:
			if (!d->status && chance(f, e->share))
				d->status = e->status;
			break;
		case SIM_FAULT_DROP:
			d->drop |= chance(f, e->share);
			break;
		case SIM_FAULT_MALFORMED:
			d->malformed |= chance(f, e->share);
			break;
		case SIM_FAULT_TRUNCATE:
			d->truncate |= chance(f, e->share);
			break;
		default:
			break;
		}
	}
	pthread_mutex_unlock(&f->mu);
}

void sim_faults_events(struct sim_faults *f, int64_t now_ms,
		       void (*fn)(void *ctx, const struct sim_scenario_event *e, bool ending),
		       void *ctx)
{
	struct sim_scenario_event due[SIM_SCENARIO_EVENTS_MAX];
	bool ending[SIM_SCENARIO_EVENTS_MAX];
	size_t n = 0;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->s->n; i++) {
		const struct sim_scenario_event *e = &f->s->v[i];
		if (e->kind < SIM_EVENT_IMPAIR_STREAM || !begun(f, i, now_ms))
			continue;
		if (!f->given[i]) {
			f->given[i] = true;
			due[n] = *e;
			ending[n++] = false;
		} else if (e->for_ms && !f->ended[i] && now_ms >= f->began[i] + e->for_ms) {
			f->ended[i] = true;
			due[n] = *e;
			ending[n++] = true;
		}
	}
	pthread_mutex_unlock(&f->mu);
	for (size_t i = 0; i < n; i++) /* outside the lock: fn takes others */
		fn(ctx, &due[i], ending[i]);
}
