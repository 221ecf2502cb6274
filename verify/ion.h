/*
 * ion.h - the Ion 1.0 data model shared by every reader, writer and hasher.
 *
 * Layering: verify/ is pure (libcrypto only, no I/O, no globals that break
 * threads). Readers build one top-level value at a time as a small tree of
 * struct ion_value in a per-reader arena; the tree stays valid until the next
 * call to ion_reader_next() or ion_reader_free(). This is a pull API at the
 * top level: QLDB exports are long streams of top-level blocks, each bounded
 * (a QLDB transaction is at most 4 MB), so a tree per top-level value keeps
 * memory flat while letting the hasher, writer and QLDB checks walk values
 * freely.
 *
 * Canonical representation (the same whether read from text or binary):
 *   int       sign + minimal big-endian magnitude (zero has len 0, never neg)
 *   decimal   exponent + sign + minimal big-endian coefficient magnitude;
 *             negative zero is neg=true with len 0
 *   float     IEEE-754 double (binary 32-bit floats are widened)
 *   timestamp fields in UTC (as Ion binary stores them) + offset in minutes
 *   symbol    text (UTF-8) or unknown text (text == NULL) with its SID
 *   string/clob/blob  bytes (strings are valid UTF-8)
 *   list/sexp/struct  children in order via first_child/next; struct children
 *             carry field_name
 * Pointers inside a value point into the reader's arena or input buffer.
 */
#ifndef QLDBTOP_VERIFY_ION_H
#define QLDBTOP_VERIFY_ION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Type codes equal the Ion binary high nibble (negative ints use 2 too). */
enum ion_type {
	ION_TYPE_NULL = 0,
	ION_TYPE_BOOL = 1,
	ION_TYPE_INT = 2,
	ION_TYPE_FLOAT = 4,
	ION_TYPE_DECIMAL = 5,
	ION_TYPE_TIMESTAMP = 6,
	ION_TYPE_SYMBOL = 7,
	ION_TYPE_STRING = 8,
	ION_TYPE_CLOB = 9,
	ION_TYPE_BLOB = 10,
	ION_TYPE_LIST = 11,
	ION_TYPE_SEXP = 12,
	ION_TYPE_STRUCT = 13,
};

/* Limits: every one is enforced with an error naming it. */
#define ION_MAX_DEPTH 100		/* container nesting */
#define ION_MAX_VALUE_BYTES (64u << 20) /* one top-level value */
#define ION_MAX_ANNOTATIONS 64		/* on one value */
#define ION_MAX_SYMBOLS (1u << 20)	/* local symbol table entries */
/* Memory one top-level value's tree may take (arena bytes, not input bytes).
 * A tree node is about 100 bytes, so ION_MAX_VALUE_BYTES of small ints
 * (2-4 input bytes each) would need about 3 GB; 256 MiB is four times
 * ION_MAX_VALUE_BYTES, enough for a value of that size made mostly of
 * strings or blobs, and holds a QLDB block (a
 * transaction is at most ~4 MB, some 40 MB of tree at worst) with room to
 * spare. Beyond it the reader fails with ION_ERR_LIMIT naming this limit. */
#define ION_MAX_ARENA_BYTES ((size_t)256 << 20)
/* |decimal exponent|: both readers enforce it, so every value read from
 * binary can be written as text and read back (and no 10^15-digit text). */
#define ION_MAX_DECIMAL_EXPONENT 1000000000000000LL /* 10^15 */

/* Error codes (negative returns). */
enum ion_status {
	ION_OK = 0,
	ION_ERR_SYNTAX = -1, /* malformed input */
	ION_ERR_LIMIT = -2,  /* a named limit was exceeded */
	ION_ERR_SYMBOL = -3, /* symbol with unknown text where text is needed */
	ION_ERR_NOMEM = -4,
	ION_ERR_IO = -5, /* the caller's source callback failed */
	ION_ERR_UNSUPPORTED = -6,
};

/* One-line error: where and what. line/column are 1-based for text input;
 * for binary input line is 0 and offset is the byte offset. */
struct ion_error {
	int code;
	size_t line, column;
	size_t offset;
	char msg[200];
};

/* Format "line:column: message" (text) or "byte N: message" (binary), in
 * at most ION_ERROR_FORMAT_MAX bytes (two 20-digit numbers + msg). */
