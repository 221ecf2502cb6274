/*
 * cmd_snapshot.c - `qldbtop snapshot [--json] [--ledger NAME]`: one poll of
 * every descriptor (api/resource.h) for every ledger, printed as text or
 * as the one JSON object whose contract is in the command's --help
 * (tui/cli.c). Never starts curses. Also holds headless_poll, the setup
 * snapshot and check share (commands.h).
 *
 * Nothing is guessed: a value that was not fetched is null in JSON and
 * "-" in text, each failed call is listed under its ledger's "errors",
 * and every slot kind with no descriptor in this version is named in
 * "unavailable" (taken from the store's kinds and the descriptor table, so
 * a new descriptor leaves that list by itself).
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/config.h"
#include "api/http.h"
#include "api/log.h"
#include "api/poller.h"
#include "api/resource.h"
#include "api/resource_audit.h"
#include "api/store.h"
#include "tui/commands.h"

#define SNAP_TIME_MAX 32
#define SNAP_LINE_MAX 512

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum headless_status headless_poll(const struct cli_parsed *p, const char *ledger,
				   struct headless *out, char *err, size_t cap)
{
	memset(out, 0, sizeof *out);
	out->ledger = ledger;
	if (ledger && !qldb_name_is_valid(ledger)) {
		cli_usage_error(p->cmd, "--ledger '%.40s' is not a valid ledger name", ledger);
		return HEADLESS_USAGE;
	}
	struct api_config_overrides ov = { .endpoint_url = p->global[CLI_GLOBAL_ENDPOINT_URL],
					   .region = p->global[CLI_GLOBAL_REGION],
					   .profile = p->global[CLI_GLOBAL_PROFILE] };
	struct api_error aerr;
	out->cfg = calloc(1, sizeof *out->cfg);
	if (!out->cfg) {
		snprintf(err, cap, "out of memory");
		return HEADLESS_ENV;
	}
	if (api_config_resolve(out->cfg, &ov, NULL, &aerr)) {
		cli_usage_error(p->cmd, "%s", aerr.msg);
		return HEADLESS_USAGE;
	}
	if (log_open(p->global[CLI_GLOBAL_LOG], getenv("QLDBTOP_LOG_LEVEL"), err, cap))
		return HEADLESS_ENV;
	log_add_secret(out->cfg->secret_access_key);
	log_add_secret(out->cfg->session_token);
	if (http_global_init()) {
		snprintf(err, cap, "cannot initialise libcurl");
		return HEADLESS_ENV;
	}
	out->http_ready = true;
	out->store = store_new();
	if (!out->store) {
		snprintf(err, cap, "cannot create the snapshot store");
		return HEADLESS_ENV;
	}
	char where[API_URL_MAX + 128];
	api_config_describe(out->cfg, where, sizeof where);
	log_msg(LOG_INFO, "%s: polling %s", p->cmd->name, where);

	/* one auditor round per ledger, its continuity proven from the
	 * vault: a history rewritten between two runs of check is caught */
	if (resource_audit_setup(out->store, out->cfg, true, NULL, &aerr)) {
		snprintf(err, cap, "%s", aerr.msg);
		return HEADLESS_ENV;
	}
	out->audit_ready = true;
	struct poller_config pc = { .api = *out->cfg,
				    .interval_s = POLLER_INTERVAL_UNIT_S,
				    .store = out->store };
	if (ledger)
		snprintf(pc.ledger, sizeof pc.ledger, "%s", ledger);
	out->fetched_at = wall_now();
	int rc = poller_poll_once(&pc, &aerr);
	api_config_wipe(&pc.api);
	if (rc) {
		snprintf(err, cap, "%s", aerr.msg);
		return HEADLESS_ENV;
	}
	return HEADLESS_OK;
}

void headless_release(struct headless *h)
{
	if (h->audit_ready)
		resource_audit_teardown();
	store_free(h->store);
	if (h->cfg) {
		api_config_wipe(h->cfg);
		free(h->cfg);
	}
	if (h->http_ready)
		http_global_cleanup();
	log_close();
	memset(h, 0, sizeof *h);
}

static void snap_time(double epoch, char *buf, size_t cap)
{
	time_t t = (time_t)epoch;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, cap, "-");
}

/* The ledgers to print: --ledger, else every name of the list slot. */
struct snap_names {
	struct store_entry list;
	const char *one;
	size_t n;
};

static const char *snap_name(const struct snap_names *s, size_t i)
{
	if (s->one)
		return s->one;
	const struct resource_ledger_list *l = s->list.data;
	return l->items[i].name;
}

