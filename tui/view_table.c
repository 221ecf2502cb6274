/* view_table.c - a pane's rows as a widgets/table (see view_table.h). */
#include "tui/view_table.h"

#include "tui/keymap.h"
#include "widgets/glyphs.h"

#define VIEW_TABLE_COLS 16

void view_sel_clamp(struct view_sel *s, size_t n, int height)
{
	table_clamp(&s->st, n, height);
}

/* The movement actions and the table's moves, one table. */
static const struct {
	enum keymap_action action;
	void (*step)(struct table_state *st, size_t nrows, int visible);
} MOVES[] = {
	{ ACTION_UP, table_select_prev },	  { ACTION_DOWN, table_select_next },
	{ ACTION_TOP, table_select_first },	  { ACTION_BOTTOM, table_select_last },
	{ ACTION_PAGE_UP, table_select_page_up }, { ACTION_PAGE_DOWN, table_select_page_down },
};

bool view_sel_move(struct view_sel *s, int action, size_t n, int height)
{
	for (size_t i = 0; i < sizeof MOVES / sizeof MOVES[0]; i++)
		if ((int)MOVES[i].action == action) {
			MOVES[i].step(&s->st, n, height > 0 ? height : 1);
			return true;
		}
	return false;
}

struct cells_ctx {
	const struct view_cell *cells;
	const size_t *order;
	size_t ncols;
};

static struct table_cell view_cell_at(const void *ctx, size_t row, size_t col)
{
	const struct cells_ctx *c = ctx;
	size_t r = c->order ? c->order[row] : row;
	const struct view_cell *v = &c->cells[r * c->ncols + col];
	return (struct table_cell){ v->text, theme_attr(v->role) };
}

void view_table_draw(WINDOW *w, int y, int x, int width, int height, const struct view_column *cols,
		     size_t ncols, const struct view_cell *cells, const size_t *order, size_t rows,
		     struct view_sel *s, bool focused, const char *empty, bool ascii)
{
	if (height < 1 || width < 1 || ncols == 0)
		return;
	if (ncols > VIEW_TABLE_COLS)
		ncols = VIEW_TABLE_COLS;
	/* fixed widths stay fixed; the flexible column takes what is left */
	struct table_column tc[VIEW_TABLE_COLS];
	for (size_t i = 0; i < ncols; i++)
		tc[i] = (struct table_column){
			.title = cols[i].title,
			.min = cols[i].width ? cols[i].width : 8,
			.weight = cols[i].width ? 0 : 1,
			.align = cols[i].right ? TABLE_ALIGN_RIGHT : TABLE_ALIGN_LEFT,
			.cut = cols[i].middle ? TEXT_CUT_MIDDLE : TEXT_CUT_END,
		};
	struct table_style style = { .header = theme_attr(THEME_KEY) | A_BOLD,
				     .selected = A_REVERSE,
				     .empty = theme_attr(THEME_DIM),
				     .marker = true };
	struct cells_ctx ctx = { cells, order, ncols };
	struct table t = { .cols = tc,
			   .ncols = ncols,
			   .nrows = rows,
			   .cell = view_cell_at,
			   .ctx = &ctx,
			   .sort_col = s ? s->sort : -1,
			   .sort_desc = s && s->sort_desc,
			   .show_selection = focused,
			   .empty = empty,
			   .style = &style,
			   .glyphs = glyphs_get(ascii) };
	struct table_state scratch = { 0, 0 };
	table_draw(w, (struct layout_rect){ .y = y, .x = x, .h = height, .w = width }, &t,
		   s ? &s->st : &scratch);
}
