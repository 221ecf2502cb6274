/*
 * test_api_qldb.c - parsing of ListLedgers, DescribeLedger and GetDigest
 * responses in the exact shapes of the QLDB model and docs/aws-api.md
 * §2.6, the real AWS CLI vectors (get-digest, get-block, get-revision)
 * and the KVS sample's shapes, and every way a response can be wrong
 * (malformed JSON, trailing garbage, a second key of the same name, a NUL
 * character, wrong types, a digest of 31 or 33 bytes or in non-canonical
 * base64, a bad tip address): each gives a clear one-line error naming
 * the field. The get-digest reader and the proof-response reader are the
 * ones both verifiers use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/qldb.h"
#include "tests/lib/testutil.h"

/* The DescribeLedger answer of docs/aws-api.md §2.6 (captured with the
 * Debian AWS CLI against a stub). */
static const char DESCRIBE_DOC[] =
	"{\"Name\":\"x\",\"Arn\":\"arn:aws:qldb:us-east-1:123456789012:ledger/x\","
	"\"State\":\"ACTIVE\",\"CreationDateTime\":1700000000.123,"
	"\"PermissionsMode\":\"STANDARD\",\"DeletionProtection\":true,"
	"\"EncryptionDescription\":{\"KmsKeyArn\":\"AWS_OWNED_KMS_KEY\","
	"\"EncryptionStatus\":\"ENABLED\"}}";

static int parse_describe(const char *json, struct qldb_ledger *l, struct api_error *e)
{
	return qldb_parse_describe_ledger(json, strlen(json), l, e);
}
static int parse_digest(const char *json, struct qldb_digest *d, struct api_error *e)
{
	return qldb_parse_get_digest(json, strlen(json), d, e);
}
static int parse_list(const char *json, struct qldb_ledger_list *l, struct api_error *e)
{
	return qldb_parse_list_ledgers(json, strlen(json), l, e);
}

static void test_describe_ledger_reads_every_member_of_the_documented_answer(void **state)
{
	(void)state;
	struct qldb_ledger l;
	struct api_error e;
	assert_int_equal(parse_describe(DESCRIBE_DOC, &l, &e), 0);
	assert_string_equal(l.name, "x");
	assert_string_equal(l.arn, "arn:aws:qldb:us-east-1:123456789012:ledger/x");
	assert_string_equal(l.state, "ACTIVE");
	assert_string_equal(l.permissions_mode, "STANDARD");
	assert_true(l.has_deletion_protection);
	assert_true(l.deletion_protection);
	assert_true(l.has_created);
	assert_float_equal(l.created, 1700000000.123, 1e-6);
	assert_true(l.has_encryption);
	assert_string_equal(l.kms_key_arn, "AWS_OWNED_KMS_KEY");
	assert_string_equal(l.encryption_status, "ENABLED");
	assert_false(l.has_kms_inaccessible_since);
}

static void test_describe_ledger_accepts_integer_epoch_and_absent_optionals(void **state)
{
	(void)state;
	struct qldb_ledger l;
	struct api_error e;
	assert_int_equal(parse_describe("{\"Name\":\"y\",\"CreationDateTime\":1672531200}", &l, &e),
			 0);
	assert_float_equal(l.created, 1672531200.0, 0);
	assert_false(l.has_encryption); /* absent: an AWS owned key */
	assert_false(l.has_deletion_protection);
	assert_string_equal(l.state, "");
}

