/*
 * state_drill.c - a drill-down (Enter on a row): the breadcrumb on the
 * frame ("financial-ledger > streams > 7ZdL..."), then lines of detail,
 * each in its role (a failed check in the failure role and with the word
 * FAILED), scrolled with the movement keys; Esc goes back. Drill-downs
 * stack: Enter on a line that opens more pushes another.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.h"
#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define DRILL_LINE_MAX 512

struct state_drill_arg *drill_new(const char *crumb)
{
	struct state_drill_arg *d = calloc(1, sizeof *d);
	if (d)
		snprintf(d->crumb, sizeof d->crumb, "%s", crumb);
	return d;
}

void drill_add(struct state_drill_arg *d, enum theme_role role, const char *fmt, ...)
{
	if (!d)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct drill_line *l = realloc(d->items, cap * sizeof *l);
		if (!l)
			return;
		d->items = l;
		d->cap = cap;
	}
	char buf[DRILL_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *t = strdup(buf);
	if (!t)
		return;
	d->items[d->n++] = (struct drill_line){ t, role };
}

static void drill_free(void *arg)
{
	struct state_drill_arg *d = arg;
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	free(d);
}

bool drill_push(struct ui *u, struct state_drill_arg *d)
{
	if (!d) {
		ui_message(u, true, "out of memory");
		return false;
	}
	return ui_push(u, &STATE_DRILL, d);
}

static void drill_draw(WINDOW *w, struct ui *u, void *arg)
{
	struct state_drill_arg *d = arg;
	int h, wd;
	getmaxyx(w, h, wd);
	struct box_style bs = { theme_attr(THEME_BORDER), theme_attr(THEME_TITLE), u->set.ascii };
	box_draw(w, d->crumb, &bs);
	int rows = h - 2;
	if (d->top > (int)d->n - rows)
		d->top = (int)d->n - rows > 0 ? (int)d->n - rows : 0;
	for (int r = 0; r < rows && d->top + r < (int)d->n; r++) {
		const struct drill_line *l = &d->items[d->top + r];
		kvtable_put_clipped(w, 1 + r, 2, wd - 4, l->text, theme_attr(l->role));
	}
	if ((int)d->n > rows) {
		char more[32];
		snprintf(more, sizeof more, " %d-%d of %zu ", d->top + 1,
			 d->top + rows < (int)d->n ? d->top + rows : (int)d->n, d->n);
		kvtable_put_clipped(w, h - 1, wd - 2 - (int)strlen(more), (int)strlen(more), more,
				    theme_attr(THEME_BORDER));
	}
}

static unsigned drill_key(struct ui *u, void *arg, int ch)
{
	struct state_drill_arg *d = arg;
	int page = u->body_lines > 3 ? u->body_lines - 3 : 1;
	switch (keymap_lookup(ch)) {
	case ACTION_DOWN:
		d->top++;
		break;
	case ACTION_UP:
		d->top--;
		break;
	case ACTION_PAGE_DOWN:
		d->top += page;
		break;
	case ACTION_PAGE_UP:
		d->top -= page;
		break;
	case ACTION_TOP:
		d->top = 0;
		break;
	case ACTION_BOTTOM:
		d->top = (int)d->n;
		break;
	case ACTION_BACK:
		ui_pop(u);
		return UI_HANDLED;
	default:
		return UI_IGNORED; /* global keys (q, ?, panes) still work */
	}
	if (d->top < 0)
		d->top = 0;
	u->dirty |= UI_DIRTY_BODY;
	return UI_HANDLED;
}

const struct ui_state_ops STATE_DRILL = {
	.name = "drill",
	.key = drill_key,
	.draw = drill_draw,
	.leave = drill_free,
};
