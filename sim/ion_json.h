/*
 * ion_json.h - QLDB's down-conversion of Ion to JSON, as its JSON exports
 * and journal streams write it (shared/docs/qldb-verification.md §5):
 * structs and lists as JSON objects and arrays, sexps as arrays, strings
 * and symbols as strings, ints, decimals and floats as numbers (nan and
 * infinities as null), timestamps as strings of their Ion text, blobs and
 * clobs as base64 strings, every typed null as null; annotations dropped.
 * The conversion loses types, which is why a JSON export is verified by
 * its chain only.
 * Pure. Appends to out; returns 0, or -1 with err filled.
 */
#ifndef QLDBTOP_SIM_ION_JSON_H
#define QLDBTOP_SIM_ION_JSON_H

#include <stddef.h>

#include "verify/buf.h"
#include "verify/ion.h"

int sim_ion_to_json(struct buf *out, const struct ion_value *v, char *err, size_t cap);

#endif