static void test_describe_ledger_rejects_wrong_types_naming_the_field(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} CASES[] = {
		{ "{\"Name\":\"x\",\"State\":1}",
		  "DescribeLedger: State: expected a string, got number" },
		{ "{\"Name\":\"x\",\"DeletionProtection\":\"yes\"}",
		  "DescribeLedger: DeletionProtection: expected a boolean, got string" },
		{ "{\"Name\":\"x\",\"CreationDateTime\":\"2023-01-01T00:00:00Z\"}",
		  "DescribeLedger: CreationDateTime: expected epoch seconds (a number), got "
		  "string" },
		{ "{\"Name\":\"x\",\"EncryptionDescription\":[]}",
		  "DescribeLedger: EncryptionDescription: expected an object, got array" },
		{ "{\"Name\":\"x\",\"EncryptionDescription\":{\"KmsKeyArn\":\"k\"}}",
		  "DescribeLedger: EncryptionDescription.EncryptionStatus is missing" },
		{ "{\"Arn\":\"a\"}", "DescribeLedger: Name is missing" },
		{ "[1,2]", "DescribeLedger: expected a JSON object, got array" },
		{ "{\"Name\":\"a\\nb\"}", "DescribeLedger: Name: control character at offset 1" },
		/* a name ListLedgers would refuse (found by fuzz_api_responses) */
		{ "{\"Name\":\"ShardIdal'ledger\"}",
		  "DescribeLedger: Name is not a valid ledger name" },
		{ "{\"Name\":\"\"}", "DescribeLedger: Name is not a valid ledger name" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct qldb_ledger l;
		struct api_error e;
		assert_int_not_equal(parse_describe(CASES[i].json, &l, &e), 0);
		assert_string_equal(e.msg, CASES[i].want);
	}
}

static void test_malformed_json_names_the_byte(void **state)
{
	(void)state;
	struct qldb_ledger l;
	struct api_error e;
	assert_int_equal(parse_describe("{\"Name\":\"x\",", &l, &e), API_ERR_PARSE);
	assert_string_equal(
		e.msg,
		"DescribeLedger: line 1 column 13: unexpected end of input, expected a key string");
	assert_int_equal(parse_describe("", &l, &e), API_ERR_PARSE);
	assert_string_equal(e.msg, "DescribeLedger: empty input");
	/* plain cJSON_Parse would accept this; trailing garbage is an error */
	assert_int_equal(parse_describe("{\"Name\":\"x\"}\n garbage", &l, &e), API_ERR_PARSE);
	assert_string_equal(e.msg,
			    "DescribeLedger: line 2 column 2: trailing data after the value ('g')");
	/* trailing whitespace is fine */
	assert_int_equal(parse_describe("{\"Name\":\"x\"}\n", &l, &e), 0);
}

static void test_parser_refuses_a_buffer_without_terminating_nul(void **state)
{
	(void)state;
	char buf[16] = "{\"Name\":\"x\"}XX";
	struct qldb_ledger l;
	struct api_error e;
	/* len 12 covers the object, but buf[12] is 'X', not NUL */
	assert_int_equal(qldb_parse_describe_ledger(buf, 12, &l, &e), API_ERR_PARSE);
	assert_string_equal(e.msg, "DescribeLedger: response buffer is not terminated");
}

static void test_over_long_string_is_a_limit_error(void **state)
{
	(void)state;
	char json[128];
	snprintf(json, sizeof json, "{\"Name\":\"%s\"}", "abcdefghijklmnopqrstuvwxyz0123456789");
	struct qldb_ledger l;
	struct api_error e;
	assert_int_equal(parse_describe(json, &l, &e), API_ERR_LIMIT);
	assert_string_equal(e.msg, "DescribeLedger: Name: longer than 32 bytes");
}

static void test_get_digest_reads_the_aws_cli_vector(void **state)
{
	(void)state;
	size_t len;
	char *json = read_file(shared_path("vectors/qldb/aws-cli-examples/get-digest.output.json"),
			       &len);
	assert_non_null(json);
	struct qldb_digest d;
	struct api_error e;
	assert_int_equal(qldb_parse_get_digest(json, len, &d, &e), 0);
	/* hex of the vector's base64, decoded independently (python3 base64) */
	static const uint8_t WANT[32] = {
		0xea, 0x6e, 0x81, 0x31, 0x7a, 0x1b, 0x6c, 0x92, 0xa9, 0x32, 0x16,
		0xa1, 0xc1, 0x5b, 0x61, 0x00, 0x4b, 0x0d, 0xe9, 0xac, 0x20, 0x9c,
		0x72, 0xba, 0xd9, 0x0a, 0xb9, 0x31, 0xc1, 0x8f, 0xd4, 0x69,
	};
	assert_memory_equal(d.digest, WANT, 32);
	assert_string_equal(d.digest_b64, "6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=");
	assert_string_equal(d.tip_ion, "{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:123}");
	assert_string_equal(d.strand_id, "KmA3ZZca7vAIiJAK9S5Iwl");
	assert_int_equal(d.sequence_no, 123);
	free(json);
}

