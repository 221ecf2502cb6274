/*
 * options.c - table-driven parsing of the dashboard options (see options.h).
 * Both "--name value" and "--name=value" are accepted, as the AWS CLI does.
 */
#include "tui/options.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum option_kind { OPT_STRING, OPT_SECONDS, OPT_FLAG };

struct option_spec {
	const char *name;
	enum option_kind kind;
	size_t offset; /* field in struct dash_options */
	const char *help;
};

#define FIELD(f) offsetof(struct dash_options, f)

static const struct option_spec OPTIONS[] = {
	{ "--endpoint-url", OPT_STRING, FIELD(endpoint_url), "QLDB endpoint URL" },
	{ "--region", OPT_STRING, FIELD(region), "AWS region" },
	{ "--ledger", OPT_STRING, FIELD(ledger), "show only this ledger" },
	{ "--interval", OPT_SECONDS, FIELD(interval_s), "seconds between polls" },
	{ "--profile", OPT_STRING, FIELD(profile), "AWS profile (stored; chain comes later)" },
	{ "--log", OPT_STRING, FIELD(log_path), "append poll errors to FILE" },
	{ "--theme", OPT_STRING, FIELD(theme), "colour theme (stored)" },
	{ "--scenario", OPT_STRING, FIELD(scenario), "demo scenario (stored)" },
	{ "--no-color", OPT_FLAG, FIELD(no_color), "monochrome" },
	{ "--ascii", OPT_FLAG, FIELD(ascii), "ASCII frames" },
	{ "--demo", OPT_FLAG, FIELD(demo), "run on the embedded endpoint" },
};

static const struct option_spec *option_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
		if (strlen(OPTIONS[i].name) == len && strncmp(OPTIONS[i].name, name, len) == 0)
			return &OPTIONS[i];
	return NULL;
}

/* Store one value into its field; -1 with err on a bad value. */
static int option_set(const struct option_spec *o, const char *value, struct dash_options *out,
		      char *err, size_t errcap)
{
	char *field = (char *)out + o->offset;
	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case OPT_STRING:
		if (!*value) {
			snprintf(err, errcap, "%s needs a non-empty value", o->name);
			return -1;
		}
		*(const char **)field = value;
		return 0;
	case OPT_SECONDS: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(value, &end, 10);
		if (errno || end == value || *end || value[0] == '-' ||
		    v < OPTIONS_INTERVAL_MIN_S || v > OPTIONS_INTERVAL_MAX_S) {
			snprintf(err, errcap, "%s must be %d..%d seconds, got '%.20s'", o->name,
				 OPTIONS_INTERVAL_MIN_S, OPTIONS_INTERVAL_MAX_S, value);
			return -1;
		}
		*(unsigned *)field = (unsigned)v;
		out->interval_given = true;
		return 0;
	}
	}
	return -1;
}

int options_parse(int argc, char **argv, struct dash_options *out, char *err, size_t errcap)
{
	memset(out, 0, sizeof *out);
	out->interval_s = OPTIONS_DEFAULT_INTERVAL_S;
	err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '\0') {
			snprintf(err, errcap, "unknown command '%.40s'", a);
			return -1;
		}
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		const struct option_spec *o = option_find(a, len);
		if (!o) {
			snprintf(err, errcap, "unknown option '%.*s'", (int)(len > 40 ? 40 : len),
				 a);
			return -1;
		}
		const char *value = NULL;
		if (o->kind == OPT_FLAG) {
			if (eq) {
				snprintf(err, errcap, "%s takes no value", o->name);
				return -1;
			}
		} else if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
			value = argv[++i]; /* "--region --ledger x" is a missing value */
		} else {
			snprintf(err, errcap, "%s needs a value", o->name);
			return -1;
		}
		if (option_set(o, value, out, err, errcap))
			return -1;
	}
	if (out->demo && !out->interval_given)
		out->interval_s = OPTIONS_DEMO_INTERVAL_S;
	return 0;
}
