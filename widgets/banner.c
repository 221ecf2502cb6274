/* banner.c - a wrapped full-width message across a window (see banner.h). */
#include "widgets/banner.h"

#include <string.h>

#include "widgets/text.h"

/* Skip the spaces a wrap leaves at the start of the next row. */
static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

int banner_rows(const char *msg, int width, int max_rows)
{
	if (!msg || !*msg || width <= 0 || max_rows <= 0)
		return 0;
	int rows = 0;
	const char *s = msg;
	while (rows < max_rows) {
		rows++;
		size_t b = text_wrap(s, width);
		s = skip_spaces(s + b);
		if (!*s)
			break;
	}
	return rows;
}

int banner_draw(WINDOW *w, int y, int max_rows, const char *msg, attr_t attr,
		const struct glyphs *g)
{
	int h, width;
	getmaxyx(w, h, width);
	if (y < 0 || y >= h)
		return 0;
	if (max_rows > h - y)
		max_rows = h - y;
	int rows = banner_rows(msg, width, max_rows);
	const char *s = msg;
	for (int r = 0; r < rows; r++) {
		text_fill(w, y + r, 0, width, attr);
		if (r == rows - 1) {
			/* the last row: the rest, cut with the ellipsis */
			text_put_fit(w, y + r, 0, width, s, attr, g->ellipsis, TEXT_CUT_END,
				     g->ascii);
			break;
		}
		size_t b = text_wrap(s, width);
		text_put(w, y + r, 0, width, s, b, attr, g->ascii);
		s = skip_spaces(s + b);
	}
	return rows;
}
