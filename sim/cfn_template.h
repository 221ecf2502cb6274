/*
 * cfn_template.h - CloudFormation templates for the endpoint's
 * CloudFormation service (sim/cfn.h): parsing (YAML through libyaml, or
 * JSON) into one cJSON tree, and evaluating it: parameters (defaults,
 * AllowedValues, MinValue/MaxValue), conditions, the intrinsic functions
 * (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Equals, Fn::And,
 * Fn::Or, Fn::Not, Fn::Select, Fn::Split) and the resources' creation
 * order (DependsOn plus every Ref/GetAtt/Sub reference; cycles refused).
 *
 * YAML short forms (!Ref x, !GetAtt a.b, !Sub ..., !If [...]) are read
 * from the tag libyaml reports on each node and become the long form
 * ({"Ref": "x"}, {"Fn::GetAtt": ["a", "b"]}, ...), so the evaluator sees
 * one shape whatever the template's syntax. Scalars stay strings (as
 * CloudFormation treats them) except plain true/false and numbers.
 *
 * What the endpoint cannot honour is refused by name, never ignored: a
 * Transform, Rules, SSM parameter types (AWS::SSM::Parameter::Value<..>:
 * no Parameter Store), an unknown top-level section.
 *
 * Errors are one line in err: YAML ones name the line and column.
 * Ownership: cfn_template_parse returns a tree the caller deletes
 * (cJSON_Delete); a struct cfn_eval owns its params/conds/phys/attrs
 * objects (cfn_eval_free), and borrows the template.
 */
#ifndef QLDBTOP_SIM_CFN_TEMPLATE_H
#define QLDBTOP_SIM_CFN_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define CFN_ERR_MAX 300
#define CFN_RESOURCES_MAX 200 /* AWS allows 500; the recipe has 6 */

/* YAML or JSON text (len bytes) into a template tree; checks the top
 * level (an object with a Resources object). NULL with err filled. */
cJSON *cfn_template_parse(const char *text, size_t len, char *err, size_t cap);

struct cfn_eval {
	const cJSON *tmpl; /* borrowed */
	cJSON *params;	   /* name -> string value (resolved) */
	cJSON *conds;	   /* name -> bool */
	cJSON *phys;	   /* logical id -> physical id, for created resources */
	cJSON *attrs;	   /* logical id -> {attribute: value} */
	char stack_name[129];
	char stack_id[256];
	char region[32];
	char account[16];
};

/* Resolve the parameters (given: name -> value, may be NULL) and
 * evaluate the conditions. Returns 0, or -1 with err naming the
 * parameter or condition. */
int cfn_eval_init(struct cfn_eval *ev, const cJSON *tmpl, const cJSON *given,
		  const char *stack_name, const char *stack_id, const char *region,
		  const char *account, char *err, size_t cap);
void cfn_eval_free(struct cfn_eval *ev);

/* The logical ids of the resources whose Condition holds, in an order
 * that creates every resource after what it refers to (ties: template
 * order). Returns the count, or -1 with err (a cycle, a reference to
 * something that is not there). */
int cfn_eval_order(const struct cfn_eval *ev, const char *ids[CFN_RESOURCES_MAX], char *err,
		   size_t cap);

/* node with every intrinsic function evaluated (a new tree; AWS::NoValue
 * members dropped). NULL with err naming the function. */
cJSON *cfn_eval_resolve(const struct cfn_eval *ev, const cJSON *node, char *err, size_t cap);

/* A resolved scalar as text (strings as is, numbers and booleans
 * printed) into out; -1 when it is not a scalar. */
int cfn_scalar_text(const cJSON *v, char *out, size_t cap);

#endif
