/*
 * test_api_auditor.c - the auditor (api/auditor.h) over fetches backed by
 * the endpoint's journal engine (sim/journal.h), including tampered and
 * forked journals and answers a dishonest or broken service could give.
 * Expected results come from what the journal was made to be (intact,
 * tampered at a known block, forked), never from the auditor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auditor.h"
#include "api/qldb_proofs.h"
#include "sim/journal.h"
#include "sim/workload.h"
#include "verify/base64.h"
#include "verify/qldb_proof.h"

#define SEED 11u
#define GENESIS_MS 1700000000000LL
#define STEP_MS 1000
#define EVENTS_MAX 4096

enum mutate {
	MUT_NONE,
	MUT_TRANSPORT,	  /* every GetBlock fails as a transport error */
	MUT_OTHER_BLOCK,  /* answer with block seq+1 (and its own proof) */
	MUT_EXTRA_DIGEST, /* add a "Digest" member holding the old digest */
	MUT_NO_PROOF,	  /* drop Proof */
	MUT_REVISION,	  /* the block text as Revision instead of Block */
	MUT_OLD_JOURNAL,  /* answer from the journal before the fork */
	MUT_NOT_JSON,	  /* a 200 whose body is not JSON (the malformed fault) */
};

struct fx {
	struct sim_journal *j, *old; /* old: a copy of history before a fork */
	struct sim_workload *w;
	int64_t now_ms;
	enum mutate mut;
	bool digest_fails;
	unsigned block_calls;
	size_t n;
	struct audit_event ev[EVENTS_MAX];
};

static struct fx *F;

static int digest_of(struct sim_journal *j, struct qldb_digest *out, struct api_error *err)
{
	struct qldb_hash d;
	int64_t tip;
	assert_int_equal(sim_journal_digest(j, &d, &tip), 0);
	char b64[BASE64_ENCODED_SIZE(32)], json[256];
	base64_encode(d.b, 32, b64);
	snprintf(json, sizeof json,
		 "{\"Digest\":\"%s\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"%s\\\","
		 "sequenceNo:%lld}\"}}",
		 b64, sim_journal_strand(j), (long long)tip);
	return qldb_parse_get_digest(json, strlen(json), out, err);
}

static int ops_digest(void *ctx, const char *ledger, struct qldb_digest *out, struct api_error *err)
{
	struct fx *f = ctx;
	assert_string_equal(ledger, "financial-ledger");
	if (f->digest_fails)
		return api_error_set(err, API_ERR_TRANSPORT, "GetDigest: connect failed");
	return digest_of(f->j, out, err);
}

static char *answer(struct sim_journal *j, int64_t seq, int64_t tip, const char *block_member,
		    bool proof, const char *extra_digest)
{
	size_t len;
	char *text = sim_journal_block_text(j, seq, &len);
	if (!text)
		return NULL;
	struct qldb_hash path[QLDB_PROOF_MAX];
	size_t n = 0;
	if (sim_journal_block_proof(j, seq, tip, path, QLDB_PROOF_MAX, &n)) {
		free(text);
		return NULL;
	}
	char p[QLDB_PROOF_MAX * 52 + 3];
	size_t k = 0;
	p[k++] = '[';
	for (size_t i = 0; i < n; i++) {
		char b[BASE64_ENCODED_SIZE(32)];
		base64_encode(path[i].b, 32, b);
		k += (size_t)snprintf(p + k, sizeof p - k, "%s{{%s}}", i ? "," : "", b);
	}
	snprintf(p + k, sizeof p - k, "]");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, block_member), "IonText", text);
	if (proof)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "Proof"), "IonText", p);
	if (extra_digest)
		cJSON_AddStringToObject(o, "Digest", extra_digest);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	free(text);
	return s;
}

static char old_digest_b64[48];

