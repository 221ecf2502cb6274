/*
 * test_api_config.c - profile, region and per-service endpoint resolution
 * as the AWS CLI (botocore) does it. One table of cases: environment,
 * command-line values and the two shared files in, the expected profile,
 * region, endpoints and static keys out. Expected values are written by
 * hand from botocore's documented behaviour (docs/reliability-perf.md §2
 * and the SDK reference guide's "service-specific endpoints" page), never
 * taken from the code. The endpoint order was checked against botocore
 * 1.43's ConfiguredEndpointProvider._ENDPOINT_URL_LOOKUP_ORDER, the
 * profile variables against the AWS CLI 2.9 configprovider.
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

#include "api/config.h"
#include "tests/lib/fake_env.h"

#define ENV_MAX 24

static char dir[64];
static char cfg_path[128], creds_path[128];

/* Every case: the two file paths and HOME, unless the case sets them. */
static const char *const ENV_DEFAULTS[] = {
	"AWS_CONFIG_FILE", cfg_path, "AWS_SHARED_CREDENTIALS_FILE", creds_path, "HOME", dir, NULL
};

static void write_file(const char *path, const char *text)
{
	unlink(path);
	if (!text)
		return;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_api_config_XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cfg_path, sizeof cfg_path, "%s/config", dir);
	snprintf(creds_path, sizeof creds_path, "%s/credentials", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cfg_path);
	unlink(creds_path);
	rmdir(dir);
	return 0;
}

struct config_case {
	const char *name;
	const char *env[ENV_MAX];
	struct api_config_overrides ov;
	const char *config, *credentials;
	/* expected */
	const char *error; /* substring of the one-line error, or NULL */
	const char *profile, *region, *region_source;
	const char *qldb, *monitoring, *kinesis; /* NULL: not checked */
	const char *akid;			 /* NULL: no static keys */
};

#define DEF(svc) "https://" svc ".us-east-1.amazonaws.com"

