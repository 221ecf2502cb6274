/* textview.c - a scrollable list of clipped lines (see textview.h). */
#include "widgets/textview.h"

#include <stdint.h>

#include "widgets/text.h"

void textview_clamp(struct textview_state *st, size_t nlines, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	size_t max = nlines > h ? nlines - h : 0;
	if (st->top > max)
		st->top = max;
}

void textview_scroll(struct textview_state *st, size_t nlines, int height, long delta)
{
	if (delta < 0)
		st->top = (size_t)-delta > st->top ? 0 : st->top - (size_t)-delta;
	else
		st->top = st->top + (size_t)delta < st->top ? SIZE_MAX : st->top + (size_t)delta;
	textview_clamp(st, nlines, height);
}

void textview_home(struct textview_state *st, size_t nlines, int height)
{
	st->top = 0;
	textview_clamp(st, nlines, height);
}

void textview_end(struct textview_state *st, size_t nlines, int height)
{
	st->top = SIZE_MAX;
	textview_clamp(st, nlines, height);
}

void textview_page_down(struct textview_state *st, size_t nlines, int height)
{
	textview_scroll(st, nlines, height, height > 1 ? height : 1);
}

void textview_page_up(struct textview_state *st, size_t nlines, int height)
{
	textview_scroll(st, nlines, height, -(long)(height > 1 ? height : 1));
}

int textview_draw(WINDOW *w, struct layout_rect r, const char *const *lines, size_t nlines,
		  const attr_t *attrs, attr_t attr, struct textview_state *st,
		  const struct glyphs *g)
{
	if (r.h <= 0 || r.w <= 0)
		return 0;
	if (!lines)
		nlines = 0;
	textview_clamp(st, nlines, r.h);
	int drawn = 0;
	for (int i = 0; i < r.h; i++) {
		size_t k = st->top + (size_t)i;
		text_fill(w, r.y + i, r.x, r.w, A_NORMAL);
		if (k >= nlines)
			continue;
		text_put_fit(w, r.y + i, r.x, r.w, lines[k], attrs ? attrs[k] : attr, g->ellipsis,
			     TEXT_CUT_END, g->ascii);
		drawn++;
	}
	return drawn;
}
