/*
 * test_sim_scenario.c - scenario files (sim/scenario.c) and their running
 * (sim/faults.c): every action parses into its event; each kind of bad
 * line is a one-line error naming file and line; a fault applies only in
 * its window and to its service; shares are repeatable and near their
 * value; request-count triggers and ledger events come due once, and end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/faults.h"
#include "sim/scenario.h"

static struct sim_scenario *parse(const char *text, char *err, size_t cap)
{
	return sim_scenario_parse(text, strlen(text), "t.scn", err, cap);
}

static void test_every_action_parses(void **state)
{
	(void)state;
	char err[256] = "";
	struct sim_scenario *s = parse("# demo\n"
				       "at 1s throttle qldb 0.5 for 2s\n"
				       "at 500ms error all 503 1\n"
				       "after 40 requests latency s3 800ms for 1m\n"
				       "at 2m drop kinesis 0.25  # a comment\r\n"
				       "\n"
				       "at 3s malformed monitoring 1\n"
				       "at 3s truncate qldb 0\n"
				       "at 4s impair-stream L1 IAM_PERMISSION_REVOKED for 20s\n"
				       "at 4s fail-export L1\n"
				       "at 4s kms-inaccessible L1\n"
				       "at 5s tamper-block L1 7\n"
				       "at 6s fork L1 15\n",
				       err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->n, 11);
	assert_int_equal(s->v[0].kind, SIM_FAULT_THROTTLE);
	assert_int_equal(s->v[0].at_ms, 1000);
	assert_int_equal(s->v[0].for_ms, 2000);
	assert_true(s->v[0].share == 0.5);
	assert_int_equal(s->v[1].status, 503);
	assert_string_equal(s->v[1].service, "all");
	assert_int_equal(s->v[2].at_ms, -1);
	assert_int_equal(s->v[2].after_requests, 40);
	assert_int_equal(s->v[2].ms, 800);
	assert_int_equal(s->v[2].for_ms, 60000);
	assert_int_equal(s->v[3].at_ms, 120000);
	assert_string_equal(s->v[6].cause, "IAM_PERMISSION_REVOKED");
	assert_int_equal(s->v[9].seq, 7);
	assert_int_equal(s->v[10].kind, SIM_EVENT_FORK);
	assert_int_equal(s->v[10].line, 13);
	sim_scenario_free(s);
}

static void test_bad_lines_name_file_and_line(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"throttle qldb 1\n",		 /* no WHEN */
		"at soon throttle qldb 1\n",	 /* not a time */
		"at 1s shake qldb 1\n",		 /* unknown action */
		"at 1s throttle dynamo 1\n",	 /* unknown service */
		"at 1s throttle qldb 1.5\n",	 /* share out of range */
		"at 1s throttle qldb\n",	 /* missing argument */
		"at 1s error qldb 404 1\n",	 /* not a 5xx */
		"at 1s latency qldb 2h\n",	 /* not a duration */
		"at 1s fork L1 -3\n",		 /* not a sequence number */
		"at 1s impair-stream L1 OOPS\n", /* unknown cause */
		"at 1s throttle qldb 1 for\n",	 /* for without a duration */
		"at 1s throttle qldb 1 extra\n",
		"after 0 requests throttle qldb 1\n",
		"at 1s kms-inaccessible bad_name!\n",
		"at 1s throttle qldb:GetBlok 1\n",     /* unknown operation */
		"at 1s throttle qldb:getblock 1\n",    /* names are case-sensitive */
		"at 1s throttle qldb: 1\n",	       /* empty operation */
		"at 1s throttle kinesis:GetBlock 1\n", /* another service's */
		"at 1s throttle qldb:GetRecords 1\n",  /* another service's */
		"at 1s error s3:GetObject 503 1\n",    /* s3 has no per-op faults */
		"at 1s error all:GetBlock 503 1\n",    /* all has no operations */
		"at 1s throttle :GetBlock 1\n",	       /* no service */
		"at 1s throttle qldb:GetBlock:x 1\n",  /* two colons */
		"at 1s fail-export L1:GetBlock\n",     /* events take ledgers */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[256], err[256] = "";
		snprintf(text, sizeof text, "# ok\n%s", bad[i]);
		struct sim_scenario *s = parse(text, err, sizeof err);
		if (s)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err, "t.scn:2:"));
		assert_null(strchr(err, '\n'));
	}
	char err[256] = "";
	char nul[] = "at 1s throttle qldb 1\nat 2s\0drop qldb 1\n";
	assert_null(sim_scenario_parse(nul, sizeof nul - 1, "t.scn", err, sizeof err));
	assert_non_null(strstr(err, "t.scn:2:"));
}

static void test_faults_apply_in_their_window_and_service(void **state)
{
	(void)state;
	char err[256] = "";
	struct sim_scenario *s =
		parse("at 1s throttle qldb 1 for 1s\nat 0s latency s3 300ms\n", err, sizeof err);
	struct sim_faults *f = sim_faults_new(s, 10000);
	struct sim_fault_decision d;
	sim_faults_decide(f, "qldb", NULL, 10500, &d);
	assert_false(d.throttle);
	sim_faults_decide(f, "qldb", NULL, 11000, &d);
	assert_true(d.throttle);
	assert_int_equal(d.latency_ms, 0);
	sim_faults_decide(f, "kinesis", NULL, 11500, &d);
	assert_false(d.throttle);
	sim_faults_decide(f, "qldb", NULL, 12000, &d); /* its second is over */
	assert_false(d.throttle);
	sim_faults_decide(f, "s3", NULL, 12000, &d);
	assert_int_equal(d.latency_ms, 300);
	sim_faults_free(f);
}

