/*
 * fuzz_json_strict.c - libFuzzer target for common/json_strict.c, the reader of
 * untrusted JSON (saved get-digest and get-block outputs, service answers).
 * Besides crashes it aborts when an accepted input breaks the contract:
 * a raw NUL byte in the input, a repeated key in an object, an embedded NUL
 * in a string (the tree's C strings must be the whole strings), a refusal
 * message that is not one printable line, or an accepted value that does
 * not read back after cJSON prints it (values are not compared: cJSON
 * prints a number beyond double range as null).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"

/* Abort if a tree holds a repeated key at any depth. */
static void check_tree(const cJSON *v)
{
	for (const cJSON *c = v->child; c; c = c->next) {
		if (cJSON_IsObject(v))
			for (const cJSON *p = v->child; p != c; p = p->next)
				if (strcmp(p->string, c->string) == 0)
					abort();
		check_tree(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];
	why[0] = '\0';
	cJSON *root = json_strict_parse((const char *)data, size, "fuzz", why, sizeof why);
	if (!root) {
		for (const char *p = why; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort(); /* one printable line */
		if (!why[0])
			abort();
		return 0;
	}
	if (memchr(data, 0, size))
		abort();
	check_tree(root);
	char *again = cJSON_PrintUnformatted(root);
	if (again) {
		cJSON *r2 = json_strict_parse(again, strlen(again), "again", why, sizeof why);
		if (!r2)
			abort();
		cJSON_Delete(r2);
		free(again);
	}
	cJSON_Delete(root);
	return 0;
}
