/*
 * ion_internal.h - interfaces between the Ion reader facade (ion_reader.c),
 * the text parser (ion_text.c), the binary parser (ion_binary.c) and the
 * symbol table (ion_symtab.c). Not for use outside verify/.
 *
 * Parser contract (text and binary alike):
 *   int ion_X_next(buf, len, &pos, at_eof, arena, symtab, &out, err)
 * parses from buf[pos..len). System values (version markers, local symbol
 * tables, no-op system symbols) are applied to the symbol table and skipped.
 * Returns
 *   1              a user value in *out (allocated in arena); pos advanced
 *                  past it
 *   0              clean end of input (only when at_eof)
 *   ION_NEED_MORE  the input ended inside (or possibly inside) a value and
 *                  at_eof is false: pos is unchanged past the last complete
 *                  value; the caller appends more bytes and calls again
 *   < 0            an error (enum ion_status); err->offset is the byte offset
 *                  in buf where it was found (line/column are filled in by
 *                  the facade for text)
 * System values consumed before ION_NEED_MORE are committed (pos moves past
 * them and the symbol table keeps their effect).
 */
#ifndef QLDBTOP_VERIFY_ION_INTERNAL_H
#define QLDBTOP_VERIFY_ION_INTERNAL_H

#include "ion.h"

#define ION_NEED_MORE (-100)

/* --- Symbol table: the Ion 1.0 system table ($1..$9) plus local symbols.
 * Owns copies of all symbol text (a chunked pool: text never moves until
 * ion_symtab_reset or _free). */
struct ion_symtab;
struct ion_symtab *ion_symtab_new(void);
void ion_symtab_free(struct ion_symtab *st);
void ion_symtab_reset(struct ion_symtab *st); /* back to the system table */
uint32_t ion_symtab_max_id(const struct ion_symtab *st);
/* Append one symbol; text NULL is a gap (unknown text). Returns its SID or
 * a negative status. */
long ion_symtab_add(struct ion_symtab *st, const char *text, size_t len);
/* Resolve a SID: fills out (text NULL for $0 and gaps). ION_ERR_SYMBOL if
 * the SID is beyond the table. */
int ion_symtab_lookup(const struct ion_symtab *st, uint32_t sid, struct ion_symbol *out);
/* Is v a local symbol table (top-level struct whose first annotation is
 * $ion_symbol_table)? */
bool ion_is_lst(const struct ion_value *v);
/* Apply a local symbol table value (imports: $ion_symbol_table appends;
 * imports: [...] of shared tables reserve max_id gaps as no catalog is
 * available; symbols: [...] adds strings, non-strings are gaps). */
int ion_symtab_apply_lst(struct ion_symtab *st, const struct ion_value *lst, struct ion_error *err);

/* --- Parsers ---------------------------------------------------------- */
int ion_text_next(const uint8_t *buf, size_t len, size_t *pos, bool at_eof, struct ion_arena *a,
		  struct ion_symtab *st, struct ion_value **out, struct ion_error *err);
int ion_binary_next(const uint8_t *buf, size_t len, size_t *pos, bool at_eof, struct ion_arena *a,
		    struct ion_symtab *st, struct ion_value **out, struct ion_error *err);

#endif
