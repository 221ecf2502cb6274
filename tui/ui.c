/*
 * ui.c - the dashboard's model (see ui.h): data from the store, selection,
 * focus, filter, banner, messages, the state stack and the global actions
 * as a table of handlers.
 */
#include "tui/ui.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/jobs.h"
#include "api/poller.h"
#include "api/resource.h"
#include "tui/pane.h"
#include "tui/ui_state.h"

#define UI_SCALE_MIN (1.0 / 16)
#define UI_SCALE_MAX 64.0

int ui_init(struct ui *u, const struct ui_settings *set, struct store *store, struct poller *poller,
	    const struct pane_ops *const *panes, size_t n)
{
	memset(u, 0, sizeof *u);
	u->set = *set;
	u->store = store;
	u->poller = poller;
	u->epoch++; /* generations start again: cached rows are not this store's */
	u->panes = panes;
	u->panes_n = n > UI_PANES_MAX ? UI_PANES_MAX : n;
	u->interval_scale = 1.0;
	u->dirty = UI_DIRTY_ALL;
	for (size_t i = 0; i < u->panes_n; i++) {
		u->pane_state[i] = calloc(1, panes[i]->state_size ? panes[i]->state_size : 1);
		if (!u->pane_state[i]) {
			ui_free(u);
			return -1;
		}
	}
	return 0;
}

static void ui_data_release(struct ui_data *d)
{
	store_entry_release(&d->list);
	store_entry_release(&d->jobs);
	for (size_t k = 0; k < STORE_KIND_COUNT; k++)
		store_entry_release(&d->kind[k]);
}

void ui_free(struct ui *u)
{
	while (u->depth)
		ui_pop(u);
	for (size_t i = 0; i < u->panes_n; i++) {
		if (u->pane_state[i] && u->panes[i]->fini)
			u->panes[i]->fini(u->pane_state[i]);
		free(u->pane_state[i]);
		u->pane_state[i] = NULL;
	}
	ui_data_release(&u->data);
}

/* The selected name after the list changed: the same ledger when it is
 * still listed (the list may reorder), else the one at the same index. */
static void ui_pick_ledger(struct ui *u, const struct resource_ledger_list *l)
{
	struct ui_data *d = &u->data;
	if (u->set.fixed_ledger) {
		snprintf(d->ledger, sizeof d->ledger, "%s", u->set.fixed_ledger);
		d->ledger_index = 0;
		d->ledger_count = 1;
		return;
	}
	if (!l || l->n == 0) {
		d->ledger_count = 0;
		d->ledger_index = 0;
		d->ledger[0] = '\0';
		return;
	}
	d->ledger_count = l->n;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, d->ledger) == 0) {
			d->ledger_index = i;
			return;
		}
	if (d->ledger_index >= l->n)
		d->ledger_index = l->n - 1;
	snprintf(d->ledger, sizeof d->ledger, "%s", l->items[d->ledger_index].name);
}

/* New audit events into the ring; a FAILED one raises the banner. */
static void ui_events_read(struct ui *u)
{
	struct ui_data *d = &u->data;
	struct store_audit_event batch[32];
	size_t got;
	while ((got = store_audit_read(u->store, &d->events_cursor, batch, 32, NULL)) > 0) {
		for (size_t i = 0; i < got; i++) {
			if (d->events_n == UI_EVENTS_MAX) {
				memmove(d->events, d->events + 1,
					(UI_EVENTS_MAX - 1) * sizeof d->events[0]);
				d->events_n--;
			}
			d->events[d->events_n++] = batch[i];
			if (batch[i].result == STORE_AUDIT_FAILED) {
				if (!u->banner.active)
					u->dirty |= UI_DIRTY_LAYOUT;
				u->banner.active = true;
				u->banner.ev = batch[i];
				u->banner.failures++;
				u->bell_pending = u->set.bell_on_failure;
				u->dirty |= UI_DIRTY_BANNER | UI_DIRTY_HEADER;
			}
		}
		u->dirty |= UI_DIRTY_BODY;
	}
}

/* The jobs list; a job that finished since the last look is said in the
 * footer (jobs run one at a time, so ids finish in order). */
