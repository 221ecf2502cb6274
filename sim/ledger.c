/*
 * ledger.c - the ledger registry: lifecycle, streams, exports, tags, the
 * demo ledger, and the snapshot the world persists (see ledger.h).
 */
#include "sim/ledger.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/fail.h"
#include "sim/workload.h"

#define SNAPSHOT_VERSION 1
#define TOKEN_KEY_SALT 0x6e657874746f6b6eull /* "nexttokn": the MAC key's own stream */
#define SNAPSHOT_MS_MAX 253402300799999LL    /* 9999-12-31T23:59:59.999Z */

bool sim_ledger_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > SIM_LEDGER_NAME_MAX || name[0] == '-' || name[n - 1] == '-')
		return false;
	bool all_digits = true;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && c != '-')
			return false;
		if (c == '-' && name[i + 1] == '-')
			return false;
		if (c < '0' || c > '9')
			all_digits = false;
	}
	return !all_digits;
}

bool sim_unique_id_valid(const char *id)
{
	size_t n = strlen(id);
	return n == SIM_ID_LEN &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int64_t wall_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t delay(int64_t v, int64_t dflt)
{
	return v == 0 ? dflt : v < 0 ? 0 : v;
}

uint64_t sim_ledger_journal_seed(uint64_t seed, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a of the name */
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return seed ^ h;
}

int sim_ledgers_init(struct sim_ledgers *ls, const struct sim_ledgers_config *cfg, char *err,
		     size_t cap)
{
	memset(ls, 0, sizeof *ls);
	pthread_mutexattr_t a;
	if (pthread_mutexattr_init(&a) != 0 ||
	    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) != 0 ||
	    pthread_mutex_init(&ls->mu, &a) != 0)
		return sim_fail(err, cap, "ledger registry: cannot create its mutex");
	pthread_mutexattr_destroy(&a);
	if (cfg)
		ls->cfg = *cfg;
	if (!ls->cfg.now_ms)
		ls->cfg.now_ms = wall_ms;
	ls->cfg.create_delay_ms = delay(ls->cfg.create_delay_ms, SIM_DEFAULT_CREATE_DELAY_MS);
	ls->cfg.delete_delay_ms = delay(ls->cfg.delete_delay_ms, SIM_DEFAULT_DELETE_DELAY_MS);
	ls->cfg.export_ms = delay(ls->cfg.export_ms, SIM_DEFAULT_EXPORT_MS);
	if (!ls->cfg.max_ledgers || ls->cfg.max_ledgers > SIM_LEDGERS_RETAINED_MAX)
		ls->cfg.max_ledgers =
			ls->cfg.max_ledgers ? SIM_LEDGERS_RETAINED_MAX : SIM_LEDGERS_MAX;
	sim_rng_seed(&ls->rng, ls->cfg.seed);
	struct sim_rng k;
	sim_rng_seed(&k, ls->cfg.seed ^ TOKEN_KEY_SALT);
	sim_rng_bytes(&k, ls->token_key, sizeof ls->token_key);
	ls->next_seq = 1;
	ls->ready = true;
	return 0;
}

/* A zeroed registry gets the default config on first use (ledger.h). */
static int ensure_ready(struct sim_ledgers *ls, char *err, size_t cap)
{
	return ls->ready ? 0 : sim_ledgers_init(ls, NULL, err, cap);
}

/* --- tags ------------------------------------------------------------ */

const char *sim_tags_get(const struct sim_tags *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0)
			return t->v[i].value;
	return NULL;
}

int sim_tags_set(struct sim_tags *t, const char *key, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0) {
			free(t->v[i].value);
			t->v[i].value = v;
			return 0;
		}
	char *k = strdup(key);
	struct sim_tag *nv = k ? realloc(t->v, (t->n + 1) * sizeof *nv) : NULL;
	if (!nv) {
		free(k);
		free(v);
		return -1;
	}
	t->v = nv;
	t->v[t->n++] = (struct sim_tag){ k, v };
	return 0;
}

bool sim_tags_remove(struct sim_tags *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0) {
			free(t->v[i].key);
			free(t->v[i].value);
			memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof t->v[0]);
			t->n--;
			return true;
		}
	return false;
}

