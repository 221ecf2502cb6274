/* view_table.c - a pane's rows as a table (see view_table.h). */
#include "tui/view_table.h"

#include <stdio.h>
#include <string.h>

#include "tui/keymap.h"
#include "widgets/kvtable.h"

void view_sel_clamp(struct view_sel *s, size_t n, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	if (n == 0) {
		s->sel = s->top = 0;
		return;
	}
	if (s->sel >= n)
		s->sel = n - 1;
	if (s->top > s->sel)
		s->top = s->sel;
	if (s->sel >= s->top + h)
		s->top = s->sel - h + 1;
	if (s->top + h > n)
		s->top = n > h ? n - h : 0;
}

bool view_sel_move(struct view_sel *s, int action, size_t n, int height)
{
	size_t page = height > 1 ? (size_t)height - 1 : 1;
	switch (action) {
	case ACTION_UP:
		s->sel = s->sel ? s->sel - 1 : 0;
		break;
	case ACTION_DOWN:
		s->sel = s->sel + 1 < n ? s->sel + 1 : s->sel;
		break;
	case ACTION_TOP:
		s->sel = 0;
		break;
	case ACTION_BOTTOM:
		s->sel = n ? n - 1 : 0;
		break;
	case ACTION_PAGE_UP:
		s->sel = s->sel > page ? s->sel - page : 0;
		break;
	case ACTION_PAGE_DOWN:
		s->sel = s->sel + page < n ? s->sel + page : (n ? n - 1 : 0);
		break;
	default:
		return false;
	}
	view_sel_clamp(s, n, height);
	return true;
}

/* Column widths for width: fixed ones as given (cut from the right when
 * they do not fit), the flexible one gets the rest. */
static void table_widths(const struct view_column *cols, size_t n, int width, int *out)
{
	int fixed = 0;
	for (size_t i = 0; i < n; i++)
		fixed += cols[i].width ? cols[i].width + 1 : 0;
	int rest = width - fixed;
	for (size_t i = 0; i < n; i++)
		out[i] = cols[i].width ? cols[i].width : (rest > 8 ? rest - 1 : 8);
}

void view_table_draw(WINDOW *w, int y, int x, int width, int height, const struct view_column *cols,
		     size_t ncols, const struct view_cell *cells, size_t rows, struct view_sel *s,
		     bool focused, const char *empty)
{
	if (height < 1 || width < 4 || ncols == 0)
		return;
	int widths[16];
	if (ncols > 16)
		ncols = 16;
	table_widths(cols, ncols, width, widths);
	int cx = x;
	for (size_t c = 0; c < ncols && cx < x + width; c++) {
		char title[64];
		bool sorted = s && s->sort == (int)c;
		snprintf(title, sizeof title, "%s%s", cols[c].title,
			 sorted ? (s->sort_desc ? "v" : "^") : "");
		kvtable_put_clipped(w, y, cx,
				    widths[c] < x + width - cx ? widths[c] : x + width - cx, title,
				    theme_attr(THEME_KEY) | A_BOLD);
		cx += widths[c] + 1;
	}
	int body = height - 1;
	if (rows == 0) {
		if (body > 0 && empty)
			kvtable_put_clipped(w, y + 1, x, width, empty, theme_attr(THEME_DIM));
		return;
	}
	if (s)
		view_sel_clamp(s, rows, body);
	size_t top = s ? s->top : 0;
	for (int r = 0; r < body && top + (size_t)r < rows; r++) {
		size_t row = top + (size_t)r;
		bool selected = s && focused && row == s->sel;
		if (selected) {
			wattrset(w, A_REVERSE);
			mvwhline(w, y + 1 + r, x, ' ', width);
			wattrset(w, A_NORMAL);
		}
		cx = x;
		for (size_t c = 0; c < ncols && cx < x + width; c++) {
			const struct view_cell *cell = &cells[row * ncols + c];
			int room = widths[c] < x + width - cx ? widths[c] : x + width - cx;
			int len = (int)strlen(cell->text), at = cx;
			if (cols[c].right && len < room)
				at = cx + room - len;
			kvtable_put_clipped(w, y + 1 + r, at, room - (at - cx), cell->text,
					    theme_attr(cell->role) | (selected ? A_REVERSE : 0));
			cx += widths[c] + 1;
		}
	}
}
