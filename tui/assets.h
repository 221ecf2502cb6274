/*
 * assets.h - where qldbtop's assets (scenarios, ...) are: $QLDBTOP_ASSETS,
 * else assets/ beside the program or one folder up (a build tree), else
 * ../share/qldbtop beside it (an installed program), else the data
 * folder compiled in as QLDBTOP_DATADIR (the Makefile passes $(DATADIR),
 * default /usr/local/share/qldbtop), else ./assets. The first that is a
 * folder wins; out is written even when none is (then ./assets/sub).
 * Ownership: out is the caller's buffer; nothing is kept.
 */
#ifndef QLDBTOP_TUI_ASSETS_H
#define QLDBTOP_TUI_ASSETS_H

#include <stddef.h>

/* The folder of the assets' sub-folder sub ("scenarios"), into out. */
void assets_dir(const char *sub, char *out, size_t cap);

#endif
