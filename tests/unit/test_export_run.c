/*
 * test_export_run.c - the file side of verify-export (api/export_run.c) on
 * small exports written here from the real AWS CLI block (block 100):
 * containment (a key with "..", an absolute key, a link whose real path
 * leaves the folder are input errors naming the key, even when an intact
 * copy waits outside), a FIFO in place of an object is refused at once, and
 * the format comes from the bytes: a started manifest that says JSON over
 * an Ion object is a failure, and the object is verified as Ion. A key
 * that two files match is an input error; a file named like a data object
 * that no key reaches is counted as unproven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/testutil.h"
#include "api/export_run.h"

#define KEY "KmA3ZZca7vAIiJAK9S5Iwl.100-100.ion"

struct tmp {
	char dir[64];
};

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The Block IonText of the vector (malloc'd). */
static char *block_text(void)
{
	char *s = vector_ion_text("vectors/qldb/aws-cli-examples/get-block.output.json", "Block");
	assert_non_null(s);
	return s;
}

/* DIR/export (the folder given) with a completed manifest listing key, and
 * DIR/outside holding an intact copy of the object. */
static void export_with_key(struct tmp *t, const char *key)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/qldbtop-test-run-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	char p[160], m[1200];
	snprintf(p, sizeof p, "%s/export", t->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/outside", t->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	char *b = block_text();
	put(p, KEY, b);
	snprintf(p, sizeof p, "%s/export", t->dir);
	put(p, KEY, b);
	free(b);
	snprintf(m, sizeof m, "{keys:[\"%s\"]}", key);
	put(p, "E1.S1.completed.manifest", m);
}

static void cleanup(struct tmp *t)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/* Plan the folder DIR/export; returns export_plan_build's result. */
static int plan_of(struct tmp *t, struct export_plan *plan, char *why, size_t cap)
{
	char p[128];
	snprintf(p, sizeof p, "%s/export", t->dir);
	char *paths[1] = { p };
	return export_plan_build(paths, 1, plan, why, cap);
}

static void test_a_folder_given_twice_is_a_usage_error(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	char p[128], q[140];
	snprintf(p, sizeof p, "%s/export", t.dir);
	snprintf(q, sizeof q, "%s/export/.", t.dir);
	char *paths[2] = { p, q };
	struct export_plan plan;
	char why[1024];
	assert_int_equal(export_plan_build(paths, 2, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "give each export folder once"));
	paths[1] = t.dir; /* holds the first */
	assert_int_equal(export_plan_build(paths, 2, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "give each export folder once"));
	cleanup(&t);
}

static void test_dotdot_key_is_an_input_error_naming_it(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, "../outside/" KEY);
	struct export_plan plan;
	char why[1024];
	assert_int_equal(plan_of(&t, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "../outside/" KEY));
	assert_non_null(strstr(why, "\"..\" segment"));
	cleanup(&t);
}

static void test_absolute_key_is_an_input_error(void **state)
{
	(void)state;
	struct tmp t;
	char key[200];
	export_with_key(&t, "placeholder");
	snprintf(key, sizeof key, "%s/outside/%s", t.dir, KEY);
	cleanup(&t);
	export_with_key(&t, key);
	struct export_plan plan;
	char why[1024];
	assert_int_equal(plan_of(&t, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "an absolute path"));
	cleanup(&t);
}

static void test_link_out_of_the_folder_is_an_input_error(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	char obj[200], target[200];
	snprintf(obj, sizeof obj, "%s/export/%s", t.dir, KEY);
	snprintf(target, sizeof target, "%s/outside/%s", t.dir, KEY);
	assert_int_equal(unlink(obj), 0);
	assert_int_equal(symlink(target, obj), 0);
	struct export_plan plan;
	char why[1024];
	assert_int_equal(plan_of(&t, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "outside the export folder"));
	cleanup(&t);
}

/* Plan and run; returns export_run's result, the chain in ch. */
static int run_of(struct tmp *t, struct export_chain *ch, struct sha256 *sha, char *why, size_t cap)
{
	struct export_plan plan;
	assert_int_equal(plan_of(t, &plan, why, cap), 0);
	export_chain_init(ch, sha, NULL, NULL);
	int rc = export_run(&plan, 1, NULL, ch, why, cap);
	export_plan_free(&plan);
	return rc;
}