static void test_get_digest_of_31_or_33_bytes_is_refused(void **state)
{
	(void)state;
	struct qldb_digest d;
	struct api_error e;
	/* 31 and 33 bytes (0x00..), base64 by python3 */
	assert_int_equal(
		parse_digest("{\"Digest\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\","
			     "\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"A\\\","
			     "sequenceNo:1}\"}}",
			     &d, &e),
		API_ERR_PARSE);
	assert_string_equal(e.msg, "GetDigest: Digest decodes to 31 bytes, expected 32");
	assert_int_equal(
		parse_digest("{\"Digest\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\","
			     "\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"A\\\","
			     "sequenceNo:1}\"}}",
			     &d, &e),
		API_ERR_PARSE);
	assert_non_null(strstr(e.msg, "GetDigest: Digest"));
	assert_int_equal(
		parse_digest("{\"Digest\":\"not base64!\",\"DigestTipAddress\":{}}", &d, &e),
		API_ERR_PARSE);
	assert_string_equal(e.msg, "GetDigest: Digest is not valid base64");
}

static void test_get_digest_requires_a_tip_address(void **state)
{
	(void)state;
	static const char *const D = "\"Digest\":\"6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=\"";
	static const struct {
		const char *tail, *want;
	} CASES[] = {
		{ "}", "GetDigest: DigestTipAddress is missing" },
		{ ",\"DigestTipAddress\":\"x\"}",
		  "GetDigest: DigestTipAddress: expected an object, got string" },
		{ ",\"DigestTipAddress\":{}}", "GetDigest: DigestTipAddress.IonText is missing" },
		/* the reason after "block address: " is verify's qldb_address_parse */
		{ ",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"A\\\"}\"}}",
		  "GetDigest: DigestTipAddress: block address: " },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		char json[256];
		snprintf(json, sizeof json, "{%s%s", D, CASES[i].tail);
		struct qldb_digest d;
		struct api_error e;
		assert_int_equal(parse_digest(json, &d, &e), API_ERR_PARSE);
		if (strstr(CASES[i].want, "block address")) {
			assert_ptr_equal(strstr(e.msg, CASES[i].want), e.msg);
			assert_non_null(strstr(e.msg, "sequenceNo"));
		} else {
			assert_string_equal(e.msg, CASES[i].want);
		}
	}
	struct qldb_digest d;
	struct api_error e;
	assert_int_equal(parse_digest("{\"DigestTipAddress\":{}}", &d, &e), API_ERR_PARSE);
	assert_string_equal(e.msg, "GetDigest: Digest is missing");
}

static void test_block_address_accepts_quoted_names_spaces_and_either_order(void **state)
{
	(void)state;
	static const char *const GOOD[] = {
		"{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:123}",
		" { sequenceNo : 123 , strandId : \"KmA3ZZca7vAIiJAK9S5Iwl\" } ",
		"{'strandId':\"KmA3ZZca7vAIiJAK9S5Iwl\",\"sequenceNo\":123,}",
	};
	for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++) {
		char strand[QLDB_STRAND_MAX];
		uint64_t seq = 0;
		struct api_error e;
		assert_int_equal(qldb_parse_block_address(GOOD[i], strand, sizeof strand, &seq, &e),
				 0);
		assert_string_equal(strand, "KmA3ZZca7vAIiJAK9S5Iwl");
		assert_int_equal(seq, 123);
	}
}