void sim_tags_free(struct sim_tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* --- objects ------------------------------------------------------------ */

static void stream_free(struct sim_stream *s)
{
	if (!s)
		return;
	free(s->role_arn);
	free(s->kinesis_arn);
	sim_tags_free(&s->tags);
	free(s);
}

static void export_free(struct sim_export *e)
{
	if (!e)
		return;
	free(e->bucket);
	free(e->prefix);
	free(e->role_arn);
	free(e->kms_key_arn);
	free(e);
}

/* Everything but the name, times and journal (what a gone ledger keeps). */
static void ledger_clear_metadata(struct sim_ledger *l)
{
	for (size_t i = 0; i < l->n_streams; i++)
		stream_free(l->streams[i]);
	for (size_t i = 0; i < l->n_exports; i++)
		export_free(l->exports[i]);
	free(l->streams);
	free(l->exports);
	l->streams = NULL;
	l->exports = NULL;
	l->n_streams = l->n_exports = 0;
	sim_tags_free(&l->tags);
	free(l->kms_key);
	l->kms_key = NULL;
}

static void ledger_free(struct sim_ledger *l)
{
	ledger_clear_metadata(l);
	sim_journal_free(l->journal);
	free(l);
}

/* A new ledger object appended to the registry (journal not set), or NULL
 * with err filled. */
static struct sim_ledger *ledger_new(struct sim_ledgers *ls, const char *name, int64_t created_ms,
				     char *err, size_t cap)
{
	if (ls->n >= SIM_LEDGERS_RETAINED_MAX) {
		sim_fail(err, cap, "the registry holds %d ledger objects (deleted ones included)",
			 SIM_LEDGERS_RETAINED_MAX);
		return NULL;
	}
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? ls->cap * 2 : 8;
		struct sim_ledger **nv = realloc(ls->v, nc * sizeof *nv);
		if (!nv) {
			sim_fail(err, cap, "out of memory");
			return NULL;
		}
		ls->v = nv;
		ls->cap = nc;
	}
	struct sim_ledger *l = calloc(1, sizeof *l);
	if (!l || !(l->kms_key = strdup(SIM_AWS_OWNED_KMS_KEY))) {
		free(l);
		sim_fail(err, cap, "out of memory");
		return NULL;
	}
	snprintf(l->name, sizeof l->name, "%s", name);
	l->seq = ls->next_seq++;
	l->created_ms = l->active_ms = created_ms;
	l->permissions_mode = "STANDARD";
	l->deletion_protection = true;
	ls->v[ls->n++] = l;
	return l;
}

static struct sim_journal *journal_for(struct sim_ledgers *ls, const char *name, int64_t created,
				       char *err, size_t cap)
{
	if (ls->cfg.journal_open)
		return ls->cfg.journal_open(ls->cfg.ctx, name, created, err, cap);
	return sim_journal_new(sim_ledger_journal_seed(ls->cfg.seed, name), created, err, cap);
}

int sim_ledgers_add(struct sim_ledgers *ls, const char *name, int64_t created_ms,
		    struct sim_journal *journal, char *err, size_t cap)
{
	if (ensure_ready(ls, err, cap) != 0) {
		sim_journal_free(journal);
		return -1;
	}
	sim_ledgers_lock(ls);
	struct sim_ledger *l = NULL;
	if (!sim_ledger_name_valid(name) || sim_ledgers_get(ls, name) ||
	    sim_ledgers_live(ls) >= ls->cfg.max_ledgers)
		sim_fail(err, cap, "ledger %.40s: invalid, duplicate or over the limit of %zu",
			 name, ls->cfg.max_ledgers);
	else
		l = ledger_new(ls, name, created_ms, err, cap);
	if (l)
		l->journal = journal;
	else
		sim_journal_free(journal);
	sim_ledgers_unlock(ls);
	return l ? 0 : -1;
}

int sim_ledgers_add_demo(struct sim_ledgers *ls, const char *region, int64_t now_ms, char *err,
			 size_t cap)
{
	(void)region;
	int64_t created = now_ms - SIM_DEMO_AGE_MS;
	struct sim_journal *j = sim_workload_build(SIM_DEMO_SEED, created, SIM_DEMO_BLOCKS,
						   SIM_DEMO_STEP_MS, err, cap);
	if (!j)
		return -1;
	return sim_ledgers_add(ls, SIM_DEMO_LEDGER, created, j, err, cap);
}

const struct sim_ledger *sim_ledgers_find(struct sim_ledgers *ls, const char *name)
{
	if (!ls->ready)
		return NULL;
	sim_ledgers_lock(ls);
	const struct sim_ledger *l = sim_ledgers_get(ls, name);
	sim_ledgers_unlock(ls);
	return l;
}

