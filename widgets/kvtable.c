/* kvtable.c - key/value table (see kvtable.h). */
#include "widgets/kvtable.h"

#include <string.h>

#include "widgets/text.h"

#define KVTABLE_ELLIPSIS "..."

void kvtable_put_clipped(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	/* text_put_fit draws control bytes and invalid UTF-8 as '?' */
	text_put_fit(w, y, x, cols, s, attr, KVTABLE_ELLIPSIS, TEXT_CUT_END, false);
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
			size_t b = text_wrap(v, vw);
			text_put(w, a->y + used, a->x + kw, vw, v, b, rows[i].value_attr, false);
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