static void test_block_address_rejects_anything_else(void **state)
{
	(void)state;
	static const char *const BAD[] = {
		"",
		"[1]",
		"{strandId:\"A\",sequenceNo:1",			    /* unterminated */
		"{strandId:\"A\",sequenceNo:-1}",		    /* negative */
		"{strandId:\"A\",sequenceNo:01}",		    /* leading zero */
		"{strandId:\"A\",sequenceNo:1.5}",		    /* decimal */
		"{strandId:\"A\",sequenceNo:18446744073709551616}", /* 2^64 */
		"{strandId:A,sequenceNo:1}",			    /* symbol, not string */
		"{strandId:\"A\",strandId:\"B\",sequenceNo:1}",	    /* repeated */
		"{strandId:\"A\",sequenceNo:1,extra:2}",	    /* unknown field */
		"{strandId:\"A\",sequenceNo:1} x",		    /* trailing */
		"{strandId:\"A/B\",sequenceNo:1}",		    /* not base62 */
	};
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		char strand[QLDB_STRAND_MAX];
		uint64_t seq;
		struct api_error e;
		api_error_clear(&e);
		assert_int_not_equal(
			qldb_parse_block_address(BAD[i], strand, sizeof strand, &seq, &e), 0);
		assert_non_null(strstr(e.msg, "block address: "));
	}
}

/* The whole vector file (NUL-terminated); the test fails if it is missing. */
static char *vector(const char *rel, size_t *len)
{
	char *json = read_file(shared_path(rel), len);
	assert_non_null(json);
	return json;
}

/* The tip of the AWS CLI get-digest vector, as a JSON member value. */
#define TIP_JSON "{\"IonText\":\"{strandId:\\\"KmA3ZZca7vAIiJAK9S5Iwl\\\",sequenceNo:123}\"}"
#define DIGEST_JSON "\"6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=\""

static void test_get_digest_vector_matches_the_digest_and_tip_printed_there(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/aws-cli-examples/get-digest.output.json", &len);
	uint8_t want[32];
	assert_int_equal(b64_32(AWS_CLI_DIGEST, want), 0);
	/* the service parser and the file reader are one reader */
	int (*const PARSERS[])(const char *, size_t, struct qldb_digest *, struct api_error *) = {
		qldb_parse_get_digest,
		qldb_parse_digest_file,
	};
	for (size_t i = 0; i < 2; i++) {
		struct qldb_digest d;
		struct api_error e;
		assert_int_equal(PARSERS[i](json, len, &d, &e), 0);
		assert_memory_equal(d.digest, want, 32);
		assert_string_equal(d.digest_b64, AWS_CLI_DIGEST);
		/* the file's IonText is {strandId:"KmA3ZZca7vAIiJAK9S5Iwl",sequenceNo:123} */
		assert_string_equal(d.strand_id, "KmA3ZZca7vAIiJAK9S5Iwl");
		assert_int_equal(d.sequence_no, 123);
	}
	free(json);
}

static void test_digest_file_reads_the_kvs_ledger_digest_wrapper(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/kvs-nodejs/sampleLedgerInfo.json", &len);
	struct qldb_digest d;
	struct api_error e;
	assert_int_equal(qldb_parse_digest_file(json, len, &d, &e), 0);
	uint8_t want[32];
	assert_int_equal(b64_32("KGuCkc79bsDfG9X0RjI7QgR/D4wlOarP/dKYnbnFjDo=", want), 0);
	assert_memory_equal(d.digest, want, 32);
	assert_string_equal(d.strand_id, "KbW0e2QaN2uBUWzRYGeOCe");
	assert_int_equal(d.sequence_no, 46);
	/* a GetDigest answer is never wrapped: the service parser refuses it */
	assert_int_equal(qldb_parse_get_digest(json, len, &d, &e), API_ERR_PARSE);
	assert_string_equal(e.msg, "GetDigest: Digest is missing");
	free(json);
}

