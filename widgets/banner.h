/*
 * banner.h - a full-width banner across the top of a window, the message
 * wrapped at spaces over up to max_rows rows, every row filled edge to
 * edge in the caller's attribute (the integrity failure banner:
 *   INTEGRITY FAILED ledger X block {strandId:..,sequenceNo:5}: expected
 *   ab12.. computed cd34..  press a to acknowledge
 * ). Text that does not fit in max_rows ends with the ellipsis.
 * Ownership: borrows the message for the call; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_BANNER_H
#define QLDBTOP_WIDGETS_BANNER_H

#include <curses.h>

#include "widgets/glyphs.h"

/* Rows msg takes when wrapped to width, at most max_rows (0 when there is
 * nothing to draw). Pure: the caller sizes its panes with it first. */
int banner_rows(const char *msg, int width, int max_rows);

/* Draw msg from row y across the whole width of w; returns the rows used
 * (banner_rows of the window's width, cut to the rows the window has). */
int banner_draw(WINDOW *w, int y, int max_rows, const char *msg, attr_t attr,
		const struct glyphs *g);

#endif