static const struct config_case CASES[] = {
	{ .name = "nothing set: default profile, us-east-1, default hosts",
	  .profile = "default",
	  .region = "us-east-1",
	  .region_source = "default",
	  .qldb = DEF("qldb"),
	  .monitoring = DEF("monitoring"),
	  .kinesis = DEF("kinesis") },
	{ .name = "the default profile's region",
	  .config = "[default]\nregion = eu-west-1\n",
	  .profile = "default",
	  .region = "eu-west-1",
	  .region_source = "profile",
	  .qldb = "https://qldb.eu-west-1.amazonaws.com",
	  .monitoring = "https://monitoring.eu-west-1.amazonaws.com" },
	{ .name = "AWS_DEFAULT_REGION over the profile",
	  .env = { "AWS_DEFAULT_REGION", "us-west-2" },
	  .config = "[default]\nregion = eu-west-1\n",
	  .region = "us-west-2",
	  .region_source = "AWS_DEFAULT_REGION" },
	{ .name = "AWS_REGION over AWS_DEFAULT_REGION",
	  .env = { "AWS_DEFAULT_REGION", "us-west-2", "AWS_REGION", "eu-central-1" },
	  .region = "eu-central-1",
	  .region_source = "AWS_REGION" },
	{ .name = "--region over everything",
	  .env = { "AWS_REGION", "eu-central-1" },
	  .ov = { .region = "ap-northeast-1" },
	  .config = "[default]\nregion = eu-west-1\n",
	  .region = "ap-northeast-1",
	  .region_source = "--region",
	  .qldb = "https://qldb.ap-northeast-1.amazonaws.com" },
	{ .name = "AWS_PROFILE picks [profile dev]",
	  .env = { "AWS_PROFILE", "dev" },
	  .config = "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n",
	  .profile = "dev",
	  .region = "ap-south-1" },
	{ .name = "--profile over AWS_PROFILE",
	  .env = { "AWS_PROFILE", "dev" },
	  .ov = { .profile = "prod" },
	  .config = "[profile dev]\nregion = ap-south-1\n[profile prod]\nregion = sa-east-1\n",
	  .profile = "prod",
	  .region = "sa-east-1" },
	{ .name = "[dev] without the prefix is no profile in the config file",
	  .env = { "AWS_PROFILE", "dev" },
	  .config = "[dev]\nregion = ap-south-1\n",
	  .error = "profile dev: no such profile in" },
	{ .name = "the credentials file's region wins over the config file's",
	  .env = { "AWS_PROFILE", "dev" },
	  .config = "[profile dev]\nregion = ap-south-1\n",
	  .credentials = "[dev]\nregion = ca-central-1\n",
	  .region = "ca-central-1" },
	{ .name = "[default] is not inherited by a named profile",
	  .ov = { .profile = "dev" },
	  .config = "[default]\nregion = eu-west-1\n[profile dev]\noutput = json\n",
	  .region = "us-east-1",
	  .region_source = "default" },
	{ .name = "env keys win over AWS_PROFILE",
	  .env = { "AWS_PROFILE", "dev", "AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01",
		   "AWS_SECRET_ACCESS_KEY", "env-secret" },
	  .credentials = "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n",
	  .profile = "dev",
	  .akid = "AKIDENVIRONMENT01" },
	{ .name = "--profile drops the env keys",
	  .env = { "AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01", "AWS_SECRET_ACCESS_KEY",
		   "env-secret" },
	  .ov = { .profile = "dev" },
	  .credentials = "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n",
	  .profile = "dev",
	  .akid = NULL },
	{ .name = "AWS_SECURITY_TOKEN is the old name of AWS_SESSION_TOKEN",
	  .env = { "AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT01", "AWS_SECRET_ACCESS_KEY", "env-secret",
		   "AWS_SECURITY_TOKEN", "old-token" },
	  .akid = "AKIDENVIRONMENT01" },
	{ .name = "a profile named on the command line must exist",
	  .ov = { .profile = "nope" },
	  .config = "[default]\nregion = eu-west-1\n",
	  .error = "profile nope: no such profile in" },
	{ .name = "a profile named by AWS_PROFILE must exist, even default",
	  .env = { "AWS_PROFILE", "default" },
	  .error = "profile default: no such profile in" },
	{ .name = "--endpoint-url serves every service",
	  .env = { "AWS_ENDPOINT_URL_QLDB", "http://env-qldb:1" },
	  .ov = { .endpoint_url = "http://127.0.0.1:8443/" },
	  .qldb = "http://127.0.0.1:8443",
	  .monitoring = "http://127.0.0.1:8443",
	  .kinesis = "http://127.0.0.1:8443" },
	{ .name = "AWS_ENDPOINT_URL_CLOUDWATCH over AWS_ENDPOINT_URL",
	  .env = { "AWS_ENDPOINT_URL", "http://generic:3", "AWS_ENDPOINT_URL_CLOUDWATCH",
		   "http://cw:2" },
	  .qldb = "http://generic:3",
	  .monitoring = "http://cw:2",
	  .kinesis = "http://generic:3" },
	{ .name = "the services section: below both variables, above endpoint_url",
	  .env = { "AWS_ENDPOINT_URL_QLDB", "http://env-qldb:4" },
	  .config = "[default]\nservices = loc\nendpoint_url = http://prof:5\n"
		    "[services loc]\nqldb =\n  endpoint_url = http://svc-qldb:1\n"
		    "cloudwatch =\n  endpoint_url = http://svc-cw:2\n",
	  .qldb = "http://env-qldb:4",
	  .monitoring = "http://svc-cw:2",
	  .kinesis = "http://prof:5" },
	{ .name = "AWS_ENDPOINT_URL over the services section",
	  .env = { "AWS_ENDPOINT_URL", "http://generic:3" },
	  .config = "[default]\nservices = loc\n"
		    "[services loc]\ncloudwatch =\n  endpoint_url = http://svc-cw:2\n",
	  .monitoring = "http://generic:3" },
	{ .name = "a services name without its section is an error",
	  .config = "[default]\nservices = gone\n",
	  .error = "profile default: services section 'gone' does not exist" },
	{ .name = "AWS_DEFAULT_PROFILE after AWS_PROFILE (AWS CLI v2)",
	  .env = { "AWS_DEFAULT_PROFILE", "old" },
	  .config = "[profile old]\nregion = eu-south-1\n",
	  .profile = "old",
	  .region = "eu-south-1" },
	{ .name = "AWS_PROFILE over AWS_DEFAULT_PROFILE",
	  .env = { "AWS_DEFAULT_PROFILE", "old", "AWS_PROFILE", "new" },
	  .config = "[profile old]\nregion = eu-south-1\n[profile new]\nregion = eu-south-2\n",
	  .profile = "new",
	  .region = "eu-south-2" },
	{ .name = "the profile's endpoint_url comes last",
	  .config = "[default]\nendpoint_url = http://prof:5\n",
	  .qldb = "http://prof:5",
	  .monitoring = "http://prof:5" },
	{ .name = "AWS_ENDPOINT_URL over the profile's endpoint_url",
	  .env = { "AWS_ENDPOINT_URL", "http://generic:3" },
	  .config = "[default]\nendpoint_url = http://prof:5\n",
	  .qldb = "http://generic:3" },
	{ .name = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: default hosts",
	  .env = { "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", "AWS_ENDPOINT_URL",
		   "http://generic:3", "AWS_ENDPOINT_URL_KINESIS", "http://k:1" },
	  .config = "[default]\nendpoint_url = http://prof:5\n",
	  .qldb = DEF("qldb"),
	  .monitoring = DEF("monitoring"),
	  .kinesis = DEF("kinesis") },
	{ .name = "ignore_configured_endpoint_urls in the profile",
	  .env = { "AWS_ENDPOINT_URL", "http://generic:3" },
	  .config = "[default]\nignore_configured_endpoint_urls = true\n",
	  .qldb = DEF("qldb") },
	{ .name = "--endpoint-url still wins when configured ones are ignored",
	  .env = { "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true" },
	  .ov = { .endpoint_url = "http://flag:1" },
	  .qldb = "http://flag:1",
	  .monitoring = "http://flag:1" },
	{ .name = "China regions use amazonaws.com.cn",
	  .ov = { .region = "cn-north-1" },
	  .qldb = "https://qldb.cn-north-1.amazonaws.com.cn",
	  .monitoring = "https://monitoring.cn-north-1.amazonaws.com.cn" },
	{ .name = "a malformed config file names file and line",
	  .config = "[default]\nthis line is wrong\n",
	  .error = "config line 2: expected" },
	{ .name = "a duplicate key is refused as configparser does",
	  .credentials = "[default]\naws_access_key_id = A\naws_access_key_id = B\n",
	  .error = "credentials line 3: key repeated" },
	{ .name = "a bad region names the profile",
	  .env = { "AWS_PROFILE", "dev" },
	  .config = "[profile dev]\nregion = eu west 1\n",
	  .error = "from profile dev is not valid" },
	{ .name = "a bad endpoint names its variable",
	  .env = { "AWS_ENDPOINT_URL_S3", "ftp://x" },
	  .error = "endpoint URL from AWS_ENDPOINT_URL_S3 is not valid" },
	{ .name = "the demo (endpoint, region, keys given) reads no files",
	  .ov = { .endpoint_url = "http://127.0.0.1:1",
		  .region = "us-east-1",
		  .access_key_id = "AKIDQLDBTOPDEMO00001",
		  .secret_access_key = "demo-secret" },
	  .config = "this file is broken\n",
	  .env = { "AWS_PROFILE", "missing" },
	  .profile = "missing",
	  .akid = "AKIDQLDBTOPDEMO00001" },
};