static void snap_names_read(struct store *st, const char *ledger, struct snap_names *s)
{
	memset(s, 0, sizeof *s);
	store_read(st, "", STORE_LEDGER_LIST, &s->list);
	if (ledger) {
		s->one = ledger;
		s->n = 1;
	} else if (s->list.data) {
		s->n = ((const struct resource_ledger_list *)s->list.data)->n;
	}
}

/* A call the resource's state ruled out (GetDigest of a ledger that is
 * CREATING): listed apart, never counted as a failed call. */
static bool snap_not_ready(const struct store_entry *e)
{
	return e->error_status == API_ERR_NOT_READY;
}

/* Errors of the descriptors for key (scope given), as JSON objects and a
 * count; err_first gets the first message. not_ready: the calls not made
 * instead (snap_not_ready). */
static size_t snap_errors(struct store *st, const char *key, enum resource_scope scope, cJSON *arr,
			  bool not_ready, char *err_first, size_t cap)
{
	size_t n = 0;
	for (size_t d = 0; d < RESOURCE_TABLE_N; d++) {
		const struct resource_desc *desc = RESOURCE_TABLE[d];
		if (desc->scope != scope)
			continue;
		struct store_entry e;
		store_read(st, key, desc->kind, &e);
		if (e.error[0] && snap_not_ready(&e) == not_ready) {
			if (arr) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddItemToArray(arr, o);
				cJSON_AddStringToObject(o, "kind", desc->name);
				cJSON_AddStringToObject(o, "operation", desc->operation);
				cJSON_AddStringToObject(o, "message", e.error);
			}
			if (n++ == 0 && err_first && !err_first[0])
				snprintf(err_first, cap, "%s", e.error);
		}
		store_entry_release(&e);
	}
	return n;
}