static void test_intact_object_inside_the_folder_runs(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	struct sha256 *sha = sha256_new();
	struct export_chain ch;
	char why[1024];
	assert_int_equal(run_of(&t, &ch, sha, why, sizeof why), 0);
	assert_int_equal(export_chain_failure_count(&ch), 0);
	assert_int_equal(ch.blocks, 1);
	assert_int_equal(ch.recomputed, 1);
	assert_int_equal(ch.first_format, EXPORT_FORMAT_ION_TEXT);
	/* no digest given: not proven */
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	export_chain_free(&ch);
	sha256_free(sha);
	cleanup(&t);
}

static void test_fifo_object_is_refused_at_once(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	char obj[200];
	snprintf(obj, sizeof obj, "%s/export/%s", t.dir, KEY);
	assert_int_equal(unlink(obj), 0);
	assert_int_equal(mkfifo(obj, 0600), 0);
	struct sha256 *sha = sha256_new();
	struct export_chain ch;
	char why[1024];
	/* no writer ever comes: a blocking open would hang here */
	assert_int_equal(run_of(&t, &ch, sha, why, sizeof why), -1);
	assert_non_null(strstr(why, "not a regular file"));
	export_chain_free(&ch);
	sha256_free(sha);
	cleanup(&t);
}

static void test_started_manifest_saying_json_over_ion_fails(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	char p[128];
	snprintf(p, sizeof p, "%s/export", t.dir);
	put(p, "E1.started.manifest", "{exportId:\"E1\",outputFormat:\"JSON\"}");
	struct sha256 *sha = sha256_new();
	struct export_chain ch;
	char why[1024];
	assert_int_equal(run_of(&t, &ch, sha, why, sizeof why), 0);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	assert_int_equal(ch.failures[0].f.kind, QLDB_CHECK_MANIFEST);
	assert_int_equal(ch.failures[0].f.seq, 100);
	/* verified as what it is: Ion, revision recomputed, not chain-only */
	assert_int_equal(ch.recomputed, 1);
	assert_int_equal(ch.json_objects, 0);
	export_chain_free(&ch);
	sha256_free(sha);
	cleanup(&t);
}

static void test_key_matching_two_files_is_an_input_error(void **state)
{
	(void)state;
	struct tmp t;
	/* the object by its full key, and another file by its basename */
	export_with_key(&t, "journalExport/" KEY);
	char p[160];
	snprintf(p, sizeof p, "%s/export/journalExport", t.dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put(p, KEY, "{}");
	struct export_plan plan;
	char why[1024];
	assert_int_equal(plan_of(&t, &plan, why, sizeof why), -1);
	assert_non_null(strstr(why, "matches two different files"));
	cleanup(&t);
}

static void test_unlisted_object_file_is_unproven(void **state)
{
	(void)state;
	struct tmp t;
	export_with_key(&t, KEY);
	char p[128];
	snprintf(p, sizeof p, "%s/export", t.dir);
	put(p, "KmA3ZZca7vAIiJAK9S5Iwl.101-200.ion", "{}");
	struct export_plan plan;
	char why[1024];
	assert_int_equal(plan_of(&t, &plan, why, sizeof why), 0);
	assert_int_equal(plan.unlisted, 1);
	assert_non_null(strstr(plan.unlisted_first, "KmA3ZZca7vAIiJAK9S5Iwl.101-200.ion"));
	export_plan_free(&plan);
	cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_folder_given_twice_is_a_usage_error),
		cmocka_unit_test(test_dotdot_key_is_an_input_error_naming_it),
		cmocka_unit_test(test_absolute_key_is_an_input_error),
		cmocka_unit_test(test_link_out_of_the_folder_is_an_input_error),
		cmocka_unit_test(test_intact_object_inside_the_folder_runs),
		cmocka_unit_test(test_fifo_object_is_refused_at_once),
		cmocka_unit_test(test_started_manifest_saying_json_over_ion_fails),
		cmocka_unit_test(test_key_matching_two_files_is_an_input_error),
		cmocka_unit_test(test_unlisted_object_file_is_unproven),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
