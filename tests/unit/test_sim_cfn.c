/*
 * test_sim_cfn.c - the CloudFormation template reader and evaluator
 * (sim/cfn_template.h) without a server: YAML short forms and JSON long
 * forms read to the same tree, intrinsic functions against values the
 * test states, parameters (defaults, AllowedValues, Min/MaxValue),
 * conditions, the creation order (DependsOn and references, template
 * order among equals), cycles and dangling references refused, and
 * malformed YAML as one line naming the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfn_template.h"

static cJSON *parse(const char *text, char *err)
{
	return cfn_template_parse(text, strlen(text), err, CFN_ERR_MAX);
}

/* The template's value at Resources.R.Properties.P resolved, as text. */
static void resolved(const char *tmpl, const char *given_json, const char *expect)
{
	char err[CFN_ERR_MAX] = "";
	cJSON *t = parse(tmpl, err);
	if (!t)
		fail_msg("parse: %s", err);
	cJSON *given = given_json ? cJSON_Parse(given_json) : NULL;
	struct cfn_eval ev;
	assert_int_equal(cfn_eval_init(&ev, t, given, "st", "arn:stack/st/1", "eu-west-1",
				       "111122223333", err, sizeof err),
			 0);
	/* the resources B exists as created, with an Arn */
	cJSON_AddStringToObject(ev.phys, "B", "bucket-phys");
	cJSON *a = cJSON_AddObjectToObject(ev.attrs, "B");
	cJSON_AddStringToObject(a, "Arn", "arn:aws:s3:::bucket-phys");
	const cJSON *p = cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "Resources"), "R"),
				    "Properties"),
		"P");
	cJSON *v = cfn_eval_resolve(&ev, p, err, sizeof err);
	if (!v)
		fail_msg("resolve: %s", err);
	char *txt = cJSON_PrintUnformatted(v);
	if (strcmp(txt, expect) != 0)
		fail_msg("got %s, want %s", txt, expect);
	free(txt);
	cJSON_Delete(v);
	cJSON_Delete(given);
	cfn_eval_free(&ev);
	cJSON_Delete(t);
}

#define HEAD                                                                                       \
	"Parameters:\n  Env: {Type: String, Default: dev}\n  N: {Type: Number, "                   \
	"Default: 2}\n"                                                                            \
	"Conditions:\n  Prod: !Equals [!Ref Env, prod]\n"                                          \
	"Resources:\n  B: {Type: AWS::S3::Bucket}\n  R:\n    Type: X::Y::Z\n    Properties:\n"

static void test_ref_and_pseudo(void **state)
{
	(void)state;
	resolved(HEAD "      P: !Ref Env\n", NULL, "\"dev\"");
	resolved(HEAD "      P: !Ref Env\n", "{\"Env\":\"prod\"}", "\"prod\"");
	resolved(HEAD "      P: !Ref N\n", NULL, "\"2\""); /* parameters are text */
	resolved(HEAD "      P: !Ref B\n", NULL, "\"bucket-phys\"");
	resolved(HEAD
		 "      P: [!Ref 'AWS::Region', !Ref 'AWS::AccountId', !Ref 'AWS::StackName']\n",
		 NULL, "[\"eu-west-1\",\"111122223333\",\"st\"]");
}

static void test_getatt_sub_join(void **state)
{
	(void)state;
	resolved(HEAD "      P: !GetAtt B.Arn\n", NULL, "\"arn:aws:s3:::bucket-phys\"");
	resolved(HEAD "      P: {'Fn::GetAtt': [B, Arn]}\n", NULL, "\"arn:aws:s3:::bucket-phys\"");
	resolved(HEAD "      P: !Sub '${Env}-${B}-${B.Arn}-${AWS::Region}-${!Literal}'\n", NULL,
		 "\"dev-bucket-phys-arn:aws:s3:::bucket-phys-eu-west-1-${Literal}\"");
	resolved(HEAD "      P: !Sub ['${X}/${Env}', {X: !Ref B}]\n", NULL, "\"bucket-phys/dev\"");
	resolved(HEAD "      P: !Join [':', [a, !Ref Env, !GetAtt B.Arn]]\n", NULL,
		 "\"a:dev:arn:aws:s3:::bucket-phys\"");
	resolved(HEAD "      P: !Join ['', []]\n", NULL, "\"\"");
	resolved(HEAD "      P: !Select [1, !Split [',', 'x,y,z']]\n", NULL, "\"y\"");
}

