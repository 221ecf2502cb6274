/*
 * kvtable.h - a two-column key/value table:
 *   Name          financial-ledger
 *   State         ACTIVE
 * Keys are padded to a common width; values are clipped to the room left,
 * with "..." marking a cut, or wrapped over up to `max_rows` rows. Each row may carry its own value
 * attributes (a state word in a colour role, an error in bold). curses only. Ownership: borrows the
 * rows; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_KVTABLE_H
#define QLDBTOP_WIDGETS_KVTABLE_H

#include <curses.h>
#include <stddef.h>

struct kv_row {
	const char *key;
	const char *value; /* NULL draws nothing */
	attr_t value_attr;
	int max_rows; /* rows the value may wrap over; 0 or 1 = one row */
};

struct kvtable_area {
	int y, x;      /* top-left cell inside the window */
	int width;     /* cells available per row */
	int height;    /* rows available; rows beyond are not drawn */
	int key_width; /* 0 = widest key + 1 */
	attr_t key_attr;
};

/* Draw rows (a wrapping value takes several); returns the rows of the
 * window used. */
size_t kvtable_draw(WINDOW *w, const struct kvtable_area *area, const struct kv_row *rows,
		    size_t n);

/* Write at most cols cells of s at (y, x), ending with "..." when cut. */
void kvtable_put_clipped(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);

#endif
