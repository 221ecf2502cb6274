/*
 * fuzz_export.c - libFuzzer target for what `qldbtop verify-export` and
 * `qldbtop verify-proof` parse from untrusted files: export manifests and
 * data-object keys (export_manifest.c), data objects checked block by block
 * and merged (qldb_block.c, export_object.c, export_chain.c), and proofs,
 * addresses and base64 digests (qldb_proof.c, base64.c).
 *
 * The first input byte picks the mode (byte % FUZZ_MODES), the rest is the
 * payload (from byte 2 in modes 1-3, where byte 1 is the layout), copied
 * into a malloc'd buffer of exactly its size, no NUL, so ASan sees any
 * over-read:
 *   0 manifests: started and completed manifest, every key parsed as
 *     export_run.c's on_key does, plus export_format_detect;
 *   1-3 a data object as ION_TEXT, ION_BINARY (the version marker is put in
 *     front when missing) or JSON: values pulled through the source reader
 *     a few bytes at a time as export_run.c does, each block self-checked,
 *     cut into objects whose key ranges come from byte 1 (blocks per object,
 *     first block, a missing object), and merged with export_chain with a
 *     digest over the block hashes computed independently (qldb_merkle_root);
 *     byte 0 / FUZZ_MODES adds key gaps or overlaps and digest tip defects;
 *   4-6 a proof as verify-proof builds it from a get-block, get-revision or
 *     KVS-sample (bare RevisionHash + BlockAddress) response: NUL-separated
 *     fields LEAF, ADDRESS, PROOF, DIGEST (base64), TIP.
 * Invariants (abort on violation): every message and error is one
 * non-empty line (no control characters); return codes are in their
 * documented sets; a reported block-format failure and the -1 return of
 * qldb_block_check agree; JSON mode never reports a recomputed hash as
 * proven; a clean export from block 0 must verify its own digest; key
 * ranges and base64 round-trip. Any crash, leak, UBSan report, hang or
 * broken invariant is a finding. Run through `make fuzz` / `make fuzz-smoke`
 * (tests/fuzz/run.sh); seeds in tests/fuzz/corpus/fuzz_export/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/base64.h"
#include "verify/export_chain.h"
#include "verify/export_manifest.h"
#include "verify/export_object.h"
#include "verify/qldb_block.h"
#include "verify/qldb_proof.h"

#define FUZZ_MODES 7
#define FUZZ_MAX_BLOCKS 64  /* top-level values read per input: bounds one run */
#define FUZZ_MAX_OBJECTS 16 /* objects one input is cut into */
#define FUZZ_MAX_KEYS 256   /* manifest keys parsed per input */
#define FUZZ_CHUNK_MAX 4093 /* source callback hands out 1..4093 bytes */
#define FUZZ_PROOF_FIELDS 5 /* LEAF, ADDRESS, PROOF, DIGEST, TIP */
#define FUZZ_WHY_MAX 600
/* defects picked by byte 0 / FUZZ_MODES in the object modes */
#define FUZZ_TIP_STRAND 1	    /* the digest tip is on another strand */
#define FUZZ_TIP_PAST_END 2	    /* the tip is after the last block */
#define FUZZ_TIP_ZERO 4		    /* the tip is block 0 (the digest then fails) */
#define FUZZ_KEYS_GAP 8		    /* a block-number gap between object keys */
#define FUZZ_KEYS_OVERLAP 16	    /* consecutive object keys overlap by a block */
#include "tests/fuzz/fuzz_source.h" /* after FUZZ_CHUNK_MAX */

/* -DFUZZ_EXPORT_TRACE prints each input's outcome (to check the seeds). */
#ifdef FUZZ_EXPORT_TRACE
#define fuzz_trace(...) fprintf(stderr, "fuzz_export: " __VA_ARGS__)
#else
#define fuzz_trace(...) ((void)0)
#endif

static const uint8_t FUZZ_IVM[4] = { 0xe0, 0x01, 0x00, 0xea };

/* A broken invariant: say which, then abort so libFuzzer saves the input. */
static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_export: %s%s%.300s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