static void test_conditions_and_if(void **state)
{
	(void)state;
	resolved(HEAD "      P: !If [Prod, 168, 24]\n", NULL, "24");
	resolved(HEAD "      P: !If [Prod, 168, 24]\n", "{\"Env\":\"prod\"}", "168");
	/* AWS::NoValue drops the member */
	resolved(HEAD "      P: {A: !If [Prod, 1, !Ref 'AWS::NoValue'], B: 2}\n", NULL,
		 "{\"B\":2}");
	resolved(HEAD "      P: !Or [!Equals [a, b], !Not [!Equals [a, b]]]\n", NULL, "true");
	resolved(HEAD "      P: !And [!Condition Prod, true]\n", NULL, "false");
}

/* init fails with a message containing want. */
static void init_fails(const char *tmpl, const char *given_json, const char *want)
{
	char err[CFN_ERR_MAX] = "";
	cJSON *t = parse(tmpl, err);
	assert_non_null(t);
	cJSON *given = given_json ? cJSON_Parse(given_json) : NULL;
	struct cfn_eval ev;
	int rc = cfn_eval_init(&ev, t, given, "st", "id", "r", "a", err, sizeof err);
	if (rc == 0 || !strstr(err, want))
		fail_msg("rc %d, err '%s', want '%s'", rc, err, want);
	cfn_eval_free(&ev);
	cJSON_Delete(given);
	cJSON_Delete(t);
}

static void test_parameters(void **state)
{
	(void)state;
	const char *t = "Parameters:\n  E: {Type: String, AllowedValues: [dev, prod]}\n"
			"  N: {Type: Number, Default: 1, MinValue: 1, MaxValue: 10}\n"
			"Resources:\n  B: {Type: AWS::S3::Bucket}\n";
	init_fails(t, NULL, "[E] must have values");
	init_fails(t, "{\"E\":\"test\"}", "'E' must be one of AllowedValues");
	init_fails(t, "{\"E\":\"dev\",\"N\":\"11\"}", "not greater than 10");
	init_fails(t, "{\"E\":\"dev\",\"N\":\"0\"}", "not less than 1");
	init_fails(t, "{\"E\":\"dev\",\"N\":\"x\"}", "must be a number");
	init_fails(t, "{\"E\":\"dev\",\"Z\":\"1\"}", "[Z] do not exist");
	init_fails("Conditions:\n  C: !Equals [a]\nResources:\n  B: {Type: AWS::S3::Bucket}\n",
		   NULL, "Fn::Equals takes two values");
	init_fails("Conditions:\n  C: !Condition D\n  D: !Condition C\n"
		   "Resources:\n  B: {Type: AWS::S3::Bucket}\n",
		   NULL, "nested too deeply");
}

/* The creation order of tmpl as "A B C", or "error: ...". */
static void order_is(const char *tmpl, const char *want)
{
	char err[CFN_ERR_MAX] = "", got[512] = "";
	cJSON *t = parse(tmpl, err);
	assert_non_null(t);
	struct cfn_eval ev;
	assert_int_equal(cfn_eval_init(&ev, t, NULL, "st", "id", "r", "a", err, sizeof err), 0);
	const char *ids[CFN_RESOURCES_MAX];
	int n = cfn_eval_order(&ev, ids, err, sizeof err);
	if (n < 0)
		snprintf(got, sizeof got, "error: %s", err);
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", ids[i]);
	if (strncmp(got, want, strlen(want)) != 0)
		fail_msg("order '%s', want '%s'", got, want);
	cfn_eval_free(&ev);
	cJSON_Delete(t);
}