static void test_operation_faults_parse(void **state)
{
	(void)state;
	char err[256] = "";
	struct sim_scenario *s = parse("at 0s throttle qldb:GetBlock 1\n"
				       "at 0s error qldb:GetDigest 503 1 for 2s\n"
				       "at 0s latency kinesis:GetRecords 2s\n"
				       "at 0s drop qldb 1\n",
				       err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->n, 4);
	assert_string_equal(s->v[0].service, "qldb");
	assert_string_equal(s->v[0].operation, "GetBlock");
	assert_string_equal(s->v[1].operation, "GetDigest");
	assert_int_equal(s->v[1].status, 503);
	assert_string_equal(s->v[2].service, "kinesis");
	assert_string_equal(s->v[2].operation, "GetRecords");
	assert_string_equal(s->v[3].operation, "");
	sim_scenario_free(s);
	/* The message names file, line and the word. */
	assert_null(parse("\n\nat 1s throttle qldb:GetBlok 1\n", err, sizeof err));
	assert_non_null(strstr(err, "t.scn:3:"));
	assert_non_null(strstr(err, "qldb:GetBlok"));
	assert_null(strchr(err, '\n'));
}

static void test_operation_faults_hit_only_their_operation(void **state)
{
	(void)state;
	char err[256] = "";
	struct sim_faults *f = sim_faults_new(parse("at 0s throttle qldb:GetBlock 1\n"
						    "at 0s error qldb:GetDigest 503 1\n"
						    "at 0s latency kinesis:GetRecords 700ms\n",
						    err, sizeof err),
					      0);
	struct sim_fault_decision d;
	sim_faults_decide(f, "qldb", "GetBlock", 5, &d);
	assert_true(d.throttle);
	assert_int_equal(d.status, 0);
	sim_faults_decide(f, "qldb", "GetDigest", 5, &d);
	assert_false(d.throttle);
	assert_int_equal(d.status, 503);
	sim_faults_decide(f, "qldb", "GetRevision", 5, &d);
	assert_false(d.throttle);
	assert_int_equal(d.status, 0);
	sim_faults_decide(f, "qldb", NULL, 5, &d); /* no operation known: not hit */
	assert_false(d.throttle);
	assert_int_equal(d.status, 0);
	sim_faults_decide(f, "kinesis", "GetBlock", 5, &d); /* same name, other service */
	assert_false(d.throttle);
	sim_faults_decide(f, "kinesis", "GetRecords", 5, &d);
	assert_int_equal(d.latency_ms, 700);
	sim_faults_decide(f, "kinesis", "ListShards", 5, &d);
	assert_int_equal(d.latency_ms, 0);
	sim_faults_free(f);
}

static size_t count_drops(const char *text)
{
	char err[256] = "";
	struct sim_faults *f = sim_faults_new(parse(text, err, sizeof err), 0);
	size_t n = 0;
	for (int i = 0; i < 2000; i++) {
		struct sim_fault_decision d;
		sim_faults_decide(f, "qldb", NULL, 5, &d);
		n += d.drop;
	}
	sim_faults_free(f);
	return n;
}

static void test_shares_are_repeatable_and_near_their_value(void **state)
{
	(void)state;
	size_t a = count_drops("at 0s drop qldb 0.3\n");
	size_t b = count_drops("at 0s drop qldb 0.3\n");
	assert_int_equal(a, b);
	assert_true(a > 500 && a < 700);
	assert_int_equal(count_drops("at 0s drop qldb 0\n"), 0);
	assert_int_equal(count_drops("at 0s drop qldb 1\n"), 2000);
}

static int seen[4], ended[4];
static void on_event(void *ctx, const struct sim_scenario_event *e, bool ending)
{
	(void)ctx;
	size_t i = e->line - 1;
	if (ending)
		ended[i]++;
	else
		seen[i]++;
}

static void test_events_come_due_once_and_end(void **state)
{
	(void)state;
	char err[256] = "";
	struct sim_faults *f = sim_faults_new(parse("at 1s kms-inaccessible L1 for 2s\n"
						    "after 3 requests fail-export L1\n"
						    "at 5s tamper-block L1 4\n",
						    err, sizeof err),
					      0);
	struct sim_fault_decision d;
	sim_faults_events(f, 500, on_event, NULL);
	assert_int_equal(seen[0] + seen[1] + seen[2], 0);
	sim_faults_events(f, 1000, on_event, NULL);
	sim_faults_events(f, 1100, on_event, NULL);
	assert_int_equal(seen[0], 1);
	for (int i = 0; i < 3; i++)
		sim_faults_decide(f, "qldb", NULL, 1200, &d);
	sim_faults_events(f, 1300, on_event, NULL);
	assert_int_equal(seen[1], 1);
	sim_faults_events(f, 3100, on_event, NULL);
	assert_int_equal(ended[0], 1);
	sim_faults_events(f, 9000, on_event, NULL);
	sim_faults_events(f, 9100, on_event, NULL);
	assert_int_equal(seen[2], 1);
	assert_int_equal(ended[0] + ended[1] + ended[2], 1); /* only one had a `for` */
	sim_faults_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_parses),
		cmocka_unit_test(test_bad_lines_name_file_and_line),
		cmocka_unit_test(test_faults_apply_in_their_window_and_service),
		cmocka_unit_test(test_operation_faults_parse),
		cmocka_unit_test(test_operation_faults_hit_only_their_operation),
		cmocka_unit_test(test_shares_are_repeatable_and_near_their_value),
		cmocka_unit_test(test_events_come_due_once_and_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
