/*
 * test_ion_conformance.c - Ion Hash over the ion-tests equivalence data
 * (shared/vectors/ion-tests/iontestdata/good/equivs and good/non-equivs,
 * both .ion and .10n, subfolders included).
 *
 * Every top-level value of those files is a list or sexp:
 *   equivs       its elements must have identical Ion Hashes;
 *   non-equivs   its elements must all differ, pairwise.
 * A sequence annotated embedded_documents holds strings, each parsed as a
 * separate Ion document; documents compare by their whole value streams.
 *
 * The hash used is the identity Ion Hash (the exact serialization that
 * every Ion Hash function is applied to), so equal keys mean equal Ion
 * Hashes for SHA-256 too and unequal keys differ except by collision.
 * A value with a symbol whose text is unknown (e.g. from a shared-table
 * import without a catalog) cannot be Ion-hashed (ION_ERR_SYMBOL): it gets
 * the key "unknown-text:<its $N text>", which is only ever unequal to a
 * value with text; two such keys that compare equal would prove nothing,
 * so that case fails the test as undecidable (none exists in the data).
 *
 * Exceptions: none. (See EXCEPTIONS below; add entries there with the
 * reason if a file ever needs one.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"

#define EQUIVS "vectors/ion-tests/iontestdata/good/equivs"
#define NON_EQUIVS "vectors/ion-tests/iontestdata/good/non-equivs"
#define MAX_ELEMENTS 256
#define UNKNOWN_PREFIX "unknown-text:"

/* Files (relative to their folder) skipped, with the reason. */
static const struct {
	const char *file, *reason;
} EXCEPTIONS[] = {
	{ NULL, NULL },
};

static bool is_exception(const char *rel)
{
	for (size_t i = 0; EXCEPTIONS[i].file; i++)
		if (strcmp(EXCEPTIONS[i].file, rel) == 0)
			return true;
	return false;
}

struct keyset {
	struct buf key[MAX_ELEMENTS];
	bool unknown[MAX_ELEMENTS];
	int n;
};

/* Append the key of one value: a length prefix, then its identity hash, or
 * the unknown-text marker. */
static int key_of(struct ionhash *h, const struct ion_value *v, struct buf *key, bool *unknown,
		  struct ion_error *err)
{
	struct buf one = { 0 };
	int rc = ionhash_value(h, v, &one, err);
	if (rc == ION_ERR_SYMBOL) {
		*unknown = true;
		buf_clear(&one);
		buf_append_str(&one, UNKNOWN_PREFIX);
		rc = ion_write_text(&one, v, err);
	}
	if (!rc) {
		uint64_t n = one.len;
		buf_append(key, &n, sizeof n);
		buf_append(key, one.data, one.len);
	}
	buf_free(&one);
	return rc;
}

/* Key of an embedded document: its whole value stream. */
static int key_of_document(struct ionhash *h, const struct ion_value *s, struct buf *key,
			   bool *unknown, struct ion_error *err)
{
	if (s->type != ION_TYPE_STRING || s->is_null)
		return ion_error_set(err, ION_ERR_SYNTAX, "embedded document is not a string");
	struct ion_reader *r = ion_reader_open_buffer(s->u.bytes.data, s->u.bytes.len);
	const struct ion_value *v;
	int rc;
	buf_append_str(key, "doc:");
	while ((rc = ion_reader_next(r, &v, err)) == 1)
		if ((rc = key_of(h, v, key, unknown, err)) != 0)
			break;
	ion_reader_free(r);
	return rc;
}

struct conf_stats {
	int files, sequences, comparisons, failures;
};

