/*
 * pane_digests.c - pane 4: the selected ledger's current digest and tip,
 * the auditor's verdict and progress, and the audit log of that ledger
 * (newest first): each check's kind, result, block and message. A FAILED
 * check is in the failure role and says FAILED; Enter on an event shows
 * its evidence (block address, expected and computed hash).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auditor.h"
#include "api/qldb.h"
#include "tui/pane.h"
#include "tui/pane_jobs.h"
#include "tui/pane_rows.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "tui/view_verdict.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

enum { COL_TIME, COL_KIND, COL_RESULT, COL_BLOCK, COL_MESSAGE, COL_N };

static const struct view_column COLUMNS[COL_N] = {
	{ "TIME", 8, false, false },	{ "CHECK", 16, false, false },
	{ "RESULT", 10, false, false }, { "BLOCK", 14, false, false },
	{ "MESSAGE", 0, false, false },
};

#define DIGEST_ROWS_MAX 8

struct digests_state {
	struct view_sel sel;
	struct pane_rows rows;
	int table_h;
	bool sorted_once;
};

static enum theme_role result_role(enum store_audit_result r)
{
	return r == STORE_AUDIT_FAILED	   ? THEME_BAD
	       : r == STORE_AUDIT_VERIFIED ? THEME_GOOD
					   : THEME_UNVERIFIED;
}

/* "{strandId:"x",sequenceNo:5}" -> "5" for the narrow column. */
static void block_short(const char *addr, char *buf, size_t cap)
{
	const char *p = strstr(addr, "sequenceNo:");
	if (p)
		snprintf(buf, cap, "seq %.10s", p + 11);
	else
		snprintf(buf, cap, "%s", addr[0] ? addr : "-");
	char *brace = strchr(buf, '}');
	if (brace)
		*brace = '\0';
}

static void digests_build(struct digests_state *st, const struct ui *u)
{
	const struct ui_data *d = &u->data;
	struct pane_rows_key k; /* new events move the cursor */
	pane_rows_key_make(&k, u, &st->sel, d->events_cursor, d->events_n, 0);
	if (pane_rows_cached(&st->rows, &k))
		return;
	pane_rows_begin(&st->rows, COL_N);
	for (size_t i = d->events_n; i-- > 0;) {
		const struct store_audit_event *e = &d->events[i];
		if (strcmp(e->ledger, d->ledger) != 0)
			continue;
		struct view_cell c[COL_N];
		time_t t = (time_t)e->time;
		struct tm tm;
		pane_cell(&c[COL_TIME], THEME_NORMAL, "-");
		if (gmtime_r(&t, &tm))
			strftime(c[COL_TIME].text, VIEW_CELL_MAX, "%H:%M:%S", &tm);
		c[COL_TIME].num = -(double)e->seq; /* newest first */
		c[COL_TIME].has_num = true;
		pane_cell(&c[COL_KIND], THEME_NORMAL, "%s", e->kind);
		pane_cell(&c[COL_RESULT], result_role(e->result), "%s",
			  store_audit_result_name(e->result));
		block_short(e->block_address, c[COL_BLOCK].text, VIEW_CELL_MAX);
		c[COL_BLOCK].role = THEME_NORMAL;
		c[COL_BLOCK].has_num = false;
		pane_cell(&c[COL_MESSAGE],
			  e->result == STORE_AUDIT_FAILED ? THEME_BAD : THEME_NORMAL, "%s",
			  e->message);
		pane_rows_add(&st->rows, u, i, c);
	}
	pane_rows_sort(&st->rows, &st->sel);
}

static size_t digest_rows(const struct ui *u, const struct view_ctx *c, struct kv_row *rows,
			  char (*txt)[VIEW_TEXT_MAX])
{
	size_t n = 0;
	attr_t normal = theme_attr(THEME_NORMAL), dim = theme_attr(THEME_DIM);
	const struct store_entry *de = &u->data.kind[STORE_DIGEST];
	const struct qldb_digest *d = de->data;
	if (d) {
		rows[n++] = (struct kv_row){ "Digest", d->digest_b64, normal, 1 };
		rows[n++] = (struct kv_row){ "Tip address", d->tip_ion, normal, 1 };
		snprintf(txt[n], VIEW_TEXT_MAX, "%" PRIu64 " (strand %s)", d->sequence_no,
			 d->strand_id);
		rows[n] = (struct kv_row){ "Tip block", txt[n], normal, 1 };
		n++;
	} else {
		rows[n++] = (struct kv_row){ "Digest", "none yet", dim, 1 };
	}
	enum theme_role role;
	view_verdict(&u->data, txt[n], VIEW_TEXT_MAX, &role);
	rows[n] = (struct kv_row){ "Verification", txt[n],
				   theme_attr(role) | (role == THEME_BAD ? A_BOLD : 0), 1 };
	n++;
	const struct audit_summary *a = u->data.kind[STORE_AUDIT].data;
	if (a) {
		if (a->walked_to >= 0)
			snprintf(txt[n], VIEW_TEXT_MAX,
				 "%" PRIu64 " rounds; walked to block %" PRId64 ", %" PRId64
				 " blocks to go",
				 a->rounds, a->walked_to, a->unwalked);
		else
			snprintf(txt[n], VIEW_TEXT_MAX, "%" PRIu64 " rounds; no block walked yet",
				 a->rounds);
		rows[n] = (struct kv_row){ "Audit", txt[n], normal, 1 };
		n++;
	}
	rows[n] = view_row_updated(de, c, txt[n], 2);
	n++;
	return n;
}