void sim_ledgers_free(struct sim_ledgers *ls)
{
	if (!ls->ready)
		return;
	for (size_t i = 0; i < ls->n; i++)
		ledger_free(ls->v[i]);
	free(ls->v);
	pthread_mutex_destroy(&ls->mu);
	memset(ls, 0, sizeof *ls);
}

/* --- locking and lifecycle ---------------------------------------------- */

int64_t sim_ledgers_lock(struct sim_ledgers *ls)
{
	pthread_mutex_lock(&ls->mu);
	int64_t now = ls->cfg.now_ms(ls->cfg.ctx);
	bool reaped = false;
	for (size_t i = 0; i < ls->n; i++) {
		struct sim_ledger *l = ls->v[i];
		if (l->gone || !l->deleted_ms || now < l->deleted_ms + ls->cfg.delete_delay_ms)
			continue;
		l->gone = true;
		ledger_clear_metadata(l);
		if (ls->cfg.journal_gone)
			ls->cfg.journal_gone(ls->cfg.ctx, l->name, l->journal);
		reaped = true;
	}
	if (reaped)
		(void)sim_ledgers_changed(ls); /* a failure is retried by the next change */
	return now;
}

void sim_ledgers_unlock(struct sim_ledgers *ls)
{
	pthread_mutex_unlock(&ls->mu);
}

struct sim_ledger *sim_ledgers_get(struct sim_ledgers *ls, const char *name)
{
	for (size_t i = 0; i < ls->n; i++)
		if (!ls->v[i]->gone && strcmp(ls->v[i]->name, name) == 0)
			return ls->v[i];
	return NULL;
}

size_t sim_ledgers_live(const struct sim_ledgers *ls)
{
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++)
		n += !ls->v[i]->gone;
	return n;
}

int sim_ledgers_changed(struct sim_ledgers *ls)
{
	return ls->cfg.changed ? ls->cfg.changed(ls->cfg.ctx) : 0;
}

struct sim_ledger *sim_ledgers_create(struct sim_ledgers *ls, const char *name, int64_t now,
				      char *err, size_t cap)
{
	struct sim_journal *j = journal_for(ls, name, now, err, cap);
	if (!j)
		return NULL;
	struct sim_ledger *l = ledger_new(ls, name, now, err, cap);
	if (!l) {
		sim_journal_free(j);
		return NULL;
	}
	l->journal = j;
	l->active_ms = now + ls->cfg.create_delay_ms;
	return l;
}

void sim_ledgers_delete(struct sim_ledgers *ls, struct sim_ledger *l, int64_t now)
{
	(void)ls;
	l->deleted_ms = now > 0 ? now : 1; /* 0 means "not deleted" */
}

/* Room for one more stream or export pointer; 0 or -1. */
static int grow_streams(struct sim_ledger *l)
{
	struct sim_stream **nv = realloc(l->streams, (l->n_streams + 1) * sizeof *nv);
	if (!nv)
		return -1;
	l->streams = nv;
	return 0;
}

static int grow_exports(struct sim_ledger *l)
{
	struct sim_export **nv = realloc(l->exports, (l->n_exports + 1) * sizeof *nv);
	if (!nv)
		return -1;
	l->exports = nv;
	return 0;
}

struct sim_stream *sim_ledger_stream_new(struct sim_ledgers *ls, struct sim_ledger *l)
{
	struct sim_stream *s = l->n_streams < SIM_STREAMS_MAX ? calloc(1, sizeof *s) : NULL;
	if (!s || grow_streams(l) != 0) {
		free(s);
		return NULL;
	}
	sim_rng_id(&ls->rng, s->id);
	s->seq = ls->next_seq++;
	s->aggregation = true;
	l->streams[l->n_streams++] = s;
	return s;
}

struct sim_export *sim_ledger_export_new(struct sim_ledgers *ls, struct sim_ledger *l)
{
	struct sim_export *e = l->n_exports < SIM_EXPORTS_MAX ? calloc(1, sizeof *e) : NULL;
	if (!e || grow_exports(l) != 0) {
		free(e);
		return NULL;
	}
	sim_rng_id(&ls->rng, e->id);
	e->seq = ls->next_seq++;
	l->exports[l->n_exports++] = e;
	return e;
}

struct sim_stream *sim_ledger_stream_find(const struct sim_ledger *l, const char *id)
{
	for (size_t i = 0; i < l->n_streams; i++)
		if (strcmp(l->streams[i]->id, id) == 0)
			return l->streams[i];
	return NULL;
}