static void test_digest_file_errors_name_the_field(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} CASES[] = {
		{ "{\"Digest\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\","
		  "\"DigestTipAddress\":" TIP_JSON "}",
		  "GetDigest: Digest decodes to 31 bytes, expected 32" },
		{ "{\"Digest\":32,\"DigestTipAddress\":" TIP_JSON "}",
		  "GetDigest: Digest: expected a string, got number" },
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":\"{strandId:\\\"A\\\"}\"}",
		  "GetDigest: DigestTipAddress: expected an object, got string" },
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":{\"Ion\":\"x\"}}",
		  "GetDigest: DigestTipAddress.IonText is missing" },
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":{\"IonText\":[]}}",
		  "GetDigest: DigestTipAddress.IonText: expected a string, got array" },
		{ "{\"LedgerDigest\":{\"Digest\":1,\"DigestTipAddress\":" TIP_JSON "}}",
		  "GetDigest: LedgerDigest.Digest: expected a string, got number" },
		{ "{\"LedgerDigest\":{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":{}}}",
		  "GetDigest: LedgerDigest.DigestTipAddress.IonText is missing" },
		{ "{\"LedgerDigest\":\"x\"}",
		  "GetDigest: LedgerDigest: expected an object, got string" },
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":" TIP_JSON
		  ",\"LedgerDigest\":{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":" TIP_JSON
		  "}}",
		  "GetDigest: both LedgerDigest and a top-level Digest: which digest is meant?" },
		{ "[]", "GetDigest: expected a JSON object, got array" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct qldb_digest d;
		struct api_error e;
		assert_int_equal(
			qldb_parse_digest_file(CASES[i].json, strlen(CASES[i].json), &d, &e),
			API_ERR_PARSE);
		assert_string_equal(e.msg, CASES[i].want);
	}
}

/* Each of these passed the verifiers' old plain-cJSON readers (in tui/),
 * which took the first of two keys, stopped strings at \u0000, ignored data
 * after the value, skipped whitespace inside base64 and never looked at
 * UTF-8; all but the NUL and newline cases passed the old GetDigest parser
 * here too. */
static void test_get_digest_refuses_what_plain_cjson_let_through(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		size_t len; /* 0: strlen */
		const char *want;
	} CASES[] = {
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":" TIP_JSON
		  ",\"Digest\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}",
		  0, "GetDigest: line 1 column 144: duplicate key \"Digest\"" },
		{ "{\"Digest\":" DIGEST_JSON
		  ",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"A\\\","
		  "sequenceNo:1}\",\n\"IonText\":\"{strandId:\\\"B\\\",sequenceNo:9}\"}}",
		  0, "GetDigest: line 2 column 1: duplicate key \"IonText\"" },
		{ "{\"Digest\":\"6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=\\u0000junk\","
		  "\"DigestTipAddress\":" TIP_JSON "}",
		  0,
		  "GetDigest: line 1 column 56: \\u0000 in a string: a NUL character is refused" },
		{ "{\"Digest\":" DIGEST_JSON ",\"DigestTipAddress\":" TIP_JSON "}\0{\"x\":1}", 151,
		  "GetDigest: line 1 column 144: NUL byte after the value" },
		{ "{\"Digest\":\"6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=\",\"x\":\"\xff\","
		  "\"DigestTipAddress\":" TIP_JSON "}",
		  0,
		  "GetDigest: line 1 column 63: invalid UTF-8: byte 0xff cannot start a "
		  "character" },
		{ "{\"Digest\":\"6m6BMXobbJKpMhahwVthAEsN 6awgnHK62Qq5McGP1Gk=\","
		  "\"DigestTipAddress\":" TIP_JSON "}",
		  0,
		  "GetDigest: Digest is not canonical base64 (whitespace, padding or unused "
		  "bits)" },
		/* base64 wrapped over two lines: the same 32 bytes, another spelling */
		{ "{\"Digest\":\"6m6BMXobbJKpMhahwVthAEsN\\n6awgnHK62Qq5McGP1Gk=\","
		  "\"DigestTipAddress\":" TIP_JSON "}",
		  0,
		  "GetDigest: Digest is not canonical base64 (whitespace, padding or unused "
		  "bits)" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		size_t len = CASES[i].len ? CASES[i].len : strlen(CASES[i].json);
		struct qldb_digest d;
		struct api_error e;
		assert_int_equal(qldb_parse_get_digest(CASES[i].json, len, &d, &e), API_ERR_PARSE);
		assert_ptr_equal(strstr(e.msg, CASES[i].want), e.msg);
		assert_int_equal(qldb_parse_digest_file(CASES[i].json, len, &d, &e), API_ERR_PARSE);
		assert_ptr_equal(strstr(e.msg, CASES[i].want), e.msg);
	}
}

