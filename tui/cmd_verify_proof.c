/*
 * cmd_verify_proof.c - `qldbtop verify-proof RESPONSE.json --digest DIGEST.json`.
 *
 * RESPONSE is what `aws qldb get-block` or `aws qldb get-revision` printed
 * (with --digest-tip-address), DIGEST what `aws qldb get-digest` printed.
 * The outer JSON is read with cJSON here; the IonText inside and every check
 * are verify/qldb_proof.c. Every proven step is printed; anything that was
 * not proven is printed as UNVERIFIED; the last line is the verdict.
 * Exit 0 proven, 1 integrity failure, 2 usage or input error (one line).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/cli_global.h"
#include "tui/cli_io.h"
#include "tui/commands.h"

#ifndef EXIT_UNPROVEN
#define EXIT_UNPROVEN 3 /* nothing failed, something not proven */
#endif
#include "verify/base64.h"
#include "verify/qldb_proof.h"

#define PROOF_FILE_MAX (16u << 20) /* GetBlock IonText is at most 1 MiB */

/* Whole file (NUL-terminated) or NULL with a one-line reason in why. */
static char *slurp(const char *path, size_t *len, char *why, size_t cap)
{
	char too_large[48];
	snprintf(too_large, sizeof too_large, "larger than %u bytes", PROOF_FILE_MAX);
	return cli_file_read(path, PROOF_FILE_MAX, too_large, len, why, cap);
}

/* obj.name.IonText as a string, or NULL. */
static const char *ion_text_of(const cJSON *obj, const char *name)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, name);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "IonText");
	return cJSON_IsString(t) ? t->valuestring : NULL;
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

int cmd_verify_proof(int argc, char **argv)
{
	const char *resp_path = NULL, *digest_path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--digest") == 0) {
			if (i + 1 >= argc)
				return usage_error("verify-proof: --digest needs a file");
			digest_path = argv[++i];
		} else if (strncmp(a, "--digest=", 9) == 0) {
			digest_path = a + 9;
		} else if (cli_global_kind(a) == CLI_GLOBAL_WITH_VALUE) {
			i++;
		} else if (cli_global_kind(a) == CLI_GLOBAL_FLAG) {
			continue;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("verify-proof: unknown option %s", a);
		} else if (!resp_path) {
			resp_path = a;
		} else {
			return usage_error("verify-proof: one RESPONSE file only (got %s)", a);
		}
	}
	if (!resp_path || !digest_path)
		return usage_error("verify-proof: usage: verify-proof RESPONSE.json --digest "
				   "DIGEST.json");

	char why[QLDB_MESSAGE_MAX + 64];
	size_t rlen = 0, dlen = 0;
	char *rbuf = NULL, *dbuf = NULL;
	cJSON *rj = NULL, *dj = NULL;
	struct qldb_checker *c = NULL;
	int status = EXIT_USAGE;
	if (!(rbuf = slurp(resp_path, &rlen, why, sizeof why)) ||
	    !(dbuf = slurp(digest_path, &dlen, why, sizeof why))) {
		fprintf(stderr, "qldbtop: verify-proof: %s\n", why);
		goto out;
	}
	rj = cJSON_ParseWithLength(rbuf, rlen);
	dj = cJSON_ParseWithLength(dbuf, dlen);
	if (!cJSON_IsObject(rj) || !cJSON_IsObject(dj)) {
		fprintf(stderr, "qldbtop: verify-proof: %s: not a JSON object\n",
			!cJSON_IsObject(rj) ? resp_path : digest_path);
		goto out;
	}

	/* DIGEST: get-digest output, or an object holding it as LedgerDigest
	 * (the KVS sample's shape) */
	const cJSON *dobj = dj;
	const cJSON *ld = cJSON_GetObjectItemCaseSensitive(dj, "LedgerDigest");
	if (cJSON_IsObject(ld))
		dobj = ld;
	const cJSON *dg = cJSON_GetObjectItemCaseSensitive(dobj, "Digest");
	struct qldb_proof_input in = { 0 };
	uint8_t tmp[48];
	long dn = cJSON_IsString(dg)
			  ? base64_decode(dg->valuestring, strlen(dg->valuestring), tmp, sizeof tmp)
			  : -1;
	in.tip_text = ion_text_of(dobj, "DigestTipAddress");
	if (dn != 32 || !in.tip_text) {
		fprintf(stderr,
			"qldbtop: verify-proof: %s: not a get-digest output (needs Digest, 32 "
			"bytes base64, and DigestTipAddress.IonText)\n",
			digest_path);
		goto out;
	}
	in.digest.len = 32;
	memcpy(in.digest.b, tmp, 32);
	in.tip_len = strlen(in.tip_text);

	in.block_text = ion_text_of(rj, "Block");
	in.revision_text = ion_text_of(rj, "Revision");
	in.proof_text = ion_text_of(rj, "Proof");
	in.block_len = in.block_text ? strlen(in.block_text) : 0;
	in.revision_len = in.revision_text ? strlen(in.revision_text) : 0;
	in.proof_len = in.proof_text ? strlen(in.proof_text) : 0;
	struct qldb_hash rh = { .len = 32 };
	const cJSON *rhj = cJSON_GetObjectItemCaseSensitive(rj, "RevisionHash");
	if (!in.block_text && !in.revision_text && cJSON_IsString(rhj)) {
		if (base64_decode(rhj->valuestring, strlen(rhj->valuestring), tmp, sizeof tmp) !=
		    32) {
			fprintf(stderr, "qldbtop: verify-proof: %s: RevisionHash is not 32 bytes\n",
				resp_path);
			goto out;
		}
		memcpy(rh.b, tmp, 32);
		in.revision_hash = &rh;
		in.address_text = ion_text_of(rj, "BlockAddress");
		in.address_len = in.address_text ? strlen(in.address_text) : 0;
	}
	if (!in.block_text && !in.revision_text && !in.revision_hash) {
		fprintf(stderr,
			"qldbtop: verify-proof: %s: not a get-block or get-revision output (no "
			"Block.IonText or Revision.IonText)\n",
			resp_path);
		goto out;
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
			       in.block_text ? "block" : "revision", dg->valuestring, t.notes,
			       t.notes == 1 ? " was" : "s were");
			status = EXIT_UNPROVEN;
		} else {
			printf("VERIFIED: the %s is covered by digest %s\n",
			       in.block_text ? "block" : "revision", dg->valuestring);
			status = 0;
		}
	} else {
		printf("FAILED: %d check%s failed\n", t.failures, t.failures == 1 ? "" : "s");
		status = 1;
	}
out:
	cJSON_Delete(rj);
	cJSON_Delete(dj);
	free(rbuf);
	free(dbuf);
	qldb_checker_free(c);
	return status;
}
