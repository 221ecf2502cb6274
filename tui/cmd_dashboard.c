/* cmd_dashboard.c - placeholder until the dashboard is built. */
#include "tui/commands.h"

int cmd_dashboard(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("the dashboard is not built yet");
}
