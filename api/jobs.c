/*
 * jobs.c - the job runner: a bounded queue, one worker thread, and the
 * STORE_JOBS list it republishes whole on every change (see jobs.h).
 */
#include "api/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/log.h"

/* The kinds, by enum: the one table naming and running them. */
static const struct job_type *const JOB_TYPES[JOB_KIND_COUNT] = {
	[JOB_EXPORT_START] = &job_export_start_type,
	[JOB_STREAM_START] = &job_stream_start_type,
	[JOB_STREAM_CANCEL] = &job_stream_cancel_type,
	[JOB_VERIFY_EXPORT] = &job_verify_export_type,
	[JOB_DIGEST_PROOF] = &job_digest_proof_type,
	[JOB_BLOCK_DETAIL] = &job_block_detail_type,
};

struct queued {
	uint64_t id;
	struct job_request req;
};

struct jobs {
	const struct api_config *cfg;
	struct store *store;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int stop;
	struct queued queue[JOBS_QUEUE_MAX]; /* FIFO ring */
	size_t head, n_queued;
	uint64_t next_id;
	struct job_list list; /* the last published list (under mu) */
};

const char *job_kind_name(enum job_kind k)
{
	return (unsigned)k < JOB_KIND_COUNT && JOB_TYPES[k] ? JOB_TYPES[k]->name : "?";
}

static bool job_active(const struct job_status *st)
{
	return st->state == JOB_QUEUED || st->state == JOB_RUNNING;
}

int job_list_add(struct job_list *l, const struct job_status *st)
{
	if (l->n == JOBS_KEPT) {
		size_t i = 0;
		while (i < l->n && job_active(&l->items[i]))
			i++;
		if (i == l->n)
			return -1;
		memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof l->items[0]);
		l->n--;
	}
	l->items[l->n++] = *st;
	return 0;
}

int job_list_update(struct job_list *l, const struct job_status *st)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id == st->id) {
			l->items[i] = *st;
			return 0;
		}
	return -1;
}

/* Publish a copy of the list (caller holds mu): readers keep theirs. */
static void list_publish_locked(struct jobs *j)
{
	struct job_list *copy = malloc(sizeof *copy);
	if (!copy)
		return; /* the next publish carries the change */
	*copy = j->list;
	store_publish(j->store, "", STORE_JOBS, copy, free);
}

void job_publish(struct job_ctx *c, bool force)
{
	double now = store_now_mono();
	if (!force && now - c->last_publish < JOBS_PROGRESS_SECONDS)
		return;
	c->last_publish = now;
	pthread_mutex_lock(&c->jobs->mu);
	job_list_update(&c->jobs->list, c->st);
	list_publish_locked(c->jobs);
	pthread_mutex_unlock(&c->jobs->mu);
}

void job_line(struct job_ctx *c, enum job_line_role role, const char *fmt, ...)
{
	struct job_status *st = c->st;
	if (st->n_lines >= JOB_LINES_MAX)
		return;
	char raw[JOB_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	struct job_line *l = &st->lines[st->n_lines++];
	if (st->n_lines == JOB_LINES_MAX) {
		role = JOB_LINE_NORMAL;
		snprintf(raw, sizeof raw, "... (more lines not kept: JOB_LINES_MAX)");
	}
	l->role = role;
	log_redact(raw, l->text, sizeof l->text);
}

void job_message(struct job_ctx *c, const char *fmt, ...)
{
	char raw[API_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	log_redact(raw, c->st->message, sizeof c->st->message);
}

/* Take the next job (under mu); false when stopping. */
static bool queue_take(struct jobs *j, struct queued *out)
{
	pthread_mutex_lock(&j->mu);
	while (!atomic_load(&j->stop) && j->n_queued == 0)
		pthread_cond_wait(&j->cv, &j->mu);
	bool got = !atomic_load(&j->stop);
	if (got) {
		*out = j->queue[j->head];
		j->head = (j->head + 1) % JOBS_QUEUE_MAX;
		j->n_queued--;
	}
	pthread_mutex_unlock(&j->mu);
	return got;
}

static void job_execute(struct jobs *j, struct http_client *qldb, const struct api_error *why_none,
			const struct queued *q, struct job_status *st)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < j->list.n; i++)
		if (j->list.items[i].id == q->id)
			*st = j->list.items[i];
	pthread_mutex_unlock(&j->mu);
	st->state = JOB_RUNNING;
	struct job_ctx c = { .jobs = j, .st = st, .qldb = qldb, .cfg = j->cfg, .stop = &j->stop };
	job_publish(&c, true);
	struct api_error err;
	api_error_clear(&err);
	int rc = qldb ? JOB_TYPES[q->req.kind]->run(&c, &q->req, &err) : why_none->status;
	if (!qldb) /* no client (say, no credentials): every job says why */
		err = *why_none;
	if (atomic_load(&j->stop) && rc == 0)
		rc = api_error_set(&err, API_ERR_STOPPED, "stopped");
	if (rc) {
		st->state = JOB_FAILED;
		job_message(&c, "%s", err.msg[0] ? err.msg : "failed");
	} else {
		st->state = JOB_DONE;
	}
	job_publish(&c, true);
}

