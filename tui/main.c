/*
 * main.c - entry point. The command line is one table (tui/cli.c) that
 * drives dispatch, parsing and --help; the commands are tui/cmd_*.c.
 */
#include "tui/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
