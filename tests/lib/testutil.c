/* testutil.c - see testutil.h. */
#include "tests/lib/testutil.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "verify/base64.h"

const char *const AWS_CLI_DIGEST = "6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=";
const char *const AWS_CLI_BLOCK_PROOF[AWS_CLI_BLOCK_PROOF_LEN] = {
	"l3+EXs69K1+rehlqyWLkt+oHDlw4Zi9pCLW/t/mgTPM=",
	"48CXG3ehPqsxCYd34EEa8Fso0ORpWWAO8010RJKf3Do=",
	"9UnwnKSQT0i3ge1JMVa+tMIqCEDaOPTkWxmyHSn8UPQ=",
	"3nW6Vryghk+7pd6wFCtLufgPM6qXHyTNeCb1sCwcDaI=",
	"Irb5fNhBrNEQ1VPhzlnGT/ZQPadSmgfdtMYcwkNOxoI=",
	"+3CWpYG/ytf/vq9GidpzSx6JJiLXt1hMQWNnqOy3jfY=",
	"NPx6cRhwsiy5m9UEWS5JTJrZoUdO2jBOAAOmyZAT+qE=",
};

const char *shared_path(const char *rel)
{
	static char path[4096];
	const char *root = getenv("QLDBTOP_SHARED");
	snprintf(path, sizeof path, "%s/%s", root ? root : "../shared", rel);
	return path;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap + 1);
	size_t got;
	while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			char *q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				p = NULL;
			}
			p = q;
		}
	}
	fclose(f);
	if (!p)
		return NULL;
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

int b64_32(const char *b64, uint8_t out[32])
{
	return base64_decode(b64, strlen(b64), out, 32) == 32 ? 0 : -1;
}

void to_hex(const uint8_t *p, size_t n, char *out)
{
	static const char HEX[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = HEX[p[i] >> 4];
		out[2 * i + 1] = HEX[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int has_suffix(const char *s, const char *const *suffixes)
{
	size_t n = strlen(s);
	for (; *suffixes; suffixes++) {
		size_t k = strlen(*suffixes);
		if (n >= k && strcmp(s + n - k, *suffixes) == 0)
			return 1;
	}
	return 0;
}

static int walk(struct file_list *fl, const char *dir, const char *const *suffixes)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			rc = walk(fl, path, suffixes);
		} else if (has_suffix(path, suffixes)) {
			if (fl->n == fl->cap) {
				size_t cap = fl->cap ? fl->cap * 2 : 256;
				char **p = realloc(fl->paths, cap * sizeof *p);
				if (!p) {
					rc = -1;
					break;
				}
				fl->paths = p;
				fl->cap = cap;
			}
			if (!(fl->paths[fl->n] = strdup(path)))
				rc = -1;
			else
				fl->n++;
		}
	}
	closedir(d);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long file_list_collect(struct file_list *fl, const char *dir, const char *const *suffixes)
{
	if (walk(fl, dir, suffixes) != 0)
		return -1;
	qsort(fl->paths, fl->n, sizeof *fl->paths, cmp_path);
	return (long)fl->n;
}

void file_list_free(struct file_list *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->paths[i]);
	free(fl->paths);
	fl->paths = NULL;
	fl->n = fl->cap = 0;
}

const char *hdr_lookup(void *ctx, const char *name)
{
	for (const struct hdr *h = ctx; h->name; h++)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

char *vector_ion_text(const char *rel, const char *member)
{
	char *json = read_file(shared_path(rel), NULL);
	cJSON *j = json ? cJSON_Parse(json) : NULL;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, member), "IonText");
	char *s = cJSON_IsString(t) ? strdup(t->valuestring) : NULL;
	cJSON_Delete(j);
	free(json);
	return s;
}
