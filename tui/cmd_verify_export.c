/*
 * cmd_verify_export.c - `qldbtop verify-export PATH... [--digest FILE]
 * [--jobs N] [--json]`: verify one or more S3 journal export folders as one
 * chain (api/export_run.c does the files and threads, verify/export_*.c the
 * checks). Exit 0 proven (everything present recomputed, and the digest
 * given recomputed over it), 1 integrity failure, 2 usage, input or
 * environment error, 3 nothing failed but something was not proven.
 *
 * PATH may also be s3://BUCKET/PREFIX/ (all PATHs then are): the objects
 * are listed and read from S3 by ranges (api/s3.h), never written to disk,
 * with the endpoint, region and keys of --endpoint-url, --region and the
 * AWS_* environment (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL). The exit
 * statuses and the soundness rules are the folders'; a bucket that does
 * not exist, access denied, a wrong key or a network error is exit 2 with
 * one line (never a secret).
 *
 * The verdict is honest about what was proven: JSON exports are
 * "chain-verified only: JSON loses Ion types"; revisions whose content
 * could not be recomputed are counted and listed as not proven; without
 * --digest, or with a digest the export does not reach, the verdict is
 * UNVERIFIED (exit 3), and the digest is never reported as VERIFIED unless
 * the whole verdict is. The last line of the plain output names the outcome.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/http.h"
#include "api/qldb.h"
#include "api/s3.h"
#include "tui/cli.h"
#include "api/cli_io.h"
#include "tui/commands.h"
#include "api/export_run.h"
#include "verify/qldb_proof.h"

#define DIGEST_FILE_MAX (1u << 20)

/* Read a get-digest output with api/'s one strict GetDigest reader.
 * Returns 0 or -1 with why. */
static int read_digest(const char *path, struct qldb_hash *digest, struct qldb_address *tip,
		       char *why, size_t cap)
{
	size_t n = 0;
	char *buf = cli_file_read(path, DIGEST_FILE_MAX, "too large for a get-digest output", &n,
				  why, cap);
	if (!buf)
		return -1;
	struct qldb_digest d;
	struct api_error err;
	int rc = qldb_parse_digest_file(buf, n, &d, &err);
	free(buf);
	if (rc) {
		snprintf(why, cap, "%s: %s", path, err.msg);
		return -1;
	}
	digest->len = 32;
	memcpy(digest->b, d.digest, 32);
	snprintf(tip->strand, sizeof tip->strand, "%s", d.strand_id);
	tip->seq = (int64_t)d.sequence_no;
	return 0;
}

/* The digest's word: VERIFIED only when the whole verdict is VERIFIED;
 * a root that matched while something else failed or is unproven says
 * MATCHED (the published block hashes match, not the export as a whole). */
static const char *digest_word(const struct export_chain *ch)
{
	switch (ch->digest_state) {
	case EXPORT_DIGEST_VERIFIED:
		return export_chain_status(ch) == EXPORT_STATUS_VERIFIED ? "VERIFIED" : "MATCHED";
	case EXPORT_DIGEST_FAILED:
		return "FAILED";
	case EXPORT_DIGEST_UNVERIFIED:
		return "UNVERIFIED";
	default:
		return "NONE";
	}
}

static void print_json(const struct export_chain *ch, const struct export_plan *plan)
{
	cJSON *o = cJSON_CreateObject();
	enum export_status st = export_chain_status(ch);
	cJSON_AddBoolToObject(o, "ok", st == EXPORT_STATUS_VERIFIED);
	cJSON_AddStringToObject(o, "status", export_status_name(st));
	cJSON_AddStringToObject(o, "format", export_format_name(ch->first_format));
	cJSON_AddBoolToObject(o, "chainVerifiedOnly", ch->json_objects > 0);
	cJSON_AddNumberToObject(o, "manifests", (double)plan->manifests);
	cJSON_AddNumberToObject(o, "objects", (double)ch->objects);
	cJSON_AddNumberToObject(o, "blocks", (double)ch->blocks);
	cJSON_AddNumberToObject(o, "revisions", (double)ch->revisions);
	cJSON_AddNumberToObject(o, "revisionsRecomputed", (double)ch->recomputed);
	cJSON_AddNumberToObject(o, "revisionsRedacted", (double)ch->redacted);
	cJSON_AddNumberToObject(o, "revisionsHashOnly", (double)ch->hash_only);
	cJSON_AddNumberToObject(o, "revisionsUnproven", (double)ch->unproven_revisions);
	if (ch->started) {
		cJSON_AddNumberToObject(o, "firstBlock", (double)ch->first_key_seq);
		cJSON_AddNumberToObject(o, "lastBlock", (double)ch->last_key_seq);
	}
	cJSON_AddBoolToObject(o, "digestChecked",
			      ch->digest_state == EXPORT_DIGEST_VERIFIED ||
				      ch->digest_state == EXPORT_DIGEST_FAILED);
	cJSON_AddStringToObject(o, "digest", digest_word(ch));
	if (ch->digest_state == EXPORT_DIGEST_UNVERIFIED)
		cJSON_AddStringToObject(o, "digestNote", ch->digest_why);
	cJSON *un = cJSON_AddArrayToObject(o, "unproven");
	for (size_t i = 0; i < ch->n_unproven; i++)
		cJSON_AddItemToArray(un, cJSON_CreateString(ch->unproven[i]));
	cJSON_AddNumberToObject(o, "unprovenOmitted", (double)ch->more_unproven);
	cJSON *fa = cJSON_AddArrayToObject(o, "failures");
	for (size_t i = 0; i < ch->n_failures; i++) {
		const struct export_failure *f = &ch->failures[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "seq", (double)f->f.seq);
		cJSON_AddStringToObject(x, "kind", qldb_check_name(f->f.kind));
		cJSON_AddStringToObject(x, "file", f->file);
		cJSON_AddStringToObject(x, "message", f->f.message);
		cJSON_AddItemToArray(fa, x);
	}
	cJSON_AddNumberToObject(o, "failuresOmitted", (double)ch->more_failures);
	char *s = cJSON_PrintUnformatted(o);
	if (s)
		puts(s);
	free(s);
	cJSON_Delete(o);
}

