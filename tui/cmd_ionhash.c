/* cmd_ionhash.c - placeholder until ionhash is built. */
#include "tui/commands.h"

int cmd_ionhash(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("ionhash is not built yet");
}