static void ui_jobs_refresh(struct ui *u)
{
	struct ui_data *d = &u->data;
	struct store_entry e;
	store_read(u->store, "", STORE_JOBS, &e);
	if (e.generation == d->jobs.generation) {
		store_entry_release(&e);
		return;
	}
	store_entry_release(&d->jobs);
	d->jobs = e;
	u->dirty |= UI_DIRTY_BODY;
	const struct job_list *l = e.data;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct job_status *j = &l->items[i];
		if (j->id <= d->jobs_announced || (j->state != JOB_DONE && j->state != JOB_FAILED))
			continue;
		d->jobs_announced = j->id;
		ui_message(u, j->state == JOB_FAILED || j->verdict < 0, "%s %s: %s",
			   job_kind_name(j->kind), j->target, j->message);
		/* a started export or a cancelled stream shows at once, not
		 * at the next poll of its kind */
		if (j->state == JOB_DONE &&
		    (j->kind == JOB_EXPORT_START || j->kind == JOB_STREAM_START ||
		     j->kind == JOB_STREAM_CANCEL))
			poller_refresh(u->poller);
	}
}

void ui_data_refresh(struct ui *u)
{
	struct ui_data *d = &u->data;
	struct store_entry list;
	store_read(u->store, "", STORE_LEDGER_LIST, &list);
	char before[sizeof d->ledger];
	snprintf(before, sizeof before, "%s", d->ledger);
	ui_pick_ledger(u, list.data);
	bool moved = strcmp(before, d->ledger) != 0;
	if (moved || list.generation != d->list.generation)
		u->dirty |= UI_DIRTY_HEADER | UI_DIRTY_TABS | UI_DIRTY_BODY;
	store_entry_release(&d->list);
	d->list = list;
	unsigned shown = u->panes_n ? u->panes[u->pane]->kinds : 0;
	for (size_t k = 0; k < STORE_KIND_COUNT; k++) {
		if (k == STORE_LEDGER_LIST || k == STORE_JOBS)
			continue;
		struct store_entry e;
		store_read(u->store, d->ledger, (enum store_kind)k, &e);
		if (moved || e.generation != d->kind[k].generation) {
			u->dirty |= UI_DIRTY_TABS | UI_DIRTY_HEADER;
			if (shown & PANE_KIND(k))
				u->dirty |= UI_DIRTY_BODY;
		}
		store_entry_release(&d->kind[k]);
		d->kind[k] = e;
	}
	ui_jobs_refresh(u);
	uint64_t g = store_generation(u->store);
	if (g != d->generation)
		u->dirty |= UI_DIRTY_FOOTER;
	d->generation = g;
	ui_events_read(u);
}

void ui_tick(struct ui *u)
{
	u->dirty |= UI_DIRTY_BODY | UI_DIRTY_HEADER;
	if (u->message[0] && store_now_mono() >= u->message_until) {
		u->message[0] = '\0';
		u->dirty |= UI_DIRTY_FOOTER;
	}
}

bool ui_select_ledger(struct ui *u, const char *name)
{
	const struct resource_ledger_list *l = u->data.list.data;
	if (u->set.fixed_ledger) {
		ui_message(u, true, "--ledger %s was given: the dashboard shows that ledger only",
			   u->set.fixed_ledger);
		return false;
	}
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0) {
			u->data.ledger_index = i;
			snprintf(u->data.ledger, sizeof u->data.ledger, "%s", name);
			ui_data_refresh(u);
			u->dirty |= UI_DIRTY_HEADER | UI_DIRTY_TABS | UI_DIRTY_BODY;
			return true;
		}
	ui_message(u, true, "no ledger '%.40s' in this account and region", name);
	return false;
}

void ui_step_ledger(struct ui *u, int step)
{
	const struct resource_ledger_list *l = u->data.list.data;
	if (u->set.fixed_ledger || !l || l->n < 2)
		return;
	size_t n = l->n, i = (u->data.ledger_index + (step > 0 ? 1 : n - 1)) % n;
	ui_select_ledger(u, l->items[i].name);
}

void ui_focus(struct ui *u, size_t i)
{
	if (i >= u->panes_n)
		return;
	while (u->depth) /* a pane switch leaves any drill-down or overlay */
		ui_pop(u);
	u->pane = i;
	u->dirty |= UI_DIRTY_TABS | UI_DIRTY_BODY | UI_DIRTY_FOOTER;
}

void ui_message(struct ui *u, bool bad, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->message, sizeof u->message, fmt, ap);
	va_end(ap);
	u->message_bad = bad;
	u->message_until = store_now_mono() + UI_MESSAGE_SECONDS;
	u->dirty |= UI_DIRTY_FOOTER;
}

bool ui_push(struct ui *u, const struct ui_state_ops *st, void *arg)
{
	if (u->depth == UI_STATES_MAX) {
		if (st->leave)
			st->leave(arg);
		return false;
	}
	u->states[u->depth] = st;
	u->state_arg[u->depth] = arg;
	u->depth++;
	u->dirty |= UI_DIRTY_BODY | UI_DIRTY_FOOTER;
	return true;
}

