/* pane_list.c - the list panes' shared layout (see pane_list.h). */
#include "tui/pane_list.h"

#include <ctype.h>
#include <stdio.h>

#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define PANE_LIST_DETAILS 16

int pane_list_draw(WINDOW *w, struct ui *u, const struct pane_list *p, struct pane_rows *rows,
		   struct view_sel *sel)
{
	struct view_ctx c = ui_view_ctx(u);
	int h, wd;
	getmaxyx(w, h, wd);
	struct box_style bs = view_box_style(&c);
	char title[96];
	snprintf(title, sizeof title, "%s of %s", p->what,
		 u->data.ledger[0] ? u->data.ledger : "(no ledger)");
	box_draw(w, title, &bs);
	const struct store_entry *e = &u->data.kind[p->kind];
	size_t shown = rows->n < PANE_LIST_SHOWN ? rows->n : PANE_LIST_SHOWN;
	int table_h = (int)shown + 1 > 2 ? (int)shown + 1 : 2;
	char empty[VIEW_TEXT_MAX];
	enum theme_role role;
	if (!e->data) /* nothing fetched yet: say why, not "none" */
		view_freshness(e, &c, empty, sizeof empty, &role);
	else if (u->filter[0])
		snprintf(empty, sizeof empty, "no %s matches the filter", p->noun);
	else {
		snprintf(empty, sizeof empty, "no %s", p->what);
		empty[3] = (char)tolower((unsigned char)empty[3]);
	}
	view_table_draw(w, 1, 2, wd - 4, table_h, p->cols, p->ncols, rows->cells, rows->order,
			rows->n, sel, true, empty, u->set.ascii);
	int y = 1 + table_h + 1;
	struct kv_row kv[PANE_LIST_DETAILS];
	char txt[PANE_LIST_DETAILS][VIEW_TEXT_MAX];
	struct pane_kv sink = { kv, txt, 0, PANE_LIST_DETAILS - 1 };
	size_t item = pane_rows_selected(rows, sel);
	if (item != (size_t)-1)
		p->describe(u, item, pane_kv_add, &sink);
	kv[sink.n] = view_row_updated(e, &c, txt[sink.n], 2);
	sink.n++;
	struct kvtable_area a = { .y = y,
				  .x = 2,
				  .width = wd - 4,
				  .height = h - 1 - y,
				  .key_width = VIEW_KEY_WIDTH,
				  .key_attr = theme_attr(THEME_KEY) };
	kvtable_draw(w, &a, kv, sink.n);
	return table_h;
}

unsigned pane_list_drill(struct ui *u, const struct pane_list *p, size_t item, const char *id)
{
	char crumb[128];
	snprintf(crumb, sizeof crumb, "%s > %s > %s", u->data.ledger, p->crumb, id);
	struct state_drill_arg *d = drill_new(crumb);
	p->describe(u, item, pane_drill_add, d);
	drill_push(u, d);
	return UI_HANDLED;
}