static void json_str_or_null(cJSON *o, const char *k, const char *v, bool present)
{
	if (present && v && v[0])
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static cJSON *snap_ledger_json(struct store *st, const char *name, const char *list_state,
			       size_t *n_err, char *first, size_t cap)
{
	cJSON *o = cJSON_CreateObject();
	struct store_entry le, de;
	store_read(st, name, STORE_LEDGER, &le);
	store_read(st, name, STORE_DIGEST, &de);
	const struct qldb_ledger *l = le.data;
	const struct qldb_digest *d = de.data;
	char t[SNAP_TIME_MAX];

	cJSON_AddStringToObject(o, "name", name);
	json_str_or_null(o, "state", l ? l->state : list_state, true);
	json_str_or_null(o, "arn", l ? l->arn : NULL, l);
	if (l && l->has_deletion_protection)
		cJSON_AddBoolToObject(o, "deletion_protection", l->deletion_protection);
	else
		cJSON_AddNullToObject(o, "deletion_protection");
	json_str_or_null(o, "permissions_mode", l ? l->permissions_mode : NULL, l);
	if (l && l->has_created) {
		snap_time(l->created, t, sizeof t);
		cJSON_AddStringToObject(o, "created", t);
	} else {
		cJSON_AddNullToObject(o, "created");
	}
	if (l) {
		cJSON *enc = cJSON_AddObjectToObject(o, "encryption");
		json_str_or_null(enc, "status", l->encryption_status, l->has_encryption);
		json_str_or_null(enc, "kms_key_arn", l->kms_key_arn, l->has_encryption);
		if (l->has_kms_inaccessible_since) {
			snap_time(l->kms_inaccessible_since, t, sizeof t);
			cJSON_AddStringToObject(enc, "inaccessible_since", t);
		} else {
			cJSON_AddNullToObject(enc, "inaccessible_since");
		}
	} else {
		cJSON_AddNullToObject(o, "encryption");
	}
	if (d) {
		cJSON *dj = cJSON_AddObjectToObject(o, "digest");
		cJSON_AddStringToObject(dj, "digest", d->digest_b64);
		cJSON_AddStringToObject(dj, "tip", d->tip_ion);
		cJSON_AddStringToObject(dj, "strand_id", d->strand_id);
		cJSON_AddNumberToObject(dj, "sequence_no", (double)d->sequence_no);
		snap_time(de.fetched_at, t, sizeof t);
		cJSON_AddStringToObject(dj, "fetched_at", t);
	} else {
		cJSON_AddNullToObject(o, "digest");
	}
	cJSON_AddArrayToObject(o, "streams");
	cJSON_AddArrayToObject(o, "exports");
	/* every kind that says how it reads in JSON: its items, or null when
	 * its poll failed (the reason is under "errors") */
	for (size_t i = 0; i < RESOURCE_TABLE_N; i++) {
		const struct resource_desc *r = RESOURCE_TABLE[i];
		if (!r->to_json || r->scope != RESOURCE_SCOPE_LEDGER)
			continue;
		struct store_entry e;
		store_read(st, name, r->kind, &e);
		cJSON_DeleteItemFromObject(o, r->name);
		if (e.data)
			r->to_json(e.data, cJSON_AddArrayToObject(o, r->name));
		else
			cJSON_AddNullToObject(o, r->name);
		store_entry_release(&e);
	}
	*n_err += snap_errors(st, name, RESOURCE_SCOPE_LEDGER, cJSON_AddArrayToObject(o, "errors"),
			      false, first, cap);
	snap_errors(st, name, RESOURCE_SCOPE_LEDGER, cJSON_AddArrayToObject(o, "not_polled"), true,
		    NULL, 0);
	store_entry_release(&le);
	store_entry_release(&de);
	return o;
}

/* Slot kinds with no descriptor: "streams: not polled in this version". */
static void snap_unavailable(cJSON *arr, FILE *text)
{
	bool any = false;
	for (int k = 0; k < STORE_KIND_COUNT; k++) {
		if (resource_for_kind((enum store_kind)k) ||
		    !store_kind_is_polled((enum store_kind)k))
			continue;
		char line[64];
		snprintf(line, sizeof line, "%s: not polled in this version",
			 store_kind_name((enum store_kind)k));
		if (arr)
			cJSON_AddItemToArray(arr, cJSON_CreateString(line));
		if (text)
			fprintf(text, "%s%s", any ? ", " : "not polled in this version: ",
				store_kind_name((enum store_kind)k));
		any = true;
	}
	if (text && any)
		fputc('\n', text);
}

/* The audit log the auditor appended to the store (empty until it runs). */
static void snap_audit(struct store *st, cJSON *arr)
{
	static struct store_audit_event ev[STORE_AUDIT_MAX];
	uint64_t cursor = 0;
	size_t n = store_audit_read(st, &cursor, ev, STORE_AUDIT_MAX, NULL);
	char t[SNAP_TIME_MAX];
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		snap_time(ev[i].time, t, sizeof t);
		cJSON_AddStringToObject(o, "time", t);
		cJSON_AddStringToObject(o, "ledger", ev[i].ledger);
		cJSON_AddStringToObject(o, "kind", ev[i].kind);
		cJSON_AddStringToObject(o, "result", store_audit_result_name(ev[i].result));
		cJSON_AddStringToObject(o, "block_address", ev[i].block_address);
		cJSON_AddStringToObject(o, "expected", ev[i].expected_b64);
		cJSON_AddStringToObject(o, "computed", ev[i].computed_b64);
		cJSON_AddStringToObject(o, "message", ev[i].message);
		cJSON_AddItemToArray(arr, o);
	}
}

static const char *list_state(const struct snap_names *s, size_t i)
{
	return s->one ? NULL : ((const struct resource_ledger_list *)s->list.data)->items[i].state;
}