void ui_pop(struct ui *u)
{
	if (!u->depth)
		return;
	u->depth--;
	if (u->states[u->depth]->leave)
		u->states[u->depth]->leave(u->state_arg[u->depth]);
	u->states[u->depth] = NULL;
	u->state_arg[u->depth] = NULL;
	u->dirty |= UI_DIRTY_BODY | UI_DIRTY_FOOTER | UI_DIRTY_TABS;
}

void ui_set_filter(struct ui *u, const char *text)
{
	snprintf(u->filter, sizeof u->filter, "%s", text ? text : "");
	u->dirty |= UI_DIRTY_BODY | UI_DIRTY_TABS;
}

bool ui_filter_match(const struct ui *u, const char *text)
{
	const char *f = u->filter;
	if (!f[0])
		return true;
	size_t fl = strlen(f);
	for (const char *p = text; *p; p++) {
		size_t i = 0;
		while (i < fl && p[i] &&
		       tolower((unsigned char)p[i]) == tolower((unsigned char)f[i]))
			i++;
		if (i == fl)
			return true;
	}
	return false;
}

int ui_reconfigure(struct ui *u, const char *profile, const char *region, char *err, size_t cap)
{
	if (!u->set.reconfigure) {
		snprintf(err, cap, "switching profile or region is not available here");
		return -1;
	}
	struct store *store = u->store;
	struct poller *poller = u->poller;
	bool readonly = u->set.readonly;
	ui_data_release(&u->data);
	if (u->set.reconfigure(u->set.reconfigure_ctx, profile, region, &store, &poller, &readonly,
			       err, cap)) {
		ui_data_refresh(u); /* the old store is still there */
		return -1;
	}
	u->store = store;
	u->poller = poller;
	u->epoch++;		    /* generations start again: cached rows are not this store's */
	u->set.readonly = readonly; /* per profile (the config's [profile NAME]) */
	u->interval_scale = 1.0;    /* the new pollers start at --interval */
	memset(&u->data, 0, sizeof u->data); /* new store: new generations, new log */
	u->paused = false;
	u->dirty = UI_DIRTY_ALL;
	ui_data_refresh(u);
	return 0;
}

bool ui_submit(struct ui *u, const struct job_request *r, uint64_t *id)
{
	char err[UI_MESSAGE_MAX];
	if (!u->set.submit) {
		ui_message(u, true, "actions are not available here");
		return false;
	}
	if (u->set.submit(u->set.submit_ctx, r, id, err, sizeof err)) {
		ui_message(u, true, "%s", err);
		return false;
	}
	ui_message(u, false, "%s %s: queued", job_kind_name(r->kind), r->ledger);
	return true;
}

const struct job_status *ui_job_find(const struct ui *u, int kind, const char *ledger,
				     const char *id)
{
	const struct job_list *l = u->data.jobs.data;
	for (size_t i = l ? l->n : 0; i-- > 0;) {
		const struct job_status *j = &l->items[i];
		if ((int)j->kind == kind && strcmp(j->ledger, ledger) == 0 &&
		    (!id[0] || strstr(j->target, id)))
			return j;
	}
	return NULL;
}

bool ui_may_mutate(struct ui *u, const char *what)
{
	if (!u->set.readonly)
		return true;
	ui_message(u, true, "read-only: %s is disabled (--readonly or readonly in the config)",
		   what);
	return false;
}

struct view_ctx ui_view_ctx(const struct ui *u)
{
	double s = u->set.interval_s * u->interval_scale;
	return (struct view_ctx){ .now_mono = store_now_mono(),
				  .interval_s = s < 1 ? 1 : (unsigned)s,
				  .ascii = u->set.ascii };
}

/* --- the global actions, one handler each ------------------------------ */

static unsigned act_quit(struct ui *u)
{
	u->quit = true;
	return UI_QUIT;
}

static unsigned act_help(struct ui *u)
{
	state_help_push(u);
	return UI_HANDLED;
}

static unsigned act_refresh(struct ui *u)
{
	poller_refresh(u->poller);
	u->paused = false;
	ui_message(u, false, "refreshing every kind now");
	u->dirty |= UI_DIRTY_TABS;
	return UI_HANDLED;
}

static unsigned act_pause(struct ui *u)
{
	u->paused = !u->paused;
	poller_pause(u->poller, u->paused);
	ui_message(u, false,
		   u->paused ? "polling paused (p resumes; data ages on screen)"
			     : "polling resumed");
	u->dirty |= UI_DIRTY_TABS | UI_DIRTY_HEADER;
	return UI_HANDLED;
}