struct sim_export *sim_ledger_export_find(const struct sim_ledger *l, const char *id)
{
	for (size_t i = 0; i < l->n_exports; i++)
		if (strcmp(l->exports[i]->id, id) == 0)
			return l->exports[i];
	return NULL;
}

const char *sim_ledger_state(const struct sim_ledger *l, int64_t now)
{
	if (l->deleted_ms)
		return "DELETING";
	return now < l->active_ms ? "CREATING" : "ACTIVE";
}

const char *sim_ledger_encryption_status(const struct sim_ledger *l, int64_t now)
{
	if (l->kms_inaccessible_ms)
		return "KMS_KEY_INACCESSIBLE";
	return l->kms_changed_ms && now < l->kms_changed_ms + SIM_KMS_UPDATE_MS ? "UPDATING"
										: "ENABLED";
}

const char *sim_stream_error_cause(const struct sim_stream *s)
{
	return s->forced_cause ? s->forced_cause : s->error_cause;
}

enum sim_stream_status sim_stream_status(const struct sim_stream *s, int64_t now)
{
	if (s->canceled_ms)
		return SIM_STREAM_CANCELED;
	if (s->has_end && now >= s->end_ms)
		return SIM_STREAM_COMPLETED;
	return sim_stream_error_cause(s) ? SIM_STREAM_IMPAIRED : SIM_STREAM_ACTIVE;
}

enum sim_export_status sim_export_status(const struct sim_ledgers *ls, const struct sim_export *e,
					 int64_t now)
{
	if (e->cancelled)
		return SIM_EXPORT_CANCELLED;
	return now < e->created_ms + ls->cfg.export_ms ? SIM_EXPORT_IN_PROGRESS
						       : SIM_EXPORT_COMPLETED;
}

int sim_ledger_set_kms_key(struct sim_ledger *l, const char *key, int64_t now)
{
	if (strcmp(l->kms_key, key) == 0)
		return 0;
	char *k = strdup(key);
	if (!k)
		return -1;
	free(l->kms_key);
	l->kms_key = k;
	l->kms_changed_ms = now;
	return 0;
}

/* --- snapshot ------------------------------------------------------------ */

static cJSON *tags_json(const struct sim_tags *t)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; o && i < t->n; i++)
		if (!cJSON_AddStringToObject(o, t->v[i].key, t->v[i].value)) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

/* Add name: ms as a JSON integer (exact: |ms| < 2^53). */
static bool add_ms(cJSON *o, const char *name, int64_t ms)
{
	return cJSON_AddNumberToObject(o, name, (double)ms) != NULL;
}

static cJSON *stream_json(const struct sim_stream *s)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "id", s->id) &&
		  cJSON_AddNumberToObject(o, "seq", (double)s->seq) &&
		  cJSON_AddStringToObject(o, "name", s->name) &&
		  cJSON_AddStringToObject(o, "role_arn", s->role_arn) &&
		  cJSON_AddStringToObject(o, "kinesis_arn", s->kinesis_arn) &&
		  cJSON_AddBoolToObject(o, "aggregation", s->aggregation) &&
		  add_ms(o, "created_ms", s->created_ms) && add_ms(o, "start_ms", s->start_ms) &&
		  (!s->has_end || add_ms(o, "end_ms", s->end_ms)) &&
		  add_ms(o, "canceled_ms", s->canceled_ms);
	cJSON *t = ok ? tags_json(&s->tags) : NULL;
	if (!t || !cJSON_AddItemToObject(o, "tags", t)) {
		cJSON_Delete(t);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *export_json(const struct sim_export *e)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "id", e->id) &&
		  cJSON_AddNumberToObject(o, "seq", (double)e->seq) &&
		  add_ms(o, "created_ms", e->created_ms) && add_ms(o, "start_ms", e->start_ms) &&
		  add_ms(o, "end_ms", e->end_ms) &&
		  cJSON_AddStringToObject(o, "bucket", e->bucket) &&
		  cJSON_AddStringToObject(o, "prefix", e->prefix) &&
		  cJSON_AddStringToObject(o, "encryption", e->encryption) &&
		  (!e->kms_key_arn || cJSON_AddStringToObject(o, "kms_key_arn", e->kms_key_arn)) &&
		  cJSON_AddStringToObject(o, "role_arn", e->role_arn) &&
		  cJSON_AddStringToObject(o, "format", e->format) &&
		  cJSON_AddBoolToObject(o, "cancelled", e->cancelled);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *ledger_json(const struct sim_ledger *l)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "name", l->name) &&
		  cJSON_AddNumberToObject(o, "seq", (double)l->seq) &&
		  add_ms(o, "created_ms", l->created_ms) && add_ms(o, "active_ms", l->active_ms) &&
		  add_ms(o, "deleted_ms", l->deleted_ms) &&
		  cJSON_AddStringToObject(o, "permissions_mode", l->permissions_mode) &&
		  cJSON_AddBoolToObject(o, "deletion_protection", l->deletion_protection) &&
		  cJSON_AddStringToObject(o, "kms_key", l->kms_key) &&
		  add_ms(o, "kms_changed_ms", l->kms_changed_ms);
	cJSON *t = ok ? tags_json(&l->tags) : NULL;
	ok = t && cJSON_AddItemToObject(o, "tags", t);
	if (!ok)
		cJSON_Delete(t);
	cJSON *ss = ok ? cJSON_AddArrayToObject(o, "streams") : NULL;
	for (size_t i = 0; ss && i < l->n_streams; i++) {
		cJSON *s = stream_json(l->streams[i]);
		if (!s || !cJSON_AddItemToArray(ss, s)) {
			cJSON_Delete(s);
			ss = NULL;
		}
	}
	cJSON *es = ss ? cJSON_AddArrayToObject(o, "exports") : NULL;
	for (size_t i = 0; es && i < l->n_exports; i++) {
		cJSON *e = export_json(l->exports[i]);
		if (!e || !cJSON_AddItemToArray(es, e)) {
			cJSON_Delete(e);
			es = NULL;
		}
	}
	if (!es) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

