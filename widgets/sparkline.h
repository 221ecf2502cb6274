/*
 * sparkline.h - a row of values as one row of block glyphs (▁▂▃▄▅▆▇█, or
 * the ASCII ramp "_.:-=+*#"), scaled between a minimum and a maximum that
 * are either given or taken from the values. A missing value (NaN or an
 * infinity) is a gap, drawn as a space, never as a zero.
 * When there are more values than cells, the newest (the last) are shown;
 * when fewer, they are drawn right-aligned, so "now" is always at the
 * right edge.
 * Ownership: borrows the values for the call; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_SPARKLINE_H
#define QLDBTOP_WIDGETS_SPARKLINE_H

#include <curses.h>
#include <stddef.h>

#include "widgets/glyphs.h"

/* Level 0..levels-1 of v on the scale lo..hi (clamped), or -1 for a gap.
 * A flat scale (hi <= lo) puts a positive value at the top level and any
 * other at the bottom. Pure. */
int sparkline_level(double v, double lo, double hi, int levels);

/* Draw the last `cols` of n values in cols cells at (y, x) with attr.
 * min and max: the scale, or NAN to take each from the values drawn.
 * Returns the cells drawn (0 for cols <= 0). */
int sparkline_draw(WINDOW *w, int y, int x, int cols, const double *values, size_t n, double min,
		   double max, attr_t attr, const struct glyphs *g);

#endif
