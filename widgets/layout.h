/*
 * layout.h - splitting a rectangle into rows or columns, for the panes'
 * layout and the table's columns. Each part asks for a fixed size or a
 * share of what the fixed parts leave (its weight), with a minimum.
 * Pure arithmetic: no curses, no allocation; sizes are never negative and
 * never sum to more than the total.
 * Ownership: the caller owns every array; nothing is kept.
 */
#ifndef QLDBTOP_WIDGETS_LAYOUT_H
#define QLDBTOP_WIDGETS_LAYOUT_H

#include <stddef.h>

struct layout_rect {
	int y, x; /* top-left cell */
	int h, w; /* rows and columns; 0 means nothing to draw */
};

struct layout_part {
	int fixed;  /* > 0: exactly this many cells (less if the total runs out) */
	int weight; /* with fixed <= 0: share of the rest in proportion to weight */
	int min;    /* with fixed <= 0: served before any share */
};

/*
 * Split total cells among n parts into sizes[n]. Fixed parts are served
 * first, in order, then each weighted part's minimum, in order, while room
 * remains; the rest goes to the weighted parts in proportion to their
 * weights (largest remainders first, ties to the earlier part). A total
 * <= 0 gives all zeros. Returns the cells used (total, unless no part has
 * a weight, or all sizes are capped).
 */
int layout_split(int total, const struct layout_part *parts, size_t n, int *sizes);

/* Parts layout_rows and layout_cols handle; out[] beyond it is left
 * untouched (a screen has a handful of panes). */
#define LAYOUT_MAX_PARTS 32

/* r cut into n rows (top to bottom) or columns (left to right), each
 * sized by layout_split; out[n]. A negative r.h or r.w counts as 0. */
void layout_rows(struct layout_rect r, const struct layout_part *parts, size_t n,
		 struct layout_rect *out);
void layout_cols(struct layout_rect r, const struct layout_part *parts, size_t n,
		 struct layout_rect *out);

#endif
