/*
 * cfn_template.c - CloudFormation template parsing and evaluation (see
 * cfn_template.h).
 */
#include "sim/cfn_template.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define CFN_DEPTH_MAX 64 /* nesting: deeper templates are refused, never overflow the stack */

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	/* messages echo the template's own names, which may hold any byte:
	 * keep the error one printable ASCII line (found by fuzz_sim_cfn) */
	for (unsigned char *p = (unsigned char *)err; cap && *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
	return -1;
}

/* ---- YAML -> cJSON ---- */

struct yctx {
	yaml_parser_t p;
	char *err;
	size_t cap;
};

static int ynext(struct yctx *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->p, ev))
		return 0;
	return fail(y->err, y->cap, "template: YAML line %zu column %zu: %s",
		    y->p.problem_mark.line + 1, y->p.problem_mark.column + 1,
		    y->p.problem ? y->p.problem : "malformed");
}

/* A plain scalar's JSON value: true/false and decimal numbers typed,
 * anything else a string. */
static cJSON *plain_scalar(const char *s, bool plain)
{
	if (plain && (!strcmp(s, "true") || !strcmp(s, "True")))
		return cJSON_CreateTrue();
	if (plain && (!strcmp(s, "false") || !strcmp(s, "False")))
		return cJSON_CreateFalse();
	if (plain && *s && (isdigit((unsigned char)*s) || *s == '-')) {
		char *end;
		errno = 0;
		double d = strtod(s, &end);
		if (!*end && !errno && strspn(s, "-0123456789.") == strlen(s))
			return cJSON_CreateNumber(d);
	}
	return cJSON_CreateString(s);
}

/* A short-form tag (!Ref, !GetAtt, !Sub, ...) wrapped around v. */
static cJSON *wrap_tag(const char *tag, cJSON *v, struct yctx *y, size_t line)
{
	if (!tag || tag[0] != '!' || !v)
		return v;
	const char *name = tag + 1;
	cJSON *o = cJSON_CreateObject();
	if (!strcmp(name, "Ref") || !strcmp(name, "Condition")) {
		cJSON_AddItemToObject(o, name, v);
		return o;
	}
	if (!strcmp(name, "GetAtt") && cJSON_IsString(v)) {
		const char *dot = strchr(v->valuestring, '.');
		if (!dot) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			fail(y->err, y->cap,
			     "template: YAML line %zu: !GetAtt wants Resource.Attribute", line);
			return NULL;
		}
		cJSON *a = cJSON_CreateArray();
		char id[256];
		snprintf(id, sizeof id, "%.*s", (int)(dot - v->valuestring), v->valuestring);
		cJSON_AddItemToArray(a, cJSON_CreateString(id));
		cJSON_AddItemToArray(a, cJSON_CreateString(dot + 1));
		cJSON_Delete(v);
		v = a;
	}
	static const char *const KNOWN[] = { "GetAtt",	  "Sub",	 "Join",   "If",
					     "Equals",	  "And",	 "Or",	   "Not",
					     "Select",	  "Split",	 "Base64", "GetAZs",
					     "FindInMap", "ImportValue", "Cidr" };
	for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
		if (!strcmp(name, KNOWN[i])) {
			char key[32];
			snprintf(key, sizeof key, "Fn::%s", name);
			cJSON_AddItemToObject(o, key, v);
			return o;
		}
	cJSON_Delete(v);
	cJSON_Delete(o);
	fail(y->err, y->cap, "template: YAML line %zu: unknown tag !%.40s", line, name);
	return NULL;
}

static cJSON *ynode(struct yctx *y, yaml_event_t *ev, int depth);

/* The node after the current one. */
static cJSON *ynode_next(struct yctx *y, int depth)
{
	yaml_event_t ev;
	if (ynext(y, &ev))
		return NULL;
	cJSON *v = ynode(y, &ev, depth);
	return v;
}

