/* kvtable.c - key/value table (see kvtable.h). */
#include "widgets/kvtable.h"

#include <string.h>

#include "widgets/text.h"

#define KVTABLE_ELLIPSIS "..."
#define KVTABLE_ELLIPSIS_CELLS 3

void kvtable_put_clipped(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	if (cols <= 0 || !s)
		return;
	wattrset(w, attr);
	if (text_cells(s) <= cols) {
		mvwaddnstr(w, y, x, s, (int)strlen(s));
	} else if (cols > KVTABLE_ELLIPSIS_CELLS) {
		mvwaddnstr(w, y, x, s, (int)text_fit(s, cols - KVTABLE_ELLIPSIS_CELLS));
		waddstr(w, KVTABLE_ELLIPSIS);
	} else {
		mvwaddnstr(w, y, x, s, (int)text_fit(s, cols));
	}
	wattrset(w, A_NORMAL);
}

size_t kvtable_draw(WINDOW *w, const struct kvtable_area *a, const struct kv_row *rows, size_t n)
{
	int kw = a->key_width;
	if (kw <= 0) {
		for (size_t i = 0; i < n; i++) {
			int c = text_cells(rows[i].key);
			if (c + 1 > kw)
				kw = c + 1;
		}
	}
	if (kw > a->width / 2)
		kw = a->width / 2; /* keys never take more than half the row */
	int used = 0, vw = a->width - kw;
	for (size_t i = 0; i < n && used < a->height; i++) {
		kvtable_put_clipped(w, a->y + used, a->x, kw - 1, rows[i].key, a->key_attr);
		const char *v = rows[i].value;
		int lines = rows[i].max_rows > 1 ? rows[i].max_rows : 1;
		/* full rows while more text follows and rows remain; the last
		 * row is clipped with an ellipsis */
		while (v && lines > 1 && used + 1 < a->height && text_cells(v) > vw && vw > 0) {
			size_t b = text_fit(v, vw);
			/* break after the last space of the row when it is not
			 * too far back; else cut the word */
			for (size_t k = b; k > b / 3; k--)
				if (v[k - 1] == ' ') {
					b = k;
					break;
				}
			wattrset(w, rows[i].value_attr);
			mvwaddnstr(w, a->y + used, a->x + kw, v, (int)b);
			wattrset(w, A_NORMAL);
			v += b;
			while (*v == ' ')
				v++;
			used++;
			lines--;
		}
		kvtable_put_clipped(w, a->y + used, a->x + kw, vw, v, rows[i].value_attr);
		used++;
	}
	return (size_t)used;
}