static void *worker(void *arg)
{
	struct jobs *j = arg;
	struct api_error err;
	api_error_clear(&err);
	/* one client for the thread's life (api/http.h: one per thread) */
	struct http_client *qldb = http_client_new(j->cfg, "qldb", &j->stop, &err);
	if (!qldb && err.status == 0)
		api_error_set(&err, API_ERR_CONFIG, "jobs: no QLDB client");
	struct job_status *st = malloc(sizeof *st);
	struct queued q;
	while (st && queue_take(j, &q))
		job_execute(j, qldb, &err, &q, st);
	free(st);
	http_client_free(qldb);
	return NULL;
}

struct jobs *jobs_start(const struct api_config *cfg, struct store *store, struct api_error *err)
{
	struct jobs *j = calloc(1, sizeof *j);
	if (!j) {
		api_error_set(err, API_ERR_NOMEM, "jobs: out of memory");
		return NULL;
	}
	j->cfg = cfg;
	j->store = store;
	j->next_id = 1;
	atomic_init(&j->stop, 0);
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if (pthread_create(&j->thread, NULL, worker, j) != 0) {
		pthread_mutex_destroy(&j->mu);
		pthread_cond_destroy(&j->cv);
		free(j);
		api_error_set(err, API_ERR_NOMEM, "jobs: cannot start the worker thread");
		return NULL;
	}
	return j;
}

int jobs_submit(struct jobs *j, const struct job_request *r, uint64_t *id, struct api_error *err)
{
	if ((unsigned)r->kind >= JOB_KIND_COUNT)
		return api_error_set(err, API_ERR_CONFIG, "jobs: unknown job kind %d",
				     (int)r->kind);
	pthread_mutex_lock(&j->mu);
	if (j->n_queued >= JOBS_QUEUE_MAX) {
		pthread_mutex_unlock(&j->mu);
		return api_error_set(err, API_ERR_LIMIT,
				     "jobs: %d jobs are queued already (JOBS_QUEUE_MAX)",
				     JOBS_QUEUE_MAX);
	}
	struct queued *q = &j->queue[(j->head + j->n_queued) % JOBS_QUEUE_MAX];
	q->id = j->next_id++;
	q->req = *r;
	/* a copy whose strings are terminated whatever the caller sent */
	q->req.ledger[sizeof q->req.ledger - 1] = '\0';
	q->req.id[sizeof q->req.id - 1] = '\0';
	q->req.bucket[sizeof q->req.bucket - 1] = '\0';
	q->req.prefix[sizeof q->req.prefix - 1] = '\0';
	q->req.role_arn[sizeof q->req.role_arn - 1] = '\0';
	q->req.format[sizeof q->req.format - 1] = '\0';
	q->req.kinesis_arn[sizeof q->req.kinesis_arn - 1] = '\0';
	q->req.stream_name[sizeof q->req.stream_name - 1] = '\0';
	struct job_status *st = calloc(1, sizeof *st);
	if (!st) {
		pthread_mutex_unlock(&j->mu);
		return api_error_set(err, API_ERR_NOMEM, "jobs: out of memory");
	}
	st->id = q->id;
	st->kind = r->kind;
	st->state = JOB_QUEUED;
	snprintf(st->ledger, sizeof st->ledger, "%s", q->req.ledger);
	snprintf(st->target, sizeof st->target, "%s", job_kind_name(r->kind));
	/* at most JOBS_QUEUE_MAX + 1 are active, so a finished one can go */
	job_list_add(&j->list, st);
	free(st);
	j->n_queued++;
	*id = q->id;
	list_publish_locked(j);
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

void jobs_stop(struct jobs *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	atomic_store(&j->stop, 1);
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->thread, NULL);
	/* what never ran (or was cut short) says so, rather than staying
	 * QUEUED on the screen */
	bool changed = false;
	for (size_t i = 0; i < j->list.n; i++)
		if (job_active(&j->list.items[i])) {
			j->list.items[i].state = JOB_FAILED;
			snprintf(j->list.items[i].message, sizeof j->list.items[i].message,
				 "stopped");
			changed = true;
		}
	if (changed)
		list_publish_locked(j); /* the worker is gone: nobody else holds mu */
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
}
