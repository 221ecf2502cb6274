/*
 * buf.h - a growable byte buffer (malloc-backed), used by writers and hashers.
 * Ownership: the buffer owns data; buf_free releases it. A zeroed struct is
 * an empty buffer. Appends return 0 or ION_ERR_NOMEM / ION_ERR_LIMIT.
 */
#ifndef QLDBTOP_VERIFY_BUF_H
#define QLDBTOP_VERIFY_BUF_H

#include <stddef.h>
#include <stdint.h>

#define BUF_MAX_BYTES ((size_t)1 << 34) /* 16 GiB: a sanity cap, never reached */

struct buf {
	uint8_t *data;
	size_t len, cap;
};

int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_byte(struct buf *b, uint8_t c);
int buf_append_str(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b); /* len = 0, keeps memory */
void buf_free(struct buf *b);

#endif
