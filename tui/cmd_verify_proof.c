/*
 * cmd_verify_proof.c - `qldbtop verify-proof RESPONSE.json --digest DIGEST.json`.
 *
 * RESPONSE is what `aws qldb get-block` or `aws qldb get-revision` printed
 * (with --digest-tip-address), DIGEST what `aws qldb get-digest` printed.
 * The outer JSON is read strictly by api/qldb.c's one GetDigest and proof
 * response readers (a repeated key, trailing data or a NUL is an input
 * error); the IonText inside and every check are verify/qldb_proof.c.
 * Every proven step is printed; anything that was not proven is printed as
 * UNVERIFIED; the last line is the verdict. Exit 0 proven, 1 integrity
 * failure, 2 usage or input error (one line), 3 nothing failed but
 * something was not proven.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/qldb.h"
#include "tui/cli.h"
#include "api/cli_io.h"
#include "tui/commands.h"

#include "verify/qldb_proof.h"

#define PROOF_FILE_MAX (16u << 20) /* GetBlock IonText is at most 1 MiB */

/* Whole file (NUL-terminated) or NULL with a one-line reason in why. */
static char *slurp(const char *path, size_t *len, char *why, size_t cap)
{
	char too_large[48];
	snprintf(too_large, sizeof too_large, "larger than %u bytes", PROOF_FILE_MAX);
	return cli_file_read(path, PROOF_FILE_MAX, too_large, len, why, cap);
}

static void on_pass(void *ctx, enum qldb_check kind, const char *line)
{
	(void)ctx;
	(void)kind;
	printf("  %s\n", line);
}

struct tally {
	int failures, notes;
};

static void on_note(void *ctx, const char *line)
{
	struct tally *t = ctx;
	t->notes++;
	printf("  UNVERIFIED: %s\n", line);
}

static void on_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	t->failures++;
	printf("  FAILED %s\n", f->message);
}

int cmd_verify_proof(const struct cli_parsed *p)
{
	/* the table (tui/cli.c) checked one RESPONSE and the required --digest */
	const char *resp_path = p->args[0];
	const char *digest_path = cli_value(p, VPROOF_OPT_DIGEST);

	char why[QLDB_MESSAGE_MAX + 64];
	size_t rlen = 0, dlen = 0;
	char *rbuf = NULL, *dbuf = NULL;
	struct qldb_proof_response resp = { 0 };
	struct qldb_checker *c = NULL;
	int status = CLI_EXIT_USAGE;
	if (!(rbuf = slurp(resp_path, &rlen, why, sizeof why)) ||
	    !(dbuf = slurp(digest_path, &dlen, why, sizeof why))) {
		fprintf(stderr, "qldbtop: verify-proof: %s\n", why);
		goto out;
	}
	/* api/'s strict readers: one GetDigest parser, one proof-response parser */
	struct api_error aerr;
	struct qldb_digest dg;
	if (qldb_parse_digest_file(dbuf, dlen, &dg, &aerr)) {
		fprintf(stderr, "qldbtop: verify-proof: %s: %s\n", digest_path, aerr.msg);
		goto out;
	}
	if (qldb_parse_proof_response(rbuf, rlen, &resp, &aerr)) {
		fprintf(stderr, "qldbtop: verify-proof: %s: %s\n", resp_path, aerr.msg);
		goto out;
	}
	struct qldb_proof_input in = { 0 };
	in.digest.len = 32;
	memcpy(in.digest.b, dg.digest, 32);
	in.tip_text = dg.tip_ion;
	in.tip_len = strlen(dg.tip_ion);
	in.block_text = resp.block_text;
	in.block_len = resp.block_len;
	in.revision_text = resp.revision_text;
	in.revision_len = resp.revision_len;
	in.proof_text = resp.proof_text;
	in.proof_len = resp.proof_len;
	if (!in.block_text && !in.revision_text && resp.has_revision_hash) {
		in.revision_hash = &resp.revision_hash;
		in.address_text = resp.address_text;
		in.address_len = resp.address_len;
	}

	c = qldb_checker_new();
	if (!c) {
		fprintf(stderr, "qldbtop: verify-proof: out of memory\n");
		goto out;
	}
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = on_fail, .pass = on_pass, .note = on_note, .ctx = &t };
	int rc = qldb_proof_verify(c, &in, &rep, why, sizeof why);
	fflush(stdout);
	if (rc < 0) {
		fprintf(stderr, "qldbtop: verify-proof: %s: %s\n", resp_path, why);
		goto out;
	}
	if (rc == 0) {
		/* a note is something not proven: the hash may be covered, but the
		 * content it stands for is not, so this is not VERIFIED (exit 3) */
		if (t.notes) {
			printf("UNVERIFIED: the %s hash is covered by digest %s, but %d thing%s "
			       "not proven (see UNVERIFIED above)\n",
			       in.block_text ? "block" : "revision", dg.digest_b64, t.notes,
			       t.notes == 1 ? " was" : "s were");
			status = CLI_EXIT_UNPROVEN;
		} else {
			printf("VERIFIED: the %s is covered by digest %s\n",
			       in.block_text ? "block" : "revision", dg.digest_b64);
			status = 0;
		}
	} else {
		printf("FAILED: %d check%s failed\n", t.failures, t.failures == 1 ? "" : "s");
		status = 1;
	}
out:
	qldb_proof_response_free(&resp);
	free(rbuf);
	free(dbuf);
	qldb_checker_free(c);
	return status;
}
