/* sparkline.c - values as a row of blocks (see sparkline.h). */
#include "widgets/sparkline.h"

#include <math.h>
#include <string.h>

#include "widgets/text.h"

int sparkline_level(double v, double lo, double hi, int levels)
{
	if (!isfinite(v) || levels <= 0)
		return -1;
	if (!(hi > lo)) /* flat, or a scale made of NaN */
		return v > 0 ? levels - 1 : 0;
	double f = (v - lo) / (hi - lo);
	if (f <= 0)
		return 0;
	if (f >= 1)
		return levels - 1;
	/* round to the nearest level: levels-1 steps span lo..hi */
	return (int)lround(f * (levels - 1));
}

int sparkline_draw(WINDOW *w, int y, int x, int cols, const double *values, size_t n, double min,
		   double max, attr_t attr, const struct glyphs *g)
{
	if (cols <= 0)
		return 0;
	if (!values)
		n = 0;
	size_t first = n > (size_t)cols ? n - (size_t)cols : 0;
	double lo = min, hi = max;
	/* the scale from the values on screen */
	for (size_t i = first; i < n; i++) {
		if (!isfinite(values[i]))
			continue;
		if (isnan(min) && (isnan(lo) || values[i] < lo))
			lo = values[i];
		if (isnan(max) && (isnan(hi) || values[i] > hi))
			hi = values[i];
	}
	int pad = cols - (int)(n - first);
	text_fill(w, y, x, pad, attr);
	for (size_t i = first; i < n; i++) {
		int l = sparkline_level(values[i], lo, hi, GLYPHS_SPARK_LEVELS);
		const char *s = l < 0 ? g->gap : g->spark[l];
		text_put(w, y, x + pad + (int)(i - first), 1, s, strlen(s), attr, g->ascii);
	}
	return cols;
}
