/*
 * world.c - the endpoint's world (see world.h): the registry's journal
 * factory and persistence hooks, the demo ledger and its workload thread.
 */
#include "sim/world.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/fail.h"
#include "sim/datalog.h"
#include "sim/workload.h"

#define WORLD_PATH_MAX 4096
#define WORLD_SNAPSHOT_REC 1 /* ledgers.log record type: the registry's JSON */
#define WORLD_LEDGERS_LOG "ledgers.log"
#define WORLD_FAILURES_MAX 10 /* failed workload steps in a row before it stops */

struct sim_world {
	struct sim_world_config cfg;
	char dir[WORLD_PATH_MAX];
	struct sim_ledgers ledgers;
	struct sim_datalog *meta; /* ledgers.log, durable mode only */
	bool restoring;		  /* journal_open replays instead of creating */
	char notes[SIM_WORLD_NOTES_MAX];

	/* the demo workload and its thread */
	struct sim_journal *demo; /* borrowed from the registry */
	struct sim_workload *workload;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	uint64_t committed;
	unsigned failures; /* consecutive failed steps */
};

static void note(struct sim_world *w, const char *line)
{
	size_t n = strlen(w->notes);
	if (line[0])
		snprintf(w->notes + n, sizeof w->notes - n, "%s\n", line);
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t world_now_ms(void *ctx)
{
	(void)ctx;
	return wall_ms();
}

static int journal_path(const struct sim_world *w, const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/ledger-%s.log", w->dir, name);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* The registry's journal factory: a durable journal in data_dir, or one in
 * memory. A ledger created now (not restored) starts a fresh log: a file
 * left by an earlier ledger of that name is not its history. */
static struct sim_journal *world_journal_open(void *ctx, const char *name, int64_t created_ms,
					      char *err, size_t cap)
{
	struct sim_world *w = ctx;
	uint64_t seed = sim_ledger_journal_seed(w->cfg.seed, name);
	if (!w->cfg.data_dir)
		return sim_journal_new(seed, created_ms, err, cap);
	char path[WORLD_PATH_MAX];
	if (journal_path(w, name, path, sizeof path) != 0) {
		sim_fail(err, cap, "data dir path too long for ledger %s", name);
		return NULL;
	}
	if (!w->restoring && unlink(path) != 0 && errno != ENOENT) {
		sim_fail(err, cap, "%s: cannot remove the old log: %s", path, strerror(errno));
		return NULL;
	}
	/* a ledger the snapshot lists must have its history: never a new one */
	struct stat st;
	if (w->restoring && stat(path, &st) != 0) {
		sim_fail(err, cap,
			 "%s: missing, but ledgers.log lists ledger %s; refusing to start it "
			 "with a new journal",
			 path, name);
		return NULL;
	}
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = sim_journal_open(path, seed, created_ms, &rep, err, cap);
	if (j)
		note(w, rep.note);
	return j;
}

/* A deleted ledger is gone: its log goes too (the journal object lives on
 * until the registry is freed; the open file keeps its inode). */
static void world_journal_gone(void *ctx, const char *name, struct sim_journal *j)
{
	(void)j;
	struct sim_world *w = ctx;
	char path[WORLD_PATH_MAX];
	if (w->cfg.data_dir && journal_path(w, name, path, sizeof path) == 0)
		unlink(path);
}

/* After every registry change, before the client hears of it: the
 * registry's snapshot, durably. */
static int world_changed(void *ctx)
{
	struct sim_world *w = ctx;
	if (!w->meta)
		return 0;
	cJSON *snap = sim_ledgers_to_json(&w->ledgers);
	char *text = snap ? cJSON_PrintUnformatted(snap) : NULL;
	cJSON_Delete(snap);
	char err[256];
	int rc = text ? sim_datalog_append(w->meta, WORLD_SNAPSHOT_REC, text, strlen(text), NULL,
					   err, sizeof err)
		      : -1;
	free(text);
	return rc;
}

/* ledgers.log replay: keep the last snapshot. */
struct snapshot {
	char *json;
};

static int replay_snapshot(void *ctx, uint32_t type, const uint8_t *data, size_t len,
			   uint64_t offset, char *err, size_t cap)
{
	struct snapshot *s = ctx;
	if (type != WORLD_SNAPSHOT_REC)
		return sim_fail(err, cap, "ledgers.log: unknown record type %u at byte %llu",
				(unsigned)type, (unsigned long long)offset);
	char *copy = malloc(len + 1);
	if (!copy)
		return sim_fail(err, cap, "ledgers.log: out of memory");
	memcpy(copy, data, len);
	copy[len] = '\0';
	free(s->json);
	s->json = copy;
	return 0;
}

static int make_dir(const char *dir, char *err, size_t cap)
{
	struct stat st;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sim_fail(err, cap, "--data-dir %.200s: cannot create: %s", dir,
				strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return sim_fail(err, cap, "--data-dir %.200s: not a directory", dir);
	return 0;
}

/* The demo ledger: its journal pre-filled with SIM_DEMO_BLOCKS workload
 * blocks (in memory, or a new durable log). */
static int add_demo(struct sim_world *w, char *err, size_t cap)
{
	/* on the wall clock the pre-filled blocks lie in the past */
	int64_t span = (int64_t)w->cfg.demo_blocks * SIM_DEMO_STEP_MS * 5 / 4 + 60000;
	int64_t created = w->cfg.seed_set	   ? SIM_WORLD_EPOCH_MS
			  : span > SIM_DEMO_AGE_MS ? w->cfg.now_ms - span
						   : w->cfg.now_ms - SIM_DEMO_AGE_MS;
	struct sim_journal *j = world_journal_open(w, SIM_DEMO_LEDGER, created, err, cap);
	struct sim_workload *wl = j ? sim_workload_new(j, w->cfg.seed, err, cap) : NULL;
	int64_t t = created;
	for (size_t i = 0; wl && i < w->cfg.demo_blocks; i++) {
		t = sim_workload_next_time(w->cfg.seed, (int64_t)i + 1, t, SIM_DEMO_STEP_MS);
		if (sim_workload_step(wl, t, err, cap) < 0)
			break;
		if (sim_journal_block_count(j) == w->cfg.demo_blocks + 1)
			break;
	}
	sim_workload_free(wl);
	if (!j || sim_journal_block_count(j) < w->cfg.demo_blocks + 1) {
		sim_journal_free(j);
		return -1;
	}
	return sim_ledgers_add(&w->ledgers, SIM_DEMO_LEDGER, created, j, err, cap);
}

/* One live block on the demo journal, at the virtual or the wall clock. */
static int workload_tick(struct sim_world *w, char *err, size_t cap)
{
	struct sim_block_info last;
	size_t n = sim_journal_block_count(w->demo);
	if (sim_journal_block_info(w->demo, (int64_t)n - 1, &last) != 0)
		return sim_fail(err, cap, "workload: no last block");
	int64_t t = w->cfg.seed_set ? sim_workload_next_time(w->cfg.seed, (int64_t)n, last.time_ms,
							     SIM_DEMO_STEP_MS)
				    : wall_ms();
	if (t <= last.time_ms)
		t = last.time_ms + 1; /* block times never go back */
	return sim_workload_step(w->workload, t, err, cap) < 0 ? -1 : 0;
}

static void add_ns(struct timespec *t, long long ns)
{
	long long total = (long long)t->tv_nsec + ns;
	t->tv_sec += (time_t)(total / 1000000000LL);
	t->tv_nsec = (long)(total % 1000000000LL);
}

static void *workload_main(void *arg)
{
	struct sim_world *w = arg;
	long long period = (long long)(1e9 / w->cfg.rate);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	add_ns(&next, period);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (pthread_cond_timedwait(&w->cv, &w->mu, &next) != ETIMEDOUT || w->stop)
			continue;
		pthread_mutex_unlock(&w->mu);
		char err[256];
		int rc = workload_tick(w, err, sizeof err);
		pthread_mutex_lock(&w->mu);
		/* the journal full or the disk failing: stop after a run of
		 * failures, not one (a fork can fail a step once) */
		w->failures = rc != 0 ? w->failures + 1 : 0;
		if (w->failures >= WORLD_FAILURES_MAX)
			break;
		w->committed += rc == 0;
		add_ns(&next, period);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (next.tv_sec < now.tv_sec ||
		    (next.tv_sec == now.tv_sec && next.tv_nsec < now.tv_nsec))
			next = now; /* fell behind: no burst to catch up */
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int start_workload(struct sim_world *w, char *err, size_t cap)
{
	const struct sim_ledger *l = sim_ledgers_find(&w->ledgers, SIM_DEMO_LEDGER);
	if (!l || w->cfg.rate <= 0)
		return 0; /* deleted by the operator, or no growth asked for */
	w->demo = l->journal;
	w->workload = sim_workload_resume(w->demo, w->cfg.seed, err, cap);
	if (!w->workload)
		return -1;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, workload_main, w) != 0)
		return sim_fail(err, cap, "cannot start the workload thread");
	w->thread_started = true;
	return 0;
}

/* Ledger logs in a data dir without ledgers.log: their ledgers' metadata
 * is lost, and starting afresh would silently replace their history. */
static int orphan_logs(const struct sim_world *w, char *err, size_t cap)
{
	DIR *d = opendir(w->dir);
	if (!d)
		return sim_fail(err, cap, "--data-dir %.200s: cannot read: %s", w->dir,
				strerror(errno));
	const struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d)))
		if (strncmp(e->d_name, "ledger-", 7) == 0)
			rc = sim_fail(err, cap,
				      "%.200s/%.80s: a ledger log but no " WORLD_LEDGERS_LOG
				      " (its metadata is lost); refusing to start over it",
				      w->dir, e->d_name);
	closedir(d);
	return rc;
}