/* s (in a buffer of cap bytes) must be one non-empty line: NUL-terminated
 * within cap, no control characters (a message is printed on one line to a
 * terminal; input bytes must not smuggle newlines or escapes into it). */
static void fuzz_line(const char *s, size_t cap, const char *what)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		fuzz_fail(what, "message not NUL-terminated");
	if (n == 0)
		fuzz_fail(what, "empty message");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fuzz_fail(what, "message holds a control character");
}

/* ---- reports ------------------------------------------------------------ */

struct fuzz_tally {
	size_t fails, formats, passes, notes;
	enum qldb_check last_fail;
	bool json_proven; /* a recomputed-only check passed in JSON mode */
	enum qldb_mode mode;
};

static void tally_fail(void *ctx, const struct qldb_failure *f)
{
	struct fuzz_tally *t = ctx;
	fuzz_line(f->message, sizeof f->message, "failure");
	if ((unsigned)f->kind >= QLDB_CHECK_COUNT)
		fuzz_fail("failure kind out of range", f->message);
	t->fails++;
	t->formats += f->kind == QLDB_CHECK_FORMAT;
	t->last_fail = f->kind;
}

static void tally_pass(void *ctx, enum qldb_check kind, const char *line)
{
	struct fuzz_tally *t = ctx;
	fuzz_line(line, QLDB_MESSAGE_MAX, "pass line");
	t->passes++;
	if (t->mode == QLDB_MODE_JSON &&
	    (kind == QLDB_CHECK_REVISION_HASH || kind == QLDB_CHECK_TRANSACTION_INFO ||
	     kind == QLDB_CHECK_REDACTION_INFO))
		t->json_proven = true;
}

static void tally_note(void *ctx, const char *line)
{
	struct fuzz_tally *t = ctx;
	fuzz_line(line, QLDB_MESSAGE_MAX, "note line");
	t->notes++;
}

/* ---- mode 0: manifests ---------------------------------------------------- */

struct fuzz_keys {
	size_t n;
};

/* As export_run.c's on_key: NUL-terminate, parse the range; check it. */
static int fuzz_on_key(void *ctx, const char *key, size_t len)
{
	struct fuzz_keys *k = ctx;
	char kbuf[EXPORT_KEY_MAX + 1], again[QLDB_STRAND_MAX + 64];
	struct export_range r, r2;
	if (len == 0 || len > EXPORT_KEY_MAX)
		fuzz_fail("key length out of range", NULL);
	memcpy(kbuf, key, len);
	kbuf[len] = '\0';
	if (export_key_parse(kbuf, len, &r) == 0) {
		size_t sn = strnlen(r.strand, sizeof r.strand);
		if (sn == 0 || sn > QLDB_STRAND_MAX || r.first < 0 || r.last < r.first)
			fuzz_fail("key parsed to a bad range", kbuf);
		if (strchr(r.strand, '/'))
			fuzz_fail("key strand holds a '/'", kbuf);
		/* the range must survive the canonical key shape */
		snprintf(again, sizeof again, "%s.%lld-%lld.ion", r.strand, (long long)r.first,
			 (long long)r.last);
		if (export_key_parse(again, strlen(again), &r2) != 0 || r2.first != r.first ||
		    r2.last != r.last || strcmp(r2.strand, r.strand) != 0)
			fuzz_fail("key range does not round-trip", kbuf);
	}
	return ++k->n >= FUZZ_MAX_KEYS; /* stop: a callback's non-zero ends the walk */
}