static unsigned ui_scale(struct ui *u, double f)
{
	double s = u->interval_scale * f;
	if (s < UI_SCALE_MIN || s > UI_SCALE_MAX || u->set.interval_s * s > POLLER_INTERVAL_MAX_S) {
		ui_message(u, true, "interval stays at %gs x %g", (double)u->set.interval_s,
			   u->interval_scale);
		return UI_HANDLED;
	}
	u->interval_scale = s;
	poller_set_scale(u->poller, (double)u->set.interval_s * s / POLLER_INTERVAL_UNIT_S);
	ui_message(u, false, "digests every %gs, ledgers every %gs",
		   poller_interval(&RESOURCE_DIGEST,
				   (double)u->set.interval_s * s / POLLER_INTERVAL_UNIT_S),
		   poller_interval(&RESOURCE_LEDGER,
				   (double)u->set.interval_s * s / POLLER_INTERVAL_UNIT_S));
	u->dirty |= UI_DIRTY_TABS | UI_DIRTY_BODY;
	return UI_HANDLED;
}

static unsigned act_interval_up(struct ui *u)
{
	return ui_scale(u, 2.0);
}

static unsigned act_interval_down(struct ui *u)
{
	return ui_scale(u, 0.5);
}

static unsigned act_redraw(struct ui *u)
{
	u->dirty = UI_DIRTY_ALL;
	return UI_HANDLED;
}

static unsigned act_pane_next(struct ui *u)
{
	ui_focus(u, (u->pane + 1) % u->panes_n);
	return UI_HANDLED;
}

static unsigned act_pane_prev(struct ui *u)
{
	ui_focus(u, (u->pane + u->panes_n - 1) % u->panes_n);
	return UI_HANDLED;
}

static unsigned act_pane_1(struct ui *u)
{
	ui_focus(u, 0);
	return UI_HANDLED;
}

static unsigned act_pane_2(struct ui *u)
{
	ui_focus(u, 1);
	return UI_HANDLED;
}

static unsigned act_pane_3(struct ui *u)
{
	ui_focus(u, 2);
	return UI_HANDLED;
}

static unsigned act_pane_4(struct ui *u)
{
	ui_focus(u, 3);
	return UI_HANDLED;
}

static unsigned act_filter(struct ui *u)
{
	state_filter_push(u);
	return UI_HANDLED;
}

static unsigned act_command(struct ui *u)
{
	state_command_push(u);
	return UI_HANDLED;
}

static unsigned act_ack(struct ui *u)
{
	if (!u->banner.active) {
		ui_message(u, false, "no integrity failure to acknowledge");
		return UI_HANDLED;
	}
	u->banner.active = false;
	u->banner.failures = 0;
	u->dirty |= UI_DIRTY_LAYOUT;
	ui_message(u, false, "acknowledged; the audit log (4) keeps the failure");
	return UI_HANDLED;
}

static unsigned act_back(struct ui *u)
{
	if (u->filter[0]) {
		ui_set_filter(u, "");
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

static unsigned act_ledger_next(struct ui *u)
{
	ui_step_ledger(u, 1);
	return UI_HANDLED;
}

static unsigned act_ledger_prev(struct ui *u)
{
	ui_step_ledger(u, -1);
	return UI_HANDLED;
}

static unsigned (*const GLOBAL_ACTIONS[ACTION_COUNT])(struct ui *) = {
	[ACTION_QUIT] = act_quit,
	[ACTION_HELP] = act_help,
	[ACTION_REFRESH] = act_refresh,
	[ACTION_PAUSE] = act_pause,
	[ACTION_INTERVAL_UP] = act_interval_up,
	[ACTION_INTERVAL_DOWN] = act_interval_down,
	[ACTION_REDRAW] = act_redraw,
	[ACTION_PANE_NEXT] = act_pane_next,
	[ACTION_PANE_PREV] = act_pane_prev,
	[ACTION_PANE_1] = act_pane_1,
	[ACTION_PANE_2] = act_pane_2,
	[ACTION_PANE_3] = act_pane_3,
	[ACTION_PANE_4] = act_pane_4,
	[ACTION_FILTER] = act_filter,
	[ACTION_COMMAND] = act_command,
	[ACTION_ACK] = act_ack,
	[ACTION_BACK] = act_back,
	[ACTION_LEDGER_NEXT] = act_ledger_next,
	[ACTION_LEDGER_PREV] = act_ledger_prev,
};

unsigned ui_global_action(struct ui *u, enum keymap_action a)
{
	if (a <= ACTION_NONE || a >= ACTION_COUNT || !GLOBAL_ACTIONS[a])
		return UI_IGNORED;
	return GLOBAL_ACTIONS[a](u);
}
