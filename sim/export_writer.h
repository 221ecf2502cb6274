/*
 * export_writer.h - a QLDB journal export to S3 as QLDB wrote it
 * (shared/docs/qldb-verification.md §5): the started manifest
 * <prefix><exportId>.started.manifest, data objects
 * <prefix>yyyy/mm/dd/hh/<strandId>.<first>-<last>.<ion|json> with the
 * blocks whose time lies in [start, end), and the completed manifest
 * <prefix><exportId>.<strandId>.completed.manifest ({keys:[...]} in
 * order), all in the requested format: ION_TEXT, ION_BINARY, or JSON
 * (JSON Lines, down-converted: sim/ion_json.h). Blocks are written as the
 * journal holds them now (a redacted revision shows its dataHash).
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef QLDBTOP_SIM_EXPORT_WRITER_H
#define QLDBTOP_SIM_EXPORT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"
#include "sim/s3.h"

#define SIM_EXPORT_BLOCKS_PER_OBJECT 64

struct sim_export_spec {
	const char *ledger, *export_id, *bucket, *prefix; /* prefix may be "" */
	const char *format;				  /* "ION_TEXT", "ION_BINARY" or "JSON" */
	const char *encryption;				  /* ObjectEncryptionType, as given */
	int64_t start_ms, end_ms;
	size_t blocks_per_object; /* 0: SIM_EXPORT_BLOCKS_PER_OBJECT */
};

/* Write the export. Returns 0; 1 when the bucket does not exist (nothing
 * written: the export fails as QLDB's did); -1 with err. */
int sim_export_write(struct sim_journal *j, struct sim_s3 *s3, const struct sim_export_spec *spec,
		     char *err, size_t cap);

#endif