static void fuzz_manifests(const uint8_t *p, size_t n)
{
	char why[FUZZ_WHY_MAX];
	enum export_format f = EXPORT_FORMAT_JSON;
	int rc = export_started_parse(p, n, &f, why, sizeof why);
	if (rc != 0 && rc != -1)
		fuzz_fail("export_started_parse: bad return", NULL);
	fuzz_trace("started rc %d format %d%s%s\n", rc, (int)f, rc ? ": " : "", rc ? why : "");
	if (rc)
		fuzz_line(why, sizeof why, "started manifest error");
	else if ((unsigned)f > EXPORT_FORMAT_JSON)
		fuzz_fail("export_started_parse: bad format", NULL);
	struct fuzz_keys k = { 0 };
	rc = export_completed_parse(p, n, fuzz_on_key, &k, why, sizeof why);
	fuzz_trace("completed rc %d, %zu keys%s%s\n", rc, k.n, rc < 0 ? ": " : "",
		   rc < 0 ? why : "");
	if (rc == -1)
		fuzz_line(why, sizeof why, "completed manifest error");
	else if (rc != 0 && rc != 1)
		fuzz_fail("export_completed_parse: bad return", NULL);
	if ((unsigned)export_format_detect(p, n) > EXPORT_FORMAT_JSON)
		fuzz_fail("export_format_detect: bad format", NULL);
}

/* ---- modes 1-3: data objects ------------------------------------------------ */

/* qldb_block_check on its own, with its invariants. */
static void fuzz_block(struct qldb_checker *c, const struct ion_value *v, enum qldb_mode mode,
		       struct qldb_block_result *r)
{
	struct fuzz_tally t = { .mode = mode };
	struct qldb_report rep = { tally_fail, tally_pass, tally_note, &t };
	int rc = qldb_block_check(c, v, mode, &rep, r);
	if (rc == -1) {
		if (t.fails == 0 || t.last_fail != QLDB_CHECK_FORMAT || t.formats != 1)
			fuzz_fail("block check -1 without exactly one final block-format failure",
				  NULL);
	} else if (rc == 0) {
		if (t.formats != 0 || t.fails != r->failures)
			fuzz_fail("block check 0 but failures miscounted", NULL);
		if (r->block_hash.len != 32 || r->addr.seq < 0 || r->recomputed > r->revisions)
			fuzz_fail("block check 0 with a bad result", NULL);
		fuzz_line(r->addr.strand, sizeof r->addr.strand, "block strand");
	} else {
		fuzz_fail("qldb_block_check: bad return", NULL);
	}
	if (t.json_proven)
		fuzz_fail("JSON mode reported a recomputed hash as proven", NULL);
}

static void fuzz_check_object(const struct export_object *o)
{
	if (o->n_failures > EXPORT_OBJECT_MAX_FAILURES || o->n_hashes > o->blocks ||
	    o->recomputed > o->revisions)
		fuzz_fail("object counters inconsistent", NULL);
	for (size_t i = 0; i < o->n_failures; i++)
		fuzz_line(o->failures[i].message, sizeof o->failures[i].message, "object failure");
}

struct fuzz_objects {
	struct export_object o[FUZZ_MAX_OBJECTS];
	char label[FUZZ_MAX_OBJECTS][64];
	bool missing[FUZZ_MAX_OBJECTS];
	size_t n;
};

/* The next object's key range: step 1 follows on, 2 leaves a gap of one
 * block, 0 overlaps the last block. */
static void fuzz_next_range(struct export_range *r, size_t per, int64_t step)
{
	r->first = r->last + step;
	r->last = r->first + (int64_t)per - 1;
}

/* layout (byte 1) shapes the keys; extra (byte 0 / FUZZ_MODES) the digest
 * and key defects (FUZZ_TIP_*, FUZZ_KEYS_*). */
