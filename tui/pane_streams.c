/*
 * pane_streams.c - pane 2: the selected ledger's journal streams to
 * Kinesis (status, error cause, range, Kinesis target and its status,
 * open shards, records seen in the last 10 minutes, lag in blocks behind
 * the digest tip), and the selected stream's details under the table.
 * An IMPAIRED or FAILED stream is in the failure role with its cause
 * written out. Enter drills into the stream.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/qldb_streams.h"
#include "api/resource_kinesis.h"
#include "tui/pane.h"
#include "tui/pane_jobs.h"
#include "tui/pane_list.h"
#include "tui/pane_rows.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

enum { COL_NAME, COL_STATUS, COL_TARGET, COL_TSTATUS, COL_SHARDS, COL_LAG, COL_N };

static const struct view_column COLUMNS[COL_N] = {
	{ "NAME", 0, false, false },
	{ "STATUS", 9, false, false },
	{ "KINESIS TARGET", 20, false, false },
	{ "TARGET", 8, false, false },
	{ "SHARDS", 6, true, false },
	{ "LAG", 7, true, false },
};

struct streams_state {
	struct view_sel sel;
	struct pane_rows rows;
	int table_h;
};

/* The Kinesis health of stream id, NULL when not measured. */
static const struct kinesis_health *health_of(const struct ui *u, const char *id)
{
	const struct kinesis_health_list *k = u->data.kind[STORE_KINESIS].data;
	for (size_t i = 0; k && i < k->n; i++)
		if (strcmp(k->items[i].stream_id, id) == 0)
			return &k->items[i];
	return NULL;
}

static enum theme_role stream_role(const char *status)
{
	if (strcmp(status, "IMPAIRED") == 0 || strcmp(status, "FAILED") == 0)
		return THEME_BAD;
	if (strcmp(status, "ACTIVE") == 0)
		return THEME_GOOD;
	return theme_role_for_state(status);
}

static void lag_text(const struct kinesis_health *h, char *buf, size_t cap)
{
	if (!h || h->error[0] || h->lag < 0)
		snprintf(buf, cap, "?");
	else
		snprintf(buf, cap, "%s%" PRId64, h->lag_complete ? "" : "<=", h->lag);
}

static void streams_build(struct streams_state *st, const struct ui *u)
{
	const struct qldb_stream_list *l = u->data.kind[STORE_STREAMS].data;
	struct pane_rows_key k;
	pane_rows_key_make(&k, u, &st->sel, u->data.kind[STORE_STREAMS].generation,
			   u->data.kind[STORE_KINESIS].generation, 0);
	if (pane_rows_cached(&st->rows, &k))
		return;
	pane_rows_begin(&st->rows, COL_N);
	for (size_t i = 0; l && i < l->n; i++) {
		const struct qldb_journal_stream *s = &l->items[i];
		const struct kinesis_health *h = health_of(u, s->stream_id);
		struct view_cell c[COL_N];
		pane_cell(&c[COL_NAME], THEME_NORMAL, "%s", s->stream_name);
		pane_cell(&c[COL_STATUS], stream_role(s->status), "%s", s->status);
		pane_cell(&c[COL_TARGET], THEME_NORMAL, "%s", h ? h->target : "-");
		if (h && h->error[0])
			pane_cell(&c[COL_TSTATUS], THEME_BAD, "error");
		else
			pane_cell(&c[COL_TSTATUS], h ? theme_role_for_state(h->status) : THEME_DIM,
				  "%s", h ? h->status : "-");
		if (h && !h->error[0])
			pane_cell(&c[COL_SHARDS], THEME_NORMAL, "%" PRIu64, h->open_shards);
		else
			pane_cell(&c[COL_SHARDS], THEME_DIM, "-");
		lag_text(h, c[COL_LAG].text, VIEW_CELL_MAX);
		c[COL_LAG].role = h && h->lag > 0 ? THEME_WARN : THEME_NORMAL;
		pane_rows_add(&st->rows, u, i, c);
		pane_rows_set_id(&st->rows, i, s->stream_id); /* names may repeat */
	}
	pane_rows_sort(&st->rows, &st->sel);
}

