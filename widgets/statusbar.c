/* statusbar.c - one-line bar with hints and a message (see statusbar.h). */
#include "widgets/statusbar.h"

#include <string.h>

#include "widgets/kvtable.h"
#include "widgets/text.h"

void statusbar_draw(WINDOW *w, int y, const char *left, const struct statusbar_hint *hints,
		    size_t n, const char *right, const struct statusbar_style *st)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (y < 0 || y >= h)
		return;
	/* paint the bar */
	wattrset(w, st->bar);
	wmove(w, y, 0);
	for (int i = 0; i < wd; i++)
		waddch(w, ' ');
	int rcells = right ? text_cells(right) : 0;
	if (rcells > wd)
		rcells = wd;
	int limit = wd - rcells - (rcells ? 1 : 0); /* left part ends here */
	int x = 0;
	if (left) {
		kvtable_put_clipped(w, y, 0, limit, left, st->bar);
		x = text_cells(left);
	}
	for (size_t i = 0; i < n; i++) {
		int need = text_cells(hints[i].key) + 1 + text_cells(hints[i].label);
		if (x > 0)
			need += 2;
		if (x + need > limit)
			break; /* whole hints only */
		if (x > 0)
			x += 2;
		kvtable_put_clipped(w, y, x, limit - x, hints[i].key, st->key);
		x += text_cells(hints[i].key) + 1;
		kvtable_put_clipped(w, y, x, limit - x, hints[i].label, st->bar);
		x += text_cells(hints[i].label);
	}
	if (right && rcells > 0)
		kvtable_put_clipped(w, y, wd - rcells, rcells, right, st->right);
	wattrset(w, A_NORMAL);
}
