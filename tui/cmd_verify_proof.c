/* cmd_verify_proof.c - placeholder until verify-proof is built. */
#include "tui/commands.h"

int cmd_verify_proof(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("verify-proof is not built yet");
}
