/*
 * test_sim_qldb_registry.c - the ledger registry behind the endpoint
 * (sim/ledger.h): the snapshot the world persists survives a round trip
 * (ledgers, tags, streams, exports, lifecycle times, the id generator, so
 * the next ids and NextTokens carry on), a damaged snapshot is an error
 * naming the member and never a crash, a zeroed registry works with the
 * defaults, and four threads mutating and listing at once keep it
 * consistent (run under the tsan build too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/http.h"
#include "sim/journal.h"
#include "sim/ledger.h"
#include "sim/qldb_api.h"

#define T0 1700000000000LL
#define ROLE "arn:aws:iam::123456789012:role/r"

struct world {
	struct sim_ledgers ls;
	struct sim_qldb svc;
	int64_t now;
	int opened;
};

static int64_t fake_now(void *ctx)
{
	return ((struct world *)ctx)->now;
}

static struct sim_journal *count_open(void *ctx, const char *name, int64_t created_ms, char *err,
				      size_t cap)
{
	struct world *w = ctx;
	w->opened++;
	return sim_journal_new(5 + strlen(name), created_ms, err, cap);
}

static void world_init(struct world *w, uint64_t seed)
{
	memset(w, 0, sizeof *w);
	w->now = T0;
	struct sim_ledgers_config cfg = { .seed = seed,
					  .now_ms = fake_now,
					  .journal_open = count_open,
					  .ctx = w,
					  .create_delay_ms = -1, /* immediate */
					  .export_ms = 60000 };
	char err[SIM_ERR_MAX];
	assert_int_equal(sim_ledgers_init(&w->ls, &cfg, err, sizeof err), 0);
	w->svc.ledgers = &w->ls;
}

static cJSON *call(struct world *w, const char *method, const char *path, const char *body,
		   unsigned want)
{
	struct sim_param q[2];
	size_t nq = 0;
	char p[512];
	snprintf(p, sizeof p, "%s", path);
	char *qs = strchr(p, '?');
	if (qs) {
		*qs++ = '\0';
		char *eq = strchr(qs, '=');
		*eq = '\0';
		q[nq++] = (struct sim_param){ qs, eq + 1 };
	}
	struct sim_request r = { .method = method,
				 .path = p,
				 .query = q,
				 .n_query = nq,
				 .body = body,
				 .body_len = body ? strlen(body) : 0 };
	struct sim_response res = { 0 };
	sim_qldb_handle(&w->svc, &r, &res);
	if (res.status != want)
		fail_msg("%s %s: want %u, got %u %s", method, path, want, res.status, res.body);
	cJSON *o = cJSON_Parse(res.body);
	sim_response_clear(&res);
	return o;
}

/* A registry with a bit of everything. */
static void populate(struct world *w)
{
	cJSON_Delete(call(w, "POST", "/ledgers",
			  "{\"Name\":\"alpha\",\"PermissionsMode\":\"ALLOW_ALL\",\"Tags\":{\"t\":"
			  "\"1\"},\"DeletionProtection\":false,\"KmsKey\":\"alias/k\"}",
			  200));
	cJSON_Delete(call(w, "POST", "/ledgers",
			  "{\"Name\":\"beta\",\"PermissionsMode\":\"STANDARD\"}", 200));
	w->now += 10;
	cJSON_Delete(
		call(w, "POST", "/ledgers/alpha/journal-kinesis-streams",
		     "{\"RoleArn\":\"" ROLE "\",\"InclusiveStartTime\":1700000000,"
		     "\"ExclusiveEndTime\":1800000000,\"KinesisConfiguration\":{\"StreamArn\":"
		     "\"arn:aws:kinesis:us-east-1:123456789012:stream/s\"},\"StreamName\":\"s\","
		     "\"Tags\":{\"st\":\"x\"}}",
		     200));
	cJSON_Delete(
		call(w, "POST", "/ledgers/beta/journal-s3-exports",
		     "{\"InclusiveStartTime\":1700000000,\"ExclusiveEndTime\":1700000000.005,"
		     "\"RoleArn\":\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\","
		     "\"Prefix\":\"p/\",\"EncryptionConfiguration\":{\"ObjectEncryptionType\":"
		     "\"SSE_KMS\",\"KmsKeyArn\":\"arn:aws:kms:us-east-1:123456789012:key/k\"}},"
		     "\"OutputFormat\":\"ION_BINARY\"}",
		     200));
	cJSON_Delete(call(w, "DELETE", "/ledgers/alpha", NULL, 200)); /* DELETING */
}

