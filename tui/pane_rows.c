/* pane_rows.c - rows of the list panes (see pane_rows.h). */
#include "tui/pane_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/ui_state.h"

void pane_rows_key_make(struct pane_rows_key *k, const struct ui *u, const struct view_sel *s,
			uint64_t gen0, uint64_t gen1, long tick)
{
	memset(k, 0, sizeof *k);
	k->epoch = u->epoch;
	k->gen[0] = gen0;
	k->gen[1] = gen1;
	k->tick = tick;
	snprintf(k->ledger, sizeof k->ledger, "%s", u->data.ledger);
	snprintf(k->filter, sizeof k->filter, "%s", u->filter);
	k->sort = s->sort;
	k->desc = s->sort_desc;
	k->valid = true;
}

bool pane_rows_cached(struct pane_rows *r, const struct pane_rows_key *k)
{
	if (r->key.valid && memcmp(&r->key, k, sizeof *k) == 0)
		return true;
	r->key = *k;
	return false;
}

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
	size_t *o = realloc(r->order, cap * sizeof *o);
	if (!o)
		return false;
	r->order = o;
	char(*ids)[PANE_ROWS_ID_MAX] = realloc(r->ids, cap * sizeof *ids);
	if (!ids)
		return false;
	r->ids = ids;
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
	r->order[r->n] = r->n; /* shown as added until sorted */
	r->ids[r->n][0] = '\0';
	r->item[r->n++] = item;
}

void pane_rows_set_id(struct pane_rows *r, size_t item, const char *id)
{
	if (r->n && r->item[r->n - 1] == item)
		snprintf(r->ids[r->n - 1], PANE_ROWS_ID_MAX, "%s", id);
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

/* qsort has no context argument: the rows being sorted, one sort at a
 * time on the UI thread. */
static const struct pane_rows *sort_rows;
static size_t sort_col;
static bool sort_desc;

static int order_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct pane_rows *r = sort_rows;
	int c = cell_cmp(&r->cells[i * r->ncols + sort_col], &r->cells[j * r->ncols + sort_col]);
	if (sort_desc)
		c = -c;
	return c ? c : (i > j) - (i < j); /* stable: the service's order breaks ties */
}

/* Shown row i's identity: its own id, else its first cell (text, num). */
static const char *row_identity(const struct pane_rows *r, size_t i, double *num)
{
	const char *id = r->ids[r->order[i]];
	const struct view_cell *c = pane_rows_cell(r, i, 0);
	*num = id[0] || !c->has_num ? 0 : c->num;
	return id[0] ? id : c->text;
}

/* The selection follows shown row i's item. */
static void follow_row(const struct pane_rows *r, struct view_sel *s, size_t i)
{
	if (i >= r->n || r->ncols == 0)
		return;
	snprintf(s->follow, sizeof s->follow, "%s", row_identity(r, i, &s->follow_num));
	s->following = true;
}

/* Move the selection to the row of the item it follows; when that is not
 * shown, keep the place (clamped) and follow what is there now. A
 * selection never moved by the operator follows nothing: it keeps its
 * place, so the newest-first audit log keeps showing its newest event. */
static void follow_find(const struct pane_rows *r, struct view_sel *s)
{
	if (!s->following)
		return;
	for (size_t i = 0; i < r->n && r->ncols; i++) {
		double num;
		const char *id = row_identity(r, i, &num);
		if (num == s->follow_num && strcmp(id, s->follow) == 0) {
			s->st.selected = i;
			return;
		}
	}
	if (r->n && s->st.selected >= r->n)
		s->st.selected = r->n - 1;
	follow_row(r, s, s->st.selected);
}

void pane_rows_sort(struct pane_rows *r, struct view_sel *s)
{
	if (s->sort < 0 || (size_t)s->sort >= r->ncols)
		s->sort = 0;
	for (size_t i = 0; i < r->n; i++)
		r->order[i] = i;
	if (r->n >= 2) {
		sort_rows = r;
		sort_col = (size_t)s->sort;
		sort_desc = s->sort_desc;
		qsort(r->order, r->n, sizeof r->order[0], order_cmp);
		sort_rows = NULL;
	}
	follow_find(r, s);
}

size_t pane_rows_item(const struct pane_rows *r, size_t i)
{
	return r->item[r->order[i]];
}

const struct view_cell *pane_rows_cell(const struct pane_rows *r, size_t i, size_t col)
{
	return &r->cells[r->order[i] * r->ncols + col];
}

void pane_rows_free(struct pane_rows *r)
{
	free(r->cells);
	free(r->item);
	free(r->order);
	free(r->ids);
	memset(r, 0, sizeof *r);
}

void pane_rows_select(const struct pane_rows *r, struct view_sel *s, size_t i)
{
	if (i >= r->n)
		return;
	s->st.selected = i;
	follow_row(r, s, i);
}

size_t pane_rows_selected(const struct pane_rows *r, const struct view_sel *s)
{
	return s->st.selected < r->n ? pane_rows_item(r, s->st.selected) : (size_t)-1;
}

bool pane_rows_action(struct pane_rows *r, struct view_sel *s, enum keymap_action a, int height)
{
	if (a == ACTION_FILTER_NEXT)
		a = ACTION_DOWN; /* the rows shown are the matches */
	else if (a == ACTION_FILTER_PREV)
		a = ACTION_UP;
	if (view_sel_move(s, (int)a, r->n, height)) {
		follow_row(r, s, s->st.selected);
		return true;
	}
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
