/*
 * datalog.c - the durable append-only log (format and recovery in
 * datalog.h). The file is mapped read-only for the start-up scan, so the
 * search for a valid record after a bad spot is one pass over memory;
 * appends and reads use pwrite/pread on the descriptor.
 */
#include "sim/datalog.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/fail.h"

#define DATALOG_MAGIC "QLDBTOP-LOG\n"
#define DATALOG_MAGIC_LEN 12
#define DATALOG_VERSION 1u
#define DATALOG_RECORD_MAGIC 0x5244544cu
#define DATALOG_PATH_MAX 512

struct sim_datalog {
	int fd;
	pthread_mutex_t mu;
	uint64_t end; /* the end of the last valid record: where appends go */
	bool broken;  /* an append failed and could not be cut back: no more appends */
	char path[DATALOG_PATH_MAX];
};

/* ---- CRC-32C ------------------------------------------------------------ */

/* Slicing-by-8 (Intel's method): eight 256-entry tables let the loop fold
 * eight bytes per step, several times faster than a byte at a time, which
 * matters when a start-up scan checks a log of a few GB. */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1; /* reflected Castagnoli */
		crc_table[0][i] = c;
	}
	for (int t = 1; t < 8; t++)
		for (int i = 0; i < 256; i++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^
					  crc_table[0][crc_table[t - 1][i] & 0xff];
}

