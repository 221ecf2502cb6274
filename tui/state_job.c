/*
 * state_job.c - a live drill-down into an on-demand job (api/jobs.h): a
 * digest's proof, a block's checks, an export's verification, a started
 * export or stream. It is drawn from the store's jobs list on every frame,
 * so it fills in while the job runs: the state, a progress bar, the
 * verdict as a word (VERIFIED only when the job proved its whole claim),
 * the one-line outcome and the job's detail lines, after any lines the
 * opener put first (an audit event's evidence). Esc goes back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/jobs.h"
#include "tui/keymap.h"
#include "tui/theme.h"
#include "tui/ui_state.h"
#include "widgets/box.h"
#include "widgets/gauge.h"
#include "widgets/glyphs.h"
#include "widgets/kvtable.h"

#define JOB_VIEW_PREFACE_MAX 8

struct job_view {
	uint64_t id;
	char crumb[128];
	struct drill_line preface[JOB_VIEW_PREFACE_MAX];
	size_t n_preface;
	int top;
};

static const enum theme_role LINE_ROLES[] = {
	[JOB_LINE_NORMAL] = THEME_NORMAL, [JOB_LINE_GOOD] = THEME_GOOD,
	[JOB_LINE_BAD] = THEME_BAD,	  [JOB_LINE_UNVERIFIED] = THEME_UNVERIFIED,
	[JOB_LINE_TITLE] = THEME_TITLE,
};

static const char *const STATE_WORDS[] = { "queued", "running", "done", "failed" };

static const struct job_status *job_view_status(const struct ui *u, uint64_t id)
{
	const struct job_list *l = u->data.jobs.data;
	for (size_t i = 0; l && i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

static void job_view_draw(WINDOW *w, struct ui *u, void *arg)
{
	struct job_view *v = arg;
	int h, wd;
	getmaxyx(w, h, wd);
	struct box_style bs = { theme_attr(THEME_BORDER), theme_attr(THEME_TITLE), u->set.ascii };
	box_draw(w, v->crumb, &bs);
	const struct job_status *j = job_view_status(u, v->id);
	int y = 1, inner = wd - 4;
	char line[512];
	if (!j) {
		kvtable_put_clipped(w, y, 2, inner, "waiting for the job to be queued...",
				    theme_attr(THEME_DIM));
		return;
	}
	/* the verdict as a word: never VERIFIED unless the job proved it */
	const char *verdict = j->verdict > 0   ? "VERIFIED"
			      : j->verdict < 0 ? "FAILED"
					       : "UNVERIFIED";
	bool proves = j->kind == JOB_VERIFY_EXPORT || j->kind == JOB_DIGEST_PROOF ||
		      j->kind == JOB_BLOCK_DETAIL;
	enum theme_role vrole = j->verdict > 0	 ? THEME_GOOD
				: j->verdict < 0 ? THEME_BAD
						 : THEME_UNVERIFIED;
	snprintf(line, sizeof line, "%s %s: %s%s%s", job_kind_name(j->kind), j->target,
		 STATE_WORDS[j->state], proves && j->state >= JOB_DONE ? ", " : "",
		 proves && j->state >= JOB_DONE ? verdict : "");
	kvtable_put_clipped(w, y++, 2, inner, line,
			    j->state == JOB_FAILED	     ? theme_attr(THEME_BAD)
			    : proves && j->state >= JOB_DONE ? theme_attr(vrole) | A_BOLD
							     : theme_attr(THEME_NORMAL));
	if (j->state == JOB_RUNNING && j->total > 0) {
		char label[64];
		snprintf(label, sizeof label, "%llu/%llu", (unsigned long long)j->done,
			 (unsigned long long)j->total);
		gauge_draw(w, y++, 2, inner, (double)j->done / (double)j->total, label,
			   theme_attr(THEME_GOOD), theme_attr(THEME_NORMAL),
			   glyphs_get(u->set.ascii));
	}
	if (j->message[0])
		kvtable_put_clipped(w, y++, 2, inner, j->message,
				    j->state == JOB_FAILED || j->verdict < 0
					    ? theme_attr(THEME_BAD)
					    : theme_attr(THEME_NORMAL));
	y++;
	size_t total = v->n_preface + j->n_lines;
	int rows = h - 1 - y;
	if (v->top > (int)total - rows)
		v->top = (int)total - rows > 0 ? (int)total - rows : 0;
	for (int r = 0; r < rows && v->top + r < (int)total; r++) {
		size_t i = (size_t)(v->top + r);
		if (i < v->n_preface)
			kvtable_put_clipped(w, y + r, 2, inner, v->preface[i].text,
					    theme_attr(v->preface[i].role));
		else
			kvtable_put_clipped(
				w, y + r, 2, inner, j->lines[i - v->n_preface].text,
				theme_attr(LINE_ROLES[j->lines[i - v->n_preface].role]));
	}
}

static unsigned job_view_key(struct ui *u, void *arg, int ch)
{
	struct job_view *v = arg;
	int page = u->body_lines > 6 ? u->body_lines - 6 : 1;
	static const struct {
		enum keymap_action a;
		int delta;
	} SCROLL[] = {
		{ ACTION_DOWN, 1 },    { ACTION_UP, -1 },	 { ACTION_PAGE_DOWN, 0 },
		{ ACTION_PAGE_UP, 0 }, { ACTION_TOP, -1000000 }, { ACTION_BOTTOM, 1000000 }
	};
	enum keymap_action a = keymap_lookup(ch);
	if (a == ACTION_BACK) {
		ui_pop(u);
		return UI_HANDLED;
	}
	for (size_t i = 0; i < sizeof SCROLL / sizeof SCROLL[0]; i++)
		if (SCROLL[i].a == a) {
			int d = SCROLL[i].delta		? SCROLL[i].delta
				: a == ACTION_PAGE_DOWN ? page
							: -page;
			v->top += d;
			if (v->top < 0)
				v->top = 0;
			u->dirty |= UI_DIRTY_BODY;
			return UI_HANDLED;
		}
	return UI_IGNORED;
}

static void job_view_leave(void *arg)
{
	struct job_view *v = arg;
	for (size_t i = 0; v && i < v->n_preface; i++)
		free(v->preface[i].text);
	free(v);
}

const struct ui_state_ops STATE_JOB = {
	.name = "job",
	.key = job_view_key,
	.draw = job_view_draw,
	.leave = job_view_leave,
};

bool state_job_push(struct ui *u, const struct job_request *r, const char *crumb,
		    const struct drill_line *preface, size_t n_preface)
{
	uint64_t id;
	if (!ui_submit(u, r, &id))
		return false;
	struct job_view *v = calloc(1, sizeof *v);
	if (!v)
		return false;
	v->id = id;
	snprintf(v->crumb, sizeof v->crumb, "%s", crumb);
	for (size_t i = 0; i < n_preface && i < JOB_VIEW_PREFACE_MAX; i++) {
		v->preface[i].text = strdup(preface[i].text ? preface[i].text : "");
		v->preface[i].role = preface[i].role;
		if (v->preface[i].text)
			v->n_preface++;
	}
	return ui_push(u, &STATE_JOB, v);
}
