/*
 * test_api_s3.c - the XML reader (api/xml.h) and the S3 pieces (api/s3.h):
 * ListObjectsV2 pages in the shape S3 documents (keys with '&', '<', quotes
 * and UTF-8, written as entities and character references), paging,
 * and every way a page can be wrong (no IsTruncated, truncated without a
 * token, a key outside the prefix or out of order, a repeated key across
 * pages, a size that is not a count or overflows, another bucket, a
 * KeyCount that lies); the XML attacks (DOCTYPE with an entity expansion
 * bomb, external entities, undefined entities, truncated documents, deep
 * nesting, NUL); the S3 error shape; URI parsing and key encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/s3.h"
#include "api/xml.h"

#define NS "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

/* A page as S3 writes it (docs.aws.amazon.com ListObjectsV2 example). */
static const char PAGE1[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ListBucketResult " NS ">"
	"<Name>bkt</Name><Prefix>exp/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys>"
	"<IsTruncated>true</IsTruncated>"
	"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</"
	"NextContinuationToken>"
	"<Contents><Key>exp/a&amp;b.ion</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
	"<ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size>"
	"<StorageClass>STANDARD</StorageClass></Contents>"
	"<Contents><Key>exp/c&lt;d&gt;&#x20AC;&#233;.ion</Key><Size>0</Size></Contents>"
	"<Contents><Key>exp/x y</Key><Size>9223372036854775807</Size></Contents>"
	"</ListBucketResult>";

static const char PAGE2[] = "<ListBucketResult " NS "><Name>bkt</Name>"
			    "<IsTruncated>false</IsTruncated><KeyCount>1</KeyCount>"
			    "<Contents><Key>exp/z</Key><Size>12</Size></Contents>"
			    "</ListBucketResult>";

static int page(const char *xml, struct s3_listing *l, struct s3_list_page *p, struct api_error *e)
{
	return s3_parse_list_objects_v2(xml, strlen(xml), "bkt", "exp/", l, p, e);
}

static void test_list_page_decodes_entities_and_character_references(void **state)
{
	(void)state;
	struct s3_listing l = { 0 };
	struct s3_list_page p;
	struct api_error e;
	assert_int_equal(page(PAGE1, &l, &p, &e), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].key, "exp/a&b.ion");
	assert_int_equal(l.items[0].size, 434234);
	/* U+20AC is E2 82 AC, U+00E9 is C3 A9 in UTF-8 */
	assert_string_equal(l.items[1].key, "exp/c<d>\xe2\x82\xac\xc3\xa9.ion");
	assert_int_equal(l.items[1].size, 0);
	assert_string_equal(l.items[2].key, "exp/x y");
	assert_true(l.items[2].size == UINT64_C(9223372036854775807));
	assert_true(p.truncated);
	assert_string_equal(p.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
	assert_int_equal(p.contents, 3);
	assert_int_equal(page(PAGE2, &l, &p, &e), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[3].key, "exp/z");
	assert_false(p.truncated);
	assert_string_equal(p.next_token, "");
	s3_listing_free(&l);
}

/* Each bad page is refused whole: the listing keeps what it had. */
static void expect_bad_page(const char *xml, const char *needle)
{
	struct s3_listing l = { 0 };
	struct s3_list_page p;
	struct api_error e;
	assert_int_equal(page(PAGE2, &l, &p, &e), 0); /* "exp/z" already there */
	int rc = page(xml, &l, &p, &e);
	if (rc == 0 || !strstr(e.msg, needle))
		fail_msg("page %s: rc %d, message \"%s\", want \"%s\"", xml, rc, e.msg, needle);
	assert_int_equal(l.n, 1);
	assert_null(strchr(e.msg, '\n'));
	s3_listing_free(&l);
}

#define PG(body) "<ListBucketResult><Name>bkt</Name>" body "</ListBucketResult>"
#define C(k, s) "<Contents><Key>" k "</Key><Size>" s "</Size></Contents>"

static void test_list_page_refuses_bad_shapes_naming_what(void **state)
{
	(void)state;
	expect_bad_page(PG(C("exp/zz", "1")), "IsTruncated");
	expect_bad_page(PG("<IsTruncated>yes</IsTruncated>" C("exp/zz", "1")), "IsTruncated");
	expect_bad_page(PG("<IsTruncated>true</IsTruncated>" C("exp/zz", "1")),
			"NextContinuationToken");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("other/k", "1")),
			"not under the prefix");
	/* before the last key of the page before, or the same key again: a
	 * server that loops is caught */
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/a", "1")), "not after");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/z", "1")), "not after");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "1") C("exp/zy", "1")),
			"not after");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "-1")), "Size");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "1e3")), "Size");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "")), "Size");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "9223372036854775808")),
			"Size");
	expect_bad_page(
		PG("<IsTruncated>false</IsTruncated>" C("exp/zz", "99999999999999999999999999")),
		"Size");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>"
			   "<Contents><Size>1</Size></Contents>"),
			"no <Key>");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>"
			   "<Contents><Key>exp/q</Key><Key>exp/r</Key><Size>1</Size></Contents>"),
			"twice");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>"
			   "<Contents><Key>exp/<b>q</b></Key><Size>1</Size></Contents>"),
			"holds elements");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C("exp/a&#9;b", "1")),
			"control character");
	expect_bad_page(
		PG("<IsTruncated>false</IsTruncated><KeyCount>2</KeyCount>" C("exp/zz", "1")),
		"KeyCount");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated><KeyCount>99999999999999999999999"
			   "</KeyCount>" C("exp/zz", "1")),
			"KeyCount");
	expect_bad_page("<ListBucketResult><Name>other</Name><IsTruncated>false</IsTruncated>"
			"</ListBucketResult>",
			"bucket");
	expect_bad_page("<ListAllMyBucketsResult/>", "not <ListBucketResult>");
	/* an answer to another request: keys hidden in CommonPrefixes would
	 * be objects nothing checked */
	expect_bad_page(PG("<Prefix>other/</Prefix><IsTruncated>false</IsTruncated>"), "prefix");
	expect_bad_page(PG("<Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>"),
			"delimiter");
	expect_bad_page(PG("<IsTruncated>false</IsTruncated>" C(
				"exp/zz",
				"1") "<CommonPrefixes><Prefix>exp/zzz/</Prefix></CommonPrefixes>"),
			"delimiter");
	expect_bad_page("", "empty");
}