static void test_proof_response_reads_the_aws_cli_get_block_vector(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/aws-cli-examples/get-block.output.json", &len);
	struct qldb_proof_response r;
	struct api_error e;
	assert_int_equal(qldb_parse_proof_response(json, len, &r, &e), 0);
	assert_non_null(r.block_text);
	assert_int_equal(strlen(r.block_text), r.block_len);
	assert_ptr_equal(strstr(r.block_text, "{blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\","
					      "sequenceNo:100},transactionId:"),
			 r.block_text);
	assert_non_null(r.proof_text);
	assert_int_equal(strlen(r.proof_text), r.proof_len);
	for (size_t i = 0; i < AWS_CLI_BLOCK_PROOF_LEN; i++)
		assert_non_null(strstr(r.proof_text, AWS_CLI_BLOCK_PROOF[i]));
	assert_null(r.revision_text);
	assert_null(r.address_text);
	assert_false(r.has_revision_hash);
	qldb_proof_response_free(&r);
	assert_null(r.root);
	assert_null(r.block_text);
	free(json);
}

static void test_proof_response_reads_the_aws_cli_get_revision_vector(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/aws-cli-examples/get-revision.output.json", &len);
	struct qldb_proof_response r;
	struct api_error e;
	assert_int_equal(qldb_parse_proof_response(json, len, &r, &e), 0);
	assert_null(r.block_text);
	assert_non_null(r.revision_text);
	assert_int_equal(strlen(r.revision_text), r.revision_len);
	assert_ptr_equal(
		strstr(r.revision_text,
		       "{blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100},"
		       "hash:{{mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=}},"),
		r.revision_text);
	assert_ptr_equal(strstr(r.proof_text, "[{{eRSwnmAM7WWANWDd5iGOyK+T4tDXyzUq6HZ/0fgLHos=}},"),
			 r.proof_text);
	qldb_proof_response_free(&r);
	free(json);
}

static void test_proof_response_reads_the_kvs_sample_shapes(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/kvs-nodejs/sampleLedgerInfo.json", &len);
	struct qldb_proof_response r;
	struct api_error e;
	assert_int_equal(qldb_parse_proof_response(json, len, &r, &e), 0);
	assert_true(r.has_revision_hash);
	assert_int_equal(r.revision_hash.len, 32);
	uint8_t want[32];
	assert_int_equal(b64_32("3P2Z7Ex9CvXTyBX7O/TrgicOLcjl1e2e/Wv2zUUrMsc=", want), 0);
	assert_memory_equal(r.revision_hash.b, want, 32);
	assert_string_equal(r.address_text,
			    "{strandId: \"KbW0e2QaN2uBUWzRYGeOCe\", sequenceNo: 21}");
	assert_int_equal(r.address_len, strlen(r.address_text));
	assert_non_null(r.proof_text);
	assert_null(r.block_text);
	assert_null(r.revision_text);
	qldb_proof_response_free(&r);
	free(json);

	json = vector("vectors/qldb/kvs-nodejs/sampleRevisionResponse.json", &len);
	assert_int_equal(qldb_parse_proof_response(json, len, &r, &e), 0);
	assert_ptr_equal(
		strstr(r.revision_text, "{blockAddress:{strandId:\"KLXwBc1ml2A4Yjc8jbFMX3\""),
		r.revision_text);
	assert_non_null(r.proof_text);
	qldb_proof_response_free(&r);
	free(json);
}

/* The get-block vector with a second, changed "Block" key before its last
 * '}': plain cJSON took the first, a reader taking the last sees another
 * block. Also a block cut at \u0000, which plain cJSON's C string hid. */