static int ops_block(void *ctx, const char *ledger, const char *block_ion, const char *tip_ion,
		     char **json, size_t *len, struct api_error *err)
{
	struct fx *f = ctx;
	assert_string_equal(ledger, "financial-ledger");
	f->block_calls++;
	*json = NULL;
	if (f->mut == MUT_TRANSPORT)
		return api_error_set(err, API_ERR_TRANSPORT, "GetBlock: timed out");
	struct qldb_address at, tip;
	char why[QLDB_MESSAGE_MAX];
	assert_int_equal(qldb_address_parse(block_ion, strlen(block_ion), &at, why, sizeof why), 0);
	assert_non_null(tip_ion);
	assert_int_equal(qldb_address_parse(tip_ion, strlen(tip_ion), &tip, why, sizeof why), 0);
	struct sim_journal *j = f->mut == MUT_OLD_JOURNAL ? f->old : f->j;
	if (f->mut == MUT_NOT_JSON) {
		*json = strdup("<html>oops");
		*len = strlen(*json);
		return 0;
	}
	int64_t seq = at.seq;
	if (f->mut == MUT_OTHER_BLOCK && seq + 1 <= tip.seq)
		seq++;
	if (tip.seq >= (int64_t)sim_journal_block_count(j) || seq > tip.seq)
		return api_error_set(err, API_ERR_SERVICE,
				     "GetBlock: InvalidParameterException: not a block (HTTP 400)");
	*json = answer(j, seq, tip.seq, f->mut == MUT_REVISION ? "Revision" : "Block",
		       f->mut != MUT_NO_PROOF, f->mut == MUT_EXTRA_DIGEST ? old_digest_b64 : NULL);
	assert_non_null(*json);
	*len = strlen(*json);
	return 0;
}

static const struct audit_ops sim_ops = { .get_digest = ops_digest, .get_block = ops_block };

static void on_event(void *ctx, const struct audit_event *e)
{
	struct fx *f = ctx;
	assert_true(f->n < EVENTS_MAX);
	/* every event is one line with a known kind and result */
	assert_null(strchr(e->message, '\n'));
	assert_string_equal(e->ledger, "financial-ledger");
	f->ev[f->n++] = *e;
}

static uint64_t fixed_rand(void *ctx)
{
	uint64_t *s = ctx;
	return (*s)++;
}
static uint64_t rand_state;

static double fixed_now(void)
{
	return 1700000000.0;
}

static struct auditor *auditor_make(struct fx *f, unsigned budget, unsigned samples)
{
	struct api_error err;
	struct audit_config cfg = { .ledger = "financial-ledger",
				    .ops = &sim_ops,
				    .ops_ctx = f,
				    .emit = on_event,
				    .emit_ctx = f,
				    .budget = budget,
				    .samples = samples,
				    .samples_off = samples == 0,
				    .rand = fixed_rand,
				    .rand_ctx = &rand_state,
				    .now = fixed_now };
	struct auditor *a = auditor_new(&cfg, &err);
	assert_non_null(a);
	return a;
}

static void grow(struct fx *f, int blocks)
{
	char err[SIM_ERR_MAX];
	for (int i = 0; i < blocks; i++) {
		f->now_ms += STEP_MS;
		assert_true(sim_workload_step(f->w, f->now_ms, err, sizeof err) >= 0);
	}
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[SIM_ERR_MAX];
	f->j = sim_workload_build(SEED, GENESIS_MS, 12, STEP_MS, err, sizeof err);
	assert_non_null(f->j);
	f->w = sim_workload_resume(f->j, SEED, err, sizeof err);
	assert_non_null(f->w);
	f->now_ms = GENESIS_MS + 100 * STEP_MS;
	rand_state = 0;
	F = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sim_workload_free(f->w);
	sim_journal_free(f->j);
	sim_journal_free(f->old);
	free(f);
	return 0;
}

static size_t count(const struct fx *f, enum audit_kind k, enum audit_result r)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->ev[i].kind == k && f->ev[i].result == r;
	return n;
}

static const struct audit_event *find(const struct fx *f, enum audit_kind k, enum audit_result r)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->ev[i].kind == k && f->ev[i].result == r)
			return &f->ev[i];
	return NULL;
}

