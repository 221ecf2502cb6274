/*
 * endpoint_load.c - a load generator for the local endpoint's benchmark:
 * THREADS client threads, each with its own libcurl handle (keep-alive),
 * send COUNT signed POSTs of BODY to URL (SigV4 by libcurl, service qldb:
 * no query string, so its known signing bugs do not apply) and time each.
 *
 *   endpoint_load URL BODY COUNT THREADS KEY SECRET
 *
 * Prints one line: requests, seconds, requests/s, latency p50/p99/max in
 * microseconds. Every response must be 200 or the run fails (exit 1): a
 * benchmark of errors would be a lie.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	const char *url, *body, *userpwd;
	long count;
	double *lat; /* microseconds, count entries */
	int failed;
};

static size_t sink(char *p, size_t size, size_t n, void *ctx)
{
	(void)p, (void)ctx;
	return size * n;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void *run(void *arg)
{
	struct job *j = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (!c || !h) {
		j->failed = 1;
		return NULL;
	}
	curl_easy_setopt(c, CURLOPT_URL, j->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, "aws:amz:us-east-1:qldb");
	curl_easy_setopt(c, CURLOPT_USERPWD, j->userpwd);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	for (long i = 0; i < j->count && !j->failed; i++) {
		double t0 = now_us();
		long code = 0;
		if (curl_easy_perform(c) != CURLE_OK ||
		    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
			j->failed = 1;
		j->lat[i] = now_us() - t0;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: endpoint_load URL BODY COUNT THREADS KEY SECRET\n");
		return 2;
	}
	long count = atol(argv[3]), threads = atol(argv[4]);
	if (count < 1 || threads < 1 || threads > 64) {
		fprintf(stderr, "endpoint_load: COUNT >= 1 and THREADS 1..64\n");
		return 2;
	}
	char userpwd[512];
	snprintf(userpwd, sizeof userpwd, "%s:%s", argv[5], argv[6]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	double *lat = calloc((size_t)(count * threads), sizeof *lat);
	struct job *jobs = calloc((size_t)threads, sizeof *jobs);
	pthread_t *tid = calloc((size_t)threads, sizeof *tid);
	if (!lat || !jobs || !tid)
		return 2;
	double t0 = now_us();
	for (long i = 0; i < threads; i++) {
		jobs[i] = (struct job){ argv[1], argv[2], userpwd, count, lat + i * count, 0 };
		pthread_create(&tid[i], NULL, run, &jobs[i]);
	}
	int failed = 0;
	for (long i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		failed |= jobs[i].failed;
	}
	double secs = (now_us() - t0) / 1e6;
	if (failed) {
		fprintf(stderr, "endpoint_load: a request failed or did not answer 200\n");
		return 1;
	}
	size_t n = (size_t)(count * threads);
	qsort(lat, n, sizeof *lat, cmp_double);
	printf("requests %zu  seconds %.2f  req/s %.0f  latency_us p50 %.0f p99 %.0f max %.0f\n", n,
	       secs, (double)n / secs, lat[n / 2], lat[n * 99 / 100], lat[n - 1]);
	free(lat);
	free(jobs);
	free(tid);
	curl_global_cleanup();
	return 0;
}
