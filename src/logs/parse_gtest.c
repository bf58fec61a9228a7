/*
 * GoogleTest: per test binary "[==========] 12 tests from 3 test suites ran.
 * (5 ms total)", then "[  PASSED  ] 10 tests.", "[  SKIPPED ] 1 test, listed
 * below:", "[  FAILED  ] 1 test, listed below:" and the failed tests
 * "[  FAILED  ] Suite.Name" (also "[  FAILED  ] Suite.Name (3 ms)" while
 * running). Summed over binaries.
 *
 * Counting: run = passed + failed, skipped = skipped (GoogleTest counts a
 * GTEST_SKIP test in "ran").
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "[  PASSED  ] ", "[  FAILED  ] ", "[  SKIPPED ] ", "[==========] ", NULL };
enum { N_PASSED, N_FAILED, N_SKIPPED, N_RAN };

static int line(void *st, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (bl < 13 || b[0] != '[')
		return 0;
	const char *p = b + 13;
	const char *q = p;
	long long n = logs_read_int(&q, end);
	int summary = n >= 0 && (logs_starts(q, (size_t)(end - q), " test.") || logs_starts(q, (size_t)(end - q), " tests.") ||
				 logs_starts(q, (size_t)(end - q), " test,") || logs_starts(q, (size_t)(end - q), " tests,"));
	if ((hits & (1u << N_RAN)) && logs_starts(b, bl, "[==========] ") && n >= 0 && logs_find(q, (size_t)(end - q), " ran.")) {
		logs_acc_framework(a, "gtest");
		const char *tot = logs_find(q, (size_t)(end - q), "(");
		if (tot)
			logs_acc_duration(a, logs_parse_duration(tot + 1, (size_t)(end - tot - 1)));
		return 0;
	}
	if (logs_starts(b, bl, "[  PASSED  ] ") && summary)
		logs_acc_counts(a, "gtest", n, 0, 0);
	else if (logs_starts(b, bl, "[  SKIPPED ] ") && summary)
		logs_acc_counts(a, "gtest", 0, 0, n);
	else if (logs_starts(b, bl, "[  FAILED  ] ") && summary)
		logs_acc_counts(a, "gtest", n, n, 0);
	else if (logs_starts(b, bl, "[  FAILED  ] ") && n < 0) {
		const char *stop = p;
		while (stop < end && *stop != ' ' && *stop != ',')
			stop++;
		if (stop > p)
			logs_acc_failed_name(a, p, (size_t)(stop - p));
	}
	return 0;
}

const struct logs_parser_def logs_parse_gtest = {
	.name = "gtest",
	.needles = needles,
	.line = line,
};