static void test_resolution_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const struct config_case *c = &CASES[i];
		print_message("case: %s\n", c->name);
		write_file(cfg_path, c->config);
		write_file(creds_path, c->credentials);
		fake_env_set(c->env, ENV_DEFAULTS);
		struct api_config cfg;
		struct api_error e;
		int rc = api_config_resolve(&cfg, &c->ov, fake_env_get, &e);
		if (c->error) {
			assert_int_equal(rc, API_ERR_CONFIG);
			if (!strstr(e.msg, c->error))
				fail_msg("%s: got '%s'", c->name, e.msg);
			assert_null(strchr(e.msg, '\n'));
			continue;
		}
		if (rc)
			fail_msg("%s: unexpected error '%s'", c->name, e.msg);
		if (c->profile)
			assert_string_equal(cfg.profile, c->profile);
		if (c->region)
			assert_string_equal(cfg.region, c->region);
		if (c->region_source)
			assert_string_equal(cfg.region_source, c->region_source);
		char url[API_URL_MAX];
		if (c->qldb) {
			assert_string_equal(cfg.endpoint, c->qldb);
			assert_int_equal(api_config_endpoint(&cfg, "qldb", url, sizeof url, &e), 0);
			assert_string_equal(url, c->qldb);
		}
		if (c->monitoring) {
			assert_int_equal(
				api_config_endpoint(&cfg, "monitoring", url, sizeof url, &e), 0);
			assert_string_equal(url, c->monitoring);
		}
		if (c->kinesis) {
			assert_int_equal(api_config_endpoint(&cfg, "kinesis", url, sizeof url, &e),
					 0);
			assert_string_equal(url, c->kinesis);
		}
		assert_int_equal(cfg.have_credentials, c->akid != NULL);
		if (c->akid)
			assert_string_equal(cfg.access_key_id, c->akid);
		api_config_wipe(&cfg);
	}
}