static void test_order(void **state)
{
	(void)state;
	/* template order when nothing refers */
	order_is("Resources:\n  C: {Type: A::B::C}\n  A: {Type: A::B::C}\n", "C A");
	/* a Ref, a GetAtt, a Sub and DependsOn each put the target first */
	order_is("Resources:\n  C: {Type: A::B::C, Properties: {X: !Ref A}}\n"
		 "  A: {Type: A::B::C}\n",
		 "A C");
	order_is("Resources:\n  C: {Type: A::B::C, Properties: {X: !GetAtt A.Arn}}\n"
		 "  A: {Type: A::B::C}\n",
		 "A C");
	order_is("Resources:\n  C: {Type: A::B::C, Properties: {X: !Sub 'x-${A.Arn}'}}\n"
		 "  A: {Type: A::B::C}\n",
		 "A C");
	order_is("Resources:\n  C: {Type: A::B::C, DependsOn: [B]}\n"
		 "  B: {Type: A::B::C, DependsOn: A}\n  A: {Type: A::B::C}\n",
		 "A B C");
	/* a resource whose condition is false is left out */
	order_is("Conditions:\n  No: !Equals [a, b]\nResources:\n"
		 "  A: {Type: A::B::C, Condition: No}\n  B: {Type: A::B::C}\n",
		 "B");
	order_is("Resources:\n  A: {Type: A::B::C, Properties: {X: !Ref B}}\n"
		 "  B: {Type: A::B::C, Properties: {X: !GetAtt A.Arn}}\n",
		 "error: Template format error: Circular dependency");
	order_is("Resources:\n  A: {Type: A::B::C, DependsOn: A}\n",
		 "error: Template format error: Circular dependency");
	order_is("Resources:\n  A: {Type: A::B::C, Properties: {X: !Ref Nope}}\n",
		 "error: Template format error: Unresolved resource dependencies [Nope]");
	order_is("Resources:\n  A: {Type: A::B::C, DependsOn: Nope}\n",
		 "error: Template format error: Unresolved resource dependencies [Nope]");
	order_is("Conditions:\n  No: !Equals [a, b]\nResources:\n"
		 "  A: {Type: A::B::C, Condition: No}\n  B: {Type: A::B::C, Properties: {X: !Ref "
		 "A}}\n",
		 "error: Resources: B refers to A, whose condition is false");
}

static void parse_fails(const char *text, const char *want)
{
	char err[CFN_ERR_MAX] = "";
	cJSON *t = parse(text, err);
	if (t || !strstr(err, want) || strchr(err, '\n'))
		fail_msg("err '%s', want '%s'", err, want);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_fails("Resources:\n  B:\n    Type: X\n   Bad: 1\n", "YAML line 4");
	parse_fails("Resources: [\n", "YAML line 2");
	parse_fails("Resources:\n  B: !Bogus x\n", "unknown tag !Bogus");
	parse_fails("Resources:\n  B: !GetAtt NoDot\n", "!GetAtt wants Resource.Attribute");
	parse_fails("Resources:\n  B: {Type: X}\n  B: {Type: Y}\n", "YAML line 3: duplicate key B");
	parse_fails("A: &x 1\nResources:\n  B: *x\n", "aliases are not supported");
	parse_fails("Description: no resources\n", "at least one Resources member");
	parse_fails("", "empty");
	parse_fails("{\"Resources\": {\n\"B\": }", "JSON line 2");
	/* JSON keeps duplicate keys where YAML refuses them: refused too, at
	 * any depth (fuzz_sim_cfn: one resource was created twice) */
	parse_fails("{\"Resources\": {\"B\": {\"Type\": \"X\"}, \"B\": {\"Type\": \"Y\"}}}",
		    "the key 'B' is given twice");
	parse_fails("{\"Resources\": {\"B\": {\"Type\": \"X\", \"Properties\": "
		    "{\"a\": 1, \"b\": 2, \"a\": 3}}}}",
		    "the key 'a' is given twice");
	parse_fails("Resources: {B: {Type: X}}\n---\nResources: {}\n", "more than one document");
	/* nesting far deeper than any template: refused, not a stack overflow */
	char deep[4096] = "Resources: ";
	for (int i = 0; i < 1000; i++)
		strcat(deep, "[");
	parse_fails(deep, "nested too deeply");
}