/* ev (a node's first event, deleted here) and its contents. */
static cJSON *ynode(struct yctx *y, yaml_event_t *ev, int depth)
{
	size_t line = ev->start_mark.line + 1;
	cJSON *v = NULL;
	char *tag = NULL;
	if (depth > CFN_DEPTH_MAX) {
		yaml_event_delete(ev);
		fail(y->err, y->cap, "template: YAML line %zu: nested too deeply", line);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		tag = ev->data.scalar.tag ? strdup((char *)ev->data.scalar.tag) : NULL;
		v = plain_scalar((char *)ev->data.scalar.value,
				 ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag);
		break;
	case YAML_SEQUENCE_START_EVENT:
		tag = ev->data.sequence_start.tag ? strdup((char *)ev->data.sequence_start.tag)
						  : NULL;
		v = cJSON_CreateArray();
		for (;;) {
			yaml_event_t e;
			if (ynext(y, &e)) {
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			cJSON *item = ynode(y, &e, depth + 1);
			if (!item) {
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			cJSON_AddItemToArray(v, item);
		}
		break;
	case YAML_MAPPING_START_EVENT:
		tag = ev->data.mapping_start.tag ? strdup((char *)ev->data.mapping_start.tag)
						 : NULL;
		v = cJSON_CreateObject();
		for (;;) {
			yaml_event_t k;
			if (ynext(y, &k)) {
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			if (k.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&k);
				break;
			}
			if (k.type != YAML_SCALAR_EVENT) {
				fail(y->err, y->cap, "template: YAML line %zu: a key must be text",
				     k.start_mark.line + 1);
				yaml_event_delete(&k);
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			char *key = strdup((char *)k.data.scalar.value);
			size_t kl = k.start_mark.line + 1;
			yaml_event_delete(&k);
			if (key && cJSON_GetObjectItemCaseSensitive(v, key)) {
				fail(y->err, y->cap, "template: YAML line %zu: duplicate key %.60s",
				     kl, key);
				free(key);
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			cJSON *val = key ? ynode_next(y, depth + 1) : NULL;
			if (!val) {
				free(key);
				cJSON_Delete(v);
				v = NULL;
				break;
			}
			cJSON_AddItemToObject(v, key, val);
			free(key);
		}
		break;
	case YAML_ALIAS_EVENT:
		fail(y->err, y->cap, "template: YAML line %zu: aliases are not supported", line);
		break;
	default:
		fail(y->err, y->cap, "template: YAML line %zu: unexpected event", line);
		break;
	}
	yaml_event_delete(ev);
	if (v && tag)
		v = wrap_tag(tag, v, y, line);
	free(tag);
	return v;
}

static cJSON *parse_yaml(const char *text, size_t len, char *err, size_t cap)
{
	struct yctx y = { .err = err, .cap = cap };
	if (!yaml_parser_initialize(&y.p)) {
		fail(err, cap, "template: out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
	cJSON *root = NULL;
	yaml_event_t ev;
	/* stream start, document start, the node, document end */
	if (!ynext(&y, &ev)) {
		yaml_event_delete(&ev);
		if (!ynext(&y, &ev)) {
			if (ev.type == YAML_DOCUMENT_START_EVENT) {
				yaml_event_delete(&ev);
				root = ynode_next(&y, 0);
			} else {
				yaml_event_delete(&ev);
				fail(err, cap, "template: empty");
			}
		}
	}
	if (root && !ynext(&y, &ev)) {
		yaml_event_delete(&ev);
		if (!ynext(&y, &ev)) {
			if (ev.type != YAML_STREAM_END_EVENT) {
				fail(err, cap, "template: YAML line %zu: more than one document",
				     ev.start_mark.line + 1);
				cJSON_Delete(root);
				root = NULL;
			}
			yaml_event_delete(&ev);
		} else {
			cJSON_Delete(root);
			root = NULL;
		}
	} else if (root) {
		cJSON_Delete(root);
		root = NULL;
	}
	yaml_parser_delete(&y.p);
	return root;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a key is given twice in one mapping anywhere in node; *dup is
 * then one of them (a name inside the tree). Both parsers keep duplicates
 * (cJSON and the YAML walk append), and the evaluator would then see one
 * resource twice; CloudFormation refuses them (found by fuzz_sim_cfn).
 * Sorted, so a huge mapping stays O(n log n). -1 when out of memory. */
static int dup_key(const cJSON *node, const char **dup)
{
	size_t n = 0;
	for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
		int rc = dup_key(c, dup);
		if (rc)
			return rc;
		n++;
	}
	if (!cJSON_IsObject(node) || n < 2)
		return 0;
	const char **keys = malloc(n * sizeof *keys);
	if (!keys)
		return -1;
	n = 0;
	for (const cJSON *c = node->child; c; c = c->next)
		keys[n++] = c->string ? c->string : "";
	qsort(keys, n, sizeof *keys, key_cmp);
	int found = 0;
	for (size_t i = 1; i < n && !found; i++)
		if (!strcmp(keys[i - 1], keys[i])) {
			*dup = keys[i];
			found = 1;
		}
	free(keys);
	return found;
}

cJSON *cfn_template_parse(const char *text, size_t len, char *err, size_t cap)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	cJSON *t;
	if (i < len && text[i] == '{') {
		const char *end = NULL;
		t = cJSON_ParseWithLengthOpts(text, len, &end, 0);
		if (!t) {
			size_t line = 1;
			for (const char *p = text; end && p < end && p < text + len; p++)
				line += *p == '\n';
			fail(err, cap, "template: JSON line %zu: malformed", line);
			return NULL;
		}
	} else if (!(t = parse_yaml(text, len, err, cap))) {
		return NULL;
	}
	const char *dup = NULL;
	int rc = dup_key(t, &dup);
	if (rc) {
		if (rc < 0)
			fail(err, cap, "out of memory");
		else
			fail(err, cap,
			     "template: Template format error: the key '%.60s' is given twice",
			     dup);
		cJSON_Delete(t);
		return NULL;
	}
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, "Resources");
	if (!cJSON_IsObject(t) || !cJSON_IsObject(r) || !r->child) {
		cJSON_Delete(t);
		fail(err, cap,
		     "template: Template format error: at least one Resources member "
		     "must be defined");
		return NULL;
	}
	/* the template's sections: what the endpoint cannot honour is refused
	 * by name, never ignored (a Transform would change the resources, a
	 * Rule's assertions would go unchecked) */
	static const char *const SECTIONS[] = { "AWSTemplateFormatVersion",
						"Description",
						"Metadata",
						"Parameters",
						"Mappings",
						"Conditions",
						"Resources",
						"Outputs" };
	for (const cJSON *s = t->child; s; s = s->next) {
		bool known = false;
		for (size_t k = 0; k < sizeof SECTIONS / sizeof SECTIONS[0] && !known; k++)
			known = !strcmp(s->string, SECTIONS[k]);
		if (known)
			continue;
		if (!strcmp(s->string, "Transform") || !strcmp(s->string, "Rules")) {
			char what[80] = ""; /* the transform, or the first rule */
			if (cfn_scalar_text(s, what, sizeof what) != 0 && cJSON_IsObject(s) &&
			    s->child)
				snprintf(what, sizeof what, "%s", s->child->string);
			fail(err, cap, "template: %s [%.60s] %s not supported by this endpoint",
			     s->string, what, !strcmp(s->string, "Rules") ? "are" : "is");
		} else
			fail(err, cap,
			     "template: Template format error: Invalid template property or "
			     "properties [%.60s]",
			     s->string);
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* ---- evaluation ---- */

int cfn_scalar_text(const cJSON *v, char *out, size_t cap)
{
	if (cJSON_IsString(v))
		snprintf(out, cap, "%s", v->valuestring);
	else if (cJSON_IsNumber(v) && v->valuedouble >= -9.2e18 && v->valuedouble <= 9.2e18 &&
		 v->valuedouble == (double)(long long)v->valuedouble) /* in range first: UB */
		snprintf(out, cap, "%lld", (long long)v->valuedouble);
	else if (cJSON_IsNumber(v))
		snprintf(out, cap, "%g", v->valuedouble);
	else if (cJSON_IsBool(v))
		snprintf(out, cap, "%s", cJSON_IsTrue(v) ? "true" : "false");
	else
		return -1;
	return 0;
}

static const cJSON *section(const cJSON *t, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(t, name);
}

static int eval_condition(struct cfn_eval *ev, const char *name, int depth, char *err, size_t cap);

/* A condition expression's truth (Fn::Equals/And/Or/Not, Condition). */
static int cond_expr(struct cfn_eval *ev, const cJSON *e, int depth, char *err, size_t cap)
{
	if (depth > CFN_DEPTH_MAX)
		return fail(err, cap, "Conditions: nested too deeply (a cycle?)");
	if (cJSON_IsBool(e))
		return cJSON_IsTrue(e);
	if (cJSON_IsString(e) &&
	    (!strcmp(e->valuestring, "true") || !strcmp(e->valuestring, "false")))
		return !strcmp(e->valuestring, "true");
	if (!cJSON_IsObject(e) || !e->child || e->child->next)
		return fail(err, cap, "Conditions: a condition must be one function");
	const char *fn = e->child->string;
	const cJSON *a = e->child;
	if (!strcmp(fn, "Condition") && cJSON_IsString(a))
		return eval_condition(ev, a->valuestring, depth + 1, err, cap);
	if (!strcmp(fn, "Fn::Equals")) {
		if (cJSON_GetArraySize(a) != 2)
			return fail(err, cap, "Fn::Equals takes two values");
		cJSON *x = cfn_eval_resolve(ev, a->child, err, cap);
		cJSON *y = x ? cfn_eval_resolve(ev, a->child->next, err, cap) : NULL;
		char xs[1024], ys[1024];
		int r = -1;
		if (x && y) {
			if (cfn_scalar_text(x, xs, sizeof xs) == 0 &&
			    cfn_scalar_text(y, ys, sizeof ys) == 0)
				r = strcmp(xs, ys) == 0;
			else
				r = cJSON_Compare(x, y, 1);
		}
		cJSON_Delete(x);
		cJSON_Delete(y);
		return r;
	}
	if (!strcmp(fn, "Fn::Not")) {
		if (cJSON_GetArraySize(a) != 1)
			return fail(err, cap, "Fn::Not takes one condition");
		int r = cond_expr(ev, a->child, depth + 1, err, cap);
		return r < 0 ? r : !r;
	}
	if (!strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or")) {
		bool and = !strcmp(fn, "Fn::And");
		int n = cJSON_GetArraySize(a);
		if (!cJSON_IsArray(a) || n < 2 || n > 10)
			return fail(err, cap, "%s takes 2 to 10 conditions", fn);
		int acc = and;
		for (const cJSON *c = a->child; c; c = c->next) {
			int r = cond_expr(ev, c, depth + 1, err, cap);
			if (r < 0)
				return r;
			acc = and? acc && r : acc || r;
		}
		return acc;
	}
	return fail(err, cap, "Conditions: %.40s is not a condition function", fn);
}

static int eval_condition(struct cfn_eval *ev, const char *name, int depth, char *err, size_t cap)
{
	const cJSON *done = cJSON_GetObjectItemCaseSensitive(ev->conds, name);
	if (done)
		return cJSON_IsTrue(done);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(section(ev->tmpl, "Conditions"), name);
	if (!e)
		return fail(err, cap, "Conditions: %.60s is not defined", name);
	int r = cond_expr(ev, e, depth, err, cap);
	if (r >= 0)
		cJSON_AddBoolToObject(ev->conds, name, r);
	return r;
}

static int param_check(const char *name, const cJSON *p, const char *value, char *err, size_t cap)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "Type");
	if (!cJSON_IsString(type))
		return fail(err, cap, "Parameters: %.60s has no Type", name);
	/* the value is the named SSM parameter's, and the endpoint has no
	 * Parameter Store to read it from: taking the name as the value
	 * would deploy something else than asked */
	if (!strncmp(type->valuestring, "AWS::SSM::Parameter::", 21))
		return fail(err, cap,
			    "Parameters: [%.60s] has type %.60s: SSM parameters are not "
			    "supported by this endpoint",
			    name, type->valuestring);
	const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(p, "AllowedValues");
	if (allowed) {
		bool found = false;
		char s[512];
		for (const cJSON *a = allowed->child; a && !found; a = a->next)
			found = cfn_scalar_text(a, s, sizeof s) == 0 && !strcmp(s, value);
		if (!found)
			return fail(err, cap,
				    "Parameter '%.60s' must be one of AllowedValues (got '%.60s')",
				    name, value);
	}
	if (!strcmp(type->valuestring, "Number")) {
		char *end;
		errno = 0;
		double d = strtod(value, &end);
		if (!*value || *end || errno)
			return fail(err, cap, "Parameter '%.60s' must be a number (got '%.60s')",
				    name, value);
		const cJSON *mn = cJSON_GetObjectItemCaseSensitive(p, "MinValue");
		const cJSON *mx = cJSON_GetObjectItemCaseSensitive(p, "MaxValue");
		double lim;
		char s[64];
		if (mn && cfn_scalar_text(mn, s, sizeof s) == 0 && (lim = strtod(s, NULL), d < lim))
			return fail(err, cap, "Parameter '%.60s' must be a number not less than %s",
				    name, s);
		if (mx && cfn_scalar_text(mx, s, sizeof s) == 0 && (lim = strtod(s, NULL), d > lim))
			return fail(err, cap,
				    "Parameter '%.60s' must be a number not greater than %s", name,
				    s);
	}
	return 0;
}

int cfn_eval_init(struct cfn_eval *ev, const cJSON *tmpl, const cJSON *given,
		  const char *stack_name, const char *stack_id, const char *region,
		  const char *account, char *err, size_t cap)
{
	memset(ev, 0, sizeof *ev);
	ev->tmpl = tmpl;
	ev->params = cJSON_CreateObject();
	ev->conds = cJSON_CreateObject();
	ev->phys = cJSON_CreateObject();
	ev->attrs = cJSON_CreateObject();
	snprintf(ev->stack_name, sizeof ev->stack_name, "%s", stack_name);
	snprintf(ev->stack_id, sizeof ev->stack_id, "%s", stack_id);
	snprintf(ev->region, sizeof ev->region, "%s", region);
	snprintf(ev->account, sizeof ev->account, "%s", account);
	if (!ev->params || !ev->conds || !ev->phys || !ev->attrs)
		return fail(err, cap, "out of memory");
	const cJSON *ps = section(tmpl, "Parameters");
	for (const cJSON *g = given ? given->child : NULL; g; g = g->next)
		if (!cJSON_GetObjectItemCaseSensitive(ps, g->string))
			return fail(err, cap, "Parameters: [%.60s] do not exist in the template",
				    g->string);
	for (const cJSON *p = ps ? ps->child : NULL; p; p = p->next) {
		const cJSON *g = given ? cJSON_GetObjectItemCaseSensitive(given, p->string) : NULL;
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(p, "Default");
		char v[1024];
		if (g && cfn_scalar_text(g, v, sizeof v) == 0)
			;
		else if (d && cfn_scalar_text(d, v, sizeof v) == 0)
			;
		else
			return fail(err, cap, "Parameters: [%.60s] must have values", p->string);
		if (param_check(p->string, p, v, err, cap) != 0)
			return -1;
		cJSON_AddStringToObject(ev->params, p->string, v);
	}
	const cJSON *cs = section(tmpl, "Conditions");
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next)
		if (eval_condition(ev, c->string, 0, err, cap) < 0)
			return -1;
	return 0;
}

void cfn_eval_free(struct cfn_eval *ev)
{
	cJSON_Delete(ev->params);
	cJSON_Delete(ev->conds);
	cJSON_Delete(ev->phys);
	cJSON_Delete(ev->attrs);
	ev->params = ev->conds = ev->phys = ev->attrs = NULL;
}

/* ---- references (for the order) ---- */

static const cJSON *resource(const cJSON *t, const char *id)
{
	return cJSON_GetObjectItemCaseSensitive(section(t, "Resources"), id);
}

typedef int (*ref_fn)(void *ctx, const char *id);

/* Call fn for every resource id node refers to (Ref, Fn::GetAtt, ${..}
 * in Fn::Sub). */
static int refs_walk(const cJSON *t, const cJSON *node, ref_fn fn, void *ctx, int depth)
{
	if (depth > CFN_DEPTH_MAX)
		return -1;
	if (cJSON_IsObject(node) && node->child && !node->child->next) {
		const char *k = node->child->string;
		const cJSON *a = node->child;
		if (!strcmp(k, "Ref") && cJSON_IsString(a))
			return fn(ctx, a->valuestring);
		if (!strcmp(k, "Fn::GetAtt") && cJSON_IsArray(a) && cJSON_IsString(a->child))
			return fn(ctx, a->child->valuestring);
		if (!strcmp(k, "Fn::Sub")) {
			const cJSON *s = cJSON_IsArray(a) ? a->child : a;
			for (const char *p = cJSON_IsString(s) ? s->valuestring : "";
			     (p = strstr(p, "${"));) {
				const char *e = strchr(p, '}');
				if (!e)
					break;
				char id[256];
				size_t n = strcspn(p + 2, ".}");
				snprintf(id, sizeof id, "%.*s", (int)(n < 255 ? n : 255), p + 2);
				bool local = cJSON_IsArray(a) && a->child &&
					     cJSON_GetObjectItemCaseSensitive(a->child->next, id);
				if (p[2] != '!' && !local && fn(ctx, id) < 0)
					return -1;
				p = e + 1;
			}
		}
	}
	for (const cJSON *c = node ? node->child : NULL; c; c = c->next)
		if (refs_walk(t, c, fn, ctx, depth + 1) < 0)
			return -1;
	return 0;
}

/* The names a resource refers to, copied: a name found inside an Fn::Sub
 * string lives in refs_walk's stack buffer only (keeping the pointer was a
 * use after scope, found by fuzz_sim_cfn). Logical ids are at most 255
 * characters on AWS. */
struct deps {
	char names[CFN_RESOURCES_MAX][256];
	size_t n;
};

static int dep_add(void *ctx, const char *id)
{
	struct deps *d = ctx;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->names[i], id))
			return 0;
	if (d->n == CFN_RESOURCES_MAX)
		return -1;
	snprintf(d->names[d->n++], sizeof d->names[0], "%s", id);
	return 0;
}

static int deps_of(const cJSON *t, const cJSON *r, struct deps *d)
{
	d->n = 0;
	const cJSON *on = cJSON_GetObjectItemCaseSensitive(r, "DependsOn");
	if (cJSON_IsString(on) && dep_add(d, on->valuestring) < 0)
		return -1;
	for (const cJSON *x = cJSON_IsArray(on) ? on->child : NULL; x; x = x->next)
		if (cJSON_IsString(x) && dep_add(d, x->valuestring) < 0)
			return -1;
	return refs_walk(t, cJSON_GetObjectItemCaseSensitive(r, "Properties"), dep_add, d, 0);
}

static bool active(const struct cfn_eval *ev, const cJSON *r)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "Condition");
	if (!cJSON_IsString(c))
		return true;
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev->conds, c->valuestring));
}

