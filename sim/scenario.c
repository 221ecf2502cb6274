/*
 * scenario.c - the scenario file parser (format in scenario.h). One table
 * says what each action takes; the parser reads a line's words against
 * it, so a new action is a table entry.
 */
#include "sim/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/fail.h"
#include "sim/kinesis.h"
#include "sim/qldb_api.h"

#define SCENARIO_FILE_MAX (256u << 10)
#define SCENARIO_WORDS_MAX 12

/* Argument letters: S service, H share, T status, M milliseconds,
 * L ledger, C cause, Q block sequence number. */
static const struct action {
	const char *name;
	enum sim_fault_kind kind;
	const char *args;
} ACTIONS[] = {
	{ "throttle", SIM_FAULT_THROTTLE, "SH" },
	{ "error", SIM_FAULT_ERROR, "STH" },
	{ "latency", SIM_FAULT_LATENCY, "SM" },
	{ "drop", SIM_FAULT_DROP, "SH" },
	{ "malformed", SIM_FAULT_MALFORMED, "SH" },
	{ "truncate", SIM_FAULT_TRUNCATE, "SH" },
	{ "impair-stream", SIM_EVENT_IMPAIR_STREAM, "LC" },
	{ "fail-export", SIM_EVENT_FAIL_EXPORT, "L" },
	{ "kms-inaccessible", SIM_EVENT_KMS_INACCESSIBLE, "L" },
	{ "tamper-block", SIM_EVENT_TAMPER_BLOCK, "LQ" },
	{ "fork", SIM_EVENT_FORK, "LQ" },
};

static const char *const SERVICES[] = { "qldb", "kinesis", "s3", "monitoring", "all", NULL };
/* Services whose operations a fault can name, and how each knows them
 * (the endpoint's own route tables: a name the endpoint would not route
 * is refused here, not silently never matched). */
static const struct {
	const char *service;
	bool (*knows)(const char *op);
} OPERATIONS[] = {
	{ "qldb", sim_qldb_knows },
	{ "kinesis", sim_kinesis_knows },
};

static const char *const CAUSES[] = { "KINESIS_STREAM_NOT_FOUND", "IAM_PERMISSION_REVOKED", NULL };

const char *sim_fault_name(enum sim_fault_kind k)
{
	for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
		if (ACTIONS[i].kind == k)
			return ACTIONS[i].name;
	return "?";
}