/* An error that echoes the template's names stays one printable line
 * (fuzz_sim_cfn: a newline in a function's name split the message), and
 * a number beyond long long is printed, not converted (UBSan). */
static void test_errors_are_one_line(void **state)
{
	(void)state;
	char err[CFN_ERR_MAX] = "";
	cJSON *t = parse("{\"Resources\": {\"R\": {\"Type\": \"X::Y::Z\", \"Properties\": "
			 "{\"P\": {\"Fn::Bad\\nName\\u0001\": 1}}}}}",
			 err);
	assert_non_null(t);
	struct cfn_eval ev;
	assert_int_equal(cfn_eval_init(&ev, t, NULL, "st", "arn:stack/st/1", "eu-west-1",
				       "111122223333", err, sizeof err),
			 0);
	const cJSON *p = cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "Resources"), "R"),
				    "Properties"),
		"P");
	assert_null(cfn_eval_resolve(&ev, p, err, sizeof err));
	assert_string_equal(err, "Fn::Bad?Name? is not supported by this endpoint");
	cfn_eval_free(&ev);
	cJSON_Delete(t);
	char out[64];
	cJSON *big = cJSON_CreateNumber(1.5e48);
	assert_int_equal(cfn_scalar_text(big, out, sizeof out), 0);
	assert_string_equal(out, "1.5e+48");
	cJSON_Delete(big);
}

static void test_yaml_and_json_agree(void **state)
{
	(void)state;
	char err[CFN_ERR_MAX];
	cJSON *y = parse("Resources:\n  R:\n    Type: A::B::C\n    Properties:\n"
			 "      P: !Join ['-', [!Ref X, !GetAtt B.Arn, !If [C, 1, 'true']]]\n"
			 "      Q: 'true'\n      S: true\n      N: 10\n      M: '10'\n",
			 err);
	cJSON *j = parse("{\"Resources\": {\"R\": {\"Type\": \"A::B::C\", \"Properties\": {"
			 "\"P\": {\"Fn::Join\": [\"-\", [{\"Ref\": \"X\"}, {\"Fn::GetAtt\": "
			 "[\"B\", \"Arn\"]}, {\"Fn::If\": [\"C\", 1, \"true\"]}]]},"
			 "\"Q\": \"true\", \"S\": true, \"N\": 10, \"M\": \"10\"}}}}",
			 err);
	assert_non_null(y);
	assert_non_null(j);
	assert_true(cJSON_Compare(y, j, 1));
	cJSON_Delete(y);
	cJSON_Delete(j);
}

static void test_recipe_template(void **state)
{
	(void)state;
	FILE *f = fopen("assets/recipe/cloudformation.yaml", "r");
	assert_non_null(f);
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	char err[CFN_ERR_MAX] = "";
	cJSON *t = parse(text, err);
	if (!t)
		fail_msg("%s", err);
	struct cfn_eval ev;
	assert_int_equal(cfn_eval_init(&ev, t, NULL, "st", "id", "r", "a", err, sizeof err), 0);
	const char *ids[CFN_RESOURCES_MAX];
	int k = cfn_eval_order(&ev, ids, err, sizeof err);
	assert_int_equal(k, 6);
	/* the journal stream needs the ledger, its role and the Kinesis
	 * stream first; the export role needs the bucket */
	int at[6] = { 0 };
	const char *names[6] = { "QLDBLedger",		"QLDBStreamRole", "JournalKinesisStream",
				 "LedgerJournalStream", "ExportBucket",	  "QLDBExportRole" };
	for (int i = 0; i < k; i++)
		for (int m = 0; m < 6; m++)
			if (!strcmp(ids[i], names[m]))
				at[m] = i + 1;
	for (int m = 0; m < 6; m++)
		assert_true(at[m] > 0);
	assert_true(at[3] > at[0] && at[3] > at[1] && at[3] > at[2]);
	assert_true(at[1] > at[2] && at[5] > at[4]);
	const char *outs[] = { "LedgerName",	"LedgerArn",	     "StreamRoleArn",
			       "ExportRoleArn", "KinesisStreamName", "ExportBucketName" };
	for (size_t i = 0; i < 6; i++)
		assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "Outputs"), outs[i]));
	cfn_eval_free(&ev);
	cJSON_Delete(t);
}

