/*
 * fail.h - the endpoint's one-line error helper: printf into a caller's
 * err buffer and return -1, so a failing path is `return sim_fail(...)`.
 * err may be NULL (nothing is written). Pure.
 */
#ifndef QLDBTOP_SIM_FAIL_H
#define QLDBTOP_SIM_FAIL_H

#include <stddef.h>

int sim_fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
