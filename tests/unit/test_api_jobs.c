/*
 * test_api_jobs.c - the job runner's bookkeeping (api/jobs.h) without a
 * network: the queue bound, QUEUED -> RUNNING -> FAILED transitions seen
 * through the store, the list keeping the JOBS_KEPT newest, published
 * values never changing afterwards, and the kind-name table.
 *
 * The runner is pointed at an endpoint that refuses connections at once
 * (127.0.0.1 port 1), so every job fails fast with a transport error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "api/job_verify.h"
#include "api/jobs.h"
#include "api/log.h"

static struct api_config cfg;

static int setup(void **state)
{
	(void)state;
	struct api_config_overrides ov = { .endpoint_url = "http://127.0.0.1:1",
					   .region = "us-east-1",
					   .access_key_id = "AKIDTESTJOBS00000001",
					   .secret_access_key = "test-secret-jobs" };
	struct api_error err;
	assert_int_equal(api_config_resolve(&cfg, &ov, NULL, &err), 0);
	assert_int_equal(http_global_init(), 0);
	return 0;
}

static struct job_request req(enum job_kind k)
{
	struct job_request r;
	memset(&r, 0, sizeof r);
	r.kind = k;
	strcpy(r.ledger, "L1");
	return r;
}

static struct job_status status(uint64_t id, enum job_state s)
{
	struct job_status st;
	memset(&st, 0, sizeof st);
	st.id = id;
	st.state = s;
	return st;
}

static void test_job_kind_name_table_is_complete_and_distinct(void **state)
{
	(void)state;
	const char *want[JOB_KIND_COUNT] = { "export-start",  "stream-start", "stream-cancel",
					     "verify-export", "digest-proof", "block-detail" };
	for (int k = 0; k < JOB_KIND_COUNT; k++)
		assert_string_equal(job_kind_name((enum job_kind)k), want[k]);
	assert_string_equal(job_kind_name(JOB_KIND_COUNT), "?");
	assert_string_equal(job_kind_name((enum job_kind) - 1), "?");
}

static void test_list_keeps_the_newest_and_drops_the_oldest_finished(void **state)
{
	(void)state;
	struct job_list l = { 0 };
	for (uint64_t i = 1; i <= JOBS_KEPT + 5; i++) {
		struct job_status st = status(i, JOB_DONE);
		assert_int_equal(job_list_add(&l, &st), 0);
	}
	assert_int_equal(l.n, JOBS_KEPT);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.items[i].id, 6 + i); /* newest last, oldest gone */
}

static void test_list_never_drops_an_active_job(void **state)
{
	(void)state;
	struct job_list l = { 0 };
	struct job_status st = status(1, JOB_RUNNING);
	job_list_add(&l, &st);
	for (uint64_t i = 2; i <= JOBS_KEPT; i++) {
		st = status(i, JOB_DONE);
		job_list_add(&l, &st);
	}
	st = status(100, JOB_QUEUED);
	assert_int_equal(job_list_add(&l, &st), 0);
	assert_int_equal(l.items[0].id, 1); /* the running one stays */
	assert_int_equal(l.items[1].id, 3); /* the oldest finished (2) went */
	assert_int_equal(l.items[JOBS_KEPT - 1].id, 100);
	/* all active: nothing can go */
	struct job_list full = { 0 };
	for (uint64_t i = 1; i <= JOBS_KEPT; i++) {
		st = status(i, JOB_QUEUED);
		job_list_add(&full, &st);
	}
	st = status(99, JOB_QUEUED);
	assert_int_equal(job_list_add(&full, &st), -1);
	assert_int_equal(full.n, JOBS_KEPT);
}

static void test_list_update_replaces_by_id_only(void **state)
{
	(void)state;
	struct job_list l = { 0 };
	struct job_status a = status(7, JOB_QUEUED), b = status(8, JOB_QUEUED);
	job_list_add(&l, &a);
	job_list_add(&l, &b);
	a.state = JOB_DONE;
	assert_int_equal(job_list_update(&l, &a), 0);
	assert_int_equal(l.items[0].state, JOB_DONE);
	assert_int_equal(l.items[1].state, JOB_QUEUED);
	struct job_status c = status(9, JOB_DONE);
	assert_int_equal(job_list_update(&l, &c), -1);
}

