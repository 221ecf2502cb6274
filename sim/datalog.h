/*
 * datalog.h - the endpoint's durable append-only log: records with
 * checksums, written and fdatasync'd before an append returns, recovered
 * at open. One file per log; the journal (sim/journal.h) keeps a ledger's
 * blocks in one, the world (sim/world.h) the registry's snapshots in
 * another.
 *
 * Format (little-endian, written byte by byte):
 *   file header, 24 bytes: "QLDBTOP-LOG\n", version u32 (1), reserved u32
 *     (0), CRC-32C of the 20 bytes before it
 *   records, each: magic u32 0x5244544c ("LTDR"), type u32, length u32,
 *     CRC-32C of the data u32, CRC-32C of these 16 header bytes u32, then
 *     length bytes of data (at most SIM_DATALOG_MAX_RECORD)
 *
 * Recovery at open:
 *   - a missing or empty file, or one cut short inside its header (a crash
 *     while it was created), is (re)initialised; a complete header that is
 *     not ours is refused and never overwritten;
 *   - records are replayed in order until a bad spot: a header or data
 *     checksum that fails, or a record that runs past the end of the file;
 *   - if a valid record starts anywhere after the bad spot, the damage is
 *     in the middle: the open fails naming the byte offset, and the file is
 *     left as it is (never served, never "repaired" by truncation);
 *   - otherwise it is a torn tail (a write cut short by a crash, or bytes
 *     the file was extended by but that were never written): the file is
 *     truncated to its last valid record, fsync'd, and reported.
 * The replay callback sees only records before the bad spot; when the open
 * then fails, the caller discards what it built from them.
 *
 * An exclusive flock guards the file: a second opener (another process, or
 * another open in this one) is refused.
 *
 * Thread-safe: appends and reads take the log's mutex. Ownership:
 * sim_datalog_open allocates, sim_datalog_close closes and frees; data
 * passed to callbacks is borrowed for the call.
 */
#ifndef QLDBTOP_SIM_DATALOG_H
#define QLDBTOP_SIM_DATALOG_H

#include <stddef.h>
#include <stdint.h>

#define SIM_DATALOG_MAX_RECORD (16u << 20) /* bytes of data per record */
#define SIM_DATALOG_HEADER 24		   /* file header bytes */
#define SIM_DATALOG_RECORD_HEADER 20	   /* record header bytes */

struct sim_datalog;

struct sim_datalog_report {
	uint64_t records;	  /* valid records replayed */
	uint64_t bytes;		  /* file size after recovery */
	uint64_t truncated_bytes; /* torn tail removed at open (0 if none) */
	char note[256];		  /* one line describing what recovery did, "" if nothing */
};

/* Called once per valid record, in file order, during open. data is
 * borrowed for the call; offset is the record's position (for
 * sim_datalog_read). Return 0 to go on, or non-zero (err filled) to abort
 * the open. */
typedef int (*sim_datalog_replay_fn)(void *ctx, uint32_t type, const uint8_t *data, size_t len,
				     uint64_t offset, char *err, size_t cap);

/* Open or create (mode 0600, fsync'd with its directory) the log at path,
 * lock it, replay it through fn (may be NULL) and recover as above. rep
 * may be NULL. NULL with a one-line err naming the path on failure. */
struct sim_datalog *sim_datalog_open(const char *path, sim_datalog_replay_fn fn, void *ctx,
				     struct sim_datalog_report *rep, char *err, size_t cap);
/* Append one record and make it durable (write, then fdatasync) before
 * returning 0. On failure nothing partial stays (the file is cut back to
 * its previous end) and -1 is returned with err. *offset (may be NULL)
 * gets the record's position. */
int sim_datalog_append(struct sim_datalog *d, uint32_t type, const void *data, size_t len,
		       uint64_t *offset, char *err, size_t cap);
/* Read back and check the record at offset. *data is malloc'd (the caller
 * frees). Returns 0 or -1 with err. */
int sim_datalog_read(struct sim_datalog *d, uint64_t offset, uint32_t *type, uint8_t **data,
		     size_t *len, char *err, size_t cap);
uint64_t sim_datalog_size(struct sim_datalog *d);
void sim_datalog_close(struct sim_datalog *d); /* NULL is fine */

/* CRC-32C (Castagnoli) of p[0..n), continuing from crc (0 to start). */
uint32_t sim_crc32c(uint32_t crc, const void *p, size_t n);

#endif
