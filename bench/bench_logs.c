/*
 * Build-log parsing throughput: parses FILE (any size; streamed in chunks as
 * one log, the worst case for a parser that must keep no per-log growth) and
 * prints bytes, seconds, MB/s on one core and the process's peak resident
 * memory, which must not grow with the file (bench/logs.sh runs it on
 * files of two sizes). bench/logs.sh times grep on the same bytes as the
 * reference.
 *
 * usage: bench_logs FILE [REPEAT]
 */
#include "core/err.h"
#include "core/utc.h"
#include "logs/logs.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_logs FILE [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 2 ? atoi(argv[2]) : 1;
	if (repeat < 1)
		repeat = 1;
	struct logs_parser *p = logs_parser_new();
	struct logs_result r;
	logs_result_init(&r);
	double best = 0;
	for (int i = 0; i < repeat; i++) {
		struct err e = ERR_INIT;
		int64_t t0 = mono_now();
		if (logs_parser_parse_file(p, &r, argv[1], &e) < 0) {
			fprintf(stderr, "bench_logs: %s\n", e.msg);
			return 1;
		}
		double sec = (double)(mono_now() - t0) / 1e6;
		if (best == 0 || sec < best)
			best = sec;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mb = (double)r.bytes / 1e6;
	printf("ciminer logs parse: %.0f MB in %.3f s = %.0f MB/s per core, peak RSS %.1f MiB "
	       "(%llu lines, %lld tests run, %lld failed, %lld skipped)\n",
	       mb, best, mb / best, (double)ru.ru_maxrss / 1024.0, (unsigned long long)r.lines, r.tests_run,
	       r.tests_failed, r.tests_skipped);
	logs_result_release(&r);
	logs_parser_free(p);
	return 0;
}