static bool one_of(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/* "30s", "2m", "500ms", "1500" (ms) -> milliseconds; -1 if not. */
static int64_t duration_ms(const char *w)
{
	char *end;
	errno = 0;
	double v = strtod(w, &end);
	if (end == w || errno || v < 0 || v > 1e9 || !isdigit((unsigned char)w[0]))
		return -1;
	double mult = strcmp(end, "ms") == 0 || !*end ? 1
		      : strcmp(end, "s") == 0	      ? 1000
		      : strcmp(end, "m") == 0	      ? 60000
						      : -1;
	return mult < 0 ? -1 : (int64_t)(v * mult);
}

static int64_t integer(const char *w, int64_t lo, int64_t hi)
{
	char *end;
	errno = 0;
	long long v = strtoll(w, &end, 10);
	if (!*w || *end || errno || v < lo || v > hi || !isdigit((unsigned char)w[0]))
		return -1;
	return v;
}

static bool ledger_name_ok(const char *w)
{
	size_t n = strlen(w);
	return n >= 1 && n <= 32 &&
	       strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-") == n;
}

/* SERVICE or SERVICE:Operation into e; NULL or what is wrong. */
static const char *read_service(const char *w, struct sim_scenario_event *e)
{
	const char *colon = strchr(w, ':');
	size_t sl = colon ? (size_t)(colon - w) : strlen(w);
	if (sl >= sizeof e->service)
		return "a service: qldb, kinesis, s3, monitoring or all";
	memcpy(e->service, w, sl);
	e->service[sl] = '\0';
	if (!one_of(e->service, SERVICES))
		return "a service: qldb, kinesis, s3, monitoring or all";
	if (!colon)
		return NULL;
	for (size_t i = 0; i < sizeof OPERATIONS / sizeof OPERATIONS[0]; i++) {
		if (strcmp(OPERATIONS[i].service, e->service) != 0)
			continue;
		if (strlen(colon + 1) >= sizeof e->operation || !OPERATIONS[i].knows(colon + 1))
			return "an operation the endpoint serves (qldb:GetBlock, "
			       "kinesis:GetRecords)";
		snprintf(e->operation, sizeof e->operation, "%s", colon + 1);
		return NULL;
	}
	return "a service with operations: qldb:OPERATION or kinesis:OPERATION";
}

/* One argument of letter c from word w into e; NULL or what is wrong. */
static const char *read_arg(char c, const char *w, struct sim_scenario_event *e)
{
	char *end;
	switch (c) {
	case 'S':
		return read_service(w, e);
	case 'H':
		errno = 0;
		e->share = strtod(w, &end);
		return *end || errno || !(e->share >= 0 && e->share <= 1) ? "a share from 0 to 1"
									  : NULL;
	case 'T': {
		int64_t v = integer(w, 500, 599);
		e->status = (unsigned)v;
		return v < 0 ? "an HTTP status 500..599" : NULL;
	}
	case 'M':
		e->ms = duration_ms(w);
		return e->ms < 0 || e->ms > 600000 ? "a latency up to 10m (500ms, 2s)" : NULL;
	case 'L':
		if (!ledger_name_ok(w))
			return "a ledger name";
		snprintf(e->ledger, sizeof e->ledger, "%s", w);
		return NULL;
	case 'C':
		if (!one_of(w, CAUSES))
			return "a cause: KINESIS_STREAM_NOT_FOUND or IAM_PERMISSION_REVOKED";
		snprintf(e->cause, sizeof e->cause, "%s", w);
		return NULL;
	case 'Q':
		e->seq = integer(w, 0, INT64_MAX - 1);
		return e->seq < 0 ? "a block sequence number" : NULL;
	default:
		return "an argument";
	}
}

/* Split line into words (in place); returns the count or -1 beyond max. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	for (char *p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
		if (n == max)
			return -1;
		w[n++] = p;
	}
	return n;
}

static int parse_line(char *line, unsigned no, const char *name, struct sim_scenario *s, char *err,
		      size_t cap)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *w[SCENARIO_WORDS_MAX];
	int n = split(line, w, SCENARIO_WORDS_MAX);
	if (n == 0)
		return 0;
	if (n < 0)
		return sim_fail(err, cap, "%.200s:%u: too many words", name, no);
	if (s->n == SIM_SCENARIO_EVENTS_MAX)
		return sim_fail(err, cap, "%.200s:%u: more than %d events", name, no,
				SIM_SCENARIO_EVENTS_MAX);
	struct sim_scenario_event *e = &s->v[s->n];
	memset(e, 0, sizeof *e);
	e->line = no;
	int i = 0;
	if (n >= 2 && strcmp(w[0], "at") == 0) {
		e->at_ms = duration_ms(w[1]);
		i = 2;
	} else if (n >= 3 && strcmp(w[0], "after") == 0 && strcmp(w[2], "requests") == 0) {
		int64_t k = integer(w[1], 1, INT64_MAX - 1);
		e->at_ms = -1;
		e->after_requests = (uint64_t)k;
		i = k < 0 ? -1 : 3;
	} else {
		return sim_fail(err, cap,
				"%.200s:%u: a line starts with 'at TIME' or 'after N "
				"requests'",
				name, no);
	}
	if (i < 0 || (i == 2 && e->at_ms < 0))
		return sim_fail(err, cap,
				"%.200s:%u: '%.40s' is not a time (30s, 2m, 500ms) or "
				"a count",
				name, no, w[1]);
	if (i >= n)
		return sim_fail(err, cap, "%.200s:%u: an action is missing", name, no);
	const struct action *a = NULL;
	for (size_t k = 0; k < sizeof ACTIONS / sizeof ACTIONS[0]; k++)
		if (strcmp(w[i], ACTIONS[k].name) == 0)
			a = &ACTIONS[k];
	if (!a)
		return sim_fail(err, cap, "%.200s:%u: unknown action '%.40s'", name, no, w[i]);
	e->kind = a->kind;
	i++;
	for (const char *c = a->args; *c; c++, i++) {
		if (i >= n)
			return sim_fail(err, cap, "%.200s:%u: %s needs %zu arguments", name, no,
					a->name, strlen(a->args));
		const char *why = read_arg(*c, w[i], e);
		if (why)
			return sim_fail(err, cap, "%.200s:%u: %s: '%.40s' is not %s", name, no,
					a->name, w[i], why);
	}
	if (i + 1 < n && strcmp(w[i], "for") == 0) {
		e->for_ms = duration_ms(w[i + 1]);
		if (e->for_ms <= 0)
			return sim_fail(err, cap, "%.200s:%u: 'for %.40s' is not a duration", name,
					no, w[i + 1]);
		i += 2;
	}
	if (i != n)
		return sim_fail(err, cap, "%.200s:%u: unexpected '%.40s'", name, no, w[i]);
	s->n++;
	return 0;
}

struct sim_scenario *sim_scenario_parse(const char *text, size_t len, const char *name, char *err,
					size_t cap)
{
	struct sim_scenario *s = calloc(1, sizeof *s);
	if (!s) {
		sim_fail(err, cap, "%.200s: out of memory", name);
		return NULL;
	}
	uint64_t h = 0xcbf29ce484222325ull;
	char line[SIM_SCENARIO_LINE_MAX + 1];
	unsigned no = 0;
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - (text + at)) : len - at;
		no++;
		if (ll > SIM_SCENARIO_LINE_MAX || memchr(text + at, '\0', ll)) {
			sim_fail(err, cap,
				 "%.200s:%u: the line is longer than %d bytes or holds a "
				 "NUL",
				 name, no, SIM_SCENARIO_LINE_MAX);
			free(s);
			return NULL;
		}
		memcpy(line, text + at, ll);
		line[ll] = '\0';
		if (ll && line[ll - 1] == '\r')
			line[ll - 1] = '\0';
		for (size_t i = 0; i < ll; i++)
			h = (h ^ (uint8_t)line[i]) * 0x100000001b3ull;
		if (parse_line(line, no, name, s, err, cap) != 0) {
			free(s);
			return NULL;
		}
		at += ll + (nl ? 1 : 0);
	}
	s->seed = h;
	return s;
}

struct sim_scenario *sim_scenario_load(const char *name_or_file, const char *dir, char *err,
				       size_t cap)
{
	char path[4096];
	struct stat st;
	bool is_path = strchr(name_or_file, '/') || stat(name_or_file, &st) == 0;
	if (!is_path && strspn(name_or_file, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
				strlen(name_or_file)) {
		sim_fail(err, cap, "--scenario '%.60s': not a scenario name or a file",
			 name_or_file);
		return NULL;
	}
	snprintf(path, sizeof path, is_path ? "%s" : "%s/%s", is_path ? name_or_file : dir,
		 name_or_file);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > SCENARIO_FILE_MAX) {
		sim_fail(err, cap, "--scenario %.200s: %s", path,
			 fd < 0			? strerror(errno)
			 : !S_ISREG(st.st_mode) ? "not a regular file"
						: "larger than 256 KiB");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	ssize_t got = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (got != st.st_size) {
		free(buf);
		sim_fail(err, cap, "--scenario %.200s: cannot read", path);
		return NULL;
	}
	struct sim_scenario *s = sim_scenario_parse(buf, (size_t)got, path, err, cap);
	free(buf);
	return s;
}

void sim_scenario_free(struct sim_scenario *s)
{
	free(s);
}