int cfn_eval_order(const struct cfn_eval *ev, const char *ids[CFN_RESOURCES_MAX], char *err,
		   size_t cap)
{
	const cJSON *rs = section(ev->tmpl, "Resources");
	const cJSON *all[CFN_RESOURCES_MAX];
	bool placed[CFN_RESOURCES_MAX] = { 0 };
	size_t n = 0;
	for (const cJSON *r = rs->child; r; r = r->next) {
		if (n == CFN_RESOURCES_MAX)
			return fail(err, cap, "Resources: more than %d", CFN_RESOURCES_MAX);
		if (!cJSON_IsObject(r) ||
		    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "Type")))
			return fail(err, cap, "Resources: %.60s has no Type", r->string);
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "Condition");
		if (c && (!cJSON_IsString(c) ||
			  !cJSON_GetObjectItemCaseSensitive(ev->conds, c->valuestring)))
			return fail(err, cap, "Resources: %.60s names an unknown Condition",
				    r->string);
		all[n++] = r;
	}
	size_t out = 0;
	for (size_t i = 0; i < n; i++) { /* dangling references first */
		struct deps d;
		if (!active(ev, all[i]))
			continue;
		if (deps_of(ev->tmpl, all[i], &d) < 0)
			return fail(err, cap, "Resources: %.60s: too many references",
				    all[i]->string);
		for (size_t k = 0; k < d.n; k++) {
			const cJSON *to = resource(ev->tmpl, d.names[k]);
			/* parameters and pseudo parameters are no dependency */
			if (!to && (cJSON_GetObjectItemCaseSensitive(ev->params, d.names[k]) ||
				    !strncmp(d.names[k], "AWS::", 5)))
				continue;
			if (!to)
				return fail(
					err, cap,
					"Template format error: Unresolved resource dependencies "
					"[%.60s] in the Resources block of the template",
					d.names[k]);
			if (!active(ev, to))
				return fail(err, cap,
					    "Resources: %.60s refers to %.60s, whose condition is "
					    "false",
					    all[i]->string, d.names[k]);
		}
	}
	for (bool progress = true; progress;) {
		progress = false;
		for (size_t i = 0; i < n; i++) {
			if (placed[i] || !active(ev, all[i]))
				continue;
			struct deps d;
			deps_of(ev->tmpl, all[i], &d);
			bool ready = true;
			for (size_t k = 0; k < d.n && ready; k++)
				for (size_t j = 0; j < n; j++)
					if (!strcmp(all[j]->string, d.names[k]) && !placed[j])
						ready = false;
			if (ready) {
				placed[i] = progress = true;
				ids[out++] = all[i]->string;
				break; /* restart: template order among the ready */
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!placed[i] && active(ev, all[i]))
			return fail(err, cap,
				    "Template format error: Circular dependency between resources: "
				    "%.60s",
				    all[i]->string);
	return (int)out;
}

/* ---- intrinsic functions ---- */

static cJSON *resolve(const struct cfn_eval *ev, const cJSON *node, int depth, char *err,
		      size_t cap);

static const char *NOVALUE = "AWS::NoValue";

/* Ref name: a parameter, a pseudo parameter or a created resource. */
static cJSON *ref(const struct cfn_eval *ev, const char *name, char *err, size_t cap)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev->params, name);
	if (p)
		return cJSON_Duplicate(p, 1);
	if (!strcmp(name, "AWS::StackName"))
		return cJSON_CreateString(ev->stack_name);
	if (!strcmp(name, "AWS::StackId"))
		return cJSON_CreateString(ev->stack_id);
	if (!strcmp(name, "AWS::Region"))
		return cJSON_CreateString(ev->region);
	if (!strcmp(name, "AWS::AccountId"))
		return cJSON_CreateString(ev->account);
	if (!strcmp(name, "AWS::Partition"))
		return cJSON_CreateString("aws");
	if (!strcmp(name, "AWS::URLSuffix"))
		return cJSON_CreateString("amazonaws.com");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(ev->phys, name);
	if (r)
		return cJSON_Duplicate(r, 1);
	if (resource(ev->tmpl, name))
		fail(err, cap, "Ref %.60s: the resource is not created yet", name);
	else
		fail(err, cap, "Template format error: Unresolved resource dependencies [%.60s]",
		     name);
	return NULL;
}