uint32_t sim_crc32c(uint32_t crc, const void *p, size_t n)
{
	pthread_once(&crc_once, crc_init);
	const uint8_t *b = p;
	crc = ~crc;
	for (; n >= 8; b += 8, n -= 8) {
		/* explicit little-endian loads: no alignment or byte-order assumption */
		uint32_t lo = crc ^ ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
				     (uint32_t)b[3] << 24);
		uint32_t hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
			      (uint32_t)b[7] << 24;
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
	}
	for (; n; b++, n--)
		crc = crc_table[0][(crc ^ *b) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- encoding ----------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void file_header(uint8_t h[SIM_DATALOG_HEADER])
{
	memcpy(h, DATALOG_MAGIC, DATALOG_MAGIC_LEN);
	put32(h + 12, DATALOG_VERSION);
	put32(h + 16, 0);
	put32(h + 20, sim_crc32c(0, h, 20));
}

static void record_header(uint8_t h[SIM_DATALOG_RECORD_HEADER], uint32_t type, const void *data,
			  size_t len)
{
	put32(h, DATALOG_RECORD_MAGIC);
	put32(h + 4, type);
	put32(h + 8, (uint32_t)len);
	put32(h + 12, sim_crc32c(0, data, len));
	put32(h + 16, sim_crc32c(0, h, 16));
}

/* Why the bytes at a record position are not a record. One table gives
 * the words of the "corrupt record" and "torn tail" messages. */
enum datalog_bad {
	BAD_NONE,
	BAD_SHORT_HEADER,
	BAD_ZEROS,
	BAD_MAGIC,
	BAD_HEADER_CRC,
	BAD_LENGTH,
	BAD_PAST_END,
	BAD_DATA_CRC,
};

static const char *const datalog_bad_text[] = {
	[BAD_NONE] = "valid",
	[BAD_SHORT_HEADER] = "its header is cut short",
	[BAD_ZEROS] = "zero bytes where a record should start",
	[BAD_MAGIC] = "no record magic",
	[BAD_HEADER_CRC] = "its header checksum fails",
	[BAD_LENGTH] = "its length is over the limit",
	[BAD_PAST_END] = "it runs past the end of the file",
	[BAD_DATA_CRC] = "its data checksum fails",
};

/* Check the record at p[off..size): BAD_NONE and its data length in *len,
 * or why it is not a whole, valid record. */
static enum datalog_bad datalog_check(const uint8_t *p, uint64_t size, uint64_t off, uint32_t *len)
{
	if (size - off < SIM_DATALOG_RECORD_HEADER)
		return BAD_SHORT_HEADER;
	const uint8_t *h = p + off;
	if (get32(h) != DATALOG_RECORD_MAGIC)
		return get32(h) == 0 ? BAD_ZEROS : BAD_MAGIC;
	if (get32(h + 16) != sim_crc32c(0, h, 16))
		return BAD_HEADER_CRC;
	*len = get32(h + 8);
	if (*len > SIM_DATALOG_MAX_RECORD)
		return BAD_LENGTH;
	if (size - off - SIM_DATALOG_RECORD_HEADER < *len)
		return BAD_PAST_END;
	if (get32(h + 12) != sim_crc32c(0, h + SIM_DATALOG_RECORD_HEADER, *len))
		return BAD_DATA_CRC;
	return BAD_NONE;
}

/* The first valid record starting after byte from, or UINT64_MAX. memmem
 * jumps between candidate magics and the header checksum rejects nearly
 * every false one before any data is summed, so this is one pass. */
static uint64_t datalog_next_valid(const uint8_t *p, uint64_t size, uint64_t from)
{
	uint8_t m[4];
	uint32_t len;
	put32(m, DATALOG_RECORD_MAGIC);
	for (uint64_t off = from + 1; off + SIM_DATALOG_RECORD_HEADER <= size; off++) {
		const uint8_t *hit = memmem(p + off, size - off, m, 4);
		if (!hit)
			break;
		off = (uint64_t)(hit - p);
		if (datalog_check(p, size, off, &len) == BAD_NONE)
			return off;
	}
	return UINT64_MAX;
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- file header ---------------------------------------------------------- */

enum datalog_header_kind {
	HEADER_OURS,	/* the header this build writes */
	HEADER_TORN,	/* a prefix of it, then only zeros to the end of the file */
	HEADER_VERSION, /* our magic and a valid checksum, another version */
	HEADER_DAMAGED, /* our magic, but the checksum fails */
	HEADER_FOREIGN, /* anything else: some other file */
};

/* Classify a file by its first bytes. A crash while the file was created
 * leaves a prefix of our header (or nothing), perhaps followed by zeros if
 * the size reached the disk before the data; records are only ever written
 * after the header was fsync'd, so anything non-zero after a torn header
 * is not a creation cut short and is refused rather than overwritten. */
static enum datalog_header_kind datalog_header_kind(const uint8_t *p, uint64_t size)
{
	uint8_t want[SIM_DATALOG_HEADER];
	file_header(want);
	if (size >= SIM_DATALOG_HEADER && memcmp(p, want, SIM_DATALOG_HEADER) == 0)
		return HEADER_OURS;
	size_t k = 0;
	while (k < size && k < SIM_DATALOG_HEADER && p[k] == want[k])
		k++;
	if (all_zero(p + k, size - k))
		return HEADER_TORN;
	if (size < SIM_DATALOG_HEADER || memcmp(p, want, DATALOG_MAGIC_LEN) != 0)
		return HEADER_FOREIGN;
	return get32(p + 20) == sim_crc32c(0, p, 20) ? HEADER_VERSION : HEADER_DAMAGED;
}

/* ---- open --------------------------------------------------------------- */

static int sync_dir(const char *path)
{
	char copy[DATALOG_PATH_MAX];
	snprintf(copy, sizeof copy, "%s", path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = fsync(dfd);
	close(dfd);
	return rc;
}

static int write_all(int fd, const void *p, size_t n, uint64_t off)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t w = pwrite(fd, b, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		if (w <= 0)
			return -1;
		b += w, n -= (size_t)w, off += (uint64_t)w;
	}
	return 0;
}

/* A new log, or one whose creation a crash cut short: just the header,
 * durable with its directory entry before anything is appended. */
static int datalog_initialise(struct sim_datalog *d, char *err, size_t cap)
{
	uint8_t h[SIM_DATALOG_HEADER];
	file_header(h);
	if (ftruncate(d->fd, 0) != 0 || write_all(d->fd, h, sizeof h, 0) != 0 ||
	    fsync(d->fd) != 0 || sync_dir(d->path) != 0)
		return sim_fail(err, cap, "%s: cannot initialise the log: %s", d->path,
				strerror(errno));
	d->end = SIM_DATALOG_HEADER;
	return 0;
}

/* Cut a torn tail at off, durably, and say so in the report. */
static int datalog_cut_tail(struct sim_datalog *d, uint64_t off, uint64_t size,
			    enum datalog_bad why, struct sim_datalog_report *rep, char *err,
			    size_t cap)
{
	rep->truncated_bytes = size - off;
	snprintf(rep->note, sizeof rep->note,
		 "%.150s: torn tail of %llu bytes at byte %llu removed (a write cut short by a "
		 "crash: %s)",
		 d->path, (unsigned long long)(size - off), (unsigned long long)off,
		 datalog_bad_text[why]);
	if (ftruncate(d->fd, (off_t)off) != 0 || fsync(d->fd) != 0)
		return sim_fail(err, cap, "%s: cannot remove the torn tail at byte %llu: %s",
				d->path, (unsigned long long)off, strerror(errno));
	return 0;
}

/* Replay records from the header on; set d->end; decide torn tail or
 * damage in the middle at the first bad spot. Writes to the file only to
 * cut a torn tail. */
static int datalog_scan(struct sim_datalog *d, const uint8_t *p, uint64_t size,
			sim_datalog_replay_fn fn, void *ctx, struct sim_datalog_report *rep,
			char *err, size_t cap)
{
	uint64_t off = SIM_DATALOG_HEADER;
	enum datalog_bad why = BAD_NONE;
	uint32_t len = 0;
	while (off < size && (why = datalog_check(p, size, off, &len)) == BAD_NONE) {
		const uint8_t *h = p + off;
		err[0] = '\0';
		if (fn && fn(ctx, get32(h + 4), h + SIM_DATALOG_RECORD_HEADER, len, off, err, cap))
			return err[0] ? -1
				      : sim_fail(err, cap, "%s: replay stopped at byte %llu",
						 d->path, (unsigned long long)off);
		rep->records++;
		off += SIM_DATALOG_RECORD_HEADER + (uint64_t)len;
	}
	d->end = off;
	if (off == size)
		return 0;
	uint64_t next = datalog_next_valid(p, size, off);
	if (next != UINT64_MAX)
		return sim_fail(err, cap,
				"%s: corrupt record at byte %llu (%s; a valid record follows at "
				"byte %llu); refusing to serve a damaged log",
				d->path, (unsigned long long)off, datalog_bad_text[why],
				(unsigned long long)next);
	return datalog_cut_tail(d, off, size, why, rep, err, cap);
}

/* Judge the header of a mapped, non-empty file, then scan or initialise. */
static int datalog_recover(struct sim_datalog *d, const uint8_t *p, uint64_t size,
			   sim_datalog_replay_fn fn, void *ctx, struct sim_datalog_report *rep,
			   char *err, size_t cap)
{
	switch (datalog_header_kind(p, size)) {
	case HEADER_OURS:
		return datalog_scan(d, p, size, fn, ctx, rep, err, cap);
	case HEADER_TORN:
		snprintf(rep->note, sizeof rep->note,
			 "%.150s: a log whose creation was cut short (%llu bytes) started afresh",
			 d->path, (unsigned long long)size);
		return datalog_initialise(d, err, cap);
	case HEADER_VERSION:
		return sim_fail(err, cap,
				"%s: not a qldbtop data log of this version (format %u; this build "
				"reads %u)",
				d->path, get32(p + 12), DATALOG_VERSION);
	case HEADER_DAMAGED:
		return sim_fail(
			err, cap,
			"%s: corrupt file header at byte 0 (its checksum fails); refusing to "
			"serve a damaged log",
			d->path);
	case HEADER_FOREIGN:
		break;
	}
	return sim_fail(err, cap, "%s: not a qldbtop data log", d->path);
}

/* The start-up scan maps the file read-only: one pass over memory, no
 * buffer management, and the page cache streams a file of a few GB. */
static int datalog_load(struct sim_datalog *d, bool created, sim_datalog_replay_fn fn, void *ctx,
			struct sim_datalog_report *rep, char *err, size_t cap)
{
	struct stat st;
	if (fstat(d->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return sim_fail(err, cap, "%s: not a regular file", d->path);
	uint64_t size = (uint64_t)st.st_size;
	if (size == 0) {
		if (!created) /* created but never written: the crash came first */
			snprintf(rep->note, sizeof rep->note,
				 "%.150s: an empty log (its creation was cut short) started afresh",
				 d->path);
		return datalog_initialise(d, err, cap);
	}
	if (size > SIZE_MAX)
		return sim_fail(err, cap, "%s: too large to map", d->path);
	void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, d->fd, 0);
	if (map == MAP_FAILED)
		return sim_fail(err, cap, "%s: cannot map the log: %s", d->path, strerror(errno));
	int rc = datalog_recover(d, map, size, fn, ctx, rep, err, cap);
	munmap(map, (size_t)size);
	return rc;
}

/* Open the file, creating it (0600) if absent; *created tells the two
 * apart, so an existing empty file can be reported as a creation cut
 * short. O_NONBLOCK: a FIFO planted at the path must not hang the open
 * (it is then refused as not a regular file). */
static int datalog_open_fd(const char *path, bool *created)
{
	const int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	for (int tries = 0; tries < 2; tries++) { /* twice: it may vanish in between */
		int fd = open(path, flags | O_CREAT | O_EXCL, 0600);
		*created = fd >= 0;
		if (fd >= 0 || errno != EEXIST)
			return fd;
		fd = open(path, flags);
		if (fd >= 0 || errno != ENOENT)
			return fd;
	}
	return -1;
}

struct sim_datalog *sim_datalog_open(const char *path, sim_datalog_replay_fn fn, void *ctx,
				     struct sim_datalog_report *rep, char *err, size_t cap)
{
	struct sim_datalog_report scratch;
	rep = rep ? rep : &scratch;
	memset(rep, 0, sizeof *rep);
	if (strlen(path) >= DATALOG_PATH_MAX) {
		sim_fail(err, cap, "data log path too long (%zu bytes, at most %d)", strlen(path),
			 DATALOG_PATH_MAX - 1);
		return NULL;
	}
	struct sim_datalog *d = calloc(1, sizeof *d);
	if (!d) {
		sim_fail(err, cap, "%s: out of memory", path);
		return NULL;
	}
	snprintf(d->path, sizeof d->path, "%s", path);
	pthread_mutex_init(&d->mu, NULL);
	bool created = false;
	d->fd = datalog_open_fd(path, &created);
	if (d->fd < 0) {
		sim_fail(err, cap, "%s: cannot open: %s", path, strerror(errno));
	} else if (flock(d->fd, LOCK_EX | LOCK_NB) != 0) {
		sim_fail(err, cap, "%s: in use (locked by another open of this log)", path);
	} else if (datalog_load(d, created, fn, ctx, rep, err, cap) == 0) {
		rep->bytes = d->end;
		return d;
	}
	sim_datalog_close(d);
	return NULL;
}

/* ---- append and read ---------------------------------------------------- */

/* Write header and data at the end and fdatasync; on failure cut the file
 * back to where it was. Called with the mutex held. */
static int datalog_write_record(struct sim_datalog *d, const uint8_t *h, const void *data,
				size_t len, char *err, size_t cap)
{
	uint64_t at = d->end;
	if (write_all(d->fd, h, SIM_DATALOG_RECORD_HEADER, at) == 0 &&
	    write_all(d->fd, data, len, at + SIM_DATALOG_RECORD_HEADER) == 0 &&
	    fdatasync(d->fd) == 0) {
		d->end = at + SIM_DATALOG_RECORD_HEADER + len;
		return 0;
	}
	int rc = sim_fail(err, cap, "%s: cannot append at byte %llu: %s", d->path,
			  (unsigned long long)at, strerror(errno));
	if (ftruncate(d->fd, (off_t)at) != 0) { /* nothing partial may stay */
		d->broken = true;
		rc = sim_fail(err, cap,
			      "%s: an append at byte %llu failed and cannot be undone: %s", d->path,
			      (unsigned long long)at, strerror(errno));
	}
	return rc;
}

int sim_datalog_append(struct sim_datalog *d, uint32_t type, const void *data, size_t len,
		       uint64_t *offset, char *err, size_t cap)
{
	if (len > SIM_DATALOG_MAX_RECORD)
		return sim_fail(err, cap, "%s: a record of %zu bytes exceeds the limit of %u",
				d->path, len, SIM_DATALOG_MAX_RECORD);
	uint8_t h[SIM_DATALOG_RECORD_HEADER];
	record_header(h, type, data, len); /* the checksums are summed outside the lock */
	pthread_mutex_lock(&d->mu);
	uint64_t at = d->end;
	int rc = d->broken ? sim_fail(err, cap,
				      "%s: an earlier append could not be undone; the log takes "
				      "no more records until it is reopened",
				      d->path)
			   : datalog_write_record(d, h, data, len, err, cap);
	pthread_mutex_unlock(&d->mu);
	if (rc == 0 && offset)
		*offset = at;
	return rc;
}

static int read_all(int fd, void *p, size_t n, uint64_t off)
{
	uint8_t *b = p;
	while (n) {
		ssize_t r = pread(fd, b, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r, n -= (size_t)r, off += (uint64_t)r;
	}
	return 0;
}

/* Is [offset, offset + n) inside the valid records? (No overflow for any
 * offset a caller passes.) */
static bool datalog_within(uint64_t offset, uint64_t n, uint64_t end)
{
	return offset >= SIM_DATALOG_HEADER && offset <= end && end - offset >= n;
}

int sim_datalog_read(struct sim_datalog *d, uint64_t offset, uint32_t *type, uint8_t **data,
		     size_t *len, char *err, size_t cap)
{
	uint8_t h[SIM_DATALOG_RECORD_HEADER];
	*data = NULL;
	*len = 0;
	uint64_t end = sim_datalog_size(d);
	if (!datalog_within(offset, sizeof h, end) || read_all(d->fd, h, sizeof h, offset) != 0 ||
	    get32(h) != DATALOG_RECORD_MAGIC || get32(h + 16) != sim_crc32c(0, h, 16) ||
	    get32(h + 8) > SIM_DATALOG_MAX_RECORD ||
	    !datalog_within(offset, sizeof h + (uint64_t)get32(h + 8), end))
		return sim_fail(err, cap, "%s: no valid record at byte %llu", d->path,
				(unsigned long long)offset);
	uint32_t n = get32(h + 8);
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		return sim_fail(err, cap, "%s: out of memory", d->path);
	if (read_all(d->fd, p, n, offset + sizeof h) != 0 || get32(h + 12) != sim_crc32c(0, p, n)) {
		free(p);
		return sim_fail(err, cap, "%s: the record at byte %llu fails its checksum", d->path,
				(unsigned long long)offset);
	}
	*type = get32(h + 4);
	*data = p;
	*len = n;
	return 0;
}

uint64_t sim_datalog_size(struct sim_datalog *d)
{
	pthread_mutex_lock(&d->mu);
	uint64_t n = d->end;
	pthread_mutex_unlock(&d->mu);
	return n;
}

void sim_datalog_close(struct sim_datalog *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd); /* releases the flock */
	pthread_mutex_destroy(&d->mu);
	free(d);
}
