/*
 * datalog.h - the endpoint's durable append-only log: records with
 * checksums, written and fdatasync'd before an append returns, recovered
 * at open. One file per log; the journal (sim/journal.h) keeps a ledger's
 * blocks in one, the world (sim/world.h) the registry's snapshots in
 * another. Pure POSIX, no library beyond libc and pthreads.
 *
 * Format (little-endian, written byte by byte, no padding):
 *   file header, 24 bytes: "QLDBTOP-LOG\n", version u32 (1), reserved u32
 *     (0), CRC-32C of the 20 bytes before it
 *   records, each: magic u32 0x5244544c (bytes "LTDR"), type u32, length
 *     u32, CRC-32C of the data u32, CRC-32C of these 16 header bytes u32,
 *     then length bytes of data (at most SIM_DATALOG_MAX_RECORD)
 *
 * Recovery at open:
 *   - a missing file is created (fsync'd with its directory) and reports
 *     nothing; an existing empty file, or one holding only a prefix of the
 *     header followed by nothing or zeros (a crash while it was created), is
 *     initialised afresh and reported in rep->note;
 *   - any other file whose header is not exactly ours is refused and never
 *     written: "PATH: not a qldbtop data log" (another file, or another
 *     format version), or "PATH: corrupt file header at byte 0 (...)";
 *   - records are replayed in order until a bad spot: a header or data
 *     checksum that fails, a length over the limit, or a record that runs
 *     past the end of the file;
 *   - if a valid record (magic, header checksum, data inside the file, data
 *     checksum) starts anywhere after the bad spot, the damage is in the
 *     middle: the open fails with "PATH: corrupt record at byte N (why; a
 *     valid record follows at byte M); refusing to serve a damaged log",
 *     and the file is left byte for byte as it was;
 *   - otherwise it is a torn tail (a write cut short by a crash, or bytes
 *     the file was extended by but that were never written, e.g. zeros):
 *     the file is truncated to the end of its last valid record, fsync'd,
 *     and reported in rep->truncated_bytes and rep->note ("PATH: torn tail
 *     of N bytes at byte M removed (...)").
 * The replay callback sees only records before the bad spot, and sees them
 * before the verdict: when the open then fails, the caller must discard
 * what it built from them. Appends go after the last valid record.
 *
 * The start-up scan maps the file read-only and is linear in its size
 * (the search after a bad spot too). A file that another process shrinks
 * during the scan would raise SIGBUS; the lock below keeps qldbtop itself
 * from doing so.
 *
 * An exclusive flock (LOCK_EX|LOCK_NB) guards the file: a second opener,
 * another process or another open in this one (flock belongs to the open
 * file description), is refused with "PATH: in use (...)".
 *
 * Errors: functions that fail return NULL or -1 and write one line (no
 * newline) naming the path, and a byte offset where there is one, into
 * err[0..cap) (err may be NULL). A replay callback that fails writes its
 * own err; open passes it on unchanged.
 *
 * Thread-safe: appends take the log's mutex; reads use pread and the
 * mutex only to learn the end. Ownership: sim_datalog_open allocates,
 * sim_datalog_close closes (releasing the lock) and frees; data passed to
 * callbacks is borrowed for the call; sim_datalog_read's *data is the
 * caller's to free.
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
 * (may be NULL) is filled on success and on failure. NULL with a one-line
 * err naming the path on failure. */
struct sim_datalog *sim_datalog_open(const char *path, sim_datalog_replay_fn fn, void *ctx,
				     struct sim_datalog_report *rep, char *err, size_t cap);
/* Append one record (data may be NULL when len is 0) and make it durable
 * (write, then fdatasync) before returning 0. On failure (ENOSPC, EIO,
 * over SIM_DATALOG_MAX_RECORD, ...) nothing partial stays (the file is cut
 * back to its previous end) and -1 is returned with err; if even that cut
 * fails, the log refuses every later append until it is reopened (whose
 * recovery then removes the partial record as a torn tail). *offset (may
 * be NULL) gets the record's position. */
int sim_datalog_append(struct sim_datalog *d, uint32_t type, const void *data, size_t len,
		       uint64_t *offset, char *err, size_t cap);
/* Read back and check (both checksums) the record at offset, as given by
 * the replay or an append. *data is malloc'd (the caller frees; non-NULL
 * even for 0 bytes). Returns 0, or -1 with err and *data NULL. */
int sim_datalog_read(struct sim_datalog *d, uint64_t offset, uint32_t *type, uint8_t **data,
		     size_t *len, char *err, size_t cap);
/* The end of the last valid record: the file's size. */
uint64_t sim_datalog_size(struct sim_datalog *d);
void sim_datalog_close(struct sim_datalog *d); /* NULL is fine */

/* CRC-32C (Castagnoli) of p[0..n), continuing from crc (0 to start). */
uint32_t sim_crc32c(uint32_t crc, const void *p, size_t n);

#endif