/* Durable start: replay ledgers.log, restore the registry from its last
 * snapshot (each journal replays its own log), or begin a new world. */
static int open_durable(struct sim_world *w, char *err, size_t cap)
{
	char path[WORLD_PATH_MAX];
	if (make_dir(w->cfg.data_dir, err, cap) != 0 ||
	    snprintf(path, sizeof path, "%s/" WORLD_LEDGERS_LOG, w->dir) >= (int)sizeof path)
		return sim_fail(err, cap, "--data-dir: path too long");
	struct snapshot snap = { 0 };
	struct sim_datalog_report rep = { 0 };
	struct stat st;
	/* (a ledgers.log with no snapshot yet is a first start cut short: its
	 * demo journal was never shown to a client, so it starts afresh) */
	if (stat(path, &st) != 0 && orphan_logs(w, err, cap) != 0)
		return -1;
	w->meta = sim_datalog_open(path, replay_snapshot, &snap, &rep, err, cap);
	if (!w->meta) {
		free(snap.json);
		return -1;
	}
	note(w, rep.note);
	int rc;
	if (snap.json) {
		cJSON *o = cJSON_Parse(snap.json);
		w->restoring = true;
		rc = o ? sim_ledgers_restore(&w->ledgers, o, err, cap)
		       : sim_fail(err, cap, "%s: the last snapshot is not JSON", path);
		w->restoring = false;
		cJSON_Delete(o);
	} else {
		rc = add_demo(w, err, cap);
		rc = rc ? rc : world_changed(w);
		if (rc && !err[0])
			sim_fail(err, cap, "%s: cannot write the first snapshot", path);
	}
	free(snap.json);
	return rc;
}

