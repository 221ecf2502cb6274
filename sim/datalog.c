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
	char path[DATALOG_PATH_MAX];
};

/* ---- CRC-32C ------------------------------------------------------------ */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t sim_crc32c(uint32_t crc, const void *p, size_t n)
{
	pthread_once(&crc_once, crc_init);
	const uint8_t *b = p;
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ b[i]) & 0xff] ^ (crc >> 8);
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

/* The record at p[off..size): its data length, or -1 if it is not a
 * whole, valid record. */
static long record_at(const uint8_t *p, uint64_t size, uint64_t off)
{
	if (size - off < SIM_DATALOG_RECORD_HEADER)
		return -1;
	const uint8_t *h = p + off;
	if (get32(h) != DATALOG_RECORD_MAGIC || get32(h + 16) != sim_crc32c(0, h, 16))
		return -1;
	uint32_t len = get32(h + 8);
	if (len > SIM_DATALOG_MAX_RECORD || size - off - SIM_DATALOG_RECORD_HEADER < len ||
	    get32(h + 12) != sim_crc32c(0, h + SIM_DATALOG_RECORD_HEADER, len))
		return -1;
	return (long)len;
}

/* Is there a valid record starting anywhere after from? */
static bool valid_record_after(const uint8_t *p, uint64_t size, uint64_t from)
{
	uint8_t m[4];
	put32(m, DATALOG_RECORD_MAGIC);
	for (uint64_t off = from + 1; off + SIM_DATALOG_RECORD_HEADER <= size; off++) {
		const uint8_t *hit = memmem(p + off, size - off, m, 4);
		if (!hit)
			return false;
		off = (uint64_t)(hit - p);
		if (record_at(p, size, off) >= 0)
			return true;
	}
	return false;
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
		if (w <= 0)
			return -1;
		b += w, n -= (size_t)w, off += (uint64_t)w;
	}
	return 0;
}

/* A new log, or one whose creation a crash cut short: just the header. */
static int initialise(struct sim_datalog *d, char *err, size_t cap)
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

/* The header bytes a short file holds: a prefix of ours, or zeros. */
static bool torn_header(const uint8_t *p, size_t n)
{
	uint8_t h[SIM_DATALOG_HEADER];
	file_header(h);
	bool zero = true;
	for (size_t i = 0; i < n; i++)
		zero &= p[i] == 0;
	return zero || memcmp(p, h, n) == 0;
}

/* Replay records from the header on; set d->end; decide torn tail or
 * corruption at the first bad spot. */
static int scan(struct sim_datalog *d, const uint8_t *p, uint64_t size, sim_datalog_replay_fn fn,
		void *ctx, struct sim_datalog_report *rep, char *err, size_t cap)
{
	uint64_t off = SIM_DATALOG_HEADER;
	while (off < size) {
		long len = record_at(p, size, off);
		if (len < 0)
			break;
		const uint8_t *h = p + off;
		err[0] = '\0';
		if (fn && fn(ctx, get32(h + 4), h + SIM_DATALOG_RECORD_HEADER, (size_t)len, off,
			     err, cap) != 0)
			return err[0] ? -1
				      : sim_fail(err, cap, "%s: replay stopped at byte %llu",
						 d->path, (unsigned long long)off);
		rep->records++;
		off += SIM_DATALOG_RECORD_HEADER + (uint64_t)len;
	}
	d->end = off;
	if (off == size)
		return 0;
	if (valid_record_after(p, size, off))
		return sim_fail(
			err, cap,
			"%s: corrupt record at byte %llu (a checksum fails and valid records "
			"follow); refusing to serve a damaged log",
			d->path, (unsigned long long)off);
	rep->truncated_bytes = size - off;
	snprintf(rep->note, sizeof rep->note,
		 "%.150s: torn tail of %llu bytes at byte %llu removed (a write cut short by a "
		 "crash)",
		 d->path, (unsigned long long)(size - off), (unsigned long long)off);
	if (ftruncate(d->fd, (off_t)off) != 0 || fsync(d->fd) != 0)
		return sim_fail(err, cap, "%s: cannot remove the torn tail: %s", d->path,
				strerror(errno));
	return 0;
}

