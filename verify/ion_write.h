/*
 * ion_write.h - Ion writers: text (compact, as QLDB prints it) and binary
 * (with a local symbol table).
 *
 * Text: one value per call, appended to out without a trailing newline, in
 * the compact form QLDB uses: {blockAddress:{strandId:"…",sequenceNo:1},…}.
 * Symbols and field names are written bare when they are identifiers and
 * not keywords, quoted otherwise; symbols with unknown text are written as
 * $N (only valid when read back with the same symbol table), $0 as $0.
 * Timestamps are written in their local offset with exactly their precision.
 *
 * Binary: a writer object collects values; ion_binary_writer_finish appends
 * the version marker, one local symbol table holding every symbol used, and
 * the values. Ownership: _new allocates, _free releases; values passed to
 * _add are encoded at once and need not outlive the call.
 */
#ifndef QLDBTOP_VERIFY_ION_WRITE_H
#define QLDBTOP_VERIFY_ION_WRITE_H

#include "buf.h"
#include "ion.h"

int ion_write_text(struct buf *out, const struct ion_value *v, struct ion_error *err);

struct ion_binary_writer;
struct ion_binary_writer *ion_binary_writer_new(void);
void ion_binary_writer_free(struct ion_binary_writer *w);
int ion_binary_writer_add(struct ion_binary_writer *w, const struct ion_value *v,
			  struct ion_error *err);
/* Append IVM + LST + all values added so far to out, then start afresh. */
int ion_binary_writer_finish(struct ion_binary_writer *w, struct buf *out, struct ion_error *err);

#endif