/* Every field of stream s (and its target) through add. */
static void stream_lines(const struct ui *u, const struct qldb_journal_stream *s,
			 void (*add)(void *ctx, enum theme_role, const char *k, const char *v),
			 void *ctx)
{
	char t[2048], a[40], b[40];
	add(ctx, THEME_TITLE, "Stream", s->stream_name);
	add(ctx, THEME_NORMAL, "Stream id", s->stream_id);
	if (s->error_cause[0])
		snprintf(t, sizeof t, "%s: %s", s->status, s->error_cause);
	else
		snprintf(t, sizeof t, "%s", s->status);
	add(ctx, stream_role(s->status), "Status", t);
	if (s->has_start)
		view_format_time(s->start, a, sizeof a);
	snprintf(b, sizeof b, "open");
	if (s->has_end)
		view_format_time(s->end, b, sizeof b);
	snprintf(t, sizeof t, "%s .. %s", s->has_start ? a : "-", b);
	add(ctx, THEME_NORMAL, "Range", t);
	add(ctx, THEME_NORMAL, "Kinesis stream", s->kinesis_arn[0] ? s->kinesis_arn : "-");
	add(ctx, THEME_NORMAL, "Aggregation",
	    !s->has_aggregation ? "-"
	    : s->aggregation	? "on"
				: "off");
	add(ctx, THEME_NORMAL, "Role", s->role_arn[0] ? s->role_arn : "-");
	const struct kinesis_health *h = health_of(u, s->stream_id);
	if (!h) {
		add(ctx, THEME_DIM, "Target",
		    strcmp(s->status, "ACTIVE") == 0 ? "not measured yet" : "(stream not live)");
		return;
	}
	if (h->error[0]) {
		add(ctx, THEME_BAD, "Target", h->error);
		return;
	}
	snprintf(t, sizeof t, "%s, %" PRIu64 " open shard%s, retention %" PRIu64 " h", h->status,
		 h->open_shards, h->open_shards == 1 ? "" : "s", h->retention_hours);
	add(ctx, theme_role_for_state(h->status), "Target", t);
	char lag[32];
	lag_text(h, lag, sizeof lag);
	const struct kinesis_health_list *k = u->data.kind[STORE_KINESIS].data;
	snprintf(t, sizeof t,
		 "%s blocks behind tip %" PRIu64 "%s; %" PRIu64 " records in the last 10 min", lag,
		 k ? k->tip : 0, h->lag_complete ? "" : " (scan incomplete: an upper bound)",
		 h->records);
	add(ctx, h->lag > 0 ? THEME_WARN : THEME_NORMAL, "Lag", t);
}

/* Item i of the slot's list, described (pane_list.h). */
static void stream_describe(const struct ui *u, size_t i, pane_list_add_fn add, void *ctx)
{
	const struct qldb_stream_list *l = u->data.kind[STORE_STREAMS].data;
	if (l && i < l->n)
		stream_lines(u, &l->items[i], add, ctx);
}

static const struct pane_list LIST = {
	.what = "Journal streams",
	.noun = "stream",
	.crumb = "streams",
	.kind = STORE_STREAMS,
	.cols = COLUMNS,
	.ncols = COL_N,
	.describe = stream_describe,
};

static void streams_draw(WINDOW *w, void *state, struct ui *u)
{
	struct streams_state *st = state;
	streams_build(st, u);
	st->table_h = pane_list_draw(w, u, &LIST, &st->rows, &st->sel);
}

static unsigned streams_action(void *state, enum keymap_action a, struct ui *u)
{
	struct streams_state *st = state;
	streams_build(st, u); /* the rows as drawn: keys may come before the next frame */
	const struct qldb_stream_list *l = u->data.kind[STORE_STREAMS].data;
	size_t item = pane_rows_selected(&st->rows, &st->sel);
	if (a == ACTION_ENTER)
		return l && item < l->n
			       ? pane_list_drill(u, &LIST, item, l->items[item].stream_name)
			       : UI_HANDLED;
	if (a == ACTION_STREAM)
		return pane_jobs_stream(u, l && item < l->n ? &l->items[item] : NULL);
	if (!pane_rows_action(&st->rows, &st->sel, a, st->table_h - 1))
		return UI_IGNORED;
	u->dirty |= UI_DIRTY_BODY;
	return UI_HANDLED;
}

static long streams_count(const struct ui *u)
{
	const struct qldb_stream_list *l = u->data.kind[STORE_STREAMS].data;
	return l ? (long)l->n : -1;
}

static void streams_fini(void *state)
{
	struct streams_state *st = state;
	pane_rows_free(&st->rows);
}

const struct pane_ops PANE_STREAMS = {
	.name = "streams",
	.title = "Streams",
	.kinds = PANE_KIND(STORE_STREAMS) | PANE_KIND(STORE_KINESIS),
	.state_size = sizeof(struct streams_state),
	.draw = streams_draw,
	.action = streams_action,
	.count = streams_count,
	.fini = streams_fini,
};
