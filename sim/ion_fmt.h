/*
 * ion_fmt.h - append pieces of compact Ion text (as QLDB prints blocks) to
 * a struct buf: quoted strings, field names, millisecond UTC timestamps,
 * decimals from cents, blobs of hashes and block addresses. The journal
 * writes each value as text once, then parses that text with the verify/
 * reader to hash it, so what is stored and what is hashed cannot drift.
 * Every function returns 0, or a negative enum ion_status from buf.h.
 */
#ifndef QLDBTOP_SIM_ION_FMT_H
#define QLDBTOP_SIM_ION_FMT_H

#include <stdint.h>

#include "verify/buf.h"
#include "verify/qldb_hash.h"

/* "text" with Ion escapes for ", \ and control characters (UTF-8 passes). */
int sim_ion_string(struct buf *b, const char *s);
/* name: bare when it is an Ion identifier and not a keyword, else 'quoted'. */
int sim_ion_field(struct buf *b, const char *name);
/* 2024-05-01T12:00:00.123Z from milliseconds since the epoch (UTC). */
int sim_ion_timestamp_ms(struct buf *b, int64_t ms);
/* Decimal with two fraction digits from an amount in cents: 1234.50. */
int sim_ion_decimal_cents(struct buf *b, int64_t cents);
/* {{base64}}; an empty hash gives {{}}. */
int sim_ion_blob(struct buf *b, const struct qldb_hash *h);
/* {strandId:"…",sequenceNo:N} */
int sim_ion_address(struct buf *b, const char *strand, int64_t seq);

#endif