void *sim_ledgers_to_json(struct sim_ledgers *ls)
{
	if (!ls->ready)
		return NULL;
	pthread_mutex_lock(&ls->mu);
	char rng[24], next[24];
	snprintf(rng, sizeof rng, "%" PRIu64, ls->rng.state);
	snprintf(next, sizeof next, "%" PRIu64, ls->next_seq);
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddNumberToObject(o, "version", SNAPSHOT_VERSION) &&
		  cJSON_AddStringToObject(o, "rng", rng) &&
		  cJSON_AddStringToObject(o, "next_seq", next);
	cJSON *arr = ok ? cJSON_AddArrayToObject(o, "ledgers") : NULL;
	for (size_t i = 0; arr && i < ls->n; i++) {
		if (ls->v[i]->gone)
			continue;
		cJSON *l = ledger_json(ls->v[i]);
		if (!l || !cJSON_AddItemToArray(arr, l)) {
			cJSON_Delete(l);
			arr = NULL;
		}
	}
	pthread_mutex_unlock(&ls->mu);
	if (!arr) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Strict snapshot reading: each getter fails with "snapshot PATH.member:
 * why" in err. PATH is built by the caller ("ledgers[2].streams[0]"). */
struct reader {
	char *err;
	size_t cap;
	const char *path;
};

static const cJSON *member(struct reader *r, const cJSON *o, const char *name, int type)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v || (v->type & 0xff) != type || (type == cJSON_String && !v->valuestring)) {
		sim_fail(r->err, r->cap, "snapshot %s%s%s: %s", r->path, *r->path ? "." : "", name,
			 v ? "wrong type" : "missing");
		return NULL;
	}
	return v;
}

static const char *get_str(struct reader *r, const cJSON *o, const char *name, size_t max)
{
	const cJSON *v = member(r, o, name, cJSON_String);
	if (v && strlen(v->valuestring) > max) {
		sim_fail(r->err, r->cap, "snapshot %s.%s: longer than %zu", r->path, name, max);
		return NULL;
	}
	return v ? v->valuestring : NULL;
}

/* An integer in [lo, hi] (exactly representable). */
static int get_int(struct reader *r, const cJSON *o, const char *name, int64_t lo, int64_t hi,
		   int64_t *out)
{
	const cJSON *v = member(r, o, name, cJSON_Number);
	if (!v)
		return -1;
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
		return sim_fail(r->err, r->cap,
				"snapshot %s.%s: not an integer in %" PRId64 "..%" PRId64, r->path,
				name, lo, hi);
	*out = (int64_t)d;
	return 0;
}

static int get_ms(struct reader *r, const cJSON *o, const char *name, int64_t *out)
{
	return get_int(r, o, name, -SNAPSHOT_MS_MAX, SNAPSHOT_MS_MAX, out);
}

static int get_bool(struct reader *r, const cJSON *o, const char *name, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsBool(v))
		return sim_fail(r->err, r->cap, "snapshot %s.%s: %s", r->path, name,
				v ? "not a boolean" : "missing");
	*out = cJSON_IsTrue(v);
	return 0;
}

