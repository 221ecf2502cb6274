/*
 * export_object.c - streaming checks over one export data object (see
 * export_object.h).
 */
#include "export_object.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void export_object_init(struct export_object *o, struct qldb_checker *checker, enum qldb_mode mode,
			const struct export_range *range)
{
	memset(o, 0, sizeof *o);
	o->checker = checker;
	o->mode = mode;
	o->range = *range;
	o->contiguous = true;
	o->first_seq = o->last_seq = -1;
	o->first_unproven_seq = -1;
}

static void add_failure(struct export_object *o, const struct qldb_failure *f)
{
	if (o->n_failures >= EXPORT_OBJECT_MAX_FAILURES) {
		o->more_failures++;
		return;
	}
	if (!o->failures) {
		o->failures = malloc(EXPORT_OBJECT_MAX_FAILURES * sizeof *o->failures);
		if (!o->failures) {
			o->more_failures++;
			return;
		}
	}
	o->failures[o->n_failures++] = *f;
}

void export_object_fail(struct export_object *o, enum qldb_check kind, int64_t seq, const char *fmt,
			...)
{
	struct qldb_failure f = { .kind = kind, .seq = seq };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof f.message, fmt, ap);
	va_end(ap);
	add_failure(o, &f);
}

static void on_fail(void *ctx, const struct qldb_failure *f)
{
	add_failure(ctx, f);
}

static void push_hash(struct export_object *o, const struct qldb_hash *h)
{
	if (o->n_hashes == o->cap_hashes) {
		size_t cap = o->cap_hashes ? o->cap_hashes * 2 : 1024;
		struct qldb_hash *p = NULL;
		if (cap <= EXPORT_OBJECT_MAX_BLOCKS)
			p = realloc(o->hashes, cap * sizeof *p);
		if (!p) {
			/* the digest can no longer be computed from this object */
			o->contiguous = false;
			return;
		}
		o->hashes = p;
		o->cap_hashes = cap;
	}
	o->hashes[o->n_hashes++] = *h;
}

/* "block A" or "blocks A-B", and the verb's number. */
static const char *seq_range(char *out, size_t cap, long long a, long long b)
{
	if (a == b)
		snprintf(out, cap, "block %lld is", a);
	else
		snprintf(out, cap, "blocks %lld-%lld are", a, b);
	return out;
}

#define GAP_MASK_BLOCKS 64 /* bits in export_gap.filled */

/* Whether seq is a block of gap g that has not come yet. */
static bool gap_wants(const struct export_gap *g, int64_t seq)
{
	if (seq < g->first || seq > g->last)
		return false;
	if (g->last - g->first < GAP_MASK_BLOCKS)
		return !(g->filled >> (seq - g->first) & 1);
	return seq == g->next;
}

/* Block seq came late, into a gap reported missing: rewrite that gap's
 * failure to say what is known now (the failure's seq stays the first
 * block of the gap). Returns whether seq filled a gap. */
static bool gap_fill(struct export_object *o, int64_t seq)
{
	for (size_t i = 0; i < o->n_gaps; i++) {
		struct export_gap *g = &o->gaps[i];
		if (!gap_wants(g, seq))
			continue;
		long long a = g->first, b = g->last, lo, hi, missing;
		if (b - a < GAP_MASK_BLOCKS) {
			g->filled |= (uint64_t)1 << (seq - a);
			/* the missing ones: the lowest, the highest, how many */
			lo = -1;
			hi = -1;
			missing = 0;
			for (long long k = a; k <= b; k++)
				if (!(g->filled >> (k - a) & 1)) {
					lo = lo < 0 ? k : lo;
					hi = k;
					missing++;
				}
		} else {
			g->next++;
			lo = g->next;
			hi = b;
			missing = b - g->next + 1;
		}
		struct qldb_failure *f = &o->failures[g->failure];
		char r1[64], r2[64];
		if (missing == 0)
			snprintf(f->message, sizeof f->message,
				 "sequence: %s out of order: %s after block %lld",
				 seq_range(r1, sizeof r1, a, b), a == b ? "it comes" : "they come",
				 b + 1);
		else if (missing == hi - lo + 1)
			snprintf(f->message, sizeof f->message,
				 "sequence: %s missing: block %lld follows block %lld (the rest of "
				 "%s out of order, after it)",
				 seq_range(r1, sizeof r1, lo, hi), b + 1, a - 1,
				 seq_range(r2, sizeof r2, a, b));
		else
			snprintf(
				f->message, sizeof f->message,
				"sequence: %lld of %s missing (the first %lld): block %lld follows "
				"block %lld, the others came later, out of order",
				missing, seq_range(r2, sizeof r2, a, b), lo, b + 1, a - 1);
		return true;
	}
	return false;
}

