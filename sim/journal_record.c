/*
 * journal_record.c - the journal's log records (see journal_record.h).
 */
#include "sim/journal_record.h"

#include <stdio.h>
#include <string.h>

static int put_u64(struct buf *b, uint64_t v)
{
	uint8_t x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	return buf_append(b, x, 8);
}

static int put_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	return buf_append(b, x, 4);
}

/* A cursor over a record's bytes; any short read sets bad. */
struct cursor {
	const uint8_t *p;
	size_t n, at;
	int bad;
};

static const uint8_t *take(struct cursor *c, size_t k)
{
	if (c->bad || c->n - c->at < k) {
		c->bad = 1;
		return NULL;
	}
	const uint8_t *r = c->p + c->at;
	c->at += k;
	return r;
}

static uint64_t get_u64(struct cursor *c)
{
	const uint8_t *x = take(c, 8);
	uint64_t v = 0;
	for (int i = 7; x && i >= 0; i--)
		v = (v << 8) | x[i];
	return v;
}

static uint32_t get_u32(struct cursor *c)
{
	const uint8_t *x = take(c, 4);
	uint32_t v = 0;
	for (int i = 3; x && i >= 0; i--)
		v = (v << 8) | x[i];
	return v;
}

static int bad(char *why, size_t cap, const char *what)
{
	snprintf(why, cap, "%s", what);
	return -1;
}

int sim_journal_header_encode(struct buf *b, const struct sim_journal_header_rec *h)
{
	int rc = put_u64(b, h->seed);
	return rc ? rc : buf_append(b, h->strand, SIM_ID_LEN);
}

int sim_journal_header_decode(const uint8_t *p, size_t n, struct sim_journal_header_rec *h,
			      char *why, size_t cap)
{
	struct cursor c = { p, n, 0, 0 };
	h->seed = get_u64(&c);
	const uint8_t *s = take(&c, SIM_ID_LEN);
	if (c.bad || c.at != n)
		return bad(why, cap, "journal header record has the wrong length");
	memcpy(h->strand, s, SIM_ID_LEN);
	h->strand[SIM_ID_LEN] = '\0';
	for (size_t i = 0; i < SIM_ID_LEN; i++) {
		char ch = h->strand[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z')))
			return bad(why, cap, "journal header record: strand id is not base62");
	}
	return 0;
}

int sim_journal_block_encode(struct buf *b, const struct sim_journal_block_rec *r)
{
	const struct sim_block_info *in = &r->info;
	if (r->text_len > UINT32_MAX || r->aux_len > UINT32_MAX || in->block_hash.len != 32 ||
	    in->entries_hash.len != 32)
		return -1;
	int rc = put_u64(b, (uint64_t)in->seq);
	rc = rc ? rc : put_u64(b, (uint64_t)in->time_ms);
	rc = rc ? rc : put_u64(b, r->rng_state);
	rc = rc ? rc : buf_append(b, in->block_hash.b, 32);
	rc = rc ? rc : buf_append(b, in->entries_hash.b, 32);
	rc = rc ? rc : buf_append_byte(b, in->previous_hash.len);
	rc = rc ? rc : buf_append(b, in->previous_hash.b, in->previous_hash.len);
	rc = rc ? rc : put_u32(b, (uint32_t)r->text_len);
	rc = rc ? rc : buf_append(b, r->text, r->text_len);
	rc = rc ? rc : put_u32(b, (uint32_t)r->aux_len);
	rc = rc ? rc : buf_append(b, r->aux, r->aux_len);
	rc = rc ? rc : buf_append_byte(b, r->has_redaction ? 1 : 0);
	if (r->has_redaction) {
		rc = rc ? rc : put_u64(b, (uint64_t)r->redact_seq);
		rc = rc ? rc : buf_append(b, r->redact_doc, SIM_ID_LEN);
		rc = rc ? rc : put_u64(b, (uint64_t)r->redact_version);
	}
	return rc;
}

int sim_journal_block_decode(const uint8_t *p, size_t n, struct sim_journal_block_rec *r, char *why,
			     size_t cap)
{
	struct cursor c = { p, n, 0, 0 };
	memset(r, 0, sizeof *r);
	struct sim_block_info *in = &r->info;
	in->seq = (int64_t)get_u64(&c);
	in->time_ms = (int64_t)get_u64(&c);
	r->rng_state = get_u64(&c);
	const uint8_t *bh = take(&c, 32), *eh = take(&c, 32), *pl = take(&c, 1);
	if (c.bad)
		return bad(why, cap, "block record is cut short");
	if (*pl != 0 && *pl != 32)
		return bad(why, cap, "block record: previousBlockHash is neither 0 nor 32 bytes");
	const uint8_t *ph = take(&c, *pl);
	uint32_t tl = get_u32(&c);
	const uint8_t *text = take(&c, tl);
	uint32_t al = get_u32(&c);
	const uint8_t *aux = take(&c, al);
	const uint8_t *flag = take(&c, 1);
	if (flag && *flag == 1) {
		r->has_redaction = 1;
		r->redact_seq = (int64_t)get_u64(&c);
		const uint8_t *doc = take(&c, SIM_ID_LEN);
		r->redact_version = (int64_t)get_u64(&c);
		if (doc)
			memcpy(r->redact_doc, doc, SIM_ID_LEN);
	} else if (flag && *flag != 0) {
		return bad(why, cap, "block record: bad redaction flag");
	}
	if (c.bad || c.at != n)
		return bad(why, cap, "block record has the wrong length");
	if (in->seq < 0 || (r->has_redaction && (r->redact_seq < 0 || r->redact_seq >= in->seq)))
		return bad(why, cap, "block record: bad sequence number");
	in->block_hash.len = in->entries_hash.len = 32;
	memcpy(in->block_hash.b, bh, 32);
	memcpy(in->entries_hash.b, eh, 32);
	in->previous_hash.len = *pl;
	memcpy(in->previous_hash.b, ph, *pl);
	r->text = (const char *)text;
	r->text_len = tl;
	r->aux = aux;
	r->aux_len = al;
	return 0;
}