static void test_clean_journal_is_verified_and_never_failed(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 40, 3);
	assert_int_equal(auditor_round(a), 0);
	/* the first digest has nothing before it: UNVERIFIED, not VERIFIED */
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_UNVERIFIED), 1);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	grow(f, 3);
	assert_int_equal(auditor_round(a), 0);
	grow(f, 2);
	assert_int_equal(auditor_round(a), 0);
	for (int k = 0; k < AUDIT_KIND_COUNT; k++)
		assert_int_equal(count(f, k, AUDIT_FAILED), 0);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 2);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_VERIFIED);
	assert_int_equal(e->seq, 12);
	assert_int_equal(e->seq_to, 15);
	assert_string_equal(e->strand, sim_journal_strand(f->j));
	assert_true(count(f, AUDIT_BLOCK_SELF_CHECK, AUDIT_VERIFIED) > 10);
	assert_true(count(f, AUDIT_CHAIN, AUDIT_VERIFIED) > 10);
	assert_int_equal(count(f, AUDIT_SAMPLE_PROOF, AUDIT_VERIFIED), 9);
	/* the first round's sweep walked 0..12 whole: the digest recomputed */
	bool merkle = false;
	for (size_t i = 0; i < f->n; i++)
		if (f->ev[i].kind == AUDIT_CHAIN && f->ev[i].seq == 0 && f->ev[i].seq_to == 12) {
			assert_int_equal(f->ev[i].result, AUDIT_VERIFIED);
			assert_non_null(strstr(f->ev[i].message, "Merkle(blockHash 0..12)"));
			assert_string_equal(f->ev[i].expected, f->ev[i].computed);
			merkle = true;
		}
	assert_true(merkle);
	struct audit_summary s;
	auditor_summary(a, &s);
	assert_true(s.has_tip);
	assert_int_equal(s.tip_seq, 17);
	assert_int_equal(s.rounds, 3);
	assert_int_equal(s.counts[AUDIT_FAILED], 0);
	assert_int_equal(s.walked_to, 17);
	assert_int_equal(s.unwalked, 0);
	auditor_free(a);
}

static void test_transport_error_makes_checks_unverified_never_failed_or_verified(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 20, 3);
	auditor_round(a);
	grow(f, 3);
	f->n = 0;
	f->mut = MUT_TRANSPORT;
	auditor_round(a);
	assert_true(f->n > 0);
	for (size_t i = 0; i < f->n; i++)
		assert_int_equal(f->ev[i].result, AUDIT_UNVERIFIED);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_UNVERIFIED);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "timed out"));
	/* the anchor stayed: once the network is back, 12 -> 18 is proven */
	f->mut = MUT_NONE;
	grow(f, 3);
	f->n = 0;
	auditor_round(a);
	e = find(f, AUDIT_CONTINUITY, AUDIT_VERIFIED);
	assert_non_null(e);
	assert_int_equal(e->seq, 12);
	assert_int_equal(e->seq_to, 18);
	auditor_free(a);
}

static void test_a_getdigest_error_is_one_unverified_event(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 20, 3);
	f->digest_fails = true;
	assert_int_equal(auditor_round(a), API_ERR_TRANSPORT);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->ev[0].kind, AUDIT_CONTINUITY);
	assert_int_equal(f->ev[0].result, AUDIT_UNVERIFIED);
	assert_int_equal(f->block_calls, 0);
	auditor_free(a);
}

static void test_malformed_answers_are_unverified(void **state)
{
	struct fx *f = *state;
	static const enum mutate muts[] = { MUT_NOT_JSON, MUT_NO_PROOF, MUT_REVISION };
	for (size_t m = 0; m < sizeof muts / sizeof muts[0]; m++) {
		f->n = 0;
		struct auditor *a = auditor_make(f, 20, 3);
		auditor_round(a);
		grow(f, 1);
		f->mut = muts[m];
		f->n = 0;
		auditor_round(a);
		f->mut = MUT_NONE;
		assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_UNVERIFIED), 1);
		for (size_t i = 0; i < f->n; i++)
			assert_int_not_equal(f->ev[i].result, AUDIT_VERIFIED);
		auditor_free(a);
	}
}