static int load(struct sim_datalog *d, sim_datalog_replay_fn fn, void *ctx,
		struct sim_datalog_report *rep, char *err, size_t cap)
{
	struct stat st;
	if (fstat(d->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return sim_fail(err, cap, "%s: not a regular file", d->path);
	uint64_t size = (uint64_t)st.st_size;
	if (size == 0)
		return initialise(d, err, cap);
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, d->fd, 0);
	if (map == MAP_FAILED)
		return sim_fail(err, cap, "%s: cannot map the log: %s", d->path, strerror(errno));
	const uint8_t *p = map;
	uint8_t want[SIM_DATALOG_HEADER];
	file_header(want);
	int rc;
	if (size < SIM_DATALOG_HEADER || (torn_header(p, SIM_DATALOG_HEADER) &&
					  !valid_record_after(p, size, SIM_DATALOG_HEADER - 1))) {
		if (torn_header(p, size < SIM_DATALOG_HEADER ? (size_t)size : SIM_DATALOG_HEADER)) {
			snprintf(rep->note, sizeof rep->note,
				 "%.150s: a log whose creation was cut short (%llu bytes) started "
				 "afresh",
				 d->path, (unsigned long long)size);
			rc = initialise(d, err, cap);
		} else {
			rc = sim_fail(err, cap, "%s: not a qldbtop data log", d->path);
		}
	} else if (memcmp(p, want, SIM_DATALOG_HEADER) != 0) {
		rc = memcmp(p, want, DATALOG_MAGIC_LEN) == 0
			     ? sim_fail(err, cap,
					"%s: a data log of another version or a damaged header",
					d->path)
			     : sim_fail(err, cap, "%s: not a qldbtop data log", d->path);
	} else {
		rc = scan(d, p, size, fn, ctx, rep, err, cap);
	}
	munmap(map, size);
	return rc;
}

struct sim_datalog *sim_datalog_open(const char *path, sim_datalog_replay_fn fn, void *ctx,
				     struct sim_datalog_report *rep, char *err, size_t cap)
{
	struct sim_datalog_report scratch;
	rep = rep ? rep : &scratch;
	memset(rep, 0, sizeof *rep);
	if (strlen(path) >= DATALOG_PATH_MAX) {
		sim_fail(err, cap, "data log path too long");
		return NULL;
	}
	struct sim_datalog *d = calloc(1, sizeof *d);
	if (!d) {
		sim_fail(err, cap, "%s: out of memory", path);
		return NULL;
	}
	snprintf(d->path, sizeof d->path, "%s", path);
	pthread_mutex_init(&d->mu, NULL);
	d->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (d->fd < 0) {
		sim_fail(err, cap, "%s: cannot open: %s", path, strerror(errno));
		sim_datalog_close(d);
		return NULL;
	}
	if (flock(d->fd, LOCK_EX | LOCK_NB) != 0) {
		sim_fail(err, cap, "%s: in use by another process (locked)", path);
		sim_datalog_close(d);
		return NULL;
	}
	if (load(d, fn, ctx, rep, err, cap) != 0) {
		sim_datalog_close(d);
		return NULL;
	}
	rep->bytes = d->end;
	return d;
}

/* ---- append and read ---------------------------------------------------- */

int sim_datalog_append(struct sim_datalog *d, uint32_t type, const void *data, size_t len,
		       uint64_t *offset, char *err, size_t cap)
{
	if (len > SIM_DATALOG_MAX_RECORD)
		return sim_fail(err, cap, "%s: a record of %zu bytes exceeds %u", d->path, len,
				SIM_DATALOG_MAX_RECORD);
	uint8_t *rec = malloc(SIM_DATALOG_RECORD_HEADER + len);
	if (!rec)
		return sim_fail(err, cap, "%s: out of memory", d->path);
	record_header(rec, type, data, len);
	if (len)
		memcpy(rec + SIM_DATALOG_RECORD_HEADER, data, len);
	pthread_mutex_lock(&d->mu);
	uint64_t at = d->end;
	int rc = 0;
	if (write_all(d->fd, rec, SIM_DATALOG_RECORD_HEADER + len, at) != 0 ||
	    fdatasync(d->fd) != 0) {
		rc = sim_fail(err, cap, "%s: cannot append at byte %llu: %s", d->path,
			      (unsigned long long)at, strerror(errno));
		if (ftruncate(d->fd, (off_t)at) != 0) /* nothing partial may stay */
			rc = sim_fail(err, cap, "%s: append failed and cannot be undone: %s",
				      d->path, strerror(errno));
	} else {
		d->end = at + SIM_DATALOG_RECORD_HEADER + len;
		if (offset)
			*offset = at;
	}
	pthread_mutex_unlock(&d->mu);
	free(rec);
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

int sim_datalog_read(struct sim_datalog *d, uint64_t offset, uint32_t *type, uint8_t **data,
		     size_t *len, char *err, size_t cap)
{
	uint8_t h[SIM_DATALOG_RECORD_HEADER];
	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&d->mu);
	uint64_t end = d->end;
	pthread_mutex_unlock(&d->mu);
	if (offset < SIM_DATALOG_HEADER || offset + sizeof h > end ||
	    read_all(d->fd, h, sizeof h, offset) != 0 || get32(h) != DATALOG_RECORD_MAGIC ||
	    get32(h + 16) != sim_crc32c(0, h, 16) || get32(h + 8) > SIM_DATALOG_MAX_RECORD ||
	    offset + sizeof h + get32(h + 8) > end)
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
