/* ion_text.c - placeholder until the parser lands. */
#include "ion_internal.h"

int ion_text_next(const uint8_t *buf, size_t len, size_t *pos, bool at_eof, struct ion_arena *a,
		  struct ion_symtab *st, struct ion_value **out, struct ion_error *err)
{
	(void)buf;
	(void)len;
	(void)pos;
	(void)at_eof;
	(void)a;
	(void)st;
	(void)out;
	return ion_error_set(err, ION_ERR_UNSUPPORTED, "not built yet");
}