/* One of the static strings in values (NULL-terminated). */
static const char *get_enum(struct reader *r, const cJSON *o, const char *name,
			    const char *const *values)
{
	const char *s = get_str(r, o, name, 64);
	for (size_t i = 0; s && values[i]; i++)
		if (strcmp(s, values[i]) == 0)
			return values[i];
	if (s)
		sim_fail(r->err, r->cap, "snapshot %s.%s: unknown value", r->path, name);
	return NULL;
}

static const char *get_id(struct reader *r, const cJSON *o, const char *name)
{
	const char *s = get_str(r, o, name, SIM_ID_LEN);
	if (s && !sim_unique_id_valid(s)) {
		sim_fail(r->err, r->cap, "snapshot %s.%s: not a 22-character id", r->path, name);
		return NULL;
	}
	return s;
}

/* seq in 1..next_seq-1 and above *prev (lists are in seq order). */
static int get_seq(struct reader *r, const cJSON *o, uint64_t next_seq, uint64_t *prev,
		   uint64_t *out)
{
	int64_t v;
	if (get_int(r, o, "seq", 1, (int64_t)next_seq - 1, &v) != 0)
		return -1;
	if ((uint64_t)v <= *prev)
		return sim_fail(r->err, r->cap, "snapshot %s.seq: not above the previous item's",
				r->path);
	*out = *prev = (uint64_t)v;
	return 0;
}

static int get_tags(struct reader *r, const cJSON *o, struct sim_tags *t)
{
	const cJSON *m = member(r, o, "tags", cJSON_Object);
	if (!m)
		return -1;
	const cJSON *kv;
	cJSON_ArrayForEach(kv, m)
	{
		if (!cJSON_IsString(kv) || !kv->string || !kv->string[0] ||
		    strlen(kv->string) > SIM_TAG_KEY_MAX * 4 ||
		    strlen(kv->valuestring) > SIM_TAG_VALUE_MAX * 4 || t->n >= SIM_TAGS_MAX ||
		    sim_tags_get(t, kv->string))
			return sim_fail(r->err, r->cap,
					"snapshot %s.tags: a tag that is not a string, too long, "
					"repeated or over %d",
					r->path, SIM_TAGS_MAX);
		if (sim_tags_set(t, kv->string, kv->valuestring) != 0)
			return sim_fail(r->err, r->cap, "snapshot: out of memory");
	}
	return 0;
}

static char *dup_or_fail(struct reader *r, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		sim_fail(r->err, r->cap, "snapshot: out of memory");
	return d;
}

static const char *const PERMISSIONS[] = { "ALLOW_ALL", "STANDARD", NULL };
static const char *const ENCRYPTIONS[] = { "SSE_KMS", "SSE_S3", "NO_ENCRYPTION", NULL };
static const char *const FORMATS[] = { "ION_BINARY", "ION_TEXT", "JSON", NULL };

static int restore_stream(struct reader *r, const cJSON *o, struct sim_ledger *l, uint64_t next,
			  uint64_t *prev, struct sim_stream *s)
{
	const char *id = get_id(r, o, "id");
	const char *name = id ? get_str(r, o, "name", SIM_LEDGER_NAME_MAX) : NULL;
	if (name && !sim_ledger_name_valid(name))
		return sim_fail(r->err, r->cap, "snapshot %s.name: not a stream name", r->path);
	if (!name || get_seq(r, o, next, prev, &s->seq) != 0)
		return -1;
	if (sim_ledger_stream_find(l, id))
		return sim_fail(r->err, r->cap, "snapshot %s.id: repeated", r->path);
	snprintf(s->id, sizeof s->id, "%s", id);
	snprintf(s->name, sizeof s->name, "%s", name);
	const char *role = get_str(r, o, "role_arn", SIM_ARN_MAX);
	const char *kin = role ? get_str(r, o, "kinesis_arn", SIM_ARN_MAX) : NULL;
	if (!kin || !(s->role_arn = dup_or_fail(r, role)) ||
	    !(s->kinesis_arn = dup_or_fail(r, kin)) ||
	    get_bool(r, o, "aggregation", &s->aggregation) != 0 ||
	    get_ms(r, o, "created_ms", &s->created_ms) != 0 ||
	    get_ms(r, o, "start_ms", &s->start_ms) != 0 ||
	    get_ms(r, o, "canceled_ms", &s->canceled_ms) != 0)
		return -1;
	s->has_end = cJSON_GetObjectItemCaseSensitive(o, "end_ms") != NULL;
	if (s->has_end && get_ms(r, o, "end_ms", &s->end_ms) != 0)
		return -1;
	return get_tags(r, o, &s->tags);
}