/* Wait until every job in the list is finished; the entry holds it. */
static bool all_finished(struct store *s, struct store_entry *e, size_t want)
{
	for (int i = 0; i < 1000; i++) {
		store_read(s, "", STORE_JOBS, e);
		const struct job_list *l = e->data;
		bool done = l && l->n == want;
		for (size_t k = 0; done && k < l->n; k++)
			done = l->items[k].state == JOB_DONE || l->items[k].state == JOB_FAILED;
		if (done)
			return true;
		store_entry_release(e);
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return false;
}

static void test_queue_is_bounded_and_jobs_fail_with_one_line(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct api_error err;
	struct jobs *j = jobs_start(&cfg, s, &err);
	assert_non_null(j);
	/* the worker may take the first at once: at most 1 + QUEUE_MAX accepted
	 * in a burst, and at least QUEUE_MAX */
	uint64_t id, ids[16];
	size_t accepted = 0;
	int refused = 0;
	for (int i = 0; i < 10; i++) {
		struct job_request r = req(JOB_DIGEST_PROOF);
		int rc = jobs_submit(j, &r, &id, &err);
		if (rc == 0)
			ids[accepted++] = id;
		else {
			assert_int_equal(rc, API_ERR_LIMIT);
			assert_non_null(strstr(err.msg, "queued"));
			refused++;
		}
	}
	assert_true(accepted >= JOBS_QUEUE_MAX && accepted <= JOBS_QUEUE_MAX + 1);
	assert_int_equal(refused, 10 - (int)accepted);
	for (size_t i = 1; i < accepted; i++)
		assert_true(ids[i] > ids[i - 1]); /* ids grow */
	struct store_entry e;
	assert_true(all_finished(s, &e, accepted));
	const struct job_list *l = e.data;
	for (size_t k = 0; k < l->n; k++) {
		assert_int_equal(l->items[k].state, JOB_FAILED);
		assert_int_equal(l->items[k].id, ids[k]);
		assert_string_equal(l->items[k].ledger, "L1");
		assert_true(strlen(l->items[k].message) > 0);
		assert_null(strchr(l->items[k].message, '\n'));
		assert_int_equal(l->items[k].verdict, 0); /* never VERIFIED on failure */
	}
	store_entry_release(&e);
	jobs_stop(j);
	store_free(s);
}

static void test_published_values_never_change(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct api_error err;
	struct jobs *j = jobs_start(&cfg, s, &err);
	struct job_request r = req(JOB_VERIFY_EXPORT);
	strcpy(r.id, "AAAAAAAAAAAAAAAAAAAAAA");
	uint64_t id;
	assert_int_equal(jobs_submit(j, &r, &id, &err), 0);
	/* hold the first published value: the job was QUEUED or RUNNING */
	struct store_entry first;
	assert_true(store_read(s, "", STORE_JOBS, &first));
	const struct job_list *l0 = first.data;
	assert_int_equal(l0->n, 1);
	struct job_list copy = *l0;
	assert_true(copy.items[0].state == JOB_QUEUED || copy.items[0].state == JOB_RUNNING);
	struct store_entry e;
	assert_true(all_finished(s, &e, 1));
	assert_int_equal(((const struct job_list *)e.data)->items[0].state, JOB_FAILED);
	assert_ptr_not_equal(e.data, first.data);
	/* the held value is still exactly what it was */
	assert_memory_equal(first.data, &copy, sizeof copy);
	store_entry_release(&e);
	store_entry_release(&first);
	jobs_stop(j);
	store_free(s);
}

static void test_bad_kind_is_refused_and_stop_accepts_null(void **state)
{
	(void)state;
	struct store *s = store_new();
	struct api_error err;
	struct jobs *j = jobs_start(&cfg, s, &err);
	struct job_request r = req(JOB_KIND_COUNT);
	uint64_t id = 0;
	assert_int_equal(jobs_submit(j, &r, &id, &err), API_ERR_CONFIG);
	struct store_entry e;
	assert_false(store_read(s, "", STORE_JOBS, &e)); /* nothing published */
	store_entry_release(&e);
	jobs_stop(j);
	jobs_stop(NULL);
	store_free(s);
}

/* A listening socket that never answers: requests to it hang until their
 * timeout, so a job stays RUNNING until it is stopped. */
static int silent_listener(char *url, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(url, cap, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
	return fd;
}

static void test_stop_is_prompt_and_marks_unfinished_jobs_failed(void **state)
{
	(void)state;
	char url[64];
	int fd = silent_listener(url, sizeof url);
	struct api_config_overrides ov = { .endpoint_url = url,
					   .region = "us-east-1",
					   .access_key_id = "AKIDTESTJOBS00000001",
					   .secret_access_key = "test-secret-jobs" };
	struct api_config hang;
	struct api_error err;
	assert_int_equal(api_config_resolve(&hang, &ov, NULL, &err), 0);
	struct store *s = store_new();
	struct jobs *j = jobs_start(&hang, s, &err);
	uint64_t id;
	for (int i = 0; i < 3; i++) {
		struct job_request r = req(JOB_DIGEST_PROOF);
		assert_int_equal(jobs_submit(j, &r, &id, &err), 0);
	}
	/* wait until the first is RUNNING (its request hangs) */
	bool running = false;
	for (int i = 0; i < 500 && !running; i++) {
		struct store_entry e;
		store_read(s, "", STORE_JOBS, &e);
		const struct job_list *l = e.data;
		running = l && l->items[0].state == JOB_RUNNING;
		store_entry_release(&e);
		if (!running) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	assert_true(running);
	double t0 = store_now_mono();
	jobs_stop(j);
	double took = store_now_mono() - t0;
	assert_true(took < 1.0); /* the request's own timeout is 10 s */
	struct store_entry e;
	assert_true(store_read(s, "", STORE_JOBS, &e));
	const struct job_list *l = e.data;
	assert_int_equal(l->n, 3);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(l->items[k].state, JOB_FAILED);
		assert_non_null(strstr(l->items[k].message, "stopped"));
		assert_int_equal(l->items[k].verdict, 0);
	}
	store_entry_release(&e);
	store_free(s);
	api_config_wipe(&hang);
	close(fd);
}

static void test_messages_and_lines_are_redacted_single_lines(void **state)
{
	(void)state;
	const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYJOBSSECRET";
	log_add_secret(secret);
	struct job_status *st = calloc(1, sizeof *st);
	struct job_ctx c = { .st = st };
	job_message(&c, "GetDigest: refused for key %s\nsecond line", secret);
	assert_null(strstr(st->message, secret));
	assert_null(strstr(st->message, "wJalrXUtnFEMI"));
	assert_null(strchr(st->message, '\n'));
	assert_non_null(strstr(st->message, "GetDigest: refused")); /* the rest stays */
	job_line(&c, JOB_LINE_BAD, "Authorization: AWS4-HMAC-SHA256 Signature=%s", secret);
	assert_int_equal(st->n_lines, 1);
	assert_int_equal(st->lines[0].role, JOB_LINE_BAD);
	assert_null(strstr(st->lines[0].text, secret));
	free(st);
}

static void test_lines_stop_at_the_limit_and_say_so(void **state)
{
	(void)state;
	struct job_status *st = calloc(1, sizeof *st);
	struct job_ctx c = { .st = st };
	for (int i = 0; i < JOB_LINES_MAX + 50; i++)
		job_line(&c, JOB_LINE_GOOD, "line %d", i);
	assert_int_equal(st->n_lines, JOB_LINES_MAX);
	char want[32];
	snprintf(want, sizeof want, "line %d", JOB_LINES_MAX - 2); /* kept in order */
	assert_string_equal(st->lines[JOB_LINES_MAX - 2].text, want);
	assert_non_null(strstr(st->lines[JOB_LINES_MAX - 1].text, "not kept"));
	/* the note is not dressed as a passed check */
	assert_int_equal(st->lines[JOB_LINES_MAX - 1].role, JOB_LINE_NORMAL);
	free(st);
}

static void test_store_jobs_is_named_and_not_polled(void **state)
{
	(void)state;
	assert_string_equal(store_kind_name(STORE_JOBS), "jobs");
	assert_false(store_kind_is_polled(STORE_JOBS));
	assert_true(store_kind_is_polled(STORE_DIGEST));
	assert_false(store_kind_is_polled(STORE_KIND_COUNT));
}

/* --- the verify job's tip proof (api/job_verify.h), without a network:
 * an export of blocks 0..5 in one chain, a digest over 0..7 (its value is
 * made up: only equality with a proof's root matters here) --- */

struct tip_fixture {
	struct qldb_checker *chk;
	struct sha256 *sha;
	struct export_chain ch;
	struct qldb_hash h[6];
	struct job_block_proof p; /* a good answer for block S:5 */
	char why[512];
};

static void tip_setup(struct tip_fixture *t)
{
	memset(t, 0, sizeof *t);
	t->chk = qldb_checker_new();
	t->sha = sha256_new();
	assert_non_null(t->chk);
	assert_non_null(t->sha);
	for (int i = 0; i < 6; i++) {
		t->h[i].len = 32;
		memset(t->h[i].b, 0x21 + i, 32);
	}
	struct qldb_hash digest = { .len = 32 };
	memset(digest.b, 0x7d, 32);
	struct qldb_address tip = { .strand = "S", .seq = 7 };
	export_chain_init(&t->ch, t->sha, &digest, &tip);
	struct export_range r = { .strand = "S", .first = 0, .last = 5 };
	struct export_object o;
	export_object_init(&o, t->chk, QLDB_MODE_ION, &r);
	o.blocks = 6;
	o.first_seq = 0;
	o.last_seq = 5;
	o.last_hash = t->h[5];
	o.have_last_hash = true;
	o.hashes = malloc(6 * sizeof *o.hashes);
	assert_non_null(o.hashes);
	memcpy(o.hashes, t->h, 6 * sizeof *o.hashes);
	o.n_hashes = o.cap_hashes = 6;
	export_chain_add(&t->ch, &o, "a.ion");
	export_object_free(&o);
	export_chain_finish(&t->ch);
	assert_int_equal(export_chain_status(&t->ch), EXPORT_STATUS_UNVERIFIED);
	t->p = (struct job_block_proof){ .self = 1,
					 .proof = 1,
					 .hashes = 3,
					 .read = true,
					 .addr = { .strand = "S", .seq = 5 },
					 .block_hash = t->h[5],
					 .have_root = true,
					 .root = digest };
}

static void tip_teardown(struct tip_fixture *t)
{
	export_chain_free(&t->ch);
	qldb_checker_free(t->chk);
	sha256_free(t->sha);
}

static void test_tip_apply_good_answer_verifies(void **state)
{
	(void)state;
	struct tip_fixture t;
	tip_setup(&t);
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_VERIFIED);
	assert_true(t.ch.digest_by_proof);
	assert_string_equal(t.why, "");
	tip_teardown(&t);
}

static void test_tip_apply_proof_to_another_digest_fails(void **state)
{
	(void)state;
	struct tip_fixture t;
	tip_setup(&t);
	/* the answer says its proof folded (to the digest it was asked
	 * about), but the root is not this chain's digest */
	t.p.root.b[31] ^= 1;
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	assert_non_null(
		strstr(t.ch.failures[0].f.message, "block S:5 to the digest at tip 7 expected"));
	char g[QLDB_HASH_B64_LEN], want[128];
	snprintf(want, sizeof want, "computed %s", qldb_hash_b64(&t.p.root, g));
	assert_non_null(strstr(t.ch.failures[0].f.message, want));
	tip_teardown(&t);

	tip_setup(&t); /* the proof did not fold */
	t.p.proof = -1;
	t.p.root.b[0] ^= 1;
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	tip_teardown(&t);
}

static void test_tip_apply_answer_for_another_address_fails(void **state)
{
	(void)state;
	struct tip_fixture t;
	tip_setup(&t);
	/* a genuine proof of block 4 is no proof of block 5 */
	t.p.addr.seq = 4;
	t.p.block_hash = t.h[4];
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	assert_non_null(strstr(t.ch.failures[0].f.message, "for block S:4"));
	tip_teardown(&t);
}

static void test_tip_apply_other_hash_or_bad_block_fails(void **state)
{
	(void)state;
	struct tip_fixture t;
	tip_setup(&t);
	t.p.block_hash = t.h[3]; /* the ledger's block 5 is not the export's */
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	assert_non_null(strstr(t.ch.failures[0].f.message, "block S:5 blockHash expected"));
	tip_teardown(&t);

	tip_setup(&t);
	t.p.self = -1; /* the ledger's block does not self-check */
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	tip_teardown(&t);

	tip_setup(&t);
	t.p = (struct job_block_proof){ .self = -1 }; /* not a block at all */
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_FAILED);
	tip_teardown(&t);
}

