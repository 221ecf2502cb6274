/* table.c - column layout, selection, scrolling and drawing of tables
 * (see table.h). */
#include "widgets/table.h"

#include <string.h>

static int column_min(const struct table_column *c)
{
	return c->min > 0 ? c->min : 1;
}

size_t table_layout(const struct table_column *cols, size_t ncols, int width, int *widths)
{
	for (size_t i = 0; i < ncols; i++)
		widths[i] = 0;
	if (width <= 0 || ncols == 0)
		return 0;
	size_t n = ncols < TABLE_MAX_COLUMNS ? ncols : TABLE_MAX_COLUMNS;
	/* how many columns fit at their minimum */
	size_t shown = 1;
	int need = column_min(&cols[0]);
	while (shown < n && need + TABLE_GAP + column_min(&cols[shown]) <= width) {
		need += TABLE_GAP + column_min(&cols[shown]);
		shown++;
	}
	if (shown == 1 && need >= width) {
		widths[0] = width; /* one column, cut to what there is */
		return 1;
	}
	struct layout_part parts[TABLE_MAX_COLUMNS];
	for (size_t i = 0; i < shown; i++) {
		const struct table_column *c = &cols[i];
		parts[i] = c->weight > 0 ? (struct layout_part){ .weight = c->weight,
								 .min = column_min(c) }
					 : (struct layout_part){ .fixed = column_min(c) };
	}
	layout_split(width - (int)(shown - 1) * TABLE_GAP, parts, shown, widths);
	return shown;
}

int table_visible_rows(int h)
{
	return h > 1 ? h - 1 : 0;
}

void table_clamp(struct table_state *st, size_t nrows, int visible)
{
	if (nrows == 0) {
		st->selected = st->top = 0;
		return;
	}
	size_t vis = visible > 0 ? (size_t)visible : 1;
	if (st->selected >= nrows)
		st->selected = nrows - 1;
	if (st->top > st->selected)
		st->top = st->selected;
	if (st->selected >= st->top + vis)
		st->top = st->selected - vis + 1;
	/* rows shrank or the view grew: no blank rows under the last one */
	if (st->top + vis > nrows)
		st->top = nrows > vis ? nrows - vis : 0;
}

void table_select_next(struct table_state *st, size_t nrows, int visible)
{
	if (st->selected + 1 < nrows)
		st->selected++;
	table_clamp(st, nrows, visible);
}

void table_select_prev(struct table_state *st, size_t nrows, int visible)
{
	if (st->selected > 0)
		st->selected--;
	table_clamp(st, nrows, visible);
}

void table_select_first(struct table_state *st, size_t nrows, int visible)
{
	st->selected = 0;
	table_clamp(st, nrows, visible);
}

void table_select_last(struct table_state *st, size_t nrows, int visible)
{
	st->selected = nrows ? nrows - 1 : 0;
	table_clamp(st, nrows, visible);
}

void table_select_page_down(struct table_state *st, size_t nrows, int visible)
{
	size_t page = visible > 1 ? (size_t)visible : 1;
	st->selected = st->selected + page < nrows ? st->selected + page : (nrows ? nrows - 1 : 0);
	table_clamp(st, nrows, visible);
}

void table_select_page_up(struct table_state *st, size_t nrows, int visible)
{
	size_t page = visible > 1 ? (size_t)visible : 1;
	st->selected = st->selected > page ? st->selected - page : 0;
	table_clamp(st, nrows, visible);
}

/* The selected row's attributes over a cell's. */
static attr_t merge_selected(attr_t cell, attr_t sel)
{
	if (sel & A_COLOR)
		return (cell & ~A_COLOR) | sel;
	return cell | sel;
}