static void test_xml_refuses_doctype_entity_bombs_and_external_entities(void **state)
{
	(void)state;
	static const char *const attacks[] = {
		/* billion laughs */
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
		"<ListBucketResult><Name>&lol3;</Name></ListBucketResult>",
		/* external entity (XXE) */
		"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
		/* parameter entity */
		"<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1/x\"> %p;]><r/>",
		/* a bare DOCTYPE is refused too */
		"<!DOCTYPE r><r/>",
	};
	for (size_t i = 0; i < sizeof attacks / sizeof *attacks; i++) {
		struct api_error e;
		struct xml_doc *d = xml_parse(attacks[i], strlen(attacks[i]), "ListObjectsV2", &e);
		if (d)
			fail_msg("attack %zu was parsed", i);
		assert_non_null(strstr(e.msg, "ListObjectsV2: line"));
		assert_non_null(strstr(e.msg, "DOCTYPE"));
	}
}

static void test_xml_refuses_malformed_truncated_and_over_limit_documents(void **state)
{
	(void)state;
	struct {
		const char *xml;
		size_t len;
		int status;
		const char *needle;
	} cases[] = {
		{ "<a><b>x</b>", 0, API_ERR_PARSE, "line 1" }, /* truncated */
		{ "<a><b>x</a></b>", 0, API_ERR_PARSE, "mismatched" },
		{ "<a>&nope;</a>", 0, API_ERR_PARSE, "undefined entity" },
		{ "<a>&#0;</a>", 0, API_ERR_PARSE, "line 1" },	/* no NUL by reference */
		{ "<a/><b/>", 0, API_ERR_PARSE, "junk after" }, /* two roots */
		{ "plain text", 0, API_ERR_PARSE, "line 1" },
		{ "<a>\xff\xfe</a>", 0, API_ERR_PARSE, "line 1" }, /* not UTF-8 */
		{ "<a>x\0y</a>", 9, API_ERR_PARSE, "NUL" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct api_error e;
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].xml);
		struct xml_doc *d = xml_parse(cases[i].xml, n, "S3", &e);
		if (d || e.status != cases[i].status || !strstr(e.msg, cases[i].needle))
			fail_msg("case %zu: status %d message \"%s\"", i, e.status, e.msg);
	}
	/* nesting past XML_MAX_DEPTH */
	char deep[2 * 8 * (XML_MAX_DEPTH + 2) + 8] = "";
	for (int i = 0; i < XML_MAX_DEPTH + 1; i++)
		strcat(deep, "<a>");
	for (int i = 0; i < XML_MAX_DEPTH + 1; i++)
		strcat(deep, "</a>");
	struct api_error e;
	assert_null(xml_parse(deep, strlen(deep), "S3", &e));
	assert_int_equal(e.status, API_ERR_LIMIT);
	assert_non_null(strstr(e.msg, "XML_MAX_DEPTH"));
	/* more than XML_MAX_NODES elements */
	size_t n = 16 + 4 * (XML_MAX_NODES + 1);
	char *many = malloc(n);
	assert_non_null(many);
	strcpy(many, "<r>");
	size_t o = 3;
	for (unsigned i = 0; i < XML_MAX_NODES; i++) {
		memcpy(many + o, "<a/>", 4);
		o += 4;
	}
	strcpy(many + o, "</r>");
	assert_null(xml_parse(many, strlen(many), "S3", &e));
	assert_int_equal(e.status, API_ERR_LIMIT);
	free(many);
	/* one text longer than XML_MAX_TEXT */
	char *big = malloc(XML_MAX_TEXT + 32);
	assert_non_null(big);
	strcpy(big, "<a>");
	memset(big + 3, 'x', XML_MAX_TEXT + 1);
	strcpy(big + 3 + XML_MAX_TEXT + 1, "</a>");
	assert_null(xml_parse(big, strlen(big), "S3", &e));
	assert_int_equal(e.status, API_ERR_LIMIT);
	free(big);
}