/* What a CDK app synthesizes: JSON, Metadata sections, the
 * CDKMetadataAvailable condition (Fn::Or of Fn::Or, at most ten each);
 * and what the endpoint cannot honour refused by name. */
static void test_cdk_shapes(void **state)
{
	(void)state;
	/* Fn::Equals on the region (eu-west-1): the first false, the others true */
	char ten[64 * 11 + 1] = "", eleven[64 * 11 + 1] = "";
	for (int i = 0; i < 11; i++) {
		const char *e = i ? ",{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},\"eu-west-1\"]}"
				  : "{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},\"xx-none-1\"]}";
		if (i < 10)
			strcat(ten, e);
		strcat(eleven, e);
	}
	char t[2048];
	/* ten members inside an Or of two: true */
	snprintf(t, sizeof t,
		 "{\"Metadata\":{\"x\":1},\"Conditions\":{\"Avail\":{\"Fn::Or\":[{\"Fn::Or\":[%s]},"
		 "{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},\"us-west-2\"]}]}},"
		 "\"Resources\":{\"R\":{\"Type\":\"AWS::CDK::Metadata\",\"Condition\":\"Avail\","
		 "\"Metadata\":{\"aws:cdk:path\":\"S/R\"},\"Properties\":{\"P\":{\"Fn::If\":"
		 "[\"Avail\",\"yes\",\"no\"]}}}}}",
		 ten);
	resolved(t, NULL, "\"yes\"");
	/* eleven: refused, as AWS does */
	snprintf(t, sizeof t,
		 "{\"Conditions\":{\"Avail\":{\"Fn::Or\":[%s]}},"
		 "\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}",
		 eleven);
	init_fails(t, NULL, "Fn::Or takes 2 to 10 conditions");
	/* CDK's bootstrap version check: an SSM parameter and a Rule */
	init_fails("{\"Parameters\":{\"BootstrapVersion\":{\"Type\":"
		   "\"AWS::SSM::Parameter::Value<String>\",\"Default\":\"/cdk-bootstrap/v\"}},"
		   "\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}",
		   NULL,
		   "[BootstrapVersion] has type AWS::SSM::Parameter::Value<String>: SSM "
		   "parameters are not supported");
	parse_fails("{\"Rules\":{\"CheckBootstrapVersion\":{\"Assertions\":[]}},"
		    "\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}",
		    "Rules [CheckBootstrapVersion] are not supported by this endpoint");
	parse_fails("Transform: AWS::Serverless-2016-10-31\nResources:\n  B: {Type: X}\n",
		    "Transform [AWS::Serverless-2016-10-31] is not supported");
	parse_fails("Resorces: {}\nResources:\n  B: {Type: X}\n",
		    "Invalid template property or properties [Resorces]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_and_pseudo),
		cmocka_unit_test(test_getatt_sub_join),
		cmocka_unit_test(test_conditions_and_if),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_errors_are_one_line),
		cmocka_unit_test(test_yaml_and_json_agree),
		cmocka_unit_test(test_recipe_template),
		cmocka_unit_test(test_cdk_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