static int restore_export(struct reader *r, const cJSON *o, struct sim_ledger *l, uint64_t next,
			  uint64_t *prev, struct sim_export *e)
{
	const char *id = get_id(r, o, "id");
	if (!id || get_seq(r, o, next, prev, &e->seq) != 0)
		return -1;
	if (sim_ledger_export_find(l, id))
		return sim_fail(r->err, r->cap, "snapshot %s.id: repeated", r->path);
	snprintf(e->id, sizeof e->id, "%s", id);
	const char *bucket = get_str(r, o, "bucket", 255);
	const char *prefix = bucket ? get_str(r, o, "prefix", 128) : NULL;
	const char *role = prefix ? get_str(r, o, "role_arn", SIM_ARN_MAX) : NULL;
	if (!role || !(e->bucket = dup_or_fail(r, bucket)) ||
	    !(e->prefix = dup_or_fail(r, prefix)) || !(e->role_arn = dup_or_fail(r, role)) ||
	    !(e->encryption = get_enum(r, o, "encryption", ENCRYPTIONS)) ||
	    !(e->format = get_enum(r, o, "format", FORMATS)) ||
	    get_ms(r, o, "created_ms", &e->created_ms) != 0 ||
	    get_ms(r, o, "start_ms", &e->start_ms) != 0 ||
	    get_ms(r, o, "end_ms", &e->end_ms) != 0 ||
	    get_bool(r, o, "cancelled", &e->cancelled) != 0)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(o, "kms_key_arn")) {
		const char *k = get_str(r, o, "kms_key_arn", SIM_ARN_MAX);
		if (!k || !(e->kms_key_arn = dup_or_fail(r, k)))
			return -1;
	}
	return 0;
}

static int restore_ledger(struct sim_ledgers *ls, struct reader *r, const cJSON *o, uint64_t next,
			  uint64_t *prev)
{
	const char *name = get_str(r, o, "name", SIM_LEDGER_NAME_MAX);
	if (!name)
		return -1;
	if (!sim_ledger_name_valid(name) || sim_ledgers_get(ls, name))
		return sim_fail(r->err, r->cap, "snapshot %s.name: invalid or repeated", r->path);
	int64_t created, active, deleted, kms_changed;
	uint64_t seq;
	bool protect;
	const char *mode, *kms;
	if (get_seq(r, o, next, prev, &seq) != 0 || get_ms(r, o, "created_ms", &created) != 0 ||
	    get_ms(r, o, "active_ms", &active) != 0 || get_ms(r, o, "deleted_ms", &deleted) != 0 ||
	    !(mode = get_enum(r, o, "permissions_mode", PERMISSIONS)) ||
	    get_bool(r, o, "deletion_protection", &protect) != 0 ||
	    !(kms = get_str(r, o, "kms_key", SIM_ARN_MAX)) ||
	    get_ms(r, o, "kms_changed_ms", &kms_changed) != 0)
		return -1;
	const cJSON *streams = member(r, o, "streams", cJSON_Array);
	const cJSON *exports = streams ? member(r, o, "exports", cJSON_Array) : NULL;
	if (!exports)
		return -1;
	if (cJSON_GetArraySize(streams) > SIM_STREAMS_MAX ||
	    cJSON_GetArraySize(exports) > SIM_EXPORTS_MAX)
		return sim_fail(r->err, r->cap, "snapshot %s: more than %d streams or %d exports",
				r->path, SIM_STREAMS_MAX, SIM_EXPORTS_MAX);
	char jerr[SIM_ERR_MAX] = "";
	struct sim_journal *j = journal_for(ls, name, created, jerr, sizeof jerr);
	if (!j)
		return sim_fail(r->err, r->cap, "snapshot %s: ledger %s: %s", r->path, name, jerr);
	struct sim_ledger *l = ledger_new(ls, name, created, r->err, r->cap);
	if (!l) {
		sim_journal_free(j);
		return -1;
	}
	l->journal = j;
	l->seq = seq;
	ls->next_seq--; /* ledger_new took one; the snapshot's counter wins */
	l->active_ms = active;
	l->deleted_ms = deleted;
	l->permissions_mode = mode;
	l->deletion_protection = protect;
	l->kms_changed_ms = kms_changed;
	free(l->kms_key);
	if (!(l->kms_key = dup_or_fail(r, kms)))
		return -1;
	char path[128], base[64];
	snprintf(base, sizeof base, "%s", r->path);
	if (get_tags(r, o, &l->tags) != 0)
		return -1;
	int i = 0;
	uint64_t sprev = 0, eprev = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, streams)
	{
		snprintf(path, sizeof path, "%s.streams[%d]", base, i++);
		r->path = path;
		if (!cJSON_IsObject(it))
			return sim_fail(r->err, r->cap, "snapshot %s: not an object", path);
		struct sim_stream *s = calloc(1, sizeof *s);
		if (!s || grow_streams(l) != 0) {
			free(s);
			return sim_fail(r->err, r->cap, "snapshot: out of memory");
		}
		if (restore_stream(r, it, l, next, &sprev, s) != 0) {
			stream_free(s);
			return -1;
		}
		l->streams[l->n_streams++] = s;
	}
	i = 0;
	cJSON_ArrayForEach(it, exports)
	{
		snprintf(path, sizeof path, "%s.exports[%d]", base, i++);
		r->path = path;
		if (!cJSON_IsObject(it))
			return sim_fail(r->err, r->cap, "snapshot %s: not an object", path);
		struct sim_export *e = calloc(1, sizeof *e);
		if (!e || grow_exports(l) != 0) {
			free(e);
			return sim_fail(r->err, r->cap, "snapshot: out of memory");
		}
		if (restore_export(r, it, l, next, &eprev, e) != 0) {
			export_free(e);
			return -1;
		}
		l->exports[l->n_exports++] = e;
	}
	return 0;
}

