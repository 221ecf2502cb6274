/* cmd_serve.c - placeholder until serve is built. */
#include "tui/commands.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("serve is not built yet");
}
