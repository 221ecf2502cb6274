/*
 * export_rss.c - run a command and report its wall time and peak resident
 * set size (wait4's rusage.ru_maxrss), for tests/bench/verify_export.sh:
 * /usr/bin/time is not installed by default. The child's stdout and stderr
 * pass through; the figures go to stderr as one line:
 *   rss_kb=N wall_s=S
 * and the exit status is the child's.
 * usage: export_rss COMMAND [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: export_rss COMMAND [ARGS...]\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("export_rss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("export_rss: exec");
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("export_rss: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "rss_kb=%ld wall_s=%.3f user_s=%.3f\n", ru.ru_maxrss, wall,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