/* Parse a decimal u64 string strictly. */
static int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || strlen(s) > 20 || strspn(s, "0123456789") != strlen(s))
		return -1;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || (v == ULLONG_MAX && strcmp(s, "18446744073709551615") != 0))
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int sim_ledgers_restore(struct sim_ledgers *ls, const void *cjson, char *err, size_t cap)
{
	const cJSON *o = cjson;
	if (ensure_ready(ls, err, cap) != 0)
		return -1;
	struct reader r = { err, cap, "" };
	if (!cJSON_IsObject(o))
		return sim_fail(err, cap, "snapshot: not a JSON object");
	pthread_mutex_lock(&ls->mu);
	int rc = -1;
	int64_t version;
	uint64_t rng, next;
	const char *rs = NULL, *ns = NULL;
	const cJSON *arr = NULL;
	if (ls->n) {
		sim_fail(err, cap, "snapshot: the registry is not empty");
	} else if (get_int(&r, o, "version", 0, 1000, &version) == 0 &&
		   (rs = get_str(&r, o, "rng", 24)) && (ns = get_str(&r, o, "next_seq", 24)) &&
		   (arr = member(&r, o, "ledgers", cJSON_Array))) {
		if (version != SNAPSHOT_VERSION)
			sim_fail(err, cap, "snapshot version: %" PRId64 ", this build reads %d",
				 version, SNAPSHOT_VERSION);
		else if (parse_u64(rs, &rng) != 0)
			sim_fail(err, cap, "snapshot rng: not a decimal 64-bit number");
		else if (parse_u64(ns, &next) != 0 || next < 1 || next > (1ull << 53))
			sim_fail(err, cap, "snapshot next_seq: not a counter in 1..2^53");
		else if (cJSON_GetArraySize(arr) > SIM_LEDGERS_RETAINED_MAX)
			sim_fail(err, cap, "snapshot ledgers: more than %d",
				 SIM_LEDGERS_RETAINED_MAX);
		else
			rc = 0;
	}
	int i = 0;
	uint64_t prev = 0;
	const cJSON *it;
	if (rc == 0)
		cJSON_ArrayForEach(it, arr)
		{
			char path[32];
			snprintf(path, sizeof path, "ledgers[%d]", i++);
			r.path = path;
			if (!cJSON_IsObject(it)) {
				rc = sim_fail(err, cap, "snapshot %s: not an object", path);
				break;
			}
			if ((rc = restore_ledger(ls, &r, it, next, &prev)) != 0)
				break;
		}
	if (rc == 0) {
		ls->rng.state = rng;
		ls->next_seq = next;
	} else {
		/* leave the registry empty again, as it was */
		for (size_t k = 0; k < ls->n; k++)
			ledger_free(ls->v[k]);
		ls->n = 0;
	}
	pthread_mutex_unlock(&ls->mu);
	return rc;
}