static void test_budget_limits_getblock_calls_and_the_rest_is_walked_later(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 10, 2);
	auditor_round(a);
	grow(f, 30); /* tip 12 -> 42 */
	f->block_calls = 0;
	f->n = 0;
	auditor_round(a);
	assert_int_equal(f->block_calls, 10);
	/* 2 for continuity, 2 samples kept aside: 6 walked (13..18) */
	assert_int_equal(count(f, AUDIT_CHAIN, AUDIT_VERIFIED), 6);
	const struct audit_event *e = find(f, AUDIT_CHAIN, AUDIT_UNVERIFIED);
	assert_non_null(e);
	assert_int_equal(e->seq, 19);
	assert_int_equal(e->seq_to, 42);
	struct audit_summary s;
	auditor_summary(a, &s);
	assert_int_equal(s.walked_to, 18);
	assert_int_equal(s.unwalked, 24);
	/* the next round (same tip: continuity needs no GetBlock) continues
	 * at 19, linked to 18: 8 walked, 2 samples */
	f->block_calls = 0;
	f->n = 0;
	auditor_round(a);
	assert_int_equal(f->block_calls, 10);
	assert_int_equal(count(f, AUDIT_CHAIN, AUDIT_VERIFIED), 8);
	assert_int_equal(count(f, AUDIT_CHAIN, AUDIT_FAILED), 0);
	auditor_summary(a, &s);
	assert_int_equal(s.walked_to, 26);
	assert_int_equal(s.unwalked, 16);
	auditor_free(a);
}

static void test_tip_going_backwards_fails(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 20, 0);
	struct qldb_digest d5, d3;
	struct api_error err;
	grow(f, 3);
	assert_int_equal(digest_of(f->j, &d5, &err), 0); /* tip 15 */
	char dj[256];
	snprintf(dj, sizeof dj,
		 "{\"Digest\":\"%s\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"%s\\\","
		 "sequenceNo:3}\"}}",
		 d5.digest_b64, d5.strand_id);
	assert_int_equal(qldb_parse_get_digest(dj, strlen(dj), &d3, &err), 0);
	auditor_round_digest(a, &d5);
	f->n = 0;
	auditor_round_digest(a, &d3);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_FAILED);
	assert_non_null(e);
	assert_int_equal(e->seq, 15);
	assert_int_equal(e->seq_to, 3);
	assert_non_null(strstr(e->message, "backwards"));
	auditor_free(a);
}

static void test_equal_tips_need_equal_digests(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 20, 0);
	struct qldb_digest d, other;
	struct api_error err;
	assert_int_equal(digest_of(f->j, &d, &err), 0);
	auditor_round_digest(a, &d);
	f->n = 0;
	auditor_round_digest(a, &d);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 1);
	other = d;
	other.digest[0] ^= 1;
	f->n = 0;
	auditor_round_digest(a, &other);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_FAILED);
	assert_non_null(e);
	assert_string_equal(e->expected, d.digest_b64);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	auditor_free(a);
}

static void test_a_fork_fails_continuity(void **state)
{
	struct fx *f = *state;
	char err[SIM_ERR_MAX];
	struct auditor *a = auditor_make(f, 20, 0);
	grow(f, 4); /* tip 16 */
	auditor_round(a);
	assert_int_equal(sim_journal_fork(f->j, 10, err, sizeof err), 0);
	sim_workload_free(f->w);
	f->w = sim_workload_resume(f->j, SEED, err, sizeof err);
	assert_non_null(f->w);
	grow(f, 3); /* tip 13: behind the old tip */
	f->n = 0;
	auditor_round(a);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_FAILED), 1);
	grow(f, 8); /* tip 21: past it, with another history */
	f->n = 0;
	auditor_round(a);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_FAILED);
	assert_non_null(e);
	assert_int_equal(e->seq, 16);
	assert_int_equal(e->seq_to, 21);
	assert_true(e->expected[0] && e->computed[0]);
	assert_string_not_equal(e->expected, e->computed);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	auditor_free(a);
}

