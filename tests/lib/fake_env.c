/* fake_env.c - a fake environment for resolution tests (see fake_env.h). */
#include "tests/lib/fake_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *pairs_now[FAKE_ENV_MAX * 2 + 1];

const char *fake_env_get(const char *name)
{
	for (size_t i = 0; pairs_now[i]; i += 2)
		if (strcmp(pairs_now[i], name) == 0)
			return pairs_now[i + 1];
	return NULL;
}

static void add(size_t *n, const char *name, const char *value)
{
	if (*n >= FAKE_ENV_MAX * 2) {
		fprintf(stderr, "fake_env: more than %d variables\n", FAKE_ENV_MAX);
		abort();
	}
	pairs_now[(*n)++] = name;
	pairs_now[(*n)++] = value;
	pairs_now[*n] = NULL;
}

void fake_env_set(const char *const *pairs, const char *const *defaults)
{
	size_t n = 0;
	pairs_now[0] = NULL;
	for (size_t i = 0; pairs && pairs[i]; i += 2)
		add(&n, pairs[i], pairs[i + 1]);
	for (size_t i = 0; defaults && defaults[i]; i += 2)
		if (!fake_env_get(defaults[i]))
			add(&n, defaults[i], defaults[i + 1]);
}
