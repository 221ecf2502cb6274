/*
 * ion_compare.h - structural equality of Ion value trees for tests: same
 * types, annotations and canonical payloads; struct fields compared as a
 * multiset (Ion structs are unordered), list and sexp children in order.
 * NaNs compare equal to NaNs. Pure; borrows both trees.
 */
#ifndef QLDBTOP_TESTS_ION_COMPARE_H
#define QLDBTOP_TESTS_ION_COMPARE_H

#include <stdbool.h>

#include "verify/ion.h"

bool ion_test_equal(const struct ion_value *a, const struct ion_value *b);

#endif