static void fuzz_objects(struct qldb_checker *c, const uint8_t *p, size_t n, uint8_t layout,
			 unsigned extra, enum qldb_mode mode)
{
	static struct fuzz_objects ob;
	size_t per = 1 + (layout & 7);			  /* blocks per object */
	int64_t base = (layout >> 3) & 3;		  /* the first key's first block */
	size_t missing_at = layout & 0x20 ? 1 : SIZE_MAX; /* a key with no object */
	int64_t step = extra & FUZZ_KEYS_GAP ? 2 : extra & FUZZ_KEYS_OVERLAP ? 0 : 1;
	struct fuzz_src src = { .p = p, .len = n, .rng = layout };
	struct ion_reader *rd = ion_reader_open_source(fuzz_read, &src);
	struct export_range r = { .first = base, .last = base + (int64_t)per - 1 };
	struct qldb_hash all[FUZZ_MAX_BLOCKS];
	size_t n_all = 0, fed = 0; /* fed: values given to the current object */
	bool input_error = false;
	int rc = 0;
	if (!rd)
		return;
	memset(&ob, 0, sizeof ob);
	snprintf(r.strand, sizeof r.strand, "S");
	for (size_t i = 0; i < FUZZ_MAX_BLOCKS; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		rc = ion_reader_next(rd, &v, &err);
		if (rc < 0) {
			char m[ION_ERROR_FORMAT_MAX];
			ion_error_format(&err, m, sizeof m);
			fuzz_line(m, sizeof m, "reader error");
			if (ob.n == 0 || (ob.o[0].blocks == 0 && ob.o[0].last_seq < 0))
				input_error = true; /* export_run.c: "not Ion" */
			else
				export_object_truncated(&ob.o[ob.n - 1], m);
			break;
		}
		if (rc == 0)
			break;
		if (i == 0 && v->type != ION_TYPE_STRUCT) {
			input_error = true; /* export_run.c: "not an export data object" */
			break;
		}
		struct qldb_block_result br;
		fuzz_block(c, v, mode, &br);
		if (i == 0 && br.addr.seq >= 0) /* key strand = the first block's */
			snprintf(r.strand, sizeof r.strand, "%s", br.addr.strand);
		if (ob.n == 0 || fed >= per) {
			if (ob.n == FUZZ_MAX_OBJECTS)
				break;
			if (ob.n > 0) {
				export_object_finish(&ob.o[ob.n - 1]);
				fuzz_next_range(&r, per, step);
			}
			if (ob.n == missing_at && ob.n + 1 < FUZZ_MAX_OBJECTS) {
				ob.missing[ob.n] = true;
				export_object_init(&ob.o[ob.n++], c, mode, &r);
				fuzz_next_range(&r, per, step);
			}
			snprintf(ob.label[ob.n], sizeof ob.label[ob.n], "%s.%lld-%lld.ion",
				 r.strand, (long long)r.first, (long long)r.last);
			export_object_init(&ob.o[ob.n++], c, mode, &r);
			fed = 0;
		}
		fed++;
		struct export_object *o = &ob.o[ob.n - 1];
		size_t before = o->n_hashes;
		export_object_block(o, v);
		if (o->n_hashes > before && n_all < FUZZ_MAX_BLOCKS)
			all[n_all++] = o->hashes[o->n_hashes - 1];
	}
	if (rc == 0 && ob.n > 0)
		export_object_finish(&ob.o[ob.n - 1]);
	ion_reader_free(rd);
	if (input_error || ob.n == 0)
		goto out;

	/* merge with a digest over every block hash read, tip = the last */
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address tip = { .seq = n_all ? (int64_t)n_all - 1 : 0 };
	snprintf(tip.strand, sizeof tip.strand, "%s", extra & FUZZ_TIP_STRAND ? "T" : r.strand);
	if (extra & FUZZ_TIP_PAST_END)
		tip.seq = (int64_t)n_all + 1;
	else if (extra & FUZZ_TIP_ZERO)
		tip.seq = 0;
	if (qldb_merkle_root(qldb_checker_sha(c), all, n_all, &digest))
		goto out;
	bool clean = base == 0 && n_all > 0 && rc == 0 && extra == 0;
	export_chain_init(&ch, qldb_checker_sha(c), &digest, &tip);
	for (size_t i = 0; i < ob.n; i++) {
		const struct export_object *o = &ob.o[i];
		fuzz_check_object(o);
		if (ob.missing[i]) {
			export_chain_missing(&ch, &o->range, "missing");
			clean = false;
			continue;
		}
		if (o->n_failures || o->more_failures || o->truncated || !o->contiguous ||
		    o->n_hashes != o->blocks)
			clean = false;
		export_chain_add(&ch, o, ob.label[i]);
	}
	export_chain_finish(&ch);
	fuzz_trace("%zu objects, %llu blocks, %zu failures, digest %d (%s), clean %d\n", ob.n,
		   (unsigned long long)ch.blocks, export_chain_failure_count(&ch),
		   (int)ch.digest_state, ch.digest_why, (int)clean);
	if (export_chain_failure_count(&ch) != ch.n_failures + ch.more_failures ||
	    ch.n_failures > EXPORT_MAX_FAILURES)
		fuzz_fail("chain failure count inconsistent", NULL);
	for (size_t i = 0; i < ch.n_failures; i++) {
		fuzz_line(ch.failures[i].f.message, sizeof ch.failures[i].f.message,
			  "chain failure");
		if (strnlen(ch.failures[i].file, EXPORT_FILE_MAX) == EXPORT_FILE_MAX)
			fuzz_fail("chain failure file not NUL-terminated", NULL);
	}
	if (ch.digest_state == EXPORT_DIGEST_UNVERIFIED)
		fuzz_line(ch.digest_why, sizeof ch.digest_why, "digest why");
	if (clean && ch.n_failures == 0 && ch.digest_state != EXPORT_DIGEST_VERIFIED)
		fuzz_fail("a clean export from block 0 does not verify its own digest",
			  ch.digest_why);
	if (ch.digest_state == EXPORT_DIGEST_VERIFIED && ch.blocks < n_all)
		fuzz_fail("digest verified over fewer blocks than read", NULL);
	export_chain_free(&ch);
out:
	for (size_t i = 0; i < ob.n; i++)
		export_object_free(&ob.o[i]);
}