static char *snapshot_text(struct world *w)
{
	cJSON *s = sim_ledgers_to_json(&w->ls);
	assert_non_null(s);
	char *t = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return t;
}

static void test_snapshot_round_trip_keeps_everything(void **state)
{
	(void)state;
	struct world a, b;
	world_init(&a, 11);
	populate(&a);
	char *text = snapshot_text(&a);
	world_init(&b, 999); /* the snapshot's generator state wins over the seed */
	b.now = a.now;
	cJSON *snap = cJSON_Parse(text);
	char err[SIM_ERR_MAX] = "";
	if (sim_ledgers_restore(&b.ls, snap, err, sizeof err) != 0)
		fail_msg("%s", err);
	cJSON_Delete(snap);
	assert_int_equal(b.opened, 2); /* one journal per ledger */
	char *again = snapshot_text(&b);
	assert_string_equal(text, again);
	free(again);
	/* both continue the same way: the next ids are the same */
	const char *body = "{\"InclusiveStartTime\":1700000000,\"ExclusiveEndTime\":1700000000.006,"
			   "\"RoleArn\":\"" ROLE "\",\"S3ExportConfiguration\":{\"Bucket\":\"bkt\","
			   "\"Prefix\":\"\",\"EncryptionConfiguration\":{\"ObjectEncryptionType\":"
			   "\"SSE_S3\"}}}";
	cJSON *x = call(&a, "POST", "/ledgers/beta/journal-s3-exports", body, 200);
	cJSON *y = call(&b, "POST", "/ledgers/beta/journal-s3-exports", body, 200);
	assert_string_equal(cJSON_GetObjectItem(x, "ExportId")->valuestring,
			    cJSON_GetObjectItem(y, "ExportId")->valuestring);
	cJSON_Delete(x);
	cJSON_Delete(y);
	/* the restored DELETING ledger finishes its deletion */
	b.now += SIM_DEFAULT_DELETE_DELAY_MS;
	cJSON_Delete(call(&b, "GET", "/ledgers/alpha", NULL, 404));
	x = sim_ledgers_to_json(&b.ls);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "ledgers")), 1);
	cJSON_Delete(x);
	/* restoring into a registry that has ledgers is refused */
	snap = cJSON_Parse(text);
	assert_int_equal(sim_ledgers_restore(&b.ls, snap, err, sizeof err), -1);
	assert_non_null(strstr(err, "not empty"));
	cJSON_Delete(snap);
	free(text);
	sim_ledgers_free(&a.ls);
	sim_ledgers_free(&b.ls);
}

/* Damage: JSON path edits applied to a good snapshot, and the member the
 * error must name. */
struct damage {
	const char *path;  /* "ledgers.0.streams.0.id" */
	const char *value; /* JSON; NULL removes the member */
	const char *names;
};

static cJSON *walk(cJSON *o, char *path, char **last)
{
	char *save = NULL, *k = strtok_r(path, ".", &save), *next;
	while ((next = strtok_r(NULL, ".", &save))) {
		o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(k))
				     : cJSON_GetObjectItemCaseSensitive(o, k);
		assert_non_null(o);
		k = next;
	}
	*last = k;
	return o;
}