struct sim_world *sim_world_open(const struct sim_world_config *cfg, char *err, size_t cap)
{
	struct sim_world *w = calloc(1, sizeof *w);
	if (!w) {
		sim_fail(err, cap, "out of memory");
		return NULL;
	}
	err[0] = '\0';
	w->cfg = *cfg;
	if (!w->cfg.seed_set)
		w->cfg.seed = SIM_DEMO_SEED;
	if (w->cfg.rate > SIM_WORLD_RATE_MAX)
		w->cfg.rate = SIM_WORLD_RATE_MAX;
	pthread_mutex_init(&w->mu, NULL);
	if (cfg->data_dir) {
		snprintf(w->dir, sizeof w->dir, "%s", cfg->data_dir);
		w->cfg.data_dir = w->dir;
	}
	struct sim_ledgers_config lc = { .seed = w->cfg.seed,
					 .now_ms = world_now_ms,
					 .journal_open = world_journal_open,
					 .journal_gone = world_journal_gone,
					 .changed = world_changed,
					 .ctx = w,
					 .export_ms = w->cfg.export_ms,
					 .create_delay_ms = w->cfg.create_ms };
	int rc = sim_ledgers_init(&w->ledgers, &lc, err, cap);
	if (!rc)
		rc = w->cfg.data_dir ? open_durable(w, err, cap) : add_demo(w, err, cap);
	rc = rc ? rc : start_workload(w, err, cap);
	if (rc) {
		sim_world_close(w);
		return NULL;
	}
	return w;
}

struct sim_ledgers *sim_world_ledgers(struct sim_world *w)
{
	return &w->ledgers;
}

const char *sim_world_notes(const struct sim_world *w)
{
	return w->notes;
}

uint64_t sim_world_workload_blocks(struct sim_world *w)
{
	pthread_mutex_lock(&w->mu);
	uint64_t n = w->committed;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void sim_world_close(struct sim_world *w)
{
	if (!w)
		return;
	if (w->thread_started) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
		pthread_cond_destroy(&w->cv);
	}
	sim_workload_free(w->workload);
	sim_ledgers_free(&w->ledgers);
	sim_datalog_close(w->meta);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