void export_object_block(struct export_object *o, const struct ion_value *v)
{
	struct qldb_report rep = { .fail = on_fail, .ctx = o };
	struct qldb_block_result r;
	int64_t expect = o->last_seq >= 0 ? o->last_seq + 1 : o->range.first;
	if (qldb_block_check(o->checker, v, o->mode, &rep, &r) != 0) {
		/* unreadable block: its position is the expected sequence number */
		if (o->n_failures > 0 && o->failures[o->n_failures - 1].seq < 0)
			o->failures[o->n_failures - 1].seq = expect;
		o->contiguous = false;
		o->have_last_hash = false;
		o->last_seq = expect;
		return;
	}
	o->blocks++;
	o->revisions += r.revisions;
	o->recomputed += r.recomputed;
	o->redacted += r.redacted;
	o->hash_only += r.hash_only;
	o->unproven += r.unproven;
	if (r.unproven && o->first_unproven_seq < 0)
		o->first_unproven_seq = r.addr.seq;
	if (strcmp(r.addr.strand, o->range.strand) != 0)
		export_object_fail(o, QLDB_CHECK_SEQUENCE, r.addr.seq,
				   "sequence: block %s:%lld is on strand %s, but the object key "
				   "names strand %s",
				   r.addr.strand, (long long)r.addr.seq, r.addr.strand,
				   o->range.strand);
	if (o->last_seq < 0) {
		o->first_seq = r.addr.seq;
		o->first_prev = r.previous_hash;
		if (r.addr.seq != o->range.first) {
			int64_t s = r.addr.seq > o->range.first ? o->range.first : r.addr.seq;
			export_object_fail(o, QLDB_CHECK_RANGE, s,
					   "range: the object's first block is %lld, but its key "
					   "says %lld",
					   (long long)r.addr.seq, (long long)o->range.first);
			o->contiguous = false;
		}
	} else if (r.addr.seq != expect) {
		o->contiguous = false;
		if (r.addr.seq > expect) {
			size_t before = o->n_failures;
			export_object_fail(o, QLDB_CHECK_SEQUENCE, expect,
					   "sequence: block%s %lld%s missing: block %lld follows "
					   "block %lld",
					   r.addr.seq - expect > 1 ? "s" : "", (long long)expect,
					   r.addr.seq - expect > 1 ? "..." : " is",
					   (long long)r.addr.seq, (long long)o->last_seq);
			/* remember the gap: blocks that fill it later were out of
			 * order, not missing, and the message is rewritten then */
			if (o->n_failures > before && o->n_gaps < EXPORT_OBJECT_MAX_GAPS)
				o->gaps[o->n_gaps++] = (struct export_gap){
					.first = expect,
					.last = r.addr.seq - 1,
					.next = expect,
					.filled = 0,
					.failure = before,
				};
		} else if (gap_fill(o, r.addr.seq)) {
			/* the chain goes on from the block before this one, which
			 * came in order: the next block is checked against that */
			push_hash(o, &r.block_hash);
			return;
		} else {
			export_object_fail(o, QLDB_CHECK_SEQUENCE, expect,
					   "sequence: expected block %lld after block %lld, found "
					   "block %lld (out of order or repeated)",
					   (long long)expect, (long long)o->last_seq,
					   (long long)r.addr.seq);
		}
	} else {
		/* the chain link inside the object */
		const struct qldb_hash *prev = &o->last_hash;
		if (o->have_last_hash && !qldb_hash_equal(prev, &r.previous_hash)) {
			char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
			export_object_fail(o, QLDB_CHECK_CHAIN_LINK, r.addr.seq,
					   "chain-link: block %s:%lld previousBlockHash expected "
					   "%s (blockHash of block %lld) computed %s",
					   r.addr.strand, (long long)r.addr.seq,
					   qldb_hash_b64(prev, e), (long long)o->last_seq,
					   qldb_hash_b64(&r.previous_hash, g));
		}
	}
	o->last_seq = r.addr.seq;
	o->last_hash = r.block_hash;
	o->have_last_hash = true;
	push_hash(o, &r.block_hash);
}

void export_object_truncated(struct export_object *o, const char *what)
{
	int64_t at = o->last_seq >= 0 ? o->last_seq + 1 : o->range.first;
	o->truncated = true;
	o->contiguous = false;
	export_object_fail(o, QLDB_CHECK_TRUNCATED, at,
			   "truncated-object: the object ends or is corrupt at block %lld (key "
			   "range %lld-%lld): %s",
			   (long long)at, (long long)o->range.first, (long long)o->range.last,
			   what);
}

void export_object_finish(struct export_object *o)
{
	if (o->truncated)
		return;
	if (o->last_seq < 0) {
		o->contiguous = false;
		export_object_fail(o, QLDB_CHECK_RANGE, o->range.first,
				   "range: the object holds no block, but its key names blocks "
				   "%lld-%lld",
				   (long long)o->range.first, (long long)o->range.last);
		return;
	}
	if (o->last_seq < o->range.last) {
		o->contiguous = false;
		export_object_fail(o, QLDB_CHECK_RANGE, o->last_seq + 1,
				   "range: the object ends at block %lld, but its key says %lld",
				   (long long)o->last_seq, (long long)o->range.last);
	} else if (o->last_seq > o->range.last) {
		o->contiguous = false;
		export_object_fail(o, QLDB_CHECK_RANGE, o->range.last + 1,
				   "range: the object goes on to block %lld, but its key ends at "
				   "%lld",
				   (long long)o->last_seq, (long long)o->range.last);
	}
}

void export_object_free(struct export_object *o)
{
	free(o->hashes);
	free(o->failures);
	o->hashes = NULL;
	o->failures = NULL;
}