#define ION_ERROR_FORMAT_MAX 260
void ion_error_format(const struct ion_error *err, char *buf, size_t cap);
/* Fill err (if non-NULL) printf-style; returns code. */
int ion_error_set(struct ion_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct ion_symbol {
	const char *text; /* UTF-8, not NUL-terminated; NULL = unknown text */
	size_t len;
	uint32_t sid; /* 0 for text-only symbols, else the symbol ID */
};

struct ion_bigint {
	bool neg;
	const uint8_t *mag; /* big-endian, minimal (no leading 0x00) */
	size_t len;	    /* 0 means zero */
};

enum ion_ts_precision {
	ION_TS_YEAR = 1,
	ION_TS_MONTH,
	ION_TS_DAY,
	ION_TS_MINUTE,
	ION_TS_SECOND,
	ION_TS_FRACTION,
};

struct ion_timestamp {
	enum ion_ts_precision precision;
	bool offset_known;  /* false for -00:00 and for date-only precisions */
	int16_t offset_min; /* local = UTC + offset_min */
	/* UTC fields; only those within precision are meaningful */
	uint16_t year;
	uint8_t month, day, hour, minute, second;
	/* fraction of a second (precision FRACTION): coefficient * 10^exponent,
	 * exponent < 0 unless the coefficient is zero; digits as written */
	int32_t frac_exp;
	struct ion_bigint frac_coef;
};

struct ion_decimal {
	int64_t exponent;
	struct ion_bigint coef; /* coef.neg with len 0 = negative zero */
};

struct ion_value {
	uint8_t type; /* enum ion_type */
	bool is_null; /* typed null: null.<type> (type NULL means plain null) */
	uint16_t n_annotations;
	const struct ion_symbol *annotations;
	struct ion_symbol field_name; /* set for struct children */
	struct ion_value *next;	      /* next sibling in the parent */
	union {
		bool b;
		double f;
		struct ion_bigint i;
		struct ion_decimal dec;
		struct ion_timestamp ts;
		struct ion_symbol sym;
		struct {
			const uint8_t *data;
			size_t len;
		} bytes; /* string, clob, blob */
		struct {
			struct ion_value *first_child;
			size_t count;
		} c; /* list, sexp, struct */
	} u;
};

/* --- Arena: bump allocation, freed all at once. Not thread-safe; one per
 * reader or per thread. */
struct ion_arena;
struct ion_arena *ion_arena_new(void);
void *ion_arena_alloc(struct ion_arena *a, size_t n); /* 16-byte aligned; NULL on OOM */
void ion_arena_reset(struct ion_arena *a);	      /* keeps one chunk */
void ion_arena_free(struct ion_arena *a);
/* The budget (default ION_MAX_ARENA_BYTES) for the chunks taken since the
 * arena was made or last reset; an allocation past it returns NULL and sets
 * the over-limit flag (cleared by reset). The readers turn that NULL into
 * ION_ERR_LIMIT naming ION_MAX_ARENA_BYTES and the budget. */
void ion_arena_set_limit(struct ion_arena *a, size_t bytes);
size_t ion_arena_limit(const struct ion_arena *a);
bool ion_arena_over_limit(const struct ion_arena *a);

/* --- Reader ------------------------------------------------------------
 * Input is either a whole buffer (borrowed; must outlive the reader and
 * every value it returns) or a source callback that the reader pulls from
 * (the caller does the I/O; verify/ never touches files). Text or binary is
 * detected from the first bytes (binary starts with E0 01 00 EA); text may
 * start with a UTF-8, UTF-16 or UTF-32 byte-order mark.
 *
 * name: a label used in error messages (for example a file name); borrowed. */
typedef ssize_t (*ion_source_fn)(void *ctx, uint8_t *buf, size_t cap);

struct ion_reader;
struct ion_reader *ion_reader_open_buffer(const uint8_t *buf, size_t len);
struct ion_reader *ion_reader_open_source(ion_source_fn fn, void *ctx);
void ion_reader_free(struct ion_reader *r);
bool ion_reader_is_binary(const struct ion_reader *r);
/* The memory budget per top-level value (the reader's arena is reset before
 * each): ION_MAX_ARENA_BYTES unless set here, smaller for tests or callers
 * that know their values are small. A value that needs more fails
 * ion_reader_next with ION_ERR_LIMIT: "the value needs more than 256 MiB of
 * memory (ION_MAX_ARENA_BYTES)" (the budget in MiB, or bytes below 1 MiB). */
void ion_reader_set_arena_limit(struct ion_reader *r, size_t bytes);

/* Next top-level user value. System values (version markers, local symbol
 * tables, no-op system symbols) are consumed, not returned.
 * Returns 1 and sets *out (borrowed until the next call), 0 at end of input,
 * or a negative enum ion_status with err filled. After an error the reader
 * is done: further calls return the same error. */
int ion_reader_next(struct ion_reader *r, const struct ion_value **out, struct ion_error *err);

/* Byte offset just past the last value returned (for progress reporting). */
size_t ion_reader_offset(const struct ion_reader *r);

/* Convenience: parse exactly one top-level value from text or binary.
 * The value lives in arena a, within a's budget (ion_arena_set_limit;
 * ION_MAX_ARENA_BYTES for a new arena; ION_ERR_LIMIT past it, as above).
 * Returns 0 or negative status. */
int ion_parse_one(const uint8_t *buf, size_t len, struct ion_arena *a, const struct ion_value **out,
		  struct ion_error *err);
/* The same into a new arena, with a one-line reason: on failure why holds
 * "<what>: <error>" ("<error>" when what is NULL; "out of memory" when no
 * arena could be made) and -1 is returned. *a is set either way (NULL only
 * when out of memory); the caller frees it with ion_arena_free. */
int ion_parse_one_alloc(const uint8_t *buf, size_t len, const char *what, struct ion_arena **a,
			const struct ion_value **out, char *why, size_t cap);

/* --- Small accessors (pure) ---------------------------------------------- */
/* Field of a struct by name; first match; NULL if absent or v not a struct. */
const struct ion_value *ion_struct_get(const struct ion_value *v, const char *name);
/* Int to int64; returns -1 (ION_ERR_LIMIT) if it does not fit. */
int ion_int_to_i64(const struct ion_bigint *i, int64_t *out);
bool ion_symbol_eq(const struct ion_symbol *s, const char *text);
const char *ion_type_name(enum ion_type t);

#endif
