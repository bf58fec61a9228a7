/*
 * Gradle's test task: "2966 tests completed, 1 failed, 5 skipped", printed
 * per test task when tests failed (a passing task prints nothing, so a green
 * Gradle build without a test-logging plugin shows no tests, as in the
 * reference analyzers). Summed over tasks and over repeated invocations.
 *
 * Counting as the reference analyzers: run = "tests completed" (Gradle counts
 * skipped tests in it), failed, skipped. Reported as framework "JUnit".
 *
 * Old Gradle prints its task names (":test", ":integrationTest"): a test task
 * that ran says JUnit ran even when nothing failed (TravisTorrent's rule).
 *
 * Failed names: "a.b.FooTest > testBar FAILED" and nested
 * "FooTest > testBar(int) > a.b.FooTest.testBar(int)[2] FAILED" (last part).
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "tests completed", " FAILED", ":test", ":integrationTest", NULL };
enum { N_COMPLETED, N_FAILED, N_TASK, N_ITASK };

static int line(void *st, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	const char *s = ln->s, *end = s + ln->len;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (hits & (1u << N_COMPLETED)) {
		const char *p = logs_skip_ws(s, end);
		long long n = logs_read_int(&p, end);
		if (n >= 0 && (logs_starts(p, (size_t)(end - p), " tests completed") ||
			       logs_starts(p, (size_t)(end - p), " test completed"))) {
			long long f = 0, sk = 0;
			const char *q = p;
			while ((q = memchr(q, ',', (size_t)(end - q))) != NULL) {
				q = logs_skip_ws(q + 1, end);
				long long v = logs_read_int(&q, end);
				if (v < 0)
					break;
				if (logs_starts(q, (size_t)(end - q), " failed"))
					f += v;
				else if (logs_starts(q, (size_t)(end - q), " skipped"))
					sk += v;
			}
			logs_acc_counts(a, "JUnit", n, f, sk);
			a->gradle_totals = 1;
			a->tool = a->tool ? a->tool : "gradle";
		}
	}
	if ((hits & ((1u << N_TASK) | (1u << N_ITASK))) && (logs_starts(s, ln->len, ":test") || logs_starts(s, ln->len, ":integrationTest"))) {
		/* old Gradle's task line: the test task ran (its counts show only when tests fail) */
		logs_acc_framework(a, "JUnit");
		a->res->tests_recognised = 1;
	}
	if ((hits & (1u << N_FAILED)) && end - s > 7 && memcmp(end - 7, " FAILED", 7) == 0) {
		/* the test is the part after the last " > " */
		const char *last = NULL;
		for (const char *q = s; q + 3 <= end - 7; q++)
			if (q[0] == ' ' && q[1] == '>' && q[2] == ' ')
				last = q;
		if (last && *logs_skip_ws(s, end) != '>') {
			const char *cls = logs_skip_ws(s, end);
			const char *first = memmem(cls, (size_t)(end - cls), " > ", 3);
			const char *name = last + 3;
			char buf[1024];
			size_t cl = (size_t)(first - cls), nl = (size_t)(end - 7 - name);
			if (first == last && cl + nl + 1 < sizeof(buf) && !memchr(cls, ' ', cl)) {
				memcpy(buf, cls, cl);
				buf[cl] = '.';
				memcpy(buf + cl + 1, name, nl);
				logs_acc_failed_name(a, buf, cl + 1 + nl);
			} else {
				logs_acc_failed_name(a, name, nl);
			}
		}
	}
	return 0;
}

const struct logs_parser_def logs_parse_gradle = {
	.name = "gradle",
	.needles = needles,
	.line = line,
};