static void print_plain(const struct export_chain *ch, const struct export_plan *plan)
{
	size_t nf = export_chain_failure_count(ch), nu = export_chain_unproven_count(ch);
	enum export_status st = export_chain_status(ch);
	printf("export: %llu data objects from %zu manifest%s, format %s, blocks %lld-%lld\n",
	       (unsigned long long)ch->objects, plan->manifests, plan->manifests == 1 ? "" : "s",
	       export_format_name(ch->first_format), (long long)ch->first_key_seq,
	       (long long)ch->last_key_seq);
	printf("blocks read: %llu; revisions: %llu: %llu recomputed from their content (%llu "
	       "of them redacted, via dataHash), %llu hash-only (no content), %llu not "
	       "proven\n",
	       (unsigned long long)ch->blocks, (unsigned long long)ch->revisions,
	       (unsigned long long)ch->recomputed, (unsigned long long)ch->redacted,
	       (unsigned long long)ch->hash_only, (unsigned long long)ch->unproven_revisions);
	if (ch->json_objects)
		printf("blocks and chain: %s (chain-verified only: JSON loses Ion types; "
		       "revision content and transactionInfo UNVERIFIED)\n",
		       nf ? "FAILED" : "checked");
	else
		printf("blocks, revisions and chain: %s\n", nf ? "FAILED" : "checked");
	if (ch->digest_state == EXPORT_DIGEST_NONE)
		printf("digest: UNVERIFIED (no --digest given)\n");
	else if (ch->digest_state == EXPORT_DIGEST_UNVERIFIED)
		printf("digest: UNVERIFIED (%s)\n", ch->digest_why);
	else if (ch->digest_state == EXPORT_DIGEST_VERIFIED && st != EXPORT_STATUS_VERIFIED)
		/* the published block hashes match, but not everything they cover
		 * was proven: say exactly that, never a bare VERIFIED */
		printf("digest: matches the published block hashes 0-%lld, but the export's "
		       "content is NOT proven (see %s below)\n",
		       (long long)ch->tip.seq, nf ? "FAILED" : "UNVERIFIED");
	else
		printf("digest: %s (Merkle root over blocks 0-%lld)\n", digest_word(ch),
		       (long long)ch->tip.seq);
	for (size_t i = 0; i < ch->n_failures; i++) {
		const struct export_failure *f = &ch->failures[i];
		printf("FAILED seq %lld %s%s%s: %s\n", (long long)f->f.seq,
		       qldb_check_name(f->f.kind), f->file[0] ? " in " : "", f->file, f->f.message);
	}
	if (ch->more_failures)
		printf("... and %zu more failures\n", ch->more_failures);
	for (size_t i = 0; i < ch->n_unproven; i++)
		printf("not proven: %s\n", ch->unproven[i]);
	if (ch->more_unproven)
		printf("... and %zu more things not proven\n", ch->more_unproven);
	/* the last line says which of the three outcomes it is */
	if (st == EXPORT_STATUS_FAILED)
		printf("FAILED: %zu integrity failure%s\n", nf, nf == 1 ? "" : "s");
	else if (st == EXPORT_STATUS_UNVERIFIED)
		printf("UNVERIFIED: no failure found, but %zu thing%s not proven (listed above)\n",
		       nu, nu == 1 ? " was" : "s were");
	else
		printf("VERIFIED: export intact and matches the digest\n");
}

