/*
 * pane_ledgers.c - pane 1: the account's ledgers as a table (when there
 * are several) and the selected ledger's details: state, ARN, permissions,
 * deletion protection, KMS status (with inaccessible-since), created, the
 * last hour's storage and I/O, the integrity verdict and how fresh it all
 * is. Moving the selection selects the ledger every pane shows; Enter
 * opens the details as a drill-down.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/cloudwatch.h"
#include "api/qldb.h"
#include "api/resource.h"
#include "tui/pane.h"
#include "tui/pane_jobs.h"
#include "tui/pane_rows.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "tui/view_verdict.h"
#include "widgets/box.h"
#include "widgets/glyphs.h"
#include "widgets/kvtable.h"
#include "widgets/sparkline.h"

#define LEDGERS_TABLE_MAX 6 /* rows of the table before the details */
#define LEDGERS_ROWS_MAX 16

enum { COL_NAME, COL_STATE, COL_CREATED, COL_N };

static const struct view_column COLUMNS[COL_N] = {
	{ "NAME", 0, false, false },
	{ "STATE", 10, false, false },
	{ "CREATED", 23, false, false },
};

struct ledgers_state {
	struct view_sel sel;
	struct pane_rows rows;
	int table_h;
};

static void ledgers_build(struct ledgers_state *st, const struct ui *u)
{
	const struct resource_ledger_list *l = u->data.list.data;
	struct pane_rows_key k;
	pane_rows_key_make(&k, u, &st->sel, u->data.list.generation, 0, 0);
	if (pane_rows_cached(&st->rows, &k))
		return;
	pane_rows_begin(&st->rows, COL_N);
	for (size_t i = 0; l && i < l->n; i++) {
		struct view_cell c[COL_N];
		pane_cell(&c[COL_NAME], THEME_NORMAL, "%s", l->items[i].name);
		pane_cell(&c[COL_STATE], theme_role_for_state(l->items[i].state), "%s",
			  l->items[i].state[0] ? l->items[i].state : "-");
		pane_cell(&c[COL_CREATED], THEME_NORMAL, "-");
		if (l->items[i].has_created)
			view_format_time(l->items[i].created, c[COL_CREATED].text, VIEW_CELL_MAX);
		pane_rows_add(&st->rows, u, i, c);
	}
	pane_rows_sort(&st->rows, &st->sel);
}