static cJSON *getatt(const struct cfn_eval *ev, const char *id, const char *att, char *err,
		     size_t cap)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(ev->attrs, id);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, att);
	if (v)
		return cJSON_Duplicate(v, 1);
	if (!resource(ev->tmpl, id))
		fail(err, cap, "Fn::GetAtt: %.60s is not a resource of the template", id);
	else if (!a)
		fail(err, cap, "Fn::GetAtt %.60s.%.40s: the resource is not created yet", id, att);
	else
		fail(err, cap, "Fn::GetAtt: %.60s has no attribute %.40s", id, att);
	return NULL;
}

static cJSON *fn_sub(const struct cfn_eval *ev, const cJSON *a, int depth, char *err, size_t cap)
{
	const cJSON *s = cJSON_IsArray(a) ? a->child : a;
	const cJSON *vars = cJSON_IsArray(a) && a->child ? a->child->next : NULL;
	if (!cJSON_IsString(s) || (cJSON_IsArray(a) && !cJSON_IsObject(vars)))
		return fail(err, cap, "Fn::Sub takes a string or [string, {variables}]"), NULL;
	char *out = malloc(1);
	size_t len = 0;
	if (!out)
		return NULL;
	for (const char *p = s->valuestring; *p;) {
		const char *piece;
		char text[2048];
		size_t n;
		if (p[0] == '$' && p[1] == '{' && p[2] == '!') { /* ${!Literal} */
			const char *e = strchr(p, '}');
			if (!e)
				goto bad;
			snprintf(text, sizeof text, "${%.*s}", (int)(e - p - 3), p + 3);
			piece = text;
			n = strlen(text);
			p = e + 1;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *e = strchr(p, '}');
			if (!e)
				goto bad;
			char name[256];
			snprintf(name, sizeof name, "%.*s",
				 (int)(e - p - 2 < 255 ? e - p - 2 : 255), p + 2);
			cJSON *v = NULL;
			const cJSON *local = cJSON_GetObjectItemCaseSensitive(vars, name);
			char *dot = strchr(name, '.');
			if (local)
				v = resolve(ev, local, depth + 1, err, cap);
			else if (dot && strncmp(name, "AWS::", 5)) {
				*dot = 0;
				v = getatt(ev, name, dot + 1, err, cap);
			} else
				v = ref(ev, name, err, cap);
			if (!v || cfn_scalar_text(v, text, sizeof text) != 0) {
				if (v)
					fail(err, cap, "Fn::Sub: ${%.60s} is not a scalar", name);
				cJSON_Delete(v);
				free(out);
				return NULL;
			}
			cJSON_Delete(v);
			piece = text;
			n = strlen(text);
			p = e + 1;
		} else {
			piece = p;
			n = 1;
			p++;
		}
		char *grown = realloc(out, len + n + 1);
		if (!grown) {
			free(out);
			return NULL;
		}
		out = grown;
		memcpy(out + len, piece, n);
		len += n;
	}
	out[len] = 0;
	cJSON *r = cJSON_CreateString(out);
	free(out);
	return r;
bad:
	free(out);
	fail(err, cap, "Fn::Sub: unterminated ${ in '%.60s'", s->valuestring);
	return NULL;
}