/* One line, redrawn in place on stderr (only when it is a terminal): the
 * progress callback of export_run. */
static void progress_draw(void *ctx, uint64_t bytes, uint64_t total_bytes, uint64_t blocks,
			  double dt, bool final)
{
	(void)ctx;
	uint64_t total = total_bytes ? total_bytes : 1;
	double frac = (double)bytes / (double)total;
	if (frac > 1)
		frac = 1;
	char bar[31];
	int fill = (int)(frac * 30);
	for (int i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	double mbs = dt > 0 ? (double)bytes / 1e6 / dt : 0;
	double bps = dt > 0 ? (double)blocks / dt : 0;
	double eta = bytes > 0 && frac < 1 ? dt * (1 - frac) / frac : 0;
	fprintf(stderr, "\r[%s] %3.0f%% %llu blocks %.0f blocks/s %.1f MB/s ETA %.0fs\033[K", bar,
		frac * 100, (unsigned long long)blocks, bps, mbs, eta);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Exit status of a verdict (DESIGN.md: 0 proven, 1 failure, 3 unproven). */
static int status_exit(enum export_status st)
{
	return st == EXPORT_STATUS_FAILED ? 1 : st == EXPORT_STATUS_UNVERIFIED ? 3 : 0;
}

int cmd_verify_export(const struct cli_parsed *p)
{
	/* the table (tui/cli.c) checked the options, --jobs' range and that
	 * at least one PATH is given */
	char *const *paths = (char *const *)p->args;
	int np = (int)p->n_args;
	bool json = cli_given(p, VEXPORT_OPT_JSON);
	const char *digest_path = cli_value(p, VEXPORT_OPT_DIGEST);
	int jobs = cli_value(p, VEXPORT_OPT_JOBS) ? (int)cli_num(p, VEXPORT_OPT_JOBS) : 0;
	if (jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n < 1 ? 1 : n > EXPORT_MAX_JOBS ? EXPORT_MAX_JOBS : (int)n;
	}

	char why[EXPORT_WHY_MAX + EXPORT_FILE_MAX + 64];
	struct qldb_hash digest;
	struct qldb_address tip;
	if (digest_path && read_digest(digest_path, &digest, &tip, why, sizeof why)) {
		fprintf(stderr, "qldbtop: verify-export: %s\n", why);
		return CLI_EXIT_USAGE;
	}
	int n_s3 = 0;
	for (int i = 0; i < np; i++)
		n_s3 += export_run_s3_uri(paths[i]);
	if (n_s3 && n_s3 != np)
		return cli_usage_error(p->cmd,
				       "give either export folders or s3:// URIs, not both");
	struct api_config cfg;
	if (n_s3) {
		struct api_config_overrides ov = {
			.endpoint_url = p->global[CLI_GLOBAL_ENDPOINT_URL],
			.region = p->global[CLI_GLOBAL_REGION],
			.profile = p->global[CLI_GLOBAL_PROFILE],
		};
		struct api_error err;
		if (api_config_resolve(&cfg, &ov, NULL, &err)) {
			fprintf(stderr, "qldbtop: verify-export: %s\n", err.msg);
			return CLI_EXIT_USAGE;
		}
		/* before the job threads start: libcurl's global state */
		if (http_global_init()) {
			api_config_wipe(&cfg);
			fprintf(stderr, "qldbtop: verify-export: cannot initialise libcurl\n");
			return CLI_EXIT_USAGE;
		}
	}
	struct export_plan plan;
	int built = n_s3 ? export_plan_build_s3(paths, np, &cfg, &plan, why, sizeof why)
			 : export_plan_build(paths, np, &plan, why, sizeof why);
	if (built) {
		if (n_s3)
			api_config_wipe(&cfg);
		fprintf(stderr, "qldbtop: verify-export: %s\n", why);
		return CLI_EXIT_USAGE;
	}
	struct sha256 *sha = sha256_new();
	if (!sha) {
		export_plan_free(&plan);
		if (n_s3)
			api_config_wipe(&cfg);
		fprintf(stderr, "qldbtop: verify-export: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	struct export_chain ch;
	export_chain_init(&ch, sha, digest_path ? &digest : NULL, digest_path ? &tip : NULL);
	int status;
	struct export_progress bar = { .fn = progress_draw };
	if (export_run(&plan, jobs, isatty(2) == 1 ? &bar : NULL, &ch, why, sizeof why)) {
		fprintf(stderr, "qldbtop: verify-export: %s\n", why);
		status = CLI_EXIT_USAGE;
	} else {
		if (json)
			print_json(&ch, &plan);
		else
			print_plain(&ch, &plan);
		status = status_exit(export_chain_status(&ch));
	}
	export_chain_free(&ch);
	sha256_free(sha);
	export_plan_free(&plan);
	if (n_s3)
		api_config_wipe(&cfg);
	return status;
}
