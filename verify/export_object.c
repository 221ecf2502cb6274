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
	o->gap_failure = -1;
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
			export_object_fail(o, QLDB_CHECK_SEQUENCE, expect,
					   "sequence: block%s %lld%s missing: block %lld follows "
					   "block %lld",
					   r.addr.seq - expect > 1 ? "s" : "", (long long)expect,
					   r.addr.seq - expect > 1 ? "..." : " is",
					   (long long)r.addr.seq, (long long)o->last_seq);
			/* remember the gap: a block that fills it later was out of
			 * order, not missing, and the message is rewritten then */
			o->gap_first = expect;
			o->gap_last = r.addr.seq - 1;
			o->gap_failure =
				o->n_failures > 0 && o->failures[o->n_failures - 1].seq == expect
					? (long)o->n_failures - 1
					: -1;
		} else if (o->gap_failure >= 0 && r.addr.seq >= o->gap_first &&
			   r.addr.seq <= o->gap_last) {
			struct qldb_failure *f = &o->failures[o->gap_failure];
			snprintf(f->message, sizeof f->message,
				 "sequence: block %lld is out of order: it comes after block %lld "
				 "instead of before block %lld",
				 (long long)r.addr.seq, (long long)o->last_seq,
				 (long long)o->gap_last + 1);
			f->seq = o->gap_first;
			o->gap_failure = -1; /* one rewrite per gap */
			/* the chain goes on from the block before it, which came
			 * in order: the next block is checked against that one */
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