static void test_damaged_snapshots_are_errors_naming_the_member(void **state)
{
	(void)state;
	static const struct damage cases[] = {
		{ "version", "2", "version" },
		{ "version", NULL, "version" },
		{ "rng", "12", "rng" },
		{ "rng", "\"12x\"", "rng" },
		{ "next_seq", "\"0\"", "next_seq" },
		{ "ledgers", "{}", "ledgers" },
		{ "ledgers.0", "[]", "ledgers[0]" },
		{ "ledgers.0.name", "\"a--b\"", "ledgers[0].name" },
		{ "ledgers.1.name", "\"alpha\"", "ledgers[1].name" },
		{ "ledgers.0.seq", "0", "ledgers[0].seq" },
		{ "ledgers.0.seq", "1e300", "ledgers[0].seq" },
		{ "ledgers.1.seq", "1", "ledgers[1].seq" },
		{ "ledgers.0.created_ms", "1.5", "ledgers[0].created_ms" },
		{ "ledgers.0.created_ms", "\"now\"", "ledgers[0].created_ms" },
		{ "ledgers.0.permissions_mode", "\"OPEN\"", "ledgers[0].permissions_mode" },
		{ "ledgers.0.deletion_protection", "1", "ledgers[0].deletion_protection" },
		{ "ledgers.0.kms_key", NULL, "ledgers[0].kms_key" },
		{ "ledgers.0.tags", "{\"k\":1}", "ledgers[0].tags" },
		{ "ledgers.0.streams", "{}", "ledgers[0].streams" },
		{ "ledgers.0.streams.0", "7", "ledgers[0].streams[0]" },
		{ "ledgers.0.streams.0.id", "\"short\"", "ledgers[0].streams[0].id" },
		{ "ledgers.0.streams.0.name", "\"-x\"", "ledgers[0].streams[0].name" },
		{ "ledgers.0.streams.0.aggregation", "null", "ledgers[0].streams[0].aggregation" },
		{ "ledgers.0.streams.0.end_ms", "\"x\"", "ledgers[0].streams[0].end_ms" },
		{ "ledgers.1.exports.0.encryption", "\"ROT13\"",
		  "ledgers[1].exports[0].encryption" },
		{ "ledgers.1.exports.0.format", NULL, "ledgers[1].exports[0].format" },
		{ "ledgers.1.exports.0.kms_key_arn", "5", "ledgers[1].exports[0].kms_key_arn" },
		{ "ledgers.1.exports.0.seq", "99999", "ledgers[1].exports[0].seq" },
	};
	struct world a;
	world_init(&a, 3);
	populate(&a);
	char *text = snapshot_text(&a);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *snap = cJSON_Parse(text);
		char path[128], *last;
		snprintf(path, sizeof path, "%s", cases[i].path);
		cJSON *parent = walk(snap, path, &last);
		if (cJSON_IsArray(parent)) {
			cJSON_ReplaceItemInArray(parent, atoi(last), cJSON_Parse(cases[i].value));
		} else {
			cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
			if (cases[i].value)
				cJSON_AddItemToObject(parent, last, cJSON_Parse(cases[i].value));
		}
		struct world b;
		world_init(&b, 3);
		char err[SIM_ERR_MAX] = "";
		int rc = sim_ledgers_restore(&b.ls, snap, err, sizeof err);
		if (rc != -1 || !strstr(err, cases[i].names))
			fail_msg("case %zu (%s): rc %d, err '%s'", i, cases[i].path, rc, err);
		assert_non_null(strstr(err, "snapshot"));
		/* a failed restore leaves the registry empty and usable */
		cJSON *l = call(&b, "GET", "/ledgers", NULL, 200);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(l, "Ledgers")), 0);
		cJSON_Delete(l);
		sim_ledgers_free(&b.ls);
		cJSON_Delete(snap);
	}
	struct world b;
	world_init(&b, 3);
	char err[SIM_ERR_MAX];
	cJSON *arr = cJSON_CreateArray();
	assert_int_equal(sim_ledgers_restore(&b.ls, arr, err, sizeof err), -1);
	cJSON_Delete(arr);
	sim_ledgers_free(&b.ls);
	free(text);
	sim_ledgers_free(&a.ls);
}

/* A zeroed registry is the default config: the pre-world server's way. */
static void test_zeroed_registry_uses_the_defaults(void **state)
{
	(void)state;
	struct sim_ledgers ls;
	memset(&ls, 0, sizeof ls);
	assert_null(sim_ledgers_find(&ls, SIM_DEMO_LEDGER));
	char err[SIM_ERR_MAX];
	assert_int_equal(sim_ledgers_add_demo(&ls, "us-east-1", T0, err, sizeof err), 0);
	const struct sim_ledger *l = sim_ledgers_find(&ls, SIM_DEMO_LEDGER);
	assert_non_null(l);
	assert_int_equal(sim_journal_block_count(l->journal), SIM_DEMO_BLOCKS + 1);
	assert_true(l->deletion_protection);
	assert_int_equal(ls.cfg.create_delay_ms, SIM_DEFAULT_CREATE_DELAY_MS);
	assert_int_equal(ls.cfg.max_ledgers, SIM_LEDGERS_MAX);
	/* a duplicate and an invalid name are refused (the journal is taken) */
	assert_int_equal(sim_ledgers_add(&ls, SIM_DEMO_LEDGER, T0,
					 sim_journal_new(1, T0, err, sizeof err), err, sizeof err),
			 -1);
	assert_int_equal(sim_ledgers_add(&ls, "a--b", T0, sim_journal_new(1, T0, err, sizeof err),
					 err, sizeof err),
			 -1);
	sim_ledgers_free(&ls);
	sim_ledgers_free(&ls); /* freeing twice is harmless */
}

