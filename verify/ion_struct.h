/*
 * ion_struct.h - checks on the fields of an Ion struct that verifiers need
 * beyond lookup (ion_struct_get in ion.h): a repeated field name. Ion allows
 * repeated names, but in a struct whose fields a verifier reads by name
 * (a block, a revision, a manifest) a second field of the same name is
 * content that the first-match lookup never sees, so it must be refused.
 *
 * Pure; values are borrowed for the call.
 */
#ifndef QLDBTOP_VERIFY_ION_STRUCT_H
#define QLDBTOP_VERIFY_ION_STRUCT_H

#include "ion.h"

/* The first field whose name repeats an earlier field's name, or NULL when
 * none does (or s is not a non-null struct). Names compare by text; names of
 * unknown text compare by symbol ID. O(n^2) for a few fields, else sorted
 * (falls back to O(n^2) if the sort array cannot be allocated). */
const struct ion_value *ion_struct_duplicate(const struct ion_value *s);

/* Printable form of a field name for one-line messages: its text with
 * bytes outside visible ASCII as '?', cut at cap-1 bytes; "$<sid>" for
 * unknown text. Returns out. */
const char *ion_field_name_print(const struct ion_symbol *name, char *out, size_t cap);

#endif
