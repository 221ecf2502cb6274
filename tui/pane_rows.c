/* pane_rows.c - rows of the list panes (see pane_rows.h). */
#include "tui/pane_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/ui_state.h"

void pane_rows_begin(struct pane_rows *r, size_t ncols)
{
	r->ncols = ncols > PANE_ROWS_COLS ? PANE_ROWS_COLS : ncols;
	r->n = 0;
}

static bool pane_rows_grow(struct pane_rows *r)
{
	if (r->n < r->cap)
		return true;
	size_t cap = r->cap ? r->cap * 2 : 16;
	struct view_cell *c = realloc(r->cells, cap * PANE_ROWS_COLS * sizeof *c);
	if (!c)
		return false;
	r->cells = c;
	size_t *it = realloc(r->item, cap * sizeof *it);
	if (!it)
		return false;
	r->item = it;
	r->cap = cap;
	return true;
}

void pane_rows_add(struct pane_rows *r, const struct ui *u, size_t item,
		   const struct view_cell *cells)
{
	bool match = !u->filter[0];
	for (size_t c = 0; c < r->ncols && !match; c++)
		match = ui_filter_match(u, cells[c].text);
	if (!match || !pane_rows_grow(r))
		return;
	memcpy(&r->cells[r->n * r->ncols], cells, r->ncols * sizeof *cells);
	r->item[r->n++] = item;
}

/* A cell's sort key when it has one (ages, sizes), else numbers as
 * numbers ("9" < "10"), anything else as text. */
static int cell_cmp(const struct view_cell *ca, const struct view_cell *cb)
{
	if (ca->has_num && cb->has_num)
		return ca->num < cb->num ? -1 : ca->num > cb->num;
	const char *a = ca->text, *b = cb->text;
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	if (ea != a && eb != b && !*ea && !*eb)
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

void pane_rows_sort(struct pane_rows *r, struct view_sel *s)
{
	if (s->sort < 0 || (size_t)s->sort >= r->ncols)
		s->sort = 0;
	/* insertion sort: tens of rows, and stable (equal rows keep the
	 * service's order) */
	size_t nc = r->ncols, col = (size_t)s->sort;
	struct view_cell tmp[PANE_ROWS_COLS];
	for (size_t i = 1; i < r->n; i++) {
		memcpy(tmp, &r->cells[i * nc], nc * sizeof tmp[0]);
		size_t it = r->item[i], j = i;
		while (j > 0) {
			int c = cell_cmp(&r->cells[(j - 1) * nc + col], &tmp[col]);
			if (s->sort_desc ? c >= 0 : c <= 0)
				break;
			memcpy(&r->cells[j * nc], &r->cells[(j - 1) * nc], nc * sizeof tmp[0]);
			r->item[j] = r->item[j - 1];
			j--;
		}
		memcpy(&r->cells[j * nc], tmp, nc * sizeof tmp[0]);
		r->item[j] = it;
	}
}

void pane_rows_free(struct pane_rows *r)
{
	free(r->cells);
	free(r->item);
	memset(r, 0, sizeof *r);
}

size_t pane_rows_selected(const struct pane_rows *r, const struct view_sel *s)
{
	return s->st.selected < r->n ? r->item[s->st.selected] : (size_t)-1;
}

bool pane_rows_action(struct pane_rows *r, struct view_sel *s, enum keymap_action a, int height)
{
	if (a == ACTION_FILTER_NEXT)
		a = ACTION_DOWN; /* the rows shown are the matches */
	else if (a == ACTION_FILTER_PREV)
		a = ACTION_UP;
	if (view_sel_move(s, (int)a, r->n, height))
		return true;
	if (a == ACTION_SORT_NEXT || a == ACTION_SORT_PREV) {
		int n = (int)r->ncols;
		if (n == 0)
			return true;
		/* a second press on the same edge flips the order, as htop's */
		int next = s->sort + (a == ACTION_SORT_NEXT ? 1 : -1);
		if (next < 0 || next >= n)
			s->sort_desc = !s->sort_desc;
		else
			s->sort = next;
		return true;
	}
	return false;
}

void pane_cell(struct view_cell *c, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
	c->role = role;
	c->has_num = false;
}

void pane_kv_add(void *ctx, enum theme_role role, const char *key, const char *value)
{
	struct pane_kv *s = ctx;
	if (s->n == s->cap)
		return;
	snprintf(s->txt[s->n], VIEW_TEXT_MAX, "%s", value);
	s->rows[s->n] = (struct kv_row){ key, s->txt[s->n], theme_attr(role), 1 };
	s->n++;
}

void pane_drill_add(void *ctx, enum theme_role role, const char *key, const char *value)
{
	drill_add(ctx, role, "%-16s%s", key, value);
}