static void check_file(const char *path, const char *rel, bool equivs, struct conf_stats *st)
{
	size_t len;
	char *data = read_file(path, &len);
	assert_non_null(data);
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)data, len);
	struct ionhash *h = ionhash_new("identity");
	const struct ion_value *seq;
	struct ion_error err = { 0 };
	int rc, idx = 0;
	st->files++;
	while ((rc = ion_reader_next(r, &seq, &err)) == 1) {
		idx++;
		st->sequences++;
		if ((seq->type != ION_TYPE_LIST && seq->type != ION_TYPE_SEXP) || seq->is_null) {
			fprintf(stderr, "# FAIL %s #%d: not a list or sexp\n", rel, idx);
			st->failures++;
			continue;
		}
		bool docs = seq->n_annotations &&
			    ion_symbol_eq(&seq->annotations[0], "embedded_documents");
		struct keyset ks = { .n = 0 };
		bool bad = false;
		for (const struct ion_value *e = seq->u.c.first_child; e; e = e->next) {
			assert_true(ks.n < MAX_ELEMENTS);
			struct buf *k = &ks.key[ks.n];
			*k = (struct buf){ 0 };
			ks.unknown[ks.n] = false;
			int kr = docs ? key_of_document(h, e, k, &ks.unknown[ks.n], &err)
				      : key_of(h, e, k, &ks.unknown[ks.n], &err);
			ks.n++;
			if (kr) {
				char m[300];
				ion_error_format(&err, m, sizeof m);
				fprintf(stderr, "# FAIL %s #%d element %d: %s\n", rel, idx, ks.n,
					m);
				bad = true;
			}
		}
		for (int i = 0; i < ks.n && !bad; i++)
			for (int j = i + 1; j < ks.n; j++) {
				if (equivs && j != i + 1)
					continue; /* equality is transitive: neighbours do */
				st->comparisons++;
				bool eq =
					ks.key[i].len == ks.key[j].len &&
					memcmp(ks.key[i].data, ks.key[j].data, ks.key[i].len) == 0;
				if (eq && ks.unknown[i] && ks.unknown[j]) {
					fprintf(stderr,
						"# FAIL %s #%d: elements %d and %d both have "
						"unknown symbol text: undecidable\n",
						rel, idx, i + 1, j + 1);
					bad = true;
				} else if (eq != equivs) {
					fprintf(stderr, "# FAIL %s #%d: elements %d and %d %s\n",
						rel, idx, i + 1, j + 1,
						equivs ? "differ" : "hash the same");
					bad = true;
				}
			}
		st->failures += bad;
		for (int i = 0; i < ks.n; i++)
			buf_free(&ks.key[i]);
	}
	if (rc < 0) {
		char m[300];
		ion_error_format(&err, m, sizeof m);
		fprintf(stderr, "# FAIL %s: does not read: %s\n", rel, m);
		st->failures++;
	}
	ionhash_free(h);
	ion_reader_free(r);
	free(data);
}

static void run_folder(const char *folder, bool equivs, int min_files)
{
	char root[4096];
	snprintf(root, sizeof root, "%s", shared_path(folder));
	static const char *const SUFFIXES[] = { ".ion", ".10n", NULL };
	struct file_list fl = { 0 };
	int n = (int)file_list_collect(&fl, root, SUFFIXES), skipped = 0;
	char **files = fl.paths;
	struct conf_stats st = { 0 };
	for (int i = 0; i < n; i++) {
		const char *rel = files[i] + strlen(root) + 1;
		if (is_exception(rel))
			skipped++;
		else
			check_file(files[i], rel, equivs, &st);
	}
	file_list_free(&fl);
	fprintf(stderr,
		"# %s: %d files (%d listed exceptions), %d sequences, %d comparisons, %d "
		"failures\n",
		folder, st.files, skipped, st.sequences, st.comparisons, st.failures);
	assert_true(st.files >= min_files);
	assert_int_equal(st.failures, 0);
}

static void test_equivs_hash_identically(void **state)
{
	(void)state;
	run_folder(EQUIVS, true, 60);
}

static void test_non_equivs_hash_differently(void **state)
{
	(void)state;
	run_folder(NON_EQUIVS, false, 21);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equivs_hash_identically),
		cmocka_unit_test(test_non_equivs_hash_differently),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
