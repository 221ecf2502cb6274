/*
 * textview.h - a scrollable view of text lines (help, a proof, a block's
 * fields, an error's detail), each line clipped to the width with the
 * ellipsis. The scroll position is a caller-owned state; the helpers keep
 * it inside the text, with no blank rows below the last line once the
 * view is scrolled.
 * Ownership: the caller owns the lines, the optional per-line attributes
 * and the state; the view borrows them for the call and keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_TEXTVIEW_H
#define QLDBTOP_WIDGETS_TEXTVIEW_H

#include <curses.h>
#include <stddef.h>

#include "widgets/glyphs.h"
#include "widgets/layout.h"

struct textview_state {
	size_t top; /* first line shown */
};

/* Keep top within 0..nlines-height (0 when the lines fit). Pure. */
void textview_clamp(struct textview_state *st, size_t nlines, int height);
/* Scroll by delta lines (negative: up), then clamp. Pure. */
void textview_scroll(struct textview_state *st, size_t nlines, int height, long delta);
void textview_home(struct textview_state *st, size_t nlines, int height);
void textview_end(struct textview_state *st, size_t nlines, int height);
void textview_page_down(struct textview_state *st, size_t nlines, int height);
void textview_page_up(struct textview_state *st, size_t nlines, int height);

/* Draw lines[top..] into r of w, clearing the rest of r. attrs (NULL for
 * none) gives each line's attributes, else attr. Returns the lines drawn. */
int textview_draw(WINDOW *w, struct layout_rect r, const char *const *lines, size_t nlines,
		  const attr_t *attrs, attr_t attr, struct textview_state *st,
		  const struct glyphs *g);

#endif