static size_t snap_print_json(const struct headless *h, const struct snap_names *names, char *first,
			      size_t cap)
{
	cJSON *root = cJSON_CreateObject();
	char t[SNAP_TIME_MAX];
	cJSON_AddStringToObject(root, "endpoint", h->cfg->endpoint);
	cJSON_AddStringToObject(root, "region", h->cfg->region);
	snap_time(h->fetched_at, t, sizeof t);
	cJSON_AddStringToObject(root, "fetched_at", t);
	size_t n_err = 0;
	cJSON *errors = cJSON_CreateArray();
	if (!h->ledger)
		n_err += snap_errors(h->store, "", RESOURCE_SCOPE_ACCOUNT, errors, false, first,
				     cap);
	cJSON *ledgers = cJSON_AddArrayToObject(root, "ledgers");
	for (size_t i = 0; i < names->n; i++)
		cJSON_AddItemToArray(ledgers,
				     snap_ledger_json(h->store, snap_name(names, i),
						      list_state(names, i), &n_err, first, cap));
	const struct resource_ledger_list *l = names->list.data;
	cJSON_AddBoolToObject(root, "ledgers_truncated", l && l->truncated);
	cJSON_AddItemToObject(root, "errors", errors);
	snap_audit(h->store, cJSON_AddArrayToObject(root, "audit"));
	snap_unavailable(cJSON_AddArrayToObject(root, "unavailable"), NULL);
	char *txt = cJSON_PrintUnformatted(root);
	if (txt)
		printf("%s\n", txt);
	else
		snprintf(first, cap, "out of memory printing JSON");
	free(txt);
	cJSON_Delete(root);
	return txt ? n_err : n_err + 1;
}

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static size_t snap_print_text(const struct headless *h, const struct snap_names *names, char *first,
			      size_t cap)
{
	char t[SNAP_TIME_MAX];
	snap_time(h->fetched_at, t, sizeof t);
	printf("endpoint %s  region %s  fetched %s\n", h->cfg->endpoint, h->cfg->region, t);
	size_t n_err = 0;
	for (int pass = 0; pass < 2; pass++) { /* account errors before ledgers */
		if (pass == 0 && h->ledger)
			continue;
		if (pass == 0) {
			for (size_t d = 0; d < RESOURCE_TABLE_N; d++) {
				struct store_entry e;
				if (RESOURCE_TABLE[d]->scope != RESOURCE_SCOPE_ACCOUNT)
					continue;
				store_read(h->store, "", RESOURCE_TABLE[d]->kind, &e);
				if (e.error[0]) {
					printf("error  %s\n", e.error);
					if (!n_err++ && !first[0])
						snprintf(first, cap, "%s", e.error);
				}
				store_entry_release(&e);
			}
			continue;
		}
		for (size_t i = 0; i < names->n; i++) {
			const char *name = snap_name(names, i);
			struct store_entry le, de;
			store_read(h->store, name, STORE_LEDGER, &le);
			store_read(h->store, name, STORE_DIGEST, &de);
			const struct qldb_ledger *l = le.data;
			const struct qldb_digest *d = de.data;
			printf("\n%s\n", name);
			printf("  state         %s\n", dash(l ? l->state : list_state(names, i)));
			printf("  arn           %s\n", dash(l ? l->arn : NULL));
			printf("  deletion protection %s\n",
			       l && l->has_deletion_protection
				       ? (l->deletion_protection ? "on" : "off")
				       : "-");
			printf("  permissions   %s\n", dash(l ? l->permissions_mode : NULL));
			printf("  encryption    %s %s\n",
			       dash(l && l->has_encryption ? l->encryption_status : NULL),
			       dash(l && l->has_encryption ? l->kms_key_arn : NULL));
			printf("  digest        %s\n", dash(d ? d->digest_b64 : NULL));
			printf("  tip           %s\n", dash(d ? d->tip_ion : NULL));
			store_entry_release(&le);
			store_entry_release(&de);
			for (size_t k = 0; k < RESOURCE_TABLE_N; k++) {
				struct store_entry e;
				if (RESOURCE_TABLE[k]->scope != RESOURCE_SCOPE_LEDGER)
					continue;
				store_read(h->store, name, RESOURCE_TABLE[k]->kind, &e);
				if (e.error[0] && snap_not_ready(&e)) {
					printf("  not polled    %s\n", e.error);
				} else if (e.error[0]) {
					printf("  error         %s\n", e.error);
					if (!n_err++ && !first[0])
						snprintf(first, cap, "%s", e.error);
				}
				store_entry_release(&e);
			}
		}
	}
	if (!h->ledger && names->n == 0 && n_err == 0)
		printf("no ledgers\n");
	snap_unavailable(NULL, stdout);
	return n_err;
}

int cmd_snapshot(const struct cli_parsed *p)
{
	char err[SNAP_LINE_MAX] = "";
	struct headless h;
	enum headless_status hs =
		headless_poll(p, cli_value(p, SNAP_OPT_LEDGER), &h, err, sizeof err);
	if (hs != HEADLESS_OK) {
		headless_release(&h);
		if (hs == HEADLESS_ENV)
			fprintf(stderr, "qldbtop: snapshot: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	struct snap_names names;
	snap_names_read(h.store, h.ledger, &names);
	char first[API_ERROR_MSG_MAX] = "";
	size_t n_err = cli_given(p, SNAP_OPT_JSON)
			       ? snap_print_json(&h, &names, first, sizeof first)
			       : snap_print_text(&h, &names, first, sizeof first);
	store_entry_release(&names.list);
	fflush(stdout);
	headless_release(&h);
	if (n_err) {
		fprintf(stderr, "qldbtop: snapshot: %zu call%s failed; first: %s\n", n_err,
			n_err == 1 ? "" : "s", first);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}