static void test_proof_response_refuses_a_second_changed_block_key(void **state)
{
	(void)state;
	size_t len;
	char *json = vector("vectors/qldb/aws-cli-examples/get-block.output.json", &len);
	char *end = strrchr(json, '}');
	assert_non_null(end);
	static const char EXTRA[] = ",\n    \"Block\": {\"IonText\": \"{blockAddress:{}}\"}\n}\n";
	size_t head = (size_t)(end - json);
	char *two = malloc(head + sizeof EXTRA);
	assert_non_null(two);
	memcpy(two, json, head);
	memcpy(two + head, EXTRA, sizeof EXTRA);
	struct qldb_proof_response r;
	struct api_error e;
	assert_int_equal(qldb_parse_proof_response(two, strlen(two), &r, &e), API_ERR_PARSE);
	assert_ptr_equal(strstr(e.msg, "proof response: line "), e.msg);
	assert_non_null(strstr(e.msg, ": duplicate key \"Block\""));
	assert_null(r.root);
	free(two);
	free(json);

	static const char CUT[] = "{\"Block\":{\"IonText\":\"{a:1}\\u0000{b:2}\"}}";
	assert_int_equal(qldb_parse_proof_response(CUT, strlen(CUT), &r, &e), API_ERR_PARSE);
	assert_string_equal(e.msg, "proof response: line 1 column 27: \\u0000 in a string: a NUL "
				   "character is refused");
}

static void test_proof_response_errors_name_the_member(void **state)
{
	(void)state;
#define ION "{\"IonText\":\"{}\"}"
#define ADDR "{\"IonText\":\"{strandId:\\\"A\\\",sequenceNo:1}\"}"
	static const struct {
		const char *json, *want;
	} CASES[] = {
		{ "{\"Block\":\"x\"}", "proof response: Block: expected an object, got string" },
		{ "{\"Block\":{}}", "proof response: Block.IonText is missing" },
		{ "{\"Block\":{\"IonText\":1}}",
		  "proof response: Block.IonText: expected a string, got number" },
		{ "{\"Revision\":[]}", "proof response: Revision: expected an object, got array" },
		{ "{\"Block\":" ION ",\"Proof\":\"[]\"}",
		  "proof response: Proof: expected an object, got string" },
		{ "{\"RevisionHash\":" ION ",\"BlockAddress\":" ADDR "}",
		  "proof response: RevisionHash: expected a string, got object" },
		{ "{\"RevisionHash\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\","
		  "\"BlockAddress\":" ADDR "}",
		  "proof response: RevisionHash decodes to 31 bytes, expected 32" },
		{ "{\"RevisionHash\":" DIGEST_JSON ",\"BlockAddress\":true}",
		  "proof response: BlockAddress: expected an object, got boolean" },
		{ "{\"Block\":" ION ",\"Revision\":" ION "}",
		  "proof response: both Block and Revision: give one output (a reader may take "
		  "either)" },
		{ "{\"Revision\":" ION ",\"RevisionHash\":" DIGEST_JSON "}",
		  "proof response: RevisionHash beside Revision: only Revision would be verified" },
		{ "{\"Block\":" ION ",\"BlockAddress\":" ADDR "}",
		  "proof response: BlockAddress beside Block: the address verified is the one "
		  "inside "
		  "Block.IonText" },
		{ "{\"RevisionHash\":" DIGEST_JSON "}",
		  "proof response: RevisionHash without BlockAddress (the KVS shape has both)" },
		{ "{\"Proof\":" ION "}",
		  "proof response: not a get-block or get-revision output (no Block, Revision or "
		  "RevisionHash)" },
		{ "[]", "proof response: expected a JSON object, got array" },
	};
#undef ION
#undef ADDR
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct qldb_proof_response r;
		struct api_error e;
		assert_int_equal(
			qldb_parse_proof_response(CASES[i].json, strlen(CASES[i].json), &r, &e),
			API_ERR_PARSE);
		assert_string_equal(e.msg, CASES[i].want);
		assert_null(r.root); /* released on error; _free stays safe */
		qldb_proof_response_free(&r);
	}
	struct qldb_proof_response zero = { 0 };
	qldb_proof_response_free(&zero);
	qldb_proof_response_free(NULL);
}