static void fmt_bytes(double v, char *buf, size_t cap)
{
	static const char *const UNITS[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t i = 0;
	while (v >= 1024 && i + 1 < sizeof UNITS / sizeof UNITS[0]) {
		v /= 1024;
		i++;
	}
	snprintf(buf, cap, i ? "%.1f %s" : "%.0f %s", v, UNITS[i]);
}

/* The sparkline rows: the last hour of each metric at one-minute
 * points, and its newest value. */
static const struct {
	const char *key;
	enum cw_metric metric;
	bool bytes;
} SPARKS[] = {
	{ "Journal storage", CW_JOURNAL_STORAGE, true },
	{ "Indexed storage", CW_INDEXED_STORAGE, true },
	{ "Reads/min", CW_READ_IOS, false },
	{ "Writes/min", CW_WRITE_IOS, false },
};

#define SPARK_COLS_MAX 60
#define SPARK_VALUE_W 12

/* Draw the metric rows from y; returns the rows used. */
static int ledgers_sparks(WINDOW *w, int y, int x, int width, int rows, const struct ui *u)
{
	const struct store_entry *e = &u->data.kind[STORE_METRICS];
	const struct cw_metrics *m = e->data;
	const struct glyphs *g = glyphs_get(u->set.ascii);
	int n = 0;
	for (size_t i = 0; i < sizeof SPARKS / sizeof SPARKS[0] && n < rows; i++, n++) {
		kvtable_put_clipped(w, y + n, x, VIEW_KEY_WIDTH - 1, SPARKS[i].key,
				    theme_attr(THEME_KEY));
		int cols = width - VIEW_KEY_WIDTH - SPARK_VALUE_W - 1;
		if (cols > SPARK_COLS_MAX)
			cols = SPARK_COLS_MAX;
		const struct cw_series *sr = m ? &m->s[SPARKS[i].metric] : NULL;
		char val[32];
		if (!sr || !sr->present || sr->n == 0) {
			kvtable_put_clipped(w, y + n, x + VIEW_KEY_WIDTH, width - VIEW_KEY_WIDTH,
					    m ? "no points in the last hour" : "-",
					    theme_attr(THEME_DIM));
			continue;
		}
		/* the newest cols points, scaled from 0 so a flat line is not
		 * drawn as noise */
		size_t from = sr->n > (size_t)cols ? sr->n - (size_t)cols : 0;
		if (cols > 0)
			sparkline_draw(w, y + n, x + VIEW_KEY_WIDTH, cols, sr->v + from,
				       sr->n - from, 0.0, NAN, theme_attr(THEME_GOOD), g);
		double last = sr->v[sr->n - 1];
		if (SPARKS[i].bytes)
			fmt_bytes(last, val, sizeof val);
		else
			snprintf(val, sizeof val, "%.0f", last);
		kvtable_put_clipped(w, y + n, x + VIEW_KEY_WIDTH + (cols > 0 ? cols + 1 : 0),
				    SPARK_VALUE_W, val, theme_attr(THEME_NORMAL));
	}
	return n;
}

/* The details of the selected ledger as key/value rows. */
static size_t ledgers_details(const struct ui *u, const struct view_ctx *c, struct kv_row *rows,
			      char (*txt)[VIEW_TEXT_MAX])
{
	size_t n = 0;
	attr_t normal = theme_attr(THEME_NORMAL), dim = theme_attr(THEME_DIM);
	const struct store_entry *le = &u->data.kind[STORE_LEDGER];
	const struct qldb_ledger *l = le->data;
	rows[n++] = (struct kv_row){ "Name", u->data.ledger, theme_attr(THEME_TITLE), 1 };
	if (!l) {
		rows[n++] = (struct kv_row){ "State", "unknown (no answer yet)", dim, 1 };
	} else {
		rows[n++] = (struct kv_row){ "ARN", l->arn[0] ? l->arn : "-", normal, 1 };
		rows[n++] = (struct kv_row){ "State", l->state[0] ? l->state : "-",
					     theme_attr(theme_role_for_state(l->state)), 1 };
		rows[n++] = (struct kv_row){ "Permissions",
					     l->permissions_mode[0] ? l->permissions_mode : "-",
					     normal, 1 };
		rows[n++] = (struct kv_row){ "Deletion prot.",
					     !l->has_deletion_protection ? "-"
					     : l->deletion_protection	 ? "on"
									 : "off",
					     normal, 1 };
		if (l->has_encryption) {
			char since[40] = "";
			if (l->has_kms_inaccessible_since) {
				char t[32];
				view_format_time(l->kms_inaccessible_since, t, sizeof t);
				snprintf(since, sizeof since, " since %s", t);
			}
			snprintf(txt[n], VIEW_TEXT_MAX, "%.31s%s, key %.200s", l->encryption_status,
				 since,
				 strcmp(l->kms_key_arn, "AWS_OWNED_KMS_KEY") == 0 ? "AWS owned"
										  : l->kms_key_arn);
		} else {
			snprintf(txt[n], VIEW_TEXT_MAX, "AWS owned key");
		}
		rows[n] = (struct kv_row){ "Encryption", txt[n],
					   l->has_encryption ? theme_attr(theme_role_for_state(
								       l->encryption_status))
							     : normal,
					   1 };
		n++;
		if (l->has_created)
			view_format_time(l->created, txt[n], VIEW_TEXT_MAX);
		else
			snprintf(txt[n], VIEW_TEXT_MAX, "-");
		rows[n] = (struct kv_row){ "Created", txt[n], normal, 1 };
		n++;
	}
	const struct qldb_tags *tg = u->data.kind[STORE_TAGS].data;
	if (tg) { /* "env=prod, team=ledger" (sorted by the service's order) */
		size_t len = 0;
		txt[n][0] = '\0';
		for (size_t i = 0; i < tg->n && len + 1 < VIEW_TEXT_MAX; i++) {
			int w = snprintf(txt[n] + len, VIEW_TEXT_MAX - len, "%s%s=%s",
					 i ? ", " : "", tg->items[i].key, tg->items[i].value);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		rows[n] =
			(struct kv_row){ "Tags", tg->n ? txt[n] : "none", tg->n ? normal : dim, 1 };
		n++;
	}
	enum theme_role role;
	view_verdict(&u->data, txt[n], VIEW_TEXT_MAX, &role);
	rows[n] = (struct kv_row){ "Verification", txt[n], theme_attr(role), 1 };
	n++;
	rows[n] = view_row_updated(le, c, txt[n], 2);
	n++;
	return n;
}

/* The rows as drawn, the selected row on the app's ledger (] and [ and
 * :ledger choose it outside this pane). */
static void ledgers_build_selected(struct ledgers_state *st, const struct ui *u)
{
	ledgers_build(st, u);
	for (size_t i = 0; i < st->rows.n; i++)
		if (pane_rows_item(&st->rows, i) == u->data.ledger_index)
			pane_rows_select(&st->rows, &st->sel, i);
}

static void ledgers_draw(WINDOW *w, void *state, struct ui *u)
{
	struct ledgers_state *st = state;
	struct view_ctx c = ui_view_ctx(u);
	int h, wd;
	getmaxyx(w, h, wd);
	char title[64];
	size_t count = u->data.ledger_count;
	if (count > 1)
		snprintf(title, sizeof title, "Ledgers (%zu)", count);
	else
		snprintf(title, sizeof title, "Ledger");
	struct box_style bs = view_box_style(&c);
	box_draw(w, title, &bs);

	ledgers_build_selected(st, u);
	int y = 1;
	st->table_h = 0;
	if (count > 1 || u->filter[0]) {
		size_t shown = st->rows.n < LEDGERS_TABLE_MAX ? st->rows.n : LEDGERS_TABLE_MAX;
		st->table_h = (int)shown + 1 > 2 ? (int)shown + 1 : 2;
		view_table_draw(w, y, 2, wd - 4, st->table_h, COLUMNS, COL_N, st->rows.cells,
				st->rows.order, st->rows.n, &st->sel, true,
				"no ledger matches the filter", u->set.ascii);
		y += st->table_h + 1;
	}
	struct kv_row rows[LEDGERS_ROWS_MAX];
	char txt[LEDGERS_ROWS_MAX][VIEW_TEXT_MAX];
	size_t n;
	if (!u->data.ledger[0]) {
		const struct resource_ledger_list *l = u->data.list.data;
		enum theme_role role;
		if (l && l->n == 0) {
			rows[0] = (struct kv_row){ "Ledgers", "none in this account and region",
						   theme_attr(THEME_WARN), 1 };
			rows[1] = view_row_updated(&u->data.list, &c, txt[0], 3);
			n = 2;
		} else {
			view_freshness(&u->data.list, &c, txt[0], VIEW_TEXT_MAX, &role);
			rows[0] = (struct kv_row){ "Ledgers", txt[0], theme_attr(role), 6 };
			n = 1;
		}
	} else {
		n = ledgers_details(u, &c, rows, txt);
	}
	struct kvtable_area a = { .y = y,
				  .x = 2,
				  .width = wd - 4,
				  .height = h - 1 - y,
				  .key_width = VIEW_KEY_WIDTH,
				  .key_attr = theme_attr(THEME_KEY) };
	int used = (int)kvtable_draw(w, &a, rows, n);
	if (u->data.ledger[0] && h - 1 - (y + used) > 0)
		ledgers_sparks(w, y + used, 2, wd - 4, h - 1 - (y + used), u);
}

/* Enter: every detail, unclipped, as a drill-down. */
static void ledgers_drill(struct ui *u)
{
	char crumb[96];
	snprintf(crumb, sizeof crumb, "%s > ledger", u->data.ledger);
	struct state_drill_arg *d = drill_new(crumb);
	struct view_ctx c = ui_view_ctx(u);
	struct kv_row rows[LEDGERS_ROWS_MAX];
	char txt[LEDGERS_ROWS_MAX][VIEW_TEXT_MAX];
	size_t n = ledgers_details(u, &c, rows, txt);
	for (size_t i = 0; i < n; i++)
		drill_add(d, THEME_NORMAL, "%-16s%s", rows[i].key,
			  rows[i].value ? rows[i].value : "");
	drill_push(u, d);
}

static unsigned ledgers_action(void *state, enum keymap_action a, struct ui *u)
{
	struct ledgers_state *st = state;
	ledgers_build_selected(st, u); /* the rows as drawn: keys may come before the next frame */
	if (a == ACTION_ENTER) {
		if (u->data.ledger[0])
			ledgers_drill(u);
		return UI_HANDLED;
	}
	if (a == ACTION_VERIFY)
		return pane_jobs_digest_proof(u);
	int height = st->table_h > 1 ? st->table_h - 1 : 1;
	if (!pane_rows_action(&st->rows, &st->sel, a, height))
		return UI_IGNORED;
	pane_rows_sort(&st->rows, &st->sel);
	size_t item = pane_rows_selected(&st->rows, &st->sel);
	const struct resource_ledger_list *l = u->data.list.data;
	if (l && item < l->n && item != u->data.ledger_index)
		ui_select_ledger(u, l->items[item].name);
	u->dirty |= UI_DIRTY_BODY;
	return UI_HANDLED;
}

static long ledgers_count(const struct ui *u)
{
	return (long)u->data.ledger_count;
}

static void ledgers_fini(void *state)
{
	struct ledgers_state *st = state;
	pane_rows_free(&st->rows);
}

const struct pane_ops PANE_LEDGERS = {
	.name = "ledgers",
	.title = "Ledgers",
	.kinds = PANE_KIND(STORE_LEDGER_LIST) | PANE_KIND(STORE_LEDGER) | PANE_KIND(STORE_TAGS) |
		 PANE_KIND(STORE_METRICS) | PANE_KIND(STORE_AUDIT),
	.state_size = sizeof(struct ledgers_state),
	.draw = ledgers_draw,
	.action = ledgers_action,
	.count = ledgers_count,
	.fini = ledgers_fini,
};
