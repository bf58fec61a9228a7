/*
 * PHPUnit: "OK (12 tests, 30 assertions)" or, after "FAILURES!", "ERRORS!" or
 * "OK, but incomplete, skipped, or risky tests!", "Tests: 12, Assertions: 30,
 * Failures: 1, Errors: 1, Skipped: 2, Incomplete: 1." Summed over runs.
 * Duration: "Time: 00:01.234, Memory: 10.00 MB" (or "Time: 1.2 seconds").
 * Failed names: the numbered list after "There was 1 failure:" /
 * "There were 2 errors:" ("1) Foo\BarTest::testBaz").
 *
 * Counting: PHPUnit's Tests includes skipped and incomplete tests; run =
 * Tests - Skipped - Incomplete, failed = Failures + Errors, skipped =
 * Skipped + Incomplete.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { " assertion", "Tests: ", "Memory: ", "There was ", "There were ", NULL };
enum { N_OK, N_TESTS, N_MEMORY, N_WAS, N_WERE };

struct state {
	int list;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if ((hits & (1u << N_OK)) && logs_starts(b, bl, "OK (")) {
		const char *p = b + 4;
		long long n = logs_read_int(&p, end);
		if (n >= 0 && (logs_starts(p, (size_t)(end - p), " tests, ") || logs_starts(p, (size_t)(end - p), " test, ")))
			logs_acc_counts(a, "phpunit", n, 0, 0);
		st->list = 0;
		return 0;
	}
	if ((hits & (1u << N_TESTS)) && logs_starts(b, bl, "Tests: ") && logs_find(b, bl, "Assertions: ")) {
		long long n = logs_value_after(b, bl, "Tests:");
		long long f = v0(logs_value_after(b, bl, "Failures:")) + v0(logs_value_after(b, bl, "Errors:"));
		long long sk = v0(logs_value_after(b, bl, "Skipped:")) + v0(logs_value_after(b, bl, "Incomplete:"));
		if (n >= 0)
			logs_acc_counts(a, "phpunit", v0(n - sk), f, sk);
		st->list = 0;
		return 0;
	}
	if ((hits & (1u << N_MEMORY)) && logs_starts(b, bl, "Time: ")) {
		const char *c = memchr(b, ',', bl);
		logs_acc_duration(a, logs_parse_duration(b + 6, (size_t)((c ? c : end) - b - 6)));
		return 0;
	}
	if ((hits & ((1u << N_WAS) | (1u << N_WERE))) && (logs_starts(b, bl, "There was ") || logs_starts(b, bl, "There were ")) &&
	    (logs_find(b, bl, "failure") || logs_find(b, bl, "error")) && end[-1] == ':') {
		st->list = 1;
		return 1;
	}
	if (st->list) {
		/* "1) Foo\BarTest::testBaz" (with a data set: "... with data set #0 (...)") */
		const char *p = b;
		if (s == b && logs_read_int(&p, end) >= 0 && p + 1 < end && p[0] == ')' && p[1] == ' ') {
			p += 2;
			const char *stop = p;
			while (stop < end && *stop != ' ')
				stop++;
			if (memmem(p, (size_t)(stop - p), "::", 2))
				logs_acc_failed_name(a, p, (size_t)(stop - p));
		}
		return 1;
	}
	return 0;
}

const struct logs_parser_def logs_parse_phpunit = {
	.name = "phpunit",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
};