/* ---- modes 4-6: proofs --------------------------------------------------- */

/* base64: a decoded digest must encode back to its (whitespace-free) text,
 * and any bytes must decode back from their encoding. */
static long fuzz_base64(const char *s, size_t n, uint8_t *out, size_t cap)
{
	long d = base64_decode(s, n, out, cap);
	if (d < -1 || d > (long)cap)
		fuzz_fail("base64_decode: bad return", NULL);
	if (d >= 0 && (size_t)d <= 48) {
		char enc[BASE64_ENCODED_SIZE(48)], strip[BASE64_ENCODED_SIZE(48)];
		uint8_t back[48];
		size_t e = base64_encode(out, (size_t)d, enc), k = 0;
		for (size_t i = 0; i < n && k < sizeof strip - 1; i++)
			if (!strchr(" \t\n\r\v\f", s[i]))
				strip[k++] = s[i];
		strip[k] = '\0';
		if (e != strlen(enc) || strcmp(enc, strip) != 0)
			fuzz_fail("base64 decode is not canonical", enc);
		if (base64_decode(enc, e, back, sizeof back) != d || memcmp(back, out, (size_t)d))
			fuzz_fail("base64 does not round-trip", enc);
	}
	return d;
}

static void fuzz_proof(struct qldb_checker *c, const uint8_t *p, size_t n, int kind)
{
	/* NUL-separated fields, each NUL-terminated as cJSON gives them */
	char *field[FUZZ_PROOF_FIELDS] = { 0 };
	size_t len[FUZZ_PROOF_FIELDS] = { 0 };
	size_t at = 0;
	for (int i = 0; i < FUZZ_PROOF_FIELDS && at <= n; i++) {
		const uint8_t *end = memchr(p + at, 0, n - at);
		len[i] = end ? (size_t)(end - (p + at)) : n - at;
		field[i] = malloc(len[i] + 1);
		if (!field[i])
			goto out;
		memcpy(field[i], p + at, len[i]);
		field[i][len[i]] = '\0';
		at += len[i] + 1;
	}
	for (int i = 0; i < FUZZ_PROOF_FIELDS; i++)
		if (!field[i])
			goto out;
	enum { LEAF, ADDR, PROOF, DIGEST, TIP };
	struct qldb_proof_input in = { 0 };
	uint8_t tmp[48];
	char why[FUZZ_WHY_MAX];
	struct qldb_hash rh = { .len = 32 };
	if (fuzz_base64(field[DIGEST], len[DIGEST], tmp, sizeof tmp) != 32)
		goto out; /* cmd_verify_proof.c: "not a get-digest output" */
	in.digest.len = 32;
	memcpy(in.digest.b, tmp, 32);
	in.tip_text = field[TIP];
	in.tip_len = len[TIP];
	in.proof_text = field[PROOF];
	in.proof_len = len[PROOF];
	if (kind == 0) {
		in.block_text = field[LEAF];
		in.block_len = len[LEAF];
	} else if (kind == 1) {
		in.revision_text = field[LEAF];
		in.revision_len = len[LEAF];
	} else {
		if (fuzz_base64(field[LEAF], len[LEAF], tmp, sizeof tmp) != 32)
			goto out;
		memcpy(rh.b, tmp, 32);
		in.revision_hash = &rh;
		in.address_text = field[ADDR];
		in.address_len = len[ADDR];
	}
	/* the parsers on their own */
	struct qldb_hash proof[QLDB_PROOF_MAX];
	struct qldb_address a;
	int np = qldb_proof_parse(in.proof_text, in.proof_len, proof, QLDB_PROOF_MAX, why,
				  sizeof why);
	if (np < -1 || np > QLDB_PROOF_MAX)
		fuzz_fail("qldb_proof_parse: bad return", NULL);
	if (np < 0)
		fuzz_line(why, sizeof why, "proof parse error");
	if (qldb_address_parse(in.tip_text, in.tip_len, &a, why, sizeof why))
		fuzz_line(why, sizeof why, "address parse error");
	else if (a.seq < 0 || strnlen(a.strand, sizeof a.strand) == 0)
		fuzz_fail("address parsed to a bad value", NULL);
	else
		fuzz_line(a.strand, sizeof a.strand, "address strand");

	struct fuzz_tally t = { .mode = QLDB_MODE_ION };
	struct qldb_report rep = { tally_fail, tally_pass, tally_note, &t };
	int rc = qldb_proof_verify(c, &in, &rep, why, sizeof why);
	fuzz_trace("proof rc %d, %zu failures, %zu passes, %zu notes%s%s\n", rc, t.fails, t.passes,
		   t.notes, rc < 0 ? ": " : "", rc < 0 ? why : "");
	if (rc == -1)
		fuzz_line(why, sizeof why, "proof input error");
	else if (rc == 0 && t.fails != 0)
		fuzz_fail("proof verified with failures reported", NULL);
	else if (rc == 1 && t.fails == 0)
		fuzz_fail("proof failed without a failure reported", NULL);
	else if (rc != 0 && rc != 1)
		fuzz_fail("qldb_proof_verify: bad return", NULL);
	if (t.formats)
		fuzz_fail("a block-format failure was reported as an integrity failure", NULL);
	if (rc == 0 && np >= 0 && t.passes == 0)
		fuzz_fail("proof verified with no proven step", NULL);
out:
	for (int i = 0; i < FUZZ_PROOF_FIELDS; i++)
		free(field[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qldb_checker *c;
	if (!c && !(c = qldb_checker_new()))
		return 0;
	if (size < 2)
		return 0;
	int mode = data[0] % FUZZ_MODES;
	uint8_t layout = data[1];
	unsigned extra = data[0] / FUZZ_MODES;
	const uint8_t *payload = data + (mode >= 1 && mode <= 3 ? 2 : 1);
	size_t plen = size - (size_t)(payload - data);
	bool add_ivm = mode == 2 && (plen < 4 || memcmp(payload, FUZZ_IVM, 4) != 0);
	size_t len = plen + (add_ivm ? 4 : 0);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	if (add_ivm)
		memcpy(buf, FUZZ_IVM, 4);
	if (plen)
		memcpy(buf + (add_ivm ? 4 : 0), payload, plen);
	switch (mode) {
	case 0:
		fuzz_manifests(buf, len);
		break;
	case 1:
	case 2:
		fuzz_objects(c, buf, len, layout, extra, QLDB_MODE_ION);
		break;
	case 3:
		fuzz_objects(c, buf, len, layout, extra, QLDB_MODE_JSON);
		break;
	default:
		fuzz_proof(c, buf, len, mode - 4);
		break;
	}
	free(buf);
	return 0;
}
