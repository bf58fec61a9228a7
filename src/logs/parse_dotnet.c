/*
 * dotnet test (xUnit, NUnit, MSTest through VSTest), one summary per test
 * assembly, summed:
 *   "Passed!  - Failed:     0, Passed:    10, Skipped:     1, Total:    11, Duration: 1 s - A.Tests.dll (net6.0)"
 *   "Failed!  - Failed:     1, ..."
 * and the older multi-line form "Total tests: 11" followed by "Passed: 9",
 * "Failed: 1", "Skipped: 1" lines (or on one line separated by '.').
 * Failed names: "  Failed A.Tests.FooTest.Bar [12 ms]".
 *
 * Counting: run = passed + failed, skipped = skipped.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "Passed!  - ", "Failed!  - ", "Total tests: ", "Failed ", NULL };
enum { N_PASSED, N_FAILED, N_TOTAL, N_FAILED_TEST };

struct state {
	int old;                /* lines left of an old-style summary */
	long long passed, failed, skipped;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

static void flush_old(struct state *st, struct logs_acc *a)
{
	logs_acc_counts(a, "dotnet", st->passed + st->failed, st->failed, st->skipped);
	st->old = 0;
	st->passed = st->failed = st->skipped = 0;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	const char *b = logs_skip_ws(s, end);
	size_t bl = (size_t)(end - b);
	if (st->old) {
		long long v;
		if ((v = logs_value_after(b, bl, "Passed:")) >= 0 && logs_starts(b, bl, "Passed:"))
			st->passed = v;
		else if ((v = logs_value_after(b, bl, "Failed:")) >= 0 && logs_starts(b, bl, "Failed:"))
			st->failed = v;
		else if ((v = logs_value_after(b, bl, "Skipped:")) >= 0 && logs_starts(b, bl, "Skipped:"))
			st->skipped = v;
		if (--st->old == 0 || logs_starts(b, bl, "Total time:") || logs_starts(b, bl, "Skipped:"))
			flush_old(st, a);
		else
			return 1;
		return 0;
	}
	if ((hits & ((1u << N_PASSED) | (1u << N_FAILED))) && (logs_starts(b, bl, "Passed!  - ") || logs_starts(b, bl, "Failed!  - "))) {
		long long f = v0(logs_value_after(b, bl, "Failed:")), p = v0(logs_value_after(b, bl, "Passed:"));
		long long sk = v0(logs_value_after(b, bl, "Skipped:"));
		logs_acc_counts(a, "dotnet", p + f, f, sk);
		const char *d = logs_find(b, bl, "Duration:");
		if (d) {
			const char *stop = logs_find(d, (size_t)(end - d), " - ");
			logs_acc_duration(a, logs_parse_duration(d + 9, (size_t)((stop ? stop : end) - d - 9)));
		}
		return 0;
	}
	if ((hits & (1u << N_TOTAL)) && logs_starts(b, bl, "Total tests: ")) {
		st->passed = v0(logs_value_after(b, bl, "Passed:"));
		st->failed = v0(logs_value_after(b, bl, "Failed:"));
		st->skipped = v0(logs_value_after(b, bl, "Skipped:"));
		if (logs_find(b, bl, "Passed:")) { /* one-line form */
			flush_old(st, a);
			return 0;
		}
		st->old = 6;
		return 1;
	}
	if ((hits & (1u << N_FAILED_TEST)) && logs_starts(b, bl, "Failed ") && end[-1] == ']') {
		const char *open = NULL;
		for (const char *q = b; q < end; q++)
			if (*q == '[')
				open = q;
		if (open && open > b + 7 && (logs_find(open, (size_t)(end - open), "ms]") || logs_find(open, (size_t)(end - open), " s]") ||
					     logs_find(open, (size_t)(end - open), "< 1 ms]"))) {
			const char *p = logs_skip_ws(b + 7, open);
			const char *stop = open;
			while (stop > p && stop[-1] == ' ')
				stop--;
			logs_acc_failed_name(a, p, (size_t)(stop - p));
		}
	}
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	if (st->old)
		flush_old(st, a);
}

const struct logs_parser_def logs_parse_dotnet = {
	.name = "dotnet",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};