static void test_a_tampered_block_fails_its_self_check_naming_it(void **state)
{
	struct fx *f = *state;
	char err[SIM_ERR_MAX];
	struct auditor *a = auditor_make(f, 40, 0);
	auditor_round(a);
	assert_int_equal(count(f, AUDIT_BLOCK_SELF_CHECK, AUDIT_FAILED), 0);
	assert_int_equal(sim_journal_tamper(f->j, 5, err, sizeof err), 0);
	f->n = 0;
	grow(f, 1);
	auditor_round(a); /* the sweep covers 0..13 within the budget */
	assert_int_equal(count(f, AUDIT_BLOCK_SELF_CHECK, AUDIT_FAILED), 1);
	const struct audit_event *e = find(f, AUDIT_BLOCK_SELF_CHECK, AUDIT_FAILED);
	assert_int_equal(e->seq, 5);
	assert_string_equal(e->strand, sim_journal_strand(f->j));
	assert_true(e->expected[0] && e->computed[0]);
	assert_string_not_equal(e->expected, e->computed);
	auditor_free(a);
}

/* Attacks: answers that try to make continuity pass on a changed history. */
static void test_a_different_block_than_asked_is_never_verified(void **state)
{
	struct fx *f = *state;
	struct auditor *a = auditor_make(f, 20, 0);
	auditor_round(a); /* tip 12 */
	grow(f, 3);
	f->mut = MUT_OTHER_BLOCK; /* block 13 with a valid proof, for 12 */
	f->n = 0;
	auditor_round(a);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	const struct audit_event *e = find(f, AUDIT_CONTINUITY, AUDIT_FAILED);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "asked for block"));
	/* walked blocks answered with the next one fail; only the tip (which
	 * has no next block, so the answer is honest) is verified */
	assert_true(count(f, AUDIT_CHAIN, AUDIT_FAILED) >= 2);
	for (size_t i = 0; i < f->n; i++)
		if (f->ev[i].kind == AUDIT_CHAIN && f->ev[i].result == AUDIT_VERIFIED)
			assert_int_equal(f->ev[i].seq, 15);
	auditor_free(a);
}

static void test_a_digest_inside_the_answer_is_ignored(void **state)
{
	struct fx *f = *state;
	char err[SIM_ERR_MAX];
	struct auditor *a = auditor_make(f, 20, 0);
	grow(f, 4);
	struct qldb_digest d;
	struct api_error aerr;
	assert_int_equal(digest_of(f->j, &d, &aerr), 0);
	snprintf(old_digest_b64, sizeof old_digest_b64, "%s", d.digest_b64);
	auditor_round(a); /* tip 16 */
	assert_int_equal(sim_journal_fork(f->j, 10, err, sizeof err), 0);
	sim_workload_free(f->w);
	f->w = sim_workload_resume(f->j, SEED, err, sizeof err);
	grow(f, 10);
	f->mut = MUT_EXTRA_DIGEST; /* "Digest": the digest the auditor had */
	f->n = 0;
	auditor_round(a);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_FAILED), 1);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	auditor_free(a);
}

static void test_old_blocks_replayed_against_a_new_digest_fail(void **state)
{
	/* a server that answers from the old history (which proves against
	 * the old digest) while publishing digests of the new one */
	struct fx *f = *state;
	char err[SIM_ERR_MAX];
	f->old = sim_workload_build(SEED, GENESIS_MS, 12, STEP_MS, err, sizeof err);
	struct sim_workload *ow = sim_workload_resume(f->old, SEED, err, sizeof err);
	int64_t t = f->now_ms;
	for (int i = 0; i < 8; i++) {
		t += STEP_MS;
		assert_true(sim_workload_step(ow, t, err, sizeof err) >= 0);
	}
	sim_workload_free(ow);
	grow(f, 4); /* f->j and f->old agree up to 16 */
	struct auditor *a = auditor_make(f, 20, 0);
	auditor_round(a);
	assert_int_equal(sim_journal_fork(f->j, 10, err, sizeof err), 0);
	sim_workload_free(f->w);
	f->w = sim_workload_resume(f->j, SEED, err, sizeof err);
	grow(f, 8); /* new tip 18; old journal has 20 */
	f->mut = MUT_OLD_JOURNAL;
	f->n = 0;
	auditor_round(a);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_FAILED), 1);
	assert_int_equal(count(f, AUDIT_CONTINUITY, AUDIT_VERIFIED), 0);
	auditor_free(a);
}