static cJSON *fn_join(const struct cfn_eval *ev, const cJSON *a, int depth, char *err, size_t cap)
{
	if (cJSON_GetArraySize(a) != 2 || !cJSON_IsString(a->child))
		return fail(err, cap, "Fn::Join takes [delimiter, [values]]"), NULL;
	cJSON *list = resolve(ev, a->child->next, depth + 1, err, cap);
	if (!list)
		return NULL;
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(list);
		return fail(err, cap, "Fn::Join: the values must be a list"), NULL;
	}
	size_t total = 1, dl = strlen(a->child->valuestring);
	char item[2048];
	for (const cJSON *x = list->child; x; x = x->next) {
		if (cfn_scalar_text(x, item, sizeof item) != 0) {
			cJSON_Delete(list);
			return fail(err, cap, "Fn::Join: a value is not a scalar"), NULL;
		}
		total += strlen(item) + dl;
	}
	char *out = calloc(1, total);
	for (const cJSON *x = list->child; out && x; x = x->next) {
		cfn_scalar_text(x, item, sizeof item);
		if (x != list->child)
			strcat(out, a->child->valuestring);
		strcat(out, item);
	}
	cJSON_Delete(list);
	cJSON *r = out ? cJSON_CreateString(out) : NULL;
	free(out);
	return r;
}