static void test_xml_tree_walk_and_namespace_prefixes(void **state)
{
	(void)state;
	static const char X[] = "<s3:R xmlns:s3=\"u\"><s3:K>one</s3:K><L/><K>two &amp; "
				"<![CDATA[<three>]]></K>\n  <K></K></s3:R>";
	struct api_error e;
	struct xml_doc *d = xml_parse(X, strlen(X), "t", &e);
	assert_non_null(d);
	const struct xml_node *r = xml_root(d);
	assert_string_equal(xml_name(r), "R");
	assert_int_equal(xml_count(r, "K"), 3);
	assert_int_equal(xml_count(r, NULL), 4);
	const struct xml_node *k = xml_child(r, "K");
	assert_string_equal(xml_text(k, NULL), "one");
	k = xml_next(k, "K");
	size_t len;
	assert_string_equal(xml_text(k, &len), "two & <three>");
	assert_int_equal(len, 13);
	k = xml_next(k, "K");
	assert_string_equal(xml_text(k, NULL), "");
	assert_null(xml_next(k, "K"));
	assert_true(xml_has_children(r));
	assert_false(xml_has_children(k));
	xml_free(d);
}

static void test_error_body_gives_code_and_message(void **state)
{
	(void)state;
	static const char E[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
				"<Code>NoSuchBucket</Code><Message>The specified bucket does not "
				"exist</Message><BucketName>x</BucketName><RequestId>r</RequestId>"
				"</Error>";
	char code[64], msg[128];
	assert_int_equal(s3_parse_error(E, strlen(E), code, sizeof code, msg, sizeof msg), 0);
	assert_string_equal(code, "NoSuchBucket");
	assert_string_equal(msg, "The specified bucket does not exist");
	/* a code cannot smuggle text; a message cannot break the line */
	static const char H[] = "<Error><Code>Bad Code: &#10;injected</Code><Message>a&#10;b"
				"</Message></Error>";
	assert_int_equal(s3_parse_error(H, strlen(H), code, sizeof code, msg, sizeof msg), 0);
	assert_string_equal(code, "Bad");
	assert_string_equal(msg, "a b");
	/* not the shape: -1, empty */
	static const char J[] = "{\"__type\":\"x\"}";
	assert_int_equal(s3_parse_error(J, strlen(J), code, sizeof code, msg, sizeof msg), -1);
	assert_string_equal(code, "");
	static const char O[] = "<Other><Code>X</Code></Other>";
	assert_int_equal(s3_parse_error(O, strlen(O), code, sizeof code, msg, sizeof msg), -1);
}

static void test_uri_parse_and_key_encoding(void **state)
{
	(void)state;
	char b[S3_BUCKET_MAX + 1], p[S3_KEY_MAX + 1];
	struct api_error e;
	assert_int_equal(s3_uri_parse("s3://my.bucket-1/a/b c/", b, sizeof b, p, sizeof p, &e), 0);
	assert_string_equal(b, "my.bucket-1");
	assert_string_equal(p, "a/b c/");
	assert_int_equal(s3_uri_parse("s3://bkt", b, sizeof b, p, sizeof p, &e), 0);
	assert_string_equal(p, "");
	static const char *const bad[] = { "http://bkt/x", "s3://ab/x",	    "s3:///x",
					   "s3://b%kt/x",  "s3://bkt/a\nb", "s3://bk t/x" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (s3_uri_parse(bad[i], b, sizeof b, p, sizeof p, &e) != API_ERR_CONFIG)
			fail_msg("%s was accepted", bad[i]);
		assert_null(strchr(e.msg, '\n'));
	}
	char out[64];
	/* RFC 3986 by hand: unreserved kept, everything else %XX upper case */
	assert_int_equal(s3_encode("a/b c+d=e&f~g_h.i-j", true, out, sizeof out), 27);
	assert_string_equal(out, "a/b%20c%2Bd%3De%26f~g_h.i-j");
	assert_int_equal(s3_encode("a/b", false, out, sizeof out), 5);
	assert_string_equal(out, "a%2Fb");
	assert_int_equal(s3_encode("\xe2\x82\xac", false, out, sizeof out), 9);
	assert_string_equal(out, "%E2%82%AC");
	assert_int_equal(s3_encode("abcd", false, out, 4), -1); /* no room for the NUL */
	assert_int_equal(s3_encode(" ", false, out, 3), -1);
}

/* Found by fuzz_api_responses and fuzz_api_xml: a <Code> that does not
 * start like an identifier is not an S3 error (both outputs stay empty,
 * as s3.h promises, even with room for one byte only), and an element
 * whose name is only a prefix is refused by the XML reader. */
static void test_error_bodies_the_fuzzers_found(void **state)
{
	(void)state;
	char code[16] = "x", msg[64] = "x";
	const char *bad = "<Error><Code>?x</Code><Message>m</Message></Error>";
	assert_int_equal(s3_parse_error(bad, strlen(bad), code, sizeof code, msg, sizeof msg), -1);
	assert_string_equal(code, "");
	assert_string_equal(msg, "");
	char one[1] = { 'x' };
	const char *good = "<Error><Code>NoSuchKey</Code><Message>m</Message></Error>";
	s3_parse_error(good, strlen(good), one, sizeof one, msg, sizeof msg);
	assert_int_equal(one[0], '\0'); /* nothing written past a one-byte cap */
	struct api_error err;
	const char *prefix_only = "<l:/>";
	struct xml_doc *d = xml_parse(prefix_only, strlen(prefix_only), "test", &err);
	assert_null(d);
	assert_non_null(strstr(err.msg, "without a local part"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_bodies_the_fuzzers_found),
		cmocka_unit_test(test_list_page_decodes_entities_and_character_references),
		cmocka_unit_test(test_list_page_refuses_bad_shapes_naming_what),
		cmocka_unit_test(test_xml_refuses_doctype_entity_bombs_and_external_entities),
		cmocka_unit_test(test_xml_refuses_malformed_truncated_and_over_limit_documents),
		cmocka_unit_test(test_xml_tree_walk_and_namespace_prefixes),
		cmocka_unit_test(test_error_body_gives_code_and_message),
		cmocka_unit_test(test_uri_parse_and_key_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
