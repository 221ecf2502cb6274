/* cmd_verify_export.c - placeholder until verify-export is built. */
#include "tui/commands.h"

int cmd_verify_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("verify-export is not built yet");
}