static void test_names_of_kinds_and_results(void **state)
{
	(void)state;
	assert_string_equal(audit_kind_name(AUDIT_CONTINUITY), "continuity");
	assert_string_equal(audit_kind_name(AUDIT_BLOCK_SELF_CHECK), "block-self-check");
	assert_string_equal(audit_kind_name(AUDIT_CHAIN), "chain");
	assert_string_equal(audit_kind_name(AUDIT_SAMPLE_PROOF), "sample-proof");
	assert_string_equal(audit_kind_name(AUDIT_VAULT), "vault");
	assert_string_equal(audit_result_name(AUDIT_VERIFIED), "VERIFIED");
	assert_string_equal(audit_result_name(AUDIT_FAILED), "FAILED");
	assert_string_equal(audit_result_name(AUDIT_UNVERIFIED), "UNVERIFIED");
}

static void test_bad_config_is_refused(void **state)
{
	(void)state;
	struct api_error err;
	struct audit_config cfg = { .ledger = "../x", .ops = &sim_ops };
	assert_null(auditor_new(&cfg, &err));
	assert_int_equal(err.status, API_ERR_CONFIG);
	struct audit_ops none = { 0 };
	cfg.ledger = "financial-ledger";
	cfg.ops = &none;
	assert_null(auditor_new(&cfg, &err));
}

/* GetBlock/GetRevision refuse what the model would, before any request
 * (the client is never touched: NULL here). */
static void test_proof_calls_check_their_parameters_before_sending(void **state)
{
	(void)state;
	char *json = (char *)1;
	size_t len = 1;
	struct api_error err;
	const char *at = "{strandId:\"Mwj53rcv36Gm3ojI4VzOgY\",sequenceNo:5}";
	assert_int_equal(qldb_get_block(NULL, "../x", at, NULL, &json, &len, &err), API_ERR_CONFIG);
	assert_null(json);
	assert_int_equal(len, 0);
	assert_int_equal(
		qldb_get_block(NULL, "financial-ledger", "{strandId:1}", NULL, &json, &len, &err),
		API_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "BlockAddress"));
	assert_int_equal(qldb_get_block(NULL, "financial-ledger", at, "[1]", &json, &len, &err),
			 API_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "DigestTipAddress"));
	assert_int_equal(qldb_get_block(NULL, "financial-ledger", NULL, NULL, &json, &len, &err),
			 API_ERR_CONFIG);
	assert_int_equal(
		qldb_get_revision(NULL, "financial-ledger", at, "short", at, &json, &len, &err),
		API_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "DocumentId"));
	assert_int_equal(qldb_get_revision(NULL, "financial-ledger", at, "0123456789abcdefghij!!",
					   at, &json, &len, &err),
			 API_ERR_CONFIG);
	assert_int_equal(qldb_get_revision(NULL, "financial-ledger", at, "0123456789abcdefghijKL",
					   NULL, &json, &len, &err),
			 API_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "DigestTipAddress"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_journal_is_verified_and_never_failed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_transport_error_makes_checks_unverified_never_failed_or_verified,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_getdigest_error_is_one_unverified_event,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_answers_are_unverified, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_budget_limits_getblock_calls_and_the_rest_is_walked_later, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_tip_going_backwards_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_tips_need_equal_digests, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_fork_fails_continuity, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_tampered_block_fails_its_self_check_naming_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_different_block_than_asked_is_never_verified,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_digest_inside_the_answer_is_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_old_blocks_replayed_against_a_new_digest_fail,
						setup, teardown),
		cmocka_unit_test(test_names_of_kinds_and_results),
		cmocka_unit_test(test_bad_config_is_refused),
		cmocka_unit_test(test_proof_calls_check_their_parameters_before_sending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
