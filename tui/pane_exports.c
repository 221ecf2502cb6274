/*
 * pane_exports.c - pane 3: the selected ledger's journal exports to S3
 * (id, status, age, format, bucket and prefix), newest first, and the
 * selected export's details: range, encryption, role. CANCELLED is in the
 * failure role. Enter drills into the export.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/qldb_streams.h"
#include "tui/pane.h"
#include "tui/pane_jobs.h"
#include "tui/pane_list.h"
#include "tui/pane_rows.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

enum { COL_ID, COL_STATUS, COL_AGE, COL_FORMAT, COL_WHERE, COL_N };

static const struct view_column COLUMNS[COL_N] = {
	{ "EXPORT ID", 22, false, false },
	{ "STATUS", 11, false, false },
	{ "AGE", 7, true, false },
	{ "FORMAT", 10, false, false },
	{ "BUCKET/PREFIX", 0, false, false },
};

struct exports_state {
	struct view_sel sel;
	struct pane_rows rows;
	int table_h;
	bool sorted_once;
};

static enum theme_role export_role(const char *status)
{
	if (strcmp(status, "CANCELLED") == 0)
		return THEME_BAD;
	if (strcmp(status, "COMPLETED") == 0)
		return THEME_GOOD;
	if (strcmp(status, "IN_PROGRESS") == 0)
		return THEME_WARN;
	return THEME_NORMAL;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void exports_build(struct exports_state *st, const struct ui *u)
{
	const struct qldb_export_list *l = u->data.kind[STORE_EXPORTS].data;
	double now = wall_now();
	struct pane_rows_key k; /* the ages change each second */
	pane_rows_key_make(&k, u, &st->sel, u->data.kind[STORE_EXPORTS].generation, 0, (long)now);
	if (pane_rows_cached(&st->rows, &k))
		return;
	pane_rows_begin(&st->rows, COL_N);
	for (size_t i = 0; l && i < l->n; i++) {
		const struct qldb_journal_export *x = &l->items[i];
		struct view_cell c[COL_N];
		pane_cell(&c[COL_ID], THEME_NORMAL, "%s", x->export_id);
		pane_cell(&c[COL_STATUS], export_role(x->status), "%s", x->status);
		pane_cell(&c[COL_AGE], THEME_NORMAL, "-");
		view_format_age(now - x->created, c[COL_AGE].text, VIEW_CELL_MAX);
		c[COL_AGE].num = now - x->created;
		c[COL_AGE].has_num = true;
		pane_cell(&c[COL_FORMAT], THEME_NORMAL, "%s",
			  x->output_format[0] ? x->output_format : "ION_TEXT");
		pane_cell(&c[COL_WHERE], THEME_NORMAL, "s3://%s/%s", x->bucket, x->prefix);
		pane_rows_add(&st->rows, u, i, c);
	}
	pane_rows_sort(&st->rows, &st->sel);
}

