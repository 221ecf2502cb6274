/* gauge.c - a progress bar with percentage and label (see gauge.h). */
#include "widgets/gauge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets/text.h"

double gauge_clamp(double frac)
{
	if (isnan(frac) || frac < 0)
		return 0;
	return frac > 1 ? 1 : frac;
}

int gauge_fill_cells(double frac, int cells)
{
	if (cells <= 0)
		return 0;
	return (int)floor(gauge_clamp(frac) * cells);
}

int gauge_percent(double frac)
{
	return (int)floor(gauge_clamp(frac) * 100);
}

int gauge_draw(WINDOW *w, int y, int x, int cols, double frac, const char *label, attr_t bar_attr,
	       attr_t text_attr, const struct glyphs *g)
{
	if (cols <= 0)
		return 0;
	char pct[8];
	snprintf(pct, sizeof pct, "%d%%", gauge_percent(frac));
	int pc = (int)strlen(pct);
	int lc = label && *label ? text_cells(label) : 0;
	/* "[" bar "]" " " pct [" " label] */
	int bar = cols - 2 - 1 - pc - (lc ? 1 + lc : 0);
	if (bar < GAUGE_MIN_BAR && lc) {
		lc = 0; /* the label goes first */
		bar = cols - 2 - 1 - pc;
	}
	int n = 0;
	if (bar >= GAUGE_MIN_BAR) {
		int fill = gauge_fill_cells(frac, bar);
		n += text_put(w, y, x, 1, "[", 1, text_attr, g->ascii);
		for (int i = 0; i < bar; i++) {
			const char *s = i < fill ? g->gauge_fill : g->gauge_empty;
			n += text_put(w, y, x + n, 1, s, strlen(s), bar_attr, g->ascii);
		}
		n += text_put(w, y, x + n, 1, "]", 1, text_attr, g->ascii);
		n += text_put(w, y, x + n, 1, " ", 1, text_attr, g->ascii);
	}
	n += text_put(w, y, x + n, cols - n, pct, (size_t)pc, text_attr, g->ascii);
	if (lc && n < cols) {
		n += text_put(w, y, x + n, 1, " ", 1, text_attr, g->ascii);
		n += text_put_fit(w, y, x + n, cols - n, label, text_attr, g->ellipsis,
				  TEXT_CUT_END, g->ascii);
	}
	return n;
}
