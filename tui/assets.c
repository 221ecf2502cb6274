/*
 * assets.c - finding the assets folder (see assets.h).
 */
#include "tui/assets.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void assets_dir(const char *sub, char *out, size_t cap)
{
	const char *env = getenv("QLDBTOP_ASSETS");
	if (env && *env) {
		snprintf(out, cap, "%s/%s", env, sub);
		return;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		const char *dir = dirname(exe);
		static const char *const TRY[] = { "%s/assets/%s", "%s/../assets/%s",
						   "%s/../share/qldbtop/%s" };
		for (size_t i = 0; i < sizeof TRY / sizeof TRY[0]; i++) {
			snprintf(out, cap, TRY[i], dir, sub);
			if (is_dir(out))
				return;
		}
	}
#ifdef QLDBTOP_DATADIR
	/* the install's data folder (make install DATADIR=...), for a program
	 * copied or linked away from its tree */
	snprintf(out, cap, "%s/%s", QLDBTOP_DATADIR, sub);
	if (is_dir(out))
		return;
#endif
	snprintf(out, cap, "assets/%s", sub);
}