static void test_tip_apply_unread_proof_stays_unverified(void **state)
{
	(void)state;
	struct tip_fixture t;
	tip_setup(&t);
	t.p.proof = 0;
	t.p.have_root = false;
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_UNVERIFIED);
	assert_non_null(strstr(t.why, "export ends at block 5, before the digest tip 7"));
	tip_teardown(&t);

	tip_setup(&t); /* "folded" with no root: not trusted */
	t.p.have_root = false;
	job_tip_apply(&t.ch, &t.p, t.why, sizeof t.why);
	assert_int_equal(export_chain_status(&t.ch), EXPORT_STATUS_UNVERIFIED);
	tip_teardown(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job_kind_name_table_is_complete_and_distinct),
		cmocka_unit_test(test_list_keeps_the_newest_and_drops_the_oldest_finished),
		cmocka_unit_test(test_list_never_drops_an_active_job),
		cmocka_unit_test(test_list_update_replaces_by_id_only),
		cmocka_unit_test(test_queue_is_bounded_and_jobs_fail_with_one_line),
		cmocka_unit_test(test_published_values_never_change),
		cmocka_unit_test(test_bad_kind_is_refused_and_stop_accepts_null),
		cmocka_unit_test(test_stop_is_prompt_and_marks_unfinished_jobs_failed),
		cmocka_unit_test(test_messages_and_lines_are_redacted_single_lines),
		cmocka_unit_test(test_lines_stop_at_the_limit_and_say_so),
		cmocka_unit_test(test_store_jobs_is_named_and_not_polled),
		cmocka_unit_test(test_tip_apply_good_answer_verifies),
		cmocka_unit_test(test_tip_apply_proof_to_another_digest_fails),
		cmocka_unit_test(test_tip_apply_answer_for_another_address_fails),
		cmocka_unit_test(test_tip_apply_other_hash_or_bad_block_fails),
		cmocka_unit_test(test_tip_apply_unread_proof_stays_unverified),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