static void test_endpoint_names_and_unknown_service(void **state)
{
	(void)state;
	fake_env_set((const char *const[]){ "AWS_ENDPOINT_URL_CLOUDWATCH", "http://cw:9", NULL },
		     ENV_DEFAULTS);
	write_file(cfg_path, NULL);
	write_file(creds_path, NULL);
	struct api_config cfg;
	struct api_error e;
	assert_int_equal(api_config_resolve(&cfg, NULL, fake_env_get, &e), 0);
	char a[API_URL_MAX], b[API_URL_MAX];
	assert_int_equal(api_config_endpoint(&cfg, "cloudwatch", a, sizeof a, &e), 0);
	assert_int_equal(api_config_endpoint(&cfg, "MONITORING", b, sizeof b, &e), 0);
	assert_string_equal(a, "http://cw:9");
	assert_string_equal(b, "http://cw:9");
	assert_int_equal(api_config_endpoint(&cfg, "s3", a, sizeof a, &e), 0);
	assert_string_equal(a, DEF("s3"));
	assert_int_equal(api_config_endpoint(&cfg, "dynamodb", a, sizeof a, &e), API_ERR_CONFIG);
	assert_non_null(strstr(e.msg, "dynamodb"));
	assert_int_equal(api_config_endpoint(&cfg, "qldb", a, 8, &e), API_ERR_LIMIT);
}

static void test_paths_expand_vars_and_home(void **state)
{
	(void)state;
	char out[API_PATH_MAX];
	struct api_error e;
	fake_env_set((const char *const[]){ "CFGDIR", "/etc/aws", NULL }, ENV_DEFAULTS);
	assert_int_equal(
		api_config_expand_path("$CFGDIR/config", fake_env_get, out, sizeof out, &e), 0);
	assert_string_equal(out, "/etc/aws/config");
	assert_int_equal(
		api_config_expand_path("${CFGDIR}x/$NOPE/c", fake_env_get, out, sizeof out, &e), 0);
	assert_string_equal(out, "/etc/awsx/$NOPE/c"); /* unknown: kept, as Python */
	assert_int_equal(api_config_expand_path("~/.aws/config", fake_env_get, out, sizeof out, &e),
			 0);
	char want[256];
	snprintf(want, sizeof want, "%s/.aws/config", dir);
	assert_string_equal(out, want);
	assert_int_equal(api_config_expand_path("a~/b", fake_env_get, out, sizeof out, &e), 0);
	assert_string_equal(out, "a~/b");
	assert_int_equal(api_config_expand_path("~/x", fake_env_get, out, 4, &e), API_ERR_LIMIT);

	/* and the resolver uses them: AWS_CONFIG_FILE=~/sub/config */
	char sub[128], file[160];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	mkdir(sub, 0700);
	snprintf(file, sizeof file, "%s/config", sub);
	write_file(file, "[default]\nregion = me-south-1\n");
	fake_env_set((const char *const[]){ "AWS_CONFIG_FILE", "~/sub/config", NULL },
		     ENV_DEFAULTS);
	struct api_config cfg;
	assert_int_equal(api_config_resolve(&cfg, NULL, fake_env_get, &e), 0);
	assert_string_equal(cfg.region, "me-south-1");
	assert_string_equal(cfg.config_file, file);
	unlink(file);
	rmdir(sub);
}

static void test_secrets_stay_out_of_describe_and_errors(void **state)
{
	(void)state;
	static const char SECRET[] = "wJalrXUtnFEMI-K7MDENG-never-shown";
	static const char TOKEN[] = "FQoGZXIvYXdzEJr-token-never-shown";
	write_file(cfg_path, "[default]\nregion = eu\n  wJalrXUtnFEMI-K7MDENG-never-shown\n");
	write_file(creds_path, NULL);
	fake_env_set((const char *const[]){ "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
					    "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN",
					    TOKEN, NULL },
		     ENV_DEFAULTS);
	struct api_config cfg;
	struct api_error e;
	/* the multi-line region fails, and its second line is not echoed */
	assert_int_equal(api_config_resolve(&cfg, NULL, fake_env_get, &e), API_ERR_CONFIG);
	assert_null(strstr(e.msg, SECRET));
	assert_non_null(strstr(e.msg, "region 'eu...'"));
	write_file(cfg_path, NULL);
	assert_int_equal(api_config_resolve(&cfg, NULL, fake_env_get, &e), 0);
	char line[1024];
	api_config_describe(&cfg, line, sizeof line);
	assert_null(strstr(line, SECRET));
	assert_null(strstr(line, TOKEN));
	assert_null(strstr(line, "AKIDEXAMPLE"));
	assert_non_null(strstr(line, "key AKID..."));
	assert_non_null(strstr(line, "session token"));
	api_config_wipe(&cfg);
	assert_string_equal(cfg.secret_access_key, "");
	assert_string_equal(cfg.session_token, "");
	/* no keys: says so plainly */
	fake_env_set(NULL, ENV_DEFAULTS);
	assert_int_equal(api_config_resolve(&cfg, NULL, fake_env_get, &e), 0);
	api_config_describe(&cfg, line, sizeof line);
	assert_non_null(strstr(line, "key (none)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolution_table),
		cmocka_unit_test(test_endpoint_names_and_unknown_service),
		cmocka_unit_test(test_paths_expand_vars_and_home),
		cmocka_unit_test(test_secrets_stay_out_of_describe_and_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
