/*
 * fake_env.h - an environment for api/ resolution tests without touching
 * the process's own: a list of NAME, VALUE pairs that fake_env_get reads
 * (an api_getenv_fn). The first pair of a name wins, so a case's own
 * variables override the defaults appended after them.
 *
 * Ownership: the strings are borrowed until the next fake_env_set. Not
 * thread-safe (one test thread).
 */
#ifndef QLDBTOP_TESTS_FAKE_ENV_H
#define QLDBTOP_TESTS_FAKE_ENV_H

#define FAKE_ENV_MAX 32 /* pairs, case and defaults together */

/* The case's pairs, then each default pair whose name the case does not
 * set; both NULL-terminated lists of NAME, VALUE (either may be NULL).
 * Aborts the test run when more than FAKE_ENV_MAX pairs are given. */
void fake_env_set(const char *const *pairs, const char *const *defaults);
/* The value of name, or NULL (the api_getenv_fn of the tests). */
const char *fake_env_get(const char *name);

#endif
