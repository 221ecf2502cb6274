/*
 * fuzz_sim_cfn.c - the endpoint's CloudFormation templates (sim/
 * cfn_template.c: libyaml or JSON into one tree, then parameters,
 * conditions, the creation order and every intrinsic function) on any
 * bytes, as CreateStack and ValidateTemplate receive them from the
 * network. Each step returns a result or one line naming what failed,
 * never crashes, hangs or leaks (LeakSanitizer); the creation order
 * lists each resource once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfn_template.h"

/* err must be one non-empty NUL-terminated line */
static void one_line(const char *err, size_t cap)
{
	if (!memchr(err, '\0', cap) || !err[0] || strchr(err, '\n')) {
		fprintf(stderr, "not one line: '%.*s'\n", (int)cap, err);
		abort();
	}
}

/* resolve node (may be NULL): a new tree, or NULL with one line */
static void resolve(const struct cfn_eval *ev, const cJSON *node)
{
	if (!node)
		return;
	char err[CFN_ERR_MAX] = "";
	cJSON *v = cfn_eval_resolve(ev, node, err, sizeof err);
	if (!v)
		one_line(err, sizeof err);
	cJSON_Delete(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CFN_ERR_MAX] = "";
	cJSON *t = cfn_template_parse((const char *)data, size, err, sizeof err);
	if (!t) {
		one_line(err, sizeof err);
		return 0;
	}
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(t, "Resources")))
		abort(); /* the documented check of the top level */
	struct cfn_eval ev;
	if (cfn_eval_init(&ev, t, NULL, "fz",
			  "arn:aws:cloudformation:us-east-1:123456789012:stack/fz/1", "us-east-1",
			  "123456789012", err, sizeof err) != 0) {
		one_line(err, sizeof err);
		cfn_eval_free(&ev); /* owned even when init fails, as sim/cfn.c frees */
		cJSON_Delete(t);
		return 0;
	}
	static const char *ids[CFN_RESOURCES_MAX];
	int n = cfn_eval_order(&ev, ids, err, sizeof err);
	if (n < 0) {
		one_line(err, sizeof err);
	} else {
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < i; j++)
				if (!strcmp(ids[i], ids[j]))
					abort(); /* a resource created twice */
			const cJSON *r = cJSON_GetObjectItemCaseSensitive(res, ids[i]);
			if (!r)
				abort(); /* an order naming a resource that is not there */
			resolve(&ev, cJSON_GetObjectItemCaseSensitive(r, "Properties"));
		}
		const cJSON *o;
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(t, "Outputs"))
			resolve(&ev, cJSON_GetObjectItemCaseSensitive(o, "Value"));
	}
	cfn_eval_free(&ev);
	cJSON_Delete(t);
	return 0;
}