static void export_lines(const struct ui *u, const struct qldb_journal_export *x,
			 void (*add)(void *ctx, enum theme_role, const char *k, const char *v),
			 void *ctx)
{
	char t[2048], a[40], b[40];
	add(ctx, THEME_TITLE, "Export id", x->export_id);
	add(ctx, export_role(x->status), "Status", x->status);
	view_format_time(x->created, t, sizeof t);
	add(ctx, THEME_NORMAL, "Created", t);
	view_format_time(x->start, a, sizeof a);
	view_format_time(x->end, b, sizeof b);
	snprintf(t, sizeof t, "%s .. %s", a, b);
	add(ctx, THEME_NORMAL, "Range", t);
	snprintf(t, sizeof t, "s3://%s/%s", x->bucket, x->prefix);
	add(ctx, THEME_NORMAL, "Destination", t);
	add(ctx, THEME_NORMAL, "Format", x->output_format[0] ? x->output_format : "ION_TEXT");
	snprintf(t, sizeof t, "%s%s%s", x->encryption, x->kms_key_arn[0] ? ", key " : "",
		 x->kms_key_arn);
	add(ctx, THEME_NORMAL, "Encryption", t);
	add(ctx, THEME_NORMAL, "Role", x->role_arn[0] ? x->role_arn : "-");
	/* the last verification of this export in this session (v) */
	const struct job_status *j = ui_job_find(u, JOB_VERIFY_EXPORT, x->ledger, x->export_id);
	if (!j) {
		add(ctx, THEME_UNVERIFIED, "Verification",
		    "UNVERIFIED (not checked yet: v verifies)");
	} else if (j->state == JOB_QUEUED || j->state == JOB_RUNNING) {
		if (j->total)
			snprintf(t, sizeof t, "verifying: %llu of %llu (%.0f%%)",
				 (unsigned long long)j->done, (unsigned long long)j->total,
				 100.0 * (double)j->done / (double)j->total);
		else
			snprintf(t, sizeof t, "verifying...");
		add(ctx, THEME_WARN, "Verification", t);
	} else {
		snprintf(t, sizeof t, "%s: %s",
			 j->verdict > 0	  ? "VERIFIED"
			 : j->verdict < 0 ? "FAILED"
					  : "UNVERIFIED",
			 j->message);
		add(ctx,
		    j->verdict > 0   ? THEME_GOOD
		    : j->verdict < 0 ? THEME_BAD
				     : THEME_UNVERIFIED,
		    "Verification", t);
	}
}

static void export_describe(const struct ui *u, size_t i, pane_list_add_fn add, void *ctx)
{
	const struct qldb_export_list *l = u->data.kind[STORE_EXPORTS].data;
	if (l && i < l->n)
		export_lines(u, &l->items[i], add, ctx);
}

static const struct pane_list LIST = {
	.what = "Journal exports",
	.noun = "export",
	.crumb = "exports",
	.kind = STORE_EXPORTS,
	.cols = COLUMNS,
	.ncols = COL_N,
	.describe = export_describe,
};

static void exports_draw(WINDOW *w, void *state, struct ui *u)
{
	struct exports_state *st = state;
	if (!st->sorted_once) { /* newest first until the user sorts */
		st->sel.sort = COL_AGE;
		st->sorted_once = true;
	}
	exports_build(st, u);
	st->table_h = pane_list_draw(w, u, &LIST, &st->rows, &st->sel);
}

static unsigned exports_action(void *state, enum keymap_action a, struct ui *u)
{
	struct exports_state *st = state;
	exports_build(st, u); /* the rows as drawn: keys may come before the next frame */
	const struct qldb_export_list *l = u->data.kind[STORE_EXPORTS].data;
	size_t item = pane_rows_selected(&st->rows, &st->sel);
	if (a == ACTION_ENTER)
		return l && item < l->n ? pane_list_drill(u, &LIST, item, l->items[item].export_id)
					: UI_HANDLED;
	if (a == ACTION_VERIFY) {
		if (l && item < l->n)
			return pane_jobs_verify_export(u, &l->items[item]);
		ui_message(u, true, "no export selected to verify");
		return UI_HANDLED;
	}
	if (a == ACTION_EXPORT)
		return pane_jobs_export_like(u, l && item < l->n ? &l->items[item] : NULL);
	if (!pane_rows_action(&st->rows, &st->sel, a, st->table_h - 1))
		return UI_IGNORED;
	u->dirty |= UI_DIRTY_BODY;
	return UI_HANDLED;
}

static long exports_count(const struct ui *u)
{
	const struct qldb_export_list *l = u->data.kind[STORE_EXPORTS].data;
	return l ? (long)l->n : -1;
}

static void exports_fini(void *state)
{
	struct exports_state *st = state;
	pane_rows_free(&st->rows);
}

const struct pane_ops PANE_EXPORTS = {
	.name = "exports",
	.title = "Exports",
	.kinds = PANE_KIND(STORE_EXPORTS) | PANE_KIND(STORE_JOBS),
	.state_size = sizeof(struct exports_state),
	.draw = exports_draw,
	.action = exports_action,
	.count = exports_count,
	.fini = exports_fini,
};