/* Draw text in cw cells at (y, x), aligned and cut as the column says. */
static void draw_cell(WINDOW *w, int y, int x, int cw, const struct table_column *c,
		      const char *text, attr_t attr, const struct glyphs *g)
{
	if (!text || cw <= 0)
		return;
	int cells = text_cells(text);
	int drawn = cells < cw ? cells : cw;
	int off = 0;
	if (c->align == TABLE_ALIGN_RIGHT)
		off = cw - drawn;
	else if (c->align == TABLE_ALIGN_CENTER)
		off = (cw - drawn) / 2;
	text_put_fit(w, y, x + off, cw, text, attr, g->ellipsis, c->cut, g->ascii);
}

static struct table_cell cell_at(const struct table *t, size_t row, size_t col)
{
	if (t->cells)
		return t->cells[row * t->ncols + col];
	if (t->cell)
		return t->cell(t->ctx, row, col);
	return (struct table_cell){ NULL, A_NORMAL };
}

/* The header: titles, and the sort glyph after the sorted title (the
 * title is cut first so the glyph always shows). */
static void draw_header(WINDOW *w, int y, int x0, int width, const struct table *t,
			const int *widths, size_t shown)
{
	const struct glyphs *g = t->glyphs;
	attr_t a = t->style->header;
	text_fill(w, y, x0, width, a);
	int x = x0 + (t->style->marker ? 1 : 0);
	for (size_t i = 0; i < shown; i++) {
		const struct table_column *c = &t->cols[i];
		int cw = widths[i];
		if (t->sort_col >= 0 && (size_t)t->sort_col == i) {
			const char *arrow = t->sort_desc ? g->sort_down : g->sort_up;
			int tw = cw - 2; /* title, a space, the arrow */
			int n = text_cells(c->title);
			int drawn = tw > 0 ? (n < tw ? n : tw) : 0;
			int off = c->align == TABLE_ALIGN_RIGHT ? tw - drawn : 0;
			if (drawn > 0)
				text_put_fit(w, y, x + off, tw, c->title, a, g->ellipsis,
					     TEXT_CUT_END, g->ascii);
			int ax = drawn > 0 ? x + off + drawn + 1 : x;
			text_put(w, y, ax, 1, arrow, strlen(arrow), a, g->ascii);
		} else {
			draw_cell(w, y, x, cw, c, c->title, a, g);
		}
		x += cw + TABLE_GAP;
	}
}

void table_draw(WINDOW *w, struct layout_rect r, const struct table *t, struct table_state *st)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	const struct glyphs *g = t->glyphs;
	int marker = t->style->marker ? 1 : 0;
	int widths[TABLE_MAX_COLUMNS];
	size_t ncols = t->ncols < TABLE_MAX_COLUMNS ? t->ncols : TABLE_MAX_COLUMNS;
	size_t shown = table_layout(t->cols, ncols, r.w - marker, widths);
	int visible = table_visible_rows(r.h);
	table_clamp(st, t->nrows, visible);
	draw_header(w, r.y, r.x, r.w, t, widths, shown);
	for (int i = 0; i < visible; i++)
		text_fill(w, r.y + 1 + i, r.x, r.w, A_NORMAL);
	if (t->nrows == 0) {
		if (t->empty && visible > 0)
			text_put_fit(w, r.y + 1, r.x + marker, r.w - marker, t->empty,
				     t->style->empty, g->ellipsis, TEXT_CUT_END, g->ascii);
		return;
	}
	for (int i = 0; i < visible && st->top + (size_t)i < t->nrows; i++) {
		size_t row = st->top + (size_t)i;
		int y = r.y + 1 + i;
		bool sel = t->show_selection && row == st->selected;
		if (sel) {
			text_fill(w, y, r.x, r.w, t->style->selected);
			if (marker)
				text_put(w, y, r.x, 1, g->select, strlen(g->select),
					 t->style->selected, g->ascii);
		}
		int x = r.x + marker;
		for (size_t c = 0; c < shown; c++) {
			struct table_cell cell = cell_at(t, row, c);
			attr_t a = sel ? merge_selected(cell.attr, t->style->selected) : cell.attr;
			draw_cell(w, y, x, widths[c], &t->cols[c], cell.text, a, g);
			x += widths[c] + TABLE_GAP;
		}
	}
}