static void digests_draw(WINDOW *w, void *state, struct ui *u)
{
	struct digests_state *st = state;
	struct view_ctx c = ui_view_ctx(u);
	int h, wd;
	getmaxyx(w, h, wd);
	if (!st->sorted_once) {
		st->sel.sort = COL_TIME;
		st->sorted_once = true;
	}
	struct box_style bs = view_box_style(&c);
	char title[96];
	snprintf(title, sizeof title, "Digest and audit of %s",
		 u->data.ledger[0] ? u->data.ledger : "(no ledger)");
	box_draw(w, title, &bs);
	struct kv_row rows[DIGEST_ROWS_MAX];
	char txt[DIGEST_ROWS_MAX][VIEW_TEXT_MAX];
	size_t n = 0;
	if (!u->data.ledger[0])
		rows[n++] =
			(struct kv_row){ "Digest", "no ledger selected", theme_attr(THEME_DIM), 1 };
	else
		n = digest_rows(u, &c, rows, txt);
	struct kvtable_area a = { .y = 1,
				  .x = 2,
				  .width = wd - 4,
				  .height = h - 2,
				  .key_width = VIEW_KEY_WIDTH,
				  .key_attr = theme_attr(THEME_KEY) };
	int used = (int)kvtable_draw(w, &a, rows, n);
	digests_build(st, u);
	int y = 1 + used + 1;
	st->table_h = h - 1 - y;
	if (st->table_h >= 2)
		view_table_draw(w, y, 2, wd - 4, st->table_h, COLUMNS, COL_N, st->rows.cells,
				st->rows.order, st->rows.n, &st->sel, true,
				u->filter[0] ? "no audit event matches the filter"
					     : "no audit events yet",
				u->set.ascii);
}

/* Enter on an audit event: its evidence, then (when it names a block)
 * that block's fields, each hash check and its proof, from a job. */
static unsigned digests_event(struct ui *u, const struct store_audit_event *e)
{
	char t[40], lines[6][STORE_AUDIT_ADDR_MAX + 32];
	view_format_time(e->time, t, sizeof t);
	snprintf(lines[0], sizeof lines[0], "%-16s%s at %s", "Audit event", e->kind, t);
	snprintf(lines[1], sizeof lines[1], "%-16s%s", "Result",
		 store_audit_result_name(e->result));
	snprintf(lines[2], sizeof lines[2], "%-16s%s", "Block",
		 e->block_address[0] ? e->block_address : "-");
	snprintf(lines[3], sizeof lines[3], "%-16s%s", "Expected",
		 e->expected_b64[0] ? e->expected_b64 : "-");
	snprintf(lines[4], sizeof lines[4], "%-16s%s", "Computed",
		 e->computed_b64[0] ? e->computed_b64 : "-");
	snprintf(lines[5], sizeof lines[5], "%-16s%.200s", "Message", e->message);
	struct drill_line pre[7];
	for (int i = 0; i < 6; i++)
		pre[i] = (struct drill_line){ lines[i], i == 1 || i == 4 ? result_role(e->result)
									 : THEME_NORMAL };
	pre[6] = (struct drill_line){ "", THEME_NORMAL };
	const char *p = strstr(e->block_address, "sequenceNo:");
	char *end = NULL;
	long long seq = p ? strtoll(p + 11, &end, 10) : -1;
	if (seq >= 0 && end && end != p + 11)
		return pane_jobs_block(u, seq, pre, 7);
	char crumb[128];
	snprintf(crumb, sizeof crumb, "%s > audit > %s #%" PRIu64, u->data.ledger, e->kind, e->seq);
	struct state_drill_arg *d = drill_new(crumb);
	for (int i = 0; i < 6; i++)
		drill_add(d, pre[i].role, "%s", pre[i].text);
	drill_push(u, d);
	return UI_HANDLED;
}

static unsigned digests_action(void *state, enum keymap_action a, struct ui *u)
{
	struct digests_state *st = state;
	digests_build(st, u); /* the rows as drawn: keys may come before the next frame */
	if (a == ACTION_VERIFY)
		return pane_jobs_digest_proof(u);
	if (a == ACTION_ENTER) {
		size_t item = pane_rows_selected(&st->rows, &st->sel);
		if (item >= u->data.events_n) /* no event: the digest's own proof */
			return pane_jobs_digest_proof(u);
		return digests_event(u, &u->data.events[item]);
	}
	if (!pane_rows_action(&st->rows, &st->sel, a, st->table_h - 1))
		return UI_IGNORED;
	u->dirty |= UI_DIRTY_BODY;
	return UI_HANDLED;
}

static void digests_fini(void *state)
{
	struct digests_state *st = state;
	pane_rows_free(&st->rows);
}

const struct pane_ops PANE_DIGESTS = {
	.name = "digests",
	.title = "Digests",
	.kinds = PANE_KIND(STORE_DIGEST) | PANE_KIND(STORE_AUDIT),
	.state_size = sizeof(struct digests_state),
	.draw = digests_draw,
	.action = digests_action,
	.fini = digests_fini,
};
