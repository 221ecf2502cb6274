/* box.c - framed pane with a title (see box.h). */
#include "widgets/box.h"

#include "widgets/text.h"

void box_draw(WINDOW *w, const char *title, const struct box_style *st)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	if (h < 2 || wd < 2)
		return;
	wattrset(w, st->border);
	if (st->ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
	/* " Title " starting at column 2 when there is room for it */
	if (title && *title && wd > 6) {
		int room = wd - 6;
		int n = text_put(w, 0, 3, room, title, text_fit(title, room), st->title, st->ascii);
		mvwaddch(w, 0, 2, ' ' | st->title);
		mvwaddch(w, 0, 3 + n, ' ' | st->title);
	}
	wattrset(w, A_NORMAL);
}