static cJSON *resolve(const struct cfn_eval *ev, const cJSON *node, int depth, char *err,
		      size_t cap)
{
	if (depth > CFN_DEPTH_MAX)
		return fail(err, cap, "template: nested too deeply"), NULL;
	if (cJSON_IsObject(node) && node->child && !node->child->next) {
		const char *k = node->child->string;
		const cJSON *a = node->child;
		if (!strcmp(k, "Ref")) {
			if (!cJSON_IsString(a))
				return fail(err, cap, "Ref takes a name"), NULL;
			if (!strcmp(a->valuestring, NOVALUE))
				return cJSON_CreateString(NOVALUE); /* dropped by the caller */
			return ref(ev, a->valuestring, err, cap);
		}
		if (!strcmp(k, "Fn::GetAtt")) {
			if (cJSON_GetArraySize(a) != 2 || !cJSON_IsString(a->child) ||
			    !cJSON_IsString(a->child->next))
				return fail(err, cap, "Fn::GetAtt takes [resource, attribute]"),
				       NULL;
			return getatt(ev, a->child->valuestring, a->child->next->valuestring, err,
				      cap);
		}
		if (!strcmp(k, "Fn::Sub"))
			return fn_sub(ev, a, depth, err, cap);
		if (!strcmp(k, "Fn::Join"))
			return fn_join(ev, a, depth, err, cap);
		if (!strcmp(k, "Fn::If")) {
			if (cJSON_GetArraySize(a) != 3 || !cJSON_IsString(a->child))
				return fail(err, cap, "Fn::If takes [condition, then, else]"), NULL;
			const cJSON *c =
				cJSON_GetObjectItemCaseSensitive(ev->conds, a->child->valuestring);
			if (!c)
				return fail(err, cap, "Fn::If: condition %.60s is not defined",
					    a->child->valuestring),
				       NULL;
			return resolve(ev, cJSON_IsTrue(c) ? a->child->next : a->child->next->next,
				       depth + 1, err, cap);
		}
		if (!strcmp(k, "Fn::Equals") || !strcmp(k, "Fn::And") || !strcmp(k, "Fn::Or") ||
		    !strcmp(k, "Fn::Not") || !strcmp(k, "Condition")) {
			int r = cond_expr((struct cfn_eval *)ev, node, depth + 1, err, cap);
			return r < 0 ? NULL : cJSON_CreateBool(r);
		}
		if (!strcmp(k, "Fn::Select")) {
			if (cJSON_GetArraySize(a) != 2)
				return fail(err, cap, "Fn::Select takes [index, list]"), NULL;
			cJSON *i = resolve(ev, a->child, depth + 1, err, cap);
			cJSON *l = i ? resolve(ev, a->child->next, depth + 1, err, cap) : NULL;
			char s[32];
			cJSON *r = NULL;
			if (l && cfn_scalar_text(i, s, sizeof s) == 0 && cJSON_IsArray(l)) {
				long n = strtol(s, NULL, 10);
				const cJSON *x = n >= 0 ? cJSON_GetArrayItem(l, (int)n) : NULL;
				r = x ? cJSON_Duplicate(x, 1) : NULL;
				if (!x)
					fail(err, cap, "Fn::Select: index %s out of range", s);
			} else if (l)
				fail(err, cap, "Fn::Select takes [index, list]");
			cJSON_Delete(i);
			cJSON_Delete(l);
			return r;
		}
		if (!strcmp(k, "Fn::Split")) {
			if (cJSON_GetArraySize(a) != 2 || !cJSON_IsString(a->child) ||
			    !*a->child->valuestring)
				return fail(err, cap, "Fn::Split takes [delimiter, string]"), NULL;
			cJSON *s = resolve(ev, a->child->next, depth + 1, err, cap);
			if (!cJSON_IsString(s)) {
				cJSON_Delete(s);
				return s ? fail(err, cap, "Fn::Split: not a string"), NULL : NULL;
			}
			cJSON *l = cJSON_CreateArray();
			const char *d = a->child->valuestring, *p = s->valuestring, *q;
			size_t dl = strlen(d);
			while ((q = strstr(p, d))) {
				char *piece = strndup(p, (size_t)(q - p));
				cJSON_AddItemToArray(l, cJSON_CreateString(piece ? piece : ""));
				free(piece);
				p = q + dl;
			}
			cJSON_AddItemToArray(l, cJSON_CreateString(p));
			cJSON_Delete(s);
			return l;
		}
		if (!strncmp(k, "Fn::", 4))
			return fail(err, cap, "%.40s is not supported by this endpoint", k), NULL;
	}
	if (cJSON_IsArray(node) || cJSON_IsObject(node)) {
		cJSON *out = cJSON_IsArray(node) ? cJSON_CreateArray() : cJSON_CreateObject();
		for (const cJSON *c = node->child; out && c; c = c->next) {
			cJSON *v = resolve(ev, c, depth + 1, err, cap);
			if (!v) {
				cJSON_Delete(out);
				return NULL;
			}
			if (cJSON_IsString(v) && !strcmp(v->valuestring, NOVALUE)) {
				cJSON_Delete(v);
				continue;
			}
			if (cJSON_IsArray(node))
				cJSON_AddItemToArray(out, v);
			else
				cJSON_AddItemToObject(out, c->string, v);
		}
		return out;
	}
	return cJSON_Duplicate(node, 1);
}

cJSON *cfn_eval_resolve(const struct cfn_eval *ev, const cJSON *node, char *err, size_t cap)
{
	return resolve(ev, node, 0, err, cap);
}
