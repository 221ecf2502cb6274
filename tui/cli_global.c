/*
 * cli_global.c - the global option table (see cli_global.h).
 */
#include "tui/cli_global.h"

#include <string.h>

static const struct {
	const char *name;
	enum cli_global kind;
} CLI_GLOBALS[] = {
	{ "--profile", CLI_GLOBAL_WITH_VALUE },	     { "--region", CLI_GLOBAL_WITH_VALUE },
	{ "--endpoint-url", CLI_GLOBAL_WITH_VALUE }, { "--ledger", CLI_GLOBAL_WITH_VALUE },
	{ "--interval", CLI_GLOBAL_WITH_VALUE },     { "--theme", CLI_GLOBAL_WITH_VALUE },
	{ "--log", CLI_GLOBAL_WITH_VALUE },	     { "--scenario", CLI_GLOBAL_WITH_VALUE },
	{ "--no-color", CLI_GLOBAL_FLAG },	     { "--ascii", CLI_GLOBAL_FLAG },
};

enum cli_global cli_global_kind(const char *arg)
{
	for (size_t i = 0; i < sizeof CLI_GLOBALS / sizeof CLI_GLOBALS[0]; i++)
		if (strcmp(arg, CLI_GLOBALS[i].name) == 0)
			return CLI_GLOBALS[i].kind;
	return CLI_GLOBAL_NONE;
}