/* Four request threads at once (the server's pool): each creates, tags,
 * lists, streams and deletes its own ledgers while reading the others'. */
static int64_t wall(void *ctx)
{
	(void)ctx;
	static atomic_llong t = T0;
	return (int64_t)atomic_fetch_add(&t, 1) + 1; /* a clock every thread advances */
}

struct worker {
	struct sim_qldb *svc;
	int id;
	int failures;
};

static void *work(void *arg)
{
	struct worker *wk = arg;
	for (int round = 0; round < 40; round++) {
		char name[32], path[128], body[512];
		snprintf(name, sizeof name, "w%d-r%d", wk->id, round);
		const struct {
			const char *method, *path, *body;
		} steps[] = {
			{ "POST", "/ledgers", body },
			{ "POST", path, "{\"Tags\":{\"a\":\"b\"}}" },
			{ "GET", "/ledgers", NULL },
			{ "GET", "/journal-s3-exports", NULL },
			{ "DELETE", "/ledgers/", NULL },
		};
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			char p[128];
			if (s == 0)
				snprintf(body, sizeof body,
					 "{\"Name\":\"%s\",\"PermissionsMode\":\"STANDARD\","
					 "\"DeletionProtection\":false}",
					 name);
			if (s == 1)
				snprintf(path, sizeof path,
					 "/tags/arn%%3Aaws%%3Aqldb%%3Aus-east-1%%3A123456789012%%3A"
					 "ledger%%2F%s",
					 name);
			snprintf(p, sizeof p, "%s%s", steps[s].path, s == 4 ? name : "");
			struct sim_request r = { .method = steps[s].method,
						 .path = p,
						 .body = steps[s].body,
						 .body_len = steps[s].body ? strlen(steps[s].body)
									   : 0 };
			struct sim_response res = { 0 };
			sim_qldb_handle(wk->svc, &r, &res);
			/* the limit may refuse a create; a CREATING ledger a delete */
			if (res.status != 200 && res.status != 409 && res.status != 400 &&
			    res.status != 404)
				wk->failures++;
			sim_response_clear(&res);
		}
	}
	return NULL;
}

static void test_four_threads_at_once(void **state)
{
	(void)state;
	struct sim_ledgers ls;
	struct sim_ledgers_config cfg = { .seed = 1,
					  .now_ms = wall,
					  .create_delay_ms = 2,
					  .delete_delay_ms = 3,
					  .max_ledgers = 64 };
	char err[SIM_ERR_MAX];
	assert_int_equal(sim_ledgers_init(&ls, &cfg, err, sizeof err), 0);
	struct sim_qldb svc = { .ledgers = &ls };
	pthread_t t[4];
	struct worker wk[4];
	for (int i = 0; i < 4; i++) {
		wk[i] = (struct worker){ &svc, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, work, &wk[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(wk[i].failures, 0);
	}
	/* the snapshot is consistent: names unique, sequence increasing */
	cJSON *snap = sim_ledgers_to_json(&ls);
	struct sim_ledgers copy;
	assert_int_equal(sim_ledgers_init(&copy, NULL, err, sizeof err), 0);
	if (sim_ledgers_restore(&copy, snap, err, sizeof err) != 0)
		fail_msg("%s", err);
	cJSON_Delete(snap);
	sim_ledgers_free(&copy);
	sim_ledgers_free(&ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_round_trip_keeps_everything),
		cmocka_unit_test(test_damaged_snapshots_are_errors_naming_the_member),
		cmocka_unit_test(test_zeroed_registry_uses_the_defaults),
		cmocka_unit_test(test_four_threads_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