static void test_list_ledgers_reads_summaries_and_next_token(void **state)
{
	(void)state;
	struct qldb_ledger_list l;
	struct api_error e;
	assert_int_equal(
		parse_list("{\"Ledgers\":[{\"Name\":\"financial-ledger\",\"State\":\"ACTIVE\","
			   "\"CreationDateTime\":1700000000.5},{\"Name\":\"b\"}],"
			   "\"NextToken\":\"dG9rZW4x\"}",
			   &l, &e),
		0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].name, "financial-ledger");
	assert_string_equal(l.items[0].state, "ACTIVE");
	assert_float_equal(l.items[0].created, 1700000000.5, 1e-6);
	assert_false(l.items[1].has_created);
	assert_true(l.more);
	assert_int_equal(parse_list("{}", &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_false(l.more);
}

static void test_list_ledgers_rejects_bad_entries(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} CASES[] = {
		{ "{\"Ledgers\":{}}", "ListLedgers: Ledgers: expected an array, got object" },
		{ "{\"Ledgers\":[1]}", "ListLedgers: Ledgers[0]. expected an object, got number" },
		{ "{\"Ledgers\":[{\"State\":\"ACTIVE\"}]}",
		  "ListLedgers: Ledgers[0].Name is missing" },
		{ "{\"Ledgers\":[{\"Name\":\"a\"},{\"Name\":\"../x\"}]}",
		  "ListLedgers: Ledgers[1].Name is not a valid ledger name" },
		{ "{\"Ledgers\":[],\"NextToken\":5}",
		  "ListLedgers: NextToken: expected a string, got number" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct qldb_ledger_list l;
		struct api_error e;
		assert_int_not_equal(parse_list(CASES[i].json, &l, &e), 0);
		assert_string_equal(e.msg, CASES[i].want);
	}
}

static void test_ledger_name_rule_keeps_paths_safe(void **state)
{
	(void)state;
	assert_true(qldb_name_is_valid("financial-ledger"));
	assert_true(qldb_name_is_valid("A1"));
	assert_false(qldb_name_is_valid(""));
	assert_false(qldb_name_is_valid("a/b"));
	assert_false(qldb_name_is_valid("a b"));
	assert_false(qldb_name_is_valid("a%2F"));
	assert_false(qldb_name_is_valid("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_ledger_reads_every_member_of_the_documented_answer),
		cmocka_unit_test(test_describe_ledger_accepts_integer_epoch_and_absent_optionals),
		cmocka_unit_test(test_describe_ledger_rejects_wrong_types_naming_the_field),
		cmocka_unit_test(test_malformed_json_names_the_byte),
		cmocka_unit_test(test_parser_refuses_a_buffer_without_terminating_nul),
		cmocka_unit_test(test_over_long_string_is_a_limit_error),
		cmocka_unit_test(test_get_digest_reads_the_aws_cli_vector),
		cmocka_unit_test(test_get_digest_of_31_or_33_bytes_is_refused),
		cmocka_unit_test(test_get_digest_requires_a_tip_address),
		cmocka_unit_test(test_block_address_accepts_quoted_names_spaces_and_either_order),
		cmocka_unit_test(test_block_address_rejects_anything_else),
		cmocka_unit_test(test_get_digest_vector_matches_the_digest_and_tip_printed_there),
		cmocka_unit_test(test_digest_file_reads_the_kvs_ledger_digest_wrapper),
		cmocka_unit_test(test_digest_file_errors_name_the_field),
		cmocka_unit_test(test_get_digest_refuses_what_plain_cjson_let_through),
		cmocka_unit_test(test_proof_response_reads_the_aws_cli_get_block_vector),
		cmocka_unit_test(test_proof_response_reads_the_aws_cli_get_revision_vector),
		cmocka_unit_test(test_proof_response_reads_the_kvs_sample_shapes),
		cmocka_unit_test(test_proof_response_refuses_a_second_changed_block_key),
		cmocka_unit_test(test_proof_response_errors_name_the_member),
		cmocka_unit_test(test_list_ledgers_reads_summaries_and_next_token),
		cmocka_unit_test(test_list_ledgers_rejects_bad_entries),
		cmocka_unit_test(test_ledger_name_rule_keeps_paths_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
