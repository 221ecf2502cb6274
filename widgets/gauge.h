/*
 * gauge.h - a progress bar with its percentage and a label:
 *   [#####     ] 45% 12/27 MB
 * The fraction is clamped to 0..1 (NaN counts as 0). The bar takes the
 * room the text leaves; when the room runs short the label goes first,
 * then the bar, and the percentage stays. The percentage is rounded down,
 * so 100% means done, never "almost done".
 * Ownership: borrows the label for the call; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_GAUGE_H
#define QLDBTOP_WIDGETS_GAUGE_H

#include <curses.h>

#include "widgets/glyphs.h"

/* The smallest bar drawn, in cells between the brackets. */
#define GAUGE_MIN_BAR 3

/* frac clamped to 0..1; NaN is 0. Pure. */
double gauge_clamp(double frac);
/* Filled cells of a bar `cells` wide (rounded down). Pure. */
int gauge_fill_cells(double frac, int cells);
/* Whole percent, rounded down (0..100). Pure. */
int gauge_percent(double frac);

/* Draw in cols cells at (y, x): the bar in bar_attr, the text in
 * text_attr. label may be NULL. Returns the cells drawn. */
int gauge_draw(WINDOW *w, int y, int x, int cols, double frac, const char *label, attr_t bar_attr,
	       attr_t text_attr, const struct glyphs *g);

#endif
